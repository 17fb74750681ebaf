//! Sessions that outlive their questionnaire or their file: migration, damaged and newer files,
//! starting fresh, answers kept aside and copied back. No terminal needed.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::fsio::Project;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::tui::app;
use spec_interview::tui::model::{Model, Overlay};
use spec_interview::tui::theme::Theme;
use spec_interview::tui::update::{Effect, Msg, update};

fn d04() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN[0];
    Arc::new(parse(Path::new(path), text).unwrap())
}

fn session_path(dir: &Path) -> std::path::PathBuf {
    dir.join(".specflow/sessions/d04-backend-architecture.toml")
}

fn write_session(dir: &Path, text: &str) {
    let path = session_path(dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn open(dir: &Path, q: &Arc<Questionnaire>, fresh: bool) -> Model {
    app::prepare(Project::new(dir), q, Theme::monochrome(), fresh).unwrap()
}

/// Runs the session writes an update asks for, like the shell does.
fn send(model: &mut Model, code: KeyCode, modifiers: KeyModifiers) {
    let effects = update(model, Msg::Key(KeyEvent::new(code, modifiers)));
    for e in effects {
        if let Effect::WriteSession(file) = e {
            app::write_session(model, *file).unwrap();
        }
    }
}

fn backups(dir: &Path, kind: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir.join(".specflow/sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains(&format!(".toml.{kind}-"))
        })
        .collect()
}

#[test]
fn a_changed_questionnaire_migrates_the_session_and_keeps_what_no_longer_fits() {
    let dir = tempfile::tempdir().unwrap();
    let q = d04();
    // Written by an older questionnaire: one question since renamed, one answer no longer an
    // option, and a question list without `cors` (new since).
    let ids: Vec<String> = q
        .questions()
        .map(|x| format!("\"{}\"", x.id))
        .filter(|i| i != "\"cors\"")
        .collect();
    write_session(
        dir.path(),
        &format!(
            "schema = 1\n[answers]\nproject_name = \"Ledgerline\"\nservice_name = \"old id\"\napi_style = 7\n\
             [session]\nfocus = \"service_name\"\nquestions = [{}]\n",
            ids.join(", ")
        ),
    );
    let mut model = open(dir.path(), &q, false);
    let notice = model.notice.clone().unwrap().text;
    assert!(
        notice.contains("The questionnaire changed since this session"),
        "{notice}"
    );
    assert!(notice.contains("1 new question (cors)"), "{notice}");
    assert!(
        notice.contains("2 answers kept aside") && notice.contains("service_name"),
        "{notice}"
    );
    assert_eq!(
        model.answers.get("project_name"),
        Some(&Answer::Text("Ledgerline".into()))
    );
    assert_eq!(
        model.focus, "project_name",
        "an unknown focus falls back to the first question"
    );
    assert_eq!(model.kept.len(), 2);

    // Kept answers survive the next write, and can be copied into a question (Ctrl-K, Enter).
    send(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    let text = std::fs::read_to_string(session_path(dir.path())).unwrap();
    assert!(
        text.contains("[session.kept]") && text.contains("service_name = \"old id\""),
        "{text}"
    );
    send(&mut model, KeyCode::Char('k'), KeyModifiers::CONTROL);
    assert!(matches!(model.overlay, Some(Overlay::Picker { .. })));
    // api_style is a choice: the kept text lands in its filter.
    send(&mut model, KeyCode::Enter, KeyModifiers::NONE);
    assert!(model.notice.as_ref().unwrap().text.contains("Copied the kept answer"));

    // A kept answer whose question comes back (it fits again) is restored, not duplicated.
    let text = std::fs::read_to_string(session_path(dir.path())).unwrap();
    write_session(
        dir.path(),
        &text.replace("service_name = \"old id\"", "runtime = \"Go\""),
    );
    let model = open(dir.path(), &q, false);
    assert_eq!(model.answers.get("runtime"), Some(&Answer::Text("Go".into())));
    assert!(model.notice.unwrap().text.contains("1 kept answer restored (runtime)"));
    assert!(!model.kept.contains_key("runtime"));
}

#[test]
fn a_damaged_session_is_moved_aside_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = "schema = 1\n[answers\nproject_name = \"Ledgerline\"\n";
    write_session(dir.path(), damaged);
    let model = open(dir.path(), &d04(), false);
    let Some(Overlay::Alert { lines }) = &model.overlay else {
        panic!("expected an alert")
    };
    assert!(
        lines[0].contains("cannot be read") && lines[0].contains(":2:"),
        "{lines:?}"
    );
    let moved = backups(dir.path(), "damaged");
    assert_eq!(moved.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&moved[0]).unwrap(),
        damaged,
        "kept byte for byte"
    );
    assert!(!session_path(dir.path()).exists(), "nothing written over it");
    assert!(model.answers.is_empty(), "a fresh start");
    // The alert must be read: Ctrl-S does not pass it, Enter closes it.
    let mut model = model;
    send(&mut model, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(model.overlay.is_some());
    send(&mut model, KeyCode::Enter, KeyModifiers::NONE);
    assert!(model.overlay.is_none());
}

#[test]
fn unfinished_choices_and_tables_are_in_every_session_write() {
    let dir = tempfile::tempdir().unwrap();
    let q = d04();
    let mut model = open(dir.path(), &q, false);
    model.focus = "auth_method".into();
    model.editor = model.open_editor("auth_method");
    send(&mut model, KeyCode::Char(' '), KeyModifiers::NONE);
    // Not committed (no Enter, no Tab), yet an autosave or a SIGHUP flush keeps the tick.
    let file = model.session_file();
    assert_eq!(file.answers.get("auth_method"), Some(&Answer::List(vec!["JWT".into()])));
}

#[test]
fn a_draft_for_a_question_that_is_gone_is_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    write_session(
        dir.path(),
        "schema = 1\n[answers]\n[session.drafts]\nold_question = \"half typed\"\n",
    );
    let model = open(dir.path(), &d04(), false);
    assert_eq!(
        model.kept.get("old_question.draft"),
        Some(&toml::Value::String("half typed".into()))
    );
    assert!(model.notice.unwrap().text.contains("old_question"));
}

#[test]
fn a_session_from_a_newer_version_is_kept_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write_session(
        dir.path(),
        "schema = 99\n[answers]\nproject_name = \"From the future\"\n",
    );
    let model = open(dir.path(), &d04(), false);
    let Some(Overlay::Alert { lines }) = &model.overlay else {
        panic!("expected an alert")
    };
    assert!(lines[0].contains("newer spec-interview"), "{lines:?}");
    assert_eq!(backups(dir.path(), "newer").len(), 1);
    assert!(model.answers.is_empty());
}

#[test]
fn fresh_starts_over_and_keeps_the_old_session_as_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    write_session(dir.path(), "schema = 1\n[answers]\nproject_name = \"Old\"\n");
    let model = open(dir.path(), &d04(), true);
    assert!(model.answers.is_empty());
    assert!(
        model
            .notice
            .unwrap()
            .text
            .starts_with("Started fresh; the previous session is kept in")
    );
    let moved = backups(dir.path(), "backup");
    assert_eq!(moved.len(), 1);
    assert!(
        std::fs::read_to_string(&moved[0])
            .unwrap()
            .contains("project_name = \"Old\"")
    );
}

#[test]
fn the_text_cursor_comes_back_and_the_preview_follows_the_answer_again() {
    let dir = tempfile::tempdir().unwrap();
    let q = d04();
    let mut model = open(dir.path(), &q, false);
    for c in "Ledgerline".chars() {
        send(&mut model, KeyCode::Char(c), KeyModifiers::NONE);
    }
    send(&mut model, KeyCode::Left, KeyModifiers::NONE);
    send(&mut model, KeyCode::Left, KeyModifiers::NONE);
    send(&mut model, KeyCode::PageDown, KeyModifiers::NONE);
    let file = model.session_file();
    app::write_session(&model, file).unwrap();
    let mut again = open(dir.path(), &q, false);
    send(&mut again, KeyCode::Char('X'), KeyModifiers::NONE);
    let doc = &again.derived.documents[0].text;
    assert!(
        doc.starts_with("# LedgerliXne"),
        "typing goes where the cursor was: {doc}"
    );
    // A scroll position from another window size would show the wrong place: after a resume
    // the preview follows the answer.
    assert_eq!(again.preview_scroll, None);
}
