//! The interview's keystroke path: one key through update (which re-renders and re-lints the
//! document) plus one full redraw, on the D04 questionnaire with complete answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::fsio::Project;
use spec_interview::core::questionnaire::{BUILTIN, parse};
use spec_interview::core::session;
use spec_interview::tui::app;
use spec_interview::tui::model::Model;
use spec_interview::tui::theme::Theme;
use spec_interview::tui::update::{Msg, update};

fn main() {
    divan::main();
}

fn model(dir: &Path) -> Model {
    let (path, text) = BUILTIN[0];
    let q = Arc::new(parse(Path::new(path), text).unwrap());
    let answers = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/answers/d04-backend-architecture-complete.toml"
    ));
    let sessions = dir.join(".specflow/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let file = session::parse(answers, &std::fs::read_to_string(answers).unwrap(), &q).unwrap();
    std::fs::write(
        sessions.join("d04-backend-architecture.toml"),
        session::to_toml(&q, &file),
    )
    .unwrap();
    app::prepare(Project::new(dir), &q, Theme::dark(), false).unwrap()
}

/// Typing a character then deleting it, each followed by a redraw: two keystrokes per iteration.
#[divan::bench(args = [(80, 24), (160, 48)])]
fn keystroke_and_redraw(bencher: divan::Bencher, size: (u16, u16)) {
    let dir = tempfile::tempdir().unwrap();
    let mut m = model(dir.path());
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    let type_a = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
    let delete = KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE);
    bencher.bench_local(|| {
        for key in [type_a, delete] {
            let effects = update(&mut m, Msg::Key(key));
            divan::black_box(effects);
            terminal.draw(|f| spec_interview::tui::ui::draw(f, &m)).unwrap();
        }
    });
}

/// The preview's rendering of the whole D04 document at a pane's width: what a keystroke that
/// changes the document pays once (a keystroke that does not is served from the cache).
#[divan::bench(args = [38, 58])]
fn preview_render(bencher: divan::Bencher, width: u16) {
    let dir = tempfile::tempdir().unwrap();
    let m = model(dir.path());
    let text = m.derived.documents[0].text.clone();
    bencher.bench_local(|| divan::black_box(spec_interview::tui::markdown::render(&text, width, &m.theme)));
}
