//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...`
//! (`kubectl/pkg/cmd/portforward/portforward.go`): picks the pod
//! (`polymorphichelpers.AttachablePodForObject`: a Service's or
//! controller's selector, the most active pod first), translates a
//! Service port to its target port (`translateServicePortToTargetPort`)
//! and a named container port to its number, checks that the pod runs, and
//! prints one `Forwarding from` line per local address (`client-go`
//! `tools/portforward/portforward.go` `listenOnPortAndAddress`). It then
//! runs until interrupted; the backend keeps the forward while it runs as a
//! background job and prints `Handling connection for PORT` per connection.

use k8s_openapi::{
    api::{
        apps::v1::{DaemonSet, Deployment, ReplicaSet},
        core::v1::{Pod, Service},
    },
    apimachinery::pkg::{apis::meta::v1::LabelSelector, util::intstr::IntOrString},
};

use super::Ctx;
use crate::{
    kubectl::{args, error::KubectlError, messages, resource},
    sim::{Cluster, Kind, Object, ObjectRef, Resource, labels, podutil},
};

/// One forwarded port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    /// The local port.
    pub local: u16,
    /// The local addresses listened on (`127.0.0.1`, `::1`).
    pub addresses: Vec<String>,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod forwarded to.
    pub pod: String,
    /// The pod's port.
    pub remote: u16,
}

/// Runs `kubectl port-forward` up to where it waits for connections.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let forwards = plan(ctx.cluster, ctx.inv, &ctx.namespace())?;
    for f in &forwards {
        for address in &f.addresses {
            let host = if address.contains(':') { format!("[{address}]") } else { address.clone() };
            ctx.stdout(format!("Forwarding from {host}:{} -> {}\n", f.local, f.remote));
        }
    }
    Ok(())
}

/// The forwards a `kubectl port-forward` argv sets up, if it is one that
/// succeeds; `context_namespace` is the kubeconfig's default.
pub fn forwards(
    cluster: &Cluster,
    argv: &[String],
    context_namespace: &str,
) -> Option<Vec<Forward>> {
    let inv = args::parse(argv).ok()?;
    if inv.path.as_slice() != ["port-forward"] {
        return None;
    }
    let ns =
        inv.value("namespace").filter(|n| !n.is_empty()).unwrap_or(context_namespace).to_owned();
    plan(cluster, &inv, &ns).ok()
}

fn plan(cluster: &Cluster, inv: &args::Invocation, ns: &str) -> Result<Vec<Forward>, KubectlError> {
    let usage = |m: &str| KubectlError::msg(messages::usage_error(m, "kubectl port-forward"));
    let [target, ports @ ..] = inv.args.as_slice() else {
        return Err(usage("TYPE/NAME and list of ports are required for port-forward"));
    };
    if ports.is_empty() {
        return Err(usage("TYPE/NAME and list of ports are required for port-forward"));
    }
    let (kind, name) = match target.split_once('/') {
        Some((ty, name)) => (resource::resolve_one(cluster.registry(), ty)?, name.to_owned()),
        None => (Kind::Pod, target.clone()),
    };
    let object = cluster.get(&ObjectRef::namespaced(kind, ns, &name))?.clone();
    let (pod, service) = match &object {
        Object::Pod(p) => (Pod::clone(p), None),
        Object::Service(s) => {
            let selector = s.spec.as_ref().and_then(|sp| sp.selector.clone()).unwrap_or_default();
            let selector = LabelSelector { match_labels: Some(selector), ..Default::default() };
            (first_pod(cluster, ns, &selector)?, Some(Service::clone(s)))
        }
        other => {
            let selector = match other {
                Object::Deployment(d) => Deployment::clone(d).spec.map(|s| s.selector),
                Object::ReplicaSet(r) => ReplicaSet::clone(r).spec.map(|s| s.selector),
                Object::DaemonSet(d) => DaemonSet::clone(d).spec.map(|s| s.selector),
                _ => None,
            };
            let Some(selector) = selector else {
                let k = kind.info().kind_name;
                return Err(KubectlError::msg(format!(
                    "cannot attach to {k}: selector for {k} not implemented"
                )));
            };
            (first_pod(cluster, ns, &selector)?, None)
        }
    };
    let phase = podutil::phase(&pod);
    if phase != "Running" {
        return Err(KubectlError::msg(format!(
            "unable to forward port because pod is not running. Current status={phase}"
        )));
    }
    let addresses = {
        let given = inv.strings("address");
        let given = if given.is_empty() { vec!["localhost".to_owned()] } else { given };
        given
            .into_iter()
            .flat_map(|a| match a.as_str() {
                "localhost" => vec!["127.0.0.1".to_owned(), "::1".to_owned()],
                _ => vec![a],
            })
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    for spec in ports {
        let (local, remote) = spec.split_once(':').unwrap_or((spec, spec));
        let remote = match &service {
            Some(svc) => service_target(svc, &pod, remote)?,
            None => container_port(&pod, remote)?,
        };
        let local = if local.is_empty() {
            return Err(KubectlError::unsupported(
                "kubectl port-forward to a random local port (`:REMOTE`)",
            ));
        } else {
            local.parse::<u16>().map_err(|_| {
                KubectlError::msg(format!("Error parsing local port '{local}': invalid syntax"))
            })?
        };
        out.push(Forward {
            local,
            addresses: addresses.clone(),
            namespace: ns.to_owned(),
            pod: pod.metadata.name.clone().unwrap_or_default(),
            remote,
        });
    }
    Ok(out)
}

/// `GetFirstPod` sorted by `sort.Reverse(podutils.ActivePods)`: running
/// and ready pods first, ready the longest, fewest restarts, oldest.
fn first_pod(cluster: &Cluster, ns: &str, selector: &LabelSelector) -> Result<Pod, KubectlError> {
    let mut pods: Vec<Pod> = cluster
        .list(Kind::Pod, Some(ns))
        .into_iter()
        .filter_map(Pod::from_object)
        .filter(|p| labels::selector_matches(selector, p.metadata.labels.as_ref()))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .cloned()
        .collect();
    pods.sort_by_key(|p| {
        let phase = match podutil::phase(p) {
            "Running" => 0,
            "Unknown" => 1,
            _ => 2,
        };
        (
            podutil::node_name(p).is_none(),
            phase,
            !podutil::is_ready(p),
            podutil::ready_since(p),
            podutil::restarts(p),
            p.metadata.creation_timestamp.as_ref().map(|t| t.0),
        )
    });
    pods.into_iter().next().ok_or_else(|| KubectlError::msg("timed out waiting for the condition"))
}

/// A pod port given as a number or a container port name.
fn container_port(pod: &Pod, port: &str) -> Result<u16, KubectlError> {
    if let Ok(n) = port.parse::<u16>() {
        return Ok(n);
    }
    named_port(pod, port).ok_or_else(|| {
        KubectlError::msg(format!(
            "Pod '{}' does not have a named port '{port}'",
            pod.metadata.name.as_deref().unwrap_or_default()
        ))
    })
}

fn named_port(pod: &Pod, name: &str) -> Option<u16> {
    pod.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .flat_map(|c| c.ports.iter().flatten())
        .find(|p| p.name.as_deref() == Some(name))
        .and_then(|p| u16::try_from(p.container_port).ok())
}

/// `translateServicePortToTargetPort` for one port: the Service port (by
/// number or name) → its target port on `pod`.
fn service_target(svc: &Service, pod: &Pod, remote: &str) -> Result<u16, KubectlError> {
    let name = svc.metadata.name.as_deref().unwrap_or_default();
    let ports = svc.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or_default();
    let port = match remote.parse::<i32>() {
        Ok(n) => ports.iter().find(|p| p.port == n).ok_or_else(|| {
            KubectlError::msg(format!("Service {name} does not have a service port {n}"))
        })?,
        Err(_) => ports.iter().find(|p| p.name.as_deref() == Some(remote)).ok_or_else(|| {
            KubectlError::msg(format!("Service '{name}' does not have a named port '{remote}'"))
        })?,
    };
    match &port.target_port {
        Some(IntOrString::Int(n)) if *n != 0 => Ok(u16::try_from(*n).unwrap_or_default()),
        Some(IntOrString::String(named)) => named_port(pod, named).ok_or_else(|| {
            KubectlError::msg(format!(
                "Pod '{}' does not have a named port '{named}'",
                pod.metadata.name.as_deref().unwrap_or_default()
            ))
        }),
        _ => Ok(u16::try_from(port.port).unwrap_or_default()),
    }
}
