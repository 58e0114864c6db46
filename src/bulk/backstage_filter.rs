//! Backstage's own filter syntax (`GET /api/catalog/entities?filter=…`), for `--filter`:
//! `kind=component,spec.type=service` (statements joined by `,` must all hold; one key given
//! twice matches either value), `metadata.annotations.backstage.io/techdocs-ref` (the key
//! exists), `key=` (an empty value); several `--filter`s match either. Keys are the entity's
//! paths flattened with `.` (annotation and label keys keep their own dots), lists match any
//! item, and keys and values compare without case, as the catalog's search table does.

use crate::catalog::entity_ref::EntityRef;
use crate::yaml::{Node, Value};

/// Values longer than this are not searchable in Backstage (the search table keeps them out).
const MAX_VALUE_LENGTH: usize = 200;

/// One `key[=value]` statement after grouping: the key and its accepted values (None: exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub key: String,
    pub values: Option<Vec<String>>,
}

/// Parses one `--filter` string into its statements, as the catalog backend does.
pub fn parse(text: &str) -> Result<Vec<Statement>, String> {
    let mut statements: Vec<Statement> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (part, None),
        };
        if key.is_empty() {
            return Err(format!(
                "`{part}` is not a valid statement (expected a string on the form a=b or a= or a)"
            ));
        }
        let key = key.to_lowercase();
        let statement = match statements.iter_mut().find(|s| s.key == key) {
            Some(s) => s,
            None => {
                statements.push(Statement { key, values: None });
                statements.last_mut().expect("just pushed")
            }
        };
        if let Some(v) = value {
            statement
                .values
                .get_or_insert_with(Vec::new)
                .push(v.to_lowercase());
        }
    }
    if statements.is_empty() {
        return Err(format!("`{text}` has no statement"));
    }
    Ok(statements)
}

/// The entity's search rows: (lowercase key, lowercase value or None when not searchable).
pub fn search_rows(
    root: &Node,
    relations: &[(&'static str, EntityRef)],
) -> Vec<(String, Option<String>)> {
    let mut rows = Vec::new();
    flatten(root, String::new(), &mut rows);
    // Backstage stores every entity with a namespace (the default one when none is written).
    if !rows.iter().any(|(k, _)| k == "metadata.namespace") {
        rows.push(("metadata.namespace".into(), Some("default".into())));
    }
    for (relation, target) in relations {
        rows.push((
            format!("relations.{}", relation.to_lowercase()),
            Some(target.as_str().to_string()),
        ));
    }
    rows
}

fn flatten(node: &Node, key: String, rows: &mut Vec<(String, Option<String>)>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                let child = if key.is_empty() {
                    k.text.to_lowercase()
                } else {
                    format!("{key}.{}", k.text.to_lowercase())
                };
                flatten(v, child, rows);
            }
        }
        Value::Seq(items) => {
            for item in items {
                flatten(item, key.clone(), rows);
            }
        }
        Value::Null => {}
        _ if key.is_empty() => {}
        _ => {
            let text = match &node.value {
                Value::String(s) => s.to_lowercase(),
                Value::Bool(b) => b.to_string(),
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                _ => String::new(),
            };
            let value = (text.chars().count() <= MAX_VALUE_LENGTH).then_some(text);
            rows.push((key, value));
        }
    }
}

/// Whether every statement holds for the rows.
pub fn matches(statements: &[Statement], rows: &[(String, Option<String>)]) -> bool {
    statements.iter().all(|s| {
        rows.iter().any(|(key, value)| {
            key == &s.key
                && match &s.values {
                    None => true,
                    Some(values) => value.as_ref().is_some_and(|v| values.contains(v)),
                }
        })
    })
}

/// A hint when `--where` text looks like Backstage's filter syntax, which it does not speak.
pub fn looks_like_backstage(text: &str) -> Option<&'static str> {
    let no_spaces = !text.trim().contains(char::is_whitespace);
    let comma_joined =
        no_spaces && text.contains(',') && text.split(',').filter(|p| p.contains('=')).count() >= 2;
    let dotted_annotation = text.split_whitespace().any(|term| {
        ["metadata.annotations.", "metadata.labels."]
            .iter()
            .any(|prefix| {
                term.strip_prefix(prefix).is_some_and(|rest| {
                    rest.split(['=', '!', '~'])
                        .next()
                        .is_some_and(|k| k.contains('.') || k.contains('/'))
                })
            })
    });
    (comma_joined || dotted_annotation).then_some(
        "this looks like Backstage's filter syntax: pass it with --filter (e.g. --filter 'kind=component,spec.type=service'), or write --where 'kind=Component and spec.type=service' (annotation keys in brackets: metadata.annotations[backstage.io/techdocs-ref])",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(yaml: &str) -> Vec<(String, Option<String>)> {
        let doc = crate::yaml::parse_stream(yaml).documents.remove(0);
        let owner = EntityRef::new("group", "default", "team-a");
        search_rows(&doc.document.root, &[("ownedBy", owner)])
    }

    const ENTITY: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Payments\n  tags: [java, Web]\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: Service\n  lifecycle: production\n  owner: team-a\n";

    #[test]
    fn statements_group_by_key() {
        assert_eq!(
            parse("kind=Component, kind=API,metadata.annotations.backstage.io/techdocs-ref")
                .unwrap(),
            [
                Statement {
                    key: "kind".into(),
                    values: Some(vec!["component".into(), "api".into()])
                },
                Statement {
                    key: "metadata.annotations.backstage.io/techdocs-ref".into(),
                    values: None
                },
            ]
        );
        assert!(parse("=x").unwrap_err().contains("not a valid statement"));
        assert_eq!(
            parse("spec.type=").unwrap()[0].values,
            Some(vec![String::new()])
        );
    }

    #[test]
    fn matching_follows_the_search_table() {
        let r = rows(ENTITY);
        let hit = |f: &str| matches(&parse(f).unwrap(), &r);
        assert!(hit("kind=component,spec.type=service"));
        assert!(hit("KIND=COMPONENT"));
        assert!(hit("metadata.annotations.backstage.io/techdocs-ref"));
        assert!(hit("metadata.annotations.backstage.io/techdocs-ref=DIR:."));
        assert!(hit("metadata.tags=web"));
        assert!(hit("metadata.namespace=default"));
        assert!(hit("relations.ownedby=group:default/team-a"));
        assert!(hit("kind=api,kind=component"));
        assert!(!hit("kind=component,spec.type=website"));
        assert!(!hit("metadata.annotations.github.com/project-slug"));
    }

    #[test]
    fn backstage_syntax_in_where_is_recognised() {
        assert!(looks_like_backstage("kind=component,spec.type=service").is_some());
        assert!(looks_like_backstage("metadata.annotations.backstage.io/techdocs-ref").is_some());
        assert!(looks_like_backstage("kind=Component and spec.type=service").is_none());
        assert!(looks_like_backstage("metadata.annotations[backstage.io/techdocs-ref]").is_none());
        assert!(looks_like_backstage("name~^(a,b)").is_none());
    }
}
