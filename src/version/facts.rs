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
/// stderr) must match `before` and not `after` on the old side, and the
/// reverse on the new side. Forms are regular expressions (multi-line mode);
/// an empty form means the command prints nothing.
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

use Check::{Probe as P, Test as T};
use Range::Confirmed;

const NO_FILES: &[(&str, &str)] = &[];
const NO_SETUP: &[&str] = &[];

const PV: &[(&str, &str)] = &[(
    "pv.yaml",
    "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /data\n",
)];
const STORAGE_CLASS: &[(&str, &str)] = &[(
    "sc.yaml",
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: slow\nprovisioner: kubernetes.io/no-provisioner\n",
)];
const STATEFUL_SET: &[(&str, &str)] = &[(
    "sts.yaml",
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n",
)];
const INGRESS_V1BETA1: &[(&str, &str)] = &[(
    "ing.yaml",
    "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n",
)];
const CSR_V1BETA1: &[(&str, &str)] = &[(
    "csr.yaml",
    "apiVersion: certificates.k8s.io/v1beta1\nkind: CertificateSigningRequest\nmetadata:\n  name: alice\nspec:\n  request: cmVx\n  usages: [client auth]\n",
)];
const CSR_V1: &[(&str, &str)] = &[(
    "csr.yaml",
    "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: alice\nspec:\n  request: cmVx\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n",
)];
const CSI_DRIVER: &[(&str, &str)] = &[(
    "csi.yaml",
    "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: hostpath.csi.k8s.io\nspec:\n  attachRequired: false\n",
)];
const PRIORITY_LEVEL_V1BETA2: &[(&str, &str)] = &[(
    "pl.yaml",
    "apiVersion: flowcontrol.apiserver.k8s.io/v1beta2\nkind: PriorityLevelConfiguration\nmetadata:\n  name: low\nspec:\n  type: Limited\n  limited:\n    assuredConcurrencyShares: 5\n    limitResponse:\n      type: Reject\n",
)];
const CRON_JOB: &[(&str, &str)] = &[(
    "cj.yaml",
    "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: hello\n            image: busybox\n",
)];

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
    /// `get statefulsets` shows READY instead of DESIRED and CURRENT.
    StatefulSetReadyColumn {
        since: 13, side: Kubectl,
        what: "`get statefulsets` prints `NAME READY AGE` (`ready/desired`); it printed `NAME DESIRED CURRENT AGE`",
        source: "pkg/printers/internalversion/printers.go statefulSetColumnDefinitions (v1.13.0)",
        range: Confirmed,
        check: P(Probe { files: STATEFUL_SET, setup: &["kubectl apply -f sts.yaml"], command: "kubectl get statefulsets",
            before: "NAME   DESIRED   CURRENT   AGE\n", after: "NAME   READY   AGE\n" }),
    }
    /// `get pv,pvc -o wide` adds VOLUMEMODE.
    VolumeModeColumn {
        since: 15, side: Kubectl,
        what: "`get pv` and `get pvc` with `-o wide` add a VOLUMEMODE column",
        source: "pkg/printers/internalversion/printers.go persistentVolumeColumnDefinitions, persistentVolumeClaimColumnDefinitions (v1.15.0)",
        range: Confirmed,
        check: P(Probe { files: PV, setup: &["kubectl apply -f pv.yaml"], command: "kubectl get pv -o wide",
            before: "REASON   AGE\n", after: "VOLUMEMODE\n" }),
    }
    /// `get storageclasses` adds the policy columns.
    StorageClassPolicyColumns {
        since: 17, side: Kubectl,
        what: "`get storageclasses` adds RECLAIMPOLICY, VOLUMEBINDINGMODE and ALLOWVOLUMEEXPANSION",
        source: "pkg/printers/internalversion/printers.go storageClassColumnDefinitions (v1.17.0)",
        range: Confirmed,
        check: P(Probe { files: STORAGE_CLASS, setup: &["kubectl apply -f sc.yaml"], command: "kubectl get storageclasses",
            before: "PROVISIONER                    AGE\n", after: "RECLAIMPOLICY" }),
    }
    /// `get ingress` adds CLASS.
    IngressClassColumn {
        since: 18, side: Kubectl,
        what: "`get ingress` adds a CLASS column (`spec.ingressClassName`, `<none>` when unset)",
        source: "pkg/printers/internalversion/printers.go ingressColumnDefinitions (v1.18.0)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1BETA1, setup: &["kubectl apply -f ing.yaml"], command: "kubectl get ingress",
            before: "NAME   HOSTS", after: "NAME   CLASS    HOSTS" }),
    }
    /// `get csr` adds SIGNERNAME.
    CsrSignerNameColumn {
        since: 18, side: Kubectl,
        what: "`get csr` adds a SIGNERNAME column",
        source: "pkg/printers/internalversion/printers.go certificateSigningRequestColumnDefinitions (v1.18.0)",
        range: Confirmed,
        check: P(Probe { files: CSR_V1BETA1, setup: &["kubectl apply -f csr.yaml"], command: "kubectl get csr",
            before: "AGE   REQUESTOR", after: "SIGNERNAME" }),
    }
    /// `get csidrivers` adds the capacity and token columns.
    CsiDriverCapacityAndTokenColumns {
        since: 21, side: Kubectl,
        what: "`get csidrivers` adds STORAGECAPACITY, TOKENREQUESTS and REQUIRESREPUBLISH (their feature gates, CSIStorageCapacity and CSIServiceAccountToken, are on by default from v1.21)",
        source: "pkg/printers/internalversion/printers.go csiDriverColumnDefinitions and pkg/features/kube_features.go (v1.20.0: both alpha, off; v1.21.0: beta, on)",
        range: Confirmed,
        check: P(Probe { files: CSI_DRIVER, setup: &["kubectl apply -f csi.yaml"], command: "kubectl get csidrivers",
            before: "PODINFOONMOUNT   MODES", after: "STORAGECAPACITY" }),
    }
    /// `get csr` adds REQUESTEDDURATION.
    CsrRequestedDurationColumn {
        since: 22, side: Kubectl,
        what: "`get csr` adds a REQUESTEDDURATION column (`spec.expirationSeconds`)",
        source: "pkg/printers/internalversion/printers.go certificateSigningRequestColumnDefinitions (v1.22.2)",
        range: Confirmed,
        check: P(Probe { files: CSR_V1, setup: &["kubectl apply -f csr.yaml"], command: "kubectl get csr",
            before: "REQUESTOR +CONDITION", after: "REQUESTEDDURATION" }),
    }
    /// Priority levels count nominal, not assured, shares.
    NominalConcurrencyShares {
        since: 26, side: Kubectl,
        what: "`get prioritylevelconfigurations` names its shares column NOMINALCONCURRENCYSHARES (was ASSUREDCONCURRENCYSHARES, flowcontrol v1beta3)",
        source: "pkg/printers/internalversion/printers.go priorityLevelColumnDefinitions (v1.26.0)",
        range: Confirmed,
        check: P(Probe { files: PRIORITY_LEVEL_V1BETA2, setup: &["kubectl apply -f pl.yaml"], command: "kubectl get prioritylevelconfigurations low",
            before: "ASSUREDCONCURRENCYSHARES", after: "NOMINALCONCURRENCYSHARES" }),
    }
    /// `get pv,pvc` adds VOLUMEATTRIBUTESCLASS.
    VolumeAttributesClassColumn {
        since: 29, side: Kubectl,
        what: "`get pv` and `get pvc` add a VOLUMEATTRIBUTESCLASS column after STORAGECLASS",
        source: "pkg/printers/internalversion/printers.go persistentVolumeColumnDefinitions, persistentVolumeClaimColumnDefinitions (v1.29.0)",
        range: Confirmed,
        check: P(Probe { files: PV, setup: &["kubectl apply -f pv.yaml"], command: "kubectl get pv",
            before: "STORAGECLASS   REASON", after: "VOLUMEATTRIBUTESCLASS" }),
    }
    /// HPA targets name their metric.
    HpaTargetsNameMetric {
        since: 30, side: Kubectl,
        what: "`get hpa` TARGETS names each resource metric: `cpu: 0%/50%` (was `0%/50%`)",
        source: "pkg/printers/internalversion/printers.go formatHPAMetrics (v1.30.0; v1.29.0 prints `%s/%s` without the name)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES,
            setup: &["kubectl create deployment web --image=nginx", "kubectl autoscale deployment web --cpu-percent=50 --max=3"],
            command: "kubectl get hpa", before: r"   <unknown>/50%", after: r" cpu: <unknown>/50%" }),
    }
    /// `get jobs` adds STATUS.
    JobStatusColumn {
        since: 30, side: Kubectl,
        what: "`get jobs` adds a STATUS column (Running, Complete, Failed, Suspended, …) before COMPLETIONS",
        source: "pkg/printers/internalversion/printers.go jobColumnDefinitions (v1.30.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create job pi --image=busybox"], command: "kubectl get jobs",
            before: "NAME   COMPLETIONS", after: "NAME   STATUS" }),
    }
    /// `get priorityclasses` adds PREEMPTIONPOLICY.
    PriorityClassPreemptionPolicyColumn {
        since: 32, side: Kubectl,
        what: "`get priorityclasses` adds a PREEMPTIONPOLICY column",
        source: "pkg/printers/internalversion/printers.go priorityClassColumnDefinitions (v1.32.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get priorityclasses",
            before: "GLOBAL-DEFAULT   AGE\n", after: "PREEMPTIONPOLICY" }),
    }
    /// kubectl's own warnings go through the WarningPrinter.
    WarningPrinter {
        since: 25, side: Kubectl,
        what: "kubectl's own warnings print as `Warning: …` through the WarningPrinter: `delete --force` (was `warning: Immediate deletion …`) and `drain` (was `WARNING: …`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go and pkg/drain (v1.24.0 prints `warning:`/`WARNING:`; v1.25.0 uses printers.WarningPrinter)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl delete pod p --grace-period=0 --force",
            before: "warning: Immediate deletion", after: "Warning: Immediate deletion" }),
    }
    /// A terminal pod being deleted keeps its phase in `get pods`.
    TerminatingKeepsTerminalPhase {
        since: 31, side: Cluster,
        what: "`get pods` shows a deleted pod that already Succeeded or Failed with its phase (was `Terminating` for every pod being deleted)",
        source: "pkg/printers/internalversion/printers.go printPod (v1.31.0: `!IsPodPhaseTerminal`; v1.30.0 marks every deleting pod Terminating)",
        range: Confirmed,
        check: T("terminal_pods_keep_their_phase_while_deleted"),
    }
    /// Service accounts no longer get token Secrets.
    NoServiceAccountTokenSecrets {
        since: 24, side: Cluster,
        what: "service accounts no longer get an auto-generated `default-token-xxxxx` Secret (LegacyServiceAccountTokenNoAutoGeneration on by default)",
        source: "pkg/features/kube_features.go (v1.24.0: LegacyServiceAccountTokenNoAutoGeneration beta, on; absent in v1.23.0) and pkg/controller/serviceaccount/tokens_controller.go",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get secrets",
            before: "^default-token-[a-z0-9]{5} +kubernetes.io/service-account-token", after: "No resources found in default namespace." }),
    }
    /// Jobs count their ready pods.
    JobReadyPods {
        since: 24, side: Cluster,
        what: "a Job's status counts its ready pods (`status.ready`, written even when 0; JobReadyPods on by default)",
        source: "pkg/features/kube_features.go (v1.23.0: JobReadyPods alpha, off; v1.24.0: beta, on) and pkg/controller/job/job_controller.go",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create job pi --image=busybox"],
            command: "kubectl get job pi -o jsonpath={.status.ready}", before: "", after: "^0$" }),
    }
    /// The image-pulled event adds the time spent waiting.
    PulledEventIncludesWaiting {
        since: 26, side: Cluster,
        what: "the kubelet's Pulled event adds the time spent waiting: `Successfully pulled image \"nginx\" in 1.2s (1.2s including waiting)`",
        source: "pkg/kubelet/images/image_manager.go (v1.25.0: `in %v`; v1.26.0: `in %v (%v including waiting)`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"],
            command: "kubectl get events --field-selector reason=Pulled -o jsonpath={.items[0].message}",
            before: r#"^Successfully pulled image "nginx" in [0-9.]+m?s$"#, after: r"including waiting\)$" }),
    }
    /// Deployment scaling events name the old size.
    ScalingEventNamesOldSize {
        since: 25, side: Cluster,
        what: "the Deployment controller's ScalingReplicaSet event names the old size: `Scaled up replica set web-x to 3 from 1` (was `… to 3`)",
        source: "pkg/controller/deployment/sync.go scaleReplicaSet (v1.24.0: `to %d`; v1.25.0: `to %d from %d`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl scale deployment web --replicas=3"],
            command: "kubectl get events --field-selector reason=ScalingReplicaSet -o jsonpath={.items[*].message}",
            before: r"to 3$", after: r"to 3 from 1$" }),
    }
    /// Deployment scaling events say `from M to N`.
    ScalingEventFromTo {
        since: 32, side: Cluster,
        what: "the ScalingReplicaSet event reads `Scaled up replica set web-x from 1 to 3` (was `to 3 from 1`), and `from 0 to 1` when the ReplicaSet is created (was `to 1`)",
        source: "pkg/controller/deployment/sync.go scaleReplicaSet and getNewReplicaSet (v1.31.0: `to %d from %d`, `to %d`; v1.32.0: `from %d to %d`, `from 0 to %d`; kubernetes#125118)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl scale deployment web --replicas=3"],
            command: "kubectl get events --field-selector reason=ScalingReplicaSet -o jsonpath={.items[*].message}",
            before: r"to 3 from 1$", after: r"from 1 to 3$" }),
    }
    /// The node lifecycle controller waits 50 s for heartbeats.
    NodeMonitorGracePeriod50s {
        since: 32, side: Cluster,
        what: "kube-controller-manager's `--node-monitor-grace-period` defaults to 50 s (was 40 s): a node whose kubelet stops turns NotReady/Unknown 10 s later",
        source: "pkg/controller/nodelifecycle/config/v1alpha1/defaults.go (v1.31.0: 40 s; v1.32.0: 50 s)",
        range: Confirmed,
        check: T("node_monitor_grace_period_by_version"),
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
    /// `delete` names the object's namespace.
    DeleteNamesNamespace {
        since: 34, side: Kubectl,
        what: "`delete` of a namespaced object prints `pod \"p\" deleted from default namespace` (was `pod \"p\" deleted`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go PrintObj (absent at v0.33.0, present at v0.34.0; real kubectl 1.33 and 1.35 against a v1.35.4 cluster)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl delete pod p",
            before: r#"^pod "p" deleted$"#, after: r#"^pod "p" deleted from default namespace$"# }),
    }
    /// `get cronjobs` adds TIMEZONE.
    CronJobTimezoneColumn {
        since: 30, side: Kubectl,
        what: "`get cronjobs` adds a TIMEZONE column after SCHEDULE (`<none>` when unset)",
        source: "pkg/printers/internalversion/printers.go cronJobColumnDefinitions (absent at v1.29.0, present at v1.30.0; kubernetes#122231)",
        range: Confirmed,
        check: P(Probe { files: CRON_JOB, setup: &["kubectl apply -f cj.yaml"],
            command: "kubectl get cronjobs", before: "SCHEDULE +SUSPEND", after: "SCHEDULE +TIMEZONE" }),
    }
    /// explain validates its argument count itself.
    ExplainValidatesArguments {
        since: 11, side: Kubectl,
        what: "`explain` without a resource (or with two) fails with `error: You must specify the type of resource to explain. Use \"kubectl api-resources\" ...` (or `We accept only this format: explain RESOURCE`); v1.10 printed every resource type and a usage error (not emulated: reported unsupported)",
        source: "pkg/kubectl/cmd/explain.go (v1.10.0: RunExplain with cmdutil.ValidResourceTypeList and UsageErrorf; v1.11.0: ExplainOptions.Validate)",
        range: Confirmed,
        check: T("explain_arguments_are_validated_from_v1_11"),
    }
    /// explain no longer formats plain lines.
    ExplainLinesAsText {
        since: 11, side: Kubectl,
        what: "`explain` prints description lines as text; v1.10's `Formatter.Write` passed every wrapped line through `fmt.Sprintf`, so a field's `10%)` printed `10%!)(MISSING)`",
        source: "pkg/kubectl/explain/formatter.go Formatter.Write (v1.10.0: always fmt.Sprintf(str, a...); v1.11.0: only when given arguments)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain deployment.spec.strategy.rollingUpdate",
            before: r"10%!\)\(MISSING\)", after: r"\(ex: 10%\)" }),
    }
    /// explain --recursive survives self-referencing types.
    ExplainRecursiveCycleGuard {
        since: 13, side: Kubectl,
        what: "`explain --recursive` stops at a type it is already expanding (JSONSchemaProps in a CRD's validation schema); before, kubectl recursed until its stack overflowed (reported unsupported)",
        source: "pkg/kubectl/explain/recursive_fields_printer.go (v1.12.0: no guard; v1.13.0: visitedReferences)",
        range: Confirmed,
        check: T("recursive_explain_of_a_cycle_crashed_before_v1_13"),
    }
    /// explain prints typeless (arbitrary) values and `<empty>`.
    ExplainArbitraryValues {
        since: 14, side: Kubectl,
        what: "`explain` of a value without a schema type (a CRD schema's `default`) prints its header and description, and an empty description prints `<empty>`; before, such a value printed nothing, and a path through one crashed kubectl (reported unsupported)",
        source: "pkg/kubectl/explain/field_lookup.go and model_printer.go VisitArbitrary, PrintDescription's `<empty>` (absent in v1.13.0, present in v1.14.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain crd.spec.validation.openAPIV3Schema.default",
            before: "", after: "^     JSON represents any valid JSON value" }),
    }
    /// explain's word wrap keeps lists, code and paragraphs.
    ExplainKeepsLineBreaks {
        since: 19, side: Kubectl,
        what: "`explain` wraps a description line by line, keeping paragraphs, list items, lines after a `:` and indented code (joined everything into one paragraph before)",
        source: "staging/src/k8s.io/kubectl/pkg/explain/formatter.go wrapString (k8s.io/kubectl v0.18.0: strings.Fields over the whole text; v0.19.0: shouldStartNewLine)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain pod.spec.containers.resources.limits",
            before: r"accessors\. The serialization format is:", after: "^     The serialization format is:$" }),
    }
    /// explain's missing-kind error is lower-case.
    ExplainCouldntLowerCase {
        since: 19, side: Kubectl,
        what: "`explain` of a kind the served OpenAPI lacks says `error: couldn't find resource for \"apps/v1beta1, Kind=Deployment\"` (was `Couldn't`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go Run (k8s.io/kubectl v0.18.0: \"Couldn't find resource for %q\"; v0.19.0: \"couldn't ...\")",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain deployment --api-version=apps/v1beta1",
            before: "error: Couldn't find resource for", after: "error: couldn't find resource for" }),
    }
    /// explain takes a group-qualified resource.
    ExplainGroupQualifiedResource {
        since: 21, side: Kubectl,
        what: "`explain deployments.apps.spec` takes `deployments.apps` as the resource (SplitAndParseResourceRequestWithMatchingPrefix); before, the first dotted part was the resource and the rest fields (`error: field \"apps\" does not exist`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go Run (k8s.io/kubectl v0.20.0: SplitAndParseResourceRequest; v0.21.0: ...WithMatchingPrefix)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain deployments.apps.spec.replicas",
            before: r#"field "apps" does not exist"#, after: "^FIELD:    replicas <integer>$" }),
    }
    /// explain's model description is no longer a format string.
    ExplainDescriptionAsText {
        since: 24, side: Kubectl,
        what: "`explain` prints the description of the explained type or field as text; before, it went through `fmt.Sprintf` as a format string, so `10%)` printed `10%!)(MISSING)`",
        source: "staging/src/k8s.io/kubectl/pkg/explain/model_printer.go PrintDescription (k8s.io/kubectl v0.23.0: WriteWrapped(desc); v0.24.0: WriteWrapped(\"%s\", desc))",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain deployment.spec.strategy.rollingUpdate.maxSurge",
            before: r"\(ex: 10%!\)\(MISSING\)", after: r"\(ex: 10%\)" }),
    }
    /// explain reads OpenAPI v3 through a template.
    ExplainOpenApiV3 {
        since: 27, side: Kubectl,
        what: "`explain` renders the OpenAPI v3 documents through the `plaintext` template (`GROUP:`, `KIND:       Pod`, `FIELD: name <type>`, two-space field indents, types such as `<[]Container>`) and takes `--output plaintext|plaintext-openapiv2`; before, the v2 printer (`KIND:     Pod`, `RESOURCE:`, `<[]Object>`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go (k8s.io/kubectl v0.27.0: KUBECTL_EXPLAIN_OPENAPIV3 on by default, pkg/explain/v2/templates/plaintext.tmpl)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain pods",
            before: "^KIND:     Pod$", after: "^KIND:       Pod$" }),
    }
    /// explain's template finds a kind by any of its paths.
    ExplainFindsUnlistedKinds {
        since: 28, side: Kubectl,
        what: "`explain` finds the kind of a resource without a list path (`tokenreviews`, `bindings`); v1.27.0-v1.27.3's template looked only at the `get` of the cluster-wide list path and failed with `error: GVR (...) not found in OpenAPI schema` (the fix was backported to v1.27.4)",
        source: "staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl (k8s.io/kubectl v0.27.0-v0.27.3: one path, `get`; v0.27.4 and v0.28.0: four paths, five methods); real kubectl v1.27.16 against v1.33.13 explains tokenreviews",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain tokenreviews",
            before: r"GVR \(authentication.k8s.io/v1, Resource=tokenreviews\) not found", after: "^KIND:       TokenReview$" }),
    }
    /// explain takes `-o`.
    ExplainOutputShorthand {
        since: 32, side: Kubectl,
        what: "`explain` takes `-o` for `--output` (before: `error: unknown shorthand flag: 'o' in -o`); v1.33 lost it again (`ExplainOutputShorthandLost`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go (k8s.io/kubectl v0.31.0: StringVar; v0.32.0: StringVarP \"o\"); real kubectl 1.31 and 1.32",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain pods -o plaintext",
            before: "unknown shorthand flag: 'o' in -o", after: "^KIND:       Pod$" }),
    }
    /// explain's `-o` is gone in v1.33.
    ExplainOutputShorthandLost {
        since: 33, side: Kubectl,
        what: "`explain` rejects `-o` again (`error: unknown shorthand flag: 'o' in -o`): the move to ExplainFlags registered `--output` without it; v1.34 restored it (`ExplainOutputShorthandRestored`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go (k8s.io/kubectl v0.33.0: flags.AddFlags, StringVar); real kubectl 1.32 and 1.33",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain pods -o plaintext",
            before: "^KIND:       Pod$", after: "unknown shorthand flag: 'o' in -o" }),
    }
    /// explain's `-o` is back in v1.34.
    ExplainOutputShorthandRestored {
        since: 34, side: Kubectl,
        what: "`explain` takes `-o` for `--output` again",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go (k8s.io/kubectl v0.33.0: StringVar; v0.34.0: StringVarP \"o\")",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain pods -o plaintext",
            before: "unknown shorthand flag: 'o' in -o", after: "^KIND:       Pod$" }),
    }
    /// go-wordwrap counts characters.
    ExplainWrapCountsCharacters {
        since: 28, side: Kubectl,
        what: "`explain`'s template wraps by characters (go-wordwrap v1.0.1); kubectl v1.27 counted bytes (v1.0.0), so lines with non-ASCII text broke earlier",
        source: "go.mod of k8s.io/kubernetes v1.27.0 (github.com/mitchellh/go-wordwrap v1.0.0) and k8s.io/kubectl v0.28.0 (v1.0.1)",
        range: Confirmed,
        check: T("word_wrap_breaks_at_spaces_and_drops_them"),
    }
    /// explain prints a field's enum values.
    ExplainEnums {
        since: 30, side: Kubectl,
        what: "`explain` prints a field's enum values: `ENUM:` and one value a line under `FIELD:` (which is followed by an empty line either way), `enum: a, b, c, d, ....` under a field in the list",
        source: "staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl extractEnum (k8s.io/kubectl v0.29.0: absent; v0.30.0: added)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl explain pod.spec.restartPolicy",
            before: "^FIELD: restartPolicy <string>\n\nDESCRIPTION:$", after: "^ENUM:\n    Always$" }),
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
