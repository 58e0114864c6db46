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
