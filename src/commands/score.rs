//! `callboard score`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::adoption::score_history;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{FailOnArg, ScoreArgs, ScoreFormat};
use crate::commands::{Outcome, start_dir, write_report};
use crate::commands::{UsageError, load_config};
use crate::dates;
use crate::report::score as render;
use crate::score::{self, FailOn, model, waiver};
use crate::source::git;

fn spec_errors(errors: Vec<model::SpecError>) -> UsageError {
    UsageError(
        errors
            .iter()
            .map(|e| format!("error: {e}"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The `--facts` files, read against the catalog (None without any). A file that cannot be
/// read or parsed stops the run before anything is scored (exit 2).
fn load_facts(
    args: &ScoreArgs,
    catalog: &Catalog,
    repo_root: &Path,
) -> Result<Option<score::external::ExternalFacts>, UsageError> {
    let date = match &args.facts_date {
        Some(d) => Some(dates::parse(d).ok_or_else(|| {
            UsageError(format!(
                "error: --facts-date must be a date, YYYY-MM-DD (got {d})"
            ))
        })?),
        None => None,
    };
    if args.facts.is_empty() {
        return Ok(None);
    }
    let files: Vec<score::external::FactsFile> = args
        .facts
        .iter()
        .map(|a| score::external::FactsFile::parse(a))
        .collect();
    crate::commands::require_paths(&files.iter().map(|f| f.path.clone()).collect::<Vec<_>>())?;
    let targets = score::fact_targets(catalog, repo_root);
    score::external::load(&files, date, &targets, repo_root)
        .map(Some)
        .map_err(|e| UsageError(format!("error: {e}")))
}

/// What the base revision is scored with, besides its own files.
struct Scope<'a> {
    cwd: &'a Path,
    start: &'a Path,
    config: &'a crate::config::Config,
    now: i64,
    entities: &'a [EntityRef],
    facts: Option<&'a score::external::ExternalFacts>,
}

pub fn run(args: &ScoreArgs) -> anyhow::Result<Outcome> {
    crate::commands::require_paths(&args.paths)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let start = start_dir(&args.paths, &cwd);
    let repo_root = git::repository_root(&start).unwrap_or_else(|| start.clone());
    let config = load_config(args.config.file.as_ref(), &start)?;
    let targets =
        crate::commands::report_targets(args.format, args.output.file.as_deref(), &args.report)?;

    for p in &args.scorecard {
        if !p.exists() {
            return Err(
                UsageError(format!("error: scorecard {} does not exist", p.display())).into(),
            );
        }
    }
    if let Some(p) = &args.waivers
        && !args.no_waivers
        && !p.is_file()
    {
        return Err(UsageError(format!(
            "error: waivers file {} does not exist",
            p.display()
        ))
        .into());
    }
    let here = Place {
        root: &repo_root,
        cwd: &cwd,
        base: None,
    };
    let cards = load_cards(args, &here)?;
    let waivers = load_waivers(args, &here)?;

    let now = match &args.now {
        Some(d) => dates::parse(d).ok_or_else(|| {
            UsageError(format!("error: --now must be a date, YYYY-MM-DD (got {d})"))
        })?,
        None => dates::now(),
    };
    if let Some(level) = &args.min_level
        && !cards.iter().any(|c| c.level_index(level).is_some())
    {
        // Scorecards often share level names: list each once, in first-seen order.
        let mut known: Vec<&str> = Vec::new();
        for name in cards.iter().flat_map(|c| c.levels.iter()) {
            if !known.contains(&name.as_str()) {
                known.push(name);
            }
        }
        return Err(UsageError(format!(
            "error: --min-level {level} is not a level of any scorecard (levels: {})",
            known.join(", ")
        ))
        .into());
    }
    let history_window = args
        .history
        .as_deref()
        .map(score_history::parse_window)
        .transpose()
        .map_err(|e| UsageError(format!("error: {e}")))?;
    if history_window.is_none() && targets.iter().any(|t| t.format == ScoreFormat::Html) {
        return Err(UsageError(
            "error: --format html draws the trend of --history: add --history 12m (or another number of months)".into(),
        )
        .into());
    }
    if let Some(s) = args.min_score
        && !(0.0..=100.0).contains(&s)
    {
        return Err(UsageError("error: --min-score must be from 0 to 100".into()).into());
    }
    let entities = args
        .entity
        .iter()
        .map(|r| {
            EntityRef::parse(r, None, "default")
                .map_err(|e| UsageError(format!("error: --entity: {}", e.message(r))))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let baseline = match &args.baseline {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                UsageError(format!("error: cannot read baseline {}: {e}", p.display()))
            })?;
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                UsageError(format!("error: baseline {} is not JSON: {e}", p.display()))
            })?;
            if v["version"] != 1 || !v["scorecards"].is_array() {
                return Err(UsageError(format!(
                    "error: baseline {} is not a `callboard score --format json` report (version 1)",
                    p.display()
                ))
                .into());
            }
            Some(v)
        }
        None => None,
    };
    let changed: Option<HashSet<PathBuf>> = match &args.changed_since {
        Some(reference) => Some(
            git::changed_since(&start, reference)
                .map_err(|e| UsageError(format!("error: --changed-since: {e}")))?
                .into_iter()
                .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
                .collect(),
        ),
        None => None,
    };

    let catalog = Catalog::load(&LoadOptions {
        paths: &args.paths,
        config: &config,
        keep_documents: true,
        keep_text: false,
    });
    let facts = load_facts(args, &catalog, &repo_root)?;

    // The base revision, scored as a whole with its own scorecards and waivers (and the same
    // external facts: they describe the services, not the branch).
    let exported = match (&args.base, &args.explain) {
        (Some(rev), None) => Some(
            git::export_revision(&start, rev)
                .map_err(|e| UsageError(format!("error: --base: {e}")))?,
        ),
        _ => None,
    };
    let mut base_notes = Vec::new();
    let base_report = exported.as_ref().map(|at| {
        let (report, notes) = score_base(
            args,
            at,
            &Scope {
                cwd: &cwd,
                start: &start,
                config: &config,
                now,
                entities: &entities,
                facts: facts.as_ref(),
            },
        );
        base_notes = notes;
        report
    });
    let today = dates::format(now);

    let mut report = score::run(
        &catalog,
        cards,
        &waivers,
        &score::Options {
            now,
            generated_at: args.now.clone(),
            entities: &entities,
            changed: changed.as_ref(),
            min_level: args.min_level.as_deref(),
            min_score: args.min_score,
            fail_on: match args.fail_on {
                FailOnArg::Error => FailOn::Error,
                FailOnArg::Warning => FailOn::Warning,
                FailOnArg::Never => FailOn::Never,
            },
            baseline: baseline.as_ref().filter(|_| args.no_regression),
            repo_root: &repo_root,
            history_at: None,
            facts: facts.as_ref(),
            base: base_report
                .as_ref()
                .zip(exported.as_ref())
                .map(|(report, at)| {
                    (
                        report,
                        score::delta::Inputs {
                            rev: args.base.as_deref().unwrap_or_default(),
                            commit: &at.commit,
                            waivers: &waivers,
                            today: &today,
                            allow_scope_exit: args.allow_scope_exit,
                        },
                    )
                }),
            max_waiver_days: config
                .score
                .max_waiver_days
                .unwrap_or(score::waiver::DEFAULT_MAX_WAIVER_DAYS),
            config: Some(&config),
        },
    );
    report.notes.extend(base_notes);

    for wanted in &entities {
        if !catalog.contains(wanted) {
            return Err(UsageError(format!(
                "error: --entity {wanted} matches no entity in the catalog"
            ))
            .into());
        }
    }
    if let Some(rule) = &args.explain {
        let text = score::find_rule(&report, rule)
            .map(|(card, rule)| render::explain::render(card, rule))
            .map_err(|e| UsageError(format!("error: --explain: {e}")))?;
        write_report(args.output.file.as_deref(), text)?;
        return Ok(Outcome::Success);
    }

    let group_by = args.group_by.map(Into::into);
    let history = match history_window {
        Some(months) => Some(score_history(
            args,
            months,
            (&cwd, &start),
            &config,
            (now, &entities),
        )?),
        None => None,
    };
    let history = history.as_ref();
    crate::commands::write_reports(&targets, |target| {
        crate::report::escape::output(match target.format {
            ScoreFormat::Table => {
                render::table::render(&report, None, group_by)
                    + &history.map(render::history::table).unwrap_or_default()
            }
            ScoreFormat::Json => render::json::render_with_history(
                &report,
                group_by,
                history.map(render::history::json),
            ),
            ScoreFormat::Markdown => {
                render::markdown::render(&report, group_by, target.limit)
                    + &history.map(render::history::markdown).unwrap_or_default()
            }
            ScoreFormat::Sarif => render::sarif::render(&report, group_by),
            ScoreFormat::Junit => render::junit::render(&report, group_by),
            ScoreFormat::Reminders => render::reminders::render(&report),
            ScoreFormat::Html => history
                .map(|h| render::history::html(h, args.now.as_deref()))
                .unwrap_or_default(),
        })
    })?;
    // A rule that could not be evaluated is a finding like a failed gate (exit 1).
    let outcome = if report.gate_passed && report.errors == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    };
    super::leave(report);
    super::leave(catalog);
    Ok(outcome)
}

/// Where scorecards and waivers are read: the working tree, or the files of the base revision.
struct Place<'a> {
    /// The repository root (at the base: the exported tree).
    root: &'a Path,
    cwd: &'a Path,
    base: Option<&'a git::ExportedRevision>,
}

impl Place<'_> {
    /// A file named on the command line, here: itself in the working tree; at the base, the
    /// base revision's file of that path when it is inside the repository (None when the base
    /// has none), else itself (a file outside the repository is the same at both).
    fn named(&self, p: &Path) -> Option<PathBuf> {
        let Some(at) = self.base else {
            return Some(p.to_path_buf());
        };
        match at.rebase(&self.cwd.join(p)) {
            Some(there) => there.exists().then_some(there),
            None => Some(p.to_path_buf()),
        }
    }

    /// Is this file repository content (read confined to the root)?
    fn is_content(&self, p: &Path) -> bool {
        self.base.is_some_and(|at| p.starts_with(&at.tree))
    }
}

/// Scorecards, first match wins: `--scorecard`, `.callboard/scorecards/`, the embedded one.
fn load_cards(args: &ScoreArgs, place: &Place<'_>) -> Result<Vec<model::Scorecard>, UsageError> {
    let cards = if !args.scorecard.is_empty() {
        let paths: Vec<PathBuf> = args
            .scorecard
            .iter()
            .filter_map(|p| place.named(p))
            .collect();
        // Named on the command line: the operator's files, but at the base those of the
        // revision are its content.
        score::load_scorecards(&paths, place.base.map(|at| at.tree.as_path()))
            .map_err(spec_errors)?
    } else if place.root.join(score::DEFAULT_SCORECARD_DIR).is_dir() {
        // Repository content: read only inside the repository.
        score::load_scorecards(
            &[place.root.join(score::DEFAULT_SCORECARD_DIR)],
            Some(place.root),
        )
        .map_err(spec_errors)?
    } else {
        score::default_scorecards()
    };
    if cards.is_empty() {
        return Err(UsageError(
            "error: no scorecard found in the given files or directories (*.yaml / *.yml holding kind: Scorecard)".into(),
        ));
    }
    Ok(cards)
}

/// Waivers: `--waivers`, else `.callboard/waivers.yaml` when it exists, else none.
fn load_waivers(args: &ScoreArgs, place: &Place<'_>) -> anyhow::Result<Vec<waiver::Waiver>> {
    if args.no_waivers {
        return Ok(Vec::new());
    }
    let path = match &args.waivers {
        Some(p) => place.named(p),
        None => Some(place.root.join(score::DEFAULT_WAIVERS)).filter(|p| p.is_file()),
    };
    let Some(p) = path else {
        return Ok(Vec::new());
    };
    // The default file, and any file of the base revision, is repository content: it stays
    // inside the repository. A file named on the command line is the operator's.
    let text = if args.waivers.is_some() && !place.is_content(&p) {
        std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?
    } else {
        crate::fs::read_confined_string(place.root, &p, crate::fs::MAX_CONTENT_FILE_BYTES)?
    };
    Ok(waiver::parse_waivers(&p, &text).map_err(spec_errors)?)
}

/// The report of the base revision: its catalog (the same PATHS), scorecards and waivers, the
/// working tree's configuration and date, every entity; and notes on what could not be read
/// there (that part is then not compared).
fn score_base(
    args: &ScoreArgs,
    at: &git::ExportedRevision,
    scope: &Scope<'_>,
) -> (score::Report, Vec<String>) {
    let (cwd, config, now, entities) = (scope.cwd, scope.config, scope.now, scope.entities);
    let rev = args.base.as_deref().unwrap_or_default();
    let place = Place {
        root: &at.tree,
        cwd,
        base: Some(at),
    };
    let mut notes = Vec::new();
    let cards = load_cards(args, &place).unwrap_or_else(|e| {
        notes.push(format!(
            "the scorecards of {rev} cannot be read, so nothing is compared with it: {}",
            e.0
        ));
        Vec::new()
    });
    let waivers = load_waivers(args, &place).unwrap_or_else(|e| {
        notes.push(format!(
            "the waivers of {rev} cannot be read and are left out there: {e}"
        ));
        Vec::new()
    });
    let paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter_map(|p| at.rebase(&cwd.join(p)))
        .filter(|p| p.exists())
        .collect();
    // PATHS that do not exist at the base: an empty catalog there.
    let catalog = if paths.is_empty() {
        Catalog::default()
    } else {
        Catalog::load(&LoadOptions {
            paths: &paths,
            config,
            keep_documents: true,
            keep_text: false,
        })
    };
    let report = score::run(
        &catalog,
        cards,
        &waivers,
        &score::Options {
            now,
            generated_at: None,
            entities,
            changed: None,
            min_level: None,
            min_score: None,
            fail_on: FailOn::Never,
            baseline: None,
            repo_root: &at.tree,
            history_at: Some((scope.start, &at.commit)),
            facts: scope.facts,
            base: None,
            max_waiver_days: config
                .score
                .max_waiver_days
                .unwrap_or(score::waiver::DEFAULT_MAX_WAIVER_DAYS),
            config: Some(config),
        },
    );
    (report, notes)
}

/// A file named on the command line, for `--history`: read at each month end when it is in
/// the repository, else the operator's file, read once (a directory: its YAML files).
fn history_sources(
    p: &Path,
    cwd: &Path,
    workdir: &Path,
) -> Result<Vec<score_history::Source>, UsageError> {
    use score_history::Source;
    let abs = std::fs::canonicalize(cwd.join(p)).unwrap_or_else(|_| cwd.join(p));
    let root = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
    if let Ok(rel) = abs.strip_prefix(&root) {
        return Ok(vec![Source::InRepo(rel.to_path_buf())]);
    }
    let files = if abs.is_dir() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&abs)
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        found.retain(|f| crate::source::discover::is_yaml(f));
        found.sort();
        found
    } else {
        vec![abs]
    };
    files
        .into_iter()
        .map(|f| {
            std::fs::read_to_string(&f)
                .map(|text| Source::Outside(f.clone(), text))
                .map_err(|e| UsageError(format!("error: cannot read {}: {e}", f.display())))
        })
        .collect()
}

/// `--history`: the scorecards at each month end of the window ending at `now`, from the git
/// objects of the repository around the catalog.
fn score_history(
    args: &ScoreArgs,
    months: u32,
    (cwd, start): (&Path, &Path),
    config: &crate::config::Config,
    (now, entities): (i64, &[EntityRef]),
) -> Result<score_history::ScoreHistory, UsageError> {
    use crate::adoption::history as walk;
    let fail = |why: &str| UsageError(format!("error: --history: {why}"));
    let g = walk::open(start).ok_or_else(|| fail("the catalog is not inside a git repository"))?;
    let head = g
        .head
        .as_ref()
        .ok_or_else(|| fail("the repository has no commits yet"))?;
    if g.shallow {
        return Err(fail(
            "the clone is shallow; fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)",
        ));
    }
    let workdir = g.workdir.clone().unwrap_or_else(|| start.to_path_buf());
    let prefixes: Vec<PathBuf> = crate::adoption::prefixes(&args.paths, cwd, &workdir)
        .into_iter()
        .flatten()
        .collect();
    if prefixes.is_empty() {
        return Err(fail("no PATHS inside the repository"));
    }
    let scorecards: Option<Vec<score_history::Source>> = if args.scorecard.is_empty() {
        None
    } else {
        let mut all = Vec::new();
        for p in &args.scorecard {
            all.extend(history_sources(p, cwd, &workdir)?);
        }
        Some(all)
    };
    let waivers = match (&args.waivers, args.no_waivers) {
        (_, true) => None,
        (Some(p), false) => history_sources(p, cwd, &workdir)?.into_iter().next(),
        (None, false) => Some(score_history::Source::InRepo(PathBuf::from(
            score::DEFAULT_WAIVERS,
        ))),
    };
    let opts = score_history::Options {
        scorecards: scorecards.as_deref(),
        waivers,
        entities,
    };
    let group_by = args
        .group_by
        .map_or("owner", |b| crate::report::score::GroupBy::from(b).as_str());
    let as_of_end = now.div_euclid(dates::SECONDS_PER_DAY) * dates::SECONDS_PER_DAY
        + dates::SECONDS_PER_DAY
        - 1;
    let periods = crate::adoption::periods(as_of_end, months);
    let scope = walk::Scope { prefixes, config };
    let mut result = None;
    let mut hook = |git_dir: &Path, months: Vec<walk::MonthDocs<'_>>| {
        result = Some(score_history::evaluate(git_dir, months, &opts, group_by));
    };
    walk::walk(
        &g,
        &scope,
        head,
        as_of_end,
        &periods,
        false,
        None,
        None,
        Some(&mut hook),
    )
    .map_err(|e| fail(&e))?;
    Ok(result.unwrap_or_default())
}
