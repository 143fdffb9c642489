//! kubectl emulation on top of [`crate::sim`]: argv parsing, verbs, printers
//! (tables, describe), and kubectl's exact messages and exit codes.
//!
//! The emulated kubectl is v1.22 (the version of the seed tutorial), with
//! version checks where later releases changed a text. Arguments are parsed
//! by a small pflag/cobra replica ([`args`], [`commands`]) rather than clap,
//! because kubectl's own error texts and grammar quirks are part of what
//! tutorials show (see [`args`]).

pub mod args;
pub mod commands;
pub mod error;
pub mod labels;
pub mod messages;
pub mod printers;
