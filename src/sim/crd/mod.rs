//! CustomResourceDefinitions, as the apiextensions-apiserver serves them
//! (`staging/src/k8s.io/apiextensions-apiserver`): a stored CRD whose names
//! are accepted becomes Established and its served versions are served —
//! REST mapping, printer columns, schema defaulting, pruning and
//! validation ([`schema`]), the status and scale subresources — until it is
//! deleted, which deletes its custom objects with it.
//!
//! The simulator establishes a CRD at once (the naming and establishing
//! controllers of a real server take milliseconds); both `apiextensions.
//! k8s.io/v1` and the `v1beta1` shape (served up to v1.21) are read.

pub mod schema;

use serde_json::{Value, json};

use super::{
    GenericObject,
    kind::{Generic, Kind, PrinterColumn, ResourceInfo},
};

/// The CRD resource's group.
pub const GROUP: &str = "apiextensions.k8s.io";
/// The CRD resource's plural.
pub const PLURAL: &str = "customresourcedefinitions";

/// The kind of CustomResourceDefinition objects (identity only: group and
/// plural; see [`Generic`]).
pub fn crd_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| super::registry::builtin_kind(GROUP, PLURAL))
}

/// Whether `kind` is CustomResourceDefinition.
pub fn is_crd(kind: Kind) -> bool {
    matches!(kind, Kind::Other(g) if g.info().group == GROUP && g.info().plural == PLURAL)
}

/// Whether `kind` is a custom resource (served from a CRD).
pub fn is_custom(kind: Kind) -> bool {
    matches!(kind, Kind::Other(g) if g.info().custom_columns.is_some())
}

/// One served version of a custom resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// `v1`, `v1beta1`, …
    pub name: String,
    /// The version's `openAPIV3Schema`, if any.
    pub schema: Option<Value>,
    /// Whether the status subresource is enabled.
    pub status_subresource: bool,
    /// The scale subresource's `specReplicasPath`, if enabled.
    pub scale_spec_path: Option<String>,
}

/// What a CRD serves: the kind (with the preferred version's facts) and
/// every served version.
#[derive(Debug, Clone)]
pub struct Served {
    /// The custom kind.
    pub kind: Kind,
    /// The served versions, preferred first.
    pub versions: Vec<Version>,
}

/// What `crd` serves, if its spec names a group, a plural and a kind and
/// at least one served version.
pub fn served(crd: &GenericObject) -> Option<Served> {
    let spec = crd.fields.get("spec")?;
    let group = spec.get("group")?.as_str()?;
    let names = spec.get("names")?;
    let kind_name = names.get("kind")?.as_str()?;
    let plural = names.get("plural")?.as_str()?;
    let singular = names
        .get("singular")
        .and_then(Value::as_str)
        .map_or_else(|| kind_name.to_ascii_lowercase(), str::to_owned);
    let short_names: Vec<&str> = names
        .get("shortNames")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let namespaced = spec.get("scope").and_then(Value::as_str) != Some("Cluster");
    let mut versions = versions(spec);
    if versions.is_empty() {
        return None;
    }
    versions.sort_by_key(|v| version_priority(&v.0.name));
    let (preferred, columns) = versions[0].clone();
    let columns: Vec<PrinterColumn<'_>> = columns
        .iter()
        .filter_map(|c| {
            Some(PrinterColumn {
                name: c.get("name")?.as_str()?,
                type_: c.get("type").and_then(Value::as_str).unwrap_or("string"),
                json_path: c.get("jsonPath").or_else(|| c.get("JSONPath"))?.as_str()?,
                priority: c.get("priority").and_then(Value::as_i64).unwrap_or(0) as i32,
            })
        })
        .collect();
    let kind = Kind::Other(Generic::new(&ResourceInfo {
        kind_name,
        plural,
        singular: &singular,
        short_names: &short_names,
        group,
        version: &preferred.name,
        namespaced,
        custom_columns: Some(&columns),
    }));
    Some(Served { kind, versions: versions.into_iter().map(|(v, _)| v).collect() })
}

/// The served versions with their printer columns: `spec.versions[]` of
/// v1 (and of v1beta1), or v1beta1's single `spec.version` with its
/// top-level schema, subresources and columns.
fn versions(spec: &Value) -> Vec<(Version, Vec<Value>)> {
    let top_schema = spec.pointer("/validation/openAPIV3Schema").cloned();
    let top_columns =
        spec.get("additionalPrinterColumns").and_then(Value::as_array).cloned().unwrap_or_default();
    let top_subresources = spec.get("subresources");
    let make = |v: &Value, name: &str| {
        let subresources = v.get("subresources").or(top_subresources);
        let version = Version {
            name: name.to_owned(),
            schema: v.pointer("/schema/openAPIV3Schema").cloned().or_else(|| top_schema.clone()),
            status_subresource: subresources.and_then(|s| s.get("status")).is_some(),
            scale_spec_path: subresources
                .and_then(|s| s.pointer("/scale/specReplicasPath"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let columns = v
            .get("additionalPrinterColumns")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(|| top_columns.clone());
        (version, columns)
    };
    match spec.get("versions").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => list
            .iter()
            .filter(|v| v.get("served").and_then(Value::as_bool) != Some(false))
            .filter_map(|v| Some(make(v, v.get("name")?.as_str()?)))
            .collect(),
        _ => spec
            .get("version")
            .and_then(Value::as_str)
            .map(|n| vec![make(spec, n)])
            .unwrap_or_default(),
    }
}

/// Discovery's order of versions (`version.CompareKubeAwareVersionStrings`
/// in apimachinery): GA before beta before alpha, higher numbers first,
/// then versions that are not Kubernetes-like, alphabetically.
pub(crate) fn version_priority(
    v: &str,
) -> (u8, std::cmp::Reverse<u64>, std::cmp::Reverse<u64>, String) {
    let parsed = v.strip_prefix('v').and_then(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let major: u64 = digits.parse().ok()?;
        let tail = &rest[digits.len()..];
        let (class, minor) = if tail.is_empty() {
            (0, 0)
        } else if let Some(n) = tail.strip_prefix("beta") {
            (1, n.parse().ok()?)
        } else if let Some(n) = tail.strip_prefix("alpha") {
            (2, n.parse().ok()?)
        } else {
            return None;
        };
        Some((class, major, minor))
    });
    match parsed {
        Some((class, major, minor)) => {
            (class, std::cmp::Reverse(major), std::cmp::Reverse(minor), String::new())
        }
        None => (3, std::cmp::Reverse(0), std::cmp::Reverse(0), v.to_owned()),
    }
}

/// The API server's checks of a CRD, with its messages
/// (`apiextensions/validation/validation.go`, the common mistakes).
pub fn validate(crd: &GenericObject) -> Vec<String> {
    let mut causes = Vec::new();
    let spec = crd.fields.get("spec");
    let text = |p: &str| spec.and_then(|s| s.pointer(p)).and_then(Value::as_str).unwrap_or("");
    let (group, plural) = (text("/group"), text("/names/plural"));
    let name = crd.metadata.name.as_deref().unwrap_or_default();
    if name != format!("{plural}.{group}") {
        causes.push(format!(
            "metadata.name: Invalid value: {name:?}: must be spec.names.plural+\".\"+spec.group"
        ));
    }
    if group.is_empty() {
        causes.push("spec.group: Required value".to_owned());
    } else if !group.contains('.') {
        causes.push(format!(
            "spec.group: Invalid value: {group:?}: should be a domain with at least one dot"
        ));
    }
    if plural.is_empty() {
        causes.push("spec.names.plural: Required value".to_owned());
    }
    if text("/names/kind").is_empty() {
        causes.push("spec.names.kind: Required value".to_owned());
    }
    match text("/scope") {
        "Namespaced" | "Cluster" => {}
        "" => causes.push("spec.scope: Required value".to_owned()),
        other => causes.push(format!(
            "spec.scope: Unsupported value: {other:?}: supported values: \"Cluster\", \"Namespaced\""
        )),
    }
    causes
}

/// Defaulting of a v1 CRD (`apiextensions/v1/defaults.go`): singular and
/// listKind names, the `None` conversion strategy.
pub fn set_defaults(crd: &mut GenericObject) {
    let Some(spec) = crd.fields.get_mut("spec").and_then(Value::as_object_mut) else { return };
    if let Some(names) = spec.get_mut("names").and_then(Value::as_object_mut) {
        let kind = names.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
        if !names.contains_key("singular") {
            names.insert("singular".into(), kind.to_ascii_lowercase().into());
        }
        if !names.contains_key("listKind") && !kind.is_empty() {
            names.insert("listKind".into(), format!("{kind}List").into());
        }
    }
    if !spec.contains_key("conversion") {
        spec.insert("conversion".into(), json!({"strategy": "None"}));
    }
}

/// The status the naming and establishing controllers write: names
/// accepted, Established, the storage version recorded.
pub fn establish(crd: &mut GenericObject, now: &str) {
    let spec = crd.fields.get("spec").cloned().unwrap_or_default();
    let storage = spec
        .get("versions")
        .and_then(Value::as_array)
        .and_then(|vs| vs.iter().find(|v| v.get("storage").and_then(Value::as_bool) == Some(true)))
        .and_then(|v| v.get("name"))
        .or_else(|| spec.get("version"))
        .cloned()
        .unwrap_or_default();
    let condition = |type_: &str, reason: &str, message: &str| {
        json!({"lastTransitionTime": now, "message": message, "reason": reason,
               "status": "True", "type": type_})
    };
    crd.fields.insert(
        "status".into(),
        json!({
            "acceptedNames": spec.get("names").cloned().unwrap_or_default(),
            "conditions": [
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
            "storedVersions": [storage],
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crd(yaml: &str) -> GenericObject {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        match super::super::Object::from_value_as(crd_kind(), value).unwrap() {
            super::super::Object::Generic(g) => g,
            _ => unreachable!(),
        }
    }

    const CRONTAB: &str = "
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1beta1
    served: true
    storage: false
  - name: v1
    served: true
    storage: true
    subresources: {status: {}, scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas, priority: 1}
";

    #[test]
    fn serves_the_preferred_version_with_its_columns() {
        let s = served(&crd(CRONTAB)).unwrap();
        let info = s.kind.info();
        assert_eq!(
            (info.group, info.plural, info.version),
            ("stable.example.com", "crontabs", "v1")
        );
        assert_eq!(info.short_names, &["ct"]);
        assert!(info.namespaced);
        let cols = info.custom_columns.unwrap();
        assert_eq!(cols.len(), 2);
        assert_eq!((cols[1].name, cols[1].priority), ("Replicas", 1));
        assert_eq!(
            s.versions.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            ["v1", "v1beta1"]
        );
        assert_eq!(s.versions[0].scale_spec_path.as_deref(), Some(".spec.replicas"));
        assert!(is_custom(s.kind) && !is_crd(s.kind) && is_crd(crd_kind()));
        assert!(validate(&crd(CRONTAB)).is_empty());
    }

    #[test]
    fn kube_aware_version_order() {
        let mut v = vec!["v1alpha1", "foo", "v2beta1", "v1", "v2", "v1beta2", "v1beta1"];
        v.sort_by_key(|x| version_priority(x));
        assert_eq!(v, ["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo"]);
    }

    #[test]
    fn a_misnamed_crd_is_invalid() {
        let bad = crd(&CRONTAB.replace("crontabs.stable.example.com", "crontab.example.com"));
        assert_eq!(
            validate(&bad),
            vec![
                "metadata.name: Invalid value: \"crontab.example.com\": must be spec.names.plural+\".\"+spec.group"
            ]
        );
    }
}
