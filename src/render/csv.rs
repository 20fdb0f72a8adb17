//! CSV and TSV: plain numbers, one row per region, group and total.
//!
//! Written field by field from the row, numbers formatted into a stack buffer: no
//! allocation per row, so millions of rows stream at the speed of the writer.

use std::io::{self, Write};

use super::{columns, csv_io, spreadsheet_safe};
use crate::compute::{Comparison, Line};
use crate::number::Milli;

/// A small buffer that formats one number at a time.
#[derive(Default)]
struct Num {
    int: itoa::Buffer,
    text: Vec<u8>,
}

impl Num {
    fn int(&mut self, v: Option<i64>) -> &[u8] {
        match v {
            Some(n) => self.int.format(n).as_bytes(),
            None => b"",
        }
    }

    fn milli(&mut self, v: Option<Milli>) -> &[u8] {
        self.text.clear();
        if let Some(m) = v {
            // Milli's Display writes "-0.101"; into a reused buffer, not a new String.
            let _ = write!(self.text, "{m}");
        }
        &self.text
    }
}

/// Writes one line's fields in column order.
fn write_line<W: io::Write>(
    w: &mut ::csv::Writer<W>,
    num: &mut Num,
    line: &Line,
    with_components: bool,
) -> ::csv::Result<()> {
    w.write_field(line.level.name())?;
    w.write_field(spreadsheet_safe(line.region).as_bytes())?;
    w.write_field(spreadsheet_safe(line.group.unwrap_or("")).as_bytes())?;
    w.write_field(num.int(line.pop_from))?;
    w.write_field(num.int(line.pop_to))?;
    w.write_field(num.int(line.change))?;
    w.write_field(num.milli(line.change_pct))?;
    if with_components {
        let c = line.components;
        w.write_field(num.int(c.map(|c| c.natural_increase)))?;
        w.write_field(num.int(c.map(|c| c.net_migration)))?;
        w.write_field(num.milli(c.and_then(|c| c.net_migration_per_1000)))?;
    }
    w.write_record(None::<&[u8]>)
}

/// Writes the comparison as CSV (or TSV, by the delimiter) with a header row.
pub fn write(out: &mut dyn io::Write, cmp: &Comparison, delimiter: u8) -> io::Result<()> {
    let header = columns(cmp);
    let with_components = header.len() > 7;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_writer(out);
    w.write_record(&header).map_err(csv_io)?;
    let mut num = Num::default();
    for line in cmp.lines() {
        write_line(&mut w, &mut num, &line, with_components).map_err(csv_io)?;
    }
    w.flush()
}
