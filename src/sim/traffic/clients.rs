//! What the network tools print: curl (7.68's messages, the curl of the
//! Ubuntu 20.04 era most tutorials ran, or CentOS 7's 7.29), busybox
//! `wget`, and busybox 1.28's
//! `nslookup` (tutorials pin `busybox:1.28` because later busybox
//! nslookup prints a different, multi-query format, which is not
//! modelled). Each runs against a [`Network`]: the tutorial machine (with
//! its port-forwards) or a pod.

use super::{ConnectError, Request, Response, dns};
use crate::sim::store::Store;

/// Where a tool's connections go.
pub trait Network {
    /// The IPv4 address this machine resolves `host` to, if any.
    fn lookup(&mut self, host: &str) -> Option<String>;
    /// Connects to `ip:port` and sends `request`.
    fn request(&mut self, ip: &str, port: u16, request: &Request)
    -> Result<Response, ConnectError>;
}

/// Which stream a piece of output went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fd {
    /// Standard output.
    Out,
    /// Standard error.
    Err,
}

/// What a tool printed and its exit status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    /// Output in write order.
    pub chunks: Vec<(Fd, String)>,
    /// Exit status.
    pub status: i32,
    /// The tool reached something kubeplay does not simulate, named: what
    /// it printed is kubeplay's note, not the real tool's output.
    pub unsupported: Option<String>,
}

impl Printed {
    fn out(&mut self, text: impl Into<String>) {
        self.chunks.push((Fd::Out, text.into()));
    }
    fn err(&mut self, text: impl Into<String>) {
        self.chunks.push((Fd::Err, text.into()));
    }
    fn fail(mut self, text: impl Into<String>, status: i32) -> Printed {
        self.err(text);
        self.status = status;
        self
    }
    /// Both streams, merged.
    pub fn merged(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// A parsed `http://host[:port][/path]` (the scheme may be left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `host[:port]` as written.
    pub authority: String,
    /// The host.
    pub host: String,
    /// The port (80 when not written).
    pub port: u16,
    /// The path, `/` at least.
    pub path: String,
}

/// Parses a URL; `Err` names what is not simulated (`https`).
pub fn parse_url(url: &str) -> Result<Url, String> {
    let rest = match url.split_once("://") {
        Some(("http", rest)) => rest,
        Some((scheme, _)) => return Err(format!("{scheme}:// URLs are not simulated")),
        None => url,
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| format!("bad port in `{url}`"))?)
        }
        _ => (authority, 80),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok(Url { authority: authority.to_owned(), host: host.to_owned(), port, path: path.to_owned() })
}

fn unsupported(tool: &str, what: &str) -> Printed {
    let mut p = Printed::default().fail(format!("kubeplay: {tool}: {what} is not simulated\n"), 2);
    p.unsupported = Some(format!("{tool}: {what}"));
    p
}

fn unmodelled(tool: &str, image: &str) -> Printed {
    let mut p = Printed::default().fail(
        format!("kubeplay: {tool}: the simulator has no built-in HTTP reply for image `{image}`\n"),
        2,
    );
    p.unsupported = Some(format!("{tool}: the HTTP reply of image {image}"));
    p
}

/// Which curl prints the errors: their wording changed in 7.50
/// (`lib/connect.c`: `Failed connect to HOST:PORT; ERRNO` became `Failed
/// to connect to HOST port PORT: ERRNO`), and 7.29 appends the resolver's
/// `gai_strerror` to a failed lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurlVersion {
    /// curl 7.29.0, CentOS 7's.
    V7_29,
    /// curl 7.68.0 (Ubuntu 20.04), and the curl of images.
    V7_68,
}

impl CurlVersion {
    /// The curl of a machine running `os_image` (a node's `osImage`).
    pub fn of_os(os_image: &str) -> CurlVersion {
        if os_image.starts_with("CentOS Linux 7") { CurlVersion::V7_29 } else { CurlVersion::V7_68 }
    }

    fn connect_failed(self, url: &Url, why: &str) -> String {
        match self {
            CurlVersion::V7_29 => format!("Failed connect to {}:{}; {why}", url.host, url.port),
            CurlVersion::V7_68 => {
                format!("Failed to connect to {} port {}: {why}", url.host, url.port)
            }
        }
    }

    fn unresolved(self, host: &str) -> String {
        match self {
            CurlVersion::V7_29 => {
                format!("Could not resolve host: {host}; Name or service not known")
            }
            CurlVersion::V7_68 => format!("Could not resolve host: {host}"),
        }
    }
}

/// `curl [-sSkLfI] [-m N] [--connect-timeout N] [-H H] [-X GET] URL`.
/// `-I` (`--head`) sends a HEAD request and prints the status line and
/// the headers, each ending in CRLF, then an empty line (curl's
/// `tool_header_cb` writes them as received).
pub fn curl(args: &[String], net: &mut dyn Network, version: CurlVersion) -> Printed {
    let (mut silent, mut show_error, mut fail, mut head) = (false, false, false, false);
    let mut timeout: Option<u64> = None;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let mut value = || {
            i += 1;
            args.get(i).cloned().unwrap_or_default()
        };
        match arg {
            "--silent" => silent = true,
            "--show-error" => show_error = true,
            "--insecure" | "--location" => {}
            "--fail" => fail = true,
            "--head" => head = true,
            "-m" | "--max-time" | "--connect-timeout" => {
                timeout = value().parse::<f64>().ok().map(|s| (s * 1000.0) as u64);
            }
            "-H" | "--header" => {
                value();
            }
            "-X" | "--request" => {
                let method = value();
                if method != "GET" {
                    return unsupported("curl", &format!("-X {method}"));
                }
            }
            _ if arg.starts_with("--") => return unsupported("curl", &format!("option {arg}")),
            _ if arg.starts_with('-') && arg.len() > 1 => {
                for c in arg[1..].chars() {
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'k' | 'L' => {}
                        'f' => fail = true,
                        'I' => head = true,
                        _ => return unsupported("curl", &format!("option -{c}")),
                    }
                }
            }
            _ if url.is_none() => url = Some(arg.to_owned()),
            _ => return unsupported("curl", "more than one URL"),
        }
        i += 1;
    }
    let Some(url) = url else {
        return Printed::default()
            .fail("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
    };
    let url = match parse_url(&url) {
        Ok(u) => u,
        Err(why) => return unsupported("curl", &why),
    };
    let quiet_errors = silent && !show_error;
    let error = |code: i32, text: String| {
        let mut p = Printed { status: code, ..Printed::default() };
        if !quiet_errors {
            p.err(format!("curl: ({code}) {text}\n"));
        }
        p
    };
    let Some(ip) = net.lookup(&url.host) else {
        return error(6, version.unresolved(&url.host));
    };
    let method = if head { "HEAD" } else { "GET" };
    let request = Request { method: method.to_owned(), path: url.path.clone() };
    match net.request(&ip, url.port, &request) {
        Ok(response) if fail && response.status >= 400 => error(
            22,
            format!("The requested URL returned error: {} {}", response.status, response.reason),
        ),
        Ok(response) if head && !response.all_headers => {
            unsupported("curl", &format!("the response headers of {}", url.authority))
        }
        Ok(response) if head => {
            let mut p = Printed::default();
            let mut text = format!("HTTP/1.1 {} {}\r\n", response.status, response.reason);
            for (name, value) in &response.headers {
                text.push_str(&format!("{name}: {value}\r\n"));
            }
            text.push_str("\r\n");
            p.out(text);
            p
        }
        Ok(response) => {
            let mut p = Printed::default();
            p.out(response.body);
            p
        }
        Err(ConnectError::Refused) => error(7, version.connect_failed(&url, "Connection refused")),
        Err(ConnectError::TimedOut) => match timeout {
            Some(ms) => error(28, format!("Connection timed out after {} milliseconds", ms + 1)),
            None => error(7, version.connect_failed(&url, "Connection timed out")),
        },
        Err(ConnectError::EmptyReply) => error(52, "Empty reply from server".to_owned()),
        Err(ConnectError::Unmodelled(image)) => unmodelled("curl", &image),
        Err(ConnectError::Unsupported(what)) => unsupported("curl", &what),
    }
}

/// busybox `wget [-q] -O -|FILE [-T SEC] URL`; only `-O -` (to stdout)
/// is simulated, the container has no file system to save into. The
/// progress lines without `-q` are those of busybox 1.30 and later
/// (`writing to stdout`, the bar, `written to stdout`); `image` says which
/// busybox runs, and the older lines are not modelled.
pub fn wget(args: &[String], net: &mut dyn Network, image: &str) -> Printed {
    let (mut quiet, mut output, mut timeout) = (false, None::<String>, false);
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if let Some(v) = arg.strip_prefix("--output-document=") {
            output = Some(v.to_owned());
        } else if arg.starts_with("--timeout=") {
            timeout = true;
        } else if arg == "--quiet" {
            quiet = true;
        } else if arg.starts_with('-') && arg.len() > 1 && !arg.starts_with("--") {
            let flags: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < flags.len() {
                match flags[j] {
                    'q' => quiet = true,
                    'O' | 'T' => {
                        let attached: String = flags[j + 1..].iter().collect();
                        let v = if attached.is_empty() {
                            i += 1;
                            args.get(i).cloned().unwrap_or_default()
                        } else {
                            attached
                        };
                        if flags[j] == 'O' {
                            output = Some(v);
                        } else {
                            timeout = true;
                        }
                        j = flags.len();
                        continue;
                    }
                    c => return unsupported("wget", &format!("option -{c}")),
                }
                j += 1;
            }
        } else if arg.starts_with("--") {
            return unsupported("wget", &format!("option {arg}"));
        } else {
            url = Some(arg.to_owned());
        }
        i += 1;
    }
    let Some(url) = url else {
        return Printed::default().fail("BusyBox wget: missing URL\n", 1);
    };
    if output.as_deref() != Some("-") {
        return unsupported("wget", "saving to a file in the container (use -O-)");
    }
    let url = match parse_url(&url) {
        Ok(u) => u,
        Err(why) => return unsupported("wget", &why),
    };
    if !quiet && busybox_older_than(image, 30) {
        return unsupported(
            "wget",
            &format!("the progress output of `{image}`'s wget (busybox before 1.30; use -q)"),
        );
    }
    let mut p = Printed::default();
    let Some(ip) = net.lookup(&url.host) else {
        return p.fail(format!("wget: bad address '{}'\n", url.authority), 1);
    };
    if !quiet {
        p.err(format!("Connecting to {} ({ip}:{})\n", url.authority, url.port));
    }
    let request = Request { method: "GET".to_owned(), path: url.path.clone() };
    match net.request(&ip, url.port, &request) {
        Ok(r) if r.status >= 400 => {
            p.fail(format!("wget: server returned error: HTTP/1.1 {} {}\n", r.status, r.reason), 1)
        }
        Ok(r) => {
            if quiet {
                p.out(r.body);
            } else {
                // busybox `progress.c`: the file name padded to 20, the
                // percentage, a 32-star bar when not on a terminal, the size.
                let size = r.body.len();
                p.err("writing to stdout\n");
                p.out(r.body);
                p.err(format!(
                    "-                    100% |{}|{size:>6}  0:00:00 ETA\n",
                    "*".repeat(32)
                ));
                p.err("written to stdout\n");
            }
            p
        }
        Err(ConnectError::Refused) => {
            p.fail(format!("wget: can't connect to remote host ({ip}): Connection refused\n"), 1)
        }
        Err(ConnectError::TimedOut) if timeout => p.fail("wget: download timed out\n", 1),
        Err(ConnectError::TimedOut) => {
            p.fail(format!("wget: can't connect to remote host ({ip}): Connection timed out\n"), 1)
        }
        Err(ConnectError::EmptyReply) => p.fail("wget: error getting response\n", 1),
        Err(ConnectError::Unmodelled(image)) => unmodelled("wget", &image),
        Err(ConnectError::Unsupported(what)) => unsupported("wget", &what),
    }
}

/// Whether an image's busybox is 1.28 or older (its nslookup format).
pub fn busybox_1_28(image: &str) -> bool {
    busybox_older_than(image, 29)
}

/// Whether `image` is a `busybox:1.N` tag with N below `minor`.
fn busybox_older_than(image: &str, minor: u32) -> bool {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    let Some(("busybox", tag)) = last.split_once(':') else { return false };
    let parts: Vec<u32> = tag.split(['.', '-']).map_while(|p| p.parse().ok()).collect();
    matches!(parts.as_slice(), [1, m, ..] if *m < minor)
}

/// Whether `image` is a busybox whose nslookup is the rewrite of 1.29
/// (`networking/nslookup.c` with FEATURE_NSLOOKUP_BIG): a `busybox:1.N`
/// tag with N of 29 or more, or an untagged or `latest`/`stable` busybox.
pub fn busybox_1_29_or_later(image: &str) -> bool {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => last == "busybox",
        Some(("busybox", "latest" | "stable" | "glibc" | "musl" | "uclibc")) => true,
        Some(("busybox", _)) => !busybox_older_than(image, 29) && busybox_older_than(image, 99),
        _ => false,
    }
}

/// `nslookup NAME` in a pod of `namespace`: busybox 1.28's format, or the
/// one of 1.29 and later ([`nslookup_1_29`]).
pub fn nslookup(args: &[String], store: &Store, namespace: &str, image: &str) -> Printed {
    // An egress policy may isolate the client from DNS.
    if super::enforces_network_policy(store) {
        return unsupported("nslookup", super::NETWORK_POLICY);
    }
    if busybox_1_29_or_later(image) {
        return nslookup_1_29(args, store);
    }
    if !busybox_1_28(image) {
        return unsupported(
            "nslookup",
            &format!("the nslookup of `{image}` (only busybox's output is modelled)"),
        );
    }
    let [name] = args else {
        return unsupported("nslookup", "nslookup without exactly one NAME");
    };
    let mut p = Printed::default();
    let server = dns::server(store);
    match &server {
        Some(s) => p.out(format!("Server:    {}\nAddress 1: {} {}\n\n", s.ip, s.ip, s.ptr)),
        None => p.out("Server:    (null)\nAddress 1: (null)\n\n"),
    }
    let answer = if server.is_some() && dns::serving(store) {
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            Some(vec![dns::Address { ip: name.clone(), ptr: dns::reverse(store, name) }])
        } else {
            dns::resolve(store, name, namespace)
        }
    } else {
        None
    };
    match answer {
        Some(addresses) => {
            p.out(format!("Name:      {name}\n"));
            for (i, a) in addresses.iter().enumerate() {
                let ptr = if a.ptr.is_empty() { String::new() } else { format!(" {}", a.ptr) };
                p.out(format!("Address {}: {}{ptr}\n", i + 1, a.ip));
            }
            p
        }
        None => p.fail(format!("nslookup: can't resolve '{name}'\n"), 1),
    }
}

/// busybox 1.29+ `nslookup NAME` (`networking/nslookup.c`, unchanged in
/// what it prints through 1.36): an A and an AAAA query for NAME as typed
/// — a name with a dot is never tried against the search list
/// (`add_query_with_search`) — sent to resolv.conf's nameserver; on the
/// first reply the server block (`Server:\t\t10.96.0.10`,
/// `Address:\t10.96.0.10:53`, from `xmalloc_sockaddr2dotted`), then each
/// reply: its A records as `Name:\tNAME\nAddress: IP`, or
/// `** server can't find NAME: NXDOMAIN` (exit status 1), each followed by
/// an empty line. CoreDNS answers its cluster zone authoritatively, so no
/// `Non-authoritative answer:` line, and a name with A records only has an
/// empty AAAA answer, which prints nothing but its empty line. The A
/// reply is taken to arrive first. An IP address is a PTR query.
fn nslookup_1_29(args: &[String], store: &Store) -> Printed {
    let [name] = args else {
        return unsupported("nslookup", "nslookup without exactly one NAME");
    };
    let Some(server) = dns::server(store).filter(|_| dns::serving(store)) else {
        return unsupported("nslookup", "busybox nslookup with no DNS server answering");
    };
    let mut p = Printed::default();
    p.out(format!("Server:\t\t{}\nAddress:\t{}:53\n\n", server.ip, server.ip));
    if let Ok(ip) = name.parse::<std::net::Ipv4Addr>() {
        let o = ip.octets();
        let query = format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
        let ptr = dns::reverse(store, name);
        if ptr.is_empty() {
            p.out(format!("** server can't find {query}: NXDOMAIN\n\n"));
            p.status = 1;
        } else {
            p.out(format!("{query}\tname = {ptr}\n\n"));
        }
        return p;
    }
    let fqdn = name.strip_suffix('.').unwrap_or(name);
    if !name.contains('.') {
        return unsupported(
            "nslookup",
            "busybox nslookup of a name without a dot (the search list includes the node's domains)",
        );
    }
    if !fqdn.ends_with(&format!(".{}", dns::DOMAIN)) {
        return unsupported("nslookup", &format!("a lookup of `{name}` outside the cluster"));
    }
    let addresses = dns::records(store, fqdn);
    if addresses.is_empty() {
        for _ in ["A", "AAAA"] {
            p.out(format!("** server can't find {name}: NXDOMAIN\n\n"));
        }
        p.status = 1;
        return p;
    }
    for a in &addresses {
        p.out(format!("Name:\t{fqdn}\nAddress: {}\n", a.ip));
    }
    p.out("\n\n");
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busybox_nslookup_generations() {
        assert!(busybox_1_29_or_later("busybox:1.36"));
        assert!(busybox_1_29_or_later("busybox:1.29.3"));
        assert!(busybox_1_29_or_later("busybox"));
        assert!(busybox_1_29_or_later("docker.io/library/busybox:latest"));
        assert!(!busybox_1_29_or_later("busybox:1.28"));
        assert!(!busybox_1_29_or_later("alpine:3.19"));
    }

    #[test]
    fn urls() {
        let u = parse_url("http://web.dev:8080/x?y").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("web.dev", 8080, "/x?y"));
        assert_eq!(parse_url("localhost:7080").unwrap().authority, "localhost:7080");
        assert_eq!(parse_url("web").unwrap().path, "/");
        assert!(parse_url("https://x").is_err());
    }

    #[test]
    fn busybox_versions() {
        assert!(busybox_1_28("busybox:1.28"));
        assert!(busybox_1_28("docker.io/library/busybox:1.28.4"));
        assert!(!busybox_1_28("busybox"));
        assert!(!busybox_1_28("busybox:1.36"));
    }
}
