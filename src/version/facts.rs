//! Every behaviour that changed between Kubernetes v1.10 and v1.35, each
//! defined once (DESIGN §9).
//!
//! A [`Fact`] names one change: the release where the new form starts, who
//! changed (kubectl or the cluster), the old and the new form, the upstream
//! source, and whether that boundary is confirmed. Code asks
//! `version.has(Fact::X)` and never compares minor numbers itself, so this
//! file is the one place a newcomer reads what changed at v1.17 or v1.21;
//! `docs/versions.md` is generated from it (`versions_doc_is_current`).
//!
//! Each change carries a [`Check`]: a kubectl [`Probe`] run against a
//! simulated cluster on both sides of the boundary
//! (`kubectl::version_probe_tests`), or the name of a unit test that does
//! the same where a probe cannot reach the behaviour. A fact with more than
//! two forms is several facts, one per boundary.
//!
//! Kubernetes' own ranges are checked against the release sources (the
//! module zips of `k8s.io/kubernetes` at each tag); where a boundary could
//! not be pinned, [`Range::Unconfirmed`] says what is known instead.

use super::KubeVersion;

/// Who changed: the kubectl client, or the cluster (apiserver,
/// controllers, scheduler, kubelet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// kubectl's printing, messages, flags or verb behaviour.
    Kubectl,
    /// What the cluster stores, serves or does.
    Cluster,
}

/// How sure the boundary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Checked in the sources of the release before and of the release at
    /// the boundary.
    Confirmed,
    /// Not pinned; the text says what is known (for example "seen in a
    /// v1.19 transcript; v1.18 not checked").
    Unconfirmed(&'static str),
}

/// How a change is tested on both sides of its boundary.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// kubectl commands against a simulated cluster of each version.
    Probe(Probe),
    /// A unit test (its function name) that checks both sides.
    Test(&'static str),
}

/// Commands run on a fresh kubeadm cluster at the last minor before the
/// change and at the first minor with it; `command`'s output (stdout and
/// stderr) must hold `before` and not `after` on the old side, and the
/// reverse on the new side. An empty form means the command prints nothing.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    /// Files in the workspace (`-f` paths), as (path, content).
    pub files: &'static [(&'static str, &'static str)],
    /// kubectl command lines run first, each settled (split on spaces).
    pub setup: &'static [&'static str],
    /// The command whose output shows the change.
    pub command: &'static str,
    /// Text only the old form prints.
    pub before: &'static str,
    /// Text only the new form prints.
    pub after: &'static str,
}

/// One change between two releases.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    /// Which fact.
    pub fact: Fact,
    /// The first minor (of major 1) with the new form.
    pub since: u32,
    /// kubectl or the cluster.
    pub side: Side,
    /// What changed, in a sentence.
    pub what: &'static str,
    /// Upstream file (and PR or release note) that shows it.
    pub source: &'static str,
    /// Whether the boundary is confirmed.
    pub range: Range,
    /// The test of both sides.
    pub check: Check,
}

impl KubeVersion {
    /// Whether this release has the new form of `fact`.
    pub fn has(self, fact: Fact) -> bool {
        fact.holds_at(self.minor())
    }
}

impl Fact {
    /// This fact's change.
    pub fn change(self) -> &'static Change {
        &CHANGES[self as usize]
    }

    /// Whether minor `minor` (of major 1) has the new form. For code that
    /// still carries the minor alone; prefer [`KubeVersion::has`].
    pub fn holds_at(self, minor: u32) -> bool {
        minor >= self.change().since
    }
}

macro_rules! facts {
    ($( $(#[$doc:meta])* $fact:ident {
        since: $since:expr, side: $side:ident, what: $what:expr,
        source: $source:expr, range: $range:expr, check: $check:expr $(,)?
    } )*) => {
        /// A behaviour that changed at one release; see [`CHANGES`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fact { $( $(#[$doc])* $fact, )* }

        /// Every change, in [`Fact`] order.
        pub const CHANGES: &[Change] = &[ $( Change {
            fact: Fact::$fact, since: $since, side: Side::$side, what: $what,
            source: $source, range: $range, check: $check,
        }, )* ];
    };
}

use Check::Probe as P;
use Range::Confirmed;

const NO_FILES: &[(&str, &str)] = &[];
const NO_SETUP: &[&str] = &[];

facts! {
    /// Messages name an object `KIND.GROUP/NAME` (was `KIND.GROUP "NAME"`).
    NamePrinterSlash {
        since: 11, side: Kubectl,
        what: "`create`, `run`, `expose`, `scale`, `apply` print `namespace/dev created` (was `namespace \"dev\" created`); `delete` keeps the quoted form",
        source: "pkg/kubectl/cmd/util/printing.go PrintSuccess (v1.10.0: `%s \"%s\" %s`); pkg/kubectl/cmd/create.go (v1.11.0: genericclioptions.NewPrintFlags(\"created\"), the name printer)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl create namespace dev",
            before: "namespace \"dev\" created\n", after: "namespace/dev created\n" }),
    }
    /// `kubectl run` makes an apps/v1beta1 Deployment (was extensions/v1beta1).
    RunGeneratorAppsV1Beta1 {
        since: 11, side: Kubectl,
        what: "`kubectl run` (restart Always) uses the `deployment/apps.v1beta1` generator (was `deployment/v1beta1`: an extensions/v1beta1 Deployment that keeps every old ReplicaSet and has no progress deadline)",
        source: "pkg/kubectl/cmd/run.go RunRun (v1.10.0: DeploymentV1Beta1GeneratorName; v1.11.0: DeploymentAppsV1Beta1GeneratorName)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run web --image=nginx"],
            command: "kubectl get deployment web -o jsonpath={.spec.progressDeadlineSeconds}",
            before: "2147483647", after: "600" }),
    }
    /// Pods' wide table gains `NOMINATED NODE`.
    PodNominatedNodeColumn {
        since: 12, side: Cluster,
        what: "`get pods -o wide` has a `NOMINATED NODE` column after `NODE`",
        source: "pkg/printers/internalversion/printers.go podColumnDefinitions (v1.11.0 ends at Node; v1.12.0 adds Nominated Node)",
        range: Confirmed,
        check: Check::Test("pod_wide_columns_by_version"),
    }
    /// `kubectl run` warns that its generators are deprecated.
    RunDeprecationWarning {
        since: 12, side: Kubectl,
        what: "`kubectl run` with a generator other than `run-pod/v1` warns `kubectl run --generator=… is DEPRECATED and will be removed in a future version…` on stderr (no warning before)",
        source: "pkg/kubectl/cmd/run.go (v1.12.0 Run; absent from v1.11.0)",
        range: Confirmed,
        check: Check::Test("run_deprecation_warning_by_version"),
    }
    /// `kubectl run` makes an apps/v1 Deployment.
    RunGeneratorAppsV1 {
        since: 13, side: Kubectl,
        what: "`kubectl run` (restart Always) uses the `deployment/apps.v1` generator and its warning points to `run-pod/v1`: `Use kubectl run --generator=run-pod/v1 or kubectl create instead.` (was `deployment/apps.v1beta1`, `Use kubectl create instead.`)",
        source: "pkg/kubectl/cmd/run/run.go (v1.13.0: DeploymentAppsV1GeneratorName; v1.12.0 pkg/kubectl/cmd/run.go: DeploymentAppsV1Beta1GeneratorName)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl run web --image=nginx",
            before: "kubectl run --generator=deployment/apps.v1beta1 is DEPRECATED and will be removed in a future version. Use kubectl create instead.\n",
            after: "kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n" }),
    }
    /// Deployments' table shows `READY` instead of `DESIRED CURRENT`.
    DeploymentReadyColumn {
        since: 13, side: Cluster,
        what: "`get deployments` prints `NAME READY UP-TO-DATE AVAILABLE AGE` with `READY` as `1/1` (was `NAME DESIRED CURRENT UP-TO-DATE AVAILABLE AGE`)",
        source: "pkg/printers/internalversion/printers.go deploymentColumnDefinitions (v1.12.0: Desired, Current; v1.13.0: Ready)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"],
            command: "kubectl get deployments",
            before: "DESIRED   CURRENT   UP-TO-DATE", after: "READY   UP-TO-DATE" }),
    }
    /// Pods' wide table gains `READINESS GATES`.
    PodReadinessGatesColumn {
        since: 13, side: Cluster,
        what: "`get pods -o wide` has a `READINESS GATES` column after `NOMINATED NODE`",
        source: "pkg/printers/internalversion/printers.go podColumnDefinitions (v1.12.0 ends at Nominated Node; v1.13.0 adds Readiness Gates)",
        range: Confirmed,
        check: Check::Test("pod_wide_columns_by_version"),
    }
    /// The API server creates the `kube-node-lease` namespace.
    NodeLeaseNamespace {
        since: 14, side: Cluster,
        what: "a new cluster has the `kube-node-lease` namespace (node heartbeats as Leases; before, only `default`, `kube-public`, `kube-system`)",
        source: "NodeLease feature gate beta, on by default, in v1.14 (CHANGELOG-1.14.md); pkg/kubelet/nodelease/controller.go writes Leases there from v1.13.0",
        range: Range::Unconfirmed("the API server's system-namespace list (pkg/master) is not in the release sources at hand; v1.13 had the NodeLease gate alpha, off by default"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get namespace kube-node-lease",
            before: "namespaces \"kube-node-lease\" not found", after: "kube-node-lease   Active" }),
    }
    /// `-o yaml` quotes strings that read as timestamps.
    YamlQuotesTimestamps {
        since: 16, side: Kubectl,
        what: "`-o yaml` double-quotes strings that read as YAML timestamps: `creationTimestamp: \"2019-10-01T10:00:00Z\"` (was plain)",
        source: "sigs.k8s.io/yaml over gopkg.in/yaml.v2 (`encode.go` stringv); kubectl v1.16 moved yaml.v2 from v2.2.1 to v2.2.2 (CHANGELOG-1.16.md, dependencies)",
        range: Range::Unconfirmed("plain in transcripts of kubectl v1.10 to v1.15 (2018-2019); which yaml.v2 release began quoting, and so the first kubectl, is not pinned"),
        check: Check::Test("yaml_timestamps_by_version"),
    }
    /// `describe namespace` without LimitRanges says `No LimitRange resource.`.
    DescribeNoLimitRange {
        since: 17, side: Kubectl,
        what: "`describe namespace` of a namespace without LimitRanges ends `No LimitRange resource.` (was `No resource limits.`)",
        source: "DescribeLimitRanges: pkg/kubectl/describe/versioned/describe.go (v1.15.0: `No resource limits.`); staging/src/k8s.io/kubectl/pkg/describe/versioned/describe.go (v1.17.0: `No LimitRange resource.`)",
        range: Range::Unconfirmed("v1.15.0 prints the old text and v1.17.0 the new; the v1.16.0 describer is not in the release sources at hand"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl describe namespace default",
            before: "No resource limits.\n", after: "No LimitRange resource.\n" }),
    }
    /// `get` of an empty namespaced list names the namespace.
    NoResourcesNamesNamespace {
        since: 16, side: Kubectl,
        what: "`get` with nothing to show in a namespace names it: `No resources found in default namespace.` (was `No resources found.`)",
        source: "pkg/kubectl/cmd/get/get.go (v1.16.0; v1.15.0 printed `No resources found.` for every request)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get pods",
            before: "No resources found.\n", after: "No resources found in default namespace.\n" }),
    }
    /// `describe` that matched nothing says so.
    DescribeReportsNoResources {
        since: 18, side: Kubectl,
        what: "`describe` that matches nothing prints `No resources found in default namespace.` (printed nothing before)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go (v1.18.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl describe pods",
            before: "", after: "No resources found in default namespace.\n" }),
    }
    /// `kubectl run` makes a Pod, whatever its flags.
    RunCreatesPodOnly {
        since: 18, side: Kubectl,
        what: "`kubectl run` creates one Pod (the `run-pod/v1` generator only; was a Deployment for restart Always)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/run/run.go (v1.18.0: only RunPodV1GeneratorName, `--generator` deprecated with no effect; v1.17.0: DeploymentAppsV1GeneratorName for restart Always)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl run web --image=nginx",
            before: "deployment.apps/web created\n", after: "pod/web created\n" }),
    }
    /// Objects no longer carry `metadata.selfLink`.
    SelfLinkRemoved {
        since: 20, side: Cluster,
        what: "objects have no `metadata.selfLink` (was the object's API path, `selfLink: /api/v1/namespaces/dev`)",
        source: "staging/src/k8s.io/apiserver/pkg/features/kube_features.go RemoveSelfLink (v1.19.0: alpha, off; v1.20.0: beta, on)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP,
            command: "kubectl get namespace default -o jsonpath={.metadata.selfLink}",
            before: "/api/v1/namespaces/default", after: "" }),
    }
    /// `cluster-info` calls the API server the control plane.
    ClusterInfoControlPlane {
        since: 20, side: Kubectl,
        what: "`cluster-info` begins `Kubernetes control plane is running at …` (was `Kubernetes master is running at …`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go ClusterInfoOptions.Run (v1.19.0: `Kubernetes master`; v1.20.0: `Kubernetes control plane`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl cluster-info",
            before: "Kubernetes master is running at", after: "Kubernetes control plane is running at" }),
    }
    /// Namespaces carry a label with their own name.
    NamespaceNameLabel {
        since: 21, side: Cluster,
        what: "the API server labels every namespace `kubernetes.io/metadata.name=<name>` (no label before)",
        source: "pkg/registry/core/namespace/strategy.go PrepareForCreate (v1.21.0 sets v1.LabelMetadataName; absent from v1.20.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get namespace default --show-labels",
            before: "<none>", after: "kubernetes.io/metadata.name=default" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_in_fact_order() {
        for (i, change) in CHANGES.iter().enumerate() {
            assert_eq!(change.fact as usize, i, "{:?} is out of place", change.fact);
        }
    }

    #[test]
    fn boundaries_lie_inside_the_span() {
        let (_, oldest) = KubeVersion::OLDEST_MINOR;
        let (_, newest) = KubeVersion::NEWEST_MINOR;
        for change in CHANGES {
            assert!(
                (oldest + 1..=newest).contains(&change.since),
                "{:?}: v1.{} cannot be told apart inside v1.{oldest}..v1.{newest}",
                change.fact,
                change.since
            );
        }
    }

    #[test]
    fn probes_tell_the_two_forms_apart() {
        for change in CHANGES {
            if let Check::Probe(p) = change.check {
                assert!(!p.before.is_empty() || !p.after.is_empty(), "{:?}", change.fact);
                let either_empty = p.before.is_empty() || p.after.is_empty();
                assert!(
                    either_empty || (!p.before.contains(p.after) && !p.after.contains(p.before)),
                    "{:?}: one form contains the other",
                    change.fact
                );
            }
        }
    }
}
