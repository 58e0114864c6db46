//! Absolute URLs in catalog files: into the repository being checked they are read from the
//! working tree like relative paths; anywhere else their value is unknown, and nothing is
//! concluded from the URL standing in for it.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// (code, file, JSON pointer) of every finding.
fn findings(dir: &Path) -> (Value, Vec<(String, String, String)>) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .args(["catalog", "validate", "-f", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (v, list)
}

const LOCATION: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: root
spec:
  type: url
  targets:
    - https://github.com/acme/catalog/blob/main/services/a.yaml
    - https://github.com/acme/catalog/blob/main/services/missing.yaml
    - https://github.com/other/repo/blob/main/catalog-info.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform
spec:
  type: team
  children: []
";

const COMPONENT: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
spec:
  type: service
  lifecycle: production
  owner: platform
  dependsOn:
    $json: https://github.com/acme/catalog/blob/main/services/deps.json
  providesApis:
    $json: https://github.com/acme/catalog/blob/feature-x/services/apis.json
";

fn repository(remote: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "catalog-info.yaml", LOCATION);
    write(dir, "services/a.yaml", COMPONENT);
    write(dir, "services/deps.json", "{\"not\": \"a list\"}\n");
    git(dir, &["init", "-q", "-b", "main"]);
    if let Some(remote) = remote {
        git(dir, &["remote", "add", "origin", remote]);
    }
    tmp
}

#[test]
fn urls_into_this_repository_are_its_working_tree() {
    let tmp = repository(Some("git@github.com:acme/catalog.git"));
    let (v, found) = findings(tmp.path());
    let expected: Vec<(String, String, String)> = [
        (
            "location-target-missing",
            "catalog-info.yaml",
            "/spec/targets/1",
        ),
        (
            "remote-location-target",
            "catalog-info.yaml",
            "/spec/targets/2",
        ),
        // Read from the working tree: the file's content has the wrong shape.
        ("wrong-type", "services/a.yaml", "/spec/dependsOn"),
        // Another branch than the checked-out one: remote, its value unknown.
        (
            "remote-placeholder",
            "services/a.yaml",
            "/spec/providesApis/$json",
        ),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(found, expected, "{v:#}");
    // services/a.yaml reached by the walk and by the Location's URL is one file.
    assert_eq!(v["files"], 2, "{v:#}");
    assert_eq!(v["entities"], 3, "{v:#}");
}

#[test]
fn a_detached_head_stands_for_any_branch_and_repository_config_wins() {
    let tmp = repository(Some("https://github.com/someone/fork.git"));
    let dir = tmp.path();
    // The origin is a fork: URLs into acme/catalog are remote until `repository:` says so.
    let (_, found) = findings(dir);
    assert!(
        found.iter().all(|(code, ..)| code != "wrong-type"),
        "{found:?}"
    );
    write(
        dir,
        ".callboard.yaml",
        "version: 1\nrepository: https://github.com/acme/catalog\n",
    );
    write(dir, "services/apis.json", "[\"payments-api\"]\n");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "catalog"]);
    git(dir, &["checkout", "-q", "--detach"]);
    let (v, found) = findings(dir);
    let codes: Vec<&str> = found.iter().map(|(c, ..)| c.as_str()).collect();
    // Detached (a CI checkout): the feature-x URL is read too, and its API does not exist.
    assert_eq!(
        codes,
        [
            "location-target-missing",
            "remote-location-target",
            "wrong-type",
            "unresolved-ref"
        ],
        "{v:#}"
    );
}

/// A placeholder that cannot be read offline is an unknown value: before, the URL standing in
/// for a list or a mapping gave `wrong-type` errors.
#[test]
fn a_remote_placeholder_is_an_unknown_value() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: remote-steps
spec:
  owner: group:default/platform
  type: service
  parameters:
    - $yaml: https://example.com/shared/parameters.yaml
  steps:
    - $yaml: https://example.com/shared/steps/fetch.yaml
  output:
    $json: https://example.com/shared/output.json
",
    );
    let (v, found) = findings(tmp.path());
    let codes: Vec<&str> = found.iter().map(|(c, ..)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "unresolved-ref",
            "remote-placeholder",
            "remote-placeholder",
            "remote-placeholder"
        ],
        "{v:#}"
    );
}

/// `$openapi`/`$asyncapi` are placeholders where `.callboard.yaml` says the portal installs
/// them: a local target must exist (its text stands for the value), a remote one is unknown.
/// Without the declaration, Backstage's verdict holds (tests/fidelity/openapi-not-installed).
#[test]
fn installed_placeholder_resolvers_are_declared_in_the_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let api = |name: &str, target: &str| {
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: {name}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:default/platform\n  definition:\n    $openapi: {target}\n"
        )
    };
    write(dir, "local.yaml", &api("local", "./openapi.yaml"));
    write(
        dir,
        "openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: x, version: 1.0.0}\npaths: {}\n",
    );
    write(dir, "missing.yaml", &api("missing", "./nope.yaml"));
    write(
        dir,
        "remote.yaml",
        &api("remote", "https://example.com/openapi.yaml"),
    );
    let codes = |dir: &Path| -> Vec<(String, String)> {
        findings(dir)
            .1
            .into_iter()
            .filter(|(code, ..)| code != "unresolved-ref")
            .map(|(code, file, _)| (code, file))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        codes(dir),
        pairs(&[
            ("wrong-type", "local.yaml"),
            ("wrong-type", "missing.yaml"),
            ("wrong-type", "remote.yaml"),
        ]),
        "not installed: the definition is a mapping"
    );
    write(
        dir,
        ".callboard.yaml",
        "version: 1\nplaceholders: [openapi, $asyncapi]\n",
    );
    assert_eq!(
        codes(dir),
        pairs(&[
            ("placeholder-target-missing", "missing.yaml"),
            ("remote-placeholder", "remote.yaml"),
        ])
    );
}
