//! The configuration file through the binary: what `config` says, the contract's precedence
//! (flag, variable, file, convention, default), a bad file's one sentence followed by the
//! defaults, key overrides reported by line, and headless commands that ignore it all.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use assert_cmd::Command;
use std::path::PathBuf;

struct Setup {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    file: PathBuf,
}

impl Setup {
    fn new(config: &str) -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("project");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(home.join("spec-interview")).unwrap();
        let file = home.join("spec-interview/config.toml");
        std::fs::write(&file, config).unwrap();
        Setup {
            _tmp: tmp,
            root,
            home,
            file,
        }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("spec-interview").unwrap();
        cmd.arg("-C")
            .arg(&self.root)
            .env("XDG_CONFIG_HOME", &self.home)
            .env("HOME", &self.home);
        for var in [
            "SPEC_INTERVIEW_THEME",
            "SPEC_INTERVIEW_REVIEWER",
            "SPEC_INTERVIEW_EDITOR",
            "SPEC_INTERVIEW_QUESTIONNAIRE",
            "SPEC_INTERVIEW_CONFIG",
            "NO_COLOR",
            "COLORFGBG",
            "VISUAL",
            "EDITOR",
            "ACCESSIBLE",
        ] {
            cmd.env_remove(var);
        }
        cmd
    }
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn config_says_where_the_file_is_and_where_each_value_came_from() {
    let s = Setup::new(
        "schema = 1\ntheme = \"high-contrast\"\nreviewer = \"Grace Hopper\"\neditor = \"nano\"\nquestionnaire = \"backend-design\"\n",
    );
    let said = stdout(s.cmd().arg("config").env("EDITOR", "vim"));
    let place = |line: usize| format!("from {}:{line}", s.file.display());
    assert!(
        said.starts_with(&format!("Configuration file: {}\n", s.file.display())),
        "{said}"
    );
    for (setting, value, line) in [
        ("theme", "high-contrast", 2),
        ("reviewer", "Grace Hopper", 3),
        ("editor", "nano", 4),
        ("questionnaire", "backend-design", 5),
    ] {
        let row = said.lines().find(|l| l.trim_start().starts_with(setting)).unwrap();
        assert!(row.contains(value) && row.ends_with(&place(line)), "{row}");
    }
    // A variable beats the file; a flag beats the variable.
    let said = stdout(
        s.cmd()
            .arg("config")
            .env("SPEC_INTERVIEW_THEME", "light")
            .env("SPEC_INTERVIEW_REVIEWER", "Ada"),
    );
    assert!(said.contains("theme          light"), "{said}");
    assert!(said.contains("from $SPEC_INTERVIEW_THEME"), "{said}");
    assert!(said.contains("reviewer       Ada"), "{said}");
    let said = stdout(
        s.cmd()
            .args(["--theme", "16-color", "config"])
            .env("SPEC_INTERVIEW_THEME", "light"),
    );
    assert!(said.contains("theme          16-color"), "{said}");
    assert!(said.contains("from the command line (--theme)"), "{said}");
    // Without the file: the conventions, then the defaults.
    std::fs::remove_file(&s.file).unwrap();
    let said = stdout(
        s.cmd()
            .arg("config")
            .env("VISUAL", "code --wait")
            .env("COLORFGBG", "0;15"),
    );
    assert!(said.contains("(there is none: the defaults apply"), "{said}");
    assert!(
        said.contains("editor         code --wait                    from $VISUAL"),
        "{said}"
    );
    assert!(
        said.contains("theme          light                          from COLORFGBG"),
        "{said}"
    );
    assert!(
        said.contains("questionnaire  d04-backend-architecture       from the built-in default"),
        "{said}"
    );
}

#[test]
fn a_bad_file_is_one_sentence_then_the_defaults() {
    let s = Setup::new("theme = \"light\"\ncolour = \"red\"\n");
    let sentence = format!(
        "{}:2:1: unknown field `colour`, expected one of `schema`, `theme`, `reviewer`, `editor`, `questionnaire`, `keys`; the configuration file is ignored and the defaults apply.",
        s.file.display()
    );
    let out = s.cmd().arg("config").output().unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(said.contains(&format!("Problems:\n  {sentence}\n")), "{said}");
    assert!(
        said.contains("theme          dark                           from the built-in default"),
        "{said}"
    );
    // The interview starts all the same, saying it first.
    let out = s
        .cmd()
        .args(["interview", "--plain"])
        .write_stdin("Ledgerline\n")
        .output()
        .unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(said.starts_with(&format!("Note: {sentence}\n")), "{said}");
    assert!(said.contains("Answered."), "{said}");
    // A file for a newer spec-interview is not damage.
    std::fs::write(&s.file, "schema = 7\n").unwrap();
    let said = stdout(s.cmd().arg("config"));
    assert!(
        said.contains(&format!(
            "{}:1:10: schema 7 was written for a newer spec-interview (this one reads 1); the configuration file is ignored and the defaults apply.",
            s.file.display()
        )),
        "{said}"
    );
}

#[test]
fn key_overrides_that_cannot_be_taken_are_reported_by_line() {
    let s = Setup::new("[keys]\n\"Ctrl-Z\" = \"Undo\"\n\"Hyper-Q\" = \"Quit\"\n\"Ctrl-Y\" = \"Frobnicate\"\n");
    let said = stdout(s.cmd().arg("config"));
    assert!(said.contains("Keys from the file:"), "{said}");
    assert!(
        said.contains(&format!(
            "  Ctrl-Z         Undo                           {}:2\n",
            s.file.display()
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "{}:3:1: \"Hyper-Q\" is not a key; write keys as the help shows them, such as Ctrl-S, Alt-↑, Shift-Tab, F2, Esc or x; that key is left as it was.",
            s.file.display()
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "{}:4:1: \"Frobnicate\" is not an action; the actions are Next, Previous, Save",
            s.file.display()
        )),
        "{said}"
    );
}

#[test]
fn the_configured_questionnaire_opens_and_an_unknown_one_is_passed_over() {
    let s = Setup::new("questionnaire = \"backend-design\"\n");
    let said = stdout(s.cmd().args(["interview", "--plain"]).write_stdin(""));
    assert!(said.contains("(backend-design)"), "{said}");
    std::fs::write(&s.file, "questionnaire = \"no-such\"\n").unwrap();
    let said = stdout(s.cmd().args(["interview", "--plain"]).write_stdin(""));
    assert!(
        said.starts_with(&format!(
            "Note: {}:1: there is no questionnaire \"no-such\"",
            s.file.display()
        )),
        "{said}"
    );
    assert!(said.contains("(d04-backend-architecture)"), "{said}");
}

#[test]
fn headless_commands_give_the_same_output_whatever_the_file_says() {
    let plain = Setup::new("");
    let wild = Setup::new(
        "theme = \"light\"\nreviewer = \"Grace\"\neditor = \"nano\"\nquestionnaire = \"backend-design\"\n[keys]\n\"Ctrl-Z\" = \"Undo\"\n",
    );
    let answers =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/answers/d04-backend-architecture-complete.toml");
    let answers = answers.to_str().unwrap();
    for args in [
        vec!["render", "--answers", answers],
        vec!["check", "--answers", answers],
        vec!["list"],
        vec!["show", "d04-backend-architecture"],
        vec!["show", "d04-backend-architecture", "--answers-template"],
    ] {
        let run = |s: &Setup| {
            let out = s
                .cmd()
                .args(&args)
                .env("SPEC_INTERVIEW_QUESTIONNAIRE", "backend-design")
                .output()
                .unwrap();
            (out.status.code(), out.stdout, out.stderr)
        };
        let (a, b) = (run(&plain), run(&wild));
        assert_eq!(a, b, "{args:?}");
    }
}
