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

/// git's `user.name` inside a git work tree, else `user@host`.
pub fn author(root: &Path) -> String {
    git_user_name(root).unwrap_or_else(|| user_at_host(&crate::config::Env::process()))
}

/// git's `user.name` when `root` is inside a git work tree and the name is set.
pub fn git_user_name(root: &Path) -> Option<String> {
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
    git(&["rev-parse", "--is-inside-work-tree"])?;
    let out = git(&["config", "user.name"])?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// `user@host`, from `$USER` (or `$USERNAME`) and the host name.
pub fn user_at_host(env: &crate::config::Env) -> String {
    let user = env
        .get("USER")
        .or_else(|| env.get("USERNAME"))
        .unwrap_or_else(|| "unknown".into());
    format!("{user}@{}", gethostname::gethostname().to_string_lossy())
}
