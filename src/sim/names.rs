//! Kubernetes name generation and hashes: `generateName`
//! (`apiserver/pkg/storage/names/generate.go`) and `pod-template-hash`
//! (`pkg/controller/controller_utils.go` `ComputeHash`).

use k8s_openapi::api::core::v1::PodTemplateSpec;

use super::rng::{ALPHANUMS, Rng};

/// Longest base `generateName` keeps: 63 − 5 random characters.
const MAX_GENERATED_BASE: usize = 58;

/// `SimpleNameGenerator.GenerateName`: base truncated to 58 chars plus 5
/// random alphanumerics.
pub fn generate_name(base: &str, rng: &mut Rng) -> String {
    let base: String = base.chars().take(MAX_GENERATED_BASE).collect();
    format!("{base}{}", rng.k8s_string(suffix_len()))
}

/// The random suffix's length: 5, as upstream. Tests shrink it on their own
/// thread to force name collisions.
#[cfg(not(test))]
fn suffix_len() -> usize {
    5
}

#[cfg(test)]
thread_local! {
    static SUFFIX_LEN: std::cell::Cell<usize> = const { std::cell::Cell::new(5) };
}

#[cfg(test)]
fn suffix_len() -> usize {
    SUFFIX_LEN.with(std::cell::Cell::get)
}

/// Test hook: generated names on this thread get `n` random characters, so
/// a few dozen objects exhaust most of the name space.
#[cfg(test)]
pub fn set_suffix_len_for_test(n: usize) {
    SUFFIX_LEN.with(|c| c.set(n));
}

/// `rand.SafeEncodeString`: maps each byte onto [`ALPHANUMS`].
pub fn safe_encode(s: &str) -> String {
    s.bytes().map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char).collect()
}

/// FNV-32a, as Go's `hash/fnv.New32a`.
fn fnv32a(bytes: impl IntoIterator<Item = u8>) -> u32 {
    bytes.into_iter().fold(0x811C_9DC5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The `pod-template-hash` of a template: FNV-32a over a canonical
/// serialisation (upstream dumps the Go struct), then the collision count as
/// 8 little-endian bytes, then the decimal digits safe-encoded — so the hash
/// only ever holds `456789bcdf`. Mirrors `controller.ComputeHash`.
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut bytes = serde_json::to_vec(template).unwrap_or_default();
    if let Some(c) = collision_count {
        let mut extra = [0u8; 8];
        extra[..4].copy_from_slice(&(c as u32).to_le_bytes());
        bytes.extend_from_slice(&extra);
    }
    safe_encode(&fnv32a(bytes).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_truncate_the_base() {
        let mut rng = Rng::new(1);
        let name = generate_name(&"a".repeat(70), &mut rng);
        assert_eq!(name.len(), 63);
        assert!(generate_name("web-", &mut rng).starts_with("web-"));
    }

    #[test]
    fn template_hash_uses_digit_alphabet_and_changes_with_template() {
        let mut t = PodTemplateSpec::default();
        let a = pod_template_hash(&t, None);
        assert!(a.chars().all(|c| "456789bcdf".contains(c)), "{a}");
        assert_eq!(a, pod_template_hash(&t, None));
        assert_ne!(a, pod_template_hash(&t, Some(1)));
        t.metadata.get_or_insert_with(Default::default).labels =
            Some([("app".to_owned(), "x".to_owned())].into());
        assert_ne!(a, pod_template_hash(&t, None));
    }

    #[test]
    fn safe_encode_maps_digits() {
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }
}
