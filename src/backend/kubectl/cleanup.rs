//! What each run leaves on the cluster and on disk, and how it is undone:
//! its namespace, the cluster-scoped objects it created, the nodes it
//! cordoned, tainted or labelled, and its private folder. Held in one
//! registry so the run's own end, a panic (through `Drop`) and a signal
//! handler all undo it, and each exactly once.

use std::{
    collections::BTreeMap,
    path::PathBuf,
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use super::process::{self, Child};

/// How long one cleanup command may take.
const UNDO_DEADLINE: Duration = Duration::from_secs(60);

/// One run's leftovers.
#[derive(Debug, Clone)]
pub struct Leftovers {
    /// The kubectl program.
    pub program: PathBuf,
    /// `--kubeconfig=PRIVATE --context=NAME`.
    pub global_flags: Vec<String>,
    /// The run's folder (private kubeconfig, workspace).
    pub dir: PathBuf,
    /// Its namespace, once created.
    pub namespace: Option<String>,
    /// kubectl argv (without `kubectl`) that undo what the run changed
    /// outside its namespace, in the order they were recorded.
    pub undo: Vec<Vec<String>>,
}

static LIVE: Mutex<BTreeMap<u64, Leftovers>> = Mutex::new(BTreeMap::new());

/// Cleanups under way (the signal handler waits for them before exiting).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Registers a run's leftovers under `id`.
pub fn register(id: u64, leftovers: Leftovers) {
    if let Ok(mut live) = LIVE.lock() {
        live.insert(id, leftovers);
    }
}

/// Changes a run's registered leftovers.
pub fn update(id: u64, change: impl FnOnce(&mut Leftovers)) {
    if let Ok(mut live) = LIVE.lock()
        && let Some(leftovers) = live.get_mut(&id)
    {
        change(leftovers);
    }
}

/// Undoes run `id` (if nobody has yet).
pub fn release(id: u64) {
    // Counted as under way before it leaves the registry, so a signal
    // handler never sees it in neither place.
    let taken = LIVE.lock().ok().and_then(|mut live| {
        let taken = live.remove(&id);
        if taken.is_some() {
            RUNNING.fetch_add(1, Ordering::SeqCst);
        }
        taken
    });
    if let Some(leftovers) = taken {
        undo(&leftovers);
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// On a signal: stops every kubectl child, then undoes every live run and
/// waits (a while) for cleanups other threads have started.
pub fn abort_all() {
    process::abort_all();
    let ids: Vec<u64> = LIVE.lock().map(|l| l.keys().copied().collect()).unwrap_or_default();
    for id in ids {
        release(id);
    }
    let waited = Instant::now();
    while RUNNING.load(Ordering::SeqCst) > 0 && waited.elapsed() < UNDO_DEADLINE * 2 {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn undo(leftovers: &Leftovers) {
    let run = |args: Vec<String>| {
        let args: Vec<String> = leftovers.global_flags.iter().cloned().chain(args).collect();
        let _ = process::run(Child {
            program: &leftovers.program,
            args: &args,
            cwd: &leftovers.dir,
            stdin: None,
            deadline: UNDO_DEADLINE,
            interrupt: None,
            cleanup: true,
        });
    };
    // Latest change first, as a stack unwinds.
    for args in leftovers.undo.iter().rev() {
        run(args.clone());
    }
    if let Some(namespace) = &leftovers.namespace {
        run(vec!["delete".into(), "namespace".into(), namespace.clone(), "--wait=false".into()]);
    }
    let _ = std::fs::remove_dir_all(&leftovers.dir);
}
