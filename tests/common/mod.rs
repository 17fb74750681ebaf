//! The harness shared by the end-to-end tests: the real binary in a pseudo-terminal, a small
//! screen emulator to read what it draws, a responder for its cursor position queries, and
//! deadline-based waits. Each test file uses part of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long any one condition may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How often a condition is checked.
pub const POLL: Duration = Duration::from_millis(10);

pub const SESSION: &str = ".specflow/sessions/d04-backend-architecture.toml";

/// Text of the first question's prompt, shown once the first frame is drawn.
pub const FIRST_PROMPT: &str = "project or service called";

pub const ENTER_ALT_SCREEN: &str = "\x1b[?1049h";
pub const LEAVE_ALT_SCREEN: &str = "\x1b[?1049l";
/// Erase the whole screen: ratatui sends it when it lays out for a new terminal size.
pub const CLEAR_SCREEN: &str = "\x1b[2J";

/// Device status report: "where is the cursor?", and a terminal's answer to it.
pub const CURSOR_QUERY: &str = "\x1b[6n";
pub const CURSOR_REPORT: &str = "\x1b[1;1R";

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const CTRL_S: &str = "\x13";
pub const CTRL_Q: &str = "\x11";

// ───────────────────────────── helpers ─────────────────────────────

/// A throw-away project folder, with its own HOME and config directory.
pub struct Project {
    _tmp: TempDir,
    pub root: PathBuf,
    pub home: PathBuf,
    pub config: PathBuf,
}

impl Project {
    pub fn new() -> Project {
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

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The session file as TOML (fails the test if it is missing or does not parse).
    pub fn session(&self) -> toml::Table {
        let path = self.path(SESSION);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.parse()
            .unwrap_or_else(|e| panic!("{} is not TOML: {e}\n{text}", path.display()))
    }
}

/// `table[a][b]...` as a string, if every step exists.
pub fn lookup<'a>(table: &'a toml::Table, keys: &[&str]) -> Option<&'a str> {
    let (last, path) = keys.split_last()?;
    let mut t = table;
    for key in path {
        t = t.get(*key)?.as_table()?;
    }
    t.get(*last)?.as_str()
}

/// What the program wrote to the terminal so far, and whether it closed its end.
#[derive(Default)]
pub struct Output {
    bytes: Vec<u8>,
    closed: bool,
}

/// The interview running in a pseudo-terminal.
pub struct Interview {
    child: Box<dyn Child + Send + Sync>,
    /// `None` once the terminal hung up (see `hang_up`).
    master: Option<Box<dyn MasterPty + Send>>,
    /// Kept until the end: dropping it sends a newline and end-of-file to the program.
    /// Shared with the reader, which answers the program's cursor position queries.
    writer: Arc<Mutex<Option<Box<dyn Write + Send>>>>,
    /// Tells the reader to let go of the terminal after its next read.
    stop: Arc<std::sync::atomic::AtomicBool>,
    /// Says when the reader has let go.
    reader_done: std::sync::mpsc::Receiver<()>,
    output: Arc<Mutex<Output>>,
    /// The terminal's modes before the program started.
    pub cooked: String,
    /// How long any one condition may take before the test fails.
    pub timeout: Duration,
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Interview {
    /// Starts `spec-interview -C <project>` in a terminal of `cols`×`rows`.
    pub fn start(project: &Project, cols: u16, rows: u16) -> Interview {
        Interview::start_with(project, cols, rows, &[])
    }

    /// Starts `spec-interview -C <project> <args>` in a terminal of `cols`×`rows`.
    pub fn start_with(project: &Project, cols: u16, rows: u16, args: &[&str]) -> Interview {
        Interview::start_with_env(project, cols, rows, args, &[])
    }

    /// `start_with`, with `env` (name, value) set in the program's environment.
    pub fn start_with_env(project: &Project, cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Interview {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let cooked = modes(pair.master.as_ref());
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_spec-interview"));
        cmd.arg("-C");
        cmd.arg(&project.root);
        cmd.args(args);
        cmd.cwd(&project.root);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &project.home);
        cmd.env("XDG_CONFIG_HOME", &project.config);
        for name in ["NO_COLOR", "VISUAL", "EDITOR", "COLORFGBG"] {
            cmd.env_remove(name);
        }
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the program holds the terminal's end now, so reads see end-of-file when it exits.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(Some(pair.master.take_writer().unwrap())));
        let output = Arc::new(Mutex::new(Output::default()));
        let (sink, answer) = (Arc::clone(&output), Arc::clone(&writer));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let (done, reader_done) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Up to where the output was searched for questions to the terminal.
            let mut searched = 0;
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if stopping.load(std::sync::atomic::Ordering::SeqCst) => break,
                    Ok(n) => n,
                };
                let mut out = sink.lock().unwrap();
                out.bytes.extend_from_slice(&buf[..n]);
                // Answer "where is the cursor?" as a terminal would: ratatui asks on start.
                while let Some(at) = find(&out.bytes[searched..], CURSOR_QUERY.as_bytes()) {
                    searched += at + CURSOR_QUERY.len();
                    if let Some(w) = answer.lock().unwrap().as_mut() {
                        let _ = w.write_all(CURSOR_REPORT.as_bytes());
                        let _ = w.flush();
                    }
                }
                searched = searched.max(out.bytes.len().saturating_sub(CURSOR_QUERY.len() - 1));
            }
            sink.lock().unwrap().closed = true;
            drop(reader);
            let _ = done.send(());
        });
        Interview {
            child,
            master: Some(pair.master),
            writer,
            stop,
            reader_done,
            output,
            cooked,
            timeout: TIMEOUT,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a process id")
    }

    /// Types `keys` (raw bytes, as a terminal would send them).
    pub fn send(&mut self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        let w = w.as_mut().expect("the terminal is still there");
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .as_ref()
            .expect("the terminal is still there")
            .resize(size(cols, rows))
            .unwrap();
    }

    /// Everything written to the terminal so far, escape sequences included.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().bytes).into_owned()
    }

    /// How many bytes were written so far; a mark for `raw_since`.
    pub fn mark(&self) -> usize {
        self.output.lock().unwrap().bytes.len()
    }

    pub fn raw_since(&self, mark: usize) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().bytes[mark..]).into_owned()
    }

    /// The text on the screen now, one line per row.
    pub fn screen(&self) -> String {
        Screen::replay(&self.raw())
    }

    /// What the test saw, for a failure message: the screen and the end of the raw output.
    pub fn report(&self) -> String {
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

    /// Polls `done` until it holds; fails the test after `self.timeout`.
    pub fn wait_until(&self, what: &str, mut done: impl FnMut(&Interview) -> bool) {
        let timeout = self.timeout;
        let deadline = Instant::now() + timeout;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "timed out after {timeout:?} waiting for {what}\n{}",
                self.report()
            );
            thread::sleep(POLL);
        }
    }

    pub fn wait_for_screen(&self, text: &str) {
        self.wait_until(&format!("the screen to show {text:?}"), |i| i.screen().contains(text));
    }

    pub fn wait_for_file(&self, path: &Path) {
        self.wait_until(&format!("{} to exist", path.display()), |_| path.exists());
    }

    /// Waits for the program to exit, then for the last of its output.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let timeout = self.timeout;
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit within {timeout:?}\n{}",
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
    pub fn modes(&self) -> String {
        modes(self.master.as_deref().expect("the terminal is still there"))
    }

    /// Closes the terminal, as closing its window or dropping the ssh connection does: every
    /// descriptor of its master side is closed, so the program's terminal hangs up (reads fail
    /// and the kernel sends SIGHUP). What the program writes after this is not seen.
    pub fn hang_up(&mut self) {
        let (cols, rows) = {
            let size = self
                .master
                .as_ref()
                .expect("the terminal is still there")
                .get_size()
                .unwrap();
            (size.cols, size.rows)
        };
        // The reader lets go after its next read: a resize makes the program draw.
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.resize(cols + 1, rows);
        self.reader_done
            .recv_timeout(self.timeout)
            .unwrap_or_else(|_| panic!("the program did not draw after a resize\n{}", self.report()));
        // The writer sends a newline and end-of-file as it closes; the master's close is the last.
        drop(self.writer.lock().unwrap().take());
        drop(self.master.take());
    }

    /// Sends the program a signal (`name` as `kill` spells it: TERM, HUP, KILL).
    pub fn signal(&self, name: &str) {
        let kill = std::process::Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(kill.success(), "kill -{name} failed: {kill}");
    }
}

/// The terminal's mode flags (raw or cooked), to compare before and after a run.
pub fn modes(master: &dyn MasterPty) -> String {
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
pub struct Screen {
    rows: Vec<Vec<char>>,
    row: usize,
    col: usize,
    /// The normal screen and its cursor while the alternate screen is shown.
    normal: Option<(Vec<Vec<char>>, usize, usize)>,
}

impl Screen {
    pub fn replay(output: &str) -> String {
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

/// Types `text` into the first question without committing it, sends `signal` (`"TERM"`,
/// `"HUP"`), and checks what users count on: the program handles the signal itself, exits
/// 128 + `number`, leaves the alternate screen, restores the terminal mode, says why it
/// stopped, and the text is in the session as a draft or an answer.
/// Asserts the program's last screen switch was back to the normal screen; returns where in
/// the output that happened.
pub fn left_alternate_screen(app: &Interview) -> usize {
    let raw = app.raw();
    let left = raw
        .rfind(LEAVE_ALT_SCREEN)
        .unwrap_or_else(|| panic!("never left the alternate screen\n{}", app.report()));
    assert!(
        raw.rfind(ENTER_ALT_SCREEN).is_some_and(|entered| entered < left),
        "the last switch is back to the normal screen\n{}",
        app.report()
    );
    left
}

pub fn typed_text_survives_signal(project: &Project, app: &mut Interview, signal: &str, number: u32, text: &str) {
    let cooked = app.cooked.clone();
    app.wait_for_screen(FIRST_PROMPT);
    assert!(
        !app.screen().contains(text),
        "the text to type is not on the screen yet\n{}",
        app.report()
    );
    app.send(text);
    // Once it is drawn, the program holds it; it is neither committed nor autosaved yet.
    app.wait_for_screen(text);
    if project.path(SESSION).exists() {
        eprintln!("note: the session was autosaved before SIG{signal}; the flush on the signal is not what wrote it");
    }
    app.signal(signal);
    let status = app.wait_exit();
    let raw = app.raw();
    assert_eq!(
        status.signal(),
        None,
        "the program handles SIG{signal} itself\n{}",
        app.report()
    );
    assert_eq!(
        status.exit_code(),
        128 + number,
        "exit status {status}\n{}",
        app.report()
    );
    let left = left_alternate_screen(app);
    assert!(
        raw[left..].contains(&format!("signal {number}")),
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
    .any(|t| t.contains(text));
    assert!(
        kept,
        "the typed text is in the session as a draft or an answer: {session:#?}"
    );
}
