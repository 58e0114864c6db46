//! Actions whose effect is remote, done locally: `publish:*` initialise a git repository in the
//! workspace and commit (no push); `catalog:register` records a registration the command applies
//! to a Location file; pull-request actions report the branch they would open.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::actions::{ActionContext, Outputs};
use super::repo_url::{self, RepoSpec};

/// A remote effect, for the run report and for the command to finish (registration).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Effect {
    /// A new repository: initialised and committed locally (nothing pushed).
    #[serde(rename_all = "camelCase")]
    Published {
        step: String,
        action: String,
        /// The repository's directory, relative to the output (`""` for the output itself).
        dir: String,
        branch: String,
        remote_url: String,
        repo_contents_url: String,
        /// None in a dry run.
        commit: Option<String>,
    },
    /// A change proposed to an existing repository; callboard reports it and opens nothing.
    #[serde(rename_all = "camelCase")]
    PullRequest {
        step: String,
        action: String,
        repo_url: String,
        branch: Option<String>,
        title: Option<String>,
        url: String,
    },
    /// A catalog registration, applied by the command with `--register-into`.
    #[serde(rename_all = "camelCase")]
    Registered {
        step: String,
        catalog_info_url: String,
        /// The catalog file inside the output, when it was published by this run.
        local_file: Option<String>,
        entity_ref: String,
        optional: bool,
    },
}

const PUBLISH_NEW: &[&str] = &[
    "publish:github",
    "publish:gitlab",
    "publish:bitbucket",
    "publish:bitbucketCloud",
    "publish:bitbucketServer",
    "publish:azure",
    "publish:gitea",
    "publish:gerrit",
];

const PULL_REQUESTS: &[&str] = &[
    "publish:github:pull-request",
    "publish:gitlab:merge-request",
    "publish:bitbucketServer:pull-request",
    "publish:bitbucketCloud:pull-request",
    "publish:azure:pull-request",
    "publish:gerrit:review",
];

pub fn is_emulated(action: &str) -> bool {
    PUBLISH_NEW.contains(&action) || PULL_REQUESTS.contains(&action) || action == "catalog:register"
}

pub fn run(
    action: &str,
    input: &Map<String, Value>,
    ctx: &mut ActionContext<'_>,
) -> Result<Outputs, String> {
    if action == "catalog:register" {
        return register(input, ctx);
    }
    let repo_url = input
        .get("repoUrl")
        .and_then(Value::as_str)
        .ok_or("input `repoUrl` is required")?;
    let spec = repo_url::parse(repo_url, ctx.integrations)?;
    let kind = ctx.integrations.type_of(&spec.host).map(String::from);
    if PULL_REQUESTS.contains(&action) {
        return pull_request(action, input, repo_url, &spec, ctx);
    }
    let branch = input
        .get("defaultBranch")
        .and_then(Value::as_str)
        .filter(|b| !b.is_empty())
        .unwrap_or("master");
    let urls = repo_url::published_urls(&spec, kind.as_deref(), branch);
    let source_path = input.get("sourcePath").and_then(Value::as_str);
    let dir = source_dir(ctx.workspace, source_path)?;
    let commit = if ctx.dry_run {
        None
    } else {
        crate::fs::Confined::new(ctx.workspace, "the workspace")
            .create_dir_all(&dir)
            .map_err(|e| e.to_string())?;
        if let Some(write_record) = ctx.record {
            write_record(&dir).map_err(|e| format!("cannot write the scaffold record: {e}"))?;
        }
        let message = input
            .get("gitCommitMessage")
            .and_then(Value::as_str)
            .unwrap_or("Initial commit");
        let name = input
            .get("gitAuthorName")
            .and_then(Value::as_str)
            .unwrap_or("Scaffolder");
        let email = input
            .get("gitAuthorEmail")
            .and_then(Value::as_str)
            .unwrap_or("scaffolder@backstage.io");
        Some(init_and_commit(
            &dir,
            branch,
            message,
            name,
            email,
            &urls.remote_url,
        )?)
    };
    ctx.effects.push(Effect::Published {
        step: ctx.step_id.to_string(),
        action: action.to_string(),
        dir: dir
            .strip_prefix(ctx.workspace)
            .unwrap_or(Path::new(""))
            .to_string_lossy()
            .replace('\\', "/"),
        branch: branch.to_string(),
        remote_url: urls.remote_url.clone(),
        repo_contents_url: urls.repo_contents_url.clone(),
        commit: commit.clone(),
    });
    let mut out = Outputs::new();
    out.insert("remoteUrl".into(), json!(urls.remote_url));
    out.insert("repoContentsUrl".into(), json!(urls.repo_contents_url));
    out.insert(
        "commitHash".into(),
        json!(commit.unwrap_or_else(|| "<dry-run>".into())),
    );
    Ok(out)
}

/// Backstage's `getRepoSourceDirectory`: leading `../` are dropped, the rest must stay inside.
fn source_dir(workspace: &Path, source_path: Option<&str>) -> Result<PathBuf, String> {
    let Some(source) = source_path.filter(|s| !s.is_empty()) else {
        return Ok(workspace.to_path_buf());
    };
    let mut rest = source;
    while let Some(r) = rest
        .strip_prefix("../")
        .or_else(|| (rest == "..").then_some(""))
    {
        rest = r;
    }
    super::workspace::safe_child(workspace, rest).map_err(|_| "invalid sourcePath".to_string())
}

/// `git init` with the branch, add everything, one commit, `origin` set to the remote URL.
fn init_and_commit(
    dir: &Path,
    branch: &str,
    message: &str,
    name: &str,
    email: &str,
    remote: &str,
) -> Result<String, String> {
    let fail = |e: git2::Error| format!("git in {}: {}", dir.display(), e.message());
    // The directory exists (created through the workspace guard by the caller).
    // A second publish of the same directory adds a commit to the repository the first made.
    let repo = match git2::Repository::open(dir) {
        Ok(r)
            if r.workdir()
                .is_some_and(|w| w.canonicalize().ok() == dir.canonicalize().ok()) =>
        {
            r
        }
        _ => {
            let mut options = git2::RepositoryInitOptions::new();
            options.initial_head(branch);
            git2::Repository::init_opts(dir, &options).map_err(fail)?
        }
    };
    let mut index = repo.index().map_err(fail)?;
    index
        .add_all(["*"], git2::IndexAddOption::FORCE, None)
        .map_err(fail)?;
    index.write().map_err(fail)?;
    let tree_id = index.write_tree().map_err(fail)?;
    let tree = repo.find_tree(tree_id).map_err(fail)?;
    let signature = match commit_time() {
        Some(time) => git2::Signature::new(name, email, &time),
        None => git2::Signature::now(name, email),
    }
    .map_err(fail)?;
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let oid = repo
        .commit(
            Some("HEAD"),
            &signature,
            &signature,
            message,
            &tree,
            &parents,
        )
        .map_err(fail)?;
    if repo.find_remote("origin").is_err() {
        repo.remote("origin", remote).map_err(fail)?;
    }
    Ok(oid.to_string())
}

/// `SOURCE_DATE_EPOCH` makes commits reproducible (the reproducible-builds convention).
fn commit_time() -> Option<git2::Time> {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse::<i64>()
        .ok()?;
    Some(git2::Time::new(secs, 0))
}

fn pull_request(
    action: &str,
    input: &Map<String, Value>,
    repo_url: &str,
    spec: &RepoSpec,
    ctx: &mut ActionContext<'_>,
) -> Result<Outputs, String> {
    let kind = ctx.integrations.type_of(&spec.host).map(String::from);
    let urls = repo_url::published_urls(spec, kind.as_deref(), "master");
    let web = urls.remote_url.trim_end_matches(".git").to_string();
    let owner = spec.owner.clone().unwrap_or_else(|| "undefined".into());
    let repo = spec.repo.clone().unwrap_or_else(|| "undefined".into());
    let target = input
        .get("targetBranchName")
        .and_then(Value::as_str)
        .unwrap_or("main")
        .to_string();
    let mut out = Outputs::new();
    let url = match action {
        "publish:github:pull-request" => {
            let url = format!("https://{}/{owner}/{repo}/pull/1", spec.host);
            out.insert("remoteUrl".into(), json!(url));
            out.insert("pullRequestNumber".into(), json!(1));
            out.insert("targetBranchName".into(), json!(target));
            url
        }
        "publish:gitlab:merge-request" => {
            let url = format!("{}/-/merge_requests/1", urls.remote_url);
            out.insert("projectid".into(), json!(format!("{owner}/{repo}")));
            out.insert("projectPath".into(), json!(format!("{owner}/{repo}")));
            out.insert("mergeRequestUrl".into(), json!(url));
            out.insert("targetBranchName".into(), json!(target));
            url
        }
        _ => {
            let url = format!("{web}/pull/1");
            out.insert("pullRequestUrl".into(), json!(url));
            out.insert("remoteUrl".into(), json!(url));
            url
        }
    };
    ctx.effects.push(Effect::PullRequest {
        step: ctx.step_id.to_string(),
        action: action.to_string(),
        repo_url: repo_url.to_string(),
        branch: input
            .get("branchName")
            .and_then(Value::as_str)
            .map(String::from),
        title: input.get("title").and_then(Value::as_str).map(String::from),
        url,
    });
    Ok(out)
}

fn register(input: &Map<String, Value>, ctx: &mut ActionContext<'_>) -> Result<Outputs, String> {
    let path = input
        .get("catalogInfoPath")
        .and_then(Value::as_str)
        .unwrap_or("/catalog-info.yaml");
    let contents_url = input.get("repoContentsUrl").and_then(Value::as_str);
    let catalog_info_url = match (
        input.get("catalogInfoUrl").and_then(Value::as_str),
        contents_url,
    ) {
        (Some(url), _) => url.to_string(),
        (None, Some(base)) => format!("{base}{path}"),
        (None, None) => {
            return Err("input `catalogInfoUrl` or `repoContentsUrl` is required".into());
        }
    };
    // The catalog file is local when this run published the repository it lives in.
    let local_file = contents_url.and_then(|base| {
        ctx.effects.iter().find_map(|e| match e {
            Effect::Published {
                repo_contents_url,
                dir,
                ..
            } if repo_contents_url == base => {
                let rel = path.trim_start_matches('/');
                Some(if dir.is_empty() {
                    rel.to_string()
                } else {
                    format!("{dir}/{rel}")
                })
            }
            _ => None,
        })
    });
    let entity_ref = local_file
        .as_deref()
        .and_then(|f| registered_entity(ctx.workspace, &ctx.workspace.join(f)))
        .unwrap_or_else(|| "component:default/unknown".into());
    ctx.effects.push(Effect::Registered {
        step: ctx.step_id.to_string(),
        catalog_info_url: catalog_info_url.clone(),
        local_file,
        entity_ref: entity_ref.clone(),
        optional: matches!(input.get("optional"), Some(Value::Bool(true))),
    });
    let mut out = Outputs::new();
    out.insert("entityRef".into(), json!(entity_ref));
    out.insert("catalogInfoUrl".into(), json!(catalog_info_url));
    Ok(out)
}

/// The entity Backstage's catalog:register reports: a Component whose name does not start with
/// `generated-`, else the first entity of the file.
pub fn registered_entity(workspace: &Path, file: &Path) -> Option<String> {
    // The path is a template input: a link in the workspace may not lead the read elsewhere.
    let text =
        crate::fs::read_confined_string(workspace, file, crate::fs::MAX_CONTENT_FILE_BYTES).ok()?;
    let stream = crate::yaml::parse_stream(&text);
    let entities: Vec<(String, String, String)> = stream
        .documents
        .iter()
        .filter_map(|d| {
            let root = &d.document.root;
            let kind = root.get("kind")?.as_str()?.to_string();
            let metadata = root.get("metadata")?;
            let name = metadata.get("name")?.as_str()?.to_string();
            let namespace = metadata
                .get("namespace")
                .and_then(|n| n.as_str())
                .unwrap_or("default")
                .to_string();
            Some((kind, namespace, name))
        })
        .collect();
    let pick = entities
        .iter()
        .find(|(k, _, n)| k == "Component" && !n.starts_with("generated-"))
        .or_else(|| entities.first())?;
    Some(format!("{}:{}/{}", pick.0.to_lowercase(), pick.1, pick.2))
}
