//! The questionnaire model: sections of typed questions, the documents they feed, lint rules.
mod catalog;
pub mod generator;
mod load;
mod values;

pub use catalog::{BUILTIN, Catalog, DEFAULT_ID, Entry, LookupError, Source};
pub use generator::{DocumentKind, Generator, OpenApiMapping, TableMap};
pub use load::{parse, validate_file};

use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

use crate::core::answer::Answer;

/// The questionnaire format version this build reads.
pub const FORMAT: u32 = 1;

/// A loaded, validated questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct Questionnaire {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub documents: Vec<DocumentSpec>,
    pub sections: Vec<Section>,
    pub rules: Vec<Rule>,
    /// Checklist items whose boxes are ticked by rules run on the answers, never by hand.
    pub checks: Vec<Check>,
    /// The questions whose answers name an instance (seed 002: epic and feature): each
    /// instance has its own documents (`{id}` in their paths), session and history.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instance: Vec<String>,
    /// The instance this copy is opened for (see `instance::resolved`): its documents' paths
    /// have the keys put in, and its session is the instance's.
    #[serde(skip)]
    pub opened_instance: Option<String>,
    /// Where it came from and its text (for `show`, hashing and error positions).
    #[serde(skip)]
    pub origin: Origin,
    /// Where each question is (section, place in it), so that looking one up by id does not
    /// walk them all: answers files with many ids stay linear.
    #[serde(skip)]
    pub index: HashMap<String, (usize, usize)>,
}

impl Questionnaire {
    /// Builds `index` from the sections (after loading them, or changing them).
    pub fn index_questions(&mut self) {
        self.index = self
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, section)| {
                section
                    .questions
                    .iter()
                    .enumerate()
                    .map(move |(q, x)| (x.id.clone(), (s, q)))
            })
            .collect();
    }
}

#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub path: PathBuf,
    pub text: String,
    /// The text's hash, worked out the first time it is asked for (every session write asks).
    pub hash: std::sync::OnceLock<String>,
}

/// An output document: where it is saved, and the minijinja template that renders it (Markdown)
/// or the built-in generator that writes it (YAML).
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSpec {
    pub id: String,
    pub path: String,
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template: String,
    #[serde(skip_serializing_if = "is_markdown")]
    pub kind: DocumentKind,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub generator: Option<Generator>,
    /// A condition on the answers: while it does not hold, the document is not written (a
    /// REST API specification for a feature that exposes no API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The file line on which the template's first line stands (maps template errors back).
    #[serde(skip)]
    pub template_line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The id of the document this section feeds.
    pub document: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Text,
    Multiline,
    Choice,
    MultiChoice,
    YesNo,
    Number,
    List,
    Table,
    Checklist,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 9] = [
        Self::Text,
        Self::Multiline,
        Self::Choice,
        Self::MultiChoice,
        Self::YesNo,
        Self::Number,
        Self::List,
        Self::Table,
        Self::Checklist,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Multiline => "multiline",
            Self::Choice => "choice",
            Self::MultiChoice => "multi_choice",
            Self::YesNo => "yes_no",
            Self::Number => "number",
            Self::List => "list",
            Self::Table => "table",
            Self::Checklist => "checklist",
        }
    }

    /// Whether an answer of this kind can be the explicit "none" (an empty list or table).
    pub fn can_be_none(self) -> bool {
        matches!(self, Self::MultiChoice | Self::List | Self::Table)
    }

    /// How a value of this kind is written in an answers file, for messages and templates.
    pub fn expected(self) -> &'static str {
        match self {
            Self::Text | Self::Multiline => "a string",
            Self::Choice => "a string naming one option",
            Self::MultiChoice => "an array of option strings",
            Self::YesNo => "true or false",
            Self::Number => "a number",
            Self::List => "an array of strings",
            Self::Table => "an array of tables",
            Self::Checklist => "a string, or { assumption = \"...\" }",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub id: String,
    pub title: String,
    /// The values a cell must name: a fixed list, or another table's column. Other text is kept
    /// (the interview offers the values; `check` reports a value that names nothing).
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub values: Option<ValueSource>,
}

/// Where the values an answer must name come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// One of these (`options = [...]`).
    #[serde(rename = "options")]
    List(Vec<String>),
    /// A value of a column of a table question (`options_from = "question.column"`): an
    /// interaction's From must name a component.
    #[serde(rename = "options_from", serialize_with = "reference_text")]
    Column { question: String, column: String },
}

fn reference_text<S: serde::Serializer>(question: &str, column: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{question}.{column}"))
}

impl ValueSource {
    /// `question.column`, as the questionnaire writes a reference.
    pub fn describe(&self) -> String {
        match self {
            ValueSource::List(values) => values.join(", "),
            ValueSource::Column { question, column } => format!("{question}.{column}"),
        }
    }
}

/// Constraints on an answer; each is optional.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integer: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    /// A short name for outlines and assumption labels (defaults to the prompt).
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Answer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assume: Option<String>,
    /// The heading of the document section this answer feeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feeds: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Choice kinds: further options taken from another table's column (`options_from`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "options_from_text")]
    pub options_from: Option<(String, String)>,
    /// Choice kinds: a free answer outside `options` is accepted.
    pub other: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// Lists, tables and multiple choices: how the document says that the answer is "none"
    /// (an empty answer given on purpose), e.g. "The backend calls no third-party service."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub none: Option<String>,
    #[serde(skip_serializing_if = "is_default")]
    pub validate: Validation,
    /// The compiled `validate.pattern`, anchored to the whole answer.
    #[serde(skip)]
    pub pattern: Option<regex::Regex>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde hands the field by reference
fn is_markdown(kind: &DocumentKind) -> bool {
    *kind == DocumentKind::Markdown
}

fn is_default(v: &Validation) -> bool {
    *v == Validation::default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// What a text rule scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleTarget {
    /// Every answer's text, naming the question (and row) where it matched.
    Answers,
    /// The rendered document, naming the line.
    Document,
}

/// How a rule decides that it fires.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleTest {
    /// A minijinja condition over the answers; with `each`, evaluated once per row or item.
    When {
        expr: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        each: Option<String>,
    },
    /// A regular expression searched in answers or in the document.
    Pattern {
        pattern: String,
        target: RuleTarget,
        #[serde(skip)]
        regex: regex::Regex,
        /// A text (answer or line) that also matches this is not a finding: the regex crate has
        /// no look-around, and "a code block that is not Mermaid" needs one.
        #[serde(skip_serializing_if = "Option::is_none")]
        unless: Option<String>,
        #[serde(skip)]
        unless_regex: Option<regex::Regex>,
    },
    /// Code blocks in the rendered document whose language is not in the list (an empty list
    /// allows none); "diagrams only" documents allow `mermaid`.
    CodeBlocks { allowed: Vec<String> },
    /// The answer (or each row's cell, or each item) lacks a shape: it names no field, no
    /// status code, no action on a resource … `guard`, a condition, limits where it applies.
    Shape {
        shapes: Vec<crate::core::shape::Shape>,
        #[serde(skip_serializing_if = "Option::is_none")]
        each: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        guard: Option<String>,
    },
    /// The rendered document's line count outside a range.
    Lines {
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        document: Option<String>,
    },
}

impl RuleTest {
    /// Whether the rule reads the rendered documents (and so cannot decide a checklist box,
    /// which is part of what it would read).
    pub fn reads_documents(&self) -> bool {
        matches!(
            self,
            RuleTest::Pattern {
                target: RuleTarget::Document,
                ..
            } | RuleTest::CodeBlocks { .. }
                | RuleTest::Lines { .. }
        )
    }
}

/// One checklist line: ticked only when its questions are answered (an explicit "none"
/// counts; a default nobody confirmed, an assumption or an open question does not) and none
/// of its rules fires. Otherwise the box stays open and says what is missing.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub id: String,
    /// The line as the document shows it.
    pub text: String,
    /// A heading the template may group lines under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The document whose `checks()` lists it.
    pub document: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    /// The question a finding concerns, for jumping to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// A minijinja template; `row`, `item`, `index`, `match` are in scope where they apply.
    pub message: String,
    pub test: RuleTest,
}

impl Questionnaire {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        match self.index.get(id) {
            Some(&(s, q)) => {
                if let Some(found) = self
                    .sections
                    .get(s)
                    .and_then(|x| x.questions.get(q))
                    .filter(|x| x.id == id)
                {
                    return Some(found);
                }
            }
            // Not indexed, and the index is whole: there is no such question.
            None if self.index.len() == self.sections.iter().map(|x| x.questions.len()).sum::<usize>() => return None,
            None => {}
        }
        self.questions().find(|q| q.id == id)
    }

    /// The section holding question `id`.
    pub fn section_of(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.questions.iter().any(|q| q.id == id))
    }

    pub fn document(&self, id: &str) -> Option<&DocumentSpec> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// The name its session goes by under `.specflow/sessions/`: the id, or `id/instance`.
    pub fn session_name(&self) -> String {
        crate::core::instance::session_key(&self.id, self.opened_instance.as_deref())
    }

    /// A stable hash of the questionnaire's source text, to notice later edits.
    pub fn content_hash(&self) -> String {
        self.origin
            .hash
            .get_or_init(|| crate::core::digest::sha256_hex(self.origin.text.as_bytes()))
            .clone()
    }
}

#[allow(clippy::ref_option)] // serde hands the field as it is declared
fn options_from_text<S: serde::Serializer>(value: &Option<(String, String)>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some((question, column)) => s.serialize_str(&format!("{question}.{column}")),
        None => s.serialize_none(),
    }
}
