//! Diagnostics that point at a place in a file: `file:line:column: sentence`.
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `source` (clamped to the source, and to a char boundary).
    pub fn of_offset(source: &str, offset: usize) -> Self {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        Self { line, column }
    }
}

/// Positions of many offsets in one text, each found in constant time (a file with 100,000
/// problems must not be scanned from its start for each): where every line starts, and how many
/// characters come before every block of [`Positions::BLOCK`] bytes. The index is built when
/// the first position is asked for: a file without problems never needs it.
pub struct Positions<'a> {
    text: &'a str,
    index: std::cell::OnceCell<Index>,
}

struct Index {
    line_starts: Vec<usize>,
    chars_before_block: Vec<usize>,
}

impl<'a> Positions<'a> {
    const BLOCK: usize = 1024;

    pub fn new(text: &'a str) -> Self {
        Positions {
            text,
            index: std::cell::OnceCell::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Self::build(self.text))
    }

    fn build(text: &str) -> Index {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars_before_block = Vec::with_capacity(text.len() / Self::BLOCK + 1);
        let mut chars = 0;
        for block in text.as_bytes().chunks(Self::BLOCK) {
            chars_before_block.push(chars);
            // Every byte that does not continue a UTF-8 sequence starts a character.
            chars += block.iter().filter(|b| (**b & 0xC0) != 0x80).count();
        }
        Index {
            line_starts,
            chars_before_block,
        }
    }

    /// Characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / Self::BLOCK;
        let from = block * Self::BLOCK;
        let before = self.index().chars_before_block.get(block).copied().unwrap_or(0);
        before
            + self.text.as_bytes()[from..offset]
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count()
    }

    /// The position of byte `offset` (clamped to the text, and to a character boundary).
    pub fn of(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = &self.index().line_starts;
        let line = line_starts.partition_point(|start| *start <= offset);
        let line_start = line_starts[line - 1];
        Position {
            line,
            column: self.chars_before(offset) - self.chars_before(line_start) + 1,
        }
    }
}

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub position: Option<Position>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &Path, position: Option<Position>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            position,
            message: message.into(),
        }
    }

    /// A diagnostic at the start of `span` in `source`.
    pub fn at_span(file: &Path, source: &str, span: &Range<usize>, message: impl Into<String>) -> Self {
        Self::new(file, Some(Position::of_offset(source, span.start)), message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file.display(), p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Several diagnostics from one or more files, shown one per line: the first [`SHOWN`], then
/// how many more there are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// How many diagnostics are printed before the rest are only counted.
pub const SHOWN: usize = 20;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > SHOWN {
            let rest = self.0.len() - SHOWN;
            let files: std::collections::BTreeSet<_> =
                self.0[SHOWN..].iter().map(|d| d.file.display().to_string()).collect();
            let files: Vec<String> = files.into_iter().collect();
            write!(
                f,
                "\n… and {} more problem{} in {}.",
                crate::core::limits::count(rest),
                if rest == 1 { "" } else { "s" },
                files.join(", ")
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Turns a TOML parse error into a diagnostic with the position toml reports.
pub fn from_toml_error(file: &Path, source: &str, err: &toml::de::Error) -> Diagnostic {
    let position = err.span().map(|s| Position::of_offset(source, s.start));
    // toml's messages can span several lines; keep the first sentence-like line.
    let message = err.message().lines().next().unwrap_or("invalid TOML").trim();
    let message = message.trim_end_matches('.');
    Diagnostic::new(file, position, format!("{message}."))
}

/// The first line of a TOML error, with the line it is on when known: for "this file is
/// damaged (line 3: …)".
pub fn toml_detail(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().lines().next().unwrap_or("unreadable").trim_end_matches('.');
    match e.span() {
        Some(span) => {
            let end = span.start.min(text.len());
            let line = text.as_bytes()[..end].split(|b| *b == b'\n').count();
            format!("line {line}: {message}")
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let src = "ab\ncé d\n";
        assert_eq!(Position::of_offset(src, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::of_offset(src, 3), Position { line: 2, column: 1 });
        // 'é' is two bytes: the space after it is the third character.
        assert_eq!(Position::of_offset(src, 6), Position { line: 2, column: 3 });
        // Past the end and inside a multi-byte char are clamped, not a panic.
        assert_eq!(Position::of_offset(src, 999).line, 3);
        assert_eq!(Position::of_offset(src, 5), Position { line: 2, column: 2 });
    }

    #[test]
    fn the_index_agrees_with_the_scan() {
        let mut src = String::new();
        for i in 0..3000 {
            src.push_str(if i % 7 == 0 {
                "é ü ✓ x = 1\n"
            } else {
                "key = \"value\"\n"
            });
        }
        src.push_str("a = [\"é\", \"z\"]");
        let index = Positions::new(&src);
        for offset in (0..src.len() + 3).step_by(37) {
            assert_eq!(index.of(offset), Position::of_offset(&src, offset), "offset {offset}");
        }
    }

    #[test]
    fn many_diagnostics_show_the_first_and_count_the_rest() {
        let many = Diagnostics(
            (0..25)
                .map(|i| Diagnostic::new(Path::new("a.toml"), Some(Position { line: i + 1, column: 1 }), "bad."))
                .collect(),
        );
        let text = many.to_string();
        assert_eq!(text.lines().count(), SHOWN + 1, "{text}");
        assert!(text.ends_with("… and 5 more problems in a.toml."), "{text}");
    }

    #[test]
    fn display_is_file_line_column_message() {
        let d = Diagnostic::new(Path::new("q.toml"), Some(Position { line: 3, column: 7 }), "bad.");
        assert_eq!(d.to_string(), "q.toml:3:7: bad.");
        let d = Diagnostic::new(Path::new("q.toml"), None, "bad.");
        assert_eq!(d.to_string(), "q.toml: bad.");
    }
}
