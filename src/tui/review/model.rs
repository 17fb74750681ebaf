//! The reviewer's state: the comparison, folds, viewed marks, the cursor and scroll, the rows
//! laid out for the current layout, and the word-level emphasis refined so far.
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::core::diff::compare::{Comparison, DiffLine, LineTag};
use crate::core::diff::words::Emphasis;
use crate::core::review::{Anchor, Note};
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
            | Row::Note { section, .. } => section,
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

/// A note on the screen: a recorded one (from a decision) or one being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownNote {
    pub note: Note,
    pub by: String,
    /// Not yet recorded: it goes with the next decision.
    pub pending: bool,
    /// Where it sits: the newer text's 0-based line, if it could be placed.
    pub line: Option<usize>,
}

impl ShownNote {
    /// The note as shown: who wrote it, then the text (sanitised, on one line).
    pub fn shown_text(&self) -> String {
        let who = if self.pending {
            "your note (not recorded yet)".to_string()
        } else {
            format!("note by {}", self.by)
        };
        let lost = if self.line.is_none() {
            let place = self.note.anchor.path.last().map_or("the top", String::as_str);
            format!(" (its line under “{place}” is gone: “{}”)", self.note.anchor.quote)
        } else {
            String::new()
        };
        crate::core::fsio::sanitize(&format!("✎ {who}{lost}: {}", self.note.text)).replace(['\n', '\t'], " ")
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
    /// Writing a note anchored at `anchor` (`at` names the place for the user); the text is
    /// in the model's `note_editor`.
    Note {
        anchor: Anchor,
        at: String,
    },
    Decide {
        approve: bool,
    },
    /// Something to read before going on (e.g. the revision limit of the review gate).
    Alert {
        lines: Vec<String>,
    },
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
    /// The row where each shown hunk starts (its first changed line), in reading order.
    pub hunk_starts: Vec<usize>,
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
            hunk_starts: Vec::new(),
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
        self.notes.retain(|n| n.pending);
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
        self.hunk_starts = self.find_hunk_starts();
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
            Row::Header { .. } | Row::Gap { .. } => 1,
            Row::Line { section, line } => {
                let l = self.comparison.sections[section].lines[line];
                crate::core::wrap::lines(self.comparison.text(&l), width).len()
            }
            Row::Pair { section, old, new } => {
                let lines = &self.comparison.sections[section].lines;
                let h = |k: Option<usize>| {
                    k.map_or(1, |k| {
                        crate::core::wrap::lines(self.comparison.text(&lines[k]), width).len()
                    })
                };
                h(old).max(h(new))
            }
            Row::Note { note, .. } => self.notes.get(note).map_or(1, |n| {
                crate::core::wrap::lines(&n.shown_text(), self.note_width()).len()
            }),
        }
    }

    /// Columns for a note's text, right of its indent.
    pub fn note_width(&self) -> usize {
        usize::from(self.panes().diff.width)
            .saturating_sub(NOTE_INDENT + 1)
            .max(8)
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
                Row::Line { line, .. } => vec![section.lines[line].block],
                Row::Pair { old, new, .. } => vec![
                    old.and_then(|k| section.lines[k].block),
                    new.and_then(|k| section.lines[k].block),
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
        match line.block.and_then(|id| self.emphasis.get(&id)) {
            Some(e) => (self.comparison.line_emphasis(e, line), e.kind.label()),
            None => (&[], None),
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

    /// The hunk under (or after) the cursor, as (section, hunk index).
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

    /// All shown hunks in reading order with the row where each starts.
    fn find_hunk_starts(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut last: Option<(usize, usize)> = None;
        for (k, row) in self.rows.iter().enumerate() {
            let section = row.section();
            let line = match *row {
                Row::Line { line, .. } => Some(line),
                Row::Pair { old, new, .. } => new.or(old),
                _ => None,
            };
            let Some(line) = line else { continue };
            let s = &self.comparison.sections[section];
            let Some(h) = s.hunks.iter().position(|h| h.contains(&line)) else {
                continue;
            };
            // A hunk starts at its first changed line (context above it is skipped).
            if last != Some((section, h)) && s.lines[line].tag != LineTag::Equal {
                out.push(k);
                last = Some((section, h));
            }
        }
        out
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

    /// The diff line under the cursor, for notes: its newer line if it has one.
    pub fn cursor_line(&self) -> Option<(usize, DiffLine)> {
        let row = self.rows.get(self.cursor)?;
        let s = &self.comparison.sections[row.section()];
        let k = match *row {
            Row::Line { line, .. } => Some(line),
            Row::Pair { old, new, .. } => new.or(old),
            Row::Header { .. } => (!s.lines.is_empty()).then_some(0),
            _ => None,
        }?;
        Some((row.section(), s.lines[k]))
    }
}

/// Unified gutter: cursor mark, two line numbers, the change mark.
pub const UNIFIED_GUTTER: usize = 1 + 5 + 5 + 2;
/// Side-by-side gutter per side: a line number and the change mark.
pub const SIDE_GUTTER: usize = 1 + 5 + 2;
pub const NOTE_INDENT: usize = 8;

fn build_rows(model: &ReviewModel) -> Vec<Row> {
    let layout = model.layout();
    let mut rows = Vec::new();
    // Notes by the diff line they sit under: (section, line index) → note indices.
    let mut notes_at: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (n, shown) in model.notes.iter().enumerate() {
        let Some(line) = shown.line else { continue };
        for (k, s) in model.comparison.sections.iter().enumerate() {
            if s.new_lines.as_ref().is_some_and(|r| r.contains(&line))
                && let Some(at) = s.lines.iter().position(|l| l.new == Some(line))
            {
                notes_at.entry((k, at)).or_default().push(n);
            }
        }
    }
    for (k, s) in model.comparison.sections.iter().enumerate() {
        rows.push(Row::Header { section: k });
        if k == 0 {
            // Notes whose place is gone from this revision lead the document, not vanish.
            let lost = model.notes.iter().enumerate().filter(|(_, n)| n.line.is_none());
            rows.extend(lost.map(|(note, _)| Row::Note { section: 0, note }));
        }
        let fold = model.folds.get(k).copied().unwrap_or(Fold::Folded);
        if fold == Fold::Folded || s.lines.is_empty() {
            continue;
        }
        let from = s.first_shown();
        let shown: Vec<std::ops::Range<usize>> = match fold {
            Fold::Full => std::iter::once(from..s.lines.len()).collect(),
            _ => s
                .hunks
                .iter()
                .map(|h| h.start.max(from)..h.end)
                .filter(|h| !h.is_empty())
                .collect(),
        };
        let mut at = from;
        for range in shown {
            if range.start > at {
                rows.push(Row::Gap {
                    section: k,
                    hidden: range.start - at,
                });
            }
            push_lines(&mut rows, k, &s.lines, range.clone(), layout, &notes_at);
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
    range: std::ops::Range<usize>,
    layout: Layout,
    notes_at: &HashMap<(usize, usize), Vec<usize>>,
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
                    let new = inserted.get(n).copied();
                    rows.push(Row::Pair {
                        section,
                        old: deleted.get(n).copied(),
                        new,
                    });
                    if let Some(new) = new {
                        notes(rows, new);
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
