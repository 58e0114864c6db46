//! `--changed-since REF`: only files changed since the merge-base with REF are reported on, while
//! references still resolve against the whole catalog.

mod common;
use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

const GROUP_AND_LEDGER: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
spec:
  type: service
  lifecycle: production
  owner: team-a
";

const CHECKOUT: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
spec:
  type: service
  lifecycle: production
  owner: team-a
";

/// The branch's version of services/catalog-info.yaml: an invalid name (line 4) and a
/// reference to `ledger`, which is defined in the unchanged org/catalog-info.yaml.
const CHECKOUT_CHANGED: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout_
spec:
  type: service
  lifecycle: production
  owner: team-a
  dependsOn:
    - component:ledger
";

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, args, None, None);
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A repository whose `main` holds a valid catalog: org/ (group team-a, component ledger) and
/// services/ (component checkout). `org_extra` is appended to org/catalog-info.yaml.
fn repo_with_catalog(org_extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(
        dir,
        "org/catalog-info.yaml",
        &format!("{GROUP_AND_LEDGER}{org_extra}"),
    );
    write(dir, "services/catalog-info.yaml", CHECKOUT);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "catalog"]);
    tmp
}

fn validate(dir: &Path, args: &[&str]) -> (Output, Option<Value>) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .args(["catalog", "validate", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).ok();
    (out, json)
}

/// `file code` for every diagnostic.
fn found(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect()
}

/// A pre-existing problem in the file the branch does not touch: a dangling system reference.
const ORG_DANGLING: &str = "  system: legacy-billing\n";

#[test]
fn only_changed_files_are_reported_and_references_resolve_against_everything() {
    let tmp = repo_with_catalog(ORG_DANGLING);
    let dir = tmp.path();
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(dir, "services/catalog-info.yaml", CHECKOUT_CHANGED);
    git(dir, &["commit", "-q", "-am", "break checkout"]);

    // Without the flag: both files' problems.
    let (out, v) = validate(dir, &[]);
    let v = v.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        found(&v),
        [
            "org/catalog-info.yaml unresolved-ref",
            "services/catalog-info.yaml invalid-name",
        ]
    );

    // With it: only the changed file, and component:ledger (defined in the unchanged file) resolves.
    let (out, v) = validate(dir, &["--changed-since", "main"]);
    let v = v.unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(found(&v), ["services/catalog-info.yaml invalid-name"]);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(9))
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "notes": 0, "suppressed": 0})
    );
    // The whole catalog was still loaded.
    assert_eq!(v["files"], 2);
    assert_eq!(v["entities"], 3);
}

#[test]
fn a_reference_to_an_entity_nowhere_is_still_reported_in_the_changed_file() {
    let tmp = repo_with_catalog("");
    let dir = tmp.path();
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(
        dir,
        "services/catalog-info.yaml",
        &format!("{CHECKOUT}  dependsOn:\n    - component:ledger\n    - component:nowhere\n"),
    );
    git(dir, &["commit", "-q", "-am", "depend"]);
    let (out, v) = validate(dir, &["--changed-since", "main"]);
    let v = v.unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{v:#}");
    assert_eq!(diags[0]["code"], "unresolved-ref");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("component:default/nowhere")
    );
}

#[test]
fn errors_in_unchanged_files_do_not_fail_the_run() {
    // main already has an error in org/ (an empty spec.system).
    let tmp = repo_with_catalog("  system: ''\n");
    let dir = tmp.path();
    let (out, _) = validate(dir, &[]);
    assert_eq!(out.status.code(), Some(1), "main itself has an error");

    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(
        dir,
        "services/catalog-info.yaml",
        &CHECKOUT.replace("production", "experimental"),
    );
    git(dir, &["commit", "-q", "-am", "valid change"]);
    let (out, v) = validate(dir, &["--changed-since", "main"]);
    assert_eq!(out.status.code(), Some(0), "{:#}", v.unwrap());
}

#[test]
fn uncommitted_and_untracked_changes_count_as_changed() {
    let tmp = repo_with_catalog(ORG_DANGLING);
    let dir = tmp.path();
    // Modified in the work tree, not committed.
    write(dir, "services/catalog-info.yaml", CHECKOUT_CHANGED);
    // A new file git does not track yet.
    write(
        dir,
        "payments/catalog-info.yaml",
        &CHECKOUT
            .replace("checkout", "payments")
            .replace("team-a", "team-b"),
    );
    let (out, v) = validate(dir, &["--changed-since", "HEAD"]);
    let v = v.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        found(&v),
        [
            "payments/catalog-info.yaml unresolved-ref",
            "services/catalog-info.yaml invalid-name",
        ]
    );
}

/// Paths with `..` (here: run from a subdirectory, validating the repository root) must be
/// matched against git's changed files after normalisation (failed before the canonicalising
/// comparison in commands/validate.rs: every diagnostic was filtered out).
#[test]
fn works_from_a_subdirectory_of_the_repository() {
    let tmp = repo_with_catalog(ORG_DANGLING);
    let dir = tmp.path();
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(dir, "services/catalog-info.yaml", CHECKOUT_CHANGED);
    git(dir, &["commit", "-q", "-am", "break checkout"]);
    let cwd = dir.join("services");
    let (out, v) = validate(&cwd, &["--changed-since", "main", ".."]);
    let v = v.unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{v:#}");
    assert_eq!(diags[0]["code"], "invalid-name");
    // Shown as given (`../services/…`) or relative to the current directory; either way the
    // changed file.
    let shown = cwd.join(diags[0]["file"].as_str().unwrap());
    assert_eq!(
        shown.canonicalize().unwrap(),
        dir.join("services/catalog-info.yaml")
            .canonicalize()
            .unwrap()
    );
}

#[test]
fn no_changes_means_nothing_to_report() {
    let tmp = repo_with_catalog(ORG_DANGLING);
    let dir = tmp.path();
    let (out, v) = validate(dir, &["--changed-since", "main"]);
    let v = v.unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    assert_eq!(v["files"], 2);
}

#[test]
fn unknown_revision_exits_2() {
    let tmp = repo_with_catalog("");
    let (out, _) = validate(tmp.path(), &["--changed-since", "no-such-ref"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["error"]["kind"], "usage",
        "only the JSON error object: {v}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--changed-since"), "{err}");
    assert!(err.contains("no-such-ref"), "{err}");
}

#[test]
fn outside_a_git_repository_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "catalog-info.yaml", CHECKOUT);
    let (out, _) = validate(tmp.path(), &["--changed-since", "main"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not inside a git repository"), "{err}");
}

/// The repository named through a symlink: diagnostics carry the symlinked path, git reports the
/// real one, and they must still match.
#[cfg(unix)]
#[test]
fn works_when_the_repository_is_named_through_a_symlink() {
    let tmp = repo_with_catalog(ORG_DANGLING);
    let dir = tmp.path();
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(dir, "services/catalog-info.yaml", CHECKOUT_CHANGED);
    git(dir, &["commit", "-q", "-am", "break checkout"]);
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("repo");
    std::os::unix::fs::symlink(dir, &link).unwrap();
    let (out, v) = validate(dir, &["--changed-since", "main", link.to_str().unwrap()]);
    let v = v.unwrap();
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["invalid-name"]);
}
