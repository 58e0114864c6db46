//! Renderers for `callboard adoption report`: table, json, markdown. Shared wording lives here so
//! the formats say the same thing.

pub mod html;
pub mod json;
pub mod markdown;
pub mod table;

use crate::adoption::verdict::{GateResult, PHASE_NAMES, format_value};
use crate::adoption::{Metric, Report, SnapshotSource, Unit};

/// `–` for an unknown value.
pub fn value_text(unit: Unit, value: Option<f64>) -> String {
    value.map_or("–".to_string(), |v| format_value(unit, v))
}

pub fn metric_text(m: &Metric) -> String {
    value_text(m.unit, m.value)
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// "as of 2025-03-10 · HEAD 1a2b3c4d5e6f · 12-month window · 4 eligible (catalog Users)".
pub fn header(r: &Report) -> String {
    let mut parts = vec![match &r.as_of {
        Some(d) => format!("as of {d}"),
        None => "as of: unknown (no git history; pass --as-of)".to_string(),
    }];
    if let Some(h) = &r.inputs.head {
        parts.push(format!("HEAD {}", short(h)));
    }
    if let SnapshotSource::Commit(c) = &r.inputs.snapshot {
        parts.push(format!("snapshot at commit {}", short(c)));
    }
    parts.push(format!("{}-month window", r.inputs.window_months));
    parts.push(format!(
        "{} eligible developers ({})",
        r.inputs.eligible,
        if r.inputs.eligible_source == "catalog-users" {
            "catalog Users"
        } else {
            "eligible_users of the usage data"
        }
    ));
    parts.push(
        if r.inputs.usage {
            "usage data"
        } else {
            "no usage data"
        }
        .to_string(),
    );
    if r.inputs.shallow {
        parts.push("shallow clone".into());
    }
    parts.join(" · ")
}

/// "Phase 1: Early adopters (estimate, confidence low)".
pub fn phase_line(r: &Report) -> String {
    let v = &r.verdict;
    let what = format!(
        "{}confidence {}",
        if r.inputs.usage { "" } else { "estimate, " },
        v.confidence.as_str()
    );
    match v.phase {
        Some(p) => format!("Phase {p}: {} ({what})", PHASE_NAMES[usize::from(p)]),
        None => format!(
            "Phase unknown: at most {} by its gates ({what})",
            v.gate_phase
        ),
    }
}

/// How the band was reached.
pub fn estimate_line(r: &Report) -> String {
    let v = &r.verdict;
    if r.inputs.usage {
        return match (&v.estimate, r.metric("usage.active_users")) {
            (Ok(a), Some(mau)) => format!(
                "adoption A {} = {} active users in the last 28 days ÷ {} eligible developers (usage data{})",
                format_value(Unit::Share, *a),
                mau.round() as i64,
                r.inputs.eligible,
                match r.metric("usage.identity.unresolved") {
                    Some(u) => format!(
                        ", {} of active users unresolved",
                        format_value(Unit::Share, u)
                    ),
                    None => ", aggregated".to_string(),
                }
            ),
            (Err(why), _) => format!("adoption unknown: needs {why}"),
            (Ok(a), None) => format!("adoption A {}", format_value(Unit::Share, *a)),
        };
    }
    let pct = |id: &str| value_text(Unit::Share, r.metric(id));
    let inputs = format!(
        "min(team coverage {}, contributor penetration {})",
        pct("catalog.team_coverage"),
        pct("people.penetration")
    );
    match &v.estimate {
        Ok(a) => format!(
            "onboarding estimate {} = {inputs}; without usage data this measures catalog onboarding, not use of the portal",
            format_value(Unit::Share, *a)
        ),
        Err(why) => format!("onboarding estimate unknown: needs {why}"),
    }
}

/// "band 3 · gates reach phase 1 · chasm crossed · step catalog · archetype balanced".
pub fn facts_line(r: &Report) -> String {
    let v = &r.verdict;
    let or_unknown = |s: Option<&str>| s.unwrap_or("unknown").to_string();
    format!(
        "band {} · gates reach phase {} · chasm: {} · golden-path step: {} · archetype: {}",
        v.band.map_or("unknown".to_string(), |b| b.to_string()),
        v.gate_phase,
        or_unknown(v.chasm.map(|c| c.as_str())),
        v.step.as_str(),
        or_unknown(v.archetype.map(|a| a.as_str())),
    )
}

/// A change in the metric's unit: `+3`, `-1.5 pp`, `+2.0 h`, `0`; `–` when unknown.
pub fn delta_text(unit: Unit, delta: Option<f64>) -> String {
    let Some(d) = delta else {
        return "–".to_string();
    };
    let zero = match unit {
        Unit::Count => d.round() == 0.0,
        Unit::Share | Unit::Points => (d * 1000.0).round() == 0.0,
        Unit::Hours => (d * 10.0).round() == 0.0,
    };
    if zero {
        return "0".to_string();
    }
    match unit {
        Unit::Count => format!("{:+}", d.round() as i64),
        Unit::Share | Unit::Points => format!("{:+.1} pp", d * 100.0),
        Unit::Hours => format!("{d:+.1} h"),
    }
}

/// With `--compare`: "compared with main~3 (commit 1a2b3c4d5e6f, as of 2025-02-01): phase 1 → 2 ·
/// band 1 → 2 · adoption – → 30.0 %".
pub fn compare_line(r: &Report) -> Option<String> {
    let c = r.compare.as_ref()?;
    let v = &r.verdict;
    let opt = |x: Option<u8>| x.map_or("unknown".to_string(), |p| p.to_string());
    Some(format!(
        "compared with {} (commit {}, as of {}): phase {} → {} · band {} → {} · adoption {} → {} · confidence {} → {}",
        c.rev,
        short(&c.commit),
        c.as_of.as_deref().unwrap_or("unknown"),
        opt(c.phase),
        opt(v.phase),
        opt(c.band),
        opt(v.band),
        value_text(Unit::Share, c.adoption),
        value_text(Unit::Share, v.adoption),
        c.confidence.as_str(),
        v.confidence.as_str(),
    ))
}

/// A metric table row: id, value, and with `--compare` the value at REV and the change.
pub type MetricRow = (String, String, Option<(String, String)>);

/// The metric rows of a section: id, value now and, with `--compare`, the value at REV and the
/// change. Metrics that only the report at REV has are listed too (their value now is `–`).
pub fn metric_rows(r: &Report, prefix: &str) -> Vec<MetricRow> {
    match &r.compare {
        None => r
            .metrics
            .iter()
            .filter(|m| m.id.starts_with(prefix))
            .map(|m| (m.id.clone(), metric_text(m), None))
            .collect(),
        Some(c) => c
            .metrics
            .iter()
            .filter(|d| d.id.starts_with(prefix))
            .map(|d| {
                (
                    d.id.clone(),
                    value_text(d.unit, r.metric(&d.id)),
                    Some((value_text(d.unit, d.base), delta_text(d.unit, d.delta))),
                )
            })
            .collect(),
    }
}

/// Column heads of the metric tables.
pub fn metric_head(r: &Report, meaning: &'static str) -> Vec<String> {
    let mut head = vec!["metric".to_string(), "value".to_string()];
    if let Some(c) = &r.compare {
        head.push(format!("at {}", c.rev));
        head.push("change".to_string());
    }
    head.push(meaning.to_string());
    head
}

pub fn gate_value(g: &GateResult) -> String {
    value_text(g.def.unit, g.value)
}

pub fn gate_status(g: &GateResult) -> String {
    let s = g.status.as_str();
    match (&g.need, g.counts_as_pass()) {
        (Some(_), true) => format!("{s} (counts as pass)"),
        (Some(_), false) => format!("{s} (counts as fail)"),
        _ => s.to_string(),
    }
}

/// Sections of the metric tables, in report order: (title, id prefix).
pub const SECTIONS: &[(&str, &str)] = &[
    ("Catalog", "catalog."),
    ("Scorecards (embedded catalog-readiness)", "scorecard."),
    ("Workflows", "workflows."),
    ("People (catalog commits, last 90 days)", "people."),
    ("Usage (portal usage data)", "usage."),
    ("Adoption", "adoption."),
];

/// What a metric means, in a few words.
pub fn describe(id: &str) -> String {
    if let Some(kind) = id.strip_prefix("catalog.entities.") {
        return format!("{kind} entities");
    }
    if let Some(level) = id.strip_prefix("scorecard.level.") {
        return format!("components at level {level}");
    }
    if let Some(fact) = id.strip_prefix("catalog.metadata.") {
        let article = if fact == "tags" { "" } else { "a " };
        return format!("owned entities with {article}{fact}");
    }
    let text = match id {
        "catalog.entities" => "entities (distinct references)",
        "catalog.ownership" => "owned entities whose owner is a Group or User in the catalog",
        "catalog.ownership.unowned" => "owned entities without spec.owner",
        "catalog.ownership.dangling" => {
            "owned entities whose owner is not a Group or User in the catalog"
        }
        "catalog.ownership.unverifiable" => "owners that cannot be checked (no Groups or Users)",
        "catalog.team_owned" => "owned entities owned by a Group",
        "catalog.teams" => "teams (Groups of spec.type team)",
        "catalog.teams_owning" => "teams owning at least one Component",
        "catalog.team_coverage" => "teams owning at least one Component, of all teams",
        "catalog.docs" => "Components with TechDocs",
        "catalog.api_coverage" => "service Components providing an API of the catalog",
        "catalog.structure" => "Components in a System of the catalog",
        "catalog.health" => "entities without validation errors",
        "catalog.health.entities_with_errors" => "entities with validation errors",
        "scorecard.pass_rate" => "rule results that pass, all rules",
        "scorecard.pass_rate_change" => {
            "change of the pass rate over three month ends (history rules)"
        }
        "workflows.golden_path" => "Components created from a template",
        "workflows.golden_path_new" => "… of the Components added in the last 90 days",
        "workflows.new_components" => "Components added in the last 90 days",
        "workflows.top_template_uses" => "Components from the most used template, last 90 days",
        "workflows.time_saved_est" => "estimated time saved by templates in the window",
        "people.catalog_commits" => "catalog commits by people",
        "people.contributors" => "catalog contributors",
        "people.contributors.new" => "… whose first catalog commit is in the last 90 days",
        "people.contributors.returning" => "… who contributed before",
        "people.returning" => "returning share of contributors",
        "people.penetration" => "contributors per eligible developer",
        "people.identity.unresolved" => "commits whose author matches no catalog User",
        "people.self_service" => "commits by people outside the platform team",
        "adoption.estimate" => "onboarding estimate: min(team coverage, penetration)",
        "adoption.A" => "adoption: active users (28 days) per eligible developer",
        "usage.events" => "usage events read (up to the as-of date, bots left out)",
        "usage.active_users" => "active users in the last 28 days",
        "usage.mau" => "active users in the last 28 days per eligible developer",
        "usage.wau" => "active users in the last 7 days per eligible developer",
        "usage.dau" => "mean daily active users on working days per eligible developer",
        "usage.stickiness" => "mean working-day DAU ÷ 28-day active users",
        "usage.habitual" => "users active in 3 of the last 4 ISO weeks per eligible developer",
        "usage.retention" => "active 29–56 days ago and in the last 28 days",
        "usage.users.new" => "active users whose first event is in the last 28 days",
        "usage.users.returning" => "active users seen before the last 28 days",
        "usage.pillar.visibility" => "active users of catalog, TechDocs, search or API docs",
        "usage.pillar.automation" => "active users of the scaffolder (create)",
        "usage.team_coverage" => "teams with an active member",
        "usage.identity.unresolved" => "active users matching no catalog User",
        "usage.time_saved" => "time saved by create events in the window (value, minutes)",
        other => {
            return other
                .strip_prefix("scorecard.")
                .map_or(String::new(), |rule| {
                    format!("components passing rule {rule}")
                });
        }
    };
    text.to_string()
}

/// The usage funnel as table rows: step, users, share of eligible.
pub fn funnel_rows(r: &Report) -> Vec<Vec<String>> {
    let Some(u) = &r.usage else {
        return Vec::new();
    };
    let eligible = u.funnel.first().map_or(0, |s| s.count);
    u.funnel
        .iter()
        .map(|s| {
            vec![
                s.label.to_string(),
                s.count.to_string(),
                value_text(
                    Unit::Share,
                    (eligible > 0).then(|| s.count as f64 / eligible as f64),
                ),
            ]
        })
        .collect()
}

/// Columns of the trend table: (series id, header).
pub const TREND_COLUMNS: &[(&str, &str)] = &[
    ("usage.mau", "MAU"),
    ("catalog.entities", "entities"),
    ("catalog.entities.component", "components"),
    ("catalog.ownership", "ownership"),
    ("catalog.team_coverage", "team coverage"),
    ("catalog.docs", "docs"),
    ("workflows.golden_path", "golden path"),
    ("people.contributors", "contributors"),
    ("people.contributors.new", "new"),
    ("people.contributors.returning", "returning"),
    ("scorecard.pass_rate", "scorecard"),
];

/// The trend table: periods (rows) × TREND_COLUMNS; empty without series.
pub fn trend_rows(r: &Report) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let columns: Vec<(&str, &str)> = TREND_COLUMNS
        .iter()
        .copied()
        .filter(|(id, _)| r.series(id).is_some())
        .collect();
    let mut periods: Vec<&str> = r
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|(p, _)| p.as_str()))
        .collect();
    periods.sort();
    periods.dedup();
    let mut header = vec!["month"];
    header.extend(columns.iter().map(|(_, h)| *h));
    let rows = periods
        .iter()
        .map(|p| {
            let mut row = vec![p.to_string()];
            for (id, _) in &columns {
                let s = r.series(id).expect("filtered above");
                row.push(value_text(
                    s.unit,
                    s.points.iter().find(|(q, _)| q == p).map(|(_, v)| *v),
                ));
            }
            row
        })
        .collect();
    (header, rows)
}
