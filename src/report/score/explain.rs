//! `score --explain RULE`: the rule's definition and its result for each entity.

use crate::score::eval::Status;
use crate::score::{CardReport, model};

pub fn render(c: &CardReport, rule: &model::Rule) -> String {
    let mut out = format!("{}/{}: {}\n", c.card.id, rule.id, rule.title);
    out.push_str(&format!(
        "  level: {}  weight: {}  severity: {}  onUnknown: {}\n",
        rule.level
            .map_or("(score only)".to_string(), |l| c.card.levels[l].clone()),
        rule.weight,
        match rule.severity {
            model::RuleSeverity::Error => "error",
            model::RuleSeverity::Warning => "warning",
        },
        match rule.on_unknown {
            model::OnUnknown::Pass => "pass",
            model::OnUnknown::Fail => "fail",
            model::OnUnknown::Skip => "skip",
        }
    ));
    if let Some(d) = &rule.enforce_from {
        out.push_str(&format!("  enforced from: {d}\n"));
    }
    out.push_str(&format!(
        "  when: {}\n  check: {}\n",
        rule.when
            .as_ref()
            .map_or("always".to_string(), format_check),
        format_check(&rule.check)
    ));
    if let Some(r) = &rule.remediation {
        out.push_str(&format!("  remediation: {r}\n"));
    }
    if let Some(d) = &rule.docs {
        out.push_str(&format!("  docs: {d}\n"));
    }
    out.push_str(&format!(
        "  defined in {}:{}\n\n",
        c.card.file.display(),
        rule.span.start.line
    ));
    for e in &c.entities {
        if let Some(r) = e.rules.iter().find(|r| r.id == rule.id) {
            out.push_str(&format!(
                "{:<8} {}  {}\n",
                r.status.as_str(),
                e.reference,
                if r.status == Status::Pass {
                    ""
                } else {
                    &r.message
                }
            ));
        }
    }
    out
}

fn format_check(check: &model::Check) -> String {
    match check {
        model::Check::All(parts) => format!(
            "all of [{}]",
            parts
                .iter()
                .map(format_check)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        model::Check::Any(parts) => format!(
            "any of [{}]",
            parts
                .iter()
                .map(format_check)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        model::Check::Not(inner) => format!("not ({})", format_check(inner)),
        model::Check::Expr(e) => format!("expr `{e}`"),
        model::Check::Leaf(l) => {
            let params = match &l.fact {
                model::Fact::CatalogResolves(field) => format!("(field {})", field.join(".")),
                model::Fact::RepoFile(path) | model::Fact::RepoFileContent(path) => {
                    format!("(path {path})")
                }
                model::Fact::CatalogDependencies(Some(field)) => {
                    format!("(field {})", field.join("."))
                }
                model::Fact::RepoData(_, path, field) => {
                    format!("(path {path}, field {})", field.join("."))
                }
                model::Fact::GitDaysSinceLastCommit(scope) => {
                    format!("(scope {})", scope_name(*scope))
                }
                model::Fact::GitCommitCount(scope, days) => {
                    format!("(scope {}, days {days})", scope_name(*scope))
                }
                model::Fact::External(_) => l
                    .max_age_days
                    .map_or_else(String::new, |d| format!("(maxAge {d}d)")),
                _ => String::new(),
            };
            let fact = if params.is_empty() {
                l.fact_name.clone()
            } else {
                format!("{} {params}", l.fact_name)
            };
            match &l.value {
                Some(v) => format!("{fact} {} {v}", l.op.name()),
                None => format!("{fact} {}", l.op.name()),
            }
        }
    }
}

fn scope_name(scope: model::GitScope) -> &'static str {
    match scope {
        model::GitScope::EntityDir => "entity",
        model::GitScope::Repo => "repo",
    }
}
