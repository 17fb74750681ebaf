//! Hostile questionnaires and large input: header strings that would corrupt an answers file,
//! patterns and templates that would exhaust memory or time, and answers files with 100,000
//! problems. Each case states its outcome: the exit code, the sentence naming the file, the
//! position and the limit, and that nothing was written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

/// Long enough for any one command here; a stall fails the test instead of hanging it.
const GUARD: Duration = Duration::from_secs(60);

struct Sandbox {
    _tmp: TempDir,
    root: PathBuf,
    work: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("project");
        let work = tmp.path().join("work");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        Sandbox { _tmp: tmp, root, work }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("spec-interview").unwrap();
        cmd.arg("-C")
            .arg(&self.root)
            .current_dir(&self.work)
            .env("XDG_CONFIG_HOME", self.work.join("config"))
            .env("HOME", &self.work)
            .env("NO_COLOR", "1")
            .env_remove("ACCESSIBLE")
            .env_remove("EDITOR")
            .write_stdin("")
            .timeout(GUARD);
        cmd
    }

    /// A project questionnaire `q.toml`; returns its path.
    fn questionnaire(&self, text: &str) -> PathBuf {
        let path = self.root.join(".specflow/questionnaires/q.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn answers(&self, name: &str, text: &str) -> PathBuf {
        let path = self.work.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn stderr(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).assert().code(code).get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("panicked"), "{err}");
        err
    }

    fn nothing_written(&self) {
        for dir in ["sessions", "history", "docs"] {
            assert!(
                !self.root.join(".specflow").join(dir).exists(),
                ".specflow/{dir} was created"
            );
        }
    }
}

/// A small questionnaire: `header` replaces the id/version/title lines, `template` is the
/// document's template (a TOML literal string) and `extra` is appended.
fn questionnaire(header: &str, template: &str, extra: &str) -> String {
    format!(
        r#"format = 1
{header}

[[documents]]
id = "doc"
path = ".specflow/docs/q.md"
template = '''
{template}
'''

[[sections]]
id = "main"
title = "Main"

[[sections.questions]]
id = "name"
kind = "text"
prompt = "Name?"

[[sections.questions]]
id = "items"
kind = "list"
prompt = "Items?"
{extra}"#
    )
}

const HEADER: &str = "id = \"q\"\nversion = \"1\"\ntitle = \"Q\"";

fn q_file(path: &Path) -> String {
    path.display().to_string()
}

// ───────────────────────────── header strings ─────────────────────────────

#[test]
fn header_strings_with_a_control_character_or_a_line_break_are_refused() {
    let cases = [
        ("id", "q\\nx", "a line break"),
        ("version", "1.0\\n[answers]", "a line break"),
        ("version", "1\\r", "a line break"),
        ("title", "Q\\u2028x", "a line break"),
        ("title", "Q\\u001b[2J", "the control character U+001B"),
        ("version", "1\\u0085", "the control character U+0085"),
        ("title", "\\u202Egnp", "the control character U+202E"),
        ("version", "1\\u0007", "the control character U+0007"),
    ];
    for (key, value, what) in cases {
        let s = Sandbox::new();
        let header = HEADER
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{key} =")) {
                    format!("{key} = \"{value}\"")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let line = 2 + header.lines().position(|l| l.starts_with(key)).unwrap();
        let file = s.questionnaire(&questionnaire(&header, "# {{ name }}", ""));
        let err = s.stderr(&["validate", &q_file(&file)], 1);
        let expected = format!(
            "{}:{line}:{}: the {key} must be one line of printable text, but it holds {what}.",
            q_file(&file),
            key.len() + 4
        );
        assert!(err.contains(&expected), "{key} = {value}: {err}\nexpected {expected}");
        // At load too: no command uses it, and nothing is written with it in a header.
        let answers = s.answers("a.toml", "[answers]\nname = \"x\"\n");
        let err = s.stderr(
            &["render", "-q", "q", "--answers", answers.to_str().unwrap(), "--save"],
            2,
        );
        assert!(err.contains("must be one line of printable text"), "{err}");
        s.nothing_written();
    }
}

// ───────────────────────────── patterns ─────────────────────────────

#[test]
fn a_pattern_too_large_is_refused_at_load_by_name_and_position() {
    let s = Sandbox::new();
    let rule = "\n[[rules]]\nid = \"big\"\nseverity = \"warning\"\npattern = 'a{100000}'\nmessage = \"m\"\n";
    let file = s.questionnaire(&questionnaire(HEADER, "# {{ name }}", rule));
    let text = std::fs::read_to_string(&file).unwrap();
    let line = 1 + text.lines().position(|l| l.starts_with("pattern =")).unwrap();
    let err = s.stderr(&["validate", &q_file(&file)], 1);
    assert!(err.starts_with(&format!("{}:{line}:11: ", q_file(&file))), "{err}");
    assert!(
        err.contains("repeats more than 1,000 times"),
        "the limit is named: {err}"
    );
    // A pattern small to write but large compiled.
    let rule = "\n[[rules]]\nid = \"big\"\nseverity = \"warning\"\npattern = '\\w{1000}'\nmessage = \"m\"\n";
    let file = s.questionnaire(&questionnaire(HEADER, "# {{ name }}", rule));
    let err = s.stderr(&["validate", &q_file(&file)], 1);
    assert!(
        err.contains("larger than 1 MiB compiled, the limit on a pattern"),
        "{err}"
    );
}

// ───────────────────────────── template bombs ─────────────────────────────

#[test]
fn template_bombs_stop_with_one_sentence_naming_the_limit_and_the_answer() {
    let bombs = [
        // String doubling with ~, in a loop and by recursion.
        (
            "{% set ns = namespace(s=name) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
            "1 MiB, the limit on any one string a template builds",
        ),
        (
            "{% macro d(s, n) %}{% if n > 0 %}{{ d(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}{% endmacro %}{{ d(name, 40) }}",
            "1 MiB, the limit on any one string a template builds",
        ),
        (
            "{{ '%1000000000s'|format(name) }}",
            "1 MiB, the limit on any one string a template builds",
        ),
        (
            "{{ name|replace('a', name)|replace('a', name)|replace('a', name)|replace('a', name) }}",
            "1 MiB, the limit on any one string a template builds",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ name }}{% endfor %}{% endfor %}",
            "the limit",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "steps",
        ),
    ];
    for (template, limit) in bombs {
        let s = Sandbox::new();
        s.questionnaire(&questionnaire(HEADER, template, ""));
        let answers = s.answers("a.toml", &format!("[answers]\nname = \"{}\"\n", "a".repeat(4096)));
        let a = answers.to_str().unwrap();
        for args in [
            vec!["render", "-q", "q", "--answers", a],
            vec!["check", "-q", "q", "--answers", a],
        ] {
            let err = s.stderr(&args, 2);
            assert_eq!(err.lines().count(), 1, "one sentence: {err}");
            assert!(
                err.contains(".specflow/questionnaires/q.toml:10: the template of document \"doc\" failed: "),
                "{template}: {err}"
            );
            assert!(err.contains(limit), "{template}: {err}");
        }
        s.nothing_written();
    }
    // When the answer made the text that large, the sentence names its question.
    let s = Sandbox::new();
    s.questionnaire(&questionnaire(HEADER, "{{ name ~ name ~ name }}", ""));
    let answers = s.answers("a.toml", &format!("[answers]\nname = \"{}\"\n", "a".repeat(600 * 1024)));
    let err = s.stderr(&["render", "-q", "q", "--answers", answers.to_str().unwrap()], 2);
    assert!(err.contains("(the answer to \"name\" made it that large)."), "{err}");
}

// ───────────────────────────── large answers files ─────────────────────────────

#[test]
fn an_answers_file_with_100000_unknown_ids_shows_the_first_and_counts_the_rest() {
    let s = Sandbox::new();
    let mut text = String::from("schema = 1\n[answers]\nname = \"x\"\n");
    for i in 0..100_000 {
        let _ = writeln!(text, "unknown_{i} = \"x\"");
    }
    s.questionnaire(&questionnaire(HEADER, "# {{ name }}", ""));
    let answers = s.answers("big.toml", &text);
    let err = s.stderr(&["check", "-q", "q", "--answers", answers.to_str().unwrap()], 2);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 21, "{}", lines[..3].join("\n"));
    assert!(
        lines[0].ends_with("big.toml:4:1: unknown question id \"unknown_0\" in questionnaire \"q\"."),
        "{}",
        lines[0]
    );
    assert!(
        lines[19].contains("big.toml:23:1: unknown question id \"unknown_19\""),
        "{}",
        lines[19]
    );
    assert!(
        lines[20].starts_with("… and 99,980 more problems in ") && lines[20].ends_with("big.toml."),
        "{}",
        lines[20]
    );
}

#[test]
fn a_multi_choice_answer_with_100000_custom_values_keeps_each_once_in_order() {
    let s = Sandbox::new();
    let extra = "\n[[sections.questions]]\nid = \"many\"\nkind = \"multi_choice\"\nprompt = \"Many?\"\noptions = [\"a\"]\nother = true\n";
    s.questionnaire(&questionnaire(
        HEADER,
        "{{ many|length }} {{ many|first }} {{ many|last }}",
        extra,
    ));
    let mut text = String::from("schema = 1\n[answers]\nmany = [\n");
    for i in 0..100_000 {
        let _ = writeln!(text, "  \"value {}\",", i % 60_000);
    }
    text.push_str("]\n");
    let answers = s.answers("many.toml", &text);
    let out = s
        .cmd()
        .args(["render", "-q", "q", "--answers", answers.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "60000 value 0 value 59999"
    );
}

#[test]
fn check_prints_the_first_findings_and_a_count_and_json_keeps_every_one() {
    let s = Sandbox::new();
    let rule = "\n[[rules]]\nid = \"tbd\"\nseverity = \"warning\"\npattern = 'TBD'\nmessage = \"say it\"\n";
    s.questionnaire(&questionnaire(HEADER, "# {{ name }}", rule));
    let items: Vec<String> = (0..500).map(|i| format!("\"TBD {i}\"")).collect();
    let answers = s.answers(
        "a.toml",
        &format!("[answers]\nname = \"x\"\nitems = [{}]\n", items.join(", ")),
    );
    let a = answers.to_str().unwrap();
    let out = s
        .cmd()
        .args(["check", "-q", "q", "--answers", a])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 102, "{text}");
    assert!(lines[0].starts_with("warning[tbd] items row 1: "), "{text}");
    assert_eq!(lines[100], "… and 400 more findings (--json lists every one).");
    assert!(lines[101].starts_with("q: 0 errors, 500 warnings, 0 notes"), "{text}");
    let out = s
        .cmd()
        .args(["check", "-q", "q", "--answers", a, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 500);
}
