//! The kubeconfig file the emulated kubectl reads and `kubectl config`
//! writes: client state, not the API server's, so it lives with the kubectl
//! emulation (one per scenario, kept by the backend), never in
//! [`crate::sim`].
//!
//! Each profile starts with the file its installer writes: kubeadm's
//! `admin.conf` (context `kubernetes-admin@kubernetes`, cluster
//! `kubernetes`, user `kubernetes-admin`,
//! `cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go`), kind's (every name
//! `kind-kind`, `pkg/cluster/internal/kubeconfig`), minikube's (every name
//! `minikube`). A cluster set up by other means (`bare`, `kwok`) has no
//! known file: `kubectl config` is reported unsupported there, while its
//! commands still default to the `default` namespace.

use serde_json::{Value, json};

use crate::sim::Cluster;

/// One `contexts[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The context's name.
    pub name: String,
    /// Its cluster's name (empty when unset).
    pub cluster: String,
    /// Its user's name (empty when unset).
    pub user: String,
    /// Its default namespace, when set.
    pub namespace: Option<String>,
}

/// One `clusters[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterEntry {
    /// The cluster's name.
    pub name: String,
    /// The API server's URL.
    pub server: String,
}

/// The kubeconfig of one scenario's machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kubeconfig {
    /// Which installer wrote it (`None`: not known, see the module doc).
    pub installer: Option<&'static str>,
    /// `clusters[]`.
    pub clusters: Vec<ClusterEntry>,
    /// `users[]` (each carries a client certificate and key).
    pub users: Vec<String>,
    /// `contexts[]`.
    pub contexts: Vec<Context>,
    /// `current-context`.
    pub current: String,
    /// kubectl's discovery cache beside it in the same home directory
    /// (`~/.kube/cache/discovery`), part of the same client state.
    pub discovery: super::discovery_cache::DiscoveryCache,
}

impl Kubeconfig {
    /// The file the profile's installer wrote for `cluster`.
    pub fn for_cluster(cluster: &Cluster) -> Kubeconfig {
        let config = cluster.config();
        let (installer, name, cluster_name, user) = match config.profile.as_str() {
            "kubeadm" => {
                (Some("kubeadm"), "kubernetes-admin@kubernetes", "kubernetes", "kubernetes-admin")
            }
            "kind" => (Some("kind"), "kind-kind", "kind-kind", "kind-kind"),
            "minikube" => (Some("minikube"), "minikube", "minikube", "minikube"),
            _ => (None, "", "", ""),
        };
        if installer.is_none() {
            return Kubeconfig {
                installer,
                clusters: Vec::new(),
                users: Vec::new(),
                contexts: Vec::new(),
                current: String::new(),
                discovery: Default::default(),
            };
        }
        Kubeconfig {
            installer,
            clusters: vec![ClusterEntry {
                name: cluster_name.to_owned(),
                server: super::verbs::info::api_server_url(cluster),
            }],
            users: vec![user.to_owned()],
            contexts: vec![Context {
                name: name.to_owned(),
                cluster: cluster_name.to_owned(),
                user: user.to_owned(),
                namespace: None,
            }],
            current: name.to_owned(),
            discovery: Default::default(),
        }
    }

    /// The current context, if it exists.
    pub fn current_context(&self) -> Option<&Context> {
        self.contexts.iter().find(|c| c.name == self.current)
    }

    /// The namespace commands use without `-n`: the current context's,
    /// else `default` (clientcmd's `DirectClientConfig.Namespace`).
    pub fn namespace(&self) -> &str {
        self.current_context()
            .and_then(|c| c.namespace.as_deref())
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }

    /// The context called `name`, created empty when missing; and whether
    /// it existed.
    pub fn context_mut(&mut self, name: &str) -> (&mut Context, bool) {
        let existed = self.contexts.iter().any(|c| c.name == name);
        if !existed {
            self.contexts.push(Context {
                name: name.to_owned(),
                cluster: String::new(),
                user: String::new(),
                namespace: None,
            });
            // clientcmd keeps contexts in a map; `config view` lists them
            // by name.
            self.contexts.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let context = self.contexts.iter_mut().find(|c| c.name == name).expect("just added");
        (context, existed)
    }

    /// The file as `kubectl config view` shows it (`clientcmdapi/v1.Config`
    /// through JSON): `minify` keeps the current context and what it names;
    /// certificate data reads `omitted` (`DATA+OMITTED`, or `REDACTED`
    /// before v1.12) unless `--raw`.
    pub fn view(&self, minify: bool, omitted: &str) -> Value {
        let keep_context = |c: &&Context| !minify || c.name == self.current;
        let contexts: Vec<&Context> = self.contexts.iter().filter(keep_context).collect();
        let used =
            |name: &str| !minify || contexts.iter().any(|c| c.cluster == name || c.user == name);
        let clusters: Vec<Value> = self
            .clusters
            .iter()
            .filter(|c| used(&c.name))
            .map(|c| {
                json!({"name": c.name, "cluster": {
                    "server": c.server, "certificate-authority-data": omitted}})
            })
            .collect();
        let users: Vec<Value> = self
            .users
            .iter()
            .filter(|u| used(u))
            .map(|u| {
                json!({"name": u, "user": {
                    "client-certificate-data": omitted, "client-key-data": omitted}})
            })
            .collect();
        let contexts: Vec<Value> = contexts
            .iter()
            .map(|c| {
                let mut context = json!({"cluster": c.cluster, "user": c.user});
                if let Some(ns) = &c.namespace {
                    context["namespace"] = json!(ns);
                }
                json!({"name": c.name, "context": context})
            })
            .collect();
        // Go marshals an empty slice of the minified file as `null`.
        let list = |v: Vec<Value>| if v.is_empty() { Value::Null } else { Value::Array(v) };
        json!({
            "kind": "Config",
            "apiVersion": "v1",
            "preferences": {},
            "clusters": list(clusters),
            "users": list(users),
            "contexts": list(contexts),
            "current-context": self.current,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> Kubeconfig {
        Kubeconfig {
            installer: Some("kubeadm"),
            clusters: vec![ClusterEntry {
                name: "kubernetes".into(),
                server: "https://10.0.0.1:6443".into(),
            }],
            users: vec!["kubernetes-admin".into()],
            contexts: vec![Context {
                name: "kubernetes-admin@kubernetes".into(),
                cluster: "kubernetes".into(),
                user: "kubernetes-admin".into(),
                namespace: None,
            }],
            current: "kubernetes-admin@kubernetes".into(),
            discovery: Default::default(),
        }
    }

    #[test]
    fn the_current_contexts_namespace_is_the_default() {
        let mut config = admin();
        assert_eq!(config.namespace(), "default");
        let (context, existed) = config.context_mut("kubernetes-admin@kubernetes");
        assert!(existed);
        context.namespace = Some("dev".into());
        assert_eq!(config.namespace(), "dev");
        let (_, existed) = config.context_mut("other");
        assert!(!existed);
        config.current = "other".into();
        assert_eq!(config.namespace(), "default");
    }

    #[test]
    fn minify_keeps_what_the_current_context_names() {
        let mut config = admin();
        config.context_mut("aaa").0.namespace = Some("x".into());
        config.current = "aaa".into();
        let view = config.view(true, "DATA+OMITTED");
        assert_eq!(view["clusters"], Value::Null);
        assert_eq!(view["users"], Value::Null);
        assert_eq!(
            view["contexts"][0]["context"],
            json!({"cluster": "", "user": "", "namespace": "x"})
        );
        let full = config.view(false, "REDACTED");
        assert_eq!(full["contexts"].as_array().map(Vec::len), Some(2));
        assert_eq!(full["users"][0]["user"]["client-key-data"], "REDACTED");
    }
}
