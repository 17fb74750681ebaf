//! The interview's bordered panes: what `Block::bordered()` draws for a block with no style of
//! its own, a border style, a title at the top left and one at the bottom right, without the
//! block's pass over every cell of its area to apply that (empty) style, which the outline,
//! question and preview panes paid on every key.
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Widget as _};

#[derive(Default)]
pub struct Pane<'a> {
    border: Style,
    top: Option<Line<'a>>,
    bottom: Option<Line<'a>>,
}

impl<'a> Pane<'a> {
    pub fn new(border: Style) -> Pane<'a> {
        Pane {
            border,
            ..Pane::default()
        }
    }

    /// The title at the top left (left-aligned, whatever the line says).
    #[must_use]
    pub fn title(mut self, title: impl Into<Line<'a>>) -> Pane<'a> {
        self.top = Some(title.into().left_aligned());
        self
    }

    /// The title at the bottom right (right-aligned, whatever the line says).
    #[must_use]
    pub fn title_bottom(mut self, title: impl Into<Line<'a>>) -> Pane<'a> {
        self.bottom = Some(title.into().right_aligned());
        self
    }

    /// The area inside the border (a method, as on `Block`, where the panes ask for it).
    #[allow(clippy::unused_self)]
    pub fn inner(&self, area: Rect) -> Rect {
        Block::bordered().inner(area)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        self.render_into(frame.buffer_mut(), area);
    }

    fn render_into(&self, buf: &mut Buffer, area: Rect) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let (left, top) = (area.left(), area.top());
        let (right, bottom) = (area.right() - 1, area.bottom() - 1);
        // The symbol each border cell ends with when the block draws its sides, then its
        // corners (the top-left one last, so it wins in a one-column pane).
        for y in top..=bottom {
            let row = buf.index_of(left, y);
            let cells = &mut buf.content[row..=row + usize::from(right - left)];
            let last = cells.len() - 1;
            let (first, end, middle) = if y == top {
                ("┌", "┐", "─")
            } else if y == bottom {
                ("└", "┘", "─")
            } else {
                ("│", "│", "")
            };
            if !middle.is_empty() {
                for cell in &mut cells[1..last.max(1)] {
                    cell.set_symbol(middle).set_style(self.border);
                }
            }
            cells[last].set_symbol(end).set_style(self.border);
            cells[0].set_symbol(first).set_style(self.border);
        }
        let titles = Rect {
            x: left.saturating_add(1),
            y: top,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        if titles.is_empty() {
            return;
        }
        // The top title from the left, the bottom one from the right, each cut to the room.
        for (title, y, from_right) in [(&self.top, top, false), (&self.bottom, bottom, true)] {
            let Some(title) = title else { continue };
            let width = u16::try_from(title.width()).unwrap_or(u16::MAX);
            let x = if from_right {
                titles.right().saturating_sub(width).max(titles.left())
            } else {
                titles.left()
            };
            title.render(
                Rect {
                    x,
                    y,
                    width: width.min(titles.width),
                    height: 1,
                },
                buf,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::text::Span;
    use ratatui::widgets::Widget;

    /// Every size from empty to wider and taller than the titles, over a buffer that already
    /// holds styled text, with titles that fit, are cut, and hold wide characters: the pane
    /// draws every cell as the block does.
    #[test]
    fn a_pane_draws_what_the_bordered_block_draws() {
        let border = Style::new().fg(Color::Indexed(240)).add_modifier(Modifier::BOLD);
        let top = Span::styled(" Quick Start · 漢字 · 1/39 ", Style::new().fg(Color::Red));
        let bottom = Line::from(Span::styled(" F2 changes · PgUp/PgDn ", Style::new().bg(Color::Blue)));
        for width in 0..34 {
            for height in 0..5 {
                let area = Rect::new(1, 1, width, height);
                let mut before = Buffer::empty(Rect::new(0, 0, 36, 7));
                before.set_string(0, 2, "x".repeat(36), Style::new().bg(Color::Green));
                for with_bottom in [false, true] {
                    let mut block = Block::bordered().border_style(border).title(top.clone());
                    let mut pane = Pane::new(border).title(top.clone());
                    if with_bottom {
                        block = block.title_bottom(bottom.clone().right_aligned());
                        pane = pane.title_bottom(bottom.clone());
                    }
                    let mut by_block = before.clone();
                    block.render(area, &mut by_block);
                    let mut by_pane = before.clone();
                    pane.render_into(&mut by_pane, area);
                    assert_eq!(by_pane, by_block, "{width}×{height}, bottom title: {with_bottom}");
                    assert_eq!(pane.inner(area), Block::bordered().inner(area));
                }
            }
        }
    }
}
