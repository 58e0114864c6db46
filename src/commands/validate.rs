//! `callboard catalog validate`.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;

use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{ColorChoice, Format, Profile, ValidateArgs};
use crate::commands::{Outcome, UsageError, load_config};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Origin, Summary};
use crate::report::{self, ValidateReport};
use crate::source::git;

/// Applies profile, configured severities and flags to the raw diagnostics.
pub fn select(
    diags: Vec<Diagnostic>,
    profile: Profile,
    config: &Config,
    strict_refs: bool,
) -> Vec<Diagnostic> {
    crate::catalog::select::select(diags, profile == Profile::Backstage, config, strict_refs)
}

/// Reads `--known-entities` exports into the configuration: references to them resolve.
pub fn add_known_entities(config: &mut Config, paths: &[PathBuf]) -> Result<(), UsageError> {
    crate::commands::require_paths(paths)?;
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| {
            UsageError(format!(
                "error: --known-entities {}: cannot read it: {e}",
                path.display()
            ))
        })?;
        let known = crate::catalog::known::parse(&text).map_err(|e| {
            UsageError(format!(
                "error: --known-entities {}:{e} (expected the JSON of /api/catalog/entities, NDJSON of entities, or `callboard catalog query --format ndjson`)",
                path.display()
            ))
        })?;
        config.external.known.extend(known);
    }
    Ok(())
}

/// What a validation run needs before it loads the catalog.
pub(super) struct Setup {
    pub cwd: PathBuf,
    pub start: PathBuf,
    pub config: Config,
    changed: Option<std::collections::HashSet<PathBuf>>,
    base: Option<git::ExportedRevision>,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<Outcome> {
    if args.fix {
        return super::validate_fix::run(args);
    }
    let setup = setup(args)?;
    let targets =
        crate::commands::report_targets(args.format, args.output.file.as_deref(), &args.report)?;
    let (_, report) = evaluate(args, &setup, false)?;
    render(args, &targets, &report)?;
    Ok(gate(args, &report))
}

/// The configuration, `--known-entities`, `--changed-since` and `--base`, checked before
/// anything is loaded.
pub(super) fn setup(args: &ValidateArgs) -> anyhow::Result<Setup> {
    crate::commands::require_paths(&args.paths)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    // The repository (for .callboard.yaml and --changed-since) is the one around the first path.
    let start = crate::commands::start_dir(&args.paths, &cwd);
    let mut config = load_config(args.config.file.as_ref(), &start)?;
    add_known_entities(&mut config, &args.known_entities)?;
    let changed = match &args.changed_since {
        Some(reference) => Some(
            git::changed_since(&start, reference)
                .map_err(|e| UsageError(format!("error: --changed-since: {e}")))?,
        ),
        None => None,
    };

    let base = match &args.base {
        Some(rev) => Some(
            git::export_revision(&start, rev)
                .map_err(|e| UsageError(format!("error: --base: {e}")))?,
        ),
        None => None,
    };
    Ok(Setup {
        cwd,
        start,
        config,
        changed,
        base,
    })
}

/// Loads the catalog and selects the findings to report (`keep`: keep every file's text and
/// documents, for fixes).
pub(super) fn evaluate(
    args: &ValidateArgs,
    setup: &Setup,
    keep: bool,
) -> anyhow::Result<(Catalog, ValidateReport)> {
    let Setup {
        cwd,
        start,
        config,
        changed,
        base,
    } = setup;
    let mut catalog = Catalog::load(&LoadOptions {
        paths: &args.paths,
        config,
        keep_documents: keep,
        keep_text: keep,
    });

    if let Some(rules) = catalog_rules(args, start)? {
        let not_allowed = crate::catalog::rules::check(&catalog, &rules);
        catalog.add_findings(not_allowed);
    }
    let mut diagnostics = select(
        catalog.all_diagnostics(),
        args.profile,
        config,
        args.strict_refs,
    );
    let directives: Vec<_> = catalog
        .files
        .iter()
        .filter(|(_, f)| !f.suppressions.is_empty())
        .map(|(path, f)| crate::catalog::suppress::FileDirectives {
            path,
            directives: &f.suppressions,
        })
        .collect();
    let active = |code: Code| {
        crate::catalog::select::reported(code, args.profile == Profile::Backstage, config)
    };
    let unused =
        crate::catalog::suppress::apply(&mut diagnostics, &directives, config, cwd, active);
    if active(Code::UnusedSuppression) {
        diagnostics.extend(select(unused, args.profile, config, false));
        crate::diag::sort(&mut diagnostics);
    }
    if let Some(at) = base {
        mark_existing(&mut diagnostics, at, args, config, cwd);
    }
    if let Some(changed) = changed {
        // Compare canonical paths: the repository may be reached through a symlink.
        let canonical =
            |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let changed: std::collections::HashSet<PathBuf> =
            changed.iter().map(|p| canonical(p)).collect();
        diagnostics.retain(|d| match &d.file {
            _ if d.code.origin() == Origin::Input => true,
            Some(f) => changed.contains(&canonical(&cwd.join(f))),
            None => true,
        });
    }
    let mut sources = HashMap::new();
    for d in &diagnostics {
        if let Some(f) = &d.file
            && !sources.contains_key(f)
            && let Some(text) = catalog
                .files
                .get(f)
                .and_then(|r| r.text.clone())
                .or_else(|| text_for_code_frames(f))
        {
            sources.insert(f.clone(), text);
        }
    }
    let report = ValidateReport {
        files: catalog.files.len(),
        entities: catalog.entity_count(),
        diagnostics,
        sources,
        cwd: cwd.clone(),
        base: args.base.clone(),
        fix: None,
    };
    Ok((catalog, report))
}

/// Renders the report in every format asked for and writes it.
pub(super) fn render(
    args: &ValidateArgs,
    targets: &[crate::commands::ReportTarget<Format>],
    report: &ValidateReport,
) -> anyhow::Result<()> {
    crate::commands::write_reports(targets, |target| match target.format {
        Format::Human => {
            let color = match args.color {
                // Colour is for a terminal: never in a --report file.
                _ if target.path.is_some() && args.output.file.as_ref() != target.path.as_ref() => {
                    false
                }
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                // anstream's rule: a terminal, NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb.
                ColorChoice::Auto => {
                    target.path.is_none()
                        && anstream::AutoStream::choice(&std::io::stdout())
                            != anstream::ColorChoice::Never
                }
            };
            report::human::render(report, color)
        }
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(report),
        Format::Github => report::github::render(report),
        Format::Markdown => report::human::markdown(report, target.limit),
    })
}

/// Whether the findings fail the run. With --base, only what the change introduces counts.
pub(super) fn gate(args: &ValidateArgs, report: &ValidateReport) -> Outcome {
    let summary = Summary::of_new(&report.diagnostics);
    if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}

/// The portal's catalog rules: from `--app-config`, else `app-config*.yaml` at the repository
/// root (`app-config.yaml` first, then the others by name, later ones replacing earlier
/// `catalog.rules`/`catalog.locations`), unless `--no-app-config`.
fn catalog_rules(
    args: &ValidateArgs,
    start: &std::path::Path,
) -> Result<Option<crate::catalog::rules::CatalogRules>, UsageError> {
    let files = if !args.app_config.is_empty() {
        crate::commands::require_paths(&args.app_config)?;
        args.app_config.clone()
    } else if args.no_app_config {
        return Ok(None);
    } else {
        let root = crate::catalog::load::confinement_root(start, None);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&root)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.is_file()
                            && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                                n == "app-config.yaml"
                                    || (n.starts_with("app-config.") && n.ends_with(".yaml"))
                            })
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by_key(|p| (p.file_name() != Some("app-config.yaml".as_ref()), p.clone()));
        // Found in the repository, these are its content: read only inside it.
        for path in &found {
            if let Err(e) = crate::fs::confine_file(&root, path) {
                return Err(UsageError(format!(
                    "error: {}: {e}; pass the portal's app-config with --app-config, or --no-app-config",
                    path.display()
                )));
            }
        }
        found
    };
    let Some(first) = files.first() else {
        return Ok(None);
    };
    // File targets in catalog.locations are relative to the backend's working directory.
    let dir = first.parent().unwrap_or(std::path::Path::new("."));
    let backend = [dir.join("packages/backend"), dir.to_path_buf()]
        .into_iter()
        .find(|d| d.is_dir())
        .unwrap_or_default();
    let backend = std::path::absolute(&backend).unwrap_or(backend);
    crate::catalog::rules::CatalogRules::read(&files, &backend)
        .map(Some)
        .map_err(|e| UsageError(format!("error: app-config {e}")))
}

/// The text of a file a finding points at but the loader did not keep (an oversized file, an
/// ignore file): only a regular file within the catalog file size limit, so a code frame never
/// costs a read of a huge file or a device.
fn text_for_code_frames(path: &std::path::Path) -> Option<std::sync::Arc<str>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > crate::catalog::load::MAX_FILE_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok().map(Into::into)
}

/// Marks every finding new or existing against the base revision: the same PATHS there, the
/// same configuration, profile and flags.
fn mark_existing(
    diagnostics: &mut [Diagnostic],
    at: &git::ExportedRevision,
    args: &ValidateArgs,
    config: &Config,
    cwd: &std::path::Path,
) {
    let paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter_map(|p| at.rebase(&cwd.join(p)))
        .filter(|p| p.exists())
        .collect();
    let at_base = if paths.is_empty() {
        Vec::new()
    } else {
        let catalog = Catalog::load(&LoadOptions {
            paths: &paths,
            config,
            keep_documents: false,
            keep_text: false,
        });
        select(
            catalog.all_diagnostics(),
            args.profile,
            config,
            args.strict_refs,
        )
    };
    // Files compare by their path in the repository, at either revision.
    let in_repository = |f: &std::path::Path| {
        let abs = crate::fs::lexical_normalize(&cwd.join(f));
        let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
        abs.strip_prefix(&at.tree)
            .or_else(|_| abs.strip_prefix(&at.workdir))
            .unwrap_or(&abs)
            .to_string_lossy()
            .replace('\\', "/")
    };
    crate::diag::mark_baseline(diagnostics, &at_base, in_repository);
}
