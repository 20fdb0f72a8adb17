//! Workbooks (xlsx, xls, xlsb, ods), whatever wrote them: a sheet's rows of cells, read on
//! a thread of their own as the table reader takes them, each cell named as a spreadsheet
//! names it (`Table_3!C12`) in messages. No sheet is turned into text to be parsed again.
//!
//! An xlsx sheet is read cell by cell as its XML lists them, never as a grid: a far cell
//! (XFD1048576) costs its own row, not the rectangle up to it. Text is capped per cell
//! (Excel's own 32,767 characters) and per sheet, and a workbook whose parts expand past
//! what their compressed size makes plausible is refused before it is opened.

pub mod ods;
pub mod shared;
pub mod xls;
mod xlsx;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Reader, Sheets};

use crate::error::{Error, Location, Result};
use crate::load::container::{Opened, bomb};
use crate::load::records::{Records, Row, Start};

/// Most characters one cell may hold: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Most bytes of text a sheet may turn into: as a line is capped, so is a sheet.
pub const MAX_SHEET_TEXT: u64 = 1 << 30;

/// Rows sent at a time from the sheet's thread.
const BATCH: usize = 4096;
/// Bytes of text sent at a time, at most (about).
const BATCH_TEXT: usize = 1 << 20;
/// Batches made ahead of the reader.
const AHEAD: usize = 4;

/// Why a sheet's thread stopped short: a refusal, in words, and the cell it names.
#[derive(Debug)]
struct Stop {
    text: String,
    cell: Option<(u32, u32)>,
}

fn sheet_error(text: String) -> Stop {
    Stop { text, cell: None }
}

thread_local! {
    /// Whether this thread is inside the workbook parser, whose panics become refusals.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic now comes from inside the workbook parser (calamine), where it is
/// caught and said as a refusal: a panic hook stays quiet then.
pub fn guarded() -> bool {
    GUARDED.with(std::cell::Cell::get)
}

/// Runs `f`, calamine's work on a crafted or broken workbook, turning a panic in it into
/// the refusal `why` (a workbook may not abort the process).
fn guard<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    GUARDED.with(|g| g.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_owned())
    })
}

/// The refusal of a workbook whose parser failed.
fn broken(label: &str, why: &str) -> Error {
    Error::Usage(format!(
        "{label}: the workbook is damaged or of a kind popdelta cannot read (its reader \
         failed: {}); save the table as CSV",
        crate::error::clipped(why)
    ))
}

type Book = Sheets<Cursor<Vec<u8>>>;

/// Opens a workbook held in memory and returns its chosen sheet's rows, read as they are
/// taken, with what was opened. `sheet` names the sheet; otherwise the first that holds a
/// row of two numbers or more is read (a workbook of one sheet: that sheet).
pub fn open(label: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<(Sheet, Opened)> {
    open_with(label, bytes, sheet, true)
}

/// [`open`], with the xlsx fast path ([`xlsx`]) or without (`fast`: calamine reads every
/// cell, as a differential test compares).
pub fn open_with(
    label: &str,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    fast: bool,
) -> Result<(Sheet, Opened)> {
    let ole2 = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let zip = bytes.starts_with(b"PK\x03\x04");
    if (ole2 && xls::protected(&bytes)) || (zip && ods::protected(&bytes)) {
        return Err(Error::Usage(format!(
            "{label}: the file is protected by a password (encrypted), which popdelta does \
             not ask for; open it, save it without a password, and read that copy (or save \
             the table as CSV)"
        )));
    }
    if zip {
        check_parts(label, &bytes)?;
        if let Some(why) = shared::too_large(&bytes) {
            return Err(Error::Usage(format!("{label}: {why}")));
        }
        if let Some(t) = ods::too_large(&bytes)
            && t.rows.saturating_mul(t.cols) <= ods::MAX_CELLS
        {
            return Err(whole_book(
                label,
                "an ods",
                &t.sheet,
                t.book,
                ods::MAX_CELLS,
            ));
        }
        if let Some(t) = ods::too_large(&bytes) {
            return Err(Error::Usage(format!(
                "{label}: sheet {:?} would be a grid of {} rows by {} columns (it has a cell \
                 at {}), more than the {} cells popdelta expands an ods sheet to; clear the \
                 far cells, or save the table as CSV or xlsx",
                t.sheet,
                t.rows,
                t.cols,
                cell_name(
                    u32::try_from(t.far.0).unwrap_or(u32::MAX),
                    u32::try_from(t.far.1).unwrap_or(u32::MAX)
                ),
                ods::MAX_CELLS
            )));
        }
    }
    if ole2 && xls::chains_loop(&bytes) {
        return Err(Error::Usage(format!(
            "{label}: a damaged compound file (xls): a chain of its sectors loops back on \
             itself; open it in a spreadsheet and save it again, or as CSV"
        )));
    }
    if ole2
        && let Some(t) = xls::too_large(&bytes)
        && t.rows.saturating_mul(t.cols) <= xls::MAX_CELLS
    {
        let sheet = format!("{}", t.sheet);
        return Err(whole_book(
            label,
            "a legacy xls",
            &sheet,
            t.book,
            xls::MAX_CELLS,
        ));
    }
    if ole2 && let Some(t) = xls::too_large(&bytes) {
        return Err(Error::Usage(format!(
            "{label}: sheet {} would be a grid of {} rows by {} columns (it has a cell at {}), \
             more than the {} cells popdelta expands a legacy xls sheet to; clear the far \
             cells, or save the table as CSV or xlsx",
            t.sheet,
            t.rows,
            t.cols,
            cell_name(t.far.0, t.far.1),
            xls::MAX_CELLS
        )));
    }
    if fast
        && bytes.starts_with(b"PK\x03\x04")
        && let Some((name, parts, all)) = xlsx::Parts::of(&bytes, sheet, MAX_SHEET_TEXT)
    {
        return Ok((fast_xlsx(label, bytes, name.clone(), parts), {
            Opened::Sheet {
                name,
                all,
                named: sheet.is_some(),
            }
        }));
    }
    let mut book = open_book(label, bytes)?;
    let all = book.sheet_names();
    let chosen = match sheet {
        Some(name) => {
            if !all.iter().any(|s| s == name) {
                return Err(Error::Usage(format!(
                    "{label} has no sheet {name:?}; its sheets are {}",
                    crate::error::listed(&all, ", ")
                )));
            }
            name.to_owned()
        }
        None => guard(|| choose(label, &mut book, &all)).map_err(|why| broken(label, &why))??,
    };
    let name = chosen.clone();
    let sheet_rows = Sheet::spawn(label, &chosen, move |rows| {
        guard(|| send_sheet(&mut book, &name, rows, 0)).unwrap_or_else(|why| {
            Err(sheet_error(format!(
                "the sheet is damaged (its reader failed: {}); save the table as CSV",
                crate::error::clipped(&why)
            )))
        })
    });
    let named = sheet.is_some();
    Ok((
        sheet_rows,
        Opened::Sheet {
            name: chosen,
            all,
            named,
        },
    ))
}

/// The refusal of a workbook whose sheets' grids together pass `max` cells, each under it:
/// its reader expands every sheet as it opens the file.
fn whole_book(label: &str, kind: &str, sheet: &str, cells: u64, max: u64) -> Error {
    Error::Usage(format!(
        "{label}: its sheets up to {sheet:?} would be grids of {cells} cells together, more \
         than the {max} cells popdelta expands {kind} workbook to (its reader expands every \
         sheet as it opens the file); save the sheet of figures alone, or as CSV"
    ))
}

/// Every row of a workbook's sheet (the one `sheet` names, or the one chosen), read with
/// the fast path or without: what a differential test compares.
pub fn rows(bytes: Vec<u8>, sheet: Option<&str>, fast: bool) -> Result<Vec<(u64, Vec<String>)>> {
    let (mut sheet, _) = open_with("workbook", bytes, sheet, fast)?;
    let mut out = Vec::new();
    let mut row = Row::default();
    while sheet.next(&mut row)? {
        let cells = row
            .cells
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        out.push((row.line, cells));
    }
    Ok(out)
}

/// Opens a workbook with calamine, whose panics on a broken one become refusals.
fn open_book(label: &str, bytes: Vec<u8>) -> Result<Book> {
    guard(|| calamine::open_workbook_auto_from_rs(Cursor::new(bytes)))
        .map_err(|why| broken(label, &why))?
        .map_err(|e| {
            Error::Usage(format!(
                "{label}: not a workbook popdelta can open ({}); save the table as CSV",
                crate::error::clipped(&e.to_string())
            ))
        })
}

/// An xlsx sheet's rows by the fast path ([`xlsx`]): the sheet inflated on one thread and
/// scanned on another, calamine reading on from the row where the scan hands over.
fn fast_xlsx(label: &str, bytes: Vec<u8>, name: String, parts: xlsx::Parts) -> Sheet {
    let sheet_name = name.clone();
    let label_owned = label.to_owned();
    let bytes = std::sync::Arc::new(bytes);
    let inflating = {
        let bytes = std::sync::Arc::clone(&bytes);
        let path = parts.sheet.clone();
        crate::load::pipe::spawn(move |sink| {
            let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..]))
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            let mut member = zip
                .by_name(&path)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            std::io::copy(&mut member, sink).map(|_| ())
        })
    };
    Sheet::spawn(label, &sheet_name, move |rows| {
        let handed = match xlsx::scan(inflating, &parts, rows)? {
            None => return Ok(()),
            Some(xlsx::HandOver(row)) => row,
        };
        // The row gathered and not sent is read again, as well as the one handed over.
        let handed = rows.discard_row().map_or(handed, |r| r.min(handed));
        let bytes = std::sync::Arc::try_unwrap(bytes).unwrap_or_else(|shared| (*shared).clone());
        let mut book = open_book(&label_owned, bytes).map_err(|e| sheet_error(e.to_string()))?;
        guard(|| send_sheet(&mut book, &name, rows, handed)).unwrap_or_else(|why| {
            Err(sheet_error(format!(
                "the sheet is damaged (its reader failed: {}); save the table as CSV",
                crate::error::clipped(&why)
            )))
        })
    })
}

/// Sends the rows of sheet `name` of `book`, in order, from row `from` (0-based) on.
fn send_sheet(
    book: &mut Book,
    name: &str,
    rows: &mut RowSender,
    from: u32,
) -> std::result::Result<(), Stop> {
    match book {
        Sheets::Xlsx(xlsx) => {
            let mut cells = xlsx.worksheet_cells_reader(name).map_err(|e| {
                sheet_error(format!(
                    "the sheet cannot be read ({})",
                    crate::error::clipped(&e.to_string())
                ))
            })?;
            while let Some(cell) = cells.next_cell().map_err(|e| {
                sheet_error(format!(
                    "the sheet cannot be read on ({})",
                    crate::error::clipped(&e.to_string())
                ))
            })? {
                let (row, col) = cell.get_position();
                if row >= from {
                    rows.put(row, col, &ref_text(cell.get_value()))?;
                }
            }
        }
        book => {
            let range = book.worksheet_range(name).map_err(|e| {
                sheet_error(format!(
                    "the sheet cannot be read ({})",
                    crate::error::clipped(&e.to_string())
                ))
            })?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (row, col, cell) in range.used_cells() {
                let at = |n: usize, base: u32| base.saturating_add(n as u32);
                rows.put(at(row, top), at(col, left), &cell_text(cell))?;
            }
        }
    }
    Ok(())
}

/// Refuses a zipped workbook one of whose parts expands past what its compressed size
/// makes plausible (a decompression bomb), before any part is read.
fn check_parts(label: &str, bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // calamine says what is wrong with it.
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        if let Some(why) = bomb(part.size(), part.compressed_size()) {
            return Err(Error::Usage(format!(
                "{label}: part {} of the workbook {why}; it is refused unread",
                part.name().unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// The sheet to read when none is named: the first with a row of two numbers or more (a
/// region's two years), or the only sheet; a refusal that says what each holds otherwise.
fn choose(label: &str, book: &mut Book, all: &[String]) -> Result<String> {
    if let [only] = all {
        return Ok(only.clone());
    }
    let mut seen = Vec::new();
    let mut with_figures = None;
    for name in all {
        let survey = survey(book, name);
        // A sheet of years over its figures is a table to compare (the ABS cube's
        // Table_3, not its quarterly Table_1); else the first sheet of figures.
        if survey.figures && survey.years {
            return Ok(name.clone());
        }
        if survey.figures && with_figures.is_none() {
            with_figures = Some(name.clone());
        }
        seen.push(format!("{name} ({})", survey.describe()));
    }
    if let Some(name) = with_figures {
        return Ok(name);
    }
    Err(Error::Usage(format!(
        "{label} has no sheet with a row of figures: {}; name the sheet to read with \
         --sheet NAME",
        crate::error::listed(&seen, ", ")
    )))
}

/// What a sheet holds, for choosing one and for saying why none was chosen.
#[derive(Default)]
struct Survey {
    rows: u64,
    numbers: u64,
    figures: bool,
    /// A row of two years or more (a header of years) before the first row of figures.
    years: bool,
    unreadable: bool,
}

impl Survey {
    fn describe(&self) -> String {
        match self {
            Survey {
                unreadable: true, ..
            } => "cannot be read".to_owned(),
            Survey { rows: 0, .. } => "empty".to_owned(),
            Survey {
                rows, numbers: 0, ..
            } => format!("{rows} row{} of text", plural(*rows)),
            Survey { rows, numbers, .. } => format!(
                "{rows} row{}, {numbers} number{}, never two in a row",
                plural(*rows),
                plural(*numbers)
            ),
        }
    }

    /// Counts a row's cells, `numbers` of which were numbers and `years` years.
    fn row(&mut self, numbers: u64, years: u64) {
        self.rows += 1;
        self.numbers += numbers;
        self.years |= years >= 2;
        self.figures |= numbers >= 2 && years < 2;
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Looks through a sheet until a row of figures is found (or the sheet ends).
fn survey(book: &mut Book, name: &str) -> Survey {
    let mut survey = Survey::default();
    let is_number = |d: &Data| matches!(d, Data::Int(_) | Data::Float(_));
    // A year, as a number (2019) or as text ("2019").
    let is_year = |d: &Data| match d {
        Data::Int(i) => (1900..=2100).contains(i),
        Data::Float(f) => f.fract() == 0.0 && (1900.0..=2100.0).contains(f),
        Data::String(s) => crate::load::layout::names::is_plain_year(s),
        _ => false,
    };
    match book {
        Sheets::Xlsx(xlsx) => {
            let Ok(mut cells) = xlsx.worksheet_cells_reader(name) else {
                survey.unreadable = true;
                return survey;
            };
            let (mut row, mut numbers, mut years) = (None, 0, 0);
            loop {
                match cells.next_cell() {
                    Ok(Some(cell)) => {
                        let value = cell.get_value();
                        if matches!(value, DataRef::Empty) {
                            continue;
                        }
                        let r = cell.get_position().0;
                        if row != Some(r) {
                            if row.is_some() {
                                survey.row(numbers, years);
                                if survey.figures {
                                    return survey;
                                }
                            }
                            (row, numbers, years) = (Some(r), 0, 0);
                        }
                        let data = Data::from(value.clone());
                        numbers += u64::from(is_number(&data));
                        years += u64::from(is_year(&data));
                    }
                    Ok(None) => break,
                    Err(_) => {
                        survey.unreadable = true;
                        return survey;
                    }
                }
            }
            if row.is_some() {
                survey.row(numbers, years);
            }
        }
        book => {
            let Ok(range) = book.worksheet_range(name) else {
                survey.unreadable = true;
                return survey;
            };
            for row in range.rows() {
                if row.iter().all(|c| matches!(c, Data::Empty)) {
                    continue;
                }
                survey.row(
                    row.iter().filter(|c| is_number(c)).count() as u64,
                    row.iter().filter(|c| is_year(c)).count() as u64,
                );
                if survey.figures {
                    break;
                }
            }
        }
    }
    survey
}

/// Rows of a sheet sent at once, flat: every cell's text end to end, each row a run of
/// cells (no allocation per row or cell).
#[derive(Debug, Default)]
pub struct Batch {
    /// Each row's line (1-based) and the end of its cells in `ends`.
    rows: Vec<(u64, u32)>,
    /// Each cell's end in `text`.
    ends: Vec<u32>,
    text: Vec<u8>,
}

impl Batch {
    /// How many rows.
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// Row `i` into `row`, its cells replaced.
    fn get(&self, i: usize, row: &mut Row) {
        let Some(&(line, end)) = self.rows.get(i) else {
            return;
        };
        let start = i.checked_sub(1).map_or(0, |p| self.rows[p].1) as usize;
        row.line = line;
        row.cells.clear();
        let mut at = start.checked_sub(1).map_or(0, |p| self.ends[p]) as usize;
        for &e in &self.ends[start..end as usize] {
            row.cells.push_field(&self.text[at..e as usize]);
            at = e as usize;
        }
    }
}

/// A sheet's cells, in order, gathered into rows and sent in batches.
pub struct RowSender {
    tx: SyncSender<std::result::Result<Batch, Stop>>,
    batch: Batch,
    /// The row being gathered, and its cells by column.
    row: Option<u32>,
    cells: Vec<String>,
    /// How many cells of `cells` hold this row's text.
    used: usize,
    /// Bytes of text sent so far.
    sent: u64,
}

impl RowSender {
    /// Forgets the row being gathered, which a reader that hands over reads again: its
    /// row, if one was.
    fn discard_row(&mut self) -> Option<u32> {
        self.used = 0;
        self.row.take()
    }

    /// Adds a cell's text at (row, column), 0-based.
    fn put(&mut self, row: u32, col: u32, text: &str) -> std::result::Result<(), Stop> {
        if text.is_empty() {
            return Ok(());
        }
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            return Err(Stop {
                text: format!(
                    "the cell holds more than {MAX_CELL_CHARS} characters (Excel's own limit for \
                     a cell), which no table of figures does"
                ),
                cell: Some((row, col)),
            });
        }
        if self.row != Some(row) {
            self.end_row()?;
            self.row = Some(row);
        }
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, String::new());
        }
        // Cells between the last written and this one are empty.
        for c in self.used..col {
            self.cells[c].clear();
        }
        self.cells[col].clear();
        self.cells[col].push_str(text);
        self.used = self.used.max(col + 1);
        Ok(())
    }

    /// Ends the row gathered, sending a batch when it is full.
    fn end_row(&mut self) -> std::result::Result<(), Stop> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        let b = &mut self.batch;
        let before = b.text.len();
        for cell in &self.cells[..self.used] {
            b.text.extend_from_slice(cell.as_bytes());
            b.ends.push(u32::try_from(b.text.len()).unwrap_or(u32::MAX));
        }
        b.rows.push((
            u64::from(row) + 1,
            u32::try_from(b.ends.len()).unwrap_or(u32::MAX),
        ));
        self.sent += (b.text.len() - before) as u64 + self.used as u64;
        self.used = 0;
        if self.sent > MAX_SHEET_TEXT {
            return Err(sheet_error(format!(
                "the sheet holds more than {} MiB of text (at row {}), more than popdelta \
                 reads from one sheet; save the table as CSV",
                MAX_SHEET_TEXT >> 20,
                u64::from(row) + 1
            )));
        }
        if self.batch.len() >= BATCH || self.batch.text.len() >= BATCH_TEXT {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::result::Result<(), Stop> {
        if self.batch.len() == 0 {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        // The reader gave up (an error it met, or it had read enough): stop reading.
        self.tx
            .send(Ok(batch))
            .map_err(|_| sheet_error("the reader stopped".into()))
    }

    fn finish(&mut self) -> std::result::Result<(), Stop> {
        self.end_row()?;
        self.flush()
    }
}

/// A sheet's rows, read on a thread of their own as they are taken: rows that hold
/// nothing are not rows, and the first rows may be looked at before any is taken.
pub struct Sheet {
    label: String,
    name: String,
    rx: Receiver<std::result::Result<Batch, Stop>>,
    /// Batches received and not yet read through, and the next row of the first.
    ahead: VecDeque<Batch>,
    at: usize,
    done: bool,
}

impl Sheet {
    /// Runs `send` on a thread of its own; its rows are this sheet's.
    fn spawn(
        label: &str,
        name: &str,
        send: impl FnOnce(&mut RowSender) -> std::result::Result<(), Stop> + Send + 'static,
    ) -> Sheet {
        let (tx, rx) = sync_channel(AHEAD);
        let thread = std::thread::Builder::new().name("popdelta-sheet".into());
        let spawned = {
            let tx = tx.clone();
            thread.spawn(move || {
                let mut rows = RowSender {
                    tx: tx.clone(),
                    batch: Batch::default(),
                    row: None,
                    cells: Vec::new(),
                    used: 0,
                    sent: 0,
                };
                let sent = send(&mut rows).and_then(|()| rows.finish());
                if let Err(stop) = sent {
                    // The reader may be gone already; then nobody needs to hear it.
                    let _ = tx.send(Err(stop));
                }
            })
        };
        if let Err(e) = spawned {
            let _ = tx.send(Err(sheet_error(format!(
                "no thread to read the sheet ({e})"
            ))));
        }
        Sheet {
            label: label.to_owned(),
            name: name.to_owned(),
            rx,
            ahead: VecDeque::new(),
            at: 0,
            done: false,
        }
    }

    /// The sheet's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Takes the next batch into `ahead`; false at the end.
    fn more(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        match self.rx.recv() {
            Ok(Ok(batch)) => {
                self.ahead.push_back(batch);
                Ok(true)
            }
            Ok(Err(stop)) => {
                self.done = true;
                Err(self.refusal(stop))
            }
            Err(_) => {
                self.done = true;
                Ok(false)
            }
        }
    }

    /// A refusal from the sheet's thread, with its place.
    fn refusal(&self, stop: Stop) -> Error {
        match stop.cell {
            Some((row, col)) => Error::input(
                Location::at(
                    &self.label,
                    u64::from(row) + 1,
                    format!("{}!{}", self.name, cell_name(row, col)),
                    None,
                ),
                stop.text,
                "",
                "shorten the cell in the sheet, or save the table as CSV",
            ),
            None => Error::Usage(format!("{}: {}", self.label, stop.text)),
        }
    }

    /// Rows held and not yet taken.
    fn held(&self) -> usize {
        self.ahead.iter().map(Batch::len).sum::<usize>() - self.at
    }

    /// The first `n` rows, trimmed, with their row numbers: what the layout is found from.
    pub fn first_rows(&mut self, n: usize) -> Result<Vec<(u64, Vec<String>)>> {
        while self.held() < n && self.more()? {}
        let mut out = Vec::with_capacity(n);
        let mut row = Row::default();
        let mut at = self.at;
        for batch in &self.ahead {
            for i in at..batch.len() {
                if out.len() == n {
                    return Ok(out);
                }
                batch.get(i, &mut row);
                let cells = row
                    .cells
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).trim().to_owned())
                    .collect();
                out.push((row.line, cells));
            }
            at = 0;
        }
        Ok(out)
    }

    /// The line of the next row, if one is held.
    fn next_line(&self) -> Option<u64> {
        self.ahead
            .front()
            .and_then(|b| b.rows.get(self.at))
            .map(|r| r.0)
    }

    /// Steps past the next row held.
    fn advance(&mut self) {
        self.at += 1;
        if self.ahead.front().is_some_and(|b| self.at >= b.len()) {
            self.ahead.pop_front();
            self.at = 0;
        }
    }

    /// Passes over the rows up to row `line` (the lines before a header).
    pub fn skip_to(&mut self, line: u64) -> Result<()> {
        loop {
            while self.next_line().is_some_and(|l| l <= line) {
                self.advance();
            }
            if self.next_line().is_some() || !self.more()? {
                return Ok(());
            }
        }
    }
}

impl Records for Sheet {
    fn next(&mut self, row: &mut Row) -> Result<bool> {
        loop {
            if let Some(batch) = self.ahead.front()
                && self.at < batch.len()
            {
                batch.get(self.at, row);
                self.advance();
                return Ok(true);
            }
            if self.ahead.front().is_some() {
                self.ahead.pop_front();
                self.at = 0;
                continue;
            }
            if !self.more()? {
                return Ok(false);
            }
        }
    }

    fn start(&self) -> Start {
        Start::Sheet(self.name.clone())
    }
}

/// A cell's name as a spreadsheet shows it: column letters and row number (0-based in).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

/// A cell as text: numbers in their shortest exact decimal form (a whole float without
/// ".0"), errors (#N/A) as empty.
pub fn cell_text(cell: &Data) -> Cow<'_, str> {
    match cell {
        Data::Empty | Data::Error(_) => Cow::Borrowed(""),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cow::Borrowed(s),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cow::Owned(format!("{f:.0}")),
        Data::Float(f) => Cow::Owned(f.to_string()),
        Data::Bool(b) => Cow::Owned(b.to_string()),
        Data::DateTime(d) => Cow::Owned(d.to_string()),
    }
}

/// [`cell_text`] of a cell as an xlsx sheet's reader gives it.
fn ref_text<'a>(cell: &'a DataRef<'a>) -> Cow<'a, str> {
    match cell {
        DataRef::SharedString(s) => Cow::Borrowed(s),
        DataRef::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(cell_text(&Data::from(other.clone())).into_owned()),
    }
}

/// Reads a whole workbook into memory, within `max` bytes.
pub fn slurp(label: &str, reader: impl Read, max: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: label.into(),
            source,
        })?;
    if bytes.len() as u64 > max {
        return Err(Error::Usage(format!(
            "{label}: a workbook or archive over {} MiB; unpack it or save the table as CSV",
            max >> 20
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
