//! The tutorial shell's lexer and parser: see `harness::shell_lexer`.
#![no_main]

// Each target runs one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::shell_lexer(data));
