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

/// The kustomize release kubectl of `minor` embeds, as `kubectl version`
/// prints it (`Kustomize Version:`, from v1.24): the version of the
/// `sigs.k8s.io/kustomize/kustomize` module in `k8s.io/kubernetes`'s go.mod,
/// the same at every patch release checked (v1.28.0 and v1.28.15, v1.33.0
/// and v1.33.13, v1.35.0 and v1.35.4; real kubectl 1.27.16 to 1.35.4 print
/// these). `None` before v1.24 or past the table.
pub fn kustomize_version(minor: u32) -> Option<&'static str> {
    Some(match minor {
        24 => "v4.5.4",
        25 | 26 => "v4.5.7",
        27 => "v5.0.1",
        28..=30 => "v5.0.4-0.20230601165947-6ce0bf390ce3",
        31 => "v5.4.2",
        32 => "v5.5.0",
        33 => "v5.6.0",
        34 | 35 => "v5.7.1",
        _ => return None,
    })
}
