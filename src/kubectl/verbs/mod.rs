//! One module per kubectl verb; [`dispatch`] routes a parsed invocation.

pub mod apply;
pub mod attach;
pub mod auth;
pub mod can_i_list;
pub mod config;
pub mod cp;
pub mod create;
pub mod create_data;
pub mod create_ingress;
pub mod create_job;
pub mod create_pdb;
pub mod create_priorityclass;
pub mod create_quota;
pub mod create_rbac;
pub mod create_token;
pub mod delete;
pub mod describe;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
pub mod expose;
pub mod generated;
pub mod get;
pub mod info;
pub mod kustomize;
pub mod logs;
pub mod metadata;
pub mod node;
pub mod patch;
pub mod port_forward;
pub mod print_flags;
pub mod proxy;
pub mod replace;
pub mod rollout;
pub mod rollout_daemonset;
pub mod rollout_statefulset;
pub mod run;
pub mod scale;
pub mod set;
pub mod set_env;
pub mod set_resources;
pub mod set_serviceaccount;
pub mod set_subject;
pub mod top;
pub mod wait;

use crate::version::Fact;
use k8s_openapi::jiff::Timestamp;

use super::{args::Invocation, commands::Support, error::KubectlError, printers::table::Env};
use crate::{
    output::{CommandOutput, Stream},
    sim::Cluster,
    workspace::Workspace,
};

/// Everything a verb works with.
pub struct Ctx<'a> {
    /// The simulated cluster.
    pub cluster: &'a mut Cluster,
    /// The scenario's kubeconfig (client state: contexts, their namespaces).
    pub kubeconfig: &'a mut super::kubeconfig::Kubeconfig,
    /// The scenario's files (`-f`).
    pub workspace: &'a Workspace,
    /// The raw command line (`--record`'s change-cause).
    pub argv: &'a [String],
    /// The parsed command line.
    pub inv: &'a Invocation,
    /// Where output goes.
    pub out: &'a mut CommandOutput,
    /// The cluster's minor version (22 for v1.22.2).
    pub minor: u32,
    /// When a command that never ends by itself (`get -w`) is interrupted.
    pub interrupt: Option<&'a super::watch::Interrupt>,
    /// The reader's terminal, for an interactive session (`exec -it`).
    pub terminal: Option<&'a mut super::terminal::Terminal>,
}

impl Ctx<'_> {
    /// Whether the cluster's release has the new form of `fact`.
    pub fn has(&self, fact: Fact) -> bool {
        fact.holds_at(self.minor)
    }

    /// Prints the API server's deprecation warning for the version `m` is
    /// written in, unless this command printed it already (kubectl's
    /// warning writer deduplicates).
    pub fn warn_deprecated(&mut self, m: &super::manifest::Manifest, warned: &mut Vec<String>) {
        if let Some(w) = m.deprecation_warning(self.minor)
            && !warned.contains(&w)
        {
            self.stderr(w.clone());
            warned.push(w);
        }
    }

    /// Prints the API server's deprecation warning for a request to
    /// `kind` in the version kubectl asks for (`get`, `describe`, `delete`
    /// of v1 Endpoints from v1.33: [`Fact::EndpointsDeprecated`]), once a
    /// command, as kubectl's warning writer deduplicates.
    pub fn warn_deprecated_kind(&mut self, kind: crate::sim::Kind) {
        let info = kind.info();
        let Some(w) = crate::sim::conversion::deprecation_warning(
            &info.api_version(),
            info.kind_name,
            self.minor,
        ) else {
            return;
        };
        let line = format!("Warning: {w}\n");
        if !self.out.chunks.iter().any(|(s, t)| *s == crate::output::Stream::Stderr && *t == line) {
            self.stderr(line);
        }
    }

    /// The namespace: `-n/--namespace`, else the current context's, else
    /// `default`.
    pub fn namespace(&self) -> String {
        match self.inv.value("namespace").filter(|n| !n.is_empty()) {
            Some(ns) => ns.to_owned(),
            None => self.kubeconfig.namespace().to_owned(),
        }
    }

    /// Whether `-n` was given (`EnforceNamespace`).
    pub fn explicit_namespace(&self) -> bool {
        self.inv.value("namespace").is_some_and(|n| !n.is_empty())
    }

    /// Writes to stdout.
    pub fn stdout(&mut self, text: impl Into<String>) {
        self.out.write(Stream::Stdout, text);
    }

    /// Writes to stderr.
    pub fn stderr(&mut self, text: impl Into<String>) {
        self.out.write(Stream::Stderr, text);
    }

    /// The `-f`/`-R`/`-k` options of the command line.
    pub fn filename_options(&self) -> super::manifest::FilenameOptions {
        super::manifest::FilenameOptions::from_invocation(self.inv)
    }

    /// The objects of `-f`/`-k`, namespaced ones without a namespace put in
    /// `namespace`; a different one is an error when `-n` was given.
    pub fn read_manifests_in(
        &mut self,
        namespace: &str,
    ) -> Result<Vec<super::manifest::Manifest>, KubectlError> {
        let enforce = self.explicit_namespace();
        let minor = self.minor;
        self.read_manifests(&super::manifest::Scope { namespace, enforce, minor })
    }

    /// The objects of `-f`/`-k` in `scope`; what kustomize warns of while
    /// building is printed first.
    pub fn read_manifests(
        &mut self,
        scope: &super::manifest::Scope<'_>,
    ) -> Result<Vec<super::manifest::Manifest>, KubectlError> {
        let mut warnings = Vec::new();
        let read = super::manifest::read_all(
            self.cluster.registry(),
            self.workspace,
            &self.filename_options(),
            scope,
            &mut warnings,
        );
        for w in warnings {
            self.stderr(format!("{w}\n"));
        }
        read
    }

    /// What the resource builder reads, each request with its namespace:
    /// the objects of `-f`/`-k` by name, each in its own namespace (the
    /// builder's `FilenameParam`), or the resource arguments in `namespace`.
    pub fn requests_in(
        &mut self,
        namespace: &str,
    ) -> Result<Vec<(super::resource::Request, String)>, KubectlError> {
        use super::resource::Request;
        if self.filename_options().is_empty() {
            let requests = super::resource::parse(self.cluster.registry(), &self.inv.args, true)?;
            return Ok(requests.into_iter().map(|r| (r, namespace.to_owned())).collect());
        }
        if !self.inv.args.is_empty() {
            return Err(KubectlError::msg(super::messages::PATHS_AND_RESOURCE_ARGS));
        }
        Ok(self
            .read_manifests_in(namespace)?
            .into_iter()
            .map(|m| {
                let ns = m.object.namespace().unwrap_or_default().to_owned();
                (Request::Named(m.kind(), m.object.name().to_owned()), ns)
            })
            .collect())
    }

    /// What table cells depend on.
    pub fn env(&self) -> Env {
        Env { now: self.cluster.now(), minor: self.minor }
    }

    /// The virtual time now.
    pub fn now(&self) -> Timestamp {
        self.cluster.now()
    }
}

/// Runs the verb `ctx.inv` names, its writes attributed to the field
/// manager the command sends.
pub fn dispatch(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    super::discovery_cache::consult(ctx)?;
    let manager = super::field_manager::for_command(ctx.inv, ctx.minor);
    ctx.cluster.set_field_manager(manager);
    let result = dispatch_verb(ctx);
    ctx.cluster.set_field_manager(None);
    result
}

fn dispatch_verb(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let path: Vec<&str> = ctx.inv.path.clone();
    match path.as_slice() {
        ["get"] => get::run(ctx),
        ["cp"] => cp::run(ctx),
        ["describe"] => describe::run(ctx),
        ["create"] => create::run(ctx),
        ["create", "deployment"] => create::deployment(ctx),
        ["create", "namespace"] => create::namespace(ctx),
        ["create", "job"] => create_job::job(ctx),
        ["create", "quota"] => create_quota::quota(ctx),
        ["create", "poddisruptionbudget"] => create_pdb::pdb(ctx),
        ["create", "cronjob"] => create_job::cronjob(ctx),
        ["create", "configmap"] => create_data::configmap(ctx),
        ["create", "secret", "generic"] => create_data::secret_generic(ctx),
        ["create", "secret", "tls"] => create_data::secret_tls(ctx),
        ["create", "secret", "docker-registry"] => create_data::secret_docker_registry(ctx),
        ["create", "service", "clusterip"] => create_data::service(ctx, "ClusterIP"),
        ["create", "service", "nodeport"] => create_data::service(ctx, "NodePort"),
        ["create", "service", "loadbalancer"] => create_data::service(ctx, "LoadBalancer"),
        ["create", "service", "externalname"] => create_data::service(ctx, "ExternalName"),
        ["create", "role"] => create_rbac::role(ctx),
        ["create", "clusterrole"] => create_rbac::cluster_role(ctx),
        ["create", "rolebinding"] => create_rbac::role_binding(ctx),
        ["create", "clusterrolebinding"] => create_rbac::cluster_role_binding(ctx),
        ["create", "serviceaccount"] => create_rbac::service_account(ctx),
        ["create", "ingress"] if !ctx.has(Fact::CreateIngress) => {
            Err(KubectlError::unsupported("kubectl create ingress before v1.20"))
        }
        ["create", "ingress"] => create_ingress::run(ctx),
        ["create", "priorityclass"] => create_priorityclass::run(ctx),
        ["create", "token"] if !ctx.has(Fact::CreateToken) => {
            Err(KubectlError::unsupported("kubectl create token before v1.24"))
        }
        ["create", "token"] => create_token::token(ctx),
        ["auth", "can-i"] => auth::can_i(ctx),
        ["auth", "whoami"] => auth::whoami(ctx),
        ["expose"] => expose::run(ctx),
        ["scale"] => scale::scale(ctx),
        ["autoscale"] => scale::autoscale(ctx),
        ["delete"] => delete::run(ctx),
        ["logs"] => logs::run(ctx),
        ["port-forward"] => port_forward::run(ctx),
        ["proxy"] => proxy::run(ctx),
        ["exec"] => exec::run(ctx),
        ["attach"] => attach::run(ctx),
        ["apply"] => apply::run(ctx),
        ["patch"] => patch::run(ctx),
        ["replace"] => replace::run(ctx),
        ["edit"] => edit::run(ctx),
        ["label"] => metadata::run(ctx, metadata::Which::Label),
        ["annotate"] => metadata::run(ctx, metadata::Which::Annotate),
        ["run"] => run::run(ctx),
        ["wait"] => wait::run(ctx),
        ["version"] => info::version(ctx),
        ["kustomize"] => kustomize::run(ctx),
        ["cluster-info"] => info::cluster_info(ctx),
        ["api-resources"] => info::api_resources(ctx),
        ["api-versions"] => info::api_versions(ctx),
        ["set", "image"] => set::image(ctx),
        ["set", "env"] => set_env::run(ctx),
        ["set", "resources"] => set_resources::run(ctx),
        ["set", "serviceaccount"] => set_serviceaccount::run(ctx),
        ["set", "subject"] => set_subject::run(ctx),
        ["top", "pod"] => top::pod(ctx),
        ["top", "node"] => top::node(ctx),
        ["explain"] => explain::run(ctx),
        ["events"] if !ctx.has(Fact::KubectlEvents) => {
            Err(KubectlError::unsupported("kubectl events before v1.26"))
        }
        ["events"] => events::run(ctx),
        ["taint"] => node::taint(ctx),
        ["cordon"] => node::cordon(ctx, true),
        ["uncordon"] => node::cordon(ctx, false),
        ["drain"] => node::drain(ctx),
        ["rollout", "history"] => rollout::history(ctx),
        ["rollout", "undo"] => rollout::undo(ctx),
        ["rollout", "pause"] => rollout::pause(ctx, true),
        ["rollout", "resume"] => rollout::pause(ctx, false),
        ["rollout", "restart"] => rollout::restart(ctx),
        ["rollout", "status"] => rollout::status(ctx),
        ["config", "current-context"] => config::current_context(ctx),
        ["config", "use-context"] => config::use_context(ctx),
        ["config", "set-context"] => config::set_context(ctx),
        ["config", "get-contexts"] => config::get_contexts(ctx),
        ["config", "get-clusters"] => config::get_names(ctx, false),
        ["config", "get-users"] => config::get_names(ctx, true),
        ["config", "view"] => config::view(ctx),
        [] | [_] | [_, _] if ctx.inv.command.support == Support::Group => {
            if let Some(extra) = ctx.inv.args.first() {
                return Err(KubectlError::msg(super::messages::usage_error(
                    &format!("unknown command \"{}\"", extra_args(ctx, extra)),
                    &ctx.inv.command_path(),
                )));
            }
            Err(KubectlError::Exit(1))
        }
        _ => Err(KubectlError::unsupported(ctx.inv.command_path())),
    }
}

fn extra_args(ctx: &Ctx<'_>, _first: &str) -> String {
    ctx.inv.args.join(" ")
}
