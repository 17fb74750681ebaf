//! The `OpenAPI` 3.1 document a questionnaire's answers describe (the `openapi` generator): built
//! on the `oas3` model from the tables its mapping names, written as YAML with a stable key
//! order, every gap marked `x-todo` and reported as a finding on the question that owns it;
//! its structural check; and the traceability of requirements to endpoints, both ways.
mod build;
pub mod check;
mod payload;
mod trace;
mod types;

pub use trace::{Requirement, Traceability, traceability};

use crate::core::answer::Answer;
use crate::core::finding::Finding;
use crate::core::questionnaire::{OpenApiMapping, Severity};
use crate::core::template_env::RenderData;

/// A gap in the document: what is missing, and the question (and row) that would fill it.
pub const INCOMPLETE: &str = "spec-incomplete";
/// The generated document breaks the `OpenAPI` structure (a fault of the generator).
pub const INVALID: &str = "spec-invalid";
/// A requirement that must be served has no endpoint and no recorded deferral.
pub const REQUIREMENT_WITHOUT_ENDPOINT: &str = "requirement-without-endpoint";
/// An endpoint that traces to none of the listed requirements.
pub const ENDPOINT_WITHOUT_REQUIREMENT: &str = "endpoint-without-requirement";
/// The findings this generator makes; a checklist line may name them among its rules.
pub const FINDINGS: &[&str] = &[
    INCOMPLETE,
    INVALID,
    REQUIREMENT_WITHOUT_ENDPOINT,
    ENDPOINT_WITHOUT_REQUIREMENT,
];

/// Where the generator reads answers: the answer that counts for a question (none when it is
/// hidden or open; its default when it has one).
pub trait Answers {
    fn answer(&self, id: &str) -> Option<&Answer>;
}

impl Answers for RenderData {
    fn answer(&self, id: &str) -> Option<&Answer> {
        self.effective(id)
    }
}

/// Something the document lacks, said once in the document (`x-todo`) and once by `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub question: Option<String>,
    /// 1-based row of a table question.
    pub row: Option<usize>,
    pub message: String,
}

/// A generated document.
#[derive(Debug, Clone)]
pub struct Generated {
    pub spec: oas3::Spec,
    /// The YAML text, ending in one newline.
    pub text: String,
    pub gaps: Vec<Gap>,
    /// What the structural check finds wrong (empty for every document this generator writes).
    pub problems: Vec<String>,
}

impl Generated {
    /// Valid and without a gap: the document is the complete contract.
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty() && self.gaps.is_empty()
    }
}

/// Builds the document from the answers. `title` stands in for `info.title` while the mapped
/// question is open (marked as a gap).
pub fn generate(mapping: &OpenApiMapping, answers: &dyn Answers, title: &str) -> Generated {
    let (spec, gaps) = build::build(mapping, answers, title);
    let text = to_yaml(&spec);
    let mut problems = check::problems(&spec);
    // The text is what is saved: it must read back as the same document.
    match yaml_serde::from_str::<oas3::Spec>(&text) {
        Ok(back) if back == spec => {}
        Ok(_) => problems.push("the YAML does not read back as the same document".into()),
        Err(e) => problems.push(format!("the YAML does not read back: {e}")),
    }
    Generated {
        spec,
        text,
        gaps,
        problems,
    }
}

/// The document as YAML: keys in the model's order, maps in the order they were built.
pub fn to_yaml(spec: &oas3::Spec) -> String {
    let mut text = yaml_serde::to_value(spec)
        .map(|mut value| {
            without_null_bearer_formats(&mut value);
            value
        })
        .and_then(|value| yaml_serde::to_string(&value))
        .unwrap_or_else(|e| format!("# the document could not be written: {e}\n"));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The model writes a bearer scheme's optional `bearerFormat` as `null` when it is not known,
/// which the specification does not allow (it is a string): such an entry is left out.
fn without_null_bearer_formats(spec: &mut yaml_serde::Value) {
    let Some(schemes) = spec
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(yaml_serde::Value::as_mapping_mut)
    else {
        return;
    };
    for scheme in schemes.values_mut() {
        if let Some(scheme) = scheme.as_mapping_mut()
            && scheme.get("bearerFormat").is_some_and(yaml_serde::Value::is_null)
        {
            scheme.shift_remove("bearerFormat");
        }
    }
}

/// The findings of a generated document: each gap, each structural problem, and the
/// traceability of requirements and endpoints.
pub fn findings(mapping: &OpenApiMapping, answers: &dyn Answers, generated: &Generated, path: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for gap in &generated.gaps {
        let mut f = Finding::new(
            INCOMPLETE,
            mapping.gaps,
            gap.question.as_deref(),
            format!("{} (marked x-todo in {path}).", gap.message.trim_end_matches('.')),
        );
        f.row = gap.row;
        out.push(f);
    }
    for problem in &generated.problems {
        out.push(Finding::new(
            INVALID,
            Severity::Error,
            None,
            format!("{path} is not a valid OpenAPI 3.1 document: {problem}."),
        ));
    }
    out.extend(trace::findings(mapping, answers));
    out
}

#[cfg(test)]
mod tests;
