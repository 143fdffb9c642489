//! The Kubernetes version of a cluster, parsed once (DESIGN §9).
//!
//! A scenario's `cluster.version` (or its profile's default) becomes one
//! [`KubeVersion`] when the scenario is parsed; every layer — simulator
//! controllers, kubectl emulation, bootstrap — reads that value, never the
//! text. A text that is not a version, or a version outside
//! [`KubeVersion::OLDEST_MINOR`]..=[`KubeVersion::NEWEST_MINOR`], is a typed
//! [`VersionError`], never a silent fallback to some default.
//!
//! The span ([`SPAN`]) is the one the project targets (v1.10 to the newest
//! release).
//! What changed between two releases is recorded once, in [`facts`]: code
//! asks `version.has(Fact::X)`.

pub mod builds;
pub mod doc;
pub mod facts;

pub use facts::Fact;

use std::{fmt, str::FromStr};

/// A Kubernetes release `vMAJOR.MINOR.PATCH`, ordered by release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    major: u32,
    minor: u32,
    patch: u32,
}

/// Why a text is not a version kubeplay accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// Not of the form `vMAJOR.MINOR.PATCH`.
    #[error("invalid version `{0}` (expected vMAJOR.MINOR.PATCH such as v1.22.2, {SPAN})")]
    Malformed(String),
    /// A well-formed version outside the span kubeplay supports.
    #[error("unsupported version `{0}` (kubeplay supports {SPAN})")]
    OutOfSpan(KubeVersion),
}

/// The supported span in words, for messages and docs.
pub const SPAN: &str = "v1.10 to v1.35, any patch";

impl KubeVersion {
    /// The oldest minor release kubeplay accepts (DESIGN §9: v1.10), as
    /// `(major, minor)`; every patch of it is accepted.
    pub const OLDEST_MINOR: (u32, u32) = (1, 10);
    /// The newest minor release kubeplay accepts, every patch of it.
    pub const NEWEST_MINOR: (u32, u32) = (1, 35);

    /// `vMAJOR.MINOR.PATCH`, unchecked against the span (for constants).
    pub const fn new(major: u32, minor: u32, patch: u32) -> KubeVersion {
        KubeVersion { major, minor, patch }
    }

    /// Parses `v1.22.2` and checks it lies in the supported span.
    pub fn parse(text: &str) -> Result<KubeVersion, VersionError> {
        let malformed = || VersionError::Malformed(text.to_owned());
        let rest = text.strip_prefix('v').ok_or_else(malformed)?;
        let mut numbers = rest.split('.').map(|part| {
            // Plain decimal digits only: `+1`, `01x` or `` are not releases.
            if part.is_empty() || part.len() > 9 || !part.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                part.parse::<u32>().ok()
            }
        });
        let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) =
            (numbers.next(), numbers.next(), numbers.next(), numbers.next())
        else {
            return Err(malformed());
        };
        let version = KubeVersion { major, minor, patch };
        let line = (major, minor);
        if line < KubeVersion::OLDEST_MINOR || line > KubeVersion::NEWEST_MINOR {
            return Err(VersionError::OutOfSpan(version));
        }
        Ok(version)
    }

    /// The major number (1).
    pub fn major(self) -> u32 {
        self.major
    }

    /// The minor number (22 for v1.22.2).
    pub fn minor(self) -> u32 {
        self.minor
    }

    /// The patch number (2 for v1.22.2).
    pub fn patch(self) -> u32 {
        self.patch
    }
}

impl fmt::Display for KubeVersion {
    /// `v1.22.2`, as `kubectl version` and `get nodes` print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for KubeVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<KubeVersion, VersionError> {
        KubeVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_releases() {
        let v = KubeVersion::parse("v1.22.2").unwrap();
        assert_eq!((v.major(), v.minor(), v.patch()), (1, 22, 2));
        assert_eq!(v.to_string(), "v1.22.2");
        assert_eq!("v1.10.0".parse::<KubeVersion>().unwrap(), KubeVersion::new(1, 10, 0));
        assert_eq!(KubeVersion::parse("v1.35.4").unwrap().to_string(), "v1.35.4");
        assert_eq!(KubeVersion::parse("v1.28.15").unwrap().minor(), 28);
    }

    #[test]
    fn orders_by_release_not_by_text() {
        let v = |s: &str| KubeVersion::parse(s).unwrap();
        assert!(v("v1.19.0") > v("v1.10.0"));
        assert!(v("v1.22.10") > v("v1.22.9"));
        assert!(v("v1.23.0") > v("v1.22.17"));
        assert!(v("v1.22.2") > v("v1.22.0") && v("v1.22.2") < v("v1.23.0"));
        assert!(v("v1.35.0") < KubeVersion::new(2, 0, 0));
    }

    #[test]
    fn rejects_what_is_not_a_release() {
        for bad in [
            "",
            "v",
            "1.22.2",
            "v1.22",
            "v1.2x.0",
            "v1.22.2.1",
            "v1.22.",
            "v1..2",
            "V1.22.2",
            "v1.22.2-rc.1",
            "v1.22.+2",
            " v1.22.2",
            "v1.22.2 ",
            "v1.22.99999999999",
        ] {
            assert_eq!(
                KubeVersion::parse(bad),
                Err(VersionError::Malformed(bad.to_owned())),
                "{bad:?}"
            );
        }
        assert_eq!(
            KubeVersion::parse("v1.2x.0").unwrap_err().to_string(),
            "invalid version `v1.2x.0` (expected vMAJOR.MINOR.PATCH such as v1.22.2, v1.10 to v1.35, any patch)"
        );
    }

    #[test]
    fn rejects_releases_outside_the_span() {
        for bad in ["v1.9.0", "v1.0.0", "v1.36.0", "v2.0.0", "v0.22.2"] {
            assert!(matches!(KubeVersion::parse(bad), Err(VersionError::OutOfSpan(_))), "{bad}");
        }
        assert_eq!(
            KubeVersion::parse("v1.9.0").unwrap_err().to_string(),
            "unsupported version `v1.9.0` (kubeplay supports v1.10 to v1.35, any patch)"
        );
    }
}
