//! SDMX-CSV (1.0's `DATAFLOW`, 2.0's and 3.0's `STRUCTURE` and `STRUCTURE_ID`), with labels
//! or without, read straight into the cube: every column as the file names it, each
//! dimension's codes as categories (the dataflow's too), the observation's value, its
//! status and its unit multiplier as the figure's own.
//!
//! Offices write labels two ways: `CODE: Label` in the header and in each cell (SDMX-CSV
//! 1.0, the ABS, the OECD), or a label column after each code column (Eurostat's
//! SDMX-CSV 2.0: `geo,Geopolitical entity (reporting)`). Codes tell categories apart; a
//! category is labelled by the first label the file gives it. The geographic dimension's
//! codes are the regions (found by them too), its labels their names.

use std::io::Read;

use crate::error::{Error, Location, Result};
use crate::load::accumulate::{Accumulator, Origin};
use crate::load::cube::{Category, Cube, DimKind, Dimension, Figure, Meaning};
use crate::load::layout::FIRST_ROWS;
use crate::load::records::{Records, Row};
use crate::load::refusal::kept_nothing;
use crate::load::text::Text;
use crate::load::{LoadOptions, Note, cell, layout::columns, roles};

/// Geographic dimensions' ids, among SDMX's and the offices' usual ones, the finest first:
/// a region's country (`COUNTRY` beside `REF_AREA`) comes after the region.
const GEO: &[&str] = &[
    "ref_area",
    "geo",
    "region",
    "location",
    "area",
    "reporter",
    "asgs_2016",
    "asgs_2021",
    "lga_2021",
    "sa2",
    "nuts",
    "state",
    "country",
    "cou",
];

/// The geographic dimension's id, among SDMX's and the offices' usual ones.
pub fn is_geo(id: &str) -> bool {
    geo_rank(id).is_some()
}

/// How fine a geographic id's places are: lower is finer.
fn geo_rank(id: &str) -> Option<usize> {
    GEO.iter().position(|g| id.trim().eq_ignore_ascii_case(g))
}

/// The observation's own columns (time, value, flags, multiplier) and the dataflow's and
/// unit's: with [`ATTRIBUTES`], the columns that are no breakdown of the figures.
const OBSERVATION: &[&str] = &[
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
    "OBS_STATUS",
    "UNIT_MULT",
    "DATAFLOW",
    "STRUCTURE_ID",
    "UNIT_MEASURE",
];

/// Whether an SDMX-CSV column (by its id) is no dimension of the figures.
pub fn is_not_dimension(id: &str) -> bool {
    let id = id.trim();
    OBSERVATION
        .iter()
        .chain(ATTRIBUTES)
        .any(|n| id.eq_ignore_ascii_case(n))
}

/// An id as SDMX writes them: one word of letters, digits and `_`, in one case.
pub fn is_id(h: &str) -> bool {
    let h = h.trim();
    !h.is_empty()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b' ')
        && !h.contains("  ")
        && (h == h.to_lowercase() || h == h.to_uppercase())
}

/// The code of a `CODE: Label` text, and its label (the code itself without one).
pub fn split(text: &str) -> (&str, &str) {
    match text.split_once(": ") {
        Some((code, label)) if is_id(code) => (code.trim(), label.trim()),
        _ => (text.trim(), text.trim()),
    }
}

/// Whether a header line is SDMX-CSV: it begins with DATAFLOW or STRUCTURE and holds
/// OBS_VALUE (with labels or without).
pub fn is_sdmx(header: &[u8]) -> bool {
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let line = header.split(|&b| b == b'\n').next().unwrap_or(header);
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let fields = parse_line(line);
    let first = fields
        .first()
        .map(|f| structure_id(split(f).0).to_uppercase());
    matches!(first.as_deref(), Some("DATAFLOW" | "STRUCTURE"))
        && fields
            .iter()
            .any(|f| split(f).0.eq_ignore_ascii_case("OBS_VALUE"))
}

/// SDMX-CSV 3.0 names the separator of multiple values after `STRUCTURE`: `STRUCTURE[;]`.
fn structure_id(id: &str) -> &str {
    match id.split_once('[') {
        Some((head, rest)) if rest.ends_with(']') => head,
        _ => id,
    }
}

fn parse_line(line: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// What a column of an SDMX-CSV file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The geographic dimension: the regions.
    Geo,
    /// `TIME_PERIOD`.
    Time,
    /// `OBS_VALUE`.
    Value,
    /// `OBS_FLAG` or `OBS_STATUS`: the figure's status.
    Flag,
    /// `UNIT_MULT`: the figure is in units of 10^n.
    Mult,
    /// Another dimension (the dataflow's too), by its index in the cube.
    Dim(usize),
    /// An attribute, or a label column: read only by `--where`.
    Attribute,
}

/// A column: its id (the code part of `CODE: Label`), its header as written, what it is,
/// and the column that holds its labels (Eurostat's form), if one does.
#[derive(Debug, Clone)]
struct Column {
    id: String,
    role: Role,
    labels: Option<usize>,
}

/// Attributes of the observation or the message: never a dimension of the figures.
const ATTRIBUTES: &[&str] = &[
    "STRUCTURE",
    "STRUCTURE_NAME",
    "ACTION",
    "LAST UPDATE",
    "LAST_UPDATE",
    "CONF_STATUS",
    "OBS_CONF",
    "OBS_COMMENT",
    "OBS_PRE_BREAK",
    "DECIMALS",
    "TIME_FORMAT",
];

/// The columns of a header: the geographic one found by its id (or named with
/// `--region-col`), the others by SDMX's ids; and the cube's dimensions they make.
fn columns(header: &[String], opts: &LoadOptions) -> (Vec<Column>, Vec<Dimension>) {
    let n = header.len();
    let asked_geo = opts.region_cols.first().map(String::as_str);
    let mut cols: Vec<Column> = Vec::with_capacity(n);
    let mut dims: Vec<Dimension> = Vec::new();
    // The finest of the geographic columns is the regions'; the others their parents.
    let finest = header
        .iter()
        .map(|h| geo_rank(split(h.trim_start_matches('\u{feff}')).0))
        .enumerate()
        .filter_map(|(i, r)| Some((r?, i)))
        .min()
        .map(|(_, i)| i);
    let mut i = 0;
    while i < n {
        let field = header[i].trim_start_matches('\u{feff}');
        let (id, label) = split(field);
        // Eurostat's form: a label column follows its code column.
        let label_next =
            is_id(id) && i + 1 < n && !header[i + 1].contains(": ") && !is_id(&header[i + 1]);
        let upper = structure_id(id).to_uppercase();
        let geo = match asked_geo {
            Some(asked) => id == asked || field == asked,
            None => finest == Some(i),
        };
        let role = if !is_id(id) {
            Role::Attribute
        } else if upper == "TIME_PERIOD" {
            Role::Time
        } else if upper == "OBS_VALUE" {
            Role::Value
        } else if upper == "OBS_FLAG" || upper == "OBS_STATUS" {
            Role::Flag
        } else if upper == "UNIT_MULT" {
            Role::Mult
        } else if ATTRIBUTES.contains(&upper.as_str()) {
            Role::Attribute
        } else if geo {
            Role::Geo
        } else {
            // The dataflow, the unit and the measure say what the figures are.
            let statistic = matches!(upper.as_str(), "DATAFLOW" | "STRUCTURE_ID" | "UNIT_MEASURE")
                || roles::is_statistic_name(id);
            let kind = if statistic {
                DimKind::Statistic
            } else {
                DimKind::Breakdown
            };
            let mut d = Dimension::new(id, kind, Some(i));
            d.label = if label_next {
                header[i + 1].clone()
            } else {
                label.to_owned()
            };
            dims.push(d);
            Role::Dim(dims.len() - 1)
        };
        cols.push(Column {
            id: id.to_owned(),
            role,
            labels: label_next.then_some(i + 1),
        });
        if label_next {
            cols.push(Column {
                id: header[i + 1].clone(),
                role: Role::Attribute,
                labels: None,
            });
            i += 1;
        }
        i += 1;
    }
    (cols, dims)
}

/// A cell's code and its label: `CODE: Label`, or the code with the label from its label
/// column (the code itself where there is none).
fn code_and_label<'r>(rec: &'r csv::ByteRecord, col: &Column, c: usize) -> (&'r str, &'r str) {
    let cell = std::str::from_utf8(rec.get(c).unwrap_or_default()).unwrap_or("");
    let (code, label) = split(cell);
    let label = col
        .labels
        .and_then(|l| rec.get(l))
        .and_then(|l| std::str::from_utf8(l).ok())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or(label);
    (code, label)
}

/// A table of SDMX-CSV being read: its columns and cube, and what its rows have said.
struct Sheet<'a> {
    label: &'a str,
    header: Vec<String>,
    cols: Vec<Column>,
    filters: Vec<(usize, cell::Filter)>,
    filtered: Vec<(u64, Vec<String>)>,
    kept: u64,
    cube: Cube,
    coords: Vec<u32>,
    time_dim: usize,
    flags: Vec<(String, u64)>,
    /// Observations flagged as a break in the series (Eurostat's `b`, SDMX's `B`): their
    /// coordinates and region name, the first [`MAX_BREAKS`].
    breaks: Vec<super::Flagged>,
}

impl Sheet<'_> {
    fn at(&self, line: u64, column: Option<usize>) -> Location {
        let name = column.and_then(|c| self.header.get(c).cloned());
        Location::line(self.label, line, name)
    }

    /// Whether the `--where` filters keep a row (and what each column holds, for the
    /// message when none is kept).
    fn keeps(&mut self, rec: &csv::ByteRecord) -> bool {
        let mut all = true;
        for (f, (c, filter)) in self.filters.iter().enumerate() {
            let text = std::str::from_utf8(rec.get(*c).unwrap_or_default()).unwrap_or("");
            let (code, label) = split(text);
            let kept =
                filter.keeps(code.as_bytes()) || (label != code && filter.keeps(label.as_bytes()));
            all &= kept;
            let (matched, values) = &mut self.filtered[f];
            *matched += u64::from(kept);
            if self.kept == 0 && values.len() < 10 && !values.iter().any(|v| v == code) {
                values.push(code.to_owned());
            }
        }
        self.kept += u64::from(all);
        all
    }

    /// Reads one row of data into the cube.
    fn row(&mut self, row: &Row, acc: &mut Accumulator) -> Result<()> {
        let rec = &row.cells;
        if rec.iter().all(|f| f.trim_ascii().is_empty()) || !self.keeps(rec) {
            return Ok(());
        }
        let (mut region, mut value, mut mult, mut time) = (None, None, 0i8, None);
        let (mut broken, mut region_name) = (false, String::new());
        for c in 0..self.cols.len() {
            let col = &self.cols[c];
            match col.role {
                Role::Geo => {
                    let (code, name) = code_and_label(rec, col, c);
                    if code.is_empty() {
                        return Err(Error::input(
                            self.at(row.line, Some(c)),
                            "empty region code",
                            "",
                            "every row needs a region; filter rows out with --where",
                        ));
                    }
                    let r = acc.region(code.as_bytes(), true, || Ok(name.to_owned()), None)?;
                    acc.alias(r, code);
                    acc.code(r, code);
                    region = Some(r);
                    region_name = name.to_owned();
                }
                Role::Time => time = Some(self.period(rec, c, row.line)?),
                Role::Value => value = Some(c),
                Role::Flag => {
                    let (code, _) = code_and_label(rec, col, c);
                    broken |= super::marks_break(code);
                    if !code.is_empty() {
                        match self.flags.iter_mut().find(|(f, _)| f == code) {
                            Some((_, n)) => *n += 1,
                            None => self.flags.push((code.to_owned(), 1)),
                        }
                    }
                }
                Role::Mult => mult = self.multiplier(rec, c, row.line)?,
                Role::Dim(d) => {
                    let (code, label) = code_and_label(rec, col, c);
                    self.coords[d] = self.cube.dims[d].category(code.as_bytes(), || Category {
                        code: code.to_owned(),
                        label: label.to_owned(),
                        meaning: Meaning::None,
                        unit: None,
                    });
                }
                Role::Attribute => {}
            }
        }
        let (Some(region), Some(v), Some(t)) = (region, value, time) else {
            return Ok(());
        };
        self.coords[self.time_dim] = t;
        if broken && self.breaks.len() < super::MAX_BREAKS {
            self.breaks.push((self.coords.clone(), region_name));
        }
        let id = self.cube.series_id(&self.coords);
        let origin = Origin {
            file: self.cube.file,
            line: row.line,
            column: v as u32,
        };
        let text = std::str::from_utf8(rec.get(v).unwrap_or_default()).unwrap_or("?");
        match Figure::parse_written(text).map(|f| f.map(|f| f.scaled(mult))) {
            Ok(Some(Some(f))) => self.cube.put(id, region, f, origin, acc),
            Ok(None) => Ok(()),
            Ok(Some(None)) | Err(_) => {
                let e = Error::input(
                    self.at(row.line, Some(v)),
                    "bad population: not a number",
                    text,
                    "OBS_VALUE holds a number such as 5873000 or 5873.1, or nothing",
                );
                self.cube.invalid(id, e);
                Ok(())
            }
        }
    }

    /// The time category of a row's `TIME_PERIOD`.
    fn period(&mut self, rec: &csv::ByteRecord, c: usize, line: u64) -> Result<u32> {
        let raw = cell::key(rec.get(c).unwrap_or_default());
        let time = &mut self.cube.dims[self.time_dim];
        if let Some(t) = time.lookup(raw) {
            return Ok(t);
        }
        let text = std::str::from_utf8(raw).unwrap_or("");
        let Some(p) = crate::period::Period::parse(text) else {
            return Err(Error::input(
                self.at(line, Some(c)),
                "not a period popdelta reads",
                text,
                "periods are years (2017) or periods within one: 2017-07, 2017-Q3, 2017M07",
            ));
        };
        let time = &mut self.cube.dims[self.time_dim];
        Ok(time.category(raw, || crate::load::cube::plain(raw, Meaning::Time(p))))
    }

    /// A row's unit multiplier (`3` or `3: Thousands`): its figure is in 10^n.
    fn multiplier(&self, rec: &csv::ByteRecord, c: usize, line: u64) -> Result<i8> {
        let (code, _) = code_and_label(rec, &self.cols[c], c);
        if code.is_empty() {
            return Ok(0);
        }
        code.parse::<i8>()
            .ok()
            .filter(|m| (-30..=30).contains(m))
            .ok_or_else(|| {
                Error::input(
                    self.at(line, Some(c)),
                    "not a unit multiplier",
                    code,
                    "UNIT_MULT is a power of ten: 0 for units, 3 for thousands, 6 for millions",
                )
            })
    }
}

/// Reads an SDMX-CSV file named `label` into `acc`; returns the notes of the reading.
pub fn read(
    label: &str,
    reader: Box<dyn Read + '_>,
    size: Option<u64>,
    opts: &LoadOptions,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let text = Text::open(label, reader, size, opts)?;
    let enc = text.enc.clone();
    drop(text.first_rows(FIRST_ROWS));
    let mut records = text.records(0)?;
    let mut first = Row::default();
    if !records.next(&mut first)? {
        return Err(Error::input(
            Location::line(label, 1, None),
            "the file is empty",
            "",
            "an SDMX-CSV file starts with its header",
        ));
    }
    let mut header = Vec::with_capacity(first.cells.len());
    for f in first.cells.iter() {
        let at = || Location::line(label, 1, None);
        header.push(enc.text(f, at)?.trim().to_owned());
    }
    let (cols, mut dims) = columns(&header, opts);
    let Some(time_col) = cols.iter().position(|c| c.role == Role::Time) else {
        return Err(Error::input(
            Location::line(label, 1, None),
            "an SDMX-CSV header without TIME_PERIOD",
            header.join(","),
            "popdelta compares figures of two periods",
        ));
    };
    if !cols.iter().any(|c| c.role == Role::Geo) {
        return Err(Error::input(
            Location::line(label, 1, None),
            "no geographic dimension (REF_AREA, geo, REGION, ...)",
            header.join(","),
            format!(
                "name the column of the regions with --region-col: one of {}",
                crate::error::listed(
                    cols.iter()
                        .filter(
                            |c| matches!(c.role, Role::Dim(d) if dims[d].kind == DimKind::Breakdown)
                        )
                        .map(|c| c.id.as_str()),
                    ", "
                )
            ),
        ));
    }
    dims.push(Dimension::new(
        &cols[time_col].id,
        DimKind::Time,
        Some(time_col),
    ));
    let time_dim = dims.len() - 1;
    let ctx_header = header.clone();
    let ctx = columns::Ctx {
        file: label,
        header: &ctx_header,
        skip: 0,
        skipped: &[],
        start: crate::load::records::Start::Lines,
    };
    let filters = opts
        .filters
        .iter()
        .map(|f| {
            let by_id = cols.iter().position(|c| c.id == f.column);
            match by_id {
                Some(c) => Ok((c, f.clone())),
                None => ctx.column(&f.column, "--where").map(|c| (c, f.clone())),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let file = acc.add_file(label, header.clone(), crate::load::records::Start::Lines)?;
    let ndims = dims.len();
    let mut sheet = Sheet {
        label,
        header,
        cols,
        filtered: vec![(0, Vec::new()); filters.len()],
        filters,
        kept: 0,
        cube: Cube::new(file, dims),
        coords: vec![0; ndims],
        time_dim,
        flags: Vec::new(),
        breaks: Vec::new(),
    };
    let mut row = Row::default();
    while records.next(&mut row)? {
        sheet.row(&row, acc)?;
    }
    finish(sheet, &ctx, opts, acc)
}

/// After the last row: the roles, the slice, the notes.
fn finish(
    mut sheet: Sheet,
    ctx: &columns::Ctx,
    opts: &LoadOptions,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    if sheet.kept == 0 && !sheet.filters.is_empty() {
        return Err(kept_nothing(ctx, &sheet.filters, &sheet.filtered));
    }
    let at = |column: Option<usize>| ctx.at(1, column);
    let roles = roles::assign(&sheet.cube, &at)?;
    let texts = roles::slice_texts(&sheet.cube, &roles.chosen);
    let mut notes = super::cut_slice(sheet.label, &mut sheet.cube, &roles, &texts, opts, acc, &at)?;
    notes.extend(super::break_notes(
        sheet.label,
        &sheet.cube,
        &roles,
        &sheet.breaks,
    ));
    if !sheet.flags.is_empty() {
        notes.push(Note::Flags {
            file: sheet.label.to_owned(),
            flags: sheet.flags,
        });
    }
    Ok(notes)
}
