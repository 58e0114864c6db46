//! The template engine of `callboard scaffold`: minijinja configured to render
//! Backstage Software Templates the way Backstage's engine (nunjitsu, a
//! nunjucks interpreter) does.
//!
//! - `${{ }}` variables, `{% %}` blocks and `{# #}` comments (or `{{ }}` in
//!   cookiecutter mode); a bare `{{ x }}` is text; trailing newline kept; no
//!   auto-escaping; undefined values chain and print empty; no loader.
//! - Values print like JavaScript (`true`, `1`, `a,b`, `[object Object]`).
//! - Expressions are parsed with nunjitsu's grammar and re-emitted for
//!   minijinja with explicit precedence (render/expr.rs): JavaScript `+`, `~`,
//!   arithmetic (`1/0` is `Infinity`), comparisons and truthiness go through
//!   helper functions; `.length` is the JS property; `l[-1]`, `True`, `None`
//!   are undefined. Comments become empty variable tags, because nunjitsu's
//!   trimBlocks/lstripBlocks do not apply to them.
//! - JS string/number/array methods from nunjitsu's allow-list work through the
//!   unknown-method callback; others fail like in nunjitsu.
//! - nunjucks built-in filters with nunjucks semantics, `dump` like
//!   `JSON.stringify`, and Backstage's `parseRepoUrl`, `parseEntityRef`, `pick`
//!   and `projectSlug`.

mod backstage;
mod expr;
mod filters;
mod format;
mod regexp;
mod rewrite;

use std::fmt;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

pub use rewrite_lint::{LintFinding, LintKind, VariableRead, lint, variable_reads};

// The bounds live on the ground floor, shared with scorecard expressions.
pub use crate::budget::{
    self as budget, FUEL_LIMIT, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_TOKENS, RECURSION_LIMIT,
};

/// Which delimiters and context conventions a template uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `${{ }}` variables, `{% %}` blocks, `{# #}` comments.
    Backstage,
    /// `{{ }}` variables (the caller puts values under `cookiecutter`), plus the
    /// `jsonify` filter (= `dump`) and Jinja-style record methods.
    Cookiecutter,
}

/// How a [`Renderer`] is configured.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub syntax: Syntax,
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    /// Seed of the deterministic `random` filter.
    pub seed: u64,
    /// SCM hosts `parseRepoUrl` and `projectSlug` know.
    pub integrations: super::repo_url::Integrations,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            syntax: Syntax::Backstage,
            trim_blocks: false,
            lstrip_blocks: false,
            seed: 0,
            integrations: super::repo_url::Integrations::default(),
        }
    }
}

/// A template error, with the 1-based line in the source when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
    pub line: Option<usize>,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    fn from_minijinja(err: &minijinja::Error) -> RenderError {
        let mut message = match err.detail() {
            Some(detail) => format!("{}: {detail}", err.kind()),
            None => err.kind().to_string(),
        };
        // Nested causes (e.g. a filter's own error) carry the useful text.
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        RenderError {
            message,
            line: err.line(),
        }
    }
}

/// Renders templates like Backstage's scaffolder.
pub struct Renderer {
    options: RenderOptions,
    /// Prints values like JS `String(v)`.
    env: Environment<'static>,
    /// Prints every expression output as `JSON.stringify(v)`: used for
    /// nunjitsu's `coercion: 'json'` (type-preserving step inputs).
    json_env: Environment<'static>,
}

impl Renderer {
    pub fn new(options: RenderOptions) -> Renderer {
        let mut env = make_env(options.clone());
        env.set_formatter(|out, _state, value| {
            let s = format::js_string(value);
            budget::charge(s.len())?;
            out.write_str(&s)
                .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
        });
        let mut json_env = make_env(options.clone());
        json_env.set_formatter(|out, _state, value| {
            let s = format::json_stringify(value, "").unwrap_or_default();
            budget::charge(s.len())?;
            out.write_str(&s)
                .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
        });
        Renderer {
            options,
            env,
            json_env,
        }
    }

    pub fn options(&self) -> &RenderOptions {
        &self.options
    }

    /// Render a whole template string (skeleton file contents, relative paths,
    /// mixed strings in step inputs).
    pub fn render_str(
        &self,
        source: &str,
        context: &serde_json::Value,
    ) -> Result<String, RenderError> {
        render_with(&self.env, source, self.options.syntax, context)
    }

    /// Evaluate the inside of a single `${{ … }}` and keep its type, like
    /// Backstage's `renderValue('${{ expr }}', …, {coercion:'json'})`:
    /// `Ok(None)` when the value is undefined (Backstage drops the key),
    /// `Ok(Some(Null))` for null.
    pub fn eval_expression(
        &self,
        expression: &str,
        context: &serde_json::Value,
    ) -> Result<Option<serde_json::Value>, RenderError> {
        let (start, end) = match self.options.syntax {
            Syntax::Backstage => ("${{", "}}"),
            Syntax::Cookiecutter => ("{{", "}}"),
        };
        self.render_value_str(&format!("{start}{expression}{end}"), context)
    }

    /// nunjitsu's `renderValue(source, context, {coercion: 'json'})` for one
    /// string: when the template's root is a single node that is not text (one
    /// `${{ }}`, or one `{% %}` block), every expression output is
    /// `JSON.stringify`ed and the result is `JSON.parse`d; if that fails, or
    /// for any other template, the ordinary rendering is returned as a string.
    /// Empty output is `None` (undefined), but `${{ "" }}` is `Some("")`.
    pub fn render_value_str(
        &self,
        source: &str,
        context: &serde_json::Value,
    ) -> Result<Option<serde_json::Value>, RenderError> {
        let syntax = self.options.syntax;
        if rewrite::root_shape(source, syntax) == rewrite::RootShape::Single {
            let encoded = render_with(&self.json_env, source, syntax, context)?;
            if encoded.is_empty() {
                return Ok(None);
            }
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&encoded) {
                return Ok(Some(v));
            }
        }
        let normal = self.render_str(source, context)?;
        Ok(if normal.is_empty() {
            None
        } else {
            Some(serde_json::Value::String(normal))
        })
    }

    /// Template a step input / `if` / `each` / `spec.output` value recursively
    /// like Backstage's `renderValue(…, {coercion:'json'})` applied to every
    /// string leaf: single-node templates keep their type, other strings render
    /// to strings; a leaf that is undefined or renders to `""` drops its key
    /// (`None` at the top level, `null` inside arrays, where JS leaves a hole).
    /// The first error is returned; see [`Renderer::render_value_lenient`] for
    /// Backstage's error swallowing.
    pub fn render_value(
        &self,
        value: &serde_json::Value,
        context: &serde_json::Value,
    ) -> Result<Option<serde_json::Value>, RenderError> {
        let mut errors = Vec::new();
        let out = self.render_value_inner(value, context, &mut errors, true);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// Exactly what Backstage's `NunjucksWorkflowRunner.render` does: a string
    /// leaf whose templating throws keeps its raw text, and the run goes on.
    /// Returns the rendered value and the swallowed errors.
    pub fn render_value_lenient(
        &self,
        value: &serde_json::Value,
        context: &serde_json::Value,
    ) -> (Option<serde_json::Value>, Vec<RenderError>) {
        let mut errors = Vec::new();
        let out = self.render_value_inner(value, context, &mut errors, false);
        (out, errors)
    }

    fn render_value_inner(
        &self,
        value: &serde_json::Value,
        context: &serde_json::Value,
        errors: &mut Vec<RenderError>,
        stop_on_error: bool,
    ) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        if stop_on_error && !errors.is_empty() {
            return None;
        }
        match value {
            J::String(s) => match self.render_value_str(s, context) {
                Ok(v) => v,
                Err(e) => {
                    errors.push(e);
                    Some(value.clone())
                }
            },
            J::Array(items) => Some(J::Array(
                items
                    .iter()
                    .map(|i| {
                        self.render_value_inner(i, context, errors, stop_on_error)
                            .unwrap_or(J::Null)
                    })
                    .collect(),
            )),
            J::Object(map) => {
                let mut out = serde_json::Map::new();
                for (k, v) in map {
                    if let Some(v) = self.render_value_inner(v, context, errors, stop_on_error) {
                        out.insert(k.clone(), v);
                    }
                }
                Some(J::Object(out))
            }
            other => Some(other.clone()),
        }
    }
}

fn make_env(options: RenderOptions) -> Environment<'static> {
    let mut env = budget::bounded_environment(FUEL_LIMIT);
    let (vs, ve) = match options.syntax {
        Syntax::Backstage => ("${{", "}}"),
        Syntax::Cookiecutter => ("{{", "}}"),
    };
    let syntax = SyntaxConfig::builder()
        .variable_delimiters(vs, ve)
        .block_delimiters("{%", "%}")
        .comment_delimiters("{#", "#}")
        .trim_blocks(options.trim_blocks)
        .lstrip_blocks(options.lstrip_blocks)
        .keep_trailing_newline(true)
        .build()
        .expect("static syntax config is valid");
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    // Backstage's runner defines these for step `if`s. A callboard run stops at the first
    // failure (and writes nothing), so `failure()` is always false while steps run.
    env.add_function("always", || true);
    env.add_function("failure", || false);
    filters::register(&mut env, &options);
    env
}

fn render_with(
    env: &Environment<'static>,
    source: &str,
    syntax: Syntax,
    context: &serde_json::Value,
) -> Result<String, RenderError> {
    check_expression_sizes(source, syntax)?;
    let rewritten = rewrite::rewrite_source(source, syntax);
    render_bounded(env, &rewritten, Value::from_serialize_json(context))
}

/// Renders `source` as is (no rewriting) within the output bound of one render; for other
/// template environments (the `scaffold batch --output-dir` pattern).
pub fn render_bounded(
    env: &Environment<'_>,
    source: &str,
    ctx: Value,
) -> Result<String, RenderError> {
    let template = env
        .template_from_str(source)
        .map_err(|e| RenderError::from_minijinja(&e))?;
    budget::reset();
    let mut out = budget::BoundedOutput::default();
    let rendered = template.render_captured_to(ctx, &mut out);
    if out.overflowed {
        return Err(RenderError {
            message: format!(
                "the rendered output is larger than the {}-byte limit for one render",
                budget::MAX_OUTPUT_BYTES
            ),
            line: None,
        });
    }
    rendered.map_err(|e| RenderError::from_minijinja(&e))?;
    // minijinja writes only `str` pieces, so the bytes are UTF-8.
    Ok(String::from_utf8(out.bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Refuses a template with an expression over [`MAX_EXPRESSION_TOKENS`], before it is parsed.
fn check_expression_sizes(source: &str, syntax: Syntax) -> Result<(), RenderError> {
    for seg in rewrite::segments(source, syntax) {
        if !matches!(seg.kind, rewrite::SegKind::Var | rewrite::SegKind::Block) {
            continue;
        }
        let inner = &source[seg.inner_start..seg.inner_end];
        if let Err(too_long) = budget::check_expression_tokens(inner) {
            return Err(RenderError {
                message: format!("{too_long}; split it with `{{% set %}}`"),
                line: Some(source[..seg.start].matches('\n').count() + 1),
            });
        }
    }
    Ok(())
}

/// Converts JSON to a template value.
trait FromJson {
    fn from_serialize_json(v: &serde_json::Value) -> Value;
}

impl FromJson for Value {
    fn from_serialize_json(v: &serde_json::Value) -> Value {
        Value::from(minijinja::value::Serde(v))
    }
}

/// Backstage's former `isSingleTemplateString`: the inner expression when `s`
/// is exactly one `${{ … }}` with nothing around it. (nunjitsu decides by the
/// parsed shape: leading or trailing whitespace makes the value a string.)
pub fn single_expression(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("${{")?.strip_suffix("}}")?;
    let segs = rewrite::segments(s, Syntax::Backstage);
    match segs.as_slice() {
        [seg] if seg.kind == rewrite::SegKind::Var && seg.closed && seg.end == s.len() => {
            Some(inner)
        }
        _ => None,
    }
}

/// Backstage's `isTruthy`: arrays are truthy when non-empty, everything else as
/// JavaScript's `!!value` (objects, even empty, are truthy; `"false"` is truthy).
pub fn is_truthy(v: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match v {
        J::Null => false,
        J::Bool(b) => *b,
        J::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        J::String(s) => !s.is_empty(),
        J::Array(a) => !a.is_empty(),
        J::Object(_) => true,
    }
}

mod rewrite_lint;

#[cfg(test)]
mod tests;
