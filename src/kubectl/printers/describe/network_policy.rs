//! `describeNetworkPolicy` (`kubectl/pkg/describe/describe.go`; before
//! v1.13 `pkg/printers/internalversion/describe.go`, v1.13–v1.17
//! `pkg/kubectl/describe/versioned/describe.go`).
//!
//! Per version (read at each release tag's source):
//! - v1.10 printed peers as `From PodSelector: …` on one line: reported
//!   unsupported;
//! - v1.11–v1.16: both directions always print as `Allowing …`;
//! - from v1.17: a direction not in `policyTypes` prints `Not affecting …`;
//! - from v1.20 an egress rule without peers says `not restricted by
//!   destination` (was `by source`);
//! - from v1.31 a port with `endPort` prints `To Port Range: a-b/PROTO`
//!   (kubernetes PR #123316; kubectl v1.30 and earlier ignore `endPort`).

use crate::version::Fact;
use k8s_openapi::{
    api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort},
    apimachinery::pkg::util::intstr::IntOrString,
};

use super::{
    DescribeEnv, LEVEL_0, LEVEL_1, LEVEL_2, Writer, annotations_multiline, labels_multiline,
};
use crate::kubectl::{error::KubectlError, labels::format_label_selector};

/// The indent rules print at (`initialIndent` of the spec printers).
const INDENT: &str = "    ";

/// The page `kubectl describe networkpolicy` prints.
pub fn describe_network_policy(
    np: &NetworkPolicy,
    env: &DescribeEnv,
) -> Result<String, KubectlError> {
    if !env.has(Fact::DescribeNetworkPolicyPeers) {
        return Err(KubectlError::unsupported("kubectl describe networkpolicy before v1.11"));
    }
    // `Created on:` is `%s` of `metav1.Time`: Go's `time.Time.String()` in
    // kubectl's local zone, whose abbreviation only UTC gives away.
    if env.utc_offset_seconds != 0 {
        return Err(KubectlError::unsupported(
            "kubectl describe networkpolicy outside UTC (Go prints the zone's abbreviation)",
        ));
    }
    let meta = &np.metadata;
    let spec = np.spec.clone().unwrap_or_default();
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    let created = meta
        .creation_timestamp
        .as_ref()
        .map(|t| t.0.strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_else(|| "0001-01-01 00:00:00 +0000 UTC".to_owned());
    w.write(LEVEL_0, &format!("Created on:\t{created}\n"));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, "Spec:\n");
    w.write(LEVEL_1, "PodSelector: ");
    let selector = spec.pod_selector.clone().unwrap_or_default();
    let empty = selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector.match_expressions.as_ref().is_none_or(|m| m.is_empty());
    if empty {
        w.write(LEVEL_2, "<none> (Allowing the specific traffic to all pods in this namespace)\n");
    } else {
        w.write(LEVEL_2, &format!("{}\n", format_label_selector(Some(&selector))));
    }
    let types = spec.policy_types.clone().unwrap_or_default();
    let (ingress, egress) = if env.has(Fact::DescribeNetworkPolicyNotAffecting) {
        (types.iter().any(|t| t == "Ingress"), types.iter().any(|t| t == "Egress"))
    } else {
        (true, true)
    };
    if ingress {
        w.write(LEVEL_1, "Allowing ingress traffic:\n");
        let rules = spec.ingress.as_deref().unwrap_or_default();
        let rules: Vec<_> = rules.iter().map(|r| (r.ports.as_deref(), r.from.as_deref())).collect();
        rules_block(&mut w, &rules, Direction::Ingress, env);
    } else {
        w.write(LEVEL_1, "Not affecting ingress traffic\n");
    }
    if egress {
        w.write(LEVEL_1, "Allowing egress traffic:\n");
        let rules = spec.egress.as_deref().unwrap_or_default();
        let rules: Vec<_> = rules.iter().map(|r| (r.ports.as_deref(), r.to.as_deref())).collect();
        rules_block(&mut w, &rules, Direction::Egress, env);
    } else {
        w.write(LEVEL_1, "Not affecting egress traffic\n");
    }
    // `policyTypesToString`.
    let types = if types.is_empty() { "<none>".to_owned() } else { types.join(", ") };
    w.write(LEVEL_1, &format!("Policy Types: {types}\n"));
    Ok(w.finish())
}

/// A rule's ports and peers (`from` or `to`).
type Rule<'a> = (Option<&'a [NetworkPolicyPort]>, Option<&'a [NetworkPolicyPeer]>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

/// `printNetworkPolicySpecIngressFrom` / `printNetworkPolicySpecEgressTo`.
fn rules_block(w: &mut Writer, rules: &[Rule<'_>], direction: Direction, env: &DescribeEnv) {
    let (word, isolated, any_peer) = match direction {
        Direction::Ingress => {
            ("From", "ingress", "From: <any> (traffic not restricted by source)".to_owned())
        }
        Direction::Egress => {
            let what = if env.has(Fact::DescribeNetworkPolicyByDestination) {
                "destination"
            } else {
                "source"
            };
            ("To", "egress", format!("To: <any> (traffic not restricted by {what})"))
        }
    };
    if rules.is_empty() {
        w.write(
            LEVEL_0,
            &format!("{INDENT}<none> (Selected pods are isolated for {isolated} connectivity)\n"),
        );
        return;
    }
    for (i, (ports, peers)) in rules.iter().enumerate() {
        let ports = ports.unwrap_or_default();
        if ports.is_empty() {
            w.write(LEVEL_0, &format!("{INDENT}To Port: <any> (traffic allowed to all ports)\n"));
        }
        for port in ports {
            let proto = port.protocol.as_deref().unwrap_or("TCP");
            // `%s` of a nil `*IntOrString` prints `<nil>`.
            let number = match &port.port {
                Some(IntOrString::Int(n)) => n.to_string(),
                Some(IntOrString::String(s)) => s.clone(),
                None => "<nil>".to_owned(),
            };
            match port.end_port {
                Some(end) if env.has(Fact::DescribeNetworkPolicyPortRange) => {
                    w.write(LEVEL_0, &format!("{INDENT}To Port Range: {number}-{end}/{proto}\n"))
                }
                _ => w.write(LEVEL_0, &format!("{INDENT}To Port: {number}/{proto}\n")),
            }
        }
        let peers = peers.unwrap_or_default();
        if peers.is_empty() {
            w.write(LEVEL_0, &format!("{INDENT}{any_peer}\n"));
        }
        for peer in peers {
            w.write(LEVEL_0, &format!("{INDENT}{word}:\n"));
            match (&peer.pod_selector, &peer.namespace_selector, &peer.ip_block) {
                (Some(pods), Some(namespaces), _) => {
                    w.write(
                        LEVEL_1,
                        &format!(
                            "{INDENT}NamespaceSelector: {}\n",
                            format_label_selector(Some(namespaces))
                        ),
                    );
                    w.write(
                        LEVEL_1,
                        &format!("{INDENT}PodSelector: {}\n", format_label_selector(Some(pods))),
                    );
                }
                (Some(pods), None, _) => w.write(
                    LEVEL_1,
                    &format!("{INDENT}PodSelector: {}\n", format_label_selector(Some(pods))),
                ),
                (None, Some(namespaces), _) => w.write(
                    LEVEL_1,
                    &format!(
                        "{INDENT}NamespaceSelector: {}\n",
                        format_label_selector(Some(namespaces))
                    ),
                ),
                (None, None, Some(block)) => {
                    w.write(LEVEL_1, &format!("{INDENT}IPBlock:\n"));
                    w.write(LEVEL_2, &format!("{INDENT}CIDR: {}\n", block.cidr));
                    let except = block.except.as_deref().unwrap_or_default().join(", ");
                    w.write(LEVEL_2, &format!("{INDENT}Except: {except}\n"));
                }
                (None, None, None) => {}
            }
        }
        if i != rules.len() - 1 {
            w.write(LEVEL_0, &format!("{INDENT}----------\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{assert_same_text, env};

    fn policy(spec: serde_json::Value) -> NetworkPolicy {
        serde_json::from_value(json!({
            "metadata": {"name": "db", "namespace": "default",
                "creationTimestamp": "2026-12-07T09:56:36Z"},
            "spec": spec
        }))
        .unwrap()
    }

    /// kubectl v1.35.4 describing this policy on a v1.35.4 API server
    /// (captured 2026-12-07).
    #[test]
    fn peers_port_range_and_both_directions_at_1_35() {
        let np = policy(json!({
            "podSelector": {"matchLabels": {"role": "db"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [
                {"ipBlock": {"cidr": "172.17.0.0/16", "except": ["172.17.1.0/24"]}},
                {"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
                {"podSelector": {"matchLabels": {"role": "frontend"}}}],
                "ports": [{"protocol": "TCP", "port": 6379}]}],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}],
                "ports": [{"protocol": "TCP", "port": 5978, "endPort": 5980}]}]
        }));
        let env = DescribeEnv { minor: 35, ..env() };
        let expected = "\
Name:         db
Namespace:    default
Created on:   2026-12-07 09:56:36 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     role=db
  Allowing ingress traffic:
    To Port: 6379/TCP
    From:
      IPBlock:
        CIDR: 172.17.0.0/16
        Except: 172.17.1.0/24
    From:
      NamespaceSelector: project=myproject
    From:
      PodSelector: role=frontend
  Allowing egress traffic:
    To Port Range: 5978-5980/TCP
    To:
      IPBlock:
        CIDR: 10.0.0.0/24
        Except: 
  Policy Types: Ingress, Egress
";
        assert_same_text(&describe_network_policy(&np, &env).unwrap(), expected);
    }

    /// kubectl v1.28.3 ignored `endPort` (the page printed in
    /// kubernetes-sigs/network-policy-api issue #163).
    #[test]
    fn end_port_ignored_before_1_31() {
        let np = policy(json!({
            "podSelector": {"matchLabels": {"pod": "a"}},
            "policyTypes": ["Egress"],
            "egress": [{"ports": [{"protocol": "TCP", "port": 80, "endPort": 82}]}]
        }));
        let env = DescribeEnv { minor: 30, ..env() };
        let page = describe_network_policy(&np, &env).unwrap();
        let spec: Vec<&str> = page.lines().skip(5).collect();
        assert_eq!(
            spec,
            [
                "Spec:",
                "  PodSelector:     pod=a",
                "  Not affecting ingress traffic",
                "  Allowing egress traffic:",
                "    To Port: 80/TCP",
                "    To: <any> (traffic not restricted by destination)",
                "  Policy Types: Egress",
            ]
        );
    }

    /// The empty selector and an ingress-only deny-all policy (kubectl
    /// v1.35.4, captured 2026-12-07); before v1.17 both directions print.
    #[test]
    fn deny_all_and_the_pre_1_17_form() {
        let np = policy(json!({"podSelector": {}, "policyTypes": ["Ingress"]}));
        let page = describe_network_policy(&np, &DescribeEnv { minor: 35, ..env() }).unwrap();
        assert!(page.ends_with(
            "Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    <none> (Selected pods are isolated for ingress connectivity)
  Not affecting egress traffic
  Policy Types: Ingress
"
        ));
        let old = describe_network_policy(&np, &DescribeEnv { minor: 16, ..env() }).unwrap();
        assert!(old.contains(
            "  Allowing egress traffic:
    <none> (Selected pods are isolated for egress connectivity)
"
        ));
        let elsewhere = DescribeEnv { utc_offset_seconds: 3600, ..env() };
        assert!(describe_network_policy(&np, &elsewhere).is_err());
    }
}
