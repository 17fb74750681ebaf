//! The view: draws the whole screen from `&Model`. Never changes the model.
pub mod overlay;
mod panes;
mod question;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::document::QuestionState;
use crate::tui::model::Model;

/// Below this the interface cannot be used; a notice asks for more room.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width the outline gets its own column.
pub const WIDE: u16 = 130;

pub fn draw(frame: &mut Frame, model: &Model) {
    draw_screen(frame, model);
    // Whatever a widget left in the terminal's colours gets the theme's.
    model.theme.fill_defaults(frame.buffer_mut());
}

fn draw_screen(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, model);
        return;
    }
    let [main, status, footer] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if area.width >= WIDE {
        let [outline, question, preview] =
            Layout::horizontal([Constraint::Length(32), Constraint::Percentage(42), Constraint::Fill(1)]).areas(main);
        panes::outline(frame, outline, model);
        question::draw(frame, question, model, false);
        panes::right(frame, preview, model);
    } else {
        let [question, preview] = Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(main);
        question::draw(frame, question, model, true);
        panes::right(frame, preview, model);
    }
    panes::status(frame, status, model);
    panes::footer(frame, footer, model);
    overlay::draw(frame, area, model);
}

fn draw_too_small(frame: &mut Frame, area: Rect, model: &Model) {
    let lines = vec![
        Line::from(Span::styled("Enlarge the window", model.theme.strong)),
        Line::from(format!("to at least {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::from(format!("(now {}×{}).", area.width, area.height)),
        Line::from(Span::styled("Answers are kept.", model.theme.muted)),
    ];
    let top = area.height.saturating_sub(4) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height.saturating_sub(top),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), rect);
}

/// The outline badge of a question: a symbol that carries the meaning without colour, and its style.
pub fn badge(model: &Model, id: &str) -> (&'static str, Style) {
    let t = &model.theme;
    if model.drafts.contains_key(id) || (id == model.focus && model.draft_problem().is_some()) {
        return ("✗", t.error);
    }
    match model.state_of(id) {
        Some(QuestionState::Answered) => ("✓", t.ok),
        Some(QuestionState::Defaulted) => ("○", t.assumption),
        Some(QuestionState::Invalid(_)) => ("✗", t.error),
        Some(QuestionState::Assumed) => ("~", t.assumption),
        Some(QuestionState::Open { required: true }) => ("!", t.warning),
        Some(QuestionState::Hidden { .. }) => ("⊘", t.muted),
        Some(QuestionState::Open { required: false }) | None => ("·", t.muted),
    }
}

/// Cuts `text` to `width` display columns, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Word-wraps plain text to `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(4);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let wl = line.width();
            if wl > 0 && wl + 1 + word.width() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            let mut word = word.to_string();
            while word.width() > width {
                let cut: String = fit(&word, width).trim_end_matches('…').to_string();
                let cut = if cut.is_empty() {
                    word.chars().take(1).collect()
                } else {
                    cut
                };
                word = word[cut.len()..].to_string();
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(cut);
            }
            line.push_str(&word);
        }
        out.push(line);
    }
    out
}
