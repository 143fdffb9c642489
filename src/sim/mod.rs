//! The simulated cluster: an in-process Kubernetes control plane (object
//! store, admission, controllers, scheduler, kubelets) on a virtual clock.
//!
//! **Pure**: no I/O, no wall clock, no global state, no randomness except the
//! RNG seeded from [`ClusterConfig::seed`]. Time moves only through
//! [`Cluster::step`]. The same config and the same calls give byte-identical
//! results on every machine.
//!
//! `sim` speaks the Kubernetes API (objects; create/get/list/update/delete);
//! it knows nothing of kubectl's text.

pub mod cluster;
pub mod config;
pub mod error;
pub mod kind;
pub mod object;

pub use cluster::Cluster;
pub use config::{ClusterConfig, NodeConfig};
pub use error::ApiError;
pub use kind::Kind;
pub use object::{Object, ObjectRef};
