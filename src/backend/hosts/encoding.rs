//! SHA-256, hex and base64 for the emulated host commands and for Secret
//! data, over the `sha2` and `base64` crates: the emulated `openssl` and
//! `kubeadm` need the CA public-key pin (`sha256:<hex>`) to be a real digest
//! of the DER the pipeline carries.

use base64::{Engine, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};

/// The SHA-256 digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Lower-case hex, as `openssl dgst -hex` prints it.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Decodes standard base64, ignoring whitespace (PEM bodies span lines);
/// `None` when the text is not base64.
pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            hex(&digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(unbase64("Zm\n8=").unwrap(), b"fo");
        assert_eq!(unbase64(&base64(&[0, 255, 7, 9])).unwrap(), vec![0, 255, 7, 9]);
        assert_eq!(unbase64("not base64!"), None);
    }
}
