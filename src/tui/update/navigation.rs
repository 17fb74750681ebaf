//! Moving between questions: committing what the editor holds, then focusing another question.
use super::{Effect, write_session};
use crate::tui::editor::{Editor, area_text};
use crate::tui::model::{Level, Model};

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
    // A document picked with F3 stays until the user reaches a question feeding another one.
    if model.feeds_document(&model.focus) != model.feeds_document(id) {
        model.document = None;
    }
    model.focus = id.to_string();
    model.editor = model.open_editor(id);
    model.resting = false;
    model.help_scroll = 0;
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

pub(super) fn move_by(model: &mut Model, step: isize) -> Vec<Effect> {
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
            // Past the last question: the finish line, not a silent wrap to the first.
            model.overlay = Some(crate::tui::model::Overlay::Finish { scroll: 0 });
            return effects;
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

pub(super) fn move_section(model: &mut Model, step: isize) -> Vec<Effect> {
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
