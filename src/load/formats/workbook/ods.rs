//! The extent of an OpenDocument (ods) workbook's sheets, read before calamine is given it:
//! calamine expands repeated cells and rows into a dense grid (up to 100 million cells), so
//! a 1.5 KB file whose one cell is repeated down 100,000 rows and across 100 columns takes
//! 1.3 GB. This reads `content.xml` as events, counting the repeats, never expanding them.

use std::io::{BufReader, Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Most cells a sheet's grid, and all the sheets' grids together, may span (calamine
/// expands every sheet as it opens the file), as for a legacy xls workbook.
pub const MAX_CELLS: u64 = super::xls::MAX_CELLS;

/// Columns and rows calamine keeps at most (those of xlsx).
const MAX_COLUMNS: u64 = 16_384;
const MAX_ROWS: u64 = 1_048_576;

/// A sheet whose grid would be too large, alone or with the sheets before it: its name,
/// the rows and columns of the grid, and the farthest cell (0-based row, column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// The sheet's name.
    pub sheet: String,
    /// Rows the grid would span.
    pub rows: u64,
    /// Columns.
    pub cols: u64,
    /// The farthest cell with content.
    pub far: (u64, u64),
    /// The cells of the grids of this sheet and those before it.
    pub book: u64,
}

/// Whether an OpenDocument workbook is protected by a password: its manifest gives a part
/// `encryption-data` (the parts are then ciphered). The manifest is read to 16 MiB at most.
pub fn protected(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = Vec::new();
    if manifest.take(16 << 20).read_to_end(&mut text).is_err() {
        return false;
    }
    text.windows(b"encryption-data".len())
        .any(|w| w == b"encryption-data")
}

/// A repeat count attribute (`table:number-rows-repeated`), 1 when absent or unreadable.
fn repeats(e: &BytesStart, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn has(e: &BytesStart, name: &str) -> bool {
    e.attributes().flatten().any(|a| a.key.as_ref() == name)
}

fn name_of(e: &BytesStart) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "table:name")
        .map(|a| a.value.into_owned())
        .unwrap_or_default()
}

/// One sheet's extent as it is read.
#[derive(Default)]
struct Extent {
    name: String,
    row: u64,
    /// Cells calamine holds before it makes the grid: each row's cells up to its last
    /// with content.
    held: u64,
    first_row: Option<u64>,
    last_row: u64,
    first_col: Option<u64>,
    last_col: u64,
}

impl Extent {
    /// The grid's cells (or those calamine holds before it, where more).
    fn cells(&self) -> u64 {
        let (Some(first_row), Some(first_col)) = (self.first_row, self.first_col) else {
            return 0;
        };
        let rows = self.last_row - first_row + 1;
        let cols = self.last_col - first_col + 1;
        rows.saturating_mul(cols).max(self.held)
    }

    /// The refusal of this sheet, where its grid and the `before` cells of the sheets
    /// before it pass [`MAX_CELLS`].
    fn too_large(&self, before: u64) -> Option<TooLarge> {
        let (first_row, first_col) = (self.first_row?, self.first_col?);
        let book = before.saturating_add(self.cells());
        (book > MAX_CELLS).then(|| TooLarge {
            sheet: self.name.clone(),
            rows: self.last_row - first_row + 1,
            cols: self.last_col - first_col + 1,
            far: (self.last_row, self.last_col),
            book,
        })
    }
}

/// The first sheet whose grid calamine would make larger than [`MAX_CELLS`], if any. `None`
/// too when the file is no ods workbook (calamine then says what is wrong).
pub fn too_large(bytes: &[u8]) -> Option<TooLarge> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    // The part's size was checked as a bomb's would be; read it as it inflates.
    let mut reader = Reader::from_reader(BufReader::new(content.take(1 << 30)));
    let mut buf = Vec::new();
    let mut sheet: Option<Extent> = None;
    // The cells of the sheets read before this one.
    let mut before = 0u64;
    // The row being read: its repeats, its first column with content, its next column.
    let mut row_repeats = 1u64;
    let mut col = 0u64;
    let mut row_first: Option<u64> = None;
    let mut row_last = 0u64;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        let (e, open) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let (Some(s), Some(first)) = (sheet.as_mut(), row_first) {
                    let last_row = s.row.saturating_add(row_repeats - 1).min(MAX_ROWS - 1);
                    s.first_row = Some(s.first_row.map_or(s.row, |r| r.min(s.row)));
                    s.last_row = s.last_row.max(last_row);
                    s.first_col = Some(s.first_col.map_or(first, |c| c.min(first)));
                    s.last_col = s.last_col.max(row_last);
                    s.held = s.held.saturating_add(row_last + 1);
                    if let Some(t) = s.too_large(before) {
                        return Some(t);
                    }
                }
                if let Some(s) = sheet.as_mut() {
                    s.row = s.row.saturating_add(row_repeats).min(MAX_ROWS);
                }
                buf.clear();
                continue;
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                before = before.saturating_add(sheet.take().map_or(0, |s| s.cells()));
                buf.clear();
                continue;
            }
            Event::Eof => return None,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" => {
                sheet = Some(Extent {
                    name: name_of(e),
                    ..Extent::default()
                });
            }
            "table:table-row" => {
                row_repeats = repeats(e, "table:number-rows-repeated").max(1);
                col = 0;
                row_first = None;
                row_last = 0;
                if !open {
                    // A row with no cells: only its repeats count.
                    if let Some(s) = sheet.as_mut() {
                        s.row = s.row.saturating_add(row_repeats).min(MAX_ROWS);
                    }
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeats(e, "table:number-columns-repeated").max(1);
                // A cell with a value or text; an empty one is written self-closed.
                if open || has(e, "office:value-type") {
                    let last = col.saturating_add(n - 1).min(MAX_COLUMNS - 1);
                    row_first = Some(row_first.unwrap_or(col));
                    row_last = row_last.max(last);
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An ods workbook of one sheet whose content is `rows` (the table's XML).
    fn ods(rows: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", opts).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", opts).unwrap();
        write!(
            zip,
            "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"S\">{rows}</table:table></office:spreadsheet>\
             </office:body></office:document-content>"
        )
        .unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn repeats_are_counted_not_expanded() {
        let cell =
            "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";
        let small = ods(&format!(
            "<table:table-row>{cell}{cell}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell \
             table:number-columns-repeated=\"1024\"/></table:table-row>"
        ));
        assert_eq!(too_large(&small), None);
        let big = ods(&format!(
            "<table:table-row table:number-rows-repeated=\"100000\"><table:table-cell \
             table:number-columns-repeated=\"100\" office:value-type=\"string\"><text:p>x\
             </text:p></table:table-cell></table:table-row>{cell}"
        ));
        // Repeat counts past any sheet's size are capped, never overflowed.
        let huge = ods(&format!(
            "<table:table-row table:number-rows-repeated=\"18446744073709551615\">\
             <table:table-cell table:number-columns-repeated=\"18446744073709551615\" \
             office:value-type=\"string\"><text:p>x</text:p></table:table-cell>\
             </table:table-row>{cell}"
        ));
        assert_eq!(
            too_large(&huge).map(|t| (t.rows, t.cols)),
            Some((MAX_ROWS, MAX_COLUMNS))
        );
        assert_eq!(
            too_large(&big),
            Some(TooLarge {
                sheet: "S".into(),
                rows: 100_000,
                cols: 100,
                far: (99_999, 99),
                book: 10_000_000,
            })
        );
    }
}
