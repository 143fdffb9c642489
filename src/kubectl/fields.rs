//! Field selectors (`--field-selector`), which the API server evaluates:
//! the grammar of `apimachinery/pkg/fields/selector.go` (`k=v`, `k==v`,
//! `k!=v`, comma-separated, all must hold) and the fields each resource
//! supports (the field-label conversion functions of
//! `pkg/apis/core/v1/conversion.go`, `pkg/apis/apps/v1/conversion.go`,
//! `pkg/apis/batch/v1/conversion.go`; every resource supports
//! `metadata.name` and, when namespaced, `metadata.namespace`).

use crate::sim::{Kind, Object};

/// One `field<op>value` term.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    field: String,
    value: String,
    equal: bool,
}

/// A parsed field selector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    terms: Vec<Term>,
    text: String,
}

impl FieldSelector {
    /// `fields.ParseSelector`.
    pub fn parse(text: &str) -> Result<FieldSelector, String> {
        let mut terms = Vec::new();
        for term in split_terms(text) {
            if term.is_empty() {
                continue;
            }
            let Some((field, op, value)) = split_term(&term) else {
                return Err(format!("invalid selector: '{text}'; can't understand '{term}'"));
            };
            terms.push(Term {
                field: field.to_owned(),
                value: value.to_owned(),
                equal: op != "!=",
            });
        }
        Ok(FieldSelector { terms, text: text.to_owned() })
    }

    /// Checks every field against what the resource supports; the API
    /// server's `BadRequest` message when one is not
    /// (`Unable to find "/v1, Resource=pods" that match label selector "",
    /// field selector "x=y": field label not supported: x`).
    pub fn validate(&self, kind: Kind, label_selector: &str) -> Result<(), String> {
        for term in &self.terms {
            if value_of_field(kind, None, &term.field).is_none() {
                let info = kind.info();
                return Err(format!(
                    "Unable to find \"{}/{}, Resource={}\" that match label selector \"{label_selector}\", field selector \"{}\": field label not supported: {}",
                    info.group, info.version, info.plural, self.text, term.field
                ));
            }
        }
        Ok(())
    }

    /// Whether `object` satisfies every term.
    pub fn matches(&self, object: &Object) -> bool {
        self.terms.iter().all(|t| {
            let value = value_of_field(object.kind(), Some(object), &t.field).unwrap_or_default();
            (value == t.value) == t.equal
        })
    }
}

/// The value of a selectable field (`""` when unset); `None` when the
/// resource does not support selecting on it. With no object, only
/// answers whether the field is supported.
fn value_of_field(kind: Kind, object: Option<&Object>, field: &str) -> Option<String> {
    let json = object.map(Object::to_value).unwrap_or_default();
    let at = |path: &[&str]| {
        let mut v = &json;
        for p in path {
            v = v.get(p).unwrap_or(&serde_json::Value::Null);
        }
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    };
    let namespaced = kind.info().namespaced;
    let supported: &[&str] = match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::Secret => &["type"],
        Kind::ReplicaSet => &["status.replicas"],
        Kind::Job => &["status.successful"],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        _ => &[],
    };
    let ok = field == "metadata.name"
        || field == "metadata.namespace" && namespaced
        || supported.contains(&field);
    if !ok {
        return None;
    }
    Some(match field {
        "spec.unschedulable" => {
            let v = at(&["spec", "unschedulable"]);
            if v.is_empty() { "false".into() } else { v }
        }
        "source" => at(&["source", "component"]),
        "status.replicas" | "status.successful" => {
            let v = at(&field.split('.').collect::<Vec<_>>());
            if v.is_empty() { "0".into() } else { v }
        }
        _ => at(&field.split('.').collect::<Vec<_>>()),
    })
}

/// Splits on commas not escaped by a backslash.
fn split_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' {
            terms.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    terms.push(cur);
    terms
}

/// `splitTerm`: the first operator (`!=`, `==`, `=`) from the left.
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        for op in ["!=", "==", "="] {
            if term[i..].starts_with(op) {
                return Some((&term[..i], op, &term[i + op.len()..]));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(name: &str, phase: &str, node: &str) -> Object {
        Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"nodeName": node, "containers": []}, "status": {"phase": phase}}))
        .unwrap()
    }

    #[test]
    fn selects() {
        let sel = FieldSelector::parse("status.phase=Running,spec.nodeName!=worker1").unwrap();
        assert!(sel.matches(&pod("a", "Running", "worker2")));
        assert!(!sel.matches(&pod("a", "Running", "worker1")));
        assert!(!sel.matches(&pod("a", "Pending", "worker2")));
        let sel = FieldSelector::parse("metadata.name==a").unwrap();
        assert!(sel.matches(&pod("a", "Running", "w")));
    }

    #[test]
    fn errors() {
        assert_eq!(
            FieldSelector::parse("foo").unwrap_err(),
            "invalid selector: 'foo'; can't understand 'foo'"
        );
        let sel = FieldSelector::parse("spec.foo=bar").unwrap();
        assert_eq!(
            sel.validate(Kind::Pod, "").unwrap_err(),
            "Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.foo=bar\": field label not supported: spec.foo"
        );
        assert!(
            FieldSelector::parse("status.phase=Running")
                .unwrap()
                .validate(Kind::Deployment, "")
                .is_err()
        );
    }
}
