//! End-to-end tests of signals and hang-ups: the real binary in a pseudo-terminal gets SIGTERM,
//! SIGHUP or SIGINT, or loses its terminal, right after keys were typed, and must leave the
//! typed text on disk, give the terminal back (when there still is one) and end by itself. The
//! waits have generous deadlines that only catch a program that hangs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FIRST_PROMPT, Interview, Project, SESSION, left_alternate_screen, lookup};

/// Whether the session holds `text` as the first question's draft or answer.
fn session_holds(project: &Project, text: &str) -> bool {
    if !project.path(SESSION).exists() {
        return false;
    }
    let session = project.session();
    [
        ["session", "drafts", "project_name"].as_slice(),
        ["answers", "project_name"].as_slice(),
    ]
    .iter()
    .filter_map(|keys| lookup(&session, keys))
    .any(|t| t.contains(text))
}

/// Types `first`, waits for the autosave to write it, then types `second` and waits until it is
/// drawn: what `second` adds is in the program alone, not on disk yet.
fn type_past_the_autosave(project: &Project, app: &mut Interview, first: &str, second: &str) {
    app.wait_for_screen(FIRST_PROMPT);
    app.send(first);
    app.wait_until("the autosave", |_| session_holds(project, first));
    app.send(second);
    app.wait_for_screen(&format!("{first}{second}"));
    if session_holds(project, &format!("{first}{second}")) {
        eprintln!("note: the autosave came before the signal; the flush on the signal is not what wrote it");
    }
}

/// SIGTERM, SIGHUP and SIGINT from outside: the text typed since the last autosave is written,
/// the terminal is back in its mode on the normal screen, and the program says why it stopped
/// and exits 128 + the signal.
#[test]
fn every_signal_flushes_what_was_typed_since_the_autosave_and_restores_the_terminal() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let project = Project::new();
        let mut app = Interview::start(&project, 120, 40);
        let cooked = app.cooked.clone();
        type_past_the_autosave(&project, &mut app, "Osprey", " Tern");
        app.signal(signal);
        let status = app.wait_exit();
        assert_eq!(status.signal(), None, "SIG{signal} is handled\n{}", app.report());
        assert_eq!(
            status.exit_code(),
            128 + number,
            "SIG{signal}: exit status {status}\n{}",
            app.report()
        );
        let left = left_alternate_screen(&app);
        assert!(
            app.raw()[left..].contains(&format!("stopped by signal {number}; the session was saved first")),
            "SIG{signal}: it says why it stopped\n{}",
            app.report()
        );
        assert_eq!(app.modes(), cooked, "SIG{signal}: the terminal mode is restored");
        assert!(
            session_holds(&project, "Osprey Tern"),
            "SIG{signal}: the text typed before the signal is in the session: {:#?}",
            project.session()
        );
    }
}

/// Closing the terminal (its window, or the ssh connection): the program's terminal hangs up.
/// It used to spin reading the end of the file for two seconds and lose what was typed in the
/// last second; now it writes it and ends.
#[test]
fn a_terminal_that_hangs_up_ends_the_interview_with_the_typed_text_on_disk() {
    let project = Project::new();
    let mut app = Interview::start(&project, 120, 40);
    type_past_the_autosave(&project, &mut app, "Kestrel", " Merlin");
    app.hang_up();
    let status = app.wait_exit();
    assert_eq!(
        status.exit_code(),
        129,
        "a hang-up ends the interview as SIGHUP does ({status})"
    );
    assert!(
        session_holds(&project, "Kestrel Merlin"),
        "the text typed before the hang-up is in the session: {:#?}",
        project.session()
    );
}

/// A signal while an external editor has the terminal: the interview is waiting for the editor,
/// not for keys, so it cannot flush by itself. It is not kept waiting: what was typed before
/// the editor started is written, and the program ends without waiting for the editor.
#[test]
fn a_signal_while_an_external_editor_runs_does_not_wait_for_the_editor() {
    let project = Project::new();
    // An editor that takes its time.
    let mut app = Interview::start_with_env(&project, 120, 40, &[], &[("VISUAL", "sleep 4; true")]);
    type_past_the_autosave(&project, &mut app, "Heron", " Egret");
    let mark = app.mark();
    app.send("\x05");
    // The interview gives the terminal to the editor: it leaves the alternate screen.
    app.wait_until("the editor to start", |i| {
        i.raw_since(mark).contains(common::LEAVE_ALT_SCREEN)
    });
    app.signal("TERM");
    let status = app.wait_exit();
    assert_eq!(status.exit_code(), 143, "exit status {status}\n{}", app.report());
    assert!(
        session_holds(&project, "Heron Egret"),
        "the text typed before the editor started is in the session: {:#?}",
        project.session()
    );
}
