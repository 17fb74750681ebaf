//! The core without a terminal: answers of every kind, conditions, rendering, lint rules,
//! and the answers file round trip.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use proptest::prelude::*;
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::answer::Answer;
use spec_interview::core::document::{Engine, QuestionState};
use spec_interview::core::lint;
use spec_interview::core::questionnaire::{BUILTIN, Questionnaire, Severity, parse};
use spec_interview::core::session::{self, Answers, AnswersFile};

const ALL_KINDS: &str = r#"format = 1
id = "kinds"
version = "2"
title = "Every kind"

[[documents]]
id = "doc"
path = ".specflow/docs/kinds.md"
template = '''
# {{ name }}
Notes: {{ answer("notes") }}
Pick: {{ answer("pick") }}
Many:
{{ answer("many") }}
Ok: {{ answer("ok") }}
Count: {{ answer("count") }}
Items:
{{ answer("items") }}
{{ answer("grid") }}
Check: {{ answer("check") }}
Extra: {{ answer("extra", missing="none") }}
Secret: {{ answer("secret") }}
{% for a in assumptions() %}
- ASSUMED {{ a.label }}: {{ a.text }}
{% endfor %}
'''

[[sections]]
id = "all"
title = "All"

[[sections.questions]]
id = "name"
kind = "text"
prompt = "Name?"
required = true
validate = { pattern = "[A-Z][a-z]+", max_length = 10 }

[[sections.questions]]
id = "notes"
kind = "multiline"
prompt = "Notes?"

[[sections.questions]]
id = "pick"
kind = "choice"
prompt = "Pick?"
options = ["Alpha", "Beta"]

[[sections.questions]]
id = "many"
kind = "multi_choice"
prompt = "Many?"
options = ["x", "y"]
other = true
validate = { max_items = 3 }

[[sections.questions]]
id = "ok"
kind = "yes_no"
prompt = "Ok?"

[[sections.questions]]
id = "count"
kind = "number"
prompt = "Count?"
validate = { min = 1, max = 10, integer = true }

[[sections.questions]]
id = "items"
kind = "list"
prompt = "Items?"

[[sections.questions]]
id = "grid"
kind = "table"
prompt = "Grid?"
columns = [{ id = "k", title = "Key" }, { id = "v", title = "Value" }]

[[sections.questions]]
id = "check"
kind = "checklist"
prompt = "Check?"
label = "The check"
assume = "it holds"

[[sections.questions]]
id = "extra"
kind = "text"
prompt = "Extra?"

[[sections.questions]]
id = "secret"
kind = "text"
prompt = "Secret?"
required = true
when = 'ok'
"#;

fn kinds() -> Arc<Questionnaire> {
    Arc::new(parse(Path::new("kinds.toml"), ALL_KINDS).unwrap_or_else(|d| panic!("{d}")))
}

fn answers(q: &Questionnaire, toml_body: &str) -> Result<Answers, String> {
    let text = format!("schema = 1\n[answers]\n{toml_body}\n");
    session::parse(Path::new("a.toml"), &text, q)
        .map(|f| f.answers)
        .map_err(|d| d.to_string())
}

fn render(q: &Arc<Questionnaire>, a: &Answers) -> String {
    Engine::new(Arc::clone(q)).unwrap().render(a).unwrap().remove(0).text
}

#[test]
fn every_kind_parses_and_renders_as_markdown() {
    let q = kinds();
    let a = answers(
        &q,
        r#"name = "Ada"
notes = "line one\nline two"
pick = "beta"
many = ["x", "zed", "x"]
ok = true
count = 3
items = ["first", "second"]
grid = [{ k = "a|b", v = "c\nd" }, { k = "e" }]
check = { assumption = "my own words" }
secret = "s"
"#,
    )
    .unwrap();
    assert_eq!(
        a["pick"],
        Answer::Text("Beta".into()),
        "choices match options ignoring case"
    );
    assert_eq!(
        a["many"],
        Answer::List(vec!["x".into(), "zed".into()]),
        "duplicates are dropped; other allowed"
    );
    let text = render(&q, &a);
    assert!(text.starts_with("# Ada\n"), "{text}");
    assert!(text.contains("Pick: Beta\n"));
    assert!(text.contains("Many:\n- x\n- zed\n"));
    assert!(text.contains("Ok: Yes\n"));
    assert!(text.contains("Count: 3\n"));
    assert!(text.contains("Items:\n- first\n- second\n"));
    assert!(
        text.contains("| Key | Value |\n|---|---|\n| a\\|b | c<br>d |\n| e |  |\n"),
        "{text}"
    );
    assert!(text.contains("Check: *Assumption:* my own words"));
    assert!(text.contains("- ASSUMED The check: my own words"));
    assert!(text.contains("Extra: none\n"), "missing= replaces the open text");
    assert!(text.contains("Secret: s\n"));
}

#[test]
fn wrong_types_and_unknown_options_are_refused_with_their_line() {
    let q = kinds();
    for (body, needle) in [
        ("name = 3", "a.toml:3:8: \"name\" expects a string, not an integer."),
        ("name = \"a\\nb\"", "single-line"),
        (
            "pick = \"Gamma\"",
            "\"Gamma\" is not an option of \"pick\"; choose one of \"Alpha\", \"Beta\"",
        ),
        ("many = \"x\"", "expects an array of option strings"),
        ("ok = \"yes\"", "expects true or false"),
        ("count = \"3\"", "expects a number"),
        ("items = [1]", "an array with non-string items"),
        ("grid = [{ z = \"1\" }]", "unknown column \"z\"; the columns are k, v"),
        ("grid = [\"x\"]", "row 1 of \"grid\" must be a table"),
        ("check = { assume = \"x\" }", "expects a string, or { assumption"),
        (
            "nmae = \"x\"",
            "unknown question id \"nmae\" in questionnaire \"kinds\" (did you mean \"name\"?)",
        ),
    ] {
        let err = answers(&q, body).unwrap_err();
        assert!(err.contains(needle), "{body}: {err}");
        assert!(err.starts_with("a.toml:3:"), "{body}: {err}");
    }
}

#[test]
fn constraints_are_reported_not_refused() {
    let q = kinds();
    let a = answers(
        &q,
        "name = \"lowercase\"\ncount = 11\nmany = [\"x\", \"y\", \"p\", \"q\"]",
    )
    .unwrap();
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let vis = engine.visibility(&a);
    let states = engine.states(&a, &vis);
    let state = |id: &str| states.iter().find(|(q, _)| q == id).unwrap().1.clone();
    assert!(matches!(state("name"), QuestionState::Invalid(ref p) if p[0].contains("pattern")));
    assert!(matches!(state("count"), QuestionState::Invalid(ref p) if p[0].contains("at most 10")));
    assert!(matches!(state("many"), QuestionState::Invalid(ref p) if p[0].contains("at most 3 entries")));
    let f = answers(&q, "count = 2.5").unwrap();
    let vis = engine.visibility(&f);
    assert!(matches!(&engine.states(&f, &vis)[5].1, QuestionState::Invalid(p) if p[0].contains("whole number")));
}

#[test]
fn a_hidden_answer_stays_in_the_answers_but_out_of_the_document() {
    let q = kinds();
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let hidden = answers(&q, "ok = false\nsecret = \"SHOULD-NOT-RENDER\"").unwrap();
    assert!(!render(&q, &hidden).contains("SHOULD-NOT-RENDER"));
    let report = lint::check(&engine, &hidden).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "hidden-answer" && f.question.as_deref() == Some("secret"))
    );
    // The required-but-hidden question is not a required gap either.
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.rule == "required" && f.question.as_deref() == Some("secret"))
    );
    let shown = answers(&q, "ok = true\nsecret = \"SHOULD-RENDER\"").unwrap();
    assert!(render(&q, &shown).contains("SHOULD-RENDER"));
}

#[test]
fn open_questions_render_as_assumption_todo_or_open_question() {
    let q = kinds();
    let text = render(&q, &answers(&q, "ok = true").unwrap());
    assert!(text.contains("Check: *Assumption:* it holds"));
    assert!(text.contains("- ASSUMED The check: it holds"));
    assert!(text.contains("Secret: **TODO:** Secret?"));
    // An optional question left open says so, with its question: no fact is made up.
    assert!(text.contains("Notes: *Open:* Notes?"), "{text}");
    assert!(text.contains("Items:\n*Open:* Items?"), "{text}");
    assert!(
        text.contains("# \n") || text.starts_with("#\n"),
        "an open variable prints nothing: {text}"
    );
}

#[test]
fn a_default_stands_in_labelled_until_it_is_confirmed() {
    let src = ALL_KINDS.replace("prompt = \"Count?\"", "prompt = \"Count?\"\ndefault = 7");
    let q = Arc::new(parse(Path::new("kinds.toml"), &src).unwrap_or_else(|d| panic!("{d}")));
    assert!(render(&q, &Answers::new()).contains("Count: 7 *(default, not yet confirmed)*\n"));
    // Written in the answers file, the same value is a decision and loses the label.
    assert!(render(&q, &answers(&q, "count = 7").unwrap()).contains("Count: 7\n"));
    assert!(render(&q, &answers(&q, "count = 2").unwrap()).contains("Count: 2\n"));
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let report = lint::check(&engine, &Answers::new()).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "default" && f.question.as_deref() == Some("count"))
    );
    let state = |a: &Answers| {
        let vis = engine.visibility(a);
        engine
            .states(a, &vis)
            .into_iter()
            .find(|(id, _)| id == "count")
            .unwrap()
            .1
    };
    assert_eq!(state(&Answers::new()), QuestionState::Defaulted);
    assert_eq!(state(&answers(&q, "count = 7").unwrap()), QuestionState::Answered);
}

#[test]
fn none_is_an_answer_and_absence_is_not() {
    let src = ALL_KINDS
        .replace(
            "prompt = \"Items?\"",
            "prompt = \"Items?\"\nnone = \"There are no items.\"",
        )
        .replace(
            "Items:\n{{ answer(\"items\") }}",
            "Items: {{ state(\"items\") }}\n{{ answer(\"items\") }}\nGrid: {{ state(\"grid\") }}",
        );
    let q = Arc::new(parse(Path::new("kinds.toml"), &src).unwrap_or_else(|d| panic!("{d}")));
    let none = render(&q, &answers(&q, "items = []\ngrid = []").unwrap());
    assert!(none.contains("Items: none\nThere are no items.\n"), "{none}");
    assert!(none.contains("Grid: none\nNone.\n"), "{none}");
    let open = render(&q, &Answers::new());
    assert!(open.contains("Items: open\n*Open:* Items?\n"), "{open}");
    assert!(open.contains("Grid: open\n*Open:* Grid?\n"), "{open}");
    // A placeholder left as the template wrote it is no answer at all.
    let blank = render(&q, &answers(&q, "items = [\"\"]").unwrap());
    assert!(blank.contains("Items: open\n"), "{blank}");
    assert!(Answer::List(vec![]).is_none());
    assert!(!Answer::List(vec![]).is_blank());
    assert!(Answer::List(vec![" ".into()]).is_blank());
}

#[test]
fn multi_line_answers_keep_their_lines_lists_and_paragraphs() {
    let q = kinds();
    let a = answers(
        &q,
        "notes = \"routes: parse input\\nservices: rules\\nrepositories: SQL\\n\\nA second paragraph.\\n- one\\n- two\"",
    )
    .unwrap();
    let text = render(&q, &a);
    assert!(
        text.contains(
            "Notes: routes: parse input\\\nservices: rules\\\nrepositories: SQL\n\nA second paragraph.\n- one\n- two\n"
        ),
        "{text}"
    );
    // Markdown reads three lines, a paragraph and a list, as written.
    let html = {
        use pulldown_cmark::{Event, Parser};
        Parser::new(&text).filter(|e| matches!(e, Event::HardBreak)).count()
    };
    assert_eq!(html, 2, "two hard breaks keep the three lines apart");
}

#[test]
fn control_characters_never_reach_the_document() {
    let q = kinds();
    let a = answers(&q, "notes = \"red \\u001b[31m text \\u0007\"").unwrap();
    let text = render(&q, &a);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(text.contains("\u{241B}[31m"));
}

fn d04() -> Arc<Questionnaire> {
    let (path, text) = BUILTIN[0];
    Arc::new(parse(Path::new(path), text).unwrap())
}

fn d04_complete() -> Answers {
    let path = Path::new("tests/answers/d04-backend-architecture-complete.toml");
    let text = std::fs::read_to_string(path).unwrap();
    session::parse(path, &text, &d04())
        .unwrap_or_else(|d| panic!("{d}"))
        .answers
}

/// The rule ids `check` reports for the complete D04 answers changed by `edit`.
fn d04_rules_after(edit: impl FnOnce(&mut Answers)) -> Vec<String> {
    let mut a = d04_complete();
    edit(&mut a);
    let engine = Engine::new(d04()).unwrap();
    lint::check(&engine, &a)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn d04_complete_answers_have_no_errors_or_warnings() {
    let engine = Engine::new(d04()).unwrap();
    let report = lint::check(&engine, &d04_complete()).unwrap();
    let serious: Vec<_> = report.findings.iter().filter(|f| f.severity > Severity::Info).collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

#[test]
fn d04_rbac_needs_roles_with_permissions() {
    let rules = d04_rules_after(|a| {
        a.remove("roles");
    });
    assert!(rules.contains(&"rbac-without-roles".to_string()), "{rules:?}");
    let rules = d04_rules_after(|a| {
        a.insert("authz_model".into(), Answer::Text("ownership-based".into()));
        a.remove("roles");
    });
    assert!(!rules.contains(&"rbac-without-roles".to_string()), "{rules:?}");

    let mut a = d04_complete();
    let Answer::Table(rows) = a.get_mut("roles").unwrap() else {
        panic!()
    };
    rows[1].insert("permissions".into(), "  ".into());
    let engine = Engine::new(d04()).unwrap();
    let report = lint::check(&engine, &a).unwrap();
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "role-without-permissions")
        .expect("fires");
    assert_eq!((f.question.as_deref(), f.row), (Some("roles"), Some(2)));
    assert!(f.message.contains("\"accountant\""), "{}", f.message);
}

#[test]
fn d04_api_style_needs_concrete_conventions_and_an_error_envelope() {
    let rules = d04_rules_after(|a| {
        a.remove("api_conventions");
        a.remove("pagination");
    });
    assert!(
        rules.contains(&"api-style-without-conventions".to_string()),
        "{rules:?}"
    );
    assert!(!rules.contains(&"no-error-envelope".to_string()));
    let rules = d04_rules_after(|a| {
        a.remove("error_envelope");
    });
    assert!(rules.contains(&"no-error-envelope".to_string()), "{rules:?}");
    assert!(
        rules.contains(&"api-style-without-conventions".to_string()),
        "{rules:?}"
    );
}

#[test]
fn d04_api_convention_message_names_what_is_missing() {
    let mut a = d04_complete();
    a.remove("pagination");
    let engine = Engine::new(d04()).unwrap();
    let report = lint::check(&engine, &a).unwrap();
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "api-style-without-conventions")
        .unwrap();
    assert!(
        f.message.contains("REST but pagination is not pinned down"),
        "{}",
        f.message
    );
}

#[test]
fn d04_filler_names_the_answer() {
    let engine = Engine::new(d04()).unwrap();
    let mut a = d04_complete();
    a.insert(
        "rate_limiting".into(),
        Answer::Text("We follow best practices to ensure scalability.".into()),
    );
    let report = lint::check(&engine, &a).unwrap();
    let f: Vec<_> = report.findings.iter().filter(|f| f.rule == "filler").collect();
    assert_eq!(f.len(), 1, "one finding per answer: {f:#?}");
    assert_eq!(f[0].question.as_deref(), Some("rate_limiting"));
    assert!(f[0].message.contains("\"ensure scalability\"") || f[0].message.contains("\"best practices\""));
    assert!(!d04_rules_after(|_| {}).contains(&"filler".to_string()));
}

#[test]
fn d04_every_rule_can_fire() {
    // Each rule id of the D04 questionnaire fires for at least one of these edits.
    let fired: Vec<String> = [
        d04_rules_after(|a| {
            a.remove("roles");
        }),
        d04_rules_after(|a| {
            let nameless = [("permissions".to_string(), "read".to_string())].into_iter().collect();
            let powerless = [("role".to_string(), "auditor".to_string())].into_iter().collect();
            a.insert("roles".into(), Answer::Table(vec![nameless, powerless]));
        }),
        d04_rules_after(|a| {
            a.remove("error_envelope");
        }),
        d04_rules_after(|a| {
            a.insert("api_conventions".into(), Answer::Text("REST".into()));
        }),
        d04_rules_after(|a| {
            a.insert(
                "error_envelope".into(),
                Answer::Text("Standard error responses.".into()),
            );
            a.insert("token_lifecycle".into(), Answer::Text("Short-lived tokens.".into()));
            a.insert("rate_limiting".into(), Answer::Text("Sensible limits.".into()));
            let vague = [
                ("code".to_string(), "conflict".to_string()),
                ("status".to_string(), "conflict".to_string()),
            ];
            a.insert("error_codes".into(), Answer::Table(vec![vague.into_iter().collect()]));
        }),
        d04_rules_after(|a| {
            a.insert("latency_availability".into(), Answer::Text("p95 200 ms".into()));
        }),
        d04_rules_after(|a| {
            a.insert("compliance".into(), Answer::List(vec!["none".into(), "GDPR".into()]));
        }),
    ]
    .concat();
    for rule in &d04().rules {
        assert!(fired.contains(&rule.id), "rule {} never fired", rule.id);
    }
}

#[test]
fn the_answers_template_is_a_valid_answers_file() {
    let q = d04();
    let template = session::answers_template(&q);
    let file = session::parse(Path::new("t.toml"), &template, &q).unwrap_or_else(|d| panic!("{d}\n{template}"));
    // Only the defaults are live; everything else is commented out.
    let defaults: Vec<&str> = q
        .questions()
        .filter(|x| x.default.is_some() && x.when.is_none())
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(
        file.answers.keys().map(String::as_str).collect::<Vec<_>>().len(),
        defaults.len()
    );
    // Uncommenting every line gives a file of the right types (only empty strings to fill in).
    let uncommented: String = template
        .lines()
        .map(|l| {
            if l.starts_with('#') && !l.starts_with("# ") && l.len() > 1 && !l.starts_with("#   ") {
                &l[1..]
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let filled = session::parse(Path::new("t.toml"), &uncommented, &q).unwrap_or_else(|d| panic!("{d}\n{uncommented}"));
    assert_eq!(filled.answers.len(), q.questions().count());
}

#[test]
fn serialised_answers_are_in_questionnaire_order() {
    let q = d04();
    let file = AnswersFile {
        questionnaire: None,
        answers: d04_complete(),
        provenance: std::collections::BTreeMap::default(),
        session: None,
    };
    let text = session::to_toml(&q, &file);
    let first = text.find("project_name =").unwrap();
    let later = text.find("observability =").unwrap();
    assert!(first < later);
    assert_eq!(
        session::parse(Path::new("x.toml"), &text, &q).unwrap().answers,
        file.answers
    );
}

/// Text as answers hold it after loading: no control characters but newline, no bidi overrides.
const CLEAN: &str = "[^\\p{Cc}\u{202A}-\u{202E}\u{2066}-\u{2069}]";

fn clean_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("{CLEAN}{{0,40}}(\n{CLEAN}{{0,20}}){{0,3}}")).unwrap()
}

fn clean_line(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("{CLEAN}{{0,{max}}}")).unwrap()
}

proptest! {
    #[test]
    fn answers_survive_a_round_trip(
        name in clean_line(30),
        notes in clean_text(),
        items in proptest::collection::vec(clean_line(12), 0..4),
        rows in proptest::collection::vec((clean_line(8), clean_text()), 0..3),
        count in any::<i64>(),
        ok in any::<bool>(),
    ) {
        let q = kinds();
        let mut answers = Answers::new();
        answers.insert("name".into(), Answer::Text(name));
        answers.insert("notes".into(), Answer::Text(notes));
        answers.insert("items".into(), Answer::List(items));
        answers.insert("count".into(), Answer::Integer(count));
        answers.insert("ok".into(), Answer::Bool(ok));
        answers.insert("grid".into(), Answer::Table(rows.into_iter().map(|(k, v)| [("k".to_string(), k), ("v".to_string(), v)].into_iter().collect()).collect()));
        answers.insert("check".into(), Answer::Assumption { assumption: "a \"quoted\" 'thing'".into() });
        let file = AnswersFile { questionnaire: Some("kinds".into()), answers, provenance: std::collections::BTreeMap::default(), session: None };
        let text = session::to_toml(&q, &file);
        let back = session::parse(Path::new("r.toml"), &text, &q).map_err(|d| TestCaseError::fail(format!("{d}\n{text}")))?;
        prop_assert_eq!(back.answers, file.answers);
    }
}

#[test]
fn code_block_and_unless_rules_find_the_right_lines() {
    let src = r#"format = 1
id = "code"
version = "1"
title = "Code"

[[documents]]
id = "doc"
path = ".specflow/docs/code.md"
template = '''
# Code
```mermaid
flowchart TD
```
{{ answer("body") }}
'''

[[sections]]
id = "s"
title = "S"

[[sections.questions]]
id = "body"
kind = "multiline"
prompt = "Body?"

[[rules]]
id = "diagrams-only"
severity = "error"
allow_code = ["mermaid"]
message = "A {{ language }} code block: this document allows Mermaid diagrams only."

[[rules]]
id = "todo-words"
severity = "warning"
pattern = '(?i)\btbd\b'
unless = '(?i)tbd: owner'
message = "Say who decides."
"#;
    let q = Arc::new(parse(Path::new("code.toml"), src).unwrap_or_else(|d| panic!("{d}")));
    let engine = Engine::new(Arc::clone(&q)).unwrap();
    let a = answers(
        &q,
        "body = \"Auth is TBD.\\nCaching TBD: owner Ana.\\n```python\\nprint(1)\\n```\\n\"",
    )
    .unwrap();
    let report = lint::check(&engine, &a).unwrap();
    let code: Vec<_> = report.findings.iter().filter(|f| f.rule == "diagrams-only").collect();
    assert_eq!(code.len(), 1, "{code:#?}");
    assert_eq!(code[0].line, Some(7));
    assert!(code[0].message.starts_with("A python code block"));
    let tbd: Vec<_> = report.findings.iter().filter(|f| f.rule == "todo-words").collect();
    assert_eq!(tbd.len(), 1, "the line with an owner is excused: {tbd:#?}");
}

#[test]
fn mermaid_labels_keep_every_character_as_entity_codes() {
    let src = ALL_KINDS.replace("Notes: {{ answer(\"notes\") }}", "Label: [\"{{ notes | mermaid }}\"]");
    let q = Arc::new(parse(Path::new("kinds.toml"), &src).unwrap_or_else(|d| panic!("{d}")));
    let a = answers(&q, r#"notes = "C# & R&D: \"fast\" <edge> a|b; 100% done\nnext""#).unwrap();
    let text = render(&q, &a);
    assert!(
        text.contains("Label: [\"C#35; #amp; R#amp;D: #quot;fast#quot; #lt;edge#gt; a#124;b#59; 100#37; done next\"]"),
        "{text}"
    );
}
