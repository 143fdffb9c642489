//! kubectl's fallback page for kinds without a describer of their own
//! (`genericDescriber` and `printUnstructuredContent`,
//! `kubectl/pkg/describe/describe.go`, v1.22): in v1.22's `describerMap`
//! neither ControllerRevision nor Event has one, so `kubectl describe`
//! falls back to `GenericDescriberFor` for them.
//!
//! The page is Name, Namespace, Labels and Annotations, then every other
//! field of the object as the API server returned it (apiVersion and kind
//! included), keys sorted, each named by [`smart_label`] and nested two
//! spaces a level, then the events about the object.
//!
//! Up to v1.26 the tree includes `.metadata.managedFields`; v1.27 skips it
//! (kubectl commit 7aa8d2b1a, first tag v0.27.0). The simulator keeps no
//! managed fields, so its pages lack that block in every version.

use crate::version::Fact;
use k8s_openapi::api::core::v1::Event;
use serde_json::{Map, Value};

use super::{DescribeEnv, LEVEL_0, Writer, annotations_multiline, events, labels_multiline};

/// The paths `genericDescriber` prints in its header, so skips in the tree.
const SKIP: [&str; 4] =
    [".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"];

/// Skipped as well from v1.27 ([`Fact::DescribeGenericSkipsManagedFields`]).
const MANAGED_FIELDS: &str = ".metadata.managedFields";

/// The generic page of `object` (its JSON as the API server serves it).
pub fn describe_generic(
    object: &Value,
    object_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = object.get("metadata");
    let text =
        |key: &str| meta.and_then(|m| m.get(key)).and_then(Value::as_str).unwrap_or_default();
    let string_map = |key: &str| {
        meta.and_then(|m| m.get(key)).and_then(Value::as_object).map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect::<std::collections::BTreeMap<_, _>>()
        })
    };
    w.write(LEVEL_0, &format!("Name:\t{}\n", text("name")));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", text("namespace")));
    labels_multiline(&mut w, "", "Labels", string_map("labels").as_ref());
    annotations_multiline(&mut w, "Annotations", string_map("annotations").as_ref());
    if let Some(content) = object.as_object() {
        let skip_managed = env.has(Fact::DescribeGenericSkipsManagedFields);
        unstructured_content(&mut w, LEVEL_0, content, "", skip_managed);
    }
    if let Some(list) = object_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `printUnstructuredContent`: maps and lists open a `Label:` line and
/// nest one level in (a list's maps follow one another with no marker
/// between them; its scalars print as `%v`); scalars print `Label:\t%v`.
fn unstructured_content(
    w: &mut Writer,
    level: usize,
    content: &Map<String, Value>,
    prefix: &str,
    skip_managed: bool,
) {
    // Go's `sort.Strings`: byte order.
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if SKIP.contains(&path.as_str()) || skip_managed && path == MANAGED_FIELDS {
            continue;
        }
        match &content[field] {
            Value::Object(map) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                unstructured_content(w, level + 1, map, &path, skip_managed);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(map) => {
                            unstructured_content(w, level + 1, map, &path, skip_managed)
                        }
                        other => w.write(level + 1, &format!("{}\n", go_value(other))),
                    }
                }
            }
            other => w.write(level, &format!("{}:\t{}\n", smart_label(field), go_value(other))),
        }
    }
}

/// `smartLabelFor`: a field name made a title — camel-case words split
/// (`fatih/camelcase`), each capitalised (`strings.Title`), the acronyms
/// API, URL, UID, OSB and GUID upper-cased, joined by spaces. Names with
/// anything but letters and `-` are kept as they are (`f:spec`, `$patch`,
/// `fieldsV1`, `app.kubernetes.io/name`).
pub fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_owned();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camelcase_split(field)
        .into_iter()
        .filter(|part| part != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) { upper } else { title(&part) }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `strings.Title` of one word: its first letter upper-cased.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `camelcase.Split` (github.com/fatih/camelcase v1.0.0): runs of lower,
/// upper, digit and other characters, then the last letter of an upper run
/// moved to a following lower run (`PDFLoader` → `PDF`, `Loader`).
fn camelcase_split(src: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in src.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if k == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper = runs[i].first().is_some_and(|c| c.is_uppercase());
        let lower_next = runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper
            && lower_next
            && let Some(moved) = runs[i].pop()
        {
            runs[i + 1].insert(0, moved);
        }
    }
    runs.into_iter().filter(|r| !r.is_empty()).map(|r| r.into_iter().collect()).collect()
}

/// Go's `%v` of a value decoded into `interface{}` by the unstructured
/// decoder: `<nil>`, `true`, int64 or float64 numbers, strings bare,
/// `[a b]` lists and `map[k:v]` maps (keys sorted).
fn go_value(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) => go_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(go_value).collect::<Vec<_>>().join(" "))
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let pairs: Vec<String> =
                keys.iter().map(|k| format!("{k}:{}", go_value(&map[k.as_str()]))).collect();
            format!("map[{}]", pairs.join(" "))
        }
    }
}

/// `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)` with `%v`'s
/// exponent threshold of 21): shortest digits, exponent form below 1e-4
/// and from 1e21, as `1e+21` / `1.5e-05`.
fn go_float(f: f64) -> String {
    let a = f.abs();
    if a == 0.0 || (1e-4..1e21).contains(&a) {
        return f.to_string();
    }
    let s = format!("{f:e}");
    let Some((mantissa, exp)) = s.split_once('e') else { return s };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    #[test]
    fn smart_labels() {
        // Derived by hand from smartLabelFor and camelcase.Split.
        for (field, label) in [
            ("apiVersion", "API Version"),
            ("uid", "UID"),
            ("creationTimestamp", "Creation Timestamp"),
            ("blockOwnerDeletion", "Block Owner Deletion"),
            ("dnsPolicy", "Dns Policy"),
            ("hostIP", "Host IP"),
            ("podIPs", "Pod I Ps"),
            ("serviceURL", "Service URL"),
            ("k8s-app", "k8s-app"),
            ("controller-revision-hash", "Controller - Revision - Hash"),
            ("fieldsV1", "fieldsV1"),
            ("$patch", "$patch"),
            ("f:metadata", "f:metadata"),
            ("name", "Name"),
        ] {
            assert_eq!(smart_label(field), label, "{field}");
        }
    }

    #[test]
    fn go_values() {
        assert_eq!(go_value(&json!(null)), "<nil>");
        assert_eq!(go_value(&json!(420)), "420");
        assert_eq!(go_value(&json!(0.5)), "0.5");
        assert_eq!(go_value(&json!(1e21)), "1e+21");
        assert_eq!(go_value(&json!(0.00001)), "1e-05");
        assert_eq!(go_value(&json!(["a", 1])), "[a 1]");
        assert_eq!(go_value(&json!({"b": 1, "a": "x"})), "map[a:x b:1]");
    }

    // A kubelet event as the API server serves it (Go's zero fields
    // included: `eventTime: null`, empty reporting fields). Hand-derived:
    // the header block runs through `First Timestamp:` (widest, 16 + 2 =
    // 18); `Involved Object:` breaks it; the involved object's lines,
    // `Kind:`, `Last Timestamp:` and `Message:` form one block (widest
    // `  Resource Version:`, 19 + 2 = 21); after `Metadata:`, its lines and
    // everything down to `Reporting Instance:` one more (widest
    // `  Creation Timestamp:`, 21 + 2 = 23); after `Source:`, its lines,
    // `Type:` and `Events:` (widest `  Component:`, 12 + 2 = 14). An empty
    // string leaves its label padded before an empty cell.
    #[test]
    fn event_page() {
        let mut ev = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "web-1.1727f1d4520b9564", "namespace": "default",
                "creationTimestamp": "2022-11-16T03:08:01Z", "resourceVersion": "1194",
                "uid": "6eb46bd2-bd74-4766-8dca-29b4fd8880c0"},
            "count": 1,
            "firstTimestamp": "2022-11-16T03:08:01Z",
            "lastTimestamp": "2022-11-16T03:08:01Z",
            "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "web-1",
                "namespace": "default", "resourceVersion": "1193",
                "uid": "304014a3-0b42-4718-be9d-7e05138f2863"},
            "message": "Pulling image \"nginx\"",
            "reason": "Pulling",
            "source": {"component": "kubelet", "host": "worker1"},
            "type": "Normal"
        });
        crate::kubectl::printers::yaml::go_zero_values(&mut ev, 22);
        let page = describe_generic(&ev, Some(&[]), &env());
        let expected = concat!(
            "Name:             web-1.1727f1d4520b9564\n",
            "Namespace:        default\n",
            "Labels:           <none>\n",
            "Annotations:      <none>\n",
            "API Version:      v1\n",
            "Count:            1\n",
            "Event Time:       <nil>\n",
            "First Timestamp:  2022-11-16T03:08:01Z\n",
            "Involved Object:\n",
            "  API Version:       v1\n",
            "  Kind:              Pod\n",
            "  Name:              web-1\n",
            "  Namespace:         default\n",
            "  Resource Version:  1193\n",
            "  UID:               304014a3-0b42-4718-be9d-7e05138f2863\n",
            "Kind:                Event\n",
            "Last Timestamp:      2022-11-16T03:08:01Z\n",
            "Message:             Pulling image \"nginx\"\n",
            "Metadata:\n",
            "  Creation Timestamp:  2022-11-16T03:08:01Z\n",
            "  Resource Version:    1194\n",
            "  UID:                 6eb46bd2-bd74-4766-8dca-29b4fd8880c0\n",
            "Reason:                Pulling\n",
            "Reporting Component:   \n",
            "Reporting Instance:    \n",
            "Source:\n",
            "  Component:  kubelet\n",
            "  Host:       worker1\n",
            "Type:         Normal\n",
            "Events:       <none>\n",
        );
        assert_eq!(page, expected);
    }

    // Hand-derived from genericDescriber.Describe and a Go tabwriter
    // (minwidth 0, padding 2): a column block is a run of lines with a tab,
    // so every `Label:` line without a value ends one. Header block: widest
    // `Annotations:` (12) + 2 = 14, extended by `API Version:` (12) below
    // it. Under `Metadata:` the Creation Timestamp line stands alone (20 +
    // 2); the owner reference's lines at level 2 run on into Resource
    // Version and UID at level 1 (widest `    Block Owner Deletion:`, 25 +
    // 2 = 27) and on into `Revision:` and `Events:`.
    #[test]
    fn controller_revision_page() {
        let cr = json!({
            "apiVersion": "apps/v1",
            "kind": "ControllerRevision",
            "metadata": {
                "name": "fluentd-6d8f9c7b5d",
                "namespace": "kube-system",
                "labels": {"controller-revision-hash": "6d8f9c7b5d", "name": "fluentd"},
                "annotations": {"deprecated.daemonset.template.generation": "1"},
                "creationTimestamp": "2022-11-16T03:08:08Z",
                "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true,
                    "controller": true, "kind": "DaemonSet", "name": "fluentd",
                    "uid": "3c8d2e4f-1a2b-4c5d-8e9f-0a1b2c3d4e5f"}],
                "resourceVersion": "1300",
                "uid": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
            },
            "data": {"spec": {"template": {
                "$patch": "replace",
                "metadata": {"creationTimestamp": null, "labels": {"name": "fluentd"}},
                "spec": {"containers": [{"image": "fluentd:v1", "name": "fluentd",
                    "args": ["-c", "/etc/fluent.conf"], "resources": {}}],
                    "terminationGracePeriodSeconds": 30}
            }}},
            "revision": 1
        });
        let page = describe_generic(&cr, Some(&[]), &env());
        let expected = "\
Name:         fluentd-6d8f9c7b5d
Namespace:    kube-system
Labels:       controller-revision-hash=6d8f9c7b5d
              name=fluentd
Annotations:  deprecated.daemonset.template.generation: 1
API Version:  apps/v1
Data:
  Spec:
    Template:
      $patch:  replace
      Metadata:
        Creation Timestamp:  <nil>
        Labels:
          Name:  fluentd
      Spec:
        Containers:
          Args:
            -c
            /etc/fluent.conf
          Image:  fluentd:v1
          Name:   fluentd
          Resources:
        Termination Grace Period Seconds:  30
Kind:                                      ControllerRevision
Metadata:
  Creation Timestamp:  2022-11-16T03:08:08Z
  Owner References:
    API Version:           apps/v1
    Block Owner Deletion:  true
    Controller:            true
    Kind:                  DaemonSet
    Name:                  fluentd
    UID:                   3c8d2e4f-1a2b-4c5d-8e9f-0a1b2c3d4e5f
  Resource Version:        1300
  UID:                     9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a
Revision:                  1
Events:                    <none>
";
        assert_eq!(page, expected);
    }

    /// [`Fact::DescribeGenericSkipsManagedFields`]: printed at v1.26, left
    /// out at v1.27.
    #[test]
    fn generic_describe_managed_fields_by_version() {
        let object = json!({"apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": {"name": "w", "namespace": "default",
                "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update"}]},
            "spec": {"size": 1}});
        let page = |minor| describe_generic(&object, None, &DescribeEnv { minor, ..env() });
        assert!(page(26).contains("Managed Fields:"), "{}", page(26));
        assert!(!page(27).contains("Managed Fields:"), "{}", page(27));
        assert!(page(27).contains("Size:"), "{}", page(27));
    }
}
