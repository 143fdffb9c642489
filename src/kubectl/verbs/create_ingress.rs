//! `kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]]
//! [--class=C] [--default-backend=svc:port] [--annotation=k=v]`
//! (`pkg/cmd/create/create_ingress.go`, new in k8s.io/kubectl v0.20.0; the
//! same object built through v0.35.4).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use super::{Ctx, create::name_arg, create_job::create};
use crate::kubectl::error::KubectlError;

/// `ruleRegex` (`regexHostPathSvc + regexTLS`); Go's `MatchString` is
/// anchored at the start only.
static RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<host>[\w\*\-\.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?")
        .expect("rule regex")
});

/// Runs `kubectl create ingress`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let rules = ctx.inv.strings("rule");
    let annotations = ctx.inv.strings("annotation");
    let default_backend = ctx.inv.value("default-backend").unwrap_or_default().to_owned();
    let class = ctx.inv.value("class").unwrap_or_default().to_owned();
    // `Validate`.
    if default_backend.is_empty() && rules.is_empty() {
        return Err(KubectlError::msg(
            "not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)",
        ));
    }
    if let Some(rule) = rules.iter().find(|r| !RULE.is_match(r)) {
        return Err(KubectlError::msg(format!(
            "rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
        )));
    }
    if let Some(a) = annotations.iter().find(|a| !a.contains('=')) {
        return Err(KubectlError::msg(format!(
            "annotation {a} is invalid and should be in format key=[value]"
        )));
    }
    if !default_backend.is_empty() && default_backend.split(':').count() != 2 {
        return Err(KubectlError::msg(
            "default-backend should be in format servicename:serviceport",
        ));
    }
    let mut spec = Map::new();
    if !class.is_empty() {
        spec.insert("ingressClassName".into(), json!(class));
    }
    if !default_backend.is_empty() {
        spec.insert("defaultBackend".into(), backend(&default_backend));
    }
    let tls = tls_rules(&rules);
    if !tls.is_empty() {
        spec.insert("tls".into(), Value::Array(tls));
    }
    let http_rules = ingress_rules(&rules);
    if !http_rules.is_empty() {
        spec.insert("rules".into(), Value::Array(http_rules));
    }
    let mut metadata = json!({"name": name, "namespace": ctx.namespace()});
    if !annotations.is_empty() {
        let map: Map<String, Value> = annotations
            .iter()
            .filter_map(|a| a.split_once('='))
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect();
        metadata["annotations"] = Value::Object(map);
    }
    let value = json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": metadata, "spec": spec,
    });
    create(ctx, value, "ingress")
}

/// `buildTLSRules`: one entry per secret, gathering the hosts of the rules
/// marked `tls` (each host once).
fn tls_rules(rules: &[String]) -> Vec<Value> {
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for rule in rules {
        let parts: Vec<&str> = rule.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = rule.split_once('/').map_or(rule.as_str(), |(h, _)| h).to_owned();
        let secret = parts[1].split('=').nth(1).unwrap_or_default().to_owned();
        if seen.contains(&host) {
            continue;
        }
        seen.push(host.clone());
        if let Some(entry) = out.iter_mut().find(|(_, s)| *s == secret) {
            entry.0.push(host);
            continue;
        }
        let hosts = if host.is_empty() { vec![] } else { vec![host] };
        if !secret.is_empty() || !hosts.is_empty() {
            out.push((hosts, secret));
        }
    }
    out.into_iter()
        .map(|(hosts, secret)| {
            let mut tls = Map::new();
            if !hosts.is_empty() {
                tls.insert("hosts".into(), json!(hosts));
            }
            if !secret.is_empty() {
                tls.insert("secretName".into(), json!(secret));
            }
            Value::Object(tls)
        })
        .collect()
}

/// `buildIngressRules`: one rule per host, its paths in order.
fn ingress_rules(rules: &[String]) -> Vec<Value> {
    let mut out: Vec<(String, Vec<Value>)> = Vec::new();
    for rule in rules {
        let without_tls = rule.split(',').next().unwrap_or_default();
        let (host, path_svc) = without_tls.split_once('/').unwrap_or((without_tls, ""));
        let path = http_path(path_svc);
        match out.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(path),
            None => out.push((host.to_owned(), vec![path])),
        }
    }
    out.into_iter()
        .map(|(host, paths)| {
            let mut rule = Map::new();
            if !host.is_empty() {
                rule.insert("host".into(), json!(host));
            }
            rule.insert("http".into(), json!({"paths": paths}));
            Value::Object(rule)
        })
        .collect()
}

/// `buildHTTPIngressPath`: `Exact`, or `Prefix` for a path ending in `*`
/// (the `*` dropped).
fn http_path(path_svc: &str) -> Value {
    let mut parts = path_svc.split('=');
    let mut path = format!("/{}", parts.next().unwrap_or_default());
    let service = parts.next().unwrap_or_default();
    let mut path_type = "Exact";
    if path.ends_with('*') {
        path_type = "Prefix";
        path.pop();
    }
    json!({"path": path, "pathType": path_type, "backend": backend(service)})
}

/// `buildIngressBackendSvc`: a port number, or else a port name.
fn backend(service: &str) -> Value {
    let mut parts = service.split(':');
    let name = parts.next().unwrap_or_default();
    let port = parts.next().unwrap_or_default();
    let port = match port.parse::<i32>() {
        Ok(n) => json!({"number": n}),
        Err(_) => json!({"name": port}),
    };
    json!({"service": {"name": name, "port": port}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_build_hosts_paths_and_tls_as_kubectl() {
        let rules = vec![
            "a.com/*=web:80".to_owned(),
            "b.com/x=api:http,tls=b-tls".to_owned(),
            "a.com/y=web:80,tls=b-tls".to_owned(),
        ];
        assert_eq!(
            Value::Array(ingress_rules(&rules)),
            json!([
                {"host": "a.com", "http": {"paths": [
                    {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                    {"path": "/y", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}},
                {"host": "b.com", "http": {"paths": [
                    {"path": "/x", "pathType": "Exact", "backend": {"service": {"name": "api", "port": {"name": "http"}}}}]}}
            ])
        );
        assert_eq!(
            Value::Array(tls_rules(&rules)),
            json!([{"hosts": ["b.com", "a.com"], "secretName": "b-tls"}])
        );
        assert!(RULE.is_match("foo.com/bar=svc1:8080"));
        assert!(!RULE.is_match("foo.com=svc"));
    }
}
