//! Every built-in questionnaire: it validates, its complete example renders to the snapshot
//! of each document with no error or warning, its empty answers template states nothing as
//! fact, and each lint case in `tests/lint_cases/<id>.toml` fires (or stays quiet) as it says.
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

/// The answers template as `show --answers-template` prints it, used as it is: everything is
/// commented out, so nothing is answered, and no document may state anything as fact. No box
/// is ticked, nothing is "ready", no "none" sentence appears (nobody said "none"), and each
/// default that is shown carries its label.
#[test]
fn empty_answers_templates_state_nothing_as_fact() {
    for q in builtins() {
        let engine = Engine::new(Arc::clone(&q)).unwrap();
        let template = session::answers_template(&q);
        let file =
            session::parse(Path::new("template.toml"), &template, &q).unwrap_or_else(|d| panic!("{}: {d}", q.id));
        assert!(file.answers.is_empty(), "{}: the template answers nothing", q.id);
        let report = lint::check(&engine, &file.answers).unwrap();
        for doc in &report.documents {
            let where_ = format!("{} {}", q.id, doc.id);
            assert!(
                !doc.text.contains("[x]"),
                "{where_}: a box is ticked on empty answers:\n{}",
                doc.text
            );
            assert!(!doc.text.contains("**Ready"), "{where_}: \"ready\" on empty answers");
            for question in q.questions() {
                if let Some(none) = &question.none {
                    assert!(!doc.text.contains(none.as_str()), "{where_}: \"{none}\" was never said");
                }
            }
            insta::assert_snapshot!(format!("{}__{}__empty", q.id, doc.id), doc.text);
        }
        // Every default stands unconfirmed, and the coverage table says how many.
        let defaults = q
            .questions()
            .filter(|x| x.default.is_some() && x.when.is_none())
            .count();
        let unconfirmed = report.findings.iter().filter(|f| f.rule == "default").count();
        assert!(
            unconfirmed >= defaults,
            "{}: {unconfirmed} of {defaults} defaults reported",
            q.id
        );
    }
}

/// A default that is written in the answers file is confirmed: the label goes away.
#[test]
fn complete_examples_confirm_every_default_they_rely_on() {
    for q in builtins() {
        let engine = Engine::new(Arc::clone(&q)).unwrap();
        let (_, answers) = example(&q);
        let report = lint::check(&engine, &answers).unwrap();
        let open: Vec<_> = report.findings.iter().filter(|f| f.rule == "default").collect();
        assert!(open.is_empty(), "{}: {open:#?}", q.id);
        for doc in &report.documents {
            assert!(!doc.text.contains("not yet confirmed"), "{} {}", q.id, doc.id);
        }
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

/// The backend architecture decision, as seed 004 asks for it: its parts in the seed's order,
/// each `feeds` naming a heading the preview can scroll to, choices and yes/no answers written
/// as sentences, and an explicit "no" told apart from an answer nobody gave.
#[test]
fn backend_architect_decision_reads_as_a_decision_record() {
    let q = builtins()
        .into_iter()
        .find(|q| q.id == "backend-architect-decision")
        .unwrap();
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let (table, answers) = example(&q);
    let text = engine.render(&answers).unwrap().remove(0).text;

    let mut last = 0;
    for heading in [
        "## Context",
        "## Constraints",
        "## Architecture sketch",
        "### Boundaries",
        "### Contracts",
        "### Alternatives and trade-offs",
        "## Chosen approach and rationale",
        "## Failure modes and operability",
        "## Risks and mitigations",
        "## Rollout plan",
        "## Verification plan",
        "## Decision checklist",
        "## Assumptions",
        "## Coverage",
        "## Next step",
    ] {
        let at = text
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("missing {heading}"));
        assert!(at > last, "{heading} is out of order");
        last = at;
    }
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    for question in q.questions() {
        if let Some(feeds) = &question.feeds {
            assert!(
                headings.iter().any(|h| h.eq_ignore_ascii_case(feeds)),
                "{}: no heading \"{feeds}\"",
                question.id
            );
        }
    }
    // Choices read as sentences, not as label and value.
    for form in [
        "**Kind of change:**",
        "**Chosen:**",
        "**Mechanism:**",
        "**Exposure to traffic:**",
    ] {
        assert!(!text.contains(form), "{form} in\n{text}");
    }
    assert!(text.contains("This decision creates a new service, **psp-webhook-relay**."));
    assert!(
        text.contains(
            "We choose *Durable relay with outbox* over *Inline fan-out with retries* and *Managed event bus*."
        )
    );
    assert!(text.contains("A feature flag switches the change on and off without a deploy."));
    assert!(text.contains("- [x] "), "the complete example ticks its checklist");
    assert!(!text.contains("- [ ] "), "{text}");
    // The rollback keeps its three lines.
    assert!(text.contains("within a minute.\\\nEvents the relay stored"), "{text}");

    // A "no" is said; an answer nobody gave is not turned into one.
    let said_no = |edits: &[(&str, toml::Value)], removed: &[&str]| {
        let mut table = table.clone();
        let answers = table.get_mut("answers").and_then(toml::Value::as_table_mut).unwrap();
        for id in removed {
            answers.remove(*id);
        }
        for (id, value) in edits {
            answers.insert((*id).to_string(), value.clone());
        }
        let text = toml::to_string(&table).unwrap();
        let file = session::parse(Path::new("edited.toml"), &text, &q).unwrap();
        engine.render(&file.answers).unwrap().remove(0).text
    };
    let no = [
        ("has_collections", toml::Value::Boolean(false)),
        ("needs_idempotency", toml::Value::Boolean(false)),
        ("breaking_change", toml::Value::Boolean(false)),
    ];
    let explicit = said_no(&no, &[]);
    let open = said_no(&[], &["has_collections", "needs_idempotency", "breaking_change"]);
    for sentence in [
        "The surface returns no collections, so nothing is paged.",
        "No write can reach the service twice, so no idempotency key is needed.",
        "Nothing an existing consumer relies on breaks, so no consumer has to move.",
    ] {
        assert!(explicit.contains(sentence), "{sentence}\n{explicit}");
        assert!(!open.contains(sentence), "{sentence} from an open question\n{open}");
    }
    assert!(open.contains("**TODO:** Does the surface return collections that need paging?"));
}
