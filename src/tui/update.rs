//! Messages in, state changes and effects out. Pure: the shell runs the effects (writing the
//! session, saving, the external editor, suspending) and reports back with messages.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::time::{Duration, Instant};

use crate::core::answer::Row;
use crate::core::history::Saved;
use crate::core::questionnaire::{Question, QuestionKind};
use crate::core::session::AnswersFile;
use crate::tui::editor::{Editor, Entry, answer_text, area_text, text_area};
use crate::tui::keymap::{self, Action};
use crate::tui::model::{Level, Model, Overlay, PickerItem, PickerKind, RightPane};
use crate::tui::save::{DocumentOnDisk, KeptEdit, SavePlan, SavedDocument};

/// Idle typing is written to the session after this long.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(800);

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// Time passes (for the idle autosave).
    Tick(Instant),
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
        Msg::Paste(text) => {
            paste(model, &text);
            typed(model, Instant::now());
            Vec::new()
        }
        Msg::Tick(now) => match model.unsaved_typing {
            Some(since) if now.duration_since(since) >= AUTOSAVE_AFTER => {
                model.unsaved_typing = None;
                vec![write_session(model)]
            }
            _ => Vec::new(),
        },
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
    }
}

fn write_session(model: &Model) -> Effect {
    Effect::WriteSession(Box::new(model.session_file()))
}

fn typed(model: &mut Model, now: Instant) {
    model.unsaved_typing = Some(now);
    model.recompute();
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let context = model.context();
    let action = keymap::lookup(context, &key);
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
            if count < 2 {
                model.notify(Level::Info, "This questionnaire writes one document.");
            } else {
                let next = (model.shown_document() + 1) % count;
                model.document = Some(next);
                model.preview_scroll = None;
                let path = model.questionnaire().documents[next].path.clone();
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
        Action::PreviewUp => {
            let now = model.preview_scroll.unwrap_or(u16::MAX / 2);
            model.preview_scroll = Some(now.saturating_sub(10));
            Vec::new()
        }
        Action::PreviewDown => {
            let now = model.preview_scroll.unwrap_or(0);
            model.preview_scroll = Some(now.saturating_add(10));
            Vec::new()
        }
        _ => on_editor_action(model, action),
    }
}

fn open_picker(model: &mut Model, kind: PickerKind) -> Vec<Effect> {
    let cursor = if kind == PickerKind::Outline {
        picker_items(model, kind, "")
            .iter()
            .position(|i| i.target == model.focus)
            .unwrap_or(0)
    } else {
        0
    };
    model.overlay = Some(Overlay::Picker {
        kind,
        query: String::new(),
        cursor,
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
        Action::Up | Action::Down => {
            let down = action == Action::Down;
            let len = match &model.overlay {
                Some(Overlay::Picker { kind, query, .. }) => picker_items(model, *kind, query).len(),
                _ => 0,
            };
            match &mut model.overlay {
                Some(Overlay::Help { scroll }) => {
                    *scroll = if down {
                        scroll.saturating_add(1)
                    } else {
                        scroll.saturating_sub(1)
                    };
                }
                Some(Overlay::Picker { cursor, .. }) if len > 0 => {
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
                Some(Overlay::Picker { kind, query, cursor }) => {
                    picker_items(model, *kind, query).get(*cursor).map(|i| i.target.clone())
                }
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

/// The entries of a picker for a query.
pub fn picker_items(model: &Model, kind: PickerKind, query: &str) -> Vec<PickerItem> {
    let q = model.questionnaire();
    let needle = query.trim().to_lowercase();
    let badge = |id: &str| crate::tui::ui::badge(model, id).0;
    match kind {
        PickerKind::Search => {
            let mut hits: Vec<(u8, PickerItem)> = q
                .questions()
                .filter_map(|question| {
                    let fields = [&question.label, &question.prompt, &question.id];
                    let rank = if needle.is_empty() {
                        Some(3)
                    } else if question.label.to_lowercase().starts_with(&needle) {
                        Some(0)
                    } else if fields.iter().any(|f| f.to_lowercase().contains(&needle)) {
                        Some(1)
                    } else if question
                        .help
                        .as_ref()
                        .is_some_and(|h| h.to_lowercase().contains(&needle))
                    {
                        Some(2)
                    } else {
                        None
                    };
                    rank.map(|r| {
                        let section = q.section_of(&question.id).map(|s| s.title.clone()).unwrap_or_default();
                        (
                            r,
                            PickerItem {
                                label: format!("{} {}", badge(&question.id), question.label),
                                detail: section,
                                target: question.id.clone(),
                                inactive: !model.is_visible(&question.id),
                            },
                        )
                    })
                })
                .collect();
            hits.sort_by_key(|(r, _)| *r);
            hits.into_iter().map(|(_, item)| item).collect()
        }
        PickerKind::Sections => q
            .sections
            .iter()
            .filter_map(|s| {
                let first = s
                    .questions
                    .iter()
                    .find(|x| model.is_visible(&x.id))
                    .or(s.questions.first())?;
                let shown = s.questions.iter().filter(|x| model.is_visible(&x.id)).count();
                let done = s
                    .questions
                    .iter()
                    .filter(|x| {
                        matches!(
                            model.state_of(&x.id),
                            Some(crate::core::document::QuestionState::Answered)
                        )
                    })
                    .count();
                Some(PickerItem {
                    label: s.title.clone(),
                    detail: format!("{done}/{shown} answered"),
                    target: first.id.clone(),
                    inactive: shown == 0,
                })
            })
            .collect(),
        PickerKind::Findings => model
            .derived
            .findings
            .iter()
            .filter(|f| f.rule != "assumed")
            .filter_map(|f| {
                let target = f
                    .question
                    .clone()
                    .or_else(|| q.questions().next().map(|x| x.id.clone()))?;
                Some(PickerItem {
                    label: format!("{} {}", severity_mark(f.severity), f.message),
                    detail: match (&f.question, f.row) {
                        (Some(id), Some(row)) => format!("{id} row {row}"),
                        (Some(id), None) => id.clone(),
                        (None, _) => f.rule.clone(),
                    },
                    target,
                    inactive: false,
                })
            })
            .collect(),
        PickerKind::Kept => model
            .kept
            .iter()
            .filter(|(id, value)| {
                needle.is_empty() || id.contains(&needle) || toml_text(value).to_lowercase().contains(&needle)
            })
            .map(|(id, value)| PickerItem {
                label: crate::tui::ui::fit(&toml_text(value).replace('\n', " "), 200),
                detail: id.clone(),
                target: format!("{KEPT}{id}"),
                inactive: false,
            })
            .collect(),
        PickerKind::Outline => q
            .questions()
            .map(|question| PickerItem {
                label: format!("{} {}", badge(&question.id), question.label),
                detail: q.section_of(&question.id).map(|s| s.title.clone()).unwrap_or_default(),
                target: question.id.clone(),
                inactive: !model.is_visible(&question.id),
            })
            .collect(),
    }
}

/// Picker targets that are kept answers, not questions.
const KEPT: &str = "kept:";

/// A kept TOML value as plain text: strings as they are, lists one item a line.
fn toml_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(toml_text).collect::<Vec<_>>().join("\n"),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| format!("{k}: {}", toml_text(v)))
            .collect::<Vec<_>>()
            .join(" | "),
        other => other.to_string(),
    }
}

pub fn severity_mark(severity: crate::core::questionnaire::Severity) -> &'static str {
    match severity {
        crate::core::questionnaire::Severity::Error => "✗",
        crate::core::questionnaire::Severity::Warning => "!",
        crate::core::questionnaire::Severity::Info => "i",
    }
}

/// Keeps what the editor holds: an answer when it is one, else a marked draft. Returns the
/// session write when something changed. A default the editor merely shows is not recorded:
/// it stays a default, labelled as one, until the user moves through it (`commit_moving_on`).
pub fn commit(model: &mut Model) -> Vec<Effect> {
    commit_as(model, false)
}

/// `commit` for Tab, Shift-Tab and Enter: moving through a question confirms its default.
fn commit_moving_on(model: &mut Model) -> Vec<Effect> {
    commit_as(model, true)
}

fn commit_as(model: &mut Model, confirm_default: bool) -> Vec<Effect> {
    let question = model.question().clone();
    let before = (
        model.answers.get(&question.id).cloned(),
        model.drafts.get(&question.id).cloned(),
    );
    match model.editor.value(&question) {
        Ok(Some(answer)) if !confirm_default && model.shows_unconfirmed_default(&question, &answer) => {
            model.drafts.remove(&question.id);
        }
        Ok(Some(answer)) => {
            model.answers.insert(question.id.clone(), answer);
            model.drafts.remove(&question.id);
        }
        Ok(None) => {
            model.answers.remove(&question.id);
            model.drafts.remove(&question.id);
        }
        Err(problem) => {
            if let Some(text) = model.editor.draft_text() {
                model.drafts.insert(question.id.clone(), text);
            }
            model.notify(Level::Warning, format!("Kept as a draft: {problem}."));
        }
    }
    if let Editor::Rows(r) = &mut model.editor
        && let Some(area) = r.editing.take()
        && let (Some(row), Some(col)) = (r.rows.get_mut(r.row), r.columns.get(r.column))
    {
        row.insert(col.clone(), area_text(&area));
    }
    let after = (
        model.answers.get(&question.id).cloned(),
        model.drafts.get(&question.id).cloned(),
    );
    model.recompute();
    if before == after && model.unsaved_typing.is_none() {
        Vec::new()
    } else {
        model.unsaved_typing = None;
        vec![write_session(model)]
    }
}

/// Moves the focus to question `id` (committing the current one first).
pub fn focus_on(model: &mut Model, id: &str) -> Vec<Effect> {
    let mut effects = commit(model);
    if model.questionnaire().question(id).is_none() {
        return effects;
    }
    model.focus = id.to_string();
    model.editor = model.open_editor(id);
    model.preview_scroll = None;
    model.recompute();
    // The session remembers where the user is, so a crash reopens on this question.
    effects.retain(|e| !matches!(e, Effect::WriteSession(_)));
    effects.push(write_session(model));
    if !model.is_visible(id) {
        model.notify(
            Level::Info,
            "This question is hidden by its condition: its answer is kept but stays out of the document.",
        );
    }
    effects
}

fn move_by(model: &mut Model, step: isize) -> Vec<Effect> {
    let mut effects = commit_moving_on(model);
    let visible: Vec<String> = model.visible_questions().iter().map(|q| q.id.clone()).collect();
    if visible.is_empty() {
        return effects;
    }
    let all: Vec<String> = model.questionnaire().questions().map(|q| q.id.clone()).collect();
    let at = all.iter().position(|id| *id == model.focus).unwrap_or(0);
    // The next shown question after the focus in questionnaire order (the focus itself may
    // have just been hidden by the answer committed above).
    let n = all.len();
    let target = (1..=n)
        .map(|i| {
            #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
            let j = (at as isize + step * i as isize).rem_euclid(n as isize) as usize;
            &all[j]
        })
        .find(|id| model.is_visible(id))
        .cloned();
    if let Some(id) = target {
        if step > 0 && all.iter().position(|x| *x == id).unwrap_or(0) <= at {
            model.notify(Level::Info, "Back at the first question. Ctrl-S saves the document.");
        }
        effects.extend(focus_on(model, &id));
        keep_last_write(&mut effects);
    }
    effects
}

/// One session write is enough: the last one holds everything the earlier ones did.
fn keep_last_write(effects: &mut Vec<Effect>) {
    if let Some(last) = effects.iter().rposition(|e| matches!(e, Effect::WriteSession(_))) {
        let mut i = 0;
        effects.retain(|e| {
            let keep = !matches!(e, Effect::WriteSession(_)) || i == last;
            i += 1;
            keep
        });
    }
}

fn move_section(model: &mut Model, step: isize) -> Vec<Effect> {
    let q = std::sync::Arc::clone(model.questionnaire());
    let current = q
        .sections
        .iter()
        .position(|s| s.questions.iter().any(|x| x.id == model.focus))
        .unwrap_or(0);
    let n = q.sections.len();
    for i in 1..=n {
        #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
        let j = (current as isize + step * i as isize).rem_euclid(n as isize) as usize;
        if let Some(first) = q.sections[j].questions.iter().find(|x| model.is_visible(&x.id)) {
            return focus_on(model, &first.id);
        }
    }
    Vec::new()
}

fn on_editor_action(model: &mut Model, action: Action) -> Vec<Effect> {
    let question = model.question().clone();
    let mut changed = false;
    let mut advance = false;
    let mut note: Option<String> = None;
    match (&mut model.editor, action) {
        (Editor::Text { .. } | Editor::Checklist { .. }, Action::Confirm) => advance = true,
        (Editor::Text { area }, Action::Newline) => {
            area.insert_newline();
            changed = true;
        }
        (Editor::Text { area } | Editor::Checklist { area, .. }, Action::Undo) => changed = area.undo(),
        (Editor::Text { area } | Editor::Checklist { area, .. }, Action::Redo) => changed = area.redo(),
        (Editor::Checklist { area, assumption }, Action::ToggleAssumption) => {
            *assumption = !*assumption;
            if *assumption && area_text(area).trim().is_empty() {
                *area = text_area(question.assume.as_deref().unwrap_or(""));
            }
            changed = true;
        }
        (Editor::Choice(c), Action::Up | Action::Down) => {
            let len = c.visible(&question).len().max(1);
            c.cursor = if action == Action::Down {
                (c.cursor + 1) % len
            } else {
                (c.cursor + len - 1) % len
            };
        }
        (Editor::Choice(c), Action::Back) => {
            c.filter.clear();
            c.cursor = 0;
        }
        (Editor::Choice(c), Action::Toggle) => {
            if let Some(entry) = c.visible(&question).get(c.cursor).cloned() {
                toggle(c, &entry);
                changed = true;
            }
        }
        (Editor::Choice(c), Action::Confirm) => {
            if let Some(entry) = c.visible(&question).get(c.cursor).cloned() {
                if c.multi {
                    if c.filter.trim().is_empty() || c.chosen.iter().any(|x| x == entry.text()) {
                        advance = true;
                    } else {
                        toggle(c, &entry);
                        c.filter.clear();
                        changed = true;
                    }
                } else {
                    c.chosen = vec![entry.text().to_string()];
                    c.filter.clear();
                    changed = true;
                    advance = true;
                }
            } else if c.multi || !c.chosen.is_empty() {
                advance = true;
            }
        }
        (Editor::YesNo { value }, Action::Yes) => {
            *value = Some(true);
            changed = true;
            advance = true;
        }
        (Editor::YesNo { value }, Action::No) => {
            *value = Some(false);
            changed = true;
            advance = true;
        }
        (Editor::YesNo { value }, Action::Toggle) => {
            *value = Some(!value.unwrap_or(false));
            changed = true;
        }
        (Editor::YesNo { value }, Action::Confirm) => {
            if value.is_some() {
                advance = true;
            } else {
                model.notify(Level::Info, "Press y or n.");
            }
        }
        (Editor::Rows(r), Action::ToggleNone) => {
            (changed, note) = toggle_none(&question, &mut r.none, r.rows.is_empty());
        }
        (Editor::Choice(c), Action::ToggleNone) if c.multi => {
            (changed, note) = toggle_none(&question, &mut c.none, c.chosen.is_empty());
        }
        (Editor::Rows(r), action) => {
            changed = rows_action(r, action);
            if changed && !r.rows.is_empty() {
                r.none = false;
            }
        }
        _ => {}
    }
    if let Some(note) = note {
        model.notify(Level::Info, note);
    }
    if advance {
        return move_by(model, 1);
    }
    if changed {
        typed(model, Instant::now());
    }
    Vec::new()
}

/// Ctrl-T on a list, table or multiple choice: answer "none" (there are none, said on
/// purpose), or take it back. Only an empty answer can be "none".
fn toggle_none(question: &Question, none: &mut bool, empty: bool) -> (bool, Option<String>) {
    if !empty {
        return (
            false,
            Some("Remove the rows or ticks first: \"none\" means there are none.".to_string()),
        );
    }
    *none = !*none;
    let said = if *none {
        format!(
            "Answered \"none\"{}.",
            question
                .none
                .as_deref()
                .map(|t| format!(": the document says \"{}\"", crate::core::fsio::sanitize(t)))
                .unwrap_or_default()
        )
    } else {
        "Not answered: the question is open again.".to_string()
    };
    (true, Some(said))
}

fn toggle(c: &mut crate::tui::editor::ChoiceState, entry: &Entry) {
    c.none = false;
    let text = entry.text().to_string();
    if let Some(i) = c.chosen.iter().position(|x| *x == text) {
        c.chosen.remove(i);
    } else if c.multi {
        c.chosen.push(text);
    } else {
        c.chosen = vec![text];
    }
}

fn rows_action(r: &mut crate::tui::editor::RowsState, action: Action) -> bool {
    let columns = r.columns.len().max(1);
    match (action, r.editing.is_some()) {
        (Action::Confirm, true) => {
            if let (Some(area), Some(row), Some(col)) =
                (r.editing.take(), r.rows.get_mut(r.row), r.columns.get(r.column))
            {
                row.insert(col.clone(), area_text(&area));
            }
            // Enter moves on to the next cell of the row, like a spreadsheet.
            if r.column + 1 < columns {
                r.column += 1;
                start_editing(r);
            }
            true
        }
        (Action::Back, true) => {
            rows_action(r, Action::Confirm) && {
                r.editing = None;
                true
            }
        }
        (Action::Confirm, false) => {
            if r.rows.is_empty() {
                r.rows.push(Row::new());
                r.row = 0;
                r.column = 0;
            }
            start_editing(r);
            false
        }
        (Action::Up, false) => {
            r.row = r.row.saturating_sub(1);
            false
        }
        (Action::Down, false) => {
            r.row = (r.row + 1).min(r.rows.len().saturating_sub(1));
            false
        }
        (Action::Left, false) => {
            r.column = r.column.saturating_sub(1);
            false
        }
        (Action::Right, false) => {
            r.column = (r.column + 1).min(columns - 1);
            false
        }
        (Action::NewRow, false) => {
            let at = if r.rows.is_empty() { 0 } else { r.row + 1 };
            r.rows.insert(at, Row::new());
            r.row = at;
            r.column = 0;
            start_editing(r);
            true
        }
        (Action::DeleteRow, false) if !r.rows.is_empty() => {
            r.rows.remove(r.row);
            r.row = r.row.min(r.rows.len().saturating_sub(1));
            true
        }
        (Action::MoveRowUp, false) if r.row > 0 && r.row < r.rows.len() => {
            r.rows.swap(r.row, r.row - 1);
            r.row -= 1;
            true
        }
        (Action::MoveRowDown, false) if r.row + 1 < r.rows.len() => {
            r.rows.swap(r.row, r.row + 1);
            r.row += 1;
            true
        }
        _ => false,
    }
}

fn start_editing(r: &mut crate::tui::editor::RowsState) {
    let text = r
        .rows
        .get(r.row)
        .and_then(|row| r.columns.get(r.column).and_then(|c| row.get(c)))
        .cloned()
        .unwrap_or_default();
    r.editing = Some(text_area(&text));
}

/// A key no binding claims: typing into the field, the filter, or the picker's query.
fn on_unbound(model: &mut Model, key: KeyEvent) {
    let printable = match key.code {
        KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => Some(c),
        _ => None,
    };
    if let Some(Overlay::Picker { query, cursor, .. }) = &mut model.overlay {
        match (key.code, printable) {
            (_, Some(c)) => query.push(c),
            (KeyCode::Backspace, _) => {
                query.pop();
            }
            _ => return,
        }
        *cursor = 0;
        return;
    }
    if model.overlay.is_some() {
        return;
    }
    let question = model.question().clone();
    let changed = match &mut model.editor {
        Editor::Text { area } | Editor::Checklist { area, .. } => {
            // Single-line fields never take a newline, whatever the terminal sends.
            if question.kind != QuestionKind::Multiline && matches!(key.code, KeyCode::Enter) {
                false
            } else {
                area.input(key)
            }
        }
        Editor::Choice(c) => match (key.code, printable) {
            (_, Some(ch)) => {
                c.filter.push(ch);
                c.cursor = 0;
                true
            }
            (KeyCode::Backspace, _) => {
                c.filter.pop();
                c.cursor = 0;
                true
            }
            _ => false,
        },
        Editor::Rows(r) => match &mut r.editing {
            Some(area) => area.input(key),
            None => match printable {
                // Typing on a list starts a new row with what was typed.
                Some(ch) => {
                    let at = if r.rows.is_empty() { 0 } else { r.row + 1 };
                    r.rows.insert(at, Row::new());
                    r.row = at;
                    r.column = 0;
                    let mut area = text_area("");
                    area.insert_char(ch);
                    r.editing = Some(area);
                    true
                }
                None => false,
            },
        },
        Editor::YesNo { .. } => false,
    };
    if changed {
        typed(model, Instant::now());
    }
}

fn paste(model: &mut Model, text: &str) {
    let text = crate::core::fsio::sanitize(text);
    let multiline = model.question().kind == QuestionKind::Multiline;
    match &mut model.editor {
        Editor::Text { area } | Editor::Checklist { area, .. } => {
            let text = if multiline {
                text.into_owned()
            } else {
                text.replace('\n', " ")
            };
            area.insert_str(text);
        }
        Editor::Rows(r) => {
            if let Some(area) = &mut r.editing {
                area.insert_str(text.replace('\n', " "));
            }
        }
        Editor::Choice(c) => c.filter.push_str(&text.replace('\n', " ")),
        Editor::YesNo { .. } => {}
    }
}

/// Ctrl-S, once the shell has read the disk: the summary to confirm, the hand edit to decide
/// on, or a word that there is nothing to save.
fn on_save_plan(model: &mut Model, found: Result<Vec<DocumentOnDisk>, String>) {
    let found = match found {
        Ok(found) => found,
        Err(e) => {
            model.notify(Level::Error, format!("Not saved: {e}"));
            return;
        }
    };
    // What is on disk now is the truth (another process may have saved since start-up).
    for doc in &found {
        if let Some((revision, text)) = &doc.latest {
            model.saved_text.insert(doc.path.clone(), text.clone());
            model.revisions.insert(doc.path.clone(), revision.clone());
        } else {
            model.saved_text.remove(&doc.path);
            model.revisions.remove(&doc.path);
        }
    }
    // Exactly what saving writes: the committed answers, as `save_documents` renders them.
    let rendered = match model.engine.render(&model.answers) {
        Ok(rendered) => rendered,
        Err(e) => {
            model.notify(Level::Error, format!("Not saved: {e}"));
            return;
        }
    };
    let plan = SavePlan::new(&rendered, &found);
    if plan.nothing_to_save() {
        let parts: Vec<String> = plan
            .documents
            .iter()
            .map(|d| format!("{} is unchanged since revision {}", d.path, d.latest.unwrap_or(0)))
            .collect();
        model.notify(Level::Info, format!("Nothing to save: {}.", parts.join("; ")));
        return;
    }
    model.overlay = Some(Overlay::Save { plan, scroll: 0 });
}

fn on_saved(model: &mut Model, result: Result<Vec<SavedDocument>, SaveProblem>) {
    match result {
        Ok(saved) => {
            let mut parts = Vec::new();
            for doc in saved {
                let (revision, new) = match doc.outcome {
                    Saved::New(r) => (r, true),
                    Saved::Unchanged(r) => (r, false),
                };
                let path = doc.path;
                parts.push(match (&doc.kept, new) {
                    (Some(kept), _) => format!(
                        "Kept your edit of {path} as revision {}, then saved the interview's version as revision {}",
                        kept.number, revision.number
                    ),
                    (None, true) => format!("Saved {path} as revision {}", revision.number),
                    (None, false) => format!("{path} is unchanged since revision {}", revision.number),
                });
                model.saved_text.insert(path.clone(), doc.text);
                model.revisions.insert(path, revision);
            }
            model.notify(Level::Success, format!("{}.", parts.join("; ")));
        }
        Err(SaveProblem::EditedOutside(message)) => {
            model.notify(
                Level::Warning,
                format!(
                    "{message} It changed after the summary was shown; {} again shows the edit.",
                    save_key()
                ),
            );
        }
        Err(SaveProblem::Failed(message)) => model.notify(Level::Error, format!("Not saved: {message}")),
    }
}

/// The save key as the help names it.
fn save_key() -> String {
    keymap::key_label(keymap::Context::Global, Action::Save)
}

fn on_kept(model: &mut Model, result: Result<Vec<KeptEdit>, String>) {
    match result {
        Ok(kept) if kept.is_empty() => {
            model.notify(Level::Info, "No hand edit is left to keep: nothing was written.");
        }
        Ok(kept) => {
            let parts: Vec<String> = kept
                .iter()
                .map(|k| format!("Kept your edit of {} as revision {}", k.path, k.revision.number))
                .collect();
            for k in kept {
                model.saved_text.insert(k.path.clone(), k.text);
                model.revisions.insert(k.path, k.revision);
            }
            model.notify(
                Level::Success,
                format!(
                    "{}; {} again saves the interview's version on top of it.",
                    parts.join("; "),
                    save_key()
                ),
            );
        }
        Err(e) => model.notify(Level::Error, format!("Not kept: {e}")),
    }
}

fn on_edited(model: &mut Model, id: &str, result: Result<String, String>) -> Vec<Effect> {
    let text = match result {
        Ok(text) => text,
        Err(e) => {
            model.notify(Level::Error, format!("The editor failed: {e}"));
            return Vec::new();
        }
    };
    if id != model.focus {
        return Vec::new();
    }
    let question = model.question().clone();
    let text = crate::core::fsio::sanitize(text.trim_end_matches('\n')).into_owned();
    match &mut model.editor {
        Editor::Text { area } | Editor::Checklist { area, .. } => {
            let text = if question.kind == QuestionKind::Multiline {
                text
            } else {
                text.replace('\n', " ")
            };
            *area = text_area(&text);
        }
        Editor::Choice(c) => {
            let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let mut chosen = Vec::new();
            for line in lines {
                match question.options.iter().find(|o| o.eq_ignore_ascii_case(line)) {
                    Some(o) => chosen.push(o.clone()),
                    None if question.other => chosen.push(line.to_string()),
                    None => {
                        model.notice = Some(crate::tui::model::Notice {
                            text: format!("\"{line}\" is not an option; it was left out."),
                            level: Level::Warning,
                        });
                    }
                }
            }
            if !c.multi {
                chosen.truncate(1);
            }
            c.chosen = chosen;
        }
        Editor::YesNo { value } => {
            *value = match text.trim().to_lowercase().as_str() {
                "y" | "yes" | "true" => Some(true),
                "n" | "no" | "false" => Some(false),
                _ => *value,
            };
        }
        Editor::Rows(r) => match crate::tui::editor::parse_rows(&r.columns, &text) {
            Ok(rows) => {
                r.rows = rows;
                r.row = 0;
                r.editing = None;
            }
            Err(problem) => {
                // Nothing is taken from a text that does not fit the columns.
                model.notify(Level::Warning, format!("The edit was not taken: {problem}"));
                return Vec::new();
            }
        },
    }
    commit(model)
}

/// Every binding, grouped by context, for the help overlay.
pub fn help_lines() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut last = None;
    for b in keymap::bindings().iter().filter(|b| !b.context.is_review()) {
        if last != Some(b.context) {
            out.push((String::new(), b.context.title().to_string()));
            last = Some(b.context);
        }
        let keys = b.chords.iter().map(keymap::Chord::label).collect::<Vec<_>>().join(", ");
        out.push((keys, b.help.to_string()));
    }
    out
}
