//! Who is saving and when, and what git has checked out: the clock, git's `user.name` and the
//! head of the work tree, read by the shells (never the core).
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::core::history::{GitHead, Provenance};

/// Now, the author (git's `user.name` inside a git work tree, else `user@host`), and the git
/// commit and branch checked out.
pub fn current(root: &Path) -> Provenance {
    Provenance {
        time: now(),
        author: author(root),
        git: git_head(root),
    }
}

/// The commit and branch checked out in the git work tree holding `root`, if it is in one:
/// read from `.git/HEAD` and the refs (loose or packed, in a linked work tree's common folder
/// too) without running git; git itself is asked, with a time limit, only when the refs are
/// kept in a way not read here. `None` outside a work tree and before the first commit.
pub fn git_head(root: &Path) -> Option<GitHead> {
    let (git_dir, common) = git_dirs(root)?;
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref:").map(str::trim) else {
        // A detached head names its commit.
        return is_object_name(head).then(|| GitHead {
            commit: head.to_string(),
            branch: None,
        });
    };
    let branch = reference.strip_prefix("refs/heads/").map(str::to_string);
    let commit = if common.join("reftable").is_dir() {
        None
    } else {
        loose_ref(&git_dir, reference)
            .or_else(|| loose_ref(&common, reference))
            .or_else(|| packed_ref(&common, reference))
    };
    if let Some(commit) = commit {
        return Some(GitHead { commit, branch });
    }
    // Refs kept another way (a reftable), or a branch with no commit yet: git knows.
    let commit = run_git(root, &["rev-parse", "--verify", "-q", "HEAD"])?;
    is_object_name(&commit).then_some(GitHead { commit, branch })
}

/// The git folder of the work tree holding `root`, and its common folder (the same, except in
/// a linked work tree, whose `.git` file names its own folder).
fn git_dirs(root: &Path) -> Option<(PathBuf, PathBuf)> {
    let start = std::path::absolute(if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    })
    .ok()?;
    for dir in start.ancestors() {
        let dot_git = dir.join(".git");
        let Ok(meta) = std::fs::metadata(&dot_git) else {
            continue;
        };
        if meta.is_dir() {
            return Some((dot_git.clone(), dot_git));
        }
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let named = text.trim().strip_prefix("gitdir:")?.trim();
        let git_dir = dir.join(named);
        let common = match std::fs::read_to_string(git_dir.join("commondir")) {
            Ok(c) => git_dir.join(c.trim()),
            Err(_) => git_dir.clone(),
        };
        return Some((git_dir, common));
    }
    None
}

/// A full object name: 40 (SHA-1) or 64 (SHA-256) hex digits.
fn is_object_name(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn loose_ref(dir: &Path, reference: &str) -> Option<String> {
    if reference.split('/').any(|part| part.is_empty() || part == "..") {
        return None;
    }
    let text = std::fs::read_to_string(dir.join(reference)).ok()?;
    let name = text.trim();
    is_object_name(name).then(|| name.to_string())
}

fn packed_ref(dir: &Path, reference: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("packed-refs")).ok()?;
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('^'))
        .find_map(|l| {
            let (name, r) = l.split_once(' ')?;
            (r.trim() == reference && is_object_name(name)).then(|| name.to_string())
        })
}

/// How long git may take to answer before it is given up on (a save never waits longer).
const GIT_TIME_LIMIT: Duration = Duration::from_secs(2);

/// What `git -C root ARGS` prints, trimmed, if it succeeds within the time limit.
fn run_git(root: &Path, args: &[&str]) -> Option<String> {
    use std::io::Read as _;
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().ok()? {
            break status;
        }
        if started.elapsed() > GIT_TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    status.success().then(|| out.trim().to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef01234567";
    const B: &str = "89abcdef0123456789abcdef0123456789abcdef";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn the_head_is_read_from_the_git_folder_without_running_git() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("work");
        let project = root.join("sub/project");
        std::fs::create_dir_all(&project).unwrap();
        assert_eq!(git_head(&project), None, "not in a work tree");
        let git = root.join(".git");
        write(&git.join("HEAD"), "ref: refs/heads/main\n");
        write(&git.join("refs/heads/main"), &format!("{A}\n"));
        let head = git_head(&project).unwrap();
        assert_eq!((head.commit.as_str(), head.branch.as_deref()), (A, Some("main")));
        // A packed branch.
        write(&git.join("HEAD"), "ref: refs/heads/feature/x\n");
        write(
            &git.join("packed-refs"),
            &format!("# pack-refs with: peeled\n{B} refs/heads/feature/x\n^{A}\n"),
        );
        let head = git_head(&project).unwrap();
        assert_eq!((head.commit.as_str(), head.branch.as_deref()), (B, Some("feature/x")));
        // A detached head.
        write(&git.join("HEAD"), &format!("{A}\n"));
        assert_eq!(git_head(&project).unwrap().branch, None);
        // A linked work tree: its own HEAD, the branches in the common folder.
        let linked = dir.path().join("linked");
        let own = git.join("worktrees/linked");
        write(&linked.join(".git"), &format!("gitdir: {}\n", own.display()));
        write(&own.join("HEAD"), "ref: refs/heads/main\n");
        write(&own.join("commondir"), "../..\n");
        let head = git_head(&linked).unwrap();
        assert_eq!((head.commit.as_str(), head.branch.as_deref()), (A, Some("main")));
        // Garbage is not a commit.
        write(&git.join("HEAD"), "not a head\n");
        assert_eq!(git_head(&project), None);
    }
}
