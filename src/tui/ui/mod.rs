//! The view: draws the whole screen from `&Model`. Never changes the model.
pub mod overlay;
mod pane;
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
    let t = &model.theme;
    let said = [
        ("Enlarge the window".to_string(), t.strong),
        (format!("to at least {MIN_WIDTH}×{MIN_HEIGHT}"), Style::default()),
        (format!("(now {}×{}).", area.width, area.height), Style::default()),
        ("Answers are kept.".to_string(), t.muted),
        ("Keys wait until it is larger (Ctrl-Q quits).".to_string(), t.muted),
    ];
    // Each sentence wrapped to the window, so that none is cut off however narrow it is.
    let width = usize::from(area.width.max(1));
    let lines: Vec<Line> = said
        .iter()
        .flat_map(|(text, style)| {
            crate::core::wrap::wrap(text, width)
                .into_iter()
                .map(move |l| Line::from(Span::styled(l.to_string(), *style)))
        })
        .collect();
    let top = area
        .height
        .saturating_sub(u16::try_from(lines.len()).unwrap_or(u16::MAX))
        / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height.saturating_sub(top),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), rect);
}

/// Lines already wrapped and cut to the pane, one per row from the top of `area`: what a
/// `Paragraph` without wrapping draws, without its per-character composition (the preview
/// and the outline are drawn on every key).
pub fn lines_into(frame: &mut Frame, area: Rect, lines: &[ratatui::text::Line<'_>]) {
    let buffer = frame.buffer_mut();
    let area = area.intersection(buffer.area);
    for (row, line) in (area.y..area.bottom()).zip(lines) {
        set_line(buffer, area.x, row, line, area.width);
    }
}

/// `Buffer::set_line` for a row inside the buffer, with spans of printable ASCII (most of a
/// document) set a cell per byte instead of through grapheme segmentation and width measuring,
/// which give the same cells for them.
fn set_line(buffer: &mut ratatui::buffer::Buffer, mut x: u16, y: u16, line: &ratatui::text::Line<'_>, width: u16) {
    let mut remaining = width;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            let room = buffer.area.right().saturating_sub(x).min(remaining);
            let count = u16::try_from(text.len()).unwrap_or(u16::MAX).min(room);
            let start = buffer.index_of(x, y);
            let cells = &mut buffer.content[start..start + usize::from(count)];
            for (cell, byte) in cells.iter_mut().zip(text.bytes()) {
                cell.set_char(char::from(byte)).set_style(style);
            }
            x += count;
            remaining -= count;
        } else {
            let (end, _) = buffer.set_stringn(x, y, text, usize::from(remaining), style);
            remaining = remaining.saturating_sub(end.saturating_sub(x));
            x = end;
        }
    }
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

#[cfg(test)]
mod lines_tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Paragraph;

    /// `lines_into` draws every cell as a `Paragraph` of the same lines does: symbols, colours
    /// and attributes, lines longer and shorter than the pane, wide characters at its edge.
    #[test]
    fn lines_draw_as_a_paragraph_draws_them() {
        let theme = crate::tui::theme::Theme::dark();
        let markdown = "# Ledgerline: backend\n\nSome *text* with `code`, a **bold** run and a long line that goes past the edge of the pane.\n\n- 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let mut lines = crate::tui::markdown::render(markdown, 30, &theme).lines;
        lines.push(Line::from(vec![
            Span::raw("x".repeat(40)),
            Span::styled("tail", Style::new().fg(Color::Red)),
        ]));
        lines.push(Line::from("styled line").style(Style::new().bg(Color::Blue).add_modifier(Modifier::BOLD)));
        lines.push(Line::from("a ".repeat(13) + "漢字"));
        lines[1] = lines[1].clone().patch_style(theme.highlight);
        let draw = |by_paragraph: bool| {
            let mut terminal = Terminal::new(TestBackend::new(29, 20)).unwrap();
            terminal
                .draw(|f| {
                    let area = ratatui::layout::Rect::new(1, 1, 27, 18);
                    if by_paragraph {
                        f.render_widget(Paragraph::new(lines.clone()), area);
                    } else {
                        super::lines_into(f, area, &lines);
                    }
                })
                .unwrap();
            terminal.backend().buffer().clone()
        };
        assert_eq!(draw(false), draw(true));
    }
}
