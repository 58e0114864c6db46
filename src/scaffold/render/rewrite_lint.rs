//! `scaffold lint`: static checks of a template source.

use super::Syntax;
use super::filters::{BACKSTAGE_FILTERS, NUNJUCKS_FILTERS};
use super::rewrite::{self, JsIsm, SegKind};

/// What kind of problem a [`LintFinding`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintKind {
    /// The template does not parse.
    SyntaxError,
    /// A filter that neither nunjucks nor Backstage provides.
    UnknownFilter,
    /// `===` / `!==`: JavaScript operators nunjucks (and callboard) accept, Jinja does not.
    JsOperator,
    /// `.length`: the JavaScript property; `| length` is portable.
    JsLength,
    /// A JavaScript method call on nunjitsu's allow-list (`.toUpperCase()`…): works.
    JsMethod,
    /// A JavaScript method call outside nunjitsu's allow-list (`.replaceAll()`…): always fails.
    JsMethodUnsupported,
    /// `${{ github.* }}`, `${{ secrets.* }}`… of GitHub Actions in a rendered file.
    GithubExpression,
    /// Arguments nunjucks ignores (`selectattr("team", "equalto", "core")` keeps every item
    /// whose `team` is truthy).
    IgnoredArguments,
}

/// One problem found by [`lint`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFinding {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub kind: LintKind,
    pub message: String,
}

/// Methods nunjitsu allows on strings, numbers and arrays.
const JS_ALLOWED_METHODS: &[&str] = &[
    "charAt",
    "charCodeAt",
    "concat",
    "endsWith",
    "includes",
    "indexOf",
    "lastIndexOf",
    "replace",
    "slice",
    "split",
    "startsWith",
    "substring",
    "toLowerCase",
    "toUpperCase",
    "trim",
    "trimEnd",
    "trimStart",
    "toExponential",
    "toFixed",
    "toPrecision",
    "toString",
    "at",
    "flat",
    "join",
];

/// JavaScript methods that nunjucks ran but nunjitsu rejects.
const JS_REJECTED_METHODS: &[&str] = &[
    "padStart",
    "padEnd",
    "replaceAll",
    "match",
    "matchAll",
    "search",
    "repeat",
    "normalize",
    "localeCompare",
    "toLocaleUpperCase",
    "toLocaleLowerCase",
    "codePointAt",
    "map",
    "filter",
    "find",
    "findIndex",
    "some",
    "every",
    "reduce",
    "keys",
    "values",
    "entries",
    "constructor",
];

const GITHUB_CONTEXTS: &[&str] = &[
    "github", "secrets", "matrix", "env", "needs", "runner", "inputs", "vars", "job", "strategy",
];

/// Parses (does not render) `source` and reports problems.
pub fn lint(source: &str, syntax: Syntax) -> Vec<LintFinding> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<LintFinding>, offset: usize, kind: LintKind, message: String| {
        let (line, column) = rewrite::line_col(source, offset);
        out.push(LintFinding {
            line,
            column,
            kind,
            message,
        });
    };
    for seg in rewrite::segments(source, syntax) {
        if !matches!(seg.kind, SegKind::Var | SegKind::Block) {
            continue;
        }
        let code = &source[seg.inner_start..seg.inner_end];
        if seg.kind == SegKind::Var && syntax == Syntax::Backstage {
            let t = code.trim_start_matches(['-', '+']).trim_start();
            let head = t
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            if GITHUB_CONTEXTS.contains(&head) && t[head.len()..].starts_with(['.', '[']) {
                push(
                    &mut out,
                    seg.start,
                    LintKind::GithubExpression,
                    format!(
                        "`${{{{ {} }}}}` looks like a GitHub Actions expression; Backstage renders it (usually to an empty string). Exclude the file with copyWithoutTemplating or escape it as ${{{{ '${{{{' }}}}",
                        t.trim_end_matches(['-', '+']).trim_end()
                    ),
                );
                continue;
            }
        }
        for (off, pattern, flags) in super::expr::regex_literals(code) {
            if let Some(problem) = super::regexp::literal_problem(pattern, flags) {
                push(
                    &mut out,
                    seg.inner_start + off,
                    LintKind::SyntaxError,
                    format!("regular expression `r/{pattern}/{flags}`: {problem}"),
                );
            }
        }
        let (_, isms) = rewrite::rewrite_code(code);
        for (off, ism) in isms {
            match ism {
                JsIsm::StrictEq => push(
                    &mut out,
                    seg.inner_start + off,
                    LintKind::JsOperator,
                    "JavaScript strict comparison (`===`/`!==`): Backstage and callboard accept it, Jinja does not".into(),
                ),
                JsIsm::Length => push(
                    &mut out,
                    seg.inner_start + off,
                    LintKind::JsLength,
                    "JavaScript `.length`: works in Backstage; `| length` is portable".into(),
                ),
            }
        }
        for (off, tok) in code_tokens(code) {
            if let Some(name) = tok.strip_prefix('|') {
                if matches!(name, "selectattr" | "rejectattr") && call_arguments(code, off) > 1 {
                    push(
                        &mut out,
                        seg.inner_start + off,
                        LintKind::IgnoredArguments,
                        format!(
                            "`{name}` with a test: nunjucks ignores the test and its arguments and keeps items whose attribute is truthy"
                        ),
                    );
                }
                let known = NUNJUCKS_FILTERS.contains(&name)
                    || BACKSTAGE_FILTERS.contains(&name)
                    || (syntax == Syntax::Cookiecutter && name == "jsonify");
                if !known {
                    push(
                        &mut out,
                        seg.inner_start + off,
                        LintKind::UnknownFilter,
                        format!(
                            "unknown filter `{name}` (not a nunjucks or Backstage default filter)"
                        ),
                    );
                }
            } else if let Some(name) = tok.strip_prefix('.') {
                if JS_REJECTED_METHODS.contains(&name) {
                    push(
                        &mut out,
                        seg.inner_start + off,
                        LintKind::JsMethodUnsupported,
                        format!(
                            "JavaScript method `.{name}()` is not allowed by Backstage's template engine (nunjitsu): it always fails (in a step input Backstage keeps the raw `${{{{ }}}}` text){}",
                            unsupported_method_advice(name)
                        ),
                    );
                } else if JS_ALLOWED_METHODS.contains(&name) {
                    push(
                        &mut out,
                        seg.inner_start + off,
                        LintKind::JsMethod,
                        allowed_method_advice(name),
                    );
                }
            }
        }
    }
    // Syntax: let minijinja parse the rewritten source.
    let renderer = super::Renderer::new(super::RenderOptions {
        syntax,
        ..Default::default()
    });
    let rewritten = rewrite::rewrite_source(source, syntax);
    if let Err(e) = renderer.env.template_from_str(&rewritten) {
        let line = e.line().unwrap_or(1);
        out.push(LintFinding {
            line,
            column: 1,
            kind: LintKind::SyntaxError,
            message: e.detail().unwrap_or("syntax error").to_string(),
        });
    }
    out.sort_by_key(|f| (f.line, f.column));
    out
}

/// The nunjucks spelling of an allowed JavaScript method, when nunjucks has one.
fn nunjucks_equivalent(method: &str) -> Option<&'static str> {
    Some(match method {
        "toUpperCase" => "the `| upper` filter",
        "toLowerCase" => "the `| lower` filter",
        "trim" => "the `| trim` filter",
        // nunjucks' filter replaces every occurrence, the method only the first.
        "replace" => "the `| replace(a, b)` filter (which replaces every occurrence)",
        "join" => "the `| join(sep)` filter",
        "toString" => "the `| string` filter",
        "includes" => "the `in` operator (`'x' in list`)",
        _ => return None,
    })
}

fn allowed_method_advice(name: &str) -> String {
    match nunjucks_equivalent(name) {
        Some(spelling) => {
            format!(
                "JavaScript method `.{name}()`: works in Backstage; {spelling} is the portable spelling"
            )
        }
        // `.split()` and the like: no nunjucks filter does the same, so there is nothing to
        // switch to; say so rather than send the author looking for one.
        None => format!(
            "JavaScript method `.{name}()`: works in Backstage (nunjitsu allows it); nunjucks has no filter for it, so other nunjucks/Jinja engines reject it"
        ),
    }
}

/// What to write instead of a method nunjitsu rejects.
fn unsupported_method_advice(name: &str) -> &'static str {
    match name {
        "replaceAll" => "; use the `| replace(a, b)` filter, which replaces every occurrence",
        "filter" => "; use the `| selectattr`, `| rejectattr`, `| select` or `| reject` filters",
        "keys" | "values" | "entries" => "; use `{% for key, value in object %}`",
        _ => "",
    }
}

/// Filter applications (`|name`) and method calls (`.name(`) in code, with
/// offsets; string literals skipped.
/// How many arguments the call right after `at` (a filter name) has: 0 without parentheses.
fn call_arguments(code: &str, at: usize) -> usize {
    let b = code.as_bytes();
    let mut i = at;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if b.get(i) != Some(&b'(') {
        return 0;
    }
    let (mut depth, mut count, mut any) = (0usize, 1usize, false);
    let mut quote = None;
    for &c in &b[i..] {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => {
                quote = Some(c);
                any = true;
            }
            (None, b'(' | b'[' | b'{') => depth += 1,
            (None, b')' | b']' | b'}') => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            (None, b',') if depth == 1 => count += 1,
            (None, c) if !c.is_ascii_whitespace() => any = true,
            _ => {}
        }
    }
    if any { count } else { 0 }
}

fn code_tokens(code: &str) -> Vec<(usize, String)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let ident = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let s = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        (s, j)
    };
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'|' if b.get(i + 1) != Some(&b'|') => {
                let (s, e) = ident(i + 1);
                if e > s {
                    out.push((s, format!("|{}", &code[s..e])));
                }
                i = e.max(i + 1);
            }
            b'.' if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b"_)]".contains(&b[i - 1])) => {
                let (s, e) = ident(i + 1);
                let rest = code[e..].trim_start();
                if e > s && rest.starts_with('(') {
                    out.push((s, format!(".{}", &code[s..e])));
                }
                i = e.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// A read of `root.name` (or `root['name']`) in an expression, for the undefined-variable check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRead {
    /// 1-based, of `root`.
    pub line: usize,
    /// 1-based, in characters, of `root`.
    pub column: usize,
    pub root: String,
    pub name: String,
}

/// Every `root.name` read of one of `roots` in the expressions and tags of `source`. A root the
/// template binds itself (`{% set values = … %}`, `{% for steps in … %}`) is not a read of the
/// context, so no read of it is returned.
pub fn variable_reads(source: &str, syntax: Syntax, roots: &[&str]) -> Vec<VariableRead> {
    let segs: Vec<_> = rewrite::segments(source, syntax)
        .into_iter()
        .filter(|s| matches!(s.kind, SegKind::Var | SegKind::Block))
        .collect();
    let bound = |root: &str| {
        segs.iter().any(|s| {
            let code = source[s.inner_start..s.inner_end].trim_matches(['-', '+', ' ']);
            let head = code.split(['=', '%']).next().unwrap_or("");
            let head = head.split(" in ").next().unwrap_or("");
            ["set ", "for ", "macro "]
                .iter()
                .any(|k| code.starts_with(k))
                && identifiers(head).iter().any(|(_, id)| *id == root)
        })
    };
    let roots: Vec<&str> = roots.iter().copied().filter(|r| !bound(r)).collect();
    let mut out = Vec::new();
    for seg in &segs {
        let code = &source[seg.inner_start..seg.inner_end];
        for (at, id) in identifiers(code) {
            if !roots.contains(&id) || code[..at].trim_end().ends_with('.') {
                continue;
            }
            let Some(name) = member(&code[at + id.len()..]) else {
                continue;
            };
            let (line, column) = rewrite::line_col(source, seg.inner_start + at);
            out.push(VariableRead {
                line,
                column,
                root: id.to_string(),
                name,
            });
        }
    }
    out
}

/// Identifiers of `code` outside string literals, with their offsets.
fn identifiers(code: &str) -> Vec<(usize, &str)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                out.push((s, &code[s..i]));
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The member right after a root: `.name` or `['name']`; `None` for anything computed.
fn member(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    if let Some(after) = rest.strip_prefix('.') {
        let after = after.trim_start();
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(after.len());
        return (end > 0).then(|| after[..end].to_string());
    }
    let inner = rest.strip_prefix('[')?.trim_start();
    let quote = inner.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &inner[1..];
    let end = body.find(quote)?;
    let name = &body[..end];
    (!name.contains('\\') && body[end + 1..].trim_start().starts_with(']'))
        .then(|| name.to_string())
}
