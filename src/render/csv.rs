//! CSV and TSV: plain numbers, one row per region, group and total.
//!
//! Rows are formatted straight into byte buffers (no allocation per row), and large
//! sections are formatted in batches on every core, then written in order: millions of
//! rows stream at the speed of the writer.

use std::io;

use super::{columns, spreadsheet_safe};
use crate::compute::{Comparison, Line};
use crate::number::Milli;

/// Region rows formatted by one thread at a time.
const BATCH: usize = 16 * 1024;

/// How rows are written: the delimiter, and whether the component columns are there.
#[derive(Clone, Copy)]
struct Style {
    delimiter: u8,
    components: bool,
}

impl Style {
    /// A text field, quoted if it holds the delimiter, a quote or a line break.
    fn text(self, buf: &mut Vec<u8>, text: &str) {
        let safe = spreadsheet_safe(text);
        let bytes = safe.as_bytes();
        let d = self.delimiter;
        if bytes
            .iter()
            .any(|&b| b == d || b == b'"' || b == b'\n' || b == b'\r')
        {
            buf.push(b'"');
            for &b in bytes {
                if b == b'"' {
                    buf.push(b'"');
                }
                buf.push(b);
            }
            buf.push(b'"');
        } else {
            buf.extend_from_slice(bytes);
        }
    }

    fn int(self, buf: &mut Vec<u8>, v: Option<i64>) {
        buf.push(self.delimiter);
        if let Some(n) = v {
            buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
    }

    /// Thousandths as `-0.101`, as [`Milli`]'s `Display` writes them.
    fn milli(self, buf: &mut Vec<u8>, v: Option<Milli>) {
        buf.push(self.delimiter);
        if let Some(Milli(m)) = v {
            if m < 0 {
                buf.push(b'-');
            }
            let abs = m.unsigned_abs();
            buf.extend_from_slice(itoa::Buffer::new().format(abs / 1000).as_bytes());
            let frac = (abs % 1000) as u16;
            buf.extend_from_slice(&[
                b'.',
                b'0' + (frac / 100) as u8,
                b'0' + (frac / 10 % 10) as u8,
                b'0' + (frac % 10) as u8,
            ]);
        }
    }

    /// One row, fields in column order, ending in a newline.
    fn line(self, buf: &mut Vec<u8>, line: &Line) {
        buf.extend_from_slice(line.level.name().as_bytes());
        buf.push(self.delimiter);
        self.text(buf, line.region);
        buf.push(self.delimiter);
        self.text(buf, line.group.unwrap_or(""));
        self.int(buf, line.pop_from);
        self.int(buf, line.pop_to);
        self.int(buf, line.change);
        self.milli(buf, line.change_pct);
        if self.components {
            let c = line.components;
            self.int(buf, c.map(|c| c.natural_increase));
            self.int(buf, c.map(|c| c.net_migration));
            self.milli(buf, c.and_then(|c| c.net_migration_per_1000));
        }
        buf.push(b'\n');
    }
}

/// Writes the comparison as CSV (or TSV, by the delimiter) with a header row.
pub fn write(out: &mut dyn io::Write, cmp: &Comparison, delimiter: u8) -> io::Result<()> {
    let header = columns(cmp);
    let style = Style {
        delimiter,
        components: header.len() > 7,
    };
    let mut buf = Vec::with_capacity(64 * 1024);
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            buf.push(delimiter);
        }
        style.text(&mut buf, h);
    }
    buf.push(b'\n');
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    for section in &cmp.sections {
        for batch in section.members.chunks(BATCH * threads) {
            if batch.len() <= BATCH {
                for &r in batch {
                    style.line(&mut buf, &cmp.region_line(r));
                }
            } else {
                out.write_all(&buf)?;
                buf.clear();
                for rows in formatted(cmp, style, batch)? {
                    out.write_all(&rows)?;
                }
            }
            if buf.len() >= 64 * 1024 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        if let Some(summary) = &section.summary {
            style.line(&mut buf, summary);
        }
    }
    style.line(&mut buf, &cmp.total);
    out.write_all(&buf)?;
    out.flush()
}

/// The rows of regions `batch`, formatted in shares of [`BATCH`] on as many threads.
fn formatted(cmp: &Comparison, style: Style, batch: &[usize]) -> io::Result<Vec<Vec<u8>>> {
    let share = |rows: &[usize]| {
        let mut buf = Vec::with_capacity(rows.len() * 48);
        for &r in rows {
            style.line(&mut buf, &cmp.region_line(r));
        }
        buf
    };
    std::thread::scope(|s| {
        let mut shares = batch.chunks(BATCH);
        let first = shares.next().unwrap_or_default();
        let mut others = Vec::new();
        for rows in shares {
            // Rows no thread could be started for are formatted here.
            let work = move || share(rows);
            match std::thread::Builder::new().spawn_scoped(s, work) {
                Ok(h) => others.push(Err(h)),
                Err(_) => others.push(Ok(share(rows))),
            }
        }
        let mut done = vec![share(first)];
        for h in others {
            done.push(match h {
                Ok(rows) => rows,
                Err(h) => h
                    .join()
                    .map_err(|_| io::Error::other("a formatting thread failed"))?,
            });
        }
        Ok(done)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        for text in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "",
            "北京",
            "x\ty",
        ] {
            let mut ours = Vec::new();
            Style {
                delimiter: b',',
                components: false,
            }
            .text(&mut ours, text);
            let mut w = ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            w.write_field(text).unwrap();
            w.write_field("").unwrap();
            w.write_record(None::<&[u8]>).unwrap();
            let theirs = w.into_inner().unwrap();
            // The csv crate's record: the field, a comma, an empty field, a newline.
            assert_eq!(ours, theirs[..theirs.len() - 2], "{text:?}");
        }
    }

    #[test]
    fn thousandths_print_as_milli_displays_them() {
        for m in [
            0,
            5,
            -5,
            101,
            -101,
            1000,
            -1999,
            123_456_789,
            i128::from(i64::MIN),
        ] {
            let mut buf = vec![];
            Style {
                delimiter: b',',
                components: false,
            }
            .milli(&mut buf, Some(Milli(m)));
            assert_eq!(buf[1..], *Milli(m).to_string().as_bytes(), "{m}");
        }
    }
}
