use std::process::ExitCode;

// Loading allocates many small nodes; mimalloc is markedly faster than the system allocator here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, FromArgMatches};

use callboard::cli::{AdoptionCommand, CatalogCommand, Cli, Command, ScaffoldCommand};
use callboard::commands::{self, Outcome, UsageError};

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // `catalog edit` applies its operations in command-line order, which only the matches know.
    let edit_matches = matches
        .subcommand_matches("catalog")
        .and_then(|m| m.subcommand_matches("edit"));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &cli.command {
        Command::Catalog(CatalogCommand::Validate(args)) => commands::validate::run(args),
        Command::Catalog(CatalogCommand::Query(args)) => commands::bulk::query(args),
        Command::Catalog(CatalogCommand::Edit(args)) => commands::bulk::edit(args, edit_matches),
        Command::Catalog(CatalogCommand::Rename(args)) => commands::bulk::rename(args),
        Command::Catalog(CatalogCommand::New(args)) => commands::bulk::new(args),
        Command::Catalog(CatalogCommand::Move(args)) => commands::bulk::move_entity(args),
        Command::Catalog(CatalogCommand::Migrate(args)) => commands::bulk::migrate(args),
        Command::Catalog(CatalogCommand::Graph(args)) => commands::bulk::graph(args),
        Command::Score(args) => commands::score::run(args),
        Command::Adoption(AdoptionCommand::Report(args)) => commands::adoption::report(args),
        Command::Scaffold(ScaffoldCommand::List(args)) => commands::scaffold::list(args),
        Command::Scaffold(ScaffoldCommand::Show(args)) => commands::scaffold::show(args),
        Command::Scaffold(ScaffoldCommand::Lint(args)) => commands::scaffold::lint(args),
        Command::Scaffold(ScaffoldCommand::Run(args)) => commands::scaffold::run(args),
        Command::Scaffold(ScaffoldCommand::Batch(args)) => commands::scaffold::batch(args),
        Command::Scaffold(ScaffoldCommand::Check(args)) => commands::scaffold_update::check(args),
        Command::Scaffold(ScaffoldCommand::Update(args)) => commands::scaffold_update::update(args),
        Command::Completions(args) => commands::shell::completions(args),
        Command::Man(args) => commands::shell::man(args),
        Command::MergeResults(args) => commands::fleet::merge_results(args),
        Command::Lsp(args) => commands::lsp::run(args),
    }));
    let (outcome, message) = match result {
        Ok(Ok(outcome)) => return ExitCode::from(outcome.code()),
        Ok(Err(err)) => match err.downcast_ref::<UsageError>() {
            Some(usage) => (Outcome::UsageError, usage.to_string()),
            None => (Outcome::Failure, format!("error: {err:#}")),
        },
        Err(_) => (
            Outcome::Failure,
            "error: internal error (a bug in callboard); please report it with the input that caused it"
                .to_string(),
        ),
    };
    eprintln!(
        "{}",
        callboard::report::escape::control_keep_newlines(&message)
    );
    if cli.command.json_output() {
        commands::print_stdout(&commands::json_error(outcome, &message));
    }
    ExitCode::from(outcome.code())
}
