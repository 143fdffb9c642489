//! The API server's request path before storage: defaulting, mutating
//! admission (pods, services), validation. A rejected request leaves the
//! store unchanged — callers mutate a copy and store it only on success.

pub mod builtin_defaults;
pub mod builtin_validation;
pub mod custom;
pub mod defaults;
pub mod job;
pub mod pod;
pub mod service;
pub mod unmodelled;
pub mod update;
pub mod validation;

use super::{
    config::ClusterConfig, error::ApiError, object::Object, registry::Registry, rng::Rng,
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
}

impl Admission<'_> {
    /// Defaults, mutates and validates `object` for a create (or, with
    /// `old`, an update).
    pub fn admit(&mut self, object: &mut Object, old: Option<&Object>) -> Result<(), ApiError> {
        defaults::apply(object);
        builtin_defaults::apply(object, self.config.version.minor());
        let mut causes = Vec::new();
        match object {
            Object::Pod(p) if old.is_none() => pod::admit(p, self.rng),
            Object::Service(s) => {
                let old_svc = match old {
                    Some(Object::Service(o)) => Some(o),
                    _ => None,
                };
                if let Err(c) =
                    service::allocate(s, old_svc, self.store, &self.config.service_cidr, self.rng)
                {
                    causes.extend(c);
                }
            }
            Object::Generic(g) => causes.extend(custom::admit(g, old, self.registry)),
            _ => {}
        }
        causes.extend(validation::validate(object));
        if let Some(old) = old {
            causes.extend(update::validate(object, old));
        }
        if causes.is_empty() {
            return Ok(());
        }
        Err(ApiError::Invalid { kind: object.kind(), name: object.name().to_owned(), causes })
    }
}
