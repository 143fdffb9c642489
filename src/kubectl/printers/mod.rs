//! Output formats: table cells ([`table`]), their layout ([`layout`]),
//! ages ([`duration`]), timestamps ([`timestamp`]), `describe` pages
//! ([`describe`]) and typed objects as Go's JSON encoding writes them
//! ([`go_json`], [`go_struct`]).

pub mod describe;
pub mod duration;
pub mod generic;
pub mod go_json;
pub mod go_struct;
pub mod gotemplate;
pub mod layout;
pub mod table;
pub mod table_generic;
pub mod table_resourcequota;
pub mod timestamp;
pub mod yaml;
