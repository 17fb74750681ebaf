//! The command line: parse, pick the command, map failures to exit codes
//! (0 fine, 1 findings or differences, 2 usage, I/O or unreadable input).
mod commands;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[allow(clippy::doc_markdown)] // doc comments are the --help text
#[command(name = "spec-interview", version, about = "Interview an engineer and write the backend design document", long_about = None)]
struct Cli {
    /// Project root (default: the current directory)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    directory: Option<PathBuf>,
    /// Colour theme for the interview and the reviewer
    #[arg(long, value_name = "NAME", global = true)]
    theme: Option<String>,
    /// No colours (NO_COLOR in the environment does the same)
    #[arg(long, global = true)]
    no_color: bool,
    /// Open the interview without writing anything (when another one has the session)
    #[arg(long, global = true)]
    read_only: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum TextOrJson {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiffFormat {
    Diff,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum TomlOrJson {
    Toml,
    Json,
}

#[derive(Subcommand)]
#[allow(clippy::doc_markdown)] // doc comments are the --help text
enum Command {
    /// Start the interview, or resume it if a session exists
    Interview {
        /// Questionnaire id (default: d04-backend-architecture)
        questionnaire: Option<String>,
        /// Start over; the previous session is kept as a backup file
        #[arg(long)]
        fresh: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Like git -C and make -C: work as if started in DIR, so relative paths are relative to it.
    if let Some(dir) = &cli.directory
        && let Err(e) = std::env::set_current_dir(dir)
    {
        eprintln!(
            "spec-interview: {}: cannot open this project folder: {}.",
            dir.display(),
            spec_interview::core::history::io_reason(&e)
        );
        return ExitCode::from(2);
    }
    let ctx = commands::Context::new(PathBuf::new());
    let flags = |fresh| commands::InterviewFlags {
        theme: cli.theme.as_deref(),
        no_color: cli.no_color,
        read_only: cli.read_only,
        fresh,
    };
    let result = match cli.command {
        None => commands::interview(&ctx, None, &flags(false)),
        Some(Command::Interview { questionnaire, fresh }) => {
            commands::interview(&ctx, questionnaire.as_deref(), &flags(fresh))
        }
        Some(Command::Diff {
            doc,
            from,
            to,
            print,
            stat,
            side_by_side,
            format,
        }) => commands::diff(
            &ctx,
            &commands::DiffRequest {
                doc: doc.as_deref(),
                from: from.as_deref(),
                to: to.as_deref(),
                print,
                stat,
                side_by_side,
                markdown: format == DiffFormat::Markdown,
                no_color: cli.no_color,
                theme: cli.theme.as_deref(),
            },
        ),
        Some(Command::Render {
            questionnaire,
            answers,
            save,
            overwrite,
            output,
            document,
        }) => commands::render(
            &ctx,
            questionnaire.as_deref(),
            &answers,
            save,
            overwrite,
            output.as_deref(),
            document.as_deref(),
        ),
        Some(Command::Check {
            questionnaire,
            answers,
            format,
        }) => commands::check(
            &ctx,
            questionnaire.as_deref(),
            answers.as_deref(),
            format == TextOrJson::Json,
        ),
        Some(Command::List {
            sessions,
            revisions,
            format,
        }) => {
            let json = format == TextOrJson::Json;
            if sessions {
                commands::list_sessions(&ctx, json)
            } else if let Some(doc) = revisions {
                commands::list_revisions(&ctx, &doc, json)
            } else {
                commands::list_questionnaires(&ctx, json)
            }
        }
        Some(Command::Show {
            questionnaire,
            format,
            answers_template,
        }) => commands::show(&ctx, &questionnaire, format == TomlOrJson::Json, answers_template),
        Some(Command::Validate { files }) => commands::validate(&files),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "spec-interview", &mut std::io::stdout());
            Ok(commands::Outcome::Fine)
        }
    };
    match result {
        Ok(commands::Outcome::Fine) => ExitCode::SUCCESS,
        Ok(commands::Outcome::Findings) => ExitCode::from(1),
        Err(failure) => {
            let text = failure.render();
            if !text.is_empty() {
                eprintln!("{text}");
            }
            ExitCode::from(failure.code)
        }
    }
}
