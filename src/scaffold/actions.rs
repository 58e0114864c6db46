//! The built-in actions that run offline, each as Backstage's handler does it: fetch:template,
//! fetch:template:file, fetch:plain, fetch:plain:file, fs:rename, fs:delete, catalog:write,
//! debug:log, debug:wait. Remote actions are emulated in `remote`.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value};

use super::remote;
use super::render::{RenderOptions, Renderer, Syntax};
use super::repo_url::Integrations;
use super::workspace::{self, safe_child};
use crate::fs::Confined;

/// How well callboard can run an action offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Runs exactly as Backstage's handler.
    Local,
    /// A remote effect done locally (git init and commit, a Location target) or reported.
    Emulated,
    /// Not available offline: the run stops before anything is written unless
    /// `--skip-unsupported`.
    Unsupported,
}

pub fn support(action: &str) -> Support {
    match action {
        "fetch:template"
        | "fetch:template:file"
        | "fetch:plain"
        | "fetch:plain:file"
        | "fs:rename"
        | "fs:delete"
        | "catalog:write"
        | "debug:log"
        | "debug:wait"
        | "fs:readdir" => Support::Local,
        a if remote::is_emulated(a) => Support::Emulated,
        _ => Support::Unsupported,
    }
}

/// What an action did to one path of the workspace (for the plan).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileEvent {
    pub step: String,
    /// Relative to the workspace, `/`-separated.
    pub path: String,
    pub event: FileEventKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileEventKind {
    /// fetch:template left an existing file alone (no `replace: true`).
    SkipExisting,
    /// fetch:template skipped an entry whose rendered path was empty, absolute or had `//`.
    SkipConditional,
    Deleted,
}

/// Writes callboard's record into a repository directory before it is committed.
pub type RecordWriter<'a> = &'a dyn Fn(&Path) -> Result<(), String>;

/// Everything an action may use.
pub struct ActionContext<'a> {
    pub workspace: &'a Path,
    /// The directory of template.yaml: relative `url:` inputs resolve against it.
    pub template_dir: &'a Path,
    pub template_ref: &'a str,
    pub step_id: &'a str,
    pub url_map: &'a [(String, PathBuf)],
    pub integrations: &'a Integrations,
    pub seed: u64,
    pub dry_run: bool,
    pub log: &'a mut Vec<String>,
    pub events: &'a mut Vec<FileEvent>,
    pub warnings: &'a mut Vec<String>,
    pub effects: &'a mut Vec<remote::Effect>,
    pub record: Option<RecordWriter<'a>>,
}

impl ActionContext<'_> {
    fn event(&mut self, path: &str, event: FileEventKind) {
        self.events.push(FileEvent {
            step: self.step_id.to_string(),
            path: path.to_string(),
            event,
        });
    }

    /// Every write of every action goes through this guard (dry runs included: they run in
    /// the scratch workspace too).
    fn guard(&self) -> Confined {
        Confined::new(self.workspace, "the workspace")
    }

    fn relative(&self, path: &Path) -> String {
        workspace::slash_path(path.strip_prefix(self.workspace).unwrap_or(path))
    }
}

pub type Outputs = Map<String, Value>;

/// Runs one action with its rendered input.
pub fn run(action: &str, input: &Value, ctx: &mut ActionContext<'_>) -> Result<Outputs, String> {
    let empty = Map::new();
    let input = input.as_object().unwrap_or(&empty);
    match action {
        "fetch:template" => fetch_template(input, ctx).map(|()| Outputs::new()),
        "fetch:template:file" => fetch_template_file(input, ctx).map(|()| Outputs::new()),
        "fetch:plain" => fetch_plain(input, ctx).map(|()| Outputs::new()),
        "fetch:plain:file" => fetch_plain_file(input, ctx).map(|()| Outputs::new()),
        "fs:rename" => fs_rename(input, ctx).map(|()| Outputs::new()),
        "fs:delete" => fs_delete(input, ctx).map(|()| Outputs::new()),
        "catalog:write" => catalog_write(input, ctx).map(|()| Outputs::new()),
        "debug:log" => {
            // Backstage validates inputs against the action's schema: `message` is a string.
            if let Some(m) = input.get("message")
                && !m.is_string()
            {
                return Err(format!("input `message` must be a string, not {m}"));
            }
            ctx.log.push(
                serde_json::to_string_pretty(&Value::Object(input.clone())).unwrap_or_default(),
            );
            if let Some(message) = input.get("message") {
                ctx.log.push(match message {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            }
            Ok(Outputs::new())
        }
        "debug:wait" => Ok(Outputs::new()),
        "fs:readdir" => fs_readdir(input, ctx),
        other if remote::is_emulated(other) => remote::run(other, input, ctx),
        other => Err(format!("action `{other}` is not available offline")),
    }
}

fn string<'a>(input: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("input `{key}` must be a string, not {other}")),
    }
}

fn required<'a>(input: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    string(input, key)?.ok_or_else(|| format!("input `{key}` is required"))
}

fn flag(input: &Map<String, Value>, key: &str) -> bool {
    matches!(input.get(key), Some(Value::Bool(true)))
}

/// Where a `url:` input's content is on this machine.
pub fn resolve_source(url: &str, ctx: &ActionContext<'_>) -> Result<PathBuf, String> {
    if is_absolute_url(url) {
        for (prefix, dir) in ctx.url_map {
            if let Some(rest) = url.strip_prefix(prefix.as_str()) {
                let rest = rest.trim_start_matches('/');
                return safe_child(dir, rest).map_err(|e| format!("{url}: {e}"));
            }
        }
        return Err(format!(
            "`{url}` is a remote URL and callboard runs offline; serve it from a local \
             checkout with --url-map {url}=DIR (the longest matching prefix wins)"
        ));
    }
    local_source(ctx.template_dir, url)
}

/// A relative `url:` against the template's directory: inside it by name and by real path (a
/// symbolic link in the template directory must not pull in files from elsewhere), and no git
/// directory. `scaffold run` and `scaffold lint` both resolve through here.
pub fn local_source(template_dir: &Path, url: &str) -> Result<PathBuf, String> {
    let source = safe_child(template_dir, url).map_err(|e| format!("url {e}"))?;
    if let (Ok(real), Ok(base)) = (source.canonicalize(), template_dir.canonicalize())
        && !real.starts_with(&base)
    {
        return Err(format!(
            "url `{url}` leads outside the template's directory (through a symbolic link to {}); \
             copy the files into the template instead",
            real.display()
        ));
    }
    Ok(source)
}

fn is_absolute_url(s: &str) -> bool {
    url::Url::parse(s).is_ok()
}

fn renderer_for(input: &Map<String, Value>, ctx: &ActionContext<'_>) -> Renderer {
    Renderer::new(RenderOptions {
        syntax: if flag(input, "cookiecutterCompat") {
            Syntax::Cookiecutter
        } else {
            Syntax::Backstage
        },
        trim_blocks: flag(input, "trimBlocks"),
        lstrip_blocks: flag(input, "lstripBlocks"),
        seed: ctx.seed,
        integrations: ctx.integrations.clone(),
    })
}

fn template_context(input: &Map<String, Value>) -> Value {
    let values = input
        .get("values")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    let key = if flag(input, "cookiecutterCompat") {
        "cookiecutter"
    } else {
        "values"
    };
    let mut map = Map::new();
    map.insert(key.into(), values);
    Value::Object(map)
}

/// Every entry under `dir` as globby lists them: relative, `/`-separated, directories with a
/// trailing `/`, links not followed.
fn list_entries(dir: &Path) -> Result<Vec<String>, String> {
    let tree = workspace::snapshot(dir, &[])
        .map_err(|e| format!("cannot read the template directory {}: {e}", dir.display()))?;
    Ok(tree
        .into_iter()
        .map(|(path, entry)| match entry {
            workspace::Entry::Dir => format!("{path}/"),
            _ => path,
        })
        .collect())
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let p = p.strip_prefix("./").unwrap_or(p);
        builder.add(
            GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{p}`: {e}"))?,
        );
    }
    builder.build().map_err(|e| e.to_string())
}

fn string_list(input: &Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, String> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| format!("input `{key}` must be a list of strings"))
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(format!("input `{key}` must be a list of strings")),
    }
}

/// Backstage's `containsSkippedContent`.
fn skipped(path: &str) -> bool {
    path.is_empty() || path.starts_with('/') || path.contains("//")
}

fn fetch_template(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<(), String> {
    let url = required(input, "url")?;
    let target = string(input, "targetPath")?.unwrap_or("./");
    let output_dir = safe_child(ctx.workspace, target).map_err(|e| format!("targetPath {e}"))?;
    let copy_only = string_list(input, "copyWithoutTemplating")?;
    if input.contains_key("copyWithoutRender") {
        ctx.warnings.push(format!(
            "step {}: `copyWithoutRender` was removed from Backstage and is ignored there too: \
             the matching files are rendered; use `copyWithoutTemplating`",
            ctx.step_id
        ));
    }
    let extension = match input.get("templateFileExtension") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(".njk".to_string()),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) if s.starts_with('.') => Some(s.clone()),
        Some(Value::String(s)) => Some(format!(".{s}")),
        Some(_) => {
            return Err("input `templateFileExtension` must be a string or a boolean".into());
        }
    };
    if extension.is_some() && (copy_only.is_some() || flag(input, "cookiecutterCompat")) {
        return Err(
            "templateFileExtension cannot be combined with copyWithoutTemplating or cookiecutterCompat"
                .into(),
        );
    }
    let template_dir = resolve_source(url, ctx)?;
    if !template_dir.is_dir() {
        let what = if template_dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return Err(format!(
            "url `{url}`: {} {what} (a relative url is resolved against the template's directory)",
            template_dir.display()
        ));
    }
    if output_dir.starts_with(&template_dir) {
        return Err("targetPath must not be within the template directory".into());
    }
    let entries = list_entries(&template_dir)?;
    let copy_only = copy_only.unwrap_or_default();
    // Every pattern must be a valid glob (an error names it); matching is globby's: a
    // directory's own path stands for everything under it, `!pattern` takes files back out.
    glob_set(
        &copy_only
            .iter()
            .map(|p| p.strip_prefix('!').unwrap_or(p).to_string())
            .collect::<Vec<_>>(),
    )?;
    let no_templating = super::globby::RawCopy::new(copy_only.iter().map(String::as_str), |p| {
        entries.iter().any(|e| e.strip_suffix('/') == Some(p))
    });
    let renderer = renderer_for(input, ctx);
    let context = template_context(input);
    let replace = flag(input, "replace");
    for location in entries {
        let plain_path = location.trim_end_matches('/');
        let (render_contents, to_render) = match &extension {
            Some(ext) => {
                let renders = Path::new(plain_path)
                    .extension()
                    .is_some_and(|e| format!(".{}", e.to_string_lossy()) == *ext)
                    && !location.ends_with('/');
                let path = if renders {
                    location[..location.len() - ext.len()].to_string()
                } else {
                    location.clone()
                };
                (renders, path)
            }
            None => (!no_templating.is_raw(plain_path), location.clone()),
        };
        let local = renderer
            .render_str(&to_render, &context)
            .map_err(|e| format!("cannot render the path `{location}`: {}", e.message))?;
        if skipped(&local) {
            ctx.event(&location, FileEventKind::SkipConditional);
            continue;
        }
        let output = safe_child(&output_dir, &local)
            .map_err(|e| format!("the path `{location}` renders to `{local}`: {e}"))?;
        if std::fs::symlink_metadata(&output).is_ok() && !replace {
            let rel = ctx.relative(&output);
            ctx.event(&rel, FileEventKind::SkipExisting);
            continue;
        }
        let guard = ctx.guard();
        if location.ends_with('/') {
            guard.create_dir_all(&output).map_err(|e| e.to_string())?;
            continue;
        }
        let source = template_dir.join(&location);
        let meta = std::fs::symlink_metadata(&source).map_err(|e| io_error(&source, e))?;
        if meta.file_type().is_symlink() {
            guard
                .copy_verbatim(&source, &output)
                .map_err(|e| e.to_string())?;
            continue;
        }
        let bytes = std::fs::read(&source).map_err(|e| io_error(&source, e))?;
        if workspace::is_binary(&bytes) {
            guard
                .copy_verbatim(&source, &output)
                .map_err(|e| e.to_string())?;
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let contents = if render_contents {
            renderer.render_str(&text, &context).map_err(|e| {
                // Name the file as the template author sees it: the fetched directory and the path.
                format!(
                    "{}/{location}{}: {}",
                    url.trim_end_matches('/'),
                    e.line.map(|l| format!(":{l}")).unwrap_or_default(),
                    e.message
                )
            })?
        } else {
            text.into_owned()
        };
        guard
            .write_file(
                &output,
                contents.as_bytes(),
                Some(workspace::file_mode(&meta)),
            )
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn io_error(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

fn fetch_template_file(
    input: &Map<String, Value>,
    ctx: &mut ActionContext<'_>,
) -> Result<(), String> {
    let url = required(input, "url")?;
    let target = required(input, "targetPath")?;
    let output = safe_child(ctx.workspace, target).map_err(|e| format!("targetPath {e}"))?;
    if std::fs::symlink_metadata(&output).is_ok() && !flag(input, "replace") {
        let rel = ctx.relative(&output);
        ctx.event(&rel, FileEventKind::SkipExisting);
        return Ok(());
    }
    let source = resolve_source(url, ctx)?;
    let bytes = crate::fs::read_limited(&source, crate::fs::MAX_CONTENT_FILE_BYTES)
        .map_err(|e| format!("url `{url}`: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let renderer = renderer_for(input, ctx);
    let contents = renderer
        .render_str(&text, &template_context(input))
        .map_err(|e| {
            format!(
                "{url}{}: {}",
                e.line.map(|l| format!(":{l}")).unwrap_or_default(),
                e.message
            )
        })?;
    ctx.guard()
        .write_file(&output, contents.as_bytes(), None)
        .map_err(|e| e.to_string())
}

fn fetch_plain(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<(), String> {
    let url = string(input, "url")?.unwrap_or(".");
    let target = string(input, "targetPath")?.unwrap_or("./");
    let output = safe_child(ctx.workspace, target).map_err(|e| format!("targetPath {e}"))?;
    let source = resolve_source(url, ctx)?;
    let meta = std::fs::symlink_metadata(&source).map_err(|e| io_error(&source, e))?;
    if meta.is_dir() {
        if output.starts_with(&source) {
            return Err("targetPath must not be within the fetched directory".into());
        }
        ctx.guard()
            .copy_tree(&source, &output)
            .map_err(|e| format!("url `{url}`: {e}"))
    } else {
        ctx.guard()
            .copy_verbatim(&source, &output)
            .map_err(|e| e.to_string())
    }
}

fn fetch_plain_file(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<(), String> {
    let url = required(input, "url")?;
    let target = required(input, "targetPath")?;
    let output = safe_child(ctx.workspace, target).map_err(|e| format!("targetPath {e}"))?;
    let source = resolve_source(url, ctx)?;
    // Backstage copies with fs.copyFile, which fails when the directory is missing.
    if output.parent().is_some_and(|p| !p.is_dir()) {
        return Err(format!(
            "the directory of targetPath `{target}` does not exist (Backstage fails here too); \
             create it in an earlier step or use fetch:template:file"
        ));
    }
    // A link already at the target (one a skeleton shipped, say) is replaced, never written
    // through: it may point outside the workspace.
    ctx.guard()
        .copy_file(&source, &output)
        .map_err(|e| e.to_string())
}

fn fs_rename(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<(), String> {
    let Some(Value::Array(files)) = input.get("files") else {
        return Err("input `files` must be a list of {from, to} mappings".into());
    };
    for file in files {
        let from = file
            .get("from")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        let to = file
            .get("to")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        let (Some(from), Some(to)) = (from, to) else {
            return Err("each file must have a `from` and a `to`".into());
        };
        let source = safe_child(ctx.workspace, from)?;
        let dest = safe_child(ctx.workspace, to)?;
        if std::fs::symlink_metadata(&source).is_err() {
            return Err(format!("cannot rename `{from}`: it does not exist"));
        }
        if std::fs::symlink_metadata(&dest).is_ok() {
            if !matches!(file.get("overwrite"), Some(Value::Bool(true))) {
                return Err(format!(
                    "cannot rename `{from}` to `{to}`: the destination exists (set `overwrite: true`)"
                ));
            }
            ctx.guard().remove(&dest).map_err(|e| e.to_string())?;
        }
        ctx.guard()
            .rename(&source, &dest)
            .map_err(|e| e.to_string())?;
        let rel = ctx.relative(&source);
        ctx.event(&rel, FileEventKind::Deleted);
    }
    Ok(())
}

fn fs_delete(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<(), String> {
    let Some(Value::Array(files)) = input.get("files") else {
        return Err("input `files` must be a list of paths or globs".into());
    };
    let tree =
        workspace::snapshot(ctx.workspace, &[".git"]).map_err(|e| io_error(ctx.workspace, e))?;
    for pattern in files {
        let Some(pattern) = pattern.as_str() else {
            return Err("input `files` must be a list of strings".into());
        };
        let absolute = safe_child(ctx.workspace, pattern)?;
        let rel = ctx.relative(&absolute);
        // globby expands a directory to everything under it and lists files only.
        let is_dir = matches!(tree.get(&rel), Some(workspace::Entry::Dir));
        let matcher = glob_set(&[if is_dir {
            format!("{rel}/**")
        } else {
            rel.clone()
        }])?;
        for (path, entry) in &tree {
            if matches!(entry, workspace::Entry::Dir) || !matcher.is_match(path) {
                continue;
            }
            let full = ctx.workspace.join(path);
            if std::fs::symlink_metadata(&full).is_ok() {
                ctx.guard().remove(&full).map_err(|e| e.to_string())?;
                ctx.event(path, FileEventKind::Deleted);
            }
        }
    }
    Ok(())
}

/// Most entries one `fs:readdir` invocation lists (a recursive listing of a large tree would
/// otherwise hold all of it in the step's outputs).
pub const MAX_READDIR_ENTRIES: usize = 100_000;

/// `fs:readdir`: the files and folders under each of `paths` (recursively with `recursive:
/// true`), each as `{name, path, fullPath}`. Node lists a directory in the file system's
/// order; callboard sorts each directory by name, so the output is the same everywhere, and
/// walks as Node's recursive `readdir` does (a stack: a directory's entries, then the last
/// subdirectory's). A symbolic link is a file and is not followed.
fn fs_readdir(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<Outputs, String> {
    let paths = match input.get("paths") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| match p.as_str() {
                Some(p) if !p.is_empty() => Ok(p),
                _ => Err("input `paths` must be a list of non-empty strings".to_string()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => {
            return Err("input `paths` is required and must be a list of non-empty strings".into());
        }
    };
    let recursive = match input.get("recursive") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("input `recursive` must be true or false".into()),
    };
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for path in paths {
        let start = safe_child(ctx.workspace, path)?;
        let mut stack = vec![start];
        while let Some(dir) = stack.pop() {
            let mut entries = std::fs::read_dir(&dir)
                .and_then(|list| list.collect::<Result<Vec<_>, _>>())
                .map_err(|e| io_error(&dir, e))?;
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                if files.len() + folders.len() >= MAX_READDIR_ENTRIES {
                    return Err(format!(
                        "`{path}` holds more than {MAX_READDIR_ENTRIES} entries; list a smaller directory"
                    ));
                }
                let full = entry.path();
                let item = serde_json::json!({
                    "name": entry.file_name().to_string_lossy(),
                    "path": ctx.relative(&full),
                    "fullPath": full.to_string_lossy(),
                });
                let is_dir = entry.file_type().map_err(|e| io_error(&full, e))?.is_dir();
                if is_dir {
                    folders.push(item);
                    if recursive {
                        stack.push(full);
                    }
                } else {
                    files.push(item);
                }
            }
        }
    }
    let mut outputs = Outputs::new();
    outputs.insert("files".into(), Value::Array(files));
    outputs.insert("folders".into(), Value::Array(folders));
    Ok(outputs)
}

fn catalog_write(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<(), String> {
    let path = string(input, "filePath")?.unwrap_or("catalog-info.yaml");
    let Some(Value::Object(entity)) = input.get("entity") else {
        return Err("input `entity` is required and must be a mapping".into());
    };
    let mut entity = entity.clone();
    // Backstage always records which template made the entity.
    let metadata = entity
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(metadata) = metadata {
        let annotations = metadata
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if !annotations.is_object() {
            *annotations = Value::Object(Map::new());
        }
        if let Value::Object(a) = annotations {
            a.insert(
                "backstage.io/source-template".into(),
                Value::String(ctx.template_ref.to_string()),
            );
        }
    }
    let output = safe_child(ctx.workspace, path).map_err(|e| format!("filePath {e}"))?;
    let text = super::yaml_out::stringify(&Value::Object(entity));
    ctx.guard()
        .write_file(&output, text.as_bytes(), None)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_rule_matches_backstage() {
        assert!(skipped(""));
        assert!(skipped("/workflows/ci.yml"));
        assert!(skipped("a//b"));
        assert!(!skipped("a/b/"));
    }

    #[test]
    fn support_tiers() {
        assert_eq!(support("fetch:template"), Support::Local);
        assert_eq!(support("publish:github"), Support::Emulated);
        assert_eq!(support("catalog:register"), Support::Emulated);
        assert_eq!(support("fetch:cookiecutter"), Support::Unsupported);
    }
}
