//! `catalog validate --base REV`: problems the base revision has too (same code, entity and
//! JSON pointer; lines ignored) are reported as existing and do not fail the run.

mod common;
use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, args, None, None);
}

const GROUP: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
";

/// A component; `name` may be invalid on purpose.
fn component(name: &str, owner: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: {owner}\n"
    )
}

/// A repository whose base commit has one error: the name of `legacy` is invalid.
fn repo() -> TempDir {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    fs::create_dir_all(dir.join("svc/legacy")).unwrap();
    fs::create_dir_all(dir.join("svc/checkout")).unwrap();
    fs::write(dir.join("org.yaml"), GROUP).unwrap();
    fs::write(
        dir.join("svc/legacy/catalog-info.yaml"),
        component("legacy_", "team-a"),
    )
    .unwrap();
    fs::write(
        dir.join("svc/checkout/catalog-info.yaml"),
        component("checkout", "team-a"),
    )
    .unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    tmp
}

fn validate(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_callboard"))
        .current_dir(dir)
        .args(["catalog", "validate"])
        .args(args)
        .output()
        .unwrap()
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = validate(dir, &all);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", common::show(&out)));
    (out.status.code().unwrap(), v)
}

/// The existing error moves down two lines (a comment added above it): still existing.
fn shift_legacy(dir: &Path) {
    fs::write(
        dir.join("svc/legacy/catalog-info.yaml"),
        format!(
            "# legacy\n# still to rename\n{}",
            component("legacy_", "team-a")
        ),
    )
    .unwrap();
}

#[test]
fn existing_problems_do_not_fail_and_new_ones_do() {
    let tmp = repo();
    let dir = tmp.path();
    // Without --base the base's own error fails the run, as today.
    assert_eq!(validate(dir, &[]).status.code(), Some(1));

    shift_legacy(dir);
    let (code, v) = json(dir, &["--base", "HEAD"]);
    assert_eq!(code, 0, "{v:#}");
    let d = &v["diagnostics"].as_array().unwrap();
    assert!(!d.is_empty());
    assert!(d.iter().all(|d| d["baseline"] == "existing"), "{v:#}");
    assert_eq!(d[0]["line"], 6, "{v:#}");

    // A new problem in another entity fails; the old one stays existing.
    fs::write(
        dir.join("svc/checkout/catalog-info.yaml"),
        component("checkout_", "team-a"),
    )
    .unwrap();
    let (code, v) = json(dir, &["--base", "HEAD"]);
    assert_eq!(code, 1, "{v:#}");
    let d = v["diagnostics"].as_array().unwrap();
    let in_file = |file: &str| -> Vec<&str> {
        d.iter()
            .filter(|x| x["file"] == file)
            .map(|x| x["baseline"].as_str().unwrap())
            .collect()
    };
    assert_eq!(in_file("svc/checkout/catalog-info.yaml"), ["new"], "{v:#}");
    assert_eq!(
        in_file("svc/legacy/catalog-info.yaml"),
        ["existing"],
        "{v:#}"
    );
    // Without --base: no baseline field (additive).
    let (_, v) = json(dir, &[]);
    assert!(v["diagnostics"][0].get("baseline").is_none());
}

#[test]
fn every_format_names_existing_problems() {
    let tmp = repo();
    let dir = tmp.path();
    shift_legacy(dir);

    let out = validate(dir, &["--base", "HEAD", "--color", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(exists at the base revision too)"), "{text}");
    assert!(text.contains("against HEAD: 0 new, "), "{text}");

    let out = validate(dir, &["--base", "HEAD", "--format", "github"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("::notice "), "{text}");
    assert!(
        text.contains("::exists at the base revision too: "),
        "{text}"
    );

    let out = validate(dir, &["--base", "HEAD", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(r["baselineState"], "unchanged", "{r:#}");
        assert_eq!(r["level"], "note", "{r:#}");
    }
}

#[test]
fn a_bad_revision_is_a_usage_error_with_json_on_stdout() {
    let tmp = repo();
    let out = validate(tmp.path(), &["--base", "nope~3"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base"));
    let (code, v) = json(tmp.path(), &["--base", "nope~3"]);
    assert_eq!(code, 2);
    assert!(v.to_string().contains("nope~3"), "{v}");
}
