//! `popdelta man`: the man page, in roff.

use clap::CommandFactory;

use super::to_stdout;
use crate::cli::Cli;

/// Prints the man page.
pub fn run() -> anyhow::Result<u8> {
    to_stdout(|out| Ok(clap_mangen::Man::new(Cli::command()).render(out)?))
}
