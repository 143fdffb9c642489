//! The ConfigMap page (`ConfigMapDescriber.Describe`,
//! `kubectl/pkg/describe/describe.go`, v1.22; unchanged through v1.28).
//!
//! describe.go ranges over the Go maps `Data` and `BinaryData`, so real
//! kubectl prints keys in a random order that changes between runs; this
//! page prints them sorted (one of the orders kubectl can print; kubectl
//! sorts them itself since kubernetes/kubernetes#131500, v1.34).
//!
//! kubernetes/kubernetes#123597 (merged April 2024, so v1.31) adds an empty
//! line after each value.

use crate::version::Fact;
use k8s_openapi::api::core::v1::{ConfigMap, Event};

use super::{DescribeEnv, LEVEL_0, Writer, annotations_multiline, events, labels_multiline};

/// The page `kubectl describe configmap` prints.
pub fn describe_config_map(
    cm: &ConfigMap,
    cm_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &cm.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, "\nData\n====\n");
    for (k, v) in cm.data.iter().flatten() {
        w.write(LEVEL_0, &format!("{k}:\n----\n"));
        w.write(LEVEL_0, &format!("{v}\n"));
        if env.has(Fact::DescribeConfigMapBlankLine) {
            w.write(LEVEL_0, "\n");
        }
    }
    w.write(LEVEL_0, "\nBinaryData\n====\n");
    for (k, v) in cm.binary_data.iter().flatten() {
        w.write(LEVEL_0, &format!("{k}: {} bytes\n", v.0.len()));
    }
    w.write(LEVEL_0, "\n");
    if let Some(list) = cm_events {
        events(&mut w, list, env);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    #[test]
    fn literal_file_and_binary_keys() {
        let cm: ConfigMap = serde_json::from_value(json!({
            "metadata": {"name": "game-config", "namespace": "default", "labels": {"app": "game"}},
            "data": {"lives": "3", "game.properties": "enemies=aliens\nlives=3\n"},
            "binaryData": {"logo.png": "iVBORw0KGgo="}
        }))
        .unwrap();
        let page = describe_config_map(&cm, Some(&[]), &env());
        let expected = "\
Name:         game-config
Namespace:    default
Labels:       app=game
Annotations:  <none>

Data
====
game.properties:
----
enemies=aliens
lives=3

lives:
----
3

BinaryData
====
logo.png: 8 bytes

Events:  <none>
";
        assert_eq!(page, expected);
    }

    #[test]
    fn values_are_followed_by_an_empty_line_from_v1_31() {
        let cm: ConfigMap = serde_json::from_value(json!({
            "metadata": {"name": "sample", "namespace": "default"},
            "data": {"sample1": "value1", "sample2": "value2"}
        }))
        .unwrap();
        let mut env = env();
        env.minor = 31;
        // The layout kubernetes/kubectl#1559 asked for.
        let expected = "\
Name:         sample
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
sample1:
----
value1

sample2:
----
value2


BinaryData
====

Events:  <none>
";
        assert_eq!(describe_config_map(&cm, Some(&[]), &env), expected);
    }

    #[test]
    fn empty_config_map_without_events() {
        let cm: ConfigMap = serde_json::from_value(json!({
            "metadata": {"name": "empty", "namespace": "default"}
        }))
        .unwrap();
        let page = describe_config_map(&cm, None, &env());
        let expected = "\
Name:         empty
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====

BinaryData
====

";
        assert_eq!(page, expected);
    }
}
