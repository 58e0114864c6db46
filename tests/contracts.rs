//! The contracts every command shares (issue 11): one exit-status table, valid JSON on failure,
//! one set of format names, a missing path is a usage error everywhere, and the typed results
//! of the bulk commands (what was written, every refusal) — each case once failed.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use clap::CommandFactory;
use serde_json::Value;

mod common;

fn callboard(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn show(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn component(name: &str, owner: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: {owner}\n"
    )
}

fn group(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {name}\nspec:\n  type: team\n  children: []\n"
    )
}

/// A committed catalog repository in a directory whose name contains "wrote " (which once
/// made `edit --format json` claim a write).
fn catalog_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("we wrote this");
    write(&dir, "team-a.yaml", &group("team-a"));
    write(&dir, "svc.yaml", &component("svc", "team-a"));
    common::git(&dir, &["init", "-q", "-b", "main"], None, None);
    common::git(&dir, &["add", "."], None, None);
    common::git(&dir, &["commit", "-qm", "init"], None, None);
    (tmp, dir)
}

fn json_stdout(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", show(o)))
}

#[test]
fn edit_json_reports_written_from_what_happened_not_from_text() {
    let (_tmp, dir) = catalog_repo();
    // A dirty tree: nothing is written, whatever the directory is called.
    write(
        &dir,
        "svc.yaml",
        &component("svc", "team-a").replace("service", "website"),
    );
    let args = [
        "catalog",
        "edit",
        "--where",
        "kind=Component",
        "--add-tag",
        "x",
        "--write",
        "-f",
        "json",
    ];
    let out = callboard(&dir, &args);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let v = json_stdout(&out);
    assert_eq!(v["written"], false, "{v}");
    assert_eq!(v["status"], "dirty", "{v}");
    assert!(
        !std::fs::read_to_string(dir.join("svc.yaml"))
            .unwrap()
            .contains("tags")
    );

    // The diff format says "not written" on stdout too.
    let out = callboard(&dir, &args[..args.len() - 2]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(not written)"),
        "{}",
        show(&out)
    );

    common::git(&dir, &["commit", "-qam", "website"], None, None);
    let out = callboard(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let v = json_stdout(&out);
    assert_eq!(
        (v["written"].clone(), v["status"].clone()),
        (true.into(), "written".into())
    );
    assert!(
        std::fs::read_to_string(dir.join("svc.yaml"))
            .unwrap()
            .contains("tags: [x]")
    );
}

#[test]
fn a_git_error_in_the_dirty_check_is_not_clean() {
    let (_tmp, dir) = catalog_repo();
    // A repository whose index git cannot read.
    std::fs::write(dir.join(".git/index"), b"DIRC garbage").unwrap();
    let out = callboard(
        &dir,
        &[
            "catalog",
            "edit",
            "--where",
            "kind=Component",
            "--add-tag",
            "x",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("cannot tell whether the git work tree is clean"),
        "{}",
        show(&out)
    );
    assert!(
        !std::fs::read_to_string(dir.join("svc.yaml"))
            .unwrap()
            .contains("tags")
    );
}

#[test]
fn a_missing_path_is_a_usage_error_in_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "svc.yaml", &component("svc", "team-a"));
    let cases: &[&[&str]] = &[
        &["catalog", "validate", "nope"],
        &["catalog", "query", "nope"],
        &[
            "catalog",
            "edit",
            "nope",
            "--where",
            "kind=Component",
            "--add-tag",
            "x",
        ],
        &["catalog", "rename", "component:svc", "svc2", "nope"],
        &["catalog", "graph", "nope"],
        &["catalog", "migrate", "template-v1beta3", "--path", "nope"],
        &["score", "nope"],
        &["adoption", "report", "nope"],
        &["scaffold", "check", "nope"],
        &["scaffold", "update", "nope"],
    ];
    for args in cases {
        let out = callboard(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{}", show(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("nope does not exist"),
            "{args:?}\n{}",
            show(&out)
        );
    }
}

#[test]
fn json_on_failure_is_valid_json_with_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[&[&str]] = &[
        &["catalog", "validate", "nope", "-f", "json"],
        &["catalog", "query", "nope", "-f", "json"],
        &["catalog", "query", "--where", "(kind=API", "-f", "ndjson"],
        &["score", "nope", "-f", "json"],
        &["adoption", "report", "nope", "-f", "json"],
        &["scaffold", "show", "no-such-template", "-f", "json"],
        &["scaffold", "check", "nope", "-f", "json"],
    ];
    for args in cases {
        let out = callboard(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{}", show(&out));
        let v = json_stdout(&out);
        assert_eq!(v["status"], 2, "{args:?}: {v}");
        assert_eq!(v["error"]["kind"], "usage", "{args:?}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{args:?}: {v}"
        );
    }
}

/// Every file in `dir` (not below it), sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_that_cannot_be_written_exits_3_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "svc.yaml", &component("svc", "team-a"));
    write(tmp.path(), "team-a.yaml", &group("team-a"));
    std::fs::create_dir(tmp.path().join("taken")).unwrap();
    let before = names_in(tmp.path());
    for output in ["taken", "missing/report.out"] {
        for command in [
            &["catalog", "validate"][..],
            &["score"],
            &["adoption", "report"],
        ] {
            for format in ["text", "json"] {
                let mut args = command.to_vec();
                args.extend(["--output", output, "-f", format, "."]);
                let out = callboard(tmp.path(), &args);
                assert_eq!(out.status.code(), Some(3), "{args:?}\n{}", show(&out));
                let expected = if output == "taken" {
                    "taken is a directory"
                } else {
                    "cannot write missing/report.out: No such file"
                };
                let message = if format == "json" {
                    let v = json_stdout(&out);
                    v["error"]["message"].as_str().unwrap().to_string()
                } else {
                    String::from_utf8_lossy(&out.stderr).into_owned()
                };
                assert!(message.contains(expected), "{args:?}\n{}", show(&out));
                assert!(!message.contains(".callboard"), "{args:?}\n{}", show(&out));
                assert_eq!(names_in(tmp.path()), before, "{args:?}");
                assert!(names_in(&tmp.path().join("taken")).is_empty(), "{args:?}");
            }
        }
    }
}

/// A read-only directory as `--output`'s parent, as a user root's power does not reach past.
#[cfg(unix)]
#[test]
fn an_output_in_a_read_only_directory_exits_3_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "svc.yaml", &component("svc", "team-a"));
    let locked = tmp.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = common::callboard_unprivileged(tmp.path())
        .args(["catalog", "validate", "--output", "locked/report.txt", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write locked/report.txt: Permission denied"),
        "{}",
        show(&out)
    );
    assert!(names_in(&locked).is_empty(), "{:?}", names_in(&locked));
}

#[test]
fn one_set_of_format_names_with_the_old_ones_as_aliases() {
    let acme = repo().join("examples/acme");
    let acme = acme.to_str().unwrap();
    for args in [
        vec!["catalog", "validate", acme, "-f", "text"],
        vec!["catalog", "validate", acme, "-f", "human"],
        vec!["catalog", "query", acme, "-f", "text"],
        vec!["catalog", "query", acme, "-f", "table"],
        vec!["score", acme, "-f", "text"],
        vec!["score", acme, "-f", "table"],
        vec!["scaffold", "list", "--catalog", acme, "-f", "text"],
        vec![
            "catalog",
            "edit",
            acme,
            "--where",
            "kind=Component",
            "--add-tag",
            "x",
            "-f",
            "text",
        ],
    ] {
        let out = callboard(repo(), &args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}\n{}",
            show(&out)
        );
    }
}

#[test]
fn rename_lists_every_blocker_in_the_same_order_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "team-a.yaml", &group("team-a"));
    // Two references that cannot be edited safely (an alias, a block scalar), in two files.
    write(
        tmp.path(),
        "b.yaml",
        &component("b", "team-a").replace("owner: team-a", "owner: &o team-a"),
    );
    write(
        tmp.path(),
        "a.yaml",
        &component("a", "team-a").replace("owner: team-a", "owner: |-\n    team-a"),
    );
    write(tmp.path(), "c.yaml", &component("c", "team-a"));
    let args = [
        "catalog",
        "rename",
        "group:team-a",
        "team-b",
        "-f",
        "json",
        "--write",
        "--allow-dirty",
    ];
    let first = callboard(tmp.path(), &args);
    assert_eq!(first.status.code(), Some(1), "{}", show(&first));
    let v = json_stdout(&first);
    let files: Vec<&str> = v["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a.yaml", "b.yaml"], "{v}");
    assert_eq!(v["written"], false);
    assert_eq!(v["status"], "refused");
    for _ in 0..5 {
        assert_eq!(callboard(tmp.path(), &args).stdout, first.stdout);
    }
    // Nothing was written, not even the file that could be edited.
    assert!(
        std::fs::read_to_string(tmp.path().join("c.yaml"))
            .unwrap()
            .contains("owner: team-a")
    );
}

#[test]
fn rename_onto_a_taken_name_is_a_refusal_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "team-a.yaml", &group("team-a"));
    write(tmp.path(), "team-b.yaml", &group("team-b"));
    let out = callboard(
        tmp.path(),
        &["catalog", "rename", "group:team-a", "team-b", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let v = json_stdout(&out);
    assert_eq!(v["refused"][0]["file"], "team-b.yaml", "{v}");
    // Asking for an entity that does not exist is a usage error.
    let out = callboard(tmp.path(), &["catalog", "rename", "group:nobody", "team-c"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
}

#[test]
fn a_new_duplicate_names_its_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "team-a.yaml", &group("team-a"));
    write(tmp.path(), "a.yaml", &component("a", "team-a"));
    write(tmp.path(), "b.yaml", &component("b", "team-a"));
    let out = callboard(
        tmp.path(),
        &[
            "catalog",
            "edit",
            "--where",
            "name=b",
            "--set",
            "metadata.name=a",
            "-f",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let v = json_stdout(&out);
    let dup = v["newErrors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "duplicate-entity")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(dup["file"], "b.yaml", "{v}");
    assert_eq!(dup["line"], 4, "{v}");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains(":0:"), "{text}");
    assert!(text.contains("b.yaml:4:"), "{text}");
}

#[test]
fn graph_labels_are_escaped_for_dot_and_mermaid() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "svc.yaml",
        &format!(
            "{}  dependsOn:\n    - 'component:x\"]y'\n",
            component("svc", "team-a")
        ),
    );
    let dot = callboard(tmp.path(), &["catalog", "graph", "-f", "dot"]);
    let dot = String::from_utf8_lossy(&dot.stdout);
    assert!(dot.contains(r#""component:default/x\"]y""#), "{dot}");
    let mermaid = callboard(tmp.path(), &["catalog", "graph", "-f", "mermaid"]);
    let mermaid = String::from_utf8_lossy(&mermaid.stdout);
    assert!(mermaid.contains("x#quot;#93;y"), "{mermaid}");
    for line in mermaid.lines().skip(1) {
        // Inside a label only the delimiters themselves may stand.
        let label = line
            .split_once("[\"")
            .map(|(_, l)| l.trim_end_matches("\"]"));
        if let Some(label) = label {
            assert!(!label.contains(['"', ']', '[']), "{line}");
        }
    }
}

#[test]
fn help_texts_match_the_binary() {
    let out = callboard(repo(), &["adoption", "report", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("not implemented"), "{help}");
    assert!(help.contains("every format"), "{help}");
    let out = callboard(repo(), &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains(callboard::cli::EXIT_STATUS), "{help}");
}

#[test]
fn an_unknown_min_level_lists_each_level_once() {
    let out = callboard(
        repo(),
        &["score", "examples/acme", "--min-level", "platinum"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stderr);
    let levels = text
        .split("(levels: ")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    let names: Vec<&str> = levels
        .trim_end()
        .trim_end_matches(')')
        .split(", ")
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{text}");
}

#[test]
fn the_exit_status_table_is_the_same_in_readme_help_and_docs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let docs = std::fs::read_to_string(repo().join("docs/exit-status.md")).unwrap();
    for (name, text) in [("README.md", &readme), ("docs/exit-status.md", &docs)] {
        assert!(
            text.contains(callboard::cli::EXIT_STATUS),
            "{name} does not hold the exit-status table of `callboard --help`:\n{}",
            callboard::cli::EXIT_STATUS
        );
    }
}

#[test]
fn the_cli_definition_is_consistent_and_every_flag_has_help() {
    let cmd = callboard::cli::Cli::command();
    cmd.clone().debug_assert();
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {} (command)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&cmd, "callboard", &mut missing);
    assert!(missing.is_empty(), "without help: {missing:#?}");
}

/// `--config` and a report's `--output FILE` are one flag group each (cli::ConfigArgs,
/// cli::OutputArgs): the same short name, value name and help wherever they appear.
#[test]
fn shared_flags_read_the_same_in_every_command() {
    fn walk(cmd: &clap::Command, path: &str, seen: &mut Vec<(String, String)>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            let value = arg
                .get_value_names()
                .map(|v| v.join(" "))
                .unwrap_or_default();
            // `scaffold run --output DIR` is a directory to create, another flag.
            if id == "config" || (id == "output" && value == "FILE") {
                seen.push((
                    format!("{path}: --{id}"),
                    format!(
                        "-{:?} {value} {}",
                        arg.get_short(),
                        arg.get_help().map(|h| h.to_string()).unwrap_or_default()
                    ),
                ));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), seen);
        }
    }
    let mut seen = Vec::new();
    walk(&callboard::cli::Cli::command(), "callboard", &mut seen);
    for flag in ["--config", "--output"] {
        let forms: std::collections::BTreeSet<&str> = seen
            .iter()
            .filter(|(at, _)| at.ends_with(flag))
            .map(|(_, form)| form.as_str())
            .collect();
        assert_eq!(forms.len(), 1, "{flag} differs: {seen:#?}");
    }
    assert!(seen.len() >= 10, "{seen:#?}");
}

#[test]
fn usage_errors_exit_2_and_name_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("callboard")
        .unwrap()
        .current_dir(tmp.path())
        .args(["catalog", "edit", "--where", "kind=Component"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no operation given"));
}

/// A catalog with a custom kind declared in .callboard.yaml (default relations, or `relations`).
fn custom_kind_catalog(relations: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        ".callboard.yaml",
        &format!(
            "version: 1\nkinds:\n  - kind: AiResource\n    apiVersions: [backstage.io/v1alpha1]\n    schema: ai.schema.json\n{relations}"
        ),
    );
    write(tmp.path(), "ai.schema.json", r#"{"type": "object"}"#);
    write(tmp.path(), "team-a.yaml", &group("team-a"));
    write(
        tmp.path(),
        "model.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: AiResource\nmetadata:\n  name: model\nspec:\n  owner: team-a  # the owning team\n  dependsOn: [resource:gpu-pool]\n  trainedOn: dataset-x\n",
    );
    tmp
}

/// The JSON pointers of `unresolved-ref` findings in a validate report.
fn unresolved_paths(v: &Value) -> Vec<&str> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unresolved-ref")
        .map(|d| d["path"].as_str().unwrap_or_default())
        .collect()
}

#[test]
fn custom_kinds_relation_fields_are_seen_by_validate_and_rename() {
    let tmp = custom_kind_catalog("");
    let out = callboard(tmp.path(), &["catalog", "validate", "-f", "json"]);
    let v = json_stdout(&out);
    let unresolved = unresolved_paths(&v);
    assert_eq!(unresolved, ["/spec/dependsOn/0"], "{v:#}");

    let out = callboard(
        tmp.path(),
        &[
            "catalog",
            "rename",
            "group:team-a",
            "team-b",
            "--write",
            "--allow-dirty",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let text = std::fs::read_to_string(tmp.path().join("model.yaml")).unwrap();
    assert!(
        text.contains("  owner: team-b  # the owning team\n"),
        "{text}"
    );
}

#[test]
fn custom_kinds_can_declare_their_own_relation_fields() {
    let tmp = custom_kind_catalog(
        "    relations:\n      - {field: trainedOn, relation: dependsOn, defaultKind: Resource, kinds: [resource]}\n",
    );
    let out = callboard(tmp.path(), &["catalog", "validate", "-f", "json"]);
    let v = json_stdout(&out);
    let unresolved = unresolved_paths(&v);
    // Only the declared field: owner and dependsOn are not relations of this kind now.
    assert_eq!(unresolved, ["/spec/trainedOn"], "{v:#}");

    let tmp = custom_kind_catalog("    relations:\n      - {field: x, relation: ownedby}\n");
    let out = callboard(tmp.path(), &["catalog", "validate"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean ownedBy"),
        "{}",
        show(&out)
    );
}

#[test]
fn skeletons_of_v1beta2_templates_are_sources_not_entities() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "templates/old/template.yaml",
        "apiVersion: scaffolder.backstage.io/v1beta2\nkind: Template\nmetadata:\n  name: old\nspec:\n  owner: team-a\n  type: service\n  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n",
    );
    write(
        tmp.path(),
        "templates/old/skeleton/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: production\n  owner: ${{ values.owner }}\n",
    );
    let out = callboard(tmp.path(), &["catalog", "validate", "-f", "json"]);
    let v = json_stdout(&out);
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert!(
        files.iter().all(|f| !f.contains("skeleton")),
        "the skeleton is not validated: {v:#}"
    );
    // The template itself is still reported (v1beta2 is not accepted by Backstage 1.x).
    assert!(files.contains(&"templates/old/template.yaml"), "{v:#}");
}

/// The property names at `pointer` of a JSON Schema in docs/.
fn schema_keys(schema: &str, pointer: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("docs").join(schema)).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let node = v
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{schema} has no {pointer}"));
    let mut keys: Vec<String> = node
        .as_object()
        .unwrap_or_else(|| panic!("{schema}{pointer} is not an object"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    keys.sort();
    keys
}

fn schema_enum(schema: &str, pointer: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("docs").join(schema)).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut values: Vec<String> = v
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{schema} has no enum at {pointer}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    values.sort();
    values
}

/// The JSON Schemas in docs/ are for editors; the readers are the truth. A key one accepts and
/// the other does not fails here.
#[test]
fn the_json_schemas_in_docs_match_the_readers() {
    use callboard::config as c;
    use callboard::score::{model as m, waiver as w};
    let cases: &[(&str, &str, &[&str])] = &[
        ("scorecard.schema.json", "/properties", m::SCORECARD_KEYS),
        (
            "scorecard.schema.json",
            "/properties/spec/properties",
            m::SPEC_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/properties/spec/properties/appliesTo/properties",
            m::APPLIES_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/properties/spec/properties/defaults/properties",
            m::DEFAULT_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/properties/spec/properties/gate/properties",
            m::GATE_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/definitions/rule/properties",
            m::RULE_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/definitions/tier/properties",
            callboard::score::tier::TIER_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/definitions/campaign/properties",
            callboard::score::campaign::CAMPAIGN_KEYS,
        ),
        (
            "scorecard.schema.json",
            "/definitions/leaf/properties",
            m::LEAF_KEYS,
        ),
        ("waivers.schema.json", "/properties", w::FILE_KEYS),
        (
            "waivers.schema.json",
            "/definitions/waiver/properties",
            w::WAIVER_KEYS,
        ),
        ("config.schema.json", "/properties", c::TOP_KEYS),
        (
            "config.schema.json",
            "/properties/kinds/items/properties",
            c::KIND_KEYS,
        ),
        (
            "config.schema.json",
            "/properties/kinds/items/properties/relations/items/properties",
            c::RELATION_KEYS,
        ),
        (
            "config.schema.json",
            "/definitions/format/properties",
            c::FORMAT_KEYS,
        ),
        (
            "config.schema.json",
            "/properties/suppress/items/properties",
            c::SUPPRESS_KEYS,
        ),
        (
            "config.schema.json",
            "/properties/score/properties",
            c::SCORE_KEYS,
        ),
    ];
    for (schema, pointer, keys) in cases {
        assert_eq!(
            schema_keys(schema, pointer),
            sorted(keys),
            "{schema}{pointer}"
        );
    }
    let ops: Vec<&str> = m::Op::ALL.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        schema_enum(
            "scorecard.schema.json",
            "/definitions/leaf/properties/op/enum"
        ),
        sorted(&ops)
    );
    assert_eq!(
        schema_enum(
            "waivers.schema.json",
            "/definitions/waiver/properties/reason/enum"
        ),
        sorted(w::REASONS)
    );
    assert_eq!(
        schema_enum(
            "config.schema.json",
            "/properties/kinds/items/properties/relations/items/properties/relation/enum"
        ),
        sorted(c::RELATION_TYPES)
    );
    let codes: Vec<&str> = callboard::diag::Code::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(
        schema_enum(
            "config.schema.json",
            "/properties/severity/propertyNames/enum"
        ),
        sorted(&codes),
        "config.schema.json: severity codes"
    );
}

#[test]
fn scaffold_reads_the_same_configuration_as_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let template = |name: &str| {
        format!(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: {name}\nspec:\n  owner: group:default/platform\n  type: service\n  steps: []\n"
        )
    };
    write(
        tmp.path(),
        "templates/kept/template.yaml",
        &template("kept"),
    );
    write(
        tmp.path(),
        "vendor/other/template.yaml",
        &template("vendored"),
    );
    write(
        tmp.path(),
        ".callboard.yaml",
        "version: 1\nexclude:\n  - \"vendor/**\"\n",
    );
    common::git(tmp.path(), &["init", "-q", "-b", "main"], None, None);
    let out = callboard(tmp.path(), &["scaffold", "list", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("template:default/kept"), "{text}");
    assert!(
        !text.contains("vendored"),
        "excluded by .callboard.yaml: {text}"
    );
}
