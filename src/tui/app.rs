//! The terminal shell: sets the terminal up and always restores it (quit, error, panic,
//! SIGTERM/SIGHUP/SIGINT), runs the loop (drain events, update, run effects, draw once), and carries
//! out effects: writing the session, saving documents, the external editor, suspending.
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::style::{Attribute, SetAttribute};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use std::io::{self, IsTerminal, Write as _};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::core::document::Engine;
use crate::core::fsio::{LockError, Project, SessionLock};
use crate::core::history::{self, History};
use crate::core::questionnaire::Questionnaire;
use crate::core::session::{self, AnswersFile, SessionProblem};
use crate::tui::model::{Level, Model, Overlay, ReviewStatus};
use crate::tui::save::{DocumentOnDisk, KeptEdit, SavedDocument};
use crate::tui::screen::Screen;
pub(crate) use crate::tui::signals::{EDITING_EXTERNALLY, Signals, Wake};
use crate::tui::theme::Theme;
use crate::tui::update::{AUTOSAVE_AFTER, Effect, Msg, READ_ONLY, SaveProblem, update};

/// Why the interview could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the interview needs a terminal (standard input and output must be a terminal).")]
    NoTerminal,
    #[error("{0}")]
    Input(String),
    /// Another spec-interview has this session open; the text says which.
    #[error("this session is open in another spec-interview ({0}).")]
    Locked(String),
    #[error("the terminal failed: {0}.")]
    Terminal(#[from] io::Error),
}

/// How the interview ended.
pub enum Ending {
    Quit,
    /// A signal asked us to stop (the session was flushed first).
    Signal(i32),
}

pub struct Options {
    pub theme: Theme,
    /// Look without writing: no lock, no autosave, no saving.
    pub read_only: bool,
    /// Start over, keeping the old session as a backup.
    pub fresh: bool,
    /// A Quick Start line to show (with what it places) when the interview opens.
    pub quick: Option<String>,
    /// Where the repository scan keeps its cache (the platform cache folder); `None`: no cache.
    pub cache_dir: Option<std::path::PathBuf>,
    /// The command Ctrl-E runs (resolved by `config::resolve::editor`).
    pub editor: String,
    /// Sentences to show on the first screen (a configuration problem, say).
    pub notices: Vec<String>,
}

/// Loads the session (if any) and the latest revisions, then runs the interview.
pub fn run(project: Project, questionnaire: &Arc<Questionnaire>, options: Options) -> Result<Ending, AppError> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(AppError::NoTerminal);
    }
    // From here on, SIGTERM, SIGHUP and SIGINT end the program with the terminal restored.
    let signals = Signals::register()?;
    run_with(project, questionnaire, options, &signals)
}

fn run_with(
    project: Project,
    questionnaire: &Arc<Questionnaire>,
    options: Options,
    signals: &Signals,
) -> Result<Ending, AppError> {
    // A questionnaire with instances asks first which one to open, or names a new one.
    if !questionnaire.instance.is_empty() && questionnaire.opened_instance.is_none() {
        let mut terminal = enter()?;
        let mut start = crate::tui::start::Start::new(
            Arc::clone(questionnaire),
            crate::core::instance::existing(&project, &questionnaire.id),
        );
        let choice = crate::tui::start::run(&mut terminal, &mut start, &options.theme, signals);
        leave();
        release(terminal);
        return match choice? {
            crate::tui::start::Choice::Quit => Ok(Ending::Quit),
            crate::tui::start::Choice::Stopped(signal) => Ok(Ending::Signal(signal)),
            crate::tui::start::Choice::Open(name) => match crate::core::instance::resolved(questionnaire, &name) {
                Some(opened) => run_with(project, &Arc::new(opened), options, signals),
                None => Err(AppError::Input(format!(
                    "\"{name}\" does not name an instance of {}.",
                    questionnaire.id
                ))),
            },
        };
    }
    // The engine (every template compiled) is built on a second thread while this one takes
    // the lock and lays out the screen's buffers: the two largest steps before the first frame.
    let engine = engine_aside(&project, questionnaire);
    // One writer per session: take the lock before reading it, keep it until the end.
    let (lock, stale) = if options.read_only {
        (None, None)
    } else {
        let (lock, stale) = take_session_lock(&project, &questionnaire.session_name())?;
        (Some(lock), stale)
    };
    if options.read_only && options.fresh {
        return Err(AppError::Input(
            "--fresh changes the session, so it cannot go with --read-only.".into(),
        ));
    }
    let screen = new_screen()?;
    let mut model = prepare_with(
        Arc::new(engine()?),
        project,
        questionnaire,
        options.theme,
        options.fresh,
        options.read_only,
    )?;
    if let Some(who) = stale {
        let before = model.notice.take().map(|n| format!(" {}", n.text)).unwrap_or_default();
        model.notify(
            Level::Warning,
            format!("Took over the session from {who}, which is no longer running.{before}"),
        );
    }
    if !options.notices.is_empty() {
        let before = model.notice.take().map(|n| format!(" {}", n.text)).unwrap_or_default();
        model.notify(Level::Warning, format!("{}{before}", options.notices.join(" ")));
    }
    if let Some(line) = options.quick {
        crate::tui::proposals::open_quick(&mut model, line);
    }
    let scan = start_scan(&model, questionnaire, options.cache_dir);
    if !model.read_only {
        signals.flush_into(model.project.clone(), Arc::clone(questionnaire));
    }
    let mut terminal = enter_made(screen)?;
    let result = event_loop(&mut terminal, &mut model, signals, &options.editor, Some(&scan));
    leave();
    release(terminal);
    drop(lock);
    result
}

/// Lets go of the terminal once `leave` has restored it, without ratatui's own restore on
/// drop: that one reports a failure on standard error, and when the terminal hung up, writing
/// there fails too and ends the program in a panic instead of with its own message.
pub(crate) fn release<B: ratatui::backend::Backend>(terminal: ratatui::Terminal<B>) {
    std::mem::forget(terminal);
}

/// Takes the lock of `id`'s session for this process: the lock, and who held it before when
/// that process is gone. The full-screen and the plain interview take the same lock.
pub fn take_session_lock(project: &Project, id: &str) -> Result<(SessionLock, Option<String>), AppError> {
    let holder = format!(
        "pid {} on {} since {}",
        std::process::id(),
        gethostname::gethostname().to_string_lossy(),
        crate::provenance::now()
    );
    match SessionLock::acquire(project, id, &holder) {
        Ok(taken) => Ok(taken),
        Err(LockError::Held(who)) => Err(AppError::Locked(who)),
        Err(LockError::Fs(e)) => Err(AppError::Input(e.to_string())),
    }
}

/// Builds the model: the questionnaire's engine, the saved session (migrated if the
/// questionnaire changed), the latest revisions. A damaged session, or one from a newer
/// version, is moved aside — never overwritten — and the interview starts fresh with an alert.
/// `fresh` starts over on purpose, keeping the old session as a backup.
pub fn prepare(
    project: Project,
    questionnaire: &Arc<Questionnaire>,
    theme: Theme,
    fresh: bool,
) -> Result<Model, AppError> {
    let engine = Arc::new(new_engine(&project, questionnaire)?);
    prepare_with(engine, project, questionnaire, theme, fresh, false)
}

/// The questionnaire's engine, knowing which documents the project already has.
fn new_engine(project: &Project, questionnaire: &Arc<Questionnaire>) -> Result<Engine, AppError> {
    Ok(Engine::new(Arc::clone(questionnaire))
        .map_err(|e| AppError::Input(e.to_string()))?
        .with_project_documents(crate::core::project_docs::list(project)))
}

/// Starts building the engine on a thread of its own; the function returned waits for it.
fn engine_aside(project: &Project, questionnaire: &Arc<Questionnaire>) -> impl FnOnce() -> Result<Engine, AppError> {
    let (project, questionnaire) = (project.clone(), Arc::clone(questionnaire));
    crate::aside::aside(move || new_engine(&project, &questionnaire))
}

/// `prepare` with the engine built already, read-only or not: a read-only viewer never moves
/// or changes the session file.
fn prepare_with(
    engine: Arc<Engine>,
    project: Project,
    questionnaire: &Arc<Questionnaire>,
    theme: Theme,
    fresh: bool,
    read_only: bool,
) -> Result<Model, AppError> {
    let session_path = project.session_file(&questionnaire.session_name());
    let mut alert = None;
    let mut notices = Vec::new();
    let text = match session::read_session_file(&project, &questionnaire.session_name()) {
        Ok(Some(_)) if fresh => {
            let backup = move_aside(&project, &questionnaire.session_name(), "backup")?;
            notices.push(format!(
                "Started fresh; the previous session is kept in {}.",
                backup.display()
            ));
            None
        }
        Ok(text) => text,
        Err(e) => return Err(AppError::Input(e.to_string())),
    };
    let session = match text.map(|t| session::load_session(&session_path, &t, questionnaire)) {
        None => None,
        Some(Ok((file, migration))) => {
            if !migration.is_empty() {
                notices.push(migration.describe());
            }
            Some(file)
        }
        Some(Err(problem)) => {
            let (kind, why) = match &problem {
                SessionProblem::Damaged(d) => ("damaged", format!("The session file cannot be read: {d}")),
                SessionProblem::Newer(d) => ("newer", format!("The session file is from a newer spec-interview: {d}")),
            };
            let kept = if read_only {
                "Read-only: it was left where it is.".to_string()
            } else {
                let backup = move_aside(&project, &questionnaire.session_name(), kind)?;
                format!("It was moved to {} and is kept there untouched.", backup.display())
            };
            alert = Some(vec![
                why,
                kept,
                "Enter starts a fresh session; Ctrl-Q quits.".to_string(),
            ]);
            None
        }
    };
    let resumed = session
        .as_ref()
        .and_then(|s| s.session.as_ref())
        .and_then(|s| s.updated.clone());
    // A new instance starts with its keys answered: they are what named it.
    let session = session.or_else(|| {
        crate::core::instance::seed(questionnaire).map(|answers| session::AnswersFile {
            questionnaire: Some(questionnaire.id.clone()),
            answers,
            provenance: session::Provenance::new(),
            session: None,
        })
    });
    // Saves another process had cut short are settled now (finished if their document was
    // written, rolled back if not), so none is taken for a hand edit. Not when only looking.
    if !read_only {
        let documents: Vec<&str> = questionnaire.documents.iter().map(|d| d.path.as_str()).collect();
        match history::recover(&project, &documents) {
            Ok(recovered) if recovered.is_empty() => {}
            Ok(recovered) => {
                let said: Vec<String> = recovered.iter().map(history::Recovery::describe).collect();
                notices.push(capitalised(&format!("{}.", said.join("; "))));
            }
            Err(e) => notices.push(format!("Saving will not work: {e}")),
        }
    }
    let mut model = Model::new(engine, project, session, theme);
    model.read_only = read_only;
    for doc in &questionnaire.documents {
        let history = History::open(&model.project, &doc.path);
        if let Ok(Some(latest)) = history.latest() {
            if let Ok(text) = history.content(latest.number) {
                model.saved_text.insert(doc.path.clone(), text);
            }
            model.revisions.insert(doc.path.clone(), latest);
        }
    }
    refresh_review(&mut model);
    if let Some(when) = resumed {
        notices.insert(0, format!("Resumed session from {}.", describe_time(&when)));
    }
    if !notices.is_empty() {
        let level = if notices.len() > 1 { Level::Warning } else { Level::Info };
        model.notify(level, notices.join(" "));
    }
    if let Some(lines) = alert {
        model.overlay = Some(Overlay::Alert { lines });
    }
    Ok(model)
}

/// Reads the review state of each document's latest revision from the history, for the status
/// line. A document without revisions, or whose review file cannot be read, gets no entry.
pub fn refresh_review(model: &mut Model) {
    model.review.clear();
    let q = Arc::clone(model.questionnaire());
    for doc in &q.documents {
        let history = History::open(&model.project, &doc.path);
        let Ok(Some(latest)) = history.latest() else { continue };
        let (Ok(state), Ok(requests)) = (history.review_state(latest.number), history.requests_in_cycle()) else {
            continue;
        };
        model.review.insert(
            doc.path.clone(),
            ReviewStatus {
                revision: latest.number,
                state,
                limit_reached: requests >= crate::core::review::REVISION_CYCLE_LIMIT,
            },
        );
    }
}

/// Renames a session file out of the way (`<name>.<kind>-<time>`), never over another file.
pub fn move_aside(project: &Project, id: &str, kind: &str) -> Result<PathBuf, AppError> {
    let stamp: String = crate::provenance::now()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    session::move_session_aside(project, id, kind, &stamp).map_err(|e| {
        AppError::Input(format!(
            "{}: cannot move it aside: {}",
            crate::core::sanitize::shown_path(&project.session_file(id)),
            e
        ))
    })
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "12 minutes ago (2026-11-22 02:17 UTC)" for an RFC 3339 time.
pub fn describe_time(rfc3339: &str) -> String {
    let stamp = rfc3339.replace('T', " ").replace('Z', " UTC");
    let Ok(then) = humantime::parse_rfc3339(rfc3339) else {
        return stamp;
    };
    let Ok(ago) = std::time::SystemTime::now().duration_since(then) else {
        return stamp;
    };
    let minutes = ago.as_secs() / 60;
    let relative = match minutes {
        0 => "moments ago".to_string(),
        1 => "a minute ago".to_string(),
        2..=59 => format!("{minutes} minutes ago"),
        60..=119 => "an hour ago".to_string(),
        120..=2879 => format!("{} hours ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1440),
    };
    format!("{relative} ({stamp})")
}

/// The interview's terminal: its backend keeps the colours and the cursor's visibility from
/// one frame to the next, and the window size from the last resize event.
pub(crate) type Interface = ratatui::Terminal<Screen<io::Stdout>>;

/// A window-size change that the terminal library did not report as an event (the signal can
/// come before it watches for one): the terminal's size now, as a resize, when the frames are
/// laid out for another. Frames take their size from resizes, not from asking the terminal.
pub(crate) fn unreported_resize(terminal: &Interface) -> Option<Event> {
    let (width, height) = ratatui::crossterm::terminal::size().ok()?;
    let laid_out = terminal.size().ok()?;
    ((laid_out.width, laid_out.height) != (width, height)).then_some(Event::Resize(width, height))
}

/// Raw mode, the alternate screen, bracketed paste, and a panic hook that undoes them.
pub(crate) fn enter() -> io::Result<DefaultTerminal> {
    take_terminal(|| ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout())))
}

/// `enter`, for the interview (see [`Interface`]).
pub(crate) fn enter_screen() -> io::Result<Interface> {
    take_terminal(new_screen)
}

/// The interview's screen as large as the terminal is now, its frame buffers allocated, not
/// entered yet (nothing is written): made while other work goes on, entered with [`enter_made`].
pub(crate) fn new_screen() -> io::Result<Interface> {
    ratatui::Terminal::new(Screen::stdout()?)
}

/// [`enter_screen`] with a screen made by [`new_screen`].
pub(crate) fn enter_made(screen: Interface) -> io::Result<Interface> {
    take_terminal(|| Ok(screen))
}

fn take_terminal<T>(terminal: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            previous(info);
        }));
    });
    let setup = || -> io::Result<T> {
        enable_raw_mode()?;
        // Clearing here (not with Terminal::clear, which asks the terminal where its cursor is
        // and waits for an answer some terminals never give) matches the new, empty buffers.
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        terminal()
    };
    setup().inspect_err(|_| leave())
}

/// Restores the terminal; safe to call more than once and after a failure.
pub(crate) fn leave() {
    // Frames leave their colours set (the interview's backend resets them only here).
    let _ = execute!(
        io::stdout(),
        SetAttribute(Attribute::Reset),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = io::stdout().flush();
}

/// How often the loop looks for the repository scan's result while it runs: short, so the
/// proposals join the first frames; there is no timer once the scan is done.
const SCAN_LOOK: Duration = Duration::from_millis(5);

/// How long the scan runs before the question pane says it is looking through the project: a
/// scan that ends sooner (most do) changes the screen only if it found something.
const SCAN_SAID_AFTER: Duration = Duration::from_millis(250);

/// The scan's findings as they come, and the word that lets it start.
type Scan = (
    std::sync::mpsc::Receiver<crate::core::scan::Suggestions>,
    std::sync::mpsc::Sender<()>,
);

/// Scans the project for proposals on a thread of its own, so the first frame never waits;
/// the loop picks the result up when it comes. The thread starts scanning once the loop says
/// so (after the first frame: the frame does not share the processor with the scan), or once
/// the loop has gone.
fn start_scan(model: &Model, questionnaire: &Arc<Questionnaire>, cache_dir: Option<std::path::PathBuf>) -> Scan {
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let (tx, rx) = std::sync::mpsc::channel();
    let root = model.project.root.clone();
    let questionnaire = Arc::clone(questionnaire);
    // Should the thread not start, the channel closes and the loop stops waiting for it.
    let _ = std::thread::Builder::new().name("scan".into()).spawn(move || {
        let _ = wait.recv();
        let (found, cache) = crate::core::scan::suggest_then_cache(&root, &questionnaire, cache_dir.as_deref());
        let _ = tx.send(found);
        if let Some(cache) = cache {
            cache.store();
        }
    });
    (rx, go)
}

fn event_loop(
    terminal: &mut Interface,
    model: &mut Model,
    signals: &Signals,
    editor: &str,
    scan: Option<&Scan>,
) -> Result<Ending, AppError> {
    match run_loop(terminal, model, signals, editor, scan) {
        // Writing to a terminal that hung up fails, perhaps before SIGHUP is seen: a hang-up.
        Err(AppError::Terminal(e)) => match signals.pending() {
            Some(signal) => Ok(Ending::Signal(flush_on_signal(model, signals, signal))),
            None if signals.terminal_gone() => Ok(Ending::Signal(flush_on_signal(
                model,
                signals,
                signal_hook::consts::SIGHUP,
            ))),
            None => Err(AppError::Terminal(e)),
        },
        other => other,
    }
}

fn run_loop(
    terminal: &mut Interface,
    model: &mut Model,
    signals: &Signals,
    editor: &str,
    scan: Option<&Scan>,
) -> Result<Ending, AppError> {
    // The pair borrowed as two borrows: the receiver is looked at, the sender told once.
    let (proposals, scan_go) = scan.map(|(rx, go)| (rx, go)).unzip();
    model.assistant.scanning = proposals.is_some();
    if let Ok(size) = terminal.size() {
        update(model, Msg::Resize(size.width, size.height));
    }
    crate::tui::screen::draw(terminal, |f| crate::tui::ui::draw(f, model))?;
    if let Some(go) = scan_go {
        let _ = go.send(());
    }
    let scan_started = Instant::now();
    loop {
        if !model.read_only {
            signals.snapshot(model.session_file());
        }
        if let Some(signal) = signals.pending() {
            return Ok(Ending::Signal(flush_on_signal(model, signals, signal)));
        }
        // The only timers: the autosave after typing stops, a notice that has been read, and,
        // while the repository scan runs (milliseconds for most projects), a look for its result
        // every SCAN_LOOK. The scan thread does not wake the loop with a signal: a window-size
        // signal that lands with a key can leave that key unread until the next one.
        let deadline = [
            model.unsaved_typing.map(|since| since + AUTOSAVE_AFTER),
            model.notice.as_ref().map(|n| n.since + n.lasts()),
            model.assistant.scanning.then(|| Instant::now() + SCAN_LOOK),
        ]
        .into_iter()
        .flatten()
        .min();
        let first = match signals.wait(deadline) {
            Ok(Wake::Event(event)) => Some(event),
            Ok(Wake::Timeout) => None,
            Ok(Wake::Woken) => match unreported_resize(terminal) {
                Some(resize) => Some(resize),
                None => continue,
            },
            Ok(Wake::Signal) => continue,
            // A terminal that went away is a hang-up, whether or not SIGHUP came with it.
            Ok(Wake::TerminalGone) => {
                return Ok(Ending::Signal(flush_on_signal(
                    model,
                    signals,
                    signal_hook::consts::SIGHUP,
                )));
            }
            // The wait can fail once a signal took the terminal away: handled above.
            Err(_) if signals.pending().is_some() => continue,
            Err(e) => return Err(e.into()),
        };
        let mut effects = Vec::new();
        let mut changed = false;
        if let Some(mut event) = first {
            changed = true;
            // Drain everything pending, then draw once.
            loop {
                let msg = match event {
                    Event::Key(key) => Some(Msg::Key(key)),
                    Event::Paste(text) => Some(Msg::Paste(text)),
                    // The redraw below lays everything out anew; the model needs the size to
                    // know when keys must wait for a larger window.
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
        }
        if model.assistant.scanning
            && let Some(rx) = proposals
        {
            let said = model.assistant.scanning_said;
            match rx.try_recv() {
                Ok(found) => {
                    let notice = model.notice.as_ref().map(|n| n.text.clone());
                    effects.extend(update(model, Msg::Proposals(found)));
                    // A scan that found nothing changes nothing on screen: no frame for it.
                    changed |= said
                        || !model.assistant.offered.is_empty()
                        || notice != model.notice.as_ref().map(|n| n.text.clone());
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    model.assistant.scanning = false;
                    changed |= said;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    if !said && scan_started.elapsed() >= SCAN_SAID_AFTER {
                        model.assistant.scanning_said = true;
                        changed = true;
                    }
                }
            }
        }
        let typing = model.unsaved_typing.is_some();
        let notice = model.notice.is_some();
        effects.extend(update(model, Msg::Tick(Instant::now())));
        // Redraw only when something happened: no traffic over ssh while the user thinks.
        changed |= !effects.is_empty() || typing != model.unsaved_typing.is_some() || notice != model.notice.is_some();
        for effect in effects {
            match effect {
                Effect::Quit => {
                    return Ok(Ending::Quit);
                }
                other => run_effect(terminal, model, other, editor)?,
            }
        }
        if changed {
            crate::tui::screen::draw(terminal, |f| crate::tui::ui::draw(f, model))?;
        }
    }
}

/// Writes what was typed up to `signal` (not when only looking), once; returns the signal. The
/// caller restores the terminal.
fn flush_on_signal(model: &Model, signals: &Signals, signal: i32) -> i32 {
    signals.flush_now(|| {
        if !model.read_only {
            let _ = write_session(model, model.session_file());
        }
    });
    signal
}

fn run_effect(terminal: &mut Interface, model: &mut Model, effect: Effect, editor: &str) -> Result<(), AppError> {
    match effect {
        Effect::WriteSession(_) | Effect::PrepareSave | Effect::SaveDocuments { .. } | Effect::KeepHandEdits
            if model.read_only =>
        {
            if !matches!(effect, Effect::WriteSession(_)) {
                model.notify(Level::Warning, READ_ONLY);
            }
        }
        Effect::WriteSession(file) => {
            let result = write_session(model, *file);
            update(model, Msg::SessionWritten(result));
        }
        Effect::PrepareSave => {
            let found = prepare_save(model);
            update(model, Msg::SavePlan(found));
            // Another process may have saved or reviewed since start-up.
            refresh_review(model);
        }
        Effect::SaveDocuments { overwrite } => {
            let result = save_documents(model, overwrite);
            update(model, Msg::Saved(result));
            refresh_review(model);
        }
        Effect::KeepHandEdits => {
            let result = keep_hand_edits(model);
            update(model, Msg::Kept(result));
            refresh_review(model);
        }
        Effect::EditExternally { id, text } => {
            leave();
            let result = edit_externally(editor, &text);
            release(std::mem::replace(terminal, enter_screen()?));
            let effects = update(model, Msg::Edited { id, result });
            for e in effects {
                run_effect(terminal, model, e, editor)?;
            }
        }
        Effect::Suspend => {
            leave();
            let stopped = stop_for_the_shell();
            // Back after `fg`: take the terminal again and redraw everything.
            release(std::mem::replace(terminal, enter_screen()?));
            if !stopped {
                model.notify(Level::Info, NO_SHELL);
            }
        }
        Effect::Quit => {}
    }
    Ok(())
}

/// A suspend that returns sooner than this did not stop the process.
const NOT_STOPPED: Duration = Duration::from_millis(30);

/// What Ctrl-Z says when nothing can stop the program.
pub(crate) const NO_SHELL: &str = "Ctrl-Z: there is no shell to return to here (spec-interview was not started from one); Ctrl-Q quits and keeps your answers.";

/// Stops the process for the shell's job control (Ctrl-Z), returning after `fg`. The stop
/// happens before the signal call returns, so coming back at once means nothing stopped it: no
/// job-control shell started the program (a terminal multiplexer running it directly, say),
/// and the kernel discards the stop. Returns whether it stopped.
pub(crate) fn stop_for_the_shell() -> bool {
    let asked = Instant::now();
    #[cfg(unix)]
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
    asked.elapsed() >= NOT_STOPPED
}

/// Writes the session file (owner-only), stamped with the time; returns the time.
pub fn write_session(model: &Model, file: AnswersFile) -> Result<String, String> {
    let now = crate::provenance::now();
    crate::core::saving::write_session(&model.project, model.questionnaire(), file, &now)?;
    Ok(now)
}

/// What the save overlay needs from disk, per document of the questionnaire: the latest
/// revision and its text, whether the file is a saved revision, and the file's text.
pub fn prepare_save(model: &Model) -> Result<Vec<DocumentOnDisk>, String> {
    let mut found = Vec::new();
    for doc in &model.questionnaire().documents {
        let history = History::open(&model.project, &doc.path);
        let latest = match history.latest().map_err(|e| e.to_string())? {
            Some(revision) => {
                let text = history.content(revision.number).map_err(|e| e.to_string())?;
                Some((revision, text))
            }
            None => None,
        };
        let disk = history.disk_state().map_err(|e| e.to_string())?;
        // Shown, never written back: a stray invalid byte must not hide the rest.
        let disk_text = history
            .disk_bytes()
            .map_err(|e| e.to_string())?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        found.push(DocumentOnDisk {
            path: doc.path.clone(),
            latest,
            disk,
            disk_text,
        });
    }
    Ok(found)
}

/// Records each document edited outside the tool, as it is on disk, as a new revision; the
/// files themselves are left alone and nothing else is saved.
pub fn keep_hand_edits(model: &Model) -> Result<Vec<KeptEdit>, String> {
    let q = model.questionnaire();
    let provenance = crate::provenance::current(&model.project.root);
    let documents: Vec<&str> = q.documents.iter().map(|d| d.path.as_str()).collect();
    let kept = history::keep_hand_edits(&model.project, &documents, (&q.id, &q.version), &provenance)
        .map_err(|e| e.to_string())?;
    kept.into_iter()
        .map(|(path, revision)| {
            let text = History::open(&model.project, &path)
                .content(revision.number)
                .map_err(|e| e.to_string())?;
            Ok(KeptEdit { path, revision, text })
        })
        .collect()
}

/// Saves every document of the questionnaire from the committed answers (see
/// `core::saving::save_documents`, which the plain interview shares).
pub fn save_documents(model: &Model, overwrite: bool) -> Result<Vec<SavedDocument>, SaveProblem> {
    let provenance = crate::provenance::current(&model.project.root);
    let sources = model.assistant.provenance(&model.answers);
    crate::core::saving::save_documents(
        &model.project,
        &model.engine,
        &model.answers,
        overwrite,
        &provenance,
        &sources,
    )
}

/// Hands the terminal to `editor` (the configured one, else $VISUAL / $EDITOR) on a temp file
/// holding `text`; returns the new text.
fn edit_externally(editor: &str, text: &str) -> Result<String, String> {
    let mut file = tempfile::Builder::new()
        .prefix("spec-interview-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| e.to_string())?;
    file.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    file.flush().map_err(|e| e.to_string())?;
    let path: PathBuf = file.path().to_path_buf();
    // Through the shell, so that EDITOR="code --wait" works.
    EDITING_EXTERNALLY.store(true, Ordering::Relaxed);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("spec-interview")
        .arg(&path)
        .status();
    EDITING_EXTERNALLY.store(false, Ordering::Relaxed);
    let status = status.map_err(|e| format!("cannot start {editor}: {e}"))?;
    if !status.success() {
        return Err(format!("{editor} exited with {status}; the answer was left as it was"));
    }
    std::fs::read_to_string(&path).map_err(|e| e.to_string())
}
