//! Finding candidate catalog files under the given paths: gitignore-aware, deterministic order.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;

/// Name of an extra ignore file, with .gitignore syntax, honoured during discovery.
pub const IGNORE_FILE: &str = ".callboardignore";

#[derive(Debug)]
pub struct Discovered<T> {
    /// What `visit` made of the YAML files found by walking directories (unordered).
    pub walked: Vec<T>,
    /// Files named on the command line (always read as catalog files), sorted.
    pub explicit: Vec<PathBuf>,
    /// Paths named on the command line that do not exist.
    pub missing: Vec<PathBuf>,
    /// What the walk could not read (directories, ignore files, over-long paths): reported,
    /// since a catalog file below it would otherwise be skipped without a word.
    pub problems: Vec<WalkProblem>,
}

/// A directory, path or ignore file the walk could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: Option<PathBuf>,
    /// The line of an ignore file, when the problem is one of its patterns.
    pub line: Option<u64>,
    /// The problem is in a `.gitignore`/`.callboardignore` file, not in reading a directory.
    pub ignore_file: bool,
    pub message: String,
}

/// Flattens an error of the `ignore` crate into one problem per underlying error.
fn problems_of(err: &ignore::Error, ignore_file: bool, out: &mut Vec<WalkProblem>) {
    fn walk(
        err: &ignore::Error,
        path: Option<&Path>,
        line: Option<u64>,
        ignore_file: bool,
        out: &mut Vec<WalkProblem>,
    ) {
        match err {
            ignore::Error::Partial(errs) => {
                for e in errs {
                    walk(e, path, line, ignore_file, out);
                }
            }
            ignore::Error::WithPath { path, err } => walk(err, Some(path), line, ignore_file, out),
            ignore::Error::WithLineNumber { line, err } => {
                walk(err, path, Some(*line), ignore_file, out);
            }
            ignore::Error::WithDepth { err, .. } => walk(err, path, line, ignore_file, out),
            other => out.push(WalkProblem {
                path: path.map(tidy),
                line,
                ignore_file: ignore_file || matches!(other, ignore::Error::Glob { .. }),
                message: other.to_string(),
            }),
        }
    }
    walk(err, None, None, ignore_file, out);
}

pub fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

pub fn is_catalog_info_name(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some("catalog-info.yaml" | "catalog-info.yml")
    )
}

/// Removes a leading `./` so paths print the way users write them.
pub fn tidy(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Walks `paths` in parallel. Each YAML file found is handed to `visit` on the walker's own
/// thread, so reading and checking overlap with directory listing (as ripgrep does).
pub fn discover<T: Send>(
    paths: &[PathBuf],
    include: Option<&GlobSet>,
    exclude: Option<&GlobSet>,
    visit: &(dyn Fn(PathBuf) -> Option<T> + Sync),
) -> Discovered<T> {
    let mut explicit = Vec::new();
    let mut missing = Vec::new();
    let mut dirs = Vec::new();
    for path in paths {
        if path.is_file() {
            explicit.push(tidy(path));
        } else if path.is_dir() {
            dirs.push(path);
        } else {
            missing.push(path.clone());
        }
    }
    explicit.sort();
    explicit.dedup();
    let explicit_set: HashSet<&Path> = explicit.iter().map(PathBuf::as_path).collect();
    let found = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    for path in dirs {
        ignore::WalkBuilder::new(path)
            .require_git(false)
            .add_custom_ignore_filename(IGNORE_FILE)
            // ripgrep's `.ignore` files are not ours to honour; one fewer open per directory.
            .ignore(false)
            // Hidden folders (`.backstage/`, `.security/`) can hold entity files: walk them
            // (files are kept by content, `.callboardignore` opts out), but never `.git`.
            .hidden(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build_parallel()
            .run(|| {
                let found = &found;
                let problems = &problems;
                let explicit_set = &explicit_set;
                Box::new(move |entry| {
                    let entry = match entry {
                        Ok(entry) => entry,
                        Err(err) => {
                            let mut list = problems.lock().unwrap_or_else(|e| e.into_inner());
                            problems_of(&err, false, &mut list);
                            return ignore::WalkState::Continue;
                        }
                    };
                    // A directory whose ignore files could not be read or parsed in part.
                    if let Some(err) = entry.error() {
                        let mut list = problems.lock().unwrap_or_else(|e| e.into_inner());
                        problems_of(err, true, &mut list);
                    }
                    if !entry.file_type().is_some_and(|t| t.is_file()) || !is_yaml(entry.path()) {
                        return ignore::WalkState::Continue;
                    }
                    let rel = entry.path().strip_prefix(path).unwrap_or(entry.path());
                    let included = include.is_none_or(|inc| inc.is_match(rel));
                    let excluded = exclude.is_some_and(|exc| exc.is_match(rel));
                    let file = tidy(entry.path());
                    if included
                        && !excluded
                        && !explicit_set.contains(file.as_path())
                        && let Some(item) = visit(file)
                    {
                        found.lock().unwrap_or_else(|e| e.into_inner()).push(item);
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    Discovered {
        walked: found.into_inner().unwrap_or_else(|e| e.into_inner()),
        explicit,
        missing,
        problems: {
            let mut list = problems.into_inner().unwrap_or_else(|e| e.into_inner());
            list.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            list.dedup();
            list
        },
    }
}
