//! Which sections a reviewer has marked viewed on a pair of revisions, kept beside the
//! document's revisions (`viewed-<reviewer>.toml` in its history folder) so that a review can
//! be put down and resumed.
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::core::diagnostic::toml_detail;
use crate::core::fsio::Privacy;
use crate::core::history::{History, HistoryError, sha256_hex};
use crate::core::schema::{self, SchemaProblem};

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ViewedFile {
    /// Checked before parsing (`schema::check`); written by hand in front of the rest.
    #[serde(default, skip_serializing, rename = "schema")]
    _schema: Option<i64>,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    pair: Vec<Pair>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    older: u32,
    newer: u32,
    #[serde(default)]
    sections: Vec<String>,
}

const HEADER: &str = "# Sections marked viewed in the reviewer, per pair of revisions compared.\n\n";

/// The file name for `reviewer`: readable letters of the name and a short hash of all of it,
/// so two names never share a file and no name can leave the folder.
fn file_name(reviewer: &str) -> String {
    let readable: String = reviewer
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                Some(c.to_ascii_lowercase())
            } else if c == ' ' || c == '-' || c == '_' || c == '.' {
                Some('-')
            } else {
                None
            }
        })
        .take(32)
        .collect();
    let readable = readable.trim_matches('-');
    let hash = &sha256_hex(reviewer.as_bytes())[..8];
    if readable.is_empty() {
        format!("viewed-{hash}.toml")
    } else {
        format!("viewed-{readable}-{hash}.toml")
    }
}

impl History {
    /// Where the marks are, for messages.
    fn viewed_file(&self, reviewer: &str) -> PathBuf {
        self.dir().join(file_name(reviewer))
    }

    fn read_viewed(&self, reviewer: &str) -> Result<ViewedFile, HistoryError> {
        let text = match self.folder(false)? {
            Some(folder) => folder.read_text(&file_name(reviewer))?,
            None => None,
        };
        let Some(text) = text else {
            return Ok(ViewedFile::default());
        };
        let path = self.viewed_file(reviewer);
        match schema::check(schema::declared(&text), schema::VIEWED) {
            Ok(()) => {}
            Err(problem @ SchemaProblem::Newer { .. }) => return Err(HistoryError::Newer { path, problem }),
            Err(problem) => {
                return Err(HistoryError::Corrupt {
                    path,
                    detail: problem.to_string(),
                });
            }
        }
        toml::from_str(&text).map_err(|e| HistoryError::Corrupt {
            detail: toml_detail(&text, &e),
            path,
        })
    }

    /// The sections `reviewer` marked viewed comparing revision `older` with `newer`.
    pub fn viewed(&self, reviewer: &str, older: u32, newer: u32) -> Result<Vec<String>, HistoryError> {
        Ok(self
            .read_viewed(reviewer)?
            .pair
            .into_iter()
            .find(|p| p.older == older && p.newer == newer)
            .map(|p| p.sections)
            .unwrap_or_default())
    }

    /// Keeps the sections `reviewer` has marked viewed comparing `older` with `newer` (an empty
    /// list forgets the pair). A damaged file, or one from a newer spec-interview, is reported
    /// and left as it is.
    pub fn record_viewed(
        &self,
        reviewer: &str,
        older: u32,
        newer: u32,
        sections: &[String],
    ) -> Result<(), HistoryError> {
        let mut file = self.read_viewed(reviewer)?;
        file.pair.retain(|p| !(p.older == older && p.newer == newer));
        if !sections.is_empty() {
            file.pair.push(Pair {
                older,
                newer,
                sections: sections.to_vec(),
            });
        }
        file.pair.sort_by_key(|p| (p.older, p.newer));
        reviewer.clone_into(&mut file.reviewer);
        let body = toml::to_string(&file).map_err(|e| HistoryError::Corrupt {
            path: self.viewed_file(reviewer),
            detail: e.to_string(),
        })?;
        let text = format!("{HEADER}schema = {}\n\n{}\n", schema::VIEWED, body.trim_end());
        let folder = self
            .folder(false)?
            .ok_or_else(|| HistoryError::UnknownDocument(self.document()))?;
        folder
            .write(&file_name(reviewer), text.as_bytes(), Privacy::Shared)
            .map_err(HistoryError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fsio::Project;
    use crate::core::history::Provenance;

    #[test]
    fn marks_are_kept_per_reviewer_and_pair() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let doc = ".specflow/docs/D.md";
        let h = History::open(&project, doc);
        let who = Provenance {
            time: "2026-01-01T00:00:00Z".into(),
            author: "Ada".into(),
            git: None,
        };
        h.record(doc, "# D\none\n", "", ("q", "1"), &who).unwrap();
        h.record(doc, "# D\ntwo\n", "", ("q", "1"), &who).unwrap();
        assert!(h.viewed("Ada", 1, 2).unwrap().is_empty());
        h.record_viewed("Ada", 1, 2, &["D".into()]).unwrap();
        h.record_viewed("Bob O'Neil", 1, 2, &["D".into(), "D › E".into()])
            .unwrap();
        assert_eq!(h.viewed("Ada", 1, 2).unwrap(), ["D"]);
        assert_eq!(h.viewed("Bob O'Neil", 1, 2).unwrap().len(), 2);
        assert!(h.viewed("Ada", 2, 2).unwrap().is_empty(), "another pair");
        // The files sit beside the revisions, never count as one, and carry their schema.
        assert_eq!(h.revisions().unwrap().len(), 2);
        let text = std::fs::read_to_string(h.viewed_file("Ada")).unwrap();
        assert!(
            text.contains("schema = 1") && text.contains("reviewer = \"Ada\""),
            "{text}"
        );
        assert!(file_name("../../etc").starts_with("viewed-etc-"));
        assert_ne!(file_name("ada"), file_name("Ada"));
        // Unmarking everything forgets the pair.
        h.record_viewed("Ada", 1, 2, &[]).unwrap();
        assert!(h.viewed("Ada", 1, 2).unwrap().is_empty());
        // A newer file is left alone.
        std::fs::write(h.viewed_file("Ada"), "schema = 9\n").unwrap();
        assert!(h.viewed("Ada", 1, 2).unwrap_err().to_string().contains("newer"));
        assert!(h.record_viewed("Ada", 1, 2, &["D".into()]).is_err());
        assert_eq!(std::fs::read_to_string(h.viewed_file("Ada")).unwrap(), "schema = 9\n");
    }
}
