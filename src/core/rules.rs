//! Running checks: the built-in findings (required gaps, broken constraints, assumptions,
//! unconfirmed defaults, hidden answers, filler phrases) and the questionnaire's rules, first
//! those that read the answers, then those that read the rendered documents.
use minijinja::Environment;
use minijinja::value::{Value, merge_maps};
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::filler;
use crate::core::finding::Finding;
use crate::core::questionnaire::{Questionnaire, Rule, RuleTarget, RuleTest, Severity};
use crate::core::session::given_answer;
use crate::core::state::QuestionState;
use crate::core::template_env::{self, RenderData, RenderError};

/// The compiled templates of one questionnaire, for rule conditions and messages.
pub struct RuleRunner<'a> {
    pub env: &'a Environment<'static>,
    pub questionnaire: &'a Questionnaire,
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

impl RuleRunner<'_> {
    /// Every rule that reads the answers (conditions, shapes, patterns in answers).
    pub fn on_answers(&self, data: &Arc<RenderData>) -> Result<Vec<Finding>, RenderError> {
        let ctx = template_env::context(Arc::clone(data), &[]);
        let mut findings = Vec::new();
        for rule in self.questionnaire.rules.iter().filter(|r| !r.test.reads_documents()) {
            self.run(rule, data, &ctx, &[], &mut findings)?;
        }
        Ok(findings)
    }

    /// Every rule that reads the rendered documents (patterns in them, code blocks, length).
    pub fn on_documents(
        &self,
        data: &Arc<RenderData>,
        documents: &[crate::core::document::RenderedDocument],
    ) -> Result<Vec<Finding>, RenderError> {
        let ctx = template_env::context(Arc::clone(data), &[]);
        let mut findings = Vec::new();
        for rule in self.questionnaire.rules.iter().filter(|r| r.test.reads_documents()) {
            self.run(rule, data, &ctx, documents, &mut findings)?;
        }
        Ok(findings)
    }

    fn failure(&self, what: &str, e: &minijinja::Error) -> RenderError {
        template_env::failure(self.questionnaire, 0, what, e)
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name).and_then(|t| t.render(ctx))
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
            self.render(&format!("rule-message:{}", rule.id), with(extra))
                .map(|m| m.trim().to_string())
                .map_err(|e| self.failure(&format!("the message of rule \"{}\"", rule.id), &e))
        };
        let holds = |extra: &[(&str, Value)]| -> Result<bool, RenderError> {
            self.render(&format!("rule-when:{}", rule.id), with(extra))
                .map(|out| out == "1")
                .map_err(|e| self.failure(&format!("the \"when\" of rule \"{}\"", rule.id), &e))
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
