//! End-to-end tests of the full-screen interview: the real binary in a pseudo-terminal, driven
//! with keystrokes, asserting on what it draws, the files it writes, how it exits and whether it
//! gives the terminal back. Every wait polls for a condition with a deadline; nothing sleeps for
//! a fixed time, so a loaded machine only makes the tests slower, not flaky.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    CLEAR_SCREEN, CTRL_Q, CTRL_S, ENTER, ENTER_ALT_SCREEN, FIRST_PROMPT, Interview, LEAVE_ALT_SCREEN, Project, TAB,
    left_alternate_screen, lookup, typed_text_survives_signal,
};

const DOC: &str = ".specflow/docs/D04-backend-architecture.md";
const REVISION_1: &str = ".specflow/history/D04-backend-architecture/0001";

// ───────────────────────────── tests ─────────────────────────────

#[test]
fn answers_save_and_quit() {
    let project = Project::new();
    let mut app = Interview::start(&project, 120, 40);
    app.wait_for_screen(FIRST_PROMPT);
    let cooked = app.cooked.clone();
    assert_ne!(app.modes(), cooked, "the interview runs with the terminal in raw mode");

    app.send(&format!("Ledgerline{ENTER}"));
    app.send(&format!("REST{ENTER}"));
    app.send(&format!("Go 1.23{ENTER}"));
    app.send(&format!("PostgreSQL 16{ENTER}"));
    app.send(CTRL_S);
    // Ctrl-S shows what will be saved; Enter saves it.
    app.wait_for_screen("first revision");
    assert!(!project.path(DOC).exists(), "nothing is written before Enter");
    app.send(ENTER);
    app.wait_for_file(&project.path(DOC));
    app.wait_for_screen("as revision 1");
    app.send(CTRL_Q);
    let status = app.wait_exit();
    let raw = app.raw();

    assert!(status.success(), "exit status {status}\n{}", app.report());
    let entered = raw
        .find(ENTER_ALT_SCREEN)
        .unwrap_or_else(|| panic!("never entered the alternate screen\n{}", app.report()));
    let left = raw[entered..]
        .find(LEAVE_ALT_SCREEN)
        .unwrap_or_else(|| panic!("never left the alternate screen\n{}", app.report()));
    assert!(
        raw[entered + left..].contains("Answers saved in"),
        "the goodbye on stderr comes after leaving the alternate screen\n{}",
        app.report()
    );
    assert_eq!(app.modes(), cooked, "the terminal is back in the mode it was in before");

    let doc = std::fs::read_to_string(project.path(DOC)).unwrap();
    assert!(doc.starts_with("# Ledgerline"), "the document's title:\n{doc}");
    assert!(doc.contains("REST"), "the API style is in the document:\n{doc}");
    assert!(doc.contains("Go 1.23"), "the runtime is in the document:\n{doc}");
    assert!(doc.contains("PostgreSQL 16"), "the database is in the document:\n{doc}");

    let session = project.session();
    assert_eq!(
        lookup(&session, &["answers", "project_name"]),
        Some("Ledgerline"),
        "{session:#?}"
    );
    assert_eq!(
        lookup(&session, &["answers", "api_style"]),
        Some("REST"),
        "{session:#?}"
    );
    assert_eq!(
        lookup(&session, &["answers", "runtime"]),
        Some("Go 1.23"),
        "{session:#?}"
    );
    assert_eq!(
        lookup(&session, &["answers", "database"]),
        Some("PostgreSQL 16"),
        "{session:#?}"
    );

    let revision = project.path(REVISION_1);
    assert!(revision.is_dir(), "{} is a folder", revision.display());
    let kept = std::fs::read_to_string(revision.join("document.md")).unwrap();
    assert_eq!(kept, doc, "the revision keeps the document as saved");
}

#[test]
fn resume_after_restart() {
    let project = Project::new();

    let mut first = Interview::start(&project, 120, 40);
    first.wait_for_screen(FIRST_PROMPT);
    first.send(&format!("Ledgerline{TAB}"));
    first.wait_for_screen("Which API style");
    first.send(CTRL_Q);
    let status = first.wait_exit();
    assert!(status.success(), "first run: exit status {status}\n{}", first.report());
    let session = project.session();
    assert_eq!(
        lookup(&session, &["answers", "project_name"]),
        Some("Ledgerline"),
        "{session:#?}"
    );
    drop(first);

    let mut second = Interview::start(&project, 120, 40);
    second.wait_for_screen("Resumed session");
    // Back where it was left: on the question after the one answered.
    assert!(
        second.screen().contains("Which API style"),
        "resumed at the last question\n{}",
        second.report()
    );
    second.send(CTRL_Q);
    let status = second.wait_exit();
    assert!(
        status.success(),
        "second run: exit status {status}\n{}",
        second.report()
    );
    let session = project.session();
    assert_eq!(
        lookup(&session, &["answers", "project_name"]),
        Some("Ledgerline"),
        "{session:#?}"
    );
}

#[test]
fn sigterm_flushes_and_restores() {
    let project = Project::new();
    let mut app = Interview::start(&project, 120, 40);
    typed_text_survives_signal(&project, &mut app, "TERM", 15, "Half");
}

/// `kill -INT` (not Ctrl-C, which is a key in raw mode) ends the interview like SIGTERM does.
#[test]
fn sigint_flushes_and_restores() {
    let project = Project::new();
    let mut app = Interview::start(&project, 120, 40);
    typed_text_survives_signal(&project, &mut app, "INT", 2, "Kestrel");
}

/// The interview waits for keys without waking up while nothing is pending (no autosave due); a
/// signal still ends it at once, the way the program itself does it: back to the normal screen
/// and mode, saying why, exit 128 + the signal.
#[test]
fn a_signal_ends_the_idle_interview_and_gives_the_terminal_back() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let project = Project::new();
        let mut app = Interview::start(&project, 120, 40);
        let cooked = app.cooked.clone();
        app.wait_for_screen(FIRST_PROMPT);
        app.signal(signal);
        let status = app.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + number,
            "SIG{signal} is handled by the interview ({status})\n{}",
            app.report()
        );
        let left = left_alternate_screen(&app);
        assert!(
            app.raw()[left..].contains(&format!("signal {number}")),
            "it says why it stopped\n{}",
            app.report()
        );
        assert_eq!(app.modes(), cooked, "the terminal is back in the mode it was in before");
    }
}

/// Ctrl-C in an external editor reaches the interview too, as SIGINT to the terminal's whole
/// process group: it is the editor's key, so the interview carries on with the edited answer.
#[test]
fn ctrl_c_in_the_external_editor_belongs_to_the_editor() {
    let project = Project::new();
    // An editor that gets Ctrl-C (SIGINT to its process group, as the terminal sends it), then saves.
    let editor = "trap '' INT; kill -INT 0; sleep 0.5; printf Osprey >";
    let mut app = Interview::start_with_env(&project, 120, 40, &[], &[("VISUAL", editor)]);
    app.wait_for_screen(FIRST_PROMPT);
    app.send("\x05");
    app.wait_for_screen("Osprey");
    app.send(CTRL_Q);
    let status = app.wait_exit();
    assert!(
        status.success(),
        "the interview went on and quit normally ({status})\n{}",
        app.report()
    );
}

#[test]
fn tiny_terminal_does_not_panic() {
    let project = Project::new();
    let mut app = Interview::start(&project, 20, 6);
    app.wait_for_screen("Enlarge");

    // Wait until it has laid out for each size, so that no size is skipped.
    let mark = app.mark();
    app.resize(1, 1);
    app.wait_until("a redraw at 1×1", |i| i.raw_since(mark).contains(CLEAR_SCREEN));
    let mark = app.mark();
    app.resize(120, 40);
    app.wait_until("a redraw at 120×40", |i| i.raw_since(mark).contains(CLEAR_SCREEN));
    app.wait_for_screen(FIRST_PROMPT);

    app.send(CTRL_Q);
    let status = app.wait_exit();
    let raw = app.raw();
    assert!(status.success(), "exit status {status}\n{}", app.report());
    assert!(!raw.contains("panicked"), "no panic\n{}", app.report());
}

#[test]
fn ctrl_z_with_no_shell_to_return_to_says_so_and_keeps_going() {
    // The test starts the interview directly in a pseudo-terminal, as a multiplexer running it
    // as its command does: no job-control shell, so the kernel discards the stop.
    let project = Project::new();
    let mut app = Interview::start(&project, 120, 40);
    app.wait_for_screen(FIRST_PROMPT);
    app.send("\x1a");
    app.wait_for_screen("no shell to return to");
    app.send("Ledgerline");
    app.wait_for_screen("Ledgerline: backend architecture");
    app.send(CTRL_Q);
    assert!(app.wait_exit().success());
}
