//! Plain mode's start for a questionnaire with instances (one set of documents per epic and
//! feature, say): which instance to open, or the keys that name a new one, line by line.
use std::io::{BufRead, Write};

use crate::core::answer::Answer;
use crate::core::fsio::sanitize;
use crate::core::instance::{self, SEPARATOR};
use crate::core::questionnaire::Questionnaire;
use crate::tui::app::AppError;

/// The instance to open, or `None` when the input ends first.
pub fn choose(
    q: &Questionnaire,
    existing: &[String],
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    echo: bool,
) -> Result<Option<String>, AppError> {
    let labels: Vec<String> = q
        .instance
        .iter()
        .map(|id| q.question(id).map_or_else(|| id.clone(), |x| x.label.clone()))
        .collect();
    let say = |out: &mut dyn Write, text: &str| writeln!(out, "{}", sanitize(text));
    say(
        out,
        &format!(
            "{} keeps one set of documents, session and history per {}.",
            q.title,
            labels.join(" and ").to_lowercase()
        ),
    )?;
    if !existing.is_empty() {
        say(out, "Sessions so far:")?;
        for (i, name) in existing.iter().enumerate() {
            say(
                out,
                &format!("  {}. {}", i + 1, name.split(SEPARATOR).collect::<Vec<_>>().join(" / ")),
            )?;
        }
        loop {
            let Some(line) = read(input, out, "Type a number to open one, or new to start another: ", echo)? else {
                return Ok(None);
            };
            let line = line.trim();
            if line.eq_ignore_ascii_case("new") {
                break;
            }
            match line.parse::<usize>().ok().and_then(|n| existing.get(n.wrapping_sub(1))) {
                Some(name) => return Ok(Some(name.clone())),
                None => say(out, &format!("\"{line}\" is neither a number from the list nor new."))?,
            }
        }
    }
    let mut parts = Vec::new();
    for (id, label) in q.instance.iter().zip(&labels) {
        let Some(question) = q.question(id) else { continue };
        loop {
            let Some(value) = read(input, out, &format!("{label}: "), echo)? else {
                return Ok(None);
            };
            let value = value.trim().to_string();
            let problem = instance::check_segment(&value)
                .err()
                .map(|why| format!("\"{value}\" cannot name a folder: {why}."))
                .or_else(|| {
                    Answer::Text(value.clone())
                        .violations(question)
                        .into_iter()
                        .next()
                        .map(|p| format!("{p}."))
                });
            if let Some(problem) = problem {
                say(out, &problem)?;
            } else {
                parts.push(value);
                break;
            }
        }
    }
    Ok(Some(parts.join(SEPARATOR)))
}

fn read(input: &mut dyn BufRead, out: &mut dyn Write, prompt: &str, echo: bool) -> Result<Option<String>, AppError> {
    write!(out, "{prompt}")?;
    out.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        writeln!(out)?;
        return Ok(None);
    }
    let line = line.trim_end_matches(['\n', '\r']).to_string();
    if echo {
        writeln!(out, "{}", sanitize(&line))?;
    }
    Ok(Some(line))
}
