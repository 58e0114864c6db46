//! `RepoUrlPicker` values (`github.com?owner=acme&repo=svc`) parsed as Backstage's
//! `parseRepoUrl` does, and the URLs a publish action reports for them.

use serde_json::{Map, Value, json};

/// Which SCM integration serves a host: Backstage's defaults when no integrations are
/// configured, plus any given with `--integration HOST=TYPE`.
#[derive(Debug, Clone, Default)]
pub struct Integrations {
    extra: Vec<(String, String)>,
}

pub const INTEGRATION_TYPES: &[&str] = &[
    "github",
    "gitlab",
    "bitbucketCloud",
    "bitbucketServer",
    "azure",
    "gitea",
    "gerrit",
];

impl Integrations {
    pub fn with(mut self, host: &str, kind: &str) -> Self {
        self.extra.push((host.to_string(), kind.to_string()));
        self
    }

    pub fn type_of(&self, host: &str) -> Option<&str> {
        if let Some((_, kind)) = self.extra.iter().rev().find(|(h, _)| h == host) {
            return Some(kind);
        }
        match host {
            "github.com" => Some("github"),
            "gitlab.com" => Some("gitlab"),
            "bitbucket.org" => Some("bitbucketCloud"),
            "dev.azure.com" => Some("azure"),
            _ => None,
        }
    }
}

/// The parts of a repository URL (`{host, owner, repo, organization, workspace, project}`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepoSpec {
    pub host: String,
    pub owner: Option<String>,
    pub repo: Option<String>,
    pub organization: Option<String>,
    pub workspace: Option<String>,
    pub project: Option<String>,
}

impl RepoSpec {
    /// As the `parseRepoUrl` filter returns it: absent parts are left out.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("host".into(), json!(self.host));
        for (key, value) in [
            ("owner", &self.owner),
            ("repo", &self.repo),
            ("organization", &self.organization),
            ("workspace", &self.workspace),
            ("project", &self.project),
        ] {
            if let Some(v) = value {
                map.insert(key.into(), json!(v));
            }
        }
        Value::Object(map)
    }
}

/// Why a repository URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoUrlError {
    Invalid {
        url: String,
        reason: String,
    },
    NoIntegration {
        host: String,
    },
    Missing {
        url: String,
        normalized: String,
        name: String,
        kind: String,
        required: Vec<&'static str>,
    },
}

impl RepoUrlError {
    /// The message Backstage's `parseRepoUrl` throws (templates may render it).
    pub fn backstage_message(&self) -> String {
        match self {
            RepoUrlError::Invalid { url, reason } => {
                format!(
                    "Invalid repo URL passed to publisher, got {url}, TypeError: Invalid URL ({reason})"
                )
            }
            RepoUrlError::NoIntegration { host } => format!(
                "No matching integration configuration for host {host}, please check your integrations config"
            ),
            RepoUrlError::Missing {
                normalized, name, ..
            } => {
                format!("Invalid repo URL passed to publisher: {normalized}, missing {name}")
            }
        }
    }
}

impl std::fmt::Display for RepoUrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RepoUrlError::Invalid { url, reason } => {
                write!(f, "invalid repo URL `{url}`: {reason}")
            }
            RepoUrlError::NoIntegration { host } => write!(
                f,
                "no integration is configured for host {host} (built in: github.com, gitlab.com, \
                 bitbucket.org, dev.azure.com); add one with --integration {host}=github|gitlab|…"
            ),
            RepoUrlError::Missing {
                url,
                name,
                kind,
                required,
                ..
            } => write!(
                f,
                "repo URL `{url}` has no `{name}` (a {kind} URL needs {})",
                required.join(", ")
            ),
        }
    }
}

impl From<RepoUrlError> for String {
    fn from(e: RepoUrlError) -> String {
        e.to_string()
    }
}

/// Parses like Backstage: `https://` is prepended and the query parameters are read; which
/// ones are required depends on the host's integration type.
pub fn parse(repo_url: &str, integrations: &Integrations) -> Result<RepoSpec, RepoUrlError> {
    let parsed =
        url::Url::parse(&format!("https://{repo_url}")).map_err(|e| RepoUrlError::Invalid {
            url: repo_url.to_string(),
            reason: e.to_string(),
        })?;
    let host = match (parsed.host_str(), parsed.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => String::new(),
    };
    let Some(kind) = integrations.type_of(&host) else {
        return Err(RepoUrlError::NoIntegration { host });
    };
    let param = |name: &str| -> Option<String> {
        parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim_matches('/').to_string())
    };
    let required: &[&'static str] = match kind {
        "bitbucketCloud" => &["workspace", "project", "repo"],
        "bitbucketServer" | "azure" => &["project", "repo"],
        "gitlab" if param("project").is_some_and(|p| !p.is_empty()) => &[],
        "gitlab" => &["owner", "repo"],
        "gitea" | "gerrit" => &["repo"],
        _ => &["repo", "owner"],
    };
    for name in required {
        // Backstage checks the raw parameter: present and non-empty.
        let raw = parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned());
        if raw.is_none_or(|v| v.is_empty()) {
            return Err(RepoUrlError::Missing {
                url: repo_url.to_string(),
                normalized: parsed.to_string(),
                name: name.to_string(),
                kind: kind.to_string(),
                required: required.to_vec(),
            });
        }
    }
    Ok(RepoSpec {
        host,
        owner: param("owner"),
        repo: param("repo"),
        organization: param("organization"),
        workspace: param("workspace"),
        project: param("project"),
    })
}

/// The remote URL and contents URL a publish action reports, in each provider's shape.
pub struct PublishedUrls {
    pub remote_url: String,
    pub repo_contents_url: String,
}

pub fn published_urls(spec: &RepoSpec, kind: Option<&str>, branch: &str) -> PublishedUrls {
    let base = format!("https://{}", spec.host);
    let s = |v: &Option<String>| v.clone().unwrap_or_else(|| "undefined".into());
    match kind {
        Some("gitlab") => {
            let web = format!("{base}/{}/{}", s(&spec.owner), s(&spec.repo));
            PublishedUrls {
                repo_contents_url: format!("{web}/-/blob/{branch}"),
                remote_url: web,
            }
        }
        Some("bitbucketCloud") => {
            let web = format!("{base}/{}/{}", s(&spec.workspace), s(&spec.repo));
            PublishedUrls {
                remote_url: format!("{web}.git"),
                repo_contents_url: format!("{web}/src/{branch}"),
            }
        }
        Some("bitbucketServer") => {
            let (project, repo) = (s(&spec.project), s(&spec.repo));
            PublishedUrls {
                remote_url: format!("{base}/scm/{project}/{repo}.git"),
                repo_contents_url: format!("{base}/projects/{project}/repos/{repo}/browse"),
            }
        }
        Some("azure") => {
            let web = format!(
                "{base}/{}/{}/_git/{}",
                s(&spec.organization),
                s(&spec.project),
                s(&spec.repo)
            );
            PublishedUrls {
                remote_url: web.clone(),
                repo_contents_url: web,
            }
        }
        _ => {
            let owner = spec
                .owner
                .clone()
                .or_else(|| spec.organization.clone())
                .or_else(|| spec.workspace.clone())
                .or_else(|| spec.project.clone())
                .unwrap_or_else(|| "undefined".into());
            let web = format!("{base}/{owner}/{}", s(&spec.repo));
            PublishedUrls {
                remote_url: format!("{web}.git"),
                repo_contents_url: format!("{web}/blob/{branch}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_needs_owner_and_repo() {
        let i = Integrations::default();
        let spec = parse("github.com?owner=acme&repo=svc", &i).unwrap();
        assert_eq!(spec.owner.as_deref(), Some("acme"));
        assert_eq!(
            spec.to_json(),
            json!({"host": "github.com", "owner": "acme", "repo": "svc"})
        );
        let e = parse("github.com?repo=svc", &i).unwrap_err();
        assert!(e.to_string().contains("no `owner`"), "{e}");
        assert_eq!(
            e.backstage_message(),
            "Invalid repo URL passed to publisher: https://github.com/?repo=svc, missing owner"
        );
    }

    #[test]
    fn gitlab_accepts_a_project_instead_of_an_owner() {
        let i = Integrations::default();
        assert!(parse("gitlab.com?project=123&repo=x", &i).is_ok());
        assert!(parse("gitlab.com?repo=x", &i).is_err());
    }

    #[test]
    fn unknown_hosts_need_an_integration() {
        let e = parse("git.acme.internal?owner=a&repo=b", &Integrations::default()).unwrap_err();
        assert!(e.to_string().contains("--integration"), "{e}");
        let i = Integrations::default().with("git.acme.internal", "gitlab");
        assert!(parse("git.acme.internal?owner=a&repo=b", &i).is_ok());
    }

    #[test]
    fn slashes_around_parameters_are_trimmed() {
        let spec = parse("github.com?owner=/acme/&repo=svc", &Integrations::default()).unwrap();
        assert_eq!(spec.owner.as_deref(), Some("acme"));
    }

    #[test]
    fn publish_urls_follow_each_provider() {
        let i = Integrations::default();
        let gh = parse("github.com?owner=acme&repo=svc", &i).unwrap();
        let u = published_urls(&gh, Some("github"), "main");
        assert_eq!(u.remote_url, "https://github.com/acme/svc.git");
        assert_eq!(u.repo_contents_url, "https://github.com/acme/svc/blob/main");
        let gl = parse("gitlab.com?owner=acme&repo=svc", &i).unwrap();
        let u = published_urls(&gl, Some("gitlab"), "master");
        assert_eq!(
            u.repo_contents_url,
            "https://gitlab.com/acme/svc/-/blob/master"
        );
        let az = parse("dev.azure.com?organization=o&project=p&repo=r", &i).unwrap();
        assert_eq!(
            published_urls(&az, Some("azure"), "main").remote_url,
            "https://dev.azure.com/o/p/_git/r"
        );
    }
}
