//! `kubeadm token create` and `kubeadm join` (v1.22 texts:
//! `cmd/kubeadm/app/cmd/{token,join}.go`, `phases/join/preflight.go`,
//! `discovery/token/token.go`, `util/pubkeypin`, `util/error.go`).
//!
//! Bootstrap tokens are Secrets `kube-system/bootstrap-token-<id>` as
//! kubeadm stores them, so `kubectl get secrets -n kube-system` sees them.

use std::time::Duration;

use serde_json::json;

use super::{ca, encoding};
use crate::{
    output::{CommandOutput, Stream},
    sim::{Cluster, Kind, NodeConfig, Object, ObjectRef},
};

/// `kubeadm`'s discovery timeout (`--discovery-timeout`, default 5m): how
/// long join keeps asking for a token's JWS signature before giving up.
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(300);

/// `util/error.go` `checkErr`: every fatal error ends with this hint.
const STACK_HINT: &str = "To see the stack trace of this error execute with --v=5 or higher\n";

/// `[a-z0-9]{6}.[a-z0-9]{16}` (`bootstraputil.BootstrapTokenRegexp`).
fn parse_token(token: &str) -> Option<(&str, &str)> {
    let (id, secret) = token.split_once('.')?;
    let ok = |s: &str, n: usize| {
        s.len() == n && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    (ok(id, 6) && ok(secret, 16)).then_some((id, secret))
}

/// A fresh token: kubeadm draws 22 characters of `[a-z0-9]` from
/// crypto/rand; kubeplay derives them from the cluster seed and the number
/// of tokens made so far, so runs repeat.
fn new_token(cluster: &Cluster) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let n = token_secrets(cluster).len();
    let bytes =
        encoding::digest(format!("{}/bootstrap-token/{n}", cluster.config().seed).as_bytes());
    let chars: String =
        bytes.iter().take(22).map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("{}.{}", &chars[..6], &chars[6..])
}

fn token_secrets(cluster: &Cluster) -> Vec<&Object> {
    cluster
        .list(Kind::Secret, Some("kube-system"))
        .into_iter()
        .filter(|o| o.name().starts_with("bootstrap-token-"))
        .collect()
}

/// The secret half of a live token with this id, if any.
fn live_token_secret(cluster: &Cluster, id: &str) -> Option<String> {
    let r = ObjectRef::namespaced(Kind::Secret, "kube-system", &format!("bootstrap-token-{id}"));
    let Ok(Object::Secret(s)) = cluster.get(&r) else { return None };
    let data = s.data.as_ref()?;
    let field = |k: &str| data.get(k).map(|b| String::from_utf8_lossy(&b.0).into_owned());
    if let Some(exp) = field("expiration")
        && exp.parse::<k8s_openapi::jiff::Timestamp>().is_ok_and(|t| t <= cluster.now())
    {
        return None;
    }
    field("token-secret")
}

/// The control-plane endpoint `kubeadm join` is told to use.
fn api_endpoint(cluster: &Cluster) -> String {
    let cp = cluster.config().nodes.iter().find(|n| n.roles.iter().any(|r| r == "control-plane"));
    format!("{}:6443", cp.map(|n| n.ip.as_str()).unwrap_or("127.0.0.1"))
}

/// Parses a Go duration as kubeadm's `--ttl` takes it (`0`, `24h`, `1h30m`).
fn parse_ttl(s: &str) -> Option<Duration> {
    crate::kubectl::args::parse_duration(s)
        .ok()
        .and_then(|nanos| u64::try_from(nanos).ok())
        .map(Duration::from_nanos)
}

fn flag<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if let Some(v) = a.strip_prefix(&format!("--{name}=")) {
            out.push(v);
        } else if a == format!("--{name}")
            && let Some(v) = args.get(i + 1)
        {
            out.push(v.as_str());
            i += 1;
        }
        i += 1;
    }
    out
}

fn positional(args: &[String], valued: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(name) = a.strip_prefix("--") {
            if !name.contains('=') && valued.contains(&name) {
                i += 1;
            }
        } else {
            out.push(a.clone());
        }
        i += 1;
    }
    out
}

fn fatal(out: &mut CommandOutput, message: &str) {
    out.write(Stream::Stderr, format!("{message}\n{STACK_HINT}"));
    out.status = 1;
}

/// `kubeadm token create [TOKEN] [--ttl D] [--print-join-command]`.
pub fn token_create(cluster: &mut Cluster, args: &[String]) -> CommandOutput {
    let ttl = match flag(args, "ttl").last() {
        Some(v) => match parse_ttl(v) {
            Some(d) => d,
            None => {
                let mut out = CommandOutput::default();
                fatal(
                    &mut out,
                    &format!(
                        "invalid argument \"{v}\" for \"--ttl\" flag: time: invalid duration \"{v}\""
                    ),
                );
                return out;
            }
        },
        None => Duration::from_secs(24 * 3600),
    };
    let given = positional(args, &["ttl", "description", "groups", "usages", "config"]);
    let token = match given.first() {
        Some(t) if parse_token(t).is_some() => t.clone(),
        Some(t) => {
            let mut out = CommandOutput::default();
            fatal(
                &mut out,
                &format!(
                    "the bootstrap token \"{t}\" was not of the form \"^([a-z0-9]{{6}})\\\\.([a-z0-9]{{16}})$\""
                ),
            );
            return out;
        }
        None => new_token(cluster),
    };
    let (id, secret) = parse_token(&token).unwrap_or_default();
    let b64 = |s: &str| encoding::base64(s.as_bytes());
    let mut data = json!({
        "auth-extra-groups": b64("system:bootstrappers:kubeadm:default-node-token"),
        "token-id": b64(id),
        "token-secret": b64(secret),
        "usage-bootstrap-authentication": b64("true"),
        "usage-bootstrap-signing": b64("true"),
    });
    if !ttl.is_zero() {
        let exp = crate::sim::time::add(cluster.now(), ttl);
        data["expiration"] = json!(b64(&crate::sim::time::time(exp).0.to_string()));
    }
    let manifest = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": format!("bootstrap-token-{id}"), "namespace": "kube-system"},
        "type": "bootstrap.kubernetes.io/token",
        "data": data,
    });
    let created = Object::from_value(manifest)
        .map_err(|e| e.to_string())
        .and_then(|o| cluster.create(o).map_err(|e| e.to_string()));
    if let Err(e) = created {
        let mut out = CommandOutput::default();
        fatal(
            &mut out,
            &format!(
                "failed to create or update bootstrap token with name bootstrap-token-{id}: {e}"
            ),
        );
        return out;
    }
    if args.iter().any(|a| a == "--print-join-command") {
        // `cmd/token.go`: kubeadm's join command, with a trailing space.
        return CommandOutput::stdout(format!(
            "kubeadm join {} --token {token} --discovery-token-ca-cert-hash {} \n",
            api_endpoint(cluster),
            ca::ca_cert_hash(cluster.config().seed)
        ));
    }
    CommandOutput::stdout(format!("{token}\n"))
}

/// What `kubeadm join` needs to know about the machine it runs on.
pub struct JoinHost<'a> {
    /// The host name (the new node's name).
    pub name: &'a str,
    /// Its address.
    pub ip: &'a str,
    /// Whether `systemctl enable kubelet` was done.
    pub kubelet_enabled: bool,
}

/// `kubeadm join ENDPOINT --token T --discovery-token-ca-cert-hash sha256:H`
/// on a host that is not yet a node. Returns the output and whether the
/// node joined.
pub fn join(cluster: &mut Cluster, host: &JoinHost<'_>, args: &[String]) -> (CommandOutput, bool) {
    let mut out = CommandOutput::default();
    let token = flag(args, "token").last().copied().unwrap_or_default().to_owned();
    let pins: Vec<String> =
        flag(args, "discovery-token-ca-cert-hash").iter().map(|s| s.to_lowercase()).collect();
    let unsafe_skip = args.iter().any(|a| a == "--discovery-token-unsafe-skip-ca-verification");
    if pins.is_empty() && !unsafe_skip {
        // `ValidateDiscoveryBootstrapToken`, before any phase runs.
        fatal(
            &mut out,
            "discovery.bootstrapToken: Invalid value: \"\": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue",
        );
        return (out, false);
    }
    let Some((id, secret)) = parse_token(&token) else {
        out.write(
            Stream::Stderr,
            format!(
                "kubeplay: `kubeadm join` with the token {token:?} (not of the form \
                 [a-z0-9]{{6}}.[a-z0-9]{{16}}) is not emulated\n"
            ),
        );
        out.status = 2;
        return (out, false);
    };
    out.write(Stream::Stdout, "[preflight] Running pre-flight checks\n");
    if !host.kubelet_enabled {
        out.write(
            Stream::Stderr,
            "\t[WARNING Service-Kubelet]: kubelet service is not enabled, please run 'systemctl enable kubelet.service'\n",
        );
    }
    let Some(expected) = live_token_secret(cluster, id) else {
        // v1.22 `getClusterInfo` polls for the token's JWS signature until
        // the discovery timeout, then reports the last error.
        cluster.advance(DISCOVERY_TIMEOUT);
        fatal(
            &mut out,
            &format!(
                "error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"{id}\""
            ),
        );
        return (out, false);
    };
    if expected != secret {
        fatal(
            &mut out,
            "error execution phase preflight: couldn't validate the identity of the API Server: failed to verify JWS signature of received cluster info object, can't trust this API Server",
        );
        return (out, false);
    }
    let actual = ca::ca_cert_hash(cluster.config().seed);
    if !unsafe_skip && !pins.contains(&actual) {
        let malformed = pins.iter().find(|p| {
            p.strip_prefix("sha256:")
                .is_none_or(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        let message = match malformed {
            Some(p) if !p.contains(':') => format!(
                "invalid discovery token CA certificate hash: invalid hash \"{p}\", expected a format \"<hash_type>:<hash>\""
            ),
            Some(p) => format!(
                "invalid discovery token CA certificate hash: invalid hash \"{p}\", expected a 32-byte SHA-256 hash"
            ),
            None => format!(
                "cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"{actual}\" are pinned"
            ),
        };
        fatal(
            &mut out,
            &format!(
                "error execution phase preflight: couldn't validate the identity of the API Server: {message}"
            ),
        );
        return (out, false);
    }
    let node = NodeConfig {
        name: host.name.to_owned(),
        roles: Vec::new(),
        ip: host.ip.to_owned(),
        taints: Vec::new(),
        age: Duration::ZERO,
        ..NodeConfig::default()
    };
    if let Err(e) = cluster.add_node(node) {
        fatal(&mut out, &format!("error execution phase kubelet-start: {e}"));
        return (out, false);
    }
    register_not_ready(cluster, host.name);
    out.write(
        Stream::Stdout,
        "[preflight] Reading configuration from the cluster...\n\
         [preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n\
         [kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n\
         [kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"\n\
         [kubelet-start] Starting the kubelet\n\
         [kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap...\n\
         \n\
         This node has joined the cluster:\n\
         * Certificate signing request was sent to apiserver and a response was received.\n\
         * The Kubelet was informed of the new secure connection details.\n\
         \n\
         Run 'kubectl get nodes' on the control-plane to see this node join the cluster.\n\
         \n",
    );
    (out, true)
}

/// A kubelet that has just registered reports NotReady until the network
/// plugin's pod runs (`KubeletNotReady`, `cni config uninitialized`), and
/// the node lifecycle controller taints it `not-ready:NoSchedule`.
fn register_not_ready(cluster: &mut Cluster, name: &str) {
    let Ok(Object::Node(mut node)) = cluster.get(&ObjectRef::cluster(Kind::Node, name)).cloned()
    else {
        return;
    };
    for c in node.status.iter_mut().flat_map(|s| s.conditions.iter_mut().flatten()) {
        if c.type_ == "Ready" {
            c.status = "False".to_owned();
            c.reason = Some("KubeletNotReady".to_owned());
            c.message = Some("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized".to_owned());
        }
    }
    node.spec.get_or_insert_with(Default::default).taints =
        Some(vec![k8s_openapi::api::core::v1::Taint {
            key: "node.kubernetes.io/not-ready".to_owned(),
            effect: "NoSchedule".to_owned(),
            ..Default::default()
        }]);
    node.metadata.resource_version = None;
    let _ = cluster.update(Object::Node(node));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shapes() {
        assert!(parse_token("fphus0.pmi8894iwf30i202").is_some());
        assert!(parse_token("FPHUS0.pmi8894iwf30i202").is_none());
        assert!(parse_token("abc.def").is_none());
        assert_eq!(parse_ttl("0"), Some(Duration::ZERO));
        assert_eq!(parse_ttl("24h"), Some(Duration::from_secs(86400)));
    }
}
