//! The hostile corpus for the screens: the Markdown preview and the diff reviewer clean what
//! they draw themselves. ESC, a C1 control and the right-to-left override U+202E put through
//! each must come out as visible symbols, whatever cleaned (or did not clean) their input.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use spec_interview::core::fsio::Project;
use spec_interview::core::history::{History, Provenance};
use spec_interview::core::review::{Anchor, Note, ReviewDecision, Verdict};
use spec_interview::tui::markdown;
use spec_interview::tui::review::app::{Store, open};
use spec_interview::tui::review::update::{Msg, update};
use spec_interview::tui::review::view::draw;
use spec_interview::tui::theme::Theme;

/// What must never be drawn: ESC, CSI (C1), BEL, RLO, an isolate.
fn raw(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{1b}' | '\u{9b}' | '\u{7}' | '\u{202E}' | '\u{2066}'))
}

#[test]
fn the_preview_shows_controls_from_text_code_html_and_entities_as_symbols() {
    let markdown = "# Title \u{1b}[31mred\n\
                    \n\
                    Text \u{9b}2J and \u{202E}rlo and `code \u{1b}]0;x\u{7}` and <b>\u{1b}[5m</b>.\n\
                    \n\
                    Entities: &#27;[31m &#155; &#x202E; &#x2066;.\n\
                    \n\
                    ```sh\u{1b}[1m\n\
                    echo \u{1b}[2J\n\
                    ```\n";
    let preview = markdown::render(markdown, 80, &Theme::monochrome());
    let text: String = preview
        .lines
        .iter()
        .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
        .collect::<Vec<_>>()
        .join("|");
    assert!(!raw(&text), "{text:?}");
    for shown in [
        "Title \u{241B}[31mred",
        "Text \u{FFFD}2J and \u{FFFD}rlo",
        "code \u{241B}]0;x\u{2407}",
        "\u{241B}[31m \u{FFFD} \u{FFFD} \u{FFFD}.",
        "echo \u{241B}[2J",
    ] {
        assert!(text.contains(shown), "{shown:?} is not in {text:?}");
    }
    assert!(preview.headings.iter().all(|h| !raw(&h.text)), "{:?}", preview.headings);
}

#[test]
fn the_reviewer_shows_controls_from_texts_names_and_notes_as_symbols() {
    const DOC: &str = ".specflow/docs/D\u{1b}[31mx.md";
    let dir = tempfile::tempdir().unwrap();
    let project = Project::new(dir.path());
    let history = History::open(&project, DOC);
    let provenance = Provenance {
        time: "2026-01-01T00:00:00Z\u{1b}[2J".into(),
        author: "Mallory\u{1b}]0;pwned\u{7}".into(),
        git: None,
    };
    for text in [
        "# Head\u{1b}[31ming\nplain line\n",
        "# Head\u{1b}[31ming\nchanged \u{1b}[5m blink \u{9b}2J csi \u{202E}rlo\n",
    ] {
        history
            .record(DOC, text, "[answers]\n\"id\u{1b}[1m\" = 1\n", ("q", "1"), &provenance)
            .unwrap();
    }
    history
        .record_decision(&ReviewDecision {
            revision: 2,
            verdict: Verdict::ChangesRequested,
            reviewer: "Eve\u{1b}[8m\u{202E}".into(),
            time: "2026-01-02T00:00:00Z".into(),
            notes: vec![Note {
                id: String::new(),
                anchor: Anchor {
                    path: vec!["Head\u{1b}[31ming".into()],
                    quote: "changed".into(),
                    offset: None,
                    after: String::new(),
                },
                on: None,
                author: "Mal\u{1b}[7mlet".into(),
                text: "note \u{9b}31m \u{2066}here".into(),
            }],
        })
        .unwrap();
    let store = Store {
        project,
        document: DOC.into(),
        history,
        reviewer: Some("Rev\u{1b}[1m\u{202E}iewer".into()),
        reviewer_origin: "from $SPEC_INTERVIEW_REVIEWER".into(),
    };
    let mut model = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
    for (w, h) in [(80, 24), (160, 48)] {
        update(&mut model, Msg::Resize(w, h));
        // The opening notice goes with the first key; the review state has its room then.
        model.notice = None;
        let screen = draw_screen(&model, w, h);
        assert!(!raw(&screen), "{screen}");
        for shown in [
            "D\u{241B}[31mx.md",
            "changed \u{241B}[5m blink \u{FFFD}2J csi \u{FFFD}rlo",
            "Eve\u{241B}[8m\u{FFFD}",
            "note \u{FFFD}31m \u{FFFD}here",
            "Mal\u{241B}[7mlet",
            "Rev\u{241B}[1m\u{FFFD}iewer",
        ] {
            assert!(screen.contains(shown), "{w}×{h}: {shown:?} is not in\n{screen}");
        }
    }
    // The revision list: times, authors and answer ids from the records.
    update(
        &mut model,
        Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char('r'),
            ratatui::crossterm::event::KeyModifiers::NONE,
        )),
    );
    let screen = draw_screen(&model, 160, 48);
    assert!(!raw(&screen), "{screen}");
    assert!(
        screen.contains("2026-01-01T00:00:00Z\u{241B}[2J  Mallory\u{241B}]0;pwne"),
        "{screen}"
    );
}

/// The screen as text, one line per row, from ratatui's test backend.
fn draw_screen(model: &spec_interview::tui::review::model::ReviewModel, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(f, model)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}
