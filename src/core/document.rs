//! Rendering answers into Markdown documents with the questionnaire's templates: which
//! questions are shown, what the rules find in the answers (checklists and "ready" read it),
//! the documents, and what the rules find in them.
use minijinja::Environment;
use minijinja::value::Value;
use std::collections::HashSet;
use std::sync::Arc;

use crate::core::bounded::{self, Pass};
use crate::core::finding::BUILT_IN_FINDINGS;
use crate::core::finding::Finding;
use crate::core::fsio::sanitize;
use crate::core::questionnaire::{DocumentKind, Generator, Questionnaire, RuleTest, Severity};
use crate::core::rules::{self, RuleRunner};
use crate::core::sections::{self, Now, PartCache};
use crate::core::session::{Answers, answer_or_default};
use crate::core::template_env::{self, RenderData};

pub use crate::core::state::QuestionState;
pub use crate::core::template_env::RenderError;

/// A questionnaire with its templates and conditions compiled, ready to render many times.
pub struct Engine {
    questionnaire: Arc<Questionnaire>,
    env: Environment<'static>,
    /// File names under the project's `.specflow/docs/`, for `related()` in templates.
    project_documents: Arc<Vec<String>>,
    /// The documents' templates cut into parts, compiled the first time the interview
    /// renders by parts (see `core::sections`).
    parts: std::sync::OnceLock<Parts>,
    /// Per question with a `when`: the question ids its condition names, or `None` when it
    /// names anything else (a function, a global), which may read any answer.
    condition_reads: std::sync::OnceLock<Vec<Option<HashSet<String>>>>,
}

/// The parts of each document template that could be cut, compiled in an environment of
/// their own (configured like the engine's).
struct Parts {
    env: Environment<'static>,
    /// Per document id: each part's template name and the question ids it names.
    documents: std::collections::HashMap<String, Vec<(String, Vec<String>)>>,
}

/// One rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDocument {
    pub id: String,
    /// Relative to the project root, under `.specflow/docs/`.
    pub path: String,
    pub text: String,
    /// Markdown from a template, or YAML from a generator.
    pub kind: DocumentKind,
}

/// Which questions are shown, and the conditions that could not be evaluated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Visibility {
    pub visible: HashSet<String>,
    pub errors: Vec<(String, String)>,
}

/// Everything one pass over the answers gives: the documents, every finding (on the answers
/// and on the documents) and every question's state.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Every document, or none when one of them failed to render (see `failure`).
    pub documents: Vec<RenderedDocument>,
    pub findings: Vec<Finding>,
    pub states: Vec<(String, QuestionState)>,
    /// The first template that failed (a document, a rule's condition or message); it is also
    /// among the findings.
    pub failure: Option<RenderError>,
}

impl Engine {
    /// Compiles every template of `questionnaire` (already checked when it was loaded).
    pub fn new(questionnaire: Arc<Questionnaire>) -> Result<Engine, RenderError> {
        let mut env = template_env::environment();
        let file = questionnaire.origin.path.display().to_string();
        let fail = |what: String, e: &minijinja::Error| RenderError::compile(file.clone(), what, e);
        for d in questionnaire.documents.iter().filter(|d| d.generator.is_none()) {
            env.add_template_owned(format!("doc:{}", d.id), d.template.clone())
                .map_err(|e| fail(format!("the template of document \"{}\"", d.id), &e))?;
        }
        for d in &questionnaire.documents {
            if let Some(when) = &d.when {
                env.add_template_owned(format!("doc-when:{}", d.id), template_env::condition_template(when))
                    .map_err(|e| fail(format!("the \"when\" of document \"{}\"", d.id), &e))?;
            }
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
            let condition = match &r.test {
                RuleTest::When { expr, .. } => Some(expr),
                RuleTest::Shape { guard, .. } => guard.as_ref(),
                _ => None,
            };
            if let Some(expr) = condition {
                env.add_template_owned(format!("rule-when:{}", r.id), template_env::condition_template(expr))
                    .map_err(|e| fail(format!("the \"when\" of rule \"{}\"", r.id), &e))?;
            }
        }
        Ok(Engine {
            questionnaire,
            env,
            project_documents: Arc::new(Vec::new()),
            parts: std::sync::OnceLock::new(),
            condition_reads: std::sync::OnceLock::new(),
        })
    }

    /// The same engine, told which documents the project already has under `.specflow/docs/`
    /// (file names relative to it), so templates can refer to them by name.
    #[must_use]
    pub fn with_project_documents(mut self, names: Vec<String>) -> Engine {
        self.project_documents = Arc::new(names);
        self
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
        // All the conditions share one budget, so that many slow ones cannot add up.
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

    /// The visibility of `answers`, given that `before` was worked out for `earlier`: the same
    /// when no answer that a condition names changed (typing into a field that no condition
    /// reads, say), else evaluated anew.
    pub fn visibility_since(&self, earlier: &Answers, before: &Visibility, answers: &Answers) -> Visibility {
        let changed: Vec<&str> = earlier
            .iter()
            .filter(|(id, a)| answers.get(*id) != Some(*a))
            .map(|(id, _)| id.as_str())
            .chain(
                answers
                    .keys()
                    .filter(|id| !earlier.contains_key(*id))
                    .map(String::as_str),
            )
            .collect();
        let unread = |reads: &Option<HashSet<String>>| {
            reads
                .as_ref()
                .is_some_and(|names| changed.iter().all(|id| !names.contains(*id)))
        };
        if changed.is_empty() || self.condition_reads().iter().all(unread) {
            before.clone()
        } else {
            self.visibility(answers)
        }
    }

    /// What each question's condition names (see `condition_reads`), worked out once.
    fn condition_reads(&self) -> &[Option<HashSet<String>>] {
        self.condition_reads.get_or_init(|| {
            let ids = self.question_ids();
            self.questionnaire
                .questions()
                .filter(|q| q.when.is_some())
                .map(|q| {
                    let template = self.env.get_template(&format!("when:{}", q.id)).ok()?;
                    let (named, only_ids) = named_ids(&template, &ids);
                    only_ids.then(|| named.into_iter().collect())
                })
                .collect()
        })
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

    /// Everything template functions need for these answers, with `findings` known so far.
    fn render_data(&self, answers: &Answers, visibility: &Visibility, findings: Vec<Finding>) -> Arc<RenderData> {
        Arc::new(RenderData {
            questionnaire: Arc::clone(&self.questionnaire),
            answers: answers.clone(),
            visible: visibility.visible.clone(),
            findings,
            project_documents: Arc::clone(&self.project_documents),
            reads: std::sync::Mutex::default(),
        })
    }

    /// The state of every question, in questionnaire order.
    pub fn states(&self, answers: &Answers, visibility: &Visibility) -> Vec<(String, QuestionState)> {
        self.render_data(answers, visibility, Vec::new()).states()
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
        Ok(self.evaluate(answers, visibility)?.documents)
    }

    /// One pass over the answers: the findings on the answers first (so that checklists and
    /// "ready" in the templates read them), then the documents, then the findings on the
    /// documents. When those include an error, the documents are rendered again knowing it, so
    /// that no document says "ready" while `check` reports an error. Fails with the first
    /// template that failed.
    pub fn evaluate(&self, answers: &Answers, visibility: &Visibility) -> Result<Evaluation, RenderError> {
        let evaluation = self.evaluate_all(answers, visibility);
        match evaluation.failure {
            Some(e) => Err(e),
            None => Ok(evaluation),
        }
    }

    /// `evaluate`, going on past a template that fails (a limit, say): the failure is among the
    /// findings and in `Evaluation::failure`, and what does not need that template still runs.
    /// The interview shows it this way.
    pub fn evaluate_all(&self, answers: &Answers, visibility: &Visibility) -> Evaluation {
        self.evaluate_with(answers, visibility, None)
    }

    /// `evaluate_all` for the interview, which evaluates again on every key: the documents are
    /// rendered part by part, and a part whose answers, states and findings are as they were
    /// at the last evaluation keeps its text (see `core::sections`). The result is the same
    /// as `evaluate_all`'s; the parts are compared once with the whole template, and a
    /// document whose parts differ, fail, or come near a limit is rendered whole.
    pub fn evaluate_cached(&self, answers: &Answers, visibility: &Visibility, cache: &mut PartCache) -> Evaluation {
        self.evaluate_with(answers, visibility, Some(cache))
    }

    fn evaluate_with(
        &self,
        answers: &Answers,
        visibility: &Visibility,
        mut cache: Option<&mut PartCache>,
    ) -> Evaluation {
        let runner = RuleRunner::new(&self.env, &self.questionnaire, answers);
        let bare = self.render_data(answers, visibility, Vec::new());
        let states = bare.states();
        let mut findings = rules::built_in(&bare, &visibility.errors);
        findings.extend(runner.on_answers(&bare));
        // Values that must name something; a questionnaire rule about the same row speaks for it.
        for f in crate::core::reference::findings(&self.questionnaire, answers, visibility) {
            let covered = findings
                .iter()
                .any(|g| g.question == f.question && g.row == f.row && !BUILT_IN_FINDINGS.contains(&g.rule.as_str()));
            if !covered {
                findings.push(f);
            }
        }
        // Generated documents, and what they lack: their findings decide checklist lines too.
        let generated = self.generated(&bare);
        for f in generated.iter().flat_map(|(_, _, f)| f.iter()) {
            let covered = f.question.is_some()
                && findings.iter().any(|g| {
                    g.question == f.question
                        && (g.row == f.row || (g.row.is_none() && g.rule == "required"))
                        && (!BUILT_IN_FINDINGS.contains(&g.rule.as_str()) || g.rule == "required")
                });
            if !covered && !findings.contains(f) {
                findings.push(f.clone());
            }
        }
        // The documents (rendered once, or twice below) share one budget.
        let mut pass = Pass::default();
        let data = self.render_data(answers, visibility, findings.clone());
        let mut failure = None;
        let mut documents = match self.documents(&data, &generated, &mut pass, cache.as_deref_mut()) {
            Ok(documents) => documents,
            Err(e) => {
                findings.push(rules::failed(&e));
                failure = Some(e);
                Vec::new()
            }
        };
        let mut on_documents = runner.on_documents(&data, &markdown_only(&documents));
        if failure.is_none() && on_documents.iter().any(|f| f.severity == Severity::Error) {
            let mut known = findings.clone();
            known.extend(on_documents);
            let data = self.render_data(answers, visibility, known);
            match self.documents(&data, &generated, &mut pass, cache) {
                Ok(again) => {
                    documents = again;
                    on_documents = runner.on_documents(&data, &markdown_only(&documents));
                }
                Err(e) => {
                    on_documents = vec![rules::failed(&e)];
                    failure = Some(e);
                    documents = Vec::new();
                }
            }
        }
        findings.extend(on_documents);
        Evaluation {
            documents,
            findings,
            states,
            failure: runner.first_failure().or(failure),
        }
    }

    /// Whether document `d` is written for these answers: its `when` holds (a condition that
    /// fails to evaluate writes it, so that nothing is lost).
    fn written(&self, d: &crate::core::questionnaire::DocumentSpec, data: &RenderData) -> bool {
        if d.when.is_none() {
            return true;
        }
        let context: Vec<(String, Value)> = self
            .questionnaire
            .questions()
            .filter_map(|q| {
                data.effective(&q.id)
                    .map(|a| (q.id.clone(), template_env::template_value(a)))
            })
            .collect();
        // Bounded like every other template (a condition has a pass of its own).
        match bounded::evaluate(
            &self.env,
            &format!("doc-when:{}", d.id),
            Value::from_pairs(context),
            &mut Pass::default(),
        ) {
            Ok(out) => out == "1",
            Err(_) => true,
        }
    }

    /// Every generated document: its id, its text and its findings.
    fn generated(&self, data: &RenderData) -> Vec<(String, String, Vec<Finding>)> {
        self.questionnaire
            .documents
            .iter()
            .filter(|d| self.written(d, data))
            .filter_map(|d| {
                let Generator::OpenApi { mapping } = d.generator.as_ref()?;
                let path = crate::core::instance::document_path(&d.path, &self.questionnaire, &data.answers);
                let spec = crate::core::openapi::generate(mapping, data, &d.title);
                let findings = crate::core::openapi::findings(mapping, data, &spec, &path);
                Some((d.id.clone(), spec.text, findings))
            })
            .collect()
    }

    fn documents(
        &self,
        data: &Arc<RenderData>,
        generated: &[(String, String, Vec<Finding>)],
        pass: &mut Pass,
        mut cache: Option<&mut PartCache>,
    ) -> Result<Vec<RenderedDocument>, RenderError> {
        self.questionnaire
            .documents
            .iter()
            .filter(|d| self.written(d, data))
            .map(|d| {
                let path = crate::core::instance::document_path(&d.path, &self.questionnaire, &data.answers);
                if let Some((_, text, _)) = generated.iter().find(|(id, _, _)| *id == d.id) {
                    return Ok(RenderedDocument {
                        id: d.id.clone(),
                        path,
                        text: text.clone(),
                        kind: d.kind,
                    });
                }
                let meta = minijinja::context! { id => d.id.clone(), path => path.clone(), title => d.title.clone() };
                let ctx = template_env::context(Arc::clone(data), &[("document", meta)]);
                if let Some(cache) = cache.as_deref_mut()
                    && let Some(text) = self.by_parts(&d.id, &path, data, &ctx, pass, cache)
                {
                    return Ok(RenderedDocument {
                        id: d.id.clone(),
                        path,
                        text,
                        kind: d.kind,
                    });
                }
                let text = bounded::evaluate(&self.env, &format!("doc:{}", d.id), ctx, pass).map_err(|stopped| {
                    template_env::failure(
                        &self.questionnaire,
                        d.template_line,
                        &format!("the template of document \"{}\"", d.id),
                        &stopped,
                        &data.answers,
                    )
                })?;
                Ok(RenderedDocument {
                    id: d.id.clone(),
                    path,
                    text: tidy(&text),
                    kind: d.kind,
                })
            })
            .collect()
    }
}

/// The question ids `template` names (as variables), and whether it names nothing else (no
/// function, no global: then those answers are all it reads).
fn named_ids(template: &minijinja::Template<'_, '_>, ids: &HashSet<&str>) -> (Vec<String>, bool) {
    let names = template.undeclared_variables(false);
    let only_ids = names.iter().all(|n| ids.contains(n.as_str()));
    (
        names.into_iter().filter(|n| ids.contains(n.as_str())).collect(),
        only_ids,
    )
}

impl Engine {
    /// Every question's id.
    fn question_ids(&self) -> HashSet<&str> {
        self.questionnaire.questions().map(|q| q.id.as_str()).collect()
    }

    fn compiled_parts(&self) -> &Parts {
        self.parts.get_or_init(|| {
            let mut env = template_env::environment();
            let mut documents = std::collections::HashMap::new();
            let ids = self.question_ids();
            'documents: for d in self.questionnaire.documents.iter().filter(|d| d.generator.is_none()) {
                let Some(texts) = sections::split(&d.template) else {
                    continue;
                };
                let mut parts = Vec::with_capacity(texts.len());
                for (i, text) in texts.into_iter().enumerate() {
                    let name = format!("doc-part:{}:{i}", d.id);
                    if env.add_template_owned(name.clone(), text).is_err() {
                        continue 'documents;
                    }
                    let Ok(template) = env.get_template(&name) else {
                        continue 'documents;
                    };
                    let (mut names, _) = named_ids(&template, &ids);
                    names.sort();
                    parts.push((name, names));
                }
                documents.insert(d.id.clone(), parts);
            }
            Parts { env, documents }
        })
    }

    /// Document `id`'s text rendered by parts, reusing the parts whose inputs did not change;
    /// `None` when it must be rendered whole: not cut, not yet compared with the whole
    /// template (the first time it is, it is rendered both ways), a part failed, or the
    /// parts together come near a limit. The pass is charged as the parts ran (reused parts
    /// as they ran when rendered); when the whole template renders instead, it is left as it was.
    fn by_parts(
        &self,
        id: &str,
        path: &str,
        data: &Arc<RenderData>,
        ctx: &Value,
        pass: &mut Pass,
        cache: &mut PartCache,
    ) -> Option<String> {
        let entry = cache.document(id);
        if entry.verified == Some(false) {
            return None;
        }
        if !entry.seen {
            // The first render (when the interview opens) renders whole, as `render` does.
            entry.seen = true;
            return None;
        }
        let parts = self.compiled_parts();
        let specs = parts.documents.get(id)?;
        let entry = cache.document(id);
        entry.parts.resize(specs.len(), None);
        let before = pass.clone();
        let now = Now::new(data, path);
        let (mut steps, mut work) = (0u64, 0usize);
        let mut raw = String::new();
        for ((name, variables), slot) in specs.iter().zip(entry.parts.iter_mut()) {
            match slot {
                Some(rendered) if now.still(rendered) => pass.charge(rendered.steps, rendered.work),
                _ => {
                    let _ = data.take_reads();
                    let (steps_before, work_before) = pass.left();
                    let Ok(text) = bounded::evaluate(&parts.env, name, ctx.clone(), pass) else {
                        *pass = before;
                        return None;
                    };
                    let (steps_after, work_after) = pass.left();
                    *slot = Some(now.rendered(
                        text,
                        steps_before - steps_after,
                        work_before - work_after,
                        variables,
                        &data.take_reads(),
                    ));
                }
            }
            let Some(rendered) = slot else { return None };
            steps += rendered.steps;
            work += rendered.work;
            raw.push_str(&rendered.text);
        }
        let far_from_limits = steps <= crate::core::limits::STEPS_PER_TEMPLATE / 4
            && work <= crate::core::limits::WORK_PER_TEMPLATE / 4
            && raw.len() <= crate::core::limits::MAX_OUTPUT / 4;
        if !far_from_limits {
            *pass = before;
            return None;
        }
        let text = tidy(&raw);
        if entry.verified.is_none() {
            // Once per document: the whole template must say the same.
            let whole = bounded::evaluate(&self.env, &format!("doc:{id}"), ctx.clone(), &mut before.clone());
            let same = whole.is_ok_and(|w| tidy(&w) == text);
            entry.verified = Some(same);
            if !same {
                *pass = before;
                return None;
            }
        }
        Some(text)
    }
}

/// The Markdown documents: rules that read rendered text read Markdown only.
fn markdown_only(documents: &[RenderedDocument]) -> Vec<RenderedDocument> {
    documents
        .iter()
        .filter(|d| d.kind == DocumentKind::Markdown)
        .cloned()
        .collect()
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
