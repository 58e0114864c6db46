//! One fixture directory per diagnostic code (ruff style): `tests/diagnostics/<code-id>/`.
//!
//! A fixture directory holds the input files of one case and `expected.txt`. The test copies the
//! directory to a temporary directory (outside any git repository, so a fixture's
//! `.callboard.yaml` is the one discovered), runs
//! `callboard catalog validate --format json [ARGS...]` there and renders every diagnostic as
//! `file:line:column severity code message`, then `errors=N warnings=N notes=N`.
//!
//! Files with special meaning in a fixture directory (never copied):
//! - `expected.txt`: the expected rendering.
//! - `args`: extra command-line arguments, one per line.
//! - `setup`: files to create at run time that should not be committed (binary, huge). One
//!   directive per line, `#` starts a comment:
//!   - `write PATH TEXT`: write TEXT with the escapes `\n`, `\t`, `\\` and `\xHH` (raw bytes).
//!   - `fill PATH BYTES`: write a file of exactly BYTES bytes of YAML comment lines.
//!   - `longpath DIR LEVELS`: LEVELS nested directories of 200-character names under DIR (a
//!     path longer than PATH_MAX), with a `catalog-info.yaml` at the bottom.
//!
//! `UPDATE_EXPECT=1 cargo test --test diagnostics` rewrites every `expected.txt` from the real
//! output. Read each rewritten file before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use callboard::diag::Code;

mod common;

const SPECIAL_FILES: &[&str] = &["expected.txt", "args", "setup"];

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if from.parent() != Some(fixtures_root().as_path())
            || !SPECIAL_FILES.contains(&name.to_str().unwrap_or(""))
        {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Decodes `\n`, `\t`, `\\` and `\xHH` into bytes.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            match bytes[i + 1] {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' => {
                    let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                other => panic!("unknown escape \\{}", other as char),
            }
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn run_setup(fixture: &Path, dir: &Path) {
    let Ok(script) = fs::read_to_string(fixture.join("setup")) else {
        return;
    };
    for line in script.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (directive, path, arg) = (
            parts.next().unwrap(),
            parts.next().expect("setup: a path"),
            parts.next().unwrap_or(""),
        );
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        match directive {
            "write" => fs::write(&path, unescape(arg)).unwrap(),
            "fill" => {
                let size: usize = arg.trim().parse().expect("fill: a byte count");
                let line = format!("# {}\n", "x".repeat(76));
                let mut content = line.repeat(size / line.len() + 1).into_bytes();
                content.truncate(size);
                fs::write(&path, content).unwrap();
            }
            "longpath" => {
                // Built from the bottom up by moving short paths into new parents, so no
                // single system call sees the whole (too long) path.
                let levels: usize = arg.trim().parse().expect("longpath: a depth");
                let name = "d".repeat(200);
                fs::create_dir_all(&path).unwrap();
                let mut current = path.join("level0");
                fs::create_dir(&current).unwrap();
                fs::write(
                    current.join("catalog-info.yaml"),
                    "apiVersion: backstage.io/v1alpha1\nkind: Component\n",
                )
                .unwrap();
                for level in 1..levels {
                    let parent = path.join(format!("level{level}"));
                    fs::create_dir(&parent).unwrap();
                    fs::rename(&current, parent.join(&name)).unwrap();
                    current = parent;
                }
                fs::rename(&current, path.join(&name)).unwrap();
            }
            other => panic!("setup: unknown directive {other}"),
        }
    }
}

fn fixture_args(fixture: &Path) -> Vec<String> {
    fs::read_to_string(fixture.join("args"))
        .map(|a| {
            a.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The command a fixture runs: its `command` file (e.g. `scaffold lint` for the template codes),
/// else `catalog validate`.
fn fixture_command(fixture: &Path) -> Vec<String> {
    fs::read_to_string(fixture.join("command"))
        .map(|c| c.split_whitespace().map(String::from).collect())
        .unwrap_or_else(|_| vec!["catalog".into(), "validate".into()])
}

/// Runs `callboard COMMAND --format json ARGS` in `dir` and renders the result: one line per
/// finding (`diagnostics` of validate, `findings` of scaffold lint) and the counts.
fn render_run(dir: &Path, args: &[String]) -> String {
    render_command(dir, &["catalog".into(), "validate".into()], args)
}

fn render_command(dir: &Path, command: &[String], args: &[String]) -> String {
    let output = assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .args(command)
        .args(["--format", "json"])
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    render_output(dir, output)
}

/// `catalog validate --format json` in `dir`, rendered, run as a user without root's power to
/// read past file permissions.
#[cfg(unix)]
fn render_run_unprivileged(dir: &Path) -> String {
    let output = common::callboard_unprivileged(dir)
        .args(["catalog", "validate", "--format", "json"])
        .output()
        .unwrap();
    render_output(dir, output)
}

fn render_output(dir: &Path, output: std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            output.status.code()
        )
    });
    let mut out = String::new();
    let findings = json
        .get("diagnostics")
        .or_else(|| json.get("findings"))
        .and_then(|f| f.as_array())
        .expect("diagnostics or findings");
    let count = |severity: &str| {
        findings
            .iter()
            .filter(|d| d["severity"] == severity && d.get("suppressed").is_none())
            .count()
    };
    let mut summary = serde_json::json!({
        "errors": count("error"),
        "warnings": count("warning"),
        "notes": count("note"),
    });
    if json
        .get("summary")
        .is_some_and(|s| s.get("suppressed").is_some())
    {
        summary["suppressed"] = findings
            .iter()
            .filter(|d| d.get("suppressed").is_some())
            .count()
            .into();
    }
    if let Some(s) = json.get("summary") {
        assert_eq!(s, &summary, "the summary counts the diagnostics");
    }
    for d in findings {
        out.push_str(&format!(
            "{}:{}:{} {} {} {}\n",
            d["file"].as_str().unwrap_or("<none>"),
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap(),
        ));
        if let Some(by) = d.get("suppressed") {
            out.insert_str(
                out.len() - 1,
                &format!(
                    " [suppressed by {} {}]",
                    by["kind"].as_str().unwrap(),
                    by["source"].as_str().unwrap()
                ),
            );
        }
    }
    let s = &summary;
    out.push_str(&format!(
        "errors={} warnings={} notes={}\n",
        s["errors"], s["warnings"], s["notes"]
    ));
    if s["suppressed"].as_u64().is_some_and(|n| n > 0) {
        out.push_str(&format!("suppressed={}\n", s["suppressed"]));
    }
    // The exit status follows from the summary (no --deny-warnings in fixtures).
    let expected_status = if s["errors"].as_u64().unwrap() > 0 {
        1
    } else {
        0
    };
    assert_eq!(
        output.status.code(),
        Some(expected_status),
        "exit status does not match the summary; stderr:\n{stderr}"
    );
    // Temporary paths must never leak into the expectation.
    let real = dir.canonicalize().unwrap();
    out.replace(&real.display().to_string(), "<dir>")
        .replace(&dir.display().to_string(), "<dir>")
}

fn check_fixture(name: &str) {
    // The `file-unreadable` fixture reads /proc/self/mem (unreadable at offset 0 even for root).
    if name == "file-unreadable" && !cfg!(target_os = "linux") {
        return;
    }
    let fixture = fixtures_root().join(name);
    assert!(
        fixture.is_dir(),
        "no fixture directory {}",
        fixture.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture, tmp.path());
    run_setup(&fixture, tmp.path());
    let actual = render_command(
        tmp.path(),
        &fixture_command(&fixture),
        &fixture_args(&fixture),
    );
    let expected_path = fixture.join("expected.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_EXPECT=1 to create it",
            expected_path.display()
        )
    });
    if expected != actual {
        panic!(
            "fixture {name}: output differs from {}\n--- expected\n{expected}--- actual\n{actual}",
            expected_path.display()
        );
    }
}

macro_rules! fixtures {
    ($( $test:ident => $dir:literal, )*) => {
        const FIXTURES: &[&str] = &[ $( $dir, )* ];
        $(
            #[test]
            fn $test() {
                check_fixture($dir);
            }
        )*
    };
}

fixtures! {
    file_unreadable => "file-unreadable",
    file_not_utf8 => "file-not-utf8",
    file_binary => "file-binary",
    file_too_large => "file-too-large",
    walk_unreadable => "walk-unreadable",
    ignore_file_invalid => "ignore-file-invalid",
    yaml_syntax => "yaml-syntax",
    yaml_duplicate_key => "yaml-duplicate-key",
    yaml_alias_limit => "yaml-alias-limit",
    yaml_depth_limit => "yaml-depth-limit",
    root_not_mapping => "root-not-mapping",
    missing_field => "missing-field",
    wrong_type => "wrong-type",
    empty_value => "empty-value",
    invalid_value => "invalid-value",
    unknown_root_field => "unknown-root-field",
    invalid_api_version => "invalid-api-version",
    invalid_kind => "invalid-kind",
    invalid_name => "invalid-name",
    invalid_namespace => "invalid-namespace",
    invalid_label_key => "invalid-label-key",
    invalid_label_value => "invalid-label-value",
    invalid_annotation_key => "invalid-annotation-key",
    invalid_annotation_value => "invalid-annotation-value",
    invalid_tag => "invalid-tag",
    invalid_link => "invalid-link",
    unknown_kind => "unknown-kind",
    invalid_entity_ref => "invalid-entity-ref",
    missing_ref_kind => "missing-ref-kind",
    invalid_placeholder => "invalid-placeholder",
    placeholder_target_missing => "placeholder-target-missing",
    remote_placeholder => "remote-placeholder",
    location_target_missing => "location-target-missing",
    location_target_invalid => "location-target-invalid",
    location_target_kind_not_allowed => "location-target-kind-not-allowed",
    location_target_trailing_slash => "location-target-trailing-slash",
    location_type_unknown => "location-type-unknown",
    remote_location_target => "remote-location-target",
    location_target_cwd_relative => "location-target-cwd-relative",
    path_outside_repository => "path-outside-repository",
    duplicate_entity => "duplicate-entity",
    unresolved_ref => "unresolved-ref",
    wrong_ref_kind => "wrong-ref-kind",
    unused_suppression => "unused-suppression",
    waiver_unmatched => "waiver-unmatched",
    waiver_expiry_too_far => "waiver-expiry-too-far",
    template_source => "template-source",
    kind_not_allowed => "kind-not-allowed",
    custom_schema => "custom-schema",
    syntax_error => "syntax-error",
    unknown_filter => "unknown-filter",
    js_operator => "js-operator",
    js_length => "js-length",
    js_method => "js-method",
    js_method_unsupported => "js-method-unsupported",
    github_expression => "github-expression",
    ignored_arguments => "ignored-arguments",
    undefined_variable => "undefined-variable",
    duplicate_step_id => "duplicate-step-id",
    copy_without_render => "copy-without-render",
    skeleton_outside_template => "skeleton-outside-template",
}

/// The codes each `expected.txt` reports (third field of each diagnostic line).
fn codes_in(expected: &str) -> Vec<String> {
    expected
        .lines()
        .filter(|l| !l.starts_with("errors="))
        .filter_map(|l| l.split(' ').nth(2).map(String::from))
        .collect()
}

#[test]
fn every_code_has_a_fixture() {
    let mut problems = Vec::new();
    for code in Code::ALL {
        let dir = fixtures_root().join(code.id());
        match fs::read_to_string(dir.join("expected.txt")) {
            Err(_) => problems.push(format!("{}: no {}/expected.txt", code.id(), dir.display())),
            Ok(text) if !codes_in(&text).iter().any(|c| c == code.id()) => {
                problems.push(format!("{}: expected.txt does not report it", code.id()))
            }
            Ok(_) => {}
        }
        if !FIXTURES.contains(&code.id()) {
            problems.push(format!("{}: fixture not listed in fixtures!", code.id()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_directory_is_run_and_names_a_real_code() {
    let mut dirs: Vec<String> = fs::read_dir(fixtures_root())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        dirs, listed,
        "fixture directories and fixtures! list differ"
    );
    for dir in &dirs {
        assert!(
            Code::from_id(dir).is_some(),
            "fixture {dir} is not a diagnostic code"
        );
        // Every code an expectation mentions is a real code with its default severity
        // (fixtures do not override severities).
        let text =
            fs::read_to_string(fixtures_root().join(dir).join("expected.txt")).unwrap_or_default();
        for line in text
            .lines()
            .filter(|l| !l.starts_with("errors=") && !l.starts_with("suppressed="))
        {
            let mut fields = line.split(' ');
            let (_, severity, code) = (fields.next(), fields.next(), fields.next());
            let code = Code::from_id(code.unwrap_or(""))
                .unwrap_or_else(|| panic!("{dir}/expected.txt: unknown code in line {line:?}"));
            assert_eq!(
                severity,
                Some(code.default_severity().as_str()),
                "{dir}/expected.txt: {line}"
            );
        }
    }
}

/// `file-unreadable` through file permissions, run as an unprivileged user (root reads mode-000
/// files; the `file-unreadable` fixture covers the code with `/proc/self/mem` as well).
#[cfg(unix)]
#[test]
fn file_unreadable_by_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("catalog-info.yaml");
    fs::write(&file, "apiVersion: backstage.io/v1alpha1\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    let out = render_run_unprivileged(tmp.path());
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        out,
        "catalog-info.yaml:1:1 error file-unreadable cannot read file: Permission denied (os error 13)\n\
         errors=1 warnings=0 notes=0\n"
    );
}

/// `walk-unreadable` through a directory the user may not list (the fixture covers a path
/// longer than PATH_MAX), run as an unprivileged user.
#[cfg(unix)]
#[test]
fn walk_unreadable_directory_by_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret");
    fs::create_dir(&secret).unwrap();
    fs::write(
        secret.join("catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\n",
    )
    .unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let out = render_run_unprivileged(tmp.path());
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        out,
        "secret:1:1 error walk-unreadable cannot read this path while looking for catalog files: Permission denied (os error 13)\n\
         errors=1 warnings=0 notes=0\n"
    );
}

/// A walked YAML file that cannot be read is reported only when its name says it is a catalog
/// file; other unreadable YAML may not be catalog files at all.
#[test]
fn unreadable_walked_file_not_named_catalog_info_is_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("blob.yaml"), b"a: 1\n\x00\x00").unwrap();
    fs::write(tmp.path().join("catalog-info.yaml"), b"a: 1\n\x00\x00").unwrap();
    assert_eq!(
        render_run(tmp.path(), &[]),
        "catalog-info.yaml:1:1 error file-binary file contains NUL bytes: it is binary, not YAML\n\
         errors=1 warnings=0 notes=0\n"
    );
    // Named explicitly, it is always read.
    assert_eq!(
        render_run(tmp.path(), &["blob.yaml".to_string()]),
        "blob.yaml:1:1 error file-binary file contains NUL bytes: it is binary, not YAML\n\
         errors=1 warnings=0 notes=0\n"
    );
}

/// The size limit is exact: 16 MiB is accepted, one byte more is not.
#[test]
fn file_too_large_limit_is_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    fs::create_dir(&fixture).unwrap();
    fs::write(fixture.join("setup"), "fill catalog-info.yaml 16777216\n").unwrap();
    let dir = tmp.path().join("run");
    fs::create_dir(&dir).unwrap();
    run_setup(&fixture, &dir);
    assert_eq!(
        fs::metadata(dir.join("catalog-info.yaml")).unwrap().len(),
        16 * 1024 * 1024
    );
    assert_eq!(render_run(&dir, &[]), "errors=0 warnings=0 notes=0\n");
}

/// A BOM at the start of a file is not part of the YAML (and not "binary").
#[test]
fn utf8_bom_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend_from_slice(
        b"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
    );
    fs::write(tmp.path().join("catalog-info.yaml"), text).unwrap();
    assert_eq!(render_run(tmp.path(), &[]), "errors=0 warnings=0 notes=0\n");
}

#[test]
fn setup_unescape() {
    assert_eq!(unescape(r"a\nb\x00\xff\\\t"), b"a\nb\x00\xff\\\t".to_vec());
}

/// A string where a list of references belongs is one mistake (wrong-type); Backstage rejects the
/// entity, so the string must not also be resolved as a reference.
#[test]
fn string_in_a_reference_list_field_is_only_wrong_type() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n  providesApis: checkout-api\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
    )
    .unwrap();
    assert_eq!(
        render_run(tmp.path(), &[]),
        "catalog-info.yaml:9:17 error wrong-type spec.providesApis must be a list of strings, found string\n\
         errors=1 warnings=0 notes=0\n"
    );
}
