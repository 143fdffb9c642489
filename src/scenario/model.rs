//! The runtime model every scenario format parses into.

use std::{path::PathBuf, time::Duration};

/// A 1-based position in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One parsed scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The path as the user gave it (reports print it as given).
    pub path: PathBuf,
    /// Front matter (all optional).
    pub meta: FrontMatter,
    /// The steps, in file order.
    pub steps: Vec<Step>,
}

impl Scenario {
    /// The steps that are checked — commands and `check=FILE` blocks — in
    /// file order. These are the scenario's numbered steps, the same in
    /// `kubeplay list`, the one-line summary, JSON and failure reports;
    /// file and edit blocks only prepare the workspace.
    pub fn checked_steps(&self) -> impl Iterator<Item = (usize, &Step)> {
        self.steps.iter().enumerate().filter(|(_, s)| s.is_checked())
    }

    /// The 1-based number of the checked step at `index` in [`Scenario::steps`]
    /// (for a file or edit block: the number of the next checked step).
    pub fn step_number(&self, index: usize) -> usize {
        self.steps[..index].iter().filter(|s| s.is_checked()).count() + 1
    }
}

impl Step {
    /// Whether this step is checked (a command or a `check=FILE` block),
    /// rather than preparing the workspace.
    pub fn is_checked(&self) -> bool {
        matches!(self.kind, StepKind::Run(_) | StepKind::CheckFile { .. })
    }
}

/// One step: write a workspace file, or run a command and check its output.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Where the step starts (the command line, or the file block's fence).
    pub span: Span,
    /// What the step does.
    pub kind: StepKind,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// A `file=NAME` block: write (or replace) a file in the workspace.
    WriteFile {
        /// The file name as written in the block's info string.
        name: String,
        /// The file's content.
        content: String,
    },
    /// A command typed at a prompt, with the output the tutorial shows.
    Run(Command),
    /// A `check=NAME` block: the workspace file must match this content
    /// (same matching rules as command output).
    CheckFile {
        /// The file name as written in the block's info string.
        name: String,
        /// The expected content.
        expected: Expected,
    },
    /// An `edit=KIND/NAME` block: the object as it looks after the user's
    /// edit; the next `kubectl edit KIND/NAME` applies it instead of opening
    /// an editor.
    Edit {
        /// `KIND/NAME` as written (`deployment/web`).
        target: String,
        /// The edited manifest.
        content: String,
    },
}

/// A command line and what it is expected to print.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Command {
    /// The host named by the prompt (`[root@worker2 ~]#` → `worker2`), if any.
    pub host: Option<String>,
    /// The command line as typed: continuations joined, trailing `# comment` removed.
    pub line: String,
    /// The expected output (stdout and stderr merged, as a terminal shows them).
    pub expected: Expected,
    /// The expected exit status.
    pub status: ExpectedStatus,
    /// Per-step "eventually" timeout; `None` takes the scenario's default.
    pub timeout: Option<Duration>,
    /// `skip="reason"`: the step is not run and is reported skipped (never
    /// passed) with this reason (empty when none was given).
    pub skip: Option<String>,
    /// Lines typed at the prompt of the interactive session this command
    /// opens (`kubectl exec -it POD -- sh`), in order; empty for a command
    /// that opens none.
    pub session: Vec<SessionLine>,
}

/// One line typed at an interactive session's prompt (`/ # hostname`), with
/// the output the tutorial shows for it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionLine {
    /// Where the line is in the file.
    pub span: Span,
    /// The line as shown, prompt included (`/ # hostname`).
    pub shown: String,
    /// What was typed (`hostname`).
    pub input: String,
    /// Its expected output (for the line that ends the session, `exit`,
    /// also what kubectl prints afterwards, e.g. `pod "x" deleted`).
    pub expected: Expected,
}

/// Expected output of one command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expected {
    /// The expected text, dedented, one `\n` after each line (empty: no output).
    pub text: String,
    /// The 1-based file line of the first expected line (the line after the command).
    pub first_line: usize,
    /// How lines are compared.
    pub mode: MatchMode,
}

/// How expected lines are compared with actual lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchMode {
    /// All lines, tables as row sets (the default).
    #[default]
    Exact,
    /// Expected lines must appear in order; other lines may come between.
    Subset,
    /// Lines compared as a multiset.
    Unordered,
}

/// The exit status a command is expected to end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpectedStatus {
    /// Exit status 0 (the default).
    #[default]
    Success,
    /// Exactly this status (`? 1`).
    Code(i32),
    /// Any non-zero status (`? failed`).
    Failed,
}

impl ExpectedStatus {
    /// Whether `actual` satisfies this expectation.
    pub fn accepts(self, actual: i32) -> bool {
        match self {
            ExpectedStatus::Success => actual == 0,
            ExpectedStatus::Code(code) => actual == code,
            ExpectedStatus::Failed => actual != 0,
        }
    }
}

/// The scenario's front matter (all keys optional; unknown keys are errors).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrontMatter {
    /// Human title.
    pub title: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The simulated cluster.
    pub cluster: ClusterSpec,
    /// Commands run before the steps; their output is not checked.
    pub setup: Vec<String>,
    /// Objects that exist before the scenario starts, with their history.
    pub objects: Vec<SeedObject>,
    /// Default per-step "eventually" timeout.
    pub timeout: Option<Duration>,
    /// Backends this scenario may run on (`None`: all).
    pub backends: Option<Vec<String>>,
    /// Marks the scenario a known failure, with the reason.
    pub known_failure: Option<String>,
    /// Placeholders (`<pod-name>`) and their values, substituted into every
    /// command and expected output (for tutorials written with placeholders).
    pub vars: std::collections::BTreeMap<String, String>,
    /// How images behave (`images:`), by reference as written; overrides
    /// the simulator's built-in image table.
    pub images: std::collections::BTreeMap<String, ImageEntry>,
    /// What the scenario may do on a real cluster beyond its own namespace
    /// (`capabilities:`); the simulator ignores it.
    pub capabilities: Vec<Capability>,
}

/// Something a scenario may do on a user's cluster beyond creating and
/// changing namespaced objects in the namespace kubeplay gives it. The
/// kubectl backend refuses (as `unsupported`) any step that needs one the
/// front matter does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    /// `nodes`: cordon, uncordon, drain, taint, label or delete nodes.
    Nodes,
    /// `cluster-scoped`: create, change or delete cluster-scoped objects
    /// (Namespaces, ClusterRoles, CRDs, PersistentVolumes, ...).
    ClusterScoped,
    /// `other-namespaces`: change objects in namespaces other than the
    /// scenario's own, or in all of them (`-A`).
    OtherNamespaces,
    /// `urls`: let kubectl read manifests from the network (`-f https://...`)
    /// when no file block supplies them.
    Urls,
    /// `plugins`: run kubectl plugins (subcommands kubectl does not have).
    Plugins,
}

impl Capability {
    /// Every capability, as the front matter spells it.
    pub const ALL: [(Capability, &'static str); 5] = [
        (Capability::Nodes, "nodes"),
        (Capability::ClusterScoped, "cluster-scoped"),
        (Capability::OtherNamespaces, "other-namespaces"),
        (Capability::Urls, "urls"),
        (Capability::Plugins, "plugins"),
    ];

    /// The front matter's name for it.
    pub fn name(self) -> &'static str {
        Capability::ALL.iter().find(|(c, _)| *c == self).map_or("", |(_, n)| n)
    }

    /// Whether running it may change what other scenarios on the same
    /// cluster see, so its scenario runs alone there.
    pub fn is_cluster_wide(self) -> bool {
        matches!(self, Capability::Nodes | Capability::ClusterScoped | Capability::OtherNamespaces)
    }
}

/// One `images:` entry; every field optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageEntry {
    /// What a pull gives.
    pub pull: Option<ImagePull>,
    /// How long a pull takes.
    pub pull_time: Option<Duration>,
    /// Pulls begun this long after the scenario starts succeed; earlier
    /// ones fail as `pull` says (`fail` when unset).
    pub pullable_after: Option<Duration>,
    /// The default command exits after this long.
    pub run_for: Option<Duration>,
    /// Its exit code.
    pub exit: Option<i32>,
    /// Lines it prints, each after a time since start.
    pub logs: Option<Vec<(Duration, String)>>,
    /// Ports it serves HTTP on.
    pub ports: Option<Vec<u16>>,
    /// Already on every node (no pull needed; `imagePullPolicy: Never` works).
    pub preloaded: Option<bool>,
    /// Its process ignores SIGTERM (runs until the grace period's kill).
    pub ignores_sigterm: Option<bool>,
    /// What it answers over HTTP, path by path (a tutorial's own app).
    pub http: Option<Vec<HttpRoute>>,
}

/// One declared HTTP answer of an image: `status` for GET `path` while
/// the container has run less than `until` (always, when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRoute {
    /// The request path.
    pub path: String,
    /// The status code.
    pub status: u16,
    /// Until when, counted from the container's start.
    pub until: Option<Duration>,
    /// The body it sends, when declared.
    pub body: Option<String>,
}

/// `pull:` of an `images:` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePull {
    /// The image is pulled (`ok`).
    Ok,
    /// The tag does not exist (`fail`): `manifest unknown`.
    Fail,
    /// The repository does not exist or is private (`denied`).
    Denied,
}

/// The cluster a scenario runs on: a named profile, optionally adjusted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterSpec {
    /// Profile name (`kubeadm`, `kind`, `minikube`, `bare`), checked against
    /// the simulator's profiles; `None` means the default profile.
    pub profile: Option<String>,
    /// The cluster's Kubernetes version, parsed and checked against the
    /// supported span; `None` keeps the profile's.
    pub version: Option<crate::version::KubeVersion>,
    /// Replaces the profile's node list when given.
    pub nodes: Option<Vec<NodeSpec>>,
    /// Cluster pod CIDR (`10.244.0.0/16`).
    pub pod_cidr: Option<String>,
    /// Service CIDR (`10.96.0.0/12`).
    pub service_cidr: Option<String>,
    /// RNG seed; default derived from the file path.
    pub seed: Option<u64>,
    /// How old the cluster is when the scenario starts (`6d21h`).
    pub age: Option<Duration>,
    /// Machines that are not nodes yet (a tutorial joins them with
    /// `kubeadm join` at their own prompt).
    pub hosts: Vec<HostSpec>,
    /// Whether a metrics server runs (`kubectl top`, HPA utilisation);
    /// `None` keeps the profile's choice (none of them has one).
    pub metrics_server: Option<bool>,
    /// `loadBalancer.pool`: a CIDR (`172.18.255.200/28`) or an inclusive
    /// range (`192.168.1.240-192.168.1.250`) LoadBalancer IPs are taken
    /// from, as MetalLB does; `None`: they stay `<pending>`.
    pub load_balancer_pool: Option<String>,
    /// The cluster DNS server; `None` keeps the profile's (CoreDNS).
    pub dns: Option<DnsServer>,
    /// The nodes' kernel (`uname -r`, `nodeInfo.kernelVersion`), e.g. a
    /// minikube on Docker Desktop's `6.6.12-linuxkit`; `None` keeps the
    /// profile's.
    pub kernel: Option<String>,
}

/// Which DNS server runs behind the `kube-system/kube-dns` Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DnsServer {
    /// CoreDNS (kubeadm since v1.11): Deployment `coredns`.
    #[default]
    CoreDns,
    /// kube-dns (before CoreDNS): Deployment `kube-dns`.
    KubeDns,
}

/// A machine that is not (yet) a node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HostSpec {
    /// Host name (its prompt's host, and the node name once joined).
    pub name: String,
    /// Its address.
    pub ip: Option<String>,
}

/// One node of the cluster.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeSpec {
    /// Node name (also its host name for prompts).
    pub name: String,
    /// Roles (`control-plane`, `master`), shown in `get nodes`.
    pub roles: Vec<String>,
    /// InternalIP.
    pub ip: Option<String>,
    /// Taints as `key[=value]:Effect`.
    pub taints: Vec<String>,
    /// Node age when the scenario starts.
    pub age: Option<Duration>,
    /// Machine size overriding the profile's (`cpu: "2"`, `memory: 4Gi`):
    /// the node's capacity; allocatable is derived as the kubelet does.
    pub capacity: std::collections::BTreeMap<String, String>,
    /// The node's pod CIDR; the profile's `/24` of the cluster CIDR otherwise.
    pub pod_cidr: Option<String>,
    /// The node's ExternalIP address (`get nodes -o wide`), if it has one.
    pub external_ip: Option<String>,
    /// Labels merged over the profile's default node labels.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// An object that exists before the scenario starts.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedObject {
    /// How long ago it was created.
    pub age: Option<Duration>,
    /// The object's manifest.
    pub manifest: serde_json::Value,
    /// For pods: container restarts so far and how long ago the last one was.
    pub restarts: Option<u32>,
    /// Time since the last restart.
    pub last_restart: Option<Duration>,
}
