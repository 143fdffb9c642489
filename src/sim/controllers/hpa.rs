//! Stub.

use super::{Controller, View, Write};

/// Stub.
pub struct HpaController;

impl Controller for HpaController {
    fn name(&self) -> &'static str {
        "hpa"
    }

    fn reconcile(&self, _view: &View<'_>) -> Vec<Write> {
        Vec::new()
    }
}
