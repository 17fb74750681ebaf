//! `list`: questionnaires, sessions, or the revisions of a document.
use serde::Serialize;

use super::{CommandResult, Context, Failure, Outcome, engine, print_json, say, warn};
use spec_interview::core::document::QuestionState as S;
use spec_interview::core::fsio::DOCS_PREFIX;
use spec_interview::core::history::{self, History, HistoryError};
use spec_interview::core::review::{self, AnswerChanges, Note, Reply};
use spec_interview::core::sanitize::{sanitize, sanitize_line, shown_path};
use spec_interview::core::session::{self};

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
    say(&format!(
        "{:width$}  {:version_width$}  {:source_width$}  DESCRIPTION",
        "ID", "VERSION", "SOURCE"
    ));
    for (r, source) in rows.iter().zip(&sources) {
        say(&format!(
            "{:width$}  {:version_width$}  {source:source_width$}  {}",
            sanitize_line(r.id),
            sanitize_line(r.version),
            sanitize(r.description)
        ));
    }
    Ok(Outcome::Fine)
}

#[derive(Serialize)]
struct SessionJson {
    questionnaire: String,
    /// The instance (`crm--bulk-import`) of a questionnaire kept per instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    instance: Option<String>,
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
    let files = session::session_files(&ctx.project).map_err(|e| Failure::in_file(e.to_string()))?;
    let mut rows = Vec::new();
    for (name, path) in files {
        // `id`, or `id/instance` for a questionnaire kept per instance.
        let (id, instance) = match name.split_once('/') {
            Some((id, instance)) => (id.to_string(), Some(instance.to_string())),
            None => (name.clone(), None),
        };
        // The file itself, not what a link there names.
        let modified = std::fs::symlink_metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| humantime::format_rfc3339_seconds(t).to_string());
        let mut row = SessionJson {
            questionnaire: id.clone(),
            instance: instance.clone(),
            path: path.display().to_string(),
            answered: 0,
            questions: 0,
            required_open: 0,
            kept: 0,
            updated: modified,
            problem: None,
        };
        let loaded = session::read_session_file(&ctx.project, &name)
            .map_err(|e| Failure::in_file(e.to_string()))
            .and_then(|text| text.ok_or_else(|| Failure::in_file(format!("{}: no such file.", shown_path(&path)))))
            .and_then(|text| {
                let mut q = ctx.questionnaire(&catalog, &id)?;
                if let Some(instance) = &instance
                    && let Some(opened) = spec_interview::core::instance::resolved(&q, instance)
                {
                    q = std::sync::Arc::new(opened);
                }
                // Read as the interview reads it: answers that no longer fit are kept aside.
                let (file, _) = session::load_session(&path, &text, &q).map_err(|e| Failure::in_file(e.to_string()))?;
                Ok((q, file))
            });
        match loaded {
            Ok((q, file)) => {
                let engine = engine(ctx, q)?;
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
            Err(f) => row.problem = Some(f.message),
        }
        rows.push(row);
    }
    if json {
        print_json(&rows);
        return Ok(Outcome::Fine);
    }
    if rows.is_empty() {
        say(&format!("no sessions in {}", shown_path(&dir)));
        return Ok(Outcome::Fine);
    }
    for r in &rows {
        let full = match &r.instance {
            Some(instance) => format!("{}/{instance}", r.questionnaire),
            None => r.questionnaire.clone(),
        };
        let name = sanitize_line(&full);
        match &r.problem {
            Some(p) => say(&format!("{name}  unreadable: {}", p.replace('\n', " "))),
            None => say(&format!(
                "{name}  {}/{} answered · {} required open{} · last change {}",
                r.answered,
                r.questions,
                r.required_open,
                if r.kept > 0 {
                    format!(" · {} answers kept aside", r.kept)
                } else {
                    String::new()
                },
                sanitize_line(r.updated.as_deref().unwrap_or("unknown"))
            )),
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
    /// The latest decision's verdict (`unreviewed` when there is none), reviewer and time.
    state: &'static str,
    reviewer: Option<&'a str>,
    time: Option<&'a str>,
    /// Every note of the latest decision.
    notes: Vec<NoteJson<'a>>,
    /// Every decision on the revision, oldest first.
    decisions: Vec<DecisionJson<'a>>,
}

#[derive(Serialize)]
struct DecisionJson<'a> {
    verdict: &'static str,
    reviewer: &'a str,
    time: &'a str,
    notes: Vec<NoteJson<'a>>,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    id: &'a str,
    author: &'a str,
    /// The revision whose text the note quotes (the older one for a note on a removed line).
    revision: Option<u32>,
    path: &'a [String],
    quote: &'a str,
    text: &'a str,
    resolved: bool,
    replies: Vec<&'a Reply>,
}

fn note_json<'a>(note: &'a Note, replies: &'a [Reply]) -> NoteJson<'a> {
    let replies: Vec<&Reply> = replies.iter().filter(|r| r.note == note.id).collect();
    NoteJson {
        id: &note.id,
        author: &note.author,
        revision: note.on,
        path: &note.anchor.path,
        quote: &note.anchor.quote,
        text: &note.text,
        resolved: replies.iter().rev().find_map(|r| r.resolved) == Some(true),
        replies,
    }
}

fn decision_notes<'a>(d: &'a review::ReviewDecision, replies: &'a [Reply]) -> Vec<NoteJson<'a>> {
    d.notes.iter().map(|n| note_json(n, replies)).collect()
}

fn revision_json(row: &review::RevisionSummary) -> RevisionJson<'_> {
    let latest = row.decisions.last();
    let notes = |d| decision_notes(d, &row.replies);
    RevisionJson {
        revision: &row.revision,
        added: row.lines.map(|(a, _)| a),
        removed: row.lines.map(|(_, r)| r),
        changed_answers: match &row.answers {
            AnswerChanges::Ids(ids) => Some(ids),
            AnswerChanges::First | AnswerChanges::Unknown => None,
        },
        review: ReviewJson {
            state: latest.map_or("unreviewed", |d| d.verdict.key()),
            reviewer: latest.map(|d| d.reviewer.as_str()),
            time: latest.map(|d| d.time.as_str()),
            notes: latest.map(notes).unwrap_or_default(),
            decisions: row
                .decisions
                .iter()
                .map(|d| DecisionJson {
                    verdict: d.verdict.key(),
                    reviewer: &d.reviewer,
                    time: &d.time,
                    notes: notes(d),
                })
                .collect(),
        },
    }
}

pub fn list_revisions(ctx: &Context, doc: &str, json: bool) -> CommandResult {
    let (history, revisions) = match History::find(&ctx.project, doc) {
        Ok(h) => {
            // Damaged records (or ones from a newer spec-interview) are told once and skipped.
            let scan = h.scan().map_err(|e| Failure::in_file(e.to_string()))?;
            for problem in &scan.problems {
                warn(&format!("{problem} It was skipped; the other revisions are listed."));
            }
            (Some(h), scan.revisions)
        }
        Err(e @ HistoryError::Fs(_)) => return Err(Failure::in_file(e.to_string())),
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
            say(&format!(
                "no saved revisions of {} yet (save one with `spec-interview render --save`).",
                sanitize_line(doc)
            ));
        }
        return Ok(Outcome::Fine);
    };
    // Unreadable texts, answers or review files of revisions are told once on stderr and
    // shown as `?` (or as not reviewed).
    let rows = review::summaries(&history)?;
    for problem in rows.iter().flat_map(|r| &r.problems) {
        warn(problem);
    }
    if json {
        print_json(&rows.iter().map(revision_json).collect::<Vec<_>>());
        return Ok(Outcome::Fine);
    }
    let requests = history.requests_in_cycle()?;
    let authors: Vec<String> = rows
        .iter()
        .map(|r| sanitize_line(&r.revision.author).into_owned())
        .collect();
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
    say(&format!(
        "{:>4}  {:20}  {:author_width$}  {:>6}  {:change_width$}  QUESTIONNAIRE",
        "REV", "TIME", "AUTHOR", "LINES", "CHANGE"
    ));
    for ((row, author), change) in rows.iter().zip(&authors).zip(&changes) {
        let r = &row.revision;
        say(&format!(
            "{:>4}  {:20}  {author:author_width$}  {:>6}  {change:change_width$}  {} {}",
            r.number,
            sanitize_line(&r.time),
            r.lines,
            sanitize_line(&r.questionnaire),
            sanitize_line(&r.questionnaire_version)
        ));
        let answers = format!(
            "answers changed: {}",
            sanitize(&row.answers.describe(3)).replace('\n', " ")
        );
        let review = format!("review: {}", sanitize_line(&row.state().describe()));
        // One detail line when it fits in 100 columns, else two.
        let indent = "      ";
        if indent.len() + answers.chars().count() + 5 + review.chars().count() <= 100 {
            say(&format!("{indent}{answers}  ·  {review}"));
        } else {
            say(&format!("{indent}{answers}\n{indent}{review}"));
        }
        if let Some(commit) = &r.git_commit {
            let short: String = commit.chars().take(12).collect();
            say(&format!(
                "{indent}saved with git {} checked out",
                match &r.git_branch {
                    Some(branch) => format!("{} at {}", sanitize_line(branch), sanitize_line(&short)),
                    None => format!("commit {} (detached)", sanitize_line(&short)),
                }
            ));
        }
        // The whole history when there is more than the state says.
        if row.decisions.len() > 1 {
            say(&format!("{indent}review history, oldest first:"));
            for (k, d) in row.decisions.iter().enumerate() {
                say(&format!("{indent}  {}. {}", k + 1, sanitize_line(&d.describe())));
            }
        }
    }
    let document = latest.document.strip_prefix(DOCS_PREFIX).unwrap_or(&latest.document);
    if let Some(message) = review::limit_message(document, requests) {
        say(&format!("\n{message}"));
    } else if requests > 0 {
        say(&format!("\n{}", review::Gate { requests }.describe()));
    }
    Ok(Outcome::Fine)
}
