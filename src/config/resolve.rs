//! One resolution function per setting, each in the contract's order: flag, `SPEC_INTERVIEW_*`
//! variable, configuration file, general convention, built-in default. Each answer says where
//! it came from, for `spec-interview config` and for messages.
use std::collections::BTreeMap;
use std::path::Path;

use super::{Config, Located};
use crate::core::questionnaire::DEFAULT_ID;

/// The environment, read through one door so that resolution can be tested without touching
/// the process's variables. Empty values count as unset.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `None` reads the process environment.
    fixed: Option<BTreeMap<String, String>>,
}

impl Env {
    pub fn process() -> Env {
        Env { fixed: None }
    }

    /// A fixed environment (tests).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Env {
        Env {
            fixed: Some(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
            ),
        }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.trim().is_empty())
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag or argument, as written (`--theme`).
    Flag(String),
    /// A `SPEC_INTERVIEW_*` variable.
    Variable(String),
    /// The configuration file, at `path:line`.
    File(String),
    /// The general convention (`$VISUAL`, git's `user.name`, `COLORFGBG`, `NO_COLOR`).
    Convention(String),
    Default,
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Flag(flag) => format!("the command line ({flag})"),
            Origin::Variable(name) => format!("${name}"),
            Origin::File(place) => place.clone(),
            Origin::Convention(what) => what.clone(),
            Origin::Default => "the built-in default".to_string(),
        }
    }

    pub fn is_flag(&self) -> bool {
        matches!(self, Origin::Flag(_))
    }
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn new(value: T, origin: Origin) -> Setting<T> {
        Setting { value, origin }
    }
}

fn from_file(config: &Config, located: Option<&Located<String>>) -> Option<Setting<String>> {
    located.map(|l| Setting::new(l.value.clone(), Origin::File(config.place(l.position))))
}

fn from_variable(env: &Env, name: &str) -> Option<Setting<String>> {
    env.get(name)
        .map(|v| Setting::new(v.trim().to_string(), Origin::Variable(name.to_string())))
}

/// The theme names to try, best first: `--no-color` or `--theme`, `SPEC_INTERVIEW_THEME`, the
/// file, then `NO_COLOR` (no colours), then `COLORFGBG` (light or dark), then `dark`. The caller
/// takes the first that exists and says why it passed over the others; `--no-color` and the
/// conventions always exist.
pub fn theme_candidates(
    theme_flag: Option<&str>,
    no_color_flag: bool,
    config: &Config,
    env: &Env,
) -> Vec<Setting<String>> {
    let mut out = Vec::new();
    if no_color_flag {
        out.push(Setting::new(
            "monochrome".to_string(),
            Origin::Flag("--no-color".into()),
        ));
    }
    if let Some(name) = theme_flag {
        out.push(Setting::new(name.to_string(), Origin::Flag("--theme".into())));
    }
    out.extend(from_variable(env, "SPEC_INTERVIEW_THEME"));
    out.extend(from_file(config, config.settings.theme.as_ref()));
    if env.get("NO_COLOR").is_some() {
        out.push(Setting::new(
            "monochrome".to_string(),
            Origin::Convention("NO_COLOR".into()),
        ));
    }
    if let Some(light) = env.get("COLORFGBG").as_deref().and_then(light_background) {
        let name = if light { "light" } else { "dark" };
        out.push(Setting::new(name.to_string(), Origin::Convention("COLORFGBG".into())));
    }
    out.push(Setting::new("dark".to_string(), Origin::Default));
    out
}

/// Whether `COLORFGBG` ("15;0", "0;default;15") announces a light background; `None` when it
/// says nothing usable.
pub fn light_background(colorfgbg: &str) -> Option<bool> {
    let bg = colorfgbg.rsplit(';').next()?.trim().parse::<u8>().ok()?;
    Some(bg == 7 || bg >= 9)
}

/// Who records notes and decisions in the reviewer (and is named on them): `--reviewer`,
/// `SPEC_INTERVIEW_REVIEWER`, the file's `reviewer`, then git's `user.name` inside a git work
/// tree, else `user@host`.
pub fn reviewer(flag: Option<&str>, config: &Config, env: &Env, root: &Path) -> Setting<String> {
    reviewer_named(flag, config, env).unwrap_or_else(|| reviewer_by_convention(env, root))
}

/// The reviewer when the flag, the variable or the file names one.
pub fn reviewer_named(flag: Option<&str>, config: &Config, env: &Env) -> Option<Setting<String>> {
    if let Some(name) = flag.map(str::trim).filter(|n| !n.is_empty()) {
        return Some(Setting::new(name.to_string(), Origin::Flag("--reviewer".into())));
    }
    from_variable(env, "SPEC_INTERVIEW_REVIEWER").or_else(|| from_file(config, config.settings.reviewer.as_ref()))
}

/// The reviewer when nothing names one: git's `user.name` inside a git work tree (which takes
/// running git, milliseconds), else `user@host`.
pub fn reviewer_by_convention(env: &Env, root: &Path) -> Setting<String> {
    match crate::provenance::git_user_name(root) {
        Some(name) => Setting::new(name, Origin::Convention("git user.name".into())),
        None => Setting::new(
            crate::provenance::user_at_host(env),
            Origin::Convention("user@host".into()),
        ),
    }
}

/// The editor for Ctrl-E: `SPEC_INTERVIEW_EDITOR`, the file's `editor`, `$VISUAL`, `$EDITOR`, then `vi`.
pub fn editor(config: &Config, env: &Env) -> Setting<String> {
    from_variable(env, "SPEC_INTERVIEW_EDITOR")
        .or_else(|| from_file(config, config.settings.editor.as_ref()))
        .or_else(|| {
            env.get("VISUAL")
                .map(|v| Setting::new(v, Origin::Convention("$VISUAL".into())))
        })
        .or_else(|| {
            env.get("EDITOR")
                .map(|v| Setting::new(v, Origin::Convention("$EDITOR".into())))
        })
        .unwrap_or_else(|| Setting::new("vi".to_string(), Origin::Default))
}

/// The questionnaires to try for the interview, best first: the argument,
/// `SPEC_INTERVIEW_QUESTIONNAIRE`, the file's `questionnaire`, then the D04 questionnaire.
pub fn questionnaire_candidates(argument: Option<&str>, config: &Config, env: &Env) -> Vec<Setting<String>> {
    let mut out = Vec::new();
    if let Some(id) = argument {
        out.push(Setting::new(id.to_string(), Origin::Flag("QUESTIONNAIRE".into())));
    }
    out.extend(from_variable(env, "SPEC_INTERVIEW_QUESTIONNAIRE"));
    out.extend(from_file(config, config.settings.questionnaire.as_ref()));
    out.push(Setting::new(DEFAULT_ID.to_string(), Origin::Default));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config(text: &str) -> Config {
        Config::parse(&PathBuf::from("/cfg/config.toml"), text)
    }

    #[test]
    fn flag_then_variable_then_file_then_convention_then_default() {
        let file = config("theme = \"high-contrast\"\n");
        let env = Env::from_pairs(&[("SPEC_INTERVIEW_THEME", "light"), ("NO_COLOR", "1")]);
        let first =
            |flag, no_color, config: &Config, env: &Env| theme_candidates(flag, no_color, config, env)[0].clone();
        assert_eq!(
            first(Some("16-color"), false, &file, &env),
            Setting::new("16-color".to_string(), Origin::Flag("--theme".into()))
        );
        assert_eq!(first(Some("16-color"), true, &file, &env).value, "monochrome");
        assert_eq!(
            first(None, false, &file, &env).origin,
            Origin::Variable("SPEC_INTERVIEW_THEME".into())
        );
        let no_var = Env::from_pairs(&[("NO_COLOR", "1")]);
        assert_eq!(
            first(None, false, &file, &no_var),
            Setting::new("high-contrast".to_string(), Origin::File("/cfg/config.toml:1".into()))
        );
        assert_eq!(first(None, false, &Config::none(), &no_var).value, "monochrome");
        let light = Env::from_pairs(&[("COLORFGBG", "0;15")]);
        assert_eq!(first(None, false, &Config::none(), &light).value, "light");
        assert_eq!(
            first(None, false, &Config::none(), &Env::from_pairs(&[])).origin,
            Origin::Default
        );
    }

    #[test]
    fn the_editor_and_the_reviewer_follow_the_same_order() {
        let file = config("editor = \"nano\"\nreviewer = \"Grace\"\n");
        let env = Env::from_pairs(&[("VISUAL", "code --wait"), ("EDITOR", "vim")]);
        assert_eq!(editor(&file, &env).value, "nano");
        assert_eq!(editor(&Config::none(), &env).value, "code --wait");
        assert_eq!(
            editor(&Config::none(), &Env::from_pairs(&[("EDITOR", "vim")])).origin,
            Origin::Convention("$EDITOR".into())
        );
        assert_eq!(editor(&Config::none(), &Env::from_pairs(&[])).value, "vi");
        let env = Env::from_pairs(&[("SPEC_INTERVIEW_REVIEWER", "Ada")]);
        let root = Path::new("/");
        assert_eq!(reviewer(Some("Linus"), &file, &env, root).value, "Linus");
        assert_eq!(reviewer(None, &file, &env, root).value, "Ada");
        assert_eq!(reviewer(None, &file, &Env::from_pairs(&[]), root).value, "Grace");
        // Only when nothing names the reviewer does it come to git or user@host (which the
        // reviewer asks on a second thread).
        let nothing = Env::from_pairs(&[]);
        assert_eq!(reviewer_named(Some("  "), &Config::none(), &nothing), None);
        assert_eq!(
            reviewer_named(None, &file, &nothing).map(|s| s.value).as_deref(),
            Some("Grace")
        );
        let by_convention = reviewer(None, &Config::none(), &nothing, root);
        assert!(matches!(by_convention.origin, Origin::Convention(_)));
    }

    #[test]
    fn questionnaires_fall_back_to_d04() {
        let file = config("questionnaire = \"backend-design\"\n");
        let env = Env::from_pairs(&[]);
        let ids: Vec<String> = questionnaire_candidates(None, &file, &env)
            .into_iter()
            .map(|s| s.value)
            .collect();
        assert_eq!(ids, vec!["backend-design".to_string(), DEFAULT_ID.to_string()]);
        assert_eq!(questionnaire_candidates(Some("x"), &file, &env)[0].value, "x");
    }

    #[test]
    fn colorfgbg_reads_the_background_from_its_last_field() {
        assert_eq!(light_background("0;15"), Some(true));
        assert_eq!(light_background("15;0"), Some(false));
        assert_eq!(light_background("0;default;7"), Some(true));
        assert_eq!(light_background("garbage"), None);
    }
}
