//! The selection language of `catalog query` and `catalog edit --where`:
//! `kind=Component and spec.lifecycle=production and not metadata.annotations[github.com/project-slug]`.
//!
//! Terms: `PATH` (exists), `PATH=VALUE`, `PATH!=VALUE`, `PATH~REGEX`; combined with `and`, `or`,
//! `not` and parentheses. Shortcuts: `kind`, `name`, `namespace`, `ref`, `tag`, and the relations
//! `ownedBy` (through group parents), `partOf`, `dependsOn`, `dependencyOf`, `providesApi`,
//! `consumesApi`, `memberOf`, `childOf`, whose values are entity references.

use regex::Regex;

use crate::catalog::entity_ref::EntityRef;
use crate::catalog::index::Teams;
use crate::score::model::parse_path;
use crate::yaml::{Node, Value};

#[derive(Debug, Clone)]
pub enum Filter {
    All,
    /// A chain `a and b and c` is one flat list, so long chains add no nesting.
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Term(Term),
}

#[derive(Debug, Clone)]
pub enum Term {
    Exists(Vec<String>),
    Equals(Field, String, bool),
    Matches(Vec<String>, Regex),
    Relation(String, EntityRef),
    /// One `--filter` in Backstage's syntax: every statement holds.
    Search(Vec<super::backstage_filter::Statement>),
}

#[derive(Debug, Clone)]
pub enum Field {
    Kind,
    Name,
    Namespace,
    Ref,
    Tag,
    Path(Vec<String>),
}

pub const RELATIONS: &[&str] = crate::config::RELATION_TYPES;

/// What a filter looks at for one entity.
pub struct Subject<'a> {
    pub reference: &'a EntityRef,
    pub root: &'a Node,
    /// (relation type, target) pairs of this entity.
    pub relations: &'a [(&'static str, EntityRef)],
}

fn tokenize(input: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `(` groups only at the start of a term; `)` closes a group unless it closes a
            // parenthesis inside the term (a regex such as `name~^(a|b)`).
            '(' if cur.is_empty() => tokens.push("(".into()),
            '(' if matches!(cur.as_str(), "not" | "and" | "or") => {
                tokens.push(std::mem::take(&mut cur));
                tokens.push("(".into());
            }
            ')' if cur.matches('(').count() <= cur.matches(')').count() => {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                tokens.push(")".into());
            }
            '"' | '\'' => {
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    cur.push(d);
                }
                if !closed {
                    return Err(format!("unclosed quote in filter `{input}`"));
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    Ok(tokens)
}

/// How deeply parentheses and `not` may nest in a filter. Parsing, matching and dropping a
/// filter recurse once per level, so this bounds their stack use.
pub const MAX_FILTER_DEPTH: usize = 128;

/// The selection of `--where WHERE` and every `--filter` (Backstage's syntax; any of them): both
/// must hold. `--where` text in Backstage's syntax is refused with a hint.
pub fn selection(where_text: &str, backstage: &[String]) -> Result<Filter, String> {
    if let Some(hint) = super::backstage_filter::looks_like_backstage(where_text) {
        return Err(format!("`{where_text}`: {hint}"));
    }
    let mut filter = parse(where_text)?;
    if !backstage.is_empty() {
        let any = backstage
            .iter()
            .map(|f| {
                super::backstage_filter::parse(f)
                    .map(|s| Filter::Term(Term::Search(s)))
                    .map_err(|e| format!("--filter {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        filter = Filter::And(vec![filter, Filter::Or(any)]);
    }
    Ok(filter)
}

pub fn parse(input: &str) -> Result<Filter, String> {
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Ok(Filter::All);
    }
    let mut pos = 0;
    let f = parse_or(&tokens, &mut pos, 0)?;
    if pos != tokens.len() {
        return Err(format!("unexpected `{}` in filter", tokens[pos]));
    }
    Ok(f)
}

fn parse_or(t: &[String], pos: &mut usize, depth: usize) -> Result<Filter, String> {
    let mut items = vec![parse_and(t, pos, depth)?];
    while t.get(*pos).is_some_and(|s| s == "or") {
        *pos += 1;
        items.push(parse_and(t, pos, depth)?);
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Filter::Or(items)
    })
}

fn parse_and(t: &[String], pos: &mut usize, depth: usize) -> Result<Filter, String> {
    let mut items = vec![parse_unary(t, pos, depth)?];
    while t.get(*pos).is_some_and(|s| s == "and") {
        *pos += 1;
        items.push(parse_unary(t, pos, depth)?);
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Filter::And(items)
    })
}

fn parse_unary(t: &[String], pos: &mut usize, depth: usize) -> Result<Filter, String> {
    if depth >= MAX_FILTER_DEPTH && matches!(t.get(*pos).map(String::as_str), Some("not" | "(")) {
        return Err(format!(
            "the filter nests parentheses and `not` more than {MAX_FILTER_DEPTH} levels deep (at token {}); write it flatter",
            *pos + 1
        ));
    }
    match t.get(*pos).map(String::as_str) {
        None => Err("the filter ends too early".into()),
        Some("not") => {
            *pos += 1;
            Ok(Filter::Not(Box::new(parse_unary(t, pos, depth + 1)?)))
        }
        Some("(") => {
            *pos += 1;
            let inner = parse_or(t, pos, depth + 1)?;
            if t.get(*pos).map(String::as_str) != Some(")") {
                return Err("missing `)` in filter".into());
            }
            *pos += 1;
            Ok(inner)
        }
        Some(term) => {
            *pos += 1;
            parse_term(term).map(Filter::Term)
        }
    }
}

const ROOTS: &[&str] = crate::catalog::entity::ROOT_FIELDS;

fn field(name: &str) -> Result<Field, String> {
    let root = name.split(['.', '[']).next().unwrap_or_default();
    let shortcut = matches!(
        name,
        "kind"
            | "name"
            | "namespace"
            | "ref"
            | "tag"
            | "owner"
            | "system"
            | "lifecycle"
            | "type"
            | "domain"
    );
    if !shortcut && !ROOTS.contains(&root) {
        return Err(format!(
            "unknown field `{name}`: use a path under apiVersion, kind, metadata or spec (e.g. spec.{name}), a shortcut (kind, name, namespace, ref, tag, owner, system, lifecycle, type, domain) or a relation ({})",
            RELATIONS.join(", ")
        ));
    }
    Ok(match name {
        "kind" => Field::Kind,
        "name" => Field::Name,
        "namespace" => Field::Namespace,
        "ref" => Field::Ref,
        "tag" => Field::Tag,
        "owner" | "system" | "lifecycle" | "type" | "domain" => {
            Field::Path(vec!["spec".into(), name.into()])
        }
        other => Field::Path(parse_path(
            &other
                .replace("[", "[\"")
                .replace("]", "\"]")
                .replace("[\"\"", "[\"")
                .replace("\"\"]", "\"]"),
        )?),
    })
}

/// The first operator in a term (`!=`, `=`, `~`) and where it is: `name=a~b` compares with `a~b`.
fn operator(term: &str) -> Option<(usize, &'static str)> {
    let bytes = term.as_bytes();
    (0..bytes.len()).find_map(|i| match bytes[i] {
        b'!' if bytes.get(i + 1) == Some(&b'=') => Some((i, "!=")),
        b'=' => Some((i, "=")),
        b'~' => Some((i, "~")),
        _ => None,
    })
}

fn parse_term(term: &str) -> Result<Term, String> {
    let op = operator(term);
    let split = |sep: &str| match op {
        Some((i, s)) if s == sep => Some((term[..i].to_string(), term[i + s.len()..].to_string())),
        _ => None,
    };
    if let Some((i, s)) = op
        && s != "="
        && RELATIONS.contains(&&term[..i])
    {
        return Err(format!(
            "`{term}`: relations take `=` (use `not {}=…` to negate)",
            &term[..i]
        ));
    }
    if let Some((name, value)) = split("!=") {
        return Ok(Term::Equals(field(&name)?, value, false));
    }
    if let Some((name, pattern)) = split("~") {
        let re = Regex::new(&pattern).map_err(|e| format!("invalid regex in `{term}`: {e}"))?;
        return match field(&name)? {
            Field::Path(p) => Ok(Term::Matches(p, re)),
            Field::Kind => Ok(Term::Matches(vec!["kind".into()], re)),
            Field::Name => Ok(Term::Matches(vec!["metadata".into(), "name".into()], re)),
            _ => Err(format!("`~` works on fields, not on `{name}`")),
        };
    }
    if let Some((name, value)) = split("=") {
        if RELATIONS.contains(&name.as_str()) {
            let default_kind = match name.as_str() {
                "ownedBy" | "memberOf" | "childOf" => Some("Group"),
                "providesApi" | "consumesApi" => Some("API"),
                _ => None,
            };
            let target = EntityRef::parse(&value, default_kind, "default")
                .map_err(|e| format!("`{term}`: {}", e.message(&value)))?;
            return Ok(Term::Relation(name, target));
        }
        if name == "ref" && EntityRef::parse(&value, None, "default").is_err() {
            return Err(format!(
                "`{term}`: ref= takes a full reference such as component:default/{value}"
            ));
        }
        return Ok(Term::Equals(field(&name)?, value, true));
    }
    if RELATIONS.contains(&term) {
        return Err(format!(
            "`{term}` needs a value, e.g. {term}=group:default/team-a"
        ));
    }
    match field(term)? {
        Field::Path(p) => Ok(Term::Exists(p)),
        _ => Err(format!("`{term}` needs a value, e.g. {term}=…")),
    }
}

fn node_at<'n>(root: &'n Node, path: &[String]) -> Option<&'n Node> {
    crate::score::facts::entity_field(root, path)
}

fn scalar_strings(node: &Node) -> Vec<String> {
    match &node.value {
        Value::String(s) => vec![s.clone()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Int(i) => vec![i.to_string()],
        Value::Float(f) => vec![f.to_string()],
        Value::Seq(items) => items.iter().flat_map(scalar_strings).collect(),
        _ => Vec::new(),
    }
}

impl Filter {
    pub fn matches(&self, s: &Subject<'_>, teams: &Teams) -> bool {
        match self {
            Filter::All => true,
            Filter::And(items) => items.iter().all(|f| f.matches(s, teams)),
            Filter::Or(items) => items.iter().any(|f| f.matches(s, teams)),
            Filter::Not(a) => !a.matches(s, teams),
            Filter::Term(t) => t.matches(s, teams),
        }
    }
}

impl Term {
    fn matches(&self, s: &Subject<'_>, teams: &Teams) -> bool {
        match self {
            Term::Exists(path) => node_at(s.root, path).is_some_and(|n| !n.is_null()),
            Term::Matches(path, re) => node_at(s.root, path)
                .is_some_and(|n| scalar_strings(n).iter().any(|v| re.is_match(v))),
            Term::Equals(field, value, positive) => {
                let hit = match field {
                    Field::Kind => s.reference.kind().eq_ignore_ascii_case(value),
                    Field::Name => s.reference.name().eq_ignore_ascii_case(value),
                    Field::Namespace => s.reference.namespace().eq_ignore_ascii_case(value),
                    Field::Ref => {
                        EntityRef::parse(value, None, "default").is_ok_and(|r| &r == s.reference)
                    }
                    Field::Tag => node_at(s.root, &["metadata".into(), "tags".into()])
                        .is_some_and(|n| scalar_strings(n).iter().any(|t| t == value)),
                    Field::Path(path) => {
                        let default_kind = match path.last().map(String::as_str) {
                            Some("owner") if path.len() == 2 => Some("Group"),
                            Some("system") if path.len() == 2 => Some("System"),
                            Some("domain") if path.len() == 2 => Some("Domain"),
                            _ => None,
                        };
                        node_at(s.root, path).is_some_and(|n| {
                            scalar_strings(n).iter().any(|v| match default_kind {
                                // References compare as references (kind and namespace filled in).
                                Some(k) => {
                                    let ns = s.reference.namespace();
                                    matches!((EntityRef::parse(v, Some(k), ns), EntityRef::parse(value, Some(k), "default")), (Ok(a), Ok(b)) if a == b)
                                }
                                None => v == value,
                            })
                        })
                    }
                };
                hit == *positive
            }
            Term::Search(statements) => super::backstage_filter::matches(
                statements,
                &super::backstage_filter::search_rows(s.root, s.relations),
            ),
            Term::Relation(name, target) => s.relations.iter().any(|(rel, t)| {
                *rel == name.as_str()
                    && (t == target
                        || (name == "ownedBy" && t.kind() == "group" && teams.is_within(t, target)))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_combinations() {
        assert!(matches!(
            parse("kind=Component and spec.lifecycle=production").unwrap(),
            Filter::And(..)
        ));
        assert!(matches!(
            parse("not (spec.a or spec.b)").unwrap(),
            Filter::Not(_)
        ));
        assert!(
            matches!(parse("metadata.annotations[github.com/project-slug]").unwrap(), Filter::Term(Term::Exists(p)) if p == vec!["metadata", "annotations", "github.com/project-slug"])
        );
        assert!(parse("kind=Component and").is_err());
        assert!(parse("(kind=API").is_err());
        assert!(parse("ownedBy").is_err());
        assert!(parse("name~[").is_err());
        assert!(matches!(parse("").unwrap(), Filter::All));
        assert!(parse("ownedBy!=group:a").is_err());
        assert!(parse("Kind=Component").is_err());
        assert!(parse("ref=svc").is_err());
        assert!(matches!(
            parse("(name~^(a|b) or kind=API)").unwrap(),
            Filter::Or(..)
        ));
        assert!(
            matches!(parse("name=a~b").unwrap(), Filter::Term(Term::Equals(Field::Name, v, true)) if v == "a~b")
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let parens = format!("{}kind=API{}", "(".repeat(10_000), ")".repeat(10_000));
        let err = parse(&parens).unwrap_err();
        assert!(err.contains("more than 128 levels"), "{err}");
        let nots = format!("{}kind=API", "not ".repeat(10_000));
        assert!(parse(&nots).unwrap_err().contains("more than 128 levels"));
        let ok = format!("{}kind=API{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn long_chains_stay_flat() {
        let chain = vec!["name=a"; 50_000].join(" or ");
        match parse(&chain).unwrap() {
            Filter::Or(items) => assert_eq!(items.len(), 50_000),
            other => panic!("{other:?}"),
        }
    }
}
