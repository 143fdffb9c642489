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
    /// What kubeplay could not emulate while running the command (a
    /// kubectl verb or flag, a shell command, an image behaviour), naming
    /// it. When set, the output is kubeplay's own and never reaches the
    /// matcher: the step's verdict is `unsupported` (DESIGN §1).
    pub unsupported: Option<String>,
    /// Files the command wrote to the scenario's workspace (`kubectl cp
    /// POD:SRC DEST`), by resolved path, in order; the shell writes them.
    pub written: Vec<(String, String)>,
}

impl CommandOutput {
    /// A successful command that printed `text` on stdout.
    pub fn stdout(text: impl Into<String>) -> Self {
        CommandOutput { chunks: vec![(Stream::Stdout, text.into())], ..Default::default() }
    }

    /// A failed command that printed `text` on stderr.
    pub fn failure(text: impl Into<String>, status: i32) -> Self {
        CommandOutput { chunks: vec![(Stream::Stderr, text.into())], status, ..Default::default() }
    }

    /// A command that ended with `status` and printed nothing.
    pub fn status(status: i32) -> Self {
        CommandOutput { status, ..Default::default() }
    }

    /// A command kubeplay cannot emulate; `what` names the thing
    /// (`kubectl explain`, `flag --hard of kubectl create quota`).
    pub fn unsupported(what: impl Into<String>) -> Self {
        CommandOutput { status: 1, unsupported: Some(what.into()), ..Default::default() }
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
