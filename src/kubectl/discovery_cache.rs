//! kubectl's disk cache of API discovery (`~/.kube/cache/discovery`,
//! `diskcached.NewCachedDiscoveryClientForConfig` in cli-runtime's
//! `config_flags.go`): written by the first command that maps a resource,
//! trusted for its TTL (10 minutes to kubectl 1.23, 6 hours from 1.24),
//! and refreshed early only when a name does not map in it
//! (`DeferredDiscoveryRESTMapper` resets a stale mapper on a miss).
//!
//! What shows: after a CRD is deleted, its resource still maps from the
//! cache, so `kubectl get backups` sends the list and the server's 404
//! comes back through `EnhanceListError` (`Unable to list
//! "ops.example.org/v1alpha1, Resource=backups": the server could not find
//! the requested resource (get backups.ops.example.org)`). Only custom
//! resources come and go; built-in ones are fixed per release.

use std::time::Duration;

use k8s_openapi::jiff::Timestamp;

use super::{error::KubectlError, resource, verbs::Ctx};
use crate::{
    sim::{Kind, registry::Registry},
    version::Fact,
};

/// One custom resource as discovery listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cached {
    plural: String,
    singular: String,
    short_names: Vec<String>,
    kind: String,
    group: String,
    version: String,
}

/// The cache of one machine's kubectl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoveryCache {
    /// When it was written, on the virtual clock; `None`: never.
    fetched: Option<Timestamp>,
    /// The custom resources it lists.
    custom: Vec<Cached>,
}

impl DiscoveryCache {
    fn refresh(&mut self, registry: &Registry, now: Timestamp) {
        self.fetched = Some(now);
        self.custom = registry
            .custom_kinds()
            .map(|kind| {
                let info = kind.info();
                Cached {
                    plural: info.plural.to_owned(),
                    singular: info.singular.to_owned(),
                    short_names: info.short_names.iter().map(|s| (*s).to_owned()).collect(),
                    kind: info.kind_name.to_owned(),
                    group: info.group.to_owned(),
                    version: info.version.to_owned(),
                }
            })
            .collect();
    }

    /// The cached custom resource `word` names (plural, singular, short
    /// name or kind, optionally `.group` or `.version.group`), as
    /// [`Registry::resolve`] matches the live ones.
    fn resolve(&self, word: &str) -> Option<&Cached> {
        let lower = word.to_ascii_lowercase();
        let (base, qualifier) = match lower.split_once('.') {
            Some((b, q)) => (b.to_owned(), Some(q.to_owned())),
            None => (lower, None),
        };
        self.custom.iter().find(|c| {
            let name_ok = c.plural == base
                || c.singular == base
                || c.short_names.contains(&base)
                || c.kind.eq_ignore_ascii_case(&base);
            name_ok
                && qualifier.as_deref().is_none_or(|q| {
                    q == c.group
                        || q.strip_prefix(c.version.as_str()).and_then(|r| r.strip_prefix('.'))
                            == Some(c.group.as_str())
                })
        })
    }

    /// `ParseResourceArg`: a word with two dots is first read as
    /// `resource.version.group`; when that misses in the cache, the mapper
    /// resets it before trying `resource.group`.
    fn misses_as_fully_specified(&self, word: &str) -> bool {
        let parts: Vec<&str> = word.splitn(3, '.').collect();
        let [resource, version, group] = parts.as_slice() else { return false };
        !self
            .custom
            .iter()
            .any(|c| c.plural == *resource && c.version == *version && c.group == *group)
    }
}

/// How long the cache is trusted.
fn ttl(ctx: &Ctx<'_>) -> Duration {
    if ctx.has(Fact::DiscoveryCacheSixHours) {
        Duration::from_secs(6 * 3600)
    } else {
        Duration::from_secs(10 * 60)
    }
}

/// Brings the cache up to date for this command's resource names, as the
/// command's first discovery request would, and fails the command when a
/// name maps only from the stale cache.
pub fn consult(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let now = ctx.cluster.now();
    let ttl = ttl(ctx);
    // The verbs whose positional arguments start with resource types.
    let typed = matches!(
        ctx.inv.path.as_slice(),
        ["get"
            | "describe"
            | "delete"
            | "edit"
            | "label"
            | "annotate"
            | "patch"
            | "scale"
            | "wait"]
    );
    let words = if typed { resource::typed_words(&ctx.inv.args) } else { Vec::new() };
    // Borrowed side by side: the server's registry, the client's cache.
    let registry = ctx.cluster.registry();
    let cache = &mut ctx.kubeconfig.discovery;
    let expired = cache.fetched.is_none_or(|t| crate::sim::time::since(now, t) >= ttl);
    // `api-resources` invalidates the cache unless `--cached` is given.
    if expired || ctx.inv.path == ["api-resources"] {
        cache.refresh(registry, now);
    }
    let mut stale = None;
    for word in &words {
        if cache.misses_as_fully_specified(word) {
            cache.refresh(registry, now);
        }
        match registry.resolve(word) {
            Some(kind) if is_custom(registry, kind) && cache.resolve(word).is_none() => {
                cache.refresh(registry, now);
            }
            Some(_) => {}
            None => match cache.resolve(word) {
                Some(cached) => {
                    stale = Some(cached.clone());
                    break;
                }
                None => cache.refresh(registry, now),
            },
        }
    }
    match stale {
        Some(cached) => Err(stale_error(ctx, &cached)),
        None => Ok(()),
    }
}

fn is_custom(registry: &Registry, kind: Kind) -> bool {
    registry.custom_kinds().any(|k| k == kind)
}

/// What a command gets for a resource only the stale cache maps: a plain
/// list is the server's 404 as `EnhanceListError` words it; anything else
/// is not modelled.
fn stale_error(ctx: &Ctx<'_>, stale: &Cached) -> KubectlError {
    let plain_list = ctx.inv.path == ["get"]
        && ctx.inv.args.len() == 1
        && !ctx.inv.args[0].contains('/')
        && ctx.inv.value("selector").is_none_or(str::is_empty)
        && ctx.inv.value("field-selector").is_none_or(str::is_empty);
    if !plain_list {
        return KubectlError::unsupported(format!(
            "kubectl {} of {}, which only kubectl's stale discovery cache still maps",
            ctx.inv.path.join(" "),
            stale.plural
        ));
    }
    KubectlError::Standard(format!(
        "Error from server (NotFound): Unable to list \"{}/{}, Resource={}\": the server could not \
         find the requested resource (get {}.{})",
        stale.group, stale.version, stale.plural, stale.plural, stale.group
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::{
        kubectl::{kubeconfig::Kubeconfig, run_in},
        output::{CommandOutput, Stream},
        sim::{Cluster, profiles::profile_at},
        version::KubeVersion,
        workspace::Workspace,
    };

    const CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.example.com
spec:
  group: demo.example.com
  names: {plural: widgets, singular: widget, kind: Widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
";

    /// What `get widgets` prints `wait` after the CRD's deletion, on a
    /// v1.`minor` cluster and kubectl.
    fn after_delete(minor: u32, wait: Duration) -> String {
        let mut cluster =
            Cluster::new(profile_at("kubeadm", KubeVersion::new(1, minor, 0)).unwrap());
        let mut kubeconfig = Kubeconfig::for_cluster(&cluster);
        let mut ws = Workspace::default();
        ws.write("crd.yaml", CRD);
        let mut run = |cluster: &mut Cluster, line: &str| -> CommandOutput {
            let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
            run_in(cluster, &mut kubeconfig, &argv, &ws, None)
        };
        assert_eq!(run(&mut cluster, "kubectl apply -f crd.yaml").status, 0);
        assert_eq!(run(&mut cluster, "kubectl get widgets").status, 0);
        assert_eq!(run(&mut cluster, "kubectl delete crd widgets.demo.example.com").status, 0);
        cluster.advance(wait);
        run(&mut cluster, "kubectl get widgets").stream(Stream::Stderr)
    }

    const STALE: &str = "Error from server (NotFound): Unable to list \"demo.example.com/v1, \
                         Resource=widgets\": the server could not find the requested resource \
                         (get widgets.demo.example.com)\n";
    const UNKNOWN: &str = "error: the server doesn't have a resource type \"widgets\"\n";

    #[test]
    fn discovery_cache_ttl_by_version() {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        assert_eq!(after_delete(23, minutes(9)), STALE);
        assert_eq!(after_delete(23, minutes(11)), UNKNOWN);
        assert_eq!(after_delete(24, minutes(11)), STALE);
        assert_eq!(after_delete(24, minutes(6 * 60 + 1)), UNKNOWN);
    }
}
