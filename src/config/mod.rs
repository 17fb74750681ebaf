//! The user's configuration file (`config.toml` in the platform config folder) and the one
//! order every setting is resolved in: a command-line flag, then a `SPEC_INTERVIEW_*`
//! variable, then the file, then the general convention, then the built-in default. Only
//! interactive use (the interview, plain mode, the reviewer) reads it: headless commands give
//! the same output whatever it says.
pub mod resolve;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::core::diagnostic::{Diagnostic, Position, from_toml_error};
use crate::core::fsio::sanitize;

pub use resolve::{Env, Origin, Setting};

/// The configuration format this build reads.
pub const SCHEMA: i64 = 1;
/// The variable that names another configuration file (for tests and for trying one out).
pub const CONFIG_VARIABLE: &str = "SPEC_INTERVIEW_CONFIG";
/// Longer configuration files are not read.
const MAX_BYTES: u64 = 256 * 1024;

/// The platform config folder of spec-interview (`~/.config/spec-interview` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "spec-interview").map(|d| d.config_dir().to_path_buf())
}

/// The user's own questionnaires.
pub fn user_questionnaires() -> Option<PathBuf> {
    config_dir().map(|d| d.join("questionnaires"))
}

/// The user's own themes.
pub fn user_themes() -> Option<PathBuf> {
    config_dir().map(|d| d.join("themes"))
}

/// A value from the file and where it stands in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub position: Position,
}

/// `[keys]`: a key, the action it should do, and where the line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub key: String,
    pub action: String,
    pub position: Position,
}

/// What the file says (each setting optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSettings {
    pub theme: Option<Located<String>>,
    pub reviewer: Option<Located<String>>,
    pub editor: Option<Located<String>>,
    pub questionnaire: Option<Located<String>>,
    pub keys: Vec<KeyOverride>,
}

/// The configuration in effect: where the file is, what it says, what was wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where the file is looked for (`None` when the platform has no config folder).
    pub path: Option<PathBuf>,
    /// The file was there (even if it could not be used).
    pub found: bool,
    pub settings: FileSettings,
    /// Sentences about the file, each naming it and its line: printed on start-up and by
    /// `spec-interview config`.
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    schema: Option<Spanned<i64>>,
    theme: Option<Spanned<String>>,
    reviewer: Option<Spanned<String>>,
    editor: Option<Spanned<String>>,
    questionnaire: Option<Spanned<String>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl Config {
    /// No file: what headless commands use, so their output never depends on one.
    pub fn none() -> Config {
        Config::default()
    }

    /// The file at `SPEC_INTERVIEW_CONFIG`, else `config.toml` in the platform config folder.
    /// A missing file is no problem; a bad one is reported and its settings left out.
    pub fn load(env: &Env) -> Config {
        let path = env
            .get(CONFIG_VARIABLE)
            .filter(|p| !p.trim().is_empty())
            .map(PathBuf::from)
            .or_else(|| config_dir().map(|d| d.join("config.toml")));
        let Some(path) = path else {
            return Config::none();
        };
        match read(&path) {
            Ok(None) => Config {
                path: Some(path),
                ..Config::none()
            },
            Ok(Some(text)) => {
                let mut config = Config::parse(&path, &text);
                config.found = true;
                config
            }
            Err(reason) => Config {
                problems: vec![format!(
                    "{}: {reason}; the configuration file is ignored and the defaults apply.",
                    path.display()
                )],
                path: Some(path),
                found: true,
                ..Config::none()
            },
        }
    }

    /// Reads the configuration text of `path`. A file that does not parse, or is for a newer
    /// spec-interview, gives one sentence and no settings; a single bad value is left out with
    /// its own sentence.
    pub fn parse(path: &Path, text: &str) -> Config {
        let mut config = Config {
            path: Some(path.to_path_buf()),
            found: true,
            ..Config::none()
        };
        let ignored = "the configuration file is ignored and the defaults apply";
        let raw: RawConfig = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let d = from_toml_error(path, text, &e);
                config
                    .problems
                    .push(format!("{}; {ignored}.", d.to_string().trim_end_matches('.')));
                return config;
            }
        };
        let at = |offset: usize| Position::of_offset(text, offset);
        let say = |offset: usize, message: String| Diagnostic::new(path, Some(at(offset)), message).to_string();
        if let Some(schema) = &raw.schema {
            let n = *schema.get_ref();
            if n > SCHEMA {
                config.problems.push(say(
                    schema.span().start,
                    format!("schema {n} was written for a newer spec-interview (this one reads {SCHEMA}); {ignored}."),
                ));
                return config;
            } else if n < 1 {
                config.problems.push(say(
                    schema.span().start,
                    format!("schema must be {SCHEMA}, not {n}; {ignored}."),
                ));
                return config;
            }
        }
        let mut text_setting = |value: Option<Spanned<String>>, what: &str| -> Option<Located<String>> {
            let value = value?;
            let start = value.span().start;
            let s = value.into_inner();
            let problem = if s.trim().is_empty() {
                Some(format!("\"{what}\" is empty"))
            } else if s.contains(['\n', '\r']) || sanitize(&s) != s {
                Some(format!(
                    "\"{what}\" must be one line of text without control characters"
                ))
            } else if s.chars().count() > 200 {
                Some(format!("\"{what}\" is longer than 200 characters"))
            } else {
                None
            };
            if let Some(problem) = problem {
                config
                    .problems
                    .push(say(start, format!("{problem}; that setting is ignored.")));
                return None;
            }
            Some(Located {
                value: s.trim().to_string(),
                position: at(start),
            })
        };
        let settings = FileSettings {
            theme: text_setting(raw.theme, "theme"),
            reviewer: text_setting(raw.reviewer, "reviewer"),
            editor: text_setting(raw.editor, "editor"),
            questionnaire: text_setting(raw.questionnaire, "questionnaire"),
            keys: raw
                .keys
                .into_iter()
                .map(|(key, action)| KeyOverride {
                    position: at(key.span().start),
                    key: key.into_inner(),
                    action: action.into_inner(),
                })
                .collect(),
        };
        config.settings = settings;
        config
    }

    /// "config.toml:3" for a position in the file.
    pub fn place(&self, position: Position) -> String {
        let path = self.path.as_deref().unwrap_or(Path::new("config.toml"));
        format!("{}:{}", path.display(), position.line)
    }

    /// A sentence about a key override, naming the file and line.
    pub fn key_problem(&self, key: &KeyOverride, problem: &str) -> String {
        let path = self.path.as_deref().unwrap_or(Path::new("config.toml"));
        let d = Diagnostic::new(
            path,
            Some(key.position),
            format!("{problem}; that key is left as it was."),
        );
        d.to_string()
    }
}

/// The file's text, `None` when there is no file.
fn read(path: &Path) -> Result<Option<String>, String> {
    use std::io::Read as _;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {}", crate::core::history::io_reason(&e))),
    };
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("it is larger than {MAX_BYTES} bytes"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read it: {}", crate::core::history::io_reason(&e)))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "it is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        Config::parse(Path::new("config.toml"), text)
    }

    #[test]
    fn a_good_file_gives_every_setting_with_its_line() {
        let c = parse(
            "schema = 1\ntheme = \"light\"\nreviewer = \"Ada Lovelace\"\neditor = \"nvim\"\nquestionnaire = \"backend-design\"\n\n[keys]\n\"Ctrl-Z\" = \"Undo\"\n",
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.settings.theme.as_ref().map(|t| t.value.as_str()), Some("light"));
        assert_eq!(c.settings.reviewer.as_ref().map(|t| t.position.line), Some(3));
        assert_eq!(c.settings.keys.len(), 1);
        assert_eq!(c.settings.keys[0].position.line, 8);
        assert_eq!(c.place(c.settings.keys[0].position), "config.toml:8");
    }

    #[test]
    fn a_file_that_does_not_parse_is_one_sentence_then_the_defaults() {
        let c = parse("theme = \"light\"\ncolour = \"red\"\n");
        assert_eq!(c.settings, FileSettings::default());
        assert_eq!(c.problems.len(), 1);
        assert!(
            c.problems[0].starts_with("config.toml:2:1: unknown field `colour`"),
            "{}",
            c.problems[0]
        );
        assert!(c.problems[0].ends_with("the configuration file is ignored and the defaults apply."));
        let c = parse("schema = 2\ntheme = \"light\"\n");
        assert_eq!(c.settings, FileSettings::default());
        assert!(c.problems[0].contains("newer spec-interview"), "{}", c.problems[0]);
    }

    #[test]
    fn one_bad_value_is_left_out_alone() {
        let c = parse("theme = \"light\"\nreviewer = \"\\u001b[31mEve\"\n");
        assert_eq!(c.settings.theme.as_ref().map(|t| t.value.as_str()), Some("light"));
        assert_eq!(c.settings.reviewer, None);
        assert_eq!(
            c.problems,
            vec![
                "config.toml:2:12: \"reviewer\" must be one line of text without control characters; that setting is ignored."
                    .to_string()
            ]
        );
    }
}
