//! `check`: required answers still open and lint findings, as text or JSON.
use serde::Serialize;
use std::io::Write as _;
use std::path::Path;

use super::{CommandResult, Context, Failure, Outcome, engine, load_answers, plural, print_json, tell};
use spec_interview::core::document::Engine;
use spec_interview::core::lint::{self, Report};
use spec_interview::core::questionnaire::{DEFAULT_ID, Severity};
use spec_interview::core::sanitize::{sanitize, sanitize_line, shown_path};
use spec_interview::core::session::{self, AnswersFile};

pub fn check(ctx: &Context, id: Option<&str>, answers: Option<&Path>, json: bool) -> CommandResult {
    let catalog = ctx.catalog();
    let (engine, file, source) = if let Some(path) = answers {
        let (engine, file) = load_answers(ctx, &catalog, id, path)?;
        (engine, file, path.display().to_string())
    } else {
        let id = id.unwrap_or(DEFAULT_ID);
        let q = ctx.questionnaire(&catalog, id)?;
        let session_path = ctx.project.session_file(id);
        let text = session::read_session_file(&ctx.project, id).map_err(|e| Failure::in_file(e.to_string()))?;
        if let Some(text) = text {
            let file = session::parse(&session_path, &text, &q)?;
            (engine(q)?, file, session_path.display().to_string())
        } else {
            tell(&format!(
                "note: no answers file given and no session at {}; checking empty answers.",
                shown_path(&session_path)
            ));
            (engine(q)?, AnswersFile::default(), "no answers".to_string())
        }
    };
    let report = lint::check(&engine, &file.answers).map_err(|e| Failure::usage(e.to_string()))?;
    if json {
        print_json(&CheckJson::new(&engine, &source, &report));
    } else {
        print_report(&engine, &source, &report);
    }
    Ok(if report.count(Severity::Error) > 0 {
        Outcome::Findings
    } else {
        Outcome::Fine
    })
}

#[derive(Serialize)]
struct CheckJson<'a> {
    questionnaire: &'a str,
    version: &'a str,
    answers: &'a str,
    errors: usize,
    warnings: usize,
    info: usize,
    findings: &'a [lint::Finding],
}

impl<'a> CheckJson<'a> {
    fn new(engine: &'a Engine, source: &'a str, report: &'a Report) -> Self {
        let q = engine.questionnaire();
        CheckJson {
            questionnaire: &q.id,
            version: &q.version,
            answers: source,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            findings: &report.findings,
        }
    }
}

fn print_report(engine: &Engine, source: &str, report: &Report) {
    let mut findings: Vec<&lint::Finding> = report.findings.iter().collect();
    // Errors first, then warnings, then information; questionnaire order within each.
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut out = std::io::stdout().lock();
    for f in findings {
        let mut place = String::new();
        if let Some(q) = &f.question {
            place.clone_from(q);
            if let Some(row) = f.row {
                place = format!("{place} row {row}");
            }
        }
        if let Some(doc) = &f.document {
            let path = engine
                .questionnaire()
                .document(doc)
                .map_or(doc.as_str(), |d| d.path.as_str());
            place = match f.line {
                Some(line) => format!("{path}:{line}"),
                None => path.to_string(),
            };
        }
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" {place}:")
        };
        let line = format!("{}[{}]{place} {}", f.severity.name(), f.rule, f.message);
        let _ = writeln!(out, "{}", sanitize(&line));
    }
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let _ = writeln!(
        out,
        "{}: {e} error{}, {w} warning{}, {i} note{} ({})",
        engine.questionnaire().id,
        plural(e),
        plural(w),
        plural(i),
        sanitize_line(source)
    );
}
