//! Hostile repository and template content (issue 12): no write outside the intended directory,
//! no `.git` from a template, no read outside the repository. Every escape is aimed at a canary
//! in a separate temporary directory that must stay unchanged and whose content must never
//! appear in any output.
//!
//! Runs on Linux, macOS and Windows (the CI matrix). The tests marked `#[cfg(unix)]` need
//! symbolic links; the `.git` tests run everywhere, and the name rules that only mean something
//! on Windows (`GIT~1`, `.git.`) and macOS (HFS+ ignorable code points) are also exercised
//! here through real runs, where the file system itself treats those names as `.git`.

// Windows compiles the symbolic-link tests out, and with them the canary's only users.
#![cfg_attr(not(unix), allow(dead_code))]

use std::path::{Path, PathBuf};
use std::process::Output;

const SECRET: &str = "CANARY-7f3a9c-do-not-leak";

/// A file outside every work directory of a test.
struct Canary {
    dir: tempfile::TempDir,
}

impl Canary {
    fn new() -> Canary {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("canary.yaml"), canary_text()).unwrap();
        Canary { dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("canary.yaml")
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Unchanged, and alone in its directory.
    fn assert_untouched(&self) {
        assert_eq!(
            std::fs::read_to_string(self.file()).unwrap(),
            canary_text(),
            "the canary was overwritten"
        );
        let names: Vec<_> = std::fs::read_dir(self.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names.len(),
            1,
            "files appeared beside the canary: {names:?}"
        );
    }
}

/// A catalog entity, so that a tool that follows a link would find something to edit.
fn canary_text() -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: canary\n  description: {SECRET}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-a\n"
    )
}

const COMPONENT: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-a\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env(
            "GIT_CONFIG_GLOBAL",
            if cfg!(windows) { "NUL" } else { "/dev/null" },
        )
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Nothing of the canary's content in stdout or stderr.
fn assert_no_leak(out: &Output) {
    assert!(
        !text(out).contains(SECRET),
        "canary content leaked:\n{}",
        text(out)
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env(
            "GIT_CONFIG_GLOBAL",
            if cfg!(windows) { "NUL" } else { "/dev/null" },
        )
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Writes of repository files

#[cfg(unix)]
#[test]
fn a_link_at_the_old_temporary_name_cannot_redirect_edit_write() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "catalog-info.yaml", COMPONENT);
    symlink(
        canary.file(),
        work.path().join(".catalog-info.yaml.callboard-tmp"),
    );
    let out = run(
        work.path(),
        &[
            "catalog",
            "edit",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        std::fs::read_to_string(work.path().join("catalog-info.yaml"))
            .unwrap()
            .contains("lifecycle: production")
    );
    canary.assert_untouched();
    assert_no_leak(&out);
}

#[cfg(unix)]
#[test]
fn a_link_at_the_old_temporary_name_cannot_redirect_validate_output() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "catalog-info.yaml", COMPONENT);
    symlink(canary.file(), work.path().join(".report.txt.callboard-tmp"));
    let out = run(
        work.path(),
        &["catalog", "validate", ".", "--output", "report.txt"],
    );
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", text(&out));
    assert!(work.path().join("report.txt").is_file());
    canary.assert_untouched();
    // No temporary file is left beside the report.
    let mut names: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".report.txt.callboard-tmp",
            "catalog-info.yaml",
            "report.txt"
        ]
    );
}

#[cfg(unix)]
#[test]
fn editing_a_symlinked_catalog_file_writes_its_target_and_keeps_the_link() {
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "entities/real.yaml", COMPONENT);
    symlink("entities/real.yaml", work.path().join("catalog-info.yaml"));
    let out = run(
        work.path(),
        &[
            "catalog",
            "edit",
            "catalog-info.yaml",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let link = work.path().join("catalog-info.yaml");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(work.path().join("entities/real.yaml"))
            .unwrap()
            .contains("lifecycle: production")
    );
}

/// A repository with a group `team` and `catalog-info.yaml`, a link to the canary.
#[cfg(unix)]
fn linked_canary(team: &str) -> (Canary, tempfile::TempDir) {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "team.yaml",
        &format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {team}\nspec:\n  type: team\n  children: []\n"
        ),
    );
    symlink(canary.file(), work.path().join("catalog-info.yaml"));
    (canary, work)
}

/// The canary unchanged and `catalog-info.yaml` still a link to it.
#[cfg(unix)]
fn assert_link_kept(canary: &Canary, work: &Path) {
    canary.assert_untouched();
    assert!(
        std::fs::symlink_metadata(work.join("catalog-info.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn editing_a_link_out_of_the_repository_is_refused() {
    let (canary, work) = linked_canary("team-a");
    let out = run(
        work.path(),
        &[
            "catalog",
            "edit",
            "catalog-info.yaml",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
            "--write",
        ],
    );
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
    assert_link_kept(&canary, work.path());
}

/// `catalog validate --fix --write` plans a fix in a file that links out of the repository (the
/// canary's owner `team-a` is one letter from the repository's `team-b`): refused before the
/// link is read again, nothing written anywhere, the link kept.
#[cfg(unix)]
#[test]
fn fixing_through_a_link_out_of_the_repository_is_refused() {
    let (canary, work) = linked_canary("team-b");
    let before = std::fs::read_to_string(work.path().join("team.yaml")).unwrap();
    for write_flag in [false, true] {
        let mut args = vec![
            "catalog",
            "validate",
            "--fix",
            "team.yaml",
            "catalog-info.yaml",
        ];
        if write_flag {
            args.extend(["--write", "--allow-dirty"]);
        }
        let out = run(work.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(
            text(&out)
                .contains("refused: catalog-info.yaml: catalog-info.yaml is a symbolic link to")
                && text(&out).contains("outside the repository"),
            "{}",
            text(&out)
        );
        assert!(
            !text(&out).contains("+++ b/catalog-info.yaml"),
            "{}",
            text(&out)
        );
        assert_link_kept(&canary, work.path());
        assert_eq!(
            std::fs::read_to_string(work.path().join("team.yaml")).unwrap(),
            before
        );
    }
}

#[test]
fn an_interrupted_batch_is_completed_by_the_next_write() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    git(&root, &["init", "-q"]);
    write(&root, "catalog-info.yaml", COMPONENT);
    write(
        &root,
        "other.yaml",
        &COMPONENT.replace("name: svc", "name: other"),
    );
    // What a run killed after staging leaves: a complete journal and one temporary file.
    let staged = COMPONENT.replace("experimental", "deprecated");
    let temp = root.join(".other.yaml.Qx81Za.callboard");
    write(&root, ".other.yaml.Qx81Za.callboard", &staged);
    let old_hash = {
        use sha2::Digest;
        sha2::Sha256::digest(COMPONENT.replace("name: svc", "name: other").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let journal = format!(
        "{{\"header\":{{\"version\":1}}}}\n{}\n{{\"complete\":{{\"files\":1}}}}\n",
        serde_json::json!({"staged": {"temp": temp, "target": root.join("other.yaml"), "old": old_hash}})
    );
    write(&root, ".git/callboard-write-journal.json", &journal);
    // A stray file that merely looks like a temporary file is not ours to remove.
    write(
        &root,
        ".catalog-info.yaml.AAAAAA.callboard",
        "someone else's",
    );
    let out = run(
        &root,
        &[
            "catalog",
            "edit",
            "catalog-info.yaml",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
            "--write",
            "--allow-dirty",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("completed an interrupted write"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("other.yaml")).unwrap(),
        staged
    );
    assert!(!temp.exists());
    assert!(!root.join(".git/callboard-write-journal.json").exists());
    assert!(root.join(".catalog-info.yaml.AAAAAA.callboard").exists());
}

// ---------------------------------------------------------------------------------------------
// Scaffold writes

const PLANT_THEN_COPY: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: plant
spec:
  steps:
    - id: plant
      action: fetch:plain
      input:
        url: ./links
    - id: copy
      action: fetch:plain
      input:
        url: ./payload
        targetPath: out
"#;

#[cfg(unix)]
#[test]
fn fetch_plain_through_a_link_an_earlier_step_planted_is_refused_dry_run_included() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "tpl/template.yaml", PLANT_THEN_COPY);
    write(work.path(), "tpl/payload/pwned.txt", "pwned\n");
    std::fs::create_dir_all(work.path().join("tpl/links")).unwrap();
    symlink(canary.dir(), work.path().join("tpl/links/out"));
    for dry in [true, false] {
        let mut args = vec!["scaffold", "run", "tpl/template.yaml", "--output", "new"];
        if dry {
            args.push("--dry-run");
        }
        let out = run(work.path(), &args);
        assert_eq!(out.status.code(), Some(1), "dry run {dry}: {}", text(&out));
        assert!(
            text(&out).contains("symbolic link"),
            "the refusal is shown: {}",
            text(&out)
        );
        canary.assert_untouched();
        assert!(!work.path().join("new").exists());
    }
}

#[cfg(unix)]
#[test]
fn fetch_plain_through_a_link_of_the_into_checkout_is_refused() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "tpl/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: copy\nspec:\n  steps:\n    - id: copy\n      action: fetch:plain\n      input:\n        url: ./payload\n        targetPath: out\n",
    );
    write(work.path(), "tpl/payload/pwned.txt", "pwned\n");
    write(work.path(), "checkout/README.md", "hello\n");
    symlink(canary.dir(), work.path().join("checkout/out"));
    let out = run(
        work.path(),
        &["scaffold", "run", "tpl/template.yaml", "--into", "checkout"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    canary.assert_untouched();
}

#[cfg(unix)]
#[test]
fn a_skeleton_catalog_file_linking_out_is_not_annotated_through_the_link() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "tpl/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: linked\nspec:\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n",
    );
    write(work.path(), "tpl/skeleton/README.md", "hi\n");
    symlink(
        canary.file(),
        work.path().join("tpl/skeleton/catalog-info.yaml"),
    );
    let out = run(
        work.path(),
        &["scaffold", "run", "tpl/template.yaml", "--output", "new"],
    );
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
    canary.assert_untouched();
    assert_no_leak(&out);
}

#[test]
fn a_skeleton_holding_a_git_directory_is_refused() {
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "tpl/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: gitdir\nspec:\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n",
    );
    write(work.path(), "tpl/skeleton/README.md", "hi\n");
    write(
        work.path(),
        "tpl/skeleton/.git/config",
        "[core]\n\tfsmonitor = touch /tmp/callboard-pwned\n",
    );
    let out = run(
        work.path(),
        &["scaffold", "run", "tpl/template.yaml", "--output", "new"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(".git"), "{}", text(&out));
    assert!(!work.path().join("new").exists());
}

#[test]
fn git_directory_names_by_other_systems_rules_are_refused_in_target_paths() {
    // `.GIT`, `git~1` and `.git.` are the git directory on Windows (and `.GIT` on macOS).
    for target in [
        ".GIT/config",
        "GIT~1/config",
        ".git./config",
        "sub/.Git/hooks/x",
    ] {
        let work = tempfile::tempdir().unwrap();
        write(
            work.path(),
            "tpl/template.yaml",
            &format!(
                "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n    - id: write\n      action: fetch:template:file\n      input:\n        url: ./file.txt\n        targetPath: '{target}'\n"
            ),
        );
        write(work.path(), "tpl/file.txt", "[core]\n");
        let out = run(
            work.path(),
            &["scaffold", "run", "tpl/template.yaml", "--output", "new"],
        );
        assert_eq!(out.status.code(), Some(1), "{target}: {}", text(&out));
        assert!(
            text(&out).contains("git directory"),
            "{target}: {}",
            text(&out)
        );
        assert!(!work.path().join("new").exists());
    }
}

#[test]
fn fetch_plain_of_the_catalog_root_does_not_copy_its_git_directory() {
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    write(
        &catalog,
        "template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: root\nspec:\n  steps:\n    - id: all\n      action: fetch:plain\n      input:\n        url: .\n        targetPath: copy\n",
    );
    git(&catalog, &["init", "-q"]);
    git(
        &catalog,
        &[
            "config",
            "http.extraheader",
            "AUTHORIZATION: basic c2VjcmV0",
        ],
    );
    let out = run(
        work.path(),
        &[
            "scaffold",
            "run",
            "catalog/template.yaml",
            "--output",
            "new",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("git directory"), "{}", text(&out));
    assert!(!work.path().join("new").exists());
}

#[test]
fn batch_rows_cannot_place_repositories_outside_the_output_base() {
    let top = tempfile::tempdir().unwrap();
    let work = top.path().join("work");
    write(
        &work,
        "tpl/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  parameters:\n    - properties:\n        name: {type: string}\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n",
    );
    write(&work, "tpl/skeleton/README.md", "hi\n");
    let absolute = top
        .path()
        .join("absolute")
        .to_string_lossy()
        .replace('\\', "/");
    write(
        &work,
        "rows.yaml",
        &format!("- name: ../../escaped\n- name: '{absolute}'\n- name: .git\n- name: fine\n"),
    );
    let out = run(
        &work,
        &[
            "scaffold",
            "batch",
            "tpl/template.yaml",
            "--values-list",
            "rows.yaml",
            "--output-dir",
            "repos/{{ name }}",
            "--continue-on-error",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!top.path().join("escaped").exists());
    assert!(!top.path().join("absolute").exists());
    assert!(!work.join("repos/.git").exists());
    assert!(
        work.join("repos/fine/README.md").is_file(),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("must not leave the output base"),
        "{}",
        text(&out)
    );
}

/// A commit whose tree git fsck rejects: a symbolic link `out` (to `target`) and a directory
/// `out` holding `x.txt`. Written with `git hash-object --literally`, as an attacker would.
#[cfg(unix)]
fn commit_with_link_and_dir_of_one_name(repo: &Path, target: &Path) -> String {
    use std::io::Write;
    let blob = |content: &str| -> String {
        let mut child = std::process::Command::new("git")
            .current_dir(repo)
            .args(["hash-object", "-w", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(content.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let raw = |hex: &str| -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    };
    let link = blob(&target.to_string_lossy());
    let file = blob("pwned\n");
    let inner = {
        let mut child = std::process::Command::new("git")
            .current_dir(repo)
            .arg("mktree")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "100644 blob {file}\tx.txt").unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string()
    };
    let catalog = blob(COMPONENT);
    let mut tree = Vec::new();
    for (mode, name, id) in [
        ("100644", "catalog-info.yaml", &catalog),
        ("120000", "out", &link),
        ("40000", "out", &inner),
    ] {
        tree.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        tree.extend_from_slice(&raw(id));
    }
    let mut child = std::process::Command::new("git")
        .current_dir(repo)
        .args(["hash-object", "-w", "-t", "tree", "--literally", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&tree).unwrap();
    let tree_id = String::from_utf8(child.wait_with_output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(tree_id.len(), 40, "git wrote the tree");
    git(repo, &["commit-tree", &tree_id, "-m", "evil"])
}

#[cfg(unix)]
#[test]
fn adoption_compare_refuses_a_tree_git_fsck_rejects() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    let repo = work.path();
    git(repo, &["init", "-q"]);
    write(repo, "catalog-info.yaml", COMPONENT);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-qm", "first"]);
    let evil = commit_with_link_and_dir_of_one_name(repo, canary.dir());
    let out = run(
        repo,
        &["adoption", "report", "--format", "json", "--compare", &evil],
    );
    canary.assert_untouched();
    assert!(text(&out).contains("fsck"), "{}", text(&out));
}

// ---------------------------------------------------------------------------------------------
// Reads outside the repository

#[cfg(unix)]
#[test]
fn placeholders_and_locations_do_not_read_outside_the_repository() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    git(root, &["init", "-q"]);
    symlink(canary.file(), root.join("linked.yaml"));
    let canary_path = canary.file().to_string_lossy().into_owned();
    write(
        root,
        "catalog-info.yaml",
        &format!(
            "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $yaml: ./linked.yaml\n---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: api2\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $json: {canary_path}\n---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets:\n    - {canary_path}\n    - ./linked.yaml\n    - ../{}/*.yaml\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
            canary.dir().file_name().unwrap().to_string_lossy()
        ),
    );
    for format in ["human", "json", "github"] {
        let out = run(root, &["catalog", "validate", ".", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert_no_leak(&out);
        let count = text(&out).matches("path-outside-repository").count();
        assert!(count >= 5, "{format}: {count} reports\n{}", text(&out));
        assert!(
            !text(&out).contains("name: canary")
                && !text(&out).contains("component:default/canary")
        );
    }
    canary.assert_untouched();
}

#[cfg(unix)]
#[test]
fn scorecard_file_facts_do_not_read_outside_the_repository() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    git(root, &["init", "-q"]);
    write(root, "catalog-info.yaml", COMPONENT);
    symlink(canary.file(), root.join("README.md"));
    let depth = "../".repeat(12);
    let climbing = format!(
        "/{depth}{}",
        canary.file().to_string_lossy().trim_start_matches('/')
    );
    let card = |path: &str| {
        format!(
            "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: leak\nspec:\n  appliesTo:\n    kind: [Component]\n  levels: [gold]\n  rules:\n    - {{id: leak, check: {{fact: repo.fileContent, path: '{path}', op: contains, value: 7f3a9c}}}}\n"
        )
    };
    // A path climbing out of the repository: the scorecard is refused.
    write(root, "scorecard.yaml", &card(&climbing));
    let out = run(
        root,
        &["score", "--scorecard", "scorecard.yaml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains(".."), "{}", text(&out));
    assert_no_leak(&out);
    // A link inside the repository that leads out: the fact cannot be evaluated.
    write(root, "scorecard.yaml", &card("README.md"));
    let out = run(
        root,
        &["score", "--scorecard", "scorecard.yaml", "--format", "json"],
    );
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("\"pass\""), "{}", text(&out));
    assert_no_leak(&out);
    canary.assert_untouched();
}

#[cfg(unix)]
#[test]
fn scaffold_lint_does_not_follow_a_skeleton_link_out_of_the_template() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "tpl/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: linked\nspec:\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n",
    );
    // A broken expression in the canary directory: lint would report it if it read there.
    write(
        canary.dir(),
        "broken.txt",
        "${{ values.name | nosuchfilter }}\n",
    );
    symlink(canary.dir(), work.path().join("tpl/skeleton"));
    let out = run(work.path(), &["scaffold", "lint", "tpl/template.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("skeleton-outside-template"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("nosuchfilter"), "{}", text(&out));
    assert_no_leak(&out);
}

#[cfg(unix)]
#[test]
fn the_default_waivers_file_and_a_custom_kind_schema_stay_inside_the_repository() {
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    git(root, &["init", "-q"]);
    write(root, "catalog-info.yaml", COMPONENT);
    write(
        root,
        "scorecard.yaml",
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: s\nspec:\n  appliesTo:\n    kind: [Component]\n  levels: [gold]\n  rules:\n    - {id: owner, check: {fact: entity.spec.owner, op: exists}}\n",
    );
    std::fs::create_dir_all(root.join(".callboard")).unwrap();
    symlink(canary.file(), root.join(".callboard/waivers.yaml"));
    let out = run(root, &["score", "--scorecard", "scorecard.yaml"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
    assert_no_leak(&out);

    symlink(canary.file(), root.join("ai.schema.yaml"));
    write(
        root,
        ".callboard.yaml",
        "version: 1\nkinds:\n  - kind: AiResource\n    apiVersions: [backstage.io/v1alpha1]\n    schema: ai.schema.yaml\n",
    );
    let out = run(root, &["catalog", "validate", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
    assert_no_leak(&out);
    canary.assert_untouched();
}

#[cfg(unix)]
#[test]
fn a_device_or_fifo_named_on_the_command_line_is_named_as_such() {
    let work = tempfile::tempdir().unwrap();
    let out = run(work.path(), &["catalog", "validate", "/dev/zero"]);
    assert!(
        text(&out).contains("is a character device"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("does not exist"), "{}", text(&out));
    let fifo = work.path().join("pipe.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // Would block forever if it were opened.
    let out = run(work.path(), &["catalog", "validate", "pipe.yaml"]);
    assert!(text(&out).contains("is a FIFO"), "{}", text(&out));
}

// ---------------------------------------------------------------------------------------------
// The one guard

/// Every file-system write outside `src/fs.rs` is one of the few listed here: scratch
/// directories callboard creates itself and the final move of a finished workspace to the
/// directory the operator named. Anything else must go through `callboard::fs`.
#[test]
fn writes_go_through_the_fs_guard() {
    const WRITES: &[&str] = &[
        "std::fs::write",
        "std::fs::rename",
        "std::fs::copy",
        "std::fs::remove_file",
        "std::fs::remove_dir",
        "std::fs::create_dir",
        "std::fs::set_permissions",
        "std::fs::hard_link",
        "File::create",
        "OpenOptions",
        "os::unix::fs::symlink",
    ];
    const ALLOWED: &[(&str, &str)] = &[
        // The scratch workspace beside the target, and moving the result into place.
        ("scaffold/mod.rs", "std::fs::create_dir_all(&parent)"),
        ("scaffold/mod.rs", "std::fs::create_dir(&workspace)"),
        ("scaffold/mod.rs", "std::fs::remove_dir(dir)"),
        ("scaffold/mod.rs", "std::fs::rename(&workspace, dir)"),
        // The scratch workspace of a render inside a fresh temporary directory.
        ("scaffold/update.rs", "std::fs::create_dir(&ws)"),
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "fs.rs" || !rel.ends_with(".rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests set up their own files.
            let code = text.split("#[cfg(test)]").next().unwrap();
            for line in code.lines() {
                if WRITES.iter().any(|w| line.contains(w)) {
                    let allowed = ALLOWED
                        .iter()
                        .any(|(file, call)| rel == *file && line.contains(call));
                    if !allowed {
                        found.push(format!("src/{rel}: {}", line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "writes outside callboard::fs:\n{}",
        found.join("\n")
    );
}
