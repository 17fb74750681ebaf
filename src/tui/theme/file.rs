//! Theme files (`themes/*.toml`, the user's and the project's): parsing with positions,
//! inheritance, palettes, and the checks an untrusted file must pass before it paints anything.
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

use super::Theme;
use super::colour;
use crate::core::diagnostic::{Diagnostic, Diagnostics, from_toml_error};
use crate::core::fsio::{Folder, FsError, Kind, Project, THEMES, read_regular_file, sanitize};

/// The built-in themes, compiled into the binary: (name, path shown in messages, text).
pub const BUILTIN: &[(&str, &str, &str)] = &[
    ("dark", "themes/dark.toml", include_str!("../../../themes/dark.toml")),
    ("light", "themes/light.toml", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        "themes/high-contrast.toml",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    (
        "16-color",
        "themes/16-color.toml",
        include_str!("../../../themes/16-color.toml"),
    ),
];

/// The theme format this build reads.
pub const FORMAT: i64 = 1;
/// Longer theme files are refused unread (a theme is a few dozen lines).
pub const MAX_BYTES: u64 = 256 * 1024;
/// How many parents a theme may have above it.
const MAX_DEPTH: usize = 16;
/// Below this contrast (WCAG ratio) a role cannot be read, and a file that asks for it is refused.
pub const MIN_CONTRAST: f64 = 3.0;

/// The modifiers a theme may use, by the name it writes them with. Hidden and blinking text are
/// left out on purpose: a theme must not make text vanish or flash.
const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
];

/// Where a theme file comes from; later sources override earlier ones by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    BuiltIn,
    User,
    Project,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::BuiltIn => "built-in",
            Source::User => "user",
            Source::Project => "project",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    format: Option<Spanned<i64>>,
    #[allow(dead_code)] // read so that a description is not an unknown key
    description: Option<String>,
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    palette: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, Spanned<RawStyle>>,
}

#[derive(Deserialize, Clone)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { fg = \"#1f2328\", bg = \"#ffffff\", modifiers = [\"bold\"] }"
)]
struct RawStyle {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    #[serde(default)]
    modifiers: Vec<Spanned<String>>,
}

/// One theme file, parsed and checked on its own (colours are checked once the palettes of its
/// parents are known).
#[derive(Clone)]
pub struct ThemeFile {
    pub name: String,
    pub path: PathBuf,
    pub source: Source,
    text: String,
    inherits: Option<Spanned<String>>,
    palette: BTreeMap<String, Spanned<String>>,
    roles: BTreeMap<String, (Range<usize>, RawStyle)>,
}

impl ThemeFile {
    pub fn inherits(&self) -> Option<&str> {
        self.inherits.as_ref().map(|i| i.get_ref().as_str())
    }

    fn at(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_span(&self.path, &self.text, span, message)
    }
}

/// Whether a TOML text reads as a theme rather than a questionnaire (for `validate`).
pub fn looks_like_theme(text: &str) -> bool {
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    let theme_keys = ["roles", "palette", "inherits"].iter().any(|k| table.contains_key(*k));
    let questionnaire_keys = ["sections", "documents", "id"].iter().any(|k| table.contains_key(*k));
    theme_keys && !questionnaire_keys
}

/// A theme's name from its file name: lower-case letters, digits and dashes.
pub fn is_theme_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 64
}

/// Parses a theme file named `name`. Everything that can be checked without its parents is.
pub fn parse(path: &Path, text: &str, name: &str, source: Source) -> Result<ThemeFile, Diagnostics> {
    let raw: RawTheme = toml::from_str(text).map_err(|e| Diagnostics(vec![from_toml_error(path, text, &e)]))?;
    let mut file = ThemeFile {
        name: name.to_string(),
        path: path.to_path_buf(),
        source,
        text: text.to_string(),
        inherits: raw.inherits,
        palette: BTreeMap::new(),
        roles: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    if !is_theme_name(name) {
        problems.push(Diagnostic::new(
            path,
            None,
            format!(
                "\"{}\" cannot name a theme: use lower-case letters, digits and dashes in the file name.",
                sanitize(name)
            ),
        ));
    }
    if matches!(name, "monochrome" | "mono" | "none") && source != Source::BuiltIn {
        problems.push(Diagnostic::new(
            path,
            None,
            format!(
                "\"{name}\" is the theme without colours (NO_COLOR) and cannot be replaced; name this file differently."
            ),
        ));
    }
    if let Some(format) = &raw.format
        && *format.get_ref() != FORMAT
    {
        let message = if *format.get_ref() > FORMAT {
            format!(
                "format {} was written for a newer spec-interview (this one reads themes of format {FORMAT}).",
                format.get_ref()
            )
        } else {
            format!("format must be {FORMAT}, not {}.", format.get_ref())
        };
        problems.push(file.at(&format.span(), message));
    }
    if let Some(parent) = &file.inherits
        && parent.get_ref() == name
    {
        problems.push(file.at(
            &parent.span(),
            format!("the theme \"{name}\" cannot inherit from itself."),
        ));
    }
    for (key, value) in raw.palette {
        let colour = value.get_ref();
        if !is_theme_name(key.get_ref()) {
            problems.push(file.at(
                &key.span(),
                format!(
                    "\"{}\" cannot name a palette colour: use lower-case letters, digits and dashes.",
                    sanitize(key.get_ref())
                ),
            ));
        } else if literal_colour(colour).is_none() {
            problems.push(file.at(&value.span(), not_a_colour(colour, false)));
        }
        file.palette.insert(key.into_inner(), value);
    }
    for (key, value) in raw.roles {
        let role = key.get_ref();
        if !Theme::ROLES.contains(&role.as_str()) {
            problems.push(file.at(
                &key.span(),
                format!(
                    "there is no role \"{}\"; the roles are {}.",
                    sanitize(role),
                    Theme::ROLES.join(", ")
                ),
            ));
            continue;
        }
        let span = value.span();
        let style = value.into_inner();
        for m in &style.modifiers {
            if !MODIFIERS.iter().any(|(n, _)| n == m.get_ref()) {
                let known: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
                let why = if matches!(m.get_ref().as_str(), "hidden" | "slow_blink" | "rapid_blink" | "blink") {
                    " (themes may not hide text or make it blink)"
                } else {
                    ""
                };
                problems.push(file.at(
                    &m.span(),
                    format!(
                        "\"{}\" is not a modifier a theme may use{why}; use {}.",
                        sanitize(m.get_ref()),
                        known.join(", ")
                    ),
                ));
            }
        }
        file.roles.insert(key.into_inner(), (span, style));
    }
    if problems.is_empty() {
        Ok(file)
    } else {
        problems.sort_by_key(|d| d.position);
        Err(Diagnostics(problems))
    }
}

fn not_a_colour(text: &str, palette_allowed: bool) -> String {
    format!(
        "\"{}\" is not a colour: write \"#rrggbb\", a palette index 0-255, a colour name such as \"dark-gray\" or \"light-blue\", {}.",
        sanitize(text),
        if palette_allowed {
            "\"default\", or a name from [palette]"
        } else {
            "or \"default\""
        }
    )
}

/// A colour written out (not a palette name).
fn literal_colour(text: &str) -> Option<Color> {
    if text.eq_ignore_ascii_case("default") {
        return Some(Color::Reset);
    }
    text.parse::<Color>().ok()
}

/// Reads a theme file named by path (the user's folder, or a file given to `validate`): a
/// regular file only, never larger than `MAX_BYTES`, never waited on; with `follow_links`
/// false a link is refused.
pub fn read_theme_file(path: &Path, follow_links: bool) -> Result<String, String> {
    let bytes = read_regular_file(path, follow_links, MAX_BYTES).map_err(|e| reason(&e))?;
    theme_text(bytes)
}

/// The sentence for a theme file that could not be read.
fn reason(e: &FsError) -> String {
    if e.is_refusal() {
        format!("{}, so it was not read.", e.reason())
    } else {
        format!("cannot read it: {}.", e.reason())
    }
}

fn theme_text(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "it is more than {MAX_BYTES} bytes; a theme file may have at most {MAX_BYTES}."
        ));
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text.".to_string())
}

/// Every theme available: built-ins, then the user's, then the project's, by name.
#[derive(Clone, Default)]
pub struct ThemeSet {
    files: BTreeMap<String, Entry>,
    /// Files that could not be read or parsed.
    problems: Vec<Diagnostics>,
}

/// A theme file of the set. A built-in one is parsed the first time it is asked for: a run
/// uses one theme (and its parents), and parsing all four cost a tenth of the first frame.
#[derive(Clone)]
enum Entry {
    Read(ThemeFile),
    BuiltIn {
        name: &'static str,
        path: &'static str,
        text: &'static str,
        parsed: std::sync::OnceLock<Result<ThemeFile, Diagnostics>>,
    },
}

impl Entry {
    fn file(&self) -> Result<&ThemeFile, &Diagnostics> {
        match self {
            Entry::Read(file) => Ok(file),
            Entry::BuiltIn {
                name,
                path,
                text,
                parsed,
            } => parsed
                .get_or_init(|| parse(Path::new(path), text, name, Source::BuiltIn))
                .as_ref(),
        }
    }

    fn source(&self) -> (Source, &Path) {
        match self {
            Entry::Read(file) => (file.source, file.path.as_path()),
            Entry::BuiltIn { path, .. } => (Source::BuiltIn, Path::new(path)),
        }
    }
}

/// Why a theme could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThemeError {
    #[error("there is no theme \"{name}\"; the themes are {}.", known.join(", "))]
    Unknown { name: String, known: Vec<String> },
    #[error("{0}")]
    Broken(Diagnostics),
}

impl ThemeSet {
    /// The built-in themes alone (each parsed when first asked for).
    pub fn builtin() -> ThemeSet {
        let mut set = ThemeSet::default();
        for &(name, path, text) in BUILTIN {
            let parsed = std::sync::OnceLock::new();
            set.files.insert(
                name.to_string(),
                Entry::BuiltIn {
                    name,
                    path,
                    text,
                    parsed,
                },
            );
        }
        set
    }

    /// Built-ins, then `user_dir/*.toml`, then the project's `.specflow/themes/*.toml`
    /// (untrusted: reached without following any link, special files refused).
    pub fn load(user_dir: Option<&Path>, project: Option<&Project>) -> ThemeSet {
        let mut set = ThemeSet::builtin();
        if let Some(dir) = user_dir {
            set.add_dir(dir, Source::User);
        }
        if let Some(project) = project {
            match project.folder(THEMES, false) {
                Ok(Some(folder)) => set.add_folder(&folder),
                Ok(None) => {}
                Err(e) => set
                    .problems
                    .push(Diagnostics(vec![Diagnostic::new(&e.path, None, reason(&e))])),
            }
        }
        set
    }

    /// The project's themes, each read through the folder without following links.
    fn add_folder(&mut self, folder: &Folder) {
        let Ok(entries) = folder.entries() else { return };
        let mut names: Vec<String> = entries
            .into_iter()
            .filter(|e| e.kind != Kind::Folder)
            .filter_map(|e| e.name().map(str::to_string))
            .filter(|n| Path::new(n).extension().is_some_and(|e| e == "toml"))
            .collect();
        names.sort();
        for file in names {
            let path = folder.path().join(&file);
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = match folder.read_at_most(&file, MAX_BYTES) {
                Ok(Some(bytes)) => theme_text(bytes),
                Ok(None) => continue,
                Err(e) => Err(reason(&e)),
            };
            match text {
                Ok(text) => self.add(&path, &text, &name, Source::Project),
                Err(reason) => self
                    .problems
                    .push(Diagnostics(vec![Diagnostic::new(&path, None, reason)])),
            }
        }
    }

    fn add_dir(&mut self, dir: &Path, source: Source) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        let mut files: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for path in files {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match read_theme_file(&path, source != Source::Project) {
                Ok(text) => self.add(&path, &text, &name, source),
                Err(reason) => self
                    .problems
                    .push(Diagnostics(vec![Diagnostic::new(&path, None, reason)])),
            }
        }
    }

    fn add(&mut self, path: &Path, text: &str, name: &str, source: Source) {
        match parse(path, text, name, source) {
            Ok(file) => {
                self.files.insert(name.to_string(), Entry::Read(file));
            }
            Err(d) => self.problems.push(d),
        }
    }

    /// Adds one file (for `validate`), replacing any theme of its name.
    #[must_use]
    pub fn with_file(mut self, file: ThemeFile) -> ThemeSet {
        self.files.insert(file.name.clone(), Entry::Read(file));
        self
    }

    /// Files that could not be read or parsed, one diagnostic list per file.
    pub fn problems(&self) -> &[Diagnostics] {
        &self.problems
    }

    /// Every theme name, monochrome included.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.files.keys().cloned().collect();
        names.push("monochrome".to_string());
        names
    }

    /// Where the theme `name` comes from.
    pub fn source(&self, name: &str) -> Option<(Source, &Path)> {
        self.files.get(name).map(Entry::source)
    }

    /// The theme `name`, its parents and palettes resolved.
    pub fn theme(&self, name: &str) -> Result<Theme, ThemeError> {
        if matches!(name, "monochrome" | "mono" | "none") {
            return Ok(Theme::monochrome());
        }
        let Some(entry) = self.files.get(name) else {
            if let Some(broken) = self.problems.iter().find(|d| {
                d.0.first()
                    .and_then(|x| x.file.file_stem())
                    .is_some_and(|s| s.to_string_lossy() == name)
            }) {
                return Err(ThemeError::Broken(broken.clone()));
            }
            return Err(ThemeError::Unknown {
                name: sanitize(name).into_owned(),
                known: self.names(),
            });
        };
        let file = entry.file().map_err(|d| ThemeError::Broken(d.clone()))?;
        self.resolve(file).map_err(ThemeError::Broken)
    }

    /// The chain from `file` up to its root, checked for unknown parents, loops and depth.
    fn chain<'a>(&'a self, file: &'a ThemeFile) -> Result<Vec<&'a ThemeFile>, Diagnostics> {
        let mut chain = vec![file];
        let mut at = file;
        while let Some(parent) = &at.inherits {
            let parent_name = parent.get_ref();
            let problem = |message: String| Diagnostics(vec![at.at(&parent.span(), message)]);
            if chain.iter().any(|f| f.name == *parent_name) {
                return Err(problem(format!(
                    "\"{}\" inherits in a circle ({} → {}).",
                    at.name,
                    chain.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(" → "),
                    sanitize(parent_name)
                )));
            }
            if chain.len() > MAX_DEPTH {
                return Err(problem(format!(
                    "themes may inherit at most {MAX_DEPTH} deep; \"{}\" goes further.",
                    file.name
                )));
            }
            let Some(next) = self.files.get(parent_name) else {
                let known: Vec<String> = self.files.keys().cloned().collect();
                return Err(problem(format!(
                    "\"{}\" inherits from \"{}\", which is not a theme; the themes are {}.",
                    at.name,
                    sanitize(parent_name),
                    known.join(", ")
                )));
            };
            let next = next.file().map_err(Diagnostics::clone)?;
            chain.push(next);
            at = next;
        }
        Ok(chain)
    }

    fn resolve(&self, file: &ThemeFile) -> Result<Theme, Diagnostics> {
        let chain = self.chain(file)?;
        // Root first, so that a child's palette and roles replace its parent's.
        let mut palette: BTreeMap<&str, Color> = BTreeMap::new();
        let mut roles: BTreeMap<&str, (&ThemeFile, &Range<usize>, &RawStyle)> = BTreeMap::new();
        for f in chain.iter().rev() {
            for (name, value) in &f.palette {
                if let Some(c) = literal_colour(value.get_ref()) {
                    palette.insert(name, c);
                }
            }
            for (role, (span, style)) in &f.roles {
                roles.insert(role, (f, span, style));
            }
        }
        let mut theme = Theme::blank(leak_name(&file.name));
        let mut problems = Vec::new();
        let mut spans = BTreeMap::new();
        for (role, (f, span, raw)) in &roles {
            let colour = |c: &Option<Spanned<String>>, problems: &mut Vec<Diagnostic>| {
                let c = c.as_ref()?;
                let text = c.get_ref();
                let found = palette.get(text.as_str()).copied().or_else(|| literal_colour(text));
                if found.is_none() {
                    problems.push(f.at(&c.span(), not_a_colour(text, true)));
                }
                found
            };
            let mut style = Style::new();
            if let Some(fg) = colour(&raw.fg, &mut problems) {
                style = style.fg(fg);
            }
            if let Some(bg) = colour(&raw.bg, &mut problems) {
                style = style.bg(bg);
            }
            for m in &raw.modifiers {
                if let Some((_, modifier)) = MODIFIERS.iter().find(|(n, _)| n == m.get_ref()) {
                    style = style.add_modifier(*modifier);
                }
            }
            theme.set_role(role, style);
            spans.insert(*role, (*f, *span));
        }
        // A role nobody can read is refused: the file is not taken at all.
        for pair in theme.pairs() {
            if let (Some(fg), Some(bg)) = (colour::rgb(pair.fg), colour::rgb(pair.bg)) {
                let ratio = colour::contrast(fg, bg);
                if ratio < MIN_CONTRAST {
                    let (f, span) = spans
                        .get(pair.role)
                        .or_else(|| spans.get("text"))
                        .copied()
                        .unwrap_or((file, &(0..0)));
                    problems.push(f.at(
                        span,
                        format!(
                            "\"{}\" would be unreadable: its colour has a contrast of {ratio:.1}:1 against its background, and at least {MIN_CONTRAST}:1 is needed.",
                            pair.label
                        ),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(theme)
        } else {
            problems.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
            problems.dedup();
            Err(Diagnostics(problems))
        }
    }
}

/// Theme names live as long as the program (a theme is chosen once); built-in names are static.
fn leak_name(name: &str) -> &'static str {
    if let Some((n, _, _)) = BUILTIN.iter().find(|(n, _, _)| *n == name) {
        return n;
    }
    Box::leak(name.to_string().into_boxed_str())
}

/// What `validate` says about a good theme file.
pub struct Checked {
    pub name: String,
    pub inherits: Option<String>,
    pub roles: usize,
}

/// Checks one theme file as `validate` does: parsed, then resolved against the built-in themes,
/// the user's, the project's and the themes beside it.
pub fn validate_file(path: &Path, user_dir: Option<&Path>, project: Option<&Project>) -> Result<Checked, Diagnostics> {
    let text = read_theme_file(path, true).map_err(|reason| Diagnostics(vec![Diagnostic::new(path, None, reason)]))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = parse(path, &text, &name, Source::Project)?;
    let mut set = ThemeSet::load(user_dir, project);
    if let Some(dir) = path.parent() {
        set.add_dir(dir, Source::Project);
    }
    let checked = Checked {
        name: name.clone(),
        inherits: file.inherits().map(str::to_string),
        roles: file.roles.len(),
    };
    let set = set.with_file(file);
    match set.theme(&name) {
        Ok(_) => Ok(checked),
        Err(ThemeError::Broken(d)) => Err(d),
        Err(e @ ThemeError::Unknown { .. }) => Err(Diagnostics(vec![Diagnostic::new(path, None, e.to_string())])),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The built-in themes that have been parsed.
    fn parsed(set: &ThemeSet) -> Vec<&str> {
        set.files
            .iter()
            .filter(|(_, e)| matches!(e, Entry::BuiltIn { parsed, .. } if parsed.get().is_some()))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Start-up parses the theme in use and the ones it inherits from, no other.
    #[test]
    fn only_the_theme_asked_for_and_its_parents_are_parsed() {
        let set = ThemeSet::builtin();
        assert!(parsed(&set).is_empty());
        set.theme("dark").unwrap();
        assert_eq!(parsed(&set), ["dark"]);
        let set = ThemeSet::builtin();
        set.theme("light").unwrap();
        assert_eq!(parsed(&set), ["dark", "light"]);
        // Every built-in theme parses and resolves.
        for (name, _, _) in BUILTIN {
            assert!(ThemeSet::builtin().theme(name).is_ok(), "{name}");
        }
    }
}
