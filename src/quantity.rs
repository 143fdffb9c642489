//! Kubernetes resource quantities (`apimachinery/pkg/api/resource`
//! `ParseQuantity`), read as numbers: the one grammar that kubectl's
//! `--sort-by` comparisons and the scenario's node capacities both use.

/// `resource.ParseQuantity`, as a number: `<signed decimal><suffix>` with
/// binary (`Ki`..`Ei`), decimal (`n u m k M G T P E`) or exponent (`e3`)
/// suffixes.
pub fn parse(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    let mut saw_digits = end > digits_start;
    if end < bytes.len() && bytes[end] == b'.' {
        end += 1;
        let frac = end;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        saw_digits |= end > frac;
    }
    if !saw_digits {
        return None;
    }
    let number: f64 = s[..end].parse().ok()?;
    let suffix = &s[end..];
    let factor = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        other => {
            let exp = other.strip_prefix(['e', 'E'])?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            10f64.powi(exp.parse().ok()?)
        }
    };
    Some(number * factor)
}

#[cfg(test)]
mod tests {
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
