//! The project walk: which files and folders the scan may look at (ignore files respected,
//! build and dependency folders skipped, links never followed), and bounded reads of them.
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// Folders never scanned, whether or not an ignore file names them: tool state, version
/// control, dependencies and build output.
pub const SKIPPED_DIRS: &[&str] = &[
    ".specflow",
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "jspm_packages",
    "target",
    "vendor",
    "dist",
    "build",
    "out",
    "bin",
    "obj",
    "__pycache__",
    "site-packages",
    "venv",
    "coverage",
    "Pods",
    "DerivedData",
];

/// How much the scan may do. When a limit is reached it stops and says so; what it found up
/// to then still counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Files and folders visited.
    pub entries: usize,
    /// Source files read for imports, routes and middleware.
    pub source_files: usize,
    /// Bytes read from one source file (its start).
    pub source_prefix: usize,
    /// Bytes read from one manifest, lock or configuration file.
    pub config_prefix: usize,
    /// Bytes read in all.
    pub total_bytes: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            entries: 250_000,
            source_files: 1_500,
            source_prefix: 16 * 1024,
            config_prefix: 256 * 1024,
            total_bytes: 48 * 1024 * 1024,
        }
    }
}

/// A file the walk kept, relative to the root with `/` separators.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub rel: String,
    pub depth: usize,
}

/// A folder's modification time (nanoseconds since the epoch): it changes when an entry is
/// added, removed or renamed, so the cache can tell the listing changed without walking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub path: String,
    pub mtime: i64,
    #[serde(default)]
    pub size: u64,
}

/// What the walk saw.
#[derive(Debug, Default)]
pub struct Tree {
    pub root: PathBuf,
    pub files: Vec<FileEntry>,
    /// Every folder kept, relative (the root is "").
    pub dirs: Vec<String>,
    pub dir_stamps: Vec<Stamp>,
    /// `.gitignore` and `.ignore` files met: editing one changes what is listed.
    pub ignore_files: Vec<String>,
    /// The walk stopped at its entry budget.
    pub truncated: bool,
}

fn skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name)
        // Hidden folders (.venv, .idea, .next, .terraform …) hold tool state, not the project.
        || (name.starts_with('.') && name.len() > 1)
        || name.ends_with(".egg-info")
}

/// Nanoseconds since the epoch of a modification time, 0 when unknown.
pub fn mtime_of(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Each walking thread fills a tree of its own; they are joined when the walk ends.
struct Part<'a> {
    tree: Tree,
    parts: &'a Mutex<Vec<Tree>>,
}
impl Drop for Part<'_> {
    fn drop(&mut self) {
        if let Ok(mut all) = self.parts.lock() {
            all.push(std::mem::take(&mut self.tree));
        }
    }
}

/// Walks `root`: ignore files (`.gitignore`, `.ignore`, git's excludes) are respected even
/// outside a git repository; the folders in `SKIPPED_DIRS` and hidden folders are skipped;
/// links are neither followed nor read, so nothing outside the root is reached through one.
pub fn walk(root: &Path, budget: &Budget) -> Tree {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .parents(false)
        .threads(
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .min(4),
        )
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_some_and(|t| t.is_dir())
                || !skipped_dir(&e.file_name().to_string_lossy())
        })
        .build_parallel();
    let seen = AtomicUsize::new(0);
    let truncated = AtomicBool::new(false);
    let parts: Mutex<Vec<Tree>> = Mutex::new(Vec::new());
    walker.run(|| {
        let mut part = Part {
            tree: Tree::default(),
            parts: &parts,
        };
        let (seen, truncated) = (&seen, &truncated);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            if seen.fetch_add(1, Ordering::Relaxed) >= budget.entries {
                truncated.store(true, Ordering::Relaxed);
                return ignore::WalkState::Quit;
            }
            let Some(kind) = entry.file_type() else {
                return ignore::WalkState::Continue;
            };
            let Ok(rel) = entry.path().strip_prefix(root) else {
                return ignore::WalkState::Continue;
            };
            if kind.is_symlink() {
                return ignore::WalkState::Continue;
            }
            let rel = rel.to_string_lossy().replace('\\', "/");
            let tree = &mut part.tree;
            if kind.is_dir() {
                let mtime = entry.metadata().map_or(0, |m| mtime_of(&m));
                tree.dir_stamps.push(Stamp {
                    path: rel.clone(),
                    mtime,
                    size: 0,
                });
                tree.dirs.push(rel);
            } else if kind.is_file() {
                let name = entry.file_name().to_string_lossy();
                if name == ".gitignore" || name == ".ignore" {
                    tree.ignore_files.push(rel.clone());
                }
                tree.files.push(FileEntry {
                    rel,
                    depth: entry.depth(),
                });
            }
            ignore::WalkState::Continue
        })
    });
    let mut tree = Tree {
        root: root.to_path_buf(),
        truncated: truncated.load(Ordering::Relaxed),
        ..Tree::default()
    };
    for part in parts.into_inner().unwrap_or_default() {
        tree.files.extend(part.files);
        tree.dirs.extend(part.dirs);
        tree.dir_stamps.extend(part.dir_stamps);
        tree.ignore_files.extend(part.ignore_files);
    }
    // The threads finish in any order; what is listed is kept in one order.
    tree.files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    tree.dirs.sort_unstable();
    tree.dir_stamps.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    tree.ignore_files.sort_unstable();
    tree
}

/// The start of a file (at most `limit` bytes) as text, with its stamp; `None` for what cannot
/// be read or is not text. Opened without following a link at the last component.
pub fn read_prefix(root: &Path, rel: &str, limit: usize) -> Option<(String, Stamp)> {
    let path = root.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let file = std::fs::File::open(&path).ok()?;
    let mut bytes = Vec::with_capacity(limit.min(usize::try_from(meta.len()).unwrap_or(limit)));
    file.take(limit as u64).read_to_end(&mut bytes).ok()?;
    if bytes.contains(&0) {
        return None;
    }
    // A prefix may end inside a multi-byte character; drop the broken tail.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            if bytes.len() - valid > 3 {
                return None;
            }
            bytes.truncate(valid);
            String::from_utf8(bytes).ok()?
        }
    };
    Some((
        text,
        Stamp {
            path: rel.to_string(),
            mtime: mtime_of(&meta),
            size: meta.len(),
        },
    ))
}
