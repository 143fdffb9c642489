//! The IngressClass page (`IngressClassDescriber`,
//! `kubectl/pkg/describe/describe.go`; the same from k8s.io/kubectl v0.18.0,
//! where IngressClass arrived, to v0.35.4): its controller and parameters
//! reference.

use k8s_openapi::api::core::v1::Event;
use serde_json::Value;

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, Writer, annotations_multiline, events, labels_multiline,
};
use crate::sim::GenericObject;

/// The page `kubectl describe ingressclass` prints.
pub fn describe_ingress_class(
    class: &GenericObject,
    class_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &class.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    let spec = class.fields.get("spec");
    let text = |v: Option<&Value>, key: &str| {
        v.and_then(|v| v.get(key)).and_then(Value::as_str).unwrap_or_default().to_owned()
    };
    w.write(LEVEL_0, &format!("Controller:\t{}\n", text(spec, "controller")));
    if let Some(params) = spec.and_then(|s| s.get("parameters")).filter(|p| !p.is_null()) {
        w.write(LEVEL_0, "Parameters:\n");
        if let Some(group) = params.get("apiGroup").and_then(Value::as_str) {
            w.write(LEVEL_1, &format!("APIGroup:\t{group}\n"));
        }
        w.write(LEVEL_1, &format!("Kind:\t{}\n", text(Some(params), "kind")));
        w.write(LEVEL_1, &format!("Name:\t{}\n", text(Some(params), "name")));
    }
    if let Some(list) = class_events {
        events(&mut w, list, env);
    }
    w.finish()
}
