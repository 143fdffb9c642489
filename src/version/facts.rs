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
/// an empty form means the command prints nothing. A command kubeplay
/// reports unsupported (a form it emulates from one release on only)
/// prints `unsupported: WHAT`. The cluster is kubeadm's of that release
/// ([`crate::sim::profiles::profile_at`]), with kubectl in UTC.
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
    /// The first patch release of `since` with the new form: 0 for a change
    /// made in a minor release, N for one cherry-picked into `v1.since.N`
    /// (a feature gate's default flipped in a patch release).
    pub since_patch: u32,
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
        let change = fact.change();
        (self.minor(), self.patch()) >= (change.since, change.since_patch)
    }
}

impl Fact {
    /// This fact's change.
    pub fn change(self) -> &'static Change {
        &CHANGES[self as usize]
    }

    /// Whether minor `minor` (of major 1), at its `.0` release, has the new
    /// form. For code that still carries the minor alone; prefer
    /// [`KubeVersion::has`], which also sees patch-release boundaries.
    pub fn holds_at(self, minor: u32) -> bool {
        (minor, 0) >= (self.change().since, self.change().since_patch)
    }
}

macro_rules! facts {
    ($( $(#[$doc:meta])* $fact:ident {
        since: $since:expr, $(since_patch: $since_patch:expr,)? side: $side:ident, what: $what:expr,
        source: $source:expr, range: $range:expr, check: $check:expr $(,)?
    } )*) => {
        /// A behaviour that changed at one release; see [`CHANGES`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fact { $( $(#[$doc])* $fact, )* }

        /// Every change, in [`Fact`] order.
        pub const CHANGES: &[Change] = &[ $( Change {
            fact: Fact::$fact, since: $since, since_patch: 0 $(+ $since_patch)?,
            side: Side::$side, what: $what,
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

/// A selector-less Service and a slice written by hand, one endpoint ready,
/// one not, one without the condition.
const MANUAL_SLICE: &[(&str, &str)] = &[(
    "manual.yaml",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: manual\nspec:\n  ports:\n  - name: http\n    port: 80\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: manual-1\n  labels:\n    kubernetes.io/service-name: manual\n    endpointslice.kubernetes.io/managed-by: by-hand\naddressType: IPv4\nports:\n- name: http\n  port: 8080\n  protocol: TCP\nendpoints:\n- addresses: [\"10.0.0.1\"]\n  conditions: {ready: true}\n- addresses: [\"10.0.0.2\"]\n  conditions: {ready: false}\n- addresses: [\"10.0.0.3\"]\n",
)];

const JOB_INDEXED: &[(&str, &str)] = &[(
    "job.yaml",
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: idx\nspec:\n  completions: 2\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n",
)];
const JOB_POD_FAILURE_POLICY: &[(&str, &str)] = &[(
    "job.yaml",
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pfp\nspec:\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [42]\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n",
)];
const JOB_BACKOFF_PER_INDEX: &[(&str, &str)] = &[(
    "job.yaml",
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: bpi\nspec:\n  completions: 2\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n",
)];
const JOB_SUCCESS_POLICY: &[(&str, &str)] = &[(
    "job.yaml",
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: sp\nspec:\n  completions: 2\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededIndexes: \"0\"\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n",
)];
const JOB_MANAGED_BY: &[(&str, &str)] = &[(
    "job.yaml",
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: mb\nspec:\n  managedBy: example.com/controller\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n",
)];
const CRON_JOB_TIME_ZONE: &[(&str, &str)] = &[(
    "cj.yaml",
    "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tz\nspec:\n  schedule: \"0 3 * * *\"\n  timeZone: Etc/UTC\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox\n",
)];
const INGRESS_CLASS_PARAMETERS: &[(&str, &str)] = &[(
    "ic.yaml",
    "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: external\nspec:\n  controller: example.com/ingress\n  parameters:\n    apiGroup: k8s.example.com\n    kind: IngressParameters\n    name: external\n",
)];
const INGRESS_V1_RULES: &[(&str, &str)] = &[(
    "ing.yaml",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
)];
const INGRESS_RESOURCE_BACKEND: &[(&str, &str)] = &[(
    "ing.yaml",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    resource:\n      kind: StorageBucket\n      name: static\n",
)];
const NETWORK_POLICY: &[(&str, &str)] = &[(
    "np.yaml",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - protocol: TCP\n      port: 32000\n      endPort: 32768\n",
)];
const POD: &[(&str, &str)] = &[(
    "pod.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
)];
const POD_NAMED_PORT: &[(&str, &str)] = &[(
    "pod.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - name: http\n      containerPort: 80\n",
)];

const POD_UNKNOWN_FIELD: &[(&str, &str)] = &[(
    "pod.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  foo: bar\n  containers:\n  - name: c\n    image: nginx\n",
)];
const POD_TOO_BIG: &[(&str, &str)] = &[(
    "pod.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources:\n      requests:\n        cpu: \"100\"\n",
)];
const POD_REFUSED_PROBE: &[(&str, &str)] = &[(
    "pod.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    livenessProbe:\n      httpGet:\n        path: /\n        port: 81\n",
)];

const POD_FAILING_PRE_STOP: &[(&str, &str)] = &[(
    "pod.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    lifecycle:\n      preStop:\n        exec:\n          command: [sh, -c, exit 3]\n",
)];

const INGRESS_V1: &[(&str, &str)] = &[(
    "ing.yaml",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n",
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
    /// Services get `spec.clusterIPs`.
    ServiceClusterIPs {
        since: 20, side: Cluster,
        what: "the API server fills a Service's `spec.clusterIPs` (`[\"10.96.0.1\"]`) along with `spec.clusterIP` (the field did not exist before)",
        source: "pkg/apis/core/types.go (v1.20.0 adds ClusterIPs, IPFamilies, IPFamilyPolicy; v1.19.0 has the alpha IPFamily only)",
        range: Range::Unconfirmed("the v1.19/v1.20 type definitions; the v1.20 registry's defaulting not read"),
        check: P(Probe { files: NO_FILES, setup: &["kubectl create service clusterip web --tcp=80"],
            command: "kubectl get service web -o jsonpath={.spec.clusterIPs}",
            before: "^$", after: "^\\[\"10\\." }),
    }
    /// Services get `ipFamilies` and `ipFamilyPolicy` by default.
    ServiceIPFamilies {
        since: 21, side: Cluster,
        what: "the API server defaults a Service's `spec.ipFamilies` (`[IPv4]`) and `spec.ipFamilyPolicy` (`SingleStack`), and `describe service` shows `IP Family Policy:  SingleStack` and `IP Families:  IPv4` (v1.20: the IPv6DualStack gate, alpha and off, drops both: `IP Families:  <none>`)",
        source: "CHANGELOG-1.21.md (IPv6DualStack to beta, on by default); pkg/apis/core/types.go v1.20.0 (IPFamilies, IPFamilyPolicy behind the gate)",
        range: Range::Unconfirmed("from the v1.21 CHANGELOG and v1.20 transcripts (`IP Families:       <none>`)"),
        check: P(Probe { files: NO_FILES, setup: &["kubectl create service clusterip web --tcp=80"],
            command: "kubectl describe service web",
            before: "IP Families:       <none>", after: "IP Family Policy:  SingleStack\nIP Families:       IPv4" }),
    }
    /// `describe service` shows the IP families and `IPs`.
    DescribeServiceIPFamilies {
        since: 20, side: Kubectl,
        what: "`kubectl describe service` prints `IP Families:` before `IP:` and `IPs:` after it (`IP Family Policy:` too when the server set it); before, only `IP:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeService (v1.15.0 pkg/kubectl/describe/versioned/describe.go: `IP:` only); v1.20 transcripts",
        range: Range::Unconfirmed("kubectl v1.16-v1.19 sources not unpacked here; v1.19 transcripts show `IP:` alone"),
        check: P(Probe { files: NO_FILES, setup: &["kubectl create service clusterip web --tcp=80"],
            command: "kubectl describe service web",
            before: "Type:              ClusterIP\nIP:  ", after: "Type:              ClusterIP\nIP Families:" }),
    }
    /// `get jobs` shows COMPLETIONS and DURATION.
    JobCompletionsColumns {
        since: 12, side: Cluster,
        what: "`get jobs` prints `NAME COMPLETIONS DURATION AGE` (`1/1`, `2m11s`); before, `NAME DESIRED SUCCESSFUL AGE` with `spec.completions` (`<none>` when unset) and `status.succeeded`",
        source: "pkg/printers/internalversion/printers.go jobColumnDefinitions and printJob (v1.11.0: Desired, Successful; v1.12.0: Completions, Duration)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create job pi --image=busybox"], command: "kubectl get jobs",
            before: "NAME   DESIRED   SUCCESSFUL   AGE\npi     1         [01] ", after: "NAME   COMPLETIONS   DURATION   AGE" }),
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
    /// Pods mount a projected, bound service-account token.
    BoundServiceAccountTokenVolume {
        since: 21, side: Cluster,
        what: "the ServiceAccount admission plugin mounts a projected volume `kube-api-access-xxxxx` (a bound token, the `kube-root-ca.crt` CA and the namespace) into every container; before, it mounted the account's legacy token Secret as a `secret` volume named after it (`default-token-xxxxx`)",
        source: "pkg/features/kube_features.go BoundServiceAccountTokenVolume (v1.20.0: alpha, off; v1.21.0: beta, on) and plugin/pkg/admission/serviceaccount/admission.go mountServiceAccountToken",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run web --image=nginx"],
            command: "kubectl get pod web -o jsonpath={.spec.volumes[0].name}",
            before: "^default-token-[a-z0-9]{5}$", after: "^kube-api-access-[a-z0-9]{5}$" }),
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
    // ---- v1.11 ----
    /// `describe statefulset` prints the update strategy.
    DescribeStatefulSetUpdateStrategy {
        since: 11, side: Kubectl,
        what: "`describe statefulset` prints `Update Strategy:` (and a non-zero `Partition:`) after `Replicas:`",
        source: "pkg/printers/internalversion/describe.go StatefulSetDescriber (absent at v1.10.0, present at v1.11.0)",
        range: Confirmed,
        check: T("describe_statefulset_by_version"),
    }
    /// `describe networkpolicy` prints its peers as `From:` blocks.
    DescribeNetworkPolicyPeers {
        since: 11, side: Kubectl,
        what: "`describe networkpolicy` prints each rule's peers as `From:`/`To:` blocks (kubeplay emulates that page only; before it is unsupported)",
        source: "pkg/printers/internalversion/describe.go printNetworkPolicySpecIngressFrom (v1.11.0)",
        range: Confirmed,
        check: P(Probe { files: NETWORK_POLICY, setup: &["kubectl apply -f np.yaml"], command: "kubectl describe networkpolicy np",
            before: "^unsupported: kubectl describe networkpolicy before v1.11", after: "^Name: +np$" }),
    }
    /// `describe pvc` prints the claim's conditions.
    DescribePvcConditions {
        since: 11, side: Kubectl,
        what: "`describe pvc` prints a `Conditions:` table when the claim has conditions (a resize in progress)",
        source: "pkg/printers/internalversion/describe.go describePersistentVolumeClaim (v1.11.0; absent at v1.10.0)",
        range: Confirmed,
        check: T("describe_pvc_sections_by_version"),
    }
    /// kubeadm deploys CoreDNS.
    KubeadmCoreDns {
        since: 11, side: Cluster,
        what: "kubeadm deploys CoreDNS (Deployment `coredns`, still behind the Service `kube-dns`); before, the kube-dns add-on (Deployment `kube-dns`: kubedns, dnsmasq, sidecar)",
        source: "cmd/kubeadm/app/features/features.go CoreDNS (v1.10: beta, off; v1.11: GA, on) and phases/addons/dns; CHANGELOG-1.11.md (\"CoreDNS is now the default DNS server in kubeadm\")",
        range: Range::Unconfirmed("from kubeadm's v1.11 release note; the v1.10 and v1.11 sources are not at hand"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get deployments -n kube-system",
            before: "^kube-dns ", after: "^coredns " }),
    }
    // ---- v1.12 ----
    /// RBAC denials name the API group.
    RbacDeniedNamesApiGroup {
        since: 12, side: Cluster,
        what: "an RBAC denial reads `User \"jane\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"dev\"` (was `cannot list deployments in the namespace \"dev\"`)",
        source: "plugin/pkg/auth/authorizer/rbac/rbac.go (v1.12.0 `in API group`; v1.11.0 without)",
        range: Range::Unconfirmed("the v1.12 form is in the v1.12.0 sources; v1.11's is from transcripts"),
        check: T("forbidden_messages_per_version"),
    }
    /// `describe pvc` lists the pods that mount the claim.
    DescribePvcMountedBy {
        since: 12, side: Kubectl,
        what: "`describe pvc` lists the pods using the claim as `Mounted By:` (after the conditions)",
        source: "pkg/printers/internalversion/describe.go describePersistentVolumeClaim (v1.12.0)",
        range: Confirmed,
        check: T("describe_pvc_sections_by_version"),
    }
    /// The scheduler stops filtering after enough feasible nodes.
    SchedulerSamplesNodes {
        since: 12, side: Cluster,
        what: "on 100 nodes or more the scheduler stops filtering once it has found half of the nodes feasible (at least 100: `percentageOfNodesToScore` 50, `numFeasibleNodesToFind`), and each pod's search starts where the previous pod's stopped, so placements on large clusters follow that rotation; before, every node was filtered and scored",
        source: "pkg/scheduler/core/generic_scheduler.go numFeasibleNodesToFind, minFeasibleNodesToFind = 100, NodeTree().Next() (v1.12.0; absent in v1.11.0); pkg/scheduler/apis/config/v1alpha1/defaults.go PercentageOfNodesToScore = 50 (v1.12.0, v1.13.0)",
        range: Confirmed,
        check: T("scheduler_node_sampling_by_version"),
    }
    // ---- v1.13 ----
    /// kubectl v1.13 prints `*int32` statefulset fields as addresses.
    DescribeStatefulSetPointerBug {
        since: 13, side: Kubectl,
        what: "`describe statefulset` prints `Replicas:` and `Partition:` with `%d` of an `*int32`, a pointer address (reported unsupported); a zero Partition is printed (before, a value, skipped at 0)",
        source: "pkg/kubectl/describe/versioned/describe.go (v1.13.0, the versioned describer)",
        range: Confirmed,
        check: T("describe_statefulset_by_version"),
    }
    // ---- v1.14 ----
    /// kubectl v1.14 prints the statefulset's replicas again.
    DescribeStatefulSetReplicasFixed {
        since: 14, side: Kubectl,
        what: "`describe statefulset` prints `Replicas:` as a number again (the Partition address stays until v1.18)",
        source: "pkg/kubectl/describe/versioned/describe.go (v1.14.0 dereferences Replicas)",
        range: Confirmed,
        check: T("describe_statefulset_by_version"),
    }
    /// The share of nodes the scheduler looks for shrinks with the cluster.
    SchedulerAdaptiveNodeSampling {
        since: 14, side: Cluster,
        what: "the scheduler looks for `50 - nodes/125` percent of the nodes feasible (at least 5 %, at least 100 nodes), where it looked for a fixed half: 420 of 1,000 nodes, 500 of 5,000",
        source: "pkg/scheduler/core/generic_scheduler.go numFeasibleNodesToFind, minFeasibleNodesPercentageToFind = 5 (v1.14.0; absent in v1.13.0); pkg/scheduler/apis/config/v1alpha1/defaults.go no longer defaults PercentageOfNodesToScore to 50 (v1.14.0), so it stays 0, the adaptive case; pkg/scheduler/schedule_one.go numFeasibleNodesToFind (v1.35.0, unchanged)",
        range: Confirmed,
        check: T("scheduler_node_sampling_by_version"),
    }
    // ---- v1.15 ----
    /// `describe pvc` moves `Mounted By:` before the conditions.
    DescribePvcMountedByFirst {
        since: 15, side: Kubectl,
        what: "`describe pvc` prints the pods using the claim before the `Conditions:` (was after)",
        source: "pkg/kubectl/describe/versioned/describe.go describePersistentVolumeClaim (v1.15.0)",
        range: Confirmed,
        check: T("describe_pvc_sections_by_version"),
    }
    // ---- v1.17 ----
    /// kind's default StorageClass is local-path.
    KindLocalPathStorageClass {
        since: 17, side: Cluster,
        what: "kind's default StorageClass `standard` uses `rancher.io/local-path` with WaitForFirstConsumer (kind v0.7+, node images v1.17+); kind v0.6 (v1.16 images) used `kubernetes.io/host-path`, Immediate",
        source: "kind pkg/cluster/internal/create/actions/installstorage/storage.go (v0.6.0 host-path; v0.7.0 local-path-provisioner)",
        range: Range::Unconfirmed("a kind release, not a Kubernetes one: kind v0.7.0 shipped node image v1.17.0; older images under a newer kind also get local-path"),
        check: T("kind_storage_class_by_version"),
    }
    /// `describe networkpolicy` says which direction it leaves alone.
    DescribeNetworkPolicyNotAffecting {
        since: 17, side: Kubectl,
        what: "`describe networkpolicy` prints `Not affecting ingress traffic` (or egress) for a direction outside `policyTypes` (was `Allowing … traffic:` for both)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/versioned/describe.go (v1.17.0; absent at v1.15.0)",
        range: Range::Unconfirmed("the v1.16.0 describer is not in the sources at hand"),
        check: P(Probe { files: NETWORK_POLICY, setup: &["kubectl apply -f np.yaml"], command: "kubectl describe networkpolicy np",
            before: "Allowing ingress traffic:", after: "Not affecting ingress traffic" }),
    }
    /// `describe pvc` prints the claim's data source.
    DescribePvcDataSource {
        since: 17, side: Kubectl,
        what: "`describe pvc` prints a `DataSource:` block for a claim cloned or restored from another object",
        source: "staging/src/k8s.io/kubectl/pkg/describe/versioned/describe.go (v1.17.0; absent at v1.15.0)",
        range: Range::Unconfirmed("the v1.16.0 describer is not in the sources at hand"),
        check: T("describe_pvc_sections_by_version"),
    }
    // ---- v1.18 ----
    /// The scheduler's filters are framework plugins.
    SchedulerFrameworkPlugins {
        since: 18, side: Cluster,
        what: "the scheduler's filters are framework plugins: NodeResourcesFit runs before TaintToleration, a taint is named (`node(s) had taint {k: v}, that the pod didn't tolerate`, was `node(s) had taints that the pod didn't tolerate`), a full node is `Too many pods` (was `Insufficient pods`)",
        source: "pkg/scheduler/algorithmprovider/registry.go and framework/plugins/tainttoleration, noderesources/fit.go (v1.18.0; predicates before)",
        range: Confirmed,
        check: T("scheduler_reasons_at_each_boundary"),
    }
    /// kubeadm grants kubeadm:get-nodes.
    KubeadmGetNodesRole {
        since: 18, side: Cluster,
        what: "kubeadm creates the ClusterRole and binding `kubeadm:get-nodes` (bootstrap tokens may get nodes)",
        source: "cmd/kubeadm/app/phases/bootstraptoken/clusterinfo and node (v1.18.0 `kubeadm:get-nodes`)",
        range: Range::Unconfirmed("present in the v1.22 kubeadm sources; the first release is from kubeadm's v1.18 release note"),
        check: T("kubeadm_objects_by_version"),
    }
    /// `describe statefulset` prints the partition as a number.
    DescribeStatefulSetPartitionFixed {
        since: 18, side: Kubectl,
        what: "`describe statefulset` prints `Partition:` as a number again",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go (v0.18.0 dereferences Partition)",
        range: Confirmed,
        check: T("describe_statefulset_by_version"),
    }
    // ---- v1.19 ----
    /// The API server warns about deprecated API versions.
    DeprecatedApiWarnings {
        since: 19, side: Cluster,
        what: "a request in a deprecated API version gets a warning (kubectl prints `Warning: networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress`)",
        source: "staging/src/k8s.io/apiserver/pkg/endpoints/deprecation (v1.19.0; KEP-1693 warning headers)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1BETA1, setup: NO_SETUP, command: "kubectl apply -f ing.yaml",
            before: r"\Aingress\.networking\.k8s\.io/web created", after: r"\AWarning: networking\.k8s\.io/v1beta1 Ingress is deprecated in v1\.19\+" }),
    }
    /// PriorityClasses default their preemption policy.
    PriorityClassPreemptionPolicyDefault {
        since: 19, side: Cluster,
        what: "a PriorityClass (the system ones included) is defaulted `preemptionPolicy: PreemptLowerPriority` (NonPreemptingPriority beta, on)",
        source: "pkg/features/kube_features.go NonPreemptingPriority (alpha v1.15, beta v1.19) and pkg/apis/scheduling/v1/defaults.go SetDefaults_PriorityClass",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get priorityclass system-cluster-critical -o jsonpath={.preemptionPolicy}",
            before: "", after: "^PreemptLowerPriority$" }),
    }
    /// Failed HTTP probes quote the URL.
    HttpProbeQuotesUrl {
        since: 19, side: Cluster,
        what: "a refused httpGet probe reads `Get \"http://10.244.1.5:80/\": dial tcp …` (was the URL unquoted): Go 1.14's `url.Error` quotes it, and v1.19 is the first release built with Go ≥ 1.14",
        source: "pkg/probe/http/http.go (the error is Go's `*url.Error`); Go 1.14 release notes (net/url); v1.18 built with Go 1.13, v1.19 with Go 1.15 (CHANGELOG-1.19.md dependencies)",
        range: Confirmed,
        check: P(Probe { files: POD_REFUSED_PROBE, setup: &["kubectl apply -f pod.yaml"], command: "kubectl get events --field-selector reason=Unhealthy -o jsonpath={.items[0].message}",
            before: "^Liveness probe failed: Get http://", after: "^Liveness probe failed: Get \"http://" }),
    }
    /// gRPC probes are served by default.
    GrpcProbeOnByDefault {
        since: 24, side: Cluster,
        what: "the GRPCContainerProbe feature gate is beta and on by default: a container's `grpc` probe is kept and run by the kubelet; before (alpha in v1.23), the API server drops the field",
        source: "pkg/features/kube_features.go GRPCContainerProbe (v1.23.0: Default false, Alpha; v1.24.0: Default true, Beta; GA v1.27); pkg/probe/grpc/grpc.go",
        range: Confirmed,
        check: T("grpc_probe_by_version"),
    }
    /// A failed lifecycle hook's event says only which hook failed.
    LifecycleHookEventGeneric {
        since: 26, side: Cluster,
        what: "a failed postStart or preStop hook's warning event reads `PostStartHook failed` / `PreStopHook failed`; before, the handler's message (`Exec lifecycle hook ([sh -c exit 3]) for Container \"c\" in Pod \"p_default(UID)\" failed - error: command 'sh -c exit 3' exited with 3: , message: \"\"`), which could leak secrets from the command's output",
        source: "pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer/executePreStopHook (v1.26: recordContainerEvent(..., \"PostStartHook failed\")); pkg/kubelet/lifecycle/handlers.go Run; pkg/kubelet/cri/remote/remote_runtime.go ExecSync (`command '%s' exited with %d: %s`)",
        range: Confirmed,
        check: P(Probe { files: POD_FAILING_PRE_STOP, setup: &["kubectl apply -f pod.yaml", "kubectl delete pod p"], command: "kubectl get events --field-selector reason=FailedPreStopHook -o jsonpath={.items[0].message}",
            before: "^Exec lifecycle hook \\(\\[sh -c exit 3\\]\\) for Container \"c\" in Pod \"p_default\\(", after: "^PreStopHook failed$" }),
    }
    /// kubeplay builds kustomizations (kustomize v4.5 and later).
    KustomizeBuilds {
        since: 24, side: Kubectl,
        what: "`kubectl kustomize` and `-k` build with the kustomize kubectl embeds: v4.5.4 in kubectl 1.24, v4.5.7 in 1.25-1.26, v5 from 1.27 (v5.7.1 in 1.34-1.35); kubectl 1.21-1.23 embedded kustomize v4.0.5-v4.4.1 and 1.14-1.20 v2.0.3, which kubeplay does not build (reported unsupported)",
        source: "staging/src/k8s.io/kubectl/go.mod (sigs.k8s.io/kustomize/kustomize/v4 v4.5.4 at v0.24.0, v4.5.7 at v0.25.0; kustomize/v5 from v0.27.0); builds compared with kustomize v4.5.7 built from its Go module (kubectl 1.26's) and the real kubectl 1.27, 1.30 and 1.35.4 (tests/kustomize)",
        range: Range::Unconfirmed("v4.5.7 (kubectl 1.25-1.26) and v5 compared; kubectl 1.24's v4.5.4 is taken to build as v4.5.7 (patch releases)"),
        check: T("kustomize_builds_match_real_kubectl"),
    }
    /// kubectl embeds kustomize v5.
    KustomizeV5 {
        since: 27, side: Kubectl,
        what: "kustomize v5: loading a kustomization prints `# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically.` (and the same for `patchesStrategicMerge` and `patchesJson6902`, both for `patches`) to standard error; a strict-decoding error reads `invalid Kustomization: json: unknown field \"X\"` (was `json: unknown field \"X\"`); `labels[].includeTemplates` labels the pod templates of the templateLabels table, creating their label maps (v4: `spec/template/metadata/labels` only where it exists)",
        source: "sigs.k8s.io/kustomize/api v0.12.1 (kustomize v4.5.7) against v0.13.5 and v0.20.1: types/kustomization.go CheckDeprecatedFields, Kustomization.Unmarshal, internal/target/kusttarget_configplugin.go LabelTransformer; kustomize v4.5.7 built from its Go module and real kubectl 1.27, 1.30, 1.35.4",
        range: Confirmed,
        check: T("kustomize_builds_match_real_kubectl"),
    }
    /// kustomize warns that `commonLabels` is deprecated.
    KustomizeCommonLabelsDeprecated {
        since: 31, side: Kubectl,
        what: "a kustomization with `commonLabels` prints `# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.` to standard error (kustomize v5.4.2 in kubectl 1.31); the warnings for `bases`, `patchesStrategicMerge` and `patchesJson6902` are older",
        source: "sigs.k8s.io/kustomize/api types/kustomization.go CheckDeprecatedFields (v0.13.5 of kubectl 1.28-1.30: no commonLabels warning; v0.20.1: deprecatedCommonLabelsWarningMessage); real kubectl 1.30 prints nothing, 1.31, 1.33 and 1.35.4 print it",
        range: Confirmed,
        check: T("kustomize_builds_match_real_kubectl"),
    }
    /// `-f DIR` without a file kubectl reads is an error.
    EmptyDirectoryError {
        since: 11, side: Kubectl,
        what: "`-f DIR` naming a directory with no `.json`, `.yaml` or `.yml` file is the error `error reading [DIR]: recognized file extensions are [.json .yaml .yml]`; before, nothing was read and the command went on with no objects",
        source: "pkg/kubectl/resource/builder.go Path (v1.10: no check); pkg/kubectl/genericclioptions/resource/builder.go Path (v1.11: `error reading %v: recognized file extensions are %v`), unchanged in cli-runtime v0.35.4",
        range: Confirmed,
        check: T("a_directory_is_read_file_by_file"),
    }
    /// A container's `sleep` lifecycle hook is kept and run.
    LifecycleSleepAction {
        since: 30, side: Cluster,
        what: "the PodLifecycleSleepAction feature gate is beta and on by default: a `sleep` postStart/preStop handler is kept and the kubelet waits its seconds (`runSleepHandler`); before (alpha, off, in v1.29; absent earlier) the API server drops the field",
        source: "pkg/features/kube_features.go PodLifecycleSleepAction (v1.29.0: Default false, Alpha; v1.30.0: Default true, Beta); pkg/kubelet/lifecycle/handlers.go runSleepHandler",
        range: Confirmed,
        check: T("sleep_hooks_from_v1_30"),
    }
    /// kubectl trusts its discovery cache for six hours.
    DiscoveryCacheSixHours {
        since: 24, side: Kubectl,
        what: "kubectl's disk cache of API discovery (`~/.kube/cache/discovery`) is trusted for 6 hours (was 10 minutes): a deleted CRD's resource keeps mapping that long, unless a name misses in the cache or `kubectl api-resources` refreshes it",
        source: "staging/src/k8s.io/cli-runtime/pkg/genericclioptions/config_flags.go ToDiscoveryClient (k8s.io/cli-runtime v0.23.0: 10*time.Minute; v0.24.0: 6*time.Hour); the real kubectl 1.35.4 against the v1.35.4 control plane (api/crd-printer-columns step 14)",
        range: Confirmed,
        check: T("discovery_cache_ttl_by_version"),
    }
    /// `describe`'s Events `From` is the source component alone.
    DescribeEventFromComponent {
        since: 19, side: Kubectl,
        what: "`describe`'s Events `From` column is the event source's component alone (`kubelet`); before, the component and the source host joined by `, ` (`kubelet, minikube`) when the event has a host, as the kubelet's events do",
        source: "pkg/kubectl/describe/versioned/describe.go DescribeEvents/formatEventSource (v1.13-v1.15: `Component, Host`); staging/src/k8s.io/kubectl/pkg/describe/describe.go DescribeEvents (v1.19 on: `e.Source.Component`, else `ReportingController`)",
        range: Range::Unconfirmed("v1.15 source read; v1.16-v1.18 staging sources are not unpacked here, and the boundary follows recorded v1.18 minikube pages that print `kubelet, minikube`"),
        check: P(Probe { files: POD_REFUSED_PROBE, setup: &["kubectl apply -f pod.yaml"], command: "kubectl describe pod p",
            before: "^  Normal +Started .* kubelet, worker1 +Started container c$", after: "^  Normal +Started .* kubelet +Started container c$" }),
    }
    /// kubeplay describes networking/v1 Ingresses from v1.19.
    DescribeIngressV1 {
        since: 19, side: Kubectl,
        what: "`describe ingress` prints the networking.k8s.io/v1 page (`describeIngressV1`); kubeplay emulates no older page (unsupported)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeIngressV1 (v0.19.0)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1BETA1, setup: &["kubectl apply -f ing.yaml"], command: "kubectl describe ingress web",
            before: "^unsupported: kubectl describe ", after: "^Name: +web$" }),
    }
    // ---- v1.20 ----
    /// kubeadm labels control-plane nodes `control-plane` too.
    KubeadmControlPlaneLabel {
        since: 20, side: Cluster,
        what: "kubeadm labels its control-plane nodes `node-role.kubernetes.io/control-plane` as well as `node-role.kubernetes.io/master`: ROLES `control-plane,master` (was `master`); kind and minikube, which run kubeadm, likewise",
        source: "cmd/kubeadm/app/phases/markcontrolplane/markcontrolplane.go labelsToAdd (v1.22.2: LabelNodeRoleOldControlPlane and LabelNodeRoleControlPlane); KEP-2067, CHANGELOG-1.20.md",
        range: Range::Unconfirmed("v1.22.2 checked (both labels); the first release, v1.20, is from KEP-2067 and kubeadm's release note"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get nodes",
            before: "^master +Ready +master +", after: "^master +Ready +control-plane,master +" }),
    }
    /// The scheduler filters taints before resources.
    SchedulerTaintsFirst {
        since: 20, side: Cluster,
        what: "TaintToleration and NodeAffinity filter before NodeResourcesFit, so a tainted full node is reported for its taint",
        source: "pkg/scheduler/algorithmprovider/registry.go (v1.19.0 vs v1.20.0)",
        range: Confirmed,
        check: T("scheduler_reasons_at_each_boundary"),
    }
    /// NodeAffinity's reason names the Pod's node affinity.
    NodeAffinityReasonAffinity {
        since: 20, side: Cluster,
        what: "NodeAffinity's reason is `node(s) didn't match Pod's node affinity` (was `node(s) didn't match node selector`)",
        source: "pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (v1.19.0 vs v1.20.0)",
        range: Confirmed,
        check: T("scheduler_reasons_at_each_boundary"),
    }
    /// CSIDrivers default fsGroupPolicy.
    CsiDriverFsGroupPolicyDefault {
        since: 20, side: Cluster,
        what: "a CSIDriver is defaulted `fsGroupPolicy: ReadWriteOnceWithFSType` (CSIVolumeFSGroupPolicy beta, on)",
        source: "pkg/features/kube_features.go CSIVolumeFSGroupPolicy (alpha v1.19, beta v1.20) and pkg/apis/storage/v1/defaults.go",
        range: Confirmed,
        check: P(Probe { files: CSI_DRIVER, setup: &["kubectl apply -f csi.yaml"], command: "kubectl get csidriver hostpath.csi.k8s.io -o jsonpath={.spec.fsGroupPolicy}",
            before: "", after: "^ReadWriteOnceWithFSType$" }),
    }
    /// `api-resources` prints APIVERSION.
    ApiResourcesApiVersionColumn {
        since: 20, side: Kubectl,
        what: "`api-resources` prints an APIVERSION column (`apps/v1`); it printed APIGROUP (`apps`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiresources.go (v1.20.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl api-resources",
            before: "^NAME +SHORTNAMES +APIGROUP +NAMESPACED", after: "^NAME +SHORTNAMES +APIVERSION +NAMESPACED" }),
    }
    /// `describe networkpolicy` says `by destination` for egress.
    DescribeNetworkPolicyByDestination {
        since: 20, side: Kubectl,
        what: "an egress rule without peers reads `To: <any> (traffic not restricted by destination)` (was `by source`)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go (v0.19.0 `by source`, v0.20.0 `by destination`)",
        range: Confirmed,
        check: P(Probe { files: NETWORK_POLICY, setup: &["kubectl apply -f np.yaml"], command: "kubectl describe networkpolicy np",
            before: r"not restricted by source\)", after: r"not restricted by destination\)" }),
    }
    /// `describe ingress` without rules prints its default backend plainly.
    DescribeIngressRulelessFixed {
        since: 20, side: Kubectl,
        what: "`describe ingress` without rules prints `*  *  backend` and a service backend as `svc:port (endpoints)` (v1.19 printed `\\t* *` and Go's `%!(EXTRA string=…)`, and `svc:port\\t endpoints)`)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeIngressV1 (v0.19.0 vs v0.20.0)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1, setup: &["kubectl apply -f ing.yaml"], command: "kubectl describe ingress web",
            before: r"%!\(EXTRA string=", after: r"^[ \t]+\*[ \t]+\*[ \t]+web:80" }),
    }
    /// `describe pvc` says `Used By` and counts owner pods.
    DescribePvcUsedBy {
        since: 20, side: Kubectl,
        what: "`describe pvc` titles the pods using the claim `Used By:` (was `Mounted By:`) and adds the pods that own the claim (generic ephemeral volumes)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describePersistentVolumeClaim, getPodsForPVC (v0.20.0)",
        range: Confirmed,
        check: T("describe_pvc_sections_by_version"),
    }
    // ---- v1.21 ----
    /// NodeAffinity's reason adds `/selector`.
    NodeAffinityReasonSelector {
        since: 21, side: Cluster,
        what: "NodeAffinity's reason is `node(s) didn't match Pod's node affinity/selector`",
        source: "pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (v1.20.0 vs v1.21.0)",
        range: Confirmed,
        check: T("scheduler_reasons_at_each_boundary"),
    }
    /// CSIDrivers default storageCapacity and requiresRepublish.
    CsiDriverCapacityAndTokenDefaults {
        since: 21, side: Cluster,
        what: "a CSIDriver is defaulted `storageCapacity: false` and `requiresRepublish: false` (CSIStorageCapacity and CSIServiceAccountToken beta, on)",
        source: "pkg/features/kube_features.go (CSIStorageCapacity alpha v1.19, beta v1.21; CSIServiceAccountToken beta v1.21) and pkg/apis/storage/v1/defaults.go",
        range: Confirmed,
        check: P(Probe { files: CSI_DRIVER, setup: &["kubectl apply -f csi.yaml"], command: "kubectl get csidriver hostpath.csi.k8s.io -o jsonpath={.spec.storageCapacity}",
            before: "", after: "^false$" }),
    }
    // ---- v1.22 ----
    /// StatefulSets report available replicas.
    StatefulSetAvailableReplicas {
        since: 22, side: Cluster,
        what: "a StatefulSet's status has `availableReplicas` (the ready ones while StatefulSetMinReadySeconds is off)",
        source: "pkg/controller/statefulset/stateful_set_control.go (v1.22.2 sets AvailableReplicas = ReadyReplicas with the gate off; the field is new in v1.22)",
        range: Confirmed,
        check: P(Probe { files: STATEFUL_SET, setup: &["kubectl apply -f sts.yaml"], command: "kubectl get statefulset web -o jsonpath={.status.availableReplicas}",
            before: "", after: "^1$" }),
    }
    /// Indexed and suspended Jobs.
    IndexedAndSuspendJob {
        since: 22, side: Cluster,
        what: "Jobs keep `completionMode: Indexed` (pods get a completion index) and `suspend: true` (IndexedJob and SuspendJob beta, on); before, the apiserver dropped both and the Job ran NonIndexed",
        source: "pkg/features/kube_features.go (v1.22.2: IndexedJob, SuspendJob beta, on; alpha in v1.21) and pkg/registry/batch/job/strategy.go dropDisabledFields",
        range: Confirmed,
        check: P(Probe { files: JOB_INDEXED, setup: &["kubectl apply -f job.yaml"], command: "kubectl get job idx -o jsonpath={.spec.completionMode}",
            before: "^NonIndexed$", after: "^Indexed$" }),
    }
    /// kubeadm's CoreDNS role reads EndpointSlices.
    CoreDnsRoleEndpointSlices {
        since: 22, side: Cluster,
        what: "kubeadm's `system:coredns` ClusterRole may list and watch `endpointslices` (CoreDNS 1.8.4 reads them)",
        source: "cmd/kubeadm/app/phases/addons/dns/manifests.go CoreDNSClusterRole (v1.22.2 has endpointslices)",
        range: Range::Unconfirmed("present in v1.22.2; v1.21's role not in the sources at hand (kubeadm v1.21 deployed CoreDNS 1.8.0, which reads Endpoints)"),
        check: T("kubeadm_objects_by_version"),
    }
    /// IngressClass parameters default their scope.
    IngressClassParametersScope {
        since: 22, side: Cluster,
        what: "an IngressClass's `parameters` are defaulted `scope: Cluster` (IngressClassNamespacedParams beta, on; bug fix: kubeplay defaulted it from v1.21, where the gate is alpha and off)",
        source: "pkg/features/kube_features.go IngressClassNamespacedParams (alpha v1.21, beta v1.22) and pkg/apis/networking/v1/defaults.go SetDefaults_IngressClass (returns early with the gate off), v1.22.2",
        range: Confirmed,
        check: P(Probe { files: INGRESS_CLASS_PARAMETERS, setup: &["kubectl apply -f ic.yaml"], command: "kubectl get ingressclass external -o jsonpath={.spec.parameters.scope}",
            before: "", after: "^Cluster$" }),
    }
    /// `get pods` adds when the last restart was.
    PodRestartsAgo {
        since: 22, side: Kubectl,
        what: "`get pods` RESTARTS adds when the last one was: `3 (42s ago)` (was `3`)",
        source: "pkg/printers/internalversion/printers.go printPod (v1.22.0, kubernetes#100729)",
        range: Confirmed,
        check: T("pod_restarts_ago_from_v1_22"),
    }
    /// `describe ingress` prints a resource backend without apiGroup.
    DescribeIngressResourceWithoutGroup {
        since: 22, side: Kubectl,
        what: "`describe ingress` prints a resource backend without `apiGroup` as `APIGroup: <none>` (before, kubectl dereferenced the nil pointer and crashed: unsupported)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeBackendV1 (v0.22.0 checks APIGroup for nil)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_RESOURCE_BACKEND, setup: &["kubectl apply -f ing.yaml"], command: "kubectl describe ingress web",
            before: "^unsupported: kubectl describe ingress of a resource backend without apiGroup", after: "APIGroup: <none>, Kind: StorageBucket, Name: static" }),
    }
    // ---- v1.23 ----
    /// kubectl prints its own usage errors lower-case.
    CobraErrorsLowerCase {
        since: 23, side: Kubectl,
        what: "a command-line error (unknown flag, bad argument) prints `error: unknown flag: --bogus` and its `See 'kubectl get --help' for usage.` (was cobra's `Error: unknown flag: --bogus`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/cmd.go (v1.23.0: SetFlagErrorFunc and cmdutil.CheckErr for flag errors)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get pods --bogus",
            before: "^Error: unknown flag: --bogus$", after: "^error: unknown flag: --bogus$" }),
    }
    /// `kubectl wait --for=jsonpath=…`.
    WaitForJsonPath {
        since: 23, side: Kubectl,
        what: "`kubectl wait` accepts `--for=jsonpath='{…}'=value` (before: `unrecognized condition`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/wait/wait.go conditionFuncFor (v1.23.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl wait --for=jsonpath={.status.phase}=Running pod/p",
            before: "unrecognized condition", after: "^pod/p condition met$" }),
    }
    /// `describe namespace` prints the namespace's conditions.
    DescribeNamespaceConditions {
        since: 23, side: Kubectl,
        what: "`describe namespace` of a terminating namespace prints its `Conditions:` table",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeNamespace (v0.23.0)",
        range: Confirmed,
        check: T("terminating_namespace_conditions_from_v1_23"),
    }
    /// `describe ingress` prints labels.
    DescribeIngressLabels {
        since: 23, side: Kubectl,
        what: "`describe ingress` prints `Labels:` after `Name:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeIngressV1 (v0.23.0; absent at v0.22.2)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1, setup: &["kubectl apply -f ing.yaml"], command: "kubectl describe ingress web",
            before: "^Name: +web\nNamespace:", after: "^Labels: +<none>$" }),
    }
    /// `describe job` counts ready pods.
    DescribeJobReadyPods {
        since: 23, side: Kubectl,
        what: "`describe job` prints `Pods Statuses: 1 Active (0 Ready) / 0 Succeeded / 0 Failed` when the status counts ready pods (was `1 Running / …`)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeJob (v0.23.0, with JobReadyPods)",
        range: Confirmed,
        check: T("running_job_counts_per_version"),
    }
    // ---- v1.24 ----
    /// The taint reason says `untolerated taint`.
    UntoleratedTaintReason {
        since: 24, side: Cluster,
        what: "TaintToleration's reason is `node(s) had untolerated taint {k: v}` (was `node(s) had taint {k: v}, that the pod didn't tolerate`)",
        source: "pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (v1.24.0)",
        range: Confirmed,
        check: T("scheduler_reasons_at_each_boundary"),
    }
    /// FailedScheduling appends the preemption outcome.
    SchedulerPostFilterMessage {
        since: 24, side: Cluster,
        what: "FailedScheduling appends the PostFilter (preemption) outcome: `0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.`",
        source: "pkg/scheduler/schedule_one.go and framework/types.go PostFilterMsg (v1.24.0)",
        range: Confirmed,
        check: P(Probe { files: POD_TOO_BIG, setup: &["kubectl apply -f pod.yaml"], command: "kubectl get events --field-selector reason=FailedScheduling -o jsonpath={.items[0].message}",
            before: r"tolerate\.$", after: r"\. preemption: 0/2 nodes are available: " }),
    }
    /// kubeadm's kubelet ConfigMap loses its version suffix.
    KubeadmUnversionedKubeletConfig {
        since: 24, side: Cluster,
        what: "kubeadm stores the kubelet configuration in `kubelet-config` with Role `kubeadm:kubelet-config` (was `kubelet-config-1.23`, `kubeadm:kubelet-config-1.23`; UnversionedKubeletConfigMap beta, on)",
        source: "cmd/kubeadm/app/features/features.go UnversionedKubeletConfigMap (absent in v1.22.2; alpha v1.23, beta v1.24); cmd/kubeadm/app/constants",
        range: Range::Unconfirmed("v1.22.2 uses the versioned name and v1.28.15 the unversioned one; the beta release v1.24 is from kubeadm's release notes"),
        check: T("kubeadm_objects_by_version"),
    }
    /// kubeadm drops the `master` label and adds the control-plane taint.
    KubeadmMasterLabelRemoved {
        since: 24, side: Cluster,
        what: "kubeadm no longer labels control-plane nodes `node-role.kubernetes.io/master` (ROLES `control-plane`) and taints them `node-role.kubernetes.io/control-plane:NoSchedule` besides `node-role.kubernetes.io/master:NoSchedule`",
        source: "cmd/kubeadm/app/phases/markcontrolplane/markcontrolplane.go and util/config/initconfiguration.go; KEP-2067, CHANGELOG-1.24.md",
        range: Range::Unconfirmed("v1.22.2 (both labels, master taint) and v1.28.15 (control-plane label and taint only) checked; v1.24 from KEP-2067 and kubeadm's release note"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get nodes",
            before: "^master +Ready +control-plane,master +", after: "^master +Ready +control-plane +" }),
    }
    /// kubeadm's docker nodes use cri-dockerd.
    KubeadmCriDockerd {
        since: 24, side: Cluster,
        what: "a kubeadm node on Docker is annotated `kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/cri-dockerd.sock` (dockershim, `/var/run/dockershim.sock`, was removed from the kubelet)",
        source: "CHANGELOG-1.24.md (dockershim removed, kubernetes#97252); cmd/kubeadm/app/constants (v1.22.2 DefaultDockerCRISocket `/var/run/dockershim.sock`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl describe node master",
            before: "cri-socket: /var/run/dockershim.sock", after: "cri-socket: unix:///var/run/cri-dockerd.sock" }),
    }
    /// ResourceQuota's `must specify` names the containers.
    QuotaMustSpecifyNamesContainers {
        since: 24, side: Cluster,
        what: "a pod without requests in a quota'd namespace is refused `must specify cpu for: p` naming the containers (was `must specify cpu`)",
        source: "plugin/pkg/admission/resourcequota and pkg/quota/v1/evaluator/core/pods.go (v1.24.0, kubernetes#106422)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create quota q --hard=cpu=1"], command: "kubectl run p --image=nginx",
            before: "must specify cpu$", after: "must specify cpu for: p$" }),
    }
    /// `kubectl label` accepts the value a key already has.
    LabelSameValueOk {
        since: 24, side: Kubectl,
        what: "`kubectl label` of a key to the value it already has succeeds without `--overwrite` (was `'app' already has a value (web), and --overwrite is false`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/label/label.go validateNoOverwrites (v1.24.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx --labels=app=web"], command: "kubectl label pod p app=web",
            before: r"'app' already has a value \(web\), and --overwrite is false", after: "^pod/p not labeled$" }),
    }
    /// `kubectl create token`.
    CreateToken {
        since: 24, side: Kubectl,
        what: "`kubectl create token SA` requests a bound token (TokenRequest); before there was no such command (unsupported)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/create/create_token.go (new in v1.24.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl create token default",
            before: "^unsupported: kubectl create token before v1.24", after: r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$" }),
    }
    /// `describe priorityclass` prints its preemption policy.
    DescribePriorityClassPreemptionPolicy {
        since: 24, side: Kubectl,
        what: "`describe priorityclass` prints `PreemptionPolicy:` after `GlobalDefault:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describePriorityClass (v0.24.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl describe priorityclass system-cluster-critical",
            before: "^GlobalDefault: +false\nDescription:", after: "^PreemptionPolicy: +PreemptLowerPriority$" }),
    }
    /// `describe ingress` prints the class and `<default>`.
    DescribeIngressClass {
        since: 24, side: Kubectl,
        what: "`describe ingress` prints `Ingress Class:` and, without a default backend, `Default backend: <default>` (was kube-system's `default-http-backend:80` looked up)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeIngressV1 (v0.24.0)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1_RULES, setup: &["kubectl apply -f ing.yaml"], command: "kubectl describe ingress web",
            before: "^Default backend: +default-http-backend:80", after: "^Ingress Class: +<none>\nDefault backend: +<default>$" }),
    }
    /// A pod whose node affinity names its nodes is filtered on those alone.
    SchedulerPreFilterNodeNames {
        since: 24, side: Cluster,
        what: "a pod whose required node affinity names its nodes (`metadata.name In`, every DaemonSet pod) is filtered against those nodes alone (the NodeAffinity PreFilter's `NodeNames`), and the scheduler's next search start then wraps over those nodes (one node: back to the first node); before, every node was searched, which with one feasible node leaves the start where it was",
        source: "pkg/scheduler/schedule_one.go findNodesThatFitPod (preRes.NodeNames, v1.24.0; absent from pkg/scheduler/generic_scheduler.go v1.23.0), findNodesThatPassFilters `% len(nodes)` (v1.24.0–v1.30.0)",
        range: Confirmed,
        check: T("scheduler_start_index_by_version"),
    }
    // ---- v1.25 ----
    /// The HPA's metric error names the metric source.
    HpaMetricErrorNamesSource {
        since: 25, side: Cluster,
        what: "the HPA's `FailedComputeMetricsReplicas` event wraps a resource metric's error as `failed to get cpu resource metric value: …`",
        source: "pkg/controller/podautoscaler/horizontal.go computeReplicasForMetric (v1.25.0; v1.24.0 returns the error unwrapped)",
        range: Confirmed,
        check: T("metric_errors_name_their_source_from_1_25"),
    }
    /// kubeadm drops the `master` taint.
    KubeadmMasterTaintRemoved {
        since: 25, side: Cluster,
        what: "kubeadm taints control-plane nodes `node-role.kubernetes.io/control-plane:NoSchedule` only (the `master` taint is gone)",
        source: "cmd/kubeadm/app/util/config/initconfiguration.go SetNodeRegistrationDynamicDefaults (v1.28.15: ControlPlaneTaint only); KEP-2067, CHANGELOG-1.25.md",
        range: Range::Unconfirmed("v1.28.15 checked; v1.25 from KEP-2067 and kubeadm's release note"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get node master -o jsonpath={.spec.taints[*].key}",
            before: "node-role.kubernetes.io/master", after: "^node-role.kubernetes.io/control-plane$" }),
    }
    /// CronJobs keep spec.timeZone.
    CronJobTimeZone {
        since: 25, side: Cluster,
        what: "a CronJob keeps `spec.timeZone` (CronJobTimeZone beta, on); before, the apiserver dropped it on create",
        source: "pkg/features/kube_features.go CronJobTimeZone (alpha v1.24, beta v1.25, GA v1.27) and pkg/registry/batch/cronjob/strategy.go dropDisabledFields",
        range: Confirmed,
        check: P(Probe { files: CRON_JOB_TIME_ZONE, setup: &["kubectl apply -f cj.yaml"], command: "kubectl get cronjob tz -o jsonpath={.spec.timeZone}",
            before: "", after: "^Etc/UTC$" }),
    }
    /// Server-side field validation.
    ServerSideFieldValidation {
        since: 25, side: Kubectl,
        what: "unknown fields are judged by the API server (`--validate=strict|warn|ignore`: `Error from server (BadRequest): … unknown field`, or a warning); before, kubectl's client-side OpenAPI validation (unsupported) and `warn` acts as `ignore`; with `--dry-run=client` nothing is validated",
        source: "staging/src/k8s.io/apiserver/pkg/features/kube_features.go ServerSideFieldValidation (v0.24.0 alpha, off; v0.25.0 beta, on)",
        range: Confirmed,
        check: P(Probe { files: POD_UNKNOWN_FIELD, setup: NO_SETUP, command: "kubectl apply -f pod.yaml",
            before: "^unsupported: kubectl's client-side schema validation", after: r#"strict decoding error: unknown field "spec.foo""# }),
    }
    /// `kubectl annotate` accepts the value a key already has.
    AnnotateSameValueOk {
        since: 25, side: Kubectl,
        what: "`kubectl annotate` of a key to the value it already has succeeds without `--overwrite` (was `--overwrite is false but found the following declared annotation(s): …`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go validateNoAnnotationOverwrites (v1.25.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx", "kubectl annotate pod p team=a"], command: "kubectl annotate pod p team=a",
            before: "--overwrite is false but found the following declared annotation", after: "^pod/p annotated$" }),
    }
    /// `replace --force` refuses `--dry-run`.
    ReplaceForceRefusesDryRun {
        since: 25, side: Kubectl,
        what: "`kubectl replace --force --dry-run=…` fails `--dry-run can not be used when --force is set` (before, the dry run was ignored and the object really replaced)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/replace/replace.go Validate (v1.25.0)",
        range: Confirmed,
        check: P(Probe { files: POD, setup: &["kubectl apply -f pod.yaml"], command: "kubectl replace --force --dry-run=client -f pod.yaml",
            before: "^pod \"p\" deleted", after: "^error: --dry-run can not be used when --force is set$" }),
    }
    /// `describe pod` prints the service account.
    DescribePodServiceAccount {
        since: 25, side: Kubectl,
        what: "`describe pod` prints `Service Account:` after `Priority`/`Priority Class Name`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describePod (v0.25.0; absent at v0.24.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl describe pod p",
            before: "^Priority: +0\nNode:", after: "^Service Account: +default$" }),
    }
    /// `describe statefulset` prints maxUnavailable.
    DescribeStatefulSetMaxUnavailable {
        since: 25, side: Kubectl,
        what: "`describe statefulset` prints `MaxUnavailable:` under `Partition:` when set",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go (v0.25.0; absent at v0.24.0)",
        range: Confirmed,
        check: T("describe_statefulset_by_version"),
    }
    /// Pod templates in `describe` print topology spread constraints.
    DescribeTemplateTopologySpread {
        since: 25, side: Kubectl,
        what: "a pod template in `describe` (deployment, replicaset, job, …) prints `Topology Spread Constraints:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go DescribePodTemplate (v0.25.0; absent at v0.24.0)",
        range: Confirmed,
        check: T("pod_template_sections_by_version"),
    }
    // ---- v1.26 ----
    /// Jobs keep podFailurePolicy.
    JobPodFailurePolicy {
        since: 26, side: Cluster,
        what: "a Job keeps `spec.podFailurePolicy` (JobPodFailurePolicy beta, on); before, the apiserver dropped it",
        source: "pkg/features/kube_features.go JobPodFailurePolicy (alpha v1.25, beta v1.26) and pkg/registry/batch/job/strategy.go dropDisabledFields",
        range: Confirmed,
        check: P(Probe { files: JOB_POD_FAILURE_POLICY, setup: &["kubectl apply -f job.yaml"], command: "kubectl get job pfp -o jsonpath={.spec.podFailurePolicy.rules[0].action}",
            before: "", after: "^FailJob$" }),
    }
    /// The paused-rollback error stops naming the deployment.
    RollbackPausedWording {
        since: 26, side: Kubectl,
        what: "`rollout undo` of a paused deployment fails `… resume it first with 'kubectl rollout resume' and try again` (was `… 'kubectl rollout resume deployment/web' …`)",
        source: "staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go (old text at v0.25.0, new at v0.26.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl rollout pause deployment web"], command: "kubectl rollout undo deployment web",
            before: "'kubectl rollout resume deployment/web' and try again", after: "'kubectl rollout resume' and try again" }),
    }
    /// `api-resources` has categories.
    ApiResourcesCategories {
        since: 26, side: Kubectl,
        what: "`api-resources` takes `--categories`, and `-o wide` adds CATEGORIES and prints verbs comma-joined (was Go's `[get list]`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiresources.go (v1.26.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl api-resources -o wide",
            before: r"KIND +VERBS$", after: r"VERBS +CATEGORIES$" }),
    }
    /// `auth can-i` warnings go through the WarningPrinter.
    AuthWarningPrinter {
        since: 26, side: Kubectl,
        what: "`auth can-i`'s own warnings (an unknown resource) print through the WarningPrinter, which ends them with an empty line",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go (v1.26.0 uses printers.NewWarningPrinter)",
        range: Range::Unconfirmed("seen with kubectl 1.27–1.33; v1.25 read from the source's fmt.Fprintf, not run"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl auth can-i get bogus",
            before: r"^Warning: the server doesn't have a resource type 'bogus'\nyes", after: r"^Warning: the server doesn't have a resource type 'bogus'\n\nyes" }),
    }
    // ---- v1.27 ----
    /// Job back-off counts from pod finish times.
    JobBackoffFromFinishTimes {
        since: 27, side: Cluster,
        what: "the Job controller delays a replacement pod from the failed pods' finish times (`backoff_utils.go`), not by requeues in its work queue",
        source: "pkg/controller/job/backoff_utils.go newBackoffRecord, getRemainingTime (kubernetes#114768)",
        range: Range::Unconfirmed("the PR was reviewed in Feb 2023, before v1.27's freeze; a v1.35.4 controller replaces an ignored failure 10 s after it"),
        check: T("job_backoff_from_finish_times_by_version"),
    }
    /// Jobs' labels are prefixed batch.kubernetes.io.
    JobLabelsPrefixed {
        since: 27, side: Cluster,
        what: "a Job's pods are labelled `batch.kubernetes.io/controller-uid` and `batch.kubernetes.io/job-name` too (the unprefixed labels stay)",
        source: "pkg/registry/batch/job/strategy.go generateSelector (v1.27.0, kubernetes#114930)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create job pi --image=busybox"], command: "kubectl get job pi --show-labels",
            before: r"\scontroller-uid=", after: r"batch\.kubernetes\.io/controller-uid=" }),
    }
    /// StatefulSets act on their PVC retention policy.
    StatefulSetAutoDeletePvc {
        since: 27, side: Cluster,
        what: "a StatefulSet is defaulted `persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}` and deletes claims as the policy says (StatefulSetAutoDeletePVC beta, on)",
        source: "pkg/features/kube_features.go StatefulSetAutoDeletePVC (v1.33.6 versioned gates: alpha v1.23, beta v1.27)",
        range: Confirmed,
        check: P(Probe { files: STATEFUL_SET, setup: &["kubectl apply -f sts.yaml"], command: "kubectl get statefulset web -o jsonpath={.spec.persistentVolumeClaimRetentionPolicy.whenDeleted}",
            before: "", after: "^Retain$" }),
    }
    /// kubectl 1.27 prints `annotate` for `annotated`.
    AnnotateVerbTypo {
        since: 27, side: Kubectl,
        what: "`kubectl annotate` prints `pod/p annotate` (was `pod/p annotated`; fixed in v1.28)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go (v1.27.0 PrintFlags `annotate`); the 1.27.16 binary prints it",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl annotate pod p team=a",
            before: "^pod/p annotated$", after: "^pod/p annotate$" }),
    }
    /// `kubectl auth whoami`.
    AuthWhoami {
        since: 27, side: Kubectl,
        what: "`kubectl auth whoami` exists (v1.26 had only `kubectl alpha auth whoami`, unsupported); on a default v1.27 cluster it fails `the selfsubjectreviews API is not enabled in the cluster` (authentication.k8s.io/v1beta1 is a beta version off by default), from v1.28 (v1, GA) it prints the user",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/auth/whoami.go (v1.27.0 under `auth`); real kubectl 1.27",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl auth whoami",
            before: "^unsupported: kubectl auth whoami before v1.27", after: "^error: the selfsubjectreviews API is not enabled in the cluster$" }),
    }
    /// `describe deployment` lists every old ReplicaSet.
    DescribeDeploymentAllOldReplicaSets {
        since: 27, side: Kubectl,
        what: "`describe deployment` lists every old ReplicaSet under `OldReplicaSets:` (was only those with replicas, `<none>` otherwise)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go DeploymentDescriber (v0.27.0 uses GetAllReplicaSetsInChunks' all-old list)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl set image deployment/web nginx=nginx:1.25"], command: "kubectl describe deployment web",
            before: "^OldReplicaSets: +<none>$", after: r"^OldReplicaSets: +web-[a-z0-9]+ \(0/0 replicas created\)$" }),
    }
    /// Generic `describe` hides managedFields.
    DescribeGenericSkipsManagedFields {
        since: 27, side: Kubectl,
        what: "`describe` of a resource without a describer (custom resources) leaves out `metadata.managedFields`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go GenericDescriberFor (v0.27.0)",
        range: Confirmed,
        check: T("generic_describe_managed_fields_by_version"),
    }
    // ---- v1.28 ----
    /// Pods of StatefulSets and Indexed Jobs carry their index label.
    PodIndexLabel {
        since: 28, side: Cluster,
        what: "StatefulSet pods are labelled `apps.kubernetes.io/pod-index` and Indexed Job pods `batch.kubernetes.io/job-completion-index` (PodIndexLabel beta, on)",
        source: "pkg/features/kube_features.go PodIndexLabel (v1.28.15: beta, on; new in v1.28)",
        range: Confirmed,
        check: P(Probe { files: STATEFUL_SET, setup: &["kubectl apply -f sts.yaml"], command: "kubectl get pods --show-labels",
            before: r"app=web,controller-revision-hash=", after: r"app=web,apps\.kubernetes\.io/pod-index=0," }),
    }
    /// kubeadm's CoreDNS role no longer gets nodes.
    CoreDnsRoleNoNodes {
        since: 28, side: Cluster,
        what: "kubeadm's `system:coredns` ClusterRole no longer may `get` nodes",
        source: "cmd/kubeadm/app/phases/addons/dns/manifests.go CoreDNSClusterRole (v1.22.2 has `nodes`; v1.28.15 not)",
        range: Range::Unconfirmed("v1.22.2 and v1.28.15 checked; the removal between them is placed at v1.28 from kubeadm's release note"),
        check: T("kubeadm_objects_by_version"),
    }
    /// `wait --for=jsonpath` splits on single `=` and the value is optional.
    WaitJsonPathValueOptional {
        since: 28, side: Kubectl,
        what: "`kubectl wait --for=jsonpath='{…}'` needs no value (waits for the field to exist) and keeps `==` in filters (was: exactly one `=` and a value)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/wait/wait.go processJSONPathInput (v1.28.0; v1.27.0 splits on every `=`)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl wait --for=jsonpath={.status.phase} pod/p",
            before: "jsonpath wait format must be", after: "^pod/p condition met$" }),
    }
    /// kubectl 1.28 prints `annotated` again.
    AnnotateVerbFixed {
        since: 28, side: Kubectl,
        what: "`kubectl annotate` prints `pod/p annotated` again",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go (v1.28.0); the 1.28 binary prints it",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run p --image=nginx"], command: "kubectl annotate pod p team=a",
            before: "^pod/p annotate$", after: "^pod/p annotated$" }),
    }
    // ---- v1.29 ----
    /// kubeadm's admin is in kubeadm:cluster-admins.
    KubeadmClusterAdminsGroup {
        since: 29, side: Cluster,
        what: "kubeadm's `admin.conf` user `kubernetes-admin` is in the group `kubeadm:cluster-admins`, bound to cluster-admin (was `system:masters`)",
        source: "cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go and constants ClusterAdminsGroupAndClusterRoleBinding (v1.29.0, kubernetes#121305)",
        range: Range::Unconfirmed("absent in v1.28.15 and present in v1.33.6; v1.29 from kubeadm's release note"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl auth whoami",
            before: "^Groups +\\[system:masters system:authenticated\\]$", after: "^Groups +\\[kubeadm:cluster-admins system:authenticated\\]$" }),
    }
    /// Jobs default podReplacementPolicy and count terminating pods.
    JobPodReplacementPolicy {
        since: 29, side: Cluster,
        what: "a Job is defaulted `podReplacementPolicy` (`TerminatingOrFailed`, `Failed` with a podFailurePolicy), its status counts `terminating` pods, and Complete/Failed wait for its pods to be gone after SuccessCriteriaMet/FailureTarget (JobPodReplacementPolicy beta, on)",
        source: "pkg/features/kube_features.go JobPodReplacementPolicy (v1.33.6 versioned gates: alpha v1.28, beta v1.29); pkg/apis/batch/v1/defaults.go; pkg/controller/job/job_controller.go trackTerminatingPods, delayTerminalCondition",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create job pi --image=busybox"], command: "kubectl get job pi -o jsonpath={.spec.podReplacementPolicy}",
            before: "", after: "^TerminatingOrFailed$" }),
    }
    /// Jobs keep backoffLimitPerIndex.
    JobBackoffLimitPerIndex {
        since: 29, side: Cluster,
        what: "a Job keeps `backoffLimitPerIndex` and `maxFailedIndexes` (JobBackoffLimitPerIndex beta, on); before, the apiserver dropped them",
        source: "pkg/features/kube_features.go JobBackoffLimitPerIndex (v1.33.6 versioned gates: alpha v1.28, beta v1.29)",
        range: Confirmed,
        check: P(Probe { files: JOB_BACKOFF_PER_INDEX, setup: &["kubectl apply -f job.yaml"], command: "kubectl get job bpi -o jsonpath={.spec.backoffLimitPerIndex}",
            before: "", after: "^1$" }),
    }
    // ---- v1.30 ----
    /// Bound tokens carry a JTI.
    ServiceAccountTokenJti {
        since: 30, side: Cluster,
        what: "a bound service-account token carries a `jti` claim (ServiceAccountTokenJTI beta, on)",
        source: "pkg/features/kube_features.go ServiceAccountTokenJTI (v1.33.6 versioned gates: alpha v1.29, beta v1.30)",
        range: Confirmed,
        check: T("token_jti_from_v1_30"),
    }
    /// Pod templates in `describe` print node selectors and tolerations.
    DescribeTemplateNodeSelectorsTolerations {
        since: 30, side: Kubectl,
        what: "a pod template in `describe` prints `Node-Selectors:` and `Tolerations:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go DescribePodTemplate (absent at v0.28.0; present at v0.33.0; kubectl 1.29 absent, 1.30 present)",
        range: Confirmed,
        check: T("pod_template_sections_by_version"),
    }
    /// `describe job` prints suspend, backoff limit and TTL.
    DescribeJobSuspendBackoffTtl {
        since: 30, side: Kubectl,
        what: "`describe job` prints `Suspend:`, `Backoff Limit:` and `TTL Seconds After Finished:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeJob (kubernetes#122618)",
        range: Range::Unconfirmed("v1.35.4 prints them; the first release is inferred from the PR's milestone"),
        check: P(Probe { files: NO_FILES, setup: &["kubectl create job pi --image=busybox"], command: "kubectl describe job pi",
            before: r"^Completion Mode: +NonIndexed\nStart Time:", after: r"^Suspend: +false\nBackoff Limit: +6$" }),
    }
    // ---- v1.31 ----
    /// Name generation retries collisions.
    RetryGenerateName {
        since: 31, side: Cluster,
        what: "a `generateName` create whose generated name is taken is retried with fresh names (8 attempts) instead of failing AlreadyExists",
        source: "staging/src/k8s.io/apiserver/pkg/features/kube_features.go RetryGenerateName (v0.33.6 versioned gates: alpha v1.30, beta v1.31)",
        range: Confirmed,
        check: T("generated_name_collisions_retry_with_fresh_names"),
    }
    /// Jobs keep successPolicy; the success condition has a reason.
    JobSuccessPolicy {
        since: 31, side: Cluster,
        what: "a Job keeps `successPolicy`, and its Complete (and SuccessCriteriaMet) condition reads reason `CompletionsReached`, message `Reached expected number of succeeded pods` (JobSuccessPolicy beta, on)",
        source: "pkg/features/kube_features.go JobSuccessPolicy (v1.33.6 versioned gates: alpha v1.30, beta v1.31); pkg/controller/job/job_controller.go newSuccessCondition",
        range: Confirmed,
        check: P(Probe { files: JOB_SUCCESS_POLICY, setup: &["kubectl apply -f job.yaml"], command: "kubectl get job sp -o jsonpath={.spec.successPolicy.rules[0].succeededIndexes}",
            before: "", after: "^0$" }),
    }
    /// `describe configmap` ends each value with an empty line.
    DescribeConfigMapBlankLine {
        since: 31, side: Kubectl,
        what: "`describe configmap` prints an empty line after each value",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeConfigMap (v0.31.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create configmap cm --from-literal=k=v"], command: "kubectl describe configmap cm",
            before: "^v\n\nBinaryData", after: "^v\n\n\nBinaryData" }),
    }
    /// `describe service` prints the internal traffic policy.
    DescribeServiceInternalTrafficPolicy {
        since: 31, side: Kubectl,
        what: "`describe service` prints `Internal Traffic Policy:` when the field is set",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeService (absent at v0.30.0, present at v0.31.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create service clusterip web --tcp=80:80"], command: "kubectl describe service web",
            before: "^Session Affinity: +None\nEvents:", after: "^Internal Traffic Policy: +Cluster$" }),
    }
    /// `describe ingress` reads EndpointSlices.
    DescribeIngressEndpointSlices {
        since: 31, side: Kubectl,
        what: "`describe ingress` reads a backend's endpoints from its EndpointSlices (was Endpoints), and prints a missing Service as `web:80 (<error: …>)` (was without the space)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeBackendV1 (k8s.io/kubectl v0.30.0 gets the Endpoints, then the Service with `%v(<error: %v>)`; v0.31.0 lists the EndpointSlices, then gets the Service with `%v (<error: %v>)`); real kubectl 1.30.13 and 1.31.9 on one Ingress without its Service (`endpoints \"nosvc\" not found` against `services \"nosvc\" not found`)",
        range: Confirmed,
        check: P(Probe { files: INGRESS_V1, setup: &["kubectl apply -f ing.yaml"], command: "kubectl describe ingress web",
            before: r#"<error: endpoints "web" not found>"#, after: r#"<error: services "web" not found>"# }),
    }
    /// `describe networkpolicy` prints port ranges.
    DescribeNetworkPolicyPortRange {
        since: 31, side: Kubectl,
        what: "`describe networkpolicy` prints a port with `endPort` as `To Port Range: 32000-32768/TCP` (was `To Port: 32000/TCP`)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go (kubernetes#123316; kubectl 1.30 ignores endPort, 1.31 prints it)",
        range: Confirmed,
        check: P(Probe { files: NETWORK_POLICY, setup: &["kubectl apply -f np.yaml"], command: "kubectl describe networkpolicy np",
            before: "To Port: 32000/TCP", after: "To Port Range: 32000-32768/TCP" }),
    }
    /// The scheduler's search start wraps over every node.
    SchedulerStartIndexOverAllNodes {
        since: 31, side: Cluster,
        what: "after filtering a pod whose node affinity names its nodes, the scheduler's next search start wraps over all nodes (`% len(allNodes)`), no longer over the named nodes alone, so a DaemonSet pod no longer sends the next pod's search back to the first node",
        source: "pkg/scheduler/schedule_one.go findNodesThatFitPod: `nextStartNodeIndex = (nextStartNodeIndex + processedNodes) % len(nodes)` (v1.30.0), `% len(allNodes)` (v1.31.0)",
        range: Confirmed,
        check: T("scheduler_start_index_by_version"),
    }
    // ---- v1.32 ----
    /// Jobs keep managedBy.
    JobManagedBy {
        since: 32, side: Cluster,
        what: "a Job keeps `spec.managedBy` (JobManagedBy beta, on); before, the apiserver dropped it",
        source: "pkg/features/kube_features.go JobManagedBy (v1.33.6 versioned gates: alpha v1.30, beta v1.32)",
        range: Confirmed,
        check: P(Probe { files: JOB_MANAGED_BY, setup: &["kubectl apply -f job.yaml"], command: "kubectl get job mb -o jsonpath={.spec.managedBy}",
            before: "", after: "^example.com/controller$" }),
    }
    // ---- v1.33 ----
    /// The HPA behaviour annotation carries `Tolerance`.
    HpaBehaviorTolerance {
        since: 33, side: Cluster,
        what: "an HPA with `behavior` read as autoscaling/v1 carries `\"Tolerance\":null` in each rule of its `autoscaling.alpha.kubernetes.io/behavior` annotation (the internal HPAScalingRules gained the field)",
        source: "pkg/apis/autoscaling/types.go HPAScalingRules.Tolerance (v1.33.0; absent in v1.32.0); recorded on kube-apiserver v1.33.13",
        range: Confirmed,
        check: T("v2_behavior_defaults_and_the_v1_view_match_a_real_apiserver"),
    }
    /// `describe` of projected sources prints `Optional:`.
    DescribeProjectedOptional {
        since: 33, side: Kubectl,
        what: "`describe`'s projected secret/configMap sources print `Optional: false` (was `SecretOptionalName:`/`ConfigMapOptional: <nil>`)",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go printProjectedVolumeSource (old form at v0.32.0, new at v0.33.0; real kubectl 1.32 and 1.33)",
        range: Confirmed,
        check: T("projected_optional_by_version"),
    }
    // ---- v1.34 ----
    /// DynamicResources' PostFilter message.
    DynamicResourcesPostFilter {
        since: 34, side: Cluster,
        what: "FailedScheduling's PostFilter part begins `no new claims to deallocate` (DynamicResources' PostFilter runs before preemption; DynamicResourceAllocation on)",
        source: "pkg/scheduler/apis/config/v1/default_plugins.go and plugins/dynamicresources (DynamicResourceAllocation beta and off in v1.32–v1.33 per v1.33.6's versioned gates; on in v1.34)",
        range: Range::Unconfirmed("seen on a real v1.35.4 control plane; v1.34 from the gate's GA, not run"),
        check: P(Probe { files: POD_TOO_BIG, setup: &["kubectl apply -f pod.yaml"], command: "kubectl get events --field-selector reason=FailedScheduling -o jsonpath={.items[0].message}",
            before: r"\}\. preemption: 0/2", after: r"\}\. no new claims to deallocate, preemption: 0/2" }),
    }
    /// Complex bad values print as JSON.
    BadValueAsJson {
        since: 34, side: Cluster,
        what: "a validation error prints a map or struct bad value as JSON (was Go's `%#v`)",
        source: "staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go (json.Marshal absent at v0.33.0, present at v0.34.0; the real v1.35.4 apiserver)",
        range: Confirmed,
        check: T("go_syntax_before_v1_34_json_after"),
    }
    /// `api-resources` takes PrintFlags' output formats.
    ApiResourcesPrintFlags {
        since: 34, side: Kubectl,
        what: "`api-resources -o` takes PrintFlags' formats (json, yaml, name, wide); an unknown one fails `unable to match a printer suitable for the output format …` (was `--output X is not available`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiresources.go and print_flags.go (v1.34.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl api-resources -o bogus",
            before: "--output bogus is not available", after: "unable to match a printer suitable for the output format \"bogus\"" }),
    }
    /// `describe` names container ports.
    DescribeNamedPorts {
        since: 34, side: Kubectl,
        what: "`describe` prints a named container port with its name: `80/TCP (http)`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeContainerPorts, describeContainerHostPorts (absent at v0.33.0)",
        range: Confirmed,
        check: P(Probe { files: POD_NAMED_PORT, setup: &["kubectl apply -f pod.yaml"], command: "kubectl describe pod p",
            before: r"^    Port: +80/TCP$", after: r"^    Port: +80/TCP \(http\)$" }),
    }
    // ---- v1.35 ----
    /// The taint reason no longer names the taint.
    UntoleratedTaintsUnnamed {
        since: 35, side: Cluster,
        what: "TaintToleration's reason is `node(s) had untolerated taint(s)` (the taint is no longer named)",
        source: "pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (v1.35.0); the real v1.35.4 scheduler (real-cluster/03-nodes-cordon-taint.md)",
        range: Confirmed,
        check: T("scheduler_reasons_at_each_boundary"),
    }
    /// InterPodAffinity's general reason ends in `rules`.
    InterPodAffinityGeneralReasonRules {
        since: 21, side: Cluster,
        what: "a node that breaks a pod (anti-)affinity rule is counted under `node(s) didn't match pod affinity/anti-affinity rules` and the specific reason; before, the general reason read `node(s) didn't match pod affinity/anti-affinity`",
        source: "pkg/scheduler/framework/plugins/interpodaffinity/filtering.go ErrReasonAffinityNotMatch (v1.21.0); pkg/scheduler/algorithm/predicates/error.go ErrPodAffinityNotMatch (v1.10-v1.17)",
        range: Confirmed,
        check: T("inter_pod_affinity_reasons_at_each_boundary"),
    }
    /// InterPodAffinity gives only the specific reason.
    InterPodAffinitySpecificReasonOnly {
        since: 22, side: Cluster,
        what: "a node that breaks a pod (anti-)affinity rule is counted under the specific reason alone (`node(s) didn't match pod anti-affinity rules`); before, under the general reason too",
        source: "pkg/scheduler/framework/plugins/interpodaffinity/filtering.go Filter (v1.22.0: NewStatus with one reason; ErrReasonAffinityNotMatch removed)",
        range: Confirmed,
        check: T("inter_pod_affinity_reasons_at_each_boundary"),
    }
    /// Pods' topology spread constraints are kept and honoured by default.
    EvenPodsSpreadOnByDefault {
        since: 18, side: Cluster,
        what: "the EvenPodsSpread feature gate is beta and on by default: a pod's topologySpreadConstraints are stored and the PodTopologySpread filter honours them; before (alpha from v1.16), the API server drops the field",
        source: "pkg/features/kube_features.go EvenPodsSpread (v1.16.0, v1.17.0: Default false, Alpha; v1.18.0: Default true, Beta); pkg/api/pod/util.go dropDisabledFields",
        range: Confirmed,
        check: T("topology_spread_reason_of_a_node_without_the_key"),
    }
    /// PodTopologySpread names a missing topology label.
    TopologySpreadMissingLabelReason {
        since: 19, side: Cluster,
        what: "a node without a constraint's topology key is counted under `node(s) didn't match pod topology spread constraints (missing required label)`; before, under the plain reason",
        source: "pkg/scheduler/framework/plugins/podtopologyspread/plugin.go ErrReasonNodeLabelNotMatch (v1.19.0; absent in v1.18.0 filtering.go)",
        range: Confirmed,
        check: T("topology_spread_reason_of_a_node_without_the_key"),
    }
    /// StatefulSet events capitalise the verb.
    StatefulSetEventVerbTitleCase {
        since: 35, side: Cluster,
        what: "the StatefulSet controller's events capitalise the verb: `Create Pod web-0 in StatefulSet web successful` (was `create Pod …`)",
        source: "pkg/controller/statefulset/stateful_pod_control.go recordPodEvent (v1.34.0 `strings.ToLower(verb)`, v1.35.0 `cases.Title`)",
        range: Confirmed,
        check: P(Probe { files: STATEFUL_SET, setup: &["kubectl apply -f sts.yaml"], command: "kubectl get events --field-selector reason=SuccessfulCreate -o jsonpath={.items[*].message}",
            before: "^create Pod web-0 in StatefulSet web successful$", after: "^Create Pod web-0 in StatefulSet web successful$" }),
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
    /// `kubectl run`'s generator flags stop working (v1.18) and go (v1.21).
    RunGeneratorFlagsDeprecated {
        since: 18, side: Kubectl,
        what: "`kubectl run --generator`, `--replicas`, `--schedule`, `--service-generator`, `--service-overrides` are accepted but do nothing: pflag warns `Flag --generator has been deprecated, has no effect and will be removed in the future.` and a Pod is made (before, `--generator=NAME` picked the object: `run/v1` a ReplicationController, `deployment/v1beta1` an extensions/v1beta1 Deployment, `job/v1` a Job, `cronjob/v1beta1` a CronJob — also picked by `--schedule` — and `--replicas` set the replicas)",
        source: "CHANGELOG-1.18.md (#87077: \"Remove all the generators from kubectl run ... deprecates all the flags that are not relevant anymore\"); pkg/kubectl/cmd/run/run.go v1.17-: generatorName from --generator/--schedule/--restart",
        range: Range::Unconfirmed("v1.17 from source; the v1.18 warning text from v1.18-v1.20 transcripts (kubectl v1.18 source not unpacked here)"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP,
            command: "kubectl run web --image=nginx --generator=run/v1",
            before: "replicationcontroller/web created\n",
            after: "Flag --generator has been deprecated, has no effect and will be removed in the future.\npod/web created\n" }),
    }
    /// `kubectl run` no longer has the generator flags.
    RunGeneratorFlagsRemoved {
        since: 21, side: Kubectl,
        what: "`kubectl run` has no `--generator`, `--replicas` (`-r`), `--schedule`, `--service-generator`, `--service-overrides`: `unknown flag: --generator` (deprecated and ignored v1.18-v1.20)",
        source: "CHANGELOG-1.21.md (\"Remove deprecated --generator --replicas --service-generator --service-overrides --schedule from kubectl run\")",
        range: Range::Unconfirmed("from the v1.21 CHANGELOG (kubectl v1.20/v1.21 sources not unpacked here)"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP,
            command: "kubectl run web --image=nginx --generator=run-pod/v1",
            before: "Flag --generator has been deprecated",
            after: "unknown flag: --generator" }),
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
    /// Disrupted pods carry the `DisruptionTarget` condition.
    PodDisruptionConditions {
        since: 26, side: Cluster,
        what: "a pod deleted by the eviction API (`kubectl drain`), the taint manager, the scheduler's preemption or the pod GC first gets the condition `DisruptionTarget` True with the deleter's reason (`EvictionByEvictionAPI`, `DeletionByTaintManager`, `PreemptionByScheduler`, `DeletionByPodGC`; the pod GC also sets phase Failed), shown by `describe pod` and `-o yaml` (PodDisruptionConditions on by default)",
        source: "pkg/features/kube_features.go (PodDisruptionConditions: v1.25 alpha, off; v1.26 beta, on; v1.31 GA), pkg/registry/core/pod/storage/eviction.go addConditionAndDeletePod, pkg/controller/podgc/gc_controller.go markFailedAndDeletePodWithCondition",
        range: Confirmed,
        check: T("disruption_target_condition_by_version"),
    }
    /// The Job controller tracks its pods with a finalizer.
    JobTrackingWithFinalizers {
        since: 26, side: Cluster,
        what: "the Job controller creates pods with the finalizer `batch.kubernetes.io/job-tracking` and removes it once it has counted the pod into the Job's status, so a deleted or disrupted pod stays (Terminating) until counted, counts stay when counted pods are deleted, and a deleted pod that never succeeded counts as failed unless only failed pods are replaced (podFailurePolicy, podReplacementPolicy Failed)",
        source: "pkg/features/kube_features.go (JobTrackingWithFinalizers: v1.23 beta on, v1.24 beta off for kubernetes#109485, v1.25 beta on, v1.26 GA locked); pkg/controller/job/job_controller.go trackJobStatusAndRemoveFinalizers, canRemoveFinalizer, isPodFailed",
        range: Range::Unconfirmed("v1.26 is where it is locked on; on by default as beta in v1.23 and v1.25 for Jobs created while on (annotation batch.kubernetes.io/job-tracking), which kubeplay gives legacy tracking"),
        check: T("tracking_finalizer_by_version"),
    }
    /// The pod GC quarantines a missing node before deleting its pods.
    PodGcOrphanQuarantine {
        since: 17, side: Cluster,
        what: "pods bound to a node that does not exist are deleted by the pod GC only after the node has been missing for its 40 s quarantine (at the 20 s check after it), not at the first check",
        source: "pkg/controller/podgc/gc_controller.go gcOrphaned, quarantineTime (absent at v1.16.0, present at v1.17.0)",
        range: Confirmed,
        check: T("pod_gc_quarantine_by_version"),
    }
    /// The `Preempted` event stops naming the preemptor.
    PreemptedEventHidesPreemptor {
        since: 27, side: Cluster,
        what: "a pod evicted by the scheduler's preemption gets the event `Preempted by a pod on node NODE` (was `Preempted by NAMESPACE/NAME on node NODE`, naming a pod of possibly another namespace)",
        source: "pkg/scheduler/framework/preemption/preemption.go prepareCandidate (kubernetes#114923, #114980, for kubernetes#114882)",
        range: Range::Unconfirmed("the fix merged for v1.27.0 and was cherry-picked into v1.26 patch releases; v1.26.0 is given the old form"),
        check: T("preempted_event_message_by_version"),
    }
    /// The `Preempted` event names the preemptor by UID.
    PreemptedEventNamesPreemptorUid {
        since: 29, side: Cluster,
        what: "the `Preempted` event names the preemptor by its UID: `Preempted by pod UID on node NODE` (was `Preempted by a pod on node NODE`)",
        source: "pkg/scheduler/framework/preemption/preemption.go prepareCandidate (kubernetes#119971, merged for v1.29.0)",
        range: Range::Unconfirmed("merged in the v1.29 cycle; v1.28.0 not checked"),
        check: T("preempted_event_message_by_version"),
    }
    /// StatefulSets honour `minReadySeconds`.
    StatefulSetMinReadySeconds {
        since: 23, side: Cluster,
        what: "a StatefulSet's `spec.minReadySeconds` is kept and honoured: OrderedReady creates the next pod only once the previous one has been ready that long, and `status.availableReplicas` counts such pods (before, the field was dropped on create and availability was readiness)",
        source: "pkg/features/kube_features.go (StatefulSetMinReadySeconds: v1.22 alpha, off; v1.23 beta, on; v1.25 GA), pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields, pkg/controller/statefulset/stateful_set_control.go isRunningAndAvailable",
        range: Confirmed,
        check: T("statefulset_min_ready_seconds_by_version"),
    }
    /// StatefulSets honour `maxUnavailable` in rolling updates.
    MaxUnavailableStatefulSet {
        since: 35, side: Cluster,
        what: "a StatefulSet's `spec.updateStrategy.rollingUpdate.maxUnavailable` is kept and a rolling update deletes up to that many outdated pods at once, none while as many pods of the set are unavailable (before, the field was dropped on create — an alpha gate, off, from v1.24; unknown earlier — and pods were replaced one at a time)",
        source: "pkg/features/kube_features.go (MaxUnavailableStatefulSet: v1.24 alpha, off; v1.35 beta, on), pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields, pkg/controller/statefulset/stateful_set_control.go updateStatefulSetAfterInvariantEstablished",
        range: Confirmed,
        check: T("statefulset_max_unavailable_by_version"),
    }
    /// MaxUnavailableStatefulSet is off by default again from v1.35.4.
    MaxUnavailableStatefulSetOffAgain {
        since: 35, since_patch: 4, side: Cluster,
        what: "the MaxUnavailableStatefulSet gate is off by default again (beta, off): a StatefulSet's `rollingUpdate.maxUnavailable` is dropped on create and pods are replaced one at a time, as before v1.35 — the v1.35.0 default broke Parallel pod management (kubernetes#137409)",
        source: "pkg/features/kube_features.go at k8s.io/kubernetes v1.35.4 (`{Version: 1.35, Default: false, PreRelease: Beta}`; `Default: true` at v1.35.0), cherry-pick kubernetes#137926 of kubernetes#137904; the real v1.35.4 apiserver drops the field (differential run 3)",
        range: Range::Unconfirmed("on at v1.35.0 and off at v1.35.4 in the module sources; the v1.35.1-v1.35.3 sources were not at hand and their release notes (CHANGELOG-1.35.md of v1.35.4) do not name the cherry-pick, so v1.35.4 is taken as the first release without the default"),
        check: T("statefulset_max_unavailable_by_version"),
    }
    /// A JSON or merge patch is decoded under field validation first.
    PatchDecodedWithFieldValidation {
        since: 25, side: Cluster,
        what: "a JSON or merge patch that does not decode into the server's types is refused `error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp` (was the JSON-patch library's `json: cannot unmarshal object into Go value of type jsonpatch.Patch`, and a 500 `Invalid JSON Patch` for a merge patch that is no object): with ServerSideFieldValidation on, a request naming no `fieldValidation` is handled as `Warn`, and `applyJSPatch` decodes the patch strictly before applying it (an operation's unknown key is a warning, `Warning: json patch unknown field \"[0].valu\"`); the same gate as `ServerSideFieldValidation`",
        source: "k8s.io/apiserver pkg/endpoints/handlers/patch.go applyJSPatch and rest.go fieldValidation (default `Warn`; at v0.28.15, v0.33.6, v0.35.4; no such decoding at v0.22.2); pkg/features/kube_features.go genericfeatures.ServerSideFieldValidation (v1.23-v1.24 alpha, off; v1.25 beta, on; v1.27 GA); the real v1.35.4 apiserver",
        range: Range::Unconfirmed("the gate's default from kube_features.go; the handler of apiserver v0.25-v0.27 not at hand (v0.28.15 has it)"),
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: r#"kubectl patch deployment web --type=json -p {"op":"add"}"#,
            before: r"Go value of type jsonpatch\.Patch$", after: r"^Error from server \(BadRequest\): error decoding patch: json: cannot unmarshal object into Go value of type \[\]handlers\.jsonPatchOp$" }),
    }
    /// A PreFilter rejection is printed once.
    SchedulerPreFilterMessageOnce {
        since: 26, side: Cluster,
        what: "FailedScheduling for a pod a PreFilter plugin rejected (a missing or unbound claim) prints the reason once: `0/3 nodes are available: persistentvolumeclaim \"data\" not found.` (was counted per node, `3 persistentvolumeclaim \"data\" not found.`)",
        source: "pkg/scheduler/schedule_one.go findNodesThatFitPod (Diagnosis.PreFilterMsg) and framework/types.go FitError.Error (absent at v1.25.0, present at v1.26.0; from v1.29.0 the histogram is skipped when PreFilterMsg is set); the real v1.35.4 scheduler",
        range: Confirmed,
        check: T("prefilter_rejection_message_by_version"),
    }
    /// Preemption sees a PreFilter rejection on every node again.
    PreFilterRejectionPreemptionMessage {
        since: 29, side: Cluster,
        what: "after a PreFilter rejection every node carries the PreFilter status again, so preemption's part reads `preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.` (v1.26-v1.28 left the nodes without a status; kubeplay prints no PostFilter part there)",
        source: "pkg/scheduler/schedule_one.go findNodesThatFitPod (NodeToStatusMap filled for all nodes at v1.24.0-v1.25.0 and again from v1.29.0, not at v1.26.0-v1.28.0), framework/preemption/preemption.go nodesWherePreemptionMightHelp",
        range: Range::Unconfirmed("the v1.26-v1.28 PostFilter part was not worked out (preemption dry-runs every node with PreFilter state missing); from v1.34 DynamicResources' PostFilter error `not found` replaces it (seen on the real v1.35.4 scheduler)"),
        check: T("prefilter_rejection_message_by_version"),
    }
    /// `config set-context --current`.
    ConfigSetContextCurrent {
        since: 12, side: Kubectl,
        what: "`kubectl config set-context --current` edits the current context (`--namespace=dev` without naming it); before, `--current` is an unknown flag and a context name is required",
        source: "pkg/kubectl/cmd/config/create_context.go (kubernetes#66140, merged 2018-07-13, release note in CHANGELOG-1.12.md)",
        range: Range::Unconfirmed("from the PR's merge date (after v1.11.0 shipped) and the v1.12 release note; the v1.11.0 and v1.12.0 sources were not at hand"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP,
            command: "kubectl config set-context --current --namespace=dev",
            before: "unknown flag: --current", after: "^Context \"kubernetes-admin@kubernetes\" modified.$" }),
    }
    /// `config view` shortens certificate data to `DATA+OMITTED`.
    ConfigViewDataOmitted {
        since: 12, side: Kubectl,
        what: "`kubectl config view` (without `--raw`) shows certificate data as `DATA+OMITTED` (was `REDACTED`)",
        source: "client-go tools/clientcmd/api/helpers.go ShortenConfig (kubernetes#66023, merged 2018-07; `DATA+OMITTED` for the CA and client data in v0.33.6)",
        range: Range::Unconfirmed("from the PR's merge date and release note; whether `client-key-data` stayed `REDACTED` for some releases after v1.12 (asked in the PR's review) is not checked"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl config view",
            before: "client-key-data: REDACTED", after: "client-key-data: DATA\\+OMITTED" }),
    }
    /// `config get-users`.
    ConfigGetUsers {
        since: 20, side: Kubectl,
        what: "`kubectl config get-users` lists the kubeconfig's users (before: `error: unknown command \"get-users\"`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/config/get_users.go (kubernetes#89840, listed in CHANGELOG-1.20.md)",
        range: Range::Unconfirmed("from CHANGELOG-1.20.md; the v1.19.0 and v1.20.0 sources were not at hand"),
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl config get-users",
            before: "unknown command \"get-users\"", after: "^NAME\nkubernetes-admin$" }),
    }
    /// A bare `deployments` (`deploy`, `ds`, `rs`) resolves to apps.
    DeploymentsResolveToApps {
        since: 16, side: Cluster,
        what: "kubectl sends a bare `deployments`, `daemonsets`, `replicasets` (and `networkpolicies`, `podsecuritypolicies`) to their new groups: `deployment.apps/web scaled`; up to v1.15 the apiserver served them in extensions/v1beta1 too, a group it lists before apps, so kubectl's priority REST mapper chose it: `deployment.extensions/web scaled`. Read from discovery (`served.tsv`: the group order and the served resources), not from a version check",
        source: "cmd/kube-apiserver/app/aggregator.go apiVersionPriorities (extensions 17900 before apps 17800) and pkg/master/master.go DefaultAPIResourceConfigSource (v1.16.0 stops serving extensions/v1beta1 deployments, daemonsets, replicasets, networkpolicies, podsecuritypolicies); client-go restmapper PriorityRESTMapper",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"],
            command: "kubectl scale deployment web --replicas=2",
            before: "^deployment.extensions/web scaled$", after: "^deployment.apps/web scaled$" }),
    }
    /// A bare `ingresses` resolves to networking.k8s.io.
    IngressesResolveToNetworking {
        since: 20, side: Cluster,
        what: "kubectl sends a bare `ingresses` (`ing`) to networking.k8s.io (`ingress.networking.k8s.io/web`); up to v1.19 the extensions group, still serving Ingress and listed first, won (`ingress.extensions/web`). Read from discovery's group order (`served.tsv`)",
        source: "cmd/kube-apiserver/app/aggregator.go apiVersionPriorities (v1.19.0: extensions 17900; v1.20.0: 17150, \"prioritize below networking.k8s.io\")",
        range: Confirmed,
        check: T("ingresses_resolve_by_the_group_order"),
    }
    /// Objects served by the API server carry `metadata.managedFields`.
    ManagedFieldsInResponses {
        since: 16, side: Cluster,
        what: "every object the API server returns carries `metadata.managedFields` (server-side apply's field manager tracks every write; kubectl hides them from v1.21, `get --raw` and curl do not)",
        source: "pkg/features/kube_features.go ServerSideApply (alpha, default off at v1.15.0; beta, default on at v1.16.0; CHANGELOG-1.16 kubernetes#81956)",
        range: Confirmed,
        check: T("objects_need_managed_fields_from_1_16"),
    }
    /// kubectl names the field manager of each writing command.
    KubectlFieldManagers {
        since: 19, side: Kubectl,
        what: "kubectl names each writing command's field manager (`kubectl-create`, `kubectl-client-side-apply`, `kubectl-run`, `kubectl-label`, … and `--field-manager`); before, the API server named the manager after the User-Agent's program, `kubectl`",
        source: "staging/src/k8s.io/kubectl/pkg/cmd (kubectl v0.19.0: cmdutil.AddFieldManagerFlagVar in create, apply, run, expose, label, annotate, patch, replace, edit, set, rollout, taint, autoscale; v0.18.0: only apply --server-side's --field-manager, default `kubectl`); apiserver handlers managerOrUserAgent",
        range: Confirmed,
        check: T("kubectl_field_managers_from_v1_19"),
    }
    /// `get -o yaml|json` hides managedFields.
    GetHidesManagedFields {
        since: 21, side: Kubectl,
        what: "`get -o yaml|json` leaves out `metadata.managedFields` unless `--show-managed-fields`; v1.16-v1.20 printed them",
        source: "CHANGELOG-1.21 kubernetes#96878 (`kubectl get` will omit managed fields by default now); cli-runtime genericclioptions/json_yaml_flags.go showManagedFields",
        range: Confirmed,
        check: T("get_shows_managed_fields_by_version"),
    }
    /// Managed fields entries name their subresource.
    ManagedFieldsSubresource {
        since: 22, side: Cluster,
        what: "a write through a subresource is recorded with `subresource: scale|status` (a scale write's entry has no `time`, as kube-apiserver v1.33.13 records it); before, the scale handler did not exist and such writes are not attributed here",
        source: "staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go ManagedFieldsEntry.Subresource (new in v1.22.0); apiserver/pkg/endpoints/handlers/fieldmanager/scalehandler.go (v0.22.2)",
        range: Confirmed,
        check: T("scale_writes_are_attributed_from_v1_22"),
    }
    /// The help after an apply conflict lost its blank lines.
    ApplyConflictHelpCompact {
        since: 18, side: Kubectl,
        what: "the help kubectl prints after a server-side apply conflict follows the error on the next line and has no blank line before `See …` (v1.17: a blank line after the error and before `See`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go (kubectl v0.17.0 vs v0.18.0, the `errors.IsConflict` message)",
        range: Confirmed,
        check: T("apply_conflict_help_by_version"),
    }
    /// The help after an apply conflict links the server-side apply page.
    ApplyConflictHelpServerSideApplyUrl {
        since: 21, side: Kubectl,
        what: "the conflict help ends `See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts` (before: `See http://k8s.io/docs/reference/using-api/api-concepts/#conflicts`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go (kubectl v0.20.0 vs v0.21.0)",
        range: Confirmed,
        check: T("apply_conflict_help_by_version"),
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
    // ---- found by the differential runs against a real v1.35.4 control
    // plane (docs/differential.md), each checked in the release sources ----
    /// The apiserver warns on every request for v1 Endpoints.
    EndpointsDeprecated {
        since: 33, side: Cluster,
        what: "a request for v1 Endpoints (`get`, `describe`, `delete`, `create -f`) gets the warning `v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice` (kubectl prints it as `Warning: …`)",
        source: "k8s.io/api core/v1/lifecycle.go Endpoints.APILifecycleDeprecated 1.33 and APILifecycleReplacement (absent at v0.28.15, present at v0.33.6), worded by k8s.io/apiserver pkg/endpoints/deprecation/deprecation.go WarningMessage; the real v1.35.4 apiserver",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get endpoints",
            before: r"\ANAME +ENDPOINTS", after: r"\AWarning: v1 Endpoints is deprecated in v1\.33\+; use discovery\.k8s\.io/v1 EndpointSlice$" }),
    }
    /// `autoscale --cpu-percent` is deprecated.
    AutoscaleCpuPercentDeprecated {
        since: 34, side: Kubectl,
        what: "`kubectl autoscale --cpu-percent` prints `Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).` (the flag still works; `--cpu` and `--memory` were added)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go MarkDeprecated(\"cpu-percent\") (absent at k8s.io/kubectl v0.33.0, present at v0.34.0); real kubectl 1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: "kubectl autoscale deployment web --cpu-percent=50 --max=3",
            before: r"\Ahorizontalpodautoscaler\.autoscaling/web autoscaled$", after: r"\AFlag --cpu-percent has been deprecated, Use --cpu with percentage" }),
    }
    /// A zero `creationTimestamp` is left out, not `null`.
    ZeroCreationTimestampOmitted {
        since: 34, side: Kubectl,
        what: "a zero `metadata.creationTimestamp` is left out of JSON and YAML instead of written `null`: pod templates show `metadata: {}` (or their labels alone), and `--dry-run=client -o yaml` objects have no `creationTimestamp: null` (the serialisers of kubectl and of the apiserver both changed)",
        source: "k8s.io/apimachinery pkg/apis/meta/v1/types.go ObjectMeta.CreationTimestamp `omitempty,omitzero` (v0.34.0; `omitempty` only at v0.33.6); CHANGELOG-1.34.md (kubernetes#130989); real kubectl 1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl create configmap x --dry-run=client -o yaml",
            before: "^  creationTimestamp: null$", after: "^metadata:\n  name: x$" }),
    }
    /// `--output-watch-events` without a watch is a plain error.
    OutputWatchEventsPlainError {
        since: 25, side: Kubectl,
        what: "`get --output-watch-events` without `--watch` fails with the bare message (was a usage error followed by `See 'kubectl get -h' for help and examples`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/get/get.go Validate (k8s.io/kubectl v0.24.0 cmdutil.UsageErrorf, v0.25.0 fmt.Errorf); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get pods --output-watch-events",
            before: "^See 'kubectl get -h' for help and examples$", after: r"--watch-only\n?\z" }),
    }
    /// `taint` resolves its resource type.
    TaintResolvesResourceType {
        since: 19, side: Kubectl,
        what: "`kubectl taint` resolves its resource type with the REST mapper and refuses any kind but Node with `invalid resource type deployment, only node types are supported` (was a check of the word against `[\"node\" \"nodes\"]`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go Validate (k8s.io/kubectl v0.18.0 validResources, v0.19.0 Mapper.KindFor); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: "kubectl taint deployment web a=b:NoSchedule",
            before: r#"only \["node" "nodes"\] are supported"#, after: "only node types are supported" }),
    }
    /// ReplicaSets and Deployments count terminating pods.
    TerminatingReplicasStatus {
        since: 35, side: Cluster,
        what: "ReplicaSets and Deployments report `status.terminatingReplicas`, the pods being deleted and not yet terminal (`terminatingReplicas: 0` in `-o yaml` when none)",
        source: "pkg/controller/replicaset/replica_set_utils.go calculateStatus and pkg/controller/deployment/sync.go calculateStatus (DeploymentReplicaSetTerminatingReplicas: alpha v1.33, beta and on v1.35, CHANGELOG-1.35.md kubernetes#133087); the real v1.35.4 control plane",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: "kubectl get deployment web -o jsonpath={.status.terminatingReplicas}",
            before: "", after: "^0$" }),
    }
    /// A headless Service's Endpoints are labelled so.
    EndpointsHeadlessLabel {
        since: 16, side: Cluster,
        what: "the endpoints controller labels a headless Service's Endpoints `service.kubernetes.io/headless` (empty value)",
        source: "pkg/controller/endpoint/endpoints_controller.go syncService v1.IsHeadlessService (absent at v1.15.0, present at v1.16.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl create service clusterip web --clusterip=None"], command: "kubectl get endpoints web --show-labels",
            before: r"app=web$", after: r"service\.kubernetes\.io/headless=" }),
    }
    /// The endpoints controller marks its Endpoints.
    EndpointsManagedByLabel {
        since: 33, side: Cluster,
        what: "the endpoints controller labels the Endpoints it writes `endpoints.kubernetes.io/managed-by=endpoint-controller`",
        source: "pkg/controller/endpoint/endpoints_controller.go LabelManagedBy (absent at v1.32.0, present at v1.33.0); the real v1.35.4 controller manager",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl expose deployment web --port=80"], command: "kubectl get endpoints web -o jsonpath={.metadata.labels}",
            before: r#"^\{"app":"web"\}$"#, after: r#""endpoints\.kubernetes\.io/managed-by":"endpoint-controller""# }),
    }
    /// `kubectl version --short` is gone.
    VersionShortRemoved {
        since: 28, side: Kubectl,
        what: "`kubectl version --short` fails with `error: unknown flag: --short` (deprecated since v1.24; the short form became the default output)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/version/version.go (flag present at k8s.io/kubectl v0.27.0, absent at v0.28.0); real kubectl 1.27 and 1.28",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl version --short --client",
            before: "^Client Version: v1\\.27", after: "unknown flag: --short" }),
    }
    /// `set env --from` says which keys it renamed.
    SetEnvKeyTransferredWarning {
        since: 24, side: Kubectl,
        what: "`kubectl set env --from=configmap/X` (or secret) warns for each key whose variable name differs: `warning: key cache-size transferred to CACHE_SIZE`",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/set/set_env.go keyToEnvName (absent at k8s.io/kubectl v0.23.0, fmt.Fprintf at v0.24.0); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl create configmap cfg --from-literal=cache-size=1"], command: "kubectl set env deployment/web --from=configmap/cfg",
            before: r"\Adeployment\.apps/web env updated$", after: r"(?i)^warning: key cache-size transferred to CACHE_SIZE$" }),
    }
    /// `set env` warns through the WarningPrinter.
    SetEnvWarningPrinter {
        since: 25, side: Kubectl,
        what: "`kubectl set env` prints its warnings as `Warning: …` (kubectl's WarningPrinter; was `warning: …`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/set/set_env.go (k8s.io/kubectl v0.24.0 fmt.Fprintf \"warning: \", v0.25.0 o.warningPrinter.Print); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: "kubectl set env deployment/web -c nope X=1",
            before: "^warning: Deployment/web does not have any containers", after: "^Warning: Deployment/web does not have any containers" }),
    }
    /// A manifest of an unserved kind names the object.
    ResourceMappingNotFound {
        since: 24, side: Kubectl,
        what: "a manifest whose kind no API serves fails `resource mapping not found for name: \"web\" namespace: \"\" from \"web.yaml\": no matches for kind …` and `ensure CRDs are installed first` (was `unable to recognize \"web.yaml\": no matches for kind …`)",
        source: "staging/src/k8s.io/cli-runtime/pkg/resource/mapper.go infoForData (NoKindMatchError case absent at k8s.io/cli-runtime v0.23.0, present at v0.24.0); real kubectl 1.27, 1.30, 1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: &[("typo.yaml", "apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n  name: web\n")], setup: NO_SETUP, command: "kubectl apply -f typo.yaml",
            before: r#"^error: unable to recognize "typo\.yaml": no matches for kind "Deploymnt""#, after: r#"^error: resource mapping not found for name: "web" namespace: "" from "typo\.yaml": no matches for kind "Deploymnt" in version "apps/v1"\nensure CRDs are installed first$"# }),
    }
    /// A Job restarting Always is a Required error.
    JobRestartPolicyAlwaysRequired {
        since: 20, side: Cluster,
        what: "a Job (or CronJob) template with `restartPolicy: Always` or none is refused `spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"` (was `Unsupported value: \"Always\": supported values: …`)",
        source: "pkg/apis/batch/validation/validation.go validateJobSpec (field.NotSupported at v1.19.0, field.Required for Always or empty from v1.20.0); the real v1.35.4 apiserver",
        range: Confirmed,
        check: P(Probe { files: &[("job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: always\nspec:\n  template:\n    spec:\n      restartPolicy: Always\n      containers:\n      - name: c\n        image: busybox\n")], setup: NO_SETUP, command: "kubectl apply -f job.yaml",
            before: r#"restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"$"#, after: r#"restartPolicy: Required value: valid values: "OnFailure", "Never"$"# }),
    }
    /// A detail-less invalid request prints the server's message.
    InvalidRequestNamesMessage {
        since: 26, side: Kubectl,
        what: "a 422 without kind, name or causes (a JSON patch that cannot be applied) prints `The request is invalid: the server rejected our request due to an error in our request` (was `The request is invalid`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go checkErr isInvalidReasonStatusError (message appended from k8s.io/kubectl v0.26.0, absent at v0.25.0); real kubectl 1.27, 1.30, 1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: r#"kubectl patch deployment web --type=json -p [{"op":"remove","path":"/metadata/labels/nope"}]"#,
            before: "^The request is invalid$", after: "^The request is invalid: the server rejected our request due to an error in our request$" }),
    }
    /// `describe serviceaccount` lists only image pull secrets.
    DescribeServiceAccountPullSecretsOnly {
        since: 35, side: Kubectl,
        what: "`kubectl describe serviceaccount` prints only `Image pull secrets:`, without `(not found)` marks; the `Mountable secrets:` and `Tokens:` lines (and the Secrets list they were read from) are gone",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeServiceAccount (tokens and missingSecrets parameters at k8s.io/kubectl v0.34.0, gone at v0.35.0); the differential run against the real v1.35.4 control plane",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl describe serviceaccount default",
            before: "^Mountable secrets: ", after: "^Image pull secrets:  <none>\nEvents: " }),
    }
    /// The quota table ends with AGE.
    QuotaAgeLastColumn {
        since: 33, side: Cluster,
        what: "`kubectl get quota` prints `NAME REQUEST LIMIT AGE` (was `NAME AGE REQUEST LIMIT`): the API server's table handler moved the age to the end",
        source: "pkg/printers/internalversion/printers.go resourceQuotaColumnDefinitions and printResourceQuota (Age second at v1.32.0, last at v1.33.0); the differential run against the real v1.35.4 control plane",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create quota q --hard=pods=3"], command: "kubectl get quota",
            before: r"\ANAME +AGE +REQUEST +LIMIT$", after: r"\ANAME +REQUEST +LIMIT +AGE$" }),
    }
    // Session 9, kubectl-client differences of the differential run
    // (issue 16), each checked against the real kubectl binaries 1.27–1.35.
    /// `describe daemonset` names the namespace.
    DescribeDaemonSetNamespace {
        since: 33, side: Kubectl,
        what: "`kubectl describe daemonset` prints `Namespace:` after `Name:`",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go describeDaemonSet (absent at k8s.io/kubectl v0.32.0, present at v0.33.0); real kubectl 1.32.5 and 1.33.1",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl describe daemonset kube-proxy -n kube-system",
            before: r"\AName: +kube-proxy\nSelector:", after: r"\AName: +kube-proxy\nNamespace: +kube-system\n" }),
    }
    /// `describe service` reads EndpointSlices.
    DescribeServiceEndpointSlices {
        since: 31, side: Kubectl,
        what: "`kubectl describe service` reads the Service's EndpointSlices (was its Endpoints): a Service whose slice has no endpoints prints an empty `Endpoints:` (was `<none>`), `<none>` only without any slice",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go ServiceDescriber.Describe and formatEndpointSlices (Endpoints at k8s.io/kubectl v0.30.0, EndpointSlices at v0.31.0); real kubectl 1.30.13 and 1.31.9",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create service clusterip web --tcp=80:80"], command: "kubectl describe service web",
            before: r"^Endpoints: +<none>$", after: r"^Endpoints: *$" }),
    }
    /// `describe` lists only ready endpoints of a slice.
    DescribeEndpointSlicesReadyOnly {
        since: 32, side: Kubectl,
        what: "`describe service` and `describe ingress` list only the ready endpoints of an EndpointSlice (`conditions.ready` unset counts as ready); kubectl 1.31 listed every endpoint",
        source: "staging/src/k8s.io/kubectl/pkg/describe/describe.go formatEndpointSlices (no readiness check at k8s.io/kubectl v0.31.0, isReady at v0.32.0); real kubectl 1.31.9 and 1.32.5 on one hand-written slice",
        range: Confirmed,
        check: P(Probe { files: MANUAL_SLICE, setup: &["kubectl apply -f manual.yaml"], command: "kubectl describe service manual",
            before: r"^Endpoints: +10\.0\.0\.1:8080,10\.0\.0\.2:8080,10\.0\.0\.3:8080$", after: r"^Endpoints: +10\.0\.0\.1:8080,10\.0\.0\.3:8080$" }),
    }
    /// `patch --dry-run` no longer says so.
    PatchDryRunUnmarked {
        since: 18, side: Kubectl,
        what: "`kubectl patch --dry-run` prints `patched` without `(dry run)` or `(server dry run)`: `ToPrinter` sets the operation after `PrintFlagsWithDryRunStrategy` marked it",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go Complete (v0.17.0 completes `%s (dry run)` inside ToPrinter; from v0.18.0 PrintFlagsWithDryRunStrategy runs before ToPrinter overwrites the operation, unchanged to v0.35.0); real kubectl 1.27.16, 1.33.1 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: r#"kubectl patch deployment web -p {"spec":{"replicas":5}} --dry-run"#,
            before: r"^deployment\.apps/web patched \(dry run\)$", after: r"^deployment\.apps/web patched$" }),
    }
    /// A table sort that fails prints nothing.
    SortByTableErrorIgnored {
        since: 15, side: Kubectl,
        what: "`kubectl get --sort-by=PATH` printing a table of two rows or more, with PATH in none of them, prints nothing and `No resources found…` and succeeds: the sort runs in the printer (`SortingPrinter`), whose error `get` ignores (other outputs still fail `couldn't find any field with path …`); and a table get of several responses (`get pods,deployments`, `get pod a b`) fails `couldn't find any field with path …` for any path of the objects, as `Run` sorts the unstructured Table responses themselves",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/get/get.go Run (`printer.PrintObj(info.Object, w)` unchecked) and sorter.go SortingPrinter (v1.14.0 sorted the decoded Tables before printing and returned the error; v1.15.0 sorts in the printer); real kubectl 1.27–1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get pods -n kube-system --sort-by=.status.nosuchfield",
            before: r#"^error: couldn't find any field with path "\{\.status\.nosuchfield\}" in the list of objects$"#, after: r"\ANo resources found" }),
    }
    /// The List `get` prints has no selfLink.
    GenericListWithoutSelfLink {
        since: 24, side: Kubectl,
        what: "the `List` that `kubectl get` hands to `-o yaml|json|jsonpath|go-template` has `metadata: {resourceVersion: \"\"}` (was with `selfLink: \"\"`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/get/get.go printGeneric (`\"selfLink\": listMeta.GetSelfLink()` at k8s.io/kubectl v0.23.0, gone at v0.24.0); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get pods -l app=none -o yaml",
            before: r#"^  selfLink: ""$"#, after: r#"^metadata:\n  resourceVersion: ""\n\z"# }),
    }
    /// Go 1.12: template errors quote the whole action.
    GoTemplateFullErrorContext {
        since: 14, side: Kubectl,
        what: "a go-template run-time error quotes the whole action, `at <index .metadata.labels \"app\">` (was cut to 20 bytes, `at <index .metadata.labe...>`)",
        source: "Go's text/template/parse ErrorContext (truncation removed in Go 1.12, release notes); kubectl 1.13.0 was built with go1.11.2, 1.14.0 with go1.12.1 (build/dependencies.yaml and build-image VERSION of k8s.io/kubernetes); real kubectl 1.27–1.35",
        range: Confirmed,
        check: T("go_template_errors_by_go_release"),
    }
    /// Go 1.19: a word must end at the whole `}}`.
    GoTemplateWholeDelimTerminates {
        since: 25, side: Kubectl,
        what: "a go-template word followed by a lone `}` (`{{.data.MODE}`) fails `bad character U+007D '}'` in the lexer (was the parser's `unexpected \"}\" in operand`)",
        source: "Go's text/template/parse lex.go atTerminator (first rune of the right delimiter up to Go 1.18, the whole delimiter from Go 1.19: go1.18.10 and go1.19.13 run side by side); kubectl 1.24.0 was built with go1.18.1, 1.25.0 with go1.19; real kubectl 1.27–1.35",
        range: Confirmed,
        check: T("go_template_errors_by_go_release"),
    }
    /// Go 1.25: comparison errors name the types.
    GoTemplateComparisonNamesTypes {
        since: 35, side: Kubectl,
        what: "a go-template `eq`/`lt` of two kinds fails `incompatible types for comparison: float64 and int` (was without the types)",
        source: "Go's text/template funcs.go eq/lt (go1.24.13 and go1.25.0 run side by side); kubectl 1.34.0 was built with go1.24.6, 1.35.0 with go1.25.5 (.go-version of k8s.io/kubernetes); real kubectl 1.33.1 (go1.24.2) without the types",
        range: Confirmed,
        check: T("go_template_errors_by_go_release"),
    }
    /// A null JSONPath result prints `null`.
    JsonPathNullPrintsNull {
        since: 29, side: Kubectl,
        what: "`-o jsonpath` prints a null value (an EndpointSlice's `endpoints` without any) as `null` (was Go's `<nil>`)",
        source: "staging/src/k8s.io/client-go/util/jsonpath/jsonpath.go evalToText (absent at k8s.io/client-go v0.28.15, `return []byte(\"null\")` at v0.29.0); real kubectl 1.28.15 prints `<nil>`, 1.29.14 and 1.35.4 `null`",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create service clusterip lonely --tcp=80:80"], command: "kubectl get endpointslices -l kubernetes.io/service-name=lonely -o jsonpath={.items[0].endpoints}",
            before: r"\A<nil>\z", after: r"\Anull\z" }),
    }
    /// `version` names the kustomize it embeds.
    VersionKustomizeLine {
        since: 24, side: Kubectl,
        what: "`kubectl version` prints `Kustomize Version: v4.5.4` (the kustomize module kubectl embeds) after the client line, and `kustomizeVersion` in `-o yaml|json`",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/version/version.go (absent at k8s.io/kubectl v0.23.0, getKustomizeVersion at v0.24.0); the version per release is the go.mod's sigs.k8s.io/kustomize/kustomize module; real kubectl 1.27–1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl version --short --client",
            before: r"\AClient Version: v1\.23\.0\n\z", after: r"^Kustomize Version: v4\.5\.4$" }),
    }
    /// `version --short` is deprecated.
    VersionShortDeprecated {
        since: 24, side: Kubectl,
        what: "`kubectl version --short` prints `Flag --short has been deprecated, and will be removed in the future. The --short output will become the default.`, and `kubectl version` without `--short` or `-o` warns `WARNING: This version information is deprecated and will be replaced with the output from kubectl version --short.  Use --output=yaml|json to get the full version.` (until v1.27; from v1.28 the short form is the default and the flag is gone, [`Fact::VersionShortRemoved`])",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/version/version.go (MarkDeprecated(\"short\") and the WARNING at k8s.io/kubectl v0.24.0–v0.27.0, absent at v0.23.0); real kubectl 1.27.16",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl version --short --client",
            before: r"\AClient Version: v1\.23\.0\n\z", after: r"\AFlag --short has been deprecated, and will be removed in the future\. The --short output will become the default\.\n" }),
    }
    /// PodDisruptionBudgets carry the `DisruptionAllowed` condition.
    PdbDisruptionAllowedCondition {
        since: 21, side: Cluster,
        what: "the disruption controller writes the condition `DisruptionAllowed` into a PodDisruptionBudget's status: True `SufficientPods` when a disruption is allowed, False `InsufficientPods` when not, False `SyncFailed` with the error when the budget cannot be computed; the eviction subresource sets it False when it spends the last allowed disruption (no conditions before)",
        source: "pkg/controller/disruption/disruption.go updatePdbStatus and failSafe (DisruptionAllowedCondition absent at v1.20.0, present at v1.21.0), k8s.io/component-helpers/apps/poddisruptionbudget UpdateDisruptionAllowedCondition; the real v1.35.4 controller manager",
        range: Confirmed,
        check: T("pdb_condition_by_version"),
    }
    /// Evicting a Pending or terminating pod ignores budgets.
    EvictionIgnoresBudgetForPendingPods {
        since: 19, side: Cluster,
        what: "the eviction subresource deletes a Pending pod, or one already being deleted, without consulting its PodDisruptionBudget (`canIgnorePDB`; before, only Succeeded and Failed pods were)",
        source: "pkg/registry/core/pod/storage/eviction.go Create and canIgnorePDB (absent at v1.18.0, present at v1.19.0)",
        range: Confirmed,
        check: T("eviction_of_pending_pods_by_version"),
    }
    /// Evicting an unready pod of a met budget spends nothing.
    EvictionAllowsUnreadyPodsOfHealthyBudget {
        since: 20, side: Cluster,
        what: "the eviction subresource deletes a pod that is not Ready without spending its PodDisruptionBudget when the budget is met (`currentHealthy >= desiredHealthy > 0`), even if it allows no disruption (before, such an eviction was refused with 429)",
        source: "pkg/registry/core/pod/storage/eviction.go Create (`!podutil.IsPodReady(pod) && pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy` absent at v1.19.0, present at v1.20.0)",
        range: Confirmed,
        check: T("eviction_of_unready_pods_by_version"),
    }
    /// `unhealthyPodEvictionPolicy: AlwaysAllow` is honoured.
    PdbUnhealthyPodEvictionPolicy {
        since: 27, side: Cluster,
        what: "a PodDisruptionBudget keeps `spec.unhealthyPodEvictionPolicy`, and `AlwaysAllow` lets the eviction subresource delete any pod that is not Ready without spending the budget (before, the field was unknown, then dropped while the PDBUnhealthyPodEvictionPolicy gate was alpha and off in v1.26)",
        source: "pkg/features/kube_features.go (PDBUnhealthyPodEvictionPolicy: v1.26 alpha, off; v1.27 beta, on; v1.31 GA), pkg/registry/policy/poddisruptionbudget/strategy.go dropDisabledFields, pkg/registry/core/pod/storage/eviction.go Create",
        range: Confirmed,
        check: T("eviction_of_unready_pods_by_version"),
    }
    /// `drain` announces each eviction.
    DrainAnnouncesEvictions {
        since: 14, side: Kubectl,
        what: "`kubectl drain` prints `evicting pod \"web-1\"` as each eviction starts (before, only `pod/web-1 evicted` once it is gone)",
        source: "pkg/kubectl/cmd/drain/drain.go evictPods (no such line at v1.13.0, `evicting pod %q` at v1.14.0)",
        range: Confirmed,
        check: T("drain_messages_by_version"),
    }
    /// `drain --timeout` gives up per eviction.
    DrainTimeoutPerEviction {
        since: 17, side: Kubectl,
        what: "`kubectl drain --timeout` is checked by each pod's eviction loop, which gives up with `error when evicting pod \"web-1\": global timeout reached: 30s` (before, the whole drain stopped with `drain did not complete within 30s`, which kubeplay reports unsupported)",
        source: "pkg/kubectl/cmd/drain/drain.go deleteOrEvictPods (`drain did not complete within` at v1.15.0), staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods (`global timeout reached` at k8s.io/kubectl v0.17.0)",
        range: Range::Unconfirmed("v1.16 not checked (kubectl had moved to staging, not unpacked here); v1.15 has the old form, v1.17 the new"),
        check: T("drain_messages_by_version"),
    }
    /// `drain` prints `evicting pod NAMESPACE/NAME`.
    DrainEvictingNamesNamespace {
        since: 18, side: Kubectl,
        what: "`kubectl drain` announces each eviction as `evicting pod default/web-1` (was `evicting pod \"web-1\"`)",
        source: "staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods (k8s.io/kubectl v0.17.0 `evicting pod %q`, v0.18.0 `evicting pod %s/%s`)",
        range: Confirmed,
        check: T("drain_messages_by_version"),
    }
    /// `drain`'s eviction errors name the namespace.
    DrainEvictionErrorNamesNamespace {
        since: 20, side: Kubectl,
        what: "`kubectl drain`'s eviction errors read `error when evicting pods/\"web-1\" -n \"default\" (will retry after 5s): …` and `error when evicting pods/\"web-1\" -n \"default\": global timeout reached: 30s` (was `error when evicting pod \"web-1\" …`)",
        source: "staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods (k8s.io/kubectl v0.19.0 `pod %q`, v0.20.0 `pods/%q -n %q`); real kubectl 1.35.4",
        range: Confirmed,
        check: T("drain_messages_by_version"),
    }
    /// `drain` asks for `--ignore-errors` when it aborts.
    DrainAbortDeprecationNotice {
        since: 22, side: Kubectl,
        what: "`kubectl drain` that aborts on a node first prints `DEPRECATED WARNING: Aborting the drain command in a list of nodes will be deprecated in v1.23.` and its two lines about `--ignore-errors` (only v1.22: from v1.23 drain no longer aborts, [`Fact::DrainContinuesPastFailedNode`])",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go RunDrain (absent at k8s.io/kubectl v0.21.0, present at v0.22.0, gone at v0.23.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl drain --selector=kubernetes.io/os=linux",
            before: r"cordoned\nerror: unable to drain node \S+, aborting command", after: r"^DEPRECATED WARNING: Aborting the drain command" }),
    }
    /// `drain` goes on past a node it cannot drain.
    DrainContinuesPastFailedNode {
        since: 23, side: Kubectl,
        what: "`kubectl drain` of several nodes goes on past one it cannot drain: `error: unable to drain node \"n\" due to error:…, continuing command...` for each, then `There are pending nodes to be drained:` and the errors without `error: ` (was `error: unable to drain node \"n\", aborting command...` at the first)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go RunDrain (abort at k8s.io/kubectl v0.22.0, continue at v0.23.0); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl drain --selector=kubernetes.io/os=linux",
            before: "aborting command", after: "continuing command" }),
    }
    /// `create poddisruptionbudget` validates its options itself.
    CreatePdbOptions {
        since: 21, side: Kubectl,
        what: "`kubectl create poddisruptionbudget` checks its own options (`a selector must be specified`, `one of min-available or max-unavailable must be specified`, `invalid format specified for min-available`) and builds the budget itself (before, the `poddisruptionbudget/v1beta1/v2` generators did, with their own messages and defaults; kubeplay reports those unsupported)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/create/create_pdb.go (generators at k8s.io/kubectl v0.20.0, PodDisruptionBudgetOpts.Validate at v0.21.0)",
        range: Confirmed,
        check: T("create_pdb_by_version"),
    }
    /// `create poddisruptionbudget` writes policy/v1.
    CreatePdbPolicyV1 {
        since: 22, side: Kubectl,
        what: "`kubectl create poddisruptionbudget` sends a `policy/v1` budget (was `policy/v1beta1`, which a v1.21 server accepts with its deprecation warning)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/create/create_pdb.go createPodDisruptionBudgets (policyv1beta1 at k8s.io/kubectl v0.21.0, policyv1 at v0.22.0)",
        range: Confirmed,
        check: T("create_pdb_by_version"),
    }
    /// `drain` calls bare pods ones that declare no controller.
    DrainUnmanagedDeclareNoController {
        since: 24, side: Kubectl,
        what: "`kubectl drain` refuses a pod without a controller with `cannot delete Pods declare no controller (use --force to override): ns/p` and warns `deleting Pods that declare no controller` (was `Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet`)",
        source: "staging/src/k8s.io/kubectl/pkg/drain/filters.go unmanagedFatal and unmanagedWarning (k8s.io/kubectl v0.23.0 `not managed by …`, v0.24.0 `declare no controller`)",
        range: Confirmed,
        check: T("drain_unmanaged_messages_by_version"),
    }
    /// `drain`'s bare-pod refusal says `cannot delete` twice.
    DrainUnmanagedCannotDeletePrefix {
        since: 30, side: Kubectl,
        what: "`kubectl drain`'s refusal of a pod without a controller reads `cannot delete cannot delete Pods that declare no controller (use --force to override): ns/p` (unmanagedFatal gained its own `cannot delete`, which the error adds again)",
        source: "staging/src/k8s.io/kubectl/pkg/drain/filters.go unmanagedFatal (v0.29.0 `Pods declare no controller …`, v0.30.0 `cannot delete Pods that declare no controller …`); real kubectl 1.35.4",
        range: Confirmed,
        check: T("drain_unmanaged_messages_by_version"),
    }
    /// `drain`'s node error has a space after `error:`.
    DrainErrorSeparatorSpace {
        since: 31, side: Kubectl,
        what: "`kubectl drain`'s failed-node line reads `due to error: cannot delete …` (was `due to error:cannot delete …`, no space)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go RunDrain (`error:%s` at k8s.io/kubectl v0.30.0, `error: %s` at v0.31.0); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl drain --selector=kubernetes.io/os=linux",
            before: "due to error:cannot delete", after: "due to error: cannot delete" }),
    }
    /// `get serviceaccounts` has no SECRETS column.
    ServiceAccountNoSecretsColumn {
        since: 35, side: Cluster,
        what: "`get serviceaccounts` prints NAME and AGE only (the SECRETS column, a count of `secrets` that no token controller fills since v1.24, is gone)",
        source: "pkg/printers/internalversion/printers.go serviceAccountColumnDefinitions (v1.34.0: Name, Secrets, Age; v1.35.0: Name, Age); real v1.35.4 control plane",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl get serviceaccounts",
            before: "^NAME +SECRETS +AGE$", after: "^NAME +AGE$" }),
    }
    /// Label key checks come from `validate/content`.
    LabelKeyContentMessages {
        since: 35, side: Cluster,
        what: "a label key with more than one `/` is refused as not `a valid label key ...` (was `a qualified name ...`), and too-long label keys and values `must be no more than 63 bytes` (was `characters`)",
        source: "k8s.io/apimachinery pkg/util/validation/validation.go IsQualifiedName (v0.34.0) became content.IsLabelKey in pkg/api/validate/content/kube.go (v0.35.0), MaxLenError in content/errors.go; real v1.35.4 control plane",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run web --image=nginx"], command: "kubectl label pod web a/b/c=1",
            before: "Invalid value: \"a/b/c\": a qualified name must consist", after: "Invalid value: \"a/b/c\": a valid label key must consist" }),
    }
    /// `kubectl create ingress` exists.
    CreateIngress {
        since: 20, side: Kubectl,
        what: "`kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]]` builds a networking.k8s.io/v1 Ingress; before there was no such command (unsupported)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/create/create_ingress.go (absent in k8s.io/kubectl v0.19.0, new in v0.20.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: NO_SETUP, command: "kubectl create ingress web",
            before: "^unsupported: kubectl create ingress before v1.20", after: "^error: not enough information provided: every ingress has to either specify a default-backend" }),
    }
    /// Several default IngressClasses: the newest wins.
    NewestDefaultIngressClass {
        since: 25, side: Cluster,
        what: "with more than one IngressClass marked default, a new Ingress without a class gets the newest of them (was refused: `Internal error occurred: 2 default IngressClasses were found, only 1 allowed`)",
        source: "plugin/pkg/admission/network/defaultingressclass/admission.go getDefaultClass (v1.24.0: only 1 allowed; v1.25.0: choosing the newest)",
        range: Confirmed,
        check: T("several_default_ingress_classes_by_version"),
    }
    /// `kubectl autoscale` builds an autoscaling/v2 object.
    AutoscaleCreatesV2 {
        since: 33, side: Kubectl,
        what: "`kubectl autoscale` builds an autoscaling/v2 HorizontalPodAutoscaler (a CPU target as a Resource metric) and falls back to autoscaling/v1 when the create fails; `--dry-run=client -o yaml` prints the v2 object (was autoscaling/v1 with `targetCPUUtilizationPercentage`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go createHorizontalPodAutoscalerV2 (absent at k8s.io/kubectl v0.32.0, present at v0.33.0); real kubectl 1.33 and 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx"], command: "kubectl autoscale deployment web --max=3 --dry-run=client -o yaml",
            before: "^apiVersion: autoscaling/v1$", after: "^apiVersion: autoscaling/v2$" }),
    }
    /// A failed v2 `autoscale` no longer falls back to v1 without `--cpu`.
    AutoscaleNoV1Fallback {
        since: 34, side: Kubectl,
        what: "`kubectl autoscale` whose autoscaling/v2 create fails (the HPA exists) prints `error: failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: empty input` unless `--cpu` is given (was the server's error of the v1 retry, `AlreadyExists`)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go Run and canCreateHPAV1 (absent at k8s.io/kubectl v0.33.0, present at v0.34.0); real kubectl 1.35.4",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl create deployment web --image=nginx", "kubectl autoscale deployment web --max=3"], command: "kubectl autoscale deployment web --max=3",
            before: "AlreadyExists", after: "incompatible with autoscaling/v1: empty input$" }),
    }
    /// `kubectl events` is a top-level command.
    KubectlEvents {
        since: 26, side: Kubectl,
        what: "`kubectl events [--for TYPE/NAME] [--types T]` lists events oldest first as `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE`; before it was `kubectl alpha events` (not emulated: unsupported)",
        source: "staging/src/k8s.io/kubectl/pkg/cmd/cmd.go (events.NewCmdEvents registered at the top level from k8s.io/kubectl v0.26.0, under alpha in v0.25.0)",
        range: Confirmed,
        check: P(Probe { files: NO_FILES, setup: &["kubectl run web --image=nginx"], command: "kubectl events",
            before: "^unsupported: kubectl events before v1.26", after: "^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$" }),
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
