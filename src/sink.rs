//! Where the CLI writes its reports: standard output that a closed pipe
//! ends quietly. Rust ignores SIGPIPE, so `println!` panics (exit 101) when
//! the reader of `kubeplay run | head -1` goes away; ripgrep instead treats
//! `BrokenPipe` as the end of its output (`crates/core/main.rs`). A [`Sink`]
//! does the same: after a closed pipe it drops further text, the program
//! finishes its work and exits with its usual status, saying nothing.

use std::io::{self, Write};

/// A writer whose `BrokenPipe` ends output quietly; any other write error
/// is kept for the caller to report.
pub struct Sink<W: Write> {
    inner: W,
    /// The reader is gone (`EPIPE`): nothing more is written.
    closed: bool,
    /// The first write error other than a closed pipe (a full disk).
    error: Option<io::Error>,
}

impl Sink<io::Stdout> {
    /// Standard output.
    pub fn stdout() -> Self {
        Sink::new(io::stdout())
    }
}

impl<W: Write> Sink<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Sink { inner, closed: false, error: None }
    }

    /// Writes `text` (unless the output has ended) and flushes, so progress
    /// shows as scenarios finish.
    pub fn put(&mut self, text: &str) {
        if self.closed || self.error.is_some() {
            return;
        }
        let result = self.inner.write_all(text.as_bytes()).and_then(|()| self.inner.flush());
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => self.closed = true,
            Err(e) => self.error = Some(e),
        }
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) {
        self.put(&format!("{text}\n"));
    }

    /// Whether the reader has gone away (no more output is wanted).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The write error to report, if one other than a closed pipe happened.
    pub fn into_error(self) -> Option<io::Error> {
        self.error
    }
}

/// Writes `text` and a newline to standard error, ignoring a closed pipe
/// (`kubeplay check 2>&1 | head -1`) as [`Sink`] does for standard output.
pub fn eprint_line(text: &str) {
    let _ = writeln!(io::stderr(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader has gone away.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::StorageFull))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_output_without_an_error() {
        let mut sink = Sink::new(ClosedPipe);
        sink.line("first");
        sink.line("second");
        assert!(sink.is_closed());
        assert!(sink.into_error().is_none());
    }

    #[test]
    fn another_write_error_is_kept_for_the_caller() {
        let mut sink = Sink::new(Full);
        sink.line("first");
        assert!(!sink.is_closed());
        assert_eq!(sink.into_error().map(|e| e.kind()), Some(io::ErrorKind::StorageFull));
    }

    #[test]
    fn text_reaches_an_open_writer() {
        let mut sink = Sink::new(Vec::new());
        sink.put("a");
        sink.line("b");
        assert_eq!(sink.inner, b"ab\n");
    }
}
