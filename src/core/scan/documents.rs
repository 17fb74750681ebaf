//! Proposals from earlier documents in `.specflow/docs/` (requirements, technology decisions,
//! data model, and documents of other questionnaires), cited by file, line and heading. A
//! proposal fills an answer from what a section states; it never copies a section's prose.
use std::path::Path;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use regex::Regex;

use super::fact::{Evidence, bounded};
use super::proposal::{Confidence, Proposal, Source};
use crate::core::answer::Answer;
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::core::quick;

/// The most read from one document.
const DOCUMENT_BYTES: usize = 512 * 1024;

/// A section of a document: its heading (with the headings above it) and its lines.
struct Section {
    heading: String,
    level: usize,
    /// 1-based line of the heading (0 before the first heading).
    line: u32,
    /// The section's lines (up to the next heading), with their numbers.
    lines: Vec<(u32, String)>,
}

fn level_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Splits Markdown into sections at its headings (found by pulldown-cmark, so headings inside
/// code blocks do not count).
fn sections(text: &str) -> Vec<Section> {
    let line_of =
        |offset: usize| u32::try_from(text[..offset.min(text.len())].matches('\n').count() + 1).unwrap_or(u32::MAX);
    let mut heads: Vec<(usize, u32, String, usize)> = Vec::new();
    let mut current: Option<(usize, u32, String, usize)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level_number(level), line_of(range.start), String::new(), range.end));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title, _)) = &mut current {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = current.take() {
                    heads.push(h);
                }
            }
            _ => {}
        }
    }
    let lines: Vec<(u32, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l.to_string()))
        .collect();
    let mut out = Vec::new();
    let mut path: Vec<(usize, String)> = Vec::new();
    let first = heads.first().map_or(u32::MAX, |h| h.1);
    out.push(Section {
        heading: String::new(),
        level: 0,
        line: 0,
        lines: lines.iter().filter(|(n, _)| *n < first).cloned().collect(),
    });
    for (i, (level, line, title, end)) in heads.iter().enumerate() {
        path.retain(|(l, _)| l < level);
        path.push((*level, title.trim().to_string()));
        let end_line = line_of(*end);
        let next = heads.get(i + 1).map_or(u32::MAX, |h| h.1);
        out.push(Section {
            heading: path.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" > "),
            level: *level,
            line: *line,
            lines: lines
                .iter()
                .filter(|(n, _)| *n > end_line.max(*line) - 1 && *n > *line && *n < next)
                .cloned()
                .collect(),
        });
    }
    out
}

/// Words that name a question's concern in a heading or a label, beyond its own label.
const CONCERNS: &[(&str, &[&str])] = &[
    (
        "runtime",
        &[
            "runtime",
            "language",
            "languages",
            "stack",
            "framework",
            "backend",
            "technology",
            "technologies",
            "platform",
        ],
    ),
    (
        "database",
        &[
            "database",
            "databases",
            "data store",
            "storage",
            "persistence",
            "primary store",
        ],
    ),
    (
        "primary_store",
        &[
            "database",
            "databases",
            "data store",
            "storage",
            "persistence",
            "primary store",
        ],
    ),
    (
        "api_style",
        &["api", "api style", "interface", "interfaces", "protocol"],
    ),
    (
        "auth_method",
        &["authentication", "auth", "identity", "login", "sign in"],
    ),
    ("identity_provider", &["identity provider", "idp"]),
    (
        "authz_model",
        &["authorization", "authorisation", "permissions", "access control"],
    ),
    ("compliance", &["compliance", "regulation", "regulations", "regulatory"]),
    ("versioning", &["versioning", "api versioning"]),
];

fn normal(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `label` (a heading or a bold label) names `question`.
fn names(label: &str, question: &Question) -> bool {
    let label = normal(label);
    if label.is_empty() {
        return false;
    }
    if label == normal(&question.label) || label == normal(&question.id.replace('_', " ")) {
        return true;
    }
    CONCERNS.iter().filter(|(id, _)| *id == question.id).any(|(_, words)| {
        words.iter().any(|w| {
            label == *w
                || label
                    .split(' ')
                    .collect::<Vec<_>>()
                    .windows(w.split(' ').count())
                    .any(|win| win.join(" ") == *w)
        })
    })
}

static LABELLED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*]\s+)?(?:\*\*|__)([^*_]{2,60}?):?(?:\*\*|__):?\s+(\S.*)$|^\s*[-*]\s+([A-Za-z][\w /()-]{1,40}):\s+(\S.*)$|^\s*\|\s*([^|]{2,40}?)\s*\|\s*([^|]+?)\s*\|").ok()
});

/// A value that says nothing: placeholders and this tool's own "not answered" marks.
fn placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(['_', '*', '`']).to_lowercase();
    v.is_empty()
        || v.starts_with("todo")
        || v.starts_with("tbd")
        || v.starts_with("not answered")
        || v.starts_with("assumption")
        || v.starts_with("none yet")
        || v == "-"
        || v == "n/a"
        || v.chars().all(|c| c == '-' || c == ':' || c == ' ')
}

/// `value` in the form `question` takes, or `None` when it does not fit.
fn fit(question: &Question, value: &str) -> Option<Answer> {
    let value = bounded(value.trim().trim_end_matches('.'));
    match question.kind {
        QuestionKind::Text | QuestionKind::Checklist | QuestionKind::Multiline => Some(Answer::Text(value)),
        QuestionKind::Choice => quick::option_for(question, &value)
            .map(str::to_string)
            .or_else(|| question.other.then_some(value))
            .map(Answer::Text),
        QuestionKind::MultiChoice => {
            let reading_items: Vec<String> = question
                .options
                .iter()
                .filter(|o| {
                    value
                        .split([',', ';', '/'])
                        .any(|part| quick::option_for(question, part) == Some(o.as_str()))
                })
                .cloned()
                .collect();
            (!reading_items.is_empty()).then_some(Answer::List(reading_items))
        }
        QuestionKind::List => Some(Answer::List(
            value
                .split([',', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        )),
        QuestionKind::YesNo | QuestionKind::Number | QuestionKind::Table => None,
    }
}

/// Personal, financial and health data named in a data model.
const SENSITIVE: &[(&str, &[&str])] = &[
    (
        "personal data",
        &[
            "email",
            "e mail",
            "phone",
            "address",
            "date of birth",
            "birth date",
            "birthdate",
            "first name",
            "last name",
            "full name",
            "pii",
            "personal data",
        ],
    ),
    (
        "government identifiers",
        &["ssn", "social security", "passport", "national id", "tax id"],
    ),
    (
        "payment data",
        &[
            "card number",
            "credit card",
            "iban",
            "bank account",
            "payment method",
            "pan",
        ],
    ),
    (
        "health data",
        &["diagnosis", "medical", "health record", "prescription", "patient"],
    ),
];

fn sensitivity(file: &str, sections: &[Section], questionnaire: &Questionnaire, out: &mut Vec<Proposal>) {
    let Some(question) = ["data_sensitivity", "nfr_privacy"]
        .iter()
        .find_map(|id| questionnaire.question(id))
    else {
        return;
    };
    let mut kinds: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut first: Option<(u32, String, String)> = None;
    for section in sections {
        for (n, line) in &section.lines {
            let text = format!(" {} ", normal(line));
            // Words already matched on this line: "date of birth" is not also "birth date".
            let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
            for (kind, words) in SENSITIVE {
                for w in *words {
                    let Some(at) = text.find(&format!(" {w} ")) else {
                        continue;
                    };
                    let span = at..at + w.len() + 2;
                    if taken.iter().any(|t| t.start < span.end - 1 && span.start + 1 < t.end) {
                        continue;
                    }
                    taken.push(span);
                    {
                        match kinds.iter_mut().find(|(k, _)| k == kind) {
                            Some((_, found)) if !found.contains(w) => found.push(w),
                            Some(_) => {}
                            None => kinds.push((kind, vec![w])),
                        }
                        if first.is_none() {
                            first = Some((*n, line.clone(), section.heading.clone()));
                        }
                    }
                }
            }
        }
    }
    let Some((line, text, heading)) = first else { return };
    let value = format!(
        "The data model holds {}.",
        kinds
            .iter()
            .map(|(k, w)| format!("{k} ({})", w.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    );
    if let Some(answer) = fit(question, &value) {
        out.push(Proposal {
            question: question.id.clone(),
            value: answer,
            evidence: with_heading(Evidence::new(file, line, &text), &heading),
            confidence: Confidence::Medium,
            source: Source::Document,
            contradicts: Vec::new(),
        });
    }
}

/// Entity names of a data model: the headings under an "Entities" heading.
fn entities(file: &str, sections: &[Section], questionnaire: &Questionnaire, out: &mut Vec<Proposal>) {
    let Some(question) = ["dd_entities", "entity_names"]
        .iter()
        .find_map(|id| questionnaire.question(id))
    else {
        return;
    };
    let mut names = Vec::new();
    let mut evidence = None;
    for s in sections {
        let mut parts = s.heading.rsplitn(2, " > ");
        let (own, parent) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if normal(parent).contains("entit") && !own.is_empty() {
            names.push(bounded(own));
            evidence.get_or_insert_with(|| with_heading(Evidence::new(file, s.line, own), parent));
        }
    }
    if let Some(evidence) = evidence
        && question.kind == QuestionKind::List
    {
        out.push(Proposal {
            question: question.id.clone(),
            value: Answer::List(names),
            evidence,
            confidence: Confidence::High,
            source: Source::Document,
            contradicts: Vec::new(),
        });
    }
}

fn with_heading(mut e: Evidence, heading: &str) -> Evidence {
    if !heading.is_empty() {
        e.heading = Some(bounded(heading));
    }
    e
}

/// Proposals from one document's text.
pub fn from_text(file: &str, text: &str, questionnaire: &Questionnaire) -> Vec<Proposal> {
    let text = crate::core::fsio::sanitize(text);
    let sections = sections(&text);
    let mut out = Vec::new();
    let Some(labelled) = LABELLED.as_ref() else { return out };
    let questions: Vec<&Question> = questionnaire.questions().collect();
    for section in &sections {
        // "**Runtime:** Node.js 22 with Fastify", "- Database: PostgreSQL 16", "| Runtime | … |".
        for (n, line) in &section.lines {
            let Some(cap) = labelled.captures(line) else { continue };
            let (label, value) = match (cap.get(1), cap.get(3), cap.get(5)) {
                (Some(l), ..) => (l.as_str(), cap.get(2).map_or("", |m| m.as_str())),
                (_, Some(l), _) => (l.as_str(), cap.get(4).map_or("", |m| m.as_str())),
                (_, _, Some(l)) => (l.as_str(), cap.get(6).map_or("", |m| m.as_str())),
                _ => continue,
            };
            if placeholder(value) {
                continue;
            }
            for q in questions.iter().filter(|q| names(label, q)) {
                if let Some(answer) = fit(q, value) {
                    out.push(Proposal {
                        question: q.id.clone(),
                        value: answer,
                        evidence: with_heading(Evidence::new(file, *n, line), &section.heading),
                        confidence: Confidence::High,
                        source: Source::Document,
                        contradicts: Vec::new(),
                    });
                }
            }
        }
        // A section headed "Database" or "Authentication": what it names, read like a Quick Start line.
        let own = section.heading.rsplit(" > ").next().unwrap_or("");
        let targets: Vec<&&Question> = questions.iter().filter(|q| names(own, q)).collect();
        if targets.is_empty() || section.level == 0 {
            continue;
        }
        let body: String = section
            .lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let reading = quick::understand(questionnaire, &body);
        for placement in reading.placed {
            if !targets.iter().any(|q| q.id == placement.question)
                || out
                    .iter()
                    .any(|p| p.question == placement.question && p.evidence.file == file)
            {
                continue;
            }
            let first_word = placement.from.first().cloned().unwrap_or_default();
            let (n, line) = section
                .lines
                .iter()
                .find(|(_, l)| l.to_lowercase().contains(&first_word.to_lowercase()))
                .cloned()
                .unwrap_or((section.line, own.to_string()));
            out.push(Proposal {
                question: placement.question,
                value: placement.value,
                evidence: with_heading(Evidence::new(file, n, &line), &section.heading),
                confidence: Confidence::Medium,
                source: Source::Document,
                contradicts: Vec::new(),
            });
        }
    }
    sensitivity(file, &sections, questionnaire, &mut out);
    entities(file, &sections, questionnaire, &mut out);
    out
}

/// Proposals from every Markdown document under `docs_dir` except the ones `questionnaire`
/// itself writes. `project_root` makes the cited paths relative.
pub fn from_documents(project_root: &Path, docs_dir: &Path, questionnaire: &Questionnaire) -> Vec<Proposal> {
    let own: Vec<String> = questionnaire.documents.iter().map(|d| d.path.clone()).collect();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut dirs = vec![docs_dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        for entry in read.filter_map(Result::ok) {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() && dirs.len() < 64 {
                dirs.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files.into_iter().take(200) {
        let rel = path
            .strip_prefix(project_root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if own.contains(&rel) {
            continue;
        }
        let Some((text, _)) = super::walk::read_prefix(project_root, &rel, DOCUMENT_BYTES) else {
            continue;
        };
        out.extend(from_text(&rel, &text, questionnaire));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::questionnaire::{BUILTIN, parse};

    fn d04() -> Questionnaire {
        let (path, text) = BUILTIN[0];
        parse(Path::new(path), text).unwrap()
    }

    #[test]
    fn labelled_values_and_sections_are_read_with_their_headings() {
        let d02 = "# Technology decisions (D02)\n\n## Backend\n\n**Runtime:** Node.js 22 with Fastify\n\n## Database\n\nWe chose PostgreSQL 16 for its row-level security.\n\n```\n## Not a heading\n```\n";
        let proposals = from_text(".specflow/docs/D02-technology.md", d02, &d04());
        let runtime = proposals.iter().find(|p| p.question == "runtime").unwrap();
        assert_eq!(runtime.value, Answer::Text("Node.js 22 with Fastify".into()));
        assert_eq!(runtime.evidence.line, 5);
        assert_eq!(
            runtime.evidence.heading.as_deref(),
            Some("Technology decisions (D02) > Backend")
        );
        let db = proposals.iter().find(|p| p.question == "database").unwrap();
        assert_eq!(db.value, Answer::Text("PostgreSQL 16".into()));
        assert_eq!(db.evidence.line, 9);
        assert_eq!(db.source, Source::Document);
    }

    #[test]
    fn a_data_model_gives_the_data_sensitivity() {
        let d03 = "# Data model (D03)\n\n## Entities\n\n### User\n\n| Field | Type |\n|---|---|\n| email | text |\n| date of birth | date |\n\n### Payment\n\n- card number (tokenised)\n";
        let proposals = from_text(".specflow/docs/D03-data-model.md", d03, &d04());
        let s = proposals.iter().find(|p| p.question == "data_sensitivity").unwrap();
        let Answer::Text(text) = &s.value else { panic!() };
        assert!(text.contains("personal data (email, date of birth)"), "{text}");
        assert!(text.contains("payment data (card number)"), "{text}");
        assert_eq!(s.evidence.line, 9);
    }

    #[test]
    fn placeholders_are_not_proposed() {
        let own = "## Context\n\n**Runtime:** _Not answered yet_\n\n**Database:** TODO\n";
        assert!(from_text(".specflow/docs/X.md", own, &d04()).is_empty());
    }
}
