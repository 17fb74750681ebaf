//! End-to-end tests of the diff reviewer: the real binary in a pseudo-terminal on two saved
//! revisions, walked with keys, a note and a request for changes recorded, and the terminal given back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::{ENTER, ENTER_ALT_SCREEN, Interview, Project, left_alternate_screen};

const DOC: &str = "D04-backend-architecture";
const REVISION_2: &str = ".specflow/history/D04-backend-architecture/0002";
const COMPLETE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/answers/d04-backend-architecture-complete.toml"
);

fn spec_interview(project: &Project) -> Command {
    let mut cmd = Command::cargo_bin("spec-interview").unwrap();
    cmd.arg("-C")
        .arg(&project.root)
        .env("HOME", &project.home)
        .env("XDG_CONFIG_HOME", &project.config)
        .env_remove("NO_COLOR");
    cmd
}

/// Saves the complete answers as revision 1 and, with `edited`, an edited copy as revision 2
/// (another database, another business goal).
fn project_with_revisions(edited: bool) -> Project {
    let project = Project::new();
    spec_interview(&project)
        .args(["render", "--answers", COMPLETE, "--save"])
        .assert()
        .success();
    if edited {
        let answers = std::fs::read_to_string(COMPLETE).unwrap();
        let changed = answers
            .replace(
                "database = \"PostgreSQL 16\"",
                "database = \"PostgreSQL 17 with a read replica\"",
            )
            .replace(
                "keep client ledgers in one place",
                "keep every client ledger and invoice in one place",
            );
        assert_ne!(changed, answers, "the edit changes the answers");
        let file = project.home.join("edited.toml");
        std::fs::write(&file, changed).unwrap();
        spec_interview(&project)
            .args(["render", "--answers"])
            .arg(&file)
            .arg("--save")
            .assert()
            .success();
    }
    project
}

/// The last row of the screen but one: the reviewer's status line.
fn status_line(app: &Interview) -> String {
    let screen = app.screen();
    let rows: Vec<&str> = screen.lines().collect();
    rows.get(38).copied().unwrap_or_default().to_string()
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `raw`.
fn sgr_parameters(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(at) = rest.find("\x1b[") {
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| ('\x40'..='\x7e').contains(&c))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            out.push(rest[..end].to_string());
        }
        rest = &rest[end..];
    }
    out
}

/// Whether SGR parameters set a foreground or background colour (30–49, 90–107, 38;… / 48;…).
fn sets_colour(parameters: &str) -> bool {
    parameters.split([';', ':']).any(|p| {
        p.parse::<u16>()
            .is_ok_and(|n| ((30..=49).contains(&n) && n != 39 && n != 49) || (90..=107).contains(&n))
    })
}

#[test]
fn a_request_for_changes_is_recorded_with_its_note() {
    let project = project_with_revisions(true);
    let mut app = Interview::start_with(&project, 120, 40, &["diff"]);
    let cooked = app.cooked.clone();
    app.wait_for_screen("Review");
    // The outline and the diff name the document's sections.
    app.wait_for_screen("## Context");
    app.wait_for_screen("1. API style and convent");
    app.wait_for_screen("5. Data access patterns");
    assert_ne!(app.modes(), cooked, "the reviewer runs with the terminal in raw mode");
    // 88 columns of diff pane next to the outline: unified to start with.
    app.wait_until("the status line to name the layout", |a| {
        status_line(a).contains("· unified")
    });

    app.send("n");
    app.wait_until("the cursor on a hunk", |a| status_line(a).contains("hunk 1/"));
    app.send("s");
    app.wait_until("the side-by-side layout", |a| status_line(a).contains("· side by side"));

    // The switch puts the cursor back on the section's heading: to the hunk again, where the
    // removed and the added line face each other (a note goes on the added one).
    app.send("n");
    app.wait_until("the cursor on the changed pair", |a| {
        a.screen()
            .lines()
            .any(|l| l.contains('▶') && l.contains("PostgreSQL 17"))
    });
    app.send("m");
    app.wait_for_screen("Enter keeps");
    app.send("Say why the replica is needed");
    app.wait_for_screen("Say why the replica is needed");
    app.send(ENTER);
    app.wait_until("the note to wait for a decision", |a| {
        status_line(a).contains("1 note waiting")
    });

    app.send("c");
    app.wait_for_screen("Request changes");
    app.send(ENTER);
    app.wait_until("the request for changes in the status line", |a| {
        status_line(a).contains("changes requested by")
    });
    let review = project.path(REVISION_2).join("review.toml");
    app.wait_for_file(&review);

    app.send("q");
    let status = app.wait_exit();
    assert_eq!(
        status.exit_code(),
        1,
        "the revisions differ: exit 1 ({status})\n{}",
        app.report()
    );
    left_alternate_screen(&app);
    assert_eq!(app.modes(), cooked, "the terminal is back in the mode it was in before");

    let text = std::fs::read_to_string(&review).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let decisions = table["decision"].as_array().unwrap();
    assert_eq!(decisions.len(), 1, "{text}");
    let decision = decisions[0].as_table().unwrap();
    assert_eq!(decision["verdict"].as_str(), Some("changes_requested"), "{text}");
    let notes = decision["note"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{text}");
    let note = notes[0].as_table().unwrap();
    assert_eq!(note["text"].as_str(), Some("Say why the replica is needed"), "{text}");
    let path: Vec<&str> = note["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        path.first().is_some_and(|top| top.starts_with("Ledgerline")) && path.len() >= 2,
        "the note names its heading path: {text}"
    );
    assert_eq!(path.last(), Some(&"Context"), "{text}");
    assert_eq!(
        note["quote"].as_str(),
        Some("**Database:** PostgreSQL 17 with a read replica"),
        "the note quotes the added line: {text}"
    );

    let listed = spec_interview(&project)
        .args(["list", "--revisions", DOC])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    assert!(out.contains("changes requested"), "{out}");
}

#[test]
fn no_color_keeps_the_marks_and_drops_the_colours() {
    let project = project_with_revisions(true);
    let mut app = Interview::start_with_env(&project, 120, 40, &["diff"], &[("NO_COLOR", "1")]);
    app.wait_for_screen("Review");
    app.send("n");
    app.wait_until("the cursor on a hunk", |a| status_line(a).contains("hunk 1/"));
    let screen = app.screen();
    let marked = |mark: char| {
        screen
            .lines()
            .any(|l| l.contains(&format!(" {mark} ")) && l.contains("PostgreSQL"))
    };
    assert!(
        marked('+') && marked('-'),
        "the changed lines carry + and - marks\n{}",
        app.report()
    );
    app.send("q");
    let status = app.wait_exit();
    assert_eq!(status.exit_code(), 1, "exit status {status}\n{}", app.report());
    let raw = app.raw();
    // The detector itself: a colour is seen, a reset to the default colours or bold is not.
    assert!(sets_colour("38;5;2") && sets_colour("1;48;2;40;40;40") && sets_colour("91"));
    assert!(!sets_colour("39;49") && !sets_colour("1") && !sets_colour("0"));
    let coloured: Vec<String> = sgr_parameters(&raw).into_iter().filter(|p| sets_colour(p)).collect();
    assert!(
        coloured.is_empty(),
        "no colour with NO_COLOR: {coloured:?}\n{}",
        app.report()
    );
}

#[test]
fn one_revision_is_a_clear_error_and_leaves_the_terminal_alone() {
    let project = project_with_revisions(false);
    let mut app = Interview::start_with(&project, 120, 40, &["diff"]);
    let cooked = app.cooked.clone();
    let status = app.wait_exit();
    assert_eq!(status.exit_code(), 2, "exit status {status}\n{}", app.report());
    let raw = app.raw();
    assert!(
        !raw.contains(ENTER_ALT_SCREEN),
        "the alternate screen is not entered\n{}",
        app.report()
    );
    assert!(!raw.contains("panicked"), "no panic\n{}", app.report());
    assert_eq!(app.modes(), cooked, "the terminal mode is untouched");
    let message = raw.trim();
    assert_eq!(message.lines().count(), 1, "one line: {message:?}");
    assert!(
        message.starts_with("spec-interview: ") && message.contains("only 1 revision") && message.ends_with('.'),
        "{message:?}"
    );
}

/// The reviewer waits for keys without waking up, yet a signal still ends it at once, the way
/// the program itself does it: back to the normal screen and mode, exit 128 + the signal.
#[test]
fn a_signal_ends_the_idle_reviewer_and_gives_the_terminal_back() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let project = project_with_revisions(true);
        let mut app = Interview::start_with(&project, 120, 40, &["diff"]);
        let cooked = app.cooked.clone();
        app.wait_for_screen("5. Data access patterns");
        app.signal(signal);
        let status = app.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + number,
            "SIG{signal} is handled by the reviewer ({status})\n{}",
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
