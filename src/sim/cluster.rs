//! The cluster facade: the API surface kubectl emulation (and a future HTTP
//! front) talks to, and the one place state changes.

use std::time::Duration;

use k8s_openapi::{
    api::core::v1::{ContainerState, ContainerStateRunning, ContainerStateTerminated, Event, Pod},
    apimachinery::pkg::apis::meta::v1::Time,
    jiff::Timestamp,
};

use super::{
    admission::Admission,
    api::field_tracking::{Applied, ApplyError, FieldTracker, Manager, Unknown},
    bootstrap,
    config::{ClusterConfig, NodeConfig},
    controllers::{CONTROLLERS, View, Write},
    crd,
    error::ApiError,
    events::{self, EventRecord},
    kind::Kind,
    object::{Object, ObjectRef},
    podutil,
    queue::{Queue, RuntimeChange},
    registry::Registry,
    rng::Rng,
    runtime::{CreateBackoff, PodStage, Runtime},
    store::Store,
    time,
};
use crate::version::Fact;

/// `metadata.selfLink` as the API server set it before v1.20
/// (`apiserver/pkg/endpoints/handlers` `SetSelfLink`): the object's path
/// in the version it is stored in.
fn self_link(kind: Kind, namespace: Option<&str>, name: Option<&str>) -> String {
    let info = kind.info();
    let root = if info.group.is_empty() {
        format!("/api/{}", info.version)
    } else {
        format!("/apis/{}/{}", info.group, info.version)
    };
    let scope = match namespace.filter(|_| info.namespaced) {
        Some(ns) => format!("/namespaces/{ns}"),
        None => String::new(),
    };
    format!("{root}{scope}/{}/{}", info.plural, name.unwrap_or_default())
}

/// How a delete is carried out (`kubectl delete --grace-period/--force`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeleteOptions {
    /// Override of the pod's terminationGracePeriodSeconds.
    pub grace_period_seconds: Option<i64>,
}

/// How long an event lives after it was last seen (the apiserver's `--event-ttl`).
const EVENT_TTL: Duration = Duration::from_secs(3600);

/// Upper bound on steps one [`Cluster::advance`] may take.
const MAX_ADVANCE_STEPS: usize = 100_000;

/// A simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    config: ClusterConfig,
    /// The resources this cluster's version serves.
    registry: Registry,
    now: Timestamp,
    store: Store,
    rng: Rng,
    runtime: Runtime,
    last_event_nanos: i128,
    /// Features objects use that the simulator does not model, in the
    /// order they were first stored ([`super::admission::unmodelled`]).
    unmodelled: Vec<String>,
    /// What [`Cluster::take_unsupported`] has already reported.
    reported: std::collections::BTreeSet<String>,
    /// Whether stored objects are checked for unmodelled features: objects
    /// clients write are; the simulator's own system workloads (bootstrap)
    /// and controllers' writes are not (their templates were checked when
    /// a client wrote them; system components behave as the simulator
    /// models them).
    checking: bool,
    /// The keyed controllers' work queues, by position in [`CONTROLLERS`].
    queues: Vec<Queue>,
    /// Machine-state writes not yet delivered to the queues.
    runtime_changes: Vec<RuntimeChange>,
    /// The managed fields of objects attributed writes made
    /// (`metadata.managedFields`, [`super::api::field_tracking`]).
    fields: FieldTracker,
    /// The field manager of the client request being served, if any.
    manager: Option<Manager>,
}

impl Cluster {
    /// Builds a cluster from its declared shape: namespaces, nodes, the
    /// `kubernetes` service and the profile's system workloads, settled.
    pub fn new(config: ClusterConfig) -> Cluster {
        let now =
            Timestamp::from_second(config.start_unix_seconds).unwrap_or(Timestamp::UNIX_EPOCH);
        let rng = Rng::new(config.seed);
        let mut cluster = Cluster {
            registry: Registry::for_version(config.version),
            now,
            store: Store::new(1000),
            rng,
            runtime: Runtime::default(),
            config,
            last_event_nanos: 0,
            unmodelled: Vec::new(),
            reported: Default::default(),
            checking: false,
            queues: vec![Queue::default(); CONTROLLERS.len()],
            runtime_changes: Vec::new(),
            fields: FieldTracker::default(),
            manager: None,
        };
        bootstrap::bootstrap(&mut cluster);
        cluster.track_system_namespaces();
        cluster.checking = true;
        cluster
    }

    /// The declared shape this cluster was built from.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The resources this cluster serves.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The virtual time now.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The object store, read-only (what a process reads: mounted
    /// ConfigMaps and Secrets).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Reads one object.
    pub fn get(&self, r: &ObjectRef) -> Result<&Object, ApiError> {
        self.store.get(r).ok_or_else(|| ApiError::NotFound { kind: r.kind, name: r.name.clone() })
    }

    /// Lists objects of one kind, in one namespace or all (`None`), sorted by
    /// namespace then name, as the API server returns them.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<&Object> {
        self.store.list(kind, namespace).collect()
    }

    /// Creates an object, as the API server does: defaults, admission,
    /// validation, generateName, uid, resourceVersion, creationTimestamp,
    /// generation. A rejected request changes nothing.
    pub fn create(&mut self, object: Object) -> Result<Object, ApiError> {
        let saved_rng = self.rng.clone();
        let generated = needs_name_generation(&object);
        let result = self.create_generating(object);
        // A rejected create draws nothing, except a generated name that
        // collided: it stays drawn, so the next try draws another (issue
        // 13: rewound, every retry drew the same name again, and a
        // Deployment of a few thousand pods stalled for good).
        if let Err(e) = &result
            && !(generated && matches!(e, ApiError::AlreadyExists { .. }))
        {
            self.rng = saved_rng;
        }
        result
    }

    /// `Store.Create` (`apiserver/pkg/registry/generic/registry/store.go`):
    /// with the `RetryGenerateName` feature (beta and on from v1.31, GA in
    /// v1.32), a `generateName` create whose name collides is tried again
    /// with a fresh name, `maxNameGenerationCreateAttempts` (8) times in
    /// all; before, the client sees the AlreadyExists.
    fn create_generating(&mut self, object: Object) -> Result<Object, ApiError> {
        const MAX_NAME_GENERATION_CREATE_ATTEMPTS: usize = 8;
        if !(needs_name_generation(&object) && self.config.version.has(Fact::RetryGenerateName)) {
            return self.create_inner(object);
        }
        let mut result = self.create_inner(object.clone());
        for _ in 1..MAX_NAME_GENERATION_CREATE_ATTEMPTS {
            if !matches!(result, Err(ApiError::AlreadyExists { .. })) {
                break;
            }
            result = self.create_inner(object.clone());
        }
        result
    }

    /// A controller's pod create: like [`Cluster::create`], but the name
    /// drawn for a rejected pod stays drawn, as the apiserver's random
    /// suffix does (each retry's `FailedCreate` names another pod).
    fn create_pod_for(&mut self, object: Object) -> Result<Object, ApiError> {
        let saved_rng = self.rng.clone();
        let name_only = object.meta().name.as_deref().is_none_or(str::is_empty)
            && object.meta().generate_name.is_some();
        let result = self.create_generating(object);
        if result.is_err() && !name_only {
            self.rng = saved_rng;
        }
        result
    }

    fn create_inner(&mut self, mut object: Object) -> Result<Object, ApiError> {
        let kind = object.kind();
        let meta = object.meta_mut();
        if meta.name.as_deref().is_none_or(str::is_empty)
            && let Some(base) = meta.generate_name.clone().filter(|b| !b.is_empty())
        {
            meta.name = Some(super::names::generate_name(&base, &mut self.rng));
        }
        if kind.info().namespaced {
            let ns = meta.namespace.get_or_insert_with(|| "default".to_owned()).clone();
            if kind != Kind::Event
                && !self.store.contains(&ObjectRef::cluster(Kind::Namespace, &ns))
            {
                return Err(ApiError::NotFound { kind: Kind::Namespace, name: ns });
            }
        } else {
            meta.namespace = None;
        }
        let requested = self.attributed().map(|m| (m, self.decoded(&object)));
        let mut admission = Admission {
            store: &self.store,
            rng: &mut self.rng,
            config: &self.config,
            registry: &self.registry,
            now: self.now,
            charged: Vec::new(),
        };
        admission.admit(&mut object, None)?;
        let charged = std::mem::take(&mut admission.charged);
        let r = object.object_ref();
        if self.store.contains(&r) {
            return Err(ApiError::AlreadyExists { kind: r.kind, name: r.name });
        }
        // Quota admission charges the quotas as the object is stored
        // (`checkQuotas` writes status.used before the object): the next
        // request, even in the same controller sync, sees the charge.
        for q in charged {
            self.store.put(q);
        }
        // An EndpointSlice comes with a uid its controller derived from the
        // Service's: slices were added to the simulator after many
        // scenarios pinned their seeds, and drawing from the RNG for them
        // would shift every random name and scheduling tie after them.
        let uid = match (&object, object.meta().uid.clone()) {
            (Object::EndpointSlice(_), Some(uid)) => uid,
            _ => self.rng.uuid(),
        };
        let meta = object.meta_mut();
        meta.uid = Some(uid);
        meta.creation_timestamp = Some(time::time(self.now));
        meta.deletion_timestamp = None;
        meta.generation = has_generation(kind).then_some(1);
        if !self.config.version.has(Fact::SelfLinkRemoved) {
            meta.self_link = Some(self_link(kind, meta.namespace.as_deref(), meta.name.as_deref()));
        }
        if let Object::Job(job) = &mut object {
            super::admission::job::generate_selector(job, self.config.version);
        }
        // The pod strategy's `PrepareForCreate` (`pkg/registry/core/pod/
        // strategy.go`): a new pod is `Pending`, with its QoS class, until a
        // kubelet reports on it (`kubectl get pods -w` shows `Pending`).
        if let Object::Pod(pod) = &mut object {
            let qos = super::qos::class(pod).to_owned();
            let status = pod.status.get_or_insert_with(Default::default);
            status.phase.get_or_insert_with(|| "Pending".to_owned());
            status.qos_class.get_or_insert(qos);
        }
        if let Object::DaemonSet(ds) = &mut object {
            ds.metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert("deprecated.daemonset.template.generation".to_owned(), "1".to_owned());
        }
        if let Object::Generic(g) = &mut object
            && crd::is_crd(kind)
        {
            let now = serde_json::to_value(time::time(self.now)).unwrap_or_default();
            crd::establish(g, now.as_str().unwrap_or_default());
        }
        if let Object::Namespace(ns) = &mut object {
            let name = ns.metadata.name.clone().unwrap_or_default();
            if self.config.version.has(Fact::NamespaceNameLabel) {
                ns.metadata
                    .labels
                    .get_or_insert_with(Default::default)
                    .insert("kubernetes.io/metadata.name".to_owned(), name);
            }
            ns.spec.get_or_insert_with(Default::default).finalizers =
                Some(vec!["kubernetes".to_owned()]);
            ns.status.get_or_insert_with(Default::default).phase = Some("Active".to_owned());
        }
        let stored = self.put_noting(object);
        if let Some((manager, requested)) = requested {
            self.fields.written(None, &requested, &stored, &manager, self.now);
        }
        Ok(stored)
    }

    /// The client request's field manager, when the write being served is
    /// a client's (not a controller's, not the bootstrap's).
    fn attributed(&self) -> Option<Manager> {
        self.manager.clone().filter(|_| self.checking)
    }

    /// A request as the API server decodes it: with its defaults.
    fn decoded(&self, object: &Object) -> Object {
        let mut o = object.clone();
        super::admission::decode_defaults(&mut o, self.config.version);
        o
    }

    /// Records an attributed update from `old` with `request` to `stored`.
    fn note_update(&mut self, old: &Object, request: Option<(Manager, Object)>, stored: &Object) {
        if let Some((manager, requested)) = request {
            self.fields.written(Some(old), &requested, stored, &manager, self.now);
        }
    }

    /// Serves the next requests as from `manager` (`None`: as nobody's,
    /// the writes are not attributed). kubectl sets the manager of each
    /// command it runs.
    pub fn set_field_manager(&mut self, manager: Option<Manager>) {
        self.manager = manager;
    }

    /// `metadata.managedFields` of a stored object, as the API server
    /// returns them, or why the simulator does not know them.
    pub fn managed_fields(
        &self,
        object: &Object,
    ) -> Result<Vec<Vec<(String, serde_json::Value)>>, Unknown> {
        self.fields.managed_fields(object)
    }

    /// A server-side apply of `config` (a `PATCH` of type
    /// `application/apply-patch+yaml`) by `manager`: the configuration
    /// merged into the live object (or created), the applier owning its
    /// fields, conflicts with other managers unless `force`
    /// (`fieldmanager.go` `Apply`, `patch.go` `applyPatcher`).
    pub fn server_side_apply(
        &mut self,
        kind: Kind,
        config: &serde_json::Value,
        manager: &Manager,
        force: bool,
    ) -> Result<Object, ApplyError> {
        let meta = &config["metadata"];
        let name = meta["name"].as_str().unwrap_or_default();
        let r = match meta["namespace"].as_str() {
            Some(ns) if kind.info().namespaced => ObjectRef::namespaced(kind, ns, name),
            _ => ObjectRef::cluster(kind, name),
        };
        let live = self.store.get(&r).cloned();
        if let Some(live) = &live
            && live
                .meta()
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key("kubectl.kubernetes.io/last-applied-configuration"))
        {
            return Err(ApplyError::Unsupported(format!(
                "server-side apply of {}/{name}, which client-side apply manages (the last-applied-configuration upgrade, `kubectl-last-applied`)",
                kind.info().plural
            )));
        }
        let plan = match self.fields.apply(kind, live.as_ref(), config, manager, force, self.now) {
            Applied::Merged(merged, plan) => (merged, plan),
            Applied::Conflicts(c) => return Err(ApplyError::Conflicts(c)),
            Applied::Unknown(u) => return Err(ApplyError::Unknown(r, u)),
        };
        let (merged, plan) = plan;
        let object = Object::from_value_as(kind, merged).map_err(|e| {
            ApplyError::Unsupported(format!(
                "a server-side apply whose merged {} does not decode ({e})",
                kind.info().kind_name
            ))
        })?;
        let saved = self.manager.take();
        let result = match live {
            None => self.create(object),
            Some(_) => self.update_from_client(object, false).map(|(o, _)| o),
        };
        self.manager = saved;
        let stored = result.map_err(ApplyError::Api)?;
        self.fields.commit(&stored, plan);
        Ok(stored)
    }

    /// The system namespaces the API server creates
    /// (`pkg/controlplane/controller/systemnamespaces`): its own writes,
    /// under the manager `kube-apiserver`.
    fn track_system_namespaces(&mut self) {
        let manager = Manager { name: "kube-apiserver".to_owned(), subresource: None };
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            let r = ObjectRef::cluster(Kind::Namespace, ns);
            let Some(stored) = self.store.get(&r).cloned() else { continue };
            let request = serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}});
            let Ok(requested) = Object::from_value_as(Kind::Namespace, request) else { continue };
            let requested = self.decoded(&requested);
            self.fields.created_by_server(&stored, &requested, &manager);
        }
    }

    /// Stores an object a client or controller wrote, noting features it
    /// uses that the simulator does not model.
    fn put_noting(&mut self, object: Object) -> Object {
        let features = if self.checking {
            super::admission::unmodelled::features(&object, self.config.version)
        } else {
            Vec::new()
        };
        for feature in features {
            if !self.unmodelled.contains(&feature) {
                self.unmodelled.push(feature);
            }
        }
        let crd_changed = crd::is_crd(object.kind());
        let stored = self.store.put(object);
        if crd_changed {
            self.sync_custom_resources();
        }
        stored
    }

    /// Serves what the stored CRDs define.
    fn sync_custom_resources(&mut self) {
        let served = self
            .store
            .list(crd::crd_kind(), None)
            .filter_map(|o| match o {
                Object::Generic(g) => crd::served(g),
                _ => None,
            })
            .collect();
        self.registry.set_custom(served);
    }

    /// Deleting a CRD deletes its custom objects (the
    /// `customresourcecleanup` finalizer's controller), then the CRD.
    fn delete_crd(&mut self, r: &ObjectRef, crd: Object) -> Object {
        if let Object::Generic(g) = &crd
            && let Some(served) = crd::served(g)
        {
            let doomed: Vec<ObjectRef> =
                self.store.list(served.kind, None).map(Object::object_ref).collect();
            for d in doomed {
                self.store.remove(&d);
            }
        }
        self.store.remove(r);
        self.sync_custom_resources();
        crd
    }

    /// The next thing the simulator was asked to do but cannot, not
    /// reported before: an unmodelled feature of a stored object, or a
    /// container process that reached something kubeplay cannot run.
    /// The backend turns it into the step's `unsupported` verdict.
    pub fn take_unsupported(&mut self) -> Option<String> {
        let next = self.next_unsupported()?;
        self.reported.insert(next.clone());
        Some(next)
    }

    /// What [`Cluster::take_unsupported`] would report next, without
    /// marking it reported.
    pub fn next_unsupported(&self) -> Option<String> {
        self.unmodelled
            .iter()
            .chain(self.runtime.unsupported_by(self.now).iter())
            .find(|what| !self.reported.contains(*what))
            .cloned()
    }

    /// Replaces an object, as a PUT does: optimistic concurrency on
    /// resourceVersion (when given), server-owned metadata kept, defaults and
    /// validation, generation bumped when the spec changes.
    pub fn update(&mut self, object: Object) -> Result<Object, ApiError> {
        let saved_rng = self.rng.clone();
        let result = self.update_inner(object, true);
        if result.is_err() {
            self.rng = saved_rng;
        }
        result
    }

    /// A client's update of a whole object — a PUT (`kubectl replace`) or
    /// the update a PATCH ends in. Like [`Cluster::update`], but the status
    /// is the live object's (every registry strategy's `PrepareForUpdate`
    /// ignores status on the main resource), and an object that comes out
    /// identical to the stored one is not written, as etcd3's
    /// `GuaranteedUpdate` skips a no-op write (resourceVersion unchanged).
    /// With `dry_run` the result is validated and returned, never stored.
    /// Returns the object and whether it changed.
    pub fn update_from_client(
        &mut self,
        object: Object,
        dry_run: bool,
    ) -> Result<(Object, bool), ApiError> {
        let r = object.object_ref();
        let Some(old) = self.store.get(&r).cloned() else {
            return Err(ApiError::NotFound { kind: r.kind, name: r.name });
        };
        let object = with_status_of(&object, &old)?;
        let request = self.attributed().map(|m| (m, self.decoded(&object)));
        let saved_rng = self.rng.clone();
        let prepared = match self.prepare_update(object, true) {
            Ok(p) => p,
            Err(e) => {
                self.rng = saved_rng;
                return Err(e);
            }
        };
        // `ValidatePodUpdate` guards what clients may change in a pod; the
        // scheduler and kubelets write through their own paths.
        let pod_causes = super::admission::update::validate_pod(&prepared, &old);
        if !pod_causes.is_empty() {
            self.rng = saved_rng;
            return Err(ApiError::Invalid {
                kind: r.kind,
                name: r.name.clone(),
                causes: pod_causes,
            });
        }
        let comparable = |o: &Object| {
            let mut o = o.clone();
            o.meta_mut().resource_version = None;
            o.meta_mut().managed_fields = None;
            o.to_value()
        };
        let changed = comparable(&prepared) != comparable(&old);
        if dry_run || !changed {
            self.rng = saved_rng;
            let shown = if changed { prepared } else { old };
            return Ok((shown, changed));
        }
        let stored = self.put_or_finalize(prepared);
        self.note_update(&old, request, &stored);
        Ok((stored, true))
    }

    /// A client's write to the status subresource: the stored object with
    /// `object`'s status. A resource without the subresource is a 404.
    pub fn update_status_from_client(
        &mut self,
        object: Object,
        dry_run: bool,
    ) -> Result<Object, ApiError> {
        let r = object.object_ref();
        if !self.has_status_subresource(r.kind) {
            return Err(ApiError::NotServed);
        }
        let Some(old) = self.store.get(&r).cloned() else {
            return Err(ApiError::NotFound { kind: r.kind, name: r.name });
        };
        let updated = with_status_of(&old, &object)?;
        if dry_run || updated == old {
            return Ok(if dry_run { updated } else { old });
        }
        Ok(self.put_noting(updated))
    }

    /// Whether the resource of `kind` has a `status` subresource.
    fn has_status_subresource(&self, kind: Kind) -> bool {
        match kind {
            Kind::Other(_) if crd::is_custom(kind) => {
                self.registry.custom_versions(kind).first().is_some_and(|v| v.status_subresource)
            }
            Kind::Other(g) => matches!(
                (g.info().group, g.info().plural),
                ("apps", "statefulsets")
                    | (
                        "",
                        "replicationcontrollers"
                            | "persistentvolumes"
                            | "persistentvolumeclaims"
                            | "resourcequotas"
                    )
                    | ("policy", "poddisruptionbudgets")
                    | ("networking.k8s.io" | "extensions", "ingresses")
                    | ("certificates.k8s.io", "certificatesigningrequests")
                    | ("apiextensions.k8s.io", "customresourcedefinitions")
                    | ("apiregistration.k8s.io", "apiservices")
                    | ("autoscaling", "horizontalpodautoscalers")
            ),
            Kind::ConfigMap
            | Kind::Secret
            | Kind::ServiceAccount
            | Kind::Endpoints
            | Kind::EndpointSlice
            | Kind::Event
            | Kind::ControllerRevision => false,
            _ => true,
        }
    }

    fn update_inner(&mut self, object: Object, check: bool) -> Result<Object, ApiError> {
        let old = self.store.get(&object.object_ref()).cloned();
        let request = self.attributed().map(|m| (m, self.decoded(&object)));
        let object = self.prepare_update(object, check)?;
        let stored = self.put_or_finalize(object);
        if let Some(old) = old {
            self.note_update(&old, request, &stored);
        }
        Ok(stored)
    }

    /// Stores an updated object, or removes it when the update took the
    /// last finalizer off an object being deleted: the generic registry's
    /// `Update` ends in a delete when `ShouldDeleteDuringUpdate` holds
    /// (`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/
    /// store.go`: a deletionTimestamp, no finalizers left). Pods and
    /// namespaces finish deleting through their kubelet and controller.
    fn put_or_finalize(&mut self, object: Object) -> Object {
        let meta = object.meta();
        // A pod goes only once its kubelet has deleted it (grace period 0;
        // the generic `ShouldDeleteDuringUpdate` reads the old object's
        // `deletionGracePeriodSeconds`): one still terminating stays.
        let pod_done = meta.deletion_grace_period_seconds == Some(0);
        let finalized = meta.deletion_timestamp.is_some()
            && meta.finalizers.as_ref().is_none_or(Vec::is_empty)
            && match object.kind() {
                Kind::Namespace => false,
                Kind::Pod => pod_done,
                _ => true,
            };
        if finalized {
            self.store.remove(&object.object_ref());
            return object;
        }
        self.put_noting(object)
    }

    /// Everything an update does before the object is stored: optimistic
    /// concurrency, server-owned metadata, admission, generation.
    fn prepare_update(&mut self, mut object: Object, check: bool) -> Result<Object, ApiError> {
        let r = object.object_ref();
        let Some(old) = self.store.get(&r).cloned() else {
            return Err(ApiError::NotFound { kind: r.kind, name: r.name });
        };
        let old_meta = old.meta();
        let rv = object.meta().resource_version.clone().filter(|v| !v.is_empty());
        if check && rv.is_some() && rv != old_meta.resource_version {
            return Err(ApiError::Conflict {
                kind: r.kind,
                name: r.name,
                message: "the object has been modified; please apply your changes to the latest version and try again".to_owned(),
            });
        }
        {
            let meta = object.meta_mut();
            meta.uid = old_meta.uid.clone();
            meta.creation_timestamp = old_meta.creation_timestamp.clone();
            meta.generation = old_meta.generation;
            if check {
                meta.deletion_timestamp = old_meta.deletion_timestamp.clone();
                meta.deletion_grace_period_seconds = old_meta.deletion_grace_period_seconds;
            }
        }
        let mut admission = Admission {
            store: &self.store,
            rng: &mut self.rng,
            config: &self.config,
            registry: &self.registry,
            now: self.now,
            charged: Vec::new(),
        };
        admission.admit(&mut object, Some(&old))?;
        if has_generation(r.kind) && spec_of(&object) != spec_of(&old) {
            let meta = object.meta_mut();
            meta.generation = Some(old.meta().generation.unwrap_or(1) + 1);
            if let Object::DaemonSet(ds) = &mut object {
                let old_t = match &old {
                    Object::DaemonSet(o) => o.spec.as_ref().map(|s| &s.template),
                    _ => None,
                };
                if ds.spec.as_ref().map(|s| &s.template) != old_t {
                    let annotations = ds.metadata.annotations.get_or_insert_with(Default::default);
                    let g: i64 = annotations
                        .get("deprecated.daemonset.template.generation")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    annotations.insert(
                        "deprecated.daemonset.template.generation".to_owned(),
                        (g + 1).to_string(),
                    );
                }
            }
        }
        Ok(object)
    }

    /// Deletes an object. Pods bound to a node enter Terminating (their
    /// kubelet removes them); namespaces enter Terminating (the namespace
    /// controller empties them); everything else goes at once and the
    /// garbage collector removes dependents (background propagation).
    pub fn delete(&mut self, r: &ObjectRef, options: DeleteOptions) -> Result<Object, ApiError> {
        let Some(object) = self.store.get(r).cloned() else {
            return Err(ApiError::NotFound { kind: r.kind, name: r.name.clone() });
        };
        match object {
            Object::Pod(pod) => Ok(self.delete_pod(pod, options)),
            Object::Namespace(mut ns) => {
                if ns.metadata.deletion_timestamp.is_none() {
                    ns.metadata.deletion_timestamp = Some(time::time(self.now));
                    ns.status.get_or_insert_with(Default::default).phase =
                        Some("Terminating".to_owned());
                    return Ok(self.store.put(Object::Namespace(ns)));
                }
                Ok(Object::Namespace(ns))
            }
            other if crd::is_crd(other.kind()) => Ok(self.delete_crd(r, other)),
            // An object with finalizers is only marked: `deletionTimestamp`
            // now, `deletionGracePeriodSeconds` 0, and it stays until the
            // last finalizer is removed (`updateForGracefulDeletionAndFinalizers`
            // and `markAsDeleting` in the generic registry's store.go).
            mut other if other.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty()) => {
                if other.meta().deletion_timestamp.is_some() {
                    return Ok(other);
                }
                let meta = other.meta_mut();
                meta.deletion_timestamp = Some(time::time(self.now));
                meta.deletion_grace_period_seconds = Some(0);
                Ok(self.store.put(other))
            }
            other => {
                self.store.remove(r);
                Ok(other)
            }
        }
    }

    /// The pod's `eviction` subresource (`pkg/registry/core/pod/storage/
    /// eviction.go`): the PodDisruptionBudget selecting the pod must allow
    /// it ([`super::eviction`]; a refusal is a 429 and changes nothing),
    /// and the allowance is spent; the pod is marked a disruption target,
    /// where the version does ([`super::disruption`]), then deleted with
    /// `options`.
    pub fn evict(&mut self, r: &ObjectRef, options: DeleteOptions) -> Result<Object, ApiError> {
        let Some(Object::Pod(mut pod)) = self.store.get(r).cloned() else {
            return Err(ApiError::NotFound { kind: r.kind, name: r.name.clone() });
        };
        let version = self.config.version;
        if let super::eviction::Verdict::Spend(budget) =
            super::eviction::check(&self.store, &pod, version, self.now)?
        {
            self.store.put(*budget);
        }
        if super::disruption::mark(
            &mut pod,
            super::disruption::Disruption::Eviction,
            "",
            version,
            self.now,
        ) {
            self.store.put(Object::Pod(pod));
        }
        self.delete(r, options)
    }

    fn delete_pod(&mut self, mut pod: Pod, options: DeleteOptions) -> Object {
        let spec_grace =
            pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds).unwrap_or(30);
        let grace = options.grace_period_seconds.unwrap_or(spec_grace).max(0);
        let unscheduled = podutil::node_name(&pod).is_none();
        let terminal = matches!(podutil::phase(&pod), "Succeeded" | "Failed");
        if grace == 0 || unscheduled || terminal {
            return self.remove_pod(pod);
        }
        let current = pod.metadata.deletion_grace_period_seconds;
        if current.is_some_and(|c| c <= grace) {
            return Object::Pod(pod);
        }
        pod.metadata.deletion_timestamp = Some(time::time(time::add_secs(self.now, grace)));
        pod.metadata.deletion_grace_period_seconds = Some(grace);
        self.store.put(Object::Pod(pod))
    }

    /// A pod's deletion with grace period 0 (a force delete, the kubelet's
    /// final delete, an unscheduled or terminal pod): gone at once, unless
    /// it has finalizers — then marked (`deletionTimestamp`, grace 0) and
    /// kept until the last one is removed (`updateForGracefulDeletionAndFinalizers`
    /// in the generic registry's store.go), as a Job's pod with its
    /// tracking finalizer is.
    fn remove_pod(&mut self, mut pod: Pod) -> Object {
        if pod.metadata.finalizers.as_ref().is_none_or(Vec::is_empty) {
            self.store.remove(&ObjectRef::namespaced(
                Kind::Pod,
                pod.metadata.namespace.as_deref().unwrap_or("default"),
                pod.metadata.name.as_deref().unwrap_or_default(),
            ));
            return Object::Pod(pod);
        }
        if pod.metadata.deletion_grace_period_seconds == Some(0)
            && pod.metadata.deletion_timestamp.is_some()
        {
            return Object::Pod(pod);
        }
        // `BeforeDelete`: a shorter grace period moves the deletion
        // timestamp to now + 0.
        pod.metadata.deletion_timestamp = Some(time::time(self.now));
        pod.metadata.deletion_grace_period_seconds = Some(0);
        self.store.put(Object::Pod(pod))
    }

    /// Advances the simulation by one unit: one controller action if any
    /// controller has work (returns `Some(ZERO)`), else a jump of the clock to
    /// the next timer (returns the time that passed). `None` when nothing
    /// will ever change again without outside input.
    pub fn step(&mut self) -> Option<Duration> {
        if let Some(writes) = self.find_work() {
            self.apply(writes);
            return Some(Duration::ZERO);
        }
        let next = self.next_timer()?;
        let elapsed = time::since(next, self.now);
        self.set_now(next);
        Some(elapsed)
    }

    /// [`Cluster::step`] for a reader that waits at most until `target`:
    /// one controller action, or the clock to the next timer, but no
    /// further than `target`; `None` when nothing is left to happen at all.
    pub fn step_within(&mut self, target: Timestamp) -> Option<Duration> {
        if let Some(writes) = self.find_work() {
            self.apply(writes);
            return Some(Duration::ZERO);
        }
        let next = self.next_timer()?.min(target.max(self.now));
        let elapsed = time::since(next, self.now);
        self.set_now(next);
        Some(elapsed)
    }

    /// [`Cluster::step`], but never past `target`: one controller action,
    /// or the clock to the next timer if it is due by `target`, else the
    /// clock to `target`. Returns whether the clock is still before it.
    /// For a client that polls while waiting for a later instant (`kubectl
    /// drain` between eviction attempts).
    pub fn step_until(&mut self, target: Timestamp) -> bool {
        if self.step_within(target).is_none() {
            // Nothing left to happen: the client's wait still passes.
            self.set_now(target.max(self.now));
        }
        self.now < target
    }

    /// Advances the virtual clock by `by`, running every action and timer
    /// due on the way, then everything that became due at the end.
    pub fn advance(&mut self, by: Duration) {
        let target = time::add(self.now, by);
        for _ in 0..MAX_ADVANCE_STEPS {
            if let Some(writes) = self.find_work() {
                self.apply(writes);
                continue;
            }
            match self.next_timer() {
                Some(t) if t <= target => self.set_now(t),
                _ => break,
            }
        }
        self.set_now(target);
        self.run_pending(MAX_ADVANCE_STEPS);
    }

    /// Steps until nothing is left to do (no work, no timer) or `max_steps`
    /// steps were taken; returns the number of steps taken.
    pub fn settle(&mut self, max_steps: usize) -> usize {
        let mut steps = 0;
        while steps < max_steps && self.step().is_some() {
            steps += 1;
        }
        steps
    }

    /// Runs controllers, and timers due within `horizon` of virtual time
    /// from now, until no work is left; at most `max_steps` steps. For
    /// `kubeplay shell --settle`: what a reader wants is the cluster quiet,
    /// not a week of periodic retries (an ImagePullBackOff pod retries
    /// forever, every five minutes at most), so the bound is time, not steps;
    /// the step cap only guards against work that never lets time pass.
    /// Returns the number of steps taken.
    pub fn settle_within(&mut self, horizon: Duration, max_steps: usize) -> usize {
        let end = time::add(self.now, horizon);
        let mut steps = 0;
        while steps < max_steps {
            if let Some(writes) = self.find_work() {
                self.apply(writes);
            } else {
                match self.next_timer() {
                    Some(t) if t <= end => self.set_now(t),
                    _ => break,
                }
            }
            steps += 1;
        }
        steps
    }

    /// Whether no controller has work right now (timers may be pending).
    pub fn is_quiescent(&self) -> bool {
        let view = self.view();
        CONTROLLERS.iter().all(|c| c.reconcile(&view).is_empty())
    }

    /// When the next timer fires, if any.
    pub fn next_timer(&self) -> Option<Timestamp> {
        let view = self.view();
        let pending = self.store.has_changes() || !self.runtime_changes.is_empty();
        let next = CONTROLLERS
            .iter()
            .zip(&self.queues)
            .filter_map(|(c, q)| match c.keyed() {
                Some(_) if !pending && !q.has_dirty() => q.next_timer(self.now),
                _ => c.next_wakeup(&view),
            })
            .chain(super::controllers::next_create_retry(&view))
            .filter(|t| *t > self.now)
            .min();
        #[cfg(debug_assertions)]
        {
            // The check's reads are not the loop's work.
            let reads = self.store.reads();
            let scan = CONTROLLERS
                .iter()
                .filter_map(|c| c.next_wakeup(&view))
                .chain(super::controllers::next_create_retry(&view))
                .filter(|t| *t > self.now)
                .min();
            self.store.set_reads(reads);
            assert_eq!(next, scan, "work-queue timers disagree with a whole-world scan");
        }
        next
    }

    /// Events whose involvedObject is `r`, oldest first.
    pub fn events_for(&self, r: &ObjectRef) -> Vec<&Event> {
        let ns = r.namespace.as_deref().unwrap_or("default");
        let kind_name = r.kind.info().kind_name;
        let mut out: Vec<&Event> = self
            .store
            .all::<Event>(Some(ns))
            .filter(|e| {
                e.involved_object.kind.as_deref() == Some(kind_name)
                    && e.involved_object.name.as_deref() == Some(r.name.as_str())
            })
            .collect();
        out.sort_by_key(|e| {
            (
                e.first_timestamp.as_ref().map(|t| t.0).or(e.event_time.as_ref().map(|t| t.0)),
                e.metadata.resource_version.as_ref().and_then(|v| v.parse::<u64>().ok()),
            )
        });
        out
    }

    /// The main process of a pod's container ends now with `code`: the
    /// shell of `kubectl run -it` whose stdin closed when the session ended
    /// (`stdinOnce`). The kubelet then handles the exit as any other.
    pub fn end_container_process(
        &mut self,
        r: &ObjectRef,
        container: &str,
        code: i32,
    ) -> Result<(), ApiError> {
        let pod = self.get(r)?;
        let uid = pod.meta().uid.clone().unwrap_or_default();
        let now = self.now;
        self.runtime_changed(RuntimeChange::Other);
        for nr in self.runtime.nodes.values_mut() {
            if let Some(run) = nr.pods.get_mut(&uid).and_then(|p| p.containers.get_mut(container))
                && let Some(started) = run.started
            {
                run.exit = Some((time::since(now, started), code));
                run.waiting = None;
            }
        }
        self.run_pending(MAX_ADVANCE_STEPS);
        Ok(())
    }

    /// Powers a node's machine (its kubelet) off or on. Off: the node goes
    /// NotReady after the grace period and its pods are evicted later. On:
    /// the node becomes Ready again, containers start again (one more
    /// restart each) and pending terminations complete.
    pub fn set_kubelet_running(&mut self, node: &str, running: bool) -> Result<(), ApiError> {
        if !self.store.contains(&ObjectRef::cluster(Kind::Node, node)) {
            return Err(ApiError::NotFound { kind: Kind::Node, name: node.to_owned() });
        }
        let now = self.now;
        self.runtime_changed(RuntimeChange::Node(node.to_owned()));
        let nr = self.runtime.nodes.entry(node.to_owned()).or_default();
        if running {
            let rebooted = !nr.powered;
            nr.powered = true;
            if !nr.running {
                nr.running = true;
                nr.started_at = Some(now);
            }
            if rebooted {
                let ready_at = time::add(now, Duration::from_secs(3));
                for pr in nr.pods.values_mut() {
                    if pr.stage == PodStage::Running {
                        pr.stage = PodStage::Sandbox { ready_at };
                        pr.restart = true;
                    }
                }
            }
        } else {
            nr.powered = false;
            if nr.running {
                nr.running = false;
                nr.stopped_at = Some(now);
            }
        }
        Ok(())
    }

    /// Stops or starts the kubelet service alone (`systemctl stop|start
    /// kubelet`): the node stops posting status exactly as when powered
    /// off, but its containers keep running, so a started kubelet finds
    /// them running (no restart). Starting the kubelet of a machine that is
    /// off is not possible and changes nothing.
    pub fn set_kubelet_service(&mut self, node: &str, running: bool) -> Result<(), ApiError> {
        if !self.store.contains(&ObjectRef::cluster(Kind::Node, node)) {
            return Err(ApiError::NotFound { kind: Kind::Node, name: node.to_owned() });
        }
        let now = self.now;
        self.runtime_changed(RuntimeChange::Node(node.to_owned()));
        let nr = self.runtime.nodes.entry(node.to_owned()).or_default();
        if nr.powered && nr.running != running {
            nr.running = running;
            if running {
                nr.started_at = Some(now);
            } else {
                nr.stopped_at = Some(now);
            }
        }
        Ok(())
    }

    /// Joins a new node (`kubeadm join` on that host): the Node registers
    /// now, Ready; DaemonSets then place their pods on it.
    pub fn add_node(&mut self, node: NodeConfig) -> Result<Object, ApiError> {
        let r = ObjectRef::cluster(Kind::Node, &node.name);
        if self.store.contains(&r) {
            return Err(ApiError::AlreadyExists { kind: Kind::Node, name: node.name });
        }
        let index = self.config.nodes.len();
        self.config.nodes.push(node.clone());
        let config = self.config.clone();
        bootstrap::add_node(self, &config, &node, index);
        let Some(Object::Node(mut n)) = self.store.get(&r).cloned() else {
            return Err(ApiError::BadRequest(format!("node {} could not register", node.name)));
        };
        let now = time::time(self.now);
        n.metadata.creation_timestamp = Some(now.clone());
        for c in n.status.iter_mut().flat_map(|s| s.conditions.iter_mut().flatten()) {
            c.last_heartbeat_time = Some(now.clone());
            c.last_transition_time = Some(now.clone());
        }
        Ok(self.store.put(Object::Node(n)))
    }

    /// Whether a node's kubelet runs.
    pub fn kubelet_running(&self, node: &str) -> bool {
        self.runtime.nodes.get(node).is_none_or(|n| n.running)
    }

    /// Creates a pre-existing object with a history: created `age` ago and
    /// settled then (pods scheduled and running); for pods, containers have
    /// restarted `restarts` times, the last `last_restart` ago.
    pub fn seed_object(
        &mut self,
        object: Object,
        age: Duration,
        restarts: Option<u32>,
        last_restart: Option<Duration>,
    ) -> Result<Object, ApiError> {
        let now = self.now;
        self.move_clock(time::sub(now, age));
        let created = self.create(object);
        if created.is_ok() {
            self.run_pending(MAX_ADVANCE_STEPS);
            let mut guard = 0;
            while let Some(t) = self.next_timer().filter(|t| *t <= now) {
                self.move_clock(t);
                self.run_pending(MAX_ADVANCE_STEPS);
                guard += 1;
                if guard > 1000 {
                    break;
                }
            }
        }
        self.move_clock(now);
        let created = created?;
        let r = created.object_ref();
        if let (Some(Object::Pod(pod)), Some(n)) =
            (self.store.get(&r).cloned(), restarts.filter(|n| *n > 0))
        {
            let last = time::sub(now, last_restart.unwrap_or(Duration::ZERO));
            let pod = with_restarts(pod, n, last);
            self.store.put(Object::Pod(pod));
        }
        self.purge_events();
        Ok(self.store.get(&r).cloned().unwrap_or(created))
    }

    /// Runs every controller action that is due now, without moving the
    /// clock (what a real control plane does in the moment between two
    /// typed commands); returns the number of actions. Transient states that
    /// take time (image pulls, grace periods) stay observable.
    pub fn run_pending(&mut self, max: usize) -> usize {
        for n in 0..max {
            match self.find_work() {
                Some(writes) => self.apply(writes),
                None => return n,
            }
        }
        max
    }

    pub(crate) fn view(&self) -> View<'_> {
        View { store: &self.store, runtime: &self.runtime, now: self.now, config: &self.config }
    }

    /// The next controller action: each controller in order, a keyed one
    /// syncing only the keys its queue holds.
    fn find_work(&mut self) -> Option<Vec<Write>> {
        self.deliver_changes();
        let view = View {
            store: &self.store,
            runtime: &self.runtime,
            now: self.now,
            config: &self.config,
        };
        let mut found = None;
        for (controller, queue) in CONTROLLERS.iter().zip(self.queues.iter_mut()) {
            let writes = match controller.keyed() {
                Some(keyed) => queue.next_work(keyed, &view),
                None => Some(controller.reconcile(&view)).filter(|w| !w.is_empty()),
            };
            if writes.is_some() {
                found = writes;
                break;
            }
        }
        #[cfg(debug_assertions)]
        {
            let reads = self.store.reads();
            let scan = CONTROLLERS.iter().map(|c| c.reconcile(&view)).find(|w| !w.is_empty());
            self.store.set_reads(reads);
            assert!(
                found == scan,
                "work queues disagree with a whole-world scan at {}:\nqueues: {}\nscan: {}",
                self.now,
                summary(found.as_deref()),
                summary(scan.as_deref())
            );
        }
        found
    }

    /// Hands the writes since the last look to the keyed controllers'
    /// queues, as informers deliver events to event handlers.
    fn deliver_changes(&mut self) {
        let changes = self.store.take_changes();
        let mut runtime_changes = std::mem::take(&mut self.runtime_changes);
        if changes.is_empty() && runtime_changes.is_empty() {
            return;
        }
        // Marking keys is a set union: a change repeated since the last
        // look marks nothing more (an `Other` per back-off write would
        // list every key each time).
        runtime_changes.sort();
        runtime_changes.dedup();
        let view = View {
            store: &self.store,
            runtime: &self.runtime,
            now: self.now,
            config: &self.config,
        };
        for (controller, queue) in CONTROLLERS.iter().zip(self.queues.iter_mut()) {
            let Some(keyed) = controller.keyed() else { continue };
            for change in &changes {
                queue.add(keyed, &view, keyed.on_change(&view, change));
            }
            for change in &runtime_changes {
                queue.add(keyed, &view, keyed.on_runtime(&view, change));
            }
        }
    }

    /// Notes a machine-state write for the queues.
    fn runtime_changed(&mut self, change: RuntimeChange) {
        self.runtime_changes.push(change);
    }

    /// Moves the clock (never backwards) and expires old events.
    pub(crate) fn set_now(&mut self, t: Timestamp) {
        if t > self.now {
            self.move_clock(t);
        }
        self.purge_events();
    }

    /// Sets the clock, even backwards (bootstrap only).
    pub(crate) fn warp(&mut self, t: Timestamp) {
        self.move_clock(t);
    }

    /// Sets the clock, even backwards. Work-queue timers were computed for
    /// a later time when it goes back, so the queues then start over with
    /// every key.
    fn move_clock(&mut self, t: Timestamp) {
        if t < self.now {
            self.queues = vec![Queue::default(); CONTROLLERS.len()];
        } else {
            for (controller, queue) in CONTROLLERS.iter().zip(self.queues.iter_mut()) {
                queue.expire(t);
                if t > self.now && controller.keyed().is_some_and(|k| k.on_clock()) {
                    queue.resync();
                }
            }
        }
        self.now = t;
    }

    fn purge_events(&mut self) {
        let now = self.now;
        // Through the store's index of events by last sighting, in store
        // order as a scan of every event would find them.
        let expired = self.store.events_seen_before(|t| time::add(t, EVENT_TTL) < now);
        for r in expired {
            self.store.remove(&r);
        }
    }

    /// Drops every event (bootstrap history is older than the event TTL).
    pub(crate) fn clear_events(&mut self) {
        let all: Vec<ObjectRef> =
            self.store.list(Kind::Event, None).map(Object::object_ref).collect();
        for r in all {
            self.store.remove(&r);
        }
    }

    /// Applies one action's writes, in order.
    pub(crate) fn apply(&mut self, writes: Vec<Write>) {
        let checking = std::mem::replace(&mut self.checking, false);
        self.apply_unchecked(writes);
        self.checking = checking;
    }

    fn apply_unchecked(&mut self, writes: Vec<Write>) {
        // `slowStartBatch` per owner: creates attempted, and whether the
        // current batch saw a failure.
        let mut batches: std::collections::BTreeMap<String, (usize, bool)> = Default::default();
        for write in writes {
            match write {
                Write::Create(o) => {
                    let _ = self.create(o);
                }
                Write::CreateWithEvent(o, ev) if matches!(o, Object::Pod(_)) => {
                    let owner = ev.involved.uid.clone().unwrap_or_default();
                    let (attempted, failed) = batches.entry(owner.clone()).or_default();
                    // Batches end after 1, 3, 7, 15, ... creates.
                    let batch_start = (*attempted + 1).is_power_of_two();
                    if batch_start && *failed {
                        continue;
                    }
                    *attempted += 1;
                    match self.create_pod_for(o) {
                        Ok(created) => {
                            if self.runtime.create_backoff.remove(&owner).is_some() {
                                self.runtime_changed(RuntimeChange::Other);
                            }
                            let mut ev = ev;
                            ev.message = ev.message.replace("{name}", created.name());
                            self.record(ev);
                        }
                        Err(err) => {
                            *failed = true;
                            let failures = self
                                .runtime
                                .create_backoff
                                .get(&owner)
                                .map_or(1, |b| b.failures + 1);
                            let retry_at = time::add(self.now, CreateBackoff::delay(failures));
                            let error = err.to_string();
                            self.runtime
                                .create_backoff
                                .insert(owner, CreateBackoff { failures, retry_at, error });
                            self.runtime_changed(RuntimeChange::Other);
                            let mut failed_ev = ev.warning();
                            failed_ev.reason = "FailedCreate".to_owned();
                            failed_ev.message = format!("Error creating: {err}");
                            self.record(failed_ev);
                        }
                    }
                }
                Write::CreateWithEvent(o, mut ev) => {
                    if let Ok(created) = self.create(o) {
                        ev.message = ev.message.replace("{name}", created.name());
                        self.record(ev);
                    }
                }
                Write::Update(o) => {
                    let _ = self.update_inner(o, false);
                }
                Write::Delete(r, opts) => {
                    let _ = self.delete(&r, opts);
                }
                Write::Remove(r) => match self.store.get(&r).cloned() {
                    Some(Object::Pod(pod)) => {
                        self.remove_pod(pod);
                    }
                    _ => {
                        self.store.remove(&r);
                    }
                },
                Write::Event(ev) => self.record(ev),
                Write::Runtime(node, nr) => {
                    let change =
                        match self.runtime.nodes.get(&node).and_then(|old| old.changed_pods(&nr)) {
                            Some(uids) => RuntimeChange::PodRecords(node.clone(), uids),
                            None => RuntimeChange::Node(node.clone()),
                        };
                    self.runtime_changed(change);
                    self.runtime.put_node(node, nr);
                }
                Write::Balancer(balancer) => {
                    self.runtime_changed(RuntimeChange::Other);
                    self.runtime.balancer = balancer;
                }
                // Read by the scheduler alone, which looks at a pod again
                // only when the pod or the cluster changes: no controller
                // needs waking.
                Write::SchedulerStart(start) => self.runtime.scheduler_start = start,
                Write::JobQueue(key, queue) => match queue {
                    Some(q) => {
                        self.runtime_changed(RuntimeChange::ControllerMemory);
                        self.runtime.jobs.insert(key, q);
                    }
                    None => {
                        self.runtime_changed(RuntimeChange::ControllerMemory);
                        self.runtime.jobs.remove(&key);
                    }
                },
                Write::CreateActiveJob(o, mut ev, parent) => {
                    if let Ok(created) = self.create(o) {
                        ev.message = ev.message.replace("{name}", created.name());
                        self.record(ev);
                        if let Object::CronJob(mut cj) = parent {
                            cj.status
                                .get_or_insert_with(Default::default)
                                .active
                                .get_or_insert_with(Vec::new)
                                .push(events::reference_to(&created));
                            let _ = self.update_inner(Object::CronJob(cj), false);
                        }
                    }
                }
                Write::CronJobQueue(key, queue) => match queue {
                    Some(q) => {
                        self.runtime_changed(RuntimeChange::ControllerMemory);
                        self.runtime.cron_jobs.insert(key, q);
                    }
                    None => {
                        self.runtime_changed(RuntimeChange::ControllerMemory);
                        self.runtime.cron_jobs.remove(&key);
                    }
                },
                Write::PodGcQuarantine(node, since) => {
                    self.runtime_changes.push(RuntimeChange::Other);
                    match since {
                        Some(t) => self.runtime.pod_gc_quarantine.insert(node, t),
                        None => self.runtime.pod_gc_quarantine.remove(&node),
                    };
                }
                Write::HpaMemory(key, memory) => match memory {
                    Some(m) => {
                        self.runtime_changed(RuntimeChange::ControllerMemory);
                        self.runtime.hpas.insert(key, m);
                    }
                    None => {
                        self.runtime_changed(RuntimeChange::ControllerMemory);
                        self.runtime.hpas.remove(&key);
                    }
                },
                // No controller reads another's tracker, so no change
                // needs announcing.
                Write::TriggerTimes(key, memory) => match memory {
                    Some(m) => {
                        self.runtime.trigger_times.insert(key, m);
                    }
                    None => {
                        self.runtime.trigger_times.remove(&key);
                    }
                },
            }
        }
    }

    /// Records an event, aggregating repeats as client-go's recorder does.
    fn record(&mut self, mut record: EventRecord) {
        if let Some(inv) = record.involved.uid.as_ref() {
            let current = record
                .involved_kind()
                .and_then(|k| self.store.find_uid(k, record.involved.namespace.as_deref(), inv));
            if let Some(o) = current {
                record.involved.resource_version = o.meta().resource_version.clone();
            }
        }
        let ns = record.involved.namespace.clone().unwrap_or_else(|| "default".to_owned());
        let combined = !record.new_api && self.aggregate(&mut record);
        // Both kinds of repeat are about the same object (uid): the
        // store's index of events by involved uid holds every candidate,
        // in the order a scan of the namespace's events would meet them.
        let existing = self
            .store
            .events_involving(&ns, record.involved.uid.as_deref())
            .find(|e| {
                if combined {
                    events::is_combined_repeat(e, &record)
                } else {
                    events::is_repeat(e, &record)
                }
            })
            .cloned();
        if let Some(mut e) = existing {
            events::bump(&mut e, self.now);
            e.message = Some(record.message.clone());
            self.store.put(Object::Event(e));
            return;
        }
        let base = record.involved.name.clone().unwrap_or_default();
        let jitter = i128::from(self.rng.below(1_000_000));
        let mut nanos = (self.now.as_nanosecond() + jitter).max(self.last_event_nanos + 1);
        self.last_event_nanos = nanos;
        let mut name = format!("{base}.{nanos:x}");
        while self.store.contains(&ObjectRef::namespaced(Kind::Event, &ns, &name)) {
            nanos += 1;
            name = format!("{base}.{nanos:x}");
        }
        let mut event = events::new_event(&record, name, self.now);
        event.metadata.uid = Some(self.rng.uuid());
        event.metadata.creation_timestamp = Some(time::time(self.now));
        self.store.put(Object::Event(event));
    }

    /// `EventAggregator.EventAggregate` (client-go `tools/record/
    /// events_cache.go`): events alike but for their message (same source,
    /// object, type and reason) pass as they are until ten distinct
    /// messages were seen with no ten-minute pause; from then on each is
    /// recorded as one `(combined from similar events): ` event. Returns
    /// whether `record` was combined. (Upstream forgets one of the messages
    /// at random at that point; here the first in sorted order.)
    fn aggregate(&mut self, record: &mut EventRecord) -> bool {
        const MAX_EVENTS: usize = 10;
        const MAX_INTERVAL: Duration = Duration::from_secs(600);
        let inv = &record.involved;
        let key = format!(
            "{}\u{0}{}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{}\u{0}{}",
            record.component,
            record.host.as_deref().unwrap_or_default(),
            inv.kind,
            inv.namespace,
            inv.name,
            inv.uid,
            record.warning,
            record.reason
        );
        let now = self.now;
        let entry =
            self.runtime.event_aggregates.entry(key).or_insert_with(|| (Default::default(), now));
        if time::since(now, entry.1) > MAX_INTERVAL {
            entry.0.clear();
        }
        entry.0.insert(record.message.clone());
        entry.1 = now;
        if entry.0.len() < MAX_EVENTS {
            return false;
        }
        entry.0.pop_first();
        record.message = format!("(combined from similar events): {}", record.message);
        true
    }

    /// Sets the simulated CPU demand on a workload (`kubeplay load`), as
    /// a percentage of one of its pods' CPU request; 0 removes it. See
    /// [`super::metrics`] for how it spreads over pods.
    pub fn set_load(&mut self, target: super::metrics::LoadTarget, percent: u32) {
        self.runtime_changed(RuntimeChange::Other);
        if percent == 0 {
            self.runtime.loads.remove(&target);
        } else {
            self.runtime.loads.insert(target, percent);
        }
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Replaces one node's machine state: a change to that node only (a
    /// change of the whole runtime, [`Cluster::runtime_mut`], makes some
    /// controllers look at every key, O(nodes) for each node booted).
    pub(crate) fn put_node_runtime(&mut self, node: &str, nr: super::runtime::NodeRuntime) {
        self.runtime_changed(RuntimeChange::Node(node.to_owned()));
        self.runtime.put_node(node.to_owned(), nr);
    }

    pub(crate) fn runtime_mut(&mut self) -> &mut Runtime {
        self.runtime_changed(RuntimeChange::Other);
        &mut self.runtime
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

/// `body` with `status_from`'s status (none if it has none): what the main
/// resource and the status subresource each keep of a client's write.
fn with_status_of(body: &Object, status_from: &Object) -> Result<Object, ApiError> {
    let mut value = body.to_value();
    match (value.as_object_mut(), status_from.to_value().get("status")) {
        (Some(v), Some(status)) => {
            v.insert("status".to_owned(), status.clone());
        }
        (Some(v), None) => {
            v.remove("status");
        }
        _ => {}
    }
    Object::from_value_as(body.kind(), value).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// Kinds whose registry strategy tracks `metadata.generation`.
fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet | Kind::Job | Kind::CronJob
    ) || crd::is_crd(kind)
        || kind == super::controllers::disruption::pdb_kind()
        || crd::is_custom(kind)
        || kind == super::controllers::statefulset::sts_kind()
        || generation_one_on_create().contains(&kind)
}

/// Kinds stored generically whose strategy's `PrepareForCreate` sets
/// `Generation = 1` (`pkg/registry/networking/{ingress,ingressclass,
/// networkpolicy}/strategy.go`, `scheduling/priorityclass/strategy.go`).
fn generation_one_on_create() -> &'static [Kind] {
    static KINDS: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        [
            ("networking.k8s.io", "ingresses"),
            ("networking.k8s.io", "ingressclasses"),
            ("networking.k8s.io", "networkpolicies"),
            ("scheduling.k8s.io", "priorityclasses"),
        ]
        .into_iter()
        .map(|(group, plural)| super::registry::builtin_kind(group, plural))
        .collect()
    })
}

/// The `spec` of an object, as JSON, for change detection.
fn spec_of(object: &Object) -> serde_json::Value {
    object.to_value().get("spec").cloned().unwrap_or_default()
}

/// A pod whose containers restarted `n` times, last at `last`.
fn with_restarts(mut pod: Pod, n: u32, last: Timestamp) -> Pod {
    for cs in pod.status.iter_mut().flat_map(|s| s.container_statuses.iter_mut().flatten()) {
        let started =
            cs.state.as_ref().and_then(|s| s.running.as_ref()).and_then(|r| r.started_at.clone());
        cs.restart_count = n as i32;
        cs.last_state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 0,
                reason: Some("Completed".to_owned()),
                started_at: started,
                finished_at: Some(time::time(last)),
                container_id: cs.container_id.clone(),
                ..Default::default()
            }),
            ..Default::default()
        });
        cs.state = Some(ContainerState {
            running: Some(ContainerStateRunning { started_at: Some(Time(time::time(last).0)) }),
            ..Default::default()
        });
    }
    pod
}

/// The objects a list of writes touches, for the queue check's message.
#[cfg(debug_assertions)]
fn summary(writes: Option<&[Write]>) -> String {
    let Some(writes) = writes else { return "no work".to_owned() };
    writes
        .iter()
        .map(|w| match w {
            Write::Create(o) | Write::CreateWithEvent(o, _) | Write::Update(o) => {
                format!("write {:?}", o.object_ref())
            }
            Write::Delete(r, _) | Write::Remove(r) => format!("delete {r:?}"),
            Write::PodGcQuarantine(node, _) => format!("pod GC quarantine {node}"),
            Write::Event(e) => format!("event {} on {:?}", e.reason, e.involved.name),
            other => format!("{:?}", std::mem::discriminant(other)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether the API server names the object (`generateName` and no name):
/// `needsNameGeneration` in `store.go`.
fn needs_name_generation(object: &Object) -> bool {
    let meta = object.meta();
    meta.name.as_deref().is_none_or(str::is_empty)
        && meta.generate_name.as_deref().is_some_and(|g| !g.is_empty())
}
