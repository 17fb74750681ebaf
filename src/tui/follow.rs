//! Where the preview looks: the place in the document that shows the line of the answer the
//! cursor is on, and the first line to draw so that it stays in view (with the section's
//! heading above it when both fit). Computed at draw time, so it is right at any window size,
//! after a resume and after a resize.
use crate::tui::markdown::Preview;
use crate::tui::model::Model;

/// Lines kept between the answer's line and the pane's bottom edge, at most.
const MARGIN: usize = 3;

/// Where in `markdown` (a byte offset) the cursor in the current answer shows, if it can be
/// found: looked for in the section the question feeds first, then anywhere.
pub fn answer_offset(model: &Model, markdown: &str) -> Option<usize> {
    let (line, column) = model.editor.cursor_line()?;
    let section = model
        .question()
        .feeds
        .as_deref()
        .and_then(|heading| section_bytes(markdown, heading));
    for (needle, cursor) in needles(&line, column) {
        if let Some((start, end)) = section
            && let Some(at) = markdown[start..end].find(needle.as_str())
        {
            return Some(start + at + cursor);
        }
        if let Some(at) = markdown.find(needle.as_str()) {
            return Some(at + cursor);
        }
    }
    None
}

/// What to look for, most telling first, each with where the cursor is in it (bytes): the whole
/// line, what was typed just before the cursor, the word before the cursor. Templates may
/// reshape an answer, so each is tried.
fn needles(line: &str, column: usize) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let cursor = line.char_indices().nth(column).map_or(line.len(), |(i, _)| i);
    let whole = line.trim();
    if !whole.is_empty() {
        let lead = line.len() - line.trim_start().len();
        out.push((whole.to_string(), cursor.saturating_sub(lead).min(whole.len())));
    }
    let before = &line[..cursor];
    let chars: Vec<(usize, char)> = before.char_indices().collect();
    let from = chars.len().saturating_sub(24);
    let recent = chars.get(from).map_or("", |(i, _)| &before[*i..]).trim();
    if !recent.is_empty() && !out.iter().any(|(n, _)| n == recent) {
        out.push((recent.to_string(), recent.len()));
    }
    if let Some(word) = before.split_whitespace().last()
        && word.chars().count() >= 3
        && !out.iter().any(|(n, _)| n == word)
    {
        out.push((word.to_string(), word.len()));
    }
    out
}

/// The byte range of the section under the Markdown heading `heading` (up to the next heading
/// of the same or a higher level).
fn section_bytes(markdown: &str, heading: &str) -> Option<(usize, usize)> {
    let wanted = heading.trim();
    let mut start = None;
    let mut level = 0;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            match start {
                None if line[hashes..].trim().eq_ignore_ascii_case(wanted) => {
                    start = Some(offset);
                    level = hashes;
                }
                Some(s) if hashes <= level => return Some((s, offset)),
                _ => {}
            }
        }
        offset += line.len();
    }
    start.map(|s| (s, markdown.len()))
}

/// The first line to draw in a pane `height` lines tall: the section's heading at the top when
/// the answer's line fits below it (the document's top when the section's start fits the first
/// screen), else the answer's line near the bottom edge, in view.
pub fn top(preview: &Preview, answer: Option<usize>, heading: Option<usize>, height: usize) -> usize {
    let max_top = preview.lines.len().saturating_sub(height);
    let margin = MARGIN.min(height / 4);
    // A section whose heading and first lines fit the first screen is shown from the
    // document's top, with the title.
    let mut top = match heading {
        Some(h) if h + 2 * MARGIN >= height => h.saturating_sub(1),
        _ => 0,
    };
    if let Some(line) = answer {
        if line < top {
            top = line.saturating_sub(margin);
        } else if line + margin >= top + height {
            top = (line + margin + 1).saturating_sub(height);
        }
    }
    top.min(max_top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_go_from_the_whole_line_to_the_word_typed() {
        let found = needles("  Go 1.23 with chi ", 9);
        let texts: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(texts, ["Go 1.23 with chi", "Go 1.23", "1.23"]);
        assert_eq!(found[0].1, 7, "the cursor, after \"Go 1.23\"");
        assert!(needles("", 0).is_empty());
        assert_eq!(needles("ab", 2), [("ab".to_string(), 2)]);
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let md = "# T\n\n## One\n\na\n\n### Sub\n\nb\n\n## Two\n\nc\n";
        let (s, e) = section_bytes(md, "one").unwrap();
        assert!(md[s..e].starts_with("## One") && md[s..e].contains("### Sub") && !md[s..e].contains("Two"));
        assert_eq!(section_bytes(md, "Two").map(|(_, e)| e), Some(md.len()));
        assert_eq!(section_bytes(md, "Missing"), None);
    }

    #[test]
    fn the_top_keeps_the_heading_and_the_answer_in_view() {
        let preview = Preview {
            lines: vec![ratatui::text::Line::default(); 100],
            ..Preview::default()
        };
        assert_eq!(
            top(&preview, None, Some(2), 20),
            0,
            "a section near the top: from the top"
        );
        assert_eq!(top(&preview, Some(45), Some(40), 20), 39, "heading and answer both fit");
        assert_eq!(
            top(&preview, Some(70), Some(40), 20),
            54,
            "the answer wins, a few lines above the edge"
        );
        assert_eq!(top(&preview, Some(0), Some(40), 20), 0, "the title");
        assert_eq!(top(&preview, Some(99), None, 20), 80, "never past the end");
    }
}
