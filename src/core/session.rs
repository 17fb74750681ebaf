//! Answers and session files (TOML with `[answers]`): parsing with positions, type checks
//! against the questionnaire, and stable serialisation. A session file is an answers file
//! with a `[session]` table.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::core::answer::Answer;
use crate::core::diagnostic::{Diagnostic, Diagnostics, Position, Positions, from_toml_error};
use crate::core::fsio::{Access, FsError, Kind, Privacy, Project, SESSIONS};
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::core::sanitize::{sanitize, sanitize_line};
use crate::core::schema::{self, SchemaProblem};

/// The answers and session file format version this build writes and reads.
pub const SCHEMA: i64 = schema::ANSWERS;

/// Where an answer came from when the user did not type it: a proposal accepted from the
/// repository or an earlier document, or a Quick Start line. Kept in the session and in each
/// revision's answers file, never in the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSource {
    /// `repository`, `document` or `quick start line`.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The text found there (or the line typed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Question id → where its answer came from.
pub type Provenance = BTreeMap<String, AnswerSource>;

/// Question id → answer.
pub type Answers = BTreeMap<String, Answer>;

/// The answer the user gave for `question`, unless it is a blank placeholder. An explicit
/// "none" (an empty list or table) is an answer.
pub fn given_answer<'a>(question: &Question, answers: &'a Answers) -> Option<&'a Answer> {
    answers.get(&question.id).filter(|a| !a.is_blank())
}

/// The answer that counts for `question`: the given one unless blank, else its default.
pub fn answer_or_default<'a>(question: &'a Question, answers: &'a Answers) -> Option<&'a Answer> {
    given_answer(question, answers).or(question.default.as_ref())
}

/// Interview state that only session files carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questionnaire_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questionnaire_hash: Option<String>,
    /// The question that had the focus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
    /// When the session was last written (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The text cursor in the focused field: line and column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<[u16; 2]>,
    /// The preview's scroll position, when the user scrolled it by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scroll: Option<u16>,
    /// The question ids of the questionnaire the session was written with (to tell what a
    /// changed questionnaire added).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// Text being edited but not yet committed, including invalid drafts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub drafts: BTreeMap<String, String>,
    /// Answers the questionnaire no longer takes (a question removed or renamed, an option
    /// dropped), kept as they were so that nothing is ever lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept: BTreeMap<String, toml::Value>,
    /// Proposals the user rejected, as `question = value` (so they are not offered again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
}

/// What changed in the questionnaire since a session was written, and what that did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Migration {
    /// Questions that are new since the session.
    pub added: Vec<String>,
    /// Answers set aside now, with the reason (their question is gone or they no longer fit).
    pub set_aside: Vec<(String, String)>,
    /// Answers set aside earlier that fit again and were restored.
    pub restored: Vec<String>,
}

impl Migration {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.set_aside.is_empty() && self.restored.is_empty()
    }

    /// One or two sentences for the status line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.added.is_empty() {
            parts.push(format!(
                "{} new question{} ({})",
                self.added.len(),
                plural(self.added.len()),
                self.added.join(", ")
            ));
        }
        if !self.set_aside.is_empty() {
            let ids: Vec<&str> = self.set_aside.iter().map(|(id, _)| id.as_str()).collect();
            parts.push(format!(
                "{} answer{} kept aside because the question changed or is gone ({})",
                ids.len(),
                plural(ids.len()),
                ids.join(", ")
            ));
        }
        if !self.restored.is_empty() {
            parts.push(format!(
                "{} kept answer{} restored ({})",
                self.restored.len(),
                plural(self.restored.len()),
                self.restored.join(", ")
            ));
        }
        format!("The questionnaire changed since this session: {}.", parts.join("; "))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Why a session file cannot be used as it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionProblem {
    #[error("{0}")]
    Damaged(Diagnostics),
    #[error("{0}")]
    Newer(Diagnostics),
}

/// Keeps `value` under `id`, or `id~2`, `id~3`… when an older kept value already has the name.
fn keep(kept: &mut BTreeMap<String, toml::Value>, id: &str, value: toml::Value) {
    if kept.get(id).is_none_or(|v| *v == value) {
        kept.insert(id.to_string(), value);
        return;
    }
    let mut n = 2;
    while kept.get(&format!("{id}~{n}")).is_some_and(|v| *v != value) {
        n += 1;
    }
    kept.insert(format!("{id}~{n}"), value);
}

/// Loads a session for `questionnaire`, migrating it if the questionnaire changed: answers to
/// unknown questions and answers that no longer fit are kept aside in the session, never
/// dropped; kept answers that fit again come back.
pub fn load_session(
    file: &Path,
    text: &str,
    questionnaire: &Questionnaire,
) -> Result<(AnswersFile, Migration), SessionProblem> {
    let raw: RawFile = toml::from_str(text)
        .map_err(|e| SessionProblem::Damaged(Diagnostics(vec![from_toml_error(file, text, &e)])))?;
    if let Some(declared) = &raw.schema
        && let Err(problem) = schema::check(Some(*declared.get_ref()), SCHEMA)
    {
        let d = Diagnostic::new(
            file,
            Some(Position::of_offset(text, declared.span().start)),
            format!("{problem}."),
        );
        return Err(match problem {
            SchemaProblem::Newer { .. } => SessionProblem::Newer(Diagnostics(vec![d])),
            SchemaProblem::Invalid { .. } => SessionProblem::Damaged(Diagnostics(vec![d])),
        });
    }
    let mut state = raw.session.unwrap_or_default();
    let mut migration = Migration::default();
    let mut answers = Answers::new();
    for (key, value) in raw.answers {
        let id = key.into_inner();
        let value = value.into_inner();
        match questionnaire.question(&id).map(|q| Answer::from_toml(q, &value)) {
            Some(Ok(answer)) => {
                answers.insert(id, answer);
            }
            Some(Err(reason)) => {
                migration.set_aside.push((id.clone(), reason));
                state.kept.insert(id, value);
            }
            None => {
                migration
                    .set_aside
                    .push((id.clone(), format!("there is no question \"{id}\" any more")));
                state.kept.insert(id, value);
            }
        }
    }
    // Kept answers whose question is back and takes them again.
    let kept: Vec<(String, toml::Value)> = state.kept.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (id, value) in kept {
        if answers.contains_key(&id) || migration.set_aside.iter().any(|(s, _)| *s == id) {
            continue;
        }
        if let Some(Ok(answer)) = questionnaire.question(&id).map(|q| Answer::from_toml(q, &value)) {
            answers.insert(id.clone(), answer);
            state.kept.remove(&id);
            migration.restored.push(id);
        }
    }
    if !state.questions.is_empty() {
        migration.added = questionnaire
            .questions()
            .filter(|q| !state.questions.contains(&q.id))
            .map(|q| q.id.clone())
            .collect();
    }
    // Drafts for questions that are gone are kept aside like answers, never dropped.
    let orphan_drafts: Vec<String> = state
        .drafts
        .keys()
        .filter(|id| questionnaire.question(id).is_none())
        .cloned()
        .collect();
    for id in orphan_drafts {
        if let Some(text) = state.drafts.remove(&id) {
            migration.set_aside.push((
                id.clone(),
                format!("there is no question \"{id}\" any more (an unfinished draft)"),
            ));
            keep(&mut state.kept, &format!("{id}.draft"), toml::Value::String(text));
        }
    }
    if state
        .focus
        .as_ref()
        .is_some_and(|f| questionnaire.question(f).is_none())
    {
        state.focus = None;
    }
    Ok((
        AnswersFile {
            questionnaire: raw.questionnaire.map(Spanned::into_inner),
            answers,
            provenance: raw.provenance,
            session: Some(state),
        },
        migration,
    ))
}

/// A parsed answers (or session) file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnswersFile {
    pub questionnaire: Option<String>,
    pub answers: Answers,
    /// Where answers the user did not type came from (schema 2).
    pub provenance: Provenance,
    pub session: Option<SessionState>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema: Option<Spanned<i64>>,
    questionnaire: Option<Spanned<String>>,
    #[serde(default)]
    answers: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    provenance: Provenance,
    session: Option<SessionState>,
}

// ───────────────────────────── session files ─────────────────────────────

/// The text of questionnaire `id`'s session file, `None` when there is none. Read without
/// following links; a link, FIFO or device there is refused.
pub fn read_session_file(project: &Project, id: &str) -> Result<Option<String>, FsError> {
    project.read_text(&format!("{SESSIONS}/{id}.toml"))
}

/// Writes questionnaire `id`'s session file (owner-only) with the one atomic write.
pub fn write_session_file(project: &Project, id: &str, text: &str) -> Result<(), FsError> {
    project.write(&format!("{SESSIONS}/{id}.toml"), text.as_bytes(), Privacy::OwnerOnly)
}

/// Renames questionnaire `id`'s session file out of the way, to `<id>.toml.<kind>-<stamp>`
/// (with `-2`, `-3`… when taken), never over another file. Returns where it went.
pub fn move_session_aside(project: &Project, id: &str, kind: &str, stamp: &str) -> Result<PathBuf, FsError> {
    // An instance's session (`id/instance`) is in its questionnaire's folder.
    let (folder, name) = match id.split_once('/') {
        Some((questionnaire, instance)) => (
            project
                .folder(&format!("{SESSIONS}/{questionnaire}"), false)?
                .ok_or_else(|| FsError::not_found(project.session_file(id), Access::Write))?,
            format!("{instance}.toml"),
        ),
        None => (project.sessions_folder(false)?, format!("{id}.toml")),
    };
    let mut n = 1;
    loop {
        let target = if n == 1 {
            format!("{name}.{kind}-{stamp}")
        } else {
            format!("{name}.{kind}-{stamp}-{n}")
        };
        match folder.rename_new(&name, &folder, &target) {
            Ok(()) => {
                folder.sync()?;
                return Ok(folder.path().join(target));
            }
            Err(e)
                if e.io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::AlreadyExists)
                    && n < 1000 =>
            {
                n += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The session files of the project, as (questionnaire id, path), sorted by id. Entries that
/// are not regular files (links, FIFOs…) are listed too, so that reading them reports why.
/// A questionnaire kept per instance has a folder of sessions, listed as `id/instance`.
pub fn session_files(project: &Project) -> Result<Vec<(String, PathBuf)>, FsError> {
    let Some(folder) = project.folder(SESSIONS, false)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in folder.entries()? {
        let Some(name) = entry.name() else { continue };
        if entry.kind == Kind::Folder {
            // Instances: only names that the instance keys could have made.
            let Some(sub) = folder.folder(name, false)? else {
                continue;
            };
            for inner in sub.entries()? {
                let Some(instance) = inner.name().and_then(|n| n.strip_suffix(".toml")) else {
                    continue;
                };
                if inner.kind != Kind::Folder
                    && instance
                        .split(crate::core::instance::SEPARATOR)
                        .all(|part| crate::core::instance::check_segment(part).is_ok())
                {
                    out.push((
                        format!("{name}/{instance}"),
                        sub.path().join(format!("{instance}.toml")),
                    ));
                }
            }
        } else if let Some(id) = name.strip_suffix(".toml") {
            out.push((id.to_string(), folder.path().join(name)));
        }
    }
    out.sort();
    Ok(out)
}

/// Reads only the `questionnaire` key, to pick the questionnaire before a full parse.
pub fn declared_questionnaire(text: &str) -> Option<String> {
    // Top-level keys come before the first table header. Unless a multi-line string could hide
    // a header or a key, the key's own line is enough (the file is parsed whole afterwards
    // anyway); without such a line the whole text is read here too.
    let head_end = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| text[i..].trim_start_matches([' ', '\t']).starts_with('['))
        .unwrap_or(text.len());
    let head = if text.starts_with('[') { "" } else { &text[..head_end] };
    if !head.contains("\"\"\"") && !head.contains("\'\'\'") {
        let line = head.lines().find(|l| {
            let l = l.trim_start();
            ["questionnaire", "\"questionnaire\"", "'questionnaire'"]
                .iter()
                .any(|key| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        });
        if let Some(line) = line {
            return toml::from_str::<Head>(line).ok()?.questionnaire;
        }
    }
    whole_text_declares(text)
}

/// The one key `declared_questionnaire` reads.
#[derive(Deserialize)]
struct Head {
    questionnaire: Option<String>,
}

/// `declared_questionnaire` by parsing the whole text.
fn whole_text_declares(text: &str) -> Option<String> {
    toml::from_str::<Head>(text).ok()?.questionnaire
}

/// Parses `text` (from `file`) as answers for `questionnaire`. Every unknown id, wrong type and
/// mismatch is reported with its line; nothing is silently dropped.
pub fn parse(file: &Path, text: &str, questionnaire: &Questionnaire) -> Result<AnswersFile, Diagnostics> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Diagnostics(vec![from_toml_error(file, text, &e)]))?;
    // One index for all the positions: a file with 100,000 problems stays linear.
    let positions = Positions::new(text);
    let at = |span: std::ops::Range<usize>, msg: String| Diagnostic::new(file, Some(positions.of(span.start)), msg);
    let mut problems = Vec::new();
    if let Some(declared) = &raw.schema
        && let Err(problem) = schema::check(Some(*declared.get_ref()), SCHEMA)
    {
        problems.push(at(declared.span(), format!("{problem}.")));
    }
    if let Some(named) = &raw.questionnaire
        && named.get_ref() != &questionnaire.id
    {
        problems.push(at(
            named.span(),
            format!(
                "these answers are for questionnaire \"{}\", not \"{}\".",
                sanitize(named.get_ref()),
                questionnaire.id
            ),
        ));
    }
    let mut answers = Answers::new();
    let mut unknown = 0usize;
    for (key, value) in &raw.answers {
        let id = key.get_ref();
        let Some(question) = questionnaire.question(id) else {
            // A close id is looked for among the first unknown ids only: each look compares
            // with every question, and a file of 100,000 unknown ids must stay fast.
            unknown += 1;
            let hint = (unknown <= SUGGESTED)
                .then(|| suggestion(id, questionnaire.questions().map(|q| q.id.as_str())))
                .flatten()
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            problems.push(at(
                key.span(),
                format!(
                    "unknown question id \"{}\" in questionnaire \"{}\"{hint}.",
                    sanitize(id),
                    questionnaire.id
                ),
            ));
            continue;
        };
        match Answer::from_toml(question, value.get_ref()) {
            Ok(a) => {
                answers.insert(id.clone(), a);
            }
            Err(msg) => problems.push(at(value.span(), format!("{msg}."))),
        }
    }
    if problems.is_empty() {
        Ok(AnswersFile {
            questionnaire: raw.questionnaire.map(Spanned::into_inner),
            answers,
            provenance: raw.provenance,
            session: raw.session,
        })
    } else {
        problems.sort_by_key(|d| d.position);
        Err(Diagnostics(problems))
    }
}

/// How many unknown ids of one file get a "did you mean".
const SUGGESTED: usize = 100;

/// The closest known id within a small edit distance, for "did you mean".
fn suggestion<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let length = unknown.chars().count();
    known
        // The distance is at least the difference in length: most ids need no comparison.
        .filter(|k| length.abs_diff(k.chars().count()) <= 2.max(k.len() / 4))
        .map(|k| (edit_distance(unknown, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Serialises answers (and session state) with questions in questionnaire order, so files
/// diff well. Answers to ids the questionnaire no longer has are kept, after the known ones.
pub fn to_toml(questionnaire: &Questionnaire, file: &AnswersFile) -> String {
    let mut out = String::new();
    // A comment holds one line of printable text, or the file would not read back.
    let _ = writeln!(
        out,
        "# spec-interview answers for {} {}",
        sanitize_line(&questionnaire.id),
        sanitize_line(&questionnaire.version)
    );
    let _ = writeln!(out, "schema = {SCHEMA}");
    let _ = writeln!(out, "questionnaire = {}", toml::Value::String(questionnaire.id.clone()));
    out.push_str("\n[answers]\n");
    let mut written = std::collections::HashSet::new();
    for q in questionnaire.questions() {
        if let Some(a) = file.answers.get(&q.id) {
            let _ = writeln!(out, "{} = {}", q.id, value_text(&ordered(q, a.to_toml())));
            written.insert(q.id.as_str());
        }
    }
    for (id, a) in &file.answers {
        if !written.contains(id.as_str()) {
            let _ = writeln!(out, "{} = {}", key_text(id), value_text(&a.to_toml()));
        }
    }
    // Provenance only for answers still held, one inline table per question.
    let provenance: Vec<(&String, &AnswerSource)> = file
        .provenance
        .iter()
        .filter(|(id, _)| file.answers.contains_key(*id))
        .collect();
    if !provenance.is_empty() {
        out.push_str("\n[provenance]\n");
        for (id, source) in provenance {
            if let Ok(toml::Value::Table(t)) = toml::Value::try_from(source) {
                let _ = writeln!(out, "{} = {}", key_text(id), value_text(&toml::Value::Table(t)));
            }
        }
    }
    if let Some(session) = &file.session
        && let Ok(text) = toml::to_string(&Wrapper { session })
    {
        out.push('\n');
        out.push_str(&text);
    }
    out
}

/// A table answer with its cells in column order (TOML tables would sort them by name).
fn ordered(question: &Question, value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Array(rows) if question.kind == QuestionKind::Table => toml::Value::Array(
            rows.into_iter()
                .map(|row| match row {
                    toml::Value::Table(mut cells) => {
                        let mut sorted = toml::Table::new();
                        for c in &question.columns {
                            if let Some(v) = cells.remove(&c.id) {
                                sorted.insert(c.id.clone(), v);
                            }
                        }
                        sorted.extend(cells);
                        toml::Value::Table(sorted)
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

#[derive(Serialize)]
struct Wrapper<'a> {
    session: &'a SessionState,
}

fn key_text(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

/// One value as inline TOML; long arrays get one item per line.
fn value_text(value: &toml::Value) -> String {
    match value {
        toml::Value::Array(items) if items.len() > 1 || items.iter().any(toml::Value::is_table) => {
            let mut s = String::from("[\n");
            for item in items {
                let _ = writeln!(s, "  {},", value_text(item));
            }
            s.push(']');
            s
        }
        toml::Value::Table(t) => {
            let cells: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", key_text(k), value_text(v)))
                .collect();
            format!("{{ {} }}", cells.join(", "))
        }
        other => other.to_string(),
    }
}

/// A commented answers file to fill in: every question with its prompt, kind, options and
/// condition; defaults are filled in, everything else is commented out.
pub fn answers_template(q: &Questionnaire) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Answers for \"{}\" ({} {}).",
        sanitize_line(&q.title),
        sanitize_line(&q.id),
        sanitize_line(&q.version)
    );
    let _ = writeln!(
        out,
        "# Uncomment and fill in what you can answer; leave the rest commented out."
    );
    let _ = writeln!(
        out,
        "# Open questions render as labelled assumptions or as visible TODOs."
    );
    let _ = writeln!(out, "# Then: spec-interview render -q {} --answers THIS_FILE", q.id);
    let _ = writeln!(out, "schema = {SCHEMA}");
    let _ = writeln!(out, "questionnaire = \"{}\"", q.id);
    out.push_str("\n[answers]\n");
    for section in &q.sections {
        let _ = writeln!(out, "\n# ── {} ──", one_line(&section.title));
        if let Some(help) = &section.help {
            for line in crate::core::wrap::wrap(&one_line(help), 88)
                .into_iter()
                .filter(|l| !l.is_empty())
            {
                let _ = writeln!(out, "# {line}");
            }
        }
        for question in &section.questions {
            let _ = writeln!(out, "\n# {}", one_line(&question.prompt));
            let mut facts = vec![question.kind.name().replace('_', "-")];
            if question.required {
                facts.push("required".into());
            }
            if !question.options.is_empty() {
                let opts: Vec<String> = question
                    .options
                    .iter()
                    .map(|o| format!("\"{}\"", one_line(o)))
                    .collect();
                let which = if question.kind == QuestionKind::MultiChoice {
                    "any of"
                } else {
                    "one of"
                };
                facts.push(format!("{which} {}", opts.join(", ")));
                if question.other {
                    facts.push("or your own".into());
                }
            }
            if !question.columns.is_empty() {
                let cols: Vec<&str> = question.columns.iter().map(|c| c.id.as_str()).collect();
                facts.push(format!("columns {}", cols.join(", ")));
            }
            let _ = writeln!(out, "# ({})", facts.join("; "));
            if let Some(help) = &question.help {
                for line in crate::core::wrap::wrap(&one_line(help), 88)
                    .into_iter()
                    .filter(|l| !l.is_empty())
                {
                    let _ = writeln!(out, "#   {line}");
                }
            }
            if let Some(when) = &question.when {
                let _ = writeln!(out, "# Asked only when: {}", one_line(when));
            }
            if let Some(assume) = &question.assume {
                let _ = writeln!(out, "# If left open, assumed: {}", one_line(assume));
            }
            if question.kind == QuestionKind::Checklist {
                let _ = writeln!(
                    out,
                    "# To state your own assumption: {} = {{ assumption = \"...\" }}",
                    question.id
                );
            }
            if let Some(none) = &question.none {
                let _ = writeln!(
                    out,
                    "# If there are none, say so with {} = [] (the document then says: {}); left out, it stays open.",
                    question.id,
                    one_line(none)
                );
            }
            // A default stands in while the question is open, labelled as a default: it is
            // written commented out, so that the file confirms only what the user uncomments.
            if let Some(d) = &question.default {
                let _ = writeln!(
                    out,
                    "# Default (the document labels it as one until you uncomment it to confirm it):"
                );
                let text = value_text(&d.to_toml()).replace('\n', "\n#");
                let _ = writeln!(out, "#{} = {text}", question.id);
            } else {
                let example = value_text(&example(q, &question.id));
                let _ = writeln!(out, "#{} = {}", question.id, example.replace('\n', "\n#"));
            }
        }
    }
    out
}

/// Text for a comment line: one line, whitespace runs as single spaces, controls visible.
fn one_line(s: &str) -> String {
    sanitize_line(&s.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// A placeholder value of the right type for the answers template.
fn example(q: &Questionnaire, id: &str) -> toml::Value {
    let Some(question) = q.question(id) else {
        return toml::Value::String(String::new());
    };
    let s = |v: &str| toml::Value::String(v.to_string());
    match question.kind {
        QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Checklist => s(""),
        QuestionKind::Choice => s(question.options.first().map_or("", String::as_str)),
        QuestionKind::MultiChoice => toml::Value::Array(question.options.iter().take(1).map(|o| s(o)).collect()),
        QuestionKind::List => toml::Value::Array(vec![s("")]),
        QuestionKind::YesNo => toml::Value::Boolean(false),
        QuestionKind::Number => toml::Value::Integer(0),
        QuestionKind::Table => {
            let row: toml::Table = question.columns.iter().map(|c| (c.id.clone(), s(""))).collect();
            toml::Value::Array(vec![toml::Value::Table(row)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_questionnaire_is_read_from_the_head_as_from_the_whole_file() {
        for text in [
            "schema = 2\nquestionnaire = \"d04\"\n[answers]\nx = 1\n",
            "questionnaire=\"a-b\"\n",
            "  questionnaire = 'lit' # note\n[answers]\n",
            "\"questionnaire\" = \"quoted\"\n",
            "[answers]\nquestionnaire = \"inside a table\"\n",
            "[answers]\n",
            "",
            "questionnaire.x = 1\n",
            "questionnaire = 5\n",
            "note = \"\"\"\n[not a header]\n\"\"\"\nquestionnaire = \"after a long string\"\n",
            "note = '''\nquestionnaire = \"in a string\"\n'''\n",
            "x = [\n 1,\n]\nquestionnaire = \"after an array\"\n",
            "questionnaires = \"other key\"\n",
            "x = [\n [1],\n]\nquestionnaire = \"after a nested array\"\n",
        ] {
            assert_eq!(declared_questionnaire(text), whole_text_declares(text), "{text:?}");
        }
    }
}
