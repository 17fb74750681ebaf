//! Draws the reviewer from `&ReviewModel`: title, section outline with badges, the diff pane
//! (unified or side by side, soft-wrapped, word emphasis), status line, footer and overlays.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};

use super::model::{
    Fold, Layout, Level, NOTE_INDENT, Overlay, PickStep, ReviewModel, Row, SIDE_GUTTER, UNIFIED_GUTTER,
};
use super::update::context;
use crate::core::diff::SectionStatus;
use crate::core::diff::compare::{Comparison, DiffLine, LineTag, heading_label};
use crate::core::diff::words::Emphasis;
use crate::core::fsio::DOCS_PREFIX;
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
    let text = format!(" {}  {} → {} ", sanitize(name), model.older.label, model.newer.label);
    let (added, removed) = model.comparison.totals();
    let line = Line::from(vec![
        Span::styled(" Review ", t.title),
        Span::styled(fit(&text, usize::from(area.width).saturating_sub(20)), t.text),
        Span::styled(format!("+{added}"), t.added),
        Span::styled(" ", t.text),
        Span::styled(format!("−{removed}"), t.removed),
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
    frame.render_widget(Paragraph::new(lines), inner);
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

/// One diff line's text, wrapped to `width`, as screen lines of styled spans.
fn text_lines<'a>(model: &ReviewModel, line: &DiffLine, width: usize) -> Vec<Vec<Span<'a>>> {
    let t = &model.theme;
    let text = model.comparison.text(line);
    let (emphasis, label) = model.emphasis_of(line);
    let base = if label.is_some() {
        line_style(t, line.tag).add_modifier(Modifier::DIM)
    } else {
        line_style(t, line.tag)
    };
    let strong = base.add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let ranges = wrap::lines(text, width);
    let mut out = Vec::with_capacity(ranges.len());
    for range in ranges {
        out.push(styled_segment(text, range, emphasis, base, strong));
    }
    // Say why an unemphasised change looks the way it does, where there is room for it.
    if let Some(label) = label
        && line.tag == LineTag::Delete
    {
        let tag = format!("  ({label})");
        let room = |spans: &Vec<Span>| spans.iter().map(Span::width).sum::<usize>() + tag.chars().count() <= width;
        if let Some(last) = out.iter_mut().rev().find(|spans| room(spans)) {
            last.push(Span::styled(tag, t.muted));
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
            Row::Note { note, .. } => note_lines(model, note, cursor),
            Row::Line { section, line } => {
                let l = model.comparison.sections[section].lines[line];
                let gutter = format!("{} {} {} ", number(l.old), number(l.new), mark(l.tag));
                text_lines(model, &l, text_width)
                    .into_iter()
                    .enumerate()
                    .map(|(n, spans)| {
                        let mut out = vec![Span::styled(cursor, t.key)];
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
            Row::Pair { section, old, new } => pair_lines(model, section, old, new, cursor, text_width),
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
    frame.render_widget(Paragraph::new(lines), area);
}

fn header<'a>(model: &ReviewModel, section: usize, cursor: &'a str, width: usize) -> Line<'a> {
    let t = &model.theme;
    let s = &model.comparison.sections[section];
    let c = &s.change;
    let fold = if model.folds[section] == Fold::Folded {
        "▸"
    } else {
        "▾"
    };
    let level = usize::from(c.level.saturating_sub(1)).min(2);
    let mut detail = match c.status {
        SectionStatus::Unchanged => {
            let lines = s.new_lines.as_ref().map_or(0, std::ops::Range::len);
            format!("unchanged · {lines} line{}", if lines == 1 { "" } else { "s" })
        }
        _ => format!("{} · +{} −{}", c.describe(), c.added, c.removed),
    };
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
    let style = if shown.pending { t.warning } else { t.info };
    let text = shown.shown_text();
    wrap::lines(&text, model.note_width())
        .into_iter()
        .enumerate()
        .map(|(k, range)| {
            Line::from(vec![
                Span::styled(if k == 0 { cursor } else { " " }, t.key),
                Span::raw(" ".repeat(NOTE_INDENT)),
                Span::styled(text[range].to_string(), style),
            ])
        })
        .collect()
}

fn pair_lines<'a>(
    model: &ReviewModel,
    section: usize,
    old: Option<usize>,
    new: Option<usize>,
    cursor: &'a str,
    text_width: usize,
) -> Vec<Line<'a>> {
    let t = &model.theme;
    let lines = &model.comparison.sections[section].lines;
    let side = |k: Option<usize>, older: bool| -> Vec<Vec<Span<'a>>> {
        let Some(k) = k else { return Vec::new() };
        let l = lines[k];
        let (no, tag) = if older {
            (
                l.old,
                if l.tag == LineTag::Equal {
                    LineTag::Equal
                } else {
                    LineTag::Delete
                },
            )
        } else {
            (
                l.new,
                if l.tag == LineTag::Equal {
                    LineTag::Equal
                } else {
                    LineTag::Insert
                },
            )
        };
        // On the older side an unchanged line shows its older text.
        let shown = DiffLine {
            tag,
            old: if older { l.old } else { None },
            new: if older { None } else { l.new },
            block: l.block,
        };
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
    let filler = |spans: Option<&Vec<Span<'a>>>| -> Vec<Span<'a>> {
        spans.cloned().unwrap_or_else(|| vec![Span::styled("", t.muted)])
    };
    (0..height)
        .map(|n| {
            let mut l = filler(left.get(n));
            let used: usize = l.iter().map(Span::width).sum();
            let half = SIDE_GUTTER - 1 + text_width;
            let mut spans = vec![Span::styled(if n == 0 { cursor } else { " " }, t.key)];
            spans.append(&mut l);
            spans.push(Span::raw(" ".repeat(half.saturating_sub(used))));
            spans.push(Span::styled("│", t.border));
            spans.push(Span::raw(" "));
            spans.extend(filler(right.get(n)));
            Line::from(spans)
        })
        .collect()
}

fn status(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let layout = match model.layout() {
        Layout::Unified => "unified",
        Layout::SideBySide => "side by side",
    };
    let hunks = &model.hunk_starts;
    let here = hunks.iter().rposition(|&r| r <= model.cursor).map_or(0, |p| p + 1);
    let (viewed, total) = model.progress();
    let pending = model.notes.iter().filter(|n| n.pending).count();
    let mut right = format!(
        "{} · {viewed}/{total} viewed · hunk {here}/{} · {layout} ",
        if model.review.is_empty() {
            "not reviewed".into()
        } else {
            sanitize_line(&model.review)
        },
        hunks.len()
    );
    if pending > 0 {
        right = format!(
            "{pending} note{} waiting · {right}",
            if pending == 1 { "" } else { "s" }
        );
    }
    let (text, style) = match &model.notice {
        Some((Level::Error, text)) => (text.clone(), t.error),
        Some((Level::Warning, text)) => (text.clone(), t.warning),
        Some((Level::Info, text)) => (text.clone(), t.info),
        None => (String::new(), t.text),
    };
    let width = usize::from(area.width);
    let room = width.saturating_sub(right.chars().count() + 1);
    let left = fit(&sanitize(&text), room);
    let pad = width.saturating_sub(left.chars().count() + right.chars().count());
    let line = Line::from(vec![
        Span::styled(format!(" {left}"), style),
        Span::raw(" ".repeat(pad.saturating_sub(1))),
        Span::styled(right, t.muted),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn footer(frame: &mut Frame, area: Rect, model: &ReviewModel) {
    let t = &model.theme;
    let mut spans = Vec::new();
    let width = usize::from(area.width);
    let mut used = 0;
    for (keys, help) in keymap::footer_with(context(model), false) {
        let piece = keys.chars().count() + help.chars().count() + 3;
        if used + piece > width {
            break;
        }
        used += piece;
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
                if let Some(id) = line.block {
                    refined.entry(id).or_insert_with(|| c.refine(id, Some(deadline)));
                }
                let text = c.text(line);
                let ranges = line
                    .block
                    .and_then(|id| refined.get(&id))
                    .map_or(&[][..], |e| c.line_emphasis(e, line));
                let base = line_style(t, line.tag);
                let strong = base.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                let number = match line.tag {
                    LineTag::Delete => line.old,
                    _ => line.new,
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
            let room = usize::from(area.height.saturating_sub(4));
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
        Some(Overlay::Note { at, anchor }) => {
            let mut lines = para(&format!("On {at}"), t.muted);
            if !anchor.quote.is_empty() {
                lines.extend(para(
                    &format!("“{}”", anchor.quote),
                    t.muted.add_modifier(Modifier::ITALIC),
                ));
            }
            lines.push(Line::from(""));
            let editor_top = lines.len();
            // Room for the text, which the text area draws over these blank lines.
            lines.extend(std::iter::repeat_n(Line::from(""), NOTE_LINES));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "Enter keeps the note · Esc drops it · arrows and word keys edit as in any field",
                t.muted,
            )));
            let inner_rect = boxed(frame, area, t, "Note", lines, width);
            let editor = Rect {
                y: inner_rect.y + u16::try_from(editor_top).unwrap_or(0),
                height: u16::try_from(NOTE_LINES)
                    .unwrap_or(1)
                    .min(inner_rect.height.saturating_sub(2)),
                ..inner_rect
            };
            let mut shown = model.note_editor.clone();
            shown.set_style(t.text);
            shown.set_cursor_style(t.focus);
            frame.render_widget(&shown, editor);
        }
        Some(Overlay::Decide { approve }) => {
            let pending: Vec<_> = model.notes.iter().filter(|n| n.pending).collect();
            let revision = model.newer.label.clone();
            let mut lines = if *approve {
                para(&format!("Approve {revision} of {}?", model.document), t.text)
            } else {
                para(&format!("Request changes to {revision} of {}?", model.document), t.text)
            };
            lines.push(Line::from(""));
            if pending.is_empty() {
                lines.extend(para("No notes.", t.muted));
            }
            for n in pending.iter().take(8) {
                let place = n.note.anchor.path.last().map_or("top", String::as_str);
                lines.extend(para(&format!("✎ {place}: {}", n.note.text), t.warning));
            }
            if pending.len() > 8 {
                lines.extend(para(&format!("… and {} more", pending.len() - 8), t.muted));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled("Enter records it · Esc cancels", t.muted)));
            boxed(
                frame,
                area,
                t,
                if *approve { "Approve" } else { "Request changes" },
                lines,
                width,
            );
        }
    }
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
