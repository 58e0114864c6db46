//! `callboard adoption report`.

use anyhow::Context;

use crate::adoption;
use crate::adoption::usage::Format;
use crate::catalog::entity_ref::EntityRef;
use crate::cli::{AdoptionFormat, AdoptionReportArgs, UsageFormatArg};
use crate::commands::{Outcome, start_dir};
use crate::commands::{UsageError, load_config};
use crate::report::adoption as render;

pub fn report(args: &AdoptionReportArgs) -> anyhow::Result<Outcome> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    crate::commands::require_paths(&args.paths)?;
    crate::commands::require_paths(&args.usage)?;
    let start = start_dir(&args.paths, &cwd);
    let config = load_config(args.config.file.as_ref(), &start)?;
    let targets = super::report_targets(args.format, args.output.file.as_deref(), &args.report)?;
    let platform_teams = args
        .platform_team
        .iter()
        .map(|g| {
            EntityRef::parse(g, Some("Group"), "default")
                .map_err(|e| UsageError(format!("error: --platform-team: {}", e.message(g))))
        })
        .collect::<Result<Vec<_>, _>>()?;

    // Checked before anything is read, like the bulk commands' --where.
    let parse = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                crate::bulk::filter::selection(t, &[])
                    .map_err(|e| UsageError(format!("error: --{flag}: {e}")))
            })
            .transpose()
    };
    let teams_filter = parse("teams", &args.teams)?;
    let eligible_filter = parse("eligible", &args.eligible)?;

    // A progress bar for the history walk, on stderr and only on a terminal.
    let bar = super::progress_bar("reading history", "commits");
    let tick = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let opts = adoption::Options {
        paths: &args.paths,
        cwd: &cwd,
        start: &start,
        config: &config,
        as_of: args.as_of.as_deref(),
        platform_teams: &platform_teams,
        usage: &args.usage,
        usage_format: match args.usage_format {
            UsageFormatArg::Auto => None,
            UsageFormatArg::Events => Some(Format::Events),
            UsageFormatArg::Rhdh => Some(Format::Rhdh),
            UsageFormatArg::Ga4 => Some(Format::Ga4),
            UsageFormatArg::Aggregate => Some(Format::Aggregate),
        },
        usage_lenient: args.usage_lenient,
        show_names: args.show_names,
        progress: bar
            .as_ref()
            .map(|_| &tick as &adoption::history::Progress<'_>),
        at: None,
        teams: selection(args.teams.as_deref(), teams_filter.as_ref()),
        eligible: selection(args.eligible.as_deref(), eligible_filter.as_ref()),
    };
    let report = match &args.compare {
        Some(rev) => adoption::compare::run_with_compare(&opts, rev),
        None => adoption::run(&opts),
    }
    .map_err(|p| UsageError(format!("error: {}", p.0)));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let report = report?;

    super::write_reports(&targets, |target| {
        crate::report::escape::output(match target.format {
            AdoptionFormat::Table => render::table::render(&report),
            AdoptionFormat::Json => render::json::render(&report),
            AdoptionFormat::Markdown => render::markdown::render(&report, target.limit),
            AdoptionFormat::Html => render::html::render(&report),
            AdoptionFormat::Csv => render::csv::render_csv(&report),
            AdoptionFormat::Ndjson => render::csv::render_ndjson(&report),
        })
    })?;
    Ok(Outcome::Success)
}

fn selection<'a>(
    text: Option<&'a str>,
    filter: Option<&'a crate::bulk::filter::Filter>,
) -> Option<adoption::Selection<'a>> {
    text.zip(filter)
        .map(|(text, filter)| adoption::Selection { text, filter })
}
