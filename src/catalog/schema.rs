//! JSON Schemas (draft-07) of the built-in kinds, generated from the table that validates them
//! ([`super::kinds`]) and Backstage's metadata rules, for editors without a language client
//! (the YAML language server reads `# yaml-language-server: $schema=…`). Draft-07 because it is
//! the draft the YAML language server supports best. What a schema cannot say (references,
//! duplicates, Location targets, files) is `catalog validate`'s and the language server's job.
//!
//! The committed copies in docs/schemas/ are written by `UPDATE_EXPECT=1 cargo test --test
//! schemas`, which fails when they are stale.

use serde_json::{Map, Value, json};

use super::entity::ROOT_FIELDS;
use super::kinds::{Field, KINDS, KindSpec, Shape};

/// Where the published schemas live (their `$id`s).
pub const SCHEMA_BASE_URL: &str =
    "https://raw.githubusercontent.com/callboard-dev/callboard/main/docs/schemas/";

/// `metadata.name` (catalog-model `isValidObjectName`), 1 to 63 characters.
pub const NAME_PATTERN: &str = "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
/// `metadata.namespace` (`isValidDnsLabel`), 1 to 63 characters.
pub const NAMESPACE_PATTERN: &str = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/// Label and annotation keys: an optional DNS subdomain prefix and `/`, then an object name
/// (each DNS label and the name at most 63 characters; the prefix's 253-character total is
/// not expressed).
pub const KEY_PATTERN: &str = "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$";
/// Label values: empty, or an object name of at most 63 characters.
pub const LABEL_VALUE_PATTERN: &str = "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";
/// Tags (`makeValidator().isValidTag`), 1 to 63 characters.
pub const TAG_PATTERN: &str = "^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$";
/// A link's `url` starts with a scheme, as `new URL()` requires of an absolute URL.
pub const URL_SCHEME_PATTERN: &str = "^[A-Za-z][-A-Za-z0-9+.]*:";
/// The length limit of names, namespaces and tags.
pub const MAX_NAME_LENGTH: usize = 63;

/// The schema of one shape of the kinds table.
fn shape(s: &Shape) -> Value {
    let string = |min: bool| {
        if min {
            json!({"type": "string", "minLength": 1})
        } else {
            json!({"type": "string"})
        }
    };
    match s {
        Shape::Str => string(true),
        Shape::AnyStr => string(false),
        Shape::Enum(values) => json!({"type": "string", "enum": values}),
        Shape::StrOrBool => json!({"type": ["string", "boolean"]}),
        Shape::StrList => json!({"type": "array", "items": string(true)}),
        Shape::AnyStrList => json!({"type": "array", "items": string(false)}),
        Shape::Object(fields, extra) => {
            let mut object = object_of(fields);
            if let Some(extra) = extra {
                object["additionalProperties"] = shape(extra);
            }
            object
        }
        Shape::ObjectList(fields) => json!({"type": "array", "items": object_of(fields)}),
        Shape::ObjectOrObjectList(fields) => json!({"anyOf": [
            object_of(fields),
            {"type": "array", "items": object_of(fields)},
        ]}),
        Shape::Any => json!({}),
    }
}

/// An object with `fields` (other members allowed, as the checker allows them).
fn object_of(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for f in fields {
        properties.insert(f.name.to_string(), shape(&f.shape));
    }
    let mut object = json!({"type": "object", "properties": properties});
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    if !required.is_empty() {
        object["required"] = json!(required);
    }
    object
}

/// `metadata` as Backstage checks it for every kind.
fn metadata() -> Value {
    let non_blank = json!({"type": "string", "pattern": "\\S"});
    json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": MAX_NAME_LENGTH, "pattern": NAME_PATTERN},
            "namespace": {"type": "string", "minLength": 1, "maxLength": MAX_NAME_LENGTH, "pattern": NAMESPACE_PATTERN},
            "title": {"type": "string", "minLength": 1},
            "description": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/placeholder"}]},
            "uid": {"type": "string", "minLength": 1},
            "etag": {"type": "string", "minLength": 1},
            "labels": {
                "type": "object",
                "propertyNames": {"pattern": KEY_PATTERN},
                "additionalProperties": {"type": "string", "pattern": LABEL_VALUE_PATTERN},
            },
            "annotations": {
                // Backstage fills an empty `annotations:` with its own before checking.
                "type": ["object", "null"],
                "propertyNames": {"pattern": KEY_PATTERN},
                "additionalProperties": {"type": "string"},
            },
            "tags": {
                "type": "array",
                "items": {"type": "string", "minLength": 1, "maxLength": MAX_NAME_LENGTH, "pattern": TAG_PATTERN},
            },
            "links": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        // An absolute URL: a scheme first (`format` alone is not checked
                        // by every validator).
                        "url": {"type": "string", "pattern": URL_SCHEME_PATTERN, "format": "uri"},
                        "title": non_blank,
                        "icon": non_blank,
                        "type": {"type": "string", "minLength": 1},
                    },
                },
            },
        },
    })
}

/// A `$text`, `$json` or `$yaml` placeholder (Backstage substitutes it before validating).
fn placeholder() -> Value {
    json!({
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"enum": ["$text", "$json", "$yaml"]},
        "additionalProperties": {"type": "string", "minLength": 1},
    })
}

/// The body of a kind's schema (no `$schema`/`$id`), its `$ref`s into `#/definitions`.
fn kind_body(kind: &KindSpec) -> Value {
    let mut spec = object_of(kind.spec);
    // Any spec field may be a placeholder standing for its value; a reference field says what
    // it refers to (an editor shows it on hover).
    if let Some(Value::Object(properties)) = spec.get_mut("properties") {
        for (name, value) in properties.iter_mut() {
            *value = json!({"anyOf": [value.take(), {"$ref": "#/definitions/placeholder"}]});
            if let Some(r) = kind.relations.iter().find(|r| r.field == name) {
                value["description"] = json!(reference_description(r));
            }
        }
    }
    let mut properties = Map::new();
    for field in ROOT_FIELDS {
        let schema = match *field {
            "apiVersion" => json!({"type": "string", "enum": kind.api_versions}),
            "kind" => json!({"const": kind.kind}),
            "metadata" => json!({"$ref": "#/definitions/metadata"}),
            _ => spec.take(),
        };
        properties.insert(field.to_string(), schema);
    }
    json!({
        "type": "object",
        "required": ROOT_FIELDS,
        "properties": properties,
        "additionalProperties": false,
    })
}

/// "Entity reference(s) [<kind>:][<namespace>/]<name> to a group or user (kind Group when not written)".
fn reference_description(r: &super::kinds::RelationField) -> String {
    let expected = if r.expected_kinds.is_empty() {
        "any entity".to_string()
    } else {
        let kinds = r.expected_kinds.join(" or ");
        let article = if kinds.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {kinds}")
    };
    let default = match r.default_kind {
        Some(kind) => format!("kind {kind} when not written"),
        None => "the kind must be written".to_string(),
    };
    format!(
        "Entity reference [<kind>:][<namespace>/]<name> to {expected} ({default}); Backstage relation `{}`.",
        r.relation
    )
}

fn definitions() -> Map<String, Value> {
    let mut d = Map::new();
    d.insert("metadata".into(), metadata());
    d.insert("placeholder".into(), placeholder());
    d
}

/// The file name of a kind's schema: `component.schema.json`.
pub fn file_name(kind: &KindSpec) -> String {
    format!("{}.schema.json", kind.kind.to_ascii_lowercase())
}

/// The schema of one built-in kind.
pub fn kind_schema(kind: &KindSpec) -> Value {
    let mut schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": format!("{SCHEMA_BASE_URL}{}", file_name(kind)),
        "title": format!("Backstage {} entity", kind.kind),
        "description": format!(
            "A {} as Backstage's catalog accepts it, generated by callboard from its rules (do not edit). References, duplicates and files are checked by `callboard catalog validate`.",
            kind.kind
        ),
    });
    let Value::Object(body) = kind_body(kind) else {
        unreachable!("a kind's body is an object")
    };
    let object = schema.as_object_mut().expect("built as an object");
    object.extend(body);
    object.insert("definitions".into(), Value::Object(definitions()));
    schema
}

/// One schema for any built-in kind (a file of several entities): each document is checked
/// against the schema of its `kind`.
pub fn entity_schema() -> Value {
    let mut defs = definitions();
    let mut all_of = Vec::new();
    for kind in KINDS {
        defs.insert(kind.kind.to_string(), kind_body(kind));
        all_of.push(json!({
            "if": {"properties": {"kind": {"const": kind.kind}}, "required": ["kind"]},
            "then": {"$ref": format!("#/definitions/{}", kind.kind)},
        }));
    }
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.kind).collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": format!("{SCHEMA_BASE_URL}entity.schema.json"),
        "title": "Backstage entity",
        "description": "Any built-in kind as Backstage's catalog accepts it, generated by callboard from its rules (do not edit). References, duplicates and files are checked by `callboard catalog validate`.",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {"kind": {"enum": kinds}},
        "allOf": all_of,
        "definitions": defs,
    })
}

/// Every schema file, as written to docs/schemas/: (file name, pretty JSON with a final newline).
pub fn files() -> Vec<(String, String)> {
    let pretty = |v: &Value| {
        let mut s = serde_json::to_string_pretty(v).expect("JSON values serialize");
        s.push('\n');
        s
    };
    let mut out: Vec<(String, String)> = KINDS
        .iter()
        .map(|k| (file_name(k), pretty(&kind_schema(k))))
        .collect();
    out.push(("entity.schema.json".into(), pretty(&entity_schema())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats;

    /// The patterns say what the checker's functions say, on the edge cases of each rule.
    #[test]
    fn patterns_agree_with_the_format_rules() {
        let re = |p: &str| regex::Regex::new(p).unwrap();
        let (name, ns, key, value, tag) = (
            re(NAME_PATTERN),
            re(NAMESPACE_PATTERN),
            re(KEY_PATTERN),
            re(LABEL_VALUE_PATTERN),
            re(TAG_PATTERN),
        );
        let long = "a".repeat(63);
        let too_long = "a".repeat(64);
        let samples = [
            "a",
            "A",
            "a-b",
            "a--b",
            "a_b.c",
            "-a",
            "a-",
            "a.",
            "_a",
            "ä",
            "",
            "a b",
            "a/b",
            "example.com/x",
            "Example.com/x",
            "a.b.c/d",
            "/x",
            "x/",
            "a/b/c",
            "c++",
            "c#",
            "k8s:prod",
            "Java",
            "go-1",
            "a--b-",
            &long,
            &too_long,
        ];
        for s in samples {
            let len_ok = s.chars().count() <= MAX_NAME_LENGTH;
            assert_eq!(
                name.is_match(s) && len_ok,
                formats::is_object_name(s, 63),
                "name {s:?}"
            );
            assert_eq!(
                ns.is_match(s) && len_ok,
                formats::is_dns_label(s, 63),
                "namespace {s:?}"
            );
            assert_eq!(key.is_match(s), formats::is_label_key(s), "key {s:?}");
            assert_eq!(
                value.is_match(s),
                formats::is_label_value(s),
                "label value {s:?}"
            );
            assert_eq!(
                tag.is_match(s) && len_ok,
                formats::is_tag(s, 63),
                "tag {s:?}"
            );
        }
    }

    #[test]
    fn every_kind_has_a_schema_named_after_it() {
        let names: Vec<String> = files().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names.len(), KINDS.len() + 1);
        assert!(names.contains(&"api.schema.json".to_string()));
        let component = kind_schema(&KINDS[0]);
        assert_eq!(component["properties"]["kind"]["const"], "Component");
        assert_eq!(
            component["properties"]["spec"]["required"],
            json!(["type", "lifecycle", "owner"])
        );
    }
}
