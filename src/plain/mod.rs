//! Plain mode: the interview asked line by line, for screen readers, pipes and scripts. The same
//! questionnaire, checks, lint and session file (same lock, written after every answer) as the
//! full-screen interview, on the same core; no cursor movement, no redraws, ASCII decorations,
//! every state said in words. A session can move between plain and full screen at any time.
pub mod reply;
pub mod start;

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::coverage;
use crate::core::document::{Engine, QuestionState};
use crate::core::fsio::{Project, sanitize};
use crate::core::history::{self, Saved};
use crate::core::lint;
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire, Severity};
use crate::core::saving::{self, SaveProblem};
use crate::core::session::{self, Answers, AnswersFile, SessionProblem, SessionState};
use crate::tui::app::{AppError, move_aside, take_session_lock};

pub use reply::{END, Reply};

pub struct Options {
    /// Look without writing: no lock, no autosave, no saving.
    pub read_only: bool,
    /// Start over, keeping the old session as a backup.
    pub fresh: bool,
    /// Sentences to say before the first question (a configuration problem, say).
    pub notices: Vec<String>,
    /// Write each line read back after its prompt: when the input is a pipe, the transcript
    /// then reads like the conversation it was.
    pub echo: bool,
}

/// The plain interview on `questionnaire`, reading `input` and writing `out`, until the input
/// ends or the user stops. The session is written after every answer.
pub fn run(
    project: Project,
    questionnaire: &Arc<Questionnaire>,
    options: &Options,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), AppError> {
    if options.read_only && options.fresh {
        return Err(AppError::Input(
            "--fresh changes the session, so it cannot go with --read-only.".into(),
        ));
    }
    // A questionnaire with instances asks first which one to open, or names a new one.
    if !questionnaire.instance.is_empty() && questionnaire.opened_instance.is_none() {
        let existing = crate::core::instance::existing(&project, &questionnaire.id);
        let Some(name) = start::choose(questionnaire, &existing, input, out, options.echo)? else {
            return Ok(());
        };
        let Some(opened) = crate::core::instance::resolved(questionnaire, &name) else {
            return Err(AppError::Input(format!(
                "\"{name}\" does not name an instance of {}.",
                questionnaire.id
            )));
        };
        return run(project, &Arc::new(opened), options, input, out);
    }
    let (lock, stale) = if options.read_only {
        (None, None)
    } else {
        let (lock, stale) = take_session_lock(&project, &questionnaire.session_name())?;
        (Some(lock), stale)
    };
    let engine = Engine::new(Arc::clone(questionnaire)).map_err(|e| AppError::Input(e.to_string()))?;
    let mut plain = Plain {
        project,
        engine,
        answers: Answers::new(),
        drafts: BTreeMap::new(),
        kept: BTreeMap::new(),
        provenance: BTreeMap::new(),
        rejected: Vec::new(),
        focus: String::new(),
        unwritten: false,
        read_only: options.read_only,
        echo: options.echo,
        input,
        out,
    };
    for notice in &options.notices {
        plain.say(&format!("Note: {notice}"))?;
    }
    if let Some(who) = stale {
        plain.say(&format!(
            "Took over the session from {who}, which is no longer running."
        ))?;
    }
    if !options.read_only {
        // Saves cut short are settled first, as the full-screen interview does.
        let documents: Vec<&str> = questionnaire.documents.iter().map(|d| d.path.as_str()).collect();
        match history::recover(&plain.project, &documents) {
            Ok(recovered) => {
                for r in recovered {
                    plain.say(&format!("Note: {}.", r.describe()))?;
                }
            }
            Err(e) => plain.say(&format!("Note: saving will not work: {e}"))?,
        }
    }
    plain.open_session(options.fresh)?;
    let result = plain.interview();
    drop(lock);
    result
}

/// Where the interview goes after a reply.
enum Next {
    Ask(String),
    Finish,
    Stop,
}

struct Plain<'a> {
    project: Project,
    engine: Engine,
    answers: Answers,
    drafts: BTreeMap<String, String>,
    kept: BTreeMap<String, toml::Value>,
    /// Carried over from the session for the full-screen interview: where answers came from,
    /// and the proposals rejected there.
    provenance: crate::core::session::Provenance,
    rejected: Vec<String>,
    focus: String,
    /// The focus moved since the session was last written.
    unwritten: bool,
    read_only: bool,
    echo: bool,
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Plain<'_> {
    fn questionnaire(&self) -> Arc<Questionnaire> {
        Arc::clone(self.engine.questionnaire())
    }

    /// One line of output; untrusted text in it is sanitised here.
    fn say(&mut self, text: &str) -> Result<(), AppError> {
        writeln!(self.out, "{}", sanitize(text)).map_err(AppError::Terminal)
    }

    /// The prompt, then one line of input (`None` at the end of input).
    fn line(&mut self, prompt: &str) -> Result<Option<String>, AppError> {
        write!(self.out, "{prompt}").and_then(|()| self.out.flush())?;
        let mut line = String::new();
        let n = self.input.read_line(&mut line)?;
        if n == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if self.echo {
            writeln!(self.out, "{}", sanitize(&line))?;
        }
        Ok(Some(line))
    }

    fn session_path(&self) -> String {
        let path = self.project.session_file(&self.questionnaire().session_name());
        std::env::current_dir()
            .map_or(path.clone(), |cwd| cwd.join(&path))
            .display()
            .to_string()
    }

    /// Loads the session as the full-screen interview does: migrated when the questionnaire
    /// changed; a damaged one (or one from a newer version) moved aside, never overwritten.
    fn open_session(&mut self, fresh: bool) -> Result<(), AppError> {
        let q = self.questionnaire();
        let path = self.project.session_file(&q.session_name());
        let text = match session::read_session_file(&self.project, &q.session_name()) {
            Ok(Some(_)) if fresh => {
                let backup = move_aside(&self.project, &q.session_name(), "backup")?;
                self.say(&format!(
                    "Started fresh; the previous session is kept in {}.",
                    backup.display()
                ))?;
                None
            }
            Ok(text) => text,
            Err(e) => return Err(AppError::Input(e.to_string())),
        };
        let mut state = SessionState::default();
        match text.map(|t| session::load_session(&path, &t, &q)) {
            None => self.say(&format!(
                "A new session: answers are written to {}.",
                self.session_path()
            ))?,
            Some(Ok((file, migration))) => {
                self.answers = file.answers;
                self.provenance = file.provenance;
                state = file.session.unwrap_or_default();
                let when = state
                    .updated
                    .as_deref()
                    .map(|t| format!(" from {}", crate::tui::app::describe_time(t)))
                    .unwrap_or_default();
                self.say(&format!("Resumed the session{when} ({}).", self.session_path()))?;
                if !migration.is_empty() {
                    self.say(&migration.describe())?;
                }
            }
            Some(Err(problem)) => {
                let (kind, why) = match &problem {
                    SessionProblem::Damaged(d) => ("damaged", format!("The session file cannot be read: {d}")),
                    SessionProblem::Newer(d) => {
                        ("newer", format!("The session file is from a newer spec-interview: {d}"))
                    }
                };
                self.say(&why)?;
                if self.read_only {
                    self.say("Read-only: it was left where it is; the interview starts empty.")?;
                } else {
                    let backup = move_aside(&self.project, &q.session_name(), kind)?;
                    self.say(&format!(
                        "It was moved to {} and is kept there untouched; a fresh session starts.",
                        backup.display()
                    ))?;
                }
            }
        }
        if self.answers.is_empty()
            && let Some(keys) = crate::core::instance::seed(&q)
        {
            // A new instance starts with its keys answered: they are what named it.
            self.answers = keys;
        }
        self.drafts = state.drafts;
        self.kept = state.kept;
        self.rejected = state.rejected;
        let first = q.questions().next().map(|x| x.id.clone()).unwrap_or_default();
        self.focus = state.focus.filter(|f| q.question(f).is_some()).unwrap_or(first);
        if self.read_only {
            self.say("Read-only: another spec-interview may have this session; nothing is written.")?;
        }
        Ok(())
    }

    fn session_file(&self) -> AnswersFile {
        let q = self.questionnaire();
        AnswersFile {
            questionnaire: Some(q.id.clone()),
            answers: self.answers.clone(),
            // Sources of answers taken from proposals, while they still hold those answers.
            provenance: self
                .provenance
                .iter()
                .filter(|(id, _)| self.answers.contains_key(*id))
                .map(|(id, s)| (id.clone(), s.clone()))
                .collect(),
            session: Some(SessionState {
                questionnaire_version: Some(q.version.clone()),
                questionnaire_hash: Some(q.content_hash()),
                focus: Some(self.focus.clone()),
                updated: None,
                cursor: None,
                scroll: None,
                questions: q.questions().map(|x| x.id.clone()).collect(),
                drafts: self.drafts.clone(),
                kept: self.kept.clone(),
                rejected: self.rejected.clone(),
            }),
        }
    }

    /// Writes the session (not when read-only); a failure is said, never fatal.
    fn autosave(&mut self) -> Result<(), AppError> {
        if self.read_only {
            return Ok(());
        }
        let q = self.questionnaire();
        match saving::write_session(&self.project, &q, self.session_file(), &crate::provenance::now()) {
            Ok(()) => self.unwritten = false,
            Err(e) => self.say(&format!("The session could not be written: {e}."))?,
        }
        Ok(())
    }

    fn visible(&self) -> Vec<String> {
        let vis = self.engine.visibility(&self.answers);
        self.questionnaire()
            .questions()
            .filter(|q| vis.visible.contains(&q.id))
            .map(|q| q.id.clone())
            .collect()
    }

    /// The first shown question at or after `id` in questionnaire order (`id` may be hidden).
    fn shown_from(&self, id: &str, skip_self: bool) -> Option<String> {
        let q = self.questionnaire();
        let visible = self.visible();
        q.questions()
            .map(|x| x.id.clone())
            .skip_while(|x| x != id)
            .skip(usize::from(skip_self))
            .find(|x| visible.contains(x))
    }

    fn interview(&mut self) -> Result<(), AppError> {
        let q = self.questionnaire();
        self.say(&format!(
            "{} ({}): {} questions. Answer each and press Enter; a blank line keeps the answer as it is.",
            q.title,
            q.id,
            self.visible().len()
        ))?;
        self.say("Answers of several lines end with a line holding only a dot. Commands: save, :back, :help, :clear, :quit; Ctrl-D stops (the session is kept).")?;
        let mut next = match self.shown_from(&self.focus.clone(), false) {
            Some(id) => Next::Ask(id),
            None => Next::Finish,
        };
        loop {
            next = match next {
                Next::Ask(id) => {
                    if self.focus != id {
                        self.focus.clone_from(&id);
                        self.unwritten = true;
                    }
                    self.ask(&id)?
                }
                Next::Finish => self.finish()?,
                Next::Stop => {
                    if self.unwritten {
                        self.autosave()?;
                    }
                    if self.read_only {
                        self.say("Read-only: nothing was written.")?;
                    } else {
                        self.say(&format!(
                            "Stopped. The answers are kept in {}; run spec-interview again to continue where you left off.",
                            self.session_path()
                        ))?;
                    }
                    return Ok(());
                }
            };
        }
    }

    /// Asks `id` until it gets a reply it can use.
    fn ask(&mut self, id: &str) -> Result<Next, AppError> {
        let q = self.questionnaire();
        let Some(question) = q.question(id).cloned() else {
            return Ok(Next::Finish);
        };
        self.describe(&question)?;
        loop {
            let mut lines_read = 0usize;
            let mut ended = false;
            // A table row or a choice that cannot be taken is said before the next prompt.
            let pending: std::cell::RefCell<Vec<String>> = std::cell::RefCell::new(Vec::new());
            let reply = {
                // "> " before the first line; "... " before the lines of a longer answer.
                let mut source = || -> Option<String> {
                    if ended {
                        return None;
                    }
                    for warning in pending.borrow_mut().drain(..) {
                        let _ = self.say(&warning);
                    }
                    let prompt = if lines_read == 0 { "> " } else { "... " };
                    lines_read += 1;
                    let line = self.line(prompt).ok().flatten();
                    ended = line.is_none();
                    line
                };
                reply::read(&question, &mut source, &mut |w| pending.borrow_mut().push(w))
            };
            for warning in pending.take() {
                self.say(&warning)?;
            }
            match reply {
                Err(problem) => {
                    self.say(&problem)?;
                    self.say(&format!("Again: {}", question.prompt.trim()))?;
                }
                Ok(Reply::Help) => self.help(&question)?,
                Ok(Reply::Save) => {
                    self.save()?;
                    self.say(&format!("Back to: {}", question.prompt.trim()))?;
                }
                Ok(Reply::EndOfInput | Reply::Quit) => return Ok(Next::Stop),
                Ok(Reply::Back) => {
                    if let Some(previous) = self.previous(id) {
                        return Ok(Next::Ask(previous));
                    }
                    self.say("This is the first question.")?;
                    return Ok(Next::Ask(id.to_string()));
                }
                Ok(Reply::Keep) => {
                    // Moving on past a default confirms it, as Enter or Tab does full screen.
                    if let Some(default) = &question.default
                        && !self.answers.contains_key(id)
                    {
                        self.answers.insert(id.to_string(), default.clone());
                        self.say(&format!("Kept the default: {}.", answer_words(&question, default)))?;
                        return self.advance(id);
                    }
                    self.say(&format!("Kept. {}", self.state_words(&question)))?;
                    return self.advance(id);
                }
                Ok(Reply::Clear) => {
                    self.answers.remove(id);
                    self.drafts.remove(id);
                    self.say(&format!("Cleared. {}", self.state_words(&question)))?;
                    return self.advance(id);
                }
                Ok(Reply::Answer(answer)) => {
                    self.answers.insert(id.to_string(), answer);
                    self.drafts.remove(id);
                    let findings = self.findings_words(&question);
                    self.say(&if findings.is_empty() {
                        "Answered.".to_string()
                    } else {
                        format!("Answered. {findings}")
                    })?;
                    return self.advance(id);
                }
            }
        }
    }

    /// Moves on after `id`, writing the session with the new position.
    fn advance(&mut self, id: &str) -> Result<Next, AppError> {
        let next = self.shown_from(id, true);
        if let Some(next) = &next {
            self.focus.clone_from(next);
        }
        self.autosave()?;
        Ok(next.map_or(Next::Finish, Next::Ask))
    }

    fn previous(&self, id: &str) -> Option<String> {
        let visible = self.visible();
        let q = self.questionnaire();
        let before: Vec<String> = q.questions().map(|x| x.id.clone()).take_while(|x| x != id).collect();
        before.into_iter().rev().find(|x| visible.contains(x))
    }

    /// The question, its options and its current answer, in words.
    fn describe(&mut self, question: &Question) -> Result<(), AppError> {
        let q = self.questionnaire();
        let visible = self.visible();
        let number = visible.iter().position(|x| *x == question.id).map_or(0, |i| i + 1);
        let section = q.section_of(&question.id).map(|s| s.title.clone()).unwrap_or_default();
        let required = if question.required { ", required" } else { "" };
        self.say("")?;
        self.say(&format!(
            "Question {number} of {} ({section}{required}, {}):",
            visible.len(),
            kind_words(question.kind)
        ))?;
        self.say(question.prompt.trim())?;
        if let Some(help) = &question.help {
            self.say(&format!("Help: {}", one_paragraph(help)))?;
        }
        let current = self.answers.get(&question.id).cloned();
        if !question.options.is_empty() && matches!(question.kind, QuestionKind::Choice | QuestionKind::MultiChoice) {
            let chosen: Vec<String> = match &current {
                Some(Answer::Text(s)) => vec![s.clone()],
                Some(Answer::List(items)) => items.clone(),
                _ => Vec::new(),
            };
            self.say("Options:")?;
            for (i, option) in question.options.iter().enumerate() {
                let mark = if chosen.contains(option) { " (chosen)" } else { "" };
                self.say(&format!("  {}. {option}{mark}", i + 1))?;
            }
            if question.other {
                self.say("An answer of your own is taken too.")?;
            }
        }
        match (&current, self.drafts.get(&question.id).cloned()) {
            (_, Some(draft)) => self.say(&format!("Draft, not yet an answer: {}", one_paragraph(&draft)))?,
            (Some(answer), None) => self.say(&format!("Current answer: {}", answer_words(question, answer)))?,
            (None, None) => match (&question.default, &question.assume) {
                (Some(d), _) => self.say(&format!("No answer yet; the default is {}.", answer_words(question, d)))?,
                (None, Some(a)) => self.say(&format!(
                    "No answer yet; if left open it is assumed: {}",
                    one_paragraph(a)
                ))?,
                (None, None) => self.say("No answer yet.")?,
            },
        }
        self.say(instructions(question))?;
        Ok(())
    }

    fn help(&mut self, question: &Question) -> Result<(), AppError> {
        match &question.help {
            Some(help) => self.say(&format!("Help: {}", one_paragraph(help)))?,
            None => self.say("This question has no help text.")?,
        }
        self.say(instructions(question))?;
        self.say("Commands at any prompt: save (write the documents as new revisions), :back (the previous question), :clear (remove this answer), :quit (stop; the session is kept), :help.")
    }

    /// "Open, required." / "Answered." / "Assumed: …" for a question as it stands.
    fn state_words(&self, question: &Question) -> String {
        let vis = self.engine.visibility(&self.answers);
        let states = self.engine.states(&self.answers, &vis);
        let state = states.iter().find(|(id, _)| *id == question.id).map(|(_, s)| s.clone());
        match state {
            Some(QuestionState::Answered) => "It is answered.".to_string(),
            Some(QuestionState::Defaulted) => {
                "It stands on its default, not yet confirmed; a blank line confirms it.".to_string()
            }
            Some(QuestionState::Assumed) => "It is left as a labelled assumption.".to_string(),
            Some(QuestionState::Invalid(problems)) => format!("Its answer breaks a rule: {}.", problems.join("; ")),
            Some(QuestionState::Open { required: true }) => "It is open, and required.".to_string(),
            Some(QuestionState::Open { required: false }) => "It is open.".to_string(),
            Some(QuestionState::Hidden { .. }) | None => "It is not asked now.".to_string(),
        }
    }

    /// The lint findings about a question, in words.
    fn findings_words(&self, question: &Question) -> String {
        let Ok(report) = lint::check(&self.engine, &self.answers) else {
            return String::new();
        };
        let words: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.question.as_deref() == Some(question.id.as_str()))
            .filter(|f| f.rule != "assumed" && f.rule != "required")
            .map(|f| format!("{}: {}", severity_word(f.severity), f.message))
            .collect();
        words.join(" ")
    }

    /// After the last question: the coverage per section, the errors left, and what can be done.
    fn finish(&mut self) -> Result<Next, AppError> {
        self.say("")?;
        self.say("That was the last question.")?;
        self.summary()?;
        loop {
            self.say("Type save to write the documents as new revisions, :back to return to the last question, or a blank line (or Ctrl-D) to stop; the session is kept.")?;
            let Some(line) = self.line("> ")? else {
                return Ok(Next::Stop);
            };
            match line.trim() {
                "save" => self.save()?,
                ":back" => {
                    let last = self.visible().last().cloned();
                    return Ok(last.map_or(Next::Stop, Next::Ask));
                }
                "" | ":quit" => return Ok(Next::Stop),
                other => self.say(&format!("\"{other}\" is not one of save, :back or a blank line."))?,
            }
        }
    }

    fn summary(&mut self) -> Result<(), AppError> {
        let q = self.questionnaire();
        let vis = self.engine.visibility(&self.answers);
        let states = self.engine.states(&self.answers, &vis);
        self.say("Per section: answered, assumed, open.")?;
        for row in coverage::coverage(&q, &states).iter().filter(|r| r.asked() > 0) {
            let required = if row.required_open > 0 {
                format!(" ({} required)", row.required_open)
            } else {
                String::new()
            };
            let defaulted = if row.defaulted > 0 {
                format!(", {} on a default not yet confirmed", row.defaulted)
            } else {
                String::new()
            };
            self.say(&format!(
                "  {}: {} answered{defaulted}, {} assumed, {} open{required}.",
                row.title, row.answered, row.assumed, row.open
            ))?;
        }
        if let Ok(report) = lint::check(&self.engine, &self.answers) {
            let errors: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.message.clone())
                .collect();
            if errors.is_empty() {
                self.say("No errors are left.")?;
            } else {
                self.say(&format!("{} error{} left:", errors.len(), plural(errors.len())))?;
                for e in errors {
                    self.say(&format!("  - {e}"))?;
                }
            }
        }
        Ok(())
    }

    /// `save`: what Ctrl-S does, with the same core save; a hand edit is never overwritten here.
    fn save(&mut self) -> Result<(), AppError> {
        if self.read_only {
            return self.say("Read-only: another spec-interview has this session, so nothing is saved here.");
        }
        self.autosave()?;
        if let Ok(report) = lint::check(&self.engine, &self.answers) {
            let required = report.findings.iter().filter(|f| f.rule == "required").count();
            let errors = report.count(Severity::Error);
            if required > 0 || errors > 0 {
                self.say(&format!(
                    "Saving with {required} required answer{} open and {errors} error{}.",
                    plural(required),
                    plural(errors)
                ))?;
            }
        }
        let provenance = crate::provenance::current(&self.project.root);
        match saving::save_documents(
            &self.project,
            &self.engine,
            &self.answers,
            false,
            &provenance,
            &crate::core::session::Provenance::default(),
        ) {
            Ok(saved) => {
                for doc in saved {
                    let text = match doc.outcome {
                        Saved::New(r) => format!("Saved {} as revision {}.", doc.path, r.number),
                        Saved::Unchanged(r) => format!("{} is unchanged since revision {}.", doc.path, r.number),
                    };
                    self.say(&text)?;
                }
                Ok(())
            }
            Err(SaveProblem::EditedOutside(message)) => self.say(&format!(
                "Not saved: {message} Decide in the full-screen interview (Ctrl-S keeps or overwrites the edit)."
            )),
            Err(SaveProblem::Failed(message)) => self.say(&format!("Not saved: {message}")),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Note",
    }
}

/// Help texts are wrapped in the questionnaire file; the terminal (or the screen reader) wraps them again.
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn kind_words(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Text => "one line",
        QuestionKind::Multiline => "several lines",
        QuestionKind::Choice => "choose one",
        QuestionKind::MultiChoice => "choose any",
        QuestionKind::YesNo => "yes or no",
        QuestionKind::Number => "a number",
        QuestionKind::List => "a list",
        QuestionKind::Table => "a table",
        QuestionKind::Checklist => "checklist item",
    }
}

fn instructions(question: &Question) -> &'static str {
    match question.kind {
        QuestionKind::Text => "Type the answer on one line.",
        QuestionKind::Number => "Type a number.",
        QuestionKind::YesNo => "Type yes or no.",
        QuestionKind::Choice => "Type the option's number or its text.",
        QuestionKind::MultiChoice => {
            "Type the number or text of each option that applies, one a line (or numbers on one line: 1, 3), then a line with only a dot."
        }
        QuestionKind::Multiline => "Type the answer over as many lines as it needs, then a line with only a dot.",
        QuestionKind::List => "Type one item a line, then a line with only a dot.",
        QuestionKind::Table => "Type one row a line, as column = value; column = value, then a line with only a dot.",
        QuestionKind::Checklist => {
            "Type the answer on one line, or assume to leave it as a labelled assumption (assume: then your own words)."
        }
    }
}

/// An answer in words, on one line.
fn answer_words(question: &Question, answer: &Answer) -> String {
    match answer {
        Answer::Text(s) => one_paragraph(s),
        Answer::Assumption { assumption } => format!("assumed: {}", one_paragraph(assumption)),
        Answer::List(items) => items.join("; "),
        Answer::Bool(true) => "yes".to_string(),
        Answer::Bool(false) => "no".to_string(),
        Answer::Integer(n) => n.to_string(),
        Answer::Float(f) => f.to_string(),
        Answer::Table(rows) => rows
            .iter()
            .map(|row| {
                question
                    .columns
                    .iter()
                    .filter_map(|c| row.get(&c.id).map(|v| format!("{} = {v}", c.id)))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// Whether the plain interview is what this run gets: asked for (`--plain`, `ACCESSIBLE`), or
/// the terminal cannot show the full screen (`TERM=dumb`, input or output not a terminal).
pub fn wanted(
    flag: bool,
    env: &crate::config::Env,
    stdin_terminal: bool,
    stdout_terminal: bool,
) -> Option<&'static str> {
    if flag {
        Some("--plain was given")
    } else if env.get("ACCESSIBLE").is_some_and(|v| v != "0") {
        Some("ACCESSIBLE is set")
    } else if env.get("TERM").as_deref() == Some("dumb") {
        Some("TERM is dumb")
    } else if !stdin_terminal {
        Some("standard input is not a terminal")
    } else if !stdout_terminal {
        Some("standard output is not a terminal")
    } else {
        None
    }
}
