//! Messages in, state changes and effects out. Pure: the shell runs the effects (writing the
//! session, saving, the external editor, suspending) and reports back with messages.
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use std::time::{Duration, Instant};

mod editing;
mod navigation;
mod saving;

use crate::core::session::AnswersFile;
use crate::tui::editor::{Editor, answer_text, area_text};
use crate::tui::keymap::{self, Action};
use crate::tui::model::{Level, Model, Overlay, PickerKind, RightPane};
use crate::tui::picker::{KEPT, picker_items, toml_text};
use crate::tui::save::{DocumentOnDisk, KeptEdit, SavedDocument};

use editing::{on_edited, on_editor_action, on_unbound, paste};
pub use navigation::{commit, focus_on};
use navigation::{move_by, move_section};
use saving::{on_kept, on_save_plan, on_saved};

/// Idle typing is written to the session after this long.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(800);

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// Time passes (for the idle autosave, and notices that have been read).
    Tick(Instant),
    /// The terminal has this many columns and rows.
    Resize(u16, u16),
    /// The session file was written (at this time) or could not be.
    SessionWritten(Result<String, String>),
    /// What the shell found on disk for Ctrl-S: latest revisions, disk states, disk texts.
    SavePlan(Result<Vec<DocumentOnDisk>, String>),
    /// Saving the documents finished.
    Saved(Result<Vec<SavedDocument>, SaveProblem>),
    /// Hand edits were kept as revisions (or could not be).
    Kept(Result<Vec<KeptEdit>, String>),
    /// The external editor returned this text for question `id`.
    Edited {
        id: String,
        result: Result<String, String>,
    },
    /// The repository scan and earlier documents proposed answers.
    Proposals(crate::core::scan::Suggestions),
}

/// Why a save did not happen (shared with the plain interview).
pub use crate::core::saving::SaveProblem;

#[derive(Debug, PartialEq)]
pub enum Effect {
    WriteSession(Box<AnswersFile>),
    /// Read what saving needs from disk and answer with `Msg::SavePlan`.
    PrepareSave,
    /// Save every document; with `overwrite`, a hand edit is recorded first, then replaced.
    SaveDocuments {
        overwrite: bool,
    },
    /// Record each hand-edited document as it is on disk as a new revision; write nothing else.
    KeepHandEdits,
    EditExternally {
        id: String,
        text: String,
    },
    Suspend,
    Quit,
}

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(model, key),
        Msg::Key(_) => Vec::new(),
        Msg::Paste(_) if model.too_small() => {
            model.notify(
                Level::Warning,
                "The window is too small: the paste was ignored. Enlarge it, or Ctrl-Q quits.",
            );
            Vec::new()
        }
        Msg::Paste(text) if crate::tui::proposals::paste(model, &text) => Vec::new(),
        Msg::Paste(text) => {
            paste(model, &text);
            typed(model, Instant::now());
            Vec::new()
        }
        Msg::Resize(width, height) => {
            model.size = Some((width, height));
            Vec::new()
        }
        Msg::Tick(now) => {
            if model
                .notice
                .as_ref()
                .is_some_and(|n| now.saturating_duration_since(n.since) >= n.lasts())
            {
                model.notice = None;
            }
            autosave(model, now)
        }
        Msg::SessionWritten(Ok(when)) => {
            model.session_written = Some(when);
            Vec::new()
        }
        Msg::SessionWritten(Err(e)) => {
            model.notify(Level::Error, format!("The session could not be written: {e}"));
            Vec::new()
        }
        Msg::SavePlan(found) => {
            on_save_plan(model, found);
            Vec::new()
        }
        Msg::Saved(result) => {
            on_saved(model, result);
            Vec::new()
        }
        Msg::Kept(result) => {
            on_kept(model, result);
            Vec::new()
        }
        Msg::Edited { id, result } => on_edited(model, &id, result),
        Msg::Proposals(found) => {
            crate::tui::proposals::receive(model, found);
            Vec::new()
        }
    }
}

/// Idle typing is written to the session once the keys have stopped for a while.
fn autosave(model: &mut Model, now: Instant) -> Vec<Effect> {
    match model.unsaved_typing {
        Some(since) if now.duration_since(since) >= AUTOSAVE_AFTER => {
            model.unsaved_typing = None;
            vec![write_session(model)]
        }
        _ => Vec::new(),
    }
}

pub(super) fn write_session(model: &Model) -> Effect {
    Effect::WriteSession(Box::new(model.session_file()))
}

pub(super) fn typed(model: &mut Model, now: Instant) {
    model.unsaved_typing = Some(now);
    // What is typed is what the preview shows.
    model.preview_scroll = None;
    model.recompute();
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if !model.too_small()
        && let Some(effects) = crate::tui::proposals::on_quick_key(model, &key)
    {
        return effects;
    }
    let context = model.context();
    let action = keymap::lookup(context, &key);
    if model.too_small() && !matches!(action, Some(Action::Quit | Action::Suspend)) {
        // Nothing the user cannot see happens: the keys wait for a larger window.
        model.notify(
            Level::Warning,
            "The window is too small: that key was ignored. Enlarge it, or Ctrl-Q quits.",
        );
        return Vec::new();
    }
    if action.is_some() {
        model.notice = None;
    }
    if let Some(action) = action {
        on_action(model, action)
    } else {
        on_unbound(model, key);
        Vec::new()
    }
}

fn on_action(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.overlay.is_some() {
        return on_overlay_action(model, action);
    }
    match action {
        Action::AcceptProposal
        | Action::RejectProposal
        | Action::AcceptSource
        | Action::NextProposal
        | Action::QuickStart => crate::tui::proposals::on_action(model, action),
        Action::Next => move_by(model, 1),
        Action::Previous => move_by(model, -1),
        Action::NextSection => move_section(model, 1),
        Action::PreviousSection => move_section(model, -1),
        Action::Save => {
            let mut effects = commit(model);
            if model.read_only {
                model.notify(Level::Warning, READ_ONLY);
            } else {
                effects.push(Effect::PrepareSave);
            }
            effects
        }
        Action::Quit => {
            let mut effects = commit(model);
            model.quit = true;
            effects.push(write_session(model));
            effects.push(Effect::Quit);
            effects
        }
        Action::Suspend => {
            let mut effects = commit(model);
            effects.push(write_session(model));
            effects.push(Effect::Suspend);
            effects
        }
        Action::Help => {
            model.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Action::TogglePane => {
            model.right_pane = match model.right_pane {
                RightPane::Preview => RightPane::Changes,
                RightPane::Changes => RightPane::Preview,
            };
            model.preview_scroll = None;
            Vec::new()
        }
        Action::NextDocument => {
            let count = model.questionnaire().documents.len();
            // Only the documents the answers write (a document's condition may leave one out).
            let written: Vec<usize> = (0..count)
                .filter(|&i| {
                    let id = &model.questionnaire().documents[i].id;
                    model.derived.documents.iter().any(|d| d.id == *id)
                })
                .collect();
            if written.len() < 2 {
                model.notify(Level::Info, "These answers write one document.");
            } else {
                let current = model.shown_rendered().map(|d| d.id.clone()).unwrap_or_default();
                let at = written
                    .iter()
                    .position(|&i| model.questionnaire().documents[i].id == current)
                    .unwrap_or(0);
                let next = written[(at + 1) % written.len()];
                model.document = Some(next);
                model.preview_scroll = None;
                let path = model.shown_rendered().map_or_else(
                    || model.questionnaire().documents[next].path.clone(),
                    |d| d.path.clone(),
                );
                model.notify(Level::Info, format!("Showing {path}."));
            }
            Vec::new()
        }
        Action::ExternalEditor => {
            let question = model.question();
            let text = match &model.editor {
                Editor::Text { area } | Editor::Checklist { area, .. } => area_text(area),
                Editor::Rows(r) if r.columns.len() > 1 => crate::tui::editor::table_text(question, r),
                _ => model
                    .editor
                    .value(question)
                    .ok()
                    .flatten()
                    .as_ref()
                    .map(answer_text)
                    .unwrap_or_default(),
            };
            // Editors expect a file to end with a new line; it is dropped again on return.
            let mut text = text;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            vec![Effect::EditExternally {
                id: question.id.clone(),
                text,
            }]
        }
        Action::Search => open_picker(model, PickerKind::Search),
        Action::Sections => open_picker(model, PickerKind::Sections),
        Action::Findings => open_picker(model, PickerKind::Findings),
        Action::Outline => open_picker(model, PickerKind::Outline),
        Action::Kept => {
            if model.kept.is_empty() {
                model.notify(
                    Level::Info,
                    "No answers were kept aside: every answer fits the questionnaire.",
                );
                Vec::new()
            } else {
                open_picker(model, PickerKind::Kept)
            }
        }
        Action::HelpUp => {
            model.help_scroll = model.help_scroll.saturating_sub(1);
            Vec::new()
        }
        Action::HelpDown => {
            let lines = model.question().help.as_deref().map_or(0, |h| h.len() / 20 + 1);
            model.help_scroll = (model.help_scroll + 1).min(lines);
            Vec::new()
        }
        Action::PreviewUp | Action::PreviewDown | Action::PreviewTop | Action::PreviewBottom => {
            scroll_pane(model, action);
            Vec::new()
        }
        _ => on_editor_action(model, action),
    }
}

/// Scrolls the right pane from where it was last drawn: a page (less two lines of overlap),
/// or to either end. It stays there until the user types or moves to another question.
fn scroll_pane(model: &mut Model, action: Action) {
    let view = model.preview_view.get();
    let page = view.height.saturating_sub(2).max(1);
    let last = view.lines.saturating_sub(view.height);
    let top = match action {
        Action::PreviewUp => view.top.saturating_sub(page),
        Action::PreviewDown => (view.top + page).min(last),
        Action::PreviewTop => 0,
        _ => last,
    };
    model.preview_scroll = Some(u16::try_from(top).unwrap_or(u16::MAX));
}

fn open_picker(model: &mut Model, kind: PickerKind) -> Vec<Effect> {
    let items = picker_items(model, kind, "");
    let cursor = if kind == PickerKind::Outline {
        items.iter().position(|i| i.target == model.focus).unwrap_or(0)
    } else {
        0
    };
    model.overlay = Some(Overlay::Picker {
        kind,
        query: String::new(),
        cursor,
        items,
    });
    Vec::new()
}

/// What Ctrl-S says when another process holds the session.
pub const READ_ONLY: &str = "Read-only: another spec-interview has this session, so nothing is saved here.";

fn on_overlay_action(model: &mut Model, action: Action) -> Vec<Effect> {
    if let Some(Overlay::Save { plan, scroll }) = &mut model.overlay {
        let hand_edit = plan.has_hand_edit();
        let last = u16::try_from(plan.lines().len()).unwrap_or(u16::MAX);
        let page = model.save_rows.get().max(1);
        let max = last.saturating_sub(page);
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
            Action::Confirm if !hand_edit => {
                model.overlay = None;
                return vec![Effect::SaveDocuments { overwrite: false }];
            }
            Action::Overwrite if hand_edit => {
                model.overlay = None;
                return vec![Effect::SaveDocuments { overwrite: true }];
            }
            Action::KeepHandEdit if hand_edit => {
                model.overlay = None;
                return vec![Effect::KeepHandEdits];
            }
            Action::Back => {
                model.overlay = None;
                model.notify(Level::Info, "Not saved: nothing was written.");
            }
            Action::Quit => {
                model.overlay = None;
                return on_action(model, Action::Quit);
            }
            Action::Suspend => {
                let overlay = model.overlay.take();
                let effects = on_action(model, action);
                model.overlay = overlay;
                return effects;
            }
            _ => {}
        }
        return Vec::new();
    }
    match action {
        Action::Quit => {
            model.overlay = None;
            on_action(model, Action::Quit)
        }
        Action::Save | Action::Suspend => {
            let overlay = model.overlay.take();
            let effects = on_action(model, action);
            model.overlay = overlay;
            effects
        }
        Action::Help | Action::Back => {
            model.overlay = None;
            Vec::new()
        }
        Action::FirstOpen => {
            model.overlay = None;
            if let Some(id) = model.first_required_open() {
                focus_on(model, &id)
            } else {
                model.notify(Level::Info, "No required question is open.");
                Vec::new()
            }
        }
        Action::DeleteToLineStart | Action::DeleteWordBack => {
            if let Some(Overlay::Picker { query, .. }) = &mut model.overlay {
                if action == Action::DeleteToLineStart {
                    query.clear();
                } else {
                    editing::delete_last_word(query);
                }
                editing::refilter(model);
            }
            Vec::new()
        }
        Action::Up | Action::Down => {
            let down = action == Action::Down;
            match &mut model.overlay {
                Some(Overlay::Help { scroll } | Overlay::Finish { scroll }) => {
                    *scroll = if down {
                        scroll.saturating_add(1)
                    } else {
                        scroll.saturating_sub(1)
                    };
                }
                Some(Overlay::Picker { cursor, items, .. }) if !items.is_empty() => {
                    let len = items.len();
                    *cursor = if down {
                        (*cursor + 1) % len
                    } else {
                        (*cursor + len - 1) % len
                    };
                }
                _ => {}
            }
            Vec::new()
        }
        Action::Confirm => {
            let target = match &model.overlay {
                Some(Overlay::Picker { cursor, items, .. }) => items.get(*cursor).map(|i| i.target.clone()),
                _ => None,
            };
            model.overlay = None;
            match target {
                Some(kept) if kept.starts_with(KEPT) => {
                    let id = &kept[KEPT.len()..];
                    if let Some(value) = model.kept.get(id) {
                        let text = toml_text(value);
                        paste(model, &text);
                        typed(model, Instant::now());
                        model.notify(
                            Level::Info,
                            format!("Copied the kept answer to \"{id}\" into this question."),
                        );
                    }
                    Vec::new()
                }
                Some(id) => focus_on(model, &id),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
