//! The scan cache, in the platform cache folder (never in the project): one file per project
//! root, holding the findings with the stamps of every folder listed and file read; it is used
//! only while none of them changed. A damaged or foreign cache file is ignored and rebuilt.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ScanReport;
use super::fact::Finding;
use super::walk::{Stamp, mtime_of};
use crate::core::fsio::write_user_file;
use crate::core::history::sha256_hex;

/// The cache file format version.
pub const SCHEMA: i64 = 1;

/// Bumped whenever the scanner's tables or rules change, so older findings are not reused.
const SCANNER: &str = concat!(env!("CARGO_PKG_VERSION"), "+scan.1");

#[derive(Serialize, Deserialize)]
struct CacheFile {
    schema: i64,
    scanner: String,
    root: String,
    truncated: bool,
    dirs: Vec<Stamp>,
    read: Vec<Stamp>,
    findings: Vec<Finding>,
}

/// The cache file for the project at `root`, under `cache_dir`.
pub fn path(cache_dir: &Path, root: &Path) -> PathBuf {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let key = sha256_hex(root.to_string_lossy().as_bytes());
    cache_dir.join("scan").join(format!("{}.toml", &key[..32]))
}

fn root_text(root: &Path) -> String {
    std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Whether a stamp still describes what is on disk (a file or folder gone counts as changed).
fn fresh(root: &Path, stamp: &Stamp, check_size: bool) -> bool {
    std::fs::symlink_metadata(root.join(&stamp.path))
        .is_ok_and(|m| mtime_of(&m) == stamp.mtime && (!check_size || m.len() == stamp.size))
}

/// The cached scan of `root`, if there is one and nothing it depends on changed.
pub fn load(cache_dir: &Path, root: &Path) -> Option<ScanReport> {
    let text = std::fs::read_to_string(path(cache_dir, root)).ok()?;
    let file: CacheFile = toml::from_str(&text).ok()?;
    if file.schema != SCHEMA || file.scanner != SCANNER || file.root != root_text(root) {
        return None;
    }
    if !file.dirs.iter().all(|d| fresh(root, d, false)) || !file.read.iter().all(|f| fresh(root, f, true)) {
        return None;
    }
    Some(ScanReport {
        findings: file.findings,
        read: file.read,
        dirs: file.dirs,
        truncated: file.truncated,
    })
}

/// Writes the scan of `root` to the cache (atomically).
pub fn store(cache_dir: &Path, root: &Path, report: &ScanReport) -> std::io::Result<()> {
    let file = CacheFile {
        schema: SCHEMA,
        scanner: SCANNER.into(),
        root: root_text(root),
        truncated: report.truncated,
        dirs: report.dirs.clone(),
        read: report.read.clone(),
        findings: report.findings.clone(),
    };
    let text = toml::to_string(&file).map_err(std::io::Error::other)?;
    let target = path(cache_dir, root);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // The one atomic write (temp file, fsync, rename), as for any file outside a project.
    write_user_file(&target, text.as_bytes()).map_err(|e| std::io::Error::other(e.to_string()))
}
