//! `check`: required answers still open and lint findings, as text or JSON.
use serde::Serialize;
use std::io::Write as _;
use std::path::Path;

use super::{CommandResult, Context, Failure, Outcome, engine, load_answers, plural, print_json, tell};
use spec_interview::core::document::Engine;
use spec_interview::core::limits;
use spec_interview::core::lint::{self, Report};
use spec_interview::core::questionnaire::{DEFAULT_ID, Severity};
use spec_interview::core::sanitize::{sanitize, sanitize_line, shown_path};
use spec_interview::core::session::{self, AnswersFile};

pub fn check(ctx: &Context, id: Option<&str>, answers: Option<&Path>, json: bool) -> CommandResult {
    let catalog = ctx.catalog_quiet_about(Some(&super::questionnaire_asked(id, answers)));
    let (engine, file, source) = if let Some(path) = answers {
        let (engine, file) = load_answers(ctx, &catalog, id, path)?;
        (engine, file, path.display().to_string())
    } else {
        let id = id.unwrap_or(DEFAULT_ID);
        let q = ctx.questionnaire(&catalog, id)?;
        if !q.instance.is_empty() {
            return check_instances(ctx, &q, json);
        }
        let session_path = ctx.project.session_file(id);
        let text = session::read_session_file(&ctx.project, id).map_err(|e| Failure::in_file(e.to_string()))?;
        if let Some(text) = text {
            let file = session::parse(&session_path, &text, &q)?;
            (engine(ctx, q)?, file, session_path.display().to_string())
        } else {
            tell(&format!(
                "note: no answers file given and no session at {}; checking empty answers.",
                shown_path(&session_path)
            ));
            (engine(ctx, q)?, AnswersFile::default(), "no answers".to_string())
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

/// `check` without an answers file, on a questionnaire kept per instance: every instance's
/// session, one report each (in JSON, an array of them); exit 1 when any has an error.
fn check_instances(
    ctx: &Context,
    q: &std::sync::Arc<spec_interview::core::questionnaire::Questionnaire>,
    json: bool,
) -> CommandResult {
    use spec_interview::core::instance;
    let names = instance::existing(&ctx.project, &q.id);
    if names.is_empty() {
        tell(&format!(
            "note: no answers file given and no session under {}; start one with spec-interview interview {}.",
            shown_path(&ctx.project.sessions_dir().join(&q.id)),
            q.id
        ));
        return Ok(Outcome::Fine);
    }
    let mut any_error = false;
    let mut reports = Vec::new();
    for name in names {
        let Some(opened) = instance::resolved(q, &name) else {
            continue;
        };
        let opened = std::sync::Arc::new(opened);
        let path = ctx.project.session_file(&opened.session_name());
        let Some(text) = session::read_session_file(&ctx.project, &opened.session_name())
            .map_err(|e| Failure::in_file(e.to_string()))?
        else {
            continue;
        };
        let file = session::parse(&path, &text, &opened)?;
        let engine = engine(ctx, opened)?;
        let report = lint::check(&engine, &file.answers).map_err(|e| Failure::usage(e.to_string()))?;
        any_error |= report.count(Severity::Error) > 0;
        reports.push((engine, shown_path(&path), report));
    }
    if json {
        let rows: Vec<CheckJson> = reports.iter().map(|(e, s, r)| CheckJson::new(e, s, r)).collect();
        print_json(&rows);
    } else {
        for (engine, source, report) in &reports {
            print_report(engine, source, report);
        }
    }
    Ok(if any_error { Outcome::Findings } else { Outcome::Fine })
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

/// How many findings the text report prints before it only counts the rest: more than any
/// built-in questionnaire makes on empty answers, far fewer than a file built to flood it.
const SHOWN: usize = 100;

fn print_report(engine: &Engine, source: &str, report: &Report) {
    let mut findings: Vec<&lint::Finding> = report.findings.iter().collect();
    // Errors first, then warnings, then information; questionnaire order within each.
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut out = std::io::stdout().lock();
    let hidden = findings.len().saturating_sub(SHOWN);
    for f in findings.into_iter().take(SHOWN) {
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
    if hidden > 0 {
        let _ = writeln!(
            out,
            "… and {} more finding{} (--json lists every one).",
            limits::count(hidden),
            plural(hidden)
        );
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
