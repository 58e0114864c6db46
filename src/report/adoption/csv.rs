//! `--format csv` and `--format ndjson`: the report as a time series for dashboards and BI
//! tools. One row per metric and month (the `series`), then one row per metric for the report's
//! own value at the as-of date, with the value at `--compare REV` and the change, then the
//! thresholds the verdict applied (`threshold.*`, at the as-of date). The columns
//! never change with the flags (empty cells instead), so a dashboard's query keeps working.

use serde::Serialize;
use serde_json::Value as J;

use super::json::number;
use crate::adoption::verdict::{GATES, HABITUAL_USAGE, Thresholds};
use crate::adoption::{Report, Unit};

/// The columns, in order (docs/adoption.md, "csv and ndjson").
pub const COLUMNS: &[&str] = &[
    "metric", "period", "value", "unit", "base", "delta", "base_rev",
];

#[derive(Serialize)]
struct Row<'a> {
    metric: std::borrow::Cow<'a, str>,
    /// `YYYY-MM` for a month of the series, `YYYY-MM-DD` (the as-of date) for the report's value.
    period: &'a str,
    value: J,
    unit: &'static str,
    base: J,
    delta: J,
    #[serde(rename = "baseRev")]
    base_rev: Option<&'a str>,
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "count",
        Unit::Share => "share",
        Unit::Points => "points",
        Unit::Hours => "hours",
    }
}

fn rows(r: &Report) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for s in &r.series {
        for (period, value) in &s.points {
            out.push(Row {
                metric: s.id.as_str().into(),
                period,
                value: number(s.unit, Some(*value)),
                unit: unit_name(s.unit),
                base: J::Null,
                delta: J::Null,
                base_rev: None,
            });
        }
    }
    // Without an as-of date (outside git, no --as-of) the report's values have no date: "".
    let as_of = r.as_of.as_deref().unwrap_or("");
    for m in &r.metrics {
        let d = r.compare.as_ref().and_then(|c| c.delta(&m.id));
        out.push(Row {
            metric: m.id.as_str().into(),
            period: as_of,
            value: number(m.unit, m.value),
            unit: unit_name(m.unit),
            base: d.map_or(J::Null, |d| number(m.unit, d.base)),
            // A change of a share is in points, as in the JSON `compare`.
            delta: d.map_or(J::Null, |d| {
                number(
                    if m.unit == Unit::Share {
                        Unit::Points
                    } else {
                        m.unit
                    },
                    d.delta,
                )
            }),
            base_rev: r.compare.as_ref().map(|c| c.rev.as_str()),
        });
    }
    // The thresholds the verdict applied, so a dashboard can draw them next to the values.
    let t = &r.verdict.thresholds;
    let mut thresholds: Vec<(String, Unit, f64)> = t
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("threshold.band.{}", i + 2), Unit::Share, *b))
        .collect();
    thresholds.push(("threshold.chasm".into(), Unit::Share, t.chasm));
    for def in GATES.iter().chain(std::iter::once(&HABITUAL_USAGE)) {
        thresholds.push((
            format!("threshold.gate.{}", Thresholds::key(def)),
            def.unit,
            t.gate(def),
        ));
    }
    thresholds.push((
        "threshold.team.champion_adoption".into(),
        Unit::Share,
        t.teams.champion_adoption,
    ));
    thresholds.push((
        "threshold.team.champion_min_members".into(),
        Unit::Count,
        t.teams.champion_min_members as f64,
    ));
    for (id, unit, value) in thresholds {
        out.push(Row {
            metric: id.into(),
            period: as_of,
            value: number(unit, Some(value)),
            unit: unit_name(unit),
            base: J::Null,
            delta: J::Null,
            base_rev: None,
        });
    }
    out
}

fn cell(v: &J) -> String {
    match v {
        J::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn render_csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = |record: Vec<String>| {
        // Writing to memory fails only on a bug; the row is then left out, never half-written.
        let _ = w.write_record(&record);
    };
    write(COLUMNS.iter().map(|c| c.to_string()).collect());
    for row in rows(r) {
        write(vec![
            row.metric.to_string(),
            row.period.to_string(),
            cell(&row.value),
            row.unit.to_string(),
            cell(&row.base),
            cell(&row.delta),
            row.base_rev.unwrap_or_default().to_string(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

pub fn render_ndjson(r: &Report) -> String {
    let mut out = String::new();
    for row in rows(r) {
        if let Ok(line) = serde_json::to_string(&row) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
