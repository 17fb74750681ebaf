//! The diff reviewer without a terminal: two revisions in a temp project's history, scripted
//! keys through the pure update, the effects it asks for, and snapshots of the screen on
//! ratatui's `TestBackend` at 80×24 and 160×48 in both layouts.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use spec_interview::core::fsio::Project;
use spec_interview::core::history::{History, Provenance};
use spec_interview::core::review::{Anchor, Note, ReviewDecision, Verdict};
use spec_interview::tui::review::app::{Store, open, osc52};
use spec_interview::tui::review::model::{Layout, Overlay, ReviewModel, Row};
use spec_interview::tui::review::update::{Effect, Msg, update};
use spec_interview::tui::review::view::draw;
use spec_interview::tui::theme::Theme;

const DOC: &str = ".specflow/docs/D04-payments.md";

const OLD: &str = "\
# Payments: backend architecture

## Context

**Database:** PostgreSQL 16

**Business goal:** Small accounting firms keep client ledgers in one place and close each month in under a day.

## Data access

Every request carries a token that the gateway checks before routing it to the ledger service.

Reads go to the primary.

## Security

- Passwords hashed with argon2id.
- Sessions expire after 12 hours.

## Jobs

Nightly exports run at 02:00 UTC.

## Open questions

- Which region hosts the replica?
";

const NEW: &str = "\
# Payments: backend architecture

## Context

**Database:** PostgreSQL 17 with logical replication to a read replica

**Business goal:** Small accounting firms keep every client ledger in one place and close each month in under half a day.

## Security

- Passwords hashed with argon2id.
- Sessions expire after 8 hours.

## Data access

Every request carries a token that the gateway
checks before routing it to the ledger service.

Reads go to the primary.

## Background jobs

Nightly exports run at 02:00 UTC.

## Rate limiting

- 100 requests per minute per API key.
";

struct Review {
    _dir: tempfile::TempDir,
    store: Store,
    model: ReviewModel,
}

fn provenance() -> Provenance {
    Provenance {
        time: "2026-11-20T10:00:00Z".into(),
        author: "Ada".into(),
    }
}

/// A project whose history holds `texts` (with their answers) as revisions 1, 2, …
fn store_with(texts: &[(&str, &str)]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::new(dir.path());
    let history = History::open(&project, DOC);
    for (text, answers) in texts {
        history
            .record(DOC, text, answers, ("d04-backend-architecture", "1.0.0"), &provenance())
            .unwrap();
    }
    let store = Store {
        reviewer: None,
        project,
        document: DOC.into(),
        history,
    };
    (dir, store)
}

impl Review {
    fn new(width: u16, height: u16) -> Review {
        let (dir, store) = store_with(&[
            (OLD, "[answers]\ndatabase = \"PostgreSQL 16\"\n"),
            (NEW, "[answers]\ndatabase = \"PostgreSQL 17\"\n"),
        ]);
        let mut model = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
        update(&mut model, Msg::Resize(width, height));
        Review {
            _dir: dir,
            store,
            model,
        }
    }

    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.key_with(code, KeyModifiers::NONE)
    }

    fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
        update(&mut self.model, Msg::Key(KeyEvent::new(code, modifiers)))
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            assert!(self.key(KeyCode::Char(c)).is_empty());
        }
    }

    fn screen(&self) -> String {
        review_screen(&self.model)
    }

    fn section_of_cursor(&self) -> String {
        let k = self.model.current_section();
        self.model.comparison.sections[k].change.title.clone()
    }

    fn notice(&self) -> String {
        self.model.notice.as_ref().map(|(_, t)| t.clone()).unwrap_or_default()
    }
}

fn review_screen(model: &ReviewModel) -> String {
    let (w, h) = model.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(f, model)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..h)
        .map(|y| {
            let line: String = (0..w).map(|x| buffer[(x, y)].symbol().to_string()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sections_are_matched_before_lines() {
    let r = Review::new(160, 48);
    let described: Vec<String> = r
        .model
        .comparison
        .sections
        .iter()
        .map(|s| format!("{} {} {}", s.change.mark(), s.change.title, s.change.describe()))
        .collect();
    assert_eq!(
        described,
        [
            "  Payments: backend architecture unchanged",
            "~ Context edited",
            "~ Security edited",
            "> Data access moved",
            "% Background jobs renamed from \"Jobs\"",
            "- Open questions removed",
            "+ Rate limiting added",
        ]
    );
}

#[test]
fn the_layout_follows_the_width_and_switches_live() {
    let mut r = Review::new(80, 24);
    assert_eq!(r.model.layout(), Layout::Unified, "narrow terminals get unified");
    assert!(r.model.panes().outline.is_none());
    update(&mut r.model, Msg::Resize(160, 48));
    assert_eq!(r.model.layout(), Layout::SideBySide);
    assert!(r.model.panes().outline.is_some());
    // The cursor stays on the same line across layouts.
    r.key(KeyCode::Char('n'));
    let line_of = |m: &ReviewModel| m.cursor_line().map(|(_, l)| (l.old, l.new));
    let before = line_of(&r.model);
    r.key(KeyCode::Char('s'));
    assert_eq!(r.model.layout(), Layout::Unified);
    assert!(r.notice().contains("Unified"), "{}", r.notice());
    assert_eq!(line_of(&r.model), before);
    r.key(KeyCode::Char('s'));
    assert_eq!(r.model.layout(), Layout::SideBySide);
}

#[test]
fn hunks_and_changed_sections_are_walked_in_order() {
    let mut r = Review::new(160, 48);
    assert_eq!(r.section_of_cursor(), "Context", "opens on the first change");
    r.key(KeyCode::Char('n'));
    assert!(r.notice().starts_with("Hunk 1 of"), "{}", r.notice());
    let first = r.model.cursor;
    r.key(KeyCode::Char('n'));
    assert!(r.model.cursor > first);
    r.key_with(KeyCode::Char('N'), KeyModifiers::SHIFT);
    assert_eq!(r.model.cursor, first, "Shift-N goes back");
    r.key(KeyCode::Tab);
    assert_eq!(r.section_of_cursor(), "Security");
    r.key(KeyCode::Char(']'));
    assert_eq!(r.section_of_cursor(), "Data access");
    r.key_with(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(r.section_of_cursor(), "Security");
    r.key(KeyCode::End);
    r.key(KeyCode::Tab);
    assert_eq!(r.notice(), "No changed section below.");
}

#[test]
fn unchanged_sections_fold_and_open() {
    let mut r = Review::new(160, 48);
    let rows_of = |m: &ReviewModel, k: usize| m.rows.iter().filter(|row| row.section() == k).count();
    assert_eq!(rows_of(&r.model, 0), 1, "the unchanged title section is one line");
    r.key(KeyCode::Home);
    r.key(KeyCode::Enter);
    assert!(rows_of(&r.model, 0) > 1, "Enter opens it");
    r.key(KeyCode::Enter);
    assert_eq!(rows_of(&r.model, 0), 1, "and folds it again");
}

#[test]
fn viewed_marks_count_and_move_on() {
    let mut r = Review::new(160, 48);
    assert_eq!(r.model.progress(), (0, 6));
    r.key(KeyCode::Char('v'));
    assert_eq!(r.model.progress(), (1, 6));
    assert_eq!(
        r.section_of_cursor(),
        "Security",
        "on to the next section not yet viewed"
    );
    assert!(r.notice().contains("1 of 6"), "{}", r.notice());
    assert!(r.screen().contains("Sections · 1/6 viewed"));
}

#[test]
fn prose_changes_are_emphasised_by_word_and_reflow_is_not() {
    let r = Review::new(160, 48);
    let context = &r.model.comparison.sections[1];
    let inserted = context
        .lines
        .iter()
        .find(|l| r.model.comparison.text(l).contains("PostgreSQL 17"))
        .unwrap();
    let (ranges, label) = r.model.emphasis_of(inserted);
    let text = r.model.comparison.text(inserted);
    let words: Vec<&str> = ranges.iter().map(|x| &text[x.clone()]).collect();
    assert_eq!(words, ["17 with logical replication to a read replica"]);
    assert_eq!(label, None);
    let moved = &r.model.comparison.sections[3];
    let reflowed = moved
        .lines
        .iter()
        .find(|l| r.model.comparison.text(l).starts_with("checks before"))
        .unwrap();
    // The reflowed paragraph is visible (its section is open) and carries no emphasis.
    let (ranges, label) = r.model.emphasis_of(reflowed);
    assert!(ranges.is_empty());
    assert_eq!(label, Some("reflowed"));
}

#[test]
fn a_note_then_a_request_for_changes() {
    let mut r = Review::new(160, 48);
    // A request for changes needs a note: c opens the note first.
    r.key(KeyCode::Char('c'));
    assert!(matches!(r.model.overlay, Some(Overlay::Note { .. })));
    r.key(KeyCode::Esc);
    assert!(r.model.overlay.is_none());
    // Move to the Database line and write a note there.
    while !r
        .model
        .cursor_line()
        .is_some_and(|(_, l)| r.model.comparison.text(&l).contains("PostgreSQL 17"))
    {
        assert!(r.model.cursor + 1 < r.model.rows.len(), "the Database line is shown");
        r.key(KeyCode::Down);
    }
    r.key(KeyCode::Char('m'));
    let Some(Overlay::Note { anchor, .. }) = &r.model.overlay else {
        panic!("m opens a note")
    };
    assert_eq!(anchor.path, ["Payments: backend architecture", "Context"]);
    assert!(anchor.quote.contains("PostgreSQL 17"));
    r.typed("Which reads go to replica?");
    // The note is a real text field: move back and insert.
    for _ in 0.."replica?".len() {
        r.key(KeyCode::Left);
    }
    r.typed("the ");
    insta::assert_snapshot!("review_note_80x24", {
        let mut small = Review::new(80, 24);
        small.key(KeyCode::Char('n'));
        small.key(KeyCode::Char('m'));
        small.typed("Which reads go to the replica?");
        small.screen()
    });
    r.key(KeyCode::Enter);
    assert_eq!(r.model.notes.iter().filter(|n| n.pending).count(), 1);
    assert!(
        r.model.rows.iter().any(|row| matches!(row, Row::Note { .. })),
        "the note is shown under its line"
    );
    assert!(
        r.screen()
            .contains("✎ your note (not recorded yet): Which reads go to the replica?")
    );
    // Quitting now would drop the note: the first q warns, any other key disarms it.
    assert!(r.key(KeyCode::Char('q')).is_empty());
    assert!(r.notice().contains("1 note is not recorded yet"), "{}", r.notice());
    r.key(KeyCode::Char('c'));
    assert!(matches!(r.model.overlay, Some(Overlay::Decide { approve: false })));
    let effects = r.key(KeyCode::Enter);
    let [Effect::Record(decision)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let mut other = Review::new(80, 24);
    other.key(KeyCode::Char('n'));
    other.key(KeyCode::Char('m'));
    other.typed("x");
    other.key(KeyCode::Enter);
    assert!(other.key(KeyCode::Char('q')).is_empty());
    assert_eq!(other.key(KeyCode::Char('q')), [Effect::Quit], "the second q quits");
    assert_eq!((decision.revision, decision.verdict), (2, Verdict::ChangesRequested));
    assert_eq!(decision.notes.len(), 1);
    assert_eq!(decision.notes[0].text, "Which reads go to the replica?");
}

#[test]
fn the_third_request_for_changes_says_the_limit_is_reached() {
    let mut r = Review::new(160, 48);
    let note = r.model.notes.len();
    let request = |reviewer: &str| ReviewDecision {
        revision: 2,
        verdict: Verdict::ChangesRequested,
        reviewer: reviewer.into(),
        time: String::new(),
        notes: Vec::new(),
    };
    assert!(r.store.record(request("x")).unwrap().limit.is_none());
    assert!(r.store.record(request("x")).unwrap().limit.is_none());
    let third = r.store.record(request("x")).unwrap();
    let limit = third.limit.clone().expect("the third request reaches the limit");
    assert!(limit.contains("revision limit"), "{limit}");
    update(&mut r.model, Msg::Recorded(Ok(third)));
    assert!(matches!(r.model.overlay, Some(Overlay::Alert { .. })));
    assert!(r.screen().contains("revision limit"), "{}", r.screen());
    r.key(KeyCode::Enter);
    assert!(r.model.overlay.is_none());
    assert_eq!(r.model.notes.len(), note);
}

#[test]
fn recorded_notes_follow_their_lines_into_later_revisions_or_say_they_are_lost() {
    let newer = NEW.replace("## Security", "## Safety and security");
    let (_dir, store) = store_with(&[(OLD, ""), (NEW, ""), (&newer, "")]);
    let note = |quote: &str, path: &[&str]| Note {
        anchor: Anchor {
            path: path.iter().map(ToString::to_string).collect(),
            quote: quote.into(),
        },
        text: format!("about {quote}"),
    };
    let top = "Payments: backend architecture";
    store
        .history
        .record_decision(&ReviewDecision {
            revision: 2,
            verdict: Verdict::ChangesRequested,
            reviewer: "Ada".into(),
            time: "2026-11-21T09:00:00Z".into(),
            notes: vec![
                note("- Sessions expire after 8 hours.", &[top, "Security"]),
                note("- Which region hosts the replica?", &[top, "Open questions"]),
            ],
        })
        .unwrap();
    // Comparing 2 → 3 shows the notes on revision 2 in revision 3's text.
    let mut model = open(&store, Some(2), Some(3), Theme::monochrome()).unwrap();
    update(&mut model, Msg::Resize(160, 48));
    assert_eq!(model.review, "not reviewed");
    let placed: Vec<Option<usize>> = model.notes.iter().map(|n| n.line).collect();
    let expire = newer.lines().position(|l| l.contains("8 hours")).unwrap();
    assert_eq!(placed, [Some(expire), None]);
    let screen = review_screen(&model);
    assert!(screen.contains("✎ note by Ada on revision 2"), "{screen}");
    assert!(
        screen.contains("is gone: “- Which region hosts the replica?”"),
        "{screen}"
    );
}

#[test]
fn decisions_are_refused_on_the_file_on_disk() {
    let (_dir, store) = store_with(&[(OLD, "")]);
    let file = store.project.document_file(DOC);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, NEW).unwrap();
    let mut model = open(&store, Some(1), None, Theme::monochrome()).unwrap();
    assert_eq!(model.newer.label, "the file on disk");
    let effects = update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
    );
    assert!(effects.is_empty());
    let notice = model.notice.clone().unwrap().1;
    assert!(notice.contains("not on the file on disk"), "{notice}");
    // The revision list offers the file on disk too, saying how it stands.
    assert_eq!(model.disk.as_deref(), Some("edited by hand since revision 1"));
    assert_eq!(model.picker_items(), [None, Some(1)]);
    update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    // Older: revision 1 (second row); newer: the file on disk (first row).
    let enter = |m: &mut ReviewModel| update(m, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(enter(&mut model).is_empty());
    update(&mut model, Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)));
    assert_eq!(
        enter(&mut model),
        [Effect::Load {
            older: Some(1),
            newer: None
        }]
    );
}

#[test]
fn copying_a_hunk_or_a_section_asks_for_osc52() {
    let mut r = Review::new(160, 48);
    r.key(KeyCode::Char('n'));
    let effects = r.key(KeyCode::Char('y'));
    let [Effect::Copy { text, what }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(text.starts_with("## Context\n"), "{text}");
    assert!(
        text.contains("\n-**Database:** PostgreSQL 16\n+**Database:** PostgreSQL 17"),
        "{text}"
    );
    assert!(what.starts_with("the hunk ("), "{what}");
    let effects = r.key_with(KeyCode::Char('Y'), KeyModifiers::SHIFT);
    let [Effect::Copy { text, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(text.starts_with("## Context\n\n**Database:** PostgreSQL 17"), "{text}");
    assert!(!text.contains("PostgreSQL 16"), "a section is copied as it reads now");
    assert_eq!(osc52("hi"), "\u{1b}]52;c;aGk=\u{7}");
}

#[test]
fn two_other_revisions_are_chosen_from_the_list() {
    let mut r = Review::new(160, 48);
    r.key(KeyCode::Char('r'));
    let screen = r.screen();
    assert!(screen.contains("Choose the older revision"), "{screen}");
    assert!(screen.contains("database"), "changed answers are listed: {screen}");
    // Newest first: revision 2, then 1. Older = 2, newer = 2 compares a revision with itself.
    r.key(KeyCode::Up);
    r.key(KeyCode::Enter);
    assert!(r.screen().contains("Compare revision 2 with which newer revision?"));
    let effects = r.key(KeyCode::Enter);
    assert_eq!(
        effects,
        [Effect::Load {
            older: Some(2),
            newer: Some(2)
        }]
    );
    let loaded = r.store.load(Some(2), Some(2)).map(Box::new);
    update(&mut r.model, Msg::Loaded(loaded));
    assert!(r.model.comparison.is_equal());
    assert!(r.screen().contains("no differences"));
}

#[test]
fn long_lines_wrap_and_scroll_line_by_line() {
    let long = "word ".repeat(300);
    let (_dir, store) = store_with(&[
        (&format!("# T\n{long}\nend\n"), ""),
        (&format!("# T\n{long}more\nend\n"), ""),
    ]);
    let mut model = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
    update(&mut model, Msg::Resize(80, 24));
    let down = |m: &mut ReviewModel| update(m, Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
    // Down until the inserted long line is at the top; then Down scrolls inside it.
    for _ in 0..10 {
        down(&mut model);
    }
    let before = (model.cursor, model.top_skip);
    down(&mut model);
    assert!(
        model.top_skip > before.1 || model.cursor > before.0,
        "Down always moves: {before:?}"
    );
    let tall = model.rows.iter().map(|row| model.row_height(*row)).max().unwrap();
    assert!(tall > 20, "a 1,500-character line wraps onto many screen lines");
}

#[test]
fn snapshots() {
    for (w, h) in [(80, 24), (160, 48)] {
        for layout in [Layout::Unified, Layout::SideBySide] {
            let mut r = Review::new(w, h);
            r.model.layout_choice = Some(layout);
            r.model.relayout();
            let name = match layout {
                Layout::Unified => "unified",
                Layout::SideBySide => "side_by_side",
            };
            insta::assert_snapshot!(format!("review_{name}_{w}x{h}"), r.screen());
        }
    }
    let mut r = Review::new(80, 24);
    r.key(KeyCode::Char('r'));
    insta::assert_snapshot!("review_revisions_80x24", r.screen());
    let mut r = Review::new(160, 48);
    r.key(KeyCode::F(1));
    insta::assert_snapshot!("review_help_160x48", r.screen());
    let mut r = Review::new(20, 6);
    insta::assert_snapshot!("review_too_small", r.screen());
    r.key(KeyCode::Char('q'));
}
