//! Backstage's default template filters, ported from
//! `@backstage/plugin-scaffolder-backend` (`lib/templating/filters`),
//! `@backstage/plugin-scaffolder-node` (`parseRepoUrl`) and
//! `@backstage/catalog-model` (`parseEntityRef`).

use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, Error};

use super::filters::err;
use super::format::{js_string, json_stringify, map_value};
use crate::scaffold::repo_url::{self, Integrations};

pub(crate) fn register(env: &mut Environment<'static>, integrations: &Integrations) {
    let known = integrations.clone();
    env.add_filter("parseRepoUrl", move |v: Value| parse_repo_url(&v, &known));
    let known = integrations.clone();
    env.add_filter("projectSlug", move |v: Value| -> Result<Value, Error> {
        let spec = parse_repo_url(&v, &known)?;
        let part = |k: &str| {
            let x = spec.get_attr(k).unwrap_or_default();
            if x.is_undefined() {
                "undefined".to_string()
            } else {
                js_string(&x)
            }
        };
        Ok(Value::from(format!("{}/{}", part("owner"), part("repo"))))
    });
    env.add_filter("parseEntityRef", |v: Value, args: Rest<Value>| {
        parse_entity_ref(&v, args.first())
    });
    env.add_filter("pick", |v: Value, path: Value| pick(&v, &path));
}

/// `parseRepoUrl(repoUrl, integrations)` from scaffolder-node, with Backstage's messages.
pub(crate) fn parse_repo_url(v: &Value, integrations: &Integrations) -> Result<Value, Error> {
    let raw = if v.is_undefined() {
        "undefined".to_string()
    } else {
        js_string(v)
    };
    let spec = repo_url::parse(&raw, integrations).map_err(|e| err(e.backstage_message()))?;
    let mut out: Vec<(&str, Value)> = vec![("host", Value::from(spec.host.clone()))];
    for (key, value) in [
        ("owner", &spec.owner),
        ("repo", &spec.repo),
        ("organization", &spec.organization),
        ("workspace", &spec.workspace),
        ("project", &spec.project),
    ] {
        if let Some(p) = value {
            out.push((key, Value::from(p.clone())));
        }
    }
    Ok(map_value(out))
}

/// `parseRefString` from catalog-model.
fn parse_ref_string(r: &str) -> Result<(Option<String>, Option<String>, String), Error> {
    let slash = r.find('/');
    let mut colon = r.find(':');
    if let (Some(s), Some(c)) = (slash, colon)
        && s < c
    {
        colon = None;
    }
    let kind = colon.map(|c| r[..c].to_string());
    let namespace = slash.map(|s| r[colon.map_or(0, |c| c + 1)..s].to_string());
    let name_start = colon.map_or(0, |c| c + 1).max(slash.map_or(0, |s| s + 1));
    let name = r[name_start..].to_string();
    if kind.as_deref() == Some("") || namespace.as_deref() == Some("") || name.is_empty() {
        return Err(err(format!(
            "Entity reference \"{r}\" was not on the form [<kind>:][<namespace>/]<name>"
        )));
    }
    Ok((kind, namespace, name))
}

/// `parseEntityRef(ref, context)` from catalog-model.
pub(crate) fn parse_entity_ref(v: &Value, context: Option<&Value>) -> Result<Value, Error> {
    let truthy = super::format::js_truthy(v);
    if !truthy {
        return Err(err("Entity reference must not be empty"));
    }
    let ctx_get = |k: &str| -> Option<String> {
        context
            .map(|c| c.get_attr(k).unwrap_or_default())
            .filter(|x| !x.is_undefined() && !x.is_none())
            .map(|x| js_string(&x))
    };
    let default_kind = ctx_get("defaultKind");
    let default_namespace = ctx_get("defaultNamespace")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let (kind, namespace, name) = if v.kind() == ValueKind::String {
        let (k, ns, n) = parse_ref_string(v.as_str().unwrap_or_default())?;
        (k.or(default_kind), ns.unwrap_or(default_namespace), Some(n))
    } else {
        let field = |k: &str| {
            let x = v.get_attr(k).unwrap_or_default();
            (!x.is_undefined() && !x.is_none()).then(|| js_string(&x))
        };
        (
            field("kind").or(default_kind),
            field("namespace").unwrap_or(default_namespace),
            field("name"),
        )
    };
    let textual = || json_stringify(v, "").unwrap_or_default();
    let kind = kind.filter(|k| !k.is_empty()).ok_or_else(|| {
        err(format!(
            "Entity reference {} had missing or empty kind (e.g. did not start with \"component:\" or similar)",
            textual()
        ))
    })?;
    if namespace.is_empty() {
        return Err(err(format!(
            "Entity reference {} had missing or empty namespace",
            textual()
        )));
    }
    let name = name.filter(|n| !n.is_empty()).ok_or_else(|| {
        err(format!(
            "Entity reference {} had missing or empty name",
            textual()
        ))
    })?;
    Ok(map_value([
        ("kind", Value::from(kind)),
        ("namespace", Value::from(namespace)),
        ("name", Value::from(name)),
    ]))
}

/// lodash `stringToPath`: `a.b[0]["c"]` → `a`, `b`, `0`, `c`.
fn lodash_path(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    if path.starts_with('.') {
        out.push(String::new());
    }
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                let quote = match chars.peek() {
                    Some(q @ ('"' | '\'')) => {
                        let q = *q;
                        chars.next();
                        Some(q)
                    }
                    _ => None,
                };
                let mut key = String::new();
                while let Some(c) = chars.next() {
                    match (quote, c) {
                        (Some(q), c) if c == q && chars.peek() == Some(&']') => {
                            chars.next();
                            break;
                        }
                        (Some(_), '\\') => {
                            if let Some(n) = chars.next() {
                                key.push(n);
                            }
                        }
                        (None, ']') => break,
                        (_, c) => key.push(c),
                    }
                }
                out.push(key);
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `pick` = lodash `get(object, path)`.
pub(crate) fn pick(v: &Value, path: &Value) -> Value {
    let keys: Vec<String> = match path.kind() {
        ValueKind::Seq => path
            .try_iter()
            .map(|i| i.map(|k| js_string(&k)).collect())
            .unwrap_or_default(),
        ValueKind::String => {
            let s = path.as_str().unwrap_or_default();
            // lodash: a key that exists as-is wins over path parsing.
            if !v.get_attr(s).unwrap_or_default().is_undefined() {
                return v.get_attr(s).unwrap_or_default();
            }
            lodash_path(s)
        }
        _ => vec![js_string(path)],
    };
    let mut cur = v.clone();
    for k in keys {
        cur = match cur.kind() {
            ValueKind::Map => cur.get_attr(&k).unwrap_or_default(),
            ValueKind::Seq => match k.parse::<usize>() {
                Ok(i) => cur.get_item_by_index(i).unwrap_or_default(),
                Err(_) if k == "length" => Value::from(cur.len().unwrap_or(0)),
                Err(_) => Value::UNDEFINED,
            },
            ValueKind::String if k == "length" => {
                Value::from(cur.as_str().unwrap_or_default().encode_utf16().count())
            }
            _ => Value::UNDEFINED,
        };
        if cur.is_undefined() {
            break;
        }
    }
    cur
}
