//! The revision store: every saved document under `.specflow/history/<doc>/<NNNN>/`, with its
//! time, author, questionnaire id and version, and the answers that produced it; and the one
//! save, which takes each document's history lock, builds its revision aside, replaces the
//! document, then puts the revision in place, so that a crash at any point is recognised and
//! finished (or rolled back) by the next save.
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::core::diagnostic::toml_detail;
use crate::core::fsio::{
    Access, DOCS_PREFIX, Folder, FsError, HISTORY, HeldLock, Kind, Privacy, Project, is_legacy_temp,
};
use crate::core::sanitize::shown_path;
use crate::core::schema::{self, SchemaProblem};

pub use crate::core::digest::sha256_hex;
pub use crate::core::fsio::io_reason;

/// What is known about one saved revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    pub number: u32,
    /// RFC 3339, UTC, to the second.
    pub time: String,
    pub author: String,
    pub questionnaire: String,
    pub questionnaire_version: String,
    /// The document path, relative to the project root.
    pub document: String,
    pub sha256: String,
    pub lines: usize,
    /// Lines added and removed against the revision before it, counted once when it was
    /// recorded (older records lack it; readers count then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<LineChanges>,
    /// The git commit checked out when it was saved, inside a git work tree (schema 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// The git branch checked out then; none on a detached head (schema 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineChanges {
    pub added: usize,
    pub removed: usize,
}

/// Who saved and when, and what git had checked out, supplied by the shell (the core does not
/// read clocks or git).
#[derive(Debug, Clone)]
pub struct Provenance {
    pub time: String,
    pub author: String,
    /// The git commit and branch checked out, inside a git work tree.
    pub git: Option<GitHead>,
}

/// What git has checked out: a commit, and the branch unless the head is detached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitHead {
    pub commit: String,
    pub branch: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// A file or folder that could not be read or written, or was refused (a link, a FIFO…).
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("{}: this file is damaged ({detail}).", shown_path(path))]
    Corrupt { path: PathBuf, detail: String },
    /// Written by a newer spec-interview: left alone, not damaged.
    #[error("{}: {problem}.", shown_path(path))]
    Newer { path: PathBuf, problem: SchemaProblem },
    #[error("there is no document \"{0}\" with saved revisions under .specflow/history/.")]
    UnknownDocument(String),
    /// The document has no saved revision with this number.
    #[error("{}: there is no saved revision {number} of this document.", shown_path(dir))]
    UnknownRevision { dir: PathBuf, number: u32 },
    /// A revision numbered `u32::MAX` exists: numbers never wrap, so no more can be recorded.
    #[error(
        "{}: revision {} exists, the highest number a revision can have, so no further revision can be recorded; nothing was written.",
        shown_path(dir),
        u32::MAX
    )]
    Full { dir: PathBuf },
}

impl HistoryError {
    /// A problem with a record of the history rather than with reaching the history at all:
    /// readers report it and carry on with the other revisions.
    pub fn is_record_problem(&self) -> bool {
        matches!(self, HistoryError::Corrupt { .. } | HistoryError::Newer { .. })
            || matches!(self, HistoryError::Fs(e) if e.is_refusal())
    }
}

/// The key a document's history is kept under: its path below `.specflow/docs/`, without `.md`
/// (a YAML document keeps its `.yaml`).
pub fn history_key(document_path: &str) -> String {
    let rest = document_path.strip_prefix(DOCS_PREFIX).unwrap_or(document_path);
    rest.strip_suffix(".md").unwrap_or(rest).to_string()
}

/// The document path a history key stands for: the inverse of [`history_key`].
pub fn document_path(key: &str) -> String {
    if is_yaml(key) {
        format!("{DOCS_PREFIX}{key}")
    } else {
        format!("{DOCS_PREFIX}{key}.md")
    }
}

fn is_yaml(key: &str) -> bool {
    std::path::Path::new(key)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The revision number a folder name stands for: four or more digits, no sign, no more
/// leading zeros than `{:04}` gives, and within `u32`. Anything else is not a revision, so
/// `0005` and `005` can never both be revision 5.
pub fn revision_number(name: &str) -> Option<u32> {
    if name.len() < 4 || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = name.parse().ok()?;
    (folder_name(number) == name).then_some(number)
}

/// The folder name of revision `number`.
pub fn folder_name(number: u32) -> String {
    format!("{number:04}")
}

/// Where a save builds its revision before putting it in place.
const PENDING: &str = ".pending";
/// The lock saves of one document take turns on.
const SAVE_LOCK: &str = ".save.lock";
const RECORD: &str = "revision.toml";
const DOCUMENT: &str = "document.md";
const ANSWERS: &str = "answers.toml";

/// The revision history of one document.
#[derive(Debug, Clone)]
pub struct History {
    project: Project,
    key: String,
    /// For messages.
    dir: PathBuf,
}

/// The document on disk compared with the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskState {
    /// No file yet.
    Missing,
    /// The file is a saved revision (normally the latest), so replacing it loses nothing.
    Saved(u32),
    /// The file matches no saved revision: someone edited it (by content hash, not mtime).
    /// `since` is the latest revision, if there is one.
    EditedOutside { since: Option<u32> },
}

/// What `record` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    New(Revision),
    /// The content equals the latest revision; nothing new was recorded.
    Unchanged(Revision),
}

/// The revisions of a document that can be read, and what was skipped.
#[derive(Debug, Default)]
pub struct Scan {
    /// Oldest first.
    pub revisions: Vec<Revision>,
    /// Records that are damaged, from a newer spec-interview, or refused (a link…): each is
    /// skipped, and its number is never used again.
    pub problems: Vec<HistoryError>,
    /// The highest revision folder number, whether its record reads or not.
    highest: Option<u32>,
    /// Revision folders whose record does not read.
    unreadable: Vec<u32>,
    /// Revision folders without a record: what a killed save of an older version left.
    incomplete: Vec<u32>,
}

impl Scan {
    fn next_number(&self, dir: &Path) -> Result<u32, HistoryError> {
        match self.highest {
            None => Ok(1),
            Some(n) => n
                .checked_add(1)
                .ok_or_else(|| HistoryError::Full { dir: dir.to_path_buf() }),
        }
    }
}

/// Parses a revision record found in folder `number`.
fn parse_record(path: &Path, text: &str, number: u32) -> Result<Revision, HistoryError> {
    let corrupt = |detail: String| HistoryError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    match schema::check(schema::declared(text), schema::REVISION) {
        Ok(()) => {}
        Err(problem @ SchemaProblem::Newer { .. }) => {
            return Err(HistoryError::Newer {
                path: path.to_path_buf(),
                problem,
            });
        }
        Err(problem) => return Err(corrupt(problem.to_string())),
    }
    let mut table: toml::Table = text.parse().map_err(|e| corrupt(toml_detail(text, &e)))?;
    if table.remove("schema").is_some_and(|v| !v.is_integer()) {
        return Err(corrupt("its schema is not a number".into()));
    }
    let revision: Revision = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
        corrupt(
            e.message()
                .lines()
                .next()
                .unwrap_or("unreadable")
                .trim_end_matches('.')
                .to_string(),
        )
    })?;
    if revision.number != number {
        return Err(corrupt(format!(
            "it says revision {} but sits in folder {}",
            revision.number,
            folder_name(number)
        )));
    }
    Ok(revision)
}

fn record_text(revision: &Revision) -> Result<String, HistoryError> {
    let body = toml::to_string(revision).map_err(|e| HistoryError::Corrupt {
        path: PathBuf::from(RECORD),
        detail: e.to_string(),
    })?;
    Ok(format!("schema = {}\n{body}", schema::REVISION))
}

impl History {
    pub fn open(project: &Project, document_path: &str) -> History {
        History::for_key(project, history_key(document_path))
    }

    fn for_key(project: &Project, key: String) -> History {
        History {
            dir: project.history_dir().join(&key),
            project: project.clone(),
            key,
        }
    }

    /// Resolves what a user typed for DOC (`D04-backend-architecture`, `…md`, or the full
    /// `.specflow/docs/…` path) to a history with at least one revision folder.
    pub fn find(project: &Project, doc: &str) -> Result<History, HistoryError> {
        let trimmed = doc.trim_start_matches("./");
        let key = history_key(trimmed);
        if key.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
            return Err(HistoryError::UnknownDocument(doc.to_string()));
        }
        // A YAML document may be named without its ending, like a Markdown one.
        let mut keys = vec![key.clone()];
        if !is_yaml(&key) {
            keys.push(format!("{key}.yaml"));
            keys.push(format!("{key}.yml"));
        }
        for key in keys {
            let history = History::for_key(project, key);
            if history.folder(false)?.is_some() {
                return Ok(history);
            }
        }
        Err(HistoryError::UnknownDocument(doc.to_string()))
    }

    /// The document path this history belongs to, relative to the project.
    pub fn document(&self) -> String {
        document_path(&self.key)
    }

    /// The folder holding every revision of this document (for messages).
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder of revision `number` (which may not exist), for messages.
    pub(crate) fn revision_dir(&self, number: u32) -> PathBuf {
        self.dir.join(folder_name(number))
    }

    fn relative(&self) -> String {
        format!("{HISTORY}/{}", self.key)
    }

    /// The history folder, reached without following links; `None` when there is none yet.
    pub(crate) fn folder(&self, create: bool) -> Result<Option<Folder>, HistoryError> {
        Ok(self.project.folder(&self.relative(), create)?)
    }

    /// The folder of revision `number`, reached without following links.
    pub(crate) fn revision_folder(&self, number: u32) -> Result<Option<Folder>, HistoryError> {
        match self.folder(false)? {
            Some(folder) => Ok(folder.folder(&folder_name(number), false)?),
            None => Ok(None),
        }
    }

    /// A file of revision `number`; a missing one is an error naming it.
    fn revision_file(&self, number: u32, name: &str) -> Result<String, HistoryError> {
        let missing = || FsError::not_found(self.revision_dir(number).join(name), Access::Read);
        let folder = self.revision_folder(number)?.ok_or_else(missing)?;
        Ok(folder.read_text(name)?.ok_or_else(missing)?)
    }

    /// Every revision whose record reads, oldest first, and what was skipped. Only folders
    /// named as a revision number count; a damaged record, one from a newer spec-interview, or
    /// a link where a revision should be is reported in `problems` and skipped.
    pub fn scan(&self) -> Result<Scan, HistoryError> {
        match self.folder(false)? {
            Some(folder) => self.scan_in(&folder),
            None => Ok(Scan::default()),
        }
    }

    fn scan_in(&self, folder: &Folder) -> Result<Scan, HistoryError> {
        let mut scan = Scan::default();
        for entry in folder.entries()? {
            let Some(number) = entry.name().and_then(revision_number) else {
                continue;
            };
            scan.highest = scan.highest.max(Some(number));
            let name = folder_name(number);
            let read = match entry.kind {
                Kind::Folder => folder
                    .folder(&name, false)
                    .and_then(|f| f.map_or(Ok(None), |f| f.read_text(RECORD))),
                // A link or a file where a revision folder belongs: refused by opening it.
                _ => folder.folder(&name, false).map(|_| None),
            };
            let text = match read {
                Ok(Some(text)) => text,
                Ok(None) => {
                    scan.incomplete.push(number);
                    continue;
                }
                Err(e) => {
                    scan.unreadable.push(number);
                    scan.problems.push(e.into());
                    continue;
                }
            };
            match parse_record(&self.revision_dir(number).join(RECORD), &text, number) {
                Ok(revision) => scan.revisions.push(revision),
                Err(e) => {
                    scan.unreadable.push(number);
                    scan.problems.push(e);
                }
            }
        }
        scan.revisions.sort_by_key(|r| r.number);
        scan.problems.sort_by_key(ToString::to_string);
        Ok(scan)
    }

    /// Every revision whose record reads, oldest first (see [`History::scan`] for the rest).
    pub fn revisions(&self) -> Result<Vec<Revision>, HistoryError> {
        Ok(self.scan()?.revisions)
    }

    pub fn latest(&self) -> Result<Option<Revision>, HistoryError> {
        Ok(self.revisions()?.pop())
    }

    /// The document file's bytes (`None` when there is none), read without following links.
    pub fn disk_bytes(&self) -> Result<Option<Vec<u8>>, HistoryError> {
        Ok(self.project.read(&self.document())?)
    }

    /// Compares the document file with the saved revisions (by content).
    pub fn disk_state(&self) -> Result<DiskState, HistoryError> {
        self.disk_state_knowing(&[])
    }

    /// [`History::disk_state`], given the texts of some revisions already read (`(number,
    /// text)`): a file equal to one of them is told without reading or hashing it again.
    pub fn disk_state_knowing(&self, known: &[(u32, &str)]) -> Result<DiskState, HistoryError> {
        let Some(bytes) = self.disk_bytes()? else {
            return Ok(DiskState::Missing);
        };
        let scan = match self.folder(false)? {
            Some(folder) => {
                let scan = self.scan_in(&folder)?;
                // A save cut short after writing the document is not a hand edit.
                if let Some(number) = pending_match(&folder, &bytes) {
                    return Ok(DiskState::Saved(number));
                }
                scan
            }
            None => Scan::default(),
        };
        Ok(self.state_of(&scan, &bytes, known))
    }

    fn state_of(&self, scan: &Scan, bytes: &[u8], known: &[(u32, &str)]) -> DiskState {
        // The file's fingerprint: a revision at hand with the same text has it recorded; else
        // it is computed, but only when some revision has as many lines (a file of another
        // length cannot be any of them), since hashing a long document costs more than the
        // rest of opening the reviewer.
        let recorded = known
            .iter()
            .find(|(_, text)| text.as_bytes() == bytes)
            .and_then(|(number, _)| scan.revisions.iter().find(|r| r.number == *number))
            .map(|r| r.sha256.clone());
        let lines = text_lines(bytes);
        let sha = recorded.or_else(|| {
            scan.revisions
                .iter()
                .any(|r| r.lines == lines)
                .then(|| sha256_hex(bytes))
        });
        if let Some(sha) = sha
            && let Some(r) = scan.revisions.iter().rev().find(|r| r.sha256 == sha)
        {
            return DiskState::Saved(r.number);
        }
        // A revision whose record is damaged still holds its text: a file equal to it is that
        // revision, not a hand edit.
        for &number in scan.unreadable.iter().rev() {
            if self
                .revision_file(number, DOCUMENT)
                .is_ok_and(|text| text.as_bytes() == bytes)
            {
                return DiskState::Saved(number);
            }
        }
        DiskState::EditedOutside {
            since: scan.revisions.last().map(|r| r.number),
        }
    }

    /// The saved text of revision `number`.
    pub fn content(&self, number: u32) -> Result<String, HistoryError> {
        self.revision_file(number, DOCUMENT)
    }

    /// The answers file saved with revision `number`, as written.
    pub fn answers(&self, number: u32) -> Result<String, HistoryError> {
        self.revision_file(number, ANSWERS)
    }

    /// The `[answers]` table saved with revision `number`; a file that does not parse is
    /// `Corrupt`, one from a newer spec-interview `Newer`.
    pub fn answer_table(&self, number: u32) -> Result<toml::Table, HistoryError> {
        let text = self.answers(number)?;
        let path = self.revision_dir(number).join(ANSWERS);
        match schema::check(schema::declared(&text), schema::ANSWERS) {
            Ok(()) => {}
            Err(problem @ SchemaProblem::Newer { .. }) => return Err(HistoryError::Newer { path, problem }),
            Err(problem) => {
                return Err(HistoryError::Corrupt {
                    path,
                    detail: problem.to_string(),
                });
            }
        }
        crate::core::diff::answers_table(&text).map_err(|detail| HistoryError::Corrupt { path, detail })
    }

    /// Whether revision `number` is complete (its record written), so it counts.
    pub fn has_revision(&self, number: u32) -> bool {
        self.revision_folder(number)
            .ok()
            .flatten()
            .is_some_and(|f| matches!(f.kind_of(RECORD), Ok(Some(Kind::File))))
    }

    /// Records `content` as the next revision unless it equals the latest one, without writing
    /// the document (a hand edit is kept this way). Takes the document's history lock.
    pub fn record(
        &self,
        document: &str,
        content: &str,
        answers_toml: &str,
        questionnaire: (&str, &str),
        provenance: &Provenance,
    ) -> Result<Recorded, HistoryError> {
        let set = OpenSet::open(&self.project, &[document])?;
        let open = &set.members[0];
        open.recover()?;
        let mut scan = open.history.scan_in(&open.folder)?;
        let draft = Draft::new(open, &scan, document, content, questionnaire, provenance)?;
        match draft {
            None => Ok(Recorded::Unchanged(
                scan.revisions
                    .pop()
                    .ok_or_else(|| HistoryError::UnknownDocument(document.to_string()))?,
            )),
            Some(draft) => {
                open.build_pending(&draft.revision, content, answers_toml)?;
                open.place_pending(draft.revision.number)?;
                Ok(Recorded::New(draft.revision))
            }
        }
    }
}

/// The record of the revision built aside in `folder`, if it is complete and reads.
fn pending_record(folder: &Folder) -> Option<Revision> {
    let pending = folder.folder(PENDING, false).ok()??;
    let text = pending.read_text(RECORD).ok()??;
    let number = text
        .parse::<toml::Table>()
        .ok()?
        .get("number")?
        .as_integer()
        .and_then(|n| u32::try_from(n).ok())?;
    parse_record(Path::new(RECORD), &text, number).ok()
}

/// Lines of a text as a revision record counts them (`str::lines`): one per line feed, and
/// one more for a last line without one.
fn text_lines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count() + usize::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// The number of the revision built aside in `folder` if the document's bytes are its text.
fn pending_match(folder: &Folder, bytes: &[u8]) -> Option<u32> {
    pending_record(folder)
        .filter(|r| r.sha256 == sha256_hex(bytes))
        .map(|r| r.number)
}

// ───────────────────────────── saving ─────────────────────────────

/// What saving a document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new revision was recorded and the document written.
    New(Revision),
    /// The text equals the latest revision; the document file was (re)written if it was not
    /// that revision, and no revision was added.
    Unchanged(Revision),
}

impl Saved {
    pub fn revision(&self) -> &Revision {
        match self {
            Saved::New(r) | Saved::Unchanged(r) => r,
        }
    }
}

/// One document to save: its path under `.specflow/docs/` and its text.
#[derive(Debug, Clone, Copy)]
pub struct DocumentText<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// What to do with a document edited outside spec-interview since its last save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandEdits {
    /// Save nothing at all, and say which document was edited.
    Refuse,
    /// Record the file as it is as a revision of its own first, then save over it.
    KeepThenOverwrite,
}

/// A save: every document of a questionnaire, the answers that produced them, and who.
#[derive(Debug, Clone, Copy)]
pub struct SaveRequest<'a> {
    pub documents: &'a [DocumentText<'a>],
    pub answers_toml: &'a str,
    /// Questionnaire id and version.
    pub questionnaire: (&'a str, &'a str),
    pub provenance: &'a Provenance,
    pub hand_edits: HandEdits,
}

/// One document of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSaved {
    pub path: String,
    pub outcome: Saved,
    /// A hand edit recorded as its own revision before the new text went over it.
    pub kept: Option<Revision>,
}

/// A save that cut short earlier, found and settled before this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Its document had been written: its revision was put in place.
    Finished { document: String, number: u32 },
    /// Its document had not been written: the revision built aside was removed.
    RolledBack { document: String },
}

impl Recovery {
    pub fn describe(&self) -> String {
        match self {
            Recovery::Finished { document, number } => format!(
                "an interrupted save of {document} was finished: its document had been written, so it is now revision {number}"
            ),
            Recovery::RolledBack { document } => format!(
                "an interrupted save of {document} was rolled back: its document had not been written, so nothing of it was kept"
            ),
        }
    }
}

/// What a save did, beside the documents.
#[derive(Debug, Default)]
pub struct SaveReport {
    /// In the order they were asked for.
    pub documents: Vec<DocumentSaved>,
    pub recovered: Vec<Recovery>,
    /// Records of the histories that were skipped (damaged, newer): their numbers are not
    /// reused.
    pub problems: Vec<HistoryError>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk matches no saved revision; nothing was written.
    #[error("{}: changed outside spec-interview since {}; nothing was written.", shown_path(Path::new(path)), since.map_or_else(|| "before its first save".to_string(), |n| format!("revision {n}")))]
    EditedOutside { path: String, since: Option<u32> },
    /// A revision could not be built or a document could not be written: no revision of the
    /// save was recorded and every document is as it was (`kept` names the hand edits that
    /// were recorded first, as revisions of their own).
    #[error("{}: cannot {} ({reason}), so nothing was saved: no revision was recorded and {} left as {}{}.",
        shown_path(Path::new(path)),
        match stage { Stage::Revision => "record its revision", Stage::Document => "write it" },
        if *several { "the documents were" } else { "the document was" },
        if *several { "they were" } else { "it was" },
        kept_first(kept))]
    NotSaved {
        path: String,
        stage: Stage,
        reason: String,
        several: bool,
        kept: Vec<(String, u32)>,
    },
    /// The document was written but its revision could not be put in place: the next save or
    /// interview start finishes it.
    #[error(
        "{} was written, but its revision {number} could not be put in place ({reason}); the next save or interview start records it.",
        shown_path(Path::new(path))
    )]
    NotPlaced { path: String, number: u32, reason: String },
    #[error(transparent)]
    History(#[from] HistoryError),
}

/// "; the edit found in X was kept as revision N first", for each hand edit kept.
fn kept_first(kept: &[(String, u32)]) -> String {
    use std::fmt::Write as _;
    kept.iter().fold(String::new(), |mut s, (path, n)| {
        let _ = write!(
            s,
            "; the edit found in {} was kept as revision {n} first",
            shown_path(Path::new(path))
        );
        s
    })
}

/// Which step of a save failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Building the revision aside.
    Revision,
    /// Replacing the document.
    Document,
}

impl From<FsError> for SaveError {
    fn from(e: FsError) -> SaveError {
        SaveError::History(HistoryError::Fs(e))
    }
}

/// A document's history opened for a save: its folder, the folder of the document, and its
/// lock, held until dropped.
struct Member {
    history: History,
    document: String,
    folder: Folder,
    docs: Folder,
    name: String,
    _lock: HeldLock,
}

/// The documents of one save, locked in a fixed order (by history key) so two saves of
/// overlapping sets can never wait on each other.
struct OpenSet {
    members: Vec<Member>,
}

impl OpenSet {
    fn open(project: &Project, documents: &[&str]) -> Result<OpenSet, HistoryError> {
        let mut paths: Vec<&str> = documents.to_vec();
        paths.sort_by_key(|p| history_key(p));
        paths.dedup_by_key(|p| history_key(p));
        // First look without making anything, so that a refused link or special file stops the
        // save before any folder is made.
        for path in &paths {
            let history = History::open(project, path);
            project
                .folder(&history.relative(), false)
                .map_err(FsError::when_writing)?;
            if let Some((docs, name)) = project.parent_folder(path, false).map_err(FsError::when_writing)?
                && let Some(problem) = docs.kind_of(name)?.and_then(Kind::file_problem)
            {
                return Err(FsError {
                    path: project.document_file(path),
                    access: Access::Write,
                    problem,
                }
                .into());
            }
        }
        let mut members = Vec::with_capacity(paths.len());
        for path in paths {
            let history = History::open(project, path);
            let folder = history
                .folder(true)?
                .ok_or_else(|| FsError::not_found(history.dir.clone(), Access::Write))?;
            let (docs, name) = project
                .parent_folder(path, true)?
                .ok_or_else(|| FsError::not_found(project.document_file(path), Access::Write))?;
            let lock = folder.lock(SAVE_LOCK)?;
            members.push(Member {
                document: path.to_string(),
                name: name.to_string(),
                history,
                folder,
                docs,
                _lock: lock,
            });
        }
        Ok(OpenSet { members })
    }

    fn member(&self, path: &str) -> Option<&Member> {
        let key = history_key(path);
        self.members.iter().find(|m| m.history.key == key)
    }
}

/// A revision about to be recorded.
struct Draft {
    revision: Revision,
}

impl Draft {
    /// The next revision of `member` holding `content`, or `None` when it equals the latest.
    fn new(
        member: &Member,
        scan: &Scan,
        document: &str,
        content: &str,
        questionnaire: (&str, &str),
        provenance: &Provenance,
    ) -> Result<Option<Draft>, HistoryError> {
        let sha256 = sha256_hex(content.as_bytes());
        let latest = scan.revisions.last();
        if latest.is_some_and(|l| l.sha256 == sha256) {
            return Ok(None);
        }
        // Counted once here, so listing revisions never diffs whole documents again.
        let changed = match latest {
            None => Some(LineChanges {
                added: content.lines().count(),
                removed: 0,
            }),
            Some(previous) => member.history.content(previous.number).ok().map(|old| {
                let (added, removed) = crate::core::diff::line_counts(&old, content);
                LineChanges { added, removed }
            }),
        };
        Ok(Some(Draft {
            revision: Revision {
                number: scan.next_number(member.history.dir())?,
                time: provenance.time.clone(),
                author: provenance.author.clone(),
                questionnaire: questionnaire.0.to_string(),
                questionnaire_version: questionnaire.1.to_string(),
                document: document.to_string(),
                sha256,
                lines: content.lines().count(),
                changed,
                git_commit: provenance.git.as_ref().map(|g| g.commit.clone()),
                git_branch: provenance.git.as_ref().and_then(|g| g.branch.clone()),
            },
        }))
    }
}

impl Member {
    /// Settles a save of this document that was cut short, then clears what killed saves
    /// left: temp files beside the document, revision folders without a record.
    fn recover(&self) -> Result<Option<Recovery>, HistoryError> {
        self.docs.remove_interrupted_writes(&self.name);
        let outcome = self.settle_pending()?;
        let scan = self.history.scan_in(&self.folder)?;
        for number in scan.incomplete {
            let name = folder_name(number);
            if self.is_killed_save(&name) {
                self.folder.remove_tree(&name)?;
            }
        }
        Ok(outcome)
    }

    /// Whether revision folder `name` (which has no record) holds only what a killed save of
    /// an older version could leave: its text, its answers, their temp files. Anything else
    /// was put there by someone, and is left alone.
    fn is_killed_save(&self, name: &str) -> bool {
        let Ok(Some(folder)) = self.folder.folder(name, false) else {
            return false;
        };
        folder.entries().is_ok_and(|entries| {
            entries.iter().all(|e| {
                e.kind == Kind::File
                    && e.name()
                        .is_some_and(|n| n == DOCUMENT || n == ANSWERS || is_legacy_temp(n))
            })
        })
    }

    fn settle_pending(&self) -> Result<Option<Recovery>, HistoryError> {
        if self.folder.kind_of(PENDING)?.is_none() {
            return Ok(None);
        }
        let record = pending_record(&self.folder);
        let bytes = self.docs.read(&self.name).map_err(FsError::when_writing)?;
        let finished = match (record, &bytes) {
            (Some(record), Some(bytes)) if record.sha256 == sha256_hex(bytes) => Some(record),
            _ => None,
        };
        let Some(mut record) = finished else {
            // Built aside but its document never written (or never completed): nothing of it
            // counts, so it goes.
            self.folder.remove_tree(PENDING)?;
            return Ok(Some(Recovery::RolledBack {
                document: self.document.clone(),
            }));
        };
        if self.folder.kind_of(&folder_name(record.number))?.is_some() {
            // Its number was taken meanwhile (only a save that ignored the lock could): next.
            let scan = self.history.scan_in(&self.folder)?;
            record.number = scan.next_number(self.history.dir())?;
            let pending = self
                .folder
                .folder(PENDING, false)?
                .ok_or_else(|| FsError::not_found(self.history.dir.join(PENDING), Access::Write))?;
            pending.write(RECORD, record_text(&record)?.as_bytes(), Privacy::Shared)?;
        }
        self.place_pending(record.number)?;
        Ok(Some(Recovery::Finished {
            document: self.document.clone(),
            number: record.number,
        }))
    }

    /// Builds a revision aside, in `.pending/`: its text, its answers, and its record last
    /// (a pending folder without a record is an unfinished build, removed on recovery).
    fn build_pending(&self, revision: &Revision, content: &str, answers_toml: &str) -> Result<(), HistoryError> {
        self.folder.remove_tree(PENDING)?;
        self.folder.create_folder(PENDING)?;
        let pending = self
            .folder
            .folder(PENDING, false)?
            .ok_or_else(|| FsError::not_found(self.history.dir.join(PENDING), Access::Write))?;
        pending.write(DOCUMENT, content.as_bytes(), Privacy::Shared)?;
        pending.write(ANSWERS, answers_toml.as_bytes(), Privacy::Shared)?;
        pending.write(RECORD, record_text(revision)?.as_bytes(), Privacy::Shared)?;
        Ok(())
    }

    /// Puts the revision built aside in place as revision `number`.
    fn place_pending(&self, number: u32) -> Result<(), HistoryError> {
        self.folder.rename_new(PENDING, &self.folder, &folder_name(number))?;
        self.folder.sync()?;
        Ok(())
    }

    /// The answers to record with a hand edit: the latest revision's (they still describe the
    /// interview), or an empty answers file before the first.
    fn hand_edit_answers(&self, scan: &Scan, questionnaire: &str) -> Result<String, HistoryError> {
        match scan.revisions.last() {
            Some(latest) => self.history.answers(latest.number),
            None => Ok(format!(
                "# No answers produced this revision: it is a hand edit kept by spec-interview.\nschema = {}\nquestionnaire = {}\n\n[answers]\n",
                schema::ANSWERS,
                toml::Value::String(questionnaire.to_string())
            )),
        }
    }

    /// Records the document file as it is (a hand edit) as the next revision.
    fn keep_hand_edit(
        &self,
        scan: &mut Scan,
        bytes: &[u8],
        questionnaire: (&str, &str),
        provenance: &Provenance,
    ) -> Result<Revision, HistoryError> {
        let path = self.history.project.document_file(&self.document);
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| FsError::not_text(path))?;
        let answers = self.hand_edit_answers(scan, questionnaire.0)?;
        let draft = Draft::new(self, scan, &self.document, &text, questionnaire, provenance)?;
        let Some(draft) = draft else {
            return scan
                .revisions
                .last()
                .cloned()
                .ok_or_else(|| HistoryError::UnknownDocument(self.document.clone()));
        };
        self.build_pending(&draft.revision, &text, &answers)?;
        self.place_pending(draft.revision.number)?;
        scan.highest = Some(draft.revision.number);
        scan.revisions.push(draft.revision.clone());
        Ok(draft.revision)
    }
}

/// Settles the interrupted saves of `documents` (finishing those whose document was written,
/// rolling back the others) and clears the leftovers of killed saves, under each document's
/// history lock. For the start of an interview.
pub fn recover(project: &Project, documents: &[&str]) -> Result<Vec<Recovery>, HistoryError> {
    // A document never saved has nothing to settle: nothing is made for it.
    let mut saved = Vec::new();
    for path in documents {
        if History::open(project, path).folder(false)?.is_some() {
            saved.push(*path);
        }
    }
    if saved.is_empty() {
        return Ok(Vec::new());
    }
    let set = OpenSet::open(project, &saved)?;
    let mut out = Vec::new();
    for member in &set.members {
        out.extend(member.recover()?);
    }
    Ok(out)
}

/// One document of a save, as it goes through its steps.
struct Step<'a> {
    member: &'a Member,
    text: &'a str,
    scan: Scan,
    /// The file as it was before this save (`None`: there was none).
    before: Option<Vec<u8>>,
    state: DiskState,
    kept: Option<Revision>,
    draft: Option<Draft>,
    written: bool,
}

/// The one save, used by `render --save` and the interview alike. For a set of documents (all
/// of a questionnaire's), under their history locks taken in a fixed order:
/// 1. interrupted saves are settled and leftovers cleared;
/// 2. hand edits are refused (nothing at all is written) or kept as revisions of their own;
/// 3. each new revision is built aside, then each document is replaced atomically, then each
///    revision is put in place.
///
/// A crash between 3's steps leaves a document whose text is the revision built aside, which
/// the next save or interview start recognises and finishes. If a document cannot be written,
/// the documents already written are put back, no revision is recorded, and the error says so.
pub fn save(project: &Project, request: &SaveRequest) -> Result<SaveReport, SaveError> {
    let paths: Vec<&str> = request.documents.iter().map(|d| d.path).collect();
    let set = OpenSet::open(project, &paths)?;
    let mut report = SaveReport::default();
    for member in &set.members {
        report.recovered.extend(member.recover()?);
    }

    // What is there now.
    let mut steps = Vec::with_capacity(request.documents.len());
    for doc in request.documents {
        let Some(member) = set.member(doc.path) else { continue };
        if steps.iter().any(|s: &Step| std::ptr::eq(s.member, member)) {
            continue;
        }
        let mut scan = member.history.scan_in(&member.folder)?;
        report.problems.append(&mut scan.problems);
        let before = member.docs.read(&member.name).map_err(FsError::when_writing)?;
        let state = match &before {
            None => DiskState::Missing,
            Some(bytes) => member.history.state_of(&scan, bytes, &[]),
        };
        steps.push(Step {
            member,
            text: doc.text,
            scan,
            before,
            state,
            kept: None,
            draft: None,
            written: false,
        });
    }

    // Hand edits: refused before anything is written, or kept first.
    if request.hand_edits == HandEdits::Refuse
        && let Some((path, since)) = steps.iter().find_map(|s| match s.state {
            DiskState::EditedOutside { since } => Some((s.member.document.clone(), since)),
            _ => None,
        })
    {
        return Err(SaveError::EditedOutside { path, since });
    }
    for step in &mut steps {
        if let (DiskState::EditedOutside { .. }, Some(bytes)) = (&step.state, &step.before) {
            let kept = step
                .member
                .keep_hand_edit(&mut step.scan, bytes, request.questionnaire, request.provenance)?;
            step.state = DiskState::Saved(kept.number);
            step.kept = Some(kept);
        }
    }
    let kept_list = |steps: &[Step]| -> Vec<(String, u32)> {
        steps
            .iter()
            .filter_map(|s| s.kept.as_ref().map(|k| (s.member.document.clone(), k.number)))
            .collect()
    };

    // Each new revision, built aside.
    for step in &mut steps {
        step.draft = Draft::new(
            step.member,
            &step.scan,
            &step.member.document,
            step.text,
            request.questionnaire,
            request.provenance,
        )?;
    }
    let several = steps.len() > 1;
    for i in 0..steps.len() {
        let step = &steps[i];
        let Some(draft) = &step.draft else { continue };
        if let Err(e) = step
            .member
            .build_pending(&draft.revision, step.text, request.answers_toml)
        {
            for s in &steps {
                let _ = s.member.folder.remove_tree(PENDING);
            }
            return Err(SaveError::NotSaved {
                path: step.member.document.clone(),
                stage: Stage::Revision,
                reason: reason_of(&e),
                several,
                kept: kept_list(&steps),
            });
        }
    }

    // Each document, replaced atomically (or written again when it is not the latest text).
    for i in 0..steps.len() {
        let step = &steps[i];
        let latest = step.scan.revisions.last().map(|r| r.number);
        let needs_write = step.draft.is_some() || latest.is_none_or(|n| step.state != DiskState::Saved(n));
        if !needs_write {
            continue;
        }
        if let Err(e) = step
            .member
            .docs
            .write(&step.member.name, step.text.as_bytes(), Privacy::Shared)
        {
            let reason = e.reason();
            let path = step.member.document.clone();
            let kept = kept_list(&steps);
            // Put back what this save already wrote. A document that cannot be put back keeps
            // the new text and gets its revision, so it is never taken for a hand edit.
            for done in steps[..i].iter().filter(|s| s.written) {
                let restored = match &done.before {
                    Some(bytes) => done.member.docs.write(&done.member.name, bytes, Privacy::Shared),
                    None => done.member.docs.remove_file(&done.member.name),
                };
                if restored.is_err()
                    && let Some(draft) = &done.draft
                {
                    let _ = done.member.place_pending(draft.revision.number);
                }
            }
            for s in &steps {
                let _ = s.member.folder.remove_tree(PENDING);
            }
            return Err(SaveError::NotSaved {
                path,
                stage: Stage::Document,
                reason,
                several,
                kept,
            });
        }
        steps[i].written = true;
    }

    // Each revision, put in place.
    for step in &steps {
        let outcome = match &step.draft {
            Some(draft) => {
                step.member
                    .place_pending(draft.revision.number)
                    .map_err(|e| SaveError::NotPlaced {
                        path: step.member.document.clone(),
                        number: draft.revision.number,
                        reason: reason_of(&e),
                    })?;
                Saved::New(draft.revision.clone())
            }
            None => Saved::Unchanged(
                step.scan
                    .revisions
                    .last()
                    .cloned()
                    .ok_or_else(|| HistoryError::UnknownDocument(step.member.document.clone()))?,
            ),
        };
        report.documents.push(DocumentSaved {
            path: step.member.document.clone(),
            outcome,
            kept: step.kept.clone(),
        });
    }
    // In the order they were asked for.
    report
        .documents
        .sort_by_key(|d| paths.iter().position(|p| history_key(p) == history_key(&d.path)));
    Ok(report)
}

/// The reason of a failure, without the path (the sentence around it names the document).
fn reason_of(e: &HistoryError) -> String {
    match e {
        HistoryError::Fs(f) => f.reason(),
        other => other.to_string(),
    }
}

/// Records each of `documents` that was edited outside the tool, as it is on disk, as a new
/// revision (with the latest revision's answers); the files are left as they are. Returns the
/// documents kept, with their revisions.
pub fn keep_hand_edits(
    project: &Project,
    documents: &[&str],
    questionnaire: (&str, &str),
    provenance: &Provenance,
) -> Result<Vec<(String, Revision)>, HistoryError> {
    let set = OpenSet::open(project, documents)?;
    let mut kept = Vec::new();
    for member in &set.members {
        member.recover()?;
        let mut scan = member.history.scan_in(&member.folder)?;
        let Some(bytes) = member.docs.read(&member.name).map_err(FsError::when_writing)? else {
            continue;
        };
        if let DiskState::EditedOutside { .. } = member.history.state_of(&scan, &bytes, &[]) {
            let revision = member.keep_hand_edit(&mut scan, &bytes, questionnaire, provenance)?;
            kept.push((member.document.clone(), revision));
        }
    }
    kept.sort_by_key(|(path, _)| documents.iter().position(|p| history_key(p) == history_key(path)));
    Ok(kept)
}

/// Every document that has a history, as the key `list --revisions` accepts. Folders are
/// walked without following links.
pub fn documents_with_history(project: &Project) -> Vec<String> {
    fn walk(folder: &Folder, prefix: &str, out: &mut Vec<String>, depth: usize) {
        let Ok(entries) = folder.entries() else { return };
        let mut is_history = false;
        for entry in entries.iter().filter(|e| e.kind == Kind::Folder) {
            let Some(name) = entry.name() else { continue };
            if revision_number(name).is_some() {
                is_history = true;
            } else if !name.starts_with('.')
                && depth < 16
                && let Ok(Some(sub)) = folder.folder(name, false)
            {
                let key = if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}/{name}")
                };
                walk(&sub, &key, out, depth + 1);
            }
        }
        if is_history && !prefix.is_empty() {
            out.push(prefix.to_string());
        }
    }
    let mut out = Vec::new();
    if let Ok(Some(folder)) = project.folder(HISTORY, false) {
        walk(&folder, "", &mut out, 0);
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn provenance() -> Provenance {
        Provenance {
            time: "2026-01-02T03:04:05Z".into(),
            author: "Ada".into(),
            git: None,
        }
    }

    fn save_one(
        project: &Project,
        doc: &str,
        text: &str,
        answers: &str,
        hand_edits: HandEdits,
    ) -> Result<SaveReport, SaveError> {
        save(
            project,
            &SaveRequest {
                documents: &[DocumentText { path: doc, text }],
                answers_toml: answers,
                questionnaire: ("q", "1"),
                provenance: &provenance(),
                hand_edits,
            },
        )
    }

    #[test]
    fn records_numbers_and_skips_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D04-x.md";
        let h = History::open(&project, doc);
        let q = ("d04", "1.0.0");
        let Recorded::New(r1) = h.record(doc, "one\n", "", q, &provenance()).unwrap() else {
            panic!()
        };
        assert_eq!(r1.number, 1);
        assert!(matches!(
            h.record(doc, "one\n", "", q, &provenance()).unwrap(),
            Recorded::Unchanged(_)
        ));
        let Recorded::New(r2) = h.record(doc, "two\nlines\n", "", q, &provenance()).unwrap() else {
            panic!()
        };
        assert_eq!((r2.number, r2.lines), (2, 2));
        assert_eq!(r1.changed, Some(LineChanges { added: 1, removed: 0 }));
        assert_eq!(
            r2.changed,
            Some(LineChanges { added: 2, removed: 1 }),
            "counted once, on record"
        );
        assert_eq!(h.content(1).unwrap(), "one\n");
        assert_eq!(h.revisions().unwrap().len(), 2);
        let found = History::find(&project, "D04-x.md").unwrap();
        assert_eq!(found.latest().unwrap().unwrap().number, 2);
        assert!(History::find(&project, "../etc").is_err());
        assert_eq!(documents_with_history(&project), vec!["D04-x".to_string()]);
        let record = fs::read_to_string(h.revision_dir(2).join(RECORD)).unwrap();
        assert!(record.starts_with("schema = 2\nnumber = 2\n"), "{record}");
    }

    #[test]
    fn a_hand_edit_is_told_from_a_saved_revision_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let file = project.document_file(doc);
        let h = History::open(&project, doc);
        assert_eq!(h.disk_state().unwrap(), DiskState::Missing);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, "mine\n").unwrap();
        assert_eq!(h.disk_state().unwrap(), DiskState::EditedOutside { since: None });
        h.record(doc, "one\n", "", ("q", "1"), &provenance()).unwrap();
        h.record(doc, "two\n", "", ("q", "1"), &provenance()).unwrap();
        fs::write(&file, "one\n").unwrap();
        assert_eq!(h.disk_state().unwrap(), DiskState::Saved(1));
        fs::write(&file, "two\nplus a hand edit\n").unwrap();
        assert_eq!(h.disk_state().unwrap(), DiskState::EditedOutside { since: Some(2) });
        // As many lines as a revision, another text.
        fs::write(&file, "six\n").unwrap();
        assert_eq!(h.disk_state().unwrap(), DiskState::EditedOutside { since: Some(2) });
        // A text at hand equal to the file names the latest revision holding that text.
        h.record(doc, "one\n", "", ("q", "1"), &provenance()).unwrap();
        fs::write(&file, "one\n").unwrap();
        assert_eq!(h.disk_state_knowing(&[(1, "one\n")]).unwrap(), DiskState::Saved(3));
        assert_eq!(h.disk_state_knowing(&[(2, "two\n")]).unwrap(), DiskState::Saved(3));
        fs::write(&file, "two\n").unwrap();
        assert_eq!(h.disk_state_knowing(&[(2, "two\n")]).unwrap(), DiskState::Saved(2));
        fs::write(&file, "three\n").unwrap();
        assert_eq!(
            h.disk_state_knowing(&[(2, "two\n")]).unwrap(),
            DiskState::EditedOutside { since: Some(3) }
        );
    }

    #[test]
    fn a_hand_edit_is_kept_as_the_next_revision_with_the_latest_answers() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let file = project.document_file(doc);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        // Before any revision: the file is kept as revision 1 with an empty answers file.
        fs::write(&file, "written by hand\n").unwrap();
        let kept = keep_hand_edits(&project, &[doc], ("q", "1"), &provenance()).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].1.number, 1);
        let h = History::open(&project, doc);
        assert_eq!(h.content(1).unwrap(), "written by hand\n");
        let empty: toml::Table = h.answers(1).unwrap().parse().unwrap();
        assert_eq!(empty["answers"].as_table().map(toml::Table::len), Some(0));
        // Refused by default, kept then overwritten on request.
        fs::write(&file, "by hand again\n").unwrap();
        let refused = save_one(&project, doc, "saved\n", "[answers]\nx = 1\n", HandEdits::Refuse).unwrap_err();
        assert!(
            matches!(refused, SaveError::EditedOutside { since: Some(1), .. }),
            "{refused:?}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "by hand again\n");
        let report = save_one(
            &project,
            doc,
            "saved\n",
            "[answers]\nx = 1\n",
            HandEdits::KeepThenOverwrite,
        )
        .unwrap();
        let saved = &report.documents[0];
        assert_eq!(saved.kept.as_ref().map(|k| k.number), Some(2));
        assert_eq!(saved.outcome.revision().number, 3);
        assert_eq!(h.content(2).unwrap(), "by hand again\n");
        assert_eq!(fs::read_to_string(&file).unwrap(), "saved\n");
        // After a saved revision: its answers are copied, the file is left as it is.
        fs::write(&file, "saved\nand edited\n").unwrap();
        let kept = keep_hand_edits(&project, &[doc], ("q", "1"), &provenance()).unwrap();
        assert_eq!(
            (kept[0].1.number, kept[0].1.lines, kept[0].1.author.as_str()),
            (4, 2, "Ada")
        );
        assert_eq!(h.answers(4).unwrap(), "[answers]\nx = 1\n");
        assert_eq!(fs::read_to_string(&file).unwrap(), "saved\nand edited\n");
        assert_eq!(h.disk_state().unwrap(), DiskState::Saved(4));
        // Nothing new to keep.
        assert!(
            keep_hand_edits(&project, &[doc], ("q", "1"), &provenance())
                .unwrap()
                .is_empty()
        );
        assert_eq!(h.revisions().unwrap().len(), 4);
    }

    #[test]
    fn a_folder_without_its_record_is_skipped_then_cleared_by_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let h = History::open(&project, doc);
        fs::create_dir_all(project.history_dir().join("D/0001")).unwrap();
        fs::write(project.history_dir().join("D/0001/document.md"), "half").unwrap();
        assert!(h.revisions().unwrap().is_empty());
        let Recorded::New(r) = h.record(doc, "x\n", "", ("q", "1"), &provenance()).unwrap() else {
            panic!()
        };
        assert_eq!(r.number, 1);
        assert_eq!(h.content(1).unwrap(), "x\n");
    }

    #[test]
    fn a_damaged_record_is_reported_and_skipped_and_its_number_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let h = History::open(&project, doc);
        save_one(&project, doc, "one\n", "", HandEdits::Refuse).unwrap();
        save_one(&project, doc, "two\n", "", HandEdits::Refuse).unwrap();
        let record = h.revision_dir(2).join(RECORD);
        for (damage, says) in [
            ("number = \"x\"", "damaged"),
            ("[garbled\n", "damaged (line 1"),
            ("number = 3\n", "damaged"),
            ("schema = 9\nwhatever = 1\n", "newer spec-interview"),
        ] {
            fs::write(&record, damage).unwrap();
            let scan = h.scan().unwrap();
            assert_eq!(scan.revisions.len(), 1, "{damage}");
            assert_eq!(scan.problems.len(), 1, "{damage}");
            let message = scan.problems[0].to_string();
            assert!(message.contains(says) && message.contains("0002"), "{message}");
        }
        // The document equals revision 2's text: not a hand edit, and the save goes on at 3.
        let report = save_one(&project, doc, "three\n", "", HandEdits::Refuse).unwrap();
        assert_eq!(report.documents[0].outcome.revision().number, 3);
        assert_eq!(report.problems.len(), 1);
        assert_eq!(
            fs::read_to_string(&record).unwrap(),
            "schema = 9\nwhatever = 1\n",
            "left alone"
        );
    }

    #[test]
    fn only_canonical_folder_names_count_and_numbers_never_wrap() {
        assert_eq!(revision_number("0005"), Some(5));
        assert_eq!(revision_number("12345"), Some(12345));
        for bad in [
            "005",
            "00005",
            "+005",
            "-0005",
            "5",
            "0x05",
            "4294967296",
            "99999999999",
            "١٢٣٤",
        ] {
            assert_eq!(revision_number(bad), None, "{bad}");
        }
        assert_eq!(revision_number("4294967295"), Some(u32::MAX));
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        save_one(&project, doc, "one\n", "", HandEdits::Refuse).unwrap();
        let base = project.history_dir().join("D");
        let copy = |to: &str| {
            fs::create_dir_all(base.join(to)).unwrap();
            for f in [RECORD, DOCUMENT, ANSWERS] {
                fs::copy(base.join("0001").join(f), base.join(to).join(f)).unwrap();
            }
        };
        copy("001");
        copy("00001");
        let h = History::open(&project, doc);
        assert_eq!(h.revisions().unwrap().len(), 1, "001 and 00001 are not revisions");
        copy("4294967295");
        let record = base.join("4294967295").join(RECORD);
        let text = fs::read_to_string(&record).unwrap();
        fs::write(&record, text.replace("number = 1\n", "number = 4294967295\n")).unwrap();
        assert_eq!(h.revisions().unwrap().len(), 2);
        let err = save_one(&project, doc, "two\n", "", HandEdits::Refuse).unwrap_err();
        assert!(err.to_string().contains("4294967295"), "{err}");
        assert_eq!(fs::read_to_string(project.document_file(doc)).unwrap(), "one\n");
        assert_eq!(h.revisions().unwrap().len(), 2, "nothing recorded");
    }

    #[test]
    fn an_interrupted_save_is_finished_when_its_document_was_written_and_rolled_back_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let h = History::open(&project, doc);
        save_one(&project, doc, "one\n", "", HandEdits::Refuse).unwrap();
        let base = project.history_dir().join("D");
        // A save killed after writing its document: revision 2 still sits in .pending, and a
        // temp file of an earlier killed write is beside the document.
        fs::write(project.document_file(doc), "two\n").unwrap();
        let two = Revision {
            number: 2,
            sha256: sha256_hex(b"two\n"),
            lines: 1,
            changed: None,
            ..h.latest().unwrap().unwrap()
        };
        fs::create_dir_all(base.join(PENDING)).unwrap();
        fs::write(base.join(PENDING).join(DOCUMENT), "two\n").unwrap();
        fs::write(base.join(PENDING).join(ANSWERS), "").unwrap();
        fs::write(base.join(PENDING).join(RECORD), record_text(&two).unwrap()).unwrap();
        fs::write(project.docs_dir().join(".D.md~1-2-3.spec-interview.tmp"), "half").unwrap();
        assert_eq!(h.disk_state().unwrap(), DiskState::Saved(2), "never a hand edit");
        let recovered = recover(&project, &[doc]).unwrap();
        assert_eq!(
            recovered,
            [Recovery::Finished {
                document: doc.into(),
                number: 2
            }]
        );
        assert_eq!(h.content(2).unwrap(), "two\n");
        assert_eq!(
            fs::read_dir(project.docs_dir()).unwrap().count(),
            1,
            "the temp file is gone"
        );
        // A revision built aside whose document was never written is rolled back.
        let three = Revision {
            number: 3,
            sha256: sha256_hex(b"three\n"),
            ..two
        };
        fs::create_dir_all(base.join(PENDING)).unwrap();
        fs::write(base.join(PENDING).join(RECORD), record_text(&three).unwrap()).unwrap();
        let report = save_one(&project, doc, "four\n", "", HandEdits::Refuse).unwrap();
        assert_eq!(report.recovered, [Recovery::RolledBack { document: doc.into() }]);
        assert_eq!(report.documents[0].outcome.revision().number, 3);
        assert_eq!(h.content(3).unwrap(), "four\n");
        assert!(!base.join(PENDING).exists());
        // A build cut short before its record was written is removed too.
        fs::create_dir_all(base.join(PENDING)).unwrap();
        fs::write(base.join(PENDING).join(DOCUMENT), "fi").unwrap();
        assert_eq!(
            recover(&project, &[doc]).unwrap(),
            [Recovery::RolledBack { document: doc.into() }]
        );
    }

    #[test]
    fn a_document_that_cannot_be_written_records_nothing() {
        use crate::core::fsio::faults;
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let h = History::open(&project, doc);
        save_one(&project, doc, "one\n", "", HandEdits::Refuse).unwrap();
        for (failing, kind, says) in [
            (
                "D.md",
                std::io::ErrorKind::PermissionDenied,
                "cannot write it (permission denied)",
            ),
            (
                "D.md",
                std::io::ErrorKind::StorageFull,
                "cannot write it (the disk is full)",
            ),
            (
                DOCUMENT,
                std::io::ErrorKind::StorageFull,
                "cannot record its revision (the disk is full)",
            ),
        ] {
            faults::fail_writes_of(failing, kind);
            let err = save_one(&project, doc, "two\n", "", HandEdits::Refuse).unwrap_err();
            faults::clear();
            assert_eq!(
                err.to_string(),
                format!(
                    "{doc}: {says}, so nothing was saved: no revision was recorded and the document was left as it was."
                )
            );
            assert_eq!(h.revisions().unwrap().len(), 1);
            assert_eq!(fs::read_to_string(project.document_file(doc)).unwrap(), "one\n");
            assert!(!project.history_dir().join("D").join(PENDING).exists());
        }
        // The next save, with room again, goes on with the next number.
        let report = save_one(&project, doc, "two\n", "", HandEdits::Refuse).unwrap();
        assert_eq!(report.documents[0].outcome.revision().number, 2);
    }

    #[test]
    fn a_set_is_saved_whole_or_not_at_all() {
        use crate::core::fsio::faults;
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let (a, b) = (".specflow/docs/a.md", ".specflow/docs/sub/b.md");
        let both = |ta: &str, tb: &str| {
            save(
                &project,
                &SaveRequest {
                    documents: &[DocumentText { path: b, text: tb }, DocumentText { path: a, text: ta }],
                    answers_toml: "",
                    questionnaire: ("q", "1"),
                    provenance: &provenance(),
                    hand_edits: HandEdits::Refuse,
                },
            )
        };
        let report = both("a1\n", "b1\n").unwrap();
        let order: Vec<&str> = report.documents.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(order, [b, a], "in the order asked for");
        // a is written first (locks and writes go by history key), then b fails: a is put back.
        faults::fail_writes_of("b.md", std::io::ErrorKind::StorageFull);
        let err = both("a2\n", "b2\n").unwrap_err();
        faults::clear();
        assert!(
            matches!(
                err,
                SaveError::NotSaved {
                    several: true,
                    stage: Stage::Document,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("the documents were left as they were"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(project.document_file(a)).unwrap(),
            "a1\n",
            "put back"
        );
        assert_eq!(History::open(&project, a).revisions().unwrap().len(), 1);
        assert_eq!(History::open(&project, b).revisions().unwrap().len(), 1);
        // A hand edit of one refuses the whole set.
        fs::write(project.document_file(b), "by hand\n").unwrap();
        let err = both("a3\n", "b3\n").unwrap_err();
        assert!(matches!(err, SaveError::EditedOutside { .. }), "{err:?}");
        assert_eq!(fs::read_to_string(project.document_file(a)).unwrap(), "a1\n");
    }
}
