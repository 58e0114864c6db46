//! A Software Template (`scaffolder.backstage.io/v1beta3`) read from its YAML file, with the
//! source spans kept so every problem can name a line.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::located::LocatedError;
use crate::yaml::{self, Document, Node};

pub const API_VERSION: &str = "scaffolder.backstage.io/v1beta3";

/// One step of `spec.steps`.
#[derive(Debug, Clone)]
pub struct Step {
    /// `id`, or Backstage's default `step-<n>` (1-based).
    pub id: String,
    /// `name`, or the action id as Backstage defaults it.
    pub name: String,
    pub action: String,
    /// `input` as written (templated when the step runs); an empty object when absent.
    pub input: Value,
    /// `if` as written (boolean or templated string).
    pub condition: Option<Value>,
    /// `each` as written (list, object or templated string).
    pub each: Option<Value>,
    /// Where the step is, for messages.
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Template {
    /// The template.yaml file.
    pub path: PathBuf,
    pub name: String,
    pub namespace: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// `spec.parameters` as a list of pages (a single object is one page).
    pub parameters: Vec<Value>,
    /// `spec.steps`.
    pub steps: Vec<Step>,
    /// `spec.output`, rendered at the end.
    pub output: Option<Value>,
    /// The whole entity, as JSON (`templateInfo.entity`).
    pub entity: Value,
    /// The parsed document (for locating problems by pointer).
    pub document: Document,
    /// The text of the file, to place findings inside a value (`yaml::position`).
    pub source: std::sync::Arc<str>,
}

impl Template {
    /// `template:<namespace>/<name>`.
    pub fn reference(&self) -> String {
        format!("template:{}/{}", self.namespace, self.name)
    }

    /// The directory relative `url:` inputs resolve against.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The line of a JSON pointer into the entity.
    pub fn line_of(&self, pointer: &str) -> u32 {
        self.document.root.locate(pointer).start.line
    }

    /// Reads the first Template entity of a YAML file.
    pub fn read(path: &Path) -> Result<Template, LocatedError> {
        Self::read_named(path, None)
    }

    /// Reads the Template named `name` (or the first one) from a YAML file.
    pub fn read_named(path: &Path, name: Option<&str>) -> Result<Template, LocatedError> {
        let text = std::fs::read_to_string(path).map_err(|e| LocatedError {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("cannot read the template: {e}"),
        })?;
        Self::parse_named(path, &text, name)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Template, LocatedError> {
        Self::parse_named(path, text, None)
    }

    pub fn parse_named(
        path: &Path,
        text: &str,
        name: Option<&str>,
    ) -> Result<Template, LocatedError> {
        let at = |line: u32, column: u32, message: String| LocatedError {
            file: path.to_path_buf(),
            line,
            column,
            message,
        };
        let stream = yaml::parse_stream(text);
        let mut first_error = stream.fatal.clone();
        let mut found = Vec::new();
        for loaded in stream.documents {
            if let Some(e) = loaded.errors.first()
                && first_error.is_none()
            {
                first_error = Some(e.clone());
            }
            let root = &loaded.document.root;
            let kind = root.get("kind").and_then(Node::as_str).unwrap_or("?");
            let entity_name = root
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Node::as_str)
                .unwrap_or("?");
            if kind != "Template" {
                found.push(format!("{kind} {entity_name}"));
                continue;
            }
            if let Some(name) = name
                && root
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Node::as_str)
                    != Some(name)
            {
                continue;
            }
            if let Some(e) = loaded.errors.first() {
                return Err(at(e.pos.line, e.pos.column, e.message.clone()));
            }
            return Self::from_document(path, loaded.document, text);
        }
        Err(match first_error {
            Some(e) => at(
                e.pos.line,
                e.pos.column,
                format!("invalid YAML: {}", e.message),
            ),
            None => at(
                1,
                1,
                format!(
                    "no Template entity in this file{} (expected `kind: Template` with \
                     `apiVersion: scaffolder.backstage.io/v1beta3`)",
                    if found.is_empty() {
                        String::new()
                    } else {
                        format!("; it holds {}", found.join(", "))
                    }
                ),
            ),
        })
    }

    fn from_document(
        path: &Path,
        document: Document,
        source: &str,
    ) -> Result<Template, LocatedError> {
        let root = &document.root;
        let fail = |pointer: &str, message: String| {
            let span = root.locate(pointer);
            LocatedError {
                file: path.to_path_buf(),
                line: span.start.line,
                column: span.start.column,
                message,
            }
        };
        let api = root.get("apiVersion").and_then(Node::as_str).unwrap_or("");
        if api != API_VERSION {
            return Err(fail(
                "/apiVersion",
                format!(
                    "apiVersion is `{api}`; callboard runs `{API_VERSION}` templates \
                     (migrate older ones with `callboard catalog migrate template-v1beta3`)"
                ),
            ));
        }
        let entity = root.to_json();
        let metadata = entity.get("metadata").cloned().unwrap_or(Value::Null);
        let name = metadata
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| fail("/metadata/name", "the template has no metadata.name".into()))?
            .to_string();
        let namespace = metadata
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string();
        let text = |key: &str| metadata.get(key).and_then(Value::as_str).map(String::from);
        let tags = metadata
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let spec = entity.get("spec").cloned().unwrap_or(Value::Null);
        if !spec.is_object() {
            return Err(fail("/spec", "the template has no spec".into()));
        }
        let parameters = match spec.get("parameters") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(pages)) => pages.clone(),
            Some(page @ Value::Object(_)) => vec![page.clone()],
            Some(_) => {
                return Err(fail(
                    "/spec/parameters",
                    "spec.parameters must be a JSON Schema object or a list of them (one per form page)"
                        .into(),
                ));
            }
        };
        for (i, page) in parameters.iter().enumerate() {
            if !page.is_object() {
                return Err(fail(
                    &format!("/spec/parameters/{i}"),
                    "each parameter page must be a JSON Schema object".into(),
                ));
            }
        }
        let steps_value = spec.get("steps").cloned().unwrap_or(Value::Null);
        let Value::Array(raw_steps) = steps_value else {
            return Err(fail(
                "/spec/steps",
                "spec.steps is required and must be a list of steps".into(),
            ));
        };
        let mut steps = Vec::with_capacity(raw_steps.len());
        for (i, raw) in raw_steps.iter().enumerate() {
            let pointer = format!("/spec/steps/{i}");
            let Value::Object(step) = raw else {
                return Err(fail(&pointer, "each step must be a mapping".into()));
            };
            let action = match step.get("action") {
                Some(Value::String(a)) if !a.is_empty() => a.clone(),
                _ => {
                    return Err(fail(
                        &pointer,
                        "this step has no `action` (e.g. `action: fetch:template`)".into(),
                    ));
                }
            };
            let id = match step.get("id") {
                Some(Value::String(id)) => id.clone(),
                None | Some(Value::Null) => format!("step-{}", i + 1),
                Some(_) => {
                    return Err(fail(
                        &format!("{pointer}/id"),
                        "a step id must be a string".into(),
                    ));
                }
            };
            let name = step
                .get("name")
                .and_then(Value::as_str)
                .map(String::from)
                .unwrap_or_else(|| action.clone());
            let input = match step.get("input") {
                None | Some(Value::Null) => Value::Object(Map::new()),
                Some(v @ Value::Object(_)) => v.clone(),
                Some(_) => {
                    return Err(fail(
                        &format!("{pointer}/input"),
                        "a step's input must be a mapping".into(),
                    ));
                }
            };
            steps.push(Step {
                id,
                name,
                action,
                input,
                condition: step.get("if").cloned(),
                each: step.get("each").cloned(),
                line: root.locate(&pointer).start.line,
            });
        }
        // Duplicate step ids run as in Backstage (a later step's outputs replace an earlier
        // one's); `scaffold lint` warns about them (`duplicate-step-id`).
        Ok(Template {
            path: path.to_path_buf(),
            title: text("title"),
            description: text("description"),
            name,
            namespace,
            tags,
            parameters,
            steps,
            output: spec.get("output").cloned().filter(|o| !o.is_null()),
            entity,
            document,
            source: source.into(),
        })
    }

    /// Parameters whose values are secrets (`ui:field: Secret` or `ui:widget: password`):
    /// never recorded, printed or written by callboard.
    pub fn secret_parameters(&self) -> Vec<String> {
        let mut out = Vec::new();
        for page in &self.parameters {
            if let Some(Value::Object(props)) = page.get("properties") {
                for (key, schema) in props {
                    let field = schema.get("ui:field").and_then(Value::as_str);
                    let widget = schema.get("ui:widget").and_then(Value::as_str);
                    if field == Some("Secret") || widget == Some("password") {
                        out.push(key.clone());
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Template, LocatedError> {
        Template::parse(Path::new("template.yaml"), text)
    }

    #[test]
    fn defaults_step_ids_and_names_like_backstage() {
        let t = parse(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n  steps:\n    - action: debug:log\n    - id: second\n      name: Second\n      action: fetch:plain\n",
        )
        .unwrap();
        assert_eq!(t.steps[0].id, "step-1");
        assert_eq!(t.steps[0].name, "debug:log");
        assert_eq!(t.steps[1].id, "second");
        assert_eq!(t.steps[1].line, 9);
        assert_eq!(t.reference(), "template:default/t");
    }

    #[test]
    fn a_missing_action_names_the_step_line() {
        let e = parse(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n    - id: a\n      input: {}\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("no `action`"), "{}", e.message);
    }

    #[test]
    fn an_old_api_version_points_at_the_migration() {
        let e = parse("apiVersion: backstage.io/v1beta2\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps: []\n")
            .unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("migrate"), "{}", e.message);
    }

    #[test]
    fn a_file_without_a_template_says_so() {
        let e = parse("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n")
            .unwrap_err();
        assert!(e.message.contains("no Template entity"), "{}", e.message);
    }

    #[test]
    fn secret_parameters_are_found_on_every_page() {
        let t = parse(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  parameters:\n    - properties:\n        token:\n          type: string\n          ui:field: Secret\n    - properties:\n        pw:\n          type: string\n          ui:widget: password\n        name:\n          type: string\n  steps: []\n",
        )
        .unwrap();
        assert_eq!(t.secret_parameters(), vec!["token", "pw"]);
    }
}
