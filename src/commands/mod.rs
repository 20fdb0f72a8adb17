//! One module per subcommand, each with its `run`; what they share (loading the data the
//! options name, saying the loader's notes, choosing format and colour) is here.

pub mod check;
pub mod compare;
pub mod completions;
pub mod data;
pub mod man;
pub mod sources;
pub mod trend;
pub mod vintages;

use std::io::{self, IsTerminal};

use anstream::{AutoStream, ColorChoice};
use popdelta::error::listed;
use popdelta::load::container::Opened;
use popdelta::load::layout::columns::Choice;
use popdelta::load::{self, Note};
use popdelta::output::{Sink, Targets};
use popdelta::panel::Panel;
use popdelta::period::Period;
use popdelta::render::Format;
use popdelta::render::escape::terminal;
use popdelta::render::table::Look;

use crate::cli::{ColorName, DataArgs, NotesLevel, ViewArgs};

/// More bars (or panels) than this are refused as a chart, terminal or SVG: no one reads them.
pub const MAX_CHART_BARS: usize = 2_000;

/// More rows than this are refused as a table (it is built in memory): use CSV.
pub const MAX_TABLE_ROWS: usize = 50_000;

/// Files at least this large get a progress bar on a terminal: they take a second or more.
const PROGRESS_BYTES: u64 = 64 * 1024 * 1024;

/// A progress bar on stderr for large inputs.
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new() -> Bar {
        Bar(indicatif::ProgressBar::hidden())
    }
}

impl load::Progress for Bar {
    fn start(&self, label: &str, total: u64) {
        if total < PROGRESS_BYTES {
            return;
        }
        let bar = &self.0;
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_length(total);
        bar.set_position(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ) {
            bar.set_style(style);
        }
        bar.set_message(label.to_owned());
    }

    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
        self.0
            .set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
}

/// Prints a note on stderr: something the user should know, not an error.
pub fn note(text: &str) {
    // Names from the data are shown, never obeyed by the terminal.
    eprintln!("popdelta: note: {}", terminal(text));
    if let Ok(mut said) = SAID.lock() {
        said.push(text.to_owned());
    }
}

/// Every note said so far in this run, for a workbook's notes sheet.
static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The notes said so far, in order.
pub fn said() -> Vec<String> {
    SAID.lock().map(|s| s.clone()).unwrap_or_default()
}

/// Writes a `--map` SVG to its file and says what it shows: the grid, and the regions it
/// has no tile for.
pub fn write_map(
    path: &std::path::Path,
    map: &popdelta::render::map::Map,
    targets: &Targets,
) -> anyhow::Result<()> {
    let (svg, drawn) = popdelta::render::map::svg(map)?;
    popdelta::output::write_file(path, targets, svg.as_bytes())
        .map_err(|e| with_flag("--map", e))?;
    let mut text = format!(
        "--map: {} of the {} tiles of the {} grid coloured",
        drawn.coloured, drawn.tiles, drawn.grid
    );
    if !drawn.unplaced.is_empty() {
        let count = drawn.unplaced.len();
        let names: Vec<&str> = drawn.unplaced.iter().take(10).map(String::as_str).collect();
        text.push_str(&format!(
            "; {count} region{} of the data on no tile: {}{}",
            if count == 1 { "" } else { "s" },
            names.join(", "),
            if count > names.len() { ", ..." } else { "" }
        ));
    }
    note(&text);
    Ok(())
}

/// A loader's note in the command line's words.
fn say(n: &Note) {
    match n {
        Note::Chose { file, choices } => {
            let mut said = Vec::new();
            let mut flags = Vec::new();
            for c in choices {
                let (text, flag) = choice(c);
                said.push(text);
                flags.push(flag);
            }
            let flags = match flags.split_last() {
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            note(&format!(
                "{file}: {} (say {flags} otherwise)",
                said.join("; ")
            ));
        }
        // Said by each comparison and trend that spans it.
        Note::Break { .. } => {}
        Note::Footer { file, line, text } => {
            let cut: String = text.chars().take(60).collect();
            let more = if cut.len() < text.len() { "..." } else { "" };
            note(&format!(
                "{file}: the data ends at line {line}, where notes begin ({cut:?}{more}); \
                 they are not read as data"
            ));
        }
        Note::Flags { file, flags } => {
            let counted: Vec<String> = flags.iter().map(|(f, n)| format!("{f} ({n})")).collect();
            note(&format!(
                "{file}: flags after figures read as flags, not figures: {} (b break in \
                 series, e estimated, p provisional, u low reliability, c confidential)",
                listed(&counted, ", ")
            ));
        }
        Note::Opened { file, opened } => say_opened(file, opened),
        Note::OutsideRegions {
            file,
            column,
            regions,
        } => note(&format!(
            "{file}: {} {} {column} X, in no census region, so the total holds more than the \
             nation's; --where {column}!=X leaves {} out",
            listed(regions, ", "),
            if regions.len() == 1 { "has" } else { "have" },
            if regions.len() == 1 { "it" } else { "them" },
        )),
        Note::HeaderRows {
            file,
            lines: (first, last),
            footnotes,
        } => {
            let read: Vec<String> = footnotes
                .iter()
                .map(|(was, is)| format!("{was:?} as {is:?}"))
                .collect();
            note(&format!(
                "{file}: the header is lines {first} to {last}, read as one{}",
                if read.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; footnote digits after years taken off: {}",
                        listed(&read, ", ")
                    )
                }
            ));
        }
        Note::DottedParts {
            file,
            totals,
            outside,
        } => {
            let mut said = Vec::new();
            if !totals.is_empty() {
                said.push(format!("as totals: {}", listed(totals, ", ")));
            }
            if !outside.is_empty() {
                said.push(format!(
                    "after the last part, outside them: {}",
                    listed(outside, ", ")
                ));
            }
            note(&format!(
                "{file}: rows marked with a leading dot are the parts; the others are set \
                 apart, not summed, {}",
                said.join("; ")
            ));
        }
        Note::FiguresAre {
            file,
            what,
            said_by,
        } => note(&popdelta::load::figures_are_note(file, what, said_by)),
        Note::Totals { file, taken } => {
            let read: Vec<String> = taken
                .iter()
                .map(|t| {
                    let label = if t.label == t.code {
                        String::new()
                    } else {
                        format!("{}, ", t.label)
                    };
                    format!("{}={} ({label}of {})", t.dim, t.code, t.of)
                })
                .collect();
            note(&format!(
                "{file}: breakdowns read at their totals, never summed: {} (say --where \
                 COL=VALUE otherwise)",
                listed(&read, ", ")
            ));
        }
        Note::Parents { file, dims } => note(&format!(
            "{file}: {} follow{} from the regions: read as their parent{}, not as breakdowns",
            listed(dims, " and "),
            if dims.len() == 1 { "s" } else { "" },
            if dims.len() == 1 { "" } else { "s" },
        )),
        Note::Values { file, unit } => note(&format!(
            "{file}: the figures are values in {unit}, not persons: compared as such, never \
             rounded to persons, never totalled"
        )),
        Note::UnitAssumed { file, .. } => note(&format!(
            "{file}: no unit is stated for the figures: read as persons (say --unit otherwise)"
        )),
        Note::Repeated { file, count, first } => note(&format!(
            "{file}: {count} figure{} given again at a place of the data with the same value \
             (the first at {first}): read once",
            if *count == 1 { "" } else { "s" },
        )),
        Note::PreambleSkipped { file, lines } => note(&format!(
            "{file}: skipped {lines} line{} before the header (say --skip-rows N otherwise)",
            if *lines == 1 { "" } else { "s" }
        )),
    }
}

/// A layout choice in words, and the flag that makes it otherwise.
fn choice(c: &Choice) -> (String, &'static str) {
    match c {
        Choice::RegionColumns(cols) => (
            format!(
                "regions from column{} {}",
                if cols.len() == 1 { "" } else { "s" },
                cols.join(" and ")
            ),
            "--region-col",
        ),
        Choice::ValuePattern(p) => (format!("populations from {p}"), "--value-col"),
        Choice::DecimalComma => ("numbers written 1.234.567,8".to_owned(), "--decimal"),
        Choice::RegionByValues(col) => (
            format!(
                "regions from {col}, the column of text whose values are all \
                 different"
            ),
            "--region-col",
        ),
        Choice::RegionAlone(col) => (
            format!("regions from {col}, the only column of text"),
            "--region-col",
        ),
        Choice::Encoding(name) => (format!("encoding {name} (guessed)"), "--encoding"),
        Choice::Series { kept, left_out } => (
            format!(
                "populations from the series {kept}, which has the most columns; left out, \
                 of the same years: {}",
                listed(left_out, ", ")
            ),
            "--value-col",
        ),
        Choice::Delimiter(d) => (
            format!(
                "fields separated by {}",
                match d {
                    b'\t' => "tabs".to_owned(),
                    d => format!("'{}'", char::from(*d)),
                }
            ),
            "--delimiter",
        ),
        Choice::Unit(unit, said_by) => (
            format!("values in {}, as {said_by:?} says", unit.describe()),
            "--unit",
        ),
    }
}

/// How a file was opened, where it was a choice to say: a sheet of several, a JSON-stat
/// dataset's dimensions, a member of an archive.
fn say_opened(file: &str, opened: &Opened) {
    match opened {
        // A sheet the user named is no guess to say.
        Opened::Sheet {
            name,
            all,
            named: false,
        } if all.len() > 1 => note(&format!(
            "{file}: read sheet {name:?} of {} ({}); say --sheet NAME otherwise",
            all.len(),
            listed(all, ", ")
        )),
        Opened::Sheet { .. } => {}
        Opened::JsonStat(read) => {
            let others: Vec<String> = read
                .others
                .iter()
                .map(|(d, n)| format!("{d} ({n})"))
                .collect();
            note(&format!(
                "{file}: read as {}{}: {}years from dimension {}{}",
                read.format,
                if read.label.is_empty() {
                    String::new()
                } else {
                    format!(" ({:?})", read.label)
                },
                match (&read.geo, read.geo_is_place) {
                    (Some(g), true) =>
                        format!("regions from dimension {g} (labels as names, ids as codes), "),
                    (Some(g), false) => format!(
                        "no geographic dimension: the rows are dimension {g}'s categories, "
                    ),
                    (None, _) => "no geographic dimension: the dataset is one row, ".to_owned(),
                },
                read.time,
                if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the others are read by --where: {}",
                        listed(&others, ", ")
                    )
                }
            ))
        }
        Opened::Member { name, metadata } => note(&format!(
            "{file}: read {name}{}",
            if *metadata {
                ", with each country's Region and IncomeGroup from the metadata beside it \
                 (--group-by Region or IncomeGroup)"
            } else {
                ""
            }
        )),
    }
}

/// Loads the data the options name, says the loader's notes, then applies --exclude and
/// --groups, and keeps only the regions of --region (for `check`, whose subjects are named
/// anyway).
pub fn load_data(args: &DataArgs) -> anyhow::Result<Panel> {
    let (panel, shown) = load_data_showing(args)?;
    Ok(match shown {
        Some(keep) => {
            let keep: Vec<usize> = (0..panel.len()).filter(|&r| keep[r]).collect();
            panel.select(&keep)
        }
        None => panel,
    })
}

/// As [`load_data`], but --region only says which region rows to show: the panel keeps
/// every region, so that group and total rows sum them all. `None`: show every region.
pub fn load_data_showing(args: &DataArgs) -> anyhow::Result<(Panel, Option<Vec<bool>>)> {
    load_data_periods(args, &[])
}

/// Says the notes the settling of levels added (a whole's figure made from its parts'), on
/// stderr whatever the format: a figure not in the file is never silent.
pub fn say_settled(panel: &Panel, settled: Option<&Panel>) {
    if let Some(s) = settled {
        s.info
            .notes
            .iter()
            .skip(panel.info.notes.len())
            .for_each(|n| note(n));
    }
}

/// The panel compared at the level `asked` names, said on stderr and in the footer.
fn at_level(panel: &Panel, asked: &str) -> anyhow::Result<Panel> {
    let number = panel.find_level(asked).map_err(popdelta::Error::Usage)?;
    let levels = panel.levels();
    let mut out = panel.at_level(number);
    let regions: Vec<String> = levels
        .get(number - 1)
        .map(|l| {
            l.regions
                .iter()
                .map(|&r| popdelta::panel::quoted(panel.name(r)))
                .collect()
        })
        .unwrap_or_default();
    let said = format!(
        "Level {number} of {} compared ({} region{} at that level: {}); the regions above \
         and below it are set apart.",
        levels.len(),
        regions.len(),
        if regions.len() == 1 { "" } else { "s" },
        popdelta::panel::first_names(&regions, 5)
    );
    note(&said);
    out.info.notes.push(said);
    Ok(out)
}

/// The periods asked for that are not years (2023-07): the data's periods are then read as
/// they are, not as their years.
pub fn periods_asked(from: Option<Period>, to: Option<Period>) -> Vec<String> {
    [from, to]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_year())
        .map(|p| p.to_string())
        .collect()
}

/// [`load_data_showing`], reading the files' periods as they are where `periods` (2023-07)
/// were asked for.
pub fn load_data_periods(
    args: &DataArgs,
    periods: &[String],
) -> anyhow::Result<(Panel, Option<Vec<bool>>)> {
    let mut source = args.source()?;
    if let load::Source::Files { options, .. } = &mut source {
        options.periods = periods.to_vec();
    }
    let bar = Bar::new();
    let progress: Option<&dyn load::Progress> = io::stderr().is_terminal().then_some(&bar as _);
    let loaded = load::load(&source, progress)?;
    loaded.notes.iter().for_each(say);
    let mut panel = loaded.panel;
    if let Some(asked) = &args.level {
        panel = at_level(&panel, asked)?;
    }
    let find = |panel: &Panel, name: &str| {
        panel
            .find(name)
            .ok_or_else(|| popdelta::Error::UnknownRegion {
                name: name.to_owned(),
                dataset: panel.info.dataset.clone(),
                suggestions: panel.suggest(name),
            })
    };
    if !args.exclude.is_empty() {
        let mut out = vec![false; panel.len()];
        for name in &args.exclude {
            out[find(&panel, name)?] = true;
        }
        let keep: Vec<usize> = (0..panel.len()).filter(|&r| !out[r]).collect();
        panel = panel.select(&keep);
    }
    let mut shown = None;
    if !args.regions.is_empty() {
        let mut keep = vec![false; panel.len()];
        for name in &args.regions {
            keep[find(&panel, name)?] = true;
        }
        shown = Some(keep);
    }
    if let Some(grouping) = args.bundled_grouping() {
        load::groups::apply_bundled(&mut panel, grouping, args.unmapped)?;
    }
    if let Some(file) = &args.groups {
        // A mapping file maps the regions asked for: the others are left out.
        if let Some(keep) = shown.take() {
            let keep: Vec<usize> = (0..panel.len()).filter(|&r| keep[r]).collect();
            panel = panel.select(&keep);
        }
        let input = load::Input::from_arg(file);
        load::groups::apply(
            &mut panel,
            &input,
            args.unmapped,
            args.encoding,
            args.group_by.as_deref(),
        )?;
    }
    Ok((panel, shown))
}

/// Standard output; an error if it was closed when popdelta started (Rust's runtime then
/// puts /dev/null in its place, and what is written would vanish without a word).
pub fn stdout() -> anyhow::Result<Sink> {
    if crate::STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        anyhow::bail!("standard output: it is closed, so the output would be lost");
    }
    Ok(Sink::stdout())
}

/// The run's outputs, claimed before anything is read or written: each is refused if it
/// is one of `inputs` (or standard input, where `stdin` is read) or another's file.
pub fn claim_outputs(
    inputs: &[std::path::PathBuf],
    stdin: bool,
    outputs: &[(&str, Option<&std::path::Path>)],
) -> anyhow::Result<Targets> {
    let mut targets = Targets::new(inputs, stdin);
    for (flag, path) in outputs {
        if let Some(path) = path {
            targets.claim(flag, path).map_err(|e| with_flag(flag, e))?;
        }
    }
    Ok(targets)
}

/// Where the output goes: `path` (given with `flag`), written atomically, or standard
/// output (with no path, or `-`). `targets` are the run's inputs and outputs.
pub fn sink(flag: &str, path: Option<&std::path::Path>, targets: &Targets) -> anyhow::Result<Sink> {
    Ok(match path {
        Some(path) if path.as_os_str() != popdelta::output::STDOUT => {
            Sink::file(path, targets).map_err(|e| with_flag(flag, e))?
        }
        _ => stdout()?,
    })
}

/// An error about a path given with `flag`, naming the flag.
pub fn with_flag(flag: &str, e: popdelta::Error) -> anyhow::Error {
    match e {
        e @ (popdelta::Error::OutputIsInput { .. }
        | popdelta::Error::OutputIsFolder { .. }
        | popdelta::Error::OutputTwice { .. }
        | popdelta::Error::OutputNotWritable { .. }) => {
            anyhow::anyhow!("{flag} {e}")
        }
        e => e.into(),
    }
}

/// The format asked for; else the one the `--output` file's extension names (.json,
/// .ndjson or .jsonl, .tsv, .md, .csv); else table on a terminal and CSV elsewhere.
pub fn pick_format(asked: Option<Format>, sink: &Sink, output: Option<&std::path::Path>) -> Format {
    let by_extension = output
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .and_then(|e| match e.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "tsv" | "tab" => Some(Format::Tsv),
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        });
    let format = match asked.or(by_extension) {
        Some(format) => format,
        None if sink.is_terminal() => Format::Table,
        None => Format::Csv,
    };
    // A file named for another format gets CSV, and is told so.
    if let (None, None, Some(ext)) = (
        asked,
        by_extension,
        output.and_then(|p| p.extension()).and_then(|e| e.to_str()),
    ) {
        note(&format!(
            "--output *.{ext}: popdelta writes csv, tsv, json, ndjson, md or xlsx by the \
             extension; this is {}, say --format otherwise",
            format!("{format:?}").to_lowercase()
        ));
    }
    format
}

/// Refuses a workbook on standard output (a terminal or a pipe): it is binary, and a file
/// of its own.
pub fn workbook_needs_a_file(
    format: Format,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    if format == Format::Xlsx && output.is_none_or(|p| p.as_os_str() == popdelta::output::STDOUT) {
        return Err(popdelta::Error::Usage(
            "--format xlsx writes a workbook, which is binary: name its file with --output \
             FILE.xlsx (on standard output, use --format csv)"
                .to_owned(),
        )
        .into());
    }
    Ok(())
}

/// Whether to colour: as asked, or (auto) as anstream decides for a terminal and NO_COLOR.
pub fn want_color(asked: ColorName, sink: &Sink) -> bool {
    match asked {
        ColorName::Always => true,
        ColorName::Never => false,
        ColorName::Auto => {
            sink.is_terminal() && AutoStream::choice(&io::stdout()) != ColorChoice::Never
        }
    }
}

/// How the table looks: colours, rules, the terminal's width, the columns and notes asked
/// for.
pub fn look(color: ColorName, ascii: bool, view: &ViewArgs, sink: &Sink) -> Look {
    let terminal = sink.is_terminal();
    Look {
        color: want_color(color, sink),
        ascii,
        width: terminal.then(terminal_width).flatten(),
        columns: view.columns,
        short_notes: match view.notes {
            Some(level) => level == NotesLevel::Short,
            None => terminal,
        },
    }
}

/// Says so when a table-only option meets another format: it would be ignored in silence.
pub fn note_table_only(view: &ViewArgs, format: Format) {
    if format == Format::Table {
        return;
    }
    let name = format!("{format:?}").to_lowercase();
    if view.columns.is_some() {
        note(&format!(
            "--columns chooses the table's columns; {name} has every column"
        ));
    }
    if view.notes.is_some() && format != Format::Markdown {
        let has = match format {
            Format::Json => "carries every note",
            _ => "has no notes",
        };
        note(&format!("--notes is for the table's footer; {name} {has}"));
    }
}

/// The width of the terminal on standard output: `COLUMNS` if set, else as the terminal
/// says.
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(n);
    }
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ fills the winsize it is given and reads nothing else.
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
        if ok && size.ws_col > 0 {
            return Some(usize::from(size.ws_col));
        }
    }
    None
}

/// Writes what `write` makes to standard output.
pub fn to_stdout(write: impl FnOnce(&mut Sink) -> anyhow::Result<()>) -> anyhow::Result<u8> {
    let mut sink = stdout()?;
    write(&mut sink)?;
    sink.finish()?;
    Ok(0)
}
