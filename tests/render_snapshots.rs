//! Snapshots of the D04 document rendered headless, from complete and from empty answers, and
//! what seed 000 asks of it: it refers to D01, D02 and D03 instead of restating them, its
//! framing answers are the drivers the conventions serve, and each topic is asked once.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::document::Engine;
use spec_interview::core::questionnaire::{BUILTIN, parse};
use spec_interview::core::session;

fn d04_engine() -> Engine {
    let (path, text) = BUILTIN
        .iter()
        .find(|(p, _)| p.ends_with("d04-backend-architecture.toml"))
        .expect("D04 is built in");
    let q = parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}"));
    Engine::new(Arc::new(q)).unwrap()
}

fn render(answers_file: &str) -> String {
    let engine = d04_engine();
    let path = Path::new(answers_file);
    let text = std::fs::read_to_string(path).unwrap();
    let file = session::parse(path, &text, engine.questionnaire()).unwrap_or_else(|d| panic!("{d}"));
    let docs = engine.render(&file.answers).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].path, ".specflow/docs/D04-backend-architecture.md");
    docs[0].text.clone()
}

#[test]
fn d04_from_complete_answers() {
    let text = render("tests/answers/d04-backend-architecture-complete.toml");
    assert!(!text.contains("**TODO:**"), "a complete answers file leaves no TODO");
    insta::assert_snapshot!("d04_complete", text);
}

#[test]
fn d04_from_empty_answers() {
    let engine = d04_engine();
    let docs = engine.render(&session::Answers::new()).unwrap();
    let text = &docs[0].text;
    assert!(text.contains("**TODO:**"));
    assert!(text.contains("*Assumption:*"));
    insta::assert_snapshot!("d04_empty", text);
}

/// The seed's D04 parts appear in the order it lists them, then assumptions, then the next step.
#[test]
fn d04_sections_follow_the_seed_order() {
    let text = render("tests/answers/d04-backend-architecture-complete.toml");
    let headings = [
        "## 1. API style and conventions",
        "## 2. Authentication and token lifecycle",
        "## 3. Authorization model",
        "## 4. Service layer organization",
        "## 5. Data access patterns",
        "## 6. Security and compliance",
        "## 7. Background jobs, rate limiting and cross-cutting concerns",
        "## Assumptions",
        "## Coverage",
        "## Next step",
    ];
    let mut last = 0;
    for h in headings {
        let at = text.find(h).unwrap_or_else(|| panic!("missing heading {h}"));
        assert!(at > last, "{h} is out of order");
        last = at;
    }
    assert!(text.contains("105-frontend-architecture"));
    // Versioning, URL structure, payload format and error envelopes are all in section 1.
    for part in [
        "### URL structure",
        "### Versioning",
        "### Payload format",
        "### Error envelope",
    ] {
        assert!(text.contains(part), "{part}");
    }
}

/// Every `feeds` of D04 names a heading of its document, so the preview can scroll to it.
#[test]
fn d04_feeds_name_real_headings() {
    let text = render("tests/answers/d04-backend-architecture-complete.toml");
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    let engine = d04_engine();
    for q in engine.questionnaire().questions() {
        if let Some(feeds) = &q.feeds {
            assert!(
                headings.iter().any(|h| h.eq_ignore_ascii_case(feeds)),
                "{}: no heading \"{feeds}\"",
                q.id
            );
        }
    }
}

/// D04 builds on D01, D02 and D03: by file name when the project has them, else by number.
#[test]
fn d04_refers_to_its_sibling_documents_by_file_name_when_they_exist() {
    let path = Path::new("tests/answers/d04-backend-architecture-complete.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let engine = d04_engine().with_project_documents(vec![
        "D01-product-requirements.md".into(),
        "D03-data-model.md".into(),
        "D04-backend-architecture.md".into(),
    ]);
    let file = session::parse(path, &text, engine.questionnaire()).unwrap();
    let doc = engine.render(&file.answers).unwrap().remove(0).text;
    assert!(
        doc.contains("[D01-product-requirements.md](D01-product-requirements.md)"),
        "{doc}"
    );
    assert!(doc.contains("[D03-data-model.md](D03-data-model.md)"), "{doc}");
    assert!(doc.contains("D02 (technology decisions)"), "{doc}");
    // Without the files, the numbers stand alone: nothing points at a file that is not there.
    let plain = render("tests/answers/d04-backend-architecture-complete.toml");
    assert!(!plain.contains("](D0"), "{plain}");
}

/// The framing checklist answers are the drivers the conventions serve, not a restated brief;
/// the runtime and the database are named as D02's decisions.
#[test]
fn d04_context_holds_drivers_not_a_restated_brief() {
    let text = render("tests/answers/d04-backend-architecture-complete.toml");
    let context = &text[text.find("## Context").unwrap()..text.find("## 1.").unwrap()];
    assert!(context.contains("### Architecture drivers"), "{context}");
    assert!(context.contains("Both are D02's decisions"), "{context}");
    for label in [
        "**Business goal:**",
        "**Core user flows:**",
        "**Runtime:**",
        "**Database:**",
    ] {
        assert!(!context.contains(label), "{label} restates the brief: {context}");
    }
    // The integrations are listed once, with what happens when each is unavailable.
    assert!(context.contains("depends on Stripe for card payments"), "{context}");
    assert_eq!(text.matches("Postmark for transactional email").count(), 1, "{text}");
}

/// Each topic is asked once: field casing in one question, and `integration_dependencies`
/// asks only what happens when a third party is unavailable (the list is `integrations`).
#[test]
fn d04_asks_each_topic_once() {
    let engine = d04_engine();
    let q = engine.questionnaire();
    let asking_casing: Vec<&str> = q
        .questions()
        .filter(|x| x.prompt.to_lowercase().contains("casing"))
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(asking_casing, ["api_conventions"]);
    let deps = q.question("integration_dependencies").unwrap();
    assert!(deps.prompt.contains("unavailable"), "{}", deps.prompt);
    assert!(!deps.prompt.to_lowercase().contains("which"), "{}", deps.prompt);
    // No assumption names a part of the interview the document never shows.
    let empty = d04_engine().render(&session::Answers::new()).unwrap().remove(0).text;
    for q in q.questions() {
        if let Some(assume) = &q.assume {
            assert!(!assume.contains("Quick Start"), "{}: {assume}", q.id);
        }
    }
    assert!(!empty.contains("listed in the Quick Start"));
}

/// Answers files written for the contract's question ids keep working.
#[test]
fn d04_keeps_the_contract_question_ids() {
    let engine = d04_engine();
    for id in [
        "project_name",
        "api_style",
        "runtime",
        "database",
        "auth_method",
        "authz_model",
        "roles",
        "compliance",
        "api_conventions",
        "integrations",
        "versioning",
        "business_goal",
        "core_flows",
        "traffic",
        "latency_availability",
        "data_sensitivity",
        "integration_dependencies",
        "rollout_constraints",
    ] {
        assert!(engine.questionnaire().question(id).is_some(), "{id}");
    }
    assert_eq!(engine.questionnaire().questions().next().unwrap().id, "project_name");
}
