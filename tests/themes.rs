//! Themes: every built-in one loads and paints the interview and the reviewer (snapshots of each
//! at 80×24, the screen's text and the styles it used); the RGB themes are measured for contrast
//! (WCAG 4.5:1 for every role on the background it is drawn on); colours reduce to the
//! terminal's depth; a broken theme file says exactly what is wrong and where.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use spec_interview::core::fsio::Project;
use spec_interview::core::history::{History, Provenance};
use spec_interview::core::questionnaire::{BUILTIN, parse};
use spec_interview::tui::app;
use spec_interview::tui::review::app::{Store, open};
use spec_interview::tui::review::update::{Msg, update};
use spec_interview::tui::theme::colour::{contrast, rgb};
use spec_interview::tui::theme::{Depth, Theme, ThemeError, ThemeSet};

const BUILT_IN: &[&str] = &["dark", "light", "high-contrast", "16-color", "monochrome"];

/// The screen's text, then each style used with how many cells have it (most first).
fn describe(buffer: &Buffer) -> String {
    let mut text = String::new();
    let mut styles: BTreeMap<String, usize> = BTreeMap::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            text.push_str(cell.symbol());
            let style = format!("fg {:?} bg {:?} {:?}", cell.fg, cell.bg, cell.modifier);
            *styles.entry(style).or_default() += 1;
        }
        text.push('\n');
    }
    let mut counted: Vec<(String, usize)> = styles.into_iter().collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    text.push_str("\nstyles:\n");
    for (style, n) in counted {
        let _ = writeln!(text, "{n:>5} {style}");
    }
    text
}

fn interview_screen(theme: Theme) -> Buffer {
    let (path, source) = BUILTIN[0];
    let q = Arc::new(parse(Path::new(path), source).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let model = app::prepare(Project::new(dir.path()), &q, theme, false).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| spec_interview::tui::ui::draw(f, &model)).unwrap();
    terminal.backend().buffer().clone()
}

fn reviewer_screen(theme: Theme) -> Buffer {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::new(dir.path());
    let doc = ".specflow/docs/D04-payments.md";
    let history = History::open(&project, doc);
    let who = Provenance {
        time: "2026-11-20T10:00:00Z".into(),
        author: "Ada".into(),
        git: None,
    };
    let old = "# Payments\n\n## Data access\n\nRepositories over an ORM.\n\n## Errors\n\nOne envelope.\n";
    let new =
        "# Payments\n\n## Data access\n\nRepositories over a query builder.\n\n## Errors\n\nOne envelope with codes.\n";
    for text in [old, new] {
        history
            .record(doc, text, "[answers]\n", ("d04-backend-architecture", "1.0.0"), &who)
            .unwrap();
    }
    let store = Store {
        project,
        document: doc.into(),
        history,
        reviewer: Some("Ada".into()),
        reviewer_origin: "from the command line (--reviewer)".into(),
    };
    let mut model = open(&store, Some(1), Some(2), theme).unwrap();
    update(&mut model, Msg::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| spec_interview::tui::review::view::draw(f, &model))
        .unwrap();
    terminal.backend().buffer().clone()
}

#[test]
fn every_built_in_theme_loads_and_paints_the_interview_and_the_reviewer() {
    let set = ThemeSet::builtin();
    for name in BUILT_IN {
        let theme = set.theme(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(theme.name, *name);
        insta::assert_snapshot!(format!("interview_{name}"), describe(&interview_screen(theme.clone())));
        insta::assert_snapshot!(format!("reviewer_{name}"), describe(&reviewer_screen(theme)));
    }
    assert_eq!(Theme::NAMES, BUILT_IN);
}

#[test]
fn a_theme_with_a_background_paints_every_cell_with_it() {
    for name in ["dark", "light", "high-contrast", "16-color"] {
        let theme = Theme::named(name).unwrap();
        let background = theme.text.bg.unwrap();
        for screen in [interview_screen(theme.clone()), reviewer_screen(theme.clone())] {
            let unpainted = screen
                .content
                .iter()
                .filter(|c| c.bg == Color::Reset || c.fg == Color::Reset)
                .count();
            assert_eq!(unpainted, 0, "{name}: cells left in the terminal's colours");
            assert!(screen.content.iter().any(|c| c.bg == background));
        }
    }
}

#[test]
fn every_role_of_the_rgb_themes_reads_at_wcag_aa() {
    for name in ["dark", "light", "high-contrast"] {
        let theme = Theme::named(name).unwrap();
        for (role, style) in theme.roles() {
            for colour in [style.fg, style.bg].into_iter().flatten() {
                assert!(matches!(colour, Color::Rgb(..)), "{name}.{role} is not RGB: {colour:?}");
            }
        }
        let pairs = theme.pairs();
        assert!(pairs.len() > 40, "{name}: {} pairs measured", pairs.len());
        let mut worst = f64::MAX;
        for pair in pairs {
            let ratio = contrast(rgb(pair.fg).unwrap(), rgb(pair.bg).unwrap());
            worst = worst.min(ratio);
            assert!(ratio >= 4.5, "{name}: {} is {ratio:.2}:1", pair.label);
        }
        eprintln!("{name}: the lowest contrast is {worst:.2}:1");
    }
}

#[test]
fn colours_reduce_to_what_the_terminal_has() {
    let dark = Theme::dark();
    let only = |theme: &Theme, ok: &dyn Fn(Color) -> bool| {
        theme.roles().iter().flat_map(|(_, s)| [s.fg, s.bg]).flatten().all(ok)
    };
    assert!(only(&dark.degraded(Depth::Ansi256), &|c| matches!(
        c,
        Color::Indexed(16..)
    )));
    assert!(only(&dark.degraded(Depth::Ansi16), &|c| !matches!(
        c,
        Color::Rgb(..) | Color::Indexed(_)
    )));
    assert_eq!(dark.degraded(Depth::TrueColor), dark);
    let light = Theme::light().degraded(Depth::Ansi16);
    assert_eq!(light.text.bg, Some(Color::White));
    assert_eq!(light.text.fg, Some(Color::Black));
}

fn user_theme(files: &[(&str, &str)]) -> (tempfile::TempDir, ThemeSet) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let set = ThemeSet::load(Some(dir.path()), None);
    (dir, set)
}

#[test]
fn a_bad_theme_says_file_line_column_and_what_is_wrong() {
    let (dir, set) = user_theme(&[(
        "mine.toml",
        "inherits = \"dark\"\n\n[roles]\ntext = { fg = \"#101010\" }\nmutd = { fg = \"gray\" }\n",
    )]);
    let file = dir.path().join("mine.toml");
    let problems: Vec<String> = set.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        vec![format!(
            "{}:5:1: there is no role \"mutd\"; the roles are {}.",
            file.display(),
            Theme::ROLES.join(", ")
        )]
    );
    // A colour that is not one, and a theme nobody could read, are found once parents are known.
    let (dir, set) = user_theme(&[(
        "ink.toml",
        "inherits = \"light\"\n[roles]\nmuted = { fg = \"shadow\" }\nwarning = { fg = \"#fefefe\" }\n",
    )]);
    let file = dir.path().join("ink.toml").display().to_string();
    match set.theme("ink") {
        Err(ThemeError::Broken(d)) => assert_eq!(
            d.to_string(),
            format!(
                "{file}:3:16: \"shadow\" is not a colour: write \"#rrggbb\", a palette index 0-255, a colour name such as \"dark-gray\" or \"light-blue\", \"default\", or a name from [palette].\n\
                 {file}:4:11: \"warning\" would be unreadable: its colour has a contrast of 1.0:1 against its background, and at least 3:1 is needed.\n\
                 {file}:4:11: \"warning on highlight\" would be unreadable: its colour has a contrast of 1.1:1 against its background, and at least 3:1 is needed.\n\
                 {file}:4:11: \"warning on status_bar\" would be unreadable: its colour has a contrast of 1.2:1 against its background, and at least 3:1 is needed."
            )
        ),
        other => panic!("{:?}", other.map(|t| t.name)),
    }
}

#[test]
fn an_unknown_theme_lists_the_ones_there_are_and_user_themes_override_by_name() {
    let (_dir, set) = user_theme(&[
        (
            "light.toml",
            "inherits = \"dark\"\n[roles]\ntitle = { fg = \"#ffcc00\" }\n",
        ),
        ("solar.toml", "inherits = \"light\"\n"),
    ]);
    assert_eq!(
        set.theme("neon").map(|t| t.name).unwrap_err().to_string(),
        "there is no theme \"neon\"; the themes are 16-color, dark, high-contrast, light, solar, monochrome."
    );
    let light = set.theme("light").unwrap();
    assert_eq!(light.title.fg, Some(Color::Rgb(0xff, 0xcc, 0)));
    assert_eq!(light.text, Theme::dark().text, "the user's light inherits dark");
    assert_eq!(set.theme("solar").unwrap().title.fg, Some(Color::Rgb(0xff, 0xcc, 0)));
}
