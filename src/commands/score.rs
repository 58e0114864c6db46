//! `callboard score`.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Context;

use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{FailOnArg, ScoreArgs, ScoreFormat};
use crate::commands::{Outcome, start_dir, write_output};
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

pub fn run(args: &ScoreArgs) -> anyhow::Result<Outcome> {
    crate::commands::require_paths(&args.paths)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let start = start_dir(&args.paths, &cwd);
    let repo_root = git::repository_root(&start).unwrap_or_else(|| start.clone());
    let config = load_config(args.config.as_ref(), &start)?;

    let cards = if !args.scorecard.is_empty() {
        for p in &args.scorecard {
            if !p.exists() {
                return Err(
                    UsageError(format!("error: scorecard {} does not exist", p.display())).into(),
                );
            }
        }
        score::load_scorecards(&args.scorecard).map_err(spec_errors)?
    } else if repo_root.join(score::DEFAULT_SCORECARD_DIR).is_dir() {
        score::load_scorecards(&[repo_root.join(score::DEFAULT_SCORECARD_DIR)])
            .map_err(spec_errors)?
    } else {
        score::default_scorecards()
    };
    if cards.is_empty() {
        return Err(UsageError(
            "error: no scorecard found in the given files or directories (*.yaml / *.yml holding kind: Scorecard)".into(),
        )
        .into());
    }

    let waivers = if args.no_waivers {
        Vec::new()
    } else {
        let path = match &args.waivers {
            Some(p) if !p.is_file() => {
                return Err(UsageError(format!(
                    "error: waivers file {} does not exist",
                    p.display()
                ))
                .into());
            }
            Some(p) => Some(p.clone()),
            None => Some(repo_root.join(score::DEFAULT_WAIVERS)).filter(|p| p.is_file()),
        };
        match path {
            Some(p) => {
                // The default file is repository content: it stays inside the repository.
                let text = if args.waivers.is_some() {
                    std::fs::read_to_string(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?
                } else {
                    crate::fs::read_confined_string(
                        &repo_root,
                        &p,
                        crate::fs::MAX_CONTENT_FILE_BYTES,
                    )?
                };
                waiver::parse_waivers(&p, &text).map_err(spec_errors)?
            }
            None => Vec::new(),
        }
    };

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
    let report = score::run(
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
        },
    );

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
        write_output(args.output.as_deref(), &crate::report::escape::output(text))?;
        return Ok(Outcome::Success);
    }

    let rendered = match args.format {
        ScoreFormat::Table => render::table::render(&report, None),
        ScoreFormat::Json => render::json::render(&report),
        ScoreFormat::Markdown => render::markdown::render(&report),
        ScoreFormat::Sarif => render::sarif::render(&report),
        ScoreFormat::Junit => render::junit::render(&report),
    };
    write_output(
        args.output.as_deref(),
        &crate::report::escape::output(rendered),
    )?;
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
