//! kubectl emulation on top of [`crate::sim`]: argv parsing, verbs, printers
//! (tables, describe), and kubectl's exact messages and exit codes.
