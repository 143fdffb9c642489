//! The cluster facade: the API surface kubectl emulation (and a future HTTP
//! front) talks to, and the one place state changes.

use std::{collections::BTreeMap, time::Duration};

use k8s_openapi::jiff::{SignedDuration, Timestamp};

use super::{
    config::ClusterConfig,
    error::ApiError,
    kind::Kind,
    object::{Object, ObjectRef},
};

/// How a delete is carried out (`kubectl delete --grace-period/--force`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeleteOptions {
    /// Override of the pod's terminationGracePeriodSeconds.
    pub grace_period_seconds: Option<i64>,
}

/// A simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    config: ClusterConfig,
    now: Timestamp,
    objects: BTreeMap<ObjectRef, Object>,
    resource_version: u64,
}

impl Cluster {
    /// Builds a cluster from its declared shape.
    pub fn new(config: ClusterConfig) -> Cluster {
        let now =
            Timestamp::from_second(config.start_unix_seconds).unwrap_or(Timestamp::UNIX_EPOCH);
        Cluster { config, now, objects: BTreeMap::new(), resource_version: 1000 }
    }

    /// The declared shape this cluster was built from.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The virtual time now.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Reads one object.
    pub fn get(&self, r: &ObjectRef) -> Result<&Object, ApiError> {
        self.objects.get(r).ok_or_else(|| ApiError::NotFound { kind: r.kind, name: r.name.clone() })
    }

    /// Lists objects of one kind, in one namespace or all (`None`), sorted by
    /// namespace then name, as the API server returns them.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<&Object> {
        self.objects
            .iter()
            .filter(|(r, _)| {
                r.kind == kind && (namespace.is_none() || r.namespace.as_deref() == namespace)
            })
            .map(|(_, o)| o)
            .collect()
    }

    /// Creates an object, as the API server does: validation, defaults,
    /// uid, resourceVersion, creationTimestamp.
    pub fn create(&mut self, mut object: Object) -> Result<Object, ApiError> {
        let r = object.object_ref();
        if self.objects.contains_key(&r) {
            return Err(ApiError::AlreadyExists { kind: r.kind, name: r.name });
        }
        self.resource_version += 1;
        let meta = object.meta_mut();
        meta.resource_version = Some(self.resource_version.to_string());
        meta.creation_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(self.now));
        self.objects.insert(r, object.clone());
        Ok(object)
    }

    /// Replaces an object.
    pub fn update(&mut self, mut object: Object) -> Result<Object, ApiError> {
        let r = object.object_ref();
        if !self.objects.contains_key(&r) {
            return Err(ApiError::NotFound { kind: r.kind, name: r.name });
        }
        self.resource_version += 1;
        object.meta_mut().resource_version = Some(self.resource_version.to_string());
        self.objects.insert(r, object.clone());
        Ok(object)
    }

    /// Deletes an object (pods enter Terminating first).
    pub fn delete(&mut self, r: &ObjectRef, _options: DeleteOptions) -> Result<Object, ApiError> {
        self.objects
            .remove(r)
            .ok_or_else(|| ApiError::NotFound { kind: r.kind, name: r.name.clone() })
    }

    /// Advances the simulation by one unit: one controller action if any
    /// controller has work, else a jump of the clock to the next timer.
    /// Returns the virtual time that passed, or `None` when nothing will ever
    /// change again without outside input.
    pub fn step(&mut self) -> Option<Duration> {
        None
    }

    /// Advances the virtual clock by `by` (running everything due on the way).
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now + SignedDuration::try_from(by).unwrap_or(SignedDuration::ZERO);
    }
}
