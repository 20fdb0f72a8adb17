//! `popdelta data`: a bundled dataset as CSV, every figure with its sources.

use popdelta::render;

use super::to_stdout;
use crate::cli::DatasetArg;

/// Prints the dataset asked for (the default one when none is).
pub fn run(args: &DatasetArg) -> anyhow::Result<u8> {
    let format = args.format.unwrap_or(render::Format::Csv);
    to_stdout(|out| {
        Ok(render::data::write_as(
            out,
            args.dataset.unwrap_or_default(),
            format,
        )?)
    })
}
