//! `date` on the backend's clock (virtual time on the simulator), as GNU
//! coreutils 9 prints it in the C locale with `TZ` unset (UTC): a tutorial
//! machine in another time zone prints other hours, which is why
//! scenarios usually bind the date with a wildcard.

use k8s_openapi::jiff::{Timestamp, tz::TimeZone};

/// `date [-u] [+FORMAT] [-I[TIMESPEC]] [-R] [--rfc-3339=TIMESPEC]`:
/// stdout, or `Err` naming what is not modelled (`date option -d`).
pub fn run(args: &[String], now: Timestamp) -> Result<String, String> {
    let zoned = now.to_zoned(TimeZone::UTC);
    let mut format: Option<String> = None;
    for arg in args {
        let preset = match arg.as_str() {
            "-u" | "--utc" | "--universal" => continue,
            "-R" | "--rfc-email" => "%a, %d %b %Y %H:%M:%S %z",
            "-I" | "-Idate" | "--iso-8601" | "--iso-8601=date" => "%Y-%m-%d",
            "-Ihours" | "--iso-8601=hours" => "%Y-%m-%dT%H%:z",
            "-Iminutes" | "--iso-8601=minutes" => "%Y-%m-%dT%H:%M%:z",
            "-Iseconds" | "--iso-8601=seconds" => "%Y-%m-%dT%H:%M:%S%:z",
            "--rfc-3339=date" => "%Y-%m-%d",
            "--rfc-3339=seconds" => "%Y-%m-%d %H:%M:%S%:z",
            a if a.starts_with('+') => &a[1..],
            a => return Err(format!("date option {a}")),
        };
        if format.is_some() {
            return Err(format!("date with several formats ({arg})"));
        }
        format = Some(preset.to_owned());
    }
    let format = format.unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".to_owned());
    // Only the directives jiff renders as GNU date does; the others (`%N`
    // nanoseconds aside, locale ones like `%c`) are not modelled.
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                Some(':') if chars.next() == Some('z') => {}
                Some(
                    'a' | 'A' | 'b' | 'B' | 'd' | 'e' | 'F' | 'H' | 'I' | 'j' | 'm' | 'M' | 'p'
                    | 's' | 'S' | 'T' | 'u' | 'y' | 'Y' | 'z' | 'Z' | 'n' | 't' | '%' | 'D' | 'R'
                    | 'h' | 'k' | 'l',
                ) => {}
                other => {
                    return Err(format!(
                        "date format %{}",
                        other.map(String::from).unwrap_or_default()
                    ));
                }
            }
        }
    }
    let text = zoned.strftime(&format).to_string();
    Ok(format!("{text}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(args: &[&str]) -> Result<String, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        // Outputs from GNU date 9.4 with TZ=UTC at this instant.
        run(&args, "2026-12-07T00:40:24Z".parse().unwrap())
    }

    #[test]
    fn gnu_formats() {
        assert_eq!(date(&[]).unwrap(), "Mon Dec  7 00:40:24 UTC 2026\n");
        assert_eq!(date(&["-u"]).unwrap(), "Mon Dec  7 00:40:24 UTC 2026\n");
        assert_eq!(date(&["+%s"]).unwrap(), "1796604024\n");
        assert_eq!(date(&["+%Y-%m-%d"]).unwrap(), "2026-12-07\n");
        assert_eq!(date(&["+%H:%M:%S"]).unwrap(), "00:40:24\n");
        assert_eq!(date(&["-Iseconds"]).unwrap(), "2026-12-07T00:40:24+00:00\n");
        assert_eq!(date(&["--iso-8601"]).unwrap(), "2026-12-07\n");
        assert_eq!(date(&["-R"]).unwrap(), "Mon, 07 Dec 2026 00:40:24 +0000\n");
        assert_eq!(date(&["-u", "+%FT%TZ"]).unwrap(), "2026-12-07T00:40:24Z\n");
    }

    #[test]
    fn unmodelled_options_are_named() {
        assert_eq!(date(&["-d", "yesterday"]), Err("date option -d".into()));
        assert_eq!(date(&["+%N"]), Err("date format %N".into()));
    }
}
