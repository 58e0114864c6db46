//! Where fact values come from: the entity, the catalog, the repository's files, git history.
//! Everything is offline; a value that cannot be known is `Unknown` with the reason, never a
//! silent pass.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};
use globset::GlobBuilder;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde_json::Value as J;

use crate::catalog::entity_ref::EntityRef;
use crate::catalog::index::{Relations, Teams};
use crate::dates;
use crate::fs::{MAX_CONTENT_FILE_BYTES, ReadError};
use crate::yaml::Node;

/// An entity being scored.
pub struct EntityInput<'a> {
    pub reference: &'a EntityRef,
    /// As displayed (relative to the current directory).
    pub file: &'a Path,
    pub root: &'a Node,
}

impl EntityInput<'_> {
    /// The directory the entity lives in (its catalog file's directory).
    pub fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new(""))
    }
}

/// Who is in the catalog: for reference, ownership and relation facts. Teams and relations
/// come from the catalog (or, for history, teams from the same relations read off each
/// period's documents; relation facts are not evaluated there).
#[derive(Default)]
pub struct CatalogIndex<'a> {
    refs: HashSet<String>,
    teams: Teams,
    relations: Relations,
    /// Each entity's document, for facts about a related entity (`owner.<path>`).
    roots: HashMap<EntityRef, &'a Node>,
}

impl<'a> CatalogIndex<'a> {
    pub fn new<'r>(references: impl Iterator<Item = &'r EntityRef>, teams: Teams) -> Self {
        CatalogIndex {
            refs: references.map(|r| r.to_string()).collect(),
            teams,
            relations: Relations::default(),
            roots: HashMap::new(),
        }
    }

    /// With the catalog's relations and the documents of its entities.
    pub fn with_relations(
        mut self,
        relations: Relations,
        roots: impl Iterator<Item = (&'a EntityRef, &'a Node)>,
    ) -> Self {
        self.relations = relations;
        self.roots = roots.map(|(r, n)| (r.clone(), n)).collect();
        self
    }

    pub fn contains(&self, reference: &EntityRef) -> bool {
        self.refs.contains(reference.as_str())
    }

    /// Members of a group, from its `spec.members` and its users' `spec.memberOf`.
    pub fn member_count(&self, group: &EntityRef) -> usize {
        self.teams.member_count(group)
    }

    pub fn relations(&self) -> &Relations {
        &self.relations
    }

    /// The document of an entity of the catalog.
    pub fn root(&self, reference: &EntityRef) -> Option<&'a Node> {
        self.roots.get(reference).copied()
    }
}

/// Files of the working tree, looked up relative to an entity's directory or the repository root.
pub struct RepoFiles {
    pub root: PathBuf,
    cache: Mutex<HashMap<(PathBuf, String), Vec<String>>>,
    codeowners: OnceLock<Result<Option<Codeowners>, String>>,
    /// `score --history`: the files of a commit, read from git objects instead of the working
    /// tree (paths relative to the repository root, `root` empty).
    commit: Option<CommitFiles>,
}

/// Where GitHub looks for CODEOWNERS, in its order: the first that exists is used.
pub const CODEOWNERS_LOCATIONS: &[&str] = &[".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// A CODEOWNERS file: its entries in order, each a pattern and its owners.
pub struct Codeowners {
    entries: Vec<(Gitignore, Vec<String>)>,
    /// Patterns that match everything (`*`, `**`, `/*`, `/**`): the only ones that cover the
    /// repository root itself, by index into `entries`.
    everything: Vec<bool>,
}

impl Codeowners {
    /// Reads CODEOWNERS text. Lines GitHub rejects (`!` negation, `[` ranges) are skipped, as
    /// GitHub skips them.
    pub fn parse(root: &Path, text: &str) -> Codeowners {
        let mut entries = Vec::new();
        let mut everything = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let Some(pattern) = words.next() else {
                continue;
            };
            if pattern.starts_with('!') || pattern.contains('[') {
                continue;
            }
            let owners: Vec<String> = words
                .take_while(|w| !w.starts_with('#'))
                .map(str::to_string)
                .collect();
            let mut builder = GitignoreBuilder::new(root);
            if builder.add_line(None, pattern).is_err() {
                continue;
            }
            let Ok(matcher) = builder.build() else {
                continue;
            };
            everything.push(matches!(pattern, "*" | "**" | "/*" | "/**"));
            entries.push((matcher, owners));
        }
        Codeowners {
            entries,
            everything,
        }
    }

    /// The owners of the last entry that covers the directory (relative to the repository
    /// root, "" for the root): a pattern matching it or one of its parents. None when no
    /// entry does, or the last one has no owners (which, on GitHub, removes ownership).
    pub fn owners_of_dir(&self, dir: &str) -> Option<&[String]> {
        let covering = self
            .entries
            .iter()
            .zip(&self.everything)
            .rev()
            .find(|((m, _), all)| {
                if dir.is_empty() {
                    **all
                } else {
                    m.matched_path_or_any_parents(dir, true).is_ignore()
                }
            });
        covering
            .map(|((_, owners), _)| owners.as_slice())
            .filter(|o| !o.is_empty())
    }
}

impl RepoFiles {
    pub fn new(root: PathBuf) -> Self {
        RepoFiles {
            root,
            cache: Mutex::new(HashMap::new()),
            codeowners: OnceLock::new(),
            commit: None,
        }
    }

    /// The commit's files, when these are (`score --history`).
    pub fn commit(&self) -> Option<&CommitFiles> {
        self.commit.as_ref()
    }

    /// The files of a commit (`score --history`), read from its objects.
    pub fn at_commit(files: CommitFiles) -> Self {
        RepoFiles {
            commit: Some(files),
            ..RepoFiles::new(PathBuf::new())
        }
    }

    /// The repository's CODEOWNERS (the first of [`CODEOWNERS_LOCATIONS`] that exists), read
    /// once, confined to the repository; None when there is none.
    pub fn codeowners(&self) -> Result<Option<&Codeowners>, String> {
        self.codeowners
            .get_or_init(|| {
                for location in CODEOWNERS_LOCATIONS {
                    let found = self
                        .read(&self.root, location, true)
                        .map_err(|e| e.to_string())?;
                    if let Some(text) = found {
                        return Ok(Some(Codeowners::parse(&self.root, &text)));
                    }
                }
                Ok(None)
            })
            .as_ref()
            .map(Option::as_ref)
            .map_err(Clone::clone)
    }

    /// Paths (relative to the base directory) matching `pattern`; a leading `/` means the repository root.
    pub fn matching(&self, entity_dir: &Path, pattern: &str) -> Vec<String> {
        let (base, pattern) = match pattern.strip_prefix('/') {
            Some(p) => (self.root.clone(), p.to_string()),
            None => (entity_dir.to_path_buf(), pattern.to_string()),
        };
        if let Some(files) = &self.commit {
            return files.matching(&base, &pattern);
        }
        let key = (base.clone(), pattern.clone());
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return hit.clone();
        }
        let found = if pattern.contains(['*', '?', '[', '{']) {
            let Ok(glob) = GlobBuilder::new(&pattern).literal_separator(true).build() else {
                return Vec::new();
            };
            let matcher = glob.compile_matcher();
            let dir = if base.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                base.clone()
            };
            // Without `**` a pattern cannot match deeper than its own number of segments.
            let depth = (!pattern.contains("**")).then(|| pattern.split('/').count());
            // Repository facts look at every file, hidden ones (.github/…) and ignored ones
            // included; only .git itself is skipped.
            let mut out: Vec<String> = ignore::WalkBuilder::new(&dir)
                .standard_filters(false)
                .parents(false)
                .max_depth(depth)
                .filter_entry(|e| e.file_name() != ".git")
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(&dir).ok()?.to_path_buf();
                    matcher
                        .is_match(&rel)
                        .then(|| rel.to_string_lossy().replace('\\', "/"))
                })
                .collect();
            out.sort();
            out
        } else if base.join(&pattern).is_file() || base.join(&pattern).is_symlink() {
            // A link is listed as it is; reading it checks where it leads (see `read`).
            vec![pattern.clone()]
        } else {
            Vec::new()
        };
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, found.clone());
        found
    }

    /// The text of a file the scorecard names: confined to the repository root (real path),
    /// a regular file within the size limit. None when it does not exist; an error (never the
    /// content) when it is outside the repository, not a regular file or too large.
    pub fn read(
        &self,
        entity_dir: &Path,
        relative: &str,
        rooted: bool,
    ) -> Result<Option<String>, crate::fs::ReadError> {
        let base = if rooted {
            self.root.as_path()
        } else {
            entity_dir
        };
        if let Some(files) = &self.commit {
            return files.read(&base.join(relative));
        }
        match crate::fs::read_confined(
            &self.root,
            &base.join(relative),
            crate::fs::MAX_CONTENT_FILE_BYTES,
        ) {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(crate::fs::ReadError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The files of one commit, read from its objects: what `repo.*` facts see at a month end.
/// Paths are relative to the repository root; links are not followed (a link is listed, and
/// reading it is an error, as reading a link out of the working tree is).
pub struct CommitFiles {
    repo: Mutex<Repository>,
    tree: Oid,
    /// Tree ids of directories known up front (the entities' own), so that a lookup under
    /// an entity's directory does not decode the large trees above it again.
    dirs: HashMap<PathBuf, Option<Oid>>,
}

impl CommitFiles {
    pub fn open(git_dir: &Path, commit: Oid) -> Result<CommitFiles, String> {
        let repo = crate::source::git::discover(git_dir).map_err(|e| e.to_string())?;
        let tree = repo
            .find_commit(commit)
            .map_err(|e| e.message().to_string())?
            .tree_id();
        Ok(CommitFiles {
            repo: Mutex::new(repo),
            tree,
            dirs: HashMap::new(),
        })
    }

    /// Learns the tree ids of these directories (see [`dir_trees`]): later lookups under
    /// them do not decode the trees above them again.
    pub fn know_dirs(&mut self, dirs: impl Iterator<Item = PathBuf>) {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let known = dir_trees(&repo, self.tree, dirs);
        drop(repo);
        self.dirs = known;
    }

    /// A hash of a directory's content at this commit (its tree id; "" is the root), for
    /// telling whether files under it changed between two commits.
    pub fn dir_hash(&self, dir: &Path) -> u64 {
        use std::hash::{Hash, Hasher};
        let id = match self.dirs.get(dir) {
            Some(known) => *known,
            None => {
                let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
                self.dir_tree(&repo, dir).map(|t| t.id())
            }
        };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        id.hash(&mut h);
        h.finish()
    }

    /// The YAML files at `path` (the file itself, or the `*.yaml`/`*.yml` files of the
    /// directory, sorted), with their text; empty when there is none. Links are never
    /// followed; each file within the content size limit.
    pub fn yaml_files(&self, path: &Path) -> Result<Vec<(PathBuf, String)>, String> {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let Some(found) = tree_yaml_files(&repo, self.tree, path) else {
            return Ok(Vec::new());
        };
        found
            .into_iter()
            .map(|(file, oid)| Ok((file.clone(), blob_text(&repo, oid, &file)?)))
            .collect()
    }

    /// The tree of a directory: from the known ones, else looked up from the root.
    fn dir_tree<'r>(&self, repo: &'r Repository, dir: &Path) -> Option<git2::Tree<'r>> {
        if let Some(known) = self.dirs.get(dir) {
            return known.and_then(|id| repo.find_tree(id).ok());
        }
        let root = repo.find_tree(self.tree).ok()?;
        if dir.as_os_str().is_empty() {
            return Some(root);
        }
        let entry = root.get_path(dir).ok()?;
        (entry.kind() == Some(ObjectType::Tree))
            .then(|| repo.find_tree(entry.id()).ok())
            .flatten()
    }

    /// A path relative to the root, or None when it leaves the repository.
    fn inside(path: &Path) -> Option<PathBuf> {
        let normal = crate::fs::lexical_normalize(path);
        normal
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
            .then_some(normal)
    }

    pub fn read(&self, path: &Path) -> Result<Option<String>, ReadError> {
        let Some(rel) = Self::inside(path) else {
            return Err(ReadError::Outside {
                path: path.to_path_buf(),
            });
        };
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let io = |e: git2::Error| ReadError::Io {
            path: rel.clone(),
            source: std::io::Error::other(e.message().to_string()),
        };
        let parent = rel.parent().unwrap_or(Path::new(""));
        let Some(tree) = self.dir_tree(&repo, parent) else {
            return Ok(None);
        };
        let entry = match tree.get_path(Path::new(rel.file_name().unwrap_or_default())) {
            Ok(entry) => entry,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        let kind = match (entry.kind(), entry.filemode()) {
            (Some(ObjectType::Blob), 0o120000) => Some("a link"),
            (Some(ObjectType::Blob), _) => None,
            (Some(ObjectType::Tree), _) => Some("a directory"),
            _ => Some("a submodule"),
        };
        if let Some(kind) = kind {
            return Err(ReadError::NotRegular { path: rel, kind });
        }
        let blob = repo.find_blob(entry.id()).map_err(io)?;
        if blob.size() as u64 > MAX_CONTENT_FILE_BYTES {
            return Err(ReadError::TooLarge {
                path: rel,
                limit: MAX_CONTENT_FILE_BYTES,
            });
        }
        Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
    }

    /// Files under `base` matching `pattern` (relative to `base`, `/` separators, sorted),
    /// as `RepoFiles::matching` finds them in a working tree.
    pub fn matching(&self, base: &Path, pattern: &str) -> Vec<String> {
        let Some(base) = Self::inside(base) else {
            return Vec::new();
        };
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tree) = self.dir_tree(&repo, &base) else {
            return Vec::new();
        };
        if !pattern.contains(['*', '?', '[', '{']) {
            let found = tree
                .get_path(Path::new(pattern))
                .is_ok_and(|e| e.kind() == Some(ObjectType::Blob));
            return if found {
                vec![pattern.to_string()]
            } else {
                Vec::new()
            };
        }
        let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
            return Vec::new();
        };
        let matcher = glob.compile_matcher();
        let depth = (!pattern.contains("**")).then(|| pattern.split('/').count());
        let mut out = Vec::new();
        let _ = tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let name = entry.name().unwrap_or_default();
            let level = dir.matches('/').count() + 1;
            if entry.kind() == Some(ObjectType::Tree) {
                return if name == ".git" || depth.is_some_and(|d| level >= d) {
                    TreeWalkResult::Skip
                } else {
                    TreeWalkResult::Ok
                };
            }
            let rel = format!("{dir}{name}");
            if entry.kind() == Some(ObjectType::Blob) && matcher.is_match(&rel) {
                out.push(rel);
            }
            TreeWalkResult::Ok
        });
        out.sort();
        out
    }
}

/// The tree id of every directory the entities are in (None: no such directory). Each
/// parent tree is read once: a `services/` tree of 10,000 entries is decoded once a month, not
/// once per entity (libgit2 does not cache trees that large).
fn dir_trees(
    repo: &Repository,
    root: Oid,
    dirs: impl Iterator<Item = PathBuf>,
) -> HashMap<PathBuf, Option<Oid>> {
    let mut out: HashMap<PathBuf, Option<Oid>> = HashMap::new();
    out.insert(PathBuf::new(), Some(root));
    // Parent directory → its subdirectories by name, read once.
    let mut children: HashMap<PathBuf, HashMap<String, Oid>> = HashMap::new();
    fn resolve(
        repo: &Repository,
        dir: &Path,
        out: &mut HashMap<PathBuf, Option<Oid>>,
        children: &mut HashMap<PathBuf, HashMap<String, Oid>>,
    ) -> Option<Oid> {
        if let Some(id) = out.get(dir) {
            return *id;
        }
        let parent = dir.parent().unwrap_or(Path::new(""));
        let name = dir.file_name()?.to_string_lossy().into_owned();
        let id = match resolve(repo, parent, out, children) {
            Some(parent_id) => children
                .entry(parent.to_path_buf())
                .or_insert_with(|| {
                    repo.find_tree(parent_id)
                        .map(|t| {
                            t.iter()
                                .filter(|e| e.kind() == Some(ObjectType::Tree))
                                .filter_map(|e| Some((e.name().ok()?.to_string(), e.id())))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .get(&name)
                .copied(),
            None => None,
        };
        out.insert(dir.to_path_buf(), id);
        id
    }
    for dir in dirs {
        let dir = crate::fs::lexical_normalize(&dir);
        resolve(repo, &dir, &mut out, &mut children);
    }
    out
}

/// The blobs of a directory of the commit's tree: `*.yaml`/`*.yml` files, sorted by name.
fn tree_yaml_files(repo: &Repository, tree: Oid, dir: &Path) -> Option<Vec<(PathBuf, Oid)>> {
    let tree = repo.find_tree(tree).ok()?;
    let entry = tree.get_path(dir).ok()?;
    match entry.kind() {
        // A link is never followed in history.
        Some(ObjectType::Blob) if entry.filemode() == 0o120000 => None,
        Some(ObjectType::Blob) => Some(vec![(dir.to_path_buf(), entry.id())]),
        Some(ObjectType::Tree) => {
            let sub = repo.find_tree(entry.id()).ok()?;
            let mut files: Vec<(PathBuf, Oid)> = sub
                .iter()
                .filter(|e| e.kind() == Some(ObjectType::Blob) && e.filemode() != 0o120000)
                .filter_map(|e| {
                    let path = dir.join(e.name().ok()?);
                    crate::source::discover::is_yaml(&path).then_some((path, e.id()))
                })
                .collect();
            files.sort();
            Some(files)
        }
        _ => None,
    }
}

/// A blob's text within the content size limit, or why not.
fn blob_text(repo: &Repository, oid: Oid, path: &Path) -> Result<String, String> {
    let blob = repo.find_blob(oid).map_err(|e| e.message().to_string())?;
    if blob.size() as u64 > MAX_CONTENT_FILE_BYTES {
        return Err(format!(
            "{} is larger than the {MAX_CONTENT_FILE_BYTES}-byte limit",
            path.display()
        ));
    }
    Ok(String::from_utf8_lossy(blob.content()).into_owned())
}

/// Commit times per directory, from one walk over the history.
pub struct GitHistory {
    /// Why git facts are unknown (not a repository, shallow clone), if they are.
    pub unavailable: Option<String>,
    /// Directory (relative to the work tree, `/` separators, "" = root) → commit times, newest first.
    times: HashMap<String, Vec<i64>>,
    /// Work-tree root, to relate entity directories to history paths.
    workdir: PathBuf,
}

impl GitHistory {
    pub fn unavailable(reason: impl Into<String>) -> Self {
        GitHistory {
            unavailable: Some(reason.into()),
            times: HashMap::new(),
            workdir: PathBuf::new(),
        }
    }

    /// Walks every commit reachable from HEAD once, recording for each directory the times of
    /// the commits that touched something under it.
    pub fn load(start: &Path) -> Self {
        Self::walk(start, None)
    }

    /// The history up to `commit` of the repository around `repo`, with `workdir` standing for
    /// its work tree (the files of that commit, written there by `score --base`).
    pub fn load_at(repo: &Path, commit: &str, workdir: &Path) -> Self {
        Self::walk(repo, Some((commit, workdir)))
    }

    fn walk(start: &Path, at: Option<(&str, &Path)>) -> Self {
        let repo = match crate::source::git::discover(start) {
            Ok(r) => r,
            Err(_) => return GitHistory::unavailable("not inside a git repository"),
        };
        if repo.is_shallow() {
            return GitHistory::unavailable(
                "the clone is shallow, so history facts are unknown: fetch full history (actions/checkout with fetch-depth: 0)",
            );
        }
        let Some(workdir) = at
            .map(|(_, w)| w.to_path_buf())
            .or_else(|| repo.workdir().map(Path::to_path_buf))
        else {
            return GitHistory::unavailable("bare repository");
        };
        let mut times: HashMap<String, Vec<i64>> = HashMap::new();
        let result = (|| -> Result<(), git2::Error> {
            let mut walk = repo.revwalk()?;
            match at {
                Some((commit, _)) => walk.push(git2::Oid::from_str(commit)?)?,
                None => walk.push_head()?,
            }
            walk.set_sorting(git2::Sort::TIME)?;
            for oid in walk {
                let commit = repo.find_commit(oid?)?;
                let time = commit.time().seconds();
                let tree = commit.tree()?;
                let parent_tree = match commit.parent(0) {
                    Ok(p) => Some(p.tree()?),
                    Err(_) => None,
                };
                let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)?;
                let mut dirs: HashSet<String> = HashSet::new();
                for delta in diff.deltas() {
                    for file in [delta.new_file().path(), delta.old_file().path()]
                        .into_iter()
                        .flatten()
                    {
                        let mut dir = file.parent();
                        while let Some(d) = dir {
                            dirs.insert(d.to_string_lossy().replace('\\', "/"));
                            dir = d.parent();
                        }
                    }
                }
                for d in dirs {
                    times.entry(d).or_default().push(time);
                }
            }
            Ok(())
        })();
        match result {
            Ok(()) => GitHistory {
                unavailable: None,
                times,
                workdir,
            },
            Err(_) if repo.head().is_err() => {
                GitHistory::unavailable("the repository has no commits yet")
            }
            Err(e) => GitHistory::unavailable(format!("cannot read git history: {}", e.message())),
        }
    }

    fn key(&self, dir: &Path) -> Option<String> {
        let abs = std::fs::canonicalize(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .ok()?;
        let root = std::fs::canonicalize(&self.workdir).ok()?;
        Some(
            abs.strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/"),
        )
    }

    /// Commit times touching `dir` (newest first), or why they are unknown.
    pub fn commits(&self, dir: &Path) -> Result<&[i64], String> {
        if let Some(reason) = &self.unavailable {
            return Err(reason.clone());
        }
        let key = self
            .key(dir)
            .ok_or_else(|| format!("{} is not inside the repository", dir.display()))?;
        Ok(self.times.get(&key).map_or(&[][..], Vec::as_slice))
    }
}

/// The value of an entity field by path segments (None when absent).
pub fn entity_field<'n>(root: &'n Node, path: &[String]) -> Option<&'n Node> {
    let mut node = root;
    for seg in path {
        node = match &node.value {
            crate::yaml::Value::Map(_) => node.get(seg)?,
            crate::yaml::Value::Seq(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A JSON, YAML or TOML file's content as JSON, or why it cannot be read. YAML goes through
/// the bounded loader (depth, aliases); JSON has serde_json's nesting limit of 128 and TOML
/// the toml crate's own.
pub fn parse_data(format: crate::score::model::DataFormat, text: &str) -> Result<J, String> {
    use crate::score::model::DataFormat;
    match format {
        DataFormat::Json => serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}")),
        DataFormat::Yaml => {
            let stream = crate::yaml::parse_stream(text);
            if let Some(e) = stream.fatal {
                return Err(format!(
                    "invalid YAML at line {}: {}",
                    e.pos.line, e.message
                ));
            }
            if let Some(e) = stream.documents.iter().flat_map(|d| d.errors.iter()).next() {
                return Err(format!(
                    "invalid YAML at line {}: {}",
                    e.pos.line, e.message
                ));
            }
            Ok(stream
                .documents
                .first()
                .map_or(J::Null, |d| d.document.root.to_json()))
        }
        DataFormat::Toml => text
            .parse::<toml::Table>()
            .map(|t| toml_json(toml::Value::Table(t)))
            .map_err(|e| format!("invalid TOML: {}", e.message())),
    }
}

fn toml_json(value: toml::Value) -> J {
    match value {
        toml::Value::String(s) => J::from(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::from(b),
        toml::Value::Datetime(d) => J::from(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, toml_json(v))).collect()),
    }
}

/// A JSON value by path segments (a number selects a list item); None when absent.
pub fn json_field<'j>(root: &'j J, path: &[String]) -> Option<&'j J> {
    path.iter().try_fold(root, |node, seg| match node {
        J::Object(map) => map.get(seg),
        J::Array(items) => items.get(seg.parse::<usize>().ok()?),
        _ => None,
    })
}

/// JSON pointer for path segments, for locating evidence in the file.
pub fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", crate::yaml::escape_token(s)))
        .collect()
}

/// Days between a Unix time and `now`.
pub fn days_since(time: i64, now: i64) -> J {
    J::from((now - time).max(0) / dates::SECONDS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commit of `files` (path → content; content `->TARGET` is a link to TARGET).
    fn commit_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Oid) {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let mut index = repo.index().unwrap();
        for (path, content) in files {
            let (mode, bytes) = match content.strip_prefix("->") {
                Some(target) => (0o120000, target.as_bytes()),
                None => (0o100644, content.as_bytes()),
            };
            let id = repo.blob(bytes).unwrap();
            let mut entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode,
                uid: 0,
                gid: 0,
                file_size: bytes.len() as u32,
                id,
                flags: 0,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            };
            entry.flags = (path.len() as u16) & 0xfff;
            index.add(&entry).unwrap();
        }
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new("t", "t@t", &git2::Time::new(0, 0)).unwrap();
        let id = repo.commit(None, &sig, &sig, "c", &tree, &[]).unwrap();
        (tmp, id)
    }

    #[test]
    fn commit_files_read_objects_confined_to_the_repository() {
        let (tmp, commit) = commit_of(&[
            ("README.md", "root"),
            ("svc/a/README.md", "a"),
            ("svc/a/docs/x.md", "x"),
            ("svc/a/link.md", "->../../../outside.txt"),
        ]);
        let git_dir = tmp.path().join(".git");
        let files = CommitFiles::open(&git_dir, commit).unwrap();
        assert_eq!(
            files.read(Path::new("svc/a/README.md")).unwrap().as_deref(),
            Some("a")
        );
        assert_eq!(files.read(Path::new("svc/a/nothing.md")).unwrap(), None);
        assert!(matches!(
            files.read(Path::new("svc/a/link.md")),
            Err(ReadError::NotRegular { kind: "a link", .. })
        ));
        assert!(matches!(
            files.read(Path::new("svc/a/docs")),
            Err(ReadError::NotRegular {
                kind: "a directory",
                ..
            })
        ));
        assert!(matches!(
            files.read(Path::new("svc/../../outside.txt")),
            Err(ReadError::Outside { .. })
        ));
        let base = Path::new("svc/a");
        assert_eq!(files.matching(base, "*.md"), ["README.md", "link.md"]);
        assert_eq!(
            files.matching(base, "**/*.md"),
            ["README.md", "docs/x.md", "link.md"]
        );
        assert_eq!(files.matching(base, "README.md"), ["README.md"]);
        assert!(files.matching(base, "docs").is_empty());
        assert!(files.matching(Path::new("svc/../.."), "*").is_empty());
        assert_eq!(files.matching(Path::new(""), "*.md"), ["README.md"]);
    }
}
