//! Reading one reply from input lines: a command, or an answer of the question's kind (one line,
//! lines up to a `.`, numbered choices, `column = value; …` rows). Pure: lines in, a reply out.
use crate::core::answer::{Answer, Row};
use crate::core::fsio::sanitize;
use crate::core::questionnaire::{Question, QuestionKind};

/// The line that ends a multi-line answer, a list or a table.
pub const END: &str = ".";

/// What the user said at a prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A blank line (or a lone `.` for answers of several lines): the answer stays as it is.
    Keep,
    Answer(Answer),
    /// `:clear`: the question has no answer any more.
    Clear,
    /// `save`: save the documents as new revisions, as Ctrl-S does.
    Save,
    /// `:back`: the previous question.
    Back,
    /// `:help`: the question's help and the commands.
    Help,
    /// `:quit`: stop here; the session is kept.
    Quit,
    /// Input ended (Ctrl-D, or the end of a pipe).
    EndOfInput,
}

/// Whether answers of this kind take several lines, ended by `.`.
pub fn takes_lines(kind: QuestionKind) -> bool {
    matches!(
        kind,
        QuestionKind::Multiline | QuestionKind::List | QuestionKind::Table | QuestionKind::MultiChoice
    )
}

/// Reads a reply for `question` from `next_line` (which gives `None` at the end of input).
/// `Err` is one sentence saying why the input is not an answer; the question is asked again. A
/// table row or a choice among several that cannot be taken is said through `warn` as soon as
/// it is typed and left out, so the lines before and after it still count.
pub fn read(
    question: &Question,
    next_line: &mut dyn FnMut() -> Option<String>,
    warn: &mut dyn FnMut(String),
) -> Result<Reply, String> {
    let Some(first) = next_line() else {
        return Ok(Reply::EndOfInput);
    };
    let first = clean(&first);
    match first.trim() {
        "save" => return Ok(Reply::Save),
        ":back" => return Ok(Reply::Back),
        ":help" | ":?" => return Ok(Reply::Help),
        ":quit" => return Ok(Reply::Quit),
        ":clear" => return Ok(Reply::Clear),
        _ => {}
    }
    if takes_lines(question.kind) {
        if first.trim() == END || first.trim().is_empty() {
            return Ok(Reply::Keep);
        }
        let mut lines = Vec::new();
        let mut line = Some(first);
        while let Some(text) = line {
            match line_problem(question, &text) {
                Some(problem) => warn(format!(
                    "{problem} That line was left out; type it again, or a line with only a dot to end."
                )),
                None => lines.push(text),
            }
            line = next_line().map(|l| clean(&l)).filter(|l| l.trim() != END);
        }
        return several(question, &lines);
    }
    if first.trim().is_empty() {
        return Ok(Reply::Keep);
    }
    one(question, first.trim()).map(Reply::Answer)
}

/// Input passes the one sanitiser, like everything else that becomes an answer.
fn clean(line: &str) -> String {
    sanitize(line.trim_end_matches(['\n', '\r'])).into_owned()
}

fn checked(question: &Question, answer: Answer) -> Result<Answer, String> {
    let problems = answer.violations(question);
    if problems.is_empty() {
        Ok(answer)
    } else {
        Err(format!("That answer was not taken: {}.", problems.join("; ")))
    }
}

/// An answer on one line.
fn one(question: &Question, text: &str) -> Result<Answer, String> {
    let answer = match question.kind {
        // Read as the full-screen field reads it, so both give the same answer.
        QuestionKind::Number => crate::tui::editor::parse_number(text)
            .map_err(|_| format!("\"{text}\" is not a number; type digits, such as 20 or 2.5."))?,
        QuestionKind::YesNo => match text.to_lowercase().as_str() {
            "y" | "yes" | "true" => Answer::Bool(true),
            "n" | "no" | "false" => Answer::Bool(false),
            _ => return Err(format!("\"{text}\" is neither yes nor no; type yes or no.")),
        },
        QuestionKind::Choice => Answer::Text(choice(question, text)?),
        QuestionKind::Checklist => {
            let lower = text.to_lowercase();
            if lower == "assume" {
                match &question.assume {
                    Some(a) => Answer::Assumption { assumption: a.clone() },
                    None => {
                        return Err(
                            "This item has no assumption of its own; write \"assume: \" and the assumption in your words."
                                .to_string(),
                        );
                    }
                }
            } else if let Some(words) = lower.strip_prefix("assume:").map(|_| text["assume:".len()..].trim()) {
                if words.is_empty() {
                    return Err("Write the assumption after \"assume:\".".to_string());
                }
                Answer::Assumption {
                    assumption: words.to_string(),
                }
            } else {
                Answer::Text(text.to_string())
            }
        }
        _ => Answer::Text(text.to_string()),
    };
    checked(question, answer)
}

/// A choice by its number or its text (exact, then ignoring case, then a free answer where the
/// question allows one).
fn choice(question: &Question, text: &str) -> Result<String, String> {
    if let Ok(n) = text.parse::<usize>() {
        return match question.options.get(n.wrapping_sub(1)) {
            Some(option) if n > 0 => Ok(option.clone()),
            _ => Err(format!(
                "There is no option {n}; type a number from 1 to {}, or the option's text.",
                question.options.len()
            )),
        };
    }
    // The core decides what names an option, as it does for answers files.
    let value = toml::Value::String(text.to_string());
    let value = if question.kind == QuestionKind::MultiChoice {
        toml::Value::Array(vec![value])
    } else {
        value
    };
    match Answer::from_toml(question, &value) {
        Ok(Answer::Text(s)) => Ok(s),
        Ok(Answer::List(mut items)) if items.len() == 1 => Ok(items.remove(0)),
        Ok(_) => Err(format!("\"{text}\" is not an option of \"{}\".", question.id)),
        Err(e) => Err(format!("{}.", e.trim_end_matches('.'))),
    }
}

/// Why one line of a table or of several choices cannot be taken, if it cannot.
fn line_problem(question: &Question, line: &str) -> Option<String> {
    if line.trim().is_empty() {
        return None;
    }
    let problem = match question.kind {
        QuestionKind::Table => row(question, line).err().map(|e| capitalised(&e)),
        QuestionKind::MultiChoice => choices(question, line.trim()).err(),
        _ => None,
    }?;
    Some(problem)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The options one line of a multiple choice picks: "1, 3" or "1 3" by number, anything else
/// one option's text.
fn choices(question: &Question, line: &str) -> Result<Vec<String>, String> {
    let numbers: Option<Vec<usize>> = line
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<usize>().ok())
        .collect();
    match numbers {
        Some(ns) => ns.into_iter().map(|n| choice(question, &n.to_string())).collect(),
        None => Ok(vec![choice(question, line)?]),
    }
}

/// An answer of several lines (the `.` already taken off).
fn several(question: &Question, lines: &[String]) -> Result<Reply, String> {
    let answer = match question.kind {
        QuestionKind::Multiline => {
            let text = lines.join("\n").trim_end().to_string();
            if text.trim().is_empty() {
                return Ok(Reply::Keep);
            }
            Answer::Text(text)
        }
        QuestionKind::List => {
            let items: Vec<String> = lines
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            if items.is_empty() {
                return Ok(Reply::Keep);
            }
            Answer::List(items)
        }
        QuestionKind::MultiChoice => {
            let mut chosen: Vec<String> = Vec::new();
            for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
                for p in choices(question, line)? {
                    if !chosen.contains(&p) {
                        chosen.push(p);
                    }
                }
            }
            if chosen.is_empty() {
                return Ok(Reply::Keep);
            }
            Answer::List(chosen)
        }
        QuestionKind::Table => {
            let mut rows = Vec::new();
            for (n, line) in lines.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                rows.push(row(question, line).map_err(|e| format!("Row {}: {e}", n + 1))?);
            }
            let rows: Vec<Row> = rows.into_iter().filter(|r| !r.is_empty()).collect();
            if rows.is_empty() {
                return Ok(Reply::Keep);
            }
            Answer::Table(rows)
        }
        _ => return one(question, lines.first().map_or("", |l| l.trim())).map(Reply::Answer),
    };
    checked(question, answer).map(Reply::Answer)
}

/// `column = value; column = value`, a column named by its id or its title.
fn row(question: &Question, line: &str) -> Result<Row, String> {
    let mut row = Row::new();
    for cell in line.split(';').filter(|c| !c.trim().is_empty()) {
        let Some((name, value)) = cell.split_once('=') else {
            return Err(format!(
                "\"{}\" is not \"column = value\"; the columns are {}.",
                cell.trim(),
                columns(question)
            ));
        };
        let name = name.trim();
        let Some(column) = question
            .columns
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(name) || c.title.eq_ignore_ascii_case(name))
        else {
            return Err(format!(
                "there is no column \"{name}\"; the columns are {}.",
                columns(question)
            ));
        };
        let value = value.trim();
        if !value.is_empty() {
            row.insert(column.id.clone(), value.to_string());
        }
    }
    Ok(row)
}

fn columns(question: &Question) -> String {
    question
        .columns
        .iter()
        .map(|c| c.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
