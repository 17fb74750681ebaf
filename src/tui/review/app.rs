//! The reviewer's shell: loads revisions into a model, runs the loop (drain events, update,
//! refine what is visible, draw once), and carries out effects: OSC 52 copies, loading another
//! pair of revisions, recording a decision in the history.
use base64::Engine as _;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::Event;
use std::io::{self, IsTerminal, Write as _};
use std::time::Instant;

use super::model::{ReviewModel, RevisionEntry, ShownNote, Side};
use super::update::{Effect, Loaded, Msg, Recorded, update};
use crate::core::diff::compare::Comparison;
use crate::core::fsio::Project;
use crate::core::history::{DiskState, History};
use crate::core::review::{self, Located, ReviewDecision};
use crate::tui::app::{AppError, Ending, Signals, Wake, enter, leave};
use crate::tui::theme::Theme;

pub struct Options {
    pub theme: Theme,
    /// Start side by side whatever the width.
    pub side_by_side: bool,
}

/// Where the reviewer reads and writes: the project, the document and its history.
pub struct Store {
    pub project: Project,
    pub document: String,
    pub history: History,
    /// Who records decisions (resolved by `config::resolve::reviewer`); `None` is git's
    /// `user.name`, else `user@host`.
    pub reviewer: Option<String>,
}

impl Store {
    /// The text of a side: a revision, or the file on disk for `None`.
    fn text(&self, number: Option<u32>) -> Result<(Side, String), String> {
        if let Some(n) = number {
            Ok((
                Side {
                    number: Some(n),
                    label: format!("revision {n}"),
                },
                self.history.content(n).map_err(|e| e.to_string())?,
            ))
        } else {
            let path = self.project.document_file(&self.document);
            let text = self
                .project
                .read_text(&self.document)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("{}: no such file or folder.", crate::core::sanitize::shown_path(&path)))?;
            Ok((
                Side {
                    number: None,
                    label: "the file on disk".into(),
                },
                text,
            ))
        }
    }

    /// Compares two sides and gathers the review state and the notes to show.
    pub fn load(&self, older: Option<u32>, newer: Option<u32>) -> Result<Loaded, String> {
        let (older_side, old) = self.text(older)?;
        let (newer_side, new) = self.text(newer)?;
        let comparison = Comparison::new(&old, &new);
        let (review, notes) = self.review_of(newer, &comparison, older);
        Ok(Loaded {
            older: older_side,
            newer: newer_side,
            comparison,
            review,
            notes,
            can_decide: newer.is_some(),
        })
    }

    /// The newer revision's review state, and the recorded notes of both sides placed in the
    /// newer text (notes on the older revision show whether they were addressed).
    fn review_of(&self, newer: Option<u32>, comparison: &Comparison, older: Option<u32>) -> (String, Vec<ShownNote>) {
        let review = match newer {
            // A review file that cannot be read is said so, and the revision can still be read.
            Some(n) => self
                .history
                .review_state(n)
                .map_or_else(|e| format!("review unreadable: {e}"), |s| s.describe()),
            None => "the file on disk is not reviewed".to_string(),
        };
        let mut notes = Vec::new();
        let mut seen = Vec::new();
        for number in [older, newer].into_iter().flatten() {
            if seen.contains(&number) {
                continue;
            }
            seen.push(number);
            for decision in self.history.decisions(number).unwrap_or_default() {
                for note in decision.notes {
                    let line = match review::locate(comparison.new.text(), &note.anchor) {
                        Located::Exact(l) | Located::InSection(l) => Some(l),
                        Located::Lost => None,
                    };
                    notes.push(ShownNote {
                        note,
                        by: format!("{} on revision {number}", decision.reviewer),
                        pending: false,
                        line,
                    });
                }
            }
        }
        (review, notes)
    }

    /// Every revision with its changes against the one before and its review state.
    pub fn entries(&self) -> Result<Vec<RevisionEntry>, String> {
        let summaries = review::summaries(&self.history).map_err(|e| e.to_string())?;
        Ok(summaries
            .into_iter()
            .map(|s| RevisionEntry {
                review: s.state().describe(),
                number: s.revision.number,
                time: s.revision.time,
                author: s.revision.author,
                lines: s.lines,
                changed_answers: s.answers.describe(4),
            })
            .collect())
    }

    /// How the document file on disk stands against the history; `None` when there is none.
    pub fn disk(&self) -> Option<String> {
        match self.history.disk_state() {
            Ok(DiskState::Missing) => None,
            Ok(DiskState::Saved(n)) => Some(format!("the same as revision {n}")),
            Ok(DiskState::EditedOutside { since: Some(n) }) => Some(format!("edited by hand since revision {n}")),
            Ok(DiskState::EditedOutside { since: None }) => Some("edited by hand".into()),
            Err(e) => Some(format!("unreadable ({e})")),
        }
    }

    /// Records a decision, stamped with who and when.
    pub fn record(&self, mut decision: ReviewDecision) -> Result<Recorded, String> {
        let who = crate::provenance::current(&self.project.root);
        decision.reviewer = self.reviewer.clone().unwrap_or(who.author);
        decision.time = who.time;
        let outcome = self.history.record_decision(&decision).map_err(|e| e.to_string())?;
        let verdict = match decision.verdict {
            review::Verdict::Approved => "Approved",
            review::Verdict::ChangesRequested => "Requested changes to",
        };
        let notes = decision.notes.len();
        let message = format!(
            "{verdict} revision {} as {}{}; recorded in the history.",
            decision.revision,
            decision.reviewer,
            match notes {
                0 => String::new(),
                1 => " with 1 note".into(),
                n => format!(" with {n} notes"),
            }
        );
        let limit = if outcome.limit_reached {
            review::limit_message(&self.document, outcome.requests_in_cycle)
        } else {
            None
        };
        Ok(Recorded {
            message,
            limit,
            review: String::new(),
            notes: Vec::new(),
        })
    }
}

/// Builds the reviewer's model for two sides (revision numbers, `None` for the file on disk).
pub fn open(store: &Store, older: Option<u32>, newer: Option<u32>, theme: Theme) -> Result<ReviewModel, String> {
    let loaded = store.load(older, newer)?;
    let mut model = ReviewModel::new(
        store.document.clone(),
        loaded.older,
        loaded.newer,
        loaded.comparison,
        theme,
    );
    model.review = loaded.review;
    model.notes = loaded.notes;
    model.can_decide = loaded.can_decide;
    model.revisions = store.entries()?;
    model.disk = store.disk();
    model.relayout();
    Ok(model)
}

/// Runs the reviewer on a terminal until the user quits.
pub fn run(store: &Store, older: Option<u32>, newer: Option<u32>, options: Options) -> Result<Ending, AppError> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(AppError::NoTerminal);
    }
    let mut model = open(store, older, newer, options.theme).map_err(AppError::Input)?;
    if options.side_by_side {
        model.layout_choice = Some(super::model::Layout::SideBySide);
    }
    let signals = Signals::register()?;
    let mut terminal = enter()?;
    let result = event_loop(&mut terminal, &mut model, store, &signals);
    leave();
    crate::tui::app::release(terminal);
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    model: &mut ReviewModel,
    store: &Store,
    signals: &Signals,
) -> Result<Ending, AppError> {
    match run_loop(terminal, model, store, signals) {
        // Writing to a terminal that hung up fails, perhaps before SIGHUP is seen: a hang-up.
        Err(AppError::Terminal(e)) => match signals.pending() {
            Some(signal) => Ok(Ending::Signal(signal)),
            None if signals.terminal_gone() => Ok(Ending::Signal(signal_hook::consts::SIGHUP)),
            None => Err(AppError::Terminal(e)),
        },
        other => other,
    }
}

fn run_loop(
    terminal: &mut DefaultTerminal,
    model: &mut ReviewModel,
    store: &Store,
    signals: &Signals,
) -> Result<Ending, AppError> {
    let size = terminal.size()?;
    update(model, Msg::Resize(size.width, size.height));
    terminal.draw(|f| super::view::draw(f, model))?;
    loop {
        if let Some(signal) = signals.pending() {
            signals.flush_now(|| {});
            return Ok(Ending::Signal(signal));
        }
        // Refinement left over from the last frame is finished before waiting; otherwise the
        // wait lasts until something happens.
        let deadline = model.refine_pending.then(Instant::now);
        let first = match signals.wait(deadline) {
            Ok(Wake::Event(event)) => Some(event),
            Ok(Wake::Timeout) => None,
            Ok(Wake::Signal) => continue,
            Ok(Wake::TerminalGone) => {
                signals.flush_now(|| {});
                return Ok(Ending::Signal(signal_hook::consts::SIGHUP));
            }
            // The wait can fail once a signal took the terminal away: handled above.
            Err(_) if signals.pending().is_some() => continue,
            Err(e) => return Err(e.into()),
        };
        let mut effects = Vec::new();
        let mut changed = model.refine_pending;
        if let Some(mut event) = first {
            changed = true;
            loop {
                let msg = match event {
                    Event::Key(key) => Some(Msg::Key(key)),
                    Event::Paste(text) => Some(Msg::Paste(text)),
                    Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                    _ => None,
                };
                if let Some(msg) = msg {
                    effects.extend(update(model, msg));
                }
                match signals.wait(Some(Instant::now()))? {
                    Wake::Event(next) => event = next,
                    Wake::Timeout | Wake::Signal | Wake::TerminalGone => break,
                }
            }
        } else if model.refine_pending {
            model.refine_visible();
        }
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(Ending::Quit),
                Effect::Suspend => {
                    leave();
                    #[cfg(unix)]
                    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                    crate::tui::app::release(std::mem::replace(terminal, enter()?));
                    let size = terminal.size()?;
                    update(model, Msg::Resize(size.width, size.height));
                }
                Effect::Copy { text, what } => {
                    let result = copy(&text).map(|()| format!("Copied {what} to the clipboard (OSC 52)."));
                    update(model, Msg::Copied(result));
                }
                Effect::Load { older, newer } => {
                    let loaded = store.load(older, newer).map(Box::new);
                    update(model, Msg::Loaded(loaded));
                }
                Effect::Record(decision) => {
                    let number = decision.revision;
                    let result = store.record(decision).map(|mut recorded| {
                        let (review, notes) = store.review_of(Some(number), &model.comparison, model.older.number);
                        recorded.review = review;
                        recorded.notes = notes;
                        recorded
                    });
                    // Only this revision's review state changed: no need to count lines again.
                    if let Ok(recorded) = &result
                        && let Some(entry) = model.revisions.iter_mut().find(|r| r.number == number)
                    {
                        entry.review.clone_from(&recorded.review);
                    }
                    update(model, Msg::Recorded(result));
                }
            }
        }
        if changed {
            terminal.draw(|f| super::view::draw(f, model))?;
        }
    }
}

/// The OSC 52 sequence that asks the terminal (through ssh and tmux) to set the clipboard.
pub fn osc52(text: &str) -> String {
    format!(
        "\u{1b}]52;c;{}\u{7}",
        base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
    )
}

fn copy(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    out.write_all(osc52(text).as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("Could not copy: {e}."))
}
