//! CLI tests of `callboard scaffold`: list and show on examples/acme, lint formats, run to a new
//! directory or into a checkout, dry runs, path safety, values and secrets, registration and
//! batch runs. Templates are written into temporary directories so each test owns its files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use common::snapshot;
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `callboard` in `cwd`, with reproducible commits and no colour from the environment.
fn callboard(cwd: &Path) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("callboard");
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    callboard(cwd).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Writes `files` (path, contents) under `dir`; a path ending in `*` is made executable.
fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let (path, exec) = match path.strip_suffix('*') {
            Some(p) => (p, true),
            None => (*path, false),
        };
        let file = dir.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, text).unwrap();
        if exec {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&file, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

/// No scratch workspace left next to the target.
fn assert_no_scratch(parent: &Path) {
    for entry in fs::read_dir(parent).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with(".callboard-scaffold-"),
            "scratch directory {name} left behind"
        );
    }
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    stdout(&out)
}

const SERVICE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: service
  title: Service
spec:
  owner: group:default/qa
  type: service
  parameters:
    - title: About
      required: [name, repoUrl]
      properties:
        name:
          title: Name
          type: string
          pattern: '^[a-z0-9-]+$'
        port:
          type: integer
          default: 8080
        token:
          type: string
          ui:field: Secret
        repoUrl:
          type: string
          ui:field: RepoUrlPicker
          ui:options:
            allowedHosts: [github.com]
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
          port: ${{ parameters.port }}
    - id: publish
      action: publish:github
      input:
        repoUrl: ${{ parameters.repoUrl }}
        token: ${{ secrets.token }}
    - id: register
      action: catalog:register
      input:
        repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
        catalogInfoPath: /catalog-info.yaml
  output:
    links:
      - title: Repository
        url: ${{ steps.publish.output.remoteUrl }}
"#;

const CATALOG_INFO: &str = "apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
spec:
  type: service
  owner: group:default/qa
  lifecycle: experimental
";

const SECRET: &str = "s3cr3t-TOKEN-value";

/// The service template in `dir/tpl`; returns its template.yaml.
fn service_template(dir: &Path) -> PathBuf {
    let tpl = dir.join("tpl");
    write_tree(
        &tpl,
        &[
            ("template.yaml", SERVICE),
            ("skeleton/catalog-info.yaml", CATALOG_INFO),
            (
                "skeleton/README.md",
                "# ${{ values.name }}\n\nListens on ${{ values.port }}.\n",
            ),
            ("skeleton/run.sh*", "#!/bin/sh\necho ${{ values.name }}\n"),
        ],
    );
    tpl.join("template.yaml")
}

fn service_args<'a>(template: &'a str, name: &'a str, output: &'a str) -> Vec<&'a str> {
    vec![
        "scaffold",
        "run",
        template,
        "--set",
        name,
        "--set",
        "repoUrl=github.com?owner=acme&repo=svc",
        "--output",
        output,
    ]
}

// ---------------------------------------------------------------- list, show

#[test]
fn list_text_and_json_on_acme() {
    let out = run(repo(), &["scaffold", "list", "--catalog", "examples/acme"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("TEMPLATE") && lines[0].contains("OFFLINE"));
    let row: Vec<&str> = lines[1]
        .split("  ")
        .filter(|c| !c.trim().is_empty())
        .collect();
    assert_eq!(
        row.iter().map(|c| c.trim()).collect::<Vec<_>>(),
        [
            "template:default/go-service",
            "Go service",
            "go, recommended",
            "runs offline (remote steps emulated)"
        ]
    );

    let out = run(
        repo(),
        &[
            "scaffold",
            "list",
            "--catalog",
            "examples/acme",
            "-f",
            "json",
        ],
    );
    assert_eq!(code(&out), 0);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], 1);
    let t = &v["templates"][0];
    assert_eq!(t["reference"], "template:default/go-service");
    assert_eq!(t["tags"], serde_json::json!(["go", "recommended"]));
    assert_eq!(t["file"], "templates/go-service/template.yaml");
    assert_eq!(t["support"], "emulated");
    assert_eq!(t["unsupported"], serde_json::json!([]));
}

#[test]
fn list_without_a_catalog_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["scaffold", "list"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--catalog"), "{}", stderr(&out));
}

#[test]
fn show_text_and_json_on_acme() {
    let out = run(
        repo(),
        &[
            "scaffold",
            "show",
            "go-service",
            "--catalog",
            "examples/acme",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "template:default/go-service — Go service",
        "runs offline (remote steps emulated)",
        "Parameters (values file keys):",
        "  name: string (required) [EntityNamePicker] — Name",
        "  repoUrl: string (required) [RepoUrlPicker] — Repository",
        "Steps:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let steps: Vec<Vec<&str>> = text
        .lines()
        .skip_while(|l| *l != "Steps:")
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .filter(|v: &Vec<&str>| !v.is_empty())
        .collect();
    assert_eq!(
        steps,
        [
            ["fetch", "fetch:template", "local"],
            ["publish", "publish:github", "emulated"],
            ["register", "catalog:register", "emulated"]
        ]
    );

    let out = run(
        repo(),
        &[
            "scaffold",
            "show",
            "template:default/go-service",
            "--catalog",
            "examples/acme",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["template"], "template:default/go-service");
    let names: Vec<&str> = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["name", "owner", "description", "system", "repoUrl"]);
    assert_eq!(v["parameters"][0]["required"], true);
    assert_eq!(v["parameters"][0]["field"], "EntityNamePicker");
    assert_eq!(v["parameters"][4]["page"], 2);
}

#[test]
fn show_an_unknown_template_names_the_ones_found() {
    let out = run(
        repo(),
        &["scaffold", "show", "nope", "--catalog", "examples/acme"],
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("no Template `template:default/nope`") && err.contains("go-service"),
        "{err}"
    );
}

// ---------------------------------------------------------------- lint

const LINT_TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: lintme
spec:
  owner: group:default/qa
  type: service
  parameters:
    - title: Inputs
      properties:
        name: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name | shout }}
          short: ${{ parameters.name.length }}
    - id: log
      if: ${{ parameters.name === 'x' }}
      action: debug:log
      input:
        message: hi
"#;

const WORKFLOW: &str = "name: ci
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ github.sha }}
";

fn lint_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("template.yaml", LINT_TEMPLATE),
            ("skeleton/.github/workflows/ci.yml", WORKFLOW),
        ],
    );
    dir
}

#[test]
fn lint_text_lists_every_finding_and_fails_on_errors() {
    let dir = lint_fixture();
    let out = run(dir.path(), &["scaffold", "lint", "./template.yaml"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with(
        "  ./skeleton/.github/workflows/ci.yml:7:19: warning [github-expression] `${{ github.sha }}`"
    ));
    assert_eq!(
        lines[1],
        "  ./template.yaml:18:39: error [unknown-filter] unknown filter `shout` (not a nunjucks or Backstage default filter)"
    );
    assert_eq!(
        lines[2],
        "  ./template.yaml:19:37: warning [js-length] JavaScript `.length`: works in Backstage; `| length` is portable"
    );
    assert!(lines[3].starts_with("  ./template.yaml:21:31: warning [js-operator]"));
    assert_eq!(lines[4], "1 template checked: 1 error, 3 warnings");
}

#[test]
fn lint_json_and_github_formats() {
    let dir = lint_fixture();
    let out = run(
        dir.path(),
        &["scaffold", "lint", "./template.yaml", "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], 1);
    let found: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("github-expression".into(), "warning".into(), 7),
            ("unknown-filter".into(), "error".into(), 18),
            ("js-length".into(), "warning".into(), 19),
            ("js-operator".into(), "warning".into(), 21),
        ]
    );

    let out = run(
        dir.path(),
        &["scaffold", "lint", "./template.yaml", "-f", "github"],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with(
        "::warning file=./skeleton/.github/workflows/ci.yml,line=7,col=19,title=github-expression::"
    ));
    assert!(lines[1].starts_with(
        "::error file=./template.yaml,line=18,col=39,title=unknown-filter::unknown filter `shout`"
    ));
}

/// Findings inside template.yaml point at the file's column, not the value's: in a block
/// scalar (on its own line, after the indentation) and in a flow mapping.
#[test]
fn lint_positions_are_columns_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = LINT_TEMPLATE.replace(
        "        message: hi\n",
        "        message: |\n          first line\n            ${{ parameters.name | shout }}\n        extra: {a: 1, b: \"${{ parameters.name | yell }}\"}\n",
    );
    write_tree(dir.path(), &[("template.yaml", &text)]);
    let out = run(
        dir.path(),
        &["scaffold", "lint", "./template.yaml", "-f", "github"],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("::error file=./template.yaml,line=26,col=35,title=unknown-filter::unknown filter `shout`"),
        "{text}"
    );
    assert!(
        text.contains("::error file=./template.yaml,line=27,col=49,title=unknown-filter::unknown filter `yell`"),
        "{text}"
    );
}

const SCHEMA_TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: schemas
spec:
  owner: group:default/qa
  type: service
  parameters:
    - title: Kind
      properties:
        kind: {type: string, enum: [lib, app]}
        settings:
          type: object
          properties:
            depth: {type: integer}
      dependencies:
        kind:
          oneOf:
            - properties:
                kind: {const: app}
                port: {type: integer}
      allOf:
        - if:
            properties:
              kind: {const: lib}
          then:
            properties:
              registry: {type: string}
          else:
            properties:
              region: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          port: ${{ parameters.port }}
          registry: ${{ parameters.registry }}
          region: ${{ parameters.region }}
          depth: ${{ parameters.settings.depth }}
          wrong: ${{ parameters.regsitry }}
    - id: log
      action: debug:log
      input:
        message: ${{ steps.fetch.output.x }} ${{ steps['fecth'].output.x }} ${{ steps.log.output.y }}
  output:
    text:
      - title: ${{ steps.log.output.y }}
"#;

/// Undefined reads are found in step inputs (parameters, earlier steps) and skeleton files (the
/// step's `values:`), with the closest name; every way a schema defines a property counts.
#[test]
fn lint_reports_undefined_variables_with_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("template.yaml", SCHEMA_TEMPLATE),
            (
                "skeleton/README.md",
                "${{ values.port }} ${{ values.prot }} ${{ values.other.x }}\n",
            ),
        ],
    );
    let out = run(
        dir.path(),
        &["scaffold", "lint", "./template.yaml", "-f", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(u64, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["code"], "undefined-variable", "{f}");
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let summary: Vec<(u64, u64, &str)> = found
        .iter()
        .map(|(l, c, m)| (*l, *c, m.split(" is undefined").next().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            (1, 24, "`values.prot`"),
            (1, 43, "`values.other`"),
            (42, 22, "`parameters.regsitry`"),
            (46, 50, "`steps.fecth`"),
            (46, 81, "`steps.log`"),
        ],
        "{found:?}"
    );
    for (index, says) in [
        (0, "did you mean `values.port`?"),
        (2, "did you mean `parameters.registry`?"),
        (3, "did you mean `steps.fetch`?"),
        (
            4,
            "no earlier step has the id `log`, so Backstage renders it empty",
        ),
    ] {
        assert!(found[index].2.contains(says), "{found:?}");
    }
}

/// Templates whose names cannot be known without running are not checked: no false report.
#[test]
fn lint_does_not_guess_values_that_are_expressions() {
    let dir = tempfile::tempdir().unwrap();
    let text = SCHEMA_TEMPLATE
        .replace("          wrong: ${{ parameters.regsitry }}\n", "")
        .replace(
            " ${{ steps['fecth'].output.x }} ${{ steps.log.output.y }}",
            "",
        );
    let text = text.replace(
        "        values:\n          port:",
        "        values: ${{ parameters }}\n        unused:\n          port:",
    );
    write_tree(
        dir.path(),
        &[
            ("template.yaml", &text),
            ("skeleton/README.md", "${{ values.anything }}\n"),
        ],
    );
    let out = run(dir.path(), &["scaffold", "lint", "./template.yaml"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("1 template checked: 0 errors, 0 warnings\n"),
        "{}",
        stdout(&out)
    );
}

/// Every Template file under `dir`, sorted.
fn template_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            template_files(&path, out);
        } else if path.file_name().is_some_and(|n| n == "template.yaml")
            && fs::read_to_string(&path)
                .unwrap()
                .contains("kind: Template")
        {
            out.push(path);
        }
    }
}

/// Lints every Template of a corpus of real templates: no error, and the only undefined
/// variables are the real ones (Backstage's own scaffolder renders them empty: the oracle cases
/// corpus-create-react-app and corpus-clean-architecture-app record it).
fn lint_corpus(dir: &Path) {
    let mut files = Vec::new();
    template_files(dir, &mut files);
    assert_eq!(files.len(), 14, "{files:?}");
    let mut undefined = Vec::new();
    for file in &files {
        let out = run(
            dir,
            &["scaffold", "lint", file.to_str().unwrap(), "-f", "json"],
        );
        assert_eq!(code(&out), 0, "{}: {}", file.display(), stdout(&out));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        for f in v["findings"].as_array().unwrap() {
            assert_eq!(f["severity"], "warning", "{f}");
            if f["code"] == "undefined-variable" {
                let path = Path::new(f["file"].as_str().unwrap());
                let parts: Vec<_> = path.iter().rev().take(3).collect();
                undefined.push(format!(
                    "{}:{} {}",
                    parts
                        .iter()
                        .rev()
                        .map(|p| p.to_str().unwrap())
                        .collect::<Vec<_>>()
                        .join("/"),
                    f["line"],
                    f["message"].as_str().unwrap().split(' ').next().unwrap()
                ));
            }
        }
    }
    assert_eq!(
        undefined,
        [
            "gin-golan-template/skeleton/catalog-info.yaml:9 `values.destination`",
            "gin-golan-template/skeleton/catalog-info.yaml:9 `values.destination`",
            "clean-architecture-app/skeleton/catalog-info.yaml:6 `values.destination`",
            "clean-architecture-app/skeleton/catalog-info.yaml:6 `values.destination`",
            "skeleton/docs/index.md:1 `values.name`",
        ]
    );
}

#[test]
fn lint_finds_no_false_report_in_the_template_corpus() {
    lint_corpus(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scaffold/templates"));
}

#[test]
#[ignore = "needs ../shared/corpus/templates; .ci/run runs it when ../shared is there"]
fn lint_finds_no_false_report_in_the_shared_template_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/templates");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    lint_corpus(&dir);
}

/// A directory named in `copyWithoutTemplating` is copied raw by Backstage (globby), so its
/// files are not linted as templates; a `!pattern` puts a file back.
#[test]
fn lint_skips_files_globby_copies_raw() {
    let dir = lint_fixture();
    let text = LINT_TEMPLATE.replace(" | shout", "").replace(
        "        url: ./skeleton\n",
        "        url: ./skeleton\n        copyWithoutTemplating: [.github/workflows/]\n",
    );
    fs::write(dir.path().join("template.yaml"), &text).unwrap();
    let out = run(dir.path(), &["scaffold", "lint", "./template.yaml"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("github-expression"),
        "{}",
        stdout(&out)
    );

    let text = text.replace(
        "[.github/workflows/]",
        "[.github, '!.github/workflows/ci.yml']",
    );
    fs::write(dir.path().join("template.yaml"), text).unwrap();
    let out = run(dir.path(), &["scaffold", "lint", "./template.yaml"]);
    assert!(
        stdout(&out).contains("ci.yml:7:19: warning [github-expression]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn lint_passes_with_warnings_only() {
    let dir = lint_fixture();
    let text = LINT_TEMPLATE.replace(" | shout", "");
    fs::write(dir.path().join("template.yaml"), text).unwrap();
    let out = run(dir.path(), &["scaffold", "lint", "./template.yaml"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).ends_with("1 template checked: 0 errors, 3 warnings\n"));
}

#[test]
fn lint_every_template_of_acme_is_clean() {
    let out = run(repo(), &["scaffold", "lint", "--catalog", "examples/acme"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

// ---------------------------------------------------------------- run

#[test]
fn run_creates_a_committed_repository_with_a_record_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let template = template.to_str().unwrap();
    let token = format!("token={SECRET}");
    let mut args = service_args(template, "name=svc", "out");
    args.extend(["--set", &token]);
    args.extend(["--task-id", "00000000-0000-4000-8000-000000000000"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let o = dir.path().join("out");
    assert_eq!(
        fs::read_to_string(o.join("README.md")).unwrap(),
        "# svc\n\nListens on 8080.\n"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(o.join("run.sh")).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "run.sh lost its executable bit");

    // One commit by Backstage's default author, on master, origin set, nothing pushed.
    assert_eq!(git_out(&o, &["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(
        git_out(&o, &["log", "-1", "--format=%an <%ae>|%s|%at"]).trim(),
        "Scaffolder <scaffolder@backstage.io>|Initial commit|1700000000"
    );
    assert_eq!(
        git_out(&o, &["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "master"
    );
    assert_eq!(
        git_out(&o, &["remote", "get-url", "origin"]).trim(),
        "https://github.com/acme/svc.git"
    );
    assert_eq!(git_out(&o, &["status", "--porcelain"]), "");
    let tracked = git_out(&o, &["ls-files"]);
    assert!(tracked.contains(".callboard/scaffold.yaml"), "{tracked}");

    // The record and the annotation.
    let record = fs::read_to_string(o.join(".callboard/scaffold.yaml")).unwrap();
    for expected in [
        "kind: ScaffoldRecord",
        "ref: template:default/service",
        "  name: svc\n",
        "  port: 8080\n",
        "  repoUrl: github.com?owner=acme&repo=svc\n",
        "taskId: 00000000-0000-4000-8000-000000000000",
        "  - id: publish\n    action: publish:github\n",
    ] {
        assert!(record.contains(expected), "{expected:?} not in\n{record}");
    }
    assert!(!record.contains("token"), "{record}");
    let catalog = fs::read_to_string(o.join("catalog-info.yaml")).unwrap();
    assert!(
        catalog.contains("backstage.io/source-template: template:default/service"),
        "{catalog}"
    );

    // The secret is nowhere: files, stdout, stderr (text and JSON reports).
    for (path, (_, bytes, _)) in snapshot(&o) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "the secret is in {}",
            path.display()
        );
    }
    assert!(!stdout(&out).contains(SECRET) && !stderr(&out).contains(SECRET));
    let mut args = service_args(template, "name=svc", "out2");
    args.extend(["--set", &token, "--format", "json"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json = stdout(&out);
    assert!(!json.contains(SECRET), "{json}");
    assert!(
        json.contains("***"),
        "the token input is shown redacted: {json}"
    );
    assert_no_scratch(dir.path());
}

#[test]
fn no_record_writes_neither_record_nor_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let mut args = service_args(template.to_str().unwrap(), "name=svc", "out");
    args.push("--no-record");
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let o = dir.path().join("out");
    assert!(!o.join(".callboard").exists());
    let catalog = fs::read_to_string(o.join("catalog-info.yaml")).unwrap();
    assert!(!catalog.contains("source-template"), "{catalog}");
    assert_eq!(git_out(&o, &["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn a_non_empty_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    write_tree(dir.path(), &[("out/keep.txt", "mine\n")]);
    let out = run(
        dir.path(),
        &service_args(template.to_str().unwrap(), "name=svc", "out"),
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("exists and is not empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_dir(dir.path().join("out")).unwrap().count(), 1);
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let before = snapshot(dir.path());
    let mut args = service_args(template.to_str().unwrap(), "name=svc", "out");
    args.push("--dry-run");
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        before,
        snapshot(dir.path()),
        "the dry run changed the file system"
    );
    let text = stdout(&out);
    assert!(text.contains("(dry run: nothing written)"), "{text}");
    assert!(text.contains("  create            README.md"), "{text}");
    assert!(text.contains("would initialise a git repository"), "{text}");

    // --exit-code: something would change.
    args.push("--exit-code");
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(before, snapshot(dir.path()));
}

const README_ONLY: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: readme
spec:
  owner: group:default/qa
  type: service
  parameters:
    - properties:
        title: {type: string, default: Hello}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        replace: ${{ parameters.title != 'keep' }}
        values:
          title: ${{ parameters.title }}
          ci: ${{ parameters.ci }}
"#;

fn readme_template(dir: &Path) -> PathBuf {
    write_tree(
        &dir.join("tpl"),
        &[
            ("template.yaml", README_ONLY),
            ("skeleton/README.md", "# ${{ values.title }}\n\nText.\n"),
            ("skeleton/${{ values.ci }}", "only when ci is set\n"),
        ],
    );
    dir.join("tpl/template.yaml")
}

#[test]
fn into_dry_run_exit_code_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let template = readme_template(dir.path());
    let t = template.to_str().unwrap();
    let out = run(dir.path(), &["scaffold", "run", t, "--output", "repo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("repo/README.md")).unwrap(),
        "# Hello\n\nText.\n"
    );
    let before = snapshot(dir.path());

    // Same values: nothing would change, exit 0; the empty path is skipped.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            t,
            "--into",
            "repo",
            "--dry-run",
            "--exit-code",
        ],
    );
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("skip-conditional  ${{ values.ci }}"),
        "{text}"
    );

    // Another title: README.md would be overwritten; the diff shows it; exit 1.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            t,
            "--into",
            "repo",
            "--set",
            "title=World",
            "--dry-run",
            "--diff",
            "--exit-code",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("overwrite         README.md"), "{text}");
    assert!(text.contains("--- a/README.md"), "{text}");
    assert!(text.contains("+++ b/README.md"), "{text}");
    assert!(text.contains("\n-# Hello\n+# World\n"), "{text}");
    assert_eq!(
        before,
        snapshot(dir.path()),
        "the dry run changed the file system"
    );

    // `replace` false: the existing file is kept (skip-existing).
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            t,
            "--into",
            "repo",
            "--set",
            "title=keep",
            "--dry-run",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("skip-existing     README.md"),
        "{}",
        stdout(&out)
    );

    // Without --dry-run the change is written into the checkout.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            t,
            "--into",
            "repo",
            "--set",
            "title=World",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("repo/README.md")).unwrap(),
        "# World\n\nText.\n"
    );
    assert_no_scratch(dir.path());
}

#[test]
fn diff_and_exit_code_need_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let template = readme_template(dir.path());
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            template.to_str().unwrap(),
            "--output",
            "x",
            "--diff",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(!dir.path().join("x").exists());
}

// ---------------------------------------------------------------- path safety

fn minimal(name: &str, steps: &str) -> String {
    format!(
        "apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: {name}
spec:
  owner: group:default/qa
  type: service
  parameters:
    - properties:
        name: {{type: string}}
  steps:
{steps}"
    )
}

/// Runs a template that must fail, and checks nothing was written around it.
fn refused(files: &[(&str, &str)], args: &[&str], message: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_tree(&dir.path().join("tpl"), files);
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    let before = snapshot(dir.path());
    let mut all = vec!["scaffold", "run", "../tpl/template.yaml", "--output", "out"];
    all.extend_from_slice(args);
    let out = run(&work, &all);
    assert_eq!(code(&out), 1, "{}\n{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(message), "{message:?} not in {err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(before, snapshot(dir.path()), "files were written");
    dir
}

#[test]
fn a_rendered_path_escaping_the_output_is_refused() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
";
    refused(
        &[
            ("template.yaml", &minimal("escape", steps)),
            ("skeleton/${{ values.name }}.txt", "pwned\n"),
        ],
        &["--set", "name=../../escape"],
        "refers to a path outside the workspace",
    );
}

#[test]
fn an_absolute_target_path_is_refused() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        targetPath: /tmp/callboard-absolute-target
";
    refused(
        &[
            ("template.yaml", &minimal("absolute", steps)),
            ("skeleton/a.txt", "a\n"),
        ],
        &[],
        "targetPath `/tmp/callboard-absolute-target` refers to a path outside the workspace",
    );
    assert!(!Path::new("/tmp/callboard-absolute-target").exists());
}

#[test]
fn writing_through_a_skeleton_symlink_to_outside_is_refused() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
    - id: through
      action: fetch:template:file
      input:
        url: ./payload.txt
        targetPath: outside-link/pwned.txt
";
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        &dir.path().join("tpl"),
        &[
            ("template.yaml", &minimal("symlink", steps)),
            ("payload.txt", "pwned\n"),
            ("skeleton/a.txt", "a\n"),
        ],
    );
    fs::create_dir(dir.path().join("outside")).unwrap();
    // From <dir>/.callboard-scaffold-*/workspace/, ../../outside is <dir>/outside.
    std::os::unix::fs::symlink(
        "../../outside",
        dir.path().join("tpl/skeleton/outside-link"),
    )
    .unwrap();
    let before = snapshot(dir.path());
    let out = run(
        dir.path(),
        &["scaffold", "run", "tpl/template.yaml", "--output", "out"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "goes through the symbolic link outside-link which points outside the workspace"
        ),
        "{err}"
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn a_file_symlink_is_replaced_not_written_through() {
    // fetch:plain:file onto a link a skeleton shipped replaces the link.
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
    - id: over
      action: fetch:plain:file
      input:
        url: ./payload.txt
        targetPath: link.txt
";
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("tpl/template.yaml", &minimal("filelink", steps)),
            ("tpl/payload.txt", "payload\n"),
            ("tpl/skeleton/a.txt", "a\n"),
            ("outside/target.txt", "precious\n"),
        ],
    );
    std::os::unix::fs::symlink(
        "../../outside/target.txt",
        dir.path().join("tpl/skeleton/link.txt"),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["scaffold", "run", "tpl/template.yaml", "--output", "out"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("outside/target.txt")).unwrap(),
        "precious\n"
    );
    let link = dir.path().join("out/link.txt");
    assert!(
        !fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(link).unwrap(), "payload\n");
}

// ---------------------------------------------------------------- values

#[test]
fn a_missing_required_value_without_a_terminal_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            template.to_str().unwrap(),
            "--set",
            "repoUrl=github.com?owner=acme&repo=svc",
            "--output",
            "out",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("not valid; nothing was written"), "{err}");
    assert!(err.contains("name"), "{err}");
    assert!(
        err.contains("no catalog found, so owner and entity pickers were not checked"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());

    // --interactive needs a terminal.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            template.to_str().unwrap(),
            "--interactive",
            "--output",
            "out",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--interactive needs a terminal"));
}

#[test]
fn a_set_value_of_the_wrong_type_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let mut args = service_args(template.to_str().unwrap(), "name=svc", "out");
    args.extend(["--set", "port=eighty"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`--set port`: `eighty` is not an integer"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn values_file_then_set_then_schema_checks() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    write_tree(
        dir.path(),
        &[(
            "values.yaml",
            "name: from-file\nport: 9000\nrepoUrl: github.com?owner=acme&repo=svc\n",
        )],
    );
    let t = template.to_str().unwrap();
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            t,
            "--values",
            "values.yaml",
            "--set",
            "name=from-set",
            "--output",
            "out",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/README.md")).unwrap(),
        "# from-set\n\nListens on 9000.\n"
    );
    // The schema's pattern and the RepoUrlPicker's allowedHosts are checked.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            t,
            "--set",
            "name=Not_Valid",
            "--set",
            "repoUrl=gitlab.com?owner=acme&repo=svc",
            "--output",
            "bad",
        ],
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("name") && err.contains("gitlab.com"), "{err}");
    assert!(!dir.path().join("bad").exists());
}

// ---------------------------------------------------------------- actions

#[test]
fn an_unsupported_action_fails_before_writing_and_names_the_step() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
    - id: cookie
      action: fetch:cookiecutter
      input:
        url: ./skeleton
";
    refused(
        &[
            ("template.yaml", &minimal("unsupported", steps)),
            ("skeleton/a.txt", "a\n"),
        ],
        &[],
        "  step `cookie`: fetch:cookiecutter",
    );
    // With --skip-unsupported the rest runs, with a warning.
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("template.yaml", &minimal("unsupported", steps)),
            ("skeleton/a.txt", "a\n"),
        ],
    );
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            "template.yaml",
            "--output",
            "out",
            "--skip-unsupported",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(dir.path().join("out/a.txt").is_file());
    assert!(stderr(&out).contains("warning: step cookie (fetch:cookiecutter) was skipped"));
}

#[test]
fn a_failing_step_leaves_nothing_behind() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
    - id: broken
      action: fetch:template
      input:
        url: ./broken
        targetPath: more
";
    refused(
        &[
            ("template.yaml", &minimal("failing", steps)),
            ("skeleton/a.txt", "a\n"),
            ("broken/b.txt", "${{ values.x | nosuchfilter }}\n"),
        ],
        &[],
        "step broken",
    );
}

#[test]
fn an_absolute_url_needs_a_url_map() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: https://github.com/acme/templates/tree/main/skeleton
";
    let dir = refused(
        &[
            ("template.yaml", &minimal("remote", steps)),
            ("local/skeleton/a.txt", "${{ 1 + 1 }}\n"),
        ],
        &[],
        "--url-map",
    );
    let out = run(
        &dir.path().join("work"),
        &[
            "scaffold",
            "run",
            "../tpl/template.yaml",
            "--output",
            "out",
            "--url-map",
            "https://github.com/acme/templates/tree/main=../tpl/local",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("work/out/a.txt")).unwrap(),
        "2\n"
    );
}

// ---------------------------------------------------------------- register

const LOCATION: &str = "# Everything in the catalog.
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: all
spec:
  targets:
    # Services, one per line.
    - ./services/a.yaml # the first one
";

#[test]
fn register_into_edits_the_location_minimally_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let t = template.to_str().unwrap();
    let catalog = dir.path().join("catalog");
    write_tree(&catalog, &[("all.yaml", LOCATION)]);
    common::git(&catalog, &["init", "-q"], None, None);

    // Outside the catalog repository: the target is the repository URL of the catalog file.
    let mut args = service_args(t, "name=svc", "out1");
    args.extend(["--register-into", "catalog/all.yaml"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let url = "https://github.com/acme/svc/blob/master/catalog-info.yaml";
    let expected = format!("{LOCATION}    - {url}\n");
    assert_eq!(
        fs::read_to_string(catalog.join("all.yaml")).unwrap(),
        expected
    );
    assert!(
        stdout(&out).contains(&format!("+    - {url}")),
        "{}",
        stdout(&out)
    );

    // The same repository again: no duplicate.
    let mut args = service_args(t, "name=svc", "out2");
    args.extend(["--register-into", "catalog/all.yaml"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(catalog.join("all.yaml")).unwrap(),
        expected
    );

    // Inside the catalog repository: a relative path.
    let mut args = service_args(t, "name=svc", "catalog/services/svc");
    args.extend(["--register-into", "catalog/all.yaml"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(catalog.join("all.yaml")).unwrap(),
        format!("{expected}    - ./services/svc/catalog-info.yaml\n")
    );
}

#[test]
fn without_register_into_registration_is_reported_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let out = run(
        dir.path(),
        &service_args(template.to_str().unwrap(), "name=svc", "out"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Registration skipped"), "{text}");
    assert!(
        text.contains(
            "component:default/svc at https://github.com/acme/svc/blob/master/catalog-info.yaml"
        ),
        "{text}"
    );
}

// ---------------------------------------------------------------- batch

/// The JSON lines of a batch, in row order (they are written as each row finishes).
fn batch_lines(out: &Output) -> Vec<Value> {
    let mut lines: Vec<Value> = stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    lines.sort_by_key(|l| l["row"].as_u64());
    lines
}

/// rows.yaml with one row per name, each publishing to github.com/acme/NAME.
fn write_rows(dir: &Path, names: impl IntoIterator<Item = String>) {
    let rows: String = names
        .into_iter()
        .map(|n| format!("- name: {n}\n  repoUrl: github.com?owner=acme&repo={n}\n"))
        .collect();
    write_tree(dir, &[("rows.yaml", &rows)]);
}

/// `scaffold batch TEMPLATE --values-list rows.yaml --output-dir repos/{{ name }} EXTRA…`.
fn batch_into_repos(dir: &Path, template: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "scaffold",
        "batch",
        template.to_str().unwrap(),
        "--values-list",
        "rows.yaml",
        "--output-dir",
        "repos/{{ name }}",
    ];
    args.extend(extra);
    run(dir, &args)
}

fn assert_one_commit(dir: &Path) {
    assert_eq!(
        git_out(dir, &["rev-list", "--count", "HEAD"]).trim(),
        "1",
        "{}",
        dir.display()
    );
}

#[test]
fn batch_from_a_yaml_list() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    write_rows(
        dir.path(),
        ["a", "b", "c", "d", "e"].map(|n| format!("svc-{n}")),
    );
    let out = batch_into_repos(dir.path(), &template, &["--jobs", "2"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = batch_lines(&out);
    assert_eq!(lines.len(), 5);
    for (i, (line, name)) in lines.iter().zip(["a", "b", "c", "d", "e"]).enumerate() {
        assert_eq!(line["row"], i + 1);
        assert_eq!(line["status"], "created", "{line}");
        assert_eq!(line["output"], format!("repos/svc-{name}"));
        assert_eq!(line["commit"].as_str().unwrap().len(), 40);
        let repo_dir = dir.path().join(format!("repos/svc-{name}"));
        assert_one_commit(&repo_dir);
        assert_eq!(
            git_out(&repo_dir, &["remote", "get-url", "origin"]).trim(),
            format!("https://github.com/acme/svc-{name}.git")
        );
    }
}

/// `--shard K/N` splits the rows between CI jobs with nothing lost or run twice, and
/// `merge-results` folds the shards' lines back into the unsharded run's order.
#[test]
fn batch_shards_split_the_rows_and_merge_back() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let names: Vec<String> = (0..9).map(|i| format!("svc-{i}")).collect();
    write_rows(dir.path(), names.clone());
    let mut rows_seen = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let out = batch_into_repos(dir.path(), &template, &["--shard", shard]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("shard {shard}: ")),
            "{}",
            stderr(&out)
        );
        for line in batch_lines(&out) {
            assert_eq!(line["shard"], shard, "{line}");
            assert_eq!(line["status"], "created", "{line}");
            rows_seen.push(line["row"].as_u64().unwrap());
        }
        let file = format!("shard-{}.ndjson", &shard[..1]);
        std::fs::write(dir.path().join(file), stdout(&out)).unwrap();
    }
    rows_seen.sort();
    assert_eq!(
        rows_seen,
        (1..=9).collect::<Vec<u64>>(),
        "each row in exactly one shard"
    );
    for name in &names {
        assert!(
            dir.path().join("repos").join(name).join(".git").is_dir(),
            "{name}"
        );
    }

    let shards = ["shard-3.ndjson", "shard-1.ndjson", "shard-2.ndjson"];
    let mut args = vec!["merge-results", "--format", "json"];
    args.extend(shards);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let merged = stdout(&out);
    let rows: Vec<u64> = merged
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["row"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(
        rows,
        (1..=9).collect::<Vec<u64>>(),
        "sorted by row: {merged}"
    );

    let mut args = vec!["merge-results"];
    args.extend(shards);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "9 rows from 3 shard files: 9 created\n");

    // The same shard twice: refused, naming where the row appears.
    let out = run(
        dir.path(),
        &["merge-results", "shard-1.ndjson", "shard-1.ndjson"],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("appears in shard-1.ndjson:"),
        "{}",
        stderr(&out)
    );
    // A shard that failed before producing results: refused, with --format json still JSON.
    std::fs::write(
        dir.path().join("failed.ndjson"),
        "{\"version\":1,\"status\":2,\"error\":{\"kind\":\"usage\",\"message\":\"no Template\"}}\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "merge-results",
            "-f",
            "json",
            "shard-1.ndjson",
            "failed.ndjson",
        ],
    );
    assert_eq!(code(&out), 2);
    let error: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("failed.ndjson:1: this shard's run failed"),
        "{error}"
    );
    // A bad --shard is a usage error that says what is expected.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "batch",
            template.to_str().unwrap(),
            "--values-list",
            "rows.yaml",
            "--shard",
            "4/3",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("expected K/N"), "{}", stderr(&out));
}

/// The progress bar is drawn on a terminal only: under a pseudo-terminal (util-linux `script`)
/// it appears; in a pipe (every other test) stderr has no trace of it.
#[cfg(target_os = "linux")]
#[test]
fn batch_progress_is_shown_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    write_rows(dir.path(), (0..4).map(|i| format!("svc-{i}")));
    let args = |out: &str| {
        vec![
            "scaffold".to_string(),
            "batch".into(),
            template.to_str().unwrap().into(),
            "--values-list".into(),
            "rows.yaml".into(),
            "--output-dir".into(),
            format!("{out}/{{{{ name }}}}"),
        ]
    };
    let piped = run(
        dir.path(),
        &args("piped").iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(code(&piped), 0, "{}", stderr(&piped));
    assert!(
        !stderr(&piped).contains("scaffolding"),
        "{}",
        stderr(&piped)
    );
    let bin = assert_cmd::cargo::cargo_bin("callboard");
    let line = std::iter::once(bin.to_str().unwrap().to_string())
        .chain(args("tty"))
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new("script")
        .current_dir(dir.path())
        .args(["-qefc", &line, "/dev/null"])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{screen}");
    assert!(screen.contains("scaffolding"), "a progress bar: {screen}");
    assert_eq!(
        screen.matches("\"status\":\"created\"").count(),
        4,
        "{screen}"
    );
}

#[test]
fn merge_results_reports_failures_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "a.ndjson",
                "{\"row\":2,\"output\":\"repos/b\",\"status\":\"failed\",\"errors\":[\"values: port must be an integer\"]}\n",
            ),
            (
                "b.ndjson",
                "{\"row\":1,\"output\":\"repos/a\",\"status\":\"created\",\"files\":3}\n",
            ),
        ],
    );
    let out = run(dir.path(), &["merge-results", "a.ndjson", "b.ndjson"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stdout(&out),
        "2 rows from 2 shard files: 1 created, 1 failed\nrow 2 (repos/b): failed: values: port must be an integer\n"
    );
    let out = run(dir.path(), &["merge-results", "missing.ndjson"]);
    assert_eq!(code(&out), 2);
    write_tree(dir.path(), &[("bad.ndjson", "{\"row\":1}\n")]);
    let out = run(dir.path(), &["merge-results", "bad.ndjson"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("bad.ndjson:1: not a result line"),
        "{}",
        stderr(&out)
    );
}

const CSV: &str = "name,port,repoUrl
svc-a,8081,github.com?owner=acme&repo=svc-a
svc-b,8082,github.com?owner=acme&repo=svc-b
svc-c,eighty,github.com?owner=acme&repo=svc-c
svc-d,,github.com?owner=acme&repo=svc-d
svc-e,8085,github.com?owner=acme&repo=svc-e
";

#[test]
fn batch_csv_with_a_bad_row_continues_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    write_tree(dir.path(), &[("rows.csv", CSV)]);
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "batch",
            template.to_str().unwrap(),
            "--values-list",
            "rows.csv",
            "--continue-on-error",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let lines = batch_lines(&out);
    let status: Vec<&str> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        ["created", "created", "failed", "created", "created"]
    );
    let errors = lines[2]["errors"].to_string();
    assert!(
        errors.contains("rows.csv:4") && errors.contains("`eighty` is not an integer"),
        "{errors}"
    );
    for name in ["svc-a", "svc-b", "svc-d", "svc-e"] {
        assert_one_commit(&dir.path().join(name));
    }
    assert!(!dir.path().join("svc-c").exists());
    // An empty cell takes the schema default.
    assert_eq!(
        fs::read_to_string(dir.path().join("svc-d/README.md")).unwrap(),
        "# svc-d\n\nListens on 8080.\n"
    );
    assert!(
        stderr(&out).contains("1 of 5 rows failed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn batch_stops_at_the_first_failure_without_continue_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    // Row 2 fails validation (the name pattern), after the values list was read.
    let rows = "- {name: svc-a, repoUrl: 'github.com?owner=acme&repo=svc-a'}
- {name: Bad_Name, repoUrl: 'github.com?owner=acme&repo=bad'}
- {name: svc-c, repoUrl: 'github.com?owner=acme&repo=svc-c'}
- {name: svc-d, repoUrl: 'github.com?owner=acme&repo=svc-d'}
";
    write_tree(dir.path(), &[("rows.yaml", rows)]);
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "batch",
            template.to_str().unwrap(),
            "--values-list",
            "rows.yaml",
            "-j",
            "1",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let lines = batch_lines(&out);
    let status: Vec<&str> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["created", "failed", "skipped", "skipped"]);
    assert!(
        lines[1]["errors"].to_string().contains("name"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]["errors"]
            .to_string()
            .contains("--continue-on-error")
    );
    assert!(
        stderr(&out).contains("1 of 4 rows failed, 2 skipped; the others were created"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("svc-a").is_dir());
    assert!(!dir.path().join("Bad_Name").exists());
    assert!(!dir.path().join("svc-c").exists());
}

#[test]
fn always_and_failure_are_defined_for_step_conditions() {
    let steps = "    - id: always
      if: ${{ always() }}
      action: fetch:template
      input:
        url: ./skeleton
    - id: on-failure
      if: ${{ failure() }}
      action: fetch:template:file
      input:
        url: ./skeleton/a.txt
        targetPath: failed.txt
";
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("template.yaml", &minimal("cond", steps)),
            ("skeleton/a.txt", "a\n"),
        ],
    );
    let out = run(
        dir.path(),
        &["scaffold", "run", "template.yaml", "--output", "out"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(dir.path().join("out/a.txt").is_file());
    assert!(
        !dir.path().join("out/failed.txt").exists(),
        "failure() is false when nothing failed"
    );
}

#[cfg(unix)]
#[test]
fn a_fetch_url_through_a_symlink_out_of_the_template_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "not for templates\n").unwrap();
    let steps = "    - id: fetch
      action: fetch:plain
      input:
        url: ./linked
";
    write_tree(
        &dir.path().join("tpl"),
        &[("template.yaml", &minimal("linked", steps))],
    );
    std::os::unix::fs::symlink(&outside, dir.path().join("tpl/linked")).unwrap();
    let out = run(
        dir.path(),
        &["scaffold", "run", "tpl/template.yaml", "--output", "out"],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("leads outside the template's directory"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_refused_run_still_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "template.yaml",
                &minimal("t", "    - action: fetch:rails\n"),
            ),
            ("out/keep.txt", "x\n"),
        ],
    );
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            "template.yaml",
            "--output",
            "out",
            "-f",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["ok"], false);
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fetch:rails"),
        "{json}"
    );
}

#[test]
fn into_an_existing_checkout_writes_no_record() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
";
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("template.yaml", &minimal("into", steps)),
            (
                "skeleton/catalog-info.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n",
            ),
            ("repo/README.md", "hi\n"),
        ],
    );
    let out = run(
        dir.path(),
        &["scaffold", "run", "template.yaml", "--into", "repo"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!dir.path().join("repo/.callboard").exists());
    let catalog = fs::read_to_string(dir.path().join("repo/catalog-info.yaml")).unwrap();
    assert!(!catalog.contains("source-template"), "{catalog}");
    // So a dry run of the same thing now sees nothing to change.
    let out = run(
        dir.path(),
        &[
            "scaffold",
            "run",
            "template.yaml",
            "--into",
            "repo",
            "--dry-run",
            "--exit-code",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn a_fetch_url_that_does_not_exist_names_it() {
    let steps = "    - id: fetch
      action: fetch:template
      input:
        url: ./skeletn
";
    refused(
        &[
            ("template.yaml", &minimal("typo", steps)),
            ("skeleton/a.txt", "a\n"),
        ],
        &[],
        "url `./skeletn`:",
    );
}

#[test]
fn a_file_without_a_template_says_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "location.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets: []\n",
        )],
    );
    let out = run(dir.path(), &["scaffold", "show", "location.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("it holds Location all"),
        "{}",
        stderr(&out)
    );
}

/// A v1beta3 Template named `name` without parameters, with `steps` (YAML list items).
fn steps_template(name: &str, steps: &str) -> String {
    format!(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: {name}\nspec:\n  owner: group:default/qa\n  type: service\n  steps:\n{steps}"
    )
}

/// `fs:readdir` lists as Node's recursive `readdir` walks (a directory's entries, then the last
/// subdirectory's first), each directory in name order whatever the file system's order, and
/// reads nothing outside the workspace.
#[test]
fn fs_readdir_order_and_confinement() {
    let dir = tempfile::tempdir().unwrap();
    let readdir_template = |paths: &str| {
        steps_template(
            "readdir",
            &format!(
                r#"    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
    - id: read
      action: fs:readdir
      input:
        paths: {paths}
        recursive: true
    - id: log
      action: debug:log
      input:
        message: ${{{{ steps.read.output.files | join(" ", "path") }}}} / ${{{{ steps.read.output.folders | join(" ", "path") }}}}
"#
            ),
        )
    };
    write_tree(
        dir.path(),
        &[
            ("tpl/skeleton/top", ""),
            ("tpl/skeleton/b2/y/h", ""),
            ("tpl/skeleton/b2/f2", ""),
            ("tpl/skeleton/a1/x/g", ""),
            ("tpl/skeleton/a1/f1", ""),
            ("tpl/template.yaml", &readdir_template("[.]")),
            ("outside/canary.txt", "precious\n"),
        ],
    );
    let out = run(
        dir.path(),
        &["scaffold", "run", "tpl", "--output", "out", "-f", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let log = report["steps"][2]["inputs"][0]["message"].as_str().unwrap();
    // Node: a1 b2 top b2/f2 b2/y b2/y/h a1/f1 a1/x a1/x/g (files and folders split).
    assert_eq!(log, "top b2/f2 b2/y/h a1/f1 a1/x/g / a1 b2 b2/y a1/x");
    let files = &report["steps"][1]["output"]["files"];
    assert_eq!(files[0]["name"], "top");
    let full = files[0]["fullPath"].as_str().unwrap();
    assert!(full.starts_with('/') && full.ends_with("/top"), "{full}");

    // A path leaving the workspace is refused, and the canary is neither listed nor touched.
    fs::write(
        dir.path().join("tpl/template.yaml"),
        readdir_template("[\"../../outside\"]"),
    )
    .unwrap();
    let out = run(dir.path(), &["scaffold", "run", "tpl", "--output", "out2"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refers to a path outside the workspace"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("canary"));
    assert!(!dir.path().join("out2").exists());
    assert_eq!(
        fs::read_to_string(dir.path().join("outside/canary.txt")).unwrap(),
        "precious\n"
    );

    // A missing directory fails the step with its path.
    fs::write(
        dir.path().join("tpl/template.yaml"),
        readdir_template("[missing]"),
    )
    .unwrap();
    let out = run(dir.path(), &["scaffold", "run", "tpl", "--output", "out3"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
}

/// The file count of a real run leaves out the `.git` of a repository publish made in a
/// subdirectory; a failed run prints no count next to "nothing was written".
#[test]
fn file_counts_leave_out_publish_repositories_and_failed_runs() {
    let dir = tempfile::tempdir().unwrap();
    let template = |extra: &str| {
        steps_template(
            "nested-publish",
            &format!(
                r#"    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
    - id: publish
      action: publish:github
      input:
        repoUrl: github.com?owner=acme&repo=app
        sourcePath: app
{extra}"#
            ),
        )
    };
    write_tree(
        dir.path(),
        &[
            ("tpl/skeleton/app/README.md", "hi\n"),
            ("tpl/template.yaml", &template("")),
        ],
    );
    let dry = run(
        dir.path(),
        &["scaffold", "run", "tpl", "--output", "out", "--dry-run"],
    );
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("\nFiles: 2 create\n"),
        "{}",
        stdout(&dry)
    );
    let real = run(dir.path(), &["scaffold", "run", "tpl", "--output", "out"]);
    assert_eq!(code(&real), 0, "{}", stderr(&real));
    // The two of the dry run and callboard's record (app/.callboard/scaffold.yaml), which
    // only a real run writes; not the dozens of entries of app/.git.
    assert!(
        stdout(&real).contains("\nFiles: 4 create\n"),
        "{}",
        stdout(&real)
    );
    assert!(
        dir.path()
            .join("out/app/.callboard/scaffold.yaml")
            .is_file()
    );
    assert!(dir.path().join("out/app/.git").is_dir());

    fs::write(
        dir.path().join("tpl/template.yaml"),
        template("    - id: broken\n      action: fs:rename\n      input:\n        files:\n          - from: missing\n            to: other\n"),
    )
    .unwrap();
    let failed = run(dir.path(), &["scaffold", "run", "tpl", "--output", "out2"]);
    assert_eq!(code(&failed), 1, "{}", stderr(&failed));
    assert!(stderr(&failed).contains("nothing was written"));
    assert!(!stdout(&failed).contains("Files:"), "{}", stdout(&failed));
    assert!(!dir.path().join("out2").exists());
}

/// `-f json` prints JSON also when the values are invalid: `ok: false`, nothing written, and
/// each problem with its parameter.
#[test]
fn run_json_reports_invalid_values_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let template = service_template(dir.path());
    let template = template.to_str().unwrap();
    let mut args = service_args(template, "name=Bad Name", "out");
    args.extend(["-f", "json"]);
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    assert_eq!(report["ok"], false);
    assert_eq!(report["written"], false);
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("are not valid")
    );
    let problems = report["error"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["parameter"] == "name"),
        "{problems:?}"
    );
    assert!(stderr(&out).contains("are not valid"));
    assert!(!dir.path().join("out").exists());
}

/// `show` lists nested object properties as `a.b` and the properties of conditional schemas
/// (`dependencies`/`oneOf`, `if`/`then`/`else`, `allOf`) with their conditions.
#[test]
fn show_lists_nested_and_conditional_parameters() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "tpl/template.yaml",
            r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: conditional
spec:
  owner: group:default/qa
  type: service
  parameters:
    - title: Inputs
      required: [provider]
      properties:
        provider: {type: string, enum: [aws, gcp]}
        db:
          type: object
          properties:
            engine: {type: string, default: postgres}
      allOf:
        - properties:
            team: {type: string}
      dependencies:
        provider:
          oneOf:
            - properties:
                provider: {const: aws}
                awsRegion: {type: string, default: us-east-1}
              required: [awsRegion]
            - properties:
                provider: {const: gcp}
                gcpProject: {type: string}
      if:
        properties:
          provider: {const: gcp}
      then:
        properties:
          gcpZone: {type: string}
      else:
        properties:
          account: {type: string}
  steps: []
"#,
        )],
    );
    let out = run(dir.path(), &["scaffold", "show", "tpl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "  provider: string (required) one of [\"aws\",\"gcp\"]\n",
        "  db.engine: string default \"postgres\"\n",
        "  team: string\n",
        "  awsRegion: string (required) default \"us-east-1\" if provider is \"aws\"\n",
        "  gcpProject: string if provider is \"gcp\"\n",
        "  gcpZone: string if provider is \"gcp\"\n",
        "  account: string if not (provider is \"gcp\")\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // The discriminator is listed once, without a condition.
    assert_eq!(text.matches("  provider:").count(), 1, "{text}");

    let out = run(dir.path(), &["scaffold", "show", "tpl", "-f", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let params = report["parameters"].as_array().unwrap();
    let find = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {params:?}"))
    };
    assert_eq!(find("provider")["condition"], serde_json::Value::Null);
    assert_eq!(find("awsRegion")["condition"], "provider is \"aws\"");
    assert_eq!(find("awsRegion")["required"], true);
    assert_eq!(find("db.engine")["default"], "postgres");
}
