//! The legacy discovery documents the API server serves as JSON
//! (`apimachinery/pkg/apis/meta/v1` `APIGroupList` at `/apis`, `APIGroup`
//! at `/apis/<group>`), built from [`Discovery`], with the field order and
//! compact form of the server's encoder (checked against a v1.35.4 API
//! server, 2026-12-07).

use super::{Discovery, ServedGroup};

/// `{"groupVersion":"apps/v1","version":"v1"}`.
fn version_entry(group: &str, version: &str) -> String {
    format!("{{\"groupVersion\":\"{group}/{version}\",\"version\":\"{version}\"}}")
}

/// One group's fields after `name`: `versions` and `preferredVersion`.
fn group_body(g: &ServedGroup) -> String {
    let versions: Vec<String> = g.versions.iter().map(|v| version_entry(g.name, v)).collect();
    format!(
        "\"name\":\"{}\",\"versions\":[{}],\"preferredVersion\":{}",
        g.name,
        versions.join(","),
        version_entry(g.name, g.preferred())
    )
}

/// The body of `GET /apis`: every named group in discovery order.
pub fn api_group_list(discovery: &Discovery) -> String {
    let groups: Vec<String> = discovery
        .groups()
        .iter()
        .filter(|g| !g.name.is_empty())
        .map(|g| format!("{{{}}}", group_body(g)))
        .collect();
    format!(
        "{{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{}]}}\n",
        groups.join(",")
    )
}

/// The body of `GET /apis/<group>`, if the group is served.
pub fn api_group(discovery: &Discovery, group: &str) -> Option<String> {
    let g = discovery.groups().iter().find(|g| !g.name.is_empty() && g.name == group)?;
    Some(format!("{{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",{}}}\n", group_body(g)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::KubeVersion;

    /// `kubectl get --raw /apis` of a real v1.35.4 API server (default
    /// feature gates, no aggregated APIs, no CRDs), captured 2026-12-07.
    #[test]
    fn group_list_of_a_real_1_35_server() {
        let discovery = Discovery::at(&KubeVersion::new(1, 35, 4));
        assert_eq!(api_group_list(discovery), include_str!("discovery/apis-v1.35.4.json"));
        assert_eq!(
            api_group(discovery, "apps").as_deref(),
            Some(
                "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":\"apps\",\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}\n"
            )
        );
        assert_eq!(api_group(discovery, "nosuch"), None);
    }
}
