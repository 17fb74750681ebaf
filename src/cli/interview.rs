//! `interview`: the full-screen interview, with its theme chosen.

use super::{CommandResult, Context, Failure, Outcome};
use spec_interview::core::questionnaire::DEFAULT_ID;
use spec_interview::tui::app;
use spec_interview::tui::theme::Theme;

/// The colours: `--no-color` or `NO_COLOR` win, then `--theme`, then a light terminal
/// announced by `COLORFGBG`, else dark.
pub(super) fn choose_theme(name: Option<&str>, no_color: bool) -> Result<Theme, Failure> {
    let named = match name {
        Some(name) => Some(Theme::named(name).ok_or_else(|| {
            Failure::usage(format!(
                "there is no theme \"{name}\"; the themes are {}.",
                Theme::NAMES.join(", ")
            ))
        })?),
        None => None,
    };
    if no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return Ok(Theme::monochrome());
    }
    if let Some(theme) = named {
        return Ok(theme);
    }
    let light = std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| v.rsplit(';').next().and_then(|bg| bg.parse::<u8>().ok()))
        .is_some_and(|bg| bg == 7 || bg >= 9);
    Ok(if light { Theme::light() } else { Theme::dark() })
}

/// The full-screen interview on questionnaire `id` (default D04), resuming its session.
/// How the interview is opened.
pub struct InterviewFlags<'a> {
    pub theme: Option<&'a str>,
    pub no_color: bool,
    pub read_only: bool,
    pub fresh: bool,
    /// A Quick Start line to read and offer before the interview starts.
    pub quick: Option<String>,
}

pub fn interview(ctx: &Context, id: Option<&str>, flags: &InterviewFlags) -> CommandResult {
    let (theme, no_color) = (flags.theme, flags.no_color);
    let theme = choose_theme(theme, no_color)?;
    let catalog = ctx.catalog();
    let q = ctx.questionnaire(&catalog, id.unwrap_or(DEFAULT_ID))?;
    match app::run(
        ctx.project.clone(),
        &q,
        app::Options {
            theme,
            read_only: flags.read_only,
            fresh: flags.fresh,
            quick: flags.quick.clone(),
            cache_dir: super::cache_dir(),
        },
    ) {
        Ok(app::Ending::Quit) if flags.read_only => {
            eprintln!("Read-only: nothing was written.");
            Ok(Outcome::Fine)
        }
        Ok(app::Ending::Quit) => {
            let path = ctx.project.session_file(&q.id);
            let path = std::env::current_dir().map_or(path.clone(), |cwd| cwd.join(&path));
            eprintln!(
                "Answers saved in {}; run spec-interview again to continue where you left off.",
                path.display()
            );
            Ok(Outcome::Fine)
        }
        Ok(app::Ending::Signal(signal)) => Err(Failure {
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
