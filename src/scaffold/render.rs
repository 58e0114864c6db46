//! Temporary minimal template engine (replaced by the full nunjucks-compatible engine).
use minijinja::{Environment, UndefinedBehavior, syntax::SyntaxConfig};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Backstage,
    Cookiecutter,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub syntax: Syntax,
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub seed: u64,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            syntax: Syntax::Backstage,
            trim_blocks: false,
            lstrip_blocks: false,
            seed: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RenderError {
    pub message: String,
    pub line: Option<usize>,
}
impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}
impl std::error::Error for RenderError {}

fn err(e: minijinja::Error) -> RenderError {
    RenderError {
        message: e.to_string(),
        line: e.line(),
    }
}

pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub fn new(options: RenderOptions) -> Renderer {
        let mut env = Environment::new();
        let mut b = SyntaxConfig::builder();
        if options.syntax == Syntax::Backstage {
            b.variable_delimiters("${{", "}}");
        }
        b.keep_trailing_newline(true)
            .trim_blocks(options.trim_blocks)
            .lstrip_blocks(options.lstrip_blocks);
        env.set_syntax(b.build().expect("valid syntax"));
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.add_filter("dump", |v: minijinja::Value| {
            serde_json::to_string(&v).unwrap_or_default()
        });
        Renderer { env }
    }

    pub fn render_str(&self, source: &str, context: &Value) -> Result<String, RenderError> {
        self.env
            .render_str(
                source,
                minijinja::Value::from(minijinja::value::Serde(context)),
            )
            .map_err(err)
    }

    pub fn eval_expression(
        &self,
        expression: &str,
        context: &Value,
    ) -> Result<Option<Value>, RenderError> {
        let expr = self.env.compile_expression(expression).map_err(err)?;
        let v = expr
            .eval(minijinja::Value::from(minijinja::value::Serde(context)))
            .map_err(err)?;
        if v.is_undefined() {
            return Ok(None);
        }
        Ok(Some(serde_json::to_value(&v).map_err(|e| RenderError {
            message: e.to_string(),
            line: None,
        })?))
    }

    pub fn render_value(
        &self,
        value: &Value,
        context: &Value,
    ) -> Result<Option<Value>, RenderError> {
        match value {
            Value::String(s) => {
                if let Some(inner) = single_expression(s) {
                    return self.eval_expression(inner, context);
                }
                let out = self.render_str(s, context)?;
                Ok(if out.is_empty() {
                    None
                } else {
                    Some(Value::String(out))
                })
            }
            Value::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.render_value(i, context)?.unwrap_or(Value::Null));
                }
                Ok(Some(Value::Array(out)))
            }
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (k, v) in map {
                    if let Some(v) = self.render_value(v, context)? {
                        out.insert(k.clone(), v);
                    }
                }
                Ok(Some(Value::Object(out)))
            }
            other => Ok(Some(other.clone())),
        }
    }
}

pub fn single_expression(s: &str) -> Option<&str> {
    let t = s.trim();
    let inner = t.strip_prefix("${{")?.strip_suffix("}}")?;
    if inner.contains("${{") || inner.contains("}}") {
        return None;
    }
    Some(inner.trim())
}

pub fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintKind {
    SyntaxError,
    UnknownFilter,
    JsOperator,
    JsLength,
    JsMethod,
    GithubExpression,
    ObjectToString,
}

#[derive(Debug, Clone)]
pub struct LintFinding {
    pub line: usize,
    pub column: usize,
    pub kind: LintKind,
    pub message: String,
}

pub fn lint(source: &str, syntax: Syntax) -> Vec<LintFinding> {
    let r = Renderer::new(RenderOptions {
        syntax,
        ..Default::default()
    });
    match r.env.template_from_str(source) {
        Ok(_) => vec![],
        Err(e) => vec![LintFinding {
            line: e.line().unwrap_or(1),
            column: 1,
            kind: LintKind::SyntaxError,
            message: e.to_string(),
        }],
    }
}
