//! The reviewer's shell: loads revisions into a model, runs the loop (drain events, update,
//! refine what is visible, draw once), and carries out effects: clipboard copies (OSC 52),
//! loading another pair of revisions, recording decisions, answers and viewed marks.
use ratatui::crossterm::event::Event;
use std::io::{self, IsTerminal, Write as _};
use std::time::Instant;

use super::model::{RecordedAt, ReviewModel, RevisionEntry, ShownNote, Side};
use super::update::{Effect, Loaded, Msg, Recorded, Refreshed, ReviewView, update};
use crate::core::diff::compare::Comparison;
use crate::core::fsio::Project;
use crate::core::history::{DiskState, History};
use crate::core::review::{self, Reply, ReviewDecision, Verdict};
use crate::tui::app::{AppError, Ending, Interface, Signals, Wake, enter_screen, leave};
use crate::tui::theme::Theme;

pub struct Options {
    pub theme: Theme,
    /// Start side by side whatever the width.
    pub side_by_side: bool,
    /// The texts of the older and the newer side, when the caller has read them already (they
    /// are not read a second time).
    pub texts: Option<(String, String)>,
}

/// Where the reviewer reads and writes: the project, the document and its history.
pub struct Store {
    pub project: Project,
    pub document: String,
    pub history: History,
    /// Who records notes and decisions (resolved by `config::resolve::reviewer`); `None` is git's
    /// `user.name`, else `user@host`.
    pub reviewer: Option<String>,
    /// Where the name came from, in a few words ("--reviewer", "git user.name", …).
    pub reviewer_origin: String,
}

impl Store {
    /// The text of a side: a revision, or the file on disk for `None`.
    fn text(&self, number: Option<u32>) -> Result<(Side, String), String> {
        if let Some(n) = number {
            Ok((Side::of(number), self.history.content(n).map_err(|e| e.to_string())?))
        } else {
            let path = self.project.document_file(&self.document);
            let text = self
                .project
                .read_text(&self.document)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("{}: no such file or folder.", crate::core::sanitize::shown_path(&path)))?;
            Ok((Side::of(None), text))
        }
    }

    /// The name notes and decisions are recorded under, before anyone changes it.
    pub fn reviewer_name(&self) -> String {
        self.reviewer
            .clone()
            .unwrap_or_else(|| crate::provenance::author(&self.project.root))
    }

    /// Compares two sides and gathers what is recorded about them, and the sections `reviewer`
    /// marked viewed on this pair before.
    pub fn load(&self, older: Option<u32>, newer: Option<u32>, reviewer: &str) -> Result<Loaded, String> {
        self.load_texts(older, newer, reviewer, None)
    }

    /// [`Store::load`], with the two texts given when they were read already.
    fn load_texts(
        &self,
        older: Option<u32>,
        newer: Option<u32>,
        reviewer: &str,
        texts: Option<(String, String)>,
    ) -> Result<Loaded, String> {
        let (sides, old, new) = self.sides(older, newer, texts)?;
        Ok(self.compared(older, newer, reviewer, sides, old, new))
    }

    /// The two sides and their texts (those given, else read).
    fn sides(
        &self,
        older: Option<u32>,
        newer: Option<u32>,
        texts: Option<(String, String)>,
    ) -> Result<((Side, Side), String, String), String> {
        if let Some((old, new)) = texts {
            return Ok(((Side::of(older), Side::of(newer)), old, new));
        }
        let (older_side, old) = self.text(older)?;
        let (newer_side, new) = self.text(newer)?;
        Ok(((older_side, newer_side), old, new))
    }

    /// Compares the texts of two sides and gathers what is recorded about them.
    fn compared(
        &self,
        older: Option<u32>,
        newer: Option<u32>,
        reviewer: &str,
        (older_side, newer_side): (Side, Side),
        old: String,
        new: String,
    ) -> Loaded {
        let comparison = Comparison::new(old, new);
        let view = self.view(older, newer, &comparison);
        let viewed = match (older, newer) {
            (Some(o), Some(n)) => self.history.viewed(reviewer, o, n).unwrap_or_default(),
            _ => Vec::new(),
        };
        Loaded {
            older: older_side,
            newer: newer_side,
            comparison,
            view,
            can_decide: newer.is_some(),
            viewed,
        }
    }

    /// The newer revision's review state and decisions, the review gate, and every note recorded
    /// on a revision up to the newer one, placed in the two texts (a note written on the older
    /// side shows there; one whose line is in neither text is outdated, never dropped).
    pub fn view(&self, older: Option<u32>, newer: Option<u32>, comparison: &Comparison) -> ReviewView {
        let (review, decisions) = match newer {
            // A review file that cannot be read is said so, and the revision can still be read.
            Some(n) => match self.history.decisions(n) {
                Ok(decisions) => (review::ReviewState::of_latest(&decisions).describe(), decisions),
                Err(e) => (format!("review unreadable: {e}"), Vec::new()),
            },
            None => ("the file on disk is not reviewed".to_string(), Vec::new()),
        };
        let gate = self.history.gate().unwrap_or_default();
        let upto = match newer {
            Some(n) => n,
            None => self.history.latest().ok().flatten().map_or(0, |r| r.number),
        };
        let (threads, _) = review::threads(&self.history, 1, upto);
        let notes = threads
            .into_iter()
            .map(|t| {
                let place = review::place(&t.note, comparison.old.text(), older, comparison.new.text(), newer);
                ShownNote {
                    note: t.note,
                    recorded: Some(RecordedAt {
                        revision: t.revision,
                        verdict: t.verdict,
                        time: t.time,
                    }),
                    replies: t.replies,
                    place,
                }
            })
            .collect();
        ReviewView {
            review,
            decisions,
            gate,
            notes,
        }
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
    /// `old` and `new` are the texts shown (of revisions `older` and `newer`, when they are
    /// revisions): a file equal to one of them is told without hashing it.
    pub fn disk(&self, older: Option<u32>, newer: Option<u32>, old: &str, new: &str) -> Option<String> {
        let known: Vec<(u32, &str)> = [(newer, new), (older, old)]
            .into_iter()
            .filter_map(|(number, text)| number.map(|n| (n, text)))
            .collect();
        match self.history.disk_state_knowing(&known) {
            Ok(DiskState::Missing) => None,
            Ok(DiskState::Saved(n)) => Some(format!("the same as revision {n}")),
            Ok(DiskState::EditedOutside { since: Some(n) }) => Some(format!("edited by hand since revision {n}")),
            Ok(DiskState::EditedOutside { since: None }) => Some("edited by hand".into()),
            Err(e) => Some(format!("unreadable ({e})")),
        }
    }

    /// Records a decision, stamped with the time (and the name, when the model gave none).
    pub fn record(&self, mut decision: ReviewDecision) -> Result<Recorded, String> {
        if decision.reviewer.trim().is_empty() {
            decision.reviewer = self.reviewer_name();
        }
        decision.time = crate::provenance::now();
        let outcome = self.history.record_decision(&decision).map_err(|e| e.to_string())?;
        let notes = match decision.notes.len() {
            0 => String::new(),
            1 => " with 1 note".into(),
            n => format!(" with {n} notes"),
        };
        let message = match outcome.verdict {
            Verdict::Approved => format!(
                "Approved revision {} as {}{notes}; recorded in the history.",
                decision.revision, decision.reviewer
            ),
            Verdict::ChangesRequested => format!(
                "Requested changes to revision {} as {}{notes}; recorded in the history.",
                decision.revision, decision.reviewer
            ),
            Verdict::Escalated => format!(
                "Recorded as an escalation on revision {} by {}{notes}: past the review gate's limit of {} requests.",
                decision.revision,
                decision.reviewer,
                review::REVISION_CYCLE_LIMIT
            ),
        };
        let name = self
            .document
            .strip_prefix(crate::core::fsio::DOCS_PREFIX)
            .unwrap_or(&self.document);
        let limit = if outcome.limit_reached && outcome.verdict != Verdict::Approved {
            review::limit_message(name, outcome.requests_in_cycle)
        } else {
            None
        };
        Ok(Recorded {
            message,
            limit,
            view: ReviewView::default(),
        })
    }

    /// Records an answer to a note (or its resolved mark), stamped with the time.
    pub fn reply(&self, revision: u32, mut reply: Reply) -> Result<(), String> {
        if reply.reviewer.trim().is_empty() {
            reply.reviewer = self.reviewer_name();
        }
        reply.time = crate::provenance::now();
        self.history.record_reply(revision, &reply).map_err(|e| e.to_string())
    }
}

/// Builds the reviewer's model for two sides (revision numbers, `None` for the file on disk).
pub fn open(store: &Store, older: Option<u32>, newer: Option<u32>, theme: Theme) -> Result<ReviewModel, String> {
    open_with(store, older, newer, theme, None)
}

/// [`open`], with the two texts given when they were read already.
fn open_with(
    store: &Store,
    older: Option<u32>,
    newer: Option<u32>,
    theme: Theme,
    texts: Option<(String, String)>,
) -> Result<ReviewModel, String> {
    let reviewer = store.reviewer_name();
    let (sides, old, new) = store.sides(older, newer, texts)?;
    // Before the comparison: the file on disk is read whole to be told, and holding it beside
    // the comparison made the reviewer's peak memory.
    let disk = store.disk(older, newer, &old, &new);
    let loaded = store.compared(older, newer, &reviewer, sides, old, new);
    let mut model = ReviewModel::new(
        store.document.clone(),
        loaded.older.clone(),
        loaded.newer.clone(),
        Comparison::new(String::new(), String::new()),
        theme,
    );
    model.reviewer = reviewer;
    model.reviewer_origin.clone_from(&store.reviewer_origin);
    model.revisions = store.entries()?;
    model.disk = disk;
    update(&mut model, Msg::Loaded(Ok(Box::new(loaded))));
    Ok(model)
}

/// Runs the reviewer on a terminal until the user quits.
pub fn run(store: &Store, older: Option<u32>, newer: Option<u32>, options: Options) -> Result<Ending, AppError> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(AppError::NoTerminal);
    }
    // The screen's buffers are allocated on a second thread while the texts are compared.
    let screen = crate::aside::aside(crate::tui::app::new_screen);
    let mut model = open_with(store, older, newer, options.theme, options.texts).map_err(AppError::Input)?;
    if options.side_by_side {
        model.layout_choice = Some(super::model::Layout::SideBySide);
    }
    let signals = Signals::register()?;
    // What other reviewers record shows as it happens; without it the reviewer still works.
    let watch = match super::watch::HistoryWatch::start(store.history.dir(), super::watch::wake_the_loop) {
        Ok(watch) => Some(watch),
        Err(e) => {
            model.notify(
                super::model::Level::Warning,
                format!("What others record shows when the reviewer is opened again (cannot watch the history: {e})."),
            );
            None
        }
    };
    let mut terminal = crate::tui::app::enter_made(screen()?)?;
    let result = event_loop(&mut terminal, &mut model, store, &signals, watch.as_ref());
    leave();
    crate::tui::app::release(terminal);
    result
}

/// What is recorded now, after the history changed on disk: the review of the revisions shown
/// (keeping the notes not yet recorded), and the revision list when a revision was saved.
pub fn refreshed(store: &Store, model: &ReviewModel) -> Refreshed {
    let view = store.view(model.older.number, model.newer.number, &model.comparison);
    let saved = store.history.revisions().map_or(0, |r| r.len());
    let revisions = (saved != model.revisions.len()).then(|| store.entries().ok()).flatten();
    Refreshed {
        view,
        revisions,
        disk: store.disk(
            model.older.number,
            model.newer.number,
            model.comparison.old.text(),
            model.comparison.new.text(),
        ),
    }
}

fn event_loop(
    terminal: &mut Interface,
    model: &mut ReviewModel,
    store: &Store,
    signals: &Signals,
    watch: Option<&super::watch::HistoryWatch>,
) -> Result<Ending, AppError> {
    match run_loop(terminal, model, store, signals, watch) {
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
    terminal: &mut Interface,
    model: &mut ReviewModel,
    store: &Store,
    signals: &Signals,
    watch: Option<&super::watch::HistoryWatch>,
) -> Result<Ending, AppError> {
    let size = terminal.size()?;
    update(model, Msg::Resize(size.width, size.height));
    crate::tui::screen::draw(terminal, |f| super::view::draw(f, model))?;
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
            // Woken: a window-size change the terminal library did not report, or the history
            // watch (looked at below).
            Ok(Wake::Woken) => crate::tui::app::unreported_resize(terminal),
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
                    Event::Resize(width, height) => {
                        // The next frame is laid out for this size: no frame asks the terminal.
                        terminal.backend_mut().set_size(ratatui::layout::Size { width, height });
                        Some(Msg::Resize(width, height))
                    }
                    _ => None,
                };
                if let Some(msg) = msg {
                    effects.extend(update(model, msg));
                }
                match signals.wait(Some(Instant::now()))? {
                    Wake::Event(next) => event = next,
                    Wake::Timeout | Wake::Signal | Wake::Woken | Wake::TerminalGone => break,
                }
            }
        } else if model.refine_pending {
            model.refine_visible();
        }
        if watch.is_some_and(super::watch::HistoryWatch::take) {
            update(model, Msg::Refreshed(Box::new(refreshed(store, model))));
            changed = true;
        }
        for effect in effects {
            if let Some(ending) = run_effect(terminal, model, store, effect)? {
                return Ok(ending);
            }
        }
        if changed {
            crate::tui::screen::draw(terminal, |f| super::view::draw(f, model))?;
        }
    }
}

/// Carries out one effect and answers the model; `Some` when the reviewer is to end.
fn run_effect(
    terminal: &mut Interface,
    model: &mut ReviewModel,
    store: &Store,
    effect: Effect,
) -> Result<Option<Ending>, AppError> {
    match effect {
        Effect::Quit => return Ok(Some(Ending::Quit)),
        Effect::Suspend => {
            leave();
            let stopped = crate::tui::app::stop_for_the_shell();
            crate::tui::app::release(std::mem::replace(terminal, enter_screen()?));
            let size = terminal.size()?;
            update(model, Msg::Resize(size.width, size.height));
            if !stopped {
                model.notify(
                    super::model::Level::Info,
                    "Ctrl-Z: there is no shell to return to here (spec-interview was not started from one); q quits, asking first about notes not yet recorded.",
                );
            }
        }
        Effect::Copy { text, what } => {
            let result = copy(&text).map(|()| format!("Copied {what} to the clipboard (OSC 52)."));
            update(model, Msg::Copied(result));
        }
        Effect::Load { older, newer } => {
            let loaded = store.load(older, newer, &model.reviewer).map(Box::new);
            update(model, Msg::Loaded(loaded));
        }
        Effect::Record(decision) => {
            let number = decision.revision;
            let result = store.record(decision).map(|mut recorded| {
                recorded.view = store.view(model.older.number, model.newer.number, &model.comparison);
                recorded
            });
            // Only this revision's review state changed: no need to count lines again.
            if let Ok(recorded) = &result
                && let Some(entry) = model.revisions.iter_mut().find(|r| r.number == number)
            {
                entry.review.clone_from(&recorded.view.review);
            }
            update(model, Msg::Recorded(result));
        }
        Effect::Reply { revision, reply } => {
            let result = store
                .reply(revision, reply)
                .map(|()| Box::new(store.view(model.older.number, model.newer.number, &model.comparison)));
            update(model, Msg::Replied(result));
        }
        Effect::SaveViewed {
            older,
            newer,
            reviewer,
            sections,
        } => {
            if let Err(e) = store.history.record_viewed(&reviewer, older, newer, &sections) {
                model.notify(super::model::Level::Warning, format!("Viewed marks not kept: {e}"));
            }
        }
    }
    Ok(None)
}

/// What copying `text` sends to the terminal: crossterm's OSC 52 command, which asks the
/// terminal (through ssh and tmux) to set the clipboard.
pub fn clipboard_sequence(text: &str) -> String {
    use ratatui::crossterm::Command as _;
    let mut out = String::new();
    let _ = ratatui::crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes()).write_ansi(&mut out);
    out
}

fn copy(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    ratatui::crossterm::execute!(
        out,
        ratatui::crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
    )
    .and_then(|()| out.flush())
    .map_err(|e| format!("Could not copy: {e}."))
}
