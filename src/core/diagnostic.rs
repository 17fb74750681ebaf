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

/// Several diagnostics from one or more files, shown one per line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
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
    fn display_is_file_line_column_message() {
        let d = Diagnostic::new(Path::new("q.toml"), Some(Position { line: 3, column: 7 }), "bad.");
        assert_eq!(d.to_string(), "q.toml:3:7: bad.");
        let d = Diagnostic::new(Path::new("q.toml"), None, "bad.");
        assert_eq!(d.to_string(), "q.toml: bad.");
    }
}
