//! Markdown → styled, width-wrapped lines for the preview pane, plus the heading index used to scroll to a section.
use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::tui::theme::Theme;

mod inline;
mod table;

use inline::{Scratch, push_seg, push_spaces, str_width, trim_end, wrap};

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
    /// For each line, where its text starts in the Markdown ([`NO_SOURCE`] for blank lines,
    /// rules and other decorations).
    pub sources: Vec<usize>,
}

/// A line drawn from no text of the Markdown.
pub const NO_SOURCE: usize = usize::MAX;

impl Preview {
    /// The line showing byte `offset` of the Markdown: the last line whose text starts at or
    /// before it.
    pub fn line_of(&self, offset: usize) -> Option<usize> {
        let mut found = None;
        for (i, &source) in self.sources.iter().enumerate() {
            if source == NO_SOURCE {
                continue;
            }
            if source > offset {
                break;
            }
            found = Some(i);
        }
        found
    }

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

/// The Markdown the preview reads: `CommonMark` with tables and strikethrough.
const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// Renders `markdown` for a pane `width` columns wide (widths below 4 are treated as 4).
pub fn render(markdown: &str, width: u16, theme: &Theme) -> Preview {
    let mut renderer = Renderer::new(theme, usize::from(width.max(MIN_WIDTH)));
    for (event, range) in Parser::new_ext(markdown, OPTIONS).into_offset_iter() {
        renderer.at = range.start;
        renderer.event(clean(event));
    }
    renderer.finish()
}

/// Renders `markdown` exactly as [`render`] does, reusing from `parts` the rendering of each
/// part of it (from one top-level heading to the next) that is unchanged since the last call:
/// a typed character changes one part of the preview, and the others are not parsed again.
/// Markdown that can join what lies on both sides of a heading (HTML blocks, link reference
/// definitions, footnotes) is rendered whole.
pub fn render_reusing(markdown: &str, width: u16, theme: &Theme, parts: &mut Parts) -> Preview {
    if parts.width != width || parts.theme != theme.name {
        *parts = Parts {
            width,
            theme: theme.name,
            ..Parts::default()
        };
    }
    let Some(cuts) = cuts(markdown) else {
        parts.rendered.clear();
        return render(markdown, width, theme);
    };
    let mut out = Preview::default();
    let mut rendered = std::collections::HashMap::with_capacity(cuts.len());
    let mut blank_pending = false;
    for range in cuts {
        let text = &markdown[range.clone()];
        let part = parts.rendered.remove(text).unwrap_or_else(|| {
            let mut alone = Renderer::new(theme, usize::from(width.max(MIN_WIDTH)));
            for (event, at) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
                alone.at = at.start;
                alone.event(clean(event));
            }
            alone.flush_loose();
            let blank = alone.pending_blank;
            std::rc::Rc::new((alone.finish(), blank))
        });
        let (preview, ends_blank) = part.as_ref();
        // The whole render separates the blocks on either side of the cut with a blank line.
        if blank_pending && !out.lines.is_empty() && !preview.lines.is_empty() {
            out.lines.push(Line::from(Vec::<Span<'static>>::new()));
            out.sources.push(NO_SOURCE);
        }
        let first = out.lines.len();
        out.lines.extend(preview.lines.iter().cloned());
        out.sources.extend(
            preview
                .sources
                .iter()
                .map(|&s| if s == NO_SOURCE { s } else { s + range.start }),
        );
        out.headings.extend(preview.headings.iter().map(|h| Heading {
            line: h.line + first,
            ..h.clone()
        }));
        blank_pending = if preview.lines.is_empty() {
            blank_pending || *ends_blank
        } else {
            *ends_blank
        };
        rendered.insert(text.to_string(), part);
    }
    parts.rendered = rendered;
    out
}

/// The renderings of the parts of the last Markdown `render_reusing` saw, by their text.
#[derive(Debug, Default)]
pub struct Parts {
    width: u16,
    theme: &'static str,
    rendered: std::collections::HashMap<String, std::rc::Rc<(Preview, bool)>>,
}

/// Where `markdown` can be cut into parts that render alone as they do together: before each
/// top-level ATX heading that follows a blank line outside fenced code. `None` when something
/// in it could join both sides of a cut.
fn cuts(markdown: &str) -> Option<Vec<Range<usize>>> {
    let joins = markdown.match_indices('<').any(|(at, _)| {
        let next = markdown[at + 1..]
            .get(..8)
            .unwrap_or(&markdown[at + 1..])
            .to_ascii_lowercase();
        next.starts_with(['!', '?'])
            || ["script", "pre", "style", "textarea"]
                .iter()
                .any(|t| next.starts_with(t))
    }) || markdown.contains("]:")
        || markdown.contains("[^");
    if joins {
        return None;
    }
    let mut cuts = Vec::new();
    let (mut from, mut fence, mut blank_before) = (0, None::<char>, true);
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let mark = trimmed.chars().next();
            match fence {
                None => fence = mark,
                Some(open) if mark == Some(open) => fence = None,
                Some(_) => {}
            }
        } else if fence.is_none() && blank_before && at > 0 && is_heading(content) {
            cuts.push(from..at);
            from = at;
        }
        blank_before = content.trim().is_empty();
        at += line.len();
    }
    cuts.push(from..markdown.len());
    Some(cuts)
}

/// An ATX heading written at the start of its line: one to six `#` and a space or nothing.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].chars().next().is_none_or(|c| c == ' ' || c == '\t')
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
#[derive(Clone)]
enum Piece<'a> {
    /// Text, its style, and where it starts in the Markdown.
    Text(CowStr<'a>, Style, usize),
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
    /// Where the code starts in the Markdown.
    source: Option<usize>,
}

struct Renderer<'t, 'a> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    headings: Vec<Heading>,
    sources: Vec<usize>,
    /// Where the event being handled starts in the Markdown.
    at: usize,
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
            sources: Vec::new(),
            at: 0,
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
            sources: self.sources,
        }
    }

    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.source.get_or_insert(self.at);
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
                self.pieces.push(Piece::Text(CowStr::Borrowed(" "), style, self.at));
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
                    source: None,
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
        self.pieces.push(Piece::Text(text, style, self.at));
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
            Piece::Text(text, _, _) => Some(text.trim_start()),
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
            if let Piece::Text(_, style, _) = piece {
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
        for (line, source) in wrapped {
            let index = self.emit_from(line, source);
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
            self.sources.push(NO_SOURCE);
        }
    }

    fn emit(&mut self, content: Vec<Span<'static>>) -> usize {
        self.emit_from(content, NO_SOURCE)
    }

    /// Emits a line of content that starts at byte `source` of the Markdown.
    fn emit_from(&mut self, content: Vec<Span<'static>>, source: usize) -> usize {
        self.separate();
        let spans = if self.containers.is_empty() {
            content
        } else {
            let mut spans = self.prefix(true);
            spans.extend(content);
            spans
        };
        self.lines.push(Line::from(spans));
        self.sources.push(source);
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
        let mut offset = 0;
        for line in text.split('\n') {
            let source = code.source.map_or(NO_SOURCE, |s| s + offset);
            offset += line.len() + 1;
            let line = if line.contains('\t') {
                Cow::Owned(line.replace('\t', TAB))
            } else {
                Cow::Borrowed(line)
            };
            if line.is_empty() {
                self.emit_from(vec![Span::styled(CODE_BAR.trim_end(), border)], source);
                continue;
            }
            // Code is never word-wrapped, only cut into width-sized chunks so nothing is lost.
            for chunk in crate::core::wrap::cut(&line, avail) {
                let chunk = line[chunk].to_owned();
                self.emit_from(
                    vec![Span::styled(CODE_BAR, border), Span::styled(chunk, code_style)],
                    source,
                );
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
            Piece::Text(t, _, _) => text.push_str(t),
            Piece::Break => text.push(' '),
        }
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod tests;
