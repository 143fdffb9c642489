//! kubeplay's exit statuses, the same on `run`, `list` and `check`
//! (README "Exit status"). One place, so the CLI, the docs and the tests
//! agree.

/// Every scenario passed (or was skipped or a declared known failure);
/// `check`/`list`: every file parsed.
pub const SUCCESS: u8 = 0;
/// A scenario failed (its output differs from the tutorial's, or a
/// known-failure scenario passed).
pub const FAILED: u8 = 1;
/// A usage or infrastructure error, or a scenario that could not run: a
/// file that cannot be read or parsed is this status on `run`, `list` and
/// `check` alike, so a script gets the same answer from each.
pub const ERROR: u8 = 2;
/// No failure, but a scenario stopped at something kubeplay cannot emulate
/// (the `unsupported` verdict).
pub const UNSUPPORTED: u8 = 3;
