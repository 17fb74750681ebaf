//! The diff: the printed patch, applied to the older text, gives the newer (split at 0xFF).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    let (old, new) = harness::two_texts(data);
    harness::diff(&old, &new);
});
