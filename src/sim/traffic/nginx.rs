//! What nginx answers a request with, by the configuration its master
//! runs with ([`crate::sim::images::nginx`]): the server block of the
//! port, the location the URI selects (`ngx_http_core_find_location`:
//! exact, then the longest prefix unless `^~`, then regular expressions in
//! order), and in it the phases a static server goes through — `return`
//! (server, then location: `ngx_http_rewrite_module`), `try_files`, the
//! index and static modules over `root`/`alias` — with `error_page`
//! redirects, `add_header` and the types.
//!
//! What the configuration asks and kubeplay does not model (a directive
//! in the answering scope, a variable, a redirect whose `Location` needs
//! the request's `Host`) is returned as `Err`, naming it.

use std::collections::BTreeMap;

use k8s_openapi::jiff::Timestamp;

use super::{Request, Response};
use crate::sim::{
    images::nginx::conf::{Config, Location, Scope, Server, Types},
    process::fs::{Fs, Node},
};

/// What the reply depends on besides the configuration.
pub struct Site<'a> {
    /// The container's filesystem now.
    pub fs: &'a Fs,
    /// The release, when the tag names one (`Server: nginx/1.25.4`).
    pub release: Option<(u32, u32, u32)>,
    /// What the error pages' signature names (the version only when the
    /// tag pins it).
    pub signature_version: Option<String>,
    /// The host name (`$hostname`).
    pub hostname: &'a str,
    /// The port the request came in on.
    pub port: u16,
    /// The time (`Date:`).
    pub now: Timestamp,
}

/// The settings of a location, its server and http, merged as nginx
/// merges location configurations (inner wins).
struct Merged<'c> {
    chain: Vec<&'c Scope>,
}

impl<'c> Merged<'c> {
    fn get<T>(&self, f: impl Fn(&'c Scope) -> Option<&'c T>) -> Option<&'c T> {
        self.chain.iter().rev().find_map(|s| f(s))
    }
}

/// How a request ended.
enum Outcome {
    /// A file, with the status it is sent with, its path, text and mtime
    /// (unknown for an error page's file, whose dates kubeplay does not
    /// send).
    File(u16, String, String, Option<Timestamp>),
    /// `return CODE TEXT` (or no text below 400).
    Text(u16, String),
    /// A redirect to this URL.
    Redirect(u16, String),
    /// nginx's own page for this status.
    Special(u16),
}

/// The most internal redirects nginx follows (`NGX_HTTP_MAX_URI_CHANGES`).
const MAX_URI_CHANGES: usize = 10;

/// nginx's answer to `request` on port `site.port`.
pub fn answer(config: &Config, site: &Site<'_>, request: &Request) -> Result<Response, String> {
    let servers = config.servers_on(site.port);
    let Some(server) = servers.first() else {
        return Err(format!("nginx without a server on port {}", site.port));
    };
    if servers.len() > 1 {
        return Err(format!(
            "which of nginx's {} server blocks on port {} answers (their server_name against \
             the request's Host)",
            servers.len(),
            site.port
        ));
    }
    if let Some(what) = server
        .listen
        .iter()
        .filter(|l| l.port == site.port)
        .flat_map(|l| l.unmodelled.iter())
        .next()
    {
        return Err(format!("nginx's `{what}`"));
    }
    let path = request.path.split('?').next().unwrap_or_default();
    if path.contains('%') || path.contains("/.") {
        return Err(format!("how nginx normalises the URI {path}"));
    }
    let base = Merged { chain: vec![&config.http, &server.scope] };
    unmodelled(&base)?;
    // The server's rewrite phase runs before a location is chosen.
    if let Some(ret) = &server.scope.ret {
        let outcome = returned(ret.code, ret.text.as_deref(), site, request)?;
        return respond(outcome, &base, site);
    }
    let mut uri = path.to_owned();
    let mut error: Option<u16> = None;
    for _ in 0..MAX_URI_CHANGES {
        let location = find_location(server, &uri)?;
        let mut chain = vec![&config.http, &server.scope];
        if let Some(l) = location {
            if l.nested {
                return Err(format!("nginx's locations nested in location {}", l.uri));
            }
            chain.push(&l.scope);
        }
        let merged = Merged { chain };
        unmodelled(&merged)?;
        let own = location.map_or(&server.scope, |l| &l.scope);
        let outcome = match &own.ret {
            Some(ret) if location.is_some() => {
                returned(ret.code, ret.text.as_deref(), site, request)?
            }
            _ => match serve(own, location, &merged, &uri, site)? {
                Step::Redirect(next) => {
                    uri = next;
                    continue;
                }
                Step::Done(o) => o,
            },
        };
        // `error_page`: an error becomes an internal redirect to its
        // page, which answers with the error's status (or `=CODE`); an
        // error while answering it gets nginx's own page
        // (`recursive_error_pages off`).
        if let Outcome::Special(status) = outcome {
            if error.is_none()
                && let Some((answer, page)) =
                    merged.get(|s| s.error_pages.as_ref()).and_then(|m| m.get(&status))
            {
                if !page.starts_with('/') {
                    return Err(format!("nginx's error_page {status} {page}"));
                }
                error = Some(answer.unwrap_or(status));
                uri = page.clone();
                continue;
            }
            let status = error.unwrap_or(status);
            return respond(Outcome::Special(status), &merged, site);
        }
        return match (error, outcome) {
            (Some(status), Outcome::File(_, file, text, _)) => {
                respond(Outcome::File(status, file, text, None), &merged, site).map(|mut r| {
                    // Whether nginx sends the page's dates is not modelled.
                    r.all_headers = false;
                    r
                })
            }
            (_, outcome) => respond(outcome, &merged, site),
        };
    }
    Err("a cycle of nginx's internal redirects".to_owned())
}

/// The first directive of the answering scopes kubeplay does not model.
fn unmodelled(merged: &Merged<'_>) -> Result<(), String> {
    match merged.chain.iter().flat_map(|s| s.unmodelled.iter()).next() {
        Some(name) => Err(format!("nginx's `{name}` directive")),
        None => Ok(()),
    }
}

/// The location `uri` selects, if any (`ngx_http_core_find_location`).
fn find_location<'s>(server: &'s Server, uri: &str) -> Result<Option<&'s Location>, String> {
    let plain = |l: &&Location| l.modifier.is_empty() || l.modifier == "^~" || l.modifier == "=";
    if let Some(exact) = server.locations.iter().find(|l| l.modifier == "=" && l.uri == uri) {
        return Ok(Some(exact));
    }
    let prefix = server
        .locations
        .iter()
        .filter(plain)
        .filter(|l| l.modifier != "=" && uri.starts_with(&l.uri))
        .max_by_key(|l| l.uri.len());
    if prefix.is_some_and(|l| l.modifier == "^~") {
        return Ok(prefix);
    }
    for l in server.locations.iter().filter(|l| l.modifier == "~" || l.modifier == "~*") {
        let pattern = if l.modifier == "~*" { format!("(?i){}", l.uri) } else { l.uri.clone() };
        let re = regex::Regex::new(&pattern)
            .map_err(|_| format!("nginx's regular expression location {}", l.uri))?;
        if re.is_match(uri) {
            return Ok(Some(l));
        }
    }
    Ok(prefix)
}

/// Where serving went.
enum Step {
    /// An internal redirect to this URI.
    Redirect(String),
    /// An answer.
    Done(Outcome),
}

/// The `try_files`, index and static phases.
fn serve(
    own: &Scope,
    location: Option<&Location>,
    merged: &Merged<'_>,
    uri: &str,
    site: &Site<'_>,
) -> Result<Step, String> {
    let path_of = |uri: &str| -> Result<String, String> {
        let (base, rest) = match (&own.alias, location) {
            (Some(alias), Some(l))
                if l.modifier.is_empty() || l.modifier == "^~" || l.modifier == "=" =>
            {
                (alias.clone(), uri.strip_prefix(l.uri.as_str()).unwrap_or(uri).to_owned())
            }
            (Some(_), _) => return Err("nginx's alias in a regular expression location".to_owned()),
            (None, _) => {
                let root =
                    merged.get(|s| s.root.as_ref()).cloned().unwrap_or_else(|| "html".to_owned());
                (root, uri.to_owned())
            }
        };
        if base.contains('$') {
            return Err(format!("the variables of nginx's root {base}"));
        }
        let base = if base.starts_with('/') { base } else { format!("/etc/nginx/{base}") };
        Ok(format!(
            "{}{}",
            base.trim_end_matches('/'),
            if rest.starts_with('/') || rest.is_empty() { rest } else { format!("/{rest}") }
        ))
    };
    if let Some(tries) = &own.try_files {
        let (last, tries) = tries.split_last().expect("2MORE");
        for t in tries {
            let candidate = substitute_uri(t, uri)?;
            let path = path_of(&candidate)?;
            let found = match site.fs.node(path.trim_end_matches('/')) {
                Node::File(..) => !candidate.ends_with('/'),
                Node::Dir { .. } => candidate.ends_with('/'),
                Node::Missing => false,
                Node::Unknown => return Err(format!("what is at {path}")),
            };
            if found {
                return static_file(merged, &candidate, &path, site);
            }
        }
        if let Some(code) = last.strip_prefix('=') {
            let code: u16 = code.parse().map_err(|_| format!("nginx's try_files {last}"))?;
            return Ok(Step::Done(Outcome::Special(code)));
        }
        if last.starts_with('@') {
            return Err(format!("nginx's named location {last}"));
        }
        return Ok(Step::Redirect(substitute_uri(last, uri)?));
    }
    let path = path_of(uri)?;
    static_file(merged, uri, &path, site)
}

/// `$uri` in a `try_files` argument.
fn substitute_uri(arg: &str, uri: &str) -> Result<String, String> {
    let out = arg.replace("$uri", uri);
    if out.contains('$') {
        return Err(format!("the variables of nginx's try_files {arg}"));
    }
    Ok(out)
}

/// The index and static modules for `uri` at `path`.
fn static_file(
    merged: &Merged<'_>,
    uri: &str,
    path: &str,
    site: &Site<'_>,
) -> Result<Step, String> {
    if uri.ends_with('/') {
        let default = vec!["index.html".to_owned()];
        let index = merged.get(|s| s.index.as_ref()).unwrap_or(&default);
        for name in index {
            if name.contains('$') || name.starts_with('/') {
                return Err(format!("nginx's index {name}"));
            }
            match site.fs.node(&format!("{}/{name}", path.trim_end_matches('/'))) {
                // The index module redirects internally to the file.
                Node::File(..) => return Ok(Step::Redirect(format!("{uri}{name}"))),
                Node::Unknown => return Err(format!("what is in {path}")),
                Node::Dir { .. } | Node::Missing => {}
            }
        }
        return Ok(Step::Done(match site.fs.node(path.trim_end_matches('/')) {
            // "directory index of ... is forbidden" (autoindex off).
            Node::Dir { .. } => Outcome::Special(403),
            Node::Missing | Node::File(..) => Outcome::Special(404),
            Node::Unknown => return Err(format!("what is in {path}")),
        }));
    }
    Ok(Step::Done(match site.fs.node(path) {
        Node::File(text, mtime) => Outcome::File(200, path.to_owned(), text, mtime),
        Node::Dir { .. } => {
            return Err(format!(
                "nginx's redirect of directory {uri} to {uri}/ (its Location names the request's Host)"
            ));
        }
        Node::Missing => Outcome::Special(404),
        Node::Unknown => return Err(format!("what is at {path}")),
    }))
}

/// `return CODE [TEXT]` / `return URL` (`ngx_http_script_return_code`).
fn returned(
    code: u16,
    text: Option<&str>,
    site: &Site<'_>,
    request: &Request,
) -> Result<Outcome, String> {
    let text = text.map(|t| variables(t, site, request)).transpose()?;
    Ok(match (code, text) {
        (444, _) => return Err("nginx's return 444 (it closes the connection)".to_owned()),
        (301 | 302 | 303 | 307 | 308, Some(url)) => {
            if url.starts_with('/') {
                return Err(format!(
                    "nginx's redirect to {url} (its Location names the request's Host)"
                ));
            }
            Outcome::Redirect(code, url)
        }
        (204, _) => return Err("nginx's 204 response".to_owned()),
        (code, Some(text)) => Outcome::Text(code, text),
        (code, None) if code < 400 => Outcome::Text(code, String::new()),
        (code, None) => Outcome::Special(code),
    })
}

/// nginx's variables kubeplay knows in a `return` text.
fn variables(text: &str, site: &Site<'_>, request: &Request) -> Result<String, String> {
    if !text.contains('$') {
        return Ok(text.to_owned());
    }
    let re = regex::Regex::new(r"\$(\{[a-z_0-9]+\}|[a-z_0-9]+)").expect("valid");
    let path = request.path.split('?').next().unwrap_or_default();
    let args = request.path.split_once('?').map_or("", |(_, a)| a);
    let mut unknown = None;
    let out = re.replace_all(text, |c: &regex::Captures<'_>| {
        let name = c[1].trim_matches(|ch| ch == '{' || ch == '}');
        match name {
            "hostname" => site.hostname.to_owned(),
            "uri" | "document_uri" => path.to_owned(),
            "request_uri" => request.path.clone(),
            "request_method" => request.method.clone(),
            "server_port" => site.port.to_string(),
            "scheme" => "http".to_owned(),
            "args" | "query_string" => args.to_owned(),
            _ => {
                unknown.get_or_insert_with(|| name.to_owned());
                String::new()
            }
        }
    });
    match unknown {
        Some(name) => Err(format!("nginx's variable ${name}")),
        None => Ok(out.into_owned()),
    }
}

/// The types and charset of a served file or text.
fn content_type(merged: &Merged<'_>, file: Option<&str>) -> Result<String, String> {
    let default_type = || {
        merged.get(|s| s.default_type.as_ref()).cloned().unwrap_or_else(|| "text/plain".to_owned())
    };
    let ty = match file {
        None => default_type(),
        Some(file) => {
            let name = file.rsplit('/').next().unwrap_or(file);
            let ext = name.rsplit_once('.').map(|(_, e)| e);
            match ext {
                None => default_type(),
                Some(ext) => {
                    // Without `types`, nginx's built-in three.
                    let builtin = Types::Block(BTreeMap::from([
                        ("html".to_owned(), "text/html".to_owned()),
                        ("gif".to_owned(), "image/gif".to_owned()),
                        ("jpg".to_owned(), "image/jpeg".to_owned()),
                    ]));
                    let types = merged.get(|s| s.types.as_ref()).unwrap_or(&builtin);
                    match types.of(ext) {
                        Ok(Some(t)) => t,
                        Ok(None) => default_type(),
                        Err(_) => return Err(format!("the type nginx's mime.types gives .{ext}")),
                    }
                }
            }
        }
    };
    // `ngx_http_charset_filter_module`: `charset` applies to its default
    // `charset_types`.
    let charset = merged.get(|s| s.charset.as_ref()).filter(|c| *c != "off");
    let texty = matches!(
        ty.as_str(),
        "text/html"
            | "text/xml"
            | "text/plain"
            | "text/vnd.wap.wml"
            | "application/javascript"
            | "application/rss+xml"
    );
    Ok(match charset {
        Some(c) if texty => format!("{ty}; charset={c}"),
        _ => ty,
    })
}

/// The reason phrase of nginx's status lines (`ngx_http_status_lines`).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Time-out",
        409 => "Conflict",
        410 => "Gone",
        413 => "Request Entity Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => "",
    }
}

/// Builds the response with nginx's headers
/// (`ngx_http_header_filter_module.c`: `Server`, `Date`, `Content-Type`,
/// `Content-Length`, `Last-Modified`, `Connection`, then the list: the
/// static module's `ETag` or `return`'s `Location`, `add_header`'s
/// headers, the range filter's `Accept-Ranges`).
fn respond(outcome: Outcome, merged: &Merged<'_>, site: &Site<'_>) -> Result<Response, String> {
    let tokens = merged.get(|s| s.server_tokens.as_ref()).copied().unwrap_or(true);
    let server = match (tokens, site.release) {
        (false, _) => Some("nginx".to_owned()),
        (true, Some((a, b, c))) => Some(format!("nginx/{a}.{b}.{c}")),
        (true, None) => None,
    };
    let signature = match (tokens, &site.signature_version) {
        (true, Some(v)) => format!("nginx/{v}"),
        _ => "nginx".to_owned(),
    };
    let (status, body, ty, file, location) = match outcome {
        Outcome::File(status, path, text, mtime) => {
            let ty = content_type(merged, Some(&path))?;
            (status, text, ty, Some(mtime), None)
        }
        Outcome::Text(code, text) => (code, text, content_type(merged, None)?, None, None),
        Outcome::Redirect(code, url) => {
            (code, special_page(code, &signature), "text/html".to_owned(), None, Some(url))
        }
        Outcome::Special(code) => {
            if reason(code).is_empty() {
                return Err(format!("nginx's page for status {code}"));
            }
            (code, special_page(code, &signature), "text/html".to_owned(), None, None)
        }
    };
    let mtime = file.flatten();
    let complete = server.is_some() && file.is_none_or(|m| m.is_some());
    let mut headers = vec![
        ("Server".to_owned(), server.unwrap_or_else(|| "nginx".to_owned())),
        ("Date".to_owned(), super::servers::http_date(site.now)),
        ("Content-Type".to_owned(), ty),
        ("Content-Length".to_owned(), body.len().to_string()),
    ];
    if let Some(m) = mtime {
        headers.push(("Last-Modified".to_owned(), super::servers::http_date(m)));
    }
    headers.push(("Connection".to_owned(), "keep-alive".to_owned()));
    // An absolute URL stays in the header list (only a relative one is
    // written, made absolute, before `Connection`).
    if let Some(url) = location {
        headers.push(("Location".to_owned(), url));
    }
    if let Some(m) = mtime {
        headers.push(("ETag".to_owned(), format!("\"{:x}-{:x}\"", m.as_second(), body.len())));
    }
    // `ngx_http_headers_filter`: without `always`, only for these.
    let applies = matches!(status, 200 | 201 | 204 | 206 | 301 | 302 | 303 | 304 | 307 | 308);
    for (name, value, always) in merged.get(|s| s.add_header.as_ref()).into_iter().flatten() {
        if value.contains('$') {
            return Err(format!("the variables of nginx's add_header {name}"));
        }
        if (*always || applies) && !value.is_empty() {
            headers.push((name.clone(), value.clone()));
        }
    }
    if file.is_some() {
        headers.push(("Accept-Ranges".to_owned(), "bytes".to_owned()));
    }
    Ok(Response { status, reason: reason(status).to_owned(), headers, all_headers: complete, body })
}

/// nginx's own page for a status (`ngx_http_special_response.c`): title,
/// heading, and the signature. Two titles differ from the status line:
/// 302's page says `Found`, 401's `Authorization Required`.
fn special_page(status: u16, signature: &str) -> String {
    let title = match status {
        302 => "Found",
        401 => "Authorization Required",
        _ => reason(status),
    };
    let line = format!("{status} {title}");
    format!(
        "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n<hr><center>{signature}</center>\r\n</body>\r\n</html>\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::images::nginx::conf::{Loaded, load};

    fn site<'a>(fs: &'a Fs, port: u16) -> Site<'a> {
        Site {
            fs,
            release: Some((1, 25, 4)),
            signature_version: Some("1.25.4".to_owned()),
            hostname: "web-0",
            port,
            now: Timestamp::from_second(1_700_000_000).unwrap(),
        }
    }

    fn with_conf(conf: &str) -> (Fs, Config) {
        let mounted = [("/etc/nginx/conf.d/default.conf".to_owned(), conf.to_owned())].into();
        let fs = Fs::new("nginx:1.25.4", &mounted, &["/etc/nginx/conf.d".to_owned()], &Vec::new());
        let Loaded::Ok(c) = load(&fs) else { panic!("{:?}", load(&fs)) };
        (fs, *c)
    }

    fn get(path: &str) -> Request {
        Request { method: "GET".into(), path: path.into() }
    }

    fn header<'r>(r: &'r Response, name: &str) -> Option<&'r str> {
        r.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn return_texts_take_the_default_type_and_locations_choose_them() {
        let (fs, c) = with_conf(
            "server {\n listen 8080;\n location / { return 200 \"root\\n\"; }\n location = /health { default_type text/plain; return 200 'ok'; }\n location ^~ /static/ { alias /usr/share/nginx/html/; }\n location ~ \\.php$ { return 403; }\n}\n",
        );
        let s = site(&fs, 8080);
        let r = answer(&c, &s, &get("/anything")).unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "root\n"));
        // The image's nginx.conf sets `default_type application/octet-stream`.
        assert_eq!(header(&r, "Content-Type"), Some("application/octet-stream"));
        let r = answer(&c, &s, &get("/health")).unwrap();
        assert_eq!((r.body.as_str(), header(&r, "Content-Type")), ("ok", Some("text/plain")));
        let r = answer(&c, &s, &get("/x.php")).unwrap();
        assert_eq!(r.status, 403);
        assert!(r.body.contains("<center><h1>403 Forbidden</h1></center>"));
        let r = answer(&c, &s, &get("/static/50x.html")).unwrap();
        assert_eq!((r.status, header(&r, "Content-Type")), (200, Some("text/html")));
    }

    #[test]
    fn try_files_falls_back_and_error_pages_redirect() {
        let (mut fs, c) = with_conf(
            "server {\n listen 80;\n root /usr/share/nginx/html;\n error_page 404 /50x.html;\n location / { try_files $uri $uri/ /index.html; add_header X-Demo yes; }\n location /strict { try_files $uri =404; }\n}\n",
        );
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        fs.write("/usr/share/nginx/html/a.txt", "a\n", false, now).unwrap();
        let s = site(&fs, 80);
        let r = answer(&c, &s, &get("/a.txt")).unwrap();
        assert_eq!((r.status, r.body.as_str(), header(&r, "X-Demo")), (200, "a\n", Some("yes")));
        let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Server",
                "Date",
                "Content-Type",
                "Content-Length",
                "Last-Modified",
                "Connection",
                "ETag",
                "X-Demo",
                "Accept-Ranges"
            ]
        );
        let r = answer(&c, &s, &get("/no/such/page")).unwrap();
        assert_eq!((r.status, r.body.len()), (200, 615), "the fallback is the index page");
        let r = answer(&c, &s, &get("/strict/x")).unwrap();
        assert_eq!(r.status, 404);
        assert!(r.body.contains("<h1>An error occurred.</h1>"), "the error page's file");
    }

    #[test]
    fn what_is_not_modelled_is_named() {
        let (fs, c) = with_conf(
            "server {\n listen 80;\n location /api { proxy_pass http://backend:8080; }\n location / { return 301 /new; }\n}\n",
        );
        let s = site(&fs, 80);
        assert_eq!(answer(&c, &s, &get("/api/x")).unwrap_err(), "nginx's `proxy_pass` directive");
        assert!(answer(&c, &s, &get("/")).unwrap_err().contains("Host"));
        let (fs, c) = with_conf("server { listen 80; return 200 \"$remote_addr\"; }\n");
        assert_eq!(
            answer(&c, &site(&fs, 80), &get("/")).unwrap_err(),
            "nginx's variable $remote_addr"
        );
    }

    #[test]
    fn a_redirect_is_moved_temporarily_with_the_found_page() {
        // kazu-5/k8s_hands_on `3/README.md`: `curl -I` of nginx 1.17.4's
        // `return 302 https://google.com`.
        let (fs, c) = with_conf("server { listen 80; return 302 https://google.com; }\n");
        let mut s = site(&fs, 80);
        s.release = Some((1, 17, 4));
        s.signature_version = Some("1.17.4".to_owned());
        let r = answer(&c, &s, &get("/")).unwrap();
        let lines: Vec<String> = r.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!((r.status, r.reason.as_str()), (302, "Moved Temporarily"));
        assert_eq!(
            lines,
            [
                "Server: nginx/1.17.4",
                "Date: Tue, 14 Nov 2023 22:13:20 GMT",
                "Content-Type: text/html",
                "Content-Length: 145",
                "Connection: keep-alive",
                "Location: https://google.com"
            ]
        );
        assert!(r.all_headers);
    }

    #[test]
    fn server_tokens_off_hides_the_version() {
        let (fs, c) =
            with_conf("server_tokens off;\nserver { listen 80; location / { return 404; } }\n");
        let r = answer(&c, &site(&fs, 80), &get("/")).unwrap();
        assert_eq!(header(&r, "Server"), Some("nginx"));
        assert!(r.body.contains("<hr><center>nginx</center>"));
    }
}
