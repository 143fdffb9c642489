//! Admission of CustomResourceDefinitions and custom objects: the CRD's
//! defaulting and validation, and a custom object's structural schema —
//! defaults, pruning, validation — with the status subresource's rule that
//! a create or a main-resource update does not write status
//! (`apiextensions-apiserver/pkg/registry/customresource/strategy.go`).

use crate::sim::{GenericObject, Object, crd, registry::Registry};

/// The causes `object` is invalid for, after mutating it as the server
/// does; empty when it is admitted.
pub fn admit(object: &mut GenericObject, old: Option<&Object>, registry: &Registry) -> Vec<String> {
    let kind = crate::sim::Kind::Other(object.kind);
    if crd::is_crd(kind) {
        crd::set_defaults(object);
        return crd::validate(object);
    }
    if !crd::is_custom(kind) {
        return Vec::new();
    }
    let Some(version) = registry.custom_versions(kind).first() else { return Vec::new() };
    if version.status_subresource {
        // PrepareForCreate drops status; PrepareForUpdate keeps the old one.
        match old {
            None => {
                object.fields.remove("status");
            }
            Some(Object::Generic(old)) => match old.fields.get("status") {
                Some(status) => {
                    object.fields.insert("status".to_owned(), status.clone());
                }
                None => {
                    object.fields.remove("status");
                }
            },
            Some(_) => {}
        }
    }
    let Some(schema) = &version.schema else { return Vec::new() };
    let mut body = serde_json::Value::Object(std::mem::take(&mut object.fields));
    crd::schema::default(&mut body, schema);
    // The root keeps apiVersion, kind and metadata whatever the schema says;
    // they are not in `fields`.
    crd::schema::prune(&mut body, schema, "");
    let causes = crd::schema::validate(&body, schema, "");
    if let serde_json::Value::Object(fields) = body {
        object.fields = fields;
    }
    causes
}
