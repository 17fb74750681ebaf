//! The reviewer's comparison of two revisions: sections matched first, each pair diffed line by
//! line inside, changed lines grouped into hunks (to step through and copy) and blocks (runs of
//! removed and added lines, refined word by word only when shown).
use similar::DiffOp;
use std::ops::Range;
use std::time::Instant;

use super::patience::Numbered;
use super::words::{self, Emphasis};
use super::yaml::is_api_yaml;
use super::{
    SectionChange, SectionSpan, SectionStatus, all_section_spans, op_counts, pair_sections, pair_sections_counting,
};

/// Lines of context around a change in a hunk.
pub const CONTEXT: usize = 3;

/// A text split into lines, kept whole.
#[derive(Debug, Clone)]
pub struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: String) -> Lines {
        let mut starts = Vec::with_capacity(text.len() / 48 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        if starts.last() == Some(&text.len()) {
            starts.pop();
        }
        Lines { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Line `i` (0-based) without its line ending; empty past the end.
    pub fn get(&self, i: usize) -> &str {
        let Some(&start) = self.starts.get(i) else { return "" };
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\n').trim_end_matches('\r')
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Lines `range` as they are written, endings included.
    pub fn span(&self, range: Range<usize>) -> &str {
        let at = |i: usize| self.starts.get(i).copied().unwrap_or(self.text.len());
        if range.is_empty() {
            return "";
        }
        &self.text[at(range.start)..at(range.end)]
    }

    /// Every line with its ending, as [`super::patch_lines`] splits the text.
    pub fn with_endings(&self) -> Vec<&str> {
        let ends = self.starts.iter().skip(1).copied().chain([self.text.len()]);
        self.starts
            .iter()
            .zip(ends)
            .map(|(&start, end)| &self.text[start..end])
            .collect()
    }

    /// Whether the text has lines and its last one has no newline at its end.
    pub fn ends_open(&self) -> bool {
        !self.text.is_empty() && !self.text.ends_with('\n')
    }

    /// Line `i` as compared: its text, and whether a newline ends it.
    fn key(&self, i: usize) -> (&str, bool) {
        (self.get(i), i + 1 < self.len() || !self.ends_open())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTag {
    Equal,
    Delete,
    Insert,
}

/// One line of a section's diff, with its 0-based line numbers on each side. (Indices are
/// kept as 32-bit numbers plus one, so that a line takes 16 bytes instead of 56: a comparison
/// holds one for every line of the longer text at least.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffLine {
    pub tag: LineTag,
    old: Index,
    new: Index,
    block: Index,
}

/// An optional index, stored as the index plus one (no index past `u32::MAX - 1` is kept: no
/// text held in memory has that many lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Index(Option<std::num::NonZeroU32>);

impl Index {
    fn of(index: Option<usize>) -> Index {
        Index(index.and_then(|i| {
            u32::try_from(i)
                .ok()?
                .checked_add(1)
                .and_then(std::num::NonZeroU32::new)
        }))
    }

    fn get(self) -> Option<usize> {
        self.0.map(|i| (i.get() - 1) as usize)
    }
}

impl DiffLine {
    pub fn of(tag: LineTag, old: Option<usize>, new: Option<usize>, block: Option<usize>) -> DiffLine {
        DiffLine {
            tag,
            old: Index::of(old),
            new: Index::of(new),
            block: Index::of(block),
        }
    }

    /// The line's 0-based number in the older text, when it is there.
    pub fn old(&self) -> Option<usize> {
        self.old.get()
    }

    /// The line's 0-based number in the newer text, when it is there.
    #[allow(clippy::new_ret_no_self)] // the newer side's number, beside `old()`: not a constructor
    pub fn new(&self) -> Option<usize> {
        self.new.get()
    }

    /// The block a changed line belongs to (an index into [`Comparison::blocks`]).
    pub fn block(&self) -> Option<usize> {
        self.block.get()
    }
}

/// One section of the comparison: matched, then diffed inside.
#[derive(Debug, Clone)]
pub struct SectionDiff {
    pub change: SectionChange,
    /// Headings from the top down to this section, in the newer text (the older if removed).
    pub path: Vec<String>,
    /// Line range in the older text, if the section is there.
    pub old_lines: Option<Range<usize>>,
    pub new_lines: Option<Range<usize>>,
    pub lines: Vec<DiffLine>,
    /// Ranges of `lines`: each change with up to [`CONTEXT`] lines around it.
    pub hunks: Vec<Range<usize>>,
}

impl SectionDiff {
    pub fn is_changed(&self) -> bool {
        self.change.status != SectionStatus::Unchanged
    }

    /// The first line worth showing under the section's own heading row: past the heading
    /// line, unless the heading itself changed (or there is none).
    pub fn first_shown(&self) -> usize {
        usize::from(self.change.level > 0 && self.lines.first().is_some_and(|l| l.tag == LineTag::Equal))
    }
}

/// A run of removed lines next to a run of added lines (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub old: Range<usize>,
    pub new: Range<usize>,
    /// Reflowed or whitespace only, known without refining it (see [`words::classify`]).
    pub kind: Option<words::BlockKind>,
}

/// Two revisions compared section by section.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub old: Lines,
    pub new: Lines,
    pub sections: Vec<SectionDiff>,
    pub blocks: Vec<Block>,
}

/// Line ranges of each section, and the heading path of each.
fn layout(found: &[SectionSpan]) -> Vec<(Range<usize>, Vec<String>)> {
    let mut stack: Vec<(u8, String)> = Vec::new();
    found
        .iter()
        .map(|s| {
            if s.level > 0 {
                stack.retain(|(level, _)| *level < s.level);
                stack.push((s.level, s.title.clone()));
            }
            let path = if s.level == 0 {
                Vec::new()
            } else {
                stack.iter().map(|(_, t)| t.clone()).collect()
            };
            (s.start..s.end, path)
        })
        .collect()
}

/// The lines of a section under its heading, without the blank lines at its end: what
/// [`super::inside`] keeps of its body.
fn inside_lines(lines: &[&str], s: &SectionSpan) -> Range<usize> {
    let start = (s.start + usize::from(s.level > 0)).min(s.end);
    let mut end = s.end;
    while end > start && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    start..end
}

impl Comparison {
    /// Compares two texts (taken as they are, or copied from borrowed ones).
    pub fn new(old: impl Into<String>, new: impl Into<String>) -> Comparison {
        let (old, new) = (Lines::new(old.into()), Lines::new(new.into()));
        let (sections, blocks) = compare(&old, &new);
        Comparison {
            old,
            new,
            sections,
            blocks,
        }
    }

    pub fn is_equal(&self) -> bool {
        self.old.text() == self.new.text()
    }

    /// Which side's text lacks the newline at its end, when only one does: (older, newer).
    pub fn final_newline_missing(&self) -> (bool, bool) {
        let (old, new) = (self.old.ends_open(), self.new.ends_open());
        if old == new { (false, false) } else { (old, new) }
    }

    /// The label of block `id` when its lines are not emphasised word by word: "reflowed" or
    /// "whitespace only".
    pub fn block_label(&self, id: usize) -> Option<&'static str> {
        self.blocks
            .get(id)
            .and_then(|b| b.kind)
            .and_then(words::BlockKind::label)
    }

    /// Lines added and removed over the whole document.
    pub fn totals(&self) -> (usize, usize) {
        self.sections
            .iter()
            .flat_map(|s| &s.lines)
            .fold((0, 0), |(a, r), l| match l.tag {
                LineTag::Insert => (a + 1, r),
                LineTag::Delete => (a, r + 1),
                LineTag::Equal => (a, r),
            })
    }

    /// The text of a diff line, from the side it lives on.
    pub fn text(&self, line: &DiffLine) -> &str {
        match (line.tag, line.old(), line.new()) {
            (LineTag::Delete, Some(i), _) | (LineTag::Equal, Some(i), None) => self.old.get(i),
            (_, _, Some(j)) => self.new.get(j),
            _ => "",
        }
    }

    /// Word-level emphasis for block `id`, bounded by `deadline`.
    pub fn refine(&self, id: usize, deadline: Option<Instant>) -> Emphasis {
        let Some(block) = self.blocks.get(id) else {
            return words::refine(&[], &[], deadline);
        };
        let old: Vec<&str> = block.old.clone().map(|i| self.old.get(i)).collect();
        let new: Vec<&str> = block.new.clone().map(|j| self.new.get(j)).collect();
        words::refine(&old, &new, deadline)
    }

    /// The emphasised byte ranges of `line` within its block's refinement `emphasis`.
    pub fn line_emphasis<'e>(&self, emphasis: &'e Emphasis, line: &DiffLine) -> &'e [Range<usize>] {
        let Some(block) = line.block().and_then(|id| self.blocks.get(id)) else {
            return &[];
        };
        let found = match line.tag {
            LineTag::Delete => line
                .old()
                .and_then(|i| i.checked_sub(block.old.start))
                .and_then(|k| emphasis.old.get(k)),
            LineTag::Insert => line
                .new()
                .and_then(|j| j.checked_sub(block.new.start))
                .and_then(|k| emphasis.new.get(k)),
            LineTag::Equal => None,
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// A hunk's lines as plain unified-diff lines (` `, `-`, `+`), nothing else, so a count of
    /// its lines is a count of what is copied.
    pub fn hunk_text(&self, section: usize, hunk: usize) -> String {
        let Some(s) = self.sections.get(section) else {
            return String::new();
        };
        let Some(range) = s.hunks.get(hunk) else {
            return String::new();
        };
        let mut out = String::new();
        for line in &s.lines[range.clone()] {
            let mark = match line.tag {
                LineTag::Equal => ' ',
                LineTag::Delete => '-',
                LineTag::Insert => '+',
            };
            out.push(mark);
            out.push_str(self.text(line));
            out.push('\n');
        }
        out
    }

    /// A section's text as it reads in the newer revision (the older one if it was removed).
    pub fn section_text(&self, section: usize) -> String {
        let Some(s) = self.sections.get(section) else {
            return String::new();
        };
        let (lines, range) = match (&s.new_lines, &s.old_lines) {
            (Some(r), _) => (&self.new, r.clone()),
            (None, Some(r)) => (&self.old, r.clone()),
            (None, None) => return String::new(),
        };
        range.fold(String::new(), |mut out, i| {
            out.push_str(lines.get(i));
            out.push('\n');
            out
        })
    }
}

/// The sections of two texts matched, then diffed inside, and the blocks of changed lines.
fn compare(old: &Lines, new: &Lines) -> (Vec<SectionDiff>, Vec<Block>) {
    let (old_raw, new_raw) = (old.with_endings(), new.with_endings());
    let (old_sections, new_sections) = (
        all_section_spans(old.text(), &old_raw),
        all_section_spans(new.text(), &new_raw),
    );
    let (old_layout, new_layout) = (layout(&old_sections), layout(&new_sections));
    // Only sections whose texts differ are numbered line by line (as written, endings
    // included, as the summary's counts compare them), once per pair: most of a long
    // document is compared as whole sections of bytes.
    let mut numbered: std::collections::HashMap<(usize, usize), Numbered> = std::collections::HashMap::new();
    let pairs = if is_api_yaml(old.text()) || is_api_yaml(new.text()) {
        pair_sections(&old_sections, &new_sections)
    } else {
        pair_sections_counting(&old_sections, &new_sections, |i, j| {
            let (a, b) = (
                inside_lines(&old_raw, &old_sections[i]),
                inside_lines(&new_raw, &new_sections[j]),
            );
            if old.span(a.clone()) == new.span(b.clone()) {
                return (0, 0);
            }
            let (from_old, from_new) = (old_sections[i].start, new_sections[j].start);
            let lines = numbered.entry((i, j)).or_insert_with(|| {
                Numbered::new(
                    old_raw[from_old..old_sections[i].end].iter(),
                    new_raw[from_new..new_sections[j].end].iter(),
                )
            });
            let ops = lines.differ().ops(
                &lines.old[a.start - from_old..a.end - from_old],
                &lines.new[b.start - from_new..b.end - from_new],
            );
            op_counts(&ops)
        })
    };
    let mut blocks = Vec::new();
    let mut sections = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let old_range = pair.old.and_then(|i| old_layout.get(i)).map(|(r, _)| r.clone());
        let new_range = pair.new.and_then(|j| new_layout.get(j)).map(|(r, _)| r.clone());
        let path = pair
            .new
            .and_then(|j| new_layout.get(j))
            .or_else(|| pair.old.and_then(|i| old_layout.get(i)))
            .map(|(_, p)| p.clone())
            .unwrap_or_default();
        let (o, n) = (old_range.clone().unwrap_or(0..0), new_range.clone().unwrap_or(0..0));
        let (old_text, new_text) = (old.span(o.clone()), new.span(n.clone()));
        let ops = if old_text == new_text {
            if o.is_empty() {
                Vec::new()
            } else {
                vec![DiffOp::Equal {
                    old_index: 0,
                    new_index: 0,
                    len: o.len(),
                }]
            }
        } else {
            // As shown, a line is its text without its ending, and whether a newline ends
            // it: the same as its text as written unless a carriage return is in either.
            let carriage_return = |text: &str| memchr::memchr(b'\r', text.as_bytes()).is_some();
            let lines = if carriage_return(old_text) || carriage_return(new_text) {
                Numbered::new(o.clone().map(|i| old.key(i)), n.clone().map(|j| new.key(j)))
            } else {
                pair.old
                    .zip(pair.new)
                    .and_then(|key| numbered.remove(&key))
                    .unwrap_or_else(|| Numbered::new(old_raw[o.clone()].iter(), new_raw[n.clone()].iter()))
            };
            lines.differ().ops(&lines.old, &lines.new)
        };
        let lines = diff_lines(old, new, &ops, o.start, n.start, &mut blocks);
        let hunks = hunks(&lines);
        sections.push(SectionDiff {
            change: pair.change,
            path,
            old_lines: old_range,
            new_lines: new_range,
            lines,
            hunks,
        });
    }
    (sections, blocks)
}

/// The lines of one section pair's diff (`ops` over its lines, which start at `old_start` and
/// `new_start`), recording its blocks.
fn diff_lines(
    old_text: &Lines,
    new_text: &Lines,
    ops: &[DiffOp],
    old_start: usize,
    new_start: usize,
    blocks: &mut Vec<Block>,
) -> Vec<DiffLine> {
    // An equal op gives a line per pair, another one a line per removed and per added line.
    let mut lines = Vec::with_capacity(
        ops.iter()
            .map(|op| match op {
                DiffOp::Equal { len, .. } => *len,
                _ => op.old_range().len() + op.new_range().len(),
            })
            .sum(),
    );
    let mut open: Option<Block> = None;
    let close = |open: &mut Option<Block>, blocks: &mut Vec<Block>| {
        if let Some(mut block) = open.take() {
            let o: Vec<&str> = block.old.clone().map(|i| old_text.get(i)).collect();
            let n: Vec<&str> = block.new.clone().map(|j| new_text.get(j)).collect();
            block.kind = words::classify(&o, &n);
            blocks.push(block);
        }
    };
    for op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            close(&mut open, blocks);
            lines.extend(
                o.zip(n)
                    .map(|(i, j)| DiffLine::of(LineTag::Equal, Some(old_start + i), Some(new_start + j), None)),
            );
            continue;
        }
        let block = open.get_or_insert(Block {
            old: old_start + o.start..old_start + o.start,
            new: new_start + n.start..new_start + n.start,
            kind: None,
        });
        block.old.end = old_start + o.end;
        block.new.end = new_start + n.end;
        let id = blocks.len();
        lines.extend(o.map(|i| DiffLine::of(LineTag::Delete, Some(old_start + i), None, Some(id))));
        lines.extend(n.map(|j| DiffLine::of(LineTag::Insert, None, Some(new_start + j), Some(id))));
    }
    close(&mut open, blocks);
    // Within a block, removed lines come before added ones (ops may interleave them).
    let mut k = 0;
    while k < lines.len() {
        let Some(id) = lines[k].block() else {
            k += 1;
            continue;
        };
        let end = lines[k..]
            .iter()
            .position(|l| l.block() != Some(id))
            .map_or(lines.len(), |p| k + p);
        lines[k..end].sort_by_key(|l| (l.tag != LineTag::Delete, l.old(), l.new()));
        k = end;
    }
    lines
}

/// `## Title` for a section, or a name for the text before the first heading.
pub fn heading_label(s: &SectionDiff) -> String {
    if s.change.level == 0 {
        "(before the first heading)".to_string()
    } else {
        format!("{} {}", "#".repeat(usize::from(s.change.level)), s.change.title)
    }
}

/// Groups changed lines with their context; changes closer than twice the context share a hunk.
fn hunks(lines: &[DiffLine]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (k, _) in lines.iter().enumerate().filter(|(_, l)| l.tag != LineTag::Equal) {
        let start = k.saturating_sub(CONTEXT);
        let end = (k + 1 + CONTEXT).min(lines.len());
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_line_keeps_its_indices_in_16_bytes() {
        assert_eq!(std::mem::size_of::<DiffLine>(), 16);
        for i in [0, 1, 9_999, u32::MAX as usize - 1] {
            let line = DiffLine::of(LineTag::Delete, Some(i), None, Some(i));
            assert_eq!((line.old(), line.new(), line.block()), (Some(i), None, Some(i)));
        }
        // Past what 32 bits hold, an index is not kept rather than kept wrong.
        assert_eq!(
            DiffLine::of(LineTag::Equal, Some(u32::MAX as usize), None, None).old(),
            None
        );
    }

    const OLD: &str = "# Doc\nintro\n## A\none\ntwo\n## B\nthree\n## C\nfour\nfive\nsix\nseven\n";

    fn statuses(c: &Comparison) -> Vec<(String, String)> {
        c.sections
            .iter()
            .map(|s| (s.path.join(" > "), s.change.describe()))
            .collect()
    }

    #[test]
    fn sections_are_matched_then_diffed_inside() {
        let new = "# Doc\nintro\n## C\nfour\nfive\nSIX\nseven\n## A\none\ntwo\n## B\nthree\n";
        let c = Comparison::new(OLD, new);
        assert_eq!(
            statuses(&c),
            [
                ("Doc".into(), "unchanged".into()),
                ("Doc > C".into(), "moved".into()),
                ("Doc > A".into(), "unchanged".into()),
                ("Doc > B".into(), "unchanged".into()),
            ]
        );
        // The moved section shows only its one edited line, not a delete plus an insert.
        let moved = &c.sections[1];
        let changed: Vec<_> = moved.lines.iter().filter(|l| l.tag != LineTag::Equal).collect();
        assert_eq!(changed.len(), 2);
        assert_eq!(c.text(changed[0]), "six");
        assert_eq!(c.text(changed[1]), "SIX");
        assert_eq!((changed[0].old(), changed[1].new()), (Some(10), Some(5)));
        assert_eq!(c.totals(), (1, 1));
        assert_eq!(moved.hunks, vec![0..6]);
        assert_eq!(c.hunk_text(1, 0), " ## C\n four\n five\n-six\n+SIX\n seven\n");
    }

    #[test]
    fn removed_sections_stay_where_they_were() {
        let new = "# Doc\nintro\n## A\none\ntwo\n## C\nfour\nfive\nsix\nseven\n";
        let c = Comparison::new(OLD, new);
        let titles: Vec<_> = statuses(&c).into_iter().map(|(p, d)| format!("{p}: {d}")).collect();
        assert_eq!(
            titles,
            [
                "Doc: unchanged",
                "Doc > A: unchanged",
                "Doc > B: removed",
                "Doc > C: unchanged"
            ]
        );
        assert_eq!(c.section_text(2), "## B\nthree\n");
        assert!(c.sections[2].lines.iter().all(|l| l.tag == LineTag::Delete));
    }

    #[test]
    fn a_split_section_reads_as_edited_plus_added() {
        let new = OLD.replace("## C\nfour\nfive\n", "## C\nfour\n## C2\nfive\n");
        let c = Comparison::new(OLD, &new);
        let s = statuses(&c);
        assert!(s.contains(&("Doc > C".into(), "edited".into())), "{s:?}");
        assert!(s.contains(&("Doc > C2".into(), "added".into())), "{s:?}");
    }

    #[test]
    fn a_renamed_section_diffs_its_heading() {
        let new = OLD.replace("## C\n", "## Sea\n");
        let c = Comparison::new(OLD, &new);
        let sea = c.sections.iter().find(|s| s.change.title == "Sea").unwrap();
        assert_eq!(sea.change.describe(), "renamed from \"C\"");
        let block = &c.blocks[sea.lines[0].block().unwrap()];
        assert_eq!((block.old.clone(), block.new.clone()), (7..8, 7..8));
    }

    #[test]
    fn blocks_put_removed_lines_first_and_hunks_merge_near_changes() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n";
        let new = "a\nB\nc\nd\ne\nF\ng\nh\ni\nj\nk\nl\nm\nN\n";
        let c = Comparison::new(old, new);
        let s = &c.sections[0];
        assert_eq!(s.hunks, vec![0..11, 12..17]);
        assert_eq!(c.blocks.len(), 3);
        let e = c.refine(0, None);
        assert_eq!(e.kind, words::BlockKind::Rewritten);
        assert!(Comparison::new(old, old).is_equal());
        assert!(Comparison::new("", "").sections.iter().all(|s| s.lines.is_empty()));
    }

    #[test]
    fn a_change_of_the_final_newline_alone_is_a_changed_line() {
        let c = Comparison::new("# T\nlast\n", "# T\nlast");
        assert!(!c.is_equal());
        assert_eq!(c.final_newline_missing(), (false, true));
        assert_eq!(c.totals(), (1, 1), "counted as git counts it");
        let changed: Vec<_> = c.sections[0].lines.iter().filter(|l| l.tag != LineTag::Equal).collect();
        assert_eq!(changed.len(), 2);
        assert_eq!(c.sections[0].change.status, SectionStatus::Edited);
        assert_eq!(c.block_label(0), None, "no \"whitespace only\" for a line ending");
        assert_eq!(Comparison::new("a", "b").final_newline_missing(), (false, false));
    }

    #[test]
    fn reflowed_and_whitespace_blocks_are_labelled_up_front() {
        let c = Comparison::new("# T\none two\nthree\n", "# T\none\ntwo three\n");
        assert_eq!(c.block_label(0), Some("reflowed"));
        let c = Comparison::new("# T\na  b\n", "# T\na b\n");
        assert_eq!(c.block_label(0), Some("whitespace only"));
    }

    #[test]
    fn lines_keep_their_text_without_endings() {
        let l = Lines::new("one\r\ntwo\nthree".to_string());
        assert_eq!(
            (l.len(), l.get(0), l.get(1), l.get(2), l.get(9)),
            (3, "one", "two", "three", "")
        );
        assert!(Lines::new(String::new()).is_empty());
        assert_eq!(
            (l.span(0..2), l.span(1..3), l.span(2..2)),
            ("one\r\ntwo\n", "two\nthree", "")
        );
        for text in ["", "a", "a\n", "a\r\nb", "\n\nc\n", "x\ry\n"] {
            assert_eq!(
                Lines::new(text.to_string()).with_endings(),
                super::super::patch_lines(text),
                "{text:?}"
            );
        }
    }
}
