//! `catalog validate --profile backstage` against Backstage's own verdict, recorded from the
//! offline oracle into tests/fidelity/oracle.jsonl (bench/record-fidelity.sh). Each case once
//! disagreed: normalisations Backstage applies before checking, root fields of the server,
//! YAML details (directives, aliases across documents, bytes that are not UTF-8) and Location
//! targets that look like URLs.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fidelity"))
}

/// Backstage's verdict per file: `None` when the whole file failed, else ok per entity ref.
fn recorded() -> BTreeMap<String, Option<BTreeMap<String, bool>>> {
    recorded_in(dir())
}

type Verdicts = BTreeMap<String, Option<BTreeMap<String, bool>>>;

fn recorded_in(dir: &Path) -> Verdicts {
    let text = std::fs::read_to_string(dir.join("oracle.jsonl")).unwrap();
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let results = v["results"].as_array().unwrap();
            let verdict = if results.iter().any(|r| r.get("error").is_some()) {
                None
            } else {
                Some(
                    results
                        .iter()
                        .map(|r| {
                            (
                                r["ref"].as_str().unwrap().to_string(),
                                r["ok"].as_bool().unwrap(),
                            )
                        })
                        .collect(),
                )
            };
            (v["file"].as_str().unwrap().to_string(), verdict)
        })
        .collect()
}

/// callboard's verdict in the same shape: an error not tied to an entity fails the file.
fn callboard(file: &str) -> Option<BTreeMap<String, bool>> {
    callboard_in(dir(), file)
}

fn callboard_in(dir: &Path, file: &str) -> Option<BTreeMap<String, bool>> {
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .args([
            "catalog",
            "validate",
            "--profile",
            "backstage",
            "-f",
            "json",
            file,
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut entities = BTreeMap::new();
    let mut file_failed = false;
    for d in v["diagnostics"].as_array().unwrap() {
        let error = d["severity"] == "error";
        match d["entity"].as_str() {
            Some(e) => {
                let ok = entities.entry(e.to_string()).or_insert(true);
                *ok &= !error;
            }
            None if error => file_failed = true,
            None => {}
        }
    }
    if file_failed && v["entities"] == 0 {
        return None;
    }
    // Entities without a finding were accepted; their refs come from the YAML itself.
    let bytes = std::fs::read(dir.join(file)).unwrap();
    for doc in callboard::yaml::parse_stream(&String::from_utf8_lossy(&bytes)).documents {
        let root = &doc.document.root;
        if let (Some(kind), Some(name)) = (
            root.pointer("/kind").and_then(|n| n.as_str()),
            root.pointer("/metadata/name").and_then(|n| n.as_str()),
        ) {
            entities
                .entry(format!("{}:default/{name}", kind.to_lowercase()))
                .or_insert(true);
        }
    }
    Some(entities)
}

#[test]
fn every_case_has_a_recorded_verdict() {
    let recorded = recorded();
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    let listed: Vec<String> = recorded.keys().cloned().collect();
    assert_eq!(files, listed, "run bench/record-fidelity.sh");
}

#[test]
fn verdicts_match_backstage() {
    let mut differences = Vec::new();
    for (file, backstage) in recorded() {
        let ours = callboard(&file);
        if ours != backstage {
            differences.push(format!(
                "{file}: Backstage {backstage:?}, callboard {ours:?}"
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// Placeholders with absolute URLs into the repository being checked, recorded with
/// bench/oracle-urls (the same pipeline, with a URL reader serving the working tree).
#[test]
fn same_repository_urls_match_backstage() {
    // Top-level files are cases; steps/ holds what their URLs point at.
    compare_in_repository("urls", |f| !f.contains('/'));
}

/// The portal's own catalog rules (tests/fidelity/rules/app-config.yaml), recorded with
/// bench/oracle-urls --app-config (Backstage's rules enforcer on each file's URL).
#[test]
fn portal_catalog_rules_match_backstage() {
    compare_in_repository("rules", |f| !f.starts_with("app-config"));
}

/// Copies tests/fidelity/CASES into a git repository whose `origin` is the repository the
/// recorded URLs name, and compares callboard's verdict on each recorded file.
fn compare_in_repository(cases: &str, is_case: fn(&str) -> bool) {
    let cases = dir().join(cases);
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    for entry in walk(&cases) {
        let rel = entry.strip_prefix(&cases).unwrap();
        std::fs::create_dir_all(repo.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(&entry, repo.join(rel)).unwrap();
    }
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(repo)
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["remote", "add", "origin", "git@github.com:acme/catalog.git"]);
    let recorded = recorded_in(&cases);
    let mut files: Vec<String> = walk(&cases)
        .iter()
        .map(|p| {
            p.strip_prefix(&cases)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".yaml") && is_case(n))
        .collect();
    files.sort();
    assert_eq!(
        files,
        recorded.keys().cloned().collect::<Vec<_>>(),
        "run bench/record-fidelity.sh"
    );
    let mut differences = Vec::new();
    for (file, backstage) in recorded {
        let ours = callboard_in(repo, &file);
        if ours != backstage {
            differences.push(format!(
                "{file}: Backstage {backstage:?}, callboard {ours:?}"
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
