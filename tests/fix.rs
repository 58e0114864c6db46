//! The one-obvious-fix engine (`callboard::fix`), checked byte for byte by fixtures under
//! tests/fix/, one or more per fixable code:
//!
//! ```text
//! tests/fix/<case>/input/      catalog files, copied to a temporary directory
//! tests/fix/<case>/expected/   the files the fixes change, as they must be afterwards
//!                              (missing: no file may change)
//! tests/fix/<case>/titles      lines that must each appear in some fix's title
//! ```
//!
//! A case is named after the code it fixes (`<code>` or `<code>-<variant>`). Each case is fixed
//! through the library (the plan `catalog validate --fix` applies) and through the command
//! line; the fixed files are loaded again and must have one finding of the code fewer per fix.

mod common;
use common::copy_dir;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use callboard::catalog::{Catalog, LoadOptions};
use callboard::config::Config;
use callboard::diag::Code;
use callboard::fix::{self, Fixer};

fn fix_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fix")
}

/// Every file under `dir`, by relative path.
fn contents(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn load(dir: &Path, config: &Config) -> Catalog {
    Catalog::load(&LoadOptions {
        paths: &[dir.to_path_buf()],
        config,
        keep_documents: true,
        keep_text: true,
    })
}

fn count(catalog: &Catalog, code: Code) -> usize {
    catalog
        .all_diagnostics()
        .iter()
        .filter(|d| d.code == code)
        .count()
}

/// The code a case is about: its name, or its name without a `-variant` suffix.
fn code_of(case: &str) -> Code {
    let mut name = case;
    loop {
        if let Some(code) = Code::from_id(name) {
            return code;
        }
        name = &name[..name
            .rfind('-')
            .unwrap_or_else(|| panic!("{case} names no code"))];
    }
}

/// Checks the fixed tree against expected/ (files not there must be unchanged).
fn assert_expected(case: &str, before: &BTreeMap<String, String>, dir: &Path) {
    let expected = contents(&fix_dir().join(case).join("expected"));
    let after = contents(dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "{case}: files appeared or vanished"
    );
    for (rel, got) in &after {
        let want = expected.get(rel).unwrap_or(&before[rel]);
        assert_eq!(got, want, "{case}: {rel} differs from expected/");
    }
}

fn run_case(case: &str) {
    let code = code_of(case);
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fix_dir().join(case).join("input"), tmp.path());
    let before = contents(tmp.path());
    let config = Config::default();
    let catalog = load(tmp.path(), &config);
    let diagnostics = catalog.all_diagnostics();
    let fixer = Fixer::new(&catalog, &config);
    let plan = fixer.plan(&diagnostics);
    assert!(plan.skipped.is_empty(), "{case}: {:?}", plan.skipped);
    // The same catalog gives the same plan.
    assert_eq!(fixer.plan(&diagnostics).fixes, plan.fixes, "{case}");
    // An editor asking for one finding's fix gets the fix the plan holds for it.
    for fix in &plan.fixes {
        let asked: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.code == fix.code && d.file.as_ref() == Some(&fix.file))
            .filter_map(|d| fixer.fix(d))
            .collect();
        assert!(
            asked.contains(fix),
            "{case}: {fix:?} not offered for its finding"
        );
        assert!(
            fix.edits.iter().all(|e| e.file == fix.file),
            "{case}: {fix:?}"
        );
    }
    let titles: Vec<&str> = plan.fixes.iter().map(|f| f.title.as_str()).collect();
    let want = fs::read_to_string(fix_dir().join(case).join("titles")).unwrap_or_default();
    for line in want.lines() {
        assert!(
            titles.iter().any(|t| t.contains(line)),
            "{case}: no fix titled like `{line}`: {titles:#?}"
        );
    }
    let mut by_file: BTreeMap<&PathBuf, Vec<&fix::Fix>> = BTreeMap::new();
    for f in &plan.fixes {
        by_file.entry(&f.file).or_default().push(f);
    }
    for (file, fixes) in by_file {
        let text = catalog.files[file].text.as_deref().unwrap();
        fs::write(file, fix::apply(text, &fixes).unwrap()).unwrap();
    }
    assert_expected(case, &before, tmp.path());

    let fixed = load(tmp.path(), &config);
    // Findings the plan fixes (two findings may share one fix: `component:x` for an owner is
    // both unresolved and of the wrong kind).
    let fixed_findings: Vec<Code> = diagnostics
        .iter()
        .filter(|d| {
            fixer
                .fix(d)
                .is_some_and(|f| plan.fixes.iter().any(|p| p.edits == f.edits))
        })
        .map(|d| d.code)
        .collect();
    let applied = fixed_findings.iter().filter(|c| **c == code).count();
    assert!(
        applied > 0 || !fix_dir().join(case).join("expected").exists(),
        "{case}: no fix of {}",
        code.id()
    );
    assert_eq!(
        count(&fixed, code),
        count(&catalog, code) - applied,
        "{case}: each fix removes its finding: {:#?}",
        fixed.all_diagnostics()
    );
    // No other finding appears.
    assert_eq!(
        fixed.all_diagnostics().len(),
        diagnostics.len() - fixed_findings.len(),
        "{case}: {:#?}",
        fixed.all_diagnostics()
    );
}

fn callboard(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::cargo::cargo_bin_cmd!("callboard")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", common::show(out)))
}

/// The same case through `catalog validate --fix`: the dry run changes nothing and exits 1
/// with the diff; `--write` gives the expected files and exits 1 exactly when an error or a
/// warning remains.
fn run_cli_case(case: &str) {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fix_dir().join(case).join("input"), tmp.path());
    let before = contents(tmp.path());
    let changes = fix_dir().join(case).join("expected").exists();
    let dry = callboard(tmp.path(), &["catalog", "validate", "--fix"]);
    assert_eq!(contents(tmp.path()), before, "{case}: the dry run wrote");
    let stdout = String::from_utf8_lossy(&dry.stdout);
    if changes {
        assert_eq!(dry.status.code(), Some(1), "{case}: {}", common::show(&dry));
        assert!(
            stdout.contains("+++ b/")
                && stdout.contains("(dry run: nothing written; add --write to apply)"),
            "{case}: {}",
            common::show(&dry)
        );
    } else {
        assert!(
            stdout.starts_with("0 fixes in 0 files"),
            "{case}: {}",
            common::show(&dry)
        );
    }
    let out = callboard(
        tmp.path(),
        &["catalog", "validate", "--fix", "--write", "-f", "json"],
    );
    let written = json(&out);
    assert_eq!(written["version"], 1);
    assert_eq!(
        written["fix"]["written"],
        changes,
        "{case}: {}",
        common::show(&out)
    );
    assert_expected(case, &before, tmp.path());
    let left = &written["summary"];
    let remains = left["errors"].as_u64().unwrap() + left["warnings"].as_u64().unwrap() > 0;
    assert_eq!(
        out.status.code(),
        Some(i32::from(remains)),
        "{case}: {}",
        common::show(&out)
    );
    // What the report says remains is what a plain run finds.
    let again = json(&callboard(
        tmp.path(),
        &["catalog", "validate", "-f", "json"],
    ));
    assert_eq!(again["diagnostics"], written["diagnostics"], "{case}");
}

macro_rules! fixture_cases {
    ($($test:ident: $dir:literal;)*) => {
        $(
            #[test]
            fn $test() {
                run_case($dir);
                run_cli_case($dir);
            }
        )*
        const CASES: &[&str] = &[$($dir),*];
    };
}

fixture_cases! {
    fixture_invalid_tag: "invalid-tag";
    fixture_missing_field: "missing-field";
    fixture_missing_field_tie: "missing-field-tie";
    fixture_missing_ref_kind: "missing-ref-kind";
    fixture_unknown_kind: "unknown-kind";
    fixture_unresolved_ref: "unresolved-ref";
    fixture_wrong_ref_kind: "wrong-ref-kind";
    fixture_yaml_duplicate_key: "yaml-duplicate-key";
}

#[test]
fn every_fixture_case_has_a_test_and_every_fixable_code_a_case() {
    let on_disk: Vec<String> = {
        let mut v: Vec<String> = fs::read_dir(fix_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "fixture directories vs fixture_cases!");
    for code in fix::FIXABLE {
        assert!(
            CASES.contains(&code.id()),
            "{} is fixable and has no fixture tests/fix/{}",
            code.id(),
            code.id()
        );
    }
}

/// docs/diagnostics.md marks a code's section with `**Automatic fix:**` exactly when the engine
/// fixes it.
#[test]
fn the_docs_mark_exactly_the_fixable_codes() {
    let docs =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    let mut marked = Vec::new();
    let mut section = None;
    for line in docs.lines() {
        if let Some(id) = line.strip_prefix("## ") {
            section = Code::from_id(id.trim());
        } else if line.starts_with("**Automatic fix:**") {
            marked.push(section.expect("an `**Automatic fix:**` line under a code's section"));
        }
    }
    marked.sort();
    let mut fixable = fix::FIXABLE.to_vec();
    fixable.sort();
    assert_eq!(marked, fixable);
}

const TWO_TAG_BLOCKS: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  tags:\n    - Java\n  tags:\n    - Java\nspec:\n  type: team\n  children: []\n";

/// Overlapping fixes: the first is applied, the other is named as skipped and the run exits 1;
/// a second run applies it.
#[test]
fn a_skipped_fix_is_named_and_a_second_run_applies_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("catalog-info.yaml");
    fs::write(&file, TWO_TAG_BLOCKS).unwrap();
    let out = callboard(tmp.path(), &["catalog", "validate", "--fix", "--write"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped: catalog-info.yaml:8: [invalid-tag] Lowercase tag `Java`: it touches the text of the fix"),
        "{stderr}"
    );
    assert!(stderr.contains("wrote 1 file"), "{stderr}");
    let second = callboard(tmp.path(), &["catalog", "validate", "--fix", "--write"]);
    assert_eq!(second.status.code(), Some(0), "{}", common::show(&second));
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  tags:\n    - java\nspec:\n  type: team\n  children: []\n"
    );
    // Nothing left to fix: the dry run exits 0 and says so.
    let dry = callboard(tmp.path(), &["catalog", "validate", "--fix"]);
    assert_eq!(dry.status.code(), Some(0), "{}", common::show(&dry));
    assert_eq!(
        String::from_utf8_lossy(&dry.stdout),
        "0 fixes in 0 files (dry run: nothing written; add --write to apply)\n"
    );
}

#[test]
fn a_dirty_work_tree_is_not_written_without_allow_dirty() {
    let tmp = tempfile::tempdir().unwrap();
    common::git(tmp.path(), &["init", "-q"], None, None);
    fs::write(tmp.path().join("catalog-info.yaml"), "# draft\n").unwrap();
    common::git(tmp.path(), &["add", "-A"], None, None);
    common::git(tmp.path(), &["commit", "-qm", "draft"], None, None);
    // A tracked file with uncommitted changes.
    fs::write(tmp.path().join("catalog-info.yaml"), TWO_TAG_BLOCKS).unwrap();
    let out = callboard(tmp.path(), &["catalog", "validate", "--fix", "--write"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("uncommitted changes"));
    assert_eq!(
        fs::read_to_string(tmp.path().join("catalog-info.yaml")).unwrap(),
        TWO_TAG_BLOCKS
    );
    let out = callboard(
        tmp.path(),
        &["catalog", "validate", "--fix", "--write", "--allow-dirty"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::show(&out));
    assert_ne!(
        fs::read_to_string(tmp.path().join("catalog-info.yaml")).unwrap(),
        TWO_TAG_BLOCKS
    );
}

#[test]
fn fix_takes_human_or_json_and_write_needs_fix() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("catalog-info.yaml"), TWO_TAG_BLOCKS).unwrap();
    for args in [
        &["catalog", "validate", "--fix", "-f", "sarif"][..],
        &["catalog", "validate", "--fix", "--output", "out.txt"],
        &["catalog", "validate", "--write"],
    ] {
        let out = callboard(tmp.path(), args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            common::show(&out)
        );
    }
    // A usage error with --format json is still JSON.
    let out = callboard(
        tmp.path(),
        &[
            "catalog",
            "validate",
            "--fix",
            "-f",
            "json",
            "--report",
            "sarif=x.sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["kind"], "usage");
    assert_eq!(
        fs::read_to_string(tmp.path().join("catalog-info.yaml")).unwrap(),
        TWO_TAG_BLOCKS
    );
}
