//! Signals and the wait for input: SIGTERM, SIGHUP (a dropped ssh connection) and SIGINT end the
//! full-screen programs with the draft flushed and the terminal restored within half a second,
//! and the wait for a key ends on a signal, a window-size change or a terminal that went away.
use ratatui::crossterm::event::{self, Event};
use rustix::event::{PollFd, PollFlags, Timespec};
use std::io::{self, Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::core::fsio::Project;
use crate::core::questionnaire::Questionnaire;
use crate::core::session::AnswersFile;

/// How long the watcher waits for the loop to flush and stop before doing it itself.
const LOOP_GRACE: Duration = Duration::from_millis(250);
/// How long after a signal the process ends whatever happens.
const DEADLINE: Duration = Duration::from_millis(450);

/// Set while an external editor has the terminal: Ctrl-C there is the editor's key.
pub(crate) static EDITING_EXTERNALLY: AtomicBool = AtomicBool::new(false);

/// What the loop hands the watcher, so that a stuck loop loses nothing: where the session goes
/// and what it held after the last keys the loop took.
#[derive(Default)]
struct Flush {
    target: Option<(Project, Arc<Questionnaire>)>,
    snapshot: Option<AnswersFile>,
    /// The session was written on the signal (by the loop or the watcher); nothing more to do.
    done: bool,
}

struct Shared {
    flush: Mutex<Flush>,
    flushed: Condvar,
}

/// The flags the signal handlers set, the wake-up the loop waits on beside the terminal, and
/// the flush both the loop and the watcher can do.
pub(crate) struct Signals {
    term: Arc<AtomicBool>,
    hup: Arc<AtomicBool>,
    int: Arc<AtomicBool>,
    /// Readable when a signal or a window-size change arrived.
    wake: UnixStream,
    shared: Arc<Shared>,
}

/// What ended a wait for input.
pub(crate) enum Wake {
    Event(Event),
    /// The deadline came first.
    Timeout,
    Signal,
    /// Woken with nothing to read: a window-size change the terminal library did not report
    /// as an event, or another thread's wake-up (the reviewer's history watch).
    Woken,
    /// The terminal hung up (its window closed, the connection dropped): as good as SIGHUP.
    TerminalGone,
}

impl Signals {
    pub(crate) fn register() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
        let (term, hup, int) = (Arc::default(), Arc::default(), Arc::default());
        signal_hook::flag::register(SIGTERM, Arc::clone(&term))?;
        signal_hook::flag::register(SIGHUP, Arc::clone(&hup))?;
        signal_hook::flag::register(SIGINT, Arc::clone(&int))?;
        let watched = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGWINCH])?;
        let (wake, waker) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            flush: Mutex::new(Flush::default()),
            flushed: Condvar::new(),
        });
        watch(watched, waker, Arc::clone(&int), Arc::clone(&shared));
        Ok(Signals {
            term,
            hup,
            int,
            wake,
            shared,
        })
    }

    /// The session to flush on a signal, should the loop not get to it: its project and
    /// questionnaire. (Not for a read-only interview, which writes nothing.)
    pub(crate) fn flush_into(&self, project: Project, questionnaire: Arc<Questionnaire>) {
        if let Ok(mut flush) = self.shared.flush.lock() {
            flush.target = Some((project, questionnaire));
        }
    }

    /// What the session holds now (called after each batch of keys).
    pub(crate) fn snapshot(&self, file: AnswersFile) {
        if let Ok(mut flush) = self.shared.flush.lock() {
            flush.snapshot = Some(file);
        }
    }

    /// Writes the session on a signal with `write`, once: the watcher waits for it, or has
    /// already written the last snapshot and the process is ending.
    pub(crate) fn flush_now(&self, write: impl FnOnce()) {
        if let Ok(mut flush) = self.shared.flush.lock() {
            if !flush.done {
                write();
                flush.done = true;
            }
            self.shared.flushed.notify_all();
        }
    }

    /// The signal that asked the program to stop, if one did.
    pub(crate) fn pending(&self) -> Option<i32> {
        if self.term.load(Ordering::Relaxed) {
            Some(signal_hook::consts::SIGTERM)
        } else if self.hup.load(Ordering::Relaxed) {
            Some(signal_hook::consts::SIGHUP)
        } else if self.int.load(Ordering::Relaxed) {
            Some(signal_hook::consts::SIGINT)
        } else {
            None
        }
    }

    /// Whether the terminal hung up.
    #[allow(clippy::unused_self)] // asked of the signals, which own the wait on the terminal
    pub(crate) fn terminal_gone(&self) -> bool {
        hung_up(&io::stdin()).unwrap_or(true)
    }

    /// Waits for the next terminal event: until `deadline` while a timer is pending, otherwise
    /// for as long as it takes, so an idle program does not wake up at all. Blocks in `poll` on
    /// the terminal and the wake-up together; the terminal library is asked for an event only
    /// when one is there to read, and never once the terminal hung up (it would spin reading the
    /// end of the file).
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> io::Result<Wake> {
        loop {
            if self.pending().is_some() {
                return Ok(Wake::Signal);
            }
            let stdin = io::stdin();
            if hung_up(&stdin)? {
                return Ok(Wake::TerminalGone);
            }
            // Keys the terminal library already read and parsed come first.
            if event::poll(Duration::ZERO)? {
                return event::read().map(Wake::Event);
            }
            let left = deadline.map(|at| at.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                return Ok(Wake::Timeout);
            }
            let timeout = left.map(|d| Timespec::try_from(d).unwrap_or(Timespec { tv_sec: 1, tv_nsec: 0 }));
            let mut fds = [
                PollFd::new(&stdin, PollFlags::IN),
                PollFd::new(&self.wake, PollFlags::IN),
            ];
            match rustix::event::poll(&mut fds, timeout.as_ref()) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
            if fds[1].revents().contains(PollFlags::IN) {
                // Drain it; a window-size change is then read as an event from the terminal
                // library, which watches SIGWINCH itself.
                let mut buf = [0u8; 64];
                while matches!((&self.wake).read(&mut buf), Ok(n) if n > 0) {}
                if self.pending().is_some() {
                    return Ok(Wake::Signal);
                }
                if event::poll(Duration::ZERO)? {
                    return event::read().map(Wake::Event);
                }
                return Ok(Wake::Woken);
            }
        }
    }
}

/// Whether the terminal hung up, asked without waiting.
fn hung_up(stdin: &io::Stdin) -> io::Result<bool> {
    let mut fds = [PollFd::new(stdin, PollFlags::IN)];
    let zero = Timespec { tv_sec: 0, tv_nsec: 0 };
    match rustix::event::poll(&mut fds, Some(&zero)) {
        Ok(_) => Ok(fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)),
        Err(rustix::io::Errno::INTR) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The watcher: waits (blocked, not polling) for signals and wakes the loop for each. After
/// SIGTERM, SIGHUP or SIGINT it gives the loop `LOOP_GRACE` to flush and stop; a loop that did
/// not (stuck in a long computation, or in the terminal library on a terminal that went away)
/// is not waited for: the watcher writes the last snapshot of the session itself, restores the
/// terminal and ends the process, `DEADLINE` after the signal at the latest.
fn watch(
    mut watched: signal_hook::iterator::Signals,
    mut waker: UnixStream,
    int: Arc<AtomicBool>,
    shared: Arc<Shared>,
) {
    std::thread::spawn(move || {
        let signal = loop {
            let Some(signal) = watched.forever().next() else {
                return;
            };
            let _ = waker.write_all(&[1]);
            if signal == signal_hook::consts::SIGWINCH {
                continue;
            }
            if signal == signal_hook::consts::SIGINT && EDITING_EXTERNALLY.load(Ordering::Relaxed) {
                int.store(false, Ordering::Relaxed);
                continue;
            }
            break signal;
        };
        let started = Instant::now();
        let saved = match shared.flush.lock() {
            Ok(flush) => {
                let (mut flush, _) = shared
                    .flushed
                    .wait_timeout_while(flush, LOOP_GRACE, |f| !f.done)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if flush.done {
                    // The loop flushed and is on its way out; it gets until the deadline.
                    let saved = flush.target.is_some();
                    drop(flush);
                    std::thread::sleep(DEADLINE.saturating_sub(started.elapsed()));
                    saved
                } else {
                    flush.done = true;
                    match (flush.target.clone(), flush.snapshot.take()) {
                        (Some((project, questionnaire)), Some(file)) => {
                            let now = crate::provenance::now();
                            crate::core::saving::write_session(&project, &questionnaire, file, &now).is_ok()
                        }
                        _ => false,
                    }
                }
            }
            Err(_) => false,
        };
        crate::tui::app::leave();
        let said = if saved {
            format!("spec-interview: stopped by signal {signal}; the session was saved first.")
        } else {
            format!("spec-interview: stopped by signal {signal}.")
        };
        let _ = writeln!(io::stderr(), "{said}");
        std::process::exit(128 + signal);
    });
}
