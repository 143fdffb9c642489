//! The field manager against managed fields a real kube-apiserver v1.33.13
//! recorded (`testdata/managed_fields/`, see its README): each test
//! replays the recorded writes and compares every entry.

use serde_json::{Value, json};

use super::*;

fn golden(name: &str) -> Value {
    let text = match name {
        "hello-create" => include_str!("testdata/managed_fields/hello-create.json"),
        "hello-scale" => include_str!("testdata/managed_fields/hello-scale.json"),
        "web-csa" => include_str!("testdata/managed_fields/web-csa.json"),
        "svc-csa" => include_str!("testdata/managed_fields/svc-csa.json"),
        "pod-run" => include_str!("testdata/managed_fields/pod-run.json"),
        "cm-ssa" => include_str!("testdata/managed_fields/cm-ssa.json"),
        "cm-forced" => include_str!("testdata/managed_fields/cm-forced.json"),
        "cm-labeled" => include_str!("testdata/managed_fields/cm-labeled.json"),
        "cm-patched" => include_str!("testdata/managed_fields/cm-patched.json"),
        "api-ssa" => include_str!("testdata/managed_fields/api-ssa.json"),
        "api-forced" => include_str!("testdata/managed_fields/api-forced.json"),
        "cm-pruned" => include_str!("testdata/managed_fields/cm-pruned.json"),
        _ => panic!("no golden {name}"),
    };
    serde_json::from_str(text).expect("golden json")
}

fn yaml(name: &str) -> Value {
    let text = match name {
        "cm" => include_str!("testdata/managed_fields/cm.yaml"),
        "cm2" => include_str!("testdata/managed_fields/cm2.yaml"),
        "dep2" => include_str!("testdata/managed_fields/dep2.yaml"),
        "dep2-other" => include_str!("testdata/managed_fields/dep2-other.yaml"),
        "cm-prune" => include_str!("testdata/managed_fields/cm-prune.yaml"),
        "cm-prune2" => include_str!("testdata/managed_fields/cm-prune2.yaml"),
        "hello-ssa" => include_str!("testdata/managed_fields/hello-ssa.yaml"),
        _ => panic!("no manifest {name}"),
    };
    serde_yaml::from_str(text).expect("manifest yaml")
}

/// The recorded object without its managed fields, and without `drop`
/// (fields set after the field manager ran: allocators, admission).
fn object(name: &str, drop: &[&str]) -> Value {
    let mut v = golden(name);
    v["metadata"].as_object_mut().unwrap().remove("managedFields");
    for p in drop {
        let (parent, field) = p.rsplit_once('/').unwrap();
        v.pointer_mut(parent).and_then(Value::as_object_mut).unwrap().remove(field);
    }
    v
}

fn recorded(name: &str) -> Value {
    golden(name)["metadata"]["managedFields"].clone()
}

fn entries(m: &ManagedFields) -> Value {
    Value::Array(m.to_json().into_iter().map(|e| Value::Object(e.into_iter().collect())).collect())
}

/// The time the recording gave `manager`'s entry in `name`.
fn time_of(name: &str, manager: &str) -> Timestamp {
    let entries = recorded(name);
    let e = entries.as_array().unwrap().iter().find(|e| e["manager"] == manager).unwrap();
    e["time"].as_str().unwrap().parse().unwrap()
}

fn writer(manager: &str, api_version: &str) -> Writer {
    Writer { manager: manager.into(), api_version: api_version.into(), subresource: None }
}

#[test]
fn create_and_client_side_apply_own_the_defaulted_request() {
    for (name, kind, manager, api, drop) in [
        ("hello-create", Kind::Deployment, "kubectl-create", "apps/v1", &[][..]),
        ("web-csa", Kind::Deployment, "kubectl-client-side-apply", "apps/v1", &[]),
        // The Service REST storage allocates the cluster IPs and families
        // after the field manager ran.
        (
            "svc-csa",
            Kind::Service,
            "kubectl-client-side-apply",
            "v1",
            &["/spec/clusterIP", "/spec/clusterIPs", "/spec/ipFamilies", "/spec/ipFamilyPolicy"],
        ),
        // DefaultTolerationSeconds and Priority admission run after it.
        (
            "pod-run",
            Kind::Pod,
            "kubectl-run",
            "v1",
            &["/spec/tolerations", "/spec/priority", "/spec/preemptionPolicy"],
        ),
    ] {
        let mut m = ManagedFields::default();
        m.update(kind, None, &object(name, drop), &writer(manager, api), time_of(name, manager))
            .unwrap();
        assert_eq!(entries(&m), recorded(name), "{name}");
    }
}

#[test]
fn scale_takes_replicas_without_a_time() {
    let mut m = ManagedFields::default();
    let created = object("hello-create", &[]);
    let at = time_of("hello-create", "kubectl-create");
    m.update(Kind::Deployment, None, &created, &writer("kubectl-create", "apps/v1"), at).unwrap();
    let scaled = object("hello-scale", &[]);
    let scale = Writer { subresource: Some("scale".into()), ..writer("kubectl.1.33", "apps/v1") };
    m.update(Kind::Deployment, Some(&created), &scaled, &scale, at).unwrap();
    assert_eq!(entries(&m), recorded("hello-scale"));
    // Applying other values for fields two updaters own conflicts with
    // both, managers sorted, each with its API version.
    let err = m
        .apply(
            Kind::Deployment,
            Some(&scaled),
            &yaml("hello-ssa"),
            &writer("kubectl", "apps/v1"),
            false,
            at,
        )
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.message(),
        "Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using apps/v1:\n\
         - .spec.template.spec.containers[name=\"nginx\"].image\n\
         conflicts with \"kubectl.1.33\" with subresource \"scale\" using apps/v1:\n\
         - .spec.replicas"
    );
}

#[test]
fn server_side_apply_conflicts_force_and_updates() {
    let mut m = ManagedFields::default();
    let t0 = time_of("cm-ssa", "kubectl");
    let live = m
        .apply(Kind::ConfigMap, None, &yaml("cm"), &writer("kubectl", "v1"), false, t0)
        .unwrap()
        .unwrap();
    assert_eq!(entries(&m), recorded("cm-ssa"));
    assert_eq!(live["data"], json!({"a": "1", "b": "2"}));
    let other = writer("other", "v1");
    let t1 = time_of("cm-forced", "other");
    let err = m.apply(Kind::ConfigMap, Some(&live), &yaml("cm2"), &other, false, t1).unwrap();
    assert_eq!(
        err.unwrap_err().message(),
        "Apply failed with 1 conflict: conflict with \"kubectl\": .data.a"
    );
    let before = m.clone();
    let live =
        m.apply(Kind::ConfigMap, Some(&live), &yaml("cm2"), &other, true, t1).unwrap().unwrap();
    assert_ne!(m, before);
    assert_eq!(entries(&m), recorded("cm-forced"));
    assert_eq!(live["data"], json!({"a": "9", "b": "2"}));
    let mut labeled = live.clone();
    labeled["metadata"]["labels"] = json!({"x": "y"});
    let t2 = time_of("cm-labeled", "kubectl-label");
    m.update(Kind::ConfigMap, Some(&live), &labeled, &writer("kubectl-label", "v1"), t2).unwrap();
    let mut annotated = labeled.clone();
    annotated["metadata"]["annotations"] = json!({"note": "hi"});
    m.update(Kind::ConfigMap, Some(&labeled), &annotated, &writer("kubectl-annotate", "v1"), t2)
        .unwrap();
    assert_eq!(entries(&m), recorded("cm-labeled"));
}

#[test]
fn an_update_takes_a_changed_field_from_its_creator() {
    let mut m = ManagedFields::default();
    let created = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "plain", "namespace": "golden"}, "data": {"k": "v"}});
    let t = time_of("cm-patched", "kubectl-create");
    m.update(Kind::ConfigMap, None, &created, &writer("kubectl-create", "v1"), t).unwrap();
    let mut patched = created.clone();
    patched["data"]["k"] = json!("w");
    m.update(Kind::ConfigMap, Some(&created), &patched, &writer("kubectl-patch", "v1"), t).unwrap();
    // kubectl-create keeps `data` itself: `f:data: {}`.
    assert_eq!(entries(&m), recorded("cm-patched"));
}

#[test]
fn deployment_apply_conflicts_then_forced_takes_the_fields() {
    let mut m = ManagedFields::default();
    let t0 = time_of("api-ssa", "kubectl");
    m.apply(Kind::Deployment, None, &yaml("dep2"), &writer("kubectl", "apps/v1"), false, t0)
        .unwrap()
        .unwrap();
    assert_eq!(entries(&m), recorded("api-ssa"));
    // The stored object carries the defaults the apply did not set.
    let live = object("api-ssa", &[]);
    let ops = writer("ops", "apps/v1");
    let t1 = time_of("api-forced", "ops");
    let err = m.apply(Kind::Deployment, Some(&live), &yaml("dep2-other"), &ops, false, t1).unwrap();
    assert_eq!(
        err.unwrap_err().message(),
        "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n\
         - .spec.replicas\n\
         - .spec.template.spec.containers[name=\"api\"].image"
    );
    let merged = m
        .apply(Kind::Deployment, Some(&live), &yaml("dep2-other"), &ops, true, t1)
        .unwrap()
        .unwrap();
    assert_eq!(entries(&m), recorded("api-forced"));
    assert_eq!(merged["spec"]["replicas"], json!(5));
    assert_eq!(merged["spec"]["progressDeadlineSeconds"], json!(600));
}

#[test]
fn an_apply_removes_what_its_manager_no_longer_applies() {
    let mut m = ManagedFields::default();
    let t = time_of("cm-pruned", "kubectl");
    let w = writer("kubectl", "v1");
    let live = m.apply(Kind::ConfigMap, None, &yaml("cm-prune"), &w, false, t).unwrap().unwrap();
    let pruned =
        m.apply(Kind::ConfigMap, Some(&live), &yaml("cm-prune2"), &w, false, t).unwrap().unwrap();
    assert_eq!(entries(&m), recorded("cm-pruned"));
    assert_eq!(pruned["data"], golden("cm-pruned")["data"]);
    assert_eq!(pruned["metadata"].get("labels"), None);
}
