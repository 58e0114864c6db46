//! URLs of files in a hosted repository (GitHub, GitLab, Bitbucket Cloud and Server, Azure
//! DevOps), and the identity of the repository being checked, so that an absolute URL that
//! points into it can be read from the working tree as a relative path would be.

/// A hosted repository: host and path (`github.com`, `acme/payments`), compared without case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoId {
    pub host: String,
    pub path: String,
}

impl RepoId {
    fn new(host: &str, path: &str) -> RepoId {
        let path = path.trim_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        RepoId {
            host: host.to_ascii_lowercase(),
            path: path.to_ascii_lowercase(),
        }
    }

    /// The repository a git remote URL names: `https://host/org/repo(.git)`,
    /// `git@host:org/repo.git`, `ssh://git@host[:port]/org/repo.git`, Azure DevOps
    /// (`https://dev.azure.com/org/project/_git/repo`, `git@ssh.dev.azure.com:v3/org/project/repo`)
    /// and Bitbucket Server (`https://host/scm/project/repo.git`).
    pub fn from_remote(remote: &str) -> Option<RepoId> {
        let remote = remote.trim();
        if let Some(rest) = remote.strip_prefix("git@ssh.dev.azure.com:v3/") {
            let mut parts = rest.splitn(3, '/');
            let (org, project, repo) = (parts.next()?, parts.next()?, parts.next()?);
            return Some(RepoId::new(
                "dev.azure.com",
                &format!("{org}/{project}/{repo}"),
            ));
        }
        if !remote.contains("://")
            && let Some((user_host, path)) = remote.split_once(':')
        {
            let host = user_host.rsplit('@').next()?;
            return Some(RepoId::new(host, path));
        }
        let url = url::Url::parse(remote).ok()?;
        let host = url.host_str()?;
        let path = url.path();
        if let Some((before, repo)) = path.split_once("/_git/") {
            return Some(RepoId::new(host, &format!("{before}/{repo}")));
        }
        if let Some(rest) = path.strip_prefix("/scm/") {
            return Some(RepoId::new(host, rest));
        }
        Some(RepoId::new(host, path))
    }
}

/// A file in a hosted repository, as a blob, tree, raw or browse URL names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUrl {
    pub repo: RepoId,
    /// The branch (or other ref) the URL names; None when the URL names none (default branch).
    pub branch: Option<String>,
    /// The path inside the repository, without a leading `/`.
    pub path: String,
}

/// Parses the URL shapes of GitHub, GitLab, Bitbucket Cloud, Bitbucket Server and Azure DevOps.
/// The branch is taken as one path segment (branches with `/` are not told from the path).
pub fn parse_file_url(text: &str) -> Option<FileUrl> {
    let url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    let segments: Vec<String> = url.path_segments()?.map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let file = |repo: RepoId, branch: Option<String>, rest: &[&str]| FileUrl {
        repo,
        branch,
        path: rest.join("/"),
    };
    // raw.githubusercontent.com/ORG/REPO/BRANCH/PATH
    if host.eq_ignore_ascii_case("raw.githubusercontent.com") {
        let [org, repo, branch, rest @ ..] = segments.as_slice() else {
            return None;
        };
        return Some(file(
            RepoId::new("github.com", &format!("{org}/{repo}")),
            Some(branch.to_string()),
            rest,
        ));
    }
    // Azure DevOps: /ORG/PROJECT/_git/REPO?path=/x&version=GBbranch
    if let Some(git) = segments.iter().position(|s| *s == "_git") {
        let repo_name = segments.get(git + 1)?;
        let repo = RepoId::new(host, &format!("{}/{repo_name}", segments[..git].join("/")));
        let path = query("path")?;
        let branch = query("version").and_then(|v| v.strip_prefix("GB").map(str::to_string));
        return Some(FileUrl {
            repo,
            branch,
            path: path.trim_start_matches('/').to_string(),
        });
    }
    // Bitbucket Server: /projects/PROJ/repos/REPO/browse|raw/PATH?at=refs/heads/BRANCH
    if let [
        "projects",
        project,
        "repos",
        repo,
        "browse" | "raw",
        rest @ ..,
    ] = segments.as_slice()
    {
        let branch = query("at").map(|at| {
            at.strip_prefix("refs/heads/")
                .map_or(at.clone(), str::to_string)
        });
        return Some(file(
            RepoId::new(host, &format!("{project}/{repo}")),
            branch,
            rest,
        ));
    }
    // GitLab: /GROUP[/SUBGROUP…]/REPO/-/blob|tree|raw/BRANCH/PATH
    if let Some(dash) = segments.iter().position(|s| *s == "-")
        && let [kind, branch, rest @ ..] = &segments[dash + 1..]
        && matches!(*kind, "blob" | "tree" | "raw")
    {
        return Some(file(
            RepoId::new(host, &segments[..dash].join("/")),
            Some(branch.to_string()),
            rest,
        ));
    }
    // GitHub (and GitHub Enterprise): /ORG/REPO/blob|tree|raw/BRANCH/PATH;
    // Bitbucket Cloud: /WORKSPACE/REPO/src|raw/BRANCH/PATH.
    if let [org, repo, kind, branch, rest @ ..] = segments.as_slice()
        && matches!(*kind, "blob" | "tree" | "raw" | "src")
    {
        return Some(file(
            RepoId::new(host, &format!("{org}/{repo}")),
            Some(branch.to_string()),
            rest,
        ));
    }
    None
}

/// The URL of `path` on `branch` of the repository `repo` at `host`, in the host's shape (a
/// host that is none of the known ones gets GitHub's, as GitHub Enterprise does).
pub fn file_url(host: &str, repo: &str, branch: &str, path: &str) -> String {
    if host == "dev.azure.com"
        && let Some((project, name)) = repo.rsplit_once('/')
    {
        return format!("https://{host}/{project}/_git/{name}?path=/{path}&version=GB{branch}");
    }
    if host.contains("gitlab") {
        return format!("https://{host}/{repo}/-/blob/{branch}/{path}");
    }
    if host == "bitbucket.org" {
        return format!("https://{host}/{repo}/src/{branch}/{path}");
    }
    format!("https://{host}/{repo}/blob/{branch}/{path}")
}

fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(host: &str, path: &str) -> RepoId {
        RepoId::new(host, path)
    }

    #[test]
    fn remotes_of_every_host_name_their_repository() {
        let acme = id("github.com", "acme/catalog");
        for remote in [
            "https://github.com/acme/catalog.git",
            "https://github.com/Acme/Catalog",
            "git@github.com:acme/catalog.git",
            "ssh://git@github.com/acme/catalog.git",
            "https://token@github.com/acme/catalog.git",
        ] {
            assert_eq!(
                RepoId::from_remote(remote).as_ref(),
                Some(&acme),
                "{remote}"
            );
        }
        assert_eq!(
            RepoId::from_remote("git@gitlab.com:group/sub/catalog.git"),
            Some(id("gitlab.com", "group/sub/catalog"))
        );
        assert_eq!(
            RepoId::from_remote("https://dev.azure.com/org/proj/_git/catalog"),
            Some(id("dev.azure.com", "org/proj/catalog"))
        );
        assert_eq!(
            RepoId::from_remote("git@ssh.dev.azure.com:v3/org/proj/catalog"),
            Some(id("dev.azure.com", "org/proj/catalog"))
        );
        assert_eq!(
            RepoId::from_remote("https://bitbucket.example.com/scm/plat/catalog.git"),
            Some(id("bitbucket.example.com", "plat/catalog"))
        );
    }

    #[test]
    fn file_urls_of_every_host() {
        let cases = [
            (
                "https://github.com/acme/catalog/blob/main/templates/x/steps/publish.yaml",
                (
                    "github.com",
                    "acme/catalog",
                    Some("main"),
                    "templates/x/steps/publish.yaml",
                ),
            ),
            (
                "https://github.com/acme/catalog/tree/main/services",
                ("github.com", "acme/catalog", Some("main"), "services"),
            ),
            (
                "https://raw.githubusercontent.com/acme/catalog/main/a/b.yaml",
                ("github.com", "acme/catalog", Some("main"), "a/b.yaml"),
            ),
            (
                "https://gitlab.com/group/sub/catalog/-/blob/main/a%20b.yaml",
                ("gitlab.com", "group/sub/catalog", Some("main"), "a b.yaml"),
            ),
            (
                "https://bitbucket.org/acme/catalog/src/main/catalog-info.yaml",
                (
                    "bitbucket.org",
                    "acme/catalog",
                    Some("main"),
                    "catalog-info.yaml",
                ),
            ),
            (
                "https://bitbucket.example.com/projects/PLAT/repos/catalog/browse/a.yaml?at=refs/heads/main",
                (
                    "bitbucket.example.com",
                    "plat/catalog",
                    Some("main"),
                    "a.yaml",
                ),
            ),
            (
                "https://dev.azure.com/org/proj/_git/catalog?path=/a/b.yaml&version=GBmain",
                (
                    "dev.azure.com",
                    "org/proj/catalog",
                    Some("main"),
                    "a/b.yaml",
                ),
            ),
        ];
        for (text, (host, path, branch, file)) in cases {
            let url = parse_file_url(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(url.repo, id(host, path), "{text}");
            assert_eq!(url.branch.as_deref(), branch, "{text}");
            assert_eq!(url.path, file, "{text}");
        }
        assert_eq!(parse_file_url("https://example.com/openapi.yaml"), None);
        assert_eq!(parse_file_url("file:///etc/passwd"), None);
    }
}
