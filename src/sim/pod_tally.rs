//! The active pods of one controller in one namespace, counted by label
//! set and readiness, and its terminating ones: what a ReplicaSet's sync needs of its pods in the
//! common case (`calculateStatus` counts; `manageReplicas` compares a
//! count with `spec.replicas`), kept by the store as pods are written so a
//! sync costs O(label sets) instead of O(pods). client-go has no such
//! index — its controllers list their pods from the informer cache on
//! every sync — but there a sync per pod change costs what its list
//! costs in memory, and here every list counts.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use super::podutil;

/// Pods with one label set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Active pods.
    pub pods: usize,
    /// Of those, Ready ones.
    pub ready: usize,
    /// Pods being deleted, not yet terminal (`controller.FilterTerminatingPods`):
    /// a ReplicaSet's `status.terminatingReplicas`.
    pub terminating: usize,
}

/// One controller's active pods in one namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodTally {
    by_labels: BTreeMap<Option<BTreeMap<String, String>>, Counts>,
}

impl PodTally {
    /// Whether the tally counts `pod`: an active or a terminating pod.
    pub(crate) fn counts(pod: &Pod) -> bool {
        podutil::is_active(pod) || podutil::is_terminating(pod)
    }

    /// Adds (`present`) or takes away an active or terminating pod.
    pub(crate) fn count(&mut self, pod: &Pod, present: bool) {
        let (active, terminating) = if podutil::is_active(pod) {
            (1, 0)
        } else {
            (0, usize::from(podutil::is_terminating(pod)))
        };
        let ready = active * usize::from(podutil::is_ready(pod));
        let labels = pod.metadata.labels.clone();
        if present {
            let c = self.by_labels.entry(labels).or_default();
            c.pods += active;
            c.ready += ready;
            c.terminating += terminating;
        } else if let Some(c) = self.by_labels.get_mut(&labels) {
            c.pods -= active;
            c.ready -= ready;
            c.terminating -= terminating;
            if c.pods == 0 && c.terminating == 0 {
                self.by_labels.remove(&labels);
            }
        }
    }

    /// Whether no pod is counted.
    pub fn is_empty(&self) -> bool {
        self.by_labels.is_empty()
    }

    /// The distinct label sets and their counts.
    pub fn label_sets(&self) -> impl Iterator<Item = (Option<&BTreeMap<String, String>>, &Counts)> {
        self.by_labels.iter().map(|(l, c)| (l.as_ref(), c))
    }

    /// All active pods.
    pub fn pods(&self) -> usize {
        self.by_labels.values().map(|c| c.pods).sum()
    }

    /// The Ready ones.
    pub fn ready(&self) -> usize {
        self.by_labels.values().map(|c| c.ready).sum()
    }

    /// The terminating pods.
    pub fn terminating(&self) -> usize {
        self.by_labels.values().map(|c| c.terminating).sum()
    }
}
