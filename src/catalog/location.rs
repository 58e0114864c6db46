//! Resolving a Location entity's `target`/`targets` against the repository, as Backstage's
//! `FileReaderProcessor` does for `file` targets (and a URL reader would for relative `url` ones).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::GlobBuilder;
use rayon::prelude::*;

use crate::catalog::entity::{LocationSpec, normalize};
use crate::catalog::same_repo::SameRepository;
use crate::diag::{Code, Diagnostic};

/// The files one Location reaches, and the problems with its targets.
#[derive(Debug, Default)]
pub struct Resolved {
    /// (pointer of the target, file reached)
    pub files: Vec<(String, PathBuf)>,
    pub diagnostics: Vec<Diagnostic>,
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// How a Location's targets are read: a `file` type (written out, or the default) or `url`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetKind {
    File { explicit: bool },
    Url,
}

fn is_remote(s: &str) -> bool {
    !s.starts_with('.') && url::Url::parse(s).is_ok_and(|u| u.scheme().len() > 1)
}

/// `known` holds files already found by discovery, so most targets need no file-system call.
/// Targets are confined to `root` (the repository): a target outside it, or a file reached
/// through a link out of it, is reported and never read.
pub fn resolve(
    spec: &LocationSpec,
    dir: &Path,
    root: &Path,
    known: &HashSet<PathBuf>,
    same_repo: Option<&SameRepository>,
) -> Resolved {
    let mut out = Resolved::default();
    let location_type = spec.location_type.as_deref().unwrap_or("file");
    let kind = match spec.location_type.as_deref() {
        Some("file") => TargetKind::File { explicit: true },
        None => TargetKind::File { explicit: false },
        _ => TargetKind::Url,
    };
    if !matches!(location_type, "file" | "url") {
        out.diagnostics.push(
            Diagnostic::new(
                Code::LocationTypeUnknown,
                format!("no processor can read Location type \"{location_type}\""),
            )
            .at("/spec/type")
            .help("use type file or url"),
        );
        return out;
    }
    // Resolved once for every target of this Location.
    let root = crate::fs::ReadRoot::new(root).ok();
    let root = root.as_ref();
    // A root Location may list every file of a monorepo: resolve its targets in parallel.
    let per_target: Vec<Resolved> = spec
        .targets
        .par_iter()
        .map(|(pointer, target)| {
            // A URL into this repository is its working-tree path.
            let local = is_remote(target)
                .then(|| same_repo.and_then(|r| r.local_target(target, dir)))
                .flatten();
            match &local {
                Some(path) => resolve_target(
                    pointer,
                    path,
                    TargetKind::File { explicit: true },
                    spec.optional,
                    (dir, root),
                    known,
                ),
                None => resolve_target(pointer, target, kind, spec.optional, (dir, root), known),
            }
        })
        .collect();
    for r in per_target {
        out.files.extend(r.files);
        out.diagnostics.extend(r.diagnostics);
    }
    out
}

/// One target: the files it reaches and the problems with it.
fn resolve_target(
    pointer: &str,
    target: &str,
    kind: TargetKind,
    optional: bool,
    (dir, root): (&Path, Option<&crate::fs::ReadRoot>),
    known: &HashSet<PathBuf>,
) -> Resolved {
    let mut out = Resolved::default();
    let pointer = pointer.to_string();
    // For a Location of `type: file` every target is a path, even one that parses as a URL
    // (`user:jdoe@example.com`): Backstage's file reader looks for that file. Without a type,
    // the type is the parent's (a URL for most registered repositories): remote, as before.
    if kind != (TargetKind::File { explicit: true }) && is_remote(target) {
        out.diagnostics.push(
            Diagnostic::new(
                Code::RemoteLocationTarget,
                format!("target {target} is remote and cannot be checked offline"),
            )
            .at(pointer.clone()),
        );
        return out;
    }
    if matches!(kind, TargetKind::File { .. }) && (target.ends_with('/') || target.ends_with('\\'))
    {
        out.diagnostics.push(
                Diagnostic::new(
                    Code::LocationTargetTrailingSlash,
                    format!("file target \"{target}\" ends with a path separator; a target names files, not a directory"),
                )
                .at(pointer.clone())
                .help(format!("name the files, e.g. {}*/catalog-info.yaml", target)),
            );
        return out;
    }
    let path = if Path::new(target).is_absolute() {
        PathBuf::from(target)
    } else {
        if matches!(kind, TargetKind::File { .. }) && !target.starts_with('.') {
            out.diagnostics.push(
                    Diagnostic::new(
                        Code::LocationTargetCwdRelative,
                        format!(
                            "file target \"{target}\" does not start with \".\", so Backstage resolves it against the backend's working directory, not this file"
                        ),
                    )
                    .at(pointer.clone())
                    .help(format!("write \"./{target}\" to make it relative to this file")),
                );
        }
        normalize(&dir.join(target))
    };
    let outside = |out: &mut Resolved| {
        out.diagnostics.push(
            crate::catalog::placeholder::outside_repository(&format!("target \"{target}\" is"))
                .at(pointer.clone()),
        );
    };
    // The literal part of the path (a glob's base) must not leave the repository by name.
    let literal: PathBuf = path
        .components()
        .take_while(|c| !is_glob(&c.as_os_str().to_string_lossy()))
        .collect();
    let Some(root) = root.filter(|r| r.contains_lexically(&literal)) else {
        outside(&mut out);
        return out;
    };
    let candidates = if is_glob(target) {
        glob_files(&path)
    } else if known.contains(crate::source::discover::tidy(&path).as_path()) || path.is_file() {
        vec![path.clone()]
    } else {
        Vec::new()
    };
    // Each file reached must really be inside (a link may lead out). A file discovery found is
    // inside already: the walk does not follow links.
    let (matched, escaped): (Vec<PathBuf>, Vec<PathBuf>) = candidates.into_iter().partition(|f| {
        known.contains(crate::source::discover::tidy(f).as_path())
            || !matches!(root.confine(f), Err(crate::fs::ReadError::Outside { .. }))
    });
    if !escaped.is_empty() {
        outside(&mut out);
        return out;
    }
    if matched.is_empty() && !optional {
        out.diagnostics.push(
                Diagnostic::new(
                    Code::LocationTargetMissing,
                    if is_glob(target) {
                        format!("target \"{target}\" matches no file")
                    } else {
                        format!("target \"{target}\" does not exist")
                    },
                )
                .at(pointer.clone())
                .help("fix the path (relative to this file), add the file, or set spec.presence: optional"),
            );
    }
    out.files
        .extend(matched.into_iter().map(|f| (pointer.clone(), f)));
    out
}

/// Files matching a glob path, walking from its longest literal prefix.
fn glob_files(pattern: &Path) -> Vec<PathBuf> {
    let text = pattern.to_string_lossy();
    let mut base = PathBuf::new();
    for comp in pattern.components() {
        if is_glob(&comp.as_os_str().to_string_lossy()) {
            break;
        }
        base.push(comp);
    }
    let Ok(glob) = GlobBuilder::new(&text).literal_separator(true).build() else {
        return Vec::new();
    };
    let matcher = glob.compile_matcher();
    if base.as_os_str().is_empty() {
        base.push(".");
    }
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(&base)
        .standard_filters(false)
        .hidden(true)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| matcher.is_match(p))
        .collect();
    out.sort();
    out
}

/// Whether a `file` target written in a Location of directory `dir` names `file` (a path or a
/// glob), by name alone: `file` need not exist yet. Remote and absolute targets never do.
pub fn target_names(dir: &Path, target: &str, file: &Path) -> bool {
    if is_remote(target) || Path::new(target).is_absolute() {
        return false;
    }
    let absolute =
        |p: &Path| crate::fs::lexical_normalize(&std::path::absolute(p).unwrap_or(p.to_path_buf()));
    let wanted = absolute(file);
    let pattern = absolute(&dir.join(target));
    if !is_glob(target) {
        return pattern == wanted;
    }
    GlobBuilder::new(&pattern.to_string_lossy())
        .literal_separator(true)
        .build()
        .is_ok_and(|g| g.compile_matcher().is_match(&wanted))
}

#[cfg(test)]
mod target_tests {
    use super::*;

    #[test]
    fn targets_name_files_by_path_or_glob() {
        let dir = Path::new("repo");
        let file = Path::new("repo/services/payments/catalog-info.yaml");
        assert!(target_names(
            dir,
            "./services/payments/catalog-info.yaml",
            file
        ));
        assert!(target_names(dir, "./services/*/catalog-info.yaml", file));
        assert!(target_names(dir, "./services/**/*.yaml", file));
        assert!(target_names(
            Path::new("repo/services"),
            "../services/payments/catalog-info.yaml",
            file
        ));
        assert!(!target_names(dir, "./*/catalog-info.yaml", file));
        assert!(!target_names(
            dir,
            "./services/other/catalog-info.yaml",
            file
        ));
        assert!(!target_names(
            dir,
            "https://example.com/catalog-info.yaml",
            file
        ));
    }
}
