//! Inline content: styled pieces of a block, wrapped by the program's one set of rules.
use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;

use super::Piece;

/// Buffers reused by every wrap, so rendering on each keystroke allocates little beyond its output.
#[derive(Default)]
pub(super) struct Scratch {
    /// The block's pieces joined (a break is a new line).
    text: String,
    /// Where each piece ends in `text`, its style, and where it starts in `text` and in the
    /// Markdown.
    styles: Vec<(usize, Style, usize, usize)>,
}

impl Scratch {
    pub(super) fn join(&mut self, pieces: &[Piece<'_>]) {
        self.text.clear();
        self.styles.clear();
        for piece in pieces {
            match piece {
                Piece::Text(text, style, source) => {
                    let start = self.text.len();
                    self.text.push_str(text);
                    self.styles.push((self.text.len(), *style, start, *source));
                }
                Piece::Break => {
                    let start = self.text.len();
                    self.text.push('\n');
                    self.styles
                        .push((self.text.len(), Style::new(), start, super::NO_SOURCE));
                }
            }
        }
    }

    /// `text[range]` as spans, one per run of one style, and where it starts in the Markdown.
    pub(super) fn spans(&self, range: Range<usize>) -> (Vec<Span<'static>>, usize) {
        let mut spans = Vec::new();
        let mut at = range.start;
        let mut k = self.styles.partition_point(|(end, ..)| *end <= at);
        let source = self
            .styles
            .get(k)
            .map_or(super::NO_SOURCE, |&(_, _, start, source)| match source {
                super::NO_SOURCE => source,
                _ => source + (at - start),
            });
        while at < range.end {
            let Some(&(end, style, ..)) = self.styles.get(k) else {
                break;
            };
            let stop = end.min(range.end);
            push_seg(&mut spans, &self.text[at..stop], style);
            at = stop;
            k += 1;
        }
        (spans, source)
    }
}

/// Styled pieces wrapped at `avail` columns by the program's one set of wrapping rules
/// ([`crate::core::wrap`]); a break at the very end adds no empty line.
pub(super) fn wrap(pieces: &[Piece<'_>], avail: usize, scratch: &mut Scratch) -> Vec<(Vec<Span<'static>>, usize)> {
    scratch.join(pieces);
    if scratch.text.bytes().all(|b| b == b' ') {
        return Vec::new();
    }
    let mut ranges = crate::core::wrap::lines(&scratch.text, avail);
    if scratch.text.ends_with('\n') {
        ranges.pop();
    }
    ranges.into_iter().map(|range| scratch.spans(range)).collect()
}

/// A cell's width unwrapped and the width of its longest word.
pub(super) fn measure(cell: &[Piece<'_>], scratch: &mut Scratch) -> (usize, usize) {
    scratch.join(cell);
    crate::core::wrap::measure(&scratch.text)
}

/// Display width (CJK and emoji count 2), as the one wrapping module measures it.
pub(super) fn str_width(s: &str) -> usize {
    crate::core::wrap::width(s)
}

pub(super) fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|span| str_width(&span.content)).sum()
}

/// Appends text, extending the last span when the style is the same.
pub(super) fn push_seg(line: &mut Vec<Span<'static>>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = line.last_mut()
        && last.style == style
    {
        last.content.to_mut().push_str(text);
        return;
    }
    line.push(Span::styled(text.to_owned(), style));
}

pub(super) fn push_spaces(line: &mut Vec<Span<'static>>, mut count: usize, style: Style) {
    const SPACES: &str = "                                ";
    while count > 0 {
        let n = count.min(SPACES.len());
        push_seg(line, &SPACES[..n], style);
        count -= n;
    }
}

pub(super) fn trim_end(spans: &mut Vec<Span<'static>>) {
    while let Some(last) = spans.last_mut() {
        let kept = last.content.trim_end().len();
        if kept == 0 {
            spans.pop();
        } else {
            last.content.to_mut().truncate(kept);
            break;
        }
    }
}
