//! The outline, the right pane (preview or changes), the status line and the footer.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::badge;
use super::pane::Pane;
use crate::core::fsio::sanitize;
use crate::core::review::ReviewState;
use crate::core::wrap::fit;
use crate::tui::keymap;
use crate::tui::model::{Level, Model, PaneView, RightPane};

pub fn outline(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let block = Pane::new(t.border).title(Span::styled(" Outline ", t.title));
    let inner = block.inner(area);
    block.render(frame, area);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    let q = model.questionnaire();
    for section in &q.sections {
        lines.push(Line::from(Span::styled(
            fit(&sanitize(&section.title), width),
            t.strong,
        )));
        for question in &section.questions {
            let (mark, style) = badge(model, &question.id);
            let focused = question.id == model.focus;
            if focused {
                focus_line = lines.len();
            }
            let hidden = !model.is_visible(&question.id);
            let label_style = if focused {
                t.focus
            } else if hidden {
                t.muted
            } else {
                t.text
            };
            let findings = model.findings_for(&question.id).len();
            let suffix = if findings > 0 {
                format!(" ({findings})")
            } else {
                String::new()
            };
            let label = fit(
                &format!("{}{suffix}", sanitize(&question.label)),
                width.saturating_sub(4),
            );
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(mark, style),
                Span::raw(" "),
                Span::styled(label, label_style),
            ]));
        }
    }
    // Keep the focused question in view.
    let height = usize::from(inner.height);
    let top = focus_line
        .saturating_sub(height / 2)
        .min(lines.len().saturating_sub(height));
    super::lines_into(frame, inner, &window(lines, top, height));
}

/// Only the lines that fit: a Paragraph would walk every line above its scroll offset.
fn window(mut lines: Vec<Line<'_>>, top: usize, height: usize) -> Vec<Line<'_>> {
    let top = top.min(lines.len());
    lines.truncate(top.saturating_add(height));
    lines.drain(..top);
    lines
}

pub fn right(frame: &mut Frame, area: Rect, model: &Model) {
    match model.right_pane {
        RightPane::Preview => preview(frame, area, model),
        RightPane::Changes => changes(frame, area, model),
    }
}

fn preview(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let doc = model.shown_rendered();
    let name = doc
        .map(|d| d.path.rsplit('/').next().unwrap_or(&d.path).to_string())
        .unwrap_or_default();
    let block = Pane::new(t.border)
        .title(Span::styled(format!(" Preview · {name} "), t.title))
        .title_bottom(Line::from(Span::styled(
            // The longest hint that fits under the pane.
            [
                " F2 changes · F3 next document · PgUp/PgDn ",
                " F2 changes · F3 next doc · PgUp/PgDn ",
                " F2 · F3 · PgUp/PgDn ",
            ]
            .into_iter()
            .filter(|h| model.questionnaire().documents.len() > 1 || !h.contains("F3"))
            .chain([" F2 changes · PgUp/PgDn scroll ", " F2 · PgUp/PgDn "])
            .find(|h| crate::core::wrap::width(h) + 2 <= usize::from(area.width))
            .unwrap_or(""),
            t.muted,
        )));
    let inner = block.inner(area);
    block.render(frame, area);
    if let Some(error) = &model.derived.render_error {
        let lines = vec![
            Line::from(Span::styled("The document template failed:", t.error)),
            Line::from(sanitize(error).into_owned()),
        ];
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
        return;
    }
    let Some(doc) = doc else { return };
    let rendered = model.preview_cache.get(&doc.text, doc.kind, inner.width, t);
    // The section is highlighted only in the document the question feeds.
    let feeds_shown = model.feeds_document(&model.focus) == model.shown_document();
    let section = model
        .question()
        .feeds
        .as_deref()
        .filter(|_| feeds_shown)
        .and_then(|h| rendered.section_range(h));
    let height = usize::from(inner.height);
    let max_top = rendered.lines.len().saturating_sub(height);
    let top = if let Some(s) = model.preview_scroll {
        usize::from(s).min(max_top)
    } else {
        let answer = feeds_shown
            .then(|| crate::tui::follow::answer_offset(model, &doc.text))
            .flatten()
            .and_then(|offset| rendered.line_of(offset));
        crate::tui::follow::top(&rendered, answer, section.as_ref().map(|r| r.start), height)
    };
    model.preview_view.set(PaneView {
        top,
        height,
        lines: rendered.lines.len(),
    });
    // Only the visible lines are copied, and highlighted where the current question feeds.
    let end = (top + height).min(rendered.lines.len());
    let lines: Vec<Line> = (top..end)
        .map(|i| {
            let line = rendered.lines[i].clone();
            if section.as_ref().is_some_and(|r| r.contains(&i)) {
                line.patch_style(t.highlight)
            } else {
                line
            }
        })
        .collect();
    super::lines_into(frame, inner, &lines);
}

fn changes(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let doc = model.shown_rendered();
    let revision = doc.and_then(|d| model.revisions.get(&d.path));
    let title = match revision {
        Some(r) => format!(" Changes since revision {} ", r.number),
        None => " Changes (nothing saved yet) ".to_string(),
    };
    let block = Pane::new(t.border)
        .title(Span::styled(title, t.title))
        .title_bottom(Span::styled(" F2 preview ", t.muted));
    let inner = block.inner(area);
    block.render(frame, area);
    let Some(doc) = doc else { return };
    let Some(old) = model.saved_text.get(&doc.path) else {
        let lines = vec![
            Line::from("No saved revision yet: the whole document is new."),
            Line::from(Span::styled("Ctrl-S saves it as revision 1.", t.muted)),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    // The reviewer's rendering: changed sections with their badges, words emphasised.
    let comparison = crate::core::diff::compare::Comparison::new(old, &doc.text);
    let mut lines = crate::tui::review::view::changes_lines(
        &comparison,
        t,
        usize::from(inner.width),
        std::time::Duration::from_millis(8),
    );
    if lines.is_empty() {
        lines.push(Line::from("No changes since the last revision."));
    }
    let height = usize::from(inner.height);
    let top = model
        .preview_scroll
        .map_or(0, |s| usize::from(s).min(lines.len().saturating_sub(height)));
    model.preview_view.set(PaneView {
        top,
        height,
        lines: lines.len(),
    });
    super::lines_into(frame, inner, &window(lines, top, usize::from(inner.height)));
}

/// How many rows the status line needs: two when a notice does not fit one.
pub fn status_height(model: &Model, width: u16) -> u16 {
    match &model.notice {
        Some(notice) if crate::core::wrap::width(&sanitize(&notice.text)) + 1 > usize::from(width) => 2,
        _ => 1,
    }
}

/// The status line: a notice first (it answers what the user just did), then the counts. When
/// room is short whole parts are dropped, least useful first, never cut mid-word; a notice too
/// long for the line wraps onto a second one.
pub fn status(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let width = usize::from(area.width);
    let text_width = crate::core::wrap::width;
    let mut rows: Vec<Line> = Vec::new();
    let mut first: Vec<Span> = Vec::new();
    let mut room = width;
    if let Some(notice) = &model.notice {
        let style = match notice.level {
            Level::Info => t.status_bar,
            Level::Success => t.status_bar.patch(t.ok),
            Level::Warning => t.status_bar.patch(t.warning),
            Level::Error => t.status_bar.patch(t.error),
        };
        let text = sanitize(&notice.text).replace('\n', " ");
        let lines = crate::core::wrap::wrap(&text, width.saturating_sub(1).max(1));
        if lines.len() > 1 && area.height > 1 {
            // Two rows: the notice wraps; a third line's worth ends with an ellipsis.
            let second = if lines.len() > 2 {
                fit_words(&lines[1..].join(" "), width.saturating_sub(1))
            } else {
                lines[1].to_string()
            };
            rows.push(Line::from(Span::styled(format!(" {}", lines[0]), style)));
            first.push(Span::styled(format!(" {second}"), style));
            room = width.saturating_sub(text_width(&second) + 1);
        } else {
            let shown = fit_words(&text, width.saturating_sub(1));
            room = width.saturating_sub(text_width(&shown) + 1);
            first.push(Span::styled(format!(" {shown}"), style));
        }
    }
    let facts = status_facts(model, room, !first.is_empty());
    if !facts.is_empty() {
        first.push(Span::styled(facts, t.status_bar));
    }
    rows.push(Line::from(first));
    frame.render_widget(Paragraph::new(rows).style(t.status_bar), area);
}

/// Cuts `text` to `width` columns at a word boundary, with an ellipsis.
fn fit_words(text: &str, width: usize) -> String {
    if crate::core::wrap::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if crate::core::wrap::width(&next) + 2 > width {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        fit(text, width)
    } else {
        format!("{out} …")
    }
}

/// How long the review state stays in the status line, against the parts' keep priorities.
const REVIEW: u8 = 3;

/// The counts and states after the notice, in `room` columns: whole parts only, the least
/// useful dropped first (the review state shortening before it goes).
fn status_facts(model: &Model, room: usize, after_notice: bool) -> String {
    let p = model.progress();
    let q = model.questionnaire();
    // (text, keep priority: higher stays longer), in screen order.
    let mut parts: Vec<(String, u8)> = vec![(q.id.clone(), 1), (format!("{}/{} answered", p.answered, p.shown), 9)];
    if p.assumed > 0 {
        parts.push((format!("{} assumed", p.assumed), 5));
    }
    parts.push((format!("{} required open", p.required_open), 8));
    if !model.kept.is_empty() {
        parts.push((format!("{} kept aside (Ctrl-K)", model.kept.len()), 4));
    }
    if model.read_only {
        parts.push(("READ-ONLY".to_string(), 10));
    }
    if model.unsaved_typing.is_some() {
        parts.push(("typing…".to_string(), 3));
    } else if let (false, Some(when)) = (model.read_only, &model.session_written) {
        let time = when.get(11..16).unwrap_or(when);
        parts.push((format!("session saved {time}"), 2));
    }
    // The review state sits between the session's time and the counts: its longest form that
    // fits, shorter ones before it goes.
    let review = review_forms(model);
    let lead = if after_notice { "  ·  " } else { " " };
    let join = |parts: &[(String, u8)], review: Option<&String>| {
        let mut all: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        if let Some(r) = review {
            all.push(r);
        }
        if all.is_empty() {
            // Nothing fits: no separator left dangling after the notice.
            return String::new();
        }
        format!("{lead}{}", all.join(" · "))
    };
    let fits = |s: &str| crate::core::wrap::width(s) <= room;
    let drop_lowest = |parts: &mut Vec<(String, u8)>, below: u8| {
        let lowest = parts
            .iter()
            .enumerate()
            .filter(|(_, (_, k))| *k < below)
            .min_by_key(|(_, (_, k))| *k)
            .map(|(i, _)| i);
        lowest.map(|i| parts.remove(i)).is_some()
    };
    // Each form of the review state, longest first, with the parts less useful than it dropped
    // as needed; then without it.
    for form in &review {
        let mut kept = parts.clone();
        loop {
            let line = join(&kept, Some(form));
            if fits(&line) {
                return line;
            }
            if !drop_lowest(&mut kept, REVIEW) {
                break;
            }
        }
    }
    loop {
        let line = join(&parts, None);
        if fits(&line) {
            return line;
        }
        if !drop_lowest(&mut parts, u8::MAX) {
            return String::new();
        }
    }
}

/// The shown document's latest revision and review state, longest form first:
/// `r2 · changes requested by Ada (1 note) · revision limit reached`, then shorter ones.
fn review_forms(model: &Model) -> Vec<String> {
    let Some(doc) = model.questionnaire().documents.get(model.shown_document()) else {
        return Vec::new();
    };
    let Some(status) = model.review.get(&doc.path) else {
        return match model.revisions.get(&doc.path) {
            // Saved, but its review file could not be read: the revision alone.
            Some(r) => vec![format!("r{}", r.number)],
            None => vec!["not saved yet".to_string()],
        };
    };
    let r = format!("r{}", status.revision);
    let short = match status.state {
        ReviewState::Unreviewed => "not reviewed",
        ReviewState::Approved { .. } => "approved",
        ReviewState::ChangesRequested { .. } => "changes requested",
        ReviewState::Escalated { .. } => "escalated",
    };
    // One line: a newline or tab in a stored name must not break the status line.
    let full = sanitize(&status.state.describe()).replace(['\n', '\t'], " ");
    if status.limit_reached {
        vec![
            format!("{r} · {full} · revision limit reached"),
            format!("{r} · {short} · revision limit reached"),
            format!("{r} · revision limit reached"),
            format!("{r} · limit reached"),
            r,
        ]
    } else {
        vec![format!("{r} · {full}"), format!("{r} · {short}"), r]
    }
}

/// The keys that work here, from the key table. F1 and Ctrl-Q are always shown: when room is
/// short the other hints go first. A read-only session does not offer saving.
pub fn footer(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let width = usize::from(area.width);
    let keys: Vec<(String, &str, keymap::Action)> = keymap::footer_actions(model.context(), true)
        .into_iter()
        .filter(|(_, _, action)| !(model.read_only && *action == keymap::Action::Save))
        .collect();
    let kept = |a: keymap::Action| matches!(a, keymap::Action::Help | keymap::Action::Quit);
    let piece = |keys: &str, help: &str| crate::core::wrap::width(keys) + crate::core::wrap::width(help) + 3;
    let reserved: usize = keys.iter().filter(|k| kept(k.2)).map(|(k, h, _)| piece(k, h)).sum();
    let mut used = reserved;
    let mut shown = Vec::new();
    for (i, (k, h, action)) in keys.iter().enumerate() {
        if kept(*action) {
            shown.push(i);
        } else if used + piece(k, h) <= width {
            used += piece(k, h);
            shown.push(i);
        }
    }
    let mut spans = Vec::new();
    let mut room = width;
    for i in shown {
        let (k, h, _) = &keys[i];
        if piece(k, h) > room {
            // Not even F1 and Ctrl-Q fit: their keys alone.
            spans.push(Span::styled(format!("{k} "), t.key));
            room = room.saturating_sub(crate::core::wrap::width(k) + 1);
            continue;
        }
        spans.push(Span::styled(k.clone(), t.key));
        spans.push(Span::styled(format!(" {h}  "), t.muted));
        room -= piece(k, h);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(Style::default()), area);
}
