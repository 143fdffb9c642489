//! Absolute timestamps as kubectl prints them: Go's `time.RFC1123Z`
//! (`Mon, 02 Jan 2006 15:04:05 -0700`) in the local zone of the machine
//! kubectl runs on — here the cluster's configured UTC offset
//! (`describe.go`: `pod.Status.StartTime.Time.Format(time.RFC1123Z)`).

use k8s_openapi::jiff::{
    Timestamp,
    tz::{Offset, TimeZone},
};

/// Formats `ts` as RFC 1123 with numeric zone, at `utc_offset_seconds`.
pub fn rfc1123z(ts: Timestamp, utc_offset_seconds: i32) -> String {
    let offset = Offset::from_seconds(utc_offset_seconds).unwrap_or(Offset::UTC);
    ts.to_zoned(TimeZone::fixed(offset)).strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// RFC 3339 in UTC with seconds precision (`2022-11-16T03:08:29Z`), as
/// `metav1.Time` marshals.
pub fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_start_time() {
        // Tue, 15 Nov 2022 22:08:29 -0500 == 2022-11-16T03:08:29Z
        let ts: Timestamp = "2022-11-16T03:08:29Z".parse().unwrap();
        assert_eq!(rfc1123z(ts, -5 * 3600), "Tue, 15 Nov 2022 22:08:29 -0500");
        assert_eq!(rfc1123z(ts, 0), "Wed, 16 Nov 2022 03:08:29 +0000");
        assert_eq!(rfc3339(ts), "2022-11-16T03:08:29Z");
    }
}
