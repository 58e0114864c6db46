//! A small lexer over template source that finds the `${{ }}` / `{% %}` / `{# #}`
//! regions, so that nunjucks-only syntax can be rewritten for minijinja
//! (`===`, `!==`, `.length`) and so that `lint` and `render_value` can look at
//! the shape of a template without rendering it.

use super::Syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SegKind {
    Text,
    Var,
    Block,
    Comment,
}

/// One region of the source; `inner` excludes the delimiters.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub kind: SegKind,
    pub start: usize,
    pub end: usize,
    pub inner_start: usize,
    pub inner_end: usize,
    /// The closing delimiter was found.
    pub closed: bool,
}

pub(crate) fn var_start(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Backstage => "${{",
        Syntax::Cookiecutter => "{{",
    }
}

/// Scans code (inside a tag) for the end delimiter, skipping string literals.
fn find_code_end(src: &str, from: usize, end: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if bytes[i..].starts_with(end.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn tag_name(inner: &str) -> &str {
    let t = inner.trim_start_matches(['-', '+']).trim_start();
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    &t[..end]
}

/// Splits `src` into text / variable / block / comment segments.
pub(crate) fn segments(src: &str, syntax: Syntax) -> Vec<Segment> {
    let vs = var_start(syntax);
    let mut out = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    while pos < src.len() {
        let rest = &src[pos..];
        let next = [vs, "{%", "{#"]
            .iter()
            .filter_map(|d| rest.find(d).map(|i| (i, *d)))
            .min_by_key(|(i, d)| (*i, std::cmp::Reverse(d.len())));
        let Some((off, delim)) = next else { break };
        let start = pos + off;
        let inner_start = start + delim.len();
        let (kind, end_delim) = match delim {
            "{%" => (SegKind::Block, "%}"),
            "{#" => (SegKind::Comment, "#}"),
            _ => (SegKind::Var, "}}"),
        };
        let found = if kind == SegKind::Comment {
            src[inner_start..].find(end_delim).map(|i| inner_start + i)
        } else {
            find_code_end(src, inner_start, end_delim)
        };
        if start > text_start {
            out.push(Segment {
                kind: SegKind::Text,
                start: text_start,
                end: start,
                inner_start: text_start,
                inner_end: start,
                closed: true,
            });
        }
        let (inner_end, end, closed) = match found {
            Some(e) => (e, e + end_delim.len(), true),
            None => (src.len(), src.len(), false),
        };
        out.push(Segment {
            kind,
            start,
            end,
            inner_start,
            inner_end,
            closed,
        });
        pos = end;
        text_start = end;
        // raw / verbatim: everything up to the end tag is text.
        if kind == SegKind::Block && closed {
            let name = tag_name(&src[inner_start..inner_end]);
            if name == "raw" || name == "verbatim" {
                let end_name = format!("end{name}");
                let mut search = pos;
                while let Some(i) = src[search..].find("{%") {
                    let s = search + i;
                    let Some(e) = find_code_end(src, s + 2, "%}") else {
                        break;
                    };
                    if tag_name(&src[s + 2..e]) == end_name {
                        if s > pos {
                            out.push(Segment {
                                kind: SegKind::Text,
                                start: pos,
                                end: s,
                                inner_start: pos,
                                inner_end: s,
                                closed: true,
                            });
                        }
                        out.push(Segment {
                            kind: SegKind::Block,
                            start: s,
                            end: e + 2,
                            inner_start: s + 2,
                            inner_end: e,
                            closed: true,
                        });
                        pos = e + 2;
                        text_start = pos;
                        break;
                    }
                    search = e + 2;
                }
            }
        }
    }
    if text_start < src.len() {
        out.push(Segment {
            kind: SegKind::Text,
            start: text_start,
            end: src.len(),
            inner_start: text_start,
            inner_end: src.len(),
            closed: true,
        });
    }
    out
}

/// What a JS-ism found in code looks like (for lint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsIsm {
    StrictEq,
    Length,
}

/// Rewrites one code region: `===`→`==`, `!==`→`!=`, `.length` (not a call) →
/// `|length`. Returns the new code and the byte offsets (in the original code)
/// of the JS-isms found.
pub(crate) fn rewrite_code(code: &str) -> (String, Vec<(usize, JsIsm)>) {
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len());
    let mut found = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' | b'[' | b'(' => stack.push(b),
            b'}' | b']' | b')' => {
                stack.pop();
            }
            _ => {}
        }
        // nunjucks object literals: a bare key `{a: 1}` is the string "a".
        if (b.is_ascii_alphabetic() || b == b'_') && stack.last() == Some(&b'{') {
            let prev = code[..i].trim_end().as_bytes().last().copied();
            let mut e = i;
            while e < bytes.len() && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'_') {
                e += 1;
            }
            if matches!(prev, Some(b'{') | Some(b',')) && code[e..].trim_start().starts_with(':') {
                out.push('"');
                out.push_str(&code[i..e]);
                out.push('"');
                i = e;
                continue;
            }
        }
        if b == b'"' || b == b'\'' {
            let s = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(bytes.len());
            while !code.is_char_boundary(i) {
                i += 1;
            }
            let literal = &code[s..i];
            if literal.len() >= 2 && literal.ends_with(b as char) {
                out.push_str(&super::expr::string_literal(literal));
            } else {
                out.push_str(literal);
            }
            continue;
        }
        if code[i..].starts_with("===") || code[i..].starts_with("!==") {
            out.push_str(&code[i..i + 2]);
            found.push((i, JsIsm::StrictEq));
            i += 3;
            continue;
        }
        if code[i..].starts_with(".length") {
            let prev_ok = i > 0
                && (bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'_'
                    || bytes[i - 1] == b')'
                    || bytes[i - 1] == b']');
            let after = i + ".length".len();
            let next_ident = after < bytes.len()
                && (bytes[after].is_ascii_alphanumeric() || bytes[after] == b'_');
            let next_call = code[after..].trim_start().starts_with('(');
            if prev_ok && !next_ident && !next_call {
                out.push_str("|length");
                found.push((i, JsIsm::Length));
                i = after;
                continue;
            }
        }
        let ch = code[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    (out, found)
}

/// Rewrites every code region of `src` (see [`rewrite_code`]).
pub(crate) fn rewrite_source(src: &str, syntax: Syntax) -> String {
    let mut out = String::with_capacity(src.len());
    for seg in segments(src, syntax) {
        match seg.kind {
            SegKind::Var | SegKind::Block if seg.closed => {
                out.push_str(&src[seg.start..seg.inner_start]);
                let code = &src[seg.inner_start..seg.inner_end];
                let name = tag_name(code);
                if matches!(name, "raw" | "verbatim" | "endraw" | "endverbatim") {
                    out.push_str(code);
                } else if seg.kind == SegKind::Block {
                    out.push_str(&rewrite_block(code, name));
                } else {
                    out.push_str(&rewrite_var(code));
                }
                out.push_str(&src[seg.inner_end..seg.end]);
            }
            // nunjitsu applies trimBlocks / lstripBlocks to block tags only, not
            // to comments: a comment becomes an empty variable tag (same
            // whitespace control, same number of lines).
            SegKind::Comment if seg.closed => {
                let inner = &src[seg.inner_start..seg.inner_end];
                let open = if inner.starts_with('-') { "-" } else { "" };
                let close = if inner.len() > open.len() && inner.ends_with('-') {
                    "-"
                } else {
                    ""
                };
                out.push_str(var_start(syntax));
                out.push_str(open);
                out.push_str(" __nj_undefined ");
                out.push_str(&"\n".repeat(inner.matches('\n').count()));
                out.push_str(close);
                out.push_str("}}");
            }
            _ => out.push_str(&src[seg.start..seg.end]),
        }
    }
    out
}

/// Rewrites one expression (see [`super::expr`]), falling back to
/// [`rewrite_code`] when it does not parse. Keeps the number of newlines so
/// that later line numbers stay right.
pub(crate) fn rewrite_expr(code: &str) -> String {
    match super::expr::rewrite_expression(code) {
        Some(new) if nesting(&new) > super::MAX_EXPRESSION_DEPTH => {
            // Left-deep chains become nested helper calls; minijinja's parser recurses once
            // per call. The error is raised where the expression is evaluated, with its line.
            let newlines = code.matches('\n').count();
            format!(" __nj_too_deep(){} ", "\n".repeat(newlines))
        }
        Some(new) => {
            let lead = &code[..code.len() - code.trim_start().len()];
            let newlines = code
                .matches('\n')
                .count()
                .saturating_sub(lead.matches('\n').count());
            format!("{lead}{new}{} ", "\n".repeat(newlines))
        }
        None => rewrite_code(code).0,
    }
}

/// The deepest nesting of parentheses and brackets in rewritten code, outside string literals.
fn nesting(code: &str) -> usize {
    let (mut depth, mut deepest, mut quote, mut escaped) = (0usize, 0usize, None, false);
    for c in code.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    deepest
}

/// The inside of `${{ … }}`, with its whitespace-control markers kept.
fn rewrite_var(code: &str) -> String {
    let start = usize::from(code.starts_with(['-', '+']));
    let end = if code.len() > start && code.ends_with(['-', '+']) {
        code.len() - 1
    } else {
        code.len()
    };
    format!(
        "{}{}{}",
        &code[..start],
        rewrite_expr(&code[start..end]),
        &code[end..]
    )
}

/// Block tags whose semantics differ: `if`/`elif`/`elseif` test JavaScript
/// truthiness (`[]` and `{}` are true), `elseif` is `elif`, and
/// `for k, v in object` iterates the object's entries.
fn rewrite_block(code: &str, name: &str) -> String {
    let start = code.find(name).unwrap_or(0);
    let after = start + name.len();
    let body_end = code.trim_end().trim_end_matches(['-', '+']).len();
    if body_end < after {
        return rewrite_code(code).0;
    }
    let (head, body, tail) = (&code[..start], &code[after..body_end], &code[body_end..]);
    match name {
        "if" | "elif" | "elseif" if !body.trim().is_empty() => {
            let tag = if name == "elseif" { "elif" } else { name };
            format!(
                "{head}{tag} ({}) is __nj_truthy{tail}",
                rewrite_expr(body.trim()).trim_end()
            )
        }
        "for" => {
            let rewritten = rewrite_code(body).0;
            match body.find(" in ") {
                Some(p) => {
                    let iter = rewrite_expr(body[p + 4..].trim());
                    if body[..p].contains(',') {
                        format!(
                            "{head}for{} in ({}) | __nj_pairs{tail}",
                            &body[..p],
                            iter.trim_end()
                        )
                    } else {
                        format!("{head}for{} in {iter}{tail}", &body[..p])
                    }
                }
                None => format!("{head}for{rewritten}{tail}"),
            }
        }
        "set" => match body.find('=') {
            Some(p) if !body[p + 1..].starts_with('=') => format!(
                "{head}set{}={}{tail}",
                &body[..p],
                rewrite_expr(&body[p + 1..])
            ),
            _ => rewrite_code(code).0,
        },
        _ => rewrite_code(code).0,
    }
}

const BLOCK_OPENERS: &[&str] = &[
    "if",
    "for",
    "macro",
    "call",
    "filter",
    "raw",
    "verbatim",
    "block",
    "asyncEach",
    "asyncAll",
    "switch",
];

fn opens_block(code: &str) -> bool {
    let name = tag_name(code);
    if BLOCK_OPENERS.contains(&name) {
        return true;
    }
    // `{% set x %}…{% endset %}` (no `=`) is a block.
    name == "set" && !rewrite_code(code).0.contains('=')
}

/// The shape of a template's root, as nunjitsu's JSON coercion sees it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RootShape {
    /// Nothing, or several root nodes, or one text node: ordinary text.
    Text,
    /// Exactly one root node that is an expression output or a tag.
    Single,
}

pub(crate) fn root_shape(src: &str, syntax: Syntax) -> RootShape {
    let mut depth = 0usize;
    let mut roots = 0usize;
    let mut text_root = false;
    for seg in segments(src, syntax) {
        let code = &src[seg.inner_start..seg.inner_end];
        match seg.kind {
            SegKind::Comment => {}
            SegKind::Text => {
                if depth == 0 {
                    roots += 1;
                    text_root = true;
                }
            }
            SegKind::Var => {
                if depth == 0 {
                    roots += 1;
                }
            }
            SegKind::Block => {
                let name = tag_name(code);
                if name.starts_with("end") {
                    depth = depth.saturating_sub(1);
                } else if matches!(name, "else" | "elif" | "elseif") {
                } else {
                    if depth == 0 {
                        roots += 1;
                    }
                    if opens_block(code) {
                        depth += 1;
                    }
                }
            }
        }
    }
    if roots == 1 && !text_root {
        RootShape::Single
    } else {
        RootShape::Text
    }
}

/// The 1-based line and column of a byte offset.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
