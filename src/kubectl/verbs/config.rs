//! `kubectl config`: reads and edits the scenario's kubeconfig
//! ([`crate::kubectl::kubeconfig`]), never the cluster
//! (`staging/src/k8s.io/kubectl/pkg/cmd/config/*.go`; before v1.16
//! `pkg/kubectl/cmd/config`). Texts checked against kubectl 1.27–1.33 run
//! on a scratch kubeconfig; `Context "X" modified.` in a v1.10 transcript.

use super::Ctx;
use crate::{
    kubectl::{
        error::KubectlError,
        kubeconfig::Kubeconfig,
        messages,
        printers::{layout, yaml},
    },
    version::Fact,
};

/// The kubeconfig, when kubeplay knows which file the cluster's installer
/// wrote ([`Kubeconfig::installer`]).
fn known<'k>(ctx: &'k mut Ctx<'_>) -> Result<&'k mut Kubeconfig, KubectlError> {
    if ctx.kubeconfig.installer.is_none() {
        return Err(KubectlError::unsupported(format!(
            "`{}` on a `{}` cluster: which kubeconfig its installer wrote is not modelled",
            ctx.inv.command_path(),
            ctx.cluster.config().profile
        )));
    }
    Ok(&mut *ctx.kubeconfig)
}

/// `kubectl config current-context` (`current_context.go`).
pub fn current_context(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let current = known(ctx)?.current.clone();
    if current.is_empty() {
        return Err(KubectlError::msg("current-context is not set"));
    }
    ctx.stdout(format!("{current}\n"));
    Ok(())
}

/// `kubectl config use-context NAME` (`use_context.go`).
pub fn use_context(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let [name] = ctx.inv.args.as_slice() else {
        return Err(KubectlError::unsupported("`kubectl config use-context` without one NAME"));
    };
    let name = name.clone();
    let config = known(ctx)?;
    if !config.contexts.iter().any(|c| c.name == name) {
        return Err(KubectlError::msg(format!("no context exists with the name: {name:?}")));
    }
    config.current = name.clone();
    ctx.stdout(format!("Switched to context {name:?}.\n"));
    Ok(())
}

/// `kubectl config set-context [NAME | --current] [--cluster] [--user]
/// [--namespace]` (`create_context.go`): merges the given fields into the
/// context, creating it when missing.
pub fn set_context(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let current = inv.bool("current");
    if inv.changed("current") && !ctx.has(Fact::ConfigSetContextCurrent) {
        return Err(KubectlError::Cobra {
            message: messages::flag_error("unknown flag: --current", "kubectl config set-context"),
            run_hint: false,
        });
    }
    let fields: Vec<(&str, Option<String>)> = ["cluster", "user", "namespace"]
        .into_iter()
        .map(|f| (f, inv.changed(f).then(|| inv.value(f).unwrap_or_default().to_owned())))
        .collect();
    let name = match (inv.args.as_slice(), current) {
        ([name], false) => name.clone(),
        ([], true) => {
            let current = known(ctx)?.current.clone();
            if current.is_empty() {
                return Err(KubectlError::msg("no current context is set"));
            }
            current
        }
        ([_], true) => {
            return Err(KubectlError::msg("you cannot specify both a context name and --current"));
        }
        ([], false) if ctx.has(Fact::ConfigSetContextCurrent) => {
            return Err(KubectlError::msg(
                "you must specify a non-empty context name or --current",
            ));
        }
        _ => {
            return Err(KubectlError::unsupported(format!(
                "`kubectl config set-context` with arguments {:?}",
                inv.args
            )));
        }
    };
    let (context, existed) = known(ctx)?.context_mut(&name);
    for (field, value) in fields {
        let Some(value) = value else { continue };
        match field {
            "cluster" => context.cluster = value,
            "user" => context.user = value,
            _ => context.namespace = Some(value),
        }
    }
    let verb = if existed { "modified" } else { "created" };
    ctx.stdout(format!("Context {name:?} {verb}.\n"));
    Ok(())
}

/// `kubectl config get-contexts [NAME...] [--no-headers] [-o name]`
/// (`get_contexts.go`): a tabwriter table (kubectl's `get` settings) of the
/// contexts by name, `*` marking the current one; a missing NAME is an
/// error after the table.
pub fn get_contexts(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let output = inv.value("output").unwrap_or_default().to_owned();
    if !matches!(output.as_str(), "" | "name") {
        return Err(KubectlError::msg(format!("output must be one of '' or 'name': {output}")));
    }
    let no_headers = inv.bool("no-headers");
    let wanted = inv.args.clone();
    let config = known(ctx)?.clone();
    let mut contexts: Vec<_> = config.contexts.iter().collect();
    contexts.sort_by(|a, b| a.name.cmp(&b.name));
    let mut missing = Vec::new();
    let shown: Vec<_> = if wanted.is_empty() {
        contexts
    } else {
        for name in &wanted {
            if !contexts.iter().any(|c| &c.name == name) {
                missing.push(name.clone());
            }
        }
        contexts.into_iter().filter(|c| wanted.contains(&c.name)).collect()
    };
    if output == "name" {
        for c in shown {
            ctx.stdout(format!("{}\n", c.name));
        }
    } else {
        let mut text = String::new();
        if !no_headers {
            text.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
        }
        for c in shown {
            let star = if c.name == config.current { "*" } else { "" };
            let ns = c.namespace.as_deref().unwrap_or_default();
            text.push_str(&format!("{star}\t{}\t{}\t{}\t{ns}\n", c.name, c.cluster, c.user));
        }
        ctx.stdout(layout::layout(&text, layout::GET));
    }
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(KubectlError::msg(format!("context {one} not found"))),
        many => Err(KubectlError::msg(format!(
            "[{}]",
            many.iter().map(|m| format!("context {m} not found")).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// `kubectl config get-clusters` (`get_clusters.go`) and, from v1.20,
/// `get-users` (`get_users.go`): `NAME` and one name a line, sorted.
pub fn get_names(ctx: &mut Ctx<'_>, users: bool) -> Result<(), KubectlError> {
    if users && !ctx.has(Fact::ConfigGetUsers) {
        // `kubectl config` of that release has no such subcommand: its
        // `DefaultSubCommandRun` rejects the word.
        return Err(KubectlError::msg(messages::usage_error(
            "unknown command \"get-users\"",
            "kubectl config",
        )));
    }
    let config = known(ctx)?;
    let mut names: Vec<String> = if users {
        config.users.clone()
    } else {
        config.clusters.iter().map(|c| c.name.clone()).collect()
    };
    names.sort();
    let mut text = String::from("NAME\n");
    for name in names {
        text.push_str(&format!("{name}\n"));
    }
    ctx.stdout(text);
    Ok(())
}

/// `kubectl config view [--minify] [--raw] [-o yaml|jsonpath=...]`
/// (`view.go`): the file through `clientcmdapi/v1.Config`, certificate
/// data shortened unless `--raw` (`clientcmd/api/helpers.go`
/// `ShortenConfig`).
pub fn view(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let inv = ctx.inv;
    let minify = inv.bool("minify");
    if inv.bool("raw") {
        return Err(KubectlError::unsupported(
            "`kubectl config view --raw`: the certificates kubeplay's installers would have written",
        ));
    }
    // `--flatten` inlines files the kubeconfig points to; the installers'
    // files hold their data inline already, so it changes nothing here.
    let _ = inv.bool("flatten");
    let _ = inv.bool("merge");
    let output = inv.value("output").unwrap_or("yaml").to_owned();
    let omitted = if ctx.has(Fact::ConfigViewDataOmitted) { "DATA+OMITTED" } else { "REDACTED" };
    let config = known(ctx)?;
    if config.installer != Some("kubeadm") {
        return Err(KubectlError::unsupported(format!(
            "`kubectl config view` of {}'s kubeconfig (its server's host port, certificate paths and extensions are not modelled)",
            config.installer.unwrap_or_default()
        )));
    }
    let value = config.view(minify, omitted);
    match output.as_str() {
        "yaml" => {
            let style = yaml::Style::at(ctx.cluster.config().version);
            ctx.stdout(yaml::to_string_as(&value, style));
            Ok(())
        }
        "json" => Err(KubectlError::unsupported(
            "`kubectl config view -o json` (Go's struct field order is not modelled)",
        )),
        _ => super::print_flags::template(ctx, &output, &value),
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        kubectl::{self, kubeconfig::Kubeconfig},
        sim::{Cluster, profiles},
        version::KubeVersion,
        workspace::Workspace,
    };

    fn cluster(minor: u32) -> Cluster {
        let mut config = profiles::profile("kubeadm").unwrap();
        config.version = KubeVersion::new(1, minor, 0);
        Cluster::new(config)
    }

    /// Runs `lines` in order on one kubeconfig; the output of each.
    fn run(minor: u32, lines: &[&str]) -> Vec<(String, i32)> {
        let mut cluster = cluster(minor);
        let mut kubeconfig = Kubeconfig::for_cluster(&cluster);
        let ws = Workspace::default();
        lines
            .iter()
            .map(|line| {
                let argv: Vec<String> = line.split(' ').map(str::to_owned).collect();
                let out = kubectl::run_in(&mut cluster, &mut kubeconfig, &argv, &ws, None);
                (out.merged(), out.status)
            })
            .collect()
    }

    #[test]
    fn set_context_namespace_becomes_the_default_namespace() {
        let out = run(
            22,
            &[
                "kubectl config current-context",
                "kubectl create namespace dev",
                "kubectl config set-context --current --namespace=dev",
                "kubectl get pods",
                "kubectl get pods -n default",
                "kubectl config get-contexts",
            ],
        );
        assert_eq!(out[0].0, "kubernetes-admin@kubernetes\n");
        assert_eq!(out[2].0, "Context \"kubernetes-admin@kubernetes\" modified.\n");
        assert_eq!(out[3].0, "No resources found in dev namespace.\n");
        assert_eq!(out[4].0, "No resources found in default namespace.\n");
        assert_eq!(
            out[5].0,
            "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n\
             *         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   dev\n"
        );
    }

    #[test]
    fn contexts_are_created_switched_to_and_reported_missing() {
        let out = run(
            28,
            &[
                "kubectl config set-context foo --namespace=x",
                "kubectl config use-context foo",
                "kubectl config current-context",
                "kubectl config use-context nosuch",
                "kubectl config get-contexts -o name",
                "kubectl config get-contexts nosuch",
                "kubectl config set-context",
            ],
        );
        assert_eq!(out[0].0, "Context \"foo\" created.\n");
        assert_eq!(out[1].0, "Switched to context \"foo\".\n");
        assert_eq!(out[2].0, "foo\n");
        assert_eq!(out[3], ("error: no context exists with the name: \"nosuch\"\n".into(), 1));
        assert_eq!(out[4].0, "foo\nkubernetes-admin@kubernetes\n");
        assert_eq!(
            out[5],
            ("CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\nerror: context nosuch not found\n"
                .into(), 1)
        );
        assert_eq!(out[6].1, 1);
        assert!(out[6].0.contains("non-empty context name or --current"), "{}", out[6].0);
    }

    #[test]
    fn config_view_prints_the_kubeadm_admin_conf() {
        let out = run(
            28,
            &[
                "kubectl config view --minify",
                "kubectl config view -o jsonpath={.contexts[*].name}",
                "kubectl config get-clusters",
                "kubectl config get-users",
            ],
        );
        assert!(out[0].0.starts_with("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://"), "{}", out[0].0);
        assert!(out[0].0.ends_with("  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\npreferences: {}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n"), "{}", out[0].0);
        assert_eq!(out[1].0, "kubernetes-admin@kubernetes");
        assert_eq!(out[2].0, "NAME\nkubernetes\n");
        assert_eq!(out[3].0, "NAME\nkubernetes-admin\n");
    }

    #[test]
    fn config_on_a_cluster_without_a_known_kubeconfig_is_unsupported() {
        let mut config = profiles::profile("bare").unwrap();
        config.version = KubeVersion::new(1, 22, 0);
        let mut cluster = Cluster::new(config);
        let mut kubeconfig = Kubeconfig::for_cluster(&cluster);
        let ws = Workspace::default();
        let argv: Vec<String> =
            ["kubectl", "config", "current-context"].map(str::to_owned).to_vec();
        let out = kubectl::run_in(&mut cluster, &mut kubeconfig, &argv, &ws, None);
        assert!(out.unsupported.is_some());
    }
}
