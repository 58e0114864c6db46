//! Calendar dates: `YYYY-MM-DD` ↔ days since the Unix epoch. The one strict date parser of
//! every command (scorecards, waivers, `--now`, `--as-of`, usage exports). Hand-written because
//! the program needs nothing else of a date-time crate (no zones, no formatting locales): these
//! are two small, well-known algorithms, tested against each other.

pub const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since the epoch.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The number of days of a month (0 for a month that does not exist).
pub fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since the epoch of a date that exists (no February 30th, no month 13).
pub fn checked_days(year: i64, month: u32, day: u32) -> Option<i64> {
    (day >= 1 && day <= days_in_month(year, month)).then(|| days_from_civil(year, month, day))
}

/// Parses exactly `YYYY-MM-DD` (four, two and two digits) of a date that exists into a Unix
/// time at midnight UTC.
pub fn parse(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    let (y, m, d) = (
        date[..4].parse().ok()?,
        date[5..7].parse().ok()?,
        date[8..].parse().ok()?,
    );
    Some(checked_days(y, m, d)? * SECONDS_PER_DAY)
}

/// Whether `s` is a date written `YYYY-MM-DD` that exists.
pub fn is_date(s: &str) -> bool {
    parse(s).is_some()
}

pub fn format(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(SECONDS_PER_DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The current Unix time.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format(parse("2026-11-26").unwrap()), "2026-11-26");
        assert_eq!(format(parse("2000-02-29").unwrap()), "2000-02-29");
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "26-12-01",
            "2026-1-01",
            "2026-01-1x",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(is_date("2024-02-29"));
        for days in [-1000, 0, 59, 60, 10_957, 20_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
