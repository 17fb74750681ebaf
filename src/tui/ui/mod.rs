//! The view: draws the whole screen from `&Model`. Never changes the model.
pub mod overlay;
mod panes;
mod proposals;
mod question;
mod rows;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::document::QuestionState;
use crate::core::questionnaire::Severity;
use crate::tui::model::Model;

pub use crate::tui::model::{MIN_HEIGHT, MIN_WIDTH};
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
    let [main, status, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(panes::status_height(model, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
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
    proposals::draw_quick(frame, area, model);
}

fn draw_too_small(frame: &mut Frame, area: Rect, model: &Model) {
    let lines = vec![
        Line::from(Span::styled("Enlarge the window", model.theme.strong)),
        Line::from(format!("to at least {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::from(format!("(now {}×{}).", area.width, area.height)),
        Line::from(Span::styled("Answers are kept.", model.theme.muted)),
        Line::from(Span::styled(
            "Keys wait until it is larger (Ctrl-Q quits).",
            model.theme.muted,
        )),
    ];
    let top = area.height.saturating_sub(5) / 2;
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
    let open = matches!(
        model.state_of(id),
        Some(QuestionState::Open { .. } | QuestionState::Assumed) | None
    );
    if open && model.assistant.shown_for(id).is_some() {
        return ("◆", t.info);
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

pub fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✗",
        Severity::Warning => "!",
        Severity::Info => "i",
    }
}

/// The style of a finding's severity.
pub fn severity_style(t: &crate::tui::theme::Theme, severity: Severity) -> Style {
    match severity {
        Severity::Error => t.error,
        Severity::Warning => t.warning,
        Severity::Info => t.info,
    }
}

/// `text` sanitised and cut to `width` columns (padded to it with `pad`), the characters at
/// `hits` emphasised: what the typed filter matched.
pub fn highlighted(text: &str, hits: &[usize], width: usize, style: Style, pad: bool) -> Vec<Span<'static>> {
    use ratatui::style::Modifier;
    let text = crate::core::fsio::sanitize(text).replace('\n', " ");
    let shown = crate::core::wrap::fit(&text, width);
    let strong = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in shown.chars().enumerate() {
        let hit = hits.binary_search(&i).is_ok() && c != '…';
        if hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { strong } else { style },
            ));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hit { strong } else { style }));
    }
    let used = crate::core::wrap::width(&shown);
    if pad && used < width {
        spans.push(Span::styled(" ".repeat(width - used), style));
    }
    spans
}
