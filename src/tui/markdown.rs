//! Markdown → styled, width-wrapped lines for the preview pane, plus the heading index used to scroll to a section.
use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::tui::theme::Theme;

/// A heading of the rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// Index into [`Preview::lines`] of the heading's first line.
    pub line: usize,
}

/// The rendered preview: lines ready for a `Paragraph` (already wrapped; do not wrap again) and its headings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
}

impl Preview {
    /// The range of line indices belonging to the section whose heading text equals `heading`
    /// (case-insensitive, surrounding whitespace ignored): from the heading's line up to (not including)
    /// the next heading of the same or higher level, or the end. The first matching heading wins.
    pub fn section_range(&self, heading: &str) -> Option<Range<usize>> {
        let wanted = heading.trim();
        let index = self.headings.iter().position(|h| same_text(h.text.trim(), wanted))?;
        let start = &self.headings[index];
        let end = self.headings[index + 1..]
            .iter()
            .find(|h| h.level <= start.level)
            .map_or(self.lines.len(), |h| h.line);
        Some(start.line..end)
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Renders `markdown` for a pane `width` columns wide (widths below 4 are treated as 4).
pub fn render(markdown: &str, width: u16, theme: &Theme) -> Preview {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut renderer = Renderer::new(theme, usize::from(width.max(MIN_WIDTH)));
    for event in Parser::new_ext(markdown, options) {
        renderer.event(clean(event));
    }
    renderer.finish()
}

/// The text an event carries, through the sanitiser: the preview cleans what it draws itself,
/// whatever cleaned its input before, because Markdown can also spell a control character as
/// an entity (`&#27;`, `&#x202E;`) that the parser decodes.
fn clean(event: Event<'_>) -> Event<'_> {
    fn text(s: CowStr<'_>) -> CowStr<'_> {
        let cleaned = match crate::core::sanitize::sanitize(&s) {
            Cow::Owned(owned) => Some(owned),
            Cow::Borrowed(_) => None,
        };
        cleaned.map_or(s, CowStr::from)
    }
    match event {
        Event::Text(s) => Event::Text(text(s)),
        Event::Code(s) => Event::Code(text(s)),
        Event::InlineMath(s) => Event::InlineMath(text(s)),
        Event::DisplayMath(s) => Event::DisplayMath(text(s)),
        Event::Html(s) => Event::Html(text(s)),
        Event::InlineHtml(s) => Event::InlineHtml(text(s)),
        Event::FootnoteReference(s) => Event::FootnoteReference(text(s)),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(text(info))))
        }
        other => other,
    }
}

const MIN_WIDTH: u16 = 4;
const TAB: &str = "    ";
const BULLET: &str = "• ";
const QUOTE: &str = "▌ ";
const CODE_BAR: &str = "│ ";
const CELL_SEP: &str = " │ ";
const RULE: char = '─';

/// Inline content of the block being collected.
enum Piece<'a> {
    Text(CowStr<'a>, Style),
    Break,
}

/// Something that prefixes every line inside it.
enum Container {
    Quote,
    /// A list item: its marker goes on its first line, blanks of the same width on the rest (hanging indent).
    Item {
        marker: String,
        width: usize,
        used: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MarkKind {
    Strong,
    Emphasis,
    Other,
}

/// An open inline style (emphasis, link, …) and where its text starts in `pieces`.
struct Mark {
    patch: Style,
    kind: MarkKind,
    start: usize,
}

struct TableBuf<'a> {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Piece<'a>>>>,
    has_header: bool,
    in_head: bool,
}

struct CodeBuf {
    info: String,
    text: String,
}

struct Renderer<'t, 'a> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    headings: Vec<Heading>,
    containers: Vec<Container>,
    /// One entry per open list: the next number of an ordered list, `None` for bullets.
    lists: Vec<Option<u64>>,
    pending_blank: bool,
    pieces: Vec<Piece<'a>>,
    marks: Vec<Mark>,
    /// The style of the current block; `base` is it, or it with the assumption style once one began.
    block_base: Style,
    base: Style,
    heading: Option<u8>,
    code: Option<CodeBuf>,
    table: Option<TableBuf<'a>>,
    scratch: Scratch,
}

impl<'t, 'a> Renderer<'t, 'a> {
    fn new(theme: &'t Theme, width: usize) -> Self {
        Renderer {
            theme,
            width,
            lines: Vec::new(),
            headings: Vec::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            pending_blank: false,
            pieces: Vec::new(),
            marks: Vec::new(),
            block_base: theme.text,
            base: theme.text,
            heading: None,
            code: None,
            table: None,
            scratch: Scratch::default(),
        }
    }

    fn finish(mut self) -> Preview {
        self.flush_loose();
        Preview {
            lines: self.lines,
            headings: self.headings,
        }
    }

    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                } else {
                    let style = self.style();
                    self.push_text(text, style);
                }
            }
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                let style = self.style().patch(self.theme.code);
                self.push_text(text, style);
            }
            Event::InlineHtml(html) => {
                if is_br(&html) {
                    self.hard_break();
                } else {
                    let style = self.style().patch(self.theme.muted);
                    let html = if html.contains('\n') {
                        CowStr::from(html.replace('\n', " "))
                    } else {
                        html
                    };
                    self.push_text(html, style);
                }
            }
            Event::Html(html) => self.html_block_text(&html),
            Event::SoftBreak => {
                let style = self.style();
                self.pieces.push(Piece::Text(CowStr::Borrowed(" "), style));
            }
            Event::HardBreak => self.hard_break(),
            Event::Rule => {
                self.flush_loose();
                let rule: String = std::iter::repeat_n(RULE, self.avail()).collect();
                self.emit(vec![Span::styled(rule, self.theme.border)]);
                self.pending_blank = true;
            }
            Event::FootnoteReference(label) => {
                let style = self.style();
                self.push_text(CowStr::from(format!("[^{label}]")), style);
            }
            Event::TaskListMarker(done) => {
                let style = self.style();
                self.push_text(CowStr::Borrowed(if done { "[x] " } else { "[ ] " }), style);
            }
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        match tag {
            Tag::Paragraph => {
                self.flush_loose();
                self.set_block_base(self.theme.text);
            }
            Tag::Heading { level, .. } => {
                self.flush_loose();
                let level = heading_level(level);
                self.heading = Some(level);
                self.set_block_base(self.theme.heading[usize::from(level.clamp(1, 3) - 1)]);
            }
            Tag::BlockQuote(_) => {
                self.flush_loose();
                self.separate();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(kind) => {
                self.flush_loose();
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBuf {
                    info,
                    text: String::new(),
                });
            }
            Tag::HtmlBlock => {
                self.flush_loose();
                self.set_block_base(self.theme.muted);
            }
            Tag::List(start) => {
                self.flush_loose();
                self.separate();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush_loose();
                self.separate();
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}. ");
                        *number = number.saturating_add(1);
                        marker
                    }
                    _ => BULLET.to_owned(),
                };
                let width = str_width(&marker);
                self.containers.push(Container::Item {
                    marker,
                    width,
                    used: false,
                });
            }
            Tag::Table(aligns) => {
                self.flush_loose();
                self.table = Some(TableBuf {
                    aligns,
                    rows: Vec::new(),
                    has_header: false,
                    in_head: false,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    let head = matches!(tag, Tag::TableHead);
                    table.in_head = head;
                    table.has_header |= head;
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                let head = self.table.as_ref().is_some_and(|t| t.in_head);
                self.set_block_base(if head { self.theme.strong } else { self.theme.text });
            }
            Tag::Emphasis => self.open_mark(self.theme.emphasis, MarkKind::Emphasis),
            Tag::Strong => self.open_mark(self.theme.strong, MarkKind::Strong),
            Tag::Strikethrough => self.open_mark(Style::new().add_modifier(Modifier::CROSSED_OUT), MarkKind::Other),
            Tag::Link { .. } => self.open_mark(self.theme.link, MarkKind::Other),
            Tag::Image { .. } => self.open_mark(self.theme.muted, MarkKind::Other),
            Tag::Superscript | Tag::Subscript => self.open_mark(Style::new(), MarkKind::Other),
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.flush_loose(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => {
                self.flush_pieces();
                self.pending_blank = true;
            }
            TagEnd::Heading(_) => {
                let text = plain_text(&self.pieces);
                let line = match self.flush_pieces() {
                    Some(line) => line,
                    None => self.emit(Vec::new()),
                };
                let level = self.heading.take().unwrap_or(1);
                self.headings.push(Heading { level, text, line });
                self.pending_blank = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_loose();
                self.containers.pop();
                self.pending_blank = true;
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.code_block(&code);
                }
                self.pending_blank = true;
            }
            TagEnd::List(_) => {
                self.flush_loose();
                self.lists.pop();
                // A nested list flows on into its parent item, like tight list items do.
                if !matches!(self.containers.last(), Some(Container::Item { .. })) {
                    self.pending_blank = true;
                }
            }
            TagEnd::Item => {
                self.flush_loose();
                if let Some(Container::Item { used: false, .. }) = self.containers.last() {
                    let index = self.emit(Vec::new());
                    trim_end(&mut self.lines[index].spans);
                }
                self.containers.pop();
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.render_table(&table);
                }
                self.pending_blank = true;
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = false;
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.pieces);
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(cell);
                }
                self.set_block_base(self.theme.text);
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript => self.close_mark(),
            TagEnd::TableRow
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.flush_loose(),
        }
    }

    // ---- inline content ----

    fn set_block_base(&mut self, style: Style) {
        self.block_base = style;
        self.base = style;
    }

    fn style(&self) -> Style {
        self.marks.iter().fold(self.base, |style, mark| style.patch(mark.patch))
    }

    fn push_text(&mut self, text: CowStr<'a>, style: Style) {
        if text.is_empty() {
            return;
        }
        let text = if text.contains('\t') {
            CowStr::from(text.replace('\t', TAB))
        } else {
            text
        };
        self.pieces.push(Piece::Text(text, style));
    }

    fn hard_break(&mut self) {
        self.pieces.push(Piece::Break);
        // An assumption runs to the end of its line.
        self.base = self.block_base;
    }

    fn open_mark(&mut self, patch: Style, kind: MarkKind) {
        self.marks.push(Mark {
            patch,
            kind,
            start: self.pieces.len(),
        });
    }

    fn close_mark(&mut self) {
        let Some(mark) = self.marks.pop() else { return };
        if mark.kind == MarkKind::Other {
            return;
        }
        let start = mark.start.min(self.pieces.len());
        // Most strong spans are labels like `Runtime:`; look closer only at likely ones.
        let first = self.pieces[start..].iter().find_map(|piece| match piece {
            Piece::Text(text, _) => Some(text.trim_start()),
            Piece::Break => None,
        });
        if !first.is_some_and(|t| t.starts_with('T') || t.starts_with('A')) {
            return;
        }
        let text = plain_text(&self.pieces[start..]);
        let text = text.trim();
        let patch = if mark.kind == MarkKind::Strong && text.starts_with("TODO:") {
            self.theme.todo
        } else if text.starts_with("Assumption") && text.ends_with(':') {
            // `*Assumption:* …` (or `**Assumption (topic):** …`): the label and the rest of its line.
            self.base = self.base.patch(self.theme.assumption);
            self.theme.assumption
        } else {
            return;
        };
        for piece in &mut self.pieces[start..] {
            if let Piece::Text(_, style) = piece {
                *style = style.patch(patch);
            }
        }
    }

    fn html_block_text(&mut self, html: &str) {
        let style = self.style();
        for line in html.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            if is_br(body) {
                self.pieces.push(Piece::Break);
                continue;
            }
            if !body.is_empty() {
                self.push_text(CowStr::from(body.to_owned()), style);
            }
            if line.ends_with('\n') {
                self.pieces.push(Piece::Break);
            }
        }
    }

    /// Wraps and emits the collected inline content; the index of its first line, if any.
    fn flush_pieces(&mut self) -> Option<usize> {
        let avail = self.avail();
        let wrapped = wrap(&self.pieces, avail, &mut self.scratch);
        self.pieces.clear();
        self.marks.clear();
        self.set_block_base(self.theme.text);
        let mut first = None;
        for line in wrapped {
            let index = self.emit(line);
            first.get_or_insert(index);
        }
        first
    }

    /// Text of a tight list item (no paragraph around it) ends where a block starts.
    fn flush_loose(&mut self) {
        if !self.pieces.is_empty() && self.table.is_none() {
            self.flush_pieces();
        }
    }

    // ---- lines ----

    fn prefix_width(&self) -> usize {
        self.containers
            .iter()
            .map(|c| match c {
                Container::Quote => str_width(QUOTE),
                Container::Item { width, .. } => *width,
            })
            .sum()
    }

    /// Columns left for content inside the open containers.
    fn avail(&self) -> usize {
        self.width.saturating_sub(self.prefix_width()).max(1)
    }

    fn prefix(&mut self, consume_marker: bool) -> Vec<Span<'static>> {
        let (muted, text) = (self.theme.muted, self.theme.text);
        let mut spans = Vec::new();
        for container in &mut self.containers {
            match container {
                Container::Quote => push_seg(&mut spans, QUOTE, muted),
                Container::Item { marker, width, used } => {
                    if consume_marker && !*used {
                        push_seg(&mut spans, marker, muted);
                        *used = true;
                    } else {
                        push_spaces(&mut spans, *width, text);
                    }
                }
            }
        }
        spans
    }

    /// One blank line between blocks, drawn inside the open containers (a quote keeps its bar).
    fn separate(&mut self) {
        if std::mem::take(&mut self.pending_blank) && !self.lines.is_empty() {
            let mut spans = self.prefix(false);
            trim_end(&mut spans);
            self.lines.push(Line::from(spans));
        }
    }

    fn emit(&mut self, content: Vec<Span<'static>>) -> usize {
        self.separate();
        let spans = if self.containers.is_empty() {
            content
        } else {
            let mut spans = self.prefix(true);
            spans.extend(content);
            spans
        };
        self.lines.push(Line::from(spans));
        self.lines.len() - 1
    }

    // ---- blocks ----

    fn code_block(&mut self, code: &CodeBuf) {
        let (border, code_style) = (self.theme.border, self.theme.code);
        let avail = self.avail().saturating_sub(str_width(CODE_BAR)).max(1);
        if !code.info.is_empty() {
            self.emit(vec![
                Span::styled(CODE_BAR, border),
                Span::styled(code.info.clone(), self.theme.muted),
            ]);
        }
        let text = code.text.strip_suffix('\n').unwrap_or(&code.text);
        for line in text.split('\n') {
            let line = if line.contains('\t') {
                Cow::Owned(line.replace('\t', TAB))
            } else {
                Cow::Borrowed(line)
            };
            if line.is_empty() {
                self.emit(vec![Span::styled(CODE_BAR.trim_end(), border)]);
                continue;
            }
            // Code is never word-wrapped, only cut into width-sized chunks so nothing is lost.
            let mut chunk_start = 0;
            let mut chunk_width = 0;
            for (start, end) in clusters(&line) {
                let width = str_width(&line[start..end]);
                if chunk_width + width > avail && start > chunk_start {
                    let chunk = line[chunk_start..start].to_owned();
                    self.emit(vec![Span::styled(CODE_BAR, border), Span::styled(chunk, code_style)]);
                    chunk_start = start;
                    chunk_width = 0;
                }
                chunk_width += width;
            }
            let chunk = line[chunk_start..].to_owned();
            self.emit(vec![Span::styled(CODE_BAR, border), Span::styled(chunk, code_style)]);
        }
    }

    fn render_table(&mut self, table: &TableBuf<'a>) {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(table.aligns.len());
        if columns == 0 {
            return;
        }
        let (mut natural, mut longest) = (vec![0; columns], vec![0; columns]);
        for row in &table.rows {
            for (c, cell) in row.iter().enumerate() {
                let (width, word) = measure(cell, &mut self.scratch);
                natural[c] = natural[c].max(width);
                longest[c] = longest[c].max(word);
            }
        }
        let separators = str_width(CELL_SEP) * (columns - 1);
        let widths = fit_columns(&natural, &longest, self.avail().saturating_sub(separators));
        let (border, text) = (self.theme.border, self.theme.text);
        for (index, row) in table.rows.iter().enumerate() {
            let mut cells: Vec<Vec<Vec<Span<'static>>>> = (0..columns)
                .map(|c| {
                    row.get(c)
                        .map_or_else(Vec::new, |cell| wrap(cell, widths[c].max(1), &mut self.scratch))
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut line = Vec::new();
                for (c, cell) in cells.iter_mut().enumerate() {
                    if c > 0 {
                        push_seg(&mut line, CELL_SEP, border);
                    }
                    let content = cell.get_mut(k).map(std::mem::take).unwrap_or_default();
                    let pad = widths[c].saturating_sub(spans_width(&content));
                    let (left, right) = match table.aligns.get(c) {
                        Some(Alignment::Right) => (pad, 0),
                        Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                        _ => (0, pad),
                    };
                    push_spaces(&mut line, left, text);
                    for span in content {
                        push_seg(&mut line, &span.content, span.style);
                    }
                    if c + 1 < columns {
                        push_spaces(&mut line, right, text);
                    }
                }
                trim_end(&mut line);
                self.emit(line);
            }
            if index == 0 && table.has_header {
                let mut line = String::new();
                for (c, width) in widths.iter().enumerate() {
                    if c > 0 {
                        line.push_str("─┼─");
                    }
                    line.extend(std::iter::repeat_n(RULE, *width));
                }
                self.emit(vec![Span::styled(line, border)]);
            }
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `<br>`, `<br/>`, `<br />`, `</br>` in any case.
fn is_br(html: &str) -> bool {
    html.trim()
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .is_some_and(|inner| inner.trim_matches('/').trim().eq_ignore_ascii_case("br"))
}

fn plain_text(pieces: &[Piece<'_>]) -> String {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t, _) => text.push_str(t),
            Piece::Break => text.push(' '),
        }
    }
    text.trim().to_owned()
}

/// Column widths that fit `room` (columns shrink only when the table is too wide). If every column can hold its
/// longest word, each gets that and the rest of the room goes out in proportion to how much wider each would like
/// to be, so no word is broken. Otherwise [`share_out`] the room by longest word, so few words are.
fn fit_columns(natural: &[usize], longest: &[usize], room: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= room {
        return natural.to_vec();
    }
    let minimum: Vec<usize> = natural.iter().zip(longest).map(|(n, l)| (*l).min(*n)).collect();
    let minimum_total: usize = minimum.iter().sum();
    if minimum_total <= room {
        let spare = room - minimum_total;
        let wants: Vec<usize> = natural.iter().zip(&minimum).map(|(n, m)| n - m).collect();
        let wants_total = wants.iter().sum::<usize>().max(1);
        let mut widths: Vec<usize> = minimum
            .iter()
            .zip(&wants)
            .map(|(m, w)| m + w * spare / wants_total)
            .collect();
        // Hand out what rounding down left over, one column each.
        let mut left = room - widths.iter().sum::<usize>();
        for (width, n) in widths.iter_mut().zip(natural) {
            if left > 0 && *width < *n {
                *width += 1;
                left -= 1;
            }
        }
        return widths;
    }
    share_out(&minimum, room)
}

/// Widths for columns wanting `wanted` but sharing less `room`: a column wanting no more than an even share
/// gets what it wants; the rest divide what is left in proportion to what they want, at least 1 each.
fn share_out(wanted: &[usize], room: usize) -> Vec<usize> {
    let mut widths = vec![0; wanted.len()];
    let mut open: Vec<usize> = (0..wanted.len()).collect();
    let mut remaining = room;
    loop {
        let share = remaining / open.len().max(1);
        let (small, big): (Vec<usize>, Vec<usize>) = open.iter().partition(|&&c| wanted[c] <= share);
        for &c in &small {
            widths[c] = wanted[c];
            remaining -= wanted[c];
        }
        open = big;
        if small.is_empty() || open.is_empty() {
            break;
        }
    }
    let open_total: usize = open.iter().map(|&c| wanted[c]).sum::<usize>().max(1);
    let mut used = 0;
    for &c in &open {
        widths[c] = (wanted[c] * remaining / open_total).max(1);
        used += widths[c];
    }
    // Hand out what rounding down left over, one column each.
    for &c in open.iter().take(remaining.saturating_sub(used)) {
        widths[c] += 1;
    }
    widths
}

// ---- wrapping ----

/// Part of a piece's text: `pieces[piece].text[from..to]`.
#[derive(Clone, Copy)]
struct Seg {
    piece: usize,
    from: usize,
    to: usize,
}

/// Buffers reused by every wrap, so rendering on each keystroke allocates little beyond its output.
#[derive(Default)]
struct Scratch {
    /// Spaces before the word being collected; dropped if the word starts a line.
    gap: Vec<Seg>,
    /// The word being collected; it may span several pieces (styles).
    word: Vec<Seg>,
    /// The line being filled.
    line: Vec<Seg>,
}

/// Greedy word wrap of styled pieces at `avail` columns. Breaks at spaces (dropped at the break) and around wide
/// characters (CJK has no spaces); a word wider than a line is cut at character boundaries.
fn wrap(pieces: &[Piece<'_>], avail: usize, scratch: &mut Scratch) -> Vec<Vec<Span<'static>>> {
    run_wrap(pieces, avail, scratch, false).lines
}

/// A cell's width unwrapped and the width of its longest word.
fn measure(cell: &[Piece<'_>], scratch: &mut Scratch) -> (usize, usize) {
    let wrapper = run_wrap(cell, usize::MAX, scratch, true);
    (wrapper.widest, wrapper.longest)
}

fn run_wrap<'p, 'a, 's>(
    pieces: &'p [Piece<'a>],
    avail: usize,
    scratch: &'s mut Scratch,
    measure_only: bool,
) -> Wrapper<'p, 'a, 's> {
    scratch.gap.clear();
    scratch.word.clear();
    scratch.line.clear();
    let mut wrapper = Wrapper {
        pieces,
        buf: scratch,
        avail: avail.max(1),
        lines: Vec::new(),
        line_width: 0,
        gap_width: 0,
        word_width: 0,
        longest: 0,
        widest: 0,
        measure_only,
    };
    for (index, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(text, _) => wrapper.text(index, text),
            Piece::Break => wrapper.hard_break(),
        }
    }
    wrapper.place_word();
    if !wrapper.buf.line.is_empty() {
        wrapper.newline();
    }
    wrapper
}

struct Wrapper<'p, 'a, 's> {
    pieces: &'p [Piece<'a>],
    buf: &'s mut Scratch,
    avail: usize,
    lines: Vec<Vec<Span<'static>>>,
    line_width: usize,
    gap_width: usize,
    word_width: usize,
    longest: usize,
    /// The widest line so far.
    widest: usize,
    /// Only measure: build no spans.
    measure_only: bool,
}

impl<'p> Wrapper<'p, '_, '_> {
    fn seg_text(&self, seg: Seg) -> &'p str {
        seg_text(self.pieces, seg)
    }

    fn text(&mut self, piece: usize, text: &str) {
        let mut pos = 0;
        while pos < text.len() {
            let rest = &text[pos..];
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            if spaces > 0 {
                self.place_word();
                self.buf.gap.push(Seg {
                    piece,
                    from: pos,
                    to: pos + spaces,
                });
                self.gap_width += spaces;
                pos += spaces;
            } else {
                let end = rest.find(' ').map_or(text.len(), |end| pos + end);
                self.word_text(piece, text, pos, end);
                pos = end;
            }
        }
    }

    fn word_text(&mut self, piece: usize, text: &str, from: usize, to: usize) {
        let run = &text[from..to];
        if run.is_ascii() {
            self.buf.word.push(Seg { piece, from, to });
            self.word_width += run.len();
            return;
        }
        let mut start = from;
        for (a, b) in clusters(run) {
            let (a, b) = (from + a, from + b);
            let width = str_width(&text[a..b]);
            if width >= 2 {
                if start < a {
                    self.buf.word.push(Seg {
                        piece,
                        from: start,
                        to: a,
                    });
                    self.word_width += str_width(&text[start..a]);
                }
                self.place_word();
                self.buf.word.push(Seg { piece, from: a, to: b });
                self.word_width += width;
                self.place_word();
                start = b;
            }
        }
        if start < to {
            self.buf.word.push(Seg { piece, from: start, to });
            self.word_width += str_width(&text[start..to]);
        }
    }

    fn place_word(&mut self) {
        if self.buf.word.is_empty() {
            return;
        }
        self.longest = self.longest.max(self.word_width);
        if !self.buf.line.is_empty() {
            if self.line_width + self.gap_width + self.word_width <= self.avail {
                for k in 0..self.buf.gap.len() {
                    self.push_seg(self.buf.gap[k]);
                }
                self.line_width += self.gap_width;
            } else {
                self.newline();
            }
        }
        self.buf.gap.clear();
        self.gap_width = 0;
        if self.word_width <= self.avail.saturating_sub(self.line_width) {
            for k in 0..self.buf.word.len() {
                self.push_seg(self.buf.word[k]);
            }
            self.line_width += self.word_width;
        } else {
            for k in 0..self.buf.word.len() {
                let seg = self.buf.word[k];
                let text = self.seg_text(seg);
                for (a, b) in clusters(text) {
                    let width = str_width(&text[a..b]);
                    if self.line_width + width > self.avail && !self.buf.line.is_empty() {
                        self.newline();
                    }
                    self.push_seg(Seg {
                        piece: seg.piece,
                        from: seg.from + a,
                        to: seg.from + b,
                    });
                    self.line_width += width;
                }
            }
        }
        self.buf.word.clear();
        self.word_width = 0;
    }

    /// Adds to the line, extending the last segment when this one continues it.
    fn push_seg(&mut self, seg: Seg) {
        if let Some(last) = self.buf.line.last_mut()
            && last.piece == seg.piece
            && last.to == seg.from
        {
            last.to = seg.to;
            return;
        }
        self.buf.line.push(seg);
    }

    fn hard_break(&mut self) {
        self.place_word();
        self.newline();
        self.buf.gap.clear();
        self.gap_width = 0;
    }

    /// Ends the line: one span per run of one style, each allocated once.
    fn newline(&mut self) {
        self.widest = self.widest.max(self.line_width);
        if self.measure_only {
            self.buf.line.clear();
            self.line_width = 0;
            return;
        }
        let pieces = self.pieces;
        let spans = self
            .buf
            .line
            .chunk_by(|a, b| piece_style(&pieces[a.piece]) == piece_style(&pieces[b.piece]))
            .map(|run| {
                let mut text = String::with_capacity(run.iter().map(|seg| seg.to - seg.from).sum());
                text.extend(run.iter().map(|seg| seg_text(pieces, *seg)));
                Span::styled(text, piece_style(&pieces[run[0].piece]))
            })
            .collect();
        self.lines.push(spans);
        self.buf.line.clear();
        self.line_width = 0;
    }
}

fn seg_text<'p>(pieces: &'p [Piece<'_>], seg: Seg) -> &'p str {
    match &pieces[seg.piece] {
        Piece::Text(text, _) => &text[seg.from..seg.to],
        Piece::Break => "",
    }
}

fn piece_style(piece: &Piece<'_>) -> Style {
    match piece {
        Piece::Text(_, style) => *style,
        Piece::Break => Style::new(),
    }
}

/// Byte ranges of user-perceived characters: a character with the zero-width ones (combining marks, variation
/// selectors, joiners) after it, and what a zero-width joiner joins.
fn clusters(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, first) = chars.next()?;
        let mut prev = first;
        while let Some(&(index, c)) = chars.peek() {
            if prev != '\u{200d}' && char_width(c) != 0 {
                return Some((start, index));
            }
            prev = c;
            chars.next();
        }
        Some((start, s.len()))
    })
}

fn char_width(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        let mut buf = [0; 4];
        str_width(c.encode_utf8(&mut buf))
    }
}

/// Display width (CJK and emoji count 2), through ratatui's unicode-width.
fn str_width(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { Span::raw(s).width() }
}

fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|span| str_width(&span.content)).sum()
}

/// Appends text, extending the last span when the style is the same.
fn push_seg(line: &mut Vec<Span<'static>>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = line.last_mut()
        && last.style == style
    {
        last.content.to_mut().push_str(text);
        return;
    }
    line.push(Span::styled(text.to_owned(), style));
}

fn push_spaces(line: &mut Vec<Span<'static>>, mut count: usize, style: Style) {
    const SPACES: &str = "                                ";
    while count > 0 {
        let n = count.min(SPACES.len());
        push_seg(line, &SPACES[..n], style);
        count -= n;
    }
}

fn trim_end(spans: &mut Vec<Span<'static>>) {
    while let Some(last) = spans.last_mut() {
        let kept = last.content.trim_end().len();
        if kept == 0 {
            spans.pop();
        } else {
            last.content.to_mut().truncate(kept);
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark theme with its text in the terminal's own colours, so that a span's style is
    /// exactly its role's.
    fn theme() -> Theme {
        Theme {
            text: ratatui::style::Style::new(),
            ..Theme::dark()
        }
    }

    /// The text of a line, spans joined.
    fn line_text(line: &Line<'_>) -> String {
        line.spans.iter().map(|span| span.content.as_ref()).collect()
    }

    fn texts(preview: &Preview) -> Vec<String> {
        preview.lines.iter().map(line_text).collect()
    }

    fn lines_of(markdown: &str, width: u16) -> Vec<String> {
        texts(&render(markdown, width, &theme()))
    }

    /// The span holding `needle` in the rendered preview.
    fn span_with<'p>(preview: &'p Preview, needle: &str) -> &'p Span<'static> {
        preview
            .lines
            .iter()
            .flat_map(|line| &line.spans)
            .find(|span| span.content.contains(needle))
            .unwrap_or_else(|| panic!("no span contains {needle:?} in {:?}", texts(preview)))
    }

    #[test]
    fn headings_are_styled_by_level_and_indexed_by_line() {
        let t = theme();
        let preview = render("# One\n\nSome text.\n\n## Two\n### Three\n\n#### Four\n", 40, &t);
        assert_eq!(
            texts(&preview),
            ["One", "", "Some text.", "", "Two", "", "Three", "", "Four"]
        );
        let found: Vec<(u8, &str, usize)> = preview
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.line))
            .collect();
        assert_eq!(found, [(1, "One", 0), (2, "Two", 4), (3, "Three", 6), (4, "Four", 8)]);
        assert_eq!(preview.lines[0].spans[0].style, t.heading[0]);
        assert_eq!(preview.lines[4].spans[0].style, t.heading[1]);
        assert_eq!(preview.lines[6].spans[0].style, t.heading[2]);
        assert_eq!(preview.lines[8].spans[0].style, t.heading[2]);
        assert_eq!(preview.lines[2].spans[0].style, t.text);
    }

    #[test]
    fn heading_index_counts_wrapped_lines() {
        let preview = render(
            "# A long heading that wraps\n\nword word word word word word\n\n## Next",
            10,
            &theme(),
        );
        let next = preview.headings.iter().find(|h| h.text == "Next").map(|h| h.line);
        assert_eq!(next, Some(preview.lines.len() - 1));
        assert_eq!(line_text(&preview.lines[preview.lines.len() - 1]), "Next");
        assert_eq!(preview.headings[0].text, "A long heading that wraps");
    }

    #[test]
    fn heading_text_keeps_inline_content_without_marks() {
        let preview = render("## The `api` **style**", 40, &theme());
        assert_eq!(texts(&preview), ["The api style"]);
        assert_eq!(preview.headings[0].text, "The api style");
    }

    #[test]
    fn paragraphs_wrap_at_spaces_at_width_20() {
        let lines = lines_of(
            "The quick brown fox jumps over the lazy dog and keeps running far away.",
            20,
        );
        assert_eq!(
            lines,
            [
                "The quick brown fox",
                "jumps over the lazy",
                "dog and keeps",
                "running far away."
            ]
        );
    }

    #[test]
    fn soft_breaks_are_spaces_and_hard_breaks_are_new_lines() {
        assert_eq!(lines_of("one\ntwo", 40), ["one two"]);
        assert_eq!(lines_of("one  \ntwo\\\nthree", 40), ["one", "two", "three"]);
        assert_eq!(lines_of("one<br>two", 40), ["one", "two"]);
    }

    #[test]
    fn long_words_are_broken_hard() {
        assert_eq!(
            lines_of("see abcdefghijklmnopqrstuvwxyz ok", 10),
            ["see", "abcdefghij", "klmnopqrst", "uvwxyz ok"]
        );
    }

    #[test]
    fn styles_survive_wrapping() {
        let t = theme();
        let preview = render("aaaa **bbbb cccc dddd eeee** gggg", 10, &t);
        assert_eq!(texts(&preview), ["aaaa bbbb", "cccc dddd", "eeee gggg"]);
        assert_eq!(preview.lines[0].spans[0].style, t.text);
        assert_eq!(preview.lines[0].spans[1].style, t.strong);
        assert_eq!(preview.lines[1].spans.len(), 1);
        assert_eq!(preview.lines[1].spans[0].style, t.strong);
        assert_eq!(preview.lines[2].spans[0].content, "eeee");
        assert_eq!(preview.lines[2].spans[0].style, t.strong);
        assert_eq!(preview.lines[2].spans[1].style, t.text);
    }

    #[test]
    fn inline_styles() {
        let t = theme();
        let preview = render("*it* **bold** ***both*** `code` [site](https://x.io) ~~gone~~", 80, &t);
        assert_eq!(texts(&preview), ["it bold both code site gone"]);
        assert_eq!(span_with(&preview, "it").style, t.emphasis);
        assert_eq!(span_with(&preview, "bold").style, t.strong);
        let both = span_with(&preview, "both").style;
        assert!(both.add_modifier.contains(Modifier::BOLD | Modifier::ITALIC));
        assert_eq!(span_with(&preview, "code").style, t.code);
        assert_eq!(span_with(&preview, "site").style, t.link);
        assert!(
            span_with(&preview, "gone")
                .style
                .add_modifier
                .contains(Modifier::CROSSED_OUT)
        );
    }

    #[test]
    fn todo_in_strong_is_styled_as_todo() {
        let t = theme();
        let preview = render("**TODO:** Which database?\n\n**Runtime:** Node", 80, &t);
        assert_eq!(texts(&preview), ["TODO: Which database?", "", "Runtime: Node"]);
        assert_eq!(span_with(&preview, "TODO:").style, t.todo);
        assert_eq!(span_with(&preview, "Which").style, t.text);
        assert_eq!(span_with(&preview, "Runtime:").style, t.strong);
        // Not inside strong: ordinary text.
        let plain = render("TODO: later", 80, &t);
        assert_eq!(plain.lines[0].spans[0].style, t.text);
    }

    #[test]
    fn assumption_label_and_rest_of_line_are_styled_as_assumption() {
        let t = theme();
        let preview = render("**Data:** *Assumption:* EU only,\nno cards.\n\nNext paragraph.", 80, &t);
        assert_eq!(
            texts(&preview),
            ["Data: Assumption: EU only, no cards.", "", "Next paragraph."]
        );
        assert_eq!(span_with(&preview, "Data:").style, t.strong);
        assert_eq!(span_with(&preview, "Assumption:").style, t.assumption);
        assert_eq!(span_with(&preview, "EU only").style, t.assumption);
        assert_eq!(span_with(&preview, "no cards").style, t.assumption);
        assert_eq!(span_with(&preview, "Next").style, t.text);
        // A hard break ends it.
        let preview = render("*Assumption:* yes  \nafter", 80, &t);
        assert_eq!(span_with(&preview, "yes").style, t.assumption);
        assert_eq!(span_with(&preview, "after").style, t.text);
        // The Assumptions section lists them as `**Assumption (topic):** …`.
        let preview = render("- **Assumption (Data):** EU only", 80, &t);
        assert_eq!(span_with(&preview, "EU only").style, t.assumption);
        assert_eq!(
            span_with(&preview, "Assumption (Data):").style,
            t.strong.patch(t.assumption)
        );
        // Plain emphasis is not an assumption.
        let preview = render("*Assumptions* rest", 80, &t);
        assert_eq!(span_with(&preview, "rest").style, t.text);
    }

    #[test]
    fn list_items_wrap_with_a_hanging_indent() {
        let t = theme();
        let preview = render("- alpha beta gamma delta epsilon\n- zeta", 20, &t);
        assert_eq!(texts(&preview), ["• alpha beta gamma", "  delta epsilon", "• zeta"]);
        assert_eq!(preview.lines[0].spans[0].content, "• ");
        assert_eq!(preview.lines[0].spans[0].style, t.muted);
        let ordered = lines_of("1. alpha beta gamma delta epsilon", 20);
        assert_eq!(ordered, ["1. alpha beta gamma", "   delta epsilon"]);
    }

    #[test]
    fn nested_and_ordered_lists() {
        assert_eq!(
            lines_of("- a\n  - b\n    - c\n- d", 40),
            ["• a", "  • b", "    • c", "• d"]
        );
        assert_eq!(
            lines_of("1. one\n2. two\n   - sub a\n   - sub b\n3. three", 40),
            ["1. one", "2. two", "   • sub a", "   • sub b", "3. three"]
        );
        assert_eq!(lines_of("7. seven\n8. eight", 40), ["7. seven", "8. eight"]);
        let t = theme();
        let preview = render("3. x", 40, &t);
        assert_eq!(preview.lines[0].spans[0].content, "3. ");
        assert_eq!(preview.lines[0].spans[0].style, t.muted);
    }

    #[test]
    fn blocks_are_separated_by_one_blank_line() {
        let md = "Intro:\n- a\n- b\n\nAfter.\n\n1. x\n\n   second para\n2. y\n\n---\n\n```\ncode\n```\nEnd.";
        assert_eq!(
            lines_of(md, 12),
            [
                "Intro:",
                "",
                "• a",
                "• b",
                "",
                "After.",
                "",
                "1. x",
                "",
                "   second",
                "   para",
                "",
                "2. y",
                "",
                "────────────",
                "",
                "│ code",
                "",
                "End."
            ]
        );
    }

    #[test]
    fn no_leading_or_trailing_blank_lines() {
        let lines = lines_of("\n\n# T\n\ntext\n\n\n", 40);
        assert_eq!(lines, ["T", "", "text"]);
    }

    #[test]
    fn empty_list_item_shows_its_marker() {
        assert_eq!(lines_of("- \n- b", 40), ["•", "• b"]);
    }

    #[test]
    fn table_columns_are_aligned() {
        let t = theme();
        let md = "| Name | Qty | Note |\n|------|----:|------|\n| apple | 3 | red |\n| kiwi | 12 | green and fuzzy |";
        let preview = render(md, 40, &t);
        assert_eq!(
            texts(&preview),
            [
                "Name  │ Qty │ Note",
                "──────┼─────┼────────────────",
                "apple │   3 │ red",
                "kiwi  │  12 │ green and fuzzy",
            ]
        );
        assert_eq!(span_with(&preview, "Name").style, t.strong);
        assert_eq!(span_with(&preview, " │ ").style, t.border);
        assert_eq!(span_with(&preview, "──").style, t.border);
        assert_eq!(span_with(&preview, "kiwi").style, t.text);
    }

    #[test]
    fn centred_column_and_escaped_pipe() {
        let md = "| a | b |\n|:-:|---|\n| x | p \\| q |\n| wide | |";
        assert_eq!(lines_of(md, 40), [" a   │ b", "─────┼──────", " x   │ p | q", "wide │"]);
    }

    #[test]
    fn wide_table_shrinks_and_wraps_without_losing_text() {
        let md = "| Code | HTTP status | Meaning |\n|---|---|---|\n\
                  | validation_failed | 422 | One or more fields are invalid; see errors[] |\n\
                  | not_found | 404 | The resource does not exist or is not visible to the caller |";
        let width = 30;
        let preview = render(md, width, &theme());
        let lines = texts(&preview);
        for line in &lines {
            assert!(str_width(line) <= usize::from(width), "{line:?} is wider than {width}");
        }
        // Put each column's text back together (a word broken hard continues on the next line of its column).
        let mut columns = vec![String::new(); 3];
        for line in lines.iter().filter(|l| !l.starts_with('─')) {
            for (c, part) in line.split('│').enumerate() {
                columns[c].extend(part.chars().filter(|ch| !ch.is_whitespace()));
            }
        }
        let rows: Vec<Vec<&str>> = md
            .lines()
            .filter(|l| !l.contains("---"))
            .map(|l| l.trim().trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        for row in &rows {
            for (c, cell) in row.iter().enumerate() {
                for word in cell.split(' ') {
                    assert!(columns[c].contains(word), "{word:?} lost from column {c}: {lines:#?}");
                }
            }
        }
        // Every row line has its bars at the same columns.
        let bars: Vec<Vec<usize>> = lines
            .iter()
            .filter(|l| !l.starts_with('─'))
            .map(|l| {
                l.char_indices()
                    .filter(|(_, c)| *c == '│')
                    .map(|(i, _)| l[..i].chars().count())
                    .collect()
            })
            .collect();
        assert!(
            bars.iter().all(|b| b.iter().zip(&bars[0]).all(|(x, y)| x == y)),
            "{lines:#?}"
        );
        // At a width where every word fits its column, none is broken.
        let lines = lines_of(md, 44);
        assert!(lines.iter().any(|l| l.starts_with("validation_failed │")), "{lines:#?}");
        assert!(lines.iter().all(|l| str_width(l) <= 44), "{lines:#?}");
    }

    #[test]
    fn br_in_a_table_cell_breaks_the_line_inside_the_cell() {
        let md = "| a | b |\n|---|---|\n| one<br>two | x |\n| three<br/>four | y |";
        assert_eq!(
            lines_of(md, 40),
            ["a     │ b", "──────┼──", "one   │ x", "two   │", "three │ y", "four  │"]
        );
    }

    #[test]
    fn mermaid_code_block_keeps_every_line() {
        let t = theme();
        let md = "```mermaid\ngraph TD\n  A-->B\n\n\tB-->C\n```";
        let preview = render(md, 40, &t);
        assert_eq!(
            texts(&preview),
            ["│ mermaid", "│ graph TD", "│   A-->B", "│", "│     B-->C"]
        );
        assert_eq!(preview.lines[0].spans[0].style, t.border);
        assert_eq!(preview.lines[0].spans[1].style, t.muted);
        assert_eq!(preview.lines[1].spans[1].style, t.code);
    }

    #[test]
    fn long_code_lines_are_hard_wrapped_not_cut() {
        let code = "let x = some_function(argument_one, argument_two);";
        let preview = render(&format!("```rust\n{code}\n```"), 12, &theme());
        let lines = texts(&preview);
        assert_eq!(lines[0], "│ rust");
        assert!(lines.iter().all(|l| str_width(l) <= 12), "{lines:?}");
        let rejoined: String = lines[1..].iter().map(|l| l.strip_prefix("│ ").unwrap_or(l)).collect();
        assert_eq!(rejoined, code);
    }

    #[test]
    fn quotes_rules_and_html() {
        let t = theme();
        let preview = render(
            "> quoted text\n>\n> more\n\n---\n\n<div>raw</div>\n\nx <b>y</b>",
            10,
            &t,
        );
        assert_eq!(
            texts(&preview),
            [
                "▌ quoted",
                "▌ text",
                "▌",
                "▌ more",
                "",
                "──────────",
                "",
                "<div>raw</",
                "div>",
                "",
                "x <b>y</b>"
            ]
        );
        assert_eq!(preview.lines[0].spans[0].style, t.muted);
        assert_eq!(preview.lines[5].spans[0].style, t.border);
        assert_eq!(span_with(&preview, "<div>").style, t.muted);
        assert_eq!(span_with(&preview, "<b>").style, t.muted);
        assert_eq!(span_with(&preview, "y").style, t.text);
    }

    #[test]
    fn containers_nest() {
        let md = "> - one two three\n> - four\n>\n> after\n\n- item\n\n  > quoted in item";
        assert_eq!(
            lines_of(md, 12),
            [
                "▌ • one two",
                "▌   three",
                "▌ • four",
                "▌",
                "▌ after",
                "",
                "• item",
                "",
                "  ▌ quoted",
                "  ▌ in item"
            ]
        );
    }

    #[test]
    fn tabs_become_four_spaces() {
        assert_eq!(lines_of("a\tb", 40), ["a    b"]);
    }

    #[test]
    fn section_range_spans_to_the_next_heading_of_the_same_or_higher_level() {
        let md = "# Doc\n\nintro\n\n## One\n\na\n\n### Sub\n\nb\n\n## Two\n\nc";
        let preview = render(md, 40, &theme());
        let line = |text: &str| {
            preview
                .headings
                .iter()
                .find(|h| h.text == text)
                .map_or(usize::MAX, |h| h.line)
        };
        assert_eq!(preview.section_range("one"), Some(line("One")..line("Two")));
        assert_eq!(preview.section_range("  SUB "), Some(line("Sub")..line("Two")));
        assert_eq!(preview.section_range("Two"), Some(line("Two")..preview.lines.len()));
        assert_eq!(preview.section_range("Doc"), Some(0..preview.lines.len()));
        assert_eq!(preview.section_range("Missing"), None);
        assert_eq!(line("One"), 4);
    }

    #[test]
    fn tiny_widths_and_empty_input_do_not_panic() {
        let md = "# Heading\n\nSome **text** here with 漢字 and a verylongword.\n\n- item\n  - nested\n\n\
                  | a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n\n```mermaid\ngraph\n```\n\n> q\n\n---";
        for width in [0, 1, 2, 3, 4, 5] {
            let preview = render(md, width, &theme());
            assert!(!preview.lines.is_empty());
            assert_eq!(preview.headings.len(), 1);
        }
        assert_eq!(render(md, 0, &theme()), render(md, 4, &theme()));
        assert_eq!(render("", 0, &theme()), Preview::default());
        assert_eq!(render("", 80, &theme()), Preview::default());
        assert!(render("   \n\n", 1, &theme()).lines.is_empty());
    }

    #[test]
    fn cjk_wraps_by_display_width() {
        let lines = lines_of(&"漢字".repeat(12), 20);
        assert_eq!(lines, ["漢字漢字漢字漢字漢字", "漢字漢字漢字漢字漢字", "漢字漢字"]);
        let mixed = lines_of("hello 世界 and 日本語のテキスト", 12);
        assert_eq!(mixed, ["hello 世界", "and 日本語の", "テキスト"]);
        for line in lines_of("😀😀😀😀😀 e\u{301}tude 👩\u{200d}💻 done", 7) {
            assert!(str_width(&line) <= 7, "{line:?}");
        }
    }

    #[test]
    fn every_line_fits_the_width() {
        let md = "# Title with several words\n\nA paragraph with `inline code`, [a link](u) and **strong text** that wraps.\n\n\
                  - item one with words\n  - nested item with words\n1. ordered item with words\n\n\
                  > quoted paragraph with words\n\n| Col | Other |\n|---|---|\n| some words | more words here |\n\n\
                  ```\na long line of code that must be wrapped\n```";
        for width in 12..=60 {
            for line in lines_of(md, width) {
                assert!(str_width(&line) <= usize::from(width), "width {width}: {line:?}");
            }
        }
    }

    #[test]
    fn fit_columns_keeps_narrow_columns_and_uses_all_room() {
        assert_eq!(fit_columns(&[5, 3, 15], &[5, 3, 5], 40), [5, 3, 15]);
        // Longest words fit: each keeps its longest word, the spare goes to who wants more.
        assert_eq!(fit_columns(&[17, 11, 60], &[17, 6, 8], 38), [17, 7, 14]);
        // They do not: columns whose longest word is within an even share keep it, the rest share what is left.
        assert_eq!(fit_columns(&[17, 3, 60], &[17, 3, 10], 24), [11, 3, 10]);
        assert_eq!(fit_columns(&[40, 40], &[30, 10], 20), [10, 10]);
        assert_eq!(fit_columns(&[10, 10], &[10, 10], 0), [1, 1]);
    }
}
