//! Stub.

use super::{Controller, View, Write};

/// Stub.
pub struct NodeLifecycle;

impl Controller for NodeLifecycle {
    fn name(&self) -> &'static str {
        "nodelifecycle"
    }

    fn reconcile(&self, _view: &View<'_>) -> Vec<Write> {
        Vec::new()
    }
}
