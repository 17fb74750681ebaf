//! The printed diff is a real patch: applied with `git apply` to the older text it gives the
//! newer one exactly, for arbitrary text (missing final newlines and CRLF included); and the
//! `diff` command's exit codes and formats.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

use spec_interview::core::diff::unified;

const PATH: &str = ".specflow/docs/doc.md";

/// Applies `patch` to `old` with git, returning the result.
fn git_apply(old: &[u8], patch: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(PATH);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, old).unwrap();
    std::fs::write(dir.path().join("p.diff"), patch).unwrap();
    let out = Command::new("git")
        .arg("apply")
        .arg("p.diff")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git apply refused:\n{}\n{patch}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&file).unwrap()
}

fn text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("# Title".to_string()),
        Just("## Section A".to_string()),
        Just("## Section B".to_string()),
        Just(String::new()),
        "[a-z ]{0,12}",
        "[a-zé\u{1F600} ]{1,6}",
        "[a-z\r]{1,4}",
    ];
    (proptest::collection::vec(line, 0..14), any::<bool>(), any::<bool>()).prop_map(|(lines, final_newline, crlf)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut s = lines.join(eol);
        if final_newline && !s.is_empty() {
            s.push_str(eol);
        }
        s
    })
}

/// A lone carriage return is part of its line for `git apply`, not the end of one: the patch
/// used to print the next line on the same line as it, and did not apply (found by fuzzing).
#[test]
fn a_lone_carriage_return_stays_inside_its_line() {
    for (old, new) in [
        ("\r", "# Title"),
        ("a\rb\nc\n", "a\rb\nd\n"),
        ("x\r", "x\r\n"),
        ("one\ntwo\r", "one\n"),
    ] {
        let patch = unified(old, new, PATH);
        assert_eq!(
            String::from_utf8(git_apply(old.as_bytes(), &patch)).unwrap(),
            new,
            "{patch}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn the_printed_diff_applied_to_the_old_text_gives_the_new(old in text(), new in text()) {
        let patch = unified(&old, &new, PATH);
        if old == new {
            prop_assert!(patch.is_empty());
        } else {
            prop_assert_eq!(String::from_utf8(git_apply(old.as_bytes(), &patch)).unwrap(), new);
        }
    }

    /// The reviewer's section-by-section comparison accounts for every line exactly once:
    /// each older line is kept or removed, each newer line kept or added, and a kept line
    /// reads the same on both sides, however sections were matched, moved or renamed.
    #[test]
    fn the_reviewer_shows_every_line_once(old in text(), new in text()) {
        use spec_interview::core::diff::compare::{Comparison, LineTag};
        let c = Comparison::new(&old, &new);
        let mut old_seen = vec![0u8; c.old.len()];
        let mut new_seen = vec![0u8; c.new.len()];
        for line in c.sections.iter().flat_map(|s| &s.lines) {
            match line.tag {
                LineTag::Equal => {
                    let (i, j) = (line.old().unwrap(), line.new().unwrap());
                    prop_assert_eq!(c.old.get(i), c.new.get(j));
                    old_seen[i] += 1;
                    new_seen[j] += 1;
                }
                LineTag::Delete => old_seen[line.old().unwrap()] += 1,
                LineTag::Insert => new_seen[line.new().unwrap()] += 1,
            }
        }
        prop_assert!(old_seen.iter().all(|n| *n == 1), "older lines: {:?}", old_seen);
        prop_assert!(new_seen.iter().all(|n| *n == 1), "newer lines: {:?}", new_seen);
        if old == new {
            prop_assert_eq!(c.totals(), (0, 0));
            prop_assert!(c.sections.iter().all(|s| !s.is_changed()));
        }
    }
}

fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("spec-interview").unwrap();
    c.env("NO_COLOR", "1").env_remove("XDG_CONFIG_HOME");
    c
}

fn project_with_two_revisions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let answers = std::fs::read_to_string("tests/answers/d04-backend-architecture-complete.toml").unwrap();
    std::fs::write(dir.path().join("a.toml"), &answers).unwrap();
    bin()
        .arg("-C")
        .arg(dir.path())
        .args(["render", "--answers", "a.toml", "--save"])
        .assert()
        .success();
    std::fs::write(
        dir.path().join("a.toml"),
        answers.replace("api_style = \"REST\"", "api_style = \"GraphQL\""),
    )
    .unwrap();
    bin()
        .arg("-C")
        .arg(dir.path())
        .args(["render", "--answers", "a.toml", "--save"])
        .assert()
        .success();
    dir
}

#[test]
fn diff_exit_codes_and_formats() {
    let dir = project_with_two_revisions();
    let run = |args: &[&str]| bin().arg("-C").arg(dir.path()).arg("diff").args(args).assert();
    let out = run(&["--print"]).code(1).get_output().stdout.clone();
    let patch = String::from_utf8(out).unwrap();
    // One hunk, named by its section, in the same place in both revisions.
    let hunk = regex::Regex::new(r"@@ -(\d+),7 \+(\d+),7 @@ ## 1\. API style and conventions\n").unwrap();
    let place = hunk.captures(&patch).unwrap_or_else(|| panic!("{patch}"));
    assert_eq!(place[1], place[2], "{patch}");
    assert!(patch.contains("-The backend exposes a REST API"), "{patch}");
    assert!(patch.contains("+The backend exposes one GraphQL schema"), "{patch}");
    assert!(!patch.contains('\u{1b}'), "no colour when not on a terminal");
    run(&["--from", "2", "--to", "latest"]).code(0).stdout("");
    let stat = run(&["--stat"]).code(1).get_output().stdout.clone();
    assert!(
        String::from_utf8(stat)
            .unwrap()
            .contains(" ~   1. API style and conventions  +1 -1  edited")
    );
    let md = run(&["--format", "markdown"]).code(1).get_output().stdout.clone();
    assert!(
        String::from_utf8(md)
            .unwrap()
            .contains("| `~` | 1. API style and conventions | edited | +1 −1 |")
    );
    // The latest revision against the file on disk: equal until someone edits it.
    run(&["--from", "latest", "--to", "disk"]).code(0);
    let doc = dir.path().join(".specflow/docs/D04-backend-architecture.md");
    std::fs::write(&doc, std::fs::read_to_string(&doc).unwrap() + "A hand edit.\n").unwrap();
    run(&["--from", "latest", "--to", "disk", "--print"])
        .code(1)
        .stdout(predicates::str::contains("+A hand edit."));
    // Errors are exit 2 with one sentence.
    run(&["--from", "9"])
        .code(2)
        .stderr(predicates::str::contains("has no revision 9; its revisions are 1, 2."));
    run(&["--from", "yesterday"])
        .code(2)
        .stderr(predicates::str::contains("is not a revision"));
    run(&["NOPE"]).code(2).stderr(predicates::str::contains(
        "there is no document \".specflow/docs/NOPE.md\"",
    ));
    assert!(Path::new(&doc).exists());
}

#[test]
fn diff_with_one_revision_says_there_is_no_previous_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/answers/d04-backend-architecture-complete.toml",
        dir.path().join("a.toml"),
    )
    .unwrap();
    bin()
        .arg("-C")
        .arg(dir.path())
        .args(["render", "--answers", "a.toml", "--save"])
        .assert()
        .success();
    bin()
        .arg("-C")
        .arg(dir.path())
        .arg("diff")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "has only 1 revision, so there is no previous one",
        ));
}

/// Saves `texts` as revisions 1, 2, … of `doc` (under `.specflow/docs/`) by hand, as the
/// history stores them.
fn history_of(dir: &Path, doc: &str, texts: &[&str]) {
    use spec_interview::core::fsio::Project;
    use spec_interview::core::history::{History, Provenance};
    let path = format!(".specflow/docs/{doc}.md");
    let history = History::open(&Project::new(dir), &path);
    let who = Provenance {
        time: "2026-01-01T00:00:00Z".into(),
        author: "Ada".into(),
        git: None,
    };
    for text in texts {
        history.record(&path, text, "[answers]\n", ("q", "1"), &who).unwrap();
    }
}

#[test]
fn diff_to_disk_starts_from_the_latest_revision() {
    let dir = project_with_two_revisions();
    let run = |args: &[&str]| bin().arg("-C").arg(dir.path()).arg("diff").args(args).assert();
    let doc = dir.path().join(".specflow/docs/D04-backend-architecture.md");
    // Unchanged on disk: the same as the latest, so equal (not revision 1 against the file).
    run(&["--to", "disk", "--stat"])
        .code(0)
        .stdout(predicates::str::contains("revision 2 → the file on disk"));
    std::fs::write(&doc, std::fs::read_to_string(&doc).unwrap() + "A hand edit.\n").unwrap();
    let patch = run(&["--to", "disk", "--print"]).code(1).get_output().stdout.clone();
    let patch = String::from_utf8(patch).unwrap();
    assert!(patch.contains("+A hand edit.\n"), "{patch}");
    assert!(!patch.contains("GraphQL"), "revision 2 already had it: {patch}");
}

#[test]
fn diff_without_doc_takes_the_only_document_and_lists_several() {
    let dir = tempfile::tempdir().unwrap();
    history_of(dir.path(), "D01-product", &["# P\n\none\n", "# P\n\ntwo\n"]);
    let run = |args: &[&str]| bin().arg("-C").arg(dir.path()).arg("diff").args(args).assert();
    // Not D04: the project's only document is taken.
    run(&["--print"])
        .code(1)
        .stdout(predicates::str::contains("+++ b/.specflow/docs/D01-product.md"));
    history_of(dir.path(), "D02-api", &["# A\n"]);
    let out = run(&["--print"]).code(2).get_output().stderr.clone();
    let message = String::from_utf8(out).unwrap();
    assert!(message.contains("D01-product, D02-api"), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    run(&["D02-api", "--to", "disk"]).code(2);
    run(&["D01-product", "--stat"]).code(1);
}

#[test]
fn stat_counts_a_moved_section_by_the_lines_changed_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    history_of(
        dir.path(),
        "D",
        &[
            "# D\n\n## A\n\none\ntwo\nthree\n\n## B\n\nfour\nfive\n",
            "# D\n\n## B\n\nfour\nfive and six\n\n## A\n\none\ntwo\nthree\n",
        ],
    );
    let stat = bin()
        .arg("-C")
        .arg(dir.path())
        .args(["diff", "D", "--stat"])
        .assert()
        .code(1);
    let stat = String::from_utf8(stat.get_output().stdout.clone()).unwrap();
    let moved = stat
        .lines()
        .find(|l| l.contains("moved"))
        .unwrap_or_else(|| panic!("{stat}"));
    assert!(moved.contains("+1 -1  moved"), "{stat}");
    assert!(!stat.contains("+0 -0"), "{stat}");
}

#[test]
fn hunk_headers_name_the_heading_enclosing_the_first_changed_line() {
    let dir = tempfile::tempdir().unwrap();
    let old = "# D\n\n## A\n\none\ntwo\n\n## B\n\nthree\n";
    let new = "# D\n\n## A\n\none\ntwo\ntwo and a half\n\n## B\n\nthree\n";
    history_of(dir.path(), "D", &[old, new]);
    let out = bin()
        .arg("-C")
        .arg(dir.path())
        .args(["diff", "D", "--print"])
        .assert()
        .code(1);
    let patch = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(patch.contains(" @@ ## A\n"), "{patch}");
    assert!(!patch.contains("@@ ## B"), "{patch}");
    assert_eq!(
        String::from_utf8(git_apply(old.as_bytes(), &patch.replace("D.md", "doc.md"))).unwrap(),
        new
    );
}

#[test]
fn the_markdown_summary_has_the_decision_history_and_the_notes_with_their_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let old = "# D\n\n## Mail\n\n- Postmark for receipts\n- Webhooks\n";
    let new = "# D\n\n## Mail\n\n- Webhooks\n- SES for bulk\n";
    history_of(dir.path(), "D", &[old, new]);
    std::fs::write(
        dir.path().join(".specflow/history/D/0002/review.toml"),
        "schema = 2\n\n[[decision]]\nverdict = \"changes_requested\"\nreviewer = \"Bob\"\ntime = \"2026-01-02T00:00:00Z\"\n\n\
         [[decision.note]]\nid = \"n1\"\nrevision = 1\npath = [\"D\", \"Mail\"]\nquote = \"- Postmark for receipts\"\noffset = 2\n\
         text = \"Who sends receipts now?\\nSay it.\"\n\n\
         [[decision]]\nverdict = \"approved\"\nreviewer = \"Cleo\"\ntime = \"2026-01-03T00:00:00Z\"\n\n\
         [[reply]]\nnote = \"n1\"\nreviewer = \"Ada\"\ntime = \"2026-01-02T10:00:00Z\"\ntext = \"SES does.\"\nresolved = true\n",
    )
    .unwrap();
    let out = bin()
        .arg("-C")
        .arg(dir.path())
        .args(["diff", "D", "--format", "markdown"])
        .assert()
        .code(1);
    let md = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for expected in [
        "#### Review of revision 2",
        "- **changes requested** by Bob at 2026-01-02T00:00:00Z (1 note)",
        "- **approved** by Cleo at 2026-01-03T00:00:00Z",
        "Review gate: 0 of 3 change requests since the last approval.",
        "#### Notes",
        "- **Bob** on revision 2 · `Mail` · revision 1, line 5 (the older side) · resolved",
        "  > - Postmark for receipts",
        "  Who sends receipts now?\n  Say it.",
        "  - ↳ **Ada** (marked it resolved): SES does.",
    ] {
        assert!(md.contains(expected), "{expected:?} missing:\n{md}");
    }
    // The history comes in the order it was recorded, the changes table first.
    let table = md.find("| `~` | Mail |").unwrap();
    assert!(table < md.find("#### Review").unwrap());
    assert!(md.find("changes requested").unwrap() < md.find("**approved**").unwrap());
}
