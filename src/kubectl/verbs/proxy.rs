//! `kubectl proxy [--port=PORT] [--address=IP] [--api-prefix=P]
//! [--accept-hosts=RE]` (`kubectl/pkg/cmd/proxy/proxy.go`,
//! `kubectl/pkg/proxy/proxy_server.go`): listens on a local port, prints
//! `Starting to serve on ADDRESS:PORT`, and relays each request under the
//! API prefix to the API server with the client's own headers (so curl's
//! User-Agent gets indented JSON). It then runs until interrupted; the
//! backend keeps it while it runs as a background job and routes the
//! tutorial machine's curl to [`Proxy::handle`].
//!
//! The request filter is modelled with its defaults for paths and methods
//! (`/api/.../pods/.../exec` and `attach` are refused with `Forbidden`);
//! `--www`, `--unix-socket`, `--disable-filter`, `--accept-paths`,
//! `--reject-paths`, `--reject-methods`, `--keepalive` and
//! `--append-server-path` are not read, so the flag audit reports them
//! unsupported.

use regex::Regex;

use super::Ctx;
use crate::{
    kubectl::{args, error::KubectlError},
    sim::{
        Cluster,
        api::raw::{self, RawError},
        rng,
        traffic::{ConnectError, Response},
    },
};

/// `defaultPort`.
const DEFAULT_PORT: i64 = 8001;
/// `proxy.DefaultHostAcceptRE`.
const DEFAULT_ACCEPT_HOSTS: &str = r"^localhost$,^127\.0\.0\.1$,^\[::1\]$";
/// `proxy.DefaultPathRejectRE`.
const REJECT_PATHS: &str = r"^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";

/// A running `kubectl proxy`.
#[derive(Debug, Clone)]
pub struct Proxy {
    /// The address listened on (`127.0.0.1`; `0.0.0.0` is every address).
    pub address: String,
    /// The port listened on.
    pub port: u16,
    /// `--api-prefix`, with a final `/`.
    api_prefix: String,
    /// `--accept-hosts`.
    accept_hosts: Vec<Regex>,
}

/// Runs `kubectl proxy` up to where it serves.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), KubectlError> {
    let proxy = plan(ctx.cluster, ctx.inv)?;
    // `RunProxy`: the listener's address, `net.Listener.Addr().String()`;
    // Go listens on the IPv4 wildcard dual-stack, as `[::]` (real
    // kubectl 1.33: `--address=0.0.0.0` prints `[::]:PORT`).
    let shown = if proxy.address == "0.0.0.0" { "[::]" } else { proxy.address.as_str() };
    ctx.stdout(format!("Starting to serve on {shown}:{}\n", proxy.port));
    Ok(())
}

/// The proxy a `kubectl proxy` argv starts, if it is one that starts.
pub fn proxy(cluster: &Cluster, argv: &[String]) -> Option<Proxy> {
    let inv = args::parse(argv).ok()?;
    if inv.path.as_slice() != ["proxy"] {
        return None;
    }
    plan(cluster, &inv).ok()
}

/// `MakeRegexpArray`: comma-separated Go regular expressions.
fn regexps(text: &str) -> Result<Vec<Regex>, KubectlError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|re| {
            Regex::new(re).map_err(|_| {
                KubectlError::unsupported(format!(
                    "the Go regular expression {re:?} of kubectl proxy"
                ))
            })
        })
        .collect()
}

fn plan(cluster: &Cluster, inv: &args::Invocation) -> Result<Proxy, KubectlError> {
    // `Run` never looks at arguments: `kubectl proxy foo` serves (real
    // kubectl 1.33).
    let port = inv.int("port").unwrap_or(DEFAULT_PORT);
    let address = inv.value("address").unwrap_or("127.0.0.1").to_owned();
    if address.contains(':') || address.parse::<std::net::Ipv4Addr>().is_err() {
        return Err(KubectlError::unsupported(format!("kubectl proxy --address={address}")));
    }
    let port = match u16::try_from(port) {
        // The kernel's pick from the ephemeral range
        // (`/proc/sys/net/ipv4/ip_local_port_range`, 32768–60999), drawn
        // from the scenario's seed so that a run is reproducible.
        Ok(0) => {
            32768 + (rng::mix(cluster.config().seed, &["kubectl proxy --port=0"]) % 28232) as u16
        }
        Ok(p) => p,
        Err(_) => {
            return Err(KubectlError::msg(format!("listen tcp: address {port}: invalid port")));
        }
    };
    let mut api_prefix = inv.value("api-prefix").unwrap_or("/").to_owned();
    if !api_prefix.ends_with('/') {
        api_prefix.push('/');
    }
    let accept_hosts = regexps(inv.value("accept-hosts").unwrap_or(DEFAULT_ACCEPT_HOSTS))?;
    Ok(Proxy { address, port, api_prefix, accept_hosts })
}

impl Proxy {
    /// Whether the proxy listens on `ip` (the tutorial machine's loopback
    /// or one of its addresses).
    pub fn listens_on(&self, ip: &str) -> bool {
        self.address == "0.0.0.0" || self.address == ip
    }

    /// A request reaching the proxy for `host` (the URL's host, the
    /// request's `Host`), `path` with its query, from a client sending
    /// `user_agent`: the filter (`FilterServer.ServeHTTP`), the prefix
    /// (`http.ServeMux`, `stripLeaveSlash`), then the API server's answer
    /// relayed as is.
    pub fn handle(
        &self,
        cluster: &mut Cluster,
        host: &str,
        path: &str,
        user_agent: &str,
    ) -> Result<Response, ConnectError> {
        let plain = |status: u16, reason: &str, body: &str| Response {
            status,
            reason: reason.to_owned(),
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            all_headers: false,
            body: body.to_owned(),
        };
        let (bare, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        // The mux routes by the prefix; nothing else is served.
        if !bare.starts_with(&self.api_prefix) && bare != self.api_prefix.trim_end_matches('/') {
            return Ok(plain(404, "Not Found", "404 page not found\n"));
        }
        let stripped = if self.api_prefix.starts_with("/api") {
            bare.to_owned()
        } else {
            let rest = bare.strip_prefix(self.api_prefix.trim_end_matches('/')).unwrap_or(bare);
            if rest.starts_with('/') { rest.to_owned() } else { format!("/{rest}") }
        };
        let rejected = regexps(REJECT_PATHS).unwrap_or_default();
        let accepted_host = self.accept_hosts.iter().any(|re| re.is_match(host));
        if rejected.iter().any(|re| re.is_match(&stripped)) || !accepted_host {
            return Ok(plain(403, "Forbidden", "Forbidden\n"));
        }
        let full = match query {
            Some(q) => format!("{stripped}?{q}"),
            None => stripped,
        };
        let answer = match raw::get(cluster, &full, user_agent) {
            Err(RawError::Api(e)) => {
                raw::status_response(&e, raw::pretty(query.unwrap_or(""), user_agent))
            }
            other => other,
        };
        match answer {
            Ok(r) => Ok(Response {
                status: r.code,
                reason: reason(r.code).to_owned(),
                headers: Vec::new(),
                all_headers: false,
                body: r.body,
            }),
            Err(RawError::Unsupported(what)) => Err(ConnectError::Unsupported(what)),
            Err(RawError::Api(e)) => {
                Err(ConnectError::Unsupported(format!("the Status body of `{e}`")))
            }
        }
    }
}

/// Go's `http.StatusText` for the codes the simulator answers with.
fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}
