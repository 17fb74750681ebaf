//! Rendering answers into Markdown documents with the questionnaire's templates, and working
//! out which questions are shown, answered, assumed or open.
use minijinja::Environment;
use minijinja::value::Value;
use std::collections::HashSet;
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::bounded::{self, Pass, Stopped};
use crate::core::fsio::sanitize;
use crate::core::limits::Limit;
use crate::core::questionnaire::{Questionnaire, RuleTest};
use crate::core::session::{Answers, answer_or_default};
use crate::core::template_env::{self, RenderData};

/// A questionnaire with its templates and conditions compiled, ready to render many times.
pub struct Engine {
    questionnaire: Arc<Questionnaire>,
    env: Environment<'static>,
}

/// One rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDocument {
    pub id: String,
    /// Relative to the project root, under `.specflow/docs/`.
    pub path: String,
    pub text: String,
}

/// Where a question stands, given the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionState {
    /// Its `when` is false: not asked, and its answer (if any) stays out of the document.
    Hidden {
        has_answer: bool,
    },
    Answered,
    /// Answered, but the answer breaks the question's constraints.
    Invalid(Vec<String>),
    /// Open, and a labelled assumption stands in for it (or the user marked it so).
    Assumed,
    Open {
        required: bool,
    },
}

/// A template or condition failed while rendering; names the questionnaire file and line, and
/// for a limit, the limit and the question whose answer made the text that large (when one did).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {what} failed: {detail}{}.", driven_by(.question.as_deref()))]
pub struct RenderError {
    pub location: String,
    pub what: String,
    pub detail: String,
    /// The limit that stopped it, if one did.
    pub limit: Option<Limit>,
    /// The question whose answer drove it past the limit, when that is known.
    pub question: Option<String>,
}

fn driven_by(question: Option<&str>) -> String {
    question.map_or_else(String::new, |q| format!(" (the answer to \"{q}\" made it that large)"))
}

/// Which questions are shown, and the conditions that could not be evaluated.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    pub visible: HashSet<String>,
    pub errors: Vec<(String, String)>,
}

impl Engine {
    /// Compiles every template of `questionnaire` (already checked when it was loaded).
    pub fn new(questionnaire: Arc<Questionnaire>) -> Result<Engine, RenderError> {
        let mut env = template_env::environment();
        let file = questionnaire.origin.path.display().to_string();
        let fail = |what: String, e: &minijinja::Error| RenderError {
            location: file.clone(),
            what,
            detail: e.detail().map_or_else(|| e.kind().to_string(), str::to_string),
            limit: None,
            question: None,
        };
        for d in &questionnaire.documents {
            env.add_template_owned(format!("doc:{}", d.id), d.template.clone())
                .map_err(|e| fail(format!("the template of document \"{}\"", d.id), &e))?;
        }
        for q in questionnaire.questions() {
            if let Some(when) = &q.when {
                env.add_template_owned(format!("when:{}", q.id), template_env::condition_template(when))
                    .map_err(|e| fail(format!("the \"when\" of \"{}\"", q.id), &e))?;
            }
        }
        for r in &questionnaire.rules {
            env.add_template_owned(format!("rule-message:{}", r.id), r.message.clone())
                .map_err(|e| fail(format!("the message of rule \"{}\"", r.id), &e))?;
            if let RuleTest::When { expr, .. } = &r.test {
                env.add_template_owned(format!("rule-when:{}", r.id), template_env::condition_template(expr))
                    .map_err(|e| fail(format!("the \"when\" of rule \"{}\"", r.id), &e))?;
            }
        }
        Ok(Engine { questionnaire, env })
    }

    pub fn questionnaire(&self) -> &Arc<Questionnaire> {
        &self.questionnaire
    }

    /// Evaluates the `when` conditions in question order. A condition sees only the answers
    /// of questions before it that are themselves shown. A condition that fails to evaluate
    /// shows its question (hiding it could lose an answer) and is reported.
    pub fn visibility(&self, answers: &Answers) -> Visibility {
        let mut vis = Visibility::default();
        let mut context: Vec<(String, Value)> = Vec::new();
        // All the conditions share one budget, so many slow ones cannot add up.
        let mut pass = Pass::default();
        for q in self.questionnaire.questions() {
            let shown = q.when.is_none() || self.condition_holds(&q.id, &context, &mut vis, &mut pass);
            if shown {
                vis.visible.insert(q.id.clone());
                if let Some(a) = answer_or_default(q, answers) {
                    context.push((q.id.clone(), template_env::template_value(a)));
                }
            }
        }
        vis
    }

    /// Evaluates the `when` of question `id`; an error shows the question and is recorded.
    fn condition_holds(&self, id: &str, context: &[(String, Value)], vis: &mut Visibility, pass: &mut Pass) -> bool {
        let ctx = Value::from_pairs(context.iter().cloned());
        match bounded::evaluate(&self.env, &format!("when:{id}"), ctx, pass) {
            Ok(out) => out == "1",
            Err(stopped) => {
                vis.errors.push((id.to_string(), stopped.detail()));
                true
            }
        }
    }

    /// Everything template functions need for these answers.
    pub fn render_data(&self, answers: &Answers, visibility: &Visibility) -> Arc<RenderData> {
        Arc::new(RenderData {
            questionnaire: Arc::clone(&self.questionnaire),
            answers: answers.clone(),
            visible: visibility.visible.clone(),
        })
    }

    /// The state of every question, in questionnaire order.
    pub fn states(&self, answers: &Answers, visibility: &Visibility) -> Vec<(String, QuestionState)> {
        self.questionnaire
            .questions()
            .map(|q| {
                let answer = answer_or_default(q, answers);
                let state = if visibility.visible.contains(&q.id) {
                    match answer {
                        Some(Answer::Assumption { .. }) => QuestionState::Assumed,
                        Some(a) => {
                            let problems = a.violations(q);
                            if problems.is_empty() {
                                QuestionState::Answered
                            } else {
                                QuestionState::Invalid(problems)
                            }
                        }
                        None if q.assume.is_some() => QuestionState::Assumed,
                        None => QuestionState::Open { required: q.required },
                    }
                } else {
                    QuestionState::Hidden {
                        has_answer: answers.get(&q.id).is_some_and(|a| !a.is_empty()),
                    }
                };
                (q.id.clone(), state)
            })
            .collect()
    }

    /// Renders every document of the questionnaire.
    pub fn render(&self, answers: &Answers) -> Result<Vec<RenderedDocument>, RenderError> {
        self.render_with(answers, &self.visibility(answers))
    }

    /// Renders with visibility already worked out (the interview does it once per keystroke).
    pub fn render_with(
        &self,
        answers: &Answers,
        visibility: &Visibility,
    ) -> Result<Vec<RenderedDocument>, RenderError> {
        let data = self.render_data(answers, visibility);
        // All the documents share one budget.
        let mut pass = Pass::default();
        self.questionnaire
            .documents
            .iter()
            .map(|d| {
                let meta = minijinja::context! { id => d.id.clone(), path => d.path.clone(), title => d.title.clone() };
                let ctx = template_env::context(Arc::clone(&data), &[("document", meta)]);
                let text =
                    bounded::evaluate(&self.env, &format!("doc:{}", d.id), ctx, &mut pass).map_err(|stopped| {
                        self.template_failure(
                            d.template_line,
                            &format!("the template of document \"{}\"", d.id),
                            &stopped,
                            answers,
                        )
                    })?;
                Ok(RenderedDocument {
                    id: d.id.clone(),
                    path: d.path.clone(),
                    text: tidy(&text),
                })
            })
            .collect()
    }

    /// Renders a rule's message or evaluates its condition against a context, within what
    /// `pass` has left.
    pub(crate) fn render_named(&self, name: &str, ctx: Value, pass: &mut Pass) -> Result<String, Stopped> {
        bounded::evaluate(&self.env, name, ctx, pass)
    }

    /// The sentence for a template that stopped: where, what, why, and which answer drove it.
    pub(crate) fn template_failure(
        &self,
        first_line: usize,
        what: &str,
        stopped: &Stopped,
        answers: &Answers,
    ) -> RenderError {
        let file = self.questionnaire.origin.path.display().to_string();
        let location = match stopped.error.line() {
            Some(line) if first_line > 0 => format!("{file}:{}", first_line + line - 1),
            _ => file,
        };
        RenderError {
            location,
            what: what.to_string(),
            detail: stopped.detail(),
            limit: stopped.limit,
            question: stopped
                .limit
                .and_then(|_| self.driver(answers, stopped.operand.as_ref())),
        }
    }

    /// The question whose answer a too-large text came from: an answer that holds the text,
    /// or that makes up a good part of it. Text a template made up on its own names none.
    fn driver(&self, answers: &Answers, operand: Option<&Value>) -> Option<String> {
        let text = operand?.as_str()?;
        if text.len() < 64 {
            return None;
        }
        let mut best: Option<(usize, &str)> = None;
        for q in self.questionnaire.questions() {
            let Some(answer) = answer_or_default(q, answers) else {
                continue;
            };
            let shown = template_env::markdown(q, answer);
            let pieces = answer.texts().into_iter().map(|(_, t)| t).chain([shown.as_str()]);
            for piece in pieces {
                let piece = piece.trim();
                if piece.is_empty() {
                    continue;
                }
                let related =
                    piece.contains(text) || (piece.len().saturating_mul(4) >= text.len() && text.contains(piece));
                if related && best.is_none_or(|(n, _)| piece.len() > n) {
                    best = Some((piece.len(), &q.id));
                }
            }
        }
        best.map(|(_, id)| id.to_string())
    }
}

/// Makes rendered Markdown diff-friendly: sanitised, no trailing spaces, at most one blank
/// line in a row outside code blocks, no leading blank lines, one final newline.
pub fn tidy(text: &str) -> String {
    let text = sanitize(text);
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if line.is_empty() && !in_fence {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_blank_runs_but_not_in_code() {
        let t = tidy("\n\n# A  \n\n\n\ntext\n```mermaid\na\n\n\nb\n```\n\n\n");
        assert_eq!(t, "# A\n\ntext\n```mermaid\na\n\n\nb\n```\n");
    }

    #[test]
    fn tidy_sanitises_control_characters() {
        assert_eq!(tidy("a\u{1b}[2Jb\r\n"), "a\u{241B}[2Jb\n");
    }
}
