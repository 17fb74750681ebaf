//! The diff reviewer's speed on large generated design documents: comparing, opening, drawing, paging, refining.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::sync::OnceLock;

use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spec_interview::core::diff::compare::Comparison;
use spec_interview::tui::review::model::{Layout, ReviewModel, Side};
use spec_interview::tui::review::update::{Msg, update};
use spec_interview::tui::review::view;
use spec_interview::tui::theme::Theme;

fn main() {
    divan::main();
}

const SIZES: [usize; 2] = [10_000, 100_000];
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

#[path = "shared/documents.rs"]
mod documents;
use documents::revisions;

/// The two revisions of each size, generated once.
fn texts(lines: usize) -> &'static (String, String) {
    static SMALL: OnceLock<(String, String)> = OnceLock::new();
    static LARGE: OnceLock<(String, String)> = OnceLock::new();
    let cell = if lines == SIZES[0] { &SMALL } else { &LARGE };
    cell.get_or_init(|| revisions(lines))
}

fn comparison(lines: usize) -> Comparison {
    let (old, new) = texts(lines);
    Comparison::new(old, new)
}

fn side(n: u32) -> Side {
    Side {
        number: Some(n),
        label: format!("revision {n}"),
    }
}

/// What `app::open` builds, at 160×48.
fn open(comparison: Comparison) -> ReviewModel {
    let mut model = ReviewModel::new(
        ".specflow/docs/D04-backend-architecture.md".into(),
        side(1),
        side(2),
        comparison,
        Theme::dark(),
    );
    model.size = (WIDTH, HEIGHT);
    model.relayout();
    model
}

fn opened(lines: usize, layout: Layout) -> ReviewModel {
    let mut model = open(comparison(lines));
    model.layout_choice = Some(layout);
    model.relayout();
    model.refine_visible();
    model
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()
}

/// Comparing two revisions section by section (line diff; words are refined later).
#[divan::bench(args = SIZES)]
fn compare(bencher: Bencher, lines: usize) {
    let (old, new) = texts(lines);
    bencher.bench(|| Comparison::new(divan::black_box(old), divan::black_box(new)));
}

/// Opening the reviewer's model on a comparison: folds, rows laid out for 160×48.
#[divan::bench(args = SIZES)]
fn open_model(bencher: Bencher, lines: usize) {
    let comparison = comparison(lines);
    bencher.with_inputs(|| comparison.clone()).bench_values(open);
}

/// Drawing one frame, unified.
#[divan::bench(args = SIZES)]
fn draw_unified(bencher: Bencher, lines: usize) {
    let model = opened(lines, Layout::Unified);
    let mut terminal = terminal();
    bencher.bench_local(|| {
        terminal.draw(|f| view::draw(f, &model)).unwrap();
    });
}

/// Drawing one frame, side by side.
#[divan::bench(args = SIZES)]
fn draw_side_by_side(bencher: Bencher, lines: usize) {
    let model = opened(lines, Layout::SideBySide);
    let mut terminal = terminal();
    bencher.bench_local(|| {
        terminal.draw(|f| view::draw(f, &model)).unwrap();
    });
}

/// One page down (update, including refining what comes into view) and the frame it draws;
/// back at the top, with nothing refined, when the end is reached.
#[divan::bench(args = SIZES)]
fn page_down_and_draw(bencher: Bencher, lines: usize) {
    let mut model = opened(lines, Layout::SideBySide);
    let mut terminal = terminal();
    let key = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
    bencher.bench_local(|| {
        if model.cursor + 1 >= model.rows.len() {
            model.cursor = 0;
            model.top = 0;
            model.emphasis.clear();
        }
        update(&mut model, Msg::Key(key));
        terminal.draw(|f| view::draw(f, &model)).unwrap();
    });
}

/// Refining the visible blocks word by word from nothing (within its per-screen budget).
#[divan::bench(args = SIZES)]
fn refine_visible(bencher: Bencher, lines: usize) {
    let mut model = opened(lines, Layout::SideBySide);
    bencher.bench_local(|| {
        model.emphasis.clear();
        model.refine_visible();
    });
}

/// The revision list a recorded decision refreshes (`review::summaries`, as `Store::entries`
/// calls it after `c`/`a` + Enter): two saved revisions, each compared with the one before.
#[divan::bench(args = SIZES)]
fn revision_summaries(bencher: Bencher, lines: usize) {
    use spec_interview::core::fsio::Project;
    use spec_interview::core::history::{History, Provenance};
    let (old, new) = texts(lines);
    let dir = tempfile::tempdir().unwrap();
    let doc = ".specflow/docs/D04-backend-architecture.md";
    let history = History::open(&Project::new(dir.path()), doc);
    let provenance = Provenance {
        time: "2026-01-02T03:04:05Z".into(),
        author: "Ada".into(),
        git: None,
    };
    for text in [old, new] {
        history.record(doc, text, "", ("d04", "1"), &provenance).unwrap();
    }
    bencher.bench(|| spec_interview::core::review::summaries(&history).unwrap());
}
