//! Writing what an interview produces, the same for the full-screen and the plain interview:
//! the session file, and every document of the questionnaire saved as a new revision.
use crate::core::document::Engine;
use crate::core::fsio::Project;
use crate::core::history::{self, DocumentText, HandEdits, Provenance, Revision, SaveError, SaveRequest, Saved};
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

/// Writes the session file (owner-only) with `updated` stamped to `now`, through the one
/// atomic write and without following links.
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
    session::write_session_file(project, &questionnaire.session_name(), &text).map_err(|e| e.to_string())
}

/// Saves every document of the questionnaire from `answers` with the one save of the core
/// (`history::save`, the same as `render --save`): all of them or none. With `overwrite`, a
/// document edited outside the tool is first recorded as a revision of its own, so the history
/// keeps the hand edit as well as the interview's version written over it.
pub fn save_documents(
    project: &Project,
    engine: &Engine,
    answers: &Answers,
    overwrite: bool,
    provenance: &Provenance,
    sources: &session::Provenance,
) -> Result<Vec<SavedDocument>, SaveProblem> {
    let q = engine.questionnaire();
    crate::core::instance::check_saving(q, answers).map_err(SaveProblem::Failed)?;
    let documents = engine.render(answers).map_err(|e| SaveProblem::Failed(e.to_string()))?;
    let answers_toml = session::to_toml(
        q,
        &AnswersFile {
            questionnaire: Some(q.id.clone()),
            answers: answers.clone(),
            provenance: sources.clone(),
            session: None,
        },
    );
    let texts: Vec<DocumentText> = documents
        .iter()
        .map(|d| DocumentText {
            path: &d.path,
            text: &d.text,
        })
        .collect();
    let report = history::save(
        project,
        &SaveRequest {
            documents: &texts,
            answers_toml: &answers_toml,
            questionnaire: (&q.id, &q.version),
            provenance,
            hand_edits: if overwrite {
                HandEdits::KeepThenOverwrite
            } else {
                HandEdits::Refuse
            },
        },
    )
    .map_err(|e| match e {
        SaveError::EditedOutside { .. } => SaveProblem::EditedOutside(e.to_string()),
        other => SaveProblem::Failed(other.to_string()),
    })?;
    Ok(report
        .documents
        .into_iter()
        .map(|saved| {
            let text = documents
                .iter()
                .find(|d| d.path == saved.path)
                .map(|d| d.text.clone())
                .unwrap_or_default();
            SavedDocument {
                path: saved.path,
                outcome: saved.outcome,
                text,
                kept: saved.kept,
            }
        })
        .collect())
}
