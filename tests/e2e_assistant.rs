//! The assistant in the real binary, in a pseudo-terminal: `--quick` shows what the line
//! places and fills the five required inputs of the D04 skill on Enter; a project's proposals
//! appear beside their questions and Alt-a accepts one.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{CTRL_Q, ENTER, FIRST_PROMPT, Interview, Project, TAB, lookup};

const SEED_LINE: &str = "REST API, JWT auth, RBAC, Node.js, no special compliance requirements";

#[test]
fn the_quick_start_line_fills_the_required_inputs_after_it_is_shown() {
    let project = Project::new();
    let mut app = Interview::start_with(&project, 100, 30, &["--quick", SEED_LINE]);
    app.wait_for_screen("Understood");
    app.wait_for_screen("Compliance: none");
    // Shown, not applied yet: no session holds these answers.
    assert!(!project.path(common::SESSION).exists() || lookup(&project.session(), &["answers", "api_style"]).is_none());
    app.send(ENTER);
    app.wait_for_screen(FIRST_PROMPT);
    app.send(CTRL_Q);
    app.wait_exit();
    let session = project.session();
    assert_eq!(lookup(&session, &["answers", "api_style"]), Some("REST"));
    assert_eq!(lookup(&session, &["answers", "authz_model"]), Some("RBAC"));
    assert_eq!(lookup(&session, &["answers", "runtime"]), Some("Node.js"));
    let answers = session["answers"].as_table().unwrap();
    assert_eq!(answers["auth_method"].as_array().unwrap()[0].as_str(), Some("JWT"));
    assert_eq!(answers["compliance"].as_array().unwrap()[0].as_str(), Some("none"));
    assert_eq!(
        lookup(&session, &["provenance", "runtime", "source"]),
        Some("quick start line")
    );
}

#[test]
fn a_proposal_from_the_project_is_shown_and_accepted() {
    let project = Project::new();
    std::fs::write(
        project.root.join("go.mod"),
        "module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/jackc/pgx/v5 v5.5.5\n)\n",
    )
    .unwrap();
    let mut app = Interview::start(&project, 160, 48);
    app.wait_for_screen(FIRST_PROMPT);
    app.send(&format!("Shop{TAB}{TAB}"));
    app.wait_for_screen("Proposed: Go 1.22 with gin 1");
    app.wait_for_screen("go.mod:6");
    app.send("\x1ba");
    app.wait_until("the accepted runtime in the session", |_| {
        project.path(common::SESSION).exists()
            && lookup(&project.session(), &["answers", "runtime"]) == Some("Go 1.22 with gin 1")
    });
    app.send(CTRL_Q);
    app.wait_exit();
    assert_eq!(
        lookup(&project.session(), &["provenance", "runtime", "file"]),
        Some("go.mod")
    );
}

#[test]
fn the_scans_result_shows_without_a_key_being_pressed() {
    // The scan runs on its own thread; the interview picks its result up by itself, with no
    // key pressed.
    let project = Project::new();
    std::fs::write(
        project.root.join("go.mod"),
        "module example.com/shop\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
    )
    .unwrap();
    let mut app = Interview::start(&project, 160, 48);
    app.wait_for_screen(FIRST_PROMPT);
    app.wait_until("the outline to mark the runtime question as having a proposal", |i| {
        let screen = i.screen();
        !screen.contains("Looking through this project") && screen.contains('◆')
    });
    app.send(CTRL_Q);
    app.wait_exit();
}
