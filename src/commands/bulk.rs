//! `catalog query`, `edit`, `rename`, `migrate`, `graph`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::bulk::ops::Operation;
use crate::bulk::{self, FileChange, Refusal, filter, migrate, new_entity, patch};
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{
    ChangeFormat, EditArgs, GraphArgs, GraphFormat, MigrateArgs, MoveArgs, NewArgs, QueryArgs,
    QueryFormat, RenameArgs, WriteArgs,
};
use crate::commands::start_dir;
use crate::commands::{Outcome, write_output, write_report};
use crate::commands::{UsageError, load_config};
use crate::config::Config;
use crate::report::bulk::{self as render, ChangeReport, WriteStatus};
use crate::score::model::parse_path;

fn load(
    paths: &[PathBuf],
    config: Option<&PathBuf>,
    writing: bool,
) -> anyhow::Result<(Catalog, Config, PathBuf)> {
    crate::commands::require_paths(paths)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let start = start_dir(paths, &cwd);
    if writing {
        // Before reading anything: a batch an earlier run left half done is finished first.
        super::recover_interrupted_write(&start)?;
    }
    let config = load_config(config, &start)?;
    let catalog = Catalog::load(&LoadOptions {
        paths,
        config: &config,
        keep_documents: true,
        keep_text: true,
    });
    Ok((catalog, config, start))
}

/// The entities `--where` and `--filter` select.
fn parse_filter(where_text: &str, backstage: &[String]) -> Result<filter::Filter, UsageError> {
    filter::selection(where_text, backstage).map_err(|e| {
        UsageError(if e.starts_with("--filter") {
            format!("error: {e}")
        } else {
            format!("error: --where: {e}")
        })
    })
}

pub fn query(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let f = parse_filter(&args.filter, &args.backstage_filter)?;
    let (catalog, _, _) = load(&args.paths, args.config.file.as_ref(), false)?;
    let selected = bulk::select(&catalog, &f);
    let out = match args.format {
        QueryFormat::Refs => render::query_refs(&selected),
        QueryFormat::Files => render::query_files(&selected),
        QueryFormat::Json => render::query_json(&selected),
        QueryFormat::Ndjson => render::query_ndjson(&selected),
        QueryFormat::Table => render::query_table(&selected),
    };
    write_report(None, out)?;
    Ok(Outcome::Success)
}

/// The edit operations in the order they were given on the command line (`matches`, the
/// `catalog edit` matches; without them, grouped by flag).
fn ordered_operations(
    args: &EditArgs,
    edit: Option<&clap::ArgMatches>,
) -> Result<Vec<Operation>, UsageError> {
    let mut ops: Vec<(usize, Operation)> = Vec::new();
    let path =
        |p: &str| parse_path(p).map_err(|e| UsageError(format!("error: bad path `{p}`: {e}")));
    let split = |flag: &str, s: &str| -> Result<(String, String), UsageError> {
        s.split_once('=')
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .ok_or_else(|| UsageError(format!("error: --{flag} takes KEY=VALUE, got `{s}`")))
    };
    let positions = |id: &str, count: usize| -> Vec<usize> {
        edit.and_then(|m| m.indices_of(id))
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
    for (flag, list) in [("add", &args.add), ("remove", &args.remove)] {
        for (i, v) in positions(flag, list.len()).into_iter().zip(list) {
            let (p, value) = split(flag, v)?;
            let path = path(&p)?;
            ops.push((
                i,
                if flag == "add" {
                    Operation::AddItem { path, value }
                } else {
                    Operation::RemoveItem { path, value }
                },
            ));
        }
    }
    ops.sort_by_key(|(i, _)| *i);
    Ok(ops
        .into_iter()
        .map(|(_, o)| match o {
            Operation::Set { path, value } if args.if_missing => {
                Operation::SetIfMissing { path, value }
            }
            other => other,
        })
        .collect())
}

pub fn edit(args: &EditArgs, matches: Option<&clap::ArgMatches>) -> anyhow::Result<Outcome> {
    let f = parse_filter(args.filter.as_deref().unwrap_or(""), &args.backstage_filter)?;
    let operations = ordered_operations(args, matches)?;
    if operations.is_empty() {
        return Err(UsageError(
            "error: no operation given (--set, --unset, --add-tag, --annotate, --add, --remove, …)"
                .into(),
        )
        .into());
    }
    let (catalog, config, start) = load(
        &args.paths,
        args.write.config.file.as_ref(),
        args.write.write,
    )?;
    let selected = bulk::select(&catalog, &f);
    let (changes, refusals) = bulk::edit(&catalog, &selected, &operations);
    let outcome = finish(
        &catalog,
        &changes,
        &refusals,
        &args.write,
        &config,
        &start,
        None,
    );
    drop(selected);
    super::leave(catalog);
    outcome
}

/// Every problem of a request, one `error:` line each.
fn usage_errors<T: std::fmt::Display>(errors: impl IntoIterator<Item = T>) -> UsageError {
    UsageError(
        errors
            .into_iter()
            .map(|e| format!("error: {e}"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// One rename as asked: `to_text` is a full reference or a bare name, which keeps the kind and
/// namespace of `from_text`.
fn rename_request(
    from_text: &str,
    to_text: &str,
    origin: String,
) -> Result<bulk::RenameRequest, String> {
    let from = EntityRef::parse(from_text, None, "default").map_err(|e| e.message(from_text))?;
    let (to, new_name) = if to_text.contains([':', '/']) {
        let to = EntityRef::parse(to_text, Some(from.kind()), from.namespace())
            .map_err(|e| e.message(to_text))?;
        let name = to_text.rsplit(['/', ':']).next().unwrap_or_default();
        (to, name.to_string())
    } else {
        (
            EntityRef::new(from.kind(), from.namespace(), to_text),
            to_text.to_string(),
        )
    };
    if !crate::catalog::format::is_object_name(&new_name, 63) {
        return Err(format!("\"{new_name}\" is not a valid entity name"));
    }
    Ok(bulk::RenameRequest {
        from,
        to,
        new_name,
        origin,
    })
}

/// The renames of `--map FILE`, each with its `FILE:LINE`, and the lines that do not name a
/// rename (checked with the others against the catalog, so one run lists every problem).
/// Problems of a line, with its line number.
type LineErrors = Vec<(usize, String)>;

fn map_requests(
    map: &Path,
) -> Result<(Vec<bulk::RenameRequest>, Vec<usize>, LineErrors), UsageError> {
    use bulk::rename_map;
    let shown = map.display();
    let bytes = crate::fs::read_limited(map, rename_map::MAX_RENAME_MAP_BYTES)
        .map_err(|e| UsageError(format!("error: --map: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| UsageError(format!("error: --map: {shown} is not UTF-8 text")))?;
    let lines = rename_map::parse(&text)
        .map_err(|errors| usage_errors(errors.iter().map(|e| format!("{shown}:{e}"))))?;
    let mut requests = Vec::new();
    let mut numbers = Vec::new();
    let mut errors = Vec::new();
    for l in lines {
        let origin = format!("{shown}:{}", l.line);
        match rename_request(&l.old, &l.new, origin.clone()) {
            Ok(r) => {
                requests.push(r);
                numbers.push(l.line);
            }
            Err(e) => errors.push((l.line, format!("error: {origin}: {e}"))),
        }
    }
    Ok((requests, numbers, errors))
}

pub fn rename(args: &RenameArgs) -> anyhow::Result<Outcome> {
    // With --map every positional argument is a path.
    let (requests, lines, mut errors, paths) = match (&args.map, &args.from, &args.to) {
        (Some(map), from, to) => {
            let mut paths: Vec<PathBuf> = [from, to]
                .into_iter()
                .flatten()
                .map(PathBuf::from)
                .collect();
            paths.extend(args.paths.iter().cloned());
            let (requests, lines, errors) = map_requests(map)?;
            (requests, lines, errors, paths)
        }
        (None, Some(from), Some(to)) => (
            vec![
                rename_request(from, to, String::new())
                    .map_err(|e| UsageError(format!("error: {e}")))?,
            ],
            vec![0],
            Vec::new(),
            args.paths.clone(),
        ),
        _ => return Err(UsageError("error: give FROM and TO, or --map FILE".into()).into()),
    };
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let (catalog, config, start) = load(&paths, args.write.config.file.as_ref(), args.write.write)?;
    let planned = bulk::rename_all(&catalog, &requests, args.merge);
    if let Err(more) = &planned {
        errors.extend(more.iter().map(|(i, e)| (lines[*i], format!("error: {e}"))));
    }
    // Every problem of the map in line order, whichever check found it.
    errors.sort_by_key(|(line, _)| *line);
    let errors: Vec<String> = errors.into_iter().map(|(_, e)| e).collect();
    let renamed = match planned {
        Ok(renamed) if errors.is_empty() => renamed,
        _ => return Err(UsageError(errors.join("\n")).into()),
    };
    let outcome = finish(
        &catalog,
        &renamed.changes,
        &renamed.refusals,
        &args.write,
        &config,
        &start,
        None,
    );
    super::leave(catalog);
    outcome
}

/// `catalog new`: the entity built from the flags, checked, appended to or written as `--file`.
pub fn new(args: &NewArgs) -> anyhow::Result<Outcome> {
    let mut spec: Vec<(&'static str, &'static str, Vec<String>)> = Vec::new();
    for (field, flag, value) in [
        ("type", "type", &args.entity_type),
        ("lifecycle", "lifecycle", &args.lifecycle),
        ("owner", "owner", &args.owner),
        ("system", "system", &args.system),
        ("domain", "domain", &args.domain),
        ("definition", "definition", &args.definition),
        ("parent", "parent", &args.parent),
    ] {
        if let Some(v) = value {
            spec.push((field, flag, vec![v.clone()]));
        }
    }
    if !args.member_of.is_empty() {
        spec.push(("memberOf", "member-of", args.member_of.clone()));
    }
    let entity = new_entity::NewEntity {
        kind: args.kind.clone(),
        name: args.name.clone(),
        namespace: args.namespace.clone(),
        title: args.title.clone(),
        description: args.description.clone(),
        spec,
    };
    let (reference, document) = new_entity::document(&entity).map_err(usage_errors)?;
    let (catalog, mut config, start) = load(
        &args.paths,
        args.write.config.file.as_ref(),
        args.write.write,
    )?;
    super::validate::add_known_entities(&mut config, &args.known_entities)?;
    let file = &args.file;
    let existing = destination(&start, file, "--file")?;
    let lone_cr = existing.as_deref().and_then(patch::lone_carriage_return);
    let created = existing.is_none();
    let (change, mut refusals) =
        new_entity::plan(&catalog, &config, file, existing, &reference, &document);
    if let Some(reason) = lone_cr {
        refusals.push(Refusal {
            path: file.clone(),
            entity: reference.to_string(),
            reason,
        });
    }
    let mut reach = created.then(|| new_entity::reach(&catalog, file));
    let mut changes = vec![change];
    if let (Some(location), Some(r)) = (&args.add_to_location, reach.as_mut())
        && r.reached_by.is_none()
    {
        let (edit, target) = new_entity::add_to_location(&catalog, location, file)
            .map_err(|e| UsageError(format!("error: --add-to-location: {e}")))?;
        r.reached_by = Some((edit.path.clone(), target));
        r.suggestion = None;
        changes.push(edit);
    }
    let outcome = finish(
        &catalog,
        &changes,
        &refusals,
        &args.write,
        &config,
        &start,
        reach.as_ref(),
    );
    super::leave(catalog);
    outcome
}

/// The text of the file an entity goes into, None when it is new. The file is named on the
/// command line: one outside the repository, in a git directory or through a link out of it is
/// a usage error, checked by the write guard's own rules.
fn destination(start: &Path, file: &Path, flag: &str) -> Result<Option<String>, UsageError> {
    let root = super::journal_place(start).root;
    match std::fs::symlink_metadata(file) {
        Err(_) => {
            crate::fs::check_create(file, &root)
                .map_err(|e| UsageError(format!("error: {flag}: {e}")))?;
            Ok(None)
        }
        Ok(_) => crate::fs::read_confined_string(&root, file, crate::fs::MAX_CONTENT_FILE_BYTES)
            .map(Some)
            .map_err(|e| UsageError(format!("error: {flag}: {e}"))),
    }
}

/// `catalog move`: the entity's document into `--to`, Location targets following it.
pub fn move_entity(args: &MoveArgs) -> anyhow::Result<Outcome> {
    let reference = EntityRef::parse(&args.reference, None, "default")
        .map_err(|e| UsageError(format!("error: {}", e.message(&args.reference))))?;
    let (catalog, config, start) = load(
        &args.paths,
        args.write.config.file.as_ref(),
        args.write.write,
    )?;
    let existing = destination(&start, &args.to, "--to")?;
    let moved = bulk::move_entity::plan(&catalog, &reference, &args.to, existing)
        .map_err(|e| UsageError(format!("error: {e}")))?;
    let outcome = finish(
        &catalog,
        &moved.changes,
        &moved.refusals,
        &args.write,
        &config,
        &start,
        moved.reach.as_ref(),
    );
    super::leave(catalog);
    outcome
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
    let only = parse_filter(&args.filter, &args.backstage_filter)?;
    let (catalog, config, start) = load(
        &args.paths,
        args.write.config.file.as_ref(),
        args.write.write,
    )?;
    let mut all: Vec<FileChange> = Vec::new();
    let mut changed: std::collections::HashSet<PathBuf> = Default::default();
    let mut refusals = Vec::new();
    for name in &args.names {
        let selected = bulk::select(
            &catalog,
            &filter::Filter::And(vec![migrate::filter(name), only.clone()]),
        );
        let (changes, refused) = match name.as_str() {
            "template-v1beta3" => migrate::template_v1beta3(&selected),
            _ => bulk::edit(&catalog, &selected, &migrate::operations(name)),
        };
        refusals.extend(refused);
        for c in changes {
            if changed.insert(c.path.clone()) {
                all.push(c);
            } else {
                // Two migrations on one file: the second was planned on the original text, so
                // apply them one at a time instead.
                refusals.push(Refusal {
                    path: c.path.clone(),
                    entity: String::new(),
                    reason: format!(
                        "also changed by an earlier migration; run `{name}` separately"
                    ),
                });
            }
        }
    }
    let outcome = finish(
        &catalog,
        &all,
        &refusals,
        &args.write,
        &config,
        &start,
        None,
    );
    super::leave(catalog);
    outcome
}

pub fn graph(args: &GraphArgs) -> anyhow::Result<Outcome> {
    let f = parse_filter(&args.filter, &args.backstage_filter)?;
    let (catalog, _, _) = load(&args.paths, args.config.file.as_ref(), false)?;
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
    let graph = render::Graph { nodes, edges };
    let out = match args.format {
        GraphFormat::Dot => render::graph_dot(&graph),
        GraphFormat::Mermaid => render::graph_mermaid(&graph),
    };
    write_report(None, out)?;
    Ok(Outcome::Success)
}

/// Shared end of every changing command: decide what becomes of the change, then render it.
#[allow(clippy::too_many_arguments)]
fn finish(
    catalog: &Catalog,
    changes: &[FileChange],
    refusals: &[Refusal],
    w: &WriteArgs,
    config: &Config,
    start: &Path,
    reach: Option<&new_entity::Reach>,
) -> anyhow::Result<Outcome> {
    let rechecked = bulk::recheck(changes, config);
    let mut new_errors = bulk::new_errors(&rechecked);
    new_errors.extend(bulk::new_duplicates(catalog, changes, &rechecked));
    let blocking_errors = !new_errors.is_empty() && !w.force;
    let status = if !w.write {
        WriteStatus::DryRun
    } else if changes.is_empty() && refusals.is_empty() {
        WriteStatus::NothingToWrite
    } else if !refusals.is_empty() {
        WriteStatus::Refused
    } else if blocking_errors {
        WriteStatus::NewErrors
    } else {
        match (w.allow_dirty, crate::source::git::work_tree_dirty(start)) {
            (false, Ok(true)) => WriteStatus::Dirty,
            (false, Err(e)) => WriteStatus::DirtyUnknown(e.to_string()),
            _ => match bulk::write_all(changes, &super::journal_place(start)) {
                Ok(()) => WriteStatus::Written,
                Err(e) => WriteStatus::Failed(e),
            },
        }
    };
    // Refusals and new errors fail the command, dry run or not, so scripts notice.
    let outcome = match &status {
        WriteStatus::Dirty | WriteStatus::DirtyUnknown(_) => Outcome::UsageError,
        WriteStatus::Failed(_) => Outcome::Failure,
        _ if !refusals.is_empty() || blocking_errors => Outcome::Problems,
        _ => Outcome::Success,
    };
    let report = ChangeReport {
        changes,
        refusals,
        new_errors: &new_errors,
        status,
        reach,
    };
    let rendered = match w.format {
        ChangeFormat::Diff => render::change_diff(&report),
        ChangeFormat::Json => render::change_json(&report),
    };
    write_output(None, &rendered)?;
    crate::commands::to_stderr(&render::change_messages(&report));
    Ok(outcome)
}
