//! `--known-entities FILE`: an export of the portal's catalog, so references to entities kept
//! in another repository resolve. Read: the JSON of `GET /api/catalog/entities` (an array), of
//! `GET /api/catalog/entities/by-query` (`{"items": [...]}`), NDJSON of entities, and
//! `callboard catalog query --format ndjson` (lines with a `ref`).

use std::collections::HashSet;

use serde_json::Value;

use super::entity_ref::{DEFAULT_NAMESPACE, EntityRef};

/// Why an export could not be read, with the 1-based line for NDJSON.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct KnownEntitiesError {
    pub line: usize,
    pub message: String,
}

/// The references (`kind:namespace/name`, lowercase) of every entity in an export.
pub fn parse(text: &str) -> Result<HashSet<String>, KnownEntitiesError> {
    let mut refs = HashSet::new();
    let whole = match text.trim_start().as_bytes().first() {
        // An array is one JSON document; an object is one unless it is the first NDJSON line.
        Some(b'[') => {
            Some(
                serde_json::from_str::<Value>(text).map_err(|e| KnownEntitiesError {
                    line: e.line(),
                    message: e.to_string(),
                })?,
            )
        }
        Some(b'{') => serde_json::from_str::<Value>(text).ok(),
        _ => None,
    };
    if let Some(value) = whole {
        let items = match &value {
            Value::Array(items) => items.as_slice(),
            Value::Object(m) => match m.get("items") {
                Some(Value::Array(items)) => items.as_slice(),
                // A single NDJSON line is also one JSON object.
                _ => std::slice::from_ref(&value),
            },
            _ => &[],
        };
        for (i, item) in items.iter().enumerate() {
            refs.insert(reference(item).map_err(|message| KnownEntitiesError {
                line: 1,
                message: format!("item {}: {message}", i + 1),
            })?);
        }
        return Ok(refs);
    }
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |message: String| KnownEntitiesError {
            line: i + 1,
            message,
        };
        let value: Value = serde_json::from_str(line).map_err(|e| fail(e.to_string()))?;
        refs.insert(reference(&value).map_err(fail)?);
    }
    Ok(refs)
}

/// The reference of one exported item: callboard's `ref`, or an entity's kind, namespace, name.
fn reference(item: &Value) -> Result<String, String> {
    if let Some(r) = item.get("ref").and_then(Value::as_str) {
        return EntityRef::parse(r, None, DEFAULT_NAMESPACE)
            .map(|r| r.as_str().to_string())
            .map_err(|e| e.message(r));
    }
    let kind = item.get("kind").and_then(Value::as_str);
    let metadata = item.get("metadata");
    let name = metadata.and_then(|m| m.get("name")).and_then(Value::as_str);
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_NAMESPACE);
    match (kind, name) {
        (Some(kind), Some(name)) => Ok(EntityRef::new(kind, namespace, name).as_str().to_string()),
        _ => Err("neither a `ref` nor an entity with kind and metadata.name".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_shape_gives_the_same_references() {
        let api = r#"[{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"Team-A","namespace":"default"}},
                      {"kind":"System","metadata":{"name":"payments"}}]"#;
        let by_query = r#"{"items":[{"kind":"Group","metadata":{"name":"team-a"}},{"kind":"System","metadata":{"name":"Payments"}}],"pageInfo":{}}"#;
        let ndjson = "{\"kind\":\"Group\",\"metadata\":{\"name\":\"team-a\"}}\n\n{\"kind\":\"System\",\"metadata\":{\"name\":\"payments\",\"namespace\":\"default\"}}\n";
        let query = "{\"ref\":\"group:default/team-a\",\"file\":\"x.yaml\",\"line\":1}\n{\"ref\":\"system:payments\",\"file\":\"y.yaml\",\"line\":3}\n";
        let expected: HashSet<String> = ["group:default/team-a", "system:default/payments"]
            .map(String::from)
            .into();
        for text in [api, by_query, ndjson, query] {
            assert_eq!(parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn bad_lines_are_named() {
        let e = parse("{\"kind\":\"Group\",\"metadata\":{\"name\":\"a\"}}\n{\"spec\":{}}\n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("neither a `ref`"), "{e}");
        let e = parse("{\"ref\":\"a\"}\nnot json\n").unwrap_err();
        assert_eq!(e.line, 1, "a ref without a kind: {e}");
        let e = parse("[{\"kind\":\"Group\"}]").unwrap_err();
        assert!(e.to_string().contains("item 1"), "{e}");
    }
}
