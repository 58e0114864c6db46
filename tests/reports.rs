//! Reports that fit where CI shows them: markdown within a pull-request comment (65,536
//! characters) and a step summary (1 MiB), SARIF within code scanning's 5,000 results per run and
//! valid against the SARIF 2.1.0 schema, JUnit failures only for the gate, bounded JSON evidence,
//! `score --group-by`, and `--report FORMAT=PATH` (one evaluation, several reports).
//!
//! The large catalog (10,000 components) is generated here, so the test needs nothing outside
//! the repository.

mod common;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-11-26";
/// GitHub's limits (the markdown builder keeps 1 KiB under each for the Action's wrapper).
const COMMENT_CHARS: usize = 65_536;
const SUMMARY_BYTES: usize = 1_048_576;
const SARIF_MAX_RESULTS: usize = 5_000;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callboard"));
    cmd.env("NO_COLOR", "1");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:.500}"))
}

/// Generates a catalog of `components` Components (100 to a file) with teams, users, systems
/// and domains. Every third Component has no lifecycle (a validation error and failing rules),
/// every second depends on a Component that does not exist (an unresolved-reference warning),
/// every tenth is owned by a User (whose team is a Group it is a member of).
fn generate_catalog(root: &Path, components: usize) {
    let doc = |kind: &str, name: &str, spec: &str| {
        format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{spec}"
        )
    };
    let mut org = String::new();
    for d in 0..5 {
        org.push_str(&doc("Domain", &format!("dom-{d}"), "  owner: team-0\n"));
    }
    for t in 0..20 {
        org.push_str(&doc(
            "Group",
            &format!("team-{t}"),
            "  type: team\n  children: []\n",
        ));
    }
    for u in 0..40 {
        org.push_str(&doc(
            "User",
            &format!("u-{u}"),
            &format!("  memberOf: [team-{}]\n", u % 20),
        ));
    }
    for s in 0..50 {
        org.push_str(&doc(
            "System",
            &format!("sys-{s}"),
            &format!("  owner: team-{}\n  domain: dom-{}\n", s % 20, s % 5),
        ));
    }
    fs::write(root.join("org.yaml"), org).unwrap();
    for part in 0..components.div_ceil(100) {
        let mut text = String::new();
        for i in part * 100..((part + 1) * 100).min(components) {
            let owner = if i % 10 == 0 {
                format!("user:u-{}", i % 40)
            } else {
                format!("team-{}", i % 20)
            };
            let mut spec = format!(
                "  type: service\n  owner: {owner}\n  system: sys-{}\n",
                i % 50
            );
            if i % 3 != 0 {
                spec.push_str("  lifecycle: production\n");
            }
            if i % 2 == 0 {
                spec.push_str(&format!("  dependsOn: [component:missing-{i}]\n"));
            }
            text.push_str(&doc("Component", &format!("svc-{i}"), &spec));
        }
        let dir = root.join(format!("services/part-{part}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("catalog-info.yaml"), text).unwrap();
    }
}

const WAIVERS: &str = "\
apiVersion: callboard.dev/v1
kind: Waivers
waivers:
  - entity: component:default/svc-1*
    rules: [has-techdocs]
    reason: accepted-risk
    expires: 2027-05-01
";

fn sarif_schema() -> jsonschema::Validator {
    let schema = json(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    );
    // The published schema's two `language` patterns have a stray `]` that a strict ECMA-262
    // regex check refuses; callboard never writes `language`, so those patterns are made
    // valid here and everything else is checked as published.
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let text = serde_json::to_string(&schema).unwrap();
    assert_eq!(text.matches(STRAY).count(), 2);
    let schema = json(&text.replace(STRAY, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}$"));
    jsonschema::validator_for(&schema).expect("the SARIF 2.1.0 schema compiles")
}

/// The SARIF text is valid SARIF 2.1.0; returns its (only) run.
fn assert_valid_sarif(text: &str) -> Value {
    let log = json(text);
    let errors: Vec<String> = sarif_schema()
        .iter_errors(&log)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    log["runs"][0].clone()
}

fn assert_well_formed_xml(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

/// The markdown fits a pull-request comment (with room for the Action's marker and footer).
fn assert_fits_comment(md: &str) {
    assert!(
        md.chars().count() <= COMMENT_CHARS - 1_024 && md.len() <= COMMENT_CHARS - 1_024,
        "{} characters, {} bytes",
        md.chars().count(),
        md.len()
    );
}

fn assert_fits_summary(md: &str) {
    assert!(md.len() <= SUMMARY_BYTES - 1_024, "{} bytes", md.len());
}

/// Results are ordered most severe first (errors, warnings, notes), unsuppressed first.
fn assert_priority_order(results: &[Value]) {
    let rank = |r: &Value| {
        let suppressed = r.get("suppressions").is_some();
        let severity = match r["level"].as_str() {
            Some("error") => 0,
            Some("warning") => 1,
            _ => 2,
        };
        (suppressed, severity)
    };
    for pair in results.windows(2) {
        assert!(
            rank(&pair[0]) <= rank(&pair[1]),
            "{:#} before {:#}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn reports_of_a_ten_thousand_component_catalog_stay_within_every_limit() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    generate_catalog(root, 10_000);
    fs::write(root.join("waivers.yaml"), WAIVERS).unwrap();
    fs::create_dir(root.join("out")).unwrap();

    // validate: one run, four reports.
    let out = run(
        root,
        &[
            "catalog",
            "validate",
            "--format",
            "markdown",
            "--markdown-limit",
            "comment",
            "--report",
            "markdown:summary=out/validate.md",
            "--report",
            "sarif=out/validate.sarif",
            "--report",
            "json=out/validate.json",
            "--report",
            "markdown:comment=out/validate-comment.md",
        ],
    );
    assert_eq!(code(&out), 1, "{}", common::show(&out));
    let comment = stdout(&out);
    assert_fits_comment(&comment);
    assert_eq!(comment, read(root, "out/validate-comment.md"));
    assert!(
        comment.starts_with("## Catalog validation: failed ❌"),
        "{comment:.300}"
    );
    // One problem at thousands of places is one row that lists a few of them.
    assert!(comment.contains(" and 3333 more: "), "{comment:.600}");
    let summary = read(root, "out/validate.md");
    assert_fits_summary(&summary);
    let report = json(&read(root, "out/validate.json"));
    let total = report["diagnostics"].as_array().unwrap().len();
    assert!(total > SARIF_MAX_RESULTS, "{total} findings");
    let sarif = assert_valid_sarif(&read(root, "out/validate.sarif"));
    let results = sarif["results"].as_array().unwrap();
    assert_eq!(results.len(), SARIF_MAX_RESULTS);
    assert_priority_order(results);
    assert_eq!(results[0]["level"], "error");
    assert_eq!(sarif["properties"]["resultsTotal"], total);
    assert_eq!(
        sarif["properties"]["resultsOmitted"],
        total - SARIF_MAX_RESULTS
    );
    let note = &sarif["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "{} of {total} results left out",
                total - SARIF_MAX_RESULTS
            )),
        "{note:#}"
    );

    // score: one run, every format, grouped by owner team.
    let out = run(
        root,
        &[
            "score",
            "--now",
            NOW,
            "--waivers",
            "waivers.yaml",
            "--min-level",
            "bronze",
            "--group-by",
            "owner",
            "--format",
            "markdown",
            "--markdown-limit",
            "comment",
            "--report",
            "markdown:summary=out/score.md",
            "--report",
            "sarif=out/score.sarif",
            "--report",
            "json=out/score.json",
            "--report",
            "junit=out/score.xml",
            "--report",
            "text=out/score.txt",
        ],
    );
    assert_eq!(code(&out), 1, "{}", common::show(&out));
    let comment = stdout(&out);
    assert_fits_comment(&comment);
    assert!(comment.starts_with("## Scorecards: gate failed ❌"));
    // The summary, then the gate failures, then the roll-up, in that order.
    let at = |s: &str| comment.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("Entities scored: 10000;") < at("### Gate failures"));
    assert!(comment.contains("more gate failures not shown"));
    let summary = read(root, "out/score.md");
    assert_fits_summary(&summary);
    assert!(summary.contains("### By owner (`catalog-readiness`)"));
    // A User owner counts for its team: no user:… group.
    assert!(!summary.contains("| `user:"), "{summary:.2000}");

    let sarif = assert_valid_sarif(&read(root, "out/score.sarif"));
    let results = sarif["results"].as_array().unwrap();
    assert_eq!(results.len(), SARIF_MAX_RESULTS);
    assert_priority_order(results);
    assert!(sarif["properties"]["resultsOmitted"].as_u64().unwrap() > 0);
    assert_eq!(sarif["properties"]["groupBy"], "owner");

    let report = json(&read(root, "out/score.json"));
    let entities = report["scorecards"][0]["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 10_000);
    for e in entities {
        assert!(e["file"].as_str().unwrap().ends_with("catalog-info.yaml"));
        assert!(e["owner"].as_str().is_some(), "{e:#}");
        assert!(
            e["system"]
                .as_str()
                .unwrap()
                .starts_with("system:default/sys-")
        );
        assert!(
            e["domain"]
                .as_str()
                .unwrap()
                .starts_with("domain:default/dom-")
        );
    }
    let groups = &report["groups"];
    assert_eq!(groups["by"], "owner");
    let owner_groups = groups["scorecards"][0]["groups"].as_array().unwrap();
    assert_eq!(owner_groups.len(), 20, "the twenty teams");
    let counted: u64 = owner_groups
        .iter()
        .map(|g| g["entities"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 10_000);

    let junit = read(root, "out/score.xml");
    let doc = assert_well_formed_xml(&junit);
    // Every failure is a gate failure: here, the levels below bronze ("gate" cases).
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert!(!failures.is_empty());
    assert!(
        failures
            .iter()
            .all(|f| f.parent().unwrap().attribute("name") == Some("gate")),
        "only gate failures are failures"
    );
    assert!(read(root, "out/score.txt").contains("gate: failed"));
}

#[test]
fn adoption_and_scaffold_lint_markdown_are_cut_to_the_budget() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    generate_catalog(root, 300);
    // A template with a thousand bad expressions.
    let steps: String = (0..1_000)
        .map(|i| {
            format!(
                "    - id: s{i}\n      action: debug:log\n      input:\n        message: ${{{{ parameters.name | nosuchfilter{i} }}}}\n"
            )
        })
        .collect();
    fs::create_dir_all(root.join("templates/big")).unwrap();
    fs::write(
        root.join("templates/big/template.yaml"),
        format!(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: big\nspec:\n  owner: team-0\n  type: service\n  parameters: []\n  steps:\n{steps}"
        ),
    )
    .unwrap();
    let out = run(
        root,
        &[
            "scaffold",
            "lint",
            "templates/big/template.yaml",
            "--format",
            "markdown",
            "--markdown-limit",
            "4096",
            "--report",
            "json=lint.json",
        ],
    );
    let md = stdout(&out);
    assert!(md.len() <= 4096, "{} bytes", md.len());
    assert!(
        md.starts_with("## Template lint:"),
        "{}",
        common::show(&out)
    );
    let findings = json(&read(root, "lint.json"))["findings"]
        .as_array()
        .unwrap()
        .len();
    assert!(findings >= 1_000, "{findings}");
    assert!(md.contains("more "), "{md}");

    let out = run(
        root,
        &[
            "adoption",
            "report",
            "--as-of",
            NOW,
            "--format",
            "markdown",
            "--markdown-limit",
            "3000",
            "--report",
            "markdown:summary=adoption.md",
        ],
    );
    assert_eq!(code(&out), 0, "{}", common::show(&out));
    let cut = stdout(&out);
    assert!(cut.len() <= 3000, "{} bytes", cut.len());
    assert!(cut.starts_with("## Adoption report"));
    assert!(cut.contains("more "), "{cut}");
    let whole = read(root, "adoption.md");
    assert!(whole.len() > cut.len() && !whole.contains(" not shown"));
}

/// A small catalog with a waiver, a huge API definition and a rule that reads it.
fn small_catalog() -> TempDir {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    generate_catalog(root, 20);
    let definition = format!("openapi: 3.0.0\n{}", "x: y\n".repeat(20_000));
    fs::write(
        root.join("api.yaml"),
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: big-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-1\n  system: sys-1\n  definition: |\n{}",
            definition
                .lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        ),
    )
    .unwrap();
    fs::write(
        root.join("card.yaml"),
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: apis\nspec:\n  appliesTo:\n    kind: [API, Component]\n  levels: [bronze]\n  rules:\n    - id: asyncapi\n      level: bronze\n      when: {fact: entity.kind, op: equals, value: API}\n      check: {fact: entity.spec.definition, op: matches, value: '^asyncapi'}\n    - id: described\n      severity: warning\n      check: {fact: entity.metadata.description, op: notEmpty}\n    - id: has-techdocs\n      check: {fact: 'entity.metadata.annotations[\"backstage.io/techdocs-ref\"]', op: notEmpty}\n",
    )
    .unwrap();
    fs::write(
        root.join("waivers.yaml"),
        WAIVERS.replace("component:default/svc-1*", "component:default/svc-1"),
    )
    .unwrap();
    tmp
}

fn score_small(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "score",
        "--now",
        NOW,
        "--scorecard",
        "card.yaml",
        "--waivers",
        "waivers.yaml",
    ];
    all.extend_from_slice(args);
    run(root, &all)
}

#[test]
fn json_evidence_is_bounded_and_names_owner_system_and_file() {
    let tmp = small_catalog();
    let out = score_small(tmp.path(), &["--format", "json"]);
    assert_eq!(code(&out), 0, "{}", common::show(&out));
    let text = stdout(&out);
    assert!(text.len() < 200_000, "{} bytes", text.len());
    let report = json(&text);
    let api = report["scorecards"][0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ref"] == "api:default/big-api")
        .unwrap();
    assert_eq!(api["owner"], "group:default/team-1");
    assert_eq!(api["system"], "system:default/sys-1");
    assert_eq!(api["domain"], "domain:default/dom-1");
    assert_eq!(api["file"], "api.yaml");
    let rule = api["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "asyncapi")
        .unwrap();
    assert_eq!(rule["status"], "fail");
    let actual = rule["evidence"]["actual"].as_str().unwrap();
    assert!(actual.starts_with("openapi: 3.0.0"));
    assert_eq!(actual.chars().count(), 201, "200 characters and …");
    assert!(actual.ends_with('…'));
}

#[test]
fn waived_rules_are_sarif_suppressions_with_the_reason() {
    let tmp = small_catalog();
    let out = score_small(tmp.path(), &["--format", "sarif", "--group-by", "system"]);
    assert_eq!(code(&out), 0, "{}", common::show(&out));
    let sarif = assert_valid_sarif(&stdout(&out));
    let results = sarif["results"].as_array().unwrap();
    assert_priority_order(results);
    let waived: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(waived.len(), 1, "svc-1's has-techdocs");
    assert_eq!(waived[0]["ruleId"], "apis/has-techdocs");
    assert_eq!(waived[0]["properties"]["entity"], "component:default/svc-1");
    assert_eq!(
        waived[0]["suppressions"],
        serde_json::json!([{"kind": "external", "status": "accepted",
            "justification": "accepted-risk until 2027-05-01"}])
    );
    // The others are not suppressed, and carry their group.
    assert!(results.len() > 20);
    assert_eq!(waived[0]["properties"]["system"], "system:default/sys-1");
    assert!(sarif.get("invocations").is_none(), "nothing left out");
}

#[test]
fn group_by_rolls_up_in_every_format() {
    let tmp = small_catalog();
    let root = tmp.path();
    let out = score_small(
        root,
        &[
            "--group-by",
            "domain",
            "--report",
            "markdown=g.md",
            "--report",
            "json=g.json",
            "--report",
            "junit=g.xml",
            "--report",
            "sarif=g.sarif",
        ],
    );
    assert_eq!(code(&out), 0, "{}", common::show(&out));
    let table = stdout(&out);
    assert!(table.contains("domain"), "{table}");
    assert!(table.contains("domain:default/dom-0"), "{table}");
    assert!(table.contains("has-techdocs ×"), "{table}");
    let md = read(root, "g.md");
    assert!(md.contains("### By domain (`apis`)"), "{md}");
    assert!(md.contains("| `domain:default/dom-0` |"), "{md}");
    let report = json(&read(root, "g.json"));
    let groups = report["groups"]["scorecards"][0]["groups"]
        .as_array()
        .unwrap();
    assert_eq!(groups.len(), 5);
    let dom0 = &groups[0];
    assert_eq!(dom0["key"], "domain:default/dom-0");
    // 20 components over 50 systems over 5 domains: svc-0, -5, -10, -15 are in dom-0.
    assert_eq!(dom0["entities"], 4);
    assert_eq!(
        dom0["levels"]["none"].as_u64().unwrap() + dom0["levels"]["bronze"].as_u64().unwrap(),
        4
    );
    assert!(dom0["failingRules"]["has-techdocs"].as_u64().unwrap() >= 3);
    let xml = read(root, "g.xml");
    let doc = assert_well_formed_xml(&xml);
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("testcase")
                && n.attribute("name") == Some("domain:default/dom-0"))
    );
    let sarif = assert_valid_sarif(&read(root, "g.sarif"));
    assert_eq!(sarif["properties"]["groupBy"], "domain");
}

#[test]
fn one_evaluation_writes_every_report_as_the_format_flag_would() {
    let tmp = small_catalog();
    let root = tmp.path();
    let formats = ["json", "markdown", "sarif", "junit", "text"];
    let mut args = vec!["--format", "json"];
    let specs: Vec<String> = formats.iter().map(|f| format!("{f}=r.{f}")).collect();
    for spec in &specs {
        args.extend(["--report", spec]);
    }
    let out = score_small(root, &args);
    assert_eq!(code(&out), 0, "{}", common::show(&out));
    assert_eq!(stdout(&out), read(root, "r.json"));
    for format in formats {
        let alone = score_small(root, &["--format", format]);
        assert_eq!(
            stdout(&alone),
            read(root, &format!("r.{format}")),
            "{format}"
        );
    }
}

#[test]
fn a_bad_report_flag_is_a_usage_error_and_writes_nothing() {
    let tmp = small_catalog();
    let root = tmp.path();
    // A canary outside the catalog: no report may touch it.
    let outside = TempDir::new().unwrap();
    let canary = outside.path().join("canary.json");
    fs::write(&canary, "canary").unwrap();
    let before = common::snapshot(root);
    for (args, message) in [
        (
            vec!["--report", "yaml=r.yaml"],
            "unknown format yaml (formats: text, json, markdown, sarif, junit, html, reminders)",
        ),
        (vec!["--report", "json"], "expected FORMAT=PATH"),
        (
            vec!["--report", "json=missing/dir/r.json"],
            "directory missing/dir does not exist",
        ),
        (
            vec!["--report", "json=r.json", "--report", "sarif=r.json"],
            "named twice",
        ),
        (
            vec!["--output", "r.json", "--report", "json=r.json"],
            "named twice",
        ),
        (
            vec!["--report", "sarif:comment=r.sarif"],
            "only a markdown report takes a budget",
        ),
        (
            vec!["--report", "markdown:tiny=r.md"],
            "expected comment, summary or a number of bytes",
        ),
        (vec!["--markdown-limit", "10"], "cannot hold a report"),
        (vec!["--report", "json=services"], "is a directory"),
    ] {
        let out = score_small(root, &args);
        assert_eq!(code(&out), 2, "{args:?}: {}", common::show(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(common::snapshot(root), before, "{args:?} wrote something");
    }
    for command in [
        vec!["catalog", "validate"],
        vec!["scaffold", "lint", "--catalog", "."],
        vec!["adoption", "report", "--as-of", NOW],
    ] {
        let mut args = command.clone();
        args.extend(["--report", "yaml=r.yaml"]);
        let out = run(root, &args);
        assert_eq!(code(&out), 2, "{args:?}: {}", common::show(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format yaml"));
    }
    assert_eq!(fs::read_to_string(&canary).unwrap(), "canary");
}

#[test]
fn a_report_that_cannot_be_written_is_an_io_failure() {
    let tmp = small_catalog();
    let root = tmp.path();
    // /proc takes no new files, not even from root: the write itself fails (exit 3).
    let unwritable = PathBuf::from("/proc/callboard-report.json");
    let spec = format!("json={}", unwritable.display());
    let out = score_small(root, &["--report", "markdown=ok.md", "--report", &spec]);
    assert_eq!(code(&out), 3, "{}", common::show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write the report /proc/callboard-report.json"),
        "{stderr}"
    );
    assert!(!unwritable.exists());
    // With --format json, standard output holds the error alone: valid JSON.
    let out = score_small(root, &["--format", "json", "--report", &spec]);
    assert_eq!(code(&out), 3, "{}", common::show(&out));
    let error = json(&stdout(&out));
    assert_eq!(error["status"], 3);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/proc/callboard-report.json")
    );
    // Each report is written whole or not at all; the one before the failure is complete.
    assert!(read(root, "ok.md").starts_with("## Scorecards"));
}

#[test]
fn the_schema_check_refuses_invalid_sarif() {
    // The check above means something: a wrong suppression kind and a missing message fail.
    let tmp = small_catalog();
    let out = score_small(tmp.path(), &["--format", "sarif"]);
    let mut log = json(&stdout(&out));
    assert!(sarif_schema().is_valid(&log));
    let result = log["runs"][0]["results"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r.get("suppressions").is_some())
        .unwrap();
    result["suppressions"][0]["kind"] = "bogus".into();
    assert!(!sarif_schema().is_valid(&log));
    let mut log = json(&stdout(&out));
    log["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!sarif_schema().is_valid(&log));
}

/// The SARIF multitool of the SARIF authors, from npm (`@microsoft/sarif-multitool`): .ci/run
/// installs it under target/sarif-multitool; `CALLBOARD_SARIF_MULTITOOL` names another copy.
fn sarif_multitool() -> PathBuf {
    std::env::var_os("CALLBOARD_SARIF_MULTITOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(
                "target/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool",
            )
        })
}

#[test]
#[ignore = "needs @microsoft/sarif-multitool (npm); .ci/run installs it"]
fn the_sarif_multitool_finds_no_error_or_warning_in_validate_and_score_sarif() {
    let tool = sarif_multitool();
    assert!(tool.is_file(), "{} is missing", tool.display());
    let tmp = small_catalog();
    let root = tmp.path();
    let out = score_small(
        root,
        &[
            "--format",
            "sarif",
            "--group-by",
            "owner",
            "--output",
            "score.sarif",
        ],
    );
    assert_eq!(code(&out), 0, "{}", common::show(&out));
    // validate: a broken catalog beside the one read, so a path outside the current directory
    // (an absolute file URI) is checked too.
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken");
    let spec = format!("sarif={}", root.join("validate.sarif").display());
    let out = run(
        root,
        &[
            "catalog",
            "validate",
            ".",
            broken.to_str().unwrap(),
            "--report",
            &spec,
        ],
    );
    assert_eq!(code(&out), 1, "{}", common::show(&out));
    for name in ["score.sarif", "validate.sarif"] {
        let log = root.join(format!("{name}.check"));
        let o = Command::new(&tool)
            .current_dir(root)
            .args(["validate", name, "-o"])
            .arg(&log)
            .args([
                "--level",
                "Error;Warning",
                "--rule-kind",
                "Sarif;Gh",
                "--log",
                "ForceOverwrite",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", common::show(&o));
        let report = json(&fs::read_to_string(&log).unwrap());
        let findings: Vec<String> = report["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}: {}", r["level"], r["ruleId"], r["message"]))
            .collect();
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}
