//! `render`: a document from an answers file, to standard output, a file, or saved as a revision.
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::{CommandResult, Context, Failure, Outcome, load_answers, plural, tell, warn};
use spec_interview::core::document::RenderedDocument;
use spec_interview::core::fsio::write_user_file;
use spec_interview::core::history::{self, DocumentText, HandEdits, Provenance, SaveError, SaveRequest, Saved};
use spec_interview::core::lint::{self};
use spec_interview::core::questionnaire::{Questionnaire, Severity};
use spec_interview::core::sanitize::shown_path;
use spec_interview::core::session::{self, AnswersFile};

pub fn render(
    ctx: &Context,
    id: Option<&str>,
    answers_path: &Path,
    save: bool,
    overwrite: bool,
    output: Option<&str>,
    only: Option<&str>,
) -> CommandResult {
    let catalog = ctx.catalog_quiet_about(Some(&super::questionnaire_asked(id, Some(answers_path))));
    let (engine, file) = load_answers(ctx, &catalog, id, answers_path)?;
    let questionnaire = Arc::clone(engine.questionnaire());
    // One pass renders the documents and finds the errors the closing note counts.
    let report = lint::check(&engine, &file.answers).map_err(|e| Failure::usage(e.to_string()))?;
    let errors = report.count(Severity::Error);
    let mut documents = report.documents;
    if let Some(only) = only {
        documents.retain(|d| d.id == only);
        if documents.is_empty() {
            let ids: Vec<&str> = questionnaire.documents.iter().map(|d| d.id.as_str()).collect();
            return Err(Failure::usage(format!(
                "questionnaire \"{}\" has no document \"{only}\"; its documents are {}.",
                questionnaire.id,
                ids.join(", ")
            )));
        }
    }
    if save {
        // A questionnaire kept per instance saves into the folder its keys name.
        if let Err(problem) = spec_interview::core::instance::name(&questionnaire, &file.answers) {
            return Err(Failure::usage(format!(
                "cannot save: {problem}. Answer it in {}, then save again.",
                answers_path.display()
            )));
        }
        let answers_toml = session::to_toml(
            &questionnaire,
            &AnswersFile {
                session: None,
                ..file.clone()
            },
        );
        let provenance = spec_interview::provenance::current(&ctx.project.root);
        save_documents(ctx, &questionnaire, &documents, &answers_toml, &provenance, overwrite)?;
    }
    match output {
        Some("-") => print_documents(&documents),
        None if !save => print_documents(&documents),
        None => {}
        Some(path) => {
            if documents.len() > 1 {
                return Err(Failure::usage(
                    "this questionnaire produces several documents; choose one with --document to write it to a file.",
                ));
            }
            for doc in &documents {
                write_user_file(Path::new(path), doc.text.as_bytes())
                    .map_err(|e| Failure::usage(format!("{path}: cannot write it: {}.", e.reason())))?;
            }
        }
    }
    if errors > 0 {
        tell(&format!(
            "note: {errors} error{} in these answers; run `spec-interview check` to see them.",
            plural(errors)
        ));
    }
    Ok(Outcome::Fine)
}

/// The documents on standard output. Their text went through the sanitiser when it was
/// rendered (`document::render` cleans it); the path comments are sanitised here.
fn print_documents(documents: &[RenderedDocument]) {
    let mut out = std::io::stdout().lock();
    let several = documents.len() > 1;
    for (i, doc) in documents.iter().enumerate() {
        if several {
            if i > 0 {
                let _ = writeln!(out);
            }
            let path = spec_interview::core::sanitize::sanitize_line(&doc.path);
            // A comment in the document's own language.
            let _ = match doc.kind {
                spec_interview::core::questionnaire::DocumentKind::Markdown => writeln!(out, "<!-- {path} -->"),
                spec_interview::core::questionnaire::DocumentKind::Yaml => writeln!(out, "# {path}"),
            };
        }
        let _ = out.write_all(doc.text.as_bytes());
    }
}

/// Saves the documents with the one save (the same as the interview's Ctrl-S): all of them or
/// none. `--overwrite` keeps a hand-edited document as a revision of its own first.
fn save_documents(
    ctx: &Context,
    q: &Questionnaire,
    documents: &[RenderedDocument],
    answers_toml: &str,
    provenance: &Provenance,
    overwrite: bool,
) -> Result<(), Failure> {
    let texts: Vec<DocumentText> = documents
        .iter()
        .map(|d| DocumentText {
            path: &d.path,
            text: &d.text,
        })
        .collect();
    let report = history::save(
        &ctx.project,
        &SaveRequest {
            documents: &texts,
            answers_toml,
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
        SaveError::EditedOutside { .. } => Failure::in_file(format!(
            "{e} Carry the change into the answers, or save with --overwrite to keep it as a revision and replace it."
        )),
        SaveError::History(h) => Failure::from(h),
        other => Failure::in_file(other.to_string()),
    })?;
    for problem in &report.problems {
        warn(&format!("{problem} It was skipped; its number is not used again."));
    }
    for recovery in &report.recovered {
        tell(&format!("note: {}.", recovery.describe()));
    }
    for saved in &report.documents {
        let path = shown_path(Path::new(&saved.path));
        if let Some(kept) = &saved.kept {
            tell(&format!(
                "kept the edit found in {path} as revision {} ({} lines).",
                kept.number, kept.lines
            ));
        }
        match &saved.outcome {
            Saved::New(r) => tell(&format!("saved {path} as revision {} ({} lines).", r.number, r.lines)),
            Saved::Unchanged(r) => tell(&format!(
                "{path} is unchanged since revision {}; no new revision.",
                r.number
            )),
        }
    }
    Ok(())
}
