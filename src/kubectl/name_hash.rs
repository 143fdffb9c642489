//! The ten-character suffix kubectl (`create configmap --append-hash`) and
//! kustomize (generators) append to a generated name: the SHA-256 of a
//! JSON encoding of the object's content, in hex, its first ten digits with
//! `0 1 3 a e` spelled `g h k m t`, so the suffix never reads as a number
//! or a word (`k8s.io/kubectl/pkg/util/hash` `encodeHash`,
//! `sigs.k8s.io/kustomize/api/hasher` `encode`).

use sha2::{Digest, Sha256};

/// The suffix for the JSON text `encoded`.
pub fn of(encoded: &str) -> String {
    let digest = Sha256::digest(encoded.as_bytes());
    digest
        .iter()
        .take(5)
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|nibble| match nibble {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            0xa => 'm',
            0xe => 't',
            n => char::from_digit(u32::from(n), 16).expect("a nibble"),
        })
        .collect()
}
