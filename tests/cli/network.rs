//! Networking front matter through the `kubeplay` binary: a value or key
//! the format does not know is an error naming it, never silently ignored.

use super::support::*;

#[test]
fn an_unknown_dns_server_is_named_at_its_line() {
    let out = kubeplay(&["check", "tests/network/bad-dns.md"]);
    let report = text(&out);
    assert_ne!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("tests/network/bad-dns.md:5:"), "{report}");
    assert!(
        report.contains("invalid dns server `bind9` (expected `coredns` or `kube-dns`)"),
        "{report}"
    );
}

#[test]
fn a_misspelt_load_balancer_key_is_an_unknown_key() {
    let out = kubeplay(&["check", "tests/network/bad-lb-key.md"]);
    let report = text(&out);
    assert_ne!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("unknown field `poool`"), "{report}");
    assert!(report.contains("did you mean `pool`?"), "{report}");
}

#[test]
fn a_pool_that_is_not_a_range_stops_the_run() {
    let out = kubeplay(&["run", "tests/network/bad-pool.md"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(2), "{report}");
    assert!(
        report.contains("invalid load-balancer pool `172.18.255.250-172.18.255.200`"),
        "{report}"
    );
}
