//! Stub.

use super::{Controller, View, Write};

/// Stub.
pub struct DeploymentController;

impl Controller for DeploymentController {
    fn name(&self) -> &'static str {
        "deployment"
    }

    fn reconcile(&self, _view: &View<'_>) -> Vec<Write> {
        Vec::new()
    }
}
