//! `callboard completions` and `callboard man`: generated from the one clap definition in
//! `cli.rs`, so they never drift from `--help`.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::commands::{Outcome, require_paths, write_output};

/// The name completions and the man page are written for (the installed binary's).
const BIN_NAME: &str = "callboard";

/// The completion script for one shell, as text.
pub fn completion_script(shell: clap_complete::Shell) -> anyhow::Result<String> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, BIN_NAME, &mut script);
    Ok(String::from_utf8(script)?)
}

/// Every man page as (file name, roff text): `callboard.1` first, then one per subcommand
/// (`callboard-catalog-validate.1`), as the top page's SUBCOMMANDS section names them.
pub fn man_pages() -> anyhow::Result<Vec<(String, String)>> {
    fn collect(command: clap::Command, pages: &mut Vec<(String, String)>) -> anyhow::Result<()> {
        let man = clap_mangen::Man::new(command.clone());
        let mut page = Vec::new();
        man.render(&mut page)?;
        pages.push((man.get_filename(), String::from_utf8(page)?));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            collect(sub.clone(), pages)?;
        }
        Ok(())
    }
    // Built, so subcommands carry their full names (callboard-catalog-validate).
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    collect(command, &mut pages)?;
    Ok(pages)
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    write_output(None, &completion_script(args.shell)?)?;
    Ok(Outcome::Success)
}

pub fn man(args: &ManArgs) -> anyhow::Result<Outcome> {
    let pages = man_pages()?;
    match &args.dir {
        None => write_output(None, &pages[0].1)?,
        Some(dir) => {
            require_paths(std::slice::from_ref(dir))?;
            for (name, page) in &pages {
                write_output(Some(&dir.join(name)), page)?;
            }
        }
    }
    Ok(Outcome::Success)
}
