//! What an input is, by its first bytes, before it is read as text: a spreadsheet (xlsx,
//! ods, xls), an archive (gzip, zip) popdelta opens, or a format it names and refuses
//! (Parquet, PDF, JSON). Spreadsheets and archives become the CSV text the readers read.

use std::io::{Cursor, Read};

use calamine::{Data, Reader};

use crate::error::{Error, Result};

/// The most bytes a spreadsheet or zip archive may hold: it is opened in memory.
pub const MAX_CONTAINER: u64 = 1 << 30;

/// What the first bytes of an input say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text: CSV, TSV and the like.
    Text,
    /// gzip-compressed bytes.
    Gzip,
    /// A zip archive: an xlsx or ods workbook, or files.
    Zip,
    /// An OLE2 compound file: an Excel 97-2003 workbook (xls).
    Ole2,
    /// A format popdelta does not read, named.
    Other(&'static str),
}

/// What an input is, from its first bytes (16 are enough).
pub fn kind(head: &[u8]) -> Kind {
    let text = head.trim_ascii_start();
    match head {
        [0x1F, 0x8B, ..] => Kind::Gzip,
        [b'P', b'K', 3, 4, ..] => Kind::Zip,
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => Kind::Ole2,
        [b'P', b'A', b'R', b'1', ..] => Kind::Other("a Parquet file"),
        [b'%', b'P', b'D', b'F', ..] => Kind::Other("a PDF document"),
        [b'S', b'Q', b'L', b'i', b't', b'e', ..] => Kind::Other("an SQLite database"),
        [0x28, 0xB5, 0x2F, 0xFD, ..] => Kind::Other("a Zstandard-compressed file"),
        [b'B', b'Z', b'h', ..] => Kind::Other("a bzip2-compressed file"),
        [0xFD, b'7', b'z', b'X', b'Z', ..] => Kind::Other("an xz-compressed file"),
        [b'7', b'z', 0xBC, 0xAF, ..] => Kind::Other("a 7-Zip archive"),
        _ if text.starts_with(b"{") || text.starts_with(b"[{") || text.starts_with(b"[\n") => {
            Kind::Other("JSON")
        }
        _ if text.starts_with(b"<?xml") || text.starts_with(b"<html") => Kind::Other("XML or HTML"),
        // Text never holds NUL (UTF-16 has a byte-order mark first, read as text).
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Kind::Text,
        _ if head.contains(&0) => {
            Kind::Other("a binary file (or UTF-16 text without its byte-order mark)")
        }
        _ => Kind::Text,
    }
}

/// The refusal of a format popdelta does not read.
pub fn refuse(label: &str, what: &str) -> Error {
    Error::Usage(format!(
        "{label} is {what}; popdelta reads CSV and TSV text, xlsx, xls and ods workbooks, and \
         gz and zip archives of them: export it as CSV"
    ))
}

/// What was opened to find the table, for a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A sheet of a workbook, and the workbook's sheets.
    Sheet {
        /// The sheet read.
        name: String,
        /// Every sheet of the workbook.
        all: Vec<String>,
    },
    /// A file inside a zip archive, and whether a World Bank metadata file beside it gave
    /// each country its Region and IncomeGroup.
    Member {
        /// The file read.
        name: String,
        /// Whether metadata columns were joined.
        metadata: bool,
    },
}

/// Reads a whole container into memory, within [`MAX_CONTAINER`].
pub fn slurp(label: &str, reader: impl Read) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_CONTAINER + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: label.into(),
            source,
        })?;
    if bytes.len() as u64 > MAX_CONTAINER {
        return Err(Error::Usage(format!(
            "{label}: a workbook or archive over {} MiB; unpack it or save the table as CSV",
            MAX_CONTAINER >> 20
        )));
    }
    Ok(bytes)
}

/// The CSV text of a zip archive (a workbook, or an archive of one data file) or of an xls
/// workbook, and what was opened in it. `sheet` names the sheet to read.
pub fn unpack(label: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<(Vec<u8>, Opened)> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if is_zip && !is_workbook(&bytes) {
        return unzip(label, bytes);
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::Usage(format!(
            "{label}: not a workbook popdelta can open ({e}); save the table as CSV"
        ))
    })?;
    let all = book.sheet_names();
    let chosen = match sheet {
        Some(name) => {
            if !all.iter().any(|s| s == name) {
                return Err(Error::Usage(format!(
                    "{label} has no sheet {name:?}; its sheets are {}",
                    listed(&all)
                )));
            }
            name.to_owned()
        }
        None => first_table(&mut book, &all).ok_or_else(|| {
            Error::Usage(format!(
                "{label} has no sheet of figures ({})",
                listed(&all)
            ))
        })?,
    };
    let range = book
        .worksheet_range(&chosen)
        .map_err(|e| Error::Usage(format!("{label}: sheet {chosen:?} cannot be read ({e})")))?;
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in range.rows() {
        let mut cells: Vec<String> = row.iter().map(cell_text).collect();
        // A sheet is a rectangle: its rows end where their text ends, as a CSV's would.
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        out.write_record(&cells).map_err(|e| csv_error(label, e))?;
    }
    let text = out
        .into_inner()
        .map_err(|e| Error::Usage(format!("{label}: {e}")))?;
    Ok((text, Opened::Sheet { name: chosen, all }))
}

fn csv_error(label: &str, e: csv::Error) -> Error {
    Error::Csv {
        file: label.to_owned(),
        source: e,
    }
}

fn listed(names: &[String]) -> String {
    names.join(", ")
}

/// Whether a zip archive is an xlsx or ods workbook rather than an archive of files.
fn is_workbook(bytes: &[u8]) -> bool {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    zip.file_names()
        .flatten()
        .any(|n| n == "xl/workbook.xml" || n == "content.xml" || n == "mimetype")
}

/// The first sheet with a table of figures: a row with three numbers or more.
fn first_table<R: Read + std::io::Seek + Clone>(
    book: &mut calamine::Sheets<R>,
    all: &[String],
) -> Option<String> {
    all.iter()
        .find(|name| {
            book.worksheet_range(name).is_ok_and(|range| {
                range.rows().any(|row| {
                    row.iter()
                        .filter(|c| matches!(c, Data::Int(_) | Data::Float(_)))
                        .count()
                        >= 3
                })
            })
        })
        .cloned()
}

/// A cell as text: numbers in their shortest exact decimal form (a whole float without
/// ".0"), errors (#N/A) as empty.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
    }
}

/// The one data file of a zip archive, as text; a World Bank download's Metadata_Country
/// file beside it adds each country's Region and IncomeGroup as columns.
fn unzip(label: &str, bytes: Vec<u8>) -> Result<(Vec<u8>, Opened)> {
    let bad = |e: zip::result::ZipError| {
        Error::Usage(format!("{label}: a zip archive that cannot be read ({e})"))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let names: Vec<String> = zip
        .file_names()
        .flatten()
        .map(std::borrow::Cow::into_owned)
        .collect();
    let table = |n: &&String| {
        let lower = n.to_lowercase();
        [".csv", ".tsv", ".txt"].iter().any(|e| lower.ends_with(e)) && !lower.ends_with('/')
    };
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_owned();
    let (metadata, data): (Vec<&String>, Vec<&String>) = names
        .iter()
        .filter(table)
        .partition(|n| base(n).starts_with("Metadata_"));
    let [data] = data[..] else {
        return Err(Error::Usage(format!(
            "{label} holds {} tables ({}); unzip it and name the one to read",
            data.len(),
            names.join(", ")
        )));
    };
    let read = |zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str| -> Result<Vec<u8>> {
        let member = zip.by_name(name).map_err(bad)?;
        slurp(&format!("{label}/{name}"), member)
    };
    let text = read(&mut zip, data)?;
    let country = metadata
        .iter()
        .find(|n| base(n).starts_with("Metadata_Country"));
    let Some(country) = country else {
        return Ok((
            text,
            Opened::Member {
                name: data.clone(),
                metadata: false,
            },
        ));
    };
    let meta = read(&mut zip, country)?;
    let joined = join_country_metadata(&text, &meta).map_err(|e| csv_error(label, e))?;
    let metadata = joined.is_some();
    Ok((
        joined.unwrap_or(text),
        Opened::Member {
            name: data.clone(),
            metadata,
        },
    ))
}

/// A World Bank table with its countries' Region and IncomeGroup (from the metadata file)
/// as two more columns; `None` if either file lacks the columns it needs.
fn join_country_metadata(
    data: &[u8],
    meta: &[u8],
) -> std::result::Result<Option<Vec<u8>>, csv::Error> {
    let strip_bom = |b: &[u8]| b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b).to_vec();
    let meta = strip_bom(meta);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&meta[..]);
    let header = rdr.headers()?.clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(code), Some(region), Some(income)) =
        (col("Country Code"), col("Region"), col("IncomeGroup"))
    else {
        return Ok(None);
    };
    let mut groups = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = rec?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_owned();
        groups.insert(get(code), (get(region), get(income)));
    }
    let data = strip_bom(data);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&data[..]);
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut code_at = None;
    for rec in rdr.records() {
        let mut rec = rec?;
        match code_at {
            None => {
                if let Some(i) = rec.iter().position(|f| f.trim() == "Country Code") {
                    code_at = Some(i);
                    rec.push_field("Region");
                    rec.push_field("IncomeGroup");
                }
            }
            Some(i) => {
                let code = rec.get(i).unwrap_or("").trim().to_owned();
                let (r, g) = groups.get(&code).cloned().unwrap_or_default();
                rec.push_field(&r);
                rec.push_field(&g);
            }
        }
        out.write_record(&rec)?;
    }
    if code_at.is_none() {
        return Ok(None);
    }
    Ok(Some(
        out.into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(kind(b"region,2016\n"), Kind::Text);
        assert_eq!(kind(b"\x1f\x8b\x08\0"), Kind::Gzip);
        assert_eq!(kind(b"PK\x03\x04\x14\0"), Kind::Zip);
        assert_eq!(kind(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0"), Kind::Ole2);
        assert_eq!(kind(b"PAR1\x15\x04"), Kind::Other("a Parquet file"));
        assert_eq!(kind(b"%PDF-1.7"), Kind::Other("a PDF document"));
        assert_eq!(kind(b"  {\"a\": 1}"), Kind::Other("JSON"));
        assert_eq!(kind(b"[{\"a\": 1}]"), Kind::Other("JSON"));
        assert!(matches!(kind(b"\x7fELF\x02\x01\x01\0"), Kind::Other(_)));
        assert_eq!(kind(b"\xFF\xFEr\0e\0"), Kind::Text);
        // A CSV whose first field is bracketed is text.
        assert_eq!(kind(b"[region],2016\n"), Kind::Text);
    }

    #[test]
    fn floats_print_as_their_shortest_decimals() {
        assert_eq!(cell_text(&Data::Float(8_089_526.0)), "8089526");
        assert_eq!(
            cell_text(&Data::Float(7_713_468.100_000_01)),
            "7713468.10000001"
        );
        assert_eq!(cell_text(&Data::Int(-5)), "-5");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
