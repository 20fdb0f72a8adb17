//! The formats popdelta reads, each into the input's cube: tables (CSV and TSV text,
//! workbook sheets), JSON-stat and SDMX-CSV.

pub mod jsonstat;
pub mod sdmx_csv;
pub mod table;
pub mod workbook;

use std::io::Read;

use crate::error::Result;
use crate::load::accumulate::Accumulator;
use crate::load::cube::Cube;
use crate::load::layout::{self, FIRST_ROWS};
use crate::load::plan::Choice;
use crate::load::roles::Roles;
use crate::load::text::Text;
use crate::load::{LoadOptions, Note};

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
/// bytes when known; `sheet`, whether its rows are a sheet's, which end where their text
/// ends. Returns what the user should know of how it was read.
pub fn read_text(
    label: &str,
    reader: Box<dyn Read + '_>,
    size: Option<u64>,
    opts: &LoadOptions,
    sheet: bool,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let text = Text::open(label, reader, size, opts)?;
    let found = layout::find(
        text.first_rows(FIRST_ROWS),
        opts,
        Some((text.prefix(), text.delimiter)),
    );
    let (delimiter, sniffed, rows_expected) = (text.delimiter, text.sniffed, text.rows_expected);
    let enc = text.enc.clone();
    let guessed = text.guessed_handle();
    let mut records = text.records(found.skip)?;
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
