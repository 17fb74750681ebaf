//! Checking answers for `check`, the render note and the interview: every finding (required
//! gaps, broken constraints, assumptions, unconfirmed defaults, filler, the questionnaire's
//! rules on the answers and on the rendered text) with the documents it was found in.
use crate::core::document::{Engine, QuestionState, RenderError, RenderedDocument, Visibility};
use crate::core::questionnaire::Severity;
use crate::core::session::Answers;

pub use crate::core::finding::{BUILT_IN_FINDINGS, Finding};

/// Findings and the documents they were found in.
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub documents: Vec<RenderedDocument>,
    /// Every question's state, in questionnaire order (the interview's outline reads them).
    pub states: Vec<(String, QuestionState)>,
    /// The first template that failed; it is also among the findings (see `check_all`).
    pub failure: Option<RenderError>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Runs every check on `answers`.
pub fn check(engine: &Engine, answers: &Answers) -> Result<Report, RenderError> {
    check_with(engine, answers, &engine.visibility(answers))
}

/// `check` with visibility already worked out.
pub fn check_with(engine: &Engine, answers: &Answers, visibility: &Visibility) -> Result<Report, RenderError> {
    let report = check_all(engine, answers, visibility);
    match report.failure {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// Every check, going on past a template that fails (a limit, say): the failure is a finding
/// (`limit` or `template`) and `Report::failure`, and the checks that do not need that template
/// still run. The interview shows it among the findings.
pub fn check_all(engine: &Engine, answers: &Answers, visibility: &Visibility) -> Report {
    let evaluation = engine.evaluate_all(answers, visibility);
    Report {
        findings: evaluation.findings,
        documents: evaluation.documents,
        states: evaluation.states,
        failure: evaluation.failure,
    }
}
