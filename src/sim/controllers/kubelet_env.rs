//! A container's environment as the kubelet builds it
//! (`pkg/kubelet/kubelet_pods.go` `makeEnvironmentVariables`): `envFrom`
//! first, then `env` (which overrides it, with `$(VAR)` references
//! expanded), then the service links not already set. A reference to a
//! ConfigMap or Secret (or one of its keys) that does not exist, and is not
//! `optional`, stops the container from being created
//! (`CreateContainerConfigError`).

use std::collections::BTreeMap;

use k8s_openapi::{
    ByteString,
    api::core::v1::{ConfigMap, Container, Pod, Secret},
};

use crate::sim::store::Store;
use crate::textutil::go_text::quote as go_quote;

/// Why the kubelet cannot build a container's configuration: the error
/// text it puts in the waiting state and in the `Error: …` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

/// The variables of `container` before the service links, in the order
/// kubeplay prints them: `envFrom` sources in declared order (each one's
/// keys sorted, as its data is stored), then `env` in declared order; a
/// later definition of a name replaces the earlier one. (The kubelet
/// collects them in a Go map, so a real node's order varies from run to
/// run; this is one of its orders, the same every time.)
pub fn declared(
    store: &Store,
    pod: &Pod,
    container: &Container,
    service_env: &[(String, String)],
    field: impl Fn(&str) -> String,
) -> Result<Vec<(String, String)>, ConfigError> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut env: Vec<(String, String)> = Vec::new();
    let set = |env: &mut Vec<(String, String)>, name: String, value: String| {
        env.retain(|(k, _)| *k != name);
        env.push((name, value));
    };
    for from in container.env_from.iter().flatten() {
        let prefix = from.prefix.as_deref().unwrap_or_default();
        let data: Option<Vec<(String, String)>> = if let Some(r) = &from.config_map_ref {
            match config_map(store, ns, &r.name) {
                Some(cm) => Some(cm.data.clone().unwrap_or_default().into_iter().collect()),
                None if r.optional == Some(true) => None,
                None => return Err(not_found("configmap", &r.name)),
            }
        } else if let Some(r) = &from.secret_ref {
            match secret(store, ns, &r.name) {
                Some(s) => {
                    Some(s.data.iter().flatten().map(|(k, v)| (k.clone(), text(v))).collect())
                }
                None if r.optional == Some(true) => None,
                None => return Err(not_found("secret", &r.name)),
            }
        } else {
            None
        };
        for (k, v) in data.into_iter().flatten() {
            set(&mut env, format!("{prefix}{k}"), v);
        }
    }
    for e in container.env.iter().flatten() {
        let value = match (e.value.as_deref().filter(|v| !v.is_empty()), &e.value_from) {
            (Some(v), _) => expand(v, |name| {
                env.iter().chain(service_env).find(|(k, _)| k == name).map(|(_, v)| v.clone())
            }),
            (None, Some(from)) => {
                if let Some(r) = &from.config_map_key_ref {
                    match config_map(store, ns, &r.name) {
                        Some(cm) => match cm.data.as_ref().and_then(|d| d.get(&r.key)) {
                            Some(v) => v.clone(),
                            None if r.optional == Some(true) => continue,
                            None => {
                                return Err(ConfigError(format!(
                                    "couldn't find key {} in ConfigMap {ns}/{}",
                                    r.key, r.name
                                )));
                            }
                        },
                        None if r.optional == Some(true) => continue,
                        None => return Err(not_found("configmap", &r.name)),
                    }
                } else if let Some(r) = &from.secret_key_ref {
                    match secret(store, ns, &r.name) {
                        Some(s) => match s.data.as_ref().and_then(|d| d.get(&r.key)) {
                            Some(v) => text(v),
                            None if r.optional == Some(true) => continue,
                            None => {
                                return Err(ConfigError(format!(
                                    "couldn't find key {} in Secret {ns}/{}",
                                    r.key, r.name
                                )));
                            }
                        },
                        None if r.optional == Some(true) => continue,
                        None => return Err(not_found("secret", &r.name)),
                    }
                } else if let Some(r) = &from.field_ref {
                    field(&r.field_path)
                } else {
                    String::new()
                }
            }
            _ => String::new(),
        };
        set(&mut env, e.name.clone(), value);
    }
    Ok(env)
}

/// The API server's NotFound text, which the kubelet's ConfigMap and
/// Secret managers pass on (`configmap "x" not found`).
fn not_found(resource: &str, name: &str) -> ConfigError {
    ConfigError(format!("{resource} {name:?} not found"))
}

fn config_map<'a>(store: &'a Store, ns: &str, name: &str) -> Option<&'a ConfigMap> {
    store.get_typed::<ConfigMap>(Some(ns), name)
}

fn secret<'a>(store: &'a Store, ns: &str, name: &str) -> Option<&'a Secret> {
    store.get_typed::<Secret>(Some(ns), name)
}

fn text(b: &ByteString) -> String {
    String::from_utf8_lossy(&b.0).into_owned()
}

/// `$(VAR)` references in an `env` value, as
/// `third_party/forked/golang/expansion/expand.go` `Expand` reads them:
/// `$(NAME)` becomes the variable's value when it is defined and stays as
/// written when not; `$$` is a literal `$`; any other `$` is kept.
pub fn expand(input: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = input;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if after.is_empty() {
            out.push('$');
            rest = after;
            break;
        }
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('(') {
            match body.find(')') {
                Some(end) => {
                    let name = &body[..end];
                    match lookup(name) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&format!("$({name})")),
                    }
                    rest = &body[end + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = body;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The lines of a downward-API file holding a label or annotation map
/// (`pkg/fieldpath/fieldpath.go` `FormatMap`): `key="value"` sorted by
/// key, Go-quoted, joined by newlines with none at the end.
pub fn format_map(map: Option<&BTreeMap<String, String>>) -> String {
    map.into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<String> {
        match name {
            "A" => Some("1".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn references_expand_like_upstream_expansion() {
        assert_eq!(expand("$(A)-$(A)", vars), "1-1");
        assert_eq!(expand("$(MISSING)", vars), "$(MISSING)");
        assert_eq!(expand("$$(A)", vars), "$(A)");
        assert_eq!(expand("x$(EMPTY)y", vars), "xy");
        assert_eq!(expand("$A and $", vars), "$A and $");
        assert_eq!(expand("$(A", vars), "$(A");
        assert_eq!(expand("cost: $$5", vars), "cost: $5");
    }

    #[test]
    fn downward_maps_are_sorted_quoted_lines_without_a_final_newline() {
        let m: BTreeMap<String, String> = [("zone", "us-est-coast"), ("cluster", "test \"1\"")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(format_map(Some(&m)), "cluster=\"test \\\"1\\\"\"\nzone=\"us-est-coast\"");
        assert_eq!(format_map(None), "");
    }
}
