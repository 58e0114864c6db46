//! Runs a template's steps in a workspace as Backstage's `NunjucksWorkflowRunner` does: `if`,
//! `each`, templated inputs with type preservation, step outputs, then `spec.output`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::actions::{self, ActionContext, FileEvent, Support};
use super::remote::Effect;
use super::render::{RenderOptions, Renderer, is_truthy};
use super::repo_url::Integrations;
use super::template::Template;

/// Everything a run needs besides the template.
pub struct RunSettings<'a> {
    /// Parameters after defaults, values, `--set` and page `when` filtering.
    pub parameters: Value,
    pub secrets: Map<String, Value>,
    /// `{ref, entity}` of the user running the template, when known.
    pub user: Option<Value>,
    pub task_id: String,
    pub workspace: &'a Path,
    pub url_map: &'a [(String, PathBuf)],
    pub integrations: &'a Integrations,
    pub seed: u64,
    pub dry_run: bool,
    /// Run templates with actions callboard cannot run offline, skipping those steps.
    pub skip_unsupported: bool,
    /// Backstage's behaviour: a templating error in a step input keeps the raw `${{ }}` text
    /// and the run goes on. callboard's default is to fail the step.
    pub keep_template_errors: bool,
    /// Writes callboard's record into a repository directory right before it is committed.
    pub record: Option<actions::RecordWriter<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Ran (locally, or emulated for a remote action).
    Completed,
    /// Its `if` was false.
    Skipped,
    /// Not available offline and skipped with `--skip-unsupported`; outputs are empty.
    Unsupported,
    Failed,
    /// Not run because an earlier step failed.
    NotRun,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    pub id: String,
    pub name: String,
    pub action: String,
    pub support: Support,
    pub status: StepStatus,
    /// The rendered input of each iteration, secrets replaced by `***`.
    pub inputs: Vec<Value>,
    pub output: Value,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepFailure {
    pub step: String,
    /// The line of the step (or of `spec.output`) in template.yaml.
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub steps: Vec<StepReport>,
    /// `spec.output`, rendered, with `if` items filtered.
    pub output: Value,
    pub log: Vec<String>,
    pub events: Vec<FileEvent>,
    pub warnings: Vec<String>,
    pub effects: Vec<Effect>,
    pub error: Option<StepFailure>,
}

/// Steps whose action cannot run offline.
pub fn unsupported_steps(template: &Template) -> Vec<(String, String)> {
    template
        .steps
        .iter()
        .filter(|s| actions::support(&s.action) == Support::Unsupported)
        .map(|s| (s.id.clone(), s.action.clone()))
        .collect()
}

struct Templating<'a> {
    renderer: Renderer,
    keep_errors: bool,
    warnings: &'a mut Vec<String>,
}

impl Templating<'_> {
    /// Backstage's `render`: every string anywhere in the value is templated on its own; a
    /// result that is undefined or empty removes the key.
    fn render(
        &mut self,
        value: &Value,
        context: &Value,
        at: &str,
    ) -> Result<Option<Value>, String> {
        match value {
            Value::String(s) => match self.renderer.render_value(value, context) {
                Ok(v) => Ok(v),
                Err(e) if self.keep_errors => {
                    self.warnings.push(format!(
                        "{at}: templating `{s}` failed ({}); kept the text as Backstage does",
                        e.message
                    ));
                    Ok(Some(value.clone()))
                }
                Err(e) => Err(format!("{at}: cannot render `{s}`: {}", e.message)),
            },
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(
                        self.render(item, context, &format!("{at}[{i}]"))?
                            .unwrap_or(Value::Null),
                    );
                }
                Ok(Some(Value::Array(out)))
            }
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    if let Some(v) = self.render(v, context, &format!("{at}.{k}"))? {
                        out.insert(k.clone(), v);
                    }
                }
                Ok(Some(Value::Object(out)))
            }
            other => Ok(Some(other.clone())),
        }
    }
}

/// Replaces every secret value in `value` with `***`.
fn redact(value: &Value, secrets: &[String]) -> Value {
    match value {
        Value::String(s)
            if secrets
                .iter()
                .any(|x| !x.is_empty() && s.contains(x.as_str())) =>
        {
            let mut out = s.clone();
            for x in secrets.iter().filter(|x| !x.is_empty()) {
                out = out.replace(x.as_str(), "***");
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| redact(v, secrets)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), redact(v, secrets)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub fn run(template: &Template, settings: &RunSettings<'_>) -> RunReport {
    let mut report = RunReport::default();
    let secret_texts: Vec<String> = settings
        .secrets
        .values()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
        .collect();
    let mut warnings = Vec::new();
    let mut templating = Templating {
        renderer: Renderer::new(RenderOptions {
            seed: settings.seed,
            integrations: settings.integrations.clone(),
            ..RenderOptions::default()
        }),
        keep_errors: settings.keep_template_errors,
        warnings: &mut warnings,
    };
    let mut context = json!({
        "parameters": settings.parameters,
        "environment": {"parameters": {}, "secrets": {}},
        "steps": {},
        "context": {"task": {"id": settings.task_id}},
    });
    if let Some(user) = &settings.user {
        context["user"] = user.clone();
    }
    let template_ref = template.reference();
    let mut failed = false;
    for step in &template.steps {
        let support = actions::support(&step.action);
        let mut step_report = StepReport {
            id: step.id.clone(),
            name: step.name.clone(),
            action: step.action.clone(),
            support,
            status: StepStatus::NotRun,
            inputs: Vec::new(),
            output: json!({}),
        };
        if failed {
            report.steps.push(step_report);
            continue;
        }
        // `if: false`, or a templated string that is falsy (without `each`), skips the step.
        let skip = match (&step.condition, &step.each) {
            (Some(Value::Bool(false)), _) => true,
            (Some(c @ Value::String(_)), None) => {
                match templating.render(c, &context, &format!("step {} `if`", step.id)) {
                    Ok(v) => !v.as_ref().is_some_and(is_truthy),
                    Err(e) => {
                        fail(&mut report, &mut step_report, step.line, e);
                        failed = true;
                        report.steps.push(step_report);
                        continue;
                    }
                }
            }
            _ => false,
        };
        if skip {
            step_report.status = StepStatus::Skipped;
            report.steps.push(step_report);
            continue;
        }
        let mut input_context = context.clone();
        input_context["secrets"] = Value::Object(settings.secrets.clone());
        if support == Support::Unsupported {
            // Backstage evaluates `each` before it runs the action, so an `each` that does not
            // resolve to a list or mapping fails the task there even when the action is one
            // callboard skips.
            if settings.skip_unsupported
                && let Err(e) = resolve_each(step, &mut templating, &input_context)
            {
                let message = redact(&Value::String(e), &secret_texts);
                let message = message.as_str().unwrap_or_default().to_string();
                fail(&mut report, &mut step_report, step.line, message);
                failed = true;
            } else if settings.skip_unsupported {
                step_report.status = StepStatus::Unsupported;
                context["steps"][&step.id] = json!({"output": {}});
                report.warnings.push(format!(
                    "step {} ({}) was skipped: the action is not available offline; its outputs are empty",
                    step.id, step.action
                ));
            } else {
                fail(
                    &mut report,
                    &mut step_report,
                    step.line,
                    format!(
                        "step {}: action `{}` is not available offline",
                        step.id, step.action
                    ),
                );
                failed = true;
            }
            report.steps.push(step_report);
            continue;
        }
        match run_step(
            step,
            &mut templating,
            &input_context,
            settings,
            &template_ref,
            template,
            &mut report,
        ) {
            Ok((inputs, output)) => {
                step_report.status = StepStatus::Completed;
                step_report.inputs = inputs.iter().map(|i| redact(i, &secret_texts)).collect();
                step_report.output = output.clone();
                context["steps"][&step.id] = json!({ "output": output });
            }
            Err(e) => {
                fail(
                    &mut report,
                    &mut step_report,
                    step.line,
                    redact(&Value::String(e), &secret_texts)
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
                failed = true;
            }
        }
        report.steps.push(step_report);
    }
    if !failed && let Some(output) = &template.output {
        match templating.render(output, &context, "spec.output") {
            Ok(v) => report.output = filter_conditional(v.unwrap_or(json!({}))),
            Err(e) => {
                report.error = Some(StepFailure {
                    step: "spec.output".into(),
                    line: template.line_of("/spec/output"),
                    message: e,
                })
            }
        }
    }
    report.warnings.extend(warnings);
    report
}

fn fail(report: &mut RunReport, step: &mut StepReport, line: u32, message: String) {
    step.status = StepStatus::Failed;
    report.error = Some(StepFailure {
        step: step.id.clone(),
        line,
        message,
    });
}

/// The `each` items of a step (`{key, value}`), or one iteration without `each`.
fn resolve_each(
    step: &super::template::Step,
    templating: &mut Templating<'_>,
    context: &Value,
) -> Result<Vec<Option<Value>>, String> {
    let at = format!("step {}", step.id);
    let Some(each) = &step.each else {
        return Ok(vec![None]);
    };
    let resolved = templating
        .render(each, context, &format!("{at} `each`"))?
        .ok_or_else(|| format!("{at}: `each` cannot be resolved to a value"))?;
    match resolved {
        Value::Array(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, v)| Some(json!({"key": i.to_string(), "value": v})))
            .collect()),
        Value::Object(map) => Ok(map
            .into_iter()
            .map(|(k, v)| Some(json!({"key": k, "value": v})))
            .collect()),
        _ => Err(format!("{at}: `each` must resolve to a list or a mapping")),
    }
}

/// Renders the iterations' inputs, then runs them; returns the inputs and the step's output.
fn run_step(
    step: &super::template::Step,
    templating: &mut Templating<'_>,
    context: &Value,
    settings: &RunSettings<'_>,
    template_ref: &str,
    template: &Template,
    report: &mut RunReport,
) -> Result<(Vec<Value>, Value), String> {
    let at = format!("step {}", step.id);
    let iterations = resolve_each(step, templating, context)?;
    // Backstage renders and checks every iteration before running any.
    let mut planned = Vec::new();
    for each in iterations {
        let mut iteration_context = context.clone();
        if let Some(each) = &each {
            iteration_context["each"] = each.clone();
        }
        let runs = match (&step.each, &step.condition) {
            (Some(_), Some(Value::Bool(false))) => false,
            (Some(_), Some(c)) => templating
                .render(c, &iteration_context, &format!("{at} `if`"))?
                .as_ref()
                .is_some_and(is_truthy),
            _ => true,
        };
        let input = templating
            .render(&step.input, &iteration_context, &format!("{at} input"))?
            .unwrap_or(json!({}));
        planned.push((runs, input));
    }
    let mut output = Map::new();
    let mut inputs = Vec::new();
    let mut record_log = Vec::new();
    for (runs, input) in planned {
        if !runs {
            continue;
        }
        let mut ctx = ActionContext {
            workspace: settings.workspace,
            template_dir: template.base_dir(),
            template_ref,
            step_id: &step.id,
            url_map: settings.url_map,
            integrations: settings.integrations,
            seed: settings.seed,
            dry_run: settings.dry_run,
            log: &mut record_log,
            events: &mut report.events,
            warnings: &mut report.warnings,
            effects: &mut report.effects,
            record: settings.record,
        };
        let outputs = actions::run(&step.action, &input, &mut ctx)
            .map_err(|e| format!("{at}: {}: {e}", step.action))?;
        for (k, v) in outputs {
            if step.each.is_some() {
                let slot = output.entry(k).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = slot {
                    items.push(v);
                }
            } else {
                output.insert(k, v);
            }
        }
        inputs.push(input);
    }
    report.log.extend(record_log);
    Ok((inputs, Value::Object(output)))
}

/// `links` and `text` items whose `if` is falsy are dropped; `if` itself is removed.
fn filter_conditional(mut output: Value) -> Value {
    for key in ["links", "text"] {
        if let Some(Value::Array(items)) = output.get_mut(key) {
            let kept: Vec<Value> = std::mem::take(items)
                .into_iter()
                .filter_map(|item| match item {
                    Value::Object(mut map) => {
                        if let Some(condition) = map.shift_remove("if")
                            && !is_truthy(&condition)
                        {
                            return None;
                        }
                        Some(Value::Object(map))
                    }
                    other => Some(other),
                })
                .collect();
            *items = kept;
        }
    }
    output
}
