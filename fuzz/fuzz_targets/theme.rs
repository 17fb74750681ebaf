//! Theme files: parse, then resolve against the built-in themes.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::theme(&String::from_utf8_lossy(data));
});
