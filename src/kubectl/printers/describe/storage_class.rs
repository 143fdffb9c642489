//! The StorageClass page (`describeStorageClass`,
//! `kubectl/pkg/describe/describe.go`, v1.22; unchanged through v1.33).

use k8s_openapi::api::core::v1::Event;
use serde_json::Value;

use super::{DescribeEnv, LEVEL_0, LEVEL_1, Writer, events};
use crate::{
    kubectl::{
        error::KubectlError, labels::format_labels,
        printers::table_generic::is_default_class_annotation,
    },
    sim::GenericObject,
};

/// The page `kubectl describe storageclass` prints. Allowed topologies
/// (`printAllowedTopologies`) are not rendered yet: a class that sets
/// them is reported unsupported rather than printed without them.
pub fn describe_storage_class(
    sc: &GenericObject,
    sc_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    let field = |k: &str| sc.fields.get(k);
    let text = |k: &str| field(k).and_then(Value::as_str).unwrap_or_default();
    let mut w = Writer::default();
    let meta = &sc.metadata;
    let annotations = meta.annotations.as_ref();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    let default = if is_default_class_annotation(annotations) { "Yes" } else { "No" };
    w.write(LEVEL_0, &format!("IsDefaultClass:\t{default}\n"));
    w.write(LEVEL_0, &format!("Annotations:\t{}\n", format_labels(annotations)));
    w.write(LEVEL_0, &format!("Provisioner:\t{}\n", text("provisioner")));
    let parameters = field("parameters").and_then(Value::as_object).map(|m| {
        m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
    });
    w.write(LEVEL_0, &format!("Parameters:\t{}\n", format_labels(parameters.as_ref())));
    // `printBoolPtr`.
    let expansion = match field("allowVolumeExpansion").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    w.write(LEVEL_0, &format!("AllowVolumeExpansion:\t{expansion}\n"));
    let options =
        field("mountOptions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    if options.is_empty() {
        w.write(LEVEL_0, "MountOptions:\t<none>\n");
    } else {
        w.write(LEVEL_0, "MountOptions:\n");
        for option in options {
            w.write(LEVEL_1, &format!("{}\n", option.as_str().unwrap_or_default()));
        }
    }
    if let Some(policy) = field("reclaimPolicy").and_then(Value::as_str) {
        w.write(LEVEL_0, &format!("ReclaimPolicy:\t{policy}\n"));
    }
    if let Some(mode) = field("volumeBindingMode").and_then(Value::as_str) {
        w.write(LEVEL_0, &format!("VolumeBindingMode:\t{mode}\n"));
    }
    match field("allowedTopologies").and_then(Value::as_array) {
        None => {}
        Some(terms) if terms.is_empty() => w.write(LEVEL_0, "AllowedTopologies:\t<none>\n"),
        Some(_) => {
            return Err(KubectlError::unsupported(
                "describe of a StorageClass's allowedTopologies",
            ));
        }
    }
    if let Some(list) = sc_events {
        events(&mut w, list, env);
    }
    Ok(w.finish())
}
