//! Answer values: typed against their question, converted from and to TOML, checked against
//! the question's constraints.
use serde::Serialize;
use std::collections::BTreeMap;

use crate::core::fsio::sanitize;
use crate::core::questionnaire::{Question, QuestionKind};

/// One row of a table answer: column id → cell text.
pub type Row = BTreeMap<String, String>;

/// The value of one answered question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// text, multiline, choice, and an answered checklist item.
    Text(String),
    /// `multi_choice` and `list`.
    List(Vec<String>),
    /// `yes_no`.
    Bool(bool),
    Integer(i64),
    Float(f64),
    Table(Vec<Row>),
    /// A checklist item explicitly left as a bounded assumption, in the user's words.
    Assumption {
        assumption: String,
    },
}

impl Answer {
    /// True when the value is an unfilled placeholder, which counts as no answer at all: blank
    /// text, or a list or table whose every item or cell is blank (`[""]`). An empty list or
    /// table (`[]`) is not blank: it is the explicit answer "none".
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Text(s) => s.trim().is_empty(),
            Answer::Assumption { assumption } => assumption.trim().is_empty(),
            Answer::List(v) => !v.is_empty() && v.iter().all(|s| s.trim().is_empty()),
            Answer::Table(rows) => !rows.is_empty() && rows.iter().all(|r| r.values().all(|c| c.trim().is_empty())),
            Answer::Bool(_) | Answer::Integer(_) | Answer::Float(_) => false,
        }
    }

    /// True for the explicit answer "none": an empty list, table or set of choices. It is an
    /// answer (the user said there are none), unlike a question left open.
    pub fn is_none(&self) -> bool {
        match self {
            Answer::List(v) => v.is_empty(),
            Answer::Table(rows) => rows.is_empty(),
            _ => false,
        }
    }

    /// Converts a TOML value to an answer for `question`, or says in one sentence what was
    /// expected. Strings are sanitised on the way in; nothing downstream sees control characters.
    pub fn from_toml(question: &Question, value: &toml::Value) -> Result<Answer, String> {
        let wrong = || {
            format!(
                "\"{}\" expects {}, not {}",
                question.id,
                question.kind.expected(),
                describe(value)
            )
        };
        let clean = |s: &str| sanitize(s).into_owned();
        match question.kind {
            QuestionKind::Text | QuestionKind::Multiline => match value {
                toml::Value::String(s) => {
                    // Judged once cleaned: a lone carriage return becomes a line break there.
                    let text = clean(s);
                    if question.kind == QuestionKind::Text && text.contains('\n') {
                        return Err(format!(
                            "\"{}\" is a single-line answer but the value spans several lines",
                            question.id
                        ));
                    }
                    Ok(Answer::Text(text))
                }
                _ => Err(wrong()),
            },
            QuestionKind::Choice => match value {
                toml::Value::String(s) => Ok(Answer::Text(choose(question, &clean(s))?)),
                _ => Err(wrong()),
            },
            QuestionKind::MultiChoice => {
                let items = string_array(value).ok_or_else(wrong)?;
                let mut chosen: Vec<String> = Vec::with_capacity(items.len());
                // Each value once, in the order given; a set keeps 100,000 values linear.
                let mut seen = std::collections::HashSet::with_capacity(items.len());
                for item in items {
                    let option = choose(question, &clean(item))?;
                    if seen.insert(option.clone()) {
                        chosen.push(option);
                    }
                }
                Ok(Answer::List(chosen))
            }
            QuestionKind::List => {
                let items = string_array(value).ok_or_else(wrong)?;
                Ok(Answer::List(items.into_iter().map(clean).collect()))
            }
            QuestionKind::YesNo => match value {
                toml::Value::Boolean(b) => Ok(Answer::Bool(*b)),
                _ => Err(wrong()),
            },
            QuestionKind::Number => match value {
                toml::Value::Integer(i) => Ok(Answer::Integer(*i)),
                toml::Value::Float(f) if f.is_finite() => Ok(Answer::Float(*f)),
                toml::Value::Float(_) => Err(format!("\"{}\" must be a finite number", question.id)),
                _ => Err(wrong()),
            },
            QuestionKind::Table => {
                let toml::Value::Array(rows) = value else {
                    return Err(wrong());
                };
                let mut out = Vec::with_capacity(rows.len());
                for (i, row) in rows.iter().enumerate() {
                    let toml::Value::Table(cells) = row else {
                        return Err(format!(
                            "row {} of \"{}\" must be a table of columns, not {}",
                            i + 1,
                            question.id,
                            describe(row)
                        ));
                    };
                    let mut parsed = Row::new();
                    for (column, cell) in cells {
                        if !question.columns.iter().any(|c| &c.id == column) {
                            let known: Vec<&str> = question.columns.iter().map(|c| c.id.as_str()).collect();
                            return Err(format!(
                                "row {} of \"{}\" has an unknown column \"{}\"; the columns are {}",
                                i + 1,
                                question.id,
                                sanitize(column),
                                known.join(", ")
                            ));
                        }
                        let text = match cell {
                            toml::Value::String(s) => clean(s),
                            toml::Value::Integer(n) => n.to_string(),
                            toml::Value::Float(n) => n.to_string(),
                            toml::Value::Boolean(b) => b.to_string(),
                            other => {
                                return Err(format!(
                                    "column \"{column}\" in row {} of \"{}\" must be text, not {}",
                                    i + 1,
                                    question.id,
                                    describe(other)
                                ));
                            }
                        };
                        parsed.insert(column.clone(), text);
                    }
                    out.push(parsed);
                }
                Ok(Answer::Table(out))
            }
            QuestionKind::Checklist => match value {
                toml::Value::String(s) => Ok(Answer::Text(clean(s))),
                toml::Value::Table(t) if t.len() == 1 => match t.get("assumption") {
                    Some(toml::Value::String(s)) => Ok(Answer::Assumption { assumption: clean(s) }),
                    _ => Err(wrong()),
                },
                _ => Err(wrong()),
            },
        }
    }

    /// The TOML form written to answers and session files.
    pub fn to_toml(&self) -> toml::Value {
        match self {
            Answer::Text(s) => toml::Value::String(s.clone()),
            Answer::List(v) => toml::Value::Array(v.iter().cloned().map(toml::Value::String).collect()),
            Answer::Bool(b) => toml::Value::Boolean(*b),
            Answer::Integer(i) => toml::Value::Integer(*i),
            Answer::Float(f) => toml::Value::Float(*f),
            Answer::Table(rows) => toml::Value::Array(
                rows.iter()
                    .map(|r| {
                        toml::Value::Table(
                            r.iter()
                                .map(|(k, v)| (k.clone(), toml::Value::String(v.clone())))
                                .collect(),
                        )
                    })
                    .collect(),
            ),
            Answer::Assumption { assumption } => {
                let mut t = toml::Table::new();
                t.insert("assumption".into(), toml::Value::String(assumption.clone()));
                toml::Value::Table(t)
            }
        }
    }

    /// Every piece of free text in the answer, with the row it stands in (for text lint rules).
    pub fn texts(&self) -> Vec<(Option<usize>, &str)> {
        match self {
            Answer::Text(s) | Answer::Assumption { assumption: s } => vec![(None, s.as_str())],
            Answer::List(v) => v.iter().enumerate().map(|(i, s)| (Some(i), s.as_str())).collect(),
            Answer::Table(rows) => rows
                .iter()
                .enumerate()
                .flat_map(|(i, r)| r.values().map(move |c| (Some(i), c.as_str())))
                .collect(),
            Answer::Bool(_) | Answer::Integer(_) | Answer::Float(_) => Vec::new(),
        }
    }

    /// Checks the question's `validate` constraints; each violation is one sentence.
    pub fn violations(&self, question: &Question) -> Vec<String> {
        let v = &question.validate;
        let id = &question.id;
        let mut out = Vec::new();
        let check_text = |s: &str, out: &mut Vec<String>| {
            let len = s.chars().count();
            if let Some(min) = v.min_length
                && len < min
            {
                out.push(format!("\"{id}\" needs at least {min} characters (it has {len})"));
            }
            if let Some(max) = v.max_length
                && len > max
            {
                out.push(format!("\"{id}\" allows at most {max} characters (it has {len})"));
            }
            if let (Some(re), Some(p)) = (&question.pattern, &v.pattern) {
                if s.len() > crate::core::limits::PATTERN_TEXT {
                    out.push(format!(
                        "\"{id}\" is too long to check against its pattern: it is longer than {}, the most a pattern searches",
                        crate::core::limits::bytes(crate::core::limits::PATTERN_TEXT)
                    ));
                } else if !re.is_match(s) {
                    out.push(format!("\"{id}\" does not match the pattern {p}"));
                }
            }
        };
        match self {
            Answer::Text(s) | Answer::Assumption { assumption: s } => check_text(s, &mut out),
            Answer::List(items) => {
                if question.kind == QuestionKind::List {
                    for s in items {
                        check_text(s, &mut out);
                    }
                }
                check_count(id, items.len(), v.min_items, v.max_items, &mut out);
            }
            Answer::Table(rows) => check_count(id, rows.len(), v.min_items, v.max_items, &mut out),
            #[allow(clippy::cast_precision_loss)]
            Answer::Integer(n) => check_range(id, *n as f64, v.min, v.max, &mut out),
            Answer::Float(n) => {
                if v.integer == Some(true) && n.fract() != 0.0 {
                    out.push(format!("\"{id}\" must be a whole number"));
                }
                check_range(id, *n, v.min, v.max, &mut out);
            }
            Answer::Bool(_) => {}
        }
        out
    }
}

fn check_count(id: &str, n: usize, min: Option<usize>, max: Option<usize>, out: &mut Vec<String>) {
    if let Some(min) = min
        && n < min
    {
        out.push(format!("\"{id}\" needs at least {min} entries (it has {n})"));
    }
    if let Some(max) = max
        && n > max
    {
        out.push(format!("\"{id}\" allows at most {max} entries (it has {n})"));
    }
}

fn check_range(id: &str, n: f64, min: Option<f64>, max: Option<f64>, out: &mut Vec<String>) {
    if let Some(min) = min
        && n < min
    {
        out.push(format!("\"{id}\" must be at least {min} (it is {n})"));
    }
    if let Some(max) = max
        && n > max
    {
        out.push(format!("\"{id}\" must be at most {max} (it is {n})"));
    }
}

/// Resolves `text` to one of the question's options (exact, then ignoring case), or accepts
/// it as a free answer when the question allows "other".
fn choose(question: &Question, text: &str) -> Result<String, String> {
    if let Some(o) = question.options.iter().find(|o| *o == text) {
        return Ok(o.clone());
    }
    if let Some(o) = question.options.iter().find(|o| o.eq_ignore_ascii_case(text)) {
        return Ok(o.clone());
    }
    // Options taken from another table follow its answers: `check` reports one naming nothing.
    if (question.other || question.options_from.is_some()) && !text.trim().is_empty() {
        return Ok(text.to_string());
    }
    let options = question
        .options
        .iter()
        .map(|o| format!("\"{o}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Err(format!(
        "\"{text}\" is not an option of \"{}\"; choose one of {options}",
        question.id
    ))
}

fn string_array(value: &toml::Value) -> Option<Vec<&str>> {
    match value {
        toml::Value::Array(items) => items.iter().map(toml::Value::as_str).collect(),
        _ => None,
    }
}

/// "a string", "an array", … for messages about wrong types.
pub fn describe(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date-time",
        toml::Value::Array(items) if items.iter().any(|v| !v.is_str()) => "an array with non-string items",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}
