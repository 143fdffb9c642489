//! Node-local state that is not in the API: what each kubelet and container
//! runtime knows (images on disk, sandboxes, pending pulls, power). Written
//! only through [`super::controllers::Write::Runtime`].

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::jiff::Timestamp;

/// The runtime state of every node, by node name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Runtime {
    /// Per-node state. A node replaced whole goes through
    /// [`Runtime::put_node`], which keeps the index of marked nodes.
    pub nodes: BTreeMap<String, NodeRuntime>,
    /// The nodes whose [`NodeRuntime::unsupported`] is not empty: what
    /// [`Runtime::unsupported_by`] visits, on every simulator command,
    /// rather than every node. Marks are set only by the kubelet, whose
    /// steps replace a node whole ([`Runtime::put_node`]).
    marked_nodes: BTreeSet<String>,
    /// The job controller's work queue, by `namespace/name`.
    pub jobs: BTreeMap<String, JobQueue>,
    /// The CronJob controller's work queue, by `namespace/name` (same
    /// shape: what its informers saw, queued now, delayed until).
    pub cron_jobs: BTreeMap<String, JobQueue>,
    /// Simulated CPU demand on workloads (`kubeplay load`), see
    /// [`super::metrics`].
    pub loads: BTreeMap<super::metrics::LoadTarget, u32>,
    /// The HPA controller's memory of each autoscaler, by `namespace/name`.
    pub hpas: BTreeMap<String, HpaMemory>,
    /// Connections each Service port has handed out, by
    /// `namespace/name:port-index`: the next ready endpoint to use
    /// ([`super::traffic`]; written by traffic, and by the kubelet when it
    /// answers a container's own network call, `Write::Balancer`).
    pub balancer: BTreeMap<String, u64>,
    /// Controllers' back-off after a rejected pod create, by the uid of
    /// the owner they create for (its work queue's rate limiter).
    pub create_backoff: BTreeMap<String, CreateBackoff>,
    /// The event recorder's aggregator (`EventAggregator`), by aggregate
    /// key: the distinct messages seen and when one was last seen.
    pub event_aggregates: BTreeMap<String, (BTreeSet<String>, Timestamp)>,
    /// What the containers' processes printed, as far as replayed: a
    /// cache for log reads ([`super::process::Replays`]).
    pub replays: super::process::Replays,
    /// The endpoints and endpoint-slice controllers' trigger-time
    /// trackers, by tracker and Service `namespace/name`
    /// ([`super::controllers::trigger_time`]).
    pub trigger_times: BTreeMap<
        (super::controllers::trigger_time::Tracker, String),
        super::controllers::trigger_time::ServiceState,
    >,
    /// The pod GC's quarantine (`nodeQueue`), by node name: the tick at
    /// which it first found pods bound to the missing node
    /// ([`super::controllers::gc`]).
    pub pod_gc_quarantine: BTreeMap<String, Timestamp>,
    /// The scheduler's `nextStartNodeIndex`: where its next search for
    /// feasible nodes starts in the node list
    /// ([`super::controllers::node_sampling`]). Written with the scheduler's
    /// bind or status write (`Write::SchedulerStart`); nothing else reads
    /// it, so it wakes no controller.
    pub scheduler_start: usize,
}

/// A controller's memory of failed creates for one owner
/// (`workqueue.DefaultControllerRateLimiter`'s per-item exponential
/// back-off: 5ms, doubling per failure, at most 1000s).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateBackoff {
    /// Failures since the last success.
    pub failures: u32,
    /// When the owner is synced again.
    pub retry_at: Timestamp,
    /// The last failure's error (`manageReplicasErr`), as the API server
    /// worded it: the message of a ReplicaSet's `ReplicaFailure` condition.
    pub error: String,
}

impl CreateBackoff {
    /// The delay after `failures` failures.
    pub fn delay(failures: u32) -> std::time::Duration {
        let ms = 5u64.saturating_mul(1u64 << failures.saturating_sub(1).min(30));
        std::time::Duration::from_millis(ms.min(1_000_000))
    }
}

impl Runtime {
    /// Replaces one node's state, keeping the index of nodes with marked
    /// pods in step.
    pub fn put_node(&mut self, name: String, nr: NodeRuntime) {
        if nr.unsupported.is_empty() {
            self.marked_nodes.remove(&name);
        } else {
            self.marked_nodes.insert(name.clone());
        }
        self.nodes.insert(name, nr);
    }

    /// The kubelet's record of `container`'s current run in `pod`, on the
    /// pod's node.
    pub fn container_run(
        &self,
        pod: &k8s_openapi::api::core::v1::Pod,
        container: &str,
    ) -> Option<&ContainerRun> {
        let node = super::podutil::node_name(pod)?;
        let uid = pod.metadata.uid.as_deref().unwrap_or_default();
        self.nodes.get(node)?.pods.get(uid)?.containers.get(container)
    }

    /// [`Runtime::container_run`], to change it.
    pub fn container_run_mut(
        &mut self,
        pod: &k8s_openapi::api::core::v1::Pod,
        container: &str,
    ) -> Option<&mut ContainerRun> {
        let node = super::podutil::node_name(pod)?;
        let uid = pod.metadata.uid.as_deref().unwrap_or_default();
        self.nodes.get_mut(node)?.pods.get_mut(uid)?.containers.get_mut(container)
    }

    /// The filesystem changes `kubectl exec`/`kubectl cp` made in
    /// `container` of pod `uid` on `node` during its current run.
    pub fn container_files(
        &self,
        node: &str,
        uid: &str,
        container: &str,
    ) -> Option<&super::process::fs::Changes> {
        let run = self.nodes.get(node)?.pods.get(uid)?.containers.get(container)?;
        Some(&run.files)
    }

    /// What container processes running now (or before `now`) reached that
    /// kubeplay cannot run, named with their pod and container. Called on
    /// every simulator command, so it visits only the pods each node has
    /// marked ([`NodeRuntime::unsupported`]), not every pod.
    pub fn unsupported_by(&self, now: Timestamp) -> Vec<String> {
        debug_assert_eq!(
            self.marked_nodes.iter().collect::<Vec<_>>(),
            self.nodes
                .iter()
                .filter(|(_, n)| !n.unsupported.is_empty())
                .map(|(k, _)| k)
                .collect::<Vec<_>>(),
            "the index of nodes with unsupported runs is kept"
        );
        let mut found = Vec::new();
        let marked = self
            .marked_nodes
            .iter()
            .filter_map(|name| self.nodes.get(name))
            .flat_map(|n| n.unsupported.iter().filter_map(|uid| n.pods.get(uid)));
        for pod in marked {
            for (container, run) in &pod.containers {
                let (Some((at, what)), Some(started)) = (&run.unsupported, run.started) else {
                    continue;
                };
                if super::time::add(started, *at) <= now {
                    found.push(format!(
                        "{what}, run by container {container:?} of pod {}",
                        pod.name
                    ));
                }
            }
        }
        found
    }
}

/// The HPA controller's in-memory state for one autoscaler
/// (`HorizontalController.recommendations`, `horizontal.go`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HpaMemory {
    /// Recommendations recorded at syncs that ran, with their time; older
    /// than the stabilisation window are dropped.
    pub recommendations: Vec<(i32, Timestamp)>,
    /// When the last sync ran.
    pub last_sync: Option<Timestamp>,
    /// The recommendation the last sync recorded, if it recorded one: what
    /// every skipped (idle) sync since `last_sync` would have recorded.
    pub last_recommendation: Option<i32>,
    /// Scale-ups and scale-downs (replica change, time) within the longest
    /// policy period of a `behavior` (`scaleUpEvents`, `scaleDownEvents`).
    pub scale_up_events: Vec<(i32, Timestamp)>,
    /// See [`HpaMemory::scale_up_events`].
    pub scale_down_events: Vec<(i32, Timestamp)>,
}

/// The job controller's memory of one Job (`pkg/controller/job`): what its
/// informers last saw, and the rate-limited work queue entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobQueue {
    /// resourceVersion of the Job and of each of its pods, as last observed.
    /// Shared: a sync rewrites the entry (ready, requeues) far more often
    /// than the observation changes, and a Job of 10,000 pods would copy
    /// 10,000 names each time.
    pub seen: std::sync::Arc<BTreeMap<String, String>>,
    /// The store's revision when `seen` was recorded: while the Job's and
    /// its pods' last writes are older, nothing changed for it to see.
    pub seen_at: u64,
    /// `queue.NumRequeues(key)`: rate-limited requeues since the last Forget.
    pub requeues: u32,
    /// Queued for a sync now.
    pub ready: bool,
    /// A delayed `AddAfter` pending, at its earliest time.
    pub due: Option<Timestamp>,
    /// The pod-failure back-off record (`backoffRecord` in the
    /// controller's `podBackoffStore`), kept while pods are tracked with
    /// finalizers: it outlives the pods it counted.
    pub backoff: BackoffRecord,
}

impl JobQueue {
    /// The entry as its sync leaves it, when its turn is now: it was
    /// queued, or its delay is due (`queue.Get`: the key leaves the queue,
    /// and a delay that brought it back is spent).
    pub fn turn(&self, now: Timestamp) -> Option<JobQueue> {
        let due = self.due.is_some_and(|t| t <= now);
        if !(self.ready || due) {
            return None;
        }
        let mut q = self.clone();
        q.ready = false;
        if due {
            q.due = None;
        }
        Some(q)
    }
}

/// `backoffRecord` (pkg/controller/job/backoff_utils.go).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackoffRecord {
    /// `failuresAfterLastSuccess`.
    pub failures_after_last_success: i32,
    /// `lastFailureTime`.
    pub last_failure: Option<Timestamp>,
}

/// One node's machine: kubelet power, image cache, pod sandboxes.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRuntime {
    /// Whether the kubelet runs (the machine is on and the service started).
    pub running: bool,
    /// Whether the machine is powered on. `systemctl stop kubelet` stops
    /// only the kubelet: containers keep running and are found running when
    /// it starts again; a power-off kills them, so they restart on power-on.
    pub powered: bool,
    /// When the kubelet last stopped posting status.
    pub stopped_at: Option<Timestamp>,
    /// When the kubelet last came back.
    pub started_at: Option<Timestamp>,
    /// Images present on the machine.
    pub images: BTreeSet<String>,
    /// Last host number handed out from the node's pod CIDR (host-local
    /// IPAM, whose bridge takes `.1`; kwok's pool starts at `.1`).
    pub last_ip: u32,
    /// Host numbers kwok's IP pool got back from deleted pods
    /// (`ipPool.Put`), handed out again before new ones (`ipPool.Get`).
    /// Always empty outside the kwok profile: host-local IPAM hands out
    /// fresh addresses first.
    pub released_ips: BTreeSet<u32>,
    /// Pods the kubelet manages, by pod uid. Written through
    /// [`NodeRuntime::put_pod`] and [`NodeRuntime::remove_pod`].
    pub pods: BTreeMap<String, PodRuntime>,
    /// The uids of pods one of whose container runs reached something
    /// kubeplay cannot run ([`ContainerRun::unsupported`]): what
    /// [`Runtime::unsupported_by`] looks at. A uid may outlive its mark
    /// (a run restarted by a power cycle); the look-up checks the run.
    pub unsupported: BTreeSet<String>,
}

impl NodeRuntime {
    /// A powered-on node with an empty image cache.
    pub fn new() -> NodeRuntime {
        NodeRuntime {
            running: true,
            powered: true,
            stopped_at: None,
            started_at: None,
            images: BTreeSet::new(),
            last_ip: 1,
            released_ips: BTreeSet::new(),
            pods: BTreeMap::new(),
            unsupported: BTreeSet::new(),
        }
    }

    /// A booted node of `config`'s cluster: under the kwok profile no
    /// bridge holds `.1` (kwok's `ipPool.new` starts at index 1).
    pub fn booted(config: &super::ClusterConfig) -> NodeRuntime {
        let first_free = if super::profiles::is_kwok(config) { 0 } else { 1 };
        NodeRuntime { last_ip: first_free, ..NodeRuntime::new() }
    }

    /// Records what the kubelet knows of pod `uid`, keeping
    /// [`NodeRuntime::unsupported`] in step.
    pub fn put_pod(&mut self, uid: &str, entry: PodRuntime) {
        if entry.containers.values().any(|run| run.unsupported.is_some()) {
            self.unsupported.insert(uid.to_owned());
        } else {
            self.unsupported.remove(uid);
        }
        self.pods.insert(uid.to_owned(), entry);
    }

    /// The pod records (uids) that differ in `new`, when nothing else
    /// does; `None` when anything but the records changed.
    pub fn changed_pods(&self, new: &NodeRuntime) -> Option<Vec<String>> {
        // Destructured, so that a new field must be placed here.
        let NodeRuntime {
            running,
            powered,
            stopped_at,
            started_at,
            images,
            last_ip,
            released_ips,
            pods,
            unsupported: _,
        } = self;
        let same = *running == new.running
            && *powered == new.powered
            && *stopped_at == new.stopped_at
            && *started_at == new.started_at
            && *last_ip == new.last_ip
            && *released_ips == new.released_ips
            && *images == new.images;
        if !same {
            return None;
        }
        let mut uids: Vec<String> = pods
            .iter()
            .filter(|(uid, record)| new.pods.get(*uid) != Some(*record))
            .map(|(uid, _)| uid.clone())
            .collect();
        uids.extend(new.pods.keys().filter(|uid| !pods.contains_key(*uid)).cloned());
        Some(uids)
    }

    /// Forgets pod `uid`.
    pub fn remove_pod(&mut self, uid: &str) {
        self.unsupported.remove(uid);
        self.pods.remove(uid);
    }
}

impl Default for NodeRuntime {
    fn default() -> Self {
        NodeRuntime::new()
    }
}

/// What the kubelet is doing with one pod.
#[derive(Debug, Clone, PartialEq)]
pub enum PodStage {
    /// Creating the pod sandbox; done at the given time.
    Sandbox {
        /// When the sandbox is up.
        ready_at: Timestamp,
    },
    /// Pulling the image of container `index`.
    Pulling {
        /// Container index in `spec.containers`.
        index: usize,
        /// When the pull started.
        started: Timestamp,
        /// When the pull finishes.
        done_at: Timestamp,
    },
    /// All containers started.
    Running,
    /// Containers are being stopped; the pod object goes at `done_at`.
    Killing {
        /// When the containers have exited.
        done_at: Timestamp,
    },
}

impl PodStage {
    /// When this stage wants the kubelet's attention next.
    pub fn due(&self) -> Option<Timestamp> {
        match self {
            PodStage::Sandbox { ready_at } => Some(*ready_at),
            PodStage::Pulling { done_at, .. } | PodStage::Killing { done_at } => Some(*done_at),
            PodStage::Running => None,
        }
    }
}

/// The kubelet's record of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodRuntime {
    /// Pod name (for diagnostics).
    pub name: String,
    /// Current stage.
    pub stage: PodStage,
    /// The sandbox IP, once allocated.
    pub ip: Option<String>,
    /// The machine rebooted: containers start again with restartCount + 1.
    pub restart: bool,
    /// What each started container's process does, by container name.
    pub containers: BTreeMap<String, ContainerRun>,
    /// The image pull back-off (`pkg/kubelet/images` `backOff`, keyed by
    /// pod and image): current period and when it was last bumped.
    pub pull_backoff: BTreeMap<String, (std::time::Duration, Timestamp)>,
    /// Syncs of this pod that failed to start a container (a failed pull,
    /// a sync in the image back-off, `ErrImageNeverPull`): the first is
    /// followed by a prompt re-sync; each seeds the pod worker's jitter.
    pub failed_syncs: u32,
    /// When the pod worker syncs the pod again after a sync that failed to
    /// start a container; the containers not started are tried again then.
    pub retry_at: Option<Timestamp>,
}

/// The kubelet's record of one container: how its current run ends and its
/// crash-loop back-off (`pkg/kubelet/kuberuntime` `doBackOff`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerRun {
    /// When the current run exits, counted from its `startedAt`, and its
    /// exit code; `None` when it runs until stopped.
    pub exit: Option<(std::time::Duration, i32)>,
    /// When the current run started, to the nanosecond (the status keeps
    /// whole seconds).
    pub started: Option<Timestamp>,
    /// The back-off entry (`flowcontrol.Backoff`): current period and when
    /// it was last bumped.
    pub backoff: Option<(std::time::Duration, Timestamp)>,
    /// When the exited container is started again, if it will be.
    pub restart_at: Option<Timestamp>,
    /// What the current run's network calls printed, in call order: each
    /// answered when the clock reached it ([`super::process::Context::calls`]).
    pub calls: Vec<super::traffic::clients::Printed>,
    /// The current run's next network call, not answered yet: when (since
    /// `started`) and its argv. The kubelet answers it at that time.
    pub waiting: Option<(std::time::Duration, Vec<String>)>,
    /// The previous run's start and network answers (`kubectl logs -p`).
    pub previous: Option<(Timestamp, Vec<super::traffic::clients::Printed>)>,
    /// The current run reaches something kubeplay cannot run (a utility
    /// the image has but the interpreter does not): when (since
    /// `started`) and what, named. The process stops there in the
    /// simulator, so what it would do next is unknown.
    pub unsupported: Option<(std::time::Duration, String)>,
    /// What `kubectl exec`/`kubectl cp` changed in the container's
    /// filesystem during the current run ([`super::process::fs`]); a
    /// restart starts from the image again, as a new container's writable
    /// layer does.
    pub files: super::process::fs::Changes,
    /// The prober's workers of the current run, by probe
    /// (`pkg/kubelet/prober/worker.go`): made afresh when the container
    /// starts, as the worker resets on a new container ID.
    pub probes: BTreeMap<ProbeKind, ProbeWorker>,
    /// The kubelet is stopping the container after a failed liveness or
    /// startup probe: when it has exited, and its exit code. The pod's
    /// sync restarts it then (`kuberuntime_manager.go` `SyncPod` kills and
    /// starts in one sync).
    pub killed: Option<(Timestamp, i32)>,
    /// The container's postStart hook failed and the kubelet is killing
    /// it (`startContainer` step 4): when it has exited, its exit code, and
    /// the hook's message, which the container's status shows as
    /// `PostStartHookError` when it is to restart.
    pub post_start_failed: Option<(Timestamp, i32, String)>,
    /// The container's postStart hook is running (`startContainer` step
    /// 4 waits for it, so the status still shows what it showed before):
    /// when it returns, and, if it fails, its event message and the
    /// handler's own message.
    pub post_start_until: Option<(Timestamp, Option<(String, String)>)>,
    /// When the container's main process got SIGHUP during the current
    /// run (`nginx -s reload` in an exec session), and how many of the
    /// changes in [`ContainerRun::files`] were made by then (what it sees
    /// when it re-reads its configuration, even within one instant:
    /// [`super::images::nginx::running`]).
    pub hangups: Vec<(Timestamp, usize)>,
    /// The last process id the current run's pid namespace handed out,
    /// when kubeplay knows it ([`super::images::nginx::first_free_pid`]):
    /// what an nginx command exec'd into it logs as its own.
    pub last_pid: Option<u32>,
}

/// Which probe a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    /// `startupProbe`.
    Startup,
    /// `livenessProbe`.
    Liveness,
    /// `readinessProbe`.
    Readiness,
}

/// One probe worker's memory (`worker.go`: `lastResult`, `resultRun`,
/// `onHold`), and the last tick of its ticker it has handled.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeWorker {
    /// The ticks up to this time are spent (probed, or skipped while the
    /// container was starting or the probe waited on another).
    pub last_tick: Timestamp,
    /// The last probe's result (`true`: success), if any.
    pub last_result: Option<bool>,
    /// How many probes in a row gave `last_result`.
    pub run: i32,
    /// After a liveness or startup failure the worker waits for a new
    /// container.
    pub on_hold: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, unsupported: Option<&str>) -> PodRuntime {
        let run = ContainerRun {
            started: Some("2024-01-01T00:00:00Z".parse().unwrap()),
            unsupported: unsupported.map(|w| (std::time::Duration::from_secs(5), w.to_owned())),
            ..ContainerRun::default()
        };
        PodRuntime {
            name: name.to_owned(),
            stage: PodStage::Running,
            ip: None,
            restart: false,
            containers: BTreeMap::from([("main".to_owned(), run)]),
            pull_backoff: BTreeMap::new(),
            failed_syncs: 0,
            retry_at: None,
        }
    }

    /// A kubelet step that rewrites pod records only names those records
    /// (the kubelet's queue then looks at those pods alone); any other
    /// change is the whole node's.
    #[test]
    fn changed_pods_names_the_records_that_differ_and_only_them() {
        let mut before = NodeRuntime::new();
        before.put_pod("a", pod("a", None));
        before.put_pod("b", pod("b", None));
        let mut after = before.clone();
        after.pods.get_mut("a").unwrap().failed_syncs = 1;
        after.remove_pod("b");
        after.put_pod("c", pod("c", None));
        assert_eq!(before.changed_pods(&after), Some(vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(before.changed_pods(&before), Some(Vec::new()));
        let mut pulled = before.clone();
        pulled.images.insert("nginx:1.25".into());
        assert_eq!(before.changed_pods(&pulled), None);
        let mut addressed = before.clone();
        addressed.last_ip += 1;
        assert_eq!(before.changed_pods(&addressed), None);
    }

    #[test]
    fn only_marked_pods_are_reported_once_their_time_has_come() {
        let mut nr = NodeRuntime::new();
        nr.put_pod("a", pod("plain", None));
        nr.put_pod("b", pod("odd", Some("shell command rm")));
        assert_eq!(nr.unsupported, BTreeSet::from(["b".to_owned()]));
        let mut runtime = Runtime::default();
        runtime.put_node("n1".to_owned(), nr);
        let early: Timestamp = "2024-01-01T00:00:04Z".parse().unwrap();
        let late: Timestamp = "2024-01-01T00:00:05Z".parse().unwrap();
        assert!(runtime.unsupported_by(early).is_empty());
        assert_eq!(
            runtime.unsupported_by(late),
            ["shell command rm, run by container \"main\" of pod odd"]
        );
        // A restarted run without the mark, and a pod gone, are no longer
        // looked at.
        let mut nr = runtime.nodes["n1"].clone();
        nr.put_pod("b", pod("odd", None));
        assert!(nr.unsupported.is_empty());
        nr.put_pod("b", pod("odd", Some("shell command rm")));
        nr.remove_pod("b");
        assert!(nr.unsupported.is_empty() && !nr.pods.contains_key("b"));
    }
}
