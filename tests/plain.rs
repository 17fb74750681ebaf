//! Plain mode: the D04 questionnaire completed from a pipe writes the same answers a full-screen
//! run would; bad lines are said and asked again; the end of input keeps the session; `save`
//! records a revision; the README's transcript is what the program says.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use assert_cmd::Command;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::document::Engine;
use spec_interview::core::fsio::Project;
use spec_interview::core::history::History;
use spec_interview::core::questionnaire::{BUILTIN, Question, QuestionKind, Questionnaire, parse};
use spec_interview::core::session::Answers;
use spec_interview::plain;
use spec_interview::tui::app;
use spec_interview::tui::model::Model;
use spec_interview::tui::theme::Theme;
use spec_interview::tui::update::{Effect, Msg, update};

fn d04() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN[0];
    Arc::new(parse(Path::new(path), text).unwrap())
}

/// An answer as a person gives it, typed either way.
enum Given {
    Line(&'static str),
    Lines(&'static [&'static str]),
    Choose(&'static str),
    Several(&'static [&'static str]),
    Rows(&'static [&'static [(&'static str, &'static str)]]),
    Assume(&'static str),
}

/// Answers for D04 by question id; questions not named are left as they are.
fn given() -> Vec<(&'static str, Given)> {
    use Given::*;
    vec![
        ("project_name", Line("Ledgerline")),
        ("api_style", Choose("REST")),
        ("runtime", Line("Node.js 22 with Fastify")),
        ("database", Line("PostgreSQL 16")),
        ("auth_method", Several(&["JWT", "API keys"])),
        ("authz_model", Choose("RBAC")),
        (
            "roles",
            Rows(&[
                &[("role", "admin"), ("permissions", "manage users and billing")],
                &[("role", "member"), ("permissions", "read and write own ledgers")],
            ]),
        ),
        ("compliance", Several(&["GDPR"])),
        (
            "api_conventions",
            Lines(&[
                "Resources are plural nouns; JSON bodies in camelCase.",
                "Every list endpoint paginates; errors use one envelope.",
            ]),
        ),
        ("integrations", Several(&["Stripe for payments", "Postmark for email"])),
        ("versioning", Choose("URL path (/v1/...)")),
        (
            "business_goal",
            Line("Small firms reconcile their ledgers in minutes, not days."),
        ),
        ("traffic", Assume("under 50 requests per second in the first year")),
        ("pagination", Choose("cursor-based (opaque cursor, limit)")),
        ("page_size", Line("25")),
        ("page_size_max", Line("100")),
    ]
}

/// The plain-mode lines for an answer.
fn plain_lines(question: &Question, given: &Given) -> Vec<String> {
    let end = || plain::END.to_string();
    match given {
        Given::Line(s) | Given::Choose(s) => vec![(*s).to_string()],
        Given::Assume(s) => vec![format!("assume: {s}")],
        Given::Lines(lines) | Given::Several(lines) => {
            let mut out: Vec<String> = lines.iter().map(ToString::to_string).collect();
            out.push(end());
            out
        }
        Given::Rows(rows) => {
            let mut out: Vec<String> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|(c, v)| format!("{c} = {v}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .collect();
            assert_eq!(question.kind, QuestionKind::Table);
            out.push(end());
            out
        }
    }
}

/// The text the full-screen interview gets for an answer from `$EDITOR` (Ctrl-E).
fn editor_text(question: &Question, given: &Given) -> String {
    match given {
        Given::Line(s) | Given::Choose(s) | Given::Assume(s) => (*s).to_string(),
        Given::Lines(lines) | Given::Several(lines) => lines.join("\n"),
        Given::Rows(rows) => rows
            .iter()
            .map(|r| {
                question
                    .columns
                    .iter()
                    .map(|c| r.iter().find(|(id, _)| *id == c.id).map_or("", |(_, v)| *v))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The answer value of a given answer, to work out which questions are shown.
fn value(question: &Question, given: &Given) -> Answer {
    let s = |v: &str| toml::Value::String(v.to_string());
    let toml = match given {
        Given::Line(v) | Given::Choose(v) if question.kind == QuestionKind::Number => {
            toml::Value::Integer(v.parse().unwrap())
        }
        Given::Line(v) | Given::Choose(v) => s(v),
        Given::Lines(lines) => s(&lines.join("\n")),
        Given::Several(items) => toml::Value::Array(items.iter().map(|i| s(i)).collect()),
        Given::Assume(a) => {
            return Answer::Assumption {
                assumption: (*a).to_string(),
            };
        }
        Given::Rows(rows) => toml::Value::Array(
            rows.iter()
                .map(|r| toml::Value::Table(r.iter().map(|(c, v)| ((*c).to_string(), s(v))).collect()))
                .collect(),
        ),
    };
    Answer::from_toml(question, &toml).unwrap()
}

/// The whole plain-mode input for D04: a reply for every question shown, in order (a blank
/// line for those not given), then `save` at the finish.
fn plain_input(q: &Arc<Questionnaire>) -> String {
    let engine = Engine::new(Arc::clone(q)).unwrap();
    let given = given();
    let mut answers = Answers::new();
    let mut lines = Vec::new();
    for question in q.questions() {
        if !engine.visibility(&answers).visible.contains(&question.id) {
            continue;
        }
        match given.iter().find(|(id, _)| *id == question.id) {
            Some((_, g)) => {
                lines.extend(plain_lines(question, g));
                answers.insert(question.id.clone(), value(question, g));
            }
            None => lines.push(String::new()),
        }
    }
    lines.push("save".into());
    lines.join("\n") + "\n"
}

/// The binary in plain mode on a fresh project, with `input` on standard input.
fn run_plain(root: &Path, input: &str, extra: &[&str]) -> std::process::Output {
    let config = root.join("../config");
    std::fs::create_dir_all(&config).unwrap();
    Command::cargo_bin("spec-interview")
        .unwrap()
        .arg("-C")
        .arg(root)
        .args(extra)
        .env("XDG_CONFIG_HOME", &config)
        .env("HOME", &config)
        .env("NO_COLOR", "1")
        .env_remove("SPEC_INTERVIEW_THEME")
        .env_remove("SPEC_INTERVIEW_QUESTIONNAIRE")
        .env_remove("SPEC_INTERVIEW_CONFIG")
        .env_remove("ACCESSIBLE")
        .write_stdin(input.to_string())
        .output()
        .unwrap()
}

fn answers_of(root: &Path) -> toml::Table {
    let text = std::fs::read_to_string(root.join(".specflow/sessions/d04-backend-architecture.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    table["answers"].as_table().unwrap().clone()
}

/// The full-screen interview driven through its own update: each given answer comes back from
/// the external editor (Ctrl-E), Ctrl-T marks an assumption, Tab moves on.
fn full_screen(q: &Arc<Questionnaire>, root: &Path) -> Model {
    let mut model = app::prepare(Project::new(root), q, Theme::monochrome(), false).unwrap();
    let given = given();
    let mut seen = HashSet::new();
    while seen.insert(model.focus.clone()) {
        let id = model.focus.clone();
        let question = q.question(&id).unwrap().clone();
        if let Some((_, g)) = given.iter().find(|(gid, _)| *gid == id) {
            if matches!(g, Given::Assume(_)) {
                let effects = update(
                    &mut model,
                    Msg::Key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL)),
                );
                run(&mut model, effects);
            }
            let effects = update(
                &mut model,
                Msg::Edited {
                    id: id.clone(),
                    result: Ok(editor_text(&question, g)),
                },
            );
            run(&mut model, effects);
        }
        let effects = update(&mut model, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
        run(&mut model, effects);
    }
    model
}

fn run(model: &mut Model, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::WriteSession(file) = effect {
            let r = app::write_session(model, *file);
            let more = update(model, Msg::SessionWritten(r));
            run(model, more);
        }
    }
}

#[test]
fn a_pipe_completes_d04_with_the_answers_a_full_screen_run_gives() {
    let q = d04();
    let tmp = tempfile::tempdir().unwrap();
    let (piped, screen) = (tmp.path().join("piped"), tmp.path().join("screen"));
    std::fs::create_dir_all(&piped).unwrap();
    std::fs::create_dir_all(&screen).unwrap();

    let out = run_plain(&piped, &plain_input(&q), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("That was the last question."), "{stdout}");
    assert!(
        stdout.contains("Saved .specflow/docs/D04-backend-architecture.md as revision 1."),
        "{stdout}"
    );
    assert!(!stdout.contains("not taken"), "every line was an answer:\n{stdout}");
    assert!(stdout.is_ascii() || stdout.lines().all(|l| !l.starts_with('\u{2502}')));

    full_screen(&q, &screen);
    let (plain_answers, screen_answers) = (answers_of(&piped), answers_of(&screen));
    assert_eq!(plain_answers, screen_answers);
    assert_eq!(plain_answers.len(), given().len(), "{plain_answers:#?}");
    assert_eq!(
        plain_answers["traffic"]["assumption"].as_str(),
        Some("under 50 requests per second in the first year")
    );
    assert_eq!(plain_answers["roles"].as_array().map(Vec::len), Some(2));
    // The revision holds the same answers.
    let history = History::open(&Project::new(&piped), ".specflow/docs/D04-backend-architecture.md");
    assert_eq!(history.revisions().unwrap().len(), 1);
    assert!(piped.join(".specflow/docs/D04-backend-architecture.md").exists());
}

#[test]
fn a_bad_line_is_said_and_the_question_asked_again() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(&root).unwrap();
    // The project name; an option number that does not exist, then REST; runtime, database,
    // JWT; then an authorization model that is no option (this question takes no other), then ABAC.
    let out = run_plain(&root, "Ledgerline\n9\n1\nNode\nPostgres\n1\n.\nSOAP\n2\n", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains("There is no option 9; type a number from 1 to 4, or the option's text."));
    assert!(
        stdout.contains("\"SOAP\" is not an option of \"authz_model\"; choose one of \"RBAC\""),
        "{stdout}"
    );
    assert_eq!(stdout.matches("Again: ").count(), 2);
    let answers = answers_of(&root);
    assert_eq!(answers["api_style"].as_str(), Some("REST"));
    assert_eq!(answers["authz_model"].as_str(), Some("ABAC"));
    assert!(stdout.contains("Stopped. The answers are kept in"), "{stdout}");
}

#[test]
fn the_end_of_input_keeps_the_session_and_full_screen_resumes_it() {
    let q = d04();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(&root).unwrap();
    let out = run_plain(&root, "Ledgerline\n1\nGo 1.23 with chi\n", &[]);
    assert!(out.status.success());
    // The full-screen interview opens the same file at the same place.
    let model = app::prepare(Project::new(&root), &q, Theme::monochrome(), false).unwrap();
    assert_eq!(model.focus, "database");
    assert_eq!(
        model.answers.get("runtime"),
        Some(&Answer::Text("Go 1.23 with chi".into()))
    );
    // And plain mode resumes where it stopped: the next line answers "database".
    let out = run_plain(&root, "MySQL 8\n", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Resumed the session"), "{stdout}");
    assert_eq!(answers_of(&root)["database"].as_str(), Some("MySQL 8"));
    // Nothing was saved as a revision without `save`.
    assert!(!root.join(".specflow/docs").exists());
}

#[test]
fn commands_go_back_clear_and_save_mid_interview() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(&root).unwrap();
    let out = run_plain(&root, "Ledgerline\n:back\nLedger Line\nsave\n:clear\n:quit\n", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("Saving with"), "{stdout}");
    assert!(stdout.contains("as revision 1."), "{stdout}");
    let answers = answers_of(&root);
    assert_eq!(answers["project_name"].as_str(), Some("Ledger Line"));
    assert!(!answers.contains_key("api_style"));
}

#[test]
fn a_second_process_on_the_session_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(&root).unwrap();
    let q = d04();
    let project = Project::new(&root);
    let (_lock, _) = app::take_session_lock(&project, &q.id).unwrap();
    let out = run_plain(&root, "Ledgerline\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("open in another spec-interview"));
}

/// The fenced block after `marker` in the README.
fn readme_block(readme: &str, marker: &str) -> String {
    let start = readme.find(marker).unwrap_or_else(|| panic!("README has no {marker}"));
    let rest = &readme[start..];
    let open = rest.find("```text\n").unwrap() + "```text\n".len();
    let close = rest[open..].find("\n```").unwrap();
    rest[open..=(open + close)].to_string()
}

#[test]
fn the_readme_transcript_is_what_plain_mode_says() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let input = readme_block(&readme, "<!-- plain-mode input -->");
    let expected = readme_block(&readme, "<!-- plain-mode transcript -->");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ledgerline");
    std::fs::create_dir_all(&root).unwrap();
    let out = run_plain(&root, &input, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root_text = root.canonicalize().unwrap().display().to_string();
    let said = String::from_utf8_lossy(&out.stdout)
        .replace(&root_text, "/home/you/ledgerline")
        .replace(&root.display().to_string(), "/home/you/ledgerline");
    if said != expected && std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&readme_path, readme.replacen(&expected, &said, 1)).unwrap();
        return;
    }
    assert_eq!(
        said, expected,
        "the README's plain-mode transcript differs from what the program says; \
         UPDATE_README=1 cargo test --test plain readme rewrites it (read the change)"
    );
}

#[test]
fn a_bad_row_is_said_at_once_and_the_other_rows_count() {
    let q = d04();
    let tmp = tempfile::tempdir().unwrap();
    let input = "Ledgerline\n1\nGo\nPostgres\n1\n.\nRBAC\nrole admin\nrole = admin; permissons = all\nrole = admin; permissions = everything\nrole = viewer; permissions = read\n.\n";
    let mut out = Vec::new();
    let options = plain::Options {
        read_only: false,
        fresh: false,
        notices: Vec::new(),
        echo: true,
    };
    plain::run(Project::new(tmp.path()), &q, &options, &mut input.as_bytes(), &mut out).unwrap();
    let said = String::from_utf8(out).unwrap();
    assert!(
        said.contains("> role admin\n\"role admin\" is not \"column = value\"; the columns are role, permissions. That line was left out; type it again, or a line with only a dot to end.\n... role = admin; permissons = all\nThere is no column \"permissons\""),
        "{said}"
    );
    let model = app::prepare(Project::new(tmp.path()), &q, Theme::monochrome(), false).unwrap();
    match model.answers.get("roles") {
        Some(Answer::Table(rows)) => {
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[1].get("role").map(String::as_str), Some("viewer"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn read_only_writes_nothing_and_a_damaged_session_is_moved_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(root.join(".specflow/sessions")).unwrap();
    let session = root.join(".specflow/sessions/d04-backend-architecture.toml");
    std::fs::write(&session, "this is [not toml\n").unwrap();
    // Read-only: said, left where it is, nothing written.
    let out = run_plain(&root, "Ledgerline\nsave\n", &["--read-only"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("The session file cannot be read"), "{said}");
    assert!(said.contains("Read-only: it was left where it is"), "{said}");
    assert!(said.contains("Read-only: another spec-interview has this session, so nothing is saved here."));
    assert_eq!(std::fs::read_to_string(&session).unwrap(), "this is [not toml\n");
    assert!(!root.join(".specflow/docs").exists());
    // Writing: the damaged file is kept aside, never overwritten, and a fresh session starts.
    let out = run_plain(&root, "Ledgerline\n", &[]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("It was moved to"), "{said}");
    let kept: Vec<_> = std::fs::read_dir(root.join(".specflow/sessions"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read_to_string(kept[0].path()).unwrap(), "this is [not toml\n");
    assert_eq!(answers_of(&root)["project_name"].as_str(), Some("Ledgerline"));
}
