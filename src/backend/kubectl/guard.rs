//! What one kubectl step may do on a user's cluster, decided before it
//! runs: flags that would leave the named context are refused; the step's
//! namespace is added after parsing argv as kubectl does (so what follows
//! `--` stays the container's); writes outside the namespace, to
//! cluster-scoped objects and to nodes run only where the scenario declares
//! the capability, and are recorded with how to undo them; file arguments
//! are confined to the run's workspace.

use std::path::Path;

use crate::{
    kubectl::args::{self, ParseError},
    scenario::Capability,
    workspace::Workspace,
};

/// Global flags that choose the cluster, the credentials or files outside
/// the workspace: kubeplay sets the first two itself and a step may not
/// override them (`genericclioptions.ConfigFlags`, klog's file flags).
const REFUSED_FLAGS: &[&str] = &[
    "context",
    "kubeconfig",
    "cluster",
    "user",
    "server",
    "token",
    "as",
    "as-group",
    "as-uid",
    "username",
    "password",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "insecure-skip-tls-verify",
    "tls-server-name",
    "cache-dir",
    "log-dir",
    "log-file",
    "profile-output",
];

/// Commands that only read (retried "eventually"; never change anything,
/// anywhere). Everything else has effects and runs once.
pub fn is_pure_read(path: &[&str]) -> bool {
    matches!(
        path,
        ["get"]
            | ["describe"]
            | ["logs"]
            | ["top", ..]
            | ["version"]
            | ["api-resources"]
            | ["api-versions"]
            | ["cluster-info"]
            | ["explain"]
            | ["events"]
            | ["rollout", "history" | "status"]
            | ["wait"]
            | ["diff"]
            | ["auth", "can-i" | "whoami"]
            | [
                "config",
                "view" | "get-contexts" | "current-context" | "get-clusters" | "get-users"
            ]
            | ["completion"]
            | ["options"]
            | ["plugin", "list"]
    )
}

/// Resource names (plural, singular, short) of cluster-scoped kinds, and
/// whether they are nodes.
const CLUSTER_SCOPED: &[(&[&str], bool)] = &[
    (&["nodes", "node", "no"], true),
    (&["namespaces", "namespace", "ns"], false),
    (&["persistentvolumes", "persistentvolume", "pv"], false),
    (&["clusterroles", "clusterrole"], false),
    (&["clusterrolebindings", "clusterrolebinding"], false),
    (&["customresourcedefinitions", "customresourcedefinition", "crd", "crds"], false),
    (&["storageclasses", "storageclass", "sc"], false),
    (&["priorityclasses", "priorityclass", "pc"], false),
    (&["ingressclasses", "ingressclass"], false),
    (&["runtimeclasses", "runtimeclass"], false),
    (&["csidrivers", "csidriver"], false),
    (&["csinodes", "csinode"], false),
    (&["volumeattachments", "volumeattachment"], false),
    (&["mutatingwebhookconfigurations", "mutatingwebhookconfiguration"], false),
    (&["validatingwebhookconfigurations", "validatingwebhookconfiguration"], false),
    (&["apiservices", "apiservice"], false),
    (&["certificatesigningrequests", "certificatesigningrequest", "csr"], false),
    (&["podsecuritypolicies", "podsecuritypolicy", "psp"], false),
    (&["flowschemas", "flowschema"], false),
    (&["prioritylevelconfigurations", "prioritylevelconfiguration"], false),
];

/// Kinds (as in manifests) of cluster-scoped objects.
const CLUSTER_SCOPED_KINDS: &[&str] = &[
    "Node",
    "Namespace",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "APIService",
    "CertificateSigningRequest",
    "PodSecurityPolicy",
    "FlowSchema",
    "PriorityLevelConfiguration",
];

/// Whether a resource word (`nodes`, `crd`, `clusterroles.rbac.authorization.k8s.io`)
/// names a cluster-scoped kind: `Some(true)` for nodes.
fn cluster_scoped(resource: &str) -> Option<bool> {
    let name = resource.split('.').next().unwrap_or_default().to_ascii_lowercase();
    CLUSTER_SCOPED.iter().find(|(names, _)| names.contains(&name.as_str())).map(|(_, n)| *n)
}

/// A step as it will run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// kubectl's arguments (without `kubectl` and kubeplay's global flags).
    pub args: Vec<String>,
    /// What it touches outside the run's namespace (`node/worker1: kubectl
    /// cordon worker1`), for the report.
    pub outside: Vec<String>,
    /// kubectl argv that undo it.
    pub undo: Vec<Vec<String>>,
}

/// The run a step belongs to.
pub struct Context<'a> {
    /// The run's namespace.
    pub namespace: &'a str,
    /// What the scenario declared.
    pub capabilities: &'a [Capability],
    /// The scenario's workspace.
    pub workspace: &'a Workspace,
    /// Where the workspace is written on disk.
    pub root: &'a Path,
}

/// Decides how `argv` (`argv[0]` is `kubectl`) runs, or why it cannot run
/// here (the `unsupported` thing, named).
pub fn plan(argv: &[String], cx: &Context<'_>) -> Result<Plan, String> {
    let dash = argv.iter().position(|a| a == "--").unwrap_or(argv.len());
    let (head, tail) = argv.split_at(dash);
    let parsed = args::parse(argv);
    // Refused flags, by the parser's reading and by their spelling (a
    // command whose flags kubeplay does not know still goes to kubectl).
    let mut refused: Vec<String> = head[1..]
        .iter()
        .filter_map(|a| a.strip_prefix("--"))
        .map(|a| a.split('=').next().unwrap_or_default().to_owned())
        .filter(|name| REFUSED_FLAGS.contains(&name.as_str()))
        .collect();
    if let Ok(inv) = &parsed {
        refused.extend(
            inv.flags
                .iter()
                .filter(|(n, _)| REFUSED_FLAGS.contains(n))
                .map(|(n, _)| (*n).to_owned()),
        );
    } else if head[1..].iter().any(|a| a == "-s" || (a.starts_with("-s") && !a.starts_with("--"))) {
        refused.push("server".into());
    }
    if let Some(flag) = refused.first() {
        return Err(format!(
            "flag --{flag} on a real cluster (kubeplay uses only the context you named)"
        ));
    }
    let inv = match parsed {
        Ok(inv) => Some(inv),
        Err(ParseError::UnknownCommand { name, .. }) => {
            // A plugin: a program of the user's, `kubectl-NAME` on PATH.
            if !cx.capabilities.contains(&Capability::Plugins) {
                return Err(format!(
                    "kubectl plugin `kubectl {name}` (declare `capabilities: [plugins]`)"
                ));
            }
            return Ok(Plan { args: argv[1..].to_vec(), ..Plan::default() });
        }
        Err(ParseError::FlagsBeforePlugin(_)) => {
            return Err("kubectl plugin with flags before its name".into());
        }
        // `--help` and flag errors: kubectl answers them itself, without
        // the cluster; the namespace is still added.
        Err(_) => None,
    };
    let path: Vec<String> = match &inv {
        Some(inv) => inv.path.iter().map(|w| (*w).to_owned()).collect(),
        // kubeplay's table does not know the command (or refuses it as
        // unemulated): its first word is the verb, the rest positional.
        None => args::command_words(argv)
            .map(|(p, _)| p.into_iter().map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_else(|| plain_words(head).into_iter().take(1).collect()),
    };
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let (namespace, all_namespaces) = match &inv {
        Some(inv) => (inv.value("namespace").map(str::to_owned), inv.bool("all-namespaces")),
        None => scan_namespace(head),
    };
    // `kubectl config SUB`, whether or not kubeplay's table knows SUB.
    let mut words = head[1..].iter().filter(|w| !w.starts_with('-'));
    if words.next().is_some_and(|w| w == "config")
        && let Some(sub) = words.next()
        && writes_cluster_config(sub)
    {
        return Err(format!(
            "kubectl config {sub} on a real cluster (it would change the cluster or credentials kubeplay was given)"
        ));
    }
    // The run's private kubeconfig could take a context namespace, but
    // every step is pinned to the scenario's own namespace (`--namespace=`
    // below), so later steps would silently ignore it.
    if head[1..].iter().any(|w| w == "set-context")
        && head.iter().any(|w| w == "--namespace" || w.starts_with("--namespace="))
    {
        return Err(
            "kubectl config set-context --namespace on a real cluster (every step runs in the scenario's own namespace)"
                .to_owned(),
        );
    }
    let mut plan = Plan::default();
    let mut args_out = confine_files(head, tail, &path, cx)?;
    let line = argv.join(" ");
    // A dry run changes nothing on the cluster (client: no request at
    // all; server: validated and discarded), wherever it points.
    let dry_run = match &inv {
        Some(inv) => inv.value("dry-run").is_some_and(|v| v != "none" && v != "false"),
        None => head.iter().any(|a| {
            a == "--dry-run"
                || a.strip_prefix("--dry-run=").is_some_and(|v| v != "none" && v != "false")
        }),
    };
    if !is_pure_read(&path) && path.first() != Some(&"config") && !dry_run {
        let mut need = |capability: Capability, what: String| -> Result<(), String> {
            if cx.capabilities.contains(&capability) {
                plan.outside.push(format!("{what}: {line}"));
                Ok(())
            } else {
                Err(format!(
                    "{what} on a real cluster (declare `capabilities: [{}]`)",
                    capability.name()
                ))
            }
        };
        if all_namespaces {
            need(Capability::OtherNamespaces, "all namespaces".into())?;
        }
        if let Some(ns) = namespace.as_deref().filter(|ns| *ns != cx.namespace) {
            need(Capability::OtherNamespaces, format!("namespace {ns}"))?;
        }
        let mut positional: Vec<String> = match &inv {
            Some(inv) => {
                inv.args.iter().take(inv.args_len_at_dash.unwrap_or(usize::MAX)).cloned().collect()
            }
            // Flags unknown to kubeplay's table: the words that are no flags.
            None => args::command_words(head)
                .map(|(_, rest)| rest.into_iter().filter(|w| !w.starts_with('-')).collect())
                .unwrap_or_else(|| plain_words(head).into_iter().skip(1).collect()),
        };
        // `create KIND NAME` for a kind kubeplay's table lacks.
        let create_kind =
            (path == ["create"] && !positional.is_empty()).then(|| positional.remove(0));
        let path: Vec<&str> = path.iter().copied().chain(create_kind.as_deref()).collect();
        for target in targets(&path, &positional) {
            match target {
                Target::Node(name) => need(Capability::Nodes, format!("node {name}"))?,
                Target::ClusterScoped(what) => need(Capability::ClusterScoped, what)?,
            }
        }
        for (kind, name, ns) in manifests(&args_out, cx) {
            if kind == "Node" {
                need(Capability::Nodes, format!("node {name}"))?;
            } else if CLUSTER_SCOPED_KINDS.contains(&kind.as_str()) {
                need(Capability::ClusterScoped, format!("{} {name}", kind.to_ascii_lowercase()))?;
                if matches!(path.first(), Some(&"create" | &"apply" | &"replace")) {
                    plan.undo.push(delete(&kind.to_ascii_lowercase(), &name));
                }
            } else if let Some(ns) = ns.filter(|ns| ns != cx.namespace) {
                need(Capability::OtherNamespaces, format!("namespace {ns}"))?;
            }
        }
        plan.undo.extend(undo_of(&path, &positional));
    }
    if namespace.is_none() && !all_namespaces {
        args_out.insert(0, format!("--namespace={}", cx.namespace));
    }
    plan.args = args_out;
    Ok(plan)
}

/// `kubectl config` subcommands that change a cluster's address or the
/// credentials, which would let a later step reach another server.
fn writes_cluster_config(sub: &str) -> bool {
    matches!(sub, "set-cluster" | "set-credentials" | "set" | "unset")
}

/// `-n NS`, `--namespace NS`, `-A` by spelling, before `--` (when the
/// parser cannot read the command).
fn scan_namespace(head: &[String]) -> (Option<String>, bool) {
    let mut namespace = None;
    let mut all = false;
    let mut words = head.iter().skip(1);
    while let Some(w) = words.next() {
        if w == "-A" || w == "--all-namespaces" || w == "--all-namespaces=true" {
            all = true;
        } else if w == "-n" || w == "--namespace" {
            namespace = words.next().cloned();
        } else if let Some(v) = w.strip_prefix("--namespace=") {
            namespace = Some(v.to_owned());
        } else if let Some(v) = w.strip_prefix("-n").filter(|_| !w.starts_with("--")) {
            namespace = Some(v.trim_start_matches('=').to_owned());
        }
    }
    (namespace, all)
}

/// The words of a kubectl command line that are no flags (nor a flag's
/// value given as `-n NAME` / `--namespace NAME`), after `kubectl`.
fn plain_words(head: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    let mut iter = head.iter().skip(1);
    while let Some(word) = iter.next() {
        if word == "-n" || word == "--namespace" || word == "-l" || word == "-o" {
            iter.next();
        } else if !word.starts_with('-') {
            words.push(word.clone());
        }
    }
    words
}

/// What a step names outside any namespace.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Node(String),
    ClusterScoped(String),
}

/// The nodes and cluster-scoped objects a command's words name.
fn targets(path: &[&str], positional: &[String]) -> Vec<Target> {
    let mut out = Vec::new();
    match path {
        ["cordon" | "uncordon" | "drain"] => {
            for name in positional {
                out.push(Target::Node(name.clone()));
            }
            if positional.is_empty() {
                out.push(Target::Node("(selected)".into()));
            }
            return out;
        }
        ["create", kind, ..] if *kind != "secret" && *kind != "configmap" => {
            if let Some(is_node) = cluster_scoped(kind) {
                let name = positional.first().cloned().unwrap_or_default();
                out.push(if is_node {
                    Target::Node(name)
                } else {
                    Target::ClusterScoped(format!("{kind} {name}"))
                });
            }
            return out;
        }
        _ => {}
    }
    // `TYPE[,TYPE] [NAME...]` or `TYPE/NAME ...` (delete, label, taint, patch, ...).
    let mut types: Vec<String> = Vec::new();
    for (i, word) in positional.iter().enumerate() {
        if let Some((kind, name)) = word.split_once('/') {
            match cluster_scoped(kind) {
                Some(true) => out.push(Target::Node(name.to_owned())),
                Some(false) => out.push(Target::ClusterScoped(format!("{kind} {name}"))),
                None => {}
            }
        } else if i == 0 && !word.contains('=') {
            types = word.split(',').map(str::to_owned).collect();
        }
    }
    // Taint and label specs (`key=value:Effect`, `key-`) are no names.
    let names: Vec<&String> = positional
        .iter()
        .skip(1)
        .filter(|w| !w.contains('=') && !w.contains(':') && !w.ends_with('-'))
        .collect();
    for kind in types {
        match cluster_scoped(&kind) {
            Some(true) => {
                if names.is_empty() {
                    out.push(Target::Node("(selected)".into()));
                }
                out.extend(names.iter().map(|n| Target::Node((*n).clone())));
            }
            Some(false) => {
                let which = if names.is_empty() {
                    "(selected)".to_owned()
                } else {
                    names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(" ")
                };
                out.push(Target::ClusterScoped(format!("{kind} {which}")));
            }
            None => {}
        }
    }
    out
}

fn delete(kind: &str, name: &str) -> Vec<String> {
    ["delete", kind, name, "--ignore-not-found", "--wait=false"].map(str::to_owned).to_vec()
}

/// How to undo what a command did to nodes and cluster-scoped objects it
/// named (for objects from manifests see [`plan`]): uncordon what was
/// cordoned or drained, remove taints and labels added to named nodes,
/// delete what `create KIND NAME` created.
fn undo_of(path: &[&str], positional: &[String]) -> Vec<Vec<String>> {
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match path {
        ["cordon" | "drain"] => {
            positional.iter().map(|n| owned(&["uncordon", n.as_str()])).collect()
        }
        ["create", kind, ..] => match (cluster_scoped(kind), positional.first()) {
            (Some(_), Some(name)) => vec![delete(kind, name)],
            _ => Vec::new(),
        },
        ["taint" | "label"] => {
            let verb = path[0];
            let Some(kind) = positional.first().filter(|k| cluster_scoped(k) == Some(true)) else {
                return Vec::new();
            };
            let names: Vec<&String> = positional
                .iter()
                .skip(1)
                .filter(|w| !w.contains('=') && !w.contains(':'))
                .collect();
            let removals: Vec<String> = positional
                .iter()
                .skip(1)
                .filter(|w| (w.contains('=') || w.contains(':')) && !w.ends_with('-'))
                .map(|w| {
                    // `key=value:Effect` → `key:Effect-`; `key=value` → `key-`.
                    let key = w.split(['=', ':']).next().unwrap_or_default();
                    match w.rsplit_once(':') {
                        Some((_, effect)) if verb == "taint" => format!("{key}:{effect}-"),
                        _ => format!("{key}-"),
                    }
                })
                .collect();
            if removals.is_empty() {
                return Vec::new();
            }
            names
                .iter()
                .map(|n| {
                    let mut argv = owned(&[verb, kind.as_str(), n.as_str()]);
                    argv.extend(removals.iter().cloned());
                    argv
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The objects (kind, name, namespace) in the manifests a command's
/// `-f` files hold, as far as the workspace has them.
fn manifests(args: &[String], cx: &Context<'_>) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    let mut words = args.iter();
    while let Some(w) = words.next() {
        let file = if w == "-f" || w == "--filename" {
            words.next().cloned()
        } else if let Some(v) = w.strip_prefix("--filename=") {
            Some(v.to_owned())
        } else {
            w.strip_prefix("-f")
                .filter(|v| !v.is_empty() && !w.starts_with("--"))
                .map(|v| v.trim_start_matches('=').to_owned())
        };
        let Some(file) = file else { continue };
        let on_disk = if Path::new(&file).is_absolute() {
            std::path::PathBuf::from(&file)
        } else {
            cx.root.join(cx.workspace.cwd().trim_start_matches('/')).join(&file)
        };
        let Ok(text) = std::fs::read_to_string(&on_disk) else { continue };
        for doc in serde_yaml::Deserializer::from_str(&text) {
            // A malformed document ends the stream (serde_yaml would
            // report the same error again and again); kubectl rejects it.
            let Ok(value) = serde_yaml::Value::deserialize(doc) else { break };
            collect_objects(&value, &mut out);
        }
    }
    out
}

use serde::Deserialize;

fn collect_objects(value: &serde_yaml::Value, out: &mut Vec<(String, String, Option<String>)>) {
    let Some(kind) = value.get("kind").and_then(|k| k.as_str()) else { return };
    if kind == "List" || kind.ends_with("List") {
        for item in value.get("items").and_then(|i| i.as_sequence()).into_iter().flatten() {
            collect_objects(item, out);
        }
        return;
    }
    let meta = value.get("metadata");
    let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(|v| v.as_str()).map(str::to_owned);
    out.push((kind.to_owned(), field("name").unwrap_or_default(), field("namespace")));
}

/// Flags whose values are local paths kubectl reads or writes.
const PATH_FLAGS: &[(&str, Option<char>)] = &[
    ("filename", Some('f')),
    ("kustomize", Some('k')),
    ("from-file", None),
    ("from-env-file", None),
    ("output-directory", None),
];

/// Rewrites file arguments so kubectl reads and writes inside the run's
/// workspace: a tutorial's absolute or home paths and `..` map into it; a
/// URL a file block supplies is read from that file; another URL is
/// fetched by kubectl only where the scenario declares `urls`.
fn confine_files(
    head: &[String],
    tail: &[String],
    path: &[&str],
    cx: &Context<'_>,
) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 1;
    while i < head.len() {
        let w = &head[i];
        let mut matched = None;
        for (long, short) in PATH_FLAGS {
            let long_flag = format!("--{long}");
            if *w == long_flag {
                matched = Some((format!("{long_flag}="), i + 1, *long));
            } else if w.starts_with(&format!("{long_flag}=")) {
                matched = Some((String::new(), i, *long));
            } else if let Some(c) = short {
                let short_flag = format!("-{c}");
                if *w == short_flag {
                    matched = Some((format!("{short_flag}="), i + 1, *long));
                } else if w.starts_with(&short_flag) && !w.starts_with("--") {
                    matched = Some((String::new(), i, *long));
                }
            }
            if matched.is_some() {
                break;
            }
        }
        match matched {
            Some((prefix, at, long)) if at < head.len() => {
                let joined = prefix.is_empty();
                let (flag, value) = if joined {
                    // `--filename=X`, `-fX`, `-f=X`.
                    let split = if head[at].starts_with("--") {
                        head[at].find('=').map_or(head[at].len(), |p| p + 1)
                    } else {
                        2 + usize::from(head[at][2..].starts_with('='))
                    };
                    (head[at][..split].to_owned(), head[at][split..].to_owned())
                } else {
                    (prefix, head[at].clone())
                };
                let value = if long == "from-file" || long == "from-env-file" {
                    match value.split_once('=') {
                        Some((key, file)) => format!("{key}={}", confine(file, cx)?),
                        None => confine(&value, cx)?,
                    }
                } else {
                    confine(&value, cx)?
                };
                if joined {
                    out.push(format!("{flag}{value}"));
                } else {
                    // Keep the tutorial's spelling `-f X` as two words.
                    out.push(flag.trim_end_matches('=').to_owned());
                    out.push(value);
                }
                i = at + 1;
            }
            _ => {
                // `kubectl cp`: a word without `POD:` is a local path.
                if path == ["cp"] && !w.starts_with('-') && !w.contains(':') {
                    out.push(confine(w, cx)?);
                } else {
                    out.push(w.clone());
                }
                i += 1;
            }
        }
    }
    out.extend(tail.iter().cloned());
    Ok(out)
}

/// One local path (or URL) of a step, as kubectl must see it.
fn confine(value: &str, cx: &Context<'_>) -> Result<String, String> {
    if value == "-" || value.is_empty() {
        return Ok(value.to_owned());
    }
    if value.contains("://") {
        if cx.workspace.read(value).is_some() {
            return Ok(on_disk(value, cx));
        }
        if cx.capabilities.contains(&Capability::Urls) {
            return Ok(value.to_owned());
        }
        return Err(format!(
            "reading {value} from the network (give it as a file block, or declare `capabilities: [urls]`)"
        ));
    }
    let climbs = value.split('/').any(|part| part == "..");
    if value.starts_with('/') || value.starts_with('~') || climbs {
        return Ok(on_disk(value, cx));
    }
    // Relative and without `..`: inside the current directory, which is in
    // the workspace; kept as typed so kubectl's messages show it so.
    Ok(value.to_owned())
}

fn on_disk(value: &str, cx: &Context<'_>) -> String {
    cx.root.join(cx.workspace.resolve(value).trim_start_matches('/')).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        shell_words::split(s).unwrap()
    }

    fn run(line: &str, caps: &[Capability]) -> Result<Plan, String> {
        let ws = Workspace::default();
        let cx = Context {
            namespace: "own",
            capabilities: caps,
            workspace: &ws,
            root: Path::new("/ws"),
        };
        plan(&argv(line), &cx)
    }

    fn args(line: &str) -> String {
        run(line, &[]).unwrap().args.join(" ")
    }

    #[test]
    fn the_namespace_goes_before_the_command_and_never_after_dashes() {
        assert_eq!(args("kubectl get pods"), "--namespace=own get pods");
        assert_eq!(
            args("kubectl exec web -- grep -n root /etc/passwd"),
            "--namespace=own exec web -- grep -n root /etc/passwd"
        );
        assert_eq!(
            args("kubectl run t --image=busybox -- ls -A /"),
            "--namespace=own run t --image=busybox -- ls -A /"
        );
        assert_eq!(
            args("kubectl create job j --image=busybox -- find / -name x"),
            "--namespace=own create job j --image=busybox -- find / -name x"
        );
        assert_eq!(args("kubectl -n kube-system get pods"), "-n kube-system get pods");
        assert_eq!(args("kubectl get pods -A"), "get pods -A");
    }

    #[test]
    fn flags_that_leave_the_context_are_refused_by_name() {
        for (line, flag) in [
            ("kubectl --context=production get pods", "context"),
            ("kubectl get pods --kubeconfig other", "kubeconfig"),
            ("kubectl get pods -s http://x", "server"),
            ("kubectl --server=https://x --token=t get pods", "server"),
            ("kubectl --as=system:admin --as-group=system:masters get pods", "as"),
            ("kubectl get pods --insecure-skip-tls-verify", "insecure-skip-tls-verify"),
            ("kubectl get pods --certificate-authority=/x", "certificate-authority"),
            ("kubectl get pods --cluster=prod", "cluster"),
            ("kubectl get pods --user=admin", "user"),
        ] {
            let err = run(line, &[]).unwrap_err();
            assert!(err.starts_with(&format!("flag --{flag} ")), "{line}: {err}");
        }
        assert!(run("kubectl config set-cluster x --server=http://evil", &[]).is_err());
        let err = run("kubectl config set-context --current --namespace=dev", &[]).unwrap_err();
        assert!(err.contains("scenario's own namespace"), "{err}");
        assert!(run("kubectl config current-context", &[]).is_ok());
    }

    #[test]
    fn writes_outside_the_namespace_need_a_capability() {
        for (line, cap) in [
            ("kubectl cordon node1", Capability::Nodes),
            ("kubectl drain node1 --ignore-daemonsets", Capability::Nodes),
            ("kubectl taint nodes --all node-role.kubernetes.io/master-", Capability::Nodes),
            ("kubectl delete nodes --all", Capability::Nodes),
            ("kubectl delete namespace kube-system", Capability::ClusterScoped),
            ("kubectl delete crd --all", Capability::ClusterScoped),
            ("kubectl create clusterrole r --verb=get --resource=pods", Capability::ClusterScoped),
            ("kubectl delete pods --all -A", Capability::OtherNamespaces),
            ("kubectl -n kube-system delete deployment coredns", Capability::OtherNamespaces),
            (
                "kubectl -n kube-system scale deployment coredns --replicas=1",
                Capability::OtherNamespaces,
            ),
            ("kubectl exec -n kube-system web -- ls", Capability::OtherNamespaces),
            ("kubectl foo bar", Capability::Plugins),
        ] {
            let err = run(line, &[]).unwrap_err();
            assert!(err.contains(&format!("capabilities: [{}]", cap.name())), "{line}: {err}");
            let plan = run(line, &[cap]).unwrap_or_else(|e| panic!("{line}: {e}"));
            if cap != Capability::Plugins {
                assert_eq!(plan.outside.len(), 1, "{line}: {plan:?}");
            }
        }
        // Reads anywhere are fine.
        assert!(run("kubectl get pods -A", &[]).is_ok());
        assert!(run("kubectl get nodes", &[]).is_ok());
        assert!(run("kubectl -n kube-system get pods", &[]).is_ok());
    }

    #[test]
    fn what_was_changed_outside_is_undone() {
        let undo = |line: &str, cap| {
            run(line, &[cap]).unwrap().undo.iter().map(|a| a.join(" ")).collect::<Vec<_>>()
        };
        assert_eq!(undo("kubectl cordon node1", Capability::Nodes), ["uncordon node1"]);
        assert_eq!(
            undo("kubectl taint nodes node1 dedicated=gpu:NoSchedule", Capability::Nodes),
            ["taint nodes node1 dedicated:NoSchedule-"]
        );
        assert_eq!(
            undo("kubectl label nodes node1 disk=ssd", Capability::Nodes),
            ["label nodes node1 disk-"]
        );
        assert_eq!(
            undo("kubectl create namespace demo", Capability::ClusterScoped),
            ["delete namespace demo --ignore-not-found --wait=false"]
        );
        assert!(
            undo("kubectl taint nodes node1 dedicated:NoSchedule-", Capability::Nodes).is_empty()
        );
    }

    #[test]
    fn a_malformed_manifest_does_not_hang_the_check() {
        let dir = std::env::temp_dir().join(format!("kubeplay-guard-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("root")).unwrap();
        std::fs::write(dir.join("root/bad.yaml"), "kind: Pod\n metadata:\n  - x: [\n").unwrap();
        let ws = Workspace::default();
        let cx = Context { namespace: "own", capabilities: &[], workspace: &ws, root: &dir };
        assert!(plan(&argv("kubectl apply -f bad.yaml"), &cx).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn file_arguments_stay_in_the_workspace() {
        assert_eq!(args("kubectl apply -f app.yaml"), "--namespace=own apply -f app.yaml");
        assert_eq!(
            args("kubectl apply -f /root/app.yaml"),
            "--namespace=own apply -f /ws/root/app.yaml"
        );
        assert_eq!(
            args("kubectl apply -f ~/app.yaml"),
            "--namespace=own apply -f /ws/root/app.yaml"
        );
        assert_eq!(
            args("kubectl apply --filename=/tmp/x"),
            "--namespace=own apply --filename=/ws/tmp/x"
        );
        assert_eq!(
            args("kubectl apply -f ../../../etc/passwd"),
            "--namespace=own apply -f /ws/etc/passwd"
        );
        assert_eq!(
            args("kubectl create secret generic s --from-file=key=/etc/shadow"),
            "--namespace=own create secret generic s --from-file=key=/ws/etc/shadow"
        );
        assert_eq!(
            args("kubectl cp web:/etc/hosts /tmp/hosts"),
            "--namespace=own cp web:/etc/hosts /ws/tmp/hosts"
        );
        let err = run("kubectl apply -f https://example.com/x.yaml", &[]).unwrap_err();
        assert!(err.contains("capabilities: [urls]"), "{err}");
        assert!(run("kubectl apply -f https://example.com/x.yaml", &[Capability::Urls]).is_ok());
    }

    #[test]
    fn dry_runs_change_nothing_and_need_no_capability() {
        for line in [
            "kubectl create namespace ns1 --dry-run=client",
            "kubectl -n demo create deployment web --image=nginx --dry-run=client -o yaml",
            "kubectl delete nodes --all --dry-run=server",
        ] {
            let plan = run(line, &[]).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert!(plan.outside.is_empty(), "{line}: {plan:?}");
        }
        assert!(run("kubectl create namespace ns1 --dry-run=none", &[]).is_err());
    }
}
