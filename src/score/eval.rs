//! Evaluating checks and rules; the score and level arithmetic (reference §10.3).

use serde::Serialize;
use serde_json::{Value as J, json};

use crate::budget;
use crate::catalog::entity_ref::EntityRef;
use crate::score::external::ExternalFacts;
use crate::score::facts::{self, CatalogIndex, EntityInput, GitHistory, RepoFiles};
use crate::score::message::{self, Expectation};
use crate::score::model::{
    self, Check, Fact, GitScope, Leaf, OnUnknown, Op, RuleSeverity, Scorecard,
};
use crate::score::target::Relations;
use crate::score::versions;
use crate::score::waiver::Waiver;
use crate::yaml::Node;

/// Everything a check may consult besides the entity.
pub struct Env<'a> {
    /// The current directory relative to the repository root (entity paths are relative to
    /// the current directory; `entity.file`/`entity.dir` are reported relative to the root).
    pub repo_relative_cwd: Option<std::path::PathBuf>,
    pub catalog: &'a CatalogIndex<'a>,
    pub repo: &'a RepoFiles,
    pub git: &'a GitHistory,
    /// Unix time used for dates (`--now`, or the clock).
    pub now: i64,
    /// `YYYY-MM-DD` of `now`.
    pub today: String,
    pub waivers: &'a [Waiver],
    /// Values from `--facts` files, when any were given.
    pub facts: Option<&'a ExternalFacts>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass,
    Fail,
    Unknown(String),
    Error(String),
}

/// What a leaf saw: the fact, the actual value and what was expected.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evidence {
    pub fact: String,
    pub actual: J,
    pub expected: J,
    /// The operator and its value, typed, for the failure message (message.rs); the JSON
    /// report has `expected` instead.
    #[serde(skip)]
    pub expectation: Option<Expectation>,
    /// Where an external fact's value came from (`facts.*` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
}

/// The file and adapter an external fact was read from, and its date and age when known.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FactSource {
    pub file: String,
    pub adapter: &'static str,
    pub date: Option<String>,
    pub age_days: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "fail")]
    Fail,
    #[serde(rename = "warn")]
    Warn,
    #[serde(rename = "waived")]
    Waived,
    #[serde(rename = "n/a")]
    NotApplicable,
    #[serde(rename = "unknown")]
    Unknown,
    #[serde(rename = "error")]
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Waived => "waived",
            Status::NotApplicable => "n/a",
            Status::Unknown => "unknown",
            Status::Error => "error",
        }
    }

    /// Counts in the score (applicable and known).
    pub fn scored(self) -> bool {
        matches!(
            self,
            Status::Pass | Status::Waived | Status::Fail | Status::Warn
        )
    }

    pub fn credit(self) -> f64 {
        if matches!(self, Status::Pass | Status::Waived) {
            1.0
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone)]
pub struct RuleResult {
    /// Index of the rule in its scorecard (title, remediation and docs live there).
    pub rule: usize,
    pub id: String,
    pub status: Status,
    pub level: Option<usize>,
    pub weight: f64,
    pub severity: RuleSeverity,
    pub message: String,
    pub evidence: Option<Evidence>,
    /// Where in the entity file the evidence is (line, column), when it is a field.
    pub location: Option<(u32, u32)>,
    pub waiver: Option<String>,
    /// A fact (of the check or of `when`) could not be known, whatever the status became.
    pub unknown: bool,
}

#[derive(Debug, Clone)]
pub struct EntityResult {
    pub reference: EntityRef,
    pub file: String,
    /// Line of the entity's `metadata.name`.
    pub line: u32,
    /// The owner as a full reference, for the per-team aggregate.
    pub owner: Option<String>,
    /// The team the owner is: the owner Group itself, or the first Group a User owner is a
    /// member of (catalog/index.rs `Teams`, the adoption report's definition); else the owner.
    pub team: Option<String>,
    /// `spec.system` as a full reference (a System is its own).
    pub system: Option<String>,
    /// The domain of the entity's system (a System's `spec.domain`, a Domain itself).
    pub domain: Option<String>,
    pub score: Option<f64>,
    /// Index into the scorecard's levels; None is the implicit `none`.
    pub level: Option<usize>,
    pub next_level: Option<usize>,
    /// Rules still failing for the next level.
    pub missing: Vec<String>,
    pub rules: Vec<RuleResult>,
}

/// The references in an entity field (`catalog.resolves`), each parsed with the field's
/// default kind; None for a value that is no reference.
pub fn field_refs(path: &[String], e: &EntityInput<'_>) -> Vec<Option<EntityRef>> {
    written_refs(path, e).into_iter().map(|(_, r)| r).collect()
}

/// The references as written in an entity field, each with its parse under the field's
/// default kind (Backstage's, by the field's last segment).
fn written_refs<'e>(path: &[String], e: &EntityInput<'e>) -> Vec<(&'e str, Option<EntityRef>)> {
    let node = facts::entity_field(e.root, path);
    let default_kind = match path.last().map(String::as_str) {
        Some("owner") => Some("Group"),
        Some("system") => Some("System"),
        Some("domain" | "subdomainOf") => Some("Domain"),
        Some("providesApis" | "consumesApis") => Some("API"),
        Some("subcomponentOf") => Some("Component"),
        Some("memberOf" | "parent" | "children") => Some("Group"),
        Some("members") => Some("User"),
        _ => None,
    };
    let refs: Vec<&str> = match node.map(|n| &n.value) {
        Some(crate::yaml::Value::String(s)) => vec![s.as_str()],
        Some(crate::yaml::Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    refs.into_iter()
        .map(|r| {
            (
                r,
                EntityRef::parse(r, default_kind, e.reference.namespace()).ok(),
            )
        })
        .collect()
}

/// Does the scorecard apply to this entity? (`appliesTo` and its `exclude`; see target.rs.)
pub fn applies(card: &Scorecard, e: &EntityInput<'_>, relations: &Relations) -> bool {
    crate::score::target::applies(&card.applies_to, e, relations)
}

fn json_of(node: Option<&Node>) -> J {
    node.map_or(J::Null, Node::to_json)
}

fn is_empty(v: &J) -> bool {
    match v {
        J::Null => true,
        J::String(s) => s.is_empty(),
        J::Array(a) => a.is_empty(),
        J::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn count(v: &J) -> Option<f64> {
    match v {
        J::Null => Some(0.0),
        J::Array(a) => Some(a.len() as f64),
        J::Object(o) => Some(o.len() as f64),
        J::String(s) => Some(s.chars().count() as f64),
        J::Number(n) => n.as_f64(),
        J::Bool(_) => None,
    }
}

/// Equality with a little YAML tolerance: a number written as a string compares equal to it.
fn loosely_equal(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Number(n), J::String(s)) | (J::String(s), J::Number(n)) => {
            s.trim().parse::<f64>().ok() == n.as_f64()
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| loosely_equal(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loosely_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Applies an operator to an actual value.
pub fn apply(op: Op, actual: &J, expected: Option<&J>, regex: Option<&regex::Regex>) -> Outcome {
    let expected = expected.unwrap_or(&J::Null);
    let b = |x: bool| if x { Outcome::Pass } else { Outcome::Fail };
    let strings = |v: &J| -> Vec<String> {
        match v {
            J::String(s) => vec![s.clone()],
            J::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            J::Number(n) => vec![n.to_string()],
            J::Bool(x) => vec![x.to_string()],
            _ => Vec::new(),
        }
    };
    match op {
        Op::Exists => b(!actual.is_null()),
        Op::NotExists => b(actual.is_null()),
        Op::Empty => b(is_empty(actual)),
        Op::NotEmpty => b(!is_empty(actual)),
        Op::Equals => b(loosely_equal(actual, expected)),
        Op::NotEquals => b(!loosely_equal(actual, expected)),
        Op::In => b(expected
            .as_array()
            .is_some_and(|l| l.iter().any(|x| loosely_equal(x, actual)))),
        Op::NotIn => b(!expected
            .as_array()
            .is_some_and(|l| l.iter().any(|x| loosely_equal(x, actual)))),
        Op::Matches | Op::NotMatches => {
            let Some(re) = regex else {
                return Outcome::Error("regex not compiled".into());
            };
            let any = strings(actual).iter().any(|s| re.is_match(s));
            b(if op == Op::Matches { any } else { !any })
        }
        Op::Contains | Op::NotContains => {
            let found = match actual {
                J::Array(items) => items.iter().any(|x| loosely_equal(x, expected)),
                J::String(s) => expected.as_str().is_some_and(|e| s.contains(e)),
                J::Object(o) => expected.as_str().is_some_and(|k| o.contains_key(k)),
                _ => false,
            };
            b(if op == Op::Contains { found } else { !found })
        }
        Op::StartsWith => b(actual
            .as_str()
            .zip(expected.as_str())
            .is_some_and(|(a, e)| a.starts_with(e))),
        Op::EndsWith => b(actual
            .as_str()
            .zip(expected.as_str())
            .is_some_and(|(a, e)| a.ends_with(e))),
        Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
            let (Some(a), Some(e)) = (actual.as_f64(), expected.as_f64()) else {
                return Outcome::Fail;
            };
            b(match op {
                Op::Lt => a < e,
                Op::Lte => a <= e,
                Op::Gt => a > e,
                _ => a >= e,
            })
        }
        Op::SemverSatisfies | Op::SemverAtLeast => {
            let text = |v: &J| match v {
                J::String(s) => Some(s.clone()),
                J::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let Some(version) = text(actual).and_then(|a| versions::version_of(&a)) else {
                return Outcome::Fail;
            };
            let Some(wanted) = text(expected) else {
                return Outcome::Fail;
            };
            b(if op == Op::SemverSatisfies {
                versions::parse_range(&wanted).is_ok_and(|r| r.matches(&version))
            } else {
                versions::parse_version(&wanted).is_some_and(|min| version >= min)
            })
        }
        Op::CountEq | Op::CountGte | Op::CountLte => {
            let (Some(n), Some(e)) = (count(actual), expected.as_f64()) else {
                return Outcome::Fail;
            };
            b(match op {
                Op::CountEq => n == e,
                Op::CountGte => n >= e,
                _ => n <= e,
            })
        }
    }
}

/// A path relative to the current directory, shown relative to the repository root.
pub fn repo_path(env: &Env<'_>, path: &std::path::Path) -> String {
    let joined = match &env.repo_relative_cwd {
        // An absolute path inside the repository (a PATHS argument given absolute, or the
        // base revision's files of `--base`) is shown relative to its root all the same.
        _ if path.is_absolute() && path.starts_with(&env.repo.root) => path
            .strip_prefix(&env.repo.root)
            .unwrap_or(path)
            .to_path_buf(),
        Some(prefix) => crate::catalog::entity::normalize(&prefix.join(path)),
        None => path.to_path_buf(),
    };
    joined.to_string_lossy().replace('\\', "/")
}

struct LeafValue {
    actual: J,
    /// Where the value sits in the entity file (JSON pointer), for SARIF.
    pointer: Option<String>,
    source: Option<FactSource>,
}

/// An external fact's value, or why it is unknown (no file gives it, or too old for `maxAge`).
fn external_fact(
    leaf: &Leaf,
    name: &str,
    e: &EntityInput<'_>,
    env: &Env<'_>,
) -> Result<LeafValue, Outcome> {
    let Some(facts) = env.facts.filter(|f| f.provides(name)) else {
        return Err(Outcome::Unknown(format!(
            "no --facts file gives facts.{name}"
        )));
    };
    let Some((value, source)) = facts.get(e.reference.as_str(), name) else {
        // Given for other entities, not for this one: absent, like a missing field.
        return Ok(LeafValue {
            actual: J::Null,
            pointer: None,
            source: None,
        });
    };
    let age_days = value
        .date
        .map(|d| (env.now - d).max(0) / crate::dates::SECONDS_PER_DAY);
    let from = format!("from {} ({})", source.file, source.adapter.name());
    if let Some(max) = leaf.max_age_days {
        match age_days {
            None => {
                return Err(Outcome::Unknown(format!(
                    "facts.{name} {from} has no date, so its age is unknown: give the file a \
                     date (generatedAt, timestamp) or pass --facts-date"
                )));
            }
            Some(age) if age > i64::from(max) => {
                return Err(Outcome::Unknown(format!(
                    "facts.{name} {from} is {age} days old, older than maxAge {max}d"
                )));
            }
            _ => {}
        }
    }
    Ok(LeafValue {
        actual: value.value.clone(),
        pointer: None,
        source: Some(FactSource {
            file: source.file.clone(),
            adapter: source.adapter.name(),
            date: value.date.map(crate::dates::format),
            age_days,
        }),
    })
}

fn fact_value(leaf: &Leaf, e: &EntityInput<'_>, env: &Env<'_>) -> Result<LeafValue, Outcome> {
    let plain = |actual: J| {
        Ok(LeafValue {
            actual,
            pointer: None,
            source: None,
        })
    };
    match &leaf.fact {
        Fact::Entity(path) => {
            let node = facts::entity_field(e.root, path);
            Ok(LeafValue {
                actual: json_of(node),
                pointer: Some(facts::pointer(path)),
                source: None,
            })
        }
        Fact::EntityRef => plain(J::from(e.reference.to_string())),
        Fact::External(name) => external_fact(leaf, name, e, env),
        Fact::EntityFile => plain(J::from(repo_path(env, e.file))),
        Fact::EntityDir => plain(J::from(repo_path(env, e.dir()))),
        Fact::CatalogResolves(path) => {
            let unresolved = unresolved_refs(path, e, env);
            Ok(LeafValue {
                actual: J::Bool(unresolved.as_ref().is_some_and(Vec::is_empty)),
                pointer: Some(facts::pointer(path)),
                source: None,
            })
        }
        Fact::OwnerKind | Fact::OwnerMembers | Fact::Owner(_) => {
            let owner = env
                .catalog
                .relations()
                .owner(e.reference)
                .filter(|o| env.catalog.contains(o));
            let actual = match (&leaf.fact, owner) {
                (_, None) => J::Null,
                (Fact::OwnerKind, Some(o)) => J::from(o.kind()),
                (Fact::Owner(path), Some(o)) => json_of(
                    env.catalog
                        .root(o)
                        .and_then(|root| facts::entity_field(root, path)),
                ),
                (_, Some(o)) if o.kind() == "group" => J::from(env.catalog.member_count(o)),
                _ => J::Null,
            };
            Ok(LeafValue {
                actual,
                pointer: Some("/spec/owner".into()),
                source: None,
            })
        }
        Fact::CatalogSystem | Fact::CatalogDomain => {
            let relations = env.catalog.relations();
            let related = if leaf.fact == Fact::CatalogSystem {
                relations.system(e.reference)
            } else {
                relations.domain(e.reference)
            };
            Ok(LeafValue {
                actual: related.map_or(J::Null, |r| J::from(r.to_string())),
                pointer: Some("/spec/system".into()).filter(|_| e.reference.kind() != "system"),
                source: None,
            })
        }
        Fact::CatalogDependencies(field) => {
            let resolved = env
                .catalog
                .relations()
                .dependencies(e.reference)
                .into_iter()
                .filter(|d| env.catalog.contains(d));
            let actual: Vec<J> = match field {
                None => resolved.map(|d| J::from(d.to_string())).collect(),
                Some(path) => resolved
                    .map(|d| {
                        json_of(
                            env.catalog
                                .root(d)
                                .and_then(|root| facts::entity_field(root, path)),
                        )
                    })
                    .collect(),
            };
            Ok(LeafValue {
                actual: J::Array(actual),
                pointer: Some("/spec/dependsOn".into()),
                source: None,
            })
        }
        Fact::RepoFile(pattern) => {
            let found = env.repo.matching(e.dir(), pattern);
            plain(if found.is_empty() {
                J::Null
            } else {
                J::from(found)
            })
        }
        Fact::RepoFileContent(pattern) => {
            let found = env.repo.matching(e.dir(), pattern);
            let rooted = pattern.starts_with('/');
            let text = match found.first() {
                Some(f) => env
                    .repo
                    .read(e.dir(), f, rooted)
                    .map_err(|err| Outcome::Unknown(err.to_string()))?,
                None => None,
            };
            plain(text.map_or(J::Null, J::from))
        }
        Fact::RepoData(format, pattern, field) => {
            let found = env.repo.matching(e.dir(), pattern);
            let Some(file) = found.first() else {
                return plain(J::Null);
            };
            let text = env
                .repo
                .read(e.dir(), file, pattern.starts_with('/'))
                .map_err(|err| Outcome::Unknown(err.to_string()))?
                .unwrap_or_default();
            let data = facts::parse_data(*format, &text)
                .map_err(|err| Outcome::Unknown(format!("{file}: {err}")))?;
            plain(facts::json_field(&data, field).cloned().unwrap_or(J::Null))
        }
        Fact::RepoCodeowners => {
            let owners = env.repo.codeowners().map_err(Outcome::Unknown)?;
            let dir = repo_path(env, e.dir());
            plain(
                owners
                    .and_then(|c| c.owners_of_dir(&dir))
                    .map_or(J::Null, |o| J::from(o.to_vec())),
            )
        }
        Fact::GitDaysSinceLastCommit(scope) | Fact::GitCommitCount(scope, _) => {
            let dir = match scope {
                GitScope::EntityDir => e.dir().to_path_buf(),
                GitScope::Repo => env.repo.root.clone(),
            };
            let commits = env.git.commits(&dir).map_err(Outcome::Unknown)?;
            let actual = match &leaf.fact {
                Fact::GitCommitCount(_, days) => {
                    let since = env.now - i64::from(*days) * crate::dates::SECONDS_PER_DAY;
                    J::from(
                        commits
                            .iter()
                            .filter(|t| **t >= since && **t <= env.now)
                            .count(),
                    )
                }
                _ => match commits.iter().find(|t| **t <= env.now) {
                    Some(t) => facts::days_since(*t, env.now),
                    None => {
                        return Err(Outcome::Unknown("no commit touches this directory".into()));
                    }
                },
            };
            plain(actual)
        }
    }
}

/// The references in an entity field that are not in the catalog (None: the field holds no
/// reference), with the default kind of that field as Backstage applies it.
fn unresolved_refs(path: &[String], e: &EntityInput<'_>, env: &Env<'_>) -> Option<Vec<String>> {
    let refs = written_refs(path, e);
    if refs.is_empty() {
        return None;
    }
    Some(
        refs.into_iter()
            .filter(|(_, r)| !r.as_ref().is_some_and(|r| env.catalog.contains(r)))
            .map(|(text, _)| text.to_string())
            .collect(),
    )
}

/// Evaluates a check; returns the outcome and the evidence of the leaf that decided it.
pub fn evaluate(
    check: &Check,
    e: &EntityInput<'_>,
    env: &Env<'_>,
) -> (Outcome, Option<Evidence>, Option<String>) {
    match check {
        Check::Leaf(leaf) => {
            let expected = leaf
                .value
                .clone()
                .unwrap_or_else(|| J::from(leaf.op.name()));
            let evidence = |actual: J, source: Option<FactSource>| Evidence {
                fact: leaf.fact_name.clone(),
                source,
                actual,
                expected: if leaf.op.is_unary() {
                    J::from(leaf.op.name())
                } else {
                    json!({ leaf.op.name(): expected })
                },
                expectation: Some(Expectation {
                    op: leaf.op,
                    value: leaf.value.clone(),
                    negated: false,
                    references: None,
                    path: match &leaf.fact {
                        Fact::RepoFile(p) | Fact::RepoFileContent(p) => Some(p.clone()),
                        _ => None,
                    },
                }),
            };
            match fact_value(leaf, e, env) {
                Ok(v) => {
                    let outcome =
                        apply(leaf.op, &v.actual, leaf.value.as_ref(), leaf.regex.as_ref());
                    let mut evidence = evidence(v.actual, v.source);
                    // A boolean fact: the message names what made it false.
                    if let Fact::CatalogResolves(path) = &leaf.fact
                        && let Some(x) = evidence.expectation.as_mut()
                    {
                        x.references = Some(message::References {
                            field: path.join("."),
                            unresolved: unresolved_refs(path, e, env).unwrap_or_default(),
                        });
                    }
                    (outcome, Some(evidence), v.pointer)
                }
                Err(outcome) => (outcome, Some(evidence(J::Null, None)), None),
            }
        }
        Check::Not(inner) => {
            let (o, mut ev, p) = evaluate(inner, e, env);
            // The message says what `not` wanted: the inner expectation turned round.
            if let Some(x) = ev.as_mut().and_then(|ev| ev.expectation.as_mut()) {
                x.negated = !x.negated;
            }
            let o = match o {
                Outcome::Pass => Outcome::Fail,
                Outcome::Fail => Outcome::Pass,
                other => other,
            };
            (o, ev, p)
        }
        Check::All(parts) => {
            let mut unknown = None;
            let mut last = (None, None);
            for part in parts {
                let (o, ev, p) = evaluate(part, e, env);
                match o {
                    Outcome::Fail | Outcome::Error(_) => return (o, ev, p),
                    Outcome::Unknown(_) => unknown = Some((o, ev, p)),
                    Outcome::Pass => last = (ev, p),
                }
            }
            unknown.unwrap_or((Outcome::Pass, last.0, last.1))
        }
        Check::Any(parts) => {
            let mut first_fail = None;
            let mut unknown = None;
            for part in parts {
                let (o, ev, p) = evaluate(part, e, env);
                match o {
                    Outcome::Pass => return (o, ev, p),
                    Outcome::Error(_) => return (o, ev, p),
                    Outcome::Unknown(_) => {
                        unknown.get_or_insert((o, ev, p));
                    }
                    Outcome::Fail => {
                        first_fail.get_or_insert((o, ev, p));
                    }
                }
            }
            unknown
                .or(first_fail)
                .unwrap_or((Outcome::Fail, None, None))
        }
        Check::Expr(source) => {
            let env_j = model::expression_environment();
            let ctx = minijinja::context! {
                entity => minijinja::Value::from(minijinja::value::Serde(e.root.to_json())),
                ref => e.reference.to_string(),
                file => repo_path(env, e.file),
                dir => repo_path(env, e.dir()),
            };
            let evidence = |actual: J| Evidence {
                fact: "expr".into(),
                source: None,
                actual,
                expected: J::from(source.clone()),
                expectation: None,
            };
            match env_j.compile_expression(source).and_then(|x| x.eval(ctx)) {
                Ok(v) => {
                    let pass = v.is_true();
                    (
                        if pass { Outcome::Pass } else { Outcome::Fail },
                        Some(evidence(J::Bool(pass))),
                        None,
                    )
                }
                Err(err) if budget::out_of_fuel(&err) => (
                    Outcome::Error(format!(
                        "expression failed: it needs more than its budget of {} fuel \
                         (one per instruction and per 64 bytes of values it builds); \
                         build smaller values",
                        budget::EXPRESSION_FUEL
                    )),
                    Some(evidence(J::Null)),
                    None,
                ),
                Err(err) => (
                    Outcome::Error(format!("expression failed: {err}")),
                    Some(evidence(J::Null)),
                    None,
                ),
            }
        }
    }
}

fn describe(evidence: &Option<Evidence>) -> String {
    evidence.as_ref().map_or_else(String::new, message::failure)
}

/// Evaluates one rule for one entity, applying `when`, severity, `enforceFrom`, `onUnknown` and waivers.
pub fn rule_result(
    card: &Scorecard,
    index: usize,
    e: &EntityInput<'_>,
    env: &Env<'_>,
) -> RuleResult {
    let rule = &card.rules[index];
    let mut result = RuleResult {
        rule: index,
        id: rule.id.clone(),
        status: Status::Pass,
        level: rule.level,
        weight: rule.weight,
        severity: rule.severity,
        message: String::new(),
        evidence: None,
        location: None,
        waiver: None,
        unknown: false,
    };
    if let Some(when) = &rule.when {
        match evaluate(when, e, env).0 {
            Outcome::Pass => {}
            Outcome::Fail => {
                result.status = Status::NotApplicable;
                result.message = "does not apply to this entity".into();
                return result;
            }
            // Whether the rule applies cannot be known: say so rather than skip silently.
            Outcome::Unknown(reason) => {
                result.unknown = true;
                result.status = Status::Unknown;
                result.message = format!("unknown whether the rule applies: {reason}");
                return result;
            }
            Outcome::Error(message) => {
                result.status = Status::Error;
                result.message = format!("`when` failed: {message}");
                return result;
            }
        }
    }
    let (outcome, evidence, pointer) = evaluate(&rule.check, e, env);
    if let Some(p) = pointer {
        let span = e.root.locate(&p);
        result.location = Some((span.start.line, span.start.column));
    }
    result.message = describe(&evidence);
    result.evidence = evidence;
    let failed = |r: &mut RuleResult| {
        let before_enforcement = rule
            .enforce_from
            .as_ref()
            .is_some_and(|d| env.today.as_str() < d.as_str());
        r.status = if rule.severity == RuleSeverity::Warning || before_enforcement {
            Status::Warn
        } else {
            Status::Fail
        };
        if before_enforcement {
            r.message = format!(
                "{} (enforced from {})",
                r.message,
                rule.enforce_from.as_deref().unwrap_or("")
            );
        }
    };
    match outcome {
        Outcome::Pass => {
            result.status = Status::Pass;
            result.message = "passed".into();
        }
        Outcome::Fail => failed(&mut result),
        Outcome::Unknown(reason) => {
            result.unknown = true;
            result.message = format!("unknown: {reason}");
            match rule.on_unknown {
                OnUnknown::Pass => result.status = Status::Pass,
                OnUnknown::Fail => failed(&mut result),
                OnUnknown::Skip => result.status = Status::Unknown,
            }
        }
        Outcome::Error(message) => {
            result.status = Status::Error;
            result.message = message;
        }
    }
    if matches!(result.status, Status::Fail | Status::Warn)
        && let Some(w) = env.waivers.iter().find(|w| {
            !w.expired(&env.today)
                && !w.is_scope_exit()
                && w.matches(e.reference.as_str(), &card.id, &rule.id)
        })
    {
        result.status = Status::Waived;
        result.waiver = Some(format!("{} until {}", w.reason, w.expires));
    }
    result
}

/// Weighted score over applicable, known rules; None when no rule applies.
pub fn score(rules: &[RuleResult]) -> Option<f64> {
    let total: f64 = rules
        .iter()
        .filter(|r| r.status.scored())
        .map(|r| r.weight)
        .sum();
    if total <= 0.0 {
        return None;
    }
    let earned: f64 = rules
        .iter()
        .filter(|r| r.status.scored())
        .map(|r| r.weight * r.status.credit())
        .sum();
    Some((earned / total * 1000.0).round() / 10.0)
}

/// Does a rule block holding its level? (error severity and neither passed nor waived; warnings,
/// n/a and skipped unknowns never block.)
fn blocks(r: &RuleResult) -> bool {
    r.severity == RuleSeverity::Error && matches!(r.status, Status::Fail | Status::Error)
}

/// The highest level whose rules (and all lower levels' rules) hold, and what the next needs.
pub fn level(levels: usize, rules: &[RuleResult]) -> (Option<usize>, Option<usize>, Vec<String>) {
    let mut held = None;
    for l in 0..levels {
        if rules.iter().any(|r| r.level == Some(l) && blocks(r)) {
            break;
        }
        held = Some(l);
    }
    let next = match held {
        None if levels > 0 => Some(0),
        Some(l) if l + 1 < levels => Some(l + 1),
        _ => None,
    };
    let missing = match next {
        Some(n) => rules
            .iter()
            .filter(|r| r.level.is_some_and(|l| l <= n) && blocks(r))
            .map(|r| r.id.clone())
            .collect(),
        None => Vec::new(),
    };
    (held, next, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rr(status: Status, level: Option<usize>, weight: f64) -> RuleResult {
        RuleResult {
            rule: 0,
            id: format!("r{}", level.map_or(9, |l| l)),
            status,
            level,
            weight,
            severity: RuleSeverity::Error,
            message: String::new(),
            evidence: None,
            location: None,
            waiver: None,
            unknown: false,
        }
    }

    #[test]
    fn score_is_weighted_and_null_without_rules() {
        assert_eq!(score(&[]), None);
        assert_eq!(score(&[rr(Status::NotApplicable, None, 1.0)]), None);
        assert_eq!(
            score(&[rr(Status::Pass, None, 3.0), rr(Status::Fail, None, 1.0)]),
            Some(75.0)
        );
        assert_eq!(
            score(&[
                rr(Status::Waived, None, 1.0),
                rr(Status::Unknown, None, 5.0)
            ]),
            Some(100.0)
        );
    }

    #[test]
    fn levels_are_cumulative() {
        let rules = [
            rr(Status::Pass, Some(0), 1.0),
            rr(Status::Fail, Some(1), 1.0),
            rr(Status::Pass, Some(2), 1.0),
        ];
        let (held, next, missing) = level(3, &rules);
        assert_eq!(held, Some(0));
        assert_eq!(next, Some(1));
        assert_eq!(missing, vec!["r1".to_string()]);
        let (held, next, _) = level(3, &[rr(Status::Fail, Some(0), 1.0)]);
        assert_eq!((held, next), (None, Some(0)));
        let (held, next, _) = level(
            2,
            &[
                rr(Status::Warn, Some(0), 1.0),
                rr(Status::Pass, Some(1), 1.0),
            ],
        );
        assert_eq!((held, next), (Some(1), None));
    }

    #[test]
    fn operators() {
        use serde_json::json;
        assert_eq!(apply(Op::Exists, &json!(null), None, None), Outcome::Fail);
        assert_eq!(apply(Op::NotEmpty, &json!([]), None, None), Outcome::Fail);
        assert_eq!(
            apply(Op::In, &json!("a"), Some(&json!(["a", "b"])), None),
            Outcome::Pass
        );
        assert_eq!(
            apply(Op::Contains, &json!(["x", "y"]), Some(&json!("y")), None),
            Outcome::Pass
        );
        assert_eq!(
            apply(Op::Contains, &json!("hello"), Some(&json!("ell")), None),
            Outcome::Pass
        );
        assert_eq!(
            apply(Op::Lte, &json!(3), Some(&json!(3)), None),
            Outcome::Pass
        );
        assert_eq!(
            apply(Op::Gt, &json!(null), Some(&json!(3)), None),
            Outcome::Fail
        );
        assert_eq!(
            apply(Op::CountGte, &json!(["a"]), Some(&json!(2)), None),
            Outcome::Fail
        );
        let re = regex::Regex::new("^user:").unwrap();
        assert_eq!(
            apply(
                Op::NotMatches,
                &json!("group:x"),
                Some(&json!("^user:")),
                Some(&re)
            ),
            Outcome::Pass
        );
        assert_eq!(
            apply(Op::StartsWith, &json!("abc"), Some(&json!("ab")), None),
            Outcome::Pass
        );
    }
}
