//! The layers of docs/design.md, enforced: who may import whom, and which modules own printing
//! and libgit2. A new import across a layer fails here with the file and line.
//!
//! ```text
//! main.rs → commands → cli (argument types) → report → domains (score, bulk, scaffold, adoption,
//!           fix)
//!         → catalog → config → diag, formats, reader, source (git) → yaml, fs, dates, suggest, located,
//!           budget
//! ```

use std::path::{Path, PathBuf};

/// The layer of a module, by its top-level name under src/ (higher may import lower). The
/// ground floor (0–2) is ordered too, so it has no cycles: yaml, the guarded file system and
/// the small helpers; then findings, field formats, the typed reader and git on them; then the
/// configuration.
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "yaml" | "dates" | "suggest" | "located" | "fs" | "budget" => 0,
        "diag" | "formats" | "reader" | "source" => 1,
        "config" => 2,
        "catalog" => 3,
        // `fix`: the one-obvious-fix engine (reads the catalog, plans minimal edits).
        "score" | "bulk" | "scaffold" | "adoption" | "fix" | "lsp" => 4,
        "report" => 5,
        // The clap definitions: plain argument types the commands receive.
        "cli" => 6,
        "commands" => 7,
        "main" | "lib" => 8,
        _ => return None,
    })
}

/// Imports a domain may make of another domain (through its public API, because the work
/// really is that domain's).
const DOMAIN_USES: &[(&str, &str)] = &[
    // The adoption report evaluates scorecards with the score engine.
    ("adoption", "score"),
    // `adoption report --teams/--eligible` select entities in the bulk commands' filter language.
    ("adoption", "bulk"),
    // `catalog edit` paths use the scorecard path syntax.
    ("bulk", "score"),
    // A scorecard's `appliesTo.where` is the bulk commands' filter language (one selection language).
    ("score", "bulk"),
    // The language server's references and rename are `catalog rename`'s index and plan.
    ("lsp", "bulk"),
    // Diagnostics of Software Templates are `scaffold lint`'s.
    ("lsp", "scaffold"),
    // Code actions are the fix engine's one-obvious fixes, the same as `catalog validate --fix`.
    ("lsp", "fix"),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// (file relative to src/, its top-level module, source text)
fn modules() -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&f).unwrap();
            (rel, top, text)
        })
        .collect()
}

/// Lines of non-test code (a `#[cfg(test)]` module at the end of a file is left out).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

#[test]
fn every_module_has_a_layer() {
    for (rel, top, _) in modules() {
        assert!(
            layer(&top).is_some(),
            "src/{rel}: module `{top}` has no layer in tests/architecture.rs (and docs/design.md)"
        );
    }
}

#[test]
fn imports_only_go_down_the_layers() {
    let mut problems = Vec::new();
    for (rel, top, text) in modules() {
        let Some(own) = layer(&top) else { continue };
        for (n, line) in code_lines(&text) {
            for (i, _) in line.match_indices("crate::") {
                let used: String = line[i + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if used.is_empty() {
                    problems.push(format!(
                        "src/{rel}:{n}: write one `use crate::module::…` per module, so this check sees it"
                    ));
                    continue;
                }
                let Some(theirs) = layer(&used) else { continue };
                let allowed = theirs < own
                    || used == top
                    || DOMAIN_USES.contains(&(top.as_str(), used.as_str()));
                if !allowed {
                    problems.push(format!(
                        "src/{rel}:{n}: `{top}` uses `{used}`: {}",
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports against the layers:\n{}",
        problems.join("\n")
    );
}

#[test]
fn only_main_and_the_command_layer_print() {
    let mut problems = Vec::new();
    for (rel, top, text) in modules() {
        if matches!(top.as_str(), "main") || rel == "commands/mod.rs" {
            continue;
        }
        for (n, line) in code_lines(&text) {
            for mac in ["println!", "print!(", "eprintln!", "eprint!(", "dbg!("] {
                if line.contains(mac) {
                    problems.push(format!("src/{rel}:{n}: {}", line.trim()));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "print through commands::write_output / to_stderr instead:\n{}",
        problems.join("\n")
    );
}

/// libgit2 is reached through `source/git.rs`. The files below call it directly, each for work
/// the facade does not do (docs/design.md has the table: history walks that read raw objects
/// for speed, the `git.*` facts' revision walk, the scaffold's commits and three-way merges);
/// they open repositories and resolve revisions through the facade. The list may only shrink.
const GIT2_USERS: &[&str] = &[
    "source/git.rs",
    "adoption/history.rs",
    "adoption/compare.rs",
    "score/facts.rs",
    "scaffold/remote.rs",
    "scaffold/update.rs",
];

#[test]
fn libgit2_stays_behind_the_facade() {
    let mut problems = Vec::new();
    for (rel, _, text) in modules() {
        if GIT2_USERS.contains(&rel.as_str()) {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if line.contains("git2::") || line.trim_start().starts_with("use git2") {
                problems.push(format!("src/{rel}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "call source::git instead of git2:\n{}",
        problems.join("\n")
    );
}
