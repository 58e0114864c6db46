//! Finding candidate catalog files under the given paths: gitignore-aware, deterministic order.

use std::path::{Path, PathBuf};

use globset::GlobSet;

/// Name of an extra ignore file, with .gitignore syntax, honoured during discovery.
pub const IGNORE_FILE: &str = ".callboardignore";

#[derive(Debug, Default)]
pub struct Discovered {
    /// YAML files found by walking directories, sorted.
    pub walked: Vec<PathBuf>,
    /// Files named on the command line (always read as catalog files).
    pub explicit: Vec<PathBuf>,
    /// Paths named on the command line that do not exist.
    pub missing: Vec<PathBuf>,
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

pub fn discover(
    paths: &[PathBuf],
    include: Option<&GlobSet>,
    exclude: Option<&GlobSet>,
) -> Discovered {
    let mut out = Discovered::default();
    for path in paths {
        if path.is_file() {
            out.explicit.push(tidy(path));
            continue;
        }
        if !path.is_dir() {
            out.missing.push(path.clone());
            continue;
        }
        let found = std::sync::Mutex::new(Vec::new());
        ignore::WalkBuilder::new(path)
            .require_git(false)
            .add_custom_ignore_filename(IGNORE_FILE)
            // ripgrep's `.ignore` files are not ours to honour; one fewer open per directory.
            .ignore(false)
            .build_parallel()
            .run(|| {
                let found = &found;
                Box::new(move |entry| {
                    let Ok(entry) = entry else {
                        return ignore::WalkState::Continue;
                    };
                    if !entry.file_type().is_some_and(|t| t.is_file()) || !is_yaml(entry.path()) {
                        return ignore::WalkState::Continue;
                    }
                    let rel = entry.path().strip_prefix(path).unwrap_or(entry.path());
                    let included = include.is_none_or(|inc| inc.is_match(rel));
                    let excluded = exclude.is_some_and(|exc| exc.is_match(rel));
                    if included && !excluded {
                        found
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(tidy(entry.path()));
                    }
                    ignore::WalkState::Continue
                })
            });
        out.walked
            .extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    out.walked.sort();
    out.walked.dedup();
    out.explicit.sort();
    out.explicit.dedup();
    out
}
