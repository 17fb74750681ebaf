//! The interview's terminal backend: ratatui's changed cells written with crossterm, keeping
//! the colours, attributes and cursor visibility the terminal already has from one frame to
//! the next, and the window size the last resize event gave, so that a frame is one write of
//! what changed and no query of the terminal.
use ratatui::backend::{Backend, ClearType, IntoCrossterm as _, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::{Hide, MoveTo, Show};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, Colored, Print, SetAttribute};
use ratatui::crossterm::terminal::{self, Clear};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
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
            if !matches!(last, Some(p) if x == p.x + 1 && y == p.y) {
                queue!(self.out, MoveTo(x, y))?;
            }
            last = Some(Position { x, y });
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
            queue!(self.out, Print(cell.symbol()))?;
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

#[cfg(test)]
mod tests;
