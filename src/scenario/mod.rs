//! Scenarios: the model and its Markdown and YAML parsers.

pub mod model;

pub use model::*;
