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
    /// `kubectl run` creates a Pod whatever the restart policy.
    KubectlRunCreatesPod {
        since: 18, side: Kubectl,
        what: "`kubectl run` creates one Pod (`pod/NAME created`); before, the restart policy chose a generator: a Deployment for `Always` (the default), a Job for `OnFailure`, each after the line `kubectl run --generator=... is DEPRECATED and will be removed in a future version. ...` on stderr",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/run/run.go (v1.17.0 `Run` picks `deployment/apps.v1` or `job/v1` from the restart policy; v1.18.0 always uses `run-pod/v1`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl run web --image=nginx",
            before: "deployment.apps/web created\n", after: "pod/web created\n" }),
    }
    /// `kubectl create deployment` takes `--replicas` and `--port`.
    CreateDeploymentPortAndReplicas {
        since: 19, side: Kubectl,
        what: "`kubectl create deployment` takes `--replicas`/`-r` and `--port` (before, only `--image`: `unknown flag: --replicas`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/create/create_deployment.go (v1.18.0 defines only `--image`; v1.19.0 adds `--port` and `--replicas`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP,
            command: "kubectl create deployment web --image=nginx --replicas=2",
            before: "unknown flag: --replicas", after: "deployment.apps/web created\n" }),
    }
    /// CronJob Jobs are named by the scheduled time in minutes.
    CronJobJobNameInMinutes {
        since: 21, side: Cluster,
        what: "a CronJob's Jobs are named `<cronjob>-<scheduled time in minutes since the epoch>` (`hello-27809461`); before, the v1 controller, on by default, used seconds (`hello-1668567660`)",
        source: "pkg/features/kube_features.go (`CronJobControllerV2` default false in v1.20.0, true in v1.21.0); pkg/controller/cronjob/utils.go `getTimeHash` (seconds, v1 controller) and `getTimeHashInMinutes` (v2)",
        range: Confirmed,
        check: Check::Test("cronjob_job_name_seconds_before_v1_21"),
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
