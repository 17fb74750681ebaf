//! Every built-in questionnaire: it validates, its complete example renders to the snapshot
//! of each document with no error or warning, and each lint case in `tests/lint_cases/<id>.toml`
//! fires (or stays quiet) as it says.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::document::Engine;
use spec_interview::core::lint;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, Severity, parse};
use spec_interview::core::session;

fn builtins() -> Vec<Arc<Questionnaire>> {
    BUILTIN
        .iter()
        .map(|(path, text)| Arc::new(parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}"))))
        .collect()
}

/// The complete example answers of a questionnaire, as TOML (to edit) and parsed.
fn example(q: &Questionnaire) -> (toml::Table, session::Answers) {
    let path = format!("tests/answers/{}-complete.toml", q.id);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file = session::parse(Path::new(&path), &text, q).unwrap_or_else(|d| panic!("{d}"));
    (toml::from_str(&text).unwrap(), file.answers)
}

#[test]
fn every_builtin_has_a_unique_id_and_its_own_documents() {
    let qs = builtins();
    let mut ids: Vec<&str> = qs.iter().map(|q| q.id.as_str()).collect();
    let mut paths: Vec<&str> = qs
        .iter()
        .flat_map(|q| q.documents.iter().map(|d| d.path.as_str()))
        .collect();
    let (n_ids, n_paths) = (ids.len(), paths.len());
    ids.sort_unstable();
    ids.dedup();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(ids.len(), n_ids, "duplicate questionnaire ids");
    assert_eq!(paths.len(), n_paths, "two questionnaires write the same document");
    for q in &qs {
        assert!(
            !q.description.is_empty(),
            "{} needs a one-line description for `list`",
            q.id
        );
    }
}

#[test]
fn complete_examples_render_every_document_cleanly() {
    for q in builtins() {
        let engine = Engine::new(Arc::clone(&q)).unwrap();
        let (_, answers) = example(&q);
        let report = lint::check(&engine, &answers).unwrap();
        let serious: Vec<_> = report.findings.iter().filter(|f| f.severity > Severity::Info).collect();
        assert!(serious.is_empty(), "{}: {serious:#?}", q.id);
        for doc in &report.documents {
            assert!(
                !doc.text.contains("**TODO:**"),
                "{} {}: a complete example leaves no TODO",
                q.id,
                doc.id
            );
            insta::assert_snapshot!(format!("{}__{}", q.id, doc.id), doc.text);
        }
        // The answers template is itself a valid answers file for every questionnaire.
        let template = session::answers_template(&q);
        session::parse(Path::new("template.toml"), &template, &q).unwrap_or_else(|d| panic!("{}: {d}", q.id));
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    rule: String,
    fires: bool,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
    /// For rules on rows: the row the finding must name.
    row: Option<usize>,
}

#[test]
fn lint_cases_fire_as_they_say_and_every_rule_has_both_kinds() {
    for q in builtins() {
        let engine = Engine::new(Arc::clone(&q)).unwrap();
        let path = format!("tests/lint_cases/{}.toml", q.id);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let cases: Cases = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (table, _) = example(&q);
        for (i, case) in cases.case.iter().enumerate() {
            let mut table = table.clone();
            let answers = table.get_mut("answers").and_then(toml::Value::as_table_mut).unwrap();
            for id in &case.remove {
                assert!(
                    answers.remove(id).is_some(),
                    "{path} case {i}: nothing to remove at {id}"
                );
            }
            for (id, value) in &case.set {
                answers.insert(id.clone(), value.clone());
            }
            let text = toml::to_string(&table).unwrap();
            let file = session::parse(Path::new(&path), &text, &q).unwrap_or_else(|d| panic!("{path} case {i}: {d}"));
            let report = lint::check(&engine, &file.answers).unwrap();
            let hits: Vec<_> = report.findings.iter().filter(|f| f.rule == case.rule).collect();
            assert_eq!(
                !hits.is_empty(),
                case.fires,
                "{path} case {i} ({}): {:#?}",
                case.rule,
                report.findings
            );
            if let Some(row) = case.row {
                assert!(
                    hits.iter().any(|f| f.row == Some(row)),
                    "{path} case {i}: no finding names row {row}: {hits:#?}"
                );
            }
        }
        for rule in &q.rules {
            for fires in [true, false] {
                assert!(
                    cases.case.iter().any(|c| c.rule == rule.id && c.fires == fires),
                    "{path}: rule {} needs a case where it {}",
                    rule.id,
                    if fires { "fires" } else { "stays quiet" }
                );
            }
        }
    }
}
