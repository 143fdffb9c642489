//! How a failed kubectl invocation reports itself: `cmdutil.CheckErr`
//! (`kubectl/pkg/cmd/util/helpers.go`) for errors a command returns, and
//! cobra's own `Error: ...` for argument errors (v1.22's `kubectl` binary
//! lets cobra print those; from v1.23 `cli.RunNoErrOutput` routes them
//! through `CheckErr` too, which writes `error: ...`).

use super::messages;
use crate::sim::ApiError;
use crate::version::Fact;

/// What a real cluster would hold of `kind` that the simulator does not
/// create (its default objects), if anything: a read that misses may be a
/// miss only here.
pub fn defaults_gap(kind: crate::sim::Kind) -> Option<String> {
    match crate::sim::registry::gap(kind) {
        Some(crate::sim::registry::Gap::Defaults(what)) => {
            Some(format!("{what} of a real cluster (not modelled)"))
        }
        _ => None,
    }
}

/// A kubectl failure; exit status 1 unless [`KubectlError::Exit`] says
/// otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubectlError {
    /// An argument error cobra prints itself (unknown flag, missing value,
    /// required flag). `run_hint` adds cobra's `Run 'kubectl --help' for
    /// usage.` line (errors from `Find`).
    Cobra {
        /// The message.
        message: String,
        /// Whether cobra adds its help hint line.
        run_hint: bool,
    },
    /// Printed verbatim with `Error: ` (kubectl's plugin handler).
    Plugin(String),
    /// A message `cmdutil.StandardErrorMessage` gives for an error it knows
    /// (a REST mapper's no-match: `the server doesn't have a resource type
    /// "foos"`), printed as is, without `error: `.
    Standard(String),
    /// Any other error handed to `CheckErr`: `error: <msg>`.
    Message(String),
    /// An API status error: `Error from server (<Reason>): <msg>`.
    Api(ApiError),
    /// An API status error about an object from a file
    /// (`cmdutil.AddSourceToErr`): `Error from server (<Reason>): error when
    /// <verb> "<file>": <msg>`.
    ApiFromFile {
        /// The API error.
        err: ApiError,
        /// `creating`, `applying patch ...`.
        verb: String,
        /// The file name.
        source: String,
    },
    /// Several errors (`utilerrors.Aggregate`), one line each.
    Aggregate(Vec<KubectlError>),
    /// Exit silently with a status (`cmdutil.ErrExit`).
    Exit(i32),
    /// `the server doesn't have a resource type "X"`: a resource argument
    /// the cluster's discovery does not know.
    UnknownResource(String),
    /// `unable to recognize "FILE": no matches for kind "K" in version
    /// "V"`: a manifest's kind the REST mapper does not know.
    NoKindMatch {
        /// The file.
        path: String,
        /// The manifest's kind.
        kind: String,
        /// The manifest's apiVersion.
        api_version: String,
        /// The object's name, as written in the file.
        name: String,
        /// The object's namespace, as written in the file (often none).
        namespace: String,
    },
    /// Something kubeplay's kubectl cannot emulate, named (`kubectl
    /// explain`, `-o jsonpath-as-json`). Not kubectl output: the step's
    /// verdict is `unsupported`.
    Unsupported(String),
}

impl From<ApiError> for KubectlError {
    fn from(err: ApiError) -> Self {
        KubectlError::Api(err)
    }
}

impl KubectlError {
    /// A plain message error.
    pub fn msg(message: impl Into<String>) -> Self {
        KubectlError::Message(message.into())
    }

    /// Something kubeplay cannot emulate; `what` names it.
    pub fn unsupported(what: impl Into<String>) -> Self {
        KubectlError::Unsupported(what.into())
    }

    /// What kubeplay cannot emulate behind this error: an unsupported
    /// thing, or a miss on a kind whose default objects the simulator does
    /// not create (see [`defaults_gap`]).
    pub fn limitation(&self) -> Option<String> {
        match self {
            KubectlError::Unsupported(what) => Some(what.clone()),
            KubectlError::Api(ApiError::NotFound { kind, name })
            | KubectlError::ApiFromFile { err: ApiError::NotFound { kind, name }, .. } => {
                defaults_gap(*kind)
                    .map(|what| format!("{} {name:?}: {what}", kind.info().kind_name))
            }
            KubectlError::Aggregate(errors) => errors.iter().find_map(|e| e.limitation()),
            _ => None,
        }
    }

    /// The exit status kubectl ends with.
    pub fn status(&self) -> i32 {
        match self {
            KubectlError::Exit(code) => *code,
            _ => 1,
        }
    }

    /// The text kubectl writes to stderr, for a cluster at minor version
    /// `minor`.
    pub fn render(&self, minor: u32) -> String {
        let text = match self {
            KubectlError::Cobra { message, run_hint } => {
                if Fact::CobraErrorsLowerCase.holds_at(minor) {
                    prefixed(message)
                } else {
                    let mut out = format!("Error: {message}\n");
                    if *run_hint {
                        out.push_str(messages::RUN_HELP_HINT);
                    }
                    out
                }
            }
            KubectlError::Plugin(message) => format!("Error: {message}\n"),
            KubectlError::Standard(message) => message.clone(),
            KubectlError::Aggregate(errors) if errors.len() == 1 => errors[0].render(minor),
            KubectlError::Aggregate(errors) => {
                errors.iter().map(|e| with_newline(e.message_for_error(minor))).collect()
            }
            KubectlError::Exit(_) | KubectlError::Unsupported(_) => String::new(),
            KubectlError::Api(err) => api_message(err, minor),
            KubectlError::ApiFromFile { .. } => self.message_for_error(minor),
            KubectlError::Message(m) => prefixed(m),
            KubectlError::UnknownResource(_) | KubectlError::NoKindMatch { .. } => {
                prefixed(&self.message_for_error(minor))
            }
        };
        with_newline(text)
    }

    /// `cmdutil.messageForError`: the standard message without `error: `.
    fn message_for_error(&self, minor: u32) -> String {
        match self {
            KubectlError::Api(err) => api_message(err, minor),
            KubectlError::ApiFromFile { err, verb, source } => match err {
                ApiError::Invalid { .. } | ApiError::InvalidRequest { .. } => {
                    api_message(err, minor)
                }
                ApiError::Internal(_) => {
                    format!("Error from server: error when {verb} \"{source}\": {err}")
                }
                _ => format!(
                    "Error from server ({}): error when {verb} \"{source}\": {err}",
                    err.reason()
                ),
            },
            KubectlError::Message(m) => m.clone(),
            KubectlError::UnknownResource(word) => messages::unknown_resource_type(word),
            KubectlError::NoKindMatch { path, kind, api_version, name, namespace } => {
                let detail = format!("no matches for kind \"{kind}\" in version \"{api_version}\"");
                // `resource/mapper.go` `infoForData`: a NoKindMatchError
                // names the object from v1.24 ([`Fact::ResourceMappingNotFound`]).
                if Fact::ResourceMappingNotFound.holds_at(minor) {
                    messages::files::resource_mapping_not_found(name, namespace, path, &detail)
                } else {
                    messages::files::unable_to_recognize(path, &detail)
                }
            }
            other => other.render(minor).trim_end_matches('\n').to_owned(),
        }
    }
}

/// `cmdutil.StandardErrorMessage` for API status errors, and the
/// multi-line `Invalid` form of `checkErr`.
fn api_message(err: &ApiError, minor: u32) -> String {
    match err {
        ApiError::Invalid { kind, name, causes } => {
            let head = format!("The {} \"{name}\" is invalid", kind.info().kind_name);
            match causes.len() {
                0 => head,
                1 => format!("{head}: {}", causes[0]),
                _ => {
                    let mut out = format!("{head}: \n");
                    for c in causes {
                        out.push_str(&format!("* {c}\n"));
                    }
                    out
                }
            }
        }
        ApiError::InvalidRequest { causes } => {
            let head = "The request is invalid";
            match causes.len() {
                // `CheckErr` appends the Status message when there is
                // neither a kind/name nor a cause to print
                // ([`Fact::InvalidRequestNamesMessage`]).
                0 if Fact::InvalidRequestNamesMessage.holds_at(minor) => format!("{head}: {err}"),
                0 => head.to_owned(),
                1 => format!("{head}: {}", causes[0]),
                _ => {
                    let mut out = format!("{head}: \n");
                    for c in causes {
                        out.push_str(&format!("* {c}\n"));
                    }
                    out
                }
            }
        }
        // `StandardErrorMessage` for a Status without a reason.
        ApiError::Internal(message) => format!("Error from server: {message}"),
        other => format!("Error from server ({}): {other}", other.reason()),
    }
}

fn prefixed(message: &str) -> String {
    if message.starts_with("error: ") { message.to_owned() } else { format!("error: {message}") }
}

fn with_newline(mut s: String) -> String {
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Kind;

    #[test]
    fn api_errors() {
        let nf = KubectlError::Api(ApiError::NotFound { kind: Kind::Pod, name: "x".into() });
        assert_eq!(nf.render(22), "Error from server (NotFound): pods \"x\" not found\n");
        let nf = KubectlError::Api(ApiError::NotFound { kind: Kind::Deployment, name: "x".into() });
        assert_eq!(
            nf.render(22),
            "Error from server (NotFound): deployments.apps \"x\" not found\n"
        );
    }

    #[test]
    fn cobra_errors_by_version() {
        let e = KubectlError::Cobra {
            message: messages::flag_error("unknown flag: --foo", "kubectl get"),
            run_hint: false,
        };
        assert_eq!(
            e.render(22),
            "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"
        );
        assert_eq!(
            e.render(23),
            "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"
        );
        let e =
            KubectlError::Cobra { message: messages::unknown_command("foo", &[]), run_hint: true };
        assert_eq!(
            e.render(22),
            "Error: unknown command \"foo\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"
        );
        let e = KubectlError::Cobra {
            message: messages::unknown_command("gett", &["set", "get"]),
            run_hint: true,
        };
        assert_eq!(
            e.render(22),
            "Error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\nRun 'kubectl --help' for usage.\n"
        );
    }

    #[test]
    fn aggregates_print_one_line_each() {
        let e = KubectlError::Aggregate(vec![
            KubectlError::Api(ApiError::NotFound { kind: Kind::Pod, name: "a".into() }),
            KubectlError::msg("something else"),
        ]);
        assert_eq!(
            e.render(22),
            "Error from server (NotFound): pods \"a\" not found\nsomething else\n"
        );
        let e = KubectlError::Aggregate(vec![KubectlError::msg("only")]);
        assert_eq!(e.render(22), "error: only\n");
    }
}
