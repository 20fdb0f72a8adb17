//! The `popdelta` binary: parses arguments, wires load -> compute -> render, reports errors.

mod cli;

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{AutoStream, ColorChoice};
use clap::{CommandFactory, Parser};

use cli::{CheckArgs, Cli, ColorName, Command, CompareArgs, DataArgs, FormatName, FractionsName};
use popdelta::check;
use popdelta::compute;
use popdelta::compute::arrange::{Arrange, Direction, SortKey, arrange};
use popdelta::error::list_years;
use popdelta::load::bundled::{self, Dataset, Grouping};
use popdelta::load::{self, Input, LoadOptions};
use popdelta::number::Unit;
use popdelta::output::{self, Sink};
use popdelta::panel::Panel;
use popdelta::render::table::Look;
use popdelta::render::{self, Format};

/// Exit code for usage errors, bad input and I/O failures.
const EXIT_ERROR: u8 = 2;

/// Exit code of `check` when a claim does not hold or cannot be checked.
const EXIT_FAILED_CHECK: u8 = 1;

/// More rows than this are refused as a table (it is built in memory): use CSV.
const MAX_TABLE_ROWS: usize = 50_000;

fn usage(msg: String) -> anyhow::Error {
    popdelta::Error::Usage(msg).into()
}

/// Loads the panel the data options ask for: the user's files, or a bundled dataset.
fn load(args: &DataArgs) -> anyhow::Result<Panel> {
    if args.groups.is_some() && args.group_by.is_some() {
        return Err(usage(
            "--groups FILE and --group-by both say how to group; give one".to_owned(),
        ));
    }
    if args.files.is_empty() {
        let grouping = match args.group_by.as_deref() {
            None | Some("north-south") => Grouping::NorthSouth,
            Some("nbs-regions") => Grouping::NbsRegions,
            Some("none") => Grouping::None,
            Some(other) => {
                return Err(usage(format!(
                    "--group-by {other:?} is not a grouping of the bundled data; use \
                     north-south, nbs-regions or none (a column name works with FILEs)"
                )));
            }
        };
        return Ok(bundled::load(
            args.dataset.unwrap_or_default().into(),
            grouping,
        )?);
    }
    if let Some(d) = args.dataset {
        return Err(usage(format!(
            "--dataset {} is the bundled data; it does not apply when FILEs are given",
            Dataset::from(d).name()
        )));
    }
    let group_col = match args.group_by.as_deref() {
        None | Some("none") => None,
        Some(g @ ("north-south" | "nbs-regions")) => {
            return Err(usage(format!(
                "--group-by {g} is for the bundled data; with FILEs name a column of the \
                 input, or use --groups FILE"
            )));
        }
        Some(col) => Some(col.to_owned()),
    };
    let opts = LoadOptions {
        layout: args.layout.into(),
        region_cols: args.region_col.clone(),
        year_col: args.year_col.clone(),
        value_col: args.value_col.clone(),
        births_col: args.births_col.clone(),
        deaths_col: args.deaths_col.clone(),
        birth_rate_col: args.birth_rate_col.clone(),
        death_rate_col: args.death_rate_col.clone(),
        natural_rate_col: args.natural_rate_col.clone(),
        filters: args.filters.clone(),
        skip_rows: args.skip_rows,
        unit: args.unit.map(Unit::from),
        encoding: args.encoding.into(),
        group_col,
        round_fractions: args.fractions == FractionsName::Round,
        progress: io::stderr().is_terminal(),
        ordinary: args.single_threaded,
    };
    let inputs: Vec<Input> = args.files.iter().map(|f| Input::from_arg(f)).collect();
    Ok(load::load_files(&inputs, &opts)?)
}

/// Applies --region, then --groups, to a loaded panel.
fn select(panel: Panel, args: &DataArgs) -> anyhow::Result<Panel> {
    let mut panel = if args.regions.is_empty() {
        panel
    } else {
        let mut keep = Vec::new();
        for name in &args.regions {
            match panel.find(name) {
                Some(i) => keep.push(i),
                None => {
                    return Err(popdelta::Error::UnknownRegion {
                        name: name.clone(),
                        dataset: panel.info.dataset.clone(),
                        suggestions: panel.suggest(name),
                    }
                    .into());
                }
            }
        }
        panel.select(&keep)
    };
    if let Some(file) = &args.groups {
        let input = Input::from_arg(file);
        load::groups::apply(
            &mut panel,
            &input,
            args.unmapped.into(),
            args.encoding.into(),
        )?;
    }
    Ok(panel)
}

fn run_compare(args: &CompareArgs) -> anyhow::Result<()> {
    popdelta::timings::mark("start");
    let panel = select(load(&args.data)?, &args.data)?;
    popdelta::timings::mark("loaded");
    let (from, to) = compute::resolve_years(&panel, args.from, args.to, panel.info.default_years)?;
    let mut cmp = compute::compare(&panel, from, to)?;
    let how = Arrange {
        sort: args.sort.map(SortKey::from),
        reverse: args.reverse,
        only: if args.declining {
            Some(Direction::Declining)
        } else if args.growing {
            Some(Direction::Growing)
        } else {
            None
        },
        top: args.top,
    };
    arrange(&mut cmp, &how);
    if !cmp.excluded.is_empty() {
        let names: Vec<String> = cmp
            .excluded
            .iter()
            .map(|e| format!("{} (no {})", e.region, list_years(&e.missing)))
            .collect();
        eprintln!(
            "popdelta: note: {} region{} left out of the totals for lacking a year: {}",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        );
    }
    popdelta::timings::mark("computed");
    let mut sink = match &args.output {
        Some(path) => Sink::file(path, &input_paths(&args.data))?,
        None => Sink::stdout(),
    };
    let format = pick_format(args.format, &sink);
    let shown = cmp.shown();
    if format == Format::Table && shown > MAX_TABLE_ROWS {
        return Err(usage(format!(
            "{shown} rows are too many for a table, which is built in memory; use --format \
             csv (the default in a pipe or with --output), or fewer rows with --top N"
        )));
    }
    let color = want_color(args.color, &sink);
    let look = Look {
        color,
        ascii: args.ascii,
    };
    if let Some(svg) = &args.svg {
        let mut bytes = Vec::new();
        render::svg::write(&mut bytes, &cmp, &panel.info)?;
        output::write_file(svg, &input_paths(&args.data), &bytes)?;
    }
    if args.chart {
        render::chart::write(&mut sink, &cmp, &panel.info, color)?;
    } else {
        let opts = render::Options {
            look,
            bom: args.bom,
        };
        render::write(&mut sink, format, &cmp, &panel.info, opts)?;
    }
    sink.finish()?;
    popdelta::timings::mark("written");
    Ok(())
}

/// The files a run reads, which --output and --svg must not overwrite.
fn input_paths(args: &DataArgs) -> Vec<PathBuf> {
    args.files
        .iter()
        .filter(|f| *f != "-")
        .map(PathBuf::from)
        .chain(args.groups.iter().map(PathBuf::from))
        .collect()
}

/// Runs `popdelta check`; the exit code says whether every claim held.
fn run_check(args: &CheckArgs) -> anyhow::Result<u8> {
    let (label, text) = match &args.claims {
        Some(p) if p.as_os_str() == "-" => {
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .map_err(|source| popdelta::Error::Io {
                    path: "<stdin>".into(),
                    source,
                })?;
            ("<stdin>".to_owned(), text)
        }
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|source| popdelta::Error::Io {
                path: p.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                usage(format!(
                    "{}: the claims file is not UTF-8; save it as UTF-8",
                    p.display()
                ))
            })?;
            (p.display().to_string(), text)
        }
        None => (
            "bundled data/claims-2018-report.csv".to_owned(),
            check::BUNDLED_CLAIMS.to_owned(),
        ),
    };
    let claims = check::parse_claims(&label, &text)?;
    let panel = select(load(&args.data)?, &args.data)?;
    let checked = check::check(&panel, &claims);
    let mut inputs = input_paths(&args.data);
    inputs.extend(args.claims.iter().cloned());
    let mut sink = match &args.output {
        Some(path) => Sink::file(path, &inputs)?,
        None => Sink::stdout(),
    };
    let format = pick_format(args.format, &sink);
    let look = Look {
        color: want_color(args.color, &sink),
        ascii: args.ascii,
    };
    render::check::write(&mut sink, &checked, format, look)?;
    sink.finish()?;
    let all_hold = checked.iter().all(|c| c.verdict == check::Verdict::Holds);
    Ok(if all_hold { 0 } else { EXIT_FAILED_CHECK })
}

/// The format asked for, or table on a terminal and CSV elsewhere.
fn pick_format(asked: Option<FormatName>, sink: &Sink) -> Format {
    match asked {
        Some(name) => name.into(),
        None if sink.is_terminal() => Format::Table,
        None => Format::Csv,
    }
}

/// Whether to colour: as asked, or (auto) as anstream decides for a terminal and NO_COLOR.
fn want_color(asked: ColorName, sink: &Sink) -> bool {
    match asked {
        ColorName::Always => true,
        ColorName::Never => false,
        ColorName::Auto => {
            sink.is_terminal() && AutoStream::choice(&io::stdout()) != ColorChoice::Never
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    let simple = |write: &dyn Fn(&mut Sink) -> anyhow::Result<()>| -> anyhow::Result<u8> {
        let mut sink = Sink::stdout();
        write(&mut sink)?;
        sink.finish()?;
        Ok(0)
    };
    match &cli.command {
        Command::Compare(args) => run_compare(args).map(|()| 0),
        Command::Check(args) => run_check(args),
        Command::Data(d) => simple(&|out| {
            render::data::write(out, d.dataset.unwrap_or_default().into())?;
            Ok(())
        }),
        Command::Sources(d) => simple(&|out| {
            match d.dataset {
                Some(name) => render::sources::write(out, name.into())?,
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
        }),
        Command::Completions { shell } => simple(&|out| {
            clap_complete::generate(*shell, &mut Cli::command(), "popdelta", out);
            Ok(())
        }),
        Command::Man => simple(&|out| {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            Ok(())
        }),
    }
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
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Our errors already name their cause; the chain would repeat it.
            eprintln!("popdelta: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
