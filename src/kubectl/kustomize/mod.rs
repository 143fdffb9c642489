//! `kubectl kustomize DIR` and `-k DIR`: the build of a kustomization as
//! kubectl's embedded kustomize v5 does it (`sigs.k8s.io/kustomize/api`
//! v0.20.1, `krusty.Kustomizer.Run` with kubectl's options: plugins off,
//! files only from under each kustomization's root, the legacy order).
//!
//! The steps, as `KustTarget.makeCustomizedResMap` runs them: each
//! kustomization accumulates its resources (files, and directories with
//! their own kustomization, built first), adds its generators' ConfigMaps
//! and Secrets, and runs its transformers in kustomize's fixed order; at
//! the top, generated names get their content hash, every reference to a
//! renamed object is updated, and the objects are sorted.
//!
//! What kubeplay does not build (remote resources, components, helm,
//! replacements, vars, plugins, ...) is an unsupported failure naming it.

mod fieldspec;
mod generators;
mod kustomization;
mod name_reference;
mod order;
mod transformers;

use serde_json::Value;

use crate::{version::Fact, workspace::Workspace};

/// Why a build failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// kustomize's error text (kubectl prints it after `error: `).
    Message(String),
    /// Something kustomize does that kubeplay does not.
    Unsupported(String),
}

impl Failure {
    fn wrap(self, prefix: &str) -> Failure {
        match self {
            Failure::Message(m) => Failure::Message(format!("{prefix}: {m}")),
            unsupported => unsupported,
        }
    }
}

/// An object's group, version and kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    /// The `apiVersion` and `kind` of `object`.
    pub fn of(object: &Value) -> Gvk {
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        let (group, version) = match api_version.rsplit_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk {
            group: group.into(),
            version: version.into(),
            kind: object["kind"].as_str().unwrap_or_default().into(),
        }
    }

    /// `resid.Gvk.String`: `Kind.version.group`, empty parts as
    /// `[noVer]`/`[noGrp]`.
    pub fn id_string(&self) -> String {
        let part =
            |s: &str, none: &'static str| if s.is_empty() { none.to_owned() } else { s.to_owned() };
        format!(
            "{}.{}.{}",
            part(&self.kind, "[noKind]"),
            part(&self.version, "[noVer]"),
            part(&self.group, "[noGrp]")
        )
    }
}

/// An object's identity (`resid.ResId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResId {
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
}

impl ResId {
    /// `ResId.String`: `Kind.version.group/name.namespace`, an empty
    /// namespace as `[noNs]`.
    pub fn id_string(&self) -> String {
        let ns = if self.namespace.is_empty() { "[noNs]" } else { &self.namespace };
        format!("{}/{}.{}", self.gvk.id_string(), self.name, ns)
    }
}

/// One object of the build, with what kustomize remembers of it.
#[derive(Debug, Clone)]
pub struct Resource {
    pub value: Value,
    /// Its identities before each rename, oldest first
    /// (`Resource.StorePreviousId`).
    previous: Vec<ResId>,
    /// Generated without `disableNameSuffixHash`: its name gets the hash
    /// of its content at the end of the build.
    needs_hash: bool,
    /// Name prefixes and suffixes added, for telling references apart.
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl Resource {
    fn new(value: Value) -> Resource {
        Resource {
            value,
            previous: Vec::new(),
            needs_hash: false,
            prefixes: Vec::new(),
            suffixes: Vec::new(),
        }
    }

    pub fn gvk(&self) -> Gvk {
        Gvk::of(&self.value)
    }

    fn meta(&self, field: &str) -> &str {
        self.value["metadata"][field].as_str().unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        self.meta("name")
    }

    pub fn namespace(&self) -> &str {
        self.meta("namespace")
    }

    pub fn cur_id(&self) -> ResId {
        ResId { gvk: self.gvk(), name: self.name().into(), namespace: self.namespace().into() }
    }

    /// The first identity it had (`OrgId`).
    pub fn org_id(&self) -> ResId {
        self.previous.first().cloned().unwrap_or_else(|| self.cur_id())
    }

    /// Every identity it had before the current one, or the current one
    /// when it was never renamed (`PrevIds`).
    pub fn prev_ids(&self) -> Vec<ResId> {
        if self.previous.is_empty() { vec![self.cur_id()] } else { self.previous.clone() }
    }

    /// Any identity it has had, the current one included.
    fn any_id(&self, test: impl Fn(&ResId) -> bool) -> bool {
        test(&self.cur_id()) || self.previous.iter().any(test)
    }

    fn store_previous_id(&mut self) {
        let id = self.cur_id();
        self.previous.push(id);
    }

    fn set_meta(&mut self, field: &str, text: &str) {
        if !self.value["metadata"].is_object() {
            self.value["metadata"] = Value::Object(Default::default());
        }
        self.value["metadata"][field] = Value::String(text.to_owned());
    }
}

/// What a build gives: the objects in output order, and the warnings
/// loading the kustomizations printed.
#[derive(Debug, Clone, Default)]
pub struct Build {
    pub objects: Vec<Value>,
    pub warnings: Vec<String>,
}

/// What a build depends on besides the files.
pub struct Env<'a> {
    pub workspace: &'a Workspace,
    /// kubectl's minor version (which kustomize it embeds).
    pub minor: u32,
    /// Whether objects of a kind have no namespace (from discovery;
    /// unknown kinds are namespaced, as kustomize assumes).
    pub cluster_scoped: &'a dyn Fn(&Gvk) -> bool,
}

/// Builds the kustomization in `dir` (as given on the command line).
pub fn build(env: &Env<'_>, dir: &str) -> Result<Build, Failure> {
    if !Fact::KustomizeBuilds.holds_at(env.minor) {
        return Err(Failure::Unsupported(format!(
            "kustomize before kubectl 1.24 (kubectl 1.{} embeds kustomize {})",
            env.minor,
            if env.minor >= 21 { "v4.0-v4.4" } else { "v2.0.3" }
        )));
    }
    let root = env.workspace.resolve(dir);
    if env.workspace.read(dir).is_some() {
        return Err(Failure::Message(format!(
            "must build at directory: '{root}': file is not directory"
        )));
    }
    if !env.workspace.is_dir(dir) {
        return Err(Failure::Message(format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{dir}' : lstat {root}: no such file or directory"
        )));
    }
    let mut warnings = Vec::new();
    let mut resources = accumulate(env, &root, &mut warnings, 0)?;
    generators::add_hashes(&mut resources);
    name_reference::fix(&mut resources, env)?;
    order::legacy(&mut resources);
    Ok(Build { objects: resources.into_iter().map(|r| r.value).collect(), warnings })
}

/// `kubectl kustomize`'s output: the objects as YAML documents.
pub fn render(build: &Build) -> String {
    let style = crate::kubectl::printers::yaml::Style { quote_timestamps: true };
    build
        .objects
        .iter()
        .map(|o| crate::kubectl::printers::yaml::to_string_as(o, style))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// How deep kustomizations may include each other before kubeplay calls
/// it a cycle (kustomize detects cycles by path; this bound is simpler).
const MAX_DEPTH: usize = 32;

/// `KustTarget.accumulateTarget` of the kustomization in `dir` (absolute).
fn accumulate(
    env: &Env<'_>,
    dir: &str,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<Vec<Resource>, Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::Unsupported(format!("kustomizations nested deeper than {MAX_DEPTH}")));
    }
    let text = kustomization::FILE_NAMES
        .iter()
        .find_map(|name| env.workspace.read(&crate::workspace::resolve_in(dir, name)))
        .ok_or_else(|| {
            Failure::Message(format!(
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{dir}'"
            ))
        })?;
    let (k, loaded_warnings) = kustomization::parse(text, env.minor)?;
    warnings.extend(loaded_warnings);
    let mut resources: Vec<Resource> = Vec::new();
    let entries = k.resources.iter().chain(k.bases.iter().flatten());
    for entry in entries {
        let more = accumulate_entry(env, dir, entry, warnings, depth)
            .map_err(|e| e.wrap("accumulating resources"))?;
        for r in more {
            add_unique(&mut resources, r)?;
        }
    }
    generators::run(env, dir, &k, &mut resources)?;
    transformers::run(env, dir, &k, &mut resources)?;
    Ok(resources)
}

/// `ResMap.Append`: two objects of one identity are an error.
fn add_unique(resources: &mut Vec<Resource>, r: Resource) -> Result<(), Failure> {
    let id = r.cur_id();
    if resources.iter().any(|other| other.cur_id() == id) {
        return Err(Failure::Message(format!(
            "may not add resource with an already registered id: {}",
            id.id_string()
        )));
    }
    resources.push(r);
    Ok(())
}

/// One `resources` entry: a file of objects, or a directory with its own
/// kustomization.
fn accumulate_entry(
    env: &Env<'_>,
    dir: &str,
    entry: &str,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<Vec<Resource>, Failure> {
    if entry.contains("://") || entry.starts_with("github.com/") || entry.starts_with("git@") {
        return Err(Failure::Unsupported(format!("kustomize remote resource `{entry}`")));
    }
    let path = crate::workspace::resolve_in(dir, entry);
    if let Some(text) = env.workspace.read(&path) {
        within_root(dir, &path)?;
        return read_objects(text)
            .map_err(|e| Failure::Message(format!("accumulating resources from '{entry}': {e}")));
    }
    if env.workspace.is_dir(&path) {
        return accumulate(env, &path, warnings, depth + 1);
    }
    Err(Failure::Message(format!(
        "accumulation err='accumulating resources from '{entry}': evalsymlink failure on '{path}' : lstat {path}: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '{path}' : lstat {path}: no such file or directory"
    )))
}

/// The objects of a YAML stream; a `List` stands for its items.
fn read_objects(text: &str) -> Result<Vec<Resource>, String> {
    let docs = crate::yaml::documents(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for doc in docs {
        match doc {
            Value::Object(ref map)
                if map.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"))
                    && map.get("items").is_some_and(Value::is_array) =>
            {
                for item in map["items"].as_array().into_iter().flatten() {
                    out.push(Resource::new(item.clone()));
                }
            }
            Value::Object(_) => out.push(Resource::new(doc)),
            other => return Err(format!("missing Resource metadata: {other}")),
        }
    }
    Ok(out)
}

/// `LoadRestrictionsRootOnly`: a file must lie in or below the
/// kustomization's directory.
fn within_root(root: &str, path: &str) -> Result<(), Failure> {
    let inside = path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'));
    if inside {
        Ok(())
    } else {
        Err(Failure::Message(format!("security; file '{path}' is not in or below '{root}'")))
    }
}

/// Reads a file named relative to a kustomization's directory, as its
/// loader does (in or below the directory).
fn load_file<'w>(env: &Env<'w>, dir: &str, name: &str) -> Result<&'w str, Failure> {
    let path = crate::workspace::resolve_in(dir, name);
    within_root(dir, &path)?;
    env.workspace
        .read(&path)
        .ok_or_else(|| Failure::Message(format!("open {path}: no such file or directory")))
}

#[cfg(test)]
mod tests;
