//! The focused question: its prompt and help, the widget for its kind, and what is wrong with it.
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::pane::Pane;
use super::severity_mark;
use crate::core::fsio::sanitize;
use crate::core::questionnaire::{QuestionKind, Severity};
use crate::core::wrap::{fit, wrap};
use crate::tui::editor::{ChoiceState, Editor, Entry};
use crate::tui::model::Model;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model, narrow: bool) {
    let t = &model.theme;
    let question = model.question();
    let visible = model.visible_questions();
    let position = visible.iter().position(|q| q.id == question.id).map_or(0, |i| i + 1);
    let section = model
        .section()
        .map(|s| sanitize(&s.title).into_owned())
        .unwrap_or_default();
    let title = format!(" {section} · {position}/{} ", visible.len());
    let block = Pane::new(t.border_focus)
        .title(Span::styled(title, t.title))
        .title_bottom(Span::styled(format!(" {} ", question.id), t.muted));
    let inner = block.inner(area);
    block.render(frame, area);
    let width = usize::from(inner.width);

    let mut head: Vec<Line> = Vec::new();
    if narrow {
        let (mark, style) = super::badge(model, &question.id);
        head.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(fit(&sanitize(&question.label), width.saturating_sub(2)), t.muted),
        ]));
    }
    let required = if question.required { " *" } else { "" };
    let prompt = format!("{}{required}", sanitize(&question.prompt));
    for l in wrap(&prompt, width) {
        head.push(Line::from(Span::styled(l.to_string(), t.strong)));
    }
    // The answer proposed for this question, with its evidence and keys (before the help,
    // which scrolls when room is short).
    head.extend(super::proposals::lines(model, width));
    let help = question.help.as_deref().map(sanitize).unwrap_or_default();
    let help_lines = if help.is_empty() {
        Vec::new()
    } else {
        wrap(&help, width)
    };

    // What is wrong: the draft that is not an answer yet, then this question's findings.
    let mut tail: Vec<Line> = Vec::new();
    // Problems wrap (two lines each at most), never cut mid-word.
    let problem_lines = |text: String, tail: &mut Vec<Line>| {
        for l in wrap(&text, width).into_iter().take(2) {
            tail.push(Line::from(Span::styled(l.to_string(), t.error)));
        }
    };
    if let Some(problem) = model.draft_problem() {
        problem_lines(format!("✗ {problem} (kept as a draft)"), &mut tail);
    }
    if let Some(crate::core::document::QuestionState::Invalid(problems)) = model.state_of(&question.id) {
        for p in problems {
            problem_lines(format!("✗ {p}"), &mut tail);
        }
    }
    for f in model
        .findings_for(&question.id)
        .into_iter()
        .filter(|f| f.rule != "invalid")
    {
        let style = match f.severity {
            Severity::Error => t.error,
            Severity::Warning => t.warning,
            Severity::Info => t.info,
        };
        let row = f.row.map(|r| format!("row {r}: ")).unwrap_or_default();
        let message = format!("{} {row}{}", severity_mark(f.severity), sanitize(&f.message));
        for l in wrap(&message, width).into_iter().take(3) {
            tail.push(Line::from(Span::styled(l.to_string(), style)));
        }
    }
    let max_tail = usize::from(inner.height / 3);
    tail.truncate(max_tail);
    // Help takes what the answer's widget leaves; the rest scrolls (never cut off).
    let left = usize::from(inner.height).saturating_sub(head.len() + 1 + widget_rows(model) + tail.len());
    if !help_lines.is_empty() {
        let rows = left.max(2);
        let t = &model.theme;
        if help_lines.len() <= rows {
            head.extend(
                help_lines
                    .iter()
                    .map(|l| Line::from(Span::styled(l.to_string(), t.muted))),
            );
        } else {
            let shown = rows - 1;
            let top = model.help_scroll.min(help_lines.len() - shown);
            head.extend(
                help_lines[top..top + shown]
                    .iter()
                    .map(|l| Line::from(Span::styled(l.to_string(), t.muted))),
            );
            let key = |a| crate::tui::keymap::key_label(crate::tui::keymap::Context::Global, a);
            let end = top + shown;
            let more = if end < help_lines.len() {
                format!(
                    "▼ {}: more help ({end}/{})",
                    key(crate::tui::keymap::Action::HelpDown),
                    help_lines.len()
                )
            } else {
                format!(
                    "▲ {}: back up ({end}/{})",
                    key(crate::tui::keymap::Action::HelpUp),
                    help_lines.len()
                )
            };
            head.push(Line::from(Span::styled(fit(&more, width), t.key)));
        }
    }
    if !model.is_visible(&question.id) {
        head.push(Line::from(Span::styled(
            "Hidden by its condition: the answer is kept, not used.",
            model.theme.warning,
        )));
    }

    let head_height = u16::try_from(head.len() + 1).unwrap_or(u16::MAX);
    let tail_height = u16::try_from(tail.len()).unwrap_or(0);
    let [head_area, widget_area, tail_area] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Min(3),
        Constraint::Length(tail_height),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    frame.render_widget(Paragraph::new(tail), tail_area);
    widget(frame, widget_area, model);
}

fn widget(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let question = model.question();
    match &model.editor {
        Editor::Text { area: text } => {
            let height = if question.kind == QuestionKind::Multiline {
                area.height
            } else {
                3.min(area.height)
            };
            let rect = Rect { height, ..area };
            let hint = match question.kind {
                _ if model.resting => " not editing · Enter or type to edit ",
                QuestionKind::Multiline => " Enter new line · Tab next ",
                QuestionKind::Number => " a number · Enter next ",
                _ => " Enter next ",
            };
            let block = Pane::new(if model.resting { t.border } else { t.border_focus })
                .title_bottom(Span::styled(hint, t.muted));
            let inner = block.inner(rect);
            block.render(frame, rect);
            frame.render_widget(text, inner);
            mark_hidden_text(frame, inner, text, t.warning);
        }
        Editor::Checklist { area: text, assumption } => {
            let [mode, field] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            let (a, b) = if *assumption {
                (t.muted, t.assumption)
            } else {
                (t.strong, t.muted)
            };
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(
                        if *assumption {
                            "○ answered  "
                        } else {
                            "● answered  "
                        },
                        a,
                    ),
                    Span::styled(
                        if *assumption {
                            "● labelled assumption"
                        } else {
                            "○ labelled assumption"
                        },
                        b,
                    ),
                    // The key, where it fits (the footer names it too).
                    Span::styled(if mode.width >= 43 { "  (Ctrl-T)" } else { "" }, t.muted),
                ])),
                mode,
            );
            let title = if *assumption {
                " Assumption, in your words "
            } else {
                " Answer "
            };
            let block =
                Pane::new(if model.resting { t.border } else { t.border_focus }).title(Span::styled(title, t.muted));
            let inner = block.inner(field);
            block.render(frame, field);
            frame.render_widget(text, inner);
            mark_hidden_text(frame, inner, text, t.warning);
        }
        Editor::Choice(c) => choice(frame, area, model, c),
        Editor::YesNo { value } => {
            let pick = |on: bool, label: &'static str| {
                if *value == Some(on) {
                    Span::styled(format!("[ {label} ]"), t.focus)
                } else {
                    Span::raw(format!("  {label}  "))
                }
            };
            let lines = vec![
                Line::from(vec![pick(true, "Yes"), Span::raw("   "), pick(false, "No")]),
                Line::from(Span::styled("y / n, or ← → and Enter", t.muted)),
            ];
            frame.render_widget(Paragraph::new(lines), area);
        }
        Editor::Rows(r) => super::rows::draw(frame, area, model, r),
    }
}

fn choice(frame: &mut Frame, area: Rect, model: &Model, c: &ChoiceState) {
    let t = &model.theme;
    let question = model.question();
    let entries = c.visible(question);
    let width = usize::from(area.width);
    let mut lines = vec![if c.multi && c.none && c.chosen.is_empty() {
        Line::from(Span::styled(
            longest_fitting(
                &[
                    "Answered \"none\": none of these applies (Ctrl-T takes it back)",
                    "Answered \"none\" (Ctrl-T takes it back)",
                    "Answered \"none\"",
                ],
                width,
            ),
            t.strong,
        ))
    } else if c.filter.is_empty() {
        let hints: &[&str] = if question.other {
            &[
                "Type to filter, or to give your own answer",
                "Type to filter or answer",
                "Type to filter",
            ]
        } else {
            &["Type to filter"]
        };
        Line::from(Span::styled(longest_fitting(hints, width), t.muted))
    } else {
        Line::from(vec![
            Span::styled("Filter: ", t.muted),
            Span::styled(format!("{}▏", c.filter), t.strong),
        ])
    }];
    let room = usize::from(area.height).saturating_sub(1).max(1);
    let top = c.cursor.saturating_sub(room.saturating_sub(1));
    for (i, entry) in entries.iter().enumerate().skip(top).take(room) {
        let chosen = c.is_chosen(entry.text());
        let mark = match (c.multi, chosen) {
            (true, true) => "[x] ",
            (true, false) => "[ ] ",
            (false, true) => "(•) ",
            (false, false) => "( ) ",
        };
        let text = match entry {
            Entry::Option(s) => sanitize(s).into_owned(),
            Entry::Other(s) => format!("use your own: “{}”", sanitize(s)),
        };
        let style = if i == c.cursor {
            t.focus
        } else if chosen {
            t.strong
        } else {
            t.text
        };
        lines.push(Line::from(vec![
            Span::styled(mark, style),
            Span::styled(fit(&text, width.saturating_sub(4)), style),
        ]));
    }
    if entries.is_empty() {
        lines.push(Line::from(Span::styled(
            "No option matches; Esc clears the filter.",
            t.warning,
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// When a field shows only part of its text (scrolled sideways, or down past wrapped lines),
/// its left border says so on the first row: `‹`.
pub(super) fn mark_hidden_text(
    frame: &mut Frame,
    inner: Rect,
    text: &ratatui_textarea::TextArea<'_>,
    style: ratatui::style::Style,
) {
    if text.scroll_offset() == (0, 0) || inner.x == 0 || inner.height == 0 {
        return;
    }
    if let Some(cell) = frame.buffer_mut().cell_mut((inner.x - 1, inner.y)) {
        cell.set_symbol("‹").set_style(style);
    }
}

/// Rows the answer's widget needs at the least, so help above it can take the rest.
fn widget_rows(model: &Model) -> usize {
    match &model.editor {
        Editor::Text { .. } if model.question().kind == QuestionKind::Multiline => 6,
        Editor::Text { .. } => 3,
        Editor::Checklist { .. } => 5,
        Editor::Choice(c) => (c.visible(model.question()).len() + 1).clamp(3, 8),
        Editor::YesNo { .. } => 2,
        Editor::Rows(r) => (r.rows.len() + 2).clamp(3, 6) + if r.editing.is_some() { 4 } else { 0 },
    }
}

/// The values a cell may name, narrowed by what is typed; the one Enter takes is highlighted.
pub(super) fn offered_values(frame: &mut Frame, area: Rect, model: &Model, values: &[String]) {
    let t = &model.theme;
    let width = usize::from(area.width);
    let pick = model.cell_pick(values);
    let mut lines = vec![Line::from(Span::styled(
        if values.is_empty() {
            "Nothing to name yet: Enter keeps it"
        } else if pick.is_some() {
            "↑↓ · Enter takes the value"
        } else {
            "↑↓ to pick · Enter keeps the text"
        },
        t.muted,
    ))];
    let room = usize::from(area.height).saturating_sub(1);
    let top = pick.unwrap_or(0).saturating_sub(room.saturating_sub(1));
    for (i, value) in values.iter().enumerate().skip(top).take(room) {
        let style = if Some(i) == pick { t.focus } else { t.text };
        lines.push(Line::from(Span::styled(
            format!("  {}", fit(&sanitize(value), width.saturating_sub(2))),
            style,
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The first of `forms` (longest first) that fits `width` columns, so a hint is shortened by
/// whole words rather than cut; the last one, cut to fit, when none does.
fn longest_fitting(forms: &[&'static str], width: usize) -> String {
    forms
        .iter()
        .find(|f| crate::core::wrap::width(f) <= width)
        .map_or_else(|| fit(forms.last().copied().unwrap_or(""), width), |f| (*f).to_string())
}
