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

const WORDS: &[&str] = &[
    "service",
    "request",
    "tenant",
    "ledger",
    "account",
    "token",
    "cache",
    "queue",
    "retry",
    "latency",
    "budget",
    "replica",
    "schema",
    "migration",
    "endpoint",
    "handler",
    "payload",
    "idempotent",
    "timeout",
    "rollout",
    "the",
    "a",
    "of",
    "to",
    "and",
    "with",
    "every",
    "before",
    "after",
    "under",
    "each",
    "is",
    "must",
    "may",
    "stores",
    "reads",
    "writes",
    "rejects",
    "accepts",
    "returns",
    "records",
    "PostgreSQL",
    "Redis",
    "gRPC",
];

/// A small deterministic generator (xorshift), so every run compares the same documents.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    /// Prose of about `chars` characters, ending with a full stop.
    fn prose(&mut self, chars: usize) -> String {
        let mut s = String::from("The");
        while s.len() < chars {
            s.push(' ');
            s.push_str(self.word());
        }
        s.push('.');
        s
    }
}

/// A section: its heading line and its body lines.
struct Section {
    heading: String,
    body: Vec<String>,
}

/// A design document of about `lines` lines: a heading every ~40 lines (levels 2 and 3),
/// paragraphs of 60–200 character lines separated by blank lines, and now and then a long
/// single-line paragraph.
fn sections(lines: usize) -> Vec<Section> {
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut out = Vec::new();
    let mut total = 0;
    let mut n = 0;
    while total < lines {
        n += 1;
        let level = if n % 4 == 1 { "##" } else { "###" };
        let heading = format!("{level} {n}. {} {}", rng.word(), rng.word());
        let mut body = vec![String::new()];
        let target = 34 + rng.below(12);
        while body.len() < target {
            if rng.below(10) == 0 {
                let chars = 600 + rng.below(900);
                body.push(rng.prose(chars));
            } else {
                for _ in 0..2 + rng.below(5) {
                    let chars = 60 + rng.below(140);
                    body.push(rng.prose(chars));
                }
            }
            body.push(String::new());
        }
        total += body.len() + 1;
        out.push(Section { heading, body });
    }
    out
}

fn join(title: &str, sections: &[Section]) -> String {
    let mut s = format!("# {title}\n\n");
    for section in sections {
        s.push_str(&section.heading);
        s.push('\n');
        for line in &section.body {
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}

/// The older revision and a newer one: ~1% of lines edited by a word or two, one paragraph
/// reflowed, one section moved, one renamed, one added.
fn revisions(lines: usize) -> (String, String) {
    let old = sections(lines);
    let old_text = join("Ledgerline backend architecture", &old);
    let mut new = sections(lines);
    let mut rng = Rng(0x0dd_ba11);
    let mut counter = 0;
    for section in &mut new {
        for line in &mut section.body {
            if line.is_empty() {
                continue;
            }
            counter += 1;
            if counter % 100 == 0 {
                let words: Vec<&str> = line.split(' ').collect();
                let at = 1 + rng.below(words.len().saturating_sub(2).max(1));
                let mut edited: Vec<String> = words.iter().map(|w| (*w).to_string()).collect();
                edited[at] = rng.word().to_string();
                if rng.below(2) == 0 && at + 1 < edited.len() - 1 {
                    edited[at + 1] = "carefully".to_string();
                }
                *line = edited.join(" ");
            }
        }
    }
    let count = new.len();
    // Reflow the first paragraph of a section a third of the way in, at 72 columns.
    let reflowed = &mut new[count / 3].body;
    let start = reflowed.iter().position(|l| !l.is_empty()).unwrap();
    let end = start + reflowed[start..].iter().position(String::is_empty).unwrap();
    let paragraph = reflowed[start..end].join(" ");
    let mut wrapped = vec![String::new()];
    for word in paragraph.split(' ') {
        let last = wrapped.last_mut().unwrap();
        if !last.is_empty() && last.len() + 1 + word.len() > 72 {
            wrapped.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    reflowed.splice(start..end, wrapped);
    // Move a section from the first quarter to the last.
    let moved = new.remove(count / 4);
    new.insert(count * 3 / 4, moved);
    // Rename one.
    new[count / 2].heading.push_str(" and failover");
    // Add one.
    let mut body = vec![String::new()];
    for _ in 0..30 {
        body.push(rng.prose(120));
    }
    new.insert(
        count * 2 / 3,
        Section {
            heading: "### Rate limiting per tenant".into(),
            body,
        },
    );
    (old_text, join("Ledgerline backend architecture", &new))
}

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
    };
    for text in [old, new] {
        history.record(doc, text, "", ("d04", "1"), &provenance).unwrap();
    }
    bencher.bench(|| spec_interview::core::review::summaries(&history).unwrap());
}
