//! Answers that must name something: table cells whose column takes its values from a fixed
//! list or from another table's column (an interaction's From names a component), and choices
//! whose options come from another table. The interview offers the values; `check` reports a
//! value that names nothing.
use crate::core::answer::Answer;
use crate::core::document::Visibility;
use crate::core::lint::Finding;
use crate::core::questionnaire::{Questionnaire, Severity, ValueSource};
use crate::core::session::Answers;

/// The rule id of the findings made here.
pub const RULE: &str = "reference";

/// The values `source` allows now, in order, each once (references follow the answers).
pub fn values(answers: &Answers, source: &ValueSource) -> Vec<String> {
    match source {
        ValueSource::List(values) => values.clone(),
        ValueSource::Column { question, column } => column_values(answers, question, column),
    }
}

/// The distinct non-empty cells of column `column` of table answer `question`.
pub fn column_values(answers: &Answers, question: &str, column: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(Answer::Table(rows)) = answers.get(question) {
        for row in rows {
            if let Some(value) = row.get(column).map(|v| v.trim())
                && !value.is_empty()
                && !out.iter().any(|o| o.eq_ignore_ascii_case(value))
            {
                out.push(value.to_string());
            }
        }
    }
    out
}

/// Whether `value` names one of `allowed` (ignoring case and surrounding spaces).
pub fn names_one(value: &str, allowed: &[String]) -> bool {
    let value = value.trim();
    allowed.iter().any(|a| a.trim().eq_ignore_ascii_case(value))
}

/// A finding for every shown answer that must name something and names nothing.
pub fn findings(q: &Questionnaire, answers: &Answers, visibility: &Visibility) -> Vec<Finding> {
    let mut out = Vec::new();
    for question in q.questions().filter(|x| visibility.visible.contains(&x.id)) {
        match answers.get(&question.id) {
            Some(Answer::Table(rows)) => {
                for column in &question.columns {
                    let Some(source) = &column.values else { continue };
                    let allowed = values(answers, source);
                    for (index, row) in rows.iter().enumerate() {
                        let Some(value) = row.get(&column.id).filter(|v| !v.trim().is_empty()) else {
                            continue;
                        };
                        if !names_one(value, &allowed) {
                            out.push(Finding {
                                rule: RULE.to_string(),
                                severity: Severity::Error,
                                question: Some(question.id.clone()),
                                row: Some(index + 1),
                                document: None,
                                line: None,
                                message: format!(
                                    "{} \"{}\" names nothing: {}.",
                                    column.title,
                                    value.trim(),
                                    expected(q, source, &allowed)
                                ),
                            });
                        }
                    }
                }
            }
            Some(answer @ (Answer::Text(_) | Answer::List(_))) => {
                let Some((table, column)) = &question.options_from else {
                    continue;
                };
                let mut allowed = question.options.clone();
                allowed.extend(column_values(answers, table, column));
                let chosen: Vec<&str> = match answer {
                    Answer::Text(t) => vec![t.as_str()],
                    Answer::List(items) => items.iter().map(String::as_str).collect(),
                    _ => Vec::new(),
                };
                for value in chosen.into_iter().filter(|v| !names_one(v, &allowed)) {
                    let source = ValueSource::Column {
                        question: table.clone(),
                        column: column.clone(),
                    };
                    out.push(Finding {
                        rule: RULE.to_string(),
                        severity: Severity::Error,
                        question: Some(question.id.clone()),
                        row: None,
                        document: None,
                        line: None,
                        message: format!(
                            "\"{}\" names nothing: {}.",
                            value.trim(),
                            expected(q, &source, &allowed)
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What the value should have been, in words.
fn expected(q: &Questionnaire, source: &ValueSource, allowed: &[String]) -> String {
    let listed = |values: &[String]| values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ");
    match source {
        ValueSource::List(values) => format!("use one of {}", listed(values)),
        ValueSource::Column { question, column } => {
            let table = q.question(question).map_or(question.as_str(), |t| t.label.as_str());
            let title = q
                .question(question)
                .and_then(|t| t.columns.iter().find(|c| c.id == *column))
                .map_or(column.as_str(), |c| c.title.as_str());
            if allowed.is_empty() {
                format!("the {table} table has no {title} yet; add the row there first")
            } else {
                format!(
                    "use a {title} of the {table} table ({}), or add it there",
                    listed(allowed)
                )
            }
        }
    }
}
