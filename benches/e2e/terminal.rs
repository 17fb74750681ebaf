//! A program in a pseudo-terminal with every chunk of its output time-stamped as it arrives, and
//! the one rule that tells where a frame ends: the last byte before the output goes quiet.
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{Screen, find};

/// "Where is the cursor?", and a terminal's answer to it (programs ask on start).
const CURSOR_QUERY: &[u8] = b"\x1b[6n";
const CURSOR_REPORT: &[u8] = b"\x1b[1;1R";

/// How long the output must stay quiet before the bytes before it count as one frame.
pub const QUIET_FIRST_FRAME: Duration = Duration::from_millis(150);
pub const QUIET_KEY: Duration = Duration::from_millis(30);
/// A wait gives up (and the figure is reported missing) only after this long: a loaded machine
/// makes the run slower, never a failure.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Output so far: the bytes, and when each chunk of them arrived.
#[derive(Default)]
struct Log {
    bytes: Vec<u8>,
    /// (end offset in `bytes`, arrival time) per chunk read.
    chunks: Vec<(usize, Instant)>,
    closed: bool,
}

/// What the terminal received between a mark and the moment the output went quiet.
pub struct Frame {
    /// When the last byte of the frame arrived.
    pub end: Instant,
    pub bytes: usize,
}

pub struct Terminal {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    log: Arc<(Mutex<Log>, Condvar)>,
    /// Just before the program was started.
    pub started: Instant,
}

impl Terminal {
    /// Starts `program args` in a `cols`×`rows` terminal, in `cwd`, with `env` on top of a clean
    /// environment (PATH, TERM=xterm-256color, LANG=C.UTF-8).
    pub fn start(program: &Path, args: &[&str], cwd: &Path, env: &[(&str, &Path)], cols: u16, rows: u16) -> Terminal {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let reader = pair.master.try_clone_reader().expect("the terminal's output");
        let writer = Arc::new(Mutex::new(pair.master.take_writer().expect("the terminal's input")));
        let log: Arc<(Mutex<Log>, Condvar)> = Arc::default();
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        drop(pair.slave);
        record(reader, Arc::clone(&log), Arc::clone(&writer));
        Terminal {
            child,
            _master: pair.master,
            writer,
            log,
            started,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a process id")
    }

    /// Sends `keys` as a terminal would; returns the moment just before they were written.
    pub fn send(&self, keys: &[u8]) -> Instant {
        let mut w = self.writer.lock().expect("the input");
        let at = Instant::now();
        let _ = w.write_all(keys);
        let _ = w.flush();
        at
    }

    /// How many bytes arrived so far.
    pub fn mark(&self) -> usize {
        self.log.0.lock().expect("the log").bytes.len()
    }

    /// Waits for output after `mark` that makes `complete` true of the screen, then for the output
    /// to stay quiet for `quiet`; the frame ends at the last byte before that quiet stretch.
    /// `None` when it does not come within `PATIENCE` or the program ends first.
    pub fn frame(&self, mark: usize, quiet: Duration, complete: &dyn Fn(&str) -> bool) -> Option<Frame> {
        self.wait_frame(mark, quiet, Some(complete))
    }

    /// The frame answering input sent after `mark`: any output, then `quiet`.
    pub fn answer(&self, mark: usize, quiet: Duration) -> Option<Frame> {
        self.wait_frame(mark, quiet, None)
    }

    fn wait_frame(&self, mark: usize, quiet: Duration, complete: Option<&dyn Fn(&str) -> bool>) -> Option<Frame> {
        let give_up = Instant::now() + PATIENCE;
        let (lock, arrived) = &*self.log;
        let mut log = lock.lock().expect("the log");
        let mut checked = mark;
        let mut ok = false;
        loop {
            let len = log.bytes.len();
            if !ok && len > checked {
                checked = len;
                ok = complete.is_none_or(|complete| complete(&Screen::replay(&String::from_utf8_lossy(&log.bytes))));
            }
            let now = Instant::now();
            if ok && let Some(&(_, last)) = log.chunks.last() {
                let since = now.saturating_duration_since(last);
                if since >= quiet {
                    return Some(Frame {
                        end: last,
                        bytes: len - mark,
                    });
                }
                log = arrived
                    .wait_timeout(log, quiet.saturating_sub(since))
                    .expect("the log")
                    .0;
                continue;
            }
            if log.closed || now >= give_up {
                return None;
            }
            log = arrived.wait_timeout(log, give_up - now).expect("the log").0;
        }
    }

    /// Waits until no output arrives for `quiet` (whatever came before).
    pub fn settle(&self, quiet: Duration) {
        let mark = self.mark();
        let give_up = Instant::now() + PATIENCE;
        let (lock, arrived) = &*self.log;
        let mut log = lock.lock().expect("the log");
        let mut since_when = Instant::now();
        let mut seen = mark;
        loop {
            if log.bytes.len() != seen {
                seen = log.bytes.len();
                since_when = Instant::now();
            }
            let now = Instant::now();
            let quiet_for = now.saturating_duration_since(since_when);
            if quiet_for >= quiet || now >= give_up || log.closed {
                return;
            }
            log = arrived
                .wait_timeout(log, quiet.saturating_sub(quiet_for))
                .expect("the log")
                .0;
        }
    }

    /// Sends `keys` (a quit command) and waits for the program to end; kills it if it does not.
    pub fn quit(mut self, keys: &[u8]) {
        self.send(keys);
        let give_up = Instant::now() + Duration::from_secs(10);
        while Instant::now() < give_up {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads the program's output as it comes, stamping each chunk, and answers cursor queries.
fn record(
    mut reader: Box<dyn Read + Send>,
    log: Arc<(Mutex<Log>, Condvar)>,
    answer: Arc<Mutex<Box<dyn Write + Send>>>,
) {
    thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut searched = 0;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let at = Instant::now();
            let (lock, arrived) = &*log;
            let mut out = lock.lock().expect("the log");
            out.bytes.extend_from_slice(&buf[..n]);
            let end = out.bytes.len();
            out.chunks.push((end, at));
            while let Some(found) = find(&out.bytes[searched..], CURSOR_QUERY) {
                searched += found + CURSOR_QUERY.len();
                if let Ok(mut w) = answer.lock() {
                    let _ = w.write_all(CURSOR_REPORT);
                    let _ = w.flush();
                }
            }
            searched = searched.max(end.saturating_sub(CURSOR_QUERY.len() - 1));
            arrived.notify_all();
        }
        let (lock, arrived) = &*log;
        lock.lock().expect("the log").closed = true;
        arrived.notify_all();
    });
}
