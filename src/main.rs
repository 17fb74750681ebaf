//! The command line: parse, pick the command, map failures to exit codes
//! (0 fine, 1 findings or differences, 2 usage, I/O or unreadable input).
#[macro_use]
mod cli;

use clap::Parser;
use cli::args::{Cli, Command, DiffFormat, SuggestFormat, TextOrJson, TomlOrJson};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A usage error quotes what was typed, which may hold escape sequences: sanitised.
        Err(e) if e.use_stderr() => {
            let text = spec_interview::core::sanitize::sanitize(&e.render().to_string()).into_owned();
            let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
        Err(e) => e.exit(),
    };
    // Like git -C and make -C: work as if started in DIR, so relative paths are relative to it.
    if let Some(dir) = &cli.directory
        && let Err(e) = std::env::set_current_dir(dir)
    {
        errln!(
            "spec-interview: {}: cannot open this project folder: {}.",
            spec_interview::core::sanitize::shown_path(dir),
            spec_interview::core::fsio::io_reason(&e)
        );
        return ExitCode::from(2);
    }
    let ctx = cli::Context::new(PathBuf::new());
    let top_quick = cli.quick.clone();
    let flags = |fresh, quick: Option<String>| cli::interview::InterviewFlags {
        theme: cli.theme.as_deref(),
        no_color: cli.no_color,
        read_only: cli.read_only,
        fresh,
        quick,
        plain: cli.plain,
    };
    let result = match cli.command {
        None => cli::interview::interview(&ctx, None, &flags(false, top_quick)),
        Some(Command::Interview {
            questionnaire,
            fresh,
            quick,
        }) => cli::interview::interview(&ctx, questionnaire.as_deref(), &flags(fresh, quick.or(top_quick))),
        Some(Command::Suggest { questionnaire, format }) => cli::suggest::suggest(
            &ctx,
            questionnaire.as_deref(),
            match format {
                SuggestFormat::Text => cli::suggest::Format::Text,
                SuggestFormat::Json => cli::suggest::Format::Json,
                SuggestFormat::Toml => cli::suggest::Format::Toml,
            },
        ),
        Some(Command::Diff {
            doc,
            from,
            to,
            print,
            stat,
            side_by_side,
            format,
            reviewer,
        }) => cli::diff::diff(
            &ctx,
            &cli::diff::DiffRequest {
                doc: doc.as_deref(),
                from: from.as_deref(),
                to: to.as_deref(),
                print,
                stat,
                side_by_side,
                markdown: format == DiffFormat::Markdown,
                no_color: cli.no_color,
                theme: cli.theme.as_deref(),
                reviewer: reviewer.as_deref(),
            },
        ),
        Some(Command::Render {
            questionnaire,
            answers,
            save,
            overwrite,
            output,
            document,
        }) => cli::render::render(
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
        }) => cli::check::check(
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
                cli::list::list_sessions(&ctx, json)
            } else if let Some(doc) = revisions {
                cli::list::list_revisions(&ctx, &doc, json)
            } else {
                cli::list::list_questionnaires(&ctx, json)
            }
        }
        Some(Command::Show {
            questionnaire,
            format,
            answers_template,
        }) => cli::show::show(&ctx, &questionnaire, format == TomlOrJson::Json, answers_template),
        Some(Command::Validate { files }) => cli::validate::validate(&ctx, &files),
        Some(Command::Config) => cli::config::config(&ctx, cli.theme.as_deref(), cli.no_color, cli.plain),
        Some(Command::Man) => cli::man::man(),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "spec-interview", &mut std::io::stdout());
            Ok(cli::Outcome::Fine)
        }
    };
    match result {
        Ok(cli::Outcome::Fine) => ExitCode::SUCCESS,
        Ok(cli::Outcome::Findings) => ExitCode::from(1),
        Err(failure) => {
            let text = failure.render();
            if !text.is_empty() {
                errln!("{text}");
            }
            ExitCode::from(failure.code)
        }
    }
}
