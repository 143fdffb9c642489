//! What kubectl says about the cluster itself: `version`
//! (`pkg/cmd/version/version.go`), `cluster-info`
//! (`pkg/cmd/clusterinfo/clusterinfo.go`), `api-resources` and
//! `api-versions` (`pkg/cmd/apiresources/`).
//!
//! The client is taken to be the same release as the cluster (a kubeadm
//! install puts matching kubectl, kubeadm and kubelet on the node).
//! `api-resources` and `api-versions` list what a real API server of the
//! cluster's version serves ([`Discovery`]), not only what the simulator
//! stores: that is what the tutorial's reader saw.

use serde_json::json;

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        messages,
        printers::layout::{self, GET},
    },
    sim::{
        Kind, ObjectRef,
        api::{Discovery, ServedResource},
    },
    version::Fact,
};

// The releases' build metadata is shared with the API server's `/version`.
pub use crate::version::builds::{BuildInfo, PLATFORM, RELEASES};

/// `kubectl version [--client] [--short] [-o yaml|json]`. From kubectl 1.24
/// a `Kustomize Version:` line (and `kustomizeVersion`) follows the client
/// ([`Fact::VersionKustomizeLine`]); 1.24 to 1.27 deprecate `--short` and
/// warn about the long form ([`Fact::VersionShortDeprecated`]); from 1.28
/// the short form is the default and `--short` is gone
/// ([`Fact::VersionShortRemoved`]).
pub fn version(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let output = ctx.inv.value("output").unwrap_or_default().to_owned();
    if !matches!(output.as_str(), "" | "yaml" | "json") {
        return Err(KubectlError::msg("--output must be 'yaml' or 'json'"));
    }
    let version = ctx.cluster.config().version;
    let git_version = version.to_string();
    let client_only = ctx.inv.bool("client");
    let kustomize = if version.has(Fact::VersionKustomizeLine) {
        match crate::version::builds::kustomize_version(version.minor()) {
            Some(k) => Some(k),
            None => {
                return Err(KubectlError::unsupported(format!(
                    "the kustomize version kubectl {git_version} embeds"
                )));
            }
        }
    } else {
        None
    };
    let short = ctx.inv.bool("short") || version.has(Fact::VersionShortRemoved);
    if short && output.is_empty() {
        let mut text = format!("Client Version: {git_version}\n");
        if let Some(k) = kustomize {
            text.push_str(&format!("Kustomize Version: {k}\n"));
        }
        if !client_only {
            text.push_str(&format!("Server Version: {git_version}\n"));
        }
        ctx.stdout(text);
        return Ok(());
    }
    let Some(build) = RELEASES.iter().find(|r| r.git_version == git_version) else {
        // kubectl prints the release's git commit and build date, which
        // kubeplay only knows for the releases in `RELEASES`.
        return Err(KubectlError::unsupported(format!(
            "kubectl version's build metadata of {git_version} (`--short` works)"
        )));
    };
    let (major, minor) = (version.major().to_string(), version.minor().to_string());
    let info = |date: &str| {
        json!({
            "major": major, "minor": minor, "gitVersion": build.git_version,
            "gitCommit": build.git_commit, "gitTreeState": "clean", "buildDate": date,
            "goVersion": build.go_version, "compiler": "gc", "platform": PLATFORM,
        })
    };
    match output.as_str() {
        "" => {
            if version.has(Fact::VersionShortDeprecated) {
                ctx.stderr(
                    "WARNING: This version information is deprecated and will be replaced with the output from kubectl version --short.  Use --output=yaml|json to get the full version.\n",
                );
            }
            // `fmt.Sprintf("%#v", version.Info)`.
            let go = |date: &str| {
                format!(
                    "version.Info{{Major:\"{major}\", Minor:\"{minor}\", GitVersion:\"{}\", GitCommit:\"{}\", GitTreeState:\"clean\", BuildDate:\"{date}\", GoVersion:\"{}\", Compiler:\"gc\", Platform:\"{PLATFORM}\"}}",
                    build.git_version, build.git_commit, build.go_version
                )
            };
            let mut text = format!("Client Version: {}\n", go(build.client_build_date));
            if let Some(k) = kustomize {
                text.push_str(&format!("Kustomize Version: {k}\n"));
            }
            if !client_only {
                text.push_str(&format!("Server Version: {}\n", go(build.server_build_date)));
            }
            ctx.stdout(text);
        }
        "json" => {
            // `json.MarshalIndent(&versionInfo, "", "  ")` keeps struct order:
            // client, kustomize, server.
            let field = |name: &str, v: &serde_json::Value| {
                let keys = [
                    "major",
                    "minor",
                    "gitVersion",
                    "gitCommit",
                    "gitTreeState",
                    "buildDate",
                    "goVersion",
                    "compiler",
                    "platform",
                ];
                let body: Vec<String> =
                    keys.iter().map(|k| format!("    \"{k}\": {}", v[*k])).collect();
                format!("  \"{name}\": {{\n{}\n  }}", body.join(",\n"))
            };
            let mut parts = vec![field("clientVersion", &info(build.client_build_date))];
            if let Some(k) = kustomize {
                parts.push(format!("  \"kustomizeVersion\": \"{k}\""));
            }
            if !client_only {
                parts.push(field("serverVersion", &info(build.server_build_date)));
            }
            ctx.stdout(format!("{{\n{}\n}}\n", parts.join(",\n")));
        }
        _ => {
            // `yaml.Marshal` goes through JSON: keys sorted, strings that
            // read as numbers or timestamps quoted; `Fprintln` adds a line.
            let block = |name: &str, date: &str| {
                format!(
                    "{name}:\n  buildDate: \"{date}\"\n  compiler: gc\n  gitCommit: {}\n  gitTreeState: clean\n  gitVersion: {}\n  goVersion: {}\n  major: \"{major}\"\n  minor: \"{minor}\"\n  platform: {PLATFORM}\n",
                    build.git_commit, build.git_version, build.go_version
                )
            };
            let mut text = block("clientVersion", build.client_build_date);
            if let Some(k) = kustomize {
                text.push_str(&format!("kustomizeVersion: {k}\n"));
            }
            if !client_only {
                text.push_str(&block("serverVersion", build.server_build_date));
            }
            text.push('\n');
            ctx.stdout(text);
        }
    }
    Ok(())
}

/// `kubectl cluster-info`: the control plane's address, then each
/// kube-system service labelled `kubernetes.io/cluster-service=true`, as an
/// API-server proxy link. Printed without colours (kubectl colours these
/// lines only on a terminal that takes ANSI escapes; transcripts show plain
/// text).
pub fn cluster_info(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    if let Some(extra) = ctx.inv.args.first() {
        return Err(KubectlError::unsupported(format!("kubectl cluster-info {extra}")));
    }
    let host = api_server_url(ctx.cluster);
    let plane = if ctx.cluster.config().version.has(Fact::ClusterInfoControlPlane) {
        "Kubernetes control plane"
    } else {
        "Kubernetes master"
    };
    let mut text = format!("{plane} is running at {host}\n");
    for o in ctx.cluster.list(Kind::Service, Some("kube-system")) {
        let crate::sim::Object::Service(svc) = o else { continue };
        let labels = svc.metadata.labels.clone().unwrap_or_default();
        if labels.get("kubernetes.io/cluster-service").map(String::as_str) != Some("true") {
            continue;
        }
        let svc_name = svc.metadata.name.clone().unwrap_or_default();
        let mut name = svc_name.clone();
        if let Some(port) = svc.spec.as_ref().and_then(|s| s.ports.as_ref()).and_then(|p| p.first())
        {
            // `utilnet.JoinSchemeNamePort`: `[scheme:]name[:port-name]`.
            let port_name = port.name.clone().unwrap_or_default();
            let scheme = if port_name == "https" || port.port == 443 { "https" } else { "" };
            if !scheme.is_empty() {
                name = format!("{scheme}:{name}");
            }
            if !port_name.is_empty() {
                name = format!("{name}:{port_name}");
            } else if !scheme.is_empty() {
                name.push(':');
            }
        }
        let link = format!("{host}/api/v1/namespaces/kube-system/services/{name}/proxy");
        let shown = labels.get("kubernetes.io/name").cloned().unwrap_or(svc_name);
        text.push_str(&format!("{shown} is running at {link}\n"));
    }
    text.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
    ctx.stdout(text);
    Ok(())
}

/// The API server's URL in the kubeconfig: the `kubernetes` service's
/// endpoint (the control-plane node's address, port 6443).
pub fn api_server_url(cluster: &crate::sim::Cluster) -> String {
    let r = ObjectRef::namespaced(Kind::Endpoints, "default", "kubernetes");
    if let Ok(crate::sim::Object::Endpoints(ep)) = cluster.get(&r)
        && let Some(subset) = ep.subsets.as_ref().and_then(|s| s.first())
        && let Some(addr) = subset.addresses.as_ref().and_then(|a| a.first())
    {
        let port = subset.ports.as_ref().and_then(|p| p.first()).map_or(6443, |p| p.port);
        return format!("https://{}:{port}", addr.ip);
    }
    let ip = cluster.config().nodes.first().map(|n| n.ip.clone()).unwrap_or_default();
    format!("https://{ip}:6443")
}

/// `kubectl api-resources [-o wide|name] [--namespaced=B] [--api-group=G]
/// [--verbs=V,..] [--categories=C,..] [--sort-by=name|kind] [--no-headers]`
/// (`pkg/cmd/apiresources/apiresources.go`), answered from the discovery
/// of the cluster's version: client-go's `ServerPreferredResources` (each
/// resource once, in its group's highest-priority version serving it),
/// filtered, then stably sorted by group (or name, or kind) with ties by
/// name. The client is the cluster's release; its columns changed twice:
/// `APIGROUP` (the group) became `APIVERSION` (group/version) in v1.20, and
/// in v1.26 `-o wide` printed verbs comma-joined (was Go's `[a b]`) and
/// added `CATEGORIES`, with the `--categories` filter.
pub fn api_resources(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let minor = ctx.cluster.config().version.minor();
    if inv.changed("categories") && !Fact::ApiResourcesCategories.holds_at(minor) {
        return Err(KubectlError::Cobra {
            message: messages::flag_error("unknown flag: --categories", "kubectl api-resources"),
            run_hint: false,
        });
    }
    if !inv.args.is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            &format!("unexpected arguments: [{}]", inv.args.join(" ")),
            "kubectl api-resources",
        )));
    }
    let output = inv.value("output").unwrap_or_default();
    if Fact::ApiResourcesPrintFlags.holds_at(minor) {
        if matches!(output, "json" | "yaml") {
            return Err(KubectlError::unsupported(format!("kubectl api-resources -o {output}")));
        }
        if !matches!(output, "" | "wide" | "name") {
            return Err(KubectlError::msg(format!(
                "unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide,yaml"
            )));
        }
    } else if !matches!(output, "" | "wide" | "name") {
        return Err(KubectlError::msg(format!("--output {output} is not available")));
    }
    let sort_by = inv.value("sort-by").unwrap_or_default();
    if !matches!(sort_by, "" | "name" | "kind") {
        return Err(KubectlError::msg("--sort-by accepts only name or kind"));
    }
    inv.consult("cached"); // kubeplay's discovery is never stale.
    let list = |name: &str| -> Vec<String> {
        inv.value(name)
            .filter(|v| !v.is_empty())
            .map(|v| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let (verbs, categories) = (list("verbs"), list("categories"));
    let group = inv.changed("api-group").then(|| inv.value("api-group").unwrap_or_default());
    let namespaced = inv.changed("namespaced").then(|| inv.bool("namespaced"));
    let discovery = Discovery::at(&ctx.cluster.config().version);
    let mut rows: Vec<&ServedResource> = discovery
        .preferred_resources()
        .into_iter()
        .filter(|r| group.is_none_or(|g| r.group == g))
        .filter(|r| namespaced.is_none_or(|n| r.namespaced == n))
        .filter(|r| verbs.iter().all(|v| r.supports(v)))
        .filter(|r| categories.iter().all(|c| r.categories.contains(&c.as_str())))
        .collect();
    // `sortableResource`: a stable sort, ties broken by resource name.
    rows.sort_by(|a, b| {
        let key = |r: &ServedResource| match sort_by {
            "name" => r.resource,
            "kind" => r.kind,
            _ => r.group,
        };
        key(a).cmp(key(b)).then_with(|| a.resource.cmp(b.resource))
    });
    if output == "name" {
        inv.consult("no-headers"); // `-o name` prints no header either way.
        ctx.stdout(rows.iter().map(|r| format!("{}\n", r.group_resource())).collect::<String>());
        return Ok(());
    }
    let wide = output == "wide";
    let api_version = Fact::ApiResourcesApiVersionColumn.holds_at(minor);
    let categories = Fact::ApiResourcesCategories.holds_at(minor);
    let mut text = String::new();
    if !inv.bool("no-headers") {
        text.push_str("NAME\tSHORTNAMES\t");
        text.push_str(if api_version { "APIVERSION" } else { "APIGROUP" });
        text.push_str("\tNAMESPACED\tKIND");
        text.push_str(match (wide, categories) {
            (false, _) => "\n",
            (true, false) => "\tVERBS\n",
            (true, true) => "\tVERBS\tCATEGORIES\n",
        });
    }
    for r in rows {
        let version_column = if api_version { r.api_version() } else { r.group.to_owned() };
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            r.resource,
            r.short_names.join(","),
            version_column,
            r.namespaced,
            r.kind
        ));
        match (wide, categories) {
            (false, _) => {}
            // Go's `%v` of a []string.
            (true, false) => text.push_str(&format!("\t[{}]", r.verbs.join(" "))),
            (true, true) => {
                text.push_str(&format!("\t{}\t{}", r.verbs.join(","), r.categories.join(",")))
            }
        }
        text.push('\n');
    }
    ctx.stdout(layout::layout(&text, GET));
    Ok(())
}

/// `kubectl api-versions` (`pkg/cmd/apiresources/apiversions.go`): every
/// served group/version, sorted as strings.
pub fn api_versions(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    if !ctx.inv.args.is_empty() {
        return Err(KubectlError::msg(messages::usage_error(
            &format!("unexpected arguments: [{}]", ctx.inv.args.join(" ")),
            "kubectl api-versions",
        )));
    }
    let mut versions = Discovery::at(&ctx.cluster.config().version).group_versions();
    versions.sort();
    ctx.stdout(versions.iter().map(|v| format!("{v}\n")).collect::<String>());
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{
        kubectl::tests::{fails, kubectl, ok},
        sim::{Cluster, profile},
        version::KubeVersion,
    };

    fn cluster(version: &str) -> Cluster {
        let mut config = profile("kubeadm").expect("kubeadm profile");
        config.version = KubeVersion::parse(version).unwrap();
        Cluster::new(config)
    }

    fn line<'a>(text: &'a str, name: &str) -> &'a str {
        text.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default()
    }

    #[test]
    fn api_resources_columns_follow_the_release() {
        // v1.19: APIGROUP, the group alone (empty for core).
        let out = ok(&mut cluster("v1.19.0"), "kubectl api-resources");
        assert!(out.starts_with("NAME "), "{out}");
        assert!(out.lines().next().unwrap().contains("   APIGROUP   "), "{out}");
        assert!(line(&out, "deployments").split_whitespace().eq([
            "deployments",
            "deploy",
            "apps",
            "true",
            "Deployment"
        ]));
        assert!(line(&out, "pods").split_whitespace().eq(["pods", "po", "true", "Pod"]));
        // v1.22: APIVERSION; wide prints Go's `[a b]` of the verbs.
        let out = ok(&mut cluster("v1.22.2"), "kubectl api-resources -o wide");
        let header = |out: &str| -> Vec<String> {
            out.lines().next().unwrap().split_whitespace().map(str::to_owned).collect()
        };
        assert_eq!(
            header(&out),
            ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS"]
        );
        assert!(
            line(&out, "namespaces").ends_with("[create delete get list patch update watch]"),
            "{out}"
        );
        assert!(line(&out, "bindings").ends_with("[create]"), "{out}");
        // v1.26+: verbs comma-joined, then CATEGORIES.
        let out = ok(&mut cluster("v1.28.0"), "kubectl api-resources -o wide");
        assert_eq!(header(&out)[5..], ["VERBS", "CATEGORIES"]);
        assert!(
            line(&out, "pods")
                .ends_with("create,delete,deletecollection,get,list,patch,update,watch   all"),
            "{out}"
        );
    }

    #[test]
    fn api_resources_filters_and_orders() {
        let mut c = cluster("v1.28.0");
        assert_eq!(
            ok(&mut c, "kubectl api-resources --categories=all -o name"),
            "pods\nreplicationcontrollers\nservices\ndaemonsets.apps\ndeployments.apps\n\
             replicasets.apps\nstatefulsets.apps\nhorizontalpodautoscalers.autoscaling\n\
             cronjobs.batch\njobs.batch\n"
        );
        let out = ok(&mut c, "kubectl api-resources --verbs=list,watch --no-headers -o name");
        let names: Vec<&str> = out.lines().collect();
        for create_only in ["bindings", "tokenreviews.authentication.k8s.io"] {
            assert!(!names.contains(&create_only), "{out}");
        }
        assert!(!names.contains(&"componentstatuses"), "no watch on componentstatuses");
        assert!(names.contains(&"rolebindings.rbac.authorization.k8s.io"), "{out}");
        // --sort-by=kind: ties (two Event kinds) by name, then stably.
        let out = ok(&mut c, "kubectl api-resources --sort-by=kind --no-headers");
        let kinds: Vec<&str> = out.lines().map(|l| l.split_whitespace().last().unwrap()).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
        // The flag arrived in v1.26.
        assert_eq!(
            fails(&mut cluster("v1.22.2"), "kubectl api-resources --categories=all"),
            "Error: unknown flag: --categories\nSee 'kubectl api-resources --help' for usage.\n"
        );
    }

    #[test]
    fn api_resources_output_errors_by_release() {
        assert_eq!(
            fails(&mut cluster("v1.28.0"), "kubectl api-resources -o json"),
            "error: --output json is not available\n"
        );
        assert_eq!(
            fails(&mut cluster("v1.34.0"), "kubectl api-resources -o foo"),
            "error: unable to match a printer suitable for the output format \"foo\", allowed formats are: json,name,wide,yaml\n"
        );
        let out = kubectl(&mut cluster("v1.34.0"), "kubectl api-resources -o json");
        assert_eq!(out.unsupported.as_deref(), Some("kubectl api-resources -o json"));
        assert!(
            fails(&mut cluster("v1.28.0"), "kubectl api-resources pods")
                .starts_with("error: unexpected arguments: [pods]\n")
        );
    }

    #[test]
    fn api_versions_follow_the_release() {
        let v20 = ok(&mut cluster("v1.20.0"), "kubectl api-versions");
        assert!(v20.contains("\nbatch/v1beta1\n") && v20.contains("\nextensions/v1beta1\n"));
        let v28 = ok(&mut cluster("v1.28.0"), "kubectl api-versions");
        assert!(v28.contains("\nflowcontrol.apiserver.k8s.io/v1beta3\n"), "{v28}");
        assert!(!v28.contains("batch/v1beta1") && v28.ends_with("\nv1\n"), "{v28}");
        let mut lines: Vec<&str> = v28.lines().collect();
        lines.sort();
        assert_eq!(lines, v28.lines().collect::<Vec<_>>(), "sorted as strings");
    }
}
