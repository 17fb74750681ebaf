//! Questionnaire loading: any file loads or is refused with a clean problem.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::questionnaire(&String::from_utf8_lossy(data));
});
