//! Workbooks out: a result's CSV (the one rule for its columns and figures, its text
//! unguarded: a text cell never runs) as a typed workbook, so that a spreadsheet guesses
//! nothing: counts are integers (text past 2^53, where a spreadsheet's numbers would round
//! them), percentages numbers with a percent format, names and codes text ("01001" keeps
//! its zeros), the header frozen and filtered, and every note on a sheet of its own. The
//! data sheet is written row by row (constant memory), its rows counted first.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Columns whose cells are text whatever they hold: names, codes, labels, verdicts.
const TEXT_COLUMNS: &[&str] = &[
    "level",
    "region",
    "region_zh",
    "group",
    "id",
    "subject",
    "metric",
    "op",
    "verdict",
    "reason",
    "quote",
    "dataset",
    "confidence_from",
    "confidence_to",
    "precision",
];

/// Whether a column holds percentages (written as 12.345 in the CSV: `change_pct`,
/// `cagr_pct`, `difference_pct`): stored as fractions with a percent format, so that a
/// spreadsheet shows 12.345% and computes with 0.12345.
fn is_percent(column: &str) -> bool {
    column.ends_with("_pct")
}

/// The most rows a sheet holds (Excel's limit), the header's included.
pub const MAX_ROWS: usize = 1_048_576;

/// The largest integer a spreadsheet's number (a double) holds exactly: 2^53.
const EXACT: u64 = 1 << 53;

/// Widest a column is made, in characters: long notes wrap rather than widen.
const MAX_WIDTH: usize = 60;

/// A workbook of two sheets: `data`, the CSV's rows typed by column, and `notes`, one note
/// a row. Returns the workbook's bytes.
pub fn workbook(csv: &[u8], notes: &[String]) -> Result<Vec<u8>, String> {
    build(csv, notes).map_err(|e| match e {
        // popdelta's own account: where, and what to do.
        XlsxError::ParameterError(why) => why,
        e => format!("the workbook cannot be written ({e})"),
    })
}

/// The most characters (UTF-16 code units) a cell holds: Excel's limit.
const CELL_TEXT: usize = 32_767;

/// A data cell's text, refused where a workbook cell cannot hold it: the data is not cut.
fn fits(text: &str, row: u32, col: u16, column: &str) -> Result<(), XlsxError> {
    let units = text.encode_utf16().count();
    if units <= CELL_TEXT {
        return Ok(());
    }
    Err(XlsxError::ParameterError(format!(
        "the workbook cannot be written: cell {} ({column}) would hold {units} characters, \
         more than a workbook cell holds ({CELL_TEXT}); write CSV instead (--format csv)",
        crate::load::formats::workbook::cell_name(row, u32::from(col))
    )))
}

/// A note's text, cut where a cell cannot hold it (the whole note is on standard error).
fn note_cell(note: &str) -> std::borrow::Cow<'_, str> {
    const CUT: &str = " ... (cut: a workbook cell holds 32,767 characters)";
    if note.encode_utf16().count() <= CELL_TEXT {
        return std::borrow::Cow::Borrowed(note);
    }
    let room = CELL_TEXT - CUT.len();
    let mut units = 0;
    let end = note
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > room
        })
        .map_or(note.len(), |(i, _)| i);
    std::borrow::Cow::Owned(format!("{}{CUT}", &note[..end]))
}

fn build(csv: &[u8], notes: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.000%");
    let integer = Format::new().set_num_format("#,##0");
    let decimal = Format::new().set_num_format("#,##0.000");
    let data = book
        .add_worksheet_with_constant_memory()?
        .set_name("data")?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv);
    let mut header: Vec<String> = Vec::new();
    let mut widths: Vec<usize> = Vec::new();
    let mut rows = 0u32;
    let mut as_text = 0usize;
    for (r, rec) in rdr.records().enumerate() {
        let Ok(rec) = rec else { break };
        let row = u32::try_from(r).unwrap_or(u32::MAX);
        rows = row;
        for (c, text) in rec.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(unicode_width::UnicodeWidthStr::width(text));
            let name = header.get(c).map_or(text, String::as_str);
            fits(text, row, col, name)?;
            if r == 0 {
                header.push(text.to_owned());
                data.write_string_with_format(row, col, text, &bold)?;
                continue;
            }
            let name = header.get(c).map_or("", String::as_str);
            if text.is_empty() {
                continue;
            }
            if TEXT_COLUMNS.contains(&name) {
                data.write_string(row, col, text)?;
            } else if let Ok(n) = text.parse::<i64>() {
                if n.unsigned_abs() <= EXACT {
                    // Whole persons: exact in a spreadsheet's double up to 2^53.
                    data.write_number_with_format(row, col, n as f64, &integer)?;
                } else {
                    data.write_string(row, col, text)?;
                    as_text += 1;
                }
            } else if let Ok(x) = text.parse::<f64>() {
                if is_percent(name) {
                    data.write_number_with_format(row, col, x / 100.0, &percent)?;
                } else {
                    data.write_number_with_format(row, col, x, &decimal)?;
                }
            } else {
                data.write_string(row, col, text)?;
            }
        }
    }
    let last_col = u16::try_from(header.len().saturating_sub(1)).unwrap_or(0);
    data.set_freeze_panes(1, 0)?;
    if !header.is_empty() {
        data.autofilter(0, 0, rows.max(1), last_col)?;
    }
    for (c, w) in widths.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        data.set_column_width(col, (*w).clamp(6, MAX_WIDTH) as f64 + 2.0)?;
    }
    let sheet = book.add_worksheet().set_name("notes")?;
    sheet.write_string_with_format(0, 0, "note", &bold)?;
    let wrap = Format::new().set_text_wrap();
    sheet.set_column_width(0, 120.0)?;
    let past = (as_text > 0).then(|| {
        format!(
            "{as_text} whole number{} past 2^53 (9,007,199,254,740,992) {} written as text, \
             which keeps {} exact: a spreadsheet's numbers would round {}.",
            if as_text == 1 { "" } else { "s" },
            if as_text == 1 { "is" } else { "are" },
            if as_text == 1 { "it" } else { "them" },
            if as_text == 1 { "it" } else { "them" },
        )
    });
    for (i, note) in past.iter().chain(notes).enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_string_with_format(row, 0, note_cell(note).as_ref(), &wrap)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_past_a_cells_limit_is_cut_to_fit_it() {
        // Characters of two UTF-16 units each (𝔸) count twice against the limit.
        let long = "𝔸".repeat(20_000);
        let cut = note_cell(&long);
        let units = cut.encode_utf16().count();
        assert!(units <= CELL_TEXT, "{units}");
        assert!(units > CELL_TEXT - 60, "{units}");
        assert!(cut.ends_with(" ... (cut: a workbook cell holds 32,767 characters)"));
        assert_eq!(note_cell("short"), "short");
        // The workbook is written, the note on its notes sheet.
        assert!(workbook(b"region,2016\nA,1\n", &[long]).is_ok());
    }

    #[test]
    fn a_data_cell_past_a_cells_limit_is_refused_naming_it() {
        let csv = format!("region,2016\n{},1\n", "x".repeat(40_000));
        assert_eq!(
            workbook(csv.as_bytes(), &[]).unwrap_err(),
            "the workbook cannot be written: cell A2 (region) would hold 40000 characters, \
             more than a workbook cell holds (32767); write CSV instead (--format csv)"
        );
    }
}
