//! Watching a document's history while the reviewer is open, so what another reviewer records
//! (or a revision saved meanwhile) shows at once: file-system notifications wake the event loop
//! the way a signal does (a window-size change, which its wait for input returns on), with no
//! polling, so an idle reviewer stays asleep.
use notify::{RecursiveMode, Watcher as _};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Changes closer together than this are one change (a save writes several files).
const SETTLE: Duration = Duration::from_millis(100);

/// A watch on a history folder; it stops when dropped.
pub struct HistoryWatch {
    _watcher: notify::RecommendedWatcher,
    changed: Arc<AtomicBool>,
}

impl HistoryWatch {
    /// Watches `dir` and everything under it. `wake` is called (on another thread) once a burst
    /// of changes has settled.
    pub fn start(dir: &Path, wake: fn()) -> Result<HistoryWatch, String> {
        let (sender, receiver) = mpsc::channel::<()>();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| writes(e.kind) && e.paths.iter().any(|p| matters(p))) {
                let _ = sender.send(());
            }
        })
        .map_err(|e| e.to_string())?;
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| e.to_string())?;
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        std::thread::spawn(move || {
            // Blocked until something changes; ends when the watcher (the sender) is dropped.
            while receiver.recv().is_ok() {
                while receiver.recv_timeout(SETTLE).is_ok() {}
                flag.store(true, Ordering::Release);
                wake();
            }
        });
        Ok(HistoryWatch {
            _watcher: watcher,
            changed,
        })
    }

    /// Whether the history changed since the last call.
    pub fn take(&self) -> bool {
        self.changed.swap(false, Ordering::AcqRel)
    }
}

/// Whether an event is a write: a file or folder made, changed, renamed or removed. Reading
/// (which the reviewer itself does on every change) is not, or it would wake itself forever.
fn writes(kind: notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(modify) => !matches!(modify, ModifyKind::Metadata(_)),
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Whether a change to `path` can change what the reviewer shows: not the locks taken while
/// recording, nor the viewed marks a reviewer keeps for itself.
fn matters(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let lock = path.extension().is_some_and(|e| e == "lock");
    !(lock || name.starts_with("viewed-"))
}

/// Wakes the reviewer's wait for input: the terminal library returns from it on a window-size
/// change (a redraw at the same size changes nothing).
pub fn wake_the_loop() {
    #[cfg(unix)]
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    static WOKEN: AtomicBool = AtomicBool::new(false);

    fn woken() {
        WOKEN.store(true, Ordering::Release);
    }

    #[test]
    fn a_change_in_the_history_is_seen_and_wakes_the_loop_and_a_lock_is_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("0001")).unwrap();
        let watch = HistoryWatch::start(dir.path(), woken).unwrap();
        assert!(!watch.take());
        std::fs::write(dir.path().join("0001/review.toml"), "schema = 2\n").unwrap();
        // Waits for the notification (bounded, so a broken watch fails instead of hanging).
        let until = Instant::now() + Duration::from_secs(10);
        while !watch.take() {
            assert!(Instant::now() < until, "the change was not seen");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(WOKEN.load(Ordering::Acquire));
        // Reading the history (as the reviewer does when it changed) is not a change: were it
        // one, an open reviewer would wake itself for ever.
        let _ = std::fs::read_to_string(dir.path().join("0001/review.toml")).unwrap();
        std::thread::sleep(SETTLE * 5);
        assert!(!watch.take(), "a read woke the reviewer");
        assert!(!writes(notify::EventKind::Access(notify::event::AccessKind::Open(
            notify::event::AccessMode::Any
        ))));
        assert!(writes(notify::EventKind::Create(notify::event::CreateKind::File)));
        assert!(!matters(Path::new("/h/.review.lock")));
        assert!(!matters(Path::new("/h/viewed-ada-1234.toml")));
        assert!(matters(Path::new("/h/0002/review.toml")));
    }
}
