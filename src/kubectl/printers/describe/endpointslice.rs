//! The EndpointSlice page (`describeEndpointSliceV1`,
//! `kubectl/pkg/describe/describe.go`, v1.22): the address type, a ports
//! table, then one `- Addresses:` block per endpoint with its Ready
//! condition, hostname, target and placement.

use k8s_openapi::api::{core::v1::Event, discovery::v1::EndpointSlice};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, Writer, annotations_multiline, events,
    labels_multiline,
};
use crate::version::Fact;

/// The page `kubectl describe endpointslice` prints.
pub fn describe_endpoint_slice(
    eps: &EndpointSlice,
    eps_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    const UNSET: &str = "<unset>";
    let mut w = Writer::default();
    let meta = &eps.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("AddressType:\t{}\n", eps.address_type));

    // No tab after `Ports:` / `Endpoints:` when empty: describe.go writes
    // "Ports: <unset>" and "Endpoints: <none>" with a plain space.
    let ports = eps.ports.as_deref().unwrap_or_default();
    if ports.is_empty() {
        w.write(LEVEL_0, "Ports: <unset>\n");
    } else {
        w.write(LEVEL_0, "Ports:\n");
        w.write(LEVEL_1, "Name\tPort\tProtocol\n");
        w.write(LEVEL_1, "----\t----\t--------\n");
        for p in ports {
            let name = p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(UNSET);
            let port = p.port.map_or_else(|| UNSET.to_owned(), |n| n.to_string());
            // `*port.Protocol`: the API server defaults it to TCP.
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            w.write(LEVEL_1, &format!("{name}\t{port}\t{protocol}\n"));
        }
    }

    if eps.endpoints.is_empty() {
        w.write(LEVEL_0, "Endpoints: <none>\n");
    } else {
        w.write(LEVEL_0, "Endpoints:\n");
        for e in &eps.endpoints {
            // v1 joins with ", " (v1beta1's page joins with ",").
            let addresses = e.addresses.join(", ");
            let addresses = if addresses.is_empty() { "<none>" } else { addresses.as_str() };
            w.write(LEVEL_1, &format!("- Addresses:\t{addresses}\n"));
            w.write(LEVEL_2, "Conditions:\n");
            let ready = e
                .conditions
                .as_ref()
                .and_then(|c| c.ready)
                .map_or_else(|| UNSET.to_owned(), |r| r.to_string());
            w.write(LEVEL_3, &format!("Ready:\t{ready}\n"));
            w.write(LEVEL_2, &format!("Hostname:\t{}\n", e.hostname.as_deref().unwrap_or(UNSET)));
            if let Some(t) = &e.target_ref {
                w.write(
                    LEVEL_2,
                    &format!(
                        "TargetRef:\t{}/{}\n",
                        t.kind.as_deref().unwrap_or_default(),
                        t.name.as_deref().unwrap_or_default()
                    ),
                );
            }
            w.write(LEVEL_2, &format!("NodeName:\t{}\n", e.node_name.as_deref().unwrap_or(UNSET)));
            w.write(LEVEL_2, &format!("Zone:\t{}\n", e.zone.as_deref().unwrap_or(UNSET)));
        }
    }
    if let Some(list) = eps_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// The EndpointSlices labelled `kubernetes.io/service-name=<service>` in
/// `ns` (the list kubectl asks for), in list order.
pub fn of_service<'a>(
    slices: impl Iterator<Item = &'a EndpointSlice>,
    ns: &str,
    service: &str,
) -> Vec<&'a EndpointSlice> {
    slices
        .filter(|s| s.metadata.namespace.as_deref() == Some(ns))
        .filter(|s| {
            s.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/service-name"))
                .map(String::as_str)
                == Some(service)
        })
        .collect()
}

/// `formatEndpointSlices(slices, {port_name})` (`describe.go`, from
/// kubectl 1.31): `ip:port` of the endpoints behind the slices' ports
/// named `port_name`, at most three then ` + N more...`; bare addresses
/// of slices without ports; `<none>` without any slice, and an empty text
/// for slices without endpoints. From kubectl 1.32 only ready endpoints
/// (`conditions.ready` unset counts as ready) are listed
/// ([`Fact::DescribeEndpointSlicesReadyOnly`]); the `more` mark is set
/// before the readiness check, as upstream does.
pub fn format_endpoint_slices(
    slices: &[&EndpointSlice],
    port_name: &str,
    env: &DescribeEnv,
) -> String {
    if slices.is_empty() {
        return "<none>".to_owned();
    }
    const MAX: usize = 3;
    let ready_only = env.has(Fact::DescribeEndpointSlicesReadyOnly);
    let listed = |e: &k8s_openapi::api::discovery::v1::Endpoint| {
        !ready_only || e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true)
    };
    // Each endpoint once per matching port of its slice (bare, `None`,
    // for a slice without ports), in upstream's order.
    let targets = slices.iter().flat_map(|slice| {
        let ports = slice.ports.as_deref().unwrap_or_default();
        let ports: Vec<Option<i32>> = if ports.is_empty() {
            vec![None]
        } else {
            ports
                .iter()
                .filter(|p| p.name.as_deref().unwrap_or_default() == port_name)
                .map(|p| Some(p.port.unwrap_or(0)))
                .collect()
        };
        ports.into_iter().flat_map(move |port| slice.endpoints.iter().map(move |e| (e, port)))
    });
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for (e, port) in targets {
        if list.len() == MAX {
            more = true;
        }
        if !listed(e) {
            continue;
        }
        if !more {
            let addr = e.addresses.first().cloned().unwrap_or_default();
            list.push(match port {
                None => addr,
                Some(port) if addr.contains(':') => format!("[{addr}]:{port}"),
                Some(port) => format!("{addr}:{port}"),
            });
        }
        count += 1;
    }
    let joined = list.join(",");
    if more { format!("{joined} + {} more...", count - MAX) } else { joined }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::env;

    // Expected text derived from describe.go and Go's tabwriter (padding
    // 2; a column block is a run of lines holding a tab). `Name:` through
    // `AddressType:` are one block (widest `Annotations:`, 12 + 2 = 14);
    // `Ports:` has no tab and ends it. The ports table is its own block
    // (`<unset>` is the widest name). `Endpoints:` and each `Conditions:`
    // break blocks: the first `- Addresses:` stands alone (14 + 2), then
    // `Ready:` through `Zone:` and the next endpoint's `- Addresses:` form
    // one block (widest `    TargetRef:` and `  - Addresses:`, 14 + 2 =
    // 16), the last one running on into `Events:`.
    #[test]
    fn service_slice_with_two_endpoints() {
        let eps: EndpointSlice = serde_json::from_value(json!({
            "metadata": {"name": "web-r72vm", "namespace": "default",
                "labels": {"app": "web",
                    "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                    "kubernetes.io/service-name": "web"}},
            "addressType": "IPv4",
            "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
            "endpoints": [
                {"addresses": ["10.244.1.3"], "conditions": {"ready": true},
                 "nodeName": "worker1",
                 "targetRef": {"kind": "Pod", "name": "web-7957885594-gmpdq", "namespace": "default"}},
                {"addresses": ["10.244.2.4"], "conditions": {"ready": false},
                 "nodeName": "worker2",
                 "targetRef": {"kind": "Pod", "name": "web-7957885594-h5rhq", "namespace": "default"}}
            ]
        }))
        .unwrap();
        let page = describe_endpoint_slice(&eps, Some(&[]), &env());
        let expected = "\
Name:         web-r72vm
Namespace:    default
Labels:       app=web
              endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
  - Addresses:  10.244.1.3
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7957885594-gmpdq
    NodeName:   worker1
    Zone:       <unset>
  - Addresses:  10.244.2.4
    Conditions:
      Ready:    false
    Hostname:   <unset>
    TargetRef:  Pod/web-7957885594-h5rhq
    NodeName:   worker2
    Zone:       <unset>
Events:         <none>
";
        assert_eq!(page, expected);
    }

    #[test]
    fn empty_slice() {
        let eps: EndpointSlice = serde_json::from_value(json!({
            "metadata": {"name": "db-x2k9q", "namespace": "default"},
            "addressType": "IPv4",
            "endpoints": []
        }))
        .unwrap();
        let page = describe_endpoint_slice(&eps, None, &env());
        let expected = "\
Name:         db-x2k9q
Namespace:    default
Labels:       <none>
Annotations:  <none>
AddressType:  IPv4
Ports: <unset>
Endpoints: <none>
";
        assert_eq!(page, expected);
    }
}
