//! events.k8s.io Events and core/v1 Events: one object, stored as the
//! core Event (`pkg/registry/core/event`), served in either group. The
//! field renames are `pkg/apis/events/{v1,v1beta1}/conversion.go`
//! (`Convert_v1_Event_To_core_Event` and back) and the internal type's
//! JSON names in core/v1 (`ReportingController` is `reportingComponent`
//! there).

use serde_json::{Map, Value, json};

/// events.k8s.io name → core/v1 name.
const RENAMES: &[(&str, &str)] = &[
    ("regarding", "involvedObject"),
    ("note", "message"),
    ("deprecatedSource", "source"),
    ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"),
    ("deprecatedCount", "count"),
    ("reportingController", "reportingComponent"),
];

/// An events.k8s.io Event's fields renamed to the core/v1 Event's.
pub fn to_core(obj: &mut Map<String, Value>) {
    for (events, core) in RENAMES {
        if let Some(v) = obj.remove(*events) {
            obj.insert((*core).to_owned(), v);
        }
    }
}

/// A stored (core/v1) Event as the API server serves it in
/// `api_version` (`events.k8s.io/v1` or `v1beta1`), with the fields Go's
/// encoder writes for zero values of that type
/// (`k8s.io/api/events/v1/types.go`): `eventTime` and the deprecated
/// timestamps are structs (`null`), `regarding` and `deprecatedSource`
/// structs (`{}`).
pub fn from_core(core: &Value, api_version: &str) -> Value {
    let mut out = core.as_object().cloned().unwrap_or_default();
    for (events, core_name) in RENAMES {
        if let Some(v) = out.remove(*core_name) {
            out.insert((*events).to_owned(), v);
        }
    }
    // Empty strings are `omitempty` in events.k8s.io, not in core/v1.
    for key in ["reportingController", "reportingInstance", "action", "reason", "note", "type"] {
        if out.get(key).is_some_and(|v| v.as_str() == Some("")) {
            out.remove(key);
        }
    }
    if out.get("deprecatedCount").and_then(Value::as_i64) == Some(0) {
        out.remove("deprecatedCount");
    }
    for key in ["eventTime", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"] {
        out.entry(key).or_insert(Value::Null);
    }
    for key in ["regarding", "deprecatedSource"] {
        out.entry(key).or_insert_with(|| json!({}));
    }
    out.insert("apiVersion".to_owned(), Value::String(api_version.to_owned()));
    out.insert("kind".to_owned(), Value::String("Event".to_owned()));
    Value::Object(out)
}

/// Why the API server's validation of an events.k8s.io create is not
/// reproduced for `value`, if it would reject it: `ValidateEventCreate`
/// (`pkg/apis/core/validation/events.go`) is strict for events.k8s.io/v1
/// (eventTime, type Normal or Warning, no deprecated fields) and, for
/// every version, an Event with an eventTime needs its reporting
/// controller and instance, action and reason. Its messages are not
/// modelled, so such a request is reported, not accepted.
pub fn validation_gap(api_version: &str, value: &Value) -> Option<String> {
    let set = |k: &str| value.get(k).is_some_and(|v| !v.is_null() && v != "" && v != &json!({}));
    let strict = api_version == "events.k8s.io/v1";
    let mut missing: Vec<&str> = Vec::new();
    if strict || set("eventTime") {
        for k in ["eventTime", "reportingController", "reportingInstance", "action", "reason"] {
            if !set(k) {
                missing.push(k);
            }
        }
    }
    if strict {
        if !matches!(value.get("type").and_then(Value::as_str), Some("Normal" | "Warning")) {
            missing.push("type (Normal or Warning)");
        }
        for k in ["deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"] {
            if set(k) {
                missing.push(k);
            }
        }
        if value.get("deprecatedCount").and_then(Value::as_i64).is_some_and(|c| c != 0) {
            missing.push("deprecatedCount");
        }
    }
    (!missing.is_empty()).then(|| {
        format!(
            "the API server's rejection of a {api_version} Event without (or with) {} (ValidateEventCreate's messages)",
            missing.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_fields_round_trip_through_the_core_event() {
        let event = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "e", "namespace": "default"},
            "eventTime": "2024-01-01T00:00:00.000000Z", "reportingController": "example.com/c",
            "reportingInstance": "i", "action": "Pull", "reason": "Pulled", "type": "Normal",
            "note": "pulled it", "regarding": {"kind": "Pod", "name": "p", "namespace": "default"},
            "series": {"count": 2, "lastObservedTime": "2024-01-01T00:01:00.000000Z"}});
        assert_eq!(validation_gap("events.k8s.io/v1", &event), None);
        let mut core = event.as_object().cloned().unwrap();
        to_core(&mut core);
        assert_eq!(core["message"], "pulled it");
        assert_eq!(core["involvedObject"]["name"], "p");
        assert_eq!(core["reportingComponent"], "example.com/c");
        assert!(!core.contains_key("note") && !core.contains_key("regarding"));
        let served = from_core(&Value::Object(core), "events.k8s.io/v1");
        let mut expected = event.clone();
        expected["deprecatedSource"] = json!({});
        expected["deprecatedFirstTimestamp"] = Value::Null;
        expected["deprecatedLastTimestamp"] = Value::Null;
        assert_eq!(served, expected);
    }

    #[test]
    fn a_core_event_is_served_with_its_legacy_fields_deprecated() {
        let core = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"},
            "involvedObject": {"kind": "Pod", "name": "p"}, "message": "m", "reason": "R",
            "source": {"component": "kubelet"}, "count": 3, "type": "Normal",
            "firstTimestamp": "2024-01-01T00:00:00Z", "lastTimestamp": "2024-01-01T00:02:00Z",
            "reportingComponent": "", "reportingInstance": ""});
        let served = from_core(&core, "events.k8s.io/v1beta1");
        assert_eq!(served["deprecatedSource"], json!({"component": "kubelet"}));
        assert_eq!(served["deprecatedCount"], 3);
        assert_eq!(served["note"], "m");
        assert_eq!(served["eventTime"], Value::Null);
        assert!(served.get("reportingController").is_none());
    }

    #[test]
    fn strict_validation_of_events_v1_is_reported() {
        let bare = json!({"reason": "R", "type": "Normal"});
        assert!(validation_gap("events.k8s.io/v1", &bare).unwrap().contains("eventTime"));
        // v1beta1 keeps the legacy rules: no eventTime, nothing more needed.
        assert_eq!(validation_gap("events.k8s.io/v1beta1", &bare), None);
    }
}
