//! The reader's terminal during an interactive command (`kubectl exec -it
//! POD -- sh`, `kubectl run -it ... -- sh`): the lines a tutorial shows
//! typed at the container's prompt, fed to the session one by one, and
//! what the terminal showed for each (its prompt and echo, then its
//! output), so each typed line is checked like a step of its own.

use std::collections::VecDeque;

use crate::{output::Stream, sim::process::session::Session};

/// Lines still to type and the transcript so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    input: VecDeque<String>,
    /// For each line typed: the prompt and the line as echoed, then what
    /// the session printed in response.
    pub segments: Vec<String>,
    /// The session ended on a typed line (`exit`): what kubectl prints
    /// after the session belongs to that line's segment.
    pub ended_by_input: bool,
    /// How many output chunks kubectl had written when the session ended
    /// (`None`: no session was opened).
    pub closed_at: Option<usize>,
    /// A typed line used something kubeplay cannot emulate, named.
    pub unsupported: Option<String>,
}

impl Terminal {
    /// A terminal at which `input` will be typed, line by line.
    pub fn new(input: Vec<String>) -> Terminal {
        Terminal { input: input.into(), ..Terminal::default() }
    }
}

/// Feeds the terminal's lines to `session` on the cluster's clock until the
/// shell exits or the lines run out (then stdin ends, as with Ctrl-D).
/// Returns the shell's exit status.
pub fn converse(ctx: &mut super::verbs::Ctx<'_>, session: &mut Session) -> i32 {
    let Some(terminal) = ctx.terminal.as_deref_mut() else { return session.status() };
    let mut code = None;
    let mut segments = Vec::new();
    while let Some(line) = terminal.input.pop_front() {
        // Lines after the first were typed at the continuation prompt.
        let mut segment = session.prompt();
        for (n, part) in line.split('\n').enumerate() {
            if n > 0 {
                segment.push_str("> ");
            }
            segment.push_str(part);
            segment.push('\n');
        }
        let typed = session.type_line(&line, ctx.cluster.now());
        if let Some(what) = typed.unsupported {
            // The session stops here: what the container would have
            // printed for this line, and after it, is unknown.
            terminal.unsupported = Some(what);
            break;
        }
        ctx.cluster.advance(typed.took);
        segment.push_str(&typed.output);
        segments.push(segment);
        if let Some(c) = typed.exit {
            code = Some(c);
            break;
        }
    }
    let Some(terminal) = ctx.terminal.as_deref_mut() else { return session.status() };
    terminal.segments = segments;
    terminal.ended_by_input = code.is_some();
    terminal.input.clear();
    terminal.closed_at = Some(ctx.out.chunks.len());
    code.unwrap_or_else(|| session.status())
}

/// What the terminal showed, split for matching: the command's output up
/// to the first prompt, one segment per typed line (the closing lines
/// joined to the last one when the session ended on it), and closing lines
/// no typed line owns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// Output before the session (`If you don't see a command prompt, ...`).
    pub opening: String,
    /// One per typed line.
    pub segments: Vec<String>,
    /// Output after the session that no typed line owns (stdin ended).
    pub trailing: String,
    /// kubectl's exit status.
    pub status: i32,
    /// What kubeplay could not emulate during the session, named.
    pub unsupported: Option<String>,
}

impl Transcript {
    /// Splits kubectl's output chunks by the terminal's record.
    pub fn split(output: &crate::output::CommandOutput, terminal: &Terminal) -> Transcript {
        let chunks: &[(Stream, String)] = &output.chunks;
        let at = terminal.closed_at.unwrap_or(chunks.len()).min(chunks.len());
        let text = |c: &[(Stream, String)]| c.iter().map(|(_, t)| t.as_str()).collect::<String>();
        let opening = text(&chunks[..at]);
        let closing = text(&chunks[at..]);
        let mut segments = terminal.segments.clone();
        let trailing = match segments.last_mut() {
            Some(last) if terminal.ended_by_input => {
                last.push_str(&closing);
                String::new()
            }
            _ => closing,
        };
        Transcript {
            opening,
            segments,
            trailing,
            status: output.status,
            unsupported: output.unsupported.clone(),
        }
    }
}
