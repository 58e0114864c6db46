//! The date range of the usage data, read before any metric: where it starts and ends, how far
//! it lags the as-of date, and which weeks or months inside it have no data. A verdict on data
//! that stops weeks before the report date, or has holes, says so and is low confidence.
//! Pure: never prints.

use std::collections::BTreeSet;

use super::usage::{AggregateRow, Grain, UsageData};
use crate::dates::{self, SECONDS_PER_DAY};

/// Usage data that ends more than this many days before the as-of date is stale: a weekly
/// export plus its processing delay fits in it, a forgotten export does not.
pub const USAGE_LAG_DAYS: i64 = 7;
/// Gaps listed by name; the rest are counted.
pub const GAPS_SHOWN: usize = 6;

/// What the usage metrics were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UsageSource {
    /// One row per event (events, rhdh, ga4): people can be counted.
    #[default]
    EventLevel,
    /// Counts per period (aggregate): only what was supplied.
    Aggregated,
}

impl UsageSource {
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSource::EventLevel => "event-level",
            UsageSource::Aggregated => "aggregated",
        }
    }
}

/// The usage data's date range relative to the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    pub source: UsageSource,
    /// First and last day with data (Unix day numbers), inside the report window and up to
    /// the as-of date; None when no row is.
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
    /// Days from the last day with data to the as-of date (0: data reaches it).
    pub lag_days: Option<i64>,
    /// Weeks (`week of YYYY-MM-DD`; for events and daily rows, the Monday) or months
    /// (`YYYY-MM`) inside the range without data, oldest first.
    pub gaps: Vec<String>,
    /// Rows outside the report window (before it, or after the as-of date): no current
    /// measure counts them (events before it still tell new users from returning ones).
    pub outside_window: usize,
}

impl Coverage {
    /// The data ends more than [`USAGE_LAG_DAYS`] before the as-of date, or holds nothing in the window.
    pub fn stale(&self) -> bool {
        self.lag_days.is_none_or(|d| d > USAGE_LAG_DAYS)
    }

    pub fn trusted(&self) -> bool {
        !self.stale() && self.gaps.is_empty()
    }

    /// The as-of date to rerun with when the data is stale: its last day.
    pub fn suggested_as_of(&self) -> Option<String> {
        self.last_day
            .filter(|_| self.stale())
            .map(|d| dates::format(d * SECONDS_PER_DAY))
    }
}

fn day_of(t: i64) -> i64 {
    t.div_euclid(SECONDS_PER_DAY)
}

/// Monday of the week of `day` (1970-01-01 was a Thursday).
fn monday(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

fn month_index(day: i64) -> i64 {
    let (y, m, _) = dates::civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

fn month_label(index: i64) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// The last day of an aggregate row's period.
pub fn period_last_day(r: &AggregateRow) -> i64 {
    let first = day_of(r.start);
    match r.grain {
        Grain::Day => first,
        Grain::Week => first + 6,
        Grain::Month => {
            let (y, m, _) = dates::civil_from_days(first);
            dates::days_from_civil(y, m, dates::days_in_month(y, m))
        }
    }
}

/// Is an aggregate row inside the report window (its period ends in it, and starts by the as-of date)?
pub fn row_in_window(r: &AggregateRow, window_start: i64, as_of_end: i64) -> bool {
    r.start <= as_of_end && period_last_day(r) >= day_of(window_start)
}

/// Reads the range of `data` against the window `[window_start, as_of_end]`.
pub fn of(data: &UsageData, window_start: i64, as_of_end: i64) -> Coverage {
    let as_of_day = day_of(as_of_end);
    let mut c = Coverage::default();
    if data.events.is_empty() && !data.aggregates.is_empty() {
        c.source = UsageSource::Aggregated;
        let mut expected: Vec<(Grain, BTreeSet<i64>)> = Vec::new();
        for r in &data.aggregates {
            if !row_in_window(r, window_start, as_of_end) {
                c.outside_window += 1;
                continue;
            }
            let (first, last) = (day_of(r.start), period_last_day(r).min(as_of_day));
            c.first_day = Some(c.first_day.map_or(first, |d| d.min(first)));
            c.last_day = Some(c.last_day.map_or(last, |d| d.max(last)));
            if r.metric == "active_users" && r.dimension.is_none() {
                // Daily rows are checked by week: exports often skip weekends or idle days.
                let key = match r.grain {
                    Grain::Month => month_index(first),
                    Grain::Week => first,
                    Grain::Day => monday(first),
                };
                match expected.iter_mut().find(|(g, _)| *g == r.grain) {
                    Some((_, set)) => {
                        set.insert(key);
                    }
                    None => expected.push((r.grain, BTreeSet::from([key]))),
                }
            }
        }
        expected.sort_by_key(|(g, _)| *g);
        for (grain, starts) in &expected {
            let (Some(&lo), Some(&hi)) = (starts.first(), starts.last()) else {
                continue;
            };
            let step = match grain {
                Grain::Day | Grain::Week => 7,
                Grain::Month => 1,
            };
            let mut k = lo;
            while k < hi {
                if !starts.contains(&k) {
                    c.gaps.push(match grain {
                        Grain::Month => month_label(k),
                        Grain::Week | Grain::Day => {
                            format!("week of {}", dates::format(k * SECONDS_PER_DAY))
                        }
                    });
                }
                k += step;
            }
        }
    } else {
        let window_day = day_of(window_start);
        let mut weeks = BTreeSet::new();
        for e in &data.events {
            let d = day_of(e.time);
            if d > as_of_day || d < window_day {
                c.outside_window += 1;
                continue;
            }
            c.first_day = Some(c.first_day.map_or(d, |x| x.min(d)));
            c.last_day = Some(c.last_day.map_or(d, |x| x.max(d)));
            weeks.insert(monday(d));
        }
        if let (Some(&lo), Some(&hi)) = (weeks.first(), weeks.last()) {
            let mut w = lo;
            while w < hi {
                if !weeks.contains(&w) {
                    c.gaps
                        .push(format!("week of {}", dates::format(w * SECONDS_PER_DAY)));
                }
                w += 7;
            }
        }
    }
    c.lag_days = c.last_day.map(|d| as_of_day - d);
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adoption::usage::parse;

    fn data(text: &str) -> UsageData {
        let p = parse(text, None).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        UsageData {
            events: p.events,
            aggregates: p.aggregates,
            files: Vec::new(),
        }
    }

    fn end_of(day: &str) -> i64 {
        dates::parse(day).unwrap() + SECONDS_PER_DAY - 1
    }

    fn day(s: &str) -> i64 {
        dates::parse(s).unwrap() / SECONDS_PER_DAY
    }

    #[test]
    fn events_reaching_the_as_of_date_are_trusted() {
        let d = data("timestamp,user,action\n2025-03-03,a,navigate\n2025-03-10,a,navigate\n");
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-03-10"),
        );
        assert_eq!(c.source, UsageSource::EventLevel);
        assert_eq!(
            (c.first_day, c.last_day),
            (Some(day("2025-03-03")), Some(day("2025-03-10")))
        );
        assert_eq!(c.lag_days, Some(0));
        assert!(c.trusted(), "{c:?}");
        assert_eq!(c.suggested_as_of(), None);
    }

    #[test]
    fn lagging_events_are_stale_and_name_their_last_day() {
        // Ends 2025-02-20: 18 days before 2025-03-10, over the 7-day limit.
        let d =
            data("timestamp,user,action\n2025-02-17,a,navigate\n2025-02-20T10:00:00Z,a,navigate\n");
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-03-10"),
        );
        assert_eq!(c.lag_days, Some(18));
        assert!(c.stale());
        assert_eq!(c.suggested_as_of().as_deref(), Some("2025-02-20"));
        // Seven days of lag are within the limit.
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-02-27"),
        );
        assert_eq!(c.lag_days, Some(7));
        assert!(!c.stale());
    }

    #[test]
    fn a_missing_week_is_a_gap() {
        // Mondays 2025-02-03, 2025-02-10 (missing), 2025-02-17.
        let d = data(
            "timestamp,user,action\n2025-02-04,a,navigate\n2025-02-18,a,navigate\n2025-02-20,a,navigate\n",
        );
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-02-21"),
        );
        assert_eq!(c.gaps, ["week of 2025-02-10"]);
        assert!(!c.stale());
        assert!(!c.trusted());
    }

    #[test]
    fn aggregates_outside_the_window_are_left_out() {
        // A monthly row 20 months before the report date, and nothing since.
        let d = data("period_start,period,metric,value\n2023-07-01,month,active_users,2\n");
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-03-10"),
        );
        assert_eq!(c.source, UsageSource::Aggregated);
        assert_eq!(c.outside_window, 1);
        assert_eq!((c.first_day, c.last_day, c.lag_days), (None, None, None));
        assert!(c.stale());
        assert_eq!(c.suggested_as_of(), None);
    }

    #[test]
    fn daily_rows_are_checked_by_week() {
        // Weekdays only, then a week (Monday 2025-02-17) without any daily row.
        let mut csv = String::from("period_start,period,metric,value\n");
        for d in [
            "2025-02-03",
            "2025-02-07",
            "2025-02-10",
            "2025-02-14",
            "2025-02-24",
        ] {
            csv.push_str(&format!("{d},day,active_users,3\n"));
        }
        let c = of(
            &data(&csv),
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-02-24"),
        );
        assert_eq!(c.gaps, ["week of 2025-02-17"]);
        assert_eq!(c.lag_days, Some(0));
    }

    #[test]
    fn aggregate_range_lag_and_missing_month() {
        let d = data(
            "period_start,period,metric,value\n\
             2024-10-01,month,active_users,5\n\
             2024-12-01,month,active_users,6\n\
             2025-01-01,month,active_users,7\n\
             2025-01-01,month,eligible_users,20\n",
        );
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-03-10"),
        );
        assert_eq!(c.first_day, Some(day("2024-10-01")));
        assert_eq!(c.last_day, Some(day("2025-01-31")));
        assert_eq!(c.lag_days, Some(38));
        assert_eq!(c.gaps, ["2024-11"]);
        assert_eq!(c.suggested_as_of().as_deref(), Some("2025-01-31"));
        // The month that holds the as-of date counts up to it.
        let c = of(
            &d,
            dates::parse("2024-04-01").unwrap(),
            end_of("2025-01-15"),
        );
        assert_eq!((c.last_day, c.lag_days), (Some(day("2025-01-15")), Some(0)));
    }
}
