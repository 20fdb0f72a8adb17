//! The formats popdelta reads, each into the input's cube: tables (CSV and TSV text,
//! workbook sheets), JSON-stat and SDMX-CSV.

pub mod jsonstat;
pub mod pcaxis;
pub mod sdmx_csv;
pub mod sdmx_json;
pub mod sdmx_ml;
pub mod table;
pub mod workbook;

use std::io::Read;

use crate::error::Result;
use crate::load::accumulate::Accumulator;
use crate::load::container::Join;
use crate::load::cube::Cube;
use crate::load::layout::columns::Choice;
use crate::load::layout::{self, FIRST_ROWS};
use crate::load::records::{Records, Row, Start};
use crate::load::roles::{Roles, Said};
use crate::load::text::Text;
use crate::load::{LoadOptions, Note};
use crate::number::Unit;

/// What the user should hear of the unit of a cube format's figures: the unit a text
/// states (a guess, said with `--unit`), values of another unit, or persons where nothing
/// says (`asked`: `--unit` said it).
/// Cuts the slice `roles` chose of a cube read from an API answer (JSON-stat, SDMX-CSV)
/// into `acc`, its figures read as `texts` (or `--unit`) say; returns the notes on the unit
/// and the slice.
pub fn cut_slice(
    label: &str,
    cube: &mut Cube,
    roles: &Roles,
    texts: &[String],
    opts: &LoadOptions,
    acc: &mut Accumulator,
    at: &dyn Fn(Option<usize>) -> crate::error::Location,
) -> Result<Vec<Note>> {
    let (reading, said) = crate::load::roles::reading(texts, opts.unit, opts.fractions);
    let asked = !opts.periods.is_empty();
    crate::load::slice::cut(cube, roles, &reading, acc, at, asked)?;
    let mut notes = unit_notes(label, said, opts.unit.is_some(), texts);
    notes.extend(slice_notes(label, roles, cube, acc));
    Ok(notes)
}

/// The note on the unit the figures were read in.
pub fn unit_notes(label: &str, said: Option<Said>, asked: bool, texts: &[String]) -> Vec<Note> {
    match said {
        Some(Said::Persons(Unit::Persons, _)) => Vec::new(),
        Some(Said::Persons(unit, said_by)) => vec![Note::Chose {
            file: label.to_owned(),
            choices: vec![Choice::Unit(unit, said_by)],
        }],
        Some(Said::Values(unit)) => vec![Note::Values {
            file: label.to_owned(),
            unit,
        }],
        None if !asked => vec![Note::UnitAssumed {
            file: label.to_owned(),
            looked_at: texts.iter().filter(|t| !t.trim().is_empty()).count(),
        }],
        None => Vec::new(),
    }
}

/// What the user should hear of how a cube's slice was chosen: the breakdowns' totals
/// taken, the regions' parents, the figures given twice.
pub fn slice_notes(label: &str, roles: &Roles, cube: &Cube, acc: &Accumulator) -> Vec<Note> {
    let mut notes = Vec::new();
    if !roles.taken.is_empty() {
        notes.push(Note::Totals {
            file: label.to_owned(),
            taken: roles.taken.clone(),
        });
    }
    if !roles.parents.is_empty() {
        notes.push(Note::Parents {
            file: label.to_owned(),
            dims: roles.parents.clone(),
        });
    }
    if let (Some(first), count) = cube.repeated
        && count > 0
    {
        notes.push(Note::Repeated {
            file: label.to_owned(),
            count,
            first: acc.location(first).to_string(),
        });
    }
    notes
}

/// Reads a table of text (CSV, TSV and the like) named `label` into `acc`: its bytes
/// decoded, its layout found from its first lines, its rows read. `size`, its length in
/// bytes when known; `join`, columns to join to its rows. Returns what the user should
/// know of how it was read.
pub fn read_text(
    label: &str,
    reader: Box<dyn Read + '_>,
    size: Option<u64>,
    opts: &LoadOptions,
    join: Option<&Join>,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let text = Text::open(label, reader, size, opts)?;
    let mut first = text.first_rows(FIRST_ROWS);
    if let Some(join) = join {
        let mut at = None;
        for (_, cells) in &mut first {
            join.apply(&mut at, cells);
        }
    }
    let found = layout::find(first, opts, Some((text.prefix(), text.delimiter)));
    let sheet = false;
    let (delimiter, sniffed, rows_expected) = (text.delimiter, text.sniffed, text.rows_expected);
    let enc = text.enc.clone();
    let guessed = text.guessed_handle();
    let mut records = Joined {
        inner: text.records(found.skip)?,
        join,
        at: None,
        cells: Vec::new(),
    };
    let mut layout = layout::read_header(label, &found, &mut records, opts, sheet, &enc)?;
    if sniffed && delimiter != b',' {
        layout.choices.insert(0, Choice::Delimiter(delimiter));
    }
    let source = table::Source {
        label,
        enc: &enc,
        sheet,
        delimiter,
        rows_expected,
    };
    let mut notes = table::read(&source, &mut records, layout, &found, opts, acc)?;
    if let Some(e) = guessed.get() {
        let choice = Choice::Encoding(crate::load::decode::name_of(e));
        match notes.iter_mut().find(|n| matches!(n, Note::Chose { .. })) {
            Some(Note::Chose { choices, .. }) => choices.insert(0, choice),
            _ => notes.insert(
                0,
                Note::Chose {
                    file: label.to_owned(),
                    choices: vec![choice],
                },
            ),
        }
    }
    Ok(notes)
}

/// Reads a workbook's sheet named `label` into `acc`: its layout found from its first rows,
/// its rows read as they come. Returns what the user should know of how it was read.
pub fn read_sheet(
    label: &str,
    mut sheet: workbook::Sheet,
    opts: &LoadOptions,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let found = layout::find(sheet.first_rows(FIRST_ROWS)?, opts, None);
    sheet.skip_to(found.skip)?;
    // A sheet's text is text: no encoding to guess.
    let enc = crate::load::text::Enc {
        declared: crate::load::decode::Encoding::Utf8,
        hint: None,
    };
    let layout = layout::read_header(label, &found, &mut sheet, opts, true, &enc)?;
    let source = table::Source {
        label,
        enc: &enc,
        sheet: true,
        delimiter: b',',
        rows_expected: 0,
    };
    table::read(&source, &mut sheet, layout, &found, opts, acc)
}

/// Records with joined columns appended (a World Bank download's Region and IncomeGroup).
struct Joined<'j, R> {
    inner: R,
    join: Option<&'j Join>,
    at: Option<usize>,
    cells: Vec<String>,
}

impl<R: Records> Records for Joined<'_, R> {
    fn next(&mut self, row: &mut Row) -> Result<bool> {
        if !self.inner.next(row)? {
            return Ok(false);
        }
        if let Some(join) = self.join {
            self.cells.clear();
            self.cells.extend(
                row.cells
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned()),
            );
            let before = self.cells.len();
            join.apply(&mut self.at, &mut self.cells);
            for extra in &self.cells[before..] {
                row.cells.push_field(extra.as_bytes());
            }
        }
        Ok(true)
    }

    fn start(&self) -> Start {
        self.inner.start()
    }
}

/// A figure flagged as a break in the series: its series' coordinates and its region's name.
pub type Flagged = (Vec<u32>, String);

/// Break flags kept for the notes: enough to name the periods and the regions.
pub const MAX_BREAKS: usize = 10_000;

/// Whether an observation's flag marks a break in the series: Eurostat's letters (`b`,
/// `bep`) or SDMX's OBS_STATUS `B`.
pub fn marks_break(flag: &str) -> bool {
    flag.len() <= 4 && flag.chars().all(|c| c.is_ascii_alphabetic()) && flag.contains(['b', 'B'])
}

/// The breaks the flags mark within the slice read (each a series' coordinates and its
/// region's name): one note a period, naming its regions.
pub fn break_notes(
    label: &str,
    cube: &crate::load::cube::Cube,
    roles: &crate::load::roles::Roles,
    breaks: &[Flagged],
) -> Vec<Note> {
    use crate::load::cube::{DimKind, Meaning};
    let Some(t) = cube.dim_of(DimKind::Time) else {
        return Vec::new();
    };
    let in_slice = |coords: &[u32]| {
        coords
            .iter()
            .zip(&roles.chosen)
            .all(|(&c, chosen)| chosen.is_none_or(|k| k == c))
    };
    let time = &cube.dims[t];
    let mut by_period: Vec<(crate::period::Period, Vec<&str>)> = Vec::new();
    for (coords, region) in breaks.iter().filter(|(c, _)| in_slice(c)) {
        let Some(Meaning::Time(p)) = coords
            .get(t)
            .and_then(|&c| time.categories().get(c as usize))
            .map(|c| c.meaning)
        else {
            continue;
        };
        match by_period.iter_mut().find(|(q, _)| *q == p) {
            Some((_, regions)) if !regions.contains(&region.as_str()) => regions.push(region),
            Some(_) => {}
            None => by_period.push((p, vec![region])),
        }
    }
    by_period.sort_by_key(|(p, _)| *p);
    by_period
        .into_iter()
        .map(|(period, regions)| Note::Break {
            file: label.to_owned(),
            period,
            said: format!(
                "flag b (break in series) on the figures of {period} of {}",
                crate::error::listed(regions.iter(), ", ")
            ),
        })
        .collect()
}
