//! The Deployment controller. Mirrors `pkg/controller/deployment`
//! (v1.22): `deployment_controller.go syncDeployment`, `sync.go`,
//! `rolling.go`, `recreate.go`, `progress.go`. One action = one sync of one
//! Deployment; its API writes are collected and applied together.

use crate::version::Fact;
use std::time::Duration;

use k8s_openapi::{
    api::{
        apps::v1::{Deployment, DeploymentStatus, ReplicaSet, ReplicaSetSpec},
        core::v1::Pod,
    },
    apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference},
    jiff::Timestamp,
};

use super::{
    Controller, View, Write,
    deployment_util::{self as util, d_replicas, rs_replicas, rs_status},
};
use crate::sim::{
    DeleteOptions, Kind, Object, ObjectRef,
    events::{EventRecord, reference_to},
    labels::{selector_is_empty, selector_matches},
    names::pod_template_hash,
    object::Resource,
    podutil,
    queue::{self, Affected, Keyed, QueueKey, RuntimeChange},
    store::Change,
    time,
};

const COMPONENT: &str = "deployment-controller";

/// The Deployment controller.
pub struct DeploymentController;

impl Controller for DeploymentController {
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

/// One key per Deployment (`deployment_controller.go`'s informer
/// handlers): its own writes, its ReplicaSets' (through their controller
/// reference; an orphan ReplicaSet may be adopted by any), and its pods'
/// (through their ReplicaSet: `Recreate` waits for old pods to go).
impl Keyed for DeploymentController {
    fn keys(&self, view: &View<'_>) -> Vec<QueueKey> {
        queue::object_keys(view, Kind::Deployment)
    }

    fn on_change(&self, view: &View<'_>, change: &Change) -> Affected {
        match change.object.kind {
            Kind::Deployment => {
                Affected::Keys(vec![QueueKey { rank: Vec::new(), object: change.object.clone() }])
            }
            Kind::ReplicaSet => queue::controller_keys(view, change, Kind::Deployment),
            Kind::Pod => {
                let mut keys = Vec::new();
                for pod in
                    [change.old.as_ref(), view.store.get(&change.object)].into_iter().flatten()
                {
                    let Some(owner) = podutil::controller_of(pod.meta()) else { continue };
                    let Some(rs) = view.store.uid(&owner.uid).and_then(|r| view.store.get(r))
                    else {
                        // Its ReplicaSet is gone: which Deployment it had
                        // is no longer known.
                        return Affected::All;
                    };
                    if let Some(d) =
                        podutil::controller_of(rs.meta()).filter(|d| d.kind == "Deployment")
                    {
                        keys.push(QueueKey {
                            rank: Vec::new(),
                            object: ObjectRef::namespaced(
                                Kind::Deployment,
                                change.object.namespace.as_deref().unwrap_or("default"),
                                &d.name,
                            ),
                        });
                    }
                }
                Affected::Keys(keys)
            }
            _ => Affected::Nothing,
        }
    }

    fn on_runtime(&self, _view: &View<'_>, _change: &RuntimeChange) -> Affected {
        Affected::Nothing
    }

    fn sync(&self, view: &View<'_>, key: &QueueKey) -> Vec<Write> {
        view.store
            .get(&key.object)
            .and_then(Deployment::from_object)
            .map_or_else(Vec::new, |d| sync_deployment(view, d))
    }

    /// `requeueStuckDeployment`: look again when a rollout's progress
    /// deadline passes.
    fn wakeup(&self, view: &View<'_>, key: &QueueKey) -> Option<Timestamp> {
        let d = view.store.get(&key.object).and_then(Deployment::from_object)?;
        if paused(d) {
            return None;
        }
        util::timeout_at(d, d.status.as_ref()?).map(|t| time::add(t, Duration::from_secs(1)))
    }

    /// Conditions carry the time and the progress deadline is a time;
    /// Deployments are few.
    fn on_clock(&self) -> bool {
        true
    }
}

fn paused(d: &Deployment) -> bool {
    d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false)
}

/// Syncs one Deployment; returns its writes (empty when in sync).
fn sync_deployment<'v>(view: &'v View<'v>, d: &'v Deployment) -> Vec<Write> {
    let mut s = Sync::new(view, d);
    let _ = s.run();
    s.finish()
}

/// A ReplicaSet being worked on: current copy, stored original (None when to
/// be created; borrowed from the store, as a sync that writes nothing
/// copies each object once, not twice), and whether cleanup deletes it.
struct Rs<'v> {
    obj: ReplicaSet,
    orig: Option<&'v ReplicaSet>,
    delete: bool,
}

/// One sync's working state.
struct Sync<'v> {
    view: &'v View<'v>,
    orig: &'v Deployment,
    d: Deployment,
    rss: Vec<Rs<'v>>,
    released: Vec<ReplicaSet>,
    new_rs: Option<usize>,
    events: Vec<EventRecord>,
}

/// A sync ended early (a name collision); its writes still apply.
struct Abort;

impl<'v> Sync<'v> {
    fn new(view: &'v View<'v>, d: &'v Deployment) -> Sync<'v> {
        let mut s = Sync {
            view,
            orig: d,
            d: d.clone(),
            rss: Vec::new(),
            released: Vec::new(),
            new_rs: None,
            events: Vec::new(),
        };
        s.claim_replica_sets();
        s
    }

    fn ns(&self) -> &str {
        self.d.metadata.namespace.as_deref().unwrap_or("default")
    }

    fn uid(&self) -> &str {
        self.d.metadata.uid.as_deref().unwrap_or_default()
    }

    fn selector(&self) -> LabelSelector {
        self.d.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default()
    }

    /// `getReplicaSetsForDeployment` / `ClaimReplicaSets`: adopt matching
    /// orphans, release owned ReplicaSets that no longer match.
    fn claim_replica_sets(&mut self) {
        let selector = self.selector();
        let deleting = self.d.metadata.deletion_timestamp.is_some();
        let uid = self.uid().to_owned();
        let ns = self.ns().to_owned();
        let mut claimed: Vec<Rs> = Vec::new();
        for rs in self.view.store.all::<ReplicaSet>(Some(&ns)) {
            let matches = !selector_is_empty(&selector)
                && selector_matches(&selector, rs.metadata.labels.as_ref());
            match podutil::controller_of(&rs.metadata) {
                Some(owner) if owner.uid == uid => {
                    if matches || deleting {
                        claimed.push(Rs { obj: rs.clone(), orig: Some(rs), delete: false });
                    } else {
                        let mut released = rs.clone();
                        if let Some(refs) = released.metadata.owner_references.as_mut() {
                            refs.retain(|o| o.uid != uid);
                        }
                        self.released.push(released);
                    }
                }
                Some(_) => {}
                None if matches && !deleting && rs.metadata.deletion_timestamp.is_none() => {
                    let mut adopted = rs.clone();
                    adopted
                        .metadata
                        .owner_references
                        .get_or_insert_with(Vec::new)
                        .push(self.controller_ref());
                    claimed.push(Rs { obj: adopted, orig: Some(rs), delete: false });
                }
                None => {}
            }
        }
        claimed.sort_by(|a, b| util::by_creation(&a.obj, &b.obj));
        self.rss = claimed;
    }

    fn controller_ref(&self) -> OwnerReference {
        OwnerReference {
            api_version: "apps/v1".to_owned(),
            kind: "Deployment".to_owned(),
            name: self.d.metadata.name.clone().unwrap_or_default(),
            uid: self.uid().to_owned(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }
    }

    /// `syncDeployment`.
    fn run(&mut self) -> Result<(), Abort> {
        let selector = self.selector();
        if selector_is_empty(&selector) {
            let status = self.d.status.get_or_insert_with(Default::default);
            if status.observed_generation < self.d.metadata.generation {
                status.observed_generation = self.d.metadata.generation;
            }
            return Ok(());
        }
        if self.d.metadata.deletion_timestamp.is_some() {
            self.get_all_and_sync_revision(false)?;
            self.sync_deployment_status();
            return Ok(());
        }
        self.check_paused_conditions();
        if paused(&self.d) {
            return self.sync();
        }
        if self.is_scaling_event()? {
            return self.sync();
        }
        if util::strategy_type(&self.d) == "Recreate" {
            self.rollout_recreate()
        } else {
            self.rollout_rolling()
        }
    }

    /// All writes of this sync, in API order.
    fn finish(self) -> Vec<Write> {
        let mut writes = Vec::new();
        for rs in self.released {
            writes.push(Write::Update(Object::ReplicaSet(rs)));
        }
        for rs in &self.rss {
            match &rs.orig {
                None => writes.push(Write::Create(Object::ReplicaSet(rs.obj.clone()))),
                Some(orig) if rs.delete => {
                    let r = ObjectRef::namespaced(
                        Kind::ReplicaSet,
                        orig.metadata.namespace.as_deref().unwrap_or("default"),
                        orig.metadata.name.as_deref().unwrap_or_default(),
                    );
                    writes.push(Write::Delete(r, DeleteOptions::default()));
                }
                Some(orig) if **orig != rs.obj => {
                    writes.push(Write::Update(Object::ReplicaSet(rs.obj.clone())))
                }
                Some(_) => {}
            }
        }
        let involved = reference_to(&Object::Deployment(self.d.clone()));
        for mut ev in self.events {
            ev.involved = involved.clone();
            writes.push(Write::Event(ev));
        }
        if self.d != *self.orig {
            writes.push(Write::Update(Object::Deployment(self.d)));
        }
        writes
    }

    /// Indices of the old ReplicaSets (all claimed but the new one).
    fn old_indices(&self) -> Vec<usize> {
        (0..self.rss.len()).filter(|i| Some(*i) != self.new_rs).collect()
    }

    /// Indices of all ReplicaSets (old, then new).
    fn all_indices(&self) -> Vec<usize> {
        let mut all = self.old_indices();
        all.extend(self.new_rs);
        all
    }

    fn active(&self, idx: &[usize]) -> Vec<usize> {
        idx.iter().copied().filter(|i| rs_replicas(&self.rss[*i].obj) > 0).collect()
    }

    fn sum_spec(&self, idx: &[usize]) -> i32 {
        idx.iter().map(|i| rs_replicas(&self.rss[*i].obj)).fold(0, i32::saturating_add)
    }

    fn sum_available(&self, idx: &[usize]) -> i32 {
        idx.iter().map(|i| rs_status(&self.rss[*i].obj).2).fold(0, i32::saturating_add)
    }

    /// `getAllReplicaSetsAndSyncRevision` / `getNewReplicaSet`.
    fn get_all_and_sync_revision(&mut self, create: bool) -> Result<(), Abort> {
        let template = self.d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
        self.new_rs = self.rss.iter().position(|rs| {
            !rs.delete
                && rs
                    .obj
                    .spec
                    .as_ref()
                    .and_then(|s| s.template.as_ref())
                    .is_some_and(|t| util::equal_ignore_hash(t, &template))
        });
        let old = self.old_indices();
        let new_revision =
            util::max_revision(old.iter().map(|i| &self.rss[*i].obj)).saturating_add(1);
        if let Some(i) = self.new_rs {
            let d = self.d.clone();
            let rs = &mut self.rss[i].obj;
            let annotations_updated = util::set_new_rs_annotations(&d, rs, new_revision, true);
            let min_ready = d.spec.as_ref().and_then(|s| s.min_ready_seconds);
            let spec = rs.spec.get_or_insert_with(Default::default);
            if annotations_updated || spec.min_ready_seconds.unwrap_or(0) != min_ready.unwrap_or(0)
            {
                spec.min_ready_seconds = min_ready;
                return Ok(());
            }
            let revision = util::annotation(rs, util::REVISION).unwrap_or_default().to_owned();
            let name = rs.metadata.name.clone().unwrap_or_default();
            util::set_deployment_revision(&mut self.d, &revision);
            let now = self.view.now;
            let status = self.d.status.get_or_insert_with(Default::default);
            if util::progress_deadline(&d).is_some()
                && util::get_condition(status, "Progressing").is_none()
            {
                let cond = util::new_condition(
                    "Progressing",
                    "True",
                    "FoundNewReplicaSet",
                    format!("Found new replica set {name:?}"),
                    now,
                );
                util::set_condition(status, cond);
            }
            return Ok(());
        }
        if !create {
            return Ok(());
        }
        self.create_new_rs(template, new_revision)
    }

    fn create_new_rs(
        &mut self,
        template: k8s_openapi::api::core::v1::PodTemplateSpec,
        new_revision: i64,
    ) -> Result<(), Abort> {
        let collision = self.d.status.as_ref().and_then(|s| s.collision_count);
        let hash = pod_template_hash(&template, collision);
        let mut rs_template = template;
        let meta = rs_template.metadata.get_or_insert_with(ObjectMeta::default);
        meta.labels
            .get_or_insert_with(Default::default)
            .insert(util::HASH_LABEL.to_owned(), hash.clone());
        let labels = meta.labels.clone();
        let mut selector = self.selector();
        selector
            .match_labels
            .get_or_insert_with(Default::default)
            .insert(util::HASH_LABEL.to_owned(), hash.clone());
        let name = format!("{}-{hash}", self.d.metadata.name.as_deref().unwrap_or_default());
        let mut rs = ReplicaSet {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: Some(self.ns().to_owned()),
                labels,
                owner_references: Some(vec![self.controller_ref()]),
                ..Default::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(0),
                min_ready_seconds: self.d.spec.as_ref().and_then(|s| s.min_ready_seconds),
                selector,
                template: Some(rs_template),
            }),
            status: None,
        };
        let mut all: Vec<&ReplicaSet> = self.rss.iter().map(|r| &r.obj).collect();
        all.push(&rs);
        let replicas = new_rs_new_replicas(&self.d, &all, &rs);
        util::set_rs_replicas(&mut rs, replicas);
        util::set_new_rs_annotations(&self.d, &mut rs, new_revision, false);
        if self.view.store.get_typed::<ReplicaSet>(Some(self.ns()), &name).is_some() {
            let status = self.d.status.get_or_insert_with(Default::default);
            status.collision_count = Some(status.collision_count.unwrap_or(0).saturating_add(1));
            return Err(Abort);
        }
        self.rss.push(Rs { obj: rs, orig: None, delete: false });
        self.new_rs = Some(self.rss.len() - 1);
        if replicas > 0 {
            let msg = if self.view.config.version.has(Fact::ScalingEventFromTo) {
                format!("Scaled up replica set {name} from 0 to {replicas}")
            } else {
                format!("Scaled up replica set {name} to {replicas}")
            };
            self.event(msg);
        }
        util::set_deployment_revision(&mut self.d, &new_revision.to_string());
        if util::progress_deadline(&self.d).is_some() {
            let cond = util::new_condition(
                "Progressing",
                "True",
                "NewReplicaSetCreated",
                format!("Created new replica set {name:?}"),
                self.view.now,
            );
            util::set_condition(self.d.status.get_or_insert_with(Default::default), cond);
        }
        Ok(())
    }

    fn event(&mut self, message: String) {
        self.events.push(EventRecord::normal(
            Default::default(),
            COMPONENT,
            "ScalingReplicaSet",
            message,
        ));
    }

    /// `checkPausedConditions`.
    fn check_paused_conditions(&mut self) {
        if util::progress_deadline(&self.d).is_none() {
            return;
        }
        let is_paused = paused(&self.d);
        let now = self.view.now;
        let status = self.d.status.get_or_insert_with(Default::default);
        let cond = util::get_condition(status, "Progressing");
        if cond.and_then(|c| c.reason.as_deref()) == Some("ProgressDeadlineExceeded") {
            return;
        }
        let paused_cond = cond.is_some_and(|c| c.reason.as_deref() == Some("DeploymentPaused"));
        if is_paused && !paused_cond {
            util::set_condition(
                status,
                util::new_condition(
                    "Progressing",
                    "Unknown",
                    "DeploymentPaused",
                    "Deployment is paused".to_owned(),
                    now,
                ),
            );
        } else if !is_paused && paused_cond {
            util::set_condition(
                status,
                util::new_condition(
                    "Progressing",
                    "Unknown",
                    "DeploymentResumed",
                    "Deployment is resumed".to_owned(),
                    now,
                ),
            );
        }
    }

    /// `isScalingEvent`: an active ReplicaSet's desired-replicas annotation
    /// differs from the Deployment's replicas.
    fn is_scaling_event(&mut self) -> Result<bool, Abort> {
        self.get_all_and_sync_revision(false)?;
        let want = d_replicas(&self.d);
        let all = self.all_indices();
        Ok(self
            .active(&all)
            .iter()
            .any(|i| util::desired_annotation(&self.rss[*i].obj).is_some_and(|d| d != want)))
    }

    /// `sync`: scaling events and paused Deployments.
    fn sync(&mut self) -> Result<(), Abort> {
        self.get_all_and_sync_revision(false)?;
        self.scale();
        if paused(&self.d) {
            self.cleanup();
        }
        self.sync_deployment_status();
        Ok(())
    }

    /// `scale`: proportional scaling (sync.go).
    fn scale(&mut self) {
        let want = d_replicas(&self.d);
        if let Some(i) = self.find_active_or_latest() {
            if rs_replicas(&self.rss[i].obj) != want {
                self.scale_and_record(i, want);
            }
            return;
        }
        if self.is_saturated() {
            for i in self.active(&self.old_indices()) {
                self.scale_and_record(i, 0);
            }
            return;
        }
        if !util::is_rolling_update(&self.d) {
            return;
        }
        let mut all = self.active(&self.all_indices());
        let current = self.sum_spec(&all);
        let allowed = if want > 0 { want.saturating_add(util::max_surge(&self.d)) } else { 0 };
        let to_add = allowed.saturating_sub(current);
        let op = match to_add.cmp(&0) {
            std::cmp::Ordering::Greater => {
                all.sort_by(|a, b| util::by_size_newer(&self.rss[*a].obj, &self.rss[*b].obj));
                "up"
            }
            std::cmp::Ordering::Less => {
                all.sort_by(|a, b| util::by_size_older(&self.rss[*a].obj, &self.rss[*b].obj));
                "down"
            }
            std::cmp::Ordering::Equal => "",
        };
        let mut added = 0;
        let mut sizes = Vec::with_capacity(all.len());
        for &i in &all {
            let cur = rs_replicas(&self.rss[i].obj);
            if to_add != 0 {
                let p = self.proportion(i, to_add, added);
                sizes.push(cur.saturating_add(p));
                added = added.saturating_add(p);
            } else {
                sizes.push(cur);
            }
        }
        for (k, &i) in all.iter().enumerate() {
            if k == 0 && to_add != 0 {
                sizes[0] = sizes[0].saturating_add(to_add.saturating_sub(added)).max(0);
            }
            self.scale_rs(i, sizes[k], op);
        }
    }

    /// `FindActiveOrLatest`.
    fn find_active_or_latest(&self) -> Option<usize> {
        let mut old = self.old_indices();
        if self.new_rs.is_none() && old.is_empty() {
            return None;
        }
        old.sort_by(|a, b| util::by_creation(&self.rss[*b].obj, &self.rss[*a].obj));
        let mut all = old.clone();
        all.extend(self.new_rs);
        let active = self.active(&all);
        match active.len() {
            0 => self.new_rs.or(old.first().copied()),
            1 => Some(active[0]),
            _ => None,
        }
    }

    /// `IsSaturated`.
    fn is_saturated(&self) -> bool {
        let Some(i) = self.new_rs else { return false };
        let rs = &self.rss[i].obj;
        let want = d_replicas(&self.d);
        rs_replicas(rs) == want
            && util::desired_annotation(rs) == Some(want)
            && rs_status(rs).2 == want
    }

    /// `GetProportion` / `getReplicaSetFraction`.
    fn proportion(&self, i: usize, to_add: i32, added: i32) -> i32 {
        let rs = &self.rss[i].obj;
        let cur = rs_replicas(rs);
        if cur == 0 || to_add == 0 || to_add == added {
            return 0;
        }
        let want = d_replicas(&self.d);
        let fraction = if want == 0 {
            -cur
        } else {
            let deployment_replicas = want.saturating_add(util::max_surge(&self.d));
            let annotated = util::max_annotation(rs)
                .unwrap_or_else(|| self.d.status.as_ref().and_then(|s| s.replicas).unwrap_or(0));
            let size = f64::from(cur) * f64::from(deployment_replicas) / f64::from(annotated);
            ((size + 0.5).floor() as i32).saturating_sub(cur)
        };
        let allowed = to_add.saturating_sub(added);
        if to_add > 0 { fraction.min(allowed) } else { fraction.max(allowed) }
    }

    /// `scaleReplicaSetAndRecordEvent`.
    fn scale_and_record(&mut self, i: usize, n: i32) -> bool {
        let cur = rs_replicas(&self.rss[i].obj);
        if cur == n {
            return false;
        }
        self.scale_rs(i, n, if cur < n { "up" } else { "down" })
    }

    /// `scaleReplicaSet`: sets replicas and the replica annotations; records
    /// `Scaled <op> replica set <rs> to <n>` when the size changed.
    fn scale_rs(&mut self, i: usize, n: i32, op: &str) -> bool {
        let want = d_replicas(&self.d);
        let max = want.saturating_add(util::max_surge(&self.d));
        let rs = &mut self.rss[i].obj;
        let old = rs_replicas(rs);
        let size_changed = old != n;
        if !size_changed && !util::replicas_annotations_need_update(rs, want, max) {
            return false;
        }
        util::set_rs_replicas(rs, n);
        util::set_replicas_annotations(rs, want, max);
        let name = rs.metadata.name.clone().unwrap_or_default();
        if size_changed {
            let version = self.view.config.version;
            let msg = if version.has(Fact::ScalingEventFromTo) {
                format!("Scaled {op} replica set {name} from {old} to {n}")
            } else if version.has(Fact::ScalingEventNamesOldSize) {
                format!("Scaled {op} replica set {name} to {n} from {old}")
            } else {
                format!("Scaled {op} replica set {name} to {n}")
            };
            self.event(msg);
        }
        size_changed
    }

    /// `rolloutRolling`.
    fn rollout_rolling(&mut self) -> Result<(), Abort> {
        self.get_all_and_sync_revision(true)?;
        if self.reconcile_new_rs() || self.reconcile_old_rss() {
            self.sync_rollout_status();
            return Ok(());
        }
        let status = self.d.status.clone().unwrap_or_default();
        if util::deployment_complete(&self.d, &status) {
            self.cleanup();
        }
        self.sync_rollout_status();
        Ok(())
    }

    /// `reconcileNewReplicaSet`.
    fn reconcile_new_rs(&mut self) -> bool {
        let Some(i) = self.new_rs else { return false };
        let want = d_replicas(&self.d);
        let cur = rs_replicas(&self.rss[i].obj);
        if cur == want {
            return false;
        }
        if cur > want {
            return self.scale_and_record(i, want);
        }
        let all: Vec<&ReplicaSet> =
            self.all_indices().into_iter().map(|k| &self.rss[k].obj).collect();
        let n = new_rs_new_replicas(&self.d, &all, &self.rss[i].obj);
        self.scale_and_record(i, n)
    }

    /// `reconcileOldReplicaSets`.
    fn reconcile_old_rss(&mut self) -> bool {
        let old = self.active(&self.old_indices());
        if self.sum_spec(&old) == 0 {
            return false;
        }
        let Some(new) = self.new_rs else { return false };
        let all = self.all_indices();
        let all_pods = self.sum_spec(&all);
        let min_available = d_replicas(&self.d).saturating_sub(util::max_unavailable(&self.d));
        let new_unavailable =
            rs_replicas(&self.rss[new].obj).saturating_sub(rs_status(&self.rss[new].obj).2);
        let max_scaled_down =
            all_pods.saturating_sub(min_available).saturating_sub(new_unavailable);
        if max_scaled_down <= 0 {
            return false;
        }
        let cleaned = self.cleanup_unhealthy(&old, max_scaled_down);
        let scaled = self.scale_down_old_for_rolling(&old);
        cleaned.saturating_add(scaled) > 0
    }

    /// `cleanupUnhealthyReplicas`: scale down old ReplicaSets' unavailable pods first.
    fn cleanup_unhealthy(&mut self, old: &[usize], max: i32) -> i32 {
        let mut sorted = old.to_vec();
        sorted.sort_by(|a, b| util::by_creation(&self.rss[*a].obj, &self.rss[*b].obj));
        let mut total = 0;
        for i in sorted {
            if total >= max {
                break;
            }
            let rs = &self.rss[i].obj;
            let (spec, avail) = (rs_replicas(rs), rs_status(rs).2);
            if spec == 0 || spec == avail {
                continue;
            }
            let n = max.saturating_sub(total).min(spec.saturating_sub(avail));
            self.scale_and_record(i, spec.saturating_sub(n));
            total = total.saturating_add(n);
        }
        total
    }

    /// `scaleDownOldReplicaSetsForRollingUpdate`.
    fn scale_down_old_for_rolling(&mut self, old: &[usize]) -> i32 {
        let min_available = d_replicas(&self.d).saturating_sub(util::max_unavailable(&self.d));
        let available = self.sum_available(&self.all_indices());
        if available <= min_available {
            return 0;
        }
        let mut sorted = old.to_vec();
        sorted.sort_by(|a, b| util::by_creation(&self.rss[*a].obj, &self.rss[*b].obj));
        let target = available.saturating_sub(min_available);
        let mut total = 0;
        for i in sorted {
            if total >= target {
                break;
            }
            let spec = rs_replicas(&self.rss[i].obj);
            if spec == 0 {
                continue;
            }
            let n = spec.min(target.saturating_sub(total));
            self.scale_and_record(i, spec.saturating_sub(n));
            total = total.saturating_add(n);
        }
        total
    }

    /// `rolloutRecreate`.
    fn rollout_recreate(&mut self) -> Result<(), Abort> {
        self.get_all_and_sync_revision(false)?;
        let mut scaled_down = false;
        for i in self.active(&self.old_indices()) {
            scaled_down |= self.scale_and_record(i, 0);
        }
        if scaled_down || self.old_pods_running() {
            self.sync_rollout_status();
            return Ok(());
        }
        if self.new_rs.is_none() {
            self.get_all_and_sync_revision(true)?;
        }
        if let Some(i) = self.new_rs {
            self.scale_and_record(i, d_replicas(&self.d));
        }
        let status = self.d.status.clone().unwrap_or_default();
        if util::deployment_complete(&self.d, &status) {
            self.cleanup();
        }
        self.sync_rollout_status();
        Ok(())
    }

    /// `oldPodsRunning`: old ReplicaSets still report pods, or pods they own
    /// (even terminating ones) have not finished.
    fn old_pods_running(&self) -> bool {
        let old = self.old_indices();
        if old.iter().map(|i| rs_status(&self.rss[*i].obj).0).sum::<i32>() > 0 {
            return true;
        }
        let old_uids: Vec<&str> =
            old.iter().filter_map(|i| self.rss[*i].obj.metadata.uid.as_deref()).collect();
        let selector = self.selector();
        self.view.store.all::<Pod>(Some(self.ns())).any(|p| {
            selector_matches(&selector, p.metadata.labels.as_ref())
                && podutil::controller_of(&p.metadata)
                    .is_some_and(|o| old_uids.contains(&o.uid.as_str()))
                && !matches!(podutil::phase(p), "Succeeded" | "Failed")
        })
    }

    /// `cleanupDeployment`: delete the oldest surplus ReplicaSets beyond
    /// revisionHistoryLimit that are fully scaled down.
    fn cleanup(&mut self) {
        let Some(limit) = self.d.spec.as_ref().and_then(|s| s.revision_history_limit) else {
            return;
        };
        let mut cleanable: Vec<usize> = self
            .old_indices()
            .into_iter()
            .filter(|i| {
                self.rss[*i].orig.is_some()
                    && self.rss[*i].obj.metadata.deletion_timestamp.is_none()
                    && !self.rss[*i].delete
            })
            .collect();
        let diff = (cleanable.len() as i32).saturating_sub(limit);
        if diff <= 0 {
            return;
        }
        cleanable.sort_by(|a, b| {
            let (ra, rb) = (&self.rss[*a].obj, &self.rss[*b].obj);
            util::revision(ra).cmp(&util::revision(rb)).then_with(|| util::by_creation(ra, rb))
        });
        for &i in cleanable.iter().take(diff as usize) {
            let rs = &self.rss[i].obj;
            let observed = rs.status.as_ref().and_then(|s| s.observed_generation).unwrap_or(0);
            if rs_status(rs).0 != 0
                || rs_replicas(rs) != 0
                || rs.metadata.generation.unwrap_or(0) > observed
            {
                continue;
            }
            self.rss[i].delete = true;
        }
    }

    /// `GetTerminatingReplicaCountForReplicaSets`: the sum of the
    /// ReplicaSets' `terminatingReplicas`, none if a synced one has not
    /// reported it (a never-synced one does not count).
    fn terminating_replicas(&self, idx: &[usize]) -> Option<i32> {
        let mut sum = 0i32;
        for i in idx {
            let status = self.rss[*i].obj.status.as_ref();
            match status.and_then(|s| s.terminating_replicas) {
                Some(n) => sum = sum.saturating_add(n),
                None if status.and_then(|s| s.observed_generation).unwrap_or(0) == 0 => {}
                None => return None,
            }
        }
        Some(sum)
    }

    /// `calculateStatus`.
    fn calculate_status(&self) -> DeploymentStatus {
        let all = self.all_indices();
        let available = self.sum_available(&all);
        let unavailable = self.sum_spec(&all).saturating_sub(available).max(0);
        let sum = |f: fn((i32, i32, i32)) -> i32, idx: &[usize]| -> i32 {
            idx.iter().map(|i| f(rs_status(&self.rss[*i].obj))).fold(0, i32::saturating_add)
        };
        let old = self.d.status.clone().unwrap_or_default();
        let mut status = DeploymentStatus {
            observed_generation: self.d.metadata.generation,
            replicas: util::nz(sum(|s| s.0, &all)),
            updated_replicas: util::nz(sum(|s| s.0, &self.new_rs.into_iter().collect::<Vec<_>>())),
            ready_replicas: util::nz(sum(|s| s.1, &all)),
            available_replicas: util::nz(available),
            unavailable_replicas: util::nz(unavailable),
            collision_count: old.collision_count,
            conditions: old.conditions,
            terminating_replicas: if self.view.config.version.has(Fact::TerminatingReplicasStatus) {
                self.terminating_replicas(&all)
            } else {
                None
            },
        };
        let now = self.view.now;
        let cond =
            if available >= d_replicas(&self.d).saturating_sub(util::max_unavailable(&self.d)) {
                util::new_condition(
                    "Available",
                    "True",
                    "MinimumReplicasAvailable",
                    "Deployment has minimum availability.".to_owned(),
                    now,
                )
            } else {
                util::new_condition(
                    "Available",
                    "False",
                    "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.".to_owned(),
                    now,
                )
            };
        util::set_condition(&mut status, cond);
        status
    }

    /// `syncDeploymentStatus`.
    fn sync_deployment_status(&mut self) {
        let status = self.calculate_status();
        self.d.status = Some(status);
    }

    /// `syncRolloutStatus`: counts plus the Progressing condition.
    fn sync_rollout_status(&mut self) {
        let mut status = self.calculate_status();
        let now = self.view.now;
        let deadline = util::progress_deadline(&self.d);
        if deadline.is_none() {
            util::remove_condition(&mut status, "Progressing");
        }
        let old = self.d.status.clone().unwrap_or_default();
        let current = util::get_condition(&old, "Progressing").cloned();
        let complete = status.replicas == status.updated_replicas
            && current
                .as_ref()
                .is_some_and(|c| c.reason.as_deref() == Some("NewReplicaSetAvailable"));
        let new_name =
            self.new_rs.map(|i| self.rss[i].obj.metadata.name.clone().unwrap_or_default());
        let subject = |what: &str| match &new_name {
            Some(n) => format!("ReplicaSet {n:?} {what}"),
            None => format!(
                "Deployment {:?} {what}",
                self.d.metadata.name.as_deref().unwrap_or_default()
            ),
        };
        if deadline.is_some() && !complete {
            if util::deployment_complete(&self.d, &status) {
                let c = util::new_condition(
                    "Progressing",
                    "True",
                    "NewReplicaSetAvailable",
                    subject("has successfully progressed."),
                    now,
                );
                util::set_condition(&mut status, c);
            } else if util::deployment_progressing(&self.d, &status) {
                let mut c = util::new_condition(
                    "Progressing",
                    "True",
                    "ReplicaSetUpdated",
                    subject("is progressing."),
                    now,
                );
                if let Some(cur) = &current {
                    if cur.status == "True" {
                        c.last_transition_time = cur.last_transition_time.clone();
                    }
                    util::remove_condition(&mut status, "Progressing");
                }
                util::set_condition(&mut status, c);
            } else if util::deployment_timed_out(&self.d, &status, now) {
                let c = util::new_condition(
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    subject("has timed out progressing."),
                    now,
                );
                util::set_condition(&mut status, c);
            }
        }
        // `getReplicaFailures` (`progress.go`): the new ReplicaSet's
        // ReplicaFailure condition, else an old one's, becomes the
        // Deployment's (`ReplicaSetToDeploymentCondition`: its transition
        // time is the update time too).
        let failure = self
            .new_rs
            .into_iter()
            .chain((0..self.rss.len()).filter(|i| Some(*i) != self.new_rs))
            .filter_map(|i| self.rss[i].obj.status.as_ref())
            .flat_map(|s| s.conditions.iter().flatten())
            .find(|c| c.type_ == "ReplicaFailure")
            .map(|c| k8s_openapi::api::apps::v1::DeploymentCondition {
                type_: c.type_.clone(),
                status: c.status.clone(),
                reason: c.reason.clone(),
                message: c.message.clone(),
                last_transition_time: c.last_transition_time.clone(),
                last_update_time: c.last_transition_time.clone(),
            });
        match failure {
            Some(c) => util::set_condition(&mut status, c),
            None => util::remove_condition(&mut status, "ReplicaFailure"),
        }
        self.d.status = Some(status);
    }
}

/// `NewRSNewReplicas`: how far the new ReplicaSet may grow now.
fn new_rs_new_replicas(d: &Deployment, all: &[&ReplicaSet], new: &ReplicaSet) -> i32 {
    let want = d_replicas(d);
    if !util::is_rolling_update(d) {
        return want;
    }
    let surge = util::scaled_value(
        d.spec
            .as_ref()
            .and_then(|s| s.strategy.as_ref())
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.max_surge.as_ref()),
        want,
        true,
    );
    let current = all.iter().map(|rs| rs_replicas(rs)).fold(0, i32::saturating_add);
    let max_total = want.saturating_add(surge);
    if current >= max_total {
        return rs_replicas(new);
    }
    let up = max_total.saturating_sub(current).min(want.saturating_sub(rs_replicas(new)));
    rs_replicas(new).saturating_add(up)
}
