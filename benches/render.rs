//! Headless rendering speed: loading D04, rendering it, and checking it, from complete answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::document::Engine;
use spec_interview::core::lint;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::session::{self, Answers};

fn main() {
    divan::main();
}

fn d04() -> Questionnaire {
    let (path, text) = BUILTIN[0];
    parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}"))
}

fn complete_answers(q: &Questionnaire) -> Answers {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/answers/d04-backend-architecture-complete.toml"
    ));
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    session::parse(path, &text, q).unwrap_or_else(|d| panic!("{d}")).answers
}

/// Parsing and validating the questionnaire, compiling its templates and conditions.
#[divan::bench]
fn load_questionnaire() -> Engine {
    Engine::new(Arc::new(d04())).unwrap_or_else(|e| panic!("{e}"))
}

/// One render of the D04 document (what the live preview does per keystroke).
#[divan::bench]
fn render_document(bencher: divan::Bencher) {
    let q = d04();
    let answers = complete_answers(&q);
    let engine = Engine::new(Arc::new(q)).unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| engine.render(divan::black_box(&answers)));
}

/// Every check and lint rule, including the render they inspect.
#[divan::bench]
fn check_answers(bencher: divan::Bencher) {
    let q = d04();
    let answers = complete_answers(&q);
    let engine = Engine::new(Arc::new(q)).unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| lint::check(&engine, divan::black_box(&answers)));
}
