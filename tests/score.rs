//! `callboard score`: operators, facts, statuses, score and level arithmetic, waivers, the gate and
//! exit codes, output formats, `--changed-since`, `--explain` and the embedded scorecard.
//!
//! Every test builds a small catalog in a temporary directory, writes a scorecard next to it and
//! runs the binary there with `--now 2026-11-26` (unless the test is about `--now`).

mod common;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;

const NOW: &str = "2026-11-26";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// Groups, users, a system and an API. team-a has two members (alice from `spec.members` and by
/// `memberOf`, bob by `memberOf` only); team-b has one (carol, from `spec.members` only).
const ORG: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
  members: [alice]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-b
spec:
  type: team
  children: []
  members: [carol]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  memberOf: [team-a]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: bob
spec:
  memberOf: [team-a]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: carol
spec:
  memberOf: []
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: sys
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: pay-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  system: sys
  definition: 'openapi: 3.0.0'
";

/// A well-kept component: owned by a group, in a system, documented.
const RICH: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: rich
  description: Handles card payments
  tags: [go, rest, pci]
  labels:
    tier: \"1\"
  annotations:
    backstage.io/techdocs-ref: dir:.
    github.com/project-slug: acme/rich
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: sys
  providesApis: [pay-api]
  dependsOn: []
  replicas: 3
";

/// A neglected one: owned by a person, no system, no description, an API that does not exist.
const POOR: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: poor
spec:
  type: library
  lifecycle: experimental
  owner: user:bob
  providesApis: [pay-api, ghost-api]
";

/// Owned by a group that does not exist, in a system that does not exist.
const ORPHAN: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orphan
  description: Nobody knows
spec:
  type: service
  lifecycle: deprecated
  owner: ghost-team
  system: nosys
";

/// Owned by team-b, which has a single member.
const SOLO: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: solo
  description: Small team
spec:
  type: service
  lifecycle: production
  owner: team-b
  system: sys
";

const RICH_REF: &str = "component:default/rich";
const POOR_REF: &str = "component:default/poor";
const ORPHAN_REF: &str = "component:default/orphan";
const SOLO_REF: &str = "component:default/solo";

/// The shared catalog: org/, svc/{rich,poor,orphan,solo}/ and some repository files.
fn base_files() -> Vec<(&'static str, String)> {
    vec![
        ("org/catalog-info.yaml", ORG.to_string()),
        ("svc/rich/catalog-info.yaml", RICH.to_string()),
        (
            "svc/rich/README.md",
            "# Rich\n\n## Runbook\n\nPage the on-call.\n".to_string(),
        ),
        ("svc/rich/docs/index.md", "# Docs\n".to_string()),
        ("svc/rich/docs/api.md", "# API\n".to_string()),
        (
            "svc/rich/proto/v1/pay.proto",
            "syntax = \"proto3\";\n".to_string(),
        ),
        ("svc/poor/catalog-info.yaml", POOR.to_string()),
        ("svc/poor/README.txt", "# poor\n".to_string()),
        ("svc/orphan/catalog-info.yaml", ORPHAN.to_string()),
        ("svc/solo/catalog-info.yaml", SOLO.to_string()),
        ("LICENSE", "Apache License 2.0\n".to_string()),
    ]
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A temporary directory holding `files` (path → content).
fn tree<S: AsRef<str>>(files: &[(&str, S)]) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(tmp.path(), path, text.as_ref());
    }
    tmp
}

/// The shared catalog plus `scorecard.yaml`.
fn base_with_card(card: &str) -> TempDir {
    let tmp = tree(&base_files());
    write(tmp.path(), "scorecard.yaml", card);
    tmp
}

/// Removes the common indentation of `text` and indents it by `by` spaces.
fn reindent(text: &str, by: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let common = lines
        .iter()
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let pad = " ".repeat(by);
    lines
        .iter()
        .map(|l| format!("{pad}{}\n", &l[common..]))
        .collect()
}

/// A scorecard for Components with `levels`, extra spec keys (`gate`, `defaults`…) and rules
/// (a YAML list, any indentation).
fn card_with(id: &str, levels: &[&str], extra: &str, rules: &str) -> String {
    format!(
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: {id}\nspec:\n  appliesTo:\n    kind: [Component]\n  levels: [{}]\n{}  rules:\n{}",
        levels.join(", "),
        reindent(extra, 2),
        reindent(rules, 4)
    )
}

fn card(id: &str, levels: &[&str], rules: &str) -> String {
    card_with(id, levels, "", rules)
}

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

use common::Run;

/// `callboard score ARGS` in `dir`, git configuration isolated.
fn score_raw(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .arg("score")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// `callboard score --scorecard scorecard.yaml --now 2026-11-26 ARGS`.
fn score(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--scorecard", "scorecard.yaml"];
    if !args.contains(&"--now") {
        all.extend(["--now", NOW]);
    }
    all.extend_from_slice(args);
    score_raw(dir, &all)
}

/// As `score`, with `--format json`; returns the exit code and the report.
fn score_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = score(dir, &all);
    let v = run.json();
    (run.code, v)
}

/// The entity `reference` in the (first) scorecard that scores it.
fn entity<'a>(v: &'a Value, reference: &str) -> &'a Value {
    v["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["entities"].as_array().unwrap())
        .find(|e| e["ref"] == reference)
        .unwrap_or_else(|| panic!("{reference} is not in the report:\n{v:#}"))
}

fn rule<'a>(v: &'a Value, reference: &str, rule: &str) -> &'a Value {
    entity(v, reference)["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule)
        .unwrap_or_else(|| panic!("no rule {rule} for {reference}:\n{v:#}"))
}

fn status(v: &Value, reference: &str, id: &str) -> String {
    rule(v, reference, id)["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Rule id → status for one entity.
fn statuses(v: &Value, reference: &str) -> BTreeMap<String, String> {
    entity(v, reference)["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// References scored by the scorecard `id`.
fn scored_refs(v: &Value, id: &str) -> Vec<String> {
    v["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no scorecard {id}:\n{v:#}"))["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ref"].as_str().unwrap().to_string())
        .collect()
}

fn reasons(v: &Value) -> Vec<String> {
    v["gate"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

fn git(dir: &Path, args: &[&str], date: Option<&str>) {
    common::git(dir, args, None, date);
}

/// 1-based line of the first line of `text` that starts (after indentation) with `prefix`.
fn line_of(text: &str, prefix: &str) -> u64 {
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map(|i| i as u64 + 1)
        .unwrap_or_else(|| panic!("no line starting with {prefix}"))
}

// ---------------------------------------------------------------------------------------------
// 1. Operators and combinators
// ---------------------------------------------------------------------------------------------

const ALL_OPERATORS: &[&str] = &[
    "equals",
    "notEquals",
    "in",
    "notIn",
    "matches",
    "notMatches",
    "exists",
    "notExists",
    "empty",
    "notEmpty",
    "lt",
    "lte",
    "gt",
    "gte",
    "contains",
    "notContains",
    "startsWith",
    "endsWith",
    "countEq",
    "countGte",
    "countLte",
];

/// Rules named `<operator>-pass[-n]` / `<operator>-fail[-n]`, all evaluated on `rich`.
const OPERATOR_RULES: &str = r#"
- {id: equals-pass, check: {fact: entity.spec.lifecycle, op: equals, value: production}}
- {id: equals-pass-2, check: {fact: entity.spec.replicas, op: equals, value: 3.0}}
- {id: equals-fail, check: {fact: entity.spec.lifecycle, op: equals, value: experimental}}
- {id: equals-fail-2, check: {fact: entity.spec.lifecycle, op: equals, value: Production}}
- {id: equals-pass-3, check: {fact: entity.metadata.labels.tier, op: equals, value: "1"}}
- {id: equals-pass-4, check: {fact: entity.metadata.labels.tier, op: equals, value: 1}}
- {id: equals-fail-3, check: {fact: entity.metadata.labels.tier, op: equals, value: 2}}
- {id: in-pass-2, check: {fact: entity.metadata.labels.tier, op: in, value: ["1", "2"]}}
- {id: lt-fail-3, check: {fact: entity.metadata.labels.tier, op: lt, value: 5}}
- {id: notEquals-pass, check: {fact: entity.spec.lifecycle, op: notEquals, value: experimental}}
- {id: notEquals-fail, check: {fact: entity.spec.lifecycle, op: notEquals, value: production}}
- {id: in-pass, check: {fact: entity.spec.type, op: in, value: [website, service]}}
- {id: in-fail, check: {fact: entity.spec.type, op: in, value: [library, website]}}
- {id: notIn-pass, check: {fact: entity.spec.type, op: notIn, value: [library]}}
- {id: notIn-fail, check: {fact: entity.spec.type, op: notIn, value: [library, service]}}
- {id: matches-pass, check: {fact: entity.metadata.name, op: matches, value: '^ri'}}
- {id: matches-pass-2, check: {fact: entity.metadata.tags, op: matches, value: '^pc'}}
- {id: matches-fail, check: {fact: entity.metadata.name, op: matches, value: '^poor$'}}
- {id: matches-fail-2, check: {fact: entity.metadata.title, op: matches, value: '.*'}}
- {id: notMatches-pass, check: {fact: entity.spec.owner, op: notMatches, value: '^user:'}}
- {id: notMatches-fail, check: {fact: entity.spec.owner, op: notMatches, value: '^team-'}}
- {id: exists-pass, check: {fact: entity.metadata.description, op: exists}}
- {id: exists-fail, check: {fact: entity.metadata.title, op: exists}}
- {id: notExists-pass, check: {fact: entity.metadata.title, op: notExists}}
- {id: notExists-fail, check: {fact: entity.metadata.description, op: notExists}}
- {id: empty-pass, check: {fact: entity.spec.dependsOn, op: empty}}
- {id: empty-pass-2, check: {fact: entity.metadata.title, op: empty}}
- {id: empty-fail, check: {fact: entity.metadata.tags, op: empty}}
- {id: notEmpty-pass, check: {fact: entity.metadata.tags, op: notEmpty}}
- {id: notEmpty-fail, check: {fact: entity.spec.dependsOn, op: notEmpty}}
- {id: notEmpty-fail-2, check: {fact: entity.metadata.title, op: notEmpty}}
- {id: lt-pass, check: {fact: entity.spec.replicas, op: lt, value: 4}}
- {id: lt-fail, check: {fact: entity.spec.replicas, op: lt, value: 3}}
- {id: lt-fail-2, check: {fact: entity.metadata.title, op: lt, value: 100}}
- {id: lte-pass, check: {fact: entity.spec.replicas, op: lte, value: 3}}
- {id: lte-fail, check: {fact: entity.spec.replicas, op: lte, value: 2.5}}
- {id: gt-pass, check: {fact: entity.spec.replicas, op: gt, value: 2}}
- {id: gt-fail, check: {fact: entity.spec.replicas, op: gt, value: 3}}
- {id: gte-pass, check: {fact: entity.spec.replicas, op: gte, value: 3}}
- {id: gte-fail, check: {fact: entity.spec.replicas, op: gte, value: 4}}
- {id: contains-pass, check: {fact: entity.metadata.tags, op: contains, value: rest}}
- {id: contains-pass-2, check: {fact: entity.metadata.description, op: contains, value: card}}
- {id: contains-pass-3, check: {fact: entity.metadata.annotations, op: contains, value: github.com/project-slug}}
- {id: contains-fail, check: {fact: entity.metadata.tags, op: contains, value: java}}
- {id: contains-fail-2, check: {fact: entity.metadata.description, op: contains, value: Card}}
- {id: notContains-pass, check: {fact: entity.metadata.tags, op: notContains, value: java}}
- {id: notContains-fail, check: {fact: entity.metadata.tags, op: notContains, value: go}}
- {id: startsWith-pass, check: {fact: 'entity.metadata.annotations["github.com/project-slug"]', op: startsWith, value: acme/}}
- {id: startsWith-fail, check: {fact: 'entity.metadata.annotations["github.com/project-slug"]', op: startsWith, value: other/}}
- {id: endsWith-pass, check: {fact: entity.metadata.name, op: endsWith, value: ch}}
- {id: endsWith-fail, check: {fact: entity.metadata.name, op: endsWith, value: chy}}
- {id: countEq-pass, check: {fact: entity.metadata.tags, op: countEq, value: 3}}
- {id: countEq-pass-2, check: {fact: entity.spec.dependsOn, op: countEq, value: 0}}
- {id: countEq-fail, check: {fact: entity.metadata.tags, op: countEq, value: 2}}
- {id: countGte-pass, check: {fact: entity.metadata.tags, op: countGte, value: 3}}
- {id: countGte-fail, check: {fact: entity.metadata.tags, op: countGte, value: 4}}
- {id: countLte-pass, check: {fact: entity.metadata.tags, op: countLte, value: 3}}
- {id: countLte-fail, check: {fact: entity.metadata.tags, op: countLte, value: 2}}
"#;

#[test]
fn every_operator_passes_and_fails_on_entity_facts() {
    let tmp = base_with_card(&card("ops", &[], OPERATOR_RULES));
    let (code, v) = score_json(tmp.path(), &["--entity", RICH_REF]);
    assert_eq!(code, 0, "{v:#}");
    let got = statuses(&v, RICH_REF);
    let mut covered: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (id, status) in &got {
        let mut parts = id.split('-');
        let op = parts.next().unwrap();
        let expected = parts.next().unwrap();
        assert_eq!(status, expected, "rule {id}: {:#}", rule(&v, RICH_REF, id));
        covered
            .entry(ALL_OPERATORS.iter().find(|o| **o == op).unwrap())
            .or_default()
            .insert(if expected == "pass" { "pass" } else { "fail" });
    }
    for op in ALL_OPERATORS {
        assert_eq!(
            covered.get(op).map(|s| s.len()),
            Some(2),
            "operator {op} needs a passing and a failing case"
        );
    }
    // Evidence: the fact, what was found, what was expected.
    assert_eq!(
        rule(&v, RICH_REF, "equals-fail")["evidence"],
        json!({"fact": "entity.spec.lifecycle", "actual": "production", "expected": {"equals": "experimental"}})
    );
    assert_eq!(
        rule(&v, RICH_REF, "exists-fail")["evidence"],
        json!({"fact": "entity.metadata.title", "actual": null, "expected": "exists"})
    );
    // Every failure names the value it saw and what the operator wanted.
    let messages: BTreeMap<&str, &str> = got
        .iter()
        .filter(|(_, status)| status.as_str() == "fail")
        .map(|(id, _)| {
            (
                id.as_str(),
                rule(&v, RICH_REF, id)["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        BTreeMap::from([
            (
                "contains-fail",
                "entity.metadata.tags is [go, rest, pci], expected to contain \"java\""
            ),
            (
                "contains-fail-2",
                "entity.metadata.description is \"Handles card payments\", expected to contain \"Card\""
            ),
            (
                "countEq-fail",
                "entity.metadata.tags counts 3 ([go, rest, pci]), expected exactly 2"
            ),
            (
                "countGte-fail",
                "entity.metadata.tags counts 3 ([go, rest, pci]), expected at least 4"
            ),
            (
                "countLte-fail",
                "entity.metadata.tags counts 3 ([go, rest, pci]), expected at most 2"
            ),
            (
                "empty-fail",
                "entity.metadata.tags is [go, rest, pci], expected it to be empty"
            ),
            (
                "endsWith-fail",
                "entity.metadata.name is \"rich\", expected to end with \"chy\""
            ),
            (
                "equals-fail",
                "entity.spec.lifecycle is \"production\", expected \"experimental\""
            ),
            (
                "equals-fail-2",
                "entity.spec.lifecycle is \"production\", expected \"Production\""
            ),
            (
                "equals-fail-3",
                "entity.metadata.labels.tier is \"1\", expected 2"
            ),
            (
                "exists-fail",
                "entity.metadata.title is not set, expected it to be set"
            ),
            ("gt-fail", "entity.spec.replicas is 3, expected more than 3"),
            ("gte-fail", "entity.spec.replicas is 3, expected at least 4"),
            (
                "in-fail",
                "entity.spec.type is \"service\", expected one of [library, website]"
            ),
            ("lt-fail", "entity.spec.replicas is 3, expected less than 3"),
            (
                "lt-fail-2",
                "entity.metadata.title is not set, expected less than 100"
            ),
            (
                "lt-fail-3",
                "entity.metadata.labels.tier is \"1\", expected less than 5"
            ),
            (
                "lte-fail",
                "entity.spec.replicas is 3, expected at most 2.5"
            ),
            (
                "matches-fail",
                "entity.metadata.name is \"rich\", expected to match \"^poor$\""
            ),
            (
                "matches-fail-2",
                "entity.metadata.title is not set, expected to match \".*\""
            ),
            (
                "notContains-fail",
                "entity.metadata.tags is [go, rest, pci], expected not to contain \"go\""
            ),
            (
                "notEmpty-fail",
                "entity.spec.dependsOn is [], expected a non-empty value"
            ),
            (
                "notEmpty-fail-2",
                "entity.metadata.title is not set, expected a non-empty value"
            ),
            (
                "notEquals-fail",
                "entity.spec.lifecycle is \"production\", expected anything but \"production\""
            ),
            (
                "notExists-fail",
                "entity.metadata.description is \"Handles card payments\", expected it not to be set"
            ),
            (
                "notIn-fail",
                "entity.spec.type is \"service\", expected none of [library, service]"
            ),
            (
                "notMatches-fail",
                "entity.spec.owner is \"team-a\", expected not to match \"^team-\""
            ),
            (
                "startsWith-fail",
                "entity.metadata.annotations[\"github.com/project-slug\"] is \"acme/rich\", expected to start with \"other/\""
            ),
        ])
    );
    assert_eq!(rule(&v, RICH_REF, "equals-pass")["message"], "passed");
}

#[test]
fn combinators_all_any_not() {
    let rules = r#"
    - id: all-pass
      check:
        all:
          - {fact: entity.spec.lifecycle, op: equals, value: production}
          - {fact: entity.spec.type, op: equals, value: service}
    - id: all-fail
      check:
        all:
          - {fact: entity.spec.lifecycle, op: equals, value: production}
          - {fact: entity.spec.type, op: equals, value: library}
          - {fact: entity.spec.owner, op: equals, value: team-a}
    - id: any-pass
      check:
        any:
          - {fact: entity.spec.type, op: equals, value: library}
          - {fact: entity.spec.type, op: equals, value: service}
    - id: any-fail
      check:
        any:
          - {fact: entity.spec.type, op: equals, value: library}
          - {fact: entity.spec.type, op: equals, value: website}
    - id: not-pass
      check: {not: {fact: entity.spec.type, op: equals, value: library}}
    - id: not-fail
      check: {not: {fact: entity.spec.type, op: equals, value: service}}
    - id: nested-pass
      check:
        all:
          - any:
              - {fact: entity.metadata.title, op: exists}
              - not: {fact: entity.metadata.description, op: empty}
          - not: {not: {fact: entity.metadata.tags, op: contains, value: go}}
    - id: nested-fail
      check:
        any:
          - all:
              - {fact: entity.metadata.title, op: exists}
              - {fact: entity.metadata.name, op: exists}
          - not: {any: [{fact: entity.metadata.name, op: exists}]}
    "#;
    let tmp = base_with_card(&card("comb", &[], rules));
    let (_, v) = score_json(tmp.path(), &["--entity", RICH_REF]);
    for (id, status) in statuses(&v, RICH_REF) {
        let expected = id.rsplit('-').next().unwrap();
        assert_eq!(status, expected, "{id}: {:#}", rule(&v, RICH_REF, &id));
    }
    // `all` reports the leaf that failed.
    assert_eq!(
        rule(&v, RICH_REF, "all-fail")["evidence"]["expected"],
        json!({"equals": "library"})
    );
    assert_eq!(
        rule(&v, RICH_REF, "all-fail")["evidence"]["actual"],
        "service"
    );
}

#[test]
fn annotation_keys_with_dots_and_slashes() {
    let rules = r#"
    - {id: techdocs-pass, check: {fact: 'entity.metadata.annotations["backstage.io/techdocs-ref"]', op: equals, value: "dir:."}}
    - {id: slug-pass, check: {fact: "entity.metadata.annotations['github.com/project-slug']", op: equals, value: acme/rich}}
    - {id: kube-fail, check: {fact: 'entity.metadata.annotations["backstage.io/kubernetes-id"]', op: exists}}
    - {id: dotted-path-fail, check: {fact: entity.metadata.annotations.backstage.io/techdocs-ref, op: exists}}
    - {id: index-pass, check: {fact: 'entity.metadata.tags[1]', op: equals, value: rest}}
    - {id: index-dot-pass, check: {fact: entity.metadata.tags.0, op: equals, value: go}}
    - {id: index-out-of-range-fail, check: {fact: 'entity.metadata.tags[7]', op: exists}}
    "#;
    let tmp = base_with_card(&card("ann", &[], rules));
    let (_, v) = score_json(tmp.path(), &[]);
    for (id, status) in statuses(&v, RICH_REF) {
        let expected = id.rsplit('-').next().unwrap();
        assert_eq!(status, expected, "{id}: {:#}", rule(&v, RICH_REF, &id));
    }
    assert_eq!(
        rule(&v, RICH_REF, "techdocs-pass")["evidence"]["actual"],
        "dir:."
    );
    // The annotation is absent on `poor`.
    assert_eq!(status(&v, POOR_REF, "techdocs-pass"), "fail");
    assert_eq!(
        rule(&v, POOR_REF, "techdocs-pass")["evidence"]["fact"],
        "entity.metadata.annotations[\"backstage.io/techdocs-ref\"]"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Facts
// ---------------------------------------------------------------------------------------------

#[test]
fn entity_and_catalog_facts() {
    let rules = r#"
    - {id: ref, check: {fact: entity.ref, op: equals, value: "component:default/rich"}}
    - {id: file, check: {fact: entity.file, op: equals, value: svc/rich/catalog-info.yaml}}
    - {id: dir, check: {fact: entity.dir, op: equals, value: svc/rich}}
    - {id: owner-resolves, check: {fact: catalog.resolves, field: spec.owner, op: equals, value: true}}
    - {id: system-resolves, check: {fact: catalog.resolves, field: spec.system, op: equals, value: true}}
    - {id: apis-resolve, check: {fact: catalog.resolves, field: spec.providesApis, op: equals, value: true}}
    - {id: owner-kind, check: {fact: catalog.ownerKind, op: equals, value: group}}
    - {id: owner-members, check: {fact: catalog.ownerMembers, op: gte, value: 2}}
    "#;
    let tmp = base_with_card(&card("facts", &[], rules));
    let (_, v) = score_json(tmp.path(), &[]);

    let expect = |reference: &str, want: &[(&str, &str)]| {
        let got = statuses(&v, reference);
        for (id, s) in want {
            assert_eq!(
                got[*id],
                *s,
                "{reference} {id}: {:#}",
                rule(&v, reference, id)
            );
        }
    };
    expect(
        RICH_REF,
        &[
            ("ref", "pass"),
            ("file", "pass"),
            ("dir", "pass"),
            ("owner-resolves", "pass"),
            ("system-resolves", "pass"),
            ("apis-resolve", "pass"),
            ("owner-kind", "pass"),
            ("owner-members", "pass"),
        ],
    );
    expect(
        POOR_REF,
        &[
            ("ref", "fail"),
            ("file", "fail"),
            ("dir", "fail"),
            // user:bob exists
            ("owner-resolves", "pass"),
            // no spec.system at all
            ("system-resolves", "fail"),
            // ghost-api does not exist, even though pay-api does
            ("apis-resolve", "fail"),
            ("owner-kind", "fail"),
            ("owner-members", "fail"),
        ],
    );
    // The message names what does not resolve, not only "false".
    assert_eq!(
        rule(&v, POOR_REF, "apis-resolve")["message"],
        "catalog.resolves is false ([ghost-api] of spec.providesApis not in the catalog), expected true"
    );
    assert_eq!(
        rule(&v, POOR_REF, "system-resolves")["message"],
        "catalog.resolves is false (spec.system holds no reference), expected true"
    );
    assert_eq!(
        rule(&v, POOR_REF, "owner-kind")["message"],
        "catalog.ownerKind is \"user\", expected \"group\""
    );
    expect(
        ORPHAN_REF,
        &[
            ("owner-resolves", "fail"),
            ("system-resolves", "fail"),
            ("owner-kind", "fail"),
            ("owner-members", "fail"),
        ],
    );
    expect(
        SOLO_REF,
        &[
            ("owner-resolves", "pass"),
            ("system-resolves", "pass"),
            ("owner-kind", "pass"),
            ("owner-members", "fail"),
        ],
    );

    let actual = |reference: &str, id: &str| rule(&v, reference, id)["evidence"]["actual"].clone();
    assert_eq!(actual(POOR_REF, "file"), "svc/poor/catalog-info.yaml");
    assert_eq!(actual(POOR_REF, "dir"), "svc/poor");
    assert_eq!(actual(POOR_REF, "ref"), POOR_REF);
    assert_eq!(actual(RICH_REF, "owner-kind"), "group");
    assert_eq!(actual(POOR_REF, "owner-kind"), "user");
    assert_eq!(actual(ORPHAN_REF, "owner-kind"), Value::Null);
    // team-a: alice (spec.members and memberOf, counted once) and bob (memberOf).
    assert_eq!(actual(RICH_REF, "owner-members"), 2);
    // team-b: carol from spec.members only.
    assert_eq!(actual(SOLO_REF, "owner-members"), 1);
    // A user owner has no members.
    assert_eq!(actual(POOR_REF, "owner-members"), Value::Null);
    assert_eq!(actual(POOR_REF, "apis-resolve"), false);
    assert_eq!(actual(RICH_REF, "apis-resolve"), true);
}

#[test]
fn repository_file_facts() {
    let rules = r#"
    - {id: readme, check: {fact: repo.file, path: README.md, op: exists}}
    - {id: readme-glob, check: {fact: repo.file, path: "README*", op: exists}}
    - {id: docs-glob, check: {fact: repo.file, path: "docs/*.md", op: countEq, value: 2}}
    - {id: deep-glob, check: {fact: repo.file, path: "**/*.proto", op: exists}}
    - {id: root-license, check: {fact: repo.file, path: /LICENSE, op: exists}}
    - {id: root-glob, check: {fact: repo.file, path: "/org/*.yaml", op: countEq, value: 1}}
    - {id: not-at-root, check: {fact: repo.file, path: /README.md, op: exists}}
    - {id: runbook, check: {fact: repo.fileContent, path: "README*", op: matches, value: '(?m)^## Runbook$'}}
    - {id: root-content, check: {fact: repo.fileContent, path: /LICENSE, op: contains, value: Apache}}
    - {id: no-content, check: {fact: repo.fileContent, path: missing.txt, op: exists}}
    "#;
    let tmp = base_with_card(&card("repo", &[], rules));
    let (_, v) = score_json(tmp.path(), &[]);
    let rich = statuses(&v, RICH_REF);
    let poor = statuses(&v, POOR_REF);
    let want_rich = [
        ("readme", "pass"),
        ("readme-glob", "pass"),
        ("docs-glob", "pass"),
        ("deep-glob", "pass"),
        ("root-license", "pass"),
        ("root-glob", "pass"),
        ("not-at-root", "fail"),
        ("runbook", "pass"),
        ("root-content", "pass"),
        ("no-content", "fail"),
    ];
    for (id, s) in want_rich {
        assert_eq!(rich[id], s, "rich {id}: {:#}", rule(&v, RICH_REF, id));
    }
    // Relative paths are relative to the entity's own directory: rich's files do not count for poor.
    let want_poor = [
        ("readme", "fail"),
        ("readme-glob", "pass"),
        ("docs-glob", "fail"),
        ("deep-glob", "fail"),
        ("root-license", "pass"),
        ("root-glob", "pass"),
        ("runbook", "fail"),
        ("root-content", "pass"),
    ];
    for (id, s) in want_poor {
        assert_eq!(poor[id], s, "poor {id}: {:#}", rule(&v, POOR_REF, id));
    }
    assert_eq!(
        rule(&v, RICH_REF, "docs-glob")["evidence"]["actual"],
        json!(["docs/api.md", "docs/index.md"])
    );
    assert_eq!(
        rule(&v, RICH_REF, "deep-glob")["evidence"]["actual"],
        json!(["proto/v1/pay.proto"])
    );
    assert_eq!(
        rule(&v, POOR_REF, "readme-glob")["evidence"]["actual"],
        json!(["README.txt"])
    );
    assert_eq!(
        rule(&v, RICH_REF, "root-glob")["evidence"]["actual"],
        json!(["org/catalog-info.yaml"])
    );
    assert_eq!(
        rule(&v, POOR_REF, "runbook")["evidence"]["actual"],
        "# poor\n"
    );
}

#[test]
fn expression_rules() {
    let rules = r#"
    - {id: production, check: {expr: "entity.spec.lifecycle == 'production'"}}
    - {id: tagged-go, check: {expr: "'go' in (entity.metadata.tags or [])"}}
    - {id: ref-var, check: {expr: "ref == 'component:default/rich' and dir == 'svc/rich' and file == 'svc/rich/catalog-info.yaml'"}}
    - {id: annotation, check: {expr: "(entity.metadata.annotations or {})['backstage.io/techdocs-ref'] is defined"}}
    "#;
    let tmp = base_with_card(&card("expr", &[], rules));
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    for id in ["production", "tagged-go", "ref-var", "annotation"] {
        assert_eq!(status(&v, RICH_REF, id), "pass", "{id}");
        assert_eq!(status(&v, POOR_REF, id), "fail", "{id}");
    }
    assert_eq!(
        rule(&v, POOR_REF, "production")["evidence"],
        json!({"fact": "expr", "actual": false, "expected": "entity.spec.lifecycle == 'production'"})
    );
    assert_eq!(status(&v, SOLO_REF, "production"), "pass");
}

/// A git repository with `svc/a` (commits on 2026-11-01 and 2026-11-20), `svc/b` (one commit on
/// 2026-01-01) and a last commit at the root on 2026-11-21.
fn git_repo() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"], None);
    write(dir, "org/catalog-info.yaml", ORG);
    write(
        dir,
        "svc/a/catalog-info.yaml",
        &SOLO.replace("name: solo", "name: a"),
    );
    write(
        dir,
        "svc/b/catalog-info.yaml",
        &SOLO.replace("name: solo", "name: b"),
    );
    git(dir, &["add", "org", "svc/b"], None);
    git(
        dir,
        &["commit", "-q", "-m", "b"],
        Some("2026-01-01T12:00:00Z"),
    );
    git(dir, &["add", "svc/a"], None);
    git(
        dir,
        &["commit", "-q", "-m", "a"],
        Some("2026-11-01T12:00:00Z"),
    );
    write(dir, "svc/a/README.md", "# a\n");
    git(dir, &["add", "svc/a"], None);
    git(
        dir,
        &["commit", "-q", "-m", "a2"],
        Some("2026-11-20T12:00:00Z"),
    );
    write(
        dir,
        "scorecard.yaml",
        &card(
            "git",
            &[],
            r#"
            - {id: fresh, check: {fact: git.daysSinceLastCommit, op: lte, value: 30}}
            - {id: busy, check: {fact: git.commitCount, days: 30, op: gte, value: 2}}
            - {id: repo-fresh, check: {fact: git.daysSinceLastCommit, scope: repo, op: lte, value: 7}}
            - {id: repo-busy, check: {fact: git.commitCount, scope: repo, days: 365, op: countEq, value: 4}}
            - {id: skipped, onUnknown: skip, check: {fact: git.commitCount, days: 90, op: gte, value: 1}}
            - {id: lenient, onUnknown: pass, check: {fact: git.daysSinceLastCommit, op: lte, value: 1}}
            "#,
        ),
    );
    git(dir, &["add", "scorecard.yaml"], None);
    git(
        dir,
        &["commit", "-q", "-m", "card"],
        Some("2026-11-21T12:00:00Z"),
    );
    tmp
}

#[test]
fn git_facts_from_history() {
    let tmp = git_repo();
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["notes"], json!([]));
    let a = "component:default/a";
    let b = "component:default/b";
    let actual = |r: &str, id: &str| rule(&v, r, id)["evidence"]["actual"].clone();
    // 2026-11-20T12:00Z → 2026-11-26T00:00Z: 5 whole days.
    assert_eq!(actual(a, "fresh"), 5);
    assert_eq!(status(&v, a, "fresh"), "pass");
    assert_eq!(actual(a, "busy"), 2);
    assert_eq!(status(&v, a, "busy"), "pass");
    assert_eq!(actual(b, "fresh"), 328);
    assert_eq!(status(&v, b, "fresh"), "fail");
    assert_eq!(actual(b, "busy"), 0);
    assert_eq!(status(&v, b, "busy"), "fail");
    // The repository as a whole: last commit on 2026-11-21, four commits this year.
    assert_eq!(actual(b, "repo-fresh"), 4);
    assert_eq!(status(&v, b, "repo-fresh"), "pass");
    assert_eq!(actual(b, "repo-busy"), 4);
    assert_eq!(status(&v, b, "repo-busy"), "pass");
    // Known history: onUnknown does not matter.
    assert_eq!(status(&v, b, "skipped"), "fail");
    assert_eq!(status(&v, a, "lenient"), "fail");

    // --now moves the clock: on 2026-11-10 only one of a's commits has happened, and it is 8 days old.
    let (_, v) = score_json(tmp.path(), &["--now", "2026-11-10"]);
    assert_eq!(rule(&v, a, "fresh")["evidence"]["actual"], 8);
    assert_eq!(rule(&v, a, "busy")["evidence"]["actual"], 1);
}

#[test]
fn run_from_a_subdirectory_of_the_repository() {
    let tmp = git_repo();
    write(
        tmp.path(),
        "sub.yaml",
        &card(
            "sub",
            &[],
            r#"
            - {id: dir, check: {fact: entity.dir, op: startsWith, value: svc/}}
            - {id: file, check: {fact: entity.file, op: endsWith, value: /catalog-info.yaml}}
            - {id: expr-dir, check: {expr: "dir == 'svc/a'"}}
            - {id: readme, check: {fact: repo.file, path: README.md, op: exists}}
            - {id: root-file, check: {fact: repo.file, path: /sub.yaml, op: exists}}
            - {id: fresh, check: {fact: git.daysSinceLastCommit, op: lte, value: 30}}
            "#,
        ),
    );
    let run = score_raw(
        &tmp.path().join("svc"),
        &[
            "--scorecard",
            "../sub.yaml",
            "--now",
            NOW,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let v = run.json();
    let a = "component:default/a";
    let b = "component:default/b";
    assert_eq!(scored_refs(&v, "sub"), [a, b]);
    // entity.file and entity.dir are relative to the repository root, wherever callboard runs.
    assert_eq!(rule(&v, a, "dir")["evidence"]["actual"], "svc/a");
    assert_eq!(
        rule(&v, b, "file")["evidence"]["actual"],
        "svc/b/catalog-info.yaml"
    );
    assert_eq!(status(&v, a, "expr-dir"), "pass");
    assert_eq!(status(&v, b, "expr-dir"), "fail");
    // Relative repo paths are still the entity's own directory; `/` is the repository root.
    assert_eq!(status(&v, a, "readme"), "pass");
    assert_eq!(status(&v, b, "readme"), "fail");
    assert_eq!(status(&v, a, "root-file"), "pass");
    assert_eq!(status(&v, a, "fresh"), "pass");
    assert_eq!(status(&v, b, "fresh"), "fail");
}

#[test]
fn git_facts_in_a_shallow_clone_are_unknown() {
    let origin = git_repo();
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        None,
    );
    let dir = tmp.path().join("clone");
    let (code, v) = score_json(&dir, &[]);
    assert_eq!(code, 0, "{v:#}");
    let a = "component:default/a";
    // onUnknown: fail (the default) fails, skip is unknown, pass passes.
    assert_eq!(status(&v, a, "fresh"), "fail");
    assert_eq!(status(&v, a, "busy"), "fail");
    assert_eq!(status(&v, a, "repo-fresh"), "fail");
    assert_eq!(status(&v, a, "skipped"), "unknown");
    assert_eq!(status(&v, a, "lenient"), "pass");
    let message = rule(&v, a, "fresh")["message"].as_str().unwrap();
    assert!(message.starts_with("unknown: "), "{message}");
    assert!(message.contains("shallow"), "{message}");
    let notes = v["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("fetch-depth")),
        "a note explains how to get history: {notes:?}"
    );
    // Unknown rules do not count in the score: a is scored on fresh, busy and repo-fresh (failed),
    // repo-busy (failed) and lenient (passed): 1 of 5.
    assert_eq!(entity(&v, a)["score"], 20.0);
}

#[test]
fn git_facts_outside_a_repository_are_unknown() {
    let tmp = base_with_card(&card(
        "git",
        &[],
        r#"
        - {id: skipped, onUnknown: skip, check: {fact: git.daysSinceLastCommit, op: lte, value: 30}}
        - {id: failed, check: {fact: git.commitCount, days: 30, op: gte, value: 1}}
        "#,
    ));
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(status(&v, RICH_REF, "skipped"), "unknown");
    assert_eq!(status(&v, RICH_REF, "failed"), "fail");
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("not inside a git repository"),
        "{v:#}"
    );
    // A scorecard without git facts has no such note.
    write(
        tmp.path(),
        "scorecard.yaml",
        &card(
            "plain",
            &[],
            "- {id: r, check: {fact: entity.spec.type, op: exists}}",
        ),
    );
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(v["notes"], json!([]));
}

// ---------------------------------------------------------------------------------------------
// 3. Statuses
// ---------------------------------------------------------------------------------------------

const STATUS_RULES: &str = r#"
- {id: production, check: {fact: entity.spec.lifecycle, op: equals, value: production}}
- {id: described, severity: warning, check: {fact: entity.metadata.description, op: exists}}
- {id: in-system, enforceFrom: "2027-01-01", check: {fact: entity.spec.system, op: exists}}
- id: services-have-apis
  when: {fact: entity.spec.type, op: equals, value: service}
  check: {fact: entity.spec.providesApis, op: notEmpty}
- {id: waived-rule, check: {fact: entity.metadata.tags, op: notEmpty}}
"#;

#[test]
fn pass_fail_warn_and_not_applicable() {
    let tmp = base_with_card(&card("st", &[], STATUS_RULES));
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 0);
    let rich = statuses(&v, RICH_REF);
    for id in [
        "production",
        "described",
        "in-system",
        "services-have-apis",
        "waived-rule",
    ] {
        assert_eq!(rich[id], "pass", "{id}");
    }
    let poor = statuses(&v, POOR_REF);
    assert_eq!(poor["production"], "fail");
    assert_eq!(poor["described"], "warn", "severity: warning");
    assert_eq!(poor["in-system"], "warn", "enforceFrom is in the future");
    assert_eq!(poor["services-have-apis"], "n/a", "poor is a library");
    assert_eq!(
        rule(&v, POOR_REF, "services-have-apis")["message"],
        "does not apply to this entity"
    );
    assert!(
        rule(&v, POOR_REF, "in-system")["message"]
            .as_str()
            .unwrap()
            .contains("enforced from 2027-01-01")
    );
    // orphan is a service without APIs: the `when` holds, the check fails.
    assert_eq!(status(&v, ORPHAN_REF, "services-have-apis"), "fail");

    // From the enforcement date on, the failure is a failure.
    let (_, v) = score_json(tmp.path(), &["--now", "2027-01-01"]);
    assert_eq!(status(&v, POOR_REF, "in-system"), "fail");
    assert_eq!(status(&v, POOR_REF, "described"), "warn");
    let (_, v) = score_json(tmp.path(), &["--now", "2026-12-31"]);
    assert_eq!(status(&v, POOR_REF, "in-system"), "warn");
}

#[test]
fn not_applicable_everywhere_gives_a_null_score() {
    let rules = r#"
    - id: only-websites
      when: {fact: entity.spec.type, op: equals, value: website}
      check: {fact: entity.metadata.name, op: exists}
    - id: only-websites-too
      weight: 5
      when: {expr: "entity.spec.type == 'website'"}
      check: {fact: entity.metadata.name, op: exists}
    "#;
    let tmp = base_with_card(&card("na", &["bronze"], rules));
    let (code, v) = score_json(tmp.path(), &["--min-score", "90"]);
    for r in [RICH_REF, POOR_REF, ORPHAN_REF, SOLO_REF] {
        assert_eq!(entity(&v, r)["score"], Value::Null, "{r}");
        assert_eq!(status(&v, r, "only-websites"), "n/a");
        assert_eq!(status(&v, r, "only-websites-too"), "n/a");
    }
    // A null score is not below a minimum score.
    assert_eq!(code, 0, "{v:#}");
    // The table shows a dash for it.
    let run = score(tmp.path(), &[]);
    let row = run
        .stdout
        .lines()
        .find(|l| l.contains("component:default/rich"))
        .unwrap_or_else(|| panic!("{run:?}"));
    assert_eq!(row.split('┆').nth(1).map(str::trim), Some("–"), "{row}");
}

const WAIVERS: &str = "\
apiVersion: callboard.dev/v1
kind: Waivers
waivers:
  - entity: Component:Default/Poor
    rules: [st/waived-rule, described]
    reason: remediation-planned
    expires: 2026-12-31
    note: tags are coming with the migration
  - entity: component:default/poor
    rules: [production]
    reason: accepted-risk
    expires: 2026-11-25
  - entity: component:default/*
    rules: [in-system]
    reason: migration-in-progress
    expires: 2026-11-26
  - entity: component:default/orphan
    rules: [other-card/waived-rule]
    reason: not-applicable
    expires: 2026-12-31
";

/// `waivers.yaml` with its header and `items` (YAML list items under `waivers:`).
fn write_waivers(dir: &Path, items: &str) {
    write(
        dir,
        "waivers.yaml",
        &format!("apiVersion: callboard.dev/v1\nkind: Waivers\nwaivers:\n{items}"),
    );
}

#[test]
fn waivers_resolve_bare_names_report_unmatched_ones_and_refuse_far_expiry() {
    let tmp = base_with_card(&card(
        "wv",
        &[],
        "- {id: titled, check: {fact: entity.metadata.title, op: exists}}",
    ));
    write_waivers(
        tmp.path(),
        "  - {entity: rich, rules: [titled], reason: accepted-risk, expires: 2026-12-31}
  - {entity: component:default/rihc, rules: [titled], reason: accepted-risk, expires: 2026-12-31}
  - {entity: poor, rules: [tilted, wv/titeld], reason: accepted-risk, expires: 2026-12-31}
  - {entity: solo, rules: [titled], reason: accepted-risk, expires: 2027-06-01}
",
    );
    let (code, v) = score_json(tmp.path(), &["--waivers", "waivers.yaml"]);
    // A bare name is a reference: kind Component, namespace default.
    assert_eq!(status(&v, RICH_REF, "titled"), "waived");
    // Past the 180-day maximum: not applied, and the gate fails (exit 1).
    assert_eq!(status(&v, SOLO_REF, "titled"), "fail");
    assert_eq!(code, 1, "{v:#}");
    assert!(
        reasons(&v).contains(
            &"waivers.yaml:7: the waiver for solo expires on 2027-06-01, more than 180 days after 2026-11-26; it is not applied"
                .to_string()
        ),
        "{:?}",
        reasons(&v)
    );
    let findings: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {} {} | {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["severity"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
                f["help"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            "waivers.yaml:7 error waiver-expiry-too-far the waiver for solo expires on 2027-06-01, more than 180 days after 2026-11-26; it is not applied | set `expires` to 2027-05-25 or earlier, or raise `score.maxWaiverDays` in .callboard.yaml",
            "waivers.yaml:5 warning waiver-unmatched the waiver for component:default/rihc matches no entity in the catalog | did you mean `component:default/rich`?",
            "waivers.yaml:6 warning waiver-unmatched the waiver for poor names `tilted`, which no scorecard has | did you mean `titled`?",
            "waivers.yaml:6 warning waiver-unmatched the waiver for poor names `wv/titeld`, which no scorecard has | did you mean `wv/titled`?",
        ]
    );
    // The table shows them with the notes.
    let table = score(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert!(
        table.stdout.contains("note: warning[waiver-unmatched]: waivers.yaml:5: the waiver for component:default/rihc matches no entity in the catalog (did you mean `component:default/rich`?)"),
        "{table:?}"
    );

    // `.callboard.yaml` raises the maximum and turns the unmatched warning off.
    write(
        tmp.path(),
        ".callboard.yaml",
        "score: {maxWaiverDays: 365}\nseverity: {waiver-unmatched: off}\n",
    );
    let (code, v) = score_json(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert_eq!(status(&v, SOLO_REF, "titled"), "waived");
    assert_eq!(v["findings"], json!([]));
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["gate"]["passed"], true);

    // A maximum out of range is a configuration error (exit 2).
    write(tmp.path(), ".callboard.yaml", "score: {maxWaiverDays: 0}\n");
    let run = score(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("score.maxWaiverDays must be a whole number of days from 1 to 3650"),
        "{run:?}"
    );
}

#[test]
fn waivers_waive_until_they_expire() {
    let tmp = base_with_card(&card("st", &[], STATUS_RULES));
    write(tmp.path(), "waivers.yaml", WAIVERS);
    let (code, v) = score_json(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert_eq!(code, 0);
    let poor = statuses(&v, POOR_REF);
    // scorecard/rule and bare rule ids both match.
    assert_eq!(poor["waived-rule"], "waived");
    assert_eq!(poor["described"], "waived", "a warning can be waived too");
    // A waiver expiring today still holds.
    assert_eq!(poor["in-system"], "waived");
    // Expired: ignored, and reported.
    assert_eq!(poor["production"], "fail");
    assert_eq!(
        rule(&v, POOR_REF, "waived-rule")["waiver"],
        "remediation-planned until 2026-12-31"
    );
    let notes: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("component:default/poor"), "{notes:?}");
    assert!(notes[0].contains("expired on 2026-11-25"), "{notes:?}");
    // No scorecard `other-card` is loaded: the waiver is reported.
    assert!(
        notes[1].starts_with("warning[waiver-unmatched]: waivers.yaml:17: ")
            && notes[1].contains("`other-card/waived-rule`"),
        "{notes:?}"
    );
    // Orphan lacks tags too, but its waiver is for another scorecard.
    assert_eq!(status(&v, ORPHAN_REF, "waived-rule"), "fail");
    // Waived rules earn their weight: 3 of 4 (n/a does not count).
    assert_eq!(entity(&v, POOR_REF)["score"], 75.0);

    // The next day the glob waiver has expired as well.
    let (_, v) = score_json(
        tmp.path(),
        &["--waivers", "waivers.yaml", "--now", "2026-11-27"],
    );
    assert_eq!(status(&v, POOR_REF, "in-system"), "warn");
    assert_eq!(v["notes"].as_array().unwrap().len(), 3);

    // --no-waivers: the unwaived picture.
    let (_, v) = score_json(tmp.path(), &["--waivers", "waivers.yaml", "--no-waivers"]);
    let poor = statuses(&v, POOR_REF);
    assert_eq!(poor["waived-rule"], "fail");
    assert_eq!(poor["described"], "warn");
    assert_eq!(entity(&v, POOR_REF)["score"], 0.0);
    assert!(rule(&v, POOR_REF, "waived-rule").get("waiver").is_none());
}

#[test]
fn the_default_waivers_file_is_read_from_the_repository_root() {
    let tmp = base_with_card(&card("st", &[], STATUS_RULES));
    write(tmp.path(), ".callboard/waivers.yaml", WAIVERS);
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(status(&v, POOR_REF, "waived-rule"), "waived");
    let (_, v) = score_json(tmp.path(), &["--no-waivers"]);
    assert_eq!(status(&v, POOR_REF, "waived-rule"), "fail");
    assert_eq!(v["notes"], json!([]));
}

#[test]
fn an_expression_failing_at_runtime_is_an_error_and_exits_1() {
    for (expr, words) in [
        ("entity.spec.lifecycle | no_such_filter", "unknown filter"),
        ("(entity.spec.replicas or 1) // 0", "1 // 0"),
    ] {
        let rules = format!(
            "- {{id: fine, check: {{fact: entity.metadata.name, op: exists}}}}\n- {{id: broken, check: {{expr: \"{expr}\"}}}}\n"
        );
        let tmp = base_with_card(&card("err", &["bronze"], &rules));
        let (code, v) = score_json(tmp.path(), &[]);
        assert_eq!(code, 1, "{expr}: {v:#}");
        assert_eq!(status(&v, POOR_REF, "broken"), "error");
        assert_eq!(status(&v, POOR_REF, "fine"), "pass");
        let message = rule(&v, POOR_REF, "broken")["message"].as_str().unwrap();
        assert!(message.starts_with("expression failed"), "{message}");
        assert!(message.contains(words), "{message}");
        // The report is still complete and an error does not count in the score.
        assert_eq!(entity(&v, POOR_REF)["score"], 100.0);
        // --fail-on never does not hide evaluation errors.
        let run = score(tmp.path(), &["--fail-on", "never"]);
        assert_eq!(run.code, 1, "{run:?}");
    }
}

#[test]
fn a_when_that_is_unknown_or_breaks_is_reported_not_skipped() {
    // A `when` that fails makes the rule n/a; one that cannot be known makes it unknown; one
    // that breaks makes it an error (exit 3), so a typo in a `when` cannot switch a rule off.
    let rules = r#"
    - id: guard-unknown
      when: {fact: git.commitCount, days: 30, op: gte, value: 0}
      check: {fact: entity.metadata.name, op: exists}
    - id: guard-fails
      when: {fact: entity.metadata.title, op: exists}
      check: {fact: entity.metadata.name, op: exists}
    - id: guard-holds
      when: {fact: entity.metadata.name, op: exists}
      check: {fact: entity.metadata.title, op: exists}
    "#;
    let tmp = base_with_card(&card("w", &[], rules));
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(status(&v, RICH_REF, "guard-unknown"), "unknown");
    assert!(
        rule(&v, RICH_REF, "guard-unknown")["message"]
            .as_str()
            .unwrap()
            .contains("not inside a git repository"),
        "{v:#}"
    );
    assert_eq!(status(&v, RICH_REF, "guard-fails"), "n/a");
    assert_eq!(rule(&v, RICH_REF, "guard-fails")["evidence"], Value::Null);
    assert_eq!(status(&v, RICH_REF, "guard-holds"), "fail");

    let rules = r#"
    - id: guard-breaks
      when: {expr: "entity.spec.lifecycle | no_such_filter"}
      check: {fact: entity.metadata.name, op: exists}
    "#;
    write(tmp.path(), "scorecard.yaml", &card("w", &[], rules));
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(status(&v, RICH_REF, "guard-breaks"), "error");
    assert!(
        rule(&v, RICH_REF, "guard-breaks")["message"]
            .as_str()
            .unwrap()
            .contains("unknown filter"),
        "{v:#}"
    );
}

#[test]
fn git_facts_in_a_repository_without_commits_are_unknown() {
    let tmp = base_with_card(&card(
        "git",
        &[],
        "- {id: fresh, onUnknown: skip, check: {fact: git.daysSinceLastCommit, op: lte, value: 30}}",
    ));
    git(tmp.path(), &["init", "-q", "-b", "main"], None);
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(status(&v, RICH_REF, "fresh"), "unknown");
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("git facts are unknown: "),
        "{v:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Score and levels
// ---------------------------------------------------------------------------------------------

/// bronze: production; silver: has a name (always), described (warning); gold: ≥ 3 tags;
/// plus a level-less rule of weight 2.
const LEVEL_RULES: &str = r#"
- {id: b-production, level: bronze, check: {fact: entity.spec.lifecycle, op: equals, value: production}}
- {id: s-named, level: silver, check: {fact: entity.metadata.name, op: exists}}
- {id: s-described, level: silver, severity: warning, check: {fact: entity.metadata.description, op: exists}}
- {id: g-tagged, level: gold, check: {fact: entity.metadata.tags, op: countGte, value: 3}}
- {id: x-service, weight: 2, check: {fact: entity.spec.type, op: equals, value: service}}
"#;

fn levels_card() -> String {
    card("lv", &["bronze", "silver", "gold"], LEVEL_RULES)
}

#[test]
fn weighted_score_and_cumulative_levels() {
    let tmp = base_with_card(&levels_card());
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(code, 0);

    let rich = entity(&v, RICH_REF);
    assert_eq!(rich["score"], 100.0);
    assert_eq!(rich["level"], "gold");
    assert_eq!(rich["nextLevel"], Value::Null);
    assert_eq!(rich["missingForNextLevel"], json!([]));

    // poor fails bronze: it stays at none although its silver rule passes.
    let poor = entity(&v, POOR_REF);
    assert_eq!(poor["level"], "none");
    assert_eq!(poor["nextLevel"], "bronze");
    assert_eq!(poor["missingForNextLevel"], json!(["b-production"]));
    // 1 (s-named) of 1+1+1+1+2.
    assert_eq!(poor["score"], 16.7);

    // solo: bronze and silver hold, gold fails (no tags), the warning on nothing.
    let solo = entity(&v, SOLO_REF);
    assert_eq!(solo["level"], "silver");
    assert_eq!(solo["nextLevel"], "gold");
    assert_eq!(solo["missingForNextLevel"], json!(["g-tagged"]));
    // (1 + 1 + 1 + 2) of 6.
    assert_eq!(solo["score"], 83.3);

    // orphan: deprecated → no bronze; gold also missing but only bronze is "next".
    let orphan = entity(&v, ORPHAN_REF);
    assert_eq!(orphan["level"], "none");
    assert_eq!(orphan["missingForNextLevel"], json!(["b-production"]));

    // JSON carries each rule's level name and weight.
    assert_eq!(rule(&v, POOR_REF, "x-service")["level"], Value::Null);
    assert_eq!(rule(&v, POOR_REF, "x-service")["weight"], 2.0);
    assert_eq!(rule(&v, POOR_REF, "g-tagged")["level"], "gold");
    assert_eq!(
        v["scorecards"][0]["levels"],
        json!(["bronze", "silver", "gold"])
    );
}

#[test]
fn warnings_never_block_a_level_and_levelless_rules_only_affect_the_score() {
    // A component that passes everything except a warning and the level-less rule.
    let tmp = tree(&[
        ("org/catalog-info.yaml", ORG.to_string()),
        (
            "svc/w/catalog-info.yaml",
            "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: w
  tags: [a, b, c]
spec:
  type: website
  lifecycle: production
  owner: team-a
"
            .to_string(),
        ),
        ("scorecard.yaml", levels_card()),
    ]);
    let (_, v) = score_json(tmp.path(), &[]);
    let w = entity(&v, "component:default/w");
    assert_eq!(status(&v, "component:default/w", "s-described"), "warn");
    assert_eq!(status(&v, "component:default/w", "x-service"), "fail");
    assert_eq!(w["level"], "gold");
    assert_eq!(w["nextLevel"], Value::Null);
    assert_eq!(w["missingForNextLevel"], json!([]));
    // 3 of 1+1+1+1+2: warnings and level-less failures still cost points.
    assert_eq!(w["score"], 50.0);
}

#[test]
fn weights_come_from_rules_and_defaults() {
    let rules = r#"
    - {id: heavy, weight: 3, check: {fact: entity.metadata.name, op: exists}}
    - {id: light, check: {fact: entity.metadata.title, op: exists}}
    - {id: free, weight: 0, check: {fact: entity.metadata.title, op: exists}}
    "#;
    let tmp = base_with_card(&card_with(
        "wt",
        &[],
        "defaults: {weight: 1, severity: error, onUnknown: fail}",
        rules,
    ));
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(entity(&v, RICH_REF)["score"], 75.0);
    // With a default weight of 2 the unweighted rule counts double: 3 of 5.
    write(
        tmp.path(),
        "scorecard.yaml",
        &card_with("wt", &[], "defaults: {weight: 2}", rules),
    );
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(entity(&v, RICH_REF)["score"], 60.0);
    assert_eq!(rule(&v, RICH_REF, "light")["weight"], 2.0);
}

#[test]
fn applies_to_selects_entities() {
    let card_text = "\
apiVersion: callboard.dev/v1
kind: Scorecard
metadata:
  name: services
  title: Services in production
spec:
  appliesTo:
    kind: Component
    type: [service]
    lifecycle: [production, deprecated]
  rules:
    - {id: named, check: {fact: entity.metadata.name, op: exists}}
---
apiVersion: callboard.dev/v1
kind: Scorecard
metadata:
  name: team-a-things
spec:
  appliesTo:
    owner: team-a
  rules:
    - {id: named, check: {fact: entity.metadata.name, op: exists}}
";
    let tmp = base_with_card(card_text);
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(
        scored_refs(&v, "services"),
        [ORPHAN_REF, RICH_REF, SOLO_REF]
    );
    // The System and the API are owned by team-a too.
    assert_eq!(
        scored_refs(&v, "team-a-things"),
        ["api:default/pay-api", RICH_REF, "system:default/sys"]
    );
    assert_eq!(v["scorecards"][0]["title"], "Services in production");
    assert_eq!(v["scorecards"][1]["title"], "team-a-things");
}

/// A scorecard `id` scoring every entity `appliesTo` (YAML, indented by four) selects.
fn targeted(id: &str, applies_to: &str) -> String {
    format!(
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: {id}\nspec:\n  appliesTo:\n{}  rules:\n    - {{id: named, check: {{fact: entity.metadata.name, op: exists}}}}\n",
        reindent(applies_to, 4)
    )
}

#[test]
fn applies_to_selects_by_label_annotation_system_domain_tag_and_where_with_exclude() {
    let cards = [
        targeted("label-map", "label: {tier: \"1\"}"),
        targeted("label-key", "label: [tier]"),
        targeted("label-other-value", "label: [tier=2]"),
        targeted(
            "annotation",
            "annotation: [github.com/project-slug=acme/rich]",
        ),
        targeted("system", "kind: Component\nsystem: sys"),
        targeted("domain", "domain: domain:default/payments"),
        targeted("tag", "tag: pci"),
        targeted(
            "where",
            "where: 'kind=Component and spec.lifecycle=production'",
        ),
        targeted("where-relation", "where: 'partOf=system:sys'"),
        targeted(
            "exclude",
            "kind: Component\nexclude: {owner: team-b, lifecycle: production}",
        ),
        targeted("exclude-tag", "kind: Component\nexclude: {tag: [pci, go]}"),
    ]
    .join("---\n");
    let tmp = base_with_card(&cards);
    write(
        tmp.path(),
        "org/payments.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: payments\nspec:\n  owner: team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: paysys\nspec:\n  owner: team-a\n  domain: payments\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-a\n  system: paysys\n",
    );
    let (_, v) = score_json(tmp.path(), &[]);
    assert_eq!(scored_refs(&v, "label-map"), [RICH_REF]);
    assert_eq!(scored_refs(&v, "label-key"), [RICH_REF]);
    assert!(scored_refs(&v, "label-other-value").is_empty());
    assert_eq!(scored_refs(&v, "annotation"), [RICH_REF]);
    assert_eq!(scored_refs(&v, "system"), [RICH_REF, SOLO_REF]);
    // The entity's system's domain, through the catalog; the Domain is its own.
    assert_eq!(
        scored_refs(&v, "domain"),
        [
            "component:default/ledger",
            "domain:default/payments",
            "system:default/paysys"
        ]
    );
    assert_eq!(scored_refs(&v, "tag"), [RICH_REF]);
    assert_eq!(scored_refs(&v, "where"), [RICH_REF, SOLO_REF]);
    assert_eq!(
        scored_refs(&v, "where-relation"),
        ["api:default/pay-api", RICH_REF, SOLO_REF]
    );
    // Exclude keys are AND-ed like the selection's: solo is team-b's and in production.
    assert_eq!(
        scored_refs(&v, "exclude"),
        ["component:default/ledger", ORPHAN_REF, POOR_REF, RICH_REF]
    );
    assert_eq!(
        scored_refs(&v, "exclude-tag"),
        ["component:default/ledger", ORPHAN_REF, POOR_REF, SOLO_REF]
    );
}

#[test]
fn malformed_applies_to_is_refused_with_its_line() {
    for (applies_to, line, expected) in [
        ("exclude: {}", 7, "`exclude` needs at least one of"),
        ("exclude: {kinds: API}", 7, "unknown key"),
        (
            "where: 'kind=Component,spec.type=service'",
            7,
            "invalid `where`",
        ),
        ("where: 'spec.type=service and'", 7, "invalid `where`"),
        ("label: {tier: [1, 2]}", 7, "`label` values must be strings"),
        ("system: 'system:'", 7, "`system`"),
        ("lable: {tier: \"1\"}", 7, "label"),
    ] {
        let tmp = base_with_card(&targeted("bad", applies_to));
        let run = score(tmp.path(), &[]);
        assert_eq!(run.code, 2, "{applies_to}: {run:?}");
        assert!(
            run.stderr.contains(&format!("scorecard.yaml:{line}:"))
                && run.stderr.contains(expected),
            "{applies_to}: {run:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Gate and exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn min_level_and_min_score() {
    let tmp = base_with_card(&levels_card());
    let (code, v) = score_json(tmp.path(), &["--min-level", "silver"]);
    assert_eq!(code, 1);
    assert_eq!(v["gate"]["passed"], false);
    let r = reasons(&v);
    assert!(
        r.contains(&"component:default/poor: level none is below silver (lv)".to_string()),
        "{r:?}"
    );
    assert!(r.iter().any(|x| x.starts_with(ORPHAN_REF)), "{r:?}");
    assert!(!r.iter().any(|x| x.starts_with(RICH_REF)), "{r:?}");
    assert!(
        !r.iter().any(|x| x.starts_with(SOLO_REF)),
        "solo is silver: {r:?}"
    );

    let (code, v) = score_json(tmp.path(), &["--min-level", "bronze", "--entity", SOLO_REF]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["gate"], json!({"passed": true, "reasons": []}));

    let (code, v) = score_json(tmp.path(), &["--min-score", "80"]);
    assert_eq!(code, 1);
    let r = reasons(&v);
    assert!(
        r.contains(&"component:default/poor: score 16.7 is below 80 (lv)".to_string()),
        "{r:?}"
    );
    assert!(
        !r.iter().any(|x| x.starts_with(SOLO_REF)),
        "83.3 ≥ 80: {r:?}"
    );

    // Thresholds from the scorecard itself.
    write(
        tmp.path(),
        "scorecard.yaml",
        &card_with(
            "lv",
            &["bronze", "silver", "gold"],
            "gate: {minLevel: gold}",
            LEVEL_RULES,
        ),
    );
    let (code, v) = score_json(tmp.path(), &["--entity", SOLO_REF]);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&v),
        ["component:default/solo: level silver is below gold (lv)"]
    );
    // The command line overrides the scorecard.
    let (code, _) = score_json(tmp.path(), &["--entity", SOLO_REF, "--min-level", "silver"]);
    assert_eq!(code, 0);
}

#[test]
fn min_level_only_applies_to_scorecards_with_that_level() {
    // lv has bronze/silver/gold; tiers has its own names and its own minLevel.
    let text = format!(
        "{}---\n{}",
        levels_card(),
        card_with(
            "tiers",
            &["basic", "advanced"],
            "gate: {minLevel: advanced}",
            "- {id: described, level: advanced, check: {fact: entity.metadata.description, op: exists}}",
        )
    );
    let tmp = base_with_card(&text);
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF]);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&v),
        ["component:default/poor: level basic is below advanced (tiers)"]
    );
    // --min-level bronze replaces lv's threshold; tiers has no level `bronze` and keeps its own.
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF, "--min-level", "bronze"]);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&v),
        [
            "component:default/poor: level none is below bronze (lv)",
            "component:default/poor: level basic is below advanced (tiers)"
        ]
    );
    let (code, v) = score_json(tmp.path(), &["--entity", SOLO_REF, "--min-level", "bronze"]);
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn required_rules_fail_the_gate_even_with_fail_on_never() {
    let tmp = base_with_card(&card_with(
        "lv",
        &["bronze", "silver", "gold"],
        "gate: {required: [s-described]}",
        LEVEL_RULES,
    ));
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF]);
    assert_eq!(code, 1, "{v:#}");
    // Only the required rule is a reason (its warning counts), not b-production.
    assert_eq!(
        reasons(&v),
        ["component:default/poor: rule lv/s-described is warn (required)"]
    );
    let (code, _) = score_json(tmp.path(), &["--entity", RICH_REF]);
    assert_eq!(code, 0);

    // A required rule must pass or be waived: unknown is not good enough, n/a is.
    let rules = r#"
    - {id: fresh, onUnknown: skip, check: {fact: git.daysSinceLastCommit, op: lte, value: 30}}
    - {id: services, when: {fact: entity.spec.type, op: equals, value: service}, check: {fact: entity.metadata.name, op: exists}}
    "#;
    write(
        tmp.path(),
        "scorecard.yaml",
        &card_with("req", &[], "gate: {required: [fresh, services]}", rules),
    );
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF]);
    assert_eq!(status(&v, POOR_REF, "services"), "n/a");
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        reasons(&v),
        ["component:default/poor: rule req/fresh is unknown (required)"]
    );
}

#[test]
fn fail_on_error_warning_never() {
    let tmp = base_with_card(&levels_card());
    // poor fails rules and has a warning.
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF]);
    assert_eq!(code, 0, "the default is --fail-on never");
    assert_eq!(v["gate"]["passed"], true);
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF, "--fail-on", "error"]);
    assert_eq!(code, 1);
    let r = reasons(&v);
    assert!(
        r.contains(&"component:default/poor: rule lv/b-production is fail".to_string()),
        "{r:?}"
    );
    assert!(!r.iter().any(|x| x.contains("s-described")), "{r:?}");
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF, "--fail-on", "warning"]);
    assert_eq!(code, 1);
    assert!(
        reasons(&v).contains(&"component:default/poor: rule lv/s-described is warn".to_string())
    );

    // A scorecard whose only failure is a warning.
    let only_warning = card(
        "warn",
        &[],
        "- {id: described, severity: warning, check: {fact: entity.metadata.description, op: exists}}",
    );
    write(tmp.path(), "scorecard.yaml", &only_warning);
    let (code, _) = score_json(tmp.path(), &["--entity", POOR_REF, "--fail-on", "error"]);
    assert_eq!(code, 0, "a warning does not fail --fail-on error");
    let (code, v) = score_json(tmp.path(), &["--entity", POOR_REF, "--fail-on", "warning"]);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&v),
        ["component:default/poor: rule warn/described is warn"]
    );
    let (code, _) = score_json(tmp.path(), &["--entity", RICH_REF, "--fail-on", "warning"]);
    assert_eq!(code, 0);
}

#[test]
fn baseline_and_no_regression() {
    let tmp = base_with_card(&levels_card());
    let run = score(
        tmp.path(),
        &["--format", "json", "--output", "baseline.json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.is_empty());
    // Same catalog: no regression.
    let (code, v) = score_json(
        tmp.path(),
        &["--baseline", "baseline.json", "--no-regression"],
    );
    assert_eq!(code, 0, "{v:#}");

    // rich loses a tag: gold → silver, 100 → 83.3.
    write(
        tmp.path(),
        "svc/rich/catalog-info.yaml",
        &RICH.replace("tags: [go, rest, pci]", "tags: [go, rest]"),
    );
    let (code, v) = score_json(
        tmp.path(),
        &["--baseline", "baseline.json", "--no-regression"],
    );
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        reasons(&v),
        [
            "component:default/rich: score dropped from 100 to 83.3 (lv)",
            "component:default/rich: level dropped from gold to silver (lv)",
        ]
    );
    assert!(reasons(&v).iter().all(|r| r.contains("dropped")));
    // Without --no-regression the baseline is only read.
    let (code, _) = score_json(tmp.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    // --no-regression needs --baseline.
    let run = score(tmp.path(), &["--no-regression"]);
    assert_eq!(run.code, 2, "{run:?}");
    // A baseline that is not a report.
    write(tmp.path(), "not-a-report.json", "{\"version\": 2}");
    let run = score(
        tmp.path(),
        &["--baseline", "not-a-report.json", "--no-regression"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not-a-report.json"), "{run:?}");
    let run = score(
        tmp.path(),
        &["--baseline", "missing.json", "--no-regression"],
    );
    assert_eq!(run.code, 2, "{run:?}");
}

/// A scorecard `bad.yaml` with `rules` as given; returns stderr after asserting exit 2.
fn malformed(spec_rules: &str) -> String {
    let text = format!(
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: bad\nspec:\n  levels: [bronze]\n  rules:\n{}",
        reindent(spec_rules, 4)
    );
    let tmp = base_with_card(&text);
    let run = score(tmp.path(), &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    run.stderr
}

#[test]
fn malformed_scorecards_exit_2_with_file_line_and_column() {
    // Rules start at line 8 (`    - id: r`); in `      check: {fact: …}` the fact is at column 21.
    let err = malformed("- id: r\n  check: {fact: repo.nope, op: exists}");
    assert!(
        err.contains("scorecard.yaml:9:21: unknown fact `repo.nope`"),
        "{err}"
    );

    let err = malformed("- id: r\n  check: {fact: entity.spec.owner, op: equal, value: x}");
    assert!(
        err.contains("scorecard.yaml:9:44: unknown operator `equal`"),
        "{err}"
    );
    assert!(err.contains("did you mean `equals`?"), "{err}");

    let err = malformed("- id: r\n  check: {fact: entity.spec.owner, op: countgte, value: 1}");
    assert!(err.contains("did you mean `countGte`?"), "{err}");

    let err =
        malformed("- id: r\n  check: {fact: entity.spec.owner, op: matches, value: '(unclosed'}");
    assert!(err.contains("scorecard.yaml:9:60: invalid regex"), "{err}");

    let err = malformed("- id: r\n  level: gold\n  check: {fact: entity.spec.owner, op: exists}");
    assert!(
        err.contains(
            "scorecard.yaml:9:14: level `gold` does not exist; this scorecard's levels are: bronze"
        ),
        "{err}"
    );

    let err = malformed(
        "- id: r\n  check: {fact: entity.spec.owner, op: exists}\n- id: r\n  check: {fact: entity.spec.owner, op: exists}",
    );
    assert!(
        err.contains("scorecard.yaml:10:7: rule id `r` is used twice"),
        "{err}"
    );

    let err = malformed("- id: r\n  wieght: 2\n  check: {fact: entity.spec.owner, op: exists}");
    assert!(
        err.contains("scorecard.yaml:9:7: unknown key `wieght` in a rule (did you mean `weight`?)"),
        "{err}"
    );

    let err = malformed("- id: r\n  check: {fact: entity.spec.owner, op: exists, vaule: 1}");
    assert!(
        err.contains("scorecard.yaml:9:52: unknown key `vaule` in a check"),
        "{err}"
    );

    let err = malformed("- id: r\n  check: {expr: \"foo == 1\"}");
    assert!(
        err.contains("scorecard.yaml:9:21: expression uses unknown variables foo"),
        "{err}"
    );

    let err = malformed("- id: r\n  check: {expr: \"entity.spec.owner ==\"}");
    assert!(
        err.contains("scorecard.yaml:9:21: invalid expression"),
        "{err}"
    );

    let err = malformed("- id: r\n  check: {fact: entity.spec.owner, op: equals}");
    assert!(err.contains("operator `equals` needs a `value`"), "{err}");

    let err = malformed("- id: r\n  check: {fact: entity.spec.owner, op: exists, value: 1}");
    assert!(err.contains("operator `exists` takes no `value`"), "{err}");

    let err = malformed(
        "- id: r\n  enforceFrom: next year\n  check: {fact: entity.spec.owner, op: exists}",
    );
    assert!(
        err.contains("scorecard.yaml:9:20: enforceFrom must be a date"),
        "{err}"
    );

    let err = malformed("- id: r\n  check: {fact: git.commitCount, op: gte, value: 1}");
    assert!(err.contains("git.commitCount needs `days`"), "{err}");

    // Every mistake is reported, not only the first.
    let err = malformed(
        "- id: r1\n  check: {fact: repo.nope, op: exists}\n- id: r2\n  level: gold\n  check: {fact: entity.spec.owner, op: exists}",
    );
    assert!(err.contains(":9:21:") && err.contains(":11:14:"), "{err}");
}

#[test]
fn malformed_scorecard_header_and_gate() {
    let tmp = base_with_card(
        "apiVersion: callboard.dev/v2\nkind: Scorecard\nmetadata:\n  name: bad\nspec:\n  levels: [bronze]\n  gate: {required: [nope], minLevel: gold}\n  rules:\n    - {id: r, check: {fact: entity.spec.owner, op: exists}}\n",
    );
    let run = score(tmp.path(), &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("scorecard.yaml:1:13: apiVersion must be callboard.dev/v1"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("required rule `nope` is not a rule of this scorecard"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("minLevel must be one of the levels: bronze"),
        "{run:?}"
    );

    // Invalid YAML.
    write(tmp.path(), "scorecard.yaml", "spec: [unclosed\n");
    let run = score(tmp.path(), &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("scorecard.yaml:"), "{run:?}");

    // Missing file.
    let run = score_raw(tmp.path(), &["--scorecard", "nope.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("nope.yaml does not exist"), "{run:?}");

    // The same scorecard twice.
    write(tmp.path(), "scorecard.yaml", &levels_card());
    let run = score_raw(
        tmp.path(),
        &[
            "--scorecard",
            "scorecard.yaml",
            "--scorecard",
            "scorecard.yaml",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("scorecard `lv` is defined twice"),
        "{run:?}"
    );
}

#[test]
fn malformed_waivers_exit_2() {
    let tmp = base_with_card(&card("st", &[], STATUS_RULES));
    write(
        tmp.path(),
        "waivers.yaml",
        "\
apiVersion: callboard.dev/v1
kind: Waivers
waivers:
  - entity: component:default/poor
    rules: [production]
    reason: because
    expires: 2026-12-31
  - entity: component:default/poor
    rules: [production]
    reason: accepted-risk
  - entity: component:default/poor
    rules: [production]
    reason: accepted-risk
    expires: soon
",
    );
    let run = score(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("waivers.yaml:6:13: reason must be one of: not-applicable, accepted-risk"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("waivers.yaml:8:5: `expires` is required"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("waivers.yaml:14:14: expires must be a date"),
        "{run:?}"
    );
    // Missing waivers file.
    let run = score(tmp.path(), &["--waivers", "nope.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    // --no-waivers does not even read it.
    let run = score(tmp.path(), &["--waivers", "waivers.yaml", "--no-waivers"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn bad_command_line_values_exit_2() {
    let tmp = base_with_card(&levels_card());
    let run = score(tmp.path(), &["--min-level", "platinum"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("--min-level platinum is not a level of any scorecard"),
        "{run:?}"
    );
    assert!(run.stderr.contains("bronze, silver, gold"), "{run:?}");

    for now in ["yesterday", "2026-13-01", "26-11-26", "2026/11/26"] {
        let run = score_raw(tmp.path(), &["--scorecard", "scorecard.yaml", "--now", now]);
        assert_eq!(run.code, 2, "--now {now}: {run:?}");
        assert!(run.stderr.contains("--now must be a date"), "{run:?}");
    }

    for reference in ["rich", "component:", "component:default/", ":rich"] {
        let run = score(tmp.path(), &["--entity", reference]);
        assert_eq!(run.code, 2, "--entity {reference}: {run:?}");
        assert!(run.stderr.contains("--entity"), "{run:?}");
    }

    for s in ["101", "-1"] {
        let run = score(tmp.path(), &[&format!("--min-score={s}")]);
        assert_eq!(run.code, 2, "--min-score {s}: {run:?}");
    }
    let run = score(tmp.path(), &["--format", "yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn entity_filter_accepts_short_references() {
    let tmp = base_with_card(&levels_card());
    let (_, v) = score_json(
        tmp.path(),
        &[
            "--entity",
            "component:rich",
            "--entity",
            "Component:default/Poor",
        ],
    );
    assert_eq!(scored_refs(&v, "lv"), [POOR_REF, RICH_REF]);
}

// ---------------------------------------------------------------------------------------------
// 6. Output formats
// ---------------------------------------------------------------------------------------------

#[test]
fn table_output() {
    let tmp = base_with_card(&levels_card());
    let run = score(tmp.path(), &[]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("lv (lv): 4 entities"), "{run:?}");
    assert!(run.stdout.contains("component:default/rich"), "{run:?}");
    assert!(
        run.stdout
            .contains("b-production, s-described (warn), g-tagged, x-service"),
        "{run:?}"
    );
    // The per-owner aggregate.
    assert!(run.stdout.contains("group:default/team-a"), "{run:?}");
    assert!(run.stdout.contains("user:default/bob"), "{run:?}");
    assert!(run.stdout.trim_end().ends_with("gate: passed"), "{run:?}");

    let run = score(tmp.path(), &["--min-level", "gold"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("gate: failed (3 reasons)"), "{run:?}");
    assert!(
        run.stdout
            .contains("  - component:default/poor: level none is below gold (lv)"),
        "{run:?}"
    );
}

const TIER_CARD: &str = "\
apiVersion: callboard.dev/v1
kind: Scorecard
metadata:
  name: tr
spec:
  appliesTo: {kind: Component}
  tiers:
    - {name: platinum, minScore: 70}
    - {name: gold, minScore: 50}
  rules:
    - {id: named, check: {fact: entity.metadata.name, op: exists}}
    - {id: described, check: {fact: entity.metadata.description, op: exists}}
    - {id: owner-group, check: {fact: catalog.ownerKind, op: equals, value: group}}
    - {id: titled, check: {fact: entity.metadata.title, op: exists}}
";

/// Score tiers per entity in every format, and their counts in the roll-up.
#[test]
fn tiers_name_the_score_range_in_every_format_and_the_roll_up() {
    let tmp = base_with_card(TIER_CARD);
    let (_, v) = score_json(tmp.path(), &["--group-by", "owner"]);
    let tiers: Vec<(String, String)> = v["scorecards"][0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["ref"].as_str().unwrap().into(), e["tier"].to_string()))
        .collect();
    let expected = [
        (ORPHAN_REF, "\"gold\""),
        (POOR_REF, "null"),
        (RICH_REF, "\"platinum\""),
        (SOLO_REF, "\"platinum\""),
    ];
    assert_eq!(
        tiers,
        expected.map(|(r, t)| (r.to_string(), t.to_string())),
        "{v:#}"
    );
    assert_eq!(
        v["scorecards"][0]["tiers"],
        json!([{"name": "platinum", "minScore": 70.0}, {"name": "gold", "minScore": 50.0}])
    );
    let groups = &v["groups"]["scorecards"][0]["groups"];
    let team_a = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "group:default/team-a")
        .unwrap();
    assert_eq!(
        team_a["tiers"],
        json!({"platinum": 1, "gold": 0, "none": 1}),
        "rich, and poor through its owner bob"
    );

    let table = score(tmp.path(), &["--group-by", "owner"]);
    let rich_row = table.stdout.lines().find(|l| l.contains(RICH_REF)).unwrap();
    assert!(rich_row.contains("┆ 75    ┆ platinum ┆"), "{table:?}");
    assert!(table.stdout.contains("tiers"), "{table:?}");
    assert!(
        table.stdout.contains("platinum 1, gold 0, none 1"),
        "{table:?}"
    );

    let md = score(tmp.path(), &["--format", "markdown", "--group-by", "owner"]);
    assert!(
        md.stdout
            .contains("| entity | score | tier | level | next | failing rules |"),
        "{md:?}"
    );
    assert!(
        md.stdout
            .contains("| `component:default/poor` | 25 | none |"),
        "{md:?}"
    );
    assert!(md.stdout.contains("platinum 1, gold 0, none 1"), "{md:?}");

    let sarif = score(tmp.path(), &["--format", "sarif", "--group-by", "owner"]);
    let sarif: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .filter(|r| r["properties"]["entity"] == ORPHAN_REF)
            .all(|r| r["properties"]["tier"] == "gold"),
        "{sarif:#}"
    );
    assert!(
        sarif["runs"][0]["properties"]["groups"][0]["groups"][0]
            .get("tiers")
            .is_some(),
        "{sarif:#}"
    );

    let junit = score(tmp.path(), &["--format", "junit", "--group-by", "owner"]);
    assert!(
        junit
            .stdout
            .contains("<property name=\"tier\" value=\"platinum\"/>"),
        "{junit:?}"
    );
    assert!(
        junit.stdout.contains("by tier: platinum 1, gold 0, none 1"),
        "{junit:?}"
    );

    // Without tiers nothing changes: no `tier` key, no column.
    let tmp = base_with_card(&TIER_CARD.replace(
        "  tiers:\n    - {name: platinum, minScore: 70}\n    - {name: gold, minScore: 50}\n",
        "",
    ));
    let (_, v) = score_json(tmp.path(), &[]);
    assert!(v["scorecards"][0].get("tiers").is_none(), "{v:#}");
    assert!(
        v["scorecards"][0]["entities"][0].get("tier").is_none(),
        "{v:#}"
    );
}

#[test]
fn tiers_must_fall_stay_in_range_and_be_distinct() {
    for (tiers, line, expected) in [
        (
            "[{name: gold, minScore: 50}, {name: platinum, minScore: 90}]",
            8,
            "must have a lower minScore than `gold`",
        ),
        (
            "[{name: gold, minScore: 50}, {name: silver, minScore: 50}]",
            8,
            "must have a lower minScore",
        ),
        (
            "[{name: gold, minScore: 101}]",
            8,
            "minScore must be a number from 0 to 100",
        ),
        (
            "[{name: gold, minScore: -1}]",
            8,
            "minScore must be a number from 0 to 100",
        ),
        (
            "[{name: gold, minScore: 90}, {name: gold, minScore: 50}]",
            8,
            "tier `gold` is listed twice",
        ),
        ("[{name: none, minScore: 10}]", 8, "or is `none`"),
        ("[{name: gold}]", 8, "`minScore` is required"),
        (
            "[{name: gold, minScore: 10, max: 20}]",
            8,
            "unknown key `max`",
        ),
        ("{gold: 10}", 8, "`tiers` must be a list"),
    ] {
        let text = TIER_CARD.replace(
            "  tiers:\n    - {name: platinum, minScore: 70}\n    - {name: gold, minScore: 50}\n",
            &format!("  tiers:\n    {tiers}\n"),
        );
        let tmp = base_with_card(&text);
        let run = score(tmp.path(), &[]);
        assert_eq!(run.code, 2, "{tiers}: {run:?}");
        assert!(
            run.stderr.contains(&format!("scorecard.yaml:{line}:"))
                && run.stderr.contains(expected),
            "{tiers}: {run:?}"
        );
    }
}

/// Every format carries the typed failure message: the value seen and what was expected.
#[test]
fn failure_messages_name_the_value_in_every_format() {
    let tmp = base_with_card(&card(
        "msg",
        &[],
        r#"
        - {id: tier, check: {fact: entity.metadata.labels.tier, op: in, value: [tier-1, tier-2]}}
        - {id: undescribed, check: {not: {fact: entity.metadata.description, op: exists}}}
        - {id: docs, check: {fact: repo.file, path: 'docs/*.md', op: countGte, value: 3}}
        "#,
    ));
    let tier = r#"entity.metadata.labels.tier is "1", expected one of [tier-1, tier-2]"#;
    let undescribed =
        r#"entity.metadata.description is "Handles card payments", expected it not to be set"#;
    let docs = "2 files match docs/*.md ([docs/api.md, docs/index.md]), expected at least 3";
    let (_, v) = score_json(tmp.path(), &["--entity", RICH_REF]);
    assert_eq!(rule(&v, RICH_REF, "tier")["message"], tier);
    assert_eq!(rule(&v, RICH_REF, "undescribed")["message"], undescribed);
    assert_eq!(rule(&v, RICH_REF, "docs")["message"], docs);
    // The JSON evidence is unchanged: the typed expectation is not serialised.
    assert_eq!(
        rule(&v, RICH_REF, "tier")["evidence"],
        json!({"fact": "entity.metadata.labels.tier", "actual": "1", "expected": {"in": ["tier-1", "tier-2"]}})
    );

    let table = score(tmp.path(), &["--entity", RICH_REF]);
    assert!(
        table
            .stdout
            .contains(&format!("  {RICH_REF} tier (fail): {tier}\n")),
        "{table:?}"
    );
    let explain = score(tmp.path(), &["--entity", RICH_REF, "--explain", "docs"]);
    assert!(explain.stdout.contains(docs), "{explain:?}");

    let sarif = score(tmp.path(), &["--entity", RICH_REF, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let texts: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    for message in [tier, undescribed, docs] {
        assert!(texts.iter().any(|t| t.contains(message)), "{texts:#?}");
    }

    let junit = score(tmp.path(), &["--entity", RICH_REF, "--format", "junit"]);
    assert!(
        junit
            .stdout
            .contains("expected one of [tier-1, tier-2]\"/>")
            && junit.stdout.contains("is &quot;1&quot;"),
        "{junit:?}"
    );

    let markdown = score(tmp.path(), &["--entity", RICH_REF, "--format", "markdown"]);
    assert!(
        markdown.stdout.contains("expected at least 3")
            && markdown.stdout.contains("expected it not to be set"),
        "{markdown:?}"
    );
}

#[test]
fn json_output_is_versioned_and_deterministic() {
    let tmp = base_with_card(&levels_card());
    let first = score(tmp.path(), &["--format", "json"]);
    let second = score(tmp.path(), &["--format", "json"]);
    assert_eq!(first.stdout, second.stdout, "two runs are byte-identical");
    let v = first.json();
    assert_eq!(v["version"], 1);
    assert_eq!(v["generatedAt"], NOW);
    assert_eq!(v["gate"], json!({"passed": true, "reasons": []}));
    assert_eq!(v["scorecards"][0]["id"], "lv");
    // Entities are sorted by reference.
    assert_eq!(
        scored_refs(&v, "lv"),
        [ORPHAN_REF, POOR_REF, RICH_REF, SOLO_REF]
    );
    assert_eq!(entity(&v, RICH_REF)["file"], "svc/rich/catalog-info.yaml");
    // Rules keep the scorecard's order.
    let ids: Vec<&str> = entity(&v, RICH_REF)["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "b-production",
            "s-named",
            "s-described",
            "g-tagged",
            "x-service"
        ]
    );

    // Without --now: generatedAt is null.
    let run = score_raw(
        tmp.path(),
        &["--scorecard", "scorecard.yaml", "--format", "json"],
    );
    assert_eq!(run.json()["generatedAt"], Value::Null);
}

#[test]
fn json_carries_remediation_and_docs() {
    let rules = r#"
    - id: described
      title: Has a description
      remediation: Add metadata.description.
      docs: https://example.com/desc
      check: {fact: entity.metadata.description, op: exists}
    "#;
    let tmp = base_with_card(&card("doc", &[], rules));
    let (_, v) = score_json(tmp.path(), &[]);
    let r = rule(&v, POOR_REF, "described");
    assert_eq!(r["remediation"], "Add metadata.description.");
    assert_eq!(r["docs"], "https://example.com/desc");
}

#[test]
fn markdown_output() {
    let tmp = base_with_card(&levels_card());
    let run = score(
        tmp.path(),
        &["--format", "markdown", "--min-level", "bronze"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("## Scorecards: gate failed"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("| entity | score | level | next | failing rules |\n|---|"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("| `component:default/rich` | 100 | gold | – |  |"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("<details><summary><code>component:default/poor</code>"),
        "{run:?}"
    );
    let run = score(tmp.path(), &["--format", "markdown"]);
    assert!(
        run.stdout.starts_with("## Scorecards: gate passed"),
        "{run:?}"
    );
}

#[test]
fn sarif_output_points_at_the_offending_field() {
    let rules = r#"
    - id: team-owner
      title: Owned by a team
      check: {fact: catalog.ownerKind, op: equals, value: group}
    - id: production
      severity: warning
      check: {fact: entity.spec.lifecycle, op: equals, value: production}
    - id: described
      check: {fact: entity.metadata.description, op: exists}
    "#;
    let tmp = base_with_card(&card("sar", &[], rules));
    let run = score(tmp.path(), &["--format", "sarif"]);
    assert_eq!(run.code, 0, "{run:?}");
    let v = run.json();
    assert_eq!(v["version"], "2.1.0");
    let sarif_run = &v["runs"][0];
    assert_eq!(sarif_run["tool"]["driver"]["name"], "callboard");
    let rule_ids: Vec<&str> = sarif_run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rule_ids,
        ["sar/team-owner", "sar/production", "sar/described"]
    );

    // Failing (or warning) rule × entity, from the JSON report.
    let (_, j) = score_json(tmp.path(), &[]);
    let mut expected = BTreeSet::new();
    for e in j["scorecards"][0]["entities"].as_array().unwrap() {
        for r in e["rules"].as_array().unwrap() {
            if matches!(r["status"].as_str().unwrap(), "fail" | "warn" | "error") {
                expected.insert(format!(
                    "{} sar/{}",
                    e["ref"].as_str().unwrap(),
                    r["id"].as_str().unwrap()
                ));
            }
        }
    }
    let results = sarif_run["results"].as_array().unwrap();
    let got: BTreeSet<String> = results
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["properties"]["entity"].as_str().unwrap(),
                r["ruleId"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(results.len(), expected.len());
    assert_eq!(got, expected);
    // poor: owner (user), lifecycle (warning); orphan: owner (unresolved), lifecycle.
    assert_eq!(results.len(), 5, "{got:?}");

    let find = |entity: &str, rule: &str| {
        results
            .iter()
            .find(|r| r["properties"]["entity"] == entity && r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no result {entity} {rule}"))
    };
    let owner = find(POOR_REF, "sar/team-owner");
    assert_eq!(owner["level"], "error");
    let location = &owner["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "svc/poor/catalog-info.yaml"
    );
    assert_eq!(location["region"]["startLine"], line_of(POOR, "owner:"));
    assert_eq!(owner["ruleIndex"], 0);
    let lifecycle = find(POOR_REF, "sar/production");
    assert_eq!(lifecycle["level"], "warning");
    assert_eq!(
        lifecycle["locations"][0]["physicalLocation"]["region"]["startLine"],
        line_of(POOR, "lifecycle:")
    );
    let orphan = find(ORPHAN_REF, "sar/team-owner");
    assert_eq!(
        orphan["locations"][0]["physicalLocation"]["region"]["startLine"],
        line_of(ORPHAN, "owner:")
    );
    assert!(
        owner["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("component:default/poor: Owned by a team"),
        "{owner:#}"
    );
    // A missing field: its nearest parent that exists (metadata).
    let described = find(POOR_REF, "sar/described");
    assert_eq!(
        described["locations"][0]["physicalLocation"]["region"]["startLine"],
        line_of(POOR, "metadata:")
    );
}

/// Checks that every tag is closed in order (a tiny well-formedness check).
fn assert_balanced_xml(xml: &str) {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    let tag = regex::Regex::new(
        r#"<(/?)([A-Za-z][A-Za-z0-9_-]*)((?:\s+[A-Za-z_:][A-Za-z0-9_:.-]*="[^"<]*")*)\s*(/?)>"#,
    )
    .unwrap();
    let body = &xml[xml.find("?>").unwrap() + 2..];
    let mut stack: Vec<String> = Vec::new();
    let mut last = 0;
    for m in tag.captures_iter(body) {
        let whole = m.get(0).unwrap();
        let between = &body[last..whole.start()];
        assert!(
            !between.contains('<') && !between.contains('>'),
            "stray markup in {between:?}"
        );
        last = whole.end();
        let name = m[2].to_string();
        if &m[1] == "/" {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "unbalanced </{name}>"
            );
        } else if &m[4] != "/" {
            stack.push(name);
        }
    }
    assert!(body[last..].trim().is_empty());
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn junit_output() {
    let rules = r#"
    - {id: production, check: {fact: entity.spec.lifecycle, op: equals, value: production}}
    - {id: described, severity: warning, check: {fact: entity.metadata.description, op: exists}}
    - {id: services-only, when: {fact: entity.spec.type, op: equals, value: service}, check: {fact: entity.metadata.name, op: exists}}
    - {id: quoted, title: "a <b> & \"c\"", check: {expr: "entity.metadata.name != 'x<y'"}}
    "#;
    let tmp = base_with_card(&card("ju", &[], rules));
    let run = score(
        tmp.path(),
        &[
            "--format", "junit", "--entity", RICH_REF, "--entity", POOR_REF,
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let xml = &run.stdout;
    assert_balanced_xml(xml);
    assert_well_formed(xml);
    assert_eq!(xml.matches("<testsuites").count(), 1);
    // One suite per scorecard × entity, one case per rule.
    assert_eq!(xml.matches("<testsuite ").count(), 2);
    assert_eq!(xml.matches("<testcase ").count(), 8);
    // The gate passed (no --fail-on, no level asked): nothing is a failure; what fails a rule
    // is skipped with a message saying the gate does not enforce it.
    assert!(xml.contains("<testsuite name=\"ju: component:default/poor\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"3\">"), "{xml}");
    assert!(xml.contains("<testsuite name=\"ju: component:default/rich\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"0\">"), "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 0);
    assert_eq!(xml.matches("<skipped message=\"n/a\"/>").count(), 1);
    assert_eq!(
        xml.matches("<skipped message=\"fail (the gate does not enforce it): ")
            .count(),
        1,
        "{xml}"
    );
    assert_eq!(
        xml.matches("<skipped message=\"warn (the gate does not enforce it): ")
            .count(),
        1,
        "{xml}"
    );
    assert!(
        xml.contains("name=\"production\" file=\"svc/poor/catalog-info.yaml\""),
        "{xml}"
    );
    assert!(
        xml.contains("&quot;production&quot;"),
        "messages are escaped: {xml}"
    );

    // --fail-on error: the failing rule fails the gate and is the one failure; the warning is
    // still skipped. A level the entity misses is a "gate" case of its own.
    let run = score(
        tmp.path(),
        &[
            "--format",
            "junit",
            "--entity",
            POOR_REF,
            "--fail-on",
            "error",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_well_formed(&run.stdout);
    assert!(
        run.stdout
            .contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"2\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("<failure message=\"fail: "),
        "{}",
        run.stdout
    );
}

/// A real XML parser accepts the document.
fn assert_well_formed(xml: &str) {
    if let Err(e) = roxmltree::Document::parse(xml) {
        panic!("not well-formed XML: {e}\n{xml}");
    }
}

#[test]
fn junit_marks_a_missed_level_as_a_gate_failure_and_rolls_up_groups() {
    let tmp = base_with_card(&levels_card());
    let run = score(
        tmp.path(),
        &[
            "--format",
            "junit",
            "--min-level",
            "bronze",
            "--group-by",
            "owner",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    let xml = &run.stdout;
    assert_well_formed(xml);
    let doc = roxmltree::Document::parse(xml).unwrap();
    let gate_failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("name") == Some("gate"))
        .collect();
    assert!(!gate_failures.is_empty(), "{xml}");
    for case in &gate_failures {
        let failure = case.children().find(|c| c.has_tag_name("failure")).unwrap();
        assert!(
            failure
                .attribute("message")
                .unwrap()
                .contains("is below bronze"),
            "{xml}"
        );
    }
    // Failures are only the gate's: every <failure> is in a "gate" case here.
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        gate_failures.len()
    );
    // The roll-up: a suite per scorecard, a case per owner.
    assert!(
        doc.descendants().any(|n| n.has_tag_name("testsuite")
            && n.attribute("name")
                .is_some_and(|a| a.ends_with(": by owner"))),
        "{xml}"
    );
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("property") && n.attribute("name") == Some("owner")),
        "{xml}"
    );
}

#[test]
fn output_file() {
    let tmp = base_with_card(&levels_card());
    for (format, check) in [
        ("json", "\"version\": 1"),
        ("sarif", "\"2.1.0\""),
        ("junit", "<testsuites"),
        ("markdown", "## Scorecards"),
        ("table", "gate: passed"),
    ] {
        let file = format!("out/report.{format}");
        fs::create_dir_all(tmp.path().join("out")).unwrap();
        let run = score(tmp.path(), &["--format", format, "--output", &file]);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        assert!(run.stdout.is_empty(), "{format}: {run:?}");
        let text = fs::read_to_string(tmp.path().join(&file)).unwrap();
        assert!(text.contains(check), "{format}: {text}");
    }
    // A directory that does not exist: the report cannot be written (status 3).
    let run = score(
        tmp.path(),
        &["--format", "json", "--output", "missing-dir/report.json"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("cannot write"), "{run:?}");
    // --explain writes there too.
    let run = score(
        tmp.path(),
        &["--explain", "b-production", "--output", "out/explain.txt"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        fs::read_to_string(tmp.path().join("out/explain.txt"))
            .unwrap()
            .starts_with("lv/b-production: b-production\n")
    );
    // The file equals what stdout would have been.
    let run = score(tmp.path(), &["--format", "json"]);
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/report.json")).unwrap(),
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// 7. --changed-since
// ---------------------------------------------------------------------------------------------

#[test]
fn changed_since_scores_only_touched_components() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"], None);
    write(dir, "org/catalog-info.yaml", ORG);
    for name in ["alpha", "beta", "gamma", "delta"] {
        write(
            dir,
            &format!("svc/{name}/catalog-info.yaml"),
            &SOLO.replace("name: solo", &format!("name: {name}")),
        );
        write(
            dir,
            &format!("svc/{name}/README.md"),
            &format!("# {name}\n"),
        );
    }
    write(dir, "scorecard.yaml", &levels_card());
    git(dir, &["add", "."], None);
    git(dir, &["commit", "-q", "-m", "catalog"], None);
    git(dir, &["checkout", "-q", "-b", "feature"], None);
    // beta: its catalog file; delta: only its README.
    write(
        dir,
        "svc/beta/catalog-info.yaml",
        &SOLO
            .replace("name: solo", "name: beta")
            .replace("Small team", "Changed"),
    );
    write(dir, "svc/delta/README.md", "# delta, revised\n");
    git(dir, &["commit", "-q", "-am", "touch beta and delta"], None);

    let (code, v) = score_json(dir, &["--changed-since", "main"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        scored_refs(&v, "lv"),
        ["component:default/beta", "component:default/delta"]
    );
    // Without the flag: all four.
    let (_, v) = score_json(dir, &[]);
    assert_eq!(scored_refs(&v, "lv").len(), 4);
    // An uncommitted change counts too.
    write(dir, "svc/gamma/notes.txt", "new\n");
    let (_, v) = score_json(dir, &["--changed-since", "main"]);
    assert_eq!(
        scored_refs(&v, "lv"),
        [
            "component:default/beta",
            "component:default/delta",
            "component:default/gamma"
        ]
    );
    // An unknown revision is a usage error.
    let run = score(dir, &["--changed-since", "no-such-branch"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--changed-since"), "{run:?}");
}

// ---------------------------------------------------------------------------------------------
// 8. --explain
// ---------------------------------------------------------------------------------------------

#[test]
fn explain_prints_the_rule_and_each_result() {
    let rules = r#"
    - id: production
      title: Runs in production
      level: bronze
      weight: 2
      remediation: Ship it.
      check: {fact: entity.spec.lifecycle, op: equals, value: production}
    - id: other
      check: {fact: entity.metadata.name, op: exists}
    "#;
    let tmp = base_with_card(&card("ex", &["bronze"], rules));
    let run = score(tmp.path(), &["--explain", "production"]);
    assert_eq!(run.code, 0, "{run:?}");
    let out = &run.stdout;
    assert!(
        out.starts_with("ex/production: Runs in production\n"),
        "{out}"
    );
    assert!(out.contains("level: bronze  weight: 2"), "{out}");
    assert!(
        out.contains("check: entity.spec.lifecycle equals \"production\""),
        "{out}"
    );
    assert!(out.contains("remediation: Ship it."), "{out}");
    assert!(out.contains("defined in scorecard.yaml:"), "{out}");
    assert!(out.contains("pass     component:default/rich"), "{out}");
    assert!(out.contains("pass     component:default/solo"), "{out}");
    let poor_line = out
        .lines()
        .find(|l| l.contains("component:default/poor"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(poor_line.starts_with("fail "), "{poor_line}");
    assert!(
        poor_line.ends_with("entity.spec.lifecycle is \"experimental\", expected \"production\""),
        "{poor_line}"
    );
    assert!(out.contains("fail     component:default/orphan"), "{out}");
    assert!(!out.contains("other"), "only the explained rule: {out}");

    // SCORECARD/RULE works too.
    let run = score(tmp.path(), &["--explain", "ex/other"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("ex/other: other\n"), "{run:?}");

    for unknown in ["nope", "other-card/production"] {
        let run = score(tmp.path(), &["--explain", unknown]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("no rule"), "{run:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. The embedded scorecard and .callboard/scorecards
// ---------------------------------------------------------------------------------------------

fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target, &[]);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_embedded_scorecard_scores_the_acme_components() {
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let tmp = tempfile::tempdir().unwrap();
    // Without the example's own .callboard/ (scorecards and waivers), so the embedded one is used.
    copy_dir(&acme, tmp.path(), &[".callboard"]);
    let run = score_raw(tmp.path(), &["--format", "json", "--now", NOW]);
    assert!(matches!(run.code, 0 | 1), "{run:?}");
    let v = run.json();
    let cards = v["scorecards"].as_array().unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["id"], "catalog-readiness");
    assert_eq!(cards[0]["levels"], json!(["bronze", "silver", "gold"]));
    let refs = scored_refs(&v, "catalog-readiness");
    assert_eq!(refs.len(), 7, "{refs:?}");
    assert!(refs.iter().all(|r| r.starts_with("component:")), "{refs:?}");
    assert!(refs.contains(&"component:default/checkout-service".to_string()));
    // The template skeleton is not a component of the catalog.
    for e in cards[0]["entities"].as_array().unwrap() {
        let r = e["ref"].as_str().unwrap();
        let file = e["file"].as_str().unwrap();
        assert!(!file.contains("skeleton"), "{file}");
        let rules = statuses(&v, r);
        assert_eq!(rules.len(), 9, "{r}: {rules:?}");
        // Every example component has an owning team that exists.
        for id in [
            "owner-set",
            "owner-resolves",
            "owner-is-team",
            "lifecycle-set",
        ] {
            assert_eq!(rules[id], "pass", "{r} {id}");
        }
        // has-readme agrees with the files next to the catalog file.
        let dir = tmp.path().join(file).parent().unwrap().to_path_buf();
        let has_readme = fs::read_dir(&dir).unwrap().any(|f| {
            f.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("README")
        });
        assert_eq!(rules["has-readme"] == "pass", has_readme, "{r}");
        assert!(
            e["score"]
                .as_f64()
                .is_some_and(|s| (0.0..=100.0).contains(&s))
        );
    }
    // Run in place as well (cwd = examples/acme): same components.
    let run = score_raw(&acme, &["--format", "json", "--now", NOW]);
    let v = run.json();
    assert_eq!(scored_refs(&v, "catalog-readiness"), refs);
}

#[test]
fn scorecards_in_dot_callboard_replace_the_embedded_one() {
    let tmp = tree(&base_files());
    write(
        tmp.path(),
        ".callboard/scorecards/b.yaml",
        &card(
            "second",
            &[],
            "- {id: r, check: {fact: entity.metadata.name, op: exists}}",
        ),
    );
    write(
        tmp.path(),
        ".callboard/scorecards/a.yml",
        &card(
            "first",
            &[],
            "- {id: r, check: {fact: entity.metadata.name, op: exists}}",
        ),
    );
    write(
        tmp.path(),
        ".callboard/scorecards/notes.txt",
        "not a scorecard",
    );
    let run = score_raw(tmp.path(), &["--format", "json", "--now", NOW]);
    assert_eq!(run.code, 0, "{run:?}");
    let v = run.json();
    let ids: Vec<&str> = v["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["first", "second"]);
    // A directory without scorecards is a mistake, not a silent pass.
    for f in ["a.yml", "b.yaml"] {
        fs::remove_file(tmp.path().join(".callboard/scorecards").join(f)).unwrap();
    }
    let run = score_raw(tmp.path(), &["--format", "json", "--now", NOW]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no scorecard found"), "{run:?}");
    // Without it: the embedded catalog-readiness.
    fs::remove_dir_all(tmp.path().join(".callboard")).unwrap();
    let run = score_raw(tmp.path(), &["--format", "json", "--now", NOW]);
    let v = run.json();
    assert_eq!(v["scorecards"][0]["id"], "catalog-readiness");
    assert_eq!(entity(&v, RICH_REF)["level"], "gold", "{v:#}");
    // poor: owned by a person, so bronze only.
    assert_eq!(entity(&v, POOR_REF)["level"], "bronze", "{v:#}");
}

/// `repo.file` globs see hidden files and directories, as a literal path does.
#[test]
fn repo_file_globs_find_hidden_files() {
    let tmp = base_with_card(&card(
        "hidden",
        &[],
        r#"
        - {id: literal, check: {fact: repo.file, path: /.github/CODEOWNERS, op: exists}}
        - {id: glob, check: {fact: repo.file, path: "/.github/*", op: exists}}
        - {id: braces, check: {fact: repo.file, path: "/{CODEOWNERS,.github/CODEOWNERS}", op: exists}}
        - {id: ignored, check: {fact: repo.file, path: "generated/*.go", op: exists}}
        "#,
    ));
    write(tmp.path(), ".github/CODEOWNERS", "* @team-a\n");
    // Files a .gitignore excludes are still files of the working tree.
    write(tmp.path(), "svc/rich/.gitignore", "generated/\n");
    write(
        tmp.path(),
        "svc/rich/generated/client.go",
        "package client\n",
    );
    let (_, v) = score_json(tmp.path(), &["--entity", RICH_REF]);
    assert_eq!(status(&v, RICH_REF, "literal"), "pass");
    assert_eq!(status(&v, RICH_REF, "glob"), "pass");
    assert_eq!(status(&v, RICH_REF, "braces"), "pass");
    assert_eq!(status(&v, RICH_REF, "ignored"), "pass");
}

/// `--now`, `enforceFrom` and waiver `expires` refuse days that do not exist (February 31st).
#[test]
fn impossible_dates_are_rejected() {
    let tmp = base_with_card(&levels_card());
    let run = score_raw(
        tmp.path(),
        &["--scorecard", "scorecard.yaml", "--now", "2026-02-31"],
    );
    assert_eq!(run.code, 2, "--now: {run:?}");

    write(
        tmp.path(),
        "scorecard.yaml",
        &card(
            "d",
            &[],
            "- {id: r, enforceFrom: 2027-02-30, check: {fact: entity.metadata.name, op: exists}}",
        ),
    );
    let run = score(tmp.path(), &[]);
    assert_eq!(run.code, 2, "enforceFrom: {run:?}");

    write(tmp.path(), "scorecard.yaml", &levels_card());
    write(
        tmp.path(),
        "waivers.yaml",
        "apiVersion: callboard.dev/v1\nkind: Waivers\nwaivers:\n  - {entity: component:default/poor, rules: [b-production], reason: accepted-risk, expires: 2026-04-31}\n",
    );
    let run = score(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert_eq!(run.code, 2, "expires: {run:?}");
    assert!(run.stderr.contains("waivers.yaml:4:"), "{run:?}");

    // 29 February exists in leap years only.
    let run = score_raw(
        tmp.path(),
        &[
            "--scorecard",
            "scorecard.yaml",
            "--now",
            "2028-02-29",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["generatedAt"], "2028-02-29");
    let run = score_raw(
        tmp.path(),
        &["--scorecard", "scorecard.yaml", "--now", "2027-02-29"],
    );
    assert_eq!(run.code, 2, "{run:?}");
}

/// The report's `file` and the `entity.file` fact should be the same path (docs/score.md:
/// "entities[].file: the catalog file, as entity.file"). Run from a subdirectory of the
/// repository, the fact is relative to the repository root but the report's `file` is relative
/// to the current directory.
#[test]
fn report_file_is_entity_file_from_a_subdirectory() {
    let tmp = git_repo();
    write(
        tmp.path(),
        "sub.yaml",
        &card(
            "sub",
            &[],
            "- {id: file, check: {fact: entity.file, op: exists}}",
        ),
    );
    let run = score_raw(
        &tmp.path().join("svc"),
        &[
            "--scorecard",
            "../sub.yaml",
            "--now",
            NOW,
            "--format",
            "json",
        ],
    );
    let v = run.json();
    let e = entity(&v, "component:default/a");
    assert_eq!(
        e["file"],
        rule(&v, "component:default/a", "file")["evidence"]["actual"]
    );
}

/// `equals` compares numbers by value at the top (`3` equals `3.0`) but not inside lists or
/// mappings (`[80]` does not equal `[80.0]`): `loosely_equal` falls back to `==` on arrays.
#[test]
fn equals_compares_numbers_by_value_inside_lists() {
    let tmp = base_with_card(&card(
        "nested",
        &[],
        r#"
        - {id: top, check: {fact: entity.spec.replicas, op: equals, value: 3.0}}
        - {id: nested, check: {fact: entity.spec.ports, op: equals, value: [80.0]}}
        "#,
    ));
    write(
        tmp.path(),
        "svc/rich/catalog-info.yaml",
        &format!("{RICH}  ports: [80]\n"),
    );
    let (_, v) = score_json(tmp.path(), &["--entity", RICH_REF]);
    assert_eq!(status(&v, RICH_REF, "top"), "pass");
    assert_eq!(status(&v, RICH_REF, "nested"), "pass");
}

/// `spec.campaigns` is read at load time: a good campaign only adds its progress to the
/// report, every mistake is refused (status 2) with its line.
#[test]
fn campaigns_are_checked_at_load_with_the_line() {
    let good = TIER_CARD.replace(
        "  rules:\n",
        "  campaigns:\n    - {id: docs, title: Describe everything, rules: [described, titled], appliesTo: {kind: Component}, owner: team-a, deadline: 2027-06-30}\n    - {id: own, rules: owner-group, owner: group:default/team-b, deadline: 2027-01-01}\n  rules:\n",
    );
    let without = score(base_with_card(TIER_CARD).path(), &["--format", "json"]);
    let with = score(base_with_card(&good).path(), &["--format", "json"]);
    assert_eq!(with.code, without.code, "{with:?}");
    let mut with = with.json();
    assert_eq!(with["scorecards"][0]["campaigns"][1]["id"], "own");
    with["scorecards"][0]
        .as_object_mut()
        .unwrap()
        .remove("campaigns");
    assert_eq!(with, without.json());
    for (campaign, expected) in [
        (
            "{id: c, rules: [describd], owner: team-a, deadline: 2026-06-30}",
            "rule `describd` is not a rule of this scorecard (did you mean `described`?)",
        ),
        (
            "{id: c, rules: [described], owner: team-a, deadline: 2026-02-30}",
            "deadline `2026-02-30` must be a date written YYYY-MM-DD",
        ),
        (
            "{id: c, rules: [described], owner: team-a, deadline: 30/06/2026}",
            "must be a date written YYYY-MM-DD",
        ),
        (
            "{id: c, rules: [described], owner: user:default/ann, deadline: 2026-06-30}",
            "owner `user:default/ann` must be a group reference",
        ),
        (
            "{id: c, rules: [], owner: team-a, deadline: 2026-06-30}",
            "`rules` must name at least one rule",
        ),
        (
            "{id: c, owner: team-a, deadline: 2026-06-30}",
            "`rules` (a list of this scorecard's rule ids) is required",
        ),
        (
            "{id: c, rules: [described], owner: team-a}",
            "`deadline` is required",
        ),
        (
            "{id: c, rules: [described], deadline: 2026-06-30}",
            "`owner` is required",
        ),
        (
            "{id: c, rules: [described], owner: team-a, deadline: 2026-06-30, due: x}",
            "unknown key `due`",
        ),
        (
            "{id: c, rules: [described], owner: team-a, deadline: 2026-06-30, appliesTo: {kinds: x}}",
            "unknown key `kinds`",
        ),
        (
            "{id: c, rules: [described], owner: team-a, deadline: 2026-06-30}\n    - {id: c, rules: [titled], owner: team-a, deadline: 2026-06-30}",
            "campaign id `c` is used twice",
        ),
    ] {
        let text = TIER_CARD.replace(
            "  rules:\n",
            &format!("  campaigns:\n    - {campaign}\n  rules:\n"),
        );
        let run = score(base_with_card(&text).path(), &[]);
        assert_eq!(run.code, 2, "{campaign}: {run:?}");
        let line = if expected.contains("used twice") {
            12
        } else {
            11
        };
        assert!(
            run.stderr.contains(&format!("scorecard.yaml:{line}:"))
                && run.stderr.contains(expected),
            "{campaign}: {run:?}"
        );
    }
    let many: String = (0..=callboard::score::campaign::MAX_CAMPAIGNS)
        .map(|i| {
            format!("    - {{id: c{i}, rules: [described], owner: team-a, deadline: 2026-06-30}}\n")
        })
        .collect();
    let run = score(
        base_with_card(
            &TIER_CARD.replace("  rules:\n", &format!("  campaigns:\n{many}  rules:\n")),
        )
        .path(),
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("scorecard.yaml:11:")
            && run
                .stderr
                .contains("`campaigns` has 101 campaigns, more than the 100"),
        "{run:?}"
    );
    let run = score(
        base_with_card(&TIER_CARD.replace("  rules:\n", "  campaigns: {c: 1}\n  rules:\n")).path(),
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("scorecard.yaml:10:")
            && run.stderr.contains("`campaigns` must be a list"),
        "{run:?}"
    );
}

/// Two campaigns on TIER_CARD: `docs` (described, every Component) and `svc` (owner-group and
/// described, services only; poor is a library).
fn campaign_card(deadline: &str) -> String {
    TIER_CARD.replace(
        "  rules:\n",
        &format!(
            "  campaigns:\n    - {{id: docs, title: Describe everything, rules: [described], owner: team-a, deadline: {deadline}}}\n    - {{id: svc, rules: [owner-group, described], appliesTo: {{type: service}}, owner: group:default/team-b, deadline: 2027-06-30}}\n  rules:\n"
        ),
    )
}

fn campaign<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["scorecards"][0]["campaigns"]
        .as_array()
        .unwrap_or_else(|| panic!("no campaigns:\n{v:#}"))
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no campaign {id}:\n{v:#}"))
}

/// Progress per campaign: targets (the scorecard's appliesTo ∩ the campaign's), done (every
/// rule of the campaign passed, waived or n/a) and remaining, overall and per group, in JSON,
/// the table and markdown.
#[test]
fn campaigns_report_progress_overall_and_per_group() {
    let tmp = base_with_card(&campaign_card("2027-01-31"));
    let (code, v) = score_json(tmp.path(), &[]);
    assert_eq!(
        code, 0,
        "before the deadline a campaign is informational: {v:#}"
    );
    let docs = campaign(&v, "docs");
    assert_eq!(docs["title"], "Describe everything");
    assert_eq!(docs["owner"], "group:default/team-a");
    assert_eq!(docs["deadline"], "2027-01-31");
    assert_eq!(docs["daysLeft"], 66, "2026-11-26 to 2027-01-31");
    assert_eq!(docs["enforced"], false);
    assert_eq!(
        (&docs["targets"], &docs["done"], &docs["remaining"]),
        (&json!(4), &json!(3), &json!(1)),
        "{docs:#}"
    );
    assert_eq!(docs["groupBy"], "owner");
    // poor is owned by bob, a member of team-a: his team's entity.
    assert_eq!(
        docs["groups"],
        json!([
            {"key": "group:default/ghost-team", "targets": 1, "done": 1, "remaining": 0},
            {"key": "group:default/team-a", "targets": 2, "done": 1, "remaining": 1},
            {"key": "group:default/team-b", "targets": 1, "done": 1, "remaining": 0},
        ])
    );
    assert_eq!(docs["remainingEntities"][0]["ref"], POOR_REF);
    assert_eq!(
        docs["remainingEntities"][0]["failingRules"][0]["id"],
        "described"
    );
    assert_eq!(
        docs["remainingEntities"][0]["failingRules"][0]["message"],
        rule(&v, POOR_REF, "described")["message"]
    );
    let svc = campaign(&v, "svc");
    assert_eq!(svc["title"], "svc");
    let svc_targets = svc["targets"].as_u64().unwrap();
    assert_eq!(svc_targets, 3, "poor is a library: {svc:#}");
    let remaining: Vec<&str> = svc["remainingEntities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ref"].as_str().unwrap())
        .collect();
    assert_eq!(remaining, [ORPHAN_REF], "ghost-team is no group: {svc:#}");

    // A waived rule counts as passed: poor's waiver on `described` makes `docs` complete.
    write_waivers(
        tmp.path(),
        "  - {entity: poor, rules: [tr/described], reason: remediation-planned, expires: 2026-12-31}\n",
    );
    let (_, waived) = score_json(tmp.path(), &["--waivers", "waivers.yaml"]);
    assert_eq!(campaign(&waived, "docs")["done"], 4, "{waived:#}");

    // --group-by system rolls up by system.
    let (_, by_system) = score_json(tmp.path(), &["--group-by", "system"]);
    let groups = &campaign(&by_system, "docs")["groups"];
    assert_eq!(campaign(&by_system, "docs")["groupBy"], "system");
    assert_eq!(
        groups[0],
        json!({"key": "(no system)", "targets": 1, "done": 0, "remaining": 1})
    );

    let table = score(tmp.path(), &[]);
    assert!(
        table.stdout.contains(
            "campaign docs (Describe everything), owner group:default/team-a, deadline 2027-01-31 (66 days left): 3 of 4 done, 1 remaining\n  owner group:default/ghost-team: 1 of 1 done\n  owner group:default/team-a: 1 of 2 done\n"
        ),
        "{table:?}"
    );
    let md = score(tmp.path(), &["--format", "markdown"]);
    assert!(md.stdout.contains("### Campaigns (`tr`)"), "{md:?}");
    assert!(
        md.stdout.contains(
            "| **Describe everything** (`docs`) | `group:default/team-a` | 2027-01-31 (66 days left) | all | 4 | 3 | 1 |\n"
        ),
        "{md:?}"
    );
    assert!(
        md.stdout
            .contains("| | | | `group:default/team-a` | 2 | 1 | 1 |\n"),
        "{md:?}"
    );

    common::assert_follows_score_report_schema(&v);
    common::assert_follows_score_report_schema(&by_system);
    // Without campaigns the JSON has no `campaigns` key.
    let (_, plain) = score_json(base_with_card(TIER_CARD).path(), &[]);
    assert!(plain["scorecards"][0].get("campaigns").is_none());
}

/// Before its deadline a campaign is informational; from the deadline day on, each target
/// that does not pass its rules fails the gate (exit 1), whatever `--fail-on`, naming the
/// campaign, the entity and the rule; a rule not enforced yet (`enforceFrom`) is enforced
/// for the campaign's targets; a waiver still counts as passed.
#[test]
fn a_campaign_fails_the_gate_from_its_deadline_on() {
    let tmp = base_with_card(&campaign_card("2027-01-31"));
    let expected =
        "component:default/poor: rule tr/described is fail (campaign docs was due 2027-01-31)";
    for (now, code, days_left, enforced) in [
        ("2027-01-30", 0, 1, false),
        ("2027-01-31", 1, 0, true),
        ("2027-02-01", 1, -1, true),
    ] {
        let (got, v) = score_json(tmp.path(), &["--now", now]);
        assert_eq!(got, code, "{now}: {v:#}");
        assert_eq!(campaign(&v, "docs")["daysLeft"], days_left, "{now}");
        assert_eq!(campaign(&v, "docs")["enforced"], enforced, "{now}");
        let expected_reasons: Vec<String> = if enforced {
            vec![expected.to_string()]
        } else {
            Vec::new()
        };
        assert_eq!(reasons(&v), expected_reasons, "{now}");
    }
    let table = score(tmp.path(), &["--now", "2027-02-01"]);
    assert!(
        table
            .stdout
            .contains("deadline 2027-01-31 (1 day overdue) (enforced by the gate): 3 of 4 done"),
        "{table:?}"
    );
    assert!(
        table.stdout.contains(&format!("  - {expected}\n")),
        "{table:?}"
    );
    // SARIF and JUnit mark that rule result as failing the gate.
    let sarif: Value = serde_json::from_str(
        &score(tmp.path(), &["--now", "2027-02-01", "--format", "sarif"]).stdout,
    )
    .unwrap();
    let gated: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["properties"]["failsGate"] == true)
        .map(|r| {
            (
                r["properties"]["entity"].as_str().unwrap().to_string(),
                r["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(gated.len(), 1, "{sarif:#}");
    assert_eq!(gated[0].0, POOR_REF, "{sarif:#}");
    assert!(gated[0].1.ends_with("described"), "{sarif:#}");
    let junit = score(tmp.path(), &["--now", "2027-02-01", "--format", "junit"]);
    assert!(junit.stdout.contains("failures=\"1\""), "{junit:?}");

    // With --fail-on error the rule fails the gate once, the reason naming the campaign.
    let (_, v) = score_json(tmp.path(), &["--now", "2027-02-01", "--fail-on", "error"]);
    let about_poor: Vec<String> = reasons(&v)
        .into_iter()
        .filter(|r| r.starts_with("component:default/poor: rule tr/described"))
        .collect();
    assert_eq!(about_poor, [expected], "{v:#}");

    // enforceFrom later than the deadline: `warn` is not done, and the campaign enforces it.
    let later = campaign_card("2027-01-31").replace(
        "{id: described, check:",
        "{id: described, enforceFrom: 2027-12-31, check:",
    );
    let tmp = base_with_card(&later);
    let (code, v) = score_json(tmp.path(), &["--now", "2027-02-01"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        reasons(&v),
        ["component:default/poor: rule tr/described is warn (campaign docs was due 2027-01-31)"]
    );
    // A waiver counts as passed, past the deadline too.
    write_waivers(
        tmp.path(),
        "  - {entity: poor, rules: [tr/described], reason: remediation-planned, expires: 2027-03-01}\n",
    );
    let (code, v) = score_json(
        tmp.path(),
        &["--now", "2027-02-01", "--waivers", "waivers.yaml"],
    );
    assert_eq!((code, reasons(&v)), (0, Vec::<String>::new()), "{v:#}");
}

/// `--format reminders`: one section per owner team with remaining entities (teams in order,
/// then campaigns, entities and rules), the campaign's title, owner and deadline with days
/// left, the failing rules with their messages; a short line per campaign with nothing left.
/// Compared with tests/data/score-reminders.md (`UPDATE_EXPECT=1` rewrites it).
#[test]
fn reminders_golden() {
    let text = campaign_card("2027-01-31").replace(
        "  rules:\n",
        "    - {id: names, title: Named, rules: [named], owner: team-b, deadline: 2027-03-31}\n    - {id: sites, rules: [titled], appliesTo: {type: website}, owner: team-b, deadline: 2027-03-31}\n    - {id: titles, title: Give every entity a title, rules: [titled, described], owner: team-b, deadline: 2026-12-01}\n  rules:\n",
    );
    let tmp = base_with_card(&text);
    let run = score(tmp.path(), &["--format", "reminders"]);
    assert_eq!(run.code, 0, "{run:?}");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/score-reminders.md");
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        fs::write(&golden, &run.stdout).unwrap();
    }
    assert_eq!(
        run.stdout,
        fs::read_to_string(&golden).unwrap(),
        "UPDATE_EXPECT=1 cargo test --test score reminders rewrites it"
    );
    // Deterministic: the same run gives the same text.
    assert_eq!(
        score(tmp.path(), &["--format", "reminders"]).stdout,
        run.stdout
    );
    // Without campaigns: one line.
    let plain = score(base_with_card(TIER_CARD).path(), &["--format", "reminders"]);
    assert_eq!(
        plain.stdout,
        "# Campaign reminders\n\nNo scorecard has campaigns.\n"
    );
}
