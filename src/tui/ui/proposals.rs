//! The assistant on screen: the proposal beside the focused question (value, confidence,
//! source, evidence, the keys), and the Quick Start field with what its line places.
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::overlay::centered;
use crate::core::fsio::sanitize;
use crate::core::scan::proposal::{Confidence, answer_text};
use crate::core::wrap::{fit, wrap};
use crate::tui::keymap::{Action, Context, key_label};
use crate::tui::model::Model;

/// Lines for the question pane: the proposal for the focused question, if any.
pub fn lines(model: &Model, width: usize) -> Vec<Line<'static>> {
    let t = &model.theme;
    let mut out = Vec::new();
    let Some(shown) = model.assistant.shown_for(&model.focus) else {
        if model.assistant.scanning && model.assistant.scanning_said {
            out.push(Line::from(Span::styled(
                fit("Looking through this project for answers…", width),
                t.muted,
            )));
        }
        return out;
    };
    let p = &shown.proposal;
    let count = model.assistant.pending(&model.focus).len();
    let confidence = match p.confidence {
        Confidence::High => t.ok,
        Confidence::Medium => t.info,
        Confidence::Low => t.warning,
    };
    let mut head = vec![
        Span::styled("◆ Proposed: ", t.strong),
        Span::styled(sanitize(&answer_text(&p.value)).into_owned(), t.emphasis),
        Span::styled(
            format!("  ({} confidence, {})", p.confidence.name(), p.source.name()),
            confidence,
        ),
    ];
    if count > 1 {
        head.push(Span::styled(
            format!("  [{} of {count}]", model.assistant.shown % count + 1),
            t.muted,
        ));
    }
    let head_text: String = head.iter().map(|s| s.content.as_ref()).collect();
    if unicode_width::UnicodeWidthStr::width(head_text.as_str()) <= width {
        out.push(Line::from(head));
    } else {
        for (i, l) in wrap(&head_text, width).into_iter().enumerate() {
            out.push(Line::from(Span::styled(
                l.to_string(),
                if i == 0 { t.strong } else { t.emphasis },
            )));
        }
    }
    let e = &p.evidence;
    let mut place = if e.line > 0 {
        format!("{}:{}", e.file, e.line)
    } else {
        e.file.clone()
    };
    if let Some(h) = &e.heading {
        let _ = write!(place, " ({h})");
    }
    out.push(Line::from(Span::styled(
        fit(&sanitize(&format!("  {place}: {}", e.text)), width),
        t.muted,
    )));
    if !p.contradicts.is_empty() {
        out.push(Line::from(Span::styled(
            fit(
                &sanitize(&format!("  contradicts: {}", p.contradicts.join("; "))),
                width,
            ),
            t.warning,
        )));
    }
    let key = |a| key_label(Context::Global, a);
    let mut keys = format!(
        "  {} accept · {} reject · {} all from the {}",
        key(Action::AcceptProposal),
        key(Action::RejectProposal),
        key(Action::AcceptSource),
        p.source.name()
    );
    if count > 1 {
        let _ = write!(keys, " · {} next", key(Action::NextProposal));
    }
    out.push(Line::from(Span::styled(fit(&keys, width), t.key)));
    out
}

/// The Quick Start field, over the panes: the line being typed and, below it, what it places
/// per question and what it could not place.
pub fn draw_quick(frame: &mut Frame, area: Rect, model: &Model) {
    let Some(quick) = &model.assistant.quick else { return };
    let t = &model.theme;
    let width = area.width.saturating_sub(4).min(100);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = vec![
        Line::from(Span::styled(
            fit(
                "Describe the backend in one line, e.g. REST API, JWT auth, RBAC, Node.js, no special compliance",
                inner,
            ),
            t.muted,
        )),
        Line::from(vec![
            Span::styled("> ", t.key),
            Span::styled(
                fit(&format!("{}▏", sanitize(&quick.text)), inner.saturating_sub(2)),
                t.text,
            ),
        ]),
        Line::from(""),
    ];
    if quick.reading.placed.is_empty() {
        lines.push(Line::from(Span::styled("Nothing placed yet.", t.muted)));
    } else {
        lines.push(Line::from(Span::styled("Understood (Enter answers these):", t.strong)));
        for p in &quick.reading.placed {
            let text = format!("  {}: {}   ← {}", p.label, answer_text(&p.value), p.from.join(", "));
            lines.push(Line::from(Span::styled(fit(&sanitize(&text), inner), t.ok)));
        }
    }
    for u in &quick.reading.unplaced {
        lines.push(Line::from(Span::styled(
            fit(&sanitize(&format!("  not placed: {u}")), inner),
            t.warning,
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                "{} apply · {} close · the rest is left to the interview",
                key_label(Context::QuickLine, Action::Confirm),
                key_label(Context::QuickLine, Action::Back)
            ),
            inner,
        ),
        t.key,
    )));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(" Quick Start ", t.title))
        .border_style(t.border_focus);
    let body = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), body);
}
