//! `GET` of a path on the API server, as a plain HTTP client receives it:
//! what `kubectl get --raw PATH` prints and what `curl` behind `kubectl
//! proxy` shows. Not kubectl-specific (DESIGN §8): an HTTP front can
//! serve the same answers.
//!
//! Served: `/version` (`routes/version.go`), `/healthz`, `/livez`,
//! `/readyz` (`healthz.go`: `ok`), the discovery documents `/api`
//! (`APIVersions`), `/apis` and `/apis/<group>`, objects and lists of
//! the kinds whose Go field order is known ([`go_object`]: namespaces,
//! ConfigMaps) with, from v1.16, their `metadata.managedFields`
//! ([`crate::sim::api::field_tracking`]), empty lists of any kind,
//! NotFound for objects that do not exist, and the `proxy` subresources
//! of pods and Services, which forward to the pod's modelled HTTP server
//! ([`crate::sim::traffic`]). JSON is compact with a final newline, or
//! indented without one when the client asks for it ([`pretty`]).
//!
//! Reported unsupported, named: the per-version resource lists
//! (`/api/v1`, `/apis/<group>/<version>`: their `storageVersionHash` and
//! subresource entries are not in the discovery table), the OpenAPI
//! documents, the root path list, objects of other kinds (their Go field
//! order), objects whose managed fields the simulator does not know
//! (a controller wrote them), and paths the simulator does not route.

use super::{Discovery, discovery_documents, go_json::Json, go_object};
use crate::{
    sim::{
        ApiError, Cluster, Kind, Object, ObjectRef,
        traffic::{self, ConnectError, Endpoint, Request},
    },
    version::{Fact, builds::RELEASES},
};

/// An answer with a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub code: u16,
    /// The body as sent.
    pub body: String,
}

/// Why a request got no answer of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawError {
    /// The API server answers with a Status error ([`status_response`]
    /// gives the HTTP form; kubectl prints `Error from server (...)`).
    Api(ApiError),
    /// Something the simulator cannot answer, named.
    Unsupported(String),
}

impl From<ApiError> for RawError {
    fn from(e: ApiError) -> Self {
        RawError::Api(e)
    }
}

/// `negotiation.isPrettyPrint`
/// (`apiserver/pkg/endpoints/handlers/negotiation/negotiate.go`): the
/// `pretty` query parameter when it parses as a bool, else a User-Agent
/// starting with `curl`, `Wget` or `Mozilla/5.0`.
pub fn pretty(query: &str, user_agent: &str) -> bool {
    let given = query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == "pretty" && !v.is_empty()).then_some(v)
    });
    if let Some(v) = given {
        // Go's `strconv.ParseBool`; an unparsable value is false.
        return matches!(v, "1" | "t" | "T" | "TRUE" | "true" | "True");
    }
    ["curl", "Wget", "Mozilla/5.0"].iter().any(|p| user_agent.starts_with(p))
}

/// `GET path` (with its query) from a client sending `user_agent`. A
/// Status error is `Err(RawError::Api)`: an HTTP client gets
/// [`status_response`]'s body, kubectl prints `Error from server (...)`.
pub fn get(cluster: &mut Cluster, path: &str, user_agent: &str) -> Result<Response, RawError> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let pretty = pretty(query, user_agent);
    let ok = |json: Json| Ok(Response { code: 200, body: json.encode(pretty) });
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let version = cluster.config().version;
    let discovery = Discovery::at(&version);
    match segments.as_slice() {
        ["version"] => version_info(cluster).map(|j| Response { code: 200, body: j.indented() }),
        [check @ ("healthz" | "livez" | "readyz")]
        | [check @ ("healthz" | "livez" | "readyz"), "ping"] => {
            if query.contains("verbose") || query.contains("exclude") {
                return Err(unsupported(format!("the per-check report of /{check}?{query}")));
            }
            Ok(Response { code: 200, body: "ok".to_owned() })
        }
        ["api"] => ok(api_versions(cluster)),
        ["apis"] => ok(discovery_documents::api_group_list_json(discovery)),
        ["apis", group] => match discovery_documents::api_group_json(discovery, group) {
            Some(json) => ok(json),
            None => Err(ApiError::NotServed.into()),
        },
        ["api", "v1"] | ["apis", _, _] => Err(unsupported(format!(
            "the resource list at {path} (storageVersionHash and subresources are not in the discovery table)"
        ))),
        ["api", "v1", rest @ ..] => resource(cluster, "", "v1", rest, query, pretty),
        ["apis", group, version, rest @ ..] => {
            resource(cluster, group, version, rest, query, pretty)
        }
        ["openapi", ..] | ["swagger.json"] => {
            Err(unsupported(format!("the OpenAPI document at {path}")))
        }
        [""] => Err(unsupported("the API server's list of root paths (GET /)")),
        _ => Err(unsupported(format!("GET {path} on the API server"))),
    }
}

fn unsupported(what: impl Into<String>) -> RawError {
    RawError::Unsupported(what.into())
}

/// The body the API server sends with a Status error: `404 page not
/// found` for a path nothing serves (Go's `http.NotFound`), else the
/// `Status` object (`metav1.Status` field order).
pub fn status_response(err: &ApiError, pretty: bool) -> Result<Response, RawError> {
    let (code, details) = match err {
        ApiError::NotServed => {
            return Ok(Response { code: 404, body: "404 page not found\n".to_owned() });
        }
        ApiError::NotFound { kind, name } => {
            let info = kind.info();
            let mut details = vec![("name".to_owned(), Json::str(name.clone()))];
            if !info.group.is_empty() {
                details.push(("group".to_owned(), Json::str(info.group)));
            }
            details.push(("kind".to_owned(), Json::str(info.plural)));
            (404, Json::Obj(details))
        }
        other => return Err(unsupported(format!("the Status body of `{other}`"))),
    };
    let json = Json::obj([
        ("kind", Json::str("Status")),
        ("apiVersion", Json::str("v1")),
        ("metadata", Json::Obj(Vec::new())),
        ("status", Json::str("Failure")),
        ("message", Json::str(err.to_string())),
        ("reason", Json::str(err.reason())),
        ("details", details),
        ("code", Json::Num(code)),
    ]);
    Ok(Response { code: code as u16, body: json.encode(pretty) })
}

/// `/version`: the release's `version.Info`
/// (`apimachinery/pkg/version/types.go`), from its official build.
fn version_info(cluster: &Cluster) -> Result<Json, RawError> {
    let version = cluster.config().version;
    let git_version = version.to_string();
    let Some(build) = RELEASES.iter().find(|r| r.git_version == git_version) else {
        return Err(unsupported(format!(
            "the build metadata (gitCommit, buildDate) of {git_version} at /version"
        )));
    };
    // v1.33 added the emulation and compatibility fields; no release from
    // then on is in `RELEASES` yet, so none is printed without them.
    Ok(Json::obj([
        ("major", Json::str(version.major().to_string())),
        ("minor", Json::str(version.minor().to_string())),
        ("gitVersion", Json::str(build.git_version)),
        ("gitCommit", Json::str(build.git_commit)),
        ("gitTreeState", Json::str("clean")),
        ("buildDate", Json::str(build.server_build_date)),
        ("goVersion", Json::str(build.go_version)),
        ("compiler", Json::str("gc")),
        ("platform", Json::str(crate::version::builds::PLATFORM)),
    ]))
}

/// `/api` (`metav1.APIVersions`): the core group's one version and the
/// address clients reach the API server at (`serverAddressByClientCIDRs`:
/// the advertised address and secure port, which the `kubernetes`
/// Endpoints object holds).
fn api_versions(cluster: &Cluster) -> Json {
    let r = ObjectRef::namespaced(Kind::Endpoints, "default", "kubernetes");
    let address = match cluster.get(&r) {
        Ok(Object::Endpoints(ep)) => ep.subsets.as_ref().and_then(|s| s.first()).and_then(|s| {
            let ip = s.addresses.as_ref()?.first()?.ip.clone();
            let port = s.ports.as_ref()?.first()?.port;
            Some(format!("{ip}:{port}"))
        }),
        _ => None,
    };
    let cidrs = address
        .map(|a| {
            vec![Json::obj([
                ("clientCIDR", Json::str("0.0.0.0/0")),
                ("serverAddress", Json::str(a)),
            ])]
        })
        .unwrap_or_default();
    Json::obj([
        ("kind", Json::str("APIVersions")),
        ("versions", Json::Arr(vec![Json::str("v1")])),
        ("serverAddressByClientCIDRs", Json::Arr(cidrs)),
    ])
}

/// A request under `/api/v1` or `/apis/<group>/<version>`: `rest` is
/// `[namespaces, NS,] RESOURCE [, NAME [, SUBRESOURCE [, PATH...]]]`.
fn resource(
    cluster: &mut Cluster,
    group: &str,
    version: &str,
    rest: &[&str],
    query: &str,
    pretty: bool,
) -> Result<Response, RawError> {
    let (namespace, rest) = match rest {
        ["namespaces", ns, resource, tail @ ..] if !matches!(*resource, "status" | "finalize") => {
            (Some(*ns), [std::slice::from_ref(resource), tail].concat())
        }
        _ => (None, rest.to_vec()),
    };
    let discovery = Discovery::at(&cluster.config().version);
    let api_version =
        if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
    let Some(served) =
        discovery.resources_of(&api_version).find(|r| Some(r.resource) == rest.first().copied())
    else {
        return Err(unsupported(format!(
            "GET of {}/{}/{} (a resource this version does not serve)",
            if group.is_empty() { "api" } else { "apis" },
            if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") },
            rest.join("/")
        )));
    };
    if served.namespaced != namespace.is_some() && !(namespace.is_none() && rest.len() == 1) {
        return Err(unsupported(format!("GET of {} outside its scope", served.resource)));
    }
    // What the registry resolves: `jobs.v1.batch`; a core resource by its
    // plural, which names the core group first.
    let word = if group.is_empty() {
        served.resource.to_owned()
    } else {
        format!("{}.{version}.{group}", served.resource)
    };
    let Some(kind) = cluster.registry().resolve(&word) else {
        return Err(unsupported(format!("GET of {}", served.group_resource())));
    };
    match rest.as_slice() {
        [_] => list(cluster, kind, namespace, query, pretty),
        [_, name] => {
            let r = match namespace {
                Some(ns) => ObjectRef::namespaced(kind, ns, name),
                None => ObjectRef::cluster(kind, name),
            };
            let object = cluster.get(&r)?;
            let json = encode_object(cluster, object, false)?;
            Ok(Response { code: 200, body: json.encode(pretty) })
        }
        [_, name, "proxy", path @ ..] if kind == Kind::Pod || kind == Kind::Service => {
            let path = format!(
                "/{}{}",
                path.join("/"),
                if query.is_empty() { String::new() } else { format!("?{query}") }
            );
            let ns = namespace.unwrap_or("default");
            if kind == Kind::Pod {
                pod_proxy(cluster, ns, name, &path)
            } else {
                service_proxy(cluster, ns, name, &path)
            }
        }
        _ => Err(unsupported(format!("GET of the subresource at {}", rest.join("/")))),
    }
}

/// An object as the API server sends it: its Go field order and, from
/// v1.16, its managed fields; unsupported, named, where either is not
/// known.
fn encode_object(cluster: &Cluster, object: &Object, in_list: bool) -> Result<Json, RawError> {
    let kind = object.kind();
    let managed = if cluster.config().version.has(Fact::ManagedFieldsInResponses) {
        cluster
            .managed_fields(object)
            .map_err(|why| unsupported(why.describe(&object.object_ref())))?
    } else {
        Vec::new()
    };
    go_object::encode(kind, &object.to_value(), &managed, in_list).ok_or_else(|| {
        unsupported(format!("the API server's JSON encoding of {} objects", kind.info().kind_name))
    })
}

/// A list request: kind `<Kind>List`, the store's revision as its
/// resourceVersion (and, before v1.20, its `selfLink`), and the items.
fn list(
    cluster: &Cluster,
    kind: Kind,
    namespace: Option<&str>,
    query: &str,
    pretty: bool,
) -> Result<Response, RawError> {
    let items = cluster
        .list(kind, namespace)
        .into_iter()
        .map(|o| encode_object(cluster, o, true))
        .collect::<Result<Vec<_>, _>>()?;
    if query.split('&').any(|kv| {
        kv.starts_with("labelSelector=")
            || kv.starts_with("fieldSelector=")
            || kv.starts_with("watch=")
    }) {
        return Err(unsupported(format!("a selector or watch on the raw list request ?{query}")));
    }
    let info = kind.info();
    let api_version = if info.group.is_empty() {
        info.version.to_owned()
    } else {
        format!("{}/{}", info.group, info.version)
    };
    let mut metadata = Vec::new();
    if !cluster.config().version.has(Fact::SelfLinkRemoved) {
        let base = if info.group.is_empty() {
            "/api/v1".to_owned()
        } else {
            format!("/apis/{api_version}")
        };
        let link = match namespace {
            Some(ns) => format!("{base}/namespaces/{ns}/{}", info.plural),
            None => format!("{base}/{}", info.plural),
        };
        metadata.push(("selfLink".to_owned(), Json::str(link)));
    }
    metadata
        .push(("resourceVersion".to_owned(), Json::str(cluster.store().revision().to_string())));
    let json = Json::obj([
        ("kind", Json::str(format!("{}List", info.kind_name))),
        ("apiVersion", Json::str(api_version)),
        ("metadata", Json::Obj(metadata)),
        ("items", Json::Arr(items)),
    ]);
    Ok(Response { code: 200, body: json.encode(pretty) })
}

/// `[scheme:]name[:port]` (`utilnet.SplitSchemeNamePort`).
fn split_scheme_name_port(id: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = id.split(':').collect();
    match parts.as_slice() {
        [name] => Some((*name, "")),
        [name, port] => Some((*name, *port)),
        ["http", name, port] => Some((*name, *port)),
        _ => None,
    }
    .filter(|(name, _)| !name.is_empty())
}

/// `pods/NAME[:PORT]/proxy/PATH` (`pkg/registry/core/pod` `ResourceLocation`):
/// the pod's IP and the given port, else its first container's first
/// declared port, else 80.
fn pod_proxy(cluster: &Cluster, ns: &str, id: &str, path: &str) -> Result<Response, RawError> {
    let Some((name, port)) = split_scheme_name_port(id) else {
        return Err(unsupported(format!(
            "the pod proxy id {id:?} (an https scheme or a malformed id)"
        )));
    };
    let r = ObjectRef::namespaced(Kind::Pod, ns, name);
    let Object::Pod(pod) = cluster.get(&r)? else { unreachable!("a pod ref holds a pod") };
    let declared = pod
        .spec
        .iter()
        .flat_map(|s| &s.containers)
        .find_map(|c| c.ports.as_ref()?.first().map(|p| p.container_port));
    let port: u16 = if port.is_empty() {
        declared.map_or(Some(80), |p| u16::try_from(p).ok())
    } else {
        port.parse().ok()
    }
    .ok_or_else(|| unsupported(format!("the pod proxy port in {id:?}")))?;
    let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    if ip.is_empty() {
        return Err(unsupported(format!(
            "the pod proxy of pod {name} before it has an IP (`address not allowed`)"
        )));
    }
    let endpoint = Endpoint { namespace: ns.to_owned(), pod: name.to_owned(), ip, port };
    let request = Request { method: "GET".to_owned(), path: path.to_owned() };
    forwarded(traffic::serve(
        cluster.store(),
        cluster.config(),
        cluster.runtime(),
        &endpoint,
        &request,
        cluster.now(),
    ))
}

/// `services/NAME[:PORT]/proxy/PATH` (`pkg/registry/core/service/storage`
/// `ResourceLocation`): the Service port by name (a number names the port
/// that has it), then one of its ready endpoints. The API server picks
/// the endpoint at random; the simulator takes them in turn, as its
/// kube-proxy does, so a run stays deterministic.
fn service_proxy(
    cluster: &mut Cluster,
    ns: &str,
    id: &str,
    path: &str,
) -> Result<Response, RawError> {
    let Some((name, port)) = split_scheme_name_port(id) else {
        return Err(unsupported(format!(
            "the service proxy id {id:?} (an https scheme or a malformed id)"
        )));
    };
    let r = ObjectRef::namespaced(Kind::Service, ns, name);
    let Object::Service(svc) = cluster.get(&r)? else {
        unreachable!("a service ref holds a service")
    };
    let spec = svc.spec.clone().unwrap_or_default();
    let ports = spec.ports.unwrap_or_default();
    let chosen = match port.parse::<i32>() {
        Ok(n) => ports.iter().find(|p| p.port == n),
        Err(_) => ports.iter().find(|p| p.name.as_deref().unwrap_or_default() == port),
    };
    let (Some(chosen), Some(ip)) = (chosen, spec.cluster_ip.filter(|ip| ip != "None")) else {
        return Err(unsupported(format!(
            "the service proxy of {name}:{port} without a matching port or a ClusterIP (the 503 `no endpoints available` Status)"
        )));
    };
    let request = Request { method: "GET".to_owned(), path: path.to_owned() };
    let port = u16::try_from(chosen.port).unwrap_or_default();
    match traffic::http_in(cluster, &ip, port, &request) {
        Err(ConnectError::Refused) => Err(unsupported(format!(
            "the 503 Status of the service proxy of {name} without ready endpoints"
        ))),
        other => forwarded(other.map(|(_, r)| r)),
    }
}

/// The reply of the pod the API server proxied to, as it relays it.
fn forwarded(reply: Result<traffic::Response, ConnectError>) -> Result<Response, RawError> {
    match reply {
        Ok(r) => Ok(Response { code: r.status, body: r.body }),
        Err(ConnectError::Unmodelled(image)) => {
            Err(unsupported(format!("the HTTP reply of image {image}")))
        }
        // The proxy's error page (`error trying to reach service: dial tcp
        // ...`, the pod's IP and the errno's text) is not modelled.
        Err(e) => Err(unsupported(format!("the API server proxy's error page for {e:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_printing_follows_the_query_then_the_user_agent() {
        assert!(pretty("", "curl/7.68.0"));
        assert!(pretty("", "Wget"));
        assert!(!pretty("", "kubectl/v1.35.4 (linux/amd64) kubernetes/abcdef"));
        assert!(pretty("pretty=true", "kubectl/v1.35.4"));
        assert!(!pretty("pretty=false", "curl/7.68.0"));
        assert!(!pretty("pretty=nonsense", "curl/7.68.0"));
        assert!(pretty("pretty=", "curl/7.68.0"));
    }

    fn cluster(version: &str) -> Cluster {
        let mut config = crate::sim::profiles::profile("kubeadm").expect("profile");
        config.version = crate::version::KubeVersion::parse(version).unwrap();
        Cluster::new(config)
    }

    fn body(c: &mut Cluster, path: &str, agent: &str) -> String {
        get(c, path, agent).unwrap().body
    }

    #[test]
    fn empty_lists_carry_a_self_link_before_1_20() {
        let mut c = cluster("v1.19.4");
        let rv = c.store().revision();
        assert_eq!(
            body(&mut c, "/api/v1/namespaces/default/pods", "kubectl"),
            format!(
                "{{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{{\"selfLink\":\"/api/v1/namespaces/default/pods\",\"resourceVersion\":\"{rv}\"}},\"items\":[]}}\n"
            )
        );
        let mut c = cluster("v1.20.0");
        let rv = c.store().revision();
        assert_eq!(
            body(&mut c, "/apis/apps/v1/namespaces/default/deployments", "curl/7.68.0"),
            format!(
                "{{\n  \"kind\": \"DeploymentList\",\n  \"apiVersion\": \"apps/v1\",\n  \"metadata\": {{\n    \"resourceVersion\": \"{rv}\"\n  }},\n  \"items\": []\n}}"
            )
        );
    }

    #[test]
    fn objects_need_managed_fields_from_1_16() {
        let path = "/api/v1/namespaces/default";
        let body = |version: &str| match get(&mut cluster(version), path, "kubectl") {
            Ok(r) => r.body,
            other => panic!("{version}: {other:?}"),
        };
        assert!(!body("v1.15.0").contains("managedFields"));
        assert!(body("v1.29.1").contains(
            r#""managedFields":[{"manager":"kube-apiserver","operation":"Update","apiVersion":"v1","time":"#
        ));
        // Pods are written by controllers under managers not modelled.
        match get(&mut cluster("v1.29.1"), "/api/v1/namespaces/kube-system/pods", "curl") {
            Err(RawError::Unsupported(what)) => assert!(what.contains("managedFields"), "{what}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn not_found_is_a_status_object() {
        let mut c = cluster("v1.35.0");
        let Err(RawError::Api(e)) =
            get(&mut c, "/apis/apps/v1/namespaces/default/deployments/web", "kubectl")
        else {
            panic!("not a Status error")
        };
        let r = status_response(&e, false).unwrap();
        assert_eq!(r.code, 404);
        assert_eq!(
            r.body,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"deployments.apps \\\"web\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"},\"code\":404}\n"
        );
        assert_eq!(body(&mut c, "/healthz", "curl"), "ok");
        assert_eq!(body(&mut c, "/readyz?pretty=true", "kubectl"), "ok");
        assert_eq!(
            body(&mut c, "/api", "curl"),
            "{\n  \"kind\": \"APIVersions\",\n  \"versions\": [\n    \"v1\"\n  ],\n  \"serverAddressByClientCIDRs\": [\n    {\n      \"clientCIDR\": \"0.0.0.0/0\",\n      \"serverAddress\": \"192.168.200.11:6443\"\n    }\n  ]\n}"
        );
        assert!(matches!(get(&mut c, "/version", "curl"), Err(RawError::Unsupported(_))));
        assert!(matches!(get(&mut c, "/api/v1", "curl"), Err(RawError::Unsupported(_))));
    }

    #[test]
    fn scheme_name_port() {
        assert_eq!(split_scheme_name_port("web"), Some(("web", "")));
        assert_eq!(split_scheme_name_port("web:8080"), Some(("web", "8080")));
        assert_eq!(split_scheme_name_port("http:web:http"), Some(("web", "http")));
        assert_eq!(split_scheme_name_port("https:web:443"), None);
    }
}
