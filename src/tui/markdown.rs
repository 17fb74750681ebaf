//! PLACEHOLDER until the real renderer lands (being written now).
use crate::tui::theme::Theme;
use ratatui::text::Line;
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub line: usize,
}
pub struct Preview {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
}
pub fn render(markdown: &str, _width: u16, _theme: &Theme) -> Preview {
    Preview {
        lines: markdown.lines().map(|l| Line::from(l.to_string())).collect(),
        headings: Vec::new(),
    }
}
impl Preview {
    pub fn section_range(&self, _heading: &str) -> Option<std::ops::Range<usize>> {
        None
    }
}
