//! Word-level refinement of a changed block, tuned for prose: words are compared without the
//! whitespace between them, so a reflowed paragraph or a whitespace-only change paints nothing,
//! and a block too different to read word by word is left as whole-line changes.
use similar::{Algorithm, DiffOp};
use std::ops::Range;
use std::time::Instant;

/// What the word-level comparison found in a block of removed and added lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Some words changed; they are emphasised.
    Edited,
    /// The same words, broken into lines differently.
    Reflowed,
    /// Only spaces or indentation changed.
    WhitespaceOnly,
    /// Most words changed: emphasis would be noise, so none is given.
    Rewritten,
    /// Too large, or out of time: shown as whole-line changes.
    Unrefined,
}

impl BlockKind {
    /// A short label for blocks whose lines are not emphasised word by word.
    pub fn label(self) -> Option<&'static str> {
        match self {
            BlockKind::Reflowed => Some("reflowed"),
            BlockKind::WhitespaceOnly => Some("whitespace only"),
            BlockKind::Edited | BlockKind::Rewritten | BlockKind::Unrefined => None,
        }
    }
}

/// Emphasised byte ranges per line of a block, on each side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emphasis {
    pub kind: BlockKind,
    /// One entry per removed line: byte ranges of changed words.
    pub old: Vec<Vec<Range<usize>>>,
    /// One entry per added line.
    pub new: Vec<Vec<Range<usize>>>,
}

/// Above this share of changed words a block counts as rewritten.
const REWRITTEN_SHARE: f32 = 0.6;
/// Blocks with more words than this are not refined (bounded work per block).
pub const MAX_WORDS: usize = 20_000;

/// A word (letters, digits, `_`, inner `'` and `-`) or a single other visible character.
#[derive(Debug, Clone)]
struct Token<'a> {
    text: &'a str,
    line: usize,
    range: Range<usize>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn tokens<'a>(lines: &[&'a str]) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    for (line, text) in lines.iter().enumerate() {
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            let mut end = start + c.len_utf8();
            if is_word_char(c) {
                while let Some(&(i, d)) = chars.peek() {
                    let joins = is_word_char(d)
                        || ((d == '\'' || d == '-' || d == '’')
                            && text[i + d.len_utf8()..].chars().next().is_some_and(is_word_char));
                    if !joins {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
            }
            out.push(Token {
                text: &text[start..end],
                line,
                range: start..end,
            });
        }
    }
    out
}

fn whitespace_normalised(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a block is known to be without comparing its words: the same words broken into lines
/// differently (`Reflowed`), or only spaces changed (`WhitespaceOnly`); `None` otherwise, and
/// when the lines are equal as text (only their line endings differ). Cheap enough to compute
/// for every block up front, so the label it gives can be laid out before the block is refined.
pub fn classify(old: &[&str], new: &[&str]) -> Option<BlockKind> {
    if old.is_empty() || new.is_empty() || old == new {
        return None;
    }
    let same_lines = old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(o, n)| o.split_whitespace().eq(n.split_whitespace()));
    if same_lines {
        return Some(BlockKind::WhitespaceOnly);
    }
    // The same words have the same visible characters: most blocks differ in those early on,
    // and are told from a reflow without splitting them into words.
    if !old
        .iter()
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .eq(new.iter().flat_map(|l| l.chars()).filter(|c| !c.is_whitespace()))
    {
        return None;
    }
    let words = |lines: &[&str]| lines.iter().flat_map(|l| l.split_whitespace()).count();
    if words(old) + words(new) > MAX_WORDS {
        return None;
    }
    let same_words = tokens(old)
        .iter()
        .map(|t| t.text)
        .eq(tokens(new).iter().map(|t| t.text));
    same_words.then_some(BlockKind::Reflowed)
}

/// Compares the removed lines `old` with the added lines `new` of one block, word by word.
/// `deadline` bounds the time spent; past it the block is left unrefined.
pub fn refine(old: &[&str], new: &[&str], deadline: Option<Instant>) -> Emphasis {
    let plain = |kind| Emphasis {
        kind,
        old: vec![Vec::new(); old.len()],
        new: vec![Vec::new(); new.len()],
    };
    if old.is_empty() || new.is_empty() {
        return plain(BlockKind::Rewritten);
    }
    if deadline.is_some_and(|d| Instant::now() >= d) {
        return plain(BlockKind::Unrefined);
    }
    let a = tokens(old);
    let b = tokens(new);
    if a.len() + b.len() > MAX_WORDS {
        return plain(BlockKind::Unrefined);
    }
    let a_text: Vec<&str> = a.iter().map(|t| t.text).collect();
    let b_text: Vec<&str> = b.iter().map(|t| t.text).collect();
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &a_text, &b_text, deadline);
    let mut changed_old = vec![false; a.len()];
    let mut changed_new = vec![false; b.len()];
    for op in &ops {
        match *op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { old_index, old_len, .. } => changed_old[old_index..old_index + old_len].fill(true),
            DiffOp::Insert { new_index, new_len, .. } => changed_new[new_index..new_index + new_len].fill(true),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                changed_old[old_index..old_index + old_len].fill(true);
                changed_new[new_index..new_index + new_len].fill(true);
            }
        }
    }
    let changed = changed_old.iter().chain(&changed_new).filter(|c| **c).count();
    if changed == 0 {
        let same_lines = old.len() == new.len()
            && old
                .iter()
                .zip(new)
                .all(|(o, n)| whitespace_normalised(o) == whitespace_normalised(n));
        return plain(if same_lines {
            BlockKind::WhitespaceOnly
        } else {
            BlockKind::Reflowed
        });
    }
    #[allow(clippy::cast_precision_loss)] // word counts are far below 2^23
    let share = changed as f32 / (a.len() + b.len()) as f32;
    if share > REWRITTEN_SHARE {
        return plain(BlockKind::Rewritten);
    }
    Emphasis {
        kind: BlockKind::Edited,
        old: ranges(&a, &changed_old, old.len()),
        new: ranges(&b, &changed_new, new.len()),
    }
}

/// Changed tokens as byte ranges per line; neighbours on a line merge, spaces between included.
fn ranges(tokens: &[Token], changed: &[bool], lines: usize) -> Vec<Vec<Range<usize>>> {
    let mut out: Vec<Vec<Range<usize>>> = vec![Vec::new(); lines];
    let mut previous_changed = false;
    for (token, &is_changed) in tokens.iter().zip(changed) {
        if !is_changed {
            previous_changed = false;
            continue;
        }
        let line = &mut out[token.line];
        match line.last_mut() {
            Some(last) if previous_changed && last.end <= token.range.start => last.end = token.range.end,
            _ => line.push(token.range.clone()),
        }
        previous_changed = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(line: &str, ranges: &[Range<usize>]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in ranges {
            out.push_str(&line[at..r.start]);
            out.push('[');
            out.push_str(&line[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&line[at..]);
        out
    }

    #[test]
    fn changed_words_are_emphasised_and_neighbours_merge() {
        let old = ["The service stores sessions in Redis for a day."];
        let new = ["The service stores signed sessions in Postgres for a week."];
        let e = refine(&old, &new, None);
        assert_eq!(e.kind, BlockKind::Edited);
        assert_eq!(
            marked(old[0], &e.old[0]),
            "The service stores sessions in [Redis] for a [day]."
        );
        assert_eq!(
            marked(new[0], &e.new[0]),
            "The service stores [signed] sessions in [Postgres] for a [week]."
        );
        let e = refine(&["one two three four five"], &["one TWO THREE four five"], None);
        assert_eq!(e.new[0], vec![4..13], "two changed neighbours are one range");
    }

    #[test]
    fn a_reflowed_paragraph_is_not_painted() {
        let old = [
            "Every request carries a token that",
            "the gateway checks before routing.",
        ];
        let new = [
            "Every request carries a token",
            "that the gateway checks",
            "before routing.",
        ];
        let e = refine(&old, &new, None);
        assert_eq!(e.kind, BlockKind::Reflowed);
        assert!(e.old.iter().chain(&e.new).all(Vec::is_empty));
    }

    #[test]
    fn classify_agrees_with_refine_on_the_labelled_kinds() {
        let reflowed = (
            vec!["Every request carries a token that", "the gateway checks."],
            vec!["Every request carries a token", "that the gateway checks."],
        );
        assert_eq!(classify(&reflowed.0, &reflowed.1), Some(BlockKind::Reflowed));
        assert_eq!(refine(&reflowed.0, &reflowed.1, None).kind, BlockKind::Reflowed);
        assert_eq!(classify(&["a  b"], &["a b"]), Some(BlockKind::WhitespaceOnly));
        assert_eq!(classify(&["a b"], &["a c"]), None);
        assert_eq!(classify(&["same"], &["same"]), None, "only the line ending differs");
        assert_eq!(classify(&[], &["added"]), None);
    }

    #[test]
    fn whitespace_only_changes_are_not_emphasised() {
        let e = refine(&["- a  list item"], &["-   a list item  "], None);
        assert_eq!(e.kind, BlockKind::WhitespaceOnly);
        assert_eq!(e.kind.label(), Some("whitespace only"));
    }

    #[test]
    fn a_rewritten_line_gets_no_emphasis() {
        let e = refine(
            &["Use Kafka for events."],
            &["Nightly batch jobs copy rows over."],
            None,
        );
        assert_eq!(e.kind, BlockKind::Rewritten);
        assert!(e.new[0].is_empty());
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens_and_unicode() {
        let e = refine(&["the user's read-only café"], &["the user's read-write café"], None);
        assert_eq!(
            marked("the user's read-write café", &e.new[0]),
            "the user's [read-write] café"
        );
    }

    #[test]
    fn work_is_bounded() {
        let long = "word ".repeat(MAX_WORDS);
        assert_eq!(refine(&[&long], &["x"], None).kind, BlockKind::Unrefined);
        let past = Instant::now().checked_sub(std::time::Duration::from_secs(1));
        assert_eq!(refine(&["a b"], &["a c"], past).kind, BlockKind::Unrefined);
        assert_eq!(refine(&[], &["added"], None).kind, BlockKind::Rewritten);
    }
}
