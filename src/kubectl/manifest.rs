//! Reading `-f FILE` manifests as kubectl's resource builder does
//! (`cli-runtime/pkg/resource/visitor.go` `FileVisitor`/`StreamVisitor`):
//! documents split on `---`, each converted YAML→JSON, then decoded and
//! validated. Errors carry kubectl's texts; nothing touches the cluster.

use super::{args::Invocation, error::KubectlError, messages::files};
use crate::version::Fact;
use crate::{
    sim::{Kind, Object, object::DecodeError, registry::Registry},
    workspace::Workspace,
};

/// One object read from a file.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The file name as given on the command line.
    pub source: String,
    /// The manifest as JSON, namespace filled in.
    pub value: serde_json::Value,
    /// The decoded object.
    pub object: Object,
    /// The fields the kind's schema does not know (`spec.foo`), which the
    /// API server's field validation reports.
    pub unknown_fields: Vec<String>,
}

impl Manifest {
    /// The object's kind.
    pub fn kind(&self) -> Kind {
        self.object.kind()
    }

    /// The API server's deprecation warning for the manifest's version, as
    /// kubectl prints it (`Warning: …\n`), at minor `minor`.
    pub fn deprecation_warning(&self, minor: u32) -> Option<String> {
        let text = |k: &str| self.value.get(k).and_then(|v| v.as_str()).unwrap_or("");
        crate::sim::conversion::deprecation_warning(text("apiVersion"), text("kind"), minor)
            .map(|w| format!("Warning: {w}\n"))
    }

    /// The API group of the version the manifest is written in.
    pub fn group(&self) -> &str {
        let api_version = self.value.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("");
        api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }
}

/// `-f`, `-R` and `-k` as the resource builder takes them
/// (`cli-runtime/pkg/resource/builder.go` `FilenameOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilenameOptions {
    /// `-f`: files, directories, URLs given by file blocks, or `-`.
    pub filenames: Vec<String>,
    /// `-R`: walk directories' subdirectories too.
    pub recursive: bool,
    /// `-k`: a kustomization directory.
    pub kustomize: Option<String>,
}

impl FilenameOptions {
    /// The options of a parsed command line.
    pub fn from_invocation(inv: &Invocation) -> FilenameOptions {
        FilenameOptions {
            filenames: inv.strings("filename"),
            recursive: inv.bool("recursive"),
            kustomize: inv.value("kustomize").filter(|k| !k.is_empty()).map(str::to_owned),
        }
    }

    /// Neither `-f` nor `-k` given.
    pub fn is_empty(&self) -> bool {
        self.filenames.is_empty() && self.kustomize.is_none()
    }

    /// `FilenameOptions.validate`, which the builder runs first.
    fn validate(&self) -> Result<(), KubectlError> {
        let mut errors = Vec::new();
        if !self.filenames.is_empty() && self.kustomize.is_some() {
            errors.push(files::F_AND_K);
        }
        if self.kustomize.is_some() && self.recursive {
            errors.push(files::K_AND_R);
        }
        match errors.as_slice() {
            [] => Ok(()),
            [one] => Err(KubectlError::msg(*one)),
            // `utilerrors.NewAggregate` prints a list in brackets.
            many => Err(KubectlError::msg(format!("[{}]", many.join(", ")))),
        }
    }
}

/// Where the objects read go, and which kubectl reads them.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// Namespaced objects without a namespace get this one.
    pub namespace: &'a str,
    /// A different namespace in a file is an error (`-n` was given).
    pub enforce: bool,
    /// kubectl's minor version.
    pub minor: u32,
}

/// Reads every object the options name, in order; what kustomize warns
/// of goes to `warnings`.
pub fn read_all(
    registry: &Registry,
    workspace: &Workspace,
    options: &FilenameOptions,
    scope: &Scope<'_>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Manifest>, KubectlError> {
    let Scope { namespace, enforce, minor } = *scope;
    options.validate()?;
    if let Some(dir) = &options.kustomize {
        // `KustomizeVisitor`: the build's objects, named by the directory.
        let build = kustomize(registry, workspace, dir, minor)?;
        warnings.extend(build.warnings);
        return build
            .objects
            .into_iter()
            .map(|value| decode(registry, dir, value, namespace, enforce))
            .collect();
    }
    let mut out = Vec::new();
    let mut sources = 0usize;
    for given in &options.filenames {
        for (path, text) in expand(workspace, given, options.recursive)? {
            sources += 1;
            for doc in split_documents(text) {
                let value: serde_json::Value =
                    match crate::yaml::from_str_yaml11::<serde_json::Value>(&doc) {
                        Ok(v) => v,
                        Err(e) => {
                            return Err(KubectlError::msg(files::parse_error(
                                &path,
                                &go_yaml_error(&e),
                            )));
                        }
                    };
                if value.is_null() {
                    continue;
                }
                out.push(decode(registry, &path, value, namespace, enforce)?);
            }
        }
        // `Builder.Path`: no file found so far under any path given.
        if sources == 0 && Fact::EmptyDirectoryError.holds_at(minor) {
            return Err(KubectlError::msg(files::no_recognized_files(given)));
        }
    }
    Ok(out)
}

/// The build of the kustomization in `dir` by the kustomize kubectl 1.`minor`
/// embeds; kinds are cluster-scoped as the registry serves them.
pub fn kustomize(
    registry: &Registry,
    workspace: &Workspace,
    dir: &str,
    minor: u32,
) -> Result<super::kustomize::Build, KubectlError> {
    use super::kustomize::{Env, Failure, Gvk, build};
    let cluster_scoped = |gvk: &Gvk| {
        let api_version = if gvk.group.is_empty() {
            gvk.version.clone()
        } else {
            format!("{}/{}", gvk.group, gvk.version)
        };
        registry.for_manifest(&api_version, &gvk.kind).is_some_and(|k| !k.info().namespaced)
    };
    let env = Env { workspace, minor, cluster_scoped: &cluster_scoped };
    build(&env, dir).map_err(|e| match e {
        Failure::Message(m) => KubectlError::msg(m),
        Failure::Unsupported(what) => KubectlError::unsupported(what),
    })
}

/// The files one `-f` names, each with the path kubectl's messages give
/// it: `-` is standard input, named STDIN (`FileVisitorForSTDIN`); a
/// directory is walked (`ExpandPathsToFileVisitors`), its files joined to
/// the path as given and kept when their extension is one the builder
/// reads; a file named explicitly is read whatever its extension.
fn expand<'w>(
    workspace: &'w Workspace,
    given: &str,
    recursive: bool,
) -> Result<Vec<(String, &'w str)>, KubectlError> {
    if given == "-"
        && let Some(stdin) = workspace.stdin()
    {
        return Ok(vec![("STDIN".to_owned(), stdin)]);
    }
    if let Some(text) = workspace.read(given) {
        return Ok(vec![(given.to_owned(), text)]);
    }
    if !workspace.is_dir(given) {
        return Err(KubectlError::msg(files::path_does_not_exist(given)));
    }
    Ok(workspace
        .walk(given, recursive)
        .into_iter()
        .filter(|(rel, _)| FILE_EXTENSIONS.iter().any(|ext| rel.ends_with(ext)))
        .map(|(rel, text)| (go_join(given, &rel), text))
        .collect())
}

/// `resource.FileExtensions`: what a directory's files must end with.
pub const FILE_EXTENSIONS: [&str; 3] = [".json", ".yaml", ".yml"];

/// Go's `filepath.Join`: the parts joined by `/`, then cleaned (no `.`
/// steps, no doubled or trailing slash, `..` folded where it can be).
fn go_join(dir: &str, rel: &str) -> String {
    let absolute = dir.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(rel.split('/')) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute { format!("/{joined}") } else { joined }
}

fn decode(
    registry: &Registry,
    path: &str,
    mut value: serde_json::Value,
    namespace: &str,
    enforce: bool,
) -> Result<Manifest, KubectlError> {
    let missing: Vec<&str> = ["apiVersion", "kind"]
        .into_iter()
        .filter(|k| value.get(*k).and_then(|v| v.as_str()).is_none_or(str::is_empty))
        .map(|k| if k == "kind" { "kind not set" } else { "apiVersion not set" })
        .collect();
    match missing.len() {
        0 => {}
        1 => return Err(KubectlError::msg(files::validation(path, missing[0]))),
        _ => {
            return Err(KubectlError::msg(files::validation(
                path,
                &format!("[{}]", missing.join(", ")),
            )));
        }
    }
    let api_version = value["apiVersion"].as_str().unwrap_or_default().to_owned();
    let kind_name = value["kind"].as_str().unwrap_or_default().to_owned();
    let Some(kind) = registry.for_manifest(&api_version, &kind_name) else {
        let meta = |field: &str| {
            value.pointer(&format!("/metadata/{field}")).and_then(|v| v.as_str()).unwrap_or("")
        };
        return Err(KubectlError::NoKindMatch {
            path: path.to_owned(),
            kind: kind_name,
            api_version,
            name: meta("name").to_owned(),
            namespace: meta("namespace").to_owned(),
        });
    };
    if kind.info().namespaced {
        let file_ns = value
            .pointer("/metadata/namespace")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        if file_ns.is_empty() {
            if let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                meta.insert("namespace".into(), namespace.into());
            }
        } else if enforce && file_ns != namespace {
            return Err(KubectlError::msg(super::messages::namespace_mismatch(
                &file_ns, namespace,
            )));
        }
    }
    match registry.decode(value.clone()) {
        Ok(object) => {
            let unknown_fields = registry.unknown_fields(&value);
            Ok(Manifest { source: path.to_owned(), value, object, unknown_fields })
        }
        Err(DecodeError::Unsupported(what)) => Err(KubectlError::unsupported(what)),
        Err(DecodeError::Shape(detail)) => Err(KubectlError::msg(files::validation(path, &detail))),
        Err(other) => Err(KubectlError::msg(files::validation(path, &other.to_string()))),
    }
}

/// `yaml.NewDocumentDecoder`: documents separated by `---` lines.
fn split_documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            docs.push(String::new());
            continue;
        }
        if let Some(d) = docs.last_mut() {
            d.push_str(line);
        }
    }
    docs.into_iter().filter(|d| !d.trim().is_empty()).collect()
}

/// A YAML error as Go's `yaml.v2` words it: `yaml: line N: <problem>`.
/// libyaml scanner errors report the problem's 1-based line; parser errors
/// report it 0-based (yaml.v2 only adds one for scanner errors). yaml.v2's
/// `parser.fail` prints no line when the problem's 0-based line is 0: a
/// problem on the first line has no `line N: `.
pub fn go_yaml_error(e: &crate::yaml::YamlError) -> String {
    let problem = e.message.split(" at line ").next().unwrap_or(&e.message).trim().to_owned();
    let problem = problem.strip_prefix("yaml: ").unwrap_or(&problem).to_owned();
    const PARSER_PROBLEMS: &[&str] = &[
        "did not find expected key",
        "did not find expected node content",
        "did not find expected '-' indicator",
        "did not find expected ',' or ']'",
        "did not find expected ',' or '}'",
    ];
    let line = e.line.map(|l| {
        if PARSER_PROBLEMS.iter().any(|p| problem.starts_with(p)) {
            l.saturating_sub(1)
        } else if l <= 1 {
            0
        } else {
            l
        }
    });
    match line {
        Some(l) if l > 0 => format!("yaml: line {l}: {problem}"),
        _ => format!("yaml: {problem}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::for_version(crate::version::KubeVersion::parse("v1.22.2").unwrap())
    }

    const DEFAULT: Scope<'static> = Scope { namespace: "default", enforce: false, minor: 22 };

    fn files(names: &[&str]) -> FilenameOptions {
        FilenameOptions {
            filenames: names.iter().map(|n| n.to_string()).collect(),
            ..Default::default()
        }
    }

    fn names(w: &Workspace, options: &FilenameOptions, minor: u32) -> Result<Vec<String>, String> {
        let scope = Scope { minor, ..DEFAULT };
        read_all(&registry(), w, options, &scope, &mut Vec::new())
            .map(|ms| ms.iter().map(|m| format!("{} {}", m.source, m.object.name())).collect())
            .map_err(|e| e.render(minor))
    }

    /// `kubectl apply -f DIR` reads the directory's `.json`, `.yaml` and
    /// `.yml` files in name order, each named by the path as given joined
    /// to the file's (`ExpandPathsToFileVisitors`); `-R` walks down.
    #[test]
    fn a_directory_is_read_file_by_file() {
        let cm = |n: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n");
        let mut w = Workspace::default();
        w.write("k8s/b.yml", cm("b"));
        w.write("k8s/a.json", r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#);
        w.write("k8s/README.md", "not read");
        w.write("k8s/sub/c.yaml", cm("c"));
        w.write("empty/notes.txt", "x");
        let opts = |f: &str, recursive| FilenameOptions { recursive, ..files(&[f]) };
        assert_eq!(names(&w, &opts("k8s/", false), 22).unwrap(), ["k8s/a.json a", "k8s/b.yml b"]);
        assert_eq!(
            names(&w, &opts("./k8s", true), 22).unwrap(),
            ["k8s/a.json a", "k8s/b.yml b", "k8s/sub/c.yaml c"]
        );
        assert_eq!(
            names(&w, &opts("empty", false), 22).unwrap_err(),
            "error: error reading [empty]: recognized file extensions are [.json .yaml .yml]\n"
        );
        // v1.10's builder had no such check: nothing read, nothing said.
        assert_eq!(names(&w, &opts("empty", false), 10).unwrap(), Vec::<String>::new());
        assert_eq!(
            names(&w, &opts("nope", false), 22).unwrap_err(),
            "error: the path \"nope\" does not exist\n"
        );
        let both =
            FilenameOptions { kustomize: Some(".".into()), recursive: true, ..files(&["a.yaml"]) };
        assert_eq!(
            names(&w, &both, 22).unwrap_err(),
            "error: [only one of -f or -k can be specified, the -k flag can't be used with -f or -R]\n"
        );
    }

    fn ws(text: &str) -> Workspace {
        let mut w = Workspace::default();
        w.write("x.yaml", text);
        w
    }

    #[test]
    fn reads_multi_document_files() {
        let w = ws(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {}\n  template: {}\n",
        );
        let m = read_all(&registry(), &w, &files(&["x.yaml"]), &DEFAULT, &mut Vec::new()).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].object.namespace(), Some("default"));
        assert_eq!(m[0].object.namespace(), None);
    }

    #[test]
    fn dash_reads_what_was_piped_in_and_is_named_stdin() {
        let w = Workspace::default()
            .with_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\n");
        let m = read_all(&registry(), &w, &files(&["-"]), &DEFAULT, &mut Vec::new()).unwrap();
        assert_eq!((m[0].source.as_str(), m[0].object.name()), ("STDIN", "piped"));
        let w = Workspace::default().with_stdin("kind: [\n");
        assert_eq!(
            read_all(&registry(), &w, &files(&["-"]), &DEFAULT, &mut Vec::new())
                .unwrap_err()
                .render(22),
            "error: error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected node content\n"
        );
    }

    #[test]
    fn kubectl_errors() {
        let err = |text: &str| {
            read_all(&registry(), &ws(text), &files(&["x.yaml"]), &DEFAULT, &mut Vec::new())
                .unwrap_err()
                .render(22)
        };
        assert_eq!(
            err("apiVersion: v1\nkind: Foo\nmetadata:\n  name: a\n"),
            "error: unable to recognize \"x.yaml\": no matches for kind \"Foo\" in version \"v1\"\n"
        );
        assert_eq!(
            err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: x: y\n"),
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context\n"
        );
        assert!(err("metadata:\n  name: a\n").contains("[apiVersion not set, kind not set]"));
        assert_eq!(
            read_all(
                &registry(),
                &Workspace::default(),
                &files(&["nope.yaml"]),
                &DEFAULT,
                &mut Vec::new()
            )
            .unwrap_err()
            .render(22),
            "error: the path \"nope.yaml\" does not exist\n"
        );
    }
}
