//! The git facade: repository root, changes since a revision, work-tree state, provenance of a
//! file, git trees written to disk. The other users of git2 are listed (and held to that list)
//! in tests/architecture.rs.

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

/// The repository containing `start` (searching upwards, like git).
pub fn discover(start: &Path) -> Result<git2::Repository, GitError> {
    git2::Repository::discover(start).map_err(|e| GitError::NotARepository(e.message().to_string()))
}

/// The commit a revision (`main`, `v1.2`, `HEAD~3`, an id) names in `repo`.
pub fn resolve_commit<'r>(
    repo: &'r git2::Repository,
    reference: &str,
) -> Result<git2::Commit<'r>, GitError> {
    repo.revparse_single(reference)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| GitError::UnknownRevision {
            reference: reference.to_string(),
            message: e.message().to_string(),
        })
}

/// Whether `repo`'s work tree differs from HEAD: tracked files changed, staged or not, and
/// with `untracked` also files git does not know (ignored files never count).
pub fn has_changes(repo: &git2::Repository, untracked: bool) -> Result<bool, GitError> {
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(untracked).include_ignored(false);
    Ok(!repo.statuses(Some(&mut opts))?.is_empty())
}

/// Files changed between the merge-base of HEAD and `reference` and the working tree
/// (committed, staged and unstaged changes, plus untracked files), as absolute paths.
pub fn changed_since(start: &Path, reference: &str) -> Result<HashSet<PathBuf>, GitError> {
    let repo = discover(start)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::Other("bare repositories have no files to validate".into()))?
        .to_path_buf();
    let base = resolve_commit(&repo, reference)?;
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

/// Whether the work tree around `start` has uncommitted changes to tracked files, staged or
/// not (`Ok(false)` outside a repository). A repository git cannot read is an error, never
/// "clean".
pub fn work_tree_dirty(start: &Path) -> Result<bool, GitError> {
    let repo = match git2::Repository::discover(start) {
        Ok(repo) => repo,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    has_changes(&repo, false)
}

/// Where a file lives in git: its repository's work tree, HEAD commit and `origin` URL.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub root: PathBuf,
    pub head: Option<String>,
    pub origin: Option<String>,
    /// Uncommitted changes (untracked files included) under the directory asked about.
    pub changed_under: bool,
}

/// The provenance of directory `dir` (absolute), None outside a repository.
pub fn provenance(dir: &Path) -> Option<Provenance> {
    let repo = git2::Repository::discover(dir).ok()?;
    let root = repo.workdir()?.to_path_buf();
    let root = root.canonicalize().unwrap_or(root);
    let changed_under = dir.strip_prefix(&root).ok().is_some_and(|rel| {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true);
        let spec = rel.to_string_lossy().into_owned();
        if !spec.is_empty() {
            options.pathspec(spec);
        }
        repo.statuses(Some(&mut options))
            .map(|s| !s.is_empty())
            .unwrap_or(false)
    });
    Some(Provenance {
        head: repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .map(|c| c.id().to_string()),
        origin: repo
            .find_remote("origin")
            .ok()
            .and_then(|r| r.url().ok().map(String::from)),
        root,
        changed_under,
    })
}

/// What identifies the checkout around a directory: its `origin` remote, the checked-out
/// branch (None when HEAD is detached, as in most CI jobs) and the remote's default branch.
#[derive(Debug, Clone, Default)]
pub struct Checkout {
    pub root: PathBuf,
    pub origin: Option<String>,
    pub branch: Option<String>,
    pub default_branch: Option<String>,
}

/// The checkout containing `start`, if it is in a git work tree.
pub fn checkout(start: &Path) -> Option<Checkout> {
    let repo = git2::Repository::discover(start).ok()?;
    let root = repo.workdir()?.to_path_buf();
    let origin = repo
        .find_remote("origin")
        .ok()
        .and_then(|r| r.url().ok().map(String::from));
    // A symbolic reference's target (`refs/heads/main`), when it is one.
    let target_of = |name: &str| -> Option<String> {
        let reference = repo.find_reference(name).ok()?;
        reference.symbolic_target().ok().flatten().map(String::from)
    };
    let branch = match repo.head() {
        Ok(head) if head.is_branch() => head.shorthand().ok().map(String::from),
        Ok(_) => None,
        // An unborn branch (no commit yet) still names the branch.
        Err(_) => target_of("HEAD").and_then(|t| t.strip_prefix("refs/heads/").map(String::from)),
    };
    let default_branch = target_of("refs/remotes/origin/HEAD")
        .and_then(|t| t.strip_prefix("refs/remotes/origin/").map(String::from));
    Some(Checkout {
        root,
        origin,
        branch,
        default_branch,
    })
}

/// The top of the work tree containing `start`, if any.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    git2::Repository::discover(start)
        .ok()?
        .workdir()
        .map(Path::to_path_buf)
}

/// Writes one git tree under `dir` (modes and links kept, submodules left out) after checking
/// its entries as git fsck would (see [`crate::fs::check_tree_entries`]); no write leaves the
/// guard's root.
pub fn write_tree(
    repo: &git2::Repository,
    guard: &crate::fs::Confined,
    tree: &git2::Tree<'_>,
    dir: &Path,
) -> Result<(), String> {
    let at = dir
        .strip_prefix(guard.root())
        .unwrap_or(dir)
        .to_string_lossy()
        .replace('\\', "/");
    crate::fs::check_tree_entries(tree.iter().map(|e| e.name_bytes().to_vec()), &at)?;
    guard.create_dir_all(dir).map_err(|e| e.to_string())?;
    for entry in tree.iter() {
        let name = entry
            .name()
            .map_err(|_| "a file name that is not UTF-8".to_string())?;
        write_entry(repo, guard, &entry, &dir.join(name))?;
    }
    Ok(())
}

pub fn write_entry(
    repo: &git2::Repository,
    guard: &crate::fs::Confined,
    entry: &git2::TreeEntry<'_>,
    path: &Path,
) -> Result<(), String> {
    let object = entry.to_object(repo).map_err(|e| e.message().to_string())?;
    match entry.filemode() {
        0o040000 => write_tree(
            repo,
            guard,
            &object.peel_to_tree().map_err(|e| e.message().to_string())?,
            path,
        ),
        0o120000 => {
            let blob = object.peel_to_blob().map_err(|e| e.message().to_string())?;
            let target = String::from_utf8_lossy(blob.content()).into_owned();
            // Extracting an overlapping directory again replaces the link. Without symbolic
            // links (Windows) the entry is left out, as git does with core.symlinks=false
            // minus the stand-in file.
            if cfg!(unix) {
                guard
                    .symlink(Path::new(&target), path)
                    .map_err(|e| e.to_string())
            } else {
                Ok(())
            }
        }
        0o160000 => Ok(()),
        mode => {
            let blob = object.peel_to_blob().map_err(|e| e.message().to_string())?;
            let file_mode = if mode == 0o100755 { 0o755 } else { 0o644 };
            guard
                .write_file_exact(path, blob.content(), file_mode)
                .map_err(|e| e.to_string())
        }
    }
}

/// The most a revision exported by [`export_revision`] may hold: files and symbolic links, and
/// their bytes together. A checkout of the same revision would be as large; the bound keeps a
/// pathological history from filling the temporary directory.
pub const MAX_EXPORT_ENTRIES: usize = 200_000;
pub const MAX_EXPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A revision's files, written from git objects into a temporary directory that is removed
/// when this is dropped. The repository, its index and its work tree are not touched.
pub struct ExportedRevision {
    _dir: tempfile::TempDir,
    /// Where the revision's files are (canonical): read it as that revision's work tree.
    pub tree: PathBuf,
    /// The commit the revision names (full hex id).
    pub commit: String,
    /// The work tree of the repository (canonical), to map paths into `tree`.
    pub workdir: PathBuf,
}

impl ExportedRevision {
    /// `path` (absolute, in the work tree) at the revision, or None when it is outside the
    /// work tree.
    pub fn rebase(&self, path: &Path) -> Option<PathBuf> {
        let abs =
            std::fs::canonicalize(path).unwrap_or_else(|_| crate::fs::lexical_normalize(path));
        abs.strip_prefix(&self.workdir)
            .ok()
            .map(|rel| self.tree.join(rel))
    }
}

/// Writes the files of revision `rev` of the repository around `start` into a fresh temporary
/// directory, as `adoption report --compare` does (entries checked as git fsck would, no write
/// leaving the directory, submodules left out); refused beyond [`MAX_EXPORT_ENTRIES`] or
/// [`MAX_EXPORT_BYTES`].
pub fn export_revision(start: &Path, rev: &str) -> Result<ExportedRevision, GitError> {
    export_within(start, rev, MAX_EXPORT_ENTRIES, MAX_EXPORT_BYTES)
}

fn export_within(
    start: &Path,
    rev: &str,
    max_entries: usize,
    max_bytes: u64,
) -> Result<ExportedRevision, GitError> {
    let repo = git2::Repository::discover(start)
        .map_err(|e| GitError::NotARepository(e.message().to_string()))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::Other("the repository has no work tree".into()))?;
    let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
    let commit = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| GitError::UnknownRevision {
            reference: rev.to_string(),
            message: format!(
                "{}{}",
                e.message(),
                if repo.is_shallow() {
                    "; the clone is shallow: fetch that revision or full history (fetch-depth: 0)"
                } else {
                    ""
                }
            ),
        })?;
    let tree = commit.tree()?;
    let odb = repo.odb()?;
    let (mut entries, mut bytes) = (0usize, 0u64);
    let mut too_large = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            entries += 1;
            bytes += odb
                .read_header(entry.id())
                .map_or(0, |(size, _)| size as u64);
            if entries > max_entries || bytes > max_bytes {
                too_large = Some(());
                return git2::TreeWalkResult::Abort;
            }
        }
        git2::TreeWalkResult::Ok
    })
    .or_else(|e| if too_large.is_some() { Ok(()) } else { Err(e) })?;
    if too_large.is_some() {
        return Err(GitError::Other(format!(
            "`{rev}` holds more than {max_entries} files or {max_bytes} bytes; callboard reads at most that much of a revision"
        )));
    }
    let dir = tempfile::Builder::new()
        .prefix("callboard-base-")
        .tempdir()
        .map_err(|e| GitError::Other(format!("cannot create a temporary directory: {e}")))?;
    let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|_| dir.path().to_path_buf());
    let at = root.join("tree");
    let guard = crate::fs::Confined::new(&root, "the temporary directory");
    write_tree(&repo, &guard, &tree, &at).map_err(GitError::Other)?;
    Ok(ExportedRevision {
        commit: commit.id().to_string(),
        tree: at,
        workdir,
        _dir: dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with one commit of `files` (name, content).
    fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(tmp.path()).unwrap();
        let mut index = repo.index().unwrap();
        for (name, text) in files {
            std::fs::write(tmp.path().join(name), text).unwrap();
            index.add_path(Path::new(name)).unwrap();
        }
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let who = git2::Signature::now("t", "t@t").unwrap();
        repo.commit(Some("HEAD"), &who, &who, "base", &tree, &[])
            .unwrap();
        tmp
    }

    #[test]
    fn a_revision_is_exported_without_touching_the_work_tree() {
        let tmp = repository(&[("a.yaml", "a: 1\n"), ("b.yaml", "b: 2\n")]);
        std::fs::write(tmp.path().join("a.yaml"), "changed\n").unwrap();
        let at = export_revision(tmp.path(), "HEAD").unwrap();
        assert_eq!(
            std::fs::read_to_string(at.tree.join("a.yaml")).unwrap(),
            "a: 1\n"
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("a.yaml")).unwrap(),
            "changed\n"
        );
        assert_eq!(
            at.rebase(&tmp.path().join("b.yaml")),
            Some(at.tree.join("b.yaml"))
        );
        let dir = at.tree.clone();
        drop(at);
        assert!(!dir.exists(), "the temporary directory is removed");
    }

    #[test]
    fn a_revision_over_the_limits_or_unknown_is_refused() {
        let tmp = repository(&[("a.yaml", "a: 1\n"), ("b.yaml", "b: 2\n")]);
        let too_many = export_within(tmp.path(), "HEAD", 1, u64::MAX)
            .err()
            .unwrap();
        assert!(
            too_many.to_string().contains("more than 1 files"),
            "{too_many}"
        );
        let too_big = export_within(tmp.path(), "HEAD", 10, 6).err().unwrap();
        assert!(too_big.to_string().contains("6 bytes"), "{too_big}");
        assert!(export_within(tmp.path(), "HEAD", 2, 10).is_ok());
        let unknown = export_revision(tmp.path(), "nope").err().unwrap();
        assert!(
            matches!(unknown, GitError::UnknownRevision { .. }),
            "{unknown}"
        );
    }
}
