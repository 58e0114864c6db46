//! The catalog through its git history (libgit2, offline):
//!
//! - **snapshots**: the first-parent chain from HEAD, replayed commit by commit from tree
//!   diffs; at each month end the state of the last commit at or before it (by committer time)
//!   gives that month's catalog metrics. Every YAML blob is read and parsed once, cached by
//!   object id, in parallel.
//! - **diffs**: trees are compared as raw objects, read once for a commit and its successor;
//!   within a tree only the bytes between the common prefix and the common suffix are read
//!   entry by entry (a 10,000-entry `services/` tree changed in one entry costs that entry).
//!   Runs of consecutive commits are diffed in parallel, each run with its own repository
//!   handle; the month ends are then evaluated in parallel.
//! - **first seen**: the commit time at which each entity reference first appeared.
//! - **contributors**: the authors (after `.mailmap`) of every non-merge commit reachable from
//!   HEAD that touches a catalog file, bots left out.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use git2::{Commit, ObjectType, Odb, OdbObject, Oid, Repository, Sort};
use rayon::prelude::*;

use super::snapshot::{CatalogMetrics, EntityFacts, distinct, skeleton_dirs};
use super::{Period, trend};
use crate::catalog::entity::Relation;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::load::{self, FileOptions, MAX_FILE_BYTES};
use crate::config::Config;
use crate::score::model::Scorecard;
use crate::source::discover::{is_catalog_info_name, is_yaml};
use crate::source::git;
use crate::yaml::Node;

/// An open repository and what its HEAD is.
pub struct Git {
    repo: Repository,
    pub workdir: Option<PathBuf>,
    pub head: Option<Head>,
    pub shallow: bool,
}

pub struct Head {
    pub oid: Oid,
    pub id: String,
    /// Committer time (Unix seconds).
    pub time: i64,
}

/// The repository around `start`, if any.
pub fn open(start: &Path) -> Option<Git> {
    let repo = git::discover(start).ok()?;
    let head = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .map(|c| Head {
            oid: c.id(),
            id: c.id().to_string(),
            time: c.time().seconds(),
        });
    Some(Git {
        shallow: repo.is_shallow(),
        workdir: repo.workdir().map(Path::to_path_buf),
        head,
        repo,
    })
}

/// The repository around `start` read as if `commit` were its HEAD and `workdir` its work
/// tree (the files of that commit, written there by `--compare`).
pub fn open_at(start: &Path, commit: Oid, workdir: &Path) -> Option<Git> {
    let repo = git::discover(start).ok()?;
    let c = repo.find_commit(commit).ok()?;
    let head = Head {
        oid: c.id(),
        id: c.id().to_string(),
        time: c.time().seconds(),
    };
    drop(c);
    Some(Git {
        shallow: repo.is_shallow(),
        workdir: Some(workdir.to_path_buf()),
        head: Some(head),
        repo,
    })
}

/// Which paths of the repository hold the catalog: YAML files under the given directories
/// (relative to the work tree), with the configured include/exclude globs; hidden directories
/// are skipped as the file-system walk skips them.
pub struct Scope<'a> {
    pub prefixes: Vec<PathBuf>,
    pub config: &'a Config,
}

impl Scope<'_> {
    /// Can a directory hold files of the scope (is it inside a prefix, or on the way to one)?
    pub fn leads_to(&self, dir: &Path) -> bool {
        self.prefixes
            .iter()
            .any(|p| dir.starts_with(p) || p.starts_with(dir))
    }

    pub fn contains(&self, rel: &Path) -> bool {
        self.prefixes.iter().any(|prefix| {
            let Ok(inner) = rel.strip_prefix(prefix) else {
                return false;
            };
            let hidden = inner
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let config = self.config;
            is_yaml(rel)
                && !hidden
                && config.include.as_ref().is_none_or(|g| g.is_match(inner))
                && !config.exclude.as_ref().is_some_and(|g| g.is_match(inner))
        })
    }
}

/// A catalog-relevant change of one commit against its first parent.
#[derive(Debug, Clone)]
struct Change {
    path: PathBuf,
    old: Option<Oid>,
    new: Option<Oid>,
}

/// One non-merge commit touching catalog files, by a person.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AuthorCommit {
    /// Author time (Unix seconds).
    pub time: i64,
    /// Identity after `.mailmap`: the lowercase email, or the name when there is none.
    pub key: String,
    pub name: String,
    pub email: String,
}

/// The state of the catalog at a commit.
pub struct Snapshot {
    pub commit: String,
    pub entities: Vec<EntityFacts>,
}

/// The catalog at a period's end.
pub struct Month {
    pub period: Period,
    pub metrics: CatalogMetrics,
    /// The embedded scorecard's pass rate (rules that read only the entity and the catalog).
    pub pass_rate: Option<f64>,
}

pub struct History {
    /// Periods that have a snapshot (none before the first commit), oldest first.
    pub months: Vec<Month>,
    /// When each entity reference first appeared on the first-parent chain (committer time).
    pub first_seen: HashMap<EntityRef, i64>,
    /// The catalog at the as-of date, when asked for.
    pub snapshot: Option<Snapshot>,
    /// Catalog commits by people, up to the as-of date, sorted.
    pub commits: Vec<AuthorCommit>,
    /// Catalog commits by bots (left out of every people metric).
    pub bot_commits: usize,
}

/// A bot: `[bot]` in the name or email (GitHub apps), or a `noreply@…` address.
pub fn is_bot(name: &str, email: &str) -> bool {
    let name = name.to_lowercase();
    let email = email.to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    name.contains("[bot]")
        || email.contains("[bot]")
        || matches!(local, "noreply" | "no-reply" | "no_reply")
}

/// The GitHub login in a `[ID+]login@users.noreply.github.com` address.
pub fn noreply_login(email: &str) -> Option<&str> {
    let local = email.strip_suffix("@users.noreply.github.com")?;
    Some(local.split_once('+').map_or(local, |(_, login)| login))
}

fn read_text(repo: &Repository, oid: Oid) -> Option<String> {
    let blob = repo.find_blob(oid).ok()?;
    if blob.size() as u64 > MAX_FILE_BYTES {
        return None;
    }
    let bytes = blob.content();
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

/// A parsed catalog blob: the facts of its entities and their documents (for the scorecard).
pub struct Blob {
    pub facts: Vec<EntityFacts>,
    pub roots: Vec<Node>,
    /// Each entity's relation fields (for `score --history`: catalog facts and what an
    /// entity's result depends on).
    pub relations: Vec<Vec<Relation>>,
}

fn parse(path: &Path, text: String, config: &Config) -> Blob {
    let report = load::check_text(
        path,
        text,
        &FileOptions {
            keep_documents: true,
            ..FileOptions::new(config)
        },
    );
    let mut blob = Blob {
        facts: Vec::new(),
        roots: Vec::new(),
        relations: Vec::new(),
    };
    for e in &report.entities {
        if let Some(d) = report.parsed.get(e.document) {
            blob.facts.push(EntityFacts::new(&e.record, &d.root));
            blob.roots.push(d.root.clone());
            blob.relations.push(e.record.relations.clone());
        }
    }
    blob
}

struct Walker<'a> {
    repo: &'a Repository,
    odb: &'a Odb<'a>,
    scope: &'a Scope<'a>,
    diffs: HashMap<Oid, Arc<Vec<Change>>>,
    /// Blob id → does it name a Backstage apiVersion group (the loader's prescan)?
    mentions: HashMap<Oid, bool>,
    /// Raw trees read for the commit being diffed, and for the one before: a commit's parent
    /// trees are mostly the trees the previous commit of the chain was diffed with.
    trees: HashMap<Oid, Rc<OdbObject<'a>>>,
    previous: HashMap<Oid, Rc<OdbObject<'a>>>,
}

/// One entry of a raw tree object (`<octal mode> <name>\0<20-byte id>`).
struct RawEntry<'t> {
    mode: u32,
    name: &'t [u8],
    id: &'t [u8],
    end: usize,
}

const TREE_MODE: u32 = 0o40000;

impl RawEntry<'_> {
    fn is_tree(&self) -> bool {
        self.mode == TREE_MODE
    }

    fn oid(&self) -> Option<Oid> {
        Oid::from_bytes(self.id).ok()
    }

    /// A regular file (not a link or submodule).
    fn file_id(&self) -> Option<Oid> {
        matches!(self.mode, 0o100644 | 0o100755)
            .then(|| self.oid())
            .flatten()
    }
}

/// The entry of a raw tree starting at `pos` (None at the end, or on a malformed entry).
fn raw_entry(data: &[u8], pos: usize) -> Option<RawEntry<'_>> {
    let rest = data.get(pos..)?;
    let space = memchr::memchr(b' ', rest)?;
    let mut mode = 0u32;
    for &d in &rest[..space] {
        if !(b'0'..=b'7').contains(&d) {
            return None;
        }
        mode = mode.checked_mul(8)? + u32::from(d - b'0');
    }
    let nul = space + 1 + memchr::memchr(0, &rest[space + 1..])?;
    let id = rest.get(nul + 1..nul + 21)?;
    Some(RawEntry {
        mode,
        name: &rest[space + 1..nul],
        id,
        end: pos + nul + 21,
    })
}

/// Git's order of tree entries: by name, a tree's name read as if it ended in `/`.
fn git_order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> Ordering {
    let (x, y) = (a.name, b.name);
    let n = x.len().min(y.len());
    x[..n].cmp(&y[..n]).then_with(|| {
        let end =
            |name: &[u8], e: &RawEntry<'_>| name.get(n).copied().or(e.is_tree().then_some(b'/'));
        end(x, a).cmp(&end(y, b))
    })
}

/// The length of the common prefix of two byte strings.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    for block in [4096, 64] {
        while i + block <= n && a[i..i + block] == b[i..i + block] {
            i += block;
        }
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The length of the common suffix of two byte strings.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    for block in [4096, 64] {
        while i + block <= n && a[la - i - block..la - i] == b[lb - i - block..lb - i] {
            i += block;
        }
    }
    while i < n && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

fn malformed(oid: Option<Oid>) -> git2::Error {
    git2::Error::from_str(&format!(
        "malformed tree object {}",
        oid.map(|o| o.to_string()).unwrap_or_default()
    ))
}

impl<'a> Walker<'a> {
    fn new(repo: &'a Repository, odb: &'a Odb<'a>, scope: &'a Scope<'a>) -> Walker<'a> {
        Walker {
            odb,
            repo,
            scope,
            diffs: HashMap::new(),
            mentions: HashMap::new(),
            trees: HashMap::new(),
            previous: HashMap::new(),
        }
    }

    /// The raw bytes of a tree object, read once for a commit and its successor.
    fn raw_tree(&mut self, oid: Oid) -> Result<Rc<OdbObject<'a>>, git2::Error> {
        if let Some(t) = self.trees.get(&oid) {
            return Ok(t.clone());
        }
        let t = match self.previous.get(&oid) {
            Some(t) => t.clone(),
            None => {
                let object = self.odb.read(oid)?;
                if object.kind() != ObjectType::Tree {
                    return Err(malformed(Some(oid)));
                }
                Rc::new(object)
            }
        };
        self.trees.insert(oid, t.clone());
        Ok(t)
    }

    /// The changes of a commit against its first parent, within the scope. Trees are compared
    /// as raw objects: subtrees whose ids are equal are skipped, and within a tree only the
    /// bytes between the common prefix and the common suffix are read entry by entry, so a
    /// commit costs what it changed, not the size of a directory of 10,000 entries.
    fn diff(&mut self, commit: &Commit<'_>) -> Result<Vec<Change>, git2::Error> {
        self.previous = std::mem::take(&mut self.trees);
        let tree = commit.tree_id();
        let parent = match commit.parent_count() {
            0 => None,
            _ => Some(commit.parent(0)?.tree_id()),
        };
        let mut out = Vec::new();
        self.diff_trees(parent, Some(tree), Path::new(""), &mut out)?;
        Ok(out)
    }

    fn diff_trees(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        dir: &Path,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        if old == new || !self.scope.leads_to(dir) {
            return Ok(());
        }
        let a = old.map(|o| self.raw_tree(o)).transpose()?;
        let b = new.map(|o| self.raw_tree(o)).transpose()?;
        let (a, b) = (
            a.as_ref().map_or(&[][..], |t| t.data()),
            b.as_ref().map_or(&[][..], |t| t.data()),
        );
        // Entries wholly inside the common prefix are equal; so is a common tail of entries.
        let prefix = common_prefix(a, b);
        let suffix = common_suffix(a, b);
        let mut pos = 0;
        while let Some(e) = raw_entry(a, pos).filter(|e| e.end <= prefix) {
            pos = e.end;
        }
        let (mut i, mut j) = (pos, pos);
        loop {
            if a.len() - i == b.len() - j && a.len() - i <= suffix {
                break;
            }
            let ea = if i < a.len() {
                Some(raw_entry(a, i).ok_or_else(|| malformed(old))?)
            } else {
                None
            };
            let eb = if j < b.len() {
                Some(raw_entry(b, j).ok_or_else(|| malformed(new))?)
            } else {
                None
            };
            let order = match (&ea, &eb) {
                (Some(x), Some(y)) => git_order(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            let (ea, eb) = match order {
                Ordering::Less => (ea, None),
                Ordering::Greater => (None, eb),
                Ordering::Equal => (ea, eb),
            };
            if let Some(x) = &ea {
                i = x.end;
            }
            if let Some(y) = &eb {
                j = y.end;
            }
            if let (Some(x), Some(y)) = (&ea, &eb)
                && x.id == y.id
                && x.mode == y.mode
            {
                continue;
            }
            let Some(name) = ea
                .as_ref()
                .or(eb.as_ref())
                .map(|e| dir.join(String::from_utf8_lossy(e.name).as_ref()))
            else {
                continue;
            };
            let sub = |e: &Option<RawEntry<'_>>| {
                e.as_ref().filter(|e| e.is_tree()).and_then(RawEntry::oid)
            };
            let (sa, sb) = (sub(&ea), sub(&eb));
            if sa.is_some() || sb.is_some() {
                self.diff_trees(sa, sb, &name, out)?;
            }
            let (old_file, new_file) = (
                ea.as_ref().and_then(RawEntry::file_id),
                eb.as_ref().and_then(RawEntry::file_id),
            );
            if (old_file.is_some() || new_file.is_some()) && self.scope.contains(&name) {
                out.push(Change {
                    path: name,
                    old: old_file,
                    new: new_file,
                });
            }
        }
        Ok(())
    }

    fn changes(&mut self, commit: &Commit<'_>) -> Result<Arc<Vec<Change>>, git2::Error> {
        if let Some(hit) = self.diffs.get(&commit.id()) {
            return Ok(hit.clone());
        }
        let changes = Arc::new(self.diff(commit)?);
        self.diffs.insert(commit.id(), changes.clone());
        Ok(changes)
    }

    fn mentions(&mut self, oid: Oid) -> bool {
        if let Some(m) = self.mentions.get(&oid) {
            return *m;
        }
        let m = read_text(self.repo, oid)
            .is_some_and(|t| load::mentions_entity_group(&t, &self.scope.config.api_groups));
        self.mentions.insert(oid, m);
        m
    }

    fn is_catalog_change(&mut self, c: &Change, skeletons: &[PathBuf]) -> bool {
        if skeletons.iter().any(|d| c.path.starts_with(d)) {
            return false;
        }
        is_catalog_info_name(&c.path)
            || [c.new, c.old]
                .into_iter()
                .flatten()
                .any(|o| self.mentions(o))
    }
}

/// A blob read for the walk: its id, whether it names a Backstage apiVersion group, and, for
/// catalog files, a path it was seen at and its text.
type ReadBlob = (Oid, bool, Option<(PathBuf, String)>);

/// Parsed catalog blobs: id → entities (empty for blobs that are no catalog file anywhere).
type Parsed = HashMap<Oid, Arc<Blob>>;

/// One entity of a state: its file, facts and document.
pub struct Doc<'p> {
    pub path: &'p Path,
    pub facts: &'p EntityFacts,
    pub root: &'p Node,
    pub relations: &'p [Relation],
    /// The blob the entity is read from (same blob, same document: an unchanged input).
    pub blob: Oid,
}

impl<'p> Doc<'p> {
    /// A document not read from a blob (a loaded catalog, in tests): its blob is the zero id.
    pub fn unversioned(
        path: &'p Path,
        facts: &'p EntityFacts,
        root: &'p Node,
        relations: &'p [Relation],
    ) -> Self {
        Doc {
            path,
            facts,
            root,
            relations,
            blob: Oid::ZERO_SHA1,
        }
    }

    /// The entity as the score engine takes it.
    pub fn input(&self) -> crate::score::facts::EntityInput<'p> {
        crate::score::facts::EntityInput {
            reference: &self.facts.reference,
            file: self.path,
            root: self.root,
        }
    }
}

/// The catalog files of a state (path → blob), skeleton directories left out; entities distinct.
fn docs_of<'p>(
    state: &'p BTreeMap<PathBuf, Oid>,
    parsed: &'p Parsed,
    mentions: &HashMap<Oid, bool>,
) -> Vec<Doc<'p>> {
    let files: Vec<(&Path, &Blob, Oid)> = state
        .iter()
        .filter(|(path, oid)| {
            is_catalog_info_name(path) || mentions.get(*oid).copied().unwrap_or(false)
        })
        .filter_map(|(path, oid)| parsed.get(oid).map(|b| (path.as_path(), b.as_ref(), *oid)))
        .collect();
    let skeletons = skeleton_dirs(files.iter().map(|(p, b, _)| (*p, b.facts.as_slice())));
    let mut seen = HashSet::new();
    files
        .iter()
        .filter(|(path, _, _)| !skeletons.iter().any(|d| path.starts_with(d)))
        .flat_map(|(path, b, blob)| {
            (0..b.facts.len()).map(move |i| Doc {
                path,
                facts: &b.facts[i],
                root: &b.roots[i],
                relations: &b.relations[i],
                blob: *blob,
            })
        })
        .filter(|d| seen.insert(d.facts.reference.clone()))
        .collect()
}

fn entities_of<'p>(docs: &[Doc<'p>]) -> Vec<&'p EntityFacts> {
    distinct(docs.iter().map(|d| d.facts))
}

/// The index of the last first-parent commit at or before `time`.
fn at(chain: &[(Oid, i64)], time: i64) -> Option<usize> {
    chain.iter().rposition(|(_, t)| *t <= time)
}

/// Called with (commits read, commits to read) during the walk; the caller may draw it.
pub type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// The catalog at one period's end, for `score --history`.
pub struct MonthDocs<'p> {
    pub period: &'p Period,
    /// The last first-parent commit at or before the period's end.
    pub commit: Oid,
    pub docs: Vec<Doc<'p>>,
}

/// Given the repository's git directory and every period's catalog (oldest first) instead of the adoption
/// metrics: `score --history` evaluates scorecards on them.
pub type MonthsHook<'a> = dyn FnMut(&Path, Vec<MonthDocs<'_>>) + 'a;

/// Walks the history up to `as_of_end` (inclusive): one snapshot per period, first-seen
/// times, and the catalog commits of people.
#[allow(clippy::too_many_arguments)]
pub fn walk(
    git: &Git,
    scope: &Scope<'_>,
    head: &Head,
    as_of_end: i64,
    periods: &[Period],
    want_snapshot: bool,
    scorecard: Option<&Scorecard>,
    progress: Option<&Progress<'_>>,
    mut months_hook: Option<&mut MonthsHook<'_>>,
) -> Result<History, String> {
    let mut read = || -> Result<History, git2::Error> {
        // libgit2 re-hashes every object it reads by default; git itself does not on ordinary
        // reads, and this walk only reads. Re-hashing the large trees of a catalog monorepo at
        // every commit was most of the walk's time.
        git2::opts::strict_hash_verification(false);
        let repo = &git.repo;
        let odb = repo.odb()?;
        let mut walker = Walker::new(repo, &odb, scope);

        // The first-parent chain, oldest first.
        let mut chain = Vec::new();
        let mut commit = repo.find_commit(head.oid)?;
        loop {
            chain.push((commit.id(), commit.time().seconds()));
            if commit.parent_count() == 0 {
                break;
            }
            commit = commit.parent(0)?;
        }
        chain.reverse();

        let period_at: Vec<Option<usize>> = periods.iter().map(|p| at(&chain, p.end)).collect();
        let as_of_at = at(&chain, as_of_end);
        let last = period_at
            .iter()
            .flatten()
            .chain(as_of_at.iter())
            .max()
            .copied();

        // Diffs of the chain, in parallel by runs of consecutive commits (each with its own
        // handle on the repository), then every blob they add, read once.
        let mut chain_changes: Vec<Arc<Vec<Change>>> = Vec::new();
        if let Some(last) = last {
            let commits = &chain[..=last];
            let done = AtomicUsize::new(0);
            let runs = (rayon::current_num_threads() * 4).max(1);
            let size = commits.len().div_ceil(runs).max(64);
            let path = repo.path().to_path_buf();
            let diffs: Vec<Vec<Arc<Vec<Change>>>> = commits
                .par_chunks(size)
                .map(|run| -> Result<Vec<Arc<Vec<Change>>>, git2::Error> {
                    let repo = Repository::open(&path)?;
                    let odb = repo.odb()?;
                    let mut walker = Walker::new(&repo, &odb, scope);
                    let mut out = Vec::with_capacity(run.len());
                    for (oid, _) in run {
                        let c = repo.find_commit(*oid)?;
                        out.push(Arc::new(walker.diff(&c)?));
                        let n = done.fetch_add(1, AtomicOrdering::Relaxed) + 1;
                        if let Some(p) = progress {
                            p(n, commits.len());
                        }
                    }
                    Ok(out)
                })
                .collect::<Result<_, _>>()?;
            chain_changes = diffs.into_iter().flatten().collect();
            for ((oid, _), changes) in commits.iter().zip(&chain_changes) {
                walker.diffs.insert(*oid, changes.clone());
            }
        }
        let mut paths_of: BTreeMap<Oid, Vec<&Path>> = BTreeMap::new();
        for changes in &chain_changes {
            for c in changes.iter() {
                if let Some(new) = c.new {
                    paths_of.entry(new).or_default().push(&c.path);
                }
            }
        }
        let base = git.workdir.clone().unwrap_or_default();
        // Read in parallel, by runs of blobs, each run with its own handle on the repository.
        let blobs: Vec<(&Oid, &Vec<&Path>)> = paths_of.iter().collect();
        let size = blobs
            .len()
            .div_ceil((rayon::current_num_threads() * 4).max(1))
            .max(64);
        let path = repo.path().to_path_buf();
        let read: Vec<Vec<ReadBlob>> = blobs
            .par_chunks(size)
            .map(|run| -> Result<_, git2::Error> {
                let repo = Repository::open(&path)?;
                Ok(run
                    .iter()
                    .map(|(oid, paths)| {
                        let text = read_text(&repo, **oid);
                        let mentions = text.as_deref().is_some_and(|t| {
                            load::mentions_entity_group(t, &scope.config.api_groups)
                        });
                        let keep = text
                            .filter(|_| mentions || paths.iter().any(|p| is_catalog_info_name(p)))
                            .map(|t| (base.join(paths[0]), t));
                        (**oid, mentions, keep)
                    })
                    .collect())
            })
            .collect::<Result<_, _>>()?;
        let mut to_parse = Vec::new();
        for (oid, mentions, keep) in read.into_iter().flatten() {
            walker.mentions.insert(oid, mentions);
            if let Some((path, text)) = keep {
                to_parse.push((oid, path, text));
            }
        }
        let parsed: Parsed = to_parse
            .into_par_iter()
            .map(|(oid, path, text)| (oid, Arc::new(parse(&path, text, scope.config))))
            .collect();

        // Replay the chain.
        let mut state: BTreeMap<PathBuf, Oid> = BTreeMap::new();
        let mut first_seen: HashMap<EntityRef, i64> = HashMap::new();
        let mut month_states: Vec<(&Period, usize, BTreeMap<PathBuf, Oid>)> = Vec::new();
        let mut snapshot = None;
        let mut all_skeletons: HashSet<PathBuf> = HashSet::new();
        for (i, changes) in chain_changes.iter().enumerate() {
            let time = chain[i].1;
            for c in changes.iter() {
                match c.new {
                    Some(oid) => {
                        state.insert(c.path.clone(), oid);
                        if let Some(blob) = parsed.get(&oid) {
                            for e in &blob.facts {
                                first_seen.entry(e.reference.clone()).or_insert(time);
                            }
                            all_skeletons
                                .extend(skeleton_dirs([(c.path.as_path(), blob.facts.as_slice())]));
                        }
                    }
                    None => {
                        state.remove(&c.path);
                    }
                }
            }
            for (p, idx) in periods.iter().zip(&period_at) {
                if *idx == Some(i) {
                    month_states.push((p, i, state.clone()));
                }
            }
            if want_snapshot && as_of_at == Some(i) {
                snapshot = Some(Snapshot {
                    commit: chain[i].0.to_string(),
                    entities: entities_of(&docs_of(&state, &parsed, &walker.mentions))
                        .into_iter()
                        .cloned()
                        .collect(),
                });
            }
        }
        let mentions = &walker.mentions;
        if let Some(hook) = months_hook.as_mut() {
            let months = month_states
                .iter()
                .map(|(period, i, state)| MonthDocs {
                    period,
                    commit: chain[*i].0,
                    docs: docs_of(state, &parsed, mentions),
                })
                .collect();
            hook(repo.path(), months);
            // Score history needs neither the adoption metrics nor the people walk.
            return Ok(History {
                months: Vec::new(),
                first_seen,
                snapshot,
                commits: Vec::new(),
                bot_commits: 0,
            });
        }
        // The month ends, each on its own (the scorecard runs on every entity of each).
        let mut months: Vec<Month> = month_states
            .par_iter()
            .map(|(p, _, state)| {
                let docs = docs_of(state, &parsed, mentions);
                let entities = entities_of(&docs);
                let pass_rate = scorecard.and_then(|card| trend::pass_rate(card, &docs, p.end));
                Month {
                    period: (*p).clone(),
                    metrics: CatalogMetrics::compute(&entities),
                    pass_rate,
                }
            })
            .collect();
        months.sort_by_key(|m| m.period.start);

        // People: every non-merge commit reachable from HEAD.
        let skeletons: Vec<PathBuf> = all_skeletons.into_iter().collect();
        let mailmap = repo.mailmap().ok();
        let mut walk = repo.revwalk()?;
        walk.push(head.oid)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        let mut commits = Vec::new();
        let mut bot_commits = 0;
        for oid in walk {
            let commit = repo.find_commit(oid?)?;
            if commit.parent_count() > 1 {
                continue;
            }
            let author = commit.author();
            let resolved = mailmap
                .as_ref()
                .and_then(|m| m.resolve_signature(&author).ok());
            let signature = resolved.as_ref().unwrap_or(&author);
            let time = signature.when().seconds();
            if time > as_of_end {
                continue;
            }
            let changes = walker.changes(&commit)?;
            if !changes
                .iter()
                .any(|c| walker.is_catalog_change(c, &skeletons))
            {
                continue;
            }
            let name = String::from_utf8_lossy(signature.name_bytes())
                .trim()
                .to_string();
            let email = String::from_utf8_lossy(signature.email_bytes())
                .trim()
                .to_lowercase();
            if is_bot(&name, &email) {
                bot_commits += 1;
                continue;
            }
            commits.push(AuthorCommit {
                time,
                key: if email.is_empty() {
                    name.to_lowercase()
                } else {
                    email.clone()
                },
                name,
                email,
            });
        }
        commits.sort();

        Ok(History {
            months,
            first_seen,
            snapshot,
            commits,
            bot_commits,
        })
    };
    read().map_err(|e| format!("cannot read git history: {}", e.message()))
}

/// People metrics over the trailing window and per period.
#[derive(Debug, Default, PartialEq)]
pub struct People {
    /// Catalog commits by people in the trailing window.
    pub commits: usize,
    pub contributors: usize,
    /// Contributors of the window whose first catalog commit ever falls in it.
    pub new: usize,
    pub returning: usize,
    /// Commits of the window whose author resolves to a catalog User.
    pub resolved_commits: usize,
    /// … by members of the platform team.
    pub platform_commits: usize,
    /// Per period: contributors, new, returning.
    pub monthly: Vec<(String, usize, usize, usize)>,
}

pub fn people(
    commits: &[AuthorCommit],
    directory: &super::engagement::Identities,
    platform: &HashSet<EntityRef>,
    recent_start: i64,
    as_of_end: i64,
    periods: &[Period],
) -> People {
    let mut first: HashMap<&str, i64> = HashMap::new();
    for c in commits {
        let t = first.entry(&c.key).or_insert(c.time);
        *t = (*t).min(c.time);
    }
    let mut p = People::default();
    let recent: Vec<&AuthorCommit> = commits
        .iter()
        .filter(|c| c.time > recent_start && c.time <= as_of_end)
        .collect();
    p.commits = recent.len();
    let who: HashSet<&str> = recent.iter().map(|c| c.key.as_str()).collect();
    p.contributors = who.len();
    p.new = who.iter().filter(|k| first[**k] > recent_start).count();
    p.returning = p.contributors - p.new;
    for c in &recent {
        if let Some(user) = directory.resolve_author(&c.email) {
            p.resolved_commits += 1;
            if platform.contains(user) {
                p.platform_commits += 1;
            }
        }
    }
    for period in periods {
        let who: HashSet<&str> = commits
            .iter()
            .filter(|c| c.time >= period.start && c.time <= period.end)
            .map(|c| c.key.as_str())
            .collect();
        let new = who
            .iter()
            .filter(|k| (period.start..=period.end).contains(&first[**k]))
            .count();
        p.monthly
            .push((period.label.clone(), who.len(), new, who.len() - new));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bots() {
        for (name, email, bot) in [
            (
                "renovate[bot]",
                "29139614+renovate[bot]@users.noreply.github.com",
                true,
            ),
            (
                "dependabot",
                "49699333+dependabot[bot]@users.noreply.github.com",
                true,
            ),
            ("GitHub", "noreply@github.com", true),
            ("CI", "no-reply@example.com", true),
            ("Jane", "12345+jane@users.noreply.github.com", false),
            ("Jane", "jane@example.com", false),
            ("Robot Framework fan", "bob@example.com", false),
        ] {
            assert_eq!(is_bot(name, email), bot, "{name} <{email}>");
        }
    }

    /// libgit2's own tree diff, the reference for `Walker::diff`.
    fn libgit2_changes(repo: &Repository, commit: &Commit<'_>, scope: &Scope<'_>) -> Vec<Change> {
        let tree = commit.tree().unwrap();
        let parent = commit.parent(0).ok().map(|p| p.tree().unwrap());
        let diff = repo
            .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
            .unwrap();
        let blob = |f: git2::DiffFile<'_>| {
            (matches!(
                f.mode(),
                git2::FileMode::Blob | git2::FileMode::BlobExecutable
            ) && !f.id().is_zero())
            .then(|| f.id())
        };
        diff.deltas()
            .filter_map(|d| {
                let path = d.new_file().path().or(d.old_file().path())?;
                scope.contains(path).then(|| Change {
                    path: path.to_path_buf(),
                    old: blob(d.old_file()),
                    new: blob(d.new_file()),
                })
            })
            .collect()
    }

    #[test]
    fn tree_diff_matches_libgit2() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let repo = Repository::init(dir).unwrap();
        let put = |path: &str, text: &str| {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let rm = |path: &str| {
            let p = dir.join(path);
            if p.is_dir() {
                std::fs::remove_dir_all(p).unwrap();
            } else {
                std::fs::remove_file(p).unwrap();
            }
        };
        let commit = |n: i64| {
            let mut index = repo.index().unwrap();
            index
                .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
                .unwrap();
            index.update_all(["*"], None).unwrap();
            index.write().unwrap();
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            let sig = git2::Signature::new("t", "t@t", &git2::Time::new(n, 0)).unwrap();
            let parent = repo.head().ok().map(|h| h.peel_to_commit().unwrap());
            let parents: Vec<&Commit<'_>> = parent.iter().collect();
            repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
                .unwrap()
        };
        let config = Config::default();
        for prefixes in [vec![PathBuf::new()], vec![PathBuf::from("foo")]] {
            let scope = Scope {
                prefixes,
                config: &config,
            };
            let odb = repo.odb().unwrap();
            let mut walker = Walker::new(&repo, &odb, &scope);
            let mut check = |id: Oid| {
                let c = repo.find_commit(id).unwrap();
                let mut ours = walker.diff(&c).unwrap();
                let mut theirs = libgit2_changes(&repo, &c, &scope);
                ours.sort_by(|a, b| a.path.cmp(&b.path));
                theirs.sort_by(|a, b| a.path.cmp(&b.path));
                let show = |v: &[Change]| format!("{v:?}");
                assert_eq!(show(&ours), show(&theirs));
            };
            if repo.head().is_err() {
                put("a.yaml", "a");
                put("foo-bar.yaml", "1");
                put("foo.yaml", "2");
                put("foo/x.yaml", "3");
                put("foo/deep/y.yml", "4");
                put("foo0.yaml", "5");
                put("t.yaml", "file, later a directory");
                put("notes.txt", "not yaml");
                put(".hidden/z.yaml", "hidden");
                check(commit(1));
                put("foo/x.yaml", "3b");
                rm("foo/deep");
                put("foo/deep2/y.yml", "4");
                rm("t.yaml");
                put("t.yaml/e.yaml", "now a directory");
                put("foo.yaml", "2b");
                // Sorts between `foo.yaml` and the directory `foo` (read as `foo/`).
                put("foo.yml", "new");
                check(commit(2));
                rm("foo");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let p = dir.join("a.yaml");
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
                }
                put("foo0.yaml", "5b");
                check(commit(3));
                // A large directory: changes at its start, middle and end, between equal runs.
                for i in 0..300 {
                    put(&format!("foo/many/f{i:03}.yaml"), &format!("{i}"));
                }
                check(commit(4));
                put("foo/many/f150.yaml", "changed");
                put("foo/many/a.yaml", "first");
                rm("foo/many/f299.yaml");
                check(commit(5));
                rm("foo/many/f100.yaml");
                put("foo/many/f100x.yaml", "100");
                rm("foo/many/f200.yaml");
                put("foo/many/f200.yaml/inner.yaml", "a file became a directory");
                rm("foo/many/f000.yaml");
                check(commit(6));
            } else {
                let mut walk = repo.revwalk().unwrap();
                walk.push_head().unwrap();
                for id in walk {
                    check(id.unwrap());
                }
            }
        }
    }

    /// The same check on every first-parent commit of the repository in
    /// `CALLBOARD_DIFF_REPO` (for large generated histories; .ci/run names this repository).
    #[test]
    #[ignore = "needs CALLBOARD_DIFF_REPO=<a git repository>; .ci/run sets it"]
    fn tree_diff_matches_libgit2_on_a_named_repository() {
        let dir = std::env::var_os("CALLBOARD_DIFF_REPO")
            .expect("CALLBOARD_DIFF_REPO names a git repository");
        let repo = Repository::open(dir).unwrap();
        let config = Config::default();
        let scope = Scope {
            prefixes: vec![PathBuf::new()],
            config: &config,
        };
        let odb = repo.odb().unwrap();
        let mut walker = Walker::new(&repo, &odb, &scope);
        let mut c = repo.head().unwrap().peel_to_commit().unwrap();
        let mut n = 0;
        loop {
            let mut ours = walker.diff(&c).unwrap();
            let mut theirs = libgit2_changes(&repo, &c, &scope);
            ours.sort_by(|a, b| a.path.cmp(&b.path));
            theirs.sort_by(|a, b| a.path.cmp(&b.path));
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{}", c.id());
            n += 1;
            match c.parent(0) {
                Ok(p) => c = p,
                Err(_) => break,
            }
        }
        assert!(n > 0);
    }

    #[test]
    fn noreply_logins() {
        assert_eq!(
            noreply_login("12345+jane-doe@users.noreply.github.com"),
            Some("jane-doe")
        );
        assert_eq!(noreply_login("jane@users.noreply.github.com"), Some("jane"));
        assert_eq!(noreply_login("jane@example.com"), None);
    }

    fn commit(key: &str, time: i64) -> AuthorCommit {
        AuthorCommit {
            time,
            key: key.into(),
            name: key.into(),
            email: key.into(),
        }
    }

    #[test]
    fn new_and_returning_contributors() {
        let periods = [
            Period {
                label: "p1".into(),
                start: 0,
                end: 99,
            },
            Period {
                label: "p2".into(),
                start: 100,
                end: 199,
            },
        ];
        let commits = [
            commit("a@x", 10),
            commit("a@x", 150),
            commit("b@x", 120),
            commit("b@x", 130),
            commit("c@x", 50),
        ];
        let p = people(
            &commits,
            &super::super::engagement::Identities::default(),
            &HashSet::new(),
            100,
            199,
            &periods,
        );
        assert_eq!(
            (p.commits, p.contributors, p.new, p.returning),
            (3, 2, 1, 1)
        );
        assert_eq!(
            p.monthly,
            [("p1".to_string(), 2, 2, 0), ("p2".to_string(), 2, 1, 1)]
        );
    }
}
