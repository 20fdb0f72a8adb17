//! Records: the rows of a table as its format gives them, a text's lines or a sheet's rows,
//! each with its cells and where it stands, so that a message names the place as the user
//! sees it (`file.csv:12:POP2017`, `book.xlsx:Table_3!C12`).

use crate::error::{Location, Result};

/// One row: its cells as bytes, and its line (a sheet's row number, 1-based).
#[derive(Debug, Default, Clone)]
pub struct Row {
    /// 1-based line or row number.
    pub line: u64,
    /// The cells.
    pub cells: csv::ByteRecord,
}

/// How an input's places are named.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Start {
    /// Lines of text, and columns by their header's names.
    #[default]
    Lines,
    /// Cells of a sheet: `Sheet!C12`.
    Sheet(String),
    /// Paths into a JSON document: `value[17]`.
    Json,
}

impl Start {
    /// The place of a line and a column (0-based, `None` for the whole line); `name`, the
    /// column's name in the header, if it has one.
    pub fn place(
        &self,
        file: &str,
        line: u64,
        column: Option<u32>,
        name: Option<String>,
    ) -> Location {
        match (self, column) {
            (Start::Sheet(sheet), Some(col)) => {
                let row = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
                Location::at(
                    file,
                    line,
                    format!(
                        "{}!{}",
                        sheet_ref(sheet),
                        crate::load::formats::workbook::cell_name(row, col)
                    ),
                    name,
                )
            }
            (Start::Sheet(sheet), None) => Location::at(
                file,
                line,
                format!("{}!{line}:{line}", sheet_ref(sheet)),
                name,
            ),
            (Start::Json, _) => Location::at(
                file,
                line,
                format!("value[{}]", line.saturating_sub(1)),
                name,
            ),
            (Start::Lines, _) => Location::line(file, line, name),
        }
    }
}

/// A sheet's name as a spreadsheet writes it in a reference: quoted when it holds more
/// than letters, digits and `_`.
fn sheet_ref(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// A source of rows.
pub trait Records {
    /// Reads the next row into `row`; false at the end of the table.
    fn next(&mut self, row: &mut Row) -> Result<bool>;

    /// How the rows' places are named.
    fn start(&self) -> Start;
}
