//! The `popdelta` binary: parses arguments, wires load -> compute -> render, reports errors.

mod cli;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, CompareArgs, DatasetName, FormatName, GroupBy};
use popdelta::compute;
use popdelta::load::bundled::{self, Dataset, Grouping};
use popdelta::render::{self, Format};

/// Exit code for usage errors, bad input and I/O failures.
const EXIT_ERROR: u8 = 2;

fn dataset(name: DatasetName) -> Dataset {
    match name {
        DatasetName::China => Dataset::China,
    }
}

fn run_compare(args: &CompareArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let grouping = match args.group_by {
        GroupBy::NorthSouth => Grouping::NorthSouth,
        GroupBy::NbsRegions => Grouping::NbsRegions,
        GroupBy::None => Grouping::None,
    };
    let panel = bundled::load(dataset(args.dataset), grouping)?;
    let (from, to) = compute::resolve_years(&panel, args.from, args.to, panel.info.default_years)?;
    let cmp = compute::compare(&panel, from, to)?;
    for e in &cmp.excluded {
        eprintln!(
            "popdelta: note: {} left out of the totals: no population for {}",
            e.region,
            popdelta::error::list_years(&e.missing)
        );
    }
    let format = match args.format {
        Some(FormatName::Table) => Format::Table,
        Some(FormatName::Csv) => Format::Csv,
        Some(FormatName::Json) => Format::Json,
        None if io::stdout().is_terminal() => Format::Table,
        None => Format::Csv,
    };
    render::write(out, format, &cmp, &panel.info)?;
    Ok(())
}

fn run(cli: &Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    match &cli.command {
        Command::Compare(args) => run_compare(args, out)?,
        Command::Data(d) => render::data::write(out, dataset(d.dataset))?,
        Command::Sources(d) => render::sources::write(out, dataset(d.dataset))?,
    }
    out.flush()?;
    Ok(())
}

/// Whether an error is a closed pipe downstream (`popdelta compare | head`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match run(&cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Whatever was buffered is dropped: an error leaves no partial output behind it.
            drop(out.into_parts());
            eprintln!("popdelta: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
