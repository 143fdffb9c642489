//! Errors of scenario parsing and loading.
//!
//! Every parse error names the file, a 1-based line and column and a stable
//! code, so editors can jump to it and docs can explain it by code.

use std::{fmt, path::PathBuf};

use super::model::Span;

/// A stable identifier of one kind of parse error (`S0001`, ...).
///
/// The codes never change meaning once released; new kinds get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A fenced code block has no closing fence.
    UnterminatedFence,
    /// Front matter opened with `---` is never closed by another `---`.
    UnclosedFrontMatter,
    /// The YAML of the front matter (or of a YAML scenario) does not parse.
    InvalidYaml,
    /// A key that the format does not know.
    UnknownKey,
    /// A known key with a value of the wrong shape (bad duration, wrong type, ...).
    InvalidValue,
    /// Expected output in a command block before any command.
    OutputWithoutCommand,
    /// A `? N` status line whose `N` is neither an exit status nor `failed`.
    BadStatus,
    /// A `file=` attribute without a file name.
    MissingFileName,
    /// A YAML scenario step that is neither a `run:` nor a `file:` step (or both).
    BadStep,
    /// The file's extension names no scenario format.
    UnknownFormat,
    /// A block attribute that cannot be used as written.
    BadAttribute,
    /// A here-document whose delimiter line never comes.
    UnterminatedHeredoc,
    /// The file is not UTF-8.
    InvalidUtf8,
    /// A line, a nesting depth or a count beyond kubeplay's limits
    /// (`scenario::bounds`).
    LimitExceeded,
}

impl ErrorCode {
    /// The code as printed: `S0001`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnterminatedFence => "S0001",
            ErrorCode::UnclosedFrontMatter => "S0002",
            ErrorCode::InvalidYaml => "S0003",
            ErrorCode::UnknownKey => "S0004",
            ErrorCode::InvalidValue => "S0005",
            ErrorCode::OutputWithoutCommand => "S0006",
            ErrorCode::BadStatus => "S0007",
            ErrorCode::MissingFileName => "S0008",
            ErrorCode::BadStep => "S0009",
            ErrorCode::UnknownFormat => "S0010",
            ErrorCode::BadAttribute => "S0011",
            ErrorCode::UnterminatedHeredoc => "S0012",
            ErrorCode::InvalidUtf8 => "S0013",
            ErrorCode::LimitExceeded => "S0014",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scenario file that does not parse.
///
/// Displays as `path:line:col: error[S0001]: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: error[{code}]: {message}", path.display())]
pub struct ParseError {
    /// The scenario file, as given.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What kind of error.
    pub code: ErrorCode,
    /// Human explanation (no location, no code: Display adds those).
    pub message: String,
}

impl ParseError {
    /// A new error at `span` (a zero line or column is shown as 1).
    pub fn new(
        path: impl Into<PathBuf>,
        span: Span,
        code: ErrorCode,
        message: impl Into<String>,
    ) -> Self {
        ParseError {
            path: path.into(),
            line: span.line.max(1),
            column: span.column.max(1),
            code,
            message: message.into(),
        }
    }

    /// Where the error is, as a [`Span`].
    pub fn span(&self) -> Span {
        Span { line: self.line, column: self.column }
    }
}

/// A scenario file that cannot be loaded: unreadable, or not parsable.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be read (missing, a directory, not UTF-8, ...).
    #[error("{}: cannot read scenario: {source}", path.display())]
    Io {
        /// The file, as given.
        path: PathBuf,
        /// Why it cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

impl LoadError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            LoadError::Io { path, .. } => path,
            LoadError::Parse(err) => &err.path,
        }
    }
}
