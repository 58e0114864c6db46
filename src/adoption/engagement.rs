//! Usage metrics from portal usage data: active users over trailing windows, stickiness, the
//! habit, retention, pillars, team coverage, top lists and time saved; identities resolved to
//! catalog Users. Aggregates only: names appear only when asked for. Pure: never prints.

use std::collections::{BTreeMap, HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::coverage::{self, Coverage};
use super::snapshot::EntityFacts;
use super::usage::{AggregateRow, Event, Grain, UsageData, by_metric};
use super::{Metric, Period, Series, Unit, metric_id};
use crate::catalog::entity_ref::EntityRef;
use crate::dates::SECONDS_PER_DAY;

/// Days of the trailing windows.
pub const MAU_DAYS: i64 = 28;
pub const WAU_DAYS: i64 = 7;
/// A user is habitual when active in at least this many of the last four ISO weeks.
pub const HABIT_WEEKS: usize = 3;
/// Above this share of unresolved active users, event-level usage gives medium confidence.
pub const UNRESOLVED_LIMIT: f64 = 0.20;

pub const VISIBILITY_PLUGINS: &[&str] = &["catalog", "techdocs", "search", "api-docs"];
pub const AUTOMATION_PLUGINS: &[&str] = &["scaffolder"];

/// How an identity was resolved (reference §4.3 order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Ref,
    Email,
    Login,
    Sha256,
}

/// Catalog Users by every key a usage record may carry.
#[derive(Default)]
pub struct Identities {
    refs: HashSet<EntityRef>,
    by_email: HashMap<String, EntityRef>,
    by_login: HashMap<String, EntityRef>,
    by_hash: HashMap<String, EntityRef>,
}

pub fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Identities {
    pub fn new(entities: &[&EntityFacts]) -> Identities {
        let mut d = Identities::default();
        for e in entities.iter().filter(|e| e.kind() == "user") {
            d.refs.insert(e.reference.clone());
            if let Some(email) = &e.email {
                d.by_email
                    .entry(email.clone())
                    .or_insert_with(|| e.reference.clone());
            }
            if let Some(login) = &e.github_login {
                d.by_login
                    .entry(login.clone())
                    .or_insert_with(|| e.reference.clone());
            }
            d.by_hash
                .insert(sha256_hex(e.reference.as_str()), e.reference.clone());
        }
        d
    }

    /// The User behind a commit: by profile email, else by the GitHub login of a noreply
    /// address.
    pub fn resolve_author(&self, email: &str) -> Option<&EntityRef> {
        self.by_email.get(email).or_else(|| {
            super::history::noreply_login(email).and_then(|login| self.by_login.get(login))
        })
    }

    /// In order: the entity ref (`user:default/jane`, `user:jane`), a profile email, a GitHub
    /// login, then the sha256 (hex) of the lower-case ref, as GA4's user_id.
    pub fn resolve(&self, user: &str) -> Option<(EntityRef, Via)> {
        let u = user.trim();
        if (u.contains(':') || u.contains('/'))
            && let Ok(r) = EntityRef::parse(u, Some("User"), "default")
            && self.refs.contains(&r)
        {
            return Some((r, Via::Ref));
        }
        let lower = u.to_lowercase();
        if lower.contains('@') {
            if let Some(r) = self.by_email.get(&lower) {
                return Some((r.clone(), Via::Email));
            }
            if let Some(login) = super::history::noreply_login(&lower)
                && let Some(r) = self.by_login.get(login)
            {
                return Some((r.clone(), Via::Login));
            }
            return None;
        }
        if let Some(r) = self.by_login.get(&lower) {
            return Some((r.clone(), Via::Login));
        }
        if lower.len() == 64 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
            return self.by_hash.get(&lower).map(|r| (r.clone(), Via::Sha256));
        }
        // A bare name is a ref in the default namespace.
        EntityRef::parse(u, Some("User"), "default")
            .ok()
            .filter(|r| self.refs.contains(r))
            .map(|r| (r, Via::Ref))
    }
}

/// A top list: (name, count), most first.
#[derive(Debug, Clone, PartialEq)]
pub struct Top {
    pub id: &'static str,
    pub title: &'static str,
    pub rows: Vec<(String, usize)>,
}

/// One step of the funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: &'static str,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Debug, Default)]
pub struct Usage {
    /// Event-level data (else aggregates only).
    pub event_level: bool,
    /// The data's date range against the report window.
    pub coverage: Coverage,
    /// Catalog Users (refs) active in the last 28 days; None for aggregated data.
    pub active_users: Option<HashSet<String>>,
    /// `eligible_users` of aggregated input, when given.
    pub eligible_override: Option<usize>,
    /// Active users in the trailing 28 days (count).
    pub mau: Option<usize>,
    pub adoption: Option<f64>,
    pub habitual: Option<f64>,
    pub retention: Option<f64>,
    /// Share of the active users (28 days) that match no catalog User.
    pub unresolved: Option<f64>,
    /// Most `create` uses of one template in the last 90 days: (template, count).
    pub top_template_90d: Option<(String, usize)>,
    pub metrics: Vec<Metric>,
    pub series: Vec<Series>,
    pub funnel: Vec<Step>,
    pub tops: Vec<Top>,
    pub notes: Vec<String>,
}

pub struct Context<'a> {
    pub entities: &'a [&'a EntityFacts],
    /// U from the catalog (or flags).
    pub eligible: usize,
    pub as_of_end: i64,
    /// Start of the report window (time saved).
    pub window_start: i64,
    pub periods: &'a [Period],
    pub show_names: bool,
    /// `--eligible`: only these Users' events count (unresolved users are outside it).
    pub population: Option<&'a HashSet<EntityRef>>,
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn day_of(t: i64) -> i64 {
    t.div_euclid(SECONDS_PER_DAY)
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

fn bot(user: &str) -> bool {
    let u = user.to_lowercase();
    super::history::is_bot(&u, &u)
}

fn top(counts: HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

struct M<'a>(&'a mut Vec<Metric>);

impl M<'_> {
    fn put(&mut self, id: &str, value: Option<f64>, unit: Unit) {
        self.0.push(Metric {
            id: id.to_string(),
            value,
            unit,
        });
    }
}

pub fn compute(data: &UsageData, cx: &Context<'_>) -> Usage {
    let range = coverage::of(data, cx.window_start, cx.as_of_end);
    // Rows outside the report window never count (an old export is not current usage).
    let in_window: Vec<AggregateRow> = data
        .aggregates
        .iter()
        .filter(|r| coverage::row_in_window(r, cx.window_start, cx.as_of_end))
        .cloned()
        .collect();
    let aggregates = by_metric(&in_window);
    // A population chosen on the command line is the denominator; the export's is everyone's.
    let eligible_override = aggregates
        .get("eligible_users")
        .filter(|_| cx.population.is_none())
        .and_then(|rows| {
            rows.iter()
                .rev()
                .find(|r| r.start <= cx.as_of_end)
                .map(|r| r.value.round() as usize)
        });
    let eligible = eligible_override.unwrap_or(cx.eligible);
    let mut u = if data.events.is_empty() {
        from_aggregates(&in_window, cx, eligible)
    } else {
        let mut u = from_events(&data.events, cx, eligible);
        if !data.aggregates.is_empty() {
            u.notes.push(
                "event-level and aggregated usage were both given: the metrics come from the events; the aggregates give only eligible_users".into(),
            );
        }
        u
    };
    if range.outside_window > 0 && !u.event_level {
        u.notes.push(format!(
            "{} aggregated usage row(s) outside the report window are left out",
            range.outside_window
        ));
    }
    u.eligible_override = eligible_override;
    u.coverage = range;
    u
}

/// Metrics from event-level data.
pub fn from_events(events: &[Event], cx: &Context<'_>, eligible: usize) -> Usage {
    let t = cx.as_of_end;
    let ids = Identities::new(cx.entities);
    let mut notes = Vec::new();
    let (mut bots, mut later) = (0, 0);
    let mut kept: Vec<&Event> = Vec::new();
    for e in events {
        if e.time > t {
            later += 1;
        } else if bot(&e.user) {
            bots += 1;
        } else {
            kept.push(e);
        }
    }
    if later > 0 {
        notes.push(format!(
            "{later} usage event(s) after the as-of date are left out"
        ));
    }
    if bots > 0 {
        notes.push(format!("{bots} usage event(s) by bots are left out"));
    }
    // Identity: one key per person (the resolved ref, else the raw id, lower case).
    let mut resolved: HashMap<&str, Option<EntityRef>> = HashMap::new();
    for e in &kept {
        resolved
            .entry(e.user.as_str())
            .or_insert_with(|| ids.resolve(&e.user).map(|(r, _)| r));
    }
    if let Some(population) = cx.population {
        let before = kept.len();
        kept.retain(|e| {
            resolved[e.user.as_str()]
                .as_ref()
                .is_some_and(|r| population.contains(r))
        });
        if kept.len() < before {
            notes.push(format!(
                "{} usage event(s) by users outside the --eligible population are left out",
                before - kept.len()
            ));
        }
    }
    let key = |e: &Event| -> String {
        match &resolved[e.user.as_str()] {
            Some(r) => r.to_string(),
            None => format!("?{}", e.user.trim().to_lowercase()),
        }
    };
    let keyed: Vec<(String, &Event)> = kept.iter().map(|e| (key(e), *e)).collect();
    let active = |from_exclusive: i64, to: i64| -> HashSet<&str> {
        keyed
            .iter()
            .filter(|(_, e)| e.time > from_exclusive && e.time <= to)
            .map(|(k, _)| k.as_str())
            .collect()
    };
    let day = SECONDS_PER_DAY;
    let mau_set = active(t - MAU_DAYS * day, t);
    let wau_set = active(t - WAU_DAYS * day, t);
    let prev_set = active(t - 2 * MAU_DAYS * day, t - MAU_DAYS * day);
    let mau = mau_set.len();
    let is_resolved = |k: &str| !k.starts_with('?');

    // DAU on the working days of the 28-day window.
    let last_day = day_of(t);
    let mut per_day: HashMap<i64, HashSet<&str>> = HashMap::new();
    for (k, e) in &keyed {
        let d = day_of(e.time);
        if d > last_day - MAU_DAYS && d <= last_day {
            per_day.entry(d).or_default().insert(k.as_str());
        }
    }
    let working: Vec<i64> = (0..MAU_DAYS)
        .map(|i| last_day - i)
        .filter(|d| weekday(*d) < 5)
        .collect();
    let dau_mean = (!working.is_empty()).then(|| {
        working
            .iter()
            .map(|d| per_day.get(d).map_or(0, HashSet::len))
            .sum::<usize>() as f64
            / working.len() as f64
    });

    // Habit: active in at least 3 of the 4 last complete ISO weeks.
    let wd = weekday(last_day);
    let last_sunday = if wd == 6 { last_day } else { last_day - wd - 1 };
    let mut weeks_of: HashMap<&str, HashSet<i64>> = HashMap::new();
    for (k, e) in &keyed {
        let d = day_of(e.time);
        if d <= last_sunday && d > last_sunday - 28 {
            weeks_of
                .entry(k.as_str())
                .or_default()
                .insert((last_sunday - d) / 7);
        }
    }
    let habitual_set: HashSet<&str> = weeks_of
        .iter()
        .filter(|(_, w)| w.len() >= HABIT_WEEKS)
        .map(|(k, _)| *k)
        .collect();

    // First event ever, for new vs returning.
    let mut first: HashMap<&str, i64> = HashMap::new();
    for (k, e) in &keyed {
        let f = first.entry(k.as_str()).or_insert(e.time);
        *f = (*f).min(e.time);
    }
    let new_users = mau_set
        .iter()
        .filter(|k| first[**k] > t - MAU_DAYS * day)
        .count();

    // Pillars among the active users.
    let recent: Vec<&(String, &Event)> = keyed
        .iter()
        .filter(|(_, e)| e.time > t - MAU_DAYS * day)
        .collect();
    let plugin_is =
        |e: &Event, list: &[&str]| e.plugin.as_deref().is_some_and(|p| list.contains(&p));
    let visibility: HashSet<&str> = recent
        .iter()
        .filter(|(_, e)| {
            plugin_is(e, VISIBILITY_PLUGINS) || matches!(e.action.as_str(), "search" | "discover")
        })
        .map(|(k, _)| k.as_str())
        .collect();
    let automation: HashSet<&str> = recent
        .iter()
        .filter(|(_, e)| plugin_is(e, AUTOMATION_PLUGINS) || e.action == "create")
        .map(|(k, _)| k.as_str())
        .collect();

    // Teams with an active member.
    let groups: Vec<&EntityFacts> = cx
        .entities
        .iter()
        .copied()
        .filter(|e| e.is_team())
        .collect();
    let mut team_members: HashMap<&EntityRef, HashSet<String>> = HashMap::new();
    for g in &groups {
        team_members
            .entry(&g.reference)
            .or_default()
            .extend(g.members.iter().map(|m| m.to_string()));
    }
    for user in cx.entities.iter().filter(|e| e.kind() == "user") {
        for g in &user.member_of {
            if let Some(m) = team_members.get_mut(g) {
                m.insert(user.reference.to_string());
            }
        }
    }
    let teams_active = team_members
        .values()
        .filter(|m| m.iter().any(|u| mau_set.contains(u.as_str())))
        .count();

    // Top lists (aggregates).
    let mut plugins: HashMap<String, usize> = HashMap::new();
    let mut searches: HashMap<String, usize> = HashMap::new();
    for (_, e) in &recent {
        if let Some(p) = &e.plugin {
            *plugins.entry(p.clone()).or_default() += 1;
        }
        if e.action == "search"
            && let Some(s) = &e.subject
        {
            *searches.entry(s.trim().to_lowercase()).or_default() += 1;
        }
    }
    let mut templates: HashMap<String, usize> = HashMap::new();
    let mut minutes: Option<f64> = None;
    let mut creates = 0;
    for (_, e) in &keyed {
        if e.action != "create" {
            continue;
        }
        creates += 1;
        if e.time > t - super::RECENT_DAYS * day
            && let Some(r) = &e.entity_ref
        {
            let name = EntityRef::parse(r, Some("Template"), "default")
                .map_or_else(|_| r.clone(), |r| r.to_string());
            *templates.entry(name).or_default() += 1;
        }
        if e.time > cx.window_start
            && let Some(v) = e.value
        {
            minutes = Some(minutes.unwrap_or(0.0) + v);
        }
    }
    let top_templates = top(templates, 5);
    let top_template_90d =
        (creates > 0).then(|| top_templates.first().cloned().unwrap_or_default());

    let unresolved_active = mau_set.iter().filter(|k| !is_resolved(k)).count();
    let unresolved = share(unresolved_active, mau);
    if unresolved.is_some_and(|x| x > UNRESOLVED_LIMIT) {
        notes.push(format!(
            "{:.1} % of the active portal users match no catalog User (by entity ref, spec.profile.email, github.com/user-login or sha256 of the ref): adoption is medium confidence",
            unresolved.unwrap_or(0.0) * 100.0
        ));
    }
    let stickiness = dau_mean.and_then(|d| (mau > 0).then(|| d / mau as f64));
    let adoption = share(mau, eligible);
    let habitual = share(habitual_set.len(), eligible);
    let retention = share(prev_set.intersection(&mau_set).count(), prev_set.len());

    let mut metrics = Vec::new();
    let mut m = M(&mut metrics);
    m.put(
        metric_id::USAGE_EVENTS,
        Some(kept.len() as f64),
        Unit::Count,
    );
    m.put(metric_id::USAGE_ACTIVE_USERS, Some(mau as f64), Unit::Count);
    m.put(metric_id::USAGE_MAU, adoption, Unit::Share);
    m.put(
        metric_id::USAGE_WAU,
        share(wau_set.len(), eligible),
        Unit::Share,
    );
    m.put(
        metric_id::USAGE_DAU,
        dau_mean.and_then(|d| (eligible > 0).then(|| d / eligible as f64)),
        Unit::Share,
    );
    m.put(metric_id::USAGE_STICKINESS, stickiness, Unit::Share);
    m.put(metric_id::USAGE_HABITUAL, habitual, Unit::Share);
    m.put(metric_id::USAGE_RETENTION, retention, Unit::Share);
    m.put(
        metric_id::USAGE_USERS_NEW,
        Some(new_users as f64),
        Unit::Count,
    );
    m.put(
        metric_id::USAGE_USERS_RETURNING,
        Some((mau - new_users) as f64),
        Unit::Count,
    );
    m.put(
        metric_id::USAGE_PILLAR_VISIBILITY,
        share(visibility.len(), mau),
        Unit::Share,
    );
    m.put(
        metric_id::USAGE_PILLAR_AUTOMATION,
        share(automation.len(), mau),
        Unit::Share,
    );
    m.put(
        metric_id::USAGE_TEAM_COVERAGE,
        share(teams_active, groups.len()),
        Unit::Share,
    );
    m.put(
        metric_id::USAGE_IDENTITY_UNRESOLVED,
        unresolved,
        Unit::Share,
    );
    m.put(
        metric_id::USAGE_TIME_SAVED,
        minutes.map(|x| x / 60.0),
        Unit::Hours,
    );

    // Monthly MAU (28 days to each month end), from the first month with data.
    let first_event = keyed.iter().map(|(_, e)| e.time).min();
    let points: Vec<(String, f64)> = match (first_event, eligible) {
        (Some(f), u) if u > 0 => cx
            .periods
            .iter()
            .filter(|p| p.end >= f)
            .map(|p| {
                (
                    p.label.clone(),
                    active(p.end - MAU_DAYS * day, p.end).len() as f64 / u as f64,
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let series = if points.len() >= 2 {
        vec![Series {
            id: metric_id::USAGE_MAU.into(),
            unit: Unit::Share,
            points,
        }]
    } else {
        Vec::new()
    };

    let ever_resolved: HashSet<&str> = keyed
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| is_resolved(k))
        .collect();
    let resolved_in = |s: &HashSet<&str>| s.iter().filter(|k| is_resolved(k)).count();
    let funnel = vec![
        Step {
            id: "eligible",
            label: "eligible developers",
            count: eligible,
        },
        Step {
            id: "resolved",
            label: "catalog Users seen in the usage data",
            count: ever_resolved.len(),
        },
        Step {
            id: "mau",
            label: "… active in the last 28 days",
            count: resolved_in(&mau_set),
        },
        Step {
            id: "wau",
            label: "… active in the last 7 days",
            count: resolved_in(&wau_set),
        },
        Step {
            id: "habitual",
            label: "… active in 3 of the last 4 weeks",
            count: resolved_in(&habitual_set),
        },
    ];

    let mut tops = vec![
        Top {
            id: "plugins",
            title: "Top plugins (events, last 28 days)",
            rows: top(plugins, 5),
        },
        Top {
            id: "templates",
            title: "Top templates (create events, last 90 days)",
            rows: top_templates,
        },
        Top {
            id: "searches",
            title: "Top searches (last 28 days)",
            rows: top(searches, 5),
        },
    ];
    if cx.show_names {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (k, _) in &recent {
            *counts
                .entry(k.trim_start_matches('?').to_string())
                .or_default() += 1;
        }
        tops.push(Top {
            id: "users",
            title: "Most active users (events, last 28 days; --show-names)",
            rows: top(counts, 10),
        });
        let unresolved_names: HashMap<String, usize> = recent
            .iter()
            .filter(|(k, _)| !is_resolved(k))
            .fold(HashMap::new(), |mut acc, (k, _)| {
                *acc.entry(k[1..].to_string()).or_default() += 1;
                acc
            });
        tops.push(Top {
            id: "unresolved",
            title: "Unresolved identities (events, last 28 days; --show-names)",
            rows: top(unresolved_names, 10),
        });
    }

    let active_users = Some(
        mau_set
            .iter()
            .filter(|k| is_resolved(k))
            .map(|k| k.to_string())
            .collect(),
    );
    Usage {
        event_level: true,
        coverage: Coverage::default(),
        active_users,
        eligible_override: None,
        mau: Some(mau),
        adoption,
        habitual,
        retention,
        unresolved,
        top_template_90d,
        metrics,
        series,
        funnel,
        tops,
        notes,
    }
}

/// The latest row of a metric at one grain, starting on or before the as-of date.
fn latest<'a>(
    rows: Option<&Vec<&'a AggregateRow>>,
    grain: Grain,
    t: i64,
) -> Option<&'a AggregateRow> {
    rows?
        .iter()
        .rev()
        .find(|r| r.grain == grain && r.start <= t && r.dimension.is_none())
        .copied()
}

/// Metrics from aggregated rows: only what was supplied at each grain (distinct users do not add up).
pub fn from_aggregates(rows: &[AggregateRow], cx: &Context<'_>, eligible: usize) -> Usage {
    let t = cx.as_of_end;
    let by = by_metric(rows);
    let active = by.get("active_users");
    let mau = latest(active, Grain::Month, t).map(|r| r.value.round() as usize);
    let wau = latest(active, Grain::Week, t).map(|r| r.value);
    let last_day = day_of(t);
    let days: Vec<f64> = active
        .map(|rows| {
            rows.iter()
                .filter(|r| r.grain == Grain::Day && r.dimension.is_none())
                .filter(|r| {
                    let d = day_of(r.start);
                    d > last_day - MAU_DAYS && d <= last_day && weekday(d) < 5
                })
                .map(|r| r.value)
                .collect()
        })
        .unwrap_or_default();
    let dau = (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64);
    let per_u = |v: Option<f64>| v.and_then(|v| (eligible > 0).then(|| v / eligible as f64));
    let adoption = per_u(mau.map(|m| m as f64));
    let month_value = |metric: &str| latest(by.get(metric), Grain::Month, t).map(|r| r.value);
    let mut templates: BTreeMap<String, f64> = BTreeMap::new();
    for r in by.get("template_runs").into_iter().flatten() {
        if r.start > t - super::RECENT_DAYS * SECONDS_PER_DAY && r.start <= t {
            *templates
                .entry(
                    r.dimension
                        .clone()
                        .unwrap_or_else(|| "(all templates)".into()),
                )
                .or_default() += r.value;
        }
    }
    let mut top_templates: Vec<(String, usize)> = templates
        .into_iter()
        .map(|(k, v)| (k, v.round() as usize))
        .collect();
    top_templates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_templates.truncate(5);
    let known = [
        "active_users",
        "eligible_users",
        "new_users",
        "returning_users",
        "template_runs",
    ];
    let mut notes = Vec::new();
    let unknown: Vec<&str> = by.keys().copied().filter(|k| !known.contains(k)).collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "aggregated usage metrics not used: {} (known: {})",
            unknown.join(", "),
            known.join(", ")
        ));
    }
    if mau.is_none() {
        notes.push("the aggregated usage has no monthly active_users row on or before the as-of date: adoption cannot be computed from it".into());
    }
    let mut metrics = Vec::new();
    let mut m = M(&mut metrics);
    m.put(
        metric_id::USAGE_ACTIVE_USERS,
        mau.map(|x| x as f64),
        Unit::Count,
    );
    m.put(metric_id::USAGE_MAU, adoption, Unit::Share);
    m.put(metric_id::USAGE_WAU, per_u(wau), Unit::Share);
    m.put(metric_id::USAGE_DAU, per_u(dau), Unit::Share);
    m.put(
        metric_id::USAGE_STICKINESS,
        dau.zip(mau)
            .and_then(|(d, m)| (m > 0).then(|| d / m as f64)),
        Unit::Share,
    );
    m.put(
        metric_id::USAGE_USERS_NEW,
        month_value("new_users"),
        Unit::Count,
    );
    m.put(
        metric_id::USAGE_USERS_RETURNING,
        month_value("returning_users"),
        Unit::Count,
    );
    let series_points: Vec<(String, f64)> = match active {
        Some(rows) if eligible > 0 => cx
            .periods
            .iter()
            .filter_map(|p| {
                rows.iter()
                    .find(|r| {
                        r.grain == Grain::Month
                            && r.dimension.is_none()
                            && r.start >= p.start
                            && r.start <= p.end
                    })
                    .map(|r| (p.label.clone(), r.value / eligible as f64))
            })
            .collect(),
        _ => Vec::new(),
    };
    let series = if series_points.len() >= 2 {
        vec![Series {
            id: metric_id::USAGE_MAU.into(),
            unit: Unit::Share,
            points: series_points,
        }]
    } else {
        Vec::new()
    };
    let mut funnel = vec![Step {
        id: "eligible",
        label: "eligible developers",
        count: eligible,
    }];
    if let Some(mau) = mau {
        funnel.push(Step {
            id: "mau",
            label: "active in the month",
            count: mau,
        });
    }
    if let Some(w) = wau {
        funnel.push(Step {
            id: "wau",
            label: "active in the week",
            count: w.round() as usize,
        });
    }
    Usage {
        event_level: false,
        coverage: Coverage::default(),
        active_users: None,
        eligible_override: None,
        mau,
        adoption,
        habitual: None,
        retention: None,
        unresolved: None,
        top_template_90d: top_templates.first().cloned(),
        metrics,
        series,
        funnel,
        tops: vec![Top {
            id: "templates",
            title: "Top templates (template_runs, last 90 days)",
            rows: top_templates,
        }],
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adoption::usage::parse;
    use crate::dates;

    fn facts(reference: &str) -> EntityFacts {
        EntityFacts {
            reference: EntityRef::parse(reference, None, "default").unwrap(),
            owner_set: false,
            owner: None,
            system: None,
            provides_apis: Vec::new(),
            spec_type: None,
            has_title: false,
            has_description: false,
            has_tags: false,
            techdocs: false,
            source_template: None,
            time_saved: None,
            skeleton_urls: Vec::new(),
            email: None,
            github_login: None,
            member_of: Vec::new(),
            members: Vec::new(),
            parent: None,
            children: Vec::new(),
        }
    }

    fn r(s: &str) -> EntityRef {
        EntityRef::parse(s, None, "default").unwrap()
    }

    /// Four Users in three teams: alice (platform), bob and dave (team-a), carol (team-b).
    fn org() -> Vec<EntityFacts> {
        let user = |name: &str, team: &str| {
            let mut u = facts(&format!("user:default/{name}"));
            u.email = Some(format!("{name}@acme.test"));
            u.member_of = vec![r(&format!("group:default/{team}"))];
            u
        };
        let team = |name: &str| {
            let mut g = facts(&format!("group:default/{name}"));
            g.spec_type = Some("team".into());
            g
        };
        let mut dave = user("dave", "team-a");
        dave.github_login = Some("dave-gh".into());
        vec![
            team("team-a"),
            team("team-b"),
            team("platform"),
            user("alice", "platform"),
            user("bob", "team-a"),
            user("carol", "team-b"),
            dave,
        ]
    }

    fn end_of(day: &str) -> i64 {
        dates::parse(day).unwrap() + SECONDS_PER_DAY - 1
    }

    fn run(csv: &str, as_of: &str) -> Usage {
        let entities = org();
        let refs: Vec<&EntityFacts> = entities.iter().collect();
        let parsed = parse(csv, None).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let data = UsageData {
            events: parsed.events,
            aggregates: parsed.aggregates,
            files: Vec::new(),
        };
        let end = end_of(as_of);
        let periods = crate::adoption::periods(end, 3);
        compute(
            &data,
            &Context {
                entities: &refs,
                eligible: 4,
                as_of_end: end,
                window_start: periods[0].start,
                periods: &periods,
                show_names: false,
                population: None,
            },
        )
    }

    fn metric(u: &Usage, id: &str) -> Option<f64> {
        u.metrics.iter().find(|m| m.id == id).and_then(|m| m.value)
    }

    fn close(actual: Option<f64>, expected: f64, what: &str) {
        let a = actual.unwrap_or_else(|| panic!("{what} is unknown"));
        assert!((a - expected).abs() < 1e-9, "{what}: {a} != {expected}");
    }

    #[test]
    fn identity_resolution_order() {
        let entities = org();
        let refs: Vec<&EntityFacts> = entities.iter().collect();
        let ids = Identities::new(&refs);
        let who = |u: &str| ids.resolve(u).map(|(r, via)| (r.to_string(), via));
        let alice = "user:default/alice".to_string();
        assert_eq!(who("user:default/alice"), Some((alice.clone(), Via::Ref)));
        assert_eq!(who("user:alice"), Some((alice.clone(), Via::Ref)));
        assert_eq!(who("Alice@ACME.test"), Some((alice.clone(), Via::Email)));
        assert_eq!(
            who("12+dave-gh@users.noreply.github.com"),
            Some(("user:default/dave".into(), Via::Login))
        );
        assert_eq!(
            who("dave-gh"),
            Some(("user:default/dave".into(), Via::Login))
        );
        assert_eq!(
            who(&sha256_hex("user:default/alice")),
            Some((alice.clone(), Via::Sha256))
        );
        assert_eq!(who("alice"), Some((alice, Via::Ref)));
        assert_eq!(who("user:default/nobody"), None);
        assert_eq!(who(&sha256_hex("user:default/nobody")), None);
        // The well-known digest of the empty string is not anyone's.
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// As of Sunday 2025-03-09. The 28-day window is 02-10..03-09 (20 working days), the one
    /// before it 01-13..02-09; the last four ISO weeks start on 02-10, 02-17, 02-24 and 03-03.
    fn events() -> String {
        let carol = sha256_hex("user:default/carol");
        format!(
            "timestamp,user,action,plugin,subject,entity_ref,value\n\
             2025-01-20T09:00:00Z,user:default/alice,navigate,catalog,,,\n\
             2025-02-17T09:00:00Z,user:default/alice,navigate,catalog,,,\n\
             2025-02-24T09:00:00Z,user:default/alice,navigate,techdocs,,,\n\
             2025-03-03T09:00:00Z,user:default/alice,navigate,catalog,,,\n\
             2025-02-05T09:00:00Z,bob@acme.test,navigate,catalog,,,\n\
             2025-03-07T09:00:00Z,bob@acme.test,create,scaffolder,new svc,template:default/svc,120\n\
             2025-01-15T09:00:00Z,{carol},navigate,catalog,,,\n\
             2025-03-08T09:00:00Z,ghost-42,search,search,Payments ,,3\n\
             2025-03-05T09:00:00Z,renovate[bot],navigate,catalog,,,\n\
             2025-03-10T09:00:00Z,user:default/dave,navigate,catalog,,,\n"
        )
    }

    #[test]
    fn active_users_over_trailing_windows() {
        let u = run(&events(), "2025-03-09");
        // Active in 02-10..03-09: alice, bob, ghost (the bot and dave's later event are left out).
        assert_eq!(u.mau, Some(3));
        close(
            metric(&u, metric_id::USAGE_ACTIVE_USERS),
            3.0,
            "active users",
        );
        close(metric(&u, metric_id::USAGE_MAU), 3.0 / 4.0, "MAU");
        close(u.adoption, 3.0 / 4.0, "adoption");
        // 03-03..03-09: alice (03-03), bob (03-07), ghost (03-08).
        close(metric(&u, metric_id::USAGE_WAU), 3.0 / 4.0, "WAU");
        close(metric(&u, metric_id::USAGE_EVENTS), 8.0, "events kept");
        assert!(
            u.notes
                .iter()
                .any(|n| n.starts_with("1 usage event(s) after"))
        );
        assert!(
            u.notes
                .iter()
                .any(|n| n.starts_with("1 usage event(s) by bots"))
        );
    }

    #[test]
    fn dau_over_working_days_and_stickiness() {
        let u = run(&events(), "2025-03-09");
        // Working days with someone active: 02-17, 02-24, 03-03 (alice), 03-07 (bob); ghost's
        // Saturday does not count. 4 user-days over 20 working days = 0.2 a day.
        close(metric(&u, metric_id::USAGE_DAU), 0.2 / 4.0, "DAU");
        close(
            metric(&u, metric_id::USAGE_STICKINESS),
            0.2 / 3.0,
            "stickiness",
        );
    }

    #[test]
    fn habitual_share_retention_new_and_returning() {
        let u = run(&events(), "2025-03-09");
        // Only alice is active in 3 of the 4 weeks.
        close(u.habitual, 1.0 / 4.0, "habitual");
        close(
            metric(&u, metric_id::USAGE_HABITUAL),
            0.25,
            "habitual metric",
        );
        // Before: alice, bob, carol; of them alice and bob are active again.
        close(u.retention, 2.0 / 3.0, "retention");
        // ghost's first event is in the window; alice and bob were seen before it.
        close(metric(&u, metric_id::USAGE_USERS_NEW), 1.0, "new");
        close(
            metric(&u, metric_id::USAGE_USERS_RETURNING),
            2.0,
            "returning",
        );
    }

    #[test]
    fn pillars_teams_identity_and_time_saved() {
        let u = run(&events(), "2025-03-09");
        // Visibility: alice (catalog, techdocs), ghost (search); automation: bob (create).
        close(
            metric(&u, metric_id::USAGE_PILLAR_VISIBILITY),
            2.0 / 3.0,
            "visibility",
        );
        close(
            metric(&u, metric_id::USAGE_PILLAR_AUTOMATION),
            1.0 / 3.0,
            "automation",
        );
        // platform (alice) and team-a (bob) of three teams.
        close(
            metric(&u, metric_id::USAGE_TEAM_COVERAGE),
            2.0 / 3.0,
            "team coverage",
        );
        // ghost-42 matches no User.
        close(u.unresolved, 1.0 / 3.0, "unresolved");
        assert!(
            u.notes
                .iter()
                .any(|n| n.contains("33.3 % of the active portal users"))
        );
        // 120 minutes from one create event.
        close(metric(&u, metric_id::USAGE_TIME_SAVED), 2.0, "time saved");
        assert_eq!(
            u.top_template_90d,
            Some(("template:default/svc".to_string(), 1))
        );
        let searches = u.tops.iter().find(|t| t.id == "searches").unwrap();
        assert_eq!(searches.rows, [("payments".to_string(), 1)]);
        // No names without --show-names.
        assert!(u.tops.iter().all(|t| t.id != "users"));
    }

    #[test]
    fn funnel_and_monthly_series() {
        let u = run(&events(), "2025-03-09");
        let counts: Vec<(&str, usize)> = u.funnel.iter().map(|s| (s.id, s.count)).collect();
        // Resolved users seen: alice, bob, carol; active (28 days): alice, bob; 7 days: alice,
        // bob; habitual: alice.
        assert_eq!(
            counts,
            [
                ("eligible", 4),
                ("resolved", 3),
                ("mau", 2),
                ("wau", 2),
                ("habitual", 1)
            ]
        );
        let s = &u.series[0];
        assert_eq!(s.id, metric_id::USAGE_MAU);
        // 28 days to each month end: 01-04..01-31 (alice 01-20, carol 01-15), 02-01..02-28
        // (alice 02-17 and 02-24, bob 02-05), 02-10..03-09 (alice, bob, ghost).
        assert_eq!(
            s.points,
            [
                ("2025-01".to_string(), 2.0 / 4.0),
                ("2025-02".to_string(), 2.0 / 4.0),
                ("2025-03".to_string(), 3.0 / 4.0)
            ]
        );
    }

    #[test]
    fn show_names_lists_people() {
        let entities = org();
        let refs: Vec<&EntityFacts> = entities.iter().collect();
        let parsed = parse(&events(), None).unwrap();
        let data = UsageData {
            events: parsed.events,
            ..UsageData::default()
        };
        let end = end_of("2025-03-09");
        let u = from_events(
            &data.events,
            &Context {
                entities: &refs,
                eligible: 4,
                as_of_end: end,
                window_start: 0,
                periods: &[],
                show_names: true,
                population: None,
            },
            4,
        );
        let users = u.tops.iter().find(|t| t.id == "users").unwrap();
        assert_eq!(users.rows[0], ("user:default/alice".to_string(), 3));
        let unresolved = u.tops.iter().find(|t| t.id == "unresolved").unwrap();
        assert_eq!(unresolved.rows, [("ghost-42".to_string(), 1)]);
    }

    #[test]
    fn aggregates_give_only_what_was_supplied() {
        let u = run(
            "period_start,period,metric,value,dimension\n\
             2025-02-01,month,active_users,2,\n\
             2025-03-01,month,active_users,4,\n\
             2025-03-01,month,eligible_users,10,\n\
             2025-03-03,week,active_users,3,\n\
             2025-03-03,day,active_users,2,\n\
             2025-03-04,day,active_users,1,\n\
             2025-03-08,day,active_users,5,\n\
             2025-03-01,month,template_runs,6,template:default/svc\n\
             2025-03-01,month,page_views,900,\n",
            "2025-03-09",
        );
        assert!(!u.event_level);
        assert_eq!(u.eligible_override, Some(10));
        assert_eq!(u.mau, Some(4));
        close(u.adoption, 0.4, "adoption");
        close(metric(&u, metric_id::USAGE_WAU), 0.3, "WAU");
        // Working days only: (2 + 1) / 2; the Saturday row is left out.
        close(metric(&u, metric_id::USAGE_DAU), 0.15, "DAU");
        close(
            metric(&u, metric_id::USAGE_STICKINESS),
            1.5 / 4.0,
            "stickiness",
        );
        assert_eq!(u.habitual, None);
        assert_eq!(u.retention, None);
        assert_eq!(
            u.top_template_90d,
            Some(("template:default/svc".to_string(), 6))
        );
        assert!(u.notes.iter().any(|n| n.contains("page_views")));
        assert_eq!(
            u.series[0].points,
            [("2025-02".to_string(), 0.2), ("2025-03".to_string(), 0.4)]
        );
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(0), 3); // 1970-01-01, a Thursday
        assert_eq!(
            weekday(dates::parse("2025-03-10").unwrap() / SECONDS_PER_DAY),
            0
        );
        assert_eq!(
            weekday(dates::parse("2025-03-09").unwrap() / SECONDS_PER_DAY),
            6
        );
    }
}
