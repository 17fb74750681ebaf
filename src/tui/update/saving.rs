//! What Ctrl-S leads to once the shell has read the disk or written: the summary to confirm, and
//! what to say when saving or keeping a hand edit is done.
use super::SaveProblem;
use crate::core::history::Saved;
use crate::tui::keymap::{self, Action};
use crate::tui::model::{Level, Model, Overlay};
use crate::tui::save::{DocumentOnDisk, KeptEdit, SavePlan, SavedDocument};

/// Ctrl-S, once the shell has read the disk: the summary to confirm, the hand edit to decide
/// on, or a word that there is nothing to save.
pub(super) fn on_save_plan(model: &mut Model, found: Result<Vec<DocumentOnDisk>, String>) {
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
    let mut plan = SavePlan::new(&rendered, &found);
    plan.required_open = model.progress().required_open;
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

pub(super) fn on_saved(model: &mut Model, result: Result<Vec<SavedDocument>, SaveProblem>) {
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

pub(super) fn on_kept(model: &mut Model, result: Result<Vec<KeptEdit>, String>) {
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
