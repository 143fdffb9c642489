//! The OpenAPI documents `kubectl explain` reads, per Kubernetes minor:
//! the v2 document (`/openapi/v2`) and the v3 documents
//! (`/openapi/v3/<group-version>`, merged: a definition is the same Go type
//! in every group-version that uses it; the extraction checks they agree).
//!
//! The data is `schemas.json`, generated from the release sources by
//! `scripts/explain/extract.py` (docs/explain.md). It keeps only what
//! explain reads of each schema (description, type, format, `$ref`,
//! items, additionalProperties, allOf, properties, required, enum), each
//! description and each schema node stored once across all minors.

use std::{
    collections::{BTreeMap, HashMap},
    sync::LazyLock,
};

use serde::Deserialize;
use serde_json::Value;

/// The committed data (see the module docs).
const DATA: &str = include_str!("schemas.json");

/// Which OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spec {
    /// `/openapi/v2` (swagger.json): kubectl before v1.27, and
    /// `--output=plaintext-openapiv2` after.
    V2,
    /// `/openapi/v3/...`: kubectl v1.27+.
    V3,
}

/// A schema node, reduced to what explain reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Node {
    /// `description` (index into the string table).
    #[serde(rename = "d")]
    description: Option<usize>,
    /// `type`.
    #[serde(rename = "t")]
    pub ty: Option<String>,
    /// `format`.
    #[serde(rename = "f")]
    pub format: Option<String>,
    /// `$ref`: the referenced definition's name.
    #[serde(rename = "r")]
    pub reference: Option<String>,
    /// `items`.
    #[serde(rename = "i")]
    pub items: Option<usize>,
    /// `additionalProperties`: a schema, or `true`.
    #[serde(rename = "a")]
    additional: Option<Value>,
    /// `allOf`.
    #[serde(rename = "o", default)]
    pub all_of: Vec<usize>,
    /// `properties`, in document order; `None` when absent (which the v2
    /// model parser tells apart from empty).
    #[serde(rename = "p")]
    pub properties: Option<Vec<(String, usize)>>,
    /// `required`.
    #[serde(rename = "q", default)]
    pub required: Vec<String>,
    /// `enum`.
    #[serde(rename = "e", default)]
    pub enumeration: Vec<Value>,
}

/// A node's index in the table.
pub type NodeId = usize;

/// `[group, version, kind]`.
type Gvk = (String, String, String);

/// One stored definition: its name, the group-version-kinds it documents
/// and its schema node.
type Definition = (String, Vec<Gvk>, NodeId);

#[derive(Deserialize)]
struct Data {
    documents: BTreeMap<String, Vec<usize>>,
    strings: Vec<String>,
    nodes: Vec<Node>,
    definitions: Vec<Definition>,
}

/// Every document, parsed once.
pub struct Library {
    strings: Vec<String>,
    nodes: Vec<Node>,
    documents: HashMap<(Spec, u32), Document>,
}

/// One served OpenAPI document: definitions by name, and which definition
/// documents each group-version-kind (`x-kubernetes-group-version-kind`).
pub struct Document {
    definitions: BTreeMap<String, NodeId>,
    by_gvk: HashMap<Gvk, String>,
}

static LIBRARY: LazyLock<Library> = LazyLock::new(|| {
    let data: Data =
        serde_json::from_str(DATA).expect("schemas.json parses (a unit test proves it)");
    let mut documents = HashMap::new();
    for (key, ids) in &data.documents {
        let (spec, minor) = key.split_once('/').expect("document key is SPEC/MINOR");
        let spec = match spec {
            "v2" => Spec::V2,
            "v3" => Spec::V3,
            other => panic!("unknown document kind {other}"),
        };
        let minor: u32 = minor.parse().expect("minor");
        let mut doc = Document { definitions: BTreeMap::new(), by_gvk: HashMap::new() };
        for &i in ids {
            let (name, gvks, node) = &data.definitions[i];
            doc.definitions.insert(name.clone(), *node);
            for gvk in gvks {
                // The first definition (by name) wins, as both explains
                // search the definitions in name order.
                doc.by_gvk.entry(gvk.clone()).or_insert_with(|| name.clone());
            }
        }
        documents.insert((spec, minor), doc);
    }
    Library { strings: data.strings, nodes: data.nodes, documents }
});

impl Library {
    /// The library.
    pub fn get() -> &'static Library {
        &LIBRARY
    }

    /// The document a default API server of `minor` serves, if kubeplay
    /// has it.
    pub fn document(&self, spec: Spec, minor: u32) -> Option<&Document> {
        self.documents.get(&(spec, minor))
    }

    /// A node.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// A node's description, if it has one.
    pub fn description(&self, node: &Node) -> Option<&str> {
        node.description.map(|i| self.strings[i].as_str())
    }

    /// The minors that have `spec`'s document, ascending.
    pub fn minors(&self, spec: Spec) -> Vec<u32> {
        let mut out: Vec<u32> =
            self.documents.keys().filter(|(s, _)| *s == spec).map(|(_, m)| *m).collect();
        out.sort_unstable();
        out
    }
}

impl Node {
    /// `additionalProperties` when it is a schema (not `true`).
    pub fn additional_schema(&self) -> Option<NodeId> {
        self.additional.as_ref().and_then(Value::as_u64).map(|i| i as usize)
    }

    /// Whether `additionalProperties` is the boolean `true`.
    pub fn additional_is_bool(&self) -> bool {
        self.additional.as_ref().is_some_and(Value::is_boolean)
    }

    /// The property `name`.
    pub fn property(&self, name: &str) -> Option<NodeId> {
        self.properties.as_ref()?.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
    }

    /// Properties sorted by name (Go ranges over a map in key order; the
    /// v2 model's `Keys()` sorts).
    pub fn sorted_properties(&self) -> Vec<(&str, NodeId)> {
        let mut out: Vec<(&str, NodeId)> = self
            .properties
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|(n, id)| (n.as_str(), *id))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }
}

impl Document {
    /// The definition called `name`.
    pub fn definition(&self, name: &str) -> Option<NodeId> {
        self.definitions.get(name).copied()
    }

    /// The definition documenting `group`/`version`, `kind`.
    pub fn for_gvk(&self, group: &str, version: &str, kind: &str) -> Option<NodeId> {
        let name = self.by_gvk.get(&(group.to_owned(), version.to_owned(), kind.to_owned()))?;
        self.definition(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_minor_has_a_v2_document_and_from_27_a_v3_one() {
        let lib = Library::get();
        assert_eq!(lib.minors(Spec::V2), (10..=35).collect::<Vec<_>>());
        assert_eq!(lib.minors(Spec::V3), (27..=35).collect::<Vec<_>>());
    }

    #[test]
    fn pod_spec_documents_containers_in_every_minor() {
        let lib = Library::get();
        for spec in [Spec::V2, Spec::V3] {
            for minor in lib.minors(spec) {
                let doc = lib.document(spec, minor).unwrap();
                let pod = lib.node(doc.for_gvk("", "v1", "Pod").unwrap());
                assert!(pod.property("spec").is_some(), "{spec:?} v1.{minor}");
                let spec_node = lib.node(doc.definition("io.k8s.api.core.v1.PodSpec").unwrap());
                let containers = lib.node(spec_node.property("containers").unwrap());
                assert_eq!(containers.ty.as_deref(), Some("array"));
                assert!(spec_node.required.contains(&"containers".to_owned()));
            }
        }
    }

    #[test]
    fn enums_are_served_from_v1_24_and_pruned_before() {
        // OpenAPIEnums: alpha (off) in v1.23, beta (on) from v1.24; the
        // committed documents were generated the other way round.
        let lib = Library::get();
        let restart_policy = |minor| {
            let doc = lib.document(Spec::V2, minor).unwrap();
            let spec = lib.node(doc.definition("io.k8s.api.core.v1.PodSpec").unwrap());
            lib.node(spec.property("restartPolicy").unwrap()).clone()
        };
        let v23 = restart_policy(23);
        assert!(v23.enumeration.is_empty());
        assert!(!lib.description(&v23).unwrap().contains("Possible enum values"));
        let v24 = restart_policy(24);
        assert_eq!(v24.enumeration, vec!["Always", "Never", "OnFailure"]);
        assert!(lib.description(&v24).unwrap().contains("Possible enum values:\n - `\"Always\"`"));
    }
}
