//! What a command prints, as a terminal would show it.

/// Which stream a chunk of output went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// The output and exit status of one command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    /// Output chunks in the order they were written.
    pub chunks: Vec<(Stream, String)>,
    /// Exit status.
    pub status: i32,
}

impl CommandOutput {
    /// A successful command that printed `text` on stdout.
    pub fn stdout(text: impl Into<String>) -> Self {
        CommandOutput { chunks: vec![(Stream::Stdout, text.into())], status: 0 }
    }

    /// A failed command that printed `text` on stderr.
    pub fn failure(text: impl Into<String>, status: i32) -> Self {
        CommandOutput { chunks: vec![(Stream::Stderr, text.into())], status }
    }

    /// Appends `text` to `stream`.
    pub fn write(&mut self, stream: Stream, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.chunks.push((stream, text));
        }
    }

    /// Everything written to one stream.
    pub fn stream(&self, which: Stream) -> String {
        self.chunks.iter().filter(|(s, _)| *s == which).map(|(_, t)| t.as_str()).collect()
    }

    /// Both streams merged in write order, as a terminal shows them.
    pub fn merged(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
}
