#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::core::fsio::Project;
use crate::core::questionnaire::{BUILTIN, parse};
use crate::tui::theme::Theme;
use crate::tui::update::{Msg, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// A terminal that keeps what each cell shows and how: the text, its colours and attributes,
/// from the escape sequences crossterm writes (cursor moves, SGR, erasing).
#[derive(Clone)]
struct Emulator {
    cells: Vec<Vec<(String, Pen)>>,
    row: usize,
    col: usize,
    pen: Pen,
    cursor_shown: bool,
}

/// A colour as the terminal shows it: the named colours are the first sixteen indexed ones.
fn shown(color: Color) -> Color {
    let named = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match named.iter().position(|c| *c == color) {
        Some(i) => Color::Indexed(u8::try_from(i).unwrap()),
        None => color,
    }
}

impl Emulator {
    fn new(width: u16, height: u16) -> Emulator {
        Emulator {
            cells: vec![vec![(" ".to_string(), RESET); usize::from(width)]; usize::from(height)],
            row: 0,
            col: 0,
            pen: RESET,
            cursor_shown: true,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        let text = std::str::from_utf8(bytes).unwrap();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                assert_eq!(chars.next(), Some('['), "only CSI sequences are written");
                let mut params = String::new();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if ('\x40'..='\x7e').contains(&c) {
                        last = c;
                        break;
                    }
                    params.push(c);
                }
                self.csi(&params, last);
            } else {
                let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if let Some(cell) = self.cells.get_mut(self.row).and_then(|r| r.get_mut(self.col)) {
                    *cell = (c.to_string(), self.pen);
                }
                self.col += width;
            }
        }
    }

    fn csi(&mut self, params: &str, last: char) {
        let numbers: Vec<u16> = params
            .trim_start_matches('?')
            .split(';')
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        match last {
            'H' => {
                self.row = usize::from(numbers[0].max(1) - 1);
                self.col = usize::from(numbers.get(1).copied().unwrap_or(1).max(1) - 1);
            }
            'J' => {
                assert_eq!(params, "2", "only whole-screen clears");
                for row in &mut self.cells {
                    row.fill((
                        " ".to_string(),
                        Pen {
                            modifier: Modifier::empty(),
                            ..self.pen
                        },
                    ));
                }
            }
            'h' if params == "?25" => self.cursor_shown = true,
            'l' if params == "?25" => self.cursor_shown = false,
            'm' => self.sgr(&numbers),
            _ => panic!("unexpected sequence {params:?}{last}"),
        }
    }

    fn sgr(&mut self, n: &[u16]) {
        let mut i = 0;
        let colour = |i: &mut usize| -> Color {
            let c = match n[*i + 1] {
                5 => Color::Indexed(u8::try_from(n[*i + 2]).unwrap()),
                2 => Color::Rgb(
                    u8::try_from(n[*i + 2]).unwrap(),
                    u8::try_from(n[*i + 3]).unwrap(),
                    u8::try_from(n[*i + 4]).unwrap(),
                ),
                other => panic!("colour form {other}"),
            };
            *i += if n[*i + 1] == 5 { 2 } else { 4 };
            c
        };
        while i < n.len() {
            let m = &mut self.pen.modifier;
            match n[i] {
                0 => self.pen = RESET,
                1 => m.insert(Modifier::BOLD),
                2 => m.insert(Modifier::DIM),
                3 => m.insert(Modifier::ITALIC),
                4 => m.insert(Modifier::UNDERLINED),
                5 => m.insert(Modifier::SLOW_BLINK),
                6 => m.insert(Modifier::RAPID_BLINK),
                7 => m.insert(Modifier::REVERSED),
                8 => m.insert(Modifier::HIDDEN),
                9 => m.insert(Modifier::CROSSED_OUT),
                22 => m.remove(Modifier::BOLD | Modifier::DIM),
                23 => m.remove(Modifier::ITALIC),
                24 => m.remove(Modifier::UNDERLINED),
                25 => m.remove(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK),
                27 => m.remove(Modifier::REVERSED),
                28 => m.remove(Modifier::HIDDEN),
                29 => m.remove(Modifier::CROSSED_OUT),
                38 => self.pen.fg = colour(&mut i),
                39 => self.pen.fg = Color::Reset,
                48 => self.pen.bg = colour(&mut i),
                49 => self.pen.bg = Color::Reset,
                58 => self.pen.underline = colour(&mut i),
                59 => self.pen.underline = Color::Reset,
                other => panic!("SGR {other}"),
            }
            i += 1;
        }
    }

    /// Asserts the screen shows `buffer`: every cell's text, colours and attributes.
    fn assert_shows(&self, buffer: &Buffer, what: &str) {
        let area = buffer.area;
        for y in 0..area.height {
            let mut skip = 0;
            for x in 0..area.width {
                let cell = &buffer[(x, y)];
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
                let want = (
                    cell.symbol().to_string(),
                    shown(cell.fg),
                    shown(cell.bg),
                    shown(cell.underline_color),
                    cell.modifier,
                );
                let (symbol, pen) = &self.cells[usize::from(y)][usize::from(x)];
                let got = (
                    symbol.clone(),
                    shown(pen.fg),
                    shown(pen.bg),
                    shown(pen.underline),
                    pen.modifier,
                );
                assert_eq!(got, want, "{what}: cell ({x}, {y})");
            }
        }
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Draws the interview after each of `keys` on this backend and on ratatui's `TestBackend`,
/// replays the bytes written, and compares every cell after every frame; returns the bytes
/// each frame wrote.
fn replay_interview(theme: &Theme, width: u16, height: u16, keys: Vec<Msg>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = BUILTIN[0];
    let questionnaire = Arc::new(parse(std::path::Path::new(path), text).unwrap());
    let mut model = crate::tui::app::prepare(Project::new(dir.path()), &questionnaire, theme.clone(), false).unwrap();
    update(&mut model, Msg::Resize(width, height));
    let size = Size { width, height };
    let mut screen = Terminal::new(Screen::new(Vec::<u8>::new(), size)).unwrap();
    let mut reference = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut emulator = Emulator::new(width, height);
    let mut written = Vec::new();
    let mut frame = |model: &crate::tui::model::Model, what: &str| {
        super::draw(&mut screen, |f| crate::tui::ui::draw(f, model)).unwrap();
        reference.draw(|f| crate::tui::ui::draw(f, model)).unwrap();
        let bytes = std::mem::take(screen.backend_mut().writer_mut());
        emulator.feed(&bytes);
        emulator.assert_shows(reference.backend().buffer(), what);
        assert!(
            !emulator.cursor_shown || reference.get_cursor_position().is_ok(),
            "{what}"
        );
        written.push(String::from_utf8(bytes).unwrap());
    };
    frame(&model, "the first frame");
    for (i, msg) in keys.into_iter().enumerate() {
        let _ = update(&mut model, msg);
        frame(&model, &format!("after key {i}"));
    }
    written
}

fn typing() -> Vec<Msg> {
    let mut keys: Vec<Msg> = "Ledgerline payments".chars().map(|c| key(KeyCode::Char(c))).collect();
    keys.extend([
        key(KeyCode::Backspace),
        key(KeyCode::Tab),
        key(KeyCode::Down),
        key(KeyCode::Enter),
    ]);
    keys.extend([
        key(KeyCode::BackTab),
        key(KeyCode::BackTab),
        key(KeyCode::F(2)),
        key(KeyCode::F(2)),
    ]);
    keys.extend("x y".chars().map(|c| key(KeyCode::Char(c))));
    keys.extend([
        key(KeyCode::Esc),
        key(KeyCode::F(1)),
        key(KeyCode::Esc),
        key(KeyCode::PageDown),
    ]);
    keys
}

#[test]
fn every_frame_shows_what_the_buffer_holds_in_every_theme() {
    for theme in [Theme::dark(), Theme::light(), Theme::monochrome()] {
        replay_interview(&theme, 160, 48, typing());
        replay_interview(&theme, 80, 24, typing());
    }
}

#[test]
fn a_resize_redraws_everything_with_the_colours_kept() {
    let mut keys = typing();
    keys.insert(5, Msg::Resize(40, 10));
    keys.insert(6, Msg::Resize(160, 48));
    // The model is told of a tiny window (it asks for a larger one) and of the full one again:
    // two frames that redraw most cells, from colours the frames before left set.
    replay_interview(&Theme::dark(), 160, 48, keys);
}

#[test]
fn a_typed_character_writes_only_what_changed_without_resets() {
    let keys: Vec<Msg> = "Ledgerline".chars().map(|c| key(KeyCode::Char(c))).collect();
    let written = replay_interview(&Theme::dark(), 160, 48, keys);
    // From the third character on (the second clears the first one's validation message and
    // changes the state mark and the count), nothing but the changed cells: no reset of colours at the
    // end of a frame, no cursor hidden again.
    for frame in &written[3..] {
        assert!(!frame.contains("\x1b[0m"), "no reset: {frame:?}");
        assert!(!frame.contains("\x1b[?25"), "the cursor stays as it was: {frame:?}");
        // The character in the field and the cursor drawn after it, the document's title in
        // the preview from the character on, each with its style set once.
        assert!(frame.len() < 120, "{} bytes: {frame:?}", frame.len());
    }
}

#[test]
fn colours_are_set_once_and_reset_only_when_asked() {
    let mut screen = Screen::new(Vec::<u8>::new(), Size { width: 4, height: 1 });
    let mut cell = Cell::new("a");
    cell.fg = Color::Rgb(1, 2, 3);
    cell.modifier = Modifier::BOLD;
    screen.draw([(0, 0, &cell)].into_iter()).unwrap();
    screen.hide_cursor().unwrap();
    screen.flush().unwrap();
    let first = String::from_utf8(std::mem::take(screen.writer_mut())).unwrap();
    assert_eq!(first, "\x1b[1;1H\x1b[0m\x1b[1;38;2;1;2;3ma\x1b[?25l");
    screen.draw([(1, 0, &cell)].into_iter()).unwrap();
    screen.hide_cursor().unwrap();
    screen.flush().unwrap();
    let second = String::from_utf8(std::mem::take(screen.writer_mut())).unwrap();
    assert_eq!(second, "\x1b[1;2Ha");
    screen.reset().unwrap();
    screen.flush().unwrap();
    assert_eq!(
        String::from_utf8(std::mem::take(screen.writer_mut())).unwrap(),
        "\x1b[0m"
    );
}

/// A row of buffer text from `pieces`: narrow and wide characters, an emoji presentation
/// sequence, blanks, in three styles.
fn painted(width: u16, pieces: &[(u8, u8)]) -> Buffer {
    let mut buffer = Buffer::empty(Rect::new(0, 0, width, 2));
    let mut x = 0;
    let mut y = 0;
    for &(symbol, style) in pieces {
        let symbol = ["a", "b", " ", "コ", "漢", "\u{2764}\u{FE0F}", "é"][usize::from(symbol) % 7];
        let style = [
            ratatui::style::Style::new(),
            ratatui::style::Style::new().bg(Color::Blue),
            ratatui::style::Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::REVERSED),
        ][usize::from(style) % 3];
        if x + 2 > width {
            x = 0;
            y += 1;
            if y == 2 {
                break;
            }
        }
        let (end, _) = buffer.set_stringn(x, y, symbol, usize::from(width - x), style);
        x = end;
    }
    buffer
}

proptest::proptest! {
    /// The cells written are ratatui's choice, less those that already look the same (a
    /// never-written blank and a written one), and writing them over the old frame shows the
    /// new one.
    #[test]
    fn the_cells_written_are_ratatuis_less_those_that_look_the_same(
        before in proptest::collection::vec((0u8..7, 0u8..3), 0..24),
        after in proptest::collection::vec((0u8..7, 0u8..3), 0..24),
    ) {
        let (prev, next) = (painted(12, &before), painted(12, &after));
        let mut ours = Vec::new();
        changed_cells(Some(&prev.content), &next.content, |i| ours.push(i));
        let theirs: Vec<usize> = prev
            .diff(&next)
            .into_iter()
            .map(|(x, y, _)| usize::from(y) * 12 + usize::from(x))
            .collect();
        for i in &ours {
            proptest::prop_assert!(theirs.contains(i), "cell {i} is written but not by ratatui");
        }
        for i in theirs.iter().filter(|i| !ours.contains(i)) {
            proptest::prop_assert!(same(&prev.content[*i], &next.content[*i]), "cell {i} left out");
        }
        // The emulator takes the emoji's selector for a character of its own.
        let emoji = |pieces: &[(u8, u8)]| pieces.iter().any(|(symbol, _)| symbol % 7 == 5);
        if emoji(&before) || emoji(&after) {
            return Ok(());
        }
        let mut screen = Screen::new(Vec::<u8>::new(), Size { width: 12, height: 2 });
        let mut emulator = Emulator::new(12, 2);
        for buffer in [prev, next] {
            screen.show(buffer.clone()).unwrap();
            screen.flush().unwrap();
            emulator.feed(&std::mem::take(screen.writer_mut()));
            emulator.assert_shows(&buffer, "after the frame");
        }
    }
}

#[test]
fn a_frame_after_a_clear_is_written_whole() {
    let mut terminal = Terminal::new(Screen::new(Vec::<u8>::new(), Size { width: 6, height: 1 })).unwrap();
    let text = |f: &mut Frame| f.buffer_mut().set_string(0, 0, "abc", ratatui::style::Style::new());
    draw(&mut terminal, text).unwrap();
    let first = String::from_utf8(std::mem::take(terminal.backend_mut().writer_mut())).unwrap();
    assert!(first.ends_with("abc\x1b[?25l"), "{first:?}");
    draw(&mut terminal, text).unwrap();
    assert!(
        terminal.backend().writer().is_empty(),
        "an unchanged frame writes nothing"
    );
    terminal.backend_mut().clear().unwrap();
    draw(&mut terminal, text).unwrap();
    let again = String::from_utf8(std::mem::take(terminal.backend_mut().writer_mut())).unwrap();
    assert!(again.ends_with("abc"), "{again:?}");
}

#[test]
fn a_one_character_symbol_is_as_wide_as_ratatui_measures_it() {
    for c in (0..=0x10_FFFF).filter_map(char::from_u32).filter(|c| !c.is_control()) {
        let mut cell = Cell::default();
        cell.set_char(c);
        let marks = usize::from(matches!(c, '\u{FF9E}' | '\u{FF9F}'));
        let measured = unicode_width::UnicodeWidthStr::width(cell.symbol()) + marks;
        assert_eq!(columns(&cell), measured, "{c:?}");
    }
}
