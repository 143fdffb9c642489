//! End-to-end tests of the `kubeplay` binary, one test binary with a module
//! per area (as cargo's own testsuite is laid out: one link, shared support).

mod bless;
mod diff_backends;
mod format;
mod front_matter;
mod kubectl_backend;
mod network;
mod robustness;
mod run;
mod session;
mod support;
mod watch;
