//! The files an image ships that tutorials read, list, delete or serve:
//! nginx's default site and configuration, httpd's `htdocs`. Directories
//! listed in [`Shipped::dirs`] are complete (their listing is exactly the
//! files here); every other image directory stays opaque
//! ([`crate::sim::process::fs`]).

use k8s_openapi::jiff::Timestamp;

use super::ImageRef;

/// What an image ships, as far as kubeplay models it.
#[derive(Debug, Clone, Default)]
pub struct Shipped {
    /// Files by absolute path.
    pub files: Vec<(String, String)>,
    /// Directories whose whole content is `files` below them.
    pub dirs: &'static [&'static str],
    /// When the image's own files (the web root) were written, when known:
    /// their `ls -l` date and the `Last-Modified`/`ETag` a server sends.
    pub mtime: Option<Timestamp>,
}

/// nginx's document root (`conf.d/default.conf`: `root /usr/share/nginx/html`).
pub const NGINX_ROOT: &str = "/usr/share/nginx/html";
/// httpd's `DocumentRoot` (`conf/httpd.conf` of the official image).
pub const HTTPD_ROOT: &str = "/usr/local/apache2/htdocs";

/// The files of `image`.
pub fn of(image: &str) -> Shipped {
    let r = ImageRef::parse(image);
    match r.base() {
        "nginx" => {
            let old = nginx_before_1_21_5(&r.tag);
            let page = |new: &str, before: &str| if old { before } else { new }.to_owned();
            let release = super::nginx_release(&r.tag);
            let mut files = vec![
                (format!("{NGINX_ROOT}/index.html"), page(NGINX_INDEX, NGINX_INDEX_OLD)),
                (format!("{NGINX_ROOT}/50x.html"), page(NGINX_50X, NGINX_50X_OLD)),
                ("/etc/nginx/nginx.conf".to_owned(), nginx_conf(&r.tag)),
                ("/etc/nginx/conf.d/default.conf".to_owned(), NGINX_DEFAULT_CONF.to_owned()),
            ];
            if let Some(debian) = release.and_then(|v| nginx_debian(v, &r.tag)) {
                files.push(("/etc/os-release".to_owned(), debian.os_release()));
            }
            Shipped {
                files,
                dirs: &[NGINX_ROOT, "/etc/nginx/conf.d"],
                mtime: release.and_then(nginx_built),
            }
        }
        "httpd" => Shipped {
            files: vec![(format!("{HTTPD_ROOT}/index.html"), HTTPD_INDEX.to_owned())],
            dirs: &[HTTPD_ROOT],
            mtime: None,
        },
        // The Kubernetes Basics app's source, as `cat server.js` shows it
        // in the v1 image (tutorial transcripts of 2018-2023 agree).
        "kubernetes-bootcamp" if r.tag == "v1" => Shipped {
            files: vec![("/server.js".to_owned(), BOOTCAMP_SERVER_JS.to_owned())],
            ..Shipped::default()
        },
        "debian" => Shipped {
            files: Debian::of_tag(&r.tag)
                .map(|d| vec![("/etc/os-release".to_owned(), d.os_release())])
                .unwrap_or_default(),
            ..Shipped::default()
        },
        _ => Shipped::default(),
    }
}

/// `/server.js` of `gcr.io/google-samples/kubernetes-bootcamp:v1`.
const BOOTCAMP_SERVER_JS: &str = r#"var http = require('http');
var requests=0;
var podname= process.env.HOSTNAME;
var startTime;
var host;
var handleRequest = function(request, response) {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.write("Hello Kubernetes bootcamp! | Running on: ");
  response.write(host);
  response.end(" | v=1\n");
  console.log("Running On:" ,host, "| Total Requests:", ++requests,"| App Uptime:", (new Date() - startTime)/1000 , "seconds", "| Log Time:",new Date());
}
var www = http.createServer(handleRequest);
www.listen(8080,function () {
    startTime = new Date();;
    host = process.env.HOSTNAME;
    console.log ("Kubernetes Bootcamp App Started At:",startTime, "| Running On: " ,host, "\n" );
});
"#;

/// A Debian release an image is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Debian {
    /// Debian 10.
    Buster,
    /// Debian 11.
    Bullseye,
    /// Debian 12.
    Bookworm,
}

impl Debian {
    /// The release a `debian` image tag names (`12`, `bookworm-slim`,
    /// `11.9`); `None` for tags that move (`latest`, `stable`) or others.
    pub fn of_tag(tag: &str) -> Option<Debian> {
        let head = tag.split('-').next().unwrap_or(tag);
        let major = head.split('.').next().unwrap_or(head);
        match major {
            "10" | "buster" => Some(Debian::Buster),
            "11" | "bullseye" => Some(Debian::Bullseye),
            "12" | "bookworm" => Some(Debian::Bookworm),
            _ => None,
        }
    }

    /// `/etc/os-release` (base-files of each release; the same nine lines
    /// from Debian 10 to 12, as `cat /etc/os-release` in nginx and debian
    /// containers prints them).
    pub fn os_release(self) -> String {
        let (number, name) = match self {
            Debian::Buster => (10, "buster"),
            Debian::Bullseye => (11, "bullseye"),
            Debian::Bookworm => (12, "bookworm"),
        };
        format!(
            "PRETTY_NAME=\"Debian GNU/Linux {number} ({name})\"\n\
             NAME=\"Debian GNU/Linux\"\n\
             VERSION_ID=\"{number}\"\n\
             VERSION=\"{number} ({name})\"\n\
             VERSION_CODENAME={name}\n\
             ID=debian\n\
             HOME_URL=\"https://www.debian.org/\"\n\
             SUPPORT_URL=\"https://www.debian.org/support\"\n\
             BUG_REPORT_URL=\"https://bugs.debian.org/\"\n"
        )
    }
}

/// The Debian release under an nginx release's Debian variant (the
/// official image's `mainline|stable/debian/Dockerfile` `FROM`), for the
/// releases whose base is certain: 1.18–1.19 on buster (both released
/// after buster), 1.21.5–1.24 on bullseye (after bullseye, before
/// bookworm), 1.25.1–1.29.0 on bookworm (from bookworm's release to
/// trixie's). Alpine variants and other releases: `None` (not modelled).
fn nginx_debian((major, minor, patch): (u32, u32, u32), tag: &str) -> Option<Debian> {
    if tag.contains("alpine") || major != 1 {
        return None;
    }
    match (minor, patch) {
        (18 | 19, _) => Some(Debian::Buster),
        (21, 5..) | (22..=24, _) => Some(Debian::Bullseye),
        (25, 1..) | (26..=28, _) | (29, 0) => Some(Debian::Bookworm),
        _ => None,
    }
}

/// When an nginx release's image wrote its web root: the packaged files
/// keep the release's build time. Known from transcripts, where `ETag`
/// (mtime and size in hex) and `Last-Modified` agree: 1.21.6's `Tue, 25
/// Jan 2022 15:03:52 GMT`, `"61f01158-267"` (RX-M's pods lab, `curl -I` of
/// `nginx:1.21`); 1.13.7's `Tue, 21 Nov 2017 14:28:04 GMT`,
/// `"5a1437f4-264"` (Kubernetes The Hard Way's smoke test, December 2017).
fn nginx_built(release: (u32, u32, u32)) -> Option<Timestamp> {
    match release {
        (1, 13, 7) => "2017-11-21T14:28:04Z".parse().ok(),
        (1, 21, 6) => "2022-01-25T15:03:52Z".parse().ok(),
        _ => None,
    }
}

/// httpd's `htdocs/index.html` (Apache httpd 2.4 docker image).
pub const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

/// nginx's welcome page (`/usr/share/nginx/html/index.html`) from 1.21.5
/// on (615 bytes, with `color-scheme`); 1.21.1 still served the 612-byte
/// page below (both seen in `curl -I` transcripts; the change lies in
/// between).
pub const NGINX_INDEX: &str = "<!DOCTYPE html>
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
pub const NGINX_INDEX_OLD: &str = "<!DOCTYPE html>
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
pub fn nginx_before_1_21_5(tag: &str) -> bool {
    let version = tag.split('-').next().unwrap_or(tag);
    let parts: Vec<u32> = version.split('.').map_while(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [] => false,
        [major] => *major < 1,
        [major, minor] => (*major, *minor) < (1, 21),
        [major, minor, patch, ..] => (*major, *minor, *patch) < (1, 21, 5),
    }
}

/// nginx's `html/50x.html` from 1.21.5 on (the same restyling as the
/// welcome page).
const NGINX_50X: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
";

/// nginx's `html/50x.html` before 1.21.5.
const NGINX_50X_OLD: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
";

/// The official image's `/etc/nginx/nginx.conf` (the nginx.org package's):
/// errors logged at `notice` from 1.21.0, at `warn` before (so only the
/// newer images' start-up notices reach the log).
fn nginx_conf(tag: &str) -> String {
    let version = tag.split('-').next().unwrap_or(tag);
    let parts: Vec<u32> = version.split('.').map_while(|p| p.parse().ok()).collect();
    let before_1_21 = match parts.as_slice() {
        [] => false,
        [major] => *major < 1,
        [major, minor, ..] => (*major, *minor) < (1, 21),
    };
    let level = if before_1_21 { "warn" } else { "notice" };
    NGINX_CONF.replace("error.log notice;", &format!("error.log {level};"))
}

/// `nginx.conf` from 1.21.0.
const NGINX_CONF: &str = "
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '
                      '$status $body_bytes_sent \"$http_referer\" '
                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
";

/// The official image's `/etc/nginx/conf.d/default.conf` (docker-nginx
/// 1.19+, with the IPv6 `listen` its entrypoint keeps): 1093 bytes.
const NGINX_DEFAULT_CONF: &str = r"server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\.ht {
    #    deny  all;
    #}
}

";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_of_the_nginx_files() {
        let get = |image: &str, path: &str| {
            of(image).files.into_iter().find(|(p, _)| p == path).map(|(_, t)| t.len())
        };
        assert_eq!(get("nginx:1.25.4", "/usr/share/nginx/html/index.html"), Some(615));
        assert_eq!(get("nginx:1.14.2", "/usr/share/nginx/html/index.html"), Some(612));
        assert_eq!(get("nginx:1.14.2", "/usr/share/nginx/html/50x.html"), Some(494));
        assert_eq!(get("nginx", "/etc/nginx/conf.d/default.conf"), Some(1093));
        assert_eq!(get("nginx", "/etc/nginx/nginx.conf"), Some(648));
        assert_eq!(get("busybox", "/etc/nginx/nginx.conf"), None);
    }

    #[test]
    fn os_release_follows_the_base_of_each_release() {
        let os = |image: &str| {
            of(image).files.into_iter().find(|(p, _)| p == "/etc/os-release").map(|(_, t)| t)
        };
        let first =
            |image: &str| os(image).map(|t| t.lines().next().unwrap_or_default().to_owned());
        assert_eq!(
            first("nginx:1.19.6").as_deref(),
            Some("PRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"")
        );
        assert_eq!(
            first("nginx:1.21").as_deref(),
            Some("PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"")
        );
        assert_eq!(
            first("nginx:1.25.4").as_deref(),
            Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"")
        );
        assert_eq!(first("debian:bookworm-slim"), first("nginx:1.25.4"));
        // Moving tags, Alpine variants and unpinned bases stay unknown.
        for unknown in ["nginx", "nginx:1.21.6-alpine", "nginx:1.25.0", "nginx:1.29", "debian"] {
            assert_eq!(os(unknown), None, "{unknown}");
        }
        assert_eq!(os("nginx:1.21").map(|t| t.lines().count()), Some(9));
    }

    #[test]
    fn nginx_web_root_dates_are_known_per_release() {
        assert_eq!(of("nginx:1.21").mtime.map(|t| t.as_second()), Some(0x61f0_1158));
        assert_eq!(of("nginx:1.13.7").mtime.map(|t| t.as_second()), Some(0x5a14_37f4));
        assert_eq!(of("nginx:1.25.4").mtime, None);
    }
}
