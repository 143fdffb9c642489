//! Manifest decoding as `kubectl apply -f` reads it: see `harness::manifest`.
#![no_main]

// Each target runs one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::manifest(data));
