//! A kustomization's built-in transformers, in the order
//! `KustTarget.runTransformers` runs them
//! (`api/internal/target/kusttarget_configplugin.go`): strategic-merge
//! patches, patches, namespace, name prefix, name suffix, labels,
//! annotations, JSON 6902 patches, replica counts, images.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::version::Fact;

use super::{
    Env, Failure, Gvk, Resource,
    fieldspec::{self, FieldSpec},
    kustomization::{Image, Kustomization, Patch, Target},
};

/// Runs every transformer the kustomization configures.
pub fn run(
    env: &Env<'_>,
    dir: &str,
    k: &Kustomization,
    resources: &mut Vec<Resource>,
) -> Result<(), Failure> {
    for entry in k.patches_strategic_merge.iter().flatten() {
        let text = match super::load_file(env, dir, entry) {
            Ok(text) => text.to_owned(),
            // Not a file: an inline patch.
            Err(_) if entry.contains('\n') || entry.contains(':') => entry.clone(),
            Err(e) => return Err(e),
        };
        for patch in patch_documents(&text)? {
            strategic_by_id(resources, patch)?;
        }
    }
    for p in &k.patches {
        apply_patch(env, dir, p, resources, false)?;
    }
    if !k.namespace.is_empty() {
        namespace(env, &k.namespace, resources)?;
    }
    if !k.name_prefix.is_empty() {
        affix(resources, &k.name_prefix, true);
    }
    if !k.name_suffix.is_empty() {
        affix(resources, &k.name_suffix, false);
    }
    let defaults = fieldspec::defaults();
    for label in &k.labels {
        let mut specs: Vec<FieldSpec> = label.fields.clone();
        if label.include_selectors {
            specs.extend(defaults.common_labels.iter().cloned());
        } else {
            if label.include_templates && Fact::KustomizeV5.holds_at(env.minor) {
                specs.extend(defaults.template_labels.iter().cloned());
            } else if label.include_templates {
                specs.push(FieldSpec::everywhere("spec/template/metadata/labels", false));
            }
            specs.push(FieldSpec::everywhere("metadata/labels", true));
        }
        set_entries(resources, &dedup(specs), &label.pairs)?;
    }
    if let Some(common) = &k.common_labels {
        set_entries(resources, &defaults.common_labels, common)?;
    }
    if !k.common_annotations.is_empty() {
        set_entries(resources, &defaults.common_annotations, &k.common_annotations)?;
    }
    for p in k.patches_json6902.iter().flatten() {
        apply_patch(env, dir, p, resources, true)?;
    }
    for replica in &k.replicas {
        replicas(resources, &replica.name, replica.count)?;
    }
    for image in &k.images {
        images(resources, image);
    }
    Ok(())
}

/// `FsSlice.MergeAll`: a spec of the same kind and path is kept once.
fn dedup(specs: Vec<FieldSpec>) -> Vec<FieldSpec> {
    let mut out: Vec<FieldSpec> = Vec::new();
    for s in specs {
        if !out.iter().any(|o| {
            o.path == s.path && o.kind == s.kind && o.group == s.group && o.version == s.version
        }) {
            out.push(s);
        }
    }
    out
}

/// The label and annotation transformers: each pair set into the map at
/// each field (maps created where the spec says so).
fn set_entries(
    resources: &mut [Resource],
    specs: &[FieldSpec],
    pairs: &BTreeMap<String, String>,
) -> Result<(), Failure> {
    if pairs.is_empty() {
        return Ok(());
    }
    for r in resources.iter_mut() {
        let gvk = r.gvk();
        for spec in specs {
            let leaf = || Value::Object(Map::new());
            fieldspec::walk(&mut r.value, &gvk, spec, Some(&leaf), &mut |node| {
                let Value::Object(map) = node else {
                    return Err("wrong node kind: expected MappingNode".to_owned());
                };
                for (k, v) in pairs {
                    map.insert(k.clone(), json!(v));
                }
                Ok(())
            })
            .map_err(|e| {
                Failure::Message(format!(
                    "considering field '{}' of object {}: {e}",
                    spec.path,
                    r_id(&r.value)
                ))
            })?;
        }
    }
    Ok(())
}

fn r_id(value: &Value) -> String {
    let name = value["metadata"]["name"].as_str().unwrap_or_default();
    let ns = value["metadata"]["namespace"].as_str().unwrap_or_default();
    super::ResId { gvk: Gvk::of(value), name: name.into(), namespace: ns.into() }.id_string()
}

/// The namespace transformer (`api/filters/namespace`): namespaced
/// objects get the namespace; a Namespace object is renamed to it;
/// RoleBinding subjects named `default` get it too.
fn namespace(env: &Env<'_>, ns: &str, resources: &mut [Resource]) -> Result<(), Failure> {
    for r in resources.iter_mut() {
        if r.value.as_object().is_none_or(|m| m.is_empty()) {
            continue;
        }
        r.store_previous_id();
        let gvk = r.gvk();
        if !(env.cluster_scoped)(&gvk) {
            r.set_meta("namespace", ns);
        }
        if gvk.kind == "Namespace" && r.value["apiVersion"] == "v1" {
            r.set_meta("name", ns);
        }
        if matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            for subject in r.value["subjects"].as_array_mut().into_iter().flatten() {
                if subject["name"] == "default" {
                    subject["namespace"] = json!(ns);
                }
            }
        }
        for spec in &fieldspec::defaults().namespace {
            if spec.path == "metadata/name" {
                continue;
            }
            let leaf = || json!("");
            fieldspec::walk(&mut r.value, &gvk, spec, Some(&leaf), &mut |node| {
                *node = json!(ns);
                Ok(())
            })
            .map_err(Failure::Message)?;
        }
    }
    Ok(())
}

/// `namePrefix`/`nameSuffix` (`PrefixTransformer`, `SuffixTransformer`):
/// every name but those of CRDs, APIServices and Namespaces.
fn affix(resources: &mut [Resource], affix: &str, prefix: bool) {
    for r in resources.iter_mut() {
        let org = r.org_id().gvk;
        let skipped = org.kind == "CustomResourceDefinition"
            || org.kind == "Namespace"
            || (org.kind == "APIService" && org.group == "apiregistration.k8s.io");
        if skipped {
            continue;
        }
        let name =
            if prefix { format!("{affix}{}", r.name()) } else { format!("{}{affix}", r.name()) };
        r.store_previous_id();
        r.set_meta("name", &name);
        if prefix {
            r.prefixes.push(affix.to_owned());
        } else {
            r.suffixes.push(affix.to_owned());
        }
    }
}

/// `ReplicaCountTransformer`: `spec/replicas` of the objects so named.
fn replicas(resources: &mut [Resource], name: &str, count: i64) -> Result<(), Failure> {
    let specs = &fieldspec::defaults().replicas;
    let mut found = false;
    for r in resources.iter_mut() {
        let gvk = r.gvk();
        if !r.any_id(|id| id.name == name) || !specs.iter().any(|s| s.selects(&gvk)) {
            continue;
        }
        found = true;
        for spec in specs {
            let leaf = || json!(0);
            fieldspec::walk(&mut r.value, &gvk, spec, Some(&leaf), &mut |node| {
                *node = json!(count);
                Ok(())
            })
            .map_err(Failure::Message)?;
        }
    }
    if found {
        Ok(())
    } else {
        let kinds: Vec<String> = specs
            .iter()
            .map(|s| {
                Gvk { group: s.group.clone(), version: s.version.clone(), kind: s.kind.clone() }
                    .id_string()
            })
            .collect();
        Err(Failure::Message(format!(
            "resource with name {name} does not match a config with the following GVK [{}]",
            kinds.join(" ")
        )))
    }
}

/// The image transformer: every `containers` and `initContainers` list
/// anywhere in an object but a CRD (`imagetag.LegacyFilter`).
fn images(resources: &mut [Resource], image: &Image) {
    let Ok(pattern) = regex::Regex::new(&format!(
        "^{}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$",
        image.name
    )) else {
        return;
    };
    for r in resources.iter_mut().filter(|r| r.gvk().kind != "CustomResourceDefinition") {
        walk_containers(&mut r.value, &mut |value: &mut Value| {
            if let Some(current) = value.as_str()
                && pattern.is_match(current)
            {
                *value = json!(new_image(current, image));
            }
        });
    }
}

fn walk_containers(node: &mut Value, set: &mut dyn FnMut(&mut Value)) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                walk_containers(value, set);
                if matches!(key.as_str(), "containers" | "initContainers") {
                    for c in value.as_array_mut().into_iter().flatten() {
                        if let Some(image) = c.get_mut("image") {
                            set(image);
                        }
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk_containers(i, set)),
        _ => {}
    }
}

/// `imageTagUpdater.SetImageValue`.
fn new_image(current: &str, image: &Image) -> String {
    let (mut name, mut tag, mut digest) = split_image(current);
    if !image.new_name.is_empty() {
        name = image.new_name.clone();
    }
    if !image.new_tag.is_empty() && !image.digest.is_empty() {
        tag = image.new_tag.clone();
        digest = image.digest.clone();
    } else if !image.new_tag.is_empty() {
        tag = image.new_tag.clone();
        digest.clear();
    } else if !image.digest.is_empty() {
        tag.clear();
        digest = image.digest.clone();
    } else if !image.tag_suffix.is_empty() {
        tag.push_str(&image.tag_suffix);
        digest.clear();
    }
    let mut out = name;
    if !tag.is_empty() {
        out = format!("{out}:{tag}");
    }
    if !digest.is_empty() {
        out = format!("{out}@{digest}");
    }
    out
}

/// `image.Split`: name, tag, digest; a registry's port is not a tag.
fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[slash..];
    let at = search.find('@').map(|i| i + slash);
    let colon = search.find(':').map(|i| i + slash);
    match (colon, at) {
        (None, None) => (image.into(), String::new(), String::new()),
        (c, Some(at)) if c.is_none_or(|c| at < c) => {
            (image[..at].into(), String::new(), image[at + 1..].into())
        }
        (Some(c), Some(at)) => (image[..c].into(), image[c + 1..at].into(), image[at + 1..].into()),
        (Some(c), None) => (image[..c].into(), image[c + 1..].into(), String::new()),
        (None, Some(_)) => unreachable!("covered by the digest-only arm"),
    }
}

/// A patch file's documents: objects (strategic merge) or a list of
/// operations (JSON 6902).
fn patch_documents(text: &str) -> Result<Vec<Value>, Failure> {
    crate::yaml::documents(text).map_err(|e| Failure::Message(e.to_string()))
}

/// A strategic-merge patch without a target applies to the object of its
/// own kind, name and namespace.
fn strategic_by_id(resources: &mut Vec<Resource>, patch: Value) -> Result<(), Failure> {
    let gvk = Gvk::of(&patch);
    let name = patch["metadata"]["name"].as_str().unwrap_or_default().to_owned();
    let ns = patch["metadata"]["namespace"].as_str().unwrap_or_default().to_owned();
    let matches: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.any_id(|id| id.gvk == gvk && id.name == name && (ns.is_empty() || id.namespace == ns))
        })
        .map(|(i, _)| i)
        .collect();
    let [i] = matches.as_slice() else {
        let id = super::ResId { gvk, name, namespace: ns };
        return Err(Failure::Message(format!(
            "no resource matches strategic merge patch \"{}\": no matches for Id {}; failed to find unique target for patch {}",
            id.id_string(),
            id.id_string(),
            id.id_string()
        )));
    };
    strategic(resources, *i, patch)
}

/// Applies a strategic-merge patch to `resources[i]`; `$patch: delete`
/// removes the object.
fn strategic(resources: &mut Vec<Resource>, i: usize, patch: Value) -> Result<(), Failure> {
    if patch.get("$patch").and_then(Value::as_str) == Some("delete") {
        resources.remove(i);
        return Ok(());
    }
    let Value::Object(patch) = patch else {
        return Err(Failure::Message("a strategic merge patch must be an object".into()));
    };
    let r = &mut resources[i];
    let kind = r.gvk().kind;
    let Value::Object(original) = std::mem::take(&mut r.value) else {
        return Err(Failure::Message("a patched object must be a map".into()));
    };
    r.value = crate::kubectl::patch::strategic::apply(original, patch, &kind)
        .map_err(|e| Failure::Message(format!("{e:?}")))?;
    Ok(())
}

/// A `patches` or `patchesJson6902` entry.
fn apply_patch(
    env: &Env<'_>,
    dir: &str,
    p: &Patch,
    resources: &mut Vec<Resource>,
    json6902_only: bool,
) -> Result<(), Failure> {
    if p.options.as_ref().is_some_and(|o| o.values().any(|v| *v)) {
        return Err(Failure::Unsupported("kustomize patch options".into()));
    }
    let text = match (p.path.is_empty(), p.patch.is_empty()) {
        (false, true) => super::load_file(env, dir, &p.path)?.to_owned(),
        (true, false) => p.patch.clone(),
        (false, false) => {
            return Err(Failure::Message("patch and path can't be set at the same time".into()));
        }
        (true, true) => {
            return Err(Failure::Message("must specify one of patch and path in".into()));
        }
    };
    let docs = patch_documents(&text)?;
    let operations = match docs.as_slice() {
        [Value::Array(ops)] => Some(ops.clone()),
        _ if json6902_only => {
            return Err(Failure::Message("unable to parse the JSON 6902 patch".into()));
        }
        _ => None,
    };
    let Some(target) = &p.target else {
        if operations.is_some() {
            return Err(Failure::Message("must specify a target for JSON patch".into()));
        }
        for patch in docs {
            strategic_by_id(resources, patch)?;
        }
        return Ok(());
    };
    let selected = select(resources, target)?;
    for i in selected.into_iter().rev() {
        match &operations {
            Some(ops) => crate::kubectl::patch::json_patch_v4(&mut resources[i].value, ops)
                .map_err(Failure::Message)?,
            None => {
                for doc in &docs {
                    let mut patch = doc.clone();
                    // With a target, the patch takes each object's identity
                    // (`PatchTransformer.applyPatchToAll`).
                    let id = resources[i].cur_id();
                    if let Some(meta) = patch.get_mut("metadata").and_then(Value::as_object_mut) {
                        meta.insert("name".into(), json!(id.name));
                        if !id.namespace.is_empty() {
                            meta.insert("namespace".into(), json!(id.namespace));
                        }
                    }
                    strategic(resources, i, patch)?;
                }
            }
        }
    }
    Ok(())
}

/// The objects a patch `target` selects (`ResMap.Select`): kind, group and
/// version equal, name and namespace as anchored regular expressions,
/// label and annotation selectors.
fn select(resources: &[Resource], t: &Target) -> Result<Vec<usize>, Failure> {
    let anchored = |p: &str| {
        regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| Failure::Message(e.to_string()))
    };
    let name = anchored(&t.name)?;
    let namespace = anchored(&t.namespace)?;
    let labels = parse_selector(&t.label_selector)?;
    let annotations = parse_selector(&t.annotation_selector)?;
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let gvk = r.gvk();
        let kind_ok = (t.kind.is_empty() || t.kind == gvk.kind)
            && (t.group.is_empty() || t.group == gvk.group)
            && (t.version.is_empty() || t.version == gvk.version);
        let name_ok = t.name.is_empty() || r.any_id(|id| name.is_match(&id.name));
        let ns_ok = t.namespace.is_empty() || r.any_id(|id| namespace.is_match(&id.namespace));
        let map = |field: &str| -> BTreeMap<String, String> {
            r.value["metadata"][field]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let labels_ok = labels.as_ref().is_none_or(|s| s.matches(Some(&map("labels"))));
        let annotations_ok =
            annotations.as_ref().is_none_or(|s| s.matches(Some(&map("annotations"))));
        if kind_ok && name_ok && ns_ok && labels_ok && annotations_ok {
            out.push(i);
        }
    }
    Ok(out)
}

fn parse_selector(text: &str) -> Result<Option<crate::kubectl::labels::Selector>, Failure> {
    if text.is_empty() {
        return Ok(None);
    }
    crate::kubectl::labels::Selector::parse(text).map(Some).map_err(Failure::Message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_as_kustomize_splits_them() {
        let s = |i| split_image(i);
        assert_eq!(s("nginx"), ("nginx".into(), "".into(), "".into()));
        assert_eq!(s("nginx:1.25"), ("nginx".into(), "1.25".into(), "".into()));
        assert_eq!(s("reg:5000/app"), ("reg:5000/app".into(), "".into(), "".into()));
        assert_eq!(
            s("reg:5000/app:v1@sha256:ab"),
            ("reg:5000/app".into(), "v1".into(), "sha256:ab".into())
        );
        assert_eq!(s("app@sha256:ab"), ("app".into(), "".into(), "sha256:ab".into()));
        let img = Image {
            name: "nginx".into(),
            new_name: "my/nginx".into(),
            new_tag: "2".into(),
            ..Default::default()
        };
        assert_eq!(new_image("nginx:1.25", &img), "my/nginx:2");
    }
}
