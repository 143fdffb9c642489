//! `describeReplicaSet` (`kubectl/pkg/describe/describe.go`, v1.22 and
//! unchanged through v1.28).

use k8s_openapi::api::{
    apps::v1::ReplicaSet,
    core::v1::{Event, Pod},
};

use super::{
    DescribeEnv, LEVEL_0, PodCounts, Writer, annotations_multiline, conditions_with_reasons,
    controlled_by, events, labels_multiline, pod_template,
};
use crate::kubectl::labels::selector_text;

/// The page `kubectl describe replicaset` prints. `pods` are the namespace's
/// pods matching the selector; as `getPodStatusForController` does, only
/// those whose controller is this ReplicaSet (same uid) are counted.
pub fn describe_replica_set(
    rs: &ReplicaSet,
    pods: &[&Pod],
    rs_events: Option<&[&Event]>,
    env: &DescribeEnv,
) -> String {
    let mut w = Writer::default();
    let meta = &rs.metadata;
    let spec = rs.spec.clone().unwrap_or_default();
    let status = rs.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Selector:\t{}\n", selector_text(Some(&spec.selector))));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    controlled_by(&mut w, meta);
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            status.replicas,
            spec.replicas.unwrap_or(1)
        ),
    );
    PodCounts::controlled_by(pods, meta.uid.as_deref()).write(&mut w);
    pod_template(&mut w, spec.template.as_ref(), env);
    conditions_with_reasons(
        &mut w,
        status.conditions.iter().flatten().map(|c| {
            (c.type_.as_str(), c.status.as_str(), c.reason.as_deref().unwrap_or_default())
        }),
    );
    if let Some(list) = rs_events {
        events(&mut w, list, env);
    }
    w.finish()
}
