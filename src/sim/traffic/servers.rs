//! What server images answer over HTTP, and on which ports they listen.
//!
//! Ports come from the image table ([`crate::sim::images::ports`]: nginx
//! and httpd on 80, hashicorp/http-echo on 5678, with the scenario's
//! `images:` override), except where a server's own flag or environment
//! moves it (http-echo's `-listen=:PORT`, hello-app's `$PORT`, default
//! 8080). An image neither knows listens on the ports its container
//! declares, but kubeplay does not invent its reply.

use k8s_openapi::api::core::v1::Container;

use super::{ConnectError, Request, Response};
use crate::sim::{ClusterConfig, images};

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
    /// hashicorp/http-echo: replies with its `-text`.
    HttpEcho {
        /// The reply text.
        text: String,
        /// `-listen=:PORT` (5678 by default).
        port: u16,
    },
}

fn server(container: &Container) -> Option<Server> {
    let (repo, tag) = image_parts(container.image.as_deref().unwrap_or_default());
    match repo {
        "nginx" => Some(Server::Nginx(tag.to_owned())),
        "httpd" => Some(Server::Httpd),
        "golang_example" => Some(Server::GolangExample),
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
/// flags or environment move it (`-listen=:PORT`, `$PORT`). An image
/// neither knows listens on the ports its container declares.
pub fn listens(config: &ClusterConfig, container: &Container, port: u16) -> bool {
    let image = container.image.as_deref().unwrap_or_default();
    let table = images::ports(config, image);
    match server(container) {
        Some(Server::HttpEcho { port: p, .. } | Server::HelloApp { port: p, .. }) => port == p,
        Some(Server::Nginx(_) | Server::Httpd | Server::GolangExample) => table.contains(&port),
        None if !table.is_empty() => table.contains(&port),
        None => container.ports.iter().flatten().any(|p| p.container_port == i32::from(port)),
    }
}

/// The reply of `container` (in pod `pod`, its process environment `env`)
/// to `request`.
pub fn reply(
    container: &Container,
    pod: &str,
    env: &[(String, String)],
    request: &Request,
) -> Result<Response, ConnectError> {
    let image = container.image.clone().unwrap_or_default();
    let response = match server(container).ok_or(ConnectError::Unmodelled(image))? {
        Server::Nginx(tag) => nginx(&tag, &request.path),
        Server::Httpd => html(200, "OK", HTTPD_INDEX),
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
                body: serde_json::json!({ "message": message }).to_string(),
            }
        }
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
        body: body.to_owned(),
    }
}

/// httpd's `htdocs/index.html` (Apache httpd 2.4 docker image).
const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

/// nginx's welcome page (`/usr/share/nginx/html/index.html`) from 1.21.5
/// on (615 bytes, with `color-scheme`); 1.21.1 still served the 612-byte
/// page below (both seen in `curl -I` transcripts; the change lies in
/// between).
const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx's welcome page before 1.21.5 (612 bytes).
const NGINX_INDEX_OLD: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// Whether an nginx tag names a release before 1.21.5; named tags
/// (`latest`, `alpine`, `stable`) are taken as recent.
fn nginx_before_1_21_5(tag: &str) -> bool {
    let version = tag.split('-').next().unwrap_or(tag);
    let parts: Vec<u32> = version.split('.').map_while(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [] => false,
        [major] => *major < 1,
        [major, minor] => (*major, *minor) < (1, 21),
        [major, minor, patch, ..] => (*major, *minor, *patch) < (1, 21, 5),
    }
}

/// nginx's default server: the welcome page at `/` and `/index.html`,
/// its 404 page elsewhere.
fn nginx(tag: &str, path: &str) -> Response {
    let path = path.split('?').next().unwrap_or(path);
    if path == "/" || path == "/index.html" {
        let page = if nginx_before_1_21_5(tag) { NGINX_INDEX_OLD } else { NGINX_INDEX };
        return html(200, "OK", page);
    }
    // The error page names the version only when the tag does.
    let version = tag.split('-').next().filter(|v| v.matches('.').count() == 2);
    let signature = version.map_or("nginx".to_owned(), |v| format!("nginx/{v}"));
    html(
        404,
        "Not Found",
        &format!(
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{signature}</center>\r\n</body>\r\n</html>\r\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(json: serde_json::Value) -> Container {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn pages_and_ports() {
        let cfg = crate::sim::profile("kubeadm").unwrap();
        let get = Request { method: "GET".into(), path: "/".into() };
        let nginx = container(serde_json::json!({"name": "n", "image": "nginx:1.25.4"}));
        assert!(listens(&cfg, &nginx, 80) && !listens(&cfg, &nginx, 8080));
        let page = reply(&nginx, "p", &[], &get).unwrap().body;
        assert_eq!(page.len(), 615);
        let old = container(serde_json::json!({"name": "n", "image": "nginx:1.14.2"}));
        assert_eq!(reply(&old, "p", &[], &get).unwrap().body.len(), 612);
        let echo = container(serde_json::json!({"name": "e", "image": "hashicorp/http-echo",
            "args": ["-text=apple"]}));
        assert!(listens(&cfg, &echo, 5678));
        assert_eq!(reply(&echo, "p", &[], &get).unwrap().body, "apple\n");
        let hello = container(serde_json::json!({"name": "h",
            "image": "gcr.io/google-samples/hello-app:2.0"}));
        assert!(listens(&cfg, &hello, 8080));
        assert_eq!(
            reply(&hello, "web-1", &[], &get).unwrap().body,
            "Hello, world!\nVersion: 2.0.0\nHostname: web-1\n"
        );
        let other = container(serde_json::json!({"name": "o", "image": "example/app",
            "ports": [{"containerPort": 3000}]}));
        assert!(listens(&cfg, &other, 3000));
        assert_eq!(
            reply(&other, "p", &[], &get),
            Err(ConnectError::Unmodelled("example/app".into()))
        );
        let go = container(serde_json::json!({"name": "g",
            "image": "strongjz/golang_example:0.0.3"}));
        assert!(listens(&cfg, &go, 8080) && listens(&cfg, &go, 8090) && !listens(&cfg, &go, 80));
        let env = [
            ("MY_NODE_NAME".to_owned(), "w1".to_owned()),
            ("MY_POD_IP".to_owned(), "10.244.1.9".to_owned()),
        ];
        let host = Request { method: "GET".into(), path: "/host".into() };
        assert_eq!(
            reply(&go, "p", &env, &host).unwrap().body,
            r#"{"message":"NODE: w1, POD IP:10.244.1.9"}"#
        );
        let missing = Request { method: "GET".into(), path: "/x".into() };
        assert_eq!(reply(&go, "p", &env, &missing).unwrap().status, 404);
    }
}
