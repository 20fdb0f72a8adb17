//! Reading one CSV file (or standard input) into the accumulator, streaming, in one pass.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::error::{Error, Location, Result};
use crate::load::accumulate::{Accumulator, GroupLabel, Origin, Value};
use crate::load::decode::{self, DecodeError, Decoder, Encoding};
use crate::load::header::{self, Layout, Measure, Pattern};
use crate::load::lines::Counting;
use crate::load::{Input, LoadOptions, Note};
use crate::number::{self, NumberError, Unit};

/// Bytes looked at to find a preamble before the header.
pub(super) const PREFIX: usize = 64 * 1024;
/// Bytes reserved per expected region name (more are added as needed).
const NAME_BYTES_GUESS: usize = 16;
/// Records looked at to find a preamble.
const PREAMBLE_RECORDS: usize = 30;

/// Which columns of a file mean what.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) region: Vec<usize>,
    pub(super) group: Option<usize>,
    pub(super) filters: Vec<(usize, String)>,
    pub(super) kind: PlanKind,
    pub(super) unit: Unit,
}

#[derive(Debug)]
pub(super) enum PlanKind {
    /// Region, year, and one column per measure.
    Long {
        year: usize,
        measures: Vec<(Measure, usize)>,
    },
    /// Region and one column per year and measure.
    Wide { columns: Vec<(i32, Measure, usize)> },
}

/// A file's label and header, for building errors.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) header: &'a [String],
    pub(super) skip: u64,
}

impl Ctx<'_> {
    fn at(&self, line: u64, column: Option<usize>) -> Location {
        Location {
            file: self.file.to_owned(),
            line,
            column: column.and_then(|c| self.header.get(c).cloned()),
        }
    }

    fn header_line(&self) -> u64 {
        self.skip + 1
    }

    fn header_error(&self, problem: String, text: &str, hint: String) -> Error {
        Error::input(self.at(self.header_line(), None), problem, text, hint)
    }

    fn listed(&self) -> String {
        let names: Vec<String> = self.header.iter().map(|h| format!("{h:?}")).collect();
        names.join(", ")
    }

    /// The one column with this name; an error if absent or duplicated.
    fn column(&self, name: &str, flag: &str) -> Result<usize> {
        let found = header::find_all(self.header, name);
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(self.header_error(
                format!("no column {name:?} in the header"),
                name,
                format!("{flag} must name one of: {}", self.listed()),
            )),
            [first, second, ..] => Err(self.header_error(
                format!(
                    "column {name:?} appears more than once in the header (columns {} and {})",
                    first + 1,
                    second + 1
                ),
                name,
                "rename one of them".into(),
            )),
        }
    }

    /// A column found by a known name: used, so it must not be duplicated.
    fn unique(&self, index: usize) -> Result<usize> {
        let name = &self.header[index];
        self.column(name, "the column")
    }
}

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

/// The error for a failed read: a decoding error names its line, others are I/O.
fn read_error(label: &str, e: csv::Error, encoding: Encoding) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => {
            if let Some(d) = io.get_ref().and_then(|i| i.downcast_ref::<DecodeError>()) {
                let at = Location {
                    file: label.to_owned(),
                    line: d.line,
                    column: None,
                };
                return Error::input(
                    at,
                    format!("bytes {} are not valid {}", d.bytes, encoding.name()),
                    d.bytes.clone(),
                    "check --encoding: utf-8, gb18030, latin1 or windows-1252",
                );
            }
            io_error(label, io)
        }
        other => io_error(label, io::Error::other(format!("{other:?}"))),
    }
}

/// The number of lines before the header: the first record that has at least two fields
/// and as many as each of the (up to five) records after it, all records before it having
/// fewer fields. Zero when no such record stands out.
pub(super) fn preamble_lines(prefix: &[u8], complete: bool) -> u64 {
    let (counted, lines) = Counting::new(prefix);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(counted);
    let mut recs: Vec<(u64, usize)> = Vec::new();
    for rec in rdr.byte_records().take(PREAMBLE_RECORDS) {
        let Ok(rec) = rec else { break };
        let line = lines
            .borrow_mut()
            .line_at(rec.position().map_or(0, |p| p.byte()));
        recs.push((line, rec.len()));
    }
    if !complete {
        recs.pop(); // the last record may be cut off by the prefix
    }
    for (i, &(line, n)) in recs.iter().enumerate() {
        let after = &recs[i + 1..recs.len().min(i + 6)];
        if n >= 2 && !after.is_empty() && after.iter().all(|&(_, m)| m == n) {
            let before_fewer = recs[..i].iter().all(|&(_, m)| m < n);
            return if before_fewer { line - 1 } else { 0 };
        }
    }
    0
}

/// A field as UTF-8; bytes that are not are an error with a hint at the likely encoding.
fn text<'r>(
    ctx: &Ctx,
    bytes: &'r [u8],
    line: u64,
    column: Option<usize>,
    encoding: Encoding,
) -> Result<&'r str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let start = e.valid_up_to();
        let end = (start + e.error_len().unwrap_or(1)).min(bytes.len());
        let problem = if encoding == Encoding::Auto {
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
            decode::not_utf8_hint(bytes),
        )
    })
}

/// Decides the layout and the columns of each measure.
pub(super) fn plan(ctx: &Ctx, opts: &LoadOptions) -> Result<Plan> {
    let header = ctx.header;
    let region = if opts.region_cols.is_empty() {
        match header::known_region(header) {
            Some(i) => vec![ctx.unique(i)?],
            None => {
                return Err(ctx.header_error(
                    "no region column (region, name, country name, province, 地区, 省份, ...)"
                        .into(),
                    &header.join(","),
                    "name it with --region-col COL (several, comma-separated, if regions \
                     need more than one column to be told apart)"
                        .into(),
                ));
            }
        }
    } else {
        opts.region_cols
            .iter()
            .map(|c| ctx.column(c, "--region-col"))
            .collect::<Result<_>>()?
    };
    let group = match &opts.group_col {
        Some(c) => Some(ctx.column(c, "--group-by")?),
        None => None,
    };
    let filters = opts
        .filters
        .iter()
        .map(|(c, v)| Ok((ctx.column(c, "--where")?, v.clone())))
        .collect::<Result<_>>()?;

    let value_pattern = opts.value_col.as_deref().and_then(Pattern::parse);
    let known_year = header::known_year(header);
    let layout = match opts.layout {
        Layout::Auto if value_pattern.is_some() => Layout::Wide,
        Layout::Auto if opts.year_col.is_some() || known_year.is_some() => Layout::Long,
        Layout::Auto if header.iter().any(|h| header::year_of(h).is_some()) => Layout::Wide,
        Layout::Auto => {
            return Err(ctx.header_error(
                "cannot tell the layout: no year column (year, 年份) and no columns named by \
                 year (2016, 2017, ...)"
                    .into(),
                &header.join(","),
                "say --layout long --year-col NAME --value-col NAME, or give a wide file's \
                 columns as a pattern, e.g. --value-col 'POPESTIMATE{year}'"
                    .into(),
            ));
        }
        other => other,
    };

    let mut unit_hint = None;
    let kind = match layout {
        Layout::Long => {
            let year = match &opts.year_col {
                Some(c) => ctx.column(c, "--year-col")?,
                None => match known_year {
                    Some(i) => ctx.unique(i)?,
                    None => {
                        return Err(ctx.header_error(
                            "no year column (year, 年份) for the long layout".into(),
                            &header.join(","),
                            "name it with --year-col".into(),
                        ));
                    }
                },
            };
            let mut measures = Vec::new();
            for m in Measure::ALL {
                let spec = opts.column_spec(m);
                let idx = match spec {
                    Some(s) if s.contains("{year}") => {
                        return Err(ctx.header_error(
                            format!("{} {s:?} is a pattern, but the file is long", m.flag()),
                            s,
                            format!(
                                "in a long file {} names one column; patterns with {{year}} \
                                 are for wide files",
                                m.flag()
                            ),
                        ));
                    }
                    Some(s) => Some(ctx.column(s, m.flag())?),
                    None if m == Measure::Population => match header::known_value(header) {
                        Some(i) => Some(ctx.unique(i)?),
                        None => {
                            return Err(ctx.header_error(
                                "no population column (population, pop, value, 常住人口) for \
                                 the long layout"
                                    .into(),
                                &header.join(","),
                                "name it with --value-col".into(),
                            ));
                        }
                    },
                    None => None,
                };
                if let Some(i) = idx {
                    if m == Measure::Population {
                        unit_hint = header::unit_in_name(&header[i]);
                    }
                    measures.push((m, i));
                }
            }
            PlanKind::Long { year, measures }
        }
        _ => {
            let mut patterns: Vec<(Measure, Option<Pattern>)> = Vec::new();
            for m in Measure::ALL {
                match opts.column_spec(m) {
                    Some(s) => match Pattern::parse(s) {
                        Some(p) => patterns.push((m, Some(p))),
                        None => {
                            return Err(ctx.header_error(
                                format!("{} {s:?} has no {{year}}, but the file is wide", m.flag()),
                                s,
                                format!(
                                    "in a wide file {} is a pattern such as 'BIRTHS{{year}}'",
                                    m.flag()
                                ),
                            ));
                        }
                    },
                    // Plain year columns ("2016") hold the population by default.
                    None if m == Measure::Population => patterns.push((m, None)),
                    None => {}
                }
            }
            let taken: Vec<usize> = region.iter().copied().chain(group).collect();
            let mut columns = Vec::new();
            for (i, h) in header.iter().enumerate() {
                if taken.contains(&i) {
                    continue;
                }
                for (m, p) in &patterns {
                    let year = match p {
                        Some(p) => p.year(h),
                        None => header::year_of(h),
                    };
                    if let Some(y) = year {
                        if columns.iter().any(|&(cy, cm, _)| cy == y && cm == *m) {
                            return Err(ctx.header_error(
                                format!("two columns hold the {} of {y}", m.noun()),
                                h,
                                "rename one of them".into(),
                            ));
                        }
                        columns.push((y, *m, i));
                        if *m == Measure::Population && unit_hint.is_none() {
                            unit_hint = header::unit_in_name(h);
                        }
                    }
                }
            }
            if !columns.iter().any(|&(_, m, _)| m == Measure::Population) {
                let spec = opts.value_col.as_deref().unwrap_or("{year}");
                return Err(ctx.header_error(
                    format!("no column matches the population columns {spec:?}"),
                    &header.join(","),
                    "name them with a pattern, e.g. --value-col 'POPESTIMATE{year}'".into(),
                ));
            }
            PlanKind::Wide { columns }
        }
    };
    Ok(Plan {
        region,
        group,
        filters,
        kind,
        unit: opts.unit.or(unit_hint).unwrap_or_default(),
    })
}

/// Whether a cell matches a `--where` value: equal text, or equal whole numbers ("040" = "40").
fn matches(cell: &[u8], want: &str) -> bool {
    let cell = cell.trim_ascii();
    let want = want.as_bytes();
    if cell == want {
        return true;
    }
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let unpadded = |s: &[u8]| -> usize { s.iter().take_while(|&&b| b == b'0').count() };
    digits(cell) && digits(want) && cell[unpadded(cell)..] == want[unpadded(want)..]
}

/// A year written as exactly four ASCII digits, the common case, without text handling.
pub(super) fn year_bytes(raw: &[u8]) -> Option<i32> {
    match raw {
        [a, b, c, d] if raw.iter().all(u8::is_ascii_digit) => Some(
            [a, b, c, d]
                .iter()
                .fold(0i32, |y, &&x| y * 10 + i32::from(x - b'0')),
        ),
        _ => None,
    }
}

fn number_hint(e: &NumberError, unit: Unit) -> String {
    match e {
        NumberError::NotWhole(_) => format!(
            "values in {} must come to whole persons: check --unit, or add --fractions round \
             to round them (each rounded figure is then listed)",
            unit.describe()
        ),
        NumberError::BadSeparators => "write 1234567 or 1,234,567".into(),
        NumberError::Negative => "populations are counts of persons".into(),
        NumberError::TooLarge => "values must fit in 64-bit whole persons".into(),
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
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let label = label.to_owned();
    let mut raw = BufReader::with_capacity(256 * 1024, reader);
    let start = raw.fill_buf().map_err(|e| io_error(&label, e))?;
    if decode::is_utf16(start) {
        let at = Location {
            file: label,
            line: 1,
            column: None,
        };
        return Err(Error::input(
            at,
            "the file is UTF-16 (as Excel's \"Unicode text\" saves)",
            decode::hex(&start[..2]),
            "save it as \"CSV UTF-8\" and try again",
        ));
    }
    let mut decoded = Decoder::new(raw, opts.encoding);

    // Look at the start of the file for a preamble, then read on from where it left off.
    let mut prefix = Vec::with_capacity(PREFIX);
    (&mut decoded)
        .take(PREFIX as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| read_error(&label, csv::Error::from(e), opts.encoding))?;
    let complete = prefix.len() < PREFIX;
    // Rows in the file, from the length of the lines at its start.
    let lines_in_prefix = memchr::memchr_iter(b'\n', &prefix).count() as u64;
    let rows_expected = match size {
        Some(size) if lines_in_prefix > 0 => size / (prefix.len() as u64 / lines_in_prefix).max(1),
        _ => 0,
    };
    let skip = match opts.skip_rows {
        Some(n) => n as u64,
        None => preamble_lines(&prefix, complete),
    };
    let mut rest = BufReader::new(Cursor::new(prefix).chain(decoded));
    let mut line = Vec::new();
    for _ in 0..skip {
        line.clear();
        rest.read_until(b'\n', &mut line)
            .map_err(|e| read_error(&label, csv::Error::from(e), opts.encoding))?;
    }

    let (counted, lines) = Counting::new(rest);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
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
        .map_err(|e| read_error(&label, e, opts.encoding))?;
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
        };
        for (i, field) in rec.iter().enumerate() {
            let name = text(&ctx, field, header_line, None, opts.encoding)
                .map_err(|e| with_column_number(e, i))?;
            names.push(name.trim().to_owned());
        }
    }
    let ncols = names.len();
    let file_idx = acc.add_file(&label, names.clone())?;
    let ctx = Ctx {
        file: &label,
        header: &names,
        skip: header_line - 1,
    };
    let plan = plan(&ctx, opts)?;
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
    let mut notes = Vec::new();
    if skip > 0 && opts.skip_rows.is_none() {
        notes.push(Note::PreambleSkipped {
            file: label.clone(),
            lines: skip,
        });
    }

    let mut key = Vec::with_capacity(64);
    let mut ahead = Vec::with_capacity(64);
    let mut next = csv::ByteRecord::new();
    let read = |rdr: &mut csv::Reader<_>, rec: &mut csv::ByteRecord| {
        rdr.read_byte_record(rec)
            .map_err(|e| read_error(&label, e, opts.encoding))
    };
    let mut more = read(&mut rdr, &mut rec)?;
    region_key(&rec, &plan.region, &mut key);
    while more {
        // Read one row ahead and bring its region's table slot into cache while this
        // row is processed: in a shuffled file each lookup is otherwise a full miss.
        more = read(&mut rdr, &mut next)?;
        if more {
            region_key(&next, &plan.region, &mut ahead);
            acc.touch(&ahead);
        }
        'row: {
            let line = skip + line_of(&rec);
            // A row may end in one extra empty field (a trailing comma).
            let n = rec.len();
            if n != ncols && !(n == ncols + 1 && rec.get(ncols).is_some_and(<[u8]>::is_empty)) {
                let at = ctx.at(line, None);
                return Err(Error::input(
                    at,
                    format!("expected {ncols} fields, as in the header, but found {n}"),
                    String::from_utf8_lossy(rec.as_slice()),
                    "every row needs one field per header column; quote fields that hold commas",
                ));
            }
            let field = |i: usize| rec.get(i).unwrap_or(b"");
            if !plan
                .filters
                .iter()
                .all(|(c, want)| matches(field(*c), want))
            {
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
                if let [c] = plan.region[..] {
                    // One column: the key is the name, checked as text once.
                    return Ok(text(&ctx, &key, line, Some(c), opts.encoding)?.to_owned());
                }
                let mut parts = Vec::with_capacity(plan.region.len());
                for &c in &plan.region {
                    parts.push(text(&ctx, field(c), line, Some(c), opts.encoding)?.trim());
                }
                Ok(parts.join(", "))
            };
            let several = plan.region.len() > 1;
            let region = match plan.group {
                Some(g) => {
                    let label = field(g).trim_ascii();
                    let check = || Ok(text(&ctx, label, line, Some(g), opts.encoding)?.to_owned());
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
            };
            let add = |year: i32, m: Measure, c: usize, acc: &mut Accumulator| -> Result<()> {
                let raw = field(c);
                let value = if m.is_rate() {
                    let t = text(&ctx, raw, line, Some(c), opts.encoding)?;
                    number::parse_rate(t)
                        .map(|v| v.map(Value::Rate))
                        .map_err(|e| (e, t))
                } else if !raw.is_empty() && raw.iter().all(u8::is_ascii_digit) && raw.len() < 19 {
                    // Fast path: plain digits need no text handling.
                    let n = raw.iter().fold(0i64, |n, &b| n * 10 + i64::from(b - b'0'));
                    match plan.unit {
                        Unit::Persons => Ok(Some(Value::Count(n))),
                        u => n
                            .checked_mul(u.factor() as i64)
                            .map(|v| Some(Value::Count(v)))
                            .ok_or((NumberError::TooLarge, "")),
                    }
                } else {
                    let t = text(&ctx, raw, line, Some(c), opts.encoding)?;
                    if opts.fractions == number::Fractions::Round {
                        match number::parse_population_rounding(t, plan.unit) {
                            Ok(Some((n, rounded))) => {
                                if rounded {
                                    acc.rounded(region, year, t.trim());
                                }
                                Ok(Some(Value::Count(n)))
                            }
                            Ok(None) => Ok(None),
                            Err(e) => Err((e, t)),
                        }
                    } else {
                        number::parse_population(t, plan.unit)
                            .map(|v| v.map(Value::Count))
                            .map_err(|e| (e, t))
                    }
                };
                match value {
                    Ok(Some(v)) => acc.add(region, year, m, v, origin(c)),
                    Ok(None) => Ok(()),
                    Err((e, t)) => {
                        let shown = if t.is_empty() {
                            String::from_utf8_lossy(raw).into_owned()
                        } else {
                            t.to_owned()
                        };
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
                            Error::input(ctx.at(line, Some(c)), problem, shown, hint),
                        );
                        Ok(())
                    }
                }
            };
            match &plan.kind {
                PlanKind::Long { year, measures } => {
                    let raw = field(*year);
                    let y = match year_bytes(raw) {
                        Some(y) => Some(y),
                        None => {
                            let t = text(&ctx, raw, line, Some(*year), opts.encoding)?;
                            if number::is_missing(t) {
                                break 'row;
                            }
                            header::year_of(t)
                        }
                    };
                    let Some(y) = y else {
                        let t = String::from_utf8_lossy(raw);
                        return Err(Error::input(
                            ctx.at(line, Some(*year)),
                            "not a year",
                            t.as_ref(),
                            "years are four digits, such as 2017",
                        ));
                    };
                    for &(m, c) in measures {
                        add(y, m, c, acc)?;
                    }
                }
                PlanKind::Wide { columns } => {
                    for &(y, m, c) in columns {
                        add(y, m, c, acc)?;
                    }
                }
            }
        }
        std::mem::swap(&mut rec, &mut next);
        std::mem::swap(&mut key, &mut ahead);
    }
    Ok(notes)
}

/// A row's region key: the trimmed bytes of its region fields, joined by U+001F (which
/// text never holds). It is checked as text only when the region is new.
fn region_key(rec: &csv::ByteRecord, columns: &[usize], key: &mut Vec<u8>) {
    key.clear();
    for (k, &c) in columns.iter().enumerate() {
        if k > 0 {
            key.push(0x1f);
        }
        key.extend_from_slice(rec.get(c).unwrap_or(b"").trim_ascii());
    }
}

/// The header line at the start of `text`, if it ends there: its trimmed names and the
/// bytes it takes, newline included. `None` when it does not end in `text` or is not UTF-8.
pub(super) fn first_header(text: &[u8]) -> Option<(Vec<String>, usize)> {
    // A newline ends the header only outside quotes, that is after an even number of them.
    let mut quotes = 0usize;
    let newline = text.iter().position(|&b| {
        quotes += usize::from(b == b'"');
        b == b'\n' && quotes.is_multiple_of(2)
    })?;
    let end = newline + 1;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text[..end]);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).ok()? {
        return None;
    }
    let names = rec
        .iter()
        .map(|f| std::str::from_utf8(f).ok().map(|s| s.trim().to_owned()))
        .collect::<Option<Vec<String>>>()?;
    Some((names, end))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_bank_preamble_is_found() {
        let text = b"\"Data Source\",\"World Development Indicators\",\n\n\"Last Updated Date\",\"2018-09-21\",\n\n\"Country Name\",\"Country Code\",\"2016\",\"2017\",\n\"Aruba\",\"ABW\",\"104822\",\"105264\",\n\"Andorra\",\"AND\",\"77297\",\"\",\n";
        assert_eq!(preamble_lines(text, true), 4);
        assert_eq!(preamble_lines(b"a,b\n1,2\n3,4\n", true), 0);
        // A header that only looks like one after a longer first row: no guessing.
        assert_eq!(preamble_lines(b"a,b,c\nx,y\n1,2\n", true), 0);
        assert_eq!(preamble_lines(b"", true), 0);
    }

    #[test]
    fn where_matches_numbers_with_leading_zeros() {
        assert!(matches(b"040", "40"));
        assert!(matches(b" 050 ", "050"));
        assert!(!matches(b"040", "4"));
        assert!(matches(b"Texas", "Texas"));
        assert!(!matches(b"texas", "Texas"));
        assert!(matches(b"0", "00"));
        assert_eq!(year_bytes(b"2017"), Some(2017));
        assert_eq!(year_bytes(b"201"), None);
    }
}
