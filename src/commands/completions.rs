//! `popdelta completions SHELL`: a shell completion script.

use clap::CommandFactory;

use super::to_stdout;
use crate::cli::Cli;

/// Prints the completion script for `shell`.
pub fn run(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    to_stdout(|out| {
        clap_complete::generate(shell, &mut Cli::command(), "popdelta", out);
        Ok(())
    })
}
