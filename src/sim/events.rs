//! Events as core/v1 Event objects (`client-go/tools/record`): construction
//! and the recorder's aggregation of repeats (count, lastTimestamp).

use k8s_openapi::{
    api::core::v1::{Event, EventSource, ObjectReference},
    apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta},
    jiff::Timestamp,
};

use super::{kind::Kind, object::Object, time};

/// An event a controller wants recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// The object the event is about.
    pub involved: ObjectReference,
    /// `Warning` instead of `Normal`.
    pub warning: bool,
    /// Machine-readable reason (`ScalingReplicaSet`).
    pub reason: String,
    /// Human-readable message.
    pub message: String,
    /// Reporting component (`deployment-controller`, `kubelet`).
    pub component: &'static str,
    /// Reporting host (the kubelet's node).
    pub host: Option<String>,
    /// Recorded through the events.k8s.io/v1 API (the scheduler): `eventTime`
    /// and `reportingComponent` instead of timestamps and `source`.
    pub new_api: bool,
    /// events.k8s.io `action` (`Binding`).
    pub action: Option<String>,
}

impl EventRecord {
    /// A Normal event from `component` about `involved`.
    pub fn normal(
        involved: ObjectReference,
        component: &'static str,
        reason: &str,
        message: String,
    ) -> EventRecord {
        EventRecord {
            involved,
            warning: false,
            reason: reason.to_owned(),
            message,
            component,
            host: None,
            new_api: false,
            action: None,
        }
    }

    /// The kind of the involved object, when the simulator serves it.
    pub fn involved_kind(&self) -> Option<Kind> {
        Kind::from_manifest(self.involved.api_version.as_deref()?, self.involved.kind.as_deref()?)
    }

    /// The same event, as a Warning.
    pub fn warning(mut self) -> EventRecord {
        self.warning = true;
        self
    }

    /// The same event, from a kubelet on `host`.
    pub fn on_host(mut self, host: &str) -> EventRecord {
        self.host = Some(host.to_owned());
        self
    }
}

/// An ObjectReference to `object` (`reference.GetReference`).
pub fn reference_to(object: &Object) -> ObjectReference {
    let meta = object.meta();
    ObjectReference {
        api_version: Some(object.kind().info().api_version()),
        kind: Some(object.kind().info().kind_name.to_owned()),
        name: meta.name.clone(),
        namespace: meta.namespace.clone(),
        uid: meta.uid.clone(),
        resource_version: meta.resource_version.clone(),
        field_path: None,
    }
}

/// Whether `existing` is a repeat of `record` (the aggregation key).
pub fn is_repeat(existing: &Event, record: &EventRecord) -> bool {
    let inv = &existing.involved_object;
    let src = existing.source.as_ref();
    inv.uid == record.involved.uid
        && inv.name == record.involved.name
        && inv.field_path == record.involved.field_path
        && existing.reason.as_deref() == Some(record.reason.as_str())
        && existing.message.as_deref() == Some(record.message.as_str())
        && src.and_then(|s| s.component.as_deref()).unwrap_or_default()
            == if record.new_api { "" } else { record.component }
        && existing.reporting_component.as_deref().unwrap_or_default()
            == if record.new_api { record.component } else { "" }
}

/// Whether `existing` is the combined event `record` (already combined)
/// adds to: the aggregate key, message aside (`EventAggregator`).
pub fn is_combined_repeat(existing: &Event, record: &EventRecord) -> bool {
    const PREFIX: &str = "(combined from similar events): ";
    let inv = &existing.involved_object;
    inv.uid == record.involved.uid
        && inv.name == record.involved.name
        && existing.type_.as_deref() == Some(if record.warning { "Warning" } else { "Normal" })
        && existing.reason.as_deref() == Some(record.reason.as_str())
        && existing.message.as_deref().is_some_and(|m| m.starts_with(PREFIX))
        && existing.source.as_ref().and_then(|s| s.component.as_deref()) == Some(record.component)
}

/// Bumps a repeated event: count + 1, lastTimestamp now.
pub fn bump(existing: &mut Event, now: Timestamp) {
    if existing.event_time.is_some() {
        let series = existing.series.get_or_insert_with(Default::default);
        series.count = Some(series.count.unwrap_or(1) + 1);
        series.last_observed_time = Some(MicroTime(now));
        return;
    }
    existing.count = Some(existing.count.unwrap_or(1) + 1);
    existing.last_timestamp = Some(time::time(now));
}

/// A fresh Event object for `record`, named `<involved>.<hex nanos>`.
pub fn new_event(record: &EventRecord, name: String, now: Timestamp) -> Event {
    let namespace = record.involved.namespace.clone().unwrap_or_else(|| "default".to_owned());
    let meta = ObjectMeta { name: Some(name), namespace: Some(namespace), ..Default::default() };
    let type_ = Some(if record.warning { "Warning" } else { "Normal" }.to_owned());
    if record.new_api {
        let instance = format!("{}-{}", record.component, record.host.clone().unwrap_or_default());
        return Event {
            metadata: meta,
            action: record.action.clone(),
            event_time: Some(MicroTime(now)),
            involved_object: record.involved.clone(),
            message: Some(record.message.clone()),
            reason: Some(record.reason.clone()),
            reporting_component: Some(record.component.to_owned()),
            reporting_instance: Some(instance),
            source: Some(EventSource::default()),
            type_,
            ..Default::default()
        };
    }
    Event {
        metadata: meta,
        count: Some(1),
        first_timestamp: Some(time::time(now)),
        last_timestamp: Some(time::time(now)),
        involved_object: record.involved.clone(),
        message: Some(record.message.clone()),
        reason: Some(record.reason.clone()),
        reporting_component: Some(String::new()),
        reporting_instance: Some(String::new()),
        source: Some(EventSource {
            component: Some(record.component.to_owned()),
            host: record.host.clone(),
        }),
        type_,
        ..Default::default()
    }
}

/// When an event was last seen (for expiry).
pub fn last_seen(event: &Event) -> Option<Timestamp> {
    event
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref().map(|t| t.0))
        .or_else(|| event.last_timestamp.as_ref().map(|t| t.0))
        .or_else(|| event.event_time.as_ref().map(|t| t.0))
        .or_else(|| event.metadata.creation_timestamp.as_ref().map(|t| t.0))
}
