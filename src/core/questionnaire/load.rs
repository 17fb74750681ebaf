//! Reading a questionnaire from TOML and checking it; every problem is a diagnostic with
//! `file:line:column`. Templates and conditions are compiled here so mistakes surface at load.
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

use super::generator::{DocumentKind, GENERATORS, Generator};
use super::values::{Reference, check_list, check_references, column_values};
use super::{
    Check, Column, DocumentSpec, FORMAT, Origin, Question, QuestionKind, Questionnaire, Rule, RuleTarget, RuleTest,
    Section, Severity, Validation,
};
use crate::core::answer::Answer;
use crate::core::diagnostic::{Diagnostic, Diagnostics, Position, Positions, from_toml_error};
use crate::core::fsio::check_document_path;
use crate::core::template_env::{self, CONDITION_PREFIX_LEN, GLOBALS};
use crate::core::{limits, pattern};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionnaire {
    format: Spanned<i64>,
    id: Spanned<String>,
    version: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    documents: Vec<RawDocument>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    checks: Vec<RawCheck>,
    instance: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: Spanned<String>,
    text: Spanned<String>,
    group: Option<String>,
    document: Option<Spanned<String>>,
    #[serde(default)]
    questions: Vec<Spanned<String>>,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    id: Spanned<String>,
    path: Spanned<String>,
    #[serde(default)]
    title: Option<String>,
    template: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    generator: Option<Spanned<String>>,
    mapping: Option<Spanned<super::generator::RawOpenApiMapping>>,
    when: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title: String,
    help: Option<String>,
    document: Option<Spanned<String>>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    kind: Spanned<QuestionKind>,
    prompt: String,
    label: Option<String>,
    help: Option<String>,
    #[serde(default)]
    required: bool,
    default: Option<Spanned<toml::Value>>,
    when: Option<Spanned<String>>,
    assume: Option<String>,
    feeds: Option<String>,
    options: Option<Spanned<Vec<String>>>,
    options_from: Option<Spanned<String>>,
    other: Option<Spanned<bool>>,
    columns: Option<Spanned<Vec<RawColumn>>>,
    none: Option<Spanned<String>>,
    validate: Option<Spanned<Validation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawColumn {
    pub(super) id: String,
    title: Option<String>,
    pub(super) options: Option<Spanned<Vec<String>>>,
    pub(super) options_from: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    severity: Severity,
    question: Option<Spanned<String>>,
    message: Spanned<String>,
    when: Option<Spanned<String>>,
    each: Option<Spanned<String>>,
    pattern: Option<Spanned<String>>,
    unless: Option<Spanned<String>>,
    target: Option<RuleTarget>,
    min_lines: Option<usize>,
    allow_code: Option<Vec<String>>,
    max_lines: Option<usize>,
    document: Option<Spanned<String>>,
    shape: Option<Spanned<Vec<String>>>,
    column: Option<Spanned<String>>,
}

/// Collects diagnostics against one source file.
pub(super) struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    positions: Positions<'a>,
    problems: Vec<Diagnostic>,
    /// Patterns seen so far (each one's search cache takes memory).
    patterns: usize,
    /// A built-in questionnaire: its templates and conditions are not compiled here to check
    /// them (the test suite checks every built-in with `parse`, and `Engine::new` compiles them
    /// once for the render), so that start-up pays for one compilation, not two.
    trusted: bool,
}

impl Checker<'_> {
    pub(super) fn at(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.problems
            .push(Diagnostic::new(self.file, Some(self.positions.of(span.start)), message));
    }

    fn at_position(&mut self, position: Position, message: impl Into<String>) {
        self.problems.push(Diagnostic::new(self.file, Some(position), message));
    }

    /// Where the content of a string value starts (after its quotes and a leading newline).
    fn content_start(&self, span: &Range<usize>) -> usize {
        let rest = self.text.get(span.start..).unwrap_or("");
        let mut start = span.start;
        if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            start += 3;
            let after = self.text.get(start..).unwrap_or("");
            if after.starts_with("\r\n") {
                start += 2;
            } else if after.starts_with('\n') {
                start += 1;
            }
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            start += 1;
        }
        start
    }

    /// Maps a minijinja error in a string value (starting at `span`) to a file position.
    fn template_error(&mut self, span: &Range<usize>, column_shift: usize, what: &str, err: &minijinja::Error) {
        let start = self.content_start(span);
        let base = self.positions.of(start);
        let position = match (err.line(), err.range(), err.template_source()) {
            (Some(line), Some(range), Some(src)) => {
                let inner = Position::of_offset(src, range.start);
                let column = inner
                    .column
                    .saturating_sub(if inner.line == 1 { column_shift } else { 0 })
                    .max(1);
                Position {
                    line: base.line + line - 1,
                    column: if inner.line == 1 {
                        base.column + column - 1
                    } else {
                        column
                    },
                }
            }
            (Some(line), _, _) => Position {
                line: base.line + line - 1,
                column: if line == 1 { base.column } else { 1 },
            },
            _ => base,
        };
        let detail = err.detail().map_or_else(|| err.kind().to_string(), str::to_string);
        self.at_position(
            position,
            format!("{what} has a template error: {}.", detail.trim_end_matches('.')),
        );
    }
}

/// Parses and checks a questionnaire. `file` names it in diagnostics.
pub fn parse(file: &Path, text: &str) -> Result<Questionnaire, Diagnostics> {
    parse_checked(file, text, false)
}

/// Parses a built-in questionnaire, compiled into this binary and checked by the test suite
/// with `parse` (`catalog::tests::builtins_load_without_problems`): every check runs but the compilation of
/// its templates and conditions, which `Engine::new` does once when it is used.
pub fn parse_built_in(file: &Path, text: &str) -> Result<Questionnaire, Diagnostics> {
    parse_checked(file, text, true)
}

fn parse_checked(file: &Path, text: &str, trusted: bool) -> Result<Questionnaire, Diagnostics> {
    let raw: RawQuestionnaire = toml::from_str(text).map_err(|e| Diagnostics(vec![from_toml_error(file, text, &e)]))?;
    let mut c = Checker {
        file,
        text,
        positions: Positions::new(text),
        problems: Vec::new(),
        patterns: 0,
        trusted,
    };
    let q = build(&mut c, raw);
    if c.patterns > limits::MAX_PATTERNS {
        c.problems.push(Diagnostic::new(
            file,
            Some(Position { line: 1, column: 1 }),
            format!(
                "the questionnaire has {} patterns; the limit is {} (validate.pattern, and each rule's pattern and unless, count).",
                c.patterns,
                limits::MAX_PATTERNS
            ),
        ));
    }
    if c.problems.is_empty() {
        Ok(q)
    } else {
        c.problems.sort_by_key(|d| d.position);
        c.problems.dedup();
        Err(Diagnostics(c.problems))
    }
}

/// Reads and checks a questionnaire file (for `validate`).
pub fn validate_file(file: &Path) -> Result<Questionnaire, Diagnostics> {
    let text = crate::core::fsio::read_user_file(file).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            file,
            None,
            format!("cannot read it: {}.", crate::core::fsio::io_reason(&e)),
        )])
    })?;
    parse(file, &text)
}

/// The first character that keeps `text` from being one line of printable text, described:
/// "a line break", "the control character U+001B".
fn unprintable(text: &str) -> Option<String> {
    text.chars().find_map(|ch| match ch {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some("a line break".to_string()),
        c if c.is_control() || crate::core::sanitize::is_unsafe(c) => {
            Some(format!("the control character U+{:04X}", u32::from(c)))
        }
        _ => None,
    })
}

fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_slug(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[allow(clippy::too_many_lines)]
fn build(c: &mut Checker, raw: RawQuestionnaire) -> Questionnaire {
    if *raw.format.get_ref() != i64::from(FORMAT) {
        c.at(
            &raw.format.span(),
            format!(
                "format {} is not supported; this spec-interview reads format {FORMAT}.",
                raw.format.get_ref()
            ),
        );
    }
    if !is_slug(raw.id.get_ref()) {
        c.at(
            &raw.id.span(),
            "the questionnaire id must be lowercase letters, digits, \"-\" and \"_\".",
        );
    }
    if raw.version.get_ref().trim().is_empty() {
        c.at(&raw.version.span(), "the version must not be empty.");
    }
    // Written into headers and printed on one line: a line break would corrupt an answers file.
    for (name, value) in [("id", &raw.id), ("title", &raw.title), ("version", &raw.version)] {
        if let Some(bad) = unprintable(value.get_ref()) {
            c.at(
                &value.span(),
                format!("the {name} must be one line of printable text, but it holds {bad}."),
            );
        }
    }
    let raw_title = raw.title.get_ref().clone();

    // Documents.
    let mut documents = Vec::new();
    let mut doc_ids = HashSet::new();
    if raw.documents.is_empty() {
        c.problems.push(Diagnostic::new(
            c.file,
            Some(Position { line: 1, column: 1 }),
            "the questionnaire declares no [[documents]]; it needs at least one.",
        ));
    }
    let mut doc_paths = HashSet::new();
    for d in &raw.documents {
        let id = d.id.get_ref();
        if !is_slug(id) {
            c.at(
                &d.id.span(),
                format!("document id \"{id}\" must be lowercase letters, digits, \"-\" and \"_\"."),
            );
        }
        if !doc_ids.insert(id.clone()) {
            c.at(&d.id.span(), format!("document id \"{id}\" is declared twice."));
        }
        let keys: Vec<String> = raw.instance.as_ref().map(|k| k.get_ref().clone()).unwrap_or_default();
        let placeholders = crate::core::placeholder::names(d.path.get_ref());
        for p in &placeholders {
            if !keys.contains(p) {
                c.at(
                    &d.path.span(),
                    format!(
                        "document path \"{}\" uses {{{p}}}, which is not one of the questionnaire's instance keys{}.",
                        d.path.get_ref(),
                        if keys.is_empty() {
                            " (it declares none)".to_string()
                        } else {
                            format!(" ({})", keys.join(", "))
                        }
                    ),
                );
            }
        }
        for k in &keys {
            if !placeholders.contains(k) {
                c.at(
                    &d.path.span(),
                    format!(
                        "document path \"{}\" does not use the instance key {{{k}}}, so two instances would write the same file.",
                        d.path.get_ref()
                    ),
                );
            }
        }
        let concrete = placeholders.iter().fold(d.path.get_ref().clone(), |path, p| {
            path.replace(&format!("{{{p}}}"), "key")
        });
        let kind = document_kind(c, d);
        if let Err(msg) = check_document_path(&concrete, kind.extensions()) {
            c.at(&d.path.span(), msg);
        } else if !doc_paths.insert(d.path.get_ref().clone()) {
            c.at(
                &d.path.span(),
                format!("two documents are saved to \"{}\".", d.path.get_ref()),
            );
        }
        let template_line = d
            .template
            .as_ref()
            .map_or(0, |t| c.positions.of(c.content_start(&t.span())).line);
        documents.push(DocumentSpec {
            id: id.clone(),
            path: d.path.get_ref().clone(),
            title: d.title.clone().unwrap_or_else(|| raw_title.clone()),
            template: d.template.as_ref().map(|t| t.get_ref().clone()).unwrap_or_default(),
            template_line,
            kind,
            generator: None,
            when: d.when.as_ref().map(|w| w.get_ref().clone()),
        });
    }
    let first_doc = documents.first().map(|d| d.id.clone()).unwrap_or_default();

    // Sections and questions.
    let env = template_env::environment();
    let mut sections = Vec::new();
    let mut section_ids = HashSet::new();
    let mut earlier: Vec<String> = Vec::new();
    let mut question_spans: HashMap<String, Range<usize>> = HashMap::new();
    let mut references: Vec<Reference> = Vec::new();
    let all_ids: HashSet<String> = raw
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(|q| q.id.get_ref().clone()))
        .collect();
    for s in raw.sections {
        if !is_identifier(s.id.get_ref()) {
            c.at(
                &s.id.span(),
                format!(
                    "section id \"{}\" must start with a lowercase letter and use only a-z, 0-9 and \"_\".",
                    s.id.get_ref()
                ),
            );
        }
        if !section_ids.insert(s.id.get_ref().clone()) {
            c.at(
                &s.id.span(),
                format!("section id \"{}\" is declared twice.", s.id.get_ref()),
            );
        }
        let document = match &s.document {
            Some(d) if !doc_ids.contains(d.get_ref()) => {
                c.at(
                    &d.span(),
                    format!(
                        "section \"{}\" feeds document \"{}\", which is not declared.",
                        s.id.get_ref(),
                        d.get_ref()
                    ),
                );
                first_doc.clone()
            }
            Some(d) => d.get_ref().clone(),
            None => first_doc.clone(),
        };
        if s.questions.is_empty() {
            c.at(
                &s.id.span(),
                format!("section \"{}\" has no questions.", s.id.get_ref()),
            );
        }
        let mut questions = Vec::new();
        for rq in s.questions {
            let question = build_question(c, &env, rq, &earlier, &all_ids, &mut question_spans, &mut references);
            earlier.push(question.id.clone());
            questions.push(question);
        }
        sections.push(Section {
            id: s.id.into_inner(),
            title: s.title,
            help: s.help,
            document,
            questions,
        });
    }
    if earlier.is_empty() {
        c.problems.push(Diagnostic::new(
            c.file,
            Some(Position { line: 1, column: 1 }),
            "the questionnaire has no questions.",
        ));
    }

    check_references(c, &sections, &references);

    // Templates: syntax, names they use, and the ids they pass to answer()/answered()/prompt().
    for (d, raw_d) in documents.iter().zip(&raw.documents) {
        if let Some(template) = &raw_d.template {
            check_template(
                c,
                &env,
                template,
                &earlier,
                &format!("the template of document \"{}\"", d.id),
            );
        }
    }
    // A document's condition may name any question, like a rule's.
    for raw_d in &raw.documents {
        if let Some(when) = &raw_d.when {
            check_condition(
                c,
                &env,
                when,
                &earlier,
                &format!("the \"when\" of document \"{}\"", raw_d.id.get_ref()),
                None,
            );
        }
    }
    // Generated documents: the generator's mapping, against the questions.
    let by_id: HashMap<String, &Question> = sections
        .iter()
        .flat_map(|s| s.questions.iter())
        .map(|q| (q.id.clone(), q))
        .collect();
    let mut generators = Vec::new();
    for raw_d in raw.documents {
        generators.push(generated(c, raw_d, &by_id));
    }
    for (d, g) in documents.iter_mut().zip(generators) {
        d.generator = g;
    }

    // Rules.
    let kinds: HashMap<String, QuestionKind> = sections
        .iter()
        .flat_map(|s| s.questions.iter().map(|q| (q.id.clone(), q.kind)))
        .collect();
    let mut rules = Vec::new();
    let mut rule_ids = HashSet::new();
    let columns: HashMap<String, Vec<String>> = sections
        .iter()
        .flat_map(|s| s.questions.iter())
        .map(|q| (q.id.clone(), q.columns.iter().map(|c| c.id.clone()).collect()))
        .collect();
    for r in raw.rules {
        let known = RuleScope {
            ids: &earlier,
            kinds: &kinds,
            columns: &columns,
            doc_ids: &doc_ids,
        };
        if let Some(rule) = build_rule(c, &env, r, &known, &mut rule_ids) {
            rules.push(rule);
        }
    }
    let generated_findings: &[&str] = if documents.iter().any(|d| d.generator.is_some()) {
        crate::core::openapi::FINDINGS
    } else {
        &[]
    };
    let checks = build_checks(
        c,
        raw.checks,
        &earlier,
        &rules,
        generated_findings,
        &doc_ids,
        &first_doc,
    );
    let instance = match raw.instance {
        Some(keys) => {
            for k in keys.get_ref() {
                let question = sections.iter().flat_map(|s| s.questions.iter()).find(|q| q.id == *k);
                match question {
                    None => c.at(&keys.span(), format!("instance key \"{k}\" is not a question id.")),
                    Some(q) if q.kind != QuestionKind::Text || q.when.is_some() || !q.required => c.at(
                        &keys.span(),
                        format!("instance key \"{k}\" must be a required text question that is always asked."),
                    ),
                    Some(_) => {}
                }
            }
            if keys.get_ref().is_empty() {
                c.at(&keys.span(), "\"instance\" names no question; leave it out instead.");
            }
            keys.into_inner()
        }
        None => Vec::new(),
    };

    let mut questionnaire = Questionnaire {
        id: raw.id.into_inner(),
        version: raw.version.into_inner(),
        title: raw.title.into_inner(),
        description: raw.description,
        documents,
        sections,
        rules,
        checks,
        instance,
        opened_instance: None,
        origin: Origin {
            path: c.file.to_path_buf(),
            text: c.text.to_string(),
            hash: std::sync::OnceLock::new(),
        },
        index: HashMap::new(),
    };
    questionnaire.index_questions();
    questionnaire
}

/// Compiles a template (a document or a rule message) and checks the names and ids it uses.
fn check_template(
    c: &mut Checker,
    env: &minijinja::Environment<'static>,
    source: &Spanned<String>,
    ids: &[String],
    what: &str,
) {
    if c.trusted {
        return;
    }
    let span = source.span();
    match env.template_from_str(source.get_ref()) {
        Err(e) => c.template_error(&span, 0, what, &e),
        Ok(t) => {
            let mut unknown: Vec<String> = t
                .undeclared_variables(false)
                .into_iter()
                .filter(|v| !GLOBALS.contains(&v.as_str()) && !ids.contains(v))
                .collect();
            unknown.sort();
            for name in unknown {
                let start = c.content_start(&span) + find_word(source.get_ref(), &name).unwrap_or(0);
                c.at(
                    &(start..start),
                    format!("{what} uses \"{name}\", which is not a question id."),
                );
            }
        }
    }
    check_called_ids(c, source.get_ref(), c.content_start(&span), ids, what);
}

/// A document's kind (`kind = "yaml"`; Markdown when left out), and what each kind needs: a
/// Markdown document a template and no generator, a YAML document a generator and no template.
fn document_kind(c: &mut Checker, d: &RawDocument) -> DocumentKind {
    let id = d.id.get_ref();
    let kind = match &d.kind {
        None => DocumentKind::Markdown,
        Some(k) => match k.get_ref().as_str() {
            "markdown" => DocumentKind::Markdown,
            "yaml" => DocumentKind::Yaml,
            other => {
                c.at(
                    &k.span(),
                    format!("document \"{id}\" has kind \"{other}\"; the kinds are \"markdown\" and \"yaml\"."),
                );
                DocumentKind::Markdown
            }
        },
    };
    match kind {
        DocumentKind::Markdown => {
            if d.template.is_none() {
                c.at(
                    &d.id.span(),
                    format!("document \"{id}\" has no template; a Markdown document is rendered from one."),
                );
            }
            if let Some(g) = &d.generator {
                c.at(
                    &g.span(),
                    format!(
                        "document \"{id}\" names a generator but is Markdown; a generated document has kind = \"yaml\"."
                    ),
                );
            }
        }
        DocumentKind::Yaml => {
            if let Some(t) = &d.template {
                c.at(
                    &t.span(),
                    format!("document \"{id}\" is YAML, written by its generator; it takes no template."),
                );
            }
            if d.generator.is_none() {
                c.at(
                    &d.id.span(),
                    format!(
                        "document \"{id}\" is YAML but names no generator; the built-in generators are {}.",
                        GENERATORS.join(", ")
                    ),
                );
            }
        }
    }
    if d.mapping.is_some()
        && d.generator.is_none()
        && let Some(m) = &d.mapping
    {
        c.at(
            &m.span(),
            format!("document \"{id}\" has a mapping but no generator to feed."),
        );
    }
    kind
}

/// The generator of a YAML document with its mapping checked against the questions.
fn generated(c: &mut Checker, d: RawDocument, questions: &HashMap<String, &Question>) -> Option<Generator> {
    let name = d.generator?;
    let id = d.id.get_ref();
    if name.get_ref() != "openapi" {
        c.at(
            &name.span(),
            format!(
                "document \"{id}\" names generator \"{}\"; the built-in generators are {}.",
                name.get_ref(),
                GENERATORS.join(", ")
            ),
        );
        return None;
    }
    let Some(mapping) = d.mapping else {
        c.at(
            &name.span(),
            format!(
                "document \"{id}\" uses the openapi generator but has no [documents.mapping] saying which questions give the endpoints, payloads, errors and auth."
            ),
        );
        return None;
    };
    let span = mapping.span();
    let mapping = super::generator::openapi_mapping(c, mapping.into_inner(), &span, questions);
    Some(Generator::OpenApi { mapping })
}

/// Byte offset of `word` as a whole identifier in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let end = at + word.len();
        let before_ok = at == 0 || !is_ident(bytes[at - 1]);
        let after_ok = end >= bytes.len() || !is_ident(bytes[end]);
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + word.len().max(1);
    }
    None
}

/// Checks the string ids passed to `answer(…)`, `answered(…)` and `prompt(…)`.
fn check_called_ids(c: &mut Checker, template: &str, content_start: usize, ids: &[String], what: &str) {
    static CALL: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    if c.trusted {
        return;
    }
    let Some(re) = CALL
        .get_or_init(|| regex::Regex::new(r#"\b(answer|answered|prompt)\s*\(\s*["']([^"']*)["']"#).ok())
        .as_ref()
    else {
        return;
    };
    for cap in re.captures_iter(template) {
        if let (Some(func), Some(id)) = (cap.get(1), cap.get(2))
            && !ids.iter().any(|q| q == id.as_str())
        {
            let at = content_start + id.start();
            c.at(
                &(at..at),
                format!(
                    "{what} calls {}(\"{}\"), but there is no question with that id.",
                    func.as_str(),
                    id.as_str()
                ),
            );
        }
    }
}

#[allow(clippy::too_many_lines)]
fn build_question(
    c: &mut Checker,
    env: &minijinja::Environment<'static>,
    rq: RawQuestion,
    earlier: &[String],
    all_ids: &HashSet<String>,
    spans: &mut HashMap<String, Range<usize>>,
    references: &mut Vec<Reference>,
) -> Question {
    let id = rq.id.get_ref().clone();
    let id_span = rq.id.span();
    if !is_identifier(&id) {
        c.at(
            &id_span,
            format!("question id \"{id}\" must start with a lowercase letter and use only a-z, 0-9 and \"_\"."),
        );
    } else if GLOBALS.contains(&id.as_str()) {
        c.at(
            &id_span,
            format!("question id \"{id}\" is reserved for templates; choose another."),
        );
    }
    if let Some(first) = spans.get(&id) {
        let line = c.positions.of(first.start).line;
        c.at(
            &id_span,
            format!("question id \"{id}\" is declared twice (first on line {line})."),
        );
    } else {
        spans.insert(id.clone(), id_span.clone());
    }
    let kind = *rq.kind.get_ref();
    if rq.prompt.trim().is_empty() {
        c.at(&id_span, format!("question \"{id}\" has an empty prompt."));
    }

    // Options belong to the choice kinds, columns to tables.
    let is_choice = matches!(kind, QuestionKind::Choice | QuestionKind::MultiChoice);
    let options = match rq.options {
        Some(o) if !is_choice => {
            c.at(
                &o.span(),
                format!(
                    "\"options\" only applies to choice and multi_choice questions, not {}.",
                    kind.name()
                ),
            );
            Vec::new()
        }
        Some(o) => {
            let mut seen = HashSet::new();
            check_list(c, &id, &o);
            for opt in o.get_ref() {
                if opt.trim().is_empty() {
                    c.at(&o.span(), format!("question \"{id}\" has an empty option."));
                } else if !seen.insert(opt.to_lowercase()) {
                    c.at(
                        &o.span(),
                        format!("question \"{id}\" lists the option \"{opt}\" twice."),
                    );
                }
            }
            if o.get_ref().is_empty() && rq.options_from.is_none() {
                c.at(&o.span(), format!("question \"{id}\" needs at least one option."));
            }
            o.into_inner()
        }
        None => {
            if is_choice && rq.options_from.is_none() {
                c.at(
                    &rq.kind.span(),
                    format!("{} question \"{id}\" needs \"options\".", kind.name()),
                );
            }
            Vec::new()
        }
    };
    let options_from = match rq.options_from {
        Some(from) if !is_choice => {
            c.at(
                &from.span(),
                format!(
                    "\"options_from\" only applies to choice and multi_choice questions (and table columns), not {}.",
                    kind.name()
                ),
            );
            None
        }
        Some(from) => {
            let text = from.get_ref().clone();
            references.push(Reference {
                span: from.span(),
                owner: format!("question \"{id}\""),
                text: text.clone(),
            });
            text.split_once('.').map(|(q, col)| (q.to_string(), col.to_string()))
        }
        None => None,
    };
    let other = match rq.other {
        Some(o) if !is_choice => {
            c.at(
                &o.span(),
                format!(
                    "\"other\" only applies to choice and multi_choice questions, not {}.",
                    kind.name()
                ),
            );
            false
        }
        Some(o) => *o.get_ref(),
        None => false,
    };
    let columns = match rq.columns {
        Some(cols) if kind != QuestionKind::Table => {
            c.at(
                &cols.span(),
                format!("\"columns\" only applies to table questions, not {}.", kind.name()),
            );
            Vec::new()
        }
        Some(cols) => {
            let span = cols.span();
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for col in cols.into_inner() {
                let values = column_values(c, &id, &col, references);
                if !is_identifier(&col.id) {
                    c.at(
                        &span,
                        format!(
                            "column id \"{}\" must start with a lowercase letter and use only a-z, 0-9 and \"_\".",
                            col.id
                        ),
                    );
                }
                if !seen.insert(col.id.clone()) {
                    c.at(
                        &span,
                        format!("question \"{id}\" declares the column \"{}\" twice.", col.id),
                    );
                }
                out.push(Column {
                    title: col.title.unwrap_or_else(|| col.id.clone()),
                    id: col.id,
                    values,
                });
            }
            if out.is_empty() {
                c.at(&span, format!("table question \"{id}\" needs at least one column."));
            }
            out
        }
        None => {
            if kind == QuestionKind::Table {
                c.at(&rq.kind.span(), format!("table question \"{id}\" needs \"columns\"."));
            }
            Vec::new()
        }
    };

    let none = match rq.none {
        Some(n)
            if !matches!(
                kind,
                QuestionKind::List | QuestionKind::Table | QuestionKind::MultiChoice
            ) =>
        {
            c.at(
                &n.span(),
                format!(
                    "\"none\" only applies to list, table and multi_choice questions, not {}.",
                    kind.name()
                ),
            );
            None
        }
        Some(n) if n.get_ref().trim().is_empty() => {
            c.at(&n.span(), format!("the \"none\" text of \"{id}\" is empty."));
            None
        }
        Some(n) => Some(n.into_inner()),
        None => None,
    };

    // Validation constraints must fit the kind.
    let (validate, pattern) = match rq.validate {
        Some(v) => {
            let span = v.span();
            let v = v.into_inner();
            let texty = matches!(
                kind,
                QuestionKind::Text | QuestionKind::Multiline | QuestionKind::List | QuestionKind::Checklist
            );
            let counted = matches!(
                kind,
                QuestionKind::List | QuestionKind::MultiChoice | QuestionKind::Table
            );
            let numeric = kind == QuestionKind::Number;
            let misfit = |name: &str, fits: bool, c: &mut Checker| {
                if !fits {
                    c.at(
                        &span,
                        format!("validate.{name} does not apply to {} question \"{id}\".", kind.name()),
                    );
                }
            };
            misfit("pattern", v.pattern.is_none() || texty, c);
            misfit("min_length", v.min_length.is_none() || texty, c);
            misfit("max_length", v.max_length.is_none() || texty, c);
            misfit("min", v.min.is_none() || numeric, c);
            misfit("max", v.max.is_none() || numeric, c);
            misfit("integer", v.integer.is_none() || numeric, c);
            misfit("min_items", v.min_items.is_none() || counted, c);
            misfit("max_items", v.max_items.is_none() || counted, c);
            if let (Some(a), Some(b)) = (v.min, v.max)
                && a > b
            {
                c.at(
                    &span,
                    format!("question \"{id}\" has validate.min greater than validate.max."),
                );
            }
            if let (Some(a), Some(b)) = (v.min_length, v.max_length)
                && a > b
            {
                c.at(
                    &span,
                    format!("question \"{id}\" has validate.min_length greater than validate.max_length."),
                );
            }
            if let (Some(a), Some(b)) = (v.min_items, v.max_items)
                && a > b
            {
                c.at(
                    &span,
                    format!("question \"{id}\" has validate.min_items greater than validate.max_items."),
                );
            }
            let pattern = match &v.pattern {
                Some(p) => {
                    c.patterns += 1;
                    match pattern::compile(&format!("^(?:{p})$")) {
                        Ok(re) => Some(re),
                        Err(why) => {
                            c.at(&span, format!("validate.pattern of \"{id}\" {why}."));
                            None
                        }
                    }
                }
                None => None,
            };
            (v, pattern)
        }
        None => (Validation::default(), None),
    };

    // The condition may only look at questions asked before this one.
    let when = rq.when.map(|w| {
        check_condition(c, env, &w, earlier, &format!("the \"when\" of \"{id}\""), Some(all_ids));
        w.into_inner()
    });

    let mut question = Question {
        id: id.clone(),
        kind,
        label: rq.label.unwrap_or_else(|| rq.prompt.trim_end_matches('?').to_string()),
        prompt: rq.prompt,
        help: rq.help,
        required: rq.required,
        default: None,
        when,
        assume: rq.assume,
        feeds: rq.feeds,
        options,
        options_from,
        other,
        columns,
        none,
        validate,
        pattern,
    };
    if let Some(d) = rq.default {
        match Answer::from_toml(&question, d.get_ref()) {
            Ok(a) => {
                for v in a.violations(&question) {
                    c.at(&d.span(), format!("the default of {v}."));
                }
                question.default = Some(a);
            }
            Err(msg) => c.at(&d.span(), format!("the default of {msg}.")),
        }
    }
    question
}

/// A `shape` rule: the shapes exist; it names the question it judges (or rows with `each`);
/// `column` names a column of the `each` table; `when` is a guard like a rule's condition.
#[allow(clippy::too_many_arguments)]
fn build_shape_rule(
    c: &mut Checker,
    env: &minijinja::Environment<'static>,
    id: &str,
    severity: Severity,
    question: Option<Spanned<String>>,
    message: Spanned<String>,
    when: Option<Spanned<String>>,
    each: Option<Spanned<String>>,
    column: Option<Spanned<String>>,
    shape: &Spanned<Vec<String>>,
    scope: &RuleScope,
) -> Option<Rule> {
    let mut shapes = Vec::new();
    for name in shape.get_ref() {
        if let Some(s) = crate::core::shape::Shape::from_name(name) {
            shapes.push(s);
        } else {
            {
                let known: Vec<&str> = crate::core::shape::Shape::ALL.iter().map(|s| s.name()).collect();
                c.at(
                    &shape.span(),
                    format!(
                        "rule \"{id}\" asks for the shape \"{name}\", which does not exist; the shapes are {}.",
                        known.join(", ")
                    ),
                );
            }
        }
    }
    if shapes.is_empty() && shape.get_ref().is_empty() {
        c.at(&shape.span(), format!("rule \"{id}\" lists no shape."));
    }
    match (&question, &each) {
        (None, None) => c.at(
            &shape.span(),
            format!(
                "rule \"{id}\" judges the shape of an answer: name it with \"question\", or the rows with \"each\"."
            ),
        ),
        (Some(q), None) => {
            if let Some(kind) = scope.kinds.get(q.get_ref())
                && matches!(kind, QuestionKind::Table | QuestionKind::YesNo | QuestionKind::Number)
            {
                c.at(
                    &q.span(),
                    format!("rule \"{id}\" judges the shape of \"{}\", a {} question; use \"each\" and \"column\" for a table, text kinds otherwise.", q.get_ref(), kind.name()),
                );
            }
        }
        (_, Some(e)) => match scope.kinds.get(e.get_ref()) {
            None => c.at(
                &e.span(),
                format!(
                    "rule \"{id}\" iterates over \"{}\", which is not a question id.",
                    e.get_ref()
                ),
            ),
            Some(QuestionKind::Table) => match &column {
                None => c.at(
                    &e.span(),
                    format!(
                        "rule \"{id}\" judges rows of the table \"{}\": say which cell with \"column\".",
                        e.get_ref()
                    ),
                ),
                Some(col)
                    if !scope
                        .columns
                        .get(e.get_ref())
                        .is_some_and(|cols| cols.contains(col.get_ref())) =>
                {
                    c.at(
                        &col.span(),
                        format!(
                            "rule \"{id}\" names the column \"{}\", which \"{}\" does not have.",
                            col.get_ref(),
                            e.get_ref()
                        ),
                    );
                }
                Some(_) => {}
            },
            Some(QuestionKind::List | QuestionKind::MultiChoice) => {
                if let Some(col) = &column {
                    c.at(
                        &col.span(),
                        format!("rule \"{id}\" names a column, but \"{}\" is not a table.", e.get_ref()),
                    );
                }
            }
            Some(kind) => c.at(
                &e.span(),
                format!(
                    "rule \"{id}\" iterates over \"{}\", a {} question; \"each\" needs a list, multi_choice or table.",
                    e.get_ref(),
                    kind.name()
                ),
            ),
        },
    }
    if let Some(q) = &question
        && !scope.ids.contains(q.get_ref())
    {
        // Reported above with the other rule keys.
        return None;
    }
    if let Some(w) = &when {
        let start = c.content_start(&w.span());
        check_called_ids(
            c,
            w.get_ref(),
            start,
            scope.ids,
            &format!("the \"when\" of rule \"{id}\""),
        );
        check_condition(c, env, w, scope.ids, &format!("the \"when\" of rule \"{id}\""), None);
    }
    Some(Rule {
        id: id.to_string(),
        severity,
        question: question.map(Spanned::into_inner),
        message: message.into_inner(),
        test: RuleTest::Shape {
            shapes,
            each: each.map(Spanned::into_inner),
            column: column.map(Spanned::into_inner),
            guard: when.map(Spanned::into_inner),
        },
    })
}

/// Checklist lines: unique ids, a declared document, questions and rules that exist, rules
/// that read answers only, and something to decide the box.
fn build_checks(
    c: &mut Checker,
    raw: Vec<RawCheck>,
    ids: &[String],
    rules: &[Rule],
    generated_findings: &[&str],
    doc_ids: &HashSet<String>,
    first_doc: &str,
) -> Vec<Check> {
    let mut seen = HashSet::new();
    let mut checks = Vec::new();
    for r in raw {
        let id = r.id.get_ref().clone();
        if !is_slug(&id) {
            c.at(
                &r.id.span(),
                format!("check id \"{id}\" must be lowercase letters, digits, \"-\" and \"_\"."),
            );
        }
        if !seen.insert(id.clone()) {
            c.at(&r.id.span(), format!("check id \"{id}\" is declared twice."));
        }
        if r.text.get_ref().trim().is_empty() {
            c.at(&r.text.span(), format!("check \"{id}\" has an empty text."));
        }
        if r.questions.is_empty() {
            c.at(
                &r.id.span(),
                format!(
                    "check \"{id}\" names no question; it needs the questions whose answers it judges, or its box would be ticked on empty answers."
                ),
            );
        }
        let document = match &r.document {
            Some(d) if !doc_ids.contains(d.get_ref()) => {
                c.at(
                    &d.span(),
                    format!(
                        "check \"{id}\" belongs to document \"{}\", which is not declared.",
                        d.get_ref()
                    ),
                );
                first_doc.to_string()
            }
            Some(d) => d.get_ref().clone(),
            None => first_doc.to_string(),
        };
        for q in &r.questions {
            if !ids.contains(q.get_ref()) {
                c.at(
                    &q.span(),
                    format!(
                        "check \"{id}\" needs question \"{}\", which does not exist.",
                        q.get_ref()
                    ),
                );
            }
        }
        for rule in &r.rules {
            match rules.iter().find(|x| x.id == *rule.get_ref()) {
                None if generated_findings.contains(&rule.get_ref().as_str()) => {}
                None => c.at(
                    &rule.span(),
                    format!("check \"{id}\" runs rule \"{}\", which does not exist.", rule.get_ref()),
                ),
                Some(x) if x.test.reads_documents() => c.at(
                    &rule.span(),
                    format!(
                        "check \"{id}\" runs rule \"{}\", which reads the rendered document; a checklist box is decided on the answers only.",
                        rule.get_ref()
                    ),
                ),
                Some(_) => {}
            }
        }
        checks.push(Check {
            id,
            text: r.text.into_inner(),
            group: r.group,
            document,
            questions: r.questions.into_iter().map(Spanned::into_inner).collect(),
            rules: r.rules.into_iter().map(Spanned::into_inner).collect(),
        });
    }
    checks
}

/// Compiles a condition and checks the names it uses; `ordered` demands earlier questions only.
fn check_condition(
    c: &mut Checker,
    env: &minijinja::Environment<'static>,
    expr: &Spanned<String>,
    ids: &[String],
    what: &str,
    all_ids: Option<&HashSet<String>>,
) {
    let span = expr.span();
    if expr.get_ref().trim().is_empty() {
        c.at(&span, format!("{what} is empty."));
        return;
    }
    if c.trusted {
        return;
    }
    let wrapped = template_env::condition_template(expr.get_ref());
    if let Err(e) = env.template_from_str(&wrapped) {
        c.template_error(&span, CONDITION_PREFIX_LEN, what, &e);
        return;
    }
    let Ok(compiled) = env.compile_expression(expr.get_ref()) else {
        return;
    };
    let mut names: Vec<String> = compiled.undeclared_variables(false).into_iter().collect();
    names.sort();
    for name in names {
        // A question's condition sees only earlier answers; a rule's sees everything templates do.
        let allowed = ids.contains(&name) || (all_ids.is_none() && GLOBALS.contains(&name.as_str()));
        if allowed {
            continue;
        }
        let offset = find_word(expr.get_ref(), &name).unwrap_or(0);
        let at = c.content_start(&span) + offset;
        let message = match all_ids {
            Some(all) if all.contains(&name) => {
                format!("{what} names \"{name}\", which is asked later; a condition may only use earlier answers.")
            }
            Some(_) if GLOBALS.contains(&name.as_str()) => format!(
                "{what} uses \"{name}\", which a question's condition cannot use; test the earlier answers directly."
            ),
            _ => format!("{what} names \"{name}\", which is not a question id."),
        };
        c.at(&(at..at), message);
    }
}

/// What a rule may refer to: question ids (in order), their kinds and columns, documents.
struct RuleScope<'a> {
    ids: &'a [String],
    kinds: &'a HashMap<String, QuestionKind>,
    columns: &'a HashMap<String, Vec<String>>,
    doc_ids: &'a HashSet<String>,
}

#[allow(clippy::too_many_lines)]
fn build_rule(
    c: &mut Checker,
    env: &minijinja::Environment<'static>,
    r: RawRule,
    scope: &RuleScope,
    rule_ids: &mut HashSet<String>,
) -> Option<Rule> {
    let (ids, kinds, doc_ids) = (scope.ids, scope.kinds, scope.doc_ids);
    let id = r.id.get_ref().clone();
    let span = r.id.span();
    if !is_slug(&id) {
        c.at(
            &span,
            format!("rule id \"{id}\" must be lowercase letters, digits, \"-\" and \"_\"."),
        );
    }
    if !rule_ids.insert(id.clone()) {
        c.at(&span, format!("rule id \"{id}\" is declared twice."));
    }
    if crate::core::finding::BUILT_IN_FINDINGS.contains(&id.as_str()) {
        c.at(
            &span,
            format!("rule id \"{id}\" is the name of a built-in finding; choose another."),
        );
    }
    if let Some(q) = &r.question
        && !ids.contains(q.get_ref())
    {
        c.at(
            &q.span(),
            format!(
                "rule \"{id}\" concerns question \"{}\", which does not exist.",
                q.get_ref()
            ),
        );
    }
    check_template(c, env, &r.message, ids, &format!("the message of rule \"{id}\""));
    // A shape test may take a `when` as its guard; every other test stands alone.
    let tests = usize::from(r.when.is_some() && r.shape.is_none())
        + usize::from(r.shape.is_some())
        + usize::from(r.pattern.is_some())
        + usize::from(r.allow_code.is_some())
        + usize::from(r.min_lines.is_some() || r.max_lines.is_some());
    if tests != 1 {
        c.at(
            &span,
            format!("rule \"{id}\" needs exactly one test: \"when\", \"shape\" (optionally with \"when\"), \"pattern\", \"allow_code\", or \"min_lines\"/\"max_lines\"."),
        );
        return None;
    }
    if r.each.is_some() && r.when.is_none() && r.shape.is_none() {
        c.at(
            &span,
            format!("rule \"{id}\" uses \"each\", which only goes with \"when\" or \"shape\"."),
        );
    }
    if let Some(column) = &r.column
        && r.shape.is_none()
    {
        c.at(
            &column.span(),
            format!("rule \"{id}\" uses \"column\", which only goes with \"shape\"."),
        );
    }
    if let Some(shape) = r.shape {
        return build_shape_rule(
            c, env, &id, r.severity, r.question, r.message, r.when, r.each, r.column, &shape, scope,
        );
    }
    if (r.target.is_some() || r.unless.is_some()) && r.pattern.is_none() {
        c.at(
            &span,
            format!("rule \"{id}\" uses \"target\" or \"unless\", which only go with \"pattern\"."),
        );
    }
    if r.document.is_some() && r.min_lines.is_none() && r.max_lines.is_none() {
        c.at(
            &span,
            format!("rule \"{id}\" uses \"document\", which only goes with \"min_lines\"/\"max_lines\"."),
        );
    }
    let test = if let Some(when) = r.when {
        if let Some(each) = &r.each {
            match kinds.get(each.get_ref()) {
                None => c.at(
                    &each.span(),
                    format!("rule \"{id}\" iterates over \"{}\", which is not a question id.", each.get_ref()),
                ),
                Some(QuestionKind::List | QuestionKind::MultiChoice | QuestionKind::Table) => {}
                Some(kind) => c.at(
                    &each.span(),
                    format!(
                        "rule \"{id}\" iterates over \"{}\", a {} question; \"each\" needs a list, multi_choice or table.",
                        each.get_ref(),
                        kind.name()
                    ),
                ),
            }
        }
        let start = c.content_start(&when.span());
        check_called_ids(c, when.get_ref(), start, ids, &format!("the \"when\" of rule \"{id}\""));
        check_condition(c, env, &when, ids, &format!("the \"when\" of rule \"{id}\""), None);
        RuleTest::When {
            expr: when.into_inner(),
            each: r.each.map(Spanned::into_inner),
        }
    } else if let Some(allowed) = r.allow_code {
        RuleTest::CodeBlocks {
            allowed: allowed.into_iter().map(|l| l.trim().to_lowercase()).collect(),
        }
    } else if let Some(pattern) = r.pattern {
        c.patterns += 1 + usize::from(r.unless.is_some());
        let unless_regex = match &r.unless {
            Some(u) => match pattern::compile(u.get_ref()) {
                Ok(re) => Some(re),
                Err(why) => {
                    c.at(&u.span(), format!("the \"unless\" of rule \"{id}\" {why}."));
                    return None;
                }
            },
            None => None,
        };
        match pattern::compile(pattern.get_ref()) {
            Ok(regex) => RuleTest::Pattern {
                pattern: pattern.get_ref().clone(),
                target: r.target.unwrap_or(RuleTarget::Answers),
                regex,
                unless: r.unless.map(Spanned::into_inner),
                unless_regex,
            },
            Err(why) => {
                c.at(&pattern.span(), format!("the pattern of rule \"{id}\" {why}."));
                return None;
            }
        }
    } else {
        if let Some(d) = &r.document
            && !doc_ids.contains(d.get_ref())
        {
            c.at(
                &d.span(),
                format!(
                    "rule \"{id}\" measures document \"{}\", which is not declared.",
                    d.get_ref()
                ),
            );
        }
        if let (Some(a), Some(b)) = (r.min_lines, r.max_lines)
            && a > b
        {
            c.at(&span, format!("rule \"{id}\" has min_lines greater than max_lines."));
        }
        RuleTest::Lines {
            min: r.min_lines,
            max: r.max_lines,
            document: r.document.map(Spanned::into_inner),
        }
    };
    Some(Rule {
        id,
        severity: r.severity,
        question: r.question.map(Spanned::into_inner),
        message: r.message.into_inner(),
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"format = 1
id = "demo"
version = "1.0.0"
title = "Demo"

[[documents]]
id = "main"
path = ".specflow/docs/demo.md"
template = '''
# {{ name }}
{{ answer("style") }}
'''

[[sections]]
id = "basics"
title = "Basics"

[[sections.questions]]
id = "name"
kind = "text"
prompt = "Name?"
required = true

[[sections.questions]]
id = "style"
kind = "choice"
prompt = "Style?"
options = ["a", "b"]
when = 'name == "x"'
"#;

    /// Parses `src` and returns the diagnostics as `line:column: message` strings.
    fn problems(src: &str) -> Vec<String> {
        match parse(Path::new("q.toml"), src) {
            Ok(_) => Vec::new(),
            Err(d) => {
                d.0.iter()
                    .map(|d| {
                        let p = d.position.expect("every problem has a position");
                        format!("{}:{}: {}", p.line, p.column, d.message)
                    })
                    .collect()
            }
        }
    }

    fn assert_problem(src: &str, line: usize, needle: &str) {
        let found = problems(src);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("{line}:")) && p.contains(needle)),
            "expected a problem on line {line} containing {needle:?}, got {found:#?}"
        );
    }

    #[test]
    fn a_good_questionnaire_loads() {
        let q = parse(Path::new("q.toml"), GOOD).unwrap();
        assert_eq!(q.questions().count(), 2);
        assert_eq!(q.documents[0].template_line, 10);
        assert_eq!(q.question("name").unwrap().label, "Name");
        assert_eq!(q.sections[0].document, "main");
    }

    #[test]
    fn unknown_keys_are_refused_with_their_line() {
        assert_problem(
            &GOOD.replace("required = true", "required = true\ncolour = 1"),
            23,
            "unknown field `colour`",
        );
    }

    #[test]
    fn duplicate_ids_name_the_first_line() {
        let src = GOOD.replace(r#"id = "style""#, r#"id = "name""#);
        assert_problem(&src, 25, "declared twice (first on line 19)");
    }

    #[test]
    fn when_must_name_an_earlier_question() {
        assert_problem(
            &GOOD.replace(r#"name == "x""#, r#"nmae == "x""#),
            29,
            "\"nmae\", which is not a question id",
        );
        let later = GOOD.replace("required = true", "required = true\nwhen = 'style == \"a\"'");
        assert_problem(&later, 23, "\"style\", which is asked later");
        assert_problem(&GOOD.replace(r#"name == "x""#, "name == "), 29, "template error");
        // Template functions need the answers object, which conditions do not get.
        assert_problem(&GOOD.replace(r#"name == "x""#, r#"answered("name")"#), 29, "cannot use");
    }

    #[test]
    fn template_errors_point_into_the_file() {
        let src = GOOD.replace("{{ answer(\"style\") }}", "{% if name %}\n{{ name }");
        assert_problem(&src, 12, "template error");
        let src = GOOD.replace("{{ answer(\"style\") }}", "{{ answer(\"styel\") }}");
        assert_problem(&src, 11, "answer(\"styel\"), but there is no question with that id");
        let src = GOOD.replace("# {{ name }}", "# {{ nam }}");
        assert_problem(&src, 10, "uses \"nam\", which is not a question id");
    }

    #[test]
    fn document_paths_must_stay_in_docs() {
        for (path, needle) in [
            ("/tmp/x.md", "absolute"),
            (".specflow/docs/../../x.md", "contains \"..\""),
            ("docs/x.md", "leaves .specflow/docs/"),
        ] {
            assert_problem(&GOOD.replace(".specflow/docs/demo.md", path), 8, needle);
        }
    }

    #[test]
    fn kind_specific_keys_are_checked() {
        assert_problem(&GOOD.replace("options = [\"a\", \"b\"]\n", ""), 26, "needs \"options\"");
        assert_problem(
            &GOOD.replace("required = true", "required = true\noptions = [\"x\"]"),
            23,
            "only applies to choice",
        );
        assert_problem(
            &GOOD.replace("kind = \"choice\"", "kind = \"table\""),
            28,
            "only applies to choice",
        );
        assert_problem(
            &GOOD.replace("kind = \"choice\"", "kind = \"table\""),
            26,
            "needs \"columns\"",
        );
        assert_problem(
            &GOOD.replace("kind = \"text\"", "kind = \"essay\""),
            20,
            "unknown variant `essay`",
        );
        assert_problem(
            &GOOD.replace("required = true", "validate = { pattern = \"(\" }"),
            22,
            "not a valid regular expression",
        );
        assert_problem(
            &GOOD.replace("required = true", "validate = { min = 1 }"),
            22,
            "validate.min does not apply to text",
        );
        assert_problem(&GOOD.replace("required = true", "default = 3"), 22, "expects a string");
        assert_problem(
            &GOOD.replace("options = [\"a\", \"b\"]", "options = [\"a\", \"A\"]"),
            28,
            "twice",
        );
        assert_problem(&GOOD.replace(r#"id = "name""#, r#"id = "answer""#), 19, "reserved");
        assert_problem(
            &GOOD.replace("format = 1", "format = 2"),
            1,
            "format 2 is not supported",
        );
        let lengths = GOOD.replace("required = true", "validate = { min_length = 5, max_length = 2 }");
        assert_problem(&lengths, 22, "min_length greater than validate.max_length");
    }

    #[test]
    fn rules_are_checked() {
        let rule =
            |body: &str| format!("{GOOD}\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\n{body}\n");
        assert!(problems(&rule("when = 'not name'")).is_empty());
        assert_problem(&rule("when = 'not nmae'"), 35, "not a question id");
        assert_problem(&rule("when = 'x'\npattern = 'y'"), 32, "exactly one test");
        assert_problem(&rule("when = 'x'\neach = 'rows'"), 36, "iterates over \"rows\"");
        assert_problem(&rule("pattern = '('"), 35, "not a valid regular expression");
        assert_problem(&rule("when = 'name'\nquestion = 'nope'"), 36, "does not exist");
        assert_problem(&rule("max_lines = 3\ndocument = 'other'"), 36, "not declared");
        assert_problem(
            &rule("when = 'name'\neach = 'name'"),
            36,
            "\"each\" needs a list, multi_choice or table",
        );
        assert_problem(
            &rule("when = 'answered(\"nope\")'"),
            35,
            "answered(\"nope\"), but there is no question",
        );
        assert_problem(
            &rule("when = 'name'").replace("message = \"m\"", "message = \"{{ nmae }}\""),
            34,
            "uses \"nmae\"",
        );
        assert_problem(
            &rule("when = 'name'").replace("id = \"r\"", "id = \"required\""),
            32,
            "built-in finding",
        );
    }

    #[test]
    fn shape_rules_checks_and_none_are_checked() {
        let rule =
            |body: &str| format!("{GOOD}\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\n{body}\n");
        assert!(problems(&rule("question = 'name'\nshape = ['names_field']")).is_empty());
        assert!(problems(&rule("question = 'name'\nshape = ['names_field']\nwhen = 'name'")).is_empty());
        assert_problem(
            &rule("question = 'name'\nshape = ['vague']"),
            36,
            "shape \"vague\", which does not exist",
        );
        assert_problem(&rule("shape = ['names_field']"), 35, "name it with \"question\"");
        assert_problem(
            &rule("question = 'name'\ncolumn = 'x'\nwhen = 'name'"),
            36,
            "only goes with \"shape\"",
        );
        let table = GOOD.replace(
            "kind = \"choice\"\nprompt = \"Style?\"\noptions = [\"a\", \"b\"]",
            "kind = \"table\"\nprompt = \"Style?\"\ncolumns = [{ id = \"path\" }]",
        );
        let on_table =
            |body: &str| format!("{table}\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\n{body}\n");
        assert!(problems(&on_table("each = 'style'\ncolumn = 'path'\nshape = ['resource_path']")).is_empty());
        assert_problem(
            &on_table("each = 'style'\nshape = ['resource_path']"),
            35,
            "say which cell with \"column\"",
        );
        assert_problem(
            &on_table("each = 'style'\ncolumn = 'nope'\nshape = ['resource_path']"),
            36,
            "does not have",
        );

        let check = |body: &str| {
            format!(
                "{GOOD}\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\nwhen = 'not name'\n\n[[checks]]\n{body}\n"
            )
        };
        assert!(
            problems(&check(
                "id = \"c\"\ntext = \"Named\"\nquestions = [\"name\"]\nrules = [\"r\"]"
            ))
            .is_empty()
        );
        assert_problem(
            &check("id = \"c\"\ntext = \"Named\"\nrules = [\"r\"]"),
            38,
            "names no question",
        );
        assert_problem(
            &check("id = \"c\"\ntext = \"Named\"\nquestions = [\"nope\"]"),
            40,
            "needs question \"nope\"",
        );
        assert_problem(
            &check("id = \"c\"\ntext = \"Named\"\nquestions = [\"name\"]\nrules = [\"nope\"]"),
            41,
            "runs rule \"nope\"",
        );
        let lines = format!(
            "{GOOD}\n[[rules]]\nid = \"long\"\nseverity = \"error\"\nmessage = \"m\"\nmax_lines = 3\n\n[[checks]]\nid = \"c\"\ntext = \"Short\"\nquestions = [\"name\"]\nrules = [\"long\"]\n"
        );
        assert_problem(&lines, 41, "reads the rendered document");

        assert_problem(
            &GOOD.replace("required = true", "none = \"No name.\""),
            22,
            "\"none\" only applies to list, table",
        );
    }

    #[test]
    fn bad_toml_is_one_diagnostic_not_a_panic() {
        let found = problems("format = 1\nid = [\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("3:") || found[0].starts_with("2:"), "{found:?}");
    }
}
