//! Go's duration units (`time.ParseDuration`), the one table kubectl's
//! duration flags and scenario durations both read.

/// Nanoseconds per unit of Go's `time.ParseDuration` (`ns`, `us`/`µs`,
/// `ms`, `s`, `m`, `h`); `None` for any other unit.
pub fn go_unit_nanos(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1.0,
        "us" | "µs" | "μs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => return None,
    })
}
