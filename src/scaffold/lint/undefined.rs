//! `undefined-variable`: reads of `parameters.x`, `values.x` and `steps.<id>` that nothing in
//! the template defines. Both Backstage and callboard render them empty without a word.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::scaffold::render::{self, Syntax, VariableRead};
use crate::scaffold::template::Template;

/// How deep sub-schemas (`oneOf` inside `dependencies` inside `allOf`...) are followed for the
/// names they define; deeper, the names are taken as unknown and nothing is reported.
pub const MAX_SCHEMA_DEPTH: usize = 16;

/// The names a context root can be read with; `None` when they cannot be known without running
/// (a `values:` input that is itself an expression, a schema that includes another file).
pub type Known = Option<BTreeSet<String>>;

/// The top-level names the parameter pages define: `properties` of each page and of every
/// sub-schema that applies to the same object (`dependencies`, `oneOf`/`anyOf`/`allOf`,
/// `if`/`then`/`else`).
pub fn parameter_names(template: &Template) -> Known {
    let mut names = BTreeSet::new();
    for page in &template.parameters {
        if !object_names(page, &mut names, 0) {
            return None;
        }
    }
    Some(names)
}

/// Adds the names `schema` defines for its object; false when they cannot be known.
fn object_names(schema: &Value, names: &mut BTreeSet<String>, depth: usize) -> bool {
    if depth > MAX_SCHEMA_DEPTH {
        return false;
    }
    let Value::Object(map) = schema else {
        return true;
    };
    if ["$ref", "$yaml", "$json", "$text"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        return false;
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        names.extend(props.keys().cloned());
    }
    let mut subs: Vec<&Value> = Vec::new();
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(items)) = map.get(key) {
            subs.extend(items);
        }
    }
    for key in ["if", "then", "else"] {
        subs.extend(map.get(key));
    }
    if let Some(Value::Object(deps)) = map.get("dependencies") {
        subs.extend(deps.values());
    }
    subs.into_iter()
        .all(|sub| object_names(sub, names, depth + 1))
}

/// The keys of a fetch:template step's `values:` input, which its skeleton reads as `values.x`.
pub fn input_value_names(input: &Value) -> Known {
    match input.get("values") {
        None | Some(Value::Null) => Some(BTreeSet::new()),
        Some(Value::Object(map)) => Some(map.keys().cloned().collect()),
        // `values: ${{ parameters }}` and the like: known only when the step runs.
        Some(_) => None,
    }
}

/// A read nothing defines, with the message to report.
pub struct Undefined {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The reads of `source` whose root is in `known` (root, names) and whose name is not.
pub fn undefined_reads(source: &str, syntax: Syntax, known: &[(&str, &Known)]) -> Vec<Undefined> {
    let roots: Vec<&str> = known
        .iter()
        .filter(|(_, names)| names.is_some())
        .map(|(root, _)| *root)
        .collect();
    let mut out = Vec::new();
    for VariableRead {
        line,
        column,
        root,
        name,
    } in render::variable_reads(source, syntax, &roots)
    {
        let Some((_, Some(names))) = known.iter().find(|(r, _)| *r == root) else {
            continue;
        };
        if names.contains(&name) {
            continue;
        }
        let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
        let what = if root == "steps" {
            format!("no earlier step has the id `{name}`")
        } else if root == "parameters" {
            format!("no parameter defines `{name}`")
        } else {
            format!("the step's `values:` input has no `{name}`")
        };
        let hint = match crate::suggest::closest(&name, &candidates) {
            Some(close) => format!("; did you mean `{root}.{close}`?"),
            None => String::new(),
        };
        out.push(Undefined {
            line,
            column,
            message: format!(
                "`{root}.{name}` is undefined: {what}, so Backstage renders it empty{hint}"
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(page: &str) -> Template {
        let text = format!(
            "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  parameters:\n    - {page}\n  steps: []\n"
        );
        Template::parse(std::path::Path::new("t.yaml"), &text).unwrap()
    }

    #[test]
    fn names_deeper_than_the_bound_or_included_are_unknown() {
        let nested = |depth: usize| {
            let mut page = "{properties: {deep: {type: string}}}".to_string();
            for _ in 0..depth {
                page = format!("{{allOf: [{page}]}}");
            }
            page
        };
        let known = parameter_names(&template(&nested(MAX_SCHEMA_DEPTH))).unwrap();
        assert!(known.contains("deep"), "{known:?}");
        assert_eq!(
            parameter_names(&template(&nested(MAX_SCHEMA_DEPTH + 1))),
            None
        );
        assert_eq!(parameter_names(&template("{$ref: '#/x'}")), None);
    }
}
