//! `validate`: questionnaire and theme files checked (a theme is told by what it holds), every
//! problem as `file:line:column`.
use std::path::PathBuf;

use super::{CommandResult, Context, Failure, Outcome, plural, say, tell};
use spec_interview::core::fsio::io_reason;
use spec_interview::core::questionnaire::validate_file;
use spec_interview::core::sanitize::{sanitize_line, shown_path};
use spec_interview::tui::theme::file as theme_file;

pub fn validate(ctx: &Context, files: &[PathBuf]) -> CommandResult {
    let mut invalid = false;
    let mut unreadable = false;
    for file in files {
        match spec_interview::core::fsio::read_user_file(file) {
            Err(e) => {
                tell(&format!("{}: cannot read it: {}.", shown_path(file), io_reason(&e)));
                unreadable = true;
            }
            Ok(text) if theme_file::looks_like_theme(&text) => {
                match theme_file::validate_file(
                    file,
                    spec_interview::config::user_themes().as_deref(),
                    Some(&ctx.project),
                ) {
                    Ok(theme) => say(&format!(
                        "{}: ok (theme {}{}, {} role{})",
                        shown_path(file),
                        sanitize_line(&theme.name),
                        theme
                            .inherits
                            .map(|p| format!(" inheriting {}", sanitize_line(&p)))
                            .unwrap_or_default(),
                        theme.roles,
                        plural(theme.roles)
                    )),
                    Err(d) => {
                        tell(&d.to_string());
                        invalid = true;
                    }
                }
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
