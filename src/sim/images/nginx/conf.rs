//! nginx's configuration as its master process reads it
//! (`src/core/ngx_conf_file.c`): `/etc/nginx/nginx.conf` and the files it
//! `include`s, read from the container's filesystem, checked directive by
//! directive in reading order (so the first error is nginx's first
//! error), and kept as the part of the HTTP configuration kubeplay models:
//! servers with their `listen` ports, `root`, `index`, `location` blocks
//! with `return`, `try_files`, `add_header`, `default_type`, `error_page`.
//!
//! A directive nginx has but kubeplay does not model (`proxy_pass`,
//! `rewrite`, `ssl_certificate`, ...) is kept by name in the scope it
//! appears in: a request answered there is unsupported, naming it
//! ([`Scope::unmodelled`]). Directives that do not change what a request
//! gets back (logging, timeouts, buffers, the `events` block) are only
//! checked. Blocks whose content is not directives (`map`, `geo`, ...)
//! make the check itself unknown ([`Loaded::Unknown`]).
//!
//! Checked as nginx checks them: tokens (`ngx_conf_read_token`), the
//! directive's name, context and number of arguments (`ngx_conf_handler`,
//! the table in [`super::directives`]), and the values of `listen`,
//! `return`, `server_tokens`/`autoindex` and the other on/off flags.
//! Other directives' values are taken as nginx would accept them.

use std::collections::BTreeMap;

use super::directives::DIRECTIVES;
use crate::sim::process::fs::{Fs, Node};

/// Context and argument-count bits of the directive table (nginx's
/// `NGX_*_CONF` and `NGX_CONF_TAKE*` flags, renamed).
pub mod ctx {
    /// The main (top-level) context.
    pub const MAIN: u32 = 1 << 0;
    /// Any context (`include`).
    pub const ANY: u32 = 1 << 1;
    /// `events { }`.
    pub const EVENT: u32 = 1 << 2;
    /// `http { }`.
    pub const HTTP: u32 = 1 << 3;
    /// `server { }` in http.
    pub const SRV: u32 = 1 << 4;
    /// `location { }`.
    pub const LOC: u32 = 1 << 5;
    /// `upstream { }`.
    pub const UPS: u32 = 1 << 6;
    /// `if { }` in a server.
    pub const SIF: u32 = 1 << 7;
    /// `if { }` in a location.
    pub const LIF: u32 = 1 << 8;
    /// `limit_except { }`.
    pub const LMT: u32 = 1 << 9;
    /// The mail and stream modules' contexts.
    pub const OTHER: u32 = 1 << 10;
    /// No arguments.
    pub const A0: u32 = 1 << 12;
    /// One argument.
    pub const A1: u32 = 1 << 13;
    /// Two.
    pub const A2: u32 = 1 << 14;
    /// Three.
    pub const A3: u32 = 1 << 15;
    /// Four.
    pub const A4: u32 = 1 << 16;
    /// Five.
    pub const A5: u32 = 1 << 17;
    /// Six.
    pub const A6: u32 = 1 << 18;
    /// Seven.
    pub const A7: u32 = 1 << 19;
    /// `on` or `off`.
    pub const FLAG: u32 = 1 << 20;
    /// One or more.
    pub const MORE1: u32 = 1 << 21;
    /// Two or more.
    pub const MORE2: u32 = 1 << 22;
    /// Takes a block.
    pub const BLOCK: u32 = 1 << 23;
    /// Any number.
    pub const ANYARGS: u32 = 1 << 24;
}
use ctx::*;

/// The configuration file nginx starts from (`--conf-path`).
pub const MAIN_FILE: &str = "/etc/nginx/nginx.conf";

/// The official image's `mime.types`, as far as kubeplay knows it:
/// extension → type. An extension not here may still be in the real file
/// ([`Types::of`]).
const MIME_TYPES: &[(&str, &str)] = &[
    ("html", "text/html"),
    ("htm", "text/html"),
    ("shtml", "text/html"),
    ("css", "text/css"),
    ("xml", "text/xml"),
    ("gif", "image/gif"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("js", "application/javascript"),
    ("txt", "text/plain"),
    ("png", "image/png"),
    ("svg", "image/svg+xml"),
    ("ico", "image/x-icon"),
    ("json", "application/json"),
    ("pdf", "application/pdf"),
    ("zip", "application/zip"),
];

/// Why the configuration does not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// It loads.
    Ok(Box<Config>),
    /// nginx refuses it: `[emerg] MESSAGE in FILE:LINE`.
    Emerg(Emerg),
    /// Whether it loads depends on something kubeplay does not model,
    /// named.
    Unknown(String),
}

/// An `[emerg]` error of the configuration check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emerg {
    /// The message without its place (`unknown directive "foo"`).
    pub message: String,
    /// The file and line it names, when it names one.
    pub place: Option<(String, usize)>,
}

impl Emerg {
    /// `MESSAGE in FILE:LINE`, as nginx logs it.
    pub fn text(&self) -> String {
        match &self.place {
            Some((file, line)) => format!("{} in {file}:{line}", self.message),
            None => self.message.clone(),
        }
    }
}

/// What kubeplay models of a loaded configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// The http block's servers, in order.
    pub servers: Vec<Server>,
    /// The http block's own settings (what its servers inherit).
    pub http: Scope,
    /// The main context's `error_log` lets notices through to the
    /// container's log (`/var/log/nginx/error.log`, a link to stderr in
    /// the image, at `notice` or a more verbose level).
    pub notices_logged: bool,
    /// `worker_processes`: `None` for `auto` (one per CPU).
    pub workers: Option<u32>,
    /// No http block at all.
    pub no_http: bool,
}

/// Where a request may be answered from: http, server or location.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// `root`.
    pub root: Option<String>,
    /// `alias` (locations only).
    pub alias: Option<String>,
    /// `index` names.
    pub index: Option<Vec<String>>,
    /// `return CODE [TEXT]` or `return URL`.
    pub ret: Option<Return>,
    /// `try_files` arguments.
    pub try_files: Option<Vec<String>>,
    /// `add_header NAME VALUE [always]`, in order.
    pub add_header: Option<Vec<(String, String, bool)>>,
    /// `default_type`.
    pub default_type: Option<String>,
    /// The `types` in force (mime.types, or a `types` block).
    pub types: Option<Types>,
    /// `error_page CODE... [=CODE] URI`: code → (answer code, URI).
    pub error_pages: Option<BTreeMap<u16, (Option<u16>, String)>>,
    /// `server_tokens`: the version in `Server:` and error pages.
    pub server_tokens: Option<bool>,
    /// `charset`: appended to text types' `Content-Type`.
    pub charset: Option<String>,
    /// Directives here kubeplay does not model, by name, in order.
    pub unmodelled: Vec<String>,
}

/// A `return`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    /// The status code (302 for `return URL`).
    pub code: u16,
    /// The text or URL, if given.
    pub text: Option<String>,
}

/// Which types a scope maps extensions to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Types {
    /// The image's `mime.types`, included.
    MimeTypes,
    /// A `types { }` block of the configuration.
    Block(BTreeMap<String, String>),
}

/// An extension the image's `mime.types` may map to a type kubeplay does
/// not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownType;

impl Types {
    /// The type of extension `ext`: `Ok(None)` when the table has none,
    /// `Err` when the real table may have one kubeplay does not know.
    pub fn of(&self, ext: &str) -> Result<Option<String>, UnknownType> {
        let ext = ext.to_ascii_lowercase();
        match self {
            Types::MimeTypes => match MIME_TYPES.iter().find(|(e, _)| *e == ext) {
                Some((_, t)) => Ok(Some((*t).to_owned())),
                None => Err(UnknownType),
            },
            Types::Block(map) => Ok(map.get(&ext).cloned()),
        }
    }
}

/// A `server { }` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Server {
    /// Its `listen` sockets.
    pub listen: Vec<Listen>,
    /// `server_name`s.
    pub names: Vec<String>,
    /// The server's own settings.
    pub scope: Scope,
    /// Its locations, in order.
    pub locations: Vec<Location>,
}

/// One `listen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    /// The address: `None` for every IPv4 address (`*`, `0.0.0.0`, or none
    /// given), `Some("[::]")` for IPv6, else the address as written.
    pub addr: Option<String>,
    /// The port.
    pub port: u16,
    /// `default_server`.
    pub default: bool,
    /// Parameters kubeplay does not model (`ssl`, `proxy_protocol`, ...).
    pub unmodelled: Vec<String>,
}

/// A `location [MODIFIER] URI { }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// `=`, `^~`, `~`, `~*`, `@` (named), or empty (prefix).
    pub modifier: String,
    /// The URI, regular expression or name.
    pub uri: String,
    /// Its settings.
    pub scope: Scope,
    /// It has locations inside it (not modelled).
    pub nested: bool,
}

/// The default port of a server without `listen`: 80 for a master
/// running as root, as the image's does (`ngx_http_core_merge_srv_conf`).
const DEFAULT_PORT: u16 = 80;

/// Reads the configuration from `fs`, as nginx does at start, on
/// `nginx -t` and on reload.
pub fn load(fs: &Fs) -> Loaded {
    let mut reader = Reader { fs, config: Config::default(), stack: Vec::new(), saw_http: false };
    match reader.file(MAIN_FILE, None) {
        Ok(()) => {
            reader.config.no_http = !reader.saw_http;
            match finish(&mut reader.config) {
                Ok(()) => Loaded::Ok(Box::new(reader.config)),
                Err(e) => Loaded::Emerg(e),
            }
        }
        Err(Fail::Emerg(e)) => Loaded::Emerg(e),
        Err(Fail::Unknown(what)) => Loaded::Unknown(what),
    }
}

/// The checks nginx makes once everything is read
/// (`ngx_http_optimize_servers`): two default servers on one address.
fn finish(config: &mut Config) -> Result<(), Emerg> {
    let mut defaults: BTreeMap<(Option<String>, u16), ()> = BTreeMap::new();
    for server in &config.servers {
        for l in server.listen.iter().filter(|l| l.default) {
            if defaults.insert((l.addr.clone(), l.port), ()).is_some() {
                let addr = l.addr.clone().unwrap_or_else(|| "0.0.0.0".to_owned());
                return Err(Emerg {
                    message: format!("a duplicate default server for {addr}:{}", l.port),
                    place: None,
                });
            }
        }
    }
    Ok(())
}

/// Why reading stopped.
enum Fail {
    Emerg(Emerg),
    Unknown(String),
}

/// A token of `ngx_conf_read_token`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// `;`
    Semicolon,
    /// `{`
    Open,
    /// `}`
    Close,
    /// End of file.
    Eof,
}

/// One file being read.
struct Cursor<'t> {
    text: &'t [u8],
    pos: usize,
    line: usize,
    file: String,
}

impl Cursor<'_> {
    fn emerg(&self, message: impl Into<String>) -> Fail {
        Fail::Emerg(Emerg { message: message.into(), place: Some((self.file.clone(), self.line)) })
    }

    /// The next directive's words and what ended it
    /// (`ngx_conf_read_token`).
    fn directive(&mut self) -> Result<(Vec<String>, End), Fail> {
        let mut words: Vec<String> = Vec::new();
        let mut last_space = true;
        loop {
            let Some(&ch) = self.text.get(self.pos) else {
                if !words.is_empty() || !last_space {
                    return Err(self.emerg("unexpected end of file, expecting \";\" or \"}\""));
                }
                return Ok((words, End::Eof));
            };
            self.pos += 1;
            if ch == b'\n' {
                self.line += 1;
            }
            match ch {
                b' ' | b'\t' | b'\r' | b'\n' => last_space = true,
                b';' | b'{' | b'}' if last_space => {
                    if words.is_empty() && ch != b'}' {
                        return Err(self.emerg(format!("unexpected \"{}\"", ch as char)));
                    }
                    let end = match ch {
                        b';' => End::Semicolon,
                        b'{' => End::Open,
                        _ => {
                            if !words.is_empty() {
                                return Err(self.emerg("unexpected \"}\""));
                            }
                            End::Close
                        }
                    };
                    return Ok((words, end));
                }
                b'#' if last_space => {
                    while let Some(&c) = self.text.get(self.pos) {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'"' | b'\'' if last_space => {
                    let word = self.quoted(ch)?;
                    words.push(word);
                    // After a quoted word comes a space, `;` or `{`.
                    match self.text.get(self.pos) {
                        Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{') | None => {}
                        Some(&c) => {
                            return Err(self.emerg(format!("unexpected \"{}\"", c as char)));
                        }
                    }
                    last_space = true;
                }
                _ if last_space => {
                    let start = self.pos - 1;
                    while let Some(&c) = self.text.get(self.pos) {
                        if matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{') {
                            break;
                        }
                        // `}` ends a word only after a space (`${var}` is a
                        // variable); a bare `}` inside a word is part of it.
                        self.pos += 1;
                    }
                    let word = String::from_utf8_lossy(&self.text[start..self.pos]).into_owned();
                    words.push(word);
                    last_space = false;
                    // `;` or `{` right after a word ends the directive.
                    if let Some(&c @ (b';' | b'{')) = self.text.get(self.pos) {
                        self.pos += 1;
                        return Ok((words, if c == b';' { End::Semicolon } else { End::Open }));
                    }
                }
                _ => {}
            }
        }
    }

    /// A quoted word, with nginx's escapes (`\"`, `\'`, `\\`, `\t`, `\r`,
    /// `\n`; any other backslash stays).
    fn quoted(&mut self, quote: u8) -> Result<String, Fail> {
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.text.get(self.pos) else {
                return Err(self.emerg("unexpected end of file, expecting \";\" or \"}\""));
            };
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
            }
            if c == quote {
                return Ok(String::from_utf8_lossy(&out).into_owned());
            }
            if c == b'\\' {
                match self.text.get(self.pos) {
                    Some(&e @ (b'"' | b'\'' | b'\\')) => {
                        out.push(e);
                        self.pos += 1;
                    }
                    Some(b't') => {
                        out.push(b'\t');
                        self.pos += 1;
                    }
                    Some(b'r') => {
                        out.push(b'\r');
                        self.pos += 1;
                    }
                    Some(b'n') => {
                        out.push(b'\n');
                        self.pos += 1;
                    }
                    _ => out.push(b'\\'),
                }
                continue;
            }
            out.push(c);
        }
    }
}

/// Where the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Main,
    Events,
    Http,
    Server,
    Location,
    /// `if`, `limit_except`, `upstream`: checked, not modelled.
    Checked(u32),
    /// `types { }`: extension lists, not directives.
    Types,
}

impl Context {
    fn bit(self) -> u32 {
        match self {
            Context::Main => MAIN,
            Context::Events => EVENT,
            Context::Http => HTTP,
            Context::Server => SRV,
            Context::Location => LOC,
            Context::Checked(bit) => bit,
            Context::Types => 0,
        }
    }
}

/// Directives that change nothing kubeplay models of a reply (logging,
/// connection handling, buffers and timeouts, process settings), and
/// definitions that act only where something else uses them.
const INERT: &[&str] = &[
    "user",
    "worker_processes",
    "worker_rlimit_nofile",
    "worker_cpu_affinity",
    "worker_priority",
    "worker_shutdown_timeout",
    "pid",
    "daemon",
    "master_process",
    "env",
    "pcre_jit",
    "thread_pool",
    "load_module",
    "error_log",
    "access_log",
    "log_format",
    "log_not_found",
    "log_subrequest",
    "open_log_file_cache",
    "sendfile",
    "sendfile_max_chunk",
    "tcp_nopush",
    "tcp_nodelay",
    "keepalive_timeout",
    "keepalive_requests",
    "keepalive_time",
    "keepalive_disable",
    "send_timeout",
    "client_body_timeout",
    "client_header_timeout",
    "client_max_body_size",
    "client_body_buffer_size",
    "client_header_buffer_size",
    "large_client_header_buffers",
    "client_body_temp_path",
    "proxy_temp_path",
    "fastcgi_temp_path",
    "uwsgi_temp_path",
    "scgi_temp_path",
    "server_names_hash_bucket_size",
    "server_names_hash_max_size",
    "types_hash_max_size",
    "types_hash_bucket_size",
    "variables_hash_max_size",
    "variables_hash_bucket_size",
    "map_hash_max_size",
    "map_hash_bucket_size",
    "reset_timedout_connection",
    "lingering_close",
    "lingering_time",
    "lingering_timeout",
    "output_buffers",
    "postpone_output",
    "open_file_cache",
    "open_file_cache_valid",
    "open_file_cache_min_uses",
    "open_file_cache_errors",
    "directio",
    "aio",
    "resolver",
    "resolver_timeout",
    "upstream",
    "limit_req_zone",
    "limit_conn_zone",
    "proxy_cache_path",
    "fastcgi_cache_path",
    // Compression applies only to clients that ask for it
    // (`Accept-Encoding`), which the modelled clients do not.
    "gzip",
    "gzip_vary",
    "gzip_proxied",
    "gzip_comp_level",
    "gzip_buffers",
    "gzip_http_version",
    "gzip_min_length",
    "gzip_types",
    "gzip_disable",
    "gzip_static",
];

/// Reads configuration files into a [`Config`].
struct Reader<'f> {
    fs: &'f Fs,
    config: Config,
    /// The scopes being filled: the server and location indices.
    stack: Vec<Context>,
    saw_http: bool,
}

impl Reader<'_> {
    /// Reads `path` as an included (or the main) file, in the context on
    /// top of the stack. `from` is the place of the `include`.
    fn file(&mut self, path: &str, from: Option<(&str, usize)>) -> Result<(), Fail> {
        let text = match self.fs.node(path) {
            Node::File(text, _) => text,
            Node::Missing | Node::Dir { .. } => {
                let errno = if matches!(self.fs.node(path), Node::Dir { .. }) {
                    // Reading a directory fails at read(), not open().
                    return Err(Fail::Unknown(format!("nginx reading directory {path} as a file")));
                } else {
                    "2: No such file or directory"
                };
                return Err(Fail::Emerg(Emerg {
                    message: format!("open() \"{path}\" failed ({errno})"),
                    place: from.map(|(f, l)| (f.to_owned(), l)),
                }));
            }
            Node::Unknown => {
                return Err(Fail::Unknown(format!("nginx configuration file {path}")));
            }
        };
        let mut cursor = Cursor { text: text.as_bytes(), pos: 0, line: 1, file: path.to_owned() };
        // An included file is read as a file: its end is no error, a `}`
        // closing the block it was included in is (`ngx_conf_parse`).
        self.block(&mut cursor, true)
    }

    fn context(&self) -> Context {
        self.stack.last().copied().unwrap_or(Context::Main)
    }

    /// Reads directives until the block (or, at `file_level`, the file)
    /// ends.
    fn block(&mut self, cur: &mut Cursor<'_>, file_level: bool) -> Result<(), Fail> {
        loop {
            let (words, end) = cur.directive()?;
            match end {
                End::Eof => {
                    if !file_level {
                        return Err(cur.emerg("unexpected end of file, expecting \"}\""));
                    }
                    return Ok(());
                }
                End::Close => {
                    if file_level {
                        return Err(cur.emerg("unexpected \"}\""));
                    }
                    return Ok(());
                }
                End::Semicolon | End::Open => {}
            }
            if self.context() == Context::Types {
                if end == End::Open {
                    return Err(cur.emerg("unexpected \"{\""));
                }
                self.types_entry(&words);
                continue;
            }
            self.directive(cur, words, end)?;
        }
    }

    /// One directive (`ngx_conf_handler`): known name, allowed here, right
    /// number of arguments; then its own handling.
    fn directive(
        &mut self,
        cur: &mut Cursor<'_>,
        words: Vec<String>,
        end: End,
    ) -> Result<(), Fail> {
        let name = words[0].clone();
        let args = &words[1..];
        let here = self.context();
        let rows: Vec<u32> =
            DIRECTIVES.iter().filter(|(n, _)| *n == name).map(|(_, b)| *b).collect();
        if rows.is_empty() {
            return Err(cur.emerg(format!("unknown directive \"{name}\"")));
        }
        let Some(&bits) = rows.iter().find(|b| **b & (here.bit() | ANY) != 0) else {
            return Err(cur.emerg(format!("\"{name}\" directive is not allowed here")));
        };
        if bits & BLOCK == 0 && end != End::Semicolon {
            return Err(cur.emerg(format!("directive \"{name}\" is not terminated by \";\"")));
        }
        if bits & BLOCK != 0 && end != End::Open {
            return Err(cur.emerg(format!("directive \"{name}\" has no opening \"{{\"")));
        }
        let n = args.len();
        let fits = if bits & ANYARGS != 0 {
            true
        } else if bits & FLAG != 0 {
            n == 1
        } else if bits & MORE1 != 0 {
            n >= 1
        } else if bits & MORE2 != 0 {
            n >= 2
        } else {
            let take = [A0, A1, A2, A3, A4, A5, A6, A7];
            take.get(n).is_some_and(|t| bits & t != 0)
        };
        if !fits {
            return Err(cur.emerg(format!("invalid number of arguments in \"{name}\" directive")));
        }
        if bits & FLAG != 0 && args[0] != "on" && args[0] != "off" {
            return Err(cur.emerg(format!(
                "invalid value \"{}\" in \"{name}\" directive, it must be \"on\" or \"off\"",
                args[0]
            )));
        }
        match name.as_str() {
            "include" => return self.include(cur, &args[0]),
            "events" => return self.enter(cur, Context::Events),
            "http" => {
                if self.saw_http {
                    return Err(cur.emerg("\"http\" directive is duplicate"));
                }
                self.saw_http = true;
                return self.enter(cur, Context::Http);
            }
            "server" if here == Context::Http => {
                self.config.servers.push(Server::default());
                return self.enter(cur, Context::Server);
            }
            "location" => return self.location(cur, args),
            "types" => {
                *self.scope().map(|s| &mut s.types).unwrap_or(&mut None) =
                    Some(Types::Block(BTreeMap::new()));
                return self.enter(cur, Context::Types);
            }
            "mail" | "stream" => {
                return Err(Fail::Unknown(format!("nginx's {name} block")));
            }
            "map" | "geo" | "split_clients" | "charset_map" | "match" => {
                return Err(Fail::Unknown(format!("the content of nginx's {name} block")));
            }
            _ => {}
        }
        if bits & BLOCK != 0 {
            // `if`, `limit_except`, `upstream`: their content is checked in
            // their own context; what they do is not modelled.
            let inner = match name.as_str() {
                "if" if here == Context::Server => SIF,
                "if" => LIF,
                "limit_except" => LMT,
                "upstream" => UPS,
                _ => return Err(Fail::Unknown(format!("the content of nginx's {name} block"))),
            };
            if name != "upstream" {
                self.unmodelled(&name);
            }
            return self.enter(cur, Context::Checked(inner));
        }
        match here {
            Context::Main => self.main(&name, args),
            Context::Http | Context::Server | Context::Location => {
                self.http_directive(cur, &name, args)?
            }
            Context::Events | Context::Checked(_) | Context::Types => {}
        }
        Ok(())
    }

    /// Enters a block and reads it.
    fn enter(&mut self, cur: &mut Cursor<'_>, context: Context) -> Result<(), Fail> {
        self.stack.push(context);
        let result = self.block(cur, false);
        self.stack.pop();
        result
    }

    /// `include PATH`: relative to the prefix `/etc/nginx`; a mask is
    /// expanded in sorted order and may match nothing.
    fn include(&mut self, cur: &mut Cursor<'_>, path: &str) -> Result<(), Fail> {
        let path =
            if path.starts_with('/') { path.to_owned() } else { format!("/etc/nginx/{path}") };
        let from = (cur.file.clone(), cur.line);
        if path == "/etc/nginx/mime.types" && matches!(self.fs.node(&path), Node::Unknown) {
            // The image's own table, which kubeplay knows in part.
            if let Some(scope) = self.scope() {
                scope.types = Some(Types::MimeTypes);
            }
            return Ok(());
        }
        if !path.contains(['*', '?', '[']) {
            return self.file(&path, Some((&from.0, from.1)));
        }
        let dir = crate::sim::process::fs::parent(&path);
        let mask = crate::sim::process::fs::base(&path);
        if dir.contains(['*', '?', '[']) {
            return Err(Fail::Unknown(format!("nginx include mask {path}")));
        }
        let names = match self.fs.node(dir) {
            Node::Missing => Vec::new(),
            _ => match self.fs.list(dir) {
                Some(names) => names,
                None => return Err(Fail::Unknown(format!("the files in {dir}"))),
            },
        };
        for name in names.into_iter().filter(|n| glob(mask, n)) {
            let file = format!("{dir}/{name}");
            if matches!(self.fs.node(&file), Node::File(..)) {
                self.file(&file, Some((&from.0, from.1)))?;
            }
        }
        Ok(())
    }

    /// `location [=|~|~*|^~] URI { }` or `location @NAME { }`.
    fn location(&mut self, cur: &mut Cursor<'_>, args: &[String]) -> Result<(), Fail> {
        let (modifier, uri) = match args {
            [uri] => match uri.strip_prefix('=') {
                Some(rest) if !rest.is_empty() => ("=".to_owned(), rest.to_owned()),
                _ if uri.starts_with('@') => ("@".to_owned(), uri.clone()),
                _ => (String::new(), uri.clone()),
            },
            [m, uri] => {
                if !matches!(m.as_str(), "=" | "~" | "~*" | "^~") {
                    return Err(cur.emerg(format!("invalid location modifier \"{m}\"")));
                }
                (m.clone(), uri.clone())
            }
            _ => unreachable!("TAKE12"),
        };
        if self.context() == Context::Location {
            if let Some(server) = self.config.servers.last_mut()
                && let Some(outer) = server.locations.last_mut()
            {
                outer.nested = true;
            }
            // Read and check it, without modelling it.
            self.stack.push(Context::Checked(LOC));
            let r = self.block(cur, false);
            self.stack.pop();
            return r;
        }
        let Some(server) = self.config.servers.last_mut() else {
            return Err(Fail::Unknown("a location outside a server".to_owned()));
        };
        let duplicate = server.locations.iter().any(|l| {
            l.uri == uri
                && (l.modifier == "=") == (modifier == "=")
                && modifier != "~"
                && modifier != "~*"
        });
        if duplicate {
            return Err(cur.emerg(format!("duplicate location \"{uri}\"")));
        }
        server.locations.push(Location { modifier, uri, ..Location::default() });
        self.enter(cur, Context::Location)
    }

    /// The scope being filled: the last location, server, or http.
    fn scope(&mut self) -> Option<&mut Scope> {
        match self.stack.iter().rev().find(|c| !matches!(c, Context::Types)) {
            Some(Context::Http) => Some(&mut self.config.http),
            Some(Context::Server) => self.config.servers.last_mut().map(|s| &mut s.scope),
            Some(Context::Location) => self
                .config
                .servers
                .last_mut()
                .and_then(|s| s.locations.last_mut())
                .map(|l| &mut l.scope),
            _ => None,
        }
    }

    /// Marks directive `name` as acting here without kubeplay modelling it.
    fn unmodelled(&mut self, name: &str) {
        if let Some(scope) = self.scope() {
            scope.unmodelled.push(name.to_owned());
        }
    }

    /// A `types` block entry: `TYPE EXT...;`.
    fn types_entry(&mut self, words: &[String]) {
        let Some((ty, exts)) = words.split_first() else { return };
        if let Some(Types::Block(map)) = self.scope().and_then(|s| s.types.as_mut()) {
            for ext in exts {
                map.insert(ext.to_ascii_lowercase(), ty.clone());
            }
        }
    }

    /// Main-context directives kubeplay reads: `error_log`,
    /// `worker_processes`.
    fn main(&mut self, name: &str, args: &[String]) {
        match name {
            "error_log" => {
                // `error_log FILE [LEVEL]`: the default level is `error`.
                let file = args[0].as_str();
                let level = args.get(1).map_or("error", String::as_str);
                let to_log = matches!(file, "/var/log/nginx/error.log" | "stderr" | "/dev/stderr");
                self.config.notices_logged = to_log && matches!(level, "notice" | "info" | "debug");
            }
            "worker_processes" => {
                self.config.workers = args[0].parse().ok();
            }
            _ => {}
        }
    }

    /// The http-family directives kubeplay models.
    fn http_directive(
        &mut self,
        cur: &Cursor<'_>,
        name: &str,
        args: &[String],
    ) -> Result<(), Fail> {
        let here = self.context();
        match name {
            "listen" => {
                let listen = parse_listen(args).map_err(|m| cur.emerg(m))?;
                if let Some(server) = self.config.servers.last_mut() {
                    server.listen.push(listen);
                }
            }
            "server_name" => {
                if let Some(server) = self.config.servers.last_mut() {
                    server.names.extend(args.iter().cloned());
                }
            }
            "return" => {
                let ret = parse_return(args).map_err(|m| cur.emerg(m))?;
                let scope = self.scope().expect("http context");
                // The first `return` of a scope ends its rewrite phase.
                if scope.ret.is_none() {
                    scope.ret = Some(ret);
                }
            }
            "server_tokens" => {
                let on = match args[0].as_str() {
                    "on" => true,
                    "off" => false,
                    "build" => return Err(Fail::Unknown("server_tokens build".to_owned())),
                    other => {
                        return Err(cur.emerg(format!(
                            "invalid value \"{other}\" in \"server_tokens\" directive, it must \
                             be \"on\", \"off\" or \"build\""
                        )));
                    }
                };
                self.scope().expect("http context").server_tokens = Some(on);
            }
            "autoindex" if args[0] == "off" => {}
            "alias" if here == Context::Location => {
                self.scope().expect("location").alias = Some(args[0].clone());
            }
            "root" | "default_type" | "charset" => {
                let scope = self.scope().expect("http context");
                let slot = match name {
                    "root" => &mut scope.root,
                    "default_type" => &mut scope.default_type,
                    _ => &mut scope.charset,
                };
                if slot.is_some() && name == "root" {
                    return Err(cur.emerg(format!("\"{name}\" directive is duplicate")));
                }
                *slot = Some(args[0].clone());
            }
            "index" => {
                self.scope()
                    .expect("http context")
                    .index
                    .get_or_insert_with(Vec::new)
                    .extend(args.iter().cloned());
            }
            "try_files" => {
                let scope = self.scope().expect("http context");
                if scope.try_files.is_some() {
                    return Err(cur.emerg("\"try_files\" directive is duplicate"));
                }
                scope.try_files = Some(args.to_vec());
            }
            "add_header" => {
                let always = match args.get(2).map(String::as_str) {
                    None => false,
                    Some("always") => true,
                    Some(other) => {
                        return Err(cur.emerg(format!("invalid parameter \"{other}\"")));
                    }
                };
                self.scope().expect("http context").add_header.get_or_insert_with(Vec::new).push((
                    args[0].clone(),
                    args[1].clone(),
                    always,
                ));
            }
            "error_page" => {
                let (uri, codes) = args.split_last().expect("2MORE");
                let (answer, codes) = match codes.last().and_then(|c| c.strip_prefix('=')) {
                    Some(code) => (Some(code), &codes[..codes.len() - 1]),
                    None => (None, codes),
                };
                let answer = match answer {
                    Some(c) => match c.parse::<u16>() {
                        Ok(c) => Some(c),
                        Err(_) => return Err(Fail::Unknown(format!("error_page ={c}"))),
                    },
                    None => None,
                };
                let mut parsed = Vec::new();
                for code in codes {
                    match code.parse::<u16>() {
                        Ok(c) if (300..=599).contains(&c) && c != 499 => parsed.push(c),
                        Ok(_) => {
                            return Err(
                                cur.emerg(format!("value \"{code}\" must be between 300 and 599"))
                            );
                        }
                        Err(_) => return Err(cur.emerg(format!("invalid value \"{code}\""))),
                    }
                }
                let map = self
                    .scope()
                    .expect("http context")
                    .error_pages
                    .get_or_insert_with(BTreeMap::new);
                for c in parsed {
                    map.insert(c, (answer, uri.clone()));
                }
            }
            _ if INERT.contains(&name) => {}
            _ => self.unmodelled(name),
        }
        Ok(())
    }
}

/// `listen ADDRESS[:PORT] [PARAMETERS]` (`ngx_http_core_listen`): the
/// address part, then `default_server` and the parameters nginx accepts.
fn parse_listen(args: &[String]) -> Result<Listen, String> {
    let spec = &args[0];
    let (addr, port) = if let Some(rest) = spec.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("invalid host in \"{spec}\" of the \"listen\" directive"))?;
        let port = after.strip_prefix(':').unwrap_or("80");
        (Some(format!("[{host}]")), port)
    } else if spec.starts_with("unix:") {
        return Ok(Listen {
            addr: Some(spec.clone()),
            port: 0,
            default: false,
            unmodelled: vec!["a unix socket listen".to_owned()],
        });
    } else if let Some((host, port)) = spec.rsplit_once(':') {
        (Some(host.to_owned()), port)
    } else if spec.bytes().all(|b| b.is_ascii_digit()) {
        (None, spec.as_str())
    } else {
        (Some(spec.clone()), "80")
    };
    let port: u16 = match port.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => p as u16,
        _ => return Err(format!("invalid port in \"{spec}\" of the \"listen\" directive")),
    };
    let addr = match addr.as_deref() {
        None | Some("*") | Some("0.0.0.0") => None,
        Some(a) => Some(a.to_owned()),
    };
    let mut listen = Listen { addr, port, default: false, unmodelled: Vec::new() };
    if listen.addr.as_deref().is_some_and(|a| a != "[::]") {
        listen
            .unmodelled
            .push(format!("a listen on address {}", listen.addr.clone().unwrap_or_default()));
    }
    for p in &args[1..] {
        let key = p.split('=').next().unwrap_or(p);
        match key {
            "default_server" | "default" => listen.default = true,
            "http2" | "reuseport" | "deferred" | "bind" | "backlog" | "rcvbuf" | "sndbuf"
            | "so_keepalive" | "fastopen" | "ipv6only" => {}
            "ssl" | "quic" | "proxy_protocol" | "accept_filter" | "setfib" => {
                listen.unmodelled.push(format!("listen ... {key}"));
            }
            _ => return Err(format!("invalid parameter \"{p}\"")),
        }
    }
    Ok(listen)
}

/// `return CODE [TEXT]` or `return URL` (`ngx_http_rewrite_return`).
fn parse_return(args: &[String]) -> Result<Return, String> {
    let first = &args[0];
    match first.parse::<u16>() {
        Ok(code) if code <= 999 => Ok(Return { code, text: args.get(1).cloned() }),
        Ok(_) => Err(format!("invalid return code \"{first}\"")),
        Err(_)
            if args.len() == 1
                && (first.starts_with("http://")
                    || first.starts_with("https://")
                    || first.starts_with("$scheme")) =>
        {
            Ok(Return { code: 302, text: Some(first.clone()) })
        }
        Err(_) => Err(format!("invalid return code \"{first}\"")),
    }
}

/// The shell-style mask of `include` (`ngx_open_glob`: glob(3)).
fn glob(mask: &str, name: &str) -> bool {
    if name.starts_with('.') && !mask.starts_with('.') {
        return false;
    }
    let pattern = regex::escape(mask).replace("\\*", ".*").replace("\\?", ".");
    regex::Regex::new(&format!("^{pattern}$")).is_ok_and(|r| r.is_match(name))
}

impl Config {
    /// The IPv4 ports nginx accepts connections on: those of `listen`s on
    /// every address (a server without `listen` takes port 80). An IPv6
    /// listen (`[::]:80`, IPv6-only) takes no IPv4 connection.
    pub fn ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self
            .servers
            .iter()
            .flat_map(|s| {
                if s.listen.is_empty() {
                    vec![DEFAULT_PORT]
                } else {
                    s.listen
                        .iter()
                        .filter(|l| l.addr.as_deref() != Some("[::]"))
                        .map(|l| l.port)
                        .collect()
                }
            })
            .collect();
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    /// The servers listening on IPv4 `port`, default server first.
    pub fn servers_on(&self, port: u16) -> Vec<&Server> {
        let on = |s: &Server| {
            if s.listen.is_empty() {
                port == DEFAULT_PORT
            } else {
                s.listen.iter().any(|l| l.port == port && l.addr.as_deref() != Some("[::]"))
            }
        };
        let mut servers: Vec<&Server> = self.servers.iter().filter(|s| on(s)).collect();
        if let Some(i) =
            servers.iter().position(|s| s.listen.iter().any(|l| l.port == port && l.default))
        {
            let d = servers.remove(i);
            servers.insert(0, d);
        }
        servers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs_with(files: &[(&str, &str)], mounts: &[&str]) -> Fs {
        let mounted = files.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect();
        let mounts: Vec<String> = mounts.iter().map(|m| (*m).to_owned()).collect();
        Fs::new("nginx:1.25.4", &mounted, &mounts, &Vec::new())
    }

    fn emerg(loaded: Loaded) -> String {
        match loaded {
            Loaded::Emerg(e) => e.text(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_image_s_own_configuration_listens_on_80_and_serves_its_root() {
        let Loaded::Ok(c) = load(&fs_with(&[], &[])) else { panic!() };
        assert_eq!(c.ports(), [80]);
        assert!(c.notices_logged);
        assert_eq!(c.workers, None);
        let server = &c.servers[0];
        assert_eq!(server.names, ["localhost"]);
        assert_eq!(server.locations[0].scope.root.as_deref(), Some("/usr/share/nginx/html"));
        assert_eq!(server.locations[1].modifier, "=");
        assert_eq!(c.http.types, Some(Types::MimeTypes));
        assert_eq!(c.http.default_type.as_deref(), Some("application/octet-stream"));
    }

    #[test]
    fn a_mounted_default_conf_moves_the_port_and_keeps_its_returns() {
        let conf = "server {\n    listen 8080;\n    location / {\n        return 200 \"hello\\n\";\n    }\n}\n";
        let Loaded::Ok(c) =
            load(&fs_with(&[("/etc/nginx/conf.d/default.conf", conf)], &["/etc/nginx/conf.d"]))
        else {
            panic!()
        };
        assert_eq!(c.ports(), [8080]);
        let ret = c.servers[0].locations[0].scope.ret.clone().unwrap();
        assert_eq!((ret.code, ret.text.as_deref()), (200, Some("hello\n")));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let at = |conf: &str| {
            emerg(load(&fs_with(
                &[("/etc/nginx/conf.d/default.conf", conf)],
                &["/etc/nginx/conf.d"],
            )))
        };
        assert_eq!(
            at("server {\n  listen 80;\n  foo bar;\n}\n"),
            "unknown directive \"foo\" in /etc/nginx/conf.d/default.conf:3"
        );
        assert_eq!(
            at("server {\n  listen 80\n  root /x;\n}\n"),
            "invalid parameter \"root\" in /etc/nginx/conf.d/default.conf:3"
        );
        assert_eq!(
            at("server {\n  listen 80;\n"),
            "unexpected end of file, expecting \"}\" in /etc/nginx/conf.d/default.conf:3"
        );
        assert_eq!(
            at("listen 80;\n"),
            "\"listen\" directive is not allowed here in /etc/nginx/conf.d/default.conf:1"
        );
        assert_eq!(
            at("server {\n  index;\n}\n"),
            "invalid number of arguments in \"index\" directive in /etc/nginx/conf.d/default.conf:2"
        );
        assert_eq!(
            at("server {\n  sendfile yes;\n}\n"),
            "invalid value \"yes\" in \"sendfile\" directive, it must be \"on\" or \"off\" in /etc/nginx/conf.d/default.conf:2"
        );
        assert_eq!(
            at("server {\n location / {}\n location / {}\n}\n"),
            "duplicate location \"/\" in /etc/nginx/conf.d/default.conf:3"
        );
        assert_eq!(at("server {\n}\n}\n"), "unexpected \"}\" in /etc/nginx/conf.d/default.conf:3");
    }

    #[test]
    fn unmodelled_directives_are_kept_by_name_where_they_act() {
        let conf = "upstream app { server 10.0.0.1:8080; }\nserver {\n  location /api { proxy_pass http://app; }\n  location / { }\n}\n";
        let Loaded::Ok(c) =
            load(&fs_with(&[("/etc/nginx/conf.d/default.conf", conf)], &["/etc/nginx/conf.d"]))
        else {
            panic!()
        };
        assert_eq!(c.servers[0].locations[0].scope.unmodelled, ["proxy_pass"]);
        assert!(c.servers[0].locations[1].scope.unmodelled.is_empty());
        assert!(c.http.unmodelled.is_empty(), "an upstream acts only where it is used");
    }

    #[test]
    fn a_replaced_nginx_conf_decides_the_log_level_and_workers() {
        let conf = "user nginx;\nworker_processes 1;\nerror_log stderr;\nevents { worker_connections 1024; }\nhttp { server { listen 40000; } }\n";
        let Loaded::Ok(c) = load(&fs_with(&[(MAIN_FILE, conf)], &[])) else { panic!() };
        assert_eq!((c.ports(), c.workers, c.notices_logged), (vec![40000], Some(1), false));
        assert_eq!(c.http.types, None);
    }

    #[test]
    fn an_ipv6_only_listen_takes_no_ipv4_connection() {
        let conf = "server { listen [::]:8080; listen 81 default_server; }\n";
        let Loaded::Ok(c) =
            load(&fs_with(&[("/etc/nginx/conf.d/default.conf", conf)], &["/etc/nginx/conf.d"]))
        else {
            panic!()
        };
        assert_eq!(c.ports(), [81]);
    }
}
