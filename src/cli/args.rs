//! The command-line definition (clap): the source of `--help`, completions and the manual.
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Shown after the top-level --help.
const MAIN_EXAMPLES: &str = "\
Examples:
  spec-interview                          the D04 interview in this folder (resumes its session)
  spec-interview interview backend-design another questionnaire
  spec-interview --plain                  line by line, for screen readers
  spec-interview < answers.txt            a script answers, one line per answer
  spec-interview diff                     review the latest revision of the D04 document
  spec-interview config                   where the configuration file is, and what is in effect

Settings come from a flag, then a SPEC_INTERVIEW_* variable (SPEC_INTERVIEW_THEME,
SPEC_INTERVIEW_REVIEWER, SPEC_INTERVIEW_EDITOR, SPEC_INTERVIEW_QUESTIONNAIRE), then the
configuration file, then the usual conventions. Headless commands ignore the configuration file.
spec-interview man prints the manual page.";

#[derive(Parser)]
#[allow(clippy::doc_markdown)] // doc comments are the --help text
#[command(
    name = "spec-interview",
    version,
    about = "Interview an engineer and write the backend design document",
    long_about = None,
    after_help = MAIN_EXAMPLES
)]
pub struct Cli {
    /// Project root (default: the current directory)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// Colour theme for the interview and the reviewer: dark, light, high-contrast, 16-color,
    /// monochrome, or a theme file of yours
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
    /// Ask line by line (for screen readers and pipes); also ACCESSIBLE=1, TERM=dumb, or
    /// standard input or output that is not a terminal
    #[arg(long, global = true)]
    pub plain: bool,
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
    #[command(after_help = "\
Examples:
  spec-interview interview                       the D04 questionnaire (or the configured one)
  spec-interview interview backend-design --fresh  start over; the old session is kept as a backup
  spec-interview interview --plain               line by line: numbered choices, a dot ends a list
  printf 'Ledgerline\\n1\\n' | spec-interview interview   answer from a script (plain mode)")]
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
    #[command(after_help = "\
Examples:
  spec-interview render --answers answers.toml                 Markdown on standard output
  spec-interview render --answers answers.toml --save          write .specflow/docs/... and record a revision
  spec-interview render -q backend-design --answers a.toml -o design.md")]
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
    #[command(after_help = "\
Examples:
  spec-interview diff                               the reviewer: previous -> latest revision
  spec-interview diff --to disk                     the latest revision against the file as it is now
  spec-interview diff --from 3 --to disk            revision 3 against the file as it is now
  spec-interview diff --print | git apply --check   a unified diff (also when output is not a terminal)
  spec-interview diff --stat                        what changed, per section
  spec-interview diff --format markdown             changes, decisions and notes for a pull request
  spec-interview diff --reviewer \"Ada L.\"          record notes and decisions under this name

On a terminal --print goes through $PAGER (else less -R; PAGER=cat prints directly).

Exit codes: 0 no differences, 1 differences, 2 error (the full-screen reviewer exits 0 on q).")]
    Diff {
        /// The document, as `list --revisions` takes it (default: the project's only document
        /// with revisions, else the D04 document)
        doc: Option<String>,
        /// Older side: a revision number, `previous` (default; `latest` with --to disk),
        /// `latest`, or `disk`
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
        /// diff (default) or markdown: a review summary to paste into a pull request (changes,
        /// decisions, notes with their quotes)
        #[arg(long, value_enum, default_value = "diff")]
        format: DiffFormat,
        /// Who records notes and decisions (default: SPEC_INTERVIEW_REVIEWER, the configuration
        /// file's reviewer, git's user.name, user@host)
        #[arg(long, value_name = "NAME")]
        reviewer: Option<String>,
    },
    /// Report missing required answers and lint findings (exit 1 if any error)
    #[command(after_help = "\
Examples:
  spec-interview check                          the saved session of the D04 interview
  spec-interview check --answers answers.toml --format json")]
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
    #[command(after_help = "\
Examples:
  spec-interview list                                   questionnaires and where each comes from
  spec-interview list --sessions
  spec-interview list --revisions D04-backend-architecture --format json")]
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
    #[command(after_help = "\
Examples:
  spec-interview show d04-backend-architecture --answers-template > answers.toml
  spec-interview show backend-design --format json")]
    Show {
        questionnaire: String,
        #[arg(long, value_enum, default_value = "toml")]
        format: TomlOrJson,
        /// Print a commented answers file to fill in
        #[arg(long)]
        answers_template: bool,
    },
    /// Check questionnaire and theme files; errors name file:line:column
    #[command(after_help = "\
Examples:
  spec-interview validate .specflow/questionnaires/*.toml
  spec-interview validate ~/.config/spec-interview/themes/mine.toml

A theme file is told from a questionnaire by what it holds ([roles], [palette], inherits).")]
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Where the configuration file is, what is in effect, and where each value came from
    #[command(after_help = "\
Examples:
  spec-interview config
  SPEC_INTERVIEW_THEME=light spec-interview config   see a variable take precedence

The file is config.toml in the platform config folder (~/.config/spec-interview/ on Linux;
SPEC_INTERVIEW_CONFIG names another). See spec-interview man for its settings.")]
    Config,
    /// Print the manual page (roff) on standard output
    #[command(after_help = "\
Examples:
  spec-interview man | man -l -
  spec-interview man > spec-interview.1")]
    Man,
    /// Print shell completions
    #[command(after_help = "\
Examples:
  spec-interview completions bash > ~/.local/share/bash-completion/completions/spec-interview
  spec-interview completions zsh > ~/.zfunc/_spec-interview")]
    Completions { shell: clap_complete::Shell },
}
