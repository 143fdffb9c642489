//! What a container's filesystem and user look like to `ls`, `cd`, `pwd`,
//! `whoami` and `id`: the image's top-level directories, plus the files the
//! kubelet mounts (ConfigMap and Secret keys). Containers run as root, as
//! the images tutorials use do (no `USER` in busybox, nginx, httpd, ...).
//!
//! Only what can be shown faithfully is here: names, not sizes, modes or
//! dates, so `ls -l` is refused rather than invented.

use std::collections::BTreeSet;

use super::Context;

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
    "cut",
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
    /// have grep, sed, coreutils (head, tail, wc, sort, uniq, tr) and mawk
    /// as `awk` (all `Priority: required` in Debian, so in every `-slim`
    /// base). Images without a shell (distroless, scratch) never reach the
    /// container shell, so every userland here has them all.
    pub fn has_tool(self, name: &str) -> bool {
        match self {
            Userland::Busybox | Userland::Alpine | Userland::Debian | Userland::Rhel => matches!(
                name,
                "grep" | "egrep" | "head" | "tail" | "wc" | "sort" | "uniq" | "awk" | "sed" | "tr"
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
    fn root(self) -> &'static [&'static str] {
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
fn image_root_extras(image: &str) -> &'static [&'static str] {
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
    let joined = if path.starts_with('/') { path.to_owned() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// What a path is in the container.
enum Entry {
    /// A directory with these names in it.
    Dir(BTreeSet<String>),
    /// A directory of the image whose content kubeplay does not model.
    Opaque,
    /// A mounted file.
    File,
    /// Nothing there.
    Missing,
}

/// The directory of `path` as kubeplay knows it: `/` (the image's root
/// plus mount points), a volume's mount directory or below it (the
/// volume's files), an ancestor of a mount or an image directory (opaque:
/// its other content is the image's).
fn entry(ctx: &Context, path: &str) -> Entry {
    if ctx.files.contains_key(path) {
        return Entry::File;
    }
    let land = userland(&ctx.image);
    let prefix = if path == "/" { "/".to_owned() } else { format!("{path}/") };
    let inside_mount = ctx.mounts.iter().any(|m| path == m || path.starts_with(&format!("{m}/")));
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut below = false;
    for known in ctx.files.keys().chain(ctx.mounts.iter()) {
        let Some(rest) = known.strip_prefix(&prefix) else { continue };
        below = true;
        if let Some(first) = rest.split('/').next().filter(|f| !f.is_empty()) {
            names.insert(first.to_owned());
        }
    }
    if path == "/" {
        // Top-level mount points show; files the kubelet puts in image
        // directories (`/etc/hosts`) do not add directories.
        names.extend(land.root().iter().map(|s| (*s).to_owned()));
        names.extend(image_root_extras(&ctx.image).iter().map(|s| (*s).to_owned()));
        return Entry::Dir(names);
    }
    if inside_mount {
        return Entry::Dir(names);
    }
    let top = path.split('/').nth(1).unwrap_or_default();
    if below || land.root().contains(&top) { Entry::Opaque } else { Entry::Missing }
}

/// Runs `ls`, `cd`, `pwd`, `whoami` or `id`; returns (output, status).
/// `tty`: stdout is a terminal (`kubectl exec -t`), so `ls` uses columns;
/// `prefix`: the shell's error prefix (`sh: `, `sh: 1: `, `bash: `).
pub fn run(
    ctx: &Context,
    cwd: &mut String,
    name: &str,
    args: &[String],
    tty: bool,
    prefix: &str,
) -> (String, i32) {
    let land = userland(&ctx.image);
    match name {
        "pwd" => (format!("{cwd}\n"), 0),
        "whoami" => ("root\n".to_owned(), 0),
        // coreutils and busybox `id` for root.
        "id" => ("uid=0(root) gid=0(root) groups=0(root)\n".to_owned(), 0),
        "cd" => {
            let arg = args.first().cloned();
            let target = arg.as_deref().map_or("/root".to_owned(), |a| resolve(cwd, a));
            match entry(ctx, &target) {
                Entry::Dir(_) | Entry::Opaque => {
                    *cwd = target;
                    (String::new(), 0)
                }
                _ => {
                    let a = arg.unwrap_or_default();
                    // busybox ash / dash / bash wording.
                    let text = match (land, prefix.contains(':')) {
                        // RHEL's `sh` is bash too.
                        (l, _)
                            if l == Userland::Rhel || (l.gnu() && prefix.starts_with("bash")) =>
                        {
                            format!("{prefix}cd: {a}: No such file or directory\n")
                        }
                        (Userland::Debian, _) => format!("{prefix}cd: can't cd to {a}\n"),
                        _ => format!("{prefix}cd: can't cd to {a}: No such file or directory\n"),
                    };
                    (text, if prefix.starts_with("bash") { 1 } else { 2 })
                }
            }
        }
        _ => ls(ctx, cwd, args, tty, land),
    }
}

fn ls(ctx: &Context, cwd: &str, args: &[String], tty: bool, land: Userland) -> (String, i32) {
    let mut all = false;
    let mut one = !tty;
    let mut paths = Vec::new();
    for a in args {
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            for f in flags.chars() {
                match f {
                    'a' => all = true,
                    '1' => one = true,
                    other => {
                        return (
                            format!(
                                "ls: -{other}: not supported by kubeplay's container ls \
                                 (it shows names only: -1, -a)\n"
                            ),
                            2,
                        );
                    }
                }
            }
        } else {
            paths.push(a.clone());
        }
    }
    if paths.is_empty() {
        paths.push(".".to_owned());
    }
    let mut out = String::new();
    let mut status = 0;
    let many = paths.len() > 1;
    for (i, p) in paths.iter().enumerate() {
        let path = resolve(cwd, p);
        match entry(ctx, &path) {
            Entry::File => out.push_str(&format!("{p}\n")),
            Entry::Opaque => {
                out.push_str(&format!(
                    "ls: {p}: kubeplay does not model this image directory's content \
                     (only `/` and mounted volumes)\n"
                ));
                status = 2;
            }
            Entry::Missing => {
                let msg = if land.gnu() {
                    format!("ls: cannot access '{p}': No such file or directory\n")
                } else {
                    format!("ls: {p}: No such file or directory\n")
                };
                out.push_str(&msg);
                status = if land.gnu() { 2 } else { 1 };
            }
            Entry::Dir(names) => {
                if many {
                    if i > 0 {
                        out.push('\n');
                    }
                    out.push_str(&format!("{p}:\n"));
                }
                let mut names: Vec<String> =
                    names.into_iter().filter(|n| all || !n.starts_with('.')).collect();
                if all {
                    names.insert(0, "..".to_owned());
                    names.insert(0, ".".to_owned());
                }
                out.push_str(&layout(&names, one, land));
            }
        }
    }
    (out, status)
}

/// Names one per line, or in columns as `ls` does on an 80-column
/// terminal: column-major, GNU's columns each as wide as their longest name
/// plus two blanks (`ls.c` `print_many_per_line`), busybox's all as wide as
/// the longest name plus `COLUMN_GAP` 2 (`coreutils/ls.c` `display_files`).
fn layout(names: &[String], one: bool, land: Userland) -> String {
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

    fn ctx(image: &str) -> Context {
        Context {
            image: image.to_owned(),
            files: [
                ("/etc/config/game.properties", "x"),
                ("/etc/config/ui.properties", "y"),
                ("/etc/hosts", "127.0.0.1\tlocalhost\n"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
            mounts: vec!["/etc/config".to_owned()],
            ..Context::default()
        }
    }

    #[test]
    fn ls_of_a_mounted_directory_and_of_the_root() {
        let c = ctx("busybox");
        let ls_in = |cwd: &str, args: &[&str], tty: bool| {
            let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
            run(&c, &mut cwd.to_owned(), "ls", &args, tty, "sh: ")
        };
        let ls = |args: &[&str], tty: bool| ls_in("/", args, tty);
        let mut cwd = "/".to_owned();
        assert_eq!(ls(&["/etc/config"], false).0, "game.properties\nui.properties\n");
        assert_eq!(ls(&["/etc/config"], true).0, "game.properties  ui.properties\n");
        assert_eq!(
            ls(&["/"], true).0,
            "bin   dev   etc   home  proc  root  sys   tmp   usr   var\n"
        );
        assert_eq!(ls(&["/nope"], false), ("ls: /nope: No such file or directory\n".into(), 1));
        assert_eq!(ls(&["-l"], false).1, 2);
        assert_eq!(ls(&["/etc"], false).1, 2, "an image directory kubeplay cannot list");
        assert_eq!(run(&c, &mut cwd, "cd", &["/etc/config".into()], true, "sh: ").1, 0);
        assert_eq!(run(&c, &mut cwd, "pwd", &[], true, "sh: ").0, "/etc/config\n");
        assert_eq!(ls_in(&cwd, &[], false).0, "game.properties\nui.properties\n");
    }

    #[test]
    fn gnu_ls_columns() {
        let c = ctx("debian:bullseye");
        let (out, _) = run(&c, &mut "/".to_owned(), "ls", &[], true, "bash: ");
        assert_eq!(
            out,
            "bin   dev  home  lib64  mnt  proc  run   srv  tmp  var\n\
             boot  etc  lib   media  opt  root  sbin  sys  usr\n"
        );
        let c = ctx("nginx:1.21");
        let (out, _) = run(&c, &mut "/".to_owned(), "ls", &[], true, "bash: ");
        assert_eq!(
            out,
            "bin   docker-entrypoint.d   home   media  proc  sbin  tmp\n\
             boot  docker-entrypoint.sh  lib    mnt    root  srv   usr\n\
             dev   etc                   lib64  opt    run   sys   var\n"
        );
    }

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
