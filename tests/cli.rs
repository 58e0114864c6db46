//! CLI transcript tests: output formats, exit codes and flags of `callboard catalog validate`,
//! run from the repository root on `examples/acme` (valid) and `examples/broken` (one mistake
//! per file, see examples/broken/README.md).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use callboard::diag::Code;
use serde_json::Value;

const ACME: &str = "examples/acme";
const BROKEN: &str = "examples/broken";
const WARNINGS_ONLY: &str = "tests/fixtures/warnings-only";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `callboard` with the repository root as current directory and no colour from the environment.
fn callboard() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("callboard");
    cmd.current_dir(repo())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn validate(args: &[&str]) -> Output {
    callboard()
        .args(["catalog", "validate"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn json(args: &[&str]) -> (Output, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = validate(&all);
    let value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", stdout(&out)));
    (out, value)
}

fn diagnostics(v: &Value) -> &Vec<Value> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
}

fn codes(v: &Value) -> Vec<&str> {
    diagnostics(v)
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn has_ansi(s: &str) -> bool {
    s.contains('\u{1b}')
}

// ---------------------------------------------------------------------------------------------
// Exit codes and the human summary

#[test]
fn acme_is_clean() {
    let out = validate(&[ACME, "--color", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    // Nothing but the summary line.
    assert_eq!(text.lines().count(), 1, "{text}");
    let summary = text.lines().last().unwrap();
    assert!(
        summary.ends_with(": 0 errors, 0 warnings, 0 notes"),
        "{summary}"
    );
    let (files, entities) = summary.split_once(':').unwrap().0.split_once(", ").unwrap();
    assert!(
        files
            .strip_suffix(" files")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            >= 10
    );
    assert!(
        entities
            .strip_suffix(" entities")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            >= 30
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn acme_json_has_no_diagnostics() {
    let (out, v) = json(&[ACME]);
    assert_eq!(out.status.code(), Some(0));
    assert!(diagnostics(&v).is_empty(), "{v:#}");
    assert_eq!(
        v["summary"],
        serde_json::json!({"errors": 0, "warnings": 0, "notes": 0, "suppressed": 0})
    );
}

#[test]
fn broken_exits_1_with_a_summary() {
    let out = validate(&[BROKEN, "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let summary = text.lines().last().unwrap();
    assert_eq!(
        summary, "32 files, 59 entities: 31 errors, 2 warnings, 0 notes",
        "one file per mistake, see examples/broken/README.md"
    );
}

/// Each file in examples/broken has the one mistake its README row describes.
#[test]
fn broken_files_report_their_documented_mistake() {
    let expected: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("01-name-too-long.yaml", &["invalid-name"][..]),
        ("02-name-invalid-chars.yaml", &["invalid-name"]),
        ("03-tag-uppercase.yaml", &["invalid-tag"]),
        ("04-label-value-with-space.yaml", &["invalid-label-value"]),
        (
            "05-annotation-key-with-space.yaml",
            &["invalid-annotation-key"],
        ),
        (
            "06-annotation-value-number.yaml",
            &["invalid-annotation-value"],
        ),
        (
            "07-annotation-value-boolean.yaml",
            &["invalid-annotation-value"],
        ),
        ("08-component-missing-owner.yaml", &["missing-field"]),
        ("09-spec-type-is-list.yaml", &["wrong-type"]),
        ("10-unknown-kind.yaml", &["unknown-kind"]),
        ("11-kind-lowercase.yaml", &["unknown-kind"]),
        ("12-wrong-apiversion.yaml", &["unknown-kind"]),
        ("13-template-v1beta2.yaml", &["unknown-kind"]),
        ("14-owner-ref-empty-name.yaml", &["invalid-entity-ref"]),
        ("15-dependson-without-kind.yaml", &["missing-ref-kind"]),
        ("16-dangling-owner.yaml", &["unresolved-ref"]),
        (
            "17-duplicate-entity-case.yaml",
            &["duplicate-entity", "duplicate-entity"],
        ),
        ("18-duplicate-yaml-key.yaml", &["yaml-duplicate-key"]),
        ("19-tab-indentation.yaml", &["yaml-syntax"]),
        ("20-yaml-unclosed-quote.yaml", &["yaml-syntax"]),
        ("21-root-is-list.yaml", &["root-not-mapping"]),
        ("22-text-placeholder-list.yaml", &["invalid-placeholder"]),
        (
            "23-text-placeholder-missing-file.yaml",
            &["placeholder-target-missing"],
        ),
        (
            "24-location-target-missing.yaml",
            &["location-target-missing"],
        ),
        (
            "25-location-target-trailing-slash.yaml",
            &["location-target-trailing-slash"],
        ),
        ("26-foreign-root-field.yaml", &["unknown-root-field"]),
        ("27-empty-title.yaml", &["empty-value"]),
        ("28-link-url-not-url.yaml", &["invalid-link"]),
        ("29-user-without-memberof.yaml", &["missing-field"]),
        ("30-group-without-children.yaml", &["missing-field"]),
        ("31-namespace-uppercase.yaml", &["invalid-namespace"]),
        ("32-owner-is-component.yaml", &["wrong-ref-kind"]),
    ]);
    let on_disk: Vec<String> = fs::read_dir(repo().join(BROKEN))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    assert_eq!(
        on_disk.len(),
        expected.len(),
        "update this table when files are added to examples/broken"
    );
    let (_, v) = json(&[BROKEN]);
    let mut actual: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in diagnostics(&v) {
        let file = d["file"].as_str().unwrap();
        let name = file.strip_prefix("examples/broken/").unwrap_or(file);
        actual
            .entry(name.to_string())
            .or_default()
            .push(d["code"].as_str().unwrap().to_string());
    }
    let expected: BTreeMap<String, Vec<String>> = expected
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(actual, expected);
}

// ---------------------------------------------------------------------------------------------
// --format json

#[test]
fn json_contract() {
    let (out, v) = json(&[BROKEN]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["version"], 1);
    assert_eq!(v["files"], 32);
    assert_eq!(v["entities"], 59);
    let diags = diagnostics(&v);
    assert!(!diags.is_empty());

    let mut summary = BTreeMap::from([("error", 0), ("warning", 0), ("note", 0)]);
    for d in diags {
        let code = d["code"].as_str().unwrap();
        assert!(Code::from_id(code).is_some(), "unknown code {code}");
        *summary
            .get_mut(d["severity"].as_str().unwrap())
            .expect("severity is error, warning or note") += 1;
        assert!(d["line"].as_u64().unwrap() >= 1, "{d}");
        assert!(d["column"].as_u64().unwrap() >= 1, "{d}");
        assert!(!d["message"].as_str().unwrap().is_empty());
        let file = d["file"].as_str().unwrap();
        assert!(
            file.starts_with("examples/broken/") && !file.contains('\\'),
            "paths are relative to the current directory, with /: {file}"
        );
        for key in ["entity", "path"] {
            assert!(d.get(key).is_some(), "{key} is always present (maybe null)");
        }
    }
    assert_eq!(v["summary"]["errors"], summary["error"]);
    assert_eq!(v["summary"]["warnings"], summary["warning"]);
    assert_eq!(v["summary"]["notes"], summary["note"]);

    // Sorted by (file, line, column, code).
    let keys: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                Path::new(d["file"].as_str().unwrap()).to_path_buf(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn json_entity_and_pointer() {
    let (_, v) = json(&["examples/broken/16-dangling-owner.yaml"]);
    let d = &diagnostics(&v)[0];
    assert_eq!(d["code"], "unresolved-ref");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "examples/broken/16-dangling-owner.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(10), Some(10))
    );
    assert_eq!(d["path"], "/spec/owner");
    assert!(
        d["entity"]
            .as_str()
            .unwrap()
            .starts_with("component:default/")
    );
}

// ---------------------------------------------------------------------------------------------
// --format sarif

#[test]
fn sarif_contract() {
    let out = validate(&[BROKEN, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "callboard");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut unique = rules.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), rules.len(), "rule ids are unique");
    for rule in driver["rules"].as_array().unwrap() {
        let code = Code::from_id(rule["id"].as_str().unwrap()).expect("a real code");
        assert_eq!(rule["shortDescription"]["text"], code.description());
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("#{}", code.id()))
        );
    }

    let results = runs[0]["results"].as_array().unwrap();
    let (_, j) = json(&[BROKEN]);
    assert_eq!(
        results.len(),
        diagnostics(&j).len(),
        "one result per diagnostic"
    );
    // The most severe first (a run keeps at most 5,000), in report order otherwise.
    let mut expected: Vec<&Value> = diagnostics(&j).iter().collect();
    let rank = |d: &&Value| match d["severity"].as_str() {
        Some("error") => 0,
        Some("warning") => 1,
        _ => 2,
    };
    expected.sort_by_key(rank);
    for (r, d) in results.iter().zip(expected) {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(id, d["code"].as_str().unwrap());
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules.get(index), Some(&id), "ruleIndex points at its rule");
        let level = r["level"].as_str().unwrap();
        assert_eq!(level, d["severity"].as_str().unwrap());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d["file"]);
        let region = &loc["region"];
        let (sl, sc, el, ec) = (
            region["startLine"].as_u64().unwrap(),
            region["startColumn"].as_u64().unwrap(),
            region["endLine"].as_u64().unwrap(),
            region["endColumn"].as_u64().unwrap(),
        );
        assert!(sl >= 1 && sc >= 1, "regions are 1-based: {region}");
        assert_eq!(
            (sl, sc),
            (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        );
        assert!((el, ec) > (sl, sc), "a region is not empty: {region}");
    }
    // Every rule is used by some result.
    for rule in &rules {
        assert!(
            results.iter().any(|r| r["ruleId"] == *rule),
            "{rule} unused"
        );
    }
}

#[test]
fn sarif_region_covers_the_offending_value() {
    let out = validate(&[
        "examples/broken/16-dangling-owner.yaml",
        "--format",
        "sarif",
    ]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    // `  owner: team-payout`: the value spans columns 10..21.
    assert_eq!(
        region,
        &serde_json::json!({"startLine": 10, "startColumn": 10, "endLine": 10, "endColumn": 21})
    );
}

#[test]
fn sarif_on_a_clean_catalog_has_no_results() {
    let out = validate(&[ACME, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(v["runs"][0]["tool"]["driver"]["name"], "callboard");
}

// ---------------------------------------------------------------------------------------------
// --format github

#[test]
fn github_workflow_commands() {
    let out = validate(&[BROKEN, "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let re = regex::Regex::new(
        r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),title=([a-z-]+)::(.+)$",
    )
    .unwrap();
    let (_, j) = json(&[BROKEN]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        diagnostics(&j).len(),
        "one command per diagnostic:\n{text}"
    );
    for (line, d) in lines.iter().zip(diagnostics(&j)) {
        let caps = re
            .captures(line)
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let severity = match &caps[1] {
            "notice" => "note",
            other => other,
        };
        assert_eq!(severity, d["severity"]);
        assert_eq!(&caps[2], d["file"].as_str().unwrap());
        assert_eq!(caps[3].parse::<u64>().unwrap(), d["line"].as_u64().unwrap());
        assert_eq!(
            caps[4].parse::<u64>().unwrap(),
            d["column"].as_u64().unwrap()
        );
        assert_eq!(&caps[5], d["code"].as_str().unwrap());
        assert!(caps[6].starts_with(&d["message"].as_str().unwrap().replace('%', "%25")));
    }
    assert!(
        lines.contains(
            &"::warning file=examples/broken/16-dangling-owner.yaml,line=10,col=10,title=unresolved-ref::spec.owner refers to group:default/team-payout, which is not in the catalog"
        ),
        "{text}"
    );
}

/// Help text goes into the message after an escaped newline, never a raw one.
#[test]
fn github_escapes_newlines_in_help() {
    let out = validate(&[
        "examples/broken/01-name-too-long.yaml",
        "--format",
        "github",
    ]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("%0Ahelp: names start and end"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// --output

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report.json");
    let out = validate(&[
        BROKEN,
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the exit status does not change"
    );
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let written = fs::read_to_string(&file).unwrap();
    let on_stdout = stdout(&validate(&[BROKEN, "--format", "json"]));
    assert_eq!(written, on_stdout);
    // No temporary file is left next to it.
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("report.json")]);
}

#[test]
fn output_file_human_has_no_colour() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report.txt");
    let out = validate(&[BROKEN, "-o", file.to_str().unwrap()]);
    assert!(out.stdout.is_empty());
    let written = fs::read_to_string(&file).unwrap();
    assert!(written.contains("error[invalid-name]"), "{written}");
    assert!(!has_ansi(&written));
}

#[test]
fn output_to_a_missing_directory_fails_with_a_message() {
    let out = validate(&[ACME, "--output", "/nonexistent-callboard-dir/report.json"]);
    assert!(
        !matches!(out.status.code(), Some(0) | Some(1)),
        "{:?}",
        out.status
    );
    assert!(
        stderr(&out).contains("/nonexistent-callboard-dir/"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// --deny-warnings, --strict-refs, --profile

#[test]
fn warnings_only_exits_0_unless_denied() {
    let (out, v) = json(&[WARNINGS_ONLY]);
    assert_eq!(codes(&v), ["unresolved-ref"]);
    assert_eq!(
        v["summary"],
        serde_json::json!({"errors": 0, "warnings": 1, "notes": 0, "suppressed": 0})
    );
    assert_eq!(out.status.code(), Some(0));

    let (out, v2) = json(&[WARNINGS_ONLY, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        v2, v,
        "--deny-warnings changes the exit status, not the report"
    );
}

#[test]
fn deny_warnings_on_a_clean_catalog_exits_0() {
    let out = validate(&[ACME, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn strict_refs_makes_unresolved_refs_errors() {
    let (out, v) = json(&[WARNINGS_ONLY, "--strict-refs"]);
    assert_eq!(out.status.code(), Some(1));
    let d = &diagnostics(&v)[0];
    assert_eq!(
        (d["code"].as_str(), d["severity"].as_str()),
        (Some("unresolved-ref"), Some("error"))
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "notes": 0, "suppressed": 0})
    );
}

#[test]
fn strict_refs_leaves_other_warnings_alone() {
    let (_, v) = json(&[
        "examples/broken/32-owner-is-component.yaml",
        "--strict-refs",
    ]);
    let d = &diagnostics(&v)[0];
    assert_eq!(
        (d["code"].as_str(), d["severity"].as_str()),
        (Some("wrong-ref-kind"), Some("warning"))
    );
}

#[test]
fn profile_backstage_drops_callboard_checks() {
    let (_, recommended) = json(&[BROKEN]);
    let (out, backstage) = json(&[BROKEN, "--profile", "backstage"]);
    assert_eq!(out.status.code(), Some(1));
    let rec = codes(&recommended);
    let bs = codes(&backstage);
    for code in ["unresolved-ref", "duplicate-entity", "wrong-ref-kind"] {
        assert!(rec.contains(&code), "recommended reports {code}");
        assert!(!bs.contains(&code), "backstage profile drops {code}");
    }
    for code in [
        "invalid-name",
        "yaml-syntax",
        "unknown-kind",
        "location-target-missing",
    ] {
        assert!(bs.contains(&code), "backstage profile keeps {code}");
    }
    // Only the callboard checks differ: 16 (1), 17 (2) and 32 (1).
    assert_eq!(rec.len() - bs.len(), 4);
    assert_eq!(backstage["summary"]["warnings"], 0);
}

#[test]
fn profile_backstage_on_warnings_only_is_clean() {
    let (out, v) = json(&[WARNINGS_ONLY, "--profile", "backstage", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(diagnostics(&v).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Configuration

/// A temporary catalog directory (not in a git repository, so `.callboard.yaml` is found in it).
fn temp_catalog(config: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        repo().join("examples/broken/01-name-too-long.yaml"),
        tmp.path().join("catalog-info.yaml"),
    )
    .unwrap();
    if let Some(c) = config {
        fs::write(tmp.path().join(".callboard.yaml"), c).unwrap();
    }
    tmp
}

fn validate_in(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["catalog", "validate"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn invalid_config_exits_2_and_locates_each_problem() {
    let tmp = temp_catalog(Some(
        "version: 1\nseverity:\n  unresolved-ref: loud\n  no-such-code: off\nbogus: 1\n",
    ));
    let out = validate_in(tmp.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["error"]["kind"], "usage",
        "only the JSON error object: {v}"
    );
    let err = stderr(&out);
    for (pos, what) in [
        (":3:19:", "severity must be one of"),
        (":4:3:", "no-such-code"),
        (":5:1:", "bogus"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!(".callboard.yaml{pos}")) && l.contains(what)),
            "expected .callboard.yaml{pos} … {what} in:\n{err}"
        );
    }
}

#[test]
fn config_with_yaml_syntax_error_exits_2() {
    let tmp = temp_catalog(Some("severity: [\n"));
    let out = validate_in(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(".callboard.yaml:2:1:"), "{err}");
}

#[test]
fn config_severity_overrides_apply_to_the_recommended_profile_only() {
    let tmp = temp_catalog(Some("version: 1\nseverity:\n  invalid-name: warning\n"));
    let out = validate_in(tmp.path(), &["--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "the only error became a warning"
    );
    assert_eq!(diagnostics(&v)[0]["severity"], "warning");

    let out = validate_in(tmp.path(), &["--format", "json", "--profile", "backstage"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "Backstage still rejects the name"
    );
    assert_eq!(diagnostics(&v)[0]["severity"], "error");

    let tmp = temp_catalog(Some("version: 1\nseverity:\n  invalid-name: off\n"));
    let out = validate_in(tmp.path(), &["--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(diagnostics(&v).is_empty(), "{v:#}");
}

#[test]
fn explicit_config_that_does_not_exist_exits_2() {
    let out = validate(&[ACME, "--config", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("missing.yaml"), "{}", stderr(&out));
}

#[test]
fn explicit_config_is_used() {
    let tmp = temp_catalog(None);
    let config = tmp.path().join("other.yaml");
    fs::write(
        &config,
        "version: 1\nformats:\n  name:\n    maxLength: 100\n",
    )
    .unwrap();
    let out = validate_in(tmp.path(), &["--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

// ---------------------------------------------------------------------------------------------
// Usage errors

#[test]
fn unknown_flag_exits_2() {
    let out = validate(&["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--no-such-flag"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_format_exits_2() {
    let out = validate(&["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for f in ["text", "json", "sarif", "github"] {
        assert!(err.contains(f), "{err}");
    }
}

#[test]
fn missing_path_is_a_usage_error_with_json_on_stdout() {
    let (out, v) = json(&["examples/no-such-dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(v["error"]["kind"], "usage", "{v}");
    assert!(stderr(&out).contains("examples/no-such-dir does not exist"));
}

// ---------------------------------------------------------------------------------------------
// Colour

#[test]
fn color_always_uses_ansi_and_never_does_not() {
    let file = "examples/broken/16-dangling-owner.yaml";
    let always = stdout(&validate(&[file, "--color", "always"]));
    assert!(has_ansi(&always), "the check below can fail: {always}");
    let never = stdout(&validate(&[file, "--color", "never"]));
    assert!(!has_ansi(&never), "{never}");
    assert!(never.contains("warning[unresolved-ref]"));
}

#[test]
fn no_color_env_disables_colour() {
    let out = callboard()
        .args(["catalog", "validate", BROKEN])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!has_ansi(&stdout(&out)));
    assert!(!has_ansi(&stderr(&out)));
}

#[test]
fn clicolor_force_turns_colour_on_in_a_pipe_unless_no_color() {
    let out = callboard()
        .args(["catalog", "validate", BROKEN])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(has_ansi(&stdout(&out)), "{}", stdout(&out));
    let out = callboard()
        .args(["catalog", "validate", BROKEN])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!has_ansi(&stdout(&out)));
}

#[test]
fn colour_is_off_when_stdout_is_not_a_terminal() {
    let out = validate(&[BROKEN]);
    assert!(!has_ansi(&stdout(&out)));
}

#[test]
fn machine_formats_never_use_colour() {
    for format in ["json", "sarif", "github"] {
        let out = validate(&[BROKEN, "--format", format, "--color", "always"]);
        assert!(!has_ansi(&stdout(&out)), "{format}");
    }
}

// ---------------------------------------------------------------------------------------------
// Help and version

fn help(args: &[&str]) -> String {
    let out = callboard().args(args).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?} --help");
    stdout(&out)
}

#[test]
fn top_level_help() {
    let text = help(&[]);
    assert!(text.contains("catalog"), "{text}");
    assert!(text.contains("Exit status (every command)"), "{text}");
}

#[test]
fn catalog_help() {
    let text = help(&["catalog"]);
    assert!(text.contains("validate"), "{text}");
}

#[test]
fn validate_help_mentions_key_flags() {
    let text = help(&["catalog", "validate"]);
    for flag in [
        "--format",
        "--output",
        "--profile",
        "--config",
        "--strict-refs",
        "--deny-warnings",
        "--changed-since",
        "--color",
        "sarif",
        "github",
        "backstage",
    ] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }
}

#[test]
fn version() {
    let out = callboard().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).trim(),
        format!("callboard {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let out = callboard().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Human output snapshots (tests/snapshots/)

#[test]
fn human_snapshot_annotation_key() {
    let out = validate(&[
        "examples/broken/05-annotation-key-with-space.yaml",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("human_05_annotation_key", stdout(&out));
}

#[test]
fn human_snapshot_duplicate_and_missing_owner() {
    let out = validate(&[
        "examples/broken/08-component-missing-owner.yaml",
        "examples/broken/17-duplicate-entity-case.yaml",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("human_08_17_missing_owner_and_duplicate", stdout(&out));
}
