//! The project's files: every read, write, lock and rename under `.specflow/` goes through a
//! folder handle opened part by part from the project root without following links, and every
//! file is written by the one atomic write here. Links, FIFOs, devices and sockets inside
//! `.specflow/` are refused with one sentence naming them.
//!
//! Folders are opened one path part at a time (`openat` with `O_NOFOLLOW | O_DIRECTORY`) and
//! then used by handle, so a link swapped in while a save runs cannot redirect it: the handle
//! still names the folder that was opened. The project root itself (`-C DIR`) may be a link.
use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read as _, Write as _};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::core::sanitize::shown_path;

/// The sanitiser lives in its own module; this name is kept for the code that imports it here.
pub use crate::core::sanitize::sanitize;

/// Who may read a file the tool writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// Documents and history: readable like any file in the project (0644).
    Shared,
    /// Sessions: answers may be sensitive, so owner-only (0600).
    OwnerOnly,
}

impl Privacy {
    fn mode(self) -> Mode {
        match self {
            Privacy::Shared => Mode::from_raw_mode(0o644),
            Privacy::OwnerOnly => Mode::from_raw_mode(0o600),
        }
    }
}

/// A short, readable reason for an I/O error.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        io::ErrorKind::InvalidData => "it is not valid UTF-8 text".into(),
        io::ErrorKind::StorageFull => "the disk is full".into(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

// ───────────────────────────── errors ─────────────────────────────

/// What the refused or failed operation was doing, for the end of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

impl Access {
    fn consequence(self) -> &'static str {
        match self {
            Access::Read => "it was not read",
            Access::Write => "nothing was written",
        }
    }
}

/// Why a path of the project could not be used.
#[derive(Debug)]
pub enum FsProblem {
    /// A symbolic link where spec-interview expects its own file or folder.
    Link,
    /// A FIFO, a device or a socket (the text says which).
    Special(&'static str),
    /// Something other than a folder where a folder belongs.
    NotFolder,
    /// A folder where a file belongs.
    IsFolder,
    /// A path part that would leave the project (`..`, an absolute path, an empty part).
    Outside,
    Io(io::Error),
}

/// A path of the project that could not be used, as one sentence naming it.
#[derive(Debug)]
pub struct FsError {
    pub path: PathBuf,
    pub access: Access,
    pub problem: FsProblem,
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = shown_path(&self.path);
        let then = self.access.consequence();
        match &self.problem {
            FsProblem::Link => write!(
                f,
                "{path} is a symbolic link, and spec-interview follows no links inside .specflow/, so {then}."
            ),
            FsProblem::Special(kind) => write!(f, "{path} is {kind}, not a regular file, so {then}."),
            FsProblem::NotFolder => write!(f, "{path} is not a folder, so {then}."),
            FsProblem::IsFolder => write!(f, "{path} is a folder, not a file, so {then}."),
            FsProblem::Outside => write!(f, "{path} leaves the project, so {then}."),
            FsProblem::Io(e) => write!(f, "{path}: {}.", io_reason(e)),
        }
    }
}

impl std::error::Error for FsError {}

impl FsError {
    fn io(path: PathBuf, access: Access, e: impl Into<io::Error>) -> FsError {
        FsError {
            path,
            access,
            problem: FsProblem::Io(e.into()),
        }
    }

    /// "No such file or folder" at `path`.
    pub fn not_found(path: PathBuf, access: Access) -> FsError {
        FsError::io(path, access, io::Error::from(io::ErrorKind::NotFound))
    }

    /// A file whose bytes are not UTF-8 text.
    pub fn not_text(path: PathBuf) -> FsError {
        FsError::io(path, Access::Read, io::Error::from(io::ErrorKind::InvalidData))
    }

    /// The same problem, said of a write (a save refuses before writing anything).
    #[must_use]
    pub fn when_writing(mut self) -> FsError {
        self.access = Access::Write;
        self
    }

    /// The underlying I/O error, when that is what it was.
    pub fn io_error(&self) -> Option<&io::Error> {
        match &self.problem {
            FsProblem::Io(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this is a refusal (a link, a special file, a file where a folder belongs…)
    /// rather than an I/O failure.
    pub fn is_refusal(&self) -> bool {
        !matches!(self.problem, FsProblem::Io(_))
    }

    /// The reason alone, without the path: "permission denied", "it is a symbolic link"…
    pub fn reason(&self) -> String {
        match &self.problem {
            FsProblem::Link => "it is a symbolic link, and spec-interview follows no links inside .specflow/".into(),
            FsProblem::Special(kind) => format!("it is {kind}, not a regular file"),
            FsProblem::NotFolder => "it is not a folder".into(),
            FsProblem::IsFolder => "it is a folder, not a file".into(),
            FsProblem::Outside => "it leaves the project".into(),
            FsProblem::Io(e) => io_reason(e),
        }
    }
}

/// What kind of thing a directory entry is (never following a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
    /// A FIFO, device or socket: its description.
    Special(&'static str),
}

impl Kind {
    fn of(file_type: FileType) -> Kind {
        match file_type {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Folder,
            FileType::Symlink => Kind::Link,
            FileType::Fifo => Kind::Special("a FIFO (named pipe)"),
            FileType::Socket => Kind::Special("a socket"),
            FileType::CharacterDevice => Kind::Special("a character device"),
            FileType::BlockDevice => Kind::Special("a block device"),
            FileType::Unknown => Kind::Special("a special file"),
        }
    }

    fn of_stat(stat: &rfs::Stat) -> Kind {
        Kind::of(FileType::from_raw_mode(stat.st_mode))
    }

    /// The problem of finding this where a regular file belongs; `None` for a file.
    pub fn file_problem(self) -> Option<FsProblem> {
        match self {
            Kind::File => None,
            Kind::Folder => Some(FsProblem::IsFolder),
            Kind::Link => Some(FsProblem::Link),
            Kind::Special(kind) => Some(FsProblem::Special(kind)),
        }
    }
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: OsString,
    pub kind: Kind,
}

impl Entry {
    /// The name, when it is UTF-8.
    pub fn name(&self) -> Option<&str> {
        self.name.to_str()
    }
}

// ───────────────────────────── folders ─────────────────────────────

/// An open folder of the project, reached without following a link. Everything done through
/// it stays in that folder, whatever is renamed or linked around it meanwhile.
#[derive(Debug)]
pub struct Folder {
    fd: OwnedFd,
    /// For messages only.
    path: PathBuf,
}

/// Flags of every open: no link followed, never a controlling terminal, closed on exec.
fn base_flags() -> OFlags {
    OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY
}

/// Checks one path part: a plain name, never `.`, `..`, empty or holding a slash.
fn check_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\0'])
}

impl Folder {
    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn child(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    fn refuse(&self, name: &str, access: Access, problem: FsProblem) -> FsError {
        FsError {
            path: self.child(name),
            access,
            problem,
        }
    }

    fn named(&self, name: &str, access: Access) -> Result<(), FsError> {
        if check_name(name) {
            Ok(())
        } else {
            Err(self.refuse(name, access, FsProblem::Outside))
        }
    }

    /// What `name` is, without following a link; `None` when there is nothing.
    pub fn kind_of(&self, name: &str) -> Result<Option<Kind>, FsError> {
        self.named(name, Access::Read)?;
        match rfs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(Kind::of_stat(&stat))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(FsError::io(self.child(name), Access::Read, e)),
        }
    }

    /// The problem with `name` after an open refused it (a link, a special file, a file where
    /// a folder belongs), found by looking at it without following it.
    fn classify(&self, name: &str, access: Access, error: Errno, want_folder: bool) -> FsError {
        match rfs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW).map(|s| Kind::of_stat(&s)) {
            Ok(Kind::Link) => self.refuse(name, access, FsProblem::Link),
            Ok(Kind::Special(kind)) => self.refuse(name, access, FsProblem::Special(kind)),
            Ok(Kind::File) if want_folder => self.refuse(name, access, FsProblem::NotFolder),
            Ok(Kind::Folder) if !want_folder => self.refuse(name, access, FsProblem::IsFolder),
            _ => FsError::io(self.child(name), access, error),
        }
    }

    /// The sub-folder `name`, made first when missing and `create` is set; `None` when it is
    /// missing and `create` is not set. A link or anything else than a folder is refused.
    pub fn folder(&self, name: &str, create: bool) -> Result<Option<Folder>, FsError> {
        let access = if create { Access::Write } else { Access::Read };
        self.named(name, access)?;
        let flags = base_flags() | OFlags::RDONLY | OFlags::DIRECTORY;
        let mut made = false;
        loop {
            match rfs::openat(&self.fd, name, flags, Mode::empty()) {
                Ok(fd) => {
                    return Ok(Some(Folder {
                        fd,
                        path: self.child(name),
                    }));
                }
                Err(Errno::NOENT) if create && !made => {
                    match rfs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o755)) {
                        Ok(()) | Err(Errno::EXIST) => made = true,
                        Err(e) => return Err(FsError::io(self.child(name), access, e)),
                    }
                }
                Err(Errno::NOENT) => return Ok(None),
                Err(e) => return Err(self.classify(name, access, e, true)),
            }
        }
    }

    /// Opens the regular file `name` for reading. A FIFO is opened without waiting for a
    /// writer and then refused, like a device or a socket; a link is refused.
    fn open_file(&self, name: &str) -> Result<Option<fs::File>, FsError> {
        self.named(name, Access::Read)?;
        let flags = base_flags() | OFlags::RDONLY | OFlags::NONBLOCK;
        let fd = match rfs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(self.classify(name, Access::Read, e, false)),
        };
        let stat = rfs::fstat(&fd).map_err(|e| FsError::io(self.child(name), Access::Read, e))?;
        if let Some(problem) = Kind::of_stat(&stat).file_problem() {
            return Err(self.refuse(name, Access::Read, problem));
        }
        Ok(Some(fs::File::from(fd)))
    }

    /// The bytes of the regular file `name`; `None` when there is no such file.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>, FsError> {
        let Some(mut file) = self.open_file(name)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| FsError::io(self.child(name), Access::Read, e))?;
        Ok(Some(bytes))
    }

    /// The first `limit + 1` bytes at most of the regular file `name` (so that a caller with a
    /// size limit can tell a file past it); `None` when there is no such file.
    pub fn read_at_most(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, FsError> {
        let Some(file) = self.open_file(name)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| FsError::io(self.child(name), Access::Read, e))?;
        Ok(Some(bytes))
    }

    /// The text of the regular file `name`; `None` when there is no such file. Bytes that are
    /// not UTF-8 are an error naming the file.
    pub fn read_text(&self, name: &str) -> Result<Option<String>, FsError> {
        match self.read(name)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
                FsError::io(
                    self.child(name),
                    Access::Read,
                    io::Error::from(io::ErrorKind::InvalidData),
                )
            }),
        }
    }

    /// Writes `contents` to `name` in this folder with the one atomic write. A link, folder or
    /// special file standing at `name` is refused and left as it is.
    pub fn write(&self, name: &str, contents: &[u8], privacy: Privacy) -> Result<(), FsError> {
        self.named(name, Access::Write)?;
        if let Some(problem) = self.kind_of(name)?.and_then(Kind::file_problem) {
            return Err(self.refuse(name, Access::Write, problem));
        }
        write_atomically(self.fd.as_fd(), &self.path, name, contents, privacy)
    }

    /// Every entry but `.` and `..`, in no particular order.
    pub fn entries(&self) -> Result<Vec<Entry>, FsError> {
        let failed = |e: Errno| FsError::io(self.path.clone(), Access::Read, e);
        let dir = rfs::Dir::read_from(&self.fd).map_err(failed)?;
        let mut out = Vec::new();
        for entry in dir {
            let entry = entry.map_err(failed)?;
            let bytes = entry.file_name().to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let name = OsString::from_vec(bytes.to_vec());
            let kind = match entry.file_type() {
                FileType::Unknown => match rfs::statat(&self.fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(stat) => Kind::of_stat(&stat),
                    Err(_) => continue,
                },
                known => Kind::of(known),
            };
            out.push(Entry { name, kind });
        }
        Ok(out)
    }

    /// Makes the sub-folder `name`; false when something already has that name.
    pub fn create_folder(&self, name: &str) -> Result<bool, FsError> {
        self.named(name, Access::Write)?;
        match rfs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o755)) {
            Ok(()) => Ok(true),
            Err(Errno::EXIST) => Ok(false),
            Err(e) => Err(FsError::io(self.child(name), Access::Write, e)),
        }
    }

    /// Renames `from` in this folder to `to` in `target`, never over an existing entry.
    pub fn rename_new(&self, from: &str, target: &Folder, to: &str) -> Result<(), FsError> {
        self.named(from, Access::Write)?;
        target.named(to, Access::Write)?;
        let failed = |e: Errno| FsError::io(target.child(to), Access::Write, e);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        match rfs::renameat_with(&self.fd, from, &target.fd, to, rfs::RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            // File systems without it: check, then rename (callers hold the history lock).
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(failed(e)),
        }
        if target.kind_of(to)?.is_some() {
            return Err(failed(Errno::EXIST));
        }
        rfs::renameat(&self.fd, from, &target.fd, to).map_err(failed)
    }

    /// Renames `from` to `to` in this folder, replacing what `to` is (never following a link).
    pub fn rename_over(&self, from: &str, to: &str) -> Result<(), FsError> {
        self.named(from, Access::Write)?;
        self.named(to, Access::Write)?;
        rfs::renameat(&self.fd, from, &self.fd, to).map_err(|e| FsError::io(self.child(to), Access::Write, e))
    }

    /// Removes the file (or link) `name`; nothing there is fine.
    pub fn remove_file(&self, name: &str) -> Result<(), FsError> {
        self.named(name, Access::Write)?;
        match rfs::unlinkat(&self.fd, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(FsError::io(self.child(name), Access::Write, e)),
        }
    }

    /// Removes the folder `name` and everything in it, following no link (a link inside is
    /// removed, never what it points at); nothing there is fine.
    pub fn remove_tree(&self, name: &str) -> Result<(), FsError> {
        let Some(folder) = self.folder(name, false)? else {
            return Ok(());
        };
        for entry in folder.entries()? {
            let Some(child) = entry.name().map(str::to_string) else {
                // Names that are not UTF-8 are removed by their bytes.
                let _ = rfs::unlinkat(&folder.fd, entry.name.as_os_str(), AtFlags::empty());
                continue;
            };
            if entry.kind == Kind::Folder {
                folder.remove_tree(&child)?;
            } else {
                folder.remove_file(&child)?;
            }
        }
        drop(folder);
        match rfs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(FsError::io(self.child(name), Access::Write, e)),
        }
    }

    /// Flushes the folder's entries (new names, renames) to the disk.
    pub fn sync(&self) -> Result<(), FsError> {
        rfs::fsync(&self.fd).map_err(|e| FsError::io(self.path.clone(), Access::Write, e))
    }

    /// Opens (creating it if needed) the lock file `name`: a regular file, never a link, never
    /// a FIFO (opened without waiting, then refused).
    fn open_lock_file(&self, name: &str, privacy: Privacy) -> Result<fs::File, FsError> {
        self.named(name, Access::Write)?;
        let flags = base_flags() | OFlags::RDWR | OFlags::CREATE | OFlags::NONBLOCK;
        let fd = rfs::openat(&self.fd, name, flags, privacy.mode())
            .map_err(|e| self.classify(name, Access::Write, e, false))?;
        let stat = rfs::fstat(&fd).map_err(|e| FsError::io(self.child(name), Access::Write, e))?;
        if let Some(problem) = Kind::of_stat(&stat).file_problem() {
            return Err(self.refuse(name, Access::Write, problem));
        }
        // Back to blocking reads and writes for the holder text; the open no longer waits.
        let _ = rfs::fcntl_setfl(&fd, OFlags::empty());
        Ok(fs::File::from(fd))
    }

    /// Takes the lock file `name` in this folder, waiting while another process holds it.
    /// The OS releases it if the holder dies.
    pub fn lock(&self, name: &str) -> Result<HeldLock, FsError> {
        let file = self.open_lock_file(name, Privacy::Shared)?;
        file.lock()
            .map_err(|e| FsError::io(self.child(name), Access::Write, e))?;
        Ok(HeldLock { _file: file })
    }

    /// Removes the temp files that killed atomic writes of `target` left in this folder (and
    /// those of older versions, which did not name their target). Call it only while no other
    /// write of `target` can be at work (holding the lock that guards it).
    pub fn remove_interrupted_writes(&self, target: &str) {
        let Ok(entries) = self.entries() else { return };
        let own = temp_prefix(target);
        for entry in entries.into_iter().filter(|e| e.kind == Kind::File) {
            let Some(name) = entry.name() else { continue };
            let ours = name.starts_with(&own) && name.ends_with(TEMP_SUFFIX);
            if ours || is_legacy_temp(name) {
                let _ = self.remove_file(name);
            }
        }
    }
}

/// An exclusive lock held until dropped (the OS releases it when the file closes).
#[derive(Debug)]
pub struct HeldLock {
    _file: fs::File,
}

// ───────────────────────────── the atomic write ─────────────────────────────

/// Temp files of the atomic write: `.<target>~<unique>.spec-interview.tmp`, beside the target.
const TEMP_SUFFIX: &str = ".spec-interview.tmp";
/// What versions before the target was named in the temp file called theirs.
const LEGACY_TEMP_PREFIX: &str = ".spec-interview-";
/// The longest piece of the target's name kept in a temp file's name (file names are limited).
const TEMP_NAME_KEEP: usize = 96;

/// Whether `name` is the temp file of an atomic write by an older version (which did not name
/// the target in it).
pub fn is_legacy_temp(name: &str) -> bool {
    name.starts_with(LEGACY_TEMP_PREFIX) && Path::new(name).extension().is_some_and(|e| e == "tmp")
}

fn temp_prefix(target: &str) -> String {
    let mut end = target.len().min(TEMP_NAME_KEEP);
    while !target.is_char_boundary(end) {
        end -= 1;
    }
    format!(".{}~", &target[..end])
}

/// The one atomic write: a new temp file beside the target (created exclusively, never through
/// a link), written, given its mode, synced, renamed over the target, then the folder synced,
/// so a crash leaves the old file or the new one, never half of one. On failure the temp file
/// is removed and the target is left as it was.
fn write_atomically(
    dir: BorrowedFd<'_>,
    dir_path: &Path,
    name: &str,
    contents: &[u8],
    privacy: Privacy,
) -> Result<(), FsError> {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    let failed = |e: io::Error| FsError::io(dir_path.join(name), Access::Write, e);
    #[cfg(test)]
    faults::check(name).map_err(failed)?;
    let prefix = temp_prefix(name);
    let flags = base_flags() | OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL;
    let (temp, fd) = loop {
        let unique = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = format!("{prefix}{:x}-{unique:x}-{nanos:x}{TEMP_SUFFIX}", std::process::id());
        match rfs::openat(dir, temp.as_str(), flags, Mode::from_raw_mode(0o600)) {
            Ok(fd) => break (temp, fd),
            Err(Errno::EXIST) => {}
            Err(e) => return Err(failed(e.into())),
        }
    };
    let written = (|| -> io::Result<()> {
        let mut file = fs::File::from(fd);
        file.write_all(contents)?;
        rfs::fchmod(&file, privacy.mode())?;
        file.sync_all()?;
        drop(file);
        rfs::renameat(dir, temp.as_str(), dir, name)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = rfs::unlinkat(dir, temp.as_str(), AtFlags::empty());
        return Err(failed(e));
    }
    rfs::fsync(dir).map_err(|e| failed(e.into()))
}

/// Reads a file the user named on the command line (an answers file, a questionnaire to
/// validate): it may be anywhere and links are followed, but a FIFO nobody writes to reads as
/// empty instead of waiting, so a planted FIFO cannot stall a command. A pipe with a writer
/// (`--answers /dev/stdin`) reads as usual.
pub fn read_user_file(path: &Path) -> io::Result<String> {
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = rfs::open(path, flags, Mode::empty())?;
    if Kind::of_stat(&rfs::fstat(&fd)?) == Kind::Folder {
        return Err(io::Error::from(io::ErrorKind::IsADirectory));
    }
    rfs::fcntl_setfl(&fd, OFlags::empty())?;
    let mut text = String::new();
    fs::File::from(fd).read_to_string(&mut text)?;
    Ok(text)
}

/// Reads at most `limit + 1` bytes of the regular file at `path`, a file outside a project's
/// `.specflow/` (the user's configuration, a file named on the command line). A FIFO, device or
/// socket is refused without waiting on it; with `follow_links` false a link at `path` itself
/// is refused too (`O_NOFOLLOW`, not a check before opening).
pub fn read_regular_file(path: &Path, follow_links: bool, limit: u64) -> Result<Vec<u8>, FsError> {
    let refuse = |problem| FsError {
        path: path.to_path_buf(),
        access: Access::Read,
        problem,
    };
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    if !follow_links {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = match rfs::open(path, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::LOOP) if !follow_links => return Err(refuse(FsProblem::Link)),
        Err(e) => return Err(FsError::io(path.to_path_buf(), Access::Read, e)),
    };
    let stat = rfs::fstat(&fd).map_err(|e| FsError::io(path.to_path_buf(), Access::Read, e))?;
    if let Some(problem) = Kind::of_stat(&stat).file_problem() {
        return Err(refuse(problem));
    }
    let mut bytes = Vec::new();
    fs::File::from(fd)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| FsError::io(path.to_path_buf(), Access::Read, e))?;
    Ok(bytes)
}

/// Writes a file the user named on the command line (`render --output FILE`): it may be
/// anywhere, like a shell redirect's target, and links to it are followed. A regular file (or
/// a new one) is written with the one atomic write; a FIFO, a terminal or another device is
/// written into directly, and a FIFO nobody reads is refused instead of waiting for a reader.
pub fn write_user_file(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    let failed = |e: io::Error| FsError::io(path.to_path_buf(), Access::Write, e);
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(FsError {
            path: path.to_path_buf(),
            access: Access::Write,
            problem: FsProblem::IsFolder,
        }),
        Ok(meta) if !meta.is_file() => write_into_special(path, contents),
        Ok(_) => {
            // Through any link to the file it names, as a redirect writes through it.
            let target = fs::canonicalize(path).map_err(failed)?;
            write_in_named_folder(&target, contents)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                // A link to nothing: say so rather than guess where it meant to write.
                return Err(failed(io::Error::other(
                    "it is a symbolic link to a file that does not exist",
                )));
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(failed)?;
            }
            write_in_named_folder(path, contents)
        }
        Err(e) => Err(failed(e)),
    }
}

fn write_in_named_folder(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    let failed = |e: io::Error| FsError::io(path.to_path_buf(), Access::Write, e);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| failed(io::Error::new(io::ErrorKind::InvalidInput, "it names no file")))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = rfs::open(
        parent,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| failed(e.into()))?;
    write_atomically(dir.as_fd(), parent, name, contents, Privacy::Shared)
}

fn write_into_special(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    let failed = |e: io::Error| FsError::io(path.to_path_buf(), Access::Write, e);
    let flags = OFlags::WRONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = match rfs::open(path, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NXIO) => {
            return Err(failed(io::Error::other(
                "it is a FIFO no program is reading (or a socket), so nothing was written",
            )));
        }
        Err(e) => return Err(failed(e.into())),
    };
    rfs::fcntl_setfl(&fd, OFlags::empty()).map_err(|e| failed(e.into()))?;
    let mut file = fs::File::from(fd);
    file.write_all(contents).map_err(failed)?;
    file.flush().map_err(failed)
}

/// Failures made to order, for the tests of what a failed write leaves (permissions do not
/// bind the superuser, and a full disk cannot be made at will).
#[cfg(test)]
pub(crate) mod faults {
    use std::cell::RefCell;
    use std::io;

    thread_local! {
        static FAILING: RefCell<Vec<(String, io::ErrorKind)>> = const { RefCell::new(Vec::new()) };
    }

    /// Makes every atomic write of a file called `name` on this thread fail with `kind`.
    pub fn fail_writes_of(name: &str, kind: io::ErrorKind) {
        FAILING.with(|f| f.borrow_mut().push((name.to_string(), kind)));
    }

    pub fn clear() {
        FAILING.with(|f| f.borrow_mut().clear());
    }

    pub(super) fn check(name: &str) -> io::Result<()> {
        FAILING.with(|f| match f.borrow().iter().find(|(n, _)| n == name) {
            Some((_, kind)) => Err(io::Error::from(*kind)),
            None => Ok(()),
        })
    }
}

// ───────────────────────────── the session lock ─────────────────────────────

/// The one-writer lock of a session: an OS file lock (released by the OS when the process dies)
/// on a separate `.lock` file, which is never replaced by rename (a renamed-over file loses its
/// lock). The file names its holder while it is held and is emptied on release, so finding it
/// non-empty on acquiring means its last holder died without releasing it. The file holds one
/// line of plain text, not a format: it has no schema number.
#[derive(Debug)]
pub struct SessionLock {
    file: fs::File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the lock; the text says who and since when.
    #[error("{0}")]
    Held(String),
    #[error(transparent)]
    Fs(#[from] FsError),
}

impl SessionLock {
    /// Takes the lock of questionnaire `id`'s session for `holder` (a description such as
    /// "pid 12 on host since …"). Returns the lock and, if a dead process left it behind, who
    /// that was.
    pub fn acquire(project: &Project, id: &str, holder: &str) -> Result<(SessionLock, Option<String>), LockError> {
        // An instance's session (`id/instance`) is locked in its questionnaire's folder.
        let (folder, stem) = match id.split_once('/') {
            Some((questionnaire, instance)) => (
                project
                    .folder(&format!("{SESSIONS}/{questionnaire}"), true)?
                    .ok_or_else(|| FsError::not_found(project.session_lock(id), Access::Write))?,
                instance,
            ),
            None => (project.sessions_folder(true)?, id),
        };
        let id = stem;
        let name = format!("{id}.lock");
        let mut file = folder.open_lock_file(&name, Privacy::OwnerOnly)?;
        let path = folder.child(&name);
        let io = |e: io::Error| LockError::Fs(FsError::io(path.clone(), Access::Write, e));
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
        // Not synced: the OS lock is what excludes, and the name only has to outlive this
        // process, which the page cache does. (A crash of the whole machine ends the lock too;
        // the next start then misses only the "took over from" line. Syncing waited for a disk
        // write, 0.7–0.9 ms before the first frame.)
        // Holding the lock, no session write in progress can be another's to disturb.
        folder.remove_interrupted_writes(&format!("{id}.toml"));
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

// ───────────────────────────── the project ─────────────────────────────

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
    /// The location of a document path declared by a questionnaire (already checked by
    /// [`check_document_path`]), for messages; open it with [`Project::folder`].
    pub fn document_file(&self, declared: &str) -> PathBuf {
        self.root.join(declared)
    }

    /// The project root, opened as it is named (it may be a link: `-C DIR` is the user's).
    pub fn root_folder(&self) -> Result<Folder, FsError> {
        let path = if self.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            self.root.as_path()
        };
        let fd = rfs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| FsError::io(self.root.clone(), Access::Read, e))?;
        Ok(Folder {
            fd,
            path: self.root.clone(),
        })
    }

    /// The folder at `relative` (parts separated by `/`, e.g. `.specflow/history/D04`),
    /// opened part by part without following links; made when missing and `create` is set,
    /// else `None` when missing.
    pub fn folder(&self, relative: &str, create: bool) -> Result<Option<Folder>, FsError> {
        let mut folder = self.root_folder()?;
        for part in relative.split('/') {
            match folder.folder(part, create)? {
                Some(next) => folder = next,
                None => return Ok(None),
            }
        }
        Ok(Some(folder))
    }

    /// The folder holding the file at `relative`, and the file's name.
    pub fn parent_folder<'a>(&self, relative: &'a str, create: bool) -> Result<Option<(Folder, &'a str)>, FsError> {
        let (dir, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        let folder = if dir.is_empty() {
            Some(self.root_folder()?)
        } else {
            self.folder(dir, create)?
        };
        Ok(folder.map(|f| (f, name)))
    }

    /// The text of the project file at `relative`; `None` when it (or a folder above it) is
    /// missing. Links and special files are refused.
    pub fn read_text(&self, relative: &str) -> Result<Option<String>, FsError> {
        match self.parent_folder(relative, false)? {
            Some((folder, name)) => folder.read_text(name),
            None => Ok(None),
        }
    }

    /// The bytes of the project file at `relative`, as [`Project::read_text`].
    pub fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, FsError> {
        match self.parent_folder(relative, false)? {
            Some((folder, name)) => folder.read(name),
            None => Ok(None),
        }
    }

    /// Writes the project file at `relative` with the one atomic write, making its folders.
    pub fn write(&self, relative: &str, contents: &[u8], privacy: Privacy) -> Result<(), FsError> {
        match self.parent_folder(relative, true)? {
            Some((folder, name)) => folder.write(name, contents, privacy),
            None => Err(FsError {
                path: self.root.join(relative),
                access: Access::Write,
                problem: FsProblem::Outside,
            }),
        }
    }

    /// `.specflow/sessions`, made when `create` is set.
    pub fn sessions_folder(&self, create: bool) -> Result<Folder, FsError> {
        self.folder(SESSIONS, create)?.ok_or_else(|| FsError {
            path: self.sessions_dir(),
            access: Access::Read,
            problem: FsProblem::Io(io::Error::from(io::ErrorKind::NotFound)),
        })
    }
}

/// Where sessions live, relative to the project root.
pub const SESSIONS: &str = ".specflow/sessions";
/// Where a project's own questionnaires live, relative to the project root.
pub const QUESTIONNAIRES: &str = ".specflow/questionnaires";
/// Where a project's own themes live, relative to the project root.
pub const THEMES: &str = ".specflow/themes";
/// Where revisions live, relative to the project root.
pub const HISTORY: &str = ".specflow/history";

/// The prefix every document path must start with.
pub const DOCS_PREFIX: &str = ".specflow/docs/";

/// Checks a questionnaire's declared document path: relative, no `..`, inside
/// `.specflow/docs/`, a Markdown file name. Returns the problem as one sentence.
pub fn check_document_path(declared: &str, extensions: &[&str]) -> Result<(), String> {
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
    if path.extension().is_none_or(|e| !extensions.iter().any(|x| e == *x)) {
        return Err(match extensions {
            ["md"] => format!("document path \"{declared}\" must name a Markdown file ending in .md."),
            _ => format!(
                "document path \"{declared}\" must end in .{} for a document of its kind.",
                extensions.join(" or .")
            ),
        });
    }
    // A history is kept under the path without ".md", so "x.yaml.md" would share the key of
    // "x.yaml".
    if extensions == ["md"] && (declared.ends_with(".yaml.md") || declared.ends_with(".yml.md")) {
        return Err(format!(
            "document path \"{declared}\" ends in .yaml.md; name a Markdown document without .yaml before .md."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path().join("p"));
        fs::create_dir_all(&project.root).unwrap();
        (dir, project)
    }

    #[test]
    fn atomic_write_replaces_and_sets_mode() {
        let (_dir, project) = project();
        project
            .write(".specflow/a/b/file.toml", b"one\n", Privacy::OwnerOnly)
            .unwrap();
        project
            .write(".specflow/a/b/file.toml", b"two\n", Privacy::OwnerOnly)
            .unwrap();
        let path = project.root.join(".specflow/a/b/file.toml");
        assert_eq!(fs::read_to_string(&path).unwrap(), "two\n");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        // No temp files are left behind.
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn links_inside_the_project_are_refused_at_every_level_and_nothing_is_written() {
        let (dir, project) = project();
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        // .specflow itself, then a folder below it, then the file.
        symlink(&outside, project.root.join(".specflow")).unwrap();
        let err = project.write(".specflow/docs/x.md", b"x", Privacy::Shared).unwrap_err();
        assert!(matches!(err.problem, FsProblem::Link), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{} is a symbolic link, and spec-interview follows no links inside .specflow/, so nothing was written.",
                project.root.join(".specflow").display()
            )
        );
        fs::remove_file(project.root.join(".specflow")).unwrap();
        fs::create_dir_all(project.root.join(".specflow")).unwrap();
        symlink(&outside, project.root.join(".specflow/docs")).unwrap();
        assert!(matches!(
            project
                .write(".specflow/docs/x.md", b"x", Privacy::Shared)
                .unwrap_err()
                .problem,
            FsProblem::Link
        ));
        assert!(matches!(
            project.read_text(".specflow/docs/x.md").unwrap_err().problem,
            FsProblem::Link
        ));
        fs::remove_file(project.root.join(".specflow/docs")).unwrap();
        fs::create_dir_all(project.root.join(".specflow/docs")).unwrap();
        let target = outside.join("notes.txt");
        fs::write(&target, "mine").unwrap();
        symlink(&target, project.root.join(".specflow/docs/x.md")).unwrap();
        let err = project.write(".specflow/docs/x.md", b"x", Privacy::Shared).unwrap_err();
        assert!(matches!(err.problem, FsProblem::Link), "{err:?}");
        assert!(matches!(
            project.read_text(".specflow/docs/x.md").unwrap_err().problem,
            FsProblem::Link
        ));
        assert_eq!(fs::read_to_string(&target).unwrap(), "mine");
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 1, "nothing written outside");
    }

    #[test]
    fn the_root_may_be_a_link() {
        let (dir, project) = project();
        let link = dir.path().join("link");
        symlink(&project.root, &link).unwrap();
        let through = Project::new(&link);
        through.write(".specflow/docs/x.md", b"x", Privacy::Shared).unwrap();
        assert_eq!(fs::read(project.root.join(".specflow/docs/x.md")).unwrap(), b"x");
    }

    #[test]
    fn a_fifo_is_refused_without_waiting() {
        let (_dir, project) = project();
        fs::create_dir_all(project.root.join(".specflow/docs")).unwrap();
        let fifo = project.root.join(".specflow/docs/x.md");
        rfs::mknodat(rfs::CWD, &fifo, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
        let err = project.read_text(".specflow/docs/x.md").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{} is a FIFO (named pipe), not a regular file, so it was not read.",
                fifo.display()
            )
        );
        let err = project.write(".specflow/docs/x.md", b"x", Privacy::Shared).unwrap_err();
        assert!(matches!(err.problem, FsProblem::Special(_)), "{err:?}");
        let folder = project.folder(".specflow/docs", false).unwrap().unwrap();
        assert!(matches!(
            folder.lock("x.md").unwrap_err().problem,
            FsProblem::Special(_)
        ));
    }

    #[test]
    fn a_session_lock_is_exclusive_and_a_dead_holder_is_noticed() {
        let (_dir, project) = project();
        let path = project.session_lock("q");
        let (first, stale) = SessionLock::acquire(&project, "q", "pid 1 on here since now").unwrap();
        assert_eq!(stale, None);
        match SessionLock::acquire(&project, "q", "pid 2") {
            Err(LockError::Held(who)) => assert_eq!(who, "pid 1 on here since now"),
            other => panic!("expected the lock to be held, got {other:?}"),
        }
        drop(first);
        let (second, stale) = SessionLock::acquire(&project, "q", "pid 3").unwrap();
        assert_eq!(stale, None, "a clean release leaves nothing stale");
        drop(second);
        // A holder that died leaves its name in the file; the OS released its lock.
        fs::write(&path, "pid 9 on there since then").unwrap();
        let (_third, stale) = SessionLock::acquire(&project, "q", "pid 4").unwrap();
        assert_eq!(stale.as_deref(), Some("pid 9 on there since then"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "pid 4");
    }

    #[test]
    fn a_linked_session_lock_is_refused_and_its_target_untouched() {
        let (dir, project) = project();
        let notes = dir.path().join("notes.txt");
        fs::write(&notes, "my notes").unwrap();
        fs::create_dir_all(project.sessions_dir()).unwrap();
        symlink(&notes, project.session_lock("q")).unwrap();
        let err = SessionLock::acquire(&project, "q", "pid 1").unwrap_err();
        assert!(
            matches!(&err, LockError::Fs(e) if matches!(e.problem, FsProblem::Link)),
            "{err:?}"
        );
        assert_eq!(fs::read_to_string(&notes).unwrap(), "my notes");
        // A dangling link creates nothing where it points.
        let nowhere = dir.path().join("nowhere");
        symlink(&nowhere, project.sessions_dir().join("r.lock")).unwrap();
        assert!(SessionLock::acquire(&project, "r", "pid 1").is_err());
        assert!(!nowhere.exists());
    }

    #[test]
    fn interrupted_writes_of_one_target_are_removed_and_others_kept() {
        let (_dir, project) = project();
        project.write(".specflow/docs/a.md", b"a", Privacy::Shared).unwrap();
        let docs = project.root.join(".specflow/docs");
        fs::write(docs.join(".a.md~1-2-3.spec-interview.tmp"), "half").unwrap();
        fs::write(docs.join(".b.md~1-2-3.spec-interview.tmp"), "other").unwrap();
        fs::write(docs.join(".spec-interview-XyZ.tmp"), "old").unwrap();
        project
            .folder(".specflow/docs", false)
            .unwrap()
            .unwrap()
            .remove_interrupted_writes("a.md");
        let mut names: Vec<String> = fs::read_dir(&docs)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".b.md~1-2-3.spec-interview.tmp", "a.md"]);
    }

    #[test]
    fn remove_tree_never_follows_a_link() {
        let (dir, project) = project();
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep"), "k").unwrap();
        fs::create_dir_all(project.root.join("t/sub")).unwrap();
        symlink(&outside, project.root.join("t/sub/link")).unwrap();
        project.root_folder().unwrap().remove_tree("t").unwrap();
        assert!(!project.root.join("t").exists());
        assert!(outside.join("keep").exists());
    }

    #[test]
    fn a_user_file_may_be_anywhere_and_a_fifo_without_reader_is_refused() {
        let (dir, _project) = project();
        let out = dir.path().join("new/out.md");
        write_user_file(&out, b"doc").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"doc");
        // Through a link, the file it names is written and the link stays.
        let link = dir.path().join("link.md");
        symlink(&out, &link).unwrap();
        write_user_file(&link, b"again").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"again");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        let fifo = dir.path().join("fifo");
        rfs::mknodat(rfs::CWD, &fifo, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
        let err = write_user_file(&fifo, b"x").unwrap_err();
        assert!(err.to_string().contains("no program is reading"), "{err}");
        write_user_file(Path::new("/dev/null"), b"x").unwrap();
        // Read back: a FIFO nobody writes to is empty, not a wait.
        assert_eq!(read_user_file(&fifo).unwrap(), "");
        assert_eq!(read_user_file(&out).unwrap(), "again");
        assert_eq!(
            read_user_file(dir.path()).unwrap_err().kind(),
            io::ErrorKind::IsADirectory
        );
    }

    #[test]
    fn document_paths_stay_inside_docs() {
        assert!(check_document_path(".specflow/docs/D04.md", &["md"]).is_ok());
        assert!(check_document_path(".specflow/docs/sub/D04.md", &["md"]).is_ok());
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
            assert!(check_document_path(bad, &["md"]).is_err(), "{bad} should be refused");
        }
    }
}
