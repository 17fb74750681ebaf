//! Answers and session loading for the built-in questionnaire.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};

#[path = "../harness.rs"]
mod harness;

static QUESTIONNAIRE: LazyLock<Arc<spec_interview::core::questionnaire::Questionnaire>> = LazyLock::new(harness::builtin);

fuzz_target!(|data: &[u8]| {
    harness::answers(&QUESTIONNAIRE, &String::from_utf8_lossy(data));
});
