//! The cluster CA's key material and the three `openssl` stages tutorials
//! pipe together to compute kubeadm's discovery pin:
//!
//! ```text
//! openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt \
//!   | openssl rsa -pubin -outform der 2>/dev/null \
//!   | openssl dgst -sha256 -hex | sed 's/^.* //'
//! ```
//!
//! The CA key is a structurally valid RSA-2048 SubjectPublicKeyInfo whose
//! modulus is derived from the cluster seed, so every cluster has its own
//! deterministic pin, and the pin is a real SHA-256 of that DER — what
//! `pubkeypin.Hash` computes (`cmd/kubeadm/app/util/pubkeypin`). Binary DER
//! travels through the tutorial shell's text pipes as Latin-1 characters
//! (one char per byte); `dgst` maps them back.

use super::encoding::{base64, digest, hex, unbase64};
use crate::output::CommandOutput;

/// Where kubeadm keeps the cluster CA certificate.
pub const CA_CERT: &str = "/etc/kubernetes/pki/ca.crt";

/// `n` deterministic bytes for `label` under `seed`.
fn stream(seed: u64, label: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 32);
    let mut i = 0u32;
    while out.len() < n {
        out.extend_from_slice(&digest(format!("{seed}/{label}/{i}").as_bytes()));
        i += 1;
    }
    out.truncate(n);
    out
}

/// DER of the CA's RSA-2048 SubjectPublicKeyInfo (294 bytes).
pub fn ca_public_key_der(seed: u64) -> Vec<u8> {
    let mut modulus = stream(seed, "cluster-ca-modulus", 256);
    modulus[0] |= 0x80;
    modulus[255] |= 1;
    let mut rsa_key = vec![0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00];
    rsa_key.extend_from_slice(&modulus);
    rsa_key.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
    let mut spki = vec![
        0x30, 0x82, 0x01, 0x22, // SEQUENCE
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05,
        0x00, // rsaEncryption, NULL
        0x03, 0x82, 0x01, 0x0f, 0x00, // BIT STRING, no unused bits
    ];
    spki.extend_from_slice(&rsa_key);
    spki
}

/// kubeadm's pin of the CA: `sha256:<hex of SHA-256(SPKI DER)>`.
pub fn ca_cert_hash(seed: u64) -> String {
    format!("sha256:{}", hex(&digest(&ca_public_key_der(seed))))
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Runs one `openssl` invocation. `has_ca` says whether the host has the
/// CA certificate (control-plane and joined hosts).
pub fn openssl(argv: &[String], stdin: Option<&str>, seed: u64, has_ca: bool) -> CommandOutput {
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.first().copied() {
        Some("x509") => x509(&args[1..], seed, has_ca),
        Some("rsa") => rsa(&args[1..], stdin.unwrap_or_default()),
        Some("dgst") => dgst(&args[1..], stdin.unwrap_or_default()),
        _ => CommandOutput::failure(
            format!(
                "kubeplay: `openssl {}` is not emulated (known: x509 -pubkey -in FILE, rsa -pubin \
                 -outform der, dgst -sha256 -hex)\n",
                args.join(" ")
            ),
            2,
        ),
    }
}

/// `openssl x509 -pubkey -in FILE [-noout]`: the public key, then the
/// certificate itself unless `-noout`. The certificate body is an opaque
/// stand-in (tutorials only ever read the key out of it).
fn x509(args: &[&str], seed: u64, has_ca: bool) -> CommandOutput {
    let file = args.windows(2).find(|w| w[0] == "-in").map(|w| w[1]);
    if !args.contains(&"-pubkey") {
        return CommandOutput::failure("kubeplay: only `openssl x509 -pubkey` is emulated\n", 2);
    }
    let Some(file) = file.filter(|f| *f == CA_CERT && has_ca) else {
        let f = file.unwrap_or("stdin");
        return CommandOutput::failure(
            format!("Error opening Certificate {f}\nunable to load certificate\n"),
            1,
        );
    };
    let _ = file;
    let mut out = pem("PUBLIC KEY", &ca_public_key_der(seed));
    if !args.contains(&"-noout") {
        out.push_str(&pem("CERTIFICATE", &stream(seed, "cluster-ca-certificate", 1025)));
    }
    CommandOutput::stdout(out)
}

/// `openssl rsa -pubin -outform der`: the first PUBLIC KEY block of stdin
/// as DER; OpenSSL says `writing RSA key` on stderr (hence tutorials'
/// `2>/dev/null`).
fn rsa(args: &[&str], stdin: &str) -> CommandOutput {
    if !args.contains(&"-pubin") {
        return CommandOutput::failure("kubeplay: only `openssl rsa -pubin` is emulated\n", 2);
    }
    let der = stdin
        .split("-----BEGIN PUBLIC KEY-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END PUBLIC KEY-----").next())
        .and_then(unbase64);
    let Some(der) = der else {
        return CommandOutput::failure("unable to load Public Key\n", 1);
    };
    let der_out = args.windows(2).any(|w| w[0] == "-outform" && w[1].eq_ignore_ascii_case("der"));
    let mut out = CommandOutput::default();
    out.write(crate::output::Stream::Stderr, "writing RSA key\n");
    if der_out {
        out.write(
            crate::output::Stream::Stdout,
            der.iter().map(|b| char::from(*b)).collect::<String>(),
        );
    } else {
        out.write(crate::output::Stream::Stdout, pem("PUBLIC KEY", &der));
    }
    out
}

/// `openssl dgst -sha256 [-hex]` over stdin: `(stdin)= <hex>` (OpenSSL 1.0.2).
fn dgst(args: &[&str], stdin: &str) -> CommandOutput {
    if !args.contains(&"-sha256") {
        return CommandOutput::failure("kubeplay: only `openssl dgst -sha256` is emulated\n", 2);
    }
    let bytes: Vec<u8> = if stdin.chars().all(|c| (c as u32) < 256) {
        stdin.chars().map(|c| c as u8).collect()
    } else {
        stdin.as_bytes().to_vec()
    };
    CommandOutput::stdout(format!("(stdin)= {}\n", hex(&digest(&bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_pipeline_yields_kubeadms_pin() {
        let x =
            openssl(&argv("openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt"), None, 7, true);
        let r = openssl(
            &argv("openssl rsa -pubin -outform der"),
            Some(&x.stream(crate::output::Stream::Stdout)),
            7,
            true,
        );
        assert_eq!(r.stream(crate::output::Stream::Stderr), "writing RSA key\n");
        let d = openssl(
            &argv("openssl dgst -sha256 -hex"),
            Some(&r.stream(crate::output::Stream::Stdout)),
            7,
            true,
        );
        let line = d.stream(crate::output::Stream::Stdout);
        assert_eq!(line, format!("(stdin)= {}\n", ca_cert_hash(7).trim_start_matches("sha256:")));
        assert_eq!(ca_public_key_der(7).len(), 294);
        assert_ne!(ca_cert_hash(7), ca_cert_hash(8));
    }
}
