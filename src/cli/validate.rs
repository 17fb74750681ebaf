//! `validate`: questionnaire and theme files checked (a theme is told by what it holds), every
//! problem as `file:line:column`.
use std::path::PathBuf;

use super::{CommandResult, Context, Failure, Outcome, plural};
use spec_interview::core::fsio::sanitize;
use spec_interview::core::history::io_reason;
use spec_interview::core::questionnaire::validate_file;
use spec_interview::tui::theme::file as theme_file;

pub fn validate(ctx: &Context, files: &[PathBuf]) -> CommandResult {
    let mut invalid = false;
    let mut unreadable = false;
    for file in files {
        match std::fs::read_to_string(file) {
            Err(e) => {
                eprintln!("{}: cannot read it: {}.", file.display(), io_reason(&e));
                unreadable = true;
            }
            Ok(text) if theme_file::looks_like_theme(&text) => {
                let project = ctx.project.specflow().join("themes");
                match theme_file::validate_file(file, spec_interview::config::user_themes().as_deref(), Some(&project))
                {
                    Ok(theme) => println!(
                        "{}: ok (theme {}{}, {} role{})",
                        file.display(),
                        theme.name,
                        theme.inherits.map(|p| format!(" inheriting {p}")).unwrap_or_default(),
                        theme.roles,
                        plural(theme.roles)
                    ),
                    Err(d) => {
                        eprintln!("{}", sanitize(&d.to_string()));
                        invalid = true;
                    }
                }
            }
            Ok(_) => match validate_file(file) {
                Ok(q) => {
                    let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
                    println!(
                        "{}: ok ({} {}, {}, {}, {})",
                        file.display(),
                        q.id,
                        q.version,
                        count(q.questions().count(), "question"),
                        count(q.rules.len(), "rule"),
                        count(q.documents.len(), "document")
                    );
                }
                Err(d) => {
                    eprintln!("{}", sanitize(&d.to_string()));
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
