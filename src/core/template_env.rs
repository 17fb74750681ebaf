//! The minijinja environment shared by document templates, `when` conditions and rule
//! messages, and the functions templates call (`answer`, `answered`, `prompt`, …).
use minijinja::value::{Kwargs, Object, Serde, Value};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::core::session::{Answers, answer_or_default};
use crate::core::{bounded, limits};

/// Names every template may use besides question ids.
pub const GLOBALS: &[&str] = &[
    "answer",
    "answered",
    "prompt",
    "assumptions",
    "todos",
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
    bounded::add_function(&mut env, "answer", Value::from_function(answer));
    bounded::add_function(&mut env, "answered", Value::from_function(answered));
    bounded::add_function(&mut env, "prompt", Value::from_function(prompt));
    bounded::add_function(&mut env, "assumptions", Value::from_function(assumptions));
    bounded::add_function(&mut env, "todos", Value::from_function(todos));
    env
}

/// What template functions see: the questionnaire, the answers, and which questions are shown.
#[derive(Debug)]
pub struct RenderData {
    pub questionnaire: Arc<Questionnaire>,
    pub answers: Answers,
    pub visible: HashSet<String>,
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

/// `answer(id, missing=…)`: the answer as Markdown, a labelled assumption, or a visible TODO.
#[allow(clippy::needless_pass_by_value)] // minijinja hands keyword arguments over by value
fn answer(state: &State, id: &str, kwargs: Kwargs) -> Result<String, Error> {
    let data = data(state)?;
    let missing: Option<String> = kwargs.get("missing")?;
    kwargs.assert_all_used()?;
    let question = data.question(id)?;
    if !data.visible.contains(id) {
        return Ok(String::new());
    }
    Ok(match data.effective(id) {
        Some(a) => markdown(question, a),
        None => match (&question.assume, question.required, missing) {
            (Some(assume), _, _) => format!("*Assumption:* {assume}"),
            (None, true, _) => format!("**TODO:** {}", question.prompt),
            (None, false, Some(m)) => m,
            (None, false, None) => "*Not specified.*".to_string(),
        },
    })
}

fn answered(state: &State, id: &str) -> Result<bool, Error> {
    let data = data(state)?;
    data.question(id)?;
    Ok(data.effective(id).is_some())
}

fn prompt(state: &State, id: &str) -> Result<String, Error> {
    Ok(data(state)?.question(id)?.prompt.clone())
}

fn assumptions(state: &State) -> Result<Value, Error> {
    let data = data(state)?;
    let list: Vec<Value> = data
        .assumption_list()
        .into_iter()
        .filter(|(q, _)| data.feeds(state, &q.id))
        .map(|(q, text)| {
            minijinja::context! { id => q.id.clone(), label => q.label.clone(), prompt => q.prompt.clone(), text => text }
        })
        .collect();
    Ok(Value::from(list))
}

fn todos(state: &State) -> Result<Value, Error> {
    let data = data(state)?;
    let list: Vec<Value> = data
        .todo_list()
        .into_iter()
        .filter(|q| data.feeds(state, &q.id))
        .map(|q| minijinja::context! { id => q.id.clone(), label => q.label.clone(), prompt => q.prompt.clone() })
        .collect();
    Ok(Value::from(list))
}

/// An answer as Markdown: lists become bullet lists, tables become pipe tables.
pub fn markdown(question: &Question, answer: &Answer) -> String {
    match answer {
        Answer::Text(s) => s.trim_end().to_string(),
        Answer::Assumption { assumption } => format!("*Assumption:* {assumption}"),
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
    text.trim().replace('|', "\\|").replace('\n', "<br>")
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
