//! The revision store: every saved document under `.specflow/history/<doc>/<NNNN>/`, with
//! its time, author, questionnaire id and version, and the answers that produced it.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::core::fsio::{DOCS_PREFIX, Privacy, Project, atomic_write};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineChanges {
    pub added: usize,
    pub removed: usize,
}

/// Who saved and when, supplied by the shell (the core does not read clocks or git).
#[derive(Debug, Clone)]
pub struct Provenance {
    pub time: String,
    pub author: String,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{}: {}.", path.display(), io_reason(source))]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: this revision record is damaged ({detail}).", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("there is no document \"{0}\" with saved revisions under .specflow/history/.")]
    UnknownDocument(String),
    /// The document has no saved revision with this number.
    #[error("{}: there is no saved revision {number} of this document.", dir.display())]
    UnknownRevision { dir: PathBuf, number: u32 },
}

/// A short, readable reason for an I/O error.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        io::ErrorKind::InvalidData => "it is not valid UTF-8 text".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The key a document's history is kept under: its path below `.specflow/docs/`, without `.md`.
pub fn history_key(document_path: &str) -> String {
    let rest = document_path.strip_prefix(DOCS_PREFIX).unwrap_or(document_path);
    rest.strip_suffix(".md").unwrap_or(rest).to_string()
}

/// The first line of a TOML error, with the line it is on when known.
pub(crate) fn toml_detail(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().lines().next().unwrap_or("unreadable").trim_end_matches('.');
    match e.span() {
        Some(span) => {
            let end = span.start.min(text.len());
            let line = text.as_bytes()[..end].split(|b| *b == b'\n').count();
            format!("line {line}: {message}")
        }
        None => message.to_string(),
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> HistoryError + '_ {
    move |source| HistoryError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The revision history of one document.
pub struct History {
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

impl History {
    pub fn open(project: &Project, document_path: &str) -> History {
        History {
            dir: project.history_dir().join(history_key(document_path)),
        }
    }

    /// Resolves what a user typed for DOC (`D04-backend-architecture`, `…md`, or the full
    /// `.specflow/docs/…` path) to a history with at least one revision.
    pub fn find(project: &Project, doc: &str) -> Result<History, HistoryError> {
        let trimmed = doc.trim_start_matches("./");
        let key = history_key(trimmed);
        let history = History {
            dir: project.history_dir().join(&key),
        };
        if key.split('/').any(|p| p == ".." || p.is_empty()) || !history.dir.is_dir() {
            return Err(HistoryError::UnknownDocument(doc.to_string()));
        }
        Ok(history)
    }

    /// The folder holding every revision of this document.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder of revision `number` (which may not exist).
    pub(crate) fn revision_dir(&self, number: u32) -> PathBuf {
        self.dir.join(format!("{number:04}"))
    }

    /// Every complete revision, oldest first. A folder left without its record by a crash
    /// is skipped.
    pub fn revisions(&self) -> Result<Vec<Revision>, HistoryError> {
        let read = match fs::read_dir(&self.dir) {
            Ok(r) => r,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&self.dir)(e)),
        };
        let mut out = Vec::new();
        for entry in read {
            let entry = entry.map_err(io_err(&self.dir))?;
            let name = entry.file_name();
            let Some(number) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let record = entry.path().join("revision.toml");
            let text = match fs::read_to_string(&record) {
                Ok(t) => t,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err(&record)(e)),
            };
            let revision: Revision = toml::from_str(&text).map_err(|e| HistoryError::Corrupt {
                path: record.clone(),
                detail: e.message().lines().next().unwrap_or("unreadable").to_string(),
            })?;
            if revision.number != number {
                return Err(HistoryError::Corrupt {
                    path: record,
                    detail: format!("it says revision {} but sits in folder {number:04}", revision.number),
                });
            }
            out.push(revision);
        }
        out.sort_by_key(|r| r.number);
        Ok(out)
    }

    /// Compares the document file at `path` with the saved revisions.
    pub fn disk_state(&self, path: &Path) -> Result<DiskState, HistoryError> {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(DiskState::Missing),
            Err(e) => return Err(io_err(path)(e)),
        };
        let sha = sha256_hex(&bytes);
        let revisions = self.revisions()?;
        Ok(match revisions.iter().rev().find(|r| r.sha256 == sha) {
            Some(r) => DiskState::Saved(r.number),
            None => DiskState::EditedOutside {
                since: revisions.last().map(|r| r.number),
            },
        })
    }

    pub fn latest(&self) -> Result<Option<Revision>, HistoryError> {
        Ok(self.revisions()?.pop())
    }

    /// The saved text of revision `number`.
    pub fn content(&self, number: u32) -> Result<String, HistoryError> {
        let path = self.revision_dir(number).join("document.md");
        fs::read_to_string(&path).map_err(io_err(&path))
    }

    /// The answers file saved with revision `number`, as written.
    pub fn answers(&self, number: u32) -> Result<String, HistoryError> {
        let path = self.revision_dir(number).join("answers.toml");
        fs::read_to_string(&path).map_err(io_err(&path))
    }

    /// The `[answers]` table saved with revision `number`; a file that does not parse is
    /// `Corrupt`.
    pub fn answer_table(&self, number: u32) -> Result<toml::Table, HistoryError> {
        let path = self.revision_dir(number).join("answers.toml");
        let text = fs::read_to_string(&path).map_err(io_err(&path))?;
        crate::core::diff::answers_table(&text).map_err(|detail| HistoryError::Corrupt { path, detail })
    }

    /// Whether revision `number` is complete (its record written), so it counts.
    pub fn has_revision(&self, number: u32) -> bool {
        self.revision_dir(number).join("revision.toml").is_file()
    }

    /// Records `content` as the next revision unless it equals the latest one. The number is
    /// reserved by creating its folder, so two savers never share one; the record is written
    /// last, so a crash never leaves a half revision that counts.
    pub fn record(
        &self,
        document: &str,
        content: &str,
        answers_toml: &str,
        questionnaire: (&str, &str),
        provenance: &Provenance,
    ) -> Result<Recorded, HistoryError> {
        let sha256 = sha256_hex(content.as_bytes());
        let latest = self.latest()?;
        if let Some(latest) = &latest
            && latest.sha256 == sha256
        {
            return Ok(Recorded::Unchanged(latest.clone()));
        }
        // Counted once here, so listing revisions never diffs whole documents again.
        let changed = match &latest {
            None => Some(LineChanges {
                added: content.lines().count(),
                removed: 0,
            }),
            Some(previous) => self.content(previous.number).ok().map(|old| {
                let (added, removed) = crate::core::diff::line_counts(&old, content);
                LineChanges { added, removed }
            }),
        };
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let mut number = self.next_number()?;
        let dir = loop {
            let dir = self.revision_dir(number);
            match fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => number += 1,
                Err(e) => return Err(io_err(&dir)(e)),
            }
        };
        let revision = Revision {
            number,
            time: provenance.time.clone(),
            author: provenance.author.clone(),
            questionnaire: questionnaire.0.to_string(),
            questionnaire_version: questionnaire.1.to_string(),
            document: document.to_string(),
            sha256,
            lines: content.lines().count(),
            changed,
        };
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            atomic_write(&path, bytes, Privacy::Shared).map_err(io_err(&path))
        };
        write("document.md", content.as_bytes())?;
        write("answers.toml", answers_toml.as_bytes())?;
        let record = toml::to_string(&revision).map_err(|e| HistoryError::Corrupt {
            path: dir.clone(),
            detail: e.to_string(),
        })?;
        write("revision.toml", record.as_bytes())?;
        Ok(Recorded::New(revision))
    }

    fn next_number(&self) -> Result<u32, HistoryError> {
        let read = fs::read_dir(&self.dir).map_err(io_err(&self.dir))?;
        let highest = read
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        Ok(highest + 1)
    }
}

/// What saving a document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new revision was recorded and the document written.
    New(Revision),
    /// The text equals the latest revision; the document file was (re)written, no revision added.
    Unchanged(Revision),
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk matches no saved revision; nothing was written.
    #[error("{path}: changed outside spec-interview since {}; nothing was written.", since.map_or_else(|| "before its first save".to_string(), |n| format!("revision {n}")))]
    EditedOutside { path: String, since: Option<u32> },
    #[error(transparent)]
    History(#[from] HistoryError),
}

/// Saves a rendered document: records a revision (unless unchanged) and writes the file under
/// `.specflow/docs/`. A document edited outside the tool is never replaced unless `overwrite`.
pub fn save_document(
    project: &Project,
    document: &str,
    text: &str,
    answers_toml: &str,
    questionnaire: (&str, &str),
    provenance: &Provenance,
    overwrite: bool,
) -> Result<Saved, SaveError> {
    let history = History::open(project, document);
    let target = project.document_file(document);
    if !overwrite && let DiskState::EditedOutside { since } = history.disk_state(&target)? {
        return Err(SaveError::EditedOutside {
            path: document.to_string(),
            since,
        });
    }
    let recorded = history.record(document, text, answers_toml, questionnaire, provenance)?;
    atomic_write(&target, text.as_bytes(), Privacy::Shared).map_err(io_err(&target))?;
    Ok(match recorded {
        Recorded::New(r) => Saved::New(r),
        Recorded::Unchanged(r) => Saved::Unchanged(r),
    })
}

/// Records the document file as it is on disk (a hand edit) as the next revision, so that what
/// someone wrote outside the tool is kept in the history. The answers are the latest
/// revision's (they still describe the interview), or an empty answers file before the first.
/// Nothing else is written; a file equal to the latest revision records nothing new.
pub fn keep_hand_edit(
    project: &Project,
    document: &str,
    questionnaire: (&str, &str),
    provenance: &Provenance,
) -> Result<Revision, HistoryError> {
    let history = History::open(project, document);
    let target = project.document_file(document);
    let text = fs::read_to_string(&target).map_err(io_err(&target))?;
    let answers_toml = match history.latest()? {
        Some(latest) => history.answers(latest.number)?,
        None => format!(
            "# No answers produced this revision: it is a hand edit kept by spec-interview.\nschema = {}\nquestionnaire = {}\n\n[answers]\n",
            crate::core::session::SCHEMA,
            toml::Value::String(questionnaire.0.to_string())
        ),
    };
    Ok(
        match history.record(document, &text, &answers_toml, questionnaire, provenance)? {
            Recorded::New(r) | Recorded::Unchanged(r) => r,
        },
    )
}

/// Every document that has a history, as the key `list --revisions` accepts.
pub fn documents_with_history(project: &Project) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(read) = fs::read_dir(dir) else { return };
        for entry in read.filter_map(Result::ok) {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let is_revision = entry.file_name().to_str().is_some_and(|n| n.parse::<u32>().is_ok());
            if is_revision {
                if let Ok(rel) = dir.strip_prefix(base) {
                    let key = rel.to_string_lossy().replace('\\', "/");
                    if !out.contains(&key) {
                        out.push(key);
                    }
                }
            } else {
                walk(base, &path, out);
            }
        }
    }
    let base = project.history_dir();
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            time: "2026-01-02T03:04:05Z".into(),
            author: "Ada".into(),
        }
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
    }

    #[test]
    fn a_hand_edit_is_told_from_a_saved_revision_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let file = project.document_file(doc);
        let h = History::open(&project, doc);
        assert_eq!(h.disk_state(&file).unwrap(), DiskState::Missing);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, "mine\n").unwrap();
        assert_eq!(h.disk_state(&file).unwrap(), DiskState::EditedOutside { since: None });
        h.record(doc, "one\n", "", ("q", "1"), &provenance()).unwrap();
        h.record(doc, "two\n", "", ("q", "1"), &provenance()).unwrap();
        fs::write(&file, "one\n").unwrap();
        assert_eq!(h.disk_state(&file).unwrap(), DiskState::Saved(1));
        fs::write(&file, "two\nplus a hand edit\n").unwrap();
        assert_eq!(
            h.disk_state(&file).unwrap(),
            DiskState::EditedOutside { since: Some(2) }
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
        let first = keep_hand_edit(&project, doc, ("q", "1"), &provenance()).unwrap();
        assert_eq!(first.number, 1);
        let h = History::open(&project, doc);
        assert_eq!(h.content(1).unwrap(), "written by hand\n");
        let empty: toml::Table = h.answers(1).unwrap().parse().unwrap();
        assert_eq!(empty["answers"].as_table().map(toml::Table::len), Some(0));
        // After a saved revision: its answers are copied, the file is left as it is.
        save_document(
            &project,
            doc,
            "saved\n",
            "[answers]\nx = 1\n",
            ("q", "1"),
            &provenance(),
            true,
        )
        .unwrap();
        fs::write(&file, "saved\nand edited\n").unwrap();
        let kept = keep_hand_edit(&project, doc, ("q", "1"), &provenance()).unwrap();
        assert_eq!((kept.number, kept.lines, kept.author.as_str()), (3, 2, "Ada"));
        assert_eq!(h.content(3).unwrap(), "saved\nand edited\n");
        assert_eq!(h.answers(3).unwrap(), "[answers]\nx = 1\n");
        assert_eq!(fs::read_to_string(&file).unwrap(), "saved\nand edited\n");
        assert_eq!(h.disk_state(&file).unwrap(), DiskState::Saved(3));
        // Nothing new to keep: the latest revision is returned, nothing is recorded.
        assert_eq!(
            keep_hand_edit(&project, doc, ("q", "1"), &provenance()).unwrap().number,
            3
        );
        assert_eq!(h.revisions().unwrap().len(), 3);
        // No file: an error naming it, not a panic.
        fs::remove_file(&file).unwrap();
        let err = keep_hand_edit(&project, doc, ("q", "1"), &provenance()).unwrap_err();
        assert!(err.to_string().contains("D.md"), "{err}");
    }

    #[test]
    fn a_folder_without_its_record_is_skipped_and_its_number_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let h = History::open(&project, doc);
        fs::create_dir_all(project.history_dir().join("D/0001")).unwrap();
        assert!(h.revisions().unwrap().is_empty());
        let Recorded::New(r) = h.record(doc, "x\n", "", ("q", "1"), &provenance()).unwrap() else {
            panic!()
        };
        assert_eq!(r.number, 2);
    }

    #[test]
    fn a_damaged_record_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let d = project.history_dir().join("D/0001");
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("revision.toml"), "number = \"x\"").unwrap();
        let err = History::open(&project, ".specflow/docs/D.md").revisions().unwrap_err();
        assert!(err.to_string().contains("damaged"), "{err}");
    }
}
