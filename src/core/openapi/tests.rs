use super::*;
use crate::core::questionnaire::{OpenApiMapping, TableMap};
use std::collections::{BTreeMap, HashMap};

struct Given(HashMap<String, Answer>);

impl Answers for Given {
    fn answer(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }
}

fn table(question: &str, roles: &[(&str, &str)]) -> TableMap {
    TableMap {
        question: question.into(),
        columns: roles
            .iter()
            .map(|(r, c)| ((*r).to_string(), (*c).to_string()))
            .collect(),
    }
}

fn rows(cells: &[&[(&str, &str)]]) -> Answer {
    Answer::Table(
        cells
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect::<BTreeMap<_, _>>()
            })
            .collect(),
    )
}

fn mapping() -> OpenApiMapping {
    OpenApiMapping {
        title: Some("name".into()),
        endpoints: table(
            "endpoints",
            &[
                ("method", "method"),
                ("path", "path"),
                ("requirements", "fr"),
                ("auth", "auth"),
                ("errors", "errors"),
                ("request", "request"),
                ("response", "response"),
                ("paginated", "paged"),
            ],
        ),
        fields: Some(table(
            "fields",
            &[
                ("schema", "schema"),
                ("name", "field"),
                ("type", "type"),
                ("required", "required"),
            ],
        )),
        parameters: Some(table("params", &[("name", "name"), ("type", "type")])),
        error_format: Some("errors_text".into()),
        pagination: Some("paging".into()),
        auth: Some("strategy".into()),
        requirements: vec!["must".into()],
        ..OpenApiMapping::default()
    }
}

fn complete() -> Given {
    let mut a = HashMap::new();
    a.insert("name".into(), Answer::Text("Shop".into()));
    a.insert(
        "endpoints".into(),
        rows(&[
            &[
                ("method", "GET"),
                ("path", "/v1/orders"),
                ("fr", "FR-1"),
                ("auth", "orders:read"),
                ("errors", "401"),
                ("request", "-"),
                ("response", "200 Page<Order>"),
                ("paged", "yes"),
            ],
            &[
                ("method", "GET"),
                ("path", "/v1/orders/{orderId}"),
                ("fr", "FR-1"),
                ("auth", "public"),
                ("errors", "404"),
                ("request", "-"),
                ("response", "200 Order"),
            ],
        ]),
    );
    a.insert(
        "fields".into(),
        rows(&[
            &[
                ("schema", "Order"),
                ("field", "id"),
                ("type", "string (uuid)"),
                ("required", "yes"),
            ],
            &[
                ("schema", "Page"),
                ("field", "data"),
                ("type", "array"),
                ("required", "yes"),
            ],
            &[
                ("schema", "Page"),
                ("field", "nextCursor"),
                ("type", "string"),
                ("required", "no"),
            ],
        ]),
    );
    a.insert("params".into(), rows(&[&[("name", "orderId"), ("type", "uuid")]]));
    a.insert(
        "errors_text".into(),
        Answer::Text("Body: {\"code\": \"x\", \"message\": \"y\"}".into()),
    );
    a.insert("paging".into(), Answer::Text("cursor".into()));
    a.insert("strategy".into(), Answer::List(vec!["JWT bearer tokens".into()]));
    a.insert(
        "must".into(),
        Answer::List(vec!["FR-1: browse orders".into(), "FR-2: pay".into()]),
    );
    Given(a)
}

#[test]
fn empty_answers_give_a_valid_document_that_marks_every_gap() {
    let g = generate(&mapping(), &Given(HashMap::new()), "Untitled");
    assert!(g.problems.is_empty(), "{:?}", g.problems);
    assert!(!g.gaps.is_empty());
    assert!(g.text.starts_with("openapi: 3.1.0\n"), "{}", g.text);
    assert!(g.text.contains("x-todo"), "{}", g.text);
    assert!(!check::todos(&g.spec).is_empty());
    assert!(!g.is_complete());
}

#[test]
fn answers_become_operations_schemas_and_security() {
    let g = generate(&mapping(), &complete(), "Untitled");
    assert!(g.problems.is_empty(), "{:?}\n{}", g.problems, g.text);
    let t = &g.text;
    assert!(t.contains("  /v1/orders/{orderId}:\n    get:\n"), "{t}");
    assert!(t.contains("operationId: listOrders"), "{t}");
    assert!(t.contains("- bearerAuth:\n        - orders:read"), "{t}");
    assert!(t.contains("x-fr-ids:\n      - FR-1"), "{t}");
    assert!(t.contains("$ref: '#/components/responses/NotFound'"), "{t}");
    assert!(t.contains("name: cursor"), "{t}");
    assert!(t.contains("format: uuid"), "{t}");
    // Nothing is missing.
    assert!(g.is_complete(), "{:?}", g.gaps);
    assert!(!t.contains("x-todo"), "{t}");
    // Deterministic.
    assert_eq!(generate(&mapping(), &complete(), "Untitled").text, g.text);
}

#[test]
fn a_broken_reference_fails_the_structural_check() {
    let mut g = generate(&mapping(), &complete(), "Untitled");
    let text = g
        .text
        .replace("#/components/schemas/Order", "#/components/schemas/Missing");
    g.spec = yaml_serde::from_str(&text).unwrap();
    let problems = check::problems(&g.spec);
    assert!(problems.iter().any(|p| p.contains("Missing")), "{problems:?}");
}

#[test]
fn requirements_trace_both_ways() {
    let answers = complete();
    let matrix = traceability(&mapping(), &answers);
    assert_eq!(matrix.requirements.len(), 2);
    assert_eq!(
        matrix.requirements[0].endpoints,
        ["GET /v1/orders", "GET /v1/orders/{orderId}"]
    );
    assert!(matrix.requirements[1].endpoints.is_empty());
    let f = trace::findings(&mapping(), &answers);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule, REQUIREMENT_WITHOUT_ENDPOINT);
    assert_eq!(f[0].row, Some(2));
}
