//! Printing values like JavaScript / nunjucks: `String(value)` for output and
//! `JSON.stringify(value, null, indent)` for `dump`.

use minijinja::value::{Value, ValueKind};

/// JavaScript's `Number.prototype.toString()` for an f64.
pub(crate) fn js_number(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let abs = f.abs();
    if (1e-6..1e21).contains(&abs) {
        // Rust's Display gives the shortest round-tripping digits without exponent.
        let s = format!("{f}");
        return s;
    }
    // Exponent form: Rust gives `1e21` / `1.5e-7`; JS writes `1e+21` / `1.5e-7`.
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

/// Prints a number value like JS.
fn number_string(v: &Value) -> String {
    if v.is_integer() {
        // i64/u64/i128 print their digits; JS would lose precision above 2^53 but
        // JSON input of that size is out of scope.
        v.to_string()
    } else {
        match f64::try_from(v.clone()) {
            Ok(f) => js_number(f),
            Err(_) => v.to_string(),
        }
    }
}

/// `String(value)` as nunjucks prints an expression: undefined/null empty,
/// `true`/`false`, JS numbers, arrays as `Array.prototype.toString`, objects as
/// `[object Object]`.
pub(crate) fn js_string(v: &Value) -> String {
    let mut out = String::new();
    write_js_string(&mut out, v, 0);
    out
}

fn write_js_string(out: &mut String, v: &Value, depth: usize) {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => {}
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number => out.push_str(&number_string(v)),
        ValueKind::String => out.push_str(v.as_str().unwrap_or_default()),
        ValueKind::Seq | ValueKind::Iterable => {
            if depth > 64 {
                return;
            }
            if let Ok(iter) = v.try_iter() {
                for (i, item) in iter.enumerate() {
                    // A list holding the same list many times prints exponentially long:
                    // stop past the bound; the caller's charge then refuses the value.
                    if out.len() > super::budget::MAX_VALUE_BYTES {
                        return;
                    }
                    if i > 0 {
                        out.push(',');
                    }
                    write_js_string(out, &item, depth + 1);
                }
            }
        }
        ValueKind::Map => out.push_str("[object Object]"),
        _ => out.push_str(&v.to_string()),
    }
}

/// Whether nunjucks (JavaScript) treats the value as truthy.
pub(crate) fn js_truthy(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => false,
        ValueKind::Bool => v.is_true(),
        ValueKind::Number => match f64::try_from(v.clone()) {
            Ok(f) => f != 0.0 && !f.is_nan(),
            Err(_) => v.is_true(),
        },
        ValueKind::String => !v.as_str().unwrap_or_default().is_empty(),
        _ => true,
    }
}

/// The indentation argument of `JSON.stringify`: a number of spaces (clamped to
/// 10) or a string (first 10 characters).
pub(crate) fn json_indent(arg: Option<&Value>) -> String {
    match arg {
        Some(v) if v.kind() == ValueKind::Number => {
            let n = f64::try_from(v.clone()).unwrap_or(0.0);
            let n = if n.is_nan() { 0.0 } else { n.clamp(0.0, 10.0) };
            " ".repeat(n as usize)
        }
        Some(v) if v.kind() == ValueKind::String => {
            v.as_str().unwrap_or_default().chars().take(10).collect()
        }
        _ => String::new(),
    }
}

/// `JSON.stringify(value, null, indent)`; `None` where JS returns `undefined`
/// (undefined values and functions).
pub(crate) fn json_stringify(v: &Value, indent: &str) -> Option<String> {
    let mut out = String::new();
    if write_json(&mut out, v, indent, 0) {
        Some(out)
    } else {
        None
    }
}

fn is_json_undefined(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Plain => super::regexp::JsRegExp::of(v).is_none(),
        kind => matches!(kind, ValueKind::Undefined | ValueKind::Invalid),
    }
}

fn newline(out: &mut String, indent: &str, level: usize) {
    if !indent.is_empty() {
        out.push('\n');
        for _ in 0..level {
            out.push_str(indent);
        }
    }
}

/// Writes JSON; returns false when the value is `undefined` for JSON.
fn write_json(out: &mut String, v: &Value, indent: &str, level: usize) -> bool {
    if level > 256 {
        out.push_str("null");
        return true;
    }
    match v.kind() {
        ValueKind::None => out.push_str("null"),
        // A RegExp has no own enumerable properties.
        ValueKind::Plain if super::regexp::JsRegExp::of(v).is_some() => out.push_str("{}"),
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number => {
            let s = number_string(v);
            if s == "NaN" || s.ends_with("Infinity") {
                out.push_str("null");
            } else {
                out.push_str(&s);
            }
        }
        ValueKind::String | ValueKind::Bytes => {
            json_quote(out, &v.to_string());
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<Value> = v.try_iter().map(|i| i.collect()).unwrap_or_default();
            if items.is_empty() {
                out.push_str("[]");
                return true;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                // See write_js_string: bounded, and refused by the caller's charge.
                if out.len() > super::budget::MAX_VALUE_BYTES {
                    return true;
                }
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                if !write_json(out, item, indent, level + 1) {
                    out.push_str("null");
                }
            }
            newline(out, indent, level);
            out.push(']');
        }
        ValueKind::Map => {
            let mut first = true;
            out.push('{');
            if let Ok(keys) = v.try_iter() {
                for key in keys {
                    if out.len() > super::budget::MAX_VALUE_BYTES {
                        return true;
                    }
                    let item = v.get_item(&key).unwrap_or_default();
                    if is_json_undefined(&item) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    newline(out, indent, level + 1);
                    json_quote(out, &js_string(&key));
                    out.push(':');
                    if !indent.is_empty() {
                        out.push(' ');
                    }
                    write_json(out, &item, indent, level + 1);
                }
            }
            if !first {
                newline(out, indent, level);
            }
            out.push('}');
        }
        _ => return false,
    }
    true
}

/// JSON string quoting exactly like `JSON.stringify`.
pub(crate) fn json_quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// JavaScript `String(value)`: like [`js_string`] but `undefined`/`null` at the
/// top level print as words.
pub(crate) fn js_string_strict(v: &Value) -> String {
    match v.kind() {
        ValueKind::Undefined => "undefined".into(),
        ValueKind::None => "null".into(),
        _ => js_string(v),
    }
}

/// JavaScript `Number(value)`.
pub(crate) fn js_to_number(v: &Value) -> f64 {
    match v.kind() {
        ValueKind::Undefined => f64::NAN,
        ValueKind::None => 0.0,
        ValueKind::Bool => {
            if v.is_true() {
                1.0
            } else {
                0.0
            }
        }
        ValueKind::Number => f64::try_from(v.clone()).unwrap_or(f64::NAN),
        ValueKind::String => str_to_number(v.as_str().unwrap_or_default()),
        ValueKind::Seq => str_to_number(&js_string(v)),
        _ => f64::NAN,
    }
}

/// JavaScript's string to number conversion (`Number("…")`).
pub(crate) fn str_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            return u64::from_str_radix(digits, radix).map_or(f64::NAN, |n| n as f64);
        }
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    if t.chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// A number as a template value: integral values within 2^53 become integers
/// (so they print and compare like JS numbers).
pub(crate) fn number_value(f: f64) -> Value {
    if f.is_finite()
        && f.fract() == 0.0
        && f.abs() < 9_007_199_254_740_992.0
        && !(f == 0.0 && f.is_sign_negative())
    {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

/// A map value that keeps the insertion order (like a JS object).
pub(crate) fn map_value<K: Into<Value>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
    let map: indexmap::IndexMap<Value, Value> =
        pairs.into_iter().map(|(k, v)| (k.into(), v)).collect();
    Value::from(map)
}
