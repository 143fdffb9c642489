//! What the API server's encoding drops before an object is stored: an
//! empty map or list in a field tagged `json:",omitempty"` is not written,
//! so it is never served back as `{}` or `[]`. Every `ObjectMeta` map and
//! list is such a field (`k8s.io/apimachinery/pkg/apis/meta/v1/types.go`),
//! on built-in and custom objects alike (the API server decodes a custom
//! object's metadata into `ObjectMeta` too); so are a ConfigMap's `data`
//! and `binaryData` and a Secret's `data` (`k8s.io/api/core/v1/types.go`).
//! Fields without the tag (an EndpointSlice's `endpoints`) keep what they
//! were given, and so does the rest of a custom object (unstructured).
//!
//! So removing a pod's last label with `kubectl label pod web app-` leaves
//! no `labels:` line in `-o yaml`, and a manifest's `annotations: {}` is
//! not stored (the last-applied annotation keeps it, as kubectl wrote it).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::Object;

/// Drops the empty `omitempty` maps and lists of `object`.
pub fn drop_empty(object: &mut Object) {
    metadata(object.meta_mut());
    match object {
        Object::ConfigMap(cm) => {
            clear_if_empty(&mut cm.data, |m| m.is_empty());
            clear_if_empty(&mut cm.binary_data, |m| m.is_empty());
        }
        Object::Secret(secret) => clear_if_empty(&mut secret.data, |m| m.is_empty()),
        _ => {}
    }
}

fn metadata(meta: &mut ObjectMeta) {
    clear_if_empty(&mut meta.labels, |m| m.is_empty());
    clear_if_empty(&mut meta.annotations, |m| m.is_empty());
    clear_if_empty(&mut meta.finalizers, |v| v.is_empty());
    clear_if_empty(&mut meta.owner_references, |v| v.is_empty());
    clear_if_empty(&mut meta.managed_fields, |v| v.is_empty());
}

fn clear_if_empty<T>(field: &mut Option<T>, empty: impl Fn(&T) -> bool) {
    if field.as_ref().is_some_and(empty) {
        *field = None;
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::ConfigMap;

    use super::*;

    #[test]
    fn empty_maps_and_lists_are_not_stored_and_full_ones_are_kept() {
        let mut cm = Object::ConfigMap(ConfigMap {
            metadata: ObjectMeta {
                labels: Some(Default::default()),
                annotations: Some([("k".to_owned(), String::new())].into_iter().collect()),
                finalizers: Some(Vec::new()),
                ..Default::default()
            },
            data: Some(Default::default()),
            ..Default::default()
        });
        drop_empty(&mut cm);
        let Object::ConfigMap(cm) = cm else { unreachable!() };
        assert_eq!(cm.metadata.labels, None);
        assert_eq!(cm.metadata.finalizers, None);
        assert_eq!(cm.data, None);
        assert_eq!(cm.metadata.annotations.map(|a| a.len()), Some(1));
    }
}
