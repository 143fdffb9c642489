//! kubectl's AGE formatting: `HumanDuration` from
//! `k8s.io/apimachinery/pkg/util/duration/duration.go` (v0.22.2), and
//! `translateTimestampSince` from `pkg/printers/internalversion/printers.go`
//! and `kubectl/pkg/describe/describe.go`.

use k8s_openapi::{apimachinery::pkg::apis::meta::v1::Time, jiff::Timestamp};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Formats a duration given in nanoseconds the way `duration.HumanDuration`
/// does (`38s`, `3m18s`, `24m`, `5h17m`, `6d21h`, `2y30d`, `<invalid>`).
pub fn human_duration_nanos(nanos: i128) -> String {
    // `int(d.Seconds())` truncates toward zero, as Rust's `/` does.
    let seconds = nanos / NANOS_PER_SECOND;
    if seconds < -1 {
        return "<invalid>".to_owned();
    } else if seconds < 0 {
        return "0s".to_owned();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{h}h", hours / 24);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{dy}d", hours / 24 / 365);
    }
    format!("{}y", hours / 24 / 365)
}

/// `HumanDuration(to - from)`.
pub fn human_between(from: Timestamp, to: Timestamp) -> String {
    human_duration_nanos(to.as_nanosecond() - from.as_nanosecond())
}

/// `translateTimestampSince`: `<unknown>` for an unset timestamp, else the
/// human duration from it to `now`.
pub fn since(now: Timestamp, timestamp: Option<&Time>) -> String {
    match timestamp {
        None => "<unknown>".to_owned(),
        Some(t) => human_between(t.0, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: i128) -> String {
        human_duration_nanos(s * NANOS_PER_SECOND)
    }

    #[test]
    fn reference_examples() {
        assert_eq!(secs(38), "38s");
        assert_eq!(secs(90), "90s");
        assert_eq!(secs(119), "119s");
        assert_eq!(secs(120), "2m");
        assert_eq!(secs(198), "3m18s");
        assert_eq!(secs(300), "5m");
        assert_eq!(secs(600), "10m");
        assert_eq!(secs(179 * 60 + 59), "179m");
        assert_eq!(secs(3 * 3600), "3h");
        assert_eq!(secs(3 * 3600 + 5 * 60), "3h5m");
        assert_eq!(secs(5 * 3600 + 17 * 60 + 3), "5h17m");
        assert_eq!(secs(8 * 3600), "8h");
        assert_eq!(secs(47 * 3600 + 59 * 60), "47h");
        assert_eq!(secs(48 * 3600), "2d");
        assert_eq!(secs(165 * 3600), "6d21h");
        assert_eq!(secs(71 * 3600), "2d23h");
        assert_eq!(secs(8 * 24 * 3600), "8d");
        assert_eq!(secs(729 * 24 * 3600), "729d");
        assert_eq!(secs((2 * 365 + 30) * 24 * 3600), "2y30d");
        assert_eq!(secs(2 * 365 * 24 * 3600), "2y");
        assert_eq!(secs(9 * 365 * 24 * 3600), "9y");
    }

    #[test]
    fn clock_skew() {
        assert_eq!(human_duration_nanos(-1_500_000_000), "0s");
        assert_eq!(human_duration_nanos(-2_000_000_000), "<invalid>");
        assert_eq!(human_duration_nanos(999_999_999), "0s");
    }

    #[test]
    fn unknown_timestamp() {
        assert_eq!(since(Timestamp::UNIX_EPOCH, None), "<unknown>");
    }
}
