//! History reading: a revision record and a review record (split at a 0xFF byte).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    let (record, review) = harness::two_texts(data);
    harness::history(&record, &review);
});
