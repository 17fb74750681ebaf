//! Hostile project themes: `.specflow/themes/` comes with the repository, so a theme there is
//! untrusted. Each file below must be refused with one sentence naming it (and the line where
//! there is one), never hang, never follow a link out of the project, never put a control
//! character on the terminal, and never stop the program from starting when it was not asked
//! for by name on the command line.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Project {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    config: PathBuf,
}

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("project");
        let config = tmp.path().join("config");
        std::fs::create_dir_all(root.join(".specflow/themes")).unwrap();
        std::fs::create_dir_all(&config).unwrap();
        Project {
            _tmp: tmp,
            root,
            config,
        }
    }

    fn theme(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(".specflow/themes").join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("spec-interview").unwrap();
        cmd.arg("-C")
            .arg(&self.root)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("HOME", &self.config)
            .env_remove("NO_COLOR")
            .env_remove("SPEC_INTERVIEW_THEME")
            .env_remove("SPEC_INTERVIEW_CONFIG")
            .timeout(Duration::from_secs(20));
        cmd
    }

    /// `--theme NAME` on the plain interview: a usage error whose message is returned.
    fn refused(&self, name: &str) -> String {
        let out = self
            .cmd()
            .args(["--theme", name, "interview", "--plain"])
            .write_stdin("")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}: nothing is asked");
        clean(&stderr);
        stderr
    }
}

/// No control character other than newlines reaches the terminal.
fn clean(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a control character got through: {text:?}"
    );
}

#[test]
fn an_escape_sequence_in_a_theme_is_shown_as_text() {
    let p = Project::new();
    p.theme(
        "evil.toml",
        "[roles]\n\"\\u001b]0;pwned\\u0007\" = { fg = \"red\" }\ntext = { fg = \"\\u001b[31m\" }\n",
    );
    let stderr = p.refused("evil");
    assert!(stderr.contains("evil.toml:2:1: there is no role"), "{stderr}");
    let out = p
        .cmd()
        .args(["validate"])
        .arg(p.root.join(".specflow/themes/evil.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    clean(&String::from_utf8_lossy(&out.stderr));
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_project_is_not_followed() {
    let p = Project::new();
    let secret = p.root.join("../secret.toml");
    std::fs::write(&secret, "[roles]\ntext = { fg = \"SECRET-TOKEN-1234\" }\n").unwrap();
    std::os::unix::fs::symlink(&secret, p.root.join(".specflow/themes/link.toml")).unwrap();
    let stderr = p.refused("link");
    assert!(
        stderr.contains(
            ".specflow/themes/link.toml: it is a symbolic link, and spec-interview follows no links inside .specflow/, so it was not read."
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET-TOKEN"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_fifo_does_not_hang_the_program() {
    let p = Project::new();
    let fifo = p.root.join(".specflow/themes/pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let stderr = p.refused("pipe");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn hidden_blinking_and_invisible_text_are_refused() {
    let p = Project::new();
    p.theme(
        "hidden.toml",
        "inherits = \"dark\"\n[roles]\ntext = { modifiers = [\"hidden\"] }\n",
    );
    p.theme(
        "blink.toml",
        "inherits = \"dark\"\n[roles]\nerror = { modifiers = [\"rapid_blink\"] }\n",
    );
    p.theme(
        "invisible.toml",
        "[roles]\ntext = { fg = \"#000000\", bg = \"black\" }\n",
    );
    let stderr = p.refused("hidden");
    assert!(
        stderr.contains(
            "hidden.toml:3:23: \"hidden\" is not a modifier a theme may use (themes may not hide text or make it blink)"
        ),
        "{stderr}"
    );
    assert!(
        p.refused("blink")
            .contains("blink.toml:3:24: \"rapid_blink\" is not a modifier")
    );
    let stderr = p.refused("invisible");
    assert!(
        stderr.contains("invisible.toml:2:8: \"text\" would be unreadable: its colour has a contrast of 1.0:1"),
        "{stderr}"
    );
}

#[test]
fn circles_long_chains_and_missing_parents_are_refused() {
    let p = Project::new();
    p.theme("a.toml", "inherits = \"b\"\n");
    p.theme("b.toml", "inherits = \"a\"\n");
    p.theme("self.toml", "inherits = \"self\"\n");
    p.theme("orphan.toml", "inherits = \"nowhere\"\n");
    for i in 0..20 {
        let parent = if i == 0 {
            "dark".to_string()
        } else {
            format!("deep{}", i - 1)
        };
        p.theme(&format!("deep{i}.toml"), format!("inherits = \"{parent}\"\n"));
    }
    assert!(p.refused("a").contains("inherits in a circle (a → b → a)"));
    assert!(
        p.refused("self")
            .contains("self.toml:1:12: the theme \"self\" cannot inherit from itself.")
    );
    assert!(
        p.refused("orphan")
            .contains("\"orphan\" inherits from \"nowhere\", which is not a theme")
    );
    assert!(p.refused("deep19").contains("themes may inherit at most 16 deep"));
    // A short chain is fine.
    let out = p
        .cmd()
        .args(["--theme", "deep3", "interview", "--plain"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn huge_binary_and_reserved_files_are_refused() {
    let p = Project::new();
    p.theme("huge.toml", format!("# {}\n", "x".repeat(300 * 1024)));
    p.theme("binary.toml", [0xff_u8, 0xfe, 0x00, 0x41]);
    p.theme("monochrome.toml", "[roles]\ntext = { fg = \"red\" }\n");
    p.theme("Bad Name.toml", "[roles]\n");
    assert!(p.refused("huge").contains("a theme file may have at most 262144"));
    assert!(p.refused("binary").contains("it is not UTF-8 text"));
    let stderr = p.refused("Bad Name");
    assert!(stderr.contains("\"Bad Name\" cannot name a theme"), "{stderr}");
    // monochrome stays what NO_COLOR gives: the project's file is reported, never used.
    let out = p.cmd().args(["--theme", "monochrome", "config"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("theme          monochrome"), "{stdout}");
    assert!(
        stdout.contains("\"monochrome\" is the theme without colours (NO_COLOR) and cannot be replaced"),
        "{stdout}"
    );
}

#[test]
fn a_hostile_theme_named_by_a_variable_is_said_and_passed_over() {
    let p = Project::new();
    p.theme(
        "hidden.toml",
        "inherits = \"dark\"\n[roles]\ntext = { modifiers = [\"hidden\"] }\n",
    );
    let out = p
        .cmd()
        .args(["interview", "--plain"])
        .env("SPEC_INTERVIEW_THEME", "hidden")
        .write_stdin("Ledgerline\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("Note: $SPEC_INTERVIEW_THEME: "), "{stdout}");
    assert!(stdout.contains("Answered."), "the interview went on: {stdout}");
    clean(&stdout);
}

#[test]
fn validate_tells_a_theme_from_a_questionnaire() {
    let p = Project::new();
    let good = p.theme(
        "calm.toml",
        "inherits = \"light\"\n[roles]\ntitle = { fg = \"#0b3d91\", modifiers = [\"bold\"] }\n",
    );
    let out = p.cmd().arg("validate").arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}: ok (theme calm inheriting light, 1 role)\n", good.display())
    );
    let _ = Path::new("");
}
