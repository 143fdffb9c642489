//! Manifest decoding as `kubectl apply/create -f` reads it: YAML documents
//! to JSON to typed objects. Any file is objects or kubectl's error text,
//! never a panic.
#![no_main]

use kubeplay::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut workspace = Workspace::default();
    workspace.write("m.yaml", text);
    let _ = kubeplay::kubectl::manifest::read_all(&workspace, &["m.yaml".to_owned()], "default", false);
});
