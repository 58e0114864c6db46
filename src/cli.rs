//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The one exit-status table of every command (top-level `--help`, README and
/// docs/exit-status.md print it; a test keeps them equal).
macro_rules! exit_status_table {
    () => {
        "Exit status (every command):
  0  the job was done and there is nothing to report
  1  the job was done and found something: findings, a failed gate, a rule that could not be
     evaluated, an outdated repository, something that would change (--exit-code), a change
     refused because of the catalog's content
  2  the job could not be done as asked, nothing was done: usage or configuration error, a path
     on the command line that does not exist, a dirty work tree without --allow-dirty
  3  callboard's own failure: a bug, or I/O that failed (a report that could not be written)"
    };
}

/// The exit-status table, as `callboard --help` prints it.
pub const EXIT_STATUS: &str = exit_status_table!();

#[derive(Debug, Parser)]
#[command(
    name = "callboard",
    version,
    about = "Fast, offline checks for a Backstage catalog repository",
    long_about = "callboard works on a Git repository of Backstage catalog files. \
It gives Backstage's own verdict on every entity, reports every problem at once with file:line:column, \
and checks what Backstage leaves out (references, duplicates, Location targets).",
    after_help = concat!(exit_status_table!(), "\n\n\
Docs: docs/validate.md, docs/diagnostics.md, docs/score.md, docs/bulk.md, docs/adoption.md, docs/exit-status.md")
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with the catalog: validate, query, edit, rename, migrate, graph.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Score entities against scorecards (rules, weights, levels, waivers) and gate on the result.
    #[command(
        long_about = "Evaluate scorecards on the catalog entities under PATHS (default: the current directory).\n\n\
Scorecards come from --scorecard, else .callboard/scorecards/ at the repository root, else the embedded \
catalog-readiness scorecard. Waivers come from --waivers, else .callboard/waivers.yaml.",
        after_help = "Exit status: 0 gate passed, 1 gate failed or a rule could not be evaluated, 2 usage or scorecard error, 3 internal or I/O error.\n\n\
Examples:\n  callboard score\n  callboard score --min-level bronze --changed-since origin/main --format markdown\n  \
callboard score --format json --output score.json\n  callboard score --baseline main-score.json --no-regression\n  \
callboard score --explain catalog-readiness/has-techdocs"
    )]
    Score(ScoreArgs),
    /// Report on portal adoption: the phase, its gates, what blocks the next one and what to do.
    #[command(subcommand)]
    Adoption(AdoptionCommand),
    /// Run Backstage Software Templates locally: list, show, lint, run, batch.
    #[command(subcommand)]
    Scaffold(ScaffoldCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  callboard completions bash > ~/.local/share/bash-completion/completions/callboard\n  \
callboard completions zsh > \"${fpath[1]}/_callboard\"\n  \
callboard completions fish > ~/.config/fish/completions/callboard.fish\n\n\
Exit status: 0 printed, 2 usage error, 3 internal or I/O error."
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff) of callboard, or write one page per command into a directory.
    #[command(
        after_help = "Examples:\n  callboard man > ~/.local/share/man/man1/callboard.1\n  \
callboard man --dir ~/.local/share/man/man1\n\n\
Exit status: 0 done, 2 usage error (a --dir that does not exist), 3 internal or I/O error."
    )]
    Man(ManArgs),
    /// Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result.
    #[command(
        long_about = "Fold the JSON-lines output of the shards of one `scaffold batch --shard K/N` or \
`scaffold update --all --shard K/N` run (one file per shard) into one deterministic result: every line \
sorted by row or repository, with a summary. A row or repository reported by two shards, lines of two \
different commands, or a shard whose run failed are refused with the file and line.",
        after_help = "Examples:\n  callboard merge-results shard-*.ndjson\n  \
callboard merge-results --format json shard-1.ndjson shard-2.ndjson > all.ndjson\n\n\
Exit status: 0 every row or repository succeeded, 1 some failed, were skipped or have conflicts, \
2 usage error (unreadable or invalid shard file), 3 internal or I/O error."
    )]
    MergeResults(MergeResultsArgs),
    /// Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio.
    #[command(
        long_about = "Run a Language Server Protocol server on standard input and output, for editors. \
It checks the workspace's catalog files as `catalog validate` does (the same .callboard.yaml, codes, messages \
and suppressions) while you type, and answers hover, go to definition, find references, rename and completion. \
The workspace root is the client's first workspace folder (else its rootUri, else the working directory); \
.callboard.yaml is looked up from there as `catalog validate` does. See docs/editor.md.",
        after_help = "Examples:\n  callboard lsp\n  callboard lsp --stdio\n\n\
Exit status: 0 the client shut the server down, 3 internal or I/O error (the connection broke)."
    )]
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because many clients pass it).
    #[arg(long)]
    pub stdio: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct MergeResultsArgs {
    /// The JSON-lines files the shards wrote (their standard output with `--format json`).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output format: a summary with the problems (text), or the merged JSON lines (json).
    #[arg(long, short = 'f', value_enum, default_value_t = MergeFormat::Text)]
    pub format: MergeFormat,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// A summary and every row or repository that did not succeed.
    #[value(alias = "human", alias = "table")]
    Text,
    /// The shards' JSON lines, merged and sorted.
    #[value(alias = "ndjson")]
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write callboard.1 and a page per subcommand (callboard-catalog-validate.1, …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ScaffoldCommand {
    /// The Templates in the catalog, with whether every step can run offline.
    List(ScaffoldListArgs),
    /// A template's parameters (flattened, for writing a values file), steps and support verdict.
    Show(ScaffoldShowArgs),
    /// Check every `${{ }}` expression in a template and its skeleton files.
    #[command(
        after_help = "Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 usage error, 3 internal or I/O error.\n\n\
Examples:\n  callboard scaffold lint\n  callboard scaffold lint templates/go/template.yaml --format github\n\n\
See docs/scaffold.md#scaffold-lint-template."
    )]
    Lint(ScaffoldLintArgs),
    /// Run a template into a new directory (--output) or an existing checkout (--into).
    #[command(
        after_help = "Exit status: 0 done (or, with --dry-run --exit-code, nothing would change), 1 a step failed, \
the values are invalid (nothing written) or (with --exit-code) something would change, 2 usage error, 3 internal or I/O error.\n\n\
Examples:\n  callboard scaffold run template:default/go-service --values svc.yaml --output ../payments\n  \
callboard scaffold run templates/go/template.yaml --set name=payments --set owner=team-a --output ../payments --dry-run\n  \
callboard scaffold run pr-template --into . --dry-run --diff\n\nSee docs/scaffold.md (values, actions, differences from Backstage)."
    )]
    Run(ScaffoldRunArgs),
    /// Run a template once per row of a values list (YAML list or CSV): one repository per row.
    #[command(
        after_help = "Prints one JSON line per row: {row, output, status (created, failed, skipped), commit, files, errors}.\n\n\
Exit status: 0 every row created, 1 a row failed or was skipped, 2 usage error, 3 internal or I/O error.\n\n\
Examples:\n  callboard scaffold batch go-service --values-list services.yaml --output-dir '../repos/{{ name }}'\n  \
callboard scaffold batch go-service --values-list services.csv --jobs 4 --continue-on-error > results.jsonl\n\n\
See docs/scaffold.md#batch-recipes."
    )]
    Batch(ScaffoldBatchArgs),
    /// Whether generated repositories are behind their template (exit 1 when one is).
    #[command(
        after_help = "Exit status: 0 up to date (no drift), 1 an update is available (or, with --drift, files differ), \
2 usage error or a repository that cannot be checked, 3 internal or I/O error.\n\nSee docs/scaffold-update.md."
    )]
    Check(ScaffoldCheckArgs),
    /// Bring generated repositories up to date with their template: a three-way merge.
    #[command(
        after_help = "Exit status: 0 updated (or already up to date), 1 conflicts, 2 usage error or a repository that cannot be \
updated (no record, dirty work tree), 3 internal or I/O error.\n\n\
Examples:\n  callboard scaffold update ../payments --catalog . --dry-run --diff\n  \
callboard scaffold update ../payments --catalog . --commit\n  \
callboard scaffold update --all --template go-service --catalog . --workspace ../repos --jobs 4\n\nSee docs/scaffold-update.md."
    )]
    Update(ScaffoldUpdateArgs),
}

#[derive(Debug, Args)]
pub struct ScaffoldCheckArgs {
    /// Generated repositories (each with .callboard/scaffold.yaml); default: the current directory.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The catalog repository holding the template (default: the one the record names, when local).
    #[arg(long, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// Compare against this revision of the catalog repository instead of HEAD.
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,
    /// Also re-render the recorded version and list files the project changed by hand.
    #[arg(long)]
    pub drift: bool,
    /// With --drift: ignore paths matching GLOB. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub skip: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScaffoldFormat::Text)]
    pub format: ScaffoldFormat,
}

#[derive(Debug, Args)]
pub struct ScaffoldUpdateArgs {
    /// Generated repositories; default: the current directory (or, with --all, every one found).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The catalog repository holding the template.
    #[arg(long, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// Update to this revision of the catalog repository (default: HEAD).
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,
    /// Change a recorded value (typed by the template's schema). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Update even with uncommitted changes in the repository.
    #[arg(long)]
    pub allow_dirty: bool,
    /// Bring back files the template makes but the project deleted.
    #[arg(long)]
    pub recreate_deleted: bool,
    /// Commit the update on a new branch `callboard/update-<template>-<commit>` (not with conflicts).
    #[arg(long)]
    pub commit: bool,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: a unified diff of the changes.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    /// Update every repository generated from --template (entities with that backstage.io/source-template).
    #[arg(long, requires = "template")]
    pub all: bool,
    /// With --all: the template (entity ref).
    #[arg(long, value_name = "REF")]
    pub template: Option<String>,
    /// With --all: checkouts live in DIR/<entity name>.
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// With --all: a YAML or JSON mapping of entity refs to checkout directories.
    #[arg(long, value_name = "FILE")]
    pub repo_map: Option<PathBuf>,
    /// With --all: parallel updates (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Declare an SCM integration for a host. Repeatable.
    #[arg(long = "integration", value_name = "HOST=TYPE")]
    pub integration: Vec<String>,
    /// With --all: update only shard K of N (a stable split by entity ref) for one job of a CI
    /// matrix; fold the shards' JSON lines with `callboard merge-results`.
    #[arg(long, value_name = "K/N", requires = "all")]
    pub shard: Option<crate::scaffold::fleet::Shard>,
    /// Output format (default: text; with --all, JSON lines).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<ScaffoldFormat>,
}

impl ScaffoldUpdateArgs {
    /// The format asked for, else text for named repositories and JSON lines for `--all`.
    pub fn format(&self) -> ScaffoldFormat {
        self.format.unwrap_or(if self.all {
            ScaffoldFormat::Json
        } else {
            ScaffoldFormat::Text
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScaffoldFormat {
    /// Readable text.
    #[value(alias = "human", alias = "table")]
    Text,
    /// Versioned JSON (see docs/scaffold.md).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Readable text.
    #[value(alias = "human", alias = "table")]
    Text,
    Json,
    /// GitHub Actions annotations (::error file=…).
    Github,
    /// Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY (cut to --markdown-limit).
    Markdown,
}

/// `--config`, the same flag in every command that loads the catalog.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Catalog configuration file (default: .callboard.yaml at the repository root, if present).
    #[arg(id = "config", long = "config", value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `--output`, the same flag in every command whose report may go to a file.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the report to FILE instead of standard output.
    #[arg(id = "output", long = "output", short = 'o', value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CatalogLocation {
    /// The catalog repository (default: the git repository around the current directory).
    #[arg(long, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScaffoldListArgs {
    #[command(flatten)]
    pub catalog: CatalogLocation,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScaffoldFormat::Text)]
    pub format: ScaffoldFormat,
}

#[derive(Debug, Args)]
pub struct ScaffoldShowArgs {
    /// A Template's entity ref (`template:default/go-service`, or just `go-service`) or a path to its YAML file.
    pub template: String,
    #[command(flatten)]
    pub catalog: CatalogLocation,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScaffoldFormat::Text)]
    pub format: ScaffoldFormat,
}

#[derive(Debug, Args)]
pub struct ScaffoldLintArgs {
    /// Templates (entity refs or paths); default: every Template in the catalog.
    pub templates: Vec<String>,
    #[command(flatten)]
    pub catalog: CatalogLocation,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct RunOptions {
    /// Parameter values: YAML or JSON, what Backstage's form would send.
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
    /// Set one parameter (typed by the template's schema; `a.b=v` for nested ones). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed.
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,
    /// One secret. Repeatable.
    #[arg(long = "secret", value_name = "KEY=VALUE")]
    pub secret: Vec<String>,
    /// The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`.
    #[arg(long, value_name = "REF")]
    pub user: Option<String>,
    /// Serve absolute URLs under PREFIX from a local directory. Repeatable.
    #[arg(long = "url-map", value_name = "PREFIX=DIR")]
    pub url_map: Vec<String>,
    /// Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable.
    #[arg(long = "integration", value_name = "HOST=TYPE")]
    pub integration: Vec<String>,
    /// Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run.
    #[arg(long)]
    pub skip_unsupported: bool,
    /// Do as Backstage does with a templating error in a step input: keep the raw text and go on
    /// (with a warning). By default the step fails.
    #[arg(long)]
    pub keep_template_errors: bool,
    /// Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation.
    #[arg(long)]
    pub no_record: bool,
    /// `${{ context.task.id }}` (default: a new random UUID, recorded).
    #[arg(long, value_name = "ID")]
    pub task_id: Option<String>,
    /// Ask for missing required values on a terminal.
    #[arg(long)]
    pub interactive: bool,
    #[command(flatten)]
    pub catalog: CatalogLocation,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "into"])))]
pub struct ScaffoldRunArgs {
    /// A Template's entity ref or a path to its YAML file.
    pub template: String,
    /// Create this directory (absent or empty) with the result.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Write into this existing checkout instead (for templates that change a repository).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    #[command(flatten)]
    pub options: RunOptions,
    /// Render in a scratch directory and print the plan; write, commit and register nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: show a unified diff of what would change.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    /// With --dry-run: exit 1 when something would change.
    #[arg(long, requires = "dry_run")]
    pub exit_code: bool,
    /// Add the new catalog file as a target of this Location file (for catalog:register steps).
    #[arg(long, value_name = "FILE")]
    pub register_into: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScaffoldFormat::Text)]
    pub format: ScaffoldFormat,
}

#[derive(Debug, Args)]
pub struct ScaffoldBatchArgs {
    /// A Template's entity ref or a path to its YAML file.
    pub template: String,
    /// One row per repository: a YAML list of mappings, or CSV with a header row.
    #[arg(long, value_name = "FILE")]
    pub values_list: PathBuf,
    /// Where each repository goes: a path template rendered with the row (`{{ name }}`).
    #[arg(long, value_name = "PATTERN", default_value = "{{ name }}")]
    pub output_dir: String,
    /// Parallel runs (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Go on with the other rows when one fails (the exit status is still 1).
    #[arg(long)]
    pub continue_on_error: bool,
    /// Run only shard K of N of the rows (a stable split by output directory) for one job of a CI
    /// matrix; fold the shards' JSON lines with `callboard merge-results`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::scaffold::fleet::Shard>,
    #[command(flatten)]
    pub options: RunOptions,
}

#[derive(Debug, Subcommand)]
pub enum AdoptionCommand {
    /// Where the organisation stands in the adoption phases, and what to do next.
    #[command(
        long_about = "Compute adoption metrics from the catalog under PATHS (default: the current directory) \
and from the git history of its repository, then place the organisation in an adoption phase \
with the gates that phase needs, what blocks the next one and the top three actions.\n\n\
Without usage data the phase is an estimate from catalog onboarding (confidence: low). \
Trends and people metrics need full git history: a shallow clone gets snapshot metrics only.",
        after_help = "Exit status: 0 report written, 2 usage error, 3 internal or I/O error.\n\n\
Examples:\n  callboard adoption report\n  callboard adoption report --format markdown --output adoption.md\n  \
callboard adoption report --platform-team group:default/platform --format json\n  \
callboard adoption report --as-of 2025-06-30\n\nSee docs/adoption.md."
    )]
    Report(AdoptionReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdoptionFormat {
    /// Verdict, gates, blockers and actions, then metric tables.
    #[value(name = "text", alias = "table", alias = "human")]
    Table,
    /// Versioned JSON (see docs/adoption.md).
    Json,
    /// Markdown for a pull-request comment, a wiki or $GITHUB_STEP_SUMMARY.
    Markdown,
    /// A self-contained HTML report (inline SVG charts, no scripts from elsewhere).
    Html,
    /// One row per metric and month, then the as-of values (with --compare fields).
    Csv,
    /// The rows of csv as JSON objects, one per line.
    Ndjson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsageFormatArg {
    /// Detect from the CSV header or the first NDJSON record.
    Auto,
    /// timestamp,user,action[,plugin,subject,entity_ref,value]
    Events,
    /// Red Hat Developer Hub Adoption Insights events table dump.
    Rhdh,
    /// GA4 BigQuery export (NDJSON or flattened CSV).
    Ga4,
    /// period_start,period,metric,value[,dimension]
    Aggregate,
}

#[derive(Debug, Args)]
pub struct AdoptionReportArgs {
    /// Files or directories holding the catalog.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The date to report on (YYYY-MM-DD); default: the date of the HEAD commit.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AdoptionFormat::Table)]
    pub format: AdoptionFormat,

    #[command(flatten)]
    pub output: OutputArgs,

    /// A Group of the platform team (repeatable; child groups count too): separates
    /// self-service catalog commits from the platform team's.
    #[arg(long, value_name = "GROUP")]
    pub platform_team: Vec<String>,

    /// Portal usage data (repeatable): events (CSV or NDJSON), an RHDH Adoption Insights
    /// events dump, a GA4 BigQuery export, or aggregates; see docs/adoption.md.
    #[arg(long, value_name = "FILE")]
    pub usage: Vec<PathBuf>,

    /// The format of the --usage files (default: detected from the header or first record).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = UsageFormatArg::Auto)]
    pub usage_format: UsageFormatArg,

    /// Skip bad usage rows (counted in the notes) instead of failing.
    #[arg(long)]
    pub usage_lenient: bool,

    /// Name individual users in the usage lists (default: aggregates only).
    #[arg(long)]
    pub show_names: bool,

    /// Add the change of every metric against the report at another revision (every format).
    #[arg(long, value_name = "REV")]
    pub compare: Option<String>,

    /// The teams of the per-team section: a filter of `catalog query --where` over Groups,
    /// e.g. `childOf=group:default/engineering` or `name~^pay` (default: every team).
    #[arg(long, value_name = "FILTER")]
    pub teams: Option<String>,

    /// The eligible developers (a pilot group): a filter over Users, e.g.
    /// `memberOf=group:default/pilot`; rates and per-team numbers count only them.
    #[arg(long, value_name = "FILTER")]
    pub eligible: Option<String>,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// Extra reports from the same evaluation, shared by every reporting command (`catalog
/// validate`, `score`, `scaffold lint`, `adoption report`).
#[derive(Debug, Clone, Default, Args)]
pub struct ReportArgs {
    /// Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g.
    /// `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its
    /// own budget as `markdown:comment=PATH` (see --markdown-limit).
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report_spec)]
    pub reports: Vec<ReportSpec>,
    /// The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a
    /// step summary, the default) or a number of bytes. The report is cut to fit, most
    /// important first, with "N more" lines.
    #[arg(long, value_name = "comment|summary|BYTES", default_value = "summary")]
    pub markdown_limit: crate::report::markdown::MarkdownLimit,
}

/// One `--report FORMAT[:LIMIT]=PATH`.
#[derive(Debug, Clone)]
pub struct ReportSpec {
    pub format: String,
    /// A markdown budget of its own (`markdown:comment=PATH`).
    pub limit: Option<crate::report::markdown::MarkdownLimit>,
    pub path: PathBuf,
}

fn parse_report_spec(s: &str) -> Result<ReportSpec, String> {
    let (format, path) = s
        .split_once('=')
        .filter(|(f, p)| !f.is_empty() && !p.is_empty())
        .ok_or("expected FORMAT=PATH, e.g. sarif=callboard.sarif")?;
    let (format, limit) = match format.split_once(':') {
        Some((f, l)) => (f, Some(l.parse().map_err(|e| format!("{l}: {e}"))?)),
        None => (format, None),
    };
    Ok(ReportSpec {
        format: format.to_string(),
        limit,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// Tables per scorecard and per owner team.
    #[value(name = "text", alias = "table", alias = "human")]
    Table,
    /// Versioned JSON (see docs/score.md); also the --baseline input.
    Json,
    /// Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY.
    Markdown,
    /// SARIF 2.1.0: one result per failing rule and entity.
    Sarif,
    /// JUnit XML: one test case per rule and entity.
    Junit,
    /// A self-contained HTML page of the --history trend (inline SVG charts; needs --history).
    Html,
    /// Markdown reminders of the campaigns: one section per team with remaining entities.
    Reminders,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Any failing error-severity rule fails the gate.
    Error,
    /// Failing rules and warnings fail the gate.
    Warning,
    /// Only thresholds (levels, scores, required rules, regressions) fail the gate.
    Never,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files or directories holding the catalog.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Scorecard file or directory (repeatable).
    #[arg(long, value_name = "FILE|DIR")]
    pub scorecard: Vec<PathBuf>,

    /// Waivers file (default: .callboard/waivers.yaml at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,

    /// Ignore every waiver (the unwaived picture, for audits).
    #[arg(long)]
    pub no_waivers: bool,

    /// Score only this entity (repeatable), e.g. component:default/payments.
    #[arg(long, value_name = "REF")]
    pub entity: Vec<String>,

    /// List only entities whose file or directory changed since the merge-base with REF (every entity is still scored and gated).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// Compare with revision REV (its scorecards, waivers and catalog, read from git objects) and fail on what the change introduces: a new failing rule, a lower level, an entity leaving a scorecard's scope.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// With --base: accept entities leaving a scorecard's scope (still named in the report).
    #[arg(long, requires = "base")]
    pub allow_scope_exit: bool,

    /// Fail the gate when an entity is below this level.
    #[arg(long, value_name = "LEVEL")]
    pub min_level: Option<String>,

    /// Fail the gate when an entity scores below N (0-100).
    #[arg(long, value_name = "N")]
    pub min_score: Option<f64>,

    /// Which rule outcomes fail the gate by themselves.
    #[arg(long, value_enum, default_value_t = FailOnArg::Never)]
    pub fail_on: FailOnArg,

    /// An earlier JSON report to compare with.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Fail the gate when any entity's score or level dropped against --baseline.
    #[arg(long, requires = "baseline")]
    pub no_regression: bool,

    /// The date to evaluate at (YYYY-MM-DD): pins enforceFrom, waiver expiry and git ages, and is printed as generatedAt.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,

    /// External facts for `facts.*` rules (repeatable): JSON, NDJSON or CSV keyed by entity, or
    /// a SARIF, JUnit, Cobertura or lcov report mapped to entities by path. The format is read
    /// from the content; a prefix forces it (sarif:FILE, json:, ndjson:, csv:, junit:, cobertura:, lcov:).
    #[arg(long, value_name = "[ADAPTER:]FILE")]
    pub facts: Vec<String>,

    /// The date of the --facts values whose file carries none (YYYY-MM-DD), for `maxAge`.
    #[arg(long, value_name = "DATE")]
    pub facts_date: Option<String>,

    /// Explain one rule (RULE or SCORECARD/RULE): its check, and its result for each entity.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Also score each month end of the last MONTHS months (6m, 12m, 24m; at most 36m) from git
    /// objects, and report the trend per scorecard, rule and --group-by group.
    #[arg(long, value_name = "MONTHS", conflicts_with = "explain")]
    pub history: Option<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Roll the results up per owner team, system or domain (every format): entities per level
    /// and failing rules per group.
    #[arg(long, value_enum, value_name = "KEY")]
    pub group_by: Option<GroupBy>,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub config: ConfigArgs,
}

impl From<GroupBy> for crate::report::score::GroupBy {
    fn from(by: GroupBy) -> Self {
        match by {
            GroupBy::Owner => crate::report::score::GroupBy::Owner,
            GroupBy::System => crate::report::score::GroupBy::System,
            GroupBy::Domain => crate::report::score::GroupBy::Domain,
        }
    }
}

/// What `score --group-by` rolls results up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// The owning team (spec.owner; a User owner counts for the team it is a member of).
    Owner,
    /// spec.system.
    System,
    /// The domain of the entity's system (or of a System, its spec.domain).
    Domain,
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
    /// Select entities with a filter and print them (table, json, ndjson, refs, files).
    #[command(
        after_help = "Filter examples:\n  kind=Component and spec.lifecycle=production\n  \
ownedBy=group:default/platform            (through child groups too)\n  \
kind=Component and not metadata.annotations[backstage.io/techdocs-ref]\n  \
partOf=system:default/payments or tag=legacy\n  name~^payments-\n\nSee docs/bulk.md."
    )]
    Query(QueryArgs),
    /// Change fields of the selected entities with minimal textual edits (dry run by default).
    #[command(
        after_help = "Operations apply in the order given. Without --write, prints a diff and writes nothing.\n\n\
Examples:\n  callboard catalog edit --where 'kind=Component and spec.lifecycle=production' --annotate pagerduty.com/service-id=TBD\n  \
callboard catalog edit --where 'system=payments' --set spec.system=checkout --write\n  \
callboard catalog edit --where kind=Component --rename-key backstage.io/github-actions-id github.com/project-slug"
    )]
    Edit(EditArgs),
    /// Rename an entity and rewrite every reference to it, in the form each was written.
    Rename(RenameArgs),
    /// Create an entity from its kind's required fields, checked as `catalog validate` checks
    /// it (dry run by default).
    #[command(
        after_help = "Examples:\n  callboard catalog new component payments --owner team-a --type service --lifecycle production --file services/payments/catalog-info.yaml\n  \
callboard catalog new group team-payments --type team --parent platform --file org/groups.yaml --write"
    )]
    New(NewArgs),
    /// Move an entity's YAML document into another file and rewrite the Location targets that
    /// named its old file (dry run by default).
    #[command(
        after_help = "Examples:\n  callboard catalog move component:payments --to services/payments/catalog-info.yaml\n  \
callboard catalog move group:team-a --to org/teams.yaml --write"
    )]
    Move(MoveArgs),
    /// Apply a named migration (see --list).
    Migrate(MigrateArgs),
    /// Draw the relations of the selected entities as Graphviz DOT or Mermaid.
    Graph(GraphArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// A table of entity, owner and file.
    #[value(name = "text", alias = "table", alias = "human")]
    Table,
    /// Versioned JSON: {version, count, entities}.
    Json,
    /// One JSON object per entity per line.
    Ndjson,
    /// One entity reference per line.
    Refs,
    /// One file path per line (each once).
    Files,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Catalog files or directories.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Which entities (default: all).
    #[arg(long = "where", short = 'w', value_name = "FILTER", default_value = "")]
    pub filter: String,
    /// Backstage's filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service`
    /// (every statement holds; keys and values without case). Repeatable: any of them.
    #[arg(long = "filter", value_name = "BACKSTAGE_FILTER")]
    pub backstage_filter: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangeFormat {
    /// A unified diff and a summary.
    #[value(alias = "text", alias = "human")]
    Diff,
    /// Every change as JSON (file, line, entity, path, old, new).
    Json,
}

/// Flags shared by commands that change files.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Apply the changes (default: dry run, print what would change).
    #[arg(long, conflicts_with = "dry_run")]
    pub write: bool,
    /// Print what would change and write nothing (the default; for explicit scripts).
    #[arg(long)]
    pub dry_run: bool,
    /// Write even if the result has validation errors the original did not have.
    #[arg(long)]
    pub force: bool,
    /// Write even when the git work tree has uncommitted changes.
    #[arg(long)]
    pub allow_dirty: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ChangeFormat::Diff)]
    pub format: ChangeFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Catalog files or directories.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Which entities to change (required unless --filter is given; use 'kind=Component' or
    /// similar to be explicit).
    #[arg(
        long = "where",
        short = 'w',
        value_name = "FILTER",
        required_unless_present = "backstage_filter"
    )]
    pub filter: Option<String>,
    /// Backstage's filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service`
    /// (every statement holds; keys and values without case). Repeatable: any of them.
    #[arg(long = "filter", value_name = "BACKSTAGE_FILTER")]
    pub backstage_filter: Vec<String>,
    /// Set a field: PATH=VALUE (VALUE is typed as YAML: 3, true; strings are quoted when needed).
    #[arg(long, value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Remove a field.
    #[arg(long, value_name = "PATH")]
    pub unset: Vec<String>,
    /// Add a tag to metadata.tags.
    #[arg(long, value_name = "TAG")]
    pub add_tag: Vec<String>,
    /// Remove a tag from metadata.tags.
    #[arg(long, value_name = "TAG")]
    pub remove_tag: Vec<String>,
    /// Set an annotation: KEY=VALUE (always a string).
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotate: Vec<String>,
    /// Remove an annotation.
    #[arg(long, value_name = "KEY")]
    pub remove_annotation: Vec<String>,
    /// Rename an annotation key: OLD NEW.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    pub rename_key: Vec<String>,
    /// Add an item to a list, unless it is there: PATH=VALUE (e.g. spec.dependsOn=component:ledger;
    /// the list is created when absent).
    #[arg(long, value_name = "PATH=VALUE")]
    pub add: Vec<String>,
    /// Remove an item from a list: PATH=VALUE (the list goes when it is emptied).
    #[arg(long, value_name = "PATH=VALUE")]
    pub remove: Vec<String>,
    /// With --set and --annotate: only add fields that are absent, never change a value.
    #[arg(long)]
    pub if_missing: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The entity to rename, e.g. group:default/team-a (not with --map).
    #[arg(required_unless_present = "map")]
    pub from: Option<String>,
    /// The new reference (kind:namespace/name) or just the new name (not with --map).
    #[arg(required_unless_present = "map")]
    pub to: Option<String>,
    /// Catalog files or directories (default: the current directory).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Renames from a CSV file, `old,new` per line (a header line `old,new`, `#` comments and
    /// blank lines allowed), all planned and written in one transaction. With --map, every
    /// positional argument is a path.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// TO exists already: move every reference to FROM onto it (transfer a team's ownership
    /// onto another team) and leave FROM's definition to be removed by hand.
    #[arg(long)]
    pub merge: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The kind: component, api, resource, system, domain, group or user.
    pub kind: String,
    /// The new entity's name (metadata.name).
    pub name: String,
    /// Catalog files or directories, to check the new entity against.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The file the entity goes into: appended as a new document, or created.
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// metadata.namespace (default: the default namespace, not written).
    #[arg(long)]
    pub namespace: Option<String>,
    /// metadata.title.
    #[arg(long)]
    pub title: Option<String>,
    /// metadata.description.
    #[arg(long)]
    pub description: Option<String>,
    /// spec.owner (Component, API, Resource, System, Domain).
    #[arg(long)]
    pub owner: Option<String>,
    /// spec.type.
    #[arg(long = "type", value_name = "TYPE")]
    pub entity_type: Option<String>,
    /// spec.lifecycle (Component, API).
    #[arg(long)]
    pub lifecycle: Option<String>,
    /// spec.system (Component, API, Resource).
    #[arg(long)]
    pub system: Option<String>,
    /// spec.domain (System).
    #[arg(long)]
    pub domain: Option<String>,
    /// spec.definition (API).
    #[arg(long)]
    pub definition: Option<String>,
    /// spec.parent (Group).
    #[arg(long)]
    pub parent: Option<String>,
    /// spec.memberOf (User); repeatable.
    #[arg(long = "member-of", value_name = "GROUP")]
    pub member_of: Vec<String>,
    /// An export of the portal's catalog, as for `catalog validate`: references to its
    /// entities resolve. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub known_entities: Vec<PathBuf>,
    /// When no Location reaches a new FILE, add it to the spec.targets of the first Location
    /// in LOCATION_FILE.
    #[arg(long, value_name = "LOCATION_FILE")]
    pub add_to_location: Option<PathBuf>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The entity to move, e.g. component:default/payments.
    pub reference: String,
    /// The file it goes into: appended as a new document, or created.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// Catalog files or directories.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Migrations to apply (see --list).
    pub names: Vec<String>,
    /// List the migrations.
    #[arg(long)]
    pub list: bool,
    /// Catalog files or directories.
    #[arg(long = "path", value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Migrate only these entities (the filter language of `catalog query`), e.g. one team's
    /// files first.
    #[arg(long = "where", short = 'w', value_name = "FILTER", default_value = "")]
    pub filter: String,
    /// Backstage's filter syntax, as in /api/catalog/entities?filter=…. Repeatable: any of them.
    #[arg(long = "filter", value_name = "BACKSTAGE_FILTER")]
    pub backstage_filter: Vec<String>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Catalog files or directories.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Which entities (default: all).
    #[arg(long = "where", short = 'w', value_name = "FILTER", default_value = "")]
    pub filter: String,
    /// Backstage's filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service`
    /// (every statement holds; keys and values without case). Repeatable: any of them.
    #[arg(long = "filter", value_name = "BACKSTAGE_FILTER")]
    pub backstage_filter: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
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
    /// Code frames for people (colour on a terminal; NO_COLOR and CLICOLOR_FORCE respected).
    #[value(name = "text", alias = "human", alias = "table")]
    Human,
    /// Versioned JSON (see docs/validate.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY (cut to --markdown-limit).
    Markdown,
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

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Report references that resolve to no entity as errors, not warnings.
    #[arg(long)]
    pub strict_refs: bool,

    /// An export of the portal's catalog (JSON of /api/catalog/entities, NDJSON, or
    /// `catalog query --format ndjson`): references to its entities resolve. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub known_entities: Vec<PathBuf>,

    /// Your portal's app-config: its catalog.rules and per-location rules decide which kinds
    /// may come from where (default: app-config*.yaml at the repository root, if any). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub app_config: Vec<PathBuf>,

    /// Do not read app-config*.yaml from the repository root.
    #[arg(long, conflicts_with = "app_config")]
    pub no_app_config: bool,

    /// Exit with status 1 when there are warnings, too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Only report on files changed since the merge-base with REF (references still resolve
    /// against the whole catalog).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// Compare with revision REV (its catalog read from git objects): problems it has too are
    /// reported as existing and do not fail the run.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Fix every finding that has one obvious fix, as minimal edits: print the diff (dry run),
    /// or with --write apply it and report what remains. Formats: human (the diff) and json.
    #[arg(long)]
    pub fix: bool,

    /// With --fix: apply the fixes, every file in one transaction.
    #[arg(long, requires = "fix")]
    pub write: bool,

    /// With --fix --write: write even when the git work tree has uncommitted changes.
    #[arg(long, requires = "write")]
    pub allow_dirty: bool,
}

impl Command {
    /// Whether the command was asked for JSON on stdout: then a failure is reported there as a
    /// JSON error object too, so a pipeline always reads valid JSON.
    pub fn json_output(&self) -> bool {
        match self {
            Command::Catalog(c) => match c {
                CatalogCommand::Validate(a) => a.format == Format::Json,
                CatalogCommand::Query(a) => {
                    matches!(a.format, QueryFormat::Json | QueryFormat::Ndjson)
                }
                CatalogCommand::Edit(EditArgs { write, .. })
                | CatalogCommand::Rename(RenameArgs { write, .. })
                | CatalogCommand::New(NewArgs { write, .. })
                | CatalogCommand::Move(MoveArgs { write, .. })
                | CatalogCommand::Migrate(MigrateArgs { write, .. }) => {
                    write.format == ChangeFormat::Json
                }
                CatalogCommand::Graph(_) => false,
            },
            Command::Score(a) => a.format == ScoreFormat::Json,
            // Standard output is the protocol: a failure is told on standard error.
            Command::Lsp(_) => false,
            Command::Adoption(AdoptionCommand::Report(a)) => a.format == AdoptionFormat::Json,
            Command::Scaffold(s) => match s {
                ScaffoldCommand::List(ScaffoldListArgs { format, .. })
                | ScaffoldCommand::Show(ScaffoldShowArgs { format, .. })
                | ScaffoldCommand::Run(ScaffoldRunArgs { format, .. })
                | ScaffoldCommand::Check(ScaffoldCheckArgs { format, .. }) => {
                    *format == ScaffoldFormat::Json
                }
                ScaffoldCommand::Update(a) => a.format() == ScaffoldFormat::Json,
                ScaffoldCommand::Lint(a) => a.format == LintFormat::Json,
                // Batch always prints JSON lines.
                ScaffoldCommand::Batch(_) => true,
            },
            Command::MergeResults(a) => a.format == MergeFormat::Json,
            Command::Completions(_) | Command::Man(_) => false,
        }
    }
}
