//! The command-line definition (clap): the source of `--help`, completions and the manual.
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[allow(clippy::doc_markdown)] // doc comments are the --help text
#[command(name = "spec-interview", version, about = "Interview an engineer and write the backend design document", long_about = None)]
pub struct Cli {
    /// Project root (default: the current directory)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// Colour theme for the interview and the reviewer
    #[arg(long, value_name = "NAME", global = true)]
    pub theme: Option<String>,
    /// No colours (NO_COLOR in the environment does the same)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Open the interview without writing anything (when another one has the session)
    #[arg(long, global = true)]
    pub read_only: bool,
    /// A Quick Start line ("REST API, JWT auth, RBAC, Node.js, no special compliance"): fills the
    /// options it names, shown before it is applied
    #[arg(long, value_name = "SENTENCE")]
    pub quick: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SuggestFormat {
    Text,
    Json,
    Toml,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    Diff,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TomlOrJson {
    Toml,
    Json,
}

#[derive(Subcommand)]
#[allow(clippy::doc_markdown)] // doc comments are the --help text
pub enum Command {
    /// Start the interview, or resume it if a session exists
    Interview {
        /// Questionnaire id (default: d04-backend-architecture)
        questionnaire: Option<String>,
        /// Start over; the previous session is kept as a backup file
        #[arg(long)]
        fresh: bool,
        /// A Quick Start line: fills the options it names, shown before it is applied
        #[arg(long, value_name = "SENTENCE")]
        quick: Option<String>,
    },
    /// Answers proposed from the project's files and earlier documents, each with its evidence
    Suggest {
        #[arg(short = 'q', long = "questionnaire", value_name = "ID")]
        questionnaire: Option<String>,
        /// text (for people), json (one object per proposal) or toml (an answers file to edit)
        #[arg(long, value_enum, default_value = "text")]
        format: SuggestFormat,
    },
    /// Render a document from an answers file
    Render {
        /// Questionnaire id (default: the one the answers file names, else d04-backend-architecture)
        #[arg(short = 'q', long = "questionnaire", value_name = "ID")]
        questionnaire: Option<String>,
        /// Answers file (TOML with an [answers] table; a session file works too)
        #[arg(long, value_name = "FILE")]
        answers: PathBuf,
        /// Write the document under .specflow/docs/ and record a revision
        #[arg(long)]
        save: bool,
        /// With --save: replace the document even if it was edited by hand since it was saved
        #[arg(long, requires = "save")]
        overwrite: bool,
        /// Write the Markdown to FILE instead of standard output ("-" for standard output)
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<String>,
        /// Only this document, for questionnaires that produce several
        #[arg(long, value_name = "ID")]
        document: Option<String>,
    },
    /// Compare two revisions of a document
    Diff {
        /// The document (default: the D04 document), as `list --revisions` takes it
        doc: Option<String>,
        /// Older side: a revision number, `previous` (default), `latest`, or `disk`
        #[arg(long, value_name = "REV")]
        from: Option<String>,
        /// Newer side: a revision number, `latest` (default), `previous`, or `disk` (the file as it is now)
        #[arg(long, value_name = "REV")]
        to: Option<String>,
        /// Print a unified diff (what happens anyway when the output is not a terminal)
        #[arg(long)]
        print: bool,
        /// Print what changed per section
        #[arg(long)]
        stat: bool,
        /// Side by side (the full-screen reviewer)
        #[arg(long)]
        side_by_side: bool,
        /// diff (default) or markdown: a review summary to paste into a pull request
        #[arg(long, value_enum, default_value = "diff")]
        format: DiffFormat,
    },
    /// Report missing required answers and lint findings (exit 1 if any error)
    Check {
        #[arg(short = 'q', long = "questionnaire", value_name = "ID")]
        questionnaire: Option<String>,
        /// Answers file (default: the saved session of the questionnaire)
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// List questionnaires, sessions, or the revisions of a document
    List {
        #[arg(long, conflicts_with = "revisions")]
        sessions: bool,
        /// A document, such as D04-backend-architecture
        #[arg(long, value_name = "DOC")]
        revisions: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// Print a questionnaire, or an answers file to fill in
    Show {
        questionnaire: String,
        #[arg(long, value_enum, default_value = "toml")]
        format: TomlOrJson,
        /// Print a commented answers file to fill in
        #[arg(long)]
        answers_template: bool,
    },
    /// Check questionnaire files; errors name file:line:column
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
}
