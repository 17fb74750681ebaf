//! A YAML document (the generated `OpenAPI` file) for the preview pane: its lines as written,
//! cleaned, wrapped under their own indentation, keys and gaps (`x-todo`) styled; its sections
//! (paths, schemas) as the headings the preview scrolls to. Never read as Markdown.
use ratatui::text::{Line, Span};

use crate::core::diff::yaml;
use crate::core::sanitize::sanitize;
use crate::core::wrap;
use crate::tui::markdown::{Heading, NO_SOURCE, Preview};
use crate::tui::theme::Theme;

/// Renders `text` for a pane `width` columns wide (at least 8).
pub fn render(text: &str, width: u16, theme: &Theme) -> Preview {
    let width = usize::from(width.max(8));
    let mut preview = Preview::default();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect();
    let sections = yaml::sections(text);
    // The line index in the YAML where each section starts, with its heading.
    let mut headings = sections.iter().filter(|s| s.level > 0).peekable();
    let mut todo_indent: Option<usize> = None;
    for (number, &start) in starts.iter().enumerate() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let raw = sanitize(&text[start..end]).into_owned();
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        if let Some(h) = headings.peek()
            && h.start == number
        {
            preview.headings.push(Heading {
                level: h.level,
                text: h.title.clone(),
                line: preview.lines.len(),
            });
            headings.next();
        }
        let rest = &raw[indent..];
        if todo_indent.is_some_and(|t| indent < t || (indent == t && !rest.starts_with('-'))) {
            todo_indent = None;
        }
        let is_todo = rest.starts_with("x-todo:");
        if is_todo {
            todo_indent = Some(indent);
        }
        let style_of_value = if is_todo || todo_indent.is_some() {
            theme.todo
        } else {
            theme.text
        };
        // Key and value, for styling.
        let split = rest
            .find(": ")
            .filter(|_| !rest.starts_with('-') && !rest.starts_with('\'') && !rest.starts_with('"'))
            .or_else(|| rest.strip_suffix(':').map(str::len).filter(|_| !rest.starts_with('-')));
        // The text after the indentation wraps in what is left beside the hanging indent.
        let hang = (indent + 2).min(width / 2);
        let lead = indent.min(hang);
        let pieces = wrap::lines(rest, width - hang);
        for (k, range) in pieces.iter().enumerate() {
            let segment = &rest[range.clone()];
            let mut spans = vec![Span::raw(" ".repeat(if k == 0 { lead } else { hang }))];
            match split {
                Some(at) if k == 0 && at <= segment.len() => {
                    let key_style = if is_todo { theme.todo } else { theme.strong };
                    spans.push(Span::styled(segment[..at].to_string(), key_style));
                    spans.push(Span::styled(segment[at..].to_string(), style_of_value));
                }
                _ => spans.push(Span::styled(segment.to_string(), style_of_value)),
            }
            preview.lines.push(Line::from(spans));
            preview.sources.push(if segment.is_empty() && k > 0 {
                NO_SOURCE
            } else {
                start + indent + range.start
            });
        }
    }
    preview
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_lines_stay_as_written_and_paths_are_headings() {
        let text = "openapi: 3.1.0\npaths:\n  /v1/orders:\n    get:\n      x-todo:\n      - a gap\n      summary: '# not a heading'\n";
        let p = render(text, 60, &Theme::monochrome());
        let shown: Vec<String> = p
            .lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(shown[6], "      summary: '# not a heading'");
        assert_eq!(shown.len(), 7);
        assert!(p.section_range("/v1/orders").is_some_and(|r| r.start == 2));
        let narrow = render(
            "openapi: 3.1.0\ninfo:\n  description: a long line that has to wrap somewhere\n",
            20,
            &Theme::monochrome(),
        );
        assert!(narrow.lines.len() > 3);
        assert!(narrow.lines.iter().all(|l| l.width() <= 20), "{:?}", narrow.lines);
    }
}
