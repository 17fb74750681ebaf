//! The preview's rendering, line by line.
use super::table::fit_columns;
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
fn a_table_narrower_than_its_words_becomes_column_value_lines() {
    let md = "| Code | HTTP status | Meaning |\n|---|---|---|\n\
              | validation_failed | 422 | One or more fields are invalid; see errors[] |\n\
              | not_found | 404 | The resource does not exist or is not visible to the caller |";
    let t = theme();
    let preview = render(md, 30, &t);
    let lines = texts(&preview);
    assert_eq!(
        lines,
        [
            "Code: validation_failed",
            "HTTP status: 422",
            "Meaning: One or more fields",
            "  are invalid; see errors[]",
            "",
            "Code: not_found",
            "HTTP status: 404",
            "Meaning: The resource does",
            "  not exist or is not visible",
            "  to the caller",
        ]
    );
    assert_eq!(span_with(&preview, "Code:").style, t.strong);
    assert_eq!(span_with(&preview, "validation_failed").style, t.text);
    // Every word of every cell is there whole.
    let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    for cell in [
        "validation_failed",
        "422",
        "invalid;",
        "errors[]",
        "not_found",
        "visible",
        "caller",
    ] {
        assert!(words.contains(&cell), "{cell:?} in {lines:#?}");
    }
    // Where the longest words fit, it stays a table and no word is broken.
    let lines = lines_of(md, 44);
    assert!(lines.iter().any(|l| l.starts_with("validation_failed │")), "{lines:#?}");
    assert!(lines.iter().all(|l| str_width(l) <= 44), "{lines:#?}");
    for line in lines.iter().filter(|l| !l.starts_with('─')) {
        for part in line.split('│') {
            for word in part.split_whitespace() {
                assert!(md.contains(word), "{word:?} was broken: {lines:#?}");
            }
        }
    }
}

#[test]
fn each_line_knows_where_its_text_is_in_the_markdown() {
    let md = "# Title\n\nFirst paragraph that wraps over several lines here.\n\n| a | b |\n|---|---|\n| x | y |\n\n```\ncode one\ncode two\n```\n";
    let preview = render(md, 20, &theme());
    let line_with = |needle: &str| {
        preview
            .lines
            .iter()
            .position(|l| line_text(l).contains(needle))
            .unwrap()
    };
    for needle in ["Title", "First", "over", "here.", "x", "code two"] {
        let offset = md.find(needle).unwrap();
        assert_eq!(preview.line_of(offset), Some(line_with(needle)), "{needle}");
    }
    assert_eq!(preview.line_of(md.find("y |").unwrap()), Some(line_with("x")));
    assert_eq!(preview.sources.len(), preview.lines.len());
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
    assert_eq!(fit_columns(&[40, 40], &[10, 10], 20), [10, 10]);
}

/// `render_reusing` against `render`: every line, style, source and heading the same.
fn same_both_ways(markdown: &str, width: u16, parts: &mut Parts) {
    let whole = render(markdown, width, &theme());
    let reused = render_reusing(markdown, width, &theme(), parts);
    assert_eq!(reused, whole, "{markdown:?} at width {width}");
}

#[test]
fn rendering_by_parts_gives_what_the_whole_rendering_gives_for_every_built_in_document() {
    use crate::core::document::Engine;
    use crate::core::questionnaire::{BUILTIN, parse};
    use std::path::Path;
    let mut parts = Parts::default();
    let mut cut_once = false;
    for (path, text) in BUILTIN {
        let q = std::sync::Arc::new(parse(Path::new(path), text).unwrap());
        let engine = Engine::new(std::sync::Arc::clone(&q)).unwrap();
        let name = Path::new(path).file_stem().unwrap().to_string_lossy().into_owned();
        let answers_file = format!("{}/tests/answers/{name}-complete.toml", env!("CARGO_MANIFEST_DIR"));
        let answers_text = std::fs::read_to_string(&answers_file).unwrap();
        let complete = crate::core::session::parse(Path::new(&answers_file), &answers_text, &q)
            .unwrap()
            .answers;
        let mut documents = engine.render(&crate::core::session::Answers::default()).unwrap();
        documents.extend(engine.render(&complete).unwrap());
        for d in documents
            .iter()
            .filter(|d| d.kind == crate::core::questionnaire::DocumentKind::Markdown)
        {
            cut_once |= cuts(&d.text).is_some_and(|c| c.len() > 1);
            for width in [60, 97] {
                same_both_ways(&d.text, width, &mut parts);
                // Again with every part reused, then with one part changed.
                same_both_ways(&d.text, width, &mut parts);
                let edited = d.text.replacen("\n\n", "\n\nEdited *here*, with `code`.\n\n", 1);
                same_both_ways(&edited, width, &mut parts);
            }
        }
    }
    assert!(
        cut_once,
        "the documents were never cut into parts: the test would compare nothing"
    );
}

proptest::proptest! {
    #[test]
    fn rendering_by_parts_gives_what_the_whole_rendering_gives(
        pieces in proptest::collection::vec(proptest::sample::select(&[
            "# Title\n", "## Section\n", "### Sub\n", "#Not a heading\n", "\n", "\n\n", "Some *text* here.\n",
            "- item\n", "  - nested\n", "1. first\n", "> quoted\n", "```\n", "~~~\n", "code # not heading\n",
            "| a | b |\n", "|---|---|\n", "| 1 | 2 |\n", "    indented\n", "Setext\n", "---\n", "===\n",
            "<div>\n", "<!-- note\n", "-->\n", "[x]: https://example.com\n", "See [x].\n", "[^1] note\n",
            "**bold** and `code`\n", "a line\\\n", "***\n", "- [ ] task\n", "## Another\n\n",
        ][..]), 0..24),
        width in 20u16..100,
    ) {
        let markdown: String = pieces.concat();
        let mut parts = Parts::default();
        same_both_ways(&markdown, width, &mut parts);
        // And reusing the parts of a different text before it.
        let before = markdown.replacen("text", "words", 1);
        let mut parts = Parts::default();
        let _ = render_reusing(&before, width, &theme(), &mut parts);
        same_both_ways(&markdown, width, &mut parts);
    }
}
