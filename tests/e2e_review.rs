//! End-to-end tests of the diff reviewer: the real binary in a pseudo-terminal on two saved
//! revisions, walked with keys, a note and a request for changes recorded, and the terminal given back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::{CTRL_S, ENTER, ENTER_ALT_SCREEN, Interview, Project, left_alternate_screen};

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
/// (another database, another rate limit: two hunks in two sections).
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
            .replace("600 requests per minute per user", "500 requests per minute per user");
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
    // 88 columns of diff pane next to the outline: unified to start with (said once the
    // opening notice is gone).
    app.wait_for_screen("Review gate: 0 of 3");
    app.send("k");
    app.wait_until("the status line to name the layout", |a| {
        status_line(a).contains("· unified")
    });

    app.send("n");
    app.wait_until("the cursor on a hunk", |a| status_line(a).contains("hunk 1/"));
    app.send("s");
    app.wait_until("the side-by-side layout", |a| status_line(a).contains("Side by side"));

    // The cursor keeps its line across the switch: it is still on the hunk, where the removed
    // and the added line face each other (a note goes on the added one).
    app.wait_until("the cursor on the changed pair", |a| {
        status_line(a).contains("hunk 1/")
            && a.screen()
                .lines()
                .any(|l| l.contains('▶') && l.contains("PostgreSQL 17"))
    });
    app.send("m");
    app.wait_for_screen("Ctrl-S keeps the note");
    app.send("Say why the replica is needed");
    app.wait_for_screen("Say why the replica is needed");
    app.send(CTRL_S);
    app.wait_until("the note to wait for a decision", |a| {
        status_line(a).contains("1 note waiting")
    });

    app.send("c");
    app.wait_for_screen("Request changes");
    app.send(ENTER);
    app.wait_until("the request for changes in the status line", |a| {
        status_line(a).contains("changes requested")
    });
    let review = project.path(REVISION_2).join("review.toml");
    app.wait_for_file(&review);

    app.send("q");
    let status = app.wait_exit();
    assert_eq!(
        status.exit_code(),
        0,
        "quitting the reviewer is a normal end: exit 0 ({status})\n{}",
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
    assert!(
        note["quote"]
            .as_str()
            .is_some_and(|q| q.starts_with("PostgreSQL 17 with a read replica.")),
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
    assert_eq!(status.exit_code(), 0, "exit status {status}\n{}", app.report());
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

/// The status line of a reviewer `rows` high.
fn status_of(app: &Interview, rows: u16) -> String {
    app.screen()
        .lines()
        .nth(usize::from(rows) - 2)
        .unwrap_or_default()
        .to_string()
}

/// Saves the complete answers changed by `edit` as the next revision.
fn save_revision(project: &Project, name: &str, edit: impl Fn(String) -> String) {
    let answers = std::fs::read_to_string(COMPLETE).unwrap();
    let changed = edit(answers);
    let file = project.home.join(name);
    std::fs::write(&file, changed).unwrap();
    spec_interview(project)
        .args(["render", "--answers"])
        .arg(&file)
        .args(["--save", "--overwrite"])
        .assert()
        .success();
}

/// The edits of revision 2 in the two-reviewer test, kept by the later revisions: another
/// database, another business goal, and Postmark's retries (a line of a multi-line answer).
fn revision_2(answers: &str) -> String {
    answers
        .replace(
            "database = \"PostgreSQL 16\"",
            "database = \"PostgreSQL 17 with a read replica\"",
        )
        .replace(
            "keep client ledgers in one place",
            "keep every client ledger and invoice in one place",
        )
        .replace("retried for 24 hours", "retried for 48 hours")
}

/// The screen line the cursor mark is on, from the mark on.
fn cursor_row(app: &Interview) -> String {
    let screen = app.screen();
    let line = screen.lines().find(|l| l.contains('▶')).unwrap_or_default();
    line[line.find('▶').unwrap_or(0)..].to_string()
}

/// Presses `key` until the cursor's row satisfies `done` (at most 40 times).
fn move_until(app: &mut Interview, key: &str, what: &str, done: impl Fn(&str) -> bool) {
    for _ in 0..40 {
        if done(&cursor_row(app)) {
            return;
        }
        let before = app.screen();
        app.send(key);
        app.wait_until("the cursor to move", |a| a.screen() != before);
        // A frame is written in pieces: read the cursor once the whole frame is there.
        let mut last = app.screen();
        loop {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let now = app.screen();
            if now == last {
                break;
            }
            last = now;
        }
    }
    panic!("never reached {what}\n{}", app.report());
}

#[test]
fn two_reviewers_in_two_terminals_and_notes_that_outlive_three_revisions() {
    let project = project_with_revisions(false);
    save_revision(&project, "r2.toml", |a| revision_2(&a));
    let (rows, cols) = (48, 160);
    let mut ada = Interview::start_with(&project, cols, rows, &["diff", "--reviewer", "Ada"]);
    let mut bob = Interview::start_with(&project, cols, rows, &["diff", "--reviewer", "Bob"]);
    for app in [&ada, &bob] {
        app.wait_for_screen("Review gate: 0 of 3 change requests since the last approval.");
    }
    ada.wait_for_screen("as Ada");
    bob.wait_for_screen("as Bob");

    // Ada: a note on the heading of Context (the cursor opens there) and one on a blank line
    // of it, not recorded yet.
    ada.wait_until("the cursor on Context", |a| {
        a.screen().lines().any(|l| l.contains("▶▾ ## Context"))
    });
    ada.send("m");
    ada.wait_for_screen("Ctrl-S keeps the note");
    ada.send("Context is thin");
    ada.send(CTRL_S);
    ada.wait_until("Ada's note waiting", |a| status_of(a, rows).contains("1 note waiting"));
    // Down to a blank line: the row shows only its line numbers.
    move_until(&mut ada, "j", "a blank line", |row| {
        row.trim_start_matches('▶').trim().chars().all(|c| c.is_ascii_digit()) && row.len() > 3
    });
    ada.send("m");
    ada.wait_for_screen("(a blank line)");
    ada.send("Too much space here");
    ada.send(CTRL_S);
    ada.wait_until("two notes waiting", |a| status_of(a, rows).contains("2 notes waiting"));

    // Bob: a note on the removed line (the older side), then a request for changes.
    move_until(&mut bob, "j", "Postmark's changed line", |row| {
        row.contains("Postmark down")
    });
    bob.send("\x1b[D");
    bob.wait_for_screen("On the older side");
    bob.send("m");
    bob.wait_for_screen("On revision 1 · ### Architecture drivers");
    bob.wait_for_screen("“Postmark down: emails wait in the job queue and are retried for 24 hours.");
    bob.send("Why only a day?");
    bob.send(CTRL_S);
    bob.wait_until("Bob's note waiting", |a| status_of(a, rows).contains("1 note waiting"));
    bob.send("c");
    bob.wait_for_screen("Request changes to revision 2 of D04-backend-architecture.md as Bob?");
    bob.wait_for_screen("This is request for changes 1 of 3");
    bob.send(ENTER);
    bob.wait_until("Bob's request recorded", |a| {
        status_of(a, rows).contains("changes requested")
    });

    // Ada sees it at once, her own notes still waiting.
    ada.wait_until("Bob's request in Ada's reviewer", |a| {
        a.screen().contains("changes requested by Bob")
    });
    ada.wait_until("Ada's notes still waiting", |a| {
        status_of(a, rows).contains("2 notes waiting")
    });
    assert!(
        ada.screen().contains("Ada, not recorded yet: Context is thin"),
        "{}",
        ada.report()
    );
    ada.send("c");
    ada.wait_for_screen("This is request for changes 2 of 3");
    ada.send(ENTER);
    ada.wait_until("Ada's request recorded", |a| status_of(a, rows).contains("gate 2/3"));
    bob.wait_until("Ada's request in Bob's reviewer", |a| {
        a.screen().contains("changes requested by Ada") && a.screen().contains("Ada on revision 2")
    });

    // A revision saved while Bob's revision list is open shows there.
    bob.send("r");
    bob.wait_for_screen("Choose the older revision");
    save_revision(&project, "r3.toml", |a| {
        revision_2(&a).replace("api_style = \"REST\"", "api_style = \"GraphQL\"")
    });
    bob.wait_until("revision 3 in the open list", |a| {
        a.screen().lines().any(|l| l.contains("   3  20"))
    });
    bob.send("\x1b");
    bob.wait_until("the list closed", |a| !a.screen().contains("Choose the older revision"));
    for app in [&mut ada, &mut bob] {
        app.send("q");
        let status = app.wait_exit();
        assert_eq!(
            status.exit_code(),
            0,
            "q ends the reviewer with 0 ({status})\n{}",
            app.report()
        );
    }

    // Two further revisions: the notes on the heading and the blank line follow their lines,
    // Bob's followed his line as it was rewritten (48 hours).
    let five = |a: String| {
        revision_2(&a)
            .replace("api_style = \"REST\"", "api_style = \"GraphQL\"")
            .replace("20 firms", "25 firms")
    };
    save_revision(&project, "r4.toml", five);
    save_revision(&project, "r5.toml", |a| five(a).replace("GraphQL", "gRPC"));
    let mut later = Interview::start_with(
        &project,
        cols,
        rows,
        &["diff", "--from", "4", "--to", "5", "--reviewer", "Cleo"],
    );
    // The gate shows on opening: two requests since the last approval.
    later.wait_for_screen("Review gate: 2 of 3 change requests since the last approval.");
    later.wait_until("Context counting its notes", |a| {
        a.screen()
            .lines()
            .any(|l| l.contains("## Context") && l.contains("✎ 2 notes"))
    });
    later.wait_until("the drivers counting Bob's note", |a| {
        a.screen()
            .lines()
            .any(|l| l.contains("### Architecture drivers") && l.contains("✎ 1 note"))
    });
    // ' goes from note to note, opening their sections.
    for _ in 0..3 {
        later.send("'");
    }
    later.wait_for_screen("Ada on revision 2: Context is thin");
    later.wait_for_screen("Ada on revision 2: Too much space here");
    later.wait_for_screen("Bob on revision 2: Why only a day?");
    later.send("q");
    assert_eq!(later.wait_exit().exit_code(), 0, "{}", later.report());

    // Once Postmark's line is gone from both sides, Bob's note is listed as outdated, with its
    // quote: never dropped.
    let without_postmark = |a: String| {
        let start = a.find("integration_dependencies = \"\"\"").unwrap();
        let end = start + a[start..].find("\"\"\"\n").unwrap() + 3;
        let mut a = a;
        a.replace_range(
            start..end + a[end..].find("\"\"\"").unwrap() + 3,
            "integration_dependencies = \"Stripe down: card payments fail fast.\"",
        );
        five(a)
    };
    save_revision(&project, "r6.toml", without_postmark);
    save_revision(&project, "r7.toml", |a| {
        without_postmark(a).replace("25 firms", "30 firms")
    });
    let mut last = Interview::start_with(&project, cols, rows, &["diff", "--reviewer", "Cleo"]);
    last.wait_for_screen("revision 6 → revision 7");
    last.wait_for_screen("✎ 1 outdated note");
    last.wait_for_screen("outdated · Bob on revision 2: Why only a day?");
    last.wait_for_screen("“Postmark down: emails wait in the job queue and are retried for 24");
    last.send("q");
    assert_eq!(last.wait_exit().exit_code(), 0, "{}", last.report());

    // The history lists both decisions, and the summary for a pull request quotes the notes.
    let listed = spec_interview(&project)
        .args(["list", "--revisions", DOC])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    assert!(out.contains("1. changes requested by Bob"), "{out}");
    assert!(out.contains("2. changes requested by Ada"), "{out}");
    let md = spec_interview(&project)
        .args(["diff", "--from", "1", "--to", "2", "--format", "markdown"])
        .assert()
        .code(1);
    let md = String::from_utf8_lossy(&md.get_output().stdout).into_owned();
    assert!(
        md.contains("> Postmark down: emails wait in the job queue and are retried for 24 hours."),
        "{md}"
    );
    assert!(md.contains("Why only a day?"), "{md}");
    assert!(md.contains("- **changes requested** by Ada"), "{md}");
}

#[test]
fn approving_your_own_revision_is_called_out_before_it_is_recorded() {
    let project = project_with_revisions(true);
    let record = std::fs::read_to_string(project.path(REVISION_2).join("revision.toml")).unwrap();
    let table: toml::Table = record.parse().unwrap();
    let author = table["author"].as_str().unwrap().to_string();
    let mut app = Interview::start_with(&project, 120, 40, &["diff", "--reviewer", &author]);
    app.wait_for_screen("Review gate");
    app.send("a");
    app.wait_for_screen("this approves your own");
    app.wait_for_screen("not marked viewed");
    // Enter does not record it; y does.
    app.send(ENTER);
    app.wait_for_screen("y records it even so");
    assert!(!project.path(REVISION_2).join("review.toml").exists());
    app.send("y");
    app.wait_until("the approval recorded", |a| status_line(a).contains("approved by"));
    app.send("q");
    assert_eq!(app.wait_exit().exit_code(), 0, "{}", app.report());
    let text = std::fs::read_to_string(project.path(REVISION_2).join("review.toml")).unwrap();
    assert!(text.contains("verdict = \"approved\""), "{text}");
}

#[test]
fn esc_never_quits_the_reviewer() {
    let project = project_with_revisions(true);
    let mut app = Interview::start_with(&project, 80, 24, &["diff", "--reviewer", "Ada"]);
    app.wait_for_screen("Review gate");
    // The key bar at 80 columns keeps the review keys.
    app.wait_until("the key bar", |a| {
        let last = a.screen().lines().last().unwrap_or_default().to_string();
        [" r ", " m ", " a ", " c ", " F1 "]
            .iter()
            .all(|k| format!("{last} ").contains(k))
    });
    // Each Esc on its own (an Esc right before another key reads as Alt and that key).
    for _ in 0..3 {
        app.send("\x1b");
        app.wait_for_screen("Nothing to close: q quits.");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    app.send("F");
    app.wait_until("the notice gone", |a| !a.screen().contains("Nothing to close"));
    app.send("q");
    assert_eq!(app.wait_exit().exit_code(), 0, "{}", app.report());
}

#[test]
fn a_decision_recorded_elsewhere_shows_once_and_the_reviewer_goes_back_to_sleep() {
    use spec_interview::core::fsio::Project as Root;
    use spec_interview::core::history::History;
    use spec_interview::core::review::{ReviewDecision, Verdict};
    let project = project_with_revisions(true);
    let app = Interview::start_with(&project, 120, 40, &["diff", "--reviewer", "Ada"]);
    app.wait_for_screen("Review gate");
    let history = History::open(&Root::new(&project.root), ".specflow/docs/D04-backend-architecture.md");
    history
        .record_decision(&ReviewDecision {
            revision: 2,
            verdict: Verdict::Approved,
            reviewer: "Bob".into(),
            time: "2026-11-21T09:00:00Z".into(),
            notes: Vec::new(),
        })
        .unwrap();
    app.wait_until("Bob's approval shown", |a| a.screen().contains("approved by Bob"));
    // Reading the history again is not a change: nothing more is drawn while nothing happens.
    std::thread::sleep(std::time::Duration::from_millis(600));
    let mark = app.mark();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        app.raw_since(mark).is_empty(),
        "the reviewer kept drawing: {:?}\n{}",
        app.raw_since(mark),
        app.report()
    );
}
