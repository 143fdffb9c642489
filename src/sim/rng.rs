//! The simulator's one source of randomness: a tiny seeded PRNG (SplitMix64)
//! plus stable hashing for values that must be random-looking yet depend only
//! on the seed and their inputs (image digests, pull durations, tie breaks).

/// Kubernetes' random-string alphabet (`apimachinery/pkg/util/rand/rand.go`):
/// no vowels, no `0 1 3`.
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A deterministic SplitMix64 generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        finalize(self.state)
    }

    /// A uniform value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// `n` characters from [`ALPHANUMS`], as `rand.String(n)`.
    pub fn k8s_string(&mut self, n: usize) -> String {
        (0..n).map(|_| ALPHANUMS[self.below(ALPHANUMS.len() as u64) as usize] as char).collect()
    }

    /// A version-4-looking UUID (`c41a1d6c-5248-42c5-97f8-bbc9bb50a678`).
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0x0FFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

/// SplitMix64's output function: a strong 64-bit mixer.
fn finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable 64-bit hash of the seed and some strings: random-looking, but a
/// pure function of its inputs.
pub fn mix(seed: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ seed;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xFF)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01B3);
        }
    }
    finalize(h)
}

/// `n` lower-case hex digits derived from the seed and `parts`
/// (container IDs, image digests).
pub fn hex_digest(seed: u64, parts: &[&str], n: usize) -> String {
    let mut rng = Rng::new(mix(seed, parts));
    let mut out = String::with_capacity(n + 16);
    while out.len() < n {
        out.push_str(&format!("{:016x}", rng.next_u64()));
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.k8s_string(5), b.k8s_string(5));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(Rng::new(8).next_u64(), Rng::new(7).next_u64());
    }

    #[test]
    fn strings_use_the_kubernetes_alphabet() {
        let mut r = Rng::new(1);
        let s = r.k8s_string(500);
        assert!(s.bytes().all(|c| ALPHANUMS.contains(&c)));
        let u = r.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn mix_is_stable_and_input_sensitive() {
        assert_eq!(mix(1, &["nginx"]), mix(1, &["nginx"]));
        assert_ne!(mix(1, &["nginx"]), mix(1, &["nginx:1.7.9"]));
        assert_eq!(hex_digest(3, &["x"], 64).len(), 64);
    }
}
