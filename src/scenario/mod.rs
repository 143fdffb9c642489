//! Scenarios: the model and its Markdown and YAML parsers (DESIGN §2).
//!
//! [`load`] reads a file and [`parse_file`] parses text, choosing the format
//! by extension: `.md` / `.markdown` are Markdown transcripts, `.yaml` /
//! `.yml` are YAML step lists. Both produce the same [`Scenario`]. Bad input
//! is a [`ParseError`] with file, line, column and a stable code — never a
//! panic. [`check`] lints a parsed scenario for `kubeplay check`.
//!
//! Markdown conventions beyond DESIGN §2, taken from real tutorials:
//! - a command's trailing `  // note` (after two or more blanks) is a
//!   comment, like ` # note`: Chinese-language tutorials annotate commands
//!   that way (`kubectl scale ... --replicas=5   //增加pod副本数`);
//! - blank lines between a command and its output are ignored (blog
//!   platforms double-space pasted transcripts);
//! - `sh` / `bash` / `shell` blocks are transcripts only if they contain a
//!   prompt line; otherwise they are scripts shown to the reader (prose);
//! - `timeout=30s` on a command block sets each command's timeout.

mod bounds;
mod console;
mod duration;
mod error;
mod front;
mod lint;
mod markdown;
pub mod model;
mod prompt_guess;
mod session;
mod values;
mod yaml_format;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use bounds::{MAX_LINE_BYTES, MAX_WILDCARDS_PER_LINE};
pub use duration::parse_duration;
pub use error::{ErrorCode, LoadError, ParseError};
pub use lint::{Diagnostic, check};
pub use markdown::parse_markdown;
pub use model::*;
pub(crate) use session::ends_session;
pub use yaml_format::parse_yaml;

/// The scenario formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.md`, `.markdown`.
    Markdown,
    /// `.yaml`, `.yml`.
    Yaml,
}

impl Format {
    /// The format of `path` by its extension (case-insensitive), if any.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// Whether `path` names a scenario file (by extension), for directory walks.
pub fn is_scenario_file(path: &Path) -> bool {
    Format::of(path).is_some()
}

/// Parses scenario `text` read from `path`, choosing the format by the
/// extension. `Scenario::path` is `path` as given.
pub fn parse_file(path: &Path, text: &str) -> Result<Scenario, ParseError> {
    bounds::check(path, text)?;
    let scenario = match Format::of(path) {
        Some(Format::Markdown) => parse_markdown(path, text),
        Some(Format::Yaml) => parse_yaml(path, text),
        None => Err(ParseError::new(
            path,
            Span { line: 1, column: 1 },
            ErrorCode::UnknownFormat,
            "not a scenario file: expected a .md, .markdown, .yaml or .yml extension",
        )),
    }?;
    Ok(apply_vars(scenario))
}

/// Substitutes front-matter `vars` into every command, setup line, file and
/// expected output. Longer placeholders first, so `<pod>` never eats into
/// `<pod-name>`.
fn apply_vars(mut scenario: Scenario) -> Scenario {
    if scenario.meta.vars.is_empty() {
        return scenario;
    }
    let mut vars: Vec<(String, String)> =
        scenario.meta.vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    vars.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    let subst = |text: &mut String| {
        for (name, value) in &vars {
            if text.contains(name.as_str()) {
                *text = text.replace(name.as_str(), value);
            }
        }
    };
    scenario.meta.setup.iter_mut().for_each(subst);
    for step in &mut scenario.steps {
        match &mut step.kind {
            StepKind::Run(command) => {
                subst(&mut command.line);
                subst(&mut command.expected.text);
                for typed in &mut command.session {
                    subst(&mut typed.input);
                    subst(&mut typed.shown);
                    subst(&mut typed.expected.text);
                }
            }
            StepKind::WriteFile { content, .. } | StepKind::Edit { content, .. } => subst(content),
            StepKind::CheckFile { expected, .. } => subst(&mut expected.text),
        }
    }
    scenario
}

/// Reads and parses the scenario file at `path`.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    let bytes =
        std::fs::read(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })?;
    Ok(parse_file(path, bounds::decode(path, &bytes)?)?)
}
