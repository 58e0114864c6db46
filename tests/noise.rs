//! `catalog validate` in per-repository CI: references to a central catalog
//! (`--known-entities`, `externalEntities:`), one problem shown once with all its places, and
//! suppressions where the problem is.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const SERVICE_REPO: &str = "tests/fixtures/service-repo";
const CENTRAL: &str = "tests/fixtures/service-repo-central.json";

fn validate(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["catalog", "validate"])
        .args(args)
        .output()
        .unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn findings(v: &Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The "done when" of the issue: with the portal's export and one pattern, a service
/// repository's report holds only its real problems.
#[test]
fn a_service_repository_reports_only_real_problems_with_the_central_catalog() {
    let config = format!("{SERVICE_REPO}/.callboard.yaml");
    let alone = json(&validate(
        repo(),
        &[SERVICE_REPO, "--config", &config, "-f", "json"],
    ));
    let unresolved = findings(&alone)
        .iter()
        .filter(|(code, _)| code == "unresolved-ref")
        .count();
    assert_eq!(unresolved, 11, "without the export: {alone:#}");

    let out = validate(
        repo(),
        &[
            SERVICE_REPO,
            "--config",
            &config,
            "--known-entities",
            CENTRAL,
            "-f",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "the invalid tag is an error");
    let v = json(&out);
    assert_eq!(
        findings(&v),
        [
            (
                "invalid-tag".to_string(),
                "tag \"Java_Service\" is not valid: lowercase words of [a-z0-9:+#] joined by single -, at most 63 characters".to_string()
            ),
            (
                "unresolved-ref".to_string(),
                "spec.dependsOn refers to component:default/payments-ledgr, which is not in the catalog".to_string()
            ),
        ],
        "only the real problems (the pattern covers system:platform-observability): {v:#}"
    );
}

#[test]
fn a_bad_export_is_a_usage_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("known.ndjson"),
        "{\"kind\":\"Group\",\"metadata\":{\"name\":\"a\"}}\n{\"spec\":{}}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("catalog-info.yaml"), "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\nspec:\n  type: team\n  children: []\n").unwrap();
    let out = validate(dir.path(), &["--known-entities", "known.ndjson"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--known-entities known.ndjson:line 2: neither a `ref`"),
        "{stderr}"
    );
    let out = validate(
        dir.path(),
        &["--known-entities", "known.ndjson", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        json(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("known.ndjson")
    );
    let out = validate(dir.path(), &["--known-entities", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json does not exist"));
}

#[test]
fn an_external_pattern_without_a_kind_is_a_located_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".callboard.yaml"),
        "version: 1\nexternalEntities:\n  - platform-*\n",
    )
    .unwrap();
    let out = validate(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".callboard.yaml:3:5"), "{stderr}");
    assert!(stderr.contains("names no kind"), "{stderr}");
}

#[test]
fn one_problem_at_many_places_is_shown_once_with_every_place() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("svc-{i:02}.yaml")),
            format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-{i:02}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/nobody\n  system: payments\n"),
        )
        .unwrap();
    }
    let out = validate(dir.path(), &["--known-entities", "/dev/null"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("warning[unresolved-ref]: spec.system refers to system:default/payments")
            .count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("the same problem at 39 more places: svc-01.yaml:9:11, svc-02.yaml:9:11,"),
        "{text}"
    );
    assert!(text.contains("svc-20.yaml:9:11, and 19 more"), "{text}");
    assert!(
        text.ends_with("40 files, 40 entities: 0 errors, 80 warnings, 0 notes\n"),
        "{text}"
    );
    // Machine formats keep one finding per place.
    let v = json(&validate(dir.path(), &["-f", "json"]));
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 80);
    let github = validate(dir.path(), &["-f", "github"]);
    assert_eq!(String::from_utf8_lossy(&github.stdout).lines().count(), 80);
}

const SUPPRESSED: &str = "\
# callboard-ignore: unresolved-ref -- the owner lives in the central catalog
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
  tags: [Bad_Tag] # callboard-ignore: invalid-tag -- kept for the old dashboards
spec:
  type: service
  lifecycle: production
  owner: team-a
";

#[test]
fn suppressed_findings_do_not_count_but_stay_visible_to_machines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("catalog-info.yaml"), SUPPRESSED).unwrap();
    let out = validate(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "the only error is suppressed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "1 file, 1 entity: 0 errors, 0 warnings, 0 notes, 2 suppressed (see --format json)\n"
    );
    let v = json(&validate(dir.path(), &["-f", "json"]));
    assert_eq!(v["summary"]["suppressed"], 2);
    assert_eq!(v["diagnostics"][0]["suppressed"]["kind"], "inline");
    assert_eq!(
        v["diagnostics"][0]["suppressed"]["reason"],
        "kept for the old dashboards"
    );
    assert_eq!(
        v["diagnostics"][1]["suppressed"]["source"],
        "catalog-info.yaml:1"
    );
    let github = validate(dir.path(), &["-f", "github"]);
    assert!(
        github.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&github.stdout)
    );
    // SARIF keeps them, each with an in-source suppression and its reason.
    let sarif = json(&validate(dir.path(), &["-f", "sarif"]));
    let suppressions: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = &r["suppressions"][0];
            (
                s["kind"].as_str().unwrap().to_string(),
                s["justification"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        suppressions,
        [
            (
                "inSource".to_string(),
                "kept for the old dashboards (catalog-info.yaml:6)".to_string()
            ),
            (
                "inSource".to_string(),
                "the owner lives in the central catalog (catalog-info.yaml:1)".to_string()
            ),
        ]
    );
    // Under Backstage's profile unresolved-ref is not reported: its suppression is not unused.
    let v = json(&validate(
        dir.path(),
        &["--profile", "backstage", "-f", "json"],
    ));
    let codes: Vec<(String, String)> = findings(&v);
    assert_eq!(codes.len(), 1, "{v:#}");
    assert_eq!(codes[0].0, "invalid-tag");
    // Once the tag is fixed, its comment is reported as unused.
    std::fs::write(
        dir.path().join("catalog-info.yaml"),
        SUPPRESSED.replace("[Bad_Tag]", "[good-tag]"),
    )
    .unwrap();
    let v = json(&validate(dir.path(), &["-f", "json"]));
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d.get("suppressed").is_none())
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unused-suppression"], "{v:#}");
}

/// Hidden folders are walked (kept by content), `.git` never; a `catalog-info.yml` of another
/// tool is not a catalog file, but a typo in Backstage's group is still reported.
#[test]
fn hidden_folders_and_foreign_catalog_info_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let entity = |name: &str| {
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {name}\nspec:\n  type: team\n  children: []\n"
        )
    };
    write(".backstage/catalog-info.yaml", &entity("hidden"));
    write(".security/teams.yaml", &entity("security"));
    write(".git/catalog-info.yaml", &entity("in-git-dir"));
    write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
    write(
        "gitlab/catalog-info.yml",
        "spec:\n  inputs:\n    stage:\n      default: test\n",
    );
    write(
        "other/catalog-info.yaml",
        "apiVersion: example.com/v1\nkind: Widget\n",
    );
    write(
        "typo/catalog-info.yaml",
        "apiVersion: backstag.io/v1alpha1\nkind: Group\nmetadata:\n  name: typo\n",
    );
    let v = json(&validate(dir.path(), &["-f", "json"]));
    assert_eq!(v["files"], 3, "{v:#}");
    assert_eq!(v["entities"], 3, "{v:#}");
    let places: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        places,
        [("typo/catalog-info.yaml", "unknown-kind")],
        "{v:#}"
    );
    // `.callboardignore` opts a hidden folder out.
    write(".callboardignore", ".security/\n");
    let v = json(&validate(dir.path(), &["-f", "json"]));
    assert_eq!(v["entities"], 2, "{v:#}");
}

#[test]
fn a_skeleton_no_template_reaches_is_a_note_never_an_invalid_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("skeleton")).unwrap();
    std::fs::write(
        dir.path().join("skeleton/catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {{ values.app_name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${{ values.owner }}\n",
    )
    .unwrap();
    let out = validate(dir.path(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["template-source"], "{v:#}");
    assert_eq!(v["diagnostics"][0]["line"], 4);
    // Named on the command line, it is checked as asked.
    let out = validate(dir.path(), &["skeleton/catalog-info.yaml", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
}
