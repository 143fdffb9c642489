//! The HorizontalPodAutoscaler controller
//! (`pkg/controller/podautoscaler/horizontal.go`, `replica_calculator.go`,
//! `metrics/utilization.go`), working from the autoscaling/v2 spec the
//! simulator stores: every `Resource` metric on cpu or memory (Utilization
//! or AverageValue targets; the largest proposal wins), and either the
//! legacy normalisation when `behavior` is unset (`normalizeDesiredReplicas`:
//! a 5-minute downscale stabilisation window and a scale-up limit of
//! `max(2 × current, 4)`) or `normalizeDesiredReplicasWithBehaviors`
//! (stabilisation windows up and down, scaling policies, selectPolicy).
//! Other metric sources are reported unsupported at admission
//! (`admission::unmodelled`).
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
        autoscaling::v2::{
            HPAScalingRules, HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, MetricSpec,
            MetricStatus, MetricValueStatus, ResourceMetricStatus,
        },
        core::v1::Pod,
    },
    apimachinery::pkg::{api::resource::Quantity, apis::meta::v1::LabelSelector},
    jiff::Timestamp,
};

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
/// does something, at least: everything time-dependent (the default
/// stabilisation window, the CPU initialisation period) settles within
/// this horizon; a `behavior` with longer windows or periods extends it
/// ([`lookahead`]).
const LOOKAHEAD_SYNCS: u32 = 23;

/// The text the resource metrics client gives when no metrics server
/// serves `metrics.k8s.io` (`rest_metrics_client.go` wrapping the
/// discovery NotFound).
const NO_METRICS_API: &str = "unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";

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
                for _ in 0..lookahead(h) {
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

/// Syncs to look ahead for `hpa`: past its longest stabilisation window
/// and policy period.
fn lookahead(hpa: &HorizontalPodAutoscaler) -> u32 {
    let behavior = hpa.spec.as_ref().and_then(|s| s.behavior.as_ref());
    let longest =
        [behavior.and_then(|b| b.scale_up.as_ref()), behavior.and_then(|b| b.scale_down.as_ref())]
            .into_iter()
            .flatten()
            .flat_map(|r| {
                r.policies
                    .iter()
                    .flatten()
                    .map(|p| p.period_seconds)
                    .chain(r.stabilization_window_seconds)
            })
            .max()
            .unwrap_or(0);
    let syncs = u32::try_from(longest).unwrap_or(0) / SYNC_PERIOD.as_secs() as u32 + 3;
    syncs.max(LOOKAHEAD_SYNCS)
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
/// The `AbleToScale` verdicts of the stabilisation step (reason, message),
/// as `normalizeDesiredReplicas` and `stabilizeRecommendationWithBehaviors`
/// (`pkg/controller/podautoscaler/horizontal.go`) set them.
type Verdict = (&'static str, &'static str);
const READY_FOR_NEW_SCALE: Verdict = ("ReadyForNewScale", "recommended size matches current size");
const SCALE_DOWN_STABILIZED: Verdict = (
    "ScaleDownStabilized",
    "recent recommendations were higher than current one, applying the highest recent recommendation",
);
const SCALE_UP_STABILIZED: Verdict = (
    "ScaleUpStabilized",
    "recent recommendations were lower than current one, applying the lowest recent recommendation",
);

/// Sets `AbleToScale` true with `verdict`.
fn able_to_scale(conditions: &mut Vec<Condition>, verdict: Verdict, now: Timestamp) {
    set_condition(conditions, "AbleToScale", true, verdict.0, verdict.1.to_owned(), now);
}

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
    hpa.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .map(|c| Condition {
            type_: c.type_.clone(),
            status: c.status.clone(),
            last_transition: c
                .last_transition_time
                .as_ref()
                .map(|t| t.0.to_string())
                .unwrap_or_default(),
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
        })
        .collect()
}

/// `status.conditions` of the v2 object.
fn store_conditions(hpa: &mut HorizontalPodAutoscaler, conditions: &[Condition]) {
    let list = conditions
        .iter()
        .map(|c| HorizontalPodAutoscalerCondition {
            type_: c.type_.clone(),
            status: c.status.clone(),
            last_transition_time: c.last_transition.parse().ok().map(time::time),
            reason: Some(c.reason.clone()),
            message: Some(c.message.clone()),
        })
        .collect();
    hpa.status.get_or_insert_with(Default::default).conditions = Some(list);
}

/// A millicore quantity in canonical form (`resource.NewMilliQuantity(v,
/// DecimalSI).String()`): `125m`, `1`, `0`.
fn milli_quantity(v: i64) -> String {
    if v % 1000 == 0 { (v / 1000).to_string() } else { format!("{v}m") }
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

/// One metric's proposal (`computeReplicasForMetric`): replicas, the
/// metric's name for messages, its status.
struct Proposal {
    replicas: i32,
    name: String,
    status: MetricStatus,
}

/// Why one metric failed: the condition reason, the error (event and
/// condition text), and the error as `computeReplicasForMetrics` wraps it.
struct MetricError {
    reason: &'static str,
    error: String,
    wrapped: String,
}

/// A resource metric's error, as `computeReplicasForMetric` wraps it for
/// `FailedComputeMetricsReplicas` ([`crate::version::Fact::HpaMetricErrorNamesSource`]).
fn resource_error(resource: &str, error: String, names_source: bool) -> MetricError {
    let wrapped = if names_source {
        format!("failed to get {resource} resource metric value: {error}")
    } else {
        error.clone()
    };
    MetricError { reason: "FailedGetResourceMetric", error, wrapped }
}

/// `computeReplicasForMetric` for a `Resource` metric on cpu or memory.
#[allow(clippy::too_many_arguments)]
fn compute_metric(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    pods: &[&Pod],
    current: i32,
    metric: &MetricSpec,
    now: Timestamp,
) -> Result<Proposal, MetricError> {
    let Some(source) = metric.resource.as_ref().filter(|_| metric.type_ == "Resource") else {
        // Admission reported the metric unsupported; the controller skips it.
        return Err(MetricError {
            reason: "FailedGetMetric",
            error: format!("{} metric source is not modelled", metric.type_),
            wrapped: format!("{} metric source is not modelled", metric.type_),
        });
    };
    let resource = source.name.as_str();
    let names_source = config.version.has(crate::version::Fact::HpaMetricErrorNamesSource);
    let wrap = |error: String| resource_error(resource, error, names_source);
    let target = &source.target;
    if let Some(value) = target.average_value.as_ref() {
        let target_milli = quantity_milli(&value.0);
        let (replicas, usage) = raw_resource_replicas(
            store,
            runtime,
            config,
            pods,
            current,
            resource,
            target_milli,
            now,
        )
        .map_err(|raw| wrap(format!("failed to get {resource} utilization: {raw}")))?;
        return Ok(Proposal {
            replicas,
            name: format!("{resource} resource"),
            status: resource_status(resource, None, usage),
        });
    }
    let Some(utilization) = target.average_utilization else {
        return Err(wrap("invalid resource metric source: neither a utilization target nor a value target was set".to_owned()));
    };
    let (replicas, percent, average) =
        resource_replicas(store, runtime, config, pods, current, resource, utilization, now)
            .map_err(|raw| wrap(format!("failed to get {resource} utilization: {raw}")))?;
    Ok(Proposal {
        replicas,
        name: format!("{resource} resource utilization (percentage of request)"),
        status: resource_status(resource, Some(percent), average),
    })
}

fn resource_status(resource: &str, utilization: Option<i32>, average_milli: i64) -> MetricStatus {
    MetricStatus {
        type_: "Resource".to_owned(),
        resource: Some(ResourceMetricStatus {
            name: resource.to_owned(),
            current: MetricValueStatus {
                average_utilization: utilization,
                average_value: Some(Quantity(milli_quantity(average_milli))),
                value: None,
            },
        }),
        ..Default::default()
    }
}

/// A quantity in milli-units (`Quantity.MilliValue`), for the targets
/// the simulator compares: `500m`, `1`, `100Mi`, `1Gi`, `64M`.
fn quantity_milli(q: &str) -> i64 {
    let suffixes: [(&str, f64); 13] = [
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024.0f64.powi(4)),
        ("m", 1e-3),
        ("k", 1e3),
        ("K", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("n", 1e-9),
        ("u", 1e-6),
        ("", 1.0),
    ];
    for (suffix, factor) in suffixes {
        if let Some(number) = q.strip_suffix(suffix)
            && let Ok(n) = number.parse::<f64>()
        {
            return (n * factor * 1000.0).ceil() as i64;
        }
    }
    0
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
    let mut rescale = true;
    let mut desired = 0;
    let mut reason = String::new();
    let mut statuses: Option<Vec<MetricStatus>> = None;
    let mut recorded = None;
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
        // `computeReplicasForMetrics`: the largest proposal wins; invalid
        // metrics fail the sync when all are invalid or the valid ones
        // would scale down.
        let metrics = spec.metrics.clone().unwrap_or_default();
        let mut proposals =
            vec![MetricStatus { type_: String::new(), ..Default::default() }; metrics.len()];
        let mut invalid = 0;
        let mut first_error: Option<MetricError> = None;
        let mut replicas = 0;
        let mut metric_name = String::new();
        for (i, metric) in metrics.iter().enumerate() {
            match compute_metric(store, runtime, config, &pods, current, metric, now) {
                Ok(p) => {
                    proposals[i] = p.status;
                    if replicas == 0 || p.replicas > replicas {
                        replicas = p.replicas;
                        metric_name = p.name;
                    }
                }
                Err(e) => {
                    // `getUnableComputeReplicaCountCondition` records the event.
                    events.push((true, e.reason, e.error.clone()));
                    if invalid == 0 {
                        first_error = Some(e);
                    }
                    invalid += 1;
                }
            }
        }
        if let Some(e) = first_error.filter(|_| invalid >= metrics.len() || replicas < current) {
            set_condition(
                &mut conditions,
                "ScalingActive",
                false,
                e.reason,
                format!("the HPA was unable to compute the replica count: {}", e.error),
                now,
            );
            events.push((
                true,
                "FailedComputeMetricsReplicas",
                format!(
                    "invalid metrics ({invalid} invalid out of {}), first error is: {}",
                    metrics.len(),
                    e.wrapped
                ),
            ));
            let status = updated.status.get_or_insert_with(Default::default);
            status.current_replicas = Some(current);
            mem.last_sync = Some(now);
            mem.last_recommendation = None;
            store_conditions(&mut updated, &conditions);
            return finish(hpa, updated, events, None, old_memory, mem, now);
        }
        set_condition(
            &mut conditions,
            "ScalingActive",
            true,
            "ValidMetricFound",
            format!(
                "the HPA was able to successfully calculate a replica count from {metric_name}"
            ),
            now,
        );
        statuses = Some(proposals);
        desired = replicas;
        if desired > current {
            reason = format!("{metric_name} above target");
        }
        if desired < current {
            reason = "All metrics below target".to_owned();
        }
        recorded = Some(desired);
        desired = match spec.behavior.as_ref() {
            None => normalize(&mut mem, &mut conditions, current, desired, min, max, now),
            Some(b) => {
                let up = b.scale_up.clone().unwrap_or_default();
                let mut down = b.scale_down.clone().unwrap_or_default();
                // `maybeInitScaleDownStabilizationWindow`.
                down.stabilization_window_seconds
                    .get_or_insert(DOWNSCALE_STABILISATION.as_secs() as i32);
                let limits = Limits { current, min, max };
                normalize_with_behavior(&mut mem, &mut conditions, limits, desired, &up, &down, now)
            }
        };
        rescale = desired != current;
    }
    let status = updated.status.get_or_insert_with(Default::default);
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
        if spec.behavior.is_some() {
            // `storeScaleEvent`.
            if desired > current {
                mem.scale_up_events.push((desired - current, now));
            } else {
                mem.scale_down_events.push((current - desired, now));
            }
        }
    } else {
        desired = current;
    }
    // `setStatus`.
    status.current_replicas = Some(current);
    status.desired_replicas = desired;
    status.current_metrics = statuses.filter(|s| !s.is_empty());
    if rescale {
        status.last_scale_time = Some(time::time(now));
    }
    store_conditions(&mut updated, &conditions);
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
    let verdict = if stabilized != proposal { SCALE_DOWN_STABILIZED } else { READY_FOR_NEW_SCALE };
    able_to_scale(conditions, verdict, now);
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

/// The bounds `normalizeDesiredReplicasWithBehaviors` works in.
#[derive(Clone, Copy)]
struct Limits {
    current: i32,
    min: i32,
    max: i32,
}

/// `normalizeDesiredReplicasWithBehaviors`: stabilise within the up and
/// down windows, then limit by the scaling policies and min/max.
fn normalize_with_behavior(
    mem: &mut HpaMemory,
    conditions: &mut Vec<Condition>,
    limits: Limits,
    proposal: i32,
    up: &HPAScalingRules,
    down: &HPAScalingRules,
    now: Timestamp,
) -> i32 {
    let Limits { current, min, max } = limits;
    // `stabilizeRecommendationWithBehaviors`: samples strictly after each
    // cutoff count; samples before both are reused (here: dropped).
    let window = |r: &HPAScalingRules| {
        Duration::from_secs(u64::try_from(r.stabilization_window_seconds.unwrap_or(0)).unwrap_or(0))
    };
    let (up_cutoff, down_cutoff) = (time::sub(now, window(up)), time::sub(now, window(down)));
    let mut up_rec = proposal;
    let mut down_rec = proposal;
    for (rec, t) in &mem.recommendations {
        if *t > up_cutoff {
            up_rec = up_rec.min(*rec);
        }
        if *t > down_cutoff {
            down_rec = down_rec.max(*rec);
        }
    }
    let stabilized = current.max(up_rec).min(down_rec);
    mem.recommendations.retain(|(_, t)| !(*t < up_cutoff && *t < down_cutoff));
    mem.recommendations.push((proposal, now));
    let verdict = if stabilized == proposal {
        READY_FOR_NEW_SCALE
    } else if proposal >= current {
        SCALE_UP_STABILIZED
    } else {
        SCALE_DOWN_STABILIZED
    };
    able_to_scale(conditions, verdict, now);
    // `convertDesiredReplicasWithBehaviorRate`.
    let longest = |r: &HPAScalingRules| {
        r.policies.iter().flatten().map(|p| p.period_seconds).max().unwrap_or(0)
    };
    let horizon = longest(up).max(longest(down));
    let keep = time::sub(now, Duration::from_secs(u64::try_from(horizon).unwrap_or(0)));
    mem.scale_up_events.retain(|(_, t)| *t > keep);
    mem.scale_down_events.retain(|(_, t)| *t > keep);
    let (mut desired, mut reason, mut message) =
        (stabilized, "DesiredWithinRange", "the desired count is within the acceptable range");
    if stabilized > current {
        let limit = scale_limit(current, mem, up, true, now).max(current);
        let (allowed, r, m) = if max > limit {
            (
                limit,
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate",
            )
        } else {
            (
                max,
                "TooManyReplicas",
                "the desired replica count is more than the maximum replica count",
            )
        };
        if stabilized > allowed {
            (desired, reason, message) = (allowed, r, m);
        }
    } else if stabilized < current {
        let limit = scale_limit(current, mem, down, false, now).min(current);
        let (allowed, r, m) = if min < limit {
            (
                limit,
                "ScaleDownLimit",
                "the desired replica count is decreasing faster than the maximum scale rate",
            )
        } else {
            (
                min,
                "TooFewReplicas",
                "the desired replica count is less than the minimum replica count",
            )
        };
        if stabilized < allowed {
            (desired, reason, message) = (allowed, r, m);
        }
    }
    set_condition(
        conditions,
        "ScalingLimited",
        desired != stabilized,
        reason,
        message.to_owned(),
        now,
    );
    desired
}

/// `calculateScaleUpLimitWithScalingRules` (`up`) and
/// `calculateScaleDownLimitWithBehaviors`: each policy's bound from the
/// replicas at the start of its period; `selectPolicy` picks among them.
fn scale_limit(
    current: i32,
    mem: &HpaMemory,
    rules: &HPAScalingRules,
    up: bool,
    now: Timestamp,
) -> i32 {
    let select = rules.select_policy.as_deref().unwrap_or("Max");
    if select == "Disabled" {
        return current;
    }
    // Max picks the largest change: the highest bound up, the lowest down.
    let largest_change = select != "Min";
    let mut result: Option<i32> = None;
    for p in rules.policies.iter().flatten() {
        let cutoff =
            time::sub(now, Duration::from_secs(u64::try_from(p.period_seconds).unwrap_or(0)));
        let changed = |events: &[(i32, Timestamp)]| -> i32 {
            events.iter().filter(|(_, t)| *t > cutoff).map(|(n, _)| *n).sum()
        };
        let start = current - changed(&mem.scale_up_events) + changed(&mem.scale_down_events);
        let proposed = match (p.type_.as_str(), up) {
            ("Pods", true) => start + p.value,
            ("Pods", false) => start - p.value,
            (_, true) => (f64::from(start) * (1.0 + f64::from(p.value) / 100.0)).ceil() as i32,
            (_, false) => (f64::from(start) * (1.0 - f64::from(p.value) / 100.0)) as i32,
        };
        let pick_max = largest_change == up;
        result = Some(match result {
            None => proposed,
            Some(r) if pick_max => r.max(proposed),
            Some(r) => r.min(proposed),
        });
    }
    result.unwrap_or(if largest_change == up { i32::MIN } else { i32::MAX })
}

/// Each matching pod's usage of `resource` in milli-units (millicores;
/// bytes × 1000), from the resource metrics API (`GetResourceMetric`).
fn pod_usage(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    pods: &[&Pod],
    resource: &str,
) -> Result<std::collections::BTreeMap<String, i64>, String> {
    if !config.metrics_server {
        return Err(format!("unable to get metrics for resource {resource}: {NO_METRICS_API}"));
    }
    let ns = pods.first().and_then(|p| p.metadata.namespace.as_deref());
    let all = metrics::pod_metrics(store, runtime, config, ns);
    let usage: std::collections::BTreeMap<String, i64> = pods
        .iter()
        .filter_map(|p| {
            let name = p.metadata.name.as_deref()?;
            let m = all.iter().find(|m| m.name == name)?;
            let value = if resource == "cpu" {
                m.cpu_milli()
            } else {
                m.memory_bytes().saturating_mul(1000)
            };
            Some((name.to_owned(), value))
        })
        .collect();
    if usage.is_empty() {
        return Err(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        ));
    }
    Ok(usage)
}

/// `groupPods`: (ready count, unready, missing), with ignored and unready
/// pods' samples removed from `usage`. Readiness matters for cpu only.
fn group_pods(
    pods: &[&Pod],
    usage: &mut std::collections::BTreeMap<String, i64>,
    resource: &str,
    now: Timestamp,
) -> (usize, Vec<String>, Vec<String>) {
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
        if resource == "cpu" {
            let condition = podutil::condition(pod, "Ready");
            let start = pod.status.as_ref().and_then(|s| s.start_time.as_ref()).map(|t| t.0);
            let is_unready = match (condition, start) {
                (Some(c), Some(start)) => {
                    let transition = c.last_transition_time.as_ref().map_or(start, |t| t.0);
                    if time::add(start, CPU_INITIALIZATION_PERIOD) > now {
                        // The metric is fresh (timestamp now, no window).
                        c.status == "False" || now < transition
                    } else {
                        c.status == "False"
                            && time::add(start, INITIAL_READINESS_DELAY) > transition
                    }
                }
                _ => true,
            };
            if is_unready {
                usage.remove(&name);
                unready.push(name);
                continue;
            }
        }
        ready_count += 1;
    }
    (ready_count, unready, missing)
}

/// `ReplicaCalculator.GetRawResourceReplicas` (`calcPlainMetricReplicas`)
/// for an AverageValue target in milli-units: the proposed replica count
/// and the average usage (milli-units).
#[allow(clippy::too_many_arguments)]
fn raw_resource_replicas(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    pods: &[&Pod],
    current: i32,
    resource: &str,
    target: i64,
    now: Timestamp,
) -> Result<(i32, i64), String> {
    let mut usage = pod_usage(store, runtime, config, pods, resource)?;
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".to_owned());
    }
    let (ready_count, unready, missing) = group_pods(pods, &mut usage, resource, now);
    if usage.is_empty() {
        return Err("did not receive metrics for any ready pods".to_owned());
    }
    // `GetMetricUsageRatio`.
    let ratio_of = |u: &std::collections::BTreeMap<String, i64>| {
        let average = u.values().sum::<i64>() / u.len().max(1) as i64;
        (average as f64 / target.max(1) as f64, average)
    };
    let (ratio, average) = ratio_of(&usage);
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            return Ok((current, average));
        }
        return Ok(((ratio * ready_count as f64).ceil() as i32, average));
    }
    for name in &missing {
        usage.insert(name.clone(), if ratio < 1.0 { target } else { 0 });
    }
    if scale_up_with_unready {
        for name in &unready {
            usage.insert(name.clone(), 0);
        }
    }
    let (new_ratio, _) = ratio_of(&usage);
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok((current, average));
    }
    let proposal = (new_ratio * usage.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && proposal > current) || (new_ratio > 1.0 && proposal < current) {
        return Ok((current, average));
    }
    Ok((proposal, average))
}

/// `ReplicaCalculator.GetResourceReplicas` for a Utilization target: the
/// proposed replica count, the utilisation (percent of request) and the
/// average usage (milli-units); or the error's text.
#[allow(clippy::too_many_arguments)]
fn resource_replicas(
    store: &Store,
    runtime: &Runtime,
    config: &ClusterConfig,
    pods: &[&Pod],
    current: i32,
    resource: &str,
    target: i32,
    now: Timestamp,
) -> Result<(i32, i32, i64), String> {
    let mut usage = pod_usage(store, runtime, config, pods, resource)?;
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".to_owned());
    }
    let (ready_count, unready, missing) = group_pods(pods, &mut usage, resource, now);
    // `calculatePodRequests`.
    let mut requests = std::collections::BTreeMap::new();
    for pod in pods {
        let mut sum = 0;
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            let request = c.resources.as_ref().and_then(|r| r.requests.as_ref());
            match request.and_then(|r| r.get(resource)) {
                Some(q) if resource == "cpu" => sum = parse_cpu(&q.0).saturating_add(sum),
                Some(q) => sum = quantity_milli(&q.0).saturating_add(sum),
                None => return Err(format!("missing request for {resource}")),
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
        return Ok(((ratio * ready_count as f64).ceil() as i32, utilization, average));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// [`crate::version::Fact::HpaMetricErrorNamesSource`] on both sides of v1.25.
    #[test]
    fn metric_errors_name_their_source_from_1_25() {
        let fact = crate::version::Fact::HpaMetricErrorNamesSource;
        let wrapped = |minor| {
            resource_error("cpu", "failed to get cpu utilization: x".into(), fact.holds_at(minor))
                .wrapped
        };
        assert_eq!(wrapped(24), "failed to get cpu utilization: x");
        assert_eq!(
            wrapped(25),
            "failed to get cpu resource metric value: failed to get cpu utilization: x"
        );
    }

    #[test]
    fn quantities_in_milli_units() {
        assert_eq!(quantity_milli("100Mi"), 104_857_600_000);
        assert_eq!(quantity_milli("500m"), 500);
        assert_eq!(quantity_milli("1"), 1000);
    }

    #[test]
    fn behavior_policies_limit_the_change_per_period() {
        let rules = |policies: serde_json::Value, select: &str| -> HPAScalingRules {
            serde_json::from_value(
                serde_json::json!({"policies": policies, "selectPolicy": select}),
            )
            .unwrap()
        };
        let now: Timestamp = "2024-01-01T00:10:00Z".parse().unwrap();
        let mut mem = HpaMemory::default();
        // The v2 defaults up: 4 pods or 100% per 15 s, the larger.
        let up = rules(
            serde_json::json!([{"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15}]),
            "Max",
        );
        assert_eq!(scale_limit(2, &mem, &up, true, now), 6);
        assert_eq!(scale_limit(10, &mem, &up, true, now), 20);
        // One pod per 30 s down; a removal 10 s ago counts against it.
        let down =
            rules(serde_json::json!([{"type": "Pods", "value": 1, "periodSeconds": 30}]), "Max");
        mem.scale_down_events.push((1, time::sub(now, Duration::from_secs(10))));
        assert_eq!(scale_limit(5, &mem, &down, false, now), 5);
        assert_eq!(scale_limit(5, &mem, &rules(serde_json::json!([]), "Disabled"), false, now), 5);
    }

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
