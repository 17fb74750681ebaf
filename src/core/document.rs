//! Rendering answers into Markdown documents with the questionnaire's templates, and working
//! out which questions are shown, answered, assumed or open.
use minijinja::Environment;
use minijinja::value::Value;
use std::collections::HashSet;
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::fsio::sanitize;
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

/// A template or condition failed while rendering; names the questionnaire file and line.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {what} failed: {detail}.")]
pub struct RenderError {
    pub location: String,
    pub what: String,
    pub detail: String,
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
        for q in self.questionnaire.questions() {
            let shown = q.when.is_none() || self.condition_holds(&q.id, &context, &mut vis);
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
    fn condition_holds(&self, id: &str, context: &[(String, Value)], vis: &mut Visibility) -> bool {
        let ctx = Value::from_pairs(context.iter().cloned());
        match self.env.get_template(&format!("when:{id}")).and_then(|t| t.render(ctx)) {
            Ok(out) => out == "1",
            Err(e) => {
                vis.errors.push((
                    id.to_string(),
                    e.detail().map_or_else(|| e.kind().to_string(), str::to_string),
                ));
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
        self.questionnaire
            .documents
            .iter()
            .map(|d| {
                let meta = minijinja::context! { id => d.id.clone(), path => d.path.clone(), title => d.title.clone() };
                let ctx = template_env::context(Arc::clone(&data), &[("document", meta)]);
                let text = self
                    .env
                    .get_template(&format!("doc:{}", d.id))
                    .and_then(|t| t.render(ctx))
                    .map_err(|e| {
                        self.template_failure(d.template_line, &format!("the template of document \"{}\"", d.id), &e)
                    })?;
                Ok(RenderedDocument {
                    id: d.id.clone(),
                    path: d.path.clone(),
                    text: tidy(&text),
                })
            })
            .collect()
    }

    /// Renders a rule's message or evaluates its condition against a context.
    pub(crate) fn render_named(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name).and_then(|t| t.render(ctx))
    }

    pub(crate) fn template_failure(&self, first_line: usize, what: &str, e: &minijinja::Error) -> RenderError {
        let file = self.questionnaire.origin.path.display().to_string();
        let location = match e.line() {
            Some(line) if first_line > 0 => format!("{file}:{}", first_line + line - 1),
            _ => file,
        };
        RenderError {
            location,
            what: what.to_string(),
            detail: e
                .detail()
                .map_or_else(|| e.kind().to_string(), str::to_string)
                .trim_end_matches('.')
                .to_string(),
        }
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
