//! The ordinary reader: one CSV file (or standard input) into the accumulator,
//! streaming, in one pass. It reads anything the plan allows and explains every problem
//! with its line and column.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::error::{Error, Location, Result};
use crate::load::accumulate::{Accumulator, GroupLabel, Origin, Value};
use crate::load::cell::{self, CellError};
use crate::load::decode::{self, DecodeError, Decoder, Encoding};
use crate::load::dialect::{
    as_written, compound_key, estat_dimensions, eurostat_figure, is_note, merge_header,
    sdmx_dimensions, skip_line, track_period,
};
use crate::load::header::{self, Measure};
use crate::load::lines::{Counting, LineTooLong};
use crate::load::plan::{self, Ctx, LevelRule, PREFIX, PlanKind, preamble_lines};
use crate::load::refusal::{kept_nothing, mixed_dimensions, mixed_levels, too_long};
use crate::load::{Input, LoadOptions, Note, block};
use crate::number::{NumberError, Unit};

/// Bytes reserved per expected region name (more are added as needed).
const NAME_BYTES_GUESS: usize = 16;
/// Opens an input for reading.
pub fn open(input: &Input) -> Result<Box<dyn Read>> {
    match input {
        Input::Stdin => Ok(Box::new(io::stdin().lock())),
        Input::Path(p) => File::open(p)
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|source| Error::Io {
                path: p.clone(),
                source,
            }),
    }
}

fn io_error(label: &str, source: io::Error) -> Error {
    Error::Io {
        path: label.into(),
        source,
    }
}

/// The error for a failed read: a decoding error names its line (and an encoding that
/// cannot be told, its candidates), others are I/O.
pub fn read_error(label: &str, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => {
            if let Some(d) = io.get_ref().and_then(|i| i.downcast_ref::<DecodeError>()) {
                let at = Location {
                    file: label.to_owned(),
                    line: d.line,
                    column: None,
                };
                let (problem, hint) = if d.guessed {
                    (
                        format!(
                            "bytes {} are not valid {}, the encoding guessed from the start of \
                             the file",
                            d.bytes, d.encoding
                        ),
                        "say the file's encoding with --encoding (utf-8, gb18030, shift_jis, \
                         euc-kr, big5, latin1, windows-1252...)",
                    )
                } else {
                    (
                        format!("bytes {} are not valid {}", d.bytes, d.encoding),
                        "check --encoding: utf-8, gb18030, latin1 or windows-1252",
                    )
                };
                return Error::input(at, problem, d.bytes.clone(), hint);
            }
            if let Some(r) = io
                .get_ref()
                .and_then(|i| i.downcast_ref::<crate::load::container::Refusal>())
            {
                return Error::Usage(format!("{label}: {r}"));
            }
            if let Some(u) = io
                .get_ref()
                .and_then(|i| i.downcast_ref::<decode::EncodingUnclear>())
            {
                return encoding_unclear(label, u);
            }
            if let Some(long) = io.get_ref().and_then(|i| i.downcast_ref::<LineTooLong>()) {
                return too_long(label, long.line);
            }
            io_error(label, io)
        }
        other => io_error(label, io::Error::other(format!("{other:?}"))),
    }
}

/// The refusal of text under auto that no one encoding decodes.
pub(super) fn encoding_unclear(label: &str, u: &decode::EncodingUnclear) -> Error {
    let at = Location {
        file: label.to_owned(),
        line: u.line,
        column: None,
    };
    let names: Vec<&str> = u.candidates.iter().map(|e| e.name()).collect();
    let (problem, hint) = match names[..] {
        _ if u.mixed => (
            "UTF-8 text and bytes of another encoding in one file".to_owned(),
            "save the file in one encoding (UTF-8), or name the other with --encoding".to_owned(),
        ),
        [] => (
            "not UTF-8, nor any encoding popdelta knows".to_owned(),
            "save the file as UTF-8, or name its encoding with --encoding".to_owned(),
        ),
        _ => (
            format!("not UTF-8, and it reads as {} alike", names.join(" or ")),
            format!(
                "say which with --encoding {}",
                names
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" or --encoding ")
            ),
        ),
    };
    Error::input(at, problem, u.bytes.clone(), hint)
}

/// The encoding a file is read in, and (for a file that is not UTF-8 under auto) the hint
/// its first bytes give.
#[derive(Clone, Copy)]
struct Enc<'a> {
    declared: Encoding,
    hint: Option<&'a str>,
}

/// A field as UTF-8; bytes that are not are an error with a hint at the likely encoding.
fn text<'r>(
    ctx: &Ctx,
    bytes: &'r [u8],
    line: u64,
    column: Option<usize>,
    encoding: Enc,
) -> Result<&'r str> {
    std::str::from_utf8(bytes).map_err(|_| not_text(ctx, bytes, line, column, encoding))
}

/// The error for a field that is not UTF-8, with a hint at the likely encoding.
fn not_text(ctx: &Ctx, bytes: &[u8], line: u64, column: Option<usize>, encoding: Enc) -> Error {
    let (start, len) = match std::str::from_utf8(bytes) {
        Ok(_) => (0, 0),
        Err(e) => (e.valid_up_to(), e.error_len().unwrap_or(1)),
    };
    let end = (start + len).min(bytes.len());
    let problem = if encoding.declared == Encoding::Auto {
        format!("not UTF-8 (bytes {})", decode::hex(&bytes[start..end]))
    } else {
        format!(
            "bytes {} are not valid UTF-8",
            decode::hex(&bytes[start..end])
        )
    };
    Error::input(
        ctx.at(line, column),
        problem,
        String::from_utf8_lossy(bytes),
        encoding
            .hint
            .map_or_else(|| decode::not_utf8_hint(bytes), str::to_owned),
    )
}

fn number_hint(e: &NumberError, unit: Unit) -> String {
    match e {
        NumberError::NotWhole(_) => format!(
            "values in {} must come to whole persons under --fractions error: check --unit, \
             or leave out --fractions error to round them (each rounded figure is then listed)",
            unit.describe()
        ),
        NumberError::BadSeparators => "write 1234567 or 1,234,567".into(),
        NumberError::Negative => "populations are counts of persons".into(),
        NumberError::TooLarge => "values must fit in 64-bit whole persons".into(),
        NumberError::PointGrouped => "write 12000 or 12,000 for twelve thousand, 12 for \
                                       twelve; for a file that writes 1.234.567,8 say --decimal ,"
            .into(),
        NumberError::NotANumber => {
            "write a number such as 21707000, 21,707,000 or 2170.7万; empty, NA, .. or - \
             for a missing value"
                .into()
        }
    }
}

/// Reads one input, named `label` in messages, into the accumulator.
/// `size`, the input's length in bytes when known, sizes the tables once. Returns what
/// the user should know of how the file was read.
pub fn read(
    label: &str,
    reader: Box<dyn Read + '_>,
    size: Option<u64>,
    opts: &LoadOptions,
    short_rows: bool,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let label = label.to_owned();
    let mut raw = BufReader::with_capacity(256 * 1024, reader);
    let start = raw.fill_buf().map_err(|e| io_error(&label, e))?;
    // A UTF-16 byte-order mark says what the file is: read it as such under auto.
    let declared = match opts.encoding {
        Encoding::Auto if decode::is_utf16(start) => Encoding::Utf16,
        e => e,
    };
    if decode::is_utf16(start) && declared != Encoding::Utf16 {
        let at = Location {
            file: label,
            line: 1,
            column: None,
        };
        return Err(Error::input(
            at,
            "the file is UTF-16 (as Excel's \"Unicode text\" saves)",
            decode::hex(&start[..2]),
            "leave out --encoding to read it as UTF-16, or save it as \"CSV UTF-8\"",
        ));
    }
    let mut decoded = Decoder::new(raw, declared);
    let guessed = decoded.guessed();

    // Look at the start of the file for a preamble, then read on from where it left off.
    let mut prefix = Vec::with_capacity(PREFIX);
    (&mut decoded)
        .take(PREFIX as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| read_error(&label, csv::Error::from(e)))?;
    let complete = prefix.len() < PREFIX;
    // Not UTF-8 (past a character cut at the end of what was read): the first bytes say
    // what it more likely is, better than one field would.
    let file_hint = match std::str::from_utf8(&prefix) {
        Err(e) if declared == Encoding::Auto && e.error_len().is_some() => {
            Some(decode::not_utf8_hint_for_file(&prefix))
        }
        _ => None,
    };
    let enc = Enc {
        declared,
        hint: file_hint.as_deref(),
    };
    // Rows in the file, from the length of the lines at its start.
    let lines_in_prefix = memchr::memchr_iter(b'\n', &prefix).count() as u64;
    let rows_expected = match size {
        Some(size) if lines_in_prefix > 0 => size / (prefix.len() as u64 / lines_in_prefix).max(1),
        _ => 0,
    };
    let sniffed = opts.delimiter.is_none();
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| plan::sniff_delimiter(&prefix, complete));
    let skip = match opts.skip_rows {
        Some(n) => n as u64,
        None => preamble_lines(&prefix, complete, delimiter),
    };
    // Headers over several rows (a banner, a label over years, a row of units): where no
    // preamble was found and the first line is one cell of text, the block just above the
    // first rows of figures is the header.
    let first_rows = plan::first_rows(&prefix, complete, delimiter, 80);
    let block = match opts.skip_rows {
        None => block::find(&first_rows).filter(|b| block::names_more_years(&first_rows, *b, skip)),
        Some(_) => None,
    };
    let skip = block.map_or(skip, |b| b.skip);
    // How numbers are written: as said, or as the data lines at the start show.
    let decimals = match opts.decimal {
        Some(b',') => cell::Decimals::Comma,
        Some(_) => cell::Decimals::Point,
        None => plan::sniff_decimals(&prefix, delimiter, skip),
    };
    // A unit stated in the lines skipped ("指标：年末常住人口(万人)") applies to the figures.
    let stated = if opts.skip_rows.is_none() {
        crate::load::lines::split(&prefix)
            .take(usize::try_from(skip).unwrap_or(0))
            .find_map(|l| {
                let l = std::str::from_utf8(l).ok()?;
                let unit = header::unit_stated(l)?;
                Some((unit, l.trim().trim_matches(['"', ',', ';']).to_owned()))
            })
    } else {
        None
    };
    // The lines skipped, as fields, to name one that holds a column asked for.
    let skipped: Vec<(u64, Vec<String>)> = crate::load::lines::split(&prefix)
        .take(usize::try_from(skip).unwrap_or(0))
        .zip(1..)
        .map(|(l, n)| {
            let fields = csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(delimiter)
                .from_reader(l)
                .records()
                .next()
                .and_then(|r| r.ok())
                .map(|r| r.iter().map(|f| f.trim().to_owned()).collect())
                .unwrap_or_default();
            (n, fields)
        })
        .collect();
    let mut rest = BufReader::new(Cursor::new(prefix).chain(decoded));
    for skipped in 0..skip {
        let more = skip_line(&mut rest, skipped + 1)
            .map_err(|e| read_error(&label, csv::Error::from(e)))?;
        if !more {
            let at = Location {
                file: label,
                line: skipped + 1,
                column: None,
            };
            return Err(Error::input(
                at,
                format!(
                    "the input ends after {skipped} line{}, before the {skip} lines to skip",
                    if skipped == 1 { "" } else { "s" }
                ),
                "",
                "give --skip-rows the number of lines before the header",
            ));
        }
    }

    let (counted, lines) = Counting::new(rest);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(counted);
    let line_of = |rec: &csv::ByteRecord| {
        lines
            .borrow_mut()
            .line_at(rec.position().map_or(0, |p| p.byte()))
    };
    let mut rec = csv::ByteRecord::new();
    let got = rdr
        .read_byte_record(&mut rec)
        .map_err(|e| read_error(&label, e))?;
    if !got {
        let at = Location {
            file: label,
            line: skip + 1,
            column: None,
        };
        let problem = if skip > 0 {
            format!("no header after the {skip} lines skipped")
        } else {
            "the file is empty".into()
        };
        return Err(Error::input(
            at,
            problem,
            "",
            "a CSV file starts with a header line",
        ));
    }
    let header_line = skip + line_of(&rec);
    let mut names = Vec::with_capacity(rec.len());
    {
        let placeholder: Vec<String> = Vec::new();
        let ctx = Ctx {
            file: &label,
            header: &placeholder,
            skip,
            skipped: &[],
        };
        for (i, field) in rec.iter().enumerate() {
            let name =
                text(&ctx, field, header_line, None, enc).map_err(|e| with_column_number(e, i))?;
            names.push(name.trim().to_owned());
        }
    }
    let mut header_rows = None;
    let pending = if let Some(b) = block {
        // The block's rows are composed into one name per column.
        let mut rows = vec![names.clone()];
        let mut more = csv::ByteRecord::new();
        while rows.len() < b.rows
            && rdr
                .read_byte_record(&mut more)
                .map_err(|e| read_error(&label, e))?
        {
            rows.push(
                more.iter()
                    .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                    .collect(),
            );
        }
        let (composed, footnotes) = block::compose(&rows);
        names = composed;
        header_rows = Some((header_line, header_line + rows.len() as u64 - 1, footnotes));
        None
    } else {
        // A second header row (GENESIS: dates above, "Insgesamt;männlich;weiblich" below)
        // is merged into the first; any other row read here is the first row of data.
        let mut second = csv::ByteRecord::new();
        let read_second = rdr
            .read_byte_record(&mut second)
            .map_err(|e| read_error(&label, e))?;
        if read_second && merge_header(&mut names, &second) {
            None
        } else {
            read_second.then_some(second)
        }
    };
    // Eurostat's first column holds several dimensions ("indic_de,geo\time": "JAN,DE"):
    // each becomes a column of its own, after the others.
    let compound = compound_key(&names);
    if let Some((_, dims)) = &compound {
        names.extend(dims.iter().cloned());
    }
    let ncols = names.len();
    let file_idx = acc.add_file(&label, names.clone())?;
    let ctx = Ctx {
        file: &label,
        header: &names,
        skip: header_line - 1,
        skipped: &skipped,
    };
    // e-Stat states the unit in a label cell of every row ("人口【千人】"); a file with
    // several such labels is refused below as holding several breakdowns.
    let stated = stated.or_else(|| {
        let first = pending.as_ref()?;
        estat_dimensions(&names).into_iter().find_map(|(c, _)| {
            let label = std::str::from_utf8(first.get(c)?).ok()?;
            Some((header::unit_stated(label)?, label.trim().to_owned()))
        })
    });
    // No known region column: the one column of text in the first row of figures holds
    // the regions, whatever its name (or with none).
    let data_from = header_rows
        .as_ref()
        .map_or(header_line, |(_, last, _)| *last);
    let alone = (opts.region_cols.is_empty()
        && header::known_region(&names, None).is_none()
        && header::census_county(&names).is_none())
    .then(|| block::only_text_column(&first_rows, data_from))
    .flatten();
    let with_region;
    let opts = match alone {
        Some(c) => {
            with_region = LoadOptions {
                region_cols: vec![(c + 1).to_string()],
                ..opts.clone()
            };
            &with_region
        }
        None => opts,
    };
    let plan = plan::plan(&ctx, opts, stated)?;
    let mut notes = Vec::new();
    let mut choices = plan.choices.clone();
    if let Some(c) = alone {
        choices.insert(
            0,
            plan::Choice::RegionAlone(match names.get(c).map(String::as_str) {
                Some("") | None => format!("column {} (unnamed)", c + 1),
                Some(name) => format!("column {name}"),
            }),
        );
    }
    // What the preamble or the population columns' names say the figures are.
    let population_names: Vec<&str> = match &plan.kind {
        PlanKind::Wide { columns } => columns
            .iter()
            .filter(|(_, m, _)| *m == Measure::Population)
            .map(|&(_, _, c)| names[c].as_str())
            .collect(),
        PlanKind::Long { measures, .. } => measures
            .iter()
            .filter(|(m, _)| *m == Measure::Population)
            .map(|&(_, c)| names[c].as_str())
            .collect(),
    };
    let preamble = skipped.iter().map(|(_, fields)| fields.join(" "));
    // A title of "population and percentage" names two kinds of columns; the percentages
    // are kept out of the figures read, so the title says nothing of those.
    let of_both = |text: &str, what: &str| {
        let lower = text.to_lowercase();
        what.starts_with("shares")
            && ["and percentage", "and per cent", "and share"]
                .iter()
                .any(|w| lower.contains(w))
    };
    if let Some((what, said_by)) = preamble
        .chain(population_names.iter().map(|n| n.to_string()))
        .find_map(|text| {
            header::figures_are(&text)
                .filter(|w| !of_both(&text, w))
                .map(|w| (w, text))
        })
    {
        notes.push(Note::FiguresAre {
            file: label.clone(),
            what: what.to_owned(),
            said_by: said_by.trim().trim_matches(['"', ',', ';']).to_owned(),
        });
    }
    if let Some((first, last, footnotes)) = header_rows {
        notes.push(Note::HeaderRows {
            file: label.clone(),
            lines: (first, last),
            footnotes,
        });
    }
    // A publication's table (a sheet, a header over several rows) may interrupt its rows
    // with a section's label ("Other Territories"): the label groups the rows after it.
    let publication = short_rows || block.is_some();
    let mut section: Option<String> = None;
    if sniffed && delimiter != b',' {
        choices.insert(0, plan::Choice::Delimiter(delimiter));
    }
    if opts.decimal.is_none() && decimals == cell::Decimals::Comma {
        choices.insert(0, plan::Choice::DecimalComma);
    }
    if !choices.is_empty() {
        notes.push(Note::Chose {
            file: label.clone(),
            choices,
        });
    }
    // A wide file has a row per region; a long one a row per region and year (two at least,
    // or there is nothing to compare).
    let regions_expected = match plan.kind {
        PlanKind::Wide { .. } => rows_expected,
        PlanKind::Long { .. } => rows_expected / 2,
    };
    acc.expect(
        usize::try_from(regions_expected).unwrap_or(0),
        NAME_BYTES_GUESS,
    );
    if skip > 0 && opts.skip_rows.is_none() {
        notes.push(Note::PreambleSkipped {
            file: label.clone(),
            lines: skip,
        });
    }

    let mut key = Vec::with_capacity(64);
    let mut ahead = Vec::with_capacity(64);
    // The summary levels of the rows kept, and how many rows each.
    let mut levels: Vec<(String, u64)> = Vec::new();
    // The first line of notes after the data, once met: its line and text.
    let mut footer: Option<(u64, String)> = None;
    let mut next = csv::ByteRecord::new();
    let expand = |rec: &mut csv::ByteRecord| {
        if let Some((c, _)) = &compound {
            let parts: Vec<Vec<u8>> = rec
                .get(*c)
                .unwrap_or_default()
                .split(|&b| b == b',')
                .map(<[u8]>::to_vec)
                .collect();
            for part in parts {
                rec.push_field(&part);
            }
        }
    };
    let read = |rdr: &mut csv::Reader<_>, rec: &mut csv::ByteRecord| {
        let more = rdr
            .read_byte_record(rec)
            .map_err(|e| read_error(&label, e))?;
        if more {
            expand(rec);
        }
        Ok::<bool, Error>(more)
    };
    // The values of each dimension (of a compound key, or an e-Stat label column), but the
    // region's, in the rows kept: a file that holds several (indicators, sexes) cannot be
    // summed as one. e-Stat's regions are a dimension too, named by its label or its code.
    let dims_from = ncols - compound.as_ref().map_or(0, |(_, d)| d.len());
    let is_region = |c: &usize| plan.region.contains(c) || plan.code_key == Some(*c);
    let is_figure = |c: &usize| match &plan.kind {
        PlanKind::Long { year, measures } => *c == *year || measures.iter().any(|m| m.1 == *c),
        PlanKind::Wide { columns } => columns.iter().any(|m| m.2 == *c),
    };
    let mut dim_cols: Vec<usize> = estat_dimensions(&names)
        .into_iter()
        .filter(|(label, code)| !is_region(label) && !is_region(code))
        .map(|(label, _)| label)
        .chain((dims_from..ncols).filter(|c| !is_region(c)))
        .collect();
    for c in sdmx_dimensions(&names) {
        if !is_region(&c) && !is_figure(&c) && !dim_cols.contains(&c) && Some(c) != plan.group {
            dim_cols.push(c);
        }
    }
    let mut dim_values: Vec<Vec<(String, u64)>> = vec![Vec::new(); dim_cols.len()];
    // A Census file's REGION column, where `X` marks a row in no census region (Puerto
    // Rico): such rows kept are named in a note, as the nation's total leaves them out.
    let census_region = match plan.level {
        Some(LevelRule::SummaryLevel(_)) => header::find_all(&names, "REGION").first().copied(),
        _ => None,
    };
    let mut outside: Vec<String> = Vec::new();
    // Per --where filter: the rows it kept, and the first values its column holds.
    let mut filtered: Vec<(u64, Vec<String>)> = vec![(0, Vec::new()); plan.filters.len()];
    let mut kept_rows = 0u64;
    // The periods read in a long file's year column, by year ("2024-07" is of 2024).
    let mut periods: Vec<(i32, Vec<String>)> = Vec::new();
    // Whether the rest is read only for the values of the dimensions (see below).
    let mut scanning = false;
    // Eurostat flags stripped from figures ("81174000 e"), and how many of each.
    let mut flags: Vec<(String, u64)> = Vec::new();
    // SDMX-CSV (and JSON-stat laid out as it) puts each figure's flags in OBS_FLAG.
    let flag_col = names
        .iter()
        .position(|n| n.trim().eq_ignore_ascii_case("OBS_FLAG"));
    // The label alone on its line last met after the data, which rows of figures after it
    // make a section's label.
    let mut candidate: Option<String> = None;
    let mut dotted_seen = false;
    // The row read last and its indentation, and the rows found to have deeper ones under
    // them.
    let mut above: Option<(u32, usize)> = None;
    let mut indented_totals: Vec<u32> = Vec::new();
    let mut undotted: Vec<u32> = Vec::new();
    let mut undotted_names: Vec<String> = Vec::new();
    let mut more = match pending {
        Some(first) => {
            rec = first;
            expand(&mut rec);
            true
        }
        None => read(&mut rdr, &mut rec)?,
    };
    // Regions are told apart by their columns, and by their codes where the names repeat
    // (two districts of one name, one dissolved).
    let key_cols: Vec<usize> = plan.region.iter().copied().chain(plan.code_key).collect();
    region_key(&rec, &key_cols, publication, &mut key);
    while more {
        // Read one row ahead and bring its region's table slot into cache while this
        // row is processed: in a shuffled file each lookup is otherwise a full miss.
        more = read(&mut rdr, &mut next)?;
        if more {
            region_key(&next, &key_cols, publication, &mut ahead);
            acc.touch(&ahead);
        }
        'row: {
            let line = skip + line_of(&rec);
            let n = rec.len();
            // A row of empty fields (",,," from a spreadsheet) is a blank line.
            if rec.iter().all(|f| f.trim_ascii().is_empty()) {
                break 'row;
            }
            // A spreadsheet's rows end where their text ends: fewer cells are empty ones.
            let fits = cell::row_fits(
                n,
                ncols,
                rec.get(n.wrapping_sub(1)).is_some_and(<[u8]>::is_empty),
            ) || (short_rows && n < ncols);
            // A label alone on its row, in a publication's table: a section's label if
            // rows of figures follow it, a footer if notes do (or nothing).
            let label = (publication
                && rec.iter().filter(|f| !f.trim_ascii().is_empty()).count() == 1
                && !rec.get(0).unwrap_or_default().trim_ascii().is_empty())
            .then(|| String::from_utf8_lossy(rec.get(0).unwrap_or_default().trim_ascii()))
            .filter(|t| !opens_note(t));
            if let Some(text) = label
                && (footer.is_none() || candidate.is_some())
            {
                // The first such line is where the notes begin, should they be notes; the
                // last is the label of the rows that may follow.
                if footer.is_none() {
                    footer = Some((line, text.to_string()));
                }
                candidate = Some(text.into_owned());
                break 'row;
            }
            if candidate.is_some() && fits && !is_note(&rec, ncols) {
                section = candidate.take();
                footer = None;
            }
            candidate = None;
            if let Some((at, text)) = &footer {
                // Past a footer only more notes may come: a row of data there means the
                // "footer" was a stray line in the data, which must not cut it short.
                if fits && !is_note(&rec, ncols) {
                    return Err(Error::input(
                        ctx.at(*at, None),
                        format!(
                            "a line that is not data stands among the data (line {line} is data again)"
                        ),
                        text,
                        "remove the line, or quote it if it is part of a field",
                    ));
                }
                break 'row;
            }
            if is_note(&rec, ncols) {
                footer = Some((line, as_written(&rec, delimiter)));
                break 'row;
            }
            if !fits && short_rows {
                // A sheet's cell beyond the table (often far off, as XFD1048576): name it
                // as the spreadsheet does.
                let (col, cell) = rec
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, f)| !f.trim_ascii().is_empty())
                    .unwrap_or((n - 1, b""));
                let row = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
                return Err(Error::input(
                    ctx.at(line, None),
                    format!(
                        "cell {} holds text outside the table's {ncols} columns",
                        crate::spreadsheet::read::cell_name(row, col as u32)
                    ),
                    String::from_utf8_lossy(cell),
                    "clear the cell in the sheet, or save the table alone as CSV",
                ));
            }
            if !fits {
                let at = ctx.at(line, None);
                return Err(Error::input(
                    at,
                    format!("expected {ncols} fields, as in the header, but found {n}"),
                    as_written(&rec, delimiter),
                    "every row needs one field per header column; quote fields that hold the \
                     separator",
                ));
            }
            let field = |i: usize| rec.get(i).unwrap_or(b"");
            let mut all = true;
            for (f, (c, filter)) in plan.filters.iter().enumerate() {
                let kept = filter.keeps(field(*c));
                all &= kept;
                // What the column holds, while no row has been kept: for the message.
                let (matched, values) = &mut filtered[f];
                *matched += u64::from(kept);
                if kept_rows == 0 && values.len() < 10 {
                    let v = String::from_utf8_lossy(cell::key(field(*c)));
                    if !values.iter().any(|x| *x == v) {
                        values.push(v.into_owned());
                    }
                }
            }
            if !all {
                break 'row;
            }
            // popdelta's own group and total rows: sums, made again from the parts.
            if let Some(rule) = plan.level
                && rule.is_written_sum(&String::from_utf8_lossy(field(rule.column())))
            {
                break 'row;
            }
            // Periods asked for: a long file's rows of other periods are left out.
            if let PlanKind::Long { year, .. } = &plan.kind
                && !opts.periods.is_empty()
            {
                let period = String::from_utf8_lossy(cell::key(field(*year)));
                if header::year_of(&period).is_some()
                    && !header::is_plain_year(&period)
                    && !opts.periods.iter().any(|p| *p == period)
                {
                    break 'row;
                }
            }
            kept_rows += 1;
            if let Some(c) = census_region
                && cell::key(field(c)) == b"X"
                && outside.len() < 10
            {
                let names: Vec<&[u8]> = plan.region.iter().map(|&r| field(r)).collect();
                outside.push(String::from_utf8_lossy(&names.join(&b", "[..])).into_owned());
            }
            for (&c, values) in dim_cols.iter().zip(&mut dim_values) {
                let v = String::from_utf8_lossy(cell::key(field(c)));
                match values.iter_mut().find(|(x, _)| *x == v) {
                    Some((_, n)) => *n += 1,
                    None => values.push((v.into_owned(), 1)),
                }
            }
            if scanning {
                if let PlanKind::Long { year, .. } = &plan.kind
                    && let Ok(Some(y)) = cell::year(field(*year))
                {
                    track_period(&mut periods, field(*year), y);
                }
                break 'row;
            }
            // `key` was made when the row was read ahead.
            if key.iter().all(|&b| b == 0x1f) {
                return Err(Error::input(
                    ctx.at(line, plan.region.first().copied()),
                    "empty region name",
                    "",
                    "every row needs a region; filter rows out with --where",
                ));
            }
            let origin = |c: usize| Origin {
                file: file_idx,
                line,
                column: c as u32,
            };
            let name = || -> Result<String> {
                if let ([c], 1) = (&plan.region[..], key_cols.len()) {
                    // One column: the key is the name, checked as text once.
                    return Ok(text(&ctx, &key, line, Some(*c), enc)?.to_owned());
                }
                let mut parts = Vec::with_capacity(plan.region.len());
                for &c in &plan.region {
                    parts.push(text(&ctx, field(c), line, Some(c), enc)?.trim());
                }
                Ok(parts.join(", "))
            };
            let several = key_cols.len() > 1;
            let region = match (plan.group, &section) {
                (None, Some(label)) => {
                    let check = || Ok(label.clone());
                    acc.region(
                        &key,
                        several,
                        name,
                        Some(GroupLabel {
                            bytes: label.as_bytes(),
                            text: &check,
                            origin: origin(plan.region.first().copied().unwrap_or(0)),
                        }),
                    )?
                }
                _ => match plan.group {
                    Some(g) => {
                        let label = field(g).trim_ascii();
                        let check = || Ok(text(&ctx, label, line, Some(g), enc)?.to_owned());
                        acc.region(
                            &key,
                            several,
                            name,
                            Some(GroupLabel {
                                bytes: label,
                                text: &check,
                                origin: origin(g),
                            }),
                        )?
                    }
                    None => acc.region(&key, several, name, None)?,
                },
            };
            // Rows indented under another (leading spaces, as some offices draw a
            // hierarchy): the row just above a deeper one is their total. Outside a
            // publication's table, two spaces deeper at least (one may be a slip). Codes
            // that nest (Destatis) say more, where a file has them.
            if plan.level.is_none() {
                let raw = field(plan.region.first().copied().unwrap_or(0));
                let indent = raw.iter().take_while(|&&b| b == b' ').count();
                let deeper = if publication { 1 } else { 2 };
                if let Some((r, depth)) = above
                    && indent >= depth + deeper
                {
                    indented_totals.push(r);
                }
                above = Some((region, indent));
            }
            // Rows marked with a leading dot (".Alabama") are parts of those above them.
            if !publication {
                // Names are as written.
            } else if dotted_name(field(plan.region.first().copied().unwrap_or(0))).is_some() {
                dotted_seen = true;
            } else {
                if undotted.len() < 10 {
                    undotted_names.push(String::from_utf8_lossy(&key).replace('\x1f', ", "));
                }
                undotted.push(region);
            }
            if let Some(rule) = plan.level {
                let c = rule.column();
                let cell = text(&ctx, field(c), line, Some(c), enc)?;
                if let Some(why) = rule.aggregate(cell) {
                    acc.aggregate(region, &why);
                }
                if let LevelRule::CodePrefix(_) = rule {
                    acc.code(region, cell.trim());
                    // Regions named in a column of their own are found by their codes too.
                    if plan.code_key.is_some() {
                        acc.alias(region, cell.trim());
                    }
                }
                if let LevelRule::WorldBankCode(_) = rule {
                    acc.alias(region, cell.trim());
                }
                if let LevelRule::SummaryLevel(_) = rule {
                    let level = cell.trim();
                    // "040" and "40" are one level, as --where has them.
                    match levels
                        .iter_mut()
                        .find(|(l, _)| cell::matches(l.as_bytes(), level))
                    {
                        Some((_, n)) => *n += 1,
                        None => levels.push((level.to_owned(), 1)),
                    }
                }
            }
            if let Some(fc) = flag_col {
                // "p" or, with labels, "p: provisional": the flag is the code.
                let cell = field(fc).trim_ascii();
                let code = cell
                    .split(|&b| b == b':')
                    .next()
                    .unwrap_or(cell)
                    .trim_ascii();
                if !code.is_empty() {
                    let f = String::from_utf8_lossy(code);
                    match flags.iter_mut().find(|(x, _)| *x == f) {
                        Some((_, n)) => *n += 1,
                        None => flags.push((f.into_owned(), 1)),
                    }
                }
            }
            let mut add = |year: i32, m: Measure, c: usize, acc: &mut Accumulator| -> Result<()> {
                let mut raw = field(c);
                if compound.is_some() {
                    raw = eurostat_figure(raw, &mut flags);
                }
                let value = if m.is_rate() {
                    cell::rate(raw, decimals).map(|v| v.map(Value::Rate))
                } else {
                    let read = if m == Measure::NetMigration {
                        cell::signed_count
                    } else {
                        cell::population
                    };
                    read(raw, plan.unit, opts.fractions, decimals).map(|v| {
                        v.map(|p| {
                            if p.rounded {
                                acc.rounded(region, year, String::from_utf8_lossy(raw).trim());
                            }
                            Value::Count(p.value)
                        })
                    })
                };
                match value {
                    Ok(Some(v)) => acc.add(region, year, m, v, origin(c)),
                    Ok(None) => Ok(()),
                    Err(CellError::Number(e)) => {
                        let hint = if m.is_rate() {
                            "rates are decimal numbers per mille, such as 5.32 or -0.44".into()
                        } else {
                            number_hint(&e, plan.unit)
                        };
                        let problem = format!("bad {}: {e}", m.noun());
                        // Kept until a comparison needs this year: unused columns may be odd.
                        acc.invalid(
                            year,
                            m,
                            Error::input(
                                ctx.at(line, Some(c)),
                                problem,
                                String::from_utf8_lossy(raw),
                                hint,
                            ),
                        );
                        Ok(())
                    }
                    Err(_) => Err(not_text(&ctx, raw, line, Some(c), enc)),
                }
            };
            // Two figures for one region are more likely several indicators in one file:
            // say that, if it is so.
            let mixed = dim_values.iter().any(|v| v.len() > 1);
            match &plan.kind {
                PlanKind::Long { year, measures } => {
                    let raw = field(*year);
                    let y = match cell::year(raw) {
                        Ok(Some(y)) => y,
                        Ok(None) => break 'row,
                        Err(CellError::NotAYear) => {
                            return Err(Error::input(
                                ctx.at(line, Some(*year)),
                                "not a year",
                                String::from_utf8_lossy(raw),
                                "years are four digits, such as 2017, or a date or period \
                                 in one: 2017-07, 2017Q3, 31.12.2017",
                            ));
                        }
                        Err(_) => {
                            return Err(not_text(&ctx, raw, line, Some(*year), enc));
                        }
                    };
                    track_period(&mut periods, raw, y);
                    let mixed = mixed || periods.iter().any(|(_, seen)| seen.len() > 1);
                    for &(m, c) in measures {
                        if let Err(e) = add(y, m, c, acc) {
                            if !mixed {
                                return Err(e);
                            }
                            // Read on only to list every value of the dimension.
                            scanning = true;
                            break 'row;
                        }
                    }
                }
                PlanKind::Wide { columns } => {
                    for &(y, m, c) in columns {
                        if let Err(e) = add(y, m, c, acc) {
                            if !mixed {
                                return Err(e);
                            }
                            // Read on only to list every value of the dimension.
                            scanning = true;
                            break 'row;
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut rec, &mut next);
        std::mem::swap(&mut key, &mut ahead);
    }
    for &r in &indented_totals {
        acc.aggregate(r, "a total: the rows indented under it are its parts");
    }
    if dotted_seen && !undotted.is_empty() {
        for &r in &undotted {
            acc.aggregate(r, "a total: the parts are marked with a leading dot");
        }
        if undotted.len() > undotted_names.len() {
            undotted_names.push(format!(
                "and {} more",
                undotted.len() - undotted_names.len()
            ));
        }
        notes.push(Note::DottedParts {
            file: label.clone(),
            totals: undotted_names,
        });
    }
    if kept_rows == 0 && !plan.filters.is_empty() {
        return Err(kept_nothing(&ctx, &plan.filters, &filtered));
    }
    if levels.len() > 1 {
        return Err(mixed_levels(&ctx, plan.level, &levels));
    }
    let mixed: Vec<(usize, &[(String, u64)])> = dim_cols
        .iter()
        .zip(&dim_values)
        .filter(|(_, values)| values.len() > 1)
        .map(|(&c, values)| (c, values.as_slice()))
        .collect();
    if !mixed.is_empty() {
        return Err(mixed_dimensions(&ctx, &mixed));
    }
    if let (PlanKind::Long { year, .. }, Some((y, seen))) = (
        &plan.kind,
        periods.iter().rev().find(|(_, seen)| seen.len() > 1),
    ) {
        let column = ctx.header.get(*year).cloned().unwrap_or_default();
        // The latest period's place in the year (its month, its quarter), for each year.
        let last = seen.iter().max().cloned().unwrap_or_default();
        let suffix = last.get(4..).unwrap_or_default();
        let mut years: Vec<i32> = periods.iter().map(|(py, _)| *py).collect();
        years.sort_unstable();
        let picks: Vec<String> = years
            .iter()
            .take(3)
            .map(|py| format!("{py}{suffix}"))
            .collect();
        let last = format!(
            "{}{}",
            picks.join("|"),
            if years.len() > 3 { "|..." } else { "" }
        );
        return Err(Error::input(
            ctx.at(ctx.skip + 1, Some(*year)),
            format!(
                "{column} holds several periods of {y} ({}), and popdelta compares one figure \
                 a year",
                seen.join(", ")
            ),
            "",
            {
                // Two periods the file holds: the latest of this year and its like a year
                // before, or after.
                let holds = |p: &String| periods.iter().any(|(_, seen)| seen.contains(p));
                let (a, b) = (format!("{}{suffix}", y - 1), format!("{y}{suffix}"));
                let after = format!("{}{suffix}", y + 1);
                let pair = if holds(&a) {
                    Some((a, b))
                } else if holds(&after) {
                    Some((b, after))
                } else {
                    None
                };
                match pair {
                    Some((a, b)) => format!(
                        "compare two periods: --from {a} --to {b}; or keep one period a year, \
                         e.g. --where '{column}={last}'"
                    ),
                    None => format!("keep one period a year, e.g. --where '{column}={last}'"),
                }
            },
        ));
    }
    if !flags.is_empty() {
        notes.push(Note::Flags {
            file: label.clone(),
            flags,
        });
    }
    if let (Some(c), false) = (census_region, outside.is_empty()) {
        notes.push(Note::OutsideRegions {
            file: label.clone(),
            column: names.get(c).cloned().unwrap_or_default(),
            regions: outside,
        });
    }
    if let Some((line, text)) = footer {
        notes.push(Note::Footer {
            file: label.clone(),
            line,
            text,
        });
    }
    if let Some(e) = guessed.get() {
        let choice = plan::Choice::Encoding(decode::name_of(e));
        match notes.iter_mut().find(|n| matches!(n, Note::Chose { .. })) {
            Some(Note::Chose { choices, .. }) => choices.insert(0, choice),
            _ => notes.insert(
                0,
                Note::Chose {
                    file: label.clone(),
                    choices: vec![choice],
                },
            ),
        }
    }
    Ok(notes)
}

/// A row's region key: the trimmed bytes of its region fields (in a publication's table,
/// the first without the leading dots that mark a part, ".Alabama"), joined by U+001F
/// (which text never holds). It is checked as text only when the region is new.
fn region_key(rec: &csv::ByteRecord, columns: &[usize], dots: bool, key: &mut Vec<u8>) {
    key.clear();
    for (k, &c) in columns.iter().enumerate() {
        if k > 0 {
            key.push(0x1f);
        }
        let field = rec.get(c).unwrap_or(b"");
        let field = match k {
            0 if dots => dotted_name(field).unwrap_or(field),
            _ => field,
        };
        key.extend_from_slice(cell::key(field));
    }
}

/// A name marked as a part by leading dots (".Alabama", "..Autauga County"): the name
/// without them.
fn dotted_name(field: &[u8]) -> Option<&[u8]> {
    let t = field.trim_ascii_start();
    let dots = t.iter().take_while(|&&b| b == b'.').count();
    let rest = &t[dots..];
    (dots > 0
        && rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b >= 0x80))
    .then_some(rest)
}

/// Whether a note's text opens as notes do (©, Source:, 注：), so that it is never a
/// section's label.
fn opens_note(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    [
        "©",
        "(c)",
        "source",
        "note",
        "注",
        "数据来源",
        "资料来源",
        "quelle",
        "____",
        "footnote",
    ]
    .iter()
    .any(|o| lower.starts_with(o))
}

/// Header fields have no name to show yet: name the column by number instead.
fn with_column_number(e: Error, index: usize) -> Error {
    match e {
        Error::Input(mut inner) => {
            inner.at.column = Some(format!("column {}", index + 1));
            Error::Input(inner)
        }
        other => other,
    }
}
