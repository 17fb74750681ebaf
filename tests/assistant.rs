//! The assistant in the interview, driven by scripted keys: proposals from a fixture project
//! shown beside their questions, accepted, rejected and accepted by source; provenance in the
//! session and in a revision's answers file; the Quick Start line; screens at 80×24 and 160×48.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::fsio::Project;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::scan;
use spec_interview::tui::app;
use spec_interview::tui::model::Model;
use spec_interview::tui::proposals::{self, Status};
use spec_interview::tui::theme::Theme;
use spec_interview::tui::update::{Effect, Msg, update};

fn d04() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN[0];
    Arc::new(parse(Path::new(path), text).unwrap())
}

struct Session {
    dir: tempfile::TempDir,
    model: Model,
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scan")
        .join(name)
}

impl Session {
    /// An interview in an empty project, with the proposals `fixture` would give.
    fn with_proposals_from(fixture_name: &str) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let q = d04();
        let mut model = app::prepare(Project::new(dir.path()), &q, Theme::monochrome(), false).unwrap();
        let found = scan::suggest(&fixture(fixture_name), &q, None);
        let effects = update(&mut model, Msg::Proposals(found));
        let mut s = Session { dir, model };
        s.run(effects);
        s
    }

    fn restart(self) -> Session {
        let q = d04();
        let model = app::prepare(Project::new(self.dir.path()), &q, Theme::monochrome(), false).unwrap();
        Session { model, ..self }
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            let more = match effect {
                Effect::WriteSession(file) => {
                    let r = app::write_session(&self.model, *file);
                    update(&mut self.model, Msg::SessionWritten(r))
                }
                Effect::PrepareSave => {
                    let r = app::prepare_save(&self.model);
                    update(&mut self.model, Msg::SavePlan(r))
                }
                Effect::SaveDocuments { overwrite } => {
                    let r = app::save_documents(&self.model, overwrite);
                    update(&mut self.model, Msg::Saved(r))
                }
                _ => Vec::new(),
            };
            self.run(more);
        }
    }

    fn send(&mut self, code: KeyCode, modifiers: KeyModifiers) -> &mut Self {
        let effects = update(&mut self.model, Msg::Key(KeyEvent::new(code, modifiers)));
        self.run(effects);
        self
    }

    fn key(&mut self, code: KeyCode) -> &mut Self {
        self.send(code, KeyModifiers::NONE)
    }

    fn alt(&mut self, c: char) -> &mut Self {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::ALT | KeyModifiers::SHIFT
        } else {
            KeyModifiers::ALT
        };
        self.send(KeyCode::Char(c), mods)
    }

    fn typ(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    /// Tabs (forwards, then backwards) until question `id` has the focus.
    fn go_to(&mut self, id: &str) -> &mut Self {
        for code in [KeyCode::Tab, KeyCode::BackTab] {
            for _ in 0..60 {
                if self.model.focus == id {
                    return self;
                }
                if code == KeyCode::BackTab {
                    self.send(code, KeyModifiers::SHIFT);
                } else {
                    self.key(code);
                }
                // Past the last question the finish summary opens: close it and turn back.
                if self.model.overlay.is_some() {
                    self.key(KeyCode::Esc);
                    break;
                }
            }
        }
        panic!(
            "never reached {id}: on {} with {:?}",
            self.model.focus, self.model.overlay
        );
    }

    fn answer(&self, id: &str) -> Option<&Answer> {
        self.model.answers.get(id)
    }

    fn session_text(&self) -> String {
        std::fs::read_to_string(self.dir.path().join(".specflow/sessions/d04-backend-architecture.toml")).unwrap()
    }

    fn screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| spec_interview::tui::ui::draw(f, &self.model))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            for x in 0..buffer.area.width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn snapshot(s: &Session, name: &str) {
    insta::with_settings!({ filters => vec![(r"session saved \d\d:\d\d", "session saved [time]")] }, {
        insta::assert_snapshot!(format!("{name}_80x24"), s.screen(80, 24));
        insta::assert_snapshot!(format!("{name}_160x48"), s.screen(160, 48));
    });
}

#[test]
fn a_proposal_is_not_an_answer_until_accepted() {
    let mut s = Session::with_proposals_from("node-express");
    // The interview still opens on the project name; nothing was answered by the scan.
    assert_eq!(s.model.focus, "project_name");
    assert!(s.model.answers.is_empty());
    assert!(s.model.assistant.waiting() > 5);
    s.typ("Orders API").go_to("database");
    let shown = s.model.assistant.shown_for("database").unwrap();
    assert_eq!(shown.proposal.value, Answer::Text("PostgreSQL 16".into()));
    assert!(
        s.screen(160, 48)
            .contains("docker-compose.yml:7: image: postgres:16-alpine")
    );
    assert_eq!(s.answer("database"), None);
    s.alt('a');
    assert_eq!(s.answer("database"), Some(&Answer::Text("PostgreSQL 16".into())));
    assert!(
        s.model.derived.documents[0]
            .text
            .contains("Primary database (from D02):** PostgreSQL 16")
    );
    let session = s.session_text();
    assert!(session.contains("schema = 2"), "{session}");
    assert!(
        session.contains(r#"database = { source = "repository", file = "docker-compose.yml", line = 7, text = "image: postgres:16-alpine" }"#),
        "{session}"
    );
}

#[test]
fn a_rejected_proposal_stays_rejected_after_a_restart() {
    let mut s = Session::with_proposals_from("node-express");
    s.go_to("versioning").alt('r');
    assert_eq!(s.answer("versioning"), None);
    assert!(s.model.assistant.shown_for("versioning").is_none());
    assert!(
        s.session_text()
            .contains("rejected = [\"versioning = URL path (/v1/...)\"]")
    );
    let mut s = s.restart();
    let found = scan::suggest(&fixture("node-express"), &d04(), None);
    let effects = update(&mut s.model, Msg::Proposals(found));
    s.run(effects);
    assert!(s.model.assistant.shown_for("versioning").is_none());
    assert!(s.model.assistant.shown_for("database").is_some());
}

#[test]
fn accepting_all_from_a_source_leaves_answered_questions_and_contradictions_alone() {
    let mut s = Session::with_proposals_from("go-chi");
    // A document proposes another database: two sources, a contradiction.
    let doc = s.dir.path().join(".specflow/docs/D02-decisions.md");
    std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
    std::fs::write(&doc, "# Decisions\n\n**Database:** MySQL 8\n").unwrap();
    let mut found = scan::suggest(&fixture("go-chi"), &d04(), None);
    found.proposals.extend(scan::documents::from_documents(
        s.dir.path(),
        &s.dir.path().join(".specflow/docs"),
        &d04(),
    ));
    found.proposals = scan::proposal::settle(&d04(), found.proposals);
    let effects = update(&mut s.model, Msg::Proposals(found));
    s.run(effects);
    s.go_to("runtime").typ("Go with net/http").key(KeyCode::Tab);
    s.go_to("api_style").alt('A');
    // Everything from the repository but the typed runtime and the contested database.
    assert_eq!(s.answer("runtime"), Some(&Answer::Text("Go with net/http".into())));
    assert_eq!(s.answer("database"), None);
    assert_eq!(s.answer("api_style"), Some(&Answer::Text("REST".into())));
    assert_eq!(s.answer("auth_method"), Some(&Answer::List(vec!["JWT".into()])));
    assert_eq!(s.answer("data_access"), Some(&Answer::Text("hand-written SQL".into())));
    assert!(s.model.notice.as_ref().unwrap().text.contains("left for you to decide"));
    // The contradiction: both shown in turn, with what each contradicts; one accepted settles it.
    s.go_to("database");
    let first = s.model.assistant.shown_for("database").unwrap().proposal.clone();
    assert_eq!(first.contradicts.len(), 1);
    assert!(s.screen(160, 48).contains("contradicts:"));
    s.alt('n');
    let second = s.model.assistant.shown_for("database").unwrap().proposal.clone();
    assert_ne!(first.value, second.value);
    s.alt('a');
    assert_eq!(s.answer("database"), Some(&second.value));
    assert!(s.model.assistant.pending("database").is_empty());
    assert!(
        s.model
            .assistant
            .offered
            .iter()
            .any(|o| o.proposal == first && o.status == Status::Rejected)
    );
}

#[test]
fn provenance_follows_the_answer_into_the_revision_and_leaves_when_it_is_edited() {
    let mut s = Session::with_proposals_from("rust-axum");
    s.typ("Todo API").go_to("api_style").alt('A');
    s.send(KeyCode::Char('s'), KeyModifiers::CONTROL).key(KeyCode::Enter);
    let answers = std::fs::read_to_string(
        s.dir
            .path()
            .join(".specflow/history/D04-backend-architecture/0001/answers.toml"),
    )
    .unwrap();
    assert!(answers.contains("schema = 2"), "{answers}");
    assert!(answers.contains("\n[provenance]\n"), "{answers}");
    assert!(
        answers
            .contains(r#"runtime = { source = "repository", file = "Cargo.toml", line = 8, text = 'axum = "0.7"' }"#),
        "{answers}"
    );
    // Provenance stays out of the document body.
    let doc = std::fs::read_to_string(s.dir.path().join(".specflow/docs/D04-backend-architecture.md")).unwrap();
    assert!(!doc.contains("Cargo.toml"), "{doc}");
    // The user rewrites the runtime: it is theirs now.
    s.go_to("runtime");
    for _ in 0..40 {
        s.key(KeyCode::Backspace);
    }
    s.typ("Rust 1.82 with axum 0.8").key(KeyCode::Tab);
    let session = s.session_text();
    assert!(!session.contains("runtime = { source"), "{session}");
    assert!(session.contains("database = { source"), "{session}");
    // And a restart keeps the remaining provenance.
    let s = s.restart();
    assert!(s.session_text().contains("database = { source"));
    assert!(s.model.assistant.sources.contains_key("database"));
}

#[test]
fn the_quick_start_line_shows_what_it_places_before_applying_it() {
    let dir = tempfile::tempdir().unwrap();
    let q = d04();
    let model = app::prepare(Project::new(dir.path()), &q, Theme::monochrome(), false).unwrap();
    let mut s = Session { dir, model };
    proposals::open_quick(
        &mut s.model,
        "REST API, JWT auth, RBAC, Node.js, no special compliance requirements".into(),
    );
    // Shown, not applied.
    assert!(s.model.answers.is_empty());
    let screen = s.screen(80, 24);
    assert!(screen.contains("Compliance: none"), "{screen}");
    snapshot(&s, "quick_start_line");
    s.key(KeyCode::Enter);
    assert_eq!(s.answer("api_style"), Some(&Answer::Text("REST".into())));
    assert_eq!(s.answer("auth_method"), Some(&Answer::List(vec!["JWT".into()])));
    assert_eq!(s.answer("authz_model"), Some(&Answer::Text("RBAC".into())));
    assert_eq!(s.answer("runtime"), Some(&Answer::Text("Node.js".into())));
    assert_eq!(s.answer("compliance"), Some(&Answer::List(vec!["none".into()])));
    // The interview is still on the project name, and the rest is left to it.
    assert_eq!(s.model.focus, "project_name");
    assert_eq!(s.answer("database"), None);
    assert!(s.session_text().contains(r#"runtime = { source = "quick start line""#));
}

#[test]
fn the_quick_start_field_opens_from_a_key_and_esc_applies_nothing() {
    let mut s = Session::with_proposals_from("nothing");
    assert_eq!(s.model.assistant.waiting(), 0);
    s.alt('q').typ("GraphQL, sessions, ABAC, GDPR");
    assert!(s.model.assistant.quick.as_ref().unwrap().reading.placed.len() == 4);
    s.key(KeyCode::Esc);
    assert!(s.model.assistant.quick.is_none());
    assert!(s.model.answers.is_empty());
    s.alt('q').typ("GraphQL, kubernetes everywhere").key(KeyCode::Enter);
    assert_eq!(s.answer("api_style"), Some(&Answer::Text("GraphQL".into())));
    assert!(
        s.model
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("not placed: kubernetes everywhere")
    );
}

#[test]
fn screens_with_a_proposal() {
    let mut s = Session::with_proposals_from("python-fastapi");
    s.typ("Billing").go_to("runtime");
    snapshot(&s, "proposal_runtime");
    s.go_to("migrations");
    snapshot(&s, "proposal_migrations");
}

#[test]
fn answers_files_of_schema_one_still_read_and_provenance_round_trips() {
    use spec_interview::core::session;
    let q = d04();
    let file = Path::new("answers.toml");
    let one = session::parse(file, "schema = 1\n[answers]\nruntime = \"Go\"\n", &q).unwrap();
    assert!(one.provenance.is_empty());
    let text = "schema = 2\n[answers]\nruntime = \"Go\"\n\n[provenance]\nruntime = { source = \"repository\", file = \"go.mod\", line = 3 }\n";
    let two = session::parse(file, text, &q).unwrap();
    assert_eq!(two.provenance["runtime"].file.as_deref(), Some("go.mod"));
    let written = session::to_toml(&q, &two);
    assert!(
        written.contains("[provenance]\nruntime = { source = \"repository\", file = \"go.mod\", line = 3 }\n"),
        "{written}"
    );
    let newer = session::parse(file, "schema = 3\n[answers]\n", &q)
        .unwrap_err()
        .to_string();
    assert!(newer.contains("newer spec-interview"), "{newer}");
}
