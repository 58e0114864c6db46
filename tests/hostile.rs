//! Hostile input: inputs built to exhaust the stack, memory or time, or to forge output.
//! Each test runs the binary and checks it ends with a clear message and the documented exit
//! status instead of a crash (a signal) or a silent success.

use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn callboard(cwd: &Path) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("callboard");
    cmd.current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    callboard(cwd).args(args).output().unwrap()
}

/// Exit status, failing the test when the process died of a signal (a stack overflow aborts).
fn code(o: &Output) -> i32 {
    o.status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{}", o.status, text(o)))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(dir: &Path, path: &str, contents: &str) {
    let file = dir.join(path);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(file, contents).unwrap();
}

const COMPONENT: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team\n";

/// A scorecard `name` for Components with one rule `rule` whose `check:` block is `check`
/// (indented by the caller, six spaces or more).
fn scorecard(name: &str, rule: &str, check: &str) -> String {
    format!(
        "apiVersion: callboard.dev/v1\nkind: Scorecard\nmetadata:\n  name: {name}\nspec:\n  appliesTo:\n    kind: [Component]\n  rules:\n    - id: {rule}\n      check:\n{check}"
    )
}

/// A block sequence nested `levels` deep under `key:` (about 2 bytes per level).
fn deep_block(key: &str, levels: usize) -> String {
    format!("{key}:\n  {}x\n", "- ".repeat(levels))
}

// ---------------------------------------------------------------------------------------------
// Depth
// ---------------------------------------------------------------------------------------------

#[test]
fn deeply_nested_catalog_file_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // 100 KB of `- `: the walker's threads overflowed their stack on this.
    let deep = format!("{COMPONENT}  deep:\n    {}x\n", "- ".repeat(50_000));
    write(dir.path(), "catalog-info.yaml", &deep);
    for args in [
        &["catalog", "validate", "."][..],
        &["catalog", "validate", "catalog-info.yaml"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(code(&out), 1, "{}", text(&out));
        let t = text(&out);
        assert!(t.contains("yaml-depth-limit"), "{t}");
        assert!(t.contains("catalog-info.yaml:10:"), "{t}");
        assert!(t.contains("256 levels"), "{t}");
    }
}

#[test]
fn deeply_nested_config_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", COMPONENT);
    write(dir.path(), ".callboard.yaml", &deep_block("kinds", 50_000));
    let out = run(dir.path(), &["catalog", "validate", "."]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains(".callboard.yaml") && t.contains("256 levels"),
        "{t}"
    );
}

#[test]
fn scorecard_with_a_thousand_nested_nots_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", COMPONENT);
    let mut check = String::new();
    for level in 0..1_000 {
        check.push_str(&format!("{}not:\n", "  ".repeat(level + 4)));
    }
    check.push_str(&format!(
        "{}{{fact: entity.metadata.name, op: exists}}\n",
        "  ".repeat(1_004)
    ));
    write(dir.path(), "deep.yaml", &scorecard("deep", "deep", &check));
    let out = run(dir.path(), &["score", "--scorecard", "deep.yaml", "."]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("deep.yaml") && t.contains("256 levels"), "{t}");
}

#[test]
fn scorecard_expression_building_gigabytes_is_a_rule_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", COMPONENT);
    // Twelve 100 MB strings joined: 4.5 GiB and exit 0 before the expression had a budget.
    let big = [r#"("x"*100000000)"#; 12].join(" ~ ");
    let check = format!("        expr: '{big} != \"\"'\n");
    write(dir.path(), "big.yaml", &scorecard("big", "huge", &check));
    let out = run(dir.path(), &["score", "--scorecard", "big.yaml", "."]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("huge (error)"), "{t}");
    assert!(
        t.contains("big.yaml: rule `huge` could not be evaluated for 1 entity")
            && t.contains("budget of 4194304 fuel"),
        "{t}"
    );
    let json = run(
        dir.path(),
        &["score", "--scorecard", "big.yaml", "--format", "json", "."],
    );
    assert_eq!(code(&json), 1, "{}", text(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rule = &v["scorecards"][0]["entities"][0]["rules"][0];
    assert_eq!(rule["status"], "error", "{rule}");
}

#[test]
fn scorecard_expression_over_the_token_limit_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", COMPONENT);
    let long = ["1"; 1_001].join(" + ");
    let check = format!("        expr: '{long} > 0'\n");
    write(dir.path(), "long.yaml", &scorecard("long", "long", &check));
    let out = run(dir.path(), &["score", "--scorecard", "long.yaml", "."]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("long.yaml:11:") && t.contains("1000 words and operators"),
        "{t}"
    );
}

#[test]
fn where_filter_with_ten_thousand_parentheses_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", COMPONENT);
    let filter = format!("{}kind=Component{}", "(".repeat(10_000), ")".repeat(10_000));
    let out = run(dir.path(), &["catalog", "query", "--where", &filter, "."]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("more than 128 levels"),
        "{}",
        text(&out)
    );
}

#[test]
fn deeply_nested_values_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tpl/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  owner: group:default/qa\n  type: service\n  steps: []\n",
    );
    write(dir.path(), "values.yaml", &deep_block("name", 50_000));
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            "tpl/template.yaml",
            "--values",
            "values.yaml",
            "--output",
            "out",
        ],
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("values.yaml") && t.contains("256 levels"), "{t}");
    assert!(!dir.path().join("out").exists());
}

// ---------------------------------------------------------------------------------------------
// Alias budget
// ---------------------------------------------------------------------------------------------

#[test]
fn many_small_documents_share_one_alias_budget() {
    let dir = tempfile::tempdir().unwrap();
    // Each document alone is under the old per-document budget (9,000 of 10,000 nodes).
    let items = vec!["x"; 1_000].join(", ");
    let aliases = ["*a"; 9].join(", ");
    let doc = format!("{COMPONENT}  a: &a [{items}]\n  b: [{aliases}]\n");
    let stream: String = (0..20).map(|_| format!("---\n{doc}")).collect();
    write(dir.path(), "catalog-info.yaml", &stream);
    let out = run(dir.path(), &["catalog", "validate", "."]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("yaml-alias-limit") && t.contains("in this file"),
        "{t}"
    );
}

// ---------------------------------------------------------------------------------------------
// Silent skips
// ---------------------------------------------------------------------------------------------

#[test]
fn walked_entity_file_with_a_bad_byte_or_a_nul_is_reported() {
    for (bytes, code_id) in [
        (&b"\xe9"[..], "file-not-utf8"),
        (&b"\x00"[..], "file-binary"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut content = COMPONENT.replace("svc", "hidden").into_bytes();
        content.extend_from_slice(b"  description: caf");
        content.extend_from_slice(bytes);
        content.push(b'\n');
        fs::write(dir.path().join("services.yaml"), content).unwrap();
        // A binary file that names no Backstage group is still not a catalog file.
        fs::write(dir.path().join("blob.yaml"), b"\x00\x01\xff").unwrap();
        let out = run(dir.path(), &["catalog", "validate", "."]);
        assert_eq!(code(&out), 1, "{}", text(&out));
        let t = text(&out);
        assert!(t.contains(code_id) && t.contains("services.yaml"), "{t}");
        assert!(!t.contains("blob.yaml"), "{t}");
    }
}

#[test]
fn broken_ignore_file_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", COMPONENT);
    write(dir.path(), ".callboardignore", "# generated\n{build\n");
    let out = run(dir.path(), &["catalog", "validate", "."]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("ignore-file-invalid") && t.contains(".callboardignore:2:1"),
        "{t}"
    );
}

// ---------------------------------------------------------------------------------------------
// Output safety
// ---------------------------------------------------------------------------------------------

/// A value with a newline and an escape sequence, as a pull request could write it.
const FORGING: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: \"ok\\n::error file=README.md,line=1::forged\\e[2J\"\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team\n";

#[test]
fn human_report_escapes_control_characters_in_values() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", FORGING);
    let out = run(dir.path(), &["catalog", "validate", "."]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("invalid-name"), "{t}");
    assert!(t.contains("\\n::error"), "{t}");
    assert!(!t.lines().any(|l| l.starts_with("::error")), "{t}");
    assert!(!t.contains('\u{1b}'), "{t}");
}

#[test]
fn github_annotations_cannot_be_forged() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "catalog-info.yaml", FORGING);
    let out = run(
        dir.path(),
        &["catalog", "validate", "--format", "github", "."],
    );
    let t = String::from_utf8(out.stdout).unwrap();
    // Two findings, two lines: the value's newline is data, not a new command.
    assert_eq!(t.lines().count(), 2, "{t}");
    assert!(t.contains("ok%0A::error file=README.md"), "{t}");
    assert!(!t.contains('\u{1b}'), "{t}");
}

#[test]
fn query_table_and_errors_escape_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "catalog-info.yaml",
        &COMPONENT.replace(
            "owner: group:default/team",
            "owner: \"team\\e]0;pwned\\a\\r::error ::x\"",
        ),
    );
    let out = run(
        dir.path(),
        &["catalog", "query", "--where", "kind=Component", "."],
    );
    let t = text(&out);
    assert!(t.contains("svc"), "{t}");
    assert!(
        !t.contains('\u{1b}') && !t.contains('\r') && !t.contains('\u{7}'),
        "{t:?}"
    );
    assert!(t.contains("\\u{1b}]0;pwned"), "{t}");
}

// ---------------------------------------------------------------------------------------------
// Limits on the command line
// ---------------------------------------------------------------------------------------------

const EMPTY_TEMPLATE: &str = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  owner: group:default/qa\n  type: service\n  steps: []\n";

#[test]
fn absurd_jobs_is_a_usage_error_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tpl/template.yaml", EMPTY_TEMPLATE);
    write(dir.path(), "rows.csv", "name\na\nb\n");
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "batch",
            "tpl/template.yaml",
            "--values-list",
            "rows.csv",
            "--output-dir",
            "out/{{ name }}",
            "--jobs",
            "100000",
        ],
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("--jobs 100000 is more than"),
        "{}",
        text(&out)
    );
    assert!(!dir.path().join("out").exists());
    // The limit itself is accepted.
    let limit = callboard::commands::scaffold::max_jobs(
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "batch",
            "tpl/template.yaml",
            "--values-list",
            "rows.csv",
            "--output-dir",
            "out/{{ name }}",
            "--jobs",
            &limit.to_string(),
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
}

// ---------------------------------------------------------------------------------------------
// CR-only line ends
// ---------------------------------------------------------------------------------------------

#[test]
fn cr_only_files_are_refused_by_edits_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let cr_only = COMPONENT.replace('\n', "\r");
    write(dir.path(), "catalog-info.yaml", &cr_only);
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec![
            "catalog",
            "edit",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=experimental",
            "--write",
            "--allow-dirty",
        ];
        args.extend_from_slice(extra);
        args.push(".");
        let out = run(dir.path(), &args);
        assert_eq!(code(&out), 1, "{}", text(&out));
        let t = text(&out);
        assert!(
            t.contains("lone carriage return") && t.contains("line 1"),
            "{t}"
        );
        assert_eq!(
            fs::read(dir.path().join("catalog-info.yaml")).unwrap(),
            cr_only.as_bytes()
        );
    }
    let out = run(
        dir.path(),
        &[
            "catalog",
            "rename",
            "component:default/svc",
            "component:default/svc2",
            "--write",
            "--allow-dirty",
            ".",
        ],
    );
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("lone carriage return"),
        "{}",
        text(&out)
    );
    assert_eq!(
        fs::read(dir.path().join("catalog-info.yaml")).unwrap(),
        cr_only.as_bytes()
    );
}

#[test]
fn cr_only_files_are_refused_by_every_migration() {
    let dir = tempfile::tempdir().unwrap();
    let annotated = COMPONENT.replace(
        "  name: svc\n",
        "  name: svc\n  annotations:\n    backstage.io/github-actions-id: org/svc\n",
    );
    let template = "apiVersion: scaffolder.backstage.io/v1beta2\nkind: Template\nmetadata:\n  name: tpl\nspec:\n  owner: group:default/team\n  type: service\n  steps:\n    - id: a\n      action: debug:log\n      input:\n        message: '{{ parameters.name }}'\n";
    let files = [
        ("catalog-info.yaml", annotated.replace('\n', "\r")),
        ("template.yaml", template.replace('\n', "\r")),
    ];
    for (name, text) in &files {
        write(dir.path(), name, text);
    }
    for migration in ["deprecated-annotations", "template-v1beta3"] {
        let out = run(
            dir.path(),
            &["catalog", "migrate", migration, "--write", "--allow-dirty"],
        );
        assert_eq!(code(&out), 1, "{migration}: {}", text(&out));
        let t = text(&out);
        assert!(
            t.contains("lone carriage return") && t.contains("line 1"),
            "{migration}: {t}"
        );
    }
    for (name, text) in &files {
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), text.as_bytes());
    }
}

#[test]
fn crlf_files_are_still_edited_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "catalog-info.yaml",
        &COMPONENT.replace('\n', "\r\n"),
    );
    let out = run(
        dir.path(),
        &[
            "catalog",
            "edit",
            "--where",
            "kind=Component",
            "--set",
            "spec.lifecycle=experimental",
            "--write",
            "--allow-dirty",
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let expected = COMPONENT
        .replace("lifecycle: production", "lifecycle: experimental")
        .replace('\n', "\r\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("catalog-info.yaml")).unwrap(),
        expected
    );
}
