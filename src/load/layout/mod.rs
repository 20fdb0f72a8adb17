//! A table's layout, found once from its first rows (a text's or a sheet's): the lines
//! before the header, the header itself (over one row or several), the unit a preamble
//! states, then which column holds what ([`plan`]).
//!
//! Each decision is a function of its own, in the order they are made: [`find`] looks at
//! the first rows only; [`read_header`] reads the header rows and plans the columns.

pub mod breakdowns;
pub mod columns;
pub mod dialect;
pub mod header_rows;
pub mod names;

use crate::error::{Error, Result};
use crate::load::cell::Decimals;
use crate::load::layout::dialect::{compound_key, estat_dimensions, merge_header};
use crate::load::records::{Records, Row, Start};
use crate::load::{LoadOptions, Note};
use crate::number::Unit;
use columns::{Choice, Ctx, Plan, PlanKind};
use header_rows::Block;
use names::Measure;

/// Records looked at to find the header (a block over several rows may start late).
pub const FIRST_ROWS: usize = 80;

/// What a table's first rows say before its header is read.
#[derive(Debug, Clone)]
pub struct Found {
    /// Lines before the header (a preamble, or the banner above a header block).
    pub skip: u64,
    /// A header over several rows, where there is one.
    pub block: Option<Block>,
    /// How numbers are written.
    pub decimals: Decimals,
    /// A unit the lines skipped state, and the line that states it.
    pub stated: Option<(Unit, String)>,
    /// The lines skipped, as fields, by line number.
    pub skipped: Vec<(u64, Vec<String>)>,
    /// The first rows themselves.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Looks at a table's first rows (`text`: the start of a text and its separator, which
/// say how its numbers are written; a sheet's numbers are numbers).
pub fn find(rows: Vec<(u64, Vec<String>)>, opts: &LoadOptions, text: Option<(&[u8], u8)>) -> Found {
    let skip = match opts.skip_rows {
        Some(n) => n as u64,
        None => columns::preamble_in(&rows),
    };
    // Headers over several rows (a banner, a label over years, a row of units): the block
    // just above the first rows of figures is the header; with --skip-rows, the block that
    // starts where it says.
    let block = header_rows::find(&rows).filter(|b| match opts.skip_rows {
        None => header_rows::names_more_years(&rows, *b, skip),
        Some(n) => b.skip == n as u64,
    });
    let skip = block.map_or(skip, |b| b.skip);
    let decimals = match (opts.decimal, text) {
        (Some(b','), _) => Decimals::Comma,
        (Some(_), _) | (None, None) => Decimals::Point,
        (None, Some((prefix, delimiter))) => columns::sniff_decimals(prefix, delimiter, skip),
    };
    let skipped: Vec<(u64, Vec<String>)> = rows
        .iter()
        .filter(|(line, _)| *line <= skip)
        .cloned()
        .collect();
    // A unit stated in the lines skipped ("指标：年末常住人口(万人)") applies to the figures.
    let stated = if opts.skip_rows.is_none() {
        skipped.iter().find_map(|(_, fields)| {
            let line = said(fields);
            Some((names::unit_stated(&line)?, line))
        })
    } else {
        None
    };
    Found {
        skip,
        block,
        decimals,
        stated,
        skipped,
        rows,
    }
}

/// A row's text as a line says it: its cells that hold anything, one space apart.
fn said(fields: &[String]) -> String {
    let cells: Vec<&str> = fields
        .iter()
        .map(|f| f.trim().trim_matches(['"', ',', ';']).trim())
        .filter(|f| !f.is_empty())
        .collect();
    cells.join(" ")
}

/// A table's layout: its header's names, where it stands, and its plan.
#[derive(Debug)]
pub struct Layout {
    /// One name per column (a header over several rows composed; the dimensions of a
    /// compound first column appended).
    pub names: Vec<String>,
    /// The header's first line.
    pub header_line: u64,
    /// Its last line (the same, but for a header over several rows).
    pub last_header_line: u64,
    /// A compound first column (Eurostat's `indic_de,geo\time`): its index and dimensions.
    pub compound: Option<(usize, Vec<String>)>,
    /// Which column holds what.
    pub plan: Plan,
    /// The first row of data, read while looking for a second header row.
    pub pending: Option<Row>,
    /// Whether the table is a publication's (a sheet, a header over several rows), whose
    /// rows may be interrupted by section labels and marked by leading dots.
    pub publication: bool,
    /// What the user should hear of how the header was read.
    pub notes: Vec<Note>,
    /// The guesses made, said in one note with the reader's own.
    pub choices: Vec<Choice>,
    /// The lines skipped before the header as a preamble found (not said with
    /// `--skip-rows`), if any.
    pub preamble: Option<u64>,
    /// Columns no name makes a dimension whose values tell apart rows of one region (a
    /// sex, an age): breakdowns of the figures, found in the first rows.
    pub breakdowns: Vec<usize>,
}

/// Reads a table's header from `records` (its first row after the lines skipped), and
/// plans its columns. `sheet`: a sheet's rows, which end where their text ends.
pub fn read_header(
    label: &str,
    found: &Found,
    records: &mut dyn Records,
    opts: &LoadOptions,
    sheet: bool,
    enc: &crate::load::text::Enc,
) -> Result<Layout> {
    let start = records.start();
    let mut row = Row::default();
    if !records.next(&mut row)? {
        return Err(empty(label, found.skip, &start));
    }
    let header_line = row.line;
    let mut names = Vec::with_capacity(row.cells.len());
    for (i, field) in row.cells.iter().enumerate() {
        let at = || with_column_number(start.place(label, header_line, None, None), i);
        names.push(enc.text(field, at)?.trim().to_owned());
    }
    let (pending, rows_of_block) = match found.block {
        Some(b) => {
            let composed = compose_block(names, b, records)?;
            names = composed.names;
            (None, Some((composed.last, composed.footnotes)))
        }
        None => {
            // A second header row (GENESIS: dates above, "Insgesamt;männlich;weiblich"
            // below) is merged into the first; any other row read here is data.
            let mut second = Row::default();
            let read_second = records.next(&mut second)?;
            if read_second && merge_header(&mut names, &second.cells) {
                (None, None)
            } else {
                (read_second.then_some(second), None)
            }
        }
    };
    // Eurostat's first column holds several dimensions ("indic_de,geo\time": "JAN,DE"):
    // each becomes a column of its own, after the others.
    let compound = compound_key(&names);
    if let Some((_, dims)) = &compound {
        names.extend(dims.iter().cloned());
    }
    let last_header_line = rows_of_block
        .as_ref()
        .map_or(header_line, |(last, _)| *last);
    let publication = sheet || found.block.is_some();
    let mut layout = plan_columns(
        label,
        found,
        names,
        (header_line, last_header_line),
        pending,
        opts,
        start,
    )?;
    // Breakdowns no name says: where the format names none (Eurostat's key, e-Stat's label
    // columns and SDMX-CSV's columns are dimensions already).
    if compound.is_none()
        && estat_dimensions(&layout.names).is_empty()
        && dialect::sdmx_dimensions(&layout.names).is_empty()
    {
        layout.breakdowns = breakdowns::find(
            &found.rows,
            last_header_line,
            &layout.plan,
            layout.names.len(),
        );
    }
    layout.compound = compound;
    layout.publication = publication;
    if let Some((last, footnotes)) = rows_of_block {
        layout.notes.push(Note::HeaderRows {
            file: label.to_owned(),
            lines: (header_line, last),
            footnotes,
        });
    }
    Ok(layout)
}

/// The error for a table with no header.
fn empty(label: &str, skip: u64, start: &Start) -> Error {
    let sheet = matches!(start, Start::Sheet(_));
    let problem = match (skip, sheet) {
        (0, true) => "the sheet is empty".into(),
        (0, false) => "the file is empty".into(),
        _ => format!("no header after the {skip} lines skipped"),
    };
    let hint = if sheet {
        "the table is on another sheet (name it with --sheet) or not in this file"
    } else {
        "a CSV file starts with a header line"
    };
    Error::input(start.place(label, skip + 1, None, None), problem, "", hint)
}

/// A header over several rows, composed.
struct Composed {
    /// One name per column.
    names: Vec<String>,
    /// Cells whose footnote digits were taken off: (as written, as read).
    footnotes: Vec<(String, String)>,
    /// The block's last line.
    last: u64,
}

/// A header over several rows: the rest of its rows read and composed with the first
/// (`names`) into one name per column.
fn compose_block(names: Vec<String>, b: Block, records: &mut dyn Records) -> Result<Composed> {
    let mut rows = vec![names];
    let mut more = Row::default();
    let mut last = 0;
    while rows.len() < b.rows && records.next(&mut more)? {
        last = more.line;
        rows.push(
            more.cells
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect(),
        );
    }
    let (names, footnotes) = header_rows::compose(&rows);
    Ok(Composed {
        names,
        footnotes,
        last,
    })
}

/// Plans the columns of a header: the region column found by its values where no name
/// says (the one column of text), then [`columns::plan`], then what the header says the
/// figures are.
fn plan_columns(
    label: &str,
    found: &Found,
    names: Vec<String>,
    (header_line, last_header_line): (u64, u64),
    pending: Option<Row>,
    opts: &LoadOptions,
    start: Start,
) -> Result<Layout> {
    let ctx = Ctx {
        file: label,
        header: &names,
        skip: header_line - 1,
        skipped: &found.rows,
        start,
    };
    // e-Stat states the unit in a label cell of every row ("人口【千人】").
    let stated = found.stated.clone().or_else(|| {
        let first = pending.as_ref()?;
        estat_dimensions(&names).into_iter().find_map(|(c, _)| {
            let cell = std::str::from_utf8(first.cells.get(c)?).ok()?;
            Some((names::unit_stated(cell)?, cell.trim().to_owned()))
        })
    });
    // No known region column: the one column of text in the first row of figures holds
    // the regions, whatever its name (or with none).
    let alone = (opts.region_cols.is_empty()
        && names::known_region(&names, None).is_none()
        && names::census_county(&names).is_none())
    .then(|| header_rows::region_by_values(&found.rows, last_header_line))
    .flatten();
    let with_region;
    let opts = match alone {
        Some((c, _)) => {
            with_region = LoadOptions {
                region_cols: vec![(c + 1).to_string()],
                ..opts.clone()
            };
            &with_region
        }
        None => opts,
    };
    let plan = columns::plan(&ctx, opts, stated)?;
    let mut choices = plan.choices.clone();
    if let Some((c, only)) = alone {
        let column = match names.get(c).map(String::as_str) {
            Some("") | None => format!("column {} (unnamed)", c + 1),
            Some(name) => format!("column {name}"),
        };
        choices.insert(
            0,
            if only {
                Choice::RegionAlone(column)
            } else {
                Choice::RegionByValues(column)
            },
        );
    }
    let notes = figures_are(label, &found.skipped, &names, &plan)
        .into_iter()
        .collect();
    Ok(Layout {
        names,
        header_line,
        last_header_line,
        compound: None,
        plan,
        pending,
        publication: false,
        notes,
        choices,
        preamble: (opts.skip_rows.is_none() && found.skip > 0).then_some(found.skip),
        breakdowns: Vec::new(),
    })
}

/// What the preamble or the population columns' names say the figures are, when they are
/// not plain counts of a population (a sample, shares, rates).
fn figures_are(
    label: &str,
    skipped: &[(u64, Vec<String>)],
    names: &[String],
    plan: &Plan,
) -> Option<Note> {
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
    let (what, said_by) = preamble
        .chain(population_names.iter().map(|n| n.to_string()))
        .find_map(|text| {
            names::figures_are(&text)
                .filter(|w| !of_both(&text, w))
                .map(|w| (w, text))
        })?;
    Some(Note::FiguresAre {
        file: label.to_owned(),
        what: what.to_owned(),
        said_by: said_by.trim().trim_matches(['"', ',', ';']).to_owned(),
    })
}

/// Header fields have no name to show yet: name the column by number instead.
fn with_column_number(mut at: crate::error::Location, index: usize) -> crate::error::Location {
    at.column = Some(format!("column {}", index + 1));
    at
}
