//! The Markdown preview: the first byte picks the width, the rest is the document.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    let Some((width, text)) = data.split_first() else { return };
    harness::preview(&String::from_utf8_lossy(text), u16::from(*width));
});
