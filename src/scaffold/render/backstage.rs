//! Backstage's default template filters, ported from
//! `@backstage/plugin-scaffolder-backend` (`lib/templating/filters`),
//! `@backstage/plugin-scaffolder-node` (`parseRepoUrl`) and
//! `@backstage/catalog-model` (`parseEntityRef`).

use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, Error};

use super::filters::err;
use super::format::{js_string, json_stringify, map_value};

/// The SCM integration type Backstage finds for a host with no
/// `integrations` configuration (`ScmIntegrations.fromConfig` defaults).
pub fn default_integration_type(host: &str) -> Option<&'static str> {
    match host {
        "github.com" => Some("github"),
        "gitlab.com" => Some("gitlab"),
        "bitbucket.org" => Some("bitbucketCloud"),
        "dev.azure.com" => Some("azure"),
        _ => None,
    }
}

pub(crate) fn register(env: &mut Environment<'static>) {
    env.add_filter("parseRepoUrl", |v: Value| parse_repo_url(&v));
    env.add_filter("projectSlug", |v: Value| -> Result<Value, Error> {
        let spec = parse_repo_url(&v)?;
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

/// `parseRepoUrl(repoUrl, integrations)` from scaffolder-node.
pub(crate) fn parse_repo_url(v: &Value) -> Result<Value, Error> {
    let repo_url = js_string(v);
    let raw = if v.is_undefined() {
        "undefined".to_string()
    } else {
        repo_url
    };
    let parsed = url::Url::parse(&format!("https://{raw}")).map_err(|e| {
        err(format!(
            "Invalid repo URL passed to publisher, got {raw}, TypeError: Invalid URL ({e})"
        ))
    })?;
    let host = match (parsed.host_str(), parsed.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => String::new(),
    };
    let Some(kind) = default_integration_type(&host) else {
        return Err(err(format!(
            "No matching integration configuration for host {host}, please check your integrations config"
        )));
    };
    let param = |name: &str| -> Option<String> {
        parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim_matches('/').to_string())
    };
    let non_empty = |name: &str| {
        parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .is_some_and(|(_, v)| !v.is_empty())
    };
    let check = |names: &[&str]| -> Result<(), Error> {
        for name in names {
            if !non_empty(name) {
                return Err(err(format!(
                    "Invalid repo URL passed to publisher: {parsed}, missing {name}"
                )));
            }
        }
        Ok(())
    };
    match kind {
        "bitbucketCloud" => check(&["workspace", "project", "repo"])?,
        "bitbucketServer" | "azure" => check(&["project", "repo"])?,
        "gitlab" => {
            if param("project").is_none_or(|p| p.is_empty()) {
                check(&["owner", "repo"])?;
            }
        }
        "gitea" | "gerrit" => check(&["repo"])?,
        _ => check(&["repo", "owner"])?,
    }
    let mut out: Vec<(&str, Value)> = vec![("host", Value::from(host))];
    for key in ["owner", "repo", "organization", "workspace", "project"] {
        if let Some(p) = param(key) {
            out.push((key, Value::from(p)));
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
