//! The fuzz targets' properties (fuzz/harness.rs) as proptests with a modest case count, so that
//! `cargo test` holds them too: questionnaire, answers and session loading, history reading,
//! template rendering, the Markdown preview, theme files and the diff each end in a value or one
//! clean problem, never a panic; the printed patch applies.
use proptest::prelude::*;

#[path = "../fuzz/harness.rs"]
mod harness;

const CASES: u32 = 64;

const REVISION: &str = include_str!("../fuzz/seeds/revision.toml");
const REVIEW: &str = include_str!("../fuzz/seeds/review.toml");

/// Fragments that tend to matter to the readers: TOML syntax, template syntax, Markdown,
/// controls, and text in other scripts.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\"".to_string()),
        Just("'''".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("[[x]]\n".to_string()),
        Just(" = ".to_string()),
        Just("{{ ".to_string()),
        Just(" }}".to_string()),
        Just("{% for i in range(9) %}".to_string()),
        Just("{% endfor %}".to_string()),
        Just("|".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{85}".to_string()),
        Just("\r\n".to_string()),
        Just("é✓😀".to_string()),
        Just("schema = 99\n".to_string()),
        Just("9999999999999999999999".to_string()),
        "[ -~]{0,12}",
    ]
}

/// `base` with some of its bytes replaced by fragments, as a mutating fuzzer would.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec((any::<prop::sample::Index>(), 0usize..40, fragment()), 0..6).prop_map(move |edits| {
        let mut text = base.to_string();
        for (at, remove, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + remove).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, &insert);
        }
        text
    })
}

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..30).prop_map(|parts| parts.concat())
}

fn markdown() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("# Title".to_string()),
        Just("## Section".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |".to_string()),
        Just("- item".to_string()),
        Just("  1. nested".to_string()),
        Just("> quote".to_string()),
        Just("```\ncode\n```".to_string()),
        Just("**bold** _em_ `code` ~~gone~~ [link](x)".to_string()),
        Just(String::new()),
        "[a-zé\u{1b}\u{202e}\u{85}\t ]{0,40}",
    ];
    proptest::collection::vec(line, 0..20).prop_map(|lines| lines.join("\n"))
}

fn document() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("# Title".to_string()),
        Just("## A".to_string()),
        Just("## B".to_string()),
        Just(String::new()),
        Just("\\ No newline at end of file".to_string()),
        Just("+++ b".to_string()),
        Just("@@ -1 +1 @@".to_string()),
        Just("openapi: 3.1.0".to_string()),
        Just("paths:".to_string()),
        Just("  /users:".to_string()),
        Just("    get:".to_string()),
        Just("components:".to_string()),
        "[a-z \r]{0,10}",
    ];
    (proptest::collection::vec(line, 0..16), any::<bool>()).prop_map(|(lines, end)| {
        let mut text = lines.join("\n");
        if end && !text.is_empty() {
            text.push('\n');
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn any_questionnaire_loads_or_is_refused_cleanly(text in mutated(spec_interview::core::questionnaire::BUILTIN[0].1)) {
        harness::questionnaire(&text);
    }

    #[test]
    fn any_answers_or_session_file_loads_or_is_refused_cleanly(
        text in mutated(include_str!("answers/d04-backend-architecture-complete.toml"))
    ) {
        harness::answers(&harness::builtin(), &text);
    }

    #[test]
    fn any_history_record_reads_or_is_skipped_cleanly(record in mutated(REVISION), review in mutated(REVIEW)) {
        harness::history(&record, &review);
    }

    #[test]
    fn any_template_renders_within_the_limits_or_stops_cleanly(template in soup(), answer in soup()) {
        harness::template(&template, &answer);
    }

    #[test]
    fn the_preview_draws_no_control_character(text in markdown(), width in 0u16..120) {
        harness::preview(&text, width);
    }

    #[test]
    fn any_theme_file_resolves_or_is_refused_cleanly(
        text in mutated(include_str!("../themes/light.toml"))
    ) {
        harness::theme(&text);
    }

    #[test]
    fn the_printed_patch_applies(old in document(), new in document()) {
        harness::diff(&old, &new);
    }
}

/// The in-process patch applier the diff target relies on must itself be able to fail.
#[test]
fn the_applier_refuses_a_patch_for_another_text() {
    let patch = spec_interview::core::diff::unified("a\nb\n", "a\nc\n", ".specflow/docs/doc.md");
    assert_eq!(harness::apply("a\nb\n", &patch).as_deref(), Ok("a\nc\n"));
    assert!(harness::apply("a\nx\n", &patch).is_err());
}

/// Every input a fuzzer found to fail, kept as it was found: `tests/fuzz_regressions/TARGET-*`.
#[test]
fn the_inputs_fuzzing_found_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&data);
        match name.split('-').next().unwrap() {
            "questionnaire" => harness::questionnaire(&text),
            "answers" => harness::answers(&harness::builtin(), &text),
            "history" => {
                let (record, review) = harness::two_texts(&data);
                harness::history(&record, &review);
            }
            "template" => {
                let (template, answer) = harness::two_texts(&data);
                harness::template(&template, &answer);
            }
            "preview" => harness::preview(&String::from_utf8_lossy(&data[1..]), u16::from(data[0])),
            "theme" => harness::theme(&text),
            "diff" => {
                let (old, new) = harness::two_texts(&data);
                harness::diff(&old, &new);
            }
            other => panic!("{name}: no target {other}"),
        }
        ran += 1;
    }
    assert!(ran > 0, "no regression inputs in {}", dir.display());
}

/// Found by fuzzing the answers files: a lone carriage return in a one-line answer became a
/// line break when cleaned, after the check for one; the session written with it then did not
/// load again. It is refused like a line break.
#[test]
fn a_carriage_return_in_a_one_line_answer_is_refused_like_a_line_break() {
    let q = harness::builtin();
    for value in ["a\\rb", "a\\r\\nb", "a\\nb"] {
        let text = format!("schema = 2\n[answers]\nidentity_provider = \"{value}\"\n");
        let problems = spec_interview::core::session::parse(std::path::Path::new("a.toml"), &text, &q)
            .err()
            .map(|d| d.to_string());
        assert_eq!(
            problems.as_deref(),
            Some("a.toml:3:21: \"identity_provider\" is a single-line answer but the value spans several lines."),
            "{value}"
        );
    }
}
