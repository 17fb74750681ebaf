//! Reviewer messages → state changes → effects (copy, load revisions, record a decision or an
//! answer, keep viewed marks), pure: the shell runs the effects and answers with messages.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::model::{
    Focus, Fold, Layout, Level, NoteTarget, Overlay, PickStep, ReviewModel, RevisionEntry, Row, ShownNote, Side,
};
use crate::core::diff::compare::{Comparison, heading_label};
use crate::core::review::{self, Gate, Note, Placement, Reply, ReviewDecision, Verdict};
use crate::tui::keymap::{self, Action, Context};

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// A new pair of revisions to compare, loaded by the shell (or why it could not be).
    Loaded(Result<Box<Loaded>, String>),
    /// A decision was recorded: what to tell the user, and the gate's limit sentence if reached.
    Recorded(Result<Recorded, String>),
    /// An answer to a note (or its resolved mark) was recorded.
    Replied(Result<Box<ReviewView>, String>),
    Copied(Result<String, String>),
    /// The history changed on disk (another reviewer recorded something, a revision was
    /// saved): what is recorded now.
    Refreshed(Box<Refreshed>),
}

/// What is recorded about the revisions compared: the newer one's review state and decisions,
/// the review gate, and the recorded notes placed in the two texts.
#[derive(Debug, Clone, Default)]
pub struct ReviewView {
    pub review: String,
    pub decisions: Vec<ReviewDecision>,
    pub gate: Gate,
    pub notes: Vec<ShownNote>,
}

pub struct Loaded {
    pub older: Side,
    pub newer: Side,
    pub comparison: Comparison,
    pub view: ReviewView,
    pub can_decide: bool,
    /// The sections (by key) this reviewer marked viewed before on this pair of revisions.
    pub viewed: Vec<String>,
}

pub struct Recorded {
    pub message: String,
    pub limit: Option<String>,
    pub view: ReviewView,
}

pub struct Refreshed {
    pub view: ReviewView,
    /// The revision list again, when a revision was saved.
    pub revisions: Option<Vec<RevisionEntry>>,
    pub disk: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Suspend,
    /// Put text on the clipboard (OSC 52); `what` names it for the status line.
    Copy {
        text: String,
        what: String,
    },
    /// Compare these two: a revision number, or `None` for the file on disk.
    Load {
        older: Option<u32>,
        newer: Option<u32>,
    },
    /// Record a decision (stamped with the time by the shell).
    Record(ReviewDecision),
    /// Record an answer to the note recorded on `revision` (stamped with the time).
    Reply {
        revision: u32,
        reply: Reply,
    },
    /// Keep which sections this reviewer has viewed on this pair of revisions.
    SaveViewed {
        older: u32,
        newer: u32,
        reviewer: String,
        sections: Vec<String>,
    },
}

pub fn context(model: &ReviewModel) -> Context {
    match &model.overlay {
        None => Context::Review,
        Some(Overlay::Help { .. } | Overlay::History { .. }) => Context::HelpOverlay,
        Some(Overlay::Alert { .. }) => Context::Alert,
        Some(Overlay::Revisions { .. }) => Context::ReviewRevisions,
        Some(Overlay::Note { .. }) => Context::ReviewNote,
        Some(Overlay::Decide { .. } | Overlay::DeleteNote { .. }) => Context::ReviewDecide,
        Some(Overlay::Reviewer) => Context::ReviewName,
    }
}

pub fn update(model: &mut ReviewModel, msg: Msg) -> Vec<Effect> {
    let effects = match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(model, key),
        Msg::Key(_) => Vec::new(),
        Msg::Paste(text) => {
            match &model.overlay {
                Some(Overlay::Note { .. }) => {
                    model
                        .note_editor
                        .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
                }
                Some(Overlay::Reviewer) => {
                    model.name_editor.insert_str(text.replace(['\r', '\n'], " "));
                }
                _ => {}
            }
            Vec::new()
        }
        Msg::Resize(width, height) => {
            model.size = (width, height);
            model.relayout();
            Vec::new()
        }
        Msg::Loaded(Ok(loaded)) => {
            let Loaded {
                older,
                newer,
                comparison,
                view,
                can_decide,
                viewed,
            } = *loaded;
            model.older = older;
            model.newer = newer;
            model.comparison = comparison;
            model.can_decide = can_decide;
            model.reset_comparison();
            model.apply_viewed(&viewed);
            apply_view(model, view);
            let opening = opening_notice(model);
            model.notify(Level::Info, opening);
            Vec::new()
        }
        Msg::Loaded(Err(e)) | Msg::Recorded(Err(e)) | Msg::Replied(Err(e)) | Msg::Copied(Err(e)) => {
            model.notify(Level::Error, e);
            Vec::new()
        }
        Msg::Recorded(Ok(recorded)) => {
            model.notify(Level::Info, recorded.message);
            // The notes that waited went with the decision: they come back recorded.
            model.notes.retain(|n| !n.pending());
            apply_view(model, recorded.view);
            if let Some(limit) = recorded.limit {
                model.overlay = Some(Overlay::Alert { lines: vec![limit] });
            }
            Vec::new()
        }
        Msg::Replied(Ok(view)) => {
            apply_view(model, *view);
            Vec::new()
        }
        Msg::Refreshed(refreshed) => {
            let told = what_changed(model, &refreshed.view);
            apply_view(model, refreshed.view);
            if let Some(revisions) = refreshed.revisions {
                let added = revisions.len().saturating_sub(model.revisions.len());
                model.revisions = revisions;
                // The list is newest first: the row under the cursor moves down with them.
                if let Some(Overlay::Revisions { cursor, .. }) = &mut model.overlay {
                    let disk_row = usize::from(model.disk.is_some());
                    if *cursor >= disk_row {
                        *cursor += added;
                    }
                }
                if added > 0 {
                    let latest = model.revisions.last().map_or(0, |r| r.number);
                    model.notify(Level::Info, format!("Revision {latest} was just saved: r lists it."));
                }
            }
            model.disk = refreshed.disk;
            if let Some(told) = told {
                model.notify(Level::Info, told);
            }
            Vec::new()
        }
        Msg::Copied(Ok(what)) => {
            model.notify(Level::Info, what);
            Vec::new()
        }
    };
    model.refine_visible();
    effects
}

/// Takes what is recorded into the model, keeping your notes not yet recorded.
fn apply_view(model: &mut ReviewModel, view: ReviewView) {
    model.review = view.review;
    model.decisions = view.decisions;
    model.gate = view.gate;
    model.set_notes(view.notes);
    model.relayout();
}

/// What someone else recorded since the model last looked, in a sentence.
fn what_changed(model: &ReviewModel, view: &ReviewView) -> Option<String> {
    if let Some(d) = view.decisions.get(model.decisions.len()..).and_then(|new| new.last()) {
        return Some(format!(
            "Just recorded: {} on {} ({}).",
            crate::core::fsio::sanitize(&d.describe()),
            model.newer.label,
            view.gate.short()
        ));
    }
    let recorded = |notes: &[ShownNote]| notes.iter().filter(|n| !n.pending()).count();
    let replies = |notes: &[ShownNote]| notes.iter().map(|n| n.replies.len()).sum::<usize>();
    let added = recorded(&view.notes).saturating_sub(recorded(&model.notes));
    if added > 0 {
        return Some(format!(
            "{added} note{} just recorded by another reviewer.",
            if added == 1 { "" } else { "s" }
        ));
    }
    (replies(&view.notes) > replies(&model.notes)).then(|| "A note was just answered.".to_string())
}

/// Said on opening a pair of revisions (the title names them): where the review gate stands.
pub fn opening_notice(model: &ReviewModel) -> String {
    if model.newer.number.is_none() {
        return format!(
            "Comparing {} with the file on disk: decisions go on saved revisions.",
            model.older.label
        );
    }
    model.gate.describe()
}

fn on_key(model: &mut ReviewModel, key: KeyEvent) -> Vec<Effect> {
    let context = context(model);
    let action = keymap::lookup(context, &key);
    if action.is_some() || !matches!(context, Context::ReviewNote | Context::ReviewName) {
        model.notice = None;
    }
    match model.overlay.clone() {
        Some(Overlay::Help { scroll }) => {
            match action {
                Some(Action::Back | Action::Help) => model.overlay = None,
                Some(Action::Up) => {
                    model.overlay = Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    });
                }
                Some(Action::Down) => model.overlay = Some(Overlay::Help { scroll: scroll + 1 }),
                Some(Action::Quit) => return quit(model),
                _ => {}
            }
            return Vec::new();
        }
        Some(Overlay::History { scroll }) => {
            match action {
                Some(Action::Back | Action::Help) => model.overlay = None,
                Some(Action::Up) => {
                    model.overlay = Some(Overlay::History {
                        scroll: scroll.saturating_sub(1),
                    });
                }
                Some(Action::Down) => model.overlay = Some(Overlay::History { scroll: scroll + 1 }),
                Some(Action::Quit) => return quit(model),
                _ if key.code == KeyCode::Char('h') => model.overlay = None,
                _ => {}
            }
            return Vec::new();
        }
        Some(Overlay::Alert { .. }) => {
            match action {
                Some(Action::Back | Action::Confirm) => model.overlay = None,
                Some(Action::Quit) => return quit(model),
                _ => {}
            }
            return Vec::new();
        }
        Some(Overlay::Revisions { step, cursor }) => return on_revisions(model, action, step, cursor),
        Some(Overlay::Note { target, .. }) => return on_note(model, action, key, target),
        Some(Overlay::Decide { approve, warnings }) => return on_decide(model, action, approve, &warnings),
        Some(Overlay::DeleteNote { index }) => {
            match action {
                Some(Action::Confirm | Action::Yes) => {
                    model.overlay = None;
                    if model.notes.get(index).is_some_and(ShownNote::pending) {
                        model.notes.remove(index);
                        model.relayout();
                        model.notify(Level::Info, "Note deleted.");
                    }
                }
                Some(Action::Back) => model.overlay = None,
                Some(Action::Quit) => return quit(model),
                Some(Action::Suspend) => return vec![Effect::Suspend],
                _ => {}
            }
            return Vec::new();
        }
        Some(Overlay::Reviewer) => return on_reviewer(model, action, key),
        None => {}
    }
    let Some(action) = action else { return Vec::new() };
    let armed = std::mem::take(&mut model.quit_armed);
    match action {
        Action::Quit => {
            model.quit_armed = armed;
            return quit(model);
        }
        Action::Back => model.notify(Level::Info, "Nothing to close: q quits."),
        Action::Suspend => return vec![Effect::Suspend],
        Action::Help => model.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Down => down(model),
        Action::Up => up(model),
        Action::Left | Action::Right => choose_side(model, action == Action::Left),
        Action::PageDown => {
            for _ in 0..page(model) {
                down(model);
            }
        }
        Action::PageUp => {
            for _ in 0..page(model) {
                up(model);
            }
        }
        Action::Top => go_to(model, 0),
        Action::Bottom => go_to(model, model.rows.len().saturating_sub(1)),
        Action::NextHunk | Action::PreviousHunk => to_hunk(model, action == Action::NextHunk),
        Action::NextSection | Action::PreviousSection => {
            to_changed_section(model, action == Action::NextSection);
        }
        Action::NextNote | Action::PreviousNote => to_note(model, action == Action::NextNote),
        Action::ToggleFold => {
            if let Some(index) = model.cursor_note() {
                return on_note_row(model, index);
            }
            toggle_fold(model);
        }
        Action::ToggleContext => {
            let k = model.current_section();
            if let Some(fold) = model.folds.get_mut(k) {
                *fold = if *fold == Fold::Full { Fold::Hunks } else { Fold::Full };
            }
            model.relayout();
        }
        Action::MarkViewed => return mark_viewed(model),
        Action::SwitchLayout => {
            model.layout_choice = Some(match model.layout() {
                Layout::Unified => Layout::SideBySide,
                Layout::SideBySide => Layout::Unified,
            });
            model.relayout();
            let name = match model.layout() {
                Layout::Unified => "Unified layout.",
                Layout::SideBySide => "Side by side: ← and → choose the side a note goes on.",
            };
            model.notify(Level::Info, name);
        }
        Action::ToggleOutline => {
            model.outline_choice = Some(model.panes().outline.is_none());
            model.relayout();
        }
        Action::PickRevisions => {
            if model.revisions.is_empty() {
                model.notify(Level::Warning, "There are no saved revisions to choose from.");
            } else {
                let cursor = position_of(model, model.older.number);
                model.overlay = Some(Overlay::Revisions {
                    step: PickStep::Older,
                    cursor,
                });
            }
        }
        Action::AddNote => {
            if let Some(index) = model.cursor_note() {
                return on_note_row(model, index);
            }
            start_note(model);
        }
        Action::EditNote => match model.cursor_note() {
            Some(index) if model.notes[index].pending() => edit_note(model, index),
            Some(_) => model.notify(
                Level::Info,
                "A recorded note stays as it was: m answers it, R marks it resolved.",
            ),
            None => model.notify(
                Level::Info,
                "Move to one of your notes to edit it (' goes to the next note).",
            ),
        },
        Action::DeleteNote => match model.cursor_note() {
            Some(index) if model.notes[index].pending() => model.overlay = Some(Overlay::DeleteNote { index }),
            Some(_) => model.notify(
                Level::Info,
                "A recorded note stays in the history: R marks it resolved.",
            ),
            None => model.notify(Level::Info, "Move to one of your notes to delete it."),
        },
        Action::ResolveNote => return resolve(model),
        Action::SetReviewer => {
            model.name_editor = crate::tui::editor::text_area(&model.reviewer);
            model.overlay = Some(Overlay::Reviewer);
        }
        Action::ReviewHistory => model.overlay = Some(Overlay::History { scroll: 0 }),
        Action::Approve | Action::RequestChanges => decide(model, action == Action::Approve),
        Action::CopyHunk => {
            if let Some((section, hunk)) = model.current_hunk() {
                let text = model.comparison.hunk_text(section, hunk);
                let lines = text.lines().count();
                let title = model
                    .comparison
                    .sections
                    .get(section)
                    .map(heading_label)
                    .unwrap_or_default();
                return vec![Effect::Copy {
                    text,
                    what: format!(
                        "the hunk's {lines} line{} under \"{title}\"",
                        if lines == 1 { "" } else { "s" }
                    ),
                }];
            }
            model.notify(Level::Info, "No hunk here to copy.");
        }
        Action::CopySection => {
            let k = model.current_section();
            let text = model.comparison.section_text(k);
            let lines = text.lines().count();
            let title = model.comparison.sections.get(k).map(heading_label).unwrap_or_default();
            return vec![Effect::Copy {
                text,
                what: format!(
                    "the section \"{title}\" ({lines} line{})",
                    if lines == 1 { "" } else { "s" }
                ),
            }];
        }
        _ => {}
    }
    Vec::new()
}

/// Quits, unless notes are waiting: then the first press says so and the second quits.
fn quit(model: &mut ReviewModel) -> Vec<Effect> {
    let armed = std::mem::take(&mut model.quit_armed);
    let pending = model.notes.iter().filter(|n| n.pending()).count();
    if pending == 0 || armed {
        return vec![Effect::Quit];
    }
    model.overlay = None;
    model.quit_armed = true;
    model.notify(
        Level::Warning,
        format!(
            "{pending} note{} not recorded yet: c or a records {}; press {} again to quit without.",
            if pending == 1 { " is" } else { "s are" },
            if pending == 1 { "it" } else { "them" },
            keymap::key_label(Context::Review, Action::Quit)
        ),
    );
    Vec::new()
}

fn page(model: &ReviewModel) -> usize {
    let range = model.visible_rows();
    range.len().saturating_sub(1).max(1)
}

fn down(model: &mut ReviewModel) {
    if model.cursor_row_cut_off() && model.row_height(model.rows[model.cursor]) > 1 && model.cursor == model.top {
        // A row taller than the pane scrolls line by line.
        let h = model.row_height(model.rows[model.cursor]);
        if model.top_skip + 1 < h {
            model.top_skip += 1;
            return;
        }
    }
    if model.cursor + 1 < model.rows.len() {
        model.cursor += 1;
        model.ensure_visible();
    }
}

fn up(model: &mut ReviewModel) {
    if model.cursor == model.top && model.top_skip > 0 {
        model.top_skip -= 1;
        return;
    }
    if model.cursor > 0 {
        model.cursor -= 1;
        model.ensure_visible();
    }
}

fn go_to(model: &mut ReviewModel, row: usize) {
    model.cursor = row.min(model.rows.len().saturating_sub(1));
    model.ensure_visible();
}

/// Jumps to `row` and shows what follows it: a hunk or a section is read from its top.
fn jump_to(model: &mut ReviewModel, row: usize) {
    go_to(model, row);
    model.show_from_cursor();
}

fn choose_side(model: &mut ReviewModel, older: bool) {
    if model.layout() != Layout::SideBySide {
        model.notify(
            Level::Info,
            "← and → choose a side in the side-by-side layout (s); here a removed line is the older side's.",
        );
        return;
    }
    model.focus = if older { Focus::Older } else { Focus::Newer };
    let name = if older {
        model.older.label.clone()
    } else {
        model.newer.label.clone()
    };
    model.notify(
        Level::Info,
        format!(
            "On the {} side ({name}): m writes a note there.",
            if older { "older" } else { "newer" }
        ),
    );
}

/// To the next (or previous) hunk of the whole comparison, opening its section if it is folded.
fn to_hunk(model: &mut ReviewModel, forward: bool) {
    let here = model.cursor_position();
    let total = model.all_hunks.len();
    let target = if forward {
        model
            .all_hunks
            .iter()
            .position(|(s, _, first)| (*s, Some(*first)) > here)
    } else {
        model
            .all_hunks
            .iter()
            .rposition(|(s, _, first)| (*s, Some(*first)) < here)
    };
    let Some(n) = target else {
        model.notify(
            Level::Info,
            match (total, forward) {
                (0, _) => "There are no changes to step through.",
                (_, true) => "That was the last hunk.",
                (_, false) => "That was the first hunk.",
            },
        );
        return;
    };
    let (section, _, first) = model.all_hunks[n];
    if model.folds.get(section) == Some(&Fold::Folded) {
        model.folds[section] = Fold::Hunks;
        model.relayout();
    }
    if let Some(row) = model.row_of_line(section, first) {
        jump_to(model, row);
    }
    model.notify(Level::Info, format!("Hunk {} of {total}.", n + 1));
}

fn to_changed_section(model: &mut ReviewModel, forward: bool) {
    let here = model.current_section();
    let changed = |k: &usize| model.comparison.sections[*k].is_changed();
    let n = model.comparison.sections.len();
    let target = if forward {
        (here + 1..n).find(changed)
    } else {
        (0..here).rev().find(changed)
    };
    match target {
        Some(k) => {
            if let Some(row) = model.rows.iter().position(|r| *r == Row::Header { section: k }) {
                jump_to(model, row);
            }
        }
        None => model.notify(
            Level::Info,
            if forward {
                "No changed section below."
            } else {
                "No changed section above."
            },
        ),
    }
}

/// To the next (or previous) note in reading order, opening a folded section that holds one;
/// past the last it starts again from the first, so every note can be reached.
fn to_note(model: &mut ReviewModel, forward: bool) {
    // Each note row, and each folded section holding notes (at its heading row).
    let targets: Vec<(usize, Option<usize>)> = model
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match *r {
            Row::Note { .. } => Some((i, None)),
            Row::Header { section } if model.folds[section] == Fold::Folded && model.notes_in(section) > 0 => {
                Some((i, Some(section)))
            }
            _ => None,
        })
        .collect();
    if targets.is_empty() {
        model.notify(Level::Info, "There are no notes: m writes one.");
        return;
    }
    let here = model.cursor;
    let (target, wrapped) = if forward {
        match targets.iter().find(|(i, _)| *i > here) {
            Some(t) => (*t, false),
            None => (targets[0], true),
        }
    } else {
        match targets.iter().rev().find(|(i, _)| *i < here) {
            Some(t) => (*t, false),
            None => (targets[targets.len() - 1], true),
        }
    };
    let row = match target {
        (row, None) => Some(row),
        (_, Some(k)) => {
            model.folds[k] = Fold::Hunks;
            model.relayout();
            let mut rows = model
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.section() == k && matches!(r, Row::Note { .. }))
                .map(|(i, _)| i);
            if forward { rows.next() } else { rows.next_back() }
        }
    };
    let Some(row) = row else { return };
    go_to(model, row);
    let (total, ..) = model.note_counts();
    let again = if wrapped {
        if forward {
            " (from the top)"
        } else {
            " (from the bottom)"
        }
    } else {
        ""
    };
    model.notify(
        Level::Info,
        format!(
            "Note {} of {total}{again}: m answers, R resolves; your own: e edits, d deletes.",
            note_ordinal(model, row)
        ),
    );
}

fn note_ordinal(model: &ReviewModel, row: usize) -> usize {
    model.rows[..=row]
        .iter()
        .filter(|r| matches!(r, Row::Note { .. }))
        .count()
}

fn toggle_fold(model: &mut ReviewModel) {
    let k = model.current_section();
    let changed = model
        .comparison
        .sections
        .get(k)
        .is_some_and(crate::core::diff::compare::SectionDiff::is_changed);
    if let Some(fold) = model.folds.get_mut(k) {
        *fold = match (*fold, changed) {
            (Fold::Folded, true) => Fold::Hunks,
            (Fold::Folded, false) => Fold::Full,
            _ => Fold::Folded,
        };
    }
    if let Some(row) = model.rows.get(model.cursor).copied()
        && matches!(row, Row::Gap { .. })
        && let Some(fold) = model.folds.get_mut(k)
    {
        // Enter on folded lines shows them.
        *fold = Fold::Full;
    }
    model.relayout();
    if let Some(row) = model.rows.iter().position(|r| *r == Row::Header { section: k }) {
        model.cursor = row;
        if model.folds.get(k).is_some_and(|f| *f != Fold::Folded) {
            model.show_from_cursor();
        } else {
            model.ensure_visible();
        }
    }
}

fn mark_viewed(model: &mut ReviewModel) -> Vec<Effect> {
    let k = model.current_section();
    let Some(viewed) = model.viewed.get_mut(k) else {
        return Vec::new();
    };
    *viewed = !*viewed;
    if *viewed {
        model.folds[k] = Fold::Folded;
        model.relayout();
        let (done, total) = model.progress();
        model.notify(Level::Info, format!("{done} of {total} changed sections viewed."));
        // On to the next changed section not yet viewed.
        let next = (k + 1..model.comparison.sections.len())
            .find(|&m| model.comparison.sections[m].is_changed() && !model.viewed[m]);
        let row = next
            .or(Some(k))
            .and_then(|m| model.rows.iter().position(|r| *r == Row::Header { section: m }));
        if let Some(row) = row {
            jump_to(model, row);
        }
    } else {
        model.folds[k] = if model.comparison.sections[k].is_changed() {
            Fold::Hunks
        } else {
            Fold::Full
        };
        model.relayout();
    }
    match (model.older.number, model.newer.number) {
        (Some(older), Some(newer)) => vec![Effect::SaveViewed {
            older,
            newer,
            reviewer: model.reviewer.clone(),
            sections: model.viewed_keys(),
        }],
        // The file on disk can change under the marks: they are not kept.
        _ => Vec::new(),
    }
}

fn position_of(model: &ReviewModel, number: Option<u32>) -> usize {
    model.picker_items().iter().position(|n| *n == number).unwrap_or(0)
}

fn on_revisions(model: &mut ReviewModel, action: Option<Action>, step: PickStep, cursor: usize) -> Vec<Effect> {
    let items = model.picker_items();
    let count = items.len();
    match action {
        Some(Action::Up) => {
            model.overlay = Some(Overlay::Revisions {
                step,
                cursor: cursor.saturating_sub(1),
            });
        }
        Some(Action::Down) => {
            model.overlay = Some(Overlay::Revisions {
                step,
                cursor: (cursor + 1).min(count.saturating_sub(1)),
            });
        }
        Some(Action::Back) => model.overlay = None,
        Some(Action::Quit) => return quit(model),
        Some(Action::Suspend) => return vec![Effect::Suspend],
        Some(Action::Confirm) => {
            let Some(&chosen) = items.get(cursor) else {
                return Vec::new();
            };
            match step {
                PickStep::Older => {
                    let next = position_of(model, model.newer.number);
                    model.overlay = Some(Overlay::Revisions {
                        step: PickStep::Newer { older: chosen },
                        cursor: next,
                    });
                }
                PickStep::Newer { older } => {
                    model.overlay = None;
                    return vec![Effect::Load { older, newer: chosen }];
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

fn cannot_decide(model: &ReviewModel) -> Option<String> {
    if model.can_decide {
        None
    } else if model.newer.number.is_none() {
        Some("Decisions are recorded on a saved revision, not on the file on disk.".into())
    } else {
        Some("Read-only: decisions cannot be recorded here.".into())
    }
}

/// Opens the note editor on the line under the cursor, on the side it belongs to: a removed
/// line's note is on the older revision's text.
fn start_note(model: &mut ReviewModel) {
    if let Some(why) = cannot_decide(model) {
        model.notify(Level::Warning, why);
        return;
    }
    let Some((section, line, focus)) = model.cursor_line() else {
        model.notify(Level::Info, "Move to a line to write a note on it.");
        return;
    };
    let (number, text, at, side) = match focus {
        Focus::Older => (
            model.older.number,
            model.comparison.old.text(),
            line.old(),
            model.older.label.clone(),
        ),
        Focus::Newer => (
            model.newer.number,
            model.comparison.new.text(),
            line.new(),
            model.newer.label.clone(),
        ),
    };
    let (Some(on), Some(at)) = (number, at) else {
        model.notify(
            Level::Info,
            "The older side is the file on disk, which is not kept: write the note on the newer side.",
        );
        return;
    };
    let anchor = review::anchor_at(text, at);
    let place = match focus {
        Focus::Older => Placement::Old(at),
        Focus::Newer => Placement::New(at),
    };
    let where_ = format!(
        "{side} · {} · line {}",
        heading_label(&model.comparison.sections[section]),
        at + 1
    );
    let quote = if anchor.quote.is_empty() {
        "(a blank line)".to_string()
    } else {
        format!("“{}”", anchor.quote)
    };
    model.note_editor = crate::tui::editor::text_area("");
    model.overlay = Some(Overlay::Note {
        target: NoteTarget::New { anchor, on, place },
        at: where_,
        quote,
    });
}

fn edit_note(model: &mut ReviewModel, index: usize) {
    let Some(shown) = model.notes.get(index) else { return };
    model.note_editor = crate::tui::editor::text_area(&shown.note.text);
    let quote = if shown.note.anchor.quote.is_empty() {
        "(a blank line)".to_string()
    } else {
        format!("“{}”", shown.note.anchor.quote)
    };
    model.overlay = Some(Overlay::Note {
        target: NoteTarget::Edit { index },
        at: format!("your note on revision {}", shown.note.on.unwrap_or_default()),
        quote,
    });
}

/// Enter or m on a note: yours is edited, a recorded one answered.
fn on_note_row(model: &mut ReviewModel, index: usize) -> Vec<Effect> {
    let Some(shown) = model.notes.get(index) else {
        return Vec::new();
    };
    if shown.pending() {
        edit_note(model, index);
        return Vec::new();
    }
    let at = format!(
        "answering {}'s note on revision {}",
        shown.note.author,
        shown.recorded.as_ref().map_or(0, |r| r.revision)
    );
    let quote = shown.note.text.lines().next().unwrap_or_default().to_string();
    model.note_editor = crate::tui::editor::text_area("");
    model.overlay = Some(Overlay::Note {
        target: NoteTarget::Reply { index },
        at,
        quote: format!("“{quote}”"),
    });
    Vec::new()
}

fn resolve(model: &mut ReviewModel) -> Vec<Effect> {
    let Some(index) = model.cursor_note() else {
        model.notify(
            Level::Info,
            "Move to a recorded note to mark it resolved (' goes to the next note).",
        );
        return Vec::new();
    };
    let shown = &model.notes[index];
    let Some(at) = &shown.recorded else {
        model.notify(
            Level::Info,
            "Your note is not recorded yet: d deletes it, or it goes with your decision.",
        );
        return Vec::new();
    };
    let resolved = !shown.resolved();
    vec![Effect::Reply {
        revision: at.revision,
        reply: Reply {
            note: shown.note.id.clone(),
            reviewer: model.reviewer.clone(),
            time: String::new(),
            text: String::new(),
            resolved: Some(resolved),
        },
    }]
}

fn on_note(model: &mut ReviewModel, action: Option<Action>, key: KeyEvent, target: NoteTarget) -> Vec<Effect> {
    match action {
        // Esc closes and keeps what is written, as Ctrl-S does: a note is never dropped by a key
        // meant to close something.
        Some(Action::Confirm | Action::Back) => {
            let text = crate::tui::editor::area_text(&model.note_editor).trim().to_string();
            model.overlay = None;
            return keep_note(model, target, text);
        }
        Some(Action::Quit) => {
            // Ctrl-Q from the editor: keep the text first, then quit as q would.
            let text = crate::tui::editor::area_text(&model.note_editor).trim().to_string();
            model.overlay = None;
            let effects = keep_note(model, target, text);
            if !effects.is_empty() {
                return effects;
            }
            return quit(model);
        }
        Some(Action::Suspend) => return vec![Effect::Suspend],
        // Everything else edits the text: Enter starts a new line; arrows, words, undo as in the
        // interview's fields.
        _ => {
            model.note_editor.input(key);
        }
    }
    Vec::new()
}

fn keep_note(model: &mut ReviewModel, target: NoteTarget, text: String) -> Vec<Effect> {
    match target {
        NoteTarget::New { anchor, on, place } => {
            if text.is_empty() {
                model.notify(Level::Info, "Nothing was written: no note.");
                return Vec::new();
            }
            model.notes.push(ShownNote {
                note: Note {
                    id: String::new(),
                    anchor,
                    on: Some(on),
                    author: model.reviewer.clone(),
                    text,
                },
                recorded: None,
                replies: Vec::new(),
                place,
            });
            model.relayout();
            let pending = model.notes.iter().filter(|n| n.pending()).count();
            model.notify(
                Level::Info,
                format!("Note kept ({pending} waiting): a approves, c requests changes; the notes go with it."),
            );
        }
        NoteTarget::Edit { index } => {
            if text.is_empty() {
                model.notify(
                    Level::Info,
                    "An empty note is not kept: the note is as it was (d deletes it).",
                );
                return Vec::new();
            }
            if let Some(shown) = model.notes.get_mut(index) {
                shown.note.text = text;
            }
            model.relayout();
            model.notify(Level::Info, "Note changed.");
        }
        NoteTarget::Reply { index } => {
            if text.is_empty() {
                model.notify(Level::Info, "Nothing was written: no answer.");
                return Vec::new();
            }
            let Some(shown) = model.notes.get(index) else {
                return Vec::new();
            };
            let Some(at) = &shown.recorded else {
                return Vec::new();
            };
            return vec![Effect::Reply {
                revision: at.revision,
                reply: Reply {
                    note: shown.note.id.clone(),
                    reviewer: model.reviewer.clone(),
                    time: String::new(),
                    text,
                    resolved: None,
                },
            }];
        }
    }
    Vec::new()
}

fn on_reviewer(model: &mut ReviewModel, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    match action {
        Some(Action::Confirm) => {
            let name = crate::tui::editor::area_text(&model.name_editor).trim().to_string();
            model.overlay = None;
            if name.is_empty() {
                model.notify(
                    Level::Warning,
                    format!("A reviewer needs a name: still {}.", model.reviewer),
                );
            } else if name != model.reviewer {
                model.reviewer = name;
                model.reviewer_origin = "from what was typed here".into();
                model.notify(
                    Level::Info,
                    format!(
                        "Reviewing as {}: notes and decisions from now on carry this name.",
                        model.reviewer
                    ),
                );
            }
        }
        Some(Action::Back) => model.overlay = None,
        Some(Action::Quit) => return quit(model),
        Some(Action::Suspend) => return vec![Effect::Suspend],
        _ if key.code == KeyCode::Enter => {}
        _ => {
            model.name_editor.input(key);
        }
    }
    Vec::new()
}

/// `text` with its first letter in capitals ("revision 2" → "Revision 2").
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether `a` and `b` name the same person (case and surrounding spaces aside).
pub fn same_person(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Opens the confirmation of a decision, saying first what to know about it.
fn decide(model: &mut ReviewModel, approve: bool) {
    if let Some(why) = cannot_decide(model) {
        model.notify(Level::Warning, why);
        return;
    }
    if !approve && !model.notes.iter().any(ShownNote::pending) {
        model.notify(
            Level::Info,
            "A request for changes needs a note: write one on the line it is about.",
        );
        start_note(model);
        return;
    }
    let mut warnings = Vec::new();
    if approve {
        let author = model
            .newer
            .number
            .and_then(|n| model.revisions.iter().find(|r| r.number == n))
            .map(|r| r.author.clone());
        if let Some(author) = author
            && same_person(&author, &model.reviewer)
        {
            warnings.push(format!(
                "{} was saved by {author}, the name you review under: this approves your own revision.",
                capitalised(&model.newer.label)
            ));
        }
        let (viewed, total) = model.progress();
        if viewed < total {
            let missing: Vec<String> = (0..model.comparison.sections.len())
                .filter(|&k| model.comparison.sections[k].is_changed() && !model.viewed[k])
                .map(|k| heading_label(&model.comparison.sections[k]))
                .collect();
            let named = missing.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            let more = missing.len().saturating_sub(3);
            warnings.push(format!(
                "{} of {total} changed section{} not marked viewed: {named}{}.",
                total - viewed,
                if total == 1 { " is" } else { "s are" },
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    } else if model.gate.next_request() == Verdict::Escalated {
        warnings.push(model.gate.before_request());
    }
    model.overlay = Some(Overlay::Decide { approve, warnings });
}

fn on_decide(model: &mut ReviewModel, action: Option<Action>, approve: bool, warnings: &[String]) -> Vec<Effect> {
    match action {
        Some(Action::Back) => model.overlay = None,
        Some(Action::Quit) => return quit(model),
        Some(Action::Suspend) => return vec![Effect::Suspend],
        Some(Action::Confirm) if !warnings.is_empty() => {
            model.notify(
                Level::Warning,
                "Read what it says first: y records it even so, Esc cancels.",
            );
        }
        Some(Action::Confirm | Action::Yes) => {
            model.overlay = None;
            let Some(revision) = model.newer.number else {
                return Vec::new();
            };
            let notes = model
                .notes
                .iter()
                .filter(|n| n.pending())
                .map(|n| n.note.clone())
                .collect();
            return vec![Effect::Record(ReviewDecision {
                revision,
                // Past the gate's limit the history records it as an escalation.
                verdict: if approve {
                    Verdict::Approved
                } else {
                    Verdict::ChangesRequested
                },
                reviewer: model.reviewer.clone(),
                time: String::new(),
                notes,
            })];
        }
        _ => {}
    }
    Vec::new()
}
