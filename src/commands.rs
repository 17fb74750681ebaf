//! The headless commands: render, check, list, show, validate. They use only the core.
use serde::Serialize;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use spec_interview::core::diagnostic::Diagnostics;

use spec_interview::core::document::{Engine, QuestionState as S, RenderedDocument};
use spec_interview::core::fsio::{DOCS_PREFIX, Privacy, Project, atomic_write, sanitize};
use spec_interview::core::history::{self, History, HistoryError, Provenance, SaveError, Saved, io_reason};
use spec_interview::core::lint::{self, Report};
use spec_interview::core::questionnaire::{Catalog, DEFAULT_ID, LookupError, Questionnaire, Severity, validate_file};
use spec_interview::core::review::{self, AnswerChanges, Note, Verdict};
use spec_interview::core::session::{self, AnswersFile};
use spec_interview::tui::app;
use spec_interview::tui::review::app as review_app;
use spec_interview::tui::theme::Theme;

pub enum Outcome {
    Fine,
    /// Exit 1: the command worked and found errors (or differences).
    Findings,
}

/// A command that could not do its job: a message for stderr and an exit code.
pub struct Failure {
    pub code: u8,
    message: String,
    /// The message starts with the file it is about (`file:line:column: …`), like a compiler's.
    located: bool,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
            located: false,
        }
    }
    /// A problem with an input file; the message starts with the file's name.
    fn in_file(message: impl Into<String>) -> Failure {
        Failure {
            located: true,
            ..Failure::usage(message)
        }
    }
    fn invalid(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            ..Failure::usage(message)
        }
    }
    /// The message, sanitised: it may quote file contents.
    pub fn render(&self) -> String {
        if self.message.is_empty() {
            return String::new();
        }
        let text = sanitize(&self.message);
        if self.located {
            text.into_owned()
        } else {
            format!("spec-interview: {text}")
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Failure {
        Failure::in_file(d.to_string())
    }
}

impl From<HistoryError> for Failure {
    fn from(e: HistoryError) -> Failure {
        match e {
            HistoryError::UnknownDocument(_) => Failure::usage(e.to_string()),
            HistoryError::Io { .. } | HistoryError::Corrupt { .. } | HistoryError::UnknownRevision { .. } => {
                Failure::in_file(e.to_string())
            }
        }
    }
}

type CommandResult = Result<Outcome, Failure>;

pub struct Context {
    project: Project,
}

impl Context {
    pub fn new(root: PathBuf) -> Context {
        Context {
            project: Project::new(root),
        }
    }

    fn catalog(&self) -> Catalog {
        self.catalog_quiet_about(None)
    }

    /// The catalog, warning about every broken file except one named after `quiet` (for
    /// `show ID > .specflow/questionnaires/ID.toml`, whose target is empty while it runs).
    fn catalog_quiet_about(&self, quiet: Option<&str>) -> Catalog {
        let catalog = Catalog::load(user_questionnaires().as_deref(), &self.project.questionnaires_dir());
        for (id, problems) in catalog.problems_by_id() {
            if Some(id) == quiet {
                continue;
            }
            for line in sanitize(&problems.to_string()).lines() {
                eprintln!("warning: {line}");
            }
        }
        catalog
    }

    #[allow(clippy::unused_self)] // keeps call sites reading as "the context's questionnaire"
    fn questionnaire(&self, catalog: &Catalog, id: &str) -> Result<Arc<Questionnaire>, Failure> {
        catalog
            .get(id)
            .map(|e| Arc::clone(&e.questionnaire))
            .map_err(|e| match e {
                LookupError::Broken(d) => Failure::from(d),
                LookupError::Unknown { .. } => Failure::usage(e.to_string()),
            })
    }
}

/// The user's questionnaire folder in the platform config dir.
fn user_questionnaires() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "spec-interview").map(|d| d.config_dir().join("questionnaires"))
}

fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{}: cannot read it: {}.", path.display(), io_reason(&e))))
}

/// Loads an answers file and the questionnaire it is for.
fn load_answers(
    ctx: &Context,
    catalog: &Catalog,
    id: Option<&str>,
    path: &Path,
) -> Result<(Engine, AnswersFile), Failure> {
    let text = read_text(path)?;
    let id = id
        .map(str::to_string)
        .or_else(|| session::declared_questionnaire(&text))
        .unwrap_or_else(|| DEFAULT_ID.to_string());
    let questionnaire = ctx.questionnaire(catalog, &id)?;
    let file = session::parse(path, &text, &questionnaire)?;
    Ok((engine(questionnaire)?, file))
}

fn engine(questionnaire: Arc<Questionnaire>) -> Result<Engine, Failure> {
    Engine::new(questionnaire).map_err(|e| Failure::usage(e.to_string()))
}

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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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

pub fn check(ctx: &Context, id: Option<&str>, answers: Option<&Path>, json: bool) -> CommandResult {
    let catalog = ctx.catalog();
    let (engine, file, source) = if let Some(path) = answers {
        let (engine, file) = load_answers(ctx, &catalog, id, path)?;
        (engine, file, path.display().to_string())
    } else {
        let id = id.unwrap_or(DEFAULT_ID);
        let q = ctx.questionnaire(&catalog, id)?;
        let session_path = ctx.project.session_file(id);
        if session_path.exists() {
            let text = read_text(&session_path)?;
            let file = session::parse(&session_path, &text, &q)?;
            (engine(q)?, file, session_path.display().to_string())
        } else {
            eprintln!(
                "note: no answers file given and no session at {}; checking empty answers.",
                session_path.display()
            );
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

fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("spec-interview: cannot write JSON: {e}."),
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
        let _ = writeln!(out, "{}[{}]{place} {}", f.severity.name(), f.rule, sanitize(&f.message));
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
        sanitize(source)
    );
}

#[derive(Serialize)]
struct QuestionnaireJson<'a> {
    id: &'a str,
    version: &'a str,
    title: &'a str,
    description: &'a str,
    source: &'static str,
    overrides: Vec<&'static str>,
    path: String,
}

#[allow(clippy::unnecessary_wraps)] // every command has the same signature
pub fn list_questionnaires(ctx: &Context, json: bool) -> CommandResult {
    let catalog = ctx.catalog();
    let rows: Vec<QuestionnaireJson> = catalog
        .entries()
        .map(|e| QuestionnaireJson {
            id: &e.questionnaire.id,
            version: &e.questionnaire.version,
            title: &e.questionnaire.title,
            description: &e.questionnaire.description,
            source: e.source.name(),
            overrides: e.overrides.iter().map(|s| s.name()).collect(),
            path: e.questionnaire.origin.path.display().to_string(),
        })
        .collect();
    if json {
        print_json(&rows);
        return Ok(Outcome::Fine);
    }
    let sources: Vec<String> = rows
        .iter()
        .map(|r| {
            if catalog.is_broken(r.id) {
                format!("{} (an override fails to load)", r.source)
            } else if r.overrides.is_empty() {
                r.source.to_string()
            } else {
                format!("{} (overrides {})", r.source, r.overrides.join(", "))
            }
        })
        .collect();
    let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let version_width = rows.iter().map(|r| r.version.len()).max().unwrap_or(0).max(7);
    let source_width = sources.iter().map(String::len).max().unwrap_or(0).max(6);
    println!(
        "{:width$}  {:version_width$}  {:source_width$}  DESCRIPTION",
        "ID", "VERSION", "SOURCE"
    );
    for (r, source) in rows.iter().zip(&sources) {
        println!(
            "{:width$}  {:version_width$}  {source:source_width$}  {}",
            sanitize(r.id),
            sanitize(r.version),
            sanitize(r.description)
        );
    }
    Ok(Outcome::Fine)
}

#[derive(Serialize)]
struct SessionJson {
    questionnaire: String,
    path: String,
    answered: usize,
    questions: usize,
    required_open: usize,
    /// Answers kept aside because the questionnaire changed.
    kept: usize,
    updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

pub fn list_sessions(ctx: &Context, json: bool) -> CommandResult {
    let catalog = ctx.catalog();
    let dir = ctx.project.sessions_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let mut rows = Vec::new();
    for path in paths {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| humantime::format_rfc3339_seconds(t).to_string());
        let mut row = SessionJson {
            questionnaire: id.clone(),
            path: path.display().to_string(),
            answered: 0,
            questions: 0,
            required_open: 0,
            kept: 0,
            updated: modified,
            problem: None,
        };
        let loaded = read_text(&path).and_then(|text| {
            let q = ctx.questionnaire(&catalog, &id)?;
            // Read as the interview reads it: answers that no longer fit are kept aside.
            let (file, _) = session::load_session(&path, &text, &q).map_err(|e| Failure::in_file(e.to_string()))?;
            Ok((q, file))
        });
        match loaded {
            Ok((q, file)) => {
                let engine = engine(q)?;
                let vis = engine.visibility(&file.answers);
                let states = engine.states(&file.answers, &vis);
                row.questions = states.iter().filter(|(_, s)| !matches!(s, S::Hidden { .. })).count();
                row.answered = states
                    .iter()
                    .filter(|(_, s)| matches!(s, S::Answered | S::Invalid(_)))
                    .count();
                row.required_open = states
                    .iter()
                    .filter(|(_, s)| matches!(s, S::Open { required: true }))
                    .count();
                if let Some(state) = file.session {
                    row.kept = state.kept.len();
                    if let Some(updated) = state.updated {
                        row.updated = Some(updated);
                    }
                }
            }
            Err(f) => row.problem = Some(sanitize(&f.message).into_owned()),
        }
        rows.push(row);
    }
    if json {
        print_json(&rows);
        return Ok(Outcome::Fine);
    }
    if rows.is_empty() {
        println!("no sessions in {}", dir.display());
        return Ok(Outcome::Fine);
    }
    for r in &rows {
        match &r.problem {
            Some(p) => println!("{}  unreadable: {p}", r.questionnaire),
            None => println!(
                "{}  {}/{} answered · {} required open{} · last change {}",
                r.questionnaire,
                r.answered,
                r.questions,
                r.required_open,
                if r.kept > 0 {
                    format!(" · {} answers kept aside", r.kept)
                } else {
                    String::new()
                },
                r.updated.as_deref().unwrap_or("unknown")
            ),
        }
    }
    Ok(Outcome::Fine)
}

#[derive(Serialize)]
struct RevisionJson<'a> {
    #[serde(flatten)]
    revision: &'a history::Revision,
    added: Option<usize>,
    removed: Option<usize>,
    /// Null for the first revision and when an answers file cannot be read.
    changed_answers: Option<&'a [String]>,
    review: ReviewJson<'a>,
}

#[derive(Serialize)]
struct ReviewJson<'a> {
    state: &'static str,
    reviewer: Option<&'a str>,
    time: Option<&'a str>,
    /// Every note of the latest decision.
    notes: &'a [Note],
}

fn revision_json(row: &review::RevisionSummary) -> RevisionJson<'_> {
    let latest = row.decisions.last();
    RevisionJson {
        revision: &row.revision,
        added: row.lines.map(|(a, _)| a),
        removed: row.lines.map(|(_, r)| r),
        changed_answers: match &row.answers {
            AnswerChanges::Ids(ids) => Some(ids),
            AnswerChanges::First | AnswerChanges::Unknown => None,
        },
        review: ReviewJson {
            state: match latest.map(|d| d.verdict) {
                None => "unreviewed",
                Some(Verdict::Approved) => "approved",
                Some(Verdict::ChangesRequested) => "changes_requested",
            },
            reviewer: latest.map(|d| d.reviewer.as_str()),
            time: latest.map(|d| d.time.as_str()),
            notes: latest.map_or(&[], |d| d.notes.as_slice()),
        },
    }
}

pub fn list_revisions(ctx: &Context, doc: &str, json: bool) -> CommandResult {
    let (history, revisions) = match History::find(&ctx.project, doc) {
        Ok(h) => {
            let revisions = h.revisions().map_err(|e| Failure::usage(e.to_string()))?;
            (Some(h), revisions)
        }
        Err(e) => {
            // A document a questionnaire declares but nobody has saved yet has no revisions.
            let catalog = ctx.catalog();
            let key = history::history_key(doc.trim_start_matches("./"));
            let declared = catalog
                .entries()
                .flat_map(|e| {
                    e.questionnaire
                        .documents
                        .iter()
                        .map(|d| history::history_key(&d.path))
                        .collect::<Vec<_>>()
                })
                .any(|k| k == key);
            if !declared {
                let known = history::documents_with_history(&ctx.project);
                let hint = if known.is_empty() {
                    String::new()
                } else {
                    format!(" Documents with revisions: {}.", known.join(", "))
                };
                return Err(Failure::usage(format!("{e}{hint}")));
            }
            (None, Vec::new())
        }
    };
    let (Some(history), Some(latest)) = (history, revisions.last()) else {
        if json {
            print_json(&revisions);
        } else {
            println!("no saved revisions of {doc} yet (save one with `spec-interview render --save`).");
        }
        return Ok(Outcome::Fine);
    };
    // Unreadable texts or answers of old revisions are told once on stderr and shown as `?`;
    // a damaged review file fails the listing, as it would fail a review.
    let rows = review::summaries(&history)?;
    for problem in rows.iter().flat_map(|r| &r.problems) {
        eprintln!("warning: {}", sanitize(problem));
    }
    if json {
        print_json(&rows.iter().map(revision_json).collect::<Vec<_>>());
        return Ok(Outcome::Fine);
    }
    let requests = history.requests_in_cycle()?;
    let authors: Vec<String> = rows.iter().map(|r| sanitize(&r.revision.author).into_owned()).collect();
    let changes: Vec<String> = rows
        .iter()
        .map(|r| r.lines.map_or_else(|| "?".into(), |(a, d)| format!("+{a} -{d}")))
        .collect();
    // As wide as the longest author up to 24 characters, so the table fits in 100 columns.
    let author_width = authors
        .iter()
        .map(|a| a.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 24);
    let change_width = changes.iter().map(|c| c.chars().count()).max().unwrap_or(0).max(6);
    println!(
        "{:>4}  {:20}  {:author_width$}  {:>6}  {:change_width$}  QUESTIONNAIRE",
        "REV", "TIME", "AUTHOR", "LINES", "CHANGE"
    );
    for ((row, author), change) in rows.iter().zip(&authors).zip(&changes) {
        let r = &row.revision;
        println!(
            "{:>4}  {:20}  {author:author_width$}  {:>6}  {change:change_width$}  {} {}",
            r.number,
            sanitize(&r.time),
            r.lines,
            sanitize(&r.questionnaire),
            sanitize(&r.questionnaire_version)
        );
        let answers = format!(
            "answers changed: {}",
            sanitize(&row.answers.describe(3)).replace('\n', " ")
        );
        let review = format!("review: {}", sanitize(&row.state().describe()).replace('\n', " "));
        // One detail line when it fits in 100 columns, else two.
        let indent = "      ";
        if indent.len() + answers.chars().count() + 5 + review.chars().count() <= 100 {
            println!("{indent}{answers}  ·  {review}");
        } else {
            println!("{indent}{answers}\n{indent}{review}");
        }
    }
    let document = latest.document.strip_prefix(DOCS_PREFIX).unwrap_or(&latest.document);
    if let Some(message) = review::limit_message(document, requests) {
        println!("\n{}", sanitize(&message));
    }
    Ok(Outcome::Fine)
}

pub fn show(ctx: &Context, id: &str, json: bool, answers_template: bool) -> CommandResult {
    let catalog = ctx.catalog_quiet_about(Some(id));
    // A broken override does not hide what it overrides here: showing it is how one is written.
    let q = match catalog.get_loadable(id) {
        Some(entry) => Arc::clone(&entry.questionnaire),
        None => ctx.questionnaire(&catalog, id)?,
    };
    if answers_template {
        if json {
            return Err(Failure::usage("--answers-template prints TOML; drop --format json."));
        }
        print!("{}", session::answers_template(&q));
    } else if json {
        print_json(&*q);
    } else {
        print!("{}", sanitize(&q.origin.text));
    }
    Ok(Outcome::Fine)
}

pub fn validate(files: &[PathBuf]) -> CommandResult {
    let mut invalid = false;
    let mut unreadable = false;
    for file in files {
        match std::fs::read_to_string(file) {
            Err(e) => {
                eprintln!("{}: cannot read it: {}.", file.display(), io_reason(&e));
                unreadable = true;
            }
            Ok(_) => match validate_file(file) {
                Ok(q) => {
                    let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
                    println!(
                        "{}: ok ({} {}, {}, {}, {})",
                        file.display(),
                        q.id,
                        q.version,
                        count(q.questions().count(), "question"),
                        count(q.rules.len(), "rule"),
                        count(q.documents.len(), "document")
                    );
                }
                Err(d) => {
                    eprintln!("{}", sanitize(&d.to_string()));
                    invalid = true;
                }
            },
        }
    }
    // Each problem was printed above, one per line; only the exit code is left to give.
    if unreadable {
        Err(Failure::usage("").quiet())
    } else if invalid {
        Err(Failure::invalid("").quiet())
    } else {
        Ok(Outcome::Fine)
    }
}

impl Failure {
    /// A failure whose details were already printed.
    fn quiet(mut self) -> Failure {
        self.message.clear();
        self
    }
}

/// The colours: `--no-color` or `NO_COLOR` win, then `--theme`, then a light terminal
/// announced by `COLORFGBG`, else dark.
fn choose_theme(name: Option<&str>, no_color: bool) -> Result<Theme, Failure> {
    let named = match name {
        Some(name) => Some(Theme::named(name).ok_or_else(|| {
            Failure::usage(format!(
                "there is no theme \"{name}\"; the themes are {}.",
                Theme::NAMES.join(", ")
            ))
        })?),
        None => None,
    };
    if no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return Ok(Theme::monochrome());
    }
    if let Some(theme) = named {
        return Ok(theme);
    }
    let light = std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| v.rsplit(';').next().and_then(|bg| bg.parse::<u8>().ok()))
        .is_some_and(|bg| bg == 7 || bg >= 9);
    Ok(if light { Theme::light() } else { Theme::dark() })
}

/// The full-screen interview on questionnaire `id` (default D04), resuming its session.
/// How the interview is opened.
pub struct InterviewFlags<'a> {
    pub theme: Option<&'a str>,
    pub no_color: bool,
    pub read_only: bool,
    pub fresh: bool,
}

pub fn interview(ctx: &Context, id: Option<&str>, flags: &InterviewFlags) -> CommandResult {
    let (theme, no_color) = (flags.theme, flags.no_color);
    let theme = choose_theme(theme, no_color)?;
    let catalog = ctx.catalog();
    let q = ctx.questionnaire(&catalog, id.unwrap_or(DEFAULT_ID))?;
    match app::run(
        ctx.project.clone(),
        &q,
        app::Options {
            theme,
            read_only: flags.read_only,
            fresh: flags.fresh,
        },
    ) {
        Ok(app::Ending::Quit) if flags.read_only => {
            eprintln!("Read-only: nothing was written.");
            Ok(Outcome::Fine)
        }
        Ok(app::Ending::Quit) => {
            let path = ctx.project.session_file(&q.id);
            let path = std::env::current_dir().map_or(path.clone(), |cwd| cwd.join(&path));
            eprintln!(
                "Answers saved in {}; run spec-interview again to continue where you left off.",
                path.display()
            );
            Ok(Outcome::Fine)
        }
        Ok(app::Ending::Signal(signal)) => Err(Failure {
            code: u8::try_from(128 + signal).unwrap_or(1),
            message: format!("stopped by signal {signal}; the session was saved first."),
            located: false,
        }),
        Err(app::AppError::NoTerminal) => Err(Failure::usage(
            "the interview needs a terminal (standard input and output must be a terminal); \
             the headless commands work without one (see spec-interview --help).",
        )),
        Err(app::AppError::Input(message)) => Err(Failure::in_file(message)),
        Err(e @ app::AppError::Locked(_)) => Err(Failure::usage(format!(
            "{e} Close that one, or look without writing: spec-interview --read-only{}",
            id.map(|i| format!(" interview {i}")).unwrap_or_default()
        ))),
        Err(e @ app::AppError::Terminal(_)) => Err(Failure::usage(e.to_string())),
    }
}

/// What `diff` was asked for.
#[allow(clippy::struct_excessive_bools)] // one field per command-line switch
pub struct DiffRequest<'a> {
    pub doc: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub print: bool,
    pub stat: bool,
    pub side_by_side: bool,
    pub markdown: bool,
    pub no_color: bool,
    pub theme: Option<&'a str>,
}

/// One side of a comparison: a saved revision or the file on disk (`number` is `None`).
struct Side {
    label: String,
    text: String,
    number: Option<u32>,
}

fn resolve_side(
    ctx: &Context,
    history: &History,
    revisions: &[history::Revision],
    doc_path: &str,
    rev: &str,
) -> Result<Side, Failure> {
    let latest = revisions.last().map(|r| r.number);
    let number = match rev {
        "disk" | "file" => {
            let path = ctx.project.document_file(doc_path);
            let text = read_text(&path)?;
            return Ok(Side {
                label: "the file on disk".into(),
                text,
                number: None,
            });
        }
        "latest" => latest,
        "previous" => {
            if revisions.len() < 2 {
                return Err(Failure::usage(format!(
                    "{doc_path} has only {} revision{}, so there is no previous one; compare with --from 1 --to disk, or save another revision.",
                    revisions.len(),
                    plural(revisions.len())
                )));
            }
            Some(revisions[revisions.len() - 2].number)
        }
        n => Some(n.trim_start_matches(['r', 'R']).parse::<u32>().map_err(|_| {
            Failure::usage(format!(
                "\"{n}\" is not a revision: give a number, latest, previous or disk."
            ))
        })?),
    };
    let Some(number) = number.filter(|n| revisions.iter().any(|r| r.number == *n)) else {
        let known: Vec<String> = revisions.iter().map(|r| r.number.to_string()).collect();
        return Err(Failure::usage(format!(
            "{doc_path} has no revision {rev}; its revisions are {}.",
            if known.is_empty() {
                "none yet".to_string()
            } else {
                known.join(", ")
            }
        )));
    };
    Ok(Side {
        label: format!("revision {number}"),
        text: history.content(number)?,
        number: Some(number),
    })
}

/// `diff`: the printed unified diff (git-style, section-named hunks), `--stat`, or a Markdown
/// review summary. Exit 0 when equal, 1 when different, 2 on error.
pub fn diff(ctx: &Context, req: &DiffRequest) -> CommandResult {
    use spec_interview::core::diff as d;
    use std::io::IsTerminal;
    let doc_path = if let Some(doc) = req.doc {
        let key = history::history_key(doc.trim_start_matches("./"));
        format!("{}{key}.md", spec_interview::core::fsio::DOCS_PREFIX)
    } else {
        let catalog = ctx.catalog();
        let q = ctx.questionnaire(&catalog, DEFAULT_ID)?;
        q.documents.first().map(|doc| doc.path.clone()).unwrap_or_default()
    };
    let history = History::find(&ctx.project, &doc_path)?;
    let revisions = history.revisions()?;
    let old = resolve_side(ctx, &history, &revisions, &doc_path, req.from.unwrap_or("previous"))?;
    let new = resolve_side(ctx, &history, &revisions, &doc_path, req.to.unwrap_or("latest"))?;
    let terminal = std::io::stdout().is_terminal();
    let equal = old.text == new.text;
    if terminal && std::io::stdin().is_terminal() && !req.print && !req.stat && !req.markdown {
        let store = review_app::Store {
            project: ctx.project.clone(),
            document: doc_path.clone(),
            history,
        };
        let options = review_app::Options {
            theme: choose_theme(req.theme, req.no_color)?,
            side_by_side: req.side_by_side,
        };
        return match review_app::run(&store, old.number, new.number, options) {
            Ok(app::Ending::Quit) => Ok(if equal { Outcome::Fine } else { Outcome::Findings }),
            Ok(app::Ending::Signal(signal)) => Err(Failure {
                code: u8::try_from(128 + signal).unwrap_or(1),
                message: format!("stopped by signal {signal}."),
                located: false,
            }),
            Err(app::AppError::Input(message)) => Err(Failure::usage(message)),
            Err(e) => Err(Failure::usage(e.to_string())),
        };
    } else if req.side_by_side && !terminal {
        eprintln!("note: --side-by-side is a layout of the full-screen reviewer; printing a unified diff.");
    }
    let color = terminal && !req.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = std::io::stdout().lock();
    if req.markdown {
        let _ = write!(out, "{}", review_summary(&doc_path, &old, &new));
    } else if req.stat {
        let changes = d::section_changes(&old.text, &new.text);
        let _ = writeln!(out, "{doc_path}: {} → {}", old.label, new.label);
        let (mut added, mut removed) = (0, 0);
        for c in changes.iter().filter(|c| c.status != d::SectionStatus::Unchanged) {
            added += c.added;
            removed += c.removed;
            let indent = "  ".repeat(usize::from(c.level.saturating_sub(1)));
            let title = if c.title.is_empty() {
                "(before the first heading)"
            } else {
                c.title.as_str()
            };
            let _ = writeln!(
                out,
                " {} {indent}{}  +{} -{}  {}",
                c.mark(),
                sanitize(title),
                c.added,
                c.removed,
                c.describe()
            );
        }
        let sections_changed = changes
            .iter()
            .filter(|c| c.status != d::SectionStatus::Unchanged)
            .count();
        let _ = writeln!(
            out,
            "{sections_changed} section{} changed, +{added} -{removed}",
            plural(sections_changed)
        );
    } else {
        let patch = d::unified(&old.text, &new.text, &doc_path);
        if color {
            for line in patch.lines() {
                let code = match line.as_bytes().first() {
                    Some(b'+') if !line.starts_with("+++") => "32",
                    Some(b'-') if !line.starts_with("---") => "31",
                    Some(b'@') => "36",
                    Some(b'd') => "1",
                    _ => "",
                };
                if code.is_empty() {
                    let _ = writeln!(out, "{}", sanitize(line));
                } else {
                    let _ = writeln!(out, "\u{1b}[{code}m{}\u{1b}[0m", sanitize(line));
                }
            }
        } else {
            // Byte for byte, so `patch` and `git apply` reproduce the newer side exactly.
            let _ = out.write_all(patch.as_bytes());
        }
    }
    Ok(if equal { Outcome::Fine } else { Outcome::Findings })
}

/// A Markdown summary of a revision diff for a pull request: what changed, section by section.
fn review_summary(doc_path: &str, old: &Side, new: &Side) -> String {
    use spec_interview::core::diff as d;
    use std::fmt::Write as _;
    let changes = d::section_changes(&old.text, &new.text);
    let mut out = format!("### `{doc_path}`: {} → {}\n\n", old.label, new.label);
    let edits: Vec<_> = changes
        .iter()
        .filter(|c| c.status != d::SectionStatus::Unchanged)
        .collect();
    if edits.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str("| | Section | Change | Lines |\n|---|---|---|---|\n");
    for c in &edits {
        let title = if c.title.is_empty() {
            "(before the first heading)".to_string()
        } else {
            c.title.replace('|', "\\|")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | +{} −{} |",
            c.mark().trim(),
            sanitize(&title),
            c.describe(),
            c.added,
            c.removed
        );
    }
    let unchanged = changes.len() - edits.len();
    let _ = writeln!(
        out,
        "\n{} section{} changed, {unchanged} unchanged.",
        edits.len(),
        plural(edits.len())
    );
    out
}
