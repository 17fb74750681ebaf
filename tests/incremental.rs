//! The interview's evaluation by parts (each document's parts rendered again only when what
//! they read changed) gives exactly what a whole evaluation gives: documents byte for byte,
//! findings, states and failures, over every built-in questionnaire, from no answers to its
//! complete answers one answer at a time, then through random edits. Visibility worked out
//! from the last answers' (`visibility_since`) is the visibility worked out anew.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::document::{Engine, Visibility};
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::sections::PartCache;
use spec_interview::core::session::{self, Answers};

fn complete(q: &Questionnaire) -> Answers {
    let path = format!("tests/answers/{}-complete.toml", q.id);
    let text = std::fs::read_to_string(&path).unwrap();
    session::parse(Path::new(&path), &text, q)
        .unwrap_or_else(|d| panic!("{d}"))
        .answers
}

/// The interview's state from one evaluation to the next.
#[derive(Default)]
struct Run {
    cache: PartCache,
    /// The answers last evaluated, and their visibility.
    earlier: Option<(Answers, Visibility)>,
}

/// Evaluates `answers` by parts with the run's cache and whole, and asserts both say the same.
fn same(engine: &Engine, answers: &Answers, run: &mut Run, what: &str) {
    let visibility = engine.visibility(answers);
    if let Some((earlier, before)) = &run.earlier {
        assert_eq!(
            engine.visibility_since(earlier, before, answers),
            visibility,
            "{what}: visibility"
        );
    }
    run.earlier = Some((answers.clone(), visibility.clone()));
    let parts = engine.evaluate_cached(answers, &visibility, &mut run.cache);
    let whole = engine.evaluate_all(answers, &visibility);
    assert_eq!(parts.documents.len(), whole.documents.len(), "{what}");
    for (p, w) in parts.documents.iter().zip(&whole.documents) {
        assert!(
            p == w,
            "{what}: document {} differs\n--- by parts\n{}\n--- whole\n{}",
            w.id,
            p.text,
            w.text
        );
    }
    assert_eq!(parts.findings, whole.findings, "{what}");
    assert_eq!(parts.states, whole.states, "{what}");
    assert_eq!(parts.failure, whole.failure, "{what}");
}

/// A small deterministic generator for the random edits.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % (n as u64)).unwrap()
    }
}

/// An edit of one answer: typed at, cleared, set back to its complete value, or removed.
fn edit(answers: &mut Answers, full: &Answers, ids: &[String], rng: &mut Lcg) -> String {
    let id = &ids[rng.below(ids.len())];
    match rng.below(4) {
        0 => {
            let typed = match answers.get(id) {
                Some(Answer::Text(t)) => Answer::Text(format!("{t}x")),
                Some(Answer::List(items)) => Answer::List(items.iter().cloned().chain(["typed".to_string()]).collect()),
                _ => Answer::Text("typed".into()),
            };
            answers.insert(id.clone(), typed);
            format!("typed at {id}")
        }
        1 => {
            answers.insert(id.clone(), Answer::Text(String::new()));
            format!("cleared {id}")
        }
        2 => {
            if let Some(a) = full.get(id) {
                answers.insert(id.clone(), a.clone());
            }
            format!("set {id} back")
        }
        _ => {
            answers.remove(id);
            format!("removed {id}")
        }
    }
}

#[test]
fn evaluating_by_parts_gives_what_the_whole_evaluation_gives() {
    let mut parts_used: Vec<String> = Vec::new();
    for (path, text) in BUILTIN {
        let q = Arc::new(parse(Path::new(path), text).unwrap());
        let engine = Engine::new(Arc::clone(&q)).unwrap();
        let full = complete(&q);
        let ids: Vec<String> = q.questions().map(|x| x.id.clone()).collect();
        let mut run = Run::default();
        let mut answers = Answers::new();
        same(&engine, &answers, &mut run, &format!("{} with no answers", q.id));
        // The project name typed one character at a time, as in the interview.
        if let Some(first) = ids.first() {
            for n in 1..=4 {
                answers.insert(
                    first.clone(),
                    Answer::Text("Ledgerline payments".chars().take(n).collect()),
                );
                same(&engine, &answers, &mut run, &format!("{}: typed {n} characters", q.id));
            }
        }
        for id in &ids {
            if let Some(a) = full.get(id) {
                answers.insert(id.clone(), a.clone());
                same(&engine, &answers, &mut run, &format!("{} answered up to {id}", q.id));
            }
        }
        let mut rng = Lcg(0x5eed ^ ids.len() as u64);
        for step in 0..20 {
            let what = edit(&mut answers, &full, &ids, &mut rng);
            same(&engine, &answers, &mut run, &format!("{} edit {step}: {what}", q.id));
        }
        for d in &q.documents {
            if run.cache.document(&d.id).verified == Some(true) {
                parts_used.push(d.id.clone());
            }
        }
    }
    // The comparison means something only if documents were rendered by parts: D04's is.
    assert!(
        parts_used.contains(&"d04".to_string()),
        "documents rendered by parts: {parts_used:?}"
    );
}
