//! Template rendering: a document template and an answer (split at a 0xFF byte).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    let (template, answer) = harness::two_texts(data);
    harness::template(&template, &answer);
});
