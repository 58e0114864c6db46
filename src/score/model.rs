//! Scorecard files: the model and its reader. Every mistake in a scorecard is reported with
//! file, line and column, and the whole file is refused (exit 2), so a typo never silently
//! passes a gate.

use std::path::{Path, PathBuf};

use regex::Regex;

use crate::budget;
use crate::yaml::{Node, Span, Value};

pub const API_VERSION: &str = "callboard.dev/v1";

/// A problem in a scorecard or waiver file.
pub type SpecError = crate::located::LocatedError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSeverity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnUnknown {
    Pass,
    Fail,
    Skip,
}

/// Comparison operators of a leaf check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Equals,
    NotEquals,
    In,
    NotIn,
    Matches,
    NotMatches,
    Exists,
    NotExists,
    Empty,
    NotEmpty,
    Lt,
    Lte,
    Gt,
    Gte,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    CountEq,
    CountGte,
    CountLte,
    SemverSatisfies,
    SemverAtLeast,
}

impl Op {
    pub const ALL: &'static [(&'static str, Op)] = &[
        ("equals", Op::Equals),
        ("notEquals", Op::NotEquals),
        ("in", Op::In),
        ("notIn", Op::NotIn),
        ("matches", Op::Matches),
        ("notMatches", Op::NotMatches),
        ("exists", Op::Exists),
        ("notExists", Op::NotExists),
        ("empty", Op::Empty),
        ("notEmpty", Op::NotEmpty),
        ("lt", Op::Lt),
        ("lte", Op::Lte),
        ("gt", Op::Gt),
        ("gte", Op::Gte),
        ("contains", Op::Contains),
        ("notContains", Op::NotContains),
        ("startsWith", Op::StartsWith),
        ("endsWith", Op::EndsWith),
        ("countEq", Op::CountEq),
        ("countGte", Op::CountGte),
        ("countLte", Op::CountLte),
        ("semverSatisfies", Op::SemverSatisfies),
        ("semverAtLeast", Op::SemverAtLeast),
    ];

    pub fn name(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(_, o)| *o == self)
            .map_or("?", |(n, _)| n)
    }

    /// Operators that compare with nothing.
    pub fn is_unary(self) -> bool {
        matches!(self, Op::Exists | Op::NotExists | Op::Empty | Op::NotEmpty)
    }
}

/// Where a fact's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A field of the entity, as path segments (`metadata`, `annotations`, `backstage.io/techdocs-ref`).
    Entity(Vec<String>),
    /// `entity.ref`, `entity.file`, `entity.dir`.
    EntityRef,
    EntityFile,
    EntityDir,
    /// Every reference in an entity field resolves to an entity in the catalog.
    CatalogResolves(Vec<String>),
    /// Kind of the entity `spec.owner` resolves to (`group`, `user`) or null.
    OwnerKind,
    /// Number of members of the owning group (spec.members plus users whose memberOf names it).
    OwnerMembers,
    /// A field of the owner entity (`owner.<path>`).
    Owner(Vec<String>),
    /// The entity's system and that system's domain, as full references.
    CatalogSystem,
    CatalogDomain,
    /// The entity's resolved `dependsOn` entities: their references, or one field of each.
    CatalogDependencies(Option<Vec<String>>),
    /// Files matching a glob, relative to the entity's directory (or the repository root with a leading `/`).
    RepoFile(String),
    /// Content of the first file matching the glob.
    RepoFileContent(String),
    /// Days since the last commit touching the entity's directory (or the repository).
    GitDaysSinceLastCommit(GitScope),
    /// Commits touching the scope in the last N days.
    GitCommitCount(GitScope, u32),
    /// A fact from a `--facts` file, by its name (`facts.<name>`).
    External(String),
    /// A field of a JSON, YAML or TOML file of the repository (path or glob as `repo.file`).
    RepoData(DataFormat, String, Vec<String>),
    /// The owners the CODEOWNERS file gives the entity's directory.
    RepoCodeowners,
}

/// The format of a file read by `repo.json`, `repo.yaml`, `repo.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Json,
    Yaml,
    Toml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitScope {
    EntityDir,
    Repo,
}

impl Fact {
    pub fn uses_git(&self) -> bool {
        matches!(
            self,
            Fact::GitDaysSinceLastCommit(_) | Fact::GitCommitCount(..)
        )
    }
}

pub const FACTS: &[&str] = &[
    "entity.<path>",
    "entity.ref",
    "entity.file",
    "entity.dir",
    "catalog.resolves",
    "catalog.ownerKind",
    "catalog.ownerMembers",
    "catalog.system",
    "catalog.domain",
    "catalog.dependencies",
    "owner.<path>",
    "repo.file",
    "repo.fileContent",
    "repo.json",
    "repo.yaml",
    "repo.toml",
    "repo.codeowners",
    "git.daysSinceLastCommit",
    "git.commitCount",
    "facts.<name>",
];

#[derive(Debug, Clone)]
pub struct Leaf {
    /// The fact as written, for evidence.
    pub fact_name: String,
    pub fact: Fact,
    pub op: Op,
    pub value: Option<serde_json::Value>,
    pub regex: Option<Regex>,
    /// `maxAge: Nd` on a `facts.*` leaf: an older value is unknown.
    pub max_age_days: Option<u32>,
}

#[derive(Debug, Clone)]
pub enum Check {
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
    Leaf(Leaf),
    /// A minijinja expression over `entity`, `ref`, `file`, `dir`.
    Expr(String),
}

impl Check {
    pub fn uses_git(&self) -> bool {
        match self {
            Check::All(c) | Check::Any(c) => c.iter().any(Check::uses_git),
            Check::Not(c) => c.uses_git(),
            Check::Leaf(l) => l.fact.uses_git(),
            Check::Expr(_) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    /// Index into the scorecard's levels; None: the rule only affects the score.
    pub level: Option<usize>,
    pub weight: f64,
    pub severity: RuleSeverity,
    pub when: Option<Check>,
    pub check: Check,
    pub remediation: Option<String>,
    pub docs: Option<String>,
    pub on_unknown: OnUnknown,
    /// Before this date (YYYY-MM-DD) a failure is only a warning.
    pub enforce_from: Option<String>,
    pub span: Span,
}

pub use crate::score::target::{APPLIES_KEYS, AppliesTo};

#[derive(Debug, Clone, Default)]
pub struct Gate {
    pub min_level: Option<usize>,
    pub min_score: Option<f64>,
    pub required: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Scorecard {
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub applies_to: AppliesTo,
    pub levels: Vec<String>,
    /// `spec.tiers`, highest first (tier.rs).
    pub tiers: Vec<crate::score::tier::Tier>,
    pub gate: Gate,
    pub rules: Vec<Rule>,
    /// `spec.campaigns` (campaign.rs).
    pub campaigns: Vec<crate::score::campaign::Campaign>,
}

impl Scorecard {
    pub fn uses_git(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.check.uses_git() || r.when.as_ref().is_some_and(Check::uses_git))
    }

    pub fn level_index(&self, name: &str) -> Option<usize> {
        self.levels.iter().position(|l| l == name)
    }

    /// The name of the tier a score falls in.
    pub fn tier_name(&self, score: Option<f64>) -> Option<&str> {
        crate::score::tier::tier_of(&self.tiers, score).map(|t| self.tiers[t].name.as_str())
    }
}

pub use crate::reader::Reader;

pub use crate::suggest::closest;

pub use crate::dates::is_date;

/// Parses `entity.metadata.annotations["backstage.io/techdocs-ref"]` style paths into segments.
pub fn parse_path(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
            let (key, tail) = match quote {
                Some(q) => {
                    let inner = &after[1..];
                    let end = inner
                        .find(q)
                        .ok_or_else(|| format!("unclosed quote in `{path}`"))?;
                    let tail = inner[end + 1..]
                        .strip_prefix(']')
                        .ok_or_else(|| format!("expected `]` in `{path}`"))?;
                    (inner[..end].to_string(), tail)
                }
                None => {
                    let end = after
                        .find(']')
                        .ok_or_else(|| format!("expected `]` in `{path}`"))?;
                    (after[..end].to_string(), &after[end + 1..])
                }
            };
            out.push(key);
            rest = tail.strip_prefix('.').unwrap_or(tail);
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 {
                return Err(format!("empty segment in `{path}`"));
            }
            out.push(rest[..end].to_string());
            rest = &rest[end..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        }
    }
    if out.is_empty() {
        return Err("empty path".to_string());
    }
    Ok(out)
}

pub const SCORECARD_KEYS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];
pub const SPEC_KEYS: &[&str] = &[
    "appliesTo",
    "levels",
    "tiers",
    "defaults",
    "gate",
    "rules",
    "campaigns",
];
pub const DEFAULT_KEYS: &[&str] = &["weight", "severity", "onUnknown"];
pub const GATE_KEYS: &[&str] = &["minLevel", "minScore", "required"];
pub const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "level",
    "weight",
    "severity",
    "when",
    "check",
    "remediation",
    "docs",
    "onUnknown",
    "enforceFrom",
];
pub const LEAF_KEYS: &[&str] = &[
    "fact", "op", "value", "path", "field", "scope", "days", "maxAge",
];

struct Defaults {
    weight: f64,
    severity: RuleSeverity,
    on_unknown: OnUnknown,
}

/// Reads every scorecard document of a file.
pub fn parse_scorecards(file: &Path, text: &str) -> Result<Vec<Scorecard>, Vec<SpecError>> {
    let mut r = Reader::new(file);
    let cards: Vec<Scorecard> = r
        .documents(text)
        .iter()
        .filter_map(|root| scorecard(&mut r, root))
        .collect();
    if r.errors.is_empty() {
        Ok(cards)
    } else {
        Err(r.errors)
    }
}

fn scorecard(r: &mut Reader, root: &Node) -> Option<Scorecard> {
    if root.as_map().is_none() {
        r.error(root.span, "a scorecard must be a mapping");
        return None;
    }
    r.only_keys(root, SCORECARD_KEYS, "a scorecard");
    match root.get("apiVersion").and_then(Node::as_str) {
        Some(API_VERSION) => {}
        _ => r.error(
            root.get("apiVersion").map_or(root.span, |n| n.span),
            format!("apiVersion must be {API_VERSION}"),
        ),
    }
    match root.get("kind").and_then(Node::as_str) {
        Some("Scorecard") => {}
        _ => r.error(
            root.get("kind").map_or(root.span, |n| n.span),
            "kind must be Scorecard",
        ),
    }
    let metadata = root.get("metadata");
    let id = metadata.and_then(|m| r.string(m, "name", true));
    if metadata.is_none() {
        r.error(root.span, "`metadata` with `name` is required");
    }
    let title = metadata.and_then(|m| r.string(m, "title", false));
    let Some(spec) = root.get("spec").filter(|s| s.as_map().is_some()) else {
        r.error(root.span, "`spec` (a mapping) is required");
        return None;
    };
    r.only_keys(spec, SPEC_KEYS, "spec");
    let levels = spec
        .get("levels")
        .map(|l| r.strings(l, "levels"))
        .unwrap_or_default();
    for (i, level) in levels.iter().enumerate() {
        if levels[..i].contains(level) {
            r.error(
                spec.get("levels").map_or(spec.span, |n| n.span),
                format!("level `{level}` is listed twice"),
            );
        }
        if level == "none" {
            r.error(
                spec.get("levels").map_or(spec.span, |n| n.span),
                "`none` is the implicit level below all others; do not list it",
            );
        }
    }
    let applies_to = spec
        .get("appliesTo")
        .map(|a| crate::score::target::parse(r, a))
        .unwrap_or_default();
    let tiers = spec
        .get("tiers")
        .map(|t| crate::score::tier::parse(r, t))
        .unwrap_or_default();
    let defaults = defaults(r, spec.get("defaults"));
    let mut rules = Vec::new();
    match spec.get("rules").and_then(Node::as_seq) {
        Some(items) => {
            for item in items {
                if let Some(rule) = rule(r, item, &levels, &defaults) {
                    if rules.iter().any(|x: &Rule| x.id == rule.id) {
                        r.error(item.span, format!("rule id `{}` is used twice", rule.id));
                    }
                    rules.push(rule);
                }
            }
        }
        None => r.error(spec.span, "`rules` (a list) is required"),
    }
    let gate = spec
        .get("gate")
        .map(|g| gate(r, g, &levels, &rules))
        .unwrap_or_default();
    let campaigns = spec
        .get("campaigns")
        .map(|c| crate::score::campaign::parse(r, c, &rules))
        .unwrap_or_default();
    Some(Scorecard {
        title: title.unwrap_or_else(|| id.clone().unwrap_or_default()),
        id: id?,
        file: r.file.clone(),
        applies_to,
        levels,
        tiers,
        gate,
        rules,
        campaigns,
    })
}

fn severity(r: &mut Reader, node: &Node) -> Option<RuleSeverity> {
    match node.as_str() {
        Some("error") => Some(RuleSeverity::Error),
        Some("warning") => Some(RuleSeverity::Warning),
        _ => {
            r.error(node.span, "severity must be error or warning");
            None
        }
    }
}

fn on_unknown(r: &mut Reader, node: &Node) -> Option<OnUnknown> {
    match node.as_str() {
        Some("pass") => Some(OnUnknown::Pass),
        Some("fail") => Some(OnUnknown::Fail),
        Some("skip") => Some(OnUnknown::Skip),
        _ => {
            r.error(node.span, "onUnknown must be pass, fail or skip");
            None
        }
    }
}

fn weight(r: &mut Reader, node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) if i >= 0 => Some(i as f64),
        Value::Float(f) if f >= 0.0 && f.is_finite() => Some(f),
        _ => {
            r.error(node.span, "weight must be a number ≥ 0");
            None
        }
    }
}

fn defaults(r: &mut Reader, node: Option<&Node>) -> Defaults {
    let mut d = Defaults {
        weight: 1.0,
        severity: RuleSeverity::Error,
        on_unknown: OnUnknown::Fail,
    };
    let Some(node) = node else { return d };
    r.only_keys(node, DEFAULT_KEYS, "defaults");
    if let Some(w) = node.get("weight").and_then(|n| weight(r, n)) {
        d.weight = w;
    }
    if let Some(s) = node.get("severity").and_then(|n| severity(r, n)) {
        d.severity = s;
    }
    if let Some(u) = node.get("onUnknown").and_then(|n| on_unknown(r, n)) {
        d.on_unknown = u;
    }
    d
}

fn gate(r: &mut Reader, node: &Node, levels: &[String], rules: &[Rule]) -> Gate {
    r.only_keys(node, GATE_KEYS, "gate");
    let mut g = Gate::default();
    if let Some(l) = node.get("minLevel") {
        match l.as_str().and_then(|s| levels.iter().position(|x| x == s)) {
            Some(i) => g.min_level = Some(i),
            None => r.error(
                l.span,
                format!("minLevel must be one of the levels: {}", levels.join(", ")),
            ),
        }
    }
    if let Some(s) = node.get("minScore") {
        match s.value {
            Value::Int(i) if (0..=100).contains(&i) => g.min_score = Some(i as f64),
            Value::Float(f) if (0.0..=100.0).contains(&f) => g.min_score = Some(f),
            _ => r.error(s.span, "minScore must be a number from 0 to 100"),
        }
    }
    if let Some(req) = node.get("required") {
        for id in r.strings(req, "required") {
            if !rules.iter().any(|x| x.id == id) {
                r.error(
                    req.span,
                    format!("required rule `{id}` is not a rule of this scorecard"),
                );
            }
            g.required.push(id);
        }
    }
    g
}

fn rule(r: &mut Reader, node: &Node, levels: &[String], d: &Defaults) -> Option<Rule> {
    if node.as_map().is_none() {
        r.error(node.span, "a rule must be a mapping");
        return None;
    }
    r.only_keys(node, RULE_KEYS, "a rule");
    let id = r.string(node, "id", true);
    if let Some(id) = &id
        && !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        r.error(
            node.get("id").map_or(node.span, |n| n.span),
            "rule ids are letters, digits, - _ .",
        );
    }
    let title = r.string(node, "title", false);
    let level = match node.get("level") {
        None => None,
        Some(l) => match l.as_str().and_then(|s| levels.iter().position(|x| x == s)) {
            Some(i) => Some(i),
            None => {
                r.error(
                    l.span,
                    format!(
                        "level {} does not exist; this scorecard's levels are: {}",
                        l.as_str().map_or("?".to_string(), |s| format!("`{s}`")),
                        if levels.is_empty() {
                            "(none)".to_string()
                        } else {
                            levels.join(", ")
                        }
                    ),
                );
                None
            }
        },
    };
    let weight = node
        .get("weight")
        .and_then(|n| weight(r, n))
        .unwrap_or(d.weight);
    let severity = node
        .get("severity")
        .and_then(|n| severity(r, n))
        .unwrap_or(d.severity);
    let on_unknown = node
        .get("onUnknown")
        .and_then(|n| on_unknown(r, n))
        .unwrap_or(d.on_unknown);
    let enforce_from = node.get("enforceFrom").and_then(|n| match n.as_str() {
        Some(s) if is_date(s) => Some(s.to_string()),
        _ => {
            r.error(n.span, "enforceFrom must be a date, YYYY-MM-DD");
            None
        }
    });
    let when = node.get("when").and_then(|n| check(r, n));
    let check = match node.get("check") {
        Some(n) => check(r, n),
        None => {
            r.error(node.span, "`check` is required");
            None
        }
    };
    Some(Rule {
        title: title.unwrap_or_else(|| id.clone().unwrap_or_default()),
        id: id?,
        level,
        weight,
        severity,
        when,
        check: check?,
        remediation: r.string(node, "remediation", false),
        docs: r.string(node, "docs", false),
        on_unknown,
        enforce_from,
        span: node.span,
    })
}

/// Parses a check: `{all: [...]}`, `{any: [...]}`, `{not: ...}`, `{expr: "..."}` or a leaf.
pub fn check(r: &mut Reader, node: &Node) -> Option<Check> {
    let Some(entries) = node.as_map() else {
        r.error(node.span, "a check must be a mapping: {fact, op, value}, {all: [...]}, {any: [...]}, {not: ...} or {expr: ...}");
        return None;
    };
    if let [(k, v)] = entries {
        match k.text.as_str() {
            "all" | "any" => {
                let Some(items) = v.as_seq().filter(|s| !s.is_empty()) else {
                    r.error(
                        v.span,
                        format!("`{}` takes a non-empty list of checks", k.text),
                    );
                    return None;
                };
                let parts: Vec<Check> = items.iter().filter_map(|i| check(r, i)).collect();
                if parts.len() != items.len() {
                    return None;
                }
                return Some(if k.text == "all" {
                    Check::All(parts)
                } else {
                    Check::Any(parts)
                });
            }
            "not" => return check(r, v).map(|c| Check::Not(Box::new(c))),
            "expr" => return expr(r, v),
            _ => {}
        }
    }
    leaf(r, node)
}

/// The environment of `expr` checks: the bounds of any evaluation of untrusted code (a
/// scorecard may come with a pull request), and chainable undefined so that a missing field
/// is undefined all the way down (`entity.metadata.annotations['x']` on an entity without
/// annotations), not an error.
pub(crate) fn expression_environment() -> minijinja::Environment<'static> {
    let mut env = budget::bounded_environment(budget::EXPRESSION_FUEL);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env
}

fn expr(r: &mut Reader, node: &Node) -> Option<Check> {
    let Some(source) = node.as_str() else {
        r.error(
            node.span,
            "`expr` must be a string (a minijinja expression)",
        );
        return None;
    };
    if let Err(too_long) = budget::check_expression_tokens(source) {
        r.error(
            node.span,
            format!("invalid expression: {too_long}; split the check with `all:`"),
        );
        return None;
    }
    let env = expression_environment();
    match env.compile_expression(source) {
        Ok(e) => {
            let unknown: Vec<String> = e
                .undeclared_variables(false)
                .into_iter()
                .filter(|v| !matches!(v.as_str(), "entity" | "ref" | "file" | "dir"))
                .collect();
            if !unknown.is_empty() {
                r.error(
                    node.span,
                    format!(
                        "expression uses unknown variables {}; available: entity, ref, file, dir",
                        unknown.join(", ")
                    ),
                );
                return None;
            }
            Some(Check::Expr(source.to_string()))
        }
        Err(e) => {
            r.error(node.span, format!("invalid expression: {e}"));
            None
        }
    }
}

fn leaf(r: &mut Reader, node: &Node) -> Option<Check> {
    r.only_keys(node, LEAF_KEYS, "a check");
    let fact_name = r.string(node, "fact", true)?;
    let fact_span = node.get("fact").map_or(node.span, |n| n.span);
    let op_node = node.get("op");
    let op = match op_node.and_then(Node::as_str) {
        Some(name) => match Op::ALL.iter().find(|(n, _)| *n == name) {
            Some((_, op)) => *op,
            None => {
                let names: Vec<&str> = Op::ALL.iter().map(|(n, _)| *n).collect();
                let hint = closest(name, &names)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                r.error(
                    op_node.map_or(node.span, |n| n.span),
                    format!(
                        "unknown operator `{name}`{hint}; operators: {}",
                        names.join(", ")
                    ),
                );
                return None;
            }
        },
        None => {
            r.error(node.span, "`op` is required");
            return None;
        }
    };
    let value = node.get("value").map(Node::to_json);
    if op.is_unary() && value.is_some() {
        r.error(
            node.span,
            format!("operator `{}` takes no `value`", op.name()),
        );
    }
    if !op.is_unary() && value.is_none() {
        r.error(
            node.span,
            format!("operator `{}` needs a `value`", op.name()),
        );
        return None;
    }
    let value_span = node.get("value").map_or(node.span, |n| n.span);
    let mut regex = None;
    match op {
        Op::Matches | Op::NotMatches => match value.as_ref().and_then(|v| v.as_str()) {
            Some(pattern) => match Regex::new(pattern) {
                Ok(re) => regex = Some(re),
                Err(e) => {
                    r.error(value_span, format!("invalid regex (Rust regex syntax: no look-around or back-references): {e}"));
                    return None;
                }
            },
            None => {
                r.error(value_span, "`matches` needs a string regex as `value`");
                return None;
            }
        },
        Op::In | Op::NotIn if !value.as_ref().is_some_and(|v| v.is_array()) => {
            r.error(
                value_span,
                format!("`{}` needs a list as `value`", op.name()),
            );
            return None;
        }
        Op::SemverSatisfies | Op::SemverAtLeast => {
            let text = value.as_ref().and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let problem = match (&text, op) {
                (None, _) => Some("needs a string".to_string()),
                (Some(t), Op::SemverSatisfies) => {
                    crate::score::versions::parse_range(t).err().map(|e| {
                        format!(
                            "needs a version range (npm syntax: >=18 <21, ^1.2, 1.x || 2.x): {e}"
                        )
                    })
                }
                (Some(t), _) => crate::score::versions::parse_version(t)
                    .is_none()
                    .then(|| format!("needs a version (1.2.3, 18, v2.1), not `{t}`")),
            };
            if let Some(p) = problem {
                r.error(value_span, format!("`{}` {p}", op.name()));
                return None;
            }
        }
        Op::Lt | Op::Lte | Op::Gt | Op::Gte | Op::CountEq | Op::CountGte | Op::CountLte
            if !value.as_ref().is_some_and(|v| v.is_number()) =>
        {
            r.error(
                value_span,
                format!("`{}` needs a number as `value`", op.name()),
            );
            return None;
        }
        _ => {}
    }
    let param = |r: &mut Reader, key: &str| -> Option<String> { r.string(node, key, true) };
    let scope = |r: &mut Reader| -> Option<GitScope> {
        match node.get("scope").map(|n| (n.as_str(), n.span)) {
            None | Some((Some("entity"), _)) => Some(GitScope::EntityDir),
            Some((Some("repo"), _)) => Some(GitScope::Repo),
            Some((_, span)) => {
                r.error(span, "scope must be entity or repo");
                None
            }
        }
    };
    let fact = match fact_name.as_str() {
        "entity.ref" => Fact::EntityRef,
        "entity.file" => Fact::EntityFile,
        "entity.dir" => Fact::EntityDir,
        "catalog.resolves" => {
            let field = param(r, "field")?;
            match parse_path(&field) {
                Ok(p) => Fact::CatalogResolves(p),
                Err(e) => {
                    r.error(node.get("field").map_or(node.span, |n| n.span), e);
                    return None;
                }
            }
        }
        "catalog.ownerKind" => Fact::OwnerKind,
        "catalog.ownerMembers" => Fact::OwnerMembers,
        "catalog.system" => Fact::CatalogSystem,
        "catalog.domain" => Fact::CatalogDomain,
        "catalog.dependencies" => match node.get("field") {
            None => Fact::CatalogDependencies(None),
            Some(f) => match f.as_str().map(parse_path) {
                Some(Ok(p)) => Fact::CatalogDependencies(Some(p)),
                Some(Err(e)) => {
                    r.error(f.span, e);
                    return None;
                }
                None => {
                    r.error(f.span, "`field` must be a string");
                    return None;
                }
            },
        },
        "repo.file" => Fact::RepoFile(glob_param(r, node)?),
        "repo.fileContent" => Fact::RepoFileContent(glob_param(r, node)?),
        "repo.json" | "repo.yaml" | "repo.toml" => {
            let format = match fact_name.as_str() {
                "repo.json" => DataFormat::Json,
                "repo.yaml" => DataFormat::Yaml,
                _ => DataFormat::Toml,
            };
            let path = glob_param(r, node)?;
            let field = param(r, "field")?;
            match parse_path(&field) {
                Ok(p) => Fact::RepoData(format, path, p),
                Err(e) => {
                    r.error(node.get("field").map_or(node.span, |n| n.span), e);
                    return None;
                }
            }
        }
        "repo.codeowners" => Fact::RepoCodeowners,
        "git.daysSinceLastCommit" => Fact::GitDaysSinceLastCommit(scope(r)?),
        "git.commitCount" => {
            let days = match node.get("days").map(|n| (&n.value, n.span)) {
                Some((Value::Int(d), _)) if *d > 0 => *d as u32,
                Some((_, span)) => {
                    r.error(span, "days must be a positive integer");
                    return None;
                }
                None => {
                    r.error(node.span, "git.commitCount needs `days`");
                    return None;
                }
            };
            Fact::GitCommitCount(scope(r)?, days)
        }
        other if other.starts_with("owner.") => match parse_path(&other["owner.".len()..]) {
            Ok(p) => Fact::Owner(p),
            Err(e) => {
                r.error(fact_span, e);
                return None;
            }
        },
        other if other.starts_with("facts.") => {
            let name = &other["facts.".len()..];
            if name.is_empty() {
                r.error(
                    fact_span,
                    "`facts.` needs a fact name, e.g. facts.coverage.lineRate",
                );
                return None;
            }
            Fact::External(name.to_string())
        }
        other => match other.strip_prefix("entity.") {
            Some(path) => match parse_path(path) {
                Ok(p) => Fact::Entity(p),
                Err(e) => {
                    r.error(fact_span, e);
                    return None;
                }
            },
            None => {
                r.error(
                    fact_span,
                    format!("unknown fact `{other}`; facts: {}", FACTS.join(", ")),
                );
                return None;
            }
        },
    };
    let max_age_days = match node.get("maxAge") {
        None => None,
        Some(n) if !matches!(fact, Fact::External(_)) => {
            r.error(
                n.span,
                "maxAge applies to facts.* facts only (values from --facts files)",
            );
            return None;
        }
        Some(n) => match n
            .as_str()
            .and_then(|s| s.strip_suffix('d'))
            .and_then(|d| d.parse::<u32>().ok())
        {
            Some(days) if days > 0 => Some(days),
            _ => {
                r.error(n.span, "maxAge must be a number of days, e.g. 30d");
                return None;
            }
        },
    };
    Some(Check::Leaf(Leaf {
        fact_name,
        fact,
        op,
        value,
        regex,
        max_age_days,
    }))
}

fn glob_param(r: &mut Reader, node: &Node) -> Option<String> {
    let path = r.string(node, "path", true)?;
    // A leading `/` means the repository root; nothing may lead out of it.
    if let Err(e) = crate::fs::check_content_path(path.trim_start_matches('/')) {
        r.error(
            node.get("path").map_or(node.span, |n| n.span),
            format!("{e} (a leading `/` means the repository root)"),
        );
        return None;
    }
    if let Err(e) = globset::Glob::new(path.trim_start_matches('/')) {
        r.error(
            node.get("path").map_or(node.span, |n| n.span),
            format!("invalid glob: {e}"),
        );
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(parse_path("spec.owner").unwrap(), vec!["spec", "owner"]);
        assert_eq!(
            parse_path("metadata.annotations[\"backstage.io/techdocs-ref\"]").unwrap(),
            vec!["metadata", "annotations", "backstage.io/techdocs-ref"]
        );
        assert_eq!(
            parse_path("metadata.tags[0]").unwrap(),
            vec!["metadata", "tags", "0"]
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[\"x").is_err());
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-12-01"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-02-30"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2025-02-29"));
        assert!(!is_date("26-12-01"));
    }
}
