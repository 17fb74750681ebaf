//! Tables in the preview: columns as wide as their content needs and never a word broken; below
//! the width a table needs for that, each row as a list of `column: value` lines.
use pulldown_cmark::{Alignment, CowStr};
use ratatui::text::Span;

use super::inline::{measure, push_seg, push_spaces, spans_width, str_width, trim_end, wrap};
use super::{CELL_SEP, NO_SOURCE, Piece, RULE, Renderer, TableBuf, plain_text};

/// Continuation lines of a `column: value` line are indented this much.
const RECORD_INDENT: usize = 2;

impl<'a> Renderer<'_, 'a> {
    pub(super) fn render_table(&mut self, table: &TableBuf<'a>) {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(table.aligns.len());
        if columns == 0 {
            return;
        }
        let (mut natural, mut longest) = (vec![0; columns], vec![0; columns]);
        for row in &table.rows {
            for (c, cell) in row.iter().enumerate() {
                let (width, word) = measure(cell, &mut self.scratch);
                natural[c] = natural[c].max(width);
                longest[c] = longest[c].max(word);
            }
        }
        let separators = str_width(CELL_SEP) * (columns - 1);
        let room = self.avail().saturating_sub(separators);
        let least: usize = natural.iter().zip(&longest).map(|(n, l)| (*n).min(*l)).sum();
        if least > room && columns > 1 {
            self.render_records(table, columns);
            return;
        }
        let widths = fit_columns(&natural, &longest, room);
        let (border, text) = (self.theme.border, self.theme.text);
        for (index, row) in table.rows.iter().enumerate() {
            let mut cells: Vec<Vec<Vec<Span<'static>>>> = (0..columns)
                .map(|c| {
                    row.get(c).map_or_else(Vec::new, |cell| {
                        wrap(cell, widths[c].max(1), &mut self.scratch)
                            .into_iter()
                            .map(|(line, _)| line)
                            .collect()
                    })
                })
                .collect();
            // The row's first line stands for the whole row.
            let source = row.iter().find_map(|cell| first_source(cell)).unwrap_or(NO_SOURCE);
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut line = Vec::new();
                for (c, cell) in cells.iter_mut().enumerate() {
                    if c > 0 {
                        push_seg(&mut line, CELL_SEP, border);
                    }
                    let content = cell.get_mut(k).map(std::mem::take).unwrap_or_default();
                    let pad = widths[c].saturating_sub(spans_width(&content));
                    let (left, right) = match table.aligns.get(c) {
                        Some(Alignment::Right) => (pad, 0),
                        Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                        _ => (0, pad),
                    };
                    push_spaces(&mut line, left, text);
                    for span in content {
                        push_seg(&mut line, &span.content, span.style);
                    }
                    if c + 1 < columns {
                        push_spaces(&mut line, right, text);
                    }
                }
                trim_end(&mut line);
                self.emit_from(line, if k == 0 { source } else { NO_SOURCE });
            }
            if index == 0 && table.has_header {
                let mut line = String::new();
                for (c, width) in widths.iter().enumerate() {
                    if c > 0 {
                        line.push_str("─┼─");
                    }
                    line.extend(std::iter::repeat_n(RULE, *width));
                }
                self.emit(vec![Span::styled(line, border)]);
            }
        }
    }

    /// Each row as `column: value` lines (the value wraps under an indent), rows apart.
    fn render_records(&mut self, table: &TableBuf<'a>, columns: usize) {
        let names: Vec<String> = (0..columns)
            .map(|c| {
                let name = table
                    .rows
                    .first()
                    .filter(|_| table.has_header)
                    .and_then(|header| header.get(c))
                    .map(|cell| plain_text(cell))
                    .unwrap_or_default();
                if name.is_empty() {
                    format!("Column {}", c + 1)
                } else {
                    name
                }
            })
            .collect();
        let body = table.rows.iter().skip(usize::from(table.has_header));
        let (strong, text) = (self.theme.strong, self.theme.text);
        let avail = self.avail().saturating_sub(RECORD_INDENT).max(1);
        for (index, row) in body.enumerate() {
            if index > 0 {
                self.pending_blank = true;
            }
            for (c, name) in names.iter().enumerate() {
                let cell = row.get(c).map_or(&[][..], Vec::as_slice);
                let mut pieces = vec![
                    Piece::Text(CowStr::from(format!("{name}:")), strong, NO_SOURCE),
                    Piece::Text(CowStr::Borrowed(" "), text, NO_SOURCE),
                ];
                pieces.extend(cell.iter().cloned());
                let source = first_source(cell).unwrap_or(NO_SOURCE);
                let lines = wrap(&pieces, avail, &mut self.scratch);
                for (k, (mut line, from)) in lines.into_iter().enumerate() {
                    if k == 0 {
                        trim_end(&mut line);
                        self.emit_from(line, source);
                    } else {
                        let mut indented = Vec::new();
                        push_spaces(&mut indented, RECORD_INDENT, text);
                        indented.extend(line);
                        self.emit_from(indented, from);
                    }
                }
            }
        }
    }
}

/// Where a cell's text starts in the Markdown.
fn first_source(cell: &[Piece<'_>]) -> Option<usize> {
    cell.iter().find_map(|piece| match piece {
        Piece::Text(_, _, source) if *source != NO_SOURCE => Some(*source),
        _ => None,
    })
}

/// Column widths that fit `room`, given that every column's longest word fits (the caller lays
/// the table out as records otherwise): each column gets its longest word, and the rest of the
/// room goes out in proportion to how much wider each would like to be, so no word is broken.
pub(super) fn fit_columns(natural: &[usize], longest: &[usize], room: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= room {
        return natural.to_vec();
    }
    let minimum: Vec<usize> = natural.iter().zip(longest).map(|(n, l)| (*l).min(*n).max(1)).collect();
    let spare = room.saturating_sub(minimum.iter().sum());
    let wants: Vec<usize> = natural
        .iter()
        .zip(&minimum)
        .map(|(n, m)| n.saturating_sub(*m))
        .collect();
    let wants_total = wants.iter().sum::<usize>().max(1);
    let mut widths: Vec<usize> = minimum
        .iter()
        .zip(&wants)
        .map(|(m, w)| m + w * spare / wants_total)
        .collect();
    // Hand out what rounding down left over, one column each.
    let mut left = room.saturating_sub(widths.iter().sum::<usize>());
    for (width, n) in widths.iter_mut().zip(natural) {
        if left > 0 && *width < *n {
            *width += 1;
            left -= 1;
        }
    }
    widths
}
