//! Your portal's own catalog rules, read from its `app-config*.yaml`: `catalog.rules` (which
//! kinds, optionally of which `spec.type`, may come from which locations) and the per-location
//! `rules` of `catalog.locations`, enforced as Backstage's `DefaultCatalogRulesEnforcer` does.
//! Without an app-config none of this applies (callboard allows every built-in kind).

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::yaml::Node;

/// Where an entity was read from, as the catalog records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// `url` or `file`.
    pub kind: String,
    /// A URL, or an absolute path for `file`.
    pub target: String,
}

#[derive(Debug, Clone)]
struct Allow {
    kind: String,
    spec_type: Option<String>,
}

#[derive(Debug, Clone)]
enum LocationMatcher {
    Exact { kind: String, target: String },
    Pattern { kind: String, glob: GlobMatcher },
    Any { kind: String },
}

#[derive(Debug, Clone)]
struct Rule {
    allow: Vec<Allow>,
    /// None: any location.
    locations: Option<Vec<LocationMatcher>>,
}

/// The rules of one portal, and the locations its app-config registers.
#[derive(Debug, Clone)]
pub struct CatalogRules {
    rules: Vec<Rule>,
    /// `catalog.locations`: (type, target as written, target resolved).
    pub locations: Vec<(String, String, String)>,
    /// The app-config files read, for messages.
    pub sources: Vec<PathBuf>,
}

/// A problem in an app-config file, with its place.
pub type AppConfigError = crate::located::LocatedError;

impl CatalogRules {
    /// Reads `files` in order; a later file's `catalog.rules` or `catalog.locations` replaces an
    /// earlier one's, as Backstage merges configuration (arrays are replaced, not joined). File
    /// targets of `catalog.locations` are relative to the backend's working directory:
    /// `backend_dir`.
    pub fn read(files: &[PathBuf], backend_dir: &Path) -> Result<CatalogRules, AppConfigError> {
        let mut rules_node: Option<(PathBuf, Node)> = None;
        let mut locations_node: Option<(PathBuf, Node)> = None;
        for file in files {
            let Some((root, errors)) = crate::reader::read_yaml(file)? else {
                continue;
            };
            if let Some(e) = errors.into_iter().next() {
                return Err(e);
            }
            if let Some(rules) = root.pointer("/catalog/rules") {
                rules_node = Some((file.clone(), rules.clone()));
            }
            if let Some(locations) = root.pointer("/catalog/locations") {
                locations_node = Some((file.clone(), locations.clone()));
            }
        }
        let mut rules = Vec::new();
        match &rules_node {
            Some((file, node)) => {
                for item in seq(file, node, "catalog.rules")? {
                    rules.push(Rule {
                        allow: allow_list(file, item)?,
                        locations: match item.get("locations") {
                            None => None,
                            Some(list) => Some(
                                seq(file, list, "catalog.rules[].locations")?
                                    .iter()
                                    .map(|l| matcher(file, l))
                                    .collect::<Result<_, _>>()?,
                            ),
                        },
                    });
                }
            }
            // Backstage's default: no Users, Groups or other kinds from any location.
            None => rules.push(Rule {
                allow: ["Component", "API", "Location"]
                    .map(|kind| Allow {
                        kind: kind.to_string(),
                        spec_type: None,
                    })
                    .to_vec(),
                locations: None,
            }),
        }
        let mut locations = Vec::new();
        if let Some((file, node)) = &locations_node {
            for item in seq(file, node, "catalog.locations")? {
                let kind = string(file, item, "type")?;
                let written = string(file, item, "target")?;
                let target = canonical(&kind, &written, backend_dir);
                if let Some(list) = item.get("rules") {
                    for rule in seq(file, list, "catalog.locations[].rules")? {
                        rules.push(Rule {
                            allow: allow_list(file, rule)?,
                            locations: Some(vec![LocationMatcher::Exact {
                                kind: kind.clone(),
                                target: target.clone(),
                            }]),
                        });
                    }
                }
                locations.push((kind, written, target));
            }
        }
        Ok(CatalogRules {
            rules,
            locations,
            sources: files.to_vec(),
        })
    }

    /// Whether an entity of `kind` (and `spec_type`) read from `location` is allowed.
    pub fn allows(&self, kind: &str, spec_type: Option<&str>, location: &Location) -> bool {
        self.rules.iter().any(|rule| {
            let location_ok = match &rule.locations {
                None => true,
                Some(matchers) => matchers.iter().any(|m| m.matches(location)),
            };
            location_ok
                && rule.allow.iter().any(|a| {
                    a.kind.eq_ignore_ascii_case(kind)
                        && a.spec_type
                            .as_deref()
                            .is_none_or(|t| spec_type.is_some_and(|s| s.eq_ignore_ascii_case(t)))
                })
        })
    }

    /// The kinds some rule allows from `location`, for a message.
    pub fn kinds_allowed(&self, location: &Location) -> Vec<String> {
        let mut kinds: Vec<String> = self
            .rules
            .iter()
            .filter(|r| {
                r.locations
                    .as_ref()
                    .is_none_or(|m| m.iter().any(|m| m.matches(location)))
            })
            .flat_map(|r| {
                r.allow.iter().map(|a| match &a.spec_type {
                    Some(t) => format!("{} (spec.type {t})", a.kind),
                    None => a.kind.clone(),
                })
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }
}

impl LocationMatcher {
    fn matches(&self, location: &Location) -> bool {
        let target = if location.kind == "url" {
            canonical_url(&location.target)
        } else {
            location.target.clone()
        };
        match self {
            LocationMatcher::Exact { kind, target: t } => kind == &location.kind && t == &target,
            LocationMatcher::Pattern { kind, glob } => {
                kind == &location.kind && glob.is_match(&target)
            }
            LocationMatcher::Any { kind } => kind == &location.kind,
        }
    }
}

fn located(file: &Path, node: &Node, message: String) -> AppConfigError {
    AppConfigError {
        file: file.to_path_buf(),
        line: node.span.start.line,
        column: node.span.start.column,
        message,
    }
}

fn seq<'n>(file: &Path, node: &'n Node, what: &str) -> Result<&'n [Node], AppConfigError> {
    node.as_seq()
        .ok_or_else(|| located(file, node, format!("{what} must be a list")))
}

fn string(file: &Path, node: &Node, key: &str) -> Result<String, AppConfigError> {
    node.get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| located(file, node, format!("`{key}` must be a string here")))
}

/// `allow: [Component, {kind: Resource, spec.type: database}]`.
fn allow_list(file: &Path, rule: &Node) -> Result<Vec<Allow>, AppConfigError> {
    let list = rule
        .get("allow")
        .ok_or_else(|| located(file, rule, "a rule needs `allow`: a list of kinds".into()))?;
    seq(file, list, "allow")?
        .iter()
        .map(|item| match item.as_str() {
            Some(kind) => Ok(Allow {
                kind: kind.to_string(),
                spec_type: None,
            }),
            None => Ok(Allow {
                kind: string(file, item, "kind")?,
                spec_type: item
                    .get("spec.type")
                    .and_then(|t| t.as_str())
                    .map(str::to_string),
            }),
        })
        .collect()
}

fn matcher(file: &Path, node: &Node) -> Result<LocationMatcher, AppConfigError> {
    let kind = string(file, node, "type")?;
    let text = |key: &str| node.get(key).and_then(|v| v.as_str()).map(str::to_string);
    match (text("exact"), text("pattern")) {
        (Some(_), Some(_)) => Err(located(
            file,
            node,
            "a catalog rule location cannot have both exact and pattern values".into(),
        )),
        (Some(exact), None) => Ok(LocationMatcher::Exact {
            target: if kind == "url" {
                canonical_url(&exact)
            } else {
                exact
            },
            kind,
        }),
        (None, Some(pattern)) => {
            // minimatch with `nocase` and `dot`: `*` stops at `/`.
            let glob = GlobBuilder::new(&pattern)
                .case_insensitive(true)
                .literal_separator(true)
                .build()
                .map_err(|e| located(file, node, format!("invalid pattern `{pattern}`: {e}")))?;
            Ok(LocationMatcher::Pattern {
                kind,
                glob: glob.compile_matcher(),
            })
        }
        (None, None) => Ok(LocationMatcher::Any { kind }),
    }
}

/// A configured target as the enforcer compares it: file paths resolved against the backend's
/// working directory, URLs canonical.
fn canonical(kind: &str, target: &str, backend_dir: &Path) -> String {
    match kind {
        "file" => crate::fs::lexical_normalize(&backend_dir.join(target))
            .to_string_lossy()
            .into_owned(),
        "url" => canonical_url(target),
        _ => target.to_string(),
    }
}

/// A URL with its path's percent-encodings decoded (so a crafted URL cannot look like another
/// location's), as Backstage canonicalises targets before matching.
fn canonical_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => {
            let path = percent_encoding::percent_decode_str(parsed.path())
                .decode_utf8_lossy()
                .replace('\\', "/");
            let host = parsed.host_str().unwrap_or_default();
            let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
            let query = parsed.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{}://{host}{port}{path}{query}", parsed.scheme())
        }
        Err(_) => url.to_string(),
    }
}

/// `kind-not-allowed` for every entity the rules do not allow from the location it is read
/// from (see [`location_of`]).
pub fn check(catalog: &super::Catalog, rules: &CatalogRules) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::{Code, Diagnostic};
    let configured: Vec<(PathBuf, Location)> = rules
        .locations
        .iter()
        .filter_map(|(kind, written, target)| {
            let local = match kind.as_str() {
                "file" => Some(PathBuf::from(target)),
                "url" => catalog.same_repo.as_ref()?.local_path(written),
                _ => None,
            }?;
            Some((
                crate::fs::lexical_normalize(&std::path::absolute(local).ok()?),
                Location {
                    kind: kind.clone(),
                    target: target.clone(),
                },
            ))
        })
        .collect();
    let sources: Vec<String> = rules
        .sources
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut out = Vec::new();
    for e in catalog.entities() {
        let location = location_of(catalog, e.file, &configured);
        let kind = e.record.kind_written.as_ref();
        if rules.allows(kind, e.record.spec_type.as_deref(), &location) {
            continue;
        }
        let allowed = rules.kinds_allowed(&location);
        let mut d = Diagnostic::new(
            Code::KindNotAllowed,
            format!(
                "kind {kind} is not allowed from {} by the catalog rules of {} (allowed there: {})",
                location.target,
                sources.join(", "),
                if allowed.is_empty() { "nothing".to_string() } else { allowed.join(", ") }
            ),
        )
        .at("/kind")
        .in_file(e.file)
        .help("allow the kind for this location under catalog.rules (or the location's own rules) in app-config, or register the file through a location that allows it");
        d.entity = Some(e.reference().to_string());
        d.document = Some(e.document);
        out.push(d);
    }
    out
}

/// Where Backstage records an entity of `file` as read from: the app-config location whose
/// target is that file; else the file's URL in this repository (`url`, as a repository
/// registered by URL), else the file's path (`file`).
pub fn location_of(
    catalog: &super::Catalog,
    file: &Path,
    configured: &[(PathBuf, Location)],
) -> Location {
    let absolute = std::path::absolute(file)
        .map(|p| crate::fs::lexical_normalize(&p))
        .unwrap_or_else(|_| file.to_path_buf());
    if let Some((_, location)) = configured.iter().find(|(path, _)| path == &absolute) {
        return location.clone();
    }
    match catalog
        .same_repo
        .as_ref()
        .and_then(|r| r.file_url(&absolute))
    {
        Some(url) => Location {
            kind: "url".into(),
            target: url,
        },
        None => Location {
            kind: "file".into(),
            target: absolute.to_string_lossy().into_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(yaml: &str) -> CatalogRules {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app-config.yaml");
        std::fs::write(&file, yaml).unwrap();
        CatalogRules::read(&[file], Path::new("/srv/backstage/packages/backend")).unwrap()
    }

    fn url(target: &str) -> Location {
        Location {
            kind: "url".into(),
            target: target.into(),
        }
    }

    #[test]
    fn default_rules_allow_components_apis_and_locations_only() {
        let r = rules("app:\n  title: x\n");
        let anywhere = url("https://github.com/acme/catalog/blob/main/catalog-info.yaml");
        assert!(r.allows("Component", None, &anywhere));
        assert!(r.allows("location", None, &anywhere));
        assert!(!r.allows("Group", None, &anywhere));
    }

    #[test]
    fn global_and_per_location_rules() {
        let r = rules(
            "catalog:
  rules:
    - allow: [Component, API]
    - allow:
        - kind: Resource
          spec.type: database
    - allow: [Template]
      locations:
        - type: url
          pattern: https://github.com/acme/*/blob/main/template.yaml
  locations:
    - type: url
      target: https://github.com/acme/catalog/blob/main/org.yaml
      rules:
        - allow: [User, Group]
    - type: file
      target: ../../examples/org.yaml
      rules:
        - allow: [Group]
",
        );
        let org = url("https://github.com/acme/catalog/blob/main/org.yaml");
        let other = url("https://github.com/acme/catalog/blob/main/other.yaml");
        assert!(r.allows("Group", None, &org));
        assert!(!r.allows("Group", None, &other));
        assert!(r.allows("Resource", Some("Database"), &other));
        assert!(!r.allows("Resource", Some("s3-bucket"), &other));
        assert!(!r.allows("Resource", None, &other));
        assert!(r.allows(
            "Template",
            None,
            &url("https://github.com/acme/svc/blob/main/template.yaml")
        ));
        assert!(!r.allows(
            "Template",
            None,
            &url("https://github.com/acme/svc/blob/main/x/template.yaml")
        ));
        let file = Location {
            kind: "file".into(),
            target: "/srv/backstage/examples/org.yaml".into(),
        };
        assert!(r.allows("Group", None, &file));
        assert_eq!(
            r.kinds_allowed(&org),
            [
                "API",
                "Component",
                "Group",
                "Resource (spec.type database)",
                "User"
            ]
        );
        // Percent-encoding cannot make one location look like another.
        assert!(r.allows(
            "Group",
            None,
            &url("https://github.com/acme/catalog/blob/main/%6Frg.yaml")
        ));
    }

    #[test]
    fn errors_name_the_place() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app-config.yaml");
        std::fs::write(&file, "catalog:\n  rules:\n    - allow: [Group]\n      locations:\n        - type: url\n          exact: a\n          pattern: b\n").unwrap();
        let e = CatalogRules::read(&[file], dir.path()).unwrap_err();
        assert_eq!((e.line, e.column), (5, 11), "{e}");
        assert!(e.message.contains("both exact and pattern"), "{e}");
    }
}
