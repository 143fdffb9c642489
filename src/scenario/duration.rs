//! Go / kubectl style durations (`30s`, `1h30m`, `6d21h`).

use std::time::Duration;

/// Parses a Go / kubectl style duration: a sequence of `<number><unit>`
/// pairs such as `30s`, `10m`, `1h30m`, `6d21h`, `1.5h`, or a bare `0`.
///
/// Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`, plus `d` (24h) and
/// `y` (365d) because kubectl prints ages that way and tutorials copy them.
/// Returns `None` for anything else (empty, a unit missing, negative,
/// overflow).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text == "0" {
        return Some(Duration::ZERO);
    }
    if text.is_empty() {
        return None;
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len =
            rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        rest = &rest[number_len..];
        // A number must have at least one digit; "." alone or ".." is not one.
        if number.is_empty() || !number.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        // Go's units, plus the days and years kubectl prints in ages.
        let nanos_per_unit: f64 = match unit {
            "d" => 86_400e9,
            "y" => 365.0 * 86_400e9,
            _ => crate::duration::go_unit_nanos(unit)?,
        };
        let nanos = value * nanos_per_unit;
        // Durations beyond u64 nanoseconds (~584 years) are nonsense here.
        if !nanos.is_finite() || nanos >= u64::MAX as f64 {
            return None;
        }
        total = total.checked_add(Duration::from_nanos(nanos.round() as u64))?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_and_kubectl_durations() {
        let cases: &[(&str, Option<u64>)] = &[
            ("30s", Some(30)),
            ("10m", Some(600)),
            ("24h", Some(86_400)),
            ("6d21h", Some(6 * 86_400 + 21 * 3600)),
            ("1h30m", Some(5400)),
            ("2d", Some(2 * 86_400)),
            ("3m18s", Some(198)),
            ("1.5h", Some(5400)),
            ("2y", Some(2 * 365 * 86_400)),
            ("0", Some(0)),
            (" 5s ", Some(5)),
            ("", None),
            ("5", None),
            ("s", None),
            ("5x", None),
            ("-5s", None),
            ("5s5", None),
            (".s", None),
            ("1..2s", None),
            ("99999999999999999999y", None),
        ];
        for (text, secs) in cases {
            assert_eq!(parse_duration(text), secs.map(Duration::from_secs), "{text:?}");
        }
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("1us"), Some(Duration::from_micros(1)));
        assert_eq!(parse_duration("7ns"), Some(Duration::from_nanos(7)));
    }
}
