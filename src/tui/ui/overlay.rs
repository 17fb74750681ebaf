//! Overlays drawn over the panes: the help (read from the keymap), the pickers, alerts and the save summary.
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::core::fsio::sanitize;
use crate::core::wrap::{self, fit, wrap};
use crate::tui::keymap;
use crate::tui::keymap::{Action, key_label};
use crate::tui::model::{ItemMark, Model, Overlay, PickerItem, PickerKind};
use crate::tui::save::{PlanLine, Role, SavePlan};
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    match &model.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help(frame, area, model, *scroll),
        Some(Overlay::Alert { lines }) => alert(frame, area, model, lines),
        Some(Overlay::Picker {
            kind,
            query,
            cursor,
            items,
        }) => picker(frame, area, model, *kind, query, *cursor, items),
        Some(Overlay::Save { plan, scroll }) => save(frame, area, model, plan, *scroll),
        Some(Overlay::Finish { scroll }) => finish(frame, area, model, *scroll),
    }
}

/// A `width`×`height` box in the middle of `area` (shrunk to fit).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}

fn alert(frame: &mut Frame, area: Rect, model: &Model, text: &[String]) {
    let t = &model.theme;
    let width = area.width.saturating_sub(8).min(90);
    let inner_width = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    for (i, paragraph) in text.iter().enumerate() {
        if i > 0 {
            lines.push(Line::from(""));
        }
        let style = if i == 0 { t.warning } else { t.text };
        for l in wrap(&sanitize(paragraph), inner_width) {
            lines.push(Line::from(Span::styled(l.to_string(), style)));
        }
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(" Attention ", t.title))
        .border_style(t.border_focus);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn help(frame: &mut Frame, area: Rect, model: &Model, scroll: u16) {
    let t = &model.theme;
    let rect = centered(
        area,
        area.width.saturating_sub(8).min(96),
        area.height.saturating_sub(4),
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(" Keys ", t.title))
        .title_bottom(Line::from(Span::styled(" ↑↓ scroll · Esc close ", t.muted)).right_aligned())
        .border_style(t.border_focus);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let entries = help_lines_for(model.read_only);
    let key_width = entries.iter().map(|(k, _)| wrap::width(k)).max().unwrap_or(0).min(24);
    let width = usize::from(inner.width);
    let text_width = width.saturating_sub(key_width + 4).max(8);
    let mut lines: Vec<Line> = Vec::new();
    if model.read_only {
        lines.push(Line::from(Span::styled(
            "Read-only: another spec-interview has this session, so saving is not offered here.",
            t.warning,
        )));
    }
    for (keys, help) in entries {
        if keys.is_empty() {
            lines.push(Line::from(Span::styled(help, t.strong)));
            continue;
        }
        // Long help wraps under itself, never cut.
        for (k, piece) in wrap(&help, text_width).into_iter().enumerate() {
            let key = if k == 0 { keys.as_str() } else { "" };
            let pad = key_width.saturating_sub(wrap::width(key));
            lines.push(Line::from(vec![
                Span::styled(format!("  {key}{}  ", " ".repeat(pad)), t.key),
                Span::raw(piece.to_string()),
            ]));
        }
    }
    let max = u16::try_from(lines.len().saturating_sub(usize::from(inner.height))).unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}

fn picker(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    kind: PickerKind,
    query: &str,
    cursor: usize,
    items: &[PickerItem],
) {
    let t = &model.theme;
    let title = match kind {
        PickerKind::Search => " Search questions, answers and help ",
        PickerKind::Sections => " Jump to a section ",
        PickerKind::Findings => " Findings ",
        PickerKind::Outline => " Outline ",
        PickerKind::Kept => " Answers kept from an earlier questionnaire (Enter copies one here) ",
    };
    let rect = centered(
        area,
        area.width.saturating_sub(6).min(100),
        area.height.saturating_sub(4),
    );
    frame.render_widget(Clear, rect);
    let count = if query.trim().is_empty() {
        format!(" {} ", items.len())
    } else {
        format!(" {} match{} ", items.len(), if items.len() == 1 { "" } else { "es" })
    };
    let block = Block::bordered()
        .title(Span::styled(title, t.title))
        .title_bottom(Line::from(Span::styled(count, t.muted)).left_aligned())
        .title_bottom(Line::from(Span::styled(" ↑↓ move · Enter go · Esc close ", t.muted)).right_aligned())
        .border_style(t.border_focus);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    lines.push(Line::from(vec![
        Span::styled("Filter: ", t.muted),
        Span::styled(format!("{}▏", sanitize(query)), t.strong),
    ]));
    if items.is_empty() {
        let empty = if kind == PickerKind::Findings && query.is_empty() {
            "No findings: nothing to fix."
        } else {
            "Nothing matches; Backspace or Ctrl-U edits the filter."
        };
        lines.push(Line::from(Span::styled(empty, t.muted)));
    }
    let room = usize::from(inner.height).saturating_sub(1).max(1);
    let top = cursor.saturating_sub(room.saturating_sub(1));
    for (i, item) in items.iter().enumerate().skip(top).take(room) {
        let style = if i == cursor {
            t.focus
        } else if item.inactive {
            t.muted
        } else {
            t.text
        };
        let (mark, mark_style) = match &item.mark {
            ItemMark::None => ("", style),
            ItemMark::Question(id) => super::badge(model, id),
            ItemMark::Severity(severity) => (super::severity_mark(*severity), super::severity_style(t, *severity)),
        };
        let mark_width = if mark.is_empty() { 0 } else { 2 };
        // The detail gets a third of the row, or what the label leaves.
        let label_wants = wrap::width(&item.label) + mark_width + 2;
        let detail_width = wrap::width(&item.detail).min((width / 3).max(width.saturating_sub(label_wants)));
        let label_width = width.saturating_sub(detail_width + 2 + mark_width);
        let mut spans = Vec::new();
        if !mark.is_empty() {
            spans.push(Span::styled(mark, if i == cursor { style } else { mark_style }));
            spans.push(Span::styled(" ", style));
        }
        spans.extend(super::highlighted(
            &item.label,
            &item.label_hits,
            label_width,
            style,
            true,
        ));
        spans.push(Span::raw("  "));
        spans.extend(super::highlighted(
            &item.detail,
            &item.detail_hits,
            detail_width,
            t.muted,
            false,
        ));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The finish line: per section what is answered, assumed and open (the same figures as the
/// documents' coverage table), the errors left, and what to do next.
fn finish(frame: &mut Frame, area: Rect, model: &Model, scroll: u16) {
    use crate::core::coverage::{coverage, total};
    use crate::core::questionnaire::Severity;
    let t = &model.theme;
    let q = model.questionnaire();
    let rows = coverage(q, &model.derived.states);
    let sum = total(&rows);
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(" The end of the questionnaire ", t.title))
        .border_style(t.border_focus);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let headline = if sum.open == 0 {
        "Every question is answered or left as a labelled assumption.".to_string()
    } else {
        format!(
            "{} question{} still open, {} of them required.",
            sum.open,
            if sum.open == 1 { " is" } else { "s are" },
            sum.required_open
        )
    };
    for l in wrap(&headline, width) {
        lines.push(Line::from(Span::styled(l.to_string(), t.strong)));
    }
    lines.push(Line::from(""));
    let number = 9;
    let title_width = width.saturating_sub(3 * number).max(8);
    let row = |title: &str, a: String, b: String, c: String, style| {
        Line::from(vec![
            Span::styled(format!("{:title_width$}", fit(&sanitize(title), title_width)), style),
            Span::styled(format!("{a:>number$}{b:>number$}{c:>number$}"), style),
        ])
    };
    lines.push(row(
        "Section",
        "answered".into(),
        "assumed".into(),
        "open".into(),
        t.muted,
    ));
    let several = q.documents.len() > 1;
    let mut document = None;
    for r in &rows {
        if several && document != Some(&r.document) {
            document = Some(&r.document);
            let path = q.document(&r.document).map_or(r.document.as_str(), |d| d.path.as_str());
            lines.push(Line::from(Span::styled(fit(&sanitize(path), width), t.heading[1])));
        }
        let open = if r.required_open > 0 {
            format!("{} ({}!)", r.open, r.required_open)
        } else {
            r.open.to_string()
        };
        let style = if r.required_open > 0 { t.warning } else { t.text };
        lines.push(row(
            &r.title,
            r.answered.to_string(),
            r.assumed.to_string(),
            open,
            style,
        ));
    }
    lines.push(row(
        "All",
        sum.answered.to_string(),
        sum.assumed.to_string(),
        format!("{} ({}!)", sum.open, sum.required_open),
        t.strong,
    ));
    lines.push(Line::from(Span::styled("(n!) of them required", t.muted)));
    lines.push(Line::from(""));
    let errors: Vec<_> = model
        .derived
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule != "required")
        .collect();
    if errors.is_empty() {
        lines.push(Line::from(Span::styled("No errors left.", t.ok)));
    } else {
        let n = errors.len();
        lines.push(Line::from(Span::styled(
            format!("{n} error{} left (Ctrl-L lists them):", if n == 1 { "" } else { "s" }),
            t.error,
        )));
        for f in errors.iter().take(5) {
            let text = format!("✗ {}", sanitize(&f.message));
            for (k, l) in wrap(&text, width.saturating_sub(2)).into_iter().enumerate() {
                let indent = if k == 0 { "" } else { "  " };
                lines.push(Line::from(Span::styled(format!("{indent}{l}"), t.error)));
            }
        }
    }
    lines.push(Line::from(""));
    let key = |a| key_label(crate::tui::keymap::Context::Finish, a);
    let mut choices = Vec::new();
    if !model.read_only {
        choices.push((
            key(Action::Save),
            "save the documents now (Ctrl-S shows what changes first)",
        ));
    }
    if sum.required_open > 0 {
        choices.push((key(Action::FirstOpen), "go to the first required question still open"));
    }
    choices.push((key(Action::Back), "keep going"));
    let rows_for_choices = choices.len();
    let body_height = usize::from(inner.height).saturating_sub(rows_for_choices);
    let top = usize::from(scroll).min(lines.len().saturating_sub(body_height));
    if lines.len() > body_height {
        let shown = format!(
            " lines {}–{} of {} · ↑↓ scroll ",
            top + 1,
            (top + body_height).min(lines.len()),
            lines.len()
        );
        let bottom = Rect {
            y: rect.y + rect.height.saturating_sub(1),
            height: 1,
            ..rect
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(shown, t.muted))).alignment(ratatui::layout::Alignment::Right),
            Rect {
                x: bottom.x + 1,
                width: bottom.width.saturating_sub(2),
                ..bottom
            },
        );
    }
    let mut shown: Vec<Line> = lines.into_iter().skip(top).take(body_height).collect();
    for (k, text) in choices {
        shown.push(Line::from(vec![
            Span::styled(format!("{k:>5}"), t.key),
            Span::styled(format!("  {text}"), t.text),
        ]));
    }
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The save overlay: a scrolling summary per document, the choices kept in view below it.
fn save(frame: &mut Frame, area: Rect, model: &Model, plan: &SavePlan, scroll: u16) {
    let t = &model.theme;
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let title = if plan.has_hand_edit() {
        " Save a new revision: a document was edited by hand "
    } else {
        " Save a new revision "
    };
    let lines = plan.lines();
    let choices = plan.choices();
    let mut block = Block::bordered()
        .title(Span::styled(title, t.title))
        .border_style(t.border_focus);
    let inner = block.inner(rect);
    let [body, rule, bottom] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(u16::try_from(choices.len()).unwrap_or(3)),
    ])
    .areas(inner);
    model.save_rows.set(body.height);
    let rows = usize::from(body.height);
    let top = usize::from(scroll).min(lines.len().saturating_sub(rows));
    if lines.len() > rows {
        let context = plan.context();
        let keys = [Action::Up, Action::Down, Action::PageUp, Action::PageDown]
            .map(|a| key_label(context, a))
            .join(" ");
        let shown = format!(
            " lines {}–{} of {} · {keys} scroll ",
            top + 1,
            (top + rows).min(lines.len()),
            lines.len()
        );
        block = block.title_bottom(Line::from(Span::styled(shown, t.muted)).right_aligned());
    }
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let visible: Vec<Line> = lines
        .iter()
        .skip(top)
        .take(rows)
        .map(|l| plan_line(t, l, width))
        .collect();
    frame.render_widget(Paragraph::new(visible), body);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled("─".repeat(width), t.border))),
        rule,
    );
    let choices: Vec<Line> = choices.iter().map(|l| plan_line(t, l, width)).collect();
    frame.render_widget(Paragraph::new(choices), bottom);
}

/// A line of the save overlay in the theme's roles, sanitised and cut to `width` columns.
fn plan_line(t: &Theme, pieces: &PlanLine, width: usize) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let mut spans = Vec::new();
    let mut used = 0;
    for (role, text) in pieces {
        let style = match role {
            Role::Heading => t.strong,
            Role::Text => t.text,
            Role::Muted => t.muted,
            Role::Added => t.added,
            Role::Removed => t.removed,
            Role::Changed => t.changed,
            Role::Warning => t.warning,
            Role::Key => t.key,
        };
        let text = sanitize(text);
        let room = width.saturating_sub(used);
        if room == 0 {
            break;
        }
        let piece = fit(&text, room);
        used += piece.width();
        spans.push(Span::styled(piece, style));
    }
    Line::from(spans)
}

/// Every binding, grouped by context, for the help overlay.
pub fn help_lines() -> Vec<(String, String)> {
    help_lines_for(false)
}

/// The help's bindings; a read-only session leaves out what it refuses (saving).
pub fn help_lines_for(read_only: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut last = None;
    for b in keymap::bindings()
        .iter()
        .filter(|b| !b.context.is_review())
        .filter(|b| !(read_only && b.action == keymap::Action::Save))
    {
        if last != Some(b.context) {
            out.push((String::new(), b.context.title().to_string()));
            last = Some(b.context);
        }
        let keys = b.chords.iter().map(keymap::Chord::label).collect::<Vec<_>>().join(", ");
        out.push((keys, b.help.to_string()));
    }
    out
}
