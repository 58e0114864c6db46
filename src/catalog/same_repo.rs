//! Absolute URLs into the repository being checked (`$yaml: https://github.com/ORG/REPO/blob/
//! main/templates/x/steps/publish.yaml`, Location targets listed by full URL): read from the
//! working tree and checked exactly as a relative path would be.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::source::git;
use crate::source::scm_url::{self, RepoId};

/// The repository around the files loaded, found the first time a URL asks (most catalogs
/// have none, and finding it opens the git repository).
#[derive(Debug)]
pub struct SameRepository {
    start: PathBuf,
    /// `repository:` of `.callboard.yaml`, which wins over the `origin` remote.
    configured: Option<String>,
    identity: OnceLock<Option<Identity>>,
}

#[derive(Debug)]
struct Identity {
    id: RepoId,
    root: PathBuf,
    /// Branches whose URLs name the working tree: the checked-out one and the remote's
    /// default; empty when HEAD is detached (a CI checkout), which accepts any branch.
    branches: Vec<String>,
    /// The branch a file's own URL names: the checked-out one, else the remote's default,
    /// else `main`.
    url_branch: String,
}

impl SameRepository {
    pub fn new(start: &Path, configured: Option<&str>) -> SameRepository {
        SameRepository {
            start: start.to_path_buf(),
            configured: configured.map(str::to_string),
            identity: OnceLock::new(),
        }
    }

    fn identity(&self) -> Option<&Identity> {
        self.identity
            .get_or_init(|| {
                let checkout = git::checkout(&self.start)?;
                let remote = self.configured.as_deref().or(checkout.origin.as_deref())?;
                let id = RepoId::from_remote(remote)?;
                let url_branch = checkout
                    .branch
                    .clone()
                    .or_else(|| checkout.default_branch.clone())
                    .unwrap_or_else(|| "main".to_string());
                let branches = match &checkout.branch {
                    None => Vec::new(),
                    Some(b) => std::iter::once(b.clone())
                        .chain(checkout.default_branch.clone())
                        .collect(),
                };
                Some(Identity {
                    id,
                    root: checkout.root,
                    branches,
                    url_branch,
                })
            })
            .as_ref()
    }

    /// The working-tree file an absolute URL names, when it points into this repository on a
    /// branch the working tree stands for; None for any other URL.
    pub fn local_path(&self, url: &str) -> Option<PathBuf> {
        let file = scm_url::parse_file_url(url)?;
        let identity = self.identity()?;
        if file.repo != identity.id {
            return None;
        }
        let branch_ok = match &file.branch {
            None => true,
            Some(b) => identity.branches.is_empty() || identity.branches.contains(b),
        };
        branch_ok.then(|| identity.root.join(&file.path))
    }

    /// The URL of a working-tree file (absolute path) in this repository's host's shape.
    pub fn file_url(&self, path: &Path) -> Option<String> {
        let identity = self.identity()?;
        let root = crate::fs::lexical_normalize(&identity.root);
        let relative = path.strip_prefix(&root).ok()?;
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let (host, repo, branch) = (&identity.id.host, &identity.id.path, &identity.url_branch);
        Some(scm_url::file_url(host, repo, branch, &relative))
    }

    /// [`SameRepository::local_path`] written as a target relative to `dir` (`./a/b.yaml`,
    /// `../c.yaml`), so a file reached by URL and by the walk is one file.
    pub fn local_target(&self, url: &str, dir: &Path) -> Option<String> {
        let path = self.local_path(url)?;
        let cwd = std::env::current_dir().ok()?;
        let dir = crate::fs::lexical_normalize(&cwd.join(dir));
        let path = crate::fs::lexical_normalize(&path);
        let common = dir
            .components()
            .zip(path.components())
            .take_while(|(a, b)| a == b)
            .count();
        let mut relative = String::from(".");
        for _ in dir.components().skip(common) {
            relative.push_str("/..");
        }
        for part in path.components().skip(common) {
            relative.push('/');
            relative.push_str(&part.as_os_str().to_string_lossy());
        }
        Some(relative)
    }
}
