//! Where fact values come from: the entity, the catalog, the repository's files, git history.
//! Everything is offline; a value that cannot be known is `Unknown` with the reason, never a
//! silent pass.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use globset::GlobBuilder;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde_json::Value as J;

use crate::catalog::entity_ref::EntityRef;
use crate::catalog::index::{Relations, Teams};
use crate::dates;
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
