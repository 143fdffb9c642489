//! Resource arguments as kubectl's resource builder reads them
//! (`cli-runtime/pkg/resource/builder.go` `ResourceTypeOrNameArgs`):
//! `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2 NAME`, `TYPE/NAME...`, and the
//! `all` category.

use super::{error::KubectlError, messages};
use crate::sim::{Kind, registry::Registry};

/// One request the builder turns into an API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// List every object of a kind (in the namespace, or all).
    List(Kind),
    /// Get one object by name.
    Named(Kind, String),
}

impl Request {
    /// The kind requested.
    pub fn kind(&self) -> Kind {
        match self {
            Request::List(k) | Request::Named(k, _) => *k,
        }
    }
}

/// The `all` category as discovery lists it for the kinds the simulator
/// serves (core, then apps, autoscaling, batch; resources alphabetical
/// within a group): pods, services, daemonsets, deployments, replicasets,
/// horizontalpodautoscalers, cronjobs, jobs.
pub const ALL_CATEGORY: &[Kind] = &[
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::HorizontalPodAutoscaler,
    Kind::CronJob,
    Kind::Job,
];

/// Resolves one typed resource (`deploy`, `pods`, `deployments.apps`,
/// `all`) to kinds.
pub fn resolve_type(registry: &Registry, word: &str) -> Result<Vec<Kind>, KubectlError> {
    if word == "all" {
        return Ok(ALL_CATEGORY.to_vec());
    }
    registry.resolve(word).map(|k| vec![k]).ok_or_else(|| {
        let resource = word.split('.').next().unwrap_or(word);
        KubectlError::UnknownResource(resource.to_owned())
    })
}

/// Resolves a single-kind argument (`TYPE/NAME` resources, `scale`, ...).
pub fn resolve_one(registry: &Registry, word: &str) -> Result<Kind, KubectlError> {
    if word == "all" {
        return Err(KubectlError::UnknownResource("all".to_owned()));
    }
    resolve_type(registry, word).map(|kinds| kinds[0])
}

/// The API group kubectl sends a request for the typed resource `word`
/// to: the first group in discovery order that serves it (client-go's
/// `PriorityRESTMapper` over the apiserver's `apiVersionPriorities`). For a
/// kind that moved out of `extensions` this is `extensions` while that
/// group is served first: bare `deployments` meant extensions/v1beta1 up to
/// v1.15 (`deployment.extensions/web scaled`), `ingresses` up to v1.19
/// ([`crate::version::Fact::DeploymentsResolveToApps`],
/// [`crate::version::Fact::IngressesResolveToNetworking`]; the group
/// order is in `src/sim/api/discovery/served.tsv`). `None` for what
/// discovery does not list (custom resources: their own group).
pub fn served_group(registry: &Registry, word: &str) -> Option<&'static str> {
    registry.discovery().resource_type(word).map(|r| r.group)
}

/// The types named in positional resource arguments, in the order
/// [`parse`] makes its requests (`TYPE/NAME ...`, or `TYPE[,TYPE] [NAME
/// ...]`), as typed.
pub fn typed_words(args: &[String]) -> Vec<String> {
    let args = normalize_multiple_types(args);
    if args.iter().any(|a| a.contains('/')) {
        return args.iter().map(|a| a.split('/').next().unwrap_or_default().to_owned()).collect();
    }
    let Some(types) = args.first() else { return Vec::new() };
    let types: Vec<String> =
        types.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect();
    if args.len() >= 2 {
        let first = types.first().cloned().unwrap_or_default();
        return vec![first; args.len() - 1];
    }
    types
}

/// Parses positional resource arguments into requests, in the order the
/// builder visits them. `allow_list` is the builder's `allowEmptySelector`
/// (`get`, `describe`: a bare type lists everything).
pub fn parse(
    registry: &Registry,
    args: &[String],
    allow_list: bool,
) -> Result<Vec<Request>, KubectlError> {
    let args = normalize_multiple_types(args);
    let slashes = args.iter().filter(|a| a.contains('/')).count();
    if slashes > 0 {
        if slashes != args.len() {
            return Err(KubectlError::msg(messages::MIXED_TYPE_NAME_ARGS));
        }
        let mut out = Vec::new();
        for a in &args {
            let parts: Vec<&str> = a.split('/').collect();
            if parts.len() != 2 {
                return Err(KubectlError::msg(messages::TOO_MANY_SLASHES));
            }
            let (ty, name) = (parts[0], parts[1]);
            if ty.is_empty() || name.is_empty() || ty.contains(',') {
                return Err(KubectlError::msg(messages::SINGLE_RESOURCE_AND_NAME));
            }
            out.push((ty.to_owned(), name.to_owned()));
        }
        // Every type is resolved before any request is made.
        let mut requests = Vec::new();
        for (ty, name) in out {
            requests.push(Request::Named(resolve_one(registry, &ty)?, name));
        }
        return Ok(requests);
    }
    let Some(types) = args.first() else {
        return Err(KubectlError::msg(messages::MISSING_RESOURCE));
    };
    let mut kinds = Vec::new();
    for t in types.split(',').filter(|t| !t.is_empty()) {
        kinds.extend(resolve_type(registry, t)?);
    }
    if args.len() >= 2 {
        // `get , web`: no type at all. The builder's `SplitResourceArgument`
        // keeps the empty type, and its mapping fails as for any unknown
        // type (issue 10: this indexed an empty list and panicked).
        let Some(&kind) = kinds.first() else {
            return Err(resolve_type(registry, "")
                .err()
                .unwrap_or_else(|| KubectlError::msg(messages::MISSING_RESOURCE)));
        };
        return Ok(args[1..].iter().map(|n| Request::Named(kind, n.clone())).collect());
    }
    if !allow_list {
        return Err(KubectlError::msg(messages::NO_NAME_SPECIFIED));
    }
    // A listing of a kind whose default objects the simulator lacks would
    // silently miss them.
    if let Some((kind, what)) =
        kinds.iter().find_map(|k| Some((k, super::error::defaults_gap(*k)?)))
    {
        return Err(KubectlError::unsupported(format!("listing {}: {what}", kind.info().plural)));
    }
    Ok(kinds.into_iter().map(Request::List).collect())
}

/// `normalizeMultipleResourcesArgs`: `a,b x y` → `a/x a/y b/x b/y`.
fn normalize_multiple_types(args: &[String]) -> Vec<String> {
    if args.len() >= 2 {
        let types: Vec<&str> = args[0].split(',').filter(|t| !t.is_empty()).collect();
        if types.len() > 1 {
            return types
                .iter()
                .flat_map(|t| args[1..].iter().map(move |n| format!("{t}/{n}")))
                .collect();
        }
    }
    args.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[String], allow_list: bool) -> Result<Vec<Request>, KubectlError> {
        let registry =
            Registry::for_version(crate::version::KubeVersion::parse("v1.22.2").unwrap());
        super::parse(&registry, args, allow_list)
    }

    fn a(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    /// Issue 10: `kubectl get , web` indexed an empty type list.
    #[test]
    fn names_after_an_empty_type_list_are_an_unknown_type() {
        let err = parse(&[",".to_owned(), "web".to_owned()], true).unwrap_err();
        assert_eq!(err.render(22), "error: the server doesn't have a resource type \"\"\n");
    }

    #[test]
    fn forms() {
        assert_eq!(parse(&a("po"), true).unwrap(), vec![Request::List(Kind::Pod)]);
        assert_eq!(
            parse(&a("deploy,svc"), true).unwrap(),
            vec![Request::List(Kind::Deployment), Request::List(Kind::Service)]
        );
        assert_eq!(
            parse(&a("pod x y"), true).unwrap(),
            vec![Request::Named(Kind::Pod, "x".into()), Request::Named(Kind::Pod, "y".into())]
        );
        assert_eq!(
            parse(&a("deploy/x svc/y"), true).unwrap(),
            vec![
                Request::Named(Kind::Deployment, "x".into()),
                Request::Named(Kind::Service, "y".into())
            ]
        );
        assert_eq!(
            parse(&a("deploy,svc x"), true).unwrap(),
            vec![
                Request::Named(Kind::Deployment, "x".into()),
                Request::Named(Kind::Service, "x".into())
            ]
        );
        assert_eq!(parse(&a("all"), true).unwrap().len(), ALL_CATEGORY.len());
    }

    /// [`crate::version::Fact::IngressesResolveToNetworking`] and
    /// [`crate::version::Fact::DeploymentsResolveToApps`], on both sides.
    #[test]
    fn ingresses_resolve_by_the_group_order() {
        let at = |m| Registry::for_version(crate::version::KubeVersion::new(1, m, 0));
        assert_eq!(served_group(&at(19), "ingresses"), Some("extensions"));
        assert_eq!(served_group(&at(20), "ing"), Some("networking.k8s.io"));
        assert_eq!(served_group(&at(15), "deploy"), Some("extensions"));
        assert_eq!(served_group(&at(16), "deploy"), Some("apps"));
        assert_eq!(served_group(&at(15), "deployments.apps"), Some("apps"));
        assert_eq!(served_group(&at(15), "pods"), Some(""));
    }

    #[test]
    fn typed_words_follow_the_requests() {
        assert_eq!(typed_words(&a("deploy web")), ["deploy"]);
        assert_eq!(typed_words(&a("deploy/web rs/x")), ["deploy", "rs"]);
        assert_eq!(typed_words(&a("deploy,svc x")), ["deploy", "svc"]);
        assert_eq!(typed_words(&a("deploy a b")), ["deploy", "deploy"]);
    }

    #[test]
    fn errors() {
        let err = |s: &str| parse(&a(s), true).unwrap_err().render(22);
        assert_eq!(err("foo"), "error: the server doesn't have a resource type \"foo\"\n");
        assert_eq!(err("pod a/b"), format!("error: {}\n", messages::MIXED_TYPE_NAME_ARGS));
        assert_eq!(err("pod/a/b"), format!("error: {}\n", messages::TOO_MANY_SLASHES));
        assert_eq!(
            parse(&a("deploy"), false).unwrap_err().render(22),
            format!("error: {}\n", messages::NO_NAME_SPECIFIED)
        );
    }
}
