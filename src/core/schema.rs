//! The format number (`schema = N`) of every file spec-interview writes, and the one check that
//! tells a file from a newer spec-interview (left alone) from a damaged one.
//!
//! A change that adds or changes fields raises the file's number here; readers keep reading
//! every older number. A file without a `schema` key was written before the key existed and
//! reads as schema 1.

/// Answers files and session files (`.specflow/sessions/*.toml`, a revision's `answers.toml`).
/// 2 added `[provenance]` (where answers the user did not type came from) and the session's
/// rejected proposals; files of schema 1 read as before.
pub const ANSWERS: i64 = 2;
/// A revision's record, `.specflow/history/<document>/<NNNN>/revision.toml`.
/// 2: the git commit and branch checked out when it was saved (`git_commit`, `git_branch`).
pub const REVISION: i64 = 2;
/// A revision's review decisions, `.specflow/history/<document>/<NNNN>/review.toml`.
/// 2: notes keep an id, their author, the revision whose text they quote and their place in
/// their section (a blank line the line it follows); answers to notes (`[[reply]]`, which may
/// mark a note resolved); the verdict `escalated`.
pub const REVIEW: i64 = 2;
/// A reviewer's viewed marks, `.specflow/history/<document>/viewed-<reviewer>.toml`.
pub const VIEWED: i64 = 1;

/// The schema a file without the key has.
pub const UNVERSIONED: i64 = 1;

/// A file whose schema number this build cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaProblem {
    /// Written by a newer spec-interview: not damaged, and to be left as it is.
    #[error(
        "it was written by a newer spec-interview (schema {found}; this one reads up to {reads_up_to}), so it is left alone"
    )]
    Newer { found: i64, reads_up_to: i64 },
    /// A number no spec-interview writes.
    #[error("its schema {found} is not a format number (they start at 1)")]
    Invalid { found: i64 },
}

/// Checks the `schema` a file declares (`None` when it has none) against the newest number
/// this build reads for that kind of file.
pub fn check(found: Option<i64>, reads_up_to: i64) -> Result<(), SchemaProblem> {
    match found.unwrap_or(UNVERSIONED) {
        n if n > reads_up_to => Err(SchemaProblem::Newer { found: n, reads_up_to }),
        n if n < 1 => Err(SchemaProblem::Invalid { found: n }),
        _ => Ok(()),
    }
}

/// The `schema` key of a TOML text, read before the rest so that a file from a newer version
/// is recognised even when its other fields would not parse here. `None` when the text has no
/// integer `schema` at the top (or does not parse at all).
pub fn declared(text: &str) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Head {
        schema: Option<i64>,
    }
    // Only the key is read: other fields, known here or not, do not matter.
    toml::from_str::<Head>(text).ok()?.schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_is_not_damage_and_missing_is_one() {
        assert_eq!(check(None, 1), Ok(()));
        assert_eq!(check(Some(1), 1), Ok(()));
        let newer = check(Some(7), 1).unwrap_err();
        assert_eq!(
            newer,
            SchemaProblem::Newer {
                found: 7,
                reads_up_to: 1
            }
        );
        assert!(newer.to_string().contains("newer spec-interview"), "{newer}");
        assert!(matches!(check(Some(0), 1), Err(SchemaProblem::Invalid { found: 0 })));
    }

    #[test]
    fn the_declared_schema_is_read_alone() {
        assert_eq!(declared("schema = 3\nunknown = true\n"), Some(3));
        assert_eq!(declared("number = 1\n"), None);
        assert_eq!(declared("schema = \"x\"\n"), None);
        assert_eq!(declared("[broken\n"), None);
    }
}
