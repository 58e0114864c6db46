//! Scorecards as code: rules evaluated per entity, a weighted score, cumulative levels, waivers
//! and a gate. Pure: takes the loaded catalog and returns a report value.

pub mod campaign;
pub mod delta;
pub mod eval;
pub mod external;
pub mod facts;
pub mod message;
pub mod model;
pub mod target;
pub mod tier;
pub mod versions;
pub mod waiver;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::catalog::entity_ref::EntityRef;
use eval::{EntityResult, Env, Status};
use facts::{CatalogIndex, EntityInput, GitHistory, RepoFiles};
use model::{Scorecard, SpecError};
use waiver::Waiver;

/// The scorecard used when a repository has none: catalog readiness.
pub const DEFAULT_SCORECARD: &str = include_str!("default_scorecard.yaml");
pub const DEFAULT_SCORECARD_DIR: &str = ".callboard/scorecards";
pub const DEFAULT_WAIVERS: &str = ".callboard/waivers.yaml";

/// Which rule outcomes fail the gate on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

pub struct Options<'a> {
    pub now: i64,
    pub generated_at: Option<String>,
    pub entities: &'a [EntityRef],
    /// Canonical paths changed since the merge-base: only the entities they touch are listed
    /// (None: every entity). A display filter: every entity is scored and gated.
    pub changed: Option<&'a HashSet<PathBuf>>,
    pub min_level: Option<&'a str>,
    pub min_score: Option<f64>,
    pub fail_on: FailOn,
    pub baseline: Option<&'a serde_json::Value>,
    pub repo_root: &'a Path,
    /// Read `git.*` facts from this commit of the repository around the path, with
    /// `repo_root` standing for its work tree (the base revision of `--base`); None: HEAD.
    pub history_at: Option<(&'a Path, &'a str)>,
    /// Values from `--facts` files ([`fact_targets`] maps them to entities).
    pub facts: Option<&'a external::ExternalFacts>,
    /// `--base`: the base revision's report to compare with, and the ratchet gate on it.
    pub base: Option<(&'a Report, delta::Inputs<'a>)>,
    /// `score.maxWaiverDays` of `.callboard.yaml` (default [`waiver::DEFAULT_MAX_WAIVER_DAYS`]).
    pub max_waiver_days: u32,
    /// The configuration's severity overrides for the waiver findings (None: defaults).
    pub config: Option<&'a crate::config::Config>,
}

/// One reason the gate fails, with what it is about.
#[derive(Debug, Clone)]
pub struct GateFailure {
    /// Index of the scorecard in [`Report::cards`].
    pub card: usize,
    /// The entity, when the reason is about one.
    pub entity: Option<EntityRef>,
    /// The rule id, when the reason is a rule's outcome (not a level, score or regression).
    pub rule: Option<String>,
    pub reason: String,
}

impl Report {
    /// The gate failures indexed by what they are about, for renderers that ask per rule and
    /// entity (a linear search per question is quadratic on a large catalog).
    pub fn gate_index(&self) -> GateIndex<'_> {
        let mut index = GateIndex::default();
        for g in &self.gate_failures {
            let Some(entity) = &g.entity else { continue };
            match &g.rule {
                Some(rule) => {
                    index.rules.insert((g.card, entity, rule.as_str()));
                }
                None => index.entities.entry((g.card, entity)).or_default().push(g),
            }
        }
        index
    }
}

/// [`Report::gate_index`].
#[derive(Default)]
pub struct GateIndex<'a> {
    rules: HashSet<(usize, &'a EntityRef, &'a str)>,
    entities: std::collections::HashMap<(usize, &'a EntityRef), Vec<&'a GateFailure>>,
}

impl<'a> GateIndex<'a> {
    /// Whether the gate fails because of `rule` on `entity` of scorecard `card`.
    pub fn rule_fails_gate(&self, card: usize, entity: &'a EntityRef, rule: &'a str) -> bool {
        self.rules.contains(&(card, entity, rule))
    }

    /// The reasons the gate fails for `entity` of scorecard `card` that are not one rule's.
    pub fn entity_reasons(&self, card: usize, entity: &'a EntityRef) -> &[&'a GateFailure] {
        self.entities
            .get(&(card, entity))
            .map_or(&[], Vec::as_slice)
    }
}

pub struct CardReport {
    pub card: Scorecard,
    pub entities: Vec<EntityResult>,
    /// One per `spec.campaigns` entry, in its order; over every selected entity (the
    /// `--changed-since` display filter does not narrow it, as it does not narrow the gate).
    pub campaigns: Vec<campaign::CampaignProgress>,
}

pub struct Report {
    pub generated_at: Option<String>,
    /// The `--now` of the run (unix time), for campaigns' days left.
    pub now: i64,
    pub cards: Vec<CardReport>,
    pub gate_passed: bool,
    pub reasons: Vec<String>,
    /// The same reasons, each with the entity and rule it is about (JUnit and SARIF mark only
    /// these as failures).
    pub gate_failures: Vec<GateFailure>,
    /// Things the reader should know (expired waivers, unknown git history).
    pub notes: Vec<String>,
    /// Rules that could not be evaluated.
    pub errors: usize,
    /// Every entity reference of the catalog (scored or not), for `--base`.
    pub catalog_refs: HashSet<String>,
    /// With `--base`: what the change does, against the base revision.
    pub comparison: Option<delta::Comparison>,
    /// Problems of the waivers file (`waiver-unmatched`, `waiver-expiry-too-far`).
    pub findings: Vec<crate::diag::Diagnostic>,
}

/// Reads scorecards from files and directories (`*.yaml`/`*.yml`, sorted). With `confined_to`,
/// the files under that root are repository content: each is read only if its real path is
/// inside the root (a link out of it is an error naming the file), within the content file size
/// limit. Other files are the operator's (named on the command line) and read as they are.
pub fn load_scorecards(
    paths: &[PathBuf],
    confined_to: Option<&Path>,
) -> Result<Vec<Scorecard>, Vec<SpecError>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            found.retain(|f| crate::source::discover::is_yaml(f));
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut cards = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        let text = match confined_to.filter(|root| f.starts_with(root)) {
            Some(root) => {
                crate::fs::read_confined_string(root, &f, crate::fs::MAX_CONTENT_FILE_BYTES)
                    .map_err(|e| e.to_string())
            }
            None => std::fs::read_to_string(&f).map_err(|e| e.to_string()),
        };
        match text {
            Ok(text) => match model::parse_scorecards(&f, &text) {
                Ok(c) => cards.extend(c),
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(SpecError {
                file: f.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read scorecard: {e}"),
            }),
        }
    }
    cards.sort_by(|a, b| a.id.cmp(&b.id));
    let mut seen = HashSet::new();
    for c in &cards {
        if !seen.insert(c.id.clone()) {
            errors.push(SpecError {
                file: c.file.clone(),
                line: 1,
                column: 1,
                message: format!("scorecard `{}` is defined twice", c.id),
            });
        }
    }
    if errors.is_empty() {
        Ok(cards)
    } else {
        Err(errors)
    }
}

pub fn default_scorecards() -> Vec<Scorecard> {
    model::parse_scorecards(Path::new("<embedded catalog-readiness>"), DEFAULT_SCORECARD)
        .expect("the embedded scorecard is valid")
}

/// Is the entity's file, or anything under its directory, among the changed paths?
fn touched(file: &Path, changed: &HashSet<PathBuf>) -> bool {
    let canonical = |p: &Path| {
        std::fs::canonicalize(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
        .ok()
    };
    let Some(file) = canonical(file) else {
        return false;
    };
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    changed.iter().any(|c| c == &file || c.starts_with(&dir))
}

/// One note per rule that could not be evaluated, naming its scorecard file and the first
/// reason, so the table says why a rule is in status `error` (the JSON has it per entity).
fn error_notes(cards: &[CardReport]) -> Vec<String> {
    let mut notes = Vec::new();
    for c in cards {
        for (i, rule) in c.card.rules.iter().enumerate() {
            let mut failed = c
                .entities
                .iter()
                .flat_map(|e| e.rules.iter())
                .filter(|r| r.rule == i && r.status == Status::Error);
            if let Some(first) = failed.next() {
                let n = 1 + failed.count();
                notes.push(format!(
                    "{}: rule `{}` could not be evaluated for {n} {}: {}",
                    c.card.file.display(),
                    rule.id,
                    if n == 1 { "entity" } else { "entities" },
                    first.message
                ));
            }
        }
    }
    notes
}

pub fn run(
    catalog: &Catalog,
    cards: Vec<Scorecard>,
    waivers: &[Waiver],
    opts: &Options<'_>,
) -> Report {
    let today = crate::dates::format(opts.now);
    let mut notes = Vec::new();
    for w in waivers.iter().filter(|w| w.expired(&today)) {
        notes.push(format!(
            "waiver for {} ({}) expired on {} and is ignored",
            w.entity,
            w.rules.join(", "),
            w.expires
        ));
    }
    let (waivers, mut findings, waiver_reasons) = waiver_policy(waivers, opts, &today);
    let waivers = waivers.as_slice();
    // Entities with their parsed documents.
    let mut inputs: Vec<EntityInput<'_>> = catalog
        .entities()
        .into_iter()
        .filter_map(|e| {
            Some(EntityInput {
                reference: e.reference(),
                file: e.file,
                root: e.root?,
            })
        })
        .collect();
    // A duplicate entity is scored once (its first definition); validate reports the copies.
    let mut seen_refs = HashSet::new();
    inputs.retain(|i| seen_refs.insert(i.reference.clone()));
    let invalid: HashSet<&str> = catalog
        .files
        .values()
        .flat_map(|f| f.diagnostics.iter())
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .filter_map(|d| d.entity.as_deref())
        .collect();
    if !invalid.is_empty() {
        notes.push(format!(
            "{} entities have validation errors and are scored as written; run `callboard catalog validate`",
            invalid.len()
        ));
    }
    let teams = catalog.teams();
    let targeting = target::Relations::from_catalog(catalog);
    let relations = catalog.relations();
    let index = CatalogIndex::new(inputs.iter().map(|i| i.reference), teams.clone())
        .with_relations(relations, inputs.iter().map(|i| (i.reference, i.root)));
    let repo = RepoFiles::new(opts.repo_root.to_path_buf());
    let git = if cards.iter().any(Scorecard::uses_git) {
        match opts.history_at {
            Some((repo, commit)) => GitHistory::load_at(repo, commit, opts.repo_root),
            None => GitHistory::load(opts.repo_root),
        }
    } else {
        GitHistory::unavailable("not needed")
    };
    if cards.iter().any(Scorecard::uses_git)
        && let Some(reason) = &git.unavailable
    {
        notes.push(format!("git facts are unknown: {reason}"));
    }
    if let Some(facts) = opts.facts {
        notes.extend(facts.notes.iter().cloned());
    }
    let env = Env {
        repo_relative_cwd: repo_relative_cwd(opts.repo_root),
        catalog: &index,
        repo: &repo,
        git: &git,
        now: opts.now,
        today: today.clone(),
        waivers,
        facts: opts.facts,
    };
    let selected: Vec<&EntityInput<'_>> = inputs
        .iter()
        .filter(|i| opts.entities.is_empty() || opts.entities.contains(i.reference))
        .collect();
    // Listed in the report; the gate sees every selected entity whatever changed.
    let shown: HashSet<&EntityRef> = selected
        .iter()
        .filter(|i| opts.changed.is_none_or(|c| touched(i.file, c)))
        .map(|i| i.reference)
        .collect();

    let mut card_reports = Vec::new();
    for card in cards {
        let mut entities: Vec<(EntityResult, Vec<bool>)> = selected
            .par_iter()
            .filter(|e| eval::applies(&card, e, &targeting))
            .map(|e| {
                let in_campaigns: Vec<bool> = card
                    .campaigns
                    .iter()
                    .map(|c| target::applies(&c.applies_to, e, &targeting))
                    .collect();
                let relations = index.relations();
                let owner = relations.owner(e.reference);
                let system = relations.system(e.reference);
                let rules: Vec<_> = (0..card.rules.len())
                    .map(|i| eval::rule_result(&card, i, e, &env))
                    .collect();
                let (level, next_level, missing) = eval::level(card.levels.len(), &rules);
                let result = EntityResult {
                    reference: e.reference.clone(),
                    // Relative to the repository root, like `entity.file` (and SARIF's artifact URIs).
                    file: eval::repo_path(&env, e.file),
                    line: e
                        .root
                        .pointer("/metadata/name")
                        .map_or(1, |n| n.span.start.line),
                    owner: owner.map(ToString::to_string),
                    team: owner.map(|o| teams.roll_up(o).to_string()),
                    system: system.map(ToString::to_string),
                    domain: relations.domain(e.reference).map(ToString::to_string),
                    score: eval::score(&rules),
                    level,
                    next_level,
                    missing,
                    rules,
                };
                (result, in_campaigns)
            })
            .collect();
        entities.sort_by(|a, b| a.0.reference.cmp(&b.0.reference));
        let campaigns = campaign_progress(&card, &entities);
        let entities = entities.into_iter().map(|(e, _)| e).collect();
        card_reports.push(CardReport {
            card,
            entities,
            campaigns,
        });
    }

    let errors = card_reports
        .iter()
        .flat_map(|c| c.entities.iter())
        .flat_map(|e| e.rules.iter())
        .filter(|r| r.status == Status::Error)
        .count();
    notes.extend(error_notes(&card_reports));
    let gate_failures = gate(&card_reports, opts);
    let mut reasons: Vec<String> = gate_failures.iter().map(|g| g.reason.clone()).collect();
    reasons.extend(waiver_reasons);
    let catalog_refs: Vec<String> = inputs.iter().map(|i| i.reference.to_string()).collect();
    let rule_ids: Vec<String> = card_reports
        .iter()
        .flat_map(|c| {
            c.card
                .rules
                .iter()
                .map(|r| format!("{}/{}", c.card.id, r.id))
        })
        .collect();
    let live: Vec<Waiver> = waivers
        .iter()
        .filter(|w| !w.expired(&today))
        .cloned()
        .collect();
    findings.extend(
        waiver::unmatched(&live, &catalog_refs, &rule_ids)
            .into_iter()
            .filter_map(|d| with_configured_severity(d, opts)),
    );
    notes.extend(findings.iter().map(finding_note));
    let mut report = Report {
        generated_at: opts.generated_at.clone(),
        now: opts.now,
        gate_passed: false,
        reasons: Vec::new(),
        gate_failures,
        cards: card_reports,
        notes,
        errors,
        catalog_refs: catalog_refs.into_iter().collect(),
        comparison: None,
        findings,
    };
    if let Some((base, inputs)) = &opts.base {
        let (comparison, ratchet) = delta::compare(&report, base, inputs);
        reasons.extend(ratchet);
        report.comparison = Some(comparison);
    }
    report.gate_passed = reasons.is_empty();
    report.reasons = reasons;
    if opts.changed.is_some() {
        for card in &mut report.cards {
            card.entities.retain(|e| shown.contains(&e.reference));
        }
    }
    report
}

/// Each campaign's target entities (those of the scorecard its own `appliesTo` selects, as
/// marked in `entities`) and what each still fails.
fn campaign_progress(
    card: &Scorecard,
    entities: &[(EntityResult, Vec<bool>)],
) -> Vec<campaign::CampaignProgress> {
    card.campaigns
        .iter()
        .enumerate()
        .map(|(index, c)| campaign::CampaignProgress {
            campaign: index,
            targets: entities
                .iter()
                .filter(|(_, in_campaigns)| in_campaigns[index])
                .map(|(e, _)| campaign::CampaignTarget {
                    reference: e.reference.clone(),
                    team: e.team.clone(),
                    system: e.system.clone(),
                    domain: e.domain.clone(),
                    failing: campaign::failing_rules(c, &e.rules),
                })
                .collect(),
        })
        .collect()
}

/// The waivers that may apply: those expiring within `max_waiver_days` of `--now` (unless the
/// configuration turns `waiver-expiry-too-far` off); each refused one is a finding and, at
/// severity error, a gate failure (the waivers file is repository content: exit 1, not 2).
fn waiver_policy(
    waivers: &[Waiver],
    opts: &Options<'_>,
    today: &str,
) -> (Vec<Waiver>, Vec<crate::diag::Diagnostic>, Vec<String>) {
    let mut applied = Vec::new();
    let mut findings = Vec::new();
    let mut reasons = Vec::new();
    for w in waivers {
        let refused = w
            .expires_too_far(opts.now, opts.max_waiver_days)
            .then(|| waiver::too_far_finding(w, today, opts.max_waiver_days))
            .and_then(|d| with_configured_severity(d, opts));
        match refused {
            Some(d) => {
                if d.severity == crate::diag::Severity::Error {
                    reasons.push(format!("{}:{}: {}", w.file.display(), w.line, d.message));
                }
                findings.push(d);
            }
            None => applied.push(w.clone()),
        }
    }
    (applied, findings, reasons)
}

/// A finding at the severity `.callboard.yaml` sets for its code; None when turned off.
fn with_configured_severity(
    mut d: crate::diag::Diagnostic,
    opts: &Options<'_>,
) -> Option<crate::diag::Diagnostic> {
    d.severity = match opts.config {
        Some(config) => config.severity_of(d.code)?,
        None => d.code.default_severity(),
    };
    Some(d)
}

/// A finding as a note line of the table, markdown and JSON `notes`.
fn finding_note(d: &crate::diag::Diagnostic) -> String {
    let place = match (&d.file, &d.span) {
        (Some(f), Some(s)) => format!("{}:{}: ", f.display(), s.start.line),
        _ => String::new(),
    };
    let help = d.help.as_ref().map_or(String::new(), |h| format!(" ({h})"));
    format!(
        "{}[{}]: {place}{}{help}",
        d.severity.as_str(),
        d.code.id(),
        d.message
    )
}

/// The current directory relative to the repository root (None when outside it).
fn repo_relative_cwd(repo_root: &Path) -> Option<PathBuf> {
    let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
    let root = std::fs::canonicalize(repo_root).ok()?;
    cwd.strip_prefix(root).ok().map(Path::to_path_buf)
}

/// The catalog's entities with their directories relative to the repository root, for the
/// `--facts` adapters that map source paths to entities.
pub fn fact_targets<'c>(catalog: &'c Catalog, repo_root: &Path) -> Vec<external::Target<'c>> {
    let prefix = repo_relative_cwd(repo_root);
    let mut seen = HashSet::new();
    catalog
        .entities()
        .into_iter()
        .filter(|e| seen.insert(e.reference().clone()))
        .map(|e| {
            let dir = e.file.parent().unwrap_or(Path::new(""));
            let dir = match &prefix {
                _ if dir.is_absolute() => dir.strip_prefix(repo_root).unwrap_or(dir).to_path_buf(),
                Some(p) => crate::catalog::entity::normalize(&p.join(dir)),
                None => dir.to_path_buf(),
            };
            let dir = dir.to_string_lossy().replace('\\', "/");
            external::Target {
                reference: e.reference(),
                dir: if dir == "." { String::new() } else { dir },
            }
        })
        .collect()
}

fn level_name(card: &Scorecard, level: Option<usize>) -> &str {
    level
        .and_then(|l| card.levels.get(l))
        .map_or("none", String::as_str)
}

/// Every reason the gate fails (empty: it passes).
fn gate(cards: &[CardReport], opts: &Options<'_>) -> Vec<GateFailure> {
    let mut reasons = Vec::new();
    for (index, report) in cards.iter().enumerate() {
        let failure = |entity: &EntityRef, rule: Option<&str>, reason: String| GateFailure {
            card: index,
            entity: Some(entity.clone()),
            rule: rule.map(str::to_string),
            reason,
        };
        let card = &report.card;
        // A --min-level the scorecard does not have leaves its own gate in force.
        let min_level = opts
            .min_level
            .and_then(|name| card.level_index(name))
            .or(card.gate.min_level);
        let min_score = opts.min_score.or(card.gate.min_score);
        let due = due_campaigns(report, &crate::dates::format(opts.now));
        for e in &report.entities {
            let due = due.get(&e.reference).map_or(&[][..], Vec::as_slice);
            if let Some(min) = min_level
                && e.level.is_none_or(|l| l < min)
            {
                reasons.push(failure(
                    &e.reference,
                    None,
                    format!(
                        "{}: level {} is below {} ({})",
                        e.reference,
                        level_name(card, e.level),
                        card.levels[min],
                        card.id
                    ),
                ));
            }
            if let (Some(min), Some(score)) = (min_score, e.score)
                && score < min
            {
                reasons.push(failure(
                    &e.reference,
                    None,
                    format!(
                        "{}: score {score} is below {min} ({})",
                        e.reference, card.id
                    ),
                ));
            }
            for r in &e.rules {
                // A campaign past its deadline requires its rules of its targets.
                let campaigns: Vec<String> = due
                    .iter()
                    .filter(|c| c.rules.contains(&r.id))
                    .map(|c| format!("campaign {} was due {}", c.id, c.deadline))
                    .collect();
                let required = card.gate.required.contains(&r.id) || !campaigns.is_empty();
                // A required rule must pass or be waived (n/a: it does not concern this entity).
                let failing = match r.status {
                    Status::Fail | Status::Error => required || opts.fail_on != FailOn::Never,
                    Status::Warn => required || opts.fail_on == FailOn::Warning,
                    Status::Unknown => required,
                    _ => false,
                };
                if failing {
                    let why = if !campaigns.is_empty() {
                        format!(" ({})", campaigns.join("; "))
                    } else if required {
                        " (required)".to_string()
                    } else {
                        String::new()
                    };
                    reasons.push(failure(
                        &e.reference,
                        Some(&r.id),
                        format!(
                            "{}: rule {}/{} is {}{why}",
                            e.reference,
                            card.id,
                            r.id,
                            r.status.as_str(),
                        ),
                    ));
                }
            }
        }
        if let Some(baseline) = opts.baseline {
            for (entity, reason) in regressions(report, baseline) {
                reasons.push(failure(entity, None, reason));
            }
        }
    }
    reasons
}

/// Per entity, the campaigns past their deadline on `today` it is a target of and not done
/// with.
fn due_campaigns<'a>(
    report: &'a CardReport,
    today: &str,
) -> std::collections::HashMap<&'a EntityRef, Vec<&'a campaign::Campaign>> {
    let mut due: std::collections::HashMap<&EntityRef, Vec<&campaign::Campaign>> =
        std::collections::HashMap::new();
    for p in &report.campaigns {
        let c = &report.card.campaigns[p.campaign];
        if !campaign::is_due(c, today) {
            continue;
        }
        for t in p.targets.iter().filter(|t| !t.done()) {
            due.entry(&t.reference).or_default().push(c);
        }
    }
    due
}

/// Entities whose score or level dropped against an earlier JSON report.
fn regressions<'a>(
    report: &'a CardReport,
    baseline: &serde_json::Value,
) -> Vec<(&'a EntityRef, String)> {
    let card = &report.card;
    let Some(old) = baseline["scorecards"]
        .as_array()
        .and_then(|cards| cards.iter().find(|c| c["id"] == card.id.as_str()))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for old_entity in old["entities"].as_array().into_iter().flatten() {
        let Some(reference) = old_entity["ref"].as_str() else {
            continue;
        };
        let Some(now) = report
            .entities
            .iter()
            .find(|e| e.reference.as_str() == reference)
        else {
            continue;
        };
        if let (Some(before), Some(after)) = (old_entity["score"].as_f64(), now.score)
            && after < before
        {
            out.push((
                &now.reference,
                format!(
                    "{reference}: score dropped from {before} to {after} ({})",
                    card.id
                ),
            ));
        }
        let before_level = old_entity["level"]
            .as_str()
            .and_then(|l| card.level_index(l));
        let before_rank = before_level.map_or(0, |l| l + 1);
        let after_rank = now.level.map_or(0, |l| l + 1);
        if after_rank < before_rank {
            out.push((
                &now.reference,
                format!(
                    "{reference}: level dropped from {} to {} ({})",
                    level_name(card, before_level),
                    level_name(card, now.level),
                    card.id
                ),
            ));
        }
    }
    out
}

/// The rule `--explain` names (`RULE` or `SCORECARD/RULE`) with its scorecard's report, or why
/// it names none or several.
pub fn find_rule<'a>(
    report: &'a Report,
    which: &str,
) -> Result<(&'a CardReport, &'a model::Rule), String> {
    let (card_id, rule_id) = match which.split_once('/') {
        Some((c, r)) => (Some(c), r),
        None => (None, which),
    };
    let candidates: Vec<_> = report
        .cards
        .iter()
        .filter(|c| {
            card_id.is_none_or(|id| c.card.id == id) && c.card.rules.iter().any(|r| r.id == rule_id)
        })
        .collect();
    if candidates.len() > 1 {
        let names: Vec<String> = candidates
            .iter()
            .map(|c| format!("{}/{rule_id}", c.card.id))
            .collect();
        return Err(format!(
            "rule `{rule_id}` is in several scorecards; name one of: {}",
            names.join(", ")
        ));
    }
    let not_found = || format!("no rule `{which}` in the scorecards");
    let c = candidates.first().ok_or_else(not_found)?;
    let rule = c
        .card
        .rules
        .iter()
        .find(|r| r.id == rule_id)
        .ok_or_else(not_found)?;
    Ok((c, rule))
}
