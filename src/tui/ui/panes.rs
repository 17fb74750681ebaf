//! The outline, the right pane (preview or changes), the status line and the footer.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::fmt::Write as _;

use super::{badge, fit};
use crate::core::fsio::sanitize;
use crate::core::review::ReviewState;
use crate::tui::keymap;
use crate::tui::model::{Level, Model, RightPane};

pub fn outline(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let block = Block::bordered()
        .title(Span::styled(" Outline ", t.title))
        .border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
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
    frame.render_widget(Paragraph::new(window(lines, top, height)), inner);
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
    let block = Block::bordered()
        .title(Span::styled(format!(" Preview · {name} "), t.title))
        .title_bottom(
            Line::from(Span::styled(
                if model.questionnaire().documents.len() > 1 {
                    " F2 changes · F3 next document · PgUp/PgDn "
                } else {
                    " F2 changes · PgUp/PgDn scroll "
                },
                t.muted,
            ))
            .right_aligned(),
        )
        .border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
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
    let rendered = model.preview_cache.get(&doc.text, inner.width, t);
    let section = model
        .question()
        .feeds
        .as_deref()
        .and_then(|h| rendered.section_range(h));
    let height = usize::from(inner.height);
    let max_top = rendered.lines.len().saturating_sub(height);
    let top = match model.preview_scroll {
        Some(s) => usize::from(s).min(max_top),
        None => section.as_ref().map_or(0, |r| r.start.saturating_sub(1)).min(max_top),
    };
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
    frame.render_widget(Paragraph::new(lines), inner);
}

fn changes(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let doc = model.shown_rendered();
    let revision = doc.and_then(|d| model.revisions.get(&d.path));
    let title = match revision {
        Some(r) => format!(" Changes since revision {} ", r.number),
        None => " Changes (nothing saved yet) ".to_string(),
    };
    let block = Block::bordered()
        .title(Span::styled(title, t.title))
        .title_bottom(Line::from(Span::styled(" F2 preview ", t.muted)).right_aligned())
        .border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
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
    let top = model
        .preview_scroll
        .map_or(0, |s| usize::from(s).min(lines.len().saturating_sub(1)));
    frame.render_widget(Paragraph::new(window(lines, top, usize::from(inner.height))), inner);
}

pub fn status(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let p = model.progress();
    let q = model.questionnaire();
    let mut facts = format!("{}/{} answered", p.answered, p.shown);
    if p.assumed > 0 {
        let _ = write!(facts, " · {} assumed", p.assumed);
    }
    let _ = write!(facts, " · {} required open", p.required_open);
    if !model.kept.is_empty() {
        let _ = write!(facts, " · {} kept aside (Ctrl-K)", model.kept.len());
    }
    if model.read_only {
        facts.push_str(" · READ-ONLY");
    }
    if model.unsaved_typing.is_some() {
        facts.push_str(" · typing…");
    } else if let (false, Some(when)) = (model.read_only, &model.session_written) {
        let time = when.get(11..16).unwrap_or(when);
        let _ = write!(facts, " · session saved {time}");
    }
    let width = usize::from(area.width);
    let text_width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    // The review state goes last and is the first thing dropped: the longest form that fits.
    let with_review = |start: String| {
        review_forms(model)
            .into_iter()
            .map(|r| format!("{start} · {r}"))
            .find(|s| text_width(s) <= width)
            .unwrap_or(start)
    };
    let line = match &model.notice {
        // A notice comes first: it is the answer to what the user just did.
        Some(notice) => {
            let style = match notice.level {
                Level::Info => t.status_bar,
                Level::Success => t.status_bar.patch(t.ok),
                Level::Warning => t.status_bar.patch(t.warning),
                Level::Error => t.status_bar.patch(t.error),
            };
            let text = format!(" {}", sanitize(&notice.text));
            let mut spans = vec![Span::styled(fit(&text, width), style)];
            let rest = with_review(format!("{text}  ·  {facts}"));
            if text_width(&rest) <= width {
                spans.push(Span::styled(rest[text.len()..].to_string(), t.status_bar));
            }
            Line::from(spans)
        }
        None => Line::from(Span::styled(
            fit(&with_review(format!(" {} · {facts}", q.id)), width),
            t.status_bar,
        )),
    };
    frame.render_widget(Paragraph::new(line).style(t.status_bar), area);
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

pub fn footer(frame: &mut Frame, area: Rect, model: &Model) {
    let t = &model.theme;
    let mut spans = Vec::new();
    let mut used = 0;
    let width = usize::from(area.width);
    for (keys, help) in keymap::footer(model.context()) {
        let piece = unicode_width::UnicodeWidthStr::width(keys.as_str()) + help.len() + 3;
        if used + piece > width {
            break;
        }
        spans.push(Span::styled(keys, t.key));
        spans.push(Span::styled(format!(" {help}  "), t.muted));
        used += piece;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(Style::default()), area);
}
