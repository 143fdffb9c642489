//! How container images behave (DESIGN §2 `images:`): one table of the
//! common images' behaviour, overridable per scenario by front matter.
//!
//! An image reference is normalised first: `docker.io/library/nginx:1.25`,
//! `library/nginx:1.25` and `nginx:1.25` are the same image; no tag means
//! `latest`. A scenario's `images:` entry applies when its key is the
//! reference as written, or its normalised `name:tag`, or the name without
//! a tag (`nginx` covers every nginx tag); the first of these found wins.
//! Its fields override the built-in entry field by field.
//!
//! Built-in entries (looked up by the last path component of the name, so
//! a mirror such as `registry.example.com/lib/nginx` behaves like nginx):
//! - `nginx`, `httpd`: serve on port 80 until stopped, after printing their
//!   start-up lines ([`startup`]); `http-echo` serves on 5678;
//! - `busybox`, `alpine`, `ubuntu`, `debian`, `centos`, ...: no entrypoint,
//!   `sh` as the command, so `args` are the command ([`shell_dialect`]);
//! - `perl`: runs what it is given; `perl -Mbignum=bpi -wle 'print
//!   bpi(N)'` prints π to N digits ([`pi`]).
//!
//! Which tags exist: for nginx, httpd, busybox and perl a version tag
//! (`1.25.4`, `1.21`, `2.4-alpine`) exists when its version was released
//! (the table's last patch per minor; the newest minor is not bounded
//! above), and a named tag when it is one the image publishes (`latest`,
//! `stable`, `alpine`, ...); anything after the first `-` (a variant) is
//! not checked. Only the official images are checked (`nginx`, not
//! `bitnami/nginx` or a mirror). Every other image — anything the table
//! does not know — pulls, unless its `images:` entry says `pull: fail` (the
//! tag does not exist) or `pull: denied` (the repository does not exist or
//! is private). So scenarios naming their own application images keep
//! working, and `nginx:1.161` (the Deployment tutorial's typo) fails as on
//! Docker Hub. `preloaded: true` puts an image on every node from the start
//! (built there; `imagePullPolicy: Never` needs it).
//!
//! Other parts of the simulator ask [`behaviour`] (or [`ports`] for the
//! ports an image answers HTTP on); the kubelet asks [`program`] what a
//! container runs and [`pull_duration`] / [`pull_error`] about pulls.

pub mod files;
pub mod http;
pub mod nginx;
pub mod pi;
pub mod startup;
pub mod stress;

use std::{collections::BTreeMap, time::Duration};

use k8s_openapi::{
    api::core::v1::{Container, Node, Pod},
    jiff::Timestamp,
};

use super::{
    config::ClusterConfig,
    flavor::Flavor,
    podutil,
    process::{self, Dialect, Program, userland},
    rng,
    store::Store,
};

/// What pulling a reference gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pull {
    /// The image is pulled.
    #[default]
    Ok,
    /// The repository exists but the tag does not (`manifest unknown`).
    NotFound,
    /// The repository does not exist or needs credentials.
    Denied,
}

/// A line an image prints, `after` its start.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogLine {
    /// When it is printed, counted from the container's start.
    pub after: Duration,
    /// The text, without the final newline.
    pub text: String,
}

/// A scenario's `images:` entry: every field optional, each overriding the
/// built-in behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageSpec {
    /// `pull: ok | fail | denied`.
    pub pull: Option<Pull>,
    /// `pullTime`: how long a pull takes (to success or to failure).
    pub pull_time: Option<Duration>,
    /// `pullableAfter`: the tag can be pulled from this long after the
    /// scenario starts (pushed to the registry late, or the registry or
    /// the nodes' route to it down until then); a pull begun earlier fails
    /// as `pull` says (`fail` when unset). The kubelet retries on its own
    /// image back-off, so a pod stuck in `ImagePullBackOff` starts at its
    /// first retry after that time ([`pull_at`]).
    pub pullable_after: Option<Duration>,
    /// `runFor`: the default command exits after this long.
    pub run_for: Option<Duration>,
    /// `exit`: the default command's exit code (0 unless given).
    pub exit: Option<i32>,
    /// `logs`: what the default command prints.
    pub logs: Option<Vec<LogLine>>,
    /// `ports`: the ports the image serves HTTP on.
    pub ports: Option<Vec<u16>>,
    /// `preloaded`: already on every node (built there, `minikube image
    /// load`), so it starts without a pull — and with `imagePullPolicy:
    /// Never` at all.
    pub preloaded: Option<bool>,
    /// `ignoresSigterm`: its process does not exit on SIGTERM (a program
    /// running as PID 1 without a handler: PID 1 ignores the signals it
    /// does not handle), so a deleted pod stays `Terminating` until the
    /// kubelet kills it at the end of the grace period.
    pub ignores_sigterm: Option<bool>,
    /// `http`: what the image answers, path by path, for a tutorial's own
    /// application ([`http::Route`]).
    pub http: Option<Vec<http::Route>>,
}

/// What a container's image does when its `command` is not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entrypoint {
    /// No entrypoint, `CMD ["sh"]`: `args` (if any) are the command, run by
    /// the container shell of this dialect.
    Shell(Dialect),
    /// A server: prints its start-up lines, then runs until stopped.
    Serve(Startup),
    /// An entrypoint script fronting one tool (curlimages/curl's
    /// `entrypoint.sh` with `CMD ["curl"]`): arguments that begin with an
    /// option, or whose first word is no program, are the tool's
    /// (`-- -s web` runs `curl -s web`); others run as a command
    /// (`-- sh -c ...`); none runs the tool alone.
    Tool(&'static str),
    /// Prints `logs`, then exits with `exit` after `run_for` (never, when
    /// `None`): an image described by front matter.
    Run {
        /// Lines printed, with their times.
        logs: Vec<LogLine>,
        /// When it exits.
        run_for: Option<Duration>,
        /// Its exit code.
        exit: i32,
    },
}

/// Which start-up lines a server prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Startup {
    /// Nothing: an image known to print nothing at start.
    Quiet,
    /// An image kubeplay does not know: taken to serve until stopped, but
    /// what it prints is not known ([`unmodelled_output`]).
    Unknown,
    /// nginx's entrypoint and notices.
    Nginx,
    /// httpd's start-up lines.
    Httpd,
    /// The Kubernetes Basics app's start-up line.
    Bootcamp,
}

/// How one image reference behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageBehaviour {
    /// What a pull gives.
    pub pull: Pull,
    /// How long a pull takes, when fixed; seeded otherwise.
    pub pull_time: Option<Duration>,
    /// From when (since the scenario's start) a pull gives [`Pull::Ok`]
    /// whatever `pull` says ([`ImageSpec::pullable_after`]).
    pub pullable_after: Option<Duration>,
    /// The default command.
    pub entrypoint: Entrypoint,
    /// Ports the image answers HTTP on (NET consults these).
    pub ports: Vec<u16>,
    /// Present on every node from the start.
    pub preloaded: bool,
    /// Its default process ignores SIGTERM ([`ImageSpec::ignores_sigterm`]).
    pub ignores_sigterm: bool,
}

/// A reference split into its normalised name and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// `nginx`, `bitnami/redis`, `registry.k8s.io/pause`.
    pub name: String,
    /// `latest` when none was given; empty for a digest reference.
    pub tag: String,
    /// Pinned by digest (`@sha256:...`).
    pub digest: bool,
}

impl ImageRef {
    /// Parses `image` (Docker's reference grammar, loosely).
    pub fn parse(image: &str) -> ImageRef {
        let (rest, digest) = match image.split_once('@') {
            Some((r, _)) => (r, true),
            None => (image, false),
        };
        let (name, tag) = match rest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, t),
            _ => (rest, if digest { "" } else { "latest" }),
        };
        let name = name.strip_prefix("docker.io/").unwrap_or(name);
        let name = name.strip_prefix("library/").unwrap_or(name);
        ImageRef { name: name.to_owned(), tag: tag.to_owned(), digest }
    }

    /// The last path component (`nginx` of `registry.example.com/lib/nginx`).
    pub fn base(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// Known releases of a versioned image: per `major.minor`, the last patch.
struct Releases {
    /// `(major, minor, last patch)`, oldest first.
    lines: &'static [(u32, u32, u32)],
    /// Named tags the image publishes (the part before any `-variant`).
    named: &'static [&'static str],
}

/// nginx.org CHANGES: the last release of each minor line.
const NGINX: Releases = Releases {
    lines: &[
        (1, 7, 12),
        (1, 8, 1),
        (1, 9, 15),
        (1, 10, 3),
        (1, 11, 13),
        (1, 12, 2),
        (1, 13, 12),
        (1, 14, 2),
        (1, 15, 12),
        (1, 16, 1),
        (1, 17, 10),
        (1, 18, 0),
        (1, 19, 10),
        (1, 20, 2),
        (1, 21, 6),
        (1, 22, 1),
        (1, 23, 4),
        (1, 24, 0),
        (1, 25, 5),
        (1, 26, 3),
        (1, 27, 5),
        (1, 28, 0),
        (1, 29, 0),
    ],
    named: &[
        "latest", "stable", "mainline", "alpine", "perl", "otel", "bookworm", "bullseye", "buster",
        "stretch", "trixie",
    ],
};

/// The nginx release an nginx tag names (`1.21` → `1.21.6`), when the tag
/// pins one ([`Releases::release`]).
pub fn nginx_release(tag: &str) -> Option<(u32, u32, u32)> {
    NGINX.release(tag)
}

/// httpd: the 2.2 line ended with 2.2.34; 2.4 is current.
const HTTPD: Releases =
    Releases { lines: &[(2, 2, 34), (2, 4, 63)], named: &["latest", "alpine", "bookworm"] };

/// busybox releases published on Docker Hub (1.21 onwards).
const BUSYBOX: Releases = Releases {
    lines: &[
        (1, 21, 1),
        (1, 22, 1),
        (1, 23, 2),
        (1, 24, 2),
        (1, 25, 1),
        (1, 26, 2),
        (1, 27, 2),
        (1, 28, 4),
        (1, 29, 3),
        (1, 30, 1),
        (1, 31, 1),
        (1, 32, 1),
        (1, 33, 1),
        (1, 34, 1),
        (1, 35, 0),
        (1, 36, 1),
        (1, 37, 0),
    ],
    named: &["latest", "stable", "musl", "glibc", "uclibc"],
};

/// perl 5 releases (even minors are stable lines).
const PERL: Releases = Releases {
    lines: &[
        (5, 8, 9),
        (5, 10, 1),
        (5, 12, 5),
        (5, 14, 4),
        (5, 16, 3),
        (5, 18, 4),
        (5, 20, 3),
        (5, 22, 4),
        (5, 24, 4),
        (5, 26, 3),
        (5, 28, 3),
        (5, 30, 3),
        (5, 32, 1),
        (5, 34, 3),
        (5, 36, 3),
        (5, 38, 2),
        (5, 40, 0),
    ],
    named: &["latest", "stable", "slim", "threaded", "bookworm", "bullseye", "buster"],
};

impl Releases {
    /// The release a version tag names: `1.21` is its line's last patch
    /// (`1.21.6`), `1.21.3` itself. `None` for a named tag, an unknown
    /// line, or a bare `major.minor` of the newest line, whose last patch
    /// keeps moving.
    fn release(&self, tag: &str) -> Option<(u32, u32, u32)> {
        let head = tag.split('-').next().unwrap_or(tag);
        let parts: Option<Vec<u32>> = head.split('.').map(|p| p.parse().ok()).collect();
        let newest = self.lines.last().copied()?;
        let line = |major: u32, minor: u32| {
            self.lines.iter().copied().find(|(a, b, _)| (*a, *b) == (major, minor))
        };
        match parts?.as_slice() {
            [major, minor] if (*major, *minor) != (newest.0, newest.1) => line(*major, *minor),
            [major, minor, patch] if self.has(head) => Some((*major, *minor, *patch)),
            _ => None,
        }
    }

    /// Whether `tag` names a published image.
    fn has(&self, tag: &str) -> bool {
        let head = tag.split('-').next().unwrap_or(tag);
        if !head.starts_with(|c: char| c.is_ascii_digit()) {
            return self.named.contains(&head);
        }
        let parts: Option<Vec<u32>> = head.split('.').map(|p| p.parse().ok()).collect();
        let Some(parts) = parts else { return false };
        let newest = self.lines.last().copied().unwrap_or_default();
        let known =
            |major: u32, minor: u32| self.lines.iter().find(|(a, b, _)| *a == major && *b == minor);
        match parts.as_slice() {
            [major] => self.lines.iter().any(|(a, _, _)| a == major),
            [major, minor] => known(*major, *minor).is_some(),
            [major, minor, patch] => match known(*major, *minor) {
                Some(&(a, b, _)) if (a, b) == (newest.0, newest.1) => true,
                Some(&(_, _, last)) => *patch <= last,
                None => false,
            },
            _ => false,
        }
    }
}

/// Images whose default command is a shell (no entrypoint, `CMD ["sh"]`),
/// and which shell.
pub fn shell_dialect(image: &str) -> Option<Dialect> {
    match ImageRef::parse(image).base() {
        "busybox" | "alpine" => Some(Dialect::Ash),
        "ubuntu" | "debian" => Some(Dialect::Dash),
        "centos" | "fedora" | "rockylinux" | "almalinux" | "bash" => Some(Dialect::Bash),
        _ => None,
    }
}

/// The built-in behaviour of `r`.
fn builtin(r: &ImageRef) -> ImageBehaviour {
    let releases = match r.base() {
        "nginx" => Some(&NGINX),
        "httpd" => Some(&HTTPD),
        "busybox" => Some(&BUSYBOX),
        "perl" => Some(&PERL),
        _ => None,
    };
    // Only the official images (no user/ or registry prefix) are checked.
    let official = !r.name.contains('/');
    let pull = match releases {
        Some(rel) if official && !r.digest && !rel.has(&r.tag) => Pull::NotFound,
        // The Kubernetes Basics app was pushed as v1 (google-samples) and
        // v1 and v2 (jocatalin); the tutorial's own "v10" is its example
        // of a tag that does not exist.
        _ if r.base() == "kubernetes-bootcamp"
            && !r.digest
            && !matches!(r.tag.as_str(), "v1" | "v2") =>
        {
            Pull::NotFound
        }
        _ => Pull::Ok,
    };
    let (entrypoint, ports) = match r.base() {
        "nginx" => (Entrypoint::Serve(Startup::Nginx), vec![80]),
        "httpd" => (Entrypoint::Serve(Startup::Httpd), vec![80]),
        // hashicorp/http-echo's default `-listen=:5678` (its `-listen` flag
        // moves it; the traffic model reads the flag).
        "http-echo" => (Entrypoint::Serve(Startup::Quiet), vec![5678]),
        // strongjz/golang_example: `router.Run()` without an address
        // listens on `:8080` (gin `utils.go` `resolveAddress`), the admin
        // router on `:8090` (go_example_app `main.go`).
        "golang_example" => (Entrypoint::Serve(Startup::Quiet), vec![8080, 8090]),
        // The Kubernetes Basics app: `node server.js`, `www.listen(8080)`.
        "kubernetes-bootcamp" => (Entrypoint::Serve(Startup::Bootcamp), vec![8080]),
        // github.com/curl/curl-container `etc/entrypoint.sh`: `if [ "${1#-}"
        // != "${1}" ] || [ -z "$(command -v "${1}")" ]; then set -- curl
        // "$@"; fi; exec "$@"`.
        "curl" if r.name.ends_with("curlimages/curl") => (Entrypoint::Tool("curl"), Vec::new()),
        // Kubernetes: Up and Running's demo app: `--address :8080`
        // (kuard `pkg/app/config.go`).
        base if is_kuard(base) => (Entrypoint::Serve(Startup::Quiet), vec![8080]),
        // Kubernetes' liveness test server (`registry.k8s.io/liveness`,
        // run as `/server`): listens on 8080 and logs nothing.
        "liveness" => (Entrypoint::Serve(Startup::Quiet), vec![8080]),
        // The cluster's own components listen on their well-known ports
        // (kubeadm's and each component's defaults), so a connection to
        // another port of their host-network pods is refused; what they
        // log is not modelled.
        "kube-proxy" => (Entrypoint::Serve(Startup::Unknown), vec![10249, 10256]),
        "kube-apiserver" => (Entrypoint::Serve(Startup::Unknown), vec![6443]),
        "kube-controller-manager" => (Entrypoint::Serve(Startup::Unknown), vec![10257]),
        "kube-scheduler" => (Entrypoint::Serve(Startup::Unknown), vec![10259]),
        "coredns" => (Entrypoint::Serve(Startup::Unknown), vec![53, 8080, 8181, 9153]),
        _ => match shell_dialect(&r.name) {
            Some(d) => (Entrypoint::Shell(d), Vec::new()),
            None => (Entrypoint::Serve(Startup::Unknown), Vec::new()),
        },
    };
    ImageBehaviour {
        pull,
        pull_time: None,
        pullable_after: None,
        entrypoint,
        ports,
        preloaded: false,
        ignores_sigterm: false,
    }
}

/// The scenario's entry for `image`, if any (see the module doc for the
/// order of keys tried).
fn entry<'a>(config: &'a ClusterConfig, image: &str) -> Option<&'a ImageSpec> {
    if config.images.is_empty() {
        return None;
    }
    let r = ImageRef::parse(image);
    let full = format!("{}:{}", r.name, r.tag);
    let by_key = |k: &str| config.images.get(k);
    by_key(image).or_else(|| by_key(&full)).or_else(|| by_key(&r.name)).or_else(|| {
        // A key written in another spelling of the same image.
        config.images.iter().find_map(|(k, v)| {
            let kr = ImageRef::parse(k);
            let tagged = k.rsplit('/').next().is_some_and(|l| l.contains(':'));
            (kr.name == r.name && (!tagged || kr.tag == r.tag)).then_some(v)
        })
    })
}

/// How `image` behaves in this cluster: the built-in table, overridden by
/// the scenario's `images:` entry. The NET engineer's HTTP answers use
/// [`ImageBehaviour::ports`] from here to decide which ports serve.
pub fn behaviour(config: &ClusterConfig, image: &str) -> ImageBehaviour {
    let mut b = builtin(&ImageRef::parse(image));
    if super::profiles::is_kwok(config) {
        // kwok's nodes pull nothing: every image "is there", even one that
        // does not exist (pod/fast/pod-ready sets the pod Running at once).
        b.pull = Pull::Ok;
        b.preloaded = true;
        return b;
    }
    let Some(spec) = entry(config, image) else { return b };
    if let Some(p) = spec.pull {
        b.pull = p;
    }
    if spec.pull_time.is_some() {
        b.pull_time = spec.pull_time;
    }
    if let Some(after) = spec.pullable_after {
        b.pullable_after = Some(after);
        if spec.pull.is_none() {
            b.pull = Pull::NotFound;
        }
    }
    if let Some(ports) = &spec.ports {
        b.ports = ports.clone();
    }
    if let Some(p) = spec.preloaded {
        b.preloaded = p;
    }
    if let Some(i) = spec.ignores_sigterm {
        b.ignores_sigterm = i;
    }
    if spec.run_for.is_some() || spec.exit.is_some() || spec.logs.is_some() {
        b.entrypoint = Entrypoint::Run {
            logs: spec.logs.clone().unwrap_or_default(),
            run_for: spec.run_for.or(spec.exit.map(|_| Duration::ZERO)),
            exit: spec.exit.unwrap_or(0),
        };
    }
    b
}

/// Whether the scenario's `images:` entry for `image` declares its ports
/// (which then replace what the image's own configuration says).
pub fn entry_declares_ports(config: &ClusterConfig, image: &str) -> bool {
    entry(config, image).is_some_and(|e| e.ports.is_some())
}

/// The HTTP answers the scenario declares for `image` ([`http`]), else
/// those kubeplay knows of the image; empty when there are none.
pub fn routes(config: &ClusterConfig, image: &str) -> Vec<http::Route> {
    entry(config, image)
        .and_then(|e| e.http.clone())
        .unwrap_or_else(|| builtin_routes(&ImageRef::parse(image)))
}

/// kuard's images (`gcr.io/kuar-demo/kuard-amd64:blue`, ...).
fn is_kuard(base: &str) -> bool {
    base == "kuard" || base.starts_with("kuard-")
}

/// Routes of the built-in images that are applications rather than file
/// servers. kuard's `/healthy` and `/ready` debug probes (`pkg/app/app.go`,
/// `pkg/debugprobe/probe.go` `Handle`) answer 200 `ok` until told through
/// their API to fail, which kubeplay does not model; its other pages are
/// not declared, so they stay unsupported.
fn builtin_routes(r: &ImageRef) -> Vec<http::Route> {
    if !is_kuard(r.base()) {
        return Vec::new();
    }
    ["/healthy", "/ready"]
        .into_iter()
        .map(|path| http::Route {
            path: path.to_owned(),
            status: 200,
            until: None,
            body: Some("ok".to_owned()),
        })
        .collect()
}

/// The ports `image` answers HTTP on (nginx, httpd: 80; front matter
/// `ports:` overrides).
pub fn ports(config: &ClusterConfig, image: &str) -> Vec<u16> {
    behaviour(config, image).ports
}

/// What a pull of `image` begun at `started` gives: the image's
/// [`ImageBehaviour::pull`], or [`Pull::Ok`] once it is pullable
/// ([`ImageSpec::pullable_after`], counted from the scenario's start).
pub fn pull_at(config: &ClusterConfig, image: &str, started: Timestamp) -> Pull {
    let b = behaviour(config, image);
    match b.pullable_after {
        Some(after) => {
            let start =
                Timestamp::from_second(config.start_unix_seconds).unwrap_or(Timestamp::UNIX_EPOCH);
            let since = started.duration_since(start).as_secs_f64();
            if since >= after.as_secs_f64() { Pull::Ok } else { b.pull }
        }
        None => b.pull,
    }
}

/// How long pulling `image` on `node`, begun at `started`, takes: the
/// scenario's `pullTime`, else seeded — 5–25 s for a fresh pull, 0.5–2.5 s
/// to confirm a cached image (`imagePullPolicy: Always`) or to be told the
/// image does not exist.
pub fn pull_duration(
    config: &ClusterConfig,
    image: &str,
    node: &str,
    cached: bool,
    started: Timestamp,
) -> Duration {
    let b = behaviour(config, image);
    if let Some(t) = b.pull_time {
        return t;
    }
    let h = rng::mix(config.seed, &[image, node, "pull"]);
    let quick = cached || pull_at(config, image, started) != Pull::Ok;
    let nanos =
        if quick { 500_000_000 + h % 2_000_000_000 } else { 5_000_000_000 + h % 20_000_000_000 };
    Duration::from_nanos(nanos)
}

/// The error a failed pull reports (the `Failed` event after `Failed to
/// pull image "X": `, and the `ErrImagePull` waiting message), as the
/// node's runtime words it.
///
/// - Docker through dockershim (kubeadm clusters of the v1.22 era; their
///   container IDs are `docker://`): the daemon's `Error response from
///   daemon: manifest for nginx:1.999 not found: manifest unknown:
///   manifest unknown`, wrapped by the CRI as `rpc error: code = Unknown`.
/// - containerd (kind, newer clusters): `failed to pull and unpack image
///   "docker.io/library/nginx:1.999": failed to resolve reference ...:
///   not found` (containerd `pkg/cri/server/image_pull.go`), with gRPC
///   code NotFound since containerd 1.6.
pub fn pull_error(flavor: &Flavor, image: &str, pull: Pull) -> String {
    let r = ImageRef::parse(image);
    if flavor.runtime == "docker" {
        let repo = &r.name;
        return match pull {
            Pull::Denied => format!(
                "rpc error: code = Unknown desc = Error response from daemon: pull access denied \
                 for {repo}, repository does not exist or may require 'docker login': denied: \
                 requested access to the resource is denied"
            ),
            _ => format!(
                "rpc error: code = Unknown desc = Error response from daemon: manifest for \
                 {repo}:{} not found: manifest unknown: manifest unknown",
                r.tag
            ),
        };
    }
    let full = flavor.status_image(image);
    match pull {
        Pull::Denied => format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed \
             to resolve reference \"{full}\": pull access denied, repository does not exist or \
             may require authorization: server message: insufficient_scope: authorization failed"
        ),
        _ => format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed \
             to resolve reference \"{full}\": {full}: not found"
        ),
    }
}

/// What a container "runs" on a kwok node: nothing prints, and it ends
/// only when kwok's stages say so (kwok v0.8.0 `kustomize/stage/pod/`):
/// a pod labelled `pod-container-running-failed.stage.kwok.x-k8s.io=true`
/// fails 1 s after it runs, with the exit code of its `.../exit-code`
/// annotation (default 1; `chaos/pod-container-running-failed.yaml`,
/// weight 10000, so it wins over completing; kwok's 0–1 s jitter is left
/// out, the simulator's clock being deterministic); a pod a Job owns
/// completes at once with exit 0 (`fast/pod-complete.yaml`, selecting on
/// an ownerReference of kind Job); every other pod runs until deleted
/// (`fast/pod-ready.yaml`).
fn kwok_program(pod: &Pod) -> Program {
    const STAGE: &str = "pod-container-running-failed.stage.kwok.x-k8s.io";
    let meta = &pod.metadata;
    let fails = meta.labels.as_ref().and_then(|l| l.get(STAGE)).is_some_and(|v| v == "true");
    let exit = if fails {
        let code = meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(&format!("{STAGE}/exit-code")))
            .and_then(|c| c.parse().ok())
            .unwrap_or(1);
        Some((Duration::from_secs(1), code))
    } else {
        let job_owned =
            meta.owner_references.as_ref().is_some_and(|refs| refs.iter().any(|r| r.kind == "Job"));
        job_owned.then_some((Duration::ZERO, 0))
    };
    Program::Recorded { output: Vec::new(), exit }
}

/// What `container` of `pod` runs when started at `start`: its `command`
/// through the container shell ([`process::program`]); with no command,
/// its image's default ([`behaviour`]); `perl ... bpi(N)` prints π.
pub fn program(
    config: &ClusterConfig,
    store: &Store,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
) -> Program {
    if super::profiles::is_kwok(config) {
        return kwok_program(pod);
    }
    let image = container.image.as_deref().unwrap_or_default();
    let b = behaviour(config, image);
    let command = container.command.clone().unwrap_or_default();
    let args = container.args.clone().unwrap_or_default();
    let argv: Vec<String> = match (&b.entrypoint, command.is_empty()) {
        (_, false) => command.into_iter().chain(args).collect(),
        (Entrypoint::Shell(_), true) => args,
        (Entrypoint::Tool(tool), true) => {
            let first = args.first().map(String::as_str);
            if first.is_none_or(|a| a.starts_with('-') || !userland::on_path(a)) {
                std::iter::once((*tool).to_owned()).chain(args).collect()
            } else {
                args
            }
        }
        _ => Vec::new(),
    };
    if let Some(p) = perl_pi(&argv) {
        return p;
    }
    if matches!(b.entrypoint, Entrypoint::Tool(_)) && container.command.is_none() {
        let mut run = container.clone();
        run.command = Some(argv);
        run.args = None;
        return process::program(&run);
    }
    if !argv.is_empty() || matches!(b.entrypoint, Entrypoint::Shell(_)) {
        return process::program(container);
    }
    let (output, exit) = match &b.entrypoint {
        Entrypoint::Run { logs, run_for, exit } => {
            let output = logs.iter().map(|l| (l.after, format!("{}\n", l.text))).collect();
            (output, run_for.map(|d| (d, *exit)))
        }
        Entrypoint::Serve(s) => {
            let tag = ImageRef::parse(image).tag;
            let host = host(store, pod, container);
            match s {
                Startup::Nginx => {
                    let (default_conf, loaded) = nginx_boot(store, pod, container, start);
                    // What is not known of it is reported by
                    // [`unknown_log`] when its log is read.
                    startup::nginx(&tag, start, &host, default_conf, &loaded)
                        .map(|s| (s.output, s.exit.map(|code| (Duration::ZERO, code))))
                        .unwrap_or_default()
                }
                Startup::Httpd => (startup::httpd(&tag, start, &host), None),
                Startup::Bootcamp => (startup::bootcamp(start, &host), None),
                Startup::Quiet | Startup::Unknown => (Vec::new(), None),
            }
        }
        Entrypoint::Shell(_) | Entrypoint::Tool(_) => unreachable!("handled above"),
    };
    Program::Recorded { output, exit }
}

/// What nginx finds when `container` of `pod` starts at `start`: the
/// entrypoint's view of `default.conf`, and the configuration its master
/// reads (the image's files with the pod's volumes; the writable layer
/// starts empty).
pub fn nginx_boot(
    store: &Store,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
) -> (nginx::DefaultConf, nginx::Loaded) {
    let ctx = super::controllers::kubelet_process::context(store, pod, container, start);
    let fs = process::fs::Fs::new(&ctx.image, &ctx.files, &ctx.mounts, &Vec::new());
    (nginx::DefaultConf::of(&fs, &ctx.files), nginx::conf::load(&fs))
}

/// The last pid handed out in a container of nginx started at `start`,
/// once its workers run: known when nothing else starts processes in it
/// (no exec probe or hook) and the release's worker pids are known
/// ([`nginx::first_worker`]).
pub fn nginx_last_pid(
    store: &Store,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
) -> Option<u32> {
    let shared = pod.spec.as_ref().and_then(|s| s.share_process_namespace).unwrap_or(false);
    if !super::traffic::servers::runs_nginx(container) || shared {
        return None;
    }
    let probes = [&container.liveness_probe, &container.readiness_probe, &container.startup_probe];
    let hooks = container.lifecycle.as_ref().map(|l| [&l.post_start, &l.pre_stop]);
    let execs = probes.iter().any(|p| p.as_ref().is_some_and(|p| p.exec.is_some()))
        || hooks.iter().flatten().any(|h| h.as_ref().is_some_and(|h| h.exec.is_some()));
    if execs {
        return None;
    }
    let tag = ImageRef::parse(container.image.as_deref().unwrap_or_default()).tag;
    let version = startup::nginx_version(&tag, start);
    let (default_conf, loaded) = nginx_boot(store, pod, container, start);
    let nginx::Loaded::Ok(config) = loaded else { return None };
    let host = host(store, pod, container);
    Some(nginx::first_worker(version, default_conf)? + startup::workers(&config, &host) - 1)
}

/// What kubeplay does not know of the log of `container`'s run started
/// at `start`, beyond [`unmodelled_output`]: nginx's start-up when its
/// configuration or its workers' pids are unknown, and the notices its
/// master logs on a reload (`hangups`).
pub fn unknown_log(
    store: &Store,
    pod: &Pod,
    container: &Container,
    start: Timestamp,
    hangups: &[(Timestamp, usize)],
) -> Option<String> {
    if !super::traffic::servers::runs_nginx(container) {
        return None;
    }
    let tag = ImageRef::parse(container.image.as_deref().unwrap_or_default()).tag;
    let (default_conf, loaded) = nginx_boot(store, pod, container, start);
    let host = host(store, pod, container);
    if let Err(what) = startup::nginx(&tag, start, &host, default_conf, &loaded) {
        return Some(format!("what nginx logs at start ({what})"));
    }
    let logged = matches!(&loaded, nginx::Loaded::Ok(c) if c.notices_logged);
    (logged && !hangups.is_empty())
        .then(|| "the notices nginx's master logs on a reload".to_owned())
}

/// What makes the output of `container` unknown to kubeplay, if anything:
/// the default command of an image it does not know, whose `logs` the
/// scenario does not declare, or a program such an image ships (not a
/// shell or a utility the modelled userland has). Such a container is
/// still taken to run until stopped, which is what most application
/// images do; only reading what it printed is unsupported, never invented
/// as an empty log.
pub fn unmodelled_output(config: &ClusterConfig, container: &Container) -> Option<String> {
    let image = container.image.as_deref().unwrap_or_default();
    let b = behaviour(config, image);
    if !matches!(b.entrypoint, Entrypoint::Serve(Startup::Unknown)) {
        return None;
    }
    let argv = super::podutil::argv(container);
    // The liveness server logs nothing (`log.Fatal` only if its listener
    // fails).
    if test_server(container) == Some(TestServer::Liveness) {
        return None;
    }
    let Some(first) = argv.first() else {
        return Some(format!(
            "what image {image} prints (declare it under `images:` with `logs:`)"
        ));
    };
    let base = first.rsplit('/').next().unwrap_or(first);
    // What the container shell runs: shells, the userland's utilities,
    // perl's π one-liner, and stress in the images that ship it.
    let known = matches!(base, "sh" | "bash" | "ash" | "dash")
        || (!base.is_empty() && userland::on_path(base))
        || perl_pi(&argv).is_some()
        || (base == "stress" && stress::ships_stress(image));
    (!known).then(|| format!("what `{base}` of image {image} prints"))
}

/// The exit code of `container`'s process when it ends on SIGTERM: 0 for
/// the servers that handle it (nginx, httpd, and what kubeplay takes to
/// behave as they do); 143 (128 + SIGTERM) for a Go server that installs
/// no handler, so the runtime lets the signal kill it (`os/signal`: "a
/// SIGTERM signal causes the program to exit"), as Kubernetes' liveness
/// and gRPC health test servers do.
pub fn sigterm_exit(container: &Container) -> i32 {
    match test_server(container) {
        // agnhost's gRPC health server installs no handler either
        // (`grpc-health-checking.go` `main` ends in `select {}`).
        Some(TestServer::Liveness | TestServer::GrpcHealthChecking) => 143,
        _ => 0,
    }
}

/// Whether `container`'s process answers SIGTERM by waiting to be killed:
/// serve-hostname logs the signal and sleeps 60 s ("Awaiting pod
/// deletion"), longer than the default grace period.
pub fn waits_out_sigterm(container: &Container) -> bool {
    test_server(container) == Some(TestServer::ServeHostname)
}

/// Kubernetes' own test servers that kubeplay models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestServer {
    /// The liveness server: `registry.k8s.io/liveness`, agnhost `liveness`.
    Liveness,
    /// serve-hostname: `registry.k8s.io/serve_hostname`, agnhost
    /// `serve-hostname`.
    ServeHostname,
    /// agnhost `grpc-health-checking`: a gRPC health server
    /// ([`super::traffic::grpc_health`]).
    GrpcHealthChecking,
}

/// Which of Kubernetes' test servers `container` runs, if any: the
/// single-purpose images by name, agnhost by its subcommand.
pub fn test_server(container: &Container) -> Option<TestServer> {
    let image = container.image.as_deref().unwrap_or_default();
    let r = ImageRef::parse(image);
    let name = match r.base() {
        "agnhost" => agnhost_subcommand(container)?,
        base => base,
    };
    match name {
        "liveness" => Some(TestServer::Liveness),
        "serve_hostname" | "serve-hostname" => Some(TestServer::ServeHostname),
        "grpc-health-checking" if r.base() == "agnhost" => Some(TestServer::GrpcHealthChecking),
        _ => None,
    }
}

/// The agnhost subcommand a container runs (`registry.k8s.io/e2e-test-
/// images/agnhost`'s `args: [liveness]`, or `command: [/agnhost,
/// netexec, ...]`), if its image is agnhost.
pub fn agnhost_subcommand(container: &Container) -> Option<&str> {
    let image = container.image.as_deref().unwrap_or_default();
    if ImageRef::parse(image).base() != "agnhost" {
        return None;
    }
    let mut words = container.command.iter().flatten().chain(container.args.iter().flatten());
    let first = words.next()?;
    if first.rsplit('/').next() == Some("agnhost") {
        words.next().map(String::as_str)
    } else {
        Some(first.as_str())
    }
}

/// The node facts a start-up log shows.
fn host(store: &Store, pod: &Pod, container: &Container) -> startup::Host {
    let node = podutil::node_name(pod).and_then(|n| store.get_typed::<Node>(None, n));
    let status = node.and_then(|n| n.status.as_ref());
    let kernel = status
        .and_then(|s| s.node_info.as_ref())
        .map(|i| i.kernel_version.clone())
        .unwrap_or_default();
    let cpus = status
        .and_then(|s| s.capacity.as_ref()?.get("cpu"))
        .and_then(|q| q.0.parse::<u32>().ok())
        .unwrap_or(1);
    let pod_ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let hostname = super::controllers::kubelet_process::hostname(pod);
    startup::Host { kernel, cpus, pod_ip, hostname, salt: rng::mix(0, &[uid, &container.name]) }
}

/// `perl -Mbignum=bpi -wle 'print bpi(N)'` (the classic first Job): π to
/// N digits, printed when the computation ends. Math::BigFloat's pi is
/// quadratic in N; the run time is a modelled N²/10⁶ s (4 s for 2000
/// digits, at least 1 s) — a guess of the right order, not a measurement.
fn perl_pi(argv: &[String]) -> Option<Program> {
    let first = argv.first()?;
    if !first.rsplit('/').next()?.starts_with("perl") {
        return None;
    }
    let script = argv.iter().skip(1).find(|a| !a.starts_with('-'))?;
    let n: usize = script
        .trim()
        .strip_prefix("print bpi(")?
        .strip_suffix(')')?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0 && *n <= 100_000)?;
    let newline = argv.iter().skip(1).any(|a| {
        a.starts_with('-') && !a.starts_with("-M") && !a.starts_with("--") && a.contains('l')
    });
    let took = Duration::from_secs(((n * n) as u64 / 1_000_000).max(1));
    let mut text = pi::bpi(n);
    if newline {
        text.push('\n');
    }
    Some(Program::Recorded { output: vec![(took, text)], exit: Some((took, 0)) })
}

/// A scenario's `images:` table, by key as written.
pub type Images = BTreeMap<String, ImageSpec>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{flavor::flavor, profiles::profile};

    fn config(images: &[(&str, ImageSpec)]) -> ClusterConfig {
        let mut c = profile("kubeadm").unwrap();
        c.images = images.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        c
    }

    #[test]
    fn curl_image_runs_its_arguments_through_curl() {
        let cfg = config(&[]);
        let run = |args: &[&str]| {
            let c: Container = serde_json::from_value(serde_json::json!({"name": "c",
                "image": "curlimages/curl:7.78.0", "args": args}))
            .unwrap();
            program(&cfg, &Store::default(), &Pod::default(), &c, Timestamp::UNIX_EPOCH)
        };
        let argv = |a: &[&str]| Program::Utility(a.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(run(&["-s", "web"]), argv(&["curl", "-s", "web"]));
        assert_eq!(run(&["web"]), argv(&["curl", "web"]));
        assert_eq!(run(&[]), argv(&["curl"]));
        assert_eq!(run(&["sleep", "10"]), argv(&["sleep", "10"]));
        assert!(matches!(run(&["sh", "-c", "curl -s web"]), Program::Script { .. }));
    }

    #[test]
    fn references_normalise() {
        let r = ImageRef::parse("docker.io/library/nginx:1.25");
        assert_eq!((r.name.as_str(), r.tag.as_str()), ("nginx", "1.25"));
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!((r.name.as_str(), r.tag.as_str()), ("localhost:5000/app", "latest"));
        assert_eq!(ImageRef::parse("registry.example.com/lib/nginx").base(), "nginx");
    }

    #[test]
    fn kuard_serves_its_debug_probes_on_8080() {
        let c = config(&[]);
        let image = "gcr.io/kuar-demo/kuard-amd64:blue";
        assert_eq!(ports(&c, image), [8080]);
        let r = routes(&c, image);
        let healthy = http::answer(&r, "/healthy", Duration::ZERO).unwrap();
        assert_eq!((healthy.status, healthy.body.as_deref()), (200, Some("ok")));
        assert!(http::answer(&r, "/ready", Duration::from_secs(3600)).is_some());
        assert!(http::answer(&r, "/", Duration::ZERO).is_none());
        assert!(routes(&c, "nginx").is_empty());
    }

    #[test]
    fn a_version_tag_names_its_release() {
        assert_eq!(nginx_release("1.21"), Some((1, 21, 6)));
        assert_eq!(nginx_release("1.21.3-alpine"), Some((1, 21, 3)));
        assert_eq!(nginx_release("1.25.4"), Some((1, 25, 4)));
        // The newest line's last patch moves; named tags move too.
        assert_eq!(nginx_release("1.29"), None);
        assert_eq!(nginx_release("latest"), None);
        assert_eq!(nginx_release("1.21.7"), None);
    }

    #[test]
    fn which_tags_exist() {
        let c = config(&[]);
        let pull = |i: &str| behaviour(&c, i).pull;
        for ok in [
            "nginx",
            "nginx:1.7.9",
            "nginx:1.14.2",
            "nginx:1.16.1",
            "nginx:1.21",
            "nginx:1.25.4",
            "nginx:alpine",
            "nginx:1.21.6-alpine",
            "nginx:stable-perl",
            "nginx:1.29.9",
            "httpd:2.4",
            "httpd:2.2",
            "busybox:1.36",
            "perl:5.34.0",
            "perl",
            "myapp:v0.0.1",
            "example/nginx:9.9",
            "nginx@sha256:ab",
        ] {
            assert_eq!(pull(ok), Pull::Ok, "{ok}");
        }
        for bad in
            ["nginx:1.999", "nginx:1.161", "nginx:1.21.7", "nginx:2.0", "nginx:lates", "httpd:3"]
        {
            assert_eq!(pull(bad), Pull::NotFound, "{bad}");
        }
    }

    #[test]
    fn front_matter_overrides_by_ref_then_name() {
        let fail = ImageSpec { pull: Some(Pull::NotFound), ..Default::default() };
        let job = ImageSpec {
            run_for: Some(Duration::from_secs(30)),
            exit: Some(1),
            ports: Some(vec![8080]),
            ..Default::default()
        };
        let c = config(&[("myapp:v2", fail), ("myapp", job)]);
        assert_eq!(behaviour(&c, "myapp:v2").pull, Pull::NotFound);
        assert_eq!(behaviour(&c, "docker.io/library/myapp:v2").pull, Pull::NotFound);
        let b = behaviour(&c, "myapp:v1");
        assert_eq!(b.pull, Pull::Ok);
        assert_eq!(
            b.entrypoint,
            Entrypoint::Run { logs: vec![], run_for: Some(Duration::from_secs(30)), exit: 1 }
        );
        assert_eq!(ports(&c, "myapp:v1"), [8080]);
        assert_eq!(ports(&c, "nginx:1.21"), [80]);
        assert_eq!(ports(&c, "busybox"), Vec::<u16>::new());
    }

    #[test]
    fn pull_errors_per_runtime() {
        let docker = flavor(&profile("kubeadm").unwrap());
        assert_eq!(
            pull_error(&docker, "nginx:1.999", Pull::NotFound),
            "rpc error: code = Unknown desc = Error response from daemon: manifest for \
             nginx:1.999 not found: manifest unknown: manifest unknown"
        );
        let containerd = flavor(&profile("kind").unwrap());
        assert_eq!(
            pull_error(&containerd, "nginx:1.999", Pull::NotFound),
            "rpc error: code = NotFound desc = failed to pull and unpack image \
             \"docker.io/library/nginx:1.999\": failed to resolve reference \
             \"docker.io/library/nginx:1.999\": docker.io/library/nginx:1.999: not found"
        );
    }

    #[test]
    fn perl_prints_pi() {
        let argv: Vec<String> =
            ["perl", "-Mbignum=bpi", "-wle", "print bpi(10)"].map(String::from).to_vec();
        let Some(Program::Recorded { output, exit }) = perl_pi(&argv) else { panic!() };
        assert_eq!(output, [(Duration::from_secs(1), "3.141592654\n".to_owned())]);
        assert_eq!(exit, Some((Duration::from_secs(1), 0)));
        assert!(perl_pi(&["perl".to_owned(), "-e".to_owned(), "1".to_owned()]).is_none());
    }
}
