//! Loading: from bytes (or the bundled data) to a [`Panel`](crate::panel::Panel).

pub mod accumulate;
pub mod bundled;
pub mod cell;
pub mod container;
pub mod cube;
pub mod decode;
pub mod fast;
pub mod formats;
pub mod groups;
pub mod layout;
pub mod lines;
pub mod pipe;
pub mod records;
pub(crate) mod refusal;
pub mod roles;
pub mod slice;
pub mod table;
pub mod text;

use std::io::{BufRead, Read, Seek};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::number::Unit;
use crate::panel::{ComponentsKind, Panel, PanelInfo};
use crate::period::Period;
use accumulate::Accumulator;
use decode::Encoding;
use layout::names::{Layout, Measure};

/// An input: a file, or standard input (`-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file on disk.
    Path(PathBuf),
}

impl Input {
    /// Opens the input for reading.
    pub fn open(&self) -> Result<Box<dyn Read>> {
        match self {
            Input::Stdin => Ok(Box::new(std::io::stdin().lock())),
            Input::Path(p) => std::fs::File::open(p)
                .map(|f| Box::new(f) as Box<dyn Read>)
                .map_err(|source| Error::Io {
                    path: p.clone(),
                    source,
                }),
        }
    }

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
    /// Net migration as published (signed persons): a column or pattern; the residual of
    /// the balancing equation is then shown apart.
    pub migration_col: Option<String>,
    /// The sheet of a workbook to read; the first with a table of figures when `None`.
    pub sheet: Option<String>,
    /// The character before decimals (`,` for 1.234.567,8); found from the file's first
    /// lines when `None`.
    pub decimal: Option<u8>,
    /// The byte between fields; found from the file's first lines when `None`.
    pub delimiter: Option<u8>,
    /// `--where` filters, all of which a row must pass.
    pub filters: Vec<cell::Filter>,
    /// Lines before the header; detected when `None`.
    pub skip_rows: Option<usize>,
    /// Unit of the values; from the header (万人) or persons when `None`.
    pub unit: Option<Unit>,
    /// Text encoding.
    pub encoding: Encoding,
    /// A column whose values group the regions.
    pub group_col: Option<String>,
    /// Values that are not whole persons: refused, or rounded and listed.
    pub fractions: crate::number::Fractions,
    /// Periods asked for (2023-07): the files' periods are then read as they are, never as
    /// their years.
    pub periods: Vec<String>,
    /// Read with the ordinary readers only, never a fast path (the parallel reader of plain
    /// text, the xlsx sheet scanner), which give the same panel: for comparing them.
    pub ordinary: bool,
}

/// Told how reading goes, to show progress: bytes of an input read so far.
///
/// The loader only reports; whether and how to show it (a bar on a terminal, for large
/// files) is the caller's to decide.
pub trait Progress: Sync {
    /// Reading of `label`, of `total` bytes (0 if unknown), begins.
    fn start(&self, label: &str, total: u64);
    /// `bytes` more were read.
    fn advance(&self, bytes: u64);
    /// Reading ended, well or not.
    fn finish(&self);
}

/// A reader that reports the bytes it reads.
struct Reporting<'a> {
    inner: Box<dyn std::io::Read + 'a>,
    progress: &'a dyn Progress,
}

impl std::io::Read for Reporting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// Something the loader did that the user should know of: a guess, a skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The plan guessed what the options did not say.
    Chose {
        /// The input.
        file: String,
        /// What was guessed.
        choices: Vec<layout::columns::Choice>,
    },
    /// The notes say the series breaks: from `year` on, the figures follow a census.
    Break {
        /// The input.
        file: String,
        /// The first period on the new basis.
        period: Period,
        /// The notes' words (one line).
        said: String,
    },
    /// The data ended at a line of notes (a footer), which was not read as data.
    Footer {
        /// The input.
        file: String,
        /// The first line of the notes.
        line: u64,
        /// Its text.
        text: String,
    },
    /// Eurostat flags were stripped from the figures: each flag and how many figures had it.
    Flags {
        /// The input.
        file: String,
        /// Flag letters ("e", "bp") and counts.
        flags: Vec<(String, u64)>,
    },
    /// A workbook's sheet or an archive's member was read.
    Opened {
        /// The input.
        file: String,
        /// What was read in it.
        opened: container::Opened,
    },
    /// Rows summed whose census region is `X`, none (Puerto Rico in a Census state file):
    /// the total holds more than the nation.
    OutsideRegions {
        /// The input.
        file: String,
        /// The column that says so (`REGION`).
        column: String,
        /// The regions so marked, as named.
        regions: Vec<String>,
    },
    /// The header was read over several rows; footnote digits glued to years were taken
    /// off, each cell (as written, as read).
    HeaderRows {
        /// The input.
        file: String,
        /// The block's first and last lines.
        lines: (u64, u64),
        /// Cells whose footnote digits were taken off.
        footnotes: Vec<(String, String)>,
    },
    /// Rows marked with a leading dot are parts of the rows above them; the rows without
    /// were set apart as totals (named here, the first ten).
    DottedParts {
        /// The input.
        file: String,
        /// The rows set apart as totals of the parts after them.
        totals: Vec<String>,
        /// The rows set apart after the last part: outside the parts.
        outside: Vec<String>,
    },
    /// The header or preamble says the figures are not plain counts of a population.
    FiguresAre {
        /// The input.
        file: String,
        /// What they are: "persons counted in a sample, not the population".
        what: String,
        /// The text that says so.
        said_by: String,
    },
    /// Lines before the header were taken for a preamble and skipped.
    PreambleSkipped {
        /// The input.
        file: String,
        /// How many lines.
        lines: u64,
    },
    /// Breakdowns of several categories (sexes, ages) were read at their totals.
    Totals {
        /// The input.
        file: String,
        /// Each breakdown's total taken.
        taken: Vec<roles::Taken>,
    },
    /// Dimensions whose category follows from the region (its country) were read as the
    /// regions' parents, not as breakdowns.
    Parents {
        /// The input.
        file: String,
        /// The dimensions, as the file names them.
        dims: Vec<String>,
    },
    /// The figures are values of another unit than persons (a percentage, a rate, money):
    /// compared as such, never rounded to persons, never totalled.
    Values {
        /// The input.
        file: String,
        /// The unit, as the file names it.
        unit: String,
    },
    /// No unit is stated anywhere the format says units: the figures are read as persons.
    UnitAssumed {
        /// The input.
        file: String,
        /// How many texts (labels, codes) were looked at.
        looked_at: usize,
    },
    /// Figures given twice at one place of the cube with the same value, read once.
    Repeated {
        /// The input.
        file: String,
        /// How many were given again.
        count: u64,
        /// Where the first of them stands.
        first: String,
    },
}

/// Where a run's figures come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A bundled dataset, grouped as asked.
    Bundled {
        /// Which dataset.
        dataset: bundled::Dataset,
        /// Which grouping of its regions: a name, `none`, or the dataset's default.
        grouping: Option<String>,
    },
    /// The user's files, read as the options say.
    Files {
        /// The inputs, in order.
        inputs: Vec<Input>,
        /// How to read them.
        options: Box<LoadOptions>,
    },
}

/// A panel as loaded, with the notes the loading made.
#[derive(Debug)]
pub struct Loaded {
    /// The figures.
    pub panel: Panel,
    /// What the user should know of how they were read.
    pub notes: Vec<Note>,
}

/// Loads a source; `progress`, if given, hears how reading files goes.
pub fn load(source: &Source, progress: Option<&dyn Progress>) -> Result<Loaded> {
    match source {
        Source::Bundled { dataset, grouping } => Ok(Loaded {
            panel: bundled::load(*dataset, grouping.as_deref())?,
            notes: Vec::new(),
        }),
        Source::Files { inputs, options } => load_files_noting(inputs, options, progress),
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
            Measure::NetMigration => self.migration_col.as_deref(),
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
        if self.migration_col.is_some() && !any_counts && !any_rates {
            return Err(usage(
                "--migration-col needs the natural increase beside it, to set the residual \
                 apart: add --births-col and --deaths-col (or the rate columns)",
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

/// Loads the user's files into one panel (the notes are dropped: see [`load`]).
pub fn load_files(inputs: &[Input], opts: &LoadOptions) -> Result<Panel> {
    load_files_noting(inputs, opts, None).map(|l| l.panel)
}

fn load_files_noting(
    inputs: &[Input],
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
) -> Result<Loaded> {
    let components = opts.components()?;
    let stdin_count = inputs.iter().filter(|i| **i == Input::Stdin).count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "standard input (-) can be read only once".to_owned(),
        ));
    }
    let mut acc = Accumulator::default();
    let mut notes = Vec::new();
    for input in inputs {
        let label = input.label();
        // Each input is opened once and read through that one handle: a pipe or a FIFO
        // cannot be read twice, and a path opened again may not be the same file.
        let mut handle = Handle::open(input)?;
        let kind = handle.kind(&label)?;
        if let (container::Kind::Text, Handle::File(file, size, path), [_]) =
            (kind, &mut handle, inputs)
            && !opts.ordinary
            && fast::applies(opts)
        {
            // The fast path reads regular files only, and only a lone one: if it gives up,
            // the ordinary reader starts again from the top of the file.
            if let Some(loaded) = read_fast(&label, file, *size, path, opts, progress)? {
                return Ok(loaded);
            }
        }
        let size = handle.size();
        let opened = match kind {
            container::Kind::Text => Unpacked {
                contents: Contents::Text(handle.into_reader(), None),
                size,
                notes: Vec::new(),
            },
            kind => unpack(&label, kind, handle.into_reader(), opts, 0)?,
        };
        let read = read_contents(&label, opened, opts, progress, &mut acc)?;
        notes.extend(read);
    }
    let mut panel = finish(acc, opts, components)?;
    // What the figures are, and where the series breaks, go with them into every format.
    for n in &notes {
        match n {
            Note::FiguresAre {
                file,
                what,
                said_by,
            } => panel.info.notes.push(figures_are_note(file, what, said_by)),
            Note::Break { period, said, .. } => {
                // A period the panel holds as its year is that year.
                let p = if panel.years().contains(period) {
                    *period
                } else {
                    period.as_year()
                };
                panel.info.breaks.push((p, said.clone()));
            }
            _ => {}
        }
    }
    Ok(Loaded { panel, notes })
}

/// Reads a regular file the fast way; `None` (the file gone back to its start) if the
/// ordinary reader must read it.
fn read_fast(
    label: &str,
    file: &mut std::fs::File,
    size: u64,
    path: &std::path::Path,
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
) -> Result<Option<Loaded>> {
    if let Some(p) = progress {
        p.start(label, size);
    }
    let fast = fast::load(label, file, size, opts, progress);
    if let Some(p) = progress {
        p.finish();
    }
    if let Ok(loaded) = fast {
        let notes = if loaded.choices.is_empty() {
            Vec::new()
        } else {
            vec![Note::Chose {
                file: label.to_owned(),
                choices: loaded.choices.clone(),
            }]
        };
        return Ok(Some(Loaded {
            panel: fast_panel(label.to_owned(), loaded, opts),
            notes,
        }));
    }
    file.seek(std::io::SeekFrom::Start(0))
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
    Ok(None)
}

/// Reads what an input holds into `acc`: a table of text, or a sheet. Returns the notes
/// of the reading, the opening's first.
fn read_contents(
    label: &str,
    opened: Unpacked,
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let mut notes: Vec<Note> = opened.notes;
    let several_sheets = notes.iter().find_map(|n| match n {
        Note::Opened {
            opened: container::Opened::Sheet { name, all, .. },
            ..
        } if all.len() > 1 && opts.sheet.is_none() => Some((name.clone(), all.clone())),
        _ => None,
    });
    let read = match opened.contents {
        Contents::Text(reader, join) => {
            let mut reader = reader;
            if let Some(p) = progress {
                p.start(label, opened.size.unwrap_or(0));
                reader = Box::new(Reporting {
                    inner: reader,
                    progress: p,
                });
            }
            let read = formats::read_text(label, reader, opened.size, opts, join.as_ref(), acc);
            if let Some(p) = progress {
                p.finish();
            }
            read
        }
        Contents::Sheet(sheet) => formats::read_sheet(label, sheet, opts, acc),
        Contents::Sdmx(reader) => formats::sdmx_csv::read(label, reader, opened.size, opts, acc),
        // A PC-Axis file is read as the JSON-stat PxWeb serves for it, in its own codepage.
        Contents::PcAxis(bytes) => formats::pcaxis::to_jsonstat(label, &bytes).and_then(|json| {
            let read = formats::jsonstat::read(label, &json, opts, acc)
                .map_err(formats::pcaxis::in_its_words);
            read.map(|(mut read, mut more)| {
                read.format = "PC-Axis";
                more.insert(
                    0,
                    Note::Opened {
                        file: label.to_owned(),
                        opened: container::Opened::JsonStat(read),
                    },
                );
                more
            })
        }),
        // An SDMX-JSON message: read as the SDMX-CSV of the same service.
        Contents::JsonStat(bytes) if formats::sdmx_json::is_sdmx_json(&bytes) => {
            formats::sdmx_json::to_sdmx_csv(label, &bytes).and_then(|csv| {
                let reader: Box<dyn std::io::Read> = Box::new(std::io::Cursor::new(csv));
                formats::sdmx_csv::read(label, reader, None, opts, acc)
            })
        }
        // JSON is UTF-8, whatever --encoding says.
        Contents::JsonStat(bytes) => {
            formats::jsonstat::read(label, &bytes, opts, acc).map(|(read, mut more)| {
                more.insert(
                    0,
                    Note::Opened {
                        file: label.to_owned(),
                        opened: container::Opened::JsonStat(read),
                    },
                );
                more
            })
        }
    };
    // A sheet chosen for the user that cannot be read: the others may be the table.
    let read = read.map_err(|e| match &several_sheets {
        Some((name, all)) => e.or_else_say(&format!(
            "sheet {name:?} was taken for the table: name another with --sheet ({})",
            crate::error::listed(all.iter().filter(|s| *s != name), ", ")
        )),
        None => e,
    })?;
    notes.extend(read);
    Ok(notes)
}

/// The sentence of a [`Note::FiguresAre`].
pub fn figures_are_note(file: &str, what: &str, said_by: &str) -> String {
    format!("{file}: the figures are {what}, as {said_by:?} says: compare them as such.")
}

/// What an input holds, ready to be read.
enum Contents<'a> {
    /// A PC-Axis file's bytes.
    PcAxis(Vec<u8>),
    /// A table of text (CSV, TSV), and columns to join to its rows.
    Text(Box<dyn std::io::Read + 'a>, Option<container::Join>),
    /// A workbook's sheet.
    Sheet(formats::workbook::Sheet),
    /// A JSON-stat file, whole.
    JsonStat(Vec<u8>),
    /// SDMX-CSV text.
    Sdmx(Box<dyn std::io::Read + 'a>),
}

/// What a container (a workbook, an archive) holds, ready to be read.
struct Unpacked<'a> {
    contents: Contents<'a>,
    size: Option<u64>,
    /// What was opened on the way, outermost first.
    notes: Vec<Note>,
}

impl<'a> Unpacked<'a> {
    fn text(reader: Box<dyn std::io::Read + 'a>) -> Unpacked<'a> {
        Unpacked {
            contents: Contents::Text(reader, None),
            size: None,
            notes: Vec::new(),
        }
    }
}

/// How deep archives may nest (a workbook in a zip in a gzip stream is three): a gzip or
/// zip quine, which holds itself, would otherwise be opened without end.
const MAX_NESTING: u8 = 4;

/// Opens what is not plain text: a gzip stream, a workbook or an archive; refuses other
/// formats by name. `depth` counts the containers it is inside.
fn unpack<'a>(
    label: &str,
    kind: container::Kind,
    reader: Box<dyn std::io::Read + 'a>,
    opts: &LoadOptions,
    depth: u8,
) -> Result<Unpacked<'a>> {
    if depth >= MAX_NESTING {
        return Err(Error::Usage(format!(
            "{label}: archives nested more than {MAX_NESTING} deep; unpack it first"
        )));
    }
    match kind {
        container::Kind::Text => Ok(Unpacked::text(reader)),
        container::Kind::Gzip => {
            // What the stream holds is told by its own first bytes: text, or a workbook.
            let inflated = container::Inflating::new(reader);
            match told(label, Box::new(inflated))? {
                (container::Kind::Text, text) => Ok(Unpacked::text(text)),
                (container::Kind::Other(what), _) => Err(container::refuse(
                    label,
                    &format!("gzip-compressed: {what}"),
                )),
                (kind, inflated) => unpack(label, kind, inflated, opts, depth + 1),
            }
        }
        container::Kind::Zip | container::Kind::Ole2 => {
            let bytes = container::slurp(label, reader)?;
            let fast = !opts.ordinary;
            let (table, opened) = container::unpack(label, bytes, opts.sheet.as_deref(), fast)?;
            let contents = match table {
                container::Table::Member(member, join) => {
                    let container::Opened::Member { name, .. } = &opened else {
                        return Err(Error::Usage(format!("{label}: no member was opened")));
                    };
                    let inner = format!("{label}/{name}");
                    // A member is read as what its first bytes say, as a file is.
                    match told(&inner, Box::new(member))? {
                        (container::Kind::Text, text) => Contents::Text(text, join),
                        (kind, member) => {
                            let mut read = unpack(&inner, kind, member, opts, depth + 1)?;
                            let outer = Note::Opened {
                                file: label.to_owned(),
                                opened,
                            };
                            read.notes.insert(0, outer);
                            return Ok(read);
                        }
                    }
                }
                container::Table::Sheet(sheet) => Contents::Sheet(sheet),
            };
            Ok(Unpacked {
                contents,
                size: None,
                notes: vec![Note::Opened {
                    file: label.to_owned(),
                    opened,
                }],
            })
        }
        container::Kind::Sdmx => Ok(Unpacked {
            contents: Contents::Sdmx(reader),
            size: None,
            notes: Vec::new(),
        }),
        container::Kind::Json => {
            let max = formats::jsonstat::MAX_JSON;
            let bytes = formats::workbook::slurp(label, reader, max)?;
            Ok(Unpacked {
                contents: Contents::JsonStat(bytes),
                size: None,
                notes: Vec::new(),
            })
        }
        container::Kind::SdmxMl => {
            let max = formats::jsonstat::MAX_JSON;
            let bytes = formats::workbook::slurp(label, reader, max)?;
            let csv = formats::sdmx_ml::to_sdmx_csv(label, &bytes)?;
            Ok(Unpacked {
                contents: Contents::Sdmx(Box::new(std::io::Cursor::new(csv))),
                size: None,
                notes: Vec::new(),
            })
        }
        container::Kind::PcAxis => {
            let max = formats::jsonstat::MAX_JSON;
            let bytes = formats::workbook::slurp(label, reader, max)?;
            Ok(Unpacked {
                contents: Contents::PcAxis(bytes),
                size: None,
                notes: Vec::new(),
            })
        }
        kind => Err(container::refuse_kind(label, kind)),
    }
}

/// What a stream holds, told by its first bytes (the first line for SDMX-CSV), which stay
/// to be read.
fn told<'a>(
    label: &str,
    reader: Box<dyn std::io::Read + 'a>,
) -> Result<(container::Kind, Box<dyn std::io::Read + 'a>)> {
    let mut buffered = std::io::BufReader::with_capacity(64 * 1024, reader);
    let head = buffered
        .fill_buf()
        .map_err(|e| text::read_error(label, csv::Error::from(e)))?;
    Ok((container::kind(head), Box::new(buffered)))
}

/// An input opened once: a regular file (with its size and path: the fast path reads it,
/// and may go back to its start), or a stream read as it comes.
enum Handle {
    File(std::fs::File, u64, PathBuf),
    Stream(Box<dyn std::io::BufRead>),
}

impl Handle {
    fn open(input: &Input) -> Result<Handle> {
        match input {
            Input::Stdin => Ok(Handle::Stream(Box::new(std::io::stdin().lock()))),
            Input::Path(path) => {
                let file = std::fs::File::open(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                match file.metadata().ok().filter(std::fs::Metadata::is_file) {
                    Some(meta) => Ok(Handle::File(file, meta.len(), path.clone())),
                    None => Ok(Handle::Stream(Box::new(std::io::BufReader::with_capacity(
                        256 * 1024,
                        file,
                    )))),
                }
            }
        }
    }

    /// What the input is, from its first bytes, which stay to be read.
    fn kind(&mut self, label: &str) -> Result<container::Kind> {
        let io = |source| Error::Io {
            path: label.into(),
            source,
        };
        match self {
            Handle::File(file, _, _) => {
                // The first line tells SDMX-CSV.
                let mut head = Vec::with_capacity(4096);
                file.by_ref()
                    .take(64 * 1024)
                    .read_to_end(&mut head)
                    .map_err(io)?;
                file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
                Ok(container::kind(&head))
            }
            Handle::Stream(stream) => Ok(container::kind(stream.fill_buf().map_err(io)?)),
        }
    }

    /// Its size in bytes, for a regular file.
    fn size(&self) -> Option<u64> {
        match self {
            Handle::File(_, size, _) => Some(*size),
            Handle::Stream(_) => None,
        }
    }

    fn into_reader(self) -> Box<dyn std::io::Read> {
        match self {
            Handle::File(file, _, _) => Box::new(file),
            Handle::Stream(stream) => Box::new(stream),
        }
    }
}

/// Loads CSV text held in memory (tests, fuzzing, embedding), named `label` in messages.
pub fn load_bytes(label: &str, bytes: &[u8], opts: &LoadOptions) -> Result<Panel> {
    let components = opts.components()?;
    // As from a file: the first line tells SDMX-CSV, which is laid out anew.
    let kind = container::kind(&bytes[..bytes.len().min(64 * 1024)]);
    if kind == container::Kind::Text
        && !opts.ordinary
        && fast::applies(opts)
        && let Ok(loaded) = fast::load(label, &mut &bytes[..], bytes.len() as u64, opts, None)
    {
        return Ok(fast_panel(label.to_owned(), loaded, opts));
    }
    let mut acc = Accumulator::default();
    let mut opened = unpack(label, kind, Box::new(bytes), opts, 0)?;
    opened.size = opened.size.or(Some(bytes.len() as u64));
    read_contents(label, opened, opts, None, &mut acc)?;
    finish(acc, opts, components)
}

/// The panel the fast path read.
fn fast_panel(label: String, loaded: fast::FastPanel, opts: &LoadOptions) -> Panel {
    // The fast path found the names that say they are totals as it read them.
    loaded.into_panel(panel_info(&[label], opts))
}

fn finish(acc: Accumulator, opts: &LoadOptions, components: ComponentsKind) -> Result<Panel> {
    let info = panel_info(acc.files(), opts);
    let mut panel = acc.into_panel(info, components)?;
    panel.published_migration = opts.migration_col.is_some();
    // Rows named as totals (World, Total, 全国) are marked whatever reader read them.
    panel.mark_aggregate_names();
    Ok(panel)
}

/// What a panel read from files says about itself.
fn panel_info(files: &[String], opts: &LoadOptions) -> PanelInfo {
    let unit = opts.unit.unwrap_or_default();
    PanelInfo {
        dataset: files.join(", "),
        description: String::new(),
        source_unit: unit.describe().to_owned(),
        unit,
        grouping: opts.group_col.clone(),
        notes: Vec::new(),
        breaks: Vec::new(),
        default_years: None,
        group_order: Vec::new(),
        marked: Vec::new(),
        marked_note: None,
        sources: files.to_vec(),
        region_notes: Vec::new(),
        values: None,
    }
}
