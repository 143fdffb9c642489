//! `kubectl create configmap` (`pkg/cmd/create/create_configmap.go`),
//! `kubectl create secret generic|tls` (`create_secret.go`,
//! `create_secret_tls.go`) and `kubectl create service
//! clusterip|nodeport|loadbalancer` (`create_service.go`), as of v1.22.
//!
//! Files named by `--from-file`, `--from-env-file`, `--cert` and `--key`
//! are read from the scenario's workspace.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Ctx, print_flags::DryRun};
use crate::{
    kubectl::{error::KubectlError, messages},
    sim::Object,
};

/// `kubectl create configmap NAME [--from-literal=k=v] [--from-file=[k=]path]
/// [--from-env-file=path]`.
pub fn configmap(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let data = collect_data(ctx, "ConfigMap", &name)?;
    let value = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "data": data,
    });
    create(ctx, value, "failed to create configmap: ")
}

/// `kubectl create secret generic NAME [--type=T] [--from-literal=k=v]
/// [--from-file=[k=]path] [--from-env-file=path]`.
pub fn secret_generic(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let data = collect_data(ctx, "Secret", &name)?;
    let encoded: BTreeMap<String, String> =
        data.into_iter().map(|(k, v)| (k, base64(v.as_bytes()))).collect();
    let mut value = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "data": encoded,
    });
    if let Some(t) = ctx.inv.value("type").filter(|t| !t.is_empty()) {
        value["type"] = json!(t);
    }
    create(ctx, value, "failed to create secret ")
}

/// `kubectl create secret tls NAME --cert=path --key=path`.
pub fn secret_tls(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let (Some(cert_path), Some(key_path)) = (ctx.inv.value("cert"), ctx.inv.value("key")) else {
        return Err(KubectlError::msg("key and cert must be specified"));
    };
    let read = |path: &str| {
        ctx.workspace
            .read(path)
            .map(str::to_owned)
            .ok_or_else(|| KubectlError::msg(format!("open {path}: no such file or directory")))
    };
    let cert = read(cert_path)?;
    let key = read(key_path)?;
    // `tls.X509KeyPair` parses the PEM blocks; kubeplay checks only that
    // both files hold PEM data.
    if !cert.contains("-----BEGIN") {
        return Err(KubectlError::msg("tls: failed to find any PEM data in certificate input"));
    }
    if !key.contains("-----BEGIN") {
        return Err(KubectlError::msg("tls: failed to find any PEM data in key input"));
    }
    let value = json!({
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
        "metadata": {"name": name, "namespace": ctx.namespace()},
        "data": {"tls.crt": base64(cert.as_bytes()), "tls.key": base64(key.as_bytes())},
    });
    create(ctx, value, "failed to create secret ")
}

/// `kubectl create service clusterip|nodeport|loadbalancer NAME
/// [--tcp=port[:targetPort]]...`: selector and label `app=NAME`, one port
/// named `port-targetPort` per `--tcp`.
pub fn service(ctx: &mut Ctx<'_>, service_type: &str) -> Result<(), KubectlError> {
    let name = name_arg(ctx)?;
    let cluster_ip = ctx.inv.value("clusterip").unwrap_or_default().to_owned();
    let tcp = ctx.inv.strings("tcp");
    if tcp.is_empty() && !(service_type == "ClusterIP" && cluster_ip == "None") {
        return Err(KubectlError::msg("at least one tcp port specifier must be provided"));
    }
    let node_port = ctx.inv.int("node-port").unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port_text, target_text) = spec.split_once(':').unwrap_or((spec, spec));
        let port: i64 = port_text.parse().map_err(|_| {
            KubectlError::msg(format!(
                "strconv.Atoi: parsing {}: invalid syntax",
                crate::kubectl::args::go_quote(port_text)
            ))
        })?;
        let target: Value = match target_text.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(target_text),
        };
        let mut p = json!({"name": spec.replace(':', "-"), "port": port, "targetPort": target, "protocol": "TCP"});
        if node_port > 0 {
            p["nodePort"] = json!(node_port);
        }
        ports.push(p);
    }
    let mut spec = json!({"type": service_type, "selector": {"app": name}});
    // `ServiceSpec.Ports` is `omitempty`: a headless service without
    // `--tcp` has no `ports` key.
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    if !cluster_ip.is_empty() {
        spec["clusterIP"] = json!(cluster_ip);
    }
    let value = json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": ctx.namespace(), "labels": {"app": name}},
        "spec": spec,
    });
    let prefix = format!("failed to create {service_type} service: ");
    create(ctx, value, &prefix)
}

/// Creates the object as `--dry-run` says (printing it with `-o`); API
/// errors are wrapped as the v1.22 commands wrap them
/// (`fmt.Errorf("failed to create ...: %v", err)`, which keeps only the
/// API message).
fn create(ctx: &mut Ctx<'_>, value: Value, prefix: &str) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
    let object = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
    match super::print_flags::create(ctx, dry_run, &local, object) {
        Err(KubectlError::Api(err)) => {
            let message = match &err {
                crate::sim::ApiError::Invalid { .. } => {
                    KubectlError::Api(err.clone()).render(ctx.minor).trim_end().to_owned()
                }
                other => other.to_string(),
            };
            Err(KubectlError::msg(format!("{prefix}{message}")))
        }
        other => other,
    }
}

/// `NameFromCommandArgs`.
fn name_arg(ctx: &Ctx<'_>) -> Result<String, KubectlError> {
    let count = ctx.inv.args.len();
    if count != 1 {
        return Err(KubectlError::msg(messages::usage_error(
            &messages::exactly_one_name(count),
            &ctx.inv.command_path(),
        )));
    }
    Ok(ctx.inv.args[0].clone())
}

/// The data of `--from-literal`, `--from-file` and `--from-env-file`, in
/// the order kubectl adds them (files, then literals, then env files).
fn collect_data(
    ctx: &Ctx<'_>,
    what: &str,
    name: &str,
) -> Result<BTreeMap<String, String>, KubectlError> {
    let mut data = BTreeMap::new();
    let add = |data: &mut BTreeMap<String, String>, key: String, value: String| {
        if !valid_key(&key) {
            return Err(KubectlError::msg(format!(
                "{} is not a valid key name for a {what}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                crate::kubectl::args::go_quote(&key)
            )));
        }
        if data.contains_key(&key) {
            return Err(KubectlError::msg(format!(
                "cannot add key {}, another key by that name already exists in Data for {what} {}",
                crate::kubectl::args::go_quote(&key),
                crate::kubectl::args::go_quote(name)
            )));
        }
        data.insert(key, value);
        Ok(())
    };
    for source in ctx.inv.strings("from-file") {
        let (key, path) = match source.split_once('=') {
            Some((k, p)) => (Some(k.to_owned()), p.to_owned()),
            None => (None, source.clone()),
        };
        if let Some(content) = ctx.workspace.read(&path) {
            let key = key.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_owned());
            add(&mut data, key, content.to_owned())?;
            continue;
        }
        let dir = format!("{}/", ctx.workspace.resolve(&path));
        let entries: Vec<(String, String)> = ctx
            .workspace
            .files()
            .filter_map(|(p, c)| {
                let rest = p.strip_prefix(&dir)?;
                (!rest.contains('/')).then(|| (rest.to_owned(), c.to_owned()))
            })
            .collect();
        if entries.is_empty() {
            return Err(KubectlError::msg(format!(
                "error reading {path}: no such file or directory"
            )));
        }
        if key.is_some() {
            return Err(KubectlError::msg("cannot give a key name for a directory path"));
        }
        for (k, c) in entries {
            add(&mut data, k, c)?;
        }
    }
    for literal in ctx.inv.strings("from-literal") {
        let Some((k, v)) = literal.split_once('=') else {
            return Err(KubectlError::msg(format!(
                "invalid literal source {literal}, expected key=value"
            )));
        };
        add(&mut data, k.to_owned(), v.to_owned())?;
    }
    for path in ctx.inv.strings("from-env-file") {
        let Some(content) = ctx.workspace.read(&path) else {
            return Err(KubectlError::msg(format!(
                "error reading {path}: no such file or directory"
            )));
        };
        for line in content.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            add(&mut data, k.to_owned(), v.to_owned())?;
        }
    }
    Ok(data)
}

/// `validation.IsConfigMapKey`.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 253
        && key != "."
        && key != ".."
        && !key.starts_with("..")
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Standard base64 with padding (how Secret data travels).
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_like_go() {
        assert_eq!(base64(b"admin"), "YWRtaW4=");
        assert_eq!(base64(b"1f2d1e2e67df"), "MWYyZDFlMmU2N2Rm");
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn config_keys() {
        assert!(valid_key("game.properties"));
        assert!(!valid_key("a b"));
        assert!(!valid_key(".."));
    }
}
