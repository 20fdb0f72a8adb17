//! `popdelta sources`: where every bundled figure comes from and how sure it is.

use std::io::Write;

use popdelta::load::bundled::Dataset;
use popdelta::render;

use super::to_stdout;
use crate::cli::DatasetArg;

/// Prints the sources of the dataset asked for, or of every bundled dataset.
pub fn run(args: &DatasetArg) -> anyhow::Result<u8> {
    to_stdout(|out| {
        match args.dataset {
            Some(dataset) => render::sources::write(out, dataset)?,
            None => {
                for (i, &ds) in Dataset::ALL.iter().enumerate() {
                    if i > 0 {
                        writeln!(out, "\n{}\n", "=".repeat(render::WRAP_WIDTH))?;
                    }
                    render::sources::write(out, ds)?;
                }
            }
        }
        Ok(())
    })
}
