//! The diff reviewer without a terminal: two revisions in a temp project's history, scripted
//! keys through the pure update, the effects it asks for, and snapshots of the screen on
//! ratatui's `TestBackend` at 80×24 and 160×48 in both layouts.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use spec_interview::core::fsio::Project;
use spec_interview::core::history::{History, Provenance};
use spec_interview::core::review::{Anchor, Note, Placement, ReviewDecision, Verdict};
use spec_interview::tui::review::app::{Store, clipboard_sequence, open};
use spec_interview::tui::review::model::{Layout, NoteTarget, Overlay, ReviewModel, Row};
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
        git: None,
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
        reviewer: Some("Rea".into()),
        reviewer_origin: "from the command line (--reviewer)".into(),
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
    let line_of = |m: &ReviewModel| m.cursor_line().map(|(_, l, _)| (l.old(), l.new()));
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
        .is_some_and(|(_, l, _)| r.model.comparison.text(&l).contains("PostgreSQL 17"))
    {
        assert!(r.model.cursor + 1 < r.model.rows.len(), "the Database line is shown");
        r.key(KeyCode::Down);
    }
    r.key(KeyCode::Char('m'));
    let Some(Overlay::Note {
        target: NoteTarget::New { anchor, on, .. },
        ..
    }) = &r.model.overlay
    else {
        panic!("m opens a note")
    };
    assert_eq!(anchor.path, ["Payments: backend architecture", "Context"]);
    assert!(anchor.quote.contains("PostgreSQL 17"));
    assert_eq!(*on, 2, "an added line's note is on the newer revision");
    r.typed("Which reads go to replica?");
    // The note is a real text field: move back and insert; Enter starts a second line.
    for _ in 0.."replica?".len() {
        r.key(KeyCode::Left);
    }
    r.typed("the ");
    r.key(KeyCode::End);
    r.key(KeyCode::Enter);
    r.typed("Name them.");
    insta::assert_snapshot!("review_note_80x24", {
        let mut small = Review::new(80, 24);
        small.key(KeyCode::Char('n'));
        small.key(KeyCode::Char('m'));
        small.typed("Which reads go to the replica?");
        small.screen()
    });
    r.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(r.model.overlay.is_none(), "Ctrl-S keeps the note");
    assert_eq!(r.model.notes.iter().filter(|n| n.pending()).count(), 1);
    assert_eq!(r.model.notes[0].note.text, "Which reads go to the replica?\nName them.");
    assert_eq!(r.model.notes[0].note.author, "Rea", "the note carries its author");
    assert!(
        r.model.rows.iter().any(|row| matches!(row, Row::Note { .. })),
        "the note is shown under its line"
    );
    let screen = r.screen();
    // Under the newer side, where it was written; wrapped with a hanging indent.
    assert!(
        screen.contains("✎ Rea, not recorded yet: Which reads go to the\n"),
        "{screen}"
    );
    assert!(screen.contains("  replica?\n"), "{screen}");
    assert!(screen.contains("  Name them."), "{screen}");
    // Quitting now would drop the note: the first q warns, any other key disarms it.
    assert!(r.key(KeyCode::Char('q')).is_empty());
    assert!(r.notice().contains("1 note is not recorded yet"), "{}", r.notice());
    r.key(KeyCode::Char('c'));
    assert!(matches!(r.model.overlay, Some(Overlay::Decide { approve: false, .. })));
    let effects = r.key(KeyCode::Enter);
    let [Effect::Record(decision)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let mut other = Review::new(80, 24);
    other.key(KeyCode::Char('n'));
    other.key(KeyCode::Char('m'));
    other.typed("x");
    other.key(KeyCode::Esc);
    assert_eq!(other.model.notes.len(), 1, "Esc keeps what was written");
    assert!(other.key(KeyCode::Char('q')).is_empty());
    assert_eq!(other.key(KeyCode::Char('q')), [Effect::Quit], "the second q quits");
    assert_eq!((decision.revision, decision.verdict), (2, Verdict::ChangesRequested));
    assert_eq!(decision.notes.len(), 1);
    assert_eq!(decision.notes[0].text, "Which reads go to the replica?\nName them.");
    assert_eq!(decision.reviewer, "Rea");
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
        id: String::new(),
        anchor: Anchor {
            path: path.iter().map(ToString::to_string).collect(),
            quote: quote.into(),
            offset: None,
            after: String::new(),
        },
        on: None,
        author: String::new(),
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
    let placed: Vec<Placement> = model.notes.iter().map(|n| n.place).collect();
    let expire = NEW.lines().position(|l| l.contains("8 hours")).unwrap();
    assert_eq!(placed, [Placement::Old(expire), Placement::Outdated]);
    let screen = review_screen(&model);
    assert!(screen.contains("✎ Ada on revision 2: about - Sessions"), "{screen}");
    assert!(screen.contains("✎ 1 outdated note"), "{screen}");
    assert!(
        screen.contains("its line is gone from both sides: “- Which region hosts the replica?”"),
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
    assert!(!text.starts_with("## Context\n"), "only the hunk's lines: {text}");
    assert!(
        text.contains("\n-**Database:** PostgreSQL 16\n+**Database:** PostgreSQL 17"),
        "{text}"
    );
    // The count said is the count copied.
    let lines = text.lines().count();
    assert!(
        what.starts_with(&format!("the hunk's {lines} lines under \"## Context\"")),
        "{what}: {text}"
    );
    let effects = r.key_with(KeyCode::Char('Y'), KeyModifiers::SHIFT);
    let [Effect::Copy { text, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(text.starts_with("## Context\n\n**Database:** PostgreSQL 17"), "{text}");
    assert!(!text.contains("PostgreSQL 16"), "a section is copied as it reads now");
    // crossterm's own OSC 52 command: the text base64-encoded for the clipboard.
    let sequence = clipboard_sequence("hi");
    assert!(sequence.starts_with("\u{1b}]52;c;aGk="), "{sequence:?}");
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
    let loaded = r.store.load(Some(2), Some(2), "Rea").map(Box::new);
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

// ───────────────────────── notes on their side ─────────────────────────

/// A review of revisions `older` → `newer` of `texts`, as `reviewer`, at `w`×`h` in `layout`.
fn review_of(
    texts: &[&str],
    older: u32,
    newer: u32,
    reviewer: &str,
    size: (u16, u16),
) -> (tempfile::TempDir, Store, ReviewModel) {
    let pairs: Vec<(&str, &str)> = texts.iter().map(|t| (*t, "")).collect();
    let (dir, mut store) = store_with(&pairs);
    store.reviewer = Some(reviewer.into());
    let mut model = open(&store, Some(older), Some(newer), Theme::monochrome()).unwrap();
    update(&mut model, Msg::Resize(size.0, size.1));
    (dir, store, model)
}

fn press(model: &mut ReviewModel, code: KeyCode) -> Vec<Effect> {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_text(model: &mut ReviewModel, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            press(model, KeyCode::Enter);
        } else {
            press(model, KeyCode::Char(c));
        }
    }
}

fn keep(model: &mut ReviewModel) {
    update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
}

/// Moves the cursor down to the first row showing a line whose text contains `needle` (on
/// either side).
fn go_to_line(model: &mut ReviewModel, needle: &str) {
    for _ in 0..200 {
        let row = model.rows[model.cursor];
        let s = &model.comparison.sections[row.section()];
        let shows = row
            .lines()
            .into_iter()
            .flatten()
            .any(|k| model.comparison.text(&s.lines[k]).contains(needle));
        if shows {
            return;
        }
        assert!(model.cursor + 1 < model.rows.len(), "no row shows {needle:?}");
        press(model, KeyCode::Down);
    }
    panic!("{needle:?} not reached");
}

/// Records every note waiting as a request for changes (through the store, as the shell does).
fn record_request(store: &Store, model: &mut ReviewModel) {
    update(model, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)));
    let effects = press(model, KeyCode::Enter);
    let [Effect::Record(decision)] = effects.as_slice() else {
        panic!("{effects:?} {:?}", model.overlay)
    };
    let mut recorded = store.record(decision.clone()).unwrap();
    recorded.view = store.view(model.older.number, model.newer.number, &model.comparison);
    update(model, Msg::Recorded(Ok(recorded)));
}

const V1: &str = "# Mail\n\n## Providers\n\n- Postmark for transactional email\n- Outgoing webhooks to customer endpoints\n\n## Limits\n\nTen per second.\n";
const V2: &str = "# Mail\n\n## Providers\n\n- Outgoing webhooks to customer endpoints\n- SES for bulk email\n\n## Limits\n\nTen per second.\n";

#[test]
fn a_note_on_a_removed_line_belongs_to_the_older_revision_and_shows_there() {
    for layout in [Layout::Unified, Layout::SideBySide] {
        let (_dir, store, mut model) = review_of(&[V1, V2], 1, 2, "Ada", (160, 48));
        model.layout_choice = Some(layout);
        model.relayout();
        go_to_line(&mut model, "Postmark");
        if layout == Layout::SideBySide {
            // Side by side the cursor names its side: the removed line faces an added one.
            press(&mut model, KeyCode::Left);
        }
        press(&mut model, KeyCode::Char('m'));
        let Some(Overlay::Note {
            target: NoteTarget::New { anchor, on, place },
            at,
            ..
        }) = model.overlay.clone()
        else {
            panic!("{layout:?}: m opens a note")
        };
        assert_eq!(on, 1, "{layout:?}: the removed line is the older revision's");
        assert_eq!(anchor.quote, "- Postmark for transactional email", "{layout:?}");
        assert_eq!(place, Placement::Old(4), "{layout:?}");
        assert!(at.starts_with("revision 1 · ## Providers · line 5"), "{at}");
        type_text(&mut model, "Who sends receipts now?");
        keep(&mut model);
        // The note is shown right under the removed line.
        let note_row = model.rows.iter().position(|r| matches!(r, Row::Note { .. })).unwrap();
        let above = model.rows[note_row - 1];
        let s = &model.comparison.sections[above.section()];
        let texts: Vec<&str> = above
            .lines()
            .into_iter()
            .flatten()
            .map(|k| model.comparison.text(&s.lines[k]))
            .collect();
        assert!(texts.iter().any(|t| t.contains("Postmark")), "{layout:?}: {texts:?}");
        record_request(&store, &mut model);
        let stored = &store.history.decisions(2).unwrap()[0].notes[0];
        assert_eq!((stored.on, stored.author.as_str()), (Some(1), "Ada"), "{layout:?}");
        assert_eq!(stored.anchor.quote, "- Postmark for transactional email");
        // Recorded, it still shows on the older side.
        assert_eq!(model.notes[0].place, Placement::Old(4), "{layout:?}");
        assert!(review_screen(&model).contains("✎ Ada on revision 2: Who sends receipts now?"));
    }
}

#[test]
fn side_by_side_the_older_sides_line_is_stored_against_the_older_side() {
    let v2 = V1.replace(
        "- Postmark for transactional email",
        "- Resend for transactional mail, with DKIM",
    );
    let (_dir, _store, mut model) = review_of(&[V1, &v2], 1, 2, "Ada", (160, 48));
    model.layout_choice = Some(Layout::SideBySide);
    model.relayout();
    go_to_line(&mut model, "Postmark");
    // Both sides have a line on this row: → is the newer side, ← the older.
    press(&mut model, KeyCode::Right);
    let (_, line, _) = model.cursor_line().unwrap();
    let newer_text = model.comparison.text(&line).to_string();
    press(&mut model, KeyCode::Left);
    let (_, line, _) = model.cursor_line().unwrap();
    assert_eq!(model.comparison.text(&line), "- Postmark for transactional email");
    assert_ne!(newer_text, "- Postmark for transactional email");
    // The cursor mark moves to the side chosen.
    let screen = review_screen(&model);
    let row = screen.lines().find(|l| l.contains("Postmark")).unwrap();
    let (left, right) = row.rsplit_once('│').unwrap();
    assert!(left.contains('▶') && !right.contains('▶'), "{row}");
    press(&mut model, KeyCode::Char('m'));
    let Some(Overlay::Note {
        target: NoteTarget::New { on, place, .. },
        ..
    }) = model.overlay.clone()
    else {
        panic!("m opens a note")
    };
    assert_eq!(
        (on, place),
        (1, Placement::Old(4)),
        "the older side's line, on the older revision"
    );
    type_text(&mut model, "Why drop Postmark?");
    keep(&mut model);
    // Shown under the left column, where it was written.
    let screen = review_screen(&model);
    let note = screen.lines().find(|l| l.contains("Why drop Postmark?")).unwrap();
    let separator = screen
        .lines()
        .find(|l| l.contains("Postmark"))
        .unwrap()
        .rfind('│')
        .unwrap();
    assert!(note.find("Why drop").unwrap() < separator, "{screen}");
}

#[test]
fn notes_on_headings_and_blank_lines_show_like_any_other() {
    let v2 = V2.replace("Ten per second.", "Twenty per second.");
    let (_dir, store, mut model) = review_of(&[V1, &v2], 1, 2, "Ada", (160, 48));
    // On the heading row of a changed section: its heading line.
    let header = model
        .rows
        .iter()
        .position(
            |r| matches!(r, Row::Header { section } if model.comparison.sections[*section].change.title == "Limits"),
        )
        .unwrap();
    model.cursor = header;
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Per API key?");
    keep(&mut model);
    // On a blank line.
    go_to_line(&mut model, "Twenty");
    press(&mut model, KeyCode::Up);
    let (_, line, _) = model.cursor_line().unwrap();
    assert_eq!(model.comparison.text(&line), "", "a blank line");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Say why this gap");
    keep(&mut model);
    record_request(&store, &mut model);
    let screen = review_screen(&model);
    assert!(screen.contains("✎ Ada on revision 2: Per API key?"), "{screen}");
    assert!(screen.contains("✎ Ada on revision 2: Say why this gap"), "{screen}");
    // Both come back in the next comparison too, on their lines.
    let v3 = v2.replace("# Mail", "# Mail service");
    store
        .history
        .record(DOC, &v3, "", ("d04-backend-architecture", "1.0.0"), &provenance())
        .unwrap();
    let mut next = open(&store, Some(2), Some(3), Theme::monochrome()).unwrap();
    update(&mut next, Msg::Resize(160, 48));
    let places: Vec<Placement> = next.notes.iter().map(|n| n.place).collect();
    let heading = v3.lines().position(|l| l == "## Limits").unwrap();
    assert_eq!(places, [Placement::Old(heading), Placement::Old(heading + 1)]);
    // Their sections are folded (unchanged): the heading says how many notes it holds.
    let screen = review_screen(&next);
    assert!(screen.contains("## Limits") && screen.contains("✎ 2 notes"), "{screen}");
    // ' goes to the next note, opening its section.
    press(&mut next, KeyCode::Char('\''));
    assert!(
        matches!(next.rows[next.cursor], Row::Note { .. }),
        "{:?}",
        next.rows[next.cursor]
    );
}

#[test]
fn notes_survive_three_further_revisions_or_show_as_outdated() {
    let v3 = V2.replace("# Mail", "# Mail and webhooks");
    let v4 = v3.replace("Ten per second.", "Ten per second per key.");
    let v5 = v4.replace("- Outgoing webhooks to customer endpoints\n", "");
    let v6 = v5.replace("Ten per second per key.", "Ten per second per key, bursts of 20.");
    let (_dir, store, mut model) = review_of(&[V1, V2, &v3, &v4, &v5, &v6], 1, 2, "Ada", (160, 48));
    go_to_line(&mut model, "Outgoing webhooks");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Retries?");
    keep(&mut model);
    record_request(&store, &mut model);
    // Revisions 3 and 4 keep the line: the note follows it.
    for (older, newer) in [(2, 3), (3, 4)] {
        let mut m = open(&store, Some(older), Some(newer), Theme::monochrome()).unwrap();
        update(&mut m, Msg::Resize(160, 48));
        assert!(
            matches!(m.notes[0].place, Placement::Old(_) | Placement::New(_)),
            "{older}→{newer}: {:?}",
            m.notes[0].place
        );
        // Its section is unchanged there, so folded: the heading counts the note, and '
        // opens it.
        let screen = review_screen(&m);
        assert!(
            screen.contains("## Providers") && screen.contains("✎ 1 note"),
            "{screen}"
        );
        press(&mut m, KeyCode::Char('\''));
        let screen = review_screen(&m);
        assert!(screen.contains("✎ Ada on revision 2: Retries?"), "{screen}");
    }
    // Revision 5 removed it: 4 → 5 shows it on the removed line; 5 → 6, where neither side has
    // it, lists it as outdated.
    let mut m = open(&store, Some(4), Some(5), Theme::monochrome()).unwrap();
    update(&mut m, Msg::Resize(160, 48));
    assert!(matches!(m.notes[0].place, Placement::Old(_)), "{:?}", m.notes[0].place);
    let mut m = open(&store, Some(5), Some(6), Theme::monochrome()).unwrap();
    update(&mut m, Msg::Resize(80, 24));
    assert_eq!(m.notes[0].place, Placement::Outdated);
    let screen = review_screen(&m);
    assert!(screen.contains("✎ 1 outdated note"), "{screen}");
    assert!(screen.contains("✎ outdated · Ada on revision 2: Retries?"), "{screen}");
    assert!(screen.contains("“- Outgoing webhooks to customer"), "{screen}");
}

#[test]
fn every_note_counted_is_on_screen_or_in_a_folded_section_that_says_so() {
    let long = (1..=20).fold(String::new(), |out, n| out + &format!("Line {n} of the plan.\n"));
    let v1 = format!("# Plan\n\n## Steps\n\n{long}\n## Later\n\nNothing yet.\n");
    let v2 = v1
        .replace("Line 1 of", "Line one of")
        .replace("Line 20 of", "Line twenty of");
    let (_dir, store, mut model) = review_of(&[&v1, &v2], 1, 2, "Ada", (160, 48));
    // Open every line of the section, write a note in its middle (between the two hunks).
    press(&mut model, KeyCode::Char('x'));
    go_to_line(&mut model, "Line 10 of");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Split this step.");
    keep(&mut model);
    // And one in the unchanged section.
    model.cursor = model
        .rows
        .iter()
        .position(
            |r| matches!(r, Row::Header { section } if model.comparison.sections[*section].change.title == "Later"),
        )
        .unwrap();
    press(&mut model, KeyCode::Enter);
    go_to_line(&mut model, "Nothing yet");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Say when.");
    keep(&mut model);
    record_request(&store, &mut model);
    let mut m = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
    update(&mut m, Msg::Resize(160, 48));
    let (counted, ..) = m.note_counts();
    let rows = m.rows.iter().filter(|r| matches!(r, Row::Note { .. })).count();
    let folded: usize = (0..m.comparison.sections.len())
        .filter(|&k| m.folds[k] == spec_interview::tui::review::model::Fold::Folded)
        .map(|k| m.notes_in(k))
        .sum();
    assert_eq!(counted, 2);
    assert_eq!(
        (rows, folded),
        (1, 1),
        "one on screen, one counted on its folded heading"
    );
    let screen = review_screen(&m);
    // The note between the hunks is shown with its line, not folded into "unchanged lines".
    assert!(
        screen.contains("Line 10 of the plan.") && screen.contains("Split this step."),
        "{screen}"
    );
    assert!(screen.contains("## Later") && screen.contains("✎ 1 note"), "{screen}");
    assert!(screen.contains("✎ 2"), "the status counts both: {screen}");
}

#[test]
fn your_notes_can_be_edited_and_deleted_before_recording() {
    let (_dir, _store, mut model) = review_of(&[V1, V2], 1, 2, "Ada", (160, 48));
    go_to_line(&mut model, "SES");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Bulk via SES?");
    keep(&mut model);
    press(&mut model, KeyCode::Char('\''));
    assert!(matches!(model.rows[model.cursor], Row::Note { .. }));
    press(&mut model, KeyCode::Char('e'));
    assert!(matches!(
        model.overlay,
        Some(Overlay::Note {
            target: NoteTarget::Edit { .. },
            ..
        })
    ));
    type_text(&mut model, "\nAnd the bounce handling.");
    keep(&mut model);
    assert_eq!(model.notes[0].note.text, "Bulk via SES?\nAnd the bounce handling.");
    // Esc in the editor keeps the change too.
    press(&mut model, KeyCode::Char('e'));
    type_text(&mut model, "!");
    press(&mut model, KeyCode::Esc);
    assert!(model.overlay.is_none());
    assert!(model.notes[0].note.text.ends_with('!'));
    // Delete asks first; Esc keeps it.
    press(&mut model, KeyCode::Char('d'));
    assert!(matches!(model.overlay, Some(Overlay::DeleteNote { .. })));
    assert!(review_screen(&model).contains("Delete this note?"));
    press(&mut model, KeyCode::Esc);
    assert_eq!(model.notes.len(), 1);
    press(&mut model, KeyCode::Char('d'));
    press(&mut model, KeyCode::Enter);
    assert!(model.notes.is_empty());
}

#[test]
fn recorded_notes_are_answered_and_resolved_by_another_reviewer() {
    let (_dir, store, mut model) = review_of(&[V1, V2], 1, 2, "Ada", (160, 48));
    go_to_line(&mut model, "SES");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Bulk via SES?");
    keep(&mut model);
    record_request(&store, &mut model);
    // Bob opens the same revisions: Ada's note is there, and he answers it.
    let bob_store = Store {
        project: store.project.clone(),
        document: DOC.into(),
        history: History::open(&store.project, DOC),
        reviewer: Some("Bob".into()),
        reviewer_origin: "from $SPEC_INTERVIEW_REVIEWER".into(),
    };
    let mut bob = open(&bob_store, Some(1), Some(2), Theme::monochrome()).unwrap();
    update(&mut bob, Msg::Resize(160, 48));
    press(&mut bob, KeyCode::Char('\''));
    assert!(matches!(bob.rows[bob.cursor], Row::Note { .. }));
    // e and d refuse a recorded note and say what works.
    press(&mut bob, KeyCode::Char('e'));
    assert!(
        bob.notice.as_ref().unwrap().1.contains("m answers it"),
        "{:?}",
        bob.notice
    );
    press(&mut bob, KeyCode::Char('m'));
    assert!(matches!(
        bob.overlay,
        Some(Overlay::Note {
            target: NoteTarget::Reply { .. },
            ..
        })
    ));
    type_text(&mut bob, "Yes, through the eu-west region.");
    let answer = update(
        &mut bob,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let run = |m: &mut ReviewModel, effects: Vec<Effect>| {
        assert_eq!(effects.len(), 1, "{effects:?}");
        for effect in effects {
            let Effect::Reply { revision, reply } = effect else {
                panic!("{effect:?}")
            };
            assert_eq!((revision, reply.reviewer.as_str()), (2, "Bob"));
            bob_store.reply(revision, reply).unwrap();
            let view = bob_store.view(m.older.number, m.newer.number, &m.comparison);
            update(m, Msg::Replied(Ok(Box::new(view))));
        }
    };
    run(&mut bob, answer);
    let resolve = press(&mut bob, KeyCode::Char('R'));
    run(&mut bob, resolve);
    assert!(bob.notes[0].resolved());
    let screen = review_screen(&bob);
    assert!(
        screen.contains("✎ Ada on revision 2 · resolved: Bulk via SES?"),
        "{screen}"
    );
    assert!(screen.contains("↳ Bob: Yes, through the eu-west region."), "{screen}");
    assert!(screen.contains("↳ Bob (marked it resolved)"), "{screen}");
    // R again opens it again.
    let reopen = press(&mut bob, KeyCode::Char('R'));
    run(&mut bob, reopen);
    assert!(!bob.notes[0].resolved());
}

// ───────────────────────── names, decisions, the gate ─────────────────────────

#[test]
fn the_reviewer_is_named_before_deciding_and_can_be_changed_at_one_terminal() {
    let (_dir, store, mut model) = review_of(&[V1, V2], 1, 2, "Ada", (160, 48));
    assert!(review_screen(&model).lines().next().unwrap().contains("as Ada"));
    // A second person at the same terminal says who they are.
    press(&mut model, KeyCode::Char('w'));
    assert!(matches!(model.overlay, Some(Overlay::Reviewer)));
    assert!(review_screen(&model).contains("Who is reviewing? Now Ada"));
    for _ in 0..3 {
        press(&mut model, KeyCode::Backspace);
    }
    type_text(&mut model, "Bob");
    press(&mut model, KeyCode::Enter);
    assert_eq!(model.reviewer, "Bob");
    assert!(review_screen(&model).lines().next().unwrap().contains("as Bob"));
    go_to_line(&mut model, "SES");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Bob's note");
    keep(&mut model);
    assert_eq!(model.notes[0].note.author, "Bob");
    // The decision names who records it before it is recorded.
    press(&mut model, KeyCode::Char('c'));
    let screen = review_screen(&model);
    assert!(screen.contains("Request changes to revision 2 of"), "{screen}");
    assert!(screen.contains("as Bob?"), "{screen}");
    assert!(screen.contains("The name comes from what was typed here"), "{screen}");
    let effects = press(&mut model, KeyCode::Enter);
    let [Effect::Record(decision)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(decision.reviewer, "Bob");
    store.record(decision.clone()).unwrap();
    assert_eq!(store.history.decisions(2).unwrap()[0].notes[0].author, "Bob");
}

#[test]
fn approving_your_own_revision_or_unviewed_sections_asks_first_and_says_why() {
    // Revisions are saved by Ada (see `provenance`).
    let (_dir, _store, mut model) = review_of(&[V1, V2], 1, 2, "ada", (160, 48));
    press(&mut model, KeyCode::Char('a'));
    let Some(Overlay::Decide {
        approve: true,
        warnings,
    }) = model.overlay.clone()
    else {
        panic!("{:?}", model.overlay)
    };
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("this approves your own revision"), "{warnings:?}");
    assert!(
        warnings[1].contains("1 of 1 changed section is not marked viewed"),
        "{warnings:?}"
    );
    let screen = review_screen(&model);
    assert!(screen.contains("approves your own revision"), "{screen}");
    assert!(screen.contains("y records it even so"), "{screen}");
    // Enter does not record it: only y does.
    assert!(press(&mut model, KeyCode::Enter).is_empty());
    assert!(model.overlay.is_some());
    let effects = press(&mut model, KeyCode::Char('y'));
    assert!(matches!(effects.as_slice(), [Effect::Record(d)] if d.verdict == Verdict::Approved));
    // Another reviewer, every section viewed: Enter records it at once.
    let (_dir, _store, mut model) = review_of(&[V1, V2], 1, 2, "Bob", (160, 48));
    press(&mut model, KeyCode::Char('v'));
    press(&mut model, KeyCode::Char('a'));
    assert!(matches!(&model.overlay, Some(Overlay::Decide { warnings, .. }) if warnings.is_empty()));
    assert!(matches!(
        press(&mut model, KeyCode::Enter).as_slice(),
        [Effect::Record(_)]
    ));
}

#[test]
fn the_gate_shows_on_opening_and_the_fourth_request_is_an_escalation() {
    let (_dir, store, mut model) = review_of(&[V1, V2], 1, 2, "Bob", (160, 48));
    let notice = model.notice.clone().unwrap().1;
    assert!(
        notice.contains("Review gate: 0 of 3 change requests since the last approval."),
        "{notice}"
    );
    assert!(review_screen(&model).contains("gate 0/3"));
    let request = |model: &mut ReviewModel, n: usize| {
        go_to_line(model, "SES");
        press(model, KeyCode::Char('m'));
        type_text(model, &format!("Round {n}"));
        keep(model);
        press(model, KeyCode::Char('c'));
        let screen = review_screen(model);
        let effects = match n {
            3 => {
                // The third says so before it is recorded.
                assert!(screen.contains("This is request for changes 3 of 3"), "{screen}");
                press(model, KeyCode::Enter)
            }
            4 => {
                assert!(screen.contains("recorded as an escalation"), "{screen}");
                assert!(press(model, KeyCode::Enter).is_empty(), "an escalation asks for y");
                press(model, KeyCode::Char('y'))
            }
            _ => press(model, KeyCode::Enter),
        };
        let [Effect::Record(decision)] = effects.as_slice() else {
            panic!("{n}: {effects:?}")
        };
        let mut recorded = store.record(decision.clone()).unwrap();
        recorded.view = store.view(model.older.number, model.newer.number, &model.comparison);
        update(model, Msg::Recorded(Ok(recorded)));
        press(model, KeyCode::Esc);
        model.cursor = 0;
    };
    for n in 1..=4 {
        request(&mut model, n);
    }
    let decisions = store.history.decisions(2).unwrap();
    let verdicts: Vec<Verdict> = decisions.iter().map(|d| d.verdict).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::ChangesRequested,
            Verdict::ChangesRequested,
            Verdict::ChangesRequested,
            Verdict::Escalated
        ]
    );
    assert!(model.review.starts_with("escalated by Bob"), "{}", model.review);
    // The whole history is shown, not only the last.
    press(&mut model, KeyCode::Char('h'));
    let screen = review_screen(&model);
    assert_eq!(screen.matches("changes requested by Bob").count(), 3, "{screen}");
    assert!(screen.contains("escalated by Bob"), "{screen}");
    assert!(screen.contains("Review gate: escalated"), "{screen}");
    press(&mut model, KeyCode::Esc);
    // Opening again shows the gate at once; an approval is still possible and restarts it.
    let mut again = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
    update(&mut again, Msg::Resize(160, 48));
    assert!(
        again.notice.clone().unwrap().1.contains("escalated"),
        "{:?}",
        again.notice
    );
    press(&mut again, KeyCode::Char('v'));
    press(&mut again, KeyCode::Char('a'));
    let effects = press(&mut again, KeyCode::Char('y'));
    let [Effect::Record(decision)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    store.record(decision.clone()).unwrap();
    assert_eq!(store.history.gate().unwrap().requests, 0);
}

// ───────────────────────── viewed marks, live updates ─────────────────────────

#[test]
fn viewed_marks_are_kept_per_reviewer_and_pair() {
    let (_dir, store, mut model) = review_of(&[OLD, NEW], 1, 2, "Ada", (160, 48));
    let effects = press(&mut model, KeyCode::Char('v'));
    let [
        Effect::SaveViewed {
            older: 1,
            newer: 2,
            reviewer,
            sections,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(reviewer, "Ada");
    store.history.record_viewed(reviewer, 1, 2, sections).unwrap();
    // Ada comes back: the section is still viewed and folded, the cursor on the next one.
    let again = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
    assert_eq!(again.progress(), (1, 6));
    assert_eq!(
        again.comparison.sections[again.current_section()].change.title,
        "Security"
    );
    // Bob's marks are his own.
    let mut bob = Store {
        project: store.project.clone(),
        document: DOC.into(),
        history: History::open(&store.project, DOC),
        reviewer: Some("Bob".into()),
        reviewer_origin: String::new(),
    };
    assert_eq!(
        open(&bob, Some(1), Some(2), Theme::monochrome()).unwrap().progress(),
        (0, 6)
    );
    bob.reviewer = Some("Ada".into());
    assert_eq!(
        open(&bob, Some(1), Some(2), Theme::monochrome()).unwrap().progress(),
        (1, 6)
    );
}

#[test]
fn what_another_reviewer_records_shows_and_your_notes_stay() {
    let (_dir, store, mut model) = review_of(&[V1, V2], 1, 2, "Ada", (160, 48));
    go_to_line(&mut model, "SES");
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Ada's draft");
    keep(&mut model);
    // Bob records a request for changes with a note, in another terminal.
    let bob_anchor = spec_interview::core::review::anchor_at(V2, 5);
    let outcome = store
        .history
        .record_decision(&ReviewDecision {
            revision: 2,
            verdict: Verdict::ChangesRequested,
            reviewer: "Bob".into(),
            time: "2026-11-21T09:00:00Z".into(),
            notes: vec![Note {
                id: String::new(),
                anchor: bob_anchor,
                on: Some(2),
                author: "Bob".into(),
                text: "Bob's note".into(),
            }],
        })
        .unwrap();
    assert_eq!(outcome.note_ids.len(), 1);
    let view = store.view(Some(1), Some(2), &model.comparison);
    update(
        &mut model,
        Msg::Refreshed(Box::new(spec_interview::tui::review::update::Refreshed {
            view,
            revisions: None,
            disk: None,
        })),
    );
    let screen = review_screen(&model);
    assert!(screen.contains("✎ Bob on revision 2: Bob's note"), "{screen}");
    assert!(
        screen.contains("✎ Ada, not recorded yet: Ada's draft"),
        "your note stays: {screen}"
    );
    assert!(model.review.starts_with("changes requested by Bob"), "{}", model.review);
    let notice = model.notice.clone().unwrap().1;
    assert!(notice.contains("changes requested by Bob"), "{notice}");
    // A revision saved meanwhile appears in the picker, open or not; its cursor stays on the
    // revision it was on.
    press(&mut model, KeyCode::Char('r'));
    let Some(Overlay::Revisions { cursor, .. }) = model.overlay.clone() else {
        panic!("{:?}", model.overlay)
    };
    let chosen = model.picker_items()[cursor];
    store
        .history
        .record(DOC, &V2.replace("Ten", "Twelve"), "", ("q", "1"), &provenance())
        .unwrap();
    let view = store.view(Some(1), Some(2), &model.comparison);
    update(
        &mut model,
        Msg::Refreshed(Box::new(spec_interview::tui::review::update::Refreshed {
            view,
            revisions: Some(store.entries().unwrap()),
            disk: None,
        })),
    );
    assert!(model.notice.clone().unwrap().1.contains("Revision 3 was just saved"));
    let Some(Overlay::Revisions { cursor, .. }) = model.overlay.clone() else {
        panic!("{:?}", model.overlay)
    };
    assert_eq!(model.picker_items()[cursor], chosen);
    assert!(
        review_screen(&model).contains("   3  2026-11-20T10:00:00Z"),
        "{}",
        review_screen(&model)
    );
}

// ───────────────────────── smaller faults ─────────────────────────

#[test]
fn a_change_of_the_final_newline_alone_shows_as_its_own_row() {
    for layout in [Layout::Unified, Layout::SideBySide] {
        let (_dir, _store, mut model) = review_of(&["# T\n\nlast line\n", "# T\n\nlast line"], 1, 2, "Ada", (160, 48));
        model.layout_choice = Some(layout);
        model.relayout();
        assert!(
            model
                .rows
                .iter()
                .any(|r| matches!(r, Row::NoNewline { older: false, .. })),
            "{layout:?}"
        );
        let screen = review_screen(&model);
        assert!(
            screen.contains("\\ no newline at the end of revision 2"),
            "{layout:?}\n{screen}"
        );
        assert!(screen.contains("+1 −1"), "{screen}");
    }
}

#[test]
fn the_side_by_side_separator_never_moves() {
    // Lines that wrap exactly at the column width, wide characters and a tab.
    let words = "abcdefgh ".repeat(30);
    let old = format!("# T\n{words}\n日本語のテキスト日本語のテキスト日本語のテキスト日本語のテキスト日本語\ttab\n");
    let new = format!("# T\n{words}x\n日本語のテキスト日本語のテキスト日本語のテキスト日本語のテキスト日本\ttab\n");
    for size in [(80, 24), (120, 40), (161, 48)] {
        let (_dir, _store, mut model) = review_of(&[&old, &new], 1, 2, "Ada", size);
        model.layout_choice = Some(Layout::SideBySide);
        model.outline_choice = Some(false);
        model.relayout();
        let screen = review_screen(&model);
        // The column of the separator on each screen line, read from the cells.
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        terminal.draw(|f| draw(f, &model)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let columns: Vec<u16> = (0..size.1)
            .filter_map(|y| (0..size.0).find(|&x| buffer[(x, y)].symbol() == "│"))
            .collect();
        assert!(columns.len() > 4, "{screen}");
        assert!(
            columns.windows(2).all(|w| w[0] == w[1]),
            "{size:?}: {columns:?}\n{screen}"
        );
    }
}

#[test]
fn reflowed_and_whitespace_labels_stay_on_both_sides_when_space_is_short() {
    let old = "# T\nEvery request carries a token that the gateway checks before routing it.\n\n- a  list item\n";
    let new = "# T\nEvery request carries a token that the\ngateway checks before routing it.\n\n- a list item\n";
    for (size, layout) in [
        ((80, 24), Layout::Unified),
        ((80, 24), Layout::SideBySide),
        ((160, 48), Layout::SideBySide),
    ] {
        let (_dir, _store, mut model) = review_of(&[old, new], 1, 2, "Ada", size);
        model.layout_choice = Some(layout);
        model.relayout();
        let screen = review_screen(&model);
        assert_eq!(screen.matches("(reflowed)").count(), 2, "{size:?} {layout:?}\n{screen}");
        assert_eq!(
            screen.matches("(whitespace only)").count(),
            2,
            "{size:?} {layout:?}\n{screen}"
        );
    }
}

#[test]
fn the_hunk_counter_counts_the_whole_comparison_whatever_is_folded() {
    let mut r = Review::new(160, 48);
    let total = r.model.all_hunks.len();
    assert!(screen_has(&r, &format!("hunk 0/{total}")));
    // Fold everything: the count stays, and n still walks every hunk, opening sections.
    for k in 0..r.model.folds.len() {
        r.model.folds[k] = spec_interview::tui::review::model::Fold::Folded;
    }
    r.model.relayout();
    r.key(KeyCode::Home);
    assert!(screen_has(&r, &format!("hunk 0/{total}")));
    for n in 1..=total {
        r.key(KeyCode::Char('n'));
        assert_eq!(r.notice(), format!("Hunk {n} of {total}."));
        assert!(screen_has(&r, &format!("hunk {n}/{total}")), "{}", r.screen());
    }
    r.key(KeyCode::Char('n'));
    assert_eq!(r.notice(), "That was the last hunk.");
}

fn screen_has(r: &Review, text: &str) -> bool {
    r.screen().contains(text)
}

#[test]
fn esc_closes_what_is_open_and_never_quits_nor_drops_a_note() {
    let mut r = Review::new(80, 24);
    assert!(r.key(KeyCode::Esc).is_empty());
    assert!(r.notice().contains("q quits"), "{}", r.notice());
    r.key(KeyCode::F(1));
    assert!(r.key(KeyCode::Esc).is_empty());
    assert!(r.model.overlay.is_none());
    r.key(KeyCode::Char('n'));
    r.key(KeyCode::Char('m'));
    r.typed("keep me");
    assert!(r.key(KeyCode::Esc).is_empty());
    assert_eq!(r.model.notes.len(), 1, "Esc keeps what was written");
    r.key(KeyCode::Char('c'));
    assert!(r.key(KeyCode::Esc).is_empty());
    assert_eq!(r.model.notes.len(), 1, "cancelling a decision keeps the notes");
    for _ in 0..3 {
        assert!(r.key(KeyCode::Esc).is_empty(), "Esc never quits");
    }
    assert_eq!(r.model.notes.len(), 1);
    // q with a note waiting asks first; the second q quits.
    assert!(r.key(KeyCode::Char('q')).is_empty());
    assert_eq!(r.key(KeyCode::Char('q')), [Effect::Quit]);
}

#[test]
fn at_80x24_the_key_bar_keeps_the_review_keys_and_the_status_never_cuts_a_word() {
    let mut r = Review::new(80, 24);
    let screen = r.screen();
    let footer = screen.lines().last().unwrap();
    for key in [" r ", " m ", " a ", " c ", " F1 "] {
        assert!(format!("{footer} ").contains(key), "{key:?} missing: {footer}");
    }
    // Long notices and long review states end on a whole word.
    r.key(KeyCode::Char('s'));
    r.model.review = "changes requested by Maximiliane Oberhollenzer-Wittgenstein (12 notes)".into();
    r.model.notify(
        spec_interview::tui::review::model::Level::Info,
        "Side by side (← → choose the side a note goes on) layout, with many more words than fit here.",
    );
    let screen = r.screen();
    let status = screen.lines().nth(22).unwrap();
    let words: Vec<&str> =
        "Side by side (← → choose the side a note goes on) layout, with many more words than fit here."
            .split(' ')
            .chain(r.model.review.split(' '))
            .collect();
    for piece in status.split([' ', '·']).filter(|p| !p.is_empty()) {
        let piece = piece.trim_end_matches('…');
        assert!(
            words.contains(&piece)
                || piece.chars().all(|c| c.is_ascii_digit() || c == '/')
                || ["gate", "hunk", "viewed", "unified", "side", "by", "not", "reviewed"].contains(&piece),
            "{piece:?} is cut: {status}"
        );
    }
}

#[test]
fn copying_a_hunk_copies_exactly_the_lines_it_counts() {
    let mut r = Review::new(160, 48);
    for _ in 0..r.model.all_hunks.len() {
        r.key(KeyCode::Char('n'));
        let effects = r.key(KeyCode::Char('y'));
        let [Effect::Copy { text, what }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        let n = text.lines().count();
        let said = if n == 1 {
            "1 line ".to_string()
        } else {
            format!("{n} lines ")
        };
        assert!(what.contains(&said), "{what} vs {n}: {text}");
        assert!(text.lines().all(|l| l.starts_with([' ', '-', '+'])), "{text}");
    }
}

/// Two reviewers' notes on the example revisions: Bob's recorded request for changes (on a
/// removed line, on a heading, and one whose line is gone), and Ada's note not yet recorded.
fn reviewed(width: u16, height: u16, layout: Layout) -> (tempfile::TempDir, ReviewModel) {
    let (dir, mut store) = store_with(&[(OLD, ""), (NEW, "")]);
    let top = "Payments: backend architecture";
    let on_old = |line: usize, text: &str| Note {
        id: String::new(),
        anchor: spec_interview::core::review::anchor_at(OLD, line),
        on: Some(1),
        author: "Bob".into(),
        text: text.into(),
    };
    let gone = Note {
        id: String::new(),
        anchor: Anchor {
            path: vec![top.into(), "Context".into()],
            quote: "**Team:** four engineers".into(),
            offset: Some(6),
            after: String::new(),
        },
        on: Some(1),
        author: "Bob".into(),
        text: "Who owns the ledger service?".into(),
    };
    let twelve = OLD.lines().position(|l| l.contains("12 hours")).unwrap();
    let heading = OLD.lines().position(|l| l == "## Security").unwrap();
    store
        .history
        .record_decision(&ReviewDecision {
            revision: 2,
            verdict: Verdict::ChangesRequested,
            reviewer: "Bob".into(),
            time: "2026-11-21T09:00:00Z".into(),
            notes: vec![
                on_old(twelve, "Why shorter? Say what the auditors asked for."),
                on_old(heading, "Name the threat model here."),
                gone,
            ],
        })
        .unwrap();
    store.reviewer = Some("Ada".into());
    let mut model = open(&store, Some(1), Some(2), Theme::monochrome()).unwrap();
    update(&mut model, Msg::Resize(width, height));
    model.layout_choice = Some(layout);
    model.relayout();
    go_to_line(&mut model, "PostgreSQL 17");
    if layout == Layout::SideBySide {
        press(&mut model, KeyCode::Right);
    }
    press(&mut model, KeyCode::Char('m'));
    type_text(&mut model, "Which reads go to the replica?\nAnd how stale may they be?");
    keep(&mut model);
    model.notice = None;
    (dir, model)
}

#[test]
fn note_snapshots() {
    for (w, h) in [(80, 24), (160, 48)] {
        for layout in [Layout::Unified, Layout::SideBySide] {
            let (_dir, mut model) = reviewed(w, h, layout);
            let name = match layout {
                Layout::Unified => "unified",
                Layout::SideBySide => "side_by_side",
            };
            model.cursor = 0;
            model.top = 0;
            model.ensure_visible();
            insta::assert_snapshot!(format!("review_notes_{name}_{w}x{h}"), review_screen(&model));
        }
    }
    let (_dir, mut model) = reviewed(80, 24, Layout::Unified);
    press(&mut model, KeyCode::Char('a'));
    insta::assert_snapshot!("review_approve_80x24", review_screen(&model));
    press(&mut model, KeyCode::Esc);
    press(&mut model, KeyCode::Char('c'));
    insta::assert_snapshot!("review_request_80x24", review_screen(&model));
    press(&mut model, KeyCode::Esc);
    press(&mut model, KeyCode::Char('h'));
    insta::assert_snapshot!("review_history_80x24", review_screen(&model));
    let (_dir, mut model) = reviewed(160, 48, Layout::SideBySide);
    press(&mut model, KeyCode::Char('h'));
    insta::assert_snapshot!("review_history_160x48", review_screen(&model));
}

#[test]
fn the_status_line_cuts_no_word_even_on_the_narrowest_screen() {
    let mut r = Review::new(40, 8);
    r.key(KeyCode::Char('n'));
    r.key(KeyCode::Char('m'));
    r.typed("x");
    r.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    r.model.review = "review unreadable: .specflow/history/D04-payments/0002/review.toml: this file is damaged".into();
    let screen = r.screen();
    let status = screen.lines().nth(6).unwrap();
    let allowed: Vec<&str> = r
        .model
        .review
        .split(' ')
        .chain(["1", "note", "waiting", "·", "Note", "kept", "(1", "waiting):"])
        .collect();
    for word in status.split(' ').filter(|w| !w.is_empty()) {
        let word = word.trim_end_matches('…');
        assert!(
            word.is_empty() || allowed.contains(&word),
            "{word:?} is cut: {status:?}"
        );
    }
}
