//! The kubelets and their container runtimes (`pkg/kubelet`): one pod step
//! per action. Sandbox → image pull (virtual time, cached per node) →
//! containers created and started → Running; deletion → Killing → the pod
//! object removed. A stopped kubelet does nothing at all. Pulls of one pod
//! happen one at a time (`serializeImagePulls`); a container whose image
//! cannot be had (a failed pull, the image back-off, `ErrImageNeverPull`)
//! waits while the others start, and the pod is synced again later.

use crate::version::Fact;
use std::{collections::BTreeSet, time::Duration};

use k8s_openapi::{
    api::core::v1::{
        Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
        ContainerStateWaiting, ContainerStatus, HostIP, Node, Pod, PodIP, PodStatus,
    },
    jiff::Timestamp,
};

use super::{
    Controller, View, Write,
    kubelet_env::{self, ConfigError},
    kubelet_process,
    lifecycle_hooks::{self, Hook, Ran},
    prober::{self, Probed},
};
use crate::sim::{
    Kind, Object, ObjectRef,
    events::{EventRecord, reference_to},
    flavor::{Flavor, flavor},
    images::{self, Pull},
    net::Cidr,
    podutil, profiles,
    rng::{self, hex_digest},
    runtime::{ContainerRun, NodeRuntime, PodRuntime, PodStage, ProbeKind},
    time,
};
use crate::sim::{
    object::Resource,
    queue::{self, Affected, Keyed, Part, QueueKey, RuntimeChange},
    store::Change,
};

const COMPONENT: &str = "kubelet";

/// Every node's kubelet.
pub struct Kubelet;

impl Controller for Kubelet {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn reconcile(&self, view: &View<'_>) -> Vec<Write> {
        queue::full_scan(self, view)
    }

    fn next_wakeup(&self, view: &View<'_>) -> Option<Timestamp> {
        queue::scan_wakeup(self, view)
    }

    fn keyed(&self) -> Option<&dyn Keyed> {
        Some(self)
    }
}

/// Keys: each node's pods in the order its kubelet syncs them (creation
/// time, then name), then the node's sweep of runtime records whose pod is
/// gone; nodes in name order.
impl Keyed for Kubelet {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        let mut keys = Vec::new();
        for node in view.store.all::<Node>(None) {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            keys.extend(view.store.pods_on_node(name).map(|p| pod_key(name, p)));
            keys.push(sweep_key(name));
        }
        keys
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        match change.object.kind {
            Kind::Pod => {
                let mut keys = Vec::new();
                for pod in [change.old.as_ref(), view.store.get(&change.object)]
                    .into_iter()
                    .flatten()
                    .filter_map(|o| Pod::from_object(o))
                {
                    if let Some(node) = podutil::node_name(pod) {
                        keys.push(pod_key(node, pod));
                        keys.push(sweep_key(node));
                    }
                }
                Affected::Keys(keys)
            }
            Kind::Node => {
                let name = &change.object.name;
                let mut keys: Vec<QueueKey> =
                    view.store.pods_on_node(name).map(|p| pod_key(name, p)).collect();
                keys.push(sweep_key(name));
                Affected::Keys(keys)
            }
            // What a kubelet never reads: controllers' own objects and
            // the events it only writes.
            Kind::Event
            | Kind::ReplicaSet
            | Kind::Deployment
            | Kind::DaemonSet
            | Kind::ControllerRevision
            | Kind::Job
            | Kind::CronJob
            | Kind::HorizontalPodAutoscaler => Affected::Nothing,
            _ => Affected::All,
        }
    }

    fn on_runtime(&self, view: &View<'_>, change: &RuntimeChange) -> Affected {
        match change {
            RuntimeChange::Node(name) => {
                let mut keys: Vec<QueueKey> =
                    view.store.pods_on_node(name).map(|p| pod_key(name, p)).collect();
                keys.push(sweep_key(name));
                Affected::Keys(keys)
            }
            RuntimeChange::PodRecords(name, uids) => {
                // The pods whose records changed, and the sweep when one
                // of those is no longer this node's stored pod (its
                // record's timers, or the record's removal).
                let mut keys = Vec::new();
                let mut sweep = false;
                for uid in uids {
                    let pod = view
                        .store
                        .uid(uid)
                        .and_then(|r| view.store.get(r))
                        .and_then(Pod::from_object)
                        .filter(|p| podutil::node_name(p) == Some(name.as_str()));
                    match pod {
                        Some(p) => keys.push(pod_key(name, p)),
                        None => sweep = true,
                    }
                }
                if sweep {
                    keys.push(sweep_key(name));
                }
                Affected::Keys(keys)
            }
            RuntimeChange::Other => Affected::All,
            RuntimeChange::ControllerMemory => Affected::Nothing,
        }
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        let Some(Part::Str(node_name)) = key.rank.first() else { return Vec::new() };
        let Some(node) = view.store.get_typed::<Node>(None, node_name) else { return Vec::new() };
        let fresh = NodeRuntime::booted(view.config);
        let nr = view.runtime.nodes.get(node_name.as_str()).unwrap_or(&fresh);
        if !nr.running {
            return Vec::new();
        }
        if key.object.kind == Kind::Node {
            return sweep(view, node_name, nr);
        }
        let Some(pod) = view.store.get(&key.object).and_then(Pod::from_object) else {
            return Vec::new();
        };
        if podutil::node_name(pod) != Some(node_name.as_str()) || pod_key(node_name, pod) != *key {
            return Vec::new();
        }
        let mut writes = Ctx { view, node, nr }.sync_pod(pod);
        if profiles::is_kwok(view.config) {
            // kwok's stages change pods in the API only: no kubelet
            // records Pulled, Created or Started.
            writes.retain(|w| !matches!(w, Write::Event(_)));
        }
        writes
    }

    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<Timestamp> {
        let Some(Part::Str(node_name)) = key.rank.first() else { return None };
        let nr = view.runtime.nodes.get(node_name.as_str()).filter(|n| n.running)?;
        if key.object.kind == Kind::Node {
            // Records of pods that are not this node's stored pods.
            let on_node: BTreeSet<&str> = view
                .store
                .pods_on_node(node_name)
                .filter_map(|p| p.metadata.uid.as_deref())
                .collect();
            return nr
                .pods
                .iter()
                .filter(|(uid, _)| !on_node.contains(uid.as_str()))
                .flat_map(|(uid, pr)| pod_wakeups(view, uid, pr, None))
                .filter(|t| *t > view.now)
                .min();
        }
        let pod = view.store.get(&key.object).and_then(Pod::from_object)?;
        if podutil::node_name(pod) != Some(node_name.as_str()) {
            return None;
        }
        let uid = pod.metadata.uid.as_deref()?;
        let pr = nr.pods.get(uid)?;
        pod_wakeups(view, uid, pr, Some(pod)).filter(|t| *t > view.now).min()
    }
}

fn pod_key(node: &str, pod: &Pod) -> QueueKey {
    QueueKey {
        rank: vec![
            Part::Str(node.to_owned()),
            Part::Int(0),
            Part::Time(pod.metadata.creation_timestamp.as_ref().map(|t| t.0)),
            Part::Str(pod.metadata.name.clone().unwrap_or_default()),
        ],
        object: ObjectRef::namespaced(
            Kind::Pod,
            pod.metadata.namespace.as_deref().unwrap_or("default"),
            pod.metadata.name.as_deref().unwrap_or_default(),
        ),
    }
}

fn sweep_key(node: &str) -> QueueKey {
    QueueKey {
        rank: vec![Part::Str(node.to_owned()), Part::Int(1)],
        object: ObjectRef::cluster(Kind::Node, node),
    }
}

/// Forgets the records of pods that no longer exist (the pod workers'
/// cleanup, `HandlePodCleanups`).
fn sweep(view: &View<'_>, node: &str, nr: &NodeRuntime) -> Vec<Write> {
    let live = |uid: &str| view.store.uid(uid).is_some_and(|r| r.kind == Kind::Pod);
    if nr.pods.keys().all(|uid| live(uid)) {
        return Vec::new();
    }
    let mut nr = nr.clone();
    nr.pods.retain(|uid, _| live(uid));
    vec![Write::Runtime(node.to_owned(), nr)]
}

/// One kubelet's view while syncing one pod.
struct Ctx<'a, 'v> {
    view: &'a View<'v>,
    node: &'a Node,
    nr: &'a NodeRuntime,
}

impl Ctx<'_, '_> {
    fn node_name(&self) -> String {
        self.node.metadata.name.clone().unwrap_or_default()
    }

    fn flavor(&self) -> Flavor {
        flavor(self.view.config)
    }

    fn now(&self) -> Timestamp {
        self.view.now
    }

    /// The node's pod CIDR, which its pods' addresses come from.
    fn pod_cidr(&self) -> Option<Cidr> {
        self.node.spec.as_ref().and_then(|s| s.pod_cidr.as_deref()).and_then(Cidr::parse)
    }

    /// `ip`'s host number in the node's pod CIDR, if it is in it.
    fn host_number(&self, ip: &str) -> Option<u32> {
        self.pod_cidr()?.offset_of(ip).and_then(|o| u32::try_from(o).ok())
    }

    fn runtime_with(&self, uid: &str, entry: Option<PodRuntime>) -> Write {
        let mut nr = self.nr.clone();
        match entry {
            Some(e) => nr.put_pod(uid, e),
            None => nr.remove_pod(uid),
        }
        Write::Runtime(self.node_name(), nr)
    }

    fn event(&self, pod: &Pod, container: Option<&str>, reason: &str, message: String) -> Write {
        let mut involved = reference_to(&Object::Pod(pod.clone()));
        involved.field_path = container.map(|c| field_path(pod, c));
        Write::Event(
            EventRecord::normal(involved, COMPONENT, reason, message).on_host(&self.node_name()),
        )
    }

    /// `syncPod`: the next step for one pod, if it is due.
    fn sync_pod(&self, pod: &Pod) -> Vec<Write> {
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let entry = self.nr.pods.get(&uid);
        if pod.metadata.deletion_timestamp.is_some() {
            return self.terminate(pod, &uid, entry);
        }
        if matches!(podutil::phase(pod), "Succeeded" | "Failed") {
            return Vec::new();
        }
        match entry {
            None => self.admit(pod, &uid),
            Some(e) => match &e.stage {
                PodStage::Sandbox { ready_at } if *ready_at <= self.now() => {
                    self.sandbox_ready(pod, &uid, e)
                }
                PodStage::Pulling { index, started, done_at } if *done_at <= self.now() => {
                    self.pulled(pod, &uid, e, *index, *started)
                }
                PodStage::Running => self.run_containers(pod, &uid, e),
                _ => Vec::new(),
            },
        }
    }

    /// First sight of a pod: Pending with containers waiting in ContainerCreating.
    fn admit(&self, pod: &Pod, uid: &str) -> Vec<Write> {
        let mut p = pod.clone();
        let host_ip = self.node_ip();
        let status = p.status.get_or_insert_with(PodStatus::default);
        status.phase = Some("Pending".to_owned());
        status.host_ip = Some(host_ip.clone());
        status.host_ips = Some(vec![HostIP { ip: host_ip }]);
        status.start_time = Some(time::time(self.now()));
        status.qos_class = Some(crate::sim::qos::class(pod).to_owned());
        // `convertToAPIContainerStatuses`: a container not created yet
        // waits in ContainerCreating, or PodInitializing in a pod with init
        // containers.
        let spec = pod.spec.clone().unwrap_or_default();
        let inits = spec.init_containers.clone().unwrap_or_default();
        let reason = if inits.is_empty() { "ContainerCreating" } else { "PodInitializing" };
        let waiting =
            |c: &Container| waiting_status(&c.name, c.image.as_deref().unwrap_or_default(), reason);
        if !inits.is_empty() {
            status.init_container_statuses = Some(inits.iter().map(waiting).collect());
        }
        status.container_statuses = Some(spec.containers.iter().map(waiting).collect());
        refresh_conditions(&mut p, self.now());
        let kwok = profiles::is_kwok(self.view.config);
        // kwok has no sandbox to create: the pod is Running once bound.
        let delay = if kwok {
            Duration::ZERO
        } else {
            Duration::from_millis(1000 + rng::mix(self.view.config.seed, &[uid, "sandbox"]) % 1500)
        };
        let entry = PodRuntime {
            name: pod.metadata.name.clone().unwrap_or_default(),
            stage: PodStage::Sandbox { ready_at: time::add(self.now(), delay) },
            ip: None,
            restart: false,
            containers: Default::default(),
            pull_backoff: Default::default(),
            failed_syncs: 0,
            retry_at: None,
        };
        if kwok {
            // kwok's `pod-ready` stage writes the whole running status in
            // one patch: the API never shows a ContainerCreating pod, nor a
            // `Ready=False` transition before the `Ready=True` one (which
            // the endpoints controllers' trigger-time trackers would read
            // as the same second seen twice).
            return self.sandbox_ready(&p, uid, &entry);
        }
        vec![Write::Update(Object::Pod(p)), self.runtime_with(uid, Some(entry))]
    }

    fn node_ip(&self) -> String {
        let addresses = self.node.status.as_ref().and_then(|s| s.addresses.as_ref());
        addresses
            .into_iter()
            .flatten()
            .find(|a| a.type_ == "InternalIP")
            .map(|a| a.address.clone())
            .unwrap_or_default()
    }

    /// The sandbox is up: the pod gets its IP and containers start (or pull).
    fn sandbox_ready(&self, pod: &Pod, uid: &str, entry: &PodRuntime) -> Vec<Write> {
        let mut nr = self.nr.clone();
        let host_network = pod.spec.as_ref().and_then(|s| s.host_network).unwrap_or(false);
        let ip = match (&entry.ip, host_network) {
            (Some(ip), _) => ip.clone(),
            (None, true) => self.node_ip(),
            (None, false) => {
                // kwok's pool hands out a released address first; which one
                // of several is a Go map's iteration order, here the lowest.
                let host = match nr.released_ips.pop_first() {
                    Some(host) => host,
                    None => {
                        nr.last_ip += 1;
                        nr.last_ip
                    }
                };
                self.pod_cidr().map(|c| c.nth(u64::from(host))).unwrap_or_default()
            }
        };
        let mut p = pod.clone();
        let status = p.status.get_or_insert_with(PodStatus::default);
        status.pod_ip = Some(ip.clone());
        status.pod_ips = Some(vec![PodIP { ip: ip.clone() }]);
        if entry.restart {
            restart_containers(&mut p, self.nr.stopped_at.unwrap_or(self.now()));
        }
        let mut entry = entry.clone();
        if entry.restart {
            // A restarted kubelet has forgotten its image back-offs.
            entry.pull_backoff.clear();
        }
        entry.retry_at = None;
        entry.ip = Some(ip);
        entry.restart = false;
        self.start_from(p, uid, entry, nr, 0, Vec::new())
    }

    /// Starts the containers not started yet from `index` on, until one
    /// needs a pull (`SyncPod`'s start loop): present images start at once;
    /// one that cannot be had (`ErrImageNeverPull`, the image back-off
    /// running) fails this sync for that container only, and the pod
    /// worker syncs again later ([`PodRuntime::retry_at`]).
    fn start_from(
        &self,
        mut p: Pod,
        uid: &str,
        mut entry: PodRuntime,
        mut nr: NodeRuntime,
        index: usize,
        mut events: Vec<Write>,
    ) -> Vec<Write> {
        let containers = all_containers(&p);
        let inits = init_count(&p);
        for (i, c) in containers.iter().enumerate().skip(index) {
            // Init containers run one at a time, in order, each to its
            // successful end before the next (`computeInitContainerActions`);
            // a restartable one (a sidecar) only has to have started.
            if i < inits && init_done(&p, c) {
                continue;
            }
            if containers[..i.min(inits)].iter().any(|ic| !is_sidecar(ic) && !init_done(&p, ic)) {
                break;
            }
            if started(&p, &c.name) {
                continue;
            }
            let image = c.image.clone().unwrap_or_default();
            let cached =
                nr.images.contains(&image) || images::behaviour(self.view.config, &image).preloaded;
            let policy = c.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
            if !cached && policy == "Never" {
                events.extend(self.never_pull(&mut p, &mut entry, i));
                continue;
            }
            let backoff = entry.pull_backoff.get(&image).copied();
            let pulling = !cached || policy == "Always";
            if pulling
                && backoff
                    .is_some_and(|(_, last)| kubelet_process::in_backoff(backoff, last, self.now()))
            {
                events.extend(self.pull_backing_off(&mut p, &mut entry, i));
                continue;
            }
            // kwok pulls nothing, whatever the pull policy.
            if cached && (policy != "Always" || profiles::is_kwok(self.view.config)) {
                events.push(self.event(
                    &p,
                    Some(&c.name),
                    "Pulled",
                    format!("Container image {image:?} already present on machine"),
                ));
                events.extend(self.start_container(&mut p, i, &mut entry));
                continue;
            }
            events.push(self.event(
                &p,
                Some(&c.name),
                "Pulling",
                format!("Pulling image {image:?}"),
            ));
            let took = images::pull_duration(
                self.view.config,
                &image,
                &self.node_name(),
                cached,
                self.now(),
            );
            entry.stage = PodStage::Pulling {
                index: i,
                started: self.now(),
                done_at: time::add(self.now(), took),
            };
            refresh_conditions(&mut p, self.now());
            nr.put_pod(uid, entry);
            let mut writes = vec![Write::Update(Object::Pod(p))];
            writes.extend(events);
            writes.push(Write::Runtime(self.node_name(), nr));
            return writes;
        }
        entry.stage = PodStage::Running;
        if entry.retry_at.is_some_and(|t| t <= self.now()) {
            // This sync failed for some container: the pod worker's next.
            entry.retry_at = Some(self.next_sync(uid, entry.failed_syncs));
            entry.failed_syncs += 1;
        }
        refresh_conditions(&mut p, self.now());
        nr.put_pod(uid, entry);
        let mut writes = vec![Write::Update(Object::Pod(p))];
        writes.extend(events);
        writes.push(Write::Runtime(self.node_name(), nr));
        writes
    }

    /// A pull finished: cache the image, start the container, go on.
    fn pulled(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        index: usize,
        started: Timestamp,
    ) -> Vec<Write> {
        let mut nr = self.nr.clone();
        let Some(c) = container_at(pod, index) else {
            return Vec::new();
        };
        let image = c.image.clone().unwrap_or_default();
        // Whether the registry had the image when this pull began.
        let pull = images::pull_at(self.view.config, &image, started);
        if pull != Pull::Ok {
            return self.pull_failed(pod, uid, entry, index, &image, pull);
        }
        nr.images.insert(image.clone());
        let took = time::go_duration(time::since(self.now(), started));
        let message = if self.view.config.version.has(Fact::PulledEventIncludesWaiting) {
            format!("Successfully pulled image {image:?} in {took} ({took} including waiting)")
        } else {
            format!("Successfully pulled image {image:?} in {took}")
        };
        let mut p = pod.clone();
        let mut entry = entry.clone();
        let mut events = vec![self.event(&p, Some(&c.name), "Pulled", message)];
        events.extend(self.start_container(&mut p, index, &mut entry));
        self.start_from(p, uid, entry, nr, index + 1, events)
    }

    /// A pull failed (`EnsureImageExists`, `pkg/kubelet/images/
    /// image_manager.go`): `Failed` with the runtime's error, `Error:
    /// ErrImagePull` (`startContainer`, `kuberuntime_container.go`), the
    /// image back-off bumped (10 s doubling to 300 s, `flowcontrol.Backoff`
    /// built in `kubelet.go` with `backOffPeriod`/`MaxContainerBackOff`),
    /// and the container waiting with reason `ErrImagePull` and the error
    /// as message. The pod worker syncs again after its error back-off
    /// (`pod_workers.go` `completeWork`: `wait.Jitter(backOffPeriod, 0.5)`,
    /// 10–15 s, seeded); after the pod's first failure sooner, 1 s later,
    /// when the PLEG's relist (`plegRelistPeriod`) reports the sandbox
    /// created during that sync — which is why a pod shows
    /// `ImagePullBackOff` seconds after its first `ErrImagePull`.
    fn pull_failed(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        index: usize,
        image: &str,
        pull: Pull,
    ) -> Vec<Write> {
        let now = self.now();
        let Some(c) = container_at(pod, index) else {
            return Vec::new();
        };
        let error = images::pull_error(&self.flavor(), image, pull);
        let mut e = entry.clone();
        let previous = e.pull_backoff.get(image).copied();
        e.pull_backoff.insert(image.to_owned(), kubelet_process::next_backoff(previous, now, now));
        e.retry_at = Some(now);
        let mut p = pod.clone();
        set_waiting(&mut p, &c.name, "ErrImagePull", &error);
        let events = vec![
            self.warning(
                pod,
                &c.name,
                "Failed",
                format!("Failed to pull image {image:?}: {error}"),
            ),
            self.warning(pod, &c.name, "Failed", "Error: ErrImagePull".to_owned()),
        ];
        self.start_from(p, uid, e, self.nr.clone(), index + 1, events)
    }

    /// `imagePullPolicy: Never` and the image is not on the node
    /// (`EnsureImageExists`): `ErrImageNeverPull`, tried again at every
    /// sync of the pod.
    fn never_pull(&self, p: &mut Pod, entry: &mut PodRuntime, index: usize) -> Vec<Write> {
        let Some(c) = container_at(p, index).cloned() else {
            return Vec::new();
        };
        let image = c.image.clone().unwrap_or_default();
        let message = format!("Container image {image:?} is not present with pull policy of Never");
        entry.retry_at = Some(self.now());
        set_waiting(p, &c.name, "ErrImageNeverPull", &message);
        vec![
            self.warning(p, &c.name, "ErrImageNeverPull", message),
            self.warning(p, &c.name, "Failed", "Error: ErrImageNeverPull".to_owned()),
        ]
    }

    /// The pod worker's next sync after a failed one: 1 s after the pod's
    /// first (the PLEG event of its new sandbox, queued during that sync),
    /// else `wait.Jitter(10s, 0.5)`, seeded by pod and attempt.
    fn next_sync(&self, uid: &str, failed_syncs: u32) -> Timestamp {
        if failed_syncs == 0 {
            return time::add_secs(self.now(), 1);
        }
        let h = rng::mix(self.view.config.seed, &[uid, "pod-worker", &failed_syncs.to_string()]);
        time::add(self.now(), Duration::from_millis(10_000 + h % 5_000))
    }

    /// A sync while the image back-off runs (`IsInBackOffSinceUpdate`):
    /// `Back-off pulling image` and `Error: ImagePullBackOff`, the container
    /// waiting with reason `ImagePullBackOff`. Once it has passed, the next
    /// sync pulls again.
    fn pull_backing_off(&self, p: &mut Pod, entry: &mut PodRuntime, index: usize) -> Vec<Write> {
        let Some(c) = container_at(p, index).cloned() else {
            return Vec::new();
        };
        let image = c.image.clone().unwrap_or_default();
        let message = format!("Back-off pulling image {image:?}");
        entry.retry_at = Some(self.now());
        set_waiting(p, &c.name, "ImagePullBackOff", &message);
        vec![
            self.event(p, Some(&c.name), "BackOff", message),
            self.warning(p, &c.name, "Failed", "Error: ImagePullBackOff".to_owned()),
        ]
    }

    fn warning(&self, pod: &Pod, container: &str, reason: &str, message: String) -> Write {
        let mut involved = reference_to(&Object::Pod(pod.clone()));
        involved.field_path = Some(field_path(pod, container));
        Write::Event(
            EventRecord::normal(involved, COMPONENT, reason, message)
                .warning()
                .on_host(&self.node_name()),
        )
    }

    /// Starts an exited container again in place (its image is on the
    /// machine): `Pulled` (already present), `Created`, `Started`.
    fn start_again(
        &self,
        mut p: Pod,
        index: usize,
        c: &Container,
        uid: &str,
        mut e: PodRuntime,
    ) -> Vec<Write> {
        let image = c.image.clone().unwrap_or_default();
        let mut writes = vec![self.event(
            &p,
            Some(&c.name),
            "Pulled",
            format!("Container image {image:?} already present on machine"),
        )];
        writes.extend(self.start_container(&mut p, index, &mut e));
        refresh_conditions(&mut p, self.now());
        let mut out = vec![Write::Update(Object::Pod(p))];
        out.extend(writes);
        out.push(self.runtime_with(uid, Some(e)));
        out
    }

    /// Created + Started: the container's status turns running and ready,
    /// and its process starts (when it will exit is known from now on).
    fn start_container(&self, p: &mut Pod, index: usize, entry: &mut PodRuntime) -> Vec<Write> {
        let Some(c) = container_at(p, index).cloned() else {
            return Vec::new();
        };
        if let Err(error) = self.container_config(p, &c) {
            return self.config_failed(p, entry, &c, error);
        }
        // What the status showed before this start: a blocked pod worker
        // (a failing postStart hook) publishes nothing new until it ends.
        let shown_before = status_of(p, &c.name).and_then(|s| s.state.clone());
        let run = entry.containers.entry(c.name.clone()).or_default();
        if let Some(before) = run.started {
            run.previous = Some((before, std::mem::take(&mut run.calls)));
        }
        run.calls.clear();
        run.files.clear();
        run.hangups.clear();
        run.post_start_until = None;
        run.last_pid = images::nginx_last_pid(self.view.store, p, &c, self.now());
        run.started = Some(self.now());
        run.restart_at = None;
        run.killed = None;
        run.probes = prober::workers(&c, self.now());
        let mut balancer = self.view.runtime.balancer.clone();
        kubelet_process::advance(
            self.view.config,
            self.view.store,
            self.view.runtime,
            &mut balancer,
            p,
            &c,
            self.now(),
            run,
            self.now(),
        );
        let turned = (balancer != self.view.runtime.balancer).then_some(Write::Balancer(balancer));
        let image = c.image.clone().unwrap_or_default();
        let f = self.flavor();
        let uid = p.metadata.uid.clone().unwrap_or_default();
        let seed = self.view.config.seed;
        if let Some(cs) = status_of_mut(p, &c.name) {
            let restarts = cs.restart_count.to_string();
            // kwok's pod-ready stage writes no containerID.
            cs.container_id = (!profiles::is_kwok(self.view.config))
                .then(|| f.container_id(&hex_digest(seed, &[&uid, &c.name, &restarts], 64)));
            cs.image = f.status_image(&image);
            cs.image_id = f.image_id(&image, &hex_digest(seed, &[&image_key(&image)], 64));
            // `prober_manager.go` `UpdatePodStatus`: a container with a
            // startup probe has not started until it succeeds; one with a
            // readiness probe is not ready until it succeeds.
            cs.started = Some(c.startup_probe.is_none());
            cs.ready = c.startup_probe.is_none() && c.readiness_probe.is_none();
            cs.state = Some(ContainerState {
                running: Some(ContainerStateRunning { started_at: Some(time::time(self.now())) }),
                ..Default::default()
            });
        }
        let mut writes = vec![
            self.event(p, Some(&c.name), "Created", format!("Created container {}", c.name)),
            self.event(p, Some(&c.name), "Started", format!("Started container {}", c.name)),
        ];
        writes.extend(self.post_start(p, &c, entry, shown_before));
        writes.extend(turned);
        writes
    }

    /// `startContainer` step 4: the postStart hook runs once the container
    /// has started, in its filesystem. One that succeeds at once is
    /// modelled, and so is one that fails at once: the `FailedPostStartHook`
    /// warning (`PostStartHook failed` from v1.26, which keeps the command's
    /// output out of events), then `killContainer` with the message
    /// `FailedPostStartHook` (the `Killing` event). The pod worker is still
    /// in `startContainer` while the container stops, so its status stays
    /// `ContainerCreating` until then ([`Self::post_start_killed`]). One
    /// that takes time holds the pod worker as long: the status shows what
    /// it showed before until the hook returns
    /// ([`Self::post_start_returned`]). A failure next to a preStop hook
    /// (which `killContainer` would run), or one whose command printed
    /// output before v1.26, is named unsupported.
    fn post_start(
        &self,
        p: &mut Pod,
        c: &Container,
        entry: &mut PodRuntime,
        shown_before: Option<ContainerState>,
    ) -> Vec<Write> {
        let Some(handler) = Hook::PostStart.of(c) else { return Vec::new() };
        let Some(run) = entry.containers.get_mut(&c.name) else { return Vec::new() };
        // The hook sees the container's files: what its own process has
        // written by now too.
        let mut ctx = kubelet_process::context(self.view.store, p, c, self.now());
        ctx.changes = kubelet_process::files_at(
            self.view.config,
            self.view.store,
            self.view.runtime,
            p,
            c,
            self.now(),
        );
        let (recorded, seen) = (run.files.clone(), ctx.changes.len());
        let keep = |changes: Vec<_>| -> Vec<_> {
            recorded.iter().cloned().chain(changes.into_iter().skip(seen)).collect()
        };
        let net = lifecycle_hooks::Net {
            store: self.view.store,
            config: self.view.config,
            runtime: self.view.runtime,
            now: self.now(),
        };
        let unsupported = match lifecycle_hooks::run(Hook::PostStart, handler, (p, c), &ctx, &net) {
            Ran::Succeeded { took, changes } if took.is_zero() => {
                run.files = keep(changes);
                return Vec::new();
            }
            Ran::Succeeded { took, changes } => {
                run.files = keep(changes);
                self.hold_for_post_start(p, c, run, shown_before, (took, None));
                return Vec::new();
            }
            Ran::Failed { took, changes, message, detail: Some(detail) }
                if took.is_zero() && Hook::PreStop.of(c).is_none() =>
            {
                run.files = keep(changes);
                return self.kill_after_post_start(p, c, run, (message, detail), shown_before);
            }
            Ran::Failed { took, changes, message, detail: Some(detail) }
                if Hook::PreStop.of(c).is_none() =>
            {
                run.files = keep(changes);
                self.hold_for_post_start(p, c, run, shown_before, (took, Some((message, detail))));
                return Vec::new();
            }
            Ran::Failed { .. } if Hook::PreStop.of(c).is_some() => {
                "a failing postStart hook next to a preStop hook (the kubelet kills the \
                 container through it)"
                    .to_owned()
            }
            Ran::Failed { .. } => {
                "the PostStartHookError message of a failing postStart hook that printed output"
                    .to_owned()
            }
            Ran::Unsupported(what) => what,
        };
        run.unsupported = Some((Duration::ZERO, unsupported));
        Vec::new()
    }

    /// A postStart hook that runs for `took`: the pod worker waits in
    /// `startContainer`, so the status keeps what it showed before the
    /// start (and no probe runs: the prober sees no running container)
    /// until it returns, failing with `failure` if given.
    fn hold_for_post_start(
        &self,
        p: &mut Pod,
        c: &Container,
        run: &mut ContainerRun,
        shown_before: Option<ContainerState>,
        (took, failure): (Duration, Option<(String, String)>),
    ) {
        run.post_start_until = Some((time::add(self.now(), took), failure));
        run.probes.clear();
        if let Some(cs) = status_of_mut(p, &c.name) {
            cs.started = Some(false);
            cs.ready = false;
            cs.state = shown_before;
        }
    }

    /// The postStart hook has returned: `startContainer` goes on, and the
    /// status shows the container running since it started; or the hook
    /// failed, and the kubelet kills the container
    /// ([`Self::kill_after_post_start`]).
    fn post_start_returned(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        c: &Container,
        failure: Option<(String, String)>,
    ) -> Vec<Write> {
        let now = self.now();
        let mut p = pod.clone();
        let mut e = entry.clone();
        let Some(run) = e.containers.get_mut(&c.name) else { return Vec::new() };
        run.post_start_until = None;
        let mut writes = Vec::new();
        if let Some(failure) = failure {
            let shown = status_of(&p, &c.name).and_then(|s| s.state.clone());
            writes = self.kill_after_post_start(&mut p, c, run, failure, shown);
        } else {
            let started = run.started.unwrap_or(now);
            run.probes = prober::workers(c, started);
            if let Some(cs) = status_of_mut(&mut p, &c.name) {
                cs.started = Some(c.startup_probe.is_none());
                cs.ready = c.startup_probe.is_none() && c.readiness_probe.is_none();
                cs.state = Some(ContainerState {
                    running: Some(ContainerStateRunning { started_at: Some(time::time(started)) }),
                    ..Default::default()
                });
            }
        }
        refresh_conditions(&mut p, now);
        let mut out = vec![Write::Update(Object::Pod(p))];
        out.extend(writes);
        out.push(self.runtime_with(uid, Some(e)));
        out
    }

    /// The failed postStart hook's events and the kill: the container
    /// stops as it would on deletion (SIGTERM, or SIGKILL at the end of
    /// the grace period for one that ignores it), its status still
    /// waiting in `ContainerCreating`.
    fn kill_after_post_start(
        &self,
        p: &mut Pod,
        c: &Container,
        run: &mut ContainerRun,
        (message, detail): (String, String),
        shown_before: Option<ContainerState>,
    ) -> Vec<Write> {
        let (stop, code) = match container_stop(c, self.view.config) {
            Some(d) => (d.min(grace_period(p)), 0),
            None => (grace_period(p), 137),
        };
        run.post_start_failed = Some((time::add(self.now(), stop), code, detail));
        run.probes.clear();
        if let Some(cs) = status_of_mut(p, &c.name) {
            cs.started = Some(false);
            cs.ready = false;
            cs.state = shown_before;
        }
        vec![
            self.warning(p, &c.name, Hook::PostStart.failed_reason(), message),
            self.event(p, Some(&c.name), "Killing", "FailedPostStartHook".to_owned()),
        ]
    }

    /// The container killed after its failed postStart hook has exited:
    /// `startContainer` returns `ErrPostStartHook`, whose reason the
    /// kubelet's reason cache gives a container that is to restart
    /// (`PostStartHookError` with the hook's message, the exit as its
    /// last state); one that is not stays terminated. The restart follows
    /// the crash-loop back-off as any exit does.
    fn post_start_killed(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        name: &str,
        (finished, code, detail): (Timestamp, i32, String),
    ) -> Vec<Write> {
        let now = self.now();
        let mut p = pod.clone();
        let mut e = entry.clone();
        let run = e.containers.entry(name.to_owned()).or_default();
        run.post_start_failed = None;
        let reason =
            kubelet_process::exit_reason(all_containers(pod).iter().find(|c| c.name == name), code);
        let Some(cs) = status_of_mut(&mut p, name) else { return Vec::new() };
        let terminated = ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: code,
                reason: Some(reason.to_owned()),
                started_at: run.started.map(time::time),
                finished_at: Some(time::time(finished)),
                container_id: cs.container_id.clone(),
                ..Default::default()
            }),
            ..Default::default()
        };
        if kubelet_process::restarts(pod, code) {
            cs.last_state = Some(terminated);
            cs.state = Some(ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some("PostStartHookError".to_owned()),
                    message: Some(detail),
                }),
                ..Default::default()
            });
            let restart_at = if kubelet_process::in_backoff(run.backoff, finished, now) {
                time::add(finished, run.backoff.map(|b| b.0).unwrap_or_default())
            } else {
                now
            };
            run.backoff = Some(kubelet_process::next_backoff(run.backoff, finished, restart_at));
            run.restart_at = Some(restart_at);
        } else {
            cs.state = Some(terminated);
            run.restart_at = None;
        }
        refresh_conditions(&mut p, now);
        vec![Write::Update(Object::Pod(p)), self.runtime_with(uid, Some(e))]
    }

    /// `generateContainerConfig` (`kuberuntime_container.go`): the
    /// environment the container is created with must resolve.
    fn container_config(&self, p: &Pod, c: &Container) -> Result<(), ConfigError> {
        kubelet_env::declared(self.view.store, p, c, &[], |_| String::new()).map(|_| ())
    }

    /// The container cannot be created (`startContainer`): it waits with
    /// `CreateContainerConfigError` and the error, a `Failed` event says
    /// `Error: …`, and the pod worker tries again after its back-off.
    fn config_failed(
        &self,
        p: &mut Pod,
        entry: &mut PodRuntime,
        c: &Container,
        error: ConfigError,
    ) -> Vec<Write> {
        entry.retry_at = Some(self.now());
        set_waiting(p, &c.name, "CreateContainerConfigError", &error.0);
        vec![self.warning(p, &c.name, "Failed", format!("Error: {}", error.0))]
    }

    /// The clock has reached a network call of a running container's main
    /// process: it is answered against the cluster as it is now, and the
    /// process goes on to its next call or its end.
    fn answer_call(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        container: &k8s_openapi::api::core::v1::Container,
        started: Timestamp,
    ) -> Vec<Write> {
        let mut e = entry.clone();
        let run = e.containers.entry(container.name.clone()).or_default();
        let mut balancer = self.view.runtime.balancer.clone();
        kubelet_process::advance(
            self.view.config,
            self.view.store,
            self.view.runtime,
            &mut balancer,
            pod,
            container,
            started,
            run,
            self.now(),
        );
        let mut writes = vec![self.runtime_with(uid, Some(e))];
        if balancer != self.view.runtime.balancer {
            writes.push(Write::Balancer(balancer));
        }
        writes
    }

    /// A running pod: a container whose process ended exits; an exited one
    /// whose back-off is over starts again; else [`Self::keep_running`].
    fn run_containers(&self, pod: &Pod, uid: &str, entry: &PodRuntime) -> Vec<Write> {
        let now = self.now();
        if entry.retry_at.is_some_and(|t| t <= now) {
            let mut e = entry.clone();
            e.retry_at = None;
            return self.start_from(pod.clone(), uid, e, self.nr.clone(), 0, Vec::new());
        }
        let containers = all_containers(pod);
        for (i, c) in containers.iter().enumerate() {
            let Some(run) = entry.containers.get(&c.name) else { continue };
            let Some(cs) = status_of(pod, &c.name) else { continue };
            if let Some((until, failure)) = run.post_start_until.clone() {
                if until <= now {
                    return self.post_start_returned(pod, uid, entry, c, failure);
                }
                continue;
            }
            if let Some(killed) = run.post_start_failed.clone() {
                if killed.0 <= now {
                    return self.post_start_killed(pod, uid, entry, &c.name, killed);
                }
                continue;
            }
            let hook_error = cs
                .state
                .as_ref()
                .and_then(|s| s.waiting.as_ref())
                .is_some_and(|w| w.reason.as_deref() == Some("PostStartHookError"));
            if let (true, Some(restart_at), Some(exit)) = (
                hook_error,
                run.restart_at.filter(|t| *t > now),
                cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()),
            ) {
                // The next sync finds the container in its back-off.
                return self.back_off(pod, uid, &c.name, exit, restart_at);
            }
            if let Some(r) = cs.state.as_ref().and_then(|s| s.running.as_ref()) {
                if let Some((done, code)) = run.killed
                    && done <= now
                {
                    return self.killed_by_probe(pod, uid, entry, i, done, code);
                }
                let started = run_started(run, r.started_at.as_ref().map_or(now, |t| t.0));
                if let Some((at, _)) = &run.waiting
                    && time::add(started, *at) <= now
                {
                    return self.answer_call(pod, uid, entry, c, started);
                }
                let Some((after, code)) = run.exit else { continue };
                let finished = time::add(started, after);
                if finished <= now {
                    return self
                        .container_exited(pod, uid, entry, &c.name, started, finished, code);
                }
            } else if run.restart_at.is_some_and(|t| t <= now) {
                return self.restart_container(pod, uid, entry, i);
            } else if let (Some(t), Some(restart_at)) =
                (cs.state.as_ref().and_then(|s| s.terminated.as_ref()), run.restart_at)
            {
                return self.back_off(pod, uid, &c.name, t, restart_at);
            }
        }
        for (i, c) in containers.iter().enumerate() {
            let Some(run) = entry.containers.get(&c.name) else { continue };
            let Some(cs) = status_of(pod, &c.name) else { continue };
            for kind in ProbeKind::ALL {
                if prober::due(pod, c, cs, run, kind).is_some_and(|t| t <= now) {
                    return self.probe_tick(pod, uid, entry, i, kind);
                }
            }
        }
        if self.next_to_start(pod) {
            // An init container ended well: the next one (or the app
            // containers) starts.
            return self.start_from(
                pod.clone(),
                uid,
                entry.clone(),
                self.nr.clone(),
                0,
                Vec::new(),
            );
        }
        self.keep_running(pod)
    }

    /// Whether a container is due to start now that the init containers
    /// before it are done.
    fn next_to_start(&self, pod: &Pod) -> bool {
        let containers = all_containers(pod);
        let inits = init_count(pod);
        for (i, c) in containers.iter().enumerate() {
            if i < inits && init_done(pod, c) {
                continue;
            }
            if containers[..i.min(inits)].iter().any(|ic| !is_sidecar(ic) && !init_done(pod, ic)) {
                return false;
            }
            let waiting = status_of(pod, &c.name)
                .and_then(|s| s.state.as_ref()?.waiting.as_ref()?.reason.clone());
            if waiting.as_deref() == Some("PodInitializing") {
                return true;
            }
        }
        false
    }

    /// A probe worker's tick (`worker.go` `doProbe`): the probe runs; a
    /// failure is reported (`Unhealthy`, `prober.go`), and a result seen
    /// threshold times in a row is published: readiness sets the
    /// container's `ready`, a startup success its `started`, and a liveness
    /// or startup failure has the kubelet stop the container to restart it
    /// (`Killing`, `kuberuntime_manager.go` `computePodActions`).
    fn probe_tick(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        index: usize,
        kind: ProbeKind,
    ) -> Vec<Write> {
        let now = self.now();
        let Some(c) = container_at(pod, index) else {
            return Vec::new();
        };
        let Some(probe) = kind.of(c) else { return Vec::new() };
        let mut e = entry.clone();
        let Some(run) = e.containers.get_mut(&c.name) else { return Vec::new() };
        let started = run.started.unwrap_or(now);
        let tick = prober::last_tick(pod, c, kind, now);
        let result =
            prober::probe(self.view.config, self.view.store, self.view.runtime, pod, c, probe, now);
        let mut writes = Vec::new();
        let success = match result {
            Probed::Success => true,
            Probed::Failure(output) => {
                writes.push(self.warning(
                    pod,
                    &c.name,
                    "Unhealthy",
                    format!("{} probe failed: {output}", kind.label()),
                ));
                false
            }
            Probed::Unsupported(what) => {
                if let Some(w) = run.probes.get_mut(&kind) {
                    w.last_tick = tick;
                    w.on_hold = true;
                }
                run.unsupported = Some((time::since(now, started), what));
                return vec![self.runtime_with(uid, Some(e))];
            }
        };
        let Some(w) = run.probes.get_mut(&kind) else { return Vec::new() };
        w.last_tick = tick;
        if w.last_result == Some(success) {
            w.run += 1;
        } else {
            w.last_result = Some(success);
            w.run = 1;
        }
        let publish = w.run >= prober::threshold(probe, success);
        let mut p = pod.clone();
        if publish {
            match (kind, success) {
                (ProbeKind::Readiness, ready) => set_ready(&mut p, &c.name, ready),
                (ProbeKind::Startup, true) => {
                    set_started(&mut p, &c.name, c.readiness_probe.is_none());
                    // Liveness and readiness ticks so far were skipped.
                    for w in run.probes.values_mut() {
                        w.last_tick = w.last_tick.max(now);
                    }
                }
                (ProbeKind::Liveness, true) => {}
                (ProbeKind::Liveness | ProbeKind::Startup, false) => {
                    w.on_hold = true;
                    w.run = 0;
                    let (stop, code) = match container_stop(c, self.view.config) {
                        Some(stop) => (stop, images::sigterm_exit(c)),
                        None => (grace_period(pod), 137),
                    };
                    run.killed = Some((time::add(now, stop), code));
                    let which = if kind == ProbeKind::Liveness { "liveness" } else { "startup" };
                    writes.push(self.event(
                        pod,
                        Some(&c.name),
                        "Killing",
                        format!("Container {} failed {which} probe, will be restarted", c.name),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        if p != *pod {
            refresh_conditions(&mut p, now);
            out.push(Write::Update(Object::Pod(p)));
        }
        out.extend(writes);
        out.push(self.runtime_with(uid, Some(e)));
        out
    }

    /// The container stopped for a failed probe has exited: under any
    /// restart policy but `Never` it starts again at once, in the same
    /// sync (`SyncPod` starts what `computePodActions` listed; its
    /// `doBackOff` looks at the status from before the kill, where the
    /// container still ran, so no crash-loop back-off applies).
    fn killed_by_probe(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        index: usize,
        done: Timestamp,
        code: i32,
    ) -> Vec<Write> {
        let Some(c) = container_at(pod, index).cloned() else {
            return Vec::new();
        };
        let mut p = pod.clone();
        let mut e = entry.clone();
        let restart = pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) != Some("Never");
        let Some(cs) = status_of_mut(&mut p, &c.name) else { return Vec::new() };
        let started_at = cs.state.as_ref().and_then(|s| s.running.as_ref()?.started_at.clone());
        let terminated = ContainerStateTerminated {
            exit_code: code,
            reason: Some(if code == 0 { "Completed" } else { "Error" }.to_owned()),
            started_at,
            finished_at: Some(time::time(done)),
            container_id: cs.container_id.clone(),
            ..Default::default()
        };
        cs.ready = false;
        cs.started = Some(false);
        if let Some(run) = e.containers.get_mut(&c.name) {
            run.killed = None;
            run.probes.clear();
        }
        if !restart {
            cs.state = Some(ContainerState { terminated: Some(terminated), ..Default::default() });
            refresh_conditions(&mut p, self.now());
            return vec![Write::Update(Object::Pod(p)), self.runtime_with(uid, Some(e))];
        }
        cs.last_state = Some(ContainerState { terminated: Some(terminated), ..Default::default() });
        cs.restart_count += 1;
        self.start_again(p, index, &c, uid, e)
    }

    /// The container's process ended: its status turns terminated; under
    /// the restart policy it restarts now or after the crash-loop back-off
    /// (`kuberuntime_manager.go` `doBackOff`), showing `CrashLoopBackOff`
    /// meanwhile.
    #[allow(clippy::too_many_arguments)]
    fn container_exited(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        name: &str,
        started: Timestamp,
        finished: Timestamp,
        code: i32,
    ) -> Vec<Write> {
        let now = self.now();
        let mut p = pod.clone();
        let mut e = entry.clone();
        let run = e.containers.entry(name.to_owned()).or_default();
        let reason =
            kubelet_process::exit_reason(all_containers(pod).iter().find(|c| c.name == name), code);
        let Some(cs) = status_of_mut(&mut p, name) else { return Vec::new() };
        let terminated = ContainerStateTerminated {
            exit_code: code,
            reason: Some(reason.to_owned()),
            started_at: Some(time::time(started)),
            finished_at: Some(time::time(finished)),
            container_id: cs.container_id.clone(),
            ..Default::default()
        };
        cs.ready = false;
        cs.started = Some(false);
        let terminated_state =
            ContainerState { terminated: Some(terminated), ..Default::default() };
        // An init container that ended well is done; one that failed
        // restarts unless the pod's policy is Never (init containers run
        // under OnFailure when the pod's is Always).
        let restarts = if is_init(pod, name) {
            code != 0 && kubelet_process::restarts(pod, code)
        } else {
            kubelet_process::restarts(pod, code)
        };
        if !restarts {
            cs.state = Some(terminated_state);
            run.restart_at = None;
        } else if kubelet_process::in_backoff(run.backoff, finished, now) {
            // The exit is reported first (`Error`); the next sync finds the
            // container in back-off ([`Self::back_off`]).
            let period = run.backoff.map(|b| b.0).unwrap_or_default();
            let restart_at = time::add(finished, period);
            run.backoff = Some(kubelet_process::next_backoff(run.backoff, finished, restart_at));
            run.restart_at = Some(restart_at);
            cs.state = Some(terminated_state);
        } else {
            run.backoff = Some(kubelet_process::next_backoff(run.backoff, finished, now));
            run.restart_at = Some(now);
            cs.state = Some(terminated_state);
        }
        refresh_conditions(&mut p, now);
        vec![Write::Update(Object::Pod(p)), self.runtime_with(uid, Some(e))]
    }

    /// An exited container waits out its restart back-off
    /// (`kuberuntime_manager.go` `doBackOff`): the exit moves to
    /// lastState, the container shows `CrashLoopBackOff`, and a `BackOff`
    /// warning is recorded. Upstream reports the exit (`Error`) on the sync
    /// the container died in and the back-off on the next, so
    /// `kubectl get pods -w` shows both rows.
    fn back_off(
        &self,
        pod: &Pod,
        uid: &str,
        name: &str,
        exit: &ContainerStateTerminated,
        restart_at: Timestamp,
    ) -> Vec<Write> {
        let mut p = pod.clone();
        let finished = exit.finished_at.as_ref().map_or(self.now(), |t| t.0);
        let period = time::since(restart_at, finished);
        let pod_name = pod.metadata.name.as_deref().unwrap_or_default();
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        let Some(cs) = status_of_mut(&mut p, name) else { return Vec::new() };
        cs.last_state =
            Some(ContainerState { terminated: Some(exit.clone()), ..Default::default() });
        cs.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("CrashLoopBackOff".to_owned()),
                message: Some(format!(
                    "back-off {} restarting failed container={name} pod={pod_name}_{ns}({uid})",
                    time::go_duration(period)
                )),
            }),
            ..Default::default()
        });
        let mut involved = reference_to(&Object::Pod(pod.clone()));
        involved.field_path = Some(field_path(pod, name));
        vec![
            Write::Update(Object::Pod(p)),
            Write::Event(
                EventRecord::normal(
                    involved,
                    COMPONENT,
                    "BackOff",
                    "Back-off restarting failed container".to_owned(),
                )
                .warning()
                .on_host(&self.node_name()),
            ),
        ]
    }

    /// The back-off is over: the container starts again, one restart more.
    fn restart_container(
        &self,
        pod: &Pod,
        uid: &str,
        entry: &PodRuntime,
        index: usize,
    ) -> Vec<Write> {
        let mut p = pod.clone();
        let e = entry.clone();
        let Some(c) = container_at(pod, index).cloned() else {
            return Vec::new();
        };
        if let Some(cs) = status_of_mut(&mut p, &c.name) {
            if let Some(t) = cs.state.as_ref().and_then(|s| s.terminated.clone()) {
                cs.last_state = Some(ContainerState { terminated: Some(t), ..Default::default() });
            }
            cs.restart_count += 1;
        }
        self.start_again(p, index, &c, uid, e)
    }

    /// A running pod whose status drifted (marked NotReady while the node
    /// was unreachable) is reported running again.
    fn keep_running(&self, pod: &Pod) -> Vec<Write> {
        let mut p = pod.clone();
        refresh_conditions(&mut p, self.now());
        if p == *pod { Vec::new() } else { vec![Write::Update(Object::Pod(p))] }
    }

    /// Deletion: stop containers (Killing), then remove the pod object.
    fn terminate(&self, pod: &Pod, uid: &str, entry: Option<&PodRuntime>) -> Vec<Write> {
        let r = ObjectRef::namespaced(
            Kind::Pod,
            pod.metadata.namespace.as_deref().unwrap_or("default"),
            pod.metadata.name.as_deref().unwrap_or_default(),
        );
        let deadline = pod.metadata.deletion_timestamp.as_ref().map_or(self.now(), |t| t.0);
        let Some(entry) = entry else { return vec![Write::Remove(r)] };
        if profiles::is_kwok(self.view.config) {
            // kwok's `pod/fast/pod-delete.yaml`: a pod with a deletion
            // timestamp is deleted at once, no grace period (nothing runs),
            // and its address goes back to the pool (`PodController`'s
            // delete path, `ipPool.Put`).
            let mut nr = self.nr.clone();
            nr.remove_pod(uid);
            if let Some(host) = entry.ip.as_deref().and_then(|ip| self.host_number(ip)) {
                nr.released_ips.insert(host);
            }
            return vec![Write::Remove(r), Write::Runtime(self.node_name(), nr)];
        }
        match entry.stage {
            PodStage::Killing { done_at } if done_at <= self.now() => {
                // The status manager reports the stopped containers before
                // the pod object goes (`status_manager.go` `syncPod`, then
                // `canBeDeleted`), so `kubectl get pods -w` shows a
                // `0/1 Terminating` row before the pod is deleted.
                let stopped = stopped_status(pod, self.now(), self.view.config);
                if stopped != *pod {
                    return vec![Write::Update(Object::Pod(stopped))];
                }
                vec![Write::Remove(r), self.runtime_with(uid, None)]
            }
            PodStage::Killing { .. } => Vec::new(),
            _ => {
                let mut writes = Vec::new();
                let running: Vec<String> = pod
                    .status
                    .iter()
                    .flat_map(|s| {
                        s.init_container_statuses.iter().chain(s.container_statuses.iter())
                    })
                    .flatten()
                    .filter(|cs| cs.state.as_ref().is_some_and(|s| s.running.is_some()))
                    .map(|cs| cs.name.clone())
                    .collect();
                for name in &running {
                    writes.push(self.event(
                        pod,
                        Some(name),
                        "Killing",
                        format!("Stopping container {name}"),
                    ));
                }
                let deadline = deadline.max(self.now());
                let mut e = entry.clone();
                let hooks = self.pre_stop_hooks(pod, &running, &mut e, deadline);
                writes.extend(hooks.events);
                let done_at = match (running.is_empty(), stop_time(pod, self.view.config)) {
                    _ if hooks.unsupported => time::add(self.now(), NEVER),
                    _ if hooks.ran => hooks.stopped_at,
                    (true, _) => self.now(),
                    (false, Some(stop)) => time::add(self.now(), stop).min(deadline),
                    (false, None) => deadline,
                };
                e.stage = PodStage::Killing { done_at };
                writes.push(self.runtime_with(uid, Some(e)));
                writes
            }
        }
    }
}

/// What the preStop hooks of a pod being deleted came to.
struct PreStops {
    /// Whether any ran.
    ran: bool,
    /// When the last container stops, counting its hook, its shortened
    /// grace period and how it answers SIGTERM.
    stopped_at: Timestamp,
    /// Their `FailedPreStopHook` events.
    events: Vec<Write>,
    /// A hook reached something unmodelled: the pod stops there.
    unsupported: bool,
}

/// How far off "never" is for a container whose preStop hook kubeplay
/// cannot follow: the pod stays Terminating, and the step that reads it
/// is reported unsupported.
const NEVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

impl Ctx<'_, '_> {
    /// `killContainer` for each running container with a preStop hook:
    /// the hook runs (when the grace period is not zero) and the stop
    /// signal follows it, with what is left of the grace period, at least
    /// two seconds.
    fn pre_stop_hooks(
        &self,
        pod: &Pod,
        running: &[String],
        entry: &mut PodRuntime,
        deadline: Timestamp,
    ) -> PreStops {
        let now = self.now();
        let grace = time::since(deadline, now).max(Duration::ZERO);
        let mut out =
            PreStops { ran: false, stopped_at: now, events: Vec::new(), unsupported: false };
        for name in running {
            let Some(c) =
                pod.spec.iter().flat_map(|s| s.containers.iter()).find(|c| c.name == *name)
            else {
                continue;
            };
            let Some(handler) = Hook::PreStop.of(c).filter(|_| !grace.is_zero()) else {
                // Without a hook: the stop signal at once.
                let stop = container_stop(c, self.view.config).map_or(grace, |d| d.min(grace));
                out.stopped_at = out.stopped_at.max(time::add(now, stop));
                continue;
            };
            let Some(run) = entry.containers.get_mut(name) else { continue };
            // The hook sees the container's files as they are now: what
            // sessions changed and what its own process wrote.
            let mut ctx = kubelet_process::context(self.view.store, pod, c, now);
            ctx.changes = kubelet_process::files_at(
                self.view.config,
                self.view.store,
                self.view.runtime,
                pod,
                c,
                now,
            );
            let seen = ctx.changes.len();
            let net = lifecycle_hooks::Net {
                store: self.view.store,
                config: self.view.config,
                runtime: self.view.runtime,
                now,
            };
            let recorded = run.files.clone();
            let keep = |changes: Vec<_>| -> Vec<_> {
                recorded.iter().cloned().chain(changes.into_iter().skip(seen)).collect()
            };
            let (took, message) =
                match lifecycle_hooks::run(Hook::PreStop, handler, (pod, c), &ctx, &net) {
                    Ran::Succeeded { took, changes } => {
                        run.files = keep(changes);
                        (took, None)
                    }
                    Ran::Failed { took, changes, message, .. } => {
                        run.files = keep(changes);
                        (took, Some(message))
                    }
                    Ran::Unsupported(what) => {
                        let started = run.started.unwrap_or(now);
                        run.unsupported = Some((time::since(now, started), what));
                        out.unsupported = true;
                        continue;
                    }
                };
            out.ran = true;
            if let Some(message) = message {
                out.events.push(self.warning(pod, name, Hook::PreStop.failed_reason(), message));
            }
            // The hook is cut off at the grace period; the container then
            // gets the rest, and is killed at its end if it ignores SIGTERM.
            let hook = took.min(grace);
            let left = lifecycle_hooks::grace_after_pre_stop(grace, took);
            let stop = container_stop(c, self.view.config).map_or(left, |d| d.min(left));
            out.stopped_at = out.stopped_at.max(time::add(now, hook + stop));
        }
        out
    }
}

/// How long containers take to exit on SIGTERM: a `sleep` as PID 1 ignores
/// it and waits out the grace period (`None`); servers exit within a second.
/// The pod with every running container stopped by the kubelet: exit 0
/// for a process that ends on SIGTERM, 137 (SIGKILL at the end of the grace
/// period) for one that ignores it.
fn stopped_status(pod: &Pod, now: Timestamp, config: &crate::sim::ClusterConfig) -> Pod {
    let mut p = pod.clone();
    let killed = stop_time(pod, config).is_none();
    let spec: Vec<k8s_openapi::api::core::v1::Container> =
        pod.spec.iter().flat_map(|s| s.containers.iter()).cloned().collect();
    let status = p.status.get_or_insert_with(PodStatus::default);
    let statuses =
        status.container_statuses.iter_mut().chain(status.init_container_statuses.iter_mut());
    let mut changed = false;
    for cs in statuses.flatten() {
        let Some(running) = cs.state.as_ref().and_then(|s| s.running.as_ref()) else { continue };
        let code = match spec.iter().find(|c| c.name == cs.name) {
            _ if killed => 137,
            Some(c) => images::sigterm_exit(c),
            None => 0,
        };
        let terminated = ContainerStateTerminated {
            exit_code: code,
            reason: Some(if code == 0 { "Completed" } else { "Error" }.to_owned()),
            started_at: running.started_at.clone(),
            finished_at: Some(time::time(now)),
            container_id: cs.container_id.clone(),
            ..Default::default()
        };
        cs.state = Some(ContainerState { terminated: Some(terminated), ..Default::default() });
        cs.ready = false;
        cs.started = Some(false);
        changed = true;
    }
    if changed {
        refresh_conditions(&mut p, now);
    }
    p
}

fn stop_time(pod: &Pod, config: &crate::sim::ClusterConfig) -> Option<Duration> {
    let containers = pod.spec.iter().flat_map(|s| s.containers.iter());
    containers.map(|c| container_stop(c, config)).try_fold(Duration::ZERO, |a, b| Some(a.max(b?)))
}

/// How long one container takes to exit on SIGTERM; `None` when it
/// ignores it (a `sleep` as PID 1, an image declared `ignoresSigterm`
/// running its default process).
fn container_stop(
    c: &k8s_openapi::api::core::v1::Container,
    config: &crate::sim::ClusterConfig,
) -> Option<Duration> {
    let image = c.image.as_deref().unwrap_or_default();
    let default_process = c.command.is_none();
    let ignores_term = c.command.iter().chain(c.args.iter()).flatten().any(|a| a.contains("sleep"))
        || images::waits_out_sigterm(c)
        || (default_process && images::behaviour(config, image).ignores_sigterm);
    if ignores_term { None } else { Some(Duration::from_millis(800)) }
}

/// `terminationGracePeriodSeconds` (default 30): how long the kubelet
/// waits for a container that ignores SIGTERM before it kills it.
fn grace_period(pod: &Pod) -> Duration {
    let secs = pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds).unwrap_or(30);
    Duration::from_secs(u64::try_from(secs).unwrap_or(0))
}

/// The readiness prober's published result for one container.
fn set_ready(p: &mut Pod, name: &str, ready: bool) {
    if let Some(cs) = status_of_mut(p, name) {
        cs.ready = ready;
    }
}

/// The startup probe succeeded: the container has started, and is ready
/// unless a readiness probe has yet to say so.
fn set_started(p: &mut Pod, name: &str, ready: bool) {
    if let Some(cs) = status_of_mut(p, name) {
        cs.started = Some(true);
        cs.ready = ready;
    }
}

/// The image without tag or digest, with `:latest` made explicit.
fn image_key(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains(':') || image.contains('@') {
        image.to_owned()
    } else {
        format!("{image}:latest")
    }
}

fn waiting_status(name: &str, image: &str, reason: &str) -> ContainerStatus {
    ContainerStatus {
        name: name.to_owned(),
        image: image.to_owned(),
        image_id: String::new(),
        ready: false,
        restart_count: 0,
        started: Some(false),
        state: Some(ContainerState {
            waiting: Some(ContainerStateWaiting { reason: Some(reason.to_owned()), message: None }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Whether the container has been started (it runs, has run, or waits out
/// its crash-loop back-off, after which [`Ctx::run_containers`] restarts
/// it): a sync does not start it again.
fn started(p: &Pod, name: &str) -> bool {
    status_of(p, name).into_iter().any(|s| {
        s.state.as_ref().is_some_and(|st| {
            st.running.is_some()
                || st.terminated.is_some()
                || st.waiting.as_ref().and_then(|w| w.reason.as_deref()) == Some("CrashLoopBackOff")
        })
    })
}

/// The container waits with `reason` and `message` (the kubelet's
/// `reasonCache` entry after a failed start).
fn set_waiting(p: &mut Pod, name: &str, reason: &str, message: &str) {
    if let Some(cs) = status_of_mut(p, name) {
        cs.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.to_owned()),
                message: Some(message.to_owned()),
            }),
            ..Default::default()
        });
    }
}

/// After a reboot every container counts one more restart; the last run
/// ended when the machine went down.
fn restart_containers(p: &mut Pod, down_at: Timestamp) {
    for cs in p.status.iter_mut().flat_map(|s| s.container_statuses.iter_mut().flatten()) {
        if cs.container_id.is_none() {
            // Never started (its image could not be had): nothing restarts.
            continue;
        }
        let started =
            cs.state.as_ref().and_then(|s| s.running.as_ref()).and_then(|r| r.started_at.clone());
        cs.last_state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 255,
                reason: Some("Error".to_owned()),
                started_at: started,
                finished_at: Some(time::time(down_at)),
                container_id: cs.container_id.clone(),
                ..Default::default()
            }),
            ..Default::default()
        });
        cs.restart_count += 1;
        cs.ready = false;
        cs.started = Some(false);
        cs.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("ContainerCreating".to_owned()),
                message: None,
            }),
            ..Default::default()
        });
    }
}

/// Recomputes phase and the Initialized/Ready/ContainersReady/PodScheduled
/// conditions from the container statuses, in the kubelet's order.
fn refresh_conditions(p: &mut Pod, now: Timestamp) {
    let statuses = p.status.as_ref().and_then(|s| s.container_statuses.clone()).unwrap_or_default();
    let unready: Vec<&str> =
        statuses.iter().filter(|c| !c.ready).map(|c| c.name.as_str()).collect();
    let all_ready = unready.is_empty() && !statuses.is_empty();
    let message = format!("containers with unready status: [{}]", unready.join(" "));
    let phase = kubelet_process::phase(p);
    let (reason, msg) = if all_ready {
        (None, None)
    } else if phase == "Succeeded" {
        (Some("PodCompleted"), None)
    } else {
        (Some("ContainersNotReady"), Some(message.as_str()))
    };
    let scheduled = podutil::condition(p, "PodScheduled").cloned();
    // `GeneratePodInitializedCondition` (`pkg/kubelet/status/generate.go`).
    let incomplete: Vec<String> = p
        .spec
        .iter()
        .flat_map(|s| s.init_containers.iter().flatten())
        .filter(|c| !init_done(p, c))
        .map(|c| c.name.clone())
        .collect();
    let init_message = format!("containers with incomplete status: [{}]", incomplete.join(" "));
    let (init_reason, init_msg) = if incomplete.is_empty() {
        (None, None)
    } else {
        (Some("ContainersNotInitialized"), Some(init_message.as_str()))
    };
    podutil::set_condition(
        p,
        podutil::new_condition("Initialized", incomplete.is_empty(), init_reason, init_msg, now),
    );
    podutil::set_condition(p, podutil::new_condition("Ready", all_ready, reason, msg, now));
    podutil::set_condition(
        p,
        podutil::new_condition("ContainersReady", all_ready, reason, msg, now),
    );
    let status = p.status.get_or_insert_with(PodStatus::default);
    if let Some(conds) = status.conditions.as_mut() {
        // The status manager's `mergePodStatus` (`pkg/kubelet/status/
        // status_manager.go`) keeps the conditions others own (a
        // `DisruptionTarget`, readiness gates) first, then the kubelet's.
        let order = |t: &str| {
            ["Initialized", "Ready", "ContainersReady", "PodScheduled"]
                .iter()
                .position(|x| *x == t)
                .map_or(0, |i| i + 1)
        };
        conds.sort_by_key(|c| order(&c.type_));
        if scheduled.is_none() {
            conds.retain(|c| c.type_ != "PodScheduled");
        }
    }
    status.phase = Some(phase.to_owned());
}

/// When one pod's record next needs its kubelet: the stage's deadline, and
/// for a running pod, a retry, a container's process exiting or making its
/// next network call, or an exited one restarting. `pod` is the stored pod
/// the record belongs to, if any.
fn pod_wakeups<'a>(
    view: &'a View<'_>,
    _uid: &str,
    pr: &'a PodRuntime,
    pod: Option<&'a Pod>,
) -> impl Iterator<Item = Timestamp> + 'a {
    let mut out: Vec<Timestamp> = pr.stage.due().into_iter().collect();
    if pr.stage == PodStage::Running {
        out.extend(pr.retry_at);
        if let Some(pod) = pod.filter(|p| p.metadata.deletion_timestamp.is_none()) {
            for (name, run) in &pr.containers {
                out.extend(run.restart_at);
                out.extend(run.killed.map(|(t, _)| t));
                out.extend(run.post_start_failed.as_ref().map(|(t, _, _)| *t));
                out.extend(run.post_start_until.as_ref().map(|(t, _)| *t));
                if let (Some(c), Some(cs)) = (
                    all_containers(pod).into_iter().find(|c| c.name == *name),
                    status_of(pod, name),
                ) {
                    out.extend(
                        ProbeKind::ALL.into_iter().filter_map(|k| prober::due(pod, &c, cs, run, k)),
                    );
                }
                let Some((after, _)) = run.exit.or(run.waiting.as_ref().map(|w| (w.0, 0))) else {
                    continue;
                };
                let started = status_of(pod, name)
                    .and_then(|s| s.state.as_ref()?.running.as_ref()?.started_at.as_ref())
                    .map(|t| run_started(run, t.0));
                out.extend(started.map(|t| time::add(t, after)));
            }
        }
    }
    let _ = view;
    out.into_iter()
}

/// When a container's current run started: the kubelet's own record, unless
/// the status says otherwise (a pre-existing pod seeded with a history).
fn run_started(run: &ContainerRun, status_started: Timestamp) -> Timestamp {
    match run.started {
        Some(t) if time::time(t).0 == status_started => t,
        _ => status_started,
    }
}

/// The pod's containers in the order the kubelet starts them: the init
/// containers, then the app containers.
fn all_containers(pod: &Pod) -> Vec<Container> {
    let spec = pod.spec.as_ref();
    let inits = spec.into_iter().flat_map(|s| s.init_containers.iter().flatten());
    inits.chain(spec.into_iter().flat_map(|s| s.containers.iter())).cloned().collect()
}

fn init_count(pod: &Pod) -> usize {
    pod.spec.as_ref().and_then(|s| s.init_containers.as_ref()).map_or(0, Vec::len)
}

/// The container at `index` of [`all_containers`].
fn container_at(pod: &Pod, index: usize) -> Option<&Container> {
    let spec = pod.spec.as_ref()?;
    let inits = spec.init_containers.as_deref().unwrap_or_default();
    match index.checked_sub(inits.len()) {
        None => inits.get(index),
        Some(i) => spec.containers.get(i),
    }
}

fn is_init(pod: &Pod, name: &str) -> bool {
    pod.spec.iter().flat_map(|s| s.init_containers.iter().flatten()).any(|c| c.name == name)
}

/// A restartable init container (`restartPolicy: Always`, the native
/// sidecars of v1.28 on): started with the others' turn, then kept running.
fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// Whether init container `c` no longer holds the pod back: it ended with
/// exit 0, or (a sidecar) it has started.
fn init_done(p: &Pod, c: &Container) -> bool {
    let Some(cs) = status_of(p, &c.name) else { return false };
    if is_sidecar(c) {
        return cs.started == Some(true)
            || cs.state.as_ref().is_some_and(|s| s.terminated.is_some())
            || cs.last_state.as_ref().is_some_and(|s| s.terminated.is_some());
    }
    cs.state.as_ref().and_then(|s| s.terminated.as_ref()).is_some_and(|t| t.exit_code == 0)
}

/// The event field path of container `name` (`spec.initContainers{NAME}`
/// for an init container).
fn field_path(pod: &Pod, name: &str) -> String {
    if is_init(pod, name) {
        format!("spec.initContainers{{{name}}}")
    } else {
        format!("spec.containers{{{name}}}")
    }
}

/// The status of container `name`, app or init.
fn status_of<'a>(p: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    let status = p.status.as_ref()?;
    let lists = status.container_statuses.iter().chain(status.init_container_statuses.iter());
    lists.flatten().find(|s| s.name == name)
}

fn status_of_mut<'a>(p: &'a mut Pod, name: &str) -> Option<&'a mut ContainerStatus> {
    let status = p.status.get_or_insert_with(PodStatus::default);
    let lists =
        status.container_statuses.iter_mut().chain(status.init_container_statuses.iter_mut());
    lists.flatten().find(|s| s.name == name)
}
