//! `score --base REV`: the pull-request gate. Every test copies examples/acme into a temporary
//! git repository, commits it as the base, changes the working tree (or commits the change) and
//! runs `score --base` there. The four holes of issue 13 each fail the gate; a clean change
//! passes.

mod common;
use common::copy_dir;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-11-26";

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, args, None, Some("2026-11-20T12:00:00Z"));
}

/// examples/acme committed as the base of a fresh repository: (temporary dir, repository).
fn acme() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let repo = tmp.path().join("acme");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        &repo,
    );
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    (tmp, repo)
}

fn score(repo: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_callboard"))
        .current_dir(repo)
        .arg("score")
        .args(["--now", NOW])
        .args(args)
        .output()
        .unwrap()
}

/// `score --base HEAD --format json` (plus `args`): the exit status and the report.
fn gate(repo: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--base", "HEAD", "--format", "json"];
    all.extend_from_slice(args);
    let out = score(repo, &all);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", common::show(&out)));
    (out.status.code().unwrap(), json)
}

fn edit(repo: &Path, file: &str, from: &str, to: &str) {
    let path = repo.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The comparison's entry for (scorecard, entity).
fn delta<'a>(report: &'a Value, card: &str, entity: &str) -> &'a Value {
    report["comparison"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["scorecard"] == card && d["ref"] == entity)
        .unwrap_or_else(|| panic!("no comparison entry for {card} {entity}:\n{report:#}"))
}

fn ids(rules: &Value) -> Vec<&str> {
    rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

fn reasons(report: &Value) -> Vec<&str> {
    report["gate"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

const FRAUD: &str = "component:default/fraud-scorer";
const LEDGER: &str = "component:default/ledger-service";

/// Removes the YAML document naming `name` from a multi-document file.
fn delete_document(repo: &Path, file: &str, name: &str) {
    let path = repo.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let docs: Vec<&str> = text
        .split("\n---\n")
        .filter(|d| !d.contains(&format!("  name: {name}\n")))
        .collect();
    assert!(
        docs.len() < text.split("\n---\n").count(),
        "no {name} in {file}"
    );
    fs::write(&path, docs.join("\n---\n")).unwrap();
}

#[test]
fn an_unchanged_tree_passes() {
    let (_tmp, repo) = acme();
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    let counts = &report["comparison"]["counts"];
    assert_eq!(counts["introduced"], 0);
    assert_eq!(counts["fixed"], 0);
    assert!(counts["existing"].as_u64().unwrap() > 0, "{counts}");
    assert_eq!(report["comparison"]["entities"], Value::Array(vec![]));
    assert_eq!(report["comparison"]["base"], "HEAD");
    assert_eq!(report["version"], 1);
}

#[test]
fn an_improvement_passes_and_names_what_it_fixed() {
    let (_tmp, repo) = acme();
    fs::write(
        repo.join("services/fraud-scorer/README.md"),
        "# Fraud scorer\n",
    )
    .unwrap();
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    let d = delta(&report, "catalog-readiness", FRAUD);
    assert_eq!(ids(&d["fixed"]), ["has-readme"]);
    assert_eq!(ids(&d["introduced"]), Vec::<&str>::new());
}

/// Hole 1: deleting a Group that components are owned by. `--changed-since` lists nothing (the
/// group's file is not the component's), yet the gate sees every entity.
#[test]
fn deleting_an_owning_group_fails() {
    let (_tmp, repo) = acme();
    delete_document(&repo, "org/groups.yaml", "team-risk");
    let (code, report) = gate(&repo, &["--changed-since", "HEAD"]);
    assert_eq!(code, 1, "{report:#}");
    let d = delta(&report, "catalog-readiness", FRAUD);
    assert_eq!(ids(&d["introduced"]), ["owner-resolves", "owner-is-team"]);
    assert_eq!(d["levelLowered"], true);
    assert!(
        reasons(&report).contains(
            &"component:default/fraud-scorer: rule catalog-readiness/owner-resolves is fail, new since HEAD (was pass)"
        ),
        "{report:#}"
    );
    // --changed-since filters the listing only: no component file changed.
    for card in report["scorecards"].as_array().unwrap() {
        assert_eq!(card["entities"], Value::Array(vec![]), "{card:#}");
    }

    // Without --base the explicit gate (production-readiness: minLevel bronze) now covers
    // every entity too, not only the changed ones.
    let out = score(&repo, &["--changed-since", "HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::show(&out));
}

/// Hole 2: tightening a rule in a scorecard file.
#[test]
fn tightening_a_rule_fails() {
    let (_tmp, repo) = acme();
    edit(
        &repo,
        ".callboard/scorecards/production-readiness.yaml",
        "check: { fact: catalog.ownerMembers, op: gte, value: 2 }",
        "check: { fact: catalog.ownerMembers, op: gte, value: 9 }",
    );
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 1, "{report:#}");
    let d = delta(&report, "production-readiness", LEDGER);
    assert_eq!(ids(&d["introduced"]), ["owner-not-one-person"]);
    assert_eq!(d["introduced"][0]["before"], "pass");
    assert_eq!(d["introduced"][0]["after"], "fail");
}

/// Hole 3: deleting `spec.lifecycle` when `appliesTo` keys on it takes the entity out of
/// production-readiness while it stays in the catalog.
#[test]
fn deleting_the_lifecycle_an_applies_to_keys_on_fails() {
    let (_tmp, repo) = acme();
    edit(
        &repo,
        "services/ledger-service/catalog-info.yaml",
        "  type: service\n  lifecycle: production\n",
        "  type: service\n",
    );
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 1, "{report:#}");
    let d = delta(&report, "production-readiness", LEDGER);
    assert_eq!(d["presence"], "leftScope");
    assert!(d.get("scopeExitAllowedBy").is_none(), "{d:#}");
    assert!(
        reasons(&report).iter().any(|r| r.starts_with(
            "component:default/ledger-service: left the scope of production-readiness since HEAD"
        )),
        "{report:#}"
    );
}

/// Hole 4: breaking one rule and fixing another of equal weight keeps the score and the level,
/// so `--baseline --no-regression` passes; the ratchet counts per rule.
#[test]
fn breaking_one_rule_and_fixing_another_of_equal_weight_fails() {
    let (_tmp, repo) = acme();
    let before = score(&repo, &["--format", "json"]);
    fs::write(repo.join("baseline.json"), &before.stdout).unwrap();
    fs::write(
        repo.join("services/fraud-scorer/README.md"),
        "# Fraud scorer\n",
    )
    .unwrap();
    edit(
        &repo,
        "services/fraud-scorer/catalog-info.yaml",
        "  annotations:\n    github.com/project-slug: acme-payments/fraud-scorer\n",
        "",
    );
    let old_gate = score(&repo, &["--baseline", "baseline.json", "--no-regression"]);
    assert_eq!(
        old_gate.status.code(),
        Some(0),
        "{}",
        common::show(&old_gate)
    );

    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 1, "{report:#}");
    let d = delta(&report, "catalog-readiness", FRAUD);
    assert_eq!(ids(&d["introduced"]), ["has-source-location"]);
    assert_eq!(ids(&d["fixed"]), ["has-readme"]);
    assert_eq!(d["levelLowered"], false);
    assert_eq!(d["scoreBefore"], d["scoreAfter"]);
}

#[test]
fn a_rule_only_at_head_or_not_yet_enforced_is_not_introduced() {
    let (_tmp, repo) = acme();
    // A new bronze rule every component fails, and an existing rule made stricter from a date
    // after --now.
    edit(
        &repo,
        ".callboard/scorecards/catalog-readiness.yaml",
        "  rules:\n",
        "  rules:\n    - id: has-pagerduty\n      level: bronze\n      check: { fact: 'entity.metadata.annotations[\"pagerduty.com/service-id\"]', op: notEmpty }\n",
    );
    edit(
        &repo,
        ".callboard/scorecards/production-readiness.yaml",
        "      check: { fact: catalog.ownerMembers, op: gte, value: 2 }",
        "      enforceFrom: 2027-06-01\n      check: { fact: catalog.ownerMembers, op: gte, value: 9 }",
    );
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    let counts = &report["comparison"]["counts"];
    assert_eq!(counts["introduced"], 0, "{report:#}");
    assert_eq!(counts["levelsLowered"], 0, "{report:#}");
    // The new rule fails at head all the same: the report shows it.
    let card = report["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "catalog-readiness")
        .unwrap();
    let rule = card["entities"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "has-pagerduty")
        .unwrap();
    assert_eq!(rule["status"], "fail");
}

#[test]
fn an_entity_removed_from_the_catalog_is_reported_not_failed() {
    let (_tmp, repo) = acme();
    fs::remove_file(repo.join("services/webhook-dispatcher/catalog-info.yaml")).unwrap();
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    let d = delta(
        &report,
        "catalog-readiness",
        "component:default/webhook-dispatcher",
    );
    assert_eq!(d["presence"], "removed");
    assert_eq!(report["comparison"]["counts"]["removed"], 1);
}

/// ledger-service moves from production to experimental: out of production-readiness, still in
/// the catalog. Failing by default; accepted by a `leaves-scope` waiver or the flag, and named
/// in the report either way.
#[test]
fn a_deliberate_scope_exit_passes_with_a_waiver_or_the_flag() {
    let (_tmp, repo) = acme();
    edit(
        &repo,
        "services/ledger-service/catalog-info.yaml",
        "  lifecycle: production\n  owner: group:default/team-ledger\n  system: ledger\n  providesApis:",
        "  lifecycle: experimental\n  owner: group:default/team-ledger\n  system: ledger\n  providesApis:",
    );
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 1, "{report:#}");

    let (code, report) = gate(&repo, &["--allow-scope-exit"]);
    assert_eq!(code, 0, "{report:#}");
    let d = delta(&report, "production-readiness", LEDGER);
    assert_eq!(d["presence"], "leftScope");
    assert_eq!(d["scopeExitAllowedBy"], "--allow-scope-exit");

    let waivers = repo.join(".callboard/waivers.yaml");
    let mut text = fs::read_to_string(&waivers).unwrap();
    text.push_str(
        "  - entity: component:default/ledger-service\n    rules: [production-readiness/*]\n    reason: leaves-scope\n    expires: 2027-03-31\n    note: Back to experimental while the ledger is rewritten.\n",
    );
    fs::write(&waivers, text).unwrap();
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    let d = delta(&report, "production-readiness", LEDGER);
    assert_eq!(d["scopeExitAllowedBy"], "leaves-scope until 2027-03-31");

    let table = score(&repo, &["--base", "HEAD"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("component:default/ledger-service (production-readiness): left the scope (accepted: leaves-scope until 2027-03-31)"),
        "{text}"
    );
}

/// A `leaves-scope` waiver accepts a scope exit only: it never waives a failing rule.
#[test]
fn a_leaves_scope_waiver_does_not_waive_rules() {
    let (_tmp, repo) = acme();
    let waivers = repo.join(".callboard/waivers.yaml");
    let mut text = fs::read_to_string(&waivers).unwrap();
    text.push_str(
        "  - entity: component:default/fraud-scorer\n    rules: [has-techdocs, catalog-readiness/*]\n    reason: leaves-scope\n    expires: 2027-03-31\n",
    );
    fs::write(&waivers, text).unwrap();
    let out = score(&repo, &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let card = &report["scorecards"][0];
    assert_eq!(card["id"], "catalog-readiness");
    let fraud = card["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ref"] == FRAUD)
        .unwrap();
    let techdocs = fraud["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "has-techdocs")
        .unwrap();
    assert_eq!(techdocs["status"], "fail");
}

#[test]
fn a_commit_sha_works_as_the_base_and_the_committed_change_is_compared() {
    let (_tmp, repo) = acme();
    let sha = String::from_utf8(
        std::process::Command::new("git")
            .current_dir(&repo)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    delete_document(&repo, "org/groups.yaml", "team-risk");
    git(&repo, &["commit", "-q", "-am", "drop team-risk"]);
    let out = score(&repo, &["--base", &sha, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["comparison"]["commit"], sha.as_str());
    assert!(
        report["comparison"]["counts"]["introduced"]
            .as_u64()
            .unwrap()
            >= 2
    );
}

#[test]
fn a_bad_revision_is_a_usage_error_with_json_on_stdout() {
    let (_tmp, repo) = acme();
    let out = score(&repo, &["--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--base") && stderr.contains("no-such-branch"),
        "{stderr}"
    );

    let out = score(&repo, &["--base", "no-such-branch", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::show(&out));
    let error: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert!(error.to_string().contains("no-such-branch"), "{error}");
}

#[test]
fn outside_a_repository_base_is_a_usage_error() {
    let tmp = TempDir::new().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        tmp.path(),
    );
    let out = score(tmp.path(), &["--base", "HEAD"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base"));
}

/// Markdown puts the change first; SARIF and JUnit fail only on what the change introduced.
#[test]
fn every_format_shows_the_change_and_fails_only_on_it() {
    let (_tmp, repo) = acme();
    delete_document(&repo, "org/groups.yaml", "team-risk");

    let out = score(&repo, &["--base", "HEAD", "--format", "markdown"]);
    let md = String::from_utf8_lossy(&out.stdout);
    let section = md.find("### What this pull request changes").expect(&md);
    let first_card = md.find("### Catalog readiness").expect(&md);
    assert!(section < first_card, "{md}");
    assert!(
        md.contains("| ❌ | `component:default/fraud-scorer` | `catalog-readiness` | silver → none (lowered) | `owner-resolves` `owner-is-team` |  |"),
        "{md}"
    );

    let out = score(&repo, &["--base", "HEAD", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let errors: Vec<&str> = results
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(errors.iter().all(|id| id.contains("owner")), "{errors:?}");
    assert!(
        results
            .iter()
            .any(|r| r["baselineState"] == "unchanged" && r["level"] == "note")
    );
    assert!(
        results
            .iter()
            .all(|r| r["baselineState"] != "new" || r["level"] == "error")
    );

    let out = score(&repo, &["--base", "HEAD", "--format", "junit"]);
    let xml = String::from_utf8_lossy(&out.stdout);
    // Webhook-dispatcher's has-techdocs fails at the base too: skipped, not failed.
    assert!(
        xml.contains("<skipped message=\"fails at HEAD too: "),
        "{xml}"
    );
    assert!(xml.contains("<testsuite name=\"against HEAD\""), "{xml}");
    assert!(xml.contains("name=\"level\""), "{xml}");
}

/// The base revision's files are read as repository content: a waivers file that is a link out
/// of the repository is not followed (the canary outside stays unread), and the run says so.
#[test]
fn a_base_waivers_link_out_of_the_repository_is_not_read() {
    let (tmp, repo) = acme();
    let canary = tmp.path().join("canary.yaml");
    let secret = "apiVersion: callboard.dev/v1\nkind: Waivers\nwaivers: [] # CANARY-7731\n";
    fs::write(&canary, secret).unwrap();
    let waivers = repo.join(".callboard/waivers.yaml");
    let original = fs::read_to_string(&waivers).unwrap();
    fs::remove_file(&waivers).unwrap();
    std::os::unix::fs::symlink(&canary, &waivers).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "waivers as a link"]);
    fs::remove_file(&waivers).unwrap();
    fs::write(&waivers, original).unwrap();

    let (code, report) = gate(&repo, &[]);
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("the waivers of HEAD cannot be read"),
        "{notes}"
    );
    assert!(!report.to_string().contains("CANARY-7731"));
    assert_eq!(fs::read_to_string(&canary).unwrap(), secret);
    // fraud-scorer's waived has-readme was not waived at the base: nothing new fails.
    assert_eq!(code, 0, "{report:#}");
}

/// A fact the base could not know (its README was a link out of the repository, which is never
/// read) does not make today's failure of that rule new. The link's target stays unread.
#[test]
fn a_fact_unknown_at_the_base_is_not_introduced() {
    let (tmp, repo) = acme();
    let card = ".callboard/scorecards/catalog-readiness.yaml";
    edit(
        &repo,
        card,
        "  rules:\n",
        "  rules:\n    - id: readme-names-runbook\n      onUnknown: pass\n      check: { fact: repo.fileContent, path: README.md, op: matches, value: runbook }\n",
    );
    let canary = tmp.path().join("outside-readme.md");
    fs::write(&canary, "runbook CANARY-5150\n").unwrap();
    let readme = repo.join("services/ledger-service/README.md");
    fs::remove_file(&readme).unwrap();
    std::os::unix::fs::symlink(&canary, &readme).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "README as a link"]);
    fs::remove_file(&readme).unwrap();
    fs::write(&readme, "# Ledger\n").unwrap();

    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        report["comparison"]["counts"]["introduced"], 0,
        "{report:#}"
    );
    let rule = report["scorecards"][0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ref"] == LEDGER)
        .unwrap()["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "readme-names-runbook")
        .unwrap()
        .clone();
    assert_eq!(rule["status"], "fail", "{rule:#}");
    assert!(!report.to_string().contains("CANARY-5150"));
    assert_eq!(
        fs::read_to_string(&canary).unwrap(),
        "runbook CANARY-5150\n"
    );

    // The same change where the base knew the fact (a real README that names the runbook) is new.
    let (_tmp2, repo2) = acme();
    edit(
        &repo2,
        card,
        "  rules:\n",
        "  rules:\n    - id: readme-names-runbook\n      onUnknown: pass\n      check: { fact: repo.fileContent, path: README.md, op: matches, value: runbook }\n",
    );
    fs::write(repo2.join("services/ledger-service/README.md"), "runbook\n").unwrap();
    git(&repo2, &["commit", "-q", "-am", "README names the runbook"]);
    fs::write(
        repo2.join("services/ledger-service/README.md"),
        "# Ledger\n",
    )
    .unwrap();
    let (code, report) = gate(&repo2, &[]);
    assert_eq!(code, 1, "{report:#}");
    let d = delta(&report, "catalog-readiness", LEDGER);
    assert_eq!(ids(&d["introduced"]), ["readme-names-runbook"]);
}

/// A component the change adds is held to the rules it is scored by: its failures are new.
#[test]
fn a_new_component_that_fails_rules_fails_the_gate() {
    let (_tmp, repo) = acme();
    fs::create_dir_all(repo.join("services/payout")).unwrap();
    fs::write(
        repo.join("services/payout/catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payout\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-ledger\n",
    )
    .unwrap();
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 1, "{report:#}");
    let d = delta(&report, "catalog-readiness", "component:default/payout");
    assert_eq!(d["presence"], "added");
    assert_eq!(d["levelBefore"], Value::Null);
    assert!(ids(&d["introduced"]).contains(&"has-description"), "{d:#}");
    assert_eq!(d["introduced"][0]["before"], Value::Null);
}

/// Scorecard files are repository content, at the base and in the working tree: a link out of
/// the repository is not read (the canary outside stays unread and unshown).
#[test]
fn a_scorecard_link_out_of_the_repository_is_not_read() {
    let (tmp, repo) = acme();
    let canary = tmp.path().join("canary-card.yaml");
    let secret = fs::read_to_string(repo.join(".callboard/scorecards/catalog-readiness.yaml"))
        .unwrap()
        .replace("name: catalog-readiness", "name: canary-4417")
        .replace("title: Catalog readiness", "title: CANARY-4417");
    fs::write(&canary, &secret).unwrap();
    let link = repo.join(".callboard/scorecards/outside.yaml");
    std::os::unix::fs::symlink(&canary, &link).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "a scorecard link"]);

    // In the working tree: refused, naming the file.
    let out = score(&repo, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", common::show(&out));
    let shown = common::show(&out);
    assert!(shown.contains("outside.yaml"), "{shown}");
    assert!(!shown.contains("CANARY-4417"), "{shown}");

    // At the base only: that base's scorecards are not compared, the run says so.
    fs::remove_file(&link).unwrap();
    let (code, report) = gate(&repo, &[]);
    assert_eq!(code, 0, "{report:#}");
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("the scorecards of HEAD cannot be read"),
        "{notes}"
    );
    assert!(!report.to_string().contains("CANARY-4417"));
    assert_eq!(fs::read_to_string(&canary).unwrap(), secret);
}
