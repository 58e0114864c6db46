//! `catalog query`, `edit`, `rename`, `migrate`, `graph`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::CommandFactory;
use serde_json::json;

use crate::bulk::ops::Operation;
use crate::bulk::{self, FileChange, Refusal, filter, migrate, patch};
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{
    ChangeFormat, EditArgs, GraphArgs, GraphFormat, MigrateArgs, QueryArgs, QueryFormat,
    RenameArgs, WriteArgs,
};
use crate::commands::start_dir;
use crate::commands::validate::{UsageError, load_config};
use crate::commands::{Outcome, write_output};
use crate::config::Config;
use crate::score::model::parse_path;

fn load(paths: &[PathBuf], config: Option<&PathBuf>) -> anyhow::Result<(Catalog, Config, PathBuf)> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let start = start_dir(paths, &cwd);
    let config = load_config(config, &start)?;
    let catalog = Catalog::load(&LoadOptions {
        paths,
        config: &config,
        keep_documents: true,
    });
    Ok((catalog, config, start))
}

fn parse_filter(text: &str) -> Result<filter::Filter, UsageError> {
    filter::parse(text).map_err(|e| UsageError(format!("error: --where: {e}")))
}

pub fn query(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let f = parse_filter(&args.filter)?;
    let (catalog, _, _) = load(&args.paths, args.config.as_ref())?;
    let selected = bulk::select(&catalog, &f);
    let path_of = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let out = match args.format {
        QueryFormat::Refs => selected
            .iter()
            .map(|s| format!("{}\n", s.reference))
            .collect::<String>(),
        QueryFormat::Files => selected
            .iter()
            .map(|s| path_of(s.file))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|f| f + "\n")
            .collect(),
        QueryFormat::Json | QueryFormat::Ndjson => {
            let items: Vec<serde_json::Value> = selected
                .iter()
                .map(|s| {
                    json!({
                        "ref": s.reference.to_string(),
                        "file": path_of(s.file),
                        "line": s.root.pointer("/metadata/name").map_or(1, |n| n.span.start.line),
                        "entity": s.root.to_json(),
                    })
                })
                .collect();
            if args.format == QueryFormat::Json {
                let mut s = serde_json::to_string_pretty(
                    &json!({"version": 1, "count": items.len(), "entities": items}),
                )?;
                s.push('\n');
                s
            } else {
                items.iter().map(|i| format!("{i}\n")).collect()
            }
        }
        QueryFormat::Table => {
            let mut table = comfy_table::Table::new();
            table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            table.set_header(vec!["entity", "owner", "file"]);
            for s in &selected {
                table.add_row(vec![
                    s.reference.to_string(),
                    s.root
                        .pointer("/spec/owner")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string(),
                    path_of(s.file),
                ]);
            }
            format!("{table}\n{} entities\n", selected.len())
        }
    };
    write_output(None, &crate::report::escape::output(out))?;
    Ok(Outcome::Success)
}

/// The edit operations in the order they were given on the command line.
fn ordered_operations(args: &EditArgs) -> Result<Vec<Operation>, UsageError> {
    let matches = crate::cli::Cli::command().get_matches_from(std::env::args_os());
    let edit = matches
        .subcommand()
        .and_then(|(_, m)| m.subcommand())
        .map(|(_, m)| m.clone());
    let mut ops: Vec<(usize, Operation)> = Vec::new();
    let path =
        |p: &str| parse_path(p).map_err(|e| UsageError(format!("error: bad path `{p}`: {e}")));
    let split = |flag: &str, s: &str| -> Result<(String, String), UsageError> {
        s.split_once('=')
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .ok_or_else(|| UsageError(format!("error: --{flag} takes KEY=VALUE, got `{s}`")))
    };
    let positions = |id: &str, count: usize| -> Vec<usize> {
        edit.as_ref()
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_else(|| (0..count).collect())
    };
    for (i, v) in positions("set", args.set.len()).into_iter().zip(&args.set) {
        let (p, value) = split("set", v)?;
        ops.push((
            i,
            Operation::Set {
                path: path(&p)?,
                value: patch::yaml_value(&value),
            },
        ));
    }
    for (i, v) in positions("unset", args.unset.len())
        .into_iter()
        .zip(&args.unset)
    {
        ops.push((i, Operation::Unset { path: path(v)? }));
    }
    for (i, v) in positions("add_tag", args.add_tag.len())
        .into_iter()
        .zip(&args.add_tag)
    {
        ops.push((i, Operation::AddTag(v.clone())));
    }
    for (i, v) in positions("remove_tag", args.remove_tag.len())
        .into_iter()
        .zip(&args.remove_tag)
    {
        ops.push((i, Operation::RemoveTag(v.clone())));
    }
    for (i, v) in positions("annotate", args.annotate.len())
        .into_iter()
        .zip(&args.annotate)
    {
        let (k, value) = split("annotate", v)?;
        ops.push((
            i,
            Operation::Set {
                path: vec!["metadata".into(), "annotations".into(), k],
                value: patch::yaml_string(&value),
            },
        ));
    }
    for (i, v) in positions("remove_annotation", args.remove_annotation.len())
        .into_iter()
        .zip(&args.remove_annotation)
    {
        ops.push((
            i,
            Operation::Unset {
                path: vec!["metadata".into(), "annotations".into(), v.clone()],
            },
        ));
    }
    let rename_positions = positions("rename_key", args.rename_key.len());
    for (pair, pos) in args.rename_key.chunks(2).zip(rename_positions.chunks(2)) {
        if let [from, to] = pair {
            ops.push((
                pos[0],
                Operation::RenameAnnotation {
                    from: from.clone(),
                    to: to.clone(),
                },
            ));
        }
    }
    ops.sort_by_key(|(i, _)| *i);
    Ok(ops.into_iter().map(|(_, o)| o).collect())
}

pub fn edit(args: &EditArgs) -> anyhow::Result<Outcome> {
    let f = parse_filter(&args.filter)?;
    let operations = ordered_operations(args)?;
    if operations.is_empty() {
        return Err(UsageError(
            "error: no operation given (--set, --unset, --add-tag, --annotate, …)".into(),
        )
        .into());
    }
    let (catalog, config, start) = load(&args.paths, args.write.config.as_ref())?;
    let selected = bulk::select(&catalog, &f);
    let (changes, refusals) = bulk::edit(&selected, &operations);
    finish(&catalog, &changes, &refusals, &args.write, &config, &start)
}

pub fn rename(args: &RenameArgs) -> anyhow::Result<Outcome> {
    let from = EntityRef::parse(&args.from, None, "default")
        .map_err(|e| UsageError(format!("error: {}", e.message(&args.from))))?;
    // A bare name keeps the kind and namespace.
    let (to, new_name) = if args.to.contains([':', '/']) {
        let to = EntityRef::parse(&args.to, Some(from.kind()), from.namespace())
            .map_err(|e| UsageError(format!("error: {}", e.message(&args.to))))?;
        let name = args
            .to
            .rsplit(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_string();
        (to, name)
    } else {
        (
            EntityRef::new(from.kind(), from.namespace(), &args.to),
            args.to.clone(),
        )
    };
    if !crate::catalog::format::is_object_name(&new_name, 63) {
        return Err(UsageError(format!("error: \"{new_name}\" is not a valid entity name")).into());
    }
    let (catalog, config, start) = load(&args.paths, args.write.config.as_ref())?;
    let (changes, _) = bulk::rename(&catalog, &from, &to, &new_name)
        .map_err(|e| UsageError(format!("error: {e}")))?;
    finish(&catalog, &changes, &[], &args.write, &config, &start)
}

pub fn migrate(args: &MigrateArgs) -> anyhow::Result<Outcome> {
    if args.list || args.names.is_empty() {
        let mut out =
            String::from("Migrations (apply with `callboard catalog migrate NAME [--write]`):\n");
        for m in migrate::MIGRATIONS {
            out.push_str(&format!(
                "  {:<24} {}\n",
                m.name,
                m.summary.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        write_output(None, &out)?;
        return Ok(Outcome::Success);
    }
    for n in &args.names {
        if migrate::find(n).is_none() {
            return Err(UsageError(format!("error: unknown migration `{n}` (see --list)")).into());
        }
    }
    let (catalog, config, start) = load(&args.paths, args.write.config.as_ref())?;
    let mut all: Vec<FileChange> = Vec::new();
    let mut refusals = Vec::new();
    for name in &args.names {
        let selected = bulk::select(&catalog, &migrate::filter(name));
        let (changes, refused) = match name.as_str() {
            "template-v1beta3" => (migrate::template_v1beta3(&selected), Vec::new()),
            _ => bulk::edit(&selected, &migrate::operations(name)),
        };
        refusals.extend(refused);
        for c in changes {
            match all.iter_mut().find(|x| x.path == c.path) {
                // Two migrations on one file: the second was planned on the original text, so
                // apply them one at a time instead.
                Some(_) => refusals.push(Refusal {
                    path: c.path.clone(),
                    entity: String::new(),
                    reason: format!(
                        "also changed by an earlier migration; run `{name}` separately"
                    ),
                }),
                None => all.push(c),
            }
        }
    }
    finish(&catalog, &all, &refusals, &args.write, &config, &start)
}

pub fn graph(args: &GraphArgs) -> anyhow::Result<Outcome> {
    let f = parse_filter(&args.filter)?;
    let (catalog, _, _) = load(&args.paths, args.config.as_ref())?;
    let selected = bulk::select(&catalog, &f);
    let mut nodes = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for s in &selected {
        nodes.insert(s.reference.to_string());
        for (rel, target) in &s.relations {
            if matches!(
                *rel,
                "ownedBy"
                    | "partOf"
                    | "providesApi"
                    | "consumesApi"
                    | "dependsOn"
                    | "memberOf"
                    | "childOf"
            ) {
                nodes.insert(target.to_string());
                edges.insert((
                    s.reference.to_string(),
                    (*rel).to_string(),
                    target.to_string(),
                ));
            }
        }
    }
    // Index-based ids: names that differ only in punctuation must stay distinct.
    let ids: std::collections::BTreeMap<&String, String> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n, format!("n{i}")))
        .collect();
    let id = |r: &String| ids.get(r).cloned().unwrap_or_default();
    let mut out = String::new();
    match args.format {
        GraphFormat::Dot => {
            out.push_str(
                "digraph catalog {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
            );
            for n in &nodes {
                out.push_str(&format!("  \"{n}\";\n"));
            }
            for (a, rel, b) in &edges {
                out.push_str(&format!("  \"{a}\" -> \"{b}\" [label=\"{rel}\"];\n"));
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for n in &nodes {
                out.push_str(&format!("  {}[\"{n}\"]\n", id(n)));
            }
            for (a, rel, b) in &edges {
                out.push_str(&format!("  {} -->|{rel}| {}\n", id(a), id(b)));
            }
        }
    }
    write_output(None, &crate::report::escape::output(out))?;
    Ok(Outcome::Success)
}

/// Is the git work tree around `start` dirty (tracked files changed)?
fn dirty(start: &Path) -> bool {
    let Ok(repo) = git2::Repository::discover(start) else {
        return false;
    };
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(false).include_ignored(false);
    repo.statuses(Some(&mut opts)).is_ok_and(|s| !s.is_empty())
}

/// Shared end of every changing command: report, validate, write.
fn finish(
    catalog: &Catalog,
    changes: &[FileChange],
    refusals: &[Refusal],
    w: &WriteArgs,
    config: &Config,
    start: &Path,
) -> anyhow::Result<Outcome> {
    let mut messages = String::new();
    for r in refusals {
        messages.push_str(&format!(
            "refused: {}{}: {}\n",
            r.path.display(),
            if r.entity.is_empty() {
                String::new()
            } else {
                format!(" ({})", r.entity)
            },
            r.reason
        ));
    }
    let mut new_errors = bulk::new_errors(changes, config);
    for reference in bulk::new_duplicates(catalog, changes, config) {
        let mut d = crate::diag::Diagnostic::new(
            crate::diag::Code::DuplicateEntity,
            format!("entity {reference} would be defined more than once"),
        );
        d.entity = Some(reference);
        new_errors.push(d);
    }
    let blocked = w.write
        && !changes.is_empty()
        && ((!new_errors.is_empty() && !w.force) || !refusals.is_empty());
    let fields: usize = changes.iter().map(|c| c.changes.len()).sum();
    let report = match w.format {
        ChangeFormat::Diff => {
            let mut out: String = changes
                .iter()
                .map(|c| bulk::unified_diff(c, &c.path))
                .collect();
            out.push_str(&format!(
                "{} files, {} entities, {} fields changed{}\n",
                changes.len(),
                changes
                    .iter()
                    .flat_map(|c| c.changes.iter().map(|(e, _)| e))
                    .collect::<BTreeSet<_>>()
                    .len(),
                fields,
                if blocked {
                    " (not written)"
                } else if w.write {
                    ""
                } else {
                    " (dry run: nothing written; add --write to apply)"
                }
            ));
            out
        }
        ChangeFormat::Json => {
            let items: Vec<serde_json::Value> = changes
                .iter()
                .flat_map(|c| {
                    c.changes.iter().map(move |(entity, ch)| {
                        json!({"file": c.path.to_string_lossy().replace('\\', "/"), "line": ch.line, "entity": entity, "path": ch.path, "old": ch.old, "new": ch.new})
                    })
                })
                .collect();
            let refused: Vec<serde_json::Value> = refusals
                .iter()
                .map(|r| json!({"file": r.path.to_string_lossy().replace('\\', "/"), "entity": r.entity, "reason": r.reason}))
                .collect();
            let mut s = serde_json::to_string_pretty(&json!({
                "version": 1, "written": false, "files": changes.len(), "changes": items, "refused": refused,
                "newErrors": new_errors.iter().map(|d| json!({"code": d.code.id(), "message": d.message, "file": d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")), "line": d.span.map(|s| s.start.line)})).collect::<Vec<_>>(),
            }))?;
            s.push('\n');
            s
        }
    };
    if !new_errors.is_empty() {
        for d in &new_errors {
            let line = d.span.map_or(0, |s| s.start.line);
            messages.push_str(&format!(
                "error[{}]: {}:{line}: {} (introduced by this change)\n",
                d.code.id(),
                d.file
                    .as_ref()
                    .map_or(String::new(), |f| f.display().to_string()),
                d.message
            ));
        }
    }
    // Refusals and new errors fail the command, dry run or not, so scripts notice.
    let mut outcome = if refusals.is_empty() && (new_errors.is_empty() || w.force) {
        Outcome::Success
    } else {
        Outcome::Problems
    };
    if w.write && !changes.is_empty() {
        if !refusals.is_empty() {
            messages.push_str(&format!(
                "not written: {} {} refused; nothing was changed (fix or narrow the selection)\n",
                refusals.len(),
                if refusals.len() == 1 {
                    "change was"
                } else {
                    "changes were"
                }
            ));
        } else if !new_errors.is_empty() && !w.force {
            messages.push_str("not written: the change introduces validation errors (use --force to write anyway)\n");
            outcome = Outcome::Problems;
        } else if !w.allow_dirty && dirty(start) {
            messages.push_str("not written: the git work tree has uncommitted changes (commit or stash them, or use --allow-dirty)\n");
            outcome = Outcome::UsageError;
        } else if let Err(e) = bulk::write_all(changes) {
            messages.push_str(&format!("error: {e}\n"));
            outcome = Outcome::Problems;
        } else {
            messages.push_str(&format!("wrote {} files\n", changes.len()));
        }
    }
    let report = if w.format == ChangeFormat::Json && w.write && messages.contains("wrote ") {
        report.replacen("\"written\": false", "\"written\": true", 1)
    } else {
        report
    };
    write_output(None, &report)?;
    if !messages.is_empty() {
        #[allow(clippy::print_stderr)]
        {
            eprint!(
                "{}",
                crate::report::escape::control_keep_newlines(&messages)
            );
        }
    }
    Ok(outcome)
}
