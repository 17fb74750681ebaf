//! Where a review note points in a revision's text (heading path, quoted line, place in its
//! section), and finding that line again in the same or another revision's text.
use serde::{Deserialize, Serialize};
use similar::TextDiff;

use crate::core::diff::sections;

/// Where a note points: the heading path (top-level heading first, down to the section), a
/// short quote of the line, and how far below the section's heading line it was, so the note
/// finds its line again in the text it was written on and follows it into later revisions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Anchor {
    pub path: Vec<String>,
    /// The line trimmed, at most 80 characters; a heading line quotes its heading text; empty
    /// for a blank line.
    pub quote: String,
    /// Lines below the section's first line (0 is the heading itself); `None` in records
    /// written before it was kept.
    pub offset: Option<usize>,
    /// For a blank line: the quote of the nearest line above it that is not blank (empty at
    /// the top of the text), which finds the blank line again.
    pub after: String,
}

/// At most this many characters of a line are quoted in an anchor.
const QUOTE_CHARS: usize = 80;
/// The least similarity for an edited line to count as the quoted one, inside its section.
const SIMILAR_IN_SECTION: f32 = 0.6;
/// Elsewhere in the document a near match is more likely another line, so ask for more.
const SIMILAR_ELSEWHERE: f32 = 0.8;

/// A section with its full heading path and its line range (heading line included, sub-sections
/// excluded).
struct Place {
    path: Vec<String>,
    start: usize,
    end: usize,
    /// False for the text before the first heading, which has no heading line.
    heading: bool,
}

fn places(text: &str) -> Vec<Place> {
    let line_count = text.lines().count();
    let found = sections(text);
    let mut out = Vec::with_capacity(found.len() + 1);
    if found.first().is_some_and(|s| s.level > 0 && s.start > 0) {
        // `sections` drops blank text before the first heading; it still has no path.
        out.push(Place {
            path: Vec::new(),
            start: 0,
            end: found[0].start,
            heading: false,
        });
    }
    let mut stack: Vec<(u8, String)> = Vec::new();
    for (i, s) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(line_count, |next| next.start);
        if s.level == 0 {
            out.push(Place {
                path: Vec::new(),
                start: s.start,
                end,
                heading: false,
            });
            continue;
        }
        while stack.last().is_some_and(|(level, _)| *level >= s.level) {
            stack.pop();
        }
        stack.push((s.level, s.title.clone()));
        out.push(Place {
            path: stack.iter().map(|(_, t)| t.clone()).collect(),
            start: s.start,
            end: end.max(s.start + 1),
            heading: true,
        });
    }
    out
}

fn cut(text: &str) -> String {
    text.chars().take(QUOTE_CHARS).collect()
}

/// What a line offers to a quote: a heading line its heading text, any other line itself,
/// trimmed.
fn quotable_lines(text: &str, places: &[Place]) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
    for p in places.iter().filter(|p| p.heading) {
        if let (Some(line), Some(title)) = (lines.get_mut(p.start), p.path.last()) {
            line.clone_from(title);
        }
    }
    lines
}

fn place_of(places: &[Place], line: usize) -> Option<&Place> {
    places.iter().rev().find(|p| p.start <= line)
}

/// The anchor for 0-based line `line` of `text`: the heading path of the section holding it
/// (empty before the first heading), the line trimmed and cut to at most 80 characters (a
/// heading line quotes its heading text), its place below the section's first line, and for a
/// blank line the nearest line above it that is not blank.
pub fn anchor_at(text: &str, line: usize) -> Anchor {
    let places = places(text);
    let place = place_of(&places, line);
    let lines = quotable_lines(text, &places);
    let quote = lines.get(line).map(|l| cut(l)).unwrap_or_default();
    let after = if quote.is_empty() {
        lines[..line.min(lines.len())]
            .iter()
            .rev()
            .find(|l| !l.is_empty())
            .map(|l| cut(l))
            .unwrap_or_default()
    } else {
        String::new()
    };
    Anchor {
        path: place.map(|p| p.path.clone()).unwrap_or_default(),
        quote,
        offset: Some(line - place.map_or(0, |p| p.start)),
        after,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// The quoted line (or, for a blank line, the blank line after the one it followed), 0-based.
    Exact(usize),
    /// The quote is gone; the section's heading line (0 for the text before the first heading).
    InSection(usize),
    Lost,
}

impl Located {
    /// The line when the anchor's own line was found, else `None` (the note is outdated there).
    pub fn line(self) -> Option<usize> {
        match self {
            Located::Exact(line) => Some(line),
            Located::InSection(_) | Located::Lost => None,
        }
    }
}

/// The section an anchor names: by its full heading path, else by its last title alone (the
/// candidate sharing most of the path's tail, the first on a tie).
fn find_section<'a>(places: &'a [Place], path: &[String]) -> Option<&'a Place> {
    if let Some(p) = places.iter().find(|p| p.path == path) {
        return Some(p);
    }
    let last = path.last()?;
    let shared_tail = |p: &Place| {
        p.path
            .iter()
            .rev()
            .zip(path.iter().rev())
            .take_while(|(a, b)| a == b)
            .count()
    };
    places
        .iter()
        .rev()
        .filter(|p| p.path.last() == Some(last))
        .max_by_key(|p| shared_tail(p))
}

/// The line in `range` that holds `quote`: equal (the one nearest `near` when several are),
/// else starting with it, else containing it, else the most similar one at or above
/// `threshold` (`None`: equal lines only).
fn find_quote(
    lines: &[String],
    range: std::ops::Range<usize>,
    quote: &str,
    threshold: Option<f32>,
    near: Option<usize>,
) -> Option<usize> {
    let range = range.start.min(lines.len())..range.end.min(lines.len());
    let candidates = || range.clone().filter(|&i| !lines[i].is_empty());
    let distance = |i: usize| near.map_or(i, |n| i.abs_diff(n));
    let equal = candidates()
        .filter(|&i| cut(&lines[i]) == quote)
        .min_by_key(|&i| distance(i));
    let Some(threshold) = threshold else {
        return equal;
    };
    let exact = equal
        .or_else(|| candidates().find(|&i| lines[i].starts_with(quote)))
        .or_else(|| candidates().find(|&i| lines[i].contains(quote)));
    if exact.is_some() {
        return exact;
    }
    let mut best: Option<(f32, usize)> = None;
    for i in candidates() {
        let line = cut(&lines[i]);
        let ratio = TextDiff::from_chars(quote, line.as_str()).ratio();
        if ratio >= threshold && best.is_none_or(|(b, _)| ratio > b) {
            best = Some((ratio, i));
        }
    }
    best.map(|(_, i)| i)
}

/// The line that quotes `quote` (not blank): in the section first (nearest the anchor's place),
/// then anywhere with a stricter similarity; with `strict`, only a line that says the same.
fn find_line(
    lines: &[String],
    section: Option<&Place>,
    quote: &str,
    offset: Option<usize>,
    strict: bool,
) -> Option<usize> {
    if let Some(p) = section {
        let near = offset.map(|o| p.start + o);
        let threshold = (!strict).then_some(SIMILAR_IN_SECTION);
        if let Some(i) = find_quote(lines, p.start..p.end, quote, threshold, near) {
            return Some(i);
        }
    }
    find_quote(
        lines,
        0..lines.len(),
        quote,
        (!strict).then_some(SIMILAR_ELSEWHERE),
        None,
    )
}

/// Finds an anchor in a revision's text: in the section by full heading path (else by its last
/// title alone), at the anchor's own place when that line still says the same, else the quote
/// (an exact match nearest that place first, then the most similar line), else anywhere in the
/// document (a stricter similarity); a blank line is the first blank line after the line it
/// followed. Else the section's heading (`InSection`); else `Lost`.
pub fn locate(text: &str, anchor: &Anchor) -> Located {
    locate_in(text, anchor, false)
}

/// Like [`locate`], but only a line that says the same as the quote counts (no similar line).
pub fn locate_same(text: &str, anchor: &Anchor) -> Located {
    locate_in(text, anchor, true)
}

fn locate_in(text: &str, anchor: &Anchor, strict: bool) -> Located {
    let places = places(text);
    let lines = quotable_lines(text, &places);
    let section = find_section(&places, &anchor.path);
    let quote = anchor.quote.trim();
    // The same place still says the same: the text it was written on, or unchanged around it.
    if let (Some(p), Some(offset)) = (section, anchor.offset) {
        let at = p.start + offset;
        let after_matches = || {
            let above = lines[..at].iter().rev().find(|l| !l.is_empty());
            above.map_or_else(String::new, |l| cut(l)) == anchor.after.trim()
        };
        if at < p.end && lines.get(at).is_some_and(|l| cut(l) == quote) && (!quote.is_empty() || after_matches()) {
            return Located::Exact(at);
        }
    }
    if quote.is_empty() {
        // A blank line: the blank line right after the line it followed.
        let after = anchor.after.trim();
        let follows = if after.is_empty() {
            Some(None)
        } else {
            find_line(
                &lines,
                section,
                after,
                anchor.offset.map(|o| o.saturating_sub(1)),
                strict,
            )
            .map(Some)
        };
        if let Some(follows) = follows {
            let from = follows.map_or(0, |i| i + 1);
            if lines.get(from).is_some_and(String::is_empty) {
                return Located::Exact(from);
            }
        }
    } else if let Some(i) = find_line(&lines, section, quote, anchor.offset, strict) {
        return Located::Exact(i);
    }
    match section {
        Some(p) => Located::InSection(p.start),
        None => Located::Lost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "intro\n# Doc\nOverview.\n## Security\nTokens expire after 15 minutes of inactivity.\nPasswords are hashed with argon2id.\n## Storage\nPostgreSQL 16.\n";

    #[test]
    fn anchor_at_gives_the_heading_path_the_line_and_its_place() {
        assert_eq!(
            anchor_at(TEXT, 5),
            Anchor {
                path: vec!["Doc".into(), "Security".into()],
                quote: "Passwords are hashed with argon2id.".into(),
                offset: Some(2),
                after: String::new(),
            }
        );
        assert_eq!(anchor_at(TEXT, 3).quote, "Security");
        assert_eq!(anchor_at(TEXT, 3).path, ["Doc", "Security"]);
        assert_eq!(anchor_at(TEXT, 3).offset, Some(0));
        assert_eq!(anchor_at(TEXT, 2).path, ["Doc"]);
        assert_eq!(anchor_at(TEXT, 0).path, Vec::<String>::new());
        let long = format!("# T\n  {}é{}  \n", "a".repeat(79), "b".repeat(10));
        let quote = anchor_at(&long, 1).quote;
        assert_eq!(quote.chars().count(), 80);
        assert!(quote.ends_with('é'));
        // Sibling sections at the same level do not nest.
        assert_eq!(anchor_at(TEXT, 7).path, ["Doc", "Storage"]);
    }

    #[test]
    fn locate_follows_a_moved_section_and_an_edited_line() {
        let anchor = anchor_at(TEXT, 4);
        assert_eq!(locate(TEXT, &anchor), Located::Exact(4));
        // The section moved below Storage.
        let moved = "# Doc\nOverview.\n## Storage\nPostgreSQL 16.\n## Security\nPasswords are hashed with argon2id.\nTokens expire after 15 minutes of inactivity.\n";
        assert_eq!(locate(moved, &anchor), Located::Exact(6));
        // The line was edited slightly.
        let edited = moved.replace("after 15 minutes", "after 30 minutes");
        assert_eq!(locate(&edited, &anchor), Located::Exact(6));
        assert_eq!(
            locate_same(&edited, &anchor),
            Located::InSection(4),
            "not the same words"
        );
        // A heading anchor finds its heading line.
        assert_eq!(locate(moved, &anchor_at(TEXT, 3)), Located::Exact(4));
    }

    #[test]
    fn locate_falls_back_to_the_section_then_gives_up() {
        let anchor = anchor_at(TEXT, 4);
        // The quote is gone: the section's heading.
        let gone = "# Doc\n## Security\nSessions use opaque cookies.\n## Storage\nPostgreSQL 16.\n";
        assert_eq!(locate(gone, &anchor), Located::InSection(1));
        assert_eq!(locate(gone, &anchor).line(), None, "the note is outdated there");
        // The parent heading was renamed: found by the last title.
        let renamed =
            "# Design\n## Storage\nPostgreSQL 16.\n## Security\nTokens expire after 15 minutes of idle time.\n";
        assert_eq!(locate(renamed, &anchor), Located::Exact(4));
        let renamed_gone = "# Design\n## Security\nmTLS everywhere.\n";
        assert_eq!(locate(renamed_gone, &anchor), Located::InSection(1));
        // The section is gone, and the quote with it.
        assert_eq!(locate("# Doc\n## Storage\nPostgreSQL 16.\n", &anchor), Located::Lost);
        // The quote moved to another section: still found.
        let elsewhere = "# Doc\n## Storage\nTokens expire after 15 minutes of inactivity.\n";
        assert_eq!(locate(elsewhere, &anchor), Located::Exact(2));
    }

    #[test]
    fn a_repeated_line_is_found_at_its_own_place() {
        let text = "# T\n## A\n- None\n- x\n- None\n## B\n- None\n";
        for line in [2, 4, 6] {
            assert_eq!(
                locate(text, &anchor_at(text, line)),
                Located::Exact(line),
                "line {line}"
            );
        }
        // A line inserted between them: the equal line nearer the note's place is taken.
        let anchor = anchor_at(text, 4);
        let shifted = "# T\n## A\n- None\n- x\n- new\n- None\n## B\n- None\n";
        assert_eq!(locate(shifted, &anchor), Located::Exact(5));
    }

    #[test]
    fn a_blank_line_is_found_after_the_line_it_followed() {
        let text = "# T\n\nfirst paragraph\n\nsecond paragraph\n";
        let anchor = anchor_at(text, 3);
        assert_eq!((anchor.quote.as_str(), anchor.after.as_str()), ("", "first paragraph"));
        assert_eq!(locate(text, &anchor), Located::Exact(3));
        assert_eq!(locate(text, &anchor_at(text, 1)), Located::Exact(1));
        // Lines added above and below: still the blank line after "first paragraph".
        let later = "# T\n\nintro\n\nfirst paragraph\n\nmiddle\n\nsecond paragraph\n";
        assert_eq!(locate(later, &anchor), Located::Exact(5));
        // The paragraph it followed is gone: outdated.
        assert_eq!(locate("# T\n\nsecond paragraph\n", &anchor).line(), None);
    }
}
