//! The scenario parsers (Markdown and YAML, front matter included) and the
//! linter `kubeplay check` runs: any text is a scenario or a `ParseError`,
//! never a panic, a hang or unbounded memory.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format, so one corpus covers both parsers.
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let path = if which % 2 == 0 { Path::new("fuzz.md") } else { Path::new("fuzz.yaml") };
    if let Ok(scenario) = kubeplay::scenario::parse_file(path, text) {
        let _ = kubeplay::scenario::check(&scenario);
    }
});
