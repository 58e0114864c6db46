//! Which findings a run reports, and at which severity: the profile, the configured severities
//! and `--strict-refs`. One place, so `catalog validate` and the language server agree.

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Origin, Severity};

/// Applies the profile (`backstage_only`: Backstage's rules and input problems, at their
/// default severities), the configured severities and `strict_refs` to raw findings.
pub fn select(
    diags: Vec<Diagnostic>,
    backstage_only: bool,
    config: &Config,
    strict_refs: bool,
) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| !backstage_only || d.code.origin() != Origin::Callboard)
        .filter_map(|mut d| {
            d.severity = if backstage_only {
                d.code.default_severity()
            } else {
                config.severity_of(d.code)?
            };
            if strict_refs && d.code == Code::UnresolvedRef {
                d.severity = Severity::Error;
            }
            // Backstage reads such a file lossily and judges the rest: so does this profile,
            // with the bytes named as a warning.
            if backstage_only && d.code == Code::FileNotUtf8 {
                d.severity = Severity::Warning;
            }
            Some(d)
        })
        .collect()
}

/// Whether a code is reported at all under this profile and configuration (a suppression of a
/// code that is off is not unused).
pub fn reported(code: Code, backstage_only: bool, config: &Config) -> bool {
    (!backstage_only || code.origin() != Origin::Callboard)
        && (backstage_only || config.severity_of(code).is_some())
}
