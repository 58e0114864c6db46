//! The only user of git2: a thin facade so the rest of callboard never touches libgit2 directly.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum GitError {
    #[error("not inside a git repository ({0})")]
    NotARepository(String),
    #[error("cannot resolve `{reference}`: {message}")]
    UnknownRevision { reference: String, message: String },
    #[error(
        "no merge-base between HEAD and `{reference}`; the clone is probably shallow: fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)"
    )]
    NoMergeBase { reference: String },
    #[error("git: {0}")]
    Other(String),
}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        GitError::Other(e.message().to_string())
    }
}

/// Files changed between the merge-base of HEAD and `reference` and the working tree
/// (committed, staged and unstaged changes, plus untracked files), as absolute paths.
pub fn changed_since(start: &Path, reference: &str) -> Result<HashSet<PathBuf>, GitError> {
    let repo = git2::Repository::discover(start)
        .map_err(|e| GitError::NotARepository(e.message().to_string()))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::Other("bare repositories have no files to validate".into()))?
        .to_path_buf();
    let base = repo
        .revparse_single(reference)
        .map_err(|e| GitError::UnknownRevision {
            reference: reference.to_string(),
            message: e.message().to_string(),
        })?
        .peel_to_commit()?;
    let head = repo.head()?.peel_to_commit()?;
    let merge_base = repo
        .merge_base(base.id(), head.id())
        .map_err(|_| GitError::NoMergeBase {
            reference: reference.to_string(),
        })?;
    let base_tree = repo.find_commit(merge_base)?.tree()?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let diff = repo.diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut opts))?;
    let mut out = HashSet::new();
    for delta in diff.deltas() {
        if let Some(p) = delta.new_file().path() {
            out.insert(workdir.join(p));
        }
    }
    Ok(out)
}

/// The work tree and git directory of the repository containing `start`, if any.
pub fn repository_dirs(start: &Path) -> Option<(PathBuf, PathBuf)> {
    let repo = git2::Repository::discover(start).ok()?;
    Some((repo.workdir()?.to_path_buf(), repo.path().to_path_buf()))
}

/// The top of the work tree containing `start`, if any.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    git2::Repository::discover(start)
        .ok()?
        .workdir()
        .map(Path::to_path_buf)
}
