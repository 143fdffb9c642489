//! kubectl's argv parser, then the whole emulated kubectl on a fresh
//! cluster: any argv is kubectl output or an error, never a panic.
//! Arguments are the input's NUL-separated fields.
#![no_main]

use std::sync::OnceLock;

use kubeplay::{backend::sim::SimBackend, scenario::FrontMatter, sim::Cluster, workspace::Workspace};
use libfuzzer_sys::fuzz_target;

fn base() -> &'static Cluster {
    static BASE: OnceLock<Cluster> = OnceLock::new();
    BASE.get_or_init(|| {
        let backend = SimBackend::new(&FrontMatter::default()).expect("the default cluster");
        backend.cluster().clone()
    })
}

fuzz_target!(|data: &[u8]| {
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
});
