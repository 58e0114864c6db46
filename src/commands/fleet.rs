//! `callboard merge-results`: the shards of a fleet run folded into one result.

use anyhow::Result;

use super::{Outcome, UsageError};
use crate::cli::{MergeFormat, MergeResultsArgs};
use crate::scaffold::fleet::{self, FleetKind};

pub fn merge_results(args: &MergeResultsArgs) -> Result<Outcome> {
    super::require_paths(&args.files)?;
    let mut lines = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("error: {name}: cannot read it: {e}")))?;
        lines.extend(fleet::parse(&name, &text).map_err(|e| UsageError(format!("error: {e}")))?);
    }
    let merged =
        fleet::merge(args.files.len(), lines).map_err(|e| UsageError(format!("error: {e}")))?;
    let text = match args.format {
        MergeFormat::Json => crate::report::fleet::merged_json_lines(&merged)?,
        MergeFormat::Text => crate::report::fleet::merged_text(&merged),
    };
    super::write_output(args.output.file.as_deref(), &text)?;
    // The same status the sharded command gives for its own lines: a failed repository of
    // `update --all` could not be updated as asked (2); every other problem is a finding (1).
    Ok(merged
        .problems()
        .map(|line| match (line.kind, line.status.as_str()) {
            (FleetKind::Update, "failed") => Outcome::UsageError,
            _ => Outcome::Problems,
        })
        .fold(Outcome::Success, Outcome::worst))
}
