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
        doc.contains("**Core user flows:** *Assumption:* Core flows are"),
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
    s.key(KeyCode::Enter).ctrl('u'); // edit "three"... undo does nothing harmful
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
    let shown = overlay_text(&s.model);
    assert!(shown.starts_with(&format!("{D04_DOC} — first revision")), "{shown}");
    assert!(
        shown.contains("  + Ledgerline: backend architecture (D04)  +5 -0  added\n    + Context  +"),
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
    assert!(overlay_text(&s.model).starts_with(&format!("{D04_DOC} — will be revision 2")));
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
    let shown = overlay_text(&s.model);
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
    assert!(overlay_text(&s.model).starts_with(&format!("{D04_DOC} — will be revision 3")));
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
    assert!(s.screen(160, 48).contains("+ **Runtime:** Go"), "{}", s.screen(160, 48));
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
    let q = Arc::new(parse(Path::new(path), text).unwrap());
    let mut s = Session::new(&q);
    s.typ("Ledgerline").ctrl('s');
    let shown = overlay_text(&s.model);
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
    let lines = spec_interview::tui::update::help_lines();
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
    // At 80 columns the state gives way first: dropped when the rest fills the line, else a
    // shorter form, never a cut-off one.
    s.model.kept.insert("old_question".into(), toml::Value::from("kept"));
    let narrow = status_line(&mut s, 80, 24);
    assert!(
        narrow.contains("required open · 1 k…") && !narrow.contains("r1"),
        "{narrow}"
    );
    s.model.kept.clear();
    let narrow = status_line(&mut s, 80, 24);
    assert!(narrow.ends_with("required open · r1"), "{narrow}");
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
