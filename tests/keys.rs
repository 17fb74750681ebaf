//! The key table is what the README shows: its key tables are generated from the same table the
//! handler, the footer and F1 read (`keymap::markdown`), and a test keeps them equal.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::Path;

use spec_interview::tui::keymap::{BINDINGS, markdown};

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("README has no {open}")) + open.len();
    let end = start
        + text[start..]
            .find(close)
            .unwrap_or_else(|| panic!("README has no {close}"));
    &text[start..end]
}

#[test]
fn the_readme_key_tables_are_the_key_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let mut readme = std::fs::read_to_string(&path).unwrap();
    let mut stale = Vec::new();
    for (part, review) in [("interview", false), ("reviewer", true)] {
        let open = format!("<!-- keys:{part} -->\n");
        let close = format!("<!-- /keys:{part} -->");
        let shown = between(&readme, &open, &close).to_string();
        let table = markdown(BINDINGS, review);
        if shown != table {
            stale.push(part);
            readme = readme.replacen(&format!("{open}{shown}{close}"), &format!("{open}{table}{close}"), 1);
        }
    }
    if !stale.is_empty() && std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, readme).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "the README's key tables ({stale:?}) differ from the key table; UPDATE_README=1 cargo test --test keys rewrites them"
    );
}
