//! The one atomic write, the one sanitiser for untrusted text, and the project's file layout.
use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Who may read a file the tool writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// Documents and history: readable like any file in the project (0644).
    Shared,
    /// Sessions: answers may be sensitive, so owner-only (0600).
    OwnerOnly,
}

const TEMP_PREFIX: &str = ".spec-interview-";
const TEMP_SUFFIX: &str = ".tmp";

/// Removes the temp files of atomic writes in `dir` that a crash cut short. Call it only when
/// no other writer can be at work there (for sessions: while holding the session lock).
pub fn remove_interrupted_writes(dir: &Path) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for entry in read.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.rsplit('.').next() == Some(&TEMP_SUFFIX[1..]) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `contents` to `path` atomically: a temp file in the same folder, fsync, rename,
/// then fsync the folder, so a crash leaves either the old file or the new one, never half.
/// Missing parent folders are created.
pub fn atomic_write(path: &Path, contents: &[u8], privacy: Privacy) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    set_mode(tmp.as_file(), privacy)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

#[cfg(unix)]
fn set_mode(file: &fs::File, privacy: Privacy) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match privacy {
        Privacy::Shared => 0o644,
        Privacy::OwnerOnly => 0o600,
    };
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &fs::File, _privacy: Privacy) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Directories cannot be opened for syncing on every platform; the rename is still atomic.
    Ok(())
}

/// Makes untrusted text safe to show or store: control characters (other than newline and
/// tab) become visible symbols instead of reaching a terminal as escape sequences; CRLF and
/// lone CR become LF. Also neutralises bidirectional overrides, which can hide text.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    let needs_work = text.chars().any(|c| is_unsafe(c) || c == '\r');
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let normalised = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(normalised.len());
    for c in normalised.chars() {
        match c {
            '\r' => out.push('\n'),
            c if is_unsafe(c) => out.push(visible(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn visible(c: char) -> char {
    match c as u32 {
        // C0 controls have a picture each: U+2400 + code.
        n @ 0..=0x1F => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// The one-writer lock of a session: an OS file lock (released by the OS when the process dies)
/// on a separate `.lock` file, which is never replaced by rename (a renamed-over file loses its
/// lock). The file names its holder while it is held and is emptied on release, so finding it
/// non-empty on acquiring means its last holder died without releasing it.
#[derive(Debug)]
pub struct SessionLock {
    file: fs::File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the lock; the text says who and since when.
    #[error("{0}")]
    Held(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl SessionLock {
    /// Takes the lock at `path` for `holder` (a description such as "pid 12 on host since …").
    /// Returns the lock and, if a dead process left it behind, who that was.
    pub fn acquire(path: &Path, holder: &str) -> Result<(SessionLock, Option<String>), LockError> {
        let io = |source| LockError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = io::Read::read_to_string(&mut file, &mut text);
                let who = text.trim();
                return Err(LockError::Held(if who.is_empty() {
                    "another process".into()
                } else {
                    who.to_string()
                }));
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut previous = String::new();
        let _ = io::Read::read_to_string(&mut file, &mut previous);
        let stale = Some(previous.trim().to_string()).filter(|p| !p.is_empty());
        // Name first, then cut to length: a refused process never reads an empty file.
        io::Seek::seek(&mut file, io::SeekFrom::Start(0)).map_err(io)?;
        file.write_all(holder.as_bytes()).map_err(io)?;
        file.set_len(holder.len() as u64).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok((SessionLock { file }, stale))
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Empty means "released cleanly"; the OS drops the lock itself when the file closes.
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
        let _ = self.file.unlock();
    }
}

/// The project's `.specflow/` layout, rooted at the project directory (`-C DIR`).
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
}

impl Project {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
    pub fn specflow(&self) -> PathBuf {
        self.root.join(".specflow")
    }
    pub fn docs_dir(&self) -> PathBuf {
        self.specflow().join("docs")
    }
    pub fn history_dir(&self) -> PathBuf {
        self.specflow().join("history")
    }
    pub fn sessions_dir(&self) -> PathBuf {
        self.specflow().join("sessions")
    }
    pub fn questionnaires_dir(&self) -> PathBuf {
        self.specflow().join("questionnaires")
    }
    pub fn session_file(&self, questionnaire_id: &str) -> PathBuf {
        self.sessions_dir().join(format!("{questionnaire_id}.toml"))
    }
    pub fn session_lock(&self, questionnaire_id: &str) -> PathBuf {
        self.sessions_dir().join(format!("{questionnaire_id}.lock"))
    }
    /// The absolute location of a document path declared by a questionnaire
    /// (already checked by [`check_document_path`]).
    pub fn document_file(&self, declared: &str) -> PathBuf {
        self.root.join(declared)
    }
}

/// The prefix every document path must start with.
pub const DOCS_PREFIX: &str = ".specflow/docs/";

/// Checks a questionnaire's declared document path: relative, no `..`, inside
/// `.specflow/docs/`, a Markdown file name. Returns the problem as one sentence.
pub fn check_document_path(declared: &str) -> Result<(), String> {
    let path = Path::new(declared);
    if path.is_absolute() || declared.starts_with('/') || declared.starts_with('\\') {
        return Err(format!(
            "document path \"{declared}\" is absolute; write it relative to the project, under {DOCS_PREFIX}."
        ));
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) || declared.split(['/', '\\']).any(|p| p == "..") {
        return Err(format!(
            "document path \"{declared}\" contains \"..\"; it must stay inside {DOCS_PREFIX}."
        ));
    }
    if !declared.starts_with(DOCS_PREFIX) || declared.len() == DOCS_PREFIX.len() {
        return Err(format!(
            "document path \"{declared}\" leaves {DOCS_PREFIX}; documents are written only there."
        ));
    }
    if declared.contains('\\')
        || declared.contains("//")
        || declared.ends_with('/')
        || declared.split('/').any(|p| p == ".")
    {
        return Err(format!(
            "document path \"{declared}\" is not a plain relative file path; use forward slashes and no \".\" parts."
        ));
    }
    if path.extension().is_none_or(|e| e != "md") {
        return Err(format!(
            "document path \"{declared}\" must name a Markdown file ending in .md."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_leaves_plain_text_alone() {
        assert!(matches!(sanitize("plain\ttext\nok"), Cow::Borrowed(_)));
    }

    #[test]
    fn sanitize_makes_escapes_visible() {
        let s = sanitize("a\u{1b}[31mred\u{7}\r\nb\u{202E}c");
        assert_eq!(s, "a\u{241B}[31mred\u{2407}\nb\u{FFFD}c");
        assert!(!s.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn atomic_write_replaces_and_sets_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/file.toml");
        atomic_write(&path, b"one\n", Privacy::OwnerOnly).unwrap();
        atomic_write(&path, b"two\n", Privacy::OwnerOnly).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // No temp files are left behind.
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_session_lock_is_exclusive_and_a_dead_holder_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s/q.lock");
        let (first, stale) = SessionLock::acquire(&path, "pid 1 on here since now").unwrap();
        assert_eq!(stale, None);
        match SessionLock::acquire(&path, "pid 2") {
            Err(LockError::Held(who)) => assert_eq!(who, "pid 1 on here since now"),
            other => panic!("expected the lock to be held, got {other:?}"),
        }
        drop(first);
        let (second, stale) = SessionLock::acquire(&path, "pid 3").unwrap();
        assert_eq!(stale, None, "a clean release leaves nothing stale");
        drop(second);
        // A holder that died leaves its name in the file; the OS released its lock.
        fs::write(&path, "pid 9 on there since then").unwrap();
        let (_third, stale) = SessionLock::acquire(&path, "pid 4").unwrap();
        assert_eq!(stale.as_deref(), Some("pid 9 on there since then"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "pid 4");
    }

    #[test]
    fn document_paths_stay_inside_docs() {
        assert!(check_document_path(".specflow/docs/D04.md").is_ok());
        assert!(check_document_path(".specflow/docs/sub/D04.md").is_ok());
        for bad in [
            "/etc/passwd.md",
            ".specflow/docs/../x.md",
            "../x.md",
            ".specflow/x.md",
            "docs/x.md",
            ".specflow/docs/",
            ".specflow/docs/x.txt",
            ".specflow/docs/./x.md",
            ".specflow/docs\\..\\x.md",
        ] {
            assert!(check_document_path(bad).is_err(), "{bad} should be refused");
        }
    }
}
