//! Stub.

use super::{Controller, View, Write};

/// Stub.
pub struct GarbageCollector;

impl Controller for GarbageCollector {
    fn name(&self) -> &'static str {
        "gc"
    }

    fn reconcile(&self, _view: &View<'_>) -> Vec<Write> {
        Vec::new()
    }
}
