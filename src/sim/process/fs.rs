//! A container's filesystem as its processes see it: the image's files
//! that tutorials touch ([`crate::sim::images::files`]), the files the
//! kubelet mounts (`/etc/hosts`, `/etc/resolv.conf`, `/etc/hostname`,
//! ConfigMap/Secret keys), and the changes the container's processes made
//! since it started ([`Changes`], kept by the kubelet for the container's
//! lifetime and lost when it restarts, as a container's writable layer is).
//!
//! What kubeplay does not know is said so: a directory of the image whose
//! content is not modelled (`/usr/bin`) is *opaque*; reading or listing
//! what is inside it is unsupported rather than invented or "missing".

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::jiff::Timestamp;

use super::userland::{self, Userland};

/// One change a container's processes made to its filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A file written (created, replaced or appended to) at `mtime`.
    File {
        /// Its content.
        text: String,
        /// When it was last written.
        mtime: Timestamp,
    },
    /// A directory made at `mtime`.
    Dir {
        /// When it was made.
        mtime: Timestamp,
    },
    /// The path (and all below it) removed, at the time given.
    Removed(Timestamp),
}

impl Change {
    /// When the change was made.
    pub fn at(&self) -> Timestamp {
        match self {
            Change::File { mtime, .. } | Change::Dir { mtime } => *mtime,
            Change::Removed(at) => *at,
        }
    }
}

/// The changes made at or before `t`, in order: a container's filesystem
/// at that instant, out of a replay that may have gone further.
pub fn until(changes: &Changes, t: Timestamp) -> Changes {
    changes.iter().filter(|(_, c)| c.at() <= t).cloned().collect()
}

/// The changes a container made, by absolute path, in the order they
/// apply (a removal then a re-creation are two entries: later wins).
pub type Changes = Vec<(String, Change)>;

/// What is at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A regular file: its text, and its mtime when kubeplay knows it (a
    /// file the container wrote; an image's or a mount's date is unknown).
    File(String, Option<Timestamp>),
    /// A directory; `complete` when kubeplay knows all that is in it;
    /// its mtime when the container made it.
    Dir {
        /// Every entry of it is known.
        complete: bool,
        /// When the container made it.
        mtime: Option<Timestamp>,
    },
    /// Nothing there.
    Missing,
    /// Inside an image directory kubeplay does not model: unknown.
    Unknown,
}

/// Why a filesystem operation failed, as `errno`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsError {
    /// `ENOENT`.
    NotFound,
    /// `EISDIR`.
    IsDir,
    /// `ENOTDIR`.
    NotDir,
    /// `EEXIST`.
    Exists,
    /// `ENOTEMPTY`.
    NotEmpty,
    /// The path lies in a part of the image kubeplay does not model, named.
    Unknown(String),
}

impl FsError {
    /// The C library's `strerror` text.
    pub fn text(&self) -> &str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::Unknown(_) => "unknown",
        }
    }
}

/// The parent directory of an absolute path (`/` for `/x`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a path.
pub fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A container's filesystem.
#[derive(Debug, Clone)]
pub struct Fs {
    files: BTreeMap<String, (String, Option<Timestamp>)>,
    /// Known directories: complete or not, and their mtime.
    dirs: BTreeMap<String, (bool, Option<Timestamp>)>,
    /// The image's top-level names (`ls /`).
    root: BTreeSet<String>,
    /// Paths removed (everything below them is gone too).
    removed: BTreeSet<String>,
    /// The changes made since [`Fs::new`] (including `changes` given).
    changes: Changes,
}

impl Fs {
    /// The filesystem of a container of `image` with the kubelet's files
    /// `mounted` (by path), whole volumes mounted at `mounts`, and the
    /// container's own earlier `changes`.
    pub fn new(
        image: &str,
        mounted: &BTreeMap<String, String>,
        mounts: &[String],
        changes: &Changes,
    ) -> Fs {
        let land = userland::userland(image);
        let mut fs = Fs {
            files: BTreeMap::new(),
            dirs: BTreeMap::new(),
            root: land
                .root()
                .iter()
                .chain(userland::image_root_extras(image))
                .map(|s| (*s).to_owned())
                .collect(),
            removed: BTreeSet::new(),
            changes: Vec::new(),
        };
        let shipped = crate::sim::images::files::of(image);
        for dir in shipped.dirs {
            fs.dirs.insert((*dir).to_owned(), (true, None));
        }
        for (path, text) in shipped.files {
            fs.files.insert(path, (text, shipped.mtime));
        }
        // `/tmp` is empty in every image tutorials use.
        fs.dirs.insert("/tmp".to_owned(), (true, None));
        for m in mounts {
            // A volume mounted over an image directory hides its content.
            let prefix = format!("{m}/");
            fs.files.retain(|p, _| !p.starts_with(&prefix));
            fs.dirs.insert(m.clone(), (true, None));
        }
        for (path, text) in mounted {
            fs.files.insert(path.clone(), (text.clone(), None));
        }
        for (path, change) in changes {
            fs.apply(path, change.clone());
        }
        fs
    }

    /// The changes made to this filesystem, oldest first.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    fn apply(&mut self, path: &str, change: Change) {
        match &change {
            Change::File { text, mtime } => {
                self.removed.remove(path);
                self.files.insert(path.to_owned(), (text.clone(), Some(*mtime)));
            }
            Change::Dir { mtime } => {
                self.removed.remove(path);
                self.dirs.insert(path.to_owned(), (true, Some(*mtime)));
            }
            Change::Removed(_) => {
                let prefix = format!("{path}/");
                self.files.retain(|p, _| p != path && !p.starts_with(&prefix));
                self.dirs.retain(|p, _| p != path && !p.starts_with(&prefix));
                self.removed.retain(|p| !p.starts_with(&prefix));
                self.removed.insert(path.to_owned());
            }
        }
        self.changes.push((path.to_owned(), change));
    }

    fn gone(&self, path: &str) -> bool {
        let mut p = path;
        loop {
            if self.removed.contains(p) {
                return true;
            }
            if p == "/" {
                return false;
            }
            p = parent(p);
        }
    }

    /// What is at absolute path `path`.
    pub fn node(&self, path: &str) -> Node {
        if path == "/" {
            return Node::Dir { complete: true, mtime: None };
        }
        if let Some((text, mtime)) = self.files.get(path) {
            return Node::File(text.clone(), *mtime);
        }
        if let Some((complete, mtime)) = self.dirs.get(path) {
            return Node::Dir { complete: *complete, mtime: *mtime };
        }
        if self.gone(path) {
            return Node::Missing;
        }
        let prefix = format!("{path}/");
        let ancestor = self.files.keys().chain(self.dirs.keys()).any(|k| k.starts_with(&prefix));
        if ancestor {
            return Node::Dir { complete: false, mtime: None };
        }
        let up = parent(path);
        if up == "/" {
            return if self.root.contains(base(path)) {
                Node::Dir { complete: false, mtime: None }
            } else {
                Node::Missing
            };
        }
        match self.node(up) {
            Node::Dir { complete: true, .. } | Node::Missing => Node::Missing,
            Node::File(..) => Node::Missing,
            Node::Dir { complete: false, .. } | Node::Unknown => Node::Unknown,
        }
    }

    /// The names in directory `dir` (sorted), `None` when kubeplay does
    /// not know them all.
    pub fn list(&self, dir: &str) -> Option<Vec<String>> {
        match self.node(dir) {
            Node::Dir { complete: true, .. } => {}
            _ => return None,
        }
        let prefix = if dir == "/" { "/".to_owned() } else { format!("{dir}/") };
        let mut names: BTreeSet<String> = BTreeSet::new();
        for known in self.files.keys().chain(self.dirs.keys()) {
            if let Some(rest) = known.strip_prefix(&prefix)
                && let Some(first) = rest.split('/').next().filter(|f| !f.is_empty())
            {
                names.insert(first.to_owned());
            }
        }
        if dir == "/" {
            names.extend(
                self.root.iter().filter(|n| !self.removed.contains(&format!("/{n}"))).cloned(),
            );
        }
        Some(names.into_iter().collect())
    }

    /// Checks that `path`'s parent is a directory one can create in.
    fn creatable(&self, path: &str) -> Result<(), FsError> {
        match self.node(parent(path)) {
            Node::Dir { .. } => Ok(()),
            Node::File(..) => Err(FsError::NotDir),
            Node::Missing => Err(FsError::NotFound),
            Node::Unknown => Err(FsError::Unknown(parent(path).to_owned())),
        }
    }

    /// Reads a file.
    pub fn read(&self, path: &str) -> Result<String, FsError> {
        match self.node(path) {
            Node::File(text, _) => Ok(text),
            Node::Dir { .. } => Err(FsError::IsDir),
            Node::Missing => Err(FsError::NotFound),
            Node::Unknown => Err(FsError::Unknown(path.to_owned())),
        }
    }

    /// Writes (or with `append`, appends to) a file at `now`.
    pub fn write(
        &mut self,
        path: &str,
        text: &str,
        append: bool,
        now: Timestamp,
    ) -> Result<(), FsError> {
        let old = match self.node(path) {
            Node::File(old, _) => old,
            Node::Dir { .. } => return Err(FsError::IsDir),
            Node::Unknown => return Err(FsError::Unknown(path.to_owned())),
            Node::Missing => {
                self.creatable(path)?;
                String::new()
            }
        };
        let text = if append { format!("{old}{text}") } else { text.to_owned() };
        self.apply(path, Change::File { text, mtime: now });
        Ok(())
    }

    /// Makes a directory (`mkdir`, with `parents` as `mkdir -p`).
    pub fn mkdir(&mut self, path: &str, parents: bool, now: Timestamp) -> Result<(), FsError> {
        match self.node(path) {
            Node::Dir { .. } if parents => return Ok(()),
            Node::Dir { .. } | Node::File(..) => return Err(FsError::Exists),
            Node::Unknown => return Err(FsError::Unknown(path.to_owned())),
            Node::Missing => {}
        }
        if parents && matches!(self.node(parent(path)), Node::Missing) {
            self.mkdir(parent(path), true, now)?;
        }
        self.creatable(path)?;
        self.apply(path, Change::Dir { mtime: now });
        Ok(())
    }

    /// Removes a file, or with `recursive` a directory and all in it.
    pub fn remove(&mut self, path: &str, recursive: bool, now: Timestamp) -> Result<(), FsError> {
        match self.node(path) {
            Node::File(..) => {}
            Node::Dir { complete, .. } => {
                if !recursive {
                    return Err(FsError::IsDir);
                }
                if !complete {
                    return Err(FsError::Unknown(path.to_owned()));
                }
            }
            Node::Missing => return Err(FsError::NotFound),
            Node::Unknown => return Err(FsError::Unknown(path.to_owned())),
        }
        self.apply(path, Change::Removed(now));
        Ok(())
    }

    /// Removes an empty directory (`rmdir`).
    pub fn rmdir(&mut self, path: &str, now: Timestamp) -> Result<(), FsError> {
        match self.node(path) {
            Node::Dir { .. } => match self.list(path) {
                Some(names) if names.is_empty() => {
                    self.apply(path, Change::Removed(now));
                    Ok(())
                }
                Some(_) => Err(FsError::NotEmpty),
                None => Err(FsError::Unknown(path.to_owned())),
            },
            Node::File(..) => Err(FsError::NotDir),
            Node::Missing => Err(FsError::NotFound),
            Node::Unknown => Err(FsError::Unknown(path.to_owned())),
        }
    }

    /// Every file path at or below `path` with its text (for `cp -r`,
    /// `mv`, `kubectl cp`); `None` when some of it is unknown.
    pub fn tree(&self, path: &str) -> Option<Vec<(String, Node)>> {
        match self.node(path) {
            n @ Node::File(..) => Some(vec![(path.to_owned(), n)]),
            n @ Node::Dir { complete: true, .. } => {
                let mut out = vec![(path.to_owned(), n)];
                for name in self.list(path)? {
                    let child =
                        if path == "/" { format!("/{name}") } else { format!("{path}/{name}") };
                    out.extend(self.tree(&child)?);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// Copies the file or tree at `from` to `to` (which must not exist
    /// or be a file) at `now`.
    pub fn copy(&mut self, from: &str, to: &str, now: Timestamp) -> Result<(), FsError> {
        let tree = self.tree(from).ok_or_else(|| FsError::Unknown(from.to_owned()))?;
        for (path, node) in tree {
            let dest = format!("{to}{}", &path[from.len()..]);
            match node {
                Node::File(text, _) => self.write(&dest, &text, false, now)?,
                _ => self.mkdir(&dest, true, now)?,
            }
        }
        Ok(())
    }
}

/// `ls` of one or more paths: names (`-1`, columns on a terminal), `-a`,
/// and `-l` where kubeplay knows the entries' dates (what the container
/// wrote); returns (stdout, stderr, status), or the thing it cannot show.
pub fn ls(
    fs: &Fs,
    cwd: &str,
    args: &[String],
    tty: bool,
    land: Userland,
    now: Timestamp,
) -> Result<(String, String, i32), String> {
    let mut all = false;
    let mut long = false;
    let mut one = !tty;
    let mut paths = Vec::new();
    for a in args {
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            for f in flags.chars() {
                match f {
                    'a' => all = true,
                    'l' => long = true,
                    '1' => one = true,
                    other => return Err(format!("ls option -{other} in a container")),
                }
            }
        } else {
            paths.push(a.clone());
        }
    }
    if paths.is_empty() {
        paths.push(".".to_owned());
    }
    let (mut out, mut err, mut status) = (String::new(), String::new(), 0);
    let many = paths.len() > 1;
    // Files named on the command line come first, then directories.
    let mut dirs = Vec::new();
    let mut file_rows = Vec::new();
    for p in &paths {
        let path = userland::resolve(cwd, p);
        match fs.node(&path) {
            Node::File(text, mtime) => file_rows.push((p.clone(), Node::File(text, mtime))),
            Node::Dir { .. } => dirs.push((p.clone(), path)),
            Node::Missing => {
                err.push_str(&if land.gnu() {
                    format!("ls: cannot access '{p}': No such file or directory\n")
                } else {
                    format!("ls: {p}: No such file or directory\n")
                });
                status = if land.gnu() { 2 } else { 1 };
            }
            Node::Unknown => {
                return Err(format!(
                    "ls of {path} in a container (kubeplay does not model that part of image)"
                ));
            }
        }
    }
    if !file_rows.is_empty() {
        if long {
            out.push_str(&long_rows(&file_rows, land, now)?);
        } else {
            let names: Vec<String> = file_rows.iter().map(|(n, _)| n.clone()).collect();
            out.push_str(&userland::layout(&names, one, land));
        }
    }
    for (i, (shown, path)) in dirs.iter().enumerate() {
        let Some(mut names) = fs.list(path) else {
            return Err(format!(
                "ls of {path} in a container (kubeplay does not model that image directory's content)"
            ));
        };
        names.retain(|n| all || !n.starts_with('.'));
        if many {
            if i > 0 || !file_rows.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{shown}:\n"));
        }
        let mut rows: Vec<(String, Node)> = Vec::new();
        if all {
            rows.push((".".to_owned(), fs.node(path)));
            rows.push(("..".to_owned(), fs.node(parent(path))));
        }
        for n in &names {
            let child = if path == "/" { format!("/{n}") } else { format!("{path}/{n}") };
            rows.push((n.clone(), fs.node(&child)));
        }
        if long {
            let blocks: u64 = rows.iter().map(|(_, n)| blocks_of(n)).sum();
            out.push_str(&format!("total {blocks}\n"));
            out.push_str(&long_rows(&rows, land, now)?);
        } else {
            let names: Vec<String> = rows.into_iter().map(|(n, _)| n).collect();
            out.push_str(&userland::layout(&names, one, land));
        }
    }
    Ok((out, err, status))
}

/// 1K blocks an entry takes on an ext4/overlay filesystem: a directory and
/// a non-empty file of up to 4 KiB one 4 KiB block, an empty file none.
fn blocks_of(node: &Node) -> u64 {
    match node {
        Node::File(text, _) => (text.len() as u64).div_ceil(4096) * 4,
        _ => 4,
    }
}

/// `ls -l` rows: busybox's fixed widths (`coreutils/ls.c`: `%-10s %4u
/// %-8.8s %-8.8s %9u`) or GNU's columns aligned to the widest entry.
fn long_rows(rows: &[(String, Node)], land: Userland, now: Timestamp) -> Result<String, String> {
    struct Row {
        mode: &'static str,
        links: u64,
        size: u64,
        date: String,
        name: String,
    }
    let mut out_rows = Vec::new();
    for (name, node) in rows {
        let (mode, links, size, mtime) = match node {
            Node::File(text, Some(m)) => ("-rw-r--r--", 1, text.len() as u64, *m),
            Node::Dir { mtime: Some(m), .. } => ("drwxr-xr-x", 2, 4096, *m),
            _ => {
                return Err(format!(
                    "ls -l of {name} in a container (kubeplay does not know the image's file dates)"
                ));
            }
        };
        out_rows.push(Row { mode, links, size, date: ls_date(mtime, now), name: name.clone() });
    }
    let mut out = String::new();
    if land.gnu() {
        let lw = out_rows.iter().map(|r| r.links.to_string().len()).max().unwrap_or(1);
        let sw = out_rows.iter().map(|r| r.size.to_string().len()).max().unwrap_or(1);
        for r in &out_rows {
            out.push_str(&format!(
                "{} {:>lw$} root root {:>sw$} {} {}\n",
                r.mode, r.links, r.size, r.date, r.name
            ));
        }
    } else {
        for r in &out_rows {
            out.push_str(&format!(
                "{} {:>4} {:<8} {:<8} {:>9} {} {}\n",
                r.mode, r.links, "root", "root", r.size, r.date, r.name
            ));
        }
    }
    Ok(out)
}

/// `Nov 15 22:08`, or `Nov 15  2022` for a date over six months from now
/// (both coreutils and busybox).
fn ls_date(t: Timestamp, now: Timestamp) -> String {
    let z = t.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
    let six_months = 31_556_952 / 2;
    if (now.as_second() - t.as_second()).abs() > six_months {
        z.strftime("%b %e  %Y").to_string()
    } else {
        z.strftime("%b %e %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_668_567_000 + s).unwrap()
    }

    fn nginx() -> Fs {
        let mounted =
            BTreeMap::from([("/etc/hosts".to_owned(), "127.0.0.1\tlocalhost\n".to_owned())]);
        Fs::new("nginx:1.25.4", &mounted, &[], &Vec::new())
    }

    #[test]
    fn image_files_mounts_and_unknown_parts() {
        let fs = nginx();
        assert_eq!(fs.list("/usr/share/nginx/html").unwrap(), ["50x.html", "index.html"]);
        assert!(fs.read("/usr/share/nginx/html/index.html").unwrap().contains("Welcome to nginx!"));
        assert_eq!(fs.node("/usr/share/nginx/html/nope"), Node::Missing);
        assert_eq!(fs.node("/nope"), Node::Missing);
        assert_eq!(fs.node("/usr/bin/env"), Node::Unknown);
        assert_eq!(fs.node("/etc"), Node::Dir { complete: false, mtime: None });
        assert_eq!(fs.list("/etc"), None);
        assert_eq!(fs.list("/tmp").unwrap(), Vec::<String>::new());
        assert!(fs.read("/etc/hosts").is_ok());
    }

    #[test]
    fn writes_removals_and_replayed_changes() {
        let mut fs = nginx();
        fs.remove("/usr/share/nginx/html/index.html", false, at(0)).unwrap();
        assert_eq!(
            fs.remove("/usr/share/nginx/html/index.html", false, at(0)),
            Err(FsError::NotFound)
        );
        fs.write("/usr/share/nginx/html/a.html", "hi\n", false, at(1)).unwrap();
        fs.write("/usr/share/nginx/html/a.html", "there\n", true, at(2)).unwrap();
        assert_eq!(fs.read("/usr/share/nginx/html/a.html").unwrap(), "hi\nthere\n");
        assert_eq!(fs.write("/nope/x", "", false, at(3)), Err(FsError::NotFound));
        assert_eq!(fs.mkdir("/tmp/a/b", false, at(3)), Err(FsError::NotFound));
        fs.mkdir("/tmp/a/b", true, at(3)).unwrap();
        assert_eq!(fs.remove("/tmp/a", false, at(3)), Err(FsError::IsDir));
        fs.copy("/usr/share/nginx/html", "/tmp/a/b/html", at(4)).unwrap();
        assert_eq!(fs.list("/tmp/a/b/html").unwrap(), ["50x.html", "a.html"]);
        fs.remove("/tmp/a", true, at(5)).unwrap();
        assert_eq!(fs.node("/tmp/a/b/html/a.html"), Node::Missing);
        // The same changes replayed over a fresh filesystem give the same state.
        let again = Fs::new("nginx:1.25.4", &BTreeMap::new(), &[], fs.changes());
        assert_eq!(again.list("/usr/share/nginx/html"), fs.list("/usr/share/nginx/html"));
        assert_eq!(again.node("/tmp/a"), Node::Missing);
        // And the state at an earlier instant is the changes made by then.
        let at4 = Fs::new("nginx:1.25.4", &BTreeMap::new(), &[], &until(fs.changes(), at(4)));
        assert_eq!(at4.list("/tmp/a/b/html").unwrap(), ["50x.html", "a.html"]);
    }

    #[test]
    fn ls_long_formats_of_busybox_and_gnu() {
        let mut fs = Fs::new("busybox:1.36", &BTreeMap::new(), &[], &Vec::new());
        fs.write("/tmp/a.txt", "hello\n", false, at(0)).unwrap();
        fs.mkdir("/tmp/d", false, at(60)).unwrap();
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let (out, _, _) =
            ls(&fs, "/", &args("-l /tmp"), false, Userland::Busybox, at(120)).unwrap();
        assert_eq!(
            out,
            "total 8\n\
             -rw-r--r--    1 root     root             6 Nov 16 02:50 a.txt\n\
             drwxr-xr-x    2 root     root          4096 Nov 16 02:51 d\n"
        );
        let (out, _, _) = ls(&fs, "/", &args("-l /tmp"), false, Userland::Debian, at(120)).unwrap();
        assert_eq!(
            out,
            "total 8\n-rw-r--r-- 1 root root    6 Nov 16 02:50 a.txt\n\
             drwxr-xr-x 2 root root 4096 Nov 16 02:51 d\n"
        );
        let (_, err, status) = ls(&fs, "/", &args("/x"), false, Userland::Busybox, at(0)).unwrap();
        assert_eq!((err.as_str(), status), ("ls: /x: No such file or directory\n", 1));
        let (_, err, status) = ls(&fs, "/", &args("/x"), false, Userland::Debian, at(0)).unwrap();
        assert_eq!(
            (err.as_str(), status),
            ("ls: cannot access '/x': No such file or directory\n", 2)
        );
        assert!(
            ls(&fs, "/", &args("-la /tmp"), false, Userland::Busybox, at(0)).is_err(),
            "the date of /tmp is unknown"
        );
        assert!(ls(&fs, "/", &args("/etc"), false, Userland::Busybox, at(0)).is_err());
    }
}
