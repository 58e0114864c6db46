//! `scaffold check` / `scaffold update`: a template at version 1 generates a project; the
//! template and the project then change independently; the update merges both.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use common::{git, snapshot};

const TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
spec:
  type: service
  parameters:
    - required: [name]
      properties:
        name: {type: string}
        owner: {type: string, default: team-a}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          owner: ${{ parameters.owner }}
    - id: publish
      action: publish:github
      input:
        repoUrl: github.com?owner=acme&repo=${{ parameters.name }}
        defaultBranch: main
"#;

fn readme(tail: &str) -> String {
    let mut s = String::from("# ${{ values.name }}\n\n");
    for i in 1..=12 {
        s.push_str(&format!("line {i}\n"));
    }
    s.push_str(tail);
    s
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn callboard(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("callboard")
        .unwrap()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(args)
        .output()
        .unwrap()
}

struct Setup {
    _tmp: tempfile::TempDir,
    catalog: PathBuf,
    project: PathBuf,
}

/// Catalog repository with the template at version 1, and a project generated from it.
fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let catalog = tmp.path().join("catalog");
    let t = catalog.join("templates/svc");
    write(&t, "template.yaml", TEMPLATE);
    write(&t, "skeleton/README.md", &readme(""));
    write(
        &t,
        "skeleton/config.yaml",
        "name: ${{ values.name }}\nreplicas: 1\nowner: ${{ values.owner }}\n",
    );
    write(&t, "skeleton/removed.txt", "going away\n");
    write(&t, "skeleton/keep.txt", "the project deletes this\n");
    git(&catalog, &["init", "-q", "-b", "main"], None, None);
    git(&catalog, &["add", "."], None, None);
    git(
        &catalog,
        &["commit", "-qm", "v1"],
        None,
        Some("2026-01-01T00:00:00Z"),
    );
    let project = tmp.path().join("payments");
    let out = callboard(
        &catalog,
        &[
            "scaffold",
            "run",
            "templates/svc/template.yaml",
            "--set",
            "name=payments",
            "--output",
            project.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Setup {
        _tmp: tmp,
        catalog,
        project,
    }
}

fn template_v2(catalog: &Path) {
    let t = catalog.join("templates/svc");
    write(
        &t,
        "skeleton/README.md",
        &readme("line 13 from the template\n"),
    );
    write(
        &t,
        "skeleton/config.yaml",
        "name: ${{ values.name }}\nreplicas: 3\nowner: ${{ values.owner }}\n",
    );
    std::fs::remove_file(t.join("skeleton/removed.txt")).unwrap();
    write(&t, "skeleton/new.txt", "new in v2 for ${{ values.name }}\n");
    git(catalog, &["add", "-A"], None, None);
    git(
        catalog,
        &["commit", "-qm", "v2"],
        None,
        Some("2026-02-01T00:00:00Z"),
    );
}

fn project_changes(project: &Path) {
    let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
    std::fs::write(
        project.join("README.md"),
        readme.replacen("line 1\n", "line 1 edited by the team\n", 1),
    )
    .unwrap();
    std::fs::write(
        project.join("config.yaml"),
        "name: payments\nreplicas: 5\nowner: team-a\n",
    )
    .unwrap();
    std::fs::remove_file(project.join("keep.txt")).unwrap();
    git(project, &["add", "-A"], None, None);
    git(project, &["commit", "-qm", "team changes"], None, None);
}

#[test]
fn generated_project_is_a_repository_with_a_record() {
    let s = setup();
    let record = std::fs::read_to_string(s.project.join(".callboard/scaffold.yaml")).unwrap();
    assert!(record.contains("ref: template:default/svc"), "{record}");
    assert!(
        record.contains("path: templates/svc/template.yaml"),
        "{record}"
    );
    assert!(
        record.contains("owner: team-a"),
        "defaults are recorded: {record}"
    );
    let out = callboard(&s.project, &["scaffold", "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn update_merges_far_edits_marks_same_line_conflicts_and_keeps_deletions() {
    let s = setup();
    project_changes(&s.project);
    template_v2(&s.catalog);

    // check reports the update (exit 1) and changes nothing.
    let before = snapshot(s._tmp.path());
    let out = callboard(&s.project, &["scaffold", "check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["updateAvailable"], true);
    let v2 = String::from_utf8(
        std::process::Command::new("git")
            .current_dir(&s.catalog)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(line["latest"], v2.trim());
    // A dry run changes nothing either.
    let out = callboard(&s.project, &["scaffold", "update", "--dry-run", "--diff"]);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("+line 13 from the template"), "{text}");
    assert_eq!(
        snapshot(s._tmp.path()),
        before,
        "check and --dry-run must not modify anything"
    );

    let out = callboard(&s.project, &["scaffold", "update"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "conflicts exit 1: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let readme = std::fs::read_to_string(s.project.join("README.md")).unwrap();
    assert!(readme.contains("line 1 edited by the team\n"), "{readme}");
    assert!(readme.contains("line 13 from the template\n"), "{readme}");
    assert!(!readme.contains("<<<<<<<"), "{readme}");
    let config = std::fs::read_to_string(s.project.join("config.yaml")).unwrap();
    assert!(
        config.contains(
            "<<<<<<< before updating\nreplicas: 5\n=======\nreplicas: 3\n>>>>>>> after updating\n"
        ),
        "{config}"
    );
    assert!(
        !s.project.join("keep.txt").exists(),
        "a file the project deleted stays deleted"
    );
    assert!(
        !s.project.join("removed.txt").exists(),
        "the template removed it"
    );
    assert_eq!(
        std::fs::read_to_string(s.project.join("new.txt")).unwrap(),
        "new in v2 for payments\n"
    );
    let status = std::process::Command::new("git")
        .current_dir(&s.project)
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.lines().any(|l| l == "UU config.yaml"), "{status}");

    let out = callboard(&s.project, &["scaffold", "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "up to date after the update: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_dirty_project_is_refused_unless_allowed() {
    let s = setup();
    template_v2(&s.catalog);
    std::fs::write(s.project.join("notes.txt"), "uncommitted\n").unwrap();
    let out = callboard(&s.project, &["scaffold", "update"]);
    // A dirty tree: the update could not be done as asked.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("uncommitted changes"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = callboard(&s.project, &["scaffold", "update", "--allow-dirty"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn commit_puts_a_clean_update_on_a_branch() {
    let s = setup();
    template_v2(&s.catalog);
    let out = callboard(
        &s.project,
        &["scaffold", "update", "--commit", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["status"], "updated");
    let branch = line["branch"].as_str().unwrap();
    assert!(branch.starts_with("callboard/update-svc-"), "{branch}");
    let status = std::process::Command::new("git")
        .current_dir(&s.project)
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert!(
        status.stdout.is_empty(),
        "everything committed: {}",
        String::from_utf8_lossy(&status.stdout)
    );
    let config = std::fs::read_to_string(s.project.join("config.yaml")).unwrap();
    assert!(config.contains("replicas: 3"), "{config}");
}

#[test]
fn drift_lists_hand_made_changes() {
    let s = setup();
    project_changes(&s.project);
    let out = callboard(
        &s.project,
        &["scaffold", "check", "--drift", "--skip", "README.md"],
    );
    // Files differ: found something (1), not a usage error (2).
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("modified config.yaml"), "{text}");
    assert!(text.contains("deleted keep.txt"), "{text}");
    assert!(!text.contains("README.md"), "skipped: {text}");
}

#[test]
fn rendering_is_deterministic() {
    let s = setup();
    // No template change, no project change: drift is empty and update changes nothing.
    let out = callboard(&s.project, &["scaffold", "check", "--drift"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = callboard(&s.project, &["scaffold", "update", "--format", "json"]);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["status"], "up-to-date", "{line}");
}

/// 50 repositories generated with `scaffold batch`, one with a conflicting edit and one broken:
/// `update --all` updates 48, reports 1 conflict and 1 failure, each as a JSON line.
#[test]
fn bulk_update_of_fifty_repositories() {
    let s = setup();
    let workspace = s._tmp.path().join("repos");
    let mut rows = String::from("name\n");
    let mut components = String::new();
    for i in 0..50 {
        rows.push_str(&format!("svc-{i:02}\n"));
        components.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-{i:02}\n  annotations:\n    backstage.io/source-template: template:default/svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
        ));
    }
    write(&s.catalog, "rows.csv", &rows);
    write(&s.catalog, "components.yaml", &components);
    git(&s.catalog, &["add", "-A"], None, None);
    git(&s.catalog, &["commit", "-qm", "components"], None, None);
    let pattern = format!("{}/{{{{ name }}}}", workspace.display());
    let out = callboard(
        &s.catalog,
        &[
            "scaffold",
            "batch",
            "templates/svc/template.yaml",
            "--values-list",
            "rows.csv",
            "--output-dir",
            &pattern,
            "--jobs",
            "2",
        ],
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 50);

    template_v2(&s.catalog);
    // One team changed the line the template changes; one checkout is broken.
    let conflicted = workspace.join("svc-07");
    std::fs::write(
        conflicted.join("config.yaml"),
        "name: svc-07\nreplicas: 9\nowner: team-a\n",
    )
    .unwrap();
    git(
        &conflicted,
        &["commit", "-qam", "more replicas"],
        None,
        None,
    );
    std::fs::remove_dir_all(workspace.join("svc-13/.git")).unwrap();

    let out = callboard(
        &s.catalog,
        &[
            "scaffold",
            "update",
            "--all",
            "--template",
            "svc",
            "--workspace",
            workspace.to_str().unwrap(),
            "--jobs",
            "2",
        ],
    );
    // One conflict (1) and one repository that could not be updated (2): the worse.
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 50);
    let count = |status: &str| lines.iter().filter(|l| l["status"] == status).count();
    assert_eq!(
        (count("updated"), count("conflicts"), count("failed")),
        (48, 1, 1),
        "{lines:#?}"
    );
    let conflict = lines.iter().find(|l| l["status"] == "conflicts").unwrap();
    assert_eq!(conflict["entity"], "component:default/svc-07");
    assert_eq!(conflict["conflicts"], serde_json::json!(["config.yaml"]));
    let failed = lines.iter().find(|l| l["status"] == "failed").unwrap();
    assert_eq!(failed["entity"], "component:default/svc-13");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("not a git repository"),
        "{failed}"
    );
    for l in lines.iter().filter(|l| l["status"] == "updated") {
        assert!(
            l["branch"]
                .as_str()
                .unwrap()
                .starts_with("callboard/update-svc-"),
            "{l}"
        );
    }
}

#[test]
fn check_tells_an_update_from_a_usage_error() {
    let s = setup();
    template_v2(&s.catalog);
    let out = callboard(&s.project, &["scaffold", "check"]);
    assert_eq!(out.status.code(), Some(1), "an update is available");
    let out = callboard(
        &s.project,
        &["scaffold", "check", "--drift", "--skip", "a[b"],
    );
    assert_eq!(out.status.code(), Some(2), "a bad --skip glob");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--skip a[b"));
}

#[test]
fn update_all_is_never_a_silent_no_op() {
    let s = setup();
    let base = ["scaffold", "update", "--all", "--workspace", "."];
    // An unknown template: a usage error that names it.
    let mut args = base.to_vec();
    args.extend(["--template", "no-such-template"]);
    let out = callboard(&s.catalog, &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no Template template:default/no-such-template"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A known template no entity was generated from: said on stderr, status 0.
    let mut args = base.to_vec();
    args.extend(["--template", "svc"]);
    let out = callboard(&s.catalog, &args);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing to update"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Directories and --all do not go together.
    let mut args = base.to_vec();
    args.extend(["--template", "svc", "../payments"]);
    let out = callboard(&s.catalog, &args);
    assert_eq!(out.status.code(), Some(2));
}

/// `update --all --shard K/N` splits the repositories by entity ref; every line carries its
/// index in the whole list, so `merge-results` restores the unsharded order.
#[test]
fn update_all_shards_split_the_repositories() {
    let s = setup();
    let mut components = String::new();
    for i in 0..10 {
        components.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-{i}\n  annotations:\n    backstage.io/source-template: template:default/svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
        ));
    }
    write(&s.catalog, "components.yaml", &components);
    git(&s.catalog, &["add", "-A"], None, None);
    git(&s.catalog, &["commit", "-qm", "components"], None, None);
    let empty = s._tmp.path().join("no-checkouts");
    std::fs::create_dir_all(&empty).unwrap();
    let mut seen = Vec::new();
    for shard in ["1/2", "2/2"] {
        let out = callboard(
            &s.catalog,
            &[
                "scaffold",
                "update",
                "--all",
                "--template",
                "svc",
                "--dry-run",
                "--workspace",
                empty.to_str().unwrap(),
                "--shard",
                shard,
            ],
        );
        // No checkout exists: every repository fails (2), but each is reported.
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("shard {shard}: ")), "{stderr}");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        for line in text.lines() {
            let line: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(line["shard"], shard);
            assert_eq!(line["status"], "failed");
            seen.push((
                line["index"].as_u64().unwrap(),
                line["entity"].as_str().unwrap().to_string(),
            ));
        }
        write(&s.catalog, &format!("shard-{}.ndjson", &shard[..1]), &text);
    }
    seen.sort();
    let expected: Vec<(u64, String)> = (0..10)
        .map(|i| (i, format!("component:default/svc-{i}")))
        .collect();
    assert_eq!(seen, expected, "each repository in exactly one shard");
    let out = callboard(
        &s.catalog,
        &["merge-results", "shard-2.ndjson", "shard-1.ndjson"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "failed repositories keep update's status"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("10 repositories from 2 shard files: 10 failed\n"),
        "{text}"
    );
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.contains("(component:default/svc-0): failed: "),
        "{text}"
    );
    // --shard needs --all.
    let out = callboard(&s.project, &["scaffold", "update", "--shard", "1/2"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn update_all_prints_text_when_asked() {
    let s = setup();
    write(
        &s.catalog,
        "payments.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n  annotations:\n    backstage.io/source-template: template:default/svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
    );
    git(&s.catalog, &["add", "-A"], None, None);
    git(&s.catalog, &["commit", "-qm", "payments"], None, None);
    template_v2(&s.catalog);
    let workspace = s.project.parent().unwrap().to_str().unwrap().to_string();
    let out = callboard(
        &s.catalog,
        &[
            "scaffold",
            "update",
            "--all",
            "--template",
            "svc",
            "--workspace",
            &workspace,
            "--dry-run",
            "--diff",
            "--format",
            "text",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("(dry run: nothing written)"), "{text}");
    assert!(text.contains("--- a/"), "a diff: {text}");
    assert!(!text.trim_start().starts_with('{'), "not JSON: {text}");
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

#[test]
fn commit_again_never_moves_the_update_branch_back() {
    let s = setup();
    template_v2(&s.catalog);
    let out = callboard(
        &s.project,
        &["scaffold", "update", "--commit", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let branch = line["branch"].as_str().unwrap().to_string();
    // A person adds a commit on the update branch, then goes back to main.
    write(&s.project, "fix.txt", "a fix on the update branch\n");
    git(&s.project, &["add", "fix.txt"], None, None);
    git(&s.project, &["commit", "-qm", "fix"], None, None);
    let tip = git_out(&s.project, &["rev-parse", &branch]);
    git(&s.project, &["checkout", "-q", "main"], None, None);
    let before = snapshot(&s.project);
    let out = callboard(&s.project, &["scaffold", "update", "--commit"]);
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("already exists"), "{all}");
    assert_eq!(
        git_out(&s.project, &["rev-parse", &branch]),
        tip,
        "the branch kept its commits"
    );
    assert_eq!(snapshot(&s.project), before, "nothing was written");
}

#[test]
fn allow_dirty_commit_commits_only_what_the_update_wrote() {
    let s = setup();
    template_v2(&s.catalog);
    write(&s.project, "notes.txt", "untracked\n");
    write(&s.project, "keep.txt", "modified, not staged\n");
    write(&s.project, "staged.txt", "staged by the person\n");
    git(&s.project, &["add", "staged.txt"], None, None);
    let out = callboard(
        &s.project,
        &["scaffold", "update", "--allow-dirty", "--commit"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let committed = git_out(&s.project, &["show", "--name-only", "--format=", "HEAD"]);
    let mut committed: Vec<&str> = committed.lines().collect();
    committed.sort();
    assert_eq!(
        committed,
        [
            ".callboard/scaffold.yaml",
            "README.md",
            "config.yaml",
            "new.txt",
            "removed.txt"
        ]
    );
    let status = git_out(&s.project, &["status", "--porcelain"]);
    for expected in [" M keep.txt", "A  staged.txt", "?? notes.txt"] {
        assert!(status.contains(expected), "{expected:?} in\n{status}");
    }
    assert_eq!(status.lines().count(), 3, "{status}");
}

#[test]
fn a_refused_path_stops_the_update_before_any_file_is_written() {
    let s = setup();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), s.project.join("docs")).unwrap();
    git(&s.project, &["add", "docs"], None, None);
    git(&s.project, &["commit", "-qm", "docs link"], None, None);
    let t = s.catalog.join("templates/svc");
    write(&t, "skeleton/a-first.txt", "written first\n");
    write(&t, "skeleton/docs/x.txt", "through the link\n");
    git(&s.catalog, &["add", "-A"], None, None);
    git(
        &s.catalog,
        &["commit", "-qm", "v2"],
        None,
        Some("2026-02-01T00:00:00Z"),
    );
    let before = snapshot(&s.project);
    let out = callboard(&s.project, &["scaffold", "update"]);
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(snapshot(&s.project), before, "nothing was written");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
