//! The repository scan on real-shaped projects (tests/fixtures/scan/): the proposals each must
//! yield and the evidence lines; ignore files, links out of the root, hostile text, the cache,
//! earlier documents, and the `suggest` command's three formats.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use spec_interview::core::answer::Answer;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, parse};
use spec_interview::core::scan::proposal::{Confidence, Proposal, Source};
use spec_interview::core::scan::{self, Budget, cache};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scan")
        .join(name)
}

fn questionnaire(id: &str) -> Questionnaire {
    let (path, text) = BUILTIN.iter().find(|(p, _)| p.contains(id)).copied().unwrap();
    parse(Path::new(path), text).unwrap()
}

fn d04() -> Questionnaire {
    questionnaire("d04-backend-architecture")
}

fn proposals(root: &Path) -> Vec<Proposal> {
    scan::suggest(root, &d04(), None).proposals
}

/// The one proposal for `question`, failing with the whole list when there is not exactly one.
fn only<'a>(all: &'a [Proposal], question: &str) -> &'a Proposal {
    let mine: Vec<&Proposal> = all.iter().filter(|p| p.question == question).collect();
    assert_eq!(mine.len(), 1, "{question}: {all:#?}");
    mine[0]
}

/// Asserts the proposal for `question`: its value and where its evidence is.
#[allow(clippy::needless_pass_by_value)] // reads better at the call sites
fn expect(all: &[Proposal], question: &str, value: Answer, file: &str, line: u32) -> Proposal {
    let p = only(all, question);
    assert_eq!(p.value, value, "{question}: {p:#?}");
    assert_eq!(
        (p.evidence.file.as_str(), p.evidence.line),
        (file, line),
        "{question}: {p:#?}"
    );
    assert_eq!(p.source, Source::Repository);
    assert!(p.contradicts.is_empty(), "{p:#?}");
    p.clone()
}

fn text(s: &str) -> Answer {
    Answer::Text(s.into())
}

fn list(items: &[&str]) -> Answer {
    Answer::List(items.iter().map(|s| (*s).to_string()).collect())
}

#[test]
fn node_express_prisma_passport_jwt() {
    let all = proposals(&fixture("node-express"));
    let runtime = expect(&all, "runtime", text("Node.js 20 with Express 4"), "package.json", 17);
    assert_eq!(runtime.confidence, Confidence::High);
    assert_eq!(runtime.evidence.text, r#""express": "^4.19.2","#);
    expect(&all, "database", text("PostgreSQL 16"), "docker-compose.yml", 7);
    expect(&all, "api_style", text("REST"), "src/routes/users.ts", 10);
    expect(&all, "auth_method", list(&["JWT"]), "package.json", 20);
    expect(&all, "authz_model", text("RBAC"), "src/auth/roles.ts", 3);
    expect(&all, "versioning", text("URL path (/v1/...)"), "src/server.ts", 15);
    expect(
        &all,
        "background_jobs",
        text("BullMQ; brokers: Redis"),
        "package.json",
        15,
    );
    expect(
        &all,
        "rate_limiting",
        text("express-rate-limit in the application"),
        "package.json",
        18,
    );
    expect(&all, "cors", text("cors in the application"), "package.json", 16);
    expect(&all, "integrations", list(&["Stripe"]), "package.json", 24);
    let conventions = only(&all, "api_conventions");
    assert_eq!(
        conventions.value,
        text("Existing endpoints: GET /users, GET /users/:id, POST /users. Routes are mounted under /api/v1.")
    );
    // Test files and development-only dependencies propose nothing: no MongoDB, no SQLite.
    assert!(
        !all.iter()
            .any(|p| p.value_text().contains("Mongo") || p.value_text().contains("SQLite"))
    );
}

#[test]
fn python_fastapi_sqlalchemy_alembic() {
    let all = proposals(&fixture("python-fastapi"));
    expect(
        &all,
        "runtime",
        text("Python 3.12 with FastAPI 0.110"),
        "pyproject.toml",
        6,
    );
    expect(&all, "database", text("PostgreSQL"), "alembic.ini", 3);
    expect(&all, "auth_method", list(&["JWT"]), "pyproject.toml", 11);
    expect(&all, "authz_model", text("RBAC"), "app/auth.py", 12);
    expect(&all, "versioning", text("URL path (/v1/...)"), "app/main.py", 11);
    expect(
        &all,
        "data_access",
        text("repository pattern over an ORM"),
        "pyproject.toml",
        8,
    );
    expect(
        &all,
        "migrations",
        text("Alembic, with the migration scripts in alembic/versions/"),
        "alembic.ini",
        2,
    );
    expect(&all, "background_jobs", text("Celery"), "pyproject.toml", 14);
    expect(
        &all,
        "rate_limiting",
        text("slowapi in the application"),
        "pyproject.toml",
        12,
    );
    expect(
        &all,
        "cors",
        text("CORSMiddleware in the application"),
        "app/main.py",
        10,
    );
    expect(
        &all,
        "observability",
        text("logs: structlog; traces and errors: Sentry"),
        "pyproject.toml",
        13,
    );
    // The alembic URL carries a password: it is masked in the evidence.
    assert!(only(&all, "database").evidence.text.contains("billing:***@"));
}

#[test]
fn go_chi_pgx() {
    let all = proposals(&fixture("go-chi"));
    expect(&all, "runtime", text("Go 1.22 with chi 5"), "go.mod", 6);
    expect(&all, "database", text("PostgreSQL"), "go.mod", 11);
    expect(&all, "api_style", text("REST"), "cmd/api/main.go", 30);
    expect(&all, "auth_method", list(&["JWT"]), "go.mod", 9);
    expect(&all, "versioning", text("URL path (/v1/...)"), "cmd/api/main.go", 28);
    expect(&all, "data_access", text("hand-written SQL"), "go.mod", 11);
    expect(
        &all,
        "migrations",
        text("golang-migrate, with the migration scripts in migrations/"),
        "go.mod",
        10,
    );
    expect(
        &all,
        "request_ids",
        text("RequestID middleware in the application"),
        "cmd/api/main.go",
        25,
    );
    expect(
        &all,
        "rate_limiting",
        text("github.com/go-chi/httprate in the application"),
        "go.mod",
        8,
    );
    expect(&all, "observability", text("logs: zerolog"), "go.mod", 12);
    // An indirect requirement (lib/pq) and a test file's import (MongoDB) propose nothing more.
    assert_eq!(all.iter().filter(|p| p.question == "database").count(), 1);
}

#[test]
fn java_spring_boot_jpa_security() {
    let all = proposals(&fixture("java-spring"));
    expect(&all, "runtime", text("Java 21 with Spring Boot 3"), "pom.xml", 6);
    expect(
        &all,
        "database",
        text("PostgreSQL"),
        "src/main/resources/application.yml",
        3,
    );
    expect(&all, "auth_method", list(&["JWT"]), "pom.xml", 29);
    expect(
        &all,
        "authz_model",
        text("RBAC"),
        "src/main/java/com/example/orders/config/SecurityConfig.java",
        14,
    );
    expect(&all, "api_style", text("REST"), "pom.xml", 42);
    expect(
        &all,
        "versioning",
        text("URL path (/v1/...)"),
        "src/main/java/com/example/orders/web/OrderController.java",
        14,
    );
    expect(
        &all,
        "data_access",
        text("repository pattern over an ORM"),
        "pom.xml",
        21,
    );
    let migrations = only(&all, "migrations");
    assert_eq!(
        migrations.value,
        text("Flyway, with the migration scripts in src/main/resources/db/migration/")
    );
    let conventions = only(&all, "api_conventions");
    assert!(
        conventions.value_text().contains("POST /api/v1/orders"),
        "{conventions:?}"
    );
    // H2 is a test-scoped dependency: no second database.
    assert_eq!(all.iter().filter(|p| p.question == "database").count(), 1);
}

#[test]
fn rust_axum_sqlx() {
    let all = proposals(&fixture("rust-axum"));
    expect(&all, "runtime", text("Rust 1.80 with axum 0.7"), "Cargo.toml", 8);
    expect(&all, "database", text("PostgreSQL"), ".env.example", 1);
    expect(&all, "auth_method", list(&["JWT"]), "Cargo.toml", 9);
    expect(&all, "versioning", text("URL path (/v1/...)"), "src/main.rs", 17);
    expect(&all, "data_access", text("hand-written SQL"), "Cargo.toml", 11);
    expect(
        &all,
        "migrations",
        text("sqlx migrations, with the migration scripts in migrations/"),
        "src/main.rs",
        15,
    );
    expect(
        &all,
        "cors",
        text("tower-http CorsLayer in the application"),
        "Cargo.toml",
        13,
    );
    expect(
        &all,
        "request_ids",
        text("tower-http request-id layers in the application"),
        "Cargo.toml",
        13,
    );
    let endpoints = only(&all, "api_conventions").value_text();
    assert!(
        endpoints.contains("DELETE /v1/todos/:id") && endpoints.contains("POST /v1/todos"),
        "{endpoints}"
    );
}

#[test]
fn a_monorepo_backend_in_a_subfolder() {
    let all = proposals(&fixture("monorepo"));
    expect(
        &all,
        "runtime",
        text("Node.js with Fastify 4"),
        "services/api/package.json",
        6,
    );
    expect(&all, "database", text("MySQL"), "services/api/package.json", 7);
    expect(&all, "auth_method", list(&["JWT"]), "services/api/package.json", 5);
    expect(
        &all,
        "cors",
        text("@fastify/cors in the application"),
        "services/api/package.json",
        4,
    );
    expect(&all, "api_style", text("REST"), "services/api/src/server.ts", 10);
    // The web app's call to /api/v2/products is a client, not an endpoint of this backend.
    assert_eq!(
        only(&all, "api_conventions").value,
        text("Existing endpoints: GET /v2/products, POST /v2/orders. Routes are mounted under /v2.")
    );
}

#[test]
fn nothing_recognisable_yields_no_proposals() {
    assert_eq!(proposals(&fixture("nothing")), Vec::new());
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(proposals(empty.path()), Vec::new());
}

/// Copies a fixture into a temporary folder to change it.
fn copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from = fixture(name);
    let mut stack = vec![from.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&from).unwrap().to_path_buf();
            let to = tmp.path().join(&rel);
            if entry.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
                stack.push(entry.path());
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    tmp
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn ignored_and_dependency_folders_are_not_read() {
    let tmp = copy("node-express");
    // .gitignore names generated/; node_modules/ and .specflow/ are skipped even unnamed.
    std::fs::write(tmp.path().join(".gitignore"), "generated/\n").unwrap();
    write(tmp.path(), "generated/db.js", "const mongoose = require('mongoose');\n");
    write(
        tmp.path(),
        "node_modules/mongoose/index.js",
        "const mongoose = require('mongoose');\n",
    );
    write(
        tmp.path(),
        "node_modules/mongoose/package.json",
        r#"{"dependencies": {"mongodb": "6"}}"#,
    );
    write(
        tmp.path(),
        ".specflow/questionnaires/x.js",
        "const mongoose = require('mongoose');\n",
    );
    let all = proposals(tmp.path());
    assert_eq!(only(&all, "database").value, text("PostgreSQL 16"));
    assert!(!all.iter().any(|p| p.value_text().contains("Mongo")), "{all:#?}");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_root_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret/package.json",
        r#"{"dependencies": {"mongoose": "8", "express": "4"}}"#,
    );
    write(
        outside.path(),
        "go.mod",
        "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
    );
    let project = tempfile::tempdir().unwrap();
    write(project.path(), "README.md", "nothing here\n");
    std::os::unix::fs::symlink(outside.path().join("secret"), project.path().join("linked")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("go.mod"), project.path().join("go.mod")).unwrap();
    let report = scan::scan(project.path(), &Budget::default());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(proposals(project.path()), Vec::new());
}

#[test]
fn escape_sequences_in_repository_text_stay_text() {
    let project = tempfile::tempdir().unwrap();
    write(
        project.path(),
        "package.json",
        "{\n  \"dependencies\": {\n    \"express\": \"^4.19.2\",\n    \"pg\": \"8\\u001b]0;owned\\u0007\\u001b[2J\"\n  },\n  \"description\": \"\u{1b}[31mred\u{7}\"\n}\n",
    );
    write(
        project.path(),
        "src/app.js",
        "const express = require('express'); // \u{1b}[2J\u{1b}]52;c;cGF3bmVk\u{7}\u{202e}\napp.get('/v1/\u{1b}[31mx', h);\n",
    );
    let all = proposals(project.path());
    assert!(!all.is_empty());
    let json = serde_json::to_string(&all).unwrap();
    for p in &all {
        for s in [&p.evidence.text, &p.evidence.file, &p.value_text()] {
            assert!(
                !s.chars()
                    .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{s:?}"
            );
        }
        assert!(p.evidence.text.chars().count() <= 160);
    }
    assert!(!json.contains("\\u001b"), "{json}");
}

#[test]
fn the_cache_is_used_until_a_file_changes_and_a_corrupt_one_is_rebuilt() {
    let tmp = copy("go-chi");
    let cache_dir = tempfile::tempdir().unwrap();
    let q = d04();
    let first = scan::suggest(tmp.path(), &q, Some(cache_dir.path()));
    assert!(!first.cached);
    let file = cache::path(cache_dir.path(), tmp.path());
    let stored = std::fs::read_to_string(&file).unwrap();
    assert!(stored.starts_with("schema = 1\n"), "{stored}");
    let second = scan::suggest(tmp.path(), &q, Some(cache_dir.path()));
    assert!(second.cached);
    assert_eq!(second.proposals, first.proposals);
    // A read file changes (size and time): the scan runs again and sees the change.
    let go_mod = tmp.path().join("go.mod");
    let changed = std::fs::read_to_string(&go_mod)
        .unwrap()
        .replace("go-chi/chi/v5 v5.0.12", "gin-gonic/gin v1.9.1");
    std::fs::write(&go_mod, changed).unwrap();
    let third = scan::suggest(tmp.path(), &q, Some(cache_dir.path()));
    assert!(!third.cached);
    // gin is declared now; the code still imports chi: both are kept, as contradicting.
    let runtimes: Vec<&Proposal> = third.proposals.iter().filter(|p| p.question == "runtime").collect();
    assert!(
        runtimes
            .iter()
            .any(|p| p.value == text("Go 1.22 with gin 1") && !p.contradicts.is_empty()),
        "{runtimes:#?}"
    );
    // A new file appears in a listed folder.
    write(
        tmp.path(),
        "internal/store/mysql.go",
        "package store\n\nimport _ \"github.com/go-sql-driver/mysql\"\n",
    );
    assert!(!scan::suggest(tmp.path(), &q, Some(cache_dir.path())).cached);
    // A damaged cache file is ignored and replaced.
    std::fs::write(&file, "schema = 1\nfindings = [").unwrap();
    let rebuilt = scan::suggest(tmp.path(), &q, Some(cache_dir.path()));
    assert!(!rebuilt.cached);
    assert!(scan::suggest(tmp.path(), &q, Some(cache_dir.path())).cached);
    // The cache lives where it was asked to, never in the project.
    assert!(!tmp.path().join(".specflow").exists());
}

#[test]
fn the_scan_stops_at_its_budget() {
    let tmp = copy("node-express");
    let tight = Budget {
        entries: 5,
        ..Budget::default()
    };
    assert!(scan::scan(tmp.path(), &tight).truncated);
    assert!(!scan::scan(tmp.path(), &Budget::default()).truncated);
}

#[test]
fn earlier_documents_propose_with_file_and_heading() {
    let tmp = copy("go-chi");
    write(
        tmp.path(),
        ".specflow/docs/D02-technology-decisions.md",
        "# Technology decisions\n\n## Database\n\n**Database:** MySQL 8, managed by the cloud provider.\n\n## Authentication\n\nCallers use OAuth 2.0 through the company SSO.\n",
    );
    let all = proposals(tmp.path());
    let db: Vec<&Proposal> = all.iter().filter(|p| p.question == "database").collect();
    assert_eq!(db.len(), 2, "{all:#?}");
    let from_doc = db.iter().find(|p| p.source == Source::Document).unwrap();
    assert_eq!(from_doc.value, text("MySQL 8, managed by the cloud provider"));
    assert_eq!(from_doc.evidence.file, ".specflow/docs/D02-technology-decisions.md");
    assert_eq!(from_doc.evidence.line, 5);
    assert_eq!(
        from_doc.evidence.heading.as_deref(),
        Some("Technology decisions > Database")
    );
    // The repository says PostgreSQL, the document MySQL: both kept, each marked.
    assert!(db.iter().all(|p| p.contradicts.len() == 1), "{db:#?}");
    let oauth = all
        .iter()
        .find(|p| p.question == "auth_method" && p.source == Source::Document)
        .unwrap();
    assert_eq!(oauth.value, list(&["OAuth"]));
    assert_eq!(oauth.evidence.line, 9);
    // The questionnaire's own document is not read back into it.
    write(
        tmp.path(),
        ".specflow/docs/D04-backend-architecture.md",
        "# X\n\n**Runtime:** COBOL on a mainframe\n",
    );
    assert!(!proposals(tmp.path()).iter().any(|p| p.value_text().contains("COBOL")));
}

#[test]
fn other_questionnaires_get_proposals_in_their_own_options() {
    let design = questionnaire("backend-design");
    let all = scan::suggest(&fixture("java-spring"), &design, None).proposals;
    let db = all.iter().find(|p| p.question == "database").unwrap();
    assert_eq!(db.value, text("PostgreSQL"));
    let proposal = questionnaire("backend-architecture-proposal");
    let all = scan::suggest(&fixture("monorepo"), &proposal, None).proposals;
    assert_eq!(
        all.iter().find(|p| p.question == "primary_store").unwrap().value,
        text("MySQL")
    );
    for (path, source) in BUILTIN {
        let q = parse(Path::new(path), source).unwrap();
        for p in scan::suggest(&fixture("node-express"), &q, None).proposals {
            let question = q.question(&p.question).unwrap();
            let toml = p.value.to_toml();
            assert!(Answer::from_toml(question, &toml).is_ok(), "{path}: {p:?}");
        }
    }
}

fn cli(root: &Path, cache: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-interview").unwrap();
    cmd.env("XDG_CACHE_HOME", cache).env("HOME", cache).arg("-C").arg(root);
    cmd
}

#[test]
fn suggest_prints_json_one_object_per_proposal() {
    let cache = tempfile::tempdir().unwrap();
    let out = cli(&fixture("python-fastapi"), cache.path())
        .args(["suggest", "--format", "json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), proposals(&fixture("python-fastapi")).len());
    let runtime = items.iter().find(|p| p["question"] == "runtime").unwrap();
    assert_eq!(runtime["value"], "Python 3.12 with FastAPI 0.110");
    assert_eq!(runtime["evidence"]["file"], "pyproject.toml");
    assert_eq!(runtime["evidence"]["line"], 6);
    assert_eq!(runtime["evidence"]["text"], "\"fastapi>=0.110\",");
    assert_eq!(runtime["confidence"], "high");
    assert_eq!(runtime["source"], "repository");
    assert_eq!(runtime["contradicts"], serde_json::json!([]));
    let auth = items.iter().find(|p| p["question"] == "auth_method").unwrap();
    assert_eq!(auth["value"], serde_json::json!(["JWT"]));
    // The cache went to the platform cache folder.
    assert!(cache.path().join("spec-interview").exists());
    let nothing = cli(&fixture("nothing"), cache.path())
        .args(["suggest", "--format", "json"])
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&nothing.get_output().stdout).trim(), "[]");
}

#[test]
fn suggest_toml_is_an_answers_file_that_render_takes() {
    let cache = tempfile::tempdir().unwrap();
    let out = cli(&fixture("node-express"), cache.path())
        .args(["suggest", "--format", "toml"])
        .assert()
        .success();
    let toml_text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(toml_text.contains("# package.json:17: \"express\": \"^4.19.2\", (high confidence, repository)\nruntime = \"Node.js 20 with Express 4\""), "{toml_text}");
    let answers = cache.path().join("answers.toml");
    std::fs::write(&answers, &toml_text).unwrap();
    let project = tempfile::tempdir().unwrap();
    let rendered = cli(project.path(), cache.path())
        .args(["render", "--answers"])
        .arg(&answers)
        .assert()
        .success();
    let doc = String::from_utf8(rendered.get_output().stdout.clone()).unwrap();
    assert!(doc.contains("Node.js 20 with Express 4"), "{doc}");
    assert!(doc.contains("PostgreSQL 16"), "{doc}");
    // Nothing is rendered or saved unasked: suggest writes no document and no session.
    assert!(!fixture("node-express").join(".specflow").exists());
}

#[test]
fn suggest_text_names_each_proposal_with_its_evidence() {
    let cache = tempfile::tempdir().unwrap();
    let out = cli(&fixture("rust-axum"), cache.path())
        .arg("suggest")
        .assert()
        .success();
    let printed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(printed.contains("Runtime and framework (runtime): Rust 1.80 with axum 0.7  [high confidence, repository]\n    Cargo.toml:8: axum = \"0.7\""), "{printed}");
    let unknown = cli(&fixture("rust-axum"), cache.path())
        .args(["suggest", "-q", "nope"])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&unknown.get_output().stderr).contains("nope"));
}
