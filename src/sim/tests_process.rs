//! Simulator tests of container processes: exits, restarts, crash-loop
//! back-off, the phases that follow, and Jobs built on them.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use serde_json::json;

use super::*;

fn kubeadm() -> Cluster {
    Cluster::new(profile("kubeadm").expect("profile"))
}

fn pod(c: &Cluster, name: &str) -> Pod {
    let o = c.get(&ObjectRef::namespaced(Kind::Pod, "default", name)).expect("pod");
    Pod::from_object(o).unwrap().clone()
}

fn bare_pod(name: &str, policy: &str, command: serde_json::Value) -> Object {
    Object::from_value(json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {"restartPolicy": policy,
                 "containers": [{"name": "c", "image": "busybox", "command": command}]},
    }))
    .unwrap()
}

fn state(p: &Pod) -> (String, i32) {
    let cs = &p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
    let st = cs.state.clone().unwrap();
    let s = if st.running.is_some() {
        "running".to_owned()
    } else if let Some(w) = st.waiting {
        w.reason.unwrap_or_default()
    } else {
        st.terminated.and_then(|t| t.reason).unwrap_or_default()
    };
    (s, cs.restart_count)
}

/// Steps the cluster for `until` seconds, recording when (seconds since
/// now) the restart count changes.
fn restart_times(c: &mut Cluster, name: &str, until: u64) -> Vec<u64> {
    let start = c.now();
    let mut seen = state(&pod(c, name)).1;
    let mut out = Vec::new();
    while time::since(c.now(), start).as_secs() < until && c.step().is_some() {
        let n = state(&pod(c, name)).1;
        if n != seen {
            seen = n;
            out.push(time::since(c.now(), start).as_secs());
        }
    }
    out
}

#[test]
fn a_sleep_exits_and_restarts_under_always() {
    let mut c = kubeadm();
    c.create(bare_pod("p", "Always", json!(["sleep", "60"]))).unwrap();
    c.settle_until_running("p");
    assert_eq!(state(&pod(&c, "p")), ("running".to_owned(), 0));
    c.advance(Duration::from_secs(61));
    // Ran longer than nothing: no back-off entry yet, so it restarts at once.
    assert_eq!(state(&pod(&c, "p")), ("running".to_owned(), 1));
    assert_eq!(podutil::phase(&pod(&c, "p")), "Running");
}

#[test]
fn crash_loop_back_off_doubles_to_five_minutes() {
    let mut c = kubeadm();
    c.create(bare_pod("p", "Always", json!(["sh", "-c", "exit 1"]))).unwrap();
    c.settle_until_running("p");
    // Restart 1 at once; then 10, 20, 40, 80, 160, 300, 300 s after each exit.
    // (`sh -c 'exit 1'` exits the instant it starts.)
    let times = restart_times(&mut c, "p", 1200);
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(times[0], 0, "{times:?}");
    assert_eq!(gaps[..7], [10, 20, 40, 80, 160, 300, 300], "{times:?}");
    assert_eq!(state(&pod(&c, "p")).0, "CrashLoopBackOff");
}

#[test]
fn never_and_on_failure_end_in_phases() {
    let mut c = kubeadm();
    c.create(bare_pod("ok", "Never", json!(["sh", "-c", "echo hi"]))).unwrap();
    c.create(bare_pod("bad", "Never", json!(["sh", "-c", "nope"]))).unwrap();
    c.create(bare_pod("once", "OnFailure", json!(["sh", "-c", "sleep 5"]))).unwrap();
    c.advance(Duration::from_secs(60));
    assert_eq!(podutil::phase(&pod(&c, "ok")), "Succeeded");
    assert_eq!(state(&pod(&c, "ok")).0, "Completed");
    assert_eq!(podutil::phase(&pod(&c, "bad")), "Failed");
    assert_eq!(state(&pod(&c, "bad")).0, "Error");
    assert_eq!(podutil::phase(&pod(&c, "once")), "Succeeded");
}

impl Cluster {
    fn settle_until_running(&mut self, name: &str) {
        for _ in 0..10_000 {
            let running = self
                .get(&ObjectRef::namespaced(Kind::Pod, "default", name))
                .ok()
                .and_then(Pod::from_object)
                .is_some_and(|p| podutil::phase(p) == "Running");
            if running {
                return;
            }
            self.step();
        }
        panic!("{name} never ran");
    }
}
