//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "callboard",
    version,
    about = "Fast, offline checks for a Backstage catalog repository",
    long_about = "callboard works on a Git repository of Backstage catalog files. \
It gives Backstage's own verdict on every entity, reports every problem at once with file:line:column, \
and checks what Backstage leaves out (references, duplicates, Location targets).",
    after_help = "Exit codes: 0 success, 1 problems found, 2 usage or configuration error, 3 internal error.\n\
Docs: docs/validate.md, docs/diagnostics.md"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with the catalog: validate entity files.
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Validate catalog files: Backstage's rules plus references, duplicates and Location targets.
    #[command(
        long_about = "Validate catalog files under PATHS (default: the current directory).\n\n\
A YAML file is a catalog file when it is named catalog-info.yaml/.yml, is reached from a Location's \
target(s), or holds a document whose apiVersion is in a Backstage group (backstage.io, \
scaffolder.backstage.io, or apiVersionGroups from .callboard.yaml). Other YAML is ignored. \
Files named explicitly are always read. .gitignore and .callboardignore are honoured; \
Template skeleton directories are skipped.",
        after_help = "Examples:\n  callboard catalog validate\n  callboard catalog validate --profile backstage services/\n  \
callboard catalog validate --format sarif --output callboard.sarif\n  callboard catalog validate --changed-since origin/main --format github"
    )]
    Validate(ValidateArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// Exactly what Backstage's processing rejects, nothing else: "will Backstage accept this?"
    Backstage,
    /// Backstage's rules plus callboard's checks (references, duplicates, Location hygiene).
    Recommended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Code frames for people (colour on a terminal; NO_COLOR respected).
    Human,
    /// Versioned JSON (see docs/validate.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or directories to validate.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Which rules to apply.
    #[arg(long, value_enum, default_value_t = Profile::Recommended)]
    pub profile: Profile,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file (default: .callboard.yaml at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report references that resolve to no entity as errors, not warnings.
    #[arg(long)]
    pub strict_refs: bool,

    /// Exit with status 1 when there are warnings, too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Only report on files changed since the merge-base with REF (references still resolve
    /// against the whole catalog).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}
