//! Where questionnaires come from: compiled-in built-ins, overridden by id by the user's
//! config folder, overridden in turn by the project's `.specflow/questionnaires/`.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::{Questionnaire, load};
use crate::core::diagnostic::{Diagnostic, Diagnostics};
use crate::core::fsio::{Folder, FsError, Kind, Project, QUESTIONNAIRES};

/// The built-in questionnaires, compiled into the binary: (path shown in messages, text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "questionnaires/d04-backend-architecture.toml",
        include_str!("../../../questionnaires/d04-backend-architecture.toml"),
    ),
    (
        "questionnaires/backend-design.toml",
        include_str!("../../../questionnaires/backend-design.toml"),
    ),
    (
        "questionnaires/architecture-workflow.toml",
        include_str!("../../../questionnaires/architecture-workflow.toml"),
    ),
    (
        "questionnaires/backend-architecture-proposal.toml",
        include_str!("../../../questionnaires/backend-architecture-proposal.toml"),
    ),
    (
        "questionnaires/backend-architect-decision.toml",
        include_str!("../../../questionnaires/backend-architect-decision.toml"),
    ),
];

/// The questionnaire everybody gets when they name none.
pub const DEFAULT_ID: &str = "d04-backend-architecture";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    BuiltIn,
    User,
    Project,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Self::BuiltIn => "built-in",
            Self::User => "user",
            Self::Project => "project",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub questionnaire: Arc<Questionnaire>,
    pub source: Source,
    /// The sources this entry hides (a project file overriding the built-in, say).
    pub overrides: Vec<Source>,
}

/// One id's questionnaire: a user or project file is read and checked when the catalog is
/// built (it is untrusted, and its problems are warned about up front); a built-in one, whose
/// id is its file name and which the test suite checks, is compiled only when a command asks
/// for it, so that a command pays for the questionnaire it uses and no other.
#[derive(Debug)]
struct Slot {
    source: Source,
    overrides: Vec<Source>,
    /// The built-in text not compiled yet: (path shown in messages, text).
    built_in: Option<(&'static str, &'static str)>,
    loaded: OnceLock<Result<Entry, Diagnostics>>,
}

impl Slot {
    fn entry(&self) -> Result<&Entry, &Diagnostics> {
        self.loaded
            .get_or_init(|| {
                let (path, text) = self.built_in.unwrap_or_default();
                load::parse_built_in(Path::new(path), text).map(|q| Entry {
                    questionnaire: Arc::new(q),
                    source: self.source,
                    overrides: self.overrides.clone(),
                })
            })
            .as_ref()
    }
}

/// The id of a built-in questionnaire: its file's name (a test holds every built-in to it).
fn built_in_id(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Every questionnaire available in a project, plus the files that could not be read.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: BTreeMap<String, Slot>,
    /// Files that failed to load, keyed by the id their file name suggests.
    broken: BTreeMap<String, Diagnostics>,
}

impl Catalog {
    /// Loads the built-ins, then `user_dir/*.toml`, then `project_dir/*.toml` (the files in
    /// it read without following links).
    pub fn load(user_dir: Option<&Path>, project_dir: &Path) -> Catalog {
        let mut catalog = Catalog::with_user(user_dir);
        match Project::new(project_dir).root_folder() {
            Ok(folder) => catalog.add_folder(Source::Project, &folder),
            Err(e) if e.io_error().is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound) => {}
            Err(e) => catalog.mark_unreadable(project_dir, &e),
        }
        catalog
    }

    /// Loads the built-ins, then `user_dir/*.toml`, then the project's
    /// `.specflow/questionnaires/*.toml`: untrusted files, reached without following any link
    /// (a link, FIFO or device is reported as a problem and not read).
    pub fn load_for(user_dir: Option<&Path>, project: &Project) -> Catalog {
        let mut catalog = Catalog::with_user(user_dir);
        match project.folder(QUESTIONNAIRES, false) {
            Ok(Some(folder)) => catalog.add_folder(Source::Project, &folder),
            Ok(None) => {}
            Err(e) => catalog.mark_unreadable(&project.questionnaires_dir(), &e),
        }
        catalog
    }

    fn with_user(user_dir: Option<&Path>) -> Catalog {
        let mut catalog = Catalog::default();
        for (path, text) in BUILTIN {
            catalog.entries.insert(
                built_in_id(path).to_string(),
                Slot {
                    source: Source::BuiltIn,
                    overrides: Vec::new(),
                    built_in: Some((path, text)),
                    loaded: OnceLock::new(),
                },
            );
        }
        if let Some(dir) = user_dir {
            catalog.add_dir(Source::User, dir);
        }
        catalog
    }

    /// A file (or folder) refused or failing: reported under the path it is about.
    fn mark_unreadable(&mut self, path: &Path, e: &FsError) {
        let message = format!("{}, so it was not read.", e.reason());
        self.mark_broken(path, Diagnostics(vec![Diagnostic::new(&e.path, None, message)]));
    }

    /// The `*.toml` files of a project folder, each read without following links.
    fn add_folder(&mut self, source: Source, folder: &Folder) {
        let Ok(entries) = folder.entries() else { return };
        let mut names: Vec<String> = entries
            .into_iter()
            .filter(|e| e.kind != Kind::Folder)
            .filter_map(|e| e.name().map(str::to_string))
            .filter(|name| Path::new(name).extension().is_some_and(|e| e == "toml"))
            .collect();
        names.sort();
        for name in names {
            let path = folder.path().join(&name);
            match folder.read_text(&name) {
                Ok(Some(text)) => self.add(source, &path, &text),
                Ok(None) => {}
                Err(e) => self.mark_unreadable(&path, &e),
            }
        }
    }

    fn add_dir(&mut self, source: Source, dir: &Path) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        let mut files: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
            .collect();
        files.sort();
        for path in files {
            match crate::core::fsio::read_user_file(&path) {
                Ok(text) => self.add(source, &path, &text),
                Err(e) => self.mark_broken(
                    &path,
                    Diagnostics(vec![Diagnostic::new(
                        &path,
                        None,
                        format!("cannot read it: {}.", crate::core::fsio::io_reason(&e)),
                    )]),
                ),
            }
        }
    }

    fn add(&mut self, source: Source, path: &Path, text: &str) {
        match load::parse(path, text) {
            Ok(q) => {
                let id = q.id.clone();
                let mut overrides = Vec::new();
                if let Some(previous) = self.entries.remove(&id) {
                    overrides.push(previous.source);
                    overrides.extend(previous.overrides);
                }
                self.broken.remove(&id);
                let loaded = OnceLock::new();
                let _ = loaded.set(Ok(Entry {
                    questionnaire: Arc::new(q),
                    source,
                    overrides: overrides.clone(),
                }));
                self.entries.insert(
                    id,
                    Slot {
                        source,
                        overrides,
                        built_in: None,
                        loaded,
                    },
                );
            }
            Err(d) => self.mark_broken(path, d),
        }
    }

    fn mark_broken(&mut self, path: &Path, problems: Diagnostics) {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.broken.insert(id, problems);
    }

    /// The questionnaire `id`. A broken file named after it wins over an older good one, so a
    /// mistake in an override is reported instead of silently falling back.
    pub fn get(&self, id: &str) -> Result<&Entry, LookupError> {
        if let Some(problems) = self.broken.get(id) {
            return Err(LookupError::Broken(problems.clone()));
        }
        let slot = self.entries.get(id).ok_or_else(|| LookupError::Unknown {
            id: id.to_string(),
            known: self.entries.keys().cloned().collect(),
        })?;
        slot.entry().map_err(|problems| LookupError::Broken(problems.clone()))
    }

    /// The best questionnaire `id` that loads, ignoring a broken override of it (for `show`,
    /// so that `show ID > .specflow/questionnaires/ID.toml` can write the file it reads).
    pub fn get_loadable(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id).and_then(|slot| slot.entry().ok())
    }

    /// Whether a file named after `id` failed to load (it blocks `get`).
    pub fn is_broken(&self, id: &str) -> bool {
        self.broken.contains_key(id)
    }

    /// Every questionnaire that loads (this compiles every built-in: for `list`, not for a
    /// command that needs one).
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().filter_map(|slot| slot.entry().ok())
    }

    /// The ids of every questionnaire, compiling none.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Problems with user or project files, to show as warnings, with the id each file's name
    /// suggests.
    pub fn problems_by_id(&self) -> impl Iterator<Item = (&str, &Diagnostics)> {
        self.broken.iter().map(|(id, d)| (id.as_str(), d))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("there is no questionnaire \"{id}\"; known: {}.", known.join(", "))]
    Unknown { id: String, known: Vec<String> },
    #[error("{0}")]
    Broken(Diagnostics),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load_without_problems() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::load(None, dir.path());
        assert_eq!(catalog.problems_by_id().count(), 0);
        for (path, text) in BUILTIN {
            let q = load::parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(q.id, built_in_id(path), "a built-in's file is named after its id");
            // The catalog's lighter load gives the same questionnaire as every check does.
            let light = load::parse_built_in(Path::new(path), text).unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(
                serde_json::to_string(&light).unwrap(),
                serde_json::to_string(&q).unwrap()
            );
            assert_eq!(catalog.get(&q.id).unwrap().source, Source::BuiltIn);
        }
        assert_eq!(catalog.ids().count(), BUILTIN.len());
        assert!(catalog.get(DEFAULT_ID).is_ok());
    }

    #[test]
    fn project_overrides_user_overrides_builtin() {
        let user = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let (_, text) = BUILTIN[0];
        let renamed = text.replacen("title = ", "title = \"User copy\"\nx_title = ", 1);
        // Keep it valid: put the edited title back on a single key.
        let renamed = renamed.replace("x_title = ", "# old title: ");
        std::fs::write(user.path().join("d04.toml"), &renamed).unwrap();
        let catalog = Catalog::load(Some(user.path()), project.path());
        let e = catalog.get(DEFAULT_ID).unwrap();
        assert_eq!(e.source, Source::User);
        assert_eq!(e.overrides, vec![Source::BuiltIn]);
        assert_eq!(e.questionnaire.title, "User copy");

        std::fs::write(project.path().join("d04.toml"), text).unwrap();
        let catalog = Catalog::load(Some(user.path()), project.path());
        let e = catalog.get(DEFAULT_ID).unwrap();
        assert_eq!(e.source, Source::Project);
        assert_eq!(e.overrides, vec![Source::User, Source::BuiltIn]);
    }

    #[test]
    fn a_command_compiles_only_the_questionnaire_it_asks_for() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::load(None, dir.path());
        assert!(catalog.get(DEFAULT_ID).is_ok());
        let compiled: Vec<&str> = catalog
            .entries
            .iter()
            .filter(|(_, slot)| slot.loaded.get().is_some())
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(compiled, vec![DEFAULT_ID]);
        assert_eq!(catalog.entries().count(), BUILTIN.len());
    }

    #[test]
    fn a_broken_override_is_reported_not_skipped() {
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join(format!("{DEFAULT_ID}.toml")), "format = 1\nid = [").unwrap();
        let catalog = Catalog::load(None, project.path());
        assert!(matches!(catalog.get(DEFAULT_ID), Err(LookupError::Broken(_))));
        assert_eq!(catalog.problems_by_id().count(), 1);
    }
}
