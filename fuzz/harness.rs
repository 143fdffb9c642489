//! The fuzz targets' bodies, shared with `tests/fuzz_regressions.rs`,
//! which replays every input kept under `tests/fuzz-regressions/TARGET/`
//! through the same function the fuzzer ran, so a fixed crash stays fixed
//! under plain `cargo test`.

use std::{path::Path, sync::OnceLock};

use kubeplay::{
    backend::sim::SimBackend, scenario::FrontMatter, sim::Cluster, workspace::Workspace,
};

/// The scenario parsers (Markdown and YAML, front matter included) and
/// the linter `kubeplay check` runs: any text is a scenario or a
/// `ParseError`, never a panic, a hang or unbounded memory. The first byte
/// picks the format, so one corpus covers both parsers.
pub fn scenario(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let path = if which % 2 == 0 { Path::new("fuzz.md") } else { Path::new("fuzz.yaml") };
    if let Ok(scenario) = kubeplay::scenario::parse_file(path, text) {
        let _ = kubeplay::scenario::check(&scenario);
    }
}

/// The tutorial shell's lexer and parser: any command line is a parse or
/// a `SyntaxError`, never a panic or unbounded growth.
pub fn shell_lexer(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let _ = kubeplay::shell::parse::parse(line);
}

fn base() -> &'static Cluster {
    static BASE: OnceLock<Cluster> = OnceLock::new();
    BASE.get_or_init(|| {
        let backend = SimBackend::new(&FrontMatter::default()).expect("the default cluster");
        backend.cluster().clone()
    })
}

/// kubectl's argv parser, then the whole emulated kubectl on a fresh
/// cluster: any argv is kubectl output or an error, never a panic.
/// Arguments are the input's NUL-separated fields.
pub fn kubectl_argv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let argv: Vec<String> =
        std::iter::once("kubectl").chain(text.split('\0')).map(str::to_owned).collect();
    if argv.len() > 64 {
        return;
    }
    let _ = kubeplay::kubectl::args::parse(&argv);
    let mut cluster = base().clone();
    let mut workspace = Workspace::default();
    workspace.write("m.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n");
    let _ = kubeplay::kubectl::run(&mut cluster, &argv, &workspace);
}

/// Manifest decoding as `kubectl apply/create -f` reads it: YAML documents
/// to JSON to typed objects. Any file is objects or kubectl's error text,
/// never a panic.
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut workspace = Workspace::default();
    workspace.write("m.yaml", text);
    let _ =
        kubeplay::kubectl::manifest::read_all(&workspace, &["m.yaml".to_owned()], "default", false);
}
