//! Issue 12's generated test: one minimal valid manifest of every resource
//! a cluster of v1.22, v1.28 and v1.33 serves, in every served version
//! (taken from that version's discovery table, so new resources are covered
//! as they are served), goes through `create`, `get`, `describe` and
//! `delete`, and each step prints kubectl's shape of text.
//!
//! A kind whose behaviour the simulator lacks (`Gap::Behaviour`) is still
//! stored; the step must then also be reported unsupported, naming the gap.
//! A version whose conversion to the stored one is not modelled
//! (`conversion::unsupported`) must be reported at `create`; the tests name
//! those resources.

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

/// The smallest manifest body of `kind` in `api_version` that its
/// validation accepts: the fields each kind requires, the rest defaulted.
fn minimal_body(kind: Kind, api_version: &str) -> Value {
    let info = kind.info();
    let template = json!({"metadata": {"labels": {"app": "rt"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}});
    let job_template = json!({"spec": {"restartPolicy": "Never",
        "containers": [{"name": "c", "image": "busybox"}]}});
    let workload = json!({"spec": {"selector": {"matchLabels": {"app": "rt"}},
        "template": template}});
    if api_version.starts_with("events.k8s.io/") {
        // events.k8s.io requires the reporting fields (ValidateEventCreate).
        return json!({"eventTime": "2024-01-01T00:00:00.000000Z",
            "reportingController": "example.com/rt", "reportingInstance": "rt",
            "action": "Test", "reason": "Test", "type": "Normal",
            "regarding": {"kind": "Pod", "name": "rt", "namespace": "default"}});
    }
    match (info.group, info.kind_name) {
        ("", "Namespace" | "Node" | "ConfigMap" | "Secret" | "ServiceAccount" | "Endpoints") => {
            json!({})
        }
        ("", "Pod") => json!({"spec": template["spec"]}),
        ("", "Service") => json!({"spec": {"ports": [{"port": 80}]}}),
        ("", "Event") => json!({"reason": "Test", "message": "rt", "type": "Normal",
            "involvedObject": {"kind": "Pod", "name": "rt", "namespace": "default"}}),
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet") => workload,
        ("apps", "ControllerRevision") => json!({"revision": 1}),
        ("batch", "Job") => json!({"spec": {"template": job_template}}),
        ("batch", "CronJob") => json!({"spec": {"schedule": "*/5 * * * *",
            "jobTemplate": {"spec": {"template": job_template}}}}),
        ("autoscaling", "HorizontalPodAutoscaler") => json!({"spec": {"maxReplicas": 3,
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "rt"}}}),
        ("discovery.k8s.io", "EndpointSlice") => json!({"addressType": "IPv4", "endpoints": []}),
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

/// Runs the round trip of every resource the discovery of `version` serves,
/// in every served version (`autoscaling/v1` and `v2` HPAs, `batch/v1beta1`
/// CronJobs, `events.k8s.io` Events, …), typed and generically stored kinds
/// alike. Returns how many went through, and the resources whose create is
/// reported unsupported because the conversion from their version to the
/// stored one is not modelled (`conversion::unsupported`).
fn round_trip(version: &str) -> (usize, Vec<String>) {
    let mut config = profile("kubeadm").expect("kubeadm profile");
    config.version = crate::version::KubeVersion::parse(version).expect("a release");
    let fresh = Cluster::new(config);
    let served: Vec<(Kind, String, String, &'static str, &'static str)> = {
        let cluster = &fresh;
        let registry = cluster.registry();
        registry
            .discovery()
            .resources()
            .iter()
            .map(|r| {
                let api_version = r.api_version();
                let kind = registry.for_manifest(&api_version, r.kind).unwrap_or_else(|| {
                    panic!("{version}: served {} {api_version} has no kind", r.resource)
                });
                (kind, api_version, r.kind.to_owned(), r.group, r.resource)
            })
            .collect()
    };
    let mut tried = 0;
    let mut unconverted = Vec::new();
    for (kind, api_version, kind_name, group, plural) in &served {
        let (kind, group, plural) = (kind, *group, *plural);
        // A fresh cluster each: a gap is reported the first time only, and
        // the versions of one kind share a store.
        let mut cluster = fresh.clone();
        let info = kind.info();
        let name = if plural == "customresourcedefinitions" {
            "rtobjects.example.com"
        } else {
            "rt-object"
        };
        let mut manifest = minimal_body(*kind, api_version);
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
        // kubectl names the object by the group the manifest asked for
        // (`event.events.k8s.io/…`), whichever storage serves it.
        let singular = kind_name.to_lowercase();
        let qualified =
            if group.is_empty() { singular.clone() } else { format!("{singular}.{group}") };
        let resource = if group.is_empty() {
            plural.to_owned()
        } else {
            format!("{plural}.{}.{group}", api_version.rsplit('/').next().unwrap_or_default())
        };

        let created = super::run(&mut cluster, &argv, &ws);
        if let Some(what) = crate::sim::conversion::unsupported(api_version, kind_name) {
            // Never silently accepted: the step is reported, naming the gap.
            assert_eq!(
                created.unsupported,
                Some(what),
                "{version} create {api_version} {kind_name}"
            );
            assert_eq!(created.status, 1, "{version} create {api_version} {kind_name}");
            unconverted.push(format!("{api_version} {kind_name}"));
            continue;
        }
        tried += 1;
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
            "{version} create {kind_name} ({api_version}): {:?}",
            created.unsupported
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
        let row = lines.next().unwrap_or_default();
        if plural == "events" {
            // The event printer has no NAME column (printEvent in
            // pkg/printers/internalversion/printers.go).
            assert!(header.starts_with("LAST SEEN "), "{version} get {resource}: {table}");
            assert!(row.contains("Test"), "{version} get {resource}: {table}");
        } else {
            assert!(header.starts_with("NAME "), "{version} get {resource}: {table}");
            assert!(row.starts_with(name), "{version} get {resource}: {table}");
        }
        assert_eq!(lines.next(), None, "{version} get {resource}: {table}");

        let described = kubectl(&mut cluster, &format!("kubectl describe {resource} {name}"));
        // Kinds whose dedicated kubectl describer is not written yet say so.
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

        // A request for a kind served only in a deprecated version (v1
        // Endpoints from v1.33, policy/v1beta1 PodSecurityPolicy) carries
        // the warning too.
        let served_warning = crate::sim::conversion::deprecation_warning(
            &info.api_version(),
            info.kind_name,
            cluster.config().version.minor(),
        )
        .map(|w| format!("Warning: {w}\n"))
        .unwrap_or_default();
        let deleted = kubectl(&mut cluster, &format!("kubectl delete {resource} {name}"));
        assert_eq!(
            deleted.merged(),
            format!("{served_warning}{qualified} \"{name}\" deleted\n"),
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
    unconverted.sort();
    (tried, unconverted)
}

/// Every served resource round-trips except those whose version
/// conversion is not modelled, which are named; the counts are the
/// discovery table's resources of all served versions at that minor
/// (`sim::api::discovery::tests::counts_per_minor`).
#[test]
fn every_served_resource_round_trips_at_1_22() {
    let (tried, unconverted) = round_trip("v1.22.2");
    assert_eq!(
        unconverted,
        // HorizontalPodAutoscaler converts from every autoscaling version
        // (`sim::hpa_conversion`), Events from both events.k8s.io versions
        // (`sim::event_conversion`).
        Vec::<String>::new()
    );
    assert_eq!(tried + unconverted.len(), 63);
}

#[test]
fn every_served_resource_round_trips_at_1_28() {
    let (tried, unconverted) = round_trip("v1.28.3");
    assert_eq!(unconverted, Vec::<String>::new());
    assert_eq!(tried + unconverted.len(), 59);
}

#[test]
fn every_served_resource_round_trips_at_1_33() {
    let (tried, unconverted) = round_trip("v1.33.1");
    assert_eq!(unconverted, Vec::<String>::new());
    assert_eq!(tried + unconverted.len(), 61);
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
