//! `IngressDescriber.describeIngressV1` (`kubectl/pkg/describe/describe.go`),
//! the page of networking.k8s.io/v1 Ingresses, served from v1.19.
//!
//! Per version (read at each release tag's source):
//! - v1.19: a service backend prints `svc:port\t ENDPOINTS)` and, without
//!   HTTP rules, `\t* *` followed by Go's `%!(EXTRA string=…)`;
//! - v1.19–v1.23: without a default backend, kube-system's
//!   `default-http-backend:80` is looked up and printed;
//! - v1.22: a resource backend without `apiGroup` prints `<none>` (before,
//!   kubectl dereferenced the nil pointer and crashed: unsupported);
//! - v1.23: `Labels:` after `Name:`;
//! - v1.24: `Ingress Class:`, and `<default>` without a default backend;
//! - v1.31: endpoints come from the Service's EndpointSlices.
//!
//! Before v1.19 kubectl described the beta Ingress with another page:
//! reported unsupported.

use crate::version::Fact;
use std::collections::BTreeSet;

use k8s_openapi::api::{
    core::v1::{Endpoints, Event, Service},
    discovery::v1::EndpointSlice,
    networking::v1::{Ingress, IngressBackend},
};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, LEVEL_2, Writer, annotations_multiline,
    endpoints::format_endpoints, endpointslice, events, labels_multiline,
};
use crate::kubectl::error::KubectlError;

/// What the page reads besides the Ingress: the Services, Endpoints and
/// EndpointSlices of the namespaces its backends live in.
#[derive(Debug, Default)]
pub struct BackendObjects<'a> {
    /// Services.
    pub services: Vec<&'a Service>,
    /// Endpoints (read up to v1.30).
    pub endpoints: Vec<&'a Endpoints>,
    /// EndpointSlices (read from v1.31), in list order.
    pub slices: Vec<&'a EndpointSlice>,
}

impl BackendObjects<'_> {
    fn service(&self, ns: &str, name: &str) -> Option<&Service> {
        self.services.iter().copied().find(|s| {
            s.metadata.namespace.as_deref() == Some(ns) && s.metadata.name.as_deref() == Some(name)
        })
    }

    fn endpoints(&self, ns: &str, name: &str) -> Option<&Endpoints> {
        self.endpoints.iter().copied().find(|e| {
            e.metadata.namespace.as_deref() == Some(ns) && e.metadata.name.as_deref() == Some(name)
        })
    }
}

/// The page `kubectl describe ingress` prints.
pub fn describe_ingress(
    ing: &Ingress,
    objects: &BackendObjects<'_>,
    ing_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    if !env.has(Fact::DescribeIngressV1) {
        return Err(KubectlError::unsupported("kubectl describe ingress before v1.19"));
    }
    let meta = &ing.metadata;
    let ns = meta.namespace.as_deref().unwrap_or("default");
    let spec = ing.spec.clone().unwrap_or_default();
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    if env.has(Fact::DescribeIngressLabels) {
        labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    }
    w.write(LEVEL_0, &format!("Namespace:\t{ns}\n"));
    w.write(LEVEL_0, &format!("Address:\t{}\n", address(ing)));
    let default_backend = if env.has(Fact::DescribeIngressClass) {
        let class = spec.ingress_class_name.as_deref().unwrap_or("<none>");
        w.write(LEVEL_0, &format!("Ingress Class:\t{class}\n"));
        match &spec.default_backend {
            Some(b) => backend(b, ns, objects, env)?,
            None => "<default>".to_owned(),
        }
    } else {
        match &spec.default_backend {
            Some(b) => backend(b, ns, objects, env)?,
            None => {
                let fallback: IngressBackend = serde_json::from_value(serde_json::json!({
                    "service": {"name": "default-http-backend", "port": {"number": 80}}
                }))
                .expect("a valid backend");
                backend(&fallback, "kube-system", objects, env)?
            }
        }
    };
    w.write(LEVEL_0, &format!("Default backend:\t{default_backend}\n"));
    let tls = spec.tls.as_deref().unwrap_or_default();
    if !tls.is_empty() {
        w.write(LEVEL_0, "TLS:\n");
        for t in tls {
            let hosts = t.hosts.as_deref().unwrap_or_default().join(",");
            match t.secret_name.as_deref().filter(|s| !s.is_empty()) {
                None => w.write(LEVEL_1, &format!("SNI routes {hosts}\n")),
                Some(secret) => w.write(LEVEL_1, &format!("{secret} terminates {hosts}\n")),
            }
        }
    }
    w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n");
    w.write(LEVEL_1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in spec.rules.as_deref().unwrap_or_default() {
        let Some(http) = &rule.http else { continue };
        count += 1;
        let host = rule.host.as_deref().filter(|h| !h.is_empty()).unwrap_or("*");
        w.write(LEVEL_1, &format!("{host}\t\n"));
        for path in &http.paths {
            let text = backend(&path.backend, ns, objects, env)?;
            w.write(LEVEL_2, &format!("\t{} \t{text}\n", path.path.as_deref().unwrap_or_default()));
        }
    }
    if count == 0 {
        // v1.19 wrote `"\t%s %s\n", "*", "*", backend`, whose extra
        // argument Go appends as `%!(EXTRA string=…)`.
        if !env.has(Fact::DescribeIngressRulelessFixed) {
            w.write(LEVEL_1, &format!("\t* *\n%!(EXTRA string={default_backend})"));
        } else {
            w.write(LEVEL_1, &format!("*\t*\t{default_backend}\n"));
        }
    }
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    if let Some(list) = ing_events {
        events(&mut w, list, env);
    }
    Ok(w.finish())
}

/// `ingressLoadBalancerStatusStringerV1(…, wide)`: the sorted, distinct IPs
/// (else hostnames) of the load balancer.
fn address(ing: &Ingress) -> String {
    let entries = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_deref())
        .unwrap_or_default();
    let set: BTreeSet<&str> = entries
        .iter()
        .filter_map(|e| {
            e.ip.as_deref()
                .filter(|s| !s.is_empty())
                .or_else(|| e.hostname.as_deref().filter(|s| !s.is_empty()))
        })
        .collect();
    set.into_iter().collect::<Vec<_>>().join(",")
}

/// `describeBackendV1`.
fn backend(
    b: &IngressBackend,
    ns: &str,
    objects: &BackendObjects<'_>,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    if let Some(svc) = &b.service {
        let port = svc.port.clone().unwrap_or_default();
        let number = port.number.unwrap_or(0);
        let port_text =
            if number != 0 { number.to_string() } else { port.name.clone().unwrap_or_default() };
        let sb = format!("{}:{port_text}", svc.name);
        let slices = env.has(Fact::DescribeIngressEndpointSlices);
        let endpoints = if slices {
            None
        } else {
            match objects.endpoints(ns, &svc.name) {
                Some(e) => Some(e),
                None => {
                    return Ok(format!("{sb} (<error: endpoints \"{}\" not found>)", svc.name));
                }
            }
        };
        let Some(service) = objects.service(ns, &svc.name) else {
            // The missing space before `(` was fixed with the move to
            // EndpointSlices.
            let sep = if slices { " " } else { "" };
            return Ok(format!("{sb}{sep}(<error: services \"{}\" not found>)", svc.name));
        };
        let mut port_name = String::new();
        for sp in service.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or_default() {
            let sp_name = sp.name.clone().unwrap_or_default();
            let by_number = number != 0 && number == sp.port;
            let by_name = port.name.as_deref().is_some_and(|n| !n.is_empty() && n == sp_name);
            if by_number || by_name {
                port_name = sp_name;
            }
        }
        let ep = if slices {
            endpointslice::format_endpoint_slices(
                &slices_of(objects, ns, &svc.name),
                &port_name,
                env,
            )
        } else {
            format_endpoints(endpoints, Some(&port_name))
        };
        return Ok(if env.has(Fact::DescribeIngressRulelessFixed) {
            format!("{sb} ({ep})")
        } else {
            format!("{sb}\t {ep})")
        });
    }
    if let Some(r) = &b.resource {
        let group = match (&r.api_group, env.has(Fact::DescribeIngressResourceWithoutGroup)) {
            (Some(g), _) => g.clone(),
            (None, true) => "<none>".to_owned(),
            (None, false) => {
                return Err(KubectlError::unsupported(
                    "kubectl describe ingress of a resource backend without apiGroup before v1.22 (kubectl crashes)",
                ));
            }
        };
        return Ok(format!("APIGroup: {group}, Kind: {}, Name: {}", r.kind, r.name));
    }
    Ok(String::new())
}

/// The EndpointSlices of `service` among the page's objects.
fn slices_of<'a>(objects: &BackendObjects<'a>, ns: &str, service: &str) -> Vec<&'a EndpointSlice> {
    endpointslice::of_service(objects.slices.iter().copied(), ns, service)
}
