//! The scenario parsers and linter: see `harness::scenario`.
#![no_main]

// Each target runs one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::scenario(data));
