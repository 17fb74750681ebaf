//! Checking answers: required gaps, broken constraints, and the questionnaire's lint rules,
//! evaluated on the answers and on the rendered text.
use minijinja::value::{Value, merge_maps};
use serde::Serialize;
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::document::{Engine, QuestionState, RenderError, RenderedDocument, Visibility};
use crate::core::questionnaire::{Rule, RuleTarget, RuleTest, Severity};
use crate::core::session::Answers;
use crate::core::template_env::{self, RenderData};

/// The ids of the findings `check` makes on its own; rules may not reuse them.
pub const BUILT_IN_FINDINGS: &[&str] = &[
    "required",
    "invalid",
    "assumed",
    "hidden-answer",
    "condition",
    crate::core::reference::RULE,
];

/// One thing `check` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule id, or `required`, `invalid`, `assumed`, `hidden-answer`, `condition`.
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

/// Findings and the documents they were found in.
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub documents: Vec<RenderedDocument>,
    /// Every question's state, in questionnaire order (the interview's outline reads them).
    pub states: Vec<(String, QuestionState)>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

fn finding(rule: &str, severity: Severity, question: Option<&str>, message: String) -> Finding {
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

/// Runs every check on `answers`.
pub fn check(engine: &Engine, answers: &Answers) -> Result<Report, RenderError> {
    check_with(engine, answers, &engine.visibility(answers))
}

/// `check` with visibility already worked out.
pub fn check_with(engine: &Engine, answers: &Answers, visibility: &Visibility) -> Result<Report, RenderError> {
    let q = Arc::clone(engine.questionnaire());
    let data = engine.render_data(answers, visibility);
    let mut findings = Vec::new();

    for (id, error) in &visibility.errors {
        findings.push(finding(
            "condition",
            Severity::Warning,
            Some(id),
            format!("The condition of \"{id}\" could not be evaluated ({error}); the question is shown."),
        ));
    }
    let states = engine.states(answers, visibility);
    for (id, state) in states.iter().cloned() {
        let Some(question) = q.question(&id) else {
            continue;
        };
        match state {
            QuestionState::Open { required: true } => findings.push(finding(
                "required",
                Severity::Error,
                Some(&id),
                format!("\"{}\" is required and still open; the document shows a TODO.", question.prompt),
            )),
            QuestionState::Invalid(problems) => {
                for p in problems {
                    findings.push(finding("invalid", Severity::Error, Some(&id), format!("{}{}.", p[..1].to_uppercase(), &p[1..])));
                }
            }
            QuestionState::Assumed => {
                // The words the document uses: the user's assumption (given or default), else the
                // questionnaire's bounded one.
                let own = match answers.get(&id) {
                    Some(Answer::Assumption { assumption }) if !assumption.trim().is_empty() => Some(assumption.trim()),
                    _ => None,
                };
                let message = match own {
                    // The user chose to assume, in their own words: that is a decision, not a gap.
                    Some(text) if Some(text) != question.assume.as_deref().map(str::trim) => {
                        format!("Assumed, in your words: {text}")
                    }
                    Some(text) => format!("Assumed, in the questionnaire's words: {text}"),
                    None => {
                        let text = match data.effective(&id) {
                            Some(Answer::Assumption { assumption }) if !assumption.trim().is_empty() => assumption.clone(),
                            _ => question.assume.clone().unwrap_or_default(),
                        };
                        format!("Left open; the document states the assumption: {text}")
                    }
                };
                findings.push(finding("assumed", Severity::Info, Some(&id), message));
            }
            QuestionState::Hidden { has_answer: true } => findings.push(finding(
                "hidden-answer",
                Severity::Info,
                Some(&id),
                format!("\"{id}\" has an answer, but its condition hides the question, so the answer stays out of the document."),
            )),
            QuestionState::Hidden { has_answer: false } | QuestionState::Answered | QuestionState::Open { required: false } => {}
        }
    }

    let documents = engine.render_with(answers, visibility)?;
    // The answers context is built once; per-row values are laid over it.
    let answers_ctx = template_env::context(Arc::clone(&data), &[]);
    for rule in &q.rules {
        run_rule(engine, rule, &data, &answers_ctx, &documents, &mut findings)?;
    }
    // Values that must name something; a questionnaire rule about the same row speaks for it.
    for f in crate::core::reference::findings(&q, answers, visibility) {
        let covered = findings
            .iter()
            .any(|g| g.question == f.question && g.row == f.row && !BUILT_IN_FINDINGS.contains(&g.rule.as_str()));
        if !covered {
            findings.push(f);
        }
    }
    Ok(Report {
        findings,
        documents,
        states,
    })
}

/// The 1-based line and language of every code block (fenced or indented) in Markdown.
fn code_blocks(markdown: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    Parser::new(markdown)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let line = markdown[..range.start.min(markdown.len())].matches('\n').count() + 1;
                Some((line, language))
            }
            _ => None,
        })
        .collect()
}

fn run_rule(
    engine: &Engine,
    rule: &Rule,
    data: &Arc<RenderData>,
    answers_ctx: &Value,
    documents: &[RenderedDocument],
    findings: &mut Vec<Finding>,
) -> Result<(), RenderError> {
    let q = engine.questionnaire();
    let with = |extra: &[(&str, Value)]| {
        if extra.is_empty() {
            answers_ctx.clone()
        } else {
            merge_maps([Value::from_pairs(extra.iter().cloned()), answers_ctx.clone()])
        }
    };
    let message = |extra: &[(&str, Value)]| -> Result<String, RenderError> {
        let ctx = with(extra);
        engine
            .render_named(&format!("rule-message:{}", rule.id), ctx)
            .map(|m| m.trim().to_string())
            .map_err(|e| engine.template_failure(0, &format!("the message of rule \"{}\"", rule.id), &e))
    };
    let holds = |extra: &[(&str, Value)]| -> Result<bool, RenderError> {
        let ctx = with(extra);
        engine
            .render_named(&format!("rule-when:{}", rule.id), ctx)
            .map(|out| out == "1")
            .map_err(|e| engine.template_failure(0, &format!("the \"when\" of rule \"{}\"", rule.id), &e))
    };
    let base = |msg: String| finding(&rule.id, rule.severity, rule.question.as_deref(), msg);
    match &rule.test {
        RuleTest::When { each: None, .. } => {
            if holds(&[])? {
                findings.push(base(message(&[])?));
            }
        }
        RuleTest::When { each: Some(each), .. } => {
            let items: Vec<Value> = match data.effective(each) {
                Some(Answer::Table(rows)) => rows.iter().map(|r| Value::from(minijinja::value::Serde(r))).collect(),
                Some(Answer::List(items)) => items.iter().map(|s| Value::from(s.as_str())).collect(),
                _ => Vec::new(),
            };
            for (i, item) in items.into_iter().enumerate() {
                let extra = [("row", item.clone()), ("item", item), ("index", Value::from(i + 1))];
                if holds(&extra)? {
                    let mut f = base(message(&extra)?);
                    f.question = Some(rule.question.clone().unwrap_or_else(|| each.clone()));
                    f.row = Some(i + 1);
                    findings.push(f);
                }
            }
        }
        RuleTest::Pattern {
            regex,
            target: RuleTarget::Answers,
            unless_regex,
            ..
        } => {
            // `unless` excuses a line, not the whole answer.
            let hit = |text: &str| {
                text.lines()
                    .filter(|line| !unless_regex.as_ref().is_some_and(|u| u.is_match(line)))
                    .find_map(|line| regex.find(line).map(|m| m.as_str().to_string()))
            };
            for question in q.questions() {
                let Some(answer) = data.effective(&question.id) else {
                    continue;
                };
                let mut seen_rows = Vec::new();
                for (row, text) in answer.texts() {
                    if seen_rows.contains(&row) {
                        continue;
                    }
                    if let Some(m) = hit(text) {
                        seen_rows.push(row);
                        let mut f = base(message(&[("match", Value::from(m))])?);
                        f.question = Some(question.id.clone());
                        f.row = row.map(|r| r + 1);
                        findings.push(f);
                    }
                }
            }
        }
        RuleTest::Pattern {
            regex,
            target: RuleTarget::Document,
            unless_regex,
            ..
        } => {
            for doc in documents {
                for (i, line) in doc.text.lines().enumerate() {
                    let excused = unless_regex.as_ref().is_some_and(|u| u.is_match(line));
                    if let Some(m) = regex.find(line).filter(|_| !excused) {
                        let mut f = base(message(&[("match", Value::from(m.as_str()))])?);
                        f.document = Some(doc.id.clone());
                        f.line = Some(i + 1);
                        findings.push(f);
                    }
                }
            }
        }
        RuleTest::CodeBlocks { allowed } => {
            for doc in documents {
                for (line, language) in code_blocks(&doc.text) {
                    if !allowed.iter().any(|a| *a == language.to_lowercase()) {
                        let shown = if language.is_empty() {
                            "(no language)".to_string()
                        } else {
                            language
                        };
                        let mut f = base(message(&[("language", Value::from(shown))])?);
                        f.document = Some(doc.id.clone());
                        f.line = Some(line);
                        findings.push(f);
                    }
                }
            }
        }
        RuleTest::Lines { min, max, document } => {
            for doc in documents
                .iter()
                .filter(|d| document.as_ref().is_none_or(|id| *id == d.id))
            {
                let lines = doc.text.lines().count();
                let outside = min.is_some_and(|m| lines < m) || max.is_some_and(|m| lines > m);
                if outside {
                    let mut f = base(message(&[("lines", Value::from(lines))])?);
                    f.document = Some(doc.id.clone());
                    findings.push(f);
                }
            }
        }
    }
    Ok(())
}
