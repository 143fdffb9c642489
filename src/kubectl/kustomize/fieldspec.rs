//! Field specs: which field of which kinds a transformer touches
//! (`api/types/fieldspec.go`), walked as kustomize's `fieldspec.Filter`
//! walks them (`api/filters/fieldspec/fieldspec.go`), and the default
//! tables of the built-in transformers (`fieldspecs.yaml`).

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Gvk;

/// One field of the kinds it selects.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct FieldSpec {
    /// Slash-separated; a `[]` suffix marks a list.
    pub path: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    /// Create the field (and the maps leading to it) when missing.
    #[serde(default)]
    pub create: bool,
}

impl FieldSpec {
    /// A spec of `path` on every kind.
    pub fn everywhere(path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            path: path.into(),
            group: "".into(),
            version: "".into(),
            kind: "".into(),
            create,
        }
    }

    /// `isMatchGVK`: empty parts match anything.
    pub fn selects(&self, gvk: &Gvk) -> bool {
        (self.kind.is_empty() || self.kind == gvk.kind)
            && (self.group.is_empty() || self.group == gvk.group)
            && (self.version.is_empty() || self.version == gvk.version)
    }
}

/// A kind others refer to by name, and the fields that do
/// (`nameReference`).
#[derive(Debug, Clone, Deserialize)]
pub struct NameReference {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    pub kind: String,
    #[serde(rename = "fieldSpecs")]
    pub field_specs: Vec<FieldSpec>,
}

/// kustomize's default transformer configuration.
#[derive(Debug, Deserialize)]
pub struct Defaults {
    #[serde(rename = "commonLabels")]
    pub common_labels: Vec<FieldSpec>,
    #[serde(rename = "templateLabels")]
    pub template_labels: Vec<FieldSpec>,
    #[serde(rename = "commonAnnotations")]
    pub common_annotations: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    #[serde(rename = "nameReference")]
    pub name_reference: Vec<NameReference>,
    pub replicas: Vec<FieldSpec>,
}

/// The default tables, parsed once.
pub fn defaults() -> &'static Defaults {
    static DEFAULTS: OnceLock<Defaults> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        serde_yaml::from_str(include_str!("fieldspecs.yaml"))
            .expect("the embedded field spec tables parse")
    })
}

/// Why a walk failed (kustomize's wording).
pub type WalkError = String;

/// Calls `set` on each field `spec` names in `object` (an object of kind
/// `gvk`): maps are entered by key, lists element by element; with
/// `create`, missing maps on the way are made and the last field is made
/// as `create_leaf` gives it. The object's kind must be selected.
pub fn walk(
    object: &mut Value,
    gvk: &Gvk,
    spec: &FieldSpec,
    create_leaf: Option<&dyn Fn() -> Value>,
    set: &mut dyn FnMut(&mut Value) -> Result<(), WalkError>,
) -> Result<(), WalkError> {
    if !spec.selects(gvk) {
        return Ok(());
    }
    let path: Vec<&str> = spec.path.split('/').filter(|p| !p.is_empty()).collect();
    let leaf = if spec.create { create_leaf } else { None };
    walk_at(object, &path, spec.create, leaf, set)
}

fn walk_at(
    node: &mut Value,
    path: &[&str],
    create: bool,
    create_leaf: Option<&dyn Fn() -> Value>,
    set: &mut dyn FnMut(&mut Value) -> Result<(), WalkError>,
) -> Result<(), WalkError> {
    let Some((first, rest)) = path.split_first() else { return set(node) };
    match node {
        Value::Null => Ok(()),
        Value::Array(items) => {
            for item in items {
                walk_at(item, path, create, create_leaf, set)?;
            }
            Ok(())
        }
        Value::Object(map) => {
            let (name, is_list) = match first.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (*first, false),
            };
            if !map.contains_key(name) {
                // `handleMap`: a list field is never created; the last
                // field is created by its transformer's kind, the ones
                // before it as maps.
                let made = match (create && !is_list, rest.is_empty(), create_leaf) {
                    (true, true, Some(leaf)) => leaf(),
                    (true, false, _) => Value::Object(Map::new()),
                    _ => return Ok(()),
                };
                map.insert(name.to_owned(), made);
            }
            let field = map.get_mut(name).expect("present or inserted");
            if field.is_null() && create && !is_list {
                *field = if rest.is_empty() {
                    create_leaf.map_or(Value::Null, |leaf| leaf())
                } else {
                    Value::Object(Map::new())
                };
            }
            walk_at(field, rest, create, create_leaf, set)
        }
        _ => Err("expected sequence or mapping node".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gvk(kind: &str) -> Gvk {
        Gvk { group: "apps".into(), version: "v1".into(), kind: kind.into() }
    }

    #[test]
    fn the_default_tables_parse() {
        let d = defaults();
        assert_eq!(d.common_labels.len(), 32);
        assert!(d.name_reference.iter().any(|n| n.kind == "ConfigMap"));
    }

    #[test]
    fn walking_creates_maps_only_where_asked_and_enters_lists() {
        let mut o = json!({"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "b", "env": []}]}}}});
        let spec = FieldSpec {
            kind: "Deployment".into(),
            ..FieldSpec::everywhere("spec/selector/matchLabels", true)
        };
        let leaf = || json!({});
        walk(&mut o, &gvk("Deployment"), &spec, Some(&leaf), &mut |v| {
            v["app"] = json!("x");
            Ok(())
        })
        .unwrap();
        assert_eq!(o["spec"]["selector"], json!({"matchLabels": {"app": "x"}}));
        let mut names = Vec::new();
        let spec = FieldSpec::everywhere("spec/template/spec/containers/name", false);
        walk(&mut o, &gvk("Deployment"), &spec, None, &mut |v| {
            names.push(v.as_str().unwrap().to_owned());
            Ok(())
        })
        .unwrap();
        assert_eq!(names, ["a", "b"]);
        // Another kind is not touched.
        let spec = FieldSpec { kind: "Service".into(), ..FieldSpec::everywhere("spec/x", true) };
        walk(&mut o, &gvk("Deployment"), &spec, Some(&leaf), &mut |_| Err("touched".into()))
            .unwrap();
    }
}
