//! `callboard scaffold list | show | lint | run | batch`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use serde_json::{Map, Value, json};

use super::Outcome;
use super::UsageError;
use crate::budget;
use crate::catalog::entity_ref::EntityRef;
use crate::catalog::{Catalog, LoadOptions};
use crate::cli::{
    CatalogLocation, LintFormat, RunOptions, ScaffoldBatchArgs, ScaffoldFormat, ScaffoldLintArgs,
    ScaffoldListArgs, ScaffoldRunArgs, ScaffoldShowArgs,
};
use crate::report::scaffold as render;
use crate::scaffold::render::{RenderOptions, Renderer};
use crate::scaffold::repo_url::{INTEGRATION_TYPES, Integrations};
use crate::scaffold::template::Template;
use crate::scaffold::{self, Generated, Request, Target, lint, values};

fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

/// The catalog repository: `--catalog`, else the git repository around the current directory.
struct CatalogContext {
    root: Option<PathBuf>,
    catalog: Option<Catalog>,
}

impl CatalogContext {
    fn load(location: &CatalogLocation) -> Result<CatalogContext> {
        let cwd = std::env::current_dir()?;
        let root = match &location.catalog {
            Some(p) if !p.exists() => {
                return Err(usage(format!(
                    "--catalog {}: no such file or directory",
                    p.display()
                )));
            }
            Some(p) => Some(p.clone()),
            None => crate::source::git::repository_root(&cwd),
        };
        let catalog = match &root {
            Some(root) => {
                // The same .callboard.yaml as every other command (include/exclude, kinds).
                let config = super::load_config(None, root)?;
                Some(Catalog::load(&LoadOptions {
                    paths: std::slice::from_ref(root),
                    config: &config,
                    keep_documents: true,
                    keep_text: false,
                }))
            }
            None => None,
        };
        Ok(CatalogContext { root, catalog })
    }

    /// Every Template entity: (reference, file).
    fn templates(&self) -> Vec<(EntityRef, PathBuf)> {
        let mut out: Vec<(EntityRef, PathBuf)> = self
            .catalog
            .iter()
            .flat_map(|c| c.entities())
            .filter(|e| e.reference().kind() == "template")
            .map(|e| (e.reference().clone(), e.file.clone()))
            .collect();
        out.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        out
    }

    fn entity_json(&self, reference: &str) -> Option<Value> {
        let catalog = self.catalog.as_ref()?;
        catalog
            .entities()
            .into_iter()
            .find(|e| e.reference().as_str() == reference)
            .and_then(|e| e.root)
            .map(crate::yaml::Node::to_json)
    }

    fn facts(&self) -> Option<values::CatalogFacts> {
        let catalog = self.catalog.as_ref()?;
        Some(values::CatalogFacts {
            entities: catalog
                .entities()
                .iter()
                .map(|e| e.reference().as_str().to_lowercase())
                .collect(),
        })
    }
}

/// A path to a template file (or its directory), or an entity ref looked up in the catalog.
fn resolve_template(arg: &str, context: &CatalogContext) -> Result<Template> {
    let path = Path::new(arg);
    if path.is_file() || path.join("template.yaml").is_file() {
        let file = if path.is_dir() {
            path.join("template.yaml")
        } else {
            path.to_path_buf()
        };
        return Template::read(&file).map_err(|e| usage(e.to_string()));
    }
    let wanted = EntityRef::parse(arg, Some("template"), "default").map_err(|e| {
        usage(format!(
            "`{arg}` is neither a file nor an entity ref: {}",
            e.message(arg)
        ))
    })?;
    if context.catalog.is_none() {
        return Err(usage(format!(
            "`{arg}` is not a file, and there is no catalog to look it up in (run inside the catalog repository or pass --catalog PATH)"
        )));
    }
    let templates = context.templates();
    let found = templates
        .iter()
        .find(|(r, _)| r.as_str().eq_ignore_ascii_case(wanted.as_str()));
    let Some((reference, file)) = found else {
        let names: Vec<&str> = templates.iter().map(|(r, _)| r.as_str()).collect();
        return Err(usage(format!(
            "no Template `{}` in the catalog{}",
            wanted.as_str(),
            if names.is_empty() {
                String::new()
            } else {
                format!(" (found: {})", names.join(", "))
            }
        )));
    };
    Template::read_named(file, Some(reference.name())).map_err(|e| usage(e.to_string()))
}

pub fn list(args: &ScaffoldListArgs) -> Result<Outcome> {
    let context = CatalogContext::load(&args.catalog)?;
    if context.catalog.is_none() {
        return Err(usage(
            "no catalog: run inside the catalog repository or pass --catalog PATH",
        ));
    }
    let mut rows = Vec::new();
    for (reference, file) in context.templates() {
        match Template::read_named(&file, Some(reference.name())) {
            Ok(t) => rows.push(render::ListRow::from_template(
                &t,
                display_path(&file, context.root.as_deref()),
            )),
            Err(e) => rows.push(render::ListRow::broken(
                reference.as_str(),
                display_path(&file, context.root.as_deref()),
                e.to_string(),
            )),
        }
    }
    let text = match args.format {
        ScaffoldFormat::Text => render::list_text(&rows),
        ScaffoldFormat::Json => render::list_json(&rows),
    };
    super::write_report(None, text)?;
    Ok(Outcome::Success)
}

fn display_path(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

pub fn show(args: &ScaffoldShowArgs) -> Result<Outcome> {
    let context = CatalogContext::load(&args.catalog)?;
    let template = resolve_template(&args.template, &context)?;
    let findings = lint::lint_template(&template);
    let text = match args.format {
        ScaffoldFormat::Text => render::show_text(&template, &findings),
        ScaffoldFormat::Json => render::show_json(&template, &findings),
    };
    super::write_report(None, text)?;
    Ok(Outcome::Success)
}

pub fn lint(args: &ScaffoldLintArgs) -> Result<Outcome> {
    let targets = super::report_targets(args.format, None, &args.report)?;
    let context = CatalogContext::load(&args.catalog)?;
    let mut templates = Vec::new();
    if args.templates.is_empty() {
        if context.catalog.is_none() {
            return Err(usage(
                "name templates to lint, or run inside the catalog repository (or pass --catalog PATH)",
            ));
        }
        for (reference, file) in context.templates() {
            templates.push(
                Template::read_named(&file, Some(reference.name()))
                    .map_err(|e| usage(e.to_string()))?,
            );
        }
    } else {
        for arg in &args.templates {
            templates.push(resolve_template(arg, &context)?);
        }
    }
    let mut all = Vec::new();
    for t in &templates {
        all.extend(lint::lint_template(t));
    }
    // `severity:` of .callboard.yaml applies to the template codes as to every other code.
    let config = super::load_config(None, &std::env::current_dir()?)?;
    all.retain_mut(|f| match config.severity_of(f.code) {
        Some(severity) => {
            f.severity = severity;
            true
        }
        None => false,
    });
    super::write_reports(&targets, |target| {
        crate::report::escape::output(match target.format {
            LintFormat::Text => render::lint_text(&all, templates.len()),
            LintFormat::Json => render::lint_json(&all),
            LintFormat::Github => render::lint_github(&all),
            LintFormat::Markdown => render::lint_markdown(&all, templates.len(), target.limit),
        })
    })?;
    Ok(if all.iter().any(|f| f.severity == lint::Severity::Error) {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// The first YAML (or JSON) document of a file callboard was given, with a located error when
/// it is not valid YAML. None for an empty file.
pub(crate) fn read_yaml(path: &Path, what: &str) -> Result<Option<crate::yaml::Node>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("{what} {}: {e}", path.display())))?;
    let stream = crate::yaml::parse_stream(&text);
    if let Some(e) = &stream.fatal {
        return Err(usage(format!(
            "{}:{}:{}: {}",
            path.display(),
            e.pos.line,
            e.pos.column,
            e.message
        )));
    }
    Ok(stream.documents.into_iter().next().map(|d| d.document.root))
}

/// Reads a YAML or JSON mapping (values or secrets).
fn read_mapping(path: &Path, what: &str) -> Result<Map<String, Value>> {
    match read_yaml(path, what)?.map(|root| root.to_json()) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(usage(format!(
            "{}: {what} must be a mapping of parameter names to values",
            path.display()
        ))),
    }
}

/// `--jobs` may ask for at most this many threads per CPU (each run holds a workspace, a
/// render and a git repository in memory; far more threads than CPUs only add memory).
pub const MAX_JOBS_PER_CPU: usize = 4;

/// ...but at least this many, whatever the number of CPUs.
pub const MIN_JOBS_LIMIT: usize = 16;

/// The largest `--jobs` accepted on this machine.
pub fn max_jobs(cpus: usize) -> usize {
    cpus.saturating_mul(MAX_JOBS_PER_CPU).max(MIN_JOBS_LIMIT)
}

/// A thread pool of `--jobs N` threads (default: one per CPU). More than [`max_jobs`] is a
/// usage error (exit 2) rather than a silent clamp, so a typo does not go unnoticed.
pub(crate) fn pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let limit = max_jobs(cpus);
    if let Some(n) = jobs
        && n > limit
    {
        return Err(UsageError(format!(
            "error: --jobs {n} is more than {limit}, the limit on this machine ({MAX_JOBS_PER_CPU} per CPU, at least {MIN_JOBS_LIMIT}); use --jobs {limit} or fewer"
        ))
        .into());
    }
    let jobs = jobs.unwrap_or(cpus).max(1);
    Ok(rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?)
}

fn pairs(list: &[String], flag: &str) -> Result<Vec<(String, String)>> {
    list.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| usage(format!("{flag} {s}: expected KEY=VALUE")))
        })
        .collect()
}

/// Everything shared by `run` and `batch`.
struct Prepared {
    context: CatalogContext,
    template: Template,
    base_values: Map<String, Value>,
    secrets: Map<String, Value>,
    user: Option<Value>,
    url_map: Vec<(String, PathBuf)>,
    integrations: Integrations,
}

fn prepare(template_arg: &str, options: &RunOptions) -> Result<Prepared> {
    let context = CatalogContext::load(&options.catalog)?;
    let template = resolve_template(template_arg, &context)?;
    let mut base_values = match &options.values {
        Some(p) => read_mapping(p, "--values")?,
        None => Map::new(),
    };
    for s in &options.set {
        values::apply_set(&template, &mut base_values, s).map_err(usage)?;
    }
    let mut secrets = match &options.secrets {
        Some(p) => read_mapping(p, "--secrets")?,
        None => Map::new(),
    };
    for (k, v) in pairs(&options.secret, "--secret")? {
        secrets.insert(k, Value::String(v));
    }
    let user = match &options.user {
        None => None,
        Some(r) => {
            let parsed = EntityRef::parse(r, Some("user"), "default")
                .map_err(|e| usage(format!("--user: {}", e.message(r))))?;
            let mut user = json!({"ref": parsed.as_str()});
            match context.entity_json(parsed.as_str()) {
                Some(entity) => user["entity"] = entity,
                None if context.catalog.is_some() => {
                    return Err(usage(format!(
                        "--user {r}: {} is not in the catalog",
                        parsed.as_str()
                    )));
                }
                None => {}
            }
            Some(user)
        }
    };
    let mut url_map = Vec::new();
    for (prefix, dir) in pairs(&options.url_map, "--url-map")? {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(usage(format!(
                "--url-map {prefix}={}: not a directory",
                dir.display()
            )));
        }
        url_map.push((prefix, dir.canonicalize()?));
    }
    // The longest prefix wins.
    url_map.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let mut integrations = Integrations::default();
    for (host, kind) in pairs(&options.integration, "--integration")? {
        if !INTEGRATION_TYPES.contains(&kind.as_str()) {
            return Err(usage(format!(
                "--integration {host}={kind}: the type must be one of {}",
                INTEGRATION_TYPES.join(", ")
            )));
        }
        integrations = integrations.with(&host, &kind);
    }
    Ok(Prepared {
        context,
        template,
        base_values,
        secrets,
        user,
        url_map,
        integrations,
    })
}

impl Prepared {
    /// One run of the prepared template with resolved values.
    fn request<'a>(
        &'a self,
        resolved: &'a values::Resolved,
        task_id: String,
        target: Target,
        options: &RunOptions,
        dry_run: bool,
    ) -> Request<'a> {
        Request {
            template: &self.template,
            parameters: resolved.parameters.clone(),
            secrets: resolved.secrets.clone(),
            secret_names: &resolved.secret_names,
            user: self.user.clone(),
            seed: seed_of(&task_id),
            task_id,
            target,
            url_map: &self.url_map,
            integrations: &self.integrations,
            dry_run,
            skip_unsupported: options.skip_unsupported,
            keep_template_errors: options.keep_template_errors,
            record: !options.no_record,
        }
    }
}

/// Asks on the terminal for required values that are still missing.
fn prompt_missing(template: &Template, values: &mut Map<String, Value>) -> Result<()> {
    let stdin = std::io::stdin();
    for page in &template.parameters {
        let required: Vec<&str> = page
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for name in required {
            if values.contains_key(name) {
                continue;
            }
            let schema = page.get("properties").and_then(|p| p.get(name));
            let title = schema
                .and_then(|s| s.get("title"))
                .and_then(Value::as_str)
                .unwrap_or(name);
            let mut err = std::io::stderr().lock();
            write!(err, "{title} ({name}): ")?;
            err.flush()?;
            let mut line = String::new();
            stdin.lock().read_line(&mut line)?;
            values::apply_set(template, values, &format!("{name}={}", line.trim_end()))
                .map_err(usage)?;
        }
    }
    Ok(())
}

fn task_id(given: &Option<String>) -> String {
    given.clone().unwrap_or_else(random_uuid)
}

/// A random (version 4) UUID, as Backstage gives each task.
fn random_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn seed_of(task_id: &str) -> u64 {
    // FNV-1a: stable across platforms and versions; 53 bits so every JSON and YAML reader
    // reads it back exactly.
    let hash = task_id.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    });
    hash & ((1 << 53) - 1)
}

/// Resolves and checks values; Err lists every problem.
fn checked_values(
    prepared: &Prepared,
    given: Map<String, Value>,
) -> std::result::Result<values::Resolved, Vec<values::ValueProblem>> {
    let renderer = Renderer::new(RenderOptions::default());
    let resolved = values::resolve(
        &prepared.template,
        given,
        prepared.secrets.clone(),
        &renderer,
    );
    let mut problems = values::validate(&prepared.template, &resolved);
    problems.extend(values::check_fields(
        &prepared.template,
        &resolved,
        prepared.context.facts().as_ref(),
        &prepared.integrations,
    ));
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(problems)
    }
}

/// The JSON report of a run that did not start: `ok: false`, nothing written, and `error`.
fn print_failure_json(error: Value) -> Result<()> {
    let value =
        json!({"version": render::JSON_VERSION, "ok": false, "written": false, "error": error});
    super::write_output(
        None,
        &format!("{}\n", serde_json::to_string_pretty(&value)?),
    )
}

/// Prints a run that was refused before any step ran (text on stderr, or a JSON report).
fn refused(format: ScaffoldFormat, message: &str) -> Result<Outcome> {
    if format == ScaffoldFormat::Json {
        print_failure_json(json!({"message": message}))?;
    }
    super::to_stderr(&format!("error: {message}\n"));
    Ok(Outcome::Problems)
}

pub fn run(args: &ScaffoldRunArgs) -> Result<Outcome> {
    let prepared = prepare(&args.template, &args.options)?;
    if let Err(e) = scaffold::preflight(&prepared.template, args.options.skip_unsupported) {
        return refused(args.format, &e);
    }
    let mut given = prepared.base_values.clone();
    if args.options.interactive {
        if !std::io::stdin().is_terminal() {
            return Err(usage(
                "--interactive needs a terminal; pass values with --values or --set",
            ));
        }
        prompt_missing(&prepared.template, &mut given)?;
    }
    let resolved = match checked_values(&prepared, given) {
        Ok(r) => r,
        Err(problems) => {
            let message = format!(
                "the values for {} are not valid; nothing was written",
                prepared.template.reference()
            );
            if args.format == ScaffoldFormat::Json {
                let listed: Vec<Value> = problems
                    .iter()
                    .map(|p| json!({"parameter": p.parameter, "message": p.message}))
                    .collect();
                print_failure_json(json!({"message": message, "problems": listed}))?;
            }
            let mut text = format!("error: {message}\n");
            for p in &problems {
                text.push_str(&format!("  {p}\n"));
            }
            if prepared.context.catalog.is_none() {
                text.push_str(
                    "note: no catalog found, so owner and entity pickers were not checked\n",
                );
            }
            super::to_stderr(&text);
            return Ok(Outcome::Problems);
        }
    };
    let target = match (&args.output, &args.into) {
        (Some(o), None) => Target::Output(o.clone()),
        (None, Some(i)) => Target::Into(i.clone()),
        _ => return Err(usage("give exactly one of --output DIR or --into DIR")),
    };
    let request = prepared.request(
        &resolved,
        task_id(&args.options.task_id),
        target,
        &args.options,
        args.dry_run,
    );
    let generated = match scaffold::generate(&request) {
        Ok(g) => g,
        Err(e) => return refused(args.format, &e),
    };
    let mut registration = None;
    if generated.written
        && let Some(location) = &args.register_into
    {
        registration = Some(register(location, request.target.dir(), &generated)?);
    }
    let text = match args.format {
        ScaffoldFormat::Text => render::run_text(
            &prepared.template,
            &request.target,
            &generated,
            args.diff,
            registration.as_ref(),
            args.register_into.is_some(),
        ),
        ScaffoldFormat::Json => render::run_json(
            &prepared.template,
            &request.target,
            &generated,
            registration.as_ref(),
        ),
    };
    super::write_report(None, text)?;
    for w in &generated.report.warnings {
        super::to_stderr(&format!("warning: {w}\n"));
    }
    if let Some(e) = &generated.report.error {
        super::to_stderr(&format!(
            "error: {}:{}: {}\nnothing was written\n",
            prepared.template.path.display(),
            e.line,
            e.message
        ));
        return Ok(Outcome::Problems);
    }
    if args.exit_code && !generated.changes.is_empty() {
        // Something would change: a finding, like a diff tool's status 1.
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Success)
}

/// The directory one batch row renders `--output-dir` to, kept under the pattern's literal
/// base (the directories before its first template tag): row values come from a file, and a
/// value such as `../x`, an absolute path or `.git` must not place a repository elsewhere.
fn batch_output(pattern: &str, rendered: &str) -> std::result::Result<PathBuf, String> {
    let literal = &pattern[..pattern
        .find("{{")
        .into_iter()
        .chain(pattern.find("{%"))
        .min()
        .unwrap_or(pattern.len())];
    let base = &literal[..literal.rfind(['/', '\\']).map_or(0, |i| i + 1)];
    let rest = rendered.strip_prefix(base).ok_or_else(|| {
        format!("--output-dir renders to `{rendered}`, which is not inside `{base}`")
    })?;
    crate::fs::check_content_path(rest).map_err(|e| {
        format!(
            "--output-dir renders to `{rendered}`: {e}; a row value must not leave the output base"
        )
    })?;
    Ok(PathBuf::from(rendered))
}

/// Adds each registered catalog file to the Location file as a target (a relative path when
/// the new repository is inside the catalog repository, else its URL). Returns the diff.
fn register(location: &Path, output: &Path, generated: &Generated) -> Result<String> {
    let text = std::fs::read_to_string(location)
        .with_context(|| format!("--register-into {}", location.display()))?;
    let mut new_text = text.clone();
    for effect in &generated.report.effects {
        let scaffold::remote::Effect::Registered {
            catalog_info_url,
            local_file,
            ..
        } = effect
        else {
            continue;
        };
        let location_dir = location
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let target = local_file
            .as_ref()
            .and_then(|f| {
                let file = output.join(f).canonicalize().ok()?;
                let base = location_dir.canonicalize().ok()?;
                let repo = crate::source::git::repository_root(&base)?;
                file.starts_with(&repo).then(|| relative_path(&base, &file))
            })
            .unwrap_or_else(|| catalog_info_url.clone());
        new_text = append_target(&new_text, &target)
            .map_err(|e| usage(format!("--register-into {}: {e}", location.display())))?;
    }
    if new_text != text {
        // The operator named the file; a change made to it meanwhile is not overwritten.
        crate::fs::write_atomic(location, new_text.as_bytes(), None, Some(text.as_bytes()))?;
    }
    let name = location.to_string_lossy();
    Ok(crate::report::diff::of_file(&text, &new_text, &name))
}

fn relative_path(base: &Path, file: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let file_parts: Vec<_> = file.components().collect();
    let common = base
        .iter()
        .zip(&file_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".into(); base.len() - common];
    parts.extend(
        file_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    let joined = parts.join("/");
    if joined.starts_with("..") {
        joined
    } else {
        format!("./{joined}")
    }
}

/// Appends `target` to `spec.targets` of the first Location in `text`, as a minimal edit.
fn append_target(text: &str, target: &str) -> std::result::Result<String, String> {
    let stream = crate::yaml::parse_stream(text);
    if let Some(e) = stream.fatal {
        return Err(format!("line {}: {}", e.pos.line, e.message));
    }
    let src = crate::yaml::edit::Source::new(text);
    for doc in &stream.documents {
        let root = &doc.document.root;
        if root.get("kind").and_then(|k| k.as_str()) != Some("Location") {
            continue;
        }
        if root.pointer("/spec/targets").is_none() {
            return Err(
                "the Location has no spec.targets list to add to (add `targets: []` under spec)"
                    .into(),
            );
        }
        let path = vec!["spec".to_string(), "targets".to_string()];
        return match crate::bulk::ops::append_item(&src, root, &path, target)? {
            None => Ok(text.to_string()),
            Some((edits, _)) => crate::yaml::edit::apply(text, edits),
        };
    }
    Err("no Location entity in this file".into())
}

/// One row of a batch.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchLine {
    row: usize,
    output: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<String>,
    /// `--shard K/N`, when the run was one shard of several.
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<String>,
}

fn read_rows(
    path: &Path,
    template: &Template,
) -> Result<Vec<std::result::Result<Map<String, Value>, String>>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("--values-list {}: {e}", path.display())))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| usage(format!("{}: {e}", path.display())))?
            .clone();
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| usage(format!("{}: {e}", path.display())))?;
            let mut values = Map::new();
            let mut error = None;
            for (h, cell) in headers.iter().zip(record.iter()) {
                if cell.is_empty() {
                    continue;
                }
                if let Err(e) = values::apply_set(template, &mut values, &format!("{h}={cell}")) {
                    error = Some(format!(
                        "{}:{}: {}",
                        path.display(),
                        i + 2,
                        e.replace("`--set ", "`")
                    ));
                }
            }
            rows.push(match error {
                Some(e) => Err(e),
                None => Ok(values),
            });
        }
        return Ok(rows);
    }
    let Some(root) = read_yaml(path, "--values-list")? else {
        return Ok(Vec::new());
    };
    let Some(items) = root.as_seq() else {
        return Err(usage(format!(
            "{}: expected a YAML list of mappings (or a .csv file)",
            path.display()
        )));
    };
    Ok(items
        .iter()
        .map(|item| match item.to_json() {
            Value::Object(m) => Ok(m),
            _ => Err(format!(
                "{}:{}: each row must be a mapping of parameter values",
                path.display(),
                item.span.start.line
            )),
        })
        .collect())
}

pub fn batch(args: &ScaffoldBatchArgs) -> Result<Outcome> {
    let prepared = prepare(&args.template, &args.options)?;
    if let Err(e) = scaffold::preflight(&prepared.template, args.options.skip_unsupported) {
        super::to_stderr(&format!("error: {e}\n"));
        return Ok(Outcome::Problems);
    }
    let rows = read_rows(&args.values_list, &prepared.template)?;
    // Rows come from a values list: the same bounds as any render.
    let mut pattern_env = budget::bounded_environment(budget::FUEL_LIMIT);
    pattern_env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Where each row goes is known before anything runs: it decides the row's shard.
    let planned: Vec<(usize, RowPlan)> = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            (
                index + 1,
                plan_row(&pattern_env, &args.output_dir, &prepared, row),
            )
        })
        .filter(|(row_number, plan)| match args.shard {
            None => true,
            Some(shard) => shard.contains(&match plan {
                Ok((_, output)) => output.to_string_lossy().into_owned(),
                Err(_) => format!("row {row_number}"),
            }),
        })
        .collect();
    let shard = args.shard.map(|s| s.to_string());
    let stop = AtomicBool::new(false);
    let run_row = |(row_number, plan): (usize, RowPlan)| -> BatchLine {
        let line = |output: Option<String>, status: &'static str, errors: Vec<String>| BatchLine {
            row: row_number,
            output,
            status,
            commit: None,
            files: None,
            errors,
            shard: shard.clone(),
        };
        if stop.load(Ordering::Relaxed) {
            return line(
                None,
                "skipped",
                vec!["an earlier row failed (use --continue-on-error to go on)".into()],
            );
        }
        let (given, output) = match plan {
            Ok(p) => p,
            Err((output, errors)) => return line(output, "failed", errors),
        };
        let shown = Some(output.to_string_lossy().into_owned());
        let resolved = match checked_values(&prepared, given) {
            Ok(r) => r,
            Err(problems) => {
                return line(
                    shown,
                    "failed",
                    problems.iter().map(|p| p.to_string()).collect(),
                );
            }
        };
        let request = prepared.request(
            &resolved,
            random_uuid(),
            Target::Output(output),
            &args.options,
            false,
        );
        match scaffold::generate(&request) {
            Err(e) => line(shown, "failed", vec![e]),
            Ok(g) => match &g.report.error {
                Some(e) => line(shown, "failed", vec![e.message.clone()]),
                None => BatchLine {
                    commit: g.report.effects.iter().find_map(|e| match e {
                        scaffold::remote::Effect::Published { commit, .. } => commit.clone(),
                        _ => None,
                    }),
                    files: Some(
                        g.changes
                            .iter()
                            .filter(|(_, _, after)| {
                                matches!(after, Some(scaffold::workspace::Entry::File { .. }))
                            })
                            .count(),
                    ),
                    ..line(shown, "created", Vec::new())
                },
            },
        }
    };
    let pool = pool(args.jobs)?;
    // Each row's line is written as soon as it finishes (in finishing order, each carrying its
    // row number); the closing summary on stderr is the same whatever the order.
    let stream = super::ResultStream::new(planned.len(), "scaffolding", "rows");
    let lines: Vec<std::result::Result<BatchLine, serde_json::Error>> = pool.install(|| {
        use rayon::prelude::*;
        planned
            .into_par_iter()
            .map(|r| {
                let line = run_row(r);
                if line.status == "failed" && !args.continue_on_error {
                    stop.store(true, Ordering::Relaxed);
                }
                let mut text = serde_json::to_string(&line)?;
                text.push('\n');
                stream.emit(&text);
                Ok(line)
            })
            .collect()
    });
    stream.finish()?;
    let lines = lines
        .into_iter()
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let failed = lines.iter().filter(|l| l.status == "failed").count();
    let skipped = lines.iter().filter(|l| l.status == "skipped").count();
    let in_shard = match args.shard {
        Some(shard) => format!(" (shard {shard}: {} of {} rows)", lines.len(), rows.len()),
        None => String::new(),
    };
    if failed + skipped > 0 {
        let skipped = if skipped > 0 {
            format!(", {skipped} skipped")
        } else {
            String::new()
        };
        super::to_stderr(&format!(
            "{failed} of {} rows failed{skipped}; the others were created{in_shard}\n",
            lines.len()
        ));
        return Ok(Outcome::Problems);
    }
    if args.shard.is_some() {
        super::to_stderr(&format!("{} rows created{in_shard}\n", lines.len()));
    }
    Ok(Outcome::Success)
}

/// A row ready to run: its values and output directory, or the line reporting why it cannot run.
type RowPlan = std::result::Result<(Map<String, Value>, PathBuf), (Option<String>, Vec<String>)>;

fn plan_row(
    pattern_env: &minijinja::Environment<'_>,
    pattern: &str,
    prepared: &Prepared,
    row: &std::result::Result<Map<String, Value>, String>,
) -> RowPlan {
    let row = row.as_ref().map_err(|e| (None, vec![e.clone()]))?;
    let mut given = prepared.base_values.clone();
    for (k, v) in row {
        given.insert(k.clone(), v.clone());
    }
    let rendered = scaffold::render::render_bounded(
        pattern_env,
        pattern,
        minijinja::Value::from(minijinja::value::Serde(&given)),
    )
    .map_err(|e| (None, vec![format!("--output-dir `{pattern}`: {e}")]))?;
    let rendered = rendered.trim();
    if rendered.is_empty() {
        return Err((
            None,
            vec![format!(
                "--output-dir `{pattern}` renders to an empty path for this row"
            )],
        ));
    }
    let output =
        batch_output(pattern, rendered).map_err(|e| (Some(rendered.to_string()), vec![e]))?;
    Ok((given, output))
}
