//! `validate`: questionnaire files checked, every problem as `file:line:column`.
use std::path::PathBuf;

use super::{CommandResult, Failure, Outcome, plural, say, tell};
use spec_interview::core::fsio::io_reason;
use spec_interview::core::questionnaire::validate_file;
use spec_interview::core::sanitize::{sanitize_line, shown_path};

pub fn validate(files: &[PathBuf]) -> CommandResult {
    let mut invalid = false;
    let mut unreadable = false;
    for file in files {
        match spec_interview::core::fsio::read_user_file(file) {
            Err(e) => {
                tell(&format!("{}: cannot read it: {}.", shown_path(file), io_reason(&e)));
                unreadable = true;
            }
            Ok(_) => match validate_file(file) {
                Ok(q) => {
                    let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
                    say(&format!(
                        "{}: ok ({} {}, {}, {}, {})",
                        shown_path(file),
                        sanitize_line(&q.id),
                        sanitize_line(&q.version),
                        count(q.questions().count(), "question"),
                        count(q.rules.len(), "rule"),
                        count(q.documents.len(), "document")
                    ));
                }
                Err(d) => {
                    tell(&d.to_string());
                    invalid = true;
                }
            },
        }
    }
    // Each problem was printed above, one per line; only the exit code is left to give.
    if unreadable {
        Err(Failure::usage("").quiet())
    } else if invalid {
        Err(Failure::invalid("").quiet())
    } else {
        Ok(Outcome::Fine)
    }
}
