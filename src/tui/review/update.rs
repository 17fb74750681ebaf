//! Reviewer messages → state changes → effects (copy, load revisions, record a decision),
//! pure: the shell runs the effects and answers with messages.
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::model::{Fold, Layout, Level, Overlay, PickStep, ReviewModel, Row, ShownNote, Side};
use crate::core::diff::compare::{Comparison, heading_label};
use crate::core::review::{self, Note, ReviewDecision, Verdict};
use crate::tui::keymap::{self, Action, Context};

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// A new pair of revisions to compare, loaded by the shell (or why it could not be).
    Loaded(Result<Box<Loaded>, String>),
    /// A decision was recorded: what to tell the user, and the gate's limit sentence if reached.
    Recorded(Result<Recorded, String>),
    Copied(Result<String, String>),
}

pub struct Loaded {
    pub older: Side,
    pub newer: Side,
    pub comparison: Comparison,
    pub review: String,
    pub notes: Vec<ShownNote>,
    pub can_decide: bool,
}

pub struct Recorded {
    pub message: String,
    pub limit: Option<String>,
    pub review: String,
    pub notes: Vec<ShownNote>,
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
    Record(ReviewDecision),
}

pub fn context(model: &ReviewModel) -> Context {
    match &model.overlay {
        None => Context::Review,
        Some(Overlay::Help { .. }) => Context::HelpOverlay,
        Some(Overlay::Alert { .. }) => Context::Alert,
        Some(Overlay::Revisions { .. }) => Context::ReviewRevisions,
        Some(Overlay::Note { .. }) => Context::ReviewNote,
        Some(Overlay::Decide { .. }) => Context::ReviewDecide,
    }
}

pub fn update(model: &mut ReviewModel, msg: Msg) -> Vec<Effect> {
    let effects = match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(model, key),
        Msg::Key(_) => Vec::new(),
        Msg::Paste(text) => {
            if let Some(Overlay::Note { .. }) = &model.overlay {
                model.note_editor.insert_str(text.replace(['\r', '\n'], " "));
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
                review,
                notes,
                can_decide,
            } = *loaded;
            model.notify(Level::Info, format!("Comparing {} with {}.", older.label, newer.label));
            model.older = older;
            model.newer = newer;
            model.comparison = comparison;
            model.review = review;
            model.can_decide = can_decide;
            model.notes = notes;
            model.reset_comparison();
            Vec::new()
        }
        Msg::Loaded(Err(e)) | Msg::Recorded(Err(e)) | Msg::Copied(Err(e)) => {
            model.notify(Level::Error, e);
            Vec::new()
        }
        Msg::Recorded(Ok(recorded)) => {
            model.notify(Level::Info, recorded.message);
            model.review = recorded.review;
            model.notes = recorded.notes;
            model.relayout();
            if let Some(limit) = recorded.limit {
                model.overlay = Some(Overlay::Alert { lines: vec![limit] });
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

fn on_key(model: &mut ReviewModel, key: KeyEvent) -> Vec<Effect> {
    let context = context(model);
    let action = keymap::lookup(context, &key);
    if action.is_some() || context != Context::ReviewNote {
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
                Some(Action::Quit) => return vec![Effect::Quit],
                _ => {}
            }
            return Vec::new();
        }
        Some(Overlay::Alert { .. }) => {
            match action {
                Some(Action::Back) => model.overlay = None,
                Some(Action::Quit) => return vec![Effect::Quit],
                _ => {}
            }
            return Vec::new();
        }
        Some(Overlay::Revisions { step, cursor }) => return on_revisions(model, action, step, cursor),
        Some(Overlay::Note { anchor, .. }) => return on_note(model, action, key, anchor),
        Some(Overlay::Decide { approve }) => return on_decide(model, action, approve),
        None => {}
    }
    let Some(action) = action else { return Vec::new() };
    let armed = std::mem::take(&mut model.quit_armed);
    match action {
        Action::Quit => {
            let pending = model.notes.iter().filter(|n| n.pending).count();
            if pending == 0 || armed {
                return vec![Effect::Quit];
            }
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
        }
        Action::Suspend => return vec![Effect::Suspend],
        Action::Help => model.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Down => down(model),
        Action::Up => up(model),
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
        Action::ToggleFold => toggle_fold(model),
        Action::ToggleContext => {
            let k = model.current_section();
            if let Some(fold) = model.folds.get_mut(k) {
                *fold = if *fold == Fold::Full { Fold::Hunks } else { Fold::Full };
            }
            model.relayout();
        }
        Action::MarkViewed => mark_viewed(model),
        Action::SwitchLayout => {
            model.layout_choice = Some(match model.layout() {
                Layout::Unified => Layout::SideBySide,
                Layout::SideBySide => Layout::Unified,
            });
            model.relayout();
            let name = match model.layout() {
                Layout::Unified => "Unified",
                Layout::SideBySide => "Side by side",
            };
            model.notify(Level::Info, format!("{name} layout."));
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
        Action::AddNote => start_note(model),
        Action::Approve | Action::RequestChanges => {
            if let Some(why) = cannot_decide(model) {
                model.notify(Level::Warning, why);
            } else if action == Action::RequestChanges && !model.notes.iter().any(|n| n.pending) {
                model.notify(
                    Level::Info,
                    "A request for changes needs a note: write one on the line it is about.",
                );
                start_note(model);
            } else {
                model.overlay = Some(Overlay::Decide {
                    approve: action == Action::Approve,
                });
            }
        }
        Action::CopyHunk => {
            if let Some((section, hunk)) = model.current_hunk() {
                let text = model.comparison.hunk_text(section, hunk);
                let lines = text.lines().count().saturating_sub(1);
                return vec![Effect::Copy {
                    text,
                    what: format!("the hunk ({lines} line{})", if lines == 1 { "" } else { "s" }),
                }];
            }
            model.notify(Level::Info, "No hunk here to copy.");
        }
        Action::CopySection => {
            let k = model.current_section();
            let text = model.comparison.section_text(k);
            let title = model.comparison.sections.get(k).map(heading_label).unwrap_or_default();
            return vec![Effect::Copy {
                text,
                what: format!("the section \"{title}\""),
            }];
        }
        _ => {}
    }
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

fn to_hunk(model: &mut ReviewModel, forward: bool) {
    let starts = model.hunk_starts.clone();
    let target = if forward {
        starts.iter().copied().find(|&r| r > model.cursor)
    } else {
        starts.iter().rev().copied().find(|&r| r < model.cursor)
    };
    match target {
        Some(row) => {
            jump_to(model, row);
            let n = starts.iter().position(|&r| r == row).map_or(0, |p| p + 1);
            model.notify(Level::Info, format!("Hunk {n} of {}.", starts.len()));
        }
        None if starts.is_empty() => model.notify(Level::Info, "No changes are open: Enter opens a section."),
        None => model.notify(
            Level::Info,
            if forward {
                "That was the last hunk."
            } else {
                "That was the first hunk."
            },
        ),
    }
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

fn mark_viewed(model: &mut ReviewModel) {
    let k = model.current_section();
    let Some(viewed) = model.viewed.get_mut(k) else { return };
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
        Some(Action::Quit) => return vec![Effect::Quit],
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

fn start_note(model: &mut ReviewModel) {
    if let Some(why) = cannot_decide(model) {
        model.notify(Level::Warning, why);
        return;
    }
    let Some((section, line)) = model.cursor_line() else {
        model.notify(
            Level::Info,
            "Move to a line of the newer revision to write a note on it.",
        );
        return;
    };
    let s = &model.comparison.sections[section];
    let Some(new_line) = line
        .new
        // A removed line: the note goes on what replaced it, else on the next line still
        // there, else on the section's heading.
        .or_else(|| {
            let block = model.comparison.blocks.get(line.block?)?;
            (!block.new.is_empty()).then_some(block.new.start)
        })
        .or_else(|| {
            let at = s.lines.iter().position(|l| *l == line)?;
            s.lines[at..].iter().find_map(|l| l.new)
        })
        .or_else(|| s.new_lines.as_ref().map(|r| r.start))
    else {
        model.notify(
            Level::Info,
            "This section is gone from the newer revision: write the note on a line that is still there.",
        );
        return;
    };
    let anchor = review::anchor_at(model.comparison.new.text(), new_line);
    let at = format!(
        "{} · line {}",
        heading_label(&model.comparison.sections[section]),
        new_line + 1
    );
    model.note_editor = crate::tui::editor::text_area("");
    model.overlay = Some(Overlay::Note { anchor, at });
}

fn on_note(model: &mut ReviewModel, action: Option<Action>, key: KeyEvent, anchor: review::Anchor) -> Vec<Effect> {
    match action {
        Some(Action::Back) => {
            model.overlay = None;
            model.notify(Level::Info, "Note dropped.");
        }
        Some(Action::Quit) => return vec![Effect::Quit],
        Some(Action::Suspend) => return vec![Effect::Suspend],
        Some(Action::Confirm) => {
            let text = crate::tui::editor::area_text(&model.note_editor).trim().to_string();
            model.overlay = None;
            if text.is_empty() {
                model.notify(Level::Info, "An empty note is not kept.");
                return Vec::new();
            }
            let line = match review::locate(model.comparison.new.text(), &anchor) {
                review::Located::Exact(l) | review::Located::InSection(l) => Some(l),
                review::Located::Lost => None,
            };
            model.notes.push(ShownNote {
                note: Note { anchor, text },
                by: String::new(),
                pending: true,
                line,
            });
            model.relayout();
            let pending = model.notes.iter().filter(|n| n.pending).count();
            model.notify(
                Level::Info,
                format!("Note kept ({pending} waiting): a records approval, c requests changes; the notes go with it."),
            );
        }
        // Everything else edits the text: arrows, words, undo, as in the interview's fields.
        _ => {
            model.note_editor.input(key);
        }
    }
    Vec::new()
}

fn on_decide(model: &mut ReviewModel, action: Option<Action>, approve: bool) -> Vec<Effect> {
    match action {
        Some(Action::Back) => model.overlay = None,
        Some(Action::Quit) => return vec![Effect::Quit],
        Some(Action::Suspend) => return vec![Effect::Suspend],
        Some(Action::Confirm) => {
            model.overlay = None;
            let Some(revision) = model.newer.number else {
                return Vec::new();
            };
            let notes = model
                .notes
                .iter()
                .filter(|n| n.pending)
                .map(|n| n.note.clone())
                .collect();
            return vec![Effect::Record(ReviewDecision {
                revision,
                verdict: if approve {
                    Verdict::Approved
                } else {
                    Verdict::ChangesRequested
                },
                reviewer: String::new(),
                time: String::new(),
                notes,
            })];
        }
        _ => {}
    }
    Vec::new()
}
