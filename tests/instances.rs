//! Documents per feature (seed 002): a questionnaire with instance keys keeps one set of
//! documents, one session and one history per instance. Two features of architecture-workflow
//! keep two of each; the start screen and plain mode ask which instance to open; `render`,
//! `check` and `list --sessions` work with instances; unsafe keys never reach a path.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use assert_cmd::Command;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::fsio::Project;
use spec_interview::core::instance;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::plain;
use spec_interview::tui::app;
use spec_interview::tui::start::{Choice, Start};
use spec_interview::tui::theme::Theme;

const COMPLETE: &str = include_str!("answers/architecture-workflow-complete.toml");

fn workflow() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN
        .iter()
        .find(|(p, _)| p.ends_with("architecture-workflow.toml"))
        .unwrap();
    Arc::new(parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}")))
}

fn bin(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-interview").unwrap();
    cmd.arg("-C")
        .arg(root)
        .env("XDG_CONFIG_HOME", root.join("../config"))
        .env("HOME", root.join("../config"))
        .env("NO_COLOR", "1")
        .env_remove("SPEC_INTERVIEW_QUESTIONNAIRE")
        .env_remove("SPEC_INTERVIEW_CONFIG");
    cmd
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn typ(start: &mut Start, text: &str) -> Option<Choice> {
    text.chars().find_map(|c| start.update(key(KeyCode::Char(c))))
}

#[test]
fn the_start_screen_names_a_new_instance_by_its_keys_and_refuses_unsafe_ones() {
    let q = workflow();
    // Without a session yet, the screen opens on the form for a new one.
    let mut start = Start::new(Arc::clone(&q), Vec::new());
    assert!(start.form.is_some());
    assert_eq!(typ(&mut start, "crm"), None);
    // Enter on the first field moves to the next while it is empty.
    assert_eq!(start.update(key(KeyCode::Enter)), None);
    assert_eq!(typ(&mut start, "Bulk Import"), None);
    assert_eq!(start.update(key(KeyCode::Enter)), None, "a space cannot name a folder");
    let problem = start.form.as_ref().unwrap().problem.clone().unwrap();
    assert!(
        problem.contains("Feature key \"Bulk Import\" cannot name a folder"),
        "{problem}"
    );
    for _ in 0.."Bulk Import".len() {
        start.update(key(KeyCode::Backspace));
    }
    typ(&mut start, "bulk-import");
    assert_eq!(
        start.update(key(KeyCode::Enter)),
        Some(Choice::Open("crm--bulk-import".into()))
    );

    // With sessions, the list comes first: Enter opens, n names a new one, Esc quits.
    let mut start = Start::new(Arc::clone(&q), vec!["crm--bulk-import".into(), "crm--dedupe".into()]);
    assert!(start.form.is_none());
    start.update(key(KeyCode::Down));
    assert_eq!(
        start.update(key(KeyCode::Enter)),
        Some(Choice::Open("crm--dedupe".into()))
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| spec_interview::tui::start::view(f, &start, &Theme::monochrome()))
        .unwrap();
    insta::assert_snapshot!("start_list_80x24", terminal.backend());
    let mut wide = Terminal::new(TestBackend::new(160, 48)).unwrap();
    wide.draw(|f| spec_interview::tui::start::view(f, &start, &Theme::monochrome()))
        .unwrap();
    insta::assert_snapshot!("start_list_160x48", wide.backend());
    start.update(key(KeyCode::Char('n')));
    typ(&mut start, "../etc");
    terminal
        .draw(|f| spec_interview::tui::start::view(f, &start, &Theme::monochrome()))
        .unwrap();
    insta::assert_snapshot!("start_form_80x24", terminal.backend());
    assert_eq!(start.update(key(KeyCode::Esc)), None, "Esc goes back to the list");
    assert_eq!(start.update(key(KeyCode::Esc)), Some(Choice::Quit));
}

#[test]
fn an_opened_instance_has_its_own_documents_and_session_and_starts_with_its_keys() {
    let q = workflow();
    let opened = instance::resolved(&q, "crm--bulk-import").unwrap();
    assert_eq!(opened.session_name(), "architecture-workflow/crm--bulk-import");
    assert_eq!(
        opened.documents[0].path,
        ".specflow/docs/plan/crm/bulk-import/02-architecture.md"
    );
    assert_eq!(
        opened.documents[1].path,
        ".specflow/docs/plan/crm/bulk-import/04-backend-design.md"
    );
    assert!(instance::resolved(&q, "crm").is_none(), "two keys, one value");
    assert!(
        instance::resolved(&q, "..--x").is_none(),
        "an unsafe key never makes a path"
    );
    let tmp = tempfile::tempdir().unwrap();
    let model = app::prepare(Project::new(tmp.path()), &Arc::new(opened), Theme::monochrome(), false).unwrap();
    assert_eq!(model.answers.get("epic_key"), Some(&Answer::Text("crm".into())));
    assert_eq!(
        model.answers.get("feature_key"),
        Some(&Answer::Text("bulk-import".into()))
    );
}

#[test]
fn plain_mode_asks_which_instance_and_keeps_one_session_per_feature() {
    let q = workflow();
    let tmp = tempfile::tempdir().unwrap();
    let options = plain::Options {
        read_only: false,
        fresh: false,
        notices: Vec::new(),
        echo: true,
    };
    for (keys, name) in [
        ("crm\nbulk import\nbulk-import\n", "Bulk contact import"),
        ("new\ncrm\ndedupe\n", "Duplicate merge"),
    ] {
        // The feature key is refused once (a space), then the interview starts and answers one
        // question before the input ends.
        let input = format!("{keys}\n\n{name}\n");
        let mut out = Vec::new();
        plain::run(Project::new(tmp.path()), &q, &options, &mut input.as_bytes(), &mut out).unwrap();
        let said = String::from_utf8(out).unwrap();
        assert!(
            said.contains("keeps one set of documents, session and history per epic key and feature key"),
            "{said}"
        );
        if keys.contains("bulk import") {
            assert!(said.contains("\"bulk import\" cannot name a folder"), "{said}");
        } else {
            assert!(
                said.contains("  1. crm / bulk-import"),
                "the first feature is listed: {said}"
            );
        }
    }
    let sessions = tmp.path().join(".specflow/sessions/architecture-workflow");
    let mut names: Vec<String> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    assert_eq!(names, ["crm--bulk-import.toml", "crm--dedupe.toml"]);
    let text = std::fs::read_to_string(sessions.join("crm--dedupe.toml")).unwrap();
    assert!(
        text.contains("epic_key = \"crm\"") && text.contains("feature_key = \"dedupe\""),
        "{text}"
    );
    assert!(text.contains("feature_name = \"Duplicate merge\""), "{text}");
}

#[test]
fn two_features_keep_two_sets_of_documents_histories_and_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    std::fs::create_dir_all(&root).unwrap();
    let second = COMPLETE.replace("feature_key = \"bulk-import\"", "feature_key = \"dedupe\"");
    std::fs::write(root.join("a.toml"), COMPLETE).unwrap();
    std::fs::write(root.join("b.toml"), &second).unwrap();
    for file in ["a.toml", "b.toml"] {
        bin(&root)
            .args(["render", "--answers", file, "--save"])
            .assert()
            .success();
    }
    for feature in ["bulk-import", "dedupe"] {
        for doc in ["02-architecture", "04-backend-design"] {
            assert!(
                root.join(format!(".specflow/docs/plan/crm/{feature}/{doc}.md"))
                    .is_file()
            );
            assert!(
                root.join(format!(".specflow/history/plan/crm/{feature}/{doc}/0001/revision.toml"))
                    .is_file()
            );
        }
    }
    // Saving the second feature again changes nothing of the first.
    let edited = second.replace("Duplicate", "Duplicate contact");
    std::fs::write(root.join("b.toml"), edited).unwrap();
    bin(&root)
        .args(["render", "--answers", "b.toml", "--save"])
        .assert()
        .success();
    assert!(
        !root
            .join(".specflow/history/plan/crm/bulk-import/02-architecture/0002")
            .exists()
    );
    bin(&root)
        .args(["list", "--revisions", "plan/crm/bulk-import/02-architecture"])
        .assert()
        .success();

    // Sessions of both features: listed, and checked each on its own.
    let sessions = root.join(".specflow/sessions/architecture-workflow");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(sessions.join("crm--bulk-import.toml"), COMPLETE).unwrap();
    std::fs::write(
        sessions.join("crm--dedupe.toml"),
        second.replace("interface_summary", "#interface_summary"),
    )
    .unwrap();
    let listed = bin(&root).args(["list", "--sessions"]).assert().success();
    let out = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    assert!(out.contains("architecture-workflow/crm--bulk-import"), "{out}");
    assert!(out.contains("architecture-workflow/crm--dedupe"), "{out}");
    let checked = bin(&root)
        .args(["check", "-q", "architecture-workflow"])
        .assert()
        .code(1);
    let out = String::from_utf8_lossy(&checked.get_output().stdout).into_owned();
    assert!(out.contains("crm--bulk-import.toml)"), "{out}");
    assert!(
        out.contains("error[required] interface_summary"),
        "the second feature's gap: {out}"
    );
}

#[test]
fn a_document_is_not_saved_until_its_keys_name_a_safe_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    std::fs::create_dir_all(&root).unwrap();
    for (name, text, says) in [
        (
            "open.toml",
            COMPLETE.replace("epic_key = \"crm\"\n", ""),
            "\"Epic key\" (epic_key) is not answered",
        ),
        (
            "up.toml",
            COMPLETE.replace("epic_key = \"crm\"", "epic_key = \"..\""),
            "cannot name a folder",
        ),
        (
            "slash.toml",
            COMPLETE.replace("epic_key = \"crm\"", "epic_key = \"crm/../../x\""),
            "cannot name a folder",
        ),
    ] {
        std::fs::write(root.join(name), text).unwrap();
        bin(&root)
            .args(["render", "--answers", name, "--save"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
        // Without --save the documents still render, with the open key shown as a placeholder.
        bin(&root).args(["render", "--answers", name]).assert().success();
    }
    assert!(!root.join(".specflow/docs").exists(), "nothing was written");
}

#[test]
fn an_instance_does_not_save_once_its_keys_name_another_one() {
    let q = workflow();
    let opened = Arc::new(instance::resolved(&q, "crm--bulk-import").unwrap());
    let mut answers = instance::seed(&opened).unwrap();
    assert!(instance::check_saving(&opened, &answers).is_ok());
    answers.insert("feature_key".into(), Answer::Text("dedupe".into()));
    let problem = instance::check_saving(&opened, &answers).unwrap_err();
    assert!(
        problem.contains("the keys now name crm / dedupe, but this session is crm / bulk-import"),
        "{problem}"
    );
    // An unopened questionnaire with instances saves only once its keys are safe names.
    answers.insert("epic_key".into(), Answer::Text("../up".into()));
    assert!(
        instance::check_saving(&q, &answers)
            .unwrap_err()
            .contains("cannot name a folder")
    );
}
