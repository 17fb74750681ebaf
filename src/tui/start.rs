//! The start screen of a questionnaire with instances (one set of documents per epic and
//! feature, say): open an instance that has a session, or name a new one by its keys.
use ratatui::DefaultTerminal;
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::sync::Arc;

use crate::core::fsio::sanitize;
use crate::core::instance::{self, SEPARATOR};
use crate::core::questionnaire::Questionnaire;
use crate::tui::theme::Theme;

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Open (or start) the instance of this name.
    Open(String),
    Quit,
    /// A signal (or a terminal that hung up) ended the screen.
    Stopped(i32),
}

/// The screen's state: the instances with a session, the cursor, and the form that names a
/// new one (one field per instance key) when it is open.
pub struct Start {
    pub questionnaire: Arc<Questionnaire>,
    pub instances: Vec<String>,
    /// Index into the instances; `instances.len()` is "start a new one".
    pub cursor: usize,
    pub form: Option<Form>,
}

pub struct Form {
    pub values: Vec<String>,
    pub field: usize,
    pub problem: Option<String>,
}

/// The keys of this screen, for handling and for the footer alike.
const LIST_KEYS: &[(&str, &str)] = &[("↑ ↓", "choose"), ("Enter", "open"), ("n", "new"), ("Esc", "quit")];
const FORM_KEYS: &[(&str, &str)] = &[("Tab", "next field"), ("Enter", "start"), ("Esc", "back")];

impl Start {
    pub fn new(questionnaire: Arc<Questionnaire>, instances: Vec<String>) -> Start {
        let mut start = Start {
            questionnaire,
            instances,
            cursor: 0,
            form: None,
        };
        if start.instances.is_empty() {
            start.open_form();
        }
        start
    }

    fn open_form(&mut self) {
        self.form = Some(Form {
            values: vec![String::new(); self.questionnaire.instance.len()],
            field: 0,
            problem: None,
        });
    }

    /// One key: the choice when the user made one.
    pub fn update(&mut self, key: KeyEvent) -> Option<Choice> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('q' | 'c')) {
            return Some(Choice::Quit);
        }
        let keys = self.questionnaire.instance.len();
        if let Some(form) = &mut self.form {
            match key.code {
                KeyCode::Esc if self.instances.is_empty() => return Some(Choice::Quit),
                KeyCode::Esc => self.form = None,
                KeyCode::Tab | KeyCode::Down => form.field = (form.field + 1) % keys.max(1),
                KeyCode::BackTab | KeyCode::Up => form.field = (form.field + keys.max(1) - 1) % keys.max(1),
                KeyCode::Backspace => {
                    form.values[form.field].pop();
                    form.problem = None;
                }
                KeyCode::Enter => {
                    if form.field + 1 < keys && form.values[form.field + 1].is_empty() {
                        form.field += 1;
                        return None;
                    }
                    match self.named() {
                        Ok(name) => return Some(Choice::Open(name)),
                        Err(problem) => {
                            if let Some(form) = &mut self.form {
                                form.problem = Some(problem);
                            }
                        }
                    }
                }
                KeyCode::Char(c) if !ctrl && !c.is_control() => {
                    form.values[form.field].push(c);
                    form.problem = None;
                }
                _ => {}
            }
            return None;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return Some(Choice::Quit),
            KeyCode::Up => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down => self.cursor = (self.cursor + 1).min(self.instances.len()),
            KeyCode::Char('n') => self.open_form(),
            KeyCode::Enter => match self.instances.get(self.cursor) {
                Some(name) => return Some(Choice::Open(name.clone())),
                None => self.open_form(),
            },
            _ => {}
        }
        None
    }

    /// The instance the form names, or what is wrong with a field (each key a safe folder
    /// name that also fits its question's own pattern).
    fn named(&self) -> Result<String, String> {
        let Some(form) = &self.form else {
            return Err("Nothing is typed yet.".into());
        };
        let q = &self.questionnaire;
        let mut parts = Vec::new();
        for (id, value) in q.instance.iter().zip(&form.values) {
            let value = value.trim();
            let Some(question) = q.question(id) else { continue };
            if value.is_empty() {
                return Err(format!("{} is empty.", question.label));
            }
            instance::check_segment(value)
                .map_err(|why| format!("{} \"{value}\" cannot name a folder: {why}.", question.label))?;
            let answer = crate::core::answer::Answer::Text(value.to_string());
            if let Some(problem) = answer.violations(question).into_iter().next() {
                return Err(format!("{}: {problem}.", question.label));
            }
            parts.push(value.to_string());
        }
        Ok(parts.join(SEPARATOR))
    }
}

/// Draws the screen: the instances to open, or the form naming a new one.
pub fn view(frame: &mut Frame, start: &Start, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.text), area);
    let q = &start.questionnaire;
    let labels: Vec<String> = q
        .instance
        .iter()
        .map(|id| q.question(id).map_or_else(|| id.clone(), |x| x.label.clone()))
        .collect();
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&q.title).into_owned(), theme.strong)),
        Line::from(Span::styled(
            format!(
                "One set of documents, one session and one history per {}.",
                labels.join(" and ").to_lowercase()
            ),
            theme.muted,
        )),
        Line::default(),
    ];
    let keys = match &start.form {
        None => {
            for (i, name) in start.instances.iter().enumerate() {
                let (mark, style) = if i == start.cursor {
                    ("› ", theme.focus)
                } else {
                    ("  ", theme.text)
                };
                let shown = name.split(SEPARATOR).collect::<Vec<_>>().join(" / ");
                lines.push(Line::from(Span::styled(format!("{mark}{}", sanitize(&shown)), style)));
            }
            let (mark, style) = if start.cursor == start.instances.len() {
                ("› ", theme.focus)
            } else {
                ("  ", theme.text)
            };
            lines.push(Line::from(Span::styled(format!("{mark}+ start a new one"), style)));
            LIST_KEYS
        }
        Some(form) => {
            lines.push(Line::from(Span::styled("Name a new one:", theme.strong)));
            for (i, (label, value)) in labels.iter().zip(&form.values).enumerate() {
                let style = if i == form.field { theme.focus } else { theme.text };
                let cursor = if i == form.field { "▏" } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {label}: "), theme.muted),
                    Span::styled(format!("{}{cursor}", sanitize(value)), style),
                ]));
            }
            if let Some(help) = q
                .instance
                .get(form.field)
                .and_then(|id| q.question(id))
                .and_then(|x| x.help.clone())
            {
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(sanitize(&help).into_owned(), theme.muted)));
            }
            if let Some(problem) = &form.problem {
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(sanitize(problem).into_owned(), theme.error)));
            }
            FORM_KEYS
        }
    };
    let [body, footer] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let inner = Rect {
        x: body.x + 1,
        y: body.y + 1,
        width: body.width.saturating_sub(2),
        height: body.height.saturating_sub(1),
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    let mut spans = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key} "), theme.strong));
        spans.push(Span::styled(format!("{what} "), theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), footer);
}

/// Runs the screen in the (already set up) terminal until the user chooses.
pub(crate) fn run(
    terminal: &mut DefaultTerminal,
    start: &mut Start,
    theme: &Theme,
    signals: &crate::tui::app::Signals,
) -> std::io::Result<Choice> {
    use crate::tui::app::Wake;
    loop {
        if let Some(signal) = signals.pending() {
            signals.flush_now(|| {});
            return Ok(Choice::Stopped(signal));
        }
        terminal.draw(|f| view(f, start, theme))?;
        let event = match signals.wait(None) {
            Ok(Wake::Event(event)) => event,
            Ok(Wake::TerminalGone) => {
                signals.flush_now(|| {});
                return Ok(Choice::Stopped(signal_hook::consts::SIGHUP));
            }
            Ok(Wake::Timeout | Wake::Signal | Wake::Woken) => continue,
            // The wait can fail once a signal took the terminal away: handled above.
            Err(_) if signals.pending().is_some() => continue,
            Err(e) => return Err(e),
        };
        if let Event::Key(key) = event
            && let Some(choice) = start.update(key)
        {
            return Ok(choice);
        }
    }
}
