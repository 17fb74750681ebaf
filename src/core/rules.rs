//! Running checks: the built-in findings (required gaps, broken constraints, assumptions,
//! unconfirmed defaults, hidden answers, filler phrases) and the questionnaire's rules, first
//! those that read the answers, then those that read the rendered documents.
use minijinja::Environment;
use minijinja::value::{Value, merge_maps};
use regex::Regex;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::answer::Answer;
use crate::core::bounded::{self, Pass};
use crate::core::filler;
use crate::core::finding::Finding;
use crate::core::questionnaire::{Questionnaire, Rule, RuleTarget, RuleTest, Severity};
use crate::core::session::{Answers, given_answer};
use crate::core::state::QuestionState;
use crate::core::template_env::{self, RenderData, RenderError};
use crate::core::{limits, pattern};

/// The compiled templates of one questionnaire, for rule conditions and messages, and what the
/// rules of one check may still spend: their templates share one budget, their patterns one
/// search time.
pub struct RuleRunner<'a> {
    env: &'a Environment<'static>,
    questionnaire: &'a Questionnaire,
    /// The answers checked (to name the one that drove a template past a limit).
    answers: &'a Answers,
    pass: RefCell<Pass>,
    /// Time spent searching with patterns so far.
    searching: Cell<Duration>,
    /// The first rule template that failed.
    failure: RefCell<Option<RenderError>>,
}

/// The finding for a template that failed: `limit` when a limit stopped it, else `template`.
pub fn failed(e: &RenderError) -> Finding {
    let rule = if e.limit.is_some() { "limit" } else { "template" };
    Finding::new(rule, Severity::Error, e.question.as_deref(), e.to_string())
}

/// The findings `check` makes on its own, from the question states and the given answers.
pub fn built_in(data: &RenderData, condition_errors: &[(String, String)]) -> Vec<Finding> {
    let q = &data.questionnaire;
    let mut findings = Vec::new();
    for (id, error) in condition_errors {
        findings.push(Finding::new(
            "condition",
            Severity::Warning,
            Some(id),
            format!("The condition of \"{id}\" could not be evaluated ({error}); the question is shown."),
        ));
    }
    for question in q.questions() {
        let id = question.id.as_str();
        match data.state(question) {
            QuestionState::Open { required: true } => findings.push(Finding::new(
                "required",
                Severity::Error,
                Some(id),
                format!("\"{}\" is required and still open; the document shows a TODO.", question.prompt),
            )),
            QuestionState::Invalid(problems) => {
                for p in problems {
                    findings.push(Finding::new(
                        "invalid",
                        Severity::Error,
                        Some(id),
                        format!("{}{}.", p[..1].to_uppercase(), &p[1..]),
                    ));
                }
            }
            QuestionState::Assumed => {
                // The words the document uses: the user's assumption, else the questionnaire's.
                let own = match given_answer(question, &data.answers) {
                    Some(Answer::Assumption { assumption }) if !assumption.trim().is_empty() => {
                        Some(assumption.trim())
                    }
                    _ => None,
                };
                let message = match own {
                    // The user chose to assume, in their own words: a decision, not a gap.
                    Some(text) if Some(text) != question.assume.as_deref().map(str::trim) => {
                        format!("Assumed, in your words: {text}")
                    }
                    Some(text) => format!("Assumed, in the questionnaire's words: {text}"),
                    None => format!(
                        "Left open; the document states the assumption: {}",
                        question.assume.clone().unwrap_or_default()
                    ),
                };
                findings.push(Finding::new("assumed", Severity::Info, Some(id), message));
            }
            QuestionState::Defaulted => findings.push(Finding::new(
                "default",
                Severity::Info,
                Some(id),
                format!(
                    "\"{}\" stands on its default, which nobody has confirmed: the document labels it as a default until it is confirmed (Enter or Tab on it in the interview, or the answer written in the answers file).",
                    question.prompt
                ),
            )),
            QuestionState::Hidden { has_answer: true } => findings.push(Finding::new(
                "hidden-answer",
                Severity::Info,
                Some(id),
                format!("\"{id}\" has an answer, but its condition hides the question, so the answer stays out of the document."),
            )),
            QuestionState::Hidden { has_answer: false } | QuestionState::Answered | QuestionState::Open { required: false } => {}
        }
        if data.visible.contains(id)
            && let Some(answer) = given_answer(question, &data.answers)
        {
            let mut seen_rows = Vec::new();
            for (row, text) in answer.texts() {
                if seen_rows.contains(&row) {
                    continue;
                }
                if let Some(phrase) = filler::find(text) {
                    seen_rows.push(row);
                    let mut f = Finding::new(
                        "filler",
                        Severity::Warning,
                        Some(id),
                        format!(
                            "\"{phrase}\" names no mechanism: replace it with the concrete choice it stands for (which check, limit, number, tool or rule)."
                        ),
                    );
                    f.row = row.map(|r| r + 1);
                    findings.push(f);
                }
            }
        }
    }
    findings
}

impl<'a> RuleRunner<'a> {
    pub fn new(env: &'a Environment<'static>, questionnaire: &'a Questionnaire, answers: &'a Answers) -> Self {
        RuleRunner {
            env,
            questionnaire,
            answers,
            pass: RefCell::new(Pass::default()),
            searching: Cell::new(Duration::ZERO),
            failure: RefCell::new(None),
        }
    }

    /// Every rule that reads the answers (conditions, shapes, patterns in answers). A rule
    /// whose template fails is a finding (see [`failed`]); the other rules still run.
    pub fn on_answers(&self, data: &Arc<RenderData>) -> Vec<Finding> {
        let ctx = template_env::context(Arc::clone(data), &[]);
        let mut findings = Vec::new();
        for rule in self.questionnaire.rules.iter().filter(|r| !r.test.reads_documents()) {
            self.run_or_note(rule, data, &ctx, &[], &mut findings);
        }
        findings
    }

    /// Every rule that reads the rendered documents (patterns in them, code blocks, length).
    pub fn on_documents(
        &self,
        data: &Arc<RenderData>,
        documents: &[crate::core::document::RenderedDocument],
    ) -> Vec<Finding> {
        let ctx = template_env::context(Arc::clone(data), &[]);
        let mut findings = Vec::new();
        for rule in self.questionnaire.rules.iter().filter(|r| r.test.reads_documents()) {
            self.run_or_note(rule, data, &ctx, documents, &mut findings);
        }
        findings
    }

    /// The first rule template that failed, if one did.
    pub fn first_failure(&self) -> Option<RenderError> {
        self.failure.borrow().clone()
    }

    fn run_or_note(
        &self,
        rule: &Rule,
        data: &Arc<RenderData>,
        ctx: &Value,
        documents: &[crate::core::document::RenderedDocument],
        findings: &mut Vec<Finding>,
    ) {
        if let Err(e) = self.run(rule, data, ctx, documents, findings) {
            findings.push(failed(&e));
            self.failure.borrow_mut().get_or_insert(e);
        }
    }

    fn render(&self, name: &str, what: &str, ctx: Value) -> Result<String, RenderError> {
        let mut pass = self.pass.borrow_mut();
        bounded::evaluate(self.env, name, ctx, &mut pass)
            .map_err(|stopped| template_env::failure(self.questionnaire, 0, what, &stopped, self.answers))
    }

    /// Searches `text` (at most its first `PATTERN_TEXT` bytes) for `regex` minding `unless`:
    /// the match, if any; `Err(())` once the rules' search time is used up.
    fn search(&self, regex: &Regex, unless: Option<&Regex>, text: &str) -> Result<Option<String>, ()> {
        if self.searching.get() >= limits::PATTERN_TIME {
            return Err(());
        }
        let started = Instant::now();
        let (text, _) = pattern::searched(text);
        let hit = if unless.is_some_and(|u| u.is_match(text)) {
            None
        } else {
            regex.find(text).map(|m| m.as_str().to_string())
        };
        self.searching.set(self.searching.get() + started.elapsed());
        Ok(hit)
    }

    /// The finding that says the pattern rules stopped searching, at `rule`.
    fn out_of_time(rule: &Rule) -> Finding {
        Finding::new(
            "limit",
            Severity::Warning,
            None,
            format!(
                "The pattern rules stopped searching at rule \"{}\": together they may search for {} ms in one check, and the rest of the answers and documents were not searched.",
                rule.id,
                limits::PATTERN_TIME.as_millis()
            ),
        )
    }

    /// A note at `place` when `line` is longer than a pattern searches.
    fn cut(rule: &Rule, line: &str, place: &Finding) -> Option<Finding> {
        pattern::searched(line).1.then(|| Finding {
            rule: "limit".into(),
            severity: Severity::Info,
            message: format!("Rule \"{}\": a line here is {}.", rule.id, pattern::cut_note()),
            ..place.clone()
        })
    }

    #[allow(clippy::too_many_lines)]
    fn run(
        &self,
        rule: &Rule,
        data: &Arc<RenderData>,
        answers_ctx: &Value,
        documents: &[crate::core::document::RenderedDocument],
        findings: &mut Vec<Finding>,
    ) -> Result<(), RenderError> {
        let q = self.questionnaire;
        let with = |extra: &[(&str, Value)]| {
            if extra.is_empty() {
                answers_ctx.clone()
            } else {
                merge_maps([Value::from_pairs(extra.iter().cloned()), answers_ctx.clone()])
            }
        };
        let message = |extra: &[(&str, Value)]| -> Result<String, RenderError> {
            self.render(
                &format!("rule-message:{}", rule.id),
                &format!("the message of rule \"{}\"", rule.id),
                with(extra),
            )
            .map(|m| m.trim().to_string())
        };
        let holds = |extra: &[(&str, Value)]| -> Result<bool, RenderError> {
            self.render(
                &format!("rule-when:{}", rule.id),
                &format!("the \"when\" of rule \"{}\"", rule.id),
                with(extra),
            )
            .map(|out| out == "1")
        };
        let base = |msg: String| Finding::new(&rule.id, rule.severity, rule.question.as_deref(), msg);
        // The rows or items of an answer, as template values, with their text.
        let entries = |id: &str| -> Vec<(Value, Option<String>)> {
            match data.effective(id) {
                Some(Answer::Table(rows)) => rows
                    .iter()
                    .map(|r| (Value::from(minijinja::value::Serde(r)), None))
                    .collect(),
                Some(Answer::List(items)) => items
                    .iter()
                    .map(|s| (Value::from(s.as_str()), Some(s.clone())))
                    .collect(),
                _ => Vec::new(),
            }
        };
        match &rule.test {
            RuleTest::When { each: None, .. } => {
                if holds(&[])? {
                    findings.push(base(message(&[])?));
                }
            }
            RuleTest::When { each: Some(each), .. } => {
                for (i, (item, _)) in entries(each).into_iter().enumerate() {
                    let extra = [("row", item.clone()), ("item", item), ("index", Value::from(i + 1))];
                    if holds(&extra)? {
                        let mut f = base(message(&extra)?);
                        f.question = Some(rule.question.clone().unwrap_or_else(|| each.clone()));
                        f.row = Some(i + 1);
                        findings.push(f);
                    }
                }
            }
            RuleTest::Shape {
                shapes,
                each,
                column,
                guard,
            } => {
                // One text per place: the answer itself, or each row's cell, or each item.
                let mut places: Vec<Place> = Vec::new();
                match (each, &rule.question) {
                    (Some(each), _) => {
                        let rows = match data.effective(each) {
                            Some(Answer::Table(rows)) => rows.clone(),
                            _ => Vec::new(),
                        };
                        for (i, (item, text)) in entries(each).into_iter().enumerate() {
                            let text = match (column, text) {
                                (Some(col), _) => rows.get(i).and_then(|r| r.get(col)).cloned().unwrap_or_default(),
                                (None, Some(t)) => t,
                                (None, None) => String::new(),
                            };
                            let extra = vec![("row", item.clone()), ("item", item), ("index", Value::from(i + 1))];
                            places.push((Some(i + 1), extra, text));
                        }
                    }
                    (None, Some(id)) => match data.effective(id) {
                        Some(Answer::Text(t) | Answer::Assumption { assumption: t })
                            if given_answer_of(q, data, id) =>
                        {
                            places.push((None, Vec::new(), t.clone()));
                        }
                        Some(Answer::List(items)) if given_answer_of(q, data, id) => {
                            for (i, t) in items.iter().enumerate() {
                                let extra = vec![("item", Value::from(t.as_str())), ("index", Value::from(i + 1))];
                                places.push((Some(i + 1), extra, t.clone()));
                            }
                        }
                        _ => {}
                    },
                    (None, None) => {}
                }
                for (row, mut extra, text) in places {
                    if text.trim().is_empty() {
                        continue; // An empty cell is another rule's business (or `required`'s).
                    }
                    let lacking: Vec<String> = shapes.iter().flat_map(|s| s.lacking(&text)).collect();
                    if lacking.is_empty() {
                        continue;
                    }
                    if guard.is_some() && !holds(&extra)? {
                        continue;
                    }
                    extra.push(("lacking", Value::from(lacking)));
                    let mut f = base(message(&extra)?);
                    if f.question.is_none() {
                        f.question.clone_from(each);
                    }
                    f.row = row;
                    findings.push(f);
                }
            }
            RuleTest::Pattern {
                regex,
                target: RuleTarget::Answers,
                unless_regex,
                ..
            } => {
                for question in q.questions() {
                    let Some(answer) = data.effective(&question.id) else {
                        continue;
                    };
                    let mut seen_rows = Vec::new();
                    for (row, text) in answer.texts() {
                        if seen_rows.contains(&row) {
                            continue;
                        }
                        // `unless` excuses a line, not the whole answer.
                        for line in text.lines() {
                            let mut place = base(String::new());
                            place.question = Some(question.id.clone());
                            place.row = row.map(|r| r + 1);
                            findings.extend(Self::cut(rule, line, &place));
                            let Ok(hit) = self.search(regex, unless_regex.as_ref(), line) else {
                                findings.push(Self::out_of_time(rule));
                                return Ok(());
                            };
                            if let Some(m) = hit {
                                seen_rows.push(row);
                                place.message = message(&[("match", Value::from(m))])?;
                                findings.push(place);
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
                for doc in documents {
                    for (i, line) in doc.text.lines().enumerate() {
                        let mut place = base(String::new());
                        place.document = Some(doc.id.clone());
                        place.line = Some(i + 1);
                        findings.extend(Self::cut(rule, line, &place));
                        let Ok(hit) = self.search(regex, unless_regex.as_ref(), line) else {
                            findings.push(Self::out_of_time(rule));
                            return Ok(());
                        };
                        if let Some(m) = hit {
                            place.message = message(&[("match", Value::from(m))])?;
                            findings.push(place);
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
}

/// Where a shape rule looks: the row (if any), the values its condition and message see, and
/// the text judged.
type Place = (Option<usize>, Vec<(&'static str, Value)>, String);

/// Whether question `id` has an answer the user gave (shapes judge what people wrote, not the
/// questionnaire's own defaults).
fn given_answer_of(q: &Questionnaire, data: &RenderData, id: &str) -> bool {
    q.question(id)
        .is_some_and(|question| given_answer(question, &data.answers).is_some())
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
