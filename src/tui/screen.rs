//! The interview's terminal backend: the cells that changed since the last frame written with
//! crossterm, keeping the colours, attributes and cursor visibility the terminal already has
//! from one frame to the next, and the window size the last resize event gave, so that a frame
//! is one write of what changed and no query of the terminal.
use ratatui::backend::{Backend, ClearType, IntoCrossterm as _, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::crossterm::cursor::{Hide, MoveTo, Show};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, Colored, SetAttribute};
use ratatui::crossterm::terminal::{self, Clear};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use ratatui::{Frame, Terminal};
use std::io::{self, Write};

/// What the terminal is known to be set to (`None` for each until the first frame sets it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

/// The terminal's state as after a reset of colours and attributes.
const RESET: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    underline: Color::Reset,
    modifier: Modifier::empty(),
};

/// A ratatui backend over `writer`: each frame is gathered and written with one `write_all`
/// on `flush`. Colours and attributes are not reset at the end of a frame; [`Screen::reset`]
/// (or leaving the screen) does it.
pub struct Screen<W: Write> {
    writer: W,
    /// The frame being gathered.
    out: Vec<u8>,
    /// What the terminal is set to; `None` when unknown (then the next cell sets it all).
    pen: Option<Pen>,
    /// Whether the cursor is shown; `None` when unknown.
    cursor_shown: Option<bool>,
    size: Size,
    /// Whether the terminal's own second buffer was taken (see [`draw`]).
    spare_taken: bool,
    /// That buffer, blank, until the first frame after a start or a resize has it as the next
    /// frame's (so that this frame allocates none: new memory costs a page fault a page).
    spare: Option<Buffer>,
    /// What the terminal shows, as the last frame left it; empty when the screen is blank (at
    /// the start and after a clear), so that no more than two frames are ever held.
    shown: Buffer,
}

impl<W: Write> Screen<W> {
    /// A backend of `size` cells writing to `writer`, whose colours and cursor are unknown.
    pub fn new(writer: W, size: Size) -> Screen<W> {
        Screen {
            writer,
            out: Vec::with_capacity(16 * 1024),
            pen: None,
            cursor_shown: None,
            size,
            spare_taken: false,
            spare: None,
            shown: Buffer::default(),
        }
    }

    /// The window was resized (a resize event): the next frame is laid out for `size`.
    pub fn set_size(&mut self, size: Size) {
        self.size = size;
    }

    /// Resets colours and attributes (queued; written with the next flush).
    pub fn reset(&mut self) -> io::Result<()> {
        queue!(self.out, SetAttribute(Attribute::Reset))?;
        self.pen = Some(RESET);
        Ok(())
    }

    /// Queues one cell at (`x`, `y`): a move unless the cursor is just after the last cell
    /// written, the colours and attributes that differ from the terminal's, and the symbol.
    fn put(&mut self, x: u16, y: u16, cell: &Cell, last: &mut Option<Position>) -> io::Result<()> {
        if !matches!(*last, Some(p) if x == p.x + 1 && y == p.y) {
            queue!(self.out, MoveTo(x, y))?;
        }
        *last = Some(Position { x, y });
        let pen = if let Some(pen) = self.pen {
            pen
        } else {
            // Unknown: start from a reset, then set what the cell needs.
            queue!(self.out, SetAttribute(Attribute::Reset))?;
            RESET
        };
        let to = Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        };
        if to != pen {
            self.out.extend_from_slice(pen_change(pen, to).as_bytes());
        }
        self.pen = Some(to);
        let symbol = cell.symbol();
        if let [byte] = symbol.as_bytes() {
            self.out.push(*byte);
        } else {
            self.out.extend_from_slice(symbol.as_bytes());
        }
        Ok(())
    }

    /// Queues the cells of `next` that differ from what the terminal shows, and keeps `next` as
    /// what it shows; returns a blank buffer of the same area for the next frame to be drawn
    /// in (the frame shown before, cleared). The cells chosen are those ratatui's `Buffer::diff`
    /// chooses (a wide character's hidden columns are skipped, refreshed where its replacement
    /// leaves them showing an old style), found without measuring the width of cells that are
    /// equal and one byte long.
    fn show(&mut self, next: Buffer) -> io::Result<Buffer> {
        let mut last = None;
        let mut changes = Vec::new();
        // A blank screen, or one of another size the terminal was not cleared for, is
        // compared with blank cells (as ratatui compares a new terminal).
        let before = (self.shown.area == next.area).then_some(self.shown.content.as_slice());
        changed_cells(before, &next.content, |i| changes.push(i));
        let width = usize::from(next.area.width.max(1));
        for i in changes {
            // Indices are within a `u16` × `u16` area.
            let x = next.area.x + u16::try_from(i % width).unwrap_or(u16::MAX);
            let y = next.area.y + u16::try_from(i / width).unwrap_or(u16::MAX);
            self.put(x, y, &next.content[i], &mut last)?;
        }
        let area = next.area;
        let mut before = std::mem::replace(&mut self.shown, next);
        let spare = self.spare.take().filter(|spare| spare.area == area);
        if before.area == area {
            before.reset();
            Ok(before)
        } else {
            Ok(spare.unwrap_or_else(|| Buffer::empty(area)))
        }
    }

    pub fn writer(&self) -> &W {
        &self.writer
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }
}

impl Screen<io::Stdout> {
    /// A backend on standard output, as large as the terminal is now (asked once).
    pub fn stdout() -> io::Result<Screen<io::Stdout>> {
        let (width, height) = terminal::size()?;
        Ok(Screen::new(io::stdout(), Size { width, height }))
    }
}

/// The parameters of one SGR sequence that change the terminal from `from` to `to`: the
/// attributes turned off, then on (as ratatui's crossterm backend orders them; bold and dim
/// share one "normal intensity"), then only the colours that differ.
fn pen_change(from: Pen, to: Pen) -> String {
    let mut params: Vec<String> = Vec::new();
    let removed = from.modifier - to.modifier;
    if removed.contains(Modifier::REVERSED) {
        params.push(Attribute::NoReverse.sgr());
    }
    let reset_intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    if reset_intensity {
        params.push(Attribute::NormalIntensity.sgr());
        if to.modifier.contains(Modifier::DIM) {
            params.push(Attribute::Dim.sgr());
        }
        if to.modifier.contains(Modifier::BOLD) {
            params.push(Attribute::Bold.sgr());
        }
    }
    for (modifier, off) in [
        (Modifier::ITALIC, Attribute::NoItalic),
        (Modifier::UNDERLINED, Attribute::NoUnderline),
        (Modifier::CROSSED_OUT, Attribute::NotCrossedOut),
        (Modifier::HIDDEN, Attribute::NoHidden),
    ] {
        if removed.contains(modifier) {
            params.push(off.sgr());
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        params.push(Attribute::NoBlink.sgr());
    }
    let added = to.modifier - from.modifier;
    for (modifier, on) in [
        (Modifier::REVERSED, Attribute::Reverse),
        (Modifier::BOLD, Attribute::Bold),
        (Modifier::ITALIC, Attribute::Italic),
        (Modifier::UNDERLINED, Attribute::Underlined),
        (Modifier::DIM, Attribute::Dim),
        (Modifier::CROSSED_OUT, Attribute::CrossedOut),
        (Modifier::HIDDEN, Attribute::Hidden),
        (Modifier::SLOW_BLINK, Attribute::SlowBlink),
        (Modifier::RAPID_BLINK, Attribute::RapidBlink),
    ] {
        let intensity = matches!(on, Attribute::Bold | Attribute::Dim);
        if added.contains(modifier) && !(intensity && reset_intensity) {
            params.push(on.sgr());
        }
    }
    // Empty when colours are turned off (NO_COLOR): then nothing is written for them.
    let colours = [
        (from.fg != to.fg).then(|| Colored::ForegroundColor(to.fg.into_crossterm())),
        (from.bg != to.bg).then(|| Colored::BackgroundColor(to.bg.into_crossterm())),
        (from.underline != to.underline).then(|| Colored::UnderlineColor(to.underline.into_crossterm())),
    ];
    params.extend(
        colours
            .into_iter()
            .flatten()
            .map(|c| c.to_string())
            .filter(|p| !p.is_empty()),
    );
    if params.is_empty() {
        String::new()
    } else {
        format!("\x1b[{}m", params.join(";"))
    }
}

impl<W: Write> Backend for Screen<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut last: Option<Position> = None;
        for (x, y, cell) in content {
            self.put(x, y, cell, &mut last)?;
            // Drawn past the frames this backend keeps: the next frame compares with what
            // is now on screen.
            if self.shown.area.is_empty() {
                self.shown = Buffer::empty(Rect::from((Position::ORIGIN, self.size)));
            }
            if let Some(shown) = self.shown.cell_mut((x, y)) {
                *shown = cell.clone();
            }
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            queue!(self.out, Hide)?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            queue!(self.out, Show)?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // Asking the terminal waits for an answer; write what is pending first.
        self.flush()?;
        ratatui::crossterm::cursor::position()
            .map(|(x, y)| Position { x, y })
            .map_err(io::Error::other)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        queue!(self.out, MoveTo(x, y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Cleared cells take the current background: clear with the terminal's own.
        self.reset()?;
        // What is left is blank; a partial clear is not followed cell by cell: the whole
        // screen is compared with blank and written again.
        self.shown = Buffer::default();
        if !matches!(clear_type, ClearType::All) {
            queue!(self.out, Clear(terminal::ClearType::All))?;
            return Ok(());
        }
        let kind = match clear_type {
            ClearType::All => terminal::ClearType::All,
            ClearType::AfterCursor => terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => terminal::ClearType::UntilNewLine,
        };
        queue!(self.out, Clear(kind))
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let pixels = terminal::window_size().map_or(Size::default(), |w| Size {
            width: w.width,
            height: w.height,
        });
        Ok(WindowSize {
            columns_rows: self.size,
            pixels,
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            self.writer.write_all(&self.out)?;
            self.out.clear();
        }
        self.writer.flush()
    }
}

/// Draws one frame: `render` fills a blank buffer of the window's size, and only the cells
/// that differ from the last frame are written, with one write; the cursor stays hidden.
/// (Ratatui's `Terminal::draw` compares whole frames cell by cell through `Cell`'s equality and
/// width, the largest part of a keystroke's cost.)
pub fn draw<W: Write>(terminal: &mut Terminal<Screen<W>>, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
    let size = terminal.backend().size;
    let resized = terminal.get_frame().area().as_size() != size;
    if resized {
        // The terminal clears the screen for the new size: what it showed is let go first,
        // so that the new size's buffers are not held beside it.
        terminal.backend_mut().shown = Buffer::default();
    }
    terminal.autoresize()?;
    if resized || !terminal.backend().spare_taken {
        // The terminal keeps a second buffer for its own comparison, unused here: it is reset,
        // made current, and taken to be the next frame's; the one being drawn in goes back.
        let drawing = std::mem::take(terminal.current_buffer_mut());
        terminal.swap_buffers();
        let spare = std::mem::take(terminal.current_buffer_mut());
        terminal.swap_buffers();
        *terminal.current_buffer_mut() = drawing;
        let backend = terminal.backend_mut();
        backend.spare = Some(spare);
        backend.spare_taken = true;
    }
    let mut frame = terminal.get_frame();
    render(&mut frame);
    let next = std::mem::take(terminal.current_buffer_mut());
    let blank = terminal.backend_mut().show(next)?;
    *terminal.current_buffer_mut() = blank;
    terminal.hide_cursor()?;
    terminal.backend_mut().flush()
}

/// Whether two cells look the same: symbol, colours, attributes and how they are compared.
/// (Called for every cell of every frame: one-byte symbols, most of them, are compared as
/// bytes, without a call to `memcmp`.)
#[inline]
fn same(a: &Cell, b: &Cell) -> bool {
    let (x, y) = (a.symbol().as_bytes(), b.symbol().as_bytes());
    let symbol = match (x, y) {
        ([x], [y]) => x == y,
        _ => x == y,
    };
    symbol
        && a.fg == b.fg
        && a.bg == b.bg
        && a.modifier == b.modifier
        && a.underline_color == b.underline_color
        && a.diff_option == b.diff_option
}

/// The columns a cell's symbol covers, as ratatui counts them.
fn columns(cell: &Cell) -> usize {
    if let CellDiffOption::ForcedWidth(width) = cell.diff_option {
        return usize::from(width.get());
    }
    let symbol = cell.symbol();
    if symbol.len() == 1 {
        return 1;
    }
    // Half-width katakana sound marks take a column that `unicode-width` does not count.
    let mark = |c: char| matches!(c, '\u{FF9E}' | '\u{FF9F}');
    let mut chars = symbol.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && !c.is_control()
    {
        // One character (a border, a mark): its own width, looked up once.
        return unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + usize::from(mark(c));
    }
    unicode_width::UnicodeWidthStr::width(symbol) + symbol.chars().filter(|c| mark(*c)).count()
}

/// A cell ratatui never writes (a wide character's hidden column, or one marked to skip).
#[allow(deprecated)] // `skip` is still honoured by ratatui's own comparison.
fn skipped(cell: &Cell) -> bool {
    matches!(cell.diff_option, CellDiffOption::Skip) || (cell.skip && matches!(cell.diff_option, CellDiffOption::None))
}

/// Attributes that show on a blank cell.
const SHOWS_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

/// Calls `change` with the index of each cell of `next` to write over `prev` (blank cells when
/// `None`), in order.
fn changed_cells(prev: Option<&[Cell]>, next: &[Cell], mut change: impl FnMut(usize)) {
    let blank = Cell::EMPTY;
    let old = |i: usize| prev.map_or(&blank, |p| &p[i]);
    let len = prev.map_or(next.len(), |p| next.len().min(p.len()));
    let mut i = 0;
    while i < len {
        let (now, before) = (&next[i], old(i));
        i += 1;
        if skipped(now) {
            continue;
        }
        if let CellDiffOption::ForcedWidth(width) = now.diff_option {
            i += usize::from(width.get()) - 1;
            if !same(now, before) {
                change(i - usize::from(width.get()));
            }
            continue;
        }
        let equal = same(now, before);
        if equal && now.symbol().len() == 1 && !matches!(now.diff_option, CellDiffOption::AlwaysUpdate) {
            continue;
        }
        let width = columns(now);
        if equal && matches!(now.diff_option, CellDiffOption::None) {
            i += width.saturating_sub(1);
            continue;
        }
        let at = i - 1;
        change(at);
        if width > 1 && now.symbol().contains('\u{FE0F}') {
            // An emoji presentation sequence: some terminals leave its second column as it
            // was, so columns whose symbol changed are written too.
            let end = (at + width).min(len);
            i = covered(next, at + 1..end, |j| old(j).symbol() != next[j].symbol(), &mut change).min(len);
        } else if width > 1 {
            i += width - 1;
        } else if columns(before) > 1 && (before.bg != Color::Reset || before.modifier.intersects(SHOWS_ON_BLANK)) {
            // A wide character replaced by a narrow one: the columns it covered may still show
            // its style, so each is written again.
            let end = (at + columns(before)).min(len);
            i = covered(next, at + 1..end, |_| true, &mut change).min(len);
        }
    }
}

/// Calls `change` with each cell in `columns` that starts a symbol of `next` (stepping over the
/// columns a wide one covers), is not skipped and is one `write` wants; returns the index
/// after the last symbol looked at (at least the end of `columns`).
fn covered(
    next: &[Cell],
    columns_of: std::ops::Range<usize>,
    write: impl Fn(usize) -> bool,
    change: &mut impl FnMut(usize),
) -> usize {
    let mut j = columns_of.start;
    while j < columns_of.end {
        if !skipped(&next[j]) && write(j) {
            change(j);
        }
        j += columns(&next[j]).max(1);
    }
    j.max(columns_of.end)
}

#[cfg(test)]
mod tests;
