//! The `OpenAPI` 3.1 documents the questionnaires generate: checked by a real validator
//! (openapi-spec-validator, installed into target/ by `.ci/openapi-validator`), saved with their
//! own history beside the Markdown, diffed by paths and schemas, and built from any answers into
//! YAML that reads back and passes the structural check.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use assert_cmd::Command;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::document::Engine;
use spec_interview::core::openapi::{self, Answers};
use spec_interview::core::questionnaire::{BUILTIN, Generator, OpenApiMapping, Questionnaire, parse};
use spec_interview::core::session;

const COMPLETE: &str = include_str!("answers/backend-design-complete.toml");
const YAML: &str = ".specflow/docs/04-backend-design-openapi.yaml";

fn builtin(id: &str) -> Arc<Questionnaire> {
    BUILTIN
        .iter()
        .map(|(path, text)| parse(Path::new(path), text).unwrap_or_else(|d| panic!("{d}")))
        .find(|q| q.id == id)
        .map(Arc::new)
        .unwrap()
}

/// The validator, where `.ci/run` installs it (or where `OPENAPI_SPEC_VALIDATOR` says). Missing,
/// the test fails and says how to install it: a check that cannot run never passes.
fn validator() -> PathBuf {
    let path = std::env::var_os("OPENAPI_SPEC_VALIDATOR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/openapi-validator/bin/openapi-spec-validator"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "openapi-spec-validator is not installed at {}: run `bash .ci/openapi-validator` (it makes a virtualenv under target/ and pip-installs it; .ci/run does this before the tests){}",
        path.display(),
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            "; under CI=true this check never skips"
        } else {
            ""
        }
    );
    path
}

/// Runs the validator on `yaml`: Ok, or its output.
fn validate(yaml: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.yaml");
    std::fs::write(&file, yaml).unwrap();
    let out = std::process::Command::new(validator()).arg(&file).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() && text.contains(": OK") {
        Ok(())
    } else {
        Err(text)
    }
}

/// The generated document of `questionnaire` for the answers in `toml`.
fn generated(questionnaire: &str, toml: &str) -> String {
    let q = builtin(questionnaire);
    let file = session::parse(Path::new("answers.toml"), toml, &q).unwrap_or_else(|d| panic!("{d}"));
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let docs = engine.render(&file.answers).unwrap();
    docs.into_iter()
        .find(|d| d.kind == spec_interview::core::questionnaire::DocumentKind::Yaml)
        .map_or_else(|| panic!("{questionnaire} writes no YAML document"), |d| d.text)
}

#[test]
fn the_complete_example_passes_the_real_validator_with_nothing_marked() {
    let yaml = generated("backend-design", COMPLETE);
    validate(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert!(!yaml.contains("x-todo"), "{yaml}");
    let spec: oas3::Spec = yaml_serde::from_str(&yaml).unwrap();
    assert!(openapi::check::problems(&spec).is_empty());
    // Every endpoint of the inventory is an operation with its FR-IDs and an operationId.
    let operations: Vec<_> = spec.operations().collect();
    assert_eq!(operations.len(), 18);
    assert!(
        operations
            .iter()
            .all(|(_, _, op)| op.operation_id.is_some() && op.extensions.contains_key("fr-ids"))
    );
}

/// Architecture-workflow's REST interface: its error body is described in prose with the
/// fields in code style (no JSON, as that questionnaire asks), its bearer tokens have no stated
/// format; the file still passes the validator and holds no `null` where a string belongs.
#[test]
fn the_architecture_workflows_rest_interface_passes_the_real_validator() {
    let answers = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/answers/architecture-workflow-complete.toml"),
    )
    .unwrap();
    let yaml = generated("architecture-workflow", &answers);
    validate(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert!(!yaml.contains(": null"), "{yaml}");
    let spec: oas3::Spec = yaml_serde::from_str(&yaml).unwrap();
    assert!(openapi::check::problems(&spec).is_empty());
    let value = serde_json::to_value(&spec).unwrap();
    let error = &value["components"]["schemas"]["Error"];
    for field in ["code", "message", "requestId", "details"] {
        assert!(error["properties"].get(field).is_some(), "{field} in {error}");
    }
    assert_eq!(error["required"], serde_json::json!(["code", "message", "requestId"]));
    assert!(error.get("x-todo").is_none(), "{error}");
    let bearer = &value["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(bearer["scheme"], "bearer");
    assert!(
        bearer.get("bearerFormat").is_none_or(serde_json::Value::is_null),
        "{bearer}"
    );
    assert!(yaml.contains("bearerAuth:\n      type: http"), "{yaml}");
}

#[test]
fn the_empty_answers_give_a_valid_spec_that_marks_every_gap() {
    let yaml = generated("backend-design", "questionnaire = \"backend-design\"\n");
    validate(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    for gap in ["info:", "components:", "x-todo:\n- the inventory has no REST endpoint"] {
        assert!(yaml.contains(gap), "{gap} in {yaml}");
    }
    let spec: oas3::Spec = yaml_serde::from_str(&yaml).unwrap();
    let todos = openapi::check::todos(&spec);
    // The name, the version, the operations, the servers and the error body.
    assert!(todos.len() >= 5, "{todos:?}");
}

#[test]
fn the_validator_fails_a_spec_with_a_broken_reference() {
    let yaml = generated("backend-design", COMPLETE);
    let broken = yaml.replacen(
        "#/components/responses/NotFound",
        "#/components/responses/NoSuchResponse",
        1,
    );
    assert_ne!(broken, yaml);
    let out = validate(&broken).expect_err("a broken $ref must fail the validator");
    assert!(out.contains("NoSuchResponse"), "{out}");
    // The in-process check finds it, and a broken schema reference too (which the validator
    // only follows where it validates data).
    let spec: oas3::Spec = yaml_serde::from_str(&broken).unwrap();
    assert!(
        openapi::check::problems(&spec)
            .iter()
            .any(|p| p.contains("NoSuchResponse"))
    );
    let schema = yaml.replacen(
        "#/components/schemas/BookingRequest",
        "#/components/schemas/NoSuchPayload",
        1,
    );
    let spec: oas3::Spec = yaml_serde::from_str(&schema).unwrap();
    assert!(
        openapi::check::problems(&spec)
            .iter()
            .any(|p| p.contains("NoSuchPayload"))
    );
}

#[test]
fn answers_with_quotes_newlines_and_colons_still_give_a_valid_spec() {
    let hostile = COMPLETE
        .replacen(
            "purpose = \"Public clinic profile for the booking page\"",
            "purpose = \"It's \\\"quoted\\\": yes\\nand a second line: with a colon # not a comment\"",
            1,
        )
        .replacen(
            "project_name = \"Bookwell\"",
            "project_name = \"Book: well \\\"&\\\" 'co' — ✓ \\u001b[2J\"",
            1,
        )
        .replacen(
            "description = \"Which visits\"",
            "description = \"- a dash\\n- and: {braces} [brackets] *stars* &anchor !tag %pct @at `tick`\"",
            1,
        );
    assert_ne!(hostile, COMPLETE);
    let yaml = generated("backend-design", &hostile);
    validate(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert!(!yaml.chars().any(|c| c.is_control() && c != '\n'), "{yaml}");
    let spec: oas3::Spec = yaml_serde::from_str(&yaml).unwrap();
    assert!(
        spec.info.title.starts_with("Book: well \"&\" 'co'"),
        "{}",
        spec.info.title
    );
    assert!(openapi::check::problems(&spec).is_empty());
}

#[test]
fn odd_paths_are_kept_marked_or_left_out_and_the_spec_stays_valid() {
    let odd = COMPLETE
        .replacen(
            "{ method = \"GET\", path = \"/v1/clinics/{clinicSlug}\"",
            "{ method = \"GET\", path = \"v1/clinic's \\\"x\\\": {id}/a b\"",
            1,
        )
        .replacen(
            "{ method = \"PATCH\", path = \"/v1/services/{serviceId}\"",
            "{ method = \"FETCH\", path = \"/v1/services/{serviceId}\"",
            1,
        );
    let yaml = generated("backend-design", &odd);
    validate(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let spec: oas3::Spec = yaml_serde::from_str(&yaml).unwrap();
    let odd_path = spec
        .paths
        .as_ref()
        .unwrap()
        .get("/v1/clinic's \"x\": {id}/a b")
        .expect("kept, with its leading /");
    let op = odd_path.get.as_ref().unwrap();
    assert!(
        op.extensions["todo"].to_string().contains("a path starts with /"),
        "{yaml}"
    );
    assert!(op.parameters.len() == 1, "{yaml}");
    assert!(yaml.contains("is not an HTTP method"), "{yaml}");
}

/// Answers given directly to the generator.
struct Given(HashMap<String, Answer>);

impl Answers for Given {
    fn answer(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }
}

fn mapping() -> OpenApiMapping {
    let q = builtin("backend-design");
    q.documents
        .iter()
        .find_map(|d| {
            d.generator
                .as_ref()
                .map(|Generator::OpenApi { mapping }| mapping.clone())
        })
        .unwrap()
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{0,24}",
        "\\PC{0,12}",
        prop::sample::select(vec![
            "GET",
            "post",
            "/v1/a/{id}",
            "/v1/{x}/{x}",
            "{}",
            "200 Page<A>",
            "201 A {b, c: d}",
            "-",
            "yes",
            "public",
            "a:b",
            "query: a (required), b",
            "string (uuid)",
            "A[]",
            "array of B",
            "enum: x, y",
            "400, 422",
            "FR-1",
            "JWT bearer tokens",
            "session cookies",
            "API keys",
            "\"\n: #",
            "'",
            "{",
            "}",
            "`code`, a stable id; `details[]` with `field` and `rule`. When throttled adds `retryAfter`",
            "`a[].b`, `a[]`, `$ref` and `x-y`; `` ` ``",
            "{type, title, status: 400, errors[]}",
        ])
        .prop_map(str::to_string),
    ]
}

fn table(columns: &'static [&'static str]) -> impl Strategy<Value = Answer> {
    prop::collection::vec(prop::collection::vec(cell(), columns.len()), 0..5).prop_map(move |rows| {
        Answer::Table(
            rows.into_iter()
                .map(|cells| {
                    columns
                        .iter()
                        .zip(cells)
                        .map(|(c, v)| ((*c).to_string(), v))
                        .collect::<BTreeMap<_, _>>()
                })
                .collect(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any answers give YAML that reads back as the same document and passes the check.
    #[test]
    fn any_answers_give_yaml_that_reads_back_and_passes_the_check(
        endpoints in table(&["method", "path", "purpose", "fr_id", "auth", "paginated", "errors"]),
        payloads in table(&["endpoint", "request", "response"]),
        fields in table(&["payload", "field", "type", "required", "format", "example", "description"]),
        parameters in table(&["name", "type", "format", "example", "description"]),
        schemes in table(&["scheme", "kind", "name", "description"]),
        servers in table(&["url", "environment"]),
        name in cell(),
        error_format in cell(),
        strategy in prop::collection::vec(cell(), 0..3),
        requirements in prop::collection::vec(cell(), 0..4),
    ) {
        let mut a = HashMap::new();
        a.insert("endpoints".to_string(), endpoints);
        a.insert("payloads".to_string(), payloads);
        a.insert("payload_fields".to_string(), fields);
        a.insert("parameters".to_string(), parameters);
        a.insert("security_schemes".to_string(), schemes);
        a.insert("api_servers".to_string(), servers);
        a.insert("project_name".to_string(), Answer::Text(name));
        a.insert("error_format".to_string(), Answer::Text(error_format));
        a.insert("auth_strategy".to_string(), Answer::List(strategy));
        a.insert("p0_fr_ids".to_string(), Answer::List(requirements));
        a.insert("pagination_style".to_string(), Answer::Text("cursor".into()));
        let given = Given(a);
        let g = openapi::generate(&mapping(), &given, "Untitled API");
        prop_assert!(g.problems.is_empty(), "{:?}\n{}", g.problems, g.text);
        let back: oas3::Spec = yaml_serde::from_str(&g.text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &g.spec);
        prop_assert!(openapi::check::problems(&back).is_empty());
        // Every gap is marked in the document, and a document without gaps has no mark.
        prop_assert_eq!(g.gaps.is_empty(), openapi::check::todos(&back).is_empty(), "{}", g.text);
        prop_assert!(g.text.ends_with('\n'));
    }
}

fn spec_cli(project: &Path) -> Command {
    let mut cmd = Command::cargo_bin("spec-interview").unwrap();
    cmd.current_dir(project)
        .env("HOME", project)
        .env("XDG_CONFIG_HOME", project.join(".config"))
        .env_remove("EDITOR")
        .env_remove("VISUAL");
    cmd
}

#[test]
fn render_save_writes_both_documents_with_their_own_history_and_the_diff_names_paths() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("answers.toml"), COMPLETE).unwrap();
    spec_cli(root)
        .args(["render", "--answers", "answers.toml", "--save"])
        .assert()
        .success();
    let yaml = std::fs::read_to_string(root.join(YAML)).unwrap();
    assert!(yaml.starts_with("openapi: 3.1.0\n"));
    validate(&yaml).unwrap();
    assert!(root.join(".specflow/docs/04-backend-design-contract.md").is_file());
    assert!(
        root.join(".specflow/history/04-backend-design-openapi.yaml/0001")
            .is_dir()
    );
    assert!(root.join(".specflow/history/04-backend-design-contract/0001").is_dir());
    // An endpoint changes: the spec's revision diff shows it under its path.
    let changed = COMPLETE.replacen(
        "{ method = \"GET\", path = \"/v1/appointments/{appointmentId}\", purpose = \"One appointment with its deposit state\"",
        "{ method = \"GET\", path = \"/v1/appointments/{appointmentId}\", purpose = \"One appointment, its deposit and its reminders\"",
        1,
    );
    assert_ne!(changed, COMPLETE);
    std::fs::write(root.join("answers.toml"), &changed).unwrap();
    spec_cli(root)
        .args(["render", "--answers", "answers.toml", "--save"])
        .assert()
        .success();
    let out = spec_cli(root)
        .args(["diff", "04-backend-design-openapi", "--print"])
        .assert()
        .code(1);
    let diff = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(diff.contains(&format!("--- a/{YAML}")), "{diff}");
    assert!(diff.contains("@@ ## /v1/appointments/{appointmentId}"), "{diff}");
    assert!(
        diff.contains("+      summary: One appointment, its deposit and its reminders"),
        "{diff}"
    );
    let out = spec_cli(root)
        .args(["diff", "04-backend-design-openapi.yaml", "--stat"])
        .assert()
        .code(1);
    let stat = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stat.contains("/v1/appointments/{appointmentId}"), "{stat}");
    assert!(
        !stat.contains("/v1/feedback"),
        "only the changed path is listed: {stat}"
    );
    let listing = spec_cli(root)
        .args(["list", "--revisions", "04-backend-design-openapi.yaml"])
        .assert()
        .success();
    let listing = String::from_utf8_lossy(&listing.get_output().stdout).to_string();
    assert!(listing.contains('2'), "{listing}");
}

#[test]
fn validate_names_the_line_and_column_of_a_broken_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let q = include_str!("../questionnaires/backend-design.toml")
        .replacen("id = \"backend-design\"", "id = \"my-design\"", 1)
        .replacen(
            "endpoints = { question = \"endpoints\", method = \"method\", path = \"path\",",
            "endpoints = { question = \"endpoints\", method = \"verb\", path = \"path\",",
            1,
        )
        .replacen(
            "error_format = \"error_format\"\n",
            "error_format = \"no_such_question\"\n",
            1,
        );
    std::fs::write(dir.path().join("q.toml"), &q).unwrap();
    let out = spec_cli(dir.path()).args(["validate", "q.toml"]).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let line_of = |needle: &str| q.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        err.contains(&format!("q.toml:{}:", line_of("method = \"verb\"")))
            && err.contains("column \"verb\", which table \"endpoints\" does not have"),
        "{err}"
    );
    assert!(
        err.contains(&format!("q.toml:{}:16:", line_of("no_such_question")))
            && err.contains("names question \"no_such_question\", which does not exist"),
        "{err}"
    );
}
