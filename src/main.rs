use std::process::ExitCode;

// Loading allocates many small nodes; mimalloc is markedly faster than the system allocator here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use callboard::cli::{AdoptionCommand, CatalogCommand, Cli, Command, ScaffoldCommand};
use callboard::commands::{self, validate::UsageError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Catalog(CatalogCommand::Validate(args)) => commands::validate::run(args),
        Command::Catalog(CatalogCommand::Query(args)) => commands::bulk::query(args),
        Command::Catalog(CatalogCommand::Edit(args)) => commands::bulk::edit(args),
        Command::Catalog(CatalogCommand::Rename(args)) => commands::bulk::rename(args),
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
    });
    match result {
        Ok(Ok(outcome)) => ExitCode::from(outcome.code()),
        Ok(Err(err)) => {
            if let Some(usage) = err.downcast_ref::<UsageError>() {
                eprintln!(
                    "{}",
                    callboard::report::escape::control_keep_newlines(&usage.to_string())
                );
                ExitCode::from(commands::Outcome::UsageError.code())
            } else {
                eprintln!(
                    "error: {}",
                    callboard::report::escape::control_keep_newlines(&format!("{err:#}"))
                );
                ExitCode::from(3)
            }
        }
        Err(_) => {
            eprintln!(
                "error: internal error (a bug in callboard); please report it with the input that caused it"
            );
            ExitCode::from(3)
        }
    }
}
