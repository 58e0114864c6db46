//! `--compare REV`: the same report computed at another revision of the repository, and the
//! change of every metric since then.
//!
//! The tree of REV's commit is written from git objects into a temporary directory by
//! [`crate::source::git::export_revision`], as `score --base` reads its base (nothing in the
//! repository, its index or its work tree changes), and the report runs there as it would
//! on a checkout of REV: the snapshot, catalog health and scorecards from those files, the
//! history from REV's first-parent chain, the as-of date from REV's commit. The configuration,
//! the usage files and the platform teams are the current ones, so both reports measure the
//! same way.

use std::path::{Path, PathBuf};

use git2::Oid;

use super::verdict::Confidence;
use super::{Options, Report, Unit, UsageProblem, run};

/// The report at REV, as far as the comparison needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// REV as given.
    pub rev: String,
    /// The commit REV names.
    pub commit: String,
    /// The as-of date of the report at REV (its commit's date).
    pub as_of: Option<String>,
    pub phase: Option<u8>,
    pub band: Option<u8>,
    pub adoption: Option<f64>,
    pub confidence: Confidence,
    /// Every metric of either report, sorted by id.
    pub metrics: Vec<Delta>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    pub id: String,
    pub unit: Unit,
    /// The value at REV (None: unknown there, or no such metric).
    pub base: Option<f64>,
    /// Now minus at REV; None when either is unknown.
    pub delta: Option<f64>,
}

impl Comparison {
    pub fn delta(&self, id: &str) -> Option<&Delta> {
        self.metrics.iter().find(|d| d.id == id)
    }
}

/// The comparison of `now` with `base` (the report at `rev`, commit `commit`).
pub fn compare(now: &Report, base: &Report, rev: &str, commit: &str) -> Comparison {
    let mut metrics: Vec<Delta> = now
        .metrics
        .iter()
        .map(|m| {
            let b = base.metric(&m.id);
            Delta {
                id: m.id.clone(),
                unit: m.unit,
                base: b,
                delta: m.value.zip(b).map(|(x, y)| x - y),
            }
        })
        .collect();
    for m in &base.metrics {
        if !now.metrics.iter().any(|n| n.id == m.id) {
            metrics.push(Delta {
                id: m.id.clone(),
                unit: m.unit,
                base: m.value,
                delta: None,
            });
        }
    }
    metrics.sort_by(|a, b| a.id.cmp(&b.id));
    Comparison {
        rev: rev.to_string(),
        commit: commit.to_string(),
        as_of: base.as_of.clone(),
        phase: base.verdict.phase,
        band: base.verdict.band,
        adoption: base.verdict.adoption,
        confidence: base.verdict.confidence,
        metrics,
    }
}

/// Where a run reads the repository when it is not the working tree: the repository around
/// `repo`, HEAD taken to be `commit`, its files written under `tree`.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub repo: &'a Path,
    pub commit: Oid,
    pub tree: &'a Path,
}

/// The report of `opts` with a comparison against the report at `rev`.
pub fn run_with_compare(opts: &Options<'_>, rev: &str) -> Result<Report, UsageProblem> {
    let problem = |why: String| UsageProblem(format!("--compare {rev}: {why}"));
    // REV's files, written from git objects into a temporary directory (removed on drop).
    let exported = crate::source::git::export_revision(opts.start, rev).map_err(|e| match e {
        crate::source::git::GitError::UnknownRevision { message, .. } => {
            problem(format!("not a commit of this repository ({message})"))
        }
        other => problem(other.to_string()),
    })?;
    let commit = Oid::from_str(&exported.commit).map_err(|e| problem(e.message().to_string()))?;
    let now = run(opts)?;
    let tree_dir = exported.tree.clone();

    // The same PATHS, inside the exported tree.
    let root = exported.workdir.clone();
    let rebase = |p: &Path| -> Result<PathBuf, UsageProblem> {
        let abs = std::fs::canonicalize(opts.cwd.join(p))
            .map_err(|e| problem(format!("{}: {e}", p.display())))?;
        let rel = abs
            .strip_prefix(&root)
            .map_err(|_| problem(format!("{} is outside the repository", p.display())))?;
        let there = tree_dir.join(rel);
        if !there.exists() {
            return Err(problem(format!("{} does not exist at {rev}", p.display())));
        }
        Ok(there)
    };
    let paths = opts
        .paths
        .iter()
        .map(|p| rebase(p))
        .collect::<Result<Vec<_>, _>>()?;
    let start = rebase(opts.start)?;
    let base = run(&Options {
        paths: &paths,
        cwd: &tree_dir,
        start: &start,
        as_of: None,
        at: Some(At {
            repo: &root,
            commit,
            tree: &tree_dir,
        }),
        ..*opts
    })
    .map_err(|p| problem(p.0))?;
    let mut now = now;
    now.compare = Some(compare(&now, &base, rev, &exported.commit));
    Ok(now)
}
