//! Who is saving and when: the clock and git's `user.name`, read by the shells (never the core).
use std::path::Path;

use crate::core::history::Provenance;

/// Now, and the author: git's `user.name` inside a git work tree, else `user@host`.
pub fn current(root: &Path) -> Provenance {
    Provenance {
        time: now(),
        author: author(root),
    }
}

/// Now, as RFC 3339 UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

fn author(root: &Path) -> String {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|out| out.status.success())
    };
    if git(&["rev-parse", "--is-inside-work-tree"]).is_some()
        && let Some(out) = git(&["config", "user.name"])
    {
        let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !name.is_empty() {
            return name;
        }
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("{user}@{}", gethostname::gethostname().to_string_lossy())
}
