//! The kustomization file (`api/types/kustomization.go`): found by its
//! three names, read strictly, its deprecated fields folded into their
//! successors as `FixKustomization` does.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::Failure;
use crate::version::Fact;

/// The names a kustomization file may have, in the order they are tried
/// (`konfig.RecognizedKustomizationFileNames`).
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields of the file kubeplay does not build: reported unsupported by
/// name, never ignored.
const UNMODELLED: &[&str] = &[
    "openapi",
    "replacements",
    "vars",
    "sortOptions",
    "components",
    "crds",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
    "imageTags",
];

/// What kubeplay reads of a kustomization.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kustomization {
    // Read so that the strict decode accepts them; nothing depends on them.
    #[serde(default)]
    #[allow(dead_code)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub metadata: Option<Value>,
    #[serde(default)]
    pub resources: Vec<String>,
    #[serde(default)]
    pub bases: Option<Vec<String>>,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub name_prefix: String,
    #[serde(default)]
    pub name_suffix: String,
    #[serde(default)]
    pub common_labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub labels: Vec<Label>,
    #[serde(default)]
    pub common_annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub replicas: Vec<Replica>,
    #[serde(default)]
    pub config_map_generator: Vec<Generator>,
    #[serde(default)]
    pub secret_generator: Vec<Generator>,
    #[serde(default)]
    pub generator_options: Option<GeneratorOptions>,
    #[serde(default)]
    pub patches_strategic_merge: Option<Vec<String>>,
    #[serde(default)]
    pub patches_json6902: Option<Vec<Patch>>,
    #[serde(default)]
    pub patches: Vec<Patch>,
}

/// One `labels` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Label {
    #[serde(default)]
    pub pairs: BTreeMap<String, String>,
    #[serde(default)]
    pub include_selectors: bool,
    #[serde(default)]
    pub include_templates: bool,
    #[serde(default)]
    pub fields: Vec<super::fieldspec::FieldSpec>,
}

/// One `images` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Image {
    pub name: String,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_tag: String,
    #[serde(default)]
    pub digest: String,
    #[serde(default)]
    pub tag_suffix: String,
}

/// One `replicas` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replica {
    pub name: String,
    pub count: i64,
}

/// A `configMapGenerator` or `secretGenerator` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Generator {
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub behavior: String,
    #[serde(default)]
    pub literals: Vec<String>,
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub envs: Vec<String>,
    #[serde(default)]
    pub env: String,
    #[serde(default)]
    pub options: Option<GeneratorOptions>,
    /// A Secret's type (`Opaque` when empty).
    #[serde(default, rename = "type")]
    pub secret_type: String,
}

/// `generatorOptions`, and a generator's own `options`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneratorOptions {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub disable_name_suffix_hash: Option<bool>,
    #[serde(default)]
    pub immutable: bool,
}

/// A `patches` (or `patchesJson6902`) entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patch {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub patch: String,
    #[serde(default)]
    pub target: Option<Target>,
    #[serde(default)]
    pub options: Option<BTreeMap<String, bool>>,
}

/// A patch's `target` selector.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub label_selector: String,
    #[serde(default)]
    pub annotation_selector: String,
}

/// `CheckDeprecatedFields`'s warnings, each printed on its own line to
/// standard error when the file is loaded.
fn deprecation_warnings(k: &Kustomization, minor: u32) -> Vec<String> {
    const FIX: &str = "Run 'kustomize edit fix' to update your Kustomization automatically.";
    let mut out = Vec::new();
    let mut warn = |old: &str, new: &str| {
        out.push(format!("# Warning: '{old}' is deprecated. Please use '{new}' instead. {FIX}"))
    };
    if !Fact::KustomizeV5.holds_at(minor) {
        return out;
    }
    if k.bases.is_some() {
        warn("bases", "resources");
    }
    if k.common_labels.is_some() && Fact::KustomizeCommonLabelsDeprecated.holds_at(minor) {
        warn("commonLabels", "labels");
    }
    if k.patches_json6902.is_some() {
        warn("patchesJson6902", "patches");
    }
    if k.patches_strategic_merge.is_some() {
        warn("patchesStrategicMerge", "patches");
    }
    out
}

/// The top-level fields of a kustomization (`types.Kustomization`).
const KNOWN: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "replicas",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
];

/// What kustomize v5 puts before a strict-decoding error.
fn strict_prefix(minor: u32) -> &'static str {
    if Fact::KustomizeV5.holds_at(minor) { "invalid Kustomization: " } else { "" }
}

/// Reads a kustomization file's `text`: the file, and the warnings its
/// loading prints; or why it cannot be built.
pub fn parse(text: &str, minor: u32) -> Result<(Kustomization, Vec<String>), Failure> {
    let value: Value =
        crate::yaml::from_str_yaml11(text).map_err(|e| Failure::Message(e.to_string()))?;
    let value = if value.is_null() { Value::Object(Default::default()) } else { value };
    if let Some(map) = value.as_object() {
        if let Some(field) = map.keys().find(|k| UNMODELLED.contains(&k.as_str())) {
            return Err(Failure::Unsupported(format!("kustomization field `{field}`")));
        }
        // `Kustomization.Unmarshal` decodes strictly (Go's encoding/json
        // with `DisallowUnknownFields`).
        if let Some(field) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(Failure::Message(format!(
                "{}json: unknown field \"{field}\"",
                strict_prefix(minor)
            )));
        }
    }
    let k: Kustomization = serde_json::from_value(value)
        .map_err(|e| Failure::Message(format!("{}json: {e}", strict_prefix(minor))))?;
    if !k.kind.is_empty() && k.kind != "Kustomization" {
        return Err(Failure::Unsupported(format!("a kustomization of kind `{}`", k.kind)));
    }
    let warnings = deprecation_warnings(&k, minor);
    Ok((k, warnings))
}
