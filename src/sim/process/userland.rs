//! An image's userland: which shells and tools it ships, its top-level
//! directories, how `ls` lays out names, and `cd`, `pwd`, `whoami` and
//! `id`. Containers run as root, as the images tutorials use do (no `USER`
//! in busybox, nginx, httpd, ...). The files themselves are [`super::fs`].

/// The family of an image's userland: which shells exist and how `ls`
/// lays out names on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Userland {
    /// busybox (`busybox`): `sh`/`ash`, no bash.
    Busybox,
    /// Alpine (`alpine`, `*:alpine` tags): busybox tools, no bash.
    Alpine,
    /// Debian-based (nginx, httpd, debian, ubuntu, redis, ... — the default
    /// for official images): dash as `sh`, GNU bash and coreutils.
    Debian,
    /// CentOS/RHEL-family (centos, rockylinux, almalinux, fedora, Red Hat
    /// UBI): bash (also as `sh`), GNU coreutils, and RHEL's bash prompt.
    Rhel,
}

/// The userland of `image` (by repository name and tag).
pub fn userland(image: &str) -> Userland {
    let repo = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => (r, tag),
        _ => (repo, ""),
    };
    match repo.rsplit('/').next().unwrap_or(repo) {
        "busybox" => Userland::Busybox,
        "alpine" => Userland::Alpine,
        // The e2e `dnsutils` image is alpine with bind-tools added
        // (kubernetes `test/images/dnsutils/Dockerfile` and `BASEIMAGE`).
        "dnsutils" => Userland::Alpine,
        "centos" | "rockylinux" | "almalinux" | "fedora" | "ubi" | "ubi-minimal" | "ubi7"
        | "ubi8" | "ubi9" => Userland::Rhel,
        _ if tag.contains("alpine") => Userland::Alpine,
        _ => Userland::Debian,
    }
}

/// The shell an image runs when the pod gives no command (its `CMD`):
/// busybox `sh`, alpine `/bin/sh`, debian and ubuntu `bash` (Docker Hub
/// official images); `None` for images whose default is a server.
pub fn default_shell(image: &str) -> Option<&'static str> {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    match repo.rsplit('/').next().unwrap_or(repo) {
        "busybox" => Some("sh"),
        "alpine" => Some("/bin/sh"),
        "ubuntu" | "debian" => Some("bash"),
        _ => None,
    }
}

/// Whether `command -v WORD` finds something in a busybox-based image: a
/// path, or a shell, builtin or utility the container shell runs. An
/// entrypoint script asks this to tell a command from its tool's arguments
/// (curlimages/curl's `entrypoint.sh`).
pub fn on_path(word: &str) -> bool {
    word.contains('/')
        || matches!(
            word,
            "sh" | "ash"
                | "echo"
                | "sleep"
                | "exit"
                | "true"
                | "false"
                | ":"
                | "date"
                | "printenv"
                | "env"
                | "cat"
                | "hostname"
                | "ls"
                | "pwd"
                | "cd"
                | "whoami"
                | "id"
                | "wget"
                | "nslookup"
                | "curl"
                | "grep"
                | "egrep"
                | "head"
                | "tail"
                | "wc"
                | "sort"
                | "uniq"
                | "awk"
                | "sed"
                | "tr"
        )
}

/// Programs every modelled userland ships: POSIX utilities that are
/// busybox applets (busybox `include/applets.src.h` defaults) and, in
/// Debian and RHEL images, part of the essential coreutils, findutils,
/// tar, gzip and procps-less base.
const EVERY_USERLAND: &[&str] = &[
    "base64",
    "basename",
    "chgrp",
    "chmod",
    "chown",
    "cksum",
    "comm",
    "cp",
    "dd",
    "df",
    "dirname",
    "du",
    "expand",
    "expr",
    "find",
    "fold",
    "gunzip",
    "gzip",
    "id",
    "install",
    "kill",
    "ln",
    "md5sum",
    "mkdir",
    "mkfifo",
    "mktemp",
    "mount",
    "mv",
    "nice",
    "nl",
    "nohup",
    "nproc",
    "od",
    "paste",
    "printf",
    "readlink",
    "realpath",
    "rm",
    "rmdir",
    "seq",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "shuf",
    "split",
    "stat",
    "stty",
    "sync",
    "tac",
    "tar",
    "tee",
    "test",
    "[",
    "timeout",
    "touch",
    "truncate",
    "tty",
    "umount",
    "uname",
    "unexpand",
    "usleep",
    "xargs",
    "yes",
    "zcat",
    "which",
    "getopt",
    "diff",
    "cmp",
    "less",
    "more",
    "ls",
];

/// Programs that busybox and Alpine images ship as busybox applets but
/// Debian slim images do not (procps, iputils, net-tools, util-linux's
/// `rev` are not in Debian's essential set).
const BUSYBOX_ONLY: &[&str] = &[
    "rev",
    "ps",
    "top",
    "free",
    "uptime",
    "ping",
    "ping6",
    "nc",
    "netstat",
    "ifconfig",
    "ip",
    "route",
    "traceroute",
    "telnet",
    "vi",
    "watch",
    "pgrep",
    "pkill",
    "killall",
    "pidof",
    "hexdump",
    "xxd",
    "unzip",
    "bunzip2",
    "bzcat",
    "xz",
    "unxz",
    "arp",
    "hwclock",
    "dmesg",
    "free",
    "ftpget",
    "httpd",
    "udhcpc",
    "crond",
    "crontab",
    "flock",
    "fuser",
    "lsof",
    "nslookup",
    "wget",
    "ash",
];

impl Userland {
    /// Whether the image ships the text filter `name` ([`crate::textutil`]).
    /// busybox and Alpine have them as busybox applets; Debian-based images
    /// have grep, sed, coreutils (head, tail, wc, sort, uniq, tr, cut) and mawk
    /// as `awk` (all `Priority: required` in Debian, so in every `-slim`
    /// base). Images without a shell (distroless, scratch) never reach the
    /// container shell, so every userland here has them all.
    pub fn has_tool(self, name: &str) -> bool {
        match self {
            Userland::Busybox | Userland::Alpine | Userland::Debian | Userland::Rhel => matches!(
                name,
                "grep"
                    | "egrep"
                    | "head"
                    | "tail"
                    | "wc"
                    | "sort"
                    | "uniq"
                    | "awk"
                    | "sed"
                    | "tr"
                    | "cut"
            ),
        }
    }

    /// Whether the image ships the program `name` although kubeplay's
    /// container shell does not run it: the run stops `unsupported` then,
    /// rather than claiming the image lacks it (`sh: rev: not found`) or
    /// that it runs forever. Programs named in neither list stay "not
    /// found", as before (`ps` in Debian slim images, which lack procps).
    pub fn ships_unemulated(self, name: &str) -> bool {
        let name = name.rsplit('/').next().unwrap_or(name);
        EVERY_USERLAND.contains(&name)
            || match self {
                Userland::Busybox | Userland::Alpine => BUSYBOX_ONLY.contains(&name),
                Userland::Debian | Userland::Rhel => false,
            }
    }

    /// Whether the image has a shell called `name` (`sh`, `bash`, ...).
    pub fn has_shell(self, name: &str) -> bool {
        match name {
            "sh" | "/bin/sh" => true,
            "ash" | "/bin/ash" => !self.gnu(),
            "bash" | "/bin/bash" | "/usr/bin/bash" => self.gnu(),
            "dash" | "/bin/dash" => self == Userland::Debian,
            _ => false,
        }
    }

    /// GNU bash and coreutils (Debian- and RHEL-based) rather than busybox.
    pub fn gnu(self) -> bool {
        matches!(self, Userland::Debian | Userland::Rhel)
    }

    /// Top-level directories of the image (`ls /`). busybox 1.34 and
    /// Alpine 3.14 root filesystems, and Debian bullseye's (the base of
    /// the 2021 official images) — the era of Kubernetes v1.22.
    pub fn root(self) -> &'static [&'static str] {
        match self {
            Userland::Busybox => {
                &["bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "var"]
            }
            Userland::Alpine => &[
                "bin", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run",
                "sbin", "srv", "sys", "tmp", "usr", "var",
            ],
            Userland::Debian => &[
                "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc",
                "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
            ],
            // centos:7 (`docker run centos:7 ls /`, as many transcripts
            // show it); later RHEL-family images differ in details.
            Userland::Rhel => &[
                "anaconda-post.log",
                "bin",
                "dev",
                "etc",
                "home",
                "lib",
                "lib64",
                "media",
                "mnt",
                "opt",
                "proc",
                "root",
                "run",
                "sbin",
                "srv",
                "sys",
                "tmp",
                "usr",
                "var",
            ],
        }
    }
}

/// What an image adds at `/` to its base: the official nginx image's
/// entrypoint script and its hook directory (nginx `Dockerfile`, 1.19+).
pub fn image_root_extras(image: &str) -> &'static [&'static str] {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    match repo.rsplit('/').next().unwrap_or(repo) {
        "nginx" => &["docker-entrypoint.d", "docker-entrypoint.sh"],
        _ => &[],
    }
}

/// Makes `path` absolute against `cwd` and removes `.`/`..`/empty parts.
pub fn resolve(cwd: &str, path: &str) -> String {
    crate::workspace::resolve_in(cwd, path)
}

/// Runs `cd`, `pwd`, `whoami` or `id`; returns (output, status).
/// `prefix`: the shell's error prefix (`sh: `, `sh: 1: `, `bash: `).
pub fn run(
    fs: &super::fs::Fs,
    land: Userland,
    cwd: &mut String,
    name: &str,
    args: &[String],
    prefix: &str,
) -> (String, i32) {
    match name {
        "pwd" => (format!("{cwd}\n"), 0),
        "whoami" => ("root\n".to_owned(), 0),
        // coreutils and busybox `id` for root.
        "id" => ("uid=0(root) gid=0(root) groups=0(root)\n".to_owned(), 0),
        _ => {
            let arg = args.first().cloned();
            let target = arg.as_deref().map_or("/root".to_owned(), |a| resolve(cwd, a));
            match fs.node(&target) {
                super::fs::Node::Dir { .. } | super::fs::Node::Unknown => {
                    *cwd = target;
                    (String::new(), 0)
                }
                _ => {
                    let a = arg.unwrap_or_default();
                    // busybox ash / dash / bash wording.
                    let text = match land {
                        // RHEL's `sh` is bash too.
                        l if l == Userland::Rhel || (l.gnu() && prefix.starts_with("bash")) => {
                            format!("{prefix}cd: {a}: No such file or directory\n")
                        }
                        Userland::Debian => format!("{prefix}cd: can't cd to {a}\n"),
                        _ => format!("{prefix}cd: can't cd to {a}: No such file or directory\n"),
                    };
                    (text, if prefix.starts_with("bash") { 1 } else { 2 })
                }
            }
        }
    }
}

/// Names one per line, or in columns as `ls` does on an 80-column
/// terminal: column-major, GNU's columns each as wide as their longest name
/// plus two blanks (`ls.c` `print_many_per_line`), busybox's all as wide as
/// the longest name plus `COLUMN_GAP` 2 (`coreutils/ls.c` `display_files`).
pub fn layout(names: &[String], one: bool, land: Userland) -> String {
    if names.is_empty() {
        return String::new();
    }
    if one {
        return names.iter().map(|n| format!("{n}\n")).collect();
    }
    const WIDTH: usize = 80;
    let n = names.len();
    let widths = |rows: usize| -> Vec<usize> {
        let cols = n.div_ceil(rows);
        (0..cols)
            .map(|c| {
                names[c * rows..((c + 1) * rows).min(n)]
                    .iter()
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    };
    let (rows, col_widths) = match land {
        Userland::Debian | Userland::Rhel => (1..=n)
            .find_map(|rows| {
                let w = widths(rows);
                let total: usize = w.iter().map(|x| x + 2).sum::<usize>() - 2;
                (total < WIDTH).then_some((rows, w.iter().map(|x| x + 2).collect::<Vec<_>>()))
            })
            .unwrap_or((n, vec![0])),
        _ => {
            let longest = names.iter().map(|s| s.chars().count()).max().unwrap_or(0) + 2;
            let cols = (WIDTH / longest).max(1);
            let rows = n.div_ceil(cols);
            (rows, vec![longest; n.div_ceil(rows)])
        }
    };
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        let mut c = 0;
        while c * rows + r < n {
            let name = &names[c * rows + r];
            line.push_str(name);
            let last = (c + 1) * rows + r >= n;
            if !last {
                let pad = col_widths[c].saturating_sub(name.chars().count());
                line.push_str(&" ".repeat(pad));
            }
            c += 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells_by_image() {
        assert_eq!(default_shell("ubuntu:22.04"), Some("bash"));
        assert_eq!(default_shell("docker.io/library/busybox"), Some("sh"));
        assert_eq!(default_shell("nginx"), None);
        assert!(!userland("busybox:1.28").has_shell("bash"));
        assert!(userland("nginx").has_shell("bash"));
        assert!(!userland("nginx:1.21-alpine").has_shell("bash"));
        assert_eq!(resolve("/etc", "../usr/./bin"), "/usr/bin");
    }
}
