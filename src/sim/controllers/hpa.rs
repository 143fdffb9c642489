//! The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`,
//! v1.22) without a metrics server: it reports the target's current
//! replicas and enforces min/max; utilisation stays unknown.

use k8s_openapi::api::{apps::v1::Deployment, autoscaling::v1::HorizontalPodAutoscaler};

use super::{Controller, View, Write};
use crate::sim::{
    Object,
    events::{EventRecord, reference_to},
    time,
};

const COMPONENT: &str = "horizontal-pod-autoscaler";

/// The HPA controller.
pub struct HpaController;

impl Controller for HpaController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        view.store
            .all::<HorizontalPodAutoscaler>(None)
            .map(|h| sync(view, h))
            .find(|w| !w.is_empty())
            .unwrap_or_default()
    }
}

/// `reconcileAutoscaler`, minus metrics: the current count is the scale
/// subresource's `spec.replicas`, as upstream reads it.
fn sync(view: &View<'_>, hpa: &HorizontalPodAutoscaler) -> Vec<Write> {
    let Some(spec) = hpa.spec.as_ref() else { return Vec::new() };
    if spec.scale_target_ref.kind != "Deployment" {
        return Vec::new();
    }
    let ns = hpa.metadata.namespace.as_deref().unwrap_or("default");
    let Some(d) = view.store.get_typed::<Deployment>(Some(ns), &spec.scale_target_ref.name) else {
        return Vec::new();
    };
    let spec_replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let current = spec_replicas;
    let min = spec.min_replicas.unwrap_or(1);
    let (desired, reason) = if spec_replicas == 0 && min != 0 {
        (0, None)
    } else if current > spec.max_replicas {
        (spec.max_replicas, Some("Current number of replicas above Spec.MaxReplicas"))
    } else if current < min {
        (min, Some("Current number of replicas below Spec.MinReplicas"))
    } else {
        (0, None)
    };
    let mut writes = Vec::new();
    let mut updated = hpa.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    status.current_replicas = current;
    if let Some(reason) = reason.filter(|_| desired != spec_replicas) {
        let mut scaled = d.clone();
        scaled.spec.get_or_insert_with(Default::default).replicas = Some(desired);
        writes.push(Write::Update(Object::Deployment(scaled)));
        let message = format!("New size: {desired}; reason: {reason}");
        writes.push(Write::Event(EventRecord::normal(
            reference_to(&Object::HorizontalPodAutoscaler(hpa.clone())),
            COMPONENT,
            "SuccessfulRescale",
            message,
        )));
        status.desired_replicas = desired;
        status.last_scale_time = Some(time::time(view.now));
    } else if reason.is_some() {
        status.desired_replicas = desired;
    }
    if updated != *hpa {
        writes.push(Write::Update(Object::HorizontalPodAutoscaler(updated)));
    }
    writes
}
