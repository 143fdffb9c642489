//! The simulator as an API server (DESIGN §8): what a kube-apiserver of the
//! cluster's version serves and how a client resolves names against it.
//!
//! Pure: the facts are a committed table ([`discovery`]), read at compile
//! time; nothing here does I/O.

pub mod discovery;
pub mod discovery_documents;
pub mod field_manager;
pub mod field_path;
pub mod field_schema;
pub mod field_tracking;
pub mod field_validation;
pub mod go_json;
pub mod go_object;
pub mod raw;

pub use discovery::{Discovery, ServedGroup, ServedResource};
