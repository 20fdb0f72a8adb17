//! Render: a comparison as a table for people, or CSV and JSON for programs.
//!
//! Renderers write to any `io::Write`, so tests snapshot bytes and the binary streams.

pub mod chart;
pub mod check;
pub mod csv;
pub mod data;
pub mod escape;
pub mod json;
pub mod map;
pub mod markdown;
pub mod notes;
pub mod sources;
pub mod svg;
pub mod table;
pub mod trend;
pub mod vintages;

use std::borrow::Cow;
use std::io;

use unicode_width::UnicodeWidthStr;

use crate::compute::Comparison;
use crate::panel::PanelInfo;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned table for a terminal.
    Table,
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// One JSON document with metadata.
    Json,
    /// One JSON object per row, one per line.
    Ndjson,
    /// A Markdown table with the notes below it.
    Markdown,
    /// A typed workbook (with --output FILE.xlsx): the CSV's rows as numbers and text, a
    /// notes sheet beside them.
    Xlsx,
}

/// Which names a row shows for a region that has them in English and Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Naming {
    /// The English name only.
    En,
    /// The Chinese name (the English one where there is none).
    Zh,
    /// Both: the English name, and the Chinese one beside it (CSV column region_zh).
    Both,
}

/// The optional columns of a comparison's rows, the same in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// natural_increase, net_migration and net_migration_per_1000.
    pub components: bool,
    /// residual: net migration is published, and the balancing equation's rest apart.
    pub residual: bool,
    /// Which names the region column (and region_zh) hold.
    pub naming: Naming,
    /// Decimals of the figures: values of another unit than persons carry some.
    pub decimals: u32,
}

impl Shape {
    /// Names only, no components.
    pub const PLAIN: Shape = Shape {
        components: false,
        residual: false,
        naming: Naming::En,
        decimals: 0,
    };

    /// The columns of `cmp`, named as `naming` asks (the format's default if `None`).
    pub fn of(cmp: &Comparison, naming: Option<Naming>, default: Naming) -> Shape {
        let components = cmp.components != crate::panel::ComponentsKind::None;
        let has_zh = (0..cmp.panel.len()).any(|r| cmp.panel.name_zh(r).is_some());
        Shape {
            components,
            residual: components && cmp.panel.published_migration,
            naming: Shape::naming(has_zh, naming, default),
            decimals: cmp.decimals(),
        }
    }

    /// The naming asked for (or the format's default), where the data has Chinese names:
    /// data without them gets no empty column.
    pub fn naming(has_zh: bool, naming: Option<Naming>, default: Naming) -> Naming {
        if has_zh {
            naming.unwrap_or(default)
        } else {
            Naming::En
        }
    }

    /// The names of the columns `columns` (level, region, group...), with region_zh after
    /// region when both names are shown.
    pub fn columns<'a>(self, columns: &[&'a str]) -> Vec<&'a str> {
        let mut out = columns.to_vec();
        if self.naming == Naming::Both
            && let Some(at) = out.iter().position(|c| *c == "region")
        {
            out.insert(at + 1, "region_zh");
        }
        out
    }

    /// The region's name in the region column, and the Chinese one for region_zh.
    pub fn names<'a>(self, region: &'a str, zh: Option<&'a str>) -> (&'a str, Option<&'a str>) {
        match self.naming {
            Naming::En => (region, None),
            Naming::Zh => (zh.unwrap_or(region), None),
            Naming::Both => (region, Some(zh.unwrap_or_default())),
        }
    }
}

/// Options that change how a format is drawn, not what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The table's look: colour and ASCII rules.
    pub look: table::Look,
    /// A UTF-8 byte-order mark first (CSV and TSV), so that Excel reads UTF-8.
    pub bom: bool,
    /// CSV and TSV: each row's confidence and precision in three more columns.
    pub quality: bool,
    /// Which names to show [default: both in tables and JSON, English in CSV].
    pub naming: Option<Naming>,
    /// What was said on the way (the loader's guesses and notes): a workbook keeps them on
    /// its notes sheet, as the other formats leave them on standard error.
    pub said: &'a [String],
    /// CSV for a workbook: text cells as they are, unguarded (a workbook's typed text
    /// cells never run as formulas).
    pub unguarded: bool,
}

/// A result as a workbook: its CSV (written by `csv`), typed by column, and `notes` on a
/// sheet of their own.
pub fn as_workbook(
    out: &mut dyn io::Write,
    csv: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    mut notes: Vec<String>,
    said: &[String],
) -> io::Result<()> {
    notes.extend(said.iter().map(|s| format!("Said while reading: {s}")));
    let mut rows = Rows::default();
    csv(&mut rows)?;
    let bytes = crate::spreadsheet::write::workbook(&rows.csv, &notes).map_err(io::Error::other)?;
    out.write_all(&bytes)?;
    out.flush()
}

/// A workbook's CSV as it is written, refused as soon as it holds more rows than a sheet
/// does (before the rest is made).
#[derive(Default)]
struct Rows {
    csv: Vec<u8>,
    rows: usize,
    quoted: bool,
}

impl io::Write for Rows {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        use crate::spreadsheet::write::MAX_ROWS;
        for &b in buf {
            match b {
                b'"' => self.quoted = !self.quoted,
                b'\n' if !self.quoted => self.rows += 1,
                _ => {}
            }
        }
        if self.rows > MAX_ROWS {
            return Err(io::Error::other(format!(
                "more rows than a workbook's sheet holds ({MAX_ROWS}); use --format csv, or \
                 fewer rows with --top N or --region"
            )));
        }
        self.csv.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a dataset says of itself, for a workbook's notes sheet: its description, notes
/// and sources.
pub fn info_notes(info: &PanelInfo) -> Vec<String> {
    let mut notes = Vec::new();
    if !info.dataset.is_empty() {
        notes.push(format!("Dataset: {}", info.dataset));
    }
    if !info.description.is_empty() {
        notes.push(info.description.clone());
    }
    notes.extend(info.notes.iter().cloned());
    notes.extend(info.sources.iter().map(|s| format!("Source: {s}")));
    notes
}

/// A comparison's notes as sentences.
pub fn notes_of(cmp: &Comparison) -> Vec<String> {
    cmp.notes.iter().map(notes::phrase).collect()
}

/// The byte-order mark written with `--bom`.
pub const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Writes a comparison in the given format.
pub fn write(
    out: &mut dyn io::Write,
    format: Format,
    cmp: &Comparison,
    info: &PanelInfo,
    opts: Options,
) -> io::Result<()> {
    if opts.bom && matches!(format, Format::Csv | Format::Tsv) {
        out.write_all(BOM)?;
    }
    match format {
        Format::Table => table::write(out, cmp, info, opts),
        Format::Csv => csv::write(out, cmp, b',', opts),
        Format::Tsv => csv::write(out, cmp, b'\t', opts),
        Format::Json => json::write(out, cmp, info, opts.naming),
        Format::Ndjson => json::write_lines(out, cmp, opts.naming),
        Format::Markdown => markdown::write(out, cmp, info, opts.naming),
        Format::Xlsx => {
            let mut notes = info_notes(info);
            notes.extend(notes_of(cmp));
            as_workbook(
                out,
                |buf| {
                    let opts = Options {
                        bom: false,
                        unguarded: true,
                        ..opts
                    };
                    csv::write(buf, cmp, b',', opts)
                },
                notes,
                opts.said,
            )
        }
    }
}

/// A ratio for people: signed, three decimals ("+0.379"); empty when undefined.
pub fn signed_milli(m: Option<crate::number::Milli>) -> String {
    match m {
        Some(m) if m.0 > 0 => format!("+{m}"),
        Some(m) => m.to_string(),
        None => String::new(),
    }
}

/// A row's figures for people, in column order: populations with separators, signed
/// change and percent, then (as `shape` has them) natural increase, migration, per 1,000
/// and the residual.
pub fn human_figures(line: &crate::compute::Line, shape: Shape) -> Vec<String> {
    use crate::number::{
        scaled_with_separators, signed_scaled_with_separators, signed_with_separators,
    };
    let d = shape.decimals;
    let value = |v: Option<i64>| {
        v.map(|n| scaled_with_separators(n.into(), d))
            .unwrap_or_default()
    };
    let signed_value = |v: Option<i64>| {
        v.map(|n| signed_scaled_with_separators(n.into(), d))
            .unwrap_or_default()
    };
    let signed = |v: Option<i64>| {
        v.map(|n| signed_with_separators(n.into()))
            .unwrap_or_default()
    };
    let mut cells = vec![
        value(line.pop_from),
        value(line.pop_to),
        signed_value(line.change),
        signed_milli(line.change_pct),
    ];
    if shape.components {
        let c = line.components;
        cells.extend([
            signed(c.map(|c| c.natural_increase)),
            signed(c.map(|c| c.net_migration)),
            signed_milli(c.and_then(|c| c.net_migration_per_1000)),
        ]);
    }
    if shape.residual {
        cells.push(signed(line.components.and_then(|c| c.residual)));
    }
    cells
}

/// The headers of [`human_figures`]' cells.
pub fn human_headers(cmp: &Comparison, shape: Shape) -> Vec<String> {
    let mut header = vec![
        cmp.from.to_string(),
        cmp.to.to_string(),
        "Change".into(),
        "%".into(),
    ];
    if shape.components {
        header.extend(["Natural".into(), "Migration".into(), "per 1,000".into()]);
    }
    if shape.residual {
        header.push("Residual".into());
    }
    header
}

/// The column names of a comparison in CSV and JSON, in order.
pub fn columns(cmp: &Comparison, shape: Shape) -> Vec<String> {
    let mut cols = vec!["level".to_owned(), "region".to_owned()];
    if shape.naming == Naming::Both {
        cols.push("region_zh".to_owned());
    }
    // Figures that are not persons are values, named so.
    let prefix = if cmp.totalled() { "pop" } else { "value" };
    cols.extend([
        "group".to_owned(),
        format!("{prefix}_{}", cmp.from),
        format!("{prefix}_{}", cmp.to),
        "change".to_owned(),
        "change_pct".to_owned(),
    ]);
    if shape.components {
        cols.extend(
            [
                "natural_increase",
                "net_migration",
                "net_migration_per_1000",
            ]
            .map(str::to_owned),
        );
    }
    if shape.residual {
        cols.push("residual".to_owned());
    }
    if cmp.panel.info.values.is_some() {
        cols.push("unit".to_owned());
    }
    cols
}

/// Text for people is wrapped to this many display columns.
pub const WRAP_WIDTH: usize = 100;

/// Splits text into lines of at most `width` display columns, at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        if !current.is_empty() && current.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
}

/// The I/O error inside a CSV writer's error, so a closed pipe stays recognisable.
pub fn csv_io(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A CSV or TSV writer whose every field goes through [`spreadsheet_safe`]: the one guard,
/// applied by the writer so that no column can miss it (unless the CSV is for a workbook).
pub(crate) struct SafeCsv<W: io::Write> {
    writer: ::csv::Writer<W>,
    guard: bool,
}

impl<W: io::Write> SafeCsv<W> {
    /// A writer of `\n`-ended records, fields split by `delimiter`, guarded where `guard`.
    pub(crate) fn new(out: W, delimiter: u8, guard: bool) -> SafeCsv<W> {
        SafeCsv {
            writer: ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .delimiter(delimiter)
                .from_writer(out),
            guard,
        }
    }

    /// Writes one record, each field guarded.
    pub(crate) fn record<'a>(
        &mut self,
        fields: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<()> {
        let guard = self.guard;
        let field = |f: &'a str| {
            if guard {
                spreadsheet_safe(f)
            } else {
                Cow::Borrowed(f)
            }
        };
        self.writer
            .write_record(fields.into_iter().map(|f| field(f).into_owned()))
            .map_err(csv_io)
    }

    /// Flushes what is buffered.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A text cell made safe for spreadsheets: one that would run as a formula gets a leading `'`.
///
/// Numbers, negative ones included, are left alone.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    // One character alone (check's operator "=") is no formula.
    let risky = text.len() > 1
        && matches!(
            text.as_bytes().first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        );
    if risky && crate::number::Decimal::parse(text).is_err() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::{spreadsheet_safe, wrap};

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("longword", 3), vec!["longword"]);
        assert_eq!(wrap("北京 上海", 4), vec!["北京", "上海"]);
    }

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(spreadsheet_safe("@cmd"), "'@cmd");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("\tx"), "'\tx");
        assert_eq!(spreadsheet_safe("="), "=");
        assert_eq!(spreadsheet_safe("-22000"), "-22000");
        assert_eq!(spreadsheet_safe("-0.101"), "-0.101");
        assert_eq!(spreadsheet_safe("Beijing"), "Beijing");
    }
}
