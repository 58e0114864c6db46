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
    let text = std::fs::read_to_string(dir().join("oracle.jsonl")).unwrap();
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
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir())
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
    let bytes = std::fs::read(dir().join(file)).unwrap();
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
