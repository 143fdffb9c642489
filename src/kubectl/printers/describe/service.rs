//! `describeService` (`kubectl/pkg/describe/describe.go`, v1.22). From
//! kubectl 1.31 the `Endpoints:` lines come from the Service's
//! EndpointSlices, not its Endpoints ([`Fact::DescribeServiceEndpointSlices`]).

use crate::version::Fact;
use k8s_openapi::{
    api::{
        core::v1::{Endpoints, Event, Service},
        discovery::v1::EndpointSlice,
    },
    apimachinery::pkg::util::intstr::IntOrString,
};

use super::{
    DescribeEnv, LEVEL_0, Writer, annotations_multiline, endpoints::format_endpoints,
    endpointslice::format_endpoint_slices, events, labels_multiline,
};
use crate::kubectl::labels::format_labels;

/// The page `kubectl describe service` prints; `endpoints` is the
/// Endpoints object of the same name, if any (read up to kubectl 1.30),
/// `slices` the EndpointSlices labelled with the Service's name (read
/// from 1.31).
pub fn describe_service(
    svc: &Service,
    endpoints: Option<&Endpoints>,
    slices: &[&EndpointSlice],
    svc_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &svc.metadata;
    let spec = svc.spec.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Selector:\t{}\n", format_labels(spec.selector.as_ref())));
    w.write(LEVEL_0, &format!("Type:\t{}\n", spec.type_.as_deref().unwrap_or_default()));
    // kubectl before v1.20 (`describe.go` v1.15.0) knows neither the
    // families nor `clusterIPs`.
    let dual_stack = env.has(Fact::DescribeServiceIPFamilies);
    if let Some(policy) = spec.ip_family_policy.as_ref().filter(|_| dual_stack) {
        w.write(LEVEL_0, &format!("IP Family Policy:\t{policy}\n"));
    }
    let families = spec.ip_families.as_deref().unwrap_or_default();
    if !dual_stack {
    } else if families.is_empty() {
        w.write(LEVEL_0, "IP Families:\t<none>\n");
    } else {
        w.write(LEVEL_0, &format!("IP Families:\t{}\n", families.join(",")));
    }
    w.write(LEVEL_0, &format!("IP:\t{}\n", spec.cluster_ip.as_deref().unwrap_or_default()));
    let ips = spec.cluster_ips.as_deref().unwrap_or_default();
    if !dual_stack {
    } else if ips.is_empty() {
        w.write(LEVEL_0, "IPs:\t<none>\n");
    } else {
        w.write(LEVEL_0, &format!("IPs:\t{}\n", ips.join(",")));
    }
    let external = spec.external_ips.as_deref().unwrap_or_default();
    if !external.is_empty() {
        w.write(LEVEL_0, &format!("External IPs:\t{}\n", external.join(",")));
    }
    // describe.go prints the requested load-balancer IP under the same
    // `IP:` title as the cluster IP.
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("IP:\t{ip}\n"));
    }
    if let Some(name) = spec.external_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("External Name:\t{name}\n"));
    }
    let ingress = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_deref())
        .unwrap_or_default();
    if !ingress.is_empty() {
        // `buildIngressString`: the IP, else the hostname.
        let list = ingress
            .iter()
            .map(|i| {
                i.ip.clone()
                    .filter(|ip| !ip.is_empty())
                    .or_else(|| i.hostname.clone())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(", ");
        w.write(LEVEL_0, &format!("LoadBalancer Ingress:\t{list}\n"));
    }
    for sp in spec.ports.iter().flatten() {
        let port_name = sp.name.as_deref().unwrap_or_default();
        let name = if port_name.is_empty() { "<unset>" } else { port_name };
        let protocol = sp.protocol.as_deref().unwrap_or_default();
        w.write(LEVEL_0, &format!("Port:\t{name}\t{}/{protocol}\n", sp.port));
        // An unset targetPort is the zero IntOrString: `0/TCP`.
        let target = match &sp.target_port {
            Some(IntOrString::Int(i)) => i.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            None => "0".to_owned(),
        };
        w.write(LEVEL_0, &format!("TargetPort:\t{target}/{protocol}\n"));
        if let Some(node_port) = sp.node_port.filter(|p| *p != 0) {
            w.write(LEVEL_0, &format!("NodePort:\t{name}\t{node_port}/{protocol}\n"));
        }
        let listed = if env.has(Fact::DescribeServiceEndpointSlices) {
            format_endpoint_slices(slices, port_name, env)
        } else {
            format_endpoints(endpoints, Some(port_name))
        };
        w.write(LEVEL_0, &format!("Endpoints:\t{listed}\n"));
    }
    w.write(
        LEVEL_0,
        &format!("Session Affinity:\t{}\n", spec.session_affinity.as_deref().unwrap_or_default()),
    );
    if let Some(p) = spec.external_traffic_policy.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("External Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = spec
        .internal_traffic_policy
        .as_deref()
        .filter(|_| env.has(Fact::DescribeServiceInternalTrafficPolicy))
    {
        w.write(LEVEL_0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = spec.health_check_node_port.filter(|p| *p != 0) {
        w.write(LEVEL_0, &format!("HealthCheck NodePort:\t{p}\n"));
    }
    let ranges = spec.load_balancer_source_ranges.as_deref().unwrap_or_default();
    if !ranges.is_empty() {
        w.write(LEVEL_0, &format!("LoadBalancer Source Ranges:\t{}\n", ranges.join(",")));
    }
    if let Some(list) = svc_events {
        events(&mut w, list, env);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{env, event};

    #[test]
    fn cluster_ip_service() {
        let svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"type": "ClusterIP", "selector": {"app": "web"},
                "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"],
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
                "sessionAffinity": "None"}
        }))
        .unwrap();
        let ep: Endpoints = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default"},
            "subsets": [{"addresses": [{"ip": "10.244.1.3"}, {"ip": "10.244.2.4"}],
                "ports": [{"port": 8080, "protocol": "TCP"}]}]
        }))
        .unwrap();
        let page = describe_service(&svc, Some(&ep), &[], Some(&[]), &env());
        let expected = "\
Name:              web
Namespace:         default
Labels:            app=web
Annotations:       <none>
Selector:          app=web
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                10.96.12.34
IPs:               10.96.12.34
Port:              <unset>  80/TCP
TargetPort:        8080/TCP
Endpoints:         10.244.1.3:8080,10.244.2.4:8080
Session Affinity:  None
Events:            <none>
";
        assert_eq!(page, expected);
    }

    #[test]
    fn node_port_service_with_named_ports_and_events() {
        let svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "shop", "namespace": "prod"},
            "spec": {"type": "LoadBalancer", "selector": {"app": "shop", "tier": "web"},
                "clusterIP": "10.96.0.50", "clusterIPs": ["10.96.0.50"],
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                "ports": [
                    {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "web", "nodePort": 31080},
                    {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443, "nodePort": 31443}
                ],
                "sessionAffinity": "None", "externalTrafficPolicy": "Cluster"},
            "status": {"loadBalancer": {"ingress": [{"ip": "192.168.200.240"}]}}
        }))
        .unwrap();
        let ev = event(
            "Service",
            "shop",
            "IPAllocated",
            "metallb-controller",
            "Assigned IP [\"192.168.200.240\"]",
            "2022-11-16T03:19:00Z",
        );
        let page = describe_service(&svc, None, &[], Some(&[&ev]), &env());
        let expected = "\
Name:                     shop
Namespace:                prod
Labels:                   <none>
Annotations:              <none>
Selector:                 app=shop,tier=web
Type:                     LoadBalancer
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.0.50
IPs:                      10.96.0.50
LoadBalancer Ingress:     192.168.200.240
Port:                     http  80/TCP
TargetPort:               web/TCP
NodePort:                 http  31080/TCP
Endpoints:                <none>
Port:                     https  443/TCP
TargetPort:               8443/TCP
NodePort:                 https  31443/TCP
Endpoints:                <none>
Session Affinity:         None
External Traffic Policy:  Cluster
Events:
  Type    Reason       Age   From                Message
  ----    ------       ----  ----                -------
  Normal  IPAllocated  60s   metallb-controller  Assigned IP [\"192.168.200.240\"]
";
        assert_eq!(page, expected);
    }
}
