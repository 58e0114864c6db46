//! `score --history`: the scorecards at each month end, from git objects.
//!
//! The catalog of each month end comes from the adoption walk (`adoption::history::walk`):
//! the state of the last first-parent commit at or before it. The scorecards and the waivers
//! are those of that commit (read from its objects, like `--base` reads a revision), and so
//! are the files `repo.*` facts read. Each month only the entities whose inputs changed since
//! the previous month end are evaluated again; the others keep their results (see
//! [`Inputs`]). `git.*` facts are unknown in history (the months are themselves history) and
//! `--facts` files describe HEAD only: both evaluate as `unknown`. Pure apart from reading
//! the repository's objects.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::history::{Doc, MonthDocs};
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::index::{Relations, Teams};
use crate::score::eval::{self, Env, Status};
use crate::score::facts::{CatalogIndex, CommitFiles, EntityInput, GitHistory, RepoFiles};
use crate::score::model::{Check, Fact, Scorecard};
use crate::score::waiver::{self, Waiver};

/// The longest `--history` window, in months (each month end is a full catalog in memory).
pub const MAX_HISTORY_MONTHS: u32 = 36;

/// `12m` → 12. Months only, from 1 to [`MAX_HISTORY_MONTHS`].
pub fn parse_window(text: &str) -> Result<u32, String> {
    let bad = || {
        format!(
            "--history must be a number of months, like 12m (1m to {MAX_HISTORY_MONTHS}m; got {text})"
        )
    };
    let n: u32 = text
        .strip_suffix('m')
        .and_then(|n| n.parse().ok())
        .ok_or_else(bad)?;
    if (1..=MAX_HISTORY_MONTHS).contains(&n) {
        Ok(n)
    } else {
        Err(bad())
    }
}

/// A scorecard or waivers file (or directory) named on the command line.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file or directory of the repository (relative to its root), read at each commit.
    InRepo(PathBuf),
    /// A file outside the repository (the operator's), the same at every month end.
    Outside(PathBuf, String),
}

pub struct Options<'a> {
    /// `--scorecard` files and directories; None: the repository's `.callboard/scorecards/`
    /// at each commit, else the embedded scorecard (as without `--history`).
    pub scorecards: Option<&'a [Source]>,
    /// `--waivers`, or `.callboard/waivers.yaml`; None: `--no-waivers`.
    pub waivers: Option<Source>,
    /// `--entity`: only these entities (empty: every entity).
    pub entities: &'a [EntityRef],
}

/// One scorecard at one month end.
#[derive(Debug, Clone)]
pub struct CardMonth {
    pub period: String,
    /// `YYYY-MM-DD` of the month end (the `--now` of its evaluation).
    pub date: String,
    pub commit: String,
    pub entities: usize,
    /// Entities evaluated again this month (their inputs changed); the others kept their result.
    pub evaluated: usize,
    pub mean_score: Option<f64>,
    /// Entities per level rank: index 0 is "none", index l+1 is level l.
    pub levels: Vec<usize>,
    /// Per rule id: (passing or waived, applicable and known).
    pub rules: BTreeMap<String, (usize, usize)>,
    /// The `--group-by` roll-up (by team without it): per group, entities and mean score.
    pub groups: BTreeMap<String, (usize, Option<f64>)>,
    /// Per campaign id of that month's scorecard: (target entities, done), as the report
    /// counts them (score/campaign.rs).
    pub campaigns: BTreeMap<String, (usize, usize)>,
}

/// A campaign as of the latest month that has its scorecard.
#[derive(Debug, Clone)]
pub struct CampaignInfo {
    pub id: String,
    pub title: String,
    pub deadline: String,
}

#[derive(Debug, Clone)]
pub struct CardHistory {
    pub id: String,
    pub title: String,
    /// The levels and rules of the latest month that has this scorecard.
    pub levels: Vec<String>,
    pub rules: Vec<String>,
    /// The campaigns of the latest month that has this scorecard.
    pub campaigns: Vec<CampaignInfo>,
    pub months: Vec<CardMonth>,
}

#[derive(Debug, Default)]
pub struct ScoreHistory {
    /// Month labels, oldest first (every period of the window that has a commit).
    pub periods: Vec<String>,
    pub cards: Vec<CardHistory>,
    pub notes: Vec<String>,
    pub group_by: String,
}

/// An entity's result kept from one month to the next.
#[derive(Clone)]
struct Kept {
    inputs: u64,
    score: Option<f64>,
    level: Option<usize>,
    statuses: Vec<Status>,
}

/// What a scorecard's results can depend on, decided once per scorecard.
struct Inputs {
    /// `repo.*` facts: the entity's directory (its tree object).
    repo_dir: bool,
    /// CODEOWNERS or a path from the repository root: the whole root tree.
    repo_root: bool,
    /// `catalog.ownerKind`, `catalog.ownerMembers`, `owner.*`: the owner's document and every
    /// Group and User document (memberships come from both sides).
    organisation: bool,
    /// `catalog.resolves` fields: whether each reference exists.
    resolves: Vec<Vec<String>>,
}

fn each_leaf<'c>(check: &'c Check, out: &mut Vec<&'c Fact>) {
    match check {
        Check::All(c) | Check::Any(c) => c.iter().for_each(|c| each_leaf(c, out)),
        Check::Not(c) => each_leaf(c, out),
        Check::Leaf(l) => out.push(&l.fact),
        Check::Expr(_) => {}
    }
}

impl Inputs {
    fn of(card: &Scorecard) -> Inputs {
        let mut facts = Vec::new();
        for r in &card.rules {
            each_leaf(&r.check, &mut facts);
            if let Some(w) = &r.when {
                each_leaf(w, &mut facts);
            }
        }
        let mut inputs = Inputs {
            repo_dir: false,
            repo_root: false,
            organisation: false,
            resolves: Vec::new(),
        };
        for f in facts {
            match f {
                Fact::RepoFile(p) | Fact::RepoFileContent(p) | Fact::RepoData(_, p, _) => {
                    inputs.repo_dir = true;
                    inputs.repo_root |= p.starts_with('/') || p.contains("..");
                }
                Fact::RepoCodeowners => inputs.repo_root = true,
                Fact::OwnerKind | Fact::OwnerMembers | Fact::Owner(_) => inputs.organisation = true,
                Fact::CatalogResolves(path) => inputs.resolves.push(path.clone()),
                _ => {}
            }
        }
        inputs
    }
}

/// The month's catalog, indexed for the fingerprints of the entities' inputs.
struct MonthIndex<'d> {
    /// Entity → its document.
    docs: HashMap<&'d EntityRef, &'d Doc<'d>>,
    /// Every Group and User document, hashed (memberships and team structure).
    organisation: u64,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What an entity's result depends on at this month end, hashed: its document (blob and
/// place), the documents of the entities its relations point at, and as the scorecard
/// needs, its directory's files, the repository root, the organisation, and whether the
/// references of `catalog.resolves` fields exist.
fn fingerprint(
    doc: &Doc<'_>,
    month: &MonthIndex<'_>,
    index: &CatalogIndex<'_>,
    (inputs, files): (&Inputs, Option<&CommitFiles>),
) -> u64 {
    let mut h = DefaultHasher::new();
    (doc.blob, &doc.facts.reference, doc.path).hash(&mut h);
    for r in doc.relations {
        (
            r.field,
            &r.target,
            month.docs.get(&r.target).map(|d| d.blob),
        )
            .hash(&mut h);
    }
    // A System's domain reaches an entity through its system.
    if let Some(system) = doc.relations.iter().find(|r| r.field == "system") {
        for r in index.relations().targets(&system.target, "domain") {
            (r, month.docs.get(r).map(|d| d.blob)).hash(&mut h);
        }
    }
    if inputs.repo_dir {
        let dir = doc.path.parent().unwrap_or(Path::new(""));
        files.map(|f| f.dir_hash(dir)).hash(&mut h);
    }
    if inputs.repo_root {
        files.map(|f| f.dir_hash(Path::new(""))).hash(&mut h);
    }
    if inputs.organisation {
        month.organisation.hash(&mut h);
    }
    let input = doc.input();
    for path in &inputs.resolves {
        for r in eval::field_refs(path, &input) {
            (r.as_ref().is_some_and(|r| index.contains(r))).hash(&mut h);
        }
    }
    h.finish()
}

/// The scorecards of a month end and a hash of the text they were read from, or why they
/// cannot be read.
fn cards_at(
    files: &CommitFiles,
    named: Option<&[Source]>,
) -> Result<(Vec<Scorecard>, u64), String> {
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    let default_dir = [Source::InRepo(PathBuf::from(
        crate::score::DEFAULT_SCORECARD_DIR,
    ))];
    for source in named.unwrap_or(&default_dir) {
        match source {
            Source::InRepo(path) => {
                texts.extend(files.yaml_files(path)?);
            }
            Source::Outside(path, text) => texts.push((path.clone(), text.clone())),
        }
    }
    if texts.is_empty() {
        return match named {
            None => Ok((crate::score::default_scorecards(), 0)),
            Some(_) => Err("none of the --scorecard files exists there".into()),
        };
    }
    let mut cards = Vec::new();
    for (file, text) in &texts {
        let parsed = crate::score::model::parse_scorecards(file, text).map_err(joined)?;
        cards.extend(parsed);
    }
    cards.sort_by(|a, b| a.id.cmp(&b.id));
    cards.dedup_by(|a, b| a.id == b.id);
    Ok((cards, hash_of(&texts)))
}

/// Errors of a scorecard or waivers file, on one line (for a note).
fn joined(errors: Vec<crate::score::model::SpecError>) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The waivers of a month end and a hash of their text.
fn waivers_at(files: &CommitFiles, source: Option<&Source>) -> Result<(Vec<Waiver>, u64), String> {
    let (path, text) = match source {
        None => return Ok((Vec::new(), 0)),
        Some(Source::Outside(path, text)) => (path.clone(), text.clone()),
        Some(Source::InRepo(path)) => match files.read(path).map_err(|e| e.to_string())? {
            Some(text) => (path.clone(), text),
            None => return Ok((Vec::new(), 0)),
        },
    };
    let waivers = waiver::parse_waivers(&path, &text).map_err(joined)?;
    Ok((waivers, hash_of(&text)))
}

/// The group of an entity in the roll-up (`owner` means its team, as in the score report).
fn group_key(by: &str, reference: &EntityRef, relations: &Relations, teams: &Teams) -> String {
    let key = match by {
        "system" => relations.system(reference).map(ToString::to_string),
        "domain" => relations.domain(reference).map(ToString::to_string),
        _ => relations
            .owner(reference)
            .map(|o| teams.roll_up(o).to_string()),
    };
    key.unwrap_or_else(|| format!("(no {by})"))
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| (sum / n as f64 * 10.0).round() / 10.0)
}

/// State carried from one month end to the next, per scorecard id.
#[derive(Default)]
struct Carried {
    card_text: u64,
    waivers_text: u64,
    entities: HashMap<EntityRef, Kept>,
}

/// Evaluates the scorecards at each month end of `months` (oldest first).
pub fn evaluate(
    git_dir: &Path,
    months: Vec<MonthDocs<'_>>,
    opts: &Options<'_>,
    group_by: &str,
) -> ScoreHistory {
    let mut out = ScoreHistory {
        group_by: group_by.to_string(),
        ..ScoreHistory::default()
    };
    let mut carried: HashMap<String, Carried> = HashMap::new();
    let mut cards_out: BTreeMap<String, CardHistory> = BTreeMap::new();
    let mut previous_today = String::new();
    for month in &months {
        out.periods.push(month.period.label.clone());
        let label = &month.period.label;
        let files = match CommitFiles::open(git_dir, month.commit) {
            Ok(f) => f,
            Err(e) => {
                out.notes.push(format!(
                    "{label}: the files of that month end cannot be read, so it is left out: {e}"
                ));
                continue;
            }
        };
        let (cards, card_text) = match cards_at(&files, opts.scorecards) {
            Ok(c) => c,
            Err(e) => {
                out.notes.push(format!(
                    "{label}: the scorecards of that month end cannot be read, so it is left out: {e}"
                ));
                continue;
            }
        };
        let (waivers, waivers_text) = match waivers_at(&files, opts.waivers.as_ref()) {
            Ok(w) => w,
            Err(e) => {
                out.notes.push(format!(
                    "{label}: the waivers of that month end cannot be read and are left out there: {e}"
                ));
                (Vec::new(), 1)
            }
        };
        let now = month.period.end;
        let today = crate::dates::format(now);
        // A waiver that expired since the previous month end changes results without any input
        // changing: evaluate everything again.
        let expired_since = waivers
            .iter()
            .any(|w| w.expires >= previous_today && w.expired(&today));
        // Likewise a rule whose `enforceFrom` date was reached since then.
        let enforced_since = cards
            .iter()
            .flat_map(|c| c.rules.iter())
            .filter_map(|r| r.enforce_from.as_deref())
            .any(|d| d > previous_today.as_str() && d <= today.as_str());
        let month_result = evaluate_month(
            month,
            &cards,
            &waivers,
            files,
            (group_by, opts.entities),
            (card_text, waivers_text, expired_since || enforced_since),
            &mut carried,
        );
        for (card, m) in cards.iter().zip(month_result) {
            let entry = cards_out
                .entry(card.id.clone())
                .or_insert_with(|| CardHistory {
                    id: card.id.clone(),
                    title: String::new(),
                    levels: Vec::new(),
                    rules: Vec::new(),
                    campaigns: Vec::new(),
                    months: Vec::new(),
                });
            entry.title = card.title.clone();
            entry.levels = card.levels.clone();
            entry.rules = card.rules.iter().map(|r| r.id.clone()).collect();
            entry.campaigns = card
                .campaigns
                .iter()
                .map(|c| CampaignInfo {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    deadline: c.deadline.clone(),
                })
                .collect();
            entry.months.push(CardMonth {
                period: label.clone(),
                date: today.clone(),
                commit: month.commit.to_string(),
                ..m
            });
        }
        previous_today = today;
    }
    out.cards = cards_out.into_values().collect();
    out
}

#[allow(clippy::too_many_arguments)]
fn evaluate_month(
    month: &MonthDocs<'_>,
    cards: &[Scorecard],
    waivers: &[Waiver],
    mut files: CommitFiles,
    (group_by, only): (&str, &[EntityRef]),
    (card_text, waivers_text, expired_since): (u64, u64, bool),
    carried: &mut HashMap<String, Carried>,
) -> Vec<CardMonth> {
    let docs = &month.docs;
    let inputs: Vec<EntityInput<'_>> = docs.iter().map(Doc::input).collect();
    let mut relations = Relations::default();
    for d in docs {
        for r in d.relations {
            relations.add(d.facts.reference.clone(), r.field, r.target.clone());
        }
    }
    let teams = Teams::from_relations(docs.iter().map(|d| (&d.facts.reference, d.relations)));
    // `appliesTo` selects by the same month's relations (system, domain, owner).
    let mut direct = HashMap::new();
    for d in docs {
        direct.entry(d.facts.reference.clone()).or_insert_with(|| {
            d.relations
                .iter()
                .map(|r| (r.field, r.relation, r.target.clone()))
                .collect()
        });
    }
    let targeting = crate::score::target::Relations::from_fields(direct, teams.clone());
    let index = CatalogIndex::new(inputs.iter().map(|i| i.reference), teams.clone())
        .with_relations(relations, inputs.iter().map(|i| (i.reference, i.root)));
    let needs: Vec<Inputs> = cards.iter().map(Inputs::of).collect();
    if needs.iter().any(|n| n.repo_dir) {
        files.know_dirs(
            docs.iter()
                .map(|d| d.path.parent().unwrap_or(Path::new("")).to_path_buf()),
        );
    }
    let month_index = MonthIndex {
        docs: docs.iter().map(|d| (&d.facts.reference, d)).collect(),
        organisation: hash_of(
            docs.iter()
                .filter(|d| matches!(d.facts.reference.kind(), "group" | "user"))
                .map(|d| (&d.facts.reference, d.blob))
                .collect::<Vec<_>>(),
        ),
    };
    // Never the working tree: a month reads its own commit's files.
    let files = RepoFiles::at_commit(files);
    let git = GitHistory::unavailable("history: git facts are not evaluated at past month ends");
    let env = Env {
        repo_relative_cwd: None,
        catalog: &index,
        repo: &files,
        git: &git,
        now: month.period.end,
        today: crate::dates::format(month.period.end),
        waivers,
        facts: None,
    };
    let mut seen = HashSet::new();
    let unique: Vec<(&EntityInput<'_>, &Doc<'_>)> = inputs
        .iter()
        .zip(docs)
        .filter(|(i, _)| seen.insert(i.reference))
        .filter(|(i, _)| only.is_empty() || only.contains(i.reference))
        .collect();
    let mut out = Vec::new();
    for (card, need) in cards.iter().zip(&needs) {
        let state = carried.entry(card.id.clone()).or_default();
        if state.card_text != card_text || state.waivers_text != waivers_text || expired_since {
            state.entities.clear();
        }
        state.card_text = card_text;
        state.waivers_text = waivers_text;
        let previous = &state.entities;
        let results: Vec<(EntityRef, Kept, bool, Vec<bool>)> = unique
            .par_iter()
            .filter(|(e, _)| eval::applies(card, e, &targeting))
            .map(|(e, doc)| {
                // Which campaigns target it: their appliesTo reads this month's document.
                let in_campaigns: Vec<bool> = card
                    .campaigns
                    .iter()
                    .map(|c| crate::score::target::applies(&c.applies_to, e, &targeting))
                    .collect();
                let print = fingerprint(doc, &month_index, &index, (need, files.commit()));
                if let Some(kept) = previous.get(e.reference).filter(|k| k.inputs == print) {
                    return (e.reference.clone(), kept.clone(), false, in_campaigns);
                }
                let rules: Vec<_> = (0..card.rules.len())
                    .map(|i| eval::rule_result(card, i, e, &env))
                    .collect();
                let (level, _, _) = eval::level(card.levels.len(), &rules);
                let kept = Kept {
                    inputs: print,
                    score: eval::score(&rules),
                    level,
                    statuses: rules.iter().map(|r| r.status).collect(),
                };
                (e.reference.clone(), kept, true, in_campaigns)
            })
            .collect();
        let mut m = CardMonth {
            period: String::new(),
            date: String::new(),
            commit: String::new(),
            entities: results.len(),
            evaluated: results.iter().filter(|r| r.2).count(),
            mean_score: mean(results.iter().filter_map(|r| r.1.score)),
            levels: vec![0; card.levels.len() + 1],
            rules: BTreeMap::new(),
            groups: BTreeMap::new(),
            campaigns: card
                .campaigns
                .iter()
                .map(|c| (c.id.clone(), (0, 0)))
                .collect(),
        };
        let mut group_scores: BTreeMap<String, (usize, Vec<f64>)> = BTreeMap::new();
        for (reference, kept, _, in_campaigns) in &results {
            for (c, _) in card
                .campaigns
                .iter()
                .zip(in_campaigns)
                .filter(|(_, target)| **target)
            {
                let done = card.rules.iter().zip(&kept.statuses).all(|(rule, status)| {
                    !c.rules.contains(&rule.id) || crate::score::campaign::counts_as_done(*status)
                });
                if let Some(counts) = m.campaigns.get_mut(&c.id) {
                    counts.0 += 1;
                    counts.1 += usize::from(done);
                }
            }
            m.levels[kept.level.map_or(0, |l| l + 1)] += 1;
            for (rule, status) in card.rules.iter().zip(&kept.statuses) {
                let share = m.rules.entry(rule.id.clone()).or_default();
                if status.scored() {
                    share.1 += 1;
                    if matches!(status, Status::Pass | Status::Waived) {
                        share.0 += 1;
                    }
                }
            }
            let key = group_key(group_by, reference, index.relations(), &teams);
            let g = group_scores.entry(key).or_default();
            g.0 += 1;
            g.1.extend(kept.score);
        }
        m.groups = group_scores
            .into_iter()
            .map(|(k, (n, scores))| (k, (n, mean(scores.into_iter()))))
            .collect();
        state.entities = results.into_iter().map(|(r, k, _, _)| (r, k)).collect();
        out.push(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        assert_eq!(parse_window("12m"), Ok(12));
        assert_eq!(parse_window("1m"), Ok(1));
        assert_eq!(parse_window("36m"), Ok(36));
        for bad in ["0m", "37m", "12", "m", "12y", "-1m", ""] {
            let e = parse_window(bad).unwrap_err();
            assert!(
                e.contains("--history must be a number of months"),
                "{bad}: {e}"
            );
        }
    }
}
