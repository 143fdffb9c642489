//! Issue 12's generated test: one minimal valid manifest of every
//! generically stored built-in kind a cluster of v1.22, v1.28 and v1.33
//! serves (the registry's kinds, so new kinds are covered as they are
//! served) goes through `create`, `get`, `describe` and `delete`, and each
//! step prints kubectl's shape of text.
//!
//! A kind whose behaviour the simulator lacks (`Gap::Behaviour`) is still
//! stored; the step must then also be reported unsupported, naming the gap.

use serde_json::{Value, json};

use super::tests::kubectl;
use crate::{
    output::Stream,
    sim::{
        Cluster, Kind, profile,
        registry::{Gap, gap},
    },
    workspace::Workspace,
};

/// The smallest manifest body of `kind` that its validation accepts: the
/// fields each kind requires, the rest defaulted.
fn minimal_body(kind: Kind) -> Value {
    let info = kind.info();
    let template = json!({"metadata": {"labels": {"app": "rt"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}});
    match (info.group, info.kind_name) {
        ("storage.k8s.io", "StorageClass") => json!({"provisioner": "example.com/rt"}),
        ("", "PersistentVolumeClaim") => json!({"spec": {"accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}}}}),
        ("", "PersistentVolume") => json!({"spec": {"capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/data"}}}),
        ("apps", "StatefulSet") => json!({"spec": {"serviceName": "rt",
            "selector": {"matchLabels": {"app": "rt"}}, "template": template}}),
        ("", "ReplicationController") => json!({"spec": {"template": template}}),
        ("", "PodTemplate") => json!({"template": template}),
        ("scheduling.k8s.io", "PriorityClass") => json!({"value": 1000}),
        ("node.k8s.io", "RuntimeClass") => json!({"handler": "runc"}),
        ("networking.k8s.io", "IngressClass") => json!({"spec": {"controller": "example.com/rt"}}),
        ("storage.k8s.io", "CSIStorageCapacity") => json!({"storageClassName": "standard"}),
        // Its name must be `plural.group` (see `name_of`).
        ("apiextensions.k8s.io", "CustomResourceDefinition") => json!({"spec": {
            "group": "example.com", "scope": "Namespaced",
            "names": {"plural": "rtobjects", "kind": "RtObject"},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object"}}}]}}),
        _ => json!({"spec": {}}),
    }
}

/// Runs the round trip of every generic kind on a cluster of `version`;
/// returns how many kinds went through.
fn round_trip(version: &str) -> usize {
    let mut config = profile("kubeadm").expect("kubeadm profile");
    config.version = crate::version::KubeVersion::parse(version).expect("a release");
    let mut cluster = Cluster::new(config);
    let kinds: Vec<(Kind, String, String)> = {
        let registry = cluster.registry();
        let mut seen = Vec::new();
        for kind in registry.builtin_kinds() {
            if !seen.iter().any(|(k, _, _): &(Kind, String, String)| *k == kind) {
                let info = kind.info();
                seen.push((kind, info.api_version(), info.kind_name.to_owned()));
            }
        }
        seen
    };
    let mut tried = 0;
    for (kind, api_version, kind_name) in &kinds {
        let info = kind.info();
        // Another group-version of a typed kind (autoscaling/v2 HPAs,
        // extensions/v1beta1 Deployments, …): the resource word names the
        // typed kind; serving those versions is conversion, not this test's.
        if kind.is_typed() {
            continue;
        }
        tried += 1;
        let name = if info.plural == "customresourcedefinitions" {
            "rtobjects.example.com"
        } else {
            "rt-object"
        };
        let mut manifest = minimal_body(*kind);
        manifest["apiVersion"] = json!(api_version);
        manifest["kind"] = json!(kind_name);
        manifest["metadata"] = json!({"name": name});
        if info.namespaced {
            manifest["metadata"]["namespace"] = json!("default");
        }
        let mut ws = Workspace::default();
        ws.write("m.json", manifest.to_string());
        let argv: Vec<String> =
            ["kubectl", "create", "-f", "m.json"].iter().map(|s| (*s).to_owned()).collect();
        let qualified = if info.group.is_empty() {
            info.singular.to_owned()
        } else {
            format!("{}.{}", info.singular, info.group)
        };
        let resource = if info.group.is_empty() {
            info.plural.to_owned()
        } else {
            format!("{}.{}", info.plural, info.group)
        };

        let created = super::run(&mut cluster, &argv, &ws);
        // A deprecated version's request carries the API server's warning.
        let warning = crate::sim::conversion::deprecation_warning(
            api_version,
            kind_name,
            cluster.config().version.minor(),
        )
        .map(|w| format!("Warning: {w}\n"))
        .unwrap_or_default();
        assert_eq!(
            created.merged(),
            format!("{warning}{qualified}/{name} created\n"),
            "{version} create {kind_name} ({api_version})"
        );
        let noted = cluster.take_unsupported();
        match gap(*kind) {
            Some(Gap::Behaviour(what)) => assert!(
                noted.as_deref().is_some_and(|n| n.starts_with(what)),
                "{version} {kind_name}: the gap {what:?} must be reported, got {noted:?}"
            ),
            _ => assert_eq!(noted, None, "{version} {kind_name}: nothing unmodelled"),
        }

        let got = kubectl(&mut cluster, &format!("kubectl get {resource} {name}"));
        assert_eq!(got.status, 0, "{version} get {resource}: {}", got.merged());
        let table = got.stream(Stream::Stdout);
        let mut lines = table.lines();
        let header = lines.next().unwrap_or_default();
        assert!(header.starts_with("NAME "), "{version} get {resource}: {table}");
        let row = lines.next().unwrap_or_default();
        assert!(row.starts_with(name), "{version} get {resource}: {table}");
        assert_eq!(
            header.split_whitespace().next(),
            Some("NAME"),
            "{version} get {resource}: {table}"
        );

        let described = kubectl(&mut cluster, &format!("kubectl describe {resource} {name}"));
        // Kinds whose dedicated kubectl describer is not written yet say so;
        // a budget's page needs the status the disruption controller (a
        // gap) would write.
        let unwritten = matches!(
            (info.group, info.plural),
            ("certificates.k8s.io", "certificatesigningrequests")
        );
        if unwritten {
            assert_eq!(
                described.unsupported.as_deref(),
                Some(format!("kubectl describe {}", info.singular).as_str()),
                "{version} describe {resource}"
            );
        } else if info.plural == "networkpolicies" && cluster.config().utc_offset_seconds != 0 {
            // `Created on:` carries the local zone's abbreviation, which a
            // bare UTC offset does not give.
            assert!(
                described.unsupported.as_deref().is_some_and(|u| u.contains("outside UTC")),
                "{version} describe {resource}: {:?}",
                described.unsupported
            );
        } else if info.plural == "poddisruptionbudgets" {
            assert!(
                described
                    .unsupported
                    .as_deref()
                    .is_some_and(|u| u.starts_with("the disruption controller")),
                "{version} describe {resource}: {:?}",
                described.unsupported
            );
        } else {
            assert_eq!(
                described.status,
                0,
                "{version} describe {resource}: {}",
                described.merged()
            );
            let page = described.stream(Stream::Stdout);
            assert!(
                page.lines().next().is_some_and(|l| l.starts_with("Name:") && l.ends_with(name)),
                "{version} describe {resource}: {page}"
            );
        }

        let deleted = kubectl(&mut cluster, &format!("kubectl delete {resource} {name}"));
        assert_eq!(
            deleted.merged(),
            format!("{qualified} \"{name}\" deleted\n"),
            "{version} delete {resource}"
        );
        let gone = kubectl(&mut cluster, &format!("kubectl get {resource} {name}"));
        if let Some(Gap::Defaults(_)) = gap(*kind) {
            // A miss may be a default object the simulator lacks.
            assert!(gone.unsupported.is_some(), "{version} {resource}: {}", gone.merged());
        } else {
            assert_eq!(gone.status, 1, "{version} {resource} is gone: {}", gone.merged());
        }
    }
    tried
}

#[test]
fn every_generic_builtin_round_trips_at_1_22() {
    assert!(round_trip("v1.22.2") > 20);
}

#[test]
fn every_generic_builtin_round_trips_at_1_28() {
    assert!(round_trip("v1.28.3") > 20);
}

#[test]
fn every_generic_builtin_round_trips_at_1_33() {
    assert!(round_trip("v1.33.1") > 20);
}

/// `kubectl describe` of the kinds with a describer of their own, after a
/// create (so with the API server's defaults), against pages derived from
/// `describeStorageClass` and `describePriorityClass` (describe.go).
#[test]
fn storage_class_and_priority_class_pages() {
    let mut config = profile("kubeadm").expect("kubeadm profile");
    config.version = crate::version::KubeVersion::parse("v1.28.3").expect("a release");
    let mut cluster = Cluster::new(config);
    let mut ws = Workspace::default();
    ws.write(
        "sc.yaml",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n  \
         annotations:\n    storageclass.kubernetes.io/is-default-class: \"true\"\n\
         provisioner: kubernetes.io/no-provisioner\nparameters:\n  type: ssd\n\
         mountOptions: [debug]\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n\
         metadata:\n  name: high\nvalue: 1000000\ndescription: For the web tier.\n",
    );
    let argv: Vec<String> =
        ["kubectl", "create", "-f", "sc.yaml"].iter().map(|s| (*s).to_owned()).collect();
    let created = super::run(&mut cluster, &argv, &ws);
    assert_eq!(
        created.merged(),
        "storageclass.storage.k8s.io/fast created\npriorityclass.scheduling.k8s.io/high created\n"
    );
    assert_eq!(
        kubectl(&mut cluster, "kubectl describe sc fast").stream(Stream::Stdout),
        "Name:                  fast\n\
         IsDefaultClass:        Yes\n\
         Annotations:           storageclass.kubernetes.io/is-default-class=true\n\
         Provisioner:           kubernetes.io/no-provisioner\n\
         Parameters:            type=ssd\n\
         AllowVolumeExpansion:  <unset>\n\
         MountOptions:\n\
         \x20 debug\n\
         ReclaimPolicy:      Delete\n\
         VolumeBindingMode:  Immediate\n\
         Events:             <none>\n"
    );
    assert_eq!(
        kubectl(&mut cluster, "kubectl describe pc high").stream(Stream::Stdout),
        "Name:              high\n\
         Value:             1000000\n\
         GlobalDefault:     false\n\
         PreemptionPolicy:  PreemptLowerPriority\n\
         Description:       For the web tier.\n\
         Annotations:       <none>\n\
         Events:            <none>\n"
    );
}
