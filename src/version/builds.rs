//! Build metadata of Kubernetes releases (`k8s.io/apimachinery/pkg/version`
//! `Info`), as the release binaries report it: `kubectl version` prints
//! it for client and server, and the API server serves it at `/version`.
//! A release's git commit and build dates are facts of its official
//! build, not derivable from the version number; a release missing here
//! makes what prints them unsupported rather than invented.

/// Build metadata of a Kubernetes release (`version.Info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildInfo {
    /// `gitVersion`.
    pub git_version: &'static str,
    /// `gitCommit`.
    pub git_commit: &'static str,
    /// `buildDate` of the kubectl binary.
    pub client_build_date: &'static str,
    /// `buildDate` of the kube-apiserver binary.
    pub server_build_date: &'static str,
    /// `goVersion`.
    pub go_version: &'static str,
}

/// Releases whose build metadata kubeplay knows, as `kubectl version`
/// printed them (v1.22.2: commit 8b5a191, go1.16.8, built 2021-09-15).
pub const RELEASES: &[BuildInfo] = &[BuildInfo {
    git_version: "v1.22.2",
    git_commit: "8b5a19147530eaac9476b0ab82980b4088bbc1b2",
    client_build_date: "2021-09-15T21:38:50Z",
    server_build_date: "2021-09-15T21:32:41Z",
    go_version: "go1.16.8",
}];

/// The platform the seed's kubectl and API server ran on.
pub const PLATFORM: &str = "linux/amd64";
