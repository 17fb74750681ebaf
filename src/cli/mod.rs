//! The command line's shared pieces: outcomes and failures, the project context, reading answers.

/// `println!` that does not panic when standard output is closed (`spec-interview list | head
/// -1`): what no one reads is dropped.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that does not panic when standard error is gone (a terminal that hung up).
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod args;
pub mod check;
pub mod config;
pub mod diff;
pub mod interview;
pub mod list;
pub mod man;
pub mod render;
pub mod show;
pub mod suggest;
pub mod validate;

use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use spec_interview::core::diagnostic::Diagnostics;

use spec_interview::core::document::Engine;
use spec_interview::core::fsio::{Project, io_reason};
use spec_interview::core::history::HistoryError;
use spec_interview::core::questionnaire::{Catalog, DEFAULT_ID, LookupError, Questionnaire};
use spec_interview::core::sanitize::{sanitize, shown_path};
use spec_interview::core::session::{self, AnswersFile};

pub enum Outcome {
    Fine,
    /// Exit 1: the command worked and found errors (or differences).
    Findings,
}

/// A command that could not do its job: a message for stderr and an exit code.
pub struct Failure {
    pub code: u8,
    message: String,
    /// The message starts with the file it is about (`file:line:column: …`), like a compiler's.
    located: bool,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
            located: false,
        }
    }
    /// A problem with an input file; the message starts with the file's name.
    fn in_file(message: impl Into<String>) -> Failure {
        Failure {
            located: true,
            ..Failure::usage(message)
        }
    }
    fn invalid(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            ..Failure::usage(message)
        }
    }
    /// The message, sanitised: it may quote file contents.
    pub fn render(&self) -> String {
        if self.message.is_empty() {
            return String::new();
        }
        let text = sanitize(&self.message);
        if self.located {
            text.into_owned()
        } else {
            format!("spec-interview: {text}")
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Failure {
        Failure::in_file(d.to_string())
    }
}

impl From<HistoryError> for Failure {
    fn from(e: HistoryError) -> Failure {
        match e {
            HistoryError::UnknownDocument(_) => Failure::usage(e.to_string()),
            HistoryError::Fs(_)
            | HistoryError::Corrupt { .. }
            | HistoryError::Newer { .. }
            | HistoryError::UnknownRevision { .. }
            | HistoryError::Full { .. } => Failure::in_file(e.to_string()),
        }
    }
}

type CommandResult = Result<Outcome, Failure>;

pub struct Context {
    project: Project,
}

impl Context {
    pub fn new(root: PathBuf) -> Context {
        Context {
            project: Project::new(root),
        }
    }

    fn catalog(&self) -> Catalog {
        self.catalog_quiet_about(None)
    }

    /// The catalog, warning about every broken file except one named after `quiet`: the one the
    /// command asked for, whose problems it reports as its error (and for
    /// `show ID > .specflow/questionnaires/ID.toml`, whose target is empty while it runs).
    fn catalog_quiet_about(&self, quiet: Option<&str>) -> Catalog {
        let catalog = Catalog::load_for(user_questionnaires().as_deref(), &self.project);
        for (id, problems) in catalog.problems_by_id() {
            if Some(id) == quiet {
                continue;
            }
            for line in problems.to_string().lines() {
                warn(line);
            }
        }
        catalog
    }

    #[allow(clippy::unused_self)] // keeps call sites reading as "the context's questionnaire"
    fn questionnaire(&self, catalog: &Catalog, id: &str) -> Result<Arc<Questionnaire>, Failure> {
        catalog
            .get(id)
            .map(|e| Arc::clone(&e.questionnaire))
            .map_err(|e| match e {
                LookupError::Broken(d) => Failure::from(d),
                LookupError::Unknown { .. } => Failure::usage(e.to_string()),
            })
    }
}

/// The platform cache folder (the repository scan's cache lives there, never in the project).
fn cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "spec-interview").map(|d| d.cache_dir().to_path_buf())
}

/// The user's questionnaire folder in the platform config dir.
fn user_questionnaires() -> Option<PathBuf> {
    spec_interview::config::user_questionnaires()
}

/// Reads a file the user named on the command line (an answers file): it may be anywhere.
fn read_text(path: &Path) -> Result<String, Failure> {
    spec_interview::core::fsio::read_user_file(path)
        .map_err(|e| Failure::usage(format!("{}: cannot read it: {}.", shown_path(path), io_reason(&e))))
}

/// The questionnaire a command working from answers is about: the one named, else the one the
/// answers file declares, else D04 (so its problems are the command's error, not a warning too).
fn questionnaire_asked(id: Option<&str>, answers: Option<&Path>) -> String {
    id.map(str::to_string)
        .or_else(|| {
            let text = answers.and_then(|path| spec_interview::core::fsio::read_user_file(path).ok())?;
            session::declared_questionnaire(&text)
        })
        .unwrap_or_else(|| DEFAULT_ID.to_string())
}

/// Loads an answers file and the questionnaire it is for.
fn load_answers(
    ctx: &Context,
    catalog: &Catalog,
    id: Option<&str>,
    path: &Path,
) -> Result<(Engine, AnswersFile), Failure> {
    let text = read_text(path)?;
    let id = id
        .map(str::to_string)
        .or_else(|| session::declared_questionnaire(&text))
        .unwrap_or_else(|| DEFAULT_ID.to_string());
    let questionnaire = ctx.questionnaire(catalog, &id)?;
    let file = session::parse(path, &text, &questionnaire)?;
    Ok((engine(ctx, questionnaire)?, file))
}

/// The engine for `questionnaire`, knowing which documents the project already has.
fn engine(ctx: &Context, questionnaire: Arc<Questionnaire>) -> Result<Engine, Failure> {
    Ok(Engine::new(questionnaire)
        .map_err(|e| Failure::usage(e.to_string()))?
        .with_project_documents(spec_interview::core::project_docs::list(&ctx.project)))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The one JSON writer: every control character and bidirectional control in a string is a
/// `\u` escape, so the output cannot drive a terminal.
fn print_json<T: Serialize + ?Sized>(value: &T) {
    match spec_interview::core::sanitize::to_json(value) {
        Ok(s) => outln!("{s}"),
        Err(e) => errln!("spec-interview: cannot write JSON: {e}."),
    }
}

// Every line of text a command prints goes through one of these, so that no control character
// or bidirectional override from a file, a name or an answer reaches the terminal.

/// A line (or several) on standard output, sanitised.
fn say(text: &str) {
    outln!("{}", sanitize(text));
}

/// Text on standard output with no newline added, sanitised.
fn say_raw(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(sanitize(text).as_bytes());
}

/// A line on standard error, sanitised.
fn tell(text: &str) {
    errln!("{}", sanitize(text));
}

/// `warning: …` on standard error, sanitised.
fn warn(text: &str) {
    errln!("warning: {}", sanitize(text));
}

impl Failure {
    /// A failure whose details were already printed.
    fn quiet(mut self) -> Failure {
        self.message.clear();
        self
    }
}
