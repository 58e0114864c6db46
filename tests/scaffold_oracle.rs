//! Fidelity: every case under tests/scaffold/oracle (the real templates of the corpus and one
//! focused template per behaviour) is run with callboard and compared with the tree Backstage's
//! own scaffolder wrote for the same values (expected.json, made by bench/scaffold-oracle.py).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

const TASK_ID: &str = "00000000-0000-4000-8000-000000000000";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scaffold")
}

/// Cases where callboard deliberately differs from Backstage (docs/scaffold.md, "Differences").
const DEVIATIONS: &[(&str, &str)] = &[(
    "each-and-outputs",
    "commitHash is the id of a real local commit",
)];

/// The tree callboard wrote, in expected.json's shape (without .git and callboard's record).
fn tree(dir: &Path) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Value>) {
    use std::os::unix::fs::PermissionsExt;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if dir == root && (rel == ".git" || rel == ".callboard") {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = format!("{:04o}", meta.permissions().mode() & 0o7777);
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            out.insert(
                rel.clone(),
                json!({"path": rel, "type": "symlink", "target": target}),
            );
        } else if meta.is_dir() {
            out.insert(
                rel.clone(),
                json!({"path": rel, "type": "dir", "mode": mode}),
            );
            walk(root, &path, out);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            let mut entry = json!({"path": rel, "type": "file", "mode": mode});
            match String::from_utf8(bytes.clone()) {
                Ok(text) => entry["text"] = json!(text),
                Err(_) => entry["bytes"] = json!(bytes),
            }
            out.insert(rel, entry);
        }
    }
}

fn expected_tree(expected: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for f in expected["files"].as_array().unwrap() {
        let mut f = f.clone();
        // Empty directories are listed as "dir/".
        let path = f["path"]
            .as_str()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        f["path"] = json!(path);
        if let Some(b64) = f.get("base64").and_then(Value::as_str) {
            f["bytes"] = json!(decode_base64(b64));
            f.as_object_mut().unwrap().remove("base64");
        }
        if f["type"] == "symlink" {
            f.as_object_mut().unwrap().remove("mode");
        }
        out.insert(path, f);
    }
    out
}

fn decode_base64(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

/// callboard adds `backstage.io/source-template` to the new repository's catalog file (Backstage
/// does not); compare without that one line, and check it was the only difference.
fn strip_annotation(tree: &mut BTreeMap<String, Value>) {
    for name in ["catalog-info.yaml", "catalog-info.yml"] {
        if let Some(entry) = tree.get_mut(name)
            && let Some(text) = entry["text"].as_str()
        {
            let lines: Vec<&str> = text
                .split_inclusive('\n')
                .filter(|l| {
                    !l.trim_start()
                        .starts_with("backstage.io/source-template: template:")
                })
                .collect();
            // An `annotations:` left empty by that is dropped too.
            let indent = |l: &str| l.len() - l.trim_start().len();
            let kept: String = lines
                .iter()
                .enumerate()
                .filter(|(i, l)| {
                    !(l.trim() == "annotations:"
                        && lines.get(i + 1).is_none_or(|n| indent(n) <= indent(l)))
                })
                .map(|(_, l)| *l)
                .collect();
            entry["text"] = json!(kept);
        }
    }
}

struct Outcome {
    case: String,
    problems: Vec<String>,
}

fn run_case(dir: &Path) -> Outcome {
    let case_name = dir.file_name().unwrap().to_string_lossy().to_string();
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let values = work.path().join("values.json");
    std::fs::write(&values, case["values"].to_string()).unwrap();
    let out = work.path().join("out");
    let mut cmd = Command::cargo_bin("callboard").unwrap();
    cmd.current_dir(work.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["scaffold", "run"])
        .arg(root().join(case["template"].as_str().unwrap()))
        .arg("--values")
        .arg(&values)
        .arg("--output")
        .arg(&out)
        .args(["--task-id", TASK_ID, "--skip-unsupported"]);
    if let Some(secrets) = case.get("secrets") {
        let file = work.path().join("secrets.json");
        std::fs::write(&file, secrets.to_string()).unwrap();
        cmd.arg("--secrets").arg(file);
    }
    if let Some(user) = case.get("user").and_then(Value::as_str) {
        cmd.args(["--user", user]);
        if let Some(entity) = case.get("userEntity").and_then(Value::as_str) {
            cmd.arg("--catalog")
                .arg(root().join(entity).parent().unwrap());
        }
    }
    for m in case
        .get("urlMap")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (prefix, rel) = m.as_str().unwrap().split_once('=').unwrap();
        cmd.arg("--url-map")
            .arg(format!("{prefix}={}", root().join(rel).display()));
    }
    let result = cmd.output().unwrap();
    let code = result.status.code().unwrap_or(-1);
    let mut problems = Vec::new();
    let expected_exit = expected["exit"].as_i64().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    match expected_exit {
        0 => {
            if code != 0 {
                problems.push(format!("exit {code} (Backstage: 0): {stderr}"));
            } else {
                let mut ours = tree(&out);
                strip_annotation(&mut ours);
                let mut theirs = expected_tree(&expected);
                strip_annotation(&mut theirs);
                for (path, entry) in &theirs {
                    match ours.get(path) {
                        None => problems.push(format!("missing {path}")),
                        Some(o) if o != entry => problems
                            .push(format!("differs {path}:\n  ours:   {o}\n  theirs: {entry}")),
                        _ => {}
                    }
                }
                for path in ours.keys() {
                    if !theirs.contains_key(path) {
                        problems.push(format!("extra {path}"));
                    }
                }
            }
        }
        _ => {
            // Backstage failed (1) or swallowed a templating error (3): callboard fails and
            // writes nothing.
            if code != 1 {
                problems.push(format!("exit {code} (Backstage: {expected_exit}; callboard should fail with 1): {stderr}"));
            }
            if out.exists() {
                problems.push("a failed run left files behind".into());
            }
        }
    }
    Outcome {
        case: case_name,
        problems,
    }
}

#[test]
fn every_case_matches_backstage() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("oracle"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 50,
        "expected the oracle cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let outcome = run_case(dir);
        let deviation = DEVIATIONS.iter().find(|(c, _)| *c == outcome.case);
        match (outcome.problems.is_empty(), deviation) {
            (false, None) => failures.push(format!(
                "{}:\n  {}",
                outcome.case,
                outcome.problems.join("\n  ")
            )),
            // A documented difference that went away must leave the list (and the docs).
            (true, Some((case, why))) => failures.push(format!(
                "{case} now matches Backstage; remove it from DEVIATIONS ({why})"
            )),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Backstage:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
