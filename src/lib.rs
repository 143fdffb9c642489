//! kubeplay turns Kubernetes tutorials into tests.
//!
//! A scenario file (Markdown or YAML) transcribes a tutorial: the commands a
//! reader types and the output the tutorial shows. kubeplay replays it against
//! a [`backend::Backend`] — the built-in simulator or a real cluster — and
//! checks every output.
//!
//! Data flows one way (see `DESIGN.md` §1):
//!
//! ```text
//! scenario file ─parse─▶ Scenario ─run─▶ Backend ─▶ Output ─match─▶ Verdict ─▶ report / snapshot
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`scenario`] | the scenario model and its Markdown / YAML parsers |
//! | [`matching`] | expected vs actual: volatile tokens, bindings, tables, diffs |
//! | [`shell`] | the tutorial shell: pipelines, `grep`, `? N` |
//! | [`textutil`] | pure text filters (`grep`, `wc`, ...) both shells pipe through |
//! | [`runner`] | running scenarios, "eventually" retries, reports, snapshots |
//! | [`backend`] | the `Backend` trait, the simulator and real-kubectl backends |
//! | [`sim`] | the simulated cluster: store, virtual clock, controllers (pure) |
//! | [`kubectl`] | kubectl emulation on top of `sim`: argv, verbs, printers |
//! | [`exit`] | the exit statuses of the CLI |
//! | [`sink`] | the CLI's standard output, which a closed pipe ends quietly |
//! | [`duration`] | Go's duration units, shared by kubectl flags and scenarios |
//! | [`quantity`] | Kubernetes resource quantities, shared by kubectl and scenarios |

pub mod backend;
pub mod duration;
pub mod exit;
pub mod kubectl;
pub mod matching;
pub mod output;
pub mod quantity;
pub mod runner;
pub mod scenario;
pub mod shell;
pub mod sim;
pub mod sink;
pub mod textutil;
pub mod version;
pub mod workspace;
pub mod yaml;
