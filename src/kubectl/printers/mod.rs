//! Output formats: table cells ([`table`]), their layout ([`layout`]),
//! ages ([`duration`]), timestamps ([`timestamp`]) and `describe` pages
//! ([`describe`]).

pub mod describe;
pub mod duration;
pub mod generic;
pub mod gotemplate;
pub mod layout;
pub mod table;
pub mod timestamp;
pub mod yaml;
