//! `render`: a document from an answers file, to standard output, a file, or saved as a revision.
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::{CommandResult, Context, Failure, Outcome, load_answers, plural};
use spec_interview::core::document::RenderedDocument;
use spec_interview::core::fsio::{Privacy, atomic_write};
use spec_interview::core::history::{self, Provenance, SaveError, Saved, io_reason};
use spec_interview::core::lint::{self};
use spec_interview::core::questionnaire::{Questionnaire, Severity};
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
    let catalog = ctx.catalog();
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
        for doc in &documents {
            save_document(ctx, &questionnaire, doc, &answers_toml, &provenance, overwrite)?;
        }
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
                atomic_write(Path::new(path), doc.text.as_bytes(), Privacy::Shared)
                    .map_err(|e| Failure::usage(format!("{path}: cannot write it: {}.", io_reason(&e))))?;
            }
        }
    }
    if errors > 0 {
        eprintln!(
            "note: {errors} error{} in these answers; run `spec-interview check` to see them.",
            plural(errors)
        );
    }
    Ok(Outcome::Fine)
}

fn print_documents(documents: &[RenderedDocument]) {
    let mut out = std::io::stdout().lock();
    let several = documents.len() > 1;
    for (i, doc) in documents.iter().enumerate() {
        if several {
            if i > 0 {
                let _ = writeln!(out);
            }
            let _ = writeln!(out, "<!-- {} -->", doc.path);
        }
        let _ = out.write_all(doc.text.as_bytes());
    }
}

fn save_document(
    ctx: &Context,
    q: &Questionnaire,
    doc: &RenderedDocument,
    answers_toml: &str,
    provenance: &Provenance,
    overwrite: bool,
) -> Result<(), Failure> {
    let saved = history::save_document(
        &ctx.project,
        &doc.path,
        &doc.text,
        answers_toml,
        (&q.id, &q.version),
        provenance,
        overwrite,
    )
    .map_err(|e| match e {
        SaveError::EditedOutside { .. } => Failure::in_file(format!(
            "{e} Carry the change into the answers, or save with --overwrite to replace it."
        )),
        SaveError::History(h) => Failure::from(h),
    })?;
    match saved {
        Saved::New(r) => eprintln!("saved {} as revision {} ({} lines).", doc.path, r.number, r.lines),
        Saved::Unchanged(r) => eprintln!(
            "{} is unchanged since revision {}; no new revision.",
            doc.path, r.number
        ),
    }
    Ok(())
}
