//! `scaffold check` and `scaffold update`: keep a generated repository in line with its template,
//! copier's way. The template is rendered twice from the catalog repository's object database
//! (at the recorded commit and at the new one) with the recorded values and seed, and the
//! difference is merged three ways into the project: base = old render, ours = the project,
//! theirs = the new render.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::record::{self, Record};
use super::render::{RenderOptions, Renderer};
use super::repo_url::Integrations;
use super::runner::{self, RunSettings};
use super::template::Template;
use super::values;
use super::workspace::{self, Entry};
use crate::fs::Confined;
use crate::source::git;

/// The catalog repository holding the template.
pub struct CatalogRepo {
    pub repo: git2::Repository,
    pub root: PathBuf,
}

impl CatalogRepo {
    /// `--catalog PATH`, else the repository the record names when it is a local path.
    pub fn locate(explicit: Option<&Path>, record: &Record) -> Result<CatalogRepo, String> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match &record.template.repository {
                Some(r) if Path::new(r).is_dir() => PathBuf::from(r),
                Some(r) => {
                    return Err(format!(
                        "the template came from {r}; pass --catalog PATH with a local clone of it"
                    ));
                }
                None => return Err(
                    "the record does not say where the catalog repository is; pass --catalog PATH"
                        .into(),
                ),
            },
        };
        let repo = git::discover(&path).map_err(|e| match e {
            git::GitError::NotARepository(why) => {
                format!("{}: not a git repository ({why})", path.display())
            }
            other => format!("{}: {other}", path.display()),
        })?;
        let root = repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| repo.path().to_path_buf());
        Ok(CatalogRepo { repo, root })
    }

    /// The commit the record was made from.
    pub fn recorded(&self, record: &Record) -> Result<git2::Oid, String> {
        let commit = record.template.commit.as_deref().ok_or(
            "the record has no template commit (was the template outside a git repository?)",
        )?;
        self.resolve(commit)
    }

    pub fn resolve(&self, rev: &str) -> Result<git2::Oid, String> {
        git::resolve_commit(&self.repo, rev)
            .map(|c| c.id())
            .map_err(|e| format!("{e} (in the catalog repository)"))
    }
}

/// Repository-relative directories and files a template reads: its own directory, and the
/// directories of fetch steps with a relative `url`.
fn template_inputs(template_path: &str, template: &Template) -> (BTreeSet<String>, bool) {
    let dir = Path::new(template_path).parent().unwrap_or(Path::new(""));
    let mut out = BTreeSet::new();
    out.insert(normalize(&dir.to_string_lossy()));
    let mut whole_repo = false;
    for step in &template.steps {
        if !step.action.starts_with("fetch:") {
            continue;
        }
        let Some(url) = step.input.get("url").and_then(Value::as_str) else {
            continue;
        };
        if url.contains("${{") || url.contains("{%") {
            whole_repo = true;
            continue;
        }
        if url::Url::parse(url).is_ok() {
            continue;
        }
        let joined = workspace::lexical_join(Path::new("/"), &dir.join(url).to_string_lossy());
        out.insert(normalize(&joined.to_string_lossy()));
    }
    (out, whole_repo)
}

fn normalize(p: &str) -> String {
    p.trim_start_matches('/').trim_end_matches('/').to_string()
}

/// Writes the subtrees `paths` of `commit` under `dest` (modes and links kept). Every tree
/// entry is checked as git fsck would before it is written, and no write leaves `dest`.
fn extract(
    repo: &git2::Repository,
    commit: git2::Oid,
    paths: &BTreeSet<String>,
    dest: &Path,
) -> Result<(), String> {
    let commit = repo
        .find_commit(commit)
        .map_err(|e| e.message().to_string())?;
    let tree = commit.tree().map_err(|e| e.message().to_string())?;
    let guard = Confined::new(dest, "the temporary directory");
    for path in paths {
        crate::fs::check_content_path(path).map_err(|e| e.to_string())?;
        let (subtree, at) = if path.is_empty() {
            (tree.clone(), dest.to_path_buf())
        } else {
            let entry = match tree.get_path(Path::new(path)) {
                Ok(e) => e,
                Err(_) => continue,
            };
            match entry.to_object(repo).and_then(|o| o.peel_to_tree()) {
                Ok(t) => (t, dest.join(path)),
                Err(_) => {
                    git::write_entry(repo, &guard, &entry, &dest.join(path))?;
                    continue;
                }
            }
        };
        git::write_tree(repo, &guard, &subtree, &at)?;
    }
    Ok(())
}

/// Reads the template at `commit` (its directory is extracted under `dest`) and the
/// repository paths it reads (everything when a fetch URL is templated).
fn template_at(
    catalog: &CatalogRepo,
    commit: git2::Oid,
    record: &Record,
    dest: &Path,
) -> Result<(Template, BTreeSet<String>), String> {
    let template_rel = &record.template.path;
    let template_dir: BTreeSet<String> = [normalize(
        &Path::new(template_rel)
            .parent()
            .unwrap_or(Path::new(""))
            .to_string_lossy(),
    )]
    .into();
    extract(&catalog.repo, commit, &template_dir, dest)?;
    let name = record.template.reference.rsplit('/').next();
    let template = Template::read_named(&dest.join(template_rel), name)
        .map_err(|e| format!("the template at {}: {e}", short(commit)))?;
    let (inputs, whole) = template_inputs(template_rel, &template);
    let paths = if whole {
        [String::new()].into()
    } else {
        inputs
    };
    Ok((template, paths))
}

/// A render of the template at one commit: the files of the generated repository.
pub struct Render {
    pub tree: BTreeMap<String, Entry>,
    pub template: Template,
    pub values: Map<String, Value>,
}

/// Renders the template as it was at `commit`, with `values` (defaults of that version added),
/// the recorded seed and task id; only offline steps run, remote ones are emulated without git.
pub fn render_at(
    catalog: &CatalogRepo,
    commit: git2::Oid,
    record: &Record,
    values: Map<String, Value>,
    integrations: &Integrations,
) -> Result<Render, String> {
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let source = scratch.path().join("catalog");
    // The template's own directory first, then the skeleton directories it fetches.
    let (template, inputs) = template_at(catalog, commit, record, &source)?;
    extract(&catalog.repo, commit, &inputs, &source)?;
    let renderer = Renderer::new(RenderOptions::default());
    let resolved = values::resolve(&template, values, Map::new(), &renderer);
    let problems = values::validate(&template, &resolved);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        return Err(format!(
            "the values do not fit the template at {} (pass the missing ones with --set):\n{}",
            short(commit),
            list.join("\n")
        ));
    }
    let ws = scratch.path().join("workspace");
    std::fs::create_dir(&ws).map_err(|e| e.to_string())?;
    let ws = ws.canonicalize().map_err(|e| e.to_string())?;
    let settings = RunSettings {
        parameters: Value::Object(resolved.parameters.clone()),
        secrets: resolved.secrets.clone(),
        user: None,
        task_id: record.task_id.clone(),
        workspace: &ws,
        url_map: &[],
        integrations,
        seed: record.seed,
        dry_run: true,
        skip_unsupported: true,
        keep_template_errors: false,
        record: None,
    };
    let report = runner::run(&template, &settings);
    if let Some(e) = report.error {
        return Err(format!(
            "rendering the template at {} (template.yaml line {}): {}",
            short(commit),
            e.line,
            e.message
        ));
    }
    // The generated repository is what the first publish step published.
    let repo_dir = report
        .effects
        .iter()
        .find_map(|e| match e {
            super::remote::Effect::Published { dir, .. } => Some(ws.join(dir)),
            _ => None,
        })
        .unwrap_or_else(|| ws.clone());
    record::annotate_catalog_files(&repo_dir, &record.template.reference)?;
    let tree =
        workspace::snapshot(&repo_dir, &[".git", ".callboard"]).map_err(|e| e.to_string())?;
    Ok(Render {
        tree,
        template,
        values: resolved.parameters,
    })
}

pub fn short(oid: git2::Oid) -> String {
    oid.to_string()[..12].to_string()
}

/// The newest commit up to `head` that changed any of the template's inputs, and whether
/// they differ between `current` and `head`.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub dir: String,
    pub template: String,
    pub current: String,
    pub latest: String,
    pub update_available: bool,
}

fn input_ids(
    repo: &git2::Repository,
    commit: git2::Oid,
    paths: &BTreeSet<String>,
) -> Result<Vec<Option<git2::Oid>>, String> {
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| e.message().to_string())?;
    Ok(paths
        .iter()
        .map(|p| {
            if p.is_empty() {
                Some(tree.id())
            } else {
                tree.get_path(Path::new(p)).ok().map(|e| e.id())
            }
        })
        .collect())
}

pub fn check(dir: &Path, catalog: &CatalogRepo, to: Option<&str>) -> Result<CheckResult, String> {
    let record = Record::read(dir)?;
    let current = catalog.recorded(&record)?;
    let head = catalog.resolve(to.unwrap_or("HEAD"))?;
    // What the template reads, as of the newest version (it may fetch new directories).
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (_, paths) = template_at(catalog, head, &record, scratch.path())?;
    let before = input_ids(&catalog.repo, current, &paths)?;
    let after = input_ids(&catalog.repo, head, &paths)?;
    let update_available = before != after;
    // The newest commit whose inputs differ from its first parent's.
    let mut latest = current;
    if update_available {
        let mut walk = catalog
            .repo
            .revwalk()
            .map_err(|e| e.message().to_string())?;
        walk.push(head).map_err(|e| e.message().to_string())?;
        walk.simplify_first_parent().ok();
        for oid in walk.flatten() {
            let commit = catalog
                .repo
                .find_commit(oid)
                .map_err(|e| e.message().to_string())?;
            let mine = input_ids(&catalog.repo, oid, &paths)?;
            let parent = match commit.parent_id(0) {
                Ok(p) => input_ids(&catalog.repo, p, &paths)?,
                Err(_) => vec![None; paths.len()],
            };
            if mine != parent {
                latest = oid;
                break;
            }
        }
    }
    Ok(CheckResult {
        dir: dir.to_string_lossy().into_owned(),
        template: record.template.reference.clone(),
        current: current.to_string(),
        latest: latest.to_string(),
        update_available,
    })
}

/// Files of the project that differ from a fresh render of the recorded version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Drift {
    pub path: String,
    /// modified, deleted (the template makes it, the project has none), added is not
    /// reported (projects add their own files).
    pub change: &'static str,
}

pub fn drift(
    dir: &Path,
    catalog: &CatalogRepo,
    integrations: &Integrations,
    skip: &globset::GlobSet,
) -> Result<Vec<Drift>, String> {
    let record = Record::read(dir)?;
    let commit = catalog.recorded(&record)?;
    let render = render_at(
        catalog,
        commit,
        &record,
        record.values.clone(),
        integrations,
    )?;
    let project = workspace::snapshot(dir, &[".git", ".callboard"]).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (path, entry) in &render.tree {
        if skip.is_match(path) || matches!(entry, Entry::Dir) {
            continue;
        }
        match project.get(path) {
            None => out.push(Drift {
                path: path.clone(),
                change: "deleted",
            }),
            Some(p) if p != entry => out.push(Drift {
                path: path.clone(),
                change: "modified",
            }),
            _ => {}
        }
    }
    Ok(out)
}

/// A path both sides changed: (path, base, ours, theirs).
type Conflict = (String, Option<Entry>, Option<Entry>, Option<Entry>);

/// What `update` did (or would do) to one path.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileUpdate {
    pub path: String,
    pub action: &'static str,
}

#[derive(Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateResult {
    pub from: String,
    pub to: String,
    pub files: Vec<FileUpdate>,
    pub conflicts: Vec<String>,
    /// The branch and commit made with `--commit`.
    pub branch: Option<String>,
    pub commit: Option<String>,
    /// Before/after of each changed path, for `--diff`.
    #[serde(skip)]
    pub changes: Vec<(String, Option<Entry>, Option<Entry>)>,
}

pub struct UpdateOptions<'a> {
    pub to: Option<&'a str>,
    pub set: &'a [String],
    pub allow_dirty: bool,
    pub recreate_deleted: bool,
    pub commit: bool,
    pub dry_run: bool,
    pub integrations: &'a Integrations,
}

fn bytes(entry: &Option<Entry>) -> Option<&[u8]> {
    match entry {
        Some(Entry::File { bytes, .. }) => Some(bytes),
        _ => None,
    }
}

pub fn update(
    dir: &Path,
    catalog: &CatalogRepo,
    options: &UpdateOptions<'_>,
) -> Result<UpdateResult, String> {
    let record = Record::read(dir)?;
    let project_repo = git2::Repository::open(dir)
        .map_err(|e| format!("{}: not a git repository ({})", dir.display(), e.message()))?;
    if !options.allow_dirty
        && !options.dry_run
        && git::has_changes(&project_repo, true).map_err(|e| e.to_string())?
    {
        return Err(format!(
            "{} has uncommitted changes; commit or stash them first (or pass --allow-dirty)",
            dir.display()
        ));
    }
    let from = catalog.recorded(&record)?;
    let to = catalog.resolve(options.to.unwrap_or("HEAD"))?;
    let old = render_at(
        catalog,
        from,
        &record,
        record.values.clone(),
        options.integrations,
    )?;
    let mut new_values = record.values.clone();
    for s in options.set {
        values::apply_set(&old.template, &mut new_values, s)?;
    }
    let new = render_at(catalog, to, &record, new_values, options.integrations)?;
    let ours = workspace::snapshot(dir, &[".git", ".callboard"]).map_err(|e| e.to_string())?;
    let mut result = UpdateResult {
        from: from.to_string(),
        to: to.to_string(),
        ..UpdateResult::default()
    };
    let paths: BTreeSet<&String> = old.tree.keys().chain(new.tree.keys()).collect();
    let mut writes: Vec<(String, Option<Entry>)> = Vec::new();
    let mut conflicts: Vec<Conflict> = Vec::new();
    for path in paths {
        let base = old.tree.get(path).cloned();
        let theirs = new.tree.get(path).cloned();
        let mine = ours.get(path).cloned();
        if theirs == base || mine == theirs {
            continue;
        }
        if matches!(theirs, Some(Entry::Dir))
            || matches!(base, Some(Entry::Dir)) && theirs.is_none()
        {
            if theirs.is_some() && mine.is_none() && base.is_none() {
                writes.push((path.clone(), theirs));
                result.files.push(FileUpdate {
                    path: path.clone(),
                    action: "created",
                });
            }
            continue;
        }
        if mine == base {
            let action = match (&base, &theirs) {
                (None, Some(_)) => "created",
                (Some(_), None) => "deleted",
                _ => "updated",
            };
            // A file the project deleted stays deleted.
            if mine.is_none() && base.is_some() && !options.recreate_deleted {
                result.files.push(FileUpdate {
                    path: path.clone(),
                    action: "kept-deleted",
                });
                continue;
            }
            writes.push((path.clone(), theirs.clone()));
            result.files.push(FileUpdate {
                path: path.clone(),
                action,
            });
            continue;
        }
        if mine.is_none() {
            if options.recreate_deleted && theirs.is_some() {
                writes.push((path.clone(), theirs));
                result.files.push(FileUpdate {
                    path: path.clone(),
                    action: "recreated",
                });
            } else {
                result.files.push(FileUpdate {
                    path: path.clone(),
                    action: "kept-deleted",
                });
            }
            continue;
        }
        if theirs.is_none() {
            // The template dropped a file the project changed: keep the project's.
            result.files.push(FileUpdate {
                path: path.clone(),
                action: "kept-modified",
            });
            continue;
        }
        // Both changed: a three-way text merge, unless either side is binary.
        let (Some(b_ours), Some(b_theirs)) = (bytes(&mine), bytes(&theirs)) else {
            conflicts.push((path.clone(), base, mine, theirs));
            continue;
        };
        let b_base = bytes(&base).unwrap_or(&[]);
        if workspace::is_binary(b_ours)
            || workspace::is_binary(b_theirs)
            || workspace::is_binary(b_base)
        {
            conflicts.push((path.clone(), base, mine, theirs));
            continue;
        }
        let mut ancestor = git2::MergeFileInput::new();
        ancestor.content(b_base);
        let mut our_input = git2::MergeFileInput::new();
        our_input.content(b_ours);
        let mut their_input = git2::MergeFileInput::new();
        their_input.content(b_theirs);
        let mut merge_options = git2::MergeFileOptions::new();
        merge_options
            .ancestor_label("last update")
            .our_label("before updating")
            .their_label("after updating");
        let merged = git2::merge_file(
            &ancestor,
            &our_input,
            &their_input,
            Some(&mut merge_options),
        )
        .map_err(|e| format!("{path}: {}", e.message()))?;
        let mode = match (&mine, &theirs, &base) {
            (
                Some(Entry::File { mode: m, .. }),
                Some(Entry::File { mode: t, .. }),
                Some(Entry::File { mode: b, .. }),
            ) if m == b => *t,
            (Some(Entry::File { mode: m, .. }), _, _) => *m,
            _ => 0o644,
        };
        let content = Entry::File {
            bytes: merged.content().to_vec(),
            mode,
        };
        if merged.is_automergeable() {
            writes.push((path.clone(), Some(content)));
            result.files.push(FileUpdate {
                path: path.clone(),
                action: "merged",
            });
        } else {
            writes.push((path.clone(), Some(content)));
            conflicts.push((path.clone(), base, mine, theirs));
        }
    }
    for (path, ..) in &conflicts {
        result.files.push(FileUpdate {
            path: path.clone(),
            action: "conflict",
        });
        result.conflicts.push(path.clone());
    }
    result.files.sort_by(|a, b| a.path.cmp(&b.path));
    for (path, after) in &writes {
        result
            .changes
            .push((path.clone(), ours.get(path).cloned(), after.clone()));
    }
    // Every path is checked before the first write, so a refused path stops the update
    // with nothing written.
    let guard = Confined::new(dir, "the repository");
    for (path, _) in &writes {
        guard.child(dir, path).map_err(|e| e.to_string())?;
    }
    let branch = (options.commit && conflicts.is_empty())
        .then(|| update_branch(&project_repo, &record, to))
        .transpose()?;
    if options.dry_run {
        return Ok(result);
    }
    // Apply: files first, then the record, then conflicts into the index.
    for (path, after) in &writes {
        let dest = dir.join(path);
        match after {
            None => {
                if dest.is_file() || dest.is_symlink() {
                    guard.remove(&dest)
                } else {
                    Ok(())
                }
            }
            Some(Entry::Dir) => guard.create_dir_all(&dest),
            Some(Entry::File { bytes, mode }) => guard.write_file_exact(&dest, bytes, *mode),
            Some(Entry::Symlink(target)) => guard.symlink(target, &dest),
        }
        .map_err(|e| e.to_string())?;
    }
    let mut updated = record.clone();
    updated.template.commit = Some(to.to_string());
    updated.values = new.values.clone();
    updated.generator = format!("callboard {}", env!("CARGO_PKG_VERSION"));
    guard
        .write_file(
            &dir.join(record::RECORD_PATH),
            updated.to_yaml().as_bytes(),
            None,
        )
        .map_err(|e| e.to_string())?;
    if let Some(branch) = branch {
        let mut written: Vec<&str> = writes.iter().map(|(p, _)| p.as_str()).collect();
        written.push(record::RECORD_PATH);
        let commit = commit_update(&project_repo, &record, from, to, &branch, &written)?;
        result.branch = Some(branch);
        result.commit = Some(commit);
    }
    if !conflicts.is_empty() {
        mark_conflicts(&project_repo, &conflicts)?;
    }
    Ok(result)
}

/// Leaves conflicting paths unmerged in the index (stages 1, 2, 3), so `git status` shows them.
fn mark_conflicts(repo: &git2::Repository, conflicts: &[Conflict]) -> Result<(), String> {
    let fail = |e: git2::Error| e.message().to_string();
    let mut index = repo.index().map_err(fail)?;
    for (path, base, mine, theirs) in conflicts {
        index.remove_path(Path::new(path)).ok();
        for (stage, entry) in [(1u16, base), (2, mine), (3, theirs)] {
            let Some(Entry::File { bytes, mode }) = entry else {
                continue;
            };
            let oid = repo.blob(bytes).map_err(fail)?;
            let mode = if *mode & 0o111 != 0 {
                0o100755
            } else {
                0o100644
            };
            index
                .add(&index_entry(path, oid, mode, bytes.len(), stage))
                .map_err(fail)?;
        }
    }
    index.write().map_err(fail)
}

/// The branch `callboard/update-<template>-<short>` the update commits on. An existing branch
/// is only ever moved forward: it must be HEAD's branch or an ancestor of HEAD, else the
/// update is refused before anything is written (the commits on it would be lost).
fn update_branch(
    repo: &git2::Repository,
    record: &Record,
    to: git2::Oid,
) -> Result<String, String> {
    let fail = |e: git2::Error| e.message().to_string();
    let name = record
        .template
        .reference
        .rsplit('/')
        .next()
        .unwrap_or("template");
    let branch = format!("callboard/update-{name}-{}", &to.to_string()[..8]);
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(fail)?;
    if let Ok(existing) = repo.find_branch(&branch, git2::BranchType::Local) {
        let tip = existing.get().peel_to_commit().map_err(fail)?.id();
        let behind_head =
            tip == head.id() || repo.graph_descendant_of(head.id(), tip).map_err(fail)?;
        if !behind_head {
            return Err(format!(
                "the branch {branch} already exists with commits that HEAD does not have; \
                 check it out and run the update there, or delete the branch; nothing was written"
            ));
        }
    }
    Ok(branch)
}

/// Commits exactly the files the update wrote (`written`, relative paths) on top of HEAD, on
/// `branch` (checked by [`update_branch`]); other changes in the work tree or the index stay
/// uncommitted.
fn commit_update(
    repo: &git2::Repository,
    record: &Record,
    from: git2::Oid,
    to: git2::Oid,
    branch: &str,
    written: &[&str],
) -> Result<String, String> {
    let fail = |e: git2::Error| e.message().to_string();
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(fail)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| "the repository has no work tree".to_string())?
        .to_path_buf();
    // The commit's tree is HEAD's plus the written files, built in memory so that whatever the
    // person staged is not swept in.
    let mut staging = git2::Index::new().map_err(fail)?;
    staging
        .read_tree(&head.tree().map_err(fail)?)
        .map_err(fail)?;
    let mut index = repo.index().map_err(fail)?;
    for path in written {
        let full = workdir.join(path);
        match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(meta) => {
                let (bytes, mode) = if meta.file_type().is_symlink() {
                    let target = std::fs::read_link(&full)
                        .map_err(|e| format!("{}: {e}", full.display()))?;
                    (target.to_string_lossy().into_owned().into_bytes(), 0o120000)
                } else {
                    let bytes =
                        std::fs::read(&full).map_err(|e| format!("{}: {e}", full.display()))?;
                    let mode = if workspace::file_mode(&meta) & 0o111 != 0 {
                        0o100755
                    } else {
                        0o100644
                    };
                    (bytes, mode)
                };
                let oid = repo.blob(&bytes).map_err(fail)?;
                staging
                    .add(&index_entry(path, oid, mode, bytes.len(), 0))
                    .map_err(fail)?;
                index
                    .add(&index_entry(path, oid, mode, bytes.len(), 0))
                    .map_err(fail)?;
            }
            Err(_) => {
                let _ = staging.remove_path(Path::new(path));
                let _ = index.remove_path(Path::new(path));
            }
        }
    }
    let tree = repo
        .find_tree(staging.write_tree_to(repo).map_err(fail)?)
        .map_err(fail)?;
    let signature = repo
        .signature()
        .or_else(|_| git2::Signature::now("callboard", "callboard@localhost"))
        .map_err(fail)?;
    let message = format!(
        "Update from {} ({}..{})\n\nMade by `callboard scaffold update`.",
        record.template.reference,
        short(from),
        short(to)
    );
    let oid = repo
        .commit(None, &signature, &signature, &message, &tree, &[&head])
        .map_err(fail)?;
    let commit = repo.find_commit(oid).map_err(fail)?;
    // Forward only: update_branch checked that the branch is behind HEAD, and the commit's
    // parent is HEAD.
    repo.branch(branch, &commit, true).map_err(fail)?;
    repo.set_head(&format!("refs/heads/{branch}"))
        .map_err(fail)?;
    index.write().map_err(fail)?;
    Ok(oid.to_string())
}

/// An index entry for `path` at merge stage `stage` (0 for a normal entry).
fn index_entry(path: &str, id: git2::Oid, mode: u32, size: usize, stage: u16) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: size as u32,
        id,
        flags: stage << 12,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}
