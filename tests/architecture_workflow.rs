//! The architecture workflow's generated Mermaid diagrams stay valid with any name: every
//! statement keeps its shape, no label carries a character that would end it early, and each
//! label decodes (Mermaid's entity codes) back to exactly what was answered.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use regex::Regex;
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::document::Engine;
use spec_interview::core::lint;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::session;

const COMPLETE: &str = include_str!("answers/architecture-workflow-complete.toml");

/// Names that would break a diagram if written as they are: quotes, `#`, `;`, `|`, `%%`,
/// brackets, arrows, a backtick, a keyword, and an entity code typed on purpose.
const WORKER: &str = r#"C# <Worker> & "R&D"; 100% |x| `tick` #35; end --> %%{init}%% [a]{b}(c): d"#;
const LABEL: &str = r#"read ; file | "in" #chunks & <b>x</b> end"#;
const MESSAGE: &str = r#"claim; job #1 & "next" -->> p2 %% x: y"#;

fn workflow() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN
        .iter()
        .find(|(p, _)| p.ends_with("architecture-workflow.toml"))
        .unwrap();
    Arc::new(parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}")))
}

/// A TOML basic string holding `s`.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The complete example with hostile names for one component, one arrow and one message.
fn hostile_architecture() -> String {
    let text = COMPLETE
        .replace("\"Import worker\"", &quoted(WORKER))
        .replace("\"read file in chunks\"", &quoted(LABEL))
        .replace("\"claim the oldest queued job\"", &quoted(MESSAGE));
    assert!(text.contains("%%{init}%%") && text.contains("#chunks") && text.contains("-->> p2"));
    let q = workflow();
    let file = session::parse(Path::new("hostile.toml"), &text, &q).unwrap_or_else(|d| panic!("{d}"));
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let report = lint::check(&engine, &file.answers).unwrap();
    report
        .documents
        .iter()
        .find(|d| d.id == "architecture")
        .unwrap()
        .text
        .clone()
}

/// The text of every Mermaid block (fenced as `mermaid`).
fn diagrams(markdown: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim()) {
            (None, "```mermaid") => current = Some(Vec::new()),
            (Some(_), "```") => out.push(current.take().unwrap()),
            (Some(lines), _) => lines.push(line.to_string()),
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "a diagram is left open");
    out
}

/// A label as Mermaid reads it: with its entity codes (`#35;`, `#quot;`) replaced first, no
/// character may remain that ends a label or a statement.
fn safe(label: &str) -> bool {
    let codes = Regex::new(r"#\w+;").unwrap();
    let rest = codes.replace_all(label, "");
    !rest.contains(['"', '#', ';', '|', '<', '>', '%', '`', '\n'])
}

/// What Mermaid shows for a label: its entity codes decoded.
fn decoded(label: &str) -> String {
    let codes = Regex::new(r"#(\w+);").unwrap();
    codes
        .replace_all(label, |c: &regex::Captures| {
            let code = &c[1];
            match code {
                "quot" => "\"".to_string(),
                "amp" => "&".to_string(),
                "lt" => "<".to_string(),
                "gt" => ">".to_string(),
                _ => code
                    .parse::<u32>()
                    .ok()
                    .and_then(char::from_u32)
                    .map_or_else(|| c[0].to_string(), String::from),
            }
        })
        .into_owned()
}

#[test]
fn diagrams_keep_every_statement_whole_and_every_character_of_a_label() {
    let doc = hostile_architecture();
    let blocks = diagrams(&doc);
    assert_eq!(blocks.len(), 4, "one system diagram and three flows:\n{doc}");

    let node = Regex::new(r#"^\s*(?:subgraph \w+\["([^"]*)"\]|end|(\w+)\["([^"]*)"\])$"#).unwrap();
    let edge = Regex::new(r#"^\s*(\w+)(?:\["([^"]*)"\])? -->(?:\|"([^"]*)"\|)? (\w+)(?:\["([^"]*)"\])?$"#).unwrap();
    let participant = Regex::new(r"^\s*participant (p\d+) as (.+)$").unwrap();
    let message = Regex::new(r"^\s*(p\d+)->>(p\d+): (.+)$").unwrap();

    let mut labels = Vec::new();
    let (system, flows) = blocks.split_first().unwrap();
    assert_eq!(system[0].trim(), "flowchart TD");
    for line in &system[1..] {
        let caps = node
            .captures(line)
            .or_else(|| edge.captures(line))
            .unwrap_or_else(|| panic!("not a flowchart statement: {line}"));
        labels.extend(caps.iter().skip(1).flatten().map(|m| m.as_str().to_string()));
    }
    for flow in flows {
        assert_eq!(flow[0].trim(), "sequenceDiagram");
        for line in &flow[1..] {
            let caps = participant
                .captures(line)
                .or_else(|| message.captures(line))
                .unwrap_or_else(|| panic!("not a sequence statement: {line}"));
            labels.push(caps.get(caps.len() - 1).unwrap().as_str().to_string());
        }
    }
    for label in &labels {
        assert!(safe(label), "a label that Mermaid would cut short: {label}");
    }
    let shown: Vec<String> = labels.iter().map(|l| decoded(l)).collect();
    for original in [WORKER, LABEL, MESSAGE] {
        assert!(
            shown.iter().any(|s| s == original),
            "{original:?} is not kept whole; labels: {shown:#?}"
        );
    }
    // The hostile component is drawn once as a node, and takes part in two flows.
    assert_eq!(shown.iter().filter(|s| *s == WORKER).count(), 3, "{shown:#?}");
}
