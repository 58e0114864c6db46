//! Tests of the bulk commands: `catalog query`, `edit`, `rename`, `migrate` and `graph`.
//!
//! Most edit/rename/migrate behaviour is checked byte for byte by fixtures under tests/bulk/:
//!
//! ```text
//! tests/bulk/<case>/input/      catalog files, copied to a temporary directory
//! tests/bulk/<case>/args        the command line, one argument per line
//! tests/bulk/<case>/expected/   the files that change, as they must be afterwards
//!                               (missing: no file may change)
//! tests/bulk/<case>/exit        expected exit code (default 0)
//! tests/bulk/<case>/stderr      lines that must each appear in standard error
//! tests/bulk/<case>/stdout      lines that must each appear in standard output
//! ```
//!
//! Files not under expected/ must be byte-for-byte unchanged, and no file may appear or vanish
//! but those under expected/ that input/ lacks, which the command must create, and those listed
//! in tests/bulk/<case>/deleted, which it must remove.
//! The expected files were written by hand; a case whose output differs because of a bug in the
//! tests/bulk/query-catalog/ is a small catalog shared by the query, graph and safety tests.

mod common;
use common::copy_dir;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Instant, SystemTime};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bulk_dir() -> PathBuf {
    repo().join("tests/bulk")
}

/// `callboard` running in `dir`, with no colour settings from the environment.
fn callboard(dir: &Path) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("callboard");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    callboard(dir).args(args).output().expect("callboard runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "{}", show(o));
}

/// A temporary copy of tests/bulk/<name> (the repository is never modified).
fn copy_of(name: &str) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&bulk_dir().join(name), tmp.path());
    tmp
}

/// Every file under `dir` (relative paths with `/`), `.git` excluded.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.unwrap();
            if entry.file_name() == ".git" {
                continue;
            }
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Bytes and modification time of every file.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let path = dir.join(&f);
            let mtime = fs::metadata(&path).unwrap().modified().unwrap();
            (f, (fs::read(&path).unwrap(), mtime))
        })
        .collect()
}

fn diff(want: &[u8], got: &[u8]) -> String {
    let want = String::from_utf8_lossy(want);
    let got = String::from_utf8_lossy(got);
    similar::TextDiff::from_lines(want.as_ref(), got.as_ref())
        .unified_diff()
        .context_radius(2)
        .header("expected", "actual")
        .to_string()
}

fn assert_valid_yaml(what: &str, text: &str) {
    let stream = callboard::yaml::parse_stream(text);
    assert!(
        stream.fatal.is_none(),
        "{what} is not valid YAML: {:?}\n{text}",
        stream.fatal
    );
    for d in &stream.documents {
        assert!(d.errors.is_empty(), "{what}: {:?}", d.errors);
    }
}

fn json_of(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON: {e}\n{}", show(o)))
}

// ---------------------------------------------------------------------------------------------
// 1. Byte-for-byte fixtures

fn run_case(name: &str) {
    let case = bulk_dir().join(name);
    let input = case.join("input");
    let expected = case.join("expected");
    let args: Vec<String> = fs::read_to_string(case.join("args"))
        .unwrap()
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let optional = |file: &str| fs::read_to_string(case.join(file)).ok();
    let want_exit: i32 = optional("exit").map_or(0, |s| s.trim().parse().unwrap());

    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&input, tmp.path());
    let before = contents(tmp.path());
    let out = callboard(tmp.path()).args(&args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(want_exit),
        "{name}: `callboard {}`\n{}",
        args.join(" "),
        show(&out)
    );
    for (file, text) in [("stderr", stderr(&out)), ("stdout", stdout(&out))] {
        for line in optional(file).unwrap_or_default().lines() {
            assert!(
                text.contains(line),
                "{name}: {file} lacks `{line}`\n{}",
                show(&out)
            );
        }
    }

    let after = contents(tmp.path());
    // A file under expected/ without an input file is one the command creates.
    let mut want_files: BTreeSet<String> = before.keys().cloned().collect();
    want_files.extend(files(&expected));
    // `deleted`: files the command must remove, one a line.
    for gone in optional("deleted").unwrap_or_default().lines() {
        assert!(
            want_files.remove(gone),
            "{name}: deleted {gone} is not an input file"
        );
    }
    assert_eq!(
        after.keys().cloned().collect::<BTreeSet<_>>(),
        want_files,
        "{name}: files appeared or vanished\n{}",
        show(&out)
    );
    let mut failures = Vec::new();
    for (rel, got) in &after {
        let want = match fs::read(expected.join(rel)) {
            Ok(bytes) => bytes,
            Err(_) => before[rel].clone(),
        };
        if *got != want {
            failures.push(format!("{rel}:\n{}", diff(&want, got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: output differs from expected/\n{}\n{}",
        failures.join("\n"),
        show(&out)
    );
}

macro_rules! fixture_cases {
    ($($(#[$attr:meta])* $test:ident: $dir:literal;)*) => {
        $(
            #[test]
            $(#[$attr])*
            fn $test() {
                run_case($dir);
            }
        )*
        const CASES: &[&str] = &[$($dir),*];
    };
}

fixture_cases! {
    fixture_set_plain: "set-plain";
    fixture_set_double_quoted: "set-double-quoted";
    fixture_set_single_quoted: "set-single-quoted";
    fixture_set_same_value_quoted: "set-same-value-quoted";
    fixture_set_new_key_absent: "set-new-key-absent";
    fixture_set_new_key_existing: "set-new-key-existing";
    fixture_set_null_parent: "set-null-parent";
    fixture_set_null_leaf: "set-null-leaf";
    fixture_unset_block: "unset-block";
    fixture_unset_only_annotation: "unset-only-annotation";
    fixture_unset_flow: "unset-flow";
    fixture_add_tag: "add-tag";
    fixture_remove_tag: "remove-tag";
    fixture_annotate: "annotate";
    fixture_remove_annotation: "remove-annotation";
    fixture_rename_key: "rename-key";
    fixture_refused_block_scalar: "refused-block-scalar";
    fixture_refused_flow_path: "refused-flow-path";
    fixture_refused_rename_key_conflict: "refused-rename-key-conflict";
    fixture_refused_partial: "refused-partial";
    fixture_multi_ops: "multi-ops";
    fixture_migrate_deprecated_annotations: "migrate-deprecated-annotations";
    fixture_migrate_template_v1beta3: "migrate-template-v1beta3";
    fixture_rename_group: "rename-group";
    fixture_rename_user: "rename-user";
    fixture_rename_template: "rename-template";
    fixture_rename_template_quoted: "rename-template-quoted";
    fixture_rename_namespace: "rename-namespace";
    fixture_rename_namespace_own_refs: "rename-namespace-own-refs";
    fixture_flow_value_needs_quotes: "flow-value-needs-quotes";
    fixture_compact_sequence: "compact-sequence";
    fixture_flow_trailing_comment: "flow-trailing-comment";
    fixture_add_list_item: "add-list-item";
    fixture_remove_list_item: "remove-list-item";
    fixture_set_if_missing: "set-if-missing";
    fixture_refused_add_not_a_list: "refused-add-not-a-list";
    fixture_migrate_template_where: "migrate-template-where";
    fixture_rename_merge: "rename-merge";
    fixture_rename_map: "rename-map";
    fixture_rename_map_refused: "rename-map-refused";
    fixture_rename_map_invalid: "rename-map-invalid";
    fixture_rename_map_malformed: "rename-map-malformed";
    fixture_new_append_crlf: "new-append-crlf";
    fixture_new_create_file: "new-create-file";
    fixture_new_unreached: "new-unreached";
    fixture_new_refused: "new-refused";
    fixture_new_missing_flags: "new-missing-flags";
    fixture_new_add_to_location: "new-add-to-location";
    fixture_move_delete_old: "move-delete-old";
    fixture_move_keep_old: "move-keep-old";
}

#[test]
fn every_fixture_case_has_a_test() {
    let on_disk: BTreeSet<String> = fs::read_dir(bulk_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("args").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = CASES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed, "fixture directories vs fixture_cases!");
}

/// The hand-written expectations (and inputs) are valid YAML, bug cases included.
#[test]
fn fixture_files_are_valid_yaml() {
    for case in CASES {
        for part in ["input", "expected"] {
            let dir = bulk_dir().join(case).join(part);
            // Rename maps (CSV) sit beside the catalog files.
            for rel in files(&dir).into_iter().filter(|f| f.ends_with(".yaml")) {
                let text = fs::read_to_string(dir.join(&rel)).unwrap();
                assert_valid_yaml(&format!("{case}/{part}/{rel}"), &text);
            }
        }
    }
}

/// Inputs use the constructs the brief asks for, so the fixtures keep covering them.
#[test]
fn fixture_inputs_cover_yaml_styles() {
    let mut all = String::new();
    for case in CASES {
        let dir = bulk_dir().join(case).join("input");
        for rel in files(&dir) {
            all.push_str(&fs::read_to_string(dir.join(rel)).unwrap());
        }
    }
    for needle in [
        "\n# ",    // own-line comment
        "   # ",   // trailing comment
        "tags: [", // flow sequence
        ": {",     // flow mapping
        ": '",     // single-quoted
        ": \"",    // double-quoted
        ": |\n",   // block scalar
        ": >-\n",  // folded scalar
        "\n---\n", // several documents
    ] {
        assert!(all.contains(needle), "no fixture input contains {needle:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Dry run

#[test]
fn dry_run_is_the_default_and_writes_nothing() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    let before = snapshot(dir);

    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
        ],
    );
    assert_exit(&out, 0);
    let text = stdout(&out);
    for needle in [
        "--- a/services/checkout/catalog-info.yaml\n",
        "+++ b/services/checkout/catalog-info.yaml\n",
        "--- a/services/search/catalog-info.yaml\n",
        "+++ b/services/search/catalog-info.yaml\n",
        "\n-  lifecycle: experimental\n+  lifecycle: production\n",
        "\n-  lifecycle: deprecated\n+  lifecycle: production\n",
        "2 files, 2 entities, 2 fields changed (dry run: nothing written; add --write to apply)\n",
    ] {
        assert!(
            text.contains(needle),
            "stdout lacks {needle:?}\n{}",
            show(&out)
        );
    }
    assert!(
        !text.contains("a/services/payments/"),
        "unchanged files get no diff\n{text}"
    );

    // rename and migrate dry runs too
    let out = run(
        dir,
        &[
            "catalog",
            "rename",
            "group:default/other-team",
            "search-team",
        ],
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("+++ b/systems.yaml\n"),
        "{}",
        show(&out)
    );
    assert!(
        stdout(&out).contains("(dry run: nothing written"),
        "{}",
        show(&out)
    );
    let out = run(dir, &["catalog", "migrate", "deprecated-annotations"]);
    assert_exit(&out, 0);

    assert_eq!(
        snapshot(dir),
        before,
        "a dry run changed files or their mtimes"
    );
}

#[test]
fn dry_run_json_lists_every_change() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    let before = snapshot(dir);
    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "-w",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
            "--format",
            "json",
        ],
    );
    assert_exit(&out, 0);
    let v = json_of(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["written"], false);
    assert_eq!(v["files"], 2);
    assert_eq!(v["refused"], serde_json::json!([]));
    assert_eq!(v["newErrors"], serde_json::json!([]));
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{v:#}");
    assert!(
        changes.contains(&serde_json::json!({
            "file": "services/checkout/catalog-info.yaml",
            "line": 9,
            "entity": "component:default/checkout",
            "path": "spec.lifecycle",
            "old": "experimental",
            "new": "production",
        })),
        "{v:#}"
    );
    assert!(
        changes.contains(&serde_json::json!({
            "file": "services/search/catalog-info.yaml",
            "line": 19,
            "entity": "component:web/search-ui",
            "path": "spec.lifecycle",
            "old": "deprecated",
            "new": "production",
        })),
        "{v:#}"
    );
    assert_eq!(snapshot(dir), before);

    // The same with --write reports written: true and changes the files.
    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "-w",
            "kind=Component",
            "--set",
            "spec.lifecycle=production",
            "--format",
            "json",
            "--write",
        ],
    );
    assert_exit(&out, 0);
    assert_eq!(json_of(&out)["written"], true);
    let text = fs::read_to_string(dir.join("services/checkout/catalog-info.yaml")).unwrap();
    assert!(text.contains("  lifecycle: production\n"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 3. Safety

#[test]
fn a_change_that_introduces_an_error_is_refused_unless_forced() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    let before = snapshot(dir);
    let args = [
        "catalog",
        "edit",
        "--where",
        "name=checkout",
        "--set",
        "metadata.name=Bad!Name",
        "--write",
    ];
    let out = run(dir, &args);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("error[invalid-name]"), "{}", show(&out));
    assert!(
        err.contains("(introduced by this change)"),
        "{}",
        show(&out)
    );
    assert!(err.contains("not written"), "{}", show(&out));
    assert!(err.contains("--force"), "{}", show(&out));
    assert_eq!(snapshot(dir), before, "nothing may be written");

    let mut forced = args.to_vec();
    forced.push("--force");
    let out = run(dir, &forced);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("wrote 1 file"), "{}", show(&out));
    let text = fs::read_to_string(dir.join("services/checkout/catalog-info.yaml")).unwrap();
    assert!(text.contains("  name: Bad!Name\n"), "{text}");
}

#[test]
fn a_read_only_file_fails_the_whole_write() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    // The rename touches org.yaml, services/search/catalog-info.yaml and systems.yaml;
    // the middle one is read-only, so org.yaml was already staged when the write fails.
    let locked = dir.join("services/search/catalog-info.yaml");
    let mut perms = fs::metadata(&locked).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&locked, perms).unwrap();
    assert!(fs::metadata(&locked).unwrap().permissions().readonly());
    let before = snapshot(dir);

    let out = run(
        dir,
        &[
            "catalog",
            "rename",
            "group:default/other-team",
            "search-team",
            "--write",
        ],
    );
    // Writing failed: an I/O failure (3), not a finding.
    assert_exit(&out, 3);
    let err = stderr(&out);
    assert!(
        err.contains("services/search/catalog-info.yaml"),
        "stderr must name the file\n{}",
        show(&out)
    );
    assert!(err.contains("read-only"), "{}", show(&out));
    assert_eq!(
        snapshot(dir),
        before,
        "no file (writable ones included) may change, and no temporary file may remain"
    );
}

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, args, None, None);
}

#[test]
fn a_dirty_git_tree_refuses_write_unless_allowed() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "catalog"]);
    let args = [
        "catalog",
        "edit",
        "--where",
        "name=checkout",
        "--set",
        "spec.lifecycle=production",
        "--write",
    ];

    // A clean tree with an untracked file is fine.
    let clean = copy_of("query-catalog");
    git(clean.path(), &["init", "-q"]);
    git(clean.path(), &["add", "-A"]);
    git(clean.path(), &["commit", "-q", "-m", "catalog"]);
    fs::write(clean.path().join("notes.txt"), "untracked\n").unwrap();
    let out = run(clean.path(), &args);
    assert_exit(&out, 0);

    // A tracked file changed: refused with exit 2, nothing written.
    let mut systems = fs::read_to_string(dir.join("systems.yaml")).unwrap();
    systems.push_str("# work in progress\n");
    fs::write(dir.join("systems.yaml"), systems).unwrap();
    let before = snapshot(dir);
    let out = run(dir, &args);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("uncommitted changes"),
        "{}",
        show(&out)
    );
    assert!(stderr(&out).contains("--allow-dirty"), "{}", show(&out));
    assert_eq!(snapshot(dir), before);

    let mut allowed = args.to_vec();
    allowed.push("--allow-dirty");
    let out = run(dir, &allowed);
    assert_exit(&out, 0);
    let text = fs::read_to_string(dir.join("services/checkout/catalog-info.yaml")).unwrap();
    assert!(text.contains("  lifecycle: production\n"), "{text}");
}

#[test]
fn a_new_error_is_not_hidden_by_the_same_error_elsewhere_in_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let component = |name: &str, lifecycle: &str| {
        format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: {lifecycle}\n  owner: team-a\n"
        )
    };
    fs::write(
        dir.join("catalog-info.yaml"),
        format!(
            "{}---\n{}",
            component("a", "3"),
            component("b", "production")
        ),
    )
    .unwrap();
    let before = snapshot(dir);
    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "-w",
            "name=b",
            "--set",
            "spec.lifecycle=3",
            "--write",
        ],
    );
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("introduced by this change"),
        "{}",
        show(&out)
    );
    assert_eq!(snapshot(dir), before);
}

#[test]
fn an_edit_that_duplicates_an_entity_is_refused() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    let before = snapshot(dir);
    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "-w",
            "name=checkout",
            "--set",
            "metadata.name=payments",
            "--write",
        ],
    );
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("duplicate-entity"), "{}", show(&out));
    assert_eq!(snapshot(dir), before);
}

#[test]
fn crlf_files_keep_crlf_line_endings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let text = "apiVersion: backstage.io/v1alpha1\r\nkind: Component\r\nmetadata:\r\n  name: a\r\n  annotations:\r\n    x/y: z\r\n  tags:\r\n    - java\r\nspec:\r\n  type: service\r\n  lifecycle: production\r\n  owner: team-a\r\n";
    fs::write(dir.join("catalog-info.yaml"), text).unwrap();
    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "-w",
            "name=a",
            "--annotate",
            "a/b=c",
            "--add-tag",
            "go",
            "--set",
            "spec.system=shop",
            "--write",
        ],
    );
    assert_exit(&out, 0);
    let new = fs::read_to_string(dir.join("catalog-info.yaml")).unwrap();
    assert!(new.contains("a/b: c") && new.contains("- go") && new.contains("system: shop"));
    let bare = new
        .split_inclusive('\n')
        .filter(|l| !l.ends_with("\r\n"))
        .count();
    assert_eq!(bare, 0, "lines without CR:\n{new:?}");
}

#[test]
fn add_tag_to_a_flow_list_with_a_trailing_comma() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  tags: [java, go, ]\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
    )
    .unwrap();
    let out = run(
        dir,
        &[
            "catalog",
            "edit",
            "-w",
            "name=a",
            "--add-tag",
            "rust",
            "--write",
        ],
    );
    assert_exit(&out, 0);
    let new = fs::read_to_string(dir.join("catalog-info.yaml")).unwrap();
    assert_valid_yaml("result", &new);
    let stream = callboard::yaml::parse_stream(&new);
    let root = stream.documents[0].document.root.to_json();
    assert_eq!(
        root["metadata"]["tags"],
        serde_json::json!(["java", "go", "rust"])
    );
}

/// A file of 120 entities edited by one command gives the bytes of the reference algorithm
/// (each entity planned on a fresh parse of the text the previous edit left), in the order the
/// selection lists them (by reference, not by position in the file).
#[test]
fn a_file_with_many_entities_edited_at_once_gives_the_reference_bytes() {
    use callboard::bulk::ops::Operation;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let count = 120;
    let mut text = String::new();
    let mut names = Vec::new();
    for i in 0..count {
        // Names out of file order; layouts that insert, append to a flow list or a block list.
        let name = format!("svc-{:03}", (i * 7) % count);
        let tags = match i % 3 {
            0 => String::new(),
            1 => "  tags: [java, go]\n".to_string(),
            _ => "  tags:\n    - java # first\n".to_string(),
        };
        let annotations = if i % 4 == 0 {
            "  annotations:\n    x.io/y: z\n"
        } else {
            ""
        };
        text.push_str(&format!(
            "---\n# entity {i}\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n{annotations}{tags}spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
        ));
        names.push((i, format!("component:default/{name}")));
    }
    fs::write(dir.join("catalog-info.yaml"), &text).unwrap();
    let args = "catalog edit -w kind=Component --add-tag x --annotate a.io/b=c --set spec.lifecycle=experimental --write";
    let out = run(dir, &args.split(' ').collect::<Vec<_>>());
    assert_exit(&out, 0);
    names.sort_by(|a, b| a.1.cmp(&b.1));
    let operations = [
        Operation::AddTag("x".into()),
        Operation::Set {
            path: vec!["metadata".into(), "annotations".into(), "a.io/b".into()],
            value: "c".into(),
        },
        Operation::Set {
            path: vec!["spec".into(), "lifecycle".into()],
            value: "experimental".into(),
        },
    ];
    let reference = callboard::yaml::batch::edit_sequential(&text, &names, &operations);
    assert_eq!(reference.changes.len(), 3 * count);
    assert!(reference.refusals.is_empty(), "{:?}", reference.refusals);
    let written = fs::read_to_string(dir.join("catalog-info.yaml")).unwrap();
    assert!(
        written == reference.text,
        "{}",
        diff(reference.text.as_bytes(), written.as_bytes())
    );
}

// ---------------------------------------------------------------------------------------------
// 4. query

fn query(args: &[&str]) -> Output {
    let tmp = copy_of("query-catalog");
    let mut all = vec!["catalog", "query"];
    all.extend_from_slice(args);
    run(tmp.path(), &all)
}

/// The references selected by a filter, in output order.
fn refs(filter: &str) -> Vec<String> {
    let out = query(&["--where", filter, "--format", "refs"]);
    assert_exit(&out, 0);
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn query_table() {
    let out = query(&["-w", "kind=Component"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    for needle in [
        "entity",
        "owner",
        "file",
        "component:default/checkout",
        "group:checkout-team",
        "services/checkout/catalog-info.yaml",
        "component:web/search-ui",
        "group:default/other-team",
    ] {
        assert!(text.contains(needle), "table lacks {needle}\n{text}");
    }
    assert!(text.ends_with("\n4 entities\n"), "{text}");
    assert!(!text.contains("api:default/"), "{text}");
}

#[test]
fn query_json() {
    let out = query(&["-w", "kind=Component", "-f", "json"]);
    assert_exit(&out, 0);
    let v = json_of(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["count"], 4);
    let entities = v["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 4);
    let first = &entities[0];
    assert_eq!(first["ref"], "component:default/checkout");
    assert_eq!(first["file"], "services/checkout/catalog-info.yaml");
    assert_eq!(first["line"], 4);
    assert_eq!(first["entity"]["kind"], "Component");
    assert_eq!(first["entity"]["spec"]["owner"], "group:checkout-team");
    assert_eq!(
        first["entity"]["metadata"]["tags"],
        serde_json::json!(["go"])
    );
    let search_ui = entities
        .iter()
        .find(|e| e["ref"] == "component:web/search-ui")
        .expect("search-ui selected");
    assert_eq!(search_ui["file"], "services/search/catalog-info.yaml");
    assert_eq!(search_ui["line"], 14);
}

#[test]
fn query_ndjson() {
    let out = query(&["-w", "kind=Component or kind=API", "-f", "ndjson"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    for line in &lines {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v["ref"].is_string() && v["file"].is_string() && v["entity"].is_object());
    }
    assert!(
        lines[0].contains("\"ref\":\"api:default/payments-api\""),
        "{text}"
    );
}

#[test]
fn query_refs_and_files() {
    assert_eq!(
        refs("kind=Component"),
        [
            "component:default/checkout",
            "component:default/payments",
            "component:default/search",
            "component:web/search-ui",
        ]
    );
    // files: each once, though payments and search files hold several entities
    let out = query(&["-f", "files"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "org.yaml\nservices/checkout/catalog-info.yaml\nservices/payments/catalog-info.yaml\n\
         services/search/catalog-info.yaml\nsystems.yaml\n"
    );
    let out = query(&["-w", "kind=API", "-f", "files"]);
    assert_eq!(
        stdout(&out),
        "services/payments/catalog-info.yaml\nservices/search/catalog-info.yaml\n"
    );
}

#[test]
fn query_filter_kind_is_case_insensitive() {
    let want = refs("kind=Component");
    assert_eq!(want.len(), 4);
    assert_eq!(refs("kind=component"), want);
    assert_eq!(refs("kind=COMPONENT"), want);
}

#[test]
fn query_filter_fields() {
    // path=value
    assert_eq!(
        refs("spec.lifecycle=production"),
        [
            "api:default/payments-api",
            "api:default/search-api",
            "component:default/payments",
            "component:default/search"
        ]
    );
    // path!=value
    assert_eq!(
        refs("kind=Component and spec.lifecycle!=production"),
        ["component:default/checkout", "component:web/search-ui"]
    );
    // exists, with a bracketed key
    assert_eq!(
        refs("metadata.annotations[backstage.io/techdocs-ref]"),
        ["component:default/payments"]
    );
    // not
    assert_eq!(
        refs("kind=Component and not metadata.annotations[backstage.io/techdocs-ref]"),
        [
            "component:default/checkout",
            "component:default/search",
            "component:web/search-ui"
        ]
    );
    // and binds tighter than or; parentheses change it
    assert_eq!(
        refs("kind=API or tag=go and system=payments"),
        [
            "api:default/payments-api",
            "api:default/search-api",
            "component:default/checkout"
        ]
    );
    assert_eq!(
        refs("(kind=API or tag=go) and system=payments"),
        ["api:default/payments-api", "component:default/checkout"]
    );
    // regex
    assert_eq!(
        refs("name~^search"),
        [
            "api:default/search-api",
            "component:default/search",
            "component:web/search-ui",
            "system:default/search",
        ]
    );
    assert_eq!(
        refs("kind=Component and name~^search"),
        ["component:default/search", "component:web/search-ui"]
    );
    assert_eq!(refs("metadata.name~-ui$"), ["component:web/search-ui"]);
    // tags, flow and block lists
    assert_eq!(refs("tag=java"), ["component:default/payments"]);
    assert_eq!(refs("tag=go"), ["component:default/checkout"]);
    assert_eq!(refs("namespace=web"), ["component:web/search-ui"]);
    // quoted values keep spaces and braces; `not(` needs no space
    assert_eq!(
        refs(r#"spec.definition="type Query { q: String }""#),
        ["api:default/search-api"]
    );
    assert_eq!(
        refs("not(kind=Group or kind=User or kind=System) and lifecycle=production"),
        [
            "api:default/payments-api",
            "api:default/search-api",
            "component:default/payments",
            "component:default/search",
        ]
    );
}

#[test]
fn query_filter_owner_short_and_full_forms_are_equal() {
    let want = [
        "api:default/search-api",
        "component:default/search",
        "component:web/search-ui",
        "system:default/search",
    ];
    assert_eq!(refs("owner=other-team"), want);
    assert_eq!(refs("owner=group:default/other-team"), want);
    assert_eq!(refs("owner=default/other-team"), want);
    assert_eq!(
        refs("owner=group:checkout-team"),
        ["component:default/checkout"]
    );
}

#[test]
fn query_filter_owned_by_is_transitive_through_group_parents() {
    // checkout-team -> payments-team -> platform
    let under_platform = [
        "api:default/payments-api",
        "component:default/checkout",
        "component:default/payments",
        "system:default/payments",
    ];
    assert_eq!(refs("ownedBy=group:default/platform"), under_platform);
    assert_eq!(refs("ownedBy=platform"), under_platform);
    assert_eq!(
        refs("ownedBy=group:default/payments-team"),
        [
            "api:default/payments-api",
            "component:default/checkout",
            "component:default/payments"
        ]
    );
    assert_eq!(
        refs("ownedBy=checkout-team"),
        ["component:default/checkout"]
    );
}

#[test]
fn query_filter_part_of() {
    let want = [
        "api:default/payments-api",
        "component:default/checkout",
        "component:default/payments",
    ];
    assert_eq!(refs("partOf=system:default/payments"), want);
    assert_eq!(refs("partOf=system:payments"), want);
    assert_eq!(refs("memberOf=payments-team"), ["user:default/alice"]);
}

#[test]
fn query_invalid_filters_exit_2() {
    for (filter, message) in [
        ("kind=Component and", "the filter ends too early"),
        ("(kind=API", "missing `)`"),
        ("kind=API )", "unexpected `)`"),
        ("ownedBy", "needs a value"),
        ("tag", "needs a value"),
        ("kind=API AND name=x", "unexpected `AND`"),
        ("partOf=payments", "has no kind"),
        ("name~[", "invalid regex"),
        ("kind=\"API", "unclosed quote"),
    ] {
        let out = query(&["--where", filter]);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("--where"), "{filter}: {}", show(&out));
        assert!(err.contains(message), "{filter}: {}", show(&out));
        assert!(stdout(&out).is_empty(), "{filter}: {}", show(&out));
    }
}

// ---------------------------------------------------------------------------------------------
// 5. graph

#[test]
fn graph_dot() {
    let tmp = copy_of("query-catalog");
    let out = run(
        tmp.path(),
        &[
            "catalog",
            "graph",
            "-w",
            "kind=Component and name=checkout",
            "-f",
            "dot",
        ],
    );
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.starts_with("digraph catalog {\n"), "{text}");
    assert!(text.ends_with("}\n"), "{text}");
    for needle in [
        "  \"component:default/checkout\";\n",
        "  \"component:default/checkout\" -> \"group:default/checkout-team\" [label=\"ownedBy\"];\n",
        "  \"component:default/checkout\" -> \"system:default/payments\" [label=\"partOf\"];\n",
        "  \"component:default/checkout\" -> \"component:default/payments\" [label=\"dependsOn\"];\n",
    ] {
        assert!(text.contains(needle), "dot lacks {needle:?}\n{text}");
    }
    assert!(
        !text.contains("search"),
        "unselected entities appear\n{text}"
    );
}

#[test]
fn graph_mermaid() {
    let tmp = copy_of("query-catalog");
    let out = run(
        tmp.path(),
        &["catalog", "graph", "-w", "kind=User or name=payments-api"],
    );
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.starts_with("flowchart LR\n"), "{text}");
    // Nodes get index ids in sorted order; edges use them.
    for needle in [
        "  n0[\"api:default/payments-api\"]\n",
        "  n1[\"group:default/payments-team\"]\n",
        "  n2[\"system:default/payments\"]\n",
        "  n3[\"user:default/alice\"]\n",
        "  n3 -->|memberOf| n1\n",
        "  n0 -->|ownedBy| n1\n",
        "  n0 -->|partOf| n2\n",
    ] {
        assert!(text.contains(needle), "mermaid lacks {needle:?}\n{text}");
    }
}

#[test]
fn graph_mermaid_ids_are_unique() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut text = String::new();
    for (kind, name, spec) in [
        (
            "Component",
            "a",
            "type: service\n  lifecycle: production\n  owner: team-a",
        ),
        (
            "Component",
            "b",
            "type: service\n  lifecycle: production\n  owner: team_a",
        ),
        ("Group", "team-a", "type: team\n  children: []"),
        ("Group", "team_a", "type: team\n  children: []"),
    ] {
        text.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n  {spec}\n"
        ));
    }
    fs::write(dir.join("catalog-info.yaml"), text).unwrap();
    let out = run(dir, &["catalog", "graph"]);
    assert_exit(&out, 0);
    let ids: Vec<String> = stdout(&out)
        .lines()
        .filter(|l| l.contains("[\""))
        .map(|l| l.trim().split('[').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 4, "{}", stdout(&out));
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "node ids collide:\n{}",
        stdout(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// 6. migrate

#[test]
fn migrate_list() {
    let tmp = copy_of("query-catalog");
    let out = run(tmp.path(), &["catalog", "migrate", "--list"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("\n  deprecated-annotations "), "{text}");
    assert!(text.contains("\n  template-v1beta3 "), "{text}");
}

#[test]
fn migrate_unknown_exits_2_and_writes_nothing() {
    let tmp = copy_of("migrate-deprecated-annotations/input");
    let dir = tmp.path();
    let before = snapshot(dir);
    let out = run(dir, &["catalog", "migrate", "no-such-migration"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("unknown migration `no-such-migration`"),
        "{}",
        show(&out)
    );
    // a known one alongside an unknown one: nothing applied
    let out = run(
        dir,
        &[
            "catalog",
            "migrate",
            "deprecated-annotations",
            "no-such-migration",
            "--write",
        ],
    );
    assert_exit(&out, 2);
    assert_eq!(snapshot(dir), before);
}

// ---------------------------------------------------------------------------------------------
// 7. rename errors

#[test]
fn rename_errors_exit_2_refusals_exit_1_and_nothing_is_written() {
    let tmp = copy_of("query-catalog");
    let dir = tmp.path();
    let before = snapshot(dir);
    for (from, to, status, message) in [
        (
            "group:default/no-such-team",
            "x",
            2,
            "group:default/no-such-team is not defined in the catalog",
        ),
        (
            "group:default/other-team",
            "platform",
            1,
            "group:default/platform already exists",
        ),
        (
            "group:other-team",
            "group:default/platform",
            1,
            "already exists",
        ),
        (
            "group:default/other-team",
            "user:default/other-team",
            2,
            "cannot change the kind",
        ),
        (
            "group:default/other-team",
            "Bad!Name",
            2,
            "is not a valid entity name",
        ),
        (
            "component:default/search",
            "web/search-ui",
            1,
            "component:web/search-ui already exists",
        ),
    ] {
        let out = run(dir, &["catalog", "rename", from, to, "--write"]);
        assert_exit(&out, status);
        assert!(
            stderr(&out).contains(message),
            "rename {from} {to}: wanted `{message}`\n{}",
            show(&out)
        );
    }
    assert_eq!(snapshot(dir), before);
}

#[test]
fn rename_map_cycles_are_refused_and_nothing_is_written() {
    let tmp = copy_of("rename-map-refused/input");
    let dir = tmp.path();
    fs::write(
        dir.join("swap.csv"),
        "group:team-a,team-b\ngroup:team-b,team-a\n",
    )
    .unwrap();
    let before = snapshot(dir);
    let out = run(dir, &["catalog", "rename", "--map", "swap.csv", "--write"]);
    assert_exit(&out, 2);
    for line in [
        "error: swap.csv:1: group:default/team-b is the new name here and is itself renamed at swap.csv:2",
        "error: swap.csv:2: group:default/team-a is the new name here and is itself renamed at swap.csv:1",
    ] {
        assert!(stderr(&out).contains(line), "{line}\n{}", show(&out));
    }
    // A map that does not exist is a usage error too.
    let out = run(dir, &["catalog", "rename", "--map", "missing.csv"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("missing.csv"), "{}", show(&out));
    assert_eq!(snapshot(dir), before);
}

#[test]
fn rename_map_merge_moves_two_teams_onto_one_and_reports_json() {
    let tmp = copy_of("rename-map-refused/input");
    let dir = tmp.path();
    fs::write(
        dir.join("merge.csv"),
        "old,new\ngroup:team-a,team-c\ngroup:team-b,team-c\n",
    )
    .unwrap();
    let before = snapshot(dir);
    // Paths after --map are paths, not FROM and TO.
    let out = run(
        dir,
        &[
            "catalog",
            "rename",
            "--map",
            "merge.csv",
            "--merge",
            "services.yaml",
            "org.yaml",
            "-f",
            "json",
        ],
    );
    assert_exit(&out, 0);
    let v = json_of(&out);
    assert_eq!(v["status"], "dry-run", "{v}");
    let owners: Vec<(&str, &str)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["entity"].as_str().unwrap(), c["new"].as_str().unwrap()))
        .collect();
    assert_eq!(
        owners,
        [
            ("component:default/s1", "team-c"),
            ("component:default/s2", "team-c")
        ],
        "{v}"
    );
    assert_eq!(snapshot(dir), before);
    // Without --merge two lines cannot take one name.
    let out = run(dir, &["catalog", "rename", "--map", "merge.csv"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out)
            .contains("merge.csv:3: group:default/team-c is also the new name at merge.csv:2"),
        "{}",
        show(&out)
    );
}

#[test]
fn new_says_which_location_reaches_the_new_file() {
    let tmp = copy_of("new-create-file/input");
    let dir = tmp.path();
    let before = snapshot(dir);
    let new_pay = |more: &[&str]| {
        let mut args = vec![
            "catalog",
            "new",
            "component",
            "pay",
            "--owner",
            "team-a",
            "--type",
            "service",
            "--lifecycle",
            "production",
        ];
        args.extend_from_slice(more);
        run(dir, &args)
    };
    let out = new_pay(&["--file", "services/pay/catalog-info.yaml", "-f", "json"]);
    assert_exit(&out, 0);
    let v = json_of(&out);
    assert_eq!(v["location"]["reached"], true, "{v}");
    assert_eq!(v["location"]["file"], "catalog-info.yaml", "{v}");
    assert_eq!(
        v["location"]["target"], "./services/*/catalog-info.yaml",
        "{v}"
    );
    assert_eq!(v["created"][0], "services/pay/catalog-info.yaml", "{v}");
    assert!(!stderr(&out).contains("warning"), "{}", show(&out));
    // --add-to-location needs a Location with a targets list in that file.
    let out = new_pay(&[
        "--file",
        "apps/pay.yaml",
        "--add-to-location",
        "org.yaml",
        "--write",
    ]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("org.yaml holds no Location with a spec.targets list"),
        "{}",
        show(&out)
    );
    assert_eq!(snapshot(dir), before);
}

#[test]
fn new_resolves_owners_of_a_central_catalog_with_known_entities() {
    let tmp = copy_of("new-create-file/input");
    let dir = tmp.path();
    let export = tempfile::NamedTempFile::new().unwrap();
    fs::write(
        export.path(),
        r#"[{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"central","namespace":"default"},"spec":{"type":"team","children":[]}}]"#,
    )
    .unwrap();
    let before = snapshot(dir);
    let args = [
        "catalog",
        "new",
        "component",
        "web",
        "--owner",
        "central",
        "--type",
        "website",
        "--lifecycle",
        "production",
        "--file",
        "web.yaml",
    ];
    let out = run(dir, &args);
    assert_exit(&out, 1);
    assert!(
        stderr(&out)
            .contains("spec.owner refers to group:default/central, which is not in the catalog"),
        "{}",
        show(&out)
    );
    let mut known = args.to_vec();
    known.extend(["--known-entities", export.path().to_str().unwrap()]);
    let out = run(dir, &known);
    assert_exit(&out, 0);
    assert_eq!(snapshot(dir), before);
}

#[cfg(unix)]
#[test]
fn new_never_writes_outside_the_repository_or_into_git() {
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("canary.yaml");
    fs::write(&canary, "canary: untouched\n").unwrap();
    let tmp = copy_of("new-create-file/input");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    // Snapshots do not follow links: taken without them, compared once they are removed.
    let before = snapshot(dir);
    std::os::unix::fs::symlink(outside.path(), dir.join("escape")).unwrap();
    std::os::unix::fs::symlink(&canary, dir.join("link.yaml")).unwrap();
    let canary_before = snapshot(outside.path());
    for (file, message) in [
        ("escape/new.yaml", "outside the repository"),
        ("escape/deeper/new.yaml", "outside the repository"),
        ("link.yaml", "outside"),
        (".git/new.yaml", "inside a git directory"),
        (".git/hooks/new.yaml", "inside a git directory"),
        ("../new.yaml", "outside the repository"),
    ] {
        let out = run(
            dir,
            &[
                "catalog",
                "new",
                "group",
                "g",
                "--type",
                "team",
                "--file",
                file,
                "--write",
                "--allow-dirty",
            ],
        );
        assert_exit(&out, 2);
        assert!(
            stderr(&out).contains(message),
            "{file}: {message}\n{}",
            show(&out)
        );
    }
    fs::remove_file(dir.join("escape")).unwrap();
    fs::remove_file(dir.join("link.yaml")).unwrap();
    assert_eq!(snapshot(dir), before);
    assert_eq!(snapshot(outside.path()), canary_before);
    assert!(!dir.parent().unwrap().join("new.yaml").exists());
}

#[test]
fn move_refusals_and_usage_errors_write_nothing() {
    let tmp = copy_of("move-delete-old/input");
    let dir = tmp.path();
    let before = snapshot(dir);
    for (args, status, message) in [
        (
            &["component:payments", "--to", "./services.yaml"][..],
            2,
            "is in ./services.yaml already",
        ),
        (
            &["component:nope", "--to", "x.yaml"],
            2,
            "component:default/nope is not defined",
        ),
        (
            &["component:payments", "--to", "../x.yaml"],
            2,
            "outside the repository",
        ),
        (
            &["component:payments", "--to", ".git/x.yaml"],
            2,
            "inside a git directory",
        ),
        (
            &["location:root", "--to", "x.yaml"],
            1,
            "a Location's relative targets would name other files",
        ),
    ] {
        let mut all = vec!["catalog", "move"];
        all.extend_from_slice(args);
        all.push("--write");
        let out = run(dir, &all);
        assert_exit(&out, status);
        assert!(
            stderr(&out).contains(message),
            "{args:?}: {message}\n{}",
            show(&out)
        );
    }
    assert_eq!(snapshot(dir), before);
}

#[cfg(unix)]
#[test]
fn move_never_writes_through_a_link_out_of_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("canary.yaml");
    fs::write(&canary, "canary: untouched\n").unwrap();
    let tmp = copy_of("move-delete-old/input");
    let dir = tmp.path();
    let before = snapshot(dir);
    std::os::unix::fs::symlink(outside.path(), dir.join("escape")).unwrap();
    std::os::unix::fs::symlink(&canary, dir.join("link.yaml")).unwrap();
    let canary_before = snapshot(outside.path());
    for to in ["escape/new.yaml", "escape/a/b.yaml", "link.yaml"] {
        let out = run(
            dir,
            &[
                "catalog",
                "move",
                "component:payments",
                "--to",
                to,
                "--write",
            ],
        );
        assert_exit(&out, 2);
        assert!(stderr(&out).contains("outside"), "{to}\n{}", show(&out));
    }
    fs::remove_file(dir.join("escape")).unwrap();
    fs::remove_file(dir.join("link.yaml")).unwrap();
    assert_eq!(snapshot(dir), before);
    assert_eq!(snapshot(outside.path()), canary_before);
}

#[test]
fn edit_without_an_operation_exits_2() {
    let tmp = copy_of("query-catalog");
    let out = run(
        tmp.path(),
        &["catalog", "edit", "--where", "kind=Component"],
    );
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("no operation given"),
        "{}",
        show(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Scale: rename a group referenced in mixed forms across a generated catalog

fn gen_catalog() -> PathBuf {
    let script = repo().join("../shared/bench/gen-catalog");
    assert!(script.is_file(), "{} is missing", script.display());
    script
}

/// Diagnostics of `catalog validate` as (code, file, line).
fn diagnostics(dir: &Path) -> Vec<(String, String, u64)> {
    let out = run(dir, &["catalog", "validate", "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", show(&out));
    let v = json_of(&out);
    let mut list: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"]
                    .as_u64()
                    .or_else(|| d["span"]["start"]["line"].as_u64())
                    .unwrap_or(0),
            )
        })
        .collect();
    list.sort();
    list
}

/// `(code, comment)` of a line: the comment starts at the first ` #`.
fn split_comment(line: &str) -> (&str, &str) {
    match line.find(" #") {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    }
}

fn scale_rename(components: usize, rewrites: usize) {
    let script = gen_catalog();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("catalog");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(&dir)
        .args(["--components", &components.to_string()])
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen-catalog failed");

    // The renamed group: the second one (it has child groups, members, systems).
    let groups_file = dir.join("org/groups.yaml");
    let groups = fs::read_to_string(&groups_file).unwrap();
    let names: Vec<&str> = groups
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    let old = names[1].to_string();
    let new = "renamed-team";
    assert!(!names.contains(&new));
    // A comment naming the group, which must survive the rename.
    fs::write(
        &groups_file,
        format!("# {old} is renamed by the scale test\n{groups}"),
    )
    .unwrap();

    // Point `rewrites` components at the group, in mixed forms, some quoted or commented.
    let mut services: Vec<String> = files(&dir)
        .into_iter()
        .filter(|f| f.starts_with("services/") && f.ends_with("catalog-info.yaml"))
        .collect();
    services.sort();
    assert!(services.len() >= rewrites);
    let forms = |n: &str| {
        [
            n.to_string(),
            format!("group:{n}"),
            format!("default/{n}"),
            format!("group:default/{n}"),
        ]
    };
    for (i, rel) in services.iter().take(rewrites).enumerate() {
        let path = dir.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        let form = &forms(&old)[i % 4];
        let value = if i % 7 == 3 {
            format!("\"{form}\"")
        } else if i % 7 == 5 {
            format!("'{form}'")
        } else {
            form.clone()
        };
        let comment = if i % 3 == 0 {
            format!("   # was someone else's; {old} on call")
        } else {
            String::new()
        };
        let mut done = false;
        let mut out = String::new();
        if i % 5 == 0 {
            out.push_str(&format!(
                "# Owned by {old} ({form}) since the reorganisation\n"
            ));
        }
        for line in text.split_inclusive('\n') {
            if !done && line.starts_with("  owner: ") {
                out.push_str(&format!("  owner: {value}{comment}\n"));
                done = true;
            } else {
                out.push_str(line);
            }
        }
        assert!(done, "{rel} has no owner line");
        fs::write(&path, out).unwrap();
    }

    let diagnostics_before = diagnostics(&dir);
    let before = contents(&dir);

    let started = Instant::now();
    let out = run(
        &dir,
        &[
            "catalog",
            "rename",
            &format!("group:default/{old}"),
            new,
            "--write",
        ],
    );
    let elapsed = started.elapsed();
    eprintln!(
        "catalog rename across {components} components ({} files): {elapsed:.2?}",
        before.len()
    );
    assert_exit(&out, 0);

    let after = contents(&dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    let reference = regex::Regex::new(&format!(
        r#"^\s*(owner:|parent:|-)\s*["']?(group:)?(default/)?{}["']?\s*$"#,
        regex::escape(&old)
    ))
    .unwrap();
    let mut changed_lines = 0;
    let mut changed_files = 0;
    for (rel, old_bytes) in &before {
        let old_text = String::from_utf8_lossy(old_bytes);
        let new_text = String::from_utf8_lossy(&after[rel]);
        for line in new_text.lines() {
            assert!(
                !reference.is_match(split_comment(line).0),
                "{rel}: a reference to {old} was left: {line}"
            );
        }
        if old_text == new_text {
            continue;
        }
        changed_files += 1;
        let old_lines: Vec<&str> = old_text.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new_text.split_inclusive('\n').collect();
        assert_eq!(
            old_lines.len(),
            new_lines.len(),
            "{rel}: lines added or removed"
        );
        for (a, b) in old_lines.iter().zip(&new_lines) {
            if a == b {
                continue;
            }
            changed_lines += 1;
            let (a_code, a_comment) = split_comment(a);
            let (b_code, b_comment) = split_comment(b);
            assert_eq!(a_comment, b_comment, "{rel}: a comment changed:\n{a}{b}");
            assert!(
                !a.trim_start().starts_with('#'),
                "{rel}: a comment line changed:\n{a}{b}"
            );
            assert_eq!(
                a_code.matches(old.as_str()).count(),
                1,
                "{rel}: unexpected change:\n{a}{b}"
            );
            assert_eq!(
                b_code,
                a_code.replacen(old.as_str(), new, 1),
                "{rel}: the line differs by more than the name (same form, same quotes):\n{a}{b}"
            );
        }
    }
    assert!(
        changed_lines > rewrites,
        "only {changed_lines} lines changed in {changed_files} files"
    );
    // comments naming the group stay as they were
    let groups_after = fs::read_to_string(&groups_file).unwrap();
    assert!(groups_after.starts_with(&format!("# {old} is renamed by the scale test\n")));
    assert!(groups_after.contains(&format!("\n  name: {new}\n")));

    let diagnostics_after = diagnostics(&dir);
    let new_diagnostics: Vec<_> = diagnostics_after
        .iter()
        .filter(|d| !diagnostics_before.contains(d))
        .collect();
    assert!(
        new_diagnostics.is_empty(),
        "the rename introduced diagnostics: {new_diagnostics:?}"
    );
}

#[test]
#[ignore = "needs ../shared/bench/gen-catalog; .ci/run runs it when ../shared is there"]
fn scale_rename_200_components() {
    scale_rename(200, 40);
}

#[test]
#[ignore = "slow: 10,000 components (needs ../shared/bench/gen-catalog)"]
fn scale_rename_10000_components() {
    scale_rename(10_000, 400);
}

/// `--filter` speaks Backstage's filter syntax (the catalog API's `filter=`): commas are "and",
/// a key twice is "either", keys and values compare without case, annotation keys keep their
/// dots; several `--filter`s are "any". `--where` refuses that syntax with a hint.
#[test]
fn backstage_filter_syntax_selects_like_the_catalog_api() {
    let dir = repo().join("examples/acme");
    let refs = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["catalog", "query", "-f", "refs"];
        all.extend(args);
        let out = run(&dir, &all);
        assert_exit(&out, 0);
        stdout(&out).lines().map(String::from).collect()
    };
    assert_eq!(
        refs(&["--filter", "kind=component,spec.type=service"]),
        refs(&["--where", "kind=Component and spec.type=service"])
    );
    assert_eq!(
        refs(&["--filter", "KIND=Component,Spec.Type=SERVICE"]),
        refs(&["--filter", "kind=component,spec.type=service"]),
        "keys and values without case"
    );
    assert_eq!(
        refs(&["--filter", "kind=api,kind=system"]),
        refs(&["--where", "kind=API or kind=System"])
    );
    assert_eq!(
        refs(&["--filter", "kind=api", "--filter", "kind=system"]),
        refs(&["--where", "kind=API or kind=System"])
    );
    assert_eq!(
        refs(&["--filter", "metadata.annotations.backstage.io/techdocs-ref"]),
        refs(&["--where", "metadata.annotations[backstage.io/techdocs-ref]"])
    );
    assert_eq!(
        refs(&[
            "--where",
            "kind=Component",
            "--filter",
            "spec.lifecycle=production"
        ]),
        refs(&["--where", "kind=Component and spec.lifecycle=production"]),
        "--where and --filter together: both hold"
    );
    assert!(!refs(&["--filter", "kind=component"]).is_empty());

    // A Backstage filter pasted into --where: refused (it used to match nothing, exit 0).
    let out = run(
        &dir,
        &[
            "catalog",
            "query",
            "--where",
            "kind=component,spec.type=service",
        ],
    );
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("pass it with --filter"),
        "{}",
        show(&out)
    );
    let out = run(&dir, &["catalog", "query", "--filter", "=service"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("error: --filter `=service` is not a valid statement"),
        "{}",
        show(&out)
    );
    // edit takes --filter instead of --where.
    let out = run(
        &dir,
        &[
            "catalog",
            "edit",
            "--filter",
            "kind=group",
            "--add-tag",
            "x",
            "-f",
            "json",
        ],
    );
    assert_exit(&out, 0);
    let v = json_of(&out);
    assert_eq!(v["changes"].as_array().unwrap().len(), 5, "{v:#}");
}
