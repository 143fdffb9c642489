//! Running one kubectl child: in a process group of its own (so stopping
//! it also stops whatever it started, an exec credential plugin or a
//! pager), with its output read as it comes, and stopped at its deadline,
//! when the reader has seen what it waits for, or when kubeplay is
//! interrupted (SIGINT, SIGTERM).

use std::{
    collections::BTreeSet,
    io::{Read, Write},
    os::unix::process::CommandExt,
    path::Path,
    process::{Command, Stdio},
    sync::{
        Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

use super::super::BackendError;
use crate::{
    kubectl::watch::Interrupt,
    output::{CommandOutput, Stream},
};

/// Process groups of the kubectl children running now.
static RUNNING: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// How long a watched command may go on after printing what its step
/// waits for, to end by itself before it gets the reader's Ctrl-C.
const CTRL_C_GRACE: Duration = Duration::from_secs(1);

/// Set once kubeplay is interrupted: no new step starts a child.
static ABORTED: AtomicBool = AtomicBool::new(false);

/// Whether kubeplay has been interrupted.
pub fn aborted() -> bool {
    ABORTED.load(Ordering::SeqCst)
}

/// Stops every running child (and its process group) and refuses new
/// step children from now on; cleanup children still run.
pub fn abort_all() {
    ABORTED.store(true, Ordering::SeqCst);
    let groups: Vec<i32> = RUNNING.lock().map(|r| r.iter().copied().collect()).unwrap_or_default();
    for group in groups {
        kill_group(group);
    }
}

fn kill_group(group: i32) {
    // SAFETY: kill(2) with a negative pid signals the process group the
    // child leads (it was started with `process_group(0)`); no memory is
    // touched.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// What one child is given.
pub struct Child<'a> {
    /// The program (kubectl).
    pub program: &'a Path,
    /// Its arguments, global flags first.
    pub args: &'a [String],
    /// Its working directory.
    pub cwd: &'a Path,
    /// Data for its standard input.
    pub stdin: Option<&'a str>,
    /// When it is stopped if it has not finished.
    pub deadline: Duration,
    /// For commands that never exit by themselves (`get -w`, `logs -f`):
    /// when the reader has seen enough (then it is stopped as by Ctrl-C).
    pub interrupt: Option<&'a Interrupt>,
    /// A cleanup child runs even after kubeplay was interrupted.
    pub cleanup: bool,
}

/// How a child ended.
pub enum Ended {
    /// It exited by itself (or was interrupted as the reader's Ctrl-C).
    Output(CommandOutput),
    /// It was still running at its deadline and was stopped.
    TimedOut(CommandOutput),
}

/// Runs one child to its end.
pub fn run(child: Child<'_>) -> Result<Ended, BackendError> {
    if aborted() && !child.cleanup {
        return Err(BackendError::Infrastructure("interrupted".into()));
    }
    let mut command = Command::new(child.program);
    command.args(child.args).current_dir(child.cwd).process_group(0);
    // kubectl reads KUBECONFIG when no --kubeconfig is given; kubeplay always
    // gives one, and nothing of the user's environment should choose another.
    command.env_remove("KUBECONFIG");
    command.stdin(if child.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut process = command.spawn().map_err(|e| {
        BackendError::Infrastructure(format!("cannot run {}: {e}", child.program.display()))
    })?;
    let group = process.id() as i32;
    // Cleanup children are not registered: a second `abort_all` (the
    // main thread's, after the signal handler's) must not kill the
    // namespace deletion the first one started.
    if !child.cleanup
        && let Ok(mut running) = RUNNING.lock()
    {
        running.insert(group);
    }
    // A signal may have come between the check above and the insertion.
    if aborted() && !child.cleanup {
        kill_group(group);
    }
    if let (Some(text), Some(mut pipe)) = (child.stdin, process.stdin.take()) {
        let text = text.to_owned();
        // Written from a thread: a child that does not read its input must
        // not block kubeplay.
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    let (tx, rx) = mpsc::channel::<(Stream, Vec<u8>)>();
    let pipes: Vec<(Stream, Box<dyn Read + Send>)> = [
        process.stdout.take().map(|p| (Stream::Stdout, Box::new(p) as Box<dyn Read + Send>)),
        process.stderr.take().map(|p| (Stream::Stderr, Box::new(p) as Box<dyn Read + Send>)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let readers: Vec<_> = pipes
        .into_iter()
        .map(|(stream, mut pipe)| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 || tx.send((stream, buf[..n].to_vec())).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    drop(tx);
    let mut out = CommandOutput::default();
    let deadline = Instant::now() + child.deadline;
    let mut interrupted = false;
    let mut timed_out = false;
    // When the reader presses Ctrl-C: a moment after the output holds what
    // the step waits for, unless the command ends by itself first
    // (`rollout status` exits once it prints `successfully rolled out`;
    // interrupting it at once would show a `^C` no reader saw).
    let mut ctrl_c_at: Option<Instant> = None;
    loop {
        if ctrl_c_at.is_some_and(|t| Instant::now() >= t) {
            interrupted = true;
            break;
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok((stream, bytes)) => {
                out.write(stream, String::from_utf8_lossy(&bytes).into_owned());
                if let Some(interrupt) = child.interrupt
                    && ctrl_c_at.is_none()
                {
                    let merged = out.merged();
                    // A tutorial may show the `^C` the terminal echoed.
                    if (interrupt.printed)(&merged) || (interrupt.printed)(&format!("{merged}^C\n"))
                    {
                        ctrl_c_at = Some(Instant::now() + CTRL_C_GRACE);
                    }
                }
            }

            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() >= deadline => {
                // A watch's time is up as the reader's is: Ctrl-C. Any other
                // command is stopped for overrunning its step.
                if child.interrupt.is_some() {
                    interrupted = true;
                } else {
                    timed_out = true;
                }
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) if aborted() && !child.cleanup => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    if interrupted || timed_out || (aborted() && !child.cleanup) {
        kill_group(group);
    }
    let status = process.wait();
    if let Ok(mut running) = RUNNING.lock() {
        running.remove(&group);
    }
    let status =
        status.map_err(|e| BackendError::Infrastructure(format!("kubectl did not finish: {e}")))?;
    for reader in readers {
        let _ = reader.join();
    }
    while let Ok((stream, bytes)) = rx.try_recv() {
        out.write(stream, String::from_utf8_lossy(&bytes).into_owned());
    }
    if aborted() && !child.cleanup {
        return Err(BackendError::Infrastructure("interrupted".into()));
    }
    if timed_out {
        out.status = status.code().unwrap_or(1);
        return Ok(Ended::TimedOut(out));
    }
    if interrupted {
        // What the terminal shows for the reader's Ctrl-C; kubectl's
        // own interrupt handler exits 0 (`interrupt.New(nil, cancel)`).
        out.write(Stream::Stderr, "^C\n");
        out.status = 0;
    } else {
        out.status = status.code().unwrap_or(1);
    }
    Ok(Ended::Output(out))
}
