//! The focused question: its prompt and help, the widget for its kind, and what is wrong with it.
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{fit, wrap};
use crate::core::fsio::sanitize;
use crate::core::questionnaire::{QuestionKind, Severity};
use crate::tui::editor::{ChoiceState, Editor, Entry, RowsState};
use crate::tui::model::Model;
use crate::tui::update::severity_mark;

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
    let block = Block::bordered()
        .title(Span::styled(title, t.title))
        .title_bottom(Line::from(Span::styled(format!(" {} ", question.id), t.muted)).right_aligned())
        .border_style(t.border_focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
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
    for (i, l) in wrap(&format!("{}{required}", sanitize(&question.prompt)), width)
        .into_iter()
        .enumerate()
    {
        let _ = i;
        head.push(Line::from(Span::styled(l, t.strong)));
    }
    if let Some(help) = &question.help {
        // Long help is cut to keep room for the answer; the full text is in the answers template.
        let limit = if inner.height < 20 { 3 } else { 6 };
        let lines = wrap(&sanitize(help), width);
        let cut = lines.len() > limit;
        for (i, l) in lines.into_iter().take(limit).enumerate() {
            let l = if cut && i + 1 == limit {
                fit(&format!("{l} …"), width)
            } else {
                l
            };
            head.push(Line::from(Span::styled(l, t.muted)));
        }
    }
    if !model.is_visible(&question.id) {
        head.push(Line::from(Span::styled(
            "Hidden by its condition: the answer is kept, not used.",
            t.warning,
        )));
    }

    // What is wrong: the draft that is not an answer yet, then this question's findings.
    let mut tail: Vec<Line> = Vec::new();
    if let Some(problem) = model.draft_problem() {
        tail.push(Line::from(Span::styled(
            fit(&format!("✗ {problem} (kept as a draft)"), width),
            t.error,
        )));
    }
    if let Some(crate::core::document::QuestionState::Invalid(problems)) = model.state_of(&question.id) {
        for p in problems {
            tail.push(Line::from(Span::styled(fit(&format!("✗ {p}"), width), t.error)));
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
        for l in wrap(
            &format!("{} {row}{}", severity_mark(f.severity), sanitize(&f.message)),
            width,
        )
        .into_iter()
        .take(3)
        {
            tail.push(Line::from(Span::styled(l, style)));
        }
    }
    let max_tail = usize::from(inner.height / 3);
    tail.truncate(max_tail);

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
                QuestionKind::Multiline => " Enter new line · Tab next ",
                QuestionKind::Number => " a number · Enter next ",
                _ => " Enter next ",
            };
            let block = Block::bordered()
                .border_style(t.border_focus)
                .title_bottom(Line::from(Span::styled(hint, t.muted)).right_aligned());
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(text, inner);
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
                    Span::styled("  (Ctrl-T)", t.muted),
                ])),
                mode,
            );
            let title = if *assumption {
                " Assumption, in your words "
            } else {
                " Answer "
            };
            let block = Block::bordered()
                .border_style(t.border_focus)
                .title(Span::styled(title, t.muted));
            let inner = block.inner(field);
            frame.render_widget(block, field);
            frame.render_widget(text, inner);
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
        Editor::Rows(r) => rows(frame, area, model, r),
    }
}

fn choice(frame: &mut Frame, area: Rect, model: &Model, c: &ChoiceState) {
    let t = &model.theme;
    let question = model.question();
    let entries = c.visible(question);
    let width = usize::from(area.width);
    let mut lines = vec![if c.multi && c.none && c.chosen.is_empty() {
        Line::from(Span::styled(
            "Answered \"none\": none of these applies (Ctrl-T takes it back)",
            t.strong,
        ))
    } else if c.filter.is_empty() {
        Line::from(Span::styled(
            if question.other {
                "Type to filter, or to give your own answer"
            } else {
                "Type to filter"
            },
            t.muted,
        ))
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

fn rows(frame: &mut Frame, area: Rect, model: &Model, r: &RowsState) {
    let t = &model.theme;
    let question = model.question();
    let is_table = question.kind == QuestionKind::Table;
    // The edit box sits right under the rows, where the eye already is.
    let edit_height: u16 = if r.editing.is_some() { 4 } else { 0 };
    let wanted = u16::try_from(r.rows.len().max(1) + usize::from(is_table)).unwrap_or(u16::MAX);
    let list_height = wanted.min(area.height.saturating_sub(edit_height)).max(1);
    let [list_area, edit_area, _] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(edit_height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let width = usize::from(list_area.width);
    let widths = column_widths(question, r, width.saturating_sub(4));
    let mut lines: Vec<Line> = Vec::new();
    if is_table {
        let mut spans = vec![Span::raw("    ")];
        for (c, cell_width) in question.columns.iter().zip(&widths) {
            let cell_width = *cell_width;
            spans.push(Span::styled(
                format!("{:cell_width$}", fit(&c.title, cell_width.saturating_sub(1))),
                t.strong,
            ));
        }
        lines.push(Line::from(spans));
    }
    if r.rows.is_empty() && r.none {
        let said = question
            .none
            .as_deref()
            .map_or_else(|| "there are none".to_string(), |n| sanitize(n).into_owned());
        lines.push(Line::from(vec![
            Span::styled("Answered \"none\": ", t.strong),
            Span::styled(fit(&said, width.saturating_sub(18)), t.text),
        ]));
    } else if r.rows.is_empty() {
        let hint = if is_table {
            "No rows yet. Ctrl-N adds one; Ctrl-T if there are none."
        } else {
            "Nothing yet. Type to add an item; Ctrl-T if there are none."
        };
        lines.push(Line::from(Span::styled(hint, t.muted)));
    }
    let room = usize::from(list_area.height).saturating_sub(lines.len()).max(1);
    let top = r.row.saturating_sub(room.saturating_sub(1));
    for (i, row) in r.rows.iter().enumerate().skip(top).take(room) {
        let selected = i == r.row;
        let mut spans = vec![Span::styled(format!("{:>2}. ", i + 1), t.muted)];
        for (j, col) in r.columns.iter().enumerate() {
            let cell_width = widths.get(j).copied().unwrap_or(4);
            let text = row.get(col).map(|s| sanitize(s).replace('\n', " ")).unwrap_or_default();
            let cell = format!("{:cell_width$}", fit(&text, cell_width.saturating_sub(1)));
            let style = if selected && (j == r.column || !is_table) {
                t.focus
            } else {
                t.text
            };
            spans.push(Span::styled(cell, style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(editing) = &r.editing {
        let column = question.columns.get(r.column).map_or("item", |c| c.title.as_str());
        let block = Block::bordered().border_style(t.border_focus).title(Span::styled(
            format!(" Row {} · {} ", r.row + 1, sanitize(column)),
            t.muted,
        ));
        let inner = block.inner(edit_area);
        frame.render_widget(block, edit_area);
        frame.render_widget(editing, inner);
    }
}

/// Column widths that follow the content: each column wants its widest cell (or title), and
/// when the room is short every column gives up room in proportion, keeping at least 4.
fn column_widths(question: &crate::core::questionnaire::Question, r: &RowsState, room: usize) -> Vec<usize> {
    use unicode_width::UnicodeWidthStr;
    let wanted: Vec<usize> = r
        .columns
        .iter()
        .enumerate()
        .map(|(j, col)| {
            let title = question.columns.get(j).map_or(0, |c| c.title.width());
            let widest = r
                .rows
                .iter()
                .filter_map(|row| row.get(col))
                .map(|s| s.width())
                .max()
                .unwrap_or(0);
            title.max(widest).clamp(4, 60) + 1
        })
        .collect();
    let total: usize = wanted.iter().sum();
    if total <= room || wanted.is_empty() {
        // Spare room goes to the last column.
        let mut w = wanted;
        if let Some(last) = w.last_mut() {
            *last += room.saturating_sub(total);
        }
        return w;
    }
    wanted.iter().map(|w| (w * room / total).max(4)).collect()
}
