//! Writes a JSON value as YAML the way the `yaml` npm package's `stringify` does with its
//! defaults (what Backstage's `catalog:write` uses): block style, two-space indent, sequences
//! indented under their key, strings plain unless that would change their meaning.

use serde_json::Value;

const LINE_WIDTH: usize = 80;
const MIN_CONTENT_WIDTH: usize = 20;

pub fn stringify(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => write_seq(items, 0, &mut out),
        scalar => {
            out.push_str(&scalar_text(scalar, 0, false));
            out.push('\n');
        }
    }
    out
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

fn write_map(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first key of a map that is a sequence item stays on the "- " line.
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&pad(indent));
        }
        out.push_str(&string_text(key, indent, true));
        out.push(':');
        write_value_after_key(value, indent, out);
    }
}

fn write_value_after_key(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(m, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(items, indent + 2, out);
        }
        scalar => {
            let text = scalar_text(scalar, indent + 2, false);
            out.push(' ');
            out.push_str(&text);
            if !text.starts_with('|') {
                out.push('\n');
            }
        }
    }
}

fn write_seq(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&pad(indent));
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(m, indent + 2, out),
            Value::Array(inner) if !inner.is_empty() => {
                // "- - a": the nested sequence starts on the same line.
                let mut nested = String::new();
                write_seq(inner, indent + 2, &mut nested);
                out.push_str(nested.trim_start());
            }
            scalar => {
                let text = scalar_text(scalar, indent + 2, false);
                out.push_str(&text);
                if !text.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
}

/// A scalar (or empty collection) as it appears after `key: ` or `- `.
fn scalar_text(value: &Value, indent: usize, implicit_key: bool) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number(n),
        Value::String(s) => string_text(s, indent, implicit_key),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// JavaScript's `String(number)` for the numbers JSON can hold.
pub fn js_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    // Rust prints 1e-7 as "0.0000001"; JS switches to exponent form below 1e-6.
    if f.abs() < 1e-6 && f != 0.0 {
        return format!("{f:e}");
    }
    f.to_string()
}

fn looks_like_other_type(s: &str) -> bool {
    let core = regex_lite_match(s);
    core || matches!(
        s,
        "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// YAML 1.2 core-schema int and float patterns (what `yaml` would read back as a number).
fn regex_lite_match(s: &str) -> bool {
    use std::sync::LazyLock;
    static NUMBER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        )
        .expect("valid pattern")
    });
    NUMBER.is_match(s)
}

fn string_text(s: &str, indent: usize, implicit_key: bool) -> String {
    static UNSAFE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"^[\n\t ,\[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$"#,
        )
        .expect("valid pattern")
    });
    if s.is_empty() {
        return "\"\"".into();
    }
    if implicit_key && s.contains('\n') {
        return quoted(s);
    }
    if UNSAFE.is_match(s) || s.starts_with("---") || s.starts_with("...") {
        if s.contains('\n') && !implicit_key {
            return block_literal(s, indent);
        }
        return quoted(s);
    }
    if s.contains('\n') && !implicit_key {
        return block_literal(s, indent);
    }
    if looks_like_other_type(s) {
        return quoted(s);
    }
    if implicit_key {
        return s.to_string();
    }
    fold(s, indent)
}

fn quoted(s: &str) -> String {
    if s.contains('"') && !s.contains('\'') {
        return format!("'{s}'");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn block_literal(s: &str, indent: usize) -> String {
    let chomp = if s.ends_with("\n\n") || s == "\n" {
        "+"
    } else if s.ends_with('\n') {
        ""
    } else {
        "-"
    };
    let body = s.strip_suffix('\n').unwrap_or(s);
    // Content starting with a space needs an explicit indentation indicator.
    let indicator = if s.starts_with(' ') { "2" } else { "" };
    let mut out = format!("|{indicator}{chomp}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Folds a long plain scalar onto continuation lines at spaces, as `foldFlowLines` does.
fn fold(s: &str, indent: usize) -> String {
    let width = LINE_WIDTH.saturating_sub(indent).max(MIN_CONTENT_WIDTH);
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut line_start = 0;
    let mut last_space: Option<usize> = None;
    while i < chars.len() {
        if chars[i] == ' '
            && i > line_start
            && chars.get(i + 1).is_some_and(|c| *c != ' ')
            && chars[i - 1] != ' '
        {
            last_space = Some(i);
        }
        if i - line_start >= width
            && let Some(space) = last_space
            && space > line_start
        {
            current.extend(&chars[line_start..space]);
            lines.push(std::mem::take(&mut current));
            line_start = space + 1;
            last_space = None;
        }
        i += 1;
    }
    current.extend(&chars[line_start..]);
    lines.push(current);
    let mut out = lines[0].clone();
    for line in &lines[1..] {
        out.push('\n');
        out.push_str(&pad(indent));
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entity_layout_matches_the_yaml_package() {
        let v = json!({
            "apiVersion": "backstage.io/v1alpha1",
            "kind": "Component",
            "metadata": {"name": "svc", "tags": ["a", "b"], "annotations": {"backstage.io/source-template": "template:default/t"}},
            "spec": {"type": "service", "owner": "team-a", "lifecycle": "experimental", "x": [{"a": 1, "b": true}], "n": null, "e": "", "t": "true", "num": "123"}
        });
        assert_eq!(
            stringify(&v),
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  tags:\n    - a\n    - b\n  annotations:\n    backstage.io/source-template: template:default/t\nspec:\n  type: service\n  owner: team-a\n  lifecycle: experimental\n  x:\n    - a: 1\n      b: true\n  n: null\n  e: \"\"\n  t: \"true\"\n  num: \"123\"\n"
        );
    }

    #[test]
    fn multi_line_strings_become_block_literals() {
        assert_eq!(stringify(&json!({"d": "a\nb\n"})), "d: |\n  a\n  b\n");
        assert_eq!(stringify(&json!({"d": "a\nb"})), "d: |-\n  a\n  b\n");
    }

    #[test]
    fn strings_that_need_quotes_get_them() {
        assert_eq!(stringify(&json!({"a": "x: y"})), "a: \"x: y\"\n");
        assert_eq!(stringify(&json!({"a": "say \"hi\""})), "a: say \"hi\"\n");
        assert_eq!(
            stringify(&json!({"a": "\"hi\" there"})),
            "a: '\"hi\" there'\n"
        );
        assert_eq!(stringify(&json!({"a": "- x"})), "a: \"- x\"\n");
    }
}
