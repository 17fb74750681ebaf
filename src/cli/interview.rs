//! `interview`: the full-screen interview, or the plain one line by line, with the settings of
//! interactive use (theme, editor, keys, questionnaire) resolved from flags, variables and the
//! configuration file.
use std::io::IsTerminal as _;

use super::config::Interactive;
use super::{CommandResult, Context, Failure, Outcome};
use spec_interview::config::resolve;
use spec_interview::tui::app;

/// How the interview is opened.
#[allow(clippy::struct_excessive_bools)] // one field per command-line switch
pub struct InterviewFlags<'a> {
    pub theme: Option<&'a str>,
    pub no_color: bool,
    pub read_only: bool,
    pub fresh: bool,
    /// A Quick Start line to read and offer before the interview starts.
    pub quick: Option<String>,
    pub plain: bool,
}

/// The interview on questionnaire `id` (else the configured one, else D04), resuming its session.
pub fn interview(ctx: &Context, id: Option<&str>, flags: &InterviewFlags) -> CommandResult {
    let mut settings = Interactive::load();
    // An unknown --theme is a mistake on the command line, plain mode or not.
    let (theme, _) = settings.theme(ctx, flags.theme, flags.no_color)?;
    let catalog = ctx.catalog_quiet_about(id);
    let q = settings.questionnaire(ctx, &catalog, id)?;
    let stdin_terminal = std::io::stdin().is_terminal();
    let plain = spec_interview::plain::wanted(
        flags.plain,
        &settings.env,
        stdin_terminal,
        std::io::stdout().is_terminal(),
    );
    let result = if plain.is_some() {
        if flags.quick.is_some() {
            errln!(
                "note: the Quick Start line belongs to the full-screen interview; plain mode asks each question in turn."
            );
        }
        let options = spec_interview::plain::Options {
            read_only: flags.read_only,
            fresh: flags.fresh,
            notices: settings.notices,
            echo: !stdin_terminal,
        };
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut out = std::io::stdout().lock();
        spec_interview::plain::run(ctx.project.clone(), &q, &options, &mut input, &mut out).map(|()| None)
    } else {
        settings.install_keys();
        for notice in &settings.notices {
            errln!("warning: {}", spec_interview::core::fsio::sanitize(notice));
        }
        app::run(
            ctx.project.clone(),
            &q,
            app::Options {
                theme,
                read_only: flags.read_only,
                fresh: flags.fresh,
                editor: resolve::editor(&settings.config, &settings.env).value,
                notices: settings.notices,
                quick: flags.quick.clone(),
                cache_dir: super::cache_dir(),
            },
        )
        .map(Some)
    };
    match result {
        Ok(None) => Ok(Outcome::Fine),
        Ok(Some(app::Ending::Quit)) if flags.read_only => {
            errln!("Read-only: nothing was written.");
            Ok(Outcome::Fine)
        }
        Ok(Some(app::Ending::Quit)) => {
            // An instance's session is in the questionnaire's own folder.
            let path = if q.instance.is_empty() {
                ctx.project.session_file(&q.id)
            } else {
                ctx.project.sessions_dir().join(&q.id)
            };
            let path = std::env::current_dir().map_or(path.clone(), |cwd| cwd.join(&path));
            super::tell(&format!(
                "Answers saved in {}; run spec-interview again to continue where you left off.",
                spec_interview::core::sanitize::shown_path(&path)
            ));
            Ok(Outcome::Fine)
        }
        Ok(Some(app::Ending::Signal(signal))) => Err(Failure {
            code: u8::try_from(128 + signal).unwrap_or(1),
            message: format!("stopped by signal {signal}; the session was saved first."),
            located: false,
        }),
        Err(app::AppError::NoTerminal) => Err(Failure::usage(
            "the interview needs a terminal (standard input and output must be a terminal); \
             the headless commands work without one (see spec-interview --help).",
        )),
        Err(app::AppError::Input(message)) => Err(Failure::in_file(message)),
        Err(e @ app::AppError::Locked(_)) => Err(Failure::usage(format!(
            "{e} Close that one, or look without writing: spec-interview --read-only{}",
            id.map(|i| format!(" interview {i}")).unwrap_or_default()
        ))),
        Err(e @ app::AppError::Terminal(_)) => Err(Failure::usage(e.to_string())),
    }
}
