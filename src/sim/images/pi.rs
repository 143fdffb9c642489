//! π to N significant digits, as Perl's `bpi(N)` prints it
//! (`Math::BigFloat::bpi`, loaded by `perl -Mbignum=bpi`): the digits
//! rounded half-up to N significant digits, `3.` followed by N − 1 decimals.
//! Computed exactly with Machin's formula in fixed-point base-10⁹ limbs
//! (only small-divisor arithmetic is needed), so no big-number crate.

/// Decimal digits per limb.
const LIMB_DIGITS: usize = 9;
const BASE: u64 = 1_000_000_000;

/// A non-negative fixed-point number: `limbs[0]` is the integer part, the
/// rest are base-10⁹ fraction limbs.
#[derive(Clone)]
struct Fixed {
    limbs: Vec<u64>,
}

impl Fixed {
    fn from_int(n: u64, len: usize) -> Fixed {
        let mut limbs = vec![0; len];
        limbs[0] = n;
        Fixed { limbs }
    }

    fn is_zero(&self) -> bool {
        self.limbs.iter().all(|l| *l == 0)
    }

    /// `self / d` (truncating).
    fn div(&self, d: u64) -> Fixed {
        let mut rem: u128 = 0;
        let limbs = self
            .limbs
            .iter()
            .map(|l| {
                let cur = rem * u128::from(BASE) + u128::from(*l);
                rem = cur % u128::from(d);
                (cur / u128::from(d)) as u64
            })
            .collect();
        Fixed { limbs }
    }

    fn add(&mut self, other: &Fixed) {
        let mut carry = 0;
        for (a, b) in self.limbs.iter_mut().zip(&other.limbs).rev() {
            let s = *a + *b + carry;
            *a = s % BASE;
            carry = s / BASE;
        }
        self.limbs[0] += carry * BASE;
    }

    /// `self - other`, `other <= self`.
    fn sub(&mut self, other: &Fixed) {
        let mut borrow = 0;
        for (a, b) in self.limbs.iter_mut().zip(&other.limbs).rev() {
            let need = *b + borrow;
            if *a >= need {
                *a -= need;
                borrow = 0;
            } else {
                *a = *a + BASE - need;
                borrow = 1;
            }
        }
    }

    fn mul(&self, m: u64) -> Fixed {
        let mut out = self.clone();
        let mut carry = 0;
        for l in out.limbs.iter_mut().skip(1).rev() {
            let p = *l * m + carry;
            *l = p % BASE;
            carry = p / BASE;
        }
        out.limbs[0] = out.limbs[0] * m + carry;
        out
    }
}

/// arctan(1/x) = Σ (−1)ᵏ / ((2k+1)·x^(2k+1)).
fn arctan_inv(x: u64, len: usize) -> Fixed {
    let mut power = Fixed::from_int(1, len).div(x);
    let mut sum = power.clone();
    let x2 = x * x;
    let mut n = 1;
    let mut negative = true;
    loop {
        power = power.div(x2);
        n += 2;
        let term = power.div(n);
        if term.is_zero() {
            return sum;
        }
        if negative {
            sum.sub(&term);
        } else {
            sum.add(&term);
        }
        negative = !negative;
    }
}

/// The decimal digits of π (`3` then the decimals), at least `n` of them
/// plus guard digits, truncated.
fn raw_digits(n: usize) -> String {
    let len = (n + 20) / LIMB_DIGITS + 2;
    // Machin: π = 16·arctan(1/5) − 4·arctan(1/239).
    let mut pi = arctan_inv(5, len).mul(16);
    pi.sub(&arctan_inv(239, len).mul(4));
    let mut out = pi.limbs[0].to_string();
    for l in &pi.limbs[1..] {
        out.push_str(&format!("{l:09}"));
    }
    out
}

/// `bpi(n)` as Perl prints it: `n` significant digits, rounded.
pub fn bpi(n: usize) -> String {
    let n = n.max(1);
    let raw = raw_digits(n);
    let mut digits: Vec<u8> = raw.bytes().take(n).map(|b| b - b'0').collect();
    // Round half up on the next digit (the guard digits make the truncation
    // error far below one unit in the n+1st place).
    if raw.as_bytes()[n] >= b'5' {
        for d in digits.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if n == 1 { text } else { format!("{}.{}", &text[..1], &text[1..]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_precisions_round_like_math_bigfloat() {
        assert_eq!(bpi(1), "3");
        assert_eq!(bpi(3), "3.14");
        assert_eq!(bpi(5), "3.1416");
        assert_eq!(bpi(10), "3.141592654");
        assert_eq!(bpi(30), "3.14159265358979323846264338328");
    }

    #[test]
    fn two_thousand_digits_round_the_last_one() {
        // `perl -Mbignum=bpi -wle 'print bpi(2000)'`: 2000 significant
        // digits, the last one rounded up (…27590099… → …275901); checked
        // against an independent Machin-formula computation with Python's
        // `decimal` at 2100 digits of precision.
        let p = bpi(2000);
        assert_eq!(p.len(), 2001);
        assert!(p.starts_with("3.14159265358979323846264338327950288419716939937510582097494459"));
        assert!(p.ends_with("8658326459958133904780275901"), "{}", &p[1950..]);
        // Digits from the middle (decimals 104-317).
        assert!(p.contains("1339360726024914127372458700660631558817488152092096282925409171536436789259036001133053054882046652138414695194151160943305727036575959195309218611738193261179310511854807446237996274956735188575272489122793818301194912"));
    }
}
