//! What server images answer over HTTP, and on which ports they listen.
//!
//! Ports come from the image table ([`crate::sim::images::ports`]: nginx
//! and httpd on 80, hashicorp/http-echo on 5678, with the scenario's
//! `images:` override), except where a server's own flag or environment
//! moves it (http-echo's `-listen=:PORT`, hello-app's `$PORT`, default
//! 8080). An image neither knows listens on the ports its container
//! declares, but kubeplay does not invent its reply.

use k8s_openapi::{
    api::core::v1::{Container, Pod},
    jiff::Timestamp,
};

use super::{ConnectError, Request, Response};
use crate::sim::{
    ClusterConfig, images,
    images::{files::HTTPD_ROOT, nginx::Loaded},
    process::fs::{Fs, Node},
};

/// The liveness server's `http.ListenAndServe(":8080", nil)`.
const LIVENESS_PORT: u16 = 8080;

/// serve-hostname's default `--port`.
const SERVE_HOSTNAME_PORT: u16 = 9376;

/// agnhost `serve-hostname` with its flags: HTTP (the default) on
/// `--port`; its raw TCP and UDP modes are not modelled.
fn serve_hostname(container: &Container) -> Option<Server> {
    let argv = crate::sim::podutil::argv(container);
    let mut port = SERVE_HOSTNAME_PORT;
    let mut words = argv.iter();
    while let Some(word) = words.next() {
        let flag = word.trim_start_matches('-');
        if flag == "tcp" || flag == "udp" || flag.starts_with("tcp=") || flag.starts_with("udp=") {
            return None;
        }
        if let Some(value) = flag.strip_prefix("port=") {
            port = value.parse().ok()?;
        } else if flag == "port" {
            port = words.next()?.parse().ok()?;
        }
    }
    Some(Server::ServeHostname { port })
}

/// The image's repository name without registry and tag (`nginx`,
/// `http-echo`), and its tag (`latest` when none).
fn image_parts(image: &str) -> (&str, &str) {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((repo, tag)) => (repo, tag),
        None => (last, "latest"),
    }
}

/// What an image serves.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Server {
    /// nginx's default site; the tag picks the welcome page's version.
    Nginx(String),
    /// Apache httpd's default site.
    Httpd,
    /// Google's hello-app (`gcr.io/google-samples/hello-app`): a greeting,
    /// its version and the pod's hostname, on `$PORT` (8080).
    HelloApp {
        /// `Version:` line (`1.0.0` for tag `1.0`).
        version: String,
        /// The port it listens on.
        port: u16,
    },
    /// strongjz/golang_example (github.com/strongjz/go_example_app, the
    /// image of A Cloud Guru's networking course): a gin app on 8080 whose
    /// `/host` reports `$MY_NODE_NAME` and `$MY_POD_IP`; its admin router
    /// listens on 8090.
    GolangExample,
    /// Kubernetes' liveness test server: `registry.k8s.io/liveness`'s
    /// `/server`, and agnhost's `liveness` subcommand (`test/images/agnhost/
    /// liveness/server.go`): on 8080, `/healthz` is healthy for its first
    /// ten seconds, then answers 500.
    Liveness,
    /// agnhost's `serve-hostname` (`test/images/agnhost/serve-hostname`)
    /// and the older `registry.k8s.io/serve_hostname`: every path answers
    /// the pod's hostname, with no newline, on `--port` (9376).
    ServeHostname {
        /// The port it listens on.
        port: u16,
    },
    /// The Kubernetes Basics tutorial's app (`gcr.io/google-samples/
    /// kubernetes-bootcamp`, `jocatalin/kubernetes-bootcamp`): node's
    /// `server.js` on 8080, every path answered with the pod's hostname
    /// and the image's version.
    Bootcamp {
        /// `v=` in the answer (`1` for tag `v1`).
        version: String,
    },
    /// agnhost `grpc-health-checking`: gRPC on `--port` (5000), and its
    /// `/make-serving`, `/make-not-serving` switches over HTTP on
    /// `--http-port` (8080), which kubeplay does not model.
    GrpcHealthChecking {
        /// The gRPC port.
        port: u16,
        /// The HTTP port.
        http_port: u16,
    },
    /// hashicorp/http-echo: replies with its `-text`.
    HttpEcho {
        /// The reply text.
        text: String,
        /// `-listen=:PORT` (5678 by default).
        port: u16,
    },
}

/// Whether `container` runs nginx as the image starts it (its entrypoint,
/// no command of the pod's own).
pub fn runs_nginx(container: &Container) -> bool {
    matches!(server(container), Some(Server::Nginx(_)))
        && container.command.as_ref().is_none_or(Vec::is_empty)
        && container.args.as_ref().is_none_or(Vec::is_empty)
}

fn server(container: &Container) -> Option<Server> {
    let (repo, tag) = image_parts(container.image.as_deref().unwrap_or_default());
    match repo {
        _ if let Some(test) = images::test_server(container) => match test {
            images::TestServer::Liveness => Some(Server::Liveness),
            images::TestServer::ServeHostname => serve_hostname(container),
            images::TestServer::GrpcHealthChecking => {
                let flags = super::grpc_health::AgnhostFlags::of(container)?;
                Some(Server::GrpcHealthChecking { port: flags.port, http_port: flags.http_port })
            }
        },
        "nginx" => Some(Server::Nginx(tag.to_owned())),
        "httpd" => Some(Server::Httpd),
        "golang_example" => Some(Server::GolangExample),
        "kubernetes-bootcamp" => {
            Some(Server::Bootcamp { version: tag.trim_start_matches('v').to_owned() })
        }
        "hello-app" => {
            let port = container
                .env
                .iter()
                .flatten()
                .find(|e| e.name == "PORT")
                .and_then(|e| e.value.as_deref()?.parse().ok())
                .unwrap_or(8080);
            let version = match tag.matches('.').count() {
                0 => format!("{tag}.0.0"),
                1 => format!("{tag}.0"),
                _ => tag.to_owned(),
            };
            Some(Server::HelloApp { version, port })
        }
        "http-echo" => {
            let args = container.command.iter().flatten().chain(container.args.iter().flatten());
            let mut text = String::new();
            let mut port = 5678;
            for arg in args {
                let arg = arg.trim_start_matches('-');
                if let Some(t) = arg.strip_prefix("text=") {
                    text = t.to_owned();
                } else if let Some(l) = arg.strip_prefix("listen=") {
                    port = l.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(port);
                }
            }
            Some(Server::HttpEcho { text, port })
        }
        _ => None,
    }
}

/// Whether `container` listens on TCP `port`: the image table's ports
/// (with the scenario's `images:` override), except where the server's own
/// flags or environment move it (`-listen=:PORT`, `$PORT`) or its
/// configuration does (`nginx`: the configuration its master runs with,
/// when known — [`super::nginx_running`]). An image neither knows listens
/// on the ports its container declares.
pub fn listens(
    config: &ClusterConfig,
    container: &Container,
    port: u16,
    nginx: Option<&Loaded>,
) -> bool {
    let image = container.image.as_deref().unwrap_or_default();
    let table = images::ports(config, image);
    let declared = images::entry_declares_ports(config, image);
    match server(container) {
        Some(Server::Nginx(_)) if !declared && let Some(loaded) = nginx => match loaded {
            Loaded::Ok(c) => c.ports().contains(&port),
            // It did not start.
            Loaded::Emerg(_) => false,
            // What it listens on is not known: the request is answered
            // unsupported ([`reply`]).
            Loaded::Unknown(_) => true,
        },
        Some(Server::HttpEcho { port: p, .. } | Server::HelloApp { port: p, .. }) => port == p,
        Some(Server::Liveness) => port == LIVENESS_PORT,
        Some(Server::ServeHostname { port: p }) => port == p,
        Some(Server::GrpcHealthChecking { port: p, http_port }) => port == p || port == http_port,
        Some(
            Server::Nginx(_) | Server::Httpd | Server::GolangExample | Server::Bootcamp { .. },
        ) => table.contains(&port),
        None if !table.is_empty() => table.contains(&port),
        None => container.ports.iter().flatten().any(|p| p.container_port == i32::from(port)),
    }
}

/// The image of a container of `pod` that may listen on `port` for all
/// kubeplay knows, when none is known to: an image the table does not
/// know, whose ports the scenario does not declare, running something
/// other than a shell or a modelled utility ([`images::unmodelled_output`]
/// tells the same images apart). A connection there is neither refused
/// nor answered: it is unsupported, naming the image.
pub fn unknown_listener(config: &ClusterConfig, pod: &Pod, port: u16) -> Option<String> {
    // The control plane's static pods (etcd, the API server...) listen on
    // their configured ports only, which the profile fixes.
    if crate::sim::podutil::is_mirror(pod) {
        return None;
    }
    pod.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .filter(|c| !listens(config, c, port, None))
        .filter(|c| images::ports(config, c.image.as_deref().unwrap_or_default()).is_empty())
        .filter(|c| server(c).is_none())
        .find(|c| images::unmodelled_output(config, c).is_some())
        .map(|c| {
            format!(
                "{} (whether it listens on port {port})",
                c.image.as_deref().unwrap_or_default()
            )
        })
}

/// The reply of a server whose answer depends on how long it has run
/// (`uptime`), if `container` runs one: the liveness server's `/healthz`
/// (`duration.Seconds() > 10` → 500 `error: SECONDS`, else 200 `ok`), and
/// Go's `404 page not found` for a path it has no handler for. Its other
/// handlers (`/started`, `/redirect`, the sleeping ones) are unmodelled.
pub fn timed_reply(
    container: &Container,
    request: &Request,
    uptime: std::time::Duration,
) -> Option<Result<Response, ConnectError>> {
    if server(container)? != Server::Liveness {
        return None;
    }
    let path = request.path.split('?').next().unwrap_or_default();
    let text = |status: u16, body: String| Response {
        status,
        reason: super::super::images::http::reason(status).to_owned(),
        headers: vec![("Content-Type".to_owned(), "text/plain; charset=utf-8".to_owned())],
        all_headers: false,
        body,
    };
    Some(match path {
        "/healthz" => {
            let seconds = uptime.as_secs_f64();
            // Go's `%v` of a float64 is its shortest decimal, as Rust's.
            Ok(if seconds > 10.0 {
                text(500, format!("error: {seconds}"))
            } else {
                text(200, "ok".to_owned())
            })
        }
        "/started"
        | "/redirect"
        | "/sleep-headers"
        | "/disconnect-headers"
        | "/sleep-body"
        | "/disconnect-body"
        | "/slow-response" => Err(ConnectError::Unmodelled(format!(
            "{} ({path})",
            container.image.as_deref().unwrap_or_default()
        ))),
        _ => Ok(text(404, "404 page not found\n".to_owned())),
    })
}

/// The reply of `container` (in pod `pod`, its process environment `env`,
/// its filesystem `fs`) on `port` to `request`; an nginx container answers
/// by the configuration it runs with (`nginx`; read from `fs` when not
/// given).
#[allow(clippy::too_many_arguments)]
pub fn reply(
    container: &Container,
    pod: &str,
    env: &[(String, String)],
    fs: &Fs,
    port: u16,
    nginx: Option<&Loaded>,
    request: &Request,
    now: Timestamp,
) -> Result<Response, ConnectError> {
    let image = container.image.clone().unwrap_or_default();
    let response = match server(container).ok_or(ConnectError::Unmodelled(image.clone()))? {
        Server::Nginx(tag) => {
            let read;
            let loaded = match nginx {
                Some(l) => l,
                None => {
                    read = crate::sim::images::nginx::conf::load(fs);
                    &read
                }
            };
            let config = match loaded {
                Loaded::Ok(c) => c,
                Loaded::Emerg(_) => return Err(ConnectError::Refused),
                Loaded::Unknown(what) => {
                    return Err(ConnectError::Unmodelled(format!("{image} ({what})")));
                }
            };
            // The error page names the version only when the tag does.
            let signature_version =
                tag.split('-').next().filter(|v| v.matches('.').count() == 2).map(str::to_owned);
            let site = super::nginx::Site {
                fs,
                release: images::nginx_release(&tag),
                signature_version,
                hostname: pod,
                port,
                now,
            };
            super::nginx::answer(config, &site, request)
                .map_err(|what| ConnectError::Unmodelled(format!("{image} ({what})")))?
        }
        Server::Httpd => httpd(fs, &request.path)
            .ok_or_else(|| ConnectError::Unmodelled(format!("{image} (this request)")))?,
        // http-echo answers every path with its text and a newline
        // (hashicorp/http-echo `main.go` `httpEcho`).
        Server::HttpEcho { text, .. } => html(200, "OK", &format!("{text}\n")),
        // go_example_app `app/app.go` routes and `app/handlers.go`
        // `hostHandler`/`rootHandler`; gin's `c.JSON` writes compact JSON
        // with no newline, and unknown paths get gin's plain-text 404.
        Server::GolangExample => {
            let var = |name: &str| {
                env.iter().rev().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
            };
            let message = match request.path.as_str() {
                "/" => "Default Page".to_owned(),
                "/host" => format!("NODE: {}, POD IP:{}", var("MY_NODE_NAME"), var("MY_POD_IP")),
                "/secret" => "You should not see this".to_owned(),
                "/external" => "External host test message".to_owned(),
                _ => {
                    return Ok(Response {
                        status: 404,
                        reason: "Not Found".to_owned(),
                        headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
                        all_headers: false,
                        body: "404 page not found".to_owned(),
                    });
                }
            };
            Response {
                status: 200,
                reason: "OK".to_owned(),
                headers: vec![(
                    "Content-Type".to_owned(),
                    "application/json; charset=utf-8".to_owned(),
                )],
                all_headers: false,
                body: serde_json::json!({ "message": message }).to_string(),
            }
        }
        // `fmt.Fprintf(w, "%s", hostname)`: Go sniffs the type.
        Server::ServeHostname { .. } => Response {
            status: 200,
            reason: "OK".to_owned(),
            headers: vec![("Content-Type".to_owned(), "text/plain; charset=utf-8".to_owned())],
            all_headers: false,
            body: pod.to_owned(),
        },
        // Its answers depend on its uptime ([`timed_reply`]); the gRPC
        // health server's HTTP switches change its state.
        Server::Liveness | Server::GrpcHealthChecking { .. } => {
            return Err(ConnectError::Unmodelled(format!("{image} (this request)")));
        }
        // The image's `/server.js` (`handleRequest`): three writes, every
        // path alike, `text/plain`.
        Server::Bootcamp { version } => Response {
            status: 200,
            reason: "OK".to_owned(),
            headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
            all_headers: false,
            body: format!("Hello Kubernetes bootcamp! | Running on: {pod} | v={version}\n"),
        },
        // kubernetes-engine-samples `hello-app/main.go` `hello`.
        Server::HelloApp { version, .. } => {
            html(200, "OK", &format!("Hello, world!\nVersion: {version}\nHostname: {pod}\n"))
        }
    };
    Ok(response)
}

fn html(status: u16, reason: &str, body: &str) -> Response {
    Response {
        status,
        reason: reason.to_owned(),
        headers: vec![("Content-Type".to_owned(), "text/html".to_owned())],
        all_headers: false,
        body: body.to_owned(),
    }
}

/// A static file's `Content-Type` by extension (nginx's `mime.types`,
/// httpd's `conf/mime.types`, the common ones); others get the server's
/// default type.
fn content_type(path: &str, default: &str) -> String {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        _ => default,
    }
    .to_owned()
}

/// What a static file server finds at a request path under `root`.
enum Found {
    /// A file: its path and text.
    File(String, String),
    /// A directory whose index file is missing.
    NoIndex,
    /// Nothing.
    Missing,
    /// A directory named without its trailing slash (a redirect), or a
    /// part of the image kubeplay does not model.
    Unmodelled,
}

/// Looks up `request_path` under `root` as httpd's `DirectoryIndex
/// index.html` does.
fn lookup(fs: &Fs, root: &str, request_path: &str, indexes: &[&str]) -> Found {
    let path = request_path.split('?').next().unwrap_or(request_path);
    let target = crate::sim::process::userland::resolve(root, &format!(".{path}"));
    if !target.starts_with(root) {
        return Found::Missing;
    }
    match fs.node(&target) {
        Node::File(text, _) => Found::File(target, text),
        Node::Dir { .. } if !path.ends_with('/') => Found::Unmodelled,
        Node::Dir { .. } => {
            for index in indexes {
                let file = format!("{}/{index}", target.trim_end_matches('/'));
                if let Node::File(text, _) = fs.node(&file) {
                    return Found::File(file, text);
                }
            }
            Found::NoIndex
        }
        Node::Missing => Found::Missing,
        Node::Unknown => Found::Unmodelled,
    }
}

/// An HTTP date (RFC 9110 IMF-fixdate: `Mon, 18 Sep 2023 05:15:57 GMT`).
pub(super) fn http_date(t: Timestamp) -> String {
    t.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// httpd's default server: files under `htdocs`, a missing one is its
/// `404 Not Found` page (httpd 2.4 `modules/http/http_protocol.c`
/// `get_canned_error_string`, since 2.4.39 without the path). A directory
/// without `index.html` is an `Options Indexes` listing, not modelled.
fn httpd(fs: &Fs, path: &str) -> Option<Response> {
    Some(match lookup(fs, HTTPD_ROOT, path, &["index.html"]) {
        Found::File(file, text) => Response {
            status: 200,
            reason: "OK".to_owned(),
            headers: vec![("Content-Type".to_owned(), content_type(&file, "text/plain"))],
            all_headers: false,
            body: text,
        },
        Found::Missing => html(
            404,
            "Not Found",
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n",
        ),
        Found::NoIndex | Found::Unmodelled => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs_of(c: &Container) -> Fs {
        Fs::new(c.image.as_deref().unwrap_or_default(), &Default::default(), &[], &Vec::new())
    }

    #[test]
    fn nginx_headers_of_its_own_page_need_its_date() {
        let head = |image: &str| {
            let c = container(serde_json::json!({"name": "n", "image": image}));
            let get = Request { method: "HEAD".into(), path: "/".into() };
            let now: Timestamp = "2023-09-18T05:15:57Z".parse().unwrap();
            reply(&c, "p", &[], &fs_of(&c), 80, None, &get, now).unwrap()
        };
        let r = head("docker.io/nginx:1.21");
        let lines: Vec<String> = r.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(
            lines,
            [
                "Server: nginx/1.21.6",
                "Date: Mon, 18 Sep 2023 05:15:57 GMT",
                "Content-Type: text/html",
                "Content-Length: 615",
                "Last-Modified: Tue, 25 Jan 2022 15:03:52 GMT",
                "Connection: keep-alive",
                "ETag: \"61f01158-267\"",
                "Accept-Ranges: bytes",
            ]
        );
        assert!(r.all_headers);
        // 1.25.4's build date is not known, nor is `latest`'s version.
        assert!(!head("nginx:1.25.4").all_headers);
        assert!(!head("nginx").all_headers);
    }

    #[test]
    fn nginx_and_httpd_serve_their_files() {
        let get = |path: &str| Request { method: "GET".into(), path: path.into() };
        let nginx = container(serde_json::json!({"name": "n", "image": "nginx:1.25.4"}));
        let mut fs = fs_of(&nginx);
        let now = k8s_openapi::jiff::Timestamp::from_second(0).unwrap();
        assert_eq!(
            reply(&nginx, "p", &[], &fs, 80, None, &get("/50x.html"), Timestamp::UNIX_EPOCH)
                .unwrap()
                .status,
            200
        );
        fs.remove("/usr/share/nginx/html/index.html", false, Timestamp::UNIX_EPOCH).unwrap();
        let r = reply(&nginx, "p", &[], &fs, 80, None, &get("/"), Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(
            (r.status, r.body.as_str()),
            (
                403,
                "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.25.4</center>\r\n</body>\r\n</html>\r\n"
            )
        );
        assert_eq!(
            reply(&nginx, "p", &[], &fs, 80, None, &get("/index.html"), Timestamp::UNIX_EPOCH)
                .unwrap()
                .status,
            404
        );
        fs.write("/usr/share/nginx/html/index.html", "hello\n", false, now).unwrap();
        assert_eq!(
            reply(&nginx, "p", &[], &fs, 80, None, &get("/"), Timestamp::UNIX_EPOCH).unwrap().body,
            "hello\n"
        );
        fs.write("/usr/share/nginx/html/a.txt", "t\n", false, now).unwrap();
        let r =
            reply(&nginx, "p", &[], &fs, 80, None, &get("/a.txt"), Timestamp::UNIX_EPOCH).unwrap();
        let header =
            |name: &str| r.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(header("Content-Type"), Some("text/plain"));
        // A file the container wrote has a date: nginx's ETag is its
        // mtime and length in hex, and every header is known.
        assert_eq!(header("ETag"), Some(format!("\"{:x}-2\"", now.as_second()).as_str()));
        assert_eq!(header("Server"), Some("nginx/1.25.4"));
        assert!(r.all_headers);
        let httpd = container(serde_json::json!({"name": "h", "image": "httpd:2.4"}));
        let mut fs = fs_of(&httpd);
        assert_eq!(
            reply(&httpd, "p", &[], &fs, 80, None, &get("/"), Timestamp::UNIX_EPOCH).unwrap().body,
            "<html><body><h1>It works!</h1></body></html>\n"
        );
        assert_eq!(
            reply(&httpd, "p", &[], &fs, 80, None, &get("/x"), Timestamp::UNIX_EPOCH)
                .unwrap()
                .status,
            404
        );
        fs.remove("/usr/local/apache2/htdocs/index.html", false, Timestamp::UNIX_EPOCH).unwrap();
        assert!(
            reply(&httpd, "p", &[], &fs, 80, None, &get("/"), Timestamp::UNIX_EPOCH).is_err(),
            "a directory listing is not modelled"
        );
    }

    fn container(json: serde_json::Value) -> Container {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn pages_and_ports() {
        let cfg = crate::sim::profile("kubeadm").unwrap();
        let get = Request { method: "GET".into(), path: "/".into() };
        let nginx = container(serde_json::json!({"name": "n", "image": "nginx:1.25.4"}));
        assert!(listens(&cfg, &nginx, 80, None) && !listens(&cfg, &nginx, 8080, None));
        let page = reply(&nginx, "p", &[], &fs_of(&nginx), 80, None, &get, Timestamp::UNIX_EPOCH)
            .unwrap()
            .body;
        assert_eq!(page.len(), 615);
        let old = container(serde_json::json!({"name": "n", "image": "nginx:1.14.2"}));
        assert_eq!(
            reply(&old, "p", &[], &fs_of(&old), 80, None, &get, Timestamp::UNIX_EPOCH)
                .unwrap()
                .body
                .len(),
            612
        );
        let echo = container(serde_json::json!({"name": "e", "image": "hashicorp/http-echo",
            "args": ["-text=apple"]}));
        assert!(listens(&cfg, &echo, 5678, None));
        assert_eq!(
            reply(&echo, "p", &[], &fs_of(&echo), 80, None, &get, Timestamp::UNIX_EPOCH)
                .unwrap()
                .body,
            "apple\n"
        );
        let hello = container(serde_json::json!({"name": "h",
            "image": "gcr.io/google-samples/hello-app:2.0"}));
        assert!(listens(&cfg, &hello, 8080, None));
        assert_eq!(
            reply(&hello, "web-1", &[], &fs_of(&hello), 80, None, &get, Timestamp::UNIX_EPOCH)
                .unwrap()
                .body,
            "Hello, world!\nVersion: 2.0.0\nHostname: web-1\n"
        );
        let other = container(serde_json::json!({"name": "o", "image": "example/app",
            "ports": [{"containerPort": 3000}]}));
        assert!(listens(&cfg, &other, 3000, None));
        assert_eq!(
            reply(&other, "p", &[], &fs_of(&other), 80, None, &get, Timestamp::UNIX_EPOCH),
            Err(ConnectError::Unmodelled("example/app".into()))
        );
        let go = container(serde_json::json!({"name": "g",
            "image": "strongjz/golang_example:0.0.3"}));
        assert!(
            listens(&cfg, &go, 8080, None)
                && listens(&cfg, &go, 8090, None)
                && !listens(&cfg, &go, 80, None)
        );
        let env = [
            ("MY_NODE_NAME".to_owned(), "w1".to_owned()),
            ("MY_POD_IP".to_owned(), "10.244.1.9".to_owned()),
        ];
        let host = Request { method: "GET".into(), path: "/host".into() };
        assert_eq!(
            reply(&go, "p", &env, &fs_of(&go), 80, None, &host, Timestamp::UNIX_EPOCH)
                .unwrap()
                .body,
            r#"{"message":"NODE: w1, POD IP:10.244.1.9"}"#
        );
        let missing = Request { method: "GET".into(), path: "/x".into() };
        assert_eq!(
            reply(&go, "p", &env, &fs_of(&go), 80, None, &missing, Timestamp::UNIX_EPOCH)
                .unwrap()
                .status,
            404
        );
    }
}
