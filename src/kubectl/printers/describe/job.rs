//! `describeJob` (`kubectl/pkg/describe/describe.go`, v1.22).
//!
//! v1.23 renamed the pod counts (`N Active / ...`, with `(N Ready)` when
//! the Job's status has `ready`); v1.22 prints `N Running / ...` from the
//! same `status.active`.

use crate::version::Fact;
use k8s_openapi::api::{batch::v1::Job, core::v1::Event};

use super::{
    DescribeEnv, LEVEL_0, Writer, annotations_multiline, controlled_by, events, labels_multiline,
    pod_template,
};
use crate::kubectl::{labels::selector_text, printers::duration::human_between};

/// The page `kubectl describe job` prints.
pub fn describe_job(job: &Job, job_events: Option<&[&Event]>, env: &DescribeEnv) -> String {
    let mut w = Writer::default();
    let meta = &job.metadata;
    let spec = job.spec.clone().unwrap_or_default();
    let status = job.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Selector:\t{}\n", selector_text(spec.selector.as_ref())));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    controlled_by(&mut w, meta);
    if let Some(p) = spec.parallelism {
        w.write(LEVEL_0, &format!("Parallelism:\t{p}\n"));
    }
    match spec.completions {
        Some(c) => w.write(LEVEL_0, &format!("Completions:\t{c}\n")),
        None => w.write(LEVEL_0, "Completions:\t<unset>\n"),
    }
    if let Some(mode) = &spec.completion_mode {
        w.write(LEVEL_0, &format!("Completion Mode:\t{mode}\n"));
    }
    if env.has(Fact::DescribeJobSuspendBackoffTtl) {
        if let Some(suspend) = spec.suspend {
            w.write(LEVEL_0, &format!("Suspend:\t{suspend}\n"));
        }
        if let Some(limit) = spec.backoff_limit {
            w.write(LEVEL_0, &format!("Backoff Limit:\t{limit}\n"));
        }
        if let Some(ttl) = spec.ttl_seconds_after_finished {
            w.write(LEVEL_0, &format!("TTL Seconds After Finished:\t{ttl}\n"));
        }
    }
    if let Some(start) = &status.start_time {
        w.write(LEVEL_0, &format!("Start Time:\t{}\n", env.time(start)));
    }
    if let Some(done) = &status.completion_time {
        w.write(LEVEL_0, &format!("Completed At:\t{}\n", env.time(done)));
    }
    if let (Some(start), Some(done)) = (&status.start_time, &status.completion_time) {
        w.write(LEVEL_0, &format!("Duration:\t{}\n", human_between(start.0, done.0)));
    }
    if let Some(d) = spec.active_deadline_seconds {
        w.write(LEVEL_0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    let (active, succeeded, failed) =
        (status.active.unwrap_or(0), status.succeeded.unwrap_or(0), status.failed.unwrap_or(0));
    let pods = if !env.has(Fact::DescribeJobReadyPods) {
        format!("{active} Running / {succeeded} Succeeded / {failed} Failed")
    } else if let Some(ready) = status.ready {
        format!("{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed")
    } else {
        format!("{active} Active / {succeeded} Succeeded / {failed} Failed")
    };
    w.write(LEVEL_0, &format!("Pods Statuses:\t{pods}\n"));
    if spec.completion_mode.as_deref() == Some("Indexed") {
        w.write(
            LEVEL_0,
            &format!(
                "Completed Indexes:\t{}\n",
                cap_indexes(status.completed_indexes.as_deref().unwrap_or_default(), 50)
            ),
        );
    }
    pod_template(&mut w, Some(&spec.template), env);
    if let Some(list) = job_events {
        events(&mut w, list, env);
    }
    w.finish()
}

/// `capIndexesListOrNone`: the list cut after the first comma at or past
/// `soft_limit` characters, with `...`; `<none>` when empty.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_owned();
    }
    match indexes.bytes().enumerate().skip(soft_limit).find(|(_, b)| *b == b',') {
        Some((ix, _)) => format!("{}...", &indexes[..=ix]),
        None => indexes.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{env, event, ts};

    fn job() -> Job {
        serde_json::from_value(json!({
            "metadata": {"name": "pi", "namespace": "default",
                "labels": {"controller-uid": "c1d2", "job-name": "pi"}},
            "spec": {"parallelism": 1, "completions": 1, "completionMode": "NonIndexed",
                "backoffLimit": 6, "suspend": false,
                "selector": {"matchLabels": {"controller-uid": "c1d2"}},
                "template": {"metadata": {"labels": {"controller-uid": "c1d2", "job-name": "pi"}},
                    "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl",
                        "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(20)"]}]}}},
            "status": {"startTime": "2022-11-16T03:10:00Z", "completionTime": "2022-11-16T03:10:42Z",
                "succeeded": 1}
        }))
        .unwrap()
    }

    #[test]
    fn completed_job() {
        let env = env();
        let evs = [
            event(
                "Job",
                "pi",
                "SuccessfulCreate",
                "job-controller",
                "Created pod: pi-8xq2z",
                "2022-11-16T03:10:00Z",
            ),
            event(
                "Job",
                "pi",
                "Completed",
                "job-controller",
                "Job completed",
                "2022-11-16T03:10:42Z",
            ),
        ];
        let refs: Vec<&Event> = evs.iter().collect();
        let expected = "\
Name:             pi
Namespace:        default
Selector:         controller-uid=c1d2
Labels:           controller-uid=c1d2
                  job-name=pi
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Start Time:       Wed, 16 Nov 2022 03:10:00 +0000
Completed At:     Wed, 16 Nov 2022 03:10:42 +0000
Duration:         42s
Pods Statuses:    0 Running / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  controller-uid=c1d2
           job-name=pi
  Containers:
   pi:
    Image:      perl
    Port:       <none>
    Host Port:  <none>
    Command:
      perl
      -Mbignum=bpi
      -wle
      print bpi(20)
    Environment:  <none>
    Mounts:       <none>
  Volumes:        <none>
Events:
  Type    Reason            Age    From            Message
  ----    ------            ----   ----            -------
  Normal  SuccessfulCreate  10m    job-controller  Created pod: pi-8xq2z
  Normal  Completed         9m18s  job-controller  Job completed
";
        assert_eq!(describe_job(&job(), Some(&refs), &env), expected);
    }

    #[test]
    fn running_job_counts_per_version() {
        let mut j = job();
        let status = j.status.as_mut().unwrap();
        status.completion_time = None;
        status.succeeded = None;
        status.active = Some(1);
        j.spec.as_mut().unwrap().active_deadline_seconds = Some(100);
        let mut env =
            DescribeEnv { now: ts("2022-11-16T03:10:05Z"), utc_offset_seconds: 0, minor: 22 };
        let page = describe_job(&j, None, &env);
        assert!(page.contains("\nActive Deadline Seconds:  100s\nPods Statuses:            1 Running / 0 Succeeded / 0 Failed\n"), "{page}");
        assert!(!page.contains("Completed At") && !page.contains("Duration"));
        env.minor = 23;
        assert!(
            describe_job(&j, None, &env)
                .contains("Pods Statuses:            1 Active / 0 Succeeded / 0 Failed\n")
        );
        j.status.as_mut().unwrap().ready = Some(0);
        assert!(
            describe_job(&j, None, &env).contains(
                "Pods Statuses:            1 Active (0 Ready) / 0 Succeeded / 0 Failed\n"
            )
        );
    }

    #[test]
    fn indexes_are_capped() {
        assert_eq!(cap_indexes("", 50), "<none>");
        assert_eq!(cap_indexes("1-3,5", 50), "1-3,5");
        assert_eq!(cap_indexes("1,3,5,7", 2), "1,3,...");
    }
}
