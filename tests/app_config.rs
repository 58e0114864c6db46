//! `catalog validate` with the portal's own catalog rules (app-config): found at the repository
//! root or named with `--app-config`, errors located, and read only inside the repository.

use std::path::Path;

use serde_json::Value;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn validate(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .args(["catalog", "validate"])
        .args(args)
        .output()
        .unwrap()
}

fn codes(out: &std::process::Output) -> Vec<String> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap()
            )
        })
        .collect()
}

const GROUP: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: platform\nspec:\n  type: team\n  children: []\n";

#[test]
fn the_repository_app_config_decides_which_kinds_are_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "org.yaml", GROUP);
    // Without an app-config every built-in kind is allowed.
    assert!(codes(&validate(dir, &["-f", "json"])).is_empty());
    // Backstage's default rules (no catalog.rules): no Groups.
    write(dir, "app-config.yaml", "app:\n  title: portal\n");
    let out = validate(dir, &["-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&out), ["kind-not-allowed org.yaml"]);
    // The profile does not matter: it is Backstage's verdict.
    assert_eq!(
        codes(&validate(dir, &["--profile", "backstage", "-f", "json"])),
        ["kind-not-allowed org.yaml"]
    );
    assert!(codes(&validate(dir, &["--no-app-config", "-f", "json"])).is_empty());
    // A later file replaces catalog.rules.
    write(
        dir,
        "app-config.production.yaml",
        "catalog:\n  rules:\n    - allow: [Group]\n",
    );
    assert!(codes(&validate(dir, &["-f", "json"])).is_empty());
    // --app-config names the files instead.
    let out = validate(dir, &["--app-config", "app-config.yaml", "-f", "json"]);
    assert_eq!(codes(&out), ["kind-not-allowed org.yaml"]);
}

#[test]
fn a_bad_app_config_is_a_located_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "org.yaml", GROUP);
    write(
        dir,
        "app-config.yaml",
        "catalog:\n  rules:\n    - allow: Group\n",
    );
    let out = validate(dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("app-config.yaml:3:14: allow must be a list"),
        "{stderr}"
    );
    let out = validate(dir, &["-f", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("allow must be a list"),
        "{v}"
    );
}

#[cfg(unix)]
#[test]
fn an_app_config_linked_out_of_the_repository_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("app-config.yaml");
    std::fs::write(&canary, "catalog:\n  rules:\n    - allow: [Group]\n").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "org.yaml", GROUP);
    std::os::unix::fs::symlink(&canary, dir.join("app-config.yaml")).unwrap();
    let out = validate(dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("outside"), "{stderr}");
    assert!(!stderr.contains("allow: [Group]"), "{stderr}");
}
