//! Fitting text to a width: word wrapping and cutting with an ellipsis, by display width. One set
//! of rules for every pane, overlay and file the program writes.
//!
//! The rules: a new line (`\n`) always ends a line; lines break at spaces, which are dropped at
//! the break; they may also break on either side of a wide character (CJK, emoji), since those
//! scripts do not put spaces between words; a word is broken between characters only when it
//! alone is wider than the line. Widths are display columns as the terminal shows the text once
//! sanitised (CJK and most emoji take 2, combining marks 0, a control character 1, since the
//! sanitiser shows it as one visible symbol). Lines are filled first-fit by `textwrap`; the words
//! are measured here, because textwrap counts escape sequences as zero columns while this program
//! shows them (sanitised) on screen.
use std::ops::Range;

use textwrap::core::Fragment;
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns `text` takes on screen once sanitised.
pub fn width(text: &str) -> usize {
    if is_plain_ascii(text) {
        return text.len();
    }
    text.graphemes(true).map(cluster_width).sum()
}

/// The byte ranges of `text`'s lines when wrapped to `width` columns (0 counts as 1). New lines
/// are not part of any range, nor are the spaces dropped at a break. An empty text is one empty
/// line; every hard line gives at least one range.
pub fn lines(text: &str, width: usize) -> Vec<Range<usize>> {
    let max = width.max(1);
    let mut out = Vec::new();
    let mut words = Vec::new();
    let mut base = 0;
    for line in text.split('\n') {
        // Most lines are short plain text that fits: one range, no words to find.
        if line.len() <= max && is_plain_ascii(line) {
            out.push(base..base + line.trim_end_matches(' ').len());
            base += line.len() + 1;
            continue;
        }
        words.clear();
        find_words(line, base, Some(max), &mut words);
        if words.is_empty() {
            out.push(base..base);
        } else {
            let widths = [columns(max)];
            for placed in wrap_first_fit(&words, &widths) {
                match (placed.first(), placed.last()) {
                    (Some(first), Some(last)) => out.push(first.start..last.end),
                    _ => out.push(base..base),
                }
            }
        }
        base += line.len() + 1;
    }
    out
}

/// `text` wrapped to `width` columns, one slice a line (see [`lines`]).
pub fn wrap(text: &str, width: usize) -> Vec<&str> {
    lines(text, width).into_iter().map(|r| &text[r]).collect()
}

/// What a column of `text` needs: the width of its widest line unwrapped, and of its longest
/// word (the narrowest it can be without breaking a word).
pub fn measure(text: &str) -> (usize, usize) {
    let mut words = Vec::new();
    let (mut widest, mut longest) = (0, 0);
    let mut base = 0;
    for line in text.split('\n') {
        words.clear();
        find_words(line, base, None, &mut words);
        let mut used = 0;
        for (i, word) in words.iter().enumerate() {
            used += word.width;
            if i + 1 < words.len() {
                used += word.gap;
            }
            longest = longest.max(word.width);
        }
        widest = widest.max(used);
        base += line.len() + 1;
    }
    (widest, longest)
}

/// Byte ranges cutting `text` into pieces at most `width` columns wide, between characters and
/// regardless of words (code, or a word wider than the line). A character wider than `width`
/// gets a piece of its own. An empty text gives no pieces.
pub fn cut(text: &str, width: usize) -> Vec<Range<usize>> {
    let max = width.max(1);
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    if is_plain_ascii(text) {
        while start < text.len() {
            let end = (start + max).min(text.len());
            out.push(start..end);
            start = end;
        }
        return out;
    }
    for (at, cluster) in text.grapheme_indices(true) {
        let w = cluster_width(cluster);
        if used + w > max && at > start {
            out.push(start..at);
            start = at;
            used = 0;
        }
        used += w;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Cuts `text` to `width` columns, ending with an ellipsis when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    if self::width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for cluster in text.graphemes(true) {
        let w = cluster_width(cluster);
        if used + w + 1 > width {
            break;
        }
        out.push_str(cluster);
        used += w;
    }
    out.push('…');
    out
}

/// Printable ASCII: one column a byte.
fn is_plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The width of one user-perceived character as it is shown.
fn cluster_width(cluster: &str) -> usize {
    if is_plain_ascii(cluster) {
        return cluster.len();
    }
    // A control character (a tab too) is its own cluster, shown as one symbol or one space.
    if cluster.starts_with(char::is_control) {
        return 1;
    }
    let shown = crate::core::sanitize::sanitize(cluster);
    UnicodeWidthStr::width(shown.as_ref())
}

/// A piece that is never broken when it fits a line: a word, a wide character, or the spaces
/// that start a line (a word of no width, so indentation stays on the line it starts).
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    width: usize,
    /// Columns of spaces after it (dropped when the line breaks there).
    gap: usize,
}

impl Fragment for Word {
    fn width(&self) -> f64 {
        columns(self.width)
    }

    fn whitespace_width(&self) -> f64 {
        columns(self.gap)
    }

    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Columns as textwrap counts them.
fn columns(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The words of one hard `line` starting at byte `base` of the text; with `max`, words wider
/// than `max` are cut into pieces that fit.
fn find_words(line: &str, base: usize, max: Option<usize>, out: &mut Vec<Word>) {
    let bytes = line.as_bytes();
    let mut pos = bytes.iter().take_while(|b| **b == b' ').count();
    if pos > 0 {
        out.push(Word {
            start: base,
            end: base,
            width: 0,
            gap: pos,
        });
    }
    while pos < line.len() {
        let end = line[pos..].find(' ').map_or(line.len(), |i| pos + i);
        let run = &line[pos..end];
        if is_plain_ascii(run) {
            push_word(line, base, pos..end, run.len(), max, out);
        } else {
            // Wide characters stand alone; what is between them is a word.
            let (mut start, mut used) = (pos, 0);
            for (at, cluster) in run.grapheme_indices(true) {
                let at = pos + at;
                let w = cluster_width(cluster);
                if w >= 2 {
                    if at > start {
                        push_word(line, base, start..at, used, max, out);
                    }
                    push_word(line, base, at..at + cluster.len(), w, max, out);
                    start = at + cluster.len();
                    used = 0;
                } else {
                    used += w;
                }
            }
            if start < end {
                push_word(line, base, start..end, used, max, out);
            }
        }
        let spaces = bytes[end..].iter().take_while(|b| **b == b' ').count();
        if let Some(last) = out.last_mut() {
            last.gap = spaces;
        }
        pos = end + spaces;
    }
}

fn push_word(line: &str, base: usize, range: Range<usize>, width: usize, max: Option<usize>, out: &mut Vec<Word>) {
    match max {
        Some(max) if width > max => {
            let text = &line[range.clone()];
            for piece in cut(text, max) {
                out.push(Word {
                    start: base + range.start + piece.start,
                    end: base + range.start + piece.end,
                    width: self::width(&text[piece]),
                    gap: 0,
                });
            }
        }
        _ => out.push(Word {
            start: base + range.start,
            end: base + range.end,
            width,
            gap: 0,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn breaks_at_spaces_and_drops_them() {
        assert_eq!(
            wrap(
                "The quick brown fox jumps over the lazy dog and keeps running far away.",
                20
            ),
            [
                "The quick brown fox",
                "jumps over the lazy",
                "dog and keeps",
                "running far away."
            ]
        );
        assert_eq!(lines("hello world again", 11), [0..11, 12..17]);
    }

    #[test]
    fn a_word_is_broken_only_when_it_alone_is_too_wide() {
        assert_eq!(
            wrap("see abcdefghijklmnopqrstuvwxyz ok", 10),
            ["see", "abcdefghij", "klmnopqrst", "uvwxyz ok"]
        );
        assert_eq!(wrap("Purpose Errors", 8), ["Purpose", "Errors"]);
        assert_eq!(lines("abcdefghij", 4), [0..4, 4..8, 8..10]);
    }

    #[test]
    fn new_lines_are_kept_and_empty_lines_stay() {
        assert_eq!(wrap("one\n\ntwo three", 5), ["one", "", "two", "three"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("a\n", 5), ["a", ""]);
        assert_eq!(wrap("  indented text", 40), ["  indented text"]);
    }

    #[test]
    fn wide_characters_count_two_and_may_break_anywhere() {
        assert_eq!(
            wrap(&"漢字".repeat(12), 20),
            ["漢字漢字漢字漢字漢字", "漢字漢字漢字漢字漢字", "漢字漢字"]
        );
        assert_eq!(
            wrap("hello 世界 and 日本語のテキスト", 12),
            ["hello 世界", "and 日本語の", "テキスト"]
        );
        assert_eq!(lines("日本語のテキスト", 4), [0..6, 6..12, 12..18, 18..24]);
        for line in wrap("😀😀😀😀😀 e\u{301}tude 👩\u{200d}💻 done", 7) {
            assert!(width(line) <= 7, "{line:?}");
        }
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("a\u{1}b\t"), 4, "a control character shows as one symbol");
        assert_eq!(width("\u{202e}x"), 2, "so does a direction override");
    }

    #[test]
    fn measure_gives_the_widest_line_and_the_longest_word() {
        assert_eq!(measure("validation_failed or not"), (24, 17));
        assert_eq!(measure("one\nthree words here"), (16, 5));
        assert_eq!(measure("漢字"), (4, 2));
        assert_eq!(measure(""), (0, 0));
    }

    #[test]
    fn cut_and_fit() {
        assert_eq!(cut("abcdefg", 3), [0..3, 3..6, 6..7]);
        assert_eq!(cut("漢字漢", 3), [0..3, 3..6, 6..9]);
        assert!(cut("", 3).is_empty());
        assert_eq!(fit("hello world", 8), "hello w…");
        assert_eq!(fit("hello", 8), "hello");
        assert_eq!(fit("漢字漢字", 5), "漢字…");
        assert_eq!(fit("abc", 0), "");
    }

    /// Text made of the pieces that matter: words, spaces, new lines, wide and combining
    /// characters, emoji, control characters.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("a"),
            Just("bc"),
            Just("word"),
            Just("verylongword"),
            Just(" "),
            Just("  "),
            Just("\n"),
            Just("漢"),
            Just("é"),
            Just("e\u{301}"),
            Just("😀"),
            Just("\u{1}"),
            Just("-"),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    /// Whether the break between `a` and `b` (adjacent, no space between) is allowed: beside a
    /// wide character, or inside a word wider than the line.
    fn break_is_allowed(text: &str, at: usize, max: usize) -> bool {
        let before = text[..at].graphemes(true).next_back().unwrap_or("");
        let after = text[at..].graphemes(true).next().unwrap_or("");
        if cluster_width(before) >= 2 || cluster_width(after) >= 2 {
            return true;
        }
        let start = text[..at].rfind([' ', '\n']).map_or(0, |i| i + 1);
        let end = text[at..].find([' ', '\n']).map_or(text.len(), |i| at + i);
        // The narrow run the break is in, between wide characters.
        let word: String = text[start..end]
            .graphemes(true)
            .filter(|g| cluster_width(g) < 2)
            .collect();
        width(&word) > max
    }

    proptest! {
        #[test]
        fn no_line_is_wider_than_the_width(text in text(), max in 1usize..24) {
            for range in lines(&text, max) {
                let line = &text[range];
                let single = line.graphemes(true).count() <= 1;
                prop_assert!(width(line) <= max || single, "{line:?} wider than {max}");
            }
        }

        #[test]
        fn no_text_is_lost(text in text(), max in 1usize..24) {
            let ranges = lines(&text, max);
            let mut at = 0;
            let mut breaks = 0;
            for range in &ranges {
                prop_assert!(range.start >= at);
                // Only spaces and new lines are left out, and every new line ends a line.
                let skipped = &text[at..range.start];
                prop_assert!(skipped.chars().all(|c| c == ' ' || c == '\n'), "lost {skipped:?}");
                breaks += skipped.matches('\n').count();
                at = range.end;
            }
            let rest = &text[at..];
            prop_assert!(rest.chars().all(|c| c == ' ' || c == '\n'), "lost {rest:?}");
            breaks += rest.matches('\n').count();
            prop_assert_eq!(breaks, text.matches('\n').count());
            prop_assert!(ranges.len() > text.matches('\n').count());
        }

        #[test]
        fn words_are_split_only_when_longer_than_the_line(text in text(), max in 1usize..24) {
            let ranges = lines(&text, max);
            for pair in ranges.windows(2) {
                if pair[0].end == pair[1].start && pair[0].end > pair[0].start {
                    prop_assert!(
                        break_is_allowed(&text, pair[0].end, max),
                        "split at {} of {text:?} ({max})", pair[0].end
                    );
                }
            }
        }

        #[test]
        fn lines_are_filled_first_fit(text in text(), max in 1usize..24) {
            let ranges = lines(&text, max);
            for pair in ranges.windows(2) {
                let gap = &text[pair[0].end..pair[1].start];
                if gap.is_empty() || gap.contains('\n') || pair[0].is_empty() {
                    continue;
                }
                // The next line's first word would not have fitted after the gap.
                let next = &text[pair[1].clone()];
                let word_end = next.find(' ').unwrap_or(next.len());
                let mut clusters = next[..word_end].graphemes(true).map(cluster_width);
                // A wide character alone, or the narrow run up to the next wide one.
                let first = match clusters.next() {
                    Some(w) if w >= 2 => w,
                    Some(w) => w + clusters.take_while(|w| *w < 2).sum::<usize>(),
                    None => 0,
                };
                let used = width(&text[pair[0].clone()]) + gap.len();
                prop_assert!(used + first > max, "{:?} could have joined {:?}", &text[pair[1].clone()], &text[pair[0].clone()]);
            }
        }
    }
}
