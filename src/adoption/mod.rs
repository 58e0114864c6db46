//! `adoption report`: where an organisation stands in the adoption phases, from its catalog
//! repository alone. Snapshot metrics come from the working tree (or, for an earlier `--as-of`
//! date, from git), trends and people metrics from git history, the verdict from a fixed,
//! documented rule. Pure: returns a report value and never prints.

pub mod compare;
pub mod coverage;
pub mod engagement;
pub mod history;
pub mod metric_id;
pub mod score_history;
pub mod snapshot;
pub mod teams;
pub mod trend;
pub mod usage;
pub mod verdict;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::config::Config;
use crate::dates::{self, SECONDS_PER_DAY};
use crate::diag::Severity;
use crate::score::eval::Status;
use crate::score::{self, FailOn};
use engagement::Identities;
use history::{Git, History, Scope};
use snapshot::{CatalogMetrics, EntityFacts, distinct};
use verdict::{Measure, Verdict, VerdictInput};

/// Months of history in the report.
pub const WINDOW_MONTHS: u32 = 12;
/// The trailing window of "recent" metrics (new components, contributors, self-service).
pub const RECENT_DAYS: i64 = 90;

const NEEDS_HISTORY: &str = "full git history (fetch-depth: 0)";
const NEEDS_USAGE: &str = "event-level usage data (--usage)";

/// How a metric's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// A fraction from 0 to 1.
    Share,
    /// A change of a share (fraction), shown in percentage points.
    Points,
    Hours,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub id: String,
    pub value: Option<f64>,
    pub unit: Unit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub id: String,
    pub unit: Unit,
    /// (period `YYYY-MM`, value), oldest first.
    pub points: Vec<(String, f64)>,
}

/// A calendar month (UTC), with inclusive bounds in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: i64,
    pub end: i64,
}

/// The `window` months ending with the month of `as_of_end`; the last one ends at `as_of_end`.
pub fn periods(as_of_end: i64, window: u32) -> Vec<Period> {
    let (mut y, mut m, _) = dates::civil_from_days(as_of_end.div_euclid(SECONDS_PER_DAY));
    let mut out = Vec::new();
    for _ in 0..window {
        let start = dates::days_from_civil(y, m, 1) * SECONDS_PER_DAY;
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let end = (dates::days_from_civil(ny, nm, 1) * SECONDS_PER_DAY - 1).min(as_of_end);
        out.push(Period {
            label: format!("{y:04}-{m:02}"),
            start,
            end,
        });
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    out.reverse();
    out
}

/// Where the snapshot metrics come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotSource {
    WorkingTree,
    /// The last first-parent commit at or before an earlier `--as-of` date.
    Commit(String),
}

#[derive(Debug, Clone)]
pub struct Inputs {
    pub head: Option<String>,
    pub window_months: u32,
    pub eligible: usize,
    pub eligible_source: &'static str,
    pub usage: bool,
    pub shallow: bool,
    /// History was read (not shallow, inside a repository with commits).
    pub history: bool,
    pub snapshot: SnapshotSource,
    /// `--eligible FILTER` as given: the population the denominators count.
    pub population: Option<String>,
}

/// The per-team section.
#[derive(Debug, Clone, Default)]
pub struct TeamSection {
    /// `--teams FILTER` as given.
    pub filter: Option<String>,
    pub rows: Vec<teams::TeamRow>,
    pub thresholds: teams::TeamThresholds,
}

pub struct Report {
    /// Usage metrics' funnel and top lists, with `--usage`.
    pub usage: Option<engagement::Usage>,
    /// The as-of date (`YYYY-MM-DD`), None without git and without `--as-of`.
    pub as_of: Option<String>,
    pub inputs: Inputs,
    pub verdict: Verdict,
    /// Sorted by id.
    pub metrics: Vec<Metric>,
    /// Sorted by id; empty without history, or with fewer than two periods.
    pub series: Vec<Series>,
    pub notes: Vec<String>,
    /// The report at another revision, with `--compare`.
    pub compare: Option<compare::Comparison>,
    pub teams: TeamSection,
}

impl Report {
    pub fn metric(&self, id: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|m| m.id == id)
            .and_then(|m| m.value)
    }

    pub fn series(&self, id: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.id == id)
    }
}

pub struct Options<'a> {
    pub paths: &'a [PathBuf],
    pub cwd: &'a Path,
    /// The directory whose repository is read (the first path's).
    pub start: &'a Path,
    pub config: &'a Config,
    /// `YYYY-MM-DD`; default: the date of the HEAD commit.
    pub as_of: Option<&'a str>,
    /// Groups whose members (through child groups too) are the platform team.
    pub platform_teams: &'a [EntityRef],
    /// `--usage` files.
    pub usage: &'a [PathBuf],
    /// `--usage-format` (None: detect).
    pub usage_format: Option<usage::Format>,
    /// Skip (and count) bad usage rows instead of failing.
    pub usage_lenient: bool,
    /// Name individual users in the usage top lists.
    pub show_names: bool,
    /// Told how far the history walk is (the caller draws it; this module never prints).
    pub progress: Option<&'a history::Progress<'a>>,
    /// Read the repository at another commit, whose files were written elsewhere (`--compare`).
    pub at: Option<compare::At<'a>>,
    /// `--teams`: the teams (Groups) of the per-team section.
    pub teams: Option<Selection<'a>>,
    /// `--eligible`: the Users that make up the population (a pilot group).
    pub eligible: Option<Selection<'a>>,
}

/// A filter of the bulk commands' language, with its text for the report.
#[derive(Clone, Copy)]
pub struct Selection<'a> {
    pub text: &'a str,
    pub filter: &'a crate::bulk::filter::Filter,
}

/// The references of the working-tree entities of `kind` that `selection` picks.
fn select(catalog: &Catalog, selection: &Selection<'_>, kind: &str) -> HashSet<EntityRef> {
    crate::bulk::select(catalog, selection.filter)
        .into_iter()
        .filter(|e| e.reference.kind() == kind)
        .map(|e| e.reference.clone())
        .collect()
}

/// A problem with the request itself (exit status 2).
#[derive(Debug, PartialEq, Eq)]
pub struct UsageProblem(pub String);

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn need<T>(value: Option<T>, why: &str) -> Result<T, String> {
    value.ok_or_else(|| why.to_string())
}

/// Users of the platform-team groups and of their child groups, transitively.
fn platform_members(entities: &[&EntityFacts], teams: &[EntityRef]) -> HashSet<EntityRef> {
    let all_teams = snapshot::teams(entities.iter().copied());
    all_teams
        .with_descendants(teams)
        .iter()
        .flat_map(|g| all_teams.members(g).cloned().collect::<Vec<_>>())
        .collect()
}

struct Metrics(Vec<Metric>);

impl Metrics {
    fn put(&mut self, id: impl Into<String>, value: Option<f64>, unit: Unit) {
        self.0.push(Metric {
            id: id.into(),
            value,
            unit,
        });
    }
    fn count(&mut self, id: impl Into<String>, value: usize) {
        self.put(id, Some(value as f64), Unit::Count);
    }
    fn share(&mut self, id: impl Into<String>, value: Option<f64>) {
        self.put(id, value, Unit::Share);
    }
}

/// The repository-relative directories of PATHS (None for a path outside the work tree). A
/// file stands for its directory: history does not follow Location targets, and a file named
/// on the command line is usually a Location over the files around it.
pub(crate) fn prefixes(paths: &[PathBuf], cwd: &Path, workdir: &Path) -> Vec<Option<PathBuf>> {
    let root = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
    paths
        .iter()
        .map(|p| {
            let mut abs = std::fs::canonicalize(cwd.join(p)).ok()?;
            if abs.is_file() {
                abs.pop();
            }
            abs.strip_prefix(&root).ok().map(Path::to_path_buf)
        })
        .collect()
}

/// The catalog-readiness scorecard on the working tree: pass rate per rule and overall, and
/// the share of components at each level.
fn scorecard_metrics(
    catalog: &Catalog,
    repo_root: &Path,
    now: i64,
    m: &mut Metrics,
) -> Option<teams::Levels> {
    let mut per_team = None;
    let report = score::run(
        catalog,
        score::default_scorecards(),
        &[],
        &score::Options {
            now,
            generated_at: None,
            entities: &[],
            changed: None,
            min_level: None,
            min_score: None,
            fail_on: FailOn::Never,
            baseline: None,
            repo_root,
            history_at: None,
            facts: None,
            base: None,
            max_waiver_days: score::waiver::DEFAULT_MAX_WAIVER_DAYS,
            config: None,
        },
    );
    for card in &report.cards {
        let (mut passed, mut applicable) = (0, 0);
        for (i, rule) in card.card.rules.iter().enumerate() {
            let results = card
                .entities
                .iter()
                .filter_map(|e| e.rules.get(i))
                .filter(|r| r.status != Status::NotApplicable);
            let (mut p, mut a) = (0, 0);
            for r in results {
                a += 1;
                if matches!(r.status, Status::Pass | Status::Waived) {
                    p += 1;
                }
            }
            passed += p;
            applicable += a;
            m.share(format!("scorecard.{}", rule.id), share(p, a));
        }
        m.share(metric_id::SCORECARD_PASS_RATE, share(passed, applicable));
        let n = card.entities.len();
        let mut levels: Vec<(String, usize)> = std::iter::once("none".to_string())
            .chain(card.card.levels.iter().cloned())
            .map(|l| (l, 0))
            .collect();
        let mut by_team: HashMap<String, Vec<usize>> = HashMap::new();
        for e in &card.entities {
            let rank = e.level.map_or(0, |l| l + 1);
            levels[rank].1 += 1;
            // score's own roll-up key (`--group-by owner`).
            if let Some(team) = &e.team {
                by_team
                    .entry(team.clone())
                    .or_insert_with(|| vec![0; levels.len()])[rank] += 1;
            }
        }
        per_team.get_or_insert(teams::Levels {
            names: card.card.levels.clone(),
            by_team,
        });
        for (level, count) in levels {
            m.share(format!("scorecard.level.{level}"), share(count, n));
        }
    }
    per_team
}

pub fn run(opts: &Options<'_>) -> Result<Report, UsageProblem> {
    let mut notes = Vec::new();
    let thresholds = verdict::Thresholds::from_config(&opts.config.adoption);
    let git: Option<Git> = match &opts.at {
        Some(at) => history::open_at(at.repo, at.commit, at.tree),
        None => history::open(opts.start),
    };
    let head = git.as_ref().and_then(|g| g.head.as_ref());
    let shallow = git.as_ref().is_some_and(|g| g.shallow);

    let as_of_day = match opts.as_of {
        Some(d) => Some(dates::parse(d).ok_or_else(|| {
            UsageProblem(format!("--as-of must be a date, YYYY-MM-DD (got {d})"))
        })?),
        None => head.map(|h| h.time.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY),
    };
    let as_of_end = as_of_day.map(|d| d + SECONDS_PER_DAY - 1);
    let past = matches!((as_of_end, head), (Some(end), Some(h)) if end < h.time);
    if past && shallow {
        return Err(UsageProblem(
            "--as-of before the HEAD commit needs full history, and this clone is shallow: fetch it with fetch-depth: 0 (or git fetch --unshallow)".into(),
        ));
    }
    let periods = as_of_end.map_or_else(Vec::new, |end| periods(end, WINDOW_MONTHS));

    // History.
    let history: Result<History, String> = match (&git, head) {
        (None, _) => Err("not inside a git repository".to_string()),
        (Some(_), None) => Err("the repository has no commits yet".to_string()),
        (Some(g), Some(_)) if g.shallow => Err(
            "the clone is shallow; fetch full history with actions/checkout fetch-depth: 0, or git fetch --unshallow"
                .to_string(),
        ),
        (Some(g), Some(h)) => {
            let end = as_of_end.unwrap_or(h.time);
            let workdir = g.workdir.clone().unwrap_or_else(|| opts.start.to_path_buf());
            let mut inside = Vec::new();
            for (path, prefix) in opts.paths.iter().zip(prefixes(opts.paths, opts.cwd, &workdir)) {
                match prefix {
                    Some(p) => inside.push(p),
                    None => notes.push(format!(
                        "{} is outside the repository: its history is not read",
                        path.display()
                    )),
                }
            }
            if inside.is_empty() {
                Err("no PATHS inside the repository".to_string())
            } else {
                let scope = Scope {
                    prefixes: inside,
                    config: opts.config,
                };
                let cards = score::default_scorecards();
                history::walk(
                    g,
                    &scope,
                    h,
                    end,
                    &periods,
                    past,
                    cards.first(),
                    opts.progress,
                    None,
                )
            }
        }
    };
    if let Err(why) = &history {
        if past {
            return Err(UsageProblem(format!("--as-of: {why}")));
        }
        notes.push(format!(
            "history unavailable ({why}): snapshot metrics only, no trends and no people metrics"
        ));
    }
    let history = history.ok();

    // The snapshot.
    let mut catalog = None;
    let (owned, source): (Vec<EntityFacts>, SnapshotSource) =
        match history.as_ref().and_then(|h| h.snapshot.as_ref()) {
            Some(s) if past => (s.entities.clone(), SnapshotSource::Commit(s.commit.clone())),
            _ if past => {
                return Err(UsageProblem(format!(
                    "--as-of {} is before the first commit of the repository",
                    opts.as_of.unwrap_or_default()
                )));
            }
            _ => {
                let c = Catalog::load(&LoadOptions {
                    paths: opts.paths,
                    config: opts.config,
                    keep_documents: true,
                    keep_text: false,
                });
                let mut facts = Vec::new();
                for path in c.paths() {
                    let report = &c.files[path];
                    for e in &report.entities {
                        if let Some(doc) = report.parsed.get(e.document) {
                            facts.push(EntityFacts::new(&e.record, &doc.root));
                        }
                    }
                }
                catalog = Some(c);
                (facts, SnapshotSource::WorkingTree)
            }
        };
    if let SnapshotSource::Commit(id) = &source {
        notes.push(format!(
            "--as-of is before HEAD: the snapshot is commit {}; catalog health and scorecards need a working tree (check that commit out to get them)",
            &id[..id.len().min(12)]
        ));
    }
    let entities = distinct(&owned);
    let cm = CatalogMetrics::compute(&entities);

    for team in opts.platform_teams {
        if !entities
            .iter()
            .any(|e| &e.reference == team && e.kind() == "group")
        {
            return Err(UsageProblem(format!(
                "--platform-team {team} is not a Group in the catalog"
            )));
        }
    }

    let mut m = Metrics(Vec::new());
    // Catalog.
    m.count(metric_id::CATALOG_ENTITIES, cm.entities);
    for (kind, n) in &cm.by_kind {
        m.count(format!("{}.{kind}", metric_id::CATALOG_ENTITIES), *n);
    }
    m.share(metric_id::CATALOG_OWNERSHIP, cm.ownership());
    m.count(metric_id::CATALOG_OWNERSHIP_UNOWNED, cm.unowned);
    m.count(
        metric_id::CATALOG_OWNERSHIP_DANGLING,
        cm.dangling_verified(),
    );
    m.count(metric_id::CATALOG_OWNERSHIP_UNVERIFIABLE, cm.unverifiable());
    m.share(metric_id::CATALOG_TEAM_OWNED, cm.team_owned());
    m.count(metric_id::CATALOG_TEAMS, cm.teams);
    m.count(metric_id::CATALOG_TEAMS_OWNING, cm.teams_owning);
    m.share(metric_id::CATALOG_TEAM_COVERAGE, cm.team_coverage());
    m.share(metric_id::CATALOG_DOCS, cm.docs());
    m.share(metric_id::CATALOG_API_COVERAGE, cm.api_coverage());
    m.share(metric_id::CATALOG_STRUCTURE, cm.structure());
    for (fact, value) in cm.metadata() {
        m.share(format!("catalog.metadata.{fact}"), value);
    }
    if !cm.org_data && cm.owned > 0 {
        notes.push(
            "the catalog has no Groups or Users, so owners cannot be checked: ownership is unverifiable"
                .into(),
        );
    }
    if cm.teams == 0 && cm.org_data {
        notes.push(format!(
            "no Group has spec.type {}: team metrics count no teams",
            snapshot::TEAM_TYPES.join(" or ")
        ));
    }

    // `--teams` and `--eligible` read the entities' documents: the working tree.
    let (selected_teams, population) = match &catalog {
        Some(c) => (
            opts.teams.map(|s| select(c, &s, "group")),
            opts.eligible.map(|s| select(c, &s, "user")),
        ),
        None if opts.teams.is_some() || opts.eligible.is_some() => {
            return Err(UsageProblem(
                "--teams and --eligible need the working tree, and --as-of before HEAD reads the catalog from git: check that commit out instead".into(),
            ));
        }
        None => (None, None),
    };
    if let (Some(p), Some(s)) = (&population, opts.eligible)
        && p.is_empty()
    {
        return Err(UsageProblem(format!(
            "--eligible {}: no User of the catalog matches it (the filter selects Users, e.g. memberOf=group:default/pilot)",
            s.text
        )));
    }
    let mut levels = None;
    // Catalog health and scorecards (working tree only).
    match &catalog {
        Some(c) => {
            let with_errors: HashSet<&str> = c
                .files
                .values()
                .flat_map(|f| f.diagnostics.iter())
                .filter(|d| opts.config.severity_of(d.code) == Some(Severity::Error))
                .filter_map(|d| d.entity.as_deref())
                .collect();
            let bad = entities
                .iter()
                .filter(|e| with_errors.contains(e.reference.as_str()))
                .count();
            m.share(
                metric_id::CATALOG_HEALTH,
                share(entities.len() - bad, entities.len()),
            );
            m.count(metric_id::CATALOG_HEALTH_ENTITIES_WITH_ERRORS, bad);
            let repo_root = git
                .as_ref()
                .and_then(|g| g.workdir.clone())
                .unwrap_or_else(|| opts.start.to_path_buf());
            levels = scorecard_metrics(c, &repo_root, as_of_end.unwrap_or(0), &mut m);
        }
        None => {
            m.share(metric_id::CATALOG_HEALTH, None);
            m.put(
                metric_id::CATALOG_HEALTH_ENTITIES_WITH_ERRORS,
                None,
                Unit::Count,
            );
        }
    }

    // Workflows.
    m.share("workflows.golden_path", cm.golden_path());
    let recent_start = as_of_end.map(|e| e - RECENT_DAYS * SECONDS_PER_DAY);
    let window_start = periods.first().map(|p| p.start);
    let first_seen = |e: &EntityFacts| -> i64 {
        history
            .as_ref()
            .and_then(|h| h.first_seen.get(&e.reference).copied())
            // Not committed yet: new as of now.
            .unwrap_or(as_of_end.unwrap_or(i64::MAX))
    };
    let components: Vec<&EntityFacts> = entities
        .iter()
        .copied()
        .filter(|e| e.kind() == "component")
        .collect();
    let (new_components, golden_new, template_uses, top_template, time_saved) =
        match (&history, recent_start, window_start) {
            (Some(_), Some(recent), Some(window)) => {
                let new: Vec<&EntityFacts> = components
                    .iter()
                    .copied()
                    .filter(|e| first_seen(e) > recent)
                    .collect();
                let golden = new.iter().filter(|e| e.source_template.is_some()).count();
                let mut uses: HashMap<&EntityRef, usize> = HashMap::new();
                for e in &new {
                    if let Some(t) = &e.source_template {
                        *uses.entry(t).or_default() += 1;
                    }
                }
                let top = uses
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(t, n)| (t.to_string(), *n));
                // Time saved: components created in the window from a template that says how much.
                let templates: BTreeMap<&EntityRef, &EntityFacts> = entities
                    .iter()
                    .filter(|e| e.kind() == "template")
                    .map(|e| (&e.reference, *e))
                    .collect();
                let mut hours: Option<f64> = None;
                for t in templates.values() {
                    match t.time_saved.as_deref().map(snapshot::duration_hours) {
                        Some(Some(_)) => hours = Some(hours.unwrap_or(0.0)),
                        Some(None) => notes.push(format!(
                            "{} has a {} that is not an ISO 8601 duration (such as PT2H): ignored",
                            t.reference,
                            snapshot::TIME_SAVED
                        )),
                        None => {}
                    }
                }
                if hours.is_some() {
                    for e in &components {
                        if first_seen(e) <= window {
                            continue;
                        }
                        if let Some(h) = e
                            .source_template
                            .as_ref()
                            .and_then(|t| templates.get(t))
                            .and_then(|t| t.time_saved.as_deref())
                            .and_then(snapshot::duration_hours)
                        {
                            hours = Some(hours.unwrap_or(0.0) + h);
                        }
                    }
                }
                (
                    Some(new.len()),
                    share(golden, new.len()),
                    Some(top.as_ref().map_or(0, |t| t.1)),
                    top.map(|t| t.0),
                    hours,
                )
            }
            _ => (None, None, None, None, None),
        };
    m.put(
        "workflows.new_components",
        new_components.map(|n| n as f64),
        Unit::Count,
    );
    m.share("workflows.golden_path_new", golden_new);
    m.put(
        "workflows.top_template_uses",
        template_uses.map(|n| n as f64),
        Unit::Count,
    );
    m.put("workflows.time_saved_est", time_saved, Unit::Hours);

    // Usage.
    let usage_data = if opts.usage.is_empty() {
        None
    } else {
        let data =
            usage::load(opts.usage, opts.usage_format, opts.usage_lenient).map_err(UsageProblem)?;
        for (file, format, rows, bad) in &data.files {
            notes.push(format!(
                "usage: {file} read as {} ({rows} row(s){})",
                format.as_str(),
                if *bad > 0 {
                    format!(", {bad} bad row(s) skipped under --usage-lenient")
                } else {
                    String::new()
                }
            ));
        }
        Some(data)
    };
    let usage = match (&usage_data, as_of_end) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(UsageProblem(
                "usage data needs an as-of date, and outside git there is no HEAD date: pass --as-of YYYY-MM-DD".into(),
            ));
        }
        (Some(data), Some(end)) => Some(engagement::compute(
            data,
            &engagement::Context {
                entities: &entities,
                eligible: population.as_ref().map_or(cm.users, HashSet::len),
                population: population.as_ref(),
                as_of_end: end,
                window_start: periods.first().map_or(end, |p| p.start),
                periods: &periods,
                show_names: opts.show_names,
            },
        )),
    };
    if let Some(u) = &usage {
        m.0.extend(u.metrics.iter().cloned());
        notes.extend(u.notes.iter().cloned());
    }

    // People.
    let (eligible, eligible_source) = match (
        &population,
        usage.as_ref().and_then(|u| u.eligible_override),
    ) {
        (Some(p), _) => (p.len(), "eligible-filter"),
        (None, Some(n)) => (n, "usage-eligible-users"),
        (None, None) => (cm.users, "catalog-users"),
    };
    if population.is_some() && usage.as_ref().is_some_and(|u| !u.event_level) {
        notes.push("aggregated usage counts every user and cannot be restricted to the --eligible population: its active users are divided by the population, which overstates adoption".into());
    }
    let identities = Identities::new(&entities);
    // With a population, only its members' catalog commits count as people's.
    let commits: Option<Vec<history::AuthorCommit>> = history.as_ref().map(|h| match &population {
        Some(p) => h
            .commits
            .iter()
            .filter(|c| {
                identities
                    .resolve_author(&c.email)
                    .is_some_and(|u| p.contains(u))
            })
            .cloned()
            .collect(),
        None => h.commits.clone(),
    });
    let platform = platform_members(&entities, opts.platform_teams);
    let people = match (&history, &commits, recent_start, as_of_end) {
        (Some(h), Some(commits), Some(recent), Some(end)) => Some(history::people(
            commits,
            &identities,
            &platform,
            recent,
            end,
            &h.months
                .iter()
                .map(|m| m.period.clone())
                .collect::<Vec<_>>(),
        )),
        _ => None,
    };
    let p = people.as_ref();
    let team_rows = teams::rows(&teams::Input {
        entities: &entities,
        population: population.as_ref(),
        active: usage.as_ref().and_then(|u| u.active_users.as_ref()),
        commits: commits.as_deref(),
        identities: &identities,
        recent_start: recent_start.unwrap_or(i64::MIN),
        as_of_end: as_of_end.unwrap_or(i64::MAX),
        periods: history.as_ref().map_or(&[][..], |_| &periods[..]),
        levels: levels.as_ref(),
        thresholds: thresholds.teams,
    });
    for (id, count) in [
        (metric_id::PEOPLE_CATALOG_COMMITS, p.map(|p| p.commits)),
        (metric_id::PEOPLE_CONTRIBUTORS, p.map(|p| p.contributors)),
        (metric_id::PEOPLE_CONTRIBUTORS_NEW, p.map(|p| p.new)),
        (
            metric_id::PEOPLE_CONTRIBUTORS_RETURNING,
            p.map(|p| p.returning),
        ),
    ] {
        m.put(id, count.map(|n| n as f64), Unit::Count);
    }
    let returning = p.and_then(|p| share(p.returning, p.contributors));
    m.share(metric_id::PEOPLE_RETURNING, returning);
    let penetration = p.and_then(|p| share(p.contributors, eligible));
    m.share(metric_id::PEOPLE_PENETRATION, penetration);
    let unresolved = p.and_then(|p| share(p.commits - p.resolved_commits, p.commits));
    m.share(metric_id::PEOPLE_IDENTITY_UNRESOLVED, unresolved);
    let self_service = p
        .filter(|_| !opts.platform_teams.is_empty())
        .and_then(|p| share(p.resolved_commits - p.platform_commits, p.resolved_commits));
    m.share(metric_id::PEOPLE_SELF_SERVICE, self_service);
    if let Some(h) = &history
        && h.bot_commits > 0
    {
        notes.push(format!(
            "{} catalog commit(s) by bots are left out of the people metrics",
            h.bot_commits
        ));
    }
    if let Some(s) = opts.eligible {
        notes.push(format!(
            "eligible developers: the {eligible} catalog Users that --eligible {} selects; rates, penetration and the per-team numbers count this population only",
            s.text
        ));
    } else if eligible_source != "catalog-users" {
        notes.push(format!(
            "eligible developers: {eligible}, from the eligible_users rows of the aggregated usage data"
        ));
    } else if eligible > 0 {
        notes.push(format!(
            "eligible developers: the {eligible} catalog Users (if only a pilot group may use the portal, choose it with --eligible FILTER)"
        ));
    } else {
        notes.push("the catalog has no Users: contributor penetration needs eligible developers, so the onboarding estimate is unknown".into());
    }
    if penetration.is_some_and(|x| x > 1.0) {
        notes.push("more catalog contributors than catalog Users: the Users in the catalog understate the eligible developers".into());
    }
    if unresolved.is_some_and(|u| u > 0.2) {
        notes.push(format!(
            "{:.1} % of recent catalog commits have authors that match no catalog User (by spec.profile.email or github.com/user-login): people metrics that need identities are low confidence",
            unresolved.unwrap_or(0.0) * 100.0
        ));
    }

    // Verdict.
    let history_need = |v: Option<f64>, otherwise: &str| -> Measure {
        match (&history, v) {
            (None, _) => Err(NEEDS_HISTORY.to_string()),
            (Some(_), Some(v)) => Ok(v),
            (Some(_), None) => Err(otherwise.to_string()),
        }
    };
    let usage_adoption = usage.as_ref().map(|u| {
        // Data that stops before the as-of date measures nobody for the missing days: the
        // measures it feeds are unknown rather than low.
        let stale = u.coverage.stale().then(|| stale_need(&u.coverage));
        let measure = |m: Measure| match &stale {
            Some(why) => Err(why.clone()),
            None => m,
        };
        let confidence = if !u.coverage.trusted() {
            verdict::Confidence::Low
        } else if u.event_level
            && u.unresolved
                .is_none_or(|x| x <= engagement::UNRESOLVED_LIMIT)
        {
            verdict::Confidence::High
        } else {
            verdict::Confidence::Medium
        };
        verdict::UsageAdoption {
            adoption: measure(need(
                u.adoption,
                if eligible == 0 {
                    "eligible developers (User entities, or eligible_users rows)"
                } else {
                    "monthly active_users in the usage data"
                },
            )),
            mau: u.mau.unwrap_or(1),
            confidence,
            habitual: measure(need(
                u.habitual,
                if u.event_level {
                    "eligible developers"
                } else {
                    "event-level usage data (aggregates give no habit)"
                },
            )),
            // What people use, when current event-level data says it.
            pillars: if u.event_level && !u.coverage.stale() {
                let pillar = |id: &str| u.metrics.iter().find(|m| m.id == id).and_then(|m| m.value);
                pillar(metric_id::USAGE_PILLAR_VISIBILITY)
                    .zip(pillar(metric_id::USAGE_PILLAR_AUTOMATION))
            } else {
                None
            },
        }
    });
    let sc_trend = history.as_ref().and_then(scorecard_trend);
    m.put(
        metric_id::SCORECARD_PASS_RATE_CHANGE,
        sc_trend,
        Unit::Points,
    );
    let template_reuse = match usage.as_ref().and_then(|u| u.top_template_90d.clone()) {
        Some((_, n)) => Ok(n as f64),
        None => history_need(template_uses.map(|n| n as f64), NEEDS_HISTORY),
    };
    let input = VerdictInput {
        inactive_teams: usage
            .as_ref()
            .and_then(|u| u.active_users.as_ref())
            .map(|_| teams::to_onboard(&team_rows)),
        usage: usage_adoption,
        eligible: Some(eligible),
        teams_owning: cm.teams_owning,
        team_coverage: need(cm.team_coverage(), "team Groups (spec.type: team)"),
        penetration: match (&history, eligible) {
            (None, _) => Err(NEEDS_HISTORY.to_string()),
            (Some(_), 0) => Err("User entities in the catalog (eligible developers)".to_string()),
            _ => need(penetration, NEEDS_HISTORY),
        },
        ownership: need(
            cm.ownership(),
            if cm.owned == 0 {
                "owned entities (Components, APIs, Systems…)"
            } else {
                "Users and Groups in the catalog, to check owners"
            },
        ),
        returning: history_need(returning, "catalog commits in the last 90 days"),
        retention: match &usage {
            Some(u) if u.event_level && u.coverage.stale() => Err(stale_need(&u.coverage)),
            Some(u) if u.event_level => need(
                u.retention,
                "usage events in the 28 days before the last 28 days",
            ),
            _ => Err(NEEDS_USAGE.to_string()),
        },
        docs: need(cm.docs(), "Components in the catalog"),
        api_coverage: need(cm.api_coverage(), "Components of type service"),
        scorecard_trend: match &history {
            None => Err(NEEDS_HISTORY.to_string()),
            Some(_) => sc_trend.ok_or_else(|| {
                "the scorecard pass rate at the month ends three months apart (history of at least four months with Components)".to_string()
            }),
        },
        self_service: if opts.platform_teams.is_empty() {
            Err("--platform-team GROUP".to_string())
        } else {
            history_need(
                self_service,
                "recent catalog commits by authors that match catalog Users",
            )
        },
        golden_path_new: history_need(golden_new, "Components added in the last 90 days"),
        template_reuse,
        top_template,
        unowned_or_dangling: cm.unowned + cm.dangling_verified(),
        undocumented: cm.components - cm.documented,
        thresholds: thresholds.clone(),
    };
    let verdict = verdict::decide(&input);
    // The onboarding estimate is reported even when usage data gives the adoption measure.
    let onboarding = cm
        .team_coverage()
        .zip(penetration.filter(|_| eligible > 0))
        .map(|(t, p)| t.min(p));
    m.share("adoption.estimate", onboarding);
    if usage.is_some() {
        m.share("adoption.A", verdict.adoption);
    }

    // Series.
    let mut series = Vec::new();
    if let Some(h) = &history {
        if h.months.len() >= 2 {
            series = build_series(h, people.as_ref());
        } else {
            notes.push(
                "the history covers a single month: no trend yet (trends start with two months)"
                    .into(),
            );
        }
    }

    if let Some(u) = &usage {
        series.extend(u.series.iter().cloned());
        series.sort_by(|a, b| a.id.cmp(&b.id));
    }
    let mut metrics = m.0;
    metrics.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Report {
        usage,
        as_of: as_of_day.map(dates::format),
        inputs: Inputs {
            head: head.map(|h| h.id.clone()),
            window_months: WINDOW_MONTHS,
            eligible,
            eligible_source,
            usage: usage_data.is_some(),
            shallow,
            history: history.is_some(),
            snapshot: source,
            population: opts.eligible.map(|s| s.text.to_string()),
        },
        verdict,
        metrics,
        series,
        notes,
        compare: None,
        teams: TeamSection {
            filter: opts.teams.map(|s| s.text.to_string()),
            rows: team_rows
                .into_iter()
                .filter(|r| {
                    selected_teams
                        .as_ref()
                        .is_none_or(|s| s.iter().any(|t| t.as_str() == r.team))
                })
                .collect(),
            thresholds: thresholds.teams,
        },
    })
}

/// What stale usage data would need to give current measures.
fn stale_need(c: &coverage::Coverage) -> String {
    match (c.last_day, c.lag_days) {
        (Some(last), Some(lag)) => format!(
            "usage data up to the as-of date (it ends {}, {lag} days before; rerun with --as-of {})",
            dates::format(last * SECONDS_PER_DAY),
            dates::format(last * SECONDS_PER_DAY)
        ),
        _ => "usage data inside the report window (every row is outside it)".to_string(),
    }
}

/// Change of the embedded scorecard's pass rate over the last three month ends (about 90
/// days): the last period's value minus the value three periods earlier.
pub fn scorecard_trend(h: &History) -> Option<f64> {
    let n = h.months.len();
    if n < 4 {
        return None;
    }
    Some(h.months[n - 1].pass_rate? - h.months[n - 4].pass_rate?)
}

fn build_series(h: &History, people: Option<&history::People>) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::new();
    let mut push = |id: String, unit: Unit, points: Vec<(String, Option<f64>)>| {
        // A period without a value (nothing to divide by) is left out rather than drawn as 0.
        let points: Vec<(String, f64)> = points
            .into_iter()
            .filter_map(|(p, v)| v.map(|v| (p, v)))
            .collect();
        out.push(Series { id, unit, points });
    };
    let each = |f: &dyn Fn(&CatalogMetrics) -> Option<f64>| -> Vec<(String, Option<f64>)> {
        h.months
            .iter()
            .map(|m| (m.period.label.clone(), f(&m.metrics)))
            .collect()
    };
    push(
        metric_id::CATALOG_ENTITIES.into(),
        Unit::Count,
        each(&|m| Some(m.entities as f64)),
    );
    let kinds: BTreeSet<&String> = h
        .months
        .iter()
        .flat_map(|m| m.metrics.by_kind.keys())
        .collect();
    for kind in kinds {
        push(
            format!("{}.{kind}", metric_id::CATALOG_ENTITIES),
            Unit::Count,
            each(&|m| Some(m.by_kind.get(kind).copied().unwrap_or(0) as f64)),
        );
    }
    push(
        metric_id::CATALOG_OWNERSHIP.into(),
        Unit::Share,
        each(&CatalogMetrics::ownership),
    );
    push(
        metric_id::CATALOG_TEAM_COVERAGE.into(),
        Unit::Share,
        each(&CatalogMetrics::team_coverage),
    );
    push(
        metric_id::CATALOG_DOCS.into(),
        Unit::Share,
        each(&CatalogMetrics::docs),
    );
    push(
        "workflows.golden_path".into(),
        Unit::Share,
        each(&CatalogMetrics::golden_path),
    );
    push(
        metric_id::SCORECARD_PASS_RATE.into(),
        Unit::Share,
        h.months
            .iter()
            .map(|m| (m.period.label.clone(), m.pass_rate))
            .collect(),
    );
    if let Some(p) = people {
        for (id, pick) in [
            (metric_id::PEOPLE_CONTRIBUTORS, 1),
            (metric_id::PEOPLE_CONTRIBUTORS_NEW, 2),
            (metric_id::PEOPLE_CONTRIBUTORS_RETURNING, 3),
        ] {
            push(
                id.into(),
                Unit::Count,
                p.monthly
                    .iter()
                    .map(|(label, c, n, r)| {
                        let v = match pick {
                            1 => *c,
                            2 => *n,
                            _ => *r,
                        };
                        (label.clone(), Some(v as f64))
                    })
                    .collect(),
            );
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_calendar_months_ending_at_the_as_of_date() {
        let end = dates::parse("2025-03-10").unwrap() + SECONDS_PER_DAY - 1;
        let p = periods(end, 4);
        let labels: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024-12", "2025-01", "2025-02", "2025-03"]);
        assert_eq!(p[0].start, dates::parse("2024-12-01").unwrap());
        assert_eq!(p[0].end, dates::parse("2025-01-01").unwrap() - 1);
        assert_eq!(p[2].end, dates::parse("2025-03-01").unwrap() - 1);
        assert_eq!(p[3].end, end);
    }
}
