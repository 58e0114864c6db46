//! `callboard scaffold`: Backstage Software Templates run locally, with the files Backstage's
//! actions would write, a git repository for each `publish:*` and a record for later updates.

pub mod actions;
pub mod fleet;
pub mod globby;
pub mod lint;
pub mod record;

pub mod remote;
pub mod render;
pub mod repo_url;
pub mod runner;
pub mod template;
pub mod update;
pub mod values;
pub mod workspace;
pub mod yaml_out;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use record::Record;
use repo_url::Integrations;
use runner::{RunReport, RunSettings};
use template::Template;
use workspace::Entry;

/// Where the generated files go.
#[derive(Debug, Clone)]
pub enum Target {
    /// A new directory (absent or empty).
    Output(PathBuf),
    /// An existing checkout: the workspace starts as a copy of it and changes are written back.
    Into(PathBuf),
}

impl Target {
    pub fn dir(&self) -> &Path {
        match self {
            Target::Output(p) | Target::Into(p) => p,
        }
    }
}

/// One run of a template.
pub struct Request<'a> {
    pub template: &'a Template,
    pub parameters: Map<String, Value>,
    pub secrets: Map<String, Value>,
    /// Parameter names never recorded.
    pub secret_names: &'a [String],
    pub user: Option<Value>,
    pub task_id: String,
    pub seed: u64,
    pub target: Target,
    pub url_map: &'a [(String, PathBuf)],
    pub integrations: &'a Integrations,
    pub dry_run: bool,
    pub skip_unsupported: bool,
    pub keep_template_errors: bool,
    /// Write `.callboard/scaffold.yaml` and the source-template annotation (new repositories
    /// only: never with `Target::Into`).
    pub record: bool,
}

/// What happens to one path of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanAction {
    Create,
    Overwrite,
    Delete,
    SkipExisting,
    SkipConditional,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanEntry {
    pub path: String,
    pub action: PlanAction,
}

#[derive(Debug)]
pub struct Generated {
    pub report: RunReport,
    pub plan: Vec<PlanEntry>,
    /// Before and after of every created, changed or deleted file (for `--diff`).
    pub changes: Vec<(String, Option<Entry>, Option<Entry>)>,
    /// True when files were written to the target.
    pub written: bool,
}

/// Fails before anything is written when a step cannot run offline.
pub fn preflight(template: &Template, skip_unsupported: bool) -> Result<(), String> {
    let unsupported = runner::unsupported_steps(template);
    if unsupported.is_empty() || skip_unsupported {
        return Ok(());
    }
    let list: Vec<String> = unsupported
        .iter()
        .map(|(id, action)| format!("  step `{id}`: {action}"))
        .collect();
    Err(format!(
        "{} cannot run offline; nothing was written:\n{}\n\
         Run with --skip-unsupported to skip these steps (their outputs are empty).",
        template.reference(),
        list.join("\n")
    ))
}

/// Runs the template in a scratch workspace and, unless it is a dry run or a step failed,
/// moves the result into place.
pub fn generate(request: &Request<'_>) -> Result<Generated, String> {
    preflight(request.template, request.skip_unsupported)?;
    let target_dir = request.target.dir();
    if let Target::Output(dir) = &request.target
        && dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} exists and is not empty; choose a new directory, or use --into to add to an existing checkout",
            dir.display()
        ));
    }
    if let Target::Into(dir) = &request.target
        && !dir.is_dir()
    {
        return Err(format!(
            "{} is not a directory (--into needs an existing checkout)",
            dir.display()
        ));
    }
    // The workspace sits next to the target so the final move is a rename on one file system.
    let parent = match target_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let scratch = tempfile::Builder::new()
        .prefix(".callboard-scaffold-")
        .tempdir_in(&parent)
        .map_err(|e| format!("cannot create a workspace in {}: {e}", parent.display()))?;
    let workspace = scratch.path().join("workspace");
    std::fs::create_dir(&workspace).map_err(|e| e.to_string())?;
    if let Target::Into(dir) = &request.target {
        copy_checkout(dir, &workspace)
            .map_err(|e| format!("cannot copy {}: {e}", dir.display()))?;
    }
    let workspace = workspace.canonicalize().map_err(|e| e.to_string())?;
    let template = request.template;
    // An existing checkout is not a repository this template generated: no record there.
    let record_wanted = request.record && matches!(request.target, Target::Output(_));
    let record = Record {
        api_version: record::API_VERSION.into(),
        kind: "ScaffoldRecord".into(),
        template: record::template_source(&template.path, &template.reference()),
        values: request
            .parameters
            .iter()
            .filter(|(k, _)| !request.secret_names.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        seed: request.seed,
        task_id: request.task_id.clone(),
        steps: template
            .steps
            .iter()
            .map(|s| record::RecordedStep {
                id: s.id.clone(),
                action: s.action.clone(),
            })
            .collect(),
        generator: format!("callboard {}", env!("CARGO_PKG_VERSION")),
    };
    let template_ref = template.reference();
    let write_record = |dir: &Path| -> Result<(), String> {
        record::annotate_catalog_files(dir, &template_ref)?;
        let path = dir.join(record::RECORD_PATH);
        crate::fs::Confined::new(dir, "the repository")
            .write_file(&path, record.to_yaml().as_bytes(), None)
            .map_err(|e| e.to_string())
    };
    let settings = RunSettings {
        parameters: Value::Object(request.parameters.clone()),
        secrets: request.secrets.clone(),
        user: request.user.clone(),
        task_id: request.task_id.clone(),
        workspace: &workspace,
        url_map: request.url_map,
        integrations: request.integrations,
        seed: request.seed,
        dry_run: request.dry_run,
        skip_unsupported: request.skip_unsupported,
        keep_template_errors: request.keep_template_errors,
        record: record_wanted.then_some(&write_record as actions::RecordWriter<'_>),
    };
    let report = runner::run(template, &settings);
    let published = report
        .effects
        .iter()
        .any(|e| matches!(e, remote::Effect::Published { .. }));
    if report.error.is_none() && record_wanted && !request.dry_run && !published {
        write_record(&workspace).map_err(|e| format!("cannot write the scaffold record: {e}"))?;
    }
    let before = workspace::snapshot(target_dir, &[".git"]).map_err(|e| e.to_string())?;
    let after = workspace::snapshot(&workspace, &[".git"]).map_err(|e| e.to_string())?;
    let (plan, changes) = compare(
        &before,
        &after,
        &report,
        matches!(request.target, Target::Into(_)),
    );
    let mut generated = Generated {
        report,
        plan,
        changes,
        written: false,
    };
    if generated.report.error.is_some() || request.dry_run {
        return Ok(generated);
    }
    match &request.target {
        Target::Output(dir) => {
            if dir.exists() {
                std::fs::remove_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::rename(&workspace, dir)
                .map_err(|e| format!("cannot move the result to {}: {e}", dir.display()))?;
        }
        Target::Into(dir) => apply_into(dir, &workspace, &generated.changes)?,
    }
    generated.written = true;
    Ok(generated)
}

/// Copies a checkout into the workspace, without its `.git`. The checkout is the operator's
/// own: nested git files (submodules) are copied as they are; they only reach the checkout
/// again if a step changed them, and a step cannot write a `.git` path.
fn copy_checkout(from: &Path, to: &Path) -> Result<(), String> {
    let guard = crate::fs::Confined::new(to, "the workspace");
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_name() == ".git" {
            continue;
        }
        guard
            .copy_checkout_entry(&entry.path(), &to.join(entry.file_name()))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

type Changes = Vec<(String, Option<Entry>, Option<Entry>)>;

fn compare(
    before: &BTreeMap<String, Entry>,
    after: &BTreeMap<String, Entry>,
    report: &RunReport,
    into: bool,
) -> (Vec<PlanEntry>, Changes) {
    let mut plan = Vec::new();
    let mut changes = Vec::new();
    for (path, entry) in after {
        match before.get(path) {
            None => {
                plan.push(PlanEntry {
                    path: path.clone(),
                    action: PlanAction::Create,
                });
                changes.push((path.clone(), None, Some(entry.clone())));
            }
            Some(old) if old != entry => {
                plan.push(PlanEntry {
                    path: path.clone(),
                    action: PlanAction::Overwrite,
                });
                changes.push((path.clone(), Some(old.clone()), Some(entry.clone())));
            }
            Some(_) => {}
        }
    }
    if into {
        for (path, entry) in before {
            if !after.contains_key(path) {
                plan.push(PlanEntry {
                    path: path.clone(),
                    action: PlanAction::Delete,
                });
                changes.push((path.clone(), Some(entry.clone()), None));
            }
        }
    }
    for event in &report.events {
        let action = match event.event {
            actions::FileEventKind::SkipExisting => PlanAction::SkipExisting,
            actions::FileEventKind::SkipConditional => PlanAction::SkipConditional,
            actions::FileEventKind::Deleted => continue,
        };
        plan.push(PlanEntry {
            path: event.path.clone(),
            action,
        });
    }
    plan.sort_by(|a, b| a.path.cmp(&b.path).then(a.action.cmp(&b.action)));
    plan.dedup();
    (plan, changes)
}

/// Writes the changes into an existing checkout: every path checked first (a link in the
/// checkout may lead elsewhere than its copy in the workspace did), then created and changed
/// entries, then deletions.
fn apply_into(dir: &Path, workspace: &Path, changes: &Changes) -> Result<(), String> {
    let guard = crate::fs::Confined::new(dir, "the checkout");
    for (path, ..) in changes {
        guard.check(&dir.join(path)).map_err(|e| e.to_string())?;
    }
    for (path, _, after) in changes {
        let dest = dir.join(path);
        match after {
            Some(Entry::Dir) => guard.create_dir_all(&dest),
            Some(_) => guard.copy_verbatim(&workspace.join(path), &dest),
            None => continue,
        }
        .map_err(|e| e.to_string())?;
    }
    for (path, _, after) in changes.iter().rev() {
        let dest = dir.join(path);
        if after.is_none() && std::fs::symlink_metadata(&dest).is_ok() {
            guard.remove(&dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
