//! `kubectl expose` (`pkg/cmd/expose/expose.go` with the `service/v2`
//! generator, `pkg/generate/versioned/service.go`): a Service selecting the
//! object's pods.

use std::collections::BTreeMap;

use serde_json::json;

use super::{
    Ctx,
    print_flags::{self, DryRun},
};
use crate::{
    kubectl::{
        error::KubectlError,
        messages,
        resource::{self, Request},
    },
    sim::{Kind, Object, ObjectRef},
};

/// Runs `kubectl expose`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let dry_run = DryRun::from_ctx(ctx)?;
    let path = ctx.inv.command_path();
    let requests = resource::parse(ctx.cluster.registry(), &ctx.inv.args, false).map_err(|e| {
        KubectlError::msg(messages::usage_error(
            e.render(ctx.minor).trim_end().trim_start_matches("error: "),
            &path,
        ))
    })?;
    let namespace = ctx.namespace();
    for request in requests {
        let Request::Named(kind, name) = request else { continue };
        let object = ctx.cluster.get(&ObjectRef::namespaced(kind, &namespace, &name))?.clone();
        if !matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Service | Kind::Pod) {
            return Err(KubectlError::msg(messages::cannot_expose(kind.info().kind_name)));
        }
        let selector = match ctx.inv.value("selector") {
            Some(s) => parse_map(s),
            None => selector_of(&object)?,
        };
        let headless = ctx.inv.value("cluster-ip") == Some("None");
        let (ports, protocols) = ports_of(&object);
        let port_list: Vec<String> = match ctx.inv.value("port").filter(|p| !p.is_empty()) {
            Some(p) => vec![p.to_owned()],
            None if ports.is_empty() && !headless => {
                return Err(KubectlError::msg(messages::usage_error(
                    messages::EXPOSE_NO_PORT,
                    &path,
                )));
            }
            None => ports,
        };
        let mut service_ports = Vec::new();
        for (i, p) in port_list.iter().enumerate() {
            let port: i64 = p.parse().map_err(|_| {
                KubectlError::msg(format!("strconv.Atoi: parsing \"{p}\": invalid syntax"))
            })?;
            let protocol = ctx
                .inv
                .value("protocol")
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .or_else(|| protocols.get(p).cloned())
                .unwrap_or_else(|| "TCP".to_owned());
            let mut sp = json!({"port": port, "protocol": protocol});
            if port_list.len() > 1 {
                sp["name"] = json!(format!("port-{}", i + 1));
            }
            let target = ctx
                .inv
                .value("target-port")
                .or_else(|| ctx.inv.value("container-port"))
                .filter(|t| !t.is_empty());
            sp["targetPort"] = match target {
                Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
                None => json!(port),
            };
            service_ports.push(sp);
        }
        let service_name =
            ctx.inv.value("name").filter(|n| !n.is_empty()).map(str::to_owned).unwrap_or_else(
                || {
                    let mut n = name.clone();
                    n.truncate(63);
                    n
                },
            );
        let labels = match ctx.inv.value("labels") {
            Some(l) => parse_map(l),
            None => object.meta().labels.clone().unwrap_or_default(),
        };
        let mut spec = json!({"selector": selector, "ports": service_ports});
        if let Some(t) = ctx.inv.value("type").filter(|t| !t.is_empty()) {
            spec["type"] = json!(t);
        }
        if let Some(ip) = ctx.inv.value("external-ip").filter(|t| !t.is_empty()) {
            spec["externalIPs"] = json!([ip]);
        }
        if let Some(ip) = ctx.inv.value("cluster-ip").filter(|t| !t.is_empty()) {
            spec["clusterIP"] = json!(ip);
        }
        if spec["type"] == "LoadBalancer"
            && let Some(ip) = ctx.inv.value("load-balancer-ip").filter(|t| !t.is_empty())
        {
            spec["loadBalancerIP"] = json!(ip);
        }
        if let Some(a) = ctx.inv.value("session-affinity").filter(|t| !t.is_empty()) {
            spec["sessionAffinity"] = json!(a);
        }
        let mut meta = json!({"name": service_name, "namespace": namespace});
        if !labels.is_empty() {
            meta["labels"] = json!(labels);
        }
        let mut value =
            json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec});
        if let Some(cause) = super::create::record_cause(ctx) {
            value["metadata"]["annotations"] =
                json!({crate::kubectl::deployutil::CHANGE_CAUSE: cause});
        }
        // `--dry-run=client` prints the `service/v2` generator's Service.
        let local = super::generated::local(&value, ctx.explicit_namespace(), ctx.minor);
        let service = Object::from_value(value).map_err(|e| KubectlError::msg(e.to_string()))?;
        let operation = dry_run.operation("exposed");
        print_flags::send_create(ctx, dry_run, &local, service, &operation)?;
    }
    Ok(())
}

fn parse_map(text: &str) -> BTreeMap<String, String> {
    text.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// `MapBasedSelectorForObject`.
fn selector_of(object: &Object) -> Result<BTreeMap<String, String>, KubectlError> {
    let (labels, expressions) = match object {
        Object::Pod(p) => (p.metadata.labels.clone(), false),
        Object::Service(s) => (s.spec.as_ref().and_then(|s| s.selector.clone()), false),
        Object::Deployment(d) => {
            let sel = d.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default();
            (sel.match_labels, sel.match_expressions.is_some_and(|e| !e.is_empty()))
        }
        Object::ReplicaSet(rs) => {
            let sel = rs.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default();
            (sel.match_labels, sel.match_expressions.is_some_and(|e| !e.is_empty()))
        }
        _ => (None, false),
    };
    if expressions {
        return Err(KubectlError::msg(messages::expose_selector_expressions("...")));
    }
    Ok(labels.unwrap_or_default())
}

/// `PortsForObject` and `ProtocolsForObject`: container (or service) ports
/// as strings, and port → protocol.
fn ports_of(object: &Object) -> (Vec<String>, BTreeMap<String, String>) {
    let containers = match object {
        Object::Pod(p) => p.spec.as_ref().map(|s| s.containers.clone()),
        Object::Deployment(d) => {
            d.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map(|s| s.containers.clone())
        }
        Object::ReplicaSet(rs) => rs
            .spec
            .as_ref()
            .and_then(|s| s.template.as_ref())
            .and_then(|t| t.spec.as_ref())
            .map(|s| s.containers.clone()),
        Object::Service(s) => {
            let ports = s.spec.as_ref().and_then(|s| s.ports.clone()).unwrap_or_default();
            let list = ports.iter().map(|p| p.port.to_string()).collect();
            let protocols = ports
                .iter()
                .map(|p| (p.port.to_string(), p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                .collect();
            return (list, protocols);
        }
        _ => None,
    };
    let mut list = Vec::new();
    let mut protocols = BTreeMap::new();
    for c in containers.unwrap_or_default() {
        for p in c.ports.unwrap_or_default() {
            list.push(p.container_port.to_string());
            protocols
                .insert(p.container_port.to_string(), p.protocol.unwrap_or_else(|| "TCP".into()));
        }
    }
    (list, protocols)
}
