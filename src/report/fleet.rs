//! `merge-results`: the folded shards of a fleet run, as text or JSON lines.

use std::fmt::Write as _;

use crate::scaffold::fleet::{FleetKind, Merged};

/// The merged lines, exactly as the shards wrote them, in row or repository order.
pub fn merged_json_lines(merged: &Merged) -> serde_json::Result<String> {
    let mut out = String::new();
    for line in &merged.lines {
        out.push_str(&serde_json::to_string(&line.raw)?);
        out.push('\n');
    }
    Ok(out)
}

/// A summary line, then every row or repository that did not succeed with its first error.
pub fn merged_text(merged: &Merged) -> String {
    let mut out = String::new();
    let noun = merged.kind.map_or("results", FleetKind::noun);
    let counts: Vec<String> = merged
        .counts
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect();
    let _ = writeln!(
        out,
        "{} {noun} from {} shard file{}{}{}",
        merged.lines.len(),
        merged.files,
        if merged.files == 1 { "" } else { "s" },
        if counts.is_empty() { "" } else { ": " },
        counts.join(", ")
    );
    for line in merged.problems() {
        let place = match line.kind {
            FleetKind::Batch => match line.raw.get("output").and_then(|v| v.as_str()) {
                Some(output) => format!("{} ({output})", line.key),
                None => line.key.clone(),
            },
            FleetKind::Update => match line.raw.get("repo").and_then(|v| v.as_str()) {
                Some(repo) if !repo.is_empty() => format!("{repo} ({})", line.key),
                _ => line.key.clone(),
            },
        };
        let _ = write!(out, "{place}: {}", line.status);
        if let Some(error) = &line.error {
            let _ = write!(out, ": {error}");
        }
        out.push('\n');
    }
    super::escape::output(out)
}
