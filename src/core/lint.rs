//! Checking answers: required gaps, broken constraints, and the questionnaire's lint rules,
//! evaluated on the answers and on the rendered text.
use minijinja::value::{Value, merge_maps};
use regex::Regex;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::answer::Answer;
use crate::core::bounded::Pass;
use crate::core::document::{Engine, QuestionState, RenderError, RenderedDocument, Visibility};
use crate::core::questionnaire::{Rule, RuleTarget, RuleTest, Severity};
use crate::core::session::Answers;
use crate::core::template_env::{self, RenderData};
use crate::core::{limits, pattern};

/// The ids of the findings `check` makes on its own; rules may not reuse them.
pub const BUILT_IN_FINDINGS: &[&str] = &[
    "required",
    "invalid",
    "assumed",
    "hidden-answer",
    "condition",
    "template",
    "limit",
];

/// One thing `check` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule id, or a built-in finding: `required`, `invalid`, `assumed`, `hidden-answer`,
    /// `condition`, `template` (a template failed), `limit` (a limit stopped a template or a
    /// pattern rule).
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
    /// Every document, or none when one of them failed to render (see `failure`).
    pub documents: Vec<RenderedDocument>,
    /// Every question's state, in questionnaire order (the interview's outline reads them).
    pub states: Vec<(String, QuestionState)>,
    /// The first template that failed (a document, a rule's condition or message); it is also
    /// among the findings.
    pub failure: Option<RenderError>,
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

/// The finding for a template that failed: `limit` when a limit stopped it.
fn failed(e: &RenderError) -> Finding {
    let rule = if e.limit.is_some() { "limit" } else { "template" };
    finding(rule, Severity::Error, e.question.as_deref(), e.to_string())
}

/// Runs every check on `answers`; fails with the first template that failed.
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

/// Every check, going on past a template that fails: the failure is a finding (and
/// `Report::failure`), and the checks that do not need it still run. For the interview, which
/// shows it among the findings.
pub fn check_all(engine: &Engine, answers: &Answers, visibility: &Visibility) -> Report {
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
                let text = match data.effective(&id) {
                    Some(Answer::Assumption { assumption }) if !assumption.trim().is_empty() => assumption.clone(),
                    _ => question.assume.clone().unwrap_or_default(),
                };
                findings.push(finding(
                    "assumed",
                    Severity::Info,
                    Some(&id),
                    format!("Left open; the document states the assumption: {text}"),
                ));
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

    let mut failure = None;
    let documents = match engine.render_with(answers, visibility) {
        Ok(documents) => documents,
        Err(e) => {
            findings.push(failed(&e));
            failure = Some(e);
            Vec::new()
        }
    };
    // The answers context is built once; per-row values are laid over it.
    let answers_ctx = template_env::context(Arc::clone(&data), &[]);
    let mut run = RuleRun {
        engine,
        answers,
        data: &data,
        answers_ctx: &answers_ctx,
        documents: &documents,
        pass: Pass::default(),
        searching: Duration::ZERO,
        findings: Vec::new(),
    };
    for rule in &q.rules {
        if let Err(e) = run.rule(rule) {
            run.findings.push(failed(&e));
            failure.get_or_insert(e);
        }
    }
    findings.append(&mut run.findings);
    Report {
        findings,
        documents,
        states,
        failure,
    }
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

/// The rules of one check: they share one template budget and one search time.
struct RuleRun<'a> {
    engine: &'a Engine,
    answers: &'a Answers,
    data: &'a Arc<RenderData>,
    answers_ctx: &'a Value,
    documents: &'a [RenderedDocument],
    pass: Pass,
    /// Time spent searching with patterns so far.
    searching: Duration,
    findings: Vec<Finding>,
}

impl RuleRun<'_> {
    fn context(&self, extra: &[(&str, Value)]) -> Value {
        if extra.is_empty() {
            self.answers_ctx.clone()
        } else {
            merge_maps([Value::from_pairs(extra.iter().cloned()), self.answers_ctx.clone()])
        }
    }

    fn message(&mut self, rule: &Rule, extra: &[(&str, Value)]) -> Result<String, RenderError> {
        let ctx = self.context(extra);
        self.engine
            .render_named(&format!("rule-message:{}", rule.id), ctx, &mut self.pass)
            .map(|m| m.trim().to_string())
            .map_err(|e| {
                self.engine
                    .template_failure(0, &format!("the message of rule \"{}\"", rule.id), &e, self.answers)
            })
    }

    fn holds(&mut self, rule: &Rule, extra: &[(&str, Value)]) -> Result<bool, RenderError> {
        let ctx = self.context(extra);
        self.engine
            .render_named(&format!("rule-when:{}", rule.id), ctx, &mut self.pass)
            .map(|out| out == "1")
            .map_err(|e| {
                self.engine
                    .template_failure(0, &format!("the \"when\" of rule \"{}\"", rule.id), &e, self.answers)
            })
    }

    /// Searches `text` (at most its first `PATTERN_TEXT` bytes) with `regex`, minding `unless`
    /// and the search time left. `Err(())` once the time is used up.
    fn search(&mut self, regex: &Regex, unless: Option<&Regex>, text: &str) -> Result<Option<String>, ()> {
        if self.searching >= limits::PATTERN_TIME {
            return Err(());
        }
        let started = Instant::now();
        let (text, _) = pattern::searched(text);
        let excused = unless.is_some_and(|u| u.is_match(text));
        let hit = if excused {
            None
        } else {
            regex.find(text).map(|m| m.as_str().to_string())
        };
        self.searching += started.elapsed();
        Ok(hit)
    }

    /// The finding that says the pattern rules stopped searching.
    fn out_of_time(&mut self, rule: &Rule) {
        self.findings.push(finding(
            "limit",
            Severity::Warning,
            None,
            format!(
                "The pattern rules stopped searching at rule \"{}\": they may search for {} ms in one check, the limit for all of them together; the rest of the answers and documents were not searched.",
                rule.id,
                limits::PATTERN_TIME.as_millis()
            ),
        ));
    }

    /// Notes that a line longer than a pattern searches was searched only in part.
    fn note_cut(&mut self, rule: &Rule, text: &str, place: Finding) {
        if pattern::searched(text).1 {
            self.findings.push(Finding {
                rule: "limit".into(),
                severity: Severity::Info,
                message: format!("Rule \"{}\": a line here is {}.", rule.id, pattern::cut_note()),
                ..place
            });
        }
    }

    fn rule(&mut self, rule: &Rule) -> Result<(), RenderError> {
        let q = Arc::clone(self.engine.questionnaire());
        let base = |msg: String| finding(&rule.id, rule.severity, rule.question.as_deref(), msg);
        match &rule.test {
            RuleTest::When { each: None, .. } => {
                if self.holds(rule, &[])? {
                    let m = self.message(rule, &[])?;
                    self.findings.push(base(m));
                }
            }
            RuleTest::When { each: Some(each), .. } => {
                let items: Vec<Value> = match self.data.effective(each) {
                    Some(Answer::Table(rows)) => rows.iter().map(|r| Value::from(minijinja::value::Serde(r))).collect(),
                    Some(Answer::List(items)) => items.iter().map(|s| Value::from(s.as_str())).collect(),
                    _ => Vec::new(),
                };
                for (i, item) in items.into_iter().enumerate() {
                    let extra = [("row", item.clone()), ("item", item), ("index", Value::from(i + 1))];
                    if self.holds(rule, &extra)? {
                        let mut f = base(self.message(rule, &extra)?);
                        f.question = Some(rule.question.clone().unwrap_or_else(|| each.clone()));
                        f.row = Some(i + 1);
                        self.findings.push(f);
                    }
                }
            }
            RuleTest::Pattern {
                regex,
                target: RuleTarget::Answers,
                unless_regex,
                ..
            } => {
                for question in q.questions() {
                    let Some(answer) = self.data.effective(&question.id) else {
                        continue;
                    };
                    let mut seen_rows = Vec::new();
                    for (row, text) in answer.texts() {
                        if seen_rows.contains(&row) {
                            continue;
                        }
                        // `unless` excuses a line, not the whole answer.
                        for line in text.lines() {
                            let place = Finding {
                                question: Some(question.id.clone()),
                                row: row.map(|r| r + 1),
                                ..base(String::new())
                            };
                            self.note_cut(rule, line, place.clone());
                            let Ok(hit) = self.search(regex, unless_regex.as_ref(), line) else {
                                self.out_of_time(rule);
                                return Ok(());
                            };
                            if let Some(m) = hit {
                                seen_rows.push(row);
                                let message = self.message(rule, &[("match", Value::from(m))])?;
                                self.findings.push(Finding { message, ..place });
                                break;
                            }
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
                for doc in self.documents {
                    for (i, line) in doc.text.lines().enumerate() {
                        let place = Finding {
                            document: Some(doc.id.clone()),
                            line: Some(i + 1),
                            ..base(String::new())
                        };
                        self.note_cut(rule, line, place.clone());
                        let Ok(hit) = self.search(regex, unless_regex.as_ref(), line) else {
                            self.out_of_time(rule);
                            return Ok(());
                        };
                        if let Some(m) = hit {
                            let message = self.message(rule, &[("match", Value::from(m))])?;
                            self.findings.push(Finding { message, ..place });
                        }
                    }
                }
            }
            RuleTest::CodeBlocks { allowed } => {
                for doc in self.documents {
                    for (line, language) in code_blocks(&doc.text) {
                        if !allowed.iter().any(|a| *a == language.to_lowercase()) {
                            let shown = if language.is_empty() {
                                "(no language)".to_string()
                            } else {
                                language
                            };
                            let mut f = base(self.message(rule, &[("language", Value::from(shown))])?);
                            f.document = Some(doc.id.clone());
                            f.line = Some(line);
                            self.findings.push(f);
                        }
                    }
                }
            }
            RuleTest::Lines { min, max, document } => {
                for doc in self
                    .documents
                    .iter()
                    .filter(|d| document.as_ref().is_none_or(|id| *id == d.id))
                {
                    let lines = doc.text.lines().count();
                    let outside = min.is_some_and(|m| lines < m) || max.is_some_and(|m| lines > m);
                    if outside {
                        let mut f = base(self.message(rule, &[("lines", Value::from(lines))])?);
                        f.document = Some(doc.id.clone());
                        self.findings.push(f);
                    }
                }
            }
        }
        Ok(())
    }
}
