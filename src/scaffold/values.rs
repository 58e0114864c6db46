//! Template parameters: schema defaults, then a values file, then `--set`; page `when`; JSON
//! Schema validation per visible page (as Backstage's router does); secrets set apart; and
//! checks against the catalog for the pickers.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::render::{Renderer, is_truthy};
use super::repo_url::{self, Integrations};
use super::template::Template;
use crate::catalog::entity_ref::EntityRef;

/// One problem with the values, naming the parameter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ValueProblem {
    /// Dotted parameter path (`repoUrl`, `service.port`); empty for the whole object.
    pub parameter: String,
    pub message: String,
}

impl std::fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.parameter.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.parameter, self.message)
        }
    }
}

/// The property schemas of every page, by top-level name (first declaration wins).
fn properties(template: &Template) -> Map<String, Value> {
    let mut out = Map::new();
    for page in &template.parameters {
        for part in page_parts(page) {
            if let Some(Value::Object(props)) = part.get("properties") {
                for (k, v) in props {
                    out.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    out
}

/// A page plus the sub-schemas whose properties also belong to it.
fn page_parts(page: &Value) -> Vec<&Value> {
    let mut parts = vec![page];
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(items)) = page.get(keyword) {
            parts.extend(items.iter().filter(|i| i.is_object()));
        }
    }
    for keyword in ["then", "else"] {
        if let Some(v @ Value::Object(_)) = page.get(keyword) {
            parts.push(v);
        }
    }
    if let Some(Value::Object(deps)) = page.get("dependencies") {
        for dep in deps.values() {
            if dep.is_object() {
                parts.extend(page_parts(dep));
            }
        }
    }
    parts
}

/// Fills absent values from `default`s as the form (react-jsonschema-form) does: into object
/// properties (an absent object gets the defaults of its properties when there are any), from
/// `allOf` parts, from the `then`/`else` that the values select, and from the `dependencies`
/// branch whose discriminating property matches (not from every branch).
fn fill_defaults(schema: &Value, target: &mut Map<String, Value>) {
    // The unconditional defaults first: they can select a branch (`dependencies`, `if`), whose
    // defaults then apply.
    fill_defaults_from(schema, target, false);
    fill_defaults_from(schema, target, true);
}

fn fill_defaults_from(schema: &Value, target: &mut Map<String, Value>, conditional: bool) {
    for part in default_parts(schema, target, conditional) {
        let Some(Value::Object(props)) = part.get("properties") else {
            continue;
        };
        for (key, prop) in props {
            if !target.contains_key(key)
                && let Some(default) = prop.get("default")
            {
                target.insert(key.clone(), default.clone());
            }
            if prop.get("type").and_then(Value::as_str) != Some("object")
                || prop.get("properties").is_none()
            {
                continue;
            }
            match target.get_mut(key) {
                Some(Value::Object(inner)) => fill_defaults_from(prop, inner, conditional),
                Some(_) => {}
                None => {
                    let mut inner = Map::new();
                    fill_defaults_from(prop, &mut inner, conditional);
                    if !inner.is_empty() {
                        target.insert(key.clone(), Value::Object(inner));
                    }
                }
            }
        }
    }
}

/// The parts of `schema` whose defaults apply to `values` (see [`fill_defaults`]).
fn default_parts<'a>(
    schema: &'a Value,
    values: &Map<String, Value>,
    conditional: bool,
) -> Vec<&'a Value> {
    let mut parts = vec![schema];
    if let Some(Value::Array(items)) = schema.get("allOf") {
        for item in items.iter().filter(|i| i.is_object()) {
            parts.extend(default_parts(item, values, conditional));
        }
    }
    if !conditional {
        return parts;
    }
    if let Some(condition) = schema.get("if") {
        let branch = if matches_schema(condition, values) {
            schema.get("then")
        } else {
            schema.get("else")
        };
        if let Some(branch @ Value::Object(_)) = branch {
            parts.extend(default_parts(branch, values, conditional));
        }
    }
    if let Some(Value::Object(deps)) = schema.get("dependencies") {
        for (key, dep) in deps {
            if !values.contains_key(key) || !dep.is_object() {
                continue;
            }
            match dep.get("oneOf").and_then(Value::as_array) {
                // The first choice whose schema for `key` accepts its value, as the form picks it.
                Some(choices) => {
                    let chosen = choices.iter().find(|choice| {
                        choice
                            .get("properties")
                            .and_then(|p| p.get(key))
                            .is_some_and(|s| {
                                let mut only = Map::new();
                                only.insert(key.clone(), values[key].clone());
                                matches_schema(
                                    &serde_json::json!({"properties": {key.as_str(): s}}),
                                    &only,
                                )
                            })
                    });
                    if let Some(choice) = chosen {
                        parts.extend(default_parts(choice, values, conditional));
                    }
                }
                None => parts.extend(default_parts(dep, values, conditional)),
            }
        }
    }
    parts
}

/// Whether `values` is valid against `schema` (draft-07); a schema that does not compile
/// matches nothing.
fn matches_schema(schema: &Value, values: &Map<String, Value>) -> bool {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(schema)
        .is_ok_and(|v| v.is_valid(&Value::Object(values.clone())))
}

/// Backstage's `evaluateCondition` for a page `when`: errors count as visible.
fn page_visible(page: &Value, values: &Map<String, Value>, renderer: &Renderer) -> bool {
    match page.get("when") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => {
            let expr = s.trim();
            if expr.is_empty() {
                return true;
            }
            let source = if expr.starts_with("${{") {
                expr.to_string()
            } else {
                format!("${{{{ {expr} }}}}")
            };
            let context = serde_json::json!({ "parameters": values });
            match renderer.render_value(&Value::String(source), &context) {
                Ok(v) => v.as_ref().is_some_and(is_truthy),
                Err(_) => true,
            }
        }
        Some(_) => true,
    }
}

fn declared_keys(page: &Value) -> (HashSet<String>, bool) {
    let mut keys = HashSet::new();
    let mut open = false;
    for part in page_parts(page) {
        if let Some(Value::Object(props)) = part.get("properties") {
            keys.extend(props.keys().cloned());
        }
        if matches!(
            part.get("additionalProperties"),
            Some(Value::Bool(true) | Value::Object(_))
        ) {
            open = true;
        }
    }
    (keys, open)
}

/// Drops values that only hidden pages declare (Backstage 4.3 removes them before the run).
fn drop_hidden(values: &mut Map<String, Value>, pages: &[Value], visible: &[bool]) {
    if visible.iter().all(|v| *v) {
        return;
    }
    let mut shown = HashSet::new();
    let mut hidden = HashSet::new();
    for (page, is_visible) in pages.iter().zip(visible) {
        let (keys, open) = declared_keys(page);
        if *is_visible {
            if open {
                return;
            }
            shown.extend(keys);
        } else {
            hidden.extend(keys);
        }
    }
    values.retain(|k, _| shown.contains(k) || !hidden.contains(k));
}

/// Which pages are visible, evaluated page by page against the values of earlier visible pages.
pub fn visible_pages(
    template: &Template,
    values: &Map<String, Value>,
    renderer: &Renderer,
) -> Vec<bool> {
    let mut visible: Vec<bool> = Vec::new();
    for (i, page) in template.parameters.iter().enumerate() {
        let mut seen = values.clone();
        drop_hidden(&mut seen, &template.parameters[..i], &visible);
        visible.push(page_visible(page, &seen, renderer));
    }
    visible
}

/// Parses `--set key=value`, typing the value by the parameter's schema.
pub fn apply_set(
    template: &Template,
    values: &mut Map<String, Value>,
    assignment: &str,
) -> Result<(), String> {
    let (key, raw) = assignment
        .split_once('=')
        .ok_or_else(|| format!("`--set {assignment}`: expected KEY=VALUE"))?;
    let props = properties(template);
    let path: Vec<&str> = key.split('.').collect();
    let mut schema = props.get(path[0]).cloned();
    for part in &path[1..] {
        schema = schema.and_then(|s| s.get("properties").and_then(|p| p.get(*part)).cloned());
    }
    let kind = schema
        .as_ref()
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("string");
    let value = match kind {
        "boolean" => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => {
                return Err(format!(
                    "`--set {key}`: `{raw}` is not a boolean (true or false)"
                ));
            }
        },
        "integer" => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`--set {key}`: `{raw}` is not an integer"))?,
        "number" => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`--set {key}`: `{raw}` is not a number"))?,
        "array" | "object" => serde_json::from_str(raw).or_else(|_| {
            if kind == "array" {
                Ok(Value::Array(
                    raw.split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.trim().to_string()))
                        .collect(),
                ))
            } else {
                Err(format!("`--set {key}`: `{raw}` is not a JSON object"))
            }
        })?,
        _ => Value::String(raw.to_string()),
    };
    let mut target = values;
    for part in &path[..path.len() - 1] {
        let slot = target
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        target = slot.as_object_mut().expect("made an object above");
    }
    target.insert(path[path.len() - 1].to_string(), value);
    Ok(())
}

/// Values ready for a run.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub parameters: Map<String, Value>,
    /// Secret parameters moved out of `parameters` (`ui:field: Secret`), plus `--secret`s.
    pub secrets: Map<String, Value>,
    /// Parameter names never to record or print.
    pub secret_names: Vec<String>,
    pub visible: Vec<bool>,
}

/// Defaults, page visibility, hidden-page values dropped, secrets set apart.
pub fn resolve(
    template: &Template,
    given: Map<String, Value>,
    secrets: Map<String, Value>,
    renderer: &Renderer,
) -> Resolved {
    let mut values = given;
    // Visibility may depend on earlier defaults, so defaults are filled page by page.
    for i in 0..template.parameters.len() {
        let visible = visible_pages(
            &Template {
                parameters: template.parameters[..=i].to_vec(),
                ..template.clone()
            },
            &values,
            renderer,
        );
        if visible[i] {
            fill_defaults(&template.parameters[i], &mut values);
        }
    }
    let visible = visible_pages(template, &values, renderer);
    drop_hidden(&mut values, &template.parameters, &visible);
    let mut all_secrets = secrets;
    let mut secret_names = Vec::new();
    for (name, schema) in properties(template) {
        let field = schema.get("ui:field").and_then(Value::as_str);
        let widget = schema.get("ui:widget").and_then(Value::as_str);
        if field == Some("Secret") {
            // The form sends Secret fields as task secrets, not parameters.
            if let Some(v) = values.shift_remove(&name) {
                all_secrets.entry(name.clone()).or_insert(v);
            }
            secret_names.push(name);
        } else if widget == Some("password") {
            secret_names.push(name);
        }
    }
    Resolved {
        parameters: values,
        secrets: all_secrets,
        secret_names,
        visible,
    }
}

/// Validates the values against every visible page, as Backstage's router does (the whole
/// values object against each page; `ui:*` keys are not JSON Schema and are ignored).
pub fn validate(template: &Template, resolved: &Resolved) -> Vec<ValueProblem> {
    let mut problems = Vec::new();
    // Secret fields are validated with their values, as the form has them.
    let mut all = resolved.parameters.clone();
    for name in &resolved.secret_names {
        if let Some(v) = resolved.secrets.get(name) {
            all.insert(name.clone(), v.clone());
        }
    }
    let instance = Value::Object(all);
    for (i, page) in template.parameters.iter().enumerate() {
        if !resolved.visible.get(i).copied().unwrap_or(true) {
            continue;
        }
        let validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            // As the `jsonschema` npm package Backstage uses: a time needs no zone.
            .with_format("time", |s: &str| {
                static TIME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
                    regex::Regex::new(r"^\d\d:\d\d:\d\d(\.\d+)?([zZ]|[+-]\d\d:?\d\d)?$")
                        .expect("valid pattern")
                });
                TIME.is_match(s)
            })
            .build(page)
        {
            Ok(v) => v,
            Err(e) => {
                problems.push(ValueProblem {
                    parameter: String::new(),
                    message: format!("parameter page {} is not a valid JSON Schema: {e}", i + 1),
                });
                continue;
            }
        };
        let page_title = page.get("title").and_then(Value::as_str);
        for error in validator.iter_errors(&instance) {
            for (parameter, mut message) in explain(&error) {
                if resolved
                    .secret_names
                    .iter()
                    .any(|s| parameter == *s || parameter.starts_with(&format!("{s}.")))
                {
                    message = "the secret value does not match the schema".into();
                }
                problems.push(ValueProblem {
                    parameter,
                    message: match page_title {
                        Some(t) => format!("{message} (page {} \"{t}\")", i + 1),
                        None => format!("{message} (page {})", i + 1),
                    },
                });
            }
        }
    }
    problems
}

/// Longest list of allowed values an `enum` message spells out, in characters.
const ENUM_LIST_CHARS: usize = 400;

/// `(parameter, message)` for one schema error: a missing property is named (not its parent);
/// an `enum` lists the allowed values; a `oneOf`/`anyOf` that fails only because of missing
/// properties in one of its choices names those properties.
fn explain(error: &jsonschema::ValidationError<'_>) -> Vec<(String, String)> {
    use jsonschema::error::ValidationErrorKind as Kind;
    let pointer = error.instance_path().to_string();
    let parameter = pointer.trim_start_matches('/').replace('/', ".");
    match error.kind() {
        // "x is a required property" is reported at the parent: name the missing one.
        Kind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let parameter = if parameter.is_empty() {
                name.to_string()
            } else {
                format!("{parameter}.{name}")
            };
            vec![(
                parameter,
                "is required but has no value (set it in --values or with --set)".into(),
            )]
        }
        Kind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|o| o.iter().map(Value::to_string).collect())
                .unwrap_or_default();
            let mut listed = String::new();
            let mut shown = 0;
            for value in &allowed {
                if !listed.is_empty() && listed.len() + value.len() > ENUM_LIST_CHARS {
                    break;
                }
                if !listed.is_empty() {
                    listed.push_str(", ");
                }
                listed.push_str(value);
                shown += 1;
            }
            if shown < allowed.len() {
                listed.push_str(&format!(" and {} more", allowed.len() - shown));
            }
            vec![(
                parameter,
                format!(
                    "{} is not an allowed value; allowed: {listed}",
                    error.instance()
                ),
            )]
        }
        Kind::OneOfNotValid { context } | Kind::AnyOf { context } => {
            // The choice whose only failures are missing properties: the values picked it
            // (its `const`/`enum` matched), and what is missing is what to report.
            let missing_only = context
                .iter()
                .filter(|branch| {
                    !branch.is_empty()
                        && branch
                            .iter()
                            .all(|e| matches!(e.kind(), Kind::Required { .. }))
                })
                .min_by_key(|branch| branch.len());
            match missing_only {
                Some(branch) => branch.iter().flat_map(|e| explain(e)).collect(),
                None => vec![(parameter, error.to_string())],
            }
        }
        _ => vec![(parameter, error.to_string())],
    }
}

/// What the catalog-aware checks need to know about the catalog.
pub struct CatalogFacts {
    /// Every entity reference, lower-case (`kind:namespace/name`).
    pub entities: HashSet<String>,
}

/// Pickers checked against the catalog, entity names against Backstage's rules, repository URLs
/// against `parseRepoUrl` and the picker's allowed hosts, owners and repos.
pub fn check_fields(
    template: &Template,
    resolved: &Resolved,
    catalog: Option<&CatalogFacts>,
    integrations: &Integrations,
) -> Vec<ValueProblem> {
    let mut problems = Vec::new();
    let props = properties(template);
    for (name, value) in &resolved.parameters {
        let Some(schema) = props.get(name) else {
            continue;
        };
        let field = schema.get("ui:field").and_then(Value::as_str).unwrap_or("");
        let options = schema.get("ui:options").cloned().unwrap_or(Value::Null);
        let mut problem = |message: String| {
            problems.push(ValueProblem {
                parameter: name.clone(),
                message,
            })
        };
        match field {
            "RepoUrlPicker" => {
                let Some(url) = value.as_str() else { continue };
                match repo_url::parse(url, integrations) {
                    Err(e) => problem(e.to_string()),
                    Ok(spec) => {
                        let allowed = |key: &str| -> Option<Vec<String>> {
                            options.get(key).and_then(Value::as_array).map(|a| {
                                a.iter()
                                    .filter_map(|v| v.as_str().map(String::from))
                                    .collect()
                            })
                        };
                        if let Some(hosts) = allowed("allowedHosts")
                            && !hosts.contains(&spec.host)
                        {
                            problem(format!(
                                "host `{}` is not one of the allowed hosts: {}",
                                spec.host,
                                hosts.join(", ")
                            ));
                        }
                        if let (Some(owners), Some(owner)) = (allowed("allowedOwners"), &spec.owner)
                            && !owners.contains(owner)
                        {
                            problem(format!(
                                "owner `{owner}` is not one of the allowed owners: {}",
                                owners.join(", ")
                            ));
                        }
                        if let (Some(repos), Some(repo)) = (allowed("allowedRepos"), &spec.repo)
                            && !repos.contains(repo)
                        {
                            problem(format!(
                                "repo `{repo}` is not one of the allowed repos: {}",
                                repos.join(", ")
                            ));
                        }
                    }
                }
            }
            "EntityNamePicker" => {
                if let Some(s) = value.as_str()
                    && !crate::catalog::format::is_object_name(s, 63)
                {
                    problem(format!(
                        "`{s}` is not a valid entity name: use 1-63 characters [a-zA-Z0-9], separated by [-_.]"
                    ));
                }
            }
            "OwnerPicker" | "EntityPicker" | "MultiEntityPicker" | "MyGroupsPicker"
            | "OwnedEntityPicker" => {
                let Some(catalog) = catalog else { continue };
                let default_kind = default_kind(field, &options);
                let default_namespace = options
                    .get("defaultNamespace")
                    .and_then(Value::as_str)
                    .unwrap_or("default");
                let refs: Vec<&str> = match value {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                    _ => continue,
                };
                for r in refs {
                    match EntityRef::parse(r, default_kind.as_deref(), default_namespace) {
                        Err(e) => problem(e.message(r)),
                        Ok(parsed) => {
                            let key = parsed.as_str().to_lowercase();
                            if !catalog.entities.contains(&key) {
                                problem(format!("`{r}` ({key}) is not in the catalog"));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

/// The kind a picker assumes for a short reference.
fn default_kind(field: &str, options: &Value) -> Option<String> {
    if let Some(kind) = options.get("defaultKind").and_then(Value::as_str) {
        return Some(kind.to_string());
    }
    let kinds = options
        .get("catalogFilter")
        .and_then(|f| f.get("kind"))
        .or_else(|| options.get("allowedKinds"));
    match kinds {
        Some(Value::String(k)) => Some(k.clone()),
        Some(Value::Array(ks)) if ks.len() == 1 => ks[0].as_str().map(String::from),
        _ if field == "OwnerPicker" || field == "MyGroupsPicker" => Some("Group".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::render::RenderOptions;
    use serde_json::json;
    use std::path::Path;

    fn template(parameters: &str) -> Template {
        let text = format!(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  parameters:\n{parameters}\n  steps: []\n"
        );
        Template::parse(Path::new("t.yaml"), &text).unwrap()
    }

    fn renderer() -> Renderer {
        Renderer::new(RenderOptions::default())
    }

    fn problems(parameters: &str, values: Value) -> Vec<String> {
        let t = template(parameters);
        let r = resolve(
            &t,
            values.as_object().unwrap().clone(),
            Map::new(),
            &renderer(),
        );
        validate(&t, &r).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn enum_messages_list_the_allowed_values_up_to_a_length() {
        let short = problems(
            "    - properties:\n        size: {type: string, enum: [small, medium, large]}",
            json!({"size": "huge"}),
        );
        assert_eq!(
            short,
            [
                r#"size: "huge" is not an allowed value; allowed: "small", "medium", "large" (page 1)"#
            ]
        );
        let many: Vec<String> = (0..100).map(|i| format!("value-{i:03}")).collect();
        let long = problems(
            &format!(
                "    - properties:\n        v: {{type: string, enum: [{}]}}",
                many.join(", ")
            ),
            json!({"v": "nope"}),
        );
        assert!(long[0].contains(r#""value-000", "value-001""#), "{long:?}");
        assert!(long[0].contains(" more (page 1)"), "{long:?}");
        assert!(!long[0].contains("value-099"), "{long:?}");
    }

    #[test]
    fn a_missing_value_inside_one_of_is_named() {
        // A oneOf under a property: the choice whose discriminator matched names what is missing.
        let nested = problems(
            "    - properties:\n        db:\n          type: object\n          oneOf:\n            - properties: {kind: {const: postgres}, version: {type: string}}\n              required: [kind, version]\n            - properties: {kind: {const: sqlite}, file: {type: string}}\n              required: [kind, file]",
            json!({"db": {"kind": "postgres"}}),
        );
        assert_eq!(
            nested,
            [
                "db.version: is required but has no value (set it in --values or with --set) (page 1)"
            ]
        );
        // Backstage's conditional fields: `dependencies` with a oneOf on the page.
        let dependent = problems(
            "    - properties:\n        provider: {type: string, enum: [aws, gcp]}\n      dependencies:\n        provider:\n          oneOf:\n            - properties: {provider: {enum: [aws]}, awsRegion: {type: string}}\n              required: [awsRegion]\n            - properties: {provider: {enum: [gcp]}, gcpProject: {type: string}}\n              required: [gcpProject]",
            json!({"provider": "gcp"}),
        );
        assert_eq!(
            dependent,
            [
                "gcpProject: is required but has no value (set it in --values or with --set) (page 1)"
            ]
        );
        // No choice fails only for missing values: the schema's own message.
        let neither = problems(
            "    - properties:\n        db:\n          type: object\n          oneOf:\n            - properties: {kind: {const: postgres}}\n              required: [kind]\n            - properties: {kind: {const: sqlite}}\n              required: [kind]",
            json!({"db": {"kind": "mysql"}}),
        );
        assert!(neither[0].starts_with("db: "), "{neither:?}");
        assert!(neither[0].contains("oneOf"), "{neither:?}");
    }

    #[test]
    fn defaults_follow_the_form_into_objects_and_the_chosen_branches() {
        let t = template(
            "    - properties:\n        provider: {type: string, enum: [aws, gcp], default: aws}\n        db:\n          type: object\n          properties:\n            engine: {type: string, default: postgres}\n            tls: {type: object, properties: {mode: {type: string, default: require}}}\n        empty: {type: object, properties: {x: {type: string}}}\n      dependencies:\n        provider:\n          oneOf:\n            - properties: {provider: {const: aws}, awsRegion: {type: string, default: us-east-1}}\n            - properties: {provider: {const: gcp}, gcpZone: {type: string, default: a}}\n      if:\n        properties: {provider: {const: gcp}}\n      then:\n        properties: {gcpProject: {type: string, default: p}}\n      else:\n        properties: {account: {type: string, default: main}}",
        );
        let fill = |values: Value| {
            let r = resolve(
                &t,
                values.as_object().unwrap().clone(),
                Map::new(),
                &renderer(),
            );
            Value::Object(r.parameters)
        };
        // The provider's own default selects the aws branch and the `else`.
        assert_eq!(
            fill(json!({})),
            json!({"provider": "aws", "db": {"engine": "postgres", "tls": {"mode": "require"}}, "awsRegion": "us-east-1", "account": "main"})
        );
        assert_eq!(
            fill(json!({"provider": "gcp", "db": {"engine": "mysql"}})),
            json!({"provider": "gcp", "db": {"engine": "mysql", "tls": {"mode": "require"}}, "gcpZone": "a", "gcpProject": "p"})
        );
    }

    #[test]
    fn defaults_fill_absent_values_only() {
        let t = template(
            "    - properties:\n        a: {type: string, default: x}\n        b: {type: boolean, default: true}",
        );
        let r = resolve(
            &t,
            json!({"a": "given"}).as_object().unwrap().clone(),
            Map::new(),
            &renderer(),
        );
        assert_eq!(
            Value::Object(r.parameters),
            json!({"a": "given", "b": true})
        );
    }

    #[test]
    fn hidden_pages_lose_their_values() {
        let t = template(
            "    - properties:\n        cloud: {type: string}\n    - when: ${{ parameters.cloud == 'AWS' }}\n      properties:\n        region: {type: string}",
        );
        let given = json!({"cloud": "GCP", "region": "eu"})
            .as_object()
            .unwrap()
            .clone();
        let r = resolve(&t, given, Map::new(), &renderer());
        assert_eq!(r.visible, vec![true, false]);
        assert_eq!(Value::Object(r.parameters), json!({"cloud": "GCP"}));
    }

    #[test]
    fn required_values_are_named() {
        let t = template("    - required: [name]\n      properties:\n        name: {type: string}");
        let r = resolve(&t, Map::new(), Map::new(), &renderer());
        let problems = validate(&t, &r);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].parameter, "name");
        assert!(
            problems[0].message.contains("is required"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn set_is_typed_by_the_schema() {
        let t = template(
            "    - properties:\n        port: {type: integer}\n        on: {type: boolean}\n        tags: {type: array}\n        name: {type: string}",
        );
        let mut values = Map::new();
        for s in ["port=8080", "on=true", "tags=a,b", "name=123"] {
            apply_set(&t, &mut values, s).unwrap();
        }
        assert_eq!(
            Value::Object(values.clone()),
            json!({"port": 8080, "on": true, "tags": ["a", "b"], "name": "123"})
        );
        assert!(
            apply_set(&t, &mut values, "port=eighty")
                .unwrap_err()
                .contains("not an integer")
        );
    }

    #[test]
    fn secret_fields_move_to_secrets() {
        let t = template(
            "    - properties:\n        token: {type: string, ui:field: Secret}\n        name: {type: string}",
        );
        let r = resolve(
            &t,
            json!({"token": "s3cr3t", "name": "n"})
                .as_object()
                .unwrap()
                .clone(),
            Map::new(),
            &renderer(),
        );
        assert!(!r.parameters.contains_key("token"));
        assert_eq!(r.secrets["token"], json!("s3cr3t"));
    }

    #[test]
    fn pickers_are_checked_against_the_catalog() {
        let t = template(
            "    - properties:\n        owner: {type: string, ui:field: OwnerPicker}\n        repoUrl: {type: string, ui:field: RepoUrlPicker, ui:options: {allowedHosts: [github.com]}}\n        name: {type: string, ui:field: EntityNamePicker}",
        );
        let r = resolve(
            &t,
            json!({"owner": "team-x", "repoUrl": "gitlab.com?owner=a&repo=b", "name": "bad name"})
                .as_object()
                .unwrap()
                .clone(),
            Map::new(),
            &renderer(),
        );
        let facts = CatalogFacts {
            entities: ["group:default/team-a".to_string()].into_iter().collect(),
        };
        let problems = check_fields(&t, &r, Some(&facts), &Integrations::default());
        let names: Vec<&str> = problems.iter().map(|p| p.parameter.as_str()).collect();
        assert_eq!(names, vec!["owner", "repoUrl", "name"], "{problems:?}");
        assert!(problems[0].message.contains("group:default/team-x"));
    }
}
