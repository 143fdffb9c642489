//! Stub.

use super::{Controller, View, Write};

/// Stub.
pub struct NamespaceController;

impl Controller for NamespaceController {
    fn name(&self) -> &'static str {
        "namespace"
    }

    fn reconcile(&self, _view: &View<'_>) -> Vec<Write> {
        Vec::new()
    }
}
