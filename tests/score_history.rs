//! `score --history MONTHS`: the scorecards at each month end, from git objects, on a small
//! repository built here month by month, with every figure worked out by hand: incremental
//! evaluation (only entities whose inputs changed), scorecards and waivers as of each month
//! end, repository files read from objects and confined to the repository, the roll-up, every
//! format, the JSON Schema, and the refusals (exit 2).

mod common;
use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-03-31";

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn commit(dir: &Path, date: &str) {
    common::git(dir, &["add", "-A"], None, None);
    common::git(dir, &["commit", "-q", "-m", date], None, Some(date));
}

fn component(name: &str, owner: &str, description: Option<&str>) -> String {
    let description = description.map_or(String::new(), |d| format!("  description: {d}\n"));
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n{description}spec:\n  type: service\n  lifecycle: production\n  owner: {owner}\n"
    )
}

const GROUPS: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: web\nspec:\n  type: team\n  children: []\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: data\nspec:\n  type: team\n  children: []\n";

/// Two rules at first (a description, a README beside the catalog file); a third from March.
fn scorecard(third_rule: bool) -> String {
    let mut s = String::from(
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: basics\n  title: Basics\nspec:\n  appliesTo: { kind: [Component] }\n  levels: [bronze]\n  rules:\n    - id: described\n      level: bronze\n      check: { fact: entity.metadata.description, op: notEmpty }\n    - id: readme\n      check: { fact: repo.file, path: README.md, op: exists }\n    - id: no-escape\n      check: { fact: repo.fileContent, path: notes.txt, op: contains, value: secret }\n",
    );
    if third_rule {
        s.push_str("    - id: lifecycle\n      check: { fact: entity.spec.lifecycle, op: equals, value: production }\n");
    }
    s
}

/// January: a, b (web) and c (data), none described, no README; beside a, a link to a canary
/// outside the repository. February: a described, a
/// README beside b; c untouched. March: the scorecard gains a rule (everything evaluated
/// again). A waiver on c's description expires on 2026-02-15. Outside the repository, a
/// canary the scorecard tries to read.
fn repository() -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::new().unwrap();
    write(tmp.path(), "canary.txt", "secret");
    let repo = tmp.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    common::git(&repo, &["init", "-q", "-b", "main"], None, None);
    write(&repo, "org/groups.yaml", GROUPS);
    write(
        &repo,
        "services/a/catalog-info.yaml",
        &component("a", "web", None),
    );
    write(
        &repo,
        "services/b/catalog-info.yaml",
        &component("b", "web", None),
    );
    write(
        &repo,
        "services/c/catalog-info.yaml",
        &component("c", "data", None),
    );
    // A link out of the repository, committed: history does not follow it.
    #[cfg(unix)]
    std::os::unix::fs::symlink("../../../canary.txt", repo.join("services/a/notes.txt")).unwrap();
    write(
        &repo,
        ".callboard/scorecards/basics.yaml",
        &scorecard(false),
    );
    write(
        &repo,
        ".callboard/waivers.yaml",
        "apiVersion: callboard.dev/v1\nkind: Waivers\nwaivers:\n  - entity: component:default/c\n    rules: [described]\n    reason: migration-in-progress\n    expires: 2026-02-15\n",
    );
    commit(&repo, "2026-01-10T12:00:00Z");
    write(
        &repo,
        "services/a/catalog-info.yaml",
        &component("a", "web", Some("Payments")),
    );
    write(&repo, "services/b/README.md", "# b\n");
    commit(&repo, "2026-02-10T12:00:00Z");
    write(&repo, ".callboard/scorecards/basics.yaml", &scorecard(true));
    commit(&repo, "2026-03-10T12:00:00Z");
    (tmp, repo)
}

fn score(repo: &Path, args: &[&str]) -> Output {
    score_at(repo, NOW, args)
}

fn score_at(repo: &Path, now: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_callboard"))
        .current_dir(repo)
        .arg("score")
        .args(["--now", now])
        .args(args)
        .output()
        .unwrap()
}

fn history(repo: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--history", "3m", "--format", "json"];
    all.extend_from_slice(args);
    let out = score(repo, &all);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", common::show(&out)));
    v["history"].clone()
}

fn share(month: &Value, rule: &str) -> (u64, u64) {
    let r = &month["rules"][rule];
    (
        r["passing"].as_u64().unwrap(),
        r["applicable"].as_u64().unwrap(),
    )
}

#[test]
fn each_month_end_is_scored_from_its_own_commit_and_only_changed_entities_again() {
    let (_tmp, repo) = repository();
    // Uncommitted work is not history.
    write(&repo, "services/c/README.md", "# c\n");
    let h = history(&repo, &[]);
    assert_eq!(
        h["periods"],
        serde_json::json!(["2026-01", "2026-02", "2026-03"])
    );
    assert_eq!(h["groupBy"], "owner");
    let months = h["scorecards"][0]["months"].as_array().unwrap();
    assert_eq!(h["scorecards"][0]["id"], "basics");
    let (jan, feb, mar) = (&months[0], &months[1], &months[2]);
    assert_eq!(jan["date"], "2026-01-31");
    assert_eq!(mar["date"], NOW);
    for m in months {
        assert_eq!(m["entities"], 3);
    }
    // January: nothing described (c waived), no README.
    assert_eq!(jan["evaluated"], 3);
    assert_eq!(share(jan, "described"), (1, 3));
    assert_eq!(share(jan, "readme"), (0, 3));
    // February: a's document and b's directory changed; c's waiver expired on 02-15, which
    // changes results with no input changing, so every entity is evaluated again.
    assert_eq!(feb["evaluated"], 3);
    assert_eq!(share(feb, "described"), (1, 3));
    assert_eq!(share(feb, "readme"), (1, 3));
    // March: the scorecard changed.
    assert_eq!(mar["evaluated"], 3);
    assert_eq!(share(mar, "lifecycle"), (3, 3));
    assert!(feb["rules"]["lifecycle"].is_null());
    assert_eq!(h["scorecards"][0]["rules"][3], "lifecycle");
    // The canary outside the repository is never read: a's link is refused (the rule fails,
    // as it does in the working tree); b and c have no such file.
    for m in months {
        assert_eq!(share(m, "no-escape"), (0, 3));
    }
    // The roll-up: mean score per team.
    assert_eq!(jan["groups"]["group:default/web"]["entities"], 2);
    assert_eq!(jan["groups"]["group:default/data"]["entities"], 1);
    assert_eq!(jan["levels"]["bronze"], 1);
    assert_eq!(mar["levels"]["bronze"], 1);
}

#[test]
fn an_unchanged_entity_keeps_its_result() {
    let (_tmp, repo) = repository();
    // April: only b's README changes.
    write(&repo, "services/b/README.md", "# b, longer\n");
    commit(&repo, "2026-04-10T12:00:00Z");
    let out = score_at(
        &repo,
        "2026-04-30",
        &["--history", "2m", "--format", "json"],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let months = v["history"]["scorecards"][0]["months"].as_array().unwrap();
    assert_eq!(months[0]["period"], "2026-03");
    assert_eq!(months[0]["evaluated"], 3);
    assert_eq!(months[1]["evaluated"], 1, "{:#}", months[1]);
    assert_eq!(months[1]["rules"], months[0]["rules"]);
}

#[test]
fn a_rule_enforced_between_two_month_ends_evaluates_every_entity_again() {
    let (tmp, repo) = repository();
    write(&repo, "services/b/README.md", "# b, longer\n");
    commit(&repo, "2026-04-10T12:00:00Z");
    for (enforce_from, evaluated) in [("2026-04-15", 3), ("2026-06-01", 1)] {
        let text = scorecard(true).replace(
            "    - id: described\n",
            &format!("    - id: described\n      enforceFrom: {enforce_from}\n"),
        );
        write(tmp.path(), "operator.yaml", &text);
        let card = tmp.path().join("operator.yaml");
        let out = score_at(
            &repo,
            "2026-04-30",
            &[
                "--history",
                "2m",
                "--format",
                "json",
                "--scorecard",
                card.to_str().unwrap(),
            ],
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let months = &v["history"]["scorecards"][0]["months"];
        assert_eq!(
            months[1]["evaluated"], evaluated,
            "enforceFrom {enforce_from}"
        );
    }
}

#[test]
fn group_by_system_and_an_operator_scorecard_outside_the_repository() {
    let (tmp, repo) = repository();
    write(
        tmp.path(),
        "mine.yaml",
        &scorecard(false).replace("name: basics", "name: mine"),
    );
    let card = tmp.path().join("mine.yaml");
    let h = history(
        &repo,
        &[
            "--group-by",
            "system",
            "--scorecard",
            card.to_str().unwrap(),
        ],
    );
    assert_eq!(h["groupBy"], "system");
    assert_eq!(h["scorecards"][0]["id"], "mine");
    assert_eq!(
        h["scorecards"][0]["months"][0]["groups"]["(no system)"]["entities"],
        3
    );
    // --entity: only those entities, in history too.
    let h = history(&repo, &["--entity", "component:default/a"]);
    assert_eq!(h["scorecards"][0]["months"][0]["entities"], 1);
    // --no-waivers: c is not waived in January.
    let h = history(&repo, &["--no-waivers"]);
    assert_eq!(share(&h["scorecards"][0]["months"][0], "described"), (0, 3));
}

#[test]
fn every_format_shows_the_trend() {
    let (_tmp, repo) = repository();
    let text = String::from_utf8(score(&repo, &["--history", "3m"]).stdout).unwrap();
    assert!(text.contains("History: 3 month ends, by owner"), "{text}");
    assert!(text.contains("readme: 0 % → 33 % (+33.3 points)"), "{text}");
    let md = String::from_utf8(score(&repo, &["--history", "3m", "--format", "markdown"]).stdout)
        .unwrap();
    assert!(md.contains("## History"), "{md}");
    assert!(md.contains("| readme | 0 % | 33 % | +33.3 |"), "{md}");
    let out = score(&repo, &["--history", "3m", "--format", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::show(&out));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.matches("<svg").count() >= 3);
    assert!(!html.contains("http://") || !html.contains("src=\"http"));
    assert!(!html.contains("https://"));
}

#[test]
fn the_json_report_with_history_follows_its_schema() {
    let (_tmp, repo) = repository();
    let out = score(
        &repo,
        &["--history", "3m", "--format", "json", "--group-by", "owner"],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/score-report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn refusals_are_usage_errors() {
    let (tmp, repo) = repository();
    for (args, message) in [
        (
            vec!["--history", "12"],
            "--history must be a number of months",
        ),
        (
            vec!["--history", "37m"],
            "--history must be a number of months",
        ),
        (
            vec!["--format", "html"],
            "--format html draws the trend of --history",
        ),
    ] {
        let out = score(&repo, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{}",
            common::show(&out)
        );
    }
    // Not a repository: nothing to walk.
    let plain = tmp.path().join("plain");
    write(&plain, "catalog-info.yaml", &component("x", "web", None));
    let out = score(&plain, &["--history", "3m", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).expect("a failure is JSON too");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not inside a git repository"),
        "{v}"
    );
}

/// The campaigns of an operator's scorecard (the same every month): `docs` (described, every
/// component) and `web-readme` (readme, web's components a and b).
fn campaign_scorecard() -> String {
    scorecard(false).replace(
        "  rules:\n",
        "  campaigns:\n    - {id: docs, title: Describe everything, rules: [described], owner: web, deadline: 2026-06-30}\n    - {id: web-readme, rules: [readme], appliesTo: {owner: web}, owner: web, deadline: 2026-05-31}\n  rules:\n",
    )
}

/// Burn-up per campaign, from the history evaluation, worked by hand. The repository of
/// [`repository`] plus April: a README beside a, b described.
/// - docs (described; a, b, c): January c is waived (1/3); February a is described and c's
///   waiver has expired (1/3); March the same (1/3); April b too (2/3).
/// - web-readme (readme; a, b): January none (0/2); February b (1/2); March 1/2; April a too
///   (2/2).
#[test]
fn campaigns_burn_up_month_by_month() {
    let (tmp, repo) = repository();
    write(&repo, "services/a/README.md", "# a\n");
    write(
        &repo,
        "services/b/catalog-info.yaml",
        &component("b", "web", Some("Billing")),
    );
    commit(&repo, "2026-04-10T12:00:00Z");
    write(tmp.path(), "campaigns.yaml", &campaign_scorecard());
    let card = tmp.path().join("campaigns.yaml");
    let card = card.to_str().unwrap();
    let run = |format: &str| {
        score_at(
            &repo,
            "2026-04-30",
            &["--history", "4m", "--format", format, "--scorecard", card],
        )
    };
    let out = run("json");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let h = &v["history"]["scorecards"][0];
    assert_eq!(
        h["campaigns"],
        serde_json::json!([
            {"id": "docs", "title": "Describe everything", "deadline": "2026-06-30"},
            {"id": "web-readme", "title": "web-readme", "deadline": "2026-05-31"},
        ])
    );
    let burn_up = |id: &str| -> Vec<(u64, u64)> {
        h["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let c = &m["campaigns"][id];
                (c["done"].as_u64().unwrap(), c["targets"].as_u64().unwrap())
            })
            .collect()
    };
    assert_eq!(burn_up("docs"), [(1, 3), (1, 3), (1, 3), (2, 3)], "{h:#}");
    assert_eq!(
        burn_up("web-readme"),
        [(0, 2), (1, 2), (1, 2), (2, 2)],
        "{h:#}"
    );
    // The latest month agrees with the report of the working tree.
    let now = &v["scorecards"][0]["campaigns"];
    assert_eq!(
        (&now[0]["done"], &now[0]["targets"]),
        (&2.into(), &3.into())
    );
    common::assert_follows_score_report_schema(&v);

    let text = String::from_utf8(run("text").stdout).unwrap();
    assert!(
        text.contains(
            "  campaign burn-up, done/targets per month:\n    docs (due 2026-06-30): 2026-01 1/3, 2026-02 1/3, 2026-03 1/3, 2026-04 2/3\n    web-readme (due 2026-05-31): 2026-01 0/2, 2026-02 1/2, 2026-03 1/2, 2026-04 2/2\n"
        ),
        "{text}"
    );
    let md = String::from_utf8(run("markdown").stdout).unwrap();
    assert!(
        md.contains("| campaign (done/targets) | deadline | 2026-01 | 2026-02 | 2026-03 | 2026-04 |\n|---|---|---:|---:|---:|---:|\n| Describe everything (`docs`) | 2026-06-30 | 1/3 | 1/3 | 1/3 | 2/3 |\n"),
        "{md}"
    );
    let html = String::from_utf8(run("html").stdout).unwrap();
    assert!(
        html.contains("Campaign burn-up: Describe everything (docs), due 2026-06-30"),
        "{html}"
    );
    assert_eq!(html.matches("aria-label=\"Campaign burn-up:").count(), 2);

    // A campaign the scorecard gained later has no figure before: `–`, and no key.
    write(
        &repo,
        ".callboard/scorecards/basics.yaml",
        &campaign_scorecard(),
    );
    commit(&repo, "2026-04-20T12:00:00Z");
    let out = score_at(
        &repo,
        "2026-04-30",
        &["--history", "2m", "--format", "text"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("    docs (due 2026-06-30): 2026-03 –, 2026-04 2/3\n"),
        "{text}"
    );
}
