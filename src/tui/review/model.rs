//! The reviewer's state: the comparison, folds, viewed marks, notes and where they sit, who is
//! reviewing and where the review gate stands, the cursor and scroll, the rows laid out for the
//! current layout, and the word-level emphasis refined so far.
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;
use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};

use crate::core::diff::compare::{Comparison, DiffLine, LineTag};
use crate::core::diff::words::Emphasis;
use crate::core::review::{Anchor, Gate, Note, Placement, Reply, ReviewDecision, Verdict};
use crate::tui::theme::Theme;

/// Unified or side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Unified,
    SideBySide,
}

/// How much of a section is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Only its heading row.
    Folded,
    /// Its hunks, with the unchanged lines between them folded.
    Hunks,
    /// Every line.
    Full,
}

/// One logical row of the diff pane (it may wrap onto several screen lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A section heading with its badge.
    Header { section: usize },
    /// Unified: one line of a section's diff (an index into its `lines`).
    Line { section: usize, line: usize },
    /// Side by side: an older and a newer line facing each other (indices into `lines`).
    Pair {
        section: usize,
        old: Option<usize>,
        new: Option<usize>,
    },
    /// Unchanged lines folded away between hunks.
    Gap { section: usize, hidden: usize },
    /// A review note, shown under the line it is anchored to.
    Note { section: usize, note: usize },
    /// Heads the notes whose lines are in neither text any more (listed first, never dropped).
    Outdated { count: usize },
    /// Under the last line of a text that has no newline at its end, when the other has one.
    NoNewline { section: usize, line: usize, older: bool },
}

impl Row {
    /// The diff lines (indices into the section's `lines`) the row shows.
    pub fn lines(self) -> [Option<usize>; 2] {
        match self {
            Row::Line { line, .. } => [Some(line), None],
            Row::Pair { old, new, .. } => [old, new],
            _ => [None, None],
        }
    }

    pub fn section(self) -> usize {
        match self {
            Row::Header { section }
            | Row::Line { section, .. }
            | Row::Pair { section, .. }
            | Row::Gap { section, .. }
            | Row::Note { section, .. }
            | Row::NoNewline { section, .. } => section,
            Row::Outdated { .. } => 0,
        }
    }
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The revision number; `None` for the file on disk.
    pub number: Option<u32>,
    pub label: String,
}

impl Side {
    /// Revision `number`, or the file on disk for `None`.
    pub fn of(number: Option<u32>) -> Side {
        Side {
            number,
            label: number.map_or_else(|| "the file on disk".to_string(), |n| format!("revision {n}")),
        }
    }
}

/// A saved revision as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionEntry {
    pub number: u32,
    pub time: String,
    pub author: String,
    /// Lines added and removed against the previous revision; `None` if unreadable.
    pub lines: Option<(usize, usize)>,
    /// The ids of the answers that changed, as a short list.
    pub changed_answers: String,
    pub review: String,
}

/// Where and how a recorded note was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAt {
    /// The revision whose decision holds it.
    pub revision: u32,
    pub verdict: Verdict,
    pub time: String,
}

/// A note on the screen: a recorded one (from a decision) or one being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownNote {
    pub note: Note,
    /// `None` while it waits to go with the next decision.
    pub recorded: Option<RecordedAt>,
    pub replies: Vec<Reply>,
    /// Where it sits in the texts compared.
    pub place: Placement,
}

impl ShownNote {
    pub fn pending(&self) -> bool {
        self.recorded.is_none()
    }

    pub fn outdated(&self) -> bool {
        self.place == Placement::Outdated
    }

    /// Resolved when the latest answer that changed the mark resolved it.
    pub fn resolved(&self) -> bool {
        self.replies.iter().rev().find_map(|r| r.resolved) == Some(true)
    }

    /// The note as shown, a line each (sanitised, before wrapping): who wrote it and where it
    /// stands, the text, then the answers.
    pub fn shown_lines(&self) -> Vec<String> {
        let clean = |s: &str| crate::core::fsio::sanitize(s).replace('\t', " ");
        let who = match &self.recorded {
            None => format!("{}, not recorded yet", self.note.author),
            Some(at) => format!(
                "{} on revision {}{}",
                self.note.author,
                at.revision,
                if self.resolved() { " · resolved" } else { "" }
            ),
        };
        let mut text = self.note.text.lines();
        let first = text.next().unwrap_or_default();
        let mut out = Vec::new();
        if self.outdated() {
            let place = self
                .note
                .anchor
                .path
                .last()
                .map_or_else(|| "the top".to_string(), |p| format!("“{p}”"));
            out.push(clean(&format!("✎ outdated · {who}: {first}")));
            let quote = if self.note.anchor.quote.is_empty() {
                "a blank line".to_string()
            } else {
                format!("“{}”", self.note.anchor.quote)
            };
            out.push(clean(&format!(
                "  its line is gone from both sides: {quote} under {place}"
            )));
        } else {
            out.push(clean(&format!("✎ {who}: {first}")));
        }
        out.extend(text.map(|l| clean(&format!("  {l}"))));
        for reply in &self.replies {
            let mark = match reply.resolved {
                Some(true) => " (marked it resolved)",
                Some(false) => " (opened it again)",
                None => "",
            };
            let mut lines = reply.text.lines();
            let first = lines.next().unwrap_or_default();
            out.push(clean(
                format!("  ↳ {}{mark}: {first}", reply.reviewer).trim_end_matches([':', ' ']),
            ));
            out.extend(lines.map(|l| clean(&format!("    {l}"))));
        }
        out
    }

    /// The note's lines wrapped to `width` columns; a wrapped line keeps its indent, and the
    /// first line's continuation is indented like the text under it.
    pub fn screen_lines(&self, width: usize) -> Vec<String> {
        let mut out = Vec::new();
        for (k, line) in self.shown_lines().into_iter().enumerate() {
            let body = line.trim_start_matches(' ');
            let lead = line.len() - body.len();
            let hang = if k == 0 { 2 } else { lead };
            for (n, range) in wrap_ranges(body, width.saturating_sub(lead.max(hang)).max(4))
                .into_iter()
                .enumerate()
            {
                let indent = if n == 0 { lead } else { hang };
                out.push(format!("{}{}", " ".repeat(indent), &body[range]));
            }
        }
        out
    }
}

/// Which revision the picker is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickStep {
    Older,
    Newer { older: Option<u32> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Revisions {
        step: PickStep,
        cursor: usize,
    },
    /// Writing a note (`at` names the place for the user, `quote` the line); the text is in
    /// the model's `note_editor`.
    Note {
        target: NoteTarget,
        at: String,
        quote: String,
    },
    /// Confirming a decision: what it will record, and what to know first (`warnings`: your
    /// own revision, sections not viewed). With warnings, only `y` records.
    Decide {
        approve: bool,
        warnings: Vec<String>,
    },
    /// Deleting one of your notes not yet recorded.
    DeleteNote {
        index: usize,
    },
    /// Saying who is reviewing; the name is in the model's `name_editor`.
    Reviewer,
    /// Every decision on the newer revision, and where the review gate stands.
    History {
        scroll: u16,
    },
    /// Something to read before going on (e.g. the revision limit of the review gate).
    Alert {
        lines: Vec<String>,
    },
}

/// What the note being written is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    /// A new note on a line of revision `on`.
    New { anchor: Anchor, on: u32, place: Placement },
    /// Your note not yet recorded (an index into the model's notes).
    Edit { index: usize },
    /// An answer to a recorded note (an index into the model's notes).
    Reply { index: usize },
}

/// Which side of the side-by-side layout the cursor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Older,
    Newer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// How long refinement may take per screen before the rest waits for the next frame.
pub const REFINE_BUDGET: Duration = Duration::from_millis(8);
/// Below this width the outline is hidden unless asked for, and unified is chosen.
pub const OUTLINE_MIN_WIDTH: u16 = 100;
pub const OUTLINE_WIDTH: u16 = 32;
/// The diff pane must be at least this wide for the automatic side-by-side layout.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

pub struct ReviewModel {
    pub theme: Theme,
    pub document: String,
    pub older: Side,
    pub newer: Side,
    pub comparison: Comparison,
    pub revisions: Vec<RevisionEntry>,
    /// The document file as it is on disk, if there is one: how it stands against the history.
    pub disk: Option<String>,
    /// The review state of the newer side, in words.
    pub review: String,
    /// `None` picks by width.
    pub layout_choice: Option<Layout>,
    /// `None` shows the outline when wide enough.
    pub outline_choice: Option<bool>,
    pub folds: Vec<Fold>,
    pub viewed: Vec<bool>,
    pub notes: Vec<ShownNote>,
    pub rows: Vec<Row>,
    /// The terminal size the rows were laid out for.
    pub size: (u16, u16),
    pub cursor: usize,
    pub top: usize,
    /// Screen lines of the top row scrolled past (for rows taller than the pane).
    pub top_skip: usize,
    pub emphasis: HashMap<usize, Emphasis>,
    /// Visible blocks still to refine (the budget ran out).
    pub refine_pending: bool,
    pub overlay: Option<Overlay>,
    pub notice: Option<(Level, String)>,
    /// Whether decisions can be recorded (no when looking at the file on disk or read-only).
    pub can_decide: bool,
    /// Quit was pressed with notes not yet recorded: the next quit drops them.
    pub quit_armed: bool,
    /// The text of the note being written.
    pub note_editor: TextArea<'static>,
    /// Who records notes and decisions, and where that name came from.
    pub reviewer: String,
    pub reviewer_origin: String,
    /// The name being typed in the reviewer overlay.
    pub name_editor: TextArea<'static>,
    /// Side by side: the side the cursor is on (notes go on its line).
    pub focus: Focus,
    /// Where the document stands in the review gate.
    pub gate: Gate,
    /// Every decision on the newer revision, oldest first.
    pub decisions: Vec<ReviewDecision>,
    /// Every hunk of the comparison in reading order, folded or not: (section, hunk, the index
    /// of its first changed line).
    pub all_hunks: Vec<(usize, usize, usize)>,
    /// Where each line of the two texts shows, for placing notes (made once per comparison).
    pub line_index: LineIndex,
}

/// Where the parts of the reviewer go on a screen of `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub title: Rect,
    pub outline: Option<Rect>,
    pub diff: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl ReviewModel {
    pub fn new(document: String, older: Side, newer: Side, comparison: Comparison, theme: Theme) -> ReviewModel {
        let mut model = ReviewModel {
            theme,
            document,
            older,
            newer,
            comparison,
            revisions: Vec::new(),
            disk: None,
            review: String::new(),
            layout_choice: None,
            outline_choice: None,
            folds: Vec::new(),
            viewed: Vec::new(),
            notes: Vec::new(),
            rows: Vec::new(),
            size: (80, 24),
            cursor: 0,
            top: 0,
            top_skip: 0,
            emphasis: HashMap::new(),
            refine_pending: false,
            overlay: None,
            notice: None,
            can_decide: false,
            quit_armed: false,
            note_editor: TextArea::default(),
            reviewer: String::new(),
            reviewer_origin: String::new(),
            name_editor: TextArea::default(),
            focus: Focus::Newer,
            gate: Gate::default(),
            decisions: Vec::new(),
            all_hunks: Vec::new(),
            line_index: LineIndex::default(),
        };
        model.reset_comparison();
        model
    }

    /// After a new comparison: everything unchanged folded, changes open, cursor on the first.
    pub fn reset_comparison(&mut self) {
        self.folds = self
            .comparison
            .sections
            .iter()
            .map(|s| if s.is_changed() { Fold::Hunks } else { Fold::Folded })
            .collect();
        self.viewed = vec![false; self.comparison.sections.len()];
        self.emphasis.clear();
        self.notes.retain(ShownNote::pending);
        self.line_index = self.index_lines();
        self.all_hunks = self
            .comparison
            .sections
            .iter()
            .enumerate()
            .flat_map(|(k, s)| {
                s.hunks.iter().enumerate().filter_map(move |(h, range)| {
                    let first = range.clone().find(|&i| s.lines[i].tag != LineTag::Equal)?;
                    Some((k, h, first))
                })
            })
            .collect();
        self.cursor = 0;
        self.top = 0;
        self.top_skip = 0;
        self.relayout();
        if let Some(first) = self.rows.iter().position(|r| match r {
            Row::Header { section } => self.comparison.sections[*section].is_changed(),
            _ => false,
        }) {
            self.cursor = first;
            self.show_from_cursor();
        }
    }

    pub fn panes(&self) -> Panes {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        let title = Rect { height: 1, ..area };
        let footer = Rect {
            y: area.height.saturating_sub(1),
            height: u16::from(area.height >= 2),
            ..area
        };
        let status = Rect {
            y: area.height.saturating_sub(2),
            height: u16::from(area.height >= 3),
            ..area
        };
        let body = Rect {
            y: 1,
            height: area.height.saturating_sub(3),
            ..area
        };
        let show_outline =
            self.outline_choice.unwrap_or(area.width >= OUTLINE_MIN_WIDTH) && area.width >= OUTLINE_WIDTH + 30;
        if show_outline {
            let outline = Rect {
                width: OUTLINE_WIDTH,
                ..body
            };
            let diff = Rect {
                x: OUTLINE_WIDTH,
                width: body.width - OUTLINE_WIDTH,
                ..body
            };
            Panes {
                title,
                outline: Some(outline),
                diff,
                status,
                footer,
            }
        } else {
            Panes {
                title,
                outline: None,
                diff: body,
                status,
                footer,
            }
        }
    }

    pub fn layout(&self) -> Layout {
        self.layout_choice
            .unwrap_or(if self.panes().diff.width >= SIDE_BY_SIDE_MIN_WIDTH {
                Layout::SideBySide
            } else {
                Layout::Unified
            })
    }

    /// Columns for a line's text: the pane less the gutters (one side's, side by side).
    pub fn text_width(&self) -> usize {
        let width = usize::from(self.panes().diff.width);
        match self.layout() {
            Layout::Unified => width.saturating_sub(UNIFIED_GUTTER).max(8),
            Layout::SideBySide => (width.saturating_sub(1) / 2).saturating_sub(SIDE_GUTTER).max(8),
        }
    }

    /// Lays the rows out again (after a fold, a layout switch, a resize or a new note),
    /// keeping the cursor on the same section where it can.
    pub fn relayout(&mut self) {
        let keep = self.rows.get(self.cursor).copied();
        self.rows = build_rows(self);
        if let Some(keep) = keep {
            // The same row, else the row showing the same line in the other layout, else the
            // section's first row.
            let [first, second] = keep.lines();
            let line = second.or(first);
            self.cursor = self
                .rows
                .iter()
                .position(|r| *r == keep)
                .or_else(|| {
                    self.rows
                        .iter()
                        .position(|r| line.is_some() && r.section() == keep.section() && r.lines().contains(&line))
                })
                .or_else(|| self.rows.iter().position(|r| r.section() == keep.section()))
                .unwrap_or(0);
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        self.top = self.top.min(self.cursor);
        self.ensure_visible();
    }

    /// The section under the cursor.
    pub fn current_section(&self) -> usize {
        self.rows.get(self.cursor).map_or(0, |r| r.section())
    }

    /// Screen lines a row takes at the current width.
    pub fn row_height(&self, row: Row) -> usize {
        let width = self.text_width();
        match row {
            Row::Header { .. } | Row::Gap { .. } | Row::Outdated { .. } | Row::NoNewline { .. } => 1,
            Row::Line { section, line } => {
                let l = self.comparison.sections[section].lines[line];
                self.text_height(&l, width)
            }
            Row::Pair { section, old, new } => {
                let lines = &self.comparison.sections[section].lines;
                let h = |k: Option<usize>| k.map_or(1, |k| self.text_height(&lines[k], width));
                h(old).max(h(new))
            }
            Row::Note { note, .. } => self.notes.get(note).map_or(1, |n| {
                let (_, width) = self.note_area(n);
                n.screen_lines(width).len()
            }),
        }
    }

    /// Screen lines a diff line's text takes at `width`, with the label that says why a changed
    /// line has no emphasis (on a line of its own when the last one has no room for it).
    pub fn text_height(&self, line: &DiffLine, width: usize) -> usize {
        let text = self.comparison.text(line);
        let ranges = wrap_ranges(text, width);
        let label = self.label_of(line).filter(|_| self.carries_label(line));
        match (label, ranges.last()) {
            (Some(label), Some(last)) if label_fits(&text[last.clone()], label, width) => ranges.len(),
            (Some(_), _) => ranges.len() + 1,
            (None, _) => ranges.len(),
        }
    }

    /// Why a changed line is not emphasised word by word ("reflowed", "whitespace only"), known
    /// without refining its block.
    pub fn label_of(&self, line: &DiffLine) -> Option<&'static str> {
        line.block().and_then(|id| self.comparison.block_label(id))
    }

    /// Whether `line` shows its block's label: the last removed and the last added line of the
    /// block, so both sides say it.
    pub fn carries_label(&self, line: &DiffLine) -> bool {
        let Some(block) = line.block().and_then(|id| self.comparison.blocks.get(id)) else {
            return false;
        };
        match line.tag {
            LineTag::Delete => line.old().is_some_and(|i| i + 1 == block.old.end),
            LineTag::Insert => line.new().is_some_and(|j| j + 1 == block.new.end),
            LineTag::Equal => false,
        }
    }

    /// Where a note's text goes: its indent and width. Side by side a note sits under the side
    /// it is on.
    pub fn note_area(&self, note: &ShownNote) -> (usize, usize) {
        let pane = usize::from(self.panes().diff.width);
        let half = pane.saturating_sub(1) / 2;
        match (self.layout(), note.place) {
            (Layout::SideBySide, Placement::Old(_)) => (NOTE_INDENT, half.saturating_sub(NOTE_INDENT + 1).max(8)),
            (Layout::SideBySide, Placement::New(_)) => (
                half + 1 + NOTE_INDENT,
                pane.saturating_sub(half + 2 + NOTE_INDENT).max(8),
            ),
            _ => (NOTE_INDENT, pane.saturating_sub(NOTE_INDENT + 1).max(8)),
        }
    }

    fn viewport(&self) -> usize {
        usize::from(self.panes().diff.height.saturating_sub(1)).max(1)
    }

    /// Scrolls so the cursor's row is on screen (its top, if it is taller than the pane).
    pub fn ensure_visible(&mut self) {
        if self.rows.is_empty() {
            self.top = 0;
            self.top_skip = 0;
            return;
        }
        if self.cursor < self.top || (self.cursor == self.top && self.top_skip > 0) {
            self.top = self.cursor;
            self.top_skip = 0;
            return;
        }
        let view = self.viewport();
        let mut used = self.row_height(self.rows[self.cursor]);
        if used >= view {
            self.top = self.cursor;
            self.top_skip = 0;
            return;
        }
        // The lowest top that still shows the cursor's whole row.
        let mut top = self.cursor;
        while top > self.top {
            let h = self.row_height(self.rows[top - 1]);
            if used + h > view {
                break;
            }
            used += h;
            top -= 1;
        }
        if top > self.top {
            self.top = top;
            self.top_skip = 0;
        }
    }

    /// Scrolls so the cursor's row is near the top (two rows above it stay for context), so
    /// what follows it is on screen.
    pub fn show_from_cursor(&mut self) {
        self.top = self.cursor.saturating_sub(2);
        self.top_skip = 0;
        self.ensure_visible();
    }

    /// Whether the cursor's row runs past the bottom of the pane.
    pub fn cursor_row_cut_off(&self) -> bool {
        let view = self.viewport();
        let mut used = 0;
        for (k, row) in self.rows.iter().enumerate().skip(self.top) {
            let h = self.row_height(*row) - if k == self.top { self.top_skip } else { 0 };
            if k == self.cursor {
                return used + h > view;
            }
            used += h;
            if used >= view {
                return true;
            }
        }
        false
    }

    /// Rows on screen, top to bottom.
    pub fn visible_rows(&self) -> std::ops::Range<usize> {
        let view = self.viewport() + 1;
        let mut used = 0;
        let mut end = self.top;
        while end < self.rows.len() && used < view {
            used += self.row_height(self.rows[end]);
            end += 1;
        }
        self.top..end
    }

    /// Refines the visible blocks word by word within the per-screen budget.
    pub fn refine_visible(&mut self) {
        let deadline = Instant::now() + REFINE_BUDGET;
        let mut pending = false;
        let range = self.visible_rows();
        let mut wanted: Vec<usize> = Vec::new();
        for row in &self.rows[range] {
            let section = &self.comparison.sections[row.section()];
            let ids = match *row {
                Row::Line { line, .. } => vec![section.lines[line].block()],
                Row::Pair { old, new, .. } => vec![
                    old.and_then(|k| section.lines[k].block()),
                    new.and_then(|k| section.lines[k].block()),
                ],
                _ => Vec::new(),
            };
            for id in ids.into_iter().flatten() {
                if !wanted.contains(&id) && !self.emphasis.contains_key(&id) {
                    wanted.push(id);
                }
            }
        }
        for id in wanted {
            if Instant::now() >= deadline {
                pending = true;
                break;
            }
            let emphasis = self.comparison.refine(id, Some(deadline));
            if emphasis.kind == crate::core::diff::words::BlockKind::Unrefined && Instant::now() >= deadline {
                // Out of time mid-block: try again on the next frame.
                pending = true;
                break;
            }
            self.emphasis.insert(id, emphasis);
        }
        self.refine_pending = pending;
    }

    /// The emphasised byte ranges of a diff line, if refined.
    pub fn emphasis_of(&self, line: &DiffLine) -> (&[std::ops::Range<usize>], Option<&'static str>) {
        match line.block().and_then(|id| self.emphasis.get(&id)) {
            Some(e) => (self.comparison.line_emphasis(e, line), e.kind.label()),
            None => (&[], None),
        }
    }

    /// The key a section's viewed mark is kept under: its heading path (numbered when the same
    /// path comes again), so the mark finds its section again in the same pair of revisions.
    pub fn section_key(&self, k: usize) -> String {
        let key = |s: &crate::core::diff::compare::SectionDiff| {
            if s.change.level == 0 {
                "(before the first heading)".to_string()
            } else {
                s.path.join(" › ")
            }
        };
        let Some(section) = self.comparison.sections.get(k) else {
            return String::new();
        };
        let own = key(section);
        let before = self.comparison.sections[..k].iter().filter(|s| key(s) == own).count();
        if before == 0 {
            own
        } else {
            format!("{own} #{}", before + 1)
        }
    }

    /// The keys of the sections marked viewed.
    pub fn viewed_keys(&self) -> Vec<String> {
        (0..self.comparison.sections.len())
            .filter(|&k| self.viewed.get(k) == Some(&true))
            .map(|k| self.section_key(k))
            .collect()
    }

    /// Marks viewed the sections named by `keys` (kept from an earlier session) and folds them.
    pub fn apply_viewed(&mut self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        for k in 0..self.comparison.sections.len() {
            if keys.contains(&self.section_key(k)) {
                self.viewed[k] = true;
                self.folds[k] = Fold::Folded;
            }
        }
        self.relayout();
        // The cursor goes to the first changed section still to view.
        let next =
            (0..self.comparison.sections.len()).find(|&k| self.comparison.sections[k].is_changed() && !self.viewed[k]);
        if let Some(row) = next.and_then(|k| self.rows.iter().position(|r| *r == Row::Header { section: k })) {
            self.cursor = row;
            self.show_from_cursor();
        }
    }

    /// Changed sections and how many of them are marked viewed.
    pub fn progress(&self) -> (usize, usize) {
        let changed: Vec<usize> = (0..self.comparison.sections.len())
            .filter(|&k| self.comparison.sections[k].is_changed())
            .collect();
        let viewed = changed.iter().filter(|&&k| self.viewed[k]).count();
        (viewed, changed.len())
    }

    /// The hunk under the cursor (or the section's first when on its heading), as (section,
    /// hunk index).
    pub fn current_hunk(&self) -> Option<(usize, usize)> {
        let row = self.rows.get(self.cursor)?;
        let section = row.section();
        let s = &self.comparison.sections[section];
        let line = match *row {
            Row::Line { line, .. } => Some(line),
            Row::Pair { old, new, .. } => new.or(old),
            _ => None,
        };
        match line {
            Some(line) => s.hunks.iter().position(|h| h.contains(&line)).map(|h| (section, h)),
            None => (!s.hunks.is_empty()).then_some((section, 0)),
        }
    }

    /// Where the cursor is in reading order: its section and the diff line it shows (`None` on
    /// the section's heading row, before its lines). A note or a gap counts as the line above it.
    pub fn cursor_position(&self) -> (usize, Option<usize>) {
        for row in self.rows[..=self.cursor.min(self.rows.len().saturating_sub(1))]
            .iter()
            .rev()
        {
            match *row {
                Row::Line { section, line } => return (section, Some(line)),
                Row::Pair { section, old, new } => return (section, [old, new].into_iter().flatten().min()),
                Row::Header { section } => return (section, None),
                _ => {}
            }
        }
        (0, None)
    }

    /// The hunk counter: how many hunks of the whole comparison start at or before the cursor,
    /// and how many there are, whatever is folded.
    pub fn hunk_counter(&self) -> (usize, usize) {
        let here = self.cursor_position();
        let passed = self
            .all_hunks
            .iter()
            .filter(|(s, _, first)| (*s, Some(*first)) <= here)
            .count();
        (passed, self.all_hunks.len())
    }

    /// The row that shows diff line `line` of `section`, if it is laid out.
    pub fn row_of_line(&self, section: usize, line: usize) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| r.section() == section && r.lines().contains(&Some(line)))
    }

    /// What the revision list offers, top to bottom: the file on disk (if any), then the
    /// revisions newest first. `None` is the file on disk.
    pub fn picker_items(&self) -> Vec<Option<u32>> {
        self.disk
            .iter()
            .map(|_| None)
            .chain(self.revisions.iter().rev().map(|r| Some(r.number)))
            .collect()
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some((level, text.into()));
    }

    /// The diff line under the cursor, for notes, and the side it is on: a removed line is the
    /// older side's, an added or unchanged one the newer side's; side by side, the side the
    /// cursor is on (the other when that one is empty). On a heading row, its heading line.
    pub fn cursor_line(&self) -> Option<(usize, DiffLine, Focus)> {
        let row = self.rows.get(self.cursor)?;
        let s = &self.comparison.sections[row.section()];
        let side_of = |l: &DiffLine| {
            if l.tag == LineTag::Delete {
                Focus::Older
            } else {
                Focus::Newer
            }
        };
        let (k, focus) = match *row {
            Row::Line { line, .. } => (line, side_of(&s.lines[line])),
            Row::Pair { old, new, .. } => match (self.focus, old, new) {
                (Focus::Older, Some(o), _) | (Focus::Newer, Some(o), None) => (o, Focus::Older),
                (_, _, Some(n)) => (n, Focus::Newer),
                (_, None, None) => return None,
            },
            Row::Header { .. } => {
                let first = s.lines.first()?;
                (0, side_of(first))
            }
            _ => return None,
        };
        Some((row.section(), s.lines[k], focus))
    }

    /// The note under the cursor, if the cursor is on one.
    pub fn cursor_note(&self) -> Option<usize> {
        match self.rows.get(self.cursor) {
            Some(Row::Note { note, .. }) => Some(*note),
            _ => None,
        }
    }

    /// Notes, counted: (all, yours not yet recorded, outdated, resolved).
    pub fn note_counts(&self) -> (usize, usize, usize, usize) {
        let count = |f: fn(&ShownNote) -> bool| self.notes.iter().filter(|n| f(n)).count();
        (
            self.notes.len(),
            count(ShownNote::pending),
            count(ShownNote::outdated),
            count(ShownNote::resolved),
        )
    }

    /// How many notes sit in section `k` (shown when it is folded).
    pub fn notes_in(&self, k: usize) -> usize {
        self.notes
            .iter()
            .filter(|n| self.line_index.locate(n.place).is_some_and(|(s, _)| s == k))
            .count()
    }

    /// Where each line of each text shows in the comparison: (section, diff line index).
    fn index_lines(&self) -> LineIndex {
        let mut index = LineIndex {
            old: vec![None; self.comparison.old.len()],
            new: vec![None; self.comparison.new.len()],
        };
        for (k, s) in self.comparison.sections.iter().enumerate() {
            for (at, l) in s.lines.iter().enumerate() {
                let place = u32::try_from(k).ok().zip(u32::try_from(at).ok());
                if let Some(slot) = l.old().and_then(|i| index.old.get_mut(i)) {
                    *slot = place;
                }
                if let Some(slot) = l.new().and_then(|j| index.new.get_mut(j)) {
                    *slot = place;
                }
            }
        }
        index
    }

    /// Takes `recorded` as the recorded notes to show, keeping your notes not yet recorded
    /// (placed again in the texts now compared).
    pub fn set_notes(&mut self, recorded: Vec<ShownNote>) {
        let mut pending: Vec<ShownNote> = self.notes.drain(..).filter(ShownNote::pending).collect();
        for note in &mut pending {
            note.place = crate::core::review::place(
                &note.note,
                self.comparison.old.text(),
                self.older.number,
                self.comparison.new.text(),
                self.newer.number,
            );
        }
        self.notes = recorded;
        self.notes.extend(pending);
    }
}

/// Where each line of the older and the newer text shows: (section, diff line index), as
/// `u32`s (12 bytes a line instead of 24: the index has an entry for every line of both texts).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    old: Vec<Option<(u32, u32)>>,
    new: Vec<Option<(u32, u32)>>,
}

impl LineIndex {
    /// The diff line a note's placement names.
    pub fn locate(&self, place: Placement) -> Option<(usize, usize)> {
        let at = match place {
            Placement::Old(i) => self.old.get(i).copied().flatten(),
            Placement::New(j) => self.new.get(j).copied().flatten(),
            Placement::Outdated => None,
        };
        at.map(|(section, line)| (section as usize, line as usize))
    }
}

/// Unified gutter: cursor mark, two line numbers, the change mark.
pub const UNIFIED_GUTTER: usize = 1 + 5 + 5 + 2;
/// Side-by-side gutter per side: a line number and the change mark.
pub const SIDE_GUTTER: usize = 1 + 5 + 2;
pub const NOTE_INDENT: usize = 8;

/// Whether `label` (as "  (label)") fits after the screen line `last` within `width`.
pub fn label_fits(last: &str, label: &str, width: usize) -> bool {
    crate::core::wrap::width(last) + label.chars().count() + 4 <= width
}

/// The byte ranges of `text`'s screen lines at `width` columns: the one way the program wraps
/// (`core::wrap`), so no line is wider than its column.
pub fn wrap_ranges(text: &str, width: usize) -> Vec<Range<usize>> {
    crate::core::wrap::lines(text, width)
}

/// Joins overlapping or touching ranges of a sorted list.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn build_rows(model: &ReviewModel) -> Vec<Row> {
    let layout = model.layout();
    let mut rows = Vec::new();
    // Notes by the diff line they sit under: (section, line index) → note indices.
    let index = &model.line_index;
    let mut notes_at: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (n, shown) in model.notes.iter().enumerate() {
        if let Some(at) = index.locate(shown.place) {
            notes_at.entry(at).or_default().push(n);
        }
    }
    // Notes whose lines are gone from both sides lead the document: listed, never dropped.
    let outdated: Vec<usize> = (0..model.notes.len()).filter(|&n| model.notes[n].outdated()).collect();
    if !outdated.is_empty() {
        rows.push(Row::Outdated { count: outdated.len() });
        rows.extend(outdated.into_iter().map(|note| Row::Note { section: 0, note }));
    }
    let end_rows = |section: usize, line: usize| -> Option<Row> {
        let l = model.comparison.sections[section].lines[line];
        let (old_open, new_open) = model.comparison.final_newline_missing();
        let last_old = model.comparison.old.len().checked_sub(1);
        let last_new = model.comparison.new.len().checked_sub(1);
        match l.tag {
            LineTag::Delete if old_open && l.old() == last_old => Some(Row::NoNewline {
                section,
                line,
                older: true,
            }),
            LineTag::Insert if new_open && l.new() == last_new => Some(Row::NoNewline {
                section,
                line,
                older: false,
            }),
            _ => None,
        }
    };
    for (k, s) in model.comparison.sections.iter().enumerate() {
        rows.push(Row::Header { section: k });
        let fold = model.folds.get(k).copied().unwrap_or(Fold::Folded);
        if fold == Fold::Folded || s.lines.is_empty() {
            continue;
        }
        let from = s.first_shown();
        // Notes on the heading line itself sit right under the heading row.
        for at in 0..from {
            for &note in notes_at.get(&(k, at)).into_iter().flatten() {
                rows.push(Row::Note { section: k, note });
            }
        }
        let shown: Vec<Range<usize>> = match fold {
            Fold::Full => std::iter::once(from..s.lines.len()).collect(),
            // The hunks, and every line that holds a note, so no note is folded away.
            _ => merge(
                s.hunks
                    .iter()
                    .cloned()
                    .chain(
                        notes_at
                            .keys()
                            .filter(|(section, at)| *section == k && *at >= from)
                            .map(|&(_, at)| at..at + 1),
                    )
                    .map(|h| h.start.max(from)..h.end)
                    .filter(|h| !h.is_empty())
                    .collect(),
            ),
        };
        let mut at = from;
        for range in shown {
            if range.start > at {
                rows.push(Row::Gap {
                    section: k,
                    hidden: range.start - at,
                });
            }
            push_lines(&mut rows, k, &s.lines, range.clone(), layout, &notes_at, &end_rows);
            at = range.end;
        }
        if at < s.lines.len() && fold != Fold::Full {
            rows.push(Row::Gap {
                section: k,
                hidden: s.lines.len() - at,
            });
        }
    }
    rows
}

fn push_lines(
    rows: &mut Vec<Row>,
    section: usize,
    lines: &[DiffLine],
    range: Range<usize>,
    layout: Layout,
    notes_at: &HashMap<(usize, usize), Vec<usize>>,
    end_rows: &dyn Fn(usize, usize) -> Option<Row>,
) {
    let notes = |rows: &mut Vec<Row>, at: usize| {
        for &note in notes_at.get(&(section, at)).into_iter().flatten() {
            rows.push(Row::Note { section, note });
        }
    };
    match layout {
        Layout::Unified => {
            for line in range {
                rows.push(Row::Line { section, line });
                rows.extend(end_rows(section, line));
                notes(rows, line);
            }
        }
        Layout::SideBySide => {
            let mut k = range.start;
            while k < range.end {
                if lines[k].tag == LineTag::Equal {
                    rows.push(Row::Pair {
                        section,
                        old: Some(k),
                        new: Some(k),
                    });
                    notes(rows, k);
                    k += 1;
                    continue;
                }
                // A block: removed lines face added ones, filler where one side runs out.
                let block_end = (k..range.end)
                    .find(|&m| lines[m].tag == LineTag::Equal)
                    .unwrap_or(range.end);
                let deleted: Vec<usize> = (k..block_end).filter(|&m| lines[m].tag == LineTag::Delete).collect();
                let inserted: Vec<usize> = (k..block_end).filter(|&m| lines[m].tag == LineTag::Insert).collect();
                for n in 0..deleted.len().max(inserted.len()) {
                    let (old, new) = (deleted.get(n).copied(), inserted.get(n).copied());
                    rows.push(Row::Pair { section, old, new });
                    for line in [old, new].into_iter().flatten() {
                        rows.extend(end_rows(section, line));
                    }
                    for line in [old, new].into_iter().flatten() {
                        notes(rows, line);
                    }
                }
                k = block_end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(old: &str, new: &str) -> ReviewModel {
        let side = |n| Side {
            number: Some(n),
            label: format!("revision {n}"),
        };
        ReviewModel::new(
            ".specflow/docs/D.md".into(),
            side(1),
            side(2),
            Comparison::new(old, new),
            Theme::monochrome(),
        )
    }

    #[test]
    fn unchanged_sections_fold_to_their_heading_and_changes_open() {
        let old = "# T\nintro\n## A\na1\na2\n## B\nb1\n";
        let new = "# T\nintro\n## A\na1\na2\n## B\nb1 changed\n";
        let m = model(old, new);
        let headers = m.rows.iter().filter(|r| matches!(r, Row::Header { .. })).count();
        assert_eq!(headers, 3);
        assert_eq!(m.rows.len(), 3 + 2, "{:?}", m.rows);
        assert_eq!(m.rows[m.cursor], Row::Header { section: 2 });
        assert_eq!(m.progress(), (0, 1));
    }

    #[test]
    fn side_by_side_faces_removed_with_added_lines_and_fills_the_rest() {
        let old = "x\none\ntwo\ny\n";
        let new = "x\nONE\ny\n";
        let mut m = model(old, new);
        m.layout_choice = Some(Layout::SideBySide);
        m.folds = vec![Fold::Full];
        m.relayout();
        let pairs: Vec<(Option<usize>, Option<usize>)> = m
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Pair { old, new, .. } => Some((*old, *new)),
                _ => None,
            })
            .collect();
        assert_eq!(
            pairs,
            vec![
                (Some(0), Some(0)),
                (Some(1), Some(3)),
                (Some(2), None),
                (Some(4), Some(4))
            ]
        );
    }

    #[test]
    fn the_cursor_stays_on_screen_and_tall_rows_scroll() {
        let long = "word ".repeat(400);
        let old = format!("a\n{long}\nb\n");
        let new = format!("a\n{long} end\nb\n");
        let mut m = model(&old, &new);
        m.size = (80, 24);
        m.folds = vec![Fold::Full];
        m.relayout();
        let tall = m
            .rows
            .iter()
            .position(|r| matches!(r, Row::Line { line: 2, .. }))
            .unwrap();
        assert!(m.row_height(m.rows[tall]) > 20);
        m.cursor = tall;
        m.ensure_visible();
        assert_eq!((m.top, m.top_skip), (tall, 0));
        assert!(m.cursor_row_cut_off());
    }
}
