//! Draws the reviewer from `&ReviewModel`: title, section outline with badges, the diff pane
//! (unified or side by side, soft-wrapped, word emphasis), status line, footer and overlays.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::time::{Duration, Instant};

use super::model::{
    Focus, Fold, Layout, Level, Overlay, PickStep, ReviewModel, Row, SIDE_GUTTER, UNIFIED_GUTTER, label_fits,
    wrap_ranges,
};
use super::update::{context, same_person};
use crate::core::diff::SectionStatus;
use crate::core::diff::compare::{Comparison, DiffLine, LineTag, heading_label};
use crate::core::diff::words::Emphasis;
use crate::core::fsio::DOCS_PREFIX;
use crate::core::review::{Placement, Verdict};
use crate::core::sanitize::{sanitize, sanitize_line};
use crate::core::wrap::{self, fit, wrap};
use crate::tui::keymap;
use crate::tui::theme::Theme;
use crate::tui::ui::overlay::centered;

/// Smallest screen the reviewer draws on.
pub const MIN_SIZE: (u16, u16) = (40, 8);

pub fn draw(frame: &mut Frame, model: &ReviewModel) {
    draw_screen(frame, model);
    // Whatever a widget left in the terminal's colours gets the theme's.
    model.theme.fill_defaults(frame.buffer_mut());
}

fn draw_screen(frame: &mut Frame, model: &ReviewModel) {
    let area = frame.area();
    let t = &model.theme;
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = format!(
            "Enlarge the window: the reviewer needs {}×{} (now {}×{}). q quits.",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        );
        let lines = wrap(&text, usize::from(area.width.max(1)));
        frame.render_widget(
            Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()).style(t.warning),
            area,
        );
        return;
    }
    let panes = model.panes();
    title(frame, panes.title, model);
    if let Some(outline_area) = panes.outline {
        outline(frame, outline_area, model);
    }
    diff(frame, panes.diff, model);
    status(frame, panes.status, model);
    footer(frame, panes.footer, model);
    overlay(frame, area, model);
}

fn title(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let name = model.document.strip_prefix(DOCS_PREFIX).unwrap_or(&model.document);
    let (added, removed) = model.comparison.totals();
    let counts = format!("+{added} −{removed}");
    let who = format!("  as {} ", sanitize(&model.reviewer).replace('\n', " "));
    let width = usize::from(area.width);
    let compared = format!(" {}  {} → {}", sanitize(name), model.older.label, model.newer.label);
    // The reviewer's name stays in view: it is who the next note or decision is recorded as.
    let room = width.saturating_sub(8 + counts.chars().count() + 2 + who.chars().count());
    let line = Line::from(vec![
        Span::styled(" Review ", t.title),
        Span::styled(fit(&compared, room), t.text),
        Span::styled("  ", t.text),
        Span::styled(format!("+{added}"), t.added),
        Span::styled(" ", t.text),
        Span::styled(format!("−{removed}"), t.removed),
        Span::styled(fit(&who, width.saturating_sub(8 + counts.chars().count() + 2)), t.key),
    ]);
    frame.render_widget(Paragraph::new(line).style(t.status_bar), area);
}

/// The badge of a section: a mark that reads without colour, and its style.
fn badge(t: &Theme, status: &SectionStatus) -> Style {
    match status {
        SectionStatus::Unchanged => t.muted,
        SectionStatus::Edited => t.changed,
        SectionStatus::Added => t.added,
        SectionStatus::Removed => t.removed,
        SectionStatus::Moved | SectionStatus::Renamed { .. } => t.info,
    }
}

fn outline(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let (viewed, total) = model.progress();
    let block = Block::default()
        .borders(Borders::RIGHT)
        .border_style(t.border)
        .title(Span::styled(format!(" Sections · {viewed}/{total} viewed "), t.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let here = model.current_section();
    let height = usize::from(inner.height);
    let count = model.comparison.sections.len();
    let first = here.saturating_sub(height / 2).min(count.saturating_sub(height));
    let mut lines = Vec::new();
    for (k, s) in model.comparison.sections.iter().enumerate().skip(first).take(height) {
        let c = &s.change;
        let counts = match c.status {
            SectionStatus::Unchanged => String::new(),
            _ => format!(" +{} −{}", c.added, c.removed),
        };
        let indent = "  ".repeat(usize::from(c.level.saturating_sub(1)).min(4));
        let name = if c.level == 0 {
            "(before the first heading)".to_string()
        } else {
            sanitize(&c.title).into_owned()
        };
        let tick = if model.viewed[k] { "✓" } else { " " };
        let room = width.saturating_sub(indent.len() + 4 + counts.chars().count());
        let mut spans = vec![
            Span::styled(tick, t.ok),
            Span::styled(format!("{} ", c.mark()), badge(t, &c.status)),
            Span::raw(indent),
            Span::styled(
                fit(&name, room),
                if c.status == SectionStatus::Unchanged {
                    t.muted
                } else {
                    t.text
                },
            ),
            Span::styled(counts, t.muted),
        ];
        if k == here {
            for span in &mut spans {
                span.style = span.style.patch(t.focus);
            }
        }
        lines.push(Line::from(spans));
    }
    crate::tui::ui::lines_into(frame, inner, &lines);
}

fn number(n: Option<usize>) -> String {
    n.map_or_else(|| "    ".to_string(), |n| format!("{:>4}", n + 1))
}

fn mark(tag: LineTag) -> &'static str {
    match tag {
        LineTag::Equal => " ",
        LineTag::Delete => "-",
        LineTag::Insert => "+",
    }
}

fn line_style(t: &Theme, tag: LineTag) -> Style {
    match tag {
        LineTag::Equal => t.text,
        // Struck-through prose is hard to read; the `-` mark and the side already say it.
        LineTag::Delete => t.removed.remove_modifier(Modifier::CROSSED_OUT),
        LineTag::Insert => t.added,
    }
}

/// One diff line's text, wrapped to `width`, as screen lines of styled spans. The last removed
/// and the last added line of a reflowed or whitespace-only block say so, on a screen line of
/// their own when the last one has no room.
fn text_lines<'a>(model: &ReviewModel, line: &DiffLine, width: usize) -> Vec<Vec<Span<'a>>> {
    let t = &model.theme;
    let text = model.comparison.text(line);
    let (emphasis, _) = model.emphasis_of(line);
    let label = model.label_of(line);
    let base = if label.is_some() {
        line_style(t, line.tag).add_modifier(Modifier::DIM)
    } else {
        line_style(t, line.tag)
    };
    let strong = base.add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let ranges = wrap_ranges(text, width);
    let last = ranges.last().cloned().unwrap_or(0..0);
    let mut out = Vec::with_capacity(ranges.len() + 1);
    for range in ranges {
        out.push(styled_segment(text, range, emphasis, base, strong));
    }
    if let Some(label) = label.filter(|_| model.carries_label(line)) {
        let tag = Span::styled(format!("({label})"), t.muted);
        if label_fits(&text[last], label, width) {
            if let Some(spans) = out.last_mut() {
                spans.push(Span::raw("  "));
                spans.push(tag);
            }
        } else {
            out.push(vec![tag]);
        }
    }
    out
}

/// Splits `text[range]` into spans at the emphasis boundaries.
fn styled_segment<'a>(
    text: &str,
    range: Range<usize>,
    emphasis: &[Range<usize>],
    base: Style,
    strong: Style,
) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let mut at = range.start;
    let clean = |s: &str| sanitize(s).replace('\t', " ");
    for e in emphasis {
        let (s, end) = (e.start.max(range.start), e.end.min(range.end));
        if s >= end {
            continue;
        }
        if s > at {
            spans.push(Span::styled(clean(&text[at..s]), base));
        }
        spans.push(Span::styled(clean(&text[s..end]), strong));
        at = end;
    }
    if at < range.end {
        spans.push(Span::styled(clean(&text[at..range.end]), base));
    }
    spans
}

fn diff(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    let text_width = model.text_width();
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    let range = model.visible_rows();
    for k in range {
        let row = model.rows[k];
        let selected = k == model.cursor;
        let cursor = if selected { "▶" } else { " " };
        let mut row_lines: Vec<Line> = match row {
            Row::Header { section } => vec![header(model, section, cursor, width)],
            Row::Gap { hidden, .. } => vec![Line::from(vec![
                Span::styled(cursor, t.key),
                Span::styled(
                    format!(
                        "{:>width$}⋯ {hidden} unchanged line{} (Enter shows them)",
                        "",
                        if hidden == 1 { "" } else { "s" },
                        width = UNIFIED_GUTTER - 3
                    ),
                    t.muted,
                ),
            ])],
            Row::Outdated { count } => vec![Line::from(vec![
                Span::styled(cursor, t.key),
                Span::styled(
                    fit(
                        &format!(
                            " ✎ {count} outdated note{}: {} line{} in neither revision shown any more",
                            if count == 1 { "" } else { "s" },
                            if count == 1 { "its" } else { "their" },
                            if count == 1 { " is" } else { "s are" },
                        ),
                        width.saturating_sub(1),
                    ),
                    t.warning,
                ),
            ])],
            Row::NoNewline { older, .. } => no_newline_line(model, older, cursor, text_width),
            Row::Note { note, .. } => note_lines(model, note, cursor),
            Row::Line { section, line } => {
                let l = model.comparison.sections[section].lines[line];
                let gutter = format!("{} {} {} ", number(l.old()), number(l.new()), mark(l.tag));
                text_lines(model, &l, text_width)
                    .into_iter()
                    .enumerate()
                    .map(|(n, spans)| {
                        let mut out = vec![Span::styled(if n == 0 { cursor } else { " " }, t.key)];
                        if n == 0 {
                            out.push(Span::styled(gutter.clone(), line_style(t, l.tag).patch(t.muted)));
                        } else {
                            out.push(Span::raw(" ".repeat(UNIFIED_GUTTER - 1)));
                        }
                        out.extend(spans);
                        Line::from(out)
                    })
                    .collect()
            }
            Row::Pair { section, old, new } => pair_lines(model, section, old, new, selected, text_width),
        };
        if selected && t.highlight != Style::new() {
            for l in &mut row_lines {
                l.style = t.highlight;
            }
        }
        let skip = if k == model.top { model.top_skip } else { 0 };
        lines.extend(row_lines.into_iter().skip(skip));
        if lines.len() >= height {
            break;
        }
    }
    if model.rows.is_empty() || model.comparison.is_equal() {
        lines.push(Line::from(Span::styled(
            "   The two sides are the same: no differences.",
            t.muted,
        )));
    }
    lines.truncate(height);
    crate::tui::ui::lines_into(frame, area, &lines);
}

/// The row under a text's last line that says the text has no newline at its end.
fn no_newline_line<'a>(model: &ReviewModel, older: bool, cursor: &'a str, text_width: usize) -> Vec<Line<'a>> {
    let t = &model.theme;
    let side = if older { &model.older.label } else { &model.newer.label };
    let text = format!("\\ no newline at the end of {side}");
    let mut spans = vec![Span::styled(cursor, t.key)];
    match model.layout() {
        Layout::Unified => spans.push(Span::raw(" ".repeat(UNIFIED_GUTTER - 1))),
        Layout::SideBySide if older => spans.push(Span::raw(" ".repeat(SIDE_GUTTER - 1))),
        Layout::SideBySide => spans.push(Span::raw(" ".repeat(2 * SIDE_GUTTER + text_width))),
    }
    spans.push(Span::styled(fit(&text, text_width), t.warning));
    vec![Line::from(spans)]
}

fn header<'a>(model: &ReviewModel, section: usize, cursor: &'a str, width: usize) -> Line<'a> {
    let t = &model.theme;
    let s = &model.comparison.sections[section];
    let c = &s.change;
    let folded = model.folds[section] == Fold::Folded;
    let fold = if folded { "▸" } else { "▾" };
    let level = usize::from(c.level.saturating_sub(1)).min(2);
    let mut detail = match c.status {
        SectionStatus::Unchanged => {
            let lines = s.new_lines.as_ref().map_or(0, std::ops::Range::len);
            format!("unchanged · {lines} line{}", if lines == 1 { "" } else { "s" })
        }
        _ => format!("{} · +{} −{}", c.describe(), c.added, c.removed),
    };
    // A folded section says how many notes it holds: Enter opens it, ' goes to the next.
    let notes = if folded { model.notes_in(section) } else { 0 };
    if notes > 0 {
        let _ = write!(detail, " · ✎ {notes} note{}", if notes == 1 { "" } else { "s" });
    }
    if model.viewed[section] {
        detail.push_str(" · ✓ viewed");
    }
    let label = sanitize(&heading_label(s)).into_owned();
    let room = width.saturating_sub(detail.chars().count() + 8);
    Line::from(vec![
        Span::styled(cursor, t.key),
        Span::styled(format!("{fold} "), t.muted),
        Span::styled(
            fit(&label, room),
            if c.status == SectionStatus::Unchanged {
                t.muted
            } else {
                t.heading[level]
            },
        ),
        Span::raw("  "),
        Span::styled(format!("{} ", c.mark()), badge(t, &c.status)),
        Span::styled(detail, badge(t, &c.status)),
    ])
}

fn note_lines<'a>(model: &ReviewModel, note: usize, cursor: &'a str) -> Vec<Line<'a>> {
    let t = &model.theme;
    let Some(shown) = model.notes.get(note) else {
        return Vec::new();
    };
    let style = if shown.pending() {
        t.warning
    } else if shown.resolved() {
        t.muted
    } else if shown.outdated() {
        t.warning.add_modifier(Modifier::DIM)
    } else {
        t.info
    };
    let (indent, width) = model.note_area(shown);
    let mut out = Vec::new();
    for text in shown.screen_lines(width) {
        out.push(Line::from(vec![
            Span::styled(if out.is_empty() { cursor } else { " " }, t.key),
            Span::raw(" ".repeat(indent)),
            Span::styled(text, style),
        ]));
    }
    out
}

/// Cuts or pads `spans` to exactly `width` columns, so what follows always starts in the same
/// column.
fn to_width(spans: Vec<Span<'_>>, width: usize) -> Vec<Span<'_>> {
    let mut out = Vec::with_capacity(spans.len() + 1);
    let mut used = 0;
    for span in spans {
        let w = span.width();
        if used + w <= width {
            used += w;
            out.push(span);
            continue;
        }
        let kept = fit_columns(&span.content, width - used);
        used += unicode_width::UnicodeWidthStr::width(kept.as_str());
        out.push(Span::styled(kept, span.style));
        break;
    }
    if used < width {
        out.push(Span::raw(" ".repeat(width - used)));
    }
    out
}

/// The longest start of `text` at most `width` columns wide.
fn fit_columns(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect()
}

fn pair_lines<'a>(
    model: &ReviewModel,
    section: usize,
    old: Option<usize>,
    new: Option<usize>,
    selected: bool,
    text_width: usize,
) -> Vec<Line<'a>> {
    let t = &model.theme;
    let lines = &model.comparison.sections[section].lines;
    let side = |k: Option<usize>, older: bool| -> Vec<Vec<Span<'a>>> {
        let Some(k) = k else { return Vec::new() };
        let l = lines[k];
        let (no, tag) = if older {
            (
                l.old(),
                if l.tag == LineTag::Equal {
                    LineTag::Equal
                } else {
                    LineTag::Delete
                },
            )
        } else {
            (
                l.new(),
                if l.tag == LineTag::Equal {
                    LineTag::Equal
                } else {
                    LineTag::Insert
                },
            )
        };
        // On the older side an unchanged line shows its older text.
        let shown = DiffLine::of(
            tag,
            if older { l.old() } else { None },
            if older { None } else { l.new() },
            l.block(),
        );
        let gutter = format!("{} {} ", number(no), mark(tag));
        text_lines(model, &shown, text_width)
            .into_iter()
            .enumerate()
            .map(|(n, mut spans)| {
                let g = if n == 0 {
                    Span::styled(gutter.clone(), line_style(t, tag).patch(t.muted))
                } else {
                    Span::raw(" ".repeat(SIDE_GUTTER - 1))
                };
                spans.insert(0, g);
                spans
            })
            .collect()
    };
    let left = side(old, true);
    let right = side(new, false);
    let height = left.len().max(right.len()).max(1);
    // The cursor mark sits on the side a note would go on.
    let on_older = selected && (model.focus == Focus::Older && old.is_some() || new.is_none());
    let (left_mark, right_mark) = match (selected, on_older) {
        (false, _) => (" ", " "),
        (true, true) => ("▶", " "),
        (true, false) => (" ", "▶"),
    };
    let half = SIDE_GUTTER - 1 + text_width;
    (0..height)
        .map(|n| {
            let first = n == 0;
            let mut spans = vec![Span::styled(if first { left_mark } else { " " }, t.key)];
            spans.extend(to_width(left.get(n).cloned().unwrap_or_default(), half));
            spans.push(Span::styled("│", t.border));
            spans.push(Span::styled(if first { right_mark } else { " " }, t.key));
            spans.extend(to_width(right.get(n).cloned().unwrap_or_default(), half));
            Line::from(spans)
        })
        .collect()
}

/// Parts of the status line, most useful first: the review state, the gate, the notes, the
/// hunk counter, viewed sections, the layout. Parts that do not fit are dropped whole.
fn status_parts(model: &ReviewModel) -> Vec<String> {
    let layout = match model.layout() {
        Layout::Unified => "unified",
        Layout::SideBySide => "side by side",
    };
    let (here, hunks) = model.hunk_counter();
    let (viewed, total) = model.progress();
    let (notes, pending, outdated, _) = model.note_counts();
    let review = if model.review.is_empty() {
        "not reviewed".to_string()
    } else {
        sanitize_line(&model.review).into_owned()
    };
    let mut parts = vec![review];
    if model.newer.number.is_some() {
        parts.push(model.gate.short());
    }
    if pending > 0 {
        parts.push(format!("{pending} note{} waiting", if pending == 1 { "" } else { "s" }));
    }
    if notes > pending {
        let recorded = notes - pending;
        let mut part = format!("✎ {recorded}");
        if outdated > 0 {
            let _ = write!(part, " ({outdated} outdated)");
        }
        parts.push(part);
    }
    parts.push(format!("hunk {here}/{hunks}"));
    parts.push(format!("{viewed}/{total} viewed"));
    parts.push(layout.to_string());
    parts
}

/// The longest start of `text` made of whole words that fits in `width` columns, with `…` when
/// words were left out.
fn whole_words(text: &str, width: usize) -> String {
    if wrap::width(text) <= width {
        return text.to_string();
    }
    // The first line the one wrapping gives, a column kept for the ellipsis; a word wider than
    // that whole room is not shown cut.
    match wrap::lines(text, width.saturating_sub(1)).first() {
        // Broken between words (a space, or beside a wide character), not inside one.
        Some(first)
            if !first.is_empty()
                && text[first.end..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || !c.is_ascii()) =>
        {
            format!("{}…", &text[first.clone()])
        }
        _ => String::new(),
    }
}

fn status(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let (text, style) = match &model.notice {
        Some((Level::Error, text)) => (text.clone(), t.error),
        Some((Level::Warning, text)) => (text.clone(), t.warning),
        Some((Level::Info, text)) => (text.clone(), t.info),
        None => (String::new(), t.text),
    };
    let width = usize::from(area.width);
    let notice = sanitize(&text).replace('\n', " ");
    let parts = status_parts(model);
    // Always said: the review state (its verdict at least) and the notes not yet recorded
    // (they would be lost on quitting). Then the notice (what just happened), then as many
    // whole parts as fit, in order.
    let waiting = parts.iter().position(|p| p.ends_with("waiting"));
    let full = parts.first().cloned().unwrap_or_default();
    let short = full.split(" by ").next().unwrap_or_default().to_string();
    let reserved = waiting.map_or(0, |k| wrap::width(&parts[k]) + 3) + wrap::width(&short) + 3;
    let left = whole_words(&notice, width.saturating_sub(2 + reserved));
    let mut room = width.saturating_sub(wrap::width(&left) + 3 + reserved);
    let mut kept = vec![false; parts.len()];
    let mut shown = parts.clone();
    if let Some(first) = shown.first_mut() {
        kept[0] = true;
        let extra = wrap::width(&full) - wrap::width(&short);
        if extra <= room {
            room -= extra;
        } else {
            first.clone_from(&short);
        }
    }
    for (k, part) in parts.iter().enumerate().skip(1) {
        let w = wrap::width(part) + 3;
        if Some(k) == waiting {
            kept[k] = true;
        } else if w <= room {
            room -= w;
            kept[k] = true;
        }
    }
    let kept: Vec<&str> = shown
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(p, _)| p.as_str())
        .collect();
    let right = if kept.is_empty() {
        String::new()
    } else {
        format!("{} ", kept.join(" · "))
    };
    // On a very narrow screen even the parts always said are cut, by whole words.
    let right = whole_words(&right, width.saturating_sub(1 + wrap::width(&left)));
    let pad = width.saturating_sub(1 + wrap::width(&left) + wrap::width(&right));
    let line = Line::from(vec![
        Span::styled(format!(" {left}"), style),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, t.muted),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The reviewer's footer keeps these first, in this order, when the width is short: choosing
/// revisions, a note, the two decisions and help (what a review cannot do without).
const FOOTER_FIRST: &[keymap::Action] = &[
    keymap::Action::Help,
    keymap::Action::AddNote,
    keymap::Action::Approve,
    keymap::Action::RequestChanges,
    keymap::Action::PickRevisions,
    keymap::Action::NextHunk,
    keymap::Action::NextSection,
    keymap::Action::MarkViewed,
    keymap::Action::Quit,
];

/// The footer's keys that fit in `width`: the most needed first, shown in the table's order.
pub fn footer_keys(context: keymap::Context, width: usize) -> Vec<(String, &'static str)> {
    let all = keymap::footer_with(context, false);
    let action_of = |keys: &str| {
        keymap::bindings()
            .iter()
            .find(|b| b.context == context && b.chords.first().map(keymap::Chord::label).as_deref() == Some(keys))
            .map(|b| b.action)
    };
    let rank = |keys: &str| {
        action_of(keys)
            .and_then(|a| FOOTER_FIRST.iter().position(|f| *f == a))
            .unwrap_or(FOOTER_FIRST.len())
    };
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_cached_key(|&i| rank(&all[i].0));
    let mut kept = vec![false; all.len()];
    let mut used = 0;
    for i in order {
        let (keys, help) = &all[i];
        let piece = keys.chars().count() + help.chars().count() + 3;
        if used + piece <= width {
            used += piece;
            kept[i] = true;
        }
    }
    all.into_iter()
        .zip(kept)
        .filter(|(_, k)| *k)
        .map(|(entry, _)| entry)
        .collect()
}

fn footer(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let mut spans = Vec::new();
    for (keys, help) in footer_keys(context(model), usize::from(area.width)) {
        spans.push(Span::styled(format!(" {keys}"), t.key));
        spans.push(Span::styled(format!(" {help} "), t.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(t.status_bar), area);
}

/// The changed sections of a comparison as plain lines for a pane `width` wide: each section's
/// heading with its badge, then its hunks (unified, word emphasis refined within `budget`),
/// unchanged stretches between hunks folded. The interview's F2 pane draws this.
pub fn changes_lines(c: &Comparison, t: &Theme, width: usize, budget: Duration) -> Vec<Line<'static>> {
    let deadline = Instant::now() + budget;
    let text_width = width.saturating_sub(7).max(8);
    let mut out = Vec::new();
    for s in c.sections.iter().filter(|s| s.is_changed()) {
        let ch = &s.change;
        let label = sanitize(&heading_label(s)).into_owned();
        let detail = format!("  {} {} · +{} −{}", ch.mark(), ch.describe(), ch.added, ch.removed);
        out.push(Line::from(vec![
            Span::styled(fit(&label, width.saturating_sub(detail.chars().count())), t.heading[1]),
            Span::styled(detail, badge(t, &ch.status)),
        ]));
        let mut refined: HashMap<usize, Emphasis> = HashMap::new();
        let from = s.first_shown();
        let mut at = from;
        for hunk in &s.hunks {
            let hunk = &(hunk.start.max(from)..hunk.end);
            if hunk.start > at {
                out.push(Line::from(Span::styled(
                    format!("     ⋯ {} unchanged", hunk.start - at),
                    t.muted,
                )));
            }
            for line in &s.lines[hunk.clone()] {
                if let Some(id) = line.block() {
                    refined.entry(id).or_insert_with(|| c.refine(id, Some(deadline)));
                }
                let text = c.text(line);
                let ranges = line
                    .block()
                    .and_then(|id| refined.get(&id))
                    .map_or(&[][..], |e| c.line_emphasis(e, line));
                let base = line_style(t, line.tag);
                let strong = base.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                let number = match line.tag {
                    LineTag::Delete => line.old(),
                    _ => line.new(),
                };
                for (k, range) in wrap::lines(text, text_width).into_iter().enumerate() {
                    let gutter = if k == 0 {
                        format!("{} {} ", self::number(number), mark(line.tag))
                    } else {
                        " ".repeat(7)
                    };
                    let mut spans = vec![Span::styled(gutter, base.patch(t.muted))];
                    spans.extend(styled_segment(text, range, ranges, base, strong));
                    out.push(Line::from(spans));
                }
            }
            at = hunk.end;
        }
    }
    out
}

/// Lines of the note editor.
const NOTE_LINES: usize = 4;

/// Draws `lines` in a bordered box centred in `area`; returns the box's inside.
fn boxed(frame: &mut Frame, area: Rect, t: &Theme, title: &str, lines: Vec<Line>, width: u16) -> Rect {
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), t.title))
        .border_style(t.border_focus);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
    inner
}

fn overlay(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let width = area.width.saturating_sub(6).min(96);
    let inner = usize::from(width.saturating_sub(2));
    let para = |text: &str, style: Style| -> Vec<Line<'static>> {
        wrap(&sanitize(text), inner)
            .into_iter()
            .map(|l| Line::from(Span::styled(l.to_string(), style)))
            .collect()
    };
    let room = usize::from(area.height.saturating_sub(4));
    match &model.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => {
            let mut lines = Vec::new();
            let mut last = None;
            for b in keymap::bindings().iter().filter(|b| b.context.is_review()) {
                if last != Some(b.context) {
                    if last.is_some() {
                        lines.push(Line::from(""));
                    }
                    lines.push(Line::from(Span::styled(b.context.title(), t.title)));
                    last = Some(b.context);
                }
                let keys = b.chords.iter().map(keymap::Chord::label).collect::<Vec<_>>().join(", ");
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<18}"), t.key),
                    Span::styled(b.help.to_string(), t.text),
                ]));
            }
            let top = usize::from(*scroll).min(lines.len().saturating_sub(room));
            let shown: Vec<Line> = lines.into_iter().skip(top).take(room).collect();
            boxed(frame, area, t, "Reviewer keys · Esc closes · ↑↓ scroll", shown, width);
        }
        Some(Overlay::Alert { lines: text }) => {
            let mut lines = Vec::new();
            for p in text {
                lines.extend(para(p, t.warning));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled("Enter or Esc: go on", t.muted)));
            boxed(frame, area, t, "Review gate", lines, width);
        }
        Some(Overlay::Revisions { step, cursor }) => revisions(frame, area, model, *step, *cursor),
        Some(Overlay::Note { at, quote, .. }) => {
            let mut lines = para(&format!("On {at}, as {}", model.reviewer), t.muted);
            lines.extend(para(quote, t.muted.add_modifier(Modifier::ITALIC)));
            lines.push(Line::from(""));
            let editor_top = lines.len();
            // Room for the text, which the text area draws over these blank lines.
            let editor_lines = NOTE_LINES.min(usize::from(area.height.saturating_sub(12)).max(2));
            lines.extend(std::iter::repeat_n(Line::from(""), editor_lines));
            lines.push(Line::from(""));
            lines.extend(para(
                "Ctrl-S keeps the note · Enter starts a new line · Esc closes and keeps what is written",
                t.muted,
            ));
            let inner_rect = boxed(frame, area, t, "Note", lines, width);
            let editor = Rect {
                y: inner_rect.y + u16::try_from(editor_top).unwrap_or(0),
                height: u16::try_from(editor_lines)
                    .unwrap_or(1)
                    .min(inner_rect.height.saturating_sub(2)),
                ..inner_rect
            };
            let mut shown = model.note_editor.clone();
            shown.set_style(t.text);
            shown.set_cursor_style(t.focus);
            frame.render_widget(&shown, editor);
        }
        Some(Overlay::Decide { approve, warnings }) => {
            let lines = decide_lines(model, *approve, warnings, &para);
            let title = match (*approve, model.gate.next_request()) {
                (true, _) => "Approve",
                (false, Verdict::Escalated) => "Escalate",
                (false, _) => "Request changes",
            };
            boxed(frame, area, t, title, lines, width);
        }
        Some(Overlay::DeleteNote { index }) => {
            let mut lines = para("Delete this note? It is not recorded, so it will be gone.", t.text);
            if let Some(n) = model.notes.get(*index) {
                for l in n.note.text.lines().take(6) {
                    lines.extend(para(&format!("  {l}"), t.warning));
                }
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "Enter or y deletes it · Esc keeps it",
                t.muted,
            )));
            boxed(frame, area, t, "Delete your note", lines, width);
        }
        Some(Overlay::Reviewer) => {
            let mut lines = para(
                &format!(
                    "Who is reviewing? Now {} ({}). Notes and decisions from now on carry the name typed here; notes already written keep theirs.",
                    model.reviewer, model.reviewer_origin
                ),
                t.text,
            );
            lines.push(Line::from(""));
            let editor_top = lines.len();
            lines.push(Line::from(""));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "Enter: review under this name · Esc: keep the name",
                t.muted,
            )));
            let inner_rect = boxed(frame, area, t, "Reviewer", lines, width);
            let editor = Rect {
                y: inner_rect.y + u16::try_from(editor_top).unwrap_or(0),
                height: 1,
                ..inner_rect
            };
            let mut shown = model.name_editor.clone();
            shown.set_style(t.text);
            shown.set_cursor_style(t.focus);
            frame.render_widget(&shown, editor);
        }
        Some(Overlay::History { scroll }) => {
            let mut lines = Vec::new();
            match model.newer.number {
                Some(n) => lines.extend(para(&format!("Decisions on revision {n}, oldest first:"), t.text)),
                None => lines.extend(para(
                    "The file on disk has no decisions: they go on saved revisions.",
                    t.text,
                )),
            }
            if model.decisions.is_empty() && model.newer.number.is_some() {
                lines.extend(para("  none yet", t.muted));
            }
            for d in &model.decisions {
                let style = match d.verdict {
                    Verdict::Approved => t.ok,
                    Verdict::ChangesRequested => t.warning,
                    Verdict::Escalated => t.error,
                };
                lines.extend(para(&format!("• {}", d.describe()), style));
                for n in &d.notes {
                    let first = n.text.lines().next().unwrap_or_default();
                    let text = sanitize(&format!("✎ {}: {first}", n.author)).replace('\t', " ");
                    lines.push(Line::from(vec![
                        Span::raw("    "),
                        Span::styled(fit(&text, inner.saturating_sub(4)), t.muted),
                    ]));
                }
            }
            lines.push(Line::from(""));
            lines.extend(para(&model.gate.describe(), t.info));
            let top = usize::from(*scroll).min(lines.len().saturating_sub(room));
            let shown: Vec<Line> = lines.into_iter().skip(top).take(room).collect();
            boxed(frame, area, t, "History · Esc closes · ↑↓ scroll", shown, width);
        }
    }
}

/// What the confirmation of a decision says: what it records and as whom, what to know first,
/// the last decision and the gate, and the notes that go with it.
fn decide_lines(
    model: &ReviewModel,
    approve: bool,
    warnings: &[String],
    para: &dyn Fn(&str, Style) -> Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let t = &model.theme;
    let pending: Vec<_> = model.notes.iter().filter(|n| n.pending()).collect();
    let revision = model.newer.label.clone();
    let document = model.document.strip_prefix(DOCS_PREFIX).unwrap_or(&model.document);
    let who = &model.reviewer;
    let mut lines = if approve {
        para(&format!("Approve {revision} of {document} as {who}?"), t.text)
    } else if model.gate.next_request() == Verdict::Escalated {
        para(&format!("Escalate {revision} of {document} as {who}?"), t.text)
    } else {
        para(
            &format!("Request changes to {revision} of {document} as {who}?"),
            t.text,
        )
    };
    lines.extend(para(
        &format!(
            "The name comes {}; to record under another, Esc and then w.",
            model.reviewer_origin
        ),
        t.muted,
    ));
    for w in warnings {
        lines.extend(para(&format!("⚠ {w}"), t.warning));
    }
    if let Some(last) = model.decisions.last() {
        let by_you = same_person(&last.reviewer, &model.reviewer);
        lines.extend(para(
            &format!(
                "Last decision{}: {}.",
                if by_you { " (yours)" } else { "" },
                last.describe()
            ),
            t.muted,
        ));
    }
    if approve {
        lines.extend(para(&model.gate.describe(), t.muted));
    } else if warnings.is_empty() {
        // An escalation says it among the warnings already.
        lines.extend(para(&model.gate.before_request(), t.info));
    }
    lines.push(Line::from(""));
    if pending.is_empty() {
        lines.extend(para("No notes go with it.", t.muted));
    }
    for n in pending.iter().take(6) {
        let place = n.note.anchor.path.last().map_or("top", String::as_str);
        let side = match n.place {
            Placement::Old(_) => " (older side)",
            _ => "",
        };
        let first = n.note.text.lines().next().unwrap_or_default();
        lines.extend(para(&format!("✎ {place}{side}: {first}"), t.warning));
    }
    if pending.len() > 6 {
        lines.extend(para(&format!("… and {} more", pending.len() - 6), t.muted));
    }
    lines.push(Line::from(""));
    let keys = if warnings.is_empty() {
        "Enter records it · Esc cancels (your notes stay)"
    } else {
        "y records it even so · Esc cancels (your notes stay)"
    };
    lines.push(Line::from(Span::styled(keys, t.muted)));
    lines
}

fn revisions(frame: &mut Frame, area: Rect, model: &ReviewModel, step: PickStep, cursor: usize) {
    let t = &model.theme;
    let width = area.width.saturating_sub(4).min(110);
    let inner = usize::from(width.saturating_sub(2));
    let heading = match step {
        PickStep::Older => "Choose the older revision".to_string(),
        PickStep::Newer { older } => format!(
            "Compare {} with which newer revision?",
            older.map_or("the file on disk".to_string(), |n| format!("revision {n}"))
        ),
    };
    let mut lines = vec![
        Line::from(Span::styled(heading, t.text)),
        Line::from(Span::styled(
            fit(
                &format!(
                    "{:>4}  {:20}  {:16}  {:>11}  {:24}  ANSWERS CHANGED",
                    "REV", "TIME", "AUTHOR", "LINES", "REVIEW"
                ),
                inner,
            ),
            t.muted,
        )),
    ];
    let room = usize::from(area.height.saturating_sub(6)).max(1);
    let top = cursor.saturating_sub(room.saturating_sub(1));
    for (k, item) in model.picker_items().into_iter().enumerate().skip(top).take(room) {
        let style = if k == cursor { t.focus } else { t.text };
        let Some(r) = item.and_then(|n| model.revisions.iter().find(|r| r.number == n)) else {
            let row = format!("disk  the file on disk: {}", model.disk.as_deref().unwrap_or(""));
            lines.push(Line::from(Span::styled(fit(&sanitize(&row), inner), style)));
            continue;
        };
        // Times, names, reviews and answer ids come from files: each is cleaned before it is
        // measured, so the columns line up.
        let row = format!(
            "{:>4}  {:20}  {:16}  {:>11}  {:24}  {}",
            r.number,
            sanitize_line(&r.time),
            fit(&sanitize_line(&r.author), 16),
            r.lines.map_or_else(|| "?".to_string(), |(a, d)| format!("+{a} −{d}")),
            fit(&sanitize_line(&r.review), 24),
            sanitize_line(&r.changed_answers)
        );
        lines.push(Line::from(Span::styled(fit(&row, inner), style)));
    }
    lines.push(Line::from(Span::styled("↑↓ move · Enter choose · Esc cancel", t.muted)));
    boxed(frame, area, t, "Revisions", lines, width);
}
