//! The nginx image: which configuration its master process runs with, and
//! the `nginx` command inside the container (`nginx -t`, `nginx -s
//! reload`, `nginx -v`).
//!
//! nginx reads its configuration when it starts and again when its master
//! gets SIGHUP (`nginx -s reload`), never otherwise: an edited file changes
//! nothing until then. A reload whose configuration fails the check keeps
//! the old one (`ngx_cycle.c` `ngx_init_cycle` fails, the master logs the
//! `[emerg]` and goes on with the old cycle).

pub mod conf;
pub mod directives;

use std::collections::BTreeMap;

use k8s_openapi::jiff::{Timestamp, tz::TimeZone};

pub use conf::{Config, Emerg, Loaded};

use crate::sim::process::fs::{Changes, Fs, Node};

/// The image's `conf.d/default.conf`.
const DEFAULT_CONF: &str = "/etc/nginx/conf.d/default.conf";

/// What the entrypoint's `10-listen-on-ipv6-by-default.sh` (docker-nginx
/// `entrypoint/`, from 1.19.0) finds at `/etc/nginx/conf.d/default.conf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultConf {
    /// The packaged file: it adds the IPv6 `listen` (what the image model's
    /// file already has).
    Packaged,
    /// Not a file: the directory is mounted from a volume without it.
    Missing,
    /// A mounted file (ConfigMap, Secret: read-only volumes): `touch`
    /// fails.
    ReadOnly,
    /// A writable file with the IPv6 `listen` already in it.
    AlreadyEnabled,
    /// A writable file that is not the packaged one.
    Differs,
}

impl DefaultConf {
    /// What `fs` (with the kubelet's `mounted` files) holds.
    pub fn of(fs: &Fs, mounted: &BTreeMap<String, String>) -> DefaultConf {
        let Node::File(text, _) = fs.node(DEFAULT_CONF) else { return DefaultConf::Missing };
        if mounted.contains_key(DEFAULT_CONF) {
            DefaultConf::ReadOnly
        } else if super::files::of("nginx")
            .files
            .iter()
            .any(|(p, t)| p == DEFAULT_CONF && *t == text)
        {
            DefaultConf::Packaged
        } else if text.contains("listen  [::]:80;") {
            DefaultConf::AlreadyEnabled
        } else {
            DefaultConf::Differs
        }
    }

    /// The script's lines (`info:` from 1.19.6, docker-nginx 14e7394).
    pub fn lines(self, version: (u32, u32, u32)) -> Vec<String> {
        let me = "10-listen-on-ipv6-by-default.sh";
        let (info, error) =
            if version >= (1, 19, 6) { ("info: ", "info: ") } else { ("", "error: ") };
        match self {
            DefaultConf::Missing => {
                vec![format!("{me}: {error}/{DEFAULT_CONF} is not a file or does not exist")]
            }
            DefaultConf::ReadOnly => {
                vec![format!("{me}: {error}can not modify {DEFAULT_CONF} (read-only file system?)")]
            }
            DefaultConf::AlreadyEnabled => vec![format!("{me}: info: IPv6 listen already enabled")],
            DefaultConf::Differs => vec![
                format!("{me}: {info}Getting the checksum of {DEFAULT_CONF}"),
                format!("{me}: info: {DEFAULT_CONF} differs from the packaged version"),
            ],
            DefaultConf::Packaged => vec![
                format!("{me}: {info}Getting the checksum of {DEFAULT_CONF}"),
                format!("{me}: {info}Enabled listen on IPv6 in {DEFAULT_CONF}"),
            ],
        }
    }

    /// The processes the script starts on this path (dash: the script,
    /// `$(basename)`, `touch`, `grep`, the checksum's command substitution
    /// with its three-stage pipeline, `echo | md5sum`, `sed`): what moves
    /// the workers' pids.
    fn processes(self) -> u32 {
        match self {
            DefaultConf::Missing => 2,
            DefaultConf::ReadOnly => 3,
            DefaultConf::AlreadyEnabled => 4,
            DefaultConf::Differs => 10,
            DefaultConf::Packaged => 11,
        }
    }
}

/// The pid of nginx's first worker in a container of `version` whose
/// entrypoint found `default_conf`: with the packaged file 29 on 1.25 and
/// 31 on 1.21.5–1.24 (seen in transcripts), 30 on the buster-based
/// 1.21.0–1.21.4 (a ConfigMap-mounted `default.conf` under 1.21.1 starts
/// its workers at 22: the NKS lifecycle-hook post quoted in
/// `startup::tests`); moved by the processes the IPv6 script did not
/// start. `None` before 1.21.
pub fn first_worker(version: (u32, u32, u32), default_conf: DefaultConf) -> Option<u32> {
    let packaged = match version {
        v if v >= (1, 25, 0) => 29,
        v if v >= (1, 21, 5) => 31,
        v if v >= (1, 21, 0) => 30,
        _ => return None,
    };
    Some(packaged - DefaultConf::Packaged.processes() + default_conf.processes())
}

/// The configuration the master process of a container runs with at
/// `now`: what it read at start, replaced at each SIGHUP up to `now`
/// (`hangups`: when, and how many of the run's `changes` were made by
/// then) whose configuration loads. `fs_at` builds the container's
/// filesystem from some of the changes.
pub fn running(
    changes: &Changes,
    hangups: &[(Timestamp, usize)],
    now: Timestamp,
    fs_at: impl Fn(&Changes) -> Fs,
) -> Loaded {
    // At start the container's writable layer is new: none of the run's
    // changes are there yet.
    let mut loaded = conf::load(&fs_at(&Vec::new()));
    if !matches!(loaded, Loaded::Ok(_)) {
        // The master never ran.
        return loaded;
    }
    for &(_, seen) in hangups.iter().filter(|(at, _)| *at <= now) {
        let before = changes[..seen.min(changes.len())].to_vec();
        match conf::load(&fs_at(&before)) {
            Loaded::Ok(config) => loaded = Loaded::Ok(config),
            // A failed reload keeps the running configuration.
            Loaded::Emerg(_) => {}
            unknown @ Loaded::Unknown(_) => return unknown,
        }
    }
    loaded
}

/// What `nginx ARGS` run in the container printed (stderr: nginx writes
/// everything there) and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// Its output.
    pub stderr: String,
    /// Its exit status.
    pub exit: i32,
    /// It sent SIGHUP to the master (`-s reload`).
    pub hangup: bool,
}

/// Runs `nginx ARGS` in a container of an nginx image of `version`, whose
/// filesystem is `fs`, at `now`, as a process with id `pid` (when known).
/// `Err` names what kubeplay does not model.
pub fn command(
    args: &[String],
    fs: &Fs,
    version: Option<(u32, u32, u32)>,
    now: Timestamp,
    pid: Option<u32>,
) -> Result<Ran, String> {
    let ok = |stderr: String, exit: i32| Ok(Ran { stderr, exit, hangup: false });
    let pid = || {
        pid.ok_or_else(|| {
            "the process id nginx logs (the processes started in the container before it are \
             not all known)"
                .to_owned()
        })
    };
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["-v"] => match version {
            // `ngx_show_version_info`.
            Some((a, b, c)) => ok(format!("nginx version: nginx/{a}.{b}.{c}\n"), 0),
            None => {
                Err("`nginx -v` of an nginx tag whose release kubeplay does not know".to_owned())
            }
        },
        ["-t"] | ["-t", "-q"] | ["-q", "-t"] => {
            let quiet = args.iter().any(|a| a == "-q");
            Ok(match conf::load(fs) {
                conf::Loaded::Ok(_) => {
                    // `ngx_init_cycle` and `main` in test mode.
                    let text = if quiet {
                        String::new()
                    } else {
                        format!(
                            "nginx: the configuration file {f} syntax is ok\nnginx: configuration file {f} test is successful\n",
                            f = conf::MAIN_FILE
                        )
                    };
                    Ran { stderr: text, exit: 0, hangup: false }
                }
                conf::Loaded::Emerg(e) => Ran {
                    stderr: format!(
                        "{}nginx: configuration file {} test failed\n",
                        emerg_lines(&e, now, pid()?),
                        conf::MAIN_FILE
                    ),
                    exit: 1,
                    hangup: false,
                },
                conf::Loaded::Unknown(what) => return Err(what),
            })
        }
        ["-s", "reload"] => {
            // `main` reads the whole configuration (`ngx_init_cycle`)
            // before `ngx_signal_process`: a file that fails the check
            // stops it there, with the `[emerg]`, and no signal is sent.
            // Otherwise it logs that it started (the error log is the
            // image's link to stderr), reads the master's pid file and
            // signals it.
            match conf::load(fs) {
                conf::Loaded::Ok(_) => {
                    let pid = pid()?;
                    Ok(Ran {
                        stderr: format!(
                            "{} [notice] {pid}#{pid}: signal process started\n",
                            stamp(now)
                        ),
                        exit: 0,
                        hangup: true,
                    })
                }
                conf::Loaded::Emerg(e) => {
                    Ok(Ran { stderr: emerg_lines(&e, now, pid()?), exit: 1, hangup: false })
                }
                conf::Loaded::Unknown(what) => Err(what),
            }
        }
        _ => Err(format!(
            "`nginx {}` in a container (kubeplay runs only -t, -s reload and -v)",
            args.join(" ")
        )),
    }
}

/// nginx's log time (`2024/02/20 23:11:01`, UTC: the container's zone).
pub fn stamp(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC).strftime("%Y/%m/%d %H:%M:%S").to_string()
}

/// How an `[emerg]` of the configuration check reaches stderr: once
/// through the error log (the image's `/var/log/nginx/error.log` is a link
/// to `/dev/stderr`, opened as a file), once from `ngx_log_error_core` to
/// stderr itself, as it does when the log is not the stderr descriptor.
pub fn emerg_lines(e: &Emerg, now: Timestamp, pid: u32) -> String {
    let text = e.text();
    format!("{} [emerg] {pid}#{pid}: {text}\nnginx: [emerg] {text}\n", stamp(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(changes: &Changes) -> Fs {
        Fs::new("nginx:1.25.4", &Default::default(), &[], changes)
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + s).unwrap()
    }

    fn edit(text: &str, s: i64) -> (String, crate::sim::process::fs::Change) {
        (
            "/etc/nginx/conf.d/default.conf".to_owned(),
            crate::sim::process::fs::Change::File { text: text.to_owned(), mtime: at(s) },
        )
    }

    fn ports(l: &Loaded) -> Vec<u16> {
        match l {
            Loaded::Ok(c) => c.ports(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_edit_counts_from_the_reload_after_it_and_a_bad_reload_keeps_the_old_one() {
        // Both edits in one instant: what a reload sees is ordered by the
        // changes made before it, not by time.
        let changes =
            vec![edit("server { listen 8080; }\n", 10), edit("server { listn 9090; }\n", 10)];
        let run = |hangups: &[(Timestamp, usize)], now| running(&changes, hangups, now, fs);
        assert_eq!(ports(&run(&[], at(60))), [80], "no reload: the start's configuration");
        assert_eq!(ports(&run(&[(at(10), 1)], at(25))), [8080]);
        assert_eq!(ports(&run(&[(at(20), 1)], at(15))), [80], "not yet reloaded");
        assert_eq!(
            ports(&run(&[(at(10), 1), (at(10), 2)], at(60))),
            [8080],
            "the broken file is refused"
        );
    }

    #[test]
    fn nginx_t_prints_nginx_s_texts() {
        let now = at(0);
        let good =
            command(&["-t".to_owned()], &fs(&Vec::new()), Some((1, 25, 4)), now, Some(40)).unwrap();
        assert_eq!(
            (good.stderr.as_str(), good.exit),
            (
                "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n",
                0
            )
        );
        let bad = command(
            &["-t".to_owned()],
            &fs(&vec![edit("server {\n  foo;\n}\n", 0)]),
            Some((1, 25, 4)),
            now,
            Some(40),
        )
        .unwrap();
        assert_eq!(bad.exit, 1);
        assert_eq!(
            bad.stderr,
            "2023/11/14 22:13:20 [emerg] 40#40: unknown directive \"foo\" in /etc/nginx/conf.d/default.conf:2\n\
             nginx: [emerg] unknown directive \"foo\" in /etc/nginx/conf.d/default.conf:2\n\
             nginx: configuration file /etc/nginx/nginx.conf test failed\n"
        );
        let reload =
            command(&["-s".to_owned(), "reload".to_owned()], &fs(&Vec::new()), None, now, Some(41))
                .unwrap();
        assert!(reload.hangup);
        assert_eq!(reload.stderr, "2023/11/14 22:13:20 [notice] 41#41: signal process started\n");
        // The signal process checks the files first, and sends nothing.
        let broken = fs(&vec![edit("server {\n  foo;\n}\n", 0)]);
        let refused =
            command(&["-s".to_owned(), "reload".to_owned()], &broken, None, now, Some(42)).unwrap();
        assert_eq!((refused.exit, refused.hangup), (1, false));
        assert!(refused.stderr.ends_with(
            "nginx: [emerg] unknown directive \"foo\" in /etc/nginx/conf.d/default.conf:2\n"
        ));
    }
}
