//! Comparing two revisions of a document: the line diff as a unified patch whose hunk headers
//! name the section, and the per-section summary (sections matched first, then diffed inside,
//! so a moved section reads as moved and a renamed one as renamed), and which answers changed.
pub mod compare;
pub mod patience;
pub mod words;
pub mod yaml;

use similar::TextDiff;
use std::fmt::Write as _;

/// A section of a Markdown document: a heading and the lines up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading text without `#`; empty for the text before the first heading.
    pub title: String,
    /// 1–6 for headings, 0 for the text before the first heading.
    pub level: u8,
    /// 0-based index of the first line (the heading itself).
    pub start: usize,
    /// The lines under the heading (without the heading line).
    pub body: String,
}

/// Splits `text` into sections at ATX headings outside code fences (an `OpenAPI` YAML document
/// at its keys: see [`yaml::sections`]).
pub fn sections(text: &str) -> Vec<Section> {
    if yaml::is_api_yaml(text) {
        return yaml::sections(text);
    }
    let lines = patch_lines(text);
    section_spans(text, &lines)
        .into_iter()
        .map(|s| Section {
            title: s.title,
            level: s.level,
            start: s.start,
            body: s.body.into_owned(),
        })
        .collect()
}

/// The sections of `text` (as [`sections`] finds them) split into `lines` by [`patch_lines`],
/// with every line in one: blank lines before the first heading, which [`sections`] leaves
/// out, are a section here. Bodies are borrowed from the text where they can be.
pub fn all_section_spans<'t>(text: &'t str, lines: &[&'t str]) -> Vec<SectionSpan<'t>> {
    let mut found = if yaml::is_api_yaml(text) {
        let owned = yaml::sections(text);
        let ends: Vec<usize> = owned.iter().skip(1).map(|s| s.start).chain([lines.len()]).collect();
        owned
            .into_iter()
            .zip(ends)
            .map(|(s, end)| SectionSpan {
                title: s.title,
                level: s.level,
                start: s.start,
                end,
                body: std::borrow::Cow::Owned(s.body),
            })
            .collect()
    } else {
        section_spans(text, lines)
    };
    if let Some(first) = found.first()
        && first.start > 0
    {
        let end = first.start;
        let body = &text[..lines
            .get(end)
            .map_or(text.len(), |l| l.as_ptr() as usize - text.as_ptr() as usize)];
        found.insert(
            0,
            SectionSpan {
                title: String::new(),
                level: 0,
                start: 0,
                end,
                body: std::borrow::Cow::Borrowed(body),
            },
        );
    }
    found
}

/// A section as [`sections`] finds it, its body borrowed from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSpan<'t> {
    pub title: String,
    pub level: u8,
    /// 0-based index of the first line (the heading itself).
    pub start: usize,
    /// 0-based index of the line after the section.
    pub end: usize,
    /// The lines under the heading (without the heading line).
    pub body: std::borrow::Cow<'t, str>,
}

/// What pairing sections reads of a section: its heading's text and level, and the lines under
/// the heading (without the heading line).
pub trait SectionText {
    fn parts(&self) -> (&str, u8, &str);
    fn title(&self) -> &str {
        self.parts().0
    }
    fn level(&self) -> u8 {
        self.parts().1
    }
    fn body(&self) -> &str {
        self.parts().2
    }
}

impl SectionText for Section {
    fn parts(&self) -> (&str, u8, &str) {
        (&self.title, self.level, &self.body)
    }
}

impl SectionText for SectionSpan<'_> {
    fn parts(&self) -> (&str, u8, &str) {
        (&self.title, self.level, &self.body)
    }
}

/// The sections of a Markdown text split into `lines` (by [`patch_lines`]), bodies borrowed.
fn section_spans<'t>(text: &'t str, lines: &[&'t str]) -> Vec<SectionSpan<'t>> {
    let headings = markdown_headings(lines);
    let offset = |line: usize| -> usize {
        lines
            .get(line)
            .map_or(text.len(), |l| l.as_ptr() as usize - text.as_ptr() as usize)
    };
    let body = |from: usize, to: usize| &text[offset(from)..offset(to)];
    let first = headings.first().map_or(lines.len(), |h| h.0);
    let mut out = Vec::with_capacity(headings.len() + 1);
    out.push(SectionSpan {
        title: String::new(),
        level: 0,
        start: 0,
        end: first,
        body: std::borrow::Cow::Borrowed(body(0, first)),
    });
    for (k, (start, level, title)) in headings.iter().enumerate() {
        let end = headings.get(k + 1).map_or(lines.len(), |h| h.0);
        out.push(SectionSpan {
            title: title.clone(),
            level: *level,
            start: *start,
            end,
            body: std::borrow::Cow::Borrowed(body(start + 1, end)),
        });
    }
    if out.len() > 1 && out[0].body.trim().is_empty() {
        out.remove(0);
    }
    out
}

/// Every ATX heading outside code fences, as (0-based line, level, title), in order: the one
/// reading of headings and fences that sections and hunk labels share.
fn markdown_headings(lines: &[&str]) -> Vec<(usize, u8, String)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        // A line opening with a printable ASCII character other than these can be neither a
        // heading nor a fence (nor is it trimmed): most lines, decided by one byte.
        if let Some(&first) = line.as_bytes().first()
            && first.is_ascii_graphic()
            && !matches!(first, b'#' | b'`' | b'~')
            && fence.is_none()
        {
            continue;
        }
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let t = trimmed.trim_start();
        if let Some(marker) = fence {
            if t.starts_with(marker) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if trimmed.starts_with('#')
            && let Some((level, title)) = heading(trimmed)
        {
            out.push((i, level, title));
        }
    }
    out
}

fn heading(line: &str) -> Option<(u8, String)> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&hashes) || line.starts_with("    ") {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') && !rest.starts_with('\t') {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim().to_string();
    Some((u8::try_from(hashes).unwrap_or(6), title))
}

/// Lines as `git apply` and `patch` count them: each ends after a line feed (`\r\n` ends with
/// one too; a lone `\r` is part of its line, not the end of one), the last perhaps with none.
pub fn patch_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::with_capacity(text.len() / 32 + 1);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..=i]);
        start = i + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Where each heading outside code fences starts, as (0-based line, `## Title`), in order: the
/// labels of hunk headers. The same reading of headings and fences as [`sections`], over the
/// patch's own lines. An `OpenAPI` YAML document is labelled by its keys instead.
fn heading_labels(text: &str, lines: &[&str]) -> Vec<(usize, String)> {
    let label = |level: u8, title: &str| format!("{} {title}", "#".repeat(usize::from(level)));
    if yaml::is_api_yaml(text) {
        return yaml::sections(text)
            .into_iter()
            .filter(|s| s.level > 0)
            .map(|s| (s.start, label(s.level, &s.title)))
            .collect();
    }
    markdown_headings(lines)
        .into_iter()
        .map(|(i, level, title)| (i, label(level, &title)))
        .collect()
}

/// The label of the heading over 0-based line `index`.
fn label_at(labels: &[(usize, String)], index: usize) -> Option<&str> {
    let after = labels.partition_point(|(start, _)| *start <= index);
    after.checked_sub(1).map(|i| labels[i].1.as_str())
}

/// A unified diff with git-style headers that `git apply` and `patch -p1` accept; empty when
/// the texts are equal. Hunk headers name the section the hunk starts in.
///
/// Lines are numbered once (a fast hash of each distinct line) and the patience diff runs over
/// the numbers, so comparing is integer work; the hunks are written straight from the ops.
pub fn unified(old: &str, new: &str, path: &str) -> String {
    if old == new {
        return String::new();
    }
    let (old_lines, new_lines) = (patch_lines(old), patch_lines(new));
    let numbered = patience::Numbered::new(old_lines.iter(), new_lines.iter());
    let ops = numbered.differ().ops(&numbered.old, &numbered.new);
    let (old_labels, new_labels) = (heading_labels(old, &old_lines), heading_labels(new, &new_lines));

    let mut out = String::with_capacity(old.len() / 8 + 256);
    let _ = writeln!(out, "diff --git a/{path} b/{path}");
    let _ = writeln!(out, "--- a/{path}");
    let _ = writeln!(out, "+++ b/{path}");
    // A line that does not end with a line feed is marked, as git does (a lone carriage return
    // does not end a line for `git apply`).
    let write_line = |out: &mut String, sign: char, line: &str| {
        out.push(sign);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for hunk in similar::group_diff_ops(ops, 3) {
        if hunk.is_empty() {
            continue;
        }
        let header = similar::udiff::UnifiedHunkHeader::new(&hunk);
        // The heading that encloses the hunk's first changed line, as git names the function:
        // a removed or changed line in the older text, an added one in the newer.
        let label = match hunk.iter().find(|op| !matches!(op, similar::DiffOp::Equal { .. })) {
            Some(op @ similar::DiffOp::Insert { .. }) => label_at(&new_labels, op.new_range().start),
            Some(op) => label_at(&old_labels, op.old_range().start),
            None => None,
        };
        match label {
            Some(label) => {
                let _ = writeln!(out, "{header} {label}");
            }
            None => {
                let _ = writeln!(out, "{header}");
            }
        }
        for op in &hunk {
            match *op {
                similar::DiffOp::Equal { old_index, len, .. } => {
                    for line in &old_lines[old_index..old_index + len] {
                        write_line(&mut out, ' ', line);
                    }
                }
                similar::DiffOp::Delete { old_index, old_len, .. } => {
                    for line in &old_lines[old_index..old_index + old_len] {
                        write_line(&mut out, '-', line);
                    }
                }
                similar::DiffOp::Insert { new_index, new_len, .. } => {
                    for line in &new_lines[new_index..new_index + new_len] {
                        write_line(&mut out, '+', line);
                    }
                }
                similar::DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    for line in &old_lines[old_index..old_index + old_len] {
                        write_line(&mut out, '-', line);
                    }
                    for line in &new_lines[new_index..new_index + new_len] {
                        write_line(&mut out, '+', line);
                    }
                }
            }
        }
    }
    out
}

/// What happened to a section between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum SectionStatus {
    Unchanged,
    Edited,
    Added,
    Removed,
    /// Same heading, now in another place among its siblings (perhaps edited as well).
    Moved,
    /// Another heading over much the same text.
    Renamed {
        from: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SectionChange {
    pub title: String,
    pub level: u8,
    #[serde(flatten)]
    pub status: SectionStatus,
    pub added: usize,
    pub removed: usize,
}

impl SectionChange {
    /// `+`, `-`, `~` and friends: the meaning survives without colour.
    pub fn mark(&self) -> &'static str {
        match self.status {
            SectionStatus::Unchanged => " ",
            SectionStatus::Edited => "~",
            SectionStatus::Added => "+",
            SectionStatus::Removed => "-",
            SectionStatus::Moved => ">",
            SectionStatus::Renamed { .. } => "%",
        }
    }

    pub fn describe(&self) -> String {
        match &self.status {
            SectionStatus::Unchanged => "unchanged".into(),
            SectionStatus::Edited => "edited".into(),
            SectionStatus::Added => "added".into(),
            SectionStatus::Removed => "removed".into(),
            SectionStatus::Moved => "moved".into(),
            SectionStatus::Renamed { from } => format!("renamed from \"{from}\""),
        }
    }
}

/// Lines added and removed from `old` to `new` (a line diff).
pub fn line_counts(old: &str, new: &str) -> (usize, usize) {
    // Patience anchors on unique lines, which prose has plenty of: far faster than Myers on
    // long documents with scattered edits.
    let (old_lines, new_lines) = (patch_lines(old), patch_lines(new));
    let numbered = patience::Numbered::new(old_lines.iter(), new_lines.iter());
    op_counts(&numbered.differ().ops(&numbered.old, &numbered.new))
}

/// Lines added and removed by `ops`.
pub fn op_counts(ops: &[similar::DiffOp]) -> (usize, usize) {
    ops.iter().fold((0, 0), |(a, r), op| match *op {
        similar::DiffOp::Equal { .. } => (a, r),
        similar::DiffOp::Delete { old_len, .. } => (a, r + old_len),
        similar::DiffOp::Insert { new_len, .. } => (a + new_len, r),
        similar::DiffOp::Replace { old_len, new_len, .. } => (a + new_len, r + old_len),
    })
}

/// The `[answers]` table of an answers file (empty when it has none); the error is a short
/// reason why the file cannot be read.
pub fn answers_table(text: &str) -> Result<toml::Table, String> {
    let mut file: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| crate::core::diagnostic::toml_detail(text, &e))?;
    match file.remove("answers") {
        None => Ok(toml::Table::new()),
        Some(toml::Value::Table(t)) => Ok(t),
        Some(_) => Err("its `answers` is not a table".into()),
    }
}

/// The ids whose answer differs between two `[answers]` tables (set, changed or removed): in
/// the new table's order, then the removed ones in the old table's order.
pub fn changed_answers(old: &toml::Table, new: &toml::Table) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(id, value)| old.get(id.as_str()) != Some(value))
        .map(|(id, _)| id.clone())
        .collect();
    out.extend(old.keys().filter(|id| !new.contains_key(id.as_str())).cloned());
    out
}

/// Below this share of common text two differently titled sections are not one renamed.
const RENAME_SIMILARITY: f32 = 0.6;
/// At most this many section bodies are compared when looking for renames.
const RENAME_COMPARISONS: usize = 4_000;

/// A section of the older text matched with one of the newer (either may be missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionPair {
    /// Index into the older text's sections.
    pub old: Option<usize>,
    /// Index into the newer text's sections.
    pub new: Option<usize>,
    pub change: SectionChange,
}

/// Matches the sections of `old` and `new` (same heading first, then similar text), and
/// says for each what happened, in reading order: the newer document's order, with each
/// removed section after the one that preceded it in the older document.
pub fn section_changes(old: &str, new: &str) -> Vec<SectionChange> {
    pair_sections(&sections(old), &sections(new))
        .into_iter()
        .map(|p| p.change)
        .collect()
}

/// The matching behind [`section_changes`], keeping which sections were paired.
pub fn pair_sections<S: SectionText>(a: &[S], b: &[S]) -> Vec<SectionPair> {
    pair_sections_counting(a, b, |i, j| {
        // Blank lines at a section's end separate it from the next one: a section that moves
        // to the end loses them without anything changing inside it.
        let (before, after) = (inside(a[i].body()), inside(b[j].body()));
        if before == after {
            (0, 0)
        } else {
            line_counts(before, after)
        }
    })
}

/// [`pair_sections`], with the lines added and removed inside a matched pair (older `i`,
/// newer `j`) counted by `count`: a line diff of the two bodies without the blank lines at
/// their end, as [`line_counts`] counts it.
pub fn pair_sections_counting<S: SectionText>(
    a: &[S],
    b: &[S],
    mut count: impl FnMut(usize, usize) -> (usize, usize),
) -> Vec<SectionPair> {
    let mut pair_of_new: Vec<Option<usize>> = vec![None; b.len()];
    let mut used_old = vec![false; a.len()];
    // 1. Same level and heading, in order of appearance.
    let mut by_heading: std::collections::HashMap<(u8, &str), std::collections::VecDeque<usize>> =
        std::collections::HashMap::new();
    for (i, o) in a.iter().enumerate() {
        by_heading.entry((o.level(), o.title())).or_default().push_back(i);
    }
    for (j, s) in b.iter().enumerate() {
        if let Some(i) = by_heading
            .get_mut(&(s.level(), s.title()))
            .and_then(std::collections::VecDeque::pop_front)
        {
            pair_of_new[j] = Some(i);
            used_old[i] = true;
        }
    }
    // 2. Left over: the most similar text under another heading is a rename.
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    let mut budget = RENAME_COMPARISONS;
    for (j, s) in b.iter().enumerate().filter(|(j, _)| pair_of_new[*j].is_none()) {
        for (i, o) in a.iter().enumerate().filter(|(i, _)| !used_old[*i]) {
            if s.body().trim().is_empty() && o.body().trim().is_empty() {
                continue;
            }
            // Bounded: sizes far apart cannot reach the similarity, and a flood of unmatched
            // sections stops looking for renames rather than stalling.
            let (x, y) = (o.body().len().max(1), s.body().len().max(1));
            if x.max(y) > 3 * x.min(y) || budget == 0 {
                continue;
            }
            budget -= 1;
            let ratio = TextDiff::from_lines(o.body(), s.body()).ratio();
            if ratio >= RENAME_SIMILARITY {
                candidates.push((ratio, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut renamed = vec![false; b.len()];
    for (_, i, j) in candidates {
        if !used_old[i] && pair_of_new[j].is_none() {
            pair_of_new[j] = Some(i);
            used_old[i] = true;
            renamed[j] = true;
        }
    }
    // 3. Matched sections that left the longest run kept in order have moved.
    let mut in_order = vec![false; b.len()];
    for j in longest_increasing(&pair_of_new) {
        in_order[j] = true;
    }
    let mut out: Vec<SectionPair> = Vec::new();
    for (j, s) in b.iter().enumerate() {
        let (status, (added, removed)) = match pair_of_new[j] {
            None => (
                SectionStatus::Added,
                (s.body().lines().count() + usize::from(s.level() > 0), 0),
            ),
            Some(i) => {
                let counts = count(i, j);
                let counts = if renamed[j] {
                    // The heading line itself changed.
                    (counts.0 + 1, counts.1 + 1)
                } else {
                    counts
                };
                let status = if renamed[j] {
                    SectionStatus::Renamed {
                        from: a[i].title().to_string(),
                    }
                } else if !in_order[j] {
                    SectionStatus::Moved
                } else if counts == (0, 0) {
                    SectionStatus::Unchanged
                } else {
                    SectionStatus::Edited
                };
                (status, counts)
            }
        };
        out.push(SectionPair {
            old: pair_of_new[j],
            new: Some(j),
            change: SectionChange {
                title: s.title().to_string(),
                level: s.level(),
                status,
                added,
                removed,
            },
        });
    }
    // Removed sections go after the section that preceded them in the older text.
    for (i, s) in a.iter().enumerate().filter(|(i, _)| !used_old[*i]) {
        let after = (0..i)
            .rev()
            .find_map(|k| out.iter().position(|p| p.old == Some(k)))
            .map_or(0, |at| at + 1);
        let mut at = after;
        while at < out.len() && out[at].new.is_none() {
            at += 1;
        }
        out.insert(
            at,
            SectionPair {
                old: Some(i),
                new: None,
                change: SectionChange {
                    title: s.title().to_string(),
                    level: s.level(),
                    status: SectionStatus::Removed,
                    added: 0,
                    removed: s.body().lines().count() + usize::from(s.level() > 0),
                },
            },
        );
    }
    out
}

/// A section's body without the blank lines at its end (with its last line's newline).
pub fn inside(body: &str) -> &str {
    let kept = body.trim_end_matches(|c: char| c.is_whitespace());
    if kept.is_empty() {
        return "";
    }
    let end = body[kept.len()..].find('\n').map_or(body.len(), |i| kept.len() + i + 1);
    &body[..end]
}

/// Indices (into `pairs`) of the longest run whose old positions increase: those stayed put.
fn longest_increasing(pairs: &[Option<usize>]) -> Vec<usize> {
    let items: Vec<(usize, usize)> = pairs
        .iter()
        .enumerate()
        .filter_map(|(j, p)| p.map(|i| (j, i)))
        .collect();
    let n = items.len();
    let mut length = vec![1usize; n];
    let mut previous = vec![usize::MAX; n];
    for k in 0..n {
        for m in 0..k {
            if items[m].1 < items[k].1 && length[m] + 1 > length[k] {
                length[k] = length[m] + 1;
                previous[k] = m;
            }
        }
    }
    let mut best = (0..n).max_by_key(|&k| length[k]);
    let mut out = Vec::new();
    while let Some(k) = best {
        out.push(items[k].0);
        best = (previous[k] != usize::MAX).then_some(previous[k]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The patch as the text diff of `similar` writes it: what [`unified`] must equal.
    fn reference_patch(old: &str, new: &str, path: &str) -> String {
        if old == new {
            return String::new();
        }
        let diff = TextDiff::configure()
            .algorithm(similar::Algorithm::Patience)
            .diff_lines(old, new);
        let (old_sections, new_sections) = (sections(old), sections(new));
        let label = |sections: &[Section], index: usize| {
            sections
                .iter()
                .rev()
                .find(|s| s.start <= index && s.level > 0)
                .map(|s| format!("{} {}", "#".repeat(usize::from(s.level)), s.title))
        };
        let mut out = format!("diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n");
        let mut udiff = diff.unified_diff();
        udiff.context_radius(3);
        for hunk in udiff.iter_hunks() {
            let text = hunk.to_string();
            let (header, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
            let first = hunk
                .ops()
                .iter()
                .find(|op| !matches!(op, similar::DiffOp::Equal { .. }));
            let label = match first {
                Some(op @ similar::DiffOp::Insert { .. }) => label(&new_sections, op.new_range().start),
                Some(op) => label(&old_sections, op.old_range().start),
                None => None,
            };
            match label {
                Some(label) => {
                    let _ = writeln!(out, "{header} {label}");
                }
                None => {
                    let _ = writeln!(out, "{header}");
                }
            }
            out.push_str(rest);
        }
        out
    }

    fn document_lines() -> impl Strategy<Value = String> {
        let line = prop::sample::select(vec![
            "# Title\n",
            "## Scope\n",
            "## Risks\r\n",
            "### Deep ###\n",
            "```\n",
            "~~~\n",
            "# in a fence?\n",
            "text\n",
            "more text\n",
            "text\n",
            "- item\n",
            "\n",
            "  indented\n",
            "é ✓ wide 字\n",
            "crlf line\r\n",
            "same\n",
            "same\n",
        ]);
        (
            prop::collection::vec(line, 0..60),
            prop::option::of(Just("tail without newline")),
        )
            .prop_map(|(lines, tail)| lines.concat() + tail.unwrap_or_default())
    }

    /// Whether the lines that occur once in each text come in the same order in both: then
    /// the patience diff has one choice of anchors, and the patch is the text diff's.
    fn unique_lines_keep_their_order(old: &str, new: &str) -> bool {
        let (a, b) = (patch_lines(old), patch_lines(new));
        let once = |lines: &[&str], l: &str| lines.iter().filter(|m| **m == l).count() == 1;
        let common = |x: &[&str], y: &[&str]| -> Vec<String> {
            x.iter()
                .filter(|l| once(x, l) && once(y, l))
                .map(|l| (*l).to_string())
                .collect()
        };
        common(&a, &b) == common(&b, &a)
    }

    /// `patch` applied to `old`, hunk by hunk, checking every context and removed line.
    fn apply(old: &str, patch: &str) -> Result<String, String> {
        let old_lines = patch_lines(old);
        let lines = patch_lines(patch);
        let (mut out, mut at) = (String::new(), 0usize);
        let mut k = 3;
        while k < lines.len() {
            let header = lines[k];
            let range = header
                .strip_prefix("@@ -")
                .and_then(|r| r.split(' ').next())
                .ok_or(format!("not a hunk header: {header:?}"))?;
            let (start, len) = range.split_once(',').unwrap_or((range, "1"));
            let (start, len): (usize, usize) = (start.parse().map_err(|_| header)?, len.parse().map_err(|_| header)?);
            let from = if len == 0 { start } else { start - 1 };
            if from < at || from > old_lines.len() {
                return Err(format!("hunk out of place: {header:?}"));
            }
            out.extend(old_lines[at..from].iter().copied());
            at = from;
            k += 1;
            while k < lines.len() && !lines[k].starts_with("@@") {
                let line = lines[k];
                // The marker after a line says the line before it has no line feed.
                let open = lines.get(k + 1).is_some_and(|l| l.starts_with("\\ No newline"));
                let text = if open {
                    line[1..].strip_suffix('\n').unwrap_or(&line[1..])
                } else {
                    &line[1..]
                };
                match line.as_bytes()[0] {
                    b' ' | b'-' => {
                        if old_lines.get(at) != Some(&text) {
                            return Err(format!("line {} is not {text:?}", at + 1));
                        }
                        if line.starts_with(' ') {
                            out.push_str(text);
                        }
                        at += 1;
                    }
                    b'+' => out.push_str(text),
                    _ => return Err(format!("unexpected line {line:?}")),
                }
                k += if open { 2 } else { 1 };
            }
        }
        out.extend(old_lines[at..].iter().copied());
        Ok(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// The patch applied to the older text gives the newer; where the unique lines keep
        /// their order it is byte for byte the text diff's, hunk labels included.
        #[test]
        fn unified_is_the_text_diffs_patch(old in document_lines(), new in document_lines()) {
            let patch = unified(&old, &new, "d.md");
            prop_assert_eq!(apply(&old, &patch), Ok(new.clone()), "{}", patch);
            if unique_lines_keep_their_order(&old, &new) {
                prop_assert_eq!(patch, reference_patch(&old, &new, "d.md"));
            }
        }

        /// Also when the newer text is the older one edited in a few places (long common runs).
        #[test]
        fn unified_matches_on_small_edits(old in document_lines(), at in 0usize..60, edit in document_lines()) {
            let lines: Vec<&str> = old.split_inclusive('\n').collect();
            let at = at.min(lines.len());
            let new = format!("{}{}{}", lines[..at].concat(), edit, lines[at..].iter().skip(1).copied().collect::<String>());
            let patch = unified(&old, &new, "d.md");
            prop_assert_eq!(apply(&old, &patch), Ok(new.clone()), "{}", patch);
            if unique_lines_keep_their_order(&old, &new) {
                prop_assert_eq!(patch, reference_patch(&old, &new, "d.md"));
            }
        }
    }

    #[test]
    fn a_crossing_of_unique_lines_keeps_one_side_and_the_patch_applies() {
        let (old, new) = ("# T\nfirst\nx\nsecond\n", "# T\nsecond\nx\nfirst\n");
        assert!(!unique_lines_keep_their_order(old, new));
        let patch = unified(old, new, "d.md");
        assert_eq!(apply(old, &patch), Ok(new.to_string()), "{patch}");
        // The check can fail: a patch adding something else does not give the newer text.
        assert!(apply(old, &patch.replace("\n+", "\n+!")) != Ok(new.to_string()));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_for_the_label_too() {
        // The patch splits at a lone \r; the label must count lines the same way, or a change
        // above "## Second" would be labelled with it.
        let old = "## First\nintro\ra\rb\rc\rd\n## Second\nx\n";
        let new = old.replace("b\r", "B\r");
        let patch = unified(old, &new, "d.md");
        assert!(patch.contains(" @@ ## First\n"), "{patch}");
    }

    const OLD: &str = "# Doc\nintro\n## A\none\ntwo\n## B\nthree\n## C\nfour\nfive\nsix\nseven\n";

    #[test]
    fn sections_split_at_headings_but_not_in_code() {
        let s = sections("# T\nx\n```\n# not a heading\n```\n## U\n");
        let titles: Vec<&str> = s.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["T", "U"]);
        assert!(s[0].body.contains("# not a heading"));
    }

    #[test]
    fn hunk_headers_name_the_section() {
        let new = OLD.replace("three\n", "three and a half\n");
        let d = unified(OLD, &new, ".specflow/docs/x.md");
        assert!(d.starts_with("diff --git a/.specflow/docs/x.md b/.specflow/docs/x.md\n--- a/"));
        assert!(d.contains("@@ -4,7 +4,7 @@ ## B\n"), "{d}");
        // A changed heading belongs to its own section.
        let renamed = OLD.replace("## C\n", "## Sea\n");
        assert!(
            unified(OLD, &renamed, "x").contains("@@ ## C\n") || unified(OLD, &renamed, "x").contains(" @@ ## C\n")
        );
        assert!(unified(OLD, OLD, "x").is_empty());
        // A line added at the end of a section belongs to that section, not the next one.
        let added = OLD.replace("two\n## B", "two\ntwo and a half\n## B");
        let d = unified(OLD, &added, "x");
        assert!(d.contains(" @@ ## A\n") && !d.contains("@@ ## B"), "{d}");
        // A section added after the last one is named by its own heading.
        let d = unified(OLD, &format!("{OLD}## D\nnew\n"), "x");
        assert!(d.contains(" @@ ## D\n"), "{d}");
        // A removed line is named by the section it was in.
        let d = unified(OLD, &OLD.replace("six\n", ""), "x");
        assert!(d.contains(" @@ ## C\n"), "{d}");
    }

    #[test]
    fn moved_renamed_added_removed_and_edited_sections() {
        // C moves before A (the fewest moves explain it), B is renamed, D is new, the intro edited.
        let new = "# Doc\nintro, edited\n## C\nfour\nfive\nsix\nseven\n## A\none\ntwo\n## Bee\nthree\n## D\nnew\n";
        let changes = section_changes(OLD, new);
        let status = |t: &str| changes.iter().find(|c| c.title == t).map(|c| c.status.clone()).unwrap();
        assert_eq!(status("Doc"), SectionStatus::Edited);
        assert_eq!(status("C"), SectionStatus::Moved, "{changes:#?}");
        assert_eq!(status("A"), SectionStatus::Unchanged);
        assert_eq!(status("Bee"), SectionStatus::Renamed { from: "B".into() });
        assert_eq!(status("D"), SectionStatus::Added);
        let removed = section_changes(OLD, "# Doc\nintro\n## A\none\ntwo\n## B\nthree\n");
        assert_eq!(removed.last().unwrap().status, SectionStatus::Removed);
        assert_eq!(removed.last().unwrap().title, "C");
    }

    #[test]
    fn changed_answers_are_set_changed_or_removed_ids() {
        let old = answers_table("[answers]\na = 1\nb = \"x\"\nc = [1, 2]\n").unwrap();
        let new = answers_table("schema = 1\n[answers]\nd = true\nc = [1, 2]\nb = \"y\"\n").unwrap();
        assert_eq!(changed_answers(&old, &new), ["d", "b", "a"]);
        assert!(changed_answers(&new, &new).is_empty());
        assert!(answers_table("").unwrap().is_empty());
        assert!(answers_table("[answers\n").is_err());
        assert!(answers_table("answers = 3\n").is_err());
        assert_eq!(line_counts("a\nb\nc\n", "a\nB\nc\nd\n"), (2, 1));
    }

    #[test]
    fn a_moved_section_counts_the_lines_changed_inside_it() {
        let old = "# D\n\n## A\n\none\ntwo\nthree\n\n## B\n\nfour\n";
        // B moves above A and loses nothing but its place; A's line changes where it stays.
        let new = "# D\n\n## B\n\nfour\n\n## A\n\none\nTWO\nthree\n";
        let changes = section_changes(old, new);
        let of = |t: &str| changes.iter().find(|c| c.title == t).unwrap().clone();
        assert_eq!(
            (of("A").status, of("A").added, of("A").removed),
            (SectionStatus::Edited, 1, 1)
        );
        let moved = of("B");
        assert_eq!((moved.status, moved.added, moved.removed), (SectionStatus::Moved, 0, 0));
        // Moved and edited inside: counted by what changed inside, still "moved".
        let new = "# D\n\n## B\n\nfour and five\n\n## A\n\none\ntwo\nthree\n";
        let changes = section_changes(old, new);
        let moved = changes.iter().find(|c| c.status == SectionStatus::Moved).unwrap();
        assert_eq!((moved.added, moved.removed, moved.describe().as_str()), (1, 1, "moved"));
        assert_eq!(inside("a\nb\n\n\n"), "a\nb\n");
        assert_eq!(inside("\n\n"), "");
        assert_eq!(inside("a"), "a");
    }

    #[test]
    fn a_split_section_reads_as_edited_plus_added() {
        let new = OLD.replace("## C\nfour\nfive\n", "## C\nfour\nfive\n## C2\n");
        let changes = section_changes(OLD, &new);
        assert!(
            changes
                .iter()
                .any(|c| c.title == "C" && c.status == SectionStatus::Edited)
        );
        assert!(
            changes
                .iter()
                .any(|c| c.title == "C2" && c.status == SectionStatus::Added)
        );
    }
}
