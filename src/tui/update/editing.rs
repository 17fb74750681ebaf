//! Keys and text that change the focused answer: the editor's actions, typing, pasting, and the
//! text coming back from the external editor.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Instant;

use super::{Effect, commit, move_by, typed};
use crate::core::answer::Row;
use crate::core::questionnaire::{Question, QuestionKind};
use crate::tui::editor::{Editor, Entry, area_text, text_area};
use crate::tui::keymap::Action;
use crate::tui::model::{Level, Model, Overlay};

pub(super) fn on_editor_action(model: &mut Model, action: Action) -> Vec<Effect> {
    if let Some(values) = model.cell_values()
        && matches!(action, Action::Up | Action::Down | Action::Confirm)
    {
        // A cell that names something: ↑↓ move through the values offered, Enter takes one.
        let len = values.len();
        // From the value highlighted now (the best match, before any arrow).
        let now = model.cell_pick(&values);
        let Editor::Rows(r) = &mut model.editor else {
            return Vec::new();
        };
        match action {
            Action::Up if len > 0 => r.pick = Some(now.map_or(len - 1, |p| (p + len - 1) % len)),
            Action::Down if len > 0 => r.pick = Some(now.map_or(0, |p| (p + 1) % len)),
            Action::Confirm => {
                let pick = model.cell_pick(&values);
                let Editor::Rows(r) = &mut model.editor else {
                    return Vec::new();
                };
                if let (Some(value), Some(area)) = (pick.and_then(|p| values.get(p)), &mut r.editing) {
                    *area = text_area(value);
                }
                r.pick = None;
                let changed = rows_action(r, Action::Confirm);
                if changed {
                    typed(model, Instant::now());
                }
            }
            _ => {}
        }
        return Vec::new();
    }
    if let Some(area) = model.editor.area_mut()
        && let Some(changed) = edit_text(area, action)
    {
        if changed {
            typed(model, Instant::now());
        }
        return Vec::new();
    }
    let question = model.question().clone();
    let mut changed = false;
    let mut advance = false;
    let mut note: Option<String> = None;
    match (&mut model.editor, action) {
        (Editor::Text { .. } | Editor::Checklist { .. }, Action::Confirm) => advance = true,
        (Editor::Text { .. } | Editor::Checklist { .. }, Action::Back) => return stop_editing(model),
        (Editor::Text { .. } | Editor::Checklist { .. }, Action::Edit) => {
            resume_editing(model);
            return Vec::new();
        }
        (Editor::Text { area }, Action::Newline) => {
            area.insert_newline();
            changed = true;
        }
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
        (Editor::Choice(c), Action::Back | Action::DeleteToLineStart) => {
            c.filter.clear();
            c.cursor = 0;
        }
        (Editor::Choice(c), Action::DeleteWordBack) => {
            delete_last_word(&mut c.filter);
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

/// Readline's editing in a text field: `Some(changed)` when `action` is one of its keys.
fn edit_text(area: &mut ratatui_textarea::TextArea<'static>, action: Action) -> Option<bool> {
    use ratatui_textarea::CursorMove;
    let moved = |area: &mut ratatui_textarea::TextArea<'static>, to: CursorMove| {
        area.move_cursor(to);
        false
    };
    Some(match action {
        Action::Left => moved(area, CursorMove::Back),
        Action::Right => moved(area, CursorMove::Forward),
        Action::Up => moved(area, CursorMove::Up),
        Action::Down => moved(area, CursorMove::Down),
        Action::LineStart => moved(area, CursorMove::Head),
        Action::LineEnd => moved(area, CursorMove::End),
        Action::WordBack => moved(area, CursorMove::WordBack),
        Action::WordForward => moved(area, CursorMove::WordForward),
        Action::DeleteToLineStart => area.delete_line_by_head(),
        Action::DeleteWordBack => area.delete_word(),
        Action::DeleteWordForward => area.delete_next_word(),
        Action::Yank => area.paste(),
        Action::Undo => area.undo(),
        Action::Redo => area.redo(),
        _ => return None,
    })
}

/// Drops the last word of a filter (and the spaces after it), as Ctrl-W does in a shell.
pub(super) fn delete_last_word(text: &mut String) {
    let kept = text.trim_end().trim_end_matches(|c: char| !c.is_whitespace()).len();
    text.truncate(kept);
}

/// Esc in a text field: what was typed is kept (as the answer, or as a draft when it cannot
/// be one yet); the focus stays on the question, and the field waits for Enter or typing.
fn stop_editing(model: &mut Model) -> Vec<Effect> {
    let effects = commit(model);
    model.resting = true;
    if let Some(area) = model.editor.area_mut() {
        area.set_cursor_style(ratatui::style::Style::default());
    }
    effects
}

/// Back to editing the field after Esc.
pub(super) fn resume_editing(model: &mut Model) {
    model.resting = false;
    if let Some(area) = model.editor.area_mut() {
        area.set_cursor_style(ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED));
    }
}

/// A key no binding claims: typing into the field, the filter, or the picker's query.
pub(super) fn on_unbound(model: &mut Model, key: KeyEvent) {
    let printable = match key.code {
        KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => Some(c),
        _ => None,
    };
    if let Some(Overlay::Picker { query, .. }) = &mut model.overlay {
        match (key.code, printable) {
            (_, Some(c)) => query.push(c),
            (KeyCode::Backspace, _) => {
                query.pop();
            }
            _ => return,
        }
        refilter(model);
        return;
    }
    if model.overlay.is_some() {
        return;
    }
    if model.resting {
        // Typing after Esc edits the field again.
        if printable.is_none() && !matches!(key.code, KeyCode::Backspace | KeyCode::Delete) {
            return;
        }
        resume_editing(model);
    }
    let question = model.question().clone();
    let changed = match &mut model.editor {
        Editor::Text { area } | Editor::Checklist { area, .. } => {
            // Single-line fields never take a newline, whatever the terminal sends.
            if question.kind != QuestionKind::Multiline && matches!(key.code, KeyCode::Enter) {
                false
            } else {
                // Only typing and deleting: every other key is in the key table.
                area.input_without_shortcuts(key)
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
            Some(area) => {
                r.pick = None;
                area.input_without_shortcuts(key)
            }
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

pub(super) fn paste(model: &mut Model, text: &str) {
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

pub(super) fn on_edited(model: &mut Model, id: &str, result: Result<String, String>) -> Vec<Effect> {
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
    // The editor ends the file with a new line (it was given one); only that one is dropped.
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let text = crate::core::fsio::sanitize(text).into_owned();
    let mut left_out = None;
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
                    None => left_out = Some(format!("\"{line}\" is not an option; it was left out.")),
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
    if let Some(message) = left_out {
        model.notify(Level::Warning, message);
    }
    commit(model)
}

/// Narrows the open picker to its query again; the best match is the one highlighted.
pub(super) fn refilter(model: &mut Model) {
    let Some(Overlay::Picker { kind, query, .. }) = &model.overlay else {
        return;
    };
    let found = crate::tui::picker::picker_items(model, *kind, query);
    if let Some(Overlay::Picker { cursor, items, .. }) = &mut model.overlay {
        *items = found;
        *cursor = 0;
    }
}
