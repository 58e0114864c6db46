//! `callboard scaffold check` and `callboard scaffold update` (one repository, several, or
//! every repository generated from a template).

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::{Value, json};

use super::Outcome;
use super::UsageError;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{ScaffoldCheckArgs, ScaffoldFormat, ScaffoldUpdateArgs};
use crate::report::scaffold as render;
use crate::scaffold::record::{Record, SOURCE_TEMPLATE};
use crate::scaffold::repo_url::{INTEGRATION_TYPES, Integrations};
use crate::scaffold::update::{self, CatalogRepo, UpdateOptions, UpdateResult};

fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

fn dirs_or_cwd(dirs: &[PathBuf]) -> Vec<PathBuf> {
    if dirs.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        dirs.to_vec()
    }
}

fn integrations(list: &[String]) -> Result<Integrations> {
    let mut out = Integrations::default();
    for s in list {
        let (host, kind) = s
            .split_once('=')
            .ok_or_else(|| usage(format!("--integration {s}: expected HOST=TYPE")))?;
        if !INTEGRATION_TYPES.contains(&kind) {
            return Err(usage(format!(
                "--integration {s}: the type must be one of {}",
                INTEGRATION_TYPES.join(", ")
            )));
        }
        out = out.with(host, kind);
    }
    Ok(out)
}

fn catalog_for(
    dir: &Path,
    explicit: Option<&Path>,
) -> std::result::Result<(Record, CatalogRepo), String> {
    let record = Record::read(dir)?;
    let catalog = CatalogRepo::locate(explicit, &record)?;
    Ok((record, catalog))
}

pub fn check(args: &ScaffoldCheckArgs) -> Result<Outcome> {
    super::require_paths(&args.dirs)?;
    let mut skip = globset::GlobSetBuilder::new();
    for s in &args.skip {
        skip.add(globset::Glob::new(s).map_err(|e| usage(format!("--skip {s}: {e}")))?);
    }
    let skip = skip.build()?;
    let mut results = Vec::new();
    let mut outcome = Outcome::Success;
    let integrations = Integrations::default();
    for dir in dirs_or_cwd(&args.dirs) {
        let checked = catalog_for(&dir, args.catalog.as_deref()).and_then(|(_, catalog)| {
            let result = update::check(&dir, &catalog, args.to.as_deref())?;
            let drift = if args.drift {
                Some(update::drift(&dir, &catalog, &integrations, &skip)?)
            } else {
                None
            };
            Ok((result, drift))
        });
        match checked {
            Ok((result, drift)) => {
                let drifted = drift.as_ref().is_some_and(|d| !d.is_empty());
                if result.update_available || drifted {
                    outcome = outcome.worst(Outcome::Problems);
                }
                let mut value = serde_json::to_value(&result)?;
                if let Some(d) = drift {
                    value["drift"] = serde_json::to_value(d)?;
                }
                results.push(value);
            }
            Err(e) => {
                // A repository that cannot be checked: the job was not done for it.
                outcome = outcome.worst(Outcome::UsageError);
                results.push(json!({"dir": dir, "error": e}));
            }
        }
    }
    let text = match args.format {
        ScaffoldFormat::Json => {
            let mut s = String::new();
            for r in &results {
                s.push_str(&serde_json::to_string(r)?);
                s.push('\n');
            }
            s
        }
        ScaffoldFormat::Text => results.iter().map(render::check_line).collect(),
    };
    super::write_report(None, text)?;
    Ok(outcome)
}

pub fn update(args: &ScaffoldUpdateArgs) -> Result<Outcome> {
    let integrations = integrations(&args.integration)?;
    if args.all {
        if !args.dirs.is_empty() {
            return Err(usage(
                "error: --all finds the repositories itself (--workspace, --repo-map); name directories without --all",
            ));
        }
        return update_all(args, &integrations);
    }
    super::require_paths(&args.dirs)?;
    let options = UpdateOptions {
        to: args.to.as_deref(),
        set: &args.set,
        allow_dirty: args.allow_dirty,
        recreate_deleted: args.recreate_deleted,
        commit: args.commit,
        dry_run: args.dry_run,
        integrations: &integrations,
    };
    let mut outcome = Outcome::Success;
    let mut text = String::new();
    for dir in dirs_or_cwd(&args.dirs) {
        let result = catalog_for(&dir, args.catalog.as_deref())
            .and_then(|(_, catalog)| update::update(&dir, &catalog, &options));
        match result {
            Ok(r) => {
                if !r.conflicts.is_empty() {
                    outcome = outcome.worst(Outcome::Problems);
                }
                text.push_str(&match args.format() {
                    ScaffoldFormat::Text => render::update_text(&dir, &r, args.dry_run, args.diff),
                    ScaffoldFormat::Json => {
                        format!("{}\n", serde_json::to_string(&line(&dir, None, &Ok(r)))?)
                    }
                });
            }
            Err(e) => {
                // No record, a dirty work tree, a refused path: nothing was done there.
                outcome = outcome.worst(Outcome::UsageError);
                text.push_str(&match args.format() {
                    ScaffoldFormat::Text => format!("{}: error: {e}\n", dir.display()),
                    ScaffoldFormat::Json => {
                        format!("{}\n", serde_json::to_string(&line(&dir, None, &Err(e)))?)
                    }
                });
            }
        }
    }
    super::write_report(None, text)?;
    Ok(outcome)
}

/// One JSON line per repository: what a pipeline needs to open a pull request.
fn line(
    dir: &Path,
    entity: Option<&str>,
    result: &std::result::Result<UpdateResult, String>,
) -> Value {
    match result {
        Ok(r) => json!({
            "repo": dir,
            "entity": entity,
            "status": if !r.conflicts.is_empty() { "conflicts" } else if r.files.is_empty() { "up-to-date" } else { "updated" },
            "from": r.from,
            "to": r.to,
            "filesChanged": r.files.iter().filter(|f| f.action != "kept-deleted" && f.action != "kept-modified").count(),
            "files": r.files,
            "conflicts": r.conflicts,
            "branch": r.branch,
            "commit": r.commit,
        }),
        Err(e) => json!({"repo": dir, "entity": entity, "status": "failed", "error": e}),
    }
}

fn update_all(args: &ScaffoldUpdateArgs, integrations: &Integrations) -> Result<Outcome> {
    let template = args
        .template
        .as_deref()
        .ok_or_else(|| usage("--all needs --template REF"))?;
    let wanted = EntityRef::parse(template, Some("template"), "default")
        .map_err(|e| usage(e.message(template)))?;
    let root = match &args.catalog {
        Some(c) => c.clone(),
        None => {
            crate::source::git::repository_root(&std::env::current_dir()?).ok_or_else(|| {
                usage("--all needs the catalog repository: run inside it or pass --catalog PATH")
            })?
        }
    };
    let config = super::load_config(None, &root)?;
    let catalog = Catalog::load(&LoadOptions {
        paths: std::slice::from_ref(&root),
        config: &config,
        keep_documents: true,
        keep_text: false,
    });
    let pointer = format!(
        "/metadata/annotations/{}",
        crate::yaml::escape_token(SOURCE_TEMPLATE)
    );
    let mut entities: Vec<String> = Vec::new();
    for e in catalog.entities() {
        if let Some(v) = e
            .root
            .and_then(|root| root.pointer(&pointer))
            .and_then(|n| n.as_str())
            && EntityRef::parse(v, Some("template"), "default")
                .is_ok_and(|r| r.as_str() == wanted.as_str())
        {
            entities.push(e.reference().as_str().to_string());
        }
    }
    entities.sort();
    if entities.is_empty() && !catalog.contains(&wanted) {
        return Err(usage(format!(
            "error: --template {template}: no Template {wanted} in the catalog at {}",
            root.display()
        )));
    }
    let map: serde_json::Map<String, Value> = match &args.repo_map {
        Some(p) => match super::scaffold::read_yaml(p, "--repo-map")?.map(|root| root.to_json()) {
            Some(Value::Object(m)) => m,
            _ => {
                return Err(usage(format!(
                    "--repo-map {}: expected a mapping of entity refs to directories",
                    p.display()
                )));
            }
        },
        None => serde_json::Map::new(),
    };
    let checkout = |entity: &str| -> Option<PathBuf> {
        if let Some(dir) = map.get(entity).and_then(Value::as_str) {
            return Some(PathBuf::from(dir));
        }
        let name = entity.rsplit('/').next()?;
        args.workspace.as_ref().map(|w| w.join(name))
    };
    let catalog_root = root.clone();
    let total = entities.len();
    // `index` is the position in the whole sorted list, so shards' lines merge back in order.
    let selected: Vec<(usize, &String)> = entities
        .iter()
        .enumerate()
        .filter(|(_, entity)| args.shard.is_none_or(|shard| shard.contains(entity)))
        .collect();
    let pool = super::scaffold::pool(args.jobs)?;
    let stream = super::ResultStream::new(selected.len(), "updating", "repositories");
    let outcomes: Vec<Result<Outcome>> = pool.install(|| {
        use rayon::prelude::*;
        selected
            .par_iter()
            .map(|&(index, entity)| {
                let dir = checkout(entity);
                let result =
                    match &dir {
                        None => Err("no checkout: pass --workspace DIR or list it in --repo-map"
                            .to_string()),
                        Some(dir) => (|| -> std::result::Result<UpdateResult, String> {
                            let record = Record::read(dir)?;
                            let catalog = CatalogRepo::locate(Some(&catalog_root), &record)?;
                            let check = update::check(dir, &catalog, args.to.as_deref())?;
                            if !check.update_available {
                                return Ok(UpdateResult {
                                    from: check.current.clone(),
                                    to: check.current,
                                    ..UpdateResult::default()
                                });
                            }
                            let options = UpdateOptions {
                                to: args.to.as_deref(),
                                set: &args.set,
                                allow_dirty: args.allow_dirty,
                                recreate_deleted: args.recreate_deleted,
                                commit: !args.dry_run,
                                dry_run: args.dry_run,
                                integrations,
                            };
                            update::update(dir, &catalog, &options)
                        })(),
                    };
                // Each repository's result is written as soon as it is known.
                let text = match (args.format(), &dir) {
                    (ScaffoldFormat::Json, _) => {
                        let mut l = line(
                            dir.as_deref().unwrap_or(Path::new("")),
                            Some(entity),
                            &result,
                        );
                        if dir.is_none() {
                            l["repo"] = Value::Null;
                        }
                        l["index"] = json!(index);
                        if let Some(shard) = args.shard {
                            l["shard"] = json!(shard.to_string());
                        }
                        let mut text = serde_json::to_string(&l)?;
                        text.push('\n');
                        text
                    }
                    (ScaffoldFormat::Text, Some(dir)) => match &result {
                        Ok(r) => render::update_text(dir, r, args.dry_run, args.diff),
                        Err(e) => format!("{} ({entity}): error: {e}\n", dir.display()),
                    },
                    (ScaffoldFormat::Text, None) => match &result {
                        Err(e) => format!("{entity}: error: {e}\n"),
                        Ok(_) => String::new(),
                    },
                };
                stream.emit(&crate::report::escape::output(text));
                Ok(match &result {
                    Ok(r) if !r.conflicts.is_empty() => Outcome::Problems,
                    Ok(_) => Outcome::Success,
                    Err(_) => Outcome::UsageError,
                })
            })
            .collect()
    });
    stream.finish()?;
    let mut outcome = Outcome::Success;
    for o in outcomes {
        outcome = outcome.worst(o?);
    }
    if entities.is_empty() {
        // Not an error (the template exists), but never a silent no-op.
        super::to_stderr(&format!(
            "nothing to update: no entity in the catalog names {wanted} in {SOURCE_TEMPLATE}\n"
        ));
    } else if let Some(shard) = args.shard {
        super::to_stderr(&format!(
            "shard {shard}: {} of {total} repositories\n",
            selected.len()
        ));
    }
    Ok(outcome)
}
