//! End-to-end tests of the full-screen interview: the real binary in a pseudo-terminal, driven
//! with keystrokes, asserting on what it draws, the files it writes, how it exits and whether it
//! gives the terminal back. Every wait polls for a condition with a deadline; nothing sleeps for
//! a fixed time, so a loaded machine only makes the tests slower, not flaky.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long any one condition may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often a condition is checked.
const POLL: Duration = Duration::from_millis(10);

const SESSION: &str = ".specflow/sessions/d04-backend-architecture.toml";
const DOC: &str = ".specflow/docs/D04-backend-architecture.md";
const REVISION_1: &str = ".specflow/history/D04-backend-architecture/0001";

/// Text of the first question's prompt, shown once the first frame is drawn.
const FIRST_PROMPT: &str = "project or service called";

const ENTER_ALT_SCREEN: &str = "\x1b[?1049h";
const LEAVE_ALT_SCREEN: &str = "\x1b[?1049l";
/// Erase the whole screen: ratatui sends it when it lays out for a new terminal size.
const CLEAR_SCREEN: &str = "\x1b[2J";

/// Device status report: "where is the cursor?", and a terminal's answer to it.
const CURSOR_QUERY: &str = "\x1b[6n";
const CURSOR_REPORT: &str = "\x1b[1;1R";

const ENTER: &str = "\r";
const TAB: &str = "\t";
const CTRL_S: &str = "\x13";
const CTRL_Q: &str = "\x11";

// ───────────────────────────── helpers ─────────────────────────────

/// A throw-away project folder, with its own HOME and config directory.
struct Project {
    _tmp: TempDir,
    root: PathBuf,
    home: PathBuf,
    config: PathBuf,
}

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("project");
        let home = tmp.path().join("home");
        let config = tmp.path().join("config");
        for dir in [&root, &home, &config] {
            std::fs::create_dir_all(dir).unwrap();
        }
        Project {
            _tmp: tmp,
            root,
            home,
            config,
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The session file as TOML (fails the test if it is missing or does not parse).
    fn session(&self) -> toml::Table {
        let path = self.path(SESSION);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.parse()
            .unwrap_or_else(|e| panic!("{} is not TOML: {e}\n{text}", path.display()))
    }
}

/// `table[a][b]...` as a string, if every step exists.
fn lookup<'a>(table: &'a toml::Table, keys: &[&str]) -> Option<&'a str> {
    let (last, path) = keys.split_last()?;
    let mut t = table;
    for key in path {
        t = t.get(*key)?.as_table()?;
    }
    t.get(*last)?.as_str()
}

/// What the program wrote to the terminal so far, and whether it closed its end.
#[derive(Default)]
struct Output {
    bytes: Vec<u8>,
    closed: bool,
}

/// The interview running in a pseudo-terminal.
struct Interview {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    /// Kept until the end: dropping it sends a newline and end-of-file to the program.
    /// Shared with the reader, which answers the program's cursor position queries.
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    output: Arc<Mutex<Output>>,
    /// The terminal's modes before the program started.
    cooked: String,
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Interview {
    /// Starts `spec-interview -C <project>` in a terminal of `cols`×`rows`.
    fn start(project: &Project, cols: u16, rows: u16) -> Interview {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let cooked = modes(pair.master.as_ref());
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_spec-interview"));
        cmd.arg("-C");
        cmd.arg(&project.root);
        cmd.cwd(&project.root);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &project.home);
        cmd.env("XDG_CONFIG_HOME", &project.config);
        for name in ["NO_COLOR", "VISUAL", "EDITOR", "COLORFGBG"] {
            cmd.env_remove(name);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the program holds the terminal's end now, so reads see end-of-file when it exits.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let output = Arc::new(Mutex::new(Output::default()));
        let (sink, answer) = (Arc::clone(&output), Arc::clone(&writer));
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Up to where the output was searched for questions to the terminal.
            let mut searched = 0;
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut out = sink.lock().unwrap();
                out.bytes.extend_from_slice(&buf[..n]);
                // Answer "where is the cursor?" as a terminal would: ratatui asks on start.
                while let Some(at) = find(&out.bytes[searched..], CURSOR_QUERY.as_bytes()) {
                    searched += at + CURSOR_QUERY.len();
                    let mut w = answer.lock().unwrap();
                    let _ = w.write_all(CURSOR_REPORT.as_bytes());
                    let _ = w.flush();
                }
                searched = searched.max(out.bytes.len().saturating_sub(CURSOR_QUERY.len() - 1));
            }
            sink.lock().unwrap().closed = true;
        });
        Interview {
            child,
            master: pair.master,
            writer,
            output,
            cooked,
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a process id")
    }

    /// Types `keys` (raw bytes, as a terminal would send them).
    fn send(&mut self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    fn resize(&self, cols: u16, rows: u16) {
        self.master.resize(size(cols, rows)).unwrap();
    }

    /// Everything written to the terminal so far, escape sequences included.
    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().bytes).into_owned()
    }

    /// How many bytes were written so far; a mark for `raw_since`.
    fn mark(&self) -> usize {
        self.output.lock().unwrap().bytes.len()
    }

    fn raw_since(&self, mark: usize) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().bytes[mark..]).into_owned()
    }

    /// The text on the screen now, one line per row.
    fn screen(&self) -> String {
        Screen::replay(&self.raw())
    }

    /// What the test saw, for a failure message: the screen and the end of the raw output.
    fn report(&self) -> String {
        let raw = self.raw();
        let tail: String = raw
            .chars()
            .rev()
            .take(1500)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!(
            "── screen ──\n{}\n── last {} characters of output ──\n{}",
            Screen::replay(&raw),
            tail.chars().count(),
            tail.escape_debug()
        )
    }

    /// Polls `done` until it holds; fails the test after `TIMEOUT`.
    fn wait_until(&self, what: &str, mut done: impl FnMut(&Interview) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "timed out after {TIMEOUT:?} waiting for {what}\n{}",
                self.report()
            );
            thread::sleep(POLL);
        }
    }

    fn wait_for_screen(&self, text: &str) {
        self.wait_until(&format!("the screen to show {text:?}"), |i| i.screen().contains(text));
    }

    fn wait_for_file(&self, path: &Path) {
        self.wait_until(&format!("{} to exist", path.display()), |_| path.exists());
    }

    /// Waits for the program to exit, then for the last of its output.
    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit within {TIMEOUT:?}\n{}",
                self.report()
            );
            thread::sleep(POLL);
        };
        // The reader stops at end-of-file, once the output is drained. Not fatal if it does not
        // come: the assertions on the output then say what is missing.
        while !self.output.lock().unwrap().closed && Instant::now() < deadline {
            thread::sleep(POLL);
        }
        status
    }

    /// The terminal's modes now.
    fn modes(&self) -> String {
        modes(self.master.as_ref())
    }
}

/// The terminal's mode flags (raw or cooked), to compare before and after a run.
fn modes(master: &dyn MasterPty) -> String {
    let t = master.get_termios().expect("the terminal's settings");
    format!("{:?} {:?} {:?}", t.input_flags, t.output_flags, t.local_flags)
}

impl Drop for Interview {
    /// A failed test must not leave the program running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A minimal terminal screen: enough of the escape sequences ratatui sends (cursor moves,
/// erasing; colours and modes are skipped) to read the text at its place on the screen, which
/// the raw output does not show: cells that did not change are not written again.
#[derive(Default)]
struct Screen {
    rows: Vec<Vec<char>>,
    row: usize,
    col: usize,
    /// The normal screen and its cursor while the alternate screen is shown.
    normal: Option<(Vec<Vec<char>>, usize, usize)>,
}

impl Screen {
    fn replay(output: &str) -> String {
        let mut s = Screen::default();
        let mut chars = output.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        let mut last = None;
                        for c in chars.by_ref() {
                            if ('\x40'..='\x7e').contains(&c) {
                                last = Some(c);
                                break;
                            }
                            params.push(c);
                        }
                        s.csi(&params, last);
                    }
                    // Operating system command: skip to BEL or ESC \.
                    Some(']') => {
                        while let Some(c) = chars.next() {
                            if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                                break;
                            }
                        }
                    }
                    _ => {}
                },
                '\r' => s.col = 0,
                '\n' => s.row += 1,
                '\x08' => s.col = s.col.saturating_sub(1),
                c if c.is_control() => {}
                c => s.put(c),
            }
        }
        s.rows
            .iter()
            .map(|r| r.iter().collect::<String>().trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn csi(&mut self, params: &str, last: Option<char>) {
        let numbers: Vec<usize> = params.split(';').map(|p| p.parse().unwrap_or(0)).collect();
        let arg = |i: usize| numbers.get(i).copied().unwrap_or(0);
        match last {
            Some('H' | 'f') => {
                self.row = arg(0).max(1) - 1;
                self.col = arg(1).max(1) - 1;
            }
            Some('J') if arg(0) >= 2 => self.rows.clear(),
            Some('J') => {
                self.rows.truncate(self.row + 1);
                self.erase_line();
            }
            Some('K') => self.erase_line(),
            Some('h') if params == "?1049" => {
                let normal = (std::mem::take(&mut self.rows), self.row, self.col);
                self.normal = Some(normal);
            }
            Some('l') if params == "?1049" => {
                if let Some((rows, row, col)) = self.normal.take() {
                    (self.rows, self.row, self.col) = (rows, row, col);
                }
            }
            _ => {}
        }
    }

    fn erase_line(&mut self) {
        if let Some(line) = self.rows.get_mut(self.row) {
            line.truncate(self.col);
        }
    }

    fn put(&mut self, c: char) {
        let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width == 0 {
            return;
        }
        if self.rows.len() <= self.row {
            self.rows.resize(self.row + 1, Vec::new());
        }
        let line = &mut self.rows[self.row];
        if line.len() < self.col + width {
            line.resize(self.col + width, ' ');
        }
        line[self.col] = c;
        self.col += width;
    }
}

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
    let cooked = app.cooked.clone();
    app.wait_for_screen(FIRST_PROMPT);
    assert!(
        !app.screen().contains("Half"),
        "the text to type is not on the screen yet\n{}",
        app.report()
    );
    app.send("Half");
    // Once it is drawn, the program holds it; it is neither committed nor autosaved yet.
    app.wait_for_screen("Half");
    if project.path(SESSION).exists() {
        // Only on a very slow machine: the idle autosave got there first.
        eprintln!("note: the session was autosaved before SIGTERM; the flush on SIGTERM is not what wrote it");
    }
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &app.pid().to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "kill -TERM failed: {kill}");
    let status = app.wait_exit();
    let raw = app.raw();

    assert_eq!(
        status.signal(),
        None,
        "the program handles SIGTERM itself\n{}",
        app.report()
    );
    assert_eq!(status.exit_code(), 128 + 15, "exit status {status}\n{}", app.report());
    let left = raw
        .rfind(LEAVE_ALT_SCREEN)
        .unwrap_or_else(|| panic!("never left the alternate screen\n{}", app.report()));
    assert!(
        raw.rfind(ENTER_ALT_SCREEN).is_some_and(|entered| entered < left),
        "the last switch is back to the normal screen\n{}",
        app.report()
    );
    assert!(
        raw[left..].contains("signal 15"),
        "it says why it stopped\n{}",
        app.report()
    );
    assert_eq!(app.modes(), cooked, "the terminal is back in the mode it was in before");

    let session = project.session();
    let kept = [
        ["session", "drafts", "project_name"].as_slice(),
        ["answers", "project_name"].as_slice(),
    ]
    .iter()
    .filter_map(|keys| lookup(&session, keys))
    .any(|text| text.contains("Half"));
    assert!(
        kept,
        "the typed text is in the session as a draft or an answer: {session:#?}"
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
