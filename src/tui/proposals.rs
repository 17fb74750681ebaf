//! The assistant in the interview: answers proposed from the repository and earlier documents,
//! shown beside their questions until the user accepts or rejects them, and the Quick Start
//! line. Nothing here becomes an answer without a key press; accepted answers keep their
//! source (provenance) in the session and in each revision's answers file.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::core::answer::Answer;
use crate::core::questionnaire::QuestionKind;
use crate::core::quick::{self, Reading};
use crate::core::scan::Suggestions;
use crate::core::scan::proposal::{Proposal, Source, answer_text};
use crate::core::session::AnswerSource;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::model::{Level, Model};
use crate::tui::update::Effect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Accepted,
    Rejected,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    pub proposal: Proposal,
    pub status: Status,
}

/// The one-line Quick Start field and what its text is understood to say (shown before it is
/// applied).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuickLine {
    pub text: String,
    pub reading: Reading,
}

/// The assistant's state in the interview.
#[derive(Debug, Clone, Default)]
pub struct Assistant {
    /// The scan has not reported yet.
    pub scanning: bool,
    /// The scan has run long enough for the question pane to say that it is looking.
    pub scanning_said: bool,
    pub offered: Vec<Offered>,
    /// Which of the focused question's pending proposals is shown (they cycle).
    pub shown: usize,
    pub quick: Option<QuickLine>,
    /// Where answers the user did not type came from, with the value taken: an answer changed
    /// since loses its provenance.
    pub sources: BTreeMap<String, (AnswerSource, Answer)>,
    /// `question = value` of proposals rejected (in this session or an earlier one).
    pub rejected: Vec<String>,
}

fn key_of(p: &Proposal) -> String {
    format!("{} = {}", p.question, answer_text(&p.value))
}

impl Assistant {
    /// The pending proposals for question `id`, most confident first.
    pub fn pending(&self, id: &str) -> Vec<&Offered> {
        self.offered
            .iter()
            .filter(|o| o.status == Status::Pending && o.proposal.question == id)
            .collect()
    }

    /// The proposal shown for question `id`.
    pub fn shown_for(&self, id: &str) -> Option<&Offered> {
        let pending = self.pending(id);
        if pending.is_empty() {
            return None;
        }
        pending.get(self.shown % pending.len()).copied()
    }

    /// How many proposals wait for a decision.
    pub fn waiting(&self) -> usize {
        self.offered.iter().filter(|o| o.status == Status::Pending).count()
    }

    /// The provenance to write: only for answers still as they were taken.
    pub fn provenance(&self, answers: &crate::core::session::Answers) -> crate::core::session::Provenance {
        self.sources
            .iter()
            .filter(|(id, (_, value))| answers.get(*id) == Some(value))
            .map(|(id, (source, _))| (id.clone(), source.clone()))
            .collect()
    }
}

fn source_of(p: &Proposal) -> AnswerSource {
    AnswerSource {
        source: p.source.name().to_string(),
        file: Some(p.evidence.file.clone()),
        line: (p.evidence.line > 0).then_some(p.evidence.line),
        text: Some(p.evidence.text.clone()),
    }
}

/// The scan reported: offer what it found, except proposals already rejected and values the
/// answers already hold.
pub fn receive(model: &mut Model, found: Suggestions) {
    model.assistant.scanning = false;
    let mut offered = Vec::new();
    for p in found.proposals {
        let status = if model.assistant.rejected.contains(&key_of(&p)) || holds(model, &p) {
            Status::Rejected
        } else {
            Status::Pending
        };
        offered.push(Offered { proposal: p, status });
    }
    model.assistant.offered = offered;
    let waiting = model.assistant.waiting();
    if waiting > 0 && model.notice.is_none() {
        let accept = keymap::key_label(Context::Global, Action::AcceptProposal);
        let all = keymap::key_label(Context::Global, Action::AcceptSource);
        let reject = keymap::key_label(Context::Global, Action::RejectProposal);
        model.notify(
            Level::Info,
            format!(
                "{waiting} answer{} proposed from this project (◆ in the outline): {accept} accepts, {all} accepts all from a source, {reject} rejects.",
                if waiting == 1 { "" } else { "s" }
            ),
        );
    }
}

/// Whether the answers already hold this proposal's value (for a list: every item of it).
fn holds(model: &Model, p: &Proposal) -> bool {
    match (model.answers.get(&p.question), &p.value) {
        (Some(Answer::List(have)), Answer::List(items)) => items.iter().all(|i| have.contains(i)),
        (Some(have), value) => have == value,
        (None, _) => false,
    }
}

/// Sets question `id` to `value` (adding to a list or multiple choice), as if the user had
/// answered it, and records where it came from.
fn apply(model: &mut Model, id: &str, value: &Answer, source: AnswerSource) {
    let Some(question) = model.questionnaire().question(id).cloned() else {
        return;
    };
    let new = match (question.kind, value, model.answers.get(id)) {
        (QuestionKind::MultiChoice | QuestionKind::List, Answer::List(items), Some(Answer::List(have))) => {
            let mut merged = have.clone();
            for i in items {
                if !merged.contains(i) {
                    merged.push(i.clone());
                }
            }
            Answer::List(merged)
        }
        _ => value.clone(),
    };
    model.answers.insert(id.to_string(), new.clone());
    model.drafts.remove(id);
    if model.focus == id {
        model.editor = model.open_editor(id);
    }
    model.assistant.sources.insert(id.to_string(), (source, new));
}

fn session_effect(model: &mut Model) -> Vec<Effect> {
    model.recompute();
    if model.read_only {
        return Vec::new();
    }
    vec![Effect::WriteSession(Box::new(model.session_file()))]
}

/// Marks the other proposals for a single-valued question as settled once one is taken.
fn settle_question(model: &mut Model, id: &str) {
    let single = model
        .questionnaire()
        .question(id)
        .is_some_and(|q| !matches!(q.kind, QuestionKind::MultiChoice | QuestionKind::List));
    if single {
        for o in &mut model.assistant.offered {
            if o.proposal.question == id && o.status == Status::Pending {
                o.status = Status::Rejected;
            }
        }
    }
}

fn take(model: &mut Model, index: usize) {
    let p = model.assistant.offered[index].proposal.clone();
    model.assistant.offered[index].status = Status::Accepted;
    apply(model, &p.question, &p.value, source_of(&p));
    settle_question(model, &p.question);
    model.assistant.shown = 0;
}

fn index_of_shown(model: &Model) -> Option<usize> {
    let shown = model.assistant.shown_for(&model.focus)?;
    model.assistant.offered.iter().position(|o| std::ptr::eq(o, shown))
}

fn nothing_here(model: &mut Model) {
    let text = if model.assistant.scanning {
        "The project is still being scanned for proposals."
    } else if model.assistant.waiting() == 0 {
        "No proposals wait for a decision."
    } else {
        "No proposal for this question: the outline marks the questions that have one with ◆."
    };
    model.notify(Level::Info, text);
}

/// The assistant's keys: accept, reject, accept all from a source, the next proposal, and
/// the Quick Start line.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::QuickStart => {
            open_quick(model, String::new());
            Vec::new()
        }
        Action::AcceptProposal => {
            let Some(i) = index_of_shown(model) else {
                nothing_here(model);
                return Vec::new();
            };
            take(model, i);
            let p = &model.assistant.offered[i].proposal;
            let text = format!(
                "Accepted \"{}\" from {}:{}.",
                answer_text(&p.value),
                p.evidence.file,
                p.evidence.line
            );
            model.notify(Level::Success, crate::core::fsio::sanitize(&text).into_owned());
            session_effect(model)
        }
        Action::RejectProposal => {
            let Some(i) = index_of_shown(model) else {
                nothing_here(model);
                return Vec::new();
            };
            model.assistant.offered[i].status = Status::Rejected;
            let key = key_of(&model.assistant.offered[i].proposal);
            if !model.assistant.rejected.contains(&key) {
                model.assistant.rejected.push(key);
            }
            model.assistant.shown = 0;
            model.notify(Level::Info, "Rejected: it will not be proposed again.");
            session_effect(model)
        }
        Action::NextProposal => {
            model.assistant.shown = model.assistant.shown.wrapping_add(1);
            Vec::new()
        }
        Action::AcceptSource => accept_all(model),
        _ => Vec::new(),
    }
}

/// Accepts every pending proposal from the source of the one shown (or, with none shown, from
/// the repository), leaving alone questions already answered and contradictions (one of those
/// is the user's choice, not ours).
fn accept_all(model: &mut Model) -> Vec<Effect> {
    let source = model
        .assistant
        .shown_for(&model.focus)
        .map_or_else(|| Source::Repository.name().to_string(), |o| o.proposal.source_key());
    let mut taken = 0;
    let mut left = 0;
    for i in 0..model.assistant.offered.len() {
        let o = &model.assistant.offered[i];
        if o.status != Status::Pending || o.proposal.source_key() != source {
            continue;
        }
        let id = o.proposal.question.clone();
        let multi = model
            .questionnaire()
            .question(&id)
            .is_some_and(|q| matches!(q.kind, QuestionKind::MultiChoice | QuestionKind::List));
        let answered = model.answers.get(&id).is_some_and(|a| !a.is_blank());
        if !o.proposal.contradicts.is_empty() || (answered && !multi) {
            left += 1;
            continue;
        }
        take(model, i);
        taken += 1;
    }
    let mut text = format!(
        "Accepted {taken} answer{} from the {source}",
        if taken == 1 { "" } else { "s" }
    );
    if left > 0 {
        let _ = write!(
            text,
            "; {left} left for you to decide (already answered, or contradicting another proposal)"
        );
    }
    text.push('.');
    model.notify(Level::Success, crate::core::fsio::sanitize(&text).into_owned());
    if taken == 0 { Vec::new() } else { session_effect(model) }
}

/// Opens the Quick Start field with `text` (the `--quick` sentence, or nothing).
pub fn open_quick(model: &mut Model, text: String) {
    let reading = quick::understand(model.questionnaire(), &text);
    model.assistant.quick = Some(QuickLine { text, reading });
}

fn reread(model: &mut Model) {
    if let Some(line) = model.assistant.quick.take() {
        let reading = quick::understand(model.questionnaire(), &line.text);
        model.assistant.quick = Some(QuickLine {
            text: line.text,
            reading,
        });
    }
}

/// Pasted text goes into the Quick Start field when it is open.
pub fn paste(model: &mut Model, text: &str) -> bool {
    let Some(line) = &mut model.assistant.quick else {
        return false;
    };
    line.text
        .push_str(&crate::core::fsio::sanitize(text).replace(['\n', '\t'], " "));
    reread(model);
    true
}

/// A key while the Quick Start field is open: typing edits the line (what it places is shown
/// as it is typed), Enter applies it, Esc closes it without applying.
pub fn on_quick_key(model: &mut Model, key: &KeyEvent) -> Option<Vec<Effect>> {
    let line = model.assistant.quick.as_mut()?;
    match keymap::lookup(Context::QuickLine, key) {
        Some(Action::Confirm) => return Some(apply_quick(model)),
        Some(Action::Back) => {
            model.assistant.quick = None;
            return Some(Vec::new());
        }
        Some(Action::Quit) => {
            model.assistant.quick = None;
            return None;
        }
        _ => {}
    }
    match key.code {
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => line.text.clear(),
        KeyCode::Char(c)
            if !key.modifiers.contains(KeyModifiers::CONTROL) && !key.modifiers.contains(KeyModifiers::ALT) =>
        {
            line.text.push(c);
        }
        KeyCode::Backspace => {
            line.text.pop();
        }
        _ => return Some(Vec::new()),
    }
    reread(model);
    Some(Vec::new())
}

/// Applies what the Quick Start line placed: the user typed it, so each placed value is an
/// answer (added to what a list or multiple choice already holds).
fn apply_quick(model: &mut Model) -> Vec<Effect> {
    let Some(line) = model.assistant.quick.take() else {
        return Vec::new();
    };
    if line.reading.placed.is_empty() {
        model.notify(
            Level::Warning,
            "The Quick Start line named nothing this questionnaire asks; nothing was changed.",
        );
        return Vec::new();
    }
    let typed = crate::core::fsio::sanitize(&line.text).into_owned();
    for p in &line.reading.placed {
        let source = AnswerSource {
            source: "quick start line".into(),
            file: None,
            line: None,
            text: Some(typed.clone()),
        };
        apply(model, &p.question, &p.value, source);
        settle_question(model, &p.question);
    }
    let labels: Vec<&str> = line.reading.placed.iter().map(|p| p.label.as_str()).collect();
    let mut text = format!("Quick Start filled {}", labels.join(", "));
    if !line.reading.unplaced.is_empty() {
        let _ = write!(text, "; not placed: {}", line.reading.unplaced.join("; "));
    }
    text.push('.');
    model.notify(Level::Success, crate::core::fsio::sanitize(&text).into_owned());
    session_effect(model)
}
