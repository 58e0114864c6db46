//! `callboard score --facts`: external facts from JSON, NDJSON and CSV files and from SARIF,
//! JUnit, Cobertura and lcov reports, their sources and ages (`maxAge`), and the bounds of
//! reading them (a bad file stops the run with exit 2 and names file and line).
//!
//! Each test builds a small catalog in a temporary directory (not a git repository, so its
//! root is the repository root) and runs the binary there with `--now 2026-11-26`.

mod common;
use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;

const NOW: &str = "2026-11-26";

fn component(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
    )
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// payments (services/payments), payments-worker nested inside it, search, and the org in a
/// directory of its own (so that a path outside every component's directory stays outside).
fn catalog() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "org/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
    );
    write(
        d,
        "services/payments/catalog-info.yaml",
        &component("payments"),
    );
    write(
        d,
        "services/payments/worker/catalog-info.yaml",
        &component("payments-worker"),
    );
    write(d, "services/search/catalog-info.yaml", &component("search"));
    tmp
}

/// A scorecard for Components with one rule per `(id, check)`.
fn card(dir: &Path, rules: &[(&str, &str)]) {
    let mut text = String::from(
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: facts\nspec:\n  appliesTo:\n    kind: [Component]\n  defaults:\n    onUnknown: skip\n  rules:\n",
    );
    for (id, check) in rules {
        text.push_str(&format!("    - id: {id}\n      check: {check}\n"));
    }
    write(dir, "scorecard.yaml", &text);
}

use common::Run;

fn score(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["score", "--scorecard", "scorecard.yaml", "--now", NOW])
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs with `args` and asserts exit 2 with `expected` in the error.
fn refused(dir: &Path, args: &[&str], expected: &str) -> Run {
    let run = score(dir, args);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains(expected), "{run:?}");
    run
}

fn rule<'a>(v: &'a Value, name: &str, id: &str) -> &'a Value {
    let reference = format!("component:default/{name}");
    let entity = v["scorecards"][0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ref"] == reference.as_str())
        .unwrap_or_else(|| panic!("{reference} not scored"));
    entity["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not on {reference}"))
}

fn actual(v: &Value, name: &str, id: &str) -> Value {
    rule(v, name, id)["evidence"]["actual"].clone()
}

fn notes(v: &Value) -> Vec<String> {
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_ndjson_and_csv_records_are_facts_with_their_source() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[
            ("coverage", "{fact: facts.coverage, op: gte, value: 80}"),
            ("oncall", "{fact: facts.oncall, op: equals, value: true}"),
            ("deploys", "{fact: facts.deploys, op: gte, value: 1}"),
            ("tier", "{fact: facts.tier, op: equals, value: gold}"),
        ],
    );
    // An object keyed by reference (a bare name is a Component of the default namespace).
    write(
        d,
        "facts.json",
        r#"{"generatedAt": "2026-11-20", "payments": {"coverage": 91.5}, "component:default/search": {"coverage": 42}}"#,
    );
    // A list of objects with `entity`.
    write(
        d,
        "oncall.json",
        r#"[{"entity": "payments", "oncall": true}, {"entity": "search", "oncall": false}]"#,
    );
    write(
        d,
        "deploys.ndjson",
        "{\"entity\": \"payments\", \"deploys\": 3}\n\n{\"entity\": \"search\", \"deploys\": 0, \"generatedAt\": \"2026-11-01T10:00:00Z\"}\n",
    );
    write(
        d,
        "tiers.csv",
        "entity,tier,deploys_ignored\npayments,gold,\nsearch,silver,7\n",
    );
    let run = score(
        d,
        &[
            "--facts",
            "facts.json",
            "--facts",
            "oncall.json",
            "--facts",
            "deploys.ndjson",
            "--facts",
            "tiers.csv",
        ],
    );
    let v = run.json();
    let st = |name: &str, id: &str| rule(&v, name, id)["status"].as_str().unwrap().to_string();
    assert_eq!(st("payments", "coverage"), "pass");
    assert_eq!(st("search", "coverage"), "fail");
    assert_eq!(st("payments", "oncall"), "pass");
    assert_eq!(st("search", "oncall"), "fail");
    assert_eq!(st("payments", "deploys"), "pass");
    assert_eq!(st("search", "deploys"), "fail");
    assert_eq!(st("payments", "tier"), "pass");
    assert_eq!(st("search", "tier"), "fail");
    // Numbers in CSV are numbers; an empty cell gives no fact.
    assert_eq!(
        rule(&v, "payments", "coverage")["evidence"]["source"],
        json!({"file": "facts.json", "adapter": "json", "date": "2026-11-20", "ageDays": 6})
    );
    assert_eq!(
        rule(&v, "search", "deploys")["evidence"]["source"]["date"],
        "2026-11-01"
    );
    assert_eq!(
        rule(&v, "payments", "deploys")["evidence"]["source"]["date"],
        Value::Null
    );
    assert_eq!(
        rule(&v, "payments", "tier")["evidence"]["source"]["adapter"],
        "csv"
    );
    // A fact given to other entities only is absent (null) for this one.
    assert_eq!(actual(&v, "payments-worker", "coverage"), Value::Null);
    assert_eq!(rule(&v, "payments-worker", "coverage")["status"], "fail");
    // A fact no file gives is unknown.
    card(d, &[("nothing", "{fact: facts.nothing, op: exists}")]);
    let v = score(d, &["--facts", "facts.json"]).json();
    let r = rule(&v, "payments", "nothing");
    assert_eq!(r["status"], "unknown");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("no --facts file gives facts.nothing"),
        "{r}"
    );
}

#[test]
fn unknown_entities_in_a_facts_file_are_warnings_with_line_and_did_you_mean() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[("deploys", "{fact: facts.deploys, op: gte, value: 1}")],
    );
    write(
        d,
        "deploys.ndjson",
        "{\"entity\": \"payments\", \"deploys\": 3}\n{\"entity\": \"paymnets\", \"deploys\": 1}\n",
    );
    write(
        d,
        "deploys.csv",
        "entity,deploys\nsearch,2\nzzz-unrelated-name,1\n",
    );
    let run = score(d, &["--facts", "deploys.ndjson", "--facts", "deploys.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes = notes(&run.json());
    assert!(
        notes.iter().any(|n| n.contains("deploys.ndjson:2")
            && n.contains("`paymnets` is not an entity")
            && n.contains("did you mean `component:default/payments`")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("deploys.csv:3")
            && n.contains("zzz-unrelated-name")
            && !n.contains("did you mean")),
        "{notes:?}"
    );
}

const SARIF: &str = r#"{
  "version": "2.1.0",
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "runs": [{
    "tool": {"driver": {"name": "scanner"}},
    "invocations": [{"executionSuccessful": true, "endTimeUtc": "2026-11-24T08:00:00Z"}],
    "artifacts": [{"location": {"uri": "services/search/index.js"}}],
    "results": [
      {"ruleId": "a", "level": "error", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "services/payments/src/main.go"}}}]},
      {"ruleId": "b", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "services/payments/go.mod"}}}]},
      {"ruleId": "c", "level": "error", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "services/payments/worker/job.go"}}}]},
      {"ruleId": "d", "level": "note", "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}}}]},
      {"ruleId": "e", "level": "error", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "../canary/secret.txt"}}}]},
      {"ruleId": "f", "level": "error"}
    ]
  }]
}"#;

#[test]
fn sarif_results_count_per_entity_and_the_deepest_directory_wins() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[
            (
                "results",
                "{fact: facts.sarif.results, op: equals, value: 0}",
            ),
            ("errors", "{fact: facts.sarif.errors, op: equals, value: 0}"),
        ],
    );
    write(d, "scan.sarif", SARIF);
    let v = score(d, &["--facts", "scan.sarif"]).json();
    assert_eq!(actual(&v, "payments", "results"), json!(2));
    assert_eq!(actual(&v, "payments", "errors"), json!(1));
    assert_eq!(actual(&v, "payments-worker", "results"), json!(1));
    assert_eq!(actual(&v, "search", "results"), json!(1));
    assert_eq!(actual(&v, "search", "errors"), json!(0));
    assert_eq!(rule(&v, "search", "errors")["status"], "pass");
    assert_eq!(
        rule(&v, "payments", "errors")["evidence"]["source"],
        json!({"file": "scan.sarif", "adapter": "sarif", "date": "2026-11-24", "ageDays": 2})
    );
    // A result outside the repository and one without a location belong to no entity.
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("scan.sarif: 2 paths are under no entity's directory")),
        "{:?}",
        notes(&v)
    );
    // The prefix forces the adapter whatever the content looks like.
    refused(d, &["--facts", "junit:scan.sarif"], "scan.sarif");
}

#[test]
fn junit_counts_by_file_by_class_name_else_by_the_report_location() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[
            ("tests", "{fact: facts.junit.tests, op: gte, value: 1}"),
            (
                "failures",
                "{fact: facts.junit.failures, op: equals, value: 0}",
            ),
            (
                "skipped",
                "{fact: facts.junit.skipped, op: equals, value: 0}",
            ),
        ],
    );
    write(
        d,
        "services/search/reports/junit.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="s" tests="5" timestamp="2026-11-25T10:00:00">
    <testcase name="a" classname="x" file="services/payments/main_test.go"/>
    <testcase name="b" classname="x" file="services/payments/main_test.go"><failure message="boom">trace &amp; more</failure></testcase>
    <testcase name="c" classname="services.payments.worker.JobTest"><skipped/></testcase>
    <testcase name="d" classname="com.acme.SearchTest"/>
    <testcase name="e" classname="com.acme.SearchTest"><error message="x"/></testcase>
  </testsuite>
</testsuites>"#,
    );
    let v = score(d, &["--facts", "services/search/reports/junit.xml"]).json();
    assert_eq!(actual(&v, "payments", "tests"), json!(2));
    assert_eq!(actual(&v, "payments", "failures"), json!(1));
    assert_eq!(actual(&v, "payments-worker", "skipped"), json!(1));
    // Java class names are not paths: those cases belong to where the report is.
    assert_eq!(actual(&v, "search", "tests"), json!(2));
    assert_eq!(actual(&v, "search", "failures"), json!(0));
    assert_eq!(
        rule(&v, "search", "tests")["evidence"]["source"]["date"],
        "2026-11-25"
    );
}

#[test]
fn cobertura_and_lcov_give_line_rates_over_the_entity_files() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[(
            "coverage",
            "{fact: facts.coverage.lineRate, op: gte, value: 0.8}",
        )],
    );
    let root = fs::canonicalize(d).unwrap();
    write(
        d,
        "coverage.xml",
        &format!(
            r#"<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage line-rate="0.5" timestamp="1764000000000" version="7.0">
  <sources><source>{}/services</source></sources>
  <packages><package name="p"><classes>
    <class name="a" filename="payments/a.py" line-rate="1">
      <methods><method name="m"><lines><line number="1" hits="0"/></lines></method></methods>
      <lines><line number="1" hits="1"/><line number="2" hits="3"/><line number="3" hits="1"/><line number="4" hits="0"/></lines>
    </class>
    <class name="b" filename="payments/worker/b.py" line-rate="0">
      <lines><line number="1" hits="0"/><line number="2" hits="1"/></lines>
    </class>
  </classes></package></packages>
</coverage>"#,
            root.display()
        ),
    );
    let v = score(d, &["--facts", "coverage.xml"]).json();
    assert_eq!(actual(&v, "payments", "coverage"), json!(0.75));
    assert_eq!(actual(&v, "payments-worker", "coverage"), json!(0.5));
    assert_eq!(rule(&v, "payments", "coverage")["status"], "fail");
    assert_eq!(actual(&v, "search", "coverage"), Value::Null);
    // Milliseconds since the epoch: 2025-11-24.
    assert_eq!(
        rule(&v, "payments", "coverage")["evidence"]["source"]["date"],
        "2025-11-24"
    );

    write(
        d,
        "lcov.info",
        "TN:\nSF:services/search/index.js\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nDA:5,0\nend_of_record\nSF:services/payments/a.js\nLF:10\nLH:9\nend_of_record\n",
    );
    let v = score(d, &["--facts", "lcov.info"]).json();
    assert_eq!(actual(&v, "search", "coverage"), json!(0.8));
    assert_eq!(rule(&v, "search", "coverage")["status"], "pass");
    assert_eq!(actual(&v, "payments", "coverage"), json!(0.9));
    assert_eq!(
        rule(&v, "search", "coverage")["evidence"]["source"]["adapter"],
        "lcov"
    );
}

#[test]
fn max_age_makes_old_or_undated_facts_unknown() {
    let tmp = catalog();
    let d = tmp.path();
    write(
        d,
        "scorecard.yaml",
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: facts\nspec:\n  appliesTo:\n    kind: [Component]\n  rules:\n    - id: fresh\n      onUnknown: skip\n      check: {fact: facts.coverage, op: gte, value: 50, maxAge: 30d}\n    - id: strict\n      onUnknown: fail\n      check: {fact: facts.coverage, op: gte, value: 50, maxAge: 5d}\n",
    );
    write(
        d,
        "dated.ndjson",
        "{\"entity\": \"payments\", \"coverage\": 90, \"generatedAt\": \"2026-11-01\"}\n",
    );
    write(
        d,
        "undated.ndjson",
        "{\"entity\": \"search\", \"coverage\": 90}\n",
    );
    let v = score(d, &["--facts", "dated.ndjson", "--facts", "undated.ndjson"]).json();
    assert_eq!(rule(&v, "payments", "fresh")["status"], "pass");
    let strict = rule(&v, "payments", "strict");
    assert_eq!(strict["status"], "fail");
    let message = strict["message"].as_str().unwrap();
    assert!(
        message.contains("25 days old")
            && message.contains("dated.ndjson (ndjson)")
            && message.contains("maxAge 5d"),
        "{message}"
    );
    let undated = rule(&v, "search", "fresh");
    assert_eq!(undated["status"], "unknown");
    assert!(
        undated["message"]
            .as_str()
            .unwrap()
            .contains("has no date, so its age is unknown"),
        "{undated}"
    );
    // --facts-date dates a file without a date of its own; the document's own date wins.
    let v = score(
        d,
        &[
            "--facts",
            "dated.ndjson",
            "--facts",
            "undated.ndjson",
            "--facts-date",
            "2026-11-25",
        ],
    )
    .json();
    assert_eq!(rule(&v, "search", "strict")["status"], "pass");
    assert_eq!(rule(&v, "payments", "strict")["status"], "fail");
    // maxAge belongs to facts.* only.
    card(
        d,
        &[("x", "{fact: entity.metadata.name, op: exists, maxAge: 3d}")],
    );
    refused(d, &[], "maxAge applies to facts.*");
    card(d, &[("x", "{fact: facts.c, op: exists, maxAge: soon}")]);
    refused(d, &[], "maxAge must be a number of days");
}

#[test]
fn a_bad_facts_file_stops_the_run_naming_file_and_line() {
    let tmp = catalog();
    let d = tmp.path();
    card(d, &[("c", "{fact: facts.coverage, op: exists}")]);
    let cases: &[(&str, &str, &str)] = &[
        (
            "bad.ndjson",
            "{\"entity\": \"payments\", \"coverage\": 1}\n{\"entity\": \n",
            "bad.ndjson:2: invalid JSON",
        ),
        (
            "bad.csv",
            "name,coverage\npayments,1\n",
            "bad.csv:1: the header has no `entity` column",
        ),
        (
            "bad.json",
            "{\"payments\": 3}",
            "bad.json:1: the facts of `payments` must be an object",
        ),
        ("bad.txt", "hello\n", "cannot tell its format"),
        (
            "bad.info",
            "SF:a.js\nDA:1\nend_of_record\n",
            "bad.info:2: a DA line must be DA:<line>,<hits>",
        ),
    ];
    for (file, text, expected) in cases {
        write(d, file, text);
        let run = refused(d, &["--facts", file], expected);
        // `--format json` stays JSON: the error, nothing scored.
        assert_eq!(run.json()["status"], 2, "{file}");
        assert!(run.json().get("scorecards").is_none(), "{file}");
    }
    refused(
        d,
        &["--facts", "missing.json"],
        "missing.json does not exist",
    );
    refused(
        d,
        &["--facts", "x.json", "--facts-date", "2026-13-01"],
        "--facts-date must be a date",
    );
}

#[test]
fn xml_entities_are_never_expanded_and_depth_is_bounded() {
    let tmp = catalog();
    let d = tmp.path();
    card(d, &[("t", "{fact: facts.junit.tests, op: exists}")]);
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]>\n<testsuites><testsuite name=\"s\">\n<testcase name=\"a\" classname=\"&lol9;\"/>\n</testsuite></testsuites>\n");
    write(d, "lolz.xml", &laughs);
    refused(
        d,
        &["--facts", "lolz.xml"],
        "lolz.xml:15: at 1..5: unrecognized entity `lol9` (entities declared in a DTD are not expanded",
    );
    // The same reference in text the adapter does not read is refused too.
    write(
        d,
        "lolz-text.xml",
        &laughs.replace(
            "classname=\"&lol9;\"/>",
            "classname=\"x\"><failure>&lol9;</failure></testcase>",
        ),
    );
    refused(d, &["--facts", "lolz-text.xml"], "`&lol9;` is not expanded");

    let deep = format!(
        "<testsuites>{}{}</testsuites>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    write(d, "deep.xml", &deep);
    refused(
        d,
        &["--facts", "junit:deep.xml"],
        "deep.xml:1: elements are nested deeper than 64 levels",
    );
}

// ---------------------------------------------------------------------------------------------
// Facts from files in the entity's repository
// ---------------------------------------------------------------------------------------------

#[test]
fn fields_of_json_yaml_and_toml_files_with_semver_operators() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[
            (
                "node-18",
                "{fact: repo.json, path: package.json, field: engines.node, op: semverAtLeast, value: '18'}",
            ),
            (
                "node-lts",
                "{fact: repo.json, path: package.json, field: engines.node, op: semverSatisfies, value: '>=18 <21'}",
            ),
            (
                "python",
                "{fact: repo.toml, path: pyproject.toml, field: 'project[\"requires-python\"]', op: semverAtLeast, value: '3.10'}",
            ),
            (
                "chart",
                "{fact: repo.yaml, path: 'chart/*.yaml', field: version, op: semverSatisfies, value: '^1.2 || 2.x'}",
            ),
        ],
    );
    write(
        d,
        "services/payments/package.json",
        r#"{"engines": {"node": ">=18"}}"#,
    );
    write(
        d,
        "services/search/package.json",
        r#"{"engines": {"node": "^16.14 || >=18"}}"#,
    );
    write(
        d,
        "services/payments/pyproject.toml",
        "[project]\nname = \"payments\"\nrequires-python = \">=3.11,<4\"\n",
    );
    write(
        d,
        "services/search/pyproject.toml",
        "[project]\nrequires-python = \">=3.8\"\n",
    );
    write(
        d,
        "services/payments/chart/Chart.yaml",
        "apiVersion: v2\nversion: 1.4.0\n",
    );
    write(
        d,
        "services/search/chart/Chart.yaml",
        "apiVersion: v2\nversion: 3.0.0\n",
    );
    // Broken files are unknown, with the file and the parser's message.
    write(d, "services/payments/worker/package.json", "{\"engines\": ");
    write(d, "services/payments/worker/pyproject.toml", "[project\n");
    let v = score(d, &[]).json();
    let st = |name: &str, id: &str| rule(&v, name, id)["status"].as_str().unwrap().to_string();
    assert_eq!(actual(&v, "payments", "node-18"), json!(">=18"));
    // A range stands for its lowest version: >=18 is at least 18, ^16.14 || >=18 is not.
    assert_eq!(st("payments", "node-18"), "pass");
    assert_eq!(st("search", "node-18"), "fail");
    assert_eq!(st("payments", "node-lts"), "pass");
    assert_eq!(st("search", "node-lts"), "fail");
    assert_eq!(actual(&v, "payments", "python"), json!(">=3.11,<4"));
    assert_eq!(st("payments", "python"), "pass");
    assert_eq!(st("search", "python"), "fail");
    assert_eq!(st("payments", "chart"), "pass");
    assert_eq!(st("search", "chart"), "fail");
    // No file: null, which no version satisfies.
    assert_eq!(actual(&v, "payments-worker", "chart"), Value::Null);
    assert_eq!(st("payments-worker", "chart"), "fail");
    let broken = rule(&v, "payments-worker", "node-18");
    assert_eq!(broken["status"], "unknown");
    assert!(
        broken["message"]
            .as_str()
            .unwrap()
            .contains("package.json: invalid JSON"),
        "{broken}"
    );
    let broken = rule(&v, "payments-worker", "python");
    assert!(
        broken["message"]
            .as_str()
            .unwrap()
            .contains("pyproject.toml: invalid TOML"),
        "{broken}"
    );
}

#[test]
fn repository_data_files_are_read_inside_the_repository_only() {
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("canary.json");
    fs::write(&canary, r#"{"engines": {"node": "CANARY-SECRET"}}"#).unwrap();
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[(
            "node",
            "{fact: repo.json, path: package.json, field: engines.node, op: exists}",
        )],
    );
    std::os::unix::fs::symlink(&canary, d.join("services/payments/package.json")).unwrap();
    let before = fs::read(&canary).unwrap();
    let run = score(d, &[]);
    let v = run.json();
    let r = rule(&v, "payments", "node");
    assert_eq!(r["status"], "unknown");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("outside the repository"),
        "{r}"
    );
    assert!(!run.stdout.contains("CANARY-SECRET"));
    assert_eq!(fs::read(&canary).unwrap(), before);
}

#[test]
fn codeowners_last_matching_entry_covering_the_entity_directory() {
    let tmp = catalog();
    let d = tmp.path();
    card(d, &[("owners", "{fact: repo.codeowners, op: notEmpty}")]);
    write(
        d,
        ".github/CODEOWNERS",
        "# GitHub: the last matching pattern wins\n* @acme/platform\n/services/payments/ @acme/payments @alice # inline comment\n*.go @acme/gophers\n/services/payments/worker/\n",
    );
    // GitHub uses the first location that exists: .github/ before the root.
    write(d, "CODEOWNERS", "* @acme/ignored\n");
    let v = score(d, &[]).json();
    assert_eq!(
        actual(&v, "payments", "owners"),
        json!(["@acme/payments", "@alice"])
    );
    // An entry without owners removes ownership; a pattern on files (*.go) does not cover a
    // directory.
    assert_eq!(actual(&v, "payments-worker", "owners"), Value::Null);
    assert_eq!(rule(&v, "payments-worker", "owners")["status"], "fail");
    assert_eq!(actual(&v, "search", "owners"), json!(["@acme/platform"]));
    // Without .github/CODEOWNERS, the root one counts.
    fs::remove_file(d.join(".github/CODEOWNERS")).unwrap();
    let v = score(d, &[]).json();
    assert_eq!(actual(&v, "search", "owners"), json!(["@acme/ignored"]));
}

#[test]
fn repository_fact_and_semver_mistakes_are_scorecard_errors() {
    let tmp = catalog();
    let d = tmp.path();
    let cases = [
        (
            "{fact: repo.json, path: package.json, op: exists}",
            "`field` is required",
        ),
        (
            "{fact: repo.toml, path: ../x.toml, field: a, op: exists}",
            "..",
        ),
        (
            "{fact: entity.spec.version, op: semverSatisfies, value: '>=banana'}",
            "`semverSatisfies` needs a version range",
        ),
        (
            "{fact: entity.spec.version, op: semverAtLeast, value: latest}",
            "`semverAtLeast` needs a version (1.2.3, 18, v2.1), not `latest`",
        ),
    ];
    for (check, expected) in cases {
        card(d, &[("x", check)]);
        refused(d, &[], expected);
    }
}

#[test]
fn deeply_nested_repository_data_is_unknown_not_a_crash() {
    let tmp = catalog();
    let d = tmp.path();
    card(
        d,
        &[
            (
                "toml",
                "{fact: repo.toml, path: deep.toml, field: a, op: exists}",
            ),
            (
                "yaml",
                "{fact: repo.yaml, path: deep.yaml, field: a, op: exists}",
            ),
            (
                "json",
                "{fact: repo.json, path: deep.json, field: a, op: exists}",
            ),
        ],
    );
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    write(d, "services/payments/deep.toml", &format!("a = {nested}\n"));
    write(d, "services/payments/deep.yaml", &format!("a: {nested}\n"));
    write(
        d,
        "services/payments/deep.json",
        &format!("{{\"a\": {nested}}}"),
    );
    let v = score(d, &[]).json();
    for (id, expected) in [
        ("toml", "max recursion depth"),
        ("yaml", "recursion limit"),
        ("json", "recursion limit"),
    ] {
        let r = rule(&v, "payments", id);
        assert_eq!(r["status"], "unknown", "{r}");
        assert!(r["message"].as_str().unwrap().contains(expected), "{r}");
    }
}

// ---------------------------------------------------------------------------------------------
// Relational facts, from the catalog's relations
// ---------------------------------------------------------------------------------------------

const ORG: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
  annotations:
    pagerduty.com/service-id: PX123
spec:
  type: team
  children: []
  members: [alice]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  memberOf: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: bob
spec:
  profile:
    email: bob@example.com
  memberOf: [team-a]
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: finance
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: billing
spec:
  owner: team-a
  domain: finance
";

fn related(name: &str, owner: &str, lifecycle: &str, extra: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: {lifecycle}\n  owner: {owner}\n{extra}"
    )
}

#[test]
fn owner_system_domain_and_dependency_facts_come_from_the_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "org/catalog-info.yaml", ORG);
    write(
        d,
        "payments/catalog-info.yaml",
        &related(
            "payments",
            "team-a",
            "production",
            "  system: billing\n  dependsOn: [component:search, component:ghost]\n",
        ),
    );
    write(
        d,
        "search/catalog-info.yaml",
        &related("search", "user:bob", "deprecated", ""),
    );
    write(
        d,
        "worker/catalog-info.yaml",
        &related(
            "worker",
            "team-a",
            "production",
            "  dependsOn: [component:payments]\n",
        ),
    );
    card(
        d,
        &[
            (
                "pager",
                "{fact: 'owner.metadata.annotations[\"pagerduty.com/service-id\"]', op: exists}",
            ),
            (
                "owner-email",
                "{fact: owner.spec.profile.email, op: exists}",
            ),
            ("members", "{fact: catalog.ownerMembers, op: gte, value: 2}"),
            ("system", "{fact: catalog.system, op: exists}"),
            (
                "domain",
                "{fact: catalog.domain, op: equals, value: 'domain:default/finance'}",
            ),
            (
                "deps",
                "{fact: catalog.dependencies, op: countGte, value: 0}",
            ),
            (
                "no-deprecated-deps",
                "{fact: catalog.dependencies, field: spec.lifecycle, op: notContains, value: deprecated}",
            ),
        ],
    );
    let v = score(d, &[]).json();
    let st = |name: &str, id: &str| rule(&v, name, id)["status"].as_str().unwrap().to_string();
    assert_eq!(actual(&v, "payments", "pager"), json!("PX123"));
    assert_eq!(st("search", "pager"), "fail");
    assert_eq!(
        actual(&v, "search", "owner-email"),
        json!("bob@example.com")
    );
    // team-a: alice from spec.members, bob from his spec.memberOf.
    assert_eq!(actual(&v, "payments", "members"), json!(2));
    assert_eq!(
        actual(&v, "payments", "system"),
        json!("system:default/billing")
    );
    assert_eq!(actual(&v, "search", "system"), Value::Null);
    assert_eq!(
        actual(&v, "payments", "domain"),
        json!("domain:default/finance")
    );
    assert_eq!(st("worker", "domain"), "fail");
    // Only dependencies that resolve to an entity of the catalog (ghost does not).
    assert_eq!(
        actual(&v, "payments", "deps"),
        json!(["component:default/search"])
    );
    assert_eq!(
        actual(&v, "payments", "no-deprecated-deps"),
        json!(["deprecated"])
    );
    assert_eq!(st("payments", "no-deprecated-deps"), "fail");
    assert_eq!(st("worker", "no-deprecated-deps"), "pass");
    assert_eq!(actual(&v, "search", "deps"), json!([]));
    // The roll-up by domain reads the same relations.
    let run = score(d, &["--group-by", "domain"]);
    let groups = &run.json()["groups"]["scorecards"][0]["groups"];
    assert!(
        groups
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["key"] == "domain:default/finance" && g["entities"] == 1),
        "{groups}"
    );
}

// ---------------------------------------------------------------------------------------------
// The production-readiness examples (examples/scorecards)
// ---------------------------------------------------------------------------------------------

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Levels and failing rules per entity of one example scorecard, run on a copy of
/// examples/acme (its own repository root, as the reports' paths expect).
fn run_example(card: &str, extra: &[&str]) -> (i32, Value) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let tmp = tempfile::tempdir().unwrap();
    let acme = tmp.path().join("acme");
    copy_tree(&examples.join("acme"), &acme);
    let reports = examples.join("scorecards/reports");
    let card = examples.join("scorecards").join(card);
    let facts: Vec<String> = ["lcov.info", "scan.sarif", "service-facts.json"]
        .iter()
        .flat_map(|f| ["--facts".to_string(), reports.join(f).display().to_string()])
        .collect();
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(&acme)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["score", "--format", "json", "--now", NOW, "--scorecard"])
        .arg(&card)
        .args(&facts)
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), v)
}

/// entity name → (level, failing rule ids).
fn outcome(v: &Value) -> std::collections::BTreeMap<String, (String, Vec<String>)> {
    v["scorecards"][0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let failing = e["rules"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["status"] != "pass")
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect();
            (
                e["ref"].as_str().unwrap().replace("component:default/", ""),
                (e["level"].as_str().unwrap().to_string(), failing),
            )
        })
        .collect()
}

/// Runs an example with `--facts-date 2026-11-24`, asserts its exit status and each entity's
/// level and failing rules, and returns the report.
fn scored_as(card: &str, code: i32, rows: &[(&str, &str, &[&str])]) -> Value {
    let (actual_code, v) = run_example(card, &["--facts-date", "2026-11-24"]);
    assert_eq!(actual_code, code, "{card}");
    let expected: std::collections::BTreeMap<String, (String, Vec<String>)> = rows
        .iter()
        .map(|(name, level, failing)| {
            let failing = failing.iter().map(|s| s.to_string()).collect();
            (name.to_string(), (level.to_string(), failing))
        })
        .collect();
    assert_eq!(outcome(&v), expected, "{card}");
    v
}

#[test]
fn the_soundcheck_style_example_scores_acme_with_coverage_and_sarif_facts() {
    let v = scored_as(
        "soundcheck-production-readiness.yaml",
        0,
        &[
            ("checkout-service", "gold", &[]),
            (
                "fraud-scorer",
                "none",
                &[
                    "has-techdocs",
                    "on-call",
                    "ci-passing",
                    "coverage",
                    "no-critical-vulnerabilities",
                ],
            ),
            ("ledger-service", "gold", &[]),
        ],
    );
    let coverage = rule(&v, "checkout-service", "coverage");
    // 9 of the 10 lines of its two files.
    assert_eq!(coverage["evidence"]["actual"], json!(0.9));
    assert_eq!(coverage["evidence"]["source"]["adapter"], "lcov");
    assert_eq!(coverage["evidence"]["source"]["date"], "2026-11-24");
    assert_eq!(
        actual(&v, "fraud-scorer", "no-critical-vulnerabilities"),
        json!(1)
    );
    // Without a date for the coverage report, maxAge cannot hold: the rule fails as unknown.
    let (_, v) = run_example("soundcheck-production-readiness.yaml", &[]);
    let coverage = rule(&v, "checkout-service", "coverage");
    assert_eq!(coverage["status"], "fail");
    assert!(
        coverage["message"]
            .as_str()
            .unwrap()
            .contains("has no date, so its age is unknown"),
        "{coverage}"
    );
}

#[test]
fn the_cortex_style_example_scores_acme_with_coverage_and_sarif_facts() {
    // Its gate asks bronze of every production service: exit 1.
    let v = scored_as(
        "cortex-production-readiness.yaml",
        1,
        &[
            ("checkout-service", "gold", &[]),
            (
                "fraud-scorer",
                "none",
                &[
                    "on-call",
                    "runbook",
                    "slos",
                    "dashboard",
                    "coverage",
                    "no-critical-vulnerabilities",
                ],
            ),
            ("ledger-service", "none", &["runbook", "recent-deploy"]),
        ],
    );
    assert_eq!(actual(&v, "fraud-scorer", "coverage"), json!(0.6));
    assert_eq!(
        rule(&v, "checkout-service", "no-critical-vulnerabilities")["evidence"]["source"],
        json!({"file": Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scorecards/reports/scan.sarif").display().to_string(), "adapter": "sarif", "date": "2026-11-20", "ageDays": 6})
    );
}

// ---------------------------------------------------------------------------------------------
// The JSON report's schema (docs/score-report.schema.json)
// ---------------------------------------------------------------------------------------------

#[test]
fn the_json_report_with_facts_roll_up_and_failure_follows_its_schema() {
    let (_, v) = run_example("cortex-production-readiness.yaml", &["--group-by", "owner"]);
    assert!(v["groups"].is_object());
    assert!(
        v["scorecards"][0]["entities"][0]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["evidence"]["source"].is_object())
    );
    common::assert_follows_score_report_schema(&v);
    // The default scorecard on the acme example: every other fact and status.
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"))
        .args(["score", "--format", "json", "--now", NOW])
        .output()
        .unwrap();
    common::assert_follows_score_report_schema(&serde_json::from_slice(&out.stdout).unwrap());
    // A failure is JSON too.
    let tmp = catalog();
    card(tmp.path(), &[("c", "{fact: facts.x, op: exists}")]);
    let run = score(tmp.path(), &["--facts", "missing.json"]);
    assert_eq!(run.code, 2);
    common::assert_follows_score_report_schema(&run.json());
    // The schema names every adapter.
    let schema = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/score-report.schema.json"),
    )
    .unwrap();
    for (name, _) in callboard::score::external::Adapter::ALL {
        assert!(schema.contains(&format!("\"{name}\"")), "{name}");
    }
}

#[test]
fn facts_files_are_bounded_in_size_and_records() {
    let tmp = catalog();
    let d = tmp.path();
    card(d, &[("c", "{fact: facts.x, op: exists}")]);
    // A sparse file: its size is checked before anything is read.
    let big = fs::File::create(d.join("big.json")).unwrap();
    big.set_len(64 * 1024 * 1024 + 1).unwrap();
    refused(
        d,
        &["--facts", "big.json"],
        "big.json is larger than the 67108864-byte limit",
    );
    let mut rows = String::from("entity\n");
    rows.push_str(&"payments\n".repeat(1_000_001));
    write(d, "rows.csv", &rows);
    refused(
        d,
        &["--facts", "rows.csv"],
        "rows.csv:1000002: has more than 1000000 records",
    );
}

#[test]
fn codeowners_for_an_entity_at_the_repository_root() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "catalog-info.yaml", &component("monolith"));
    card(d, &[("owners", "{fact: repo.codeowners, op: notEmpty}")]);
    // Only a pattern that matches everything covers the root itself.
    write(
        d,
        "CODEOWNERS",
        "* @acme/all\n/src/ @acme/src\n*.md @acme/docs\n",
    );
    let v = score(d, &[]).json();
    assert_eq!(actual(&v, "monolith", "owners"), json!(["@acme/all"]));
    write(d, "CODEOWNERS", "/src/ @acme/src\n");
    let v = score(d, &[]).json();
    assert_eq!(actual(&v, "monolith", "owners"), Value::Null);
}
