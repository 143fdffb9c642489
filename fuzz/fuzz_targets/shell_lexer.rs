//! The tutorial shell's lexer and parser: any command line is a parse or a
//! `SyntaxError`, never a panic or unbounded growth.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let _ = kubeplay::shell::parse::parse(line);
});
