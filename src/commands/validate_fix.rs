//! `catalog validate --fix`: every finding with one obvious fix, fixed by a minimal edit. A dry
//! run prints the diff; `--write` applies every file in one guarded transaction (the bulk
//! commands' writer), then validates again and reports what remains.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::validate::{self, Setup};
use crate::bulk::{self, FileChange, Refusal, ops::Change};
use crate::catalog::Catalog;
use crate::cli::{Format, ValidateArgs};
use crate::commands::{Outcome, UsageError, to_stderr, write_output};
use crate::diag::{Severity, Summary};
use crate::fix::{self, Fix, Fixer};
use crate::report::bulk::WriteStatus;
use crate::report::fix::FixReport;

pub fn run(args: &ValidateArgs) -> anyhow::Result<Outcome> {
    if !matches!(args.format, Format::Human | Format::Json) {
        return Err(UsageError(
            "error: --fix prints a diff (--format human) or JSON (--format json)".into(),
        )
        .into());
    }
    if args.output.file.is_some() || !args.report.reports.is_empty() {
        return Err(UsageError(
            "error: --fix writes to standard output; --output and --report are not taken with it"
                .into(),
        )
        .into());
    }
    let setup = validate::setup(args)?;
    if args.write {
        // Before reading anything: a batch an earlier run left half done is finished first.
        super::recover_interrupted_write(&setup.start)?;
    }
    let (catalog, mut report) = validate::evaluate(args, &setup, true)?;
    let fixer = Fixer::new(&catalog, &setup.config);
    let plan = fixer.plan(&report.diagnostics);
    let root = super::journal_place(&setup.start).root;
    let (changes, refusals) = file_changes(&catalog, &plan.fixes, &root);
    let rechecked = bulk::recheck(&changes, &setup.config);
    let mut new_errors = bulk::new_errors(&rechecked);
    new_errors.extend(bulk::new_duplicates(&catalog, &changes, &rechecked));
    drop(rechecked);
    let status = write_status(args, &setup, &changes, &refusals, &new_errors);
    // Findings no planned fix touches, for the dry run's note.
    let unfixed = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none() && d.severity != Severity::Note)
        .filter(|d| {
            fixer
                .fix(d)
                .is_none_or(|f| !plan.fixes.iter().any(|p| p.edits == f.edits))
        })
        .count();
    let written = status == WriteStatus::Written;
    if written {
        // What remains is what the files now say.
        report = validate::evaluate(args, &setup, false)?.1;
    }
    let outcome = match &status {
        WriteStatus::Dirty | WriteStatus::DirtyUnknown(_) => Outcome::UsageError,
        WriteStatus::Failed(_) => Outcome::Failure,
        WriteStatus::Refused | WriteStatus::NewErrors => Outcome::Problems,
        // A dry run that would change something reports it.
        WriteStatus::DryRun if !plan.fixes.is_empty() || !refusals.is_empty() => Outcome::Problems,
        // Fixes left for a second run are findings that remain.
        _ if !plan.skipped.is_empty() => Outcome::Problems,
        // Any error or warning left (notes never fail a run; with --base, only new ones).
        _ => {
            let left = Summary::of_new(&report.diagnostics);
            if left.errors + left.warnings > 0 {
                Outcome::Problems
            } else {
                Outcome::Success
            }
        }
    };
    let fix_report = FixReport {
        fixes: plan.fixes,
        skipped: plan.skipped,
        changes,
        refusals,
        new_errors,
        status,
    };
    // With --write, what remains is reported as without --fix once nothing more is to be
    // written; otherwise the diff is the output.
    let remaining = matches!(
        fix_report.status,
        WriteStatus::Written | WriteStatus::NothingToWrite
    );
    let mut messages = crate::report::fix::messages(&fix_report, &report);
    if !remaining && unfixed > 0 {
        messages.push_str(&format!(
            "{unfixed} other finding{} no automatic fix (run without --fix to see {})\n",
            if unfixed == 1 { " has" } else { "s have" },
            if unfixed == 1 { "it" } else { "them" },
        ));
    }
    match args.format {
        Format::Json => {
            report.fix = Some(fix_report);
            write_output(None, &crate::report::json::render(&report))?;
        }
        _ if remaining => {
            let targets = crate::commands::report_targets(args.format, None, &args.report)?;
            validate::render(args, &targets, &report)?;
        }
        _ => write_output(None, &crate::report::fix::diff(&fix_report, &report))?,
    }
    to_stderr(&messages);
    super::leave(catalog);
    Ok(outcome)
}

/// Whether the fixes are written, and the write when they are (the checks of the bulk
/// commands: nothing refused, no new error, a clean work tree unless `--allow-dirty`).
fn write_status(
    args: &ValidateArgs,
    setup: &Setup,
    changes: &[FileChange],
    refusals: &[Refusal],
    new_errors: &[crate::diag::Diagnostic],
) -> WriteStatus {
    if !args.write {
        WriteStatus::DryRun
    } else if changes.is_empty() && refusals.is_empty() {
        WriteStatus::NothingToWrite
    } else if !refusals.is_empty() {
        WriteStatus::Refused
    } else if !new_errors.is_empty() {
        WriteStatus::NewErrors
    } else {
        match (
            args.allow_dirty,
            crate::source::git::work_tree_dirty(&setup.start),
        ) {
            (false, Ok(true)) => WriteStatus::Dirty,
            (false, Err(e)) => WriteStatus::DirtyUnknown(e.to_string()),
            _ => match bulk::write_all(changes, &super::journal_place(&setup.start)) {
                Ok(()) => WriteStatus::Written,
                Err(e) => WriteStatus::Failed(e),
            },
        }
    }
}

/// The new content of every file the fixes touch, planned on the text the catalog read. A file
/// is refused when a write could not land in it (a link out of the repository, checked before
/// it is read again) or when it changed since.
fn file_changes(catalog: &Catalog, fixes: &[Fix], root: &Path) -> (Vec<FileChange>, Vec<Refusal>) {
    let mut by_file: BTreeMap<&PathBuf, Vec<&Fix>> = BTreeMap::new();
    for f in fixes {
        by_file.entry(&f.file).or_default().push(f);
    }
    let mut changes = Vec::new();
    let mut refusals = Vec::new();
    for (path, fixes) in by_file {
        let refuse = |reason: String| Refusal {
            path: path.clone(),
            entity: String::new(),
            reason,
        };
        if let Err(e) = crate::fs::write_target(path, Some(root)) {
            refusals.push(refuse(e.to_string()));
            continue;
        }
        let Some(text) = catalog.files.get(path).and_then(|r| r.text.as_deref()) else {
            continue;
        };
        let on_disk = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                refusals.push(refuse(format!("cannot read the file: {e}")));
                continue;
            }
        };
        // The catalog reads a file without its byte-order mark; the fixed file keeps it.
        let bom = match on_disk.strip_prefix('\u{feff}') {
            Some(rest) if rest == text => "\u{feff}",
            _ if on_disk == text => "",
            _ => {
                refusals.push(refuse(
                    "the file changed since it was read; run again".to_string(),
                ));
                continue;
            }
        };
        match fix::apply(text, &fixes) {
            Ok(new) => changes.push(FileChange {
                path: path.clone(),
                new: format!("{bom}{new}"),
                old: on_disk,
                created: false,
                deleted: false,
                changes: fixes
                    .iter()
                    .map(|f| {
                        (
                            f.entity.clone().unwrap_or_default(),
                            Change {
                                path: f.code.id().to_string(),
                                old: None,
                                new: Some(f.title.clone()),
                                line: f.line,
                            },
                        )
                    })
                    .collect(),
            }),
            Err(reason) => refusals.push(refuse(reason)),
        }
    }
    (changes, refusals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("catalog-info.yaml");
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  tags: [Java]\nspec:\n  type: team\n  children: []\n";
        std::fs::write(&file, text).unwrap();
        let config = crate::config::Config::default();
        let catalog = Catalog::load(&crate::catalog::LoadOptions {
            paths: &[dir.path().to_path_buf()],
            config: &config,
            keep_documents: true,
            keep_text: true,
        });
        let plan = Fixer::new(&catalog, &config).plan(&catalog.all_diagnostics());
        assert_eq!(plan.fixes.len(), 1);
        let (changes, refusals) = file_changes(&catalog, &plan.fixes, dir.path());
        assert_eq!((changes.len(), refusals.len()), (1, 0));
        assert!(changes[0].new.contains("tags: [java]"));
        // With a byte-order mark the fixed file keeps it.
        std::fs::write(&file, format!("\u{feff}{text}")).unwrap();
        let (changes, _) = file_changes(&catalog, &plan.fixes, dir.path());
        assert!(changes[0].new.starts_with('\u{feff}'));
        std::fs::write(&file, text.replace("team-a", "team-b")).unwrap();
        let (changes, refusals) = file_changes(&catalog, &plan.fixes, dir.path());
        assert!(changes.is_empty());
        assert!(refusals[0].reason.contains("changed since it was read"));
    }
}
