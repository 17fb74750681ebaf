//! End-to-end tests of crash safety and of the one-writer lock: the real binary in a
//! pseudo-terminal, killed at random moments, hung up on, and started twice on one project.
//! Every wait polls for a condition with a deadline; the only sleeps are the short random
//! delays before a kill, which are what the crash test is about.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    CTRL_Q, ENTER, ENTER_ALT_SCREEN, FIRST_PROMPT, Interview, LEAVE_ALT_SCREEN, POLL, Project, SESSION, TAB, lookup,
    typed_text_survives_signal,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

const SESSIONS_DIR: &str = ".specflow/sessions";
const LOCK: &str = ".specflow/sessions/d04-backend-architecture.lock";
const SESSION_NAME: &str = "d04-backend-architecture.toml";
const LOCK_NAME: &str = "d04-backend-architecture.lock";

const COLS: u16 = 120;
const ROWS: u16 = 40;
/// Generous: a debug build on a loaded two-core machine.
const DEADLINE: Duration = Duration::from_secs(20);

/// What the status line says when the previous holder of the lock died without releasing it.
const TOOK_OVER: &str = "Took over the session from pid";
/// The second question's prompt: the screen a session resumed after the first answer shows.
const SECOND_PROMPT: &str = "Which API style";

// ───────────────────────────── helpers ─────────────────────────────

/// `spec-interview -C <project> <args>` in a 120×40 terminal, with the long deadline.
fn start(project: &Project, args: &[&str]) -> Interview {
    let mut app = Interview::start_with(project, COLS, ROWS, args);
    app.timeout = DEADLINE;
    app
}

/// The session file, parsed, if there is one; fails the test if it is not valid TOML.
fn session_if_any(project: &Project) -> Option<toml::Table> {
    project.path(SESSION).exists().then(|| project.session())
}

/// The text of the lock file ("pid N on HOST since TIME" while held, empty when released).
fn lock_text(project: &Project) -> String {
    std::fs::read_to_string(project.path(LOCK)).unwrap()
}

/// Every string under `[answers]`, however the answers nest them.
fn answer_strings(session: &toml::Table) -> Vec<String> {
    fn collect(value: &toml::Value, out: &mut Vec<String>) {
        match value {
            toml::Value::String(s) => out.push(s.clone()),
            toml::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            toml::Value::Table(t) => t.values().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(answers) = session.get("answers") {
        collect(answers, &mut out);
    }
    out
}

fn has_answer_containing(session: &toml::Table, token: &str) -> bool {
    answer_strings(session).iter().any(|s| s.contains(token))
}

/// The kinds of the built-in questionnaire's questions, by id, as the binary itself reports them.
fn question_kinds() -> BTreeMap<String, String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spec-interview"))
        .args(["show", "d04-backend-architecture", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "show failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut kinds = BTreeMap::new();
    for section in json["sections"].as_array().unwrap() {
        for q in section["questions"].as_array().unwrap() {
            kinds.insert(
                q["id"].as_str().unwrap().to_string(),
                q["kind"].as_str().unwrap().to_string(),
            );
        }
    }
    kinds
}

/// The last switch between screens in `raw` is back to the normal screen.
fn left_alternate_screen(raw: &str) -> bool {
    match (raw.rfind(ENTER_ALT_SCREEN), raw.rfind(LEAVE_ALT_SCREEN)) {
        (Some(entered), Some(left)) => entered < left,
        _ => false,
    }
}

/// A small deterministic pseudo-random sequence (Knuth's MMIX LCG, its output scrambled so that
/// nearby seeds differ), so a failing round can be replayed from its printed seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// When a round sends SIGKILL, after the answer's Enter (or Tab) was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Timing {
    /// At once: the Enter's commit, and so the session write, is certainly not done yet.
    Immediate,
    /// After a random 0–150 ms; half the time 0–40 ms, where the session write usually is.
    Random,
    /// After a random 250–450 ms: long enough that the answer must have been written.
    Late,
}

/// One answer typed in the crash test.
struct Typed {
    round: usize,
    seed: u64,
    question: String,
    token: String,
    timing: Timing,
    /// From the Enter to the SIGKILL, as measured here (the real gap is at least this long).
    gap: Duration,
    /// The session file held it after the kill.
    saved: bool,
}

/// An answer committed this long before SIGKILL must be in the session afterwards.
const MUST_BE_SAVED_AFTER: Duration = Duration::from_millis(200);
const ROUNDS: usize = 24;

// ───────────────────────────── tests ─────────────────────────────

#[test]
fn sigkill_at_random_moments_loses_no_committed_answer() {
    let base_seed: u64 = std::env::var("SPEC_E2E_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_0004);
    eprintln!("crash test: base seed {base_seed} (set SPEC_E2E_SEED to replay another)");
    let kinds = question_kinds();
    let project = Project::new();
    let mut typed: Vec<Typed> = Vec::new();
    // Answers the session file has held at some point: from then on it must always hold them.
    let mut ever_saved: BTreeSet<String> = BTreeSet::new();
    let mut checked = 0usize;
    let mut lost: Vec<String> = Vec::new();
    let mut previous_pid: Option<u32> = None;

    for round in 0..ROUNDS {
        let seed = base_seed.wrapping_add(round as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut rng = Lcg(seed);
        let timing = match round % 4 {
            1 => Timing::Immediate,
            3 => Timing::Late,
            _ => Timing::Random,
        };
        let delay = Duration::from_millis(match timing {
            Timing::Immediate => 0,
            Timing::Random if rng.below(2) == 0 => rng.below(41),
            Timing::Random => rng.below(151),
            Timing::Late => 250 + rng.below(201),
        });
        let extra = timing != Timing::Immediate && rng.below(3) == 0;

        let mut app = start(&project, &[]);
        match previous_pid {
            None => app.wait_for_screen(FIRST_PROMPT),
            // SIGKILL left the lock file naming the dead holder; the OS released the lock.
            Some(pid) => app.wait_for_screen(&format!("{TOOK_OVER} {pid}")),
        }

        // Move on to a question that takes typed text, answering the others on the way; each
        // step is confirmed by the session file, which records the focus on every move.
        let token = format!("r{round:02}x");
        let mut steps = 0;
        let question = loop {
            let focus = session_if_any(&project)
                .and_then(|s| lookup(&s, &["session", "focus"]).map(str::to_string))
                .unwrap_or_else(|| "project_name".to_string());
            let kind = kinds
                .get(&focus)
                .unwrap_or_else(|| panic!("round {round}: the focus {focus:?} is no question of D04"));
            let keys = match (kind.as_str(), focus.as_str()) {
                ("text" | "checklist", _) => {
                    app.send(&format!("{token}{ENTER}"));
                    break focus;
                }
                // Enter is a new line there; Tab keeps the text and moves on.
                ("multiline", _) => {
                    app.send(&format!("{token}{TAB}"));
                    break focus;
                }
                // Typing filters the options, Enter chooses. (No Esc to clear the filter first:
                // an Esc with another key in the same read is taken for Alt and that key.)
                ("choice", "api_style") => format!("rest{ENTER}"),
                // Filter, tick with Space; Enter on a ticked option goes on.
                ("multi_choice", "auth_method") => format!("jwt {ENTER}"),
                _ => TAB.to_string(),
            };
            app.send(&keys);
            app.wait_until(&format!("round {round}: the session to move on from {focus}"), |_| {
                session_if_any(&project).is_some_and(|s| lookup(&s, &["session", "focus"]).is_some_and(|f| f != focus))
            });
            steps += 1;
            assert!(steps < kinds.len(), "round {round}: no text question found");
        };
        let sent = Instant::now();
        if extra {
            let half = delay / 2;
            thread::sleep(half);
            // Typed into the next question, never committed: it may be lost, and that is fine.
            app.send("qqz");
            thread::sleep(delay.saturating_sub(half));
        } else {
            thread::sleep(delay);
        }
        let gap = sent.elapsed();
        app.signal("KILL");
        let status = app.wait_exit();
        assert!(
            status.signal().is_some(),
            "round {round}: the program was killed, yet it exited with {status}\n{}",
            app.report()
        );
        previous_pid = Some(app.pid());
        drop(app);

        // Every write is whole: the file, if any, is valid TOML (session_if_any fails if not).
        let session = session_if_any(&project);
        for token in &ever_saved {
            checked += 1;
            if !session.as_ref().is_some_and(|s| has_answer_containing(s, token)) {
                lost.push(format!(
                    "{token} (was in the session file, missing after round {round})"
                ));
            }
        }
        let saved = session.as_ref().is_some_and(|s| has_answer_containing(s, &token));
        if let Some(session) = &session {
            for t in &typed {
                if has_answer_containing(session, &t.token) {
                    ever_saved.insert(t.token.clone());
                }
            }
        }
        if saved {
            ever_saved.insert(token.clone());
        }
        eprintln!(
            "round {round:2}: seed {seed:#018x} {question:<26} {token} {timing:<9} delay {:>3} ms, \
             killed {:>3} ms after the Enter{}: {}",
            delay.as_millis(),
            gap.as_millis(),
            if extra { " (typed more after it)" } else { "" },
            if saved { "saved" } else { "not saved" },
            timing = format!("{timing:?}"),
        );
        typed.push(Typed {
            round,
            seed,
            question,
            token,
            timing,
            gap,
            saved,
        });
    }

    // A last clean run: it resumes, then quits and writes the session once more.
    let mut app = start(&project, &[]);
    app.wait_for_screen(&format!("{TOOK_OVER} {}", previous_pid.unwrap()));
    let calm = Instant::now() + Duration::from_secs(1);
    while Instant::now() < calm {
        thread::sleep(POLL);
    }
    app.send(CTRL_Q);
    let status = app.wait_exit();
    assert!(status.success(), "final run: exit status {status}\n{}", app.report());
    drop(app);

    let session = project.session();
    for token in &ever_saved {
        checked += 1;
        if !has_answer_containing(&session, token) {
            lost.push(format!(
                "{token} (was in the session file, missing after the final run)"
            ));
        }
    }
    let must: Vec<&Typed> = typed.iter().filter(|t| t.gap >= MUST_BE_SAVED_AFTER).collect();
    for t in &must {
        checked += 1;
        if !has_answer_containing(&session, &t.token) && !lost.iter().any(|l| l.starts_with(&t.token)) {
            lost.push(format!(
                "{} (round {}, seed {:#018x}, {}: Enter {} ms before SIGKILL, never saved)",
                t.token,
                t.round,
                t.seed,
                t.question,
                t.gap.as_millis()
            ));
        }
    }
    assert!(lock_text(&project).is_empty(), "a clean quit empties the lock file");

    // Nothing but the session, its lock, and the temp files of writes cut short by a kill.
    let mut temp_files = 0;
    let mut strays = Vec::new();
    for entry in std::fs::read_dir(project.path(SESSIONS_DIR)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with(".spec-interview-") && Path::new(&name).extension().is_some_and(|e| e == "tmp") {
            temp_files += 1;
        } else if name != SESSION_NAME && name != LOCK_NAME {
            strays.push(name);
        }
    }

    let immediate = typed.iter().filter(|t| t.timing == Timing::Immediate).count();
    let saved_before_kill = typed.iter().filter(|t| t.saved).count();
    eprintln!(
        "crash test: {} rounds ({immediate} killed at once after the Enter), {} answers typed, \
         {saved_before_kill} saved before their kill, {} had to be saved (Enter ≥ {} ms before the kill), \
         {} answers seen in the session file; {checked} answers checked, {} lost; \
         {temp_files} temp files left behind by kills",
        typed.len(),
        typed.len(),
        must.len(),
        MUST_BE_SAVED_AFTER.as_millis(),
        ever_saved.len(),
        lost.len(),
    );
    assert!(
        lost.is_empty(),
        "answers lost (base seed {base_seed}):\n{}\nsession: {session:#?}",
        lost.join("\n")
    );
    assert!(
        strays.is_empty(),
        "unexpected files in {SESSIONS_DIR} (a session moved aside as damaged?): {strays:?}"
    );
    assert!(
        !must.is_empty(),
        "some answers were typed long enough before their kill to be checked"
    );
}

#[test]
fn sighup_flushes_the_session() {
    let project = Project::new();
    let mut app = start(&project, &[]);
    typed_text_survives_signal(&project, &mut app, "HUP", 1, "Hup");
}

#[test]
fn a_second_process_is_refused_and_can_look_read_only() {
    let project = Project::new();
    let mut a = start(&project, &[]);
    a.wait_for_screen(FIRST_PROMPT);
    a.send(&format!("Ledgerline{ENTER}"));
    a.wait_for_screen(SECOND_PROMPT);
    a.wait_until("the answer to be in the session file", |_| {
        session_if_any(&project).is_some_and(|s| lookup(&s, &["answers", "project_name"]) == Some("Ledgerline"))
    });
    let a_pid = a.pid();
    let holder = lock_text(&project);
    assert!(
        holder.starts_with(&format!("pid {a_pid} on ")) && holder.contains(" since "),
        "the lock file names its holder: {holder:?}"
    );
    let before = std::fs::read(project.path(SESSION)).unwrap();

    // B: refused, with one line on stderr that says who has the session and what to do.
    let mut b = start(&project, &[]);
    let status = b.wait_exit();
    let out = b.raw();
    assert_eq!(status.exit_code(), 2, "exit status {status}\n{}", b.report());
    assert!(out.contains("open in another spec-interview"), "{}", b.report());
    assert!(
        out.contains(&format!("pid {a_pid}")),
        "it names the other pid\n{}",
        b.report()
    );
    assert!(out.contains("--read-only"), "it suggests --read-only\n{}", b.report());
    assert_eq!(out.trim_end().lines().count(), 1, "one line\n{}", b.report());
    assert!(
        !out.contains(ENTER_ALT_SCREEN),
        "it never took the screen\n{}",
        b.report()
    );
    assert_eq!(
        lock_text(&project),
        holder,
        "the refused process leaves the lock file alone"
    );
    drop(b);

    // C: read-only. It shows the interview where A is, lets one type, and writes nothing.
    let mut c = start(&project, &["--read-only"]);
    c.wait_for_screen(SECOND_PROMPT);
    c.send(&format!("grpc{ENTER}"));
    c.wait_for_screen("Language, runtime and framework?");
    c.send(&format!("Zig{TAB}"));
    c.wait_for_screen("Primary database?");
    c.send(CTRL_Q);
    let status = c.wait_exit();
    assert!(status.success(), "read-only run: exit status {status}\n{}", c.report());
    assert!(left_alternate_screen(&c.raw()), "{}", c.report());
    let c_tail = c.raw_since(c.raw().rfind(LEAVE_ALT_SCREEN).unwrap());
    eprintln!("the read-only run said on leaving: {:?}", c_tail.trim());
    drop(c);
    let after = std::fs::read(project.path(SESSION)).unwrap();
    assert!(
        before == after,
        "the read-only run left the session file as it was\nbefore:\n{}\nafter:\n{}",
        String::from_utf8_lossy(&before),
        String::from_utf8_lossy(&after)
    );
    assert_eq!(
        lock_text(&project),
        holder,
        "the read-only run leaves the lock file alone"
    );

    // A is still the writer, and quits cleanly.
    a.send(CTRL_Q);
    let status = a.wait_exit();
    assert!(status.success(), "A: exit status {status}\n{}", a.report());
    assert!(lock_text(&project).is_empty(), "a clean quit empties the lock file");
    let session = project.session();
    assert_eq!(lookup(&session, &["answers", "project_name"]), Some("Ledgerline"));
    assert_eq!(lookup(&session, &["answers", "api_style"]), None, "{session:#?}");
}

#[test]
fn a_stale_lock_is_taken_over() {
    let project = Project::new();
    let mut a = start(&project, &[]);
    a.wait_for_screen(FIRST_PROMPT);
    a.send(&format!("Ledgerline{ENTER}"));
    // Enter writes the session twice: the answer, then the move to the next question.
    a.wait_until("the answer and the move to be in the session file", |_| {
        session_if_any(&project).is_some_and(|s| {
            lookup(&s, &["answers", "project_name"]) == Some("Ledgerline")
                && lookup(&s, &["session", "focus"]) == Some("api_style")
        })
    });
    let a_pid = a.pid();
    a.signal("KILL");
    let status = a.wait_exit();
    assert!(status.signal().is_some(), "A was killed: {status}\n{}", a.report());
    drop(a);
    assert!(
        lock_text(&project).starts_with(&format!("pid {a_pid} on ")),
        "the killed holder is still named in the lock file: {:?}",
        lock_text(&project)
    );

    let mut b = start(&project, &[]);
    b.wait_for_screen(&format!("{TOOK_OVER} {a_pid}"));
    assert!(
        b.screen().contains(SECOND_PROMPT),
        "resumed after the answered question\n{}",
        b.report()
    );
    let b_pid = b.pid();
    assert!(
        lock_text(&project).starts_with(&format!("pid {b_pid} on ")),
        "the lock file names the new holder: {:?}",
        lock_text(&project)
    );
    b.send(CTRL_Q);
    let status = b.wait_exit();
    assert!(status.success(), "B: exit status {status}\n{}", b.report());
    assert_eq!(lock_text(&project), "", "a clean quit empties the lock file");
    let session = project.session();
    assert_eq!(
        lookup(&session, &["answers", "project_name"]),
        Some("Ledgerline"),
        "{session:#?}"
    );
}
