//! The minijinja environment shared by document templates, `when` conditions and rule
//! messages, and the functions templates call (`answer`, `answered`, `state`, `checks`,
//! `coverage`, …), the filters (`cell`, `mermaid`, `lacking`) and the shape tests.
use minijinja::value::{Kwargs, Object, Serde, Value};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::bounded::{self, Stopped};
use crate::core::coverage;
use crate::core::finding::Finding;
use crate::core::limits::{self, Limit};
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire, Severity};
use crate::core::session::{Answers, answer_or_default, given_answer};
use crate::core::shape::Shape;
use crate::core::state::{QuestionState, state_of};

/// Names every template may use besides question ids.
pub const GLOBALS: &[&str] = &[
    "answer",
    "answered",
    "state",
    "prompt",
    "assumptions",
    "todos",
    "checks",
    "ready",
    "findings",
    "coverage",
    "related",
    "traceability",
    "lacking",
    "questionnaire",
    "document",
    "row",
    "item",
    "index",
    "match",
    "lines",
    "language",
    "_doc",
    // minijinja's own global functions
    "range",
    "dict",
    "namespace",
    "debug",
    "lipsum",
    "cycler",
    "joiner",
];

/// The context variable that carries the answers into template functions.
const DOC: &str = "_doc";

pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    // A template may not loop forever, nor build or write without end (see `core::bounded`).
    env.set_fuel(Some(limits::STEPS_PER_TEMPLATE));
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    bounded::install(&mut env);
    // Their results are charged like the built-in functions' (see `core::bounded`).
    bounded::add_function(&mut env, "answer", Value::from_function(answer));
    bounded::add_function(&mut env, "answered", Value::from_function(answered));
    bounded::add_function(&mut env, "state", Value::from_function(state));
    bounded::add_function(&mut env, "prompt", Value::from_function(prompt));
    bounded::add_function(&mut env, "assumptions", Value::from_function(assumptions));
    bounded::add_function(&mut env, "todos", Value::from_function(todos));
    bounded::add_function(&mut env, "checks", Value::from_function(checks));
    bounded::add_function(&mut env, "ready", Value::from_function(ready));
    bounded::add_function(&mut env, "findings", Value::from_function(findings));
    bounded::add_function(&mut env, "coverage", Value::from_function(coverage_rows));
    bounded::add_function(&mut env, "related", Value::from_function(related));
    bounded::add_function(&mut env, "traceability", Value::from_function(traceability));
    bounded::add_filter(&mut env, "cell", Value::from_function(cell_filter));
    bounded::add_filter(&mut env, "mermaid", Value::from_function(mermaid));
    bounded::add_filter(&mut env, "lacking", Value::from_function(lacking));
    for shape in Shape::ALL {
        env.add_test(shape.name(), move |value: &Value| {
            value
                .as_str()
                .is_some_and(|text| !text.trim().is_empty() && shape.holds(text))
        });
    }
    env
}

/// What template functions see: the questionnaire, the answers, which questions are shown,
/// what the rules found in the answers, and which documents the project already has.
#[derive(Debug)]
pub struct RenderData {
    pub questionnaire: Arc<Questionnaire>,
    pub answers: Answers,
    pub visible: HashSet<String>,
    /// Findings on the answers (built-in and rules that read answers), for `checks()`,
    /// `ready()` and `findings()`. Empty while the rules themselves run.
    pub findings: Vec<Finding>,
    /// File names under `.specflow/docs/` (relative to it), for `related()`.
    pub project_documents: Arc<Vec<String>>,
    /// What the template functions read while rendering (see [`Reads`]).
    pub reads: std::sync::Mutex<Reads>,
}

/// What a template read through the functions it called: the questions whose answer, state
/// or visibility it looked at, whether it looked over all of them (`todos()`, `checks()`, …),
/// and whether it read the findings. Variables are not here: a template's own names say them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    pub questions: Vec<String>,
    pub all_questions: bool,
    /// Only every question's state (not the answers themselves) was looked over.
    pub all_states: bool,
    pub findings: bool,
}

impl RenderData {
    fn read(&self, record: impl FnOnce(&mut Reads)) {
        if let Ok(mut reads) = self.reads.lock() {
            record(&mut reads);
        }
    }

    fn read_question(&self, id: &str) {
        self.read(|r| {
            if !r.questions.iter().any(|q| q == id) {
                r.questions.push(id.to_string());
            }
        });
    }

    /// Takes what was read so far, leaving nothing recorded.
    pub fn take_reads(&self) -> Reads {
        // A poisoned record says everything was read: nothing is then reused wrongly.
        self.reads.lock().map_or(
            Reads {
                questions: Vec::new(),
                all_questions: true,
                all_states: true,
                findings: true,
            },
            |mut r| std::mem::take(&mut *r),
        )
    }
}

impl Object for RenderData {}

impl RenderData {
    /// The answer that counts for `id`: none when hidden by its condition; the question's
    /// default when the answer is missing or empty.
    pub fn effective(&self, id: &str) -> Option<&Answer> {
        if !self.visible.contains(id) {
            return None;
        }
        let question = self.questionnaire.question(id)?;
        answer_or_default(question, &self.answers)
    }

    /// Whether question `id` feeds the document being rendered (all of them outside a render).
    fn feeds(&self, state: &State, id: &str) -> bool {
        let Some(doc) = state
            .lookup("document")
            .and_then(|d| d.get_attr("id").ok())
            .filter(|v| !v.is_undefined())
        else {
            return true;
        };
        self.questionnaire
            .section_of(id)
            .is_none_or(|s| doc.as_str() == Some(s.document.as_str()))
    }

    /// Where question `id` stands.
    pub fn state(&self, question: &Question) -> QuestionState {
        state_of(question, &self.answers, self.visible.contains(&question.id))
    }

    /// Every question's state, in questionnaire order.
    pub fn states(&self) -> Vec<(String, QuestionState)> {
        self.questionnaire
            .questions()
            .map(|q| (q.id.clone(), self.state(q)))
            .collect()
    }

    fn question(&self, id: &str) -> Result<&Question, Error> {
        self.questionnaire
            .question(id)
            .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("there is no question \"{id}\"")))
    }

    /// Open, visible questions whose bounded assumption stands in for an answer.
    pub fn assumption_list(&self) -> Vec<(&Question, String)> {
        self.questionnaire
            .questions()
            .filter(|q| self.visible.contains(&q.id))
            .filter_map(|q| match self.effective(&q.id) {
                Some(Answer::Assumption { assumption }) => Some((q, assumption.clone())),
                Some(_) => None,
                None => q.assume.clone().map(|a| (q, a)),
            })
            .collect()
    }

    /// Open, visible, required questions with nothing to stand in for them.
    pub fn todo_list(&self) -> Vec<&Question> {
        self.questionnaire
            .questions()
            .filter(|q| {
                q.required && q.assume.is_none() && self.visible.contains(&q.id) && self.effective(&q.id).is_none()
            })
            .collect()
    }
}

fn data(state: &State) -> Result<Arc<RenderData>, Error> {
    state
        .lookup(DOC)
        .and_then(|v| v.downcast_object::<RenderData>())
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "answers are not available here"))
}

/// The label of a default nobody has confirmed yet.
pub const UNCONFIRMED: &str = "*(default, not yet confirmed)*";

/// `answer(id, missing=…, none_text=…)`: the answer as Markdown; "none" in the questionnaire's
/// words; a default labelled as one until confirmed; a labelled assumption; a visible TODO for
/// a required question, and the question itself, marked open, for an optional one.
#[allow(clippy::needless_pass_by_value)] // minijinja hands keyword arguments over by value
fn answer(state: &State, id: &str, kwargs: Kwargs) -> Result<String, Error> {
    let data = data(state)?;
    let missing: Option<String> = kwargs.get("missing")?;
    let none: Option<String> = kwargs.get("none_text")?;
    kwargs.assert_all_used()?;
    let question = data.question(id)?;
    data.read_question(id);
    if !data.visible.contains(id) {
        return Ok(String::new());
    }
    if let Some(given) = given_answer(question, &data.answers) {
        if given.is_none() {
            return Ok(none
                .or_else(|| question.none.clone())
                .unwrap_or_else(|| "None.".to_string()));
        }
        return Ok(markdown(question, given));
    }
    Ok(
        match (&question.default, &question.assume, question.required, missing) {
            (Some(d), ..) => labelled_default(question, d),
            (None, Some(assume), _, _) => format!("*Assumption:* {assume}"),
            (None, None, true, _) => format!("**TODO:** {}", question.prompt),
            (None, None, false, Some(m)) => m,
            (None, None, false, None) => format!("*Open:* {}", question.prompt),
        },
    )
}

/// A default shown with its label: after an inline value, before a list or table.
fn labelled_default(question: &Question, value: &Answer) -> String {
    let text = markdown(question, value);
    match value {
        Answer::List(_) | Answer::Table(_) => format!("{UNCONFIRMED}\n\n{text}"),
        _ => format!("{text} {UNCONFIRMED}"),
    }
}

fn answered(state: &State, id: &str) -> Result<bool, Error> {
    let data = data(state)?;
    data.question(id)?;
    data.read_question(id);
    Ok(data.effective(id).is_some())
}

/// `state(id)`: "answered", "none", "default" (not yet confirmed), "assumed", "invalid",
/// "open" or "hidden".
fn state(state: &State, id: &str) -> Result<String, Error> {
    let data = data(state)?;
    let question = data.question(id)?;
    data.read_question(id);
    let none = given_answer(question, &data.answers).is_some_and(Answer::is_none);
    Ok(data.state(question).name(none).to_string())
}

/// Why a check's question keeps its box open, or nothing when it is settled.
fn unsettled(question: &Question, state: &QuestionState) -> Option<String> {
    let label = &question.label;
    match state {
        QuestionState::Answered | QuestionState::Hidden { .. } => None,
        QuestionState::Defaulted => Some(format!("{label}: only the default, not yet confirmed")),
        QuestionState::Assumed => Some(format!("{label}: only assumed")),
        QuestionState::Invalid(_) => Some(format!("{label}: the answer breaks its constraints")),
        QuestionState::Open { .. } => Some(format!("{label}: not answered")),
    }
}

/// `checks(group=None)`: the checklist lines of the document being rendered, each with `ok`
/// (ticked by its rules on the answers) and `missing` (what keeps the box open).
fn checks(state: &State, group: Option<&str>) -> Result<Value, Error> {
    let data = data(state)?;
    // Its lines read each question's state (`unsettled`) and the findings.
    data.read(|r| {
        r.all_states = true;
        r.findings = true;
    });
    let doc = state
        .lookup("document")
        .and_then(|d| d.get_attr("id").ok())
        .and_then(|v| v.as_str().map(str::to_string));
    let items: Vec<Value> = data
        .questionnaire
        .checks
        .iter()
        .filter(|c| doc.as_deref().is_none_or(|d| d == c.document))
        .filter(|c| group.is_none_or(|g| c.group.as_deref() == Some(g)))
        .map(|c| {
            let mut missing: Vec<String> = c
                .questions
                .iter()
                .filter_map(|id| data.questionnaire.question(id))
                .filter_map(|q| unsettled(q, &data.state(q)))
                .collect();
            for f in data.findings.iter().filter(|f| c.rules.contains(&f.rule)) {
                // Listed as clauses ("a; b; c"), so without their closing full stop.
                let clause = f.message.trim_end().trim_end_matches('.').to_string();
                if !missing.contains(&clause) {
                    missing.push(clause);
                }
            }
            minijinja::context! {
                id => c.id.clone(),
                text => c.text.clone(),
                group => c.group.clone(),
                ok => missing.is_empty(),
                missing => missing,
            }
        })
        .collect();
    Ok(Value::from(items))
}

/// `ready()`: true when the answers have no error (what `check` would report as errors).
fn ready(state: &State) -> Result<bool, Error> {
    let data = data(state)?;
    data.read(|r| r.findings = true);
    Ok(!data.findings.iter().any(|f| f.severity == Severity::Error))
}

/// `findings()`: what the rules found, each with `rule`, `severity`, `question`, `row`, `message`.
fn findings(state: &State) -> Result<Value, Error> {
    let data = data(state)?;
    data.read(|r| r.findings = true);
    Ok(Value::from(Serde(&data.findings)))
}

/// `coverage()`: per section feeding the document being rendered, the questions answered,
/// left on an unconfirmed default, assumed and open.
fn coverage_rows(state: &State) -> Result<Value, Error> {
    let data = data(state)?;
    data.read(|r| r.all_states = true);
    let doc = state
        .lookup("document")
        .and_then(|d| d.get_attr("id").ok())
        .and_then(|v| v.as_str().map(str::to_string));
    let rows: Vec<coverage::SectionCoverage> = coverage::coverage(&data.questionnaire, &data.states())
        .into_iter()
        .filter(|r| doc.as_deref().is_none_or(|d| d == r.document))
        .collect();
    Ok(Value::from(Serde(&rows)))
}

/// `related("D01")`: the file name of the project's document whose name starts with `D01-`
/// (`.specflow/docs/D01-product-requirements.md` → `D01-product-requirements.md`), if any.
fn related(state: &State, prefix: &str) -> Result<Value, Error> {
    let data = data(state)?;
    let wanted = format!("{prefix}-");
    Ok(data
        .project_documents
        .iter()
        .find(|name| {
            name.starts_with(&wanted)
                && !name.contains('/')
                && std::path::Path::new(name.as_str())
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        })
        .map_or(Value::UNDEFINED, |name| Value::from(name.clone())))
}

/// `traceability("openapi")`: the requirements of the generated document's mapping, each with
/// `fr_id`, `title`, `must`, `endpoints` and `deferred`, and the `untraced` endpoints.
fn traceability(state: &State, document: &str) -> Result<Value, Error> {
    let data = data(state)?;
    data.read(|r| r.all_questions = true);
    let Some(crate::core::questionnaire::Generator::OpenApi { mapping }) =
        data.questionnaire.document(document).and_then(|d| d.generator.as_ref())
    else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("\"{document}\" is not a document written by the openapi generator"),
        ));
    };
    Ok(Value::from(Serde(crate::core::openapi::traceability(
        mapping,
        data.as_ref(),
    ))))
}

fn prompt(state: &State, id: &str) -> Result<String, Error> {
    Ok(data(state)?.question(id)?.prompt.clone())
}

fn assumptions(state: &State) -> Result<Value, Error> {
    let data = data(state)?;
    // Which questions stand on an assumption is their state; the text of an assumption typed as
    // an answer is that question's answer, read for each one listed.
    data.read(|r| r.all_states = true);
    let list: Vec<Value> = data
        .assumption_list()
        .into_iter()
        .filter(|(q, _)| data.feeds(state, &q.id))
        .inspect(|(q, _)| data.read_question(&q.id))
        .map(|(q, text)| {
            minijinja::context! { id => q.id.clone(), label => q.label.clone(), prompt => q.prompt.clone(), text => text }
        })
        .collect();
    Ok(Value::from(list))
}

fn todos(state: &State) -> Result<Value, Error> {
    let data = data(state)?;
    // Whether a question has no answer that counts (not shown, or open) is its state.
    data.read(|r| r.all_states = true);
    let list: Vec<Value> = data
        .todo_list()
        .into_iter()
        .filter(|q| data.feeds(state, &q.id))
        .map(|q| minijinja::context! { id => q.id.clone(), label => q.label.clone(), prompt => q.prompt.clone() })
        .collect();
    Ok(Value::from(list))
}

/// An answer as Markdown: text keeps its lines, lists become bullet lists, tables become
/// pipe tables.
pub fn markdown(question: &Question, answer: &Answer) -> String {
    match answer {
        Answer::Text(s) => keep_lines(s.trim_end()),
        Answer::Assumption { assumption } => format!("*Assumption:* {}", keep_lines(assumption.trim_end())),
        Answer::List(items) => items
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("- {}", s.trim().replace('\n', "\n  ")))
            .collect::<Vec<_>>()
            .join("\n"),
        Answer::Bool(true) => "Yes".into(),
        Answer::Bool(false) => "No".into(),
        Answer::Integer(n) => n.to_string(),
        Answer::Float(n) => n.to_string(),
        Answer::Table(rows) => table(question, rows),
    }
}

fn table(question: &Question, rows: &[crate::core::answer::Row]) -> String {
    debug_assert_eq!(question.kind, QuestionKind::Table);
    let mut out = String::new();
    let titles: Vec<String> = question.columns.iter().map(|c| cell(&c.title)).collect();
    let _ = writeln!(out, "| {} |", titles.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(titles.len()));
    for row in rows {
        let cells: Vec<String> = question
            .columns
            .iter()
            .map(|c| cell(row.get(&c.id).map_or("", String::as_str)))
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.trim_end().to_string()
}

/// Text that must stay inside one table cell.
fn cell(text: &str) -> String {
    text.trim()
        .replace('|', "\\|")
        .replace("\\\n", "\n")
        .replace('\n', "<br>")
}

/// The `cell` filter: any value as the text of one table cell (line breaks as `<br>`, `|`
/// escaped), also when it comes from `answer()`.
fn cell_filter(value: &Value) -> String {
    if value.is_undefined() || value.is_none() {
        return String::new();
    }
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    cell(&text.replace('\r', ""))
}

/// Multi-line text as Markdown that keeps its lines: a line followed by another in the same
/// paragraph ends in a hard break (`\`). Blank lines (paragraphs), list items, table rows,
/// headings and fenced code are left as Markdown reads them.
pub fn keep_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + lines.len() * 2);
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
        }
        out.push_str(line);
        if i + 1 == lines.len() {
            break;
        }
        let next = lines[i + 1].trim_end();
        let structural = |l: &str| {
            let t = l.trim_start();
            t.is_empty()
                || t.starts_with('|')
                || t.starts_with('#')
                || t.starts_with("```")
                || t.starts_with("~~~")
                || t.starts_with('>')
                || list_item(t)
        };
        if !in_fence && !structural(line) && !structural(next) && !line.ends_with('\\') {
            out.push('\\');
        }
        out.push('\n');
    }
    out
}

/// `- item`, `* item`, `+ item`, `1. item`, `1) item`.
fn list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// The `mermaid` filter: text as a Mermaid label that keeps every character. Characters that
/// would end a label or a statement early are written as Mermaid entity codes (`#35;` for
/// `#`, `#quot;` for `"`), so "C#" and "R&D" survive; line breaks become spaces.
fn mermaid(value: &Value) -> String {
    if value.is_undefined() || value.is_none() {
        return String::new();
    }
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            ';' => out.push_str("#59;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '%' => out.push_str("#37;"),
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The `lacking` filter: what the text lacks to have a shape (`row.path | lacking("resource_path")`),
/// as phrases that say what to add; empty when it has the shape.
fn lacking(value: &Value, shape: &str) -> Result<Value, Error> {
    let Some(shape) = Shape::from_name(shape) else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("there is no shape \"{shape}\""),
        ));
    };
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    Ok(Value::from(shape.lacking(&text)))
}

/// A template or condition failed while rendering; names the questionnaire file and line, and
/// for a limit, the limit and the question whose answer made the text that large (when one did).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {what} failed: {detail}{}.", driven_by(.question.as_deref()))]
pub struct RenderError {
    pub location: String,
    pub what: String,
    pub detail: String,
    /// The limit that stopped it, if one did.
    pub limit: Option<Limit>,
    /// The question whose answer drove it past the limit, when that is known.
    pub question: Option<String>,
}

fn driven_by(question: Option<&str>) -> String {
    question.map_or_else(String::new, |q| format!(" (the answer to \"{q}\" made it that large)"))
}

impl RenderError {
    /// A template that does not compile (no answers involved).
    pub fn compile(location: String, what: String, e: &Error) -> RenderError {
        RenderError {
            location,
            what,
            detail: e.detail().map_or_else(|| e.kind().to_string(), str::to_string),
            limit: None,
            question: None,
        }
    }
}

/// The error for a template of `questionnaire` that stopped, mapped to its file line when the
/// template's first line (`first_line`) is known; for a limit, with the question whose answer
/// made the text that large.
pub fn failure(
    questionnaire: &Questionnaire,
    first_line: usize,
    what: &str,
    stopped: &Stopped,
    answers: &Answers,
) -> RenderError {
    let file = questionnaire.origin.path.display().to_string();
    let location = match stopped.error.line() {
        Some(line) if first_line > 0 => format!("{file}:{}", first_line + line - 1),
        _ => file,
    };
    RenderError {
        location,
        what: what.to_string(),
        detail: stopped.detail(),
        limit: stopped.limit,
        question: stopped
            .limit
            .and_then(|_| driver(questionnaire, answers, stopped.operand.as_ref())),
    }
}

/// The question whose answer a too-large text came from: an answer that holds the text, or
/// that makes up a good part of it. Text a template made up on its own names none.
fn driver(questionnaire: &Questionnaire, answers: &Answers, operand: Option<&Value>) -> Option<String> {
    let text = operand?.as_str()?;
    if text.len() < 64 {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for q in questionnaire.questions() {
        let Some(answer) = answer_or_default(q, answers) else {
            continue;
        };
        let shown = markdown(q, answer);
        let pieces = answer.texts().into_iter().map(|(_, t)| t).chain([shown.as_str()]);
        for piece in pieces {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let related = piece.contains(text) || (piece.len().saturating_mul(4) >= text.len() && text.contains(piece));
            if related && best.is_none_or(|(n, _)| piece.len() > n) {
                best = Some((piece.len(), &q.id));
            }
        }
    }
    best.map(|(_, id)| id.to_string())
}

/// The context for templates: every visible, answered question by id, plus `_doc`.
pub fn context(data: Arc<RenderData>, extra: &[(&str, Value)]) -> Value {
    let mut map: Vec<(String, Value)> = Vec::new();
    for q in data.questionnaire.questions() {
        if let Some(a) = data.effective(&q.id) {
            map.push((q.id.clone(), template_value(a)));
        }
    }
    let q = &data.questionnaire;
    map.push((
        "questionnaire".into(),
        minijinja::context! { id => q.id.clone(), version => q.version.clone(), title => q.title.clone() },
    ));
    for (k, v) in extra {
        map.push(((*k).to_string(), v.clone()));
    }
    map.push((DOC.into(), Value::from_dyn_object(data)));
    Value::from_pairs(map)
}

/// How an answer looks to a template expression (`api_style == "REST"`, `"JWT" in auth_method`).
pub fn template_value(answer: &Answer) -> Value {
    match answer {
        Answer::Assumption { assumption } => Value::from(assumption.clone()),
        other => Value::from(Serde(other)),
    }
}

/// Wraps a condition so that it compiles as a template: the output is "1" when it holds.
pub fn condition_template(expr: &str) -> String {
    format!("{{% if {expr} %}}1{{% endif %}}")
}

/// Columns the condition wrapper adds before the expression (for mapping error positions).
pub const CONDITION_PREFIX_LEN: usize = "{% if ".len();
