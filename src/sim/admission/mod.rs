//! The API server's request path before storage: defaulting, mutating
//! admission (pods, services), validation. A rejected request leaves the
//! store unchanged — callers mutate a copy and store it only on success.

pub mod bad_value;
pub mod builtin_defaults;
pub mod builtin_validation;
pub mod custom;
pub mod defaults;
pub mod ingress_class;
pub mod job;
pub mod limitranger;
pub mod pdb_validation;
pub mod pod;
pub mod resourcequota;
pub mod service;
pub mod storage_protection;
pub mod unmodelled;
pub mod update;
pub mod validation;

use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota, Secret, ServiceAccount};

use crate::version::Fact;

use super::{
    config::ClusterConfig, error::ApiError, object::Object, quota, registry::Registry, rng::Rng,
    store::Store,
};

/// What admission may read and use.
pub struct Admission<'a> {
    /// The store as it is before the request.
    pub store: &'a Store,
    /// The cluster's RNG (volume names, IPs, ports).
    pub rng: &'a mut Rng,
    /// The cluster's shape (service CIDR).
    pub config: &'a ClusterConfig,
    /// What the cluster serves (custom resources' schemas).
    pub registry: &'a Registry,
    /// The virtual time now (quota: pods past their grace period).
    pub now: k8s_openapi::jiff::Timestamp,
    /// ResourceQuotas charged by an admitted create, to be stored with it.
    pub charged: Vec<Object>,
}

/// The defaults the API server applies as it decodes a request
/// (`SetDefaults_*`), before the field manager records who set what:
/// what a writer owns includes them, but not what admission plugins and
/// registry strategies add afterwards.
pub fn decode_defaults(object: &mut Object, version: crate::version::KubeVersion) {
    if let Object::Job(j) = object {
        job::defaults(j, version);
    }
    defaults::apply(object);
    builtin_defaults::apply(object, version.minor());
    // `SetDefaults_Namespace` labels a namespace with its name (v1.21+).
    if let Object::Namespace(ns) = object
        && version.has(Fact::NamespaceNameLabel)
    {
        let name = ns.metadata.name.clone().unwrap_or_default();
        ns.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("kubernetes.io/metadata.name".to_owned(), name);
    }
}

impl Admission<'_> {
    /// Defaults, mutates and validates `object` for a create (or, with
    /// `old`, an update).
    pub fn admit(&mut self, object: &mut Object, old: Option<&Object>) -> Result<(), ApiError> {
        if let Object::Job(j) = object
            && old.is_none()
        {
            job::drop_disabled_fields(j, self.config.version);
        }
        if let Object::Job(j) = object {
            job::defaults(j, self.config.version);
        }
        // `CronJobTimeZone` alpha (off) in v1.24, on from v1.25: the
        // strategy drops `timeZone` before that.
        if let Object::CronJob(cj) = object
            && old.is_none()
            && !self.config.version.has(crate::version::Fact::CronJobTimeZone)
            && let Some(spec) = cj.spec.as_mut()
        {
            spec.time_zone = None;
        }
        // `spec.minReadySeconds` of a StatefulSet: unknown before v1.22,
        // dropped by the strategy's `dropStatefulSetDisabledFields` while
        // StatefulSetMinReadySeconds is off (v1.22).
        if old.is_none()
            && object.kind() == crate::sim::controllers::statefulset::sts_kind()
            && !self.config.version.has(Fact::StatefulSetMinReadySeconds)
            && let Object::Generic(g) = object
            && let Some(spec) = g.fields.get_mut("spec").and_then(|s| s.as_object_mut())
        {
            spec.remove("minReadySeconds");
        }
        // `spec.updateStrategy.rollingUpdate.maxUnavailable`: unknown
        // before v1.24, then dropped by `dropStatefulSetDisabledFields`
        // while MaxUnavailableStatefulSet is off (alpha, v1.24-v1.34; off
        // again from v1.35.4).
        if old.is_none()
            && object.kind() == crate::sim::controllers::statefulset::sts_kind()
            && !crate::sim::controllers::statefulset::max_unavailable_gate(self.config.version)
            && let Object::Generic(g) = object
            && let Some(rolling) = g
                .fields
                .get_mut("spec")
                .and_then(|s| s.pointer_mut("/updateStrategy/rollingUpdate"))
                .and_then(|r| r.as_object_mut())
        {
            rolling.remove("maxUnavailable");
        }
        // A budget's `spec.unhealthyPodEvictionPolicy`: unknown before
        // v1.26, dropped by the strategy's `dropDisabledFields` while
        // PDBUnhealthyPodEvictionPolicy is off (alpha, v1.26)
        // (`pkg/registry/policy/poddisruptionbudget/strategy.go`); an
        // update cannot bring in what no create kept.
        if object.kind() == crate::sim::controllers::disruption::pdb_kind()
            && !self.config.version.has(Fact::PdbUnhealthyPodEvictionPolicy)
            && let Object::Generic(g) = object
            && let Some(spec) = g.fields.get_mut("spec").and_then(|s| s.as_object_mut())
        {
            spec.remove("unhealthyPodEvictionPolicy");
        }
        defaults::apply(object);
        builtin_defaults::apply(object, self.config.version.minor());
        self.default_generic(object, old.is_none());
        if old.is_none() {
            storage_protection::admit(object);
        }
        let namespace = object.namespace().unwrap_or("default").to_owned();
        let mut causes = Vec::new();
        match object {
            Object::Pod(p) if old.is_none() => {
                limitranger::mutate_pod(p, &quota::limit_ranges(self.store, &namespace));
                if let Err(message) = pod::resolve_priority(p, self.store) {
                    return Err(ApiError::Forbidden {
                        resource: "pods".to_owned(),
                        name: p.metadata.name.clone().unwrap_or_default(),
                        message,
                    });
                }
                let token = if self.config.version.has(Fact::BoundServiceAccountTokenVolume) {
                    pod::TokenMount::Projected
                } else {
                    pod::TokenMount::LegacySecret(legacy_token(self.store, p, &namespace))
                };
                pod::admit(p, self.rng, token);
            }
            Object::Service(s) => {
                let old_svc = match old {
                    Some(Object::Service(o)) => Some(o),
                    _ => None,
                };
                if let Err(c) = service::allocate(
                    s,
                    old_svc,
                    self.store,
                    (&self.config.service_cidr, self.config.version),
                    self.rng,
                ) {
                    causes.extend(c);
                }
            }
            Object::Generic(g) => {
                if old.is_none() && g.kind == generic_pvc() {
                    default_storage_class(g, self.store);
                }
                if old.is_none() && ingress_class::is_ingress(g) {
                    ingress_class::admit(g, self.store, self.config.version)?;
                }
                if crate::sim::Kind::Other(g.kind) == pod::priority_class_kind() {
                    pod::admit_priority_class(g, old.is_none(), self.store)?;
                }
                causes.extend(custom::admit(g, old, self.registry))
            }
            _ => {}
        }
        causes.extend(validation::validate(object, self.config.version));
        if let Some(old) = old {
            causes.extend(update::validate(object, old, self.config.version));
        }
        if !causes.is_empty() {
            return Err(ApiError::Invalid {
                kind: object.kind(),
                name: object.name().to_owned(),
                causes,
            });
        }
        self.validate_limits(object, old.is_none(), &namespace)
    }

    /// Defaults of kinds stored generically: a LimitRange's
    /// (`SetDefaults_LimitRangeItem`); a ResourceQuota's hard limits in
    /// canonical form, and no status from the client (the strategy's
    /// `PrepareForCreate`; the quota controller fills it).
    fn default_generic(&self, object: &mut Object, create: bool) {
        let kind = object.kind();
        if kind == quota::limit_range_kind() {
            if let Some(mut lr) = quota::typed::<LimitRange>(object) {
                limitranger::default_limit_range(&mut lr);
                replace_fields(object, &lr);
            }
        } else if kind == quota::quota_kind()
            && let Some(mut q) = quota::typed::<ResourceQuota>(object)
        {
            if let Some(hard) = q.spec.as_mut().and_then(|s| s.hard.as_mut()) {
                *hard = quota::to_openapi(&quota::parse_list(Some(hard)));
            }
            if create {
                q.status = None;
            }
            replace_fields(object, &q);
        }
    }

    /// The validating admission plugins that read other objects:
    /// LimitRanger, then ResourceQuota (creates only), each rejection a
    /// Forbidden naming the object (its generated name, as name
    /// generation comes before validating admission).
    fn validate_limits(&mut self, object: &Object, create: bool, ns: &str) -> Result<(), ApiError> {
        let forbidden = |message: String| ApiError::Forbidden {
            resource: object.kind().info().group_resource(),
            name: object.name().to_owned(),
            message,
        };
        let limit_errors = match object {
            Object::Pod(p) if create => {
                limitranger::validate_pod(p, &quota::limit_ranges(self.store, ns))
            }
            Object::Generic(g) if object.kind() == quota::pvc_kind() => {
                let requests = g
                    .fields
                    .get("spec")
                    .and_then(|s| s.pointer("/resources/requests"))
                    .and_then(|r| serde_json::from_value(r.clone()).ok());
                limitranger::validate_claim(
                    &quota::parse_list(requests.as_ref()),
                    &quota::limit_ranges(self.store, ns),
                )
            }
            _ => Vec::new(),
        };
        if !limit_errors.is_empty() {
            return Err(forbidden(limitranger::aggregate(&limit_errors)));
        }
        if !create || !object.kind().info().namespaced {
            return Ok(());
        }
        let quotas = quota::quotas(self.store, ns);
        if quotas.is_empty() {
            return Ok(());
        }
        let charged =
            resourcequota::check_create(object, &quotas, self.now, self.config.version.minor())
                .map_err(forbidden)?;
        for q in charged {
            let value = serde_json::to_value(&q).unwrap_or_default();
            if let Ok(o) = Object::from_value_as(quota::quota_kind(), value) {
                self.charged.push(o);
            }
        }
        Ok(())
    }
}

fn generic_pvc() -> crate::sim::kind::Generic {
    match quota::pvc_kind() {
        crate::sim::Kind::Other(g) => g,
        _ => unreachable!("PersistentVolumeClaims are stored generically"),
    }
}

/// The `DefaultStorageClass` admission plugin
/// (`plugin/pkg/admission/storage/storageclass/setdefault`): a new claim
/// that names no class (neither field nor beta annotation) gets the
/// default class, when the cluster has one.
fn default_storage_class(
    claim: &mut crate::sim::object::GenericObject,
    store: &crate::sim::store::Store,
) {
    use crate::sim::controllers::persistentvolume::{DEFAULT_CLASS, storage_class_kind};
    let annotated = claim
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("volume.beta.kubernetes.io/storage-class"));
    let spec = claim.fields.entry("spec").or_insert_with(|| serde_json::json!({}));
    if annotated || spec.get("storageClassName").is_some_and(|c| !c.is_null()) {
        return;
    }
    let default = store.list(storage_class_kind(), None).find(|sc| {
        sc.meta().annotations.as_ref().and_then(|a| a.get(DEFAULT_CLASS)).map(String::as_str)
            == Some("true")
    });
    if let (Some(sc), Some(spec)) = (default, spec.as_object_mut()) {
        spec.insert("storageClassName".into(), sc.name().into());
    }
}

/// Replaces a generic object's fields with those of its typed form.
fn replace_fields<T: serde::Serialize>(object: &mut Object, typed: &T) {
    let Object::Generic(g) = object else { return };
    if let Ok(serde_json::Value::Object(mut map)) = serde_json::to_value(typed) {
        map.remove("metadata");
        map.remove("apiVersion");
        map.remove("kind");
        g.fields = map;
    }
}

/// The legacy token Secret of the pod's service account that the
/// ServiceAccount plugin mounts before v1.21 (`getReferencedServiceAccountToken`:
/// the first Secret the account lists that exists and is its token).
fn legacy_token(store: &Store, pod: &Pod, namespace: &str) -> Option<String> {
    let account = pod
        .spec
        .as_ref()
        .and_then(|s| s.service_account_name.as_deref().or(s.service_account.as_deref()))
        .filter(|n| !n.is_empty())
        .unwrap_or("default");
    let sa = store.get_typed::<ServiceAccount>(Some(namespace), account)?;
    sa.secrets.iter().flatten().filter_map(|r| r.name.clone()).find(|name| {
        store
            .get_typed::<Secret>(Some(namespace), name)
            .is_some_and(|s| s.type_.as_deref() == Some("kubernetes.io/service-account-token"))
    })
}
