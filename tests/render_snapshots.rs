//! Snapshots of the D04 document rendered headless, from complete and from empty answers.
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
