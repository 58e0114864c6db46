//! nunjucks built-in filters with nunjucks semantics, `dump`, Backstage's
//! filters, and the JS method shims (nunjitsu's allow-list).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};

use super::format::{
    js_string, js_string_strict, js_to_number, js_truthy, json_indent, json_stringify, map_value,
    number_value,
};
use super::regexp::JsRegExp;
use super::{RenderOptions, Syntax, backstage, budget};

/// The filters nunjitsu knows (nunjucks 3.2.4's built-ins).
pub(crate) const NUNJUCKS_FILTERS: &[&str] = &[
    "abs",
    "batch",
    "capitalize",
    "center",
    "d",
    "default",
    "dictsort",
    "dump",
    "e",
    "escape",
    "first",
    "float",
    "forceescape",
    "groupby",
    "indent",
    "int",
    "join",
    "last",
    "length",
    "list",
    "lower",
    "nl2br",
    "random",
    "reject",
    "rejectattr",
    "replace",
    "reverse",
    "round",
    "safe",
    "select",
    "selectattr",
    "slice",
    "sort",
    "string",
    "striptags",
    "sum",
    "title",
    "trim",
    "truncate",
    "upper",
    "urlencode",
    "urlize",
    "wordcount",
];

/// Backstage's default template filters.
pub(crate) const BACKSTAGE_FILTERS: &[&str] =
    &["parseRepoUrl", "parseEntityRef", "pick", "projectSlug"];

/// minijinja built-ins that nunjucks does not have: removed so that using them
/// fails like in Backstage ("Unknown template filter").
const NON_NUNJUCKS_FILTERS: &[&str] = &[
    "items", "count", "map", "unique", "chain", "zip", "pprint", "format", "tojson", "split",
    "lines", "attr", "min", "max", "bool",
];

pub(crate) fn err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::UNDEFINED)
}

fn is_str(v: &Value) -> bool {
    v.kind() == ValueKind::String
}

/// nunjucks `normalize(value, '')` for text filters: undefined/null/false → "".
/// nunjucks' `copySafeness`: a filter's output is safe-marked when its input was.
fn copy_safeness(input: &Value, out: String) -> Value {
    if input.is_safe() {
        Value::from_safe_string(out)
    } else {
        Value::from(out)
    }
}

fn text_input(v: &Value, filter: &str) -> Result<String, Error> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Ok(String::new()),
        ValueKind::Bool if !v.is_true() => Ok(String::new()),
        ValueKind::String => Ok(v.as_str().unwrap_or_default().to_string()),
        _ => Err(err(format!("{filter}: Filter input must be a string"))),
    }
}

pub(crate) fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

pub(crate) fn from16(u: &[u16]) -> String {
    String::from_utf16_lossy(u)
}

fn seq_values(v: &Value) -> Option<Vec<Value>> {
    match v.kind() {
        ValueKind::Seq | ValueKind::Iterable => v.try_iter().ok().map(|i| i.collect()),
        ValueKind::String => Some(
            v.as_str()
                .unwrap_or_default()
                .encode_utf16()
                .map(|u| Value::from(from16(&[u])))
                .collect(),
        ),
        _ => None,
    }
}

fn map_entries(v: &Value) -> Vec<(Value, Value)> {
    v.try_iter()
        .map(|keys| {
            keys.map(|k| {
                let val = v.get_item(&k).unwrap_or_default();
                (k, val)
            })
            .collect()
        })
        .unwrap_or_default()
}

/// Attribute lookup with nunjucks' dotted paths (`attribute='a.b'`).
fn get_attr_path(v: &Value, path: &Value) -> Value {
    if path.kind() == ValueKind::Number {
        return v.get_item(path).unwrap_or_default();
    }
    let p = js_string(path);
    let mut cur = v.clone();
    for part in p.split('.') {
        cur = cur.get_attr(part).unwrap_or_default();
    }
    cur
}

/// JS ordering used by sort: numbers numerically, otherwise string comparison.
fn js_compare(a: &Value, b: &Value, case_sensitive: bool) -> std::cmp::Ordering {
    if a.kind() == ValueKind::Number && b.kind() == ValueKind::Number {
        return js_to_number(a)
            .partial_cmp(&js_to_number(b))
            .unwrap_or(std::cmp::Ordering::Equal);
    }
    if is_str(a) && is_str(b) {
        let (x, y) = (js_string(a), js_string(b));
        return if case_sensitive {
            utf16(&x).cmp(&utf16(&y))
        } else {
            utf16(&x.to_uppercase()).cmp(&utf16(&y.to_uppercase()))
        };
    }
    // Mixed types: JS `<`/`>` with coercion to numbers.
    let (x, y) = (js_to_number(a), js_to_number(b));
    x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `encodeURIComponent`.
pub(crate) fn encode_uri_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn repeat_spaces(n: f64) -> Result<String, Error> {
    if n.is_nan() || n <= 0.0 {
        return Ok(String::new());
    }
    if !n.is_finite() || n > 10_000.0 {
        return Err(err("Filter spacing exceeds the supported bound"));
    }
    Ok(" ".repeat(n.ceil() as usize))
}

/// A deterministic generator for the `random` filter (splitmix64).
struct SeededRng(AtomicU64);

impl SeededRng {
    fn next_below(&self, n: usize) -> usize {
        let mut z = self
            .0
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

pub(crate) fn register(env: &mut Environment<'static>, options: &RenderOptions) {
    for name in NON_NUNJUCKS_FILTERS {
        env.remove_filter(name);
    }
    env.add_filter(
        "dump",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let indent = json_indent(args.first());
            bounded_json(&v, &indent)
        },
    );
    if options.syntax == Syntax::Cookiecutter {
        env.add_filter(
            "jsonify",
            |v: Value, args: Rest<Value>| -> Result<Value, Error> {
                let indent = json_indent(args.first());
                bounded_json(&v, &indent)
            },
        );
    }
    let default = |v: Value, args: Rest<Value>| -> Result<Value, Error> {
        let fallback = arg(&args, 0);
        if js_truthy(&arg(&args, 1)) {
            Ok(if js_truthy(&v) { v } else { fallback })
        } else {
            Ok(if v.is_undefined() { fallback } else { v })
        }
    };
    env.add_filter("default", default);
    env.add_filter("d", default);
    env.add_filter("abs", |v: Value| number_value(js_to_number(&v).abs()));
    env.add_filter("capitalize", |v: Value| -> Result<Value, Error> {
        let t = utf16(&text_input(&v, "capitalize")?.to_lowercase());
        if t.is_empty() {
            return Ok(Value::from(""));
        }
        let first = from16(&t[..1]).to_uppercase();
        Ok(Value::from(first + &from16(&t[1..])))
    });
    env.add_filter(
        "center",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let text = text_input(&v, "center")?;
            let width = if js_truthy(&arg(&args, 0)) {
                js_to_number(&arg(&args, 0))
            } else {
                80.0
            };
            let len = utf16(&text).len() as f64;
            if len >= width {
                return Ok(Value::from(text));
            }
            let spaces = width - len;
            let left = repeat_spaces(spaces / 2.0 - spaces % 2.0)?;
            let right = repeat_spaces(spaces / 2.0)?;
            Ok(Value::from(format!("{left}{text}{right}")))
        },
    );
    let escape = |v: Value| -> Value {
        if v.is_safe() {
            v
        } else {
            Value::from_safe_string(html_escape(&js_string(&v)))
        }
    };
    env.add_filter("escape", escape);
    env.add_filter("e", escape);
    env.add_filter("forceescape", |v: Value| {
        Value::from_safe_string(html_escape(&js_string(&v)))
    });
    env.add_filter("safe", |v: Value| {
        if v.is_safe() {
            v
        } else {
            Value::from_safe_string(js_string(&v))
        }
    });
    let edge = |last: bool| {
        move |v: Value| -> Result<Value, Error> {
            match v.kind() {
                ValueKind::Undefined | ValueKind::None => Err(err(format!(
                    "{} requires a sequence",
                    if last { "last" } else { "first" }
                ))),
                ValueKind::Seq | ValueKind::String | ValueKind::Iterable => {
                    let items = seq_values(&v).unwrap_or_default();
                    Ok(if last { items.last() } else { items.first() }
                        .cloned()
                        .unwrap_or(Value::UNDEFINED))
                }
                _ => Ok(Value::UNDEFINED),
            }
        }
    };
    env.add_filter("first", edge(false));
    env.add_filter("last", edge(true));
    env.add_filter("float", |v: Value, args: Rest<Value>| -> Value {
        let f = parse_float(&js_string_strict(&v));
        if f.is_nan() {
            arg(&args, 0)
        } else {
            number_value(f)
        }
    });
    env.add_filter("int", |v: Value, args: Rest<Value>| -> Value {
        let base = match args.get(1) {
            Some(b) if !b.is_undefined() => js_to_number(b).trunc() as u32,
            _ => 10,
        };
        match parse_int(&js_string_strict(&v), base) {
            Some(n) => number_value(n),
            None => arg(&args, 0),
        }
    });
    env.add_filter(
        "indent",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let text = text_input(&v, "indent")?;
            // nunjucks returns '' for '' only: a safe-marked empty string is an object there,
            // not '', so its one empty line is indented too.
            if text.is_empty() && !v.is_safe() {
                return Ok(Value::from(""));
            }
            let width = if js_truthy(&arg(&args, 0)) {
                js_to_number(&arg(&args, 0))
            } else {
                4.0
            };
            let first = js_truthy(&arg(&args, 1));
            let pad = repeat_spaces(width)?;
            let out: Vec<String> = text
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 && !first {
                        l.to_string()
                    } else {
                        format!("{pad}{l}")
                    }
                })
                .collect();
            Ok(copy_safeness(&v, out.join("\n")))
        },
    );
    env.add_filter(
        "join",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let sep = match args.first() {
                Some(s) if !s.is_undefined() => js_string_strict(s),
                _ => String::new(),
            };
            let attr = arg(&args, 1);
            let Some(items) = seq_values(&v) else {
                return Ok(Value::from(""));
            };
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    let i = if attr.is_undefined() {
                        i.clone()
                    } else {
                        get_attr_path(i, &attr)
                    };
                    js_string(&i)
                })
                .collect();
            join_bounded(&parts, &sep)
        },
    );
    env.add_filter("length", |v: Value| -> Value {
        match v.kind() {
            ValueKind::String => Value::from(utf16(v.as_str().unwrap_or_default()).len()),
            ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => Value::from(
                v.len()
                    .unwrap_or_else(|| v.try_iter().map_or(0, |i| i.count())),
            ),
            ValueKind::Undefined | ValueKind::None => Value::from(0),
            ValueKind::Bool if !v.is_true() => Value::from(0),
            _ => Value::UNDEFINED,
        }
    });
    env.add_filter("list", |v: Value| -> Result<Value, Error> {
        match v.kind() {
            ValueKind::Seq | ValueKind::String | ValueKind::Iterable => {
                if let Some(text) = v.as_str() {
                    budget::charge_items(text.len())?;
                }
                Ok(Value::from(seq_values(&v).unwrap_or_default()))
            }
            ValueKind::Map => Ok(Value::from(
                map_entries(&v)
                    .into_iter()
                    .map(|(k, val)| map_value([("key", k), ("value", val)]))
                    .collect::<Vec<_>>(),
            )),
            _ => Err(err("list requires an iterable value")),
        }
    });
    env.add_filter("lower", |v: Value| -> Result<Value, Error> {
        Ok(Value::from(text_input(&v, "lower")?.to_lowercase()))
    });
    env.add_filter("upper", |v: Value| -> Result<Value, Error> {
        Ok(Value::from(text_input(&v, "upper")?.to_uppercase()))
    });
    env.add_filter("nl2br", |v: Value| -> Result<Value, Error> {
        let t = match v.kind() {
            ValueKind::Undefined | ValueKind::None => String::new(),
            _ => text_input(&v, "nl2br")?,
        };
        let out = t.replace("\r\n", "\n").replace('\n', "<br />\n");
        Ok(copy_safeness(&v, out))
    });
    let rng = Arc::new(SeededRng(AtomicU64::new(options.seed)));
    env.add_filter("random", move |v: Value| -> Result<Value, Error> {
        match v.kind() {
            ValueKind::Undefined | ValueKind::None => Err(err("random requires a sequence")),
            _ => {
                let items = seq_values(&v).unwrap_or_default();
                if items.is_empty() {
                    Ok(Value::UNDEFINED)
                } else {
                    Ok(items[rng.next_below(items.len())].clone())
                }
            }
        }
    });
    env.add_filter("replace", replace_filter);
    env.add_filter("reverse", |v: Value| -> Value {
        match v.kind() {
            ValueKind::String => {
                let mut u = utf16(v.as_str().unwrap_or_default());
                u.reverse();
                Value::from(from16(&u))
            }
            ValueKind::Seq | ValueKind::Iterable => {
                let mut items = seq_values(&v).unwrap_or_default();
                items.reverse();
                Value::from(items)
            }
            ValueKind::Map => {
                let mut items: Vec<Value> = map_entries(&v).into_iter().map(|(_, x)| x).collect();
                items.reverse();
                Value::from(items)
            }
            _ => Value::from(Vec::<Value>::new()),
        }
    });
    env.add_filter("round", |v: Value, args: Rest<Value>| -> Value {
        let prec = if js_truthy(&arg(&args, 0)) {
            js_to_number(&arg(&args, 0))
        } else {
            0.0
        };
        let factor = 10f64.powf(prec);
        let x = js_to_number(&v) * factor;
        let method = arg(&args, 1);
        let r = match method.as_str() {
            Some("ceil") => x.ceil(),
            Some("floor") => x.floor(),
            // Math.round: halves round up (towards +∞).
            _ => (x + 0.5).floor(),
        };
        number_value(r / factor)
    });
    env.add_filter("string", |v: Value| -> Result<Value, Error> {
        match v.kind() {
            ValueKind::Undefined | ValueKind::None => Err(err("string requires a value")),
            _ if v.is_safe() => Ok(v),
            _ => Ok(Value::from(js_string(&v))),
        }
    });
    env.add_filter("title", |v: Value| -> Result<Value, Error> {
        let t = text_input(&v, "title")?;
        let words: Vec<String> = t
            .split(' ')
            .map(|w| {
                let lower = utf16(&w.to_lowercase());
                if lower.is_empty() {
                    String::new()
                } else {
                    from16(&lower[..1]).to_uppercase() + &from16(&lower[1..])
                }
            })
            .collect();
        Ok(Value::from(words.join(" ")))
    });
    env.add_filter("trim", |v: Value| -> Result<Value, Error> {
        match v.kind() {
            ValueKind::String => Ok(copy_safeness(
                &v,
                js_trim(v.as_str().unwrap_or_default()).to_string(),
            )),
            _ => Err(err("trim: Filter input must be a string")),
        }
    });
    env.add_filter(
        "truncate",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let text = text_input(&v, "truncate")?;
            let length = if js_truthy(&arg(&args, 0)) {
                js_to_number(&arg(&args, 0))
            } else {
                255.0
            };
            let u = utf16(&text);
            if (u.len() as f64) <= length {
                return Ok(Value::from(text));
            }
            let length = length.max(0.0) as usize;
            let cut = if js_truthy(&arg(&args, 1)) {
                length.min(u.len())
            } else {
                // lastIndexOf(" ", length)
                let upto = length.min(u.len().saturating_sub(1));
                match (0..=upto).rev().find(|&i| u[i] == b' ' as u16) {
                    Some(i) => i,
                    None => length.min(u.len()),
                }
            };
            let end = match args.get(2) {
                Some(e) if !e.is_undefined() && !e.is_none() => js_string_strict(e),
                _ => "...".to_string(),
            };
            Ok(Value::from(from16(&u[..cut]) + &end))
        },
    );
    env.add_filter("urlencode", |v: Value| -> Result<Value, Error> {
        match v.kind() {
            ValueKind::String => Ok(Value::from(encode_uri_component(
                v.as_str().unwrap_or_default(),
            ))),
            ValueKind::Map => Ok(Value::from(
                map_entries(&v)
                    .iter()
                    .map(|(k, x)| {
                        format!(
                            "{}={}",
                            encode_uri_component(&js_string_strict(k)),
                            encode_uri_component(&js_string_strict(x))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("&"),
            )),
            ValueKind::Seq => {
                let mut parts = Vec::new();
                for item in seq_values(&v).unwrap_or_default() {
                    if item.is_undefined() || item.is_none() {
                        return Err(err("urlencode sequence entries cannot be nullish"));
                    }
                    let kv = seq_values(&item).unwrap_or_default();
                    parts.push(format!(
                        "{}={}",
                        encode_uri_component(&js_string_strict(
                            &kv.first().cloned().unwrap_or_default()
                        )),
                        encode_uri_component(&js_string_strict(
                            &kv.get(1).cloned().unwrap_or_default()
                        ))
                    ));
                }
                Ok(Value::from(parts.join("&")))
            }
            _ => Ok(Value::from("")),
        }
    });
    env.add_filter("wordcount", |v: Value| -> Result<Value, Error> {
        let t = text_input(&v, "wordcount")?;
        if t.is_empty() {
            return Ok(Value::from(()));
        }
        let n = t
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .count();
        Ok(if n == 0 {
            Value::from(())
        } else {
            Value::from(n)
        })
    });
    env.add_filter(
        "sum",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let attr = arg(&args, 0);
            let attr = if attr.is_none() {
                Value::UNDEFINED
            } else {
                attr
            };
            let start = args.get(1).map_or(0.0, js_to_number);
            let mut total = number_value(start);
            for item in seq_values(&v).unwrap_or_default() {
                let item = if attr.is_undefined() {
                    item
                } else {
                    get_attr_path(&item, &attr)
                };
                total = js_add(&total, &item)?;
            }
            Ok(total)
        },
    );
    env.add_filter(
        "sort",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let reverse = js_truthy(&arg(&args, 0));
            let case_sensitive = js_truthy(&arg(&args, 1));
            let attr = arg(&args, 2);
            let mut items = seq_values(&v).unwrap_or_default();
            items.sort_by(|a, b| {
                let (a, b) = if attr.is_undefined() {
                    (a.clone(), b.clone())
                } else {
                    (get_attr_path(a, &attr), get_attr_path(b, &attr))
                };
                let o = js_compare(&a, &b, case_sensitive);
                if reverse { o.reverse() } else { o }
            });
            Ok(Value::from(items))
        },
    );
    env.add_filter(
        "batch",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            if v.is_undefined() || v.is_none() {
                return Err(err("batch requires a sequence"));
            }
            let width = js_to_number(&arg(&args, 0)).trunc();
            if !(1.0..9e15).contains(&width) {
                return Err(err("Batch size must be a positive integer"));
            }
            let width = width as usize;
            let fill = arg(&args, 1);
            let items = seq_values(&v).unwrap_or_default();
            let mut out = Vec::new();
            for chunk in items.chunks(width) {
                let mut row = chunk.to_vec();
                if row.len() < width && js_truthy(&fill) {
                    row.resize(width, fill.clone());
                }
                out.push(Value::from(row));
            }
            Ok(Value::from(out))
        },
    );
    env.add_filter(
        "slice",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let Some(items) = seq_values(&v) else {
                return Err(err("slice requires a sequence"));
            };
            let count = js_to_number(&arg(&args, 0)).trunc();
            if !(1.0..9e15).contains(&count) {
                return Err(err("Slice count must be a positive integer"));
            }
            let count = count as usize;
            let fill = arg(&args, 1);
            let base = items.len() / count;
            let extra = items.len() % count;
            let is_text = is_str(&v);
            let mut offset = 0;
            let mut out = Vec::new();
            for i in 0..count {
                let len = base + usize::from(i < extra);
                let mut part = items[offset..offset + len].to_vec();
                offset += len;
                if js_truthy(&fill) && i >= extra {
                    if is_text {
                        return Err(err("slice cannot append a fill value to a string"));
                    }
                    part.push(fill.clone());
                }
                if is_text {
                    out.push(Value::from(part.iter().map(js_string).collect::<String>()));
                } else {
                    out.push(Value::from(part));
                }
            }
            Ok(Value::from(out))
        },
    );
    env.add_filter(
        "groupby",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let attr = arg(&args, 0);
            let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
            for item in seq_values(&v).unwrap_or_default() {
                let key = js_string_strict(&get_attr_path(&item, &attr));
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, list)) => list.push(item),
                    None => groups.push((key, vec![item])),
                }
            }
            Ok(map_value(
                groups.into_iter().map(|(k, l)| (k, Value::from(l))),
            ))
        },
    );
    env.add_filter(
        "striptags",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let t = text_input(&v, "striptags")?;
            Ok(Value::from(striptags(&t, js_truthy(&arg(&args, 0)))))
        },
    );
    env.add_filter(
        "urlize",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            let t = text_input(&v, "urlize")?;
            Ok(Value::from(urlize(
                &t,
                args.first(),
                args.get(1)
                    .is_some_and(|x| x.kind() == ValueKind::Bool && x.is_true()),
            )))
        },
    );

    env.add_filter(
        "dictsort",
        |v: Value, args: Rest<Value>| -> Result<Value, Error> {
            if v.kind() != ValueKind::Map {
                return Err(err("dictsort requires a record"));
            }
            let case_sensitive = js_truthy(&arg(&args, 0));
            let by = arg(&args, 1);
            let by_value = match by.as_str() {
                None if by.is_undefined() => false,
                Some("key") => false,
                Some("value") => true,
                _ => return Err(err("dictsort can only sort by key or value")),
            };
            let mut entries = map_entries(&v);
            entries.sort_by(|a, b| {
                let (x, y) = if by_value { (&a.1, &b.1) } else { (&a.0, &b.0) };
                js_compare(x, y, case_sensitive)
            });
            Ok(Value::from(
                entries
                    .into_iter()
                    .map(|(k, x)| Value::from(vec![k, x]))
                    .collect::<Vec<_>>(),
            ))
        },
    );
    // Internal helpers used by the source rewrite (see rewrite.rs).
    env.add_filter("__nj_pairs", |v: Value| -> Value {
        if v.kind() == ValueKind::Map {
            Value::from(
                map_entries(&v)
                    .into_iter()
                    .map(|(k, x)| Value::from(vec![k, x]))
                    .collect::<Vec<_>>(),
            )
        } else {
            v
        }
    });
    env.add_test("__nj_truthy", |v: Value| js_truthy(&v));
    // JavaScript operators (see expr.rs).
    env.add_function("__nj_add", |a: Value, b: Value| js_add(&a, &b));
    env.add_function("__nj_regex", super::regexp::literal);
    env.add_function("__nj_too_deep", || -> Result<Value, Error> {
        Err(err(format!(
            "an expression nests more than {} levels (each `+`, `~`, `and`, `or` or comparison in a chain is one); split it with {{% set %}}",
            super::MAX_EXPRESSION_DEPTH
        )))
    });
    env.add_function("__nj_concat", |a: Value, b: Value| {
        concat_bounded(&js_string_strict(&a), &js_string_strict(&b))
    });
    env.add_function("__nj_arith", |op: String, a: Value, b: Value| {
        let (x, y) = (js_to_number(&a), js_to_number(&b));
        number_value(match op.as_str() {
            "-" => x - y,
            "*" => x * y,
            "/" => x / y,
            "%" => x % y,
            _ => js_pow(x, y),
        })
    });
    // JS `.length`: strings (UTF-16 units) and arrays; an object's own `length` key.
    env.add_function("__nj_length", |v: Value| match v.kind() {
        ValueKind::String => Value::from(v.as_str().unwrap_or_default().encode_utf16().count()),
        ValueKind::Seq | ValueKind::Iterable => v.len().map_or(Value::UNDEFINED, Value::from),
        ValueKind::Map => v.get_attr("length").unwrap_or_default(),
        _ => Value::UNDEFINED,
    });
    env.add_function("__nj_floor", |a: Value| {
        number_value(js_to_number(&a).floor())
    });
    env.add_function("__nj_neg", |a: Value| number_value(-js_to_number(&a)));
    env.add_function("__nj_num", |a: Value| number_value(js_to_number(&a)));
    env.add_function("__nj_cmp", |a: Value, op: String, b: Value| {
        Value::from(match op.as_str() {
            "==" => js_loose_eq(&a, &b),
            "!=" => !js_loose_eq(&a, &b),
            "===" => js_strict_eq(&a, &b) || (!is_primitive(&a) && a == b),
            "!==" => !(js_strict_eq(&a, &b) || (!is_primitive(&a) && a == b)),
            _ => {
                let ord = js_order(&a, &b);
                match op.as_str() {
                    "<" => ord == Some(std::cmp::Ordering::Less),
                    "<=" => ord.is_some_and(|o| o != std::cmp::Ordering::Greater),
                    ">" => ord == Some(std::cmp::Ordering::Greater),
                    _ => ord.is_some_and(|o| o != std::cmp::Ordering::Less),
                }
            }
        })
    });
    // nunjitsu ignores the test arguments: items whose attribute is truthy.
    for (name, select) in [("selectattr", true), ("rejectattr", false)] {
        env.add_filter(
            name,
            move |v: Value, args: Rest<Value>| -> Result<Value, Error> {
                if !matches!(v.kind(), ValueKind::Seq | ValueKind::Iterable) {
                    return Err(err(format!("{name} requires an array")));
                }
                let key = js_string_strict(&arg(&args, 0));
                let items = v
                    .try_iter()
                    .map(|i| i.collect::<Vec<_>>())
                    .unwrap_or_default();
                Ok(Value::from(
                    items
                        .into_iter()
                        .filter(|item| {
                            let attr = if item.kind() == ValueKind::Map {
                                item.get_attr(&key).unwrap_or_default()
                            } else {
                                item.get_item(&Value::from(key.as_str()))
                                    .unwrap_or_default()
                            };
                            js_truthy(&attr) == select
                        })
                        .collect::<Vec<_>>(),
                ))
            },
        );
    }
    backstage::register(env, &options.integrations);
    let cookiecutter = options.syntax == Syntax::Cookiecutter;
    env.set_unknown_method_callback(move |state, value, method, args| {
        call_method(state, value, method, args, cookiecutter)
    });
}

/// `JSON.stringify` for `dump`, within the value bound.
fn bounded_json(v: &Value, indent: &str) -> Result<Value, Error> {
    match json_stringify(v, indent) {
        Some(s) => {
            budget::charge(s.len())?;
            Ok(Value::from(s))
        }
        None => Ok(Value::UNDEFINED),
    }
}

/// Joins two strings, refused before allocating when the result is over the bounds.
fn concat_bounded(a: &str, b: &str) -> Result<Value, Error> {
    budget::charge(a.len().saturating_add(b.len()))?;
    Ok(Value::from(format!("{a}{b}")))
}

/// Joins strings with a separator, refused before allocating when over the bounds.
fn join_bounded(parts: &[String], sep: &str) -> Result<Value, Error> {
    let total = parts
        .iter()
        .map(String::len)
        .fold(0usize, usize::saturating_add)
        .saturating_add(sep.len().saturating_mul(parts.len()));
    budget::charge(total)?;
    Ok(Value::from(parts.join(sep)))
}

/// The largest string a replacement can produce, charged before it is built.
fn charge_replace(text: &str, needle: &str, rep: &str, max: usize) -> Result<(), Error> {
    let hits = if needle.is_empty() {
        text.len() + 1
    } else {
        text.matches(needle).take(max).count()
    };
    budget::charge(text.len().saturating_add(hits.saturating_mul(rep.len())))
}

/// JS `+`: numbers add, anything else concatenates as strings.
pub(crate) fn js_add(a: &Value, b: &Value) -> Result<Value, Error> {
    let numeric = |v: &Value| {
        matches!(
            v.kind(),
            ValueKind::Number | ValueKind::Bool | ValueKind::None | ValueKind::Undefined
        )
    };
    if numeric(a) && numeric(b) {
        Ok(number_value(js_to_number(a) + js_to_number(b)))
    } else {
        let s = |v: &Value| match v.kind() {
            ValueKind::Undefined => "undefined".to_string(),
            ValueKind::None => "null".to_string(),
            _ => js_string(v),
        };
        concat_bounded(&s(a), &s(b))
    }
}

/// JS `**` (`1 ** NaN` is NaN, unlike `powf`).
fn js_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() || (x.abs() == 1.0 && y.is_infinite()) {
        f64::NAN
    } else {
        x.powf(y)
    }
}

fn is_primitive(v: &Value) -> bool {
    matches!(
        v.kind(),
        ValueKind::Undefined
            | ValueKind::None
            | ValueKind::Bool
            | ValueKind::Number
            | ValueKind::String
    )
}

/// JS `ToPrimitive` for template values: arrays join, objects are `[object Object]`.
fn js_primitive(v: &Value) -> Value {
    if is_primitive(v) {
        v.clone()
    } else {
        Value::from(js_string(v))
    }
}

/// JS `==` (two objects: equal by value, as identity cannot be observed).
fn js_loose_eq(a: &Value, b: &Value) -> bool {
    if !is_primitive(a) && !is_primitive(b) {
        return a == b;
    }
    let (a, b) = (js_primitive(a), js_primitive(b));
    let nullish = |v: &Value| matches!(v.kind(), ValueKind::Undefined | ValueKind::None);
    if nullish(&a) || nullish(&b) {
        return nullish(&a) && nullish(&b);
    }
    if a.kind() == b.kind() {
        return js_strict_eq(&a, &b);
    }
    js_to_number(&a) == js_to_number(&b)
}

/// JS relational ordering: two strings by UTF-16 code units, else numbers
/// (`None` when either is NaN).
fn js_order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    let (a, b) = (js_primitive(a), js_primitive(b));
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str())
        && a.kind() == ValueKind::String
        && b.kind() == ValueKind::String
    {
        return Some(x.encode_utf16().cmp(y.encode_utf16()));
    }
    js_to_number(&a).partial_cmp(&js_to_number(&b))
}

/// JS `String.prototype.trim` whitespace.
fn js_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// `parseFloat`.
fn parse_float(s: &str) -> f64 {
    let t = s.trim_start();
    if t.starts_with("Infinity") || t.starts_with("+Infinity") {
        return f64::INFINITY;
    }
    if t.starts_with("-Infinity") {
        return f64::NEG_INFINITY;
    }
    let b = t.as_bytes();
    let mut end = 0;
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    let digits_start = end;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start || &t[digits_start..end] == "." {
        return f64::NAN;
    }
    let mantissa_end = end;
    if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
        let mut e = end + 1;
        if e < b.len() && (b[e] == b'+' || b[e] == b'-') {
            e += 1;
        }
        let ds = e;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        if e > ds {
            end = e;
        }
    }
    t[..end]
        .parse::<f64>()
        .or_else(|_| t[..mantissa_end].parse())
        .unwrap_or(f64::NAN)
}

/// `parseInt(s, base)`.
fn parse_int(s: &str, base: u32) -> Option<f64> {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let base = if base == 0 { 10 } else { base };
    let mut t = t;
    if base == 16 && (t.starts_with("0x") || t.starts_with("0X")) {
        t = &t[2..];
    }
    if !(2..=36).contains(&base) {
        return None;
    }
    let digits: String = t.chars().take_while(|c| c.is_digit(base)).collect();
    if digits.is_empty() {
        return None;
    }
    let mut n = 0f64;
    for c in digits.chars() {
        n = n * f64::from(base) + f64::from(c.to_digit(base).unwrap_or(0));
    }
    Some(if neg { -n } else { n })
}

fn replace_filter(v: Value, args: Rest<Value>) -> Result<Value, Error> {
    let search = arg(&args, 0);
    let replacement = arg(&args, 1);
    if let Some(regex) = JsRegExp::of(&search) {
        // nunjitsu hands a RegExp to String.prototype.replace (the count is ignored).
        let Some(text) = v.as_str() else {
            return Err(err(format!(
                "Filter \"replace\" failed for {} input: Regular-expression replacement requires a string",
                js_type_name(&v)
            )));
        };
        return regex.replace(text, &js_string_strict(&replacement));
    }
    let max = args.get(2).cloned().unwrap_or(Value::from(-1));
    if !matches!(search.kind(), ValueKind::String | ValueKind::Number) {
        return Ok(v);
    }
    let text = match v.kind() {
        ValueKind::Number => js_string(&v),
        ValueKind::String => v.as_str().unwrap_or_default().to_string(),
        _ => return Ok(v),
    };
    let needle = js_string(&search);
    let rep = js_string_strict(&replacement);
    let max_hits = {
        let m = js_to_number(&max);
        if m < 0.0 || m.is_nan() {
            usize::MAX
        } else {
            m as usize
        }
    };
    charge_replace(&text, &needle, &rep, max_hits)?;
    if needle.is_empty() {
        let sep = if replacement.is_undefined() {
            ",".to_string()
        } else {
            rep.clone()
        };
        let chars: Vec<String> = text.encode_utf16().map(|u| from16(&[u])).collect();
        return Ok(Value::from(format!("{rep}{}{rep}", chars.join(&sep))));
    }
    let max_n = js_to_number(&max);
    if max_n == 0.0 || !text.contains(&needle) {
        return Ok(Value::from(text));
    }
    if max_n == -1.0 {
        return Ok(Value::from(text.replace(&needle, &rep)));
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut count = 0.0;
    while count < max_n {
        match rest.find(&needle) {
            Some(i) => {
                out.push_str(&rest[..i]);
                out.push_str(&rep);
                rest = &rest[i + needle.len()..];
            }
            None => break,
        }
        count += 1.0;
    }
    out.push_str(rest);
    Ok(Value::from(out))
}

/// JavaScript's `typeof` word for a value, as nunjitsu's filter errors name it (`null` for null).
fn js_type_name(v: &Value) -> &'static str {
    match v.kind() {
        ValueKind::Undefined => "undefined",
        ValueKind::None => "null",
        ValueKind::Bool => "boolean",
        ValueKind::Number => "number",
        ValueKind::String => "string",
        _ => "object",
    }
}

fn striptags(s: &str, preserve_linebreaks: bool) -> String {
    let re =
        regex::Regex::new(r"(?i)</?([a-z][a-z0-9]*)\b[^>]*>|<!--[\s\S]*?-->").expect("valid regex");
    let mut stripped = s.to_string();
    for _ in 0..100 {
        let next = re.replace_all(&stripped, "").into_owned();
        if next == stripped {
            break;
        }
        stripped = next;
    }
    let stripped = js_trim(&stripped).to_string();
    if preserve_linebreaks {
        let a = regex::Regex::new(r"(?m)^ +| +$")
            .expect("valid regex")
            .replace_all(&stripped, "")
            .into_owned();
        let b = regex::Regex::new(r" +")
            .expect("valid regex")
            .replace_all(&a, " ")
            .into_owned();
        let c = b.replace("\r\n", "\n");
        regex::Regex::new(r"\n\n\n+")
            .expect("valid regex")
            .replace_all(&c, "\n\n")
            .into_owned()
    } else {
        regex::Regex::new(r"\s+")
            .expect("valid regex")
            .replace_all(&stripped, " ")
            .into_owned()
    }
}

fn urlize(s: &str, length: Option<&Value>, nofollow: bool) -> String {
    let limit = match length {
        None => usize::MAX,
        Some(v) if v.is_undefined() => usize::MAX,
        Some(v) => {
            let n = js_to_number(v);
            if n.is_nan() {
                usize::MAX
            } else if n <= 0.0 {
                0
            } else {
                n as usize
            }
        }
    };
    let nf = if nofollow { " rel=\"nofollow\"" } else { "" };
    let punct =
        regex::Regex::new(r"^(?:\(|<|&lt;)?(.*?)(?:\.|,|\)|\n|&gt;)?$").expect("valid regex");
    let http = regex::Regex::new(r"^https?://.*$").expect("valid regex");
    let www = regex::Regex::new(r"^www\.").expect("valid regex");
    let email = regex::Regex::new(r"^\S+@\S+\.\S+$").expect("valid regex");
    let tld = regex::Regex::new(r"\.(?:org|net|com)(?::|/|$)").expect("valid regex");
    let sep = regex::Regex::new(r"(\s+)").expect("valid regex");
    let mut out = String::new();
    let mut last = 0;
    let mut words: Vec<&str> = Vec::new();
    for m in sep.find_iter(s) {
        words.push(&s[last..m.start()]);
        words.push(m.as_str());
        last = m.end();
    }
    words.push(&s[last..]);
    for word in words {
        if word.is_empty() {
            continue;
        }
        let possible = punct
            .captures(word)
            .and_then(|c| c.get(1))
            .map_or(word, |m| m.as_str());
        let short: String = possible.chars().take(limit).collect();
        if http.is_match(possible) {
            out.push_str(&format!("<a href=\"{possible}\"{nf}>{short}</a>"));
        } else if www.is_match(possible) {
            out.push_str(&format!("<a href=\"http://{possible}\"{nf}>{short}</a>"));
        } else if email.is_match(possible) {
            out.push_str(&format!("<a href=\"mailto:{possible}\">{possible}</a>"));
        } else if tld.is_match(possible) {
            out.push_str(&format!("<a href=\"http://{possible}\"{nf}>{short}</a>"));
        } else {
            out.push_str(word);
        }
    }
    out
}

fn int_arg(v: &Value) -> Option<i64> {
    if v.is_undefined() {
        None
    } else {
        let n = js_to_number(v);
        Some(if n.is_nan() {
            0
        } else {
            n.trunc().clamp(-9e15, 9e15) as i64
        })
    }
}

/// JS `slice(start, end)` index normalisation.
fn slice_bounds(len: usize, start: Option<i64>, end: Option<i64>) -> (usize, usize) {
    let len_i = len as i64;
    let norm = |i: i64| if i < 0 { (len_i + i).max(0) } else { i.min(len_i) } as usize;
    let s = start.map_or(0, norm);
    let e = end.map_or(len, norm);
    (s, e.max(s))
}

fn method_missing(value: &Value, method: &str) -> Error {
    Error::new(
        ErrorKind::UnknownMethod,
        format!(
            "Template value \"{method}\" on a {} resolved to undefined and cannot be called",
            value.kind()
        ),
    )
}

fn call_method(
    _state: &State,
    value: &Value,
    method: &str,
    args: &[Value],
    cookiecutter: bool,
) -> Result<Value, Error> {
    match value.kind() {
        ValueKind::String => string_method(value.as_str().unwrap_or_default(), method, args)
            .ok_or_else(|| method_missing(value, method))?,
        ValueKind::Number => {
            let f = js_to_number(value);
            match method {
                "toString" if args.is_empty() => Ok(Value::from(js_string(value))),
                "toFixed" => {
                    let d = args.first().map_or(0.0, js_to_number);
                    Ok(Value::from(format!(
                        "{:.*}",
                        d.clamp(0.0, 100.0) as usize,
                        f
                    )))
                }
                "toString" | "toExponential" | "toPrecision" => Err(err(format!(
                    "callboard does not implement Number.prototype.{method} with arguments"
                ))),
                _ => Err(method_missing(value, method)),
            }
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<Value> = value.try_iter()?.collect();
            match method {
                "join" => {
                    let sep = match args.first() {
                        Some(s) if !s.is_undefined() => js_string_strict(s),
                        _ => ",".to_string(),
                    };
                    join_bounded(&items.iter().map(js_string).collect::<Vec<_>>(), &sep)
                }
                "includes" => Ok(Value::from(
                    items.iter().any(|i| js_strict_eq(i, &arg(args, 0))),
                )),
                "indexOf" => Ok(Value::from(
                    items
                        .iter()
                        .position(|i| js_strict_eq(i, &arg(args, 0)))
                        .map_or(-1, |p| p as i64),
                )),
                "lastIndexOf" => Ok(Value::from(
                    items
                        .iter()
                        .rposition(|i| js_strict_eq(i, &arg(args, 0)))
                        .map_or(-1, |p| p as i64),
                )),
                "at" => {
                    let i = int_arg(&arg(args, 0)).unwrap_or(0);
                    let idx = if i < 0 { items.len() as i64 + i } else { i };
                    Ok(usize::try_from(idx)
                        .ok()
                        .and_then(|i| items.get(i).cloned())
                        .unwrap_or(Value::UNDEFINED))
                }
                "slice" => {
                    let (s, e) = slice_bounds(
                        items.len(),
                        args.first().and_then(int_arg),
                        args.get(1).and_then(int_arg),
                    );
                    Ok(Value::from(items[s..e].to_vec()))
                }
                "concat" => {
                    let added: usize = args
                        .iter()
                        .map(|a| {
                            if a.kind() == ValueKind::Seq {
                                a.len().unwrap_or(0)
                            } else {
                                1
                            }
                        })
                        .sum();
                    budget::charge_items(items.len().saturating_add(added))?;
                    let mut out = items;
                    for a in args {
                        match a.kind() {
                            ValueKind::Seq => out.extend(a.try_iter()?),
                            _ => out.push(a.clone()),
                        }
                    }
                    Ok(Value::from(out))
                }
                "flat" => {
                    let mut out = Vec::new();
                    for i in items {
                        if i.kind() == ValueKind::Seq {
                            out.extend(i.try_iter()?);
                        } else {
                            out.push(i);
                        }
                    }
                    Ok(Value::from(out))
                }
                "count" if cookiecutter => Ok(Value::from(
                    items.iter().filter(|i| **i == arg(args, 0)).count(),
                )),
                "index" if cookiecutter => items
                    .iter()
                    .position(|i| *i == arg(args, 0))
                    .map(Value::from)
                    .ok_or_else(|| err("Item not found")),
                "push" | "pop" | "shift" | "unshift" | "splice" | "sort" | "reverse" | "fill"
                | "copyWithin" => Err(err(format!(
                    "callboard does not support the mutating array method {method}()"
                ))),
                _ => Err(method_missing(value, method)),
            }
        }
        ValueKind::Map if cookiecutter => {
            let entries = map_entries(value);
            match method {
                "items" => Ok(Value::from(
                    entries
                        .into_iter()
                        .map(|(k, v)| Value::from(vec![k, v]))
                        .collect::<Vec<_>>(),
                )),
                "keys" => Ok(Value::from(
                    entries.into_iter().map(|(k, _)| k).collect::<Vec<_>>(),
                )),
                "values" => Ok(Value::from(
                    entries.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
                )),
                "get" => {
                    let v = value.get_item(&arg(args, 0)).unwrap_or_default();
                    Ok(if v.is_undefined() {
                        args.get(1).cloned().unwrap_or(Value::from(()))
                    } else {
                        v
                    })
                }
                "has_key" => Ok(Value::from(
                    !value
                        .get_item(&arg(args, 0))
                        .unwrap_or_default()
                        .is_undefined(),
                )),
                _ => Err(method_missing(value, method)),
            }
        }
        _ => Err(method_missing(value, method)),
    }
}

fn js_strict_eq(a: &Value, b: &Value) -> bool {
    match (a.kind(), b.kind()) {
        (ValueKind::Number, ValueKind::Number) => js_to_number(a) == js_to_number(b),
        (ka, kb) if ka != kb => false,
        (ValueKind::String, _)
        | (ValueKind::Bool, _)
        | (ValueKind::None, _)
        | (ValueKind::Undefined, _) => a == b,
        _ => false,
    }
}

/// nunjitsu's string intrinsics; `None` for methods outside its allow-list.
fn string_method(s: &str, method: &str, args: &[Value]) -> Option<Result<Value, Error>> {
    let a0 = arg(args, 0);
    let a1 = arg(args, 1);
    let u = || utf16(s);
    let pos = |v: &Value| int_arg(v).map(|i| i.max(0) as usize);
    let r = match method {
        "toUpperCase" => Value::from(s.to_uppercase()),
        "toLowerCase" => Value::from(s.to_lowercase()),
        "trim" => Value::from(js_trim(s)),
        "trimStart" => {
            Value::from(s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        }
        "trimEnd" => {
            Value::from(s.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        }
        "startsWith" => {
            let u = u();
            let start = pos(&a1).unwrap_or(0).min(u.len());
            Value::from(u[start..].starts_with(&utf16(&js_string_strict(&a0))))
        }
        "endsWith" => {
            let u = u();
            let end = pos(&a1).unwrap_or(u.len()).min(u.len());
            Value::from(u[..end].ends_with(&utf16(&js_string_strict(&a0))))
        }
        "includes" | "indexOf" => {
            let u = u();
            let needle = utf16(&js_string_strict(&a0));
            let start = pos(&a1).unwrap_or(0).min(u.len());
            let found = if needle.is_empty() {
                Some(start)
            } else {
                u[start..]
                    .windows(needle.len())
                    .position(|w| w == needle.as_slice())
                    .map(|p| p + start)
            };
            if method == "includes" {
                Value::from(found.is_some())
            } else {
                Value::from(found.map_or(-1, |p| p as i64))
            }
        }
        "lastIndexOf" => {
            let u = u();
            let needle = utf16(&js_string_strict(&a0));
            let from = pos(&a1).unwrap_or(u.len());
            let found = (0..=u.len().saturating_sub(needle.len()))
                .rev()
                .filter(|&i| i <= from)
                .find(|&i| u[i..].starts_with(&needle));
            Value::from(found.map_or(-1, |p| p as i64))
        }
        "replace" => {
            if args.len() != 2 {
                return Some(Err(err("replace() requires 2 arguments")));
            }
            if let Some(regex) = JsRegExp::of(&a0) {
                return Some(regex.replace(s, &js_string_strict(&a1)));
            }
            let needle = js_string_strict(&a0);
            let rep = js_string_strict(&a1);
            if let Err(e) = charge_replace(s, &needle, &rep, 1) {
                return Some(Err(e));
            }
            // A string pattern replaces the first occurrence; `$&`-style
            // patterns in the replacement are rare and not expanded.
            Value::from(s.replacen(&needle, &rep, 1))
        }
        "split" => {
            let limit = if a1.is_undefined() {
                usize::MAX
            } else {
                js_to_number(&a1).max(0.0) as usize
            };
            if let Some(regex) = JsRegExp::of(&a0) {
                let limit = if a1.is_undefined() {
                    u32::MAX as usize
                } else {
                    limit
                };
                return Some(regex.split(s, limit).map(Value::from));
            }
            let parts: Vec<Value> = if a0.is_undefined() {
                vec![Value::from(s)]
            } else {
                let sep = js_string_strict(&a0);
                if sep.is_empty() {
                    u().iter().map(|c| Value::from(from16(&[*c]))).collect()
                } else {
                    s.split(sep.as_str()).map(Value::from).collect()
                }
            };
            Value::from(parts.into_iter().take(limit).collect::<Vec<_>>())
        }
        "slice" => {
            let u = u();
            let (st, en) = slice_bounds(
                u.len(),
                args.first().and_then(int_arg),
                args.get(1).and_then(int_arg),
            );
            Value::from(from16(&u[st..en]))
        }
        "substring" => {
            let u = u();
            let clamp =
                |v: Option<i64>, d: usize| v.map_or(d, |i| i.clamp(0, u.len() as i64) as usize);
            let a = clamp(args.first().and_then(int_arg), 0);
            let b = clamp(args.get(1).and_then(int_arg), u.len());
            let (a, b) = if a > b { (b, a) } else { (a, b) };
            Value::from(from16(&u[a..b]))
        }
        "charAt" => {
            let u = u();
            let i = args.first().and_then(int_arg).unwrap_or(0);
            Value::from(
                usize::try_from(i)
                    .ok()
                    .and_then(|i| u.get(i))
                    .map_or(String::new(), |c| from16(&[*c])),
            )
        }
        "charCodeAt" => {
            let u = u();
            let i = args.first().and_then(int_arg).unwrap_or(0);
            match usize::try_from(i).ok().and_then(|i| u.get(i)) {
                Some(c) => Value::from(*c),
                None => Value::from(f64::NAN),
            }
        }
        "concat" => {
            let parts: Vec<String> = std::iter::once(s.to_string())
                .chain(args.iter().map(js_string_strict))
                .collect();
            return Some(join_bounded(&parts, ""));
        }
        _ => return None,
    };
    Some(Ok(r))
}
