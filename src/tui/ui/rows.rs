//! Lists and tables in the question pane: a table whose columns take their widths from their
//! content when they fit, else each row as `column: value` lines (a word is never split or cut);
//! the cell being edited, and the values it may name, under the rows.
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::question::{mark_hidden_text, offered_values};
use crate::core::fsio::sanitize;
use crate::core::questionnaire::QuestionKind;
use crate::core::wrap::{self, wrap};
use crate::tui::editor::RowsState;
use crate::tui::model::Model;

/// Columns before a row's cells: its number.
const NUMBER: usize = 4;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model, r: &RowsState) {
    let t = &model.theme;
    let question = model.question();
    // The edit box sits right under the rows, where the eye already is; under it, the values
    // the cell may name.
    let values = model.cell_values();
    let offered = values.as_ref().map_or(0, |v| v.len().clamp(1, 5) + 1);
    let edit_height: u16 = if r.editing.is_some() {
        4 + u16::try_from(offered).unwrap_or(0)
    } else {
        0
    };
    let width = usize::from(area.width);
    let (lines, selected) = row_lines(model, r, width);
    let wanted = u16::try_from(lines.len().max(1)).unwrap_or(u16::MAX);
    let list_height = wanted.min(area.height.saturating_sub(edit_height)).max(1);
    let [list_area, edit_area, _] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(edit_height),
        Constraint::Fill(1),
    ])
    .areas(area);
    // Keep the selected row in view (a header line stays on top when there is one).
    let height = usize::from(list_area.height);
    let top = if selected.end > height {
        (selected.end - height).min(selected.start)
    } else {
        0
    };
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown), list_area);
    if let Some(editing) = &r.editing {
        let column = question.columns.get(r.column).map_or("item", |c| c.title.as_str());
        let block = Block::bordered().border_style(t.border_focus).title(Span::styled(
            format!(" Row {} · {} ", r.row + 1, sanitize(column)),
            t.muted,
        ));
        let [box_area, values_area] = Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(edit_area);
        let inner = block.inner(box_area);
        frame.render_widget(block, box_area);
        frame.render_widget(editing, inner);
        mark_hidden_text(frame, inner, editing, t.warning);
        if let Some(values) = &values {
            offered_values(frame, values_area, model, values);
        }
    }
}

/// Every line of the rows at `width`, and the lines the selected row takes.
fn row_lines(model: &Model, r: &RowsState, width: usize) -> (Vec<Line<'static>>, std::ops::Range<usize>) {
    let t = &model.theme;
    let question = model.question();
    let is_table = question.kind == QuestionKind::Table;
    let cell = |row: &crate::core::answer::Row, col: &str| {
        row.get(col).map(|s| sanitize(s).replace('\n', " ")).unwrap_or_default()
    };
    let titles: Vec<String> = r
        .columns
        .iter()
        .enumerate()
        .map(|(j, _)| {
            question
                .columns
                .get(j)
                .map(|c| sanitize(&c.title).into_owned())
                .unwrap_or_default()
        })
        .collect();
    // What each column needs: its widest cell or title, and a space after it.
    let natural: Vec<usize> = r
        .columns
        .iter()
        .enumerate()
        .map(|(j, col)| {
            let widest = r.rows.iter().map(|row| wrap::width(&cell(row, col))).max().unwrap_or(0);
            let title = if is_table { wrap::width(&titles[j]) } else { 0 };
            widest.max(title).max(1) + 1
        })
        .collect();
    let room = width.saturating_sub(NUMBER);
    let fits = natural.iter().sum::<usize>() <= room;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if r.rows.is_empty() {
        if is_table {
            lines.push(Line::from(Span::styled(titles.join("  "), t.strong)));
        }
        if r.none {
            let said = question
                .none
                .as_deref()
                .map_or_else(|| "there are none".to_string(), |n| sanitize(n).into_owned());
            lines.push(Line::from(vec![
                Span::styled("Answered \"none\": ", t.strong),
                Span::styled(wrap::fit(&said, width.saturating_sub(18)), t.text),
            ]));
        } else {
            let hint = if is_table {
                "No rows yet. Ctrl-N adds one; Ctrl-T if there are none."
            } else {
                "Nothing yet. Type to add an item; Ctrl-T if there are none."
            };
            lines.push(Line::from(Span::styled(hint, t.muted)));
        }
        let all = 0..lines.len();
        return (lines, all);
    }
    let mut selected = 0..0;
    if fits {
        // A table, each column as wide as its content; what is left goes to the last.
        let mut widths = natural.clone();
        if let Some(last) = widths.last_mut() {
            *last += room.saturating_sub(natural.iter().sum());
        }
        if is_table {
            let mut spans = vec![Span::raw(" ".repeat(NUMBER))];
            for (title, w) in titles.iter().zip(&widths) {
                spans.push(Span::styled(pad(title, *w), t.strong));
            }
            lines.push(Line::from(spans));
        }
        for (i, row) in r.rows.iter().enumerate() {
            let is_selected = i == r.row;
            if is_selected {
                selected = lines.len()..lines.len() + 1;
            }
            let mut spans = vec![Span::styled(format!("{:>2}. ", i + 1), t.muted)];
            for (j, col) in r.columns.iter().enumerate() {
                let style = if is_selected && (j == r.column || !is_table) {
                    t.focus
                } else {
                    t.text
                };
                spans.push(Span::styled(pad(&cell(row, col), widths[j]), style));
            }
            lines.push(Line::from(spans));
        }
        return (lines, selected);
    }
    // Too narrow for the table: each row as `column: value` lines, wrapped under an indent.
    let text_width = width.saturating_sub(NUMBER).max(8);
    for (i, row) in r.rows.iter().enumerate() {
        let is_selected = i == r.row;
        let start = lines.len();
        for (j, col) in r.columns.iter().enumerate() {
            let value = cell(row, col);
            let style = if is_selected && (j == r.column || !is_table) {
                t.focus
            } else {
                t.text
            };
            let label = if is_table {
                format!("{}: ", titles[j])
            } else {
                String::new()
            };
            let text = format!("{label}{value}");
            for (k, piece) in wrap(&text, text_width).into_iter().enumerate() {
                let lead = match (j, k) {
                    (0, 0) => format!("{:>2}. ", i + 1),
                    (_, 0) => " ".repeat(NUMBER),
                    _ => " ".repeat(NUMBER + 2),
                };
                let mut spans = vec![Span::styled(lead, t.muted)];
                // The column's name stays plain; its value carries the selection.
                let (name, rest) = if k == 0 && piece.starts_with(&label) && !label.is_empty() {
                    (label.as_str(), &piece[label.len()..])
                } else {
                    ("", piece)
                };
                if !name.is_empty() {
                    spans.push(Span::styled(name.to_string(), t.muted));
                }
                spans.push(Span::styled(rest.to_string(), style));
                lines.push(Line::from(spans));
            }
        }
        if is_selected {
            selected = start..lines.len();
        }
    }
    (lines, selected)
}

/// `text` padded with spaces to `width` columns.
fn pad(text: &str, width: usize) -> String {
    let used = wrap::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
