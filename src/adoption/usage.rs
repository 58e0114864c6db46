//! Portal usage data (`--usage FILE`, repeatable), read into one shape:
//!
//! - **events**: CSV with a header or NDJSON, `timestamp,user,action[,plugin,subject,entity_ref,value]`
//!   (NDJSON may also carry Backstage's `context.pluginId` / `context.entityRef`);
//! - **rhdh**: a dump of Red Hat Developer Hub Adoption Insights' `events` table
//!   (`created_at, user_ref, action, subject, value, plugin_id, attributes, context`);
//! - **ga4**: a GA4 BigQuery export, NDJSON with nested `event_params` or a flattened CSV
//!   (`event_timestamp` in µs or `event_date`, `event_name`, `user_id` = sha256 of the user
//!   entity ref, else `user_pseudo_id`, parameter `c_pluginId`);
//! - **aggregate**: `period_start,period,metric,value[,dimension]`.
//!
//! The format is detected from the CSV header or the first NDJSON record. Bad rows are
//! collected with their line; the caller decides whether they fail the run. Pure: never prints.

use std::collections::BTreeMap;

use serde_json::Value as J;

use crate::dates::{self, SECONDS_PER_DAY};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Events,
    Rhdh,
    Ga4,
    Aggregate,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Events => "events",
            Format::Rhdh => "rhdh",
            Format::Ga4 => "ga4",
            Format::Aggregate => "aggregate",
        }
    }
}

/// One portal event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unix seconds (UTC).
    pub time: i64,
    /// As written: an entity ref, an email, a login, a sha256 hex digest or an opaque id.
    pub user: String,
    pub action: String,
    pub plugin: Option<String>,
    pub subject: Option<String>,
    pub entity_ref: Option<String>,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grain {
    Day,
    Week,
    Month,
}

/// One row of aggregated input.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRow {
    /// Midnight UTC of the period's first day.
    pub start: i64,
    pub grain: Grain,
    pub metric: String,
    pub value: f64,
    pub dimension: Option<String>,
}

/// A row that could not be read: its line, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub what: String,
    pub fix: String,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub format: Option<Format>,
    pub events: Vec<Event>,
    pub aggregates: Vec<AggregateRow>,
    pub errors: Vec<RowError>,
    /// Data rows read (good and bad).
    pub rows: usize,
}

/// Everything read from the `--usage` files.
#[derive(Debug, Default)]
pub struct UsageData {
    pub events: Vec<Event>,
    pub aggregates: Vec<AggregateRow>,
    /// (file, format, rows, bad rows skipped)
    pub files: Vec<(String, Format, usize, usize)>,
}

/// Reads every file. Without `lenient`, any bad row fails the run and the first five are
/// listed; with it, bad rows are skipped and counted.
pub fn load(
    paths: &[std::path::PathBuf],
    forced: Option<Format>,
    lenient: bool,
) -> Result<UsageData, String> {
    let mut data = UsageData::default();
    let mut all_errors: Vec<String> = Vec::new();
    let mut total_errors = 0;
    for path in paths {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--usage {shown}: cannot read the file ({e}); check the path"))?;
        let parsed = parse(&text, forced).map_err(|e| locate(&shown, &e))?;
        let format = parsed.format.unwrap_or(Format::Events);
        total_errors += parsed.errors.len();
        for e in &parsed.errors {
            if all_errors.len() < 5 {
                all_errors.push(locate(&shown, e));
            }
        }
        data.files
            .push((shown, format, parsed.rows, parsed.errors.len()));
        data.events.extend(parsed.events);
        data.aggregates.extend(parsed.aggregates);
    }
    if total_errors > 0 && !lenient {
        let more = if total_errors > all_errors.len() {
            format!("\n  … and {} more", total_errors - all_errors.len())
        } else {
            String::new()
        };
        return Err(format!(
            "{total_errors} bad row(s) in the usage data:\n  {}{more}\nfix the rows, or pass --usage-lenient to skip bad rows (they are counted in the report's notes)",
            all_errors.join("\n  ")
        ));
    }
    data.events
        .sort_by(|a, b| a.time.cmp(&b.time).then(a.user.cmp(&b.user)));
    Ok(data)
}

fn locate(file: &str, e: &RowError) -> String {
    format!("{file}:{}: {}; {}", e.line, e.what, e.fix)
}

/// Column (or key) names that identify each format.
fn detect(keys: &[String]) -> Option<Format> {
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("period_start") && has("metric") {
        Some(Format::Aggregate)
    } else if has("event_name") || has("event_timestamp") || has("user_pseudo_id") {
        Some(Format::Ga4)
    } else if has("created_at") || has("user_ref") || has("plugin_id") {
        Some(Format::Rhdh)
    } else if has("timestamp") && has("user") && has("action") {
        Some(Format::Events)
    } else {
        None
    }
}

fn required(format: Format) -> &'static [&'static str] {
    match format {
        Format::Events => &["timestamp", "user", "action"],
        Format::Rhdh => &["created_at", "user_ref", "action"],
        Format::Ga4 => &["event_name"],
        Format::Aggregate => &["period_start", "period", "metric", "value"],
    }
}

/// One record: a CSV row (by header) or an NDJSON object.
trait Record {
    /// A non-empty value as text (numbers are written out).
    fn text(&self, key: &str) -> Option<String>;
    /// A GA4 event parameter.
    fn param(&self, key: &str) -> Option<String> {
        self.text(key)
    }
    /// A key of a JSON object field (`context.entityRef`); CSV cells may hold JSON text.
    fn nested(&self, field: &str, key: &str) -> Option<String> {
        let raw = self.text(field)?;
        let v: J = serde_json::from_str(&raw).ok()?;
        json_text(v.get(key)?)
    }
}

fn json_text(v: &J) -> Option<String> {
    let s = match v {
        J::String(s) => s.trim().to_string(),
        J::Number(n) => n.to_string(),
        J::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

struct CsvRecord<'a> {
    header: &'a [String],
    row: &'a csv::StringRecord,
}

impl Record for CsvRecord<'_> {
    fn text(&self, key: &str) -> Option<String> {
        let i = self.header.iter().position(|h| h == key)?;
        let v = self.row.get(i)?.trim();
        (!v.is_empty()).then(|| v.to_string())
    }
}

struct JsonRecord<'a>(&'a serde_json::Map<String, J>);

impl Record for JsonRecord<'_> {
    fn text(&self, key: &str) -> Option<String> {
        json_text(self.0.get(key)?)
    }
    fn param(&self, key: &str) -> Option<String> {
        // BigQuery's repeated record: [{"key": k, "value": {"string_value": …, "int_value": …}}].
        if let Some(J::Array(params)) = self.0.get("event_params") {
            for p in params {
                if p.get("key").and_then(J::as_str) == Some(key) {
                    let v = p.get("value")?;
                    for slot in ["string_value", "int_value", "double_value", "float_value"] {
                        if let Some(t) = v.get(slot).and_then(json_text) {
                            return Some(t);
                        }
                    }
                    return None;
                }
            }
        }
        self.text(key)
    }
    fn nested(&self, field: &str, key: &str) -> Option<String> {
        match self.0.get(field)? {
            J::Object(o) => json_text(o.get(key)?),
            J::String(s) => {
                let v: J = serde_json::from_str(s).ok()?;
                json_text(v.get(key)?)
            }
            _ => None,
        }
    }
}

/// Parses the text of one file.
pub fn parse(text: &str, forced: Option<Format>) -> Result<Parsed, RowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty());
    let Some((first_line, first)) = first else {
        return Err(RowError {
            line: 1,
            what: "the file is empty".into(),
            fix: "export some usage events, or leave the file out".into(),
        });
    };
    if first.trim_start().starts_with('{') {
        parse_ndjson(text, forced, first_line + 1)
    } else {
        parse_csv(text, forced)
    }
}

fn header_error(keys: &[String], format: Option<Format>, line: usize) -> RowError {
    let shown = if keys.is_empty() {
        "none".to_string()
    } else {
        keys.join(", ")
    };
    match format {
        Some(f) => RowError {
            line,
            what: format!(
                "{} data needs the columns {} (found: {shown})",
                f.as_str(),
                required(f).join(", ")
            ),
            fix: "rename the columns, or pass the right --usage-format".into(),
        },
        None => RowError {
            line,
            what: format!("cannot tell the usage format from the columns (found: {shown})"),
            fix: "use timestamp,user,action[,plugin,subject,entity_ref,value] for events or period_start,period,metric,value[,dimension] for aggregates, or pass --usage-format events|rhdh|ga4|aggregate".into(),
        },
    }
}

fn check_keys(keys: &[String], forced: Option<Format>, line: usize) -> Result<Format, RowError> {
    let format = forced.or_else(|| detect(keys));
    match format {
        Some(f) if required(f).iter().all(|k| keys.iter().any(|x| x == k)) => Ok(f),
        _ => Err(header_error(keys, format, line)),
    }
}

fn parse_csv(text: &str, forced: Option<Format>) -> Result<Parsed, RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| RowError {
            line: 1,
            what: format!("the header cannot be read as CSV ({e})"),
            fix: "save the file as UTF-8 CSV with a header row".into(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let format = check_keys(&header, forced, 1)?;
    let mut out = Parsed {
        format: Some(format),
        ..Parsed::default()
    };
    let mut row = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                if row.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let line = row.position().map_or(line, |p| p.line() as usize);
                out.rows += 1;
                let rec = CsvRecord {
                    header: &header,
                    row: &row,
                };
                take(&mut out, format, &rec, line);
            }
            Err(e) => {
                out.rows += 1;
                out.errors.push(RowError {
                    line: e.position().map_or(line, |p| p.line() as usize),
                    what: format!("not valid CSV ({e})"),
                    fix: "quote cells that hold commas or quotes (\"a, b\")".into(),
                });
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    Ok(out)
}

fn parse_ndjson(text: &str, forced: Option<Format>, first_line: usize) -> Result<Parsed, RowError> {
    let mut out = Parsed::default();
    let mut format = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: J = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                if n == first_line {
                    return Err(RowError {
                        line: n,
                        what: format!("the first record is not a JSON object ({e})"),
                        fix: "write one JSON object per line (NDJSON)".into(),
                    });
                }
                out.rows += 1;
                out.errors.push(RowError {
                    line: n,
                    what: format!("not a JSON object ({e})"),
                    fix: "write one JSON object per line (NDJSON)".into(),
                });
                continue;
            }
        };
        let Some(obj) = value.as_object() else {
            out.rows += 1;
            out.errors.push(RowError {
                line: n,
                what: "not a JSON object".into(),
                fix: "write one JSON object per line (NDJSON)".into(),
            });
            continue;
        };
        let f = match format {
            Some(f) => f,
            None => {
                let mut keys: Vec<String> = obj.keys().cloned().collect();
                // Backstage's AnalyticsEvent carries the plugin in its context.
                if obj.contains_key("context") && !keys.iter().any(|k| k == "plugin") {
                    keys.push("plugin".into());
                }
                let f = check_keys(&keys, forced, n)?;
                format = Some(f);
                f
            }
        };
        out.rows += 1;
        take(&mut out, f, &JsonRecord(obj), n);
    }
    out.format = format;
    Ok(out)
}

fn bad(out: &mut Parsed, line: usize, what: String, fix: &str) {
    out.errors.push(RowError {
        line,
        what,
        fix: fix.into(),
    });
}

const TIME_FIX: &str = "write RFC 3339 (2025-03-04T09:12:33Z) or a date (2025-03-04)";

/// Reads one record into an event or an aggregate row, or records why it cannot.
fn take(out: &mut Parsed, format: Format, r: &dyn Record, line: usize) {
    if format == Format::Aggregate {
        let start = r.text("period_start");
        let Some(start_t) = start.as_deref().and_then(parse_time) else {
            return bad(
                out,
                line,
                format!("period_start {:?} is not a date", start.unwrap_or_default()),
                "write the first day of the period as YYYY-MM-DD",
            );
        };
        let grain = match r
            .text("period")
            .as_deref()
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("day" | "daily") => Grain::Day,
            Some("week" | "weekly") => Grain::Week,
            Some("month" | "monthly") => Grain::Month,
            other => {
                return bad(
                    out,
                    line,
                    format!("period {:?} is not day, week or month", other.unwrap_or("")),
                    "write day, week or month",
                );
            }
        };
        let Some(metric) = r.text("metric") else {
            return bad(
                out,
                line,
                "metric is empty".into(),
                "name the metric (active_users, eligible_users, new_users, returning_users, template_runs)",
            );
        };
        let raw = r.text("value");
        let Some(value) = raw
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
        else {
            return bad(
                out,
                line,
                format!("value {:?} is not a number >= 0", raw.unwrap_or_default()),
                "write a plain number such as 412",
            );
        };
        out.aggregates.push(AggregateRow {
            start: start_t.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY,
            grain,
            metric: metric.to_lowercase(),
            value,
            dimension: r.text("dimension"),
        });
        return;
    }
    let (time, user, action, plugin, subject, entity_ref, value) = match format {
        Format::Events => (
            r.text("timestamp").map(|t| (parse_time(&t), t)),
            r.text("user"),
            r.text("action"),
            r.text("plugin").or_else(|| r.nested("context", "pluginId")),
            r.text("subject"),
            r.text("entity_ref")
                .or_else(|| r.nested("context", "entityRef")),
            r.text("value"),
        ),
        Format::Rhdh => (
            r.text("created_at").map(|t| (parse_time(&t), t)),
            r.text("user_ref"),
            r.text("action"),
            r.text("plugin_id")
                .or_else(|| r.nested("context", "pluginId")),
            r.text("subject"),
            r.nested("context", "entityRef"),
            r.text("value"),
        ),
        Format::Ga4 => {
            let time = match r.text("event_timestamp") {
                Some(t) => Some((
                    t.parse::<i64>()
                        .ok()
                        .map(|us| us.div_euclid(1_000_000))
                        .or_else(|| parse_time(&t)),
                    t,
                )),
                None => r.text("event_date").map(|d| {
                    let iso = (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]));
                    (iso.as_deref().and_then(parse_time), d)
                }),
            };
            let action = r.text("event_name").map(|n| match n.as_str() {
                "page_view" => "navigate".to_string(),
                _ => n,
            });
            let subject = r
                .param("search_term")
                .or_else(|| r.param("page_path"))
                .or_else(|| r.param("page_location"));
            (
                time,
                r.text("user_id").or_else(|| r.text("user_pseudo_id")),
                action,
                r.param("c_pluginId").or_else(|| r.param("plugin_id")),
                subject,
                r.param("c_entityRef"),
                r.param("value"),
            )
        }
        Format::Aggregate => unreachable!("handled above"),
    };
    let time = match time {
        Some((Some(t), _)) => t,
        Some((None, raw)) => {
            return bad(
                out,
                line,
                format!("timestamp {raw:?} is not a date"),
                TIME_FIX,
            );
        }
        None => return bad(out, line, "timestamp is empty".into(), TIME_FIX),
    };
    let Some(user) = user else {
        return bad(
            out,
            line,
            "user is empty".into(),
            "give the user's entity ref (user:default/jane), email or id; drop anonymous events",
        );
    };
    let Some(action) = action else {
        return bad(
            out,
            line,
            "action is empty".into(),
            "give the Backstage action (navigate, click, create, search, discover, …)",
        );
    };
    let value = match value {
        None => None,
        Some(v) => match v.parse::<f64>().ok().filter(|v| v.is_finite()) {
            Some(v) => Some(v),
            None => {
                return bad(
                    out,
                    line,
                    format!("value {v:?} is not a number"),
                    "leave value empty or write a number (minutes saved for create)",
                );
            }
        },
    };
    out.events.push(Event {
        time,
        user,
        action: action.to_lowercase(),
        plugin: plugin.map(|p| p.to_lowercase()),
        subject,
        entity_ref,
        value,
    });
}

fn digits(s: &str, n: usize) -> Option<i64> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// RFC 3339 / ISO 8601 date-times (`T` or a space; `Z`, `±HH:MM`, `±HHMM`, `±HH` or ` UTC`;
/// fractions ignored) and plain dates (midnight UTC). None when it is not one.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.strip_suffix(" UTC").unwrap_or(s);
    if s.len() < 10 {
        return None;
    }
    let (date, rest) = s.split_at_checked(10)?;
    let day = dates::parse(date)?;
    if rest.is_empty() {
        return Some(day);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    if rest.len() < 8 {
        return None;
    }
    let (clock, mut zone) = rest.split_at(8);
    let (h, mi, se) = (
        digits(&clock[0..2], 2)?,
        digits(&clock[3..5], 2)?,
        digits(&clock[6..8], 2)?,
    );
    if &clock[2..3] != ":" || &clock[5..6] != ":" || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    if let Some(frac) = zone.strip_prefix('.') {
        let end = frac
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac.len());
        if end == 0 {
            return None;
        }
        zone = &frac[end..];
    }
    let offset = match zone {
        "" | "Z" | "z" => 0,
        z if z.starts_with(['+', '-']) => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let z = z[1..].replace(':', "");
            let (oh, om) = match z.len() {
                2 => (digits(&z, 2)?, 0),
                4 => (digits(&z[..2], 2)?, digits(&z[2..], 2)?),
                _ => return None,
            };
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    Some(day + h * 3600 + mi * 60 + se - offset)
}

/// Aggregated rows by metric, for lookups.
pub fn by_metric(rows: &[AggregateRow]) -> BTreeMap<&str, Vec<&AggregateRow>> {
    let mut out: BTreeMap<&str, Vec<&AggregateRow>> = BTreeMap::new();
    for r in rows {
        out.entry(r.metric.as_str()).or_default().push(r);
    }
    for v in out.values_mut() {
        v.sort_by_key(|r| r.start);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> i64 {
        parse_time(s).unwrap()
    }

    #[test]
    fn times() {
        assert_eq!(t("1970-01-02"), 86_400);
        assert_eq!(t("1970-01-01T01:00:00Z"), 3600);
        assert_eq!(t("1970-01-01 01:00:00.123+01:00"), 0);
        assert_eq!(t("1970-01-01T01:00:00-0030"), 3600 + 1800);
        assert_eq!(t("1970-01-01 00:00:10+00"), 10);
        assert_eq!(t("1970-01-01 00:00:10 UTC"), 10);
        for bad in [
            "",
            "yesterday",
            "2025-13-01",
            "2025-01-01T25:00:00Z",
            "2025-01-01T10:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn events_csv_is_detected_and_read() {
        let p = parse(
            "timestamp,user,action,plugin,subject,entity_ref,value\n\
             2025-03-04T09:12:33Z,user:default/jane,navigate,catalog,/catalog,component:default/a,\n\
             2025-03-04,jane@acme.test,create,scaffolder,\"new, svc\",template:default/svc,240\n",
            None,
        )
        .unwrap();
        assert_eq!(p.format, Some(Format::Events));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.events.len(), 2);
        assert_eq!(p.events[1].subject.as_deref(), Some("new, svc"));
        assert_eq!(p.events[1].value, Some(240.0));
        assert_eq!(p.events[0].plugin.as_deref(), Some("catalog"));
    }

    #[test]
    fn bad_rows_are_located() {
        let p = parse(
            "timestamp,user,action\n2025-03-04,jane,navigate\nsoon,jane,navigate\n2025-03-04,,navigate\n",
            None,
        )
        .unwrap();
        assert_eq!(p.events.len(), 1);
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4]);
        assert!(p.errors[0].what.contains("\"soon\""), "{:?}", p.errors);
    }

    #[test]
    fn unknown_header_names_the_columns_and_the_fix() {
        let e = parse("when,who\n2025-01-01,x\n", None).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.what.contains("when, who"), "{e:?}");
        assert!(e.fix.contains("--usage-format"), "{e:?}");
        let e = parse("when,who\n", Some(Format::Events)).unwrap_err();
        assert!(e.what.contains("timestamp, user, action"), "{e:?}");
    }

    #[test]
    fn ndjson_events_with_backstage_context() {
        let p = parse(
            "{\"timestamp\":\"2025-03-04T10:00:00Z\",\"user\":\"user:default/jane\",\"action\":\"navigate\",\"context\":{\"pluginId\":\"techdocs\",\"entityRef\":\"component:default/a\"}}\n\nnot json\n",
            None,
        )
        .unwrap();
        assert_eq!(p.format, Some(Format::Events));
        assert_eq!(p.events[0].plugin.as_deref(), Some("techdocs"));
        assert_eq!(
            p.events[0].entity_ref.as_deref(),
            Some("component:default/a")
        );
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].line, 3);
    }

    #[test]
    fn rhdh_event_dump() {
        let p = parse(
            "id,action,subject,value,plugin_id,user_ref,attributes,context,created_at\n\
             1,navigate,/catalog,,catalog,user:default/jane,{},\"{\"\"entityRef\"\":\"\"component:default/a\"\"}\",2025-03-04 10:00:00.5+00\n",
            None,
        )
        .unwrap();
        assert_eq!(p.format, Some(Format::Rhdh));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let e = &p.events[0];
        assert_eq!(e.time, t("2025-03-04T10:00:00Z"));
        assert_eq!(e.user, "user:default/jane");
        assert_eq!(e.entity_ref.as_deref(), Some("component:default/a"));
    }

    #[test]
    fn ga4_bigquery_ndjson_and_flat_csv() {
        let p = parse(
            "{\"event_date\":\"20250304\",\"event_timestamp\":\"1741082400000000\",\"event_name\":\"page_view\",\"user_id\":\"abc\",\"user_pseudo_id\":\"p1\",\"event_params\":[{\"key\":\"c_pluginId\",\"value\":{\"string_value\":\"catalog\"}},{\"key\":\"value\",\"value\":{\"int_value\":\"3\"}}]}\n\
             {\"event_date\":\"20250305\",\"event_name\":\"search\",\"user_pseudo_id\":\"p2\",\"event_params\":[{\"key\":\"search_term\",\"value\":{\"string_value\":\"payments\"}}]}\n",
            None,
        )
        .unwrap();
        assert_eq!(p.format, Some(Format::Ga4));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.events[0].time, 1_741_082_400);
        assert_eq!(p.events[0].action, "navigate");
        assert_eq!(p.events[0].user, "abc");
        assert_eq!(p.events[0].plugin.as_deref(), Some("catalog"));
        assert_eq!(p.events[0].value, Some(3.0));
        assert_eq!(p.events[1].time, t("2025-03-05"));
        assert_eq!(p.events[1].user, "p2");
        assert_eq!(p.events[1].subject.as_deref(), Some("payments"));
        let p = parse(
            "event_date,event_name,user_id,c_pluginId\n20250304,page_view,abc,techdocs\n",
            None,
        )
        .unwrap();
        assert_eq!(p.events[0].plugin.as_deref(), Some("techdocs"));
    }

    #[test]
    fn aggregates() {
        let p = parse(
            "period_start,period,metric,value,dimension\n\
             2025-03-01,month,active_users,412,\n\
             2025-03-01,month,template_runs,37,template:default/svc\n\
             2025-03-01,year,active_users,1,\n\
             2025-03-01,month,active_users,-3,\n",
            None,
        )
        .unwrap();
        assert_eq!(p.format, Some(Format::Aggregate));
        assert_eq!(p.aggregates.len(), 2);
        assert_eq!(
            p.aggregates[1].dimension.as_deref(),
            Some("template:default/svc")
        );
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5]);
    }
}
