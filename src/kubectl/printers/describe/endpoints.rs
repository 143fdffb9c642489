//! `describeEndpoints` and `formatEndpoints`
//! (`kubectl/pkg/describe/describe.go`, v1.22; unchanged through v1.28).

use k8s_openapi::api::core::v1::{Endpoints, Event};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, LEVEL_2, Writer, annotations_multiline, events, labels_multiline,
};

/// The page `kubectl describe endpoints` prints.
pub fn describe_endpoints(
    ep: &Endpoints,
    ep_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &ep.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, "Subsets:\n");
    for subset in ep.subsets.iter().flatten() {
        let ips = |list: &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
            let text = list.iter().flatten().map(|a| a.ip.as_str()).collect::<Vec<_>>().join(",");
            if text.is_empty() { "<none>".to_owned() } else { text }
        };
        w.write(LEVEL_1, &format!("Addresses:\t{}\n", ips(&subset.addresses)));
        w.write(LEVEL_1, &format!("NotReadyAddresses:\t{}\n", ips(&subset.not_ready_addresses)));
        let ports = subset.ports.as_deref().unwrap_or_default();
        if !ports.is_empty() {
            w.write(LEVEL_1, "Ports:\n");
            w.write(LEVEL_2, "Name\tPort\tProtocol\n");
            w.write(LEVEL_2, "----\t----\t--------\n");
            for p in ports {
                let name = p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
                w.write(
                    LEVEL_2,
                    &format!("{name}\t{}\t{}\n", p.port, p.protocol.as_deref().unwrap_or_default()),
                );
            }
        }
        w.write(LEVEL_0, "\n");
    }
    if let Some(list) = ep_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `formatEndpoints`: `ip:port` of the addresses behind the ports named
/// `port_name` (`None`: every port), at most three then ` + N more...`;
/// `<none>` without subsets. Headless subsets without ports list bare IPs.
pub fn format_endpoints(endpoints: Option<&Endpoints>, port_name: Option<&str>) -> String {
    let subsets = endpoints.and_then(|e| e.subsets.as_deref()).unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".to_owned();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or_default();
        let ports = ss.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            for a in addresses {
                if list.len() < MAX {
                    list.push(a.ip.clone());
                }
                count += 1;
            }
            continue;
        }
        for p in ports {
            if port_name.is_some_and(|n| n != p.name.as_deref().unwrap_or_default()) {
                continue;
            }
            for a in addresses {
                if list.len() < MAX {
                    list.push(join_host_port(&a.ip, p.port));
                }
                count += 1;
            }
        }
    }
    let text = list.join(",");
    if count > MAX { format!("{text} + {} more...", count - MAX) } else { text }
}

/// Go's `net.JoinHostPort`: IPv6 hosts in brackets.
fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{assert_same_text, env};

    #[test]
    fn endpoints_page() {
        let ep: Endpoints = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"},
                "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2022-11-16T03:08:31Z"}},
            "subsets": [{
                "addresses": [{"ip": "10.244.1.3"}, {"ip": "10.244.2.4"}],
                "notReadyAddresses": [{"ip": "10.244.1.5"}],
                "ports": [{"name": "http", "port": 80, "protocol": "TCP"},
                          {"port": 9090, "protocol": "UDP"}]
            }]
        }))
        .unwrap();
        let page = describe_endpoints(&ep, Some(&[]), &env());
        let expected = "\
Name:         web
Namespace:    default
Labels:       app=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2022-11-16T03:08:31Z
Subsets:
  Addresses:          10.244.1.3,10.244.2.4
  NotReadyAddresses:  10.244.1.5
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    http     80    TCP
    <unset>  9090  UDP

Events:  <none>
";
        assert_eq!(page, expected);
    }

    #[test]
    fn endpoints_page_without_subsets() {
        let ep: Endpoints = serde_json::from_value(json!({
            "metadata": {"name": "db", "namespace": "default"}
        }))
        .unwrap();
        let page = describe_endpoints(&ep, None, &env());
        assert_same_text(
            &page,
            "Name:         db\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\nSubsets:\n",
        );
    }

    #[test]
    fn endpoints_text_caps_at_three() {
        let ep: Endpoints = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "subsets": [{
                "addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}, {"ip": "10.0.0.3"},
                              {"ip": "10.0.0.4"}, {"ip": "fd00::5"}],
                "ports": [{"port": 80}, {"name": "metrics", "port": 9100}]
            }]
        }))
        .unwrap();
        assert_eq!(
            format_endpoints(Some(&ep), Some("")),
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more..."
        );
        assert_eq!(
            format_endpoints(Some(&ep), None),
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 7 more..."
        );
        assert_eq!(format_endpoints(None, Some("")), "<none>");
        let few: Endpoints = serde_json::from_value(json!({
            "subsets": [{"addresses": [{"ip": "fd00::5"}], "ports": [{"name": "metrics", "port": 9100}]}]
        }))
        .unwrap();
        assert_eq!(format_endpoints(Some(&few), Some("metrics")), "[fd00::5]:9100");
        assert_eq!(format_endpoints(Some(&few), Some("")), "");
    }
}
