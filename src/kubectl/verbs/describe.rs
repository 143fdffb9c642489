//! `kubectl describe` (`kubectl/pkg/cmd/describe/describe.go`, v1.22): one
//! page per object, pages separated by two blank lines; with two arguments
//! and a NotFound, `DescribeMatchingResources` describes the objects of the
//! first argument whose names start with the second, each page followed by
//! one blank line. The pages themselves are in `printers::describe`.

use crate::version::Fact;
use k8s_openapi::{
    api::{
        apps::v1::StatefulSet,
        core::v1::{Event, PersistentVolume, PersistentVolumeClaim, Pod},
        networking::v1::{Ingress, NetworkPolicy},
    },
    apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta},
};

use super::Ctx;
use crate::{
    kubectl::{
        deployutil,
        error::KubectlError,
        labels::Selector,
        messages,
        printers::describe::{
            DescribeEnv, PodCounts,
            configmap::describe_config_map,
            cronjob::describe_cron_job,
            daemonset::describe_daemon_set,
            deployment::describe_deployment,
            endpoints::describe_endpoints,
            endpointslice::{self, describe_endpoint_slice},
            generic::describe_generic,
            hpa::describe_hpa,
            ingress::{BackendObjects, describe_ingress},
            job::describe_job,
            limitrange::describe_limit_range,
            namespace::describe_namespace,
            network_policy::describe_network_policy,
            persistent_volume::{
                describe_persistent_volume, describe_persistent_volume_claim, pods_for_claim,
            },
            pod::describe_pod,
            pod_disruption_budget::describe_pod_disruption_budget,
            rbac,
            replicaset::describe_replica_set,
            resourcequota::describe_quota,
            secret::describe_secret,
            service::describe_service,
            serviceaccount::describe_service_account,
            statefulset::describe_stateful_set,
        },
        resource::{self, Request},
    },
    sim::{ApiError, Cluster, Kind, Object, ObjectRef, quota},
};

/// Runs `kubectl describe`.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    if inv.args.is_empty() && ctx.filename_options().is_empty() {
        return Err(KubectlError::msg(messages::describe_requires_type()));
    }
    let namespace = ctx.namespace();
    let all_namespaces = inv.bool("all-namespaces");
    let show_events = inv.value("show-events").is_none_or(|v| v != "false");
    let selector = match inv.value("selector") {
        Some(s) => Some(Selector::parse(s).map_err(KubectlError::msg)?),
        None => None,
    };
    let requests = ctx.requests_in(&namespace)?;
    let requested = inv
        .args
        .first()
        .and_then(|w| super::get::explicit_api_version(w, ctx.cluster.config().version));
    let mut objects: Vec<Object> = Vec::new();
    let mut errors: Vec<KubectlError> = Vec::new();
    let mut not_found = false;
    for (request, request_namespace) in &requests {
        let ns = request.kind().info().namespaced.then_some(request_namespace.as_str());
        ctx.warn_deprecated_kind(request.kind());
        match request {
            Request::List(kind) => {
                let scope = if all_namespaces { None } else { ns };
                objects.extend(
                    ctx.cluster
                        .list(*kind, scope)
                        .into_iter()
                        .filter(|o| {
                            selector.as_ref().is_none_or(|s| s.matches(o.meta().labels.as_ref()))
                        })
                        .cloned(),
                );
            }
            Request::Named(kind, name) => {
                let r = match ns {
                    Some(ns) => ObjectRef::namespaced(*kind, ns, name),
                    None => ObjectRef::cluster(*kind, name),
                };
                match ctx.cluster.get(&r) {
                    Ok(o) => objects.push(o.clone()),
                    Err(e) => {
                        not_found |= matches!(e, ApiError::NotFound { .. });
                        errors.push(e.into());
                    }
                }
            }
        }
    }

    let env = DescribeEnv {
        now: ctx.now(),
        utc_offset_seconds: ctx.cluster.config().utc_offset_seconds,
        minor: ctx.minor,
    };
    // `DescribeMatchingResources`: with exactly two arguments and one
    // NotFound, kubectl re-reads the first argument alone and describes
    // those of its objects whose names start with the second (`describe svc
    // we` describes `web` and `web-public`); with none, the original error.
    // A `TYPE/NAME` first argument is one object — or its own NotFound, and
    // nothing else is printed (`describe svc/web svc/nope` prints only the
    // error).
    if not_found && inv.args.len() == 2 && errors.len() == 1 {
        let candidates: Vec<Object> =
            match resource::parse(ctx.cluster.registry(), &inv.args[..1], true)?.as_slice() {
                [Request::List(kind)] => {
                    let ns = kind.info().namespaced.then_some(namespace.as_str());
                    ctx.cluster.list(*kind, ns).into_iter().cloned().collect()
                }
                [Request::Named(kind, name)] => {
                    let r = match kind.info().namespaced {
                        true => ObjectRef::namespaced(*kind, &namespace, name),
                        false => ObjectRef::cluster(*kind, name),
                    };
                    vec![ctx.cluster.get(&r).map_err(KubectlError::from)?.clone()]
                }
                _ => Vec::new(),
            };
        let prefix = inv.args[1].as_str();
        let matching: Vec<&Object> =
            candidates.iter().filter(|o| o.name().starts_with(prefix)).collect();
        if matching.is_empty() {
            return Err(errors.remove(0));
        }
        for o in matching {
            let page = describe(ctx.cluster, o, show_events, &env, requested.as_deref())?;
            ctx.stdout(format!("{page}\n"));
        }
        return Ok(());
    }

    let mut first = true;
    for o in &objects {
        match describe(ctx.cluster, o, show_events, &env, requested.as_deref()) {
            Ok(page) => {
                if first {
                    first = false;
                    ctx.stdout(page);
                } else {
                    ctx.stdout(format!("\n\n{page}"));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if objects.is_empty() && errors.is_empty() {
        let scope = (!all_namespaces).then_some(namespace.as_str());
        ctx.stderr(messages::describe_found_nothing(ctx.minor, scope));
    }
    if errors.is_empty() { Ok(()) } else { Err(KubectlError::Aggregate(errors)) }
}

/// Events about `object` (`searchEvents`: same name, namespace and uid),
/// in creation order.
fn events_for<'a>(cluster: &'a Cluster, object: &Object) -> Vec<&'a Event> {
    let ns = object.namespace().unwrap_or("default");
    let uid = object.meta().uid.as_deref();
    let kind_name = object.kind().info().kind_name;
    let mut list: Vec<&Event> = cluster
        .list(crate::sim::Kind::Event, Some(ns))
        .into_iter()
        .filter_map(|o| match o {
            Object::Event(e) => Some(e),
            _ => None,
        })
        .filter(|e| {
            let io = &e.involved_object;
            io.name.as_deref() == Some(object.name())
                && match (io.uid.as_deref(), uid) {
                    (Some(a), Some(b)) if !a.is_empty() => a == b,
                    _ => io.kind.as_deref().is_none_or(|k| k == kind_name),
                }
        })
        .collect();
    list.sort_by(|a, b| {
        let ta = a.metadata.creation_timestamp.as_ref().map(|t| t.0);
        let tb = b.metadata.creation_timestamp.as_ref().map(|t| t.0);
        ta.cmp(&tb).then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    list
}

/// The describe page of one object.
fn describe(
    cluster: &Cluster,
    object: &Object,
    show_events: bool,
    env: &DescribeEnv,
    requested: Option<&str>,
) -> Result<String, KubectlError> {
    let events = show_events.then(|| events_for(cluster, object));
    match object {
        Object::Pod(p) => Ok(describe_pod(p, events.as_deref(), env)),
        Object::Deployment(d) => {
            let owned = deployutil::owned_replica_sets(cluster, d);
            let (new, old, all_old) = deployutil::split_replica_sets(d, &owned);
            // `GetAllReplicaSetsInChunks` returns (old with replicas, all
            // old, new); DeploymentDescriber lists the first, later all.
            let old: Vec<_> = if env.has(Fact::DescribeDeploymentAllOldReplicaSets) {
                all_old.iter().collect()
            } else {
                old.iter().collect()
            };
            Ok(describe_deployment(d, &old, new.as_ref(), events.as_deref(), env))
        }
        Object::Node(n) => Ok(describe_node_page(cluster, n, events.as_deref(), env)),
        Object::ReplicaSet(rs) => {
            let pods = selected_pods(cluster, &rs.metadata, rs.spec.as_ref().map(|s| &s.selector));
            Ok(describe_replica_set(rs, &pods, events.as_deref(), env))
        }
        Object::DaemonSet(ds) => {
            let pods = selected_pods(cluster, &ds.metadata, ds.spec.as_ref().map(|s| &s.selector));
            let counts = PodCounts::controlled_by(&pods, ds.metadata.uid.as_deref());
            Ok(describe_daemon_set(ds, &counts, events.as_deref(), env))
        }
        Object::Service(svc) => {
            // `ServiceDescriber`: the Endpoints of the same name, if any.
            let r = ObjectRef::namespaced(
                Kind::Endpoints,
                svc.metadata.namespace.as_deref().unwrap_or("default"),
                svc.metadata.name.as_deref().unwrap_or_default(),
            );
            let endpoints = match cluster.get(&r) {
                Ok(Object::Endpoints(ep)) => Some(ep),
                _ => None,
            };
            // From kubectl 1.31: the EndpointSlices labelled with its name.
            let namespace = svc.metadata.namespace.as_deref().unwrap_or("default");
            let all = cluster.list(Kind::EndpointSlice, Some(namespace));
            let slices = endpointslice::of_service(
                all.iter().filter_map(|o| match o {
                    Object::EndpointSlice(e) => Some(e),
                    _ => None,
                }),
                namespace,
                svc.metadata.name.as_deref().unwrap_or_default(),
            );
            Ok(describe_service(svc, endpoints, &slices, events.as_deref(), env))
        }
        Object::Endpoints(ep) => Ok(describe_endpoints(ep, events.as_deref(), env)),
        Object::ConfigMap(cm) => Ok(describe_config_map(cm, events.as_deref(), env)),
        Object::Secret(secret) => Ok(describe_secret(secret)),
        Object::Namespace(ns) => {
            let name = ns.metadata.name.as_deref().unwrap_or_default();
            let quotas = quota::quotas(cluster.store(), name);
            let ranges = quota::limit_ranges(cluster.store(), name);
            Ok(describe_namespace(ns, &quotas, &ranges, env))
        }
        Object::Generic(_) if object.kind() == quota::quota_kind() => {
            Ok(quota::typed(object).map(|q| describe_quota(&q)).unwrap_or_default())
        }
        Object::Generic(_) if object.kind() == quota::limit_range_kind() => {
            Ok(quota::typed(object).map(|l| describe_limit_range(&l)).unwrap_or_default())
        }
        Object::ServiceAccount(sa) => {
            let secrets: Vec<_> = cluster
                .list(Kind::Secret, sa.metadata.namespace.as_deref())
                .into_iter()
                .filter_map(|o| match o {
                    Object::Secret(s) => Some(s),
                    _ => None,
                })
                .collect();
            Ok(describe_service_account(sa, &secrets, events.as_deref(), env))
        }
        Object::HorizontalPodAutoscaler(h) => Ok(describe_hpa(h, events.as_deref(), env)),
        Object::Job(job) => Ok(describe_job(job, events.as_deref(), env)),
        Object::CronJob(cj) => Ok(describe_cron_job(cj, events.as_deref(), env)),
        Object::EndpointSlice(eps) => Ok(describe_endpoint_slice(eps, events.as_deref(), env)),
        // `describerMap`'s describers of kinds stored generically.
        Object::Generic(g) if is_kind(g, "storage.k8s.io", "StorageClass") => {
            crate::kubectl::printers::describe::storage_class::describe_storage_class(
                g,
                events.as_deref(),
                env,
            )
        }
        Object::Generic(g) if is_kind(g, "networking.k8s.io", "IngressClass") => {
            Ok(crate::kubectl::printers::describe::ingress_class::describe_ingress_class(
                g,
                events.as_deref(),
                env,
            ))
        }
        Object::Generic(g) if is_kind(g, "scheduling.k8s.io", "PriorityClass") => {
            Ok(crate::kubectl::printers::describe::priority_class::describe_priority_class(
                g,
                events.as_deref(),
                env,
            ))
        }
        Object::Generic(g) if is_kind(g, "apps", "StatefulSet") => {
            let Some(ss) = quota::typed::<StatefulSet>(object) else {
                return Err(undecodable(g));
            };
            let selector = ss.spec.as_ref().map(|s| &s.selector);
            let pods = selected_pods(cluster, &ss.metadata, selector);
            let counts = PodCounts::controlled_by(&pods, ss.metadata.uid.as_deref());
            describe_stateful_set(&ss, &counts, events.as_deref(), env)
        }
        Object::Generic(g) if is_kind(g, "", "PersistentVolume") => {
            let Some(pv) = quota::typed::<PersistentVolume>(object) else {
                return Err(undecodable(g));
            };
            describe_persistent_volume(&pv, events.as_deref(), env)
        }
        Object::Generic(g) if is_kind(g, "", "PersistentVolumeClaim") => {
            let Some(pvc) = quota::typed::<PersistentVolumeClaim>(object) else {
                return Err(undecodable(g));
            };
            let namespace_pods: Vec<&Pod> = cluster
                .list(Kind::Pod, pvc.metadata.namespace.as_deref())
                .into_iter()
                .filter_map(|o| match o {
                    Object::Pod(p) => Some(p),
                    _ => None,
                })
                .collect();
            let pods = pods_for_claim(&pvc, &namespace_pods, env);
            Ok(describe_persistent_volume_claim(&pvc, &pods, events.as_deref(), env))
        }
        Object::Generic(g) if is_kind(g, "networking.k8s.io", "NetworkPolicy") => {
            let Some(np) = quota::typed::<NetworkPolicy>(object) else {
                return Err(undecodable(g));
            };
            describe_network_policy(&np, env)
        }
        Object::Generic(g) if is_kind(g, "policy", "PodDisruptionBudget") => {
            let Some(pdb) = crate::sim::controllers::disruption::budget(object) else {
                return Err(undecodable(g));
            };
            describe_pod_disruption_budget(&pdb, events.as_deref(), env)
        }
        Object::Generic(g) if is_kind(g, "networking.k8s.io", "Ingress") => {
            let Some(ing) = quota::typed::<Ingress>(object) else {
                return Err(undecodable(g));
            };
            let objects = ingress_backend_objects(cluster, &ing);
            describe_ingress(&ing, &objects, events.as_deref(), env)
        }
        // `describerMap` has a dedicated describer for CSRs (it parses the
        // PKCS#10 request) that is not written yet: the generic dump would
        // not be what kubectl prints.
        Object::Generic(g) if is_kind(g, "certificates.k8s.io", "CertificateSigningRequest") => {
            Err(KubectlError::unsupported(format!("kubectl describe {}", g.kind.info().singular)))
        }
        // v1.22's `describerMap` has no describer for these kinds, so
        // `DescriberFor` misses and kubectl falls back to
        // `GenericDescriberFor` over the object as served.
        Object::Generic(g) if rbac::describes(g.kind.info().kind_name) => {
            Ok(rbac::describe_rbac(g))
        }
        Object::ControllerRevision(_) | Object::Event(_) | Object::Generic(_) => {
            // The object as served in the group-version asked for
            // (`events.events.k8s.io`: the events.k8s.io form).
            let mut value = requested
                .and_then(|v| {
                    crate::sim::conversion::served_in(object, v, cluster.config().version)
                })
                .unwrap_or_else(|| object.to_value());
            crate::kubectl::printers::yaml::go_zero_values(&mut value, env.minor);
            Ok(describe_generic(&value, events.as_deref(), env))
        }
    }
}

/// A stored object its k8s-openapi type does not decode (validation keeps
/// such objects out; this is the error if one got in).
fn undecodable(g: &crate::sim::GenericObject) -> KubectlError {
    KubectlError::unsupported(format!(
        "kubectl describe of a {} the simulator cannot decode",
        g.kind.info().kind_name
    ))
}

/// The Services, Endpoints and EndpointSlices an Ingress page reads: its
/// own namespace's and, before v1.24, kube-system's (the default backend).
fn ingress_backend_objects<'a>(cluster: &'a Cluster, ing: &Ingress) -> BackendObjects<'a> {
    let mut objects = BackendObjects::default();
    let ns = ing.metadata.namespace.as_deref().unwrap_or("default");
    for namespace in [ns, "kube-system"] {
        for o in cluster.list(Kind::Service, Some(namespace)) {
            if let Object::Service(s) = o {
                objects.services.push(s);
            }
        }
        for o in cluster.list(Kind::Endpoints, Some(namespace)) {
            if let Object::Endpoints(e) = o {
                objects.endpoints.push(e);
            }
        }
        for o in cluster.list(Kind::EndpointSlice, Some(namespace)) {
            if let Object::EndpointSlice(e) = o {
                objects.slices.push(e);
            }
        }
    }
    objects
}

/// Whether `g` is of the built-in kind `group`/`kind_name`.
fn is_kind(g: &crate::sim::GenericObject, group: &str, kind_name: &str) -> bool {
    let info = g.kind.info();
    info.group == group && info.kind_name == kind_name
}

/// `getPodStatusForController`'s list: the pods in the controller's
/// namespace matching its selector (the page keeps those it controls).
fn selected_pods<'a>(
    cluster: &'a Cluster,
    meta: &ObjectMeta,
    selector: Option<&LabelSelector>,
) -> Vec<&'a Pod> {
    cluster
        .list(Kind::Pod, meta.namespace.as_deref())
        .into_iter()
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .filter(|p| {
            selector.is_some_and(|s| {
                crate::sim::labels::selector_matches(s, p.metadata.labels.as_ref())
            })
        })
        .collect()
}

/// A node's page: its non-terminated pods and the lease its kubelet renews
/// every 10 s while it runs (stopped: the last renewal before it stopped,
/// which the Ready condition's heartbeat records).
fn describe_node_page(
    cluster: &Cluster,
    node: &k8s_openapi::api::core::v1::Node,
    events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    use crate::kubectl::printers::describe::node::{NodeContext, describe_node};
    let name = node.metadata.name.as_deref().unwrap_or_default();
    let pods = cluster
        .list(crate::sim::Kind::Pod, None)
        .into_iter()
        .filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
        .filter(|p| crate::sim::podutil::node_name(p) == Some(name))
        .filter(|p| !matches!(crate::sim::podutil::phase(p), "Succeeded" | "Failed"))
        .collect();
    let lease_renew = if cluster.kubelet_running(name) {
        let now = env.now.as_second();
        k8s_openapi::jiff::Timestamp::from_second(now - now.rem_euclid(10)).ok()
    } else {
        node.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .and_then(|c| c.last_heartbeat_time.as_ref())
            .map(|t| t.0)
    };
    describe_node(node, &NodeContext { lease_renew, pods }, events, env)
}
