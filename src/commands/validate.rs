//! `callboard catalog validate`.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;

use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{ColorChoice, Format, Profile, ValidateArgs};
use crate::commands::{Outcome, UsageError, load_config, write_output};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Origin, Severity};
use crate::report::{self, ValidateReport};
use crate::source::git;

/// Applies profile, configured severities and flags to the raw diagnostics.
pub fn select(
    diags: Vec<Diagnostic>,
    profile: Profile,
    config: &Config,
    strict_refs: bool,
) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| profile == Profile::Recommended || d.code.origin() != Origin::Callboard)
        .filter_map(|mut d| {
            d.severity = if profile == Profile::Backstage {
                d.code.default_severity()
            } else {
                config.severity_of(d.code)?
            };
            if strict_refs && d.code == Code::UnresolvedRef {
                d.severity = Severity::Error;
            }
            // Backstage reads such a file lossily and judges the rest: so does this profile,
            // with the bytes named as a warning.
            if profile == Profile::Backstage && d.code == Code::FileNotUtf8 {
                d.severity = Severity::Warning;
            }
            Some(d)
        })
        .collect()
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<Outcome> {
    crate::commands::require_paths(&args.paths)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    // The repository (for .callboard.yaml and --changed-since) is the one around the first path.
    let start = crate::commands::start_dir(&args.paths, &cwd);
    let config = load_config(args.config.as_ref(), &start)?;
    let changed = match &args.changed_since {
        Some(reference) => Some(
            git::changed_since(&start, reference)
                .map_err(|e| UsageError(format!("error: --changed-since: {e}")))?,
        ),
        None => None,
    };

    let catalog = Catalog::load(&LoadOptions {
        paths: &args.paths,
        config: &config,
        keep_documents: false,
        keep_text: false,
    });

    let mut diagnostics = select(
        catalog.all_diagnostics(),
        args.profile,
        &config,
        args.strict_refs,
    );
    if let Some(changed) = &changed {
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
        cwd,
    };
    let rendered = match args.format {
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                // anstream's rule: a terminal, NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb.
                ColorChoice::Auto => {
                    args.output.is_none()
                        && anstream::AutoStream::choice(&std::io::stdout())
                            != anstream::ColorChoice::Never
                }
            };
            report::human::render(&report, color)
        }
        Format::Json => report::json::render(&report),
        Format::Sarif => report::sarif::render(&report),
        Format::Github => report::github::render(&report),
    };
    write_output(args.output.as_deref(), &rendered)?;
    let summary = report.summary();
    Ok(
        if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
            Outcome::Problems
        } else {
            Outcome::Success
        },
    )
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
