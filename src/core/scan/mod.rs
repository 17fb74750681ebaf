//! The repository scan: walks the project (bounded, ignore files respected, no links
//! followed), reads manifests, configuration and the start of source files, and turns what
//! it recognises into findings; `proposal` turns findings into proposed answers.
// File names are matched as each ecosystem spells them (`package.json`, not `PACKAGE.JSON`).
#![allow(clippy::case_sensitive_file_extension_comparisons)]
pub mod cache;
pub mod config;
pub mod documents;
pub mod dotnet;
pub mod fact;
pub mod go;
pub mod jvm;
pub mod known;
pub mod node;
pub mod php;
pub mod proposal;
pub mod python;
pub mod ruby;
pub mod rust;
pub mod walk;

use std::path::Path;

use fact::{Evidence, Finding};
pub use walk::Budget;
use walk::{FileEntry, Stamp, Tree};

/// A file's text (its bounded start) and where it is.
pub struct SourceFile<'a> {
    /// Relative to the project root, `/`-separated.
    pub rel: &'a str,
    pub text: &'a str,
}

impl<'a> SourceFile<'a> {
    pub fn new(rel: &'a str, text: &'a str) -> SourceFile<'a> {
        SourceFile { rel, text }
    }

    /// Lines with their 1-based numbers.
    pub fn lines(&self) -> impl Iterator<Item = (u32, &'a str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l))
    }

    pub fn evidence(&self, line: u32, text: &str) -> Evidence {
        Evidence::new(self.rel, line, text)
    }

    /// The language a manifest declares its backend in: found where the manifest names the
    /// language's version when it does, else at the line of the backend library.
    pub fn language(&self, language: &str, backend: (u32, &str), version: Option<(String, u32, &str)>) -> Finding {
        let (version, evidence) = match version {
            Some((v, n, line)) => (Some(v), self.evidence(n, line)),
            None => (None, self.evidence(backend.0, backend.1)),
        };
        Finding::new(
            fact::Fact::Language {
                name: language.into(),
                version,
            },
            fact::Strength::Declared,
            evidence,
        )
    }

    /// The first line containing `needle`.
    pub fn line_of(&self, needle: &str) -> Option<(u32, &'a str)> {
        self.lines().find(|(_, l)| l.contains(needle))
    }

    /// Evidence at the first line containing `needle`, else at line 1.
    pub fn evidence_at(&self, needle: &str) -> Evidence {
        let (n, l) = self
            .line_of(needle)
            .unwrap_or((1, self.text.lines().next().unwrap_or("")));
        self.evidence(n, l)
    }

    /// The folder the file is in ("" at the root).
    pub fn dir(&self) -> &'a str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    pub fn name(&self) -> &'a str {
        self.rel.rsplit_once('/').map_or(self.rel, |(_, n)| n)
    }
}

/// One ecosystem: how its manifests and sources are recognised and read.
pub struct Family {
    pub language: &'static str,
    /// Manifests, lock files and configuration, by file name.
    pub is_manifest: fn(&str) -> bool,
    /// Source file extensions (without the dot).
    pub extensions: &'static [&'static str],
    pub manifest: fn(&SourceFile, &mut Vec<Finding>),
    pub source: fn(&SourceFile, &mut Vec<Finding>),
}

/// Every ecosystem the scan knows, then the ecosystem-neutral configuration files.
pub const FAMILIES: &[&Family] = &[
    &node::FAMILY,
    &python::FAMILY,
    &go::FAMILY,
    &jvm::FAMILY,
    &rust::FAMILY,
    &ruby::FAMILY,
    &php::FAMILY,
    &dotnet::FAMILY,
    &config::FAMILY,
];

/// What one scan found, and what it read (so a cache can tell when it is stale).
#[derive(Debug, Default)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    /// The files read, with their modification time and size when read.
    pub read: Vec<Stamp>,
    /// The folders listed, with their modification times.
    pub dirs: Vec<Stamp>,
    /// The walk or the reads stopped at the budget.
    pub truncated: bool,
}

fn extension(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// Test code imports test tools and mentions routes it calls, not the ones it serves.
fn is_test_path(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    lower.split('/').any(|c| {
        matches!(
            c,
            "test" | "tests" | "__tests__" | "spec" | "e2e" | "testdata" | "fixtures"
        )
    }) || name.contains(".test.")
        || name.contains(".spec.")
        || name.ends_with("_test.go")
        || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name.ends_with("test.java")
        || name.ends_with("tests.cs")
}

/// Files whose names suggest the application's wiring (entry points, routes, security) are
/// read first when the source budget cannot cover everything.
fn priority(rel: &str) -> u8 {
    const WIRING: &[&str] = &[
        "main",
        "app",
        "server",
        "index",
        "routes",
        "router",
        "api",
        "urls",
        "auth",
        "middleware",
        "security",
        "config",
        "settings",
        "application",
        "program",
        "startup",
        "lib",
        "mod",
    ];
    const FOLDERS: &[&str] = &[
        "routes",
        "routers",
        "controllers",
        "controller",
        "handlers",
        "api",
        "auth",
        "middleware",
        "security",
        "config",
        "web",
        "http",
    ];
    let lower = rel.to_ascii_lowercase();
    let (folders, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
    let stem = name.split('.').next().unwrap_or(name);
    let folder = folders.split('/').any(|p| FOLDERS.contains(&p));
    let wiring = WIRING.iter().any(|w| stem.ends_with(w));
    match (wiring, folder) {
        (true, true) => 0,
        (true, false) | (false, true) => 1,
        (false, false) => 2,
    }
}

/// Scans the project at `root` within `budget`. Reads only inside the root; the findings'
/// evidence is sanitised and bounded.
pub fn scan(root: &Path, budget: &Budget) -> ScanReport {
    let tree = walk::walk(root, budget);
    scan_tree(&tree, budget)
}

/// Scans an already walked tree.
pub fn scan_tree(tree: &Tree, budget: &Budget) -> ScanReport {
    let mut report = ScanReport {
        truncated: tree.truncated,
        dirs: tree.dir_stamps.clone(),
        ..ScanReport::default()
    };
    let mut manifests: Vec<(&FileEntry, &Family)> = Vec::new();
    let mut sources: Vec<(&FileEntry, &Family)> = Vec::new();
    for file in &tree.files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        if let Some(family) = FAMILIES.iter().find(|f| (f.is_manifest)(name)) {
            manifests.push((file, family));
            continue;
        }
        let ext = extension(name);
        if ext.is_empty() || is_test_path(&file.rel) {
            continue;
        }
        if let Some(family) = FAMILIES.iter().find(|f| f.extensions.contains(&ext)) {
            sources.push((file, family));
        }
    }
    if sources.len() > budget.source_files {
        report.truncated = true;
        sources.sort_by_cached_key(|(f, _)| (priority(&f.rel), f.depth, f.rel.clone()));
        sources.truncate(budget.source_files);
    }
    let jobs: Vec<(&FileEntry, &Family, usize)> = manifests
        .iter()
        .map(|(f, fam)| (*f, *fam, budget.config_prefix))
        .chain(sources.iter().map(|(f, fam)| (*f, *fam, budget.source_prefix)))
        .collect();
    let (mut findings, read, over) = read_all(&tree.root, &jobs, budget.total_bytes, manifests.len());
    report.truncated |= over;
    config::folders(&tree.dirs, &tree.files, &mut findings);
    findings.sort();
    findings.dedup();
    report.findings = findings;
    report.read = read;
    report.read.extend(tree.ignore_files.iter().filter_map(|rel| {
        let meta = std::fs::symlink_metadata(tree.root.join(rel)).ok()?;
        Some(Stamp {
            path: rel.clone(),
            mtime: walk::mtime_of(&meta),
            size: meta.len(),
        })
    }));
    report.read.sort_by(|a, b| a.path.cmp(&b.path));
    report.read.dedup_by(|a, b| a.path == b.path);
    report
}

/// What the project's files and earlier documents propose for a questionnaire.
#[derive(Debug, Default)]
pub struct Suggestions {
    pub proposals: Vec<proposal::Proposal>,
    /// The scan stopped at its budget: some files were not looked at.
    pub truncated: bool,
    /// The repository's findings came from the cache.
    pub cached: bool,
}

/// The repository's findings: from the cache in `cache_dir` while nothing changed, else from
/// a fresh scan (then cached; a cache that cannot be written is only a lost shortcut).
pub fn scan_cached(root: &Path, cache_dir: Option<&Path>) -> (ScanReport, bool) {
    let (report, cached) = scan_or_load(root, cache_dir);
    if !cached && let Some(dir) = cache_dir {
        let _ = cache::store(dir, root, &report);
    }
    (report, cached)
}

/// A fresh scan not yet written to the cache: written after its findings are delivered, so
/// that nobody waits for the cache file to reach the disk.
#[derive(Debug)]
pub struct CacheWrite {
    dir: std::path::PathBuf,
    root: std::path::PathBuf,
    report: ScanReport,
}

impl CacheWrite {
    /// Writes it (a cache that cannot be written is only a lost shortcut).
    pub fn store(self) {
        let _ = cache::store(&self.dir, &self.root, &self.report);
    }
}

/// The findings from the cache in `cache_dir` while nothing changed (`true`), else from a
/// fresh scan (`false`), not written to the cache yet.
fn scan_or_load(root: &Path, cache_dir: Option<&Path>) -> (ScanReport, bool) {
    if let Some(dir) = cache_dir
        && let Some(report) = cache::load(dir, root)
    {
        return (report, true);
    }
    (scan(root, &Budget::default()), false)
}

/// Proposals for `questionnaire` from the project at `root` (its files, scanned or cached,
/// and the documents under `.specflow/docs/` other than the questionnaire's own).
pub fn suggest(
    root: &Path,
    questionnaire: &crate::core::questionnaire::Questionnaire,
    cache_dir: Option<&Path>,
) -> Suggestions {
    let (suggestions, write) = suggest_then_cache(root, questionnaire, cache_dir);
    if let Some(write) = write {
        write.store();
    }
    suggestions
}

/// `suggest`, handing back the cache write of a fresh scan for the caller to do once the
/// proposals are on their way (the interview's scan thread does).
pub fn suggest_then_cache(
    root: &Path,
    questionnaire: &crate::core::questionnaire::Questionnaire,
    cache_dir: Option<&Path>,
) -> (Suggestions, Option<CacheWrite>) {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let (report, cached) = scan_or_load(root, cache_dir);
    let mut proposals = proposal::from_findings(questionnaire, &report.findings, proposal::Source::Repository);
    proposals.extend(documents::from_documents(
        root,
        &root.join(".specflow").join("docs"),
        questionnaire,
    ));
    let suggestions = Suggestions {
        proposals: proposal::settle(questionnaire, proposals),
        truncated: report.truncated,
        cached,
    };
    let write = match cache_dir {
        Some(dir) if !cached => Some(CacheWrite {
            dir: dir.to_path_buf(),
            root: root.to_path_buf(),
            report,
        }),
        _ => None,
    };
    (suggestions, write)
}

/// A file to read: where, how to parse it, and how many bytes of it.
type Job<'a> = (&'a FileEntry, &'a Family, usize);

/// Reads and parses the jobs on the available cores; the first `manifests` jobs are manifests.
fn read_all(
    root: &Path,
    jobs: &[(&FileEntry, &Family, usize)],
    total_bytes: usize,
    manifests: usize,
) -> (Vec<Finding>, Vec<Stamp>, bool) {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(4);
    let per_worker_bytes = total_bytes / workers.max(1);
    let run = |slice: Vec<(usize, &(&FileEntry, &Family, usize))>| {
        let mut findings = Vec::new();
        let mut read = Vec::new();
        let mut bytes = 0usize;
        let mut over = false;
        for (index, (file, family, limit)) in slice {
            if bytes >= per_worker_bytes {
                over = true;
                break;
            }
            let Some((text, stamp)) = walk::read_prefix(root, &file.rel, *limit) else {
                continue;
            };
            bytes += text.len();
            let source = SourceFile::new(&file.rel, &text);
            if index < manifests {
                (family.manifest)(&source, &mut findings);
            } else {
                (family.source)(&source, &mut findings);
            }
            read.push(stamp);
        }
        (findings, read, over)
    };
    if workers <= 1 || jobs.len() < 64 {
        return run(jobs.iter().enumerate().collect());
    }
    let mut slices: Vec<Vec<(usize, &Job)>> = vec![Vec::new(); workers];
    for (i, job) in jobs.iter().enumerate() {
        slices[i % workers].push((i, job));
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = slices.into_iter().map(|slice| s.spawn(move || run(slice))).collect();
        let mut all = (Vec::new(), Vec::new(), false);
        for h in handles {
            if let Ok((f, r, o)) = h.join() {
                all.0.extend(f);
                all.1.extend(r);
                all.2 |= o;
            }
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_code_is_not_read() {
        assert!(is_test_path("src/users.test.ts"));
        assert!(is_test_path("tests/test_api.py"));
        assert!(is_test_path("internal/api/handler_test.go"));
        assert!(!is_test_path("src/routes/users.ts"));
        assert!(!is_test_path("app/contest.py"));
    }

    #[test]
    fn wiring_files_come_first() {
        assert!(priority("src/routes/index.ts") < priority("src/util/strings.ts"));
        assert!(priority("app/main.py") < priority("app/models/invoice.py"));
    }
}
