//! What server images print when they start: nginx's entrypoint scripts and
//! start-up notices, httpd's start-up lines. Rendered for one container
//! start (its time, the node's kernel and CPU count, the pod's IP).
//!
//! The texts are those of the official images' Debian variants; the
//! version ranges below are where each line appears:
//! - nginx ≥ 1.19.0 runs `/docker-entrypoint.sh` (docker-nginx
//!   `entrypoint/docker-entrypoint.sh`), which announces each script of
//!   `/docker-entrypoint.d/`; `30-tune-worker-processes.sh` ships from
//!   1.21.0, `15-local-resolvers.envsh` from 1.25.3.
//! - nginx ≥ 1.21.0 logs at `notice` level (`error_log ... notice` in the
//!   image's nginx.conf), so its own start-up notices reach the log: event
//!   method, version, compiler, `OS: Linux <kernel>` (uname of the node),
//!   the open-files limit, and one `start worker process PID` per CPU
//!   (`worker_processes auto`); the first worker's PID follows the
//!   entrypoint's own processes (29 on 1.25, 31 before).
//! - Older nginx images log nothing until a request comes.
//!
//! Timestamps are nginx's own `2024/03/01 10:00:00` (UTC, the container's
//! zone) from the virtual clock.

use std::time::Duration;

use k8s_openapi::jiff::{Timestamp, tz::TimeZone};

use super::nginx::{DefaultConf, Loaded};

/// A release: (major, minor, patch).
pub type Version = (u32, u32, u32);

/// Host facts a start-up log mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    /// `uname -r` of the node.
    pub kernel: String,
    /// CPUs of the node (nginx starts one worker per CPU).
    pub cpus: u32,
    /// The pod's IP (httpd names it when it guesses its server name).
    pub pod_ip: String,
    /// The container's `$HOSTNAME` (the pod's hostname).
    pub hostname: String,
    /// A stable per-container number (httpd's thread id).
    pub salt: u64,
}

/// nginx mainline releases and when their image became `nginx:latest`
/// (nginx.org CHANGES dates), for an untagged or `latest` reference.
const NGINX_LATEST: &[(i64, Version)] = &[
    (1_590_451_200, (1, 19, 0)), // 2020-05-26
    (1_621_900_800, (1, 21, 0)), // 2021-05-25
    (1_635_811_200, (1, 21, 4)), // 2021-11-02
    (1_643_068_800, (1, 21, 6)), // 2022-01-25
    (1_655_769_600, (1, 23, 0)), // 2022-06-21
    (1_666_137_600, (1, 23, 2)), // 2022-10-19
    (1_679_961_600, (1, 23, 4)), // 2023-03-28
    (1_684_800_000, (1, 25, 0)), // 2023-05-23
    (1_698_105_600, (1, 25, 3)), // 2023-10-24
    (1_707_868_800, (1, 25, 4)), // 2024-02-14
    (1_713_225_600, (1, 25, 5)), // 2024-04-16
    (1_716_940_800, (1, 27, 0)), // 2024-05-29
    (1_727_827_200, (1, 27, 2)), // 2024-10-02
];

/// httpd releases and their dates, for `httpd`, `httpd:latest`, `httpd:2.4`,
/// `httpd:2.2`.
const HTTPD_LATEST: &[(i64, Version)] = &[
    (1_499_731_200, (2, 2, 34)), // 2017-07-11, the last 2.2 release
    (1_633_564_800, (2, 4, 51)), // 2021-10-07
    (1_639_958_400, (2, 4, 52)), // 2021-12-20
    (1_647_216_000, (2, 4, 53)), // 2022-03-14
    (1_654_646_400, (2, 4, 54)), // 2022-06-08
    (1_673_913_600, (2, 4, 55)), // 2023-01-17
    (1_678_147_200, (2, 4, 56)), // 2023-03-07
    (1_680_739_200, (2, 4, 57)), // 2023-04-06
    (1_697_673_600, (2, 4, 58)), // 2023-10-19
    (1_712_188_800, (2, 4, 59)), // 2024-04-04
    (1_719_792_000, (2, 4, 61)), // 2024-07-01
    (1_721_174_400, (2, 4, 62)), // 2024-07-17
];

/// The release a tag names at `now`: a full version as is, a partial one
/// (`1.25`, `2.4`) or a named tag as the newest matching release of the
/// table, else the partial version with zeros.
fn resolve(tag: &str, table: &[(i64, Version)], now: Timestamp) -> Version {
    let version = tag.split('-').next().unwrap_or(tag);
    let parts: Vec<u32> = version.split('.').map_while(|p| p.parse().ok()).collect();
    if let [a, b, c, ..] = parts.as_slice() {
        return (*a, *b, *c);
    }
    let mut released = table.iter().filter(|(at, _)| *at <= now.as_second());
    let newest = released
        .rfind(|(_, v)| match parts.as_slice() {
            [a, b] => v.0 == *a && v.1 == *b,
            [a] => v.0 == *a,
            _ => true,
        })
        .map(|(_, v)| *v);
    newest.unwrap_or(match parts.as_slice() {
        [a, b] => (*a, *b, 0),
        [a] => (*a, 0, 0),
        _ => table.first().map_or((0, 0, 0), |(_, v)| *v),
    })
}

/// What an image's process printed at start, and how it ended if it did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Started {
    /// The lines, with their times since the start.
    pub output: Vec<(Duration, String)>,
    /// Its exit status, when it exits at once.
    pub exit: Option<i32>,
}

/// nginx's start-up output for image tag `tag` started at `start`, whose
/// entrypoint found `default_conf` and whose master read `loaded`: the
/// lines and, when the configuration fails its check, the exit status
/// (1). `Err` names what kubeplay does not know of it.
pub fn nginx(
    tag: &str,
    start: Timestamp,
    host: &Host,
    default_conf: DefaultConf,
    loaded: &Loaded,
) -> Result<Started, String> {
    let v = nginx_version(tag, start);
    let mut lines: Vec<String> = Vec::new();
    if v >= (1, 19, 0) {
        let e = "/docker-entrypoint.sh";
        let d = "/docker-entrypoint.d";
        lines.push(format!("{e}: {d}/ is not empty, will attempt to perform configuration"));
        lines.push(format!("{e}: Looking for shell scripts in {d}/"));
        lines.push(format!("{e}: Launching {d}/10-listen-on-ipv6-by-default.sh"));
        lines.extend(default_conf.lines(v));
        if v >= (1, 25, 3) {
            lines.push(format!("{e}: Sourcing {d}/15-local-resolvers.envsh"));
        }
        lines.push(format!("{e}: Launching {d}/20-envsubst-on-templates.sh"));
        if v >= (1, 21, 0) {
            lines.push(format!("{e}: Launching {d}/30-tune-worker-processes.sh"));
        }
        lines.push(format!("{e}: Configuration complete; ready for start up"));
    }
    let stamp = start.to_zoned(TimeZone::UTC).strftime("%Y/%m/%d %H:%M:%S").to_string();
    let config = match loaded {
        Loaded::Ok(c) => c,
        Loaded::Emerg(e) => {
            // The master's own pid is 1 (the entrypoint `exec`s it).
            lines.push(super::nginx::emerg_lines(e, start, 1).trim_end().to_owned());
            let output = lines.into_iter().map(|l| (Duration::ZERO, format!("{l}\n"))).collect();
            return Ok(Started { output, exit: Some(1) });
        }
        Loaded::Unknown(what) => return Err(what.clone()),
    };
    if config.notices_logged {
        let Some(first_worker) = super::nginx::first_worker(v, default_conf) else {
            return Err(format!("the pids of nginx {}.{}.{}'s workers", v.0, v.1, v.2));
        };
        // The Debian release each image is built on (bookworm, bullseye,
        // buster before 1.21.5).
        let gcc = if v >= (1, 25, 0) {
            "gcc 12.2.0 (Debian 12.2.0-14)"
        } else if v >= (1, 21, 5) {
            "gcc 10.2.1 20210110 (Debian 10.2.1-6)"
        } else {
            "gcc 8.3.0 (Debian 8.3.0-6)"
        };
        let mut notices = vec![
            "using the \"epoll\" event method".to_owned(),
            format!("nginx/{}.{}.{}", v.0, v.1, v.2),
            // nginx prints the compiler string with a trailing blank.
            format!("built by {gcc} "),
            format!("OS: Linux {}", host.kernel),
            "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_owned(),
            "start worker processes".to_owned(),
        ];
        for i in 0..workers(config, host) {
            notices.push(format!("start worker process {}", first_worker + i));
        }
        lines.extend(notices.into_iter().map(|n| format!("{stamp} [notice] 1#1: {n}")));
    }
    Ok(Started {
        output: lines.into_iter().map(|l| (Duration::ZERO, format!("{l}\n"))).collect(),
        exit: None,
    })
}

/// How many workers nginx starts: `worker_processes N`, or one per CPU
/// (`auto`).
pub fn workers(config: &super::nginx::Config, host: &Host) -> u32 {
    config.workers.unwrap_or(host.cpus).max(1)
}

/// The nginx release a tag runs at `now` (a named or partial tag: the
/// newest release it named then).
pub fn nginx_version(tag: &str, now: Timestamp) -> Version {
    resolve(tag, NGINX_LATEST, now)
}

/// httpd's start-up output (`httpd-foreground`): it cannot resolve its
/// own name, so it warns twice (config test and start), then the MPM
/// announces itself.
pub fn httpd(tag: &str, start: Timestamp, host: &Host) -> Vec<(Duration, String)> {
    let v = resolve(tag, HTTPD_LATEST, start);
    let ip = &host.pod_ip;
    let zoned = start.to_zoned(TimeZone::UTC);
    let lines: Vec<String> = if v >= (2, 4, 0) {
        let warn = format!(
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain \
             name, using {ip}. Set the 'ServerName' directive globally to suppress this message"
        );
        let micros = host.salt % 1_000_000;
        let stamp =
            format!("{}.{micros:06} {}", zoned.strftime("%a %b %d %H:%M:%S"), zoned.strftime("%Y"));
        let tid = 139_900_000_000_000 + host.salt % 100_000_000_000;
        vec![
            warn.clone(),
            warn,
            format!(
                "[{stamp}] [mpm_event:notice] [pid 1:tid {tid}] AH00489: Apache/{}.{}.{} (Unix) \
                 configured -- resuming normal operations",
                v.0, v.1, v.2
            ),
            format!(
                "[{stamp}] [core:notice] [pid 1:tid {tid}] AH00094: Command line: 'httpd -D FOREGROUND'"
            ),
        ]
    } else {
        let stamp = zoned.strftime("%a %b %d %H:%M:%S %Y").to_string();
        vec![
            format!(
                "httpd: Could not reliably determine the server's fully qualified domain name, \
                 using {ip} for ServerName"
            ),
            format!(
                "[{stamp}] [notice] Apache/{}.{}.{} (Unix) configured -- resuming normal operations",
                v.0, v.1, v.2
            ),
        ]
    };
    lines.into_iter().map(|l| (Duration::ZERO, format!("{l}\n"))).collect()
}

/// The Kubernetes Basics app's line when it starts listening (its
/// `/server.js`: `console.log("Kubernetes Bootcamp App Started At:",
/// startTime, "| Running On: ", host, "\n")`): node joins the arguments
/// with spaces and prints the Date as ISO 8601 with milliseconds, so the
/// line ends with a blank and an empty line follows. The milliseconds
/// node took to start are a stable per-container number.
pub fn bootcamp(start: Timestamp, host: &Host) -> Vec<(Duration, String)> {
    let delay = Duration::from_millis(100 + host.salt % 400);
    let listening = start + delay;
    let stamp = listening.to_zoned(TimeZone::UTC).strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    vec![(
        delay,
        format!(
            "Kubernetes Bootcamp App Started At: {stamp} | Running On:  {} \n\n",
            host.hostname
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Host {
        Host {
            kernel: "6.6.12-linuxkit".into(),
            cpus: 2,
            pod_ip: "10.244.0.3".into(),
            hostname: "web-0".into(),
            salt: 7,
        }
    }

    #[test]
    fn tags_resolve_by_date() {
        let t2022 = Timestamp::from_second(1_668_567_000).unwrap(); // 2022-11-16
        assert_eq!(resolve("latest", NGINX_LATEST, t2022), (1, 23, 2));
        assert_eq!(resolve("1.21", NGINX_LATEST, t2022), (1, 21, 6));
        assert_eq!(resolve("1.25.4-alpine", NGINX_LATEST, t2022), (1, 25, 4));
        assert_eq!(resolve("1.25", NGINX_LATEST, t2022), (1, 25, 0));
        assert_eq!(resolve("2.4", HTTPD_LATEST, t2022), (2, 4, 54));
        assert_eq!(resolve("2.2", HTTPD_LATEST, t2022), (2, 2, 34));
        assert_eq!(resolve("latest", HTTPD_LATEST, t2022), (2, 4, 54));
    }

    #[test]
    fn nginx_1_25_prints_its_entrypoint_and_notices() {
        let start = Timestamp::from_second(1_708_470_661).unwrap(); // 2024-02-20 23:11:01
        let run = |tag: &str, dc| {
            let image = format!("nginx:{tag}");
            let fs =
                crate::sim::process::fs::Fs::new(&image, &Default::default(), &[], &Vec::new());
            let loaded = super::super::nginx::conf::load(&fs);
            nginx(tag, start, &host(), dc, &loaded).unwrap().output
        };
        let text: String =
            run("1.25.4", DefaultConf::Packaged).into_iter().map(|(_, l)| l).collect();
        assert!(text.starts_with(
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n"
        ));
        assert!(text.contains(
            "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n"
        ));
        assert!(text.contains("2024/02/20 23:11:01 [notice] 1#1: nginx/1.25.4\n"));
        assert!(text.contains("2024/02/20 23:11:01 [notice] 1#1: OS: Linux 6.6.12-linuxkit\n"));
        assert!(text.ends_with(
            "start worker process 29\n2024/02/20 23:11:01 [notice] 1#1: start worker process 30\n"
        ));
        let mounted: String =
            run("1.25.4", DefaultConf::ReadOnly).into_iter().map(|(_, l)| l).collect();
        assert!(mounted.contains(
            "10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)\n"
        ));
        // Eight processes fewer before the workers.
        assert!(mounted.ends_with(
            "start worker process 21\n2024/02/20 23:11:01 [notice] 1#1: start worker process 22\n"
        ));
        let early: String =
            run("1.19.2", DefaultConf::ReadOnly).into_iter().map(|(_, l)| l).collect();
        assert!(early.contains("10-listen-on-ipv6-by-default.sh: error: can not modify"));
        assert!(run("1.7.9", DefaultConf::Packaged).is_empty());
        // A ConfigMap over conf.d under nginx 1.21.1 on four CPUs (a
        // Linuxer blog post on NKS, 2021-09-02: `k logs ... -c nginx`).
        let start = Timestamp::from_second(1_630_542_655).unwrap(); // 2021-09-02 00:30:55
        let four = Host { cpus: 4, kernel: "5.4.8-050408-generic".into(), ..host() };
        let fs =
            crate::sim::process::fs::Fs::new("nginx:1.21.1", &Default::default(), &[], &Vec::new());
        let loaded = super::super::nginx::conf::load(&fs);
        let text: String = nginx("1.21.1", start, &four, DefaultConf::ReadOnly, &loaded)
            .unwrap()
            .output
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert!(
            text.contains(
                "2021/09/02 00:30:55 [notice] 1#1: built by gcc 8.3.0 (Debian 8.3.0-6) \n"
            )
        );
        assert!(!text.contains("15-local-resolvers"));
        assert!(text.ends_with(
            "start worker process 22\n2021/09/02 00:30:55 [notice] 1#1: start worker process 23\n\
             2021/09/02 00:30:55 [notice] 1#1: start worker process 24\n\
             2021/09/02 00:30:55 [notice] 1#1: start worker process 25\n"
        ));
    }
}
