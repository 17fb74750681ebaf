//! Writing what an interview produces, the same for the full-screen and the plain interview:
//! the session file, and every document of the questionnaire saved as a new revision.
use std::path::Path;

use crate::core::document::Engine;
use crate::core::fsio::{Privacy, Project, atomic_write};
use crate::core::history::{self, DiskState, History, Provenance, Revision, SaveError, Saved};
use crate::core::questionnaire::Questionnaire;
use crate::core::session::{self, Answers, AnswersFile};

/// One document saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDocument {
    pub path: String,
    pub outcome: Saved,
    /// The text of the revision now latest (what was saved).
    pub text: String,
    /// A hand edit recorded as its own revision before the interview's version went over it.
    pub kept: Option<Revision>,
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveProblem {
    /// A document was changed outside the tool since its last save; nothing was written.
    EditedOutside(String),
    Failed(String),
}

/// Writes the session file (owner-only) with `updated` stamped to `now`.
pub fn write_session(
    project: &Project,
    questionnaire: &Questionnaire,
    mut file: AnswersFile,
    now: &str,
) -> Result<(), String> {
    if let Some(state) = &mut file.session {
        state.updated = Some(now.to_string());
    }
    let text = session::to_toml(questionnaire, &file);
    let path = project.session_file(&questionnaire.session_name());
    atomic_write(&path, text.as_bytes(), Privacy::OwnerOnly).map_err(|e| describe(&path, &e))
}

fn describe(path: &Path, e: &std::io::Error) -> String {
    format!("{}: {}", path.display(), history::io_reason(e))
}

/// Saves every document of the questionnaire from `answers`. With `overwrite`, a document
/// edited outside the tool is first recorded as a revision of its own, so the history keeps the
/// hand edit as well as the interview's version written over it.
pub fn save_documents(
    project: &Project,
    engine: &Engine,
    answers: &Answers,
    overwrite: bool,
    provenance: &Provenance,
) -> Result<Vec<SavedDocument>, SaveProblem> {
    let q = engine.questionnaire();
    crate::core::instance::check_saving(q, answers).map_err(SaveProblem::Failed)?;
    let documents = engine.render(answers).map_err(|e| SaveProblem::Failed(e.to_string()))?;
    let answers_toml = session::to_toml(
        q,
        &AnswersFile {
            questionnaire: Some(q.id.clone()),
            answers: answers.clone(),
            session: None,
        },
    );
    let failed = |e: history::HistoryError| SaveProblem::Failed(e.to_string());
    let mut saved = Vec::new();
    for doc in documents {
        let history = History::open(project, &doc.path);
        let file = project.document_file(&doc.path);
        let kept = match history.disk_state(&file).map_err(failed)? {
            DiskState::EditedOutside { .. } if overwrite => {
                Some(history::keep_hand_edit(project, &doc.path, (&q.id, &q.version), provenance).map_err(failed)?)
            }
            _ => None,
        };
        let outcome = history::save_document(
            project,
            &doc.path,
            &doc.text,
            &answers_toml,
            (&q.id, &q.version),
            provenance,
            overwrite,
        )
        .map_err(|e| match e {
            SaveError::EditedOutside { .. } => SaveProblem::EditedOutside(e.to_string()),
            SaveError::History(h) => SaveProblem::Failed(h.to_string()),
        })?;
        saved.push(SavedDocument {
            path: doc.path,
            outcome,
            text: doc.text,
            kept,
        });
    }
    Ok(saved)
}
