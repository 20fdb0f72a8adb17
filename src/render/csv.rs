//! CSV and TSV: plain numbers, one row per region, group and total.

use std::io;

use super::{columns, csv_io, spreadsheet_safe};
use crate::compute::{Comparison, Line};

/// The cells of one line in column order, numbers plain and text spreadsheet-safe.
pub fn cells(line: &Line, with_components: bool) -> Vec<String> {
    let int = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut row = vec![
        line.level.name().to_owned(),
        spreadsheet_safe(&line.region).into_owned(),
        spreadsheet_safe(line.group.as_deref().unwrap_or("")).into_owned(),
        int(line.pop_from),
        int(line.pop_to),
        int(line.change),
        line.change_pct.map(|p| p.to_string()).unwrap_or_default(),
    ];
    if with_components {
        let c = line.components;
        row.push(int(c.map(|c| c.natural_increase)));
        row.push(int(c.map(|c| c.net_migration)));
        row.push(
            c.and_then(|c| c.net_migration_per_1000)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        );
    }
    row
}

/// Writes the comparison as CSV (or TSV, by the delimiter) with a header row.
pub fn write(out: &mut dyn io::Write, cmp: &Comparison, delimiter: u8) -> io::Result<()> {
    let header = columns(cmp);
    let with_components = header.len() > 7;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .from_writer(out);
    w.write_record(&header).map_err(csv_io)?;
    for line in &cmp.lines {
        w.write_record(cells(line, with_components))
            .map_err(csv_io)?;
    }
    w.flush()
}
