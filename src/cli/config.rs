//! `config`, and the settings of interactive use: the configuration file read once, each
//! setting resolved in the contract's order, the theme chosen, the key overrides applied.
use std::io::IsTerminal as _;

use super::{CommandResult, Context, Failure, Outcome};
use spec_interview::config::{self, Config, Env, Origin, Setting, resolve};
use spec_interview::core::fsio::sanitize;
use spec_interview::tui::keymap;
use spec_interview::tui::theme::{Depth, Theme, ThemeError, ThemeSet};

/// What interactive commands read: the file, the environment, and sentences for the user.
pub struct Interactive {
    pub config: Config,
    pub env: Env,
    /// Problems with the file or with a value from it, each one sentence naming where.
    pub notices: Vec<String>,
}

impl Interactive {
    pub fn load() -> Interactive {
        let env = Env::process();
        let config = Config::load(&env);
        let notices = config.problems.clone();
        Interactive { config, env, notices }
    }

    /// The themes there are: built in, the user's, the project's.
    pub fn themes(ctx: &Context) -> ThemeSet {
        ThemeSet::load(config::user_themes().as_deref(), Some(&ctx.project))
    }

    /// The theme in force, from the first candidate that exists. An unknown `--theme` is a
    /// usage error; an unknown name from a variable or the file is said, and the next taken.
    pub fn theme(
        &mut self,
        ctx: &Context,
        flag: Option<&str>,
        no_color: bool,
    ) -> Result<(Theme, Setting<String>), Failure> {
        let themes = Interactive::themes(ctx);
        for candidate in resolve::theme_candidates(flag, no_color, &self.config, &self.env) {
            match themes.theme(&candidate.value) {
                Ok(theme) => {
                    let theme = if theme.name == "monochrome" {
                        theme
                    } else {
                        theme.degraded(Depth::detect())
                    };
                    return Ok((theme, candidate));
                }
                Err(e) if candidate.origin.is_flag() => {
                    return Err(match e {
                        ThemeError::Unknown { .. } => Failure::usage(e.to_string()),
                        ThemeError::Broken(d) => Failure::from(d),
                    });
                }
                Err(e) => self.notices.push(format!(
                    "{}: {}; the next choice is used instead.",
                    candidate.origin.describe(),
                    e.to_string().trim_end_matches('.')
                )),
            }
        }
        Ok((
            Theme::dark(),
            Setting {
                value: "dark".into(),
                origin: Origin::Default,
            },
        ))
    }

    /// Lays the file's `[keys]` over the key table (once per run); each line that cannot be
    /// taken becomes a notice naming its line.
    pub fn install_keys(&mut self) {
        let problems = self.key_problems(true);
        self.notices.extend(problems);
    }

    fn key_problems(&self, install: bool) -> Vec<String> {
        let overrides: Vec<(String, String)> = self
            .config
            .settings
            .keys
            .iter()
            .map(|k| (k.key.clone(), k.action.clone()))
            .collect();
        let (table, problems) = keymap::with_overrides(keymap::BINDINGS, &overrides);
        if install && !overrides.is_empty() {
            keymap::install(table);
        }
        problems
            .into_iter()
            .filter_map(|p| {
                self.config
                    .settings
                    .keys
                    .get(p.index)
                    .map(|k| self.config.key_problem(k, &p.problem))
            })
            .collect()
    }

    /// The questionnaire for the interview: the first candidate the catalog has. An unknown
    /// argument is a usage error; an unknown id from a variable or the file is said, and passed.
    pub fn questionnaire(
        &mut self,
        ctx: &Context,
        catalog: &spec_interview::core::questionnaire::Catalog,
        argument: Option<&str>,
    ) -> Result<std::sync::Arc<spec_interview::core::questionnaire::Questionnaire>, Failure> {
        let candidates = resolve::questionnaire_candidates(argument, &self.config, &self.env);
        let mut last = None;
        for candidate in candidates {
            match ctx.questionnaire(catalog, &candidate.value) {
                Ok(q) => return Ok(q),
                Err(e) if candidate.origin.is_flag() || candidate.origin == Origin::Default => return Err(e),
                Err(e) => {
                    self.notices.push(format!(
                        "{}: {}; the next choice is used instead.",
                        candidate.origin.describe(),
                        e.render().trim_start_matches("spec-interview: ").trim_end_matches('.')
                    ));
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| Failure::usage("no questionnaire.")))
    }
}

/// `spec-interview config`.
#[allow(clippy::unnecessary_wraps)] // every command returns a CommandResult
pub fn config(ctx: &Context, theme_flag: Option<&str>, no_color: bool, plain_flag: bool) -> CommandResult {
    let mut settings = Interactive::load();
    let path = settings.config.path.clone();
    match (&path, settings.config.found) {
        (Some(p), true) => outln!("Configuration file: {}", p.display()),
        (Some(p), false) => outln!(
            "Configuration file: {} (there is none: the defaults apply; create it to change them)",
            p.display()
        ),
        (None, _) => outln!("Configuration file: none (this system has no config folder)"),
    }
    let (theme, theme_setting) = match settings.theme(ctx, theme_flag, no_color) {
        Ok(found) => found,
        Err(failure) => {
            settings
                .notices
                .push(failure.render().trim_start_matches("spec-interview: ").to_string());
            (
                Theme::dark(),
                Setting {
                    value: "dark".into(),
                    origin: Origin::Default,
                },
            )
        }
    };
    let depth = Depth::detect();
    let depth_origin = match (settings.env.get("COLORTERM"), settings.env.get("TERM")) {
        (Some(c), _) if matches!(c.to_ascii_lowercase().as_str(), "truecolor" | "24bit") => format!("COLORTERM={c}"),
        (_, Some(t)) => format!("TERM={t}"),
        _ => "no TERM".to_string(),
    };
    let reviewer = resolve::reviewer(None, &settings.config, &settings.env, &ctx.project.root);
    let editor = resolve::editor(&settings.config, &settings.env);
    let catalog = ctx.catalog();
    let questionnaire = settings
        .questionnaire(ctx, &catalog, None)
        .map_or_else(|_| "(none)".into(), |q| q.id.clone());
    let questionnaire_origin = resolve::questionnaire_candidates(None, &settings.config, &settings.env)
        .into_iter()
        .find(|c| c.value == questionnaire)
        .map_or(Origin::Default, |c| c.origin);
    let stdin = std::io::stdin().is_terminal();
    let stdout = std::io::stdout().is_terminal();
    let plain = spec_interview::plain::wanted(plain_flag, &settings.env, stdin, stdout);
    outln!();
    outln!("In effect (each from the first of: flag, SPEC_INTERVIEW_* variable, this file, convention, default):");
    let row = |name: &str, value: &str, origin: &str| {
        outln!("  {name:<14} {:<30} from {origin}", sanitize(value));
    };
    let theme_value = if theme.name == theme_setting.value {
        theme_setting.value.clone()
    } else {
        theme.name.to_string()
    };
    row("theme", &theme_value, &theme_setting.origin.describe());
    row(
        "colours",
        if theme.name == "monochrome" {
            "none"
        } else {
            depth.name()
        },
        &if theme.name == "monochrome" {
            theme_setting.origin.describe()
        } else {
            depth_origin
        },
    );
    row("reviewer", &reviewer.value, &reviewer.origin.describe());
    row("editor", &editor.value, &editor.origin.describe());
    row("questionnaire", &questionnaire, &questionnaire_origin.describe());
    match plain {
        Some(why) => outln!("  {:<14} {:<30} because {why}", "plain mode", "on"),
        None => row(
            "plain mode",
            "off",
            "a terminal (--plain, ACCESSIBLE=1 or TERM=dumb turn it on)",
        ),
    }
    let key_problems = settings.key_problems(false);
    if !settings.config.settings.keys.is_empty() {
        outln!();
        outln!("Keys from the file:");
        for k in &settings.config.settings.keys {
            let taken = !key_problems
                .iter()
                .any(|p| p.contains(&format!(":{}:", k.position.line)));
            outln!(
                "  {:<14} {:<30} {}{}",
                sanitize(&k.key),
                sanitize(&k.action),
                settings.config.place(k.position),
                if taken { "" } else { " (not taken, see below)" }
            );
        }
    }
    let themes = Interactive::themes(ctx);
    outln!();
    let names: Vec<String> = themes
        .names()
        .into_iter()
        .map(|n| match themes.source(&n) {
            Some((source, path)) if source.name() != "built-in" => {
                format!("{n} ({}: {})", source.name(), path.display())
            }
            _ => n,
        })
        .collect();
    outln!("Themes: {}", sanitize(&names.join(", ")));
    if let Some(dir) = config::user_themes() {
        outln!("Your themes go in {}; a project's in .specflow/themes/.", dir.display());
    }
    let mut problems = settings.notices.clone();
    problems.extend(key_problems);
    for broken in themes.problems() {
        problems.push(broken.to_string());
    }
    if problems.is_empty() {
        Ok(Outcome::Fine)
    } else {
        outln!();
        outln!("Problems:");
        for p in &problems {
            for line in sanitize(p).lines() {
                outln!("  {line}");
            }
        }
        Ok(Outcome::Findings)
    }
}
