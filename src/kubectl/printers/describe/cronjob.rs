//! `describeCronJob` and `describeJobTemplate`
//! (`kubectl/pkg/describe/describe.go`, v1.22; unchanged through v1.28).

use k8s_openapi::api::{batch::v1::CronJob, core::v1::Event};

use super::{
    DescribeEnv, LEVEL_0, Writer, annotations_multiline, bool_ptr, events, labels_multiline,
    pod_template,
};
use crate::kubectl::labels::selector_text;

/// The page `kubectl describe cronjob` prints.
pub fn describe_cron_job(cj: &CronJob, cj_events: Option<&[&Event]>, env: &DescribeEnv) -> String {
    let mut w = Writer::default();
    let meta = &cj.metadata;
    let spec = cj.spec.clone().unwrap_or_default();
    let status = cj.status.clone().unwrap_or_default();
    let opt = |v: Option<i64>, unit: &str| {
        v.map_or_else(|| "<unset>".to_owned(), |v| format!("{v}{unit}"))
    };
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace.as_deref().unwrap_or_default()));
    labels_multiline(&mut w, "", "Labels", meta.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Schedule:\t{}\n", spec.schedule));
    w.write(
        LEVEL_0,
        &format!(
            "Concurrency Policy:\t{}\n",
            spec.concurrency_policy.as_deref().unwrap_or_default()
        ),
    );
    w.write(LEVEL_0, &format!("Suspend:\t{}\n", bool_ptr(spec.suspend)));
    w.write(
        LEVEL_0,
        &format!(
            "Successful Job History Limit:\t{}\n",
            opt(spec.successful_jobs_history_limit.map(i64::from), "")
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Failed Job History Limit:\t{}\n",
            opt(spec.failed_jobs_history_limit.map(i64::from), "")
        ),
    );
    w.write(
        LEVEL_0,
        &format!("Starting Deadline Seconds:\t{}\n", opt(spec.starting_deadline_seconds, "s")),
    );
    // `describeJobTemplate`.
    let job = spec.job_template.spec.clone().unwrap_or_default();
    match &job.selector {
        Some(s) => w.write(LEVEL_0, &format!("Selector:\t{}\n", selector_text(Some(s)))),
        None => w.write(LEVEL_0, "Selector:\t<unset>\n"),
    }
    w.write(LEVEL_0, &format!("Parallelism:\t{}\n", opt(job.parallelism.map(i64::from), "")));
    w.write(LEVEL_0, &format!("Completions:\t{}\n", opt(job.completions.map(i64::from), "")));
    if let Some(d) = job.active_deadline_seconds {
        w.write(LEVEL_0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    pod_template(&mut w, Some(&job.template), env);
    match &status.last_schedule_time {
        Some(t) => w.write(LEVEL_0, &format!("Last Schedule Time:\t{}\n", env.time(t))),
        None => w.write(LEVEL_0, "Last Schedule Time:\t<unset>\n"),
    }
    // `printActiveJobs`.
    let active: Vec<String> =
        status.active.iter().flatten().map(|r| r.name.clone().unwrap_or_default()).collect();
    if active.is_empty() {
        w.write(LEVEL_0, "Active Jobs:\t<none>\n");
    } else {
        w.write(LEVEL_0, &format!("Active Jobs:\t{}\n", active.join(", ")));
    }
    if let Some(list) = cj_events {
        events(&mut w, list, env);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::describe::pod::tests::{event, ts};

    #[test]
    fn cron_job_with_an_active_job() {
        let cj: CronJob = serde_json::from_value(json!({
            "metadata": {"name": "hello", "namespace": "default"},
            "spec": {"schedule": "*/1 * * * *", "concurrencyPolicy": "Allow", "suspend": false,
                "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                    "containers": [{"name": "hello", "image": "busybox",
                        "command": ["/bin/sh", "-c", "date; echo Hello"]}]}}}}},
            "status": {"lastScheduleTime": "2022-11-16T03:19:00Z",
                "active": [{"kind": "Job", "name": "hello-27810679", "namespace": "default"}]}
        }))
        .unwrap();
        let ev = event(
            "CronJob",
            "hello",
            "SuccessfulCreate",
            "cronjob-controller",
            "Created job hello-27810679",
            "2022-11-16T03:19:00Z",
        );
        let env = DescribeEnv { now: ts("2022-11-16T03:19:05Z"), utc_offset_seconds: 0, minor: 22 };
        let expected = "\
Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      */1 * * * *
Concurrency Policy:            Allow
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Pod Template:
  Labels:  <none>
  Containers:
   hello:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Command:
      /bin/sh
      -c
      date; echo Hello
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
Last Schedule Time:  Wed, 16 Nov 2022 03:19:00 +0000
Active Jobs:         hello-27810679
Events:
  Type    Reason            Age   From                Message
  ----    ------            ----  ----                -------
  Normal  SuccessfulCreate  5s    cronjob-controller  Created job hello-27810679
";
        assert_eq!(describe_cron_job(&cj, Some(&[&ev]), &env), expected);
    }

    #[test]
    fn suspended_with_deadline_and_no_jobs() {
        let cj: CronJob = serde_json::from_value(json!({
            "metadata": {"name": "nightly", "namespace": "default"},
            "spec": {"schedule": "0 2 * * *", "concurrencyPolicy": "Forbid", "suspend": true,
                "startingDeadlineSeconds": 200,
                "jobTemplate": {"spec": {"parallelism": 2, "completions": 4, "activeDeadlineSeconds": 600,
                    "template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}}
        }))
        .unwrap();
        let env = DescribeEnv { now: ts("2022-11-16T03:19:05Z"), utc_offset_seconds: 0, minor: 22 };
        let page = describe_cron_job(&cj, None, &env);
        let head = "\
Name:                          nightly
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      0 2 * * *
Concurrency Policy:            Forbid
Suspend:                       True
Successful Job History Limit:  <unset>
Failed Job History Limit:      <unset>
Starting Deadline Seconds:     200s
Selector:                      <unset>
Parallelism:                   2
Completions:                   4
Active Deadline Seconds:       600s
Pod Template:
";
        assert!(page.starts_with(head), "{page}");
        assert!(page.ends_with("  Volumes:           <none>\nLast Schedule Time:  <unset>\nActive Jobs:         <none>\n"), "{page}");
    }
}
