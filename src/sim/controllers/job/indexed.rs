//! Indexed completion mode (`pkg/controller/job/indexed_job_utils.go`):
//! each pod of an Indexed Job carries a completion index in
//! `0..completions`, the Job completes when every index has a succeeded
//! pod, and `status.completedIndexes` lists the succeeded ones as
//! intervals (`1-3,5`).
//!
//! Versions (feature gate `IndexedJob`, KEP-2214): alpha and off in v1.21,
//! beta and on from v1.22, GA in v1.24; the index entered the pod name in
//! v1.22 (kubernetes#101601). The index label and the env var read from it
//! come with `PodIndexLabel` (KEP-4017), beta and on from v1.28.

use crate::version::Fact;
use std::{collections::BTreeSet, fmt};

use k8s_openapi::api::{
    batch::v1::Job,
    core::v1::{Container, EnvVar, EnvVarSource, ObjectFieldSelector, Pod},
};

use crate::version::KubeVersion;

/// `batch.JobCompletionIndexAnnotation` (also the label's key).
pub const INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
/// `completionIndexEnvName`.
const ENV_NAME: &str = "JOB_COMPLETION_INDEX";
/// `names.MaxGeneratedNameLength`: 63 − 5 random characters.
const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `isIndexedJob`.
pub fn is_indexed(job: &Job) -> bool {
    job.spec.as_ref().and_then(|s| s.completion_mode.as_deref()) == Some("Indexed")
}

/// Whether the cluster's apiserver keeps `completionMode: Indexed`
/// (`IndexedJob` on by default from v1.22; v1.21's strategy drops the
/// field while the alpha gate is off, so the Job runs NonIndexed).
pub fn served(version: KubeVersion) -> bool {
    version.has(Fact::IndexedAndSuspendJob)
}

/// Whether pods get the index label and read the env var from it
/// (`PodIndexLabel`, on by default from v1.28).
fn index_label(version: KubeVersion) -> bool {
    version.has(Fact::PodIndexLabel)
}

/// `getCompletionIndex`: the pod's index from its annotation; `None` for
/// a missing, malformed or negative one (`unknownCompletionIndex`).
pub fn completion_index(pod: &Pod) -> Option<i32> {
    let v = pod.metadata.annotations.as_ref()?.get(INDEX_KEY)?;
    v.parse::<i32>().ok().filter(|i| *i >= 0)
}

/// One run of consecutive indexes, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    first: i32,
    last: i32,
}

/// `orderedIntervals`: disjoint, non-adjacent, in increasing order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Intervals(Vec<Interval>);

impl Intervals {
    /// `succeededIndexesFromString`: parses `status.completedIndexes`,
    /// skipping corrupt intervals and clipping at `completions`.
    pub fn parse(text: &str, completions: i32) -> Intervals {
        let mut out: Vec<Interval> = Vec::new();
        if text.is_empty() {
            return Intervals(out);
        }
        for part in text.split(',') {
            let mut limits = part.split('-');
            let Some(Ok(first)) = limits.next().map(str::parse::<i32>) else { continue };
            if first >= completions {
                break;
            }
            let last = match limits.next() {
                Some(l) => match l.parse::<i32>() {
                    Ok(l) => l.min(completions - 1),
                    Err(_) => continue,
                },
                None => first,
            };
            match out.last_mut() {
                Some(prev) if prev.last == first - 1 => prev.last = last,
                _ => out.push(Interval { first, last }),
            }
        }
        Intervals(out)
    }

    /// `withOrderedIndexes`: these intervals merged with `indexes`.
    pub fn with(&self, indexes: &BTreeSet<i32>) -> Intervals {
        let mut all: Vec<Interval> = self.0.clone();
        all.extend(indexes.iter().map(|&i| Interval { first: i, last: i }));
        all.sort_by_key(|iv| iv.first);
        let mut out: Vec<Interval> = Vec::new();
        for iv in all {
            match out.last_mut() {
                Some(prev) if iv.first <= prev.last + 1 => prev.last = prev.last.max(iv.last),
                _ => out.push(iv),
            }
        }
        Intervals(out)
    }

    /// `total`: how many indexes.
    pub fn total(&self) -> i32 {
        self.0.iter().map(|iv| iv.last - iv.first + 1).sum()
    }

    /// `merge`: these intervals and `other`'s.
    pub fn union(&self, other: &Intervals) -> Intervals {
        let all = other.0.iter().flat_map(|iv| iv.first..=iv.last).collect();
        self.with(&all)
    }

    /// How many indexes both hold (`matchSucceededIndexesRule`'s `contains`).
    pub fn overlap(&self, other: &Intervals) -> i32 {
        let mut n = 0;
        for a in &self.0 {
            for b in &other.0 {
                n += (a.last.min(b.last) - a.first.max(b.first) + 1).max(0);
            }
        }
        n
    }

    /// `has`.
    pub fn has(&self, ix: i32) -> bool {
        self.0.iter().any(|iv| iv.first <= ix && ix <= iv.last)
    }
}

/// `orderedIntervals.String`: two consecutive indexes are written `3,4`,
/// three or more `3-5`.
impl fmt::Display for Intervals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, iv) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", iv.first)?;
            if iv.last == iv.first + 1 {
                write!(f, ",{}", iv.last)?;
            } else if iv.last > iv.first {
                write!(f, "-{}", iv.last)?;
            }
        }
        Ok(())
    }
}

/// `calculateSucceededIndexes`: the recorded completed indexes plus those
/// of succeeded pods with a valid index.
pub fn succeeded_indexes(job: &Job, pods: &[&Pod], completions: i32) -> Intervals {
    let recorded = job.status.as_ref().and_then(|s| s.completed_indexes.as_deref()).unwrap_or("");
    let new: BTreeSet<i32> = pods
        .iter()
        .filter(|p| crate::sim::podutil::phase(p) == "Succeeded")
        .filter_map(|p| completion_index(p))
        .filter(|ix| *ix < completions)
        .collect();
    Intervals::parse(recorded, completions).with(&new)
}

/// `firstPendingIndexes`: the first `count` indexes below `completions`
/// that neither an active pod nor a success covers.
pub fn first_pending(
    active: &[&Pod],
    succeeded: &Intervals,
    count: usize,
    completions: i32,
) -> Vec<i32> {
    let taken: BTreeSet<i32> = active.iter().filter_map(|p| completion_index(p)).collect();
    let non_pending = succeeded.with(&taken);
    (0..completions.max(0)).filter(|ix| !non_pending.has(*ix)).take(count).collect()
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so the
/// prefix fits a generated name.
pub fn generate_name(job: &str, index: i32) -> String {
    let suffix = format!("-{index}-");
    let prefix = format!("{job}{suffix}");
    if prefix.len() > MAX_GENERATED_NAME_LENGTH {
        format!("{}{suffix}", &job[..MAX_GENERATED_NAME_LENGTH - suffix.len()])
    } else {
        prefix
    }
}

/// What `manageJob` adds to an Indexed Job's pod for `index`: the
/// annotation, the label (v1.28+), `spec.hostname` `<job>-<index>`, and
/// `addCompletionIndexEnvVariables` on every (init) container lacking it.
pub fn mark(pod: &mut Pod, job: &str, index: i32, version: KubeVersion) {
    let value = index.to_string();
    pod.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(INDEX_KEY.to_owned(), value.clone());
    let label = index_label(version);
    if label {
        pod.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert(INDEX_KEY.to_owned(), value);
    }
    let Some(spec) = pod.spec.as_mut() else { return };
    spec.hostname = Some(format!("{job}-{index}"));
    let source = if label { "labels" } else { "annotations" };
    let field_path = format!("metadata.{source}['{INDEX_KEY}']");
    let add = |c: &mut Container| {
        let env = c.env.get_or_insert_with(Vec::new);
        if env.iter().any(|e| e.name == ENV_NAME) {
            return;
        }
        env.push(EnvVar {
            name: ENV_NAME.to_owned(),
            value: None,
            value_from: Some(EnvVarSource {
                field_ref: Some(ObjectFieldSelector {
                    api_version: None,
                    field_path: field_path.clone(),
                }),
                ..Default::default()
            }),
        });
    };
    spec.init_containers.iter_mut().flatten().for_each(add);
    spec.containers.iter_mut().for_each(add);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_round_trip_in_upstream_format() {
        let iv = Intervals::parse("1-3,5", 10);
        assert_eq!(iv.total(), 4);
        assert_eq!(iv.to_string(), "1-3,5");
        assert_eq!(iv.with(&BTreeSet::from([4, 7, 8])).to_string(), "1-5,7,8");
        assert_eq!(Intervals::parse("0-9", 4).to_string(), "0-3");
        assert_eq!(Intervals::parse("x,2", 4).to_string(), "2");
        assert_eq!(Intervals::default().to_string(), "");
    }

    #[test]
    fn pending_indexes_skip_active_and_succeeded() {
        let succeeded = Intervals::parse("0,2", 5);
        assert_eq!(first_pending(&[], &succeeded, 2, 5), [1, 3]);
        assert_eq!(first_pending(&[], &succeeded, 9, 5), [1, 3, 4]);
    }

    #[test]
    fn index_naming_and_version_boundaries() {
        assert_eq!(generate_name("sample", 2), "sample-2-");
        assert_eq!(generate_name(&"a".repeat(60), 12).len(), MAX_GENERATED_NAME_LENGTH);
        let v = |s| KubeVersion::parse(s).unwrap();
        assert!(!served(v("v1.21.14")) && served(v("v1.22.0")));
        let mut pod = Pod {
            spec: Some(k8s_openapi::api::core::v1::PodSpec {
                containers: vec![Container { name: "c".into(), ..Default::default() }],
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut old = pod.clone();
        mark(&mut pod, "j", 3, v("v1.28.0"));
        mark(&mut old, "j", 3, v("v1.27.9"));
        assert_eq!(pod.metadata.labels.as_ref().unwrap()[INDEX_KEY], "3");
        assert!(old.metadata.labels.is_none());
        assert_eq!(completion_index(&old), Some(3));
        let path = |p: &Pod| {
            p.spec.as_ref().unwrap().containers[0].env.as_ref().unwrap()[0]
                .value_from
                .as_ref()
                .unwrap()
                .field_ref
                .as_ref()
                .unwrap()
                .field_path
                .clone()
        };
        assert_eq!(path(&pod), "metadata.labels['batch.kubernetes.io/job-completion-index']");
        assert_eq!(path(&old), "metadata.annotations['batch.kubernetes.io/job-completion-index']");
        assert_eq!(pod.spec.as_ref().unwrap().hostname.as_deref(), Some("j-3"));
    }
}
