//! A scenario's private workspace: the files its `file=NAME` blocks and
//! redirections write, and its current directory. Held in memory so the
//! simulator backend needs no file system; the real-kubectl backend writes it
//! out to a temporary directory.

use std::collections::BTreeMap;

/// In-memory files keyed by normalised absolute path (`/root/x.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    files: BTreeMap<String, String>,
    cwd: String,
    /// What was piped or redirected into the command being run: kubectl's
    /// `-f -` reads it (`resource.Builder` maps `-` to STDIN).
    stdin: Option<String>,
}

impl Default for Workspace {
    fn default() -> Self {
        // Tutorials run as root in `~` (`[root@master ~]#`).
        Workspace { files: BTreeMap::new(), cwd: "/root".to_owned(), stdin: None }
    }
}

impl Workspace {
    /// The current directory.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// Changes the current directory.
    pub fn set_cwd(&mut self, dir: &str) {
        self.cwd = self.resolve(dir);
    }

    /// Resolves `path` against the current directory (`~` is `/root`),
    /// folding `.` and `..`.
    pub fn resolve(&self, path: &str) -> String {
        // A file block named by URL supplies what `kubectl apply -f URL`
        // reads, so tutorials that apply from the web run offline. It is
        // kept under one folder with every `/` and `%` escaped, so no part
        // of a URL (`..`) becomes a path step out of the workspace.
        if path.contains("://") {
            let mut key = String::from(URLS);
            for c in path.chars() {
                match c {
                    '/' => key.push_str("%2F"),
                    '%' => key.push_str("%25"),
                    c => key.push(c),
                }
            }
            return key;
        }
        match path.strip_prefix('~') {
            Some(rest) => clean(&format!("/root{rest}")),
            None => resolve_in(&self.cwd, path),
        }
    }

    /// Writes (or replaces) a file.
    pub fn write(&mut self, path: &str, content: impl Into<String>) {
        let key = self.resolve(path);
        self.files.insert(key, content.into());
    }

    /// Appends to a file, creating it if needed.
    pub fn append(&mut self, path: &str, content: &str) {
        let key = self.resolve(path);
        self.files.entry(key).or_default().push_str(content);
    }

    /// Reads a file.
    pub fn read(&self, path: &str) -> Option<&str> {
        self.files.get(&self.resolve(path)).map(String::as_str)
    }

    /// Whether `path` is a directory: a file lies under it. Directories
    /// are implicit, as in the shell's `mkdir`, which writes nothing.
    pub fn is_dir(&self, path: &str) -> bool {
        let dir = self.resolve(path);
        let prefix = if dir == "/" { dir } else { format!("{dir}/") };
        self.files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// The files under directory `dir` as paths relative to it, in the
    /// order Go's `filepath.Walk` visits them (each directory's entries by
    /// name, a subdirectory's files where its name sorts); without
    /// `recursive`, only the directory's own files.
    pub fn walk(&self, dir: &str, recursive: bool) -> Vec<(String, &str)> {
        let dir = self.resolve(dir);
        let prefix = if dir == "/" { dir } else { format!("{dir}/") };
        let mut found: Vec<(String, &str)> = self
            .files
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k[prefix.len()..].to_owned(), v.as_str()))
            .filter(|(rel, _)| recursive || !rel.contains('/'))
            .collect();
        // Byte order puts `b.yaml` before `b/x.yaml`; Walk compares names,
        // and `b` sorts before `b.yaml`.
        found.sort_by(|(a, _), (b, _)| a.split('/').cmp(b.split('/')));
        found
    }

    /// This workspace as one command sees it, with `stdin` piped into it.
    pub fn with_stdin(&self, stdin: &str) -> Workspace {
        Workspace { stdin: Some(stdin.to_owned()), ..self.clone() }
    }

    /// What was piped into the command, if anything.
    pub fn stdin(&self) -> Option<&str> {
        self.stdin.as_deref()
    }

    /// Every file, by absolute path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// `path` made absolute against the directory `cwd` and cleaned.
pub fn resolve_in(cwd: &str, path: &str) -> String {
    if path.starts_with('/') { clean(path) } else { clean(&format!("{cwd}/{path}")) }
}

/// An absolute path without `.`, `..` or empty steps (`..` at the root
/// stays at the root).
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
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

/// Where file blocks named by URL are kept.
const URLS: &str = "/.kubeplay/urls/";

/// Where an `edit=KIND/NAME` block leaves the edited object for the next
/// `kubectl edit KIND/NAME` (kind lower-cased, as typed: `deployment/web`).
pub fn edit_path(target: &str) -> String {
    format!("/.kubeplay/edits/{}", target.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_absolute_paths_meet() {
        let mut ws = Workspace::default();
        ws.write("app.yaml", "a");
        assert_eq!(ws.read("/root/app.yaml"), Some("a"));
        assert_eq!(ws.read("./sub/../app.yaml"), Some("a"));
        ws.set_cwd("/tmp");
        assert_eq!(ws.read("~/app.yaml"), Some("a"));
        assert_eq!(ws.read("app.yaml"), None);
        ws.write("https://k8s.io/examples/app.yaml", "u");
        assert_eq!(ws.read("https://k8s.io/examples/app.yaml"), Some("u"));
    }

    #[test]
    fn walking_a_directory_follows_go_filepath_walk() {
        let mut ws = Workspace::default();
        for name in ["k8s/c.yaml", "k8s/b.yaml", "k8s/b/x.yaml", "k8s/a.txt", "k8sx/y.yaml"] {
            ws.write(name, name);
        }
        assert!(ws.is_dir("k8s") && ws.is_dir("./k8s/") && ws.is_dir("/root/k8s/b"));
        assert!(!ws.is_dir("k8s/c.yaml") && !ws.is_dir("k8"));
        let names = |r| ws.walk("k8s", r).into_iter().map(|(p, _)| p).collect::<Vec<_>>();
        assert_eq!(names(false), ["a.txt", "b.yaml", "c.yaml"]);
        assert_eq!(names(true), ["a.txt", "b/x.yaml", "b.yaml", "c.yaml"]);
    }

    /// No name, path or URL leads out of the workspace: every key is one
    /// absolute path without `.` or `..` steps, so a backend that writes
    /// the workspace under a folder writes only inside it.
    #[test]
    fn nothing_climbs_out() {
        let mut ws = Workspace::default();
        for name in [
            "../../../../etc/passwd",
            "/root/../../..//etc/x",
            "~/../../x",
            "https://k8s.io/../../../../etc/y",
            "http://a/%2e%2e/..",
        ] {
            ws.write(name, "x");
        }
        ws.set_cwd("../../..");
        assert_eq!(ws.cwd(), "/");
        for (path, _) in ws.files() {
            assert!(path.starts_with('/'), "{path}");
            assert!(path[1..].split('/').all(|p| !p.is_empty() && p != "." && p != ".."), "{path}");
        }
        assert_eq!(ws.read("/etc/passwd"), Some("x"));
    }
}
