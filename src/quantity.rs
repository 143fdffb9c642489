//! Kubernetes resource quantities (`apimachinery/pkg/api/resource`): one
//! parser for every layer — exact [`Quantity`] values for the API server's
//! canonical text (quota and LimitRange messages), and [`parse`] as a
//! number for kubectl's `--sort-by` and the scenario's node capacities.
//!
//! Exact resource quantities (`apimachinery/pkg/api/resource/quantity.go`):
//! parsing, arithmetic and the canonical text the API server stores and
//! prints (`Quantity.String()`), which quota and LimitRange messages carry
//! (`requested: requests.memory=700Mi`, `maximum cpu usage per Container is
//! 800m`). The value is held in nano-units, the finest scale Kubernetes
//! keeps (finer input rounds up, as `ParseQuantity` does).

use std::{cmp::Ordering, fmt};

/// How a quantity prints (`resource.Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`, … (powers of 1024).
    BinarySi,
    /// `m`, `k`, `M`, … (powers of 1000), or no suffix.
    DecimalSi,
    /// `e3`, `E6`.
    DecimalExponent,
}

/// A resource quantity.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

const NANO: i128 = 1_000_000_000;

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Quantity {
    /// Zero, formatted as a decimal (`resource.Quantity{Format: DecimalSI}`).
    pub const ZERO: Quantity = Quantity { nanos: 0, format: Format::DecimalSi };

    /// An integer count (`resource.NewQuantity(n, DecimalSi)`).
    pub fn count(n: i64) -> Quantity {
        Quantity { nanos: i128::from(n) * NANO, format: Format::DecimalSi }
    }

    /// `resource.ParseQuantity`: `<signed decimal><suffix>`; `None` when
    /// the text is not a quantity.
    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        let bytes = s.as_bytes();
        let mut end = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
        let negative = bytes.first() == Some(&b'-');
        let int_start = end;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let int_digits = &s[int_start..end];
        let mut frac_digits = "";
        if end < bytes.len() && bytes[end] == b'.' {
            let start = end + 1;
            end = start;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            frac_digits = &s[start..end];
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return None;
        }
        let (format, base, exp): (Format, i128, i32) = match &s[end..] {
            "" => (Format::DecimalSi, 10, 0),
            "Ki" => (Format::BinarySi, 1024, 1),
            "Mi" => (Format::BinarySi, 1024, 2),
            "Gi" => (Format::BinarySi, 1024, 3),
            "Ti" => (Format::BinarySi, 1024, 4),
            "Pi" => (Format::BinarySi, 1024, 5),
            "Ei" => (Format::BinarySi, 1024, 6),
            "n" => (Format::DecimalSi, 10, -9),
            "u" => (Format::DecimalSi, 10, -6),
            "m" => (Format::DecimalSi, 10, -3),
            "k" => (Format::DecimalSi, 10, 3),
            "M" => (Format::DecimalSi, 10, 6),
            "G" => (Format::DecimalSi, 10, 9),
            "T" => (Format::DecimalSi, 10, 12),
            "P" => (Format::DecimalSi, 10, 15),
            "E" => (Format::DecimalSi, 10, 18),
            other => {
                let e = other.strip_prefix(['e', 'E'])?;
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                (Format::DecimalExponent, 10, e.parse().ok()?)
            }
        };
        // The decimal number as an integer over 10^frac_len.
        let digits: String = format!("{int_digits}{frac_digits}");
        let mut mantissa: i128 = digits.parse().unwrap_or(0);
        if digits.len() > 30 {
            return None;
        }
        let mut scale10 = -(frac_digits.len() as i32);
        let mut multiplier: i128 = 1;
        if base == 1024 {
            multiplier = 1024i128.checked_pow(exp as u32)?;
        } else {
            scale10 += exp;
        }
        mantissa = mantissa.checked_mul(multiplier)?;
        // Into nano-units, rounding up what is finer than a nano.
        let shift = scale10 + 9;
        let nanos = if shift >= 0 {
            mantissa.checked_mul(10i128.checked_pow(shift as u32)?)?
        } else {
            let div = 10i128.checked_pow((-shift) as u32)?;
            (mantissa + div - 1) / div
        };
        Some(Quantity { nanos: if negative { -nanos } else { nanos }, format })
    }

    /// The format the quantity prints in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// Whether the value is negative.
    pub fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    /// `Quantity.Add`: the sum keeps this quantity's format, unless this
    /// one is zero (then the other's).
    pub fn plus(self, other: Quantity) -> Quantity {
        let format = if self.nanos == 0 { other.format } else { self.format };
        Quantity { nanos: self.nanos + other.nanos, format }
    }

    /// `Quantity.MilliValue`: thousandths, rounded up.
    pub fn milli_value(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// `Quantity.Value`: whole units, rounded up.
    pub fn value(&self) -> i128 {
        ceil_div(self.nanos, NANO)
    }

    /// `resource.NewQuantity(q.Value(), format)`: the whole value (rounded
    /// up) in another format.
    pub fn rounded_as(self, format: Format) -> Quantity {
        Quantity { nanos: self.value() * NANO, format }
    }

    /// The value as a float (for ratios and sorting).
    pub fn as_f64(&self) -> f64 {
        self.nanos as f64 / NANO as f64
    }
}

fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b > 0 { q + 1 } else { q }
}

/// `Quantity.String()`: `CanonicalizeBytes`.
impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let mut format = self.format;
        if format == Format::BinarySi && (self.nanos.abs() < 1024 * NANO || self.nanos % NANO != 0)
        {
            // Small values avoid confusing suffixes; fractions would lose
            // precision in base 1024.
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let mut value = self.nanos / NANO;
            let mut exp = 0;
            while value % 1024 == 0 && exp < 6 {
                value /= 1024;
                exp += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
            return write!(f, "{value}{suffix}");
        }
        // `AsCanonicalBytes`: strip factors of ten, then lower the
        // exponent to a multiple of three.
        let mut mantissa = self.nanos;
        let mut exp: i32 = -9;
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exp += 1;
        }
        while exp.rem_euclid(3) != 0 {
            mantissa *= 10;
            exp -= 1;
        }
        if format == Format::DecimalExponent {
            return if exp == 0 { write!(f, "{mantissa}") } else { write!(f, "{mantissa}e{exp}") };
        }
        let suffix = match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return write!(f, "{mantissa}e{exp}"),
        };
        write!(f, "{mantissa}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).unwrap().to_string()
    }

    #[test]
    fn canonical_text_matches_apimachinery() {
        // Expectations from quantity_test.go's TestQuantityParse table.
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1536Mi"), "1536Mi");
        assert_eq!(canon("1.5Gi"), "1536Mi");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("1500m"), "1500m");
        assert_eq!(canon("1000"), "1k");
        assert_eq!(canon("2000000"), "2M");
        assert_eq!(canon("100Ki"), "100Ki");
        assert_eq!(canon("512"), "512");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("0.1Ki"), "102400m");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("1n"), "1n");
        assert_eq!(canon("0.0000000001"), "1n", "finer than nano rounds up");
        assert!(Quantity::parse("abc").is_none());
        assert!(Quantity::parse("1Qi").is_none());
    }

    #[test]
    fn sums_keep_the_first_nonzero_format() {
        let a = Quantity::parse("600Mi").unwrap();
        let b = Quantity::parse("100Mi").unwrap();
        assert_eq!(Quantity::ZERO.plus(a).plus(b).to_string(), "700Mi");
        assert_eq!(Quantity::parse("500m").unwrap().plus(Quantity::count(1)).to_string(), "1500m");
        assert!(a < Quantity::parse("1Gi").unwrap());
        assert_eq!(Quantity::parse("1").unwrap().milli_value(), 1000);
    }
}

/// `resource.ParseQuantity`, as a number: `<signed decimal><suffix>` with
/// binary (`Ki`..`Ei`), decimal (`n u m k M G T P E`) or exponent (`e3`)
/// suffixes.
pub fn parse(s: &str) -> Option<f64> {
    Quantity::parse(s).map(|q| q.as_f64())
}

#[cfg(test)]
mod float_tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse("250m"), Some(0.25));
        assert_eq!(parse("1Gi"), Some(1073741824.0));
        assert_eq!(parse("web-1"), None);
        assert_eq!(parse("10.244.1.2"), None);
        assert_eq!(parse("2021-10-05T10:00:00Z"), None);
    }
}
