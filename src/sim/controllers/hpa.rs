//! The HorizontalPodAutoscaler controller, v1.22
//! (`pkg/controller/podautoscaler/horizontal.go`, `replica_calculator.go`,
//! `metrics/utilization.go`), for autoscaling/v1 objects: one CPU
//! utilisation metric and no `behavior`, so the legacy normalisation
//! applies (`normalizeDesiredReplicas`: a 5-minute downscale stabilisation
//! window and a scale-up limit of `max(2 × current, 4)`).
//!
//! **Timing.** The controller's work queue uses a fixed 15 s rate limiter
//! (`NewDefaultHPARateLimiter(--horizontal-pod-autoscaler-sync-period)`),
//! so each autoscaler is first synced 15 s after it is created and every
//! 15 s after that: the syncs sit on a grid `creationTimestamp + 15 s × k`.
//!
//! **Idle syncs.** A sync that would change nothing — same status, same
//! scale, same recommendation as the last one — is not run, and the
//! controller does not wake up for it; the memory stands for it (the
//! skipped syncs' recommendations equal `last_recommendation`), so the
//! stabilisation window sees exactly what upstream's would. Only repeated
//! warning events are lost: a real controller re-records
//! `FailedGetResourceMetric` every 15 s (raising the event's count); here
//! the count rises only at syncs that run.
//!
//! **Metrics** come from [`crate::sim::metrics`] (simulated load).

use std::time::Duration;

use k8s_openapi::{
    api::{
        apps::v1::{Deployment, ReplicaSet},
        autoscaling::v1::HorizontalPodAutoscaler,
        core::v1::Pod,
    },
    apimachinery::pkg::apis::meta::v1::LabelSelector,
    jiff::Timestamp,
};
use serde_json::Value;

use super::{Controller, View, Write, scheduler::parse_cpu};
use crate::sim::{
    Object,
    config::ClusterConfig,
    events::{EventRecord, reference_to},
    labels, metrics, podutil,
    runtime::{HpaMemory, Runtime},
    store::Store,
    time,
};

const COMPONENT: &str = "horizontal-pod-autoscaler";

/// `--horizontal-pod-autoscaler-sync-period` default.
pub const SYNC_PERIOD: Duration = Duration::from_secs(15);
/// `--horizontal-pod-autoscaler-downscale-stabilization` default.
pub const DOWNSCALE_STABILISATION: Duration = Duration::from_secs(300);
/// `--horizontal-pod-autoscaler-tolerance` default.
pub const TOLERANCE: f64 = 0.1;
/// `--horizontal-pod-autoscaler-cpu-initialization-period` default.
const CPU_INITIALIZATION_PERIOD: Duration = Duration::from_secs(300);
/// `--horizontal-pod-autoscaler-initial-readiness-delay` default.
const INITIAL_READINESS_DELAY: Duration = Duration::from_secs(30);
/// `scaleUpLimitFactor` and `scaleUpLimitMinimum` (`horizontal.go`).
const SCALE_UP_LIMIT_FACTOR: f64 = 2.0;
const SCALE_UP_LIMIT_MINIMUM: f64 = 4.0;
/// How far ahead [`HpaController::next_wakeup`] looks for a sync that
/// does something: everything time-dependent (the stabilisation window,
/// the CPU initialisation period) settles within this horizon.
const LOOKAHEAD_SYNCS: u32 = 23;

/// Annotations the autoscaling/v1 representation keeps v2 status in
/// (`pkg/apis/autoscaling` `HorizontalPodAutoscalerConditionsAnnotation`,
/// `MetricStatusesAnnotation`).
pub const CONDITIONS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/conditions";
/// See [`CONDITIONS_ANNOTATION`].
pub const CURRENT_METRICS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/current-metrics";

/// The text the resource metrics client gives when no metrics server
/// serves `metrics.k8s.io` (`rest_metrics_client.go` wrapping the
/// discovery NotFound).
const NO_METRICS_API: &str = "unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";

/// The HPA controller.
pub struct HpaController;

impl Controller for HpaController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        // `reconcileKey`: a deleted autoscaler's memory goes.
        if let Some(key) = view.runtime.hpas.keys().find(|k| {
            let (ns, name) = k.split_once('/').unwrap_or_default();
            view.store.get_typed::<HorizontalPodAutoscaler>(Some(ns), name).is_none()
        }) {
            return vec![Write::HpaMemory(key.clone(), None)];
        }
        view.store
            .all::<HorizontalPodAutoscaler>(None)
            .filter(|h| on_grid(h, view.now))
            .filter(|h| memory(view.runtime, h).and_then(|m| m.last_sync) != Some(view.now))
            .map(|h| sync(view.store, view.runtime, view.config, h, view.now))
            .find(|s| !s.idle)
            .map(|s| s.writes)
            .unwrap_or_default()
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        view.store
            .all::<HorizontalPodAutoscaler>(None)
            .filter_map(|h| {
                let mut t = next_grid_after(h, view.now)?;
                for _ in 0..LOOKAHEAD_SYNCS {
                    if !sync(view.store, view.runtime, view.config, h, t).idle {
                        return Some(t);
                    }
                    t = time::add(t, SYNC_PERIOD);
                }
                None
            })
            .min()
    }
}

fn key(hpa: &HorizontalPodAutoscaler) -> String {
    format!(
        "{}/{}",
        hpa.metadata.namespace.as_deref().unwrap_or("default"),
        hpa.metadata.name.as_deref().unwrap_or_default()
    )
}

fn memory<'a>(runtime: &'a Runtime, hpa: &HorizontalPodAutoscaler) -> Option<&'a HpaMemory> {
    runtime.hpas.get(&key(hpa))
}

fn created(hpa: &HorizontalPodAutoscaler) -> Option<Timestamp> {
    hpa.metadata.creation_timestamp.as_ref().map(|t| t.0)
}

/// Whether `t` is one of the autoscaler's sync times.
fn on_grid(hpa: &HorizontalPodAutoscaler, t: Timestamp) -> bool {
    let Some(c) = created(hpa) else { return false };
    let d = t.duration_since(c);
    let period = SYNC_PERIOD.as_nanos() as i128;
    let nanos = d.as_nanos();
    nanos >= period && nanos % period == 0
}

/// The first sync time strictly after `now`.
fn next_grid_after(hpa: &HorizontalPodAutoscaler, now: Timestamp) -> Option<Timestamp> {
    let c = created(hpa)?;
    let period = SYNC_PERIOD.as_nanos() as i128;
    let elapsed = now.duration_since(c).as_nanos();
    let k = if elapsed < period { 1 } else { elapsed / period + 1 };
    let nanos = i64::try_from(k * period).ok()?;
    Some(time::add(c, Duration::from_nanos(nanos.max(0) as u64)))
}

/// One sync's effect.
struct Sync {
    writes: Vec<Write>,
    /// Nothing but repeated warnings would change.
    idle: bool,
}

/// A v2 condition (`autoscalingv2.HorizontalPodAutoscalerCondition`).
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    type_: String,
    status: String,
    last_transition: String,
    reason: String,
    message: String,
}

/// `setCondition`: the transition time moves only when the status does.
fn set_condition(
    list: &mut Vec<Condition>,
    type_: &str,
    status: bool,
    reason: &str,
    message: String,
    now: Timestamp,
) {
    let status = if status { "True" } else { "False" };
    let index = match list.iter().position(|c| c.type_ == type_) {
        Some(i) => i,
        None => {
            list.push(Condition {
                type_: type_.to_owned(),
                status: String::new(),
                last_transition: String::new(),
                reason: String::new(),
                message: String::new(),
            });
            list.len() - 1
        }
    };
    let c = &mut list[index];
    if c.status != status {
        c.last_transition = time::time(now).0.to_string();
    }
    c.status = status.to_owned();
    c.reason = reason.to_owned();
    c.message = message;
}

fn parse_conditions(hpa: &HorizontalPodAutoscaler) -> Vec<Condition> {
    let Some(text) = hpa.metadata.annotations.as_ref().and_then(|a| a.get(CONDITIONS_ANNOTATION))
    else {
        return Vec::new();
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let s = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    items
        .iter()
        .map(|v| Condition {
            type_: s(v, "type"),
            status: s(v, "status"),
            last_transition: s(v, "lastTransitionTime"),
            reason: s(v, "reason"),
            message: s(v, "message"),
        })
        .collect()
}

/// Keeps the conditions where the autoscaling/v1 conversion keeps them:
/// in an annotation (v1 has no `status.conditions`).
fn store_conditions(hpa: &mut HorizontalPodAutoscaler, conditions: &[Condition]) {
    hpa.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(CONDITIONS_ANNOTATION.to_owned(), encode_conditions(conditions));
}

/// The conditions as the v1 conversion encodes them (Go field order).
fn encode_conditions(list: &[Condition]) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let items: Vec<String> = list
        .iter()
        .map(|c| {
            format!(
                "{{\"type\":{},\"status\":{},\"lastTransitionTime\":{},\"reason\":{},\"message\":{}}}",
                q(&c.type_),
                q(&c.status),
                q(&c.last_transition),
                q(&c.reason),
                q(&c.message)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// A millicore quantity in canonical form (`resource.NewMilliQuantity(v,
/// DecimalSI).String()`): `125m`, `1`, `0`.
fn milli_quantity(v: i64) -> String {
    if v % 1000 == 0 { (v / 1000).to_string() } else { format!("{v}m") }
}

/// The CPU metric status (v2 `MetricStatus`, as the v1 annotation holds it).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CpuStatus {
    utilization: i32,
    average_milli: i64,
}

fn encode_metrics(cpu: Option<CpuStatus>) -> Option<String> {
    let cpu = cpu?;
    Some(format!(
        "[{{\"type\":\"Resource\",\"resource\":{{\"name\":\"cpu\",\"currentAverageUtilization\":{},\"currentAverageValue\":{}}}}}]",
        cpu.utilization,
        serde_json::to_string(&milli_quantity(cpu.average_milli)).unwrap_or_default()
    ))
}

/// The scale subresource of the target: spec replicas and pod selector.
fn scale_of(
    store: &Store,
    ns: &str,
    kind: &str,
    name: &str,
) -> Result<(i32, LabelSelector, Object), String> {
    match kind {
        "Deployment" => {
            let d = store
                .get_typed::<Deployment>(Some(ns), name)
                .ok_or_else(|| format!("deployments.apps \"{name}\" not found"))?;
            let spec = d.spec.clone().unwrap_or_default();
            Ok((spec.replicas.unwrap_or(1), spec.selector, Object::Deployment(d.clone())))
        }
        "ReplicaSet" => {
            let r = store
                .get_typed::<ReplicaSet>(Some(ns), name)
                .ok_or_else(|| format!("replicasets.apps \"{name}\" not found"))?;
            let spec = r.spec.clone().unwrap_or_default();
            Ok((spec.replicas.unwrap_or(1), spec.selector, Object::ReplicaSet(r.clone())))
        }
        other => Err(format!("no matches for kind \"{other}\" in group \"apps\"")),
    }
}

fn with_replicas(object: &Object, replicas: i32) -> Object {
    let mut object = object.clone();
    match &mut object {
        Object::Deployment(d) => {
            d.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
        }
        Object::ReplicaSet(r) => {
            r.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
        }
        _ => {}
    }
    object
}

/// `reconcileAutoscaler` at time `now`.
fn sync(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    hpa: &HorizontalPodAutoscaler,
    now: Timestamp,
) -> Sync {
    let Some(spec) = hpa.spec.as_ref() else { return Sync { writes: Vec::new(), idle: true } };
    let ns = hpa.metadata.namespace.as_deref().unwrap_or("default");
    let old_memory = memory(runtime, hpa);
    let mut mem = old_memory.cloned().unwrap_or_default();
    // Syncs skipped since the last one (idle) each recorded the last
    // recommendation; the latest of them stands for all in the window.
    if let (Some(last), Some(rec)) = (mem.last_sync, mem.last_recommendation)
        && time::since(now, last) > SYNC_PERIOD
    {
        mem.recommendations.push((rec, time::sub(now, SYNC_PERIOD)));
    }
    let mut conditions = parse_conditions(hpa);
    let mut events: Vec<(bool, &str, String)> = Vec::new();
    let mut updated = hpa.clone();
    let mut scale_write = None;
    let target = &spec.scale_target_ref;

    let scale = scale_of(store, ns, &target.kind, &target.name);
    let (current, selector, target_object) = match scale {
        Err(e) => {
            events.push((true, "FailedGetScale", e.clone()));
            set_condition(
                &mut conditions,
                "AbleToScale",
                false,
                "FailedGetScale",
                format!("the HPA controller was unable to get the target's current scale: {e}"),
                now,
            );
            store_conditions(&mut updated, &conditions);
            return finish(hpa, updated, events, None, old_memory, mem, now);
        }
        Ok(s) => s,
    };
    set_condition(
        &mut conditions,
        "AbleToScale",
        true,
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale".to_owned(),
        now,
    );
    // `recordInitialRecommendation`.
    if old_memory.is_none() {
        mem.recommendations.push((current, now));
    }
    let min = spec.min_replicas.unwrap_or(1);
    let max = spec.max_replicas;
    let target_utilization = spec.target_cpu_utilization_percentage.unwrap_or(80);
    let mut rescale = true;
    let mut desired = 0;
    let mut reason = String::new();
    let mut cpu_status = None;
    let mut recorded = None;
    let status = updated.status.get_or_insert_with(Default::default);
    if current == 0 && min != 0 {
        rescale = false;
        set_condition(
            &mut conditions,
            "ScalingActive",
            false,
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero".to_owned(),
            now,
        );
    } else if current > max {
        reason = "Current number of replicas above Spec.MaxReplicas".to_owned();
        desired = max;
    } else if current < min {
        reason = "Current number of replicas below Spec.MinReplicas".to_owned();
        desired = min;
    } else {
        let pods: Vec<&Pod> = store
            .all::<Pod>(Some(ns))
            .filter(|p| labels::selector_matches(&selector, p.metadata.labels.as_ref()))
            .collect();
        match resource_replicas(store, runtime, config, &pods, current, target_utilization, now) {
            Err(raw) => {
                // `computeStatusForResourceMetric` → `getUnableComputeReplicaCountCondition`,
                // then `reconcileAutoscaler`'s error path: current replicas only.
                events.push((true, "FailedGetResourceMetric", raw.clone()));
                set_condition(
                    &mut conditions,
                    "ScalingActive",
                    false,
                    "FailedGetResourceMetric",
                    format!("the HPA was unable to compute the replica count: {raw}"),
                    now,
                );
                events.push((
                    true,
                    "FailedComputeMetricsReplicas",
                    format!(
                        "invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: {raw}"
                    ),
                ));
                status.current_replicas = current;
                mem.last_sync = Some(now);
                mem.last_recommendation = None;
                store_conditions(&mut updated, &conditions);
                return finish(hpa, updated, events, None, old_memory, mem, now);
            }
            Ok((proposal, utilization, average)) => {
                let metric = "cpu resource utilization (percentage of request)";
                set_condition(
                    &mut conditions,
                    "ScalingActive",
                    true,
                    "ValidMetricFound",
                    format!(
                        "the HPA was able to successfully calculate a replica count from {metric}"
                    ),
                    now,
                );
                cpu_status = Some(CpuStatus { utilization, average_milli: average });
                let mut rescale_metric = "";
                if proposal > desired {
                    desired = proposal;
                    rescale_metric = metric;
                }
                if desired > current {
                    reason = format!("{rescale_metric} above target");
                }
                if desired < current {
                    reason = "All metrics below target".to_owned();
                }
                recorded = Some(desired);
                desired = normalize(&mut mem, &mut conditions, current, desired, min, max, now);
                rescale = desired != current;
            }
        }
    }
    if rescale {
        scale_write = Some(with_replicas(&target_object, desired));
        set_condition(
            &mut conditions,
            "AbleToScale",
            true,
            "SucceededRescale",
            format!("the HPA controller was able to update the target scale to {desired}"),
            now,
        );
        events.push((false, "SuccessfulRescale", format!("New size: {desired}; reason: {reason}")));
    } else {
        desired = current;
    }
    // `setStatus`.
    status.current_replicas = current;
    status.desired_replicas = desired;
    status.current_cpu_utilization_percentage = cpu_status.map(|c| c.utilization);
    if rescale {
        status.last_scale_time = Some(time::time(now));
    }
    store_conditions(&mut updated, &conditions);
    let annotations = updated.metadata.annotations.get_or_insert_with(Default::default);
    match encode_metrics(cpu_status) {
        Some(text) => annotations.insert(CURRENT_METRICS_ANNOTATION.to_owned(), text),
        None => annotations.remove(CURRENT_METRICS_ANNOTATION),
    };
    mem.last_sync = Some(now);
    mem.last_recommendation = recorded;
    finish(hpa, updated, events, scale_write, old_memory, mem, now)
}

/// Assembles a sync's writes and decides whether it is idle.
fn finish(
    hpa: &HorizontalPodAutoscaler,
    updated: HorizontalPodAutoscaler,
    events: Vec<(bool, &str, String)>,
    scale_write: Option<Object>,
    old_memory: Option<&HpaMemory>,
    mut mem: HpaMemory,
    now: Timestamp,
) -> Sync {
    mem.last_sync = Some(now);
    let idle = old_memory.is_some_and(|m| m.last_recommendation == mem.last_recommendation)
        && scale_write.is_none()
        && updated == *hpa;
    let mut writes = Vec::new();
    if let Some(o) = scale_write {
        writes.push(Write::Update(o));
    }
    let reference = reference_to(&Object::HorizontalPodAutoscaler(hpa.clone()));
    for (warning, reason, message) in events {
        let ev = EventRecord::normal(reference.clone(), COMPONENT, reason, message);
        writes.push(Write::Event(if warning { ev.warning() } else { ev }));
    }
    if updated != *hpa {
        writes.push(Write::Update(Object::HorizontalPodAutoscaler(updated)));
    }
    writes.push(Write::HpaMemory(key(hpa), Some(mem)));
    Sync { writes, idle }
}

/// `normalizeDesiredReplicas` (no `behavior`): stabilise, then clamp to
/// min/max and the scale-up limit.
fn normalize(
    mem: &mut HpaMemory,
    conditions: &mut Vec<Condition>,
    current: i32,
    proposal: i32,
    min: i32,
    max: i32,
    now: Timestamp,
) -> i32 {
    let stabilized = stabilize(mem, proposal, now);
    if stabilized != proposal {
        set_condition(
            conditions,
            "AbleToScale",
            true,
            "ScaleDownStabilized",
            "recent recommendations were higher than current one, applying the highest recent recommendation".to_owned(),
            now,
        );
    } else {
        set_condition(
            conditions,
            "AbleToScale",
            true,
            "ReadyForNewScale",
            "recommended size matches current size".to_owned(),
            now,
        );
    }
    // `convertDesiredReplicasWithRules`.
    let scale_up_limit =
        (SCALE_UP_LIMIT_FACTOR * f64::from(current)).max(SCALE_UP_LIMIT_MINIMUM) as i32;
    let (maximum, mut condition, mut message) = if max > scale_up_limit {
        (
            scale_up_limit,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
    };
    let desired = if stabilized < min {
        condition = "TooFewReplicas";
        message = "the desired replica count is less than the minimum replica count";
        min
    } else if stabilized > maximum {
        maximum
    } else {
        condition = "DesiredWithinRange";
        message = "the desired count is within the acceptable range";
        stabilized
    };
    set_condition(
        conditions,
        "ScalingLimited",
        desired != stabilized,
        condition,
        message.to_owned(),
        now,
    );
    desired
}

/// `stabilizeRecommendation`: the highest recommendation not older than
/// the window, this one included. Upstream reuses the slot of an expired
/// sample; dropping expired samples gives the same maximum.
fn stabilize(mem: &mut HpaMemory, proposal: i32, now: Timestamp) -> i32 {
    let cutoff = time::sub(now, DOWNSCALE_STABILISATION);
    mem.recommendations.retain(|(_, t)| *t >= cutoff);
    let best = mem.recommendations.iter().map(|(r, _)| *r).fold(proposal, i32::max);
    mem.recommendations.push((proposal, now));
    best
}

/// `ReplicaCalculator.GetResourceReplicas` for CPU: the proposed replica
/// count, the utilisation (percent of request) and the average usage
/// (millicores); or the error's text.
fn resource_replicas(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    pods: &[&Pod],
    current: i32,
    target: i32,
    now: Timestamp,
) -> Result<(i32, i32, i64), String> {
    if !config.metrics_server {
        return Err(NO_METRICS_API.to_owned());
    }
    let ns = pods.first().and_then(|p| p.metadata.namespace.as_deref());
    let all = metrics::pod_metrics(store, runtime, config, ns);
    let mut usage: std::collections::BTreeMap<String, i64> = pods
        .iter()
        .filter_map(|p| {
            let name = p.metadata.name.as_deref()?;
            all.iter().find(|m| m.name == name).map(|m| (name.to_owned(), m.cpu_milli()))
        })
        .collect();
    if usage.is_empty() {
        return Err(
            "unable to get metrics for resource cpu: no metrics returned from resource metrics API"
                .to_owned(),
        );
    }
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".to_owned());
    }
    // `groupPods`.
    let mut ready_count = 0;
    let mut unready = Vec::new();
    let mut missing = Vec::new();
    for pod in pods {
        let name = pod.metadata.name.clone().unwrap_or_default();
        if pod.metadata.deletion_timestamp.is_some() || podutil::phase(pod) == "Failed" {
            usage.remove(&name);
            continue;
        }
        if podutil::phase(pod) == "Pending" {
            usage.remove(&name);
            unready.push(name);
            continue;
        }
        if !usage.contains_key(&name) {
            missing.push(name);
            continue;
        }
        let condition = podutil::condition(pod, "Ready");
        let start = pod.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0);
        let is_unready = match (condition, start) {
            (Some(c), Some(start)) => {
                let transition = c.last_transition_time.as_ref().map_or(start, |t| t.0);
                if time::add(start, CPU_INITIALIZATION_PERIOD) > now {
                    // The metric is fresh (timestamp now, no window).
                    c.status == "False" || now < transition
                } else {
                    c.status == "False" && time::add(start, INITIAL_READINESS_DELAY) > transition
                }
            }
            _ => true,
        };
        if is_unready {
            usage.remove(&name);
            unready.push(name);
            continue;
        }
        ready_count += 1;
    }
    // `calculatePodRequests`.
    let mut requests = std::collections::BTreeMap::new();
    for pod in pods {
        let mut sum = 0;
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            match c.resources.as_ref().and_then(|r| r.requests.as_ref()).and_then(|r| r.get("cpu"))
            {
                Some(q) => sum = parse_cpu(&q.0).saturating_add(sum),
                None => return Err("missing request for cpu".to_owned()),
            }
        }
        requests.insert(pod.metadata.name.clone().unwrap_or_default(), sum);
    }
    if usage.is_empty() {
        return Err("did not receive metrics for any ready pods".to_owned());
    }
    let (ratio, utilization, average) = utilization_ratio(&usage, &requests, target)?;
    let rebalance_ignored = !unready.is_empty() && ratio > 1.0;
    if !rebalance_ignored && missing.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            return Ok((current, utilization, average));
        }
        return Ok(((ratio * f64::from(ready_count)).ceil() as i32, utilization, average));
    }
    if !missing.is_empty() {
        if ratio < 1.0 {
            let fallback = i64::from(target.max(100));
            for name in &missing {
                usage.insert(
                    name.clone(),
                    requests.get(name).copied().unwrap_or(0).saturating_mul(fallback) / 100,
                );
            }
        } else if ratio > 1.0 {
            for name in &missing {
                usage.insert(name.clone(), 0);
            }
        }
    }
    if rebalance_ignored {
        for name in &unready {
            usage.insert(name.clone(), 0);
        }
    }
    let (new_ratio, _, _) = utilization_ratio(&usage, &requests, target)?;
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok((current, utilization, average));
    }
    let proposal = (new_ratio * usage.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && proposal > current) || (new_ratio > 1.0 && proposal < current) {
        return Ok((current, utilization, average));
    }
    Ok((proposal, utilization, average))
}

/// `metricsclient.GetResourceUtilizationRatio`: the utilisation is an
/// integer percentage (truncated), and the ratio is taken from it.
fn utilization_ratio(
    usage: &std::collections::BTreeMap<String, i64>,
    requests: &std::collections::BTreeMap<String, i64>,
    target: i32,
) -> Result<(f64, i32, i64), String> {
    let mut metrics_total = 0;
    let mut requests_total = 0;
    let mut entries = 0;
    for (name, value) in usage {
        let Some(request) = requests.get(name) else { continue };
        metrics_total = value.saturating_add(metrics_total);
        requests_total = request.saturating_add(requests_total);
        entries += 1;
    }
    if requests_total == 0 {
        return Err("no metrics returned matched known pods".to_owned());
    }
    let utilization = (i128::from(metrics_total) * 100 / i128::from(requests_total))
        .clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32;
    Ok((f64::from(utilization) / f64::from(target), utilization, metrics_total / entries))
}

/// The v1 object's view of the CPU metric status, for printers:
/// (utilisation percent, average usage in millicores) from the
/// current-metrics annotation.
pub fn current_cpu(hpa: &HorizontalPodAutoscaler) -> Option<(i64, String)> {
    let text = hpa.metadata.annotations.as_ref()?.get(CURRENT_METRICS_ANNOTATION)?;
    let v: Value = serde_json::from_str(text).ok()?;
    let r = &v[0]["resource"];
    Some((r["currentAverageUtilization"].as_i64()?, r["currentAverageValue"].as_str()?.to_owned()))
}

/// The v2 conditions the v1 object carries in its annotation, as
/// (type, status, reason, message).
pub fn conditions(hpa: &HorizontalPodAutoscaler) -> Vec<(String, String, String, String)> {
    parse_conditions(hpa).into_iter().map(|c| (c.type_, c.status, c.reason, c.message)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milli_quantities_are_canonical() {
        assert_eq!(milli_quantity(125), "125m");
        assert_eq!(milli_quantity(1000), "1");
        assert_eq!(milli_quantity(0), "0");
    }

    #[test]
    fn utilisation_truncates_before_the_ratio() {
        let usage = [("a".to_owned(), 125), ("b".to_owned(), 125)].into_iter().collect();
        let requests = [("a".to_owned(), 200), ("b".to_owned(), 200)].into_iter().collect();
        let (ratio, util, avg) = utilization_ratio(&usage, &requests, 50).unwrap();
        assert_eq!((util, avg), (62, 125));
        assert!((ratio - 1.24).abs() < 1e-9);
    }
}
