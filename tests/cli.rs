//! End-to-end tests of the headless commands: the real binary, run in a throw-away project
//! with a throw-away config directory, asserting on exit codes, stdout and stderr.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const D04: &str = "d04-backend-architecture";
const DOC: &str = "D04-backend-architecture";
const DOC_PATH: &str = ".specflow/docs/D04-backend-architecture.md";
const COMPLETE: &str = include_str!("answers/d04-backend-architecture-complete.toml");
const BUILT_IN: &str = include_str!("../questionnaires/d04-backend-architecture.toml");

// ───────────────────────────── helpers ─────────────────────────────

/// A temporary project: `root` is passed with `-C`, `config` is `XDG_CONFIG_HOME`, and `work`
/// is the current directory, where answers files are written.
struct Project {
    _tmp: TempDir,
    root: PathBuf,
    config: PathBuf,
    work: PathBuf,
}

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("project");
        let config = tmp.path().join("config");
        let work = tmp.path().join("work");
        for dir in [&root, &config, &work] {
            std::fs::create_dir_all(dir).unwrap();
        }
        Project {
            _tmp: tmp,
            root,
            config,
            work,
        }
    }

    /// The binary, isolated: project root, config dir, home and working dir are all temporary.
    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("spec-interview").unwrap();
        cmd.arg("-C")
            .arg(&self.root)
            .current_dir(&self.work)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("HOME", &self.work)
            .env("NO_COLOR", "1")
            .env_remove("ACCESSIBLE")
            .env_remove("EDITOR");
        cmd
    }

    /// Runs the binary with `args` and asserts it did not panic, whatever it returned.
    fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).write_stdin("").assert().stderr(no_panic())
    }

    /// Writes `text` to `name` in the working dir and returns its absolute path.
    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.work.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Writes `text` to `rel` under the project root, creating folders.
    fn write_in_project(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn doc(&self) -> PathBuf {
        self.root.join(DOC_PATH)
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stdout(a: &Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn stderr(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn no_panic() -> impl Predicate<str> {
    predicate::str::contains("panicked").not()
}

/// Exactly one line of text, ending in a newline.
fn one_line() -> impl Predicate<str> {
    predicate::function(|s: &str| s.ends_with('\n') && s.lines().count() == 1)
}

fn json(a: &Assert) -> serde_json::Value {
    serde_json::from_str(&stdout(a)).expect("stdout is valid JSON")
}

/// The complete answers with some answers replaced (`Some(toml value)`) or removed (`None`).
fn complete_with(changes: &[(&str, Option<&str>)]) -> String {
    let mut file: toml::Table = toml::from_str(COMPLETE).unwrap();
    let answers = file.get_mut("answers").and_then(toml::Value::as_table_mut).unwrap();
    for (id, value) in changes {
        match value {
            Some(text) => {
                let parsed: toml::Table = toml::from_str(&format!("v = {text}")).unwrap();
                answers.insert((*id).to_string(), parsed["v"].clone());
            }
            None => {
                assert!(answers.remove(*id).is_some(), "{id} is in the complete answers");
            }
        }
    }
    toml::to_string(&file).unwrap()
}

/// The rule ids of the findings `check --format json` reports for `answers`, and its exit code.
fn findings(p: &Project, answers: &str) -> (i32, Vec<(String, String, Option<String>)>) {
    let path = p.write("lint.toml", answers);
    let a = p.run(&["check", "--answers", s(&path), "--format", "json"]);
    let code = a.get_output().status.code().unwrap();
    let report = json(&a);
    let rows = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["question"].as_str().map(str::to_string),
            )
        })
        .collect();
    (code, rows)
}

fn has_rule(rows: &[(String, String, Option<String>)], rule: &str, question: &str) -> bool {
    rows.iter().any(|(r, _, q)| r == rule && q.as_deref() == Some(question))
}

/// Runs `render` and `check` on an answers file with `contents` and asserts both refuse it:
/// exit 2, nothing on stdout, one line on stderr that starts with `file:line:column: ` and
/// contains every string of `needles`.
fn assert_bad_answers(contents: &[u8], line: usize, needles: &[&str], extra: &[&str]) {
    let p = Project::new();
    let path = p.write("bad.toml", contents);
    let prefix = format!("{}:{line}:", path.display());
    for command in ["render", "check"] {
        let mut args = vec![command, "--answers", s(&path)];
        args.extend_from_slice(extra);
        let a = p.run(&args).code(2).stdout("").stderr(one_line());
        let err = stderr(&a);
        assert!(
            err.starts_with(&prefix),
            "{command}: stderr should start with {prefix:?}: {err:?}"
        );
        let rest = &err[prefix.len()..];
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        assert!(
            !column.is_empty() && rest[column.len()..].starts_with(": "),
            "{command}: no column after the line in {err:?}"
        );
        for needle in needles {
            assert!(err.contains(needle), "{command}: {needle:?} not in {err:?}");
        }
    }
}

/// Runs `render` and `check` on a path that cannot be read as text: exit 2, one line naming it.
fn assert_unreadable(p: &Project, path: &Path) {
    for command in ["render", "check"] {
        let a = p
            .run(&[command, "--answers", s(path)])
            .code(2)
            .stdout("")
            .stderr(one_line());
        let err = stderr(&a);
        assert!(
            err.contains(s(path)),
            "{command}: stderr does not name {}: {err:?}",
            path.display()
        );
        assert!(err.contains("cannot read"), "{command}: {err:?}");
    }
}

/// A small valid questionnaire; line numbers matter to the `validate` tests.
const MINI: &str = r#"format = 1
id = "mini"
version = "0.1.0"
title = "Mini"
description = "A tiny questionnaire."

[[documents]]
id = "mini"
path = ".specflow/docs/mini.md"
template = '''
# {{ answer("name") }}

{{ answer("other") }}
'''

[[sections]]
id = "main"
title = "Main"

[[sections.questions]]
id = "name"
kind = "text"
prompt = "Name?"
required = true

[[sections.questions]]
id = "other"
kind = "text"
prompt = "Anything else?"
"#;

/// `MINI` with one line (1-based) replaced.
fn mini_with_line(line: usize, text: &str) -> String {
    let mut lines: Vec<&str> = MINI.lines().collect();
    lines[line - 1] = text;
    lines.join("\n") + "\n"
}

/// Validates `text` as `q.toml` and asserts exit 1 with a `q.toml:line:column:` error
/// containing `needle`.
fn assert_invalid_questionnaire(text: &str, line: usize, needle: &str) {
    let p = Project::new();
    let path = p.write("q.toml", text);
    let a = p.run(&["validate", s(&path)]).code(1).stdout("");
    let err = stderr(&a);
    let prefix = format!("{}:{line}:", path.display());
    let hit = err.lines().find(|l| l.starts_with(&prefix));
    let hit = hit.unwrap_or_else(|| panic!("no error at {prefix} in {err:?}"));
    let rest = &hit[prefix.len()..];
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        !column.is_empty() && rest[column.len()..].starts_with(": "),
        "no column in {hit:?}"
    );
    assert!(hit.contains(needle), "{needle:?} not in {hit:?}");
}

// ───────────────────────────── show ─────────────────────────────

#[test]
fn show_answers_template_is_accepted_by_render() {
    let p = Project::new();
    let a = p
        .run(&["show", D04, "--answers-template"])
        .code(0)
        .stdout(predicate::str::contains("#project_name"))
        .stdout(predicate::str::contains("schema = 2"))
        .stdout(predicate::str::contains("questionnaire = \"d04-backend-architecture\""))
        .stdout(predicate::str::contains("[answers]"));
    let template = stdout(&a);
    // Every contract id is offered in the template.
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
        assert!(
            template.contains(&format!("#{id} = ")),
            "{id} missing from the template"
        );
    }
    let path = p.write("template.toml", &template);
    p.run(&["render", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::starts_with("# Untitled project"));
    p.run(&["render", "-q", D04, "--answers", s(&path)]).code(0);
}

#[test]
fn show_json_has_id_and_sections() {
    let p = Project::new();
    let a = p.run(&["show", D04, "--format", "json"]).code(0);
    let q = json(&a);
    assert_eq!(q["id"], D04);
    let sections = q["sections"].as_array().unwrap();
    assert!(!sections.is_empty());
    let section_ids: Vec<&str> = sections.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(section_ids.contains(&"quick_start"), "{section_ids:?}");
    assert!(section_ids.contains(&"framing"), "{section_ids:?}");
    let question_ids: Vec<&str> = sections
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(question_ids.first(), Some(&"project_name"));
    for id in ["api_style", "roles", "authz_model", "rollout_constraints"] {
        assert!(question_ids.contains(&id), "{id} not in {question_ids:?}");
    }
    let docs = q["documents"].as_array().unwrap();
    assert!(docs.iter().any(|d| d["path"] == DOC_PATH), "{docs:?}");
}

#[test]
fn show_toml_prints_the_questionnaire_file() {
    let p = Project::new();
    p.run(&["show", D04]).code(0).stdout(BUILT_IN);
}

#[test]
fn show_unknown_questionnaire_exits_2_naming_it() {
    let p = Project::new();
    p.run(&["show", "nope"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("\"nope\""))
        .stderr(one_line());
}

#[test]
fn show_answers_template_refuses_json() {
    let p = Project::new();
    p.run(&["show", D04, "--answers-template", "--format", "json"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--answers-template"));
}

// ───────────────────────────── render ─────────────────────────────

#[test]
fn new_user_flow_template_render_save_and_revisions() {
    let p = Project::new();
    // 1. Print the template and fill in a few answers, as a new user would.
    let template = stdout(&p.run(&["show", D04, "--answers-template"]).code(0));
    let mut filled = template.clone();
    for (commented, answer) in [
        ("#project_name = \"\"", "project_name = \"Ledgerline\""),
        ("#api_style = \"REST\"", "api_style = \"REST\""),
        ("#runtime = \"\"", "runtime = \"Rust 1.85 with axum 0.8\""),
        ("#database = \"\"", "database = \"PostgreSQL 16\""),
    ] {
        assert!(filled.contains(commented), "{commented} not in the template");
        filled = filled.replacen(commented, answer, 1);
    }
    let answers = p.write("answers.toml", &filled);

    // 2. Render: Markdown with the project name as the title.
    let first = stdout(
        &p.run(&["render", "--answers", s(&answers)])
            .code(0)
            .stdout(predicate::str::starts_with(
                "# Ledgerline: backend architecture (D04)\n",
            ))
            .stdout(predicate::str::contains("Rust 1.85 with axum 0.8"))
            .stdout(predicate::str::contains("The backend exposes a REST API")),
    );
    assert!(first.lines().filter(|l| l.starts_with("# ")).count() == 1);

    // 3. Save: revision 1.
    p.run(&["render", "--answers", s(&answers), "--save"])
        .code(0)
        .stderr(predicate::str::contains("revision 1"));
    let saved = std::fs::read_to_string(p.doc()).unwrap();
    assert_eq!(saved, first, "the saved document is the rendered one");
    let stamp = regex::Regex::new(r"20\d\d-\d\d-\d\dT").unwrap();
    assert!(!stamp.is_match(&saved), "the document has a timestamp");

    // 4. Save again, unchanged: no new revision.
    p.run(&["render", "--answers", s(&answers), "--save"])
        .code(0)
        .stderr(predicate::str::contains("unchanged"))
        .stderr(predicate::str::contains("revision 2").not());
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    assert_eq!(revs.as_array().unwrap().len(), 1, "{revs}");

    // 5. Change an answer and save: revision 2.
    let changed = filled.replace("Rust 1.85 with axum 0.8", "Rust 1.85 with actix-web 4");
    std::fs::write(&answers, changed).unwrap();
    p.run(&["render", "--answers", s(&answers), "--save"])
        .code(0)
        .stderr(predicate::str::contains("revision 2"));
    let second = stdout(&p.run(&["render", "--answers", s(&answers)]).code(0));
    let saved = std::fs::read_to_string(p.doc()).unwrap();
    assert_eq!(saved, second);
    assert!(saved.contains("actix-web 4") && !saved.contains("axum"));
    assert!(!stamp.is_match(&saved), "the document has a timestamp");

    // 6. The revisions, as text and as JSON.
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    // Each revision's row starts with its number; the indented lines under it give details.
    let numbers: Vec<u32> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(numbers, [1, 2], "{text}");
    assert!(text.contains("answers changed: runtime"), "{text}");
    assert!(text.contains(D04), "{text}");
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    let revs = revs.as_array().unwrap();
    let numbers: Vec<u64> = revs.iter().map(|r| r["number"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2]);
    for r in revs {
        assert_eq!(r["questionnaire"], D04);
        assert_eq!(r["document"], DOC_PATH);
    }
    assert_ne!(revs[0]["sha256"], revs[1]["sha256"]);
}

#[test]
fn render_without_save_writes_nothing_in_the_project() {
    let p = Project::new();
    let answers = p.write("complete.toml", COMPLETE);
    p.run(&["render", "--answers", s(&answers)])
        .code(0)
        .stdout(predicate::str::starts_with("# Ledgerline: "));
    assert!(!p.root.join(".specflow").exists());
}

#[test]
fn render_output_file_writes_the_file() {
    let p = Project::new();
    let answers = p.write("complete.toml", COMPLETE);
    let expected = stdout(&p.run(&["render", "--answers", s(&answers)]).code(0));
    let out = p.work.join("out.md");
    p.run(&["render", "--answers", s(&answers), "--output", s(&out)])
        .code(0)
        .stdout("");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    assert!(expected.ends_with("go on to feature design.\n"));
    assert!(!p.doc().exists(), "--output alone saves no revision");
}

#[test]
fn render_output_dash_prints() {
    let p = Project::new();
    let answers = p.write("complete.toml", COMPLETE);
    let expected = stdout(&p.run(&["render", "--answers", s(&answers)]).code(0));
    p.run(&["render", "--answers", s(&answers), "--output", "-"])
        .code(0)
        .stdout(expected);
    p.run(&["render", "--answers", s(&answers), "-o", "-"])
        .code(0)
        .stdout(predicate::str::starts_with("# Ledgerline: "));
}

#[test]
fn render_unknown_document_exits_2() {
    let p = Project::new();
    let answers = p.write("complete.toml", COMPLETE);
    p.run(&["render", "--answers", s(&answers), "--document", "nope"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("\"nope\""));
    p.run(&["render", "--answers", s(&answers), "--document", "d04"])
        .code(0)
        .stdout(predicate::str::starts_with("# Ledgerline: "));
}

#[test]
fn render_open_answers_notes_the_error_count_on_stderr() {
    let p = Project::new();
    let answers = p.write("empty.toml", "[answers]\n");
    p.run(&["render", "--answers", s(&answers)])
        .code(0)
        .stderr(predicate::str::contains("spec-interview check"));
    let complete = p.write("complete.toml", COMPLETE);
    p.run(&["render", "--answers", s(&complete)]).code(0).stderr("");
}

#[test]
fn render_save_never_overwrites_a_hand_edited_document_silently() {
    let p = Project::new();
    let answers = p.write("complete.toml", COMPLETE);
    p.run(&["render", "--answers", s(&answers), "--save"])
        .code(0)
        .stderr(predicate::str::contains("revision 1"));
    let mut edited = std::fs::read_to_string(p.doc()).unwrap();
    edited.push_str("\nA paragraph written by hand.\n");
    std::fs::write(p.doc(), &edited).unwrap();

    // New answers: the tool must refuse rather than throw the hand edit away.
    let changed = complete_with(&[("database", Some("\"PostgreSQL 17\""))]);
    std::fs::write(&answers, changed).unwrap();
    p.run(&["render", "--answers", s(&answers), "--save"])
        .code(2)
        .stderr(predicate::str::contains(DOC_PATH));
    assert_eq!(std::fs::read_to_string(p.doc()).unwrap(), edited);
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    assert_eq!(revs.as_array().unwrap().len(), 1, "{revs}");
}

#[test]
fn render_save_unchanged_keeps_a_hand_edited_document() {
    let p = Project::new();
    let answers = p.write("complete.toml", COMPLETE);
    p.run(&["render", "--answers", s(&answers), "--save"]).code(0);
    let mut edited = std::fs::read_to_string(p.doc()).unwrap();
    edited.push_str("\nA paragraph written by hand.\n");
    std::fs::write(p.doc(), &edited).unwrap();

    // Same answers again: the document must not be silently reverted to revision 1.
    p.run(&["render", "--answers", s(&answers), "--save"])
        .code(2)
        .stderr(predicate::str::contains(DOC_PATH));
    assert_eq!(std::fs::read_to_string(p.doc()).unwrap(), edited);
}

// ───────────────────────────── document content ─────────────────────────────

#[test]
fn hidden_question_keeps_its_answer_out_of_the_document() {
    let p = Project::new();
    let custom_text = "Decided by the ledger oracle per workspace";
    let text = complete_with(&[("authz_custom", Some(&format!("\"{custom_text}\"")))]);
    let path = p.write("hidden.toml", text);
    p.run(&["render", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::contains("Access is role-based (RBAC)"))
        .stdout(predicate::str::contains(custom_text).not());
    p.run(&["check", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::contains("info[hidden-answer] authz_custom:"));
    let (code, rows) = findings(
        &p,
        &complete_with(&[("authz_custom", Some(&format!("\"{custom_text}\"")))]),
    );
    assert_eq!(code, 0);
    assert!(has_rule(&rows, "hidden-answer", "authz_custom"), "{rows:?}");

    // With the custom model the question is asked and the answer appears.
    let text = complete_with(&[
        ("authz_model", Some("\"custom\"")),
        ("authz_custom", Some(&format!("\"{custom_text}\""))),
    ]);
    let path = p.write("shown.toml", text);
    p.run(&["render", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::contains(custom_text));
    p.run(&["check", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::contains("hidden-answer").not());
}

#[test]
fn open_checklist_item_is_a_labelled_assumption() {
    let p = Project::new();
    let path = p.write("open.toml", complete_with(&[("business_goal", None)]));
    let doc = stdout(&p.run(&["render", "--answers", s(&path)]).code(0));
    let line = doc.lines().find(|l| l.starts_with("- **Business goal**")).unwrap();
    assert!(line.contains("*Assumption:*"), "{line}");
    let (_, assumptions) = doc.split_once("\n## Assumptions\n").unwrap();
    let assumptions = assumptions.split("\n## ").next().unwrap();
    assert!(assumptions.contains("**Assumption (Business goal):**"), "{assumptions}");
    // The complete answers leave the goal answered, so it is no assumption there.
    let complete = p.write("complete.toml", COMPLETE);
    let doc = stdout(&p.run(&["render", "--answers", s(&complete)]).code(0));
    assert!(!doc.contains("Assumption (Business goal)"));
    // An item the user marked as an assumption in their own words is labelled too.
    assert!(doc.contains("Assumption (Data sensitivity)"), "{doc}");
}

#[test]
fn open_required_question_is_a_visible_todo() {
    let p = Project::new();
    let path = p.write("open.toml", complete_with(&[("secrets", None)]));
    let doc = stdout(&p.run(&["render", "--answers", s(&path)]).code(0));
    let line = doc.lines().find(|l| l.starts_with("**Secrets.**")).unwrap();
    assert!(line.contains("**TODO:**"), "{line}");
    assert!(doc.contains("`secrets`"), "the open list names the question id");
    let complete = p.write("complete.toml", COMPLETE);
    p.run(&["render", "--answers", s(&complete)])
        .code(0)
        .stdout(predicate::str::contains("**TODO:**").not());
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let p = Project::new();
    let path = p.write(
        "evil.toml",
        "[answers]\n\
         project_name = \"Evil\\u001b[31mRed\"\n\
         runtime = \"bell\\u0007 and csi\\u009b2J\"\n\
         roles = [{ role = \"a\\u001b]0;title\\u0007\", permissions = \"read\" }]\n",
    );
    for args in [
        vec!["render", "--answers", s(&path)],
        vec!["check", "--answers", s(&path)],
        vec!["check", "--answers", s(&path), "--format", "json"],
    ] {
        let a = p.run(&args);
        let out = stdout(&a);
        let err = stderr(&a);
        for (name, text) in [("stdout", &out), ("stderr", &err)] {
            assert!(!text.contains('\u{1b}'), "{args:?}: raw ESC on {name}");
            assert!(!text.contains('\u{7}'), "{args:?}: raw BEL on {name}");
            assert!(!text.contains('\u{9b}'), "{args:?}: raw CSI on {name}");
        }
    }
    p.run(&["render", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::starts_with("# Evil"))
        .stdout(predicate::str::contains("Red: backend architecture"));

    // Error messages quote file contents; they are sanitised too.
    let bad = p.write("bad.toml", "[answers]\n\"bad\\u001b[2Jid\" = 1\n");
    let a = p.run(&["render", "--answers", s(&bad)]).code(2);
    assert!(!stderr(&a).contains('\u{1b}'), "raw ESC in {:?}", stderr(&a));
}

// ───────────────────────────── check ─────────────────────────────

#[test]
fn check_complete_answers_passes() {
    let p = Project::new();
    let path = p.write("complete.toml", COMPLETE);
    p.run(&["check", "--answers", s(&path)])
        .code(0)
        .stdout(predicate::str::contains(
            "d04-backend-architecture: 0 errors, 0 warnings",
        ))
        .stdout(predicate::str::contains("error[").not());
}

#[test]
fn check_empty_answers_lists_required_errors() {
    let p = Project::new();
    let path = p.write("empty.toml", "[answers]\n");
    let a = p
        .run(&["check", "--answers", s(&path)])
        .code(1)
        .stdout(predicate::str::contains("error[required] project_name:"))
        .stdout(predicate::str::contains("error[required] api_style:"))
        .stdout(predicate::str::contains("error[required] authz_model:"));
    let out = stdout(&a);
    // Errors come before notes.
    let first_info = out.find("info[").unwrap();
    let last_error = out.rfind("error[").unwrap();
    assert!(last_error < first_info, "{out}");
    // An empty file is empty answers too.
    let path = p.write("blank.toml", "");
    p.run(&["check", "--answers", s(&path)])
        .code(1)
        .stdout(predicate::str::contains("error[required] project_name:"));
}

#[test]
fn check_reports_an_assumption_in_the_users_words_as_assumed_not_left_open() {
    let p = Project::new();
    let path = p.write(
        "assumed.toml",
        "[answers]\ntraffic = { assumption = \"under 50 rps\" }\n",
    );
    let a = p.run(&["check", "--answers", s(&path)]).code(1);
    let out = stdout(&a);
    let line = out.lines().find(|l| l.contains("] traffic")).unwrap_or_default();
    assert!(line.contains("Assumed, in your words: under 50 rps"), "{out}");
    assert!(!line.contains("Left open"), "{line}");
    // One the user left alone still reads as left open.
    assert!(
        out.lines()
            .any(|l| l.contains("info[assumed] business_goal") && l.contains("Left open")),
        "{out}"
    );
}

#[test]
fn check_json_has_counts_and_findings() {
    let p = Project::new();
    let path = p.write("empty.toml", "[answers]\n");
    let report = json(&p.run(&["check", "--answers", s(&path), "--format", "json"]).code(1));
    assert_eq!(report["questionnaire"], D04);
    let findings = report["findings"].as_array().unwrap();
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    let warnings = findings.iter().filter(|f| f["severity"] == "warning").count();
    let infos = findings.iter().filter(|f| f["severity"] == "info").count();
    assert!(errors > 0);
    assert_eq!(report["errors"].as_u64().unwrap(), errors as u64);
    assert_eq!(report["warnings"].as_u64().unwrap(), warnings as u64);
    assert_eq!(report["info"].as_u64().unwrap(), infos as u64);
    assert!(findings.iter().all(|f| f["rule"].is_string()));
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "required" && f["question"] == "project_name"),
        "{report}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "no-error-envelope" && f["question"] == "error_envelope")
    );

    let path = p.write("complete.toml", COMPLETE);
    let report = json(&p.run(&["check", "--answers", s(&path), "--format", "json"]).code(0));
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
}

#[test]
fn lint_rbac_without_roles() {
    let p = Project::new();
    let (code, rows) = findings(&p, &complete_with(&[("roles", None)]));
    assert_eq!(code, 1);
    assert!(has_rule(&rows, "rbac-without-roles", "roles"), "{rows:?}");
    let path = p.write("noroles.toml", complete_with(&[("roles", None)]));
    p.run(&["check", "--answers", s(&path)])
        .code(1)
        .stdout(predicate::str::contains("error[rbac-without-roles] roles:"));
    // Not RBAC: no roles needed.
    let (code, rows) = findings(
        &p,
        &complete_with(&[
            ("roles", None),
            ("authz_model", Some("\"ownership-based\"")),
            ("ownership_rule", Some("\"A ledger belongs to its workspace\"")),
        ]),
    );
    assert_eq!(code, 0, "{rows:?}");
    assert!(!rows.iter().any(|(r, _, _)| r == "rbac-without-roles"));
}

#[test]
fn lint_role_without_permissions_names_the_row() {
    let p = Project::new();
    let text = complete_with(&[(
        "roles",
        Some(
            r#"[{ role = "owner", permissions = "manage members and billing" }, { role = "guest", permissions = "" }]"#,
        ),
    )]);
    let path = p.write("roles.toml", &text);
    p.run(&["check", "--answers", s(&path)])
        .code(1)
        .stdout(predicate::str::contains("error[role-without-permissions] roles row 2:"))
        .stdout(predicate::str::contains("\"guest\""))
        .stdout(predicate::str::contains("roles row 1").not());
    let (code, rows) = findings(&p, &text);
    assert_eq!(code, 1);
    assert!(has_rule(&rows, "role-without-permissions", "roles"), "{rows:?}");
}

#[test]
fn lint_api_style_without_conventions() {
    let p = Project::new();
    let text = complete_with(&[("api_conventions", None), ("pagination", None)]);
    let (code, rows) = findings(&p, &text);
    assert_eq!(code, 1);
    assert!(
        has_rule(&rows, "api-style-without-conventions", "api_conventions"),
        "{rows:?}"
    );
    let path = p.write("noconv.toml", &text);
    p.run(&["check", "--answers", s(&path)])
        .code(1)
        .stdout(predicate::str::contains(
            "error[api-style-without-conventions] api_conventions: The API style is REST",
        ));
}

#[test]
fn lint_no_error_envelope() {
    let p = Project::new();
    let text = complete_with(&[("error_envelope", None)]);
    let (code, rows) = findings(&p, &text);
    assert_eq!(code, 1);
    assert!(has_rule(&rows, "no-error-envelope", "error_envelope"), "{rows:?}");
    let path = p.write("noenv.toml", &text);
    p.run(&["check", "--answers", s(&path)])
        .code(1)
        .stdout(predicate::str::contains("error[no-error-envelope] error_envelope:"));
}

#[test]
fn lint_generic_filler_names_the_question() {
    let p = Project::new();
    for (id, filler, quoted) in [
        (
            "observability",
            "\"Logs everywhere; we ensure scalability.\"",
            "ensure scalability",
        ),
        (
            "rate_limiting",
            "\"Limits follow industry best practices.\"",
            "best practices",
        ),
    ] {
        let text = complete_with(&[(id, Some(filler))]);
        let (code, rows) = findings(&p, &text);
        assert_eq!(code, 0, "a warning is not an error: {rows:?}");
        assert!(
            rows.iter()
                .any(|(r, sev, q)| r == "filler" && sev == "warning" && q.as_deref() == Some(id)),
            "{rows:?}"
        );
        let path = p.write("filler.toml", &text);
        p.run(&["check", "--answers", s(&path)])
            .code(0)
            .stdout(predicate::str::contains(format!("warning[filler] {id}: \"{quoted}\"")));
    }
}

#[test]
fn check_rejects_unknown_questionnaire() {
    let p = Project::new();
    p.run(&["check", "-q", "nope"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("\"nope\""));
}

// ───────────────────────────── malformed answers ─────────────────────────────

#[test]
fn bad_answers_toml_syntax_error() {
    assert_bad_answers(
        b"[answers]\nproject_name = \"Ledgerline\nruntime = \"Go\"\n",
        2,
        &[],
        &[],
    );
}

#[test]
fn bad_answers_unknown_id() {
    assert_bad_answers(
        b"schema = 1\n[answers]\nprojct_name = \"Ledgerline\"\n",
        3,
        &["projct_name", ":3:", "did you mean \"project_name\""],
        &[],
    );
}

#[test]
fn bad_answers_string_for_multi_choice() {
    assert_bad_answers(
        b"[answers]\nproject_name = \"Ledgerline\"\nauth_method = \"JWT\"\n",
        3,
        &["auth_method"],
        &[],
    );
}

#[test]
fn bad_answers_integer_for_text() {
    assert_bad_answers(b"[answers]\nproject_name = 42\n", 2, &["project_name"], &[]);
}

#[test]
fn bad_answers_unknown_table_column() {
    assert_bad_answers(
        b"[answers]\nroles = [{ role = \"admin\", permissions = \"all\", colour = \"red\" }]\n",
        2,
        &["colour", "roles"],
        &[],
    );
}

#[test]
fn bad_answers_option_not_in_the_list() {
    assert_bad_answers(
        b"[answers]\n\nauthz_model = \"magic\"\n",
        3,
        &["\"magic\"", "authz_model"],
        &[],
    );
}

#[test]
fn bad_answers_newer_schema() {
    assert_bad_answers(b"schema = 99\n[answers]\n", 1, &["99"], &[]);
}

#[test]
fn bad_answers_for_another_questionnaire() {
    assert_bad_answers(
        b"schema = 1\nquestionnaire = \"other-id\"\n[answers]\n",
        2,
        &["other-id", D04],
        &["-q", D04],
    );
}

#[test]
fn bad_answers_missing_file() {
    let p = Project::new();
    assert_unreadable(&p, &p.work.join("missing.toml"));
}

#[test]
fn bad_answers_directory() {
    let p = Project::new();
    let dir = p.work.join("folder.toml");
    std::fs::create_dir(&dir).unwrap();
    assert_unreadable(&p, &dir);
}

#[test]
fn bad_answers_binary_garbage() {
    let p = Project::new();
    let path = p.write("garbage.toml", b"\xff\xfe\x00\x01garbage\x80\xc3(\n");
    assert_unreadable(&p, &path);
}

#[test]
fn missing_project_folder_exits_2() {
    let p = Project::new();
    let mut cmd = Command::cargo_bin("spec-interview").unwrap();
    cmd.arg("-C")
        .arg(p.work.join("nope"))
        .arg("list")
        .current_dir(&p.work)
        .env("XDG_CONFIG_HOME", &p.config)
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"))
        .stderr(one_line())
        .stderr(no_panic());
}

// ───────────────────────────── validate ─────────────────────────────

#[test]
fn validate_built_in_questionnaire_passes() {
    let p = Project::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/d04-backend-architecture.toml");
    p.run(&["validate", s(&path)])
        .code(0)
        .stdout(predicate::str::contains(": ok ("))
        .stdout(predicate::str::contains(D04))
        .stderr("");
}

#[test]
fn validate_mini_questionnaire_passes() {
    let p = Project::new();
    let path = p.write("q.toml", MINI);
    p.run(&["validate", s(&path)])
        .code(0)
        .stdout(predicate::str::contains("ok (mini 0.1.0, 2 questions"));
}

/// Components and the interactions between them: a column naming another table's column, a
/// column with a fixed list, and a choice taking its options from a table.
const SYSTEM: &str = r#"format = 1
id = "system"
version = "1"
title = "System"

[[documents]]
id = "doc"
path = ".specflow/docs/system.md"
template = """
# System
{{ answer("components") }}
{{ answer("interactions") }}
{{ answer("entry") }}
"""

[[sections]]
id = "main"
title = "Main"

[[sections.questions]]
id = "components"
kind = "table"
prompt = "Components?"
columns = [
  { id = "name", title = "Component" },
  { id = "layer", title = "Layer", options = ["client", "application", "data", "external"] },
]

[[sections.questions]]
id = "interactions"
kind = "table"
prompt = "Interactions?"
columns = [
  { id = "from", title = "From", options_from = "components.name" },
  { id = "to", title = "To", options_from = "components.name" },
]

[[sections.questions]]
id = "entry"
kind = "choice"
prompt = "Entry point?"
options_from = "components.name"
"#;

#[test]
fn references_between_answers_are_validated_with_their_position() {
    let p = Project::new();
    let path = p.write("q.toml", SYSTEM);
    p.run(&["validate", s(&path)]).code(0);
    let broken = |from: &str, to: &str| SYSTEM.replacen(from, to, 1);
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (text, needle, message) in [
        (
            broken(
                "options_from = \"components.name\" },\n  { id = \"to\"",
                "options_from = \"nothing.name\" },\n  { id = \"to\"",
            ),
            "nothing.name",
            "there is no question \"nothing\"",
        ),
        (
            broken(
                "options_from = \"components.name\"\n",
                "options_from = \"components.size\"\n",
            ),
            "components.size",
            "has no column \"size\" (it has name, layer)",
        ),
        (
            broken(
                "options_from = \"components.name\" },\n  { id = \"to\"",
                "options_from = \"entry.name\" },\n  { id = \"to\"",
            ),
            "entry.name",
            "is a choice question, not a table",
        ),
        (
            broken(
                "options_from = \"components.name\" },\n  { id = \"to\"",
                "options_from = \"components\" },\n  { id = \"to\"",
            ),
            "options_from = \"components\"",
            "write it as question.column",
        ),
        (
            broken("\"data\", \"external\"", "\"data\", \"Data\""),
            "\"Data\"",
            "lists the value \"Data\" twice",
        ),
    ] {
        assert_invalid_questionnaire(&text, line_of(&text, needle), message);
    }
}

#[test]
fn check_reports_a_value_that_names_nothing() {
    let p = Project::new();
    p.write_in_project(".specflow/questionnaires/system.toml", SYSTEM);
    let answers = p.write(
        "a.toml",
        r#"[answers]
components = [{ name = "API", layer = "application" }, { name = "DB", layer = "storage" }]
interactions = [{ from = "api", to = "DB" }, { from = "API", to = "Cache" }]
entry = "Gateway"
"#,
    );
    let a = p.run(&["check", "-q", "system", "--answers", s(&answers)]).code(1);
    let out = stdout(&a);
    assert!(
        out.contains("error[reference] components row 2: Layer \"storage\" names nothing: use one of \"client\", \"application\", \"data\", \"external\"."),
        "{out}"
    );
    assert!(
        out.contains("error[reference] interactions row 2: To \"Cache\" names nothing: use a Component of the Components table (\"API\", \"DB\"), or add it there."),
        "{out}"
    );
    assert!(
        !out.contains("interactions row 1"),
        "case and spaces do not matter: {out}"
    );
    assert!(
        out.contains("error[reference] entry: \"Gateway\" names nothing"),
        "{out}"
    );
}

#[test]
fn validate_unknown_key() {
    assert_invalid_questionnaire(&mini_with_line(6, "colour = \"red\""), 6, "colour");
}

#[test]
fn validate_duplicate_question_id() {
    assert_invalid_questionnaire(&mini_with_line(27, "id = \"name\""), 27, "\"name\"");
}

#[test]
fn validate_when_names_unknown_question() {
    let text = MINI.to_string() + "when = 'nosuch == \"x\"'\n";
    assert_invalid_questionnaire(&text, 30, "\"nosuch\"");
}

#[test]
fn validate_when_names_later_question() {
    assert_invalid_questionnaire(&mini_with_line(24, "when = 'other == \"x\"'"), 24, "\"other\"");
}

#[test]
fn validate_template_syntax_error() {
    assert_invalid_questionnaire(&mini_with_line(13, "{% if other %}"), 13, "template");
}

#[test]
fn validate_document_path_absolute() {
    assert_invalid_questionnaire(&mini_with_line(9, "path = \"/tmp/mini.md\""), 9, "absolute");
}

#[test]
fn validate_document_path_with_dot_dot() {
    assert_invalid_questionnaire(&mini_with_line(9, "path = \".specflow/docs/../mini.md\""), 9, "..");
}

#[test]
fn validate_document_path_outside_docs() {
    assert_invalid_questionnaire(&mini_with_line(9, "path = \"docs/mini.md\""), 9, ".specflow/docs/");
}

#[test]
fn validate_missing_file_exits_2() {
    let p = Project::new();
    let missing = p.work.join("missing.toml");
    p.run(&["validate", s(&missing)])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(s(&missing)));
    // One good file does not hide a missing one.
    let good = p.write("q.toml", MINI);
    p.run(&["validate", s(&good), s(&missing)])
        .code(2)
        .stdout(predicate::str::contains("ok (mini"));
}

#[test]
fn validate_reports_every_broken_file() {
    let p = Project::new();
    let a = p.write("a.toml", mini_with_line(9, "path = \"/tmp/mini.md\""));
    let b = p.write("b.toml", mini_with_line(6, "colour = \"red\""));
    let good = p.write("good.toml", MINI);
    let out = p.run(&["validate", s(&a), s(&good), s(&b)]).code(1);
    let err = stderr(&out);
    assert!(err.contains(&format!("{}:9:", a.display())), "{err}");
    assert!(err.contains(&format!("{}:6:", b.display())), "{err}");
    assert!(stdout(&out).contains("good.toml: ok"));
}

// ───────────────────────────── list: questionnaires ─────────────────────────────

#[test]
fn list_shows_the_built_in_questionnaire() {
    let p = Project::new();
    let a = p.run(&["list"]).code(0).stderr("");
    let row = stdout(&a)
        .lines()
        .find(|l| l.starts_with(D04))
        .map(str::to_string)
        .unwrap();
    assert!(row.contains("built-in"), "{row}");
    let rows = json(&p.run(&["list", "--format", "json"]).code(0));
    let rows = rows.as_array().unwrap();
    let d04 = rows.iter().find(|r| r["id"] == D04).unwrap();
    assert_eq!(d04["source"], "built-in");
    assert_eq!(d04["overrides"], serde_json::json!([]));
}

#[test]
fn list_shows_project_questionnaires() {
    let p = Project::new();
    p.write_in_project(".specflow/questionnaires/x.toml", MINI);
    let out = stdout(&p.run(&["list"]).code(0).stderr(""));
    let mini = out.lines().find(|l| l.starts_with("mini ")).unwrap();
    assert!(mini.contains("project"), "{mini}");
    assert!(!mini.contains("overrides"), "{mini}");
    let d04 = out.lines().find(|l| l.starts_with(D04)).unwrap();
    assert!(d04.contains("built-in"), "{d04}");

    // It can be used like a built-in one.
    let answers = p.write("mini.toml", "[answers]\nname = \"Tiny\"\nother = \"More\"\n");
    p.run(&["render", "-q", "mini", "--answers", s(&answers)])
        .code(0)
        .stdout("# Tiny\n\nMore\n");
    p.run(&["render", "-q", "mini", "--answers", s(&answers), "--save"])
        .code(0)
        .stderr(predicate::str::contains("revision 1"));
    assert_eq!(
        std::fs::read_to_string(p.root.join(".specflow/docs/mini.md")).unwrap(),
        "# Tiny\n\nMore\n"
    );
}

#[test]
fn list_shows_a_project_override_of_the_built_in() {
    let p = Project::new();
    p.write_in_project(".specflow/questionnaires/d04-backend-architecture.toml", BUILT_IN);
    let out = stdout(&p.run(&["list"]).code(0).stderr(""));
    let d04 = out.lines().find(|l| l.starts_with(D04)).unwrap();
    assert!(d04.contains("project (overrides built-in)"), "{d04}");
    let rows = json(&p.run(&["list", "--format", "json"]).code(0));
    let d04 = rows.as_array().unwrap().iter().find(|r| r["id"] == D04).unwrap();
    assert_eq!(d04["source"], "project");
    assert_eq!(d04["overrides"], serde_json::json!(["built-in"]));
}

#[test]
fn list_shows_user_questionnaires_from_the_config_dir() {
    let p = Project::new();
    let dir = p.config.join("spec-interview/questionnaires");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mini.toml"), MINI).unwrap();
    let out = stdout(&p.run(&["list"]).code(0));
    let mini = out.lines().find(|l| l.starts_with("mini ")).unwrap();
    assert!(mini.contains("user"), "{mini}");
    p.write_in_project(".specflow/questionnaires/mini.toml", MINI);
    let out = stdout(&p.run(&["list"]).code(0));
    let mini = out.lines().find(|l| l.starts_with("mini ")).unwrap();
    assert!(mini.contains("project (overrides user)"), "{mini}");
}

#[test]
fn list_warns_about_a_broken_project_questionnaire() {
    let p = Project::new();
    p.write_in_project(".specflow/questionnaires/broken.toml", "id = \n");
    p.write_in_project(".specflow/questionnaires/x.toml", MINI);
    // -C works like git -C: paths are shown relative to the project.
    let a = p
        .run(&["list"])
        .code(0)
        .stderr(predicate::str::starts_with("warning: "))
        .stderr(predicate::str::contains(".specflow/questionnaires/broken.toml:1:"));
    let out = stdout(&a);
    assert!(out.lines().any(|l| l.starts_with(D04)), "{out}");
    assert!(out.lines().any(|l| l.starts_with("mini ")), "{out}");
    // Other commands still work, with the same warning.
    let answers = p.write("complete.toml", COMPLETE);
    p.run(&["check", "--answers", s(&answers)])
        .code(0)
        .stderr(predicate::str::contains("broken.toml"));
}

// ───────────────────────────── list: sessions and revisions ─────────────────────────────

#[test]
fn list_sessions_when_there_are_none() {
    let p = Project::new();
    p.run(&["list", "--sessions"])
        .code(0)
        .stdout(predicate::str::starts_with("no sessions"));
    let rows = json(&p.run(&["list", "--sessions", "--format", "json"]).code(0));
    assert_eq!(rows, serde_json::json!([]));
}

#[test]
fn list_sessions_shows_progress() {
    let p = Project::new();
    p.write_in_project(".specflow/sessions/d04-backend-architecture.toml", COMPLETE);
    let out = stdout(&p.run(&["list", "--sessions"]).code(0));
    let progress = regex::Regex::new(r"^d04-backend-architecture\s+(\d+)/(\d+) answered · 0 required open").unwrap();
    let caps = progress
        .captures(out.lines().next().unwrap())
        .unwrap_or_else(|| panic!("no progress in {out:?}"));
    let answered: usize = caps[1].parse().unwrap();
    let questions: usize = caps[2].parse().unwrap();
    assert!(answered > 30 && answered <= questions, "{out}");

    let rows = json(&p.run(&["list", "--sessions", "--format", "json"]).code(0));
    let row = &rows.as_array().unwrap()[0];
    assert_eq!(row["questionnaire"], D04);
    assert_eq!(row["answered"].as_u64().unwrap(), answered as u64);
    assert_eq!(row["questions"].as_u64().unwrap(), questions as u64);
    assert_eq!(row["required_open"], 0);

    // A session with open required questions says so.
    p.write_in_project(
        ".specflow/sessions/d04-backend-architecture.toml",
        "[answers]\nproject_name = \"Ledgerline\"\n",
    );
    let rows = json(&p.run(&["list", "--sessions", "--format", "json"]).code(0));
    let row = &rows.as_array().unwrap()[0];
    assert_eq!(row["answered"], 1);
    assert!(row["required_open"].as_u64().unwrap() > 0);
}

#[test]
fn list_sessions_reports_an_unreadable_session_and_goes_on() {
    let p = Project::new();
    p.write_in_project(
        ".specflow/sessions/d04-backend-architecture.toml",
        "[answers\nnope = 1\n",
    );
    p.run(&["list", "--sessions"])
        .code(0)
        .stdout(predicate::str::contains("unreadable"))
        .stdout(predicate::str::contains("d04-backend-architecture.toml:1:"));
}

#[test]
fn list_sessions_counts_answers_kept_aside_by_a_changed_questionnaire() {
    let p = Project::new();
    p.write_in_project(
        ".specflow/sessions/d04-backend-architecture.toml",
        "[answers]\nproject_name = \"Ledgerline\"\nold_question = \"kept\"\napi_style = 3\n",
    );
    p.run(&["list", "--sessions"])
        .code(0)
        .stdout(predicate::str::contains("1/").and(predicate::str::contains("2 answers kept aside")));
}

#[test]
fn check_without_answers_uses_the_session() {
    let p = Project::new();
    // No session: empty answers, with a note.
    p.run(&["check"])
        .code(1)
        .stderr(predicate::str::contains("no session"))
        .stdout(predicate::str::contains("error[required] project_name:"));
    // A complete session passes.
    let session = p.write_in_project(".specflow/sessions/d04-backend-architecture.toml", COMPLETE);
    p.run(&["check"])
        .code(0)
        .stderr("")
        .stdout(predicate::str::contains("0 errors"))
        .stdout(predicate::str::contains("sessions"));
    let report = json(&p.run(&["check", "--format", "json"]).code(0));
    assert!(
        report["answers"]
            .as_str()
            .unwrap()
            .ends_with("d04-backend-architecture.toml")
    );
    // A broken session is an input error.
    std::fs::write(&session, "[answers]\nnope = 1\n").unwrap();
    p.run(&["check"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("d04-backend-architecture.toml:2:1:"))
        .stderr(one_line());
}

#[test]
fn list_revisions_of_unknown_document_exits_2() {
    let p = Project::new();
    p.run(&["list", "--revisions", "NOPE"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("NOPE"))
        .stderr(one_line());
}

#[test]
fn list_revisions_in_a_fresh_project_is_empty() {
    let p = Project::new();
    p.run(&["list", "--revisions", DOC])
        .code(0)
        .stdout(predicate::str::contains("no saved revisions"))
        .stdout(predicate::str::contains(DOC));
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    assert_eq!(revs, serde_json::json!([]));
}

/// Writes revision `number` of the D04 document by hand, as `render --save` would leave it.
fn write_revision(p: &Project, number: u32, document: &str, answers: &str) {
    let dir = format!(".specflow/history/{DOC}/{number:04}");
    p.write_in_project(&format!("{dir}/document.md"), document);
    p.write_in_project(&format!("{dir}/answers.toml"), answers);
    p.write_in_project(
        &format!("{dir}/revision.toml"),
        &format!(
            "number = {number}\ntime = \"2026-01-0{number}T10:00:00Z\"\nauthor = \"Ada\"\nquestionnaire = \"{D04}\"\n\
             questionnaire_version = \"1.0.0\"\ndocument = \"{DOC_PATH}\"\nsha256 = \"{number}\"\nlines = {}\n",
            document.lines().count()
        ),
    );
}

/// Writes the review decisions of revision `number` by hand.
fn write_review(p: &Project, number: u32, toml: &str) -> PathBuf {
    p.write_in_project(&format!(".specflow/history/{DOC}/{number:04}/review.toml"), toml)
}

const APPROVED_BY_ADA: &str =
    "[[decision]]\nverdict = \"approved\"\nreviewer = \"Ada\"\ntime = \"2026-01-01T12:00:00Z\"\n";

/// A request for changes by `reviewer` with two notes, as a reviewer might write it by hand.
fn changes_requested_by(reviewer: &str) -> String {
    format!(
        "# Review of revision 2\n\n[[decision]]\nverdict = \"changes_requested\"\nreviewer = \"{reviewer}\"\n\
         time = \"2026-01-02T12:00:00Z\"\n\n[[decision.note]]\npath = [\"Doc\", \"Security\"]\n\
         quote = \"Tokens last a day.\"\ntext = \"Too long; say why.\"\n\n[[decision.note]]\npath = []\ntext = \"Add a summary.\"\n"
    )
}

/// Three revisions: the second edits one line and adds one, and changes four answers; the
/// third changes nothing in the answers.
fn three_revisions(p: &Project) {
    write_revision(
        p,
        1,
        "# Doc\n## Security\nTokens last a day.\nend\n",
        "[answers]\nruntime = \"Rust\"\ndatabase = \"PostgreSQL\"\napi_style = \"REST\"\nqueue = \"none\"\nkept = 1\n",
    );
    write_revision(
        p,
        2,
        "# Doc\n## Security\nTokens last an hour.\nend\nmore\n",
        "schema = 1\n[answers]\nruntime = \"Go\"\ndatabase = \"SQLite\"\napi_style = \"gRPC\"\nkept = 1\n",
    );
    write_revision(
        p,
        3,
        "# Doc\n## Security\nTokens last an hour.\nend\nmore\n",
        "schema = 1\n[answers]\nruntime = \"Go\"\ndatabase = \"SQLite\"\napi_style = \"gRPC\"\nkept = 1\n",
    );
}

/// The detail lines printed under revision `number`'s row, joined.
fn details_of(text: &str, number: u32) -> String {
    let mut lines = text
        .lines()
        .skip_while(|l| l.split_whitespace().next() != Some(&number.to_string()));
    let row = lines
        .next()
        .unwrap_or_else(|| panic!("no row for revision {number} in {text}"));
    let details: Vec<&str> = lines.take_while(|l| l.starts_with("      ")).collect();
    format!("{row}\n{}", details.join("\n"))
}

#[test]
fn list_revisions_shows_line_counts_changed_answers_and_review_states() {
    let p = Project::new();
    three_revisions(&p);
    write_review(&p, 1, APPROVED_BY_ADA);
    write_review(&p, 2, &changes_requested_by("Bob"));
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0).stderr(""));
    assert!(text.lines().next().unwrap().contains("CHANGE"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "wider than 100 columns: {line:?}");
    }
    let first = details_of(&text, 1);
    assert!(first.contains("  +4 -0  "), "{first}");
    assert!(first.contains("answers changed: —"), "{first}");
    assert!(first.contains("review: approved by Ada"), "{first}");
    let second = details_of(&text, 2);
    assert!(second.contains("  +2 -1  "), "{second}");
    assert!(
        second.contains("answers changed: runtime, database, api_style +1 more"),
        "{second}"
    );
    assert!(
        second.contains("review: changes requested by Bob (2 notes)"),
        "{second}"
    );
    let third = details_of(&text, 3);
    assert!(third.contains("  +0 -0  "), "{third}");
    assert!(third.contains("answers changed: none"), "{third}");
    assert!(third.contains("review: not reviewed"), "{third}");
    assert!(!text.contains("escalate"), "one request is below the limit: {text}");
}

#[test]
fn list_revisions_json_has_changes_and_review() {
    let p = Project::new();
    three_revisions(&p);
    write_review(&p, 1, APPROVED_BY_ADA);
    write_review(&p, 2, &changes_requested_by("Bob"));
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    let revs = revs.as_array().unwrap();
    assert_eq!(revs.len(), 3);
    // The revision's own fields are still there.
    assert_eq!(revs[1]["number"], 2);
    assert_eq!(revs[1]["document"], DOC_PATH);
    assert_eq!(revs[1]["lines"], 5);
    assert_eq!(
        (revs[0]["added"].as_u64(), revs[0]["removed"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(
        (revs[1]["added"].as_u64(), revs[1]["removed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(revs[0]["changed_answers"], serde_json::Value::Null);
    assert_eq!(
        revs[1]["changed_answers"],
        serde_json::json!(["runtime", "database", "api_style", "queue"])
    );
    assert_eq!(revs[2]["changed_answers"], serde_json::json!([]));
    assert_eq!(
        revs[0]["review"],
        serde_json::json!({"state": "approved", "reviewer": "Ada", "time": "2026-01-01T12:00:00Z", "notes": [],
            "decisions": [{"verdict": "approved", "reviewer": "Ada", "time": "2026-01-01T12:00:00Z", "notes": []}]})
    );
    let review = &revs[1]["review"];
    assert_eq!(review["state"], "changes_requested");
    assert_eq!(review["reviewer"], "Bob");
    assert_eq!(review["time"], "2026-01-02T12:00:00Z");
    // Notes of a file written before notes kept their author and side: the decision's reviewer
    // and revision, and an id that stays the same.
    let notes = review["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["author"], "Bob");
    assert_eq!(notes[0]["revision"], 2);
    assert_eq!(notes[0]["path"], serde_json::json!(["Doc", "Security"]));
    assert_eq!(notes[0]["quote"], "Tokens last a day.");
    assert_eq!(notes[0]["text"], "Too long; say why.");
    assert_eq!(notes[0]["resolved"], false);
    assert_eq!(notes[0]["replies"], serde_json::json!([]));
    assert_eq!(notes[0]["id"].as_str().map(str::len), Some(12));
    assert_eq!(notes[1]["text"], "Add a summary.");
    assert_eq!(review["decisions"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        revs[2]["review"],
        serde_json::json!({"state": "unreviewed", "reviewer": null, "time": null, "notes": [], "decisions": []})
    );
}

#[test]
fn list_revisions_shows_every_decision_not_only_the_last() {
    let p = Project::new();
    three_revisions(&p);
    // Bob asks for changes, the author approves her own revision anyway, then an escalation.
    let history = format!(
        "schema = 2\n{}\n{APPROVED_BY_ADA}\n[[decision]]\nverdict = \"escalated\"\nreviewer = \"Cleo\"\ntime = \"2026-01-03T12:00:00Z\"\n\n\
         [[reply]]\nnote = \"n1\"\nreviewer = \"Ada\"\ntime = \"2026-01-03T13:00:00Z\"\ntext = \"Done.\"\nresolved = true\n",
        changes_requested_by("Bob").replace(
            "[[decision.note]]\npath = [\"Doc\"",
            "[[decision.note]]\nid = \"n1\"\nauthor = \"Bo\"\npath = [\"Doc\""
        )
    );
    write_review(&p, 2, &history);
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    let details = details_of(&text, 2);
    assert!(details.contains("review: escalated by Cleo"), "{text}");
    assert!(details.contains("review history, oldest first:"), "{text}");
    assert!(
        details.contains("1. changes requested by Bob at 2026-01-02T12:00:00Z (2 notes)"),
        "{text}"
    );
    assert!(details.contains("2. approved by Ada at 2026-01-01T12:00:00Z"), "{text}");
    assert!(
        details.contains("3. escalated by Cleo at 2026-01-03T12:00:00Z"),
        "{text}"
    );
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    let decisions = revs[1]["review"]["decisions"].as_array().unwrap();
    let verdicts: Vec<&str> = decisions.iter().map(|d| d["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["changes_requested", "approved", "escalated"]);
    let note = &decisions[0]["notes"][0];
    assert_eq!((note["id"].as_str(), note["author"].as_str()), (Some("n1"), Some("Bo")));
    assert_eq!(note["resolved"], true);
    assert_eq!(note["replies"][0]["text"], "Done.");
    assert_eq!(revs[1]["review"]["state"], "escalated");
}

#[test]
fn list_revisions_says_to_escalate_on_the_third_request_for_changes() {
    let p = Project::new();
    three_revisions(&p);
    write_review(&p, 1, &changes_requested_by("Bob"));
    write_review(&p, 2, &changes_requested_by("Bob"));
    let two = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    assert!(!two.contains("escalate"), "{two}");
    let third = write_review(&p, 3, &changes_requested_by("Bob"));
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("request for changes 3 of 3 on D04-backend-architecture.md") && last.contains("escalation"),
        "{text}"
    );
    // An approval starts a new cycle.
    std::fs::write(&third, format!("{}\n{APPROVED_BY_ADA}", changes_requested_by("Bob"))).unwrap();
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    assert!(!text.contains("escalate"), "{text}");
}

#[test]
fn list_revisions_never_prints_a_reviewers_escape_sequences() {
    let p = Project::new();
    three_revisions(&p);
    write_review(&p, 2, &changes_requested_by("Bob\\u001b[31m"));
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        details_of(&text, 2).contains("changes requested by Bob\u{241B}[31m"),
        "{text}"
    );
}

#[test]
fn list_revisions_with_a_damaged_review_file_reports_it_once_and_lists_the_rest() {
    let p = Project::new();
    three_revisions(&p);
    write_review(&p, 1, APPROVED_BY_ADA);
    write_review(
        &p,
        2,
        "[[decision]]\nverdict = \"maybe\"\nreviewer = \"Bob\"\ntime = \"2026-01-02T12:00:00Z\"\n",
    );
    let a = p.run(&["list", "--revisions", DOC]).code(0).stderr(one_line());
    let (text, err) = (stdout(&a), stderr(&a));
    assert!(err.starts_with("warning: "), "{err}");
    assert!(err.contains(&format!("{DOC}/0002/review.toml: ")), "{err}");
    assert!(err.contains("damaged") && err.contains("line 2"), "{err}");
    assert!(details_of(&text, 1).contains("review: approved by Ada"), "{text}");
    assert!(details_of(&text, 2).contains("review: not reviewed"), "{text}");
    assert!(details_of(&text, 3).contains("  +0 -0  "), "{text}");
    let revs = json(
        &p.run(&["list", "--revisions", DOC, "--format", "json"])
            .code(0)
            .stderr(one_line()),
    );
    assert_eq!(revs.as_array().unwrap().len(), 3);
    assert_eq!(revs[1]["review"]["state"], "unreviewed");
}

#[test]
fn list_revisions_shows_a_damaged_old_answers_file_as_unknown() {
    let p = Project::new();
    three_revisions(&p);
    p.write_in_project(
        &format!(".specflow/history/{DOC}/0002/answers.toml"),
        "[answers\nruntime = 1\n",
    );
    let a = p.run(&["list", "--revisions", DOC]).code(0);
    let (text, err) = (stdout(&a), stderr(&a));
    assert!(details_of(&text, 2).contains("answers changed: ?"), "{text}");
    assert!(details_of(&text, 3).contains("answers changed: ?"), "{text}");
    assert!(details_of(&text, 1).contains("answers changed: —"), "{text}");
    assert_eq!(err.matches("0002/answers.toml").count(), 1, "mentioned once: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    assert_eq!(revs[1]["changed_answers"], serde_json::Value::Null);
    assert_eq!(revs[1]["added"], 2, "the document itself is fine");
}

#[test]
fn list_sessions_and_revisions_conflict() {
    let p = Project::new();
    p.run(&["list", "--sessions", "--revisions", DOC]).code(2).stdout("");
}

// ───────────────────────────── the rest ─────────────────────────────

#[test]
fn completions_bash() {
    let p = Project::new();
    p.run(&["completions", "bash"])
        .code(0)
        .stdout(predicate::str::contains("spec-interview"))
        .stdout(predicate::str::contains("render"));
    p.run(&["completions", "no-such-shell"]).code(2).stdout("");
}

#[test]
fn version_and_help() {
    let p = Project::new();
    p.run(&["--version"])
        .code(0)
        .stdout(format!("spec-interview {}\n", env!("CARGO_PKG_VERSION")));
    let help = stdout(&p.run(&["--help"]).code(0));
    for command in ["render", "check", "list", "show", "validate", "completions", "diff"] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(command)),
            "{command} not in --help"
        );
    }
    p.run(&["render", "--help"])
        .code(0)
        .stdout(predicate::str::contains("--answers"));
}

#[test]
fn unknown_subcommand_or_flag_is_a_usage_error() {
    let p = Project::new();
    p.run(&["frobnicate"]).code(2).stdout("");
    p.run(&["render"]).code(2).stdout("");
    p.run(&["check", "--format", "yaml"]).code(2).stdout("");
}

#[test]
fn the_interview_without_a_terminal_asks_line_by_line() {
    let p = Project::new();
    for args in [&[][..], &["interview"][..]] {
        // No input at all: the first question is asked, the end of input stops, nothing is written.
        p.run(args)
            .code(0)
            .stdout(predicate::str::contains("Question 1 of"))
            .stdout(predicate::str::contains("Stopped. The answers are kept in"));
    }
    assert!(
        !p.root.join(".specflow/sessions/d04-backend-architecture.toml").exists(),
        "no answer, no session file"
    );
    p.run(&["interview"]);
    let out = p.cmd().write_stdin("Ledgerline\n").output().unwrap();
    assert!(out.status.success());
    assert!(p.root.join(".specflow/sessions/d04-backend-architecture.toml").exists());
}

#[test]
fn an_unknown_theme_is_a_usage_error() {
    Project::new()
        .run(&["--theme", "neon"])
        .code(2)
        .stderr(predicate::str::contains("no theme \"neon\""));
}

#[test]
fn render_save_overwrite_records_a_hand_edit_before_replacing_it() {
    let p = Project::new();
    let answers = COMPLETE;
    let file = p.write("a.toml", answers);
    let file = file.to_str().unwrap();
    p.run(&["render", "--answers", file, "--save"]).code(0);
    let saved = std::fs::read_to_string(p.doc()).unwrap();
    let edited = format!("{saved}\nA paragraph written by hand.\n");
    std::fs::write(p.doc(), &edited).unwrap();
    // Without --overwrite nothing is written.
    p.run(&["render", "--answers", file, "--save"]).code(2);
    assert_eq!(std::fs::read_to_string(p.doc()).unwrap(), edited);
    let changed = p.write("b.toml", answers.replace("PostgreSQL 16", "PostgreSQL 17"));
    let out = p
        .run(&[
            "render",
            "--answers",
            changed.to_str().unwrap(),
            "--save",
            "--overwrite",
        ])
        .code(0);
    let said = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(said.contains("kept the edit found in"), "{said}");
    assert!(said.contains("as revision 2"), "{said}");
    assert!(said.contains("saved") && said.contains("as revision 3"), "{said}");
    // The hand edit is revision 2, the new text revision 3 and the file.
    let history = p.root.join(format!(".specflow/history/{DOC}"));
    assert_eq!(
        std::fs::read_to_string(history.join("0002/document.md")).unwrap(),
        edited
    );
    let now = std::fs::read_to_string(p.doc()).unwrap();
    assert!(
        now.contains("PostgreSQL 17") && !now.contains("written by hand"),
        "{now}"
    );
    assert_eq!(std::fs::read_to_string(history.join("0003/document.md")).unwrap(), now);
}

#[test]
fn each_revision_records_the_git_commit_and_branch_checked_out() {
    let p = Project::new();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&p.root)
            .args(["-c", "user.name=Ada", "-c", "user.email=ada@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    git(&["init", "-q"]);
    git(&["checkout", "-q", "-b", "design/payments"]);
    git(&["commit", "-q", "--allow-empty", "-m", "start"]);
    let commit = git(&["rev-parse", "HEAD"]);
    let answers = p.write("a.toml", COMPLETE);
    p.run(&["render", "--answers", answers.to_str().unwrap(), "--save"])
        .code(0);
    let record = std::fs::read_to_string(p.root.join(format!(".specflow/history/{DOC}/0001/revision.toml"))).unwrap();
    assert!(record.starts_with("schema = 2\n"), "{record}");
    assert!(record.contains(&format!("git_commit = \"{commit}\"")), "{record}");
    assert!(record.contains("git_branch = \"design/payments\""), "{record}");
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    assert!(
        text.contains(&format!(
            "saved with git design/payments at {} checked out",
            &commit[..12]
        )),
        "{text}"
    );
    let revs = json(&p.run(&["list", "--revisions", DOC, "--format", "json"]).code(0));
    assert_eq!(revs[0]["git_commit"], commit.as_str());
    // Records written before these fields (schema 1, or none) still read.
    let old = format!(".specflow/history/{DOC}/0001/revision.toml");
    let older: String = record
        .lines()
        .filter(|l| !l.starts_with("git_") && !l.starts_with("schema"))
        .flat_map(|l| [l, "\n"])
        .collect();
    p.write_in_project(&old, &format!("schema = 1\n{older}"));
    let text = stdout(&p.run(&["list", "--revisions", DOC]).code(0));
    assert!(text.contains("   1  ") && !text.contains("saved with git"), "{text}");
}

#[test]
fn a_broken_questionnaire_the_answers_are_for_is_told_once_as_the_error() {
    // The answers name no questionnaire on the command line: the one they declare (or D04) is
    // the one asked for, so its problem is the command's error and not also a warning.
    let p = Project::new();
    let broken = include_str!("../questionnaires/d04-backend-architecture.toml").replacen(
        "version = \"",
        "version = \"1.0\\nX",
        1,
    );
    p.write_in_project(".specflow/questionnaires/d04-backend-architecture.toml", &broken);
    let answers = p.write("a.toml", COMPLETE);
    for args in [
        vec!["render", "--answers", s(&answers)],
        vec!["check", "--answers", s(&answers)],
        vec!["check"],
    ] {
        let out = p.run(&args).code(2);
        let err = stderr(&out);
        assert_eq!(err.matches("one line of printable text").count(), 1, "{args:?}: {err}");
        assert!(!err.contains("warning:"), "{args:?}: {err}");
    }
}
