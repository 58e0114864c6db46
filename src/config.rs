//! `.callboard.yaml`: extra kinds with their JSON Schemas, field-format overrides, severities,
//! include/exclude globs. Read with the span-keeping YAML loader so every error is located.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diag::{Code, Severity};
use crate::formats::Formats;
use crate::reader::Reader;
use crate::yaml::{self, Node, Value};

pub const FILE_NAME: &str = ".callboard.yaml";

/// A reference field of a kind: the built-in kinds' table (catalog/kinds.rs) and custom kinds
/// declared here both use it.
#[derive(Debug, Clone, Copy)]
pub struct RelationField {
    pub field: &'static str,
    /// Kind assumed when a reference omits it; `None` means the kind must be written.
    pub default_kind: Option<&'static str>,
    /// Kinds the field is meant to point at (empty: any).
    pub expected_kinds: &'static [&'static str],
    pub relation: &'static str,
}

/// A kind declared by the user, validated by their JSON Schema.
pub struct CustomKind {
    pub kind: String,
    pub api_versions: Vec<String>,
    pub schema_path: PathBuf,
    /// Its reference fields under `spec` (`relations:`, else [`DEFAULT_CUSTOM_RELATIONS`]).
    pub relations: Vec<RelationField>,
    validator: jsonschema::Validator,
}

/// The reference fields a custom kind has unless its `relations:` says otherwise: the fields
/// every built-in kind with an owner uses, with Backstage's meaning.
pub const DEFAULT_CUSTOM_RELATIONS: &[RelationField] = &[
    RelationField {
        field: "owner",
        default_kind: Some("Group"),
        expected_kinds: &["group", "user"],
        relation: "ownedBy",
    },
    RelationField {
        field: "system",
        default_kind: Some("System"),
        expected_kinds: &["system"],
        relation: "partOf",
    },
    RelationField {
        field: "dependsOn",
        default_kind: None,
        expected_kinds: &[],
        relation: "dependsOn",
    },
    RelationField {
        field: "dependencyOf",
        default_kind: None,
        expected_kinds: &[],
        relation: "dependencyOf",
    },
    RelationField {
        field: "providesApis",
        default_kind: Some("API"),
        expected_kinds: &["api"],
        relation: "providesApi",
    },
    RelationField {
        field: "consumesApis",
        default_kind: Some("API"),
        expected_kinds: &["api"],
        relation: "consumesApi",
    },
];

/// Backstage's relation types a custom field may declare.
pub const RELATION_TYPES: &[&str] = &[
    "ownedBy",
    "partOf",
    "dependsOn",
    "dependencyOf",
    "providesApi",
    "consumesApi",
    "memberOf",
    "childOf",
];

/// Configuration text lives as long as the process, and relation fields are `'static` like the
/// built-in kinds' table: the few strings of a configuration are leaked once on load.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

impl std::fmt::Debug for CustomKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomKind")
            .field("kind", &self.kind)
            .field("api_versions", &self.api_versions)
            .field("schema_path", &self.schema_path)
            .finish()
    }
}

impl CustomKind {
    /// Every schema violation as (JSON pointer, message).
    pub fn validate(&self, instance: &serde_json::Value) -> Vec<(String, String)> {
        self.validator
            .iter_errors(instance)
            .map(|e| {
                let pointer = e.instance_path().as_str().to_string();
                let shown = if pointer.is_empty() {
                    "<root>".to_string()
                } else {
                    pointer.clone()
                };
                (
                    pointer,
                    format!("{shown} {e} (schema {})", self.schema_path.display()),
                )
            })
            .collect()
    }
}

/// Severity override: a severity, or `off`.
pub type SeverityOverride = Option<Severity>;

#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from (None: defaults).
    pub path: Option<PathBuf>,
    pub formats: Formats,
    pub custom_kinds: Vec<CustomKind>,
    /// apiVersion groups (beyond backstage.io and scaffolder.backstage.io) that mark a YAML file as a catalog file.
    pub api_groups: Vec<String>,
    pub severity: HashMap<Code, SeverityOverride>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    /// Entities kept in another catalog: references to them are not unresolved.
    pub external: ExternalEntities,
    /// `suppress:` entries: findings under some paths that are known and accepted.
    pub suppressions: Vec<PathSuppression>,
    /// `repository:`: the URL of this repository (default: its `origin` remote), so absolute
    /// URLs into it are read from the working tree.
    pub repository: Option<String>,
    /// `placeholders:`: resolvers the portal installs beyond `$text`, `$json` and `$yaml`
    /// (`openapi`, `asyncapi`), without the `$`.
    pub placeholders: Vec<String>,
    /// `adoption:`: the adoption report's thresholds (unset ones keep their defaults).
    pub adoption: AdoptionConfig,
    /// `score:`: `callboard score` settings.
    pub score: ScoreConfig,
}

/// `score:` as written.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ScoreConfig {
    /// `maxWaiverDays`: how far past `--now` a waiver may expire (default 180).
    pub max_waiver_days: Option<u32>,
}

/// The keys of `score:`.
pub const SCORE_KEYS: &[&str] = &["maxWaiverDays"];

/// The largest `score.maxWaiverDays` accepted: ten years.
pub const MAX_WAIVER_DAYS_LIMIT: u32 = 3_650;

/// `adoption:` as written; what is not set keeps the report's default.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AdoptionConfig {
    /// `bands`: the three band edges (shares, ascending).
    pub bands: Option<[f64; 3]>,
    /// `chasm`: a share at or below the first band edge.
    pub chasm: Option<f64>,
    /// `gates`: gate id → threshold.
    pub gates: std::collections::BTreeMap<String, f64>,
    /// `teams.championAdoption` and `teams.championMinMembers`.
    pub champion_adoption: Option<f64>,
    pub champion_min_members: Option<usize>,
}

impl AdoptionConfig {
    pub fn is_default(&self) -> bool {
        *self == AdoptionConfig::default()
    }
}

/// The keys of `adoption:`.
pub const ADOPTION_KEYS: &[&str] = &["bands", "chasm", "gates", "teams"];
/// The keys of `adoption.teams`.
pub const ADOPTION_TEAM_KEYS: &[&str] = &["championAdoption", "championMinMembers"];
/// The gates of `adoption.gates` (the report's gate ids; `habitual-usage` is the habit gate
/// when usage data is given) and the range each threshold may take.
pub const ADOPTION_GATES: &[(&str, f64, f64)] = &[
    ("teams-onboarded", 0.0, 1e6),
    ("ownership", 0.0, 1.0),
    ("habitual", 0.0, 1.0),
    ("habitual-usage", 0.0, 1.0),
    ("retention", 0.0, 1.0),
    ("docs", 0.0, 1.0),
    ("scorecard-trend", -1.0, 1.0),
    ("self-service", 0.0, 1.0),
    ("golden-path-new", 0.0, 1.0),
    ("template-reuse", 0.0, 1e6),
];

/// Entities that live outside this repository (most installations keep one `catalog-info.yaml`
/// per service repository and the teams and systems in a central catalog).
#[derive(Debug, Default, Clone)]
pub struct ExternalEntities {
    /// `externalEntities:` patterns, globs over `kind:namespace/name` (lowercase).
    pub patterns: Option<GlobSet>,
    /// References read from `--known-entities` exports, as `kind:namespace/name` (lowercase).
    pub known: std::collections::HashSet<String>,
}

impl ExternalEntities {
    /// Whether `reference` (`kind:namespace/name`, lowercase) names an entity kept elsewhere.
    pub fn contains(&self, reference: &str) -> bool {
        self.known.contains(reference)
            || self
                .patterns
                .as_ref()
                .is_some_and(|p| p.is_match(reference))
    }
}

/// One `suppress:` entry: the findings of `codes` (every code when empty) in files matching
/// `paths`, accepted for `reason`.
#[derive(Debug, Clone)]
pub struct PathSuppression {
    pub paths: GlobSet,
    pub codes: Vec<Code>,
    pub reason: String,
    /// Where the entry is in `.callboard.yaml` (1-based line), to report it when unused.
    pub line: usize,
    pub column: usize,
}

/// A located problem in the configuration file.
pub type ConfigError = crate::located::LocatedError;

impl Config {
    /// Finds `.callboard.yaml` in `dir` (the repository root) and reads it, or returns defaults.
    pub fn discover(dir: &Path) -> Result<Config, Vec<ConfigError>> {
        let path = dir.join(FILE_NAME);
        if path.is_file() {
            Config::load(&path)
        } else {
            Ok(Config::default())
        }
    }

    pub fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let Some((root, mut errors)) = crate::reader::read_yaml(path).map_err(|e| vec![e])? else {
            return Ok(Config {
                path: Some(path.to_path_buf()),
                ..Config::default()
            });
        };
        let mut reader = Reader::new(path);
        let base = path.parent().unwrap_or(Path::new("."));
        let config = reader.config(&root, base, path);
        errors.extend(reader.errors);
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The effective severity of `code`; None when turned off.
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        match self.severity.get(&code) {
            Some(over) => *over,
            None => Some(code.default_severity()),
        }
    }
}

/// The keys of a custom kind, of one of its relations and of a format (docs/config.schema.json
/// follows them; tests/contracts.rs checks).
pub const KIND_KEYS: &[&str] = &["kind", "apiVersions", "schema", "relations"];
pub const RELATION_KEYS: &[&str] = &["field", "relation", "defaultKind", "kinds"];
pub const FORMAT_KEYS: &[&str] = &["maxLength", "pattern"];

pub const TOP_KEYS: &[&str] = &[
    "version",
    "kinds",
    "apiVersionGroups",
    "formats",
    "severity",
    "include",
    "exclude",
    "externalEntities",
    "suppress",
    "repository",
    "placeholders",
    "adoption",
    "score",
];

/// The keys of one `suppress:` entry.
pub const SUPPRESS_KEYS: &[&str] = &["paths", "codes", "reason"];

/// The configuration's part of the one reader (reader.rs): its sections.
impl Reader {
    fn config(&mut self, root: &Node, base: &Path, path: &Path) -> Config {
        let mut config = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        let Some(entries) = root.as_map() else {
            self.error(root.span, "the configuration must be a mapping");
            return config;
        };
        self.only_keys(root, TOP_KEYS, "the configuration");
        for (k, v) in entries {
            match k.text.as_str() {
                "version" if !matches!(v.value, Value::Int(1)) => {
                    self.error(v.span, "version must be 1");
                }
                "kinds" => config.custom_kinds = self.kinds(v, base),
                "apiVersionGroups" => config.api_groups = self.string_list(v, "apiVersionGroups"),
                "formats" => self.formats(v, &mut config.formats),
                "severity" => config.severity = self.severity(v),
                "include" => config.include = self.globs(v, "include"),
                "exclude" => config.exclude = self.globs(v, "exclude"),
                "externalEntities" => config.external.patterns = self.entity_patterns(v),
                "suppress" => config.suppressions = self.suppressions(v),
                "placeholders" => {
                    config.placeholders = self
                        .string_list(v, "placeholders")
                        .into_iter()
                        .map(|p| p.trim_start_matches('$').to_string())
                        .collect();
                }
                "adoption" => config.adoption = self.adoption(v),
                "score" => config.score = self.score(v),
                "repository" => match v.as_str() {
                    Some(url) if crate::source::scm_url::RepoId::from_remote(url).is_some() => {
                        config.repository = Some(url.to_string());
                    }
                    _ => self.error(
                        v.span,
                        "repository must be the repository's URL, e.g. https://github.com/acme/catalog",
                    ),
                },
                _ => {} // reported by only_keys
            }
        }
        config
    }

    /// A number (integer or decimal) within `min..=max`.
    fn number_in(&mut self, v: &Node, what: &str, min: f64, max: f64) -> Option<f64> {
        let n = match v.value {
            Value::Int(i) => i as f64,
            Value::Float(f) if f.is_finite() => f,
            _ => {
                self.error(v.span, format!("{what} must be a number"));
                return None;
            }
        };
        if n < min || n > max {
            self.error(
                v.span,
                format!("{what} must be from {min} to {max} (got {n})"),
            );
            return None;
        }
        Some(n)
    }

    /// `score:` settings; see docs/config.md.
    fn score(&mut self, v: &Node) -> ScoreConfig {
        let mut out = ScoreConfig::default();
        if v.as_map().is_none() {
            self.error(v.span, "score must be a mapping (maxWaiverDays)");
            return out;
        }
        self.only_keys(v, SCORE_KEYS, "score");
        if let Some(days) = v.get("maxWaiverDays") {
            match days.value {
                Value::Int(d) if (1..=i64::from(MAX_WAIVER_DAYS_LIMIT)).contains(&d) => {
                    out.max_waiver_days = u32::try_from(d).ok();
                }
                _ => self.error(
                    days.span,
                    format!(
                        "score.maxWaiverDays must be a whole number of days from 1 to {MAX_WAIVER_DAYS_LIMIT}"
                    ),
                ),
            }
        }
        out
    }

    /// `adoption:` thresholds, each checked against its range; see docs/config.md.
    fn adoption(&mut self, v: &Node) -> AdoptionConfig {
        let mut out = AdoptionConfig::default();
        if v.as_map().is_none() {
            self.error(
                v.span,
                "adoption must be a mapping (bands, chasm, gates, teams)",
            );
            return out;
        }
        self.only_keys(v, ADOPTION_KEYS, "adoption");
        if let Some(bands) = v.get("bands") {
            let edges: Vec<Option<f64>> = bands
                .as_seq()
                .unwrap_or_default()
                .iter()
                .map(|b| self.number_in(b, "adoption.bands: each edge", 0.0, 1.0))
                .collect();
            match edges.as_slice() {
                [Some(a), Some(b), Some(c)] if a < b && b < c && *a > 0.0 => {
                    out.bands = Some([*a, *b, *c]);
                }
                [Some(_), Some(_), Some(_)] => self.error(
                    bands.span,
                    "adoption.bands must rise: three edges above 0, e.g. [0.25, 0.5, 0.75]",
                ),
                _ if bands.as_seq().is_some_and(|b| b.len() == 3) => {}
                _ => self.error(
                    bands.span,
                    "adoption.bands must be a list of three shares, e.g. [0.25, 0.5, 0.75]",
                ),
            }
        }
        if let Some(c) = v.get("chasm") {
            out.chasm = self.number_in(c, "adoption.chasm", 0.0, 1.0);
            let first = out.bands.map_or(0.25, |b| b[0]);
            if out.chasm.is_some_and(|c| c > first) {
                self.error(
                    c.span,
                    format!("adoption.chasm must not be above the first band edge ({first})"),
                );
                out.chasm = None;
            }
        }
        if let Some(gates) = v.get("gates") {
            let keys: Vec<&str> = ADOPTION_GATES.iter().map(|g| g.0).collect();
            self.only_keys(gates, &keys, "adoption.gates");
            for (k, value) in gates.as_map().unwrap_or_default() {
                if let Some((id, min, max)) = ADOPTION_GATES.iter().find(|g| g.0 == k.text) {
                    let what = format!("adoption.gates.{id}");
                    if let Some(n) = self.number_in(value, &what, *min, *max) {
                        out.gates.insert(id.to_string(), n);
                    }
                }
            }
            if gates.as_map().is_none() {
                self.error(
                    gates.span,
                    "adoption.gates must be a mapping of gate id to threshold",
                );
            }
        }
        if let Some(teams) = v.get("teams") {
            if teams.as_map().is_none() {
                self.error(
                    teams.span,
                    "adoption.teams must be a mapping (championAdoption, championMinMembers)",
                );
            }
            self.only_keys(teams, ADOPTION_TEAM_KEYS, "adoption.teams");
            if let Some(a) = teams.get("championAdoption") {
                out.champion_adoption =
                    self.number_in(a, "adoption.teams.championAdoption", 0.0, 1.0);
            }
            if let Some(m) = teams.get("championMinMembers") {
                out.champion_min_members = match m.value {
                    Value::Int(i) if i >= 1 => Some(i as usize),
                    _ => {
                        self.error(
                            m.span,
                            "adoption.teams.championMinMembers must be a whole number of at least 1",
                        );
                        None
                    }
                };
            }
        }
        out
    }

    /// A list of strings (a single string is not accepted here).
    fn string_list(&mut self, v: &Node, what: &str) -> Vec<String> {
        match v.as_seq() {
            Some(items) => items
                .iter()
                .filter_map(|i| match i.as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        self.error(i.span, format!("{what}: each item must be a string"));
                        None
                    }
                })
                .collect(),
            None => {
                self.error(v.span, format!("{what} must be a list of strings"));
                Vec::new()
            }
        }
    }

    fn globs(&mut self, v: &Node, what: &str) -> Option<GlobSet> {
        let mut builder = GlobSetBuilder::new();
        for (i, pattern) in self.string_list(v, what).iter().enumerate() {
            match Glob::new(pattern) {
                Ok(g) => {
                    builder.add(g);
                }
                Err(e) => {
                    let span = v.as_seq().and_then(|s| s.get(i)).map_or(v.span, |n| n.span);
                    self.error(span, format!("{what}: invalid glob \"{pattern}\": {e}"));
                }
            }
        }
        builder.build().ok()
    }

    /// `externalEntities:`: reference patterns such as `group:*` or `system:platform-*`. A
    /// pattern without a namespace means the default namespace, as in a reference.
    fn entity_patterns(&mut self, v: &Node) -> Option<GlobSet> {
        let mut builder = GlobSetBuilder::new();
        let items = v.as_seq().map(|s| s.to_vec()).unwrap_or_default();
        for (i, pattern) in self.string_list(v, "externalEntities").iter().enumerate() {
            let span = items.get(i).map_or(v.span, |n| n.span);
            let Some((kind, rest)) = pattern.split_once(':') else {
                self.error(
                    span,
                    format!(
                        "externalEntities: \"{pattern}\" names no kind; write kind:[namespace/]name, e.g. \"group:*\" or \"system:platform-*\""
                    ),
                );
                continue;
            };
            let full = if rest.contains('/') {
                format!("{kind}:{rest}")
            } else {
                format!("{kind}:default/{rest}")
            };
            match Glob::new(&full.to_lowercase()) {
                Ok(g) => {
                    builder.add(g);
                }
                Err(e) => self.error(
                    span,
                    format!("externalEntities: invalid pattern \"{pattern}\": {e}"),
                ),
            }
        }
        builder.build().ok()
    }

    /// `suppress:`: a list of `{paths, codes, reason}`; `paths` and `reason` are required.
    fn suppressions(&mut self, v: &Node) -> Vec<PathSuppression> {
        let Some(items) = v.as_seq() else {
            self.error(v.span, "suppress must be a list of {paths, codes, reason}");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            if item.as_map().is_none() {
                self.error(
                    item.span,
                    "each suppress entry must be a mapping with paths, codes and reason",
                );
                continue;
            }
            self.only_keys(item, SUPPRESS_KEYS, "a suppress entry");
            let paths = match item.get("paths") {
                Some(p) => self.globs(p, "suppress.paths"),
                None => {
                    self.error(
                        item.span,
                        "a suppress entry needs paths (globs relative to the repository root)",
                    );
                    None
                }
            };
            let mut codes = Vec::new();
            if let Some(list) = item.get("codes") {
                let nodes = list.as_seq().map(|s| s.to_vec()).unwrap_or_default();
                for (i, id) in self.string_list(list, "suppress.codes").iter().enumerate() {
                    match Code::from_id(id) {
                        Some(code) => codes.push(code),
                        None => {
                            let span = nodes.get(i).map_or(list.span, |n| n.span);
                            self.error(
                                span,
                                format!(
                                    "unknown diagnostic code \"{id}\" (see docs/diagnostics.md)"
                                ),
                            );
                        }
                    }
                }
            }
            let reason = match item.get("reason").and_then(|r| r.as_str()) {
                Some(r) if !r.trim().is_empty() => r.to_string(),
                _ => {
                    self.error(
                        item.span,
                        "a suppress entry needs a reason: say why these findings are accepted",
                    );
                    String::new()
                }
            };
            if let Some(paths) = paths {
                out.push(PathSuppression {
                    paths,
                    codes,
                    reason,
                    line: item.span.start.line as usize,
                    column: item.span.start.column as usize,
                });
            }
        }
        out
    }

    fn severity(&mut self, v: &Node) -> HashMap<Code, SeverityOverride> {
        let mut out = HashMap::new();
        let Some(entries) = v.as_map() else {
            self.error(
                v.span,
                "severity must be a mapping of diagnostic code to error, warning, note or off",
            );
            return out;
        };
        for (k, val) in entries {
            let Some(code) = Code::from_id(&k.text) else {
                self.error(
                    k.span,
                    format!(
                        "unknown diagnostic code \"{}\" (see docs/diagnostics.md)",
                        k.text
                    ),
                );
                continue;
            };
            match val.as_str() {
                Some("off") => {
                    out.insert(code, None);
                }
                Some(s) if Severity::parse(s).is_some() => {
                    out.insert(code, Severity::parse(s));
                }
                _ => self.error(
                    val.span,
                    "severity must be one of error, warning, note, off",
                ),
            }
        }
        out
    }

    fn formats(&mut self, v: &Node, formats: &mut Formats) {
        let Some(entries) = v.as_map() else {
            self.error(v.span, "formats must be a mapping");
            return;
        };
        for (k, val) in entries {
            let Some(fields) = val.as_map() else {
                self.error(
                    val.span,
                    format!(
                        "formats.{} must be a mapping with maxLength and/or pattern",
                        k.text
                    ),
                );
                continue;
            };
            let mut max = None;
            let mut pattern = None;
            self.only_keys(val, FORMAT_KEYS, &format!("formats.{}", k.text));
            for (fk, fv) in fields {
                match fk.text.as_str() {
                    "maxLength" => match fv.value {
                        Value::Int(n) if n > 0 => max = Some(n as usize),
                        _ => self.error(fv.span, "maxLength must be a positive integer"),
                    },
                    "pattern" => match fv.as_str().map(regex::Regex::new) {
                        Some(Ok(re)) => pattern = Some(re),
                        Some(Err(e)) => {
                            self.error(fv.span, format!("pattern is not a valid regex: {e}"))
                        }
                        None => self.error(fv.span, "pattern must be a string"),
                    },
                    _ => {} // reported by only_keys
                }
            }
            match k.text.as_str() {
                "name" => {
                    if let Some(m) = max {
                        formats.name_max = m;
                    }
                    formats.name_pattern = pattern;
                }
                "tag" => {
                    if let Some(m) = max {
                        formats.tag_max = m;
                    }
                    formats.tag_pattern = pattern;
                }
                "namespace" => {
                    if let Some(m) = max {
                        formats.namespace_max = m;
                    }
                    if pattern.is_some() {
                        self.error(k.span, "formats.namespace supports maxLength only");
                    }
                }
                other => self.error(
                    k.span,
                    format!("unknown format \"{other}\"; expected name, tag or namespace"),
                ),
            }
        }
    }

    /// `relations:` of a custom kind: `[{field, relation, defaultKind?, kinds?}]`.
    fn relations(&mut self, v: &Node) -> Vec<RelationField> {
        let mut out = Vec::new();
        let Some(items) = v.as_seq() else {
            self.error(
                v.span,
                "relations must be a list of {field, relation, defaultKind, kinds}",
            );
            return out;
        };
        for item in items {
            self.only_keys(item, RELATION_KEYS, "a relation");
            let field = item.get("field").and_then(Node::as_str);
            let relation = item.get("relation").and_then(Node::as_str);
            let (Some(field), Some(relation)) = (field, relation) else {
                self.error(
                    item.span,
                    "each relation needs field (a key under spec) and relation (ownedBy, partOf, dependsOn, …)",
                );
                continue;
            };
            if !RELATION_TYPES.contains(&relation) {
                let span = item.get("relation").map_or(item.span, |n| n.span);
                let hint = crate::suggest::closest(relation, RELATION_TYPES)
                    .map(|c| format!(" (did you mean {c}?)"))
                    .unwrap_or_default();
                self.error(
                    span,
                    format!(
                        "unknown relation \"{relation}\"{hint}; expected one of {}",
                        RELATION_TYPES.join(", ")
                    ),
                );
                continue;
            }
            let default_kind = item.get("defaultKind").and_then(Node::as_str).map(leak);
            let kinds: Vec<&'static str> = item
                .get("kinds")
                .map(|n| self.string_list(n, "kinds"))
                .unwrap_or_default()
                .iter()
                .map(|k| leak(&k.to_ascii_lowercase()))
                .collect();
            out.push(RelationField {
                field: leak(field),
                default_kind,
                expected_kinds: Box::leak(kinds.into_boxed_slice()),
                relation: leak(relation),
            });
        }
        out
    }

    fn kinds(&mut self, v: &Node, base: &Path) -> Vec<CustomKind> {
        let mut out = Vec::new();
        let Some(items) = v.as_seq() else {
            self.error(
                v.span,
                "kinds must be a list of {kind, apiVersions, schema}",
            );
            return out;
        };
        for item in items {
            let kind = item.get("kind").and_then(Node::as_str);
            let schema = item.get("schema").and_then(Node::as_str);
            let versions = item
                .get("apiVersions")
                .map(|n| self.string_list(n, "apiVersions"));
            self.only_keys(item, KIND_KEYS, "a kind");
            let relations = match item.get("relations") {
                Some(r) => self.relations(r),
                None => DEFAULT_CUSTOM_RELATIONS.to_vec(),
            };
            let (Some(kind), Some(schema), Some(api_versions)) = (kind, schema, versions) else {
                self.error(item.span, "each kind needs kind (string), apiVersions (list) and schema (path to a JSON Schema file)");
                continue;
            };
            let schema_path = base.join(schema);
            let span = item.get("schema").map_or(item.span, |n| n.span);
            // The configuration is repository content: its schema stays inside the repository.
            let text = match crate::fs::read_confined_string(
                base,
                &schema_path,
                crate::fs::MAX_CONTENT_FILE_BYTES,
            ) {
                Ok(t) => t,
                Err(e) => {
                    self.error(span, format!("cannot read schema: {e}"));
                    continue;
                }
            };
            let json: serde_json::Value = match serde_json::from_str(&text) {
                Ok(j) => j,
                Err(_) => match yaml::parse_stream(&text).documents.into_iter().next() {
                    Some(d) => d.document.root.to_json(),
                    None => {
                        self.error(
                            span,
                            format!("schema {} is neither JSON nor YAML", schema_path.display()),
                        );
                        continue;
                    }
                },
            };
            match jsonschema::validator_for(&json) {
                Ok(validator) => out.push(CustomKind {
                    kind: kind.to_string(),
                    api_versions,
                    relations,
                    // As written in the configuration, so messages read the same on every machine.
                    schema_path: PathBuf::from(schema),
                    validator,
                }),
                Err(e) => self.error(
                    span,
                    format!(
                        "schema {} is not a valid JSON Schema: {e}",
                        schema_path.display()
                    ),
                ),
            }
        }
        out
    }
}
