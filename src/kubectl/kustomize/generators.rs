//! `configMapGenerator` and `secretGenerator` (`api/internal/generators`,
//! `api/kv/kv.go`) and the content hash generated names end with
//! (`api/hasher/hasher.go`).

use std::collections::BTreeMap;

use crate::textutil::go_text::write_json_string;
use base64::Engine;
use serde_json::{Map, Value, json};

use super::{
    Env, Failure, Resource,
    kustomization::{Generator, GeneratorOptions, Kustomization},
};

/// Adds the objects of the kustomization's generators, or merges them
/// into the ones its resources already have (`behavior`).
pub fn run(
    env: &Env<'_>,
    dir: &str,
    k: &Kustomization,
    resources: &mut Vec<Resource>,
) -> Result<(), Failure> {
    for (kind, generators) in
        [("ConfigMap", &k.config_map_generator), ("Secret", &k.secret_generator)]
    {
        for g in generators {
            let pairs = pairs(env, dir, g)?;
            let options = merged_options(k.generator_options.as_ref(), g.options.as_ref());
            let made = make(kind, g, &pairs, &options, &k.namespace)?;
            match g.behavior.as_str() {
                "" | "create" => super::add_unique(resources, made)?,
                "merge" | "replace" => merge_into(resources, made, g.behavior == "replace")?,
                other => {
                    return Err(Failure::Message(format!("unknown generator behavior '{other}'")));
                }
            }
        }
    }
    Ok(())
}

/// `generatorOptions` merged with a generator's own: its labels and
/// annotations win, its hash switch wins when set.
fn merged_options(
    global: Option<&GeneratorOptions>,
    own: Option<&GeneratorOptions>,
) -> GeneratorOptions {
    let mut out = global.cloned().unwrap_or_default();
    if let Some(own) = own {
        out.labels.extend(own.labels.clone());
        out.annotations.extend(own.annotations.clone());
        if own.disable_name_suffix_hash.is_some() {
            out.disable_name_suffix_hash = own.disable_name_suffix_hash;
        }
        out.immutable |= own.immutable;
    }
    out
}

/// `loader.Load`: env files, then literals, then files, in that order.
fn pairs(env: &Env<'_>, dir: &str, g: &Generator) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    let env_files = g.envs.iter().chain(std::iter::once(&g.env).filter(|e| !e.is_empty()));
    for path in env_files {
        let text = super::load_file(env, dir, path)
            .map_err(|e| e.wrap(&format!("env source files: [{path}]")))?;
        out.extend(env_file_pairs(text)?);
    }
    for literal in &g.literals {
        out.push(literal_pair(literal).map_err(|m| {
            Failure::Message(format!("literal sources [{}]: {m}", g.literals.join(" ")))
        })?);
    }
    for source in &g.files {
        let (key, path) = match source.split_once('=') {
            Some((key, path)) => (key.to_owned(), path),
            None => (source.rsplit('/').next().unwrap_or(source).to_owned(), source.as_str()),
        };
        let text = super::load_file(env, dir, path)
            .map_err(|e| e.wrap(&format!("file sources: [{}]", g.files.join(" "))))?;
        out.push((key, text.to_owned()));
    }
    Ok(out)
}

/// `parseLiteralSource`: `KEY=VALUE`, one pair of surrounding quotes
/// removed from the value.
fn literal_pair(source: &str) -> Result<(String, String), String> {
    let Some((key, value)) = source.split_once('=').filter(|(k, _)| !k.is_empty()) else {
        return Err(format!("invalid literal source {source}, expected key=value"));
    };
    let b = value.as_bytes();
    let unquoted = if b.len() >= 2 && b[0] == b[b.len() - 1] && (b[0] == b'"' || b[0] == b'\'') {
        &value[1..value.len() - 1]
    } else {
        value
    };
    Ok((key.to_owned(), unquoted.to_owned()))
}

/// `keyValuesFromLines`: `KEY=VALUE` lines; blank lines and `#` comments
/// are skipped; a line without `=` has an empty value.
fn env_file_pairs(text: &str) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = if i == 0 { line.trim_start_matches('\u{feff}') } else { line };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        out.push((key.to_owned(), value.to_owned()));
    }
    Ok(out)
}

/// The generated object (`MakeConfigMap`/`MakeSecret`).
fn make(
    kind: &str,
    g: &Generator,
    pairs: &[(String, String)],
    options: &GeneratorOptions,
    kustomization_namespace: &str,
) -> Result<Resource, Failure> {
    let mut data = Map::new();
    for (key, value) in pairs {
        if data.contains_key(key) {
            let what = if kind == "Secret" { "secret" } else { "configmap" };
            return Err(Failure::Message(format!(
                "{what} {} illegally repeats the key `{key}`",
                g.name
            )));
        }
        let value = if kind == "Secret" {
            base64::engine::general_purpose::STANDARD.encode(value)
        } else {
            value.clone()
        };
        data.insert(key.clone(), Value::String(value));
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(g.name));
    let namespace = if g.namespace.is_empty() { kustomization_namespace } else { &g.namespace };
    if !namespace.is_empty() {
        metadata.insert("namespace".into(), json!(namespace));
    }
    if !options.labels.is_empty() {
        metadata.insert("labels".into(), string_map(&options.labels));
    }
    if !options.annotations.is_empty() {
        metadata.insert("annotations".into(), string_map(&options.annotations));
    }
    let mut object = json!({"apiVersion": "v1", "kind": kind, "metadata": metadata});
    if kind == "Secret" {
        let ty = if g.secret_type.is_empty() { "Opaque" } else { &g.secret_type };
        object["type"] = json!(ty);
    }
    if !data.is_empty() {
        object["data"] = Value::Object(data);
    }
    if options.immutable {
        object["immutable"] = json!(true);
    }
    let mut r = Resource::new(object);
    r.needs_hash = !options.disable_name_suffix_hash.unwrap_or(false);
    Ok(r)
}

fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

/// `behavior: merge|replace`: the generated data goes into the object of
/// the same kind and name the resources already have.
fn merge_into(resources: &mut [Resource], made: Resource, replace: bool) -> Result<(), Failure> {
    let id = made.cur_id();
    let Some(existing) = resources
        .iter_mut()
        .find(|r| r.any_id(|other| other.gvk == id.gvk && other.name == id.name))
    else {
        return Err(Failure::Message(format!(
            "id {} does not exist; cannot merge or replace",
            id.id_string()
        )));
    };
    for field in ["data", "binaryData"] {
        match (made.value.get(field), replace) {
            (Some(new), true) => existing.value[field] = new.clone(),
            (None, true) => {
                if let Some(m) = existing.value.as_object_mut() {
                    m.remove(field);
                }
            }
            (Some(Value::Object(new)), false) => {
                if !existing.value[field].is_object() {
                    existing.value[field] = Value::Object(Map::new());
                }
                for (k, v) in new {
                    existing.value[field][k] = v.clone();
                }
            }
            _ => {}
        }
    }
    for field in ["labels", "annotations"] {
        if let Some(Value::Object(new)) = made.value["metadata"].get(field) {
            for (k, v) in new {
                existing.value["metadata"][field][k] = v.clone();
            }
        }
    }
    existing.needs_hash |= made.needs_hash;
    Ok(())
}

/// At the end of the build, each generated object's name gets `-` and
/// the hash of its content (`KustTarget.addHashesToNames`).
pub fn add_hashes(resources: &mut [Resource]) {
    for r in resources.iter_mut().filter(|r| r.needs_hash) {
        let name = format!("{}-{}", r.name(), hash(&r.value));
        r.store_previous_id();
        r.set_meta("name", &name);
    }
}

/// `Hasher.Hash` of a ConfigMap or Secret: the name hash of a JSON
/// document of its kind, data (and type) — and an empty name: the hasher
/// looks the name up as one field called `metadata/name`, which no object
/// has.
pub fn hash(object: &Value) -> String {
    let kind = object["kind"].as_str().unwrap_or_default();
    let field = |f: &str| match object.get(f) {
        Some(v @ Value::Object(_)) => v.clone(),
        Some(Value::String(s)) => json!(s),
        _ => json!(""),
    };
    let mut doc = BTreeMap::new();
    doc.insert("kind", json!(kind));
    doc.insert("name", json!(""));
    doc.insert("data", field("data"));
    if kind == "Secret" {
        doc.insert("type", field("type"));
        if object.get("stringData").is_some_and(Value::is_object) {
            doc.insert("stringData", field("stringData"));
        }
    } else if object.get("binaryData").is_some_and(Value::is_object) {
        doc.insert("binaryData", field("binaryData"));
    }
    let mut encoded = String::new();
    go_json(&json!(doc), &mut encoded);
    crate::kubectl::name_hash::of(&encoded)
}

/// Go's `json.Marshal`: keys sorted, no spaces, strings HTML-safe.
fn go_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, k);
                out.push(':');
                go_json(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(x, out);
            }
            out.push(']');
        }
        Value::String(s) => write_json_string(out, s),
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kubectl 1.35.4's `kubectl kustomize` of a generator with literals
    /// `A=1` and `B=two` named `dev-cfg-6b56fdfggc`, whatever the prefix.
    #[test]
    fn the_hash_is_that_of_kubectls_kustomize() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dev-cfg"}, "data": {"A": "1", "B": "two"}});
        assert_eq!(hash(&cm), "6b56fdfggc");
    }

    #[test]
    fn literals_lose_one_pair_of_quotes() {
        assert_eq!(literal_pair("a=\"b c\"").unwrap(), ("a".into(), "b c".into()));
        assert_eq!(literal_pair("a='x").unwrap(), ("a".into(), "'x".into()));
        assert_eq!(literal_pair("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(literal_pair("=b").is_err() && literal_pair("ab").is_err());
    }
}
