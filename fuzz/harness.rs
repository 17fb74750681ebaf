//! What each fuzz target does with its input, shared by `cargo fuzz` (`fuzz/fuzz_targets`) and
//! the proptest versions in `cargo test` (`tests/fuzz_props.rs`): every reader of untrusted input
//! returns a value or a problem told in words, and never panics or hangs; what loads writes back
//! and loads again; the preview draws no control character and renders by parts as whole; the printed patch applies.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use spec_interview::core::diff::unified;
use spec_interview::core::document::Engine;
use spec_interview::core::fsio::Project;
use spec_interview::core::history::History;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::review;
use spec_interview::core::sanitize::is_unsafe;
use spec_interview::core::session::{self, Answers};
use spec_interview::tui::markdown;
use spec_interview::tui::theme::Theme;
use spec_interview::tui::theme::ThemeSet;
use spec_interview::tui::theme::file::{self as theme_file, Source};

/// Splits fuzz bytes in two at the first 0xFF byte (never part of UTF-8), both parts as text.
pub fn two_texts(data: &[u8]) -> (String, String) {
    let at = data.iter().position(|b| *b == 0xFF).unwrap_or(data.len());
    let second = data.get(at + 1..).unwrap_or_default();
    (
        String::from_utf8_lossy(&data[..at]).into_owned(),
        String::from_utf8_lossy(second).into_owned(),
    )
}

/// Asserts that a problem is told: a sentence, not nothing. (Messages may quote the file's
/// text; the one sanitiser cleans them where they are printed or drawn.)
fn assert_told(what: &str, text: &str) {
    assert!(!text.trim().is_empty(), "{what} is empty");
}

/// The first built-in questionnaire.
pub fn builtin() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN[0];
    match parse(Path::new(path), text) {
        Ok(q) => Arc::new(q),
        Err(d) => panic!("the built-in questionnaire does not load: {d}"),
    }
}

/// A questionnaire file: loads, or is refused with problems that name the file.
pub fn questionnaire(text: &str) {
    match parse(Path::new("q.toml"), text) {
        Ok(q) => {
            // What loads can be rendered with no answers (a finding, never a panic).
            if let Ok(engine) = Engine::new(Arc::new(q)) {
                let _ = engine.render(&Answers::new());
            }
        }
        Err(problems) => {
            assert!(!problems.0.is_empty(), "refused without a reason");
            assert_told("a questionnaire problem", &problems.to_string());
        }
    }
}

/// An answers file and a session file for the built-in questionnaire.
pub fn answers(q: &Questionnaire, text: &str) {
    match session::parse(Path::new("a.toml"), text, q) {
        Ok(file) => {
            // What loads writes back and loads again.
            let again = session::to_toml(q, &file);
            if let Err(d) = session::parse(Path::new("b.toml"), &again, q) {
                panic!("written answers do not load again: {d}\n{again}");
            }
        }
        Err(problems) => assert_told("an answers problem", &problems.to_string()),
    }
    if let Err(problem) = session::load_session(Path::new("s.toml"), text, q) {
        assert_told("a session problem", &problem.to_string());
    }
}

/// A revision record and a review record in one history folder, read as every command does.
pub fn history(record: &str, review_text: &str) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let project = Project::new(dir.path());
    let folder = project.history_dir().join("doc/0001");
    if std::fs::create_dir_all(&folder).is_err()
        || std::fs::write(folder.join("revision.toml"), record).is_err()
        || std::fs::write(folder.join(review::REVIEW_FILE), review_text).is_err()
        || std::fs::write(folder.join("document.md"), "# Doc\n").is_err()
    {
        return;
    }
    let history = History::open(&project, ".specflow/docs/doc.md");
    match history.scan() {
        Ok(scan) => {
            for problem in &scan.problems {
                assert_told("a history problem", &problem.to_string());
            }
        }
        Err(e) => assert_told("a history error", &e.to_string()),
    }
    match review::summaries(&history) {
        Ok(all) => {
            for summary in all {
                for p in &summary.problems {
                    assert_told("a summary problem", p);
                }
            }
        }
        Err(e) => assert_told("a history error", &e.to_string()),
    }
    if let Err(e) = history.review_state(1) {
        assert_told("a review error", &e.to_string());
    }
}

/// A document template, rendered with `answer` as the answer to a text question.
pub fn template(template: &str, answer: &str) {
    let quoted = toml::Value::String(template.to_string()).to_string();
    let text = format!(
        "format = 1\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\n\n[[documents]]\nid = \"doc\"\n\
         path = \".specflow/docs/t.md\"\ntemplate = {quoted}\n\n[[sections]]\nid = \"s\"\ntitle = \"S\"\n\n\
         [[sections.questions]]\nid = \"name\"\nkind = \"text\"\nprompt = \"Name?\"\n\n\
         [[sections.questions]]\nid = \"items\"\nkind = \"list\"\nprompt = \"Items?\"\n"
    );
    let Ok(q) = parse(Path::new("t.toml"), &text) else {
        return;
    };
    let Ok(engine) = Engine::new(Arc::new(q)) else { return };
    let mut answers = Answers::new();
    answers.insert(
        "name".into(),
        spec_interview::core::answer::Answer::Text(answer.to_string()),
    );
    answers.insert(
        "items".into(),
        spec_interview::core::answer::Answer::List(answer.lines().map(str::to_string).collect()),
    );
    match engine.render(&answers) {
        Ok(docs) => {
            for d in docs {
                assert!(
                    d.text.len() <= spec_interview::core::limits::MAX_OUTPUT,
                    "a rendered document is over the limit"
                );
            }
        }
        Err(e) => assert_told("a render error", &e.to_string()),
    }
}

/// The Markdown preview: every drawn cell is free of control characters.
pub fn preview(text: &str, width: u16) {
    let preview = markdown::render(text, width, &Theme::dark());
    assert_eq!(preview.lines.len(), preview.sources.len(), "a line without its source");
    for line in &preview.lines {
        for span in &line.spans {
            let bad = span.content.chars().find(|c| is_unsafe(*c) || c.is_control());
            assert!(bad.is_none(), "the preview draws {bad:?} from {text:?}");
        }
    }
    for heading in &preview.headings {
        assert!(heading.line < preview.lines.len().max(1), "a heading past the end");
    }
    // The interview renders the preview by parts, reusing those it rendered before: the same
    // result, from nothing and after another text (the text without its first line).
    let mut parts = markdown::Parts::default();
    assert_eq!(
        markdown::render_reusing(text, width, &Theme::dark(), &mut parts),
        preview,
        "by parts: {text:?}"
    );
    let before = text.split_once('\n').map_or("", |(_, rest)| rest);
    let mut parts = markdown::Parts::default();
    let _ = markdown::render_reusing(before, width, &Theme::dark(), &mut parts);
    assert_eq!(
        markdown::render_reusing(text, width, &Theme::dark(), &mut parts),
        preview,
        "reused: {text:?}"
    );
}

/// A theme file in a project: parses or is refused; what parses resolves or is refused.
pub fn theme(text: &str) {
    match theme_file::parse(Path::new("fuzz.toml"), text, "fuzz", Source::Project) {
        Ok(file) => {
            let set = ThemeSet::builtin().with_file(file);
            if let Err(e) = set.theme("fuzz") {
                assert_told("a theme error", &e.to_string());
            }
        }
        Err(problems) => assert_told("a theme problem", &problems.to_string()),
    }
}

/// The printed diff of two texts, applied to the older, gives the newer exactly; the section
/// comparisons of `diff --stat` and the reviewer read any two texts (Markdown or API YAML).
pub fn diff(old: &str, new: &str) {
    let _ = spec_interview::core::diff::section_changes(old, new);
    let _ = spec_interview::core::diff::compare::Comparison::new(old, new);
    let patch = unified(old, new, ".specflow/docs/doc.md");
    if old == new {
        assert!(patch.is_empty(), "equal texts give a patch");
        return;
    }
    match apply(old, &patch) {
        Ok(applied) => assert_eq!(applied, new, "the patch does not give the new text:\n{patch}"),
        Err(why) => panic!("the patch does not apply ({why}):\n{patch}"),
    }
}

/// Applies a unified diff as `patch`/`git apply` do, strictly: context and removed lines must
/// match the old text byte for byte.
pub fn apply(old: &str, patch: &str) -> Result<String, String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut at = 0usize; // next old line to copy
    let mut lines = patch.split_inclusive('\n').peekable();
    // Headers up to the first hunk.
    while let Some(line) = lines.peek() {
        if line.starts_with("@@") {
            break;
        }
        lines.next();
    }
    while let Some(header) = lines.next() {
        let (old_start, old_count) = hunk_start(header)?;
        let begin = if old_count == 0 { old_start } else { old_start - 1 };
        if begin < at || begin > old_lines.len() {
            return Err(format!("hunk at old line {old_start} out of order"));
        }
        for line in &old_lines[at..begin] {
            out.push_str(line);
        }
        at = begin;
        let mut last_added = false;
        while let Some(line) = lines.peek().copied() {
            if line.starts_with("@@") {
                break;
            }
            lines.next();
            if line.starts_with('\\') {
                // "\ No newline at end of file": the line before had none.
                if last_added {
                    if out.ends_with('\n') {
                        out.pop();
                    } else {
                        return Err("no-newline mark after a line without one".into());
                    }
                }
                continue;
            }
            let (mark, body) = line.split_at(1);
            let body_with = |at: usize| -> Result<(), String> {
                let want = old_lines.get(at).ok_or("context past the end of the old text")?;
                let trimmed = want.strip_suffix('\n').unwrap_or(want);
                let given = body.strip_suffix('\n').unwrap_or(body);
                if trimmed == given {
                    Ok(())
                } else {
                    Err(format!("line {} differs: {want:?} vs {body:?}", at + 1))
                }
            };
            match mark {
                " " => {
                    body_with(at)?;
                    out.push_str(old_lines[at]);
                    at += 1;
                    last_added = false;
                }
                "-" => {
                    body_with(at)?;
                    at += 1;
                    last_added = false;
                }
                "+" => {
                    out.push_str(body);
                    if !body.ends_with('\n') {
                        return Err("an added line without its newline".into());
                    }
                    last_added = true;
                }
                _ => return Err(format!("unexpected patch line {line:?}")),
            }
        }
    }
    for line in &old_lines[at..] {
        out.push_str(line);
    }
    Ok(out)
}

/// `@@ -START,COUNT +… @@` → (START, COUNT).
fn hunk_start(header: &str) -> Result<(usize, usize), String> {
    let old = header
        .strip_prefix("@@ -")
        .and_then(|r| r.split(' ').next())
        .ok_or_else(|| format!("bad hunk header {header:?}"))?;
    let (start, count) = old.split_once(',').unwrap_or((old, "1"));
    let parse = |s: &str| {
        s.parse::<usize>()
            .map_err(|e| format!("bad hunk header {header:?}: {e}"))
    };
    Ok((parse(start)?, parse(count)?))
}
