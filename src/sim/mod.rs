//! The simulated cluster: an in-process Kubernetes control plane (object
//! store, admission, controllers, scheduler, kubelets) on a virtual clock.
//!
//! **Pure**: no I/O, no wall clock, no global state, no randomness except the
//! RNG seeded from [`ClusterConfig::seed`]. Time moves only through
//! [`Cluster::step`] and [`Cluster::advance`]. The same config and the same
//! calls give byte-identical results on every machine.
//!
//! `sim` speaks the Kubernetes API (objects; create/get/list/update/delete);
//! it knows nothing of kubectl's text.

pub mod admission;
pub mod api;
pub mod auth;
mod bootstrap;
pub mod cluster;
pub mod config;
pub mod controllers;
pub mod conversion;
pub mod crd;
pub mod cron;
pub mod daemon_pods;
pub mod disruption;
pub mod error;
pub mod event_conversion;
pub mod events;
pub mod eviction;
pub mod flavor;
pub mod hpa_conversion;
pub mod images;
pub mod job_pods;
pub mod kind;
pub mod labels;
pub mod metrics;
pub mod names;
pub mod net;
pub mod node_usage;
pub mod object;
pub mod omitempty;
pub mod pod_tally;
pub mod podutil;
pub mod process;
pub mod profiles;
pub mod qos;
pub mod queue;
pub mod quota;
pub mod registry;
pub mod rng;
pub mod runtime;
pub mod store;
pub mod time;
pub mod traffic;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_disruption;
#[cfg(test)]
mod tests_images;
#[cfg(test)]
mod tests_process;
#[cfg(test)]
mod tests_workloads;

pub use cluster::{Cluster, DeleteOptions};
pub use config::{ClusterConfig, NodeConfig};
pub use error::ApiError;
pub use kind::Kind;
pub use object::{GenericObject, Object, ObjectRef, Resource};
pub use profiles::profile;
pub use store::Store;
