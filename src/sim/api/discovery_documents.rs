//! The legacy discovery documents the API server serves as JSON
//! (`apimachinery/pkg/apis/meta/v1` `APIGroupList` at `/apis`, `APIGroup`
//! at `/apis/<group>`), built from [`Discovery`], with the field order and
//! compact form of the server's encoder (checked against a v1.35.4 API
//! server, 2026-12-07).

use super::{Discovery, ServedGroup, go_json::Json};

/// `{"groupVersion":"apps/v1","version":"v1"}`.
fn version_entry(group: &str, version: &str) -> Json {
    Json::obj([
        ("groupVersion", Json::str(format!("{group}/{version}"))),
        ("version", Json::str(version)),
    ])
}

/// One group's fields: `name`, `versions` and `preferredVersion`.
fn group_fields(g: &ServedGroup) -> Vec<(String, Json)> {
    let versions = g.versions.iter().map(|v| version_entry(g.name, v)).collect();
    vec![
        ("name".to_owned(), Json::str(g.name)),
        ("versions".to_owned(), Json::Arr(versions)),
        ("preferredVersion".to_owned(), version_entry(g.name, g.preferred())),
    ]
}

/// `GET /apis` (`APIGroupList`): every named group in discovery order.
pub fn api_group_list_json(discovery: &Discovery) -> Json {
    let groups = discovery
        .groups()
        .iter()
        .filter(|g| !g.name.is_empty())
        .map(|g| Json::Obj(group_fields(g)))
        .collect();
    Json::obj([
        ("kind", Json::str("APIGroupList")),
        ("apiVersion", Json::str("v1")),
        ("groups", Json::Arr(groups)),
    ])
}

/// `GET /apis/<group>` (`APIGroup`), if the group is served.
pub fn api_group_json(discovery: &Discovery, group: &str) -> Option<Json> {
    let g = discovery.groups().iter().find(|g| !g.name.is_empty() && g.name == group)?;
    let mut fields = vec![
        ("kind".to_owned(), Json::str("APIGroup")),
        ("apiVersion".to_owned(), Json::str("v1")),
    ];
    fields.extend(group_fields(g));
    Some(Json::Obj(fields))
}

/// The body of `GET /apis` as a client without pretty-printing gets it.
pub fn api_group_list(discovery: &Discovery) -> String {
    api_group_list_json(discovery).compact()
}

/// The body of `GET /apis/<group>`, if the group is served.
pub fn api_group(discovery: &Discovery, group: &str) -> Option<String> {
    api_group_json(discovery, group).map(|j| j.compact())
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
