//! Loading: from bytes (or the bundled data) to a [`Panel`](crate::panel::Panel).

pub mod accumulate;
pub mod bundled;
pub mod csv_file;
pub mod decode;
pub mod groups;
pub mod header;
pub mod lines;
pub mod parallel;
pub mod table;

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::number::Unit;
use crate::panel::{ComponentsKind, Panel, PanelInfo};
use accumulate::Accumulator;
use decode::Encoding;
use header::{Layout, Measure};

/// An input: a file, or standard input (`-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file on disk.
    Path(PathBuf),
}

impl Input {
    /// `-` means standard input; anything else is a path.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(arg.into())
        }
    }

    /// The name used in messages.
    pub fn label(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::Path(p) => p.display().to_string(),
        }
    }
}

/// How to read the user's files.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Long, wide, or detect.
    pub layout: Layout,
    /// Columns that together identify a region.
    pub region_cols: Vec<String>,
    /// The year column of a long file.
    pub year_col: Option<String>,
    /// The population column, or a pattern with `{year}` in a wide file.
    pub value_col: Option<String>,
    /// Births: a column or pattern.
    pub births_col: Option<String>,
    /// Deaths: a column or pattern.
    pub deaths_col: Option<String>,
    /// Birth rate per mille: a column or pattern.
    pub birth_rate_col: Option<String>,
    /// Death rate per mille: a column or pattern.
    pub death_rate_col: Option<String>,
    /// Natural growth rate per mille: a column or pattern.
    pub natural_rate_col: Option<String>,
    /// `--where COL=VALUE` filters, all of which a row must pass.
    pub filters: Vec<(String, String)>,
    /// Lines before the header; detected when `None`.
    pub skip_rows: Option<usize>,
    /// Unit of the values; from the header (万人) or persons when `None`.
    pub unit: Option<Unit>,
    /// Text encoding.
    pub encoding: Encoding,
    /// A column whose values group the regions.
    pub group_col: Option<String>,
    /// Round values that are not whole persons instead of refusing them.
    pub round_fractions: bool,
    /// Show a progress bar on stderr while reading large files (the caller checks that
    /// stderr is a terminal).
    pub progress: bool,
    /// Read with the ordinary reader only, never the parallel fast path (which gives the
    /// same panel; this is for comparing the two).
    pub ordinary: bool,
}

/// Files at least this large get a progress bar: they take about a second or more.
const PROGRESS_BYTES: u64 = 64 * 1024 * 1024;

/// Opens an input, with a progress bar on stderr if asked for and the file is large.
fn open_with_progress(input: &Input, progress: bool) -> Result<Box<dyn std::io::Read>> {
    let reader = csv_file::open(input)?;
    let size = match input {
        Input::Path(p) if progress => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        _ => 0,
    };
    if size < PROGRESS_BYTES {
        return Ok(reader);
    }
    let bar = progress_bar(size, input.label());
    // The bar counts bytes per read call (256 KiB), not per row: no cost in the row loop.
    Ok(Box::new(ProgressReader { inner: reader, bar }))
}

/// A progress bar for reading `size` bytes of the input named `label`.
fn progress_bar(size: u64, label: String) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    ) {
        bar.set_style(style);
    }
    bar.set_message(label);
    bar
}

/// A reader that advances a progress bar and clears it when done.
struct ProgressReader {
    inner: Box<dyn std::io::Read>,
    bar: indicatif::ProgressBar,
}

impl std::io::Read for ProgressReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        if n == 0 {
            self.bar.finish_and_clear();
        }
        Ok(n)
    }
}

impl Drop for ProgressReader {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

impl LoadOptions {
    /// The column spec given for a measure.
    pub fn column_spec(&self, m: Measure) -> Option<&str> {
        match m {
            Measure::Population => self.value_col.as_deref(),
            Measure::Births => self.births_col.as_deref(),
            Measure::Deaths => self.deaths_col.as_deref(),
            Measure::BirthRate => self.birth_rate_col.as_deref(),
            Measure::DeathRate => self.death_rate_col.as_deref(),
            Measure::NaturalRate => self.natural_rate_col.as_deref(),
        }
    }

    /// Which components the options ask for; an error if they are incomplete or mixed.
    pub fn components(&self) -> Result<ComponentsKind> {
        let usage = |msg: &str| Error::Usage(msg.to_owned());
        let counts = (self.births_col.is_some(), self.deaths_col.is_some());
        let rates = (self.birth_rate_col.is_some(), self.death_rate_col.is_some());
        let natural = self.natural_rate_col.is_some();
        let any_counts = counts.0 || counts.1;
        let any_rates = rates.0 || rates.1 || natural;
        if any_counts && any_rates {
            return Err(usage(
                "give components either as counts (--births-col, --deaths-col) or as rates \
                 (--birth-rate-col, --death-rate-col or --natural-rate-col), not both",
            ));
        }
        if counts.0 != counts.1 {
            return Err(usage("--births-col and --deaths-col go together"));
        }
        if rates.0 != rates.1 {
            return Err(usage("--birth-rate-col and --death-rate-col go together"));
        }
        if natural && rates.0 {
            return Err(usage(
                "give --natural-rate-col, or --birth-rate-col and --death-rate-col, not both",
            ));
        }
        Ok(if any_counts {
            ComponentsKind::Counts
        } else if any_rates {
            ComponentsKind::Rates
        } else {
            ComponentsKind::None
        })
    }
}

/// Loads the user's files into one panel.
pub fn load_files(inputs: &[Input], opts: &LoadOptions) -> Result<Panel> {
    let components = opts.components()?;
    let stdin_count = inputs.iter().filter(|i| **i == Input::Stdin).count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "standard input (-) can be read only once".to_owned(),
        ));
    }
    if let [Input::Path(path)] = inputs
        && !opts.ordinary
        && parallel::applies(opts)
        && let Ok(mut file) = std::fs::File::open(path)
    {
        let size = file.metadata().map_or(0, |m| m.len());
        let bar = (opts.progress && size >= PROGRESS_BYTES)
            .then(|| progress_bar(size, inputs[0].label()));
        let label = inputs[0].label();
        let fast = parallel::load(&label, &mut file, size, opts, bar.as_ref());
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        if let Ok(loaded) = fast {
            return Ok(fast_panel(label, loaded, opts));
        }
    }
    let mut acc = Accumulator::default();
    for input in inputs {
        let size = match input {
            Input::Path(p) => std::fs::metadata(p).map(|m| m.len()).ok(),
            Input::Stdin => None,
        };
        let reader = open_with_progress(input, opts.progress)?;
        csv_file::read(&input.label(), reader, size, opts, &mut acc)?;
    }
    finish(acc, opts, components)
}

/// Loads CSV text held in memory (tests, fuzzing, embedding), named `label` in messages.
pub fn load_bytes(label: &str, bytes: &[u8], opts: &LoadOptions) -> Result<Panel> {
    let components = opts.components()?;
    if !opts.ordinary
        && parallel::applies(opts)
        && let Ok(loaded) = parallel::load(label, &mut &bytes[..], bytes.len() as u64, opts, None)
    {
        return Ok(fast_panel(label.to_owned(), loaded, opts));
    }
    let mut acc = Accumulator::default();
    csv_file::read(
        label,
        Box::new(bytes),
        Some(bytes.len() as u64),
        opts,
        &mut acc,
    )?;
    finish(acc, opts, components)
}

/// The panel the fast path read.
fn fast_panel(label: String, loaded: parallel::Loaded, opts: &LoadOptions) -> Panel {
    let info = panel_info(&[label], opts);
    Panel::from_group_ids(
        info,
        loaded.names,
        loaded.groups,
        loaded.group_of,
        loaded.columns,
    )
}

fn finish(acc: Accumulator, opts: &LoadOptions, components: ComponentsKind) -> Result<Panel> {
    let info = panel_info(acc.files(), opts);
    acc.into_panel(info, components)
}

/// What a panel read from files says about itself.
fn panel_info(files: &[String], opts: &LoadOptions) -> PanelInfo {
    let unit = opts.unit.unwrap_or_default();
    PanelInfo {
        dataset: files.join(", "),
        description: String::new(),
        source_unit: unit.describe().to_owned(),
        grouping: opts.group_col.clone(),
        notes: Vec::new(),
        default_years: None,
        group_order: Vec::new(),
        marked: Vec::new(),
        sources: files.to_vec(),
    }
}
