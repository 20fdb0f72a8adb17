//! What an input is, by its first bytes, before it is read: a workbook (xlsx, xlsb, ods,
//! xls), whose sheet is read as rows of cells; an archive (gzip, zip) popdelta opens, whose
//! member is read as it inflates; or a format it names and refuses (Parquet, PDF, JSON).

use std::collections::HashMap;
use std::io::{self, Cursor, Read};

use crate::error::{Error, Result};
use crate::load::formats::workbook::{self, Sheet};
use crate::load::pipe::Piped;

/// The most bytes a spreadsheet or zip archive may hold: it is opened in memory.
pub const MAX_CONTAINER: u64 = 1 << 30;

/// An input refused while it is unpacked (a cap crossed, a part unreadable), carried to
/// the reader inside an `io::Error` and said as it is, after the input's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl Refusal {
    /// The refusal as an `io::Error`, for a reader to return.
    pub fn io(text: String) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, Refusal(text))
    }
}

/// A gzip stream's text, refused as soon as it has expanded past what its compressed size
/// makes plausible (see [`bomb`]).
pub struct Inflating<R> {
    inner: flate2::read::MultiGzDecoder<Counted<R>>,
    compressed: std::rc::Rc<std::cell::Cell<u64>>,
    expanded: u64,
}

/// A reader that counts the bytes read through it.
pub struct Counted<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Read> Inflating<R> {
    /// Inflates a gzip stream.
    pub fn new(inner: R) -> Inflating<R> {
        let compressed = std::rc::Rc::default();
        let counted = Counted {
            inner,
            count: std::rc::Rc::clone(&compressed),
        };
        Inflating {
            inner: flate2::read::MultiGzDecoder::new(counted),
            compressed,
            expanded: 0,
        }
    }
}

impl<R: Read> Read for Inflating<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        if let Some(why) = bomb(self.expanded, self.compressed.get()) {
            return Err(Refusal::io(format!("the gzip stream {why}; it is refused")));
        }
        Ok(n)
    }
}

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
    /// JSON: read as a JSON-stat dataset.
    Json,
    /// SDMX-CSV: read as its codes, the regions by their labels where it has them.
    Sdmx,
    /// PC-Axis (`.px`): read as the JSON-stat PxWeb would serve for it.
    PcAxis,
    /// An SDMX-ML data message: read as the SDMX-CSV the service would serve.
    SdmxMl,
    /// A format popdelta does not read, named.
    Other(&'static str),
    /// A spreadsheet format popdelta does not read (Excel 2.x-4.x, SYLK, Numbers), named:
    /// a spreadsheet saves it as one it reads.
    Spreadsheet(&'static str),
    /// Bytes that text never holds (NUL), first on this line.
    Binary(u64),
}

/// What an input is, from its first bytes (16 are enough, the first line for SDMX-CSV).
pub fn kind(head: &[u8]) -> Kind {
    // A UTF-8 byte-order mark says nothing of the format.
    let text = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
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
        // BOF records of BIFF2, BIFF3 and BIFF4: a worksheet not inside a compound file.
        [
            0x09,
            0x00 | 0x02 | 0x04,
            0x04 | 0x06 | 0x08 | 0x10,
            0x00,
            ..,
        ] => Kind::Spreadsheet("an Excel 2.x-4.x worksheet (BIFF2-4), older than Excel 97's xls"),
        _ if is_sylk(head) => Kind::Spreadsheet("a SYLK spreadsheet (.slk)"),
        _ if text.starts_with(b"{") || text.starts_with(b"[{") || text.starts_with(b"[\n") => {
            Kind::Json
        }
        _ if crate::load::formats::sdmx_ml::is_sdmx_ml(head) => Kind::SdmxMl,
        _ if text.starts_with(b"<?xml") || text.starts_with(b"<html") => {
            Kind::Other("XML or HTML, but no SDMX-ML data message")
        }
        // Text never holds NUL (UTF-16 has a byte-order mark first, read as text).
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Kind::Text,
        _ if let Some(at) = head.iter().position(|&b| b == 0) => {
            Kind::Binary(1 + head[..at].iter().filter(|&&b| b == b'\n').count() as u64)
        }
        _ if crate::load::formats::pcaxis::is_pcaxis(text) => Kind::PcAxis,
        _ if crate::load::formats::sdmx_csv::is_sdmx(head) => Kind::Sdmx,
        _ => Kind::Text,
    }
}

/// A SYLK file: its first record `ID;P...`, then records of cells or formats (`C;`, `F;`,
/// `B;`). A CSV whose first column is `ID` and second starts with `P` (`ID;Pop2016`) has
/// rows of data after it, not records.
fn is_sylk(head: &[u8]) -> bool {
    let mut lines = head.split(|&b| b == b'\n');
    let first = lines.next().unwrap_or_default();
    let second = lines.next().unwrap_or_default();
    first.starts_with(b"ID;P")
        && ["B;", "C;", "F;", "P;", "O;", "W;", "NN;", "NU;"]
            .iter()
            .any(|r| second.starts_with(r.as_bytes()))
}

/// What popdelta reads, for a refusal.
const READS: &str = "popdelta reads CSV and TSV text, JSON-stat, SDMX-CSV, SDMX-JSON, SDMX-ML, \
                     PC-Axis, xlsx, xlsb, xls and ods workbooks, and gz and zip archives of them";

/// The refusal of a format popdelta does not read.
pub fn refuse(label: &str, what: &str) -> Error {
    Error::Usage(format!("{label} is {what}; {READS}: export it as CSV"))
}

/// The refusal of an input that is not what its first bytes said: `kind` tells which.
pub fn refuse_kind(label: &str, kind: Kind) -> Error {
    match kind {
        Kind::Spreadsheet(what) => Error::Usage(format!(
            "{label} is {what}; {READS}: open it in a spreadsheet and save it as xlsx or CSV"
        )),
        Kind::Binary(line) => Error::Usage(format!(
            "{label}:{line}: a NUL byte, which text never holds: a binary file, or UTF-16 \
             text without its byte-order mark; {READS}: export it as CSV (UTF-8)"
        )),
        Kind::Other(what) => refuse(label, what),
        _ => refuse(label, "not a table"),
    }
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
        /// Whether `--sheet` named it (else popdelta chose it).
        named: bool,
    },
    /// A file inside a zip archive, and whether a World Bank metadata file beside it gave
    /// each country its Region and IncomeGroup.
    Member {
        /// The file read.
        name: String,
        /// Whether metadata columns were joined.
        metadata: bool,
    },
    /// A JSON-stat dataset, laid out as long rows.
    JsonStat(crate::load::formats::jsonstat::Read),
}

/// Most bytes one part of an archive (or of a zipped workbook) may expand to below which
/// its ratio is not asked about.
pub const BOMB_FLOOR: u64 = 256 << 20;

/// The most a part may expand past [`BOMB_FLOOR`]: text compresses tenfold or so, a
/// decompression bomb a thousandfold.
pub const BOMB_RATIO: u64 = 200;

/// Why bytes that expand from `compressed` to `expanded` are refused, if they are: past
/// [`BOMB_FLOOR`] and [`BOMB_RATIO`] times their compressed size, or past [`MAX_CONTAINER`]
/// at all.
pub fn bomb(expanded: u64, compressed: u64) -> Option<String> {
    let mib = |n: u64| n >> 20;
    if expanded > BOMB_FLOOR && expanded > compressed.saturating_mul(BOMB_RATIO) {
        Some(format!(
            "expands from {} KiB to over {} MiB, more than {BOMB_RATIO}-fold, as a \
             decompression bomb does",
            compressed >> 10,
            mib(expanded)
        ))
    } else {
        None
    }
}

/// Reads a whole container into memory, within [`MAX_CONTAINER`].
pub fn slurp(label: &str, reader: impl Read) -> Result<Vec<u8>> {
    workbook::slurp(label, reader, MAX_CONTAINER)
}

/// The table a container holds: an archive's member, or a workbook's sheet.
pub enum Table {
    /// A member, read as it is inflated (what it is, its first bytes tell), and columns to
    /// join to its rows if it is text.
    Member(Piped, Option<Join>),
    /// A sheet's rows.
    Sheet(Sheet),
}

/// The table of a zip archive (a workbook, or an archive of one data file or one workbook)
/// or of an xls workbook, read as it is taken, and what was opened in it. `sheet` names
/// the sheet to read.
pub fn unpack(
    label: &str,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    fast: bool,
) -> Result<(Table, Opened)> {
    if bytes.starts_with(b"PK\x03\x04") {
        match zipped(&bytes) {
            Zipped::Workbook => {}
            Zipped::Files => return unzip(label, bytes),
            Zipped::Document(what) => {
                return Err(Error::Usage(format!(
                    "{label} is {what}, not a workbook: it may embed one, which popdelta does \
                     not take for the file; open it and save the table as CSV"
                )));
            }
            Zipped::Numbers => {
                return Err(refuse_kind(
                    label,
                    Kind::Spreadsheet("an Apple Numbers spreadsheet"),
                ));
            }
        }
    }
    let (rows, opened) = workbook::open_with(label, bytes, sheet, fast)?;
    Ok((Table::Sheet(rows), opened))
}

/// What a zip archive is, by its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zipped {
    /// An xlsx, xlsm, xlsb or ods workbook.
    Workbook,
    /// An archive of files.
    Files,
    /// An Office or OpenDocument file that is no workbook (a text, a presentation).
    Document(&'static str),
    /// An Apple Numbers spreadsheet (its tables in Apple's own format).
    Numbers,
}

/// What a zip archive is: a workbook's main part (xlsx, xlsm, xlsb; at the root in a
/// minimal package) or an OpenDocument spreadsheet's content, whatever the part's folder;
/// an Office package without one (a document, which may embed a workbook); Apple's Numbers
/// (`Index/Document.iwa`); or files.
fn zipped(bytes: &[u8]) -> Zipped {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Zipped::Files;
    };
    let names: Vec<String> = zip
        .file_names()
        .flatten()
        .map(|n| n.replace('\\', "/").to_ascii_lowercase())
        .collect();
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_owned();
    if names
        .iter()
        .any(|n| n == "index/document.iwa" || n == "index.zip")
    {
        return Zipped::Numbers;
    }
    let office = names.iter().any(|n| n == "[content_types].xml");
    let main = |part: &str| {
        names
            .iter()
            .any(|n| base(n) == part && !n.contains("embeddings/"))
    };
    if main("workbook.xml") || main("workbook.bin") {
        return Zipped::Workbook;
    }
    if let Some(kind) = opendocument(&mut zip) {
        return match kind.strip_prefix("application/vnd.oasis.opendocument.") {
            Some("spreadsheet" | "spreadsheet-template") => Zipped::Workbook,
            Some("text" | "text-template") => Zipped::Document("an OpenDocument text"),
            Some("presentation" | "presentation-template") => {
                Zipped::Document("an OpenDocument presentation")
            }
            _ => Zipped::Document("an OpenDocument file"),
        };
    }
    if main("content.xml") {
        return Zipped::Workbook;
    }
    if office {
        return Zipped::Document(if names.iter().any(|n| n.starts_with("word/")) {
            "a Word document"
        } else if names.iter().any(|n| n.starts_with("ppt/")) {
            "a PowerPoint presentation"
        } else {
            "an Office document"
        });
    }
    Zipped::Files
}

/// An OpenDocument file's media type, from its `mimetype` member (a line at most).
fn opendocument(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let member = zip.by_name("mimetype").ok()?;
    let mut kind = String::new();
    member.take(256).read_to_string(&mut kind).ok()?;
    let kind = kind.trim().to_owned();
    kind.starts_with("application/vnd.oasis.opendocument.")
        .then_some(kind)
}

fn csv_error(label: &str, e: csv::Error) -> Error {
    Error::Csv {
        file: label.to_owned(),
        source: e,
    }
}

/// The members of an archive that may be its table, by their names' endings; what each
/// is, its first bytes tell.
const TABLES: &[&str] = &[
    ".csv", ".tsv", ".txt", ".tab", ".json", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".gz",
];

/// Names for a message: the first ten, and how many more.
fn first_ten(names: &[String]) -> String {
    match names.len() {
        0 => "none".to_owned(),
        _ => crate::error::listed(names, ", "),
    }
}

/// The one table of a zip archive (a data file, or a workbook), as text read as it is
/// inflated; a World Bank download's Metadata_Country file beside it adds each country's
/// Region and IncomeGroup as columns.
fn unzip(label: &str, bytes: Vec<u8>) -> Result<(Table, Opened)> {
    let bad = |e: zip::result::ZipError| {
        Error::Usage(format!("{label}: a zip archive that cannot be read ({e})"))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let names: Vec<String> = zip
        .file_names()
        .flatten()
        .map(std::borrow::Cow::into_owned)
        .collect();
    let ends = |n: &str, ends: &[&str]| {
        let lower = n.to_lowercase();
        ends.iter().any(|e| lower.ends_with(e))
    };
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_owned();
    let tables: Vec<&String> = names
        .iter()
        .filter(|n| ends(n, TABLES) && !n.ends_with('/'))
        .collect();
    let (metadata, data): (Vec<&String>, Vec<&String>) = tables
        .iter()
        .copied()
        .partition(|n| base(n).starts_with("Metadata_"));
    let [data] = data[..] else {
        let data: Vec<String> = data.into_iter().cloned().collect();
        let (what, listed) = if data.is_empty() {
            (
                "no table (csv, tsv, txt, JSON-stat or a workbook)",
                first_ten(&names),
            )
        } else {
            ("several tables", first_ten(&data))
        };
        return Err(Error::Usage(format!(
            "{label} holds {what} among its {} member{} ({listed}); unzip it and name the one \
             to read",
            names.len(),
            if names.len() == 1 { "" } else { "s" }
        )));
    };
    let data = data.clone();
    let inner = format!("{label}/{data}");
    let (size, compressed) = {
        let member = zip.by_name(&data).map_err(bad)?;
        (member.size(), member.compressed_size())
    };
    if let Some(why) = bomb(size, compressed) {
        return Err(Error::Usage(format!("{inner} {why}; it is refused unread")));
    }
    let country = metadata
        .iter()
        .find(|n| base(n).starts_with("Metadata_Country"))
        .map(|n| (*n).clone());
    // The metadata is small (a row per country), and read whole to join it.
    let meta = match &country {
        Some(name) => {
            let member = zip.by_name(name).map_err(bad)?;
            if let Some(why) = bomb(member.size(), member.compressed_size()) {
                return Err(Error::Usage(format!(
                    "{label}/{name} {why}; it is refused unread"
                )));
            }
            let meta = slurp(&format!("{label}/{name}"), member)?;
            Some(country_groups(&meta).map_err(|e| csv_error(label, e))?)
        }
        None => None,
    };
    let metadata = meta.as_ref().is_some_and(Option::is_some);
    let opened = Opened::Member {
        name: data.clone(),
        metadata,
    };
    let piped = crate::load::pipe::spawn(move |sink| {
        let mut member = zip
            .by_name(&data)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        io::copy(&mut member, sink).map(|_| ())
    });
    Ok((Table::Member(piped, meta.flatten()), opened))
}

/// Columns joined to a table's rows by their key: a World Bank download's Metadata_Country
/// file gives each country (by `Country Code`) its Region and IncomeGroup.
#[derive(Debug, Clone, Default)]
pub struct Join {
    /// The key column's name.
    key: String,
    /// The joined columns' names.
    names: Vec<String>,
    /// Each key's values.
    values: HashMap<String, Vec<String>>,
}

impl Join {
    /// Appends the joined columns to a row: the names to the header (the first row that
    /// holds the key column's name, whose place `at` keeps), each key's values to the rows
    /// after it.
    pub fn apply(&self, at: &mut Option<usize>, cells: &mut Vec<String>) {
        match *at {
            None => {
                if let Some(i) = cells.iter().position(|f| f.trim() == self.key) {
                    *at = Some(i);
                    cells.extend(self.names.iter().cloned());
                }
            }
            Some(i) => {
                let key = cells.get(i).map_or("", |k| k.trim());
                match self.values.get(key) {
                    Some(v) => cells.extend(v.iter().cloned()),
                    None => cells.extend(self.names.iter().map(|_| String::new())),
                }
            }
        }
    }
}

/// Each country code's Region and IncomeGroup, from a World Bank metadata file; `None` if
/// it lacks those columns.
fn country_groups(meta: &[u8]) -> std::result::Result<Option<Join>, csv::Error> {
    let meta = meta.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(meta);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(meta);
    let header = rdr.headers()?.clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(code), Some(region), Some(income)) =
        (col("Country Code"), col("Region"), col("IncomeGroup"))
    else {
        return Ok(None);
    };
    let mut values = HashMap::new();
    for rec in rdr.records() {
        let rec = rec?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_owned();
        values.insert(get(code), vec![get(region), get(income)]);
    }
    Ok(Some(Join {
        key: "Country Code".to_owned(),
        names: vec!["Region".to_owned(), "IncomeGroup".to_owned()],
        values,
    }))
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
        assert_eq!(kind(b"  {\"a\": 1}"), Kind::Json);
        assert_eq!(kind(b"[{\"a\": 1}]"), Kind::Json);
        assert_eq!(kind(b"\x7fELF\x02\x01\x01\0"), Kind::Binary(1));
        assert_eq!(kind(b"a,b\n1,2\n3,\x004\n"), Kind::Binary(3));
        assert!(matches!(
            kind(b"\x09\x02\x06\x00\0\0\x10\0"),
            Kind::Spreadsheet(_)
        ));
        assert!(matches!(
            kind(b"ID;PWXL;N;E\nC;Y1;X1;K1\n"),
            Kind::Spreadsheet(_)
        ));
        assert_eq!(kind(b"ID;Pop2016;Pop2017\nA;1;2\n"), Kind::Text);
        assert_eq!(kind(b"\xFF\xFEr\0e\0"), Kind::Text);
        // A CSV whose first field is bracketed is text.
        assert_eq!(kind(b"[region],2016\n"), Kind::Text);
    }
}
