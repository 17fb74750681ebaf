//! `spec-interview man`: a roff manual page from the command-line definition, with every command,
//! its options and examples, and the sections the definition cannot say (configuration, themes,
//! plain mode, environment); and `--help` of every command carries examples.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("spec-interview")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const COMMANDS: &[&str] = &[
    "interview",
    "render",
    "diff",
    "check",
    "list",
    "show",
    "validate",
    "config",
    "man",
    "completions",
];

#[test]
fn man_prints_roff_naming_every_command() {
    let page = run(&["man"]);
    assert!(page.contains(".TH spec-interview 1"), "{page}");
    assert!(page.contains(".SH NAME\nspec\\-interview \\- "));
    assert!(page.contains(".SH SYNOPSIS"));
    for command in COMMANDS {
        assert!(
            page.contains(&format!(".SS \"spec\\-interview {command}\"")),
            "no section for {command}"
        );
    }
    for section in [
        "CONFIGURATION",
        "THEMES",
        "PLAIN MODE",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
    ] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "no {section}");
    }
    assert!(page.contains("\\fB\\-\\-reviewer\\fR \\fINAME\\fR"));
    assert!(page.contains("SPEC_INTERVIEW_THEME"));
    // Every line is roff: a request, or text that does not start with a dot by accident.
    for line in page.lines() {
        assert!(!line.starts_with(". ") && !line.starts_with('\''), "{line}");
    }
}

#[test]
fn every_command_shows_examples_in_its_help() {
    assert!(run(&["--help"]).contains("Examples:"));
    for command in COMMANDS {
        let help = run(&[command, "--help"]);
        assert!(
            help.contains("Examples:\n  spec-interview"),
            "{command} --help:\n{help}"
        );
    }
}
