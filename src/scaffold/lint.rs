//! `scaffold lint`: every `${{ }}` expression of a template and of the skeleton files its
//! fetch:template steps render, parsed (not run), with what would break or surprise.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::render::{self, LintKind, Syntax};
use super::template::Template;
use super::workspace;

pub use crate::diag::{Code, Severity};

mod undefined;

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A code of the one registry (diag.rs, docs/diagnostics.md).
    pub code: Code,
    pub message: String,
}

fn code(kind: LintKind) -> Code {
    match kind {
        LintKind::SyntaxError => Code::SyntaxError,
        LintKind::UnknownFilter => Code::UnknownFilter,
        LintKind::JsOperator => Code::JsOperator,
        LintKind::JsLength => Code::JsLength,
        LintKind::JsMethod => Code::JsMethod,
        LintKind::JsMethodUnsupported => Code::JsMethodUnsupported,
        LintKind::GithubExpression => Code::GithubExpression,
        LintKind::IgnoredArguments => Code::IgnoredArguments,
    }
}

/// Lints `source`; `place` turns a finding's line and column in `source` into the file's.
fn push_all(
    out: &mut Vec<Finding>,
    file: &Path,
    source: &str,
    syntax: Syntax,
    place: impl Fn(usize, usize) -> (usize, usize),
) {
    for f in render::lint(source, syntax) {
        let code = code(f.kind);
        let (line, column) = place(f.line, f.column);
        out.push(Finding {
            file: file.to_path_buf(),
            line,
            column,
            severity: code.default_severity(),
            code,
            message: f.message,
        });
    }
}

/// Where the character at 1-based `line`/`column` of the string at `pointer` is in
/// template.yaml; the value's own line when the source cannot be followed.
fn place_in_template(
    template: &Template,
    pointer: &str,
    value: &str,
    line: usize,
    column: usize,
) -> (usize, usize) {
    let index = value
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.chars().count())
        .sum::<usize>()
        + column.saturating_sub(1);
    template
        .document
        .root
        .pointer(pointer)
        .and_then(|node| crate::yaml::position::char_position(&template.source, node, value, index))
        .map_or_else(
            || {
                (
                    template.line_of(pointer) as usize + line.saturating_sub(1),
                    column,
                )
            },
            |pos| (pos.line as usize, pos.column as usize),
        )
}

/// Strings of template.yaml that Backstage templates, with their pointers.
fn templated_strings(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) if s.contains("${{") || s.contains("{%") => out.push((pointer, s.clone())),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                templated_strings(v, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                templated_strings(
                    v,
                    format!("{pointer}/{}", crate::yaml::escape_token(k)),
                    out,
                );
            }
        }
        _ => {}
    }
}

pub fn lint_template(template: &Template) -> Vec<Finding> {
    let mut out = Vec::new();
    let spec = template.entity.get("spec").cloned().unwrap_or(Value::Null);
    let mut strings = Vec::new();
    for key in ["steps", "output"] {
        if let Some(v) = spec.get(key) {
            templated_strings(v, format!("/spec/{key}"), &mut strings);
        }
    }
    for (i, page) in template.parameters.iter().enumerate() {
        if let Some(w) = page.get("when") {
            templated_strings(w, format!("/spec/parameters/{i}/when"), &mut strings);
        }
    }
    let parameters = undefined::parameter_names(template);
    let step_ids: Vec<String> = template.steps.iter().map(|s| s.id.clone()).collect();
    for (pointer, source) in strings {
        // A step reads the outputs of the steps before it; spec.output those of every step.
        let earlier = if let Some(rest) = pointer.strip_prefix("/spec/steps/") {
            let index = rest.split('/').next().and_then(|i| i.parse().ok());
            index.map(|i: usize| step_ids[..i.min(step_ids.len())].iter().cloned().collect())
        } else if pointer.starts_with("/spec/output") {
            Some(step_ids.iter().cloned().collect())
        } else {
            None
        };
        for u in undefined::undefined_reads(
            &source,
            Syntax::Backstage,
            &[("parameters", &parameters), ("steps", &earlier)],
        ) {
            let (line, column) = place_in_template(template, &pointer, &source, u.line, u.column);
            out.push(undefined_finding(&template.path, line, column, u.message));
        }
        let before = out.len();
        push_all(
            &mut out,
            &template.path,
            &source,
            Syntax::Backstage,
            |l, c| place_in_template(template, &pointer, &source, l, c),
        );
        // GitHub expressions in template.yaml are Backstage's own; only skeleton files matter.
        let mut i = before;
        while i < out.len() {
            if out[i].code == Code::GithubExpression {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
    let mut seen = std::collections::HashMap::new();
    for (index, step) in template.steps.iter().enumerate() {
        if let Some(first) = seen.insert(step.id.as_str(), index) {
            let span = template
                .document
                .root
                .locate(&format!("/spec/steps/{index}/id"));
            out.push(Finding {
                file: template.path.clone(),
                line: span.start.line as usize,
                column: span.start.column as usize,
                severity: Code::DuplicateStepId.default_severity(),
                code: Code::DuplicateStepId,
                message: format!(
                    "step id `{}` is used by step {} too: Backstage runs both, and `steps.{}.output` is this later step's; give each step its own id",
                    step.id,
                    first + 1,
                    step.id
                ),
            });
        }
    }
    for (index, step) in template.steps.iter().enumerate() {
        if step.action != "fetch:template" {
            continue;
        }
        if step.input.get("copyWithoutRender").is_some() {
            let input = format!("/spec/steps/{index}/input");
            let span = template
                .document
                .root
                .pointer(&input)
                .and_then(|node| node.key_span("copyWithoutRender"))
                .unwrap_or_else(|| template.document.root.locate(&input));
            out.push(Finding {
                file: template.path.clone(),
                line: span.start.line as usize,
                column: span.start.column as usize,
                severity: Code::CopyWithoutRender.default_severity(),
                code: Code::CopyWithoutRender,
                message: format!(
                    "step {}: `copyWithoutRender` was removed from Backstage and is ignored: the files it names are rendered; rename it to `copyWithoutTemplating`",
                    step.id
                ),
            });
        }
        let Some(url) = step.input.get("url").and_then(Value::as_str) else {
            continue;
        };
        if url.contains("${{") || url::Url::parse(url).is_ok() {
            continue;
        }
        // Refused as `scaffold run` refuses it: nothing outside the template is read.
        match super::actions::local_source(template.base_dir(), url) {
            Ok(dir) => lint_skeleton(&dir, &step.input, &mut out),
            Err(message) => out.push(Finding {
                file: template.path.clone(),
                line: template.line_of(&format!("/spec/steps/{index}/input/url")) as usize,
                column: 1,
                severity: Code::SkeletonOutsideTemplate.default_severity(),
                code: Code::SkeletonOutsideTemplate,
                message,
            }),
        }
    }
    out.sort_by(|a, b| {
        (a.file.as_path(), a.line, a.column).cmp(&(b.file.as_path(), b.line, b.column))
    });
    out
}

fn undefined_finding(file: &Path, line: usize, column: usize, message: String) -> Finding {
    Finding {
        file: file.to_path_buf(),
        line,
        column,
        severity: Code::UndefinedVariable.default_severity(),
        code: Code::UndefinedVariable,
        message,
    }
}

fn lint_skeleton(dir: &Path, input: &Value, out: &mut Vec<Finding>) {
    let Ok(tree) = workspace::snapshot(dir, &[]) else {
        return;
    };
    let cookiecutter = input.get("cookiecutterCompat").and_then(Value::as_bool) == Some(true);
    let syntax = if cookiecutter {
        Syntax::Cookiecutter
    } else {
        Syntax::Backstage
    };
    // The skeleton's context: the step's `values:` input, as `cookiecutter.x` in that mode.
    let root = if cookiecutter {
        "cookiecutter"
    } else {
        "values"
    };
    let values = undefined::input_value_names(input);
    let extension = match input.get("templateFileExtension") {
        Some(Value::Bool(true)) => Some(".njk".to_string()),
        Some(Value::String(s)) if !s.is_empty() => Some(if s.starts_with('.') {
            s.clone()
        } else {
            format!(".{s}")
        }),
        _ => None,
    };
    let patterns: Vec<&str> = match input.get("copyWithoutTemplating") {
        Some(Value::Array(patterns)) => patterns.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let raw = super::globby::RawCopy::new(patterns, |p| {
        matches!(tree.get(p), Some(workspace::Entry::Dir))
    });
    for (path, entry) in tree {
        let file = dir.join(&path);
        push_all(out, &file, &path, syntax, |l, c| (l, c));
        let workspace::Entry::File { bytes, .. } = entry else {
            continue;
        };
        let rendered = match &extension {
            Some(ext) => path.ends_with(ext.as_str()),
            None => !raw.is_raw(&path),
        };
        if !rendered || workspace::is_binary(&bytes) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        push_all(out, &file, &text, syntax, |l, c| (l, c));
        for u in undefined::undefined_reads(&text, syntax, &[(root, &values)]) {
            out.push(undefined_finding(&file, u.line, u.column, u.message));
        }
    }
}
