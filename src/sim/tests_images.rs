//! The kubelet's image pulls through the simulator's public API: a tag that
//! does not exist (`ErrImagePull` / `ImagePullBackOff` on the image
//! back-off), `imagePullPolicy: Never`, and front-matter image behaviour.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use serde_json::json;

use super::*;

fn pod(name: &str, image: &str, policy: Option<&str>) -> Object {
    let mut c = json!({"name": "c", "image": image});
    if let Some(p) = policy {
        c["imagePullPolicy"] = json!(p);
    }
    Object::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [c]},
    }))
    .expect("manifest")
}

fn waiting_reason(c: &Cluster, name: &str) -> Option<String> {
    let o = c.get(&ObjectRef::namespaced(Kind::Pod, "default", name)).ok()?;
    let p = Pod::from_object(o)?;
    let cs = p.status.as_ref()?.container_statuses.as_ref()?.first()?;
    cs.state.as_ref()?.waiting.as_ref()?.reason.clone()
}

/// Each change of the container's waiting reason, with its time since `t0`.
fn reasons(c: &mut Cluster, name: &str, for_: Duration) -> Vec<(u64, String)> {
    let t0 = c.now();
    let mut seen: Vec<(u64, String)> = Vec::new();
    while time::since(c.now(), t0) < for_ && c.step().is_some() {
        let Some(r) = waiting_reason(c, name) else { continue };
        if seen.last().is_none_or(|(_, last)| *last != r) {
            seen.push((time::since(c.now(), t0).as_millis() as u64, r));
        }
    }
    seen
}

#[test]
fn a_missing_tag_alternates_between_err_image_pull_and_back_off() {
    let mut c = Cluster::new(profile("kubeadm").unwrap());
    c.create(pod("bad", "nginx:1.999", None)).unwrap();
    let seen = reasons(&mut c, "bad", Duration::from_secs(20 * 60));
    let names: Vec<&str> = seen.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(&names[..3], ["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]);
    assert!(!names[1..].contains(&"ContainerCreating"), "{seen:?}");
    // The PLEG's sync 1 s after the first failure finds the back-off running.
    assert_eq!(seen[2].0 - seen[1].0, 1000, "{seen:?}");
    // Failures (ErrImagePull) at least one back-off period apart — 10 s
    // doubling to 300 s — and at most a pod-worker re-sync (15 s) and a
    // quick pull (2.5 s) later.
    let failures: Vec<u64> =
        seen.iter().filter(|(_, r)| r == "ErrImagePull").map(|(t, _)| *t).collect();
    assert!(failures.len() >= 7, "{seen:?}");
    for (i, pair) in failures.windows(2).enumerate() {
        let period = (10_000u64 << i).min(300_000);
        let gap = pair[1] - pair[0];
        assert!(gap >= period && gap <= period + 17_500, "failure {i}: gap {gap} ms, {seen:?}");
    }
    let r = ObjectRef::namespaced(Kind::Pod, "default", "bad");
    let message = |reason: &str, text: &str| {
        c.events_for(&r).iter().any(|e| {
            e.reason.as_deref() == Some(reason) && e.message.as_deref().unwrap_or("").contains(text)
        })
    };
    assert!(message("Failed", "manifest for nginx:1.999 not found: manifest unknown"));
    assert!(message("Failed", "Error: ErrImagePull"));
    assert!(message("BackOff", "Back-off pulling image \"nginx:1.999\""));
    assert!(message("Failed", "Error: ImagePullBackOff"));
}

#[test]
fn never_pull_needs_the_image_on_the_node() {
    let mut config = profile("kind").unwrap();
    config.images.insert(
        "shop/dev".into(),
        images::ImageSpec { preloaded: Some(true), ..Default::default() },
    );
    let mut c = Cluster::new(config);
    c.create(pod("dev", "shop/dev:1", Some("Never"))).unwrap();
    c.create(pod("stale", "shop/old", Some("Never"))).unwrap();
    c.advance(Duration::from_secs(30));
    assert_eq!(waiting_reason(&c, "dev"), None, "running");
    assert_eq!(waiting_reason(&c, "stale").as_deref(), Some("ErrImageNeverPull"));
}

#[test]
fn a_described_image_exits_on_time_with_its_code() {
    let mut config = profile("kubeadm").unwrap();
    config.images.insert(
        "batch".into(),
        images::ImageSpec {
            run_for: Some(Duration::from_secs(30)),
            exit: Some(3),
            pull_time: Some(Duration::from_secs(2)),
            ..Default::default()
        },
    );
    let mut c = Cluster::new(config);
    let mut o = pod("job", "batch:v1", None);
    if let Object::Pod(p) = &mut o {
        p.spec.as_mut().unwrap().restart_policy = Some("Never".into());
    }
    c.create(o).unwrap();
    c.advance(Duration::from_secs(60));
    let o = c.get(&ObjectRef::namespaced(Kind::Pod, "default", "job")).unwrap();
    let p = Pod::from_object(o).unwrap();
    let cs = &p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
    let t = cs.state.as_ref().unwrap().terminated.as_ref().unwrap();
    assert_eq!(t.exit_code, 3);
    let ran = t.finished_at.as_ref().unwrap().0.as_second()
        - t.started_at.as_ref().unwrap().0.as_second();
    assert_eq!(ran, 30);
}

#[test]
fn one_container_that_cannot_pull_does_not_hold_back_the_others() {
    let mut c = Cluster::new(profile("kubeadm").unwrap());
    let o = Object::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "two", "namespace": "default"},
        "spec": {"containers": [
            {"name": "bad", "image": "busybox:1.99", "command": ["sleep", "3600"]},
            {"name": "web", "image": "nginx:1.21"},
        ]},
    }))
    .unwrap();
    c.create(o).unwrap();
    c.advance(Duration::from_secs(90));
    let o = c.get(&ObjectRef::namespaced(Kind::Pod, "default", "two")).unwrap();
    let p = Pod::from_object(o).unwrap();
    let status = p.status.as_ref().unwrap();
    let state = |name: &str| {
        let cs = status.container_statuses.as_ref().unwrap().iter().find(|s| s.name == name);
        cs.unwrap().state.clone().unwrap()
    };
    assert!(state("web").running.is_some());
    let bad = state("bad").waiting.unwrap().reason.unwrap();
    assert!(bad == "ImagePullBackOff" || bad == "ErrImagePull", "{bad}");
    // getPhase: a waiting container keeps the pod Pending.
    assert_eq!(status.phase.as_deref(), Some("Pending"));
}

/// `pullableAfter`: pulls begun before the time fail, the kubelet's image
/// back-off retries, and the first retry after it pulls and starts the pod;
/// a pod created after it pulls at once.
#[test]
fn an_image_pullable_later_starts_at_the_first_retry_after() {
    let mut config = profile("kubeadm").unwrap();
    config.images.insert(
        "late/app".into(),
        images::ImageSpec { pullable_after: Some(Duration::from_secs(120)), ..Default::default() },
    );
    let mut c = Cluster::new(config);
    let t0 = c.now();
    c.create(pod("early", "late/app:1", None)).unwrap();
    let seen = reasons(&mut c, "early", Duration::from_secs(10 * 60));
    let names: Vec<&str> = seen.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(&names[..3], ["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]);
    assert_eq!(waiting_reason(&c, "early"), None, "running in the end: {seen:?}");
    // Every failure began before 120 s; none after.
    let last_failure = seen.iter().rev().find(|(_, r)| r == "ErrImagePull").unwrap().0;
    assert!(last_failure < 125_000, "{seen:?}");
    assert!(time::since(c.now(), t0) >= Duration::from_secs(120));
    c.create(pod("late", "late/app:1", None)).unwrap();
    c.advance(Duration::from_secs(30));
    assert_eq!(waiting_reason(&c, "late"), None, "pulled at once");
    let r = ObjectRef::namespaced(Kind::Pod, "default", "late");
    assert!(!c.events_for(&r).iter().any(|e| e.reason.as_deref() == Some("Failed")));
}

/// `ignoresSigterm`: a deleted pod of such an image stays (Terminating)
/// until the grace period's kill; another image's process exits at once.
#[test]
fn an_image_that_ignores_sigterm_terminates_at_the_grace_period() {
    let mut config = profile("kubeadm").unwrap();
    config.images.insert(
        "course/app".into(),
        images::ImageSpec { ignores_sigterm: Some(true), ..Default::default() },
    );
    let mut c = Cluster::new(config);
    c.create(pod("stubborn", "course/app", None)).unwrap();
    c.create(pod("polite", "course/other", None)).unwrap();
    c.advance(Duration::from_secs(60));
    for name in ["stubborn", "polite"] {
        c.delete(&ObjectRef::namespaced(Kind::Pod, "default", name), DeleteOptions::default())
            .unwrap();
    }
    c.advance(Duration::from_secs(20));
    let exists =
        |c: &Cluster, name: &str| c.get(&ObjectRef::namespaced(Kind::Pod, "default", name)).is_ok();
    assert!(exists(&c, "stubborn"), "still terminating inside its 30 s grace period");
    assert!(!exists(&c, "polite"), "gone within a second of SIGTERM");
    c.advance(Duration::from_secs(15));
    assert!(!exists(&c, "stubborn"), "killed when the grace period ended");
}
