//! The interview without a terminal: scripted keys in, model and files out; and snapshots of
//! each screen state on ratatui's `TestBackend` at 80×24 and 160×48.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::fsio::Project;
use spec_interview::core::history::{DiskState, History, Revision};
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::review::{Anchor, Note, ReviewDecision, ReviewState, Verdict};
use spec_interview::tui::app;
use spec_interview::tui::editor::Editor;
use spec_interview::tui::keymap::Context;
use spec_interview::tui::model::{Model, Overlay, RightPane};
use spec_interview::tui::save::DocumentOnDisk;
use spec_interview::tui::theme::Theme;
use spec_interview::tui::update::{Effect, Msg, update};

fn d04() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN[0];
    Arc::new(parse(Path::new(path), text).unwrap())
}

/// A small questionnaire with every kind, for the kinds D04 does not use.
const KINDS: &str = r#"format = 1
id = "kinds"
version = "1"
title = "Kinds"

[[documents]]
id = "doc"
path = ".specflow/docs/kinds.md"
template = '''
# Kinds
## Flag
{{ answer("flag") }}
## Count
{{ answer("count") }}
## Items
{{ answer("items") }}
'''

[[sections]]
id = "all"
title = "All"

[[sections.questions]]
id = "flag"
kind = "yes_no"
prompt = "Flag?"
feeds = "Flag"

[[sections.questions]]
id = "count"
kind = "number"
prompt = "Count?"
feeds = "Count"
validate = { min = 1, max = 9 }

[[sections.questions]]
id = "items"
kind = "list"
prompt = "Items?"
feeds = "Items"
"#;

struct Session {
    dir: tempfile::TempDir,
    model: Model,
    /// What the external editor "returns" in these tests.
    editor_text: String,
}

impl Session {
    fn new(q: &Arc<Questionnaire>) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let model = app::prepare(Project::new(dir.path()), q, Theme::monochrome(), false).unwrap();
        Session {
            dir,
            model,
            editor_text: String::new(),
        }
    }

    fn d04() -> Session {
        Session::new(&d04())
    }

    /// backend-design with its complete answers, focused on the endpoint inventory; and the
    /// answers file's text and its answers.
    fn backend_design_at_endpoints() -> (Session, String, spec_interview::core::session::Answers) {
        let q = BUILTIN.iter().find(|(p, _)| p.contains("backend-design")).unwrap();
        let q = Arc::new(parse(Path::new(q.0), q.1).unwrap());
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/answers/backend-design-complete.toml"),
        )
        .unwrap();
        let file = spec_interview::core::session::parse(Path::new("complete.toml"), &text, &q).unwrap();
        let mut s = Session::new(&q);
        s.model.answers = file.answers.clone();
        let effects = spec_interview::tui::update::focus_on(&mut s.model, "endpoints");
        s.run(effects);
        (s, text, file.answers)
    }

    fn restart(self) -> Session {
        let q = Arc::clone(self.model.questionnaire());
        let model = app::prepare(Project::new(self.dir.path()), &q, Theme::monochrome(), false).unwrap();
        Session { model, ..self }
    }

    fn send(&mut self, event: KeyEvent) {
        let effects = update(&mut self.model, Msg::Key(event));
        self.run(effects);
    }

    /// Runs effects the way the terminal shell does, minus the terminal.
    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            let more = match effect {
                Effect::WriteSession(file) => {
                    let r = app::write_session(&self.model, *file);
                    update(&mut self.model, Msg::SessionWritten(r))
                }
                Effect::PrepareSave => {
                    let r = app::prepare_save(&self.model);
                    let more = update(&mut self.model, Msg::SavePlan(r));
                    app::refresh_review(&mut self.model);
                    more
                }
                Effect::SaveDocuments { overwrite } => {
                    let r = app::save_documents(&self.model, overwrite);
                    let more = update(&mut self.model, Msg::Saved(r));
                    app::refresh_review(&mut self.model);
                    more
                }
                Effect::KeepHandEdits => {
                    let r = app::keep_hand_edits(&self.model);
                    let more = update(&mut self.model, Msg::Kept(r));
                    app::refresh_review(&mut self.model);
                    more
                }
                Effect::EditExternally { id, .. } => {
                    let text = self.editor_text.clone();
                    update(&mut self.model, Msg::Edited { id, result: Ok(text) })
                }
                Effect::Suspend | Effect::Quit => Vec::new(),
            };
            self.run(more);
        }
    }

    fn key(&mut self, code: KeyCode) -> &mut Self {
        self.send(KeyEvent::new(code, KeyModifiers::NONE));
        self
    }

    fn ctrl(&mut self, c: char) -> &mut Self {
        self.send(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    fn ctrl_key(&mut self, code: KeyCode) -> &mut Self {
        self.send(KeyEvent::new(code, KeyModifiers::CONTROL));
        self
    }

    fn alt(&mut self, code: KeyCode) -> &mut Self {
        self.send(KeyEvent::new(code, KeyModifiers::ALT));
        self
    }

    fn typ(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            let code = if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) };
            self.send(KeyEvent::new(code, KeyModifiers::NONE));
        }
        self
    }

    fn tab(&mut self) -> &mut Self {
        self.key(KeyCode::Tab)
    }

    fn back(&mut self) -> &mut Self {
        self.send(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        self
    }

    fn answer(&self, id: &str) -> Option<&Answer> {
        self.model.answers.get(id)
    }

    fn document(&self) -> String {
        self.model.derived.documents[0].text.clone()
    }

    fn session_text(&self) -> String {
        let path = self
            .dir
            .path()
            .join(".specflow/sessions")
            .join(format!("{}.toml", self.model.questionnaire().id));
        std::fs::read_to_string(path).unwrap()
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

/// Snapshots of one state at both sizes, with the clock filtered out.
fn snap(name: &str, s: &Session) {
    insta::with_settings!({ filters => vec![(r"session saved \d\d:\d\d", "session saved [time]")] }, {
        insta::assert_snapshot!(format!("{name}_80x24"), s.screen(80, 24));
        insta::assert_snapshot!(format!("{name}_160x48"), s.screen(160, 48));
    });
}

#[test]
fn the_quick_start_can_be_answered_with_the_keyboard() {
    let mut s = Session::d04();
    assert_eq!(s.model.focus, "project_name", "the interview opens on project_name");
    s.typ("Ledgerline").key(KeyCode::Enter);
    s.typ("rest").key(KeyCode::Enter); // filter, then choose
    s.typ("Go 1.23 with chi\n").typ("PostgreSQL 16\n");
    // Multi-choice: type to filter, Space to tick, Esc clears the filter, Enter goes on.
    s.typ("jwt").key(KeyCode::Char(' ')).key(KeyCode::Esc);
    s.typ("api")
        .key(KeyCode::Char(' '))
        .key(KeyCode::Esc)
        .key(KeyCode::Enter);
    s.typ("RBAC\n");
    // Table: Ctrl-N adds a row and edits its first cell; Enter moves to the next cell.
    s.ctrl('n').typ("admin\n").typ("manage users\n").key(KeyCode::Esc);
    s.ctrl('n').typ("viewer\n").typ("read everything\n").key(KeyCode::Esc);
    s.alt(KeyCode::Up); // reorder: viewer first
    s.tab();
    s.typ("gdpr").key(KeyCode::Char(' ')).key(KeyCode::Enter);
    // Multi-line: Enter is a newline, Tab moves on.
    s.typ("Plural kebab-case nouns.\nJSON fields are camelCase.").tab();
    // List: typing adds an item.
    s.typ("Stripe\n").typ("Postmark\n").tab();
    s.typ("url").key(KeyCode::Enter);

    assert_eq!(s.answer("project_name"), Some(&Answer::Text("Ledgerline".into())));
    assert_eq!(s.answer("api_style"), Some(&Answer::Text("REST".into())));
    assert_eq!(
        s.answer("auth_method"),
        Some(&Answer::List(vec!["JWT".into(), "API keys".into()]))
    );
    assert_eq!(s.answer("authz_model"), Some(&Answer::Text("RBAC".into())));
    let Some(Answer::Table(roles)) = s.answer("roles") else {
        panic!("roles: {:?}", s.answer("roles"))
    };
    assert_eq!(roles.len(), 2);
    assert_eq!(roles[0]["role"], "viewer");
    assert_eq!(roles[1]["permissions"], "manage users");
    assert_eq!(s.answer("compliance"), Some(&Answer::List(vec!["GDPR".into()])));
    assert_eq!(
        s.answer("api_conventions"),
        Some(&Answer::Text(
            "Plural kebab-case nouns.\nJSON fields are camelCase.".into()
        ))
    );
    assert_eq!(
        s.answer("integrations"),
        Some(&Answer::List(vec!["Stripe".into(), "Postmark".into()]))
    );
    assert_eq!(s.answer("versioning"), Some(&Answer::Text("URL path (/v1/...)".into())));
    assert_eq!(
        s.model.focus, "business_goal",
        "the framing checklist follows the Quick Start"
    );
    // Each answer is in the document, and in the session on disk.
    let doc = s.document();
    assert!(doc.starts_with("# Ledgerline"));
    assert!(doc.contains("| viewer | read everything |"), "{doc}");
    let session = s.session_text();
    assert!(session.contains("project_name = \"Ledgerline\""), "{session}");
    assert!(
        session.contains("{ role = \"viewer\", permissions = \"read everything\" }"),
        "{session}"
    );
}

#[test]
fn checklist_items_are_answered_or_left_as_labelled_assumptions() {
    let mut s = Session::d04();
    let framing = s.model.questionnaire().question("business_goal").unwrap().id.clone();
    s.ctrl('g'); // jump to a section
    s.key(KeyCode::Down).key(KeyCode::Enter);
    assert_eq!(s.model.focus, framing);
    s.typ("Firms close the month in a day.").tab();
    // Ctrl-T marks the item as an assumption, prefilled with the questionnaire's words.
    s.ctrl('t');
    let doc = s.document();
    assert!(
        doc.contains(
            "- **Core flows**, the paths on which the conventions are tried first: *Assumption:* The core flows are"
        ),
        "{doc}"
    );
    s.tab();
    assert_eq!(
        s.answer("business_goal"),
        Some(&Answer::Text("Firms close the month in a day.".into()))
    );
    assert!(matches!(s.answer("core_flows"), Some(Answer::Assumption { .. })));
    assert!(s.document().contains("- **Assumption (Core user flows):**"));
}

#[test]
fn the_preview_follows_the_typing_before_it_is_committed() {
    let mut s = Session::d04();
    s.typ("Ledg");
    assert!(s.document().starts_with("# Ledg: backend"), "{}", s.document());
    assert_eq!(s.answer("project_name"), None, "not committed yet");
    s.typ("erline");
    assert!(s.document().starts_with("# Ledgerline: backend"));
}

#[test]
fn going_back_keeps_everything_and_an_invalid_draft_is_kept_and_marked() {
    let q = Arc::new(parse(Path::new("kinds.toml"), KINDS).unwrap());
    let mut s = Session::new(&q);
    s.typ("y"); // yes_no: y answers and moves on
    assert_eq!(s.answer("flag"), Some(&Answer::Bool(true)));
    assert_eq!(s.model.focus, "count");
    s.typ("lots").tab();
    assert_eq!(s.model.focus, "items", "an invalid answer never blocks moving on");
    assert_eq!(s.answer("count"), None);
    assert_eq!(s.model.drafts.get("count").map(String::as_str), Some("lots"));
    assert!(
        s.session_text().contains("count = \"lots\""),
        "the draft is in the session: {}",
        s.session_text()
    );
    s.back();
    assert_eq!(s.model.focus, "count");
    assert!(s.model.draft_problem().unwrap().contains("not a number"));
    // Out of range: kept as the answer, reported as invalid.
    for _ in 0..4 {
        s.key(KeyCode::Backspace);
    }
    s.typ("12").tab();
    assert_eq!(s.answer("count"), Some(&Answer::Integer(12)));
    assert!(s.model.drafts.is_empty());
    s.back().back();
    s.key(KeyCode::Char('n'));
    assert_eq!(
        s.answer("flag"),
        Some(&Answer::Bool(false)),
        "going back and changing works"
    );
    assert_eq!(
        s.answer("count"),
        Some(&Answer::Integer(12)),
        "going back drops nothing"
    );
}

#[test]
fn lists_are_edited_reordered_and_deleted() {
    let q = Arc::new(parse(Path::new("kinds.toml"), KINDS).unwrap());
    let mut s = Session::new(&q);
    s.tab().tab();
    assert_eq!(s.model.focus, "items");
    s.typ("one\n").typ("two\n").typ("three\n");
    s.key(KeyCode::Up).ctrl('d'); // delete "two"
    s.key(KeyCode::Enter).ctrl('u'); // edit "three": Ctrl-U empties the cell...
    s.ctrl('y'); // ...and Ctrl-Y puts it back
    s.key(KeyCode::Esc);
    s.alt(KeyCode::Up);
    s.tab();
    assert_eq!(
        s.answer("items"),
        Some(&Answer::List(vec!["three".into(), "one".into()]))
    );
    assert!(s.document().contains("- three\n- one"));
}

#[test]
fn conditions_show_and_hide_questions_and_hidden_answers_stay_out_of_the_document() {
    let mut s = Session::d04();
    s.model.focus = "authz_model".into();
    s.model.editor = s
        .model
        .questionnaire()
        .question("authz_model")
        .map(|q| spec_interview::tui::editor::Editor::open(q, None, None))
        .unwrap();
    s.typ("custom\n");
    assert_eq!(
        s.model.focus, "authz_custom",
        "the conditional question appears and is next"
    );
    s.typ("Policies in OPA.").tab();
    assert!(s.document().contains("Policies in OPA."));
    s.back().back();
    assert_eq!(s.model.focus, "authz_model");
    s.key(KeyCode::Esc).typ("rbac\n");
    assert!(!s.model.is_visible("authz_custom"));
    assert_eq!(
        s.answer("authz_custom"),
        Some(&Answer::Text("Policies in OPA.".into())),
        "kept"
    );
    assert!(!s.document().contains("Policies in OPA."), "but out of the document");
    assert_eq!(s.model.focus, "roles", "Tab skips the hidden question");
}

#[test]
fn esc_never_drops_an_answer() {
    let mut s = Session::d04();
    s.typ("Ledgerline").key(KeyCode::Esc).tab();
    assert_eq!(s.answer("project_name"), Some(&Answer::Text("Ledgerline".into())));
    s.typ("grpc\n");
    s.back();
    s.typ("zz").key(KeyCode::Esc).tab();
    assert_eq!(s.answer("api_style"), Some(&Answer::Text("gRPC".into())));
}

const D04_DOC: &str = ".specflow/docs/D04-backend-architecture.md";

fn ctrl_s() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

fn press(model: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn revision(number: u32) -> Revision {
    Revision {
        number,
        time: "2026-01-02T03:04:05Z".into(),
        author: "Ada".into(),
        questionnaire: "d04-backend-architecture".into(),
        questionnaire_version: "1".into(),
        document: D04_DOC.into(),
        sha256: String::new(),
        lines: 1,
        changed: None,
        git_commit: None,
        git_branch: None,
    }
}

/// What the shell would report for the D04 document (no file is read).
fn on_disk(latest: Option<&str>, disk: DiskState, disk_text: Option<&str>) -> Vec<DocumentOnDisk> {
    vec![DocumentOnDisk {
        path: D04_DOC.into(),
        latest: latest.map(|t| (revision(1), t.to_string())),
        disk,
        disk_text: disk_text.map(str::to_string),
    }]
}

fn overlay_text(model: &Model) -> String {
    let Some(Overlay::Save { plan, .. }) = &model.overlay else {
        panic!("no save overlay: {:?}", model.overlay)
    };
    save_text(plan)
}

/// The save overlay's text without its first word on required answers still open.
fn overlay_documents(model: &Model) -> String {
    let Some(Overlay::Save { plan, .. }) = &model.overlay else {
        panic!("no save overlay: {:?}", model.overlay)
    };
    let mut plan = plan.clone();
    plan.required_open = 0;
    save_text(&plan)
}

fn save_text(plan: &spec_interview::tui::save::SavePlan) -> String {
    plan.lines()
        .iter()
        .chain(plan.choices().iter())
        .map(|l| l.iter().map(|(_, s)| s.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn ctrl_s_shows_the_summary_first_esc_writes_nothing_and_enter_saves() {
    let mut s = Session::d04();
    s.typ("Ledgerline");
    let effects = update(&mut s.model, ctrl_s());
    assert_eq!(
        effects.last(),
        Some(&Effect::PrepareSave),
        "the shell reads the disk first"
    );
    assert!(s.model.answers.contains_key("project_name"), "Ctrl-S commits the field");
    assert!(s.model.overlay.is_none());
    update(&mut s.model, Msg::SavePlan(Ok(on_disk(None, DiskState::Missing, None))));
    assert_eq!(s.model.context(), Context::SaveSummary);
    let shown = overlay_documents(&s.model);
    assert!(shown.starts_with(&format!("{D04_DOC} — first revision")), "{shown}");
    assert!(
        shown.contains("  + Ledgerline: backend architecture (D04)  +2 -0  added\n    + Context  +"),
        "{shown}"
    );
    assert!(shown.contains("sections changed, in all"), "{shown}");
    assert!(
        press(&mut s.model, KeyCode::Char('k')).is_empty(),
        "no hand edit to keep"
    );
    assert!(
        press(&mut s.model, KeyCode::Tab).is_empty(),
        "the overlay holds the keys"
    );
    assert!(press(&mut s.model, KeyCode::Esc).is_empty(), "Esc writes nothing");
    assert!(s.model.overlay.is_none());
    assert!(s.model.notice.as_ref().unwrap().text.contains("nothing was written"));

    update(&mut s.model, ctrl_s());
    update(
        &mut s.model,
        Msg::SavePlan(Ok(on_disk(Some("# Old\n"), DiskState::Saved(1), Some("# Old\n")))),
    );
    assert!(overlay_documents(&s.model).starts_with(&format!("{D04_DOC} — will be revision 2")));
    assert_eq!(
        press(&mut s.model, KeyCode::Enter),
        vec![Effect::SaveDocuments { overwrite: false }]
    );
    assert!(s.model.overlay.is_none());
    assert_eq!(
        s.model.saved_text[D04_DOC], "# Old\n",
        "the latest revision as the shell read it"
    );
}

#[test]
fn nothing_changed_means_no_overlay_and_read_only_saves_nothing() {
    let mut s = Session::d04();
    s.typ("Ledgerline");
    update(&mut s.model, ctrl_s());
    let text = s.document();
    update(
        &mut s.model,
        Msg::SavePlan(Ok(on_disk(Some(&text), DiskState::Saved(1), Some(&text)))),
    );
    assert!(s.model.overlay.is_none());
    let notice = &s.model.notice.as_ref().unwrap().text;
    assert_eq!(
        notice,
        &format!("Nothing to save: {D04_DOC} is unchanged since revision 1.")
    );

    s.model.read_only = true;
    let effects = update(&mut s.model, ctrl_s());
    assert!(!effects.contains(&Effect::PrepareSave), "{effects:?}");
    assert!(s.model.notice.as_ref().unwrap().text.contains("nothing is saved here"));
}

#[test]
fn a_hand_edited_document_offers_keep_overwrite_or_cancel() {
    let mut s = Session::d04();
    s.typ("Ledgerline");
    update(&mut s.model, ctrl_s());
    let saved = "# Ledgerline\n\n## Decisions\n\nNone yet.\n";
    let edited = "# Ledgerline\n\n## Decisions\n\nNone yet.\nUse Postgres.\n";
    let found = on_disk(Some(saved), DiskState::EditedOutside { since: Some(1) }, Some(edited));
    update(&mut s.model, Msg::SavePlan(Ok(found.clone())));
    assert_eq!(s.model.context(), Context::HandEdit);
    let shown = overlay_documents(&s.model);
    assert!(
        shown.starts_with(&format!(
            "! {D04_DOC}\n  was edited outside spec-interview since revision 1\n"
        )),
        "{shown}"
    );
    assert!(shown.contains("    ~ Decisions  +1 -0  edited"), "{shown}");
    assert!(shown.contains("│ +Use Postgres."), "{shown}");
    assert!(shown.contains("k  keep your edit as revision 2"), "{shown}");
    assert!(shown.contains("o  overwrite"), "{shown}");
    assert!(
        press(&mut s.model, KeyCode::Enter).is_empty(),
        "Enter never overwrites a hand edit"
    );
    assert!(s.model.overlay.is_some());
    assert_eq!(press(&mut s.model, KeyCode::Char('k')), vec![Effect::KeepHandEdits]);
    assert!(s.model.overlay.is_none());

    update(&mut s.model, Msg::SavePlan(Ok(found.clone())));
    assert_eq!(
        press(&mut s.model, KeyCode::Char('O')),
        vec![Effect::SaveDocuments { overwrite: true }]
    );

    update(&mut s.model, Msg::SavePlan(Ok(found)));
    assert!(press(&mut s.model, KeyCode::Esc).is_empty());
    assert!(s.model.overlay.is_none());
}

#[test]
fn a_long_summary_scrolls_and_stops_at_its_end() {
    let mut s = Session::d04();
    s.typ("Ledgerline");
    update(&mut s.model, ctrl_s());
    update(&mut s.model, Msg::SavePlan(Ok(on_disk(None, DiskState::Missing, None))));
    let screen = s.screen(80, 24);
    assert!(screen.contains("PgDn scroll"), "{screen}");
    for _ in 0..200 {
        press(&mut s.model, KeyCode::PageDown);
    }
    let Some(Overlay::Save { plan, scroll }) = &s.model.overlay else {
        panic!()
    };
    let (rows, bottom, len) = (s.model.save_rows.get(), *scroll, plan.lines().len());
    assert!(rows > 10, "most of 80×24 is the summary: {rows} rows");
    assert_eq!(
        usize::from(bottom + rows),
        len,
        "the last page is full, not past the end"
    );
    press(&mut s.model, KeyCode::Up);
    let Some(Overlay::Save { scroll, .. }) = &s.model.overlay else {
        panic!()
    };
    assert_eq!(*scroll, bottom - 1, "one line up moves at once");
    assert!(s.screen(80, 24).contains(&format!("of {len}")));
}

#[test]
fn keep_records_the_hand_edit_and_overwrite_keeps_it_before_writing_over_it() {
    let mut s = Session::d04();
    s.typ("Ledgerline").ctrl('s');
    assert!(matches!(s.model.overlay, Some(Overlay::Save { .. })));
    s.key(KeyCode::Enter);
    let doc_path = s.dir.path().join(D04_DOC);
    let saved = std::fs::read_to_string(&doc_path).unwrap();
    assert_eq!(saved, s.document(), "the saved document matches the preview");
    assert!(s.model.notice.as_ref().unwrap().text.contains("as revision 1"));
    let history = History::open(&Project::new(s.dir.path()), D04_DOC);

    // A hand edit, then more answers: Ctrl-S shows the edit and writes nothing.
    let edited = format!("{saved}\nA hand edit.\n");
    std::fs::write(&doc_path, &edited).unwrap();
    s.tab().typ("REST\n").ctrl('s');
    assert_eq!(s.model.context(), Context::HandEdit);
    assert!(s.screen(80, 24).contains("was edited outside"), "{}", s.screen(80, 24));
    s.key(KeyCode::Esc);
    assert_eq!(history.revisions().unwrap().len(), 1, "Esc records nothing");
    assert_eq!(std::fs::read_to_string(&doc_path).unwrap(), edited);

    // K: the file on disk becomes revision 2, and stays as it is.
    s.ctrl('s').key(KeyCode::Char('k'));
    assert_eq!(history.content(2).unwrap(), edited);
    assert_eq!(std::fs::read_to_string(&doc_path).unwrap(), edited, "left untouched");
    assert_eq!(
        s.model.notice.as_ref().unwrap().text,
        format!("Kept your edit of {D04_DOC} as revision 2; Ctrl-S again saves the interview's version on top of it.")
    );
    assert_eq!(s.model.saved_text[D04_DOC], edited, "the changes pane compares with it");
    // The next Ctrl-S sees the disk equal to the latest revision: the normal summary.
    s.ctrl('s');
    assert_eq!(s.model.context(), Context::SaveSummary);
    assert!(overlay_documents(&s.model).starts_with(&format!("{D04_DOC} — will be revision 3")));
    s.key(KeyCode::Esc);

    // O: a second hand edit is recorded as revision 3, the interview's version as revision 4.
    let again = format!("{edited}Another.\n");
    std::fs::write(&doc_path, &again).unwrap();
    s.ctrl('s').key(KeyCode::Char('o'));
    assert_eq!(history.content(3).unwrap(), again);
    let now = std::fs::read_to_string(&doc_path).unwrap();
    assert_eq!(history.content(4).unwrap(), now);
    assert!(!now.contains("A hand edit.") && now.contains("REST"));
    let notice = &s.model.notice.as_ref().unwrap().text;
    assert!(
        notice.contains("Kept your edit of")
            && notice.contains("as revision 3, then saved the interview's version as revision 4"),
        "{notice}"
    );
    // Saved and unchanged since: nothing to save, no overlay.
    s.ctrl('s');
    assert!(s.model.overlay.is_none());
    assert!(s.model.notice.as_ref().unwrap().text.starts_with("Nothing to save"));
    // F2 shows the changes against the latest revision.
    s.typ("Go\n").key(KeyCode::F(2));
    assert_eq!(s.model.right_pane, RightPane::Changes);
    assert!(
        s.screen(160, 48).contains("**Runtime and framework (from D02):** Go"),
        "{}",
        s.screen(160, 48)
    );
}

#[test]
fn a_restart_reads_the_latest_revision_for_the_summary() {
    let mut s = Session::d04();
    s.typ("Ledgerline").ctrl('s').key(KeyCode::Enter);
    let s = s.restart();
    assert_eq!(s.model.saved_text[D04_DOC], s.document());
    assert_eq!(s.model.revisions[D04_DOC].number, 1);
}

#[test]
fn two_documents_are_summed_up_each() {
    let (path, text) = spec_interview::core::questionnaire::BUILTIN[2];
    let q = parse(Path::new(path), text).unwrap();
    // Opened for one feature, as the start screen does: its keys are answered.
    let q = Arc::new(spec_interview::core::instance::resolved(&q, "crm--bulk-import").unwrap());
    let mut s = Session::new(&q);
    s.tab().tab().typ("Ledgerline").ctrl('s');
    let shown = overlay_documents(&s.model);
    assert_eq!(shown.matches("— first revision").count(), 2, "{shown}");
    s.key(KeyCode::Enter);
    s.ctrl('s');
    assert!(s.model.overlay.is_none());
    assert_eq!(
        s.model
            .notice
            .as_ref()
            .unwrap()
            .text
            .matches("unchanged since revision 1")
            .count(),
        2
    );
}

#[test]
fn a_restart_resumes_where_the_user_was() {
    let mut s = Session::d04();
    s.typ("Ledgerline\n").typ("graph");
    s.ctrl('q');
    let s = s.restart();
    assert_eq!(s.model.focus, "api_style");
    assert_eq!(s.answer("project_name"), Some(&Answer::Text("Ledgerline".into())));
    assert!(
        s.model
            .notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("Resumed session from")
    );
}

#[test]
fn search_sections_and_findings_jump_to_questions() {
    let mut s = Session::d04();
    s.ctrl('f').typ("pagin").key(KeyCode::Enter);
    assert_eq!(s.model.focus, "pagination");
    s.ctrl('l');
    assert!(matches!(s.model.overlay, Some(Overlay::Picker { .. })));
    s.key(KeyCode::Enter);
    assert!(s.model.overlay.is_none());
    assert_ne!(s.model.focus, "pagination", "the first finding is elsewhere");
    s.ctrl('o').key(KeyCode::Esc);
    assert!(s.model.overlay.is_none(), "Esc closes overlays");
}

/// The targets the open picker offers, best first.
fn picker_targets(s: &Session) -> Vec<String> {
    match &s.model.overlay {
        Some(Overlay::Picker { items, .. }) => items.iter().map(|i| i.target.clone()).collect(),
        other => panic!("no picker open: {other:?}"),
    }
}

#[test]
fn every_picker_narrows_to_what_was_typed_and_enter_opens_the_best_match() {
    let mut s = Session::d04();
    let all = {
        s.ctrl('g');
        let n = picker_targets(&s).len();
        s.key(KeyCode::Esc);
        n
    };
    // Sections: the list narrows, the best is first, Enter opens it (not the first row).
    s.ctrl('g').typ("authz");
    let found = picker_targets(&s);
    assert!(found.len() < all && !found.is_empty(), "{found:?}");
    s.key(KeyCode::Enter);
    assert_eq!(
        s.model.questionnaire().section_of(&s.model.focus).unwrap().title,
        "Authorization"
    );
    // Outline: fuzzy on the label.
    s.ctrl('o').typ("pgsize");
    assert_eq!(picker_targets(&s)[0], "page_size");
    s.key(KeyCode::Backspace)
        .key(KeyCode::Backspace)
        .key(KeyCode::Backspace);
    s.key(KeyCode::Backspace)
        .key(KeyCode::Backspace)
        .key(KeyCode::Backspace);
    s.typ("deprecation").key(KeyCode::Enter);
    assert_eq!(s.model.focus, "deprecation_policy");
    // Findings: by the words of the message or the question.
    s.ctrl('l');
    let every = picker_targets(&s);
    s.typ("error envelope");
    let found = picker_targets(&s);
    assert!(!found.is_empty() && found.len() < every.len(), "{found:?} of {every:?}");
    assert!(found.iter().all(|t| t == "error_envelope"), "{found:?}");
    s.typ("zzzz");
    assert!(picker_targets(&s).is_empty());
    assert!(s.screen(80, 24).contains("Nothing matches"));
    s.key(KeyCode::Enter);
    assert!(s.model.overlay.is_none(), "Enter on no match closes the picker");
    // Search finds answers and help text too, and says where it found them.
    s.ctrl('f').typ("project_name").key(KeyCode::Enter);
    s.typ("Ledgerline").tab();
    s.ctrl('f').typ("ledgerl");
    assert_eq!(picker_targets(&s)[0], "project_name");
    assert!(
        s.screen(160, 48).contains("answer: Ledgerline"),
        "{}",
        s.screen(160, 48)
    );
    s.key(KeyCode::Esc).ctrl('f').typ("outgoing calls");
    assert_eq!(picker_targets(&s), ["request_ids"]);
    snap("search_help", &s);
}

/// The right pane of a screen: the columns right of the question pane.
fn preview_pane(screen: &str, width: u16) -> String {
    let from = if width >= 130 {
        32 + usize::from(width - 32) * 42 / 100
    } else {
        usize::from(width) / 2
    };
    screen
        .lines()
        .map(|l| l.chars().skip(from).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn whatever_is_typed_shows_in_the_preview_in_every_questionnaire_at_both_sizes() {
    use spec_interview::core::questionnaire::QuestionKind;
    for (path, text) in BUILTIN {
        let q = Arc::new(parse(Path::new(path), text).unwrap());
        let mut s = Session::new(&q);
        let ids: Vec<String> = q.questions().map(|x| x.id.clone()).collect();
        let mut checked = 0;
        for id in ids {
            let kind = q.question(&id).unwrap().kind;
            if !matches!(
                kind,
                QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Checklist
            ) {
                continue;
            }
            let effects = spec_interview::tui::update::focus_on(&mut s.model, &id);
            s.run(effects);
            if !s.model.is_visible(&id) {
                continue;
            }
            let token = format!("Zq{checked}xv");
            let effects = update(&mut s.model, Msg::Paste(format!("{token} ")));
            s.run(effects);
            let doc = s.model.shown_rendered().unwrap().text.clone();
            if !doc.contains(&token) {
                continue; // this answer is not written into the document as typed
            }
            for (w, h) in [(80, 24), (160, 48)] {
                let screen = s.screen(w, h);
                assert!(
                    preview_pane(&screen, w).contains(&token),
                    "{}: {id} at {w}x{h}: {token} not in the preview\n{screen}",
                    q.id
                );
            }
            checked += 1;
        }
        assert!(checked > 3, "{}: only {checked} questions checked", q.id);
    }
}

#[test]
fn page_keys_scroll_from_where_the_preview_is_and_typing_brings_it_back() {
    let mut s = Session::d04();
    s.ctrl('f').typ("pagination").key(KeyCode::Enter);
    let first_line = |s: &Session| {
        s.screen(160, 48)
            .lines()
            .nth(1)
            .unwrap()
            .chars()
            .skip(32 + 128 * 42 / 100)
            .collect::<String>()
    };
    let following = first_line(&s);
    s.key(KeyCode::PageUp);
    let up = s.model.preview_scroll.unwrap();
    let view = s.model.preview_view.get();
    assert!(usize::from(up) < view.top + 1 || view.top == 0);
    assert_eq!(
        usize::from(up),
        view.top.saturating_sub(view.height - 2),
        "a page up from where it was"
    );
    let _ = s.screen(160, 48);
    s.key(KeyCode::PageDown).key(KeyCode::PageDown);
    let view_after = s.model.preview_view.get();
    let _ = s.screen(160, 48);
    assert!(usize::from(s.model.preview_scroll.unwrap()) > usize::from(up));
    assert!(view_after.height > 30, "a page is the pane's height, not 10 lines");
    s.ctrl_key(KeyCode::Home);
    assert_eq!(s.model.preview_scroll, Some(0));
    assert!(first_line(&s).contains("backend architecture (D04)"));
    s.ctrl_key(KeyCode::End);
    let _ = s.screen(160, 48);
    let view = s.model.preview_view.get();
    assert_eq!(view.top + view.height, view.lines, "the end");
    s.key(KeyCode::PageDown);
    assert_eq!(
        usize::from(s.model.preview_scroll.unwrap()),
        view.top,
        "no further than the end"
    );
    // Choosing moves on and the preview follows again.
    s.typ("cursor\n");
    assert_eq!(s.model.preview_scroll, None);
    assert_eq!(first_line(&s), following, "back where it followed the answer");
}

#[test]
fn the_preview_shows_the_document_the_question_feeds_and_f3_sticks_until_another_document() {
    let q = BUILTIN
        .iter()
        .find(|(p, _)| p.contains("architecture-workflow"))
        .unwrap();
    let q = Arc::new(parse(Path::new(q.0), q.1).unwrap());
    let mut s = Session::new(&q);
    let first_doc = q.documents[0].path.clone();
    let second_doc = q.documents[1].path.clone();
    let title = |s: &Session| s.screen(160, 48).lines().next().unwrap().to_string();
    let name = |p: &str| p.rsplit('/').next().unwrap().to_string();
    assert!(title(&s).contains(&name(&first_doc)));
    s.key(KeyCode::F(3));
    assert!(title(&s).contains(&name(&second_doc)), "F3 shows the other document");
    s.tab();
    assert!(
        title(&s).contains(&name(&second_doc)),
        "and it sticks while the questions feed the first"
    );
    // A question of the second document, then back to the first: each shows its own.
    let in_second = q
        .sections
        .iter()
        .find(|x| x.document == q.documents[1].id)
        .unwrap()
        .questions[0]
        .id
        .clone();
    let effects = spec_interview::tui::update::focus_on(&mut s.model, &in_second);
    s.run(effects);
    assert!(title(&s).contains(&name(&second_doc)));
    s.ctrl('g').typ(&q.sections[0].title).key(KeyCode::Enter);
    assert!(
        title(&s).contains(&name(&first_doc)),
        "going back shows the first again: {}",
        title(&s)
    );
}

#[test]
fn the_preview_is_right_after_a_resume_and_a_resize() {
    let mut s = Session::d04();
    s.ctrl('f').typ("transaction").key(KeyCode::Enter);
    s.typ("Zqtoken one unit of work per request");
    let _ = s.screen(100, 30);
    s.ctrl('q');
    let s = s.restart();
    for (w, h) in [(100, 30), (80, 24), (160, 48), (120, 40)] {
        let screen = s.screen(w, h);
        assert!(preview_pane(&screen, w).contains("Zqtoken"), "{w}x{h}\n{screen}");
    }
}

/// The text in the focused field.
fn field(s: &Session) -> String {
    s.model.editor.draft_text().unwrap()
}

#[test]
fn text_fields_take_readline_keys_and_undo_redo_do_not_collide_with_them() {
    let mut s = Session::d04();
    s.typ("hello big world");
    s.ctrl('w');
    assert_eq!(field(&s), "hello big ");
    s.ctrl('u');
    assert_eq!(field(&s), "");
    s.ctrl('y');
    assert_eq!(field(&s), "hello big ", "Ctrl-Y puts back what was deleted");
    s.ctrl('a').typ(">");
    assert_eq!(field(&s), ">hello big ");
    s.key(KeyCode::End).typ("end");
    assert_eq!(field(&s), ">hello big end");
    s.alt(KeyCode::Char('b')).alt(KeyCode::Char('b')).typ("+");
    assert_eq!(field(&s), ">hello +big end");
    s.alt(KeyCode::Char('f')).alt(KeyCode::Char('d'));
    assert_eq!(field(&s), ">hello +big ");
    s.key(KeyCode::Home).key(KeyCode::Right).typ("|");
    assert_eq!(field(&s), ">|hello +big ");
    // Undo is Ctrl-_ (terminals send it as Ctrl-7), redo Alt-_.
    s.send(KeyEvent::new(KeyCode::Char('7'), KeyModifiers::CONTROL));
    assert_eq!(field(&s), ">hello +big ");
    s.send(KeyEvent::new(KeyCode::Char('_'), KeyModifiers::CONTROL));
    assert_eq!(field(&s), ">hello +big end");
    s.alt(KeyCode::Char('_'));
    assert_eq!(field(&s), ">hello +big ");
    // The key table names them, F1 lists them, and Ctrl-R or Ctrl-J do nothing hidden.
    s.ctrl('r').ctrl('j');
    assert_eq!(field(&s), ">hello +big ");
    let help = spec_interview::tui::ui::overlay::help_lines();
    for wanted in [
        "delete to the start of the line",
        "undo",
        "redo",
        "end of the line (Ctrl-E opens $EDITOR)",
    ] {
        assert!(help.iter().any(|(_, h)| h == wanted), "{wanted}");
    }
    // The filter of a choice and of a picker take Ctrl-U and Ctrl-W too.
    s.tab().typ("graph ql");
    s.ctrl('w');
    let Editor::Choice(c) = &s.model.editor else { panic!() };
    assert_eq!(c.filter, "graph ");
    s.ctrl('u');
    let Editor::Choice(c) = &s.model.editor else { panic!() };
    assert_eq!(c.filter, "");
    s.ctrl('f').typ("error codes").ctrl('w');
    assert!(matches!(&s.model.overlay, Some(Overlay::Picker { query, .. }) if query == "error "));
    s.ctrl('u');
    assert!(matches!(&s.model.overlay, Some(Overlay::Picker { query, .. }) if query.is_empty()));
}

#[test]
fn esc_stops_editing_keeps_the_text_and_the_focus() {
    let mut s = Session::d04();
    s.typ("Ledgerline").key(KeyCode::Esc);
    assert_eq!(s.model.focus, "project_name", "the focus stays");
    assert_eq!(s.answer("project_name"), Some(&Answer::Text("Ledgerline".into())));
    assert_eq!(s.model.context(), Context::FieldAtRest);
    assert!(s.screen(80, 24).contains("not editing"));
    snap("field_at_rest", &s);
    s.key(KeyCode::Left); // keys do not edit while at rest
    s.typ("!");
    assert_eq!(field(&s), "Ledgerline!", "typing edits again, where the cursor was");
    assert_eq!(s.model.context(), Context::Text);
    s.key(KeyCode::Esc).key(KeyCode::Enter).typ("?");
    assert_eq!(field(&s), "Ledgerline!?", "Enter edits again");
    // A number that is not one yet is kept as a draft.
    let q = Arc::new(parse(Path::new("kinds.toml"), KINDS).unwrap());
    let mut s = Session::new(&q);
    s.tab().typ("lots").key(KeyCode::Esc);
    assert_eq!(s.model.focus, "count");
    assert_eq!(s.model.drafts.get("count").map(String::as_str), Some("lots"));
}

#[test]
fn a_scrolled_single_line_field_marks_the_hidden_text_at_its_left_edge() {
    let mut s = Session::d04();
    assert!(!s.screen(80, 24).lines().any(|l| l.contains('‹')));
    s.typ("A project name long enough that it cannot fit the field at eighty columns wide");
    let screen = s.screen(80, 24);
    assert!(
        screen.lines().any(|l| l.starts_with("││‹") || l.starts_with("│‹")),
        "{screen}"
    );
    snap("long_field", &s);
}

#[test]
fn the_external_editor_gets_a_final_newline_and_one_is_dropped_on_return() {
    let mut s = Session::d04();
    s.typ("Ledgerline");
    let effects = update(
        &mut s.model,
        Msg::Key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL)),
    );
    assert!(
        matches!(&effects[..], [Effect::EditExternally { text, .. }] if text == "Ledgerline\n"),
        "{effects:?}"
    );
    s.ctrl('f').typ("api conventions").key(KeyCode::Enter);
    assert_eq!(s.model.focus, "api_conventions");
    s.editor_text = "Plural nouns.\nedited by editor\n".into();
    s.ctrl('e');
    assert_eq!(
        s.answer("api_conventions"),
        Some(&Answer::Text("Plural nouns.\nedited by editor".into())),
        "a line the editor appends stays a line of its own"
    );
}

#[test]
fn the_footer_keeps_f1_and_ctrl_q_and_the_status_line_drops_whole_parts() {
    let mut s = Session::d04();
    let footer = |s: &Session| s.screen(80, 24).lines().last().unwrap().to_string();
    let status = |s: &Session| s.screen(80, 24).lines().nth(22).unwrap().to_string();
    for step in 0..12 {
        let line = footer(&s);
        assert!(
            line.contains("F1 help") && line.contains("Ctrl-Q quit"),
            "step {step}: {line}"
        );
        let st = status(&s);
        assert!(!st.contains('…') || st.contains("typing…"), "step {step}: {st}");
        s.tab();
    }
    for open in ['f', 'g', 'l', 'o'] {
        s.ctrl(open);
        assert!(footer(&s).contains("Ctrl-Q quit"), "{}", footer(&s));
        s.key(KeyCode::Esc);
    }
}

#[test]
fn notices_go_once_read_and_a_long_one_wraps_instead_of_being_cut() {
    use std::time::{Duration, Instant};
    let mut s = Session::d04();
    s.model.notify(
        spec_interview::tui::model::Level::Info,
        "A notice long enough that at eighty columns it cannot share the status line with the counts.",
    );
    let screen = s.screen(80, 24);
    assert!(screen.contains("cannot share the status line"), "{screen}");
    assert!(screen.contains("with the counts."), "wrapped, not cut:\n{screen}");
    let since = s.model.notice.as_ref().unwrap().since;
    update(&mut s.model, Msg::Tick(since + Duration::from_secs(2)));
    assert!(s.model.notice.is_some(), "still being read");
    update(&mut s.model, Msg::Tick(Instant::now() + Duration::from_secs(60)));
    assert!(s.model.notice.is_none(), "a stale notice no longer hides the counts");
    assert!(s.screen(80, 24).contains("required open"));
}

#[test]
fn keys_behind_the_enlarge_screen_are_ignored_and_say_so() {
    let mut s = Session::d04();
    update(&mut s.model, Msg::Resize(50, 12));
    s.typ("Ledgerline").ctrl('s').tab();
    assert_eq!(s.model.focus, "project_name");
    assert_eq!(s.model.answers.get("project_name"), None);
    assert!(s.model.overlay.is_none());
    let screen = s.screen(50, 12);
    assert!(screen.contains("Enlarge") && screen.contains("Keys wait"), "{screen}");
    assert!(s.model.notice.as_ref().unwrap().text.contains("too small"));
    update(&mut s.model, Msg::Paste("pasted".into()));
    assert_eq!(field(&s), "", "a paste waits too");
    update(&mut s.model, Msg::Resize(80, 24));
    s.typ("Ledgerline");
    assert_eq!(field(&s), "Ledgerline");
    update(&mut s.model, Msg::Resize(50, 12));
    let effects = update(
        &mut s.model,
        Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL)),
    );
    assert!(effects.contains(&Effect::Quit), "Ctrl-Q still quits");
}

#[test]
fn read_only_does_not_offer_saving() {
    let mut s = Session::d04();
    s.model.read_only = true;
    let screen = s.screen(160, 48);
    let footer = screen.lines().last().unwrap();
    assert!(!footer.contains("Ctrl-S"), "{footer}");
    s.key(KeyCode::F(1));
    let help = s.screen(160, 48);
    assert!(!help.contains("save the document as a new revision"), "{help}");
    assert!(help.contains("saving is not offered"), "{help}");
}

#[test]
fn long_help_is_never_cut_it_scrolls() {
    let mut s = Session::d04();
    let (id, help) = s
        .model
        .questionnaire()
        .questions()
        .filter_map(|q| q.help.clone().map(|h| (q.id.clone(), h)))
        .max_by_key(|(_, h)| h.len())
        .unwrap();
    let effects = spec_interview::tui::update::focus_on(&mut s.model, &id);
    s.run(effects);
    let last_word = help.split_whitespace().last().unwrap().to_string();
    let screen = s.screen(80, 24);
    assert!(!screen.contains(" …"), "{screen}");
    if !screen.contains(&last_word) {
        assert!(screen.contains("▼ Alt-PgDn: more help"), "{screen}");
        for _ in 0..40 {
            s.send(KeyEvent::new(KeyCode::PageDown, KeyModifiers::ALT));
        }
        let screen = s.screen(80, 24);
        assert!(screen.contains(&last_word), "{last_word}: {screen}");
        snap("help_scrolled", &s);
    }
}

#[test]
fn the_last_question_leads_to_the_finish_line() {
    for (path, text) in BUILTIN {
        let q = Arc::new(parse(Path::new(path), text).unwrap());
        let mut s = Session::new(&q);
        let last = s.model.visible_questions().last().unwrap().id.clone();
        let effects = spec_interview::tui::update::focus_on(&mut s.model, &last);
        s.run(effects);
        s.tab();
        assert!(
            matches!(s.model.overlay, Some(Overlay::Finish { .. })),
            "{}: {:?}",
            q.id,
            s.model.overlay
        );
        assert_eq!(s.model.focus, last, "no silent wrap to the first question");
        let screen = s.screen(160, 48);
        assert!(screen.contains("The end of the questionnaire"), "{screen}");
        // The same figures as the documents' coverage table.
        let rows = spec_interview::core::coverage::coverage(&q, &s.model.derived.states);
        let sum = spec_interview::core::coverage::total(&rows);
        assert!(
            screen.contains(&format!("{} ({}!)", sum.open, sum.required_open)),
            "{}: {screen}",
            q.id
        );
        for r in &rows {
            assert!(
                screen.contains(&r.title[..r.title.len().min(20)]),
                "{}: {}",
                q.id,
                r.title
            );
        }
        assert!(screen.contains("keep going") && screen.contains("save the documents now"));
        s.key(KeyCode::Esc);
        assert!(s.model.overlay.is_none());
        assert_eq!(s.model.focus, last, "keep going stays on the last question");
    }
    let mut s = Session::d04();
    let last = s.model.visible_questions().last().unwrap().id.clone();
    let effects = spec_interview::tui::update::focus_on(&mut s.model, &last);
    s.run(effects);
    s.tab();
    snap("finish", &s);
    s.key(KeyCode::Char('o'));
    assert_eq!(s.model.focus, "project_name", "the first required question still open");
    s.typ("Ledgerline");
    let effects = spec_interview::tui::update::focus_on(&mut s.model, &last);
    s.run(effects);
    s.tab().key(KeyCode::Char('s'));
    assert!(
        matches!(s.model.overlay, Some(Overlay::Save { .. })),
        "s saves (shows the summary)"
    );
    let summary = overlay_text(&s.model);
    assert!(summary.contains("20 required answers are still open"), "{summary}");
}

#[test]
fn cells_that_name_something_offer_the_values_as_a_picker() {
    let q = BUILTIN
        .iter()
        .find(|(p, _)| p.contains("architecture-workflow"))
        .unwrap();
    let q = Arc::new(parse(Path::new(q.0), q.1).unwrap());
    let mut s = Session::new(&q);
    let effects = spec_interview::tui::update::focus_on(&mut s.model, "components");
    s.run(effects);
    // Layer is one of four values: typing narrows them, Enter takes the match.
    s.ctrl('n').typ("API Gateway\n").typ("app");
    let screen = s.screen(160, 48);
    assert!(screen.contains("Enter takes the value"), "{screen}");
    s.key(KeyCode::Enter).key(KeyCode::Esc);
    s.ctrl('n').typ("Postgres\n").key(KeyCode::Down).key(KeyCode::Down);
    s.key(KeyCode::Enter).key(KeyCode::Esc);
    s.ctrl('n').typ("Billing\n").typ("elsewhere\n").key(KeyCode::Esc);
    s.tab();
    let Some(Answer::Table(rows)) = s.answer("components") else {
        panic!("{:?}", s.answer("components"))
    };
    let layers: Vec<&str> = rows.iter().map(|r| r["layer"].as_str()).collect();
    assert_eq!(
        layers,
        ["application", "data", "elsewhere"],
        "free text no value contains is kept"
    );
    // From and To name a component.
    assert_eq!(s.model.focus, "interactions");
    s.ctrl('n').typ("gate");
    snap("reference_picker", &s);
    s.key(KeyCode::Enter)
        .key(KeyCode::Down)
        .key(KeyCode::Enter)
        .typ("SQL\n")
        .key(KeyCode::Esc);
    s.tab();
    let Some(Answer::Table(rows)) = s.answer("interactions") else {
        panic!()
    };
    assert_eq!(
        (rows[0]["from"].as_str(), rows[0]["to"].as_str()),
        ("API Gateway", "Postgres")
    );
    // The value naming nothing is a finding.
    assert!(
        s.model
            .derived
            .findings
            .iter()
            .any(|f| f.question.as_deref() == Some("components") && f.message.contains("elsewhere")),
        "{:?}",
        s.model.derived.findings
    );
}

#[test]
fn the_endpoint_inventory_reads_cleanly_at_both_sizes() {
    let (s, text, _) = Session::backend_design_at_endpoints();
    // Every word the screen shows is a whole word of the answers or the questionnaire.
    let source = format!(
        "{text}\n{}",
        BUILTIN.iter().find(|(p, _)| p.contains("backend-design")).unwrap().1
    );
    let words: std::collections::HashSet<String> = source
        .split(|c: char| c.is_whitespace() || "\",{}[]=|".contains(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = s.screen(w, h);
        for word in ["Purpose", "Errors"] {
            assert!(screen.contains(word), "{w}x{h}: {word} broken\n{screen}");
        }
        let pane = preview_pane(&screen, w);
        for line in pane.lines().skip(1).take(usize::from(h) - 4) {
            for piece in line.split(['│', '┌', '┐', '└', '┘']) {
                for token in piece.split_whitespace() {
                    let token = token.trim_end_matches([':', ',', '.', ';', '…']);
                    if token.len() > 5 && token.chars().all(|c| c.is_ascii_alphabetic()) {
                        assert!(
                            words.iter().any(|wd| wd.contains(token)) || !token.is_ascii(),
                            "{w}x{h}: {token:?} is not a word of the answers\n{screen}"
                        );
                    }
                }
            }
        }
    }
    snap("endpoint_inventory", &s);
}

#[test]
fn the_external_editor_replaces_the_answer() {
    let mut s = Session::d04();
    s.editor_text = "Edited elsewhere\n".into();
    s.ctrl('e');
    assert_eq!(s.answer("project_name"), Some(&Answer::Text("Edited elsewhere".into())));
    s.tab();
    s.editor_text = "graphql\n".into();
    s.ctrl('e');
    assert_eq!(
        s.answer("api_style"),
        Some(&Answer::Text("GraphQL".into())),
        "options match ignoring case"
    );
    // A table comes back in column order; `\|` is a literal bar; comments are skipped.
    s.ctrl('f').typ("roles exist").key(KeyCode::Enter);
    assert_eq!(s.model.focus, "roles");
    s.editor_text = "# Role | May do\nadmin | read \\| write\n | orphan cell\n".into();
    s.ctrl('e');
    let Some(Answer::Table(rows)) = s.answer("roles") else {
        panic!("{:?}", s.answer("roles"))
    };
    assert_eq!(
        (rows[0]["role"].as_str(), rows[0]["permissions"].as_str()),
        ("admin", "read | write")
    );
    assert_eq!(rows[1].get("role"), None);
    assert_eq!(rows[1]["permissions"], "orphan cell");
}

#[test]
fn help_lists_every_binding_from_the_keymap() {
    let mut s = Session::d04();
    s.key(KeyCode::F(1));
    let screen = s.screen(160, 48);
    assert!(
        screen.contains("Ctrl-S") && screen.contains("save the document as a new revision"),
        "{screen}"
    );
    let lines = spec_interview::tui::ui::overlay::help_lines();
    for b in spec_interview::tui::keymap::BINDINGS
        .iter()
        .filter(|b| !b.context.is_review())
    {
        assert!(
            lines.iter().any(|(_, help)| help == b.help),
            "{} is missing from help",
            b.help
        );
    }
}

#[test]
fn tiny_terminals_get_a_notice_never_a_panic() {
    let s = Session::d04();
    for (w, h) in [(1, 1), (2, 1), (20, 5), (59, 30), (120, 15)] {
        let screen = s.screen(w, h);
        if w >= 20 && h >= 4 {
            assert!(screen.contains("Enlarge"), "{w}×{h}: {screen}");
        }
    }
    assert!(!s.screen(60, 16).contains("Enlarge"));
}

/// Records a decision on revision `revision` of the D04 document, as the reviewer would.
fn decide(dir: &Path, revision: u32, verdict: Verdict, reviewer: &str, notes: usize) {
    let history = History::open(&Project::new(dir), D04_DOC);
    let note = Note {
        id: String::new(),
        anchor: Anchor {
            path: vec!["Overview".into()],
            quote: "Ledgerline".into(),
            offset: None,
            after: String::new(),
        },
        on: None,
        author: String::new(),
        text: "Say who uses it.".into(),
    };
    history
        .record_decision(&ReviewDecision {
            revision,
            verdict,
            reviewer: reviewer.into(),
            time: "2026-02-03T04:05:06Z".into(),
            notes: vec![note; notes],
        })
        .unwrap();
}

/// The status line without the notice and the session's save time, which would otherwise take
/// its room.
fn status_line(s: &mut Session, width: u16, height: u16) -> String {
    s.model.notice = None;
    s.model.session_written = None;
    s.screen(width, height)
        .lines()
        .nth(usize::from(height) - 2)
        .unwrap()
        .to_string()
}

#[test]
fn the_status_line_shows_the_review_state_of_the_shown_document() {
    let mut s = Session::d04();
    assert!(s.model.review.is_empty());
    assert!(
        status_line(&mut s, 160, 48).ends_with(" · not saved yet"),
        "{}",
        s.screen(160, 48)
    );
    s.typ("Ledgerline").ctrl('s').key(KeyCode::Enter);
    // Refreshed after the save, without a restart.
    assert_eq!(s.model.review[D04_DOC].state, ReviewState::Unreviewed);
    assert!(status_line(&mut s, 160, 48).ends_with(" · r1 · not reviewed"));

    // A reviewer's name is untrusted text: its escape sequence must not reach the screen.
    decide(s.dir.path(), 1, Verdict::ChangesRequested, "Ada\u{1b}[31m", 1);
    let mut s = s.restart();
    let status = &s.model.review[D04_DOC];
    assert_eq!((status.revision, status.limit_reached), (1, false));
    assert!(matches!(status.state, ReviewState::ChangesRequested { notes: 1, .. }));
    let line = status_line(&mut s, 160, 48);
    assert!(
        line.ends_with(" · r1 · changes requested by Ada␛[31m (1 note)"),
        "{line}"
    );
    assert!(!s.screen(160, 48).contains('\u{1b}'));
    // At 80 columns whole parts give way, least useful first (the questionnaire's id, then the
    // review state's longer forms), and nothing is cut mid-word.
    s.model.kept.insert("old_question".into(), toml::Value::from("kept"));
    let narrow = status_line(&mut s, 80, 24);
    assert_eq!(
        narrow,
        " 1/39 answered · 10 assumed · 20 required open · 1 kept aside (Ctrl-K) · r1"
    );
    s.model.kept.clear();
    let narrow = status_line(&mut s, 80, 24);
    assert!(narrow.ends_with("required open · r1 · changes requested"), "{narrow}");
    assert!(!narrow.contains('…'));
    snap("review_state", &s);

    // The third request for changes in the cycle reaches the review gate's limit, and a new
    // revision does not start a new cycle.
    decide(s.dir.path(), 1, Verdict::ChangesRequested, "Ada", 0);
    decide(s.dir.path(), 1, Verdict::ChangesRequested, "Ada", 2);
    let mut s = s.restart();
    assert!(s.model.review[D04_DOC].limit_reached);
    let line = status_line(&mut s, 160, 48);
    assert!(
        line.ends_with(" · r1 · changes requested by Ada (2 notes) · revision limit reached"),
        "{line}"
    );
    s.key(KeyCode::Tab).typ("gr\n").ctrl('s').key(KeyCode::Enter);
    assert_eq!(s.model.review[D04_DOC].revision, 2);
    let line = status_line(&mut s, 160, 48);
    assert!(
        line.ends_with(" · r2 · not reviewed · revision limit reached"),
        "{line}"
    );

    // An approval ends the cycle.
    decide(s.dir.path(), 2, Verdict::Approved, "Ada", 0);
    let mut s = s.restart();
    assert!(!s.model.review[D04_DOC].limit_reached);
    assert!(status_line(&mut s, 160, 48).ends_with(" · r2 · approved by Ada"));
}

#[test]
fn screens() {
    let mut s = Session::d04();
    snap("start", &s);
    s.typ("Ledgerline\n").typ("gr");
    snap("choice_filtered", &s);
    s.key(KeyCode::Esc)
        .typ("rest\n")
        .typ("Go 1.23\n")
        .typ("PostgreSQL 16\n");
    s.typ("jwt").key(KeyCode::Char(' ')).key(KeyCode::Esc);
    snap("multi_choice", &s);
    s.key(KeyCode::Enter).typ("rbac\n").ctrl('n').typ("admin\n");
    snap("table_editing", &s);
    s.key(KeyCode::Esc).key(KeyCode::F(1));
    snap("help", &s);
    s.key(KeyCode::Esc).ctrl('f').typ("error");
    snap("search", &s);
    s.key(KeyCode::Esc).ctrl('l');
    snap("findings", &s);
    s.key(KeyCode::Esc);
    s.model.session_written = None;
    s.ctrl('s');
    snap("save_summary", &s);
    s.key(KeyCode::Enter)
        .tab()
        .typ("gdpr")
        .key(KeyCode::Char(' '))
        .key(KeyCode::F(2));
    snap("changes", &s);
    // A hand edit of the saved document: the same overlay offers keep, overwrite or cancel.
    s.key(KeyCode::F(2));
    let doc_path = s.dir.path().join(D04_DOC);
    let saved = std::fs::read_to_string(&doc_path).unwrap();
    let edited = saved.replacen(
        "## ",
        "## Note from the review\n\nCheck the retention period.\n\n## ",
        1,
    );
    std::fs::write(&doc_path, edited).unwrap();
    s.ctrl('s');
    snap("save_hand_edit", &s);
}

/// A default is labelled in the document until the user moves through its question with Tab,
/// Shift-Tab or Enter; landing on it, or jumping away from it, confirms nothing.
#[test]
fn a_default_is_confirmed_only_by_moving_through_its_question() {
    let src = KINDS
        .replace("prompt = \"Flag?\"", "prompt = \"Flag?\"\ndefault = true")
        .replace("prompt = \"Count?\"", "prompt = \"Count?\"\ndefault = 3");
    let q = Arc::new(parse(Path::new("kinds.toml"), &src).unwrap());
    let mut s = Session::new(&q);
    assert_eq!(s.model.focus, "flag");
    assert!(
        s.document().contains("## Flag\nYes *(default, not yet confirmed)*"),
        "{}",
        s.document()
    );
    // Jumping away with search commits nothing: the default is still only a default.
    s.ctrl('f').typ("Count").key(KeyCode::Enter);
    assert_eq!(s.model.focus, "count");
    assert_eq!(s.answer("flag"), None);
    assert!(s.document().contains("Yes *(default, not yet confirmed)*"));
    // Shift-Tab moves through "count": its default is now the answer, written in the session.
    s.back();
    assert_eq!(s.model.focus, "flag");
    assert_eq!(s.answer("count"), Some(&Answer::Integer(3)));
    assert!(s.document().contains("## Count\n3\n"), "{}", s.document());
    // Tab on "flag" confirms it too.
    s.tab();
    assert_eq!(s.answer("flag"), Some(&Answer::Bool(true)));
    assert!(s.document().contains("## Flag\nYes\n"), "{}", s.document());
    assert!(s.session_text().contains("flag = true"), "{}", s.session_text());
}

/// Ctrl-T on a list answers "none": an answer, unlike leaving the list empty.
#[test]
fn none_is_answered_with_ctrl_t_and_taken_back_the_same_way() {
    let q = Arc::new(parse(Path::new("kinds.toml"), KINDS).unwrap());
    let mut s = Session::new(&q);
    s.ctrl('f').typ("Items").key(KeyCode::Enter);
    assert_eq!(s.model.focus, "items");
    assert!(s.document().contains("## Items\n*Open:* Items?"), "{}", s.document());
    s.ctrl('t');
    assert!(s.document().contains("## Items\nNone."), "{}", s.document());
    s.tab();
    assert_eq!(s.answer("items"), Some(&Answer::List(Vec::new())));
    assert!(s.session_text().contains("items = []"), "{}", s.session_text());
    // Items is the last question: Tab led to the finish line; Esc keeps going on it.
    s.key(KeyCode::Esc);
    assert!(s.model.overlay.is_none());
    assert_eq!(s.model.focus, "items");
    // Ctrl-T takes "none" back: the question is open again.
    s.ctrl('t');
    s.tab().key(KeyCode::Esc);
    assert_eq!(s.answer("items"), None);
    // Typing an item ends "none" by itself.
    s.ctrl('t').typ("first").key(KeyCode::Enter).tab();
    assert_eq!(s.answer("items"), Some(&Answer::List(vec!["first".into()])));
}

#[test]
fn f3_shows_the_openapi_file_as_yaml_and_an_edited_endpoint_changes_it() {
    let (mut s, _, complete) = Session::backend_design_at_endpoints();
    // Leaving the first question committed its empty field: the name comes back.
    s.model
        .answers
        .insert("project_name".into(), complete["project_name"].clone());
    let effects = spec_interview::tui::update::focus_on(&mut s.model, "endpoints");
    s.run(effects);
    s.key(KeyCode::F(3));
    let screen = s.screen(160, 48);
    let title = screen.lines().next().unwrap();
    assert!(title.contains("04-backend-design-openapi.yaml"), "{screen}");
    // Shown as written: keys and indentation, not run through the Markdown renderer.
    assert!(screen.contains("openapi: 3.1.0"), "{screen}");
    assert!(screen.contains("  title: Bookwell"), "{screen}");
    // An endpoint's purpose changes: the spec's summary changes with it.
    let effects = spec_interview::tui::update::focus_on(&mut s.model, "scope_fits");
    s.run(effects);
    let Some(Answer::Table(rows)) = s.model.answers.get_mut("endpoints") else {
        panic!()
    };
    rows[0].insert("purpose".into(), "The clinic's public booking profile".into());
    let effects = spec_interview::tui::update::focus_on(&mut s.model, "endpoints");
    s.run(effects);
    let spec = s.model.shown_rendered().unwrap();
    assert_eq!(spec.kind, spec_interview::core::questionnaire::DocumentKind::Yaml);
    assert!(
        spec.text.contains("summary: The clinic's public booking profile"),
        "{}",
        spec.text
    );
    snap("openapi_preview", &s);
}

/// A notice that leaves no room for the counts leaves no separator dangling after it, and a
/// choice's hint is shortened by whole words, never cut mid-word.
#[test]
fn narrow_lines_drop_whole_parts_and_hints_shorten_by_words() {
    use spec_interview::tui::model::Level;
    let mut s = Session::d04();
    s.model.notify(
        Level::Success,
        "Saved .specflow/docs/D04-backend-architecture.md as revision 1.",
    );
    let screen = s.screen(80, 24);
    let status = screen.lines().nth(22).unwrap();
    assert!(status.contains("as revision 1."), "{status}");
    assert!(!status.trim_end().ends_with('·'), "{status}");
    s.typ("Ledgerline").tab();
    assert_eq!(s.model.focus, "api_style");
    let screen = s.screen(80, 24);
    assert!(screen.contains("Type to filter or answer"), "{screen}");
    assert!(!screen.contains("give your own an"), "{screen}");
}

/// A project questionnaire whose template doubles the answer until it meets the string limit:
/// each keystroke's render stops there, the interview shows one finding naming the limit and
/// goes on taking keys; the preview keeps the last text that rendered.
#[test]
fn a_template_bomb_is_a_finding_and_the_interview_goes_on() {
    const BOMB: &str = r#"format = 1
id = "bomb"
version = "1"
title = "Bomb"

[[documents]]
id = "doc"
path = ".specflow/docs/bomb.md"
template = '''
# Bomb
{% if name %}{% set ns = namespace(s=name) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}{% endif %}
'''

[[sections]]
id = "main"
title = "Main"

[[sections.questions]]
id = "name"
kind = "text"
prompt = "Name?"

[[sections.questions]]
id = "other"
kind = "text"
prompt = "Other?"
"#;
    let q = Arc::new(parse(Path::new("bomb.toml"), BOMB).unwrap());
    let mut s = Session::new(&q);
    assert!(s.document().starts_with("# Bomb"), "{}", s.document());
    s.typ("Ada").tab();
    let limits: Vec<_> = s.model.derived.findings.iter().filter(|f| f.rule == "limit").collect();
    assert_eq!(limits.len(), 1, "{:#?}", s.model.derived.findings);
    assert!(
        limits[0].message.contains(
            "the template of document \"doc\" failed: a string it builds would be longer than 1 MiB, the limit on any one string a template builds"
        ),
        "{}",
        limits[0].message
    );
    // Keys still work: the next question takes its answer.
    s.typ("Grace").tab();
    assert_eq!(s.answer("other"), Some(&Answer::Text("Grace".into())));
    assert!(
        s.screen(80, 24).contains("limit"),
        "the finding is shown:\n{}",
        s.screen(80, 24)
    );
}

#[test]
fn a_running_scan_is_said_only_once_it_has_taken_a_while() {
    let mut s = Session::d04();
    s.model.assistant.scanning = true;
    assert!(
        !s.screen(160, 48).contains("Looking through this project"),
        "a scan that ends soon must not flash a line that the next frame takes away"
    );
    s.model.assistant.scanning_said = true;
    assert!(s.screen(160, 48).contains("Looking through this project for answers"));
    s.model.assistant.scanning = false;
    assert!(!s.screen(160, 48).contains("Looking through this project"));
}

#[test]
fn a_tiny_window_says_every_sentence_whole() {
    let s = Session::d04();
    for (w, h) in [(30, 8), (24, 12), (59, 15)] {
        let screen = s.screen(w, h);
        let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        for sentence in [
            "Enlarge the window",
            "Answers are kept.",
            "Keys wait until it is larger (Ctrl-Q quits).",
        ] {
            assert!(flat.contains(sentence), "{w}×{h} cut \"{sentence}\":\n{screen}");
        }
    }
}
