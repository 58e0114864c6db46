//! Renders `scaffold list | show | lint | run` results as text and versioned JSON.

use serde_json::{Value, json};

use crate::scaffold::actions::{self, Support};
use crate::scaffold::lint::{Finding, Severity};
use crate::scaffold::remote::Effect;
use crate::scaffold::runner::StepStatus;
use crate::scaffold::template::Template;
use crate::scaffold::workspace::Entry;
use crate::scaffold::{Generated, PlanAction, Target};

pub const JSON_VERSION: u32 = 1;

/// The verdict for a whole template: the weakest tier among its steps.
fn verdict(template: &Template) -> Support {
    let tiers: Vec<Support> = template
        .steps
        .iter()
        .map(|s| actions::support(&s.action))
        .collect();
    if tiers.contains(&Support::Unsupported) {
        Support::Unsupported
    } else if tiers.contains(&Support::Emulated) {
        Support::Emulated
    } else {
        Support::Local
    }
}

fn verdict_text(s: Support) -> &'static str {
    match s {
        Support::Local => "runs offline",
        Support::Emulated => "runs offline (remote steps emulated)",
        Support::Unsupported => "needs --skip-unsupported",
    }
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRow {
    pub reference: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub file: String,
    pub support: Option<Support>,
    /// Actions that cannot run offline.
    pub unsupported: Vec<String>,
    pub error: Option<String>,
}

impl ListRow {
    pub fn from_template(t: &Template, file: String) -> ListRow {
        let mut unsupported: Vec<String> = t
            .steps
            .iter()
            .filter(|s| actions::support(&s.action) == Support::Unsupported)
            .map(|s| s.action.clone())
            .collect();
        unsupported.dedup();
        ListRow {
            reference: t.reference(),
            title: t.title.clone(),
            tags: t.tags.clone(),
            file,
            support: Some(verdict(t)),
            unsupported,
            error: None,
        }
    }

    pub fn broken(reference: &str, file: String, error: String) -> ListRow {
        ListRow {
            reference: reference.to_string(),
            title: None,
            tags: Vec::new(),
            file,
            support: None,
            unsupported: Vec::new(),
            error: Some(error),
        }
    }
}

pub fn list_text(rows: &[ListRow]) -> String {
    if rows.is_empty() {
        return "No Template entities in the catalog.\n".into();
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(["TEMPLATE", "TITLE", "TAGS", "OFFLINE"]);
    for r in rows {
        let offline = match (&r.error, r.support) {
            (Some(_), _) => "invalid (see `scaffold show`)".to_string(),
            (None, Some(Support::Unsupported)) => format!("no: {}", r.unsupported.join(", ")),
            (None, Some(s)) => verdict_text(s).to_string(),
            (None, None) => String::new(),
        };
        table.add_row([
            r.reference.clone(),
            r.title.clone().unwrap_or_default(),
            r.tags.join(", "),
            offline,
        ]);
    }
    format!("{table}\n")
}

pub fn list_json(rows: &[ListRow]) -> String {
    let value = json!({"version": JSON_VERSION, "templates": rows});
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// One parameter, flattened for writing a values file: nested object properties as `a.b`, and
/// the properties of `allOf`, `oneOf`/`anyOf`, `if`/`then`/`else` and `dependencies`, each with
/// the condition under which the form shows it.
fn parameters(template: &Template) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, page) in template.parameters.iter().enumerate() {
        let page_info = PageInfo { index: i + 1, page };
        collect_parameters(page, "", None, None, &page_info, &mut out);
    }
    out
}

struct PageInfo<'a> {
    index: usize,
    page: &'a Value,
}

fn collect_parameters(
    schema: &Value,
    prefix: &str,
    condition: Option<&str>,
    skip: Option<&str>,
    page: &PageInfo<'_>,
    out: &mut Vec<Value>,
) {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (name, prop) in props {
            if skip == Some(name.as_str()) {
                continue;
            }
            let full = format!("{prefix}{name}");
            let field = prop.get("ui:field").and_then(Value::as_str);
            let widget = prop.get("ui:widget").and_then(Value::as_str);
            out.push(json!({
                "name": full,
                "page": page.index,
                "pageTitle": page.page.get("title"),
                "when": page.page.get("when"),
                "condition": condition,
                "type": prop.get("type"),
                "title": prop.get("title"),
                "description": prop.get("description"),
                "required": required.contains(&name.as_str()),
                "default": prop.get("default"),
                "enum": prop.get("enum"),
                "field": field,
                "secret": field == Some("Secret") || widget == Some("password"),
            }));
            if prop.get("type").and_then(Value::as_str) == Some("object") {
                collect_parameters(prop, &format!("{full}."), condition, None, page, out);
            }
        }
    }
    let and = |more: String| match condition {
        Some(c) => format!("{c} and {more}"),
        None => more,
    };
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for part in parts {
            collect_parameters(part, prefix, condition, None, page, out);
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(choices)) = schema.get(keyword) {
            for (j, choice) in choices.iter().enumerate() {
                let described = describe_schema(choice, prefix)
                    .unwrap_or_else(|| format!("choice {} of `{keyword}`", j + 1));
                collect_parameters(choice, prefix, Some(&and(described)), None, page, out);
            }
        }
    }
    if let Some(test) = schema.get("if") {
        let described =
            describe_schema(test, prefix).unwrap_or_else(|| "the `if` schema matches".into());
        if let Some(then) = schema.get("then") {
            collect_parameters(then, prefix, Some(&and(described.clone())), None, page, out);
        }
        if let Some(otherwise) = schema.get("else") {
            collect_parameters(
                otherwise,
                prefix,
                Some(&and(format!("not ({described})"))),
                None,
                page,
                out,
            );
        }
    }
    if let Some(Value::Object(deps)) = schema.get("dependencies") {
        for (key, dep) in deps {
            match dep.get("oneOf").and_then(Value::as_array) {
                Some(choices) => {
                    for choice in choices {
                        let described = choice
                            .get("properties")
                            .and_then(|p| p.get(key))
                            .and_then(|s| describe_property(&format!("{prefix}{key}"), s))
                            .unwrap_or_else(|| format!("{prefix}{key} is set"));
                        collect_parameters(
                            choice,
                            prefix,
                            Some(&and(described)),
                            Some(key),
                            page,
                            out,
                        );
                    }
                }
                None if dep.is_object() => {
                    let described = format!("{prefix}{key} is set");
                    collect_parameters(dep, prefix, Some(&and(described)), None, page, out);
                }
                None => {}
            }
        }
    }
}

/// A schema used as a condition, in words (`provider is "gcp"`), from its `const`/`enum`
/// properties; `None` when it has none.
fn describe_schema(schema: &Value, prefix: &str) -> Option<String> {
    let props = schema.get("properties")?.as_object()?;
    let words: Vec<String> = props
        .iter()
        .filter_map(|(name, s)| describe_property(&format!("{prefix}{name}"), s))
        .collect();
    (!words.is_empty()).then(|| words.join(" and "))
}

fn describe_property(name: &str, schema: &Value) -> Option<String> {
    if let Some(value) = schema.get("const") {
        return Some(format!("{name} is {value}"));
    }
    match schema.get("enum").and_then(Value::as_array)?.as_slice() {
        [one] => Some(format!("{name} is {one}")),
        many => Some(format!("{name} is one of {}", Value::Array(many.to_vec()))),
    }
}

pub fn show_json(template: &Template, findings: &[Finding]) -> String {
    let steps: Vec<Value> = template
        .steps
        .iter()
        .map(|s| json!({"id": s.id, "name": s.name, "action": s.action, "support": actions::support(&s.action), "if": s.condition, "each": s.each}))
        .collect();
    let value = json!({
        "version": JSON_VERSION,
        "template": template.reference(),
        "title": template.title,
        "description": template.description,
        "file": template.path,
        "support": verdict(template),
        "parameters": parameters(template),
        "steps": steps,
        "lint": findings,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

pub fn show_text(template: &Template, findings: &[Finding]) -> String {
    let mut out = template.reference();
    if let Some(t) = &template.title {
        out.push_str(&format!(" — {t}"));
    }
    out.push_str(&format!("\n{}\n\n", verdict_text(verdict(template))));
    out.push_str("Parameters (values file keys):\n");
    let params = parameters(template);
    if params.is_empty() {
        out.push_str("  (none)\n");
    }
    for p in &params {
        let mut line = format!("  {}", p["name"].as_str().unwrap_or_default());
        if let Some(t) = p["type"].as_str() {
            line.push_str(&format!(": {t}"));
        }
        if p["required"] == json!(true) {
            line.push_str(" (required)");
        }
        if p["secret"] == json!(true) {
            line.push_str(" (secret: pass with --secret)");
        }
        if !p["default"].is_null() {
            line.push_str(&format!(" default {}", p["default"]));
        }
        if let Some(e) = p["enum"].as_array() {
            line.push_str(&format!(" one of {}", Value::Array(e.clone())));
        }
        if let Some(f) = p["field"].as_str() {
            line.push_str(&format!(" [{f}]"));
        }
        if let Some(w) = p["when"].as_str() {
            line.push_str(&format!(" when {w}"));
        }
        if let Some(c) = p["condition"].as_str() {
            line.push_str(&format!(" if {c}"));
        }
        if let Some(t) = p["title"].as_str() {
            line.push_str(&format!(" — {t}"));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\nSteps:\n");
    for s in &template.steps {
        let tier = match actions::support(&s.action) {
            Support::Local => "local",
            Support::Emulated => "emulated",
            Support::Unsupported => "unsupported",
        };
        out.push_str(&format!("  {:<20} {:<28} {tier}\n", s.id, s.action));
    }
    if !findings.is_empty() {
        out.push_str("\nLint:\n");
        out.push_str(&lint_lines(findings));
    }
    out
}

fn lint_lines(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {}:{}:{}: {} [{}] {}\n",
                super::escape::path(&f.file),
                f.line,
                f.column,
                f.severity.as_str(),
                f.code.id(),
                super::escape::control(&f.message)
            )
        })
        .collect()
}

pub fn lint_text(findings: &[Finding], templates: usize) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    format!(
        "{}{} template{} checked: {errors} error{}, {warnings} warning{}\n",
        lint_lines(findings),
        templates,
        if templates == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

/// `scaffold lint --format markdown`, cut to the budget (report/markdown.rs).
pub fn lint_markdown(
    findings: &[Finding],
    templates: usize,
    limit: super::markdown::MarkdownLimit,
) -> String {
    super::markdown::findings(
        "Template lint",
        &format!(
            "{templates} template{} checked",
            if templates == 1 { "" } else { "s" }
        ),
        findings.iter().map(|f| super::markdown::Finding {
            severity: f.severity,
            place: format!(
                "{}:{}:{}",
                f.file.to_string_lossy().replace('\\', "/"),
                f.line,
                f.column
            ),
            code: f.code,
            message: &f.message,
            help: None,
            places: 1,
        }),
    )
    .render(limit)
}

pub fn lint_json(findings: &[Finding]) -> String {
    let value = json!({"version": JSON_VERSION, "findings": findings});
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

pub fn lint_github(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let file = f.file.to_string_lossy().replace('\\', "/");
            super::github::annotation(
                f.severity,
                Some((&file, f.line as u32, f.column as u32)),
                f.code,
                &f.message,
            )
        })
        .collect()
}

fn plan_word(a: PlanAction) -> &'static str {
    match a {
        PlanAction::Create => "create",
        PlanAction::Overwrite => "overwrite",
        PlanAction::Delete => "delete",
        PlanAction::SkipExisting => "skip-existing",
        PlanAction::SkipConditional => "skip-conditional",
    }
}

fn status_word(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Completed => "ran",
        StepStatus::Skipped => "skipped (if)",
        StepStatus::Unsupported => "skipped (unsupported)",
        StepStatus::Failed => "failed",
        StepStatus::NotRun => "not run",
    }
}

fn effect_text(e: &Effect, dry_run: bool) -> String {
    match e {
        Effect::Published {
            step,
            dir,
            branch,
            remote_url,
            commit,
            ..
        } => {
            let at = if dir.is_empty() {
                String::new()
            } else {
                format!(" in {dir}/")
            };
            match commit {
                Some(c) => format!(
                    "{step}: git repository{at} on {branch}, commit {} (origin {remote_url}; not pushed)",
                    &c[..c.len().min(12)]
                ),
                None if dry_run => format!(
                    "{step}: would initialise a git repository{at} on {branch} (origin {remote_url})"
                ),
                None => format!("{step}: git repository{at}"),
            }
        }
        Effect::PullRequest {
            step,
            repo_url,
            branch,
            title,
            ..
        } => format!(
            "{step}: a pull request to {repo_url}{}{} would be opened; callboard opens none",
            branch
                .as_ref()
                .map(|b| format!(" from branch {b}"))
                .unwrap_or_default(),
            title
                .as_ref()
                .map(|t| format!(" titled \"{t}\""))
                .unwrap_or_default()
        ),
        Effect::Registered {
            step,
            entity_ref,
            catalog_info_url,
            ..
        } => {
            format!("{step}: {entity_ref} at {catalog_info_url}")
        }
    }
}

fn diff_text(generated: &Generated) -> String {
    diff_changes(&generated.changes)
}

/// A unified diff of before/after pairs (binary files named, directories left out).
pub fn diff_changes(changes: &[(String, Option<Entry>, Option<Entry>)]) -> String {
    let mut out = String::new();
    for (path, before, after) in changes {
        let text = |e: &Option<Entry>| -> Option<String> {
            match e {
                None => Some(String::new()),
                Some(Entry::File { bytes, .. }) => String::from_utf8(bytes.clone()).ok(),
                Some(Entry::Symlink(t)) => Some(format!("-> {}\n", t.display())),
                Some(Entry::Dir) => None,
            }
        };
        if matches!(after, Some(Entry::Dir))
            || matches!(before, Some(Entry::Dir)) && after.is_none()
        {
            continue;
        }
        match (text(before), text(after)) {
            (Some(a), Some(b)) => {
                let old = if before.is_some() {
                    format!("a/{path}")
                } else {
                    "/dev/null".into()
                };
                let new = if after.is_some() {
                    format!("b/{path}")
                } else {
                    "/dev/null".into()
                };
                out.push_str(&super::diff::unified(&a, &b, &old, &new));
            }
            _ => out.push_str(&format!("Binary files a/{path} and b/{path} differ\n")),
        }
    }
    out
}

pub fn run_text(
    template: &Template,
    target: &Target,
    generated: &Generated,
    diff: bool,
    registration: Option<&String>,
    register_requested: bool,
) -> String {
    let report = &generated.report;
    let dry = !generated.written && report.error.is_none();
    let mut out = format!(
        "{} → {}{}\n\nSteps:\n",
        template.reference(),
        target.dir().display(),
        if dry {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    for s in &report.steps {
        out.push_str(&format!(
            "  {:<20} {:<28} {}\n",
            s.id,
            s.action,
            status_word(s.status)
        ));
    }
    let mut counts = std::collections::BTreeMap::new();
    for p in &generated.plan {
        *counts.entry(plan_word(p.action)).or_insert(0usize) += 1;
    }
    if dry || diff {
        out.push_str("\nPlan:\n");
        for p in &generated.plan {
            out.push_str(&format!("  {:<17} {}\n", plan_word(p.action), p.path));
        }
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    // A failed run wrote nothing: no count of files next to "nothing was written".
    if report.error.is_none() {
        out.push_str(&format!(
            "\nFiles: {}\n",
            if summary.is_empty() {
                "no changes".into()
            } else {
                summary.join(", ")
            }
        ));
    }
    if !report.effects.is_empty() {
        out.push_str("\nRemote steps (done locally):\n");
        for e in &report.effects {
            out.push_str(&format!("  {}\n", effect_text(e, dry)));
        }
    }
    let registered = report
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Registered { .. }));
    match registration {
        Some(d) if !d.is_empty() => out.push_str(&format!("\nRegistered in the catalog:\n{d}")),
        Some(_) => out.push_str("\nAlready registered in the catalog.\n"),
        None if registered && !dry && !register_requested => out.push_str(
            "\nRegistration skipped: pass --register-into LOCATION_FILE to add the new catalog file to the catalog.\n",
        ),
        None => {}
    }
    if let Some(links) = report
        .output
        .get("links")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
    {
        out.push_str("\nLinks:\n");
        for l in links {
            let title = l.get("title").and_then(Value::as_str).unwrap_or("");
            let url = l
                .get("url")
                .or_else(|| l.get("entityRef"))
                .and_then(Value::as_str)
                .unwrap_or("");
            out.push_str(&format!("  {title}: {url}\n"));
        }
    }
    if let Some(texts) = report.output.get("text").and_then(Value::as_array) {
        for t in texts {
            if let Some(c) = t.get("content").and_then(Value::as_str) {
                out.push_str(&format!(
                    "\n{}\n",
                    t.get("title").and_then(Value::as_str).unwrap_or("")
                ));
                out.push_str(c);
                out.push('\n');
            }
        }
    }
    if !report.log.is_empty() {
        out.push_str("\nLog:\n");
        for l in &report.log {
            for line in l.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    if diff {
        out.push('\n');
        out.push_str(&diff_text(generated));
    }
    out
}

pub fn run_json(
    template: &Template,
    target: &Target,
    generated: &Generated,
    registration: Option<&String>,
) -> String {
    let report = &generated.report;
    let value = json!({
        "version": JSON_VERSION,
        "template": template.reference(),
        "target": target.dir(),
        "mode": match target { Target::Output(_) => "output", Target::Into(_) => "into" },
        "written": generated.written,
        "ok": report.error.is_none(),
        "error": report.error,
        "steps": report.steps,
        "plan": generated.plan,
        "effects": report.effects,
        "registration": registration,
        "output": report.output,
        "warnings": report.warnings,
        "log": report.log,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// One line (and its drift) of `scaffold check`.
pub fn check_line(r: &Value) -> String {
    let dir = r["dir"].as_str().unwrap_or(".");
    if let Some(e) = r["error"].as_str() {
        return format!("{dir}: error: {e}\n");
    }
    let short = |k: &str| {
        r[k].as_str()
            .map(|s| s[..s.len().min(12)].to_string())
            .unwrap_or_default()
    };
    let mut out = if r["updateAvailable"] == json!(true) {
        format!(
            "{dir}: {} has an update: {} → {} (run `callboard scaffold update`)\n",
            r["template"].as_str().unwrap_or(""),
            short("current"),
            short("latest")
        )
    } else {
        format!(
            "{dir}: {} is up to date ({})\n",
            r["template"].as_str().unwrap_or(""),
            short("current")
        )
    };
    if let Some(drift) = r["drift"].as_array() {
        if drift.is_empty() {
            out.push_str("  no drift from the recorded render\n");
        }
        for d in drift {
            out.push_str(&format!(
                "  {} {}\n",
                d["change"].as_str().unwrap_or(""),
                d["path"].as_str().unwrap_or("")
            ));
        }
    }
    out
}

/// The text report of `scaffold update` for one repository.
pub fn update_text(
    dir: &std::path::Path,
    result: &crate::scaffold::update::UpdateResult,
    dry_run: bool,
    diff: bool,
) -> String {
    let mut out = format!(
        "{}: {} → {}{}\n",
        dir.display(),
        &result.from[..12.min(result.from.len())],
        &result.to[..12.min(result.to.len())],
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    if result.files.is_empty() {
        out.push_str("  nothing to change\n");
    }
    for f in &result.files {
        out.push_str(&format!("  {:<14} {}\n", f.action, f.path));
    }
    if !result.conflicts.is_empty() && !dry_run {
        out.push_str(&format!(
            "{} conflict(s): resolve the markers, then `git add` the files (`git status` lists them)\n",
            result.conflicts.len()
        ));
    }
    if let (Some(b), Some(c)) = (&result.branch, &result.commit) {
        out.push_str(&format!("  committed {} on branch {b}\n", &c[..12]));
    }
    if diff {
        out.push_str(&diff_changes(&result.changes));
    }
    out
}
