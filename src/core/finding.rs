//! One thing `check` reports: a rule or built-in finding, its severity, where it points and
//! what it says. Shared by the rule engine, the templates (checklists, "ready") and the shell.
use serde::Serialize;

use crate::core::questionnaire::Severity;

/// The ids of the findings `check` makes on its own; rules may not reuse them.
pub const BUILT_IN_FINDINGS: &[&str] = &[
    "required",
    "invalid",
    "assumed",
    "default",
    "hidden-answer",
    "condition",
    "filler",
    crate::core::reference::RULE,
    "template",
    "limit",
    crate::core::openapi::INCOMPLETE,
    crate::core::openapi::INVALID,
    crate::core::openapi::REQUIREMENT_WITHOUT_ENDPOINT,
    crate::core::openapi::ENDPOINT_WITHOUT_REQUIREMENT,
];

/// One thing `check` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule id, or one of [`BUILT_IN_FINDINGS`].
    pub rule: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// 1-based row or item of a list or table answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// Document id and 1-based line, for findings in rendered text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    pub fn new(rule: &str, severity: Severity, question: Option<&str>, message: String) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity,
            question: question.map(str::to_string),
            row: None,
            document: None,
            line: None,
            message,
        }
    }
}
