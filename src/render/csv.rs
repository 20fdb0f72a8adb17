//! CSV and TSV: plain numbers, one row per region, group and total.
//!
//! Rows are formatted straight into byte buffers (no allocation per row), and large
//! sections are formatted in batches on every core, then written in order: millions of
//! rows stream at the speed of the writer.

use crate::period::Period;
use std::io;

use super::{Naming, Options, Shape, columns, spreadsheet_safe};
use crate::compute::{Comparison, Figures, Level, Line, figures};
use crate::number::Milli;
use crate::panel::{Column, ComponentsKind};

/// Region rows formatted by one thread at a time: a buffer of about a megabyte, of which
/// a few per thread are in flight.
const BATCH: usize = 16 * 1024;

/// How rows are written: the delimiter, and which optional columns are there.
#[derive(Clone, Copy)]
pub(super) struct Style<'u> {
    pub(super) delimiter: u8,
    pub(super) shape: Shape,
    /// With `--quality`: each row's confidence and precision last.
    pub(super) quality: bool,
    /// The unit of figures that are not persons, written last in every row.
    pub(super) unit: Option<&'u str>,
    /// Text cells guarded against running as formulas (not for a workbook, whose typed
    /// text cells never run).
    pub(super) guard: bool,
}

impl Style<'_> {
    /// Names and figures only, fields split by `delimiter`.
    pub(super) fn new(delimiter: u8) -> Style<'static> {
        Style {
            delimiter,
            shape: Shape::PLAIN,
            quality: false,
            unit: None,
            guard: true,
        }
    }

    /// A text field, quoted if it holds the delimiter, a quote or a line break.
    pub(super) fn text(self, buf: &mut Vec<u8>, text: &str) {
        let safe = if self.guard {
            spreadsheet_safe(text)
        } else {
            std::borrow::Cow::Borrowed(text)
        };
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

    pub(super) fn int(self, buf: &mut Vec<u8>, v: Option<i64>) {
        buf.push(self.delimiter);
        if let Some(n) = v {
            buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
    }

    /// A population, or a value of another unit with its decimals.
    pub(super) fn figure(self, buf: &mut Vec<u8>, v: Option<i64>) {
        if self.shape.decimals == 0 {
            return self.int(buf, v);
        }
        buf.push(self.delimiter);
        if let Some(n) = v {
            buf.extend_from_slice(crate::number::scaled(n.into(), self.shape.decimals).as_bytes());
        }
    }

    /// Thousandths as `-0.101`, as [`Milli`]'s `Display` writes them.
    pub(super) fn milli(self, buf: &mut Vec<u8>, v: Option<Milli>) {
        buf.push(self.delimiter);
        if let Some(Milli(m)) = v {
            if m < 0 {
                buf.push(b'-');
            }
            let abs = m.unsigned_abs();
            // 64-bit division where it fits: 128-bit division is a slow library call.
            let (int, frac) = match u64::try_from(abs) {
                Ok(a) => (u128::from(a / 1000), (a % 1000) as u16),
                Err(_) => (abs / 1000, (abs % 1000) as u16),
            };
            buf.extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
            buf.extend_from_slice(&decimals(frac));
        }
    }

    /// A region's row from its figures, as [`Comparison::region_line`] gives it when there
    /// are no components: `group` is its group field, written already.
    fn plain_region(self, buf: &mut Vec<u8>, name: &str, group: &[u8], f: Figures) {
        let d = self.delimiter;
        buf.extend_from_slice(Level::Region.name().as_bytes());
        buf.push(d);
        self.text(buf, name);
        buf.push(d);
        buf.extend_from_slice(group);
        self.figure(buf, f.pop_from);
        self.figure(buf, f.pop_to);
        self.figure(buf, f.change);
        self.milli(buf, f.change_pct);
        self.unit(buf);
        buf.push(b'\n');
    }

    /// The unit column of values of another unit than persons.
    fn unit(self, buf: &mut Vec<u8>) {
        if let Some(unit) = self.unit {
            buf.push(self.delimiter);
            self.text(buf, unit);
        }
    }

    /// [`Style::plain_region`] for the common row, put together on the stack and copied
    /// once (millions of small copies cost more than the digits): a name that needs no
    /// quotes or neutralising, and both populations. Whether it wrote the row to `row`
    /// (emptied first); any other row is left to the general path.
    fn short_plain_region(self, row: &mut Row, name: &str, group: &[u8], f: Figures) -> bool {
        let d = self.delimiter;
        let bytes = name.as_bytes();
        // No early exit, so that the loop runs on vectors; control characters (tab,
        // line breaks among them) take the general path.
        let odd = bytes
            .iter()
            .fold(false, |odd, &c| odd | (c == d) | (c == b'"') | (c < b' '));
        let (Some(a), Some(b), Some(change)) = (f.pop_from, f.pop_to, f.change) else {
            return false;
        };
        if self.unit.is_some() {
            return false;
        }
        if odd
            || bytes.len() + group.len() > Row::TEXT
            || matches!(bytes.first(), Some(b'=' | b'+' | b'-' | b'@'))
        {
            return false;
        }
        let pct = match f.change_pct.map(|Milli(m)| i64::try_from(m)) {
            Some(Ok(m)) => Some(m),
            Some(Err(_)) => return false,
            None => None,
        };
        row.len = 0;
        row.put(b"region");
        row.byte(d);
        row.put(bytes);
        row.byte(d);
        row.put(group);
        row.byte(d);
        row.int(a);
        row.byte(d);
        row.int(b);
        row.byte(d);
        row.int(change);
        row.byte(d);
        if let Some(m) = pct {
            if m < 0 {
                row.byte(b'-');
            }
            let abs = m.unsigned_abs();
            row.uint(abs / 1000);
            row.put(&decimals((abs % 1000) as u16));
        }
        row.byte(b'\n');
        true
    }

    /// One row, fields in column order, ending in a newline.
    fn line(self, buf: &mut Vec<u8>, line: &Line) {
        self.names(buf, line.level, line.region, line.region_zh, line.group);
        self.figures(buf, line);
    }

    /// A row of `--yearly`: the names, the pair of years, then the figures.
    pub(super) fn step(self, buf: &mut Vec<u8>, line: &Line, from: Period, to: Period) {
        self.names(buf, line.level, line.region, line.region_zh, line.group);
        for period in [from, to] {
            buf.push(self.delimiter);
            self.text(buf, &period.to_string());
        }
        self.figures(buf, line);
    }

    /// The first fields of every row: level, region (and region_zh), group.
    pub(super) fn names(
        self,
        buf: &mut Vec<u8>,
        level: Level,
        region: &str,
        zh: Option<&str>,
        group: Option<&str>,
    ) {
        buf.extend_from_slice(level.name().as_bytes());
        buf.push(self.delimiter);
        let (region, zh) = self.shape.names(region, zh);
        self.text(buf, region);
        buf.push(self.delimiter);
        if let Some(zh) = zh {
            self.text(buf, zh);
            buf.push(self.delimiter);
        }
        self.text(buf, group.unwrap_or(""));
    }

    /// A row's figures after its names, ending in a newline.
    fn figures(self, buf: &mut Vec<u8>, line: &Line) {
        self.figure(buf, line.pop_from);
        self.figure(buf, line.pop_to);
        self.figure(buf, line.change);
        self.milli(buf, line.change_pct);
        if self.shape.components {
            let c = line.components;
            self.int(buf, c.map(|c| c.natural_increase));
            self.int(buf, c.map(|c| c.net_migration));
            self.milli(buf, c.and_then(|c| c.net_migration_per_1000));
        }
        if self.shape.residual {
            self.int(buf, line.components.and_then(|c| c.residual));
        }
        if self.quality {
            let q = &line.quality;
            for confidence in [q.confidence_from, q.confidence_to] {
                buf.push(self.delimiter);
                buf.extend_from_slice(confidence.map_or("", |c| c.name()).as_bytes());
            }
            self.int(buf, line.change.map(|_| q.change()));
        }
        self.unit(buf);
        buf.push(b'\n');
    }
}

/// Writes the comparison as CSV (or TSV, by the delimiter) with a header row.
///
/// With `quality`, three columns follow: `confidence_from` and `confidence_to` (the lowest
/// confidence of the figures in the row, where the source says) and `precision` (± persons
/// on the change, from the digits the figures were published to).
pub fn write(
    out: &mut dyn io::Write,
    cmp: &Comparison,
    delimiter: u8,
    opts: Options,
) -> io::Result<()> {
    let threads = crate::threads::count();
    let unit = cmp.panel.info.values.as_ref().map(|v| v.unit.as_str());
    let style = Style {
        delimiter,
        shape: Shape::of(cmp, opts.naming, Naming::En),
        quality: opts.quality,
        unit,
        guard: !opts.unguarded,
    };
    write_on(out, cmp, style, threads)
}

/// The columns `--quality` adds.
pub const QUALITY_COLUMNS: [&str; 3] = ["confidence_from", "confidence_to", "precision"];

/// [`write`] with `threads` threads formatting rows.
fn write_on(
    out: &mut dyn io::Write,
    cmp: &Comparison,
    style: Style<'_>,
    threads: usize,
) -> io::Result<()> {
    let delimiter = style.delimiter;
    let mut header = columns(cmp, style.shape);
    if style.quality {
        header.extend(QUALITY_COLUMNS.map(str::to_owned));
    }
    let mut buf = Vec::with_capacity(64 * 1024);
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            buf.push(delimiter);
        }
        style.text(&mut buf, h);
    }
    buf.push(b'\n');
    let rows: Vec<Rows> = cmp
        .sections
        .iter()
        .map(|s| Rows::new(cmp, style, s.group))
        .collect();
    // The output in order: batches of region rows, and group and total rows between.
    let mut pieces = Vec::new();
    for (section, rows) in cmp.sections.iter().zip(&rows) {
        for batch in section.members.chunks(BATCH) {
            pieces.push(Piece::Regions(rows, batch));
        }
        if let Some(summary) = &section.summary {
            pieces.push(Piece::Line(summary));
        }
    }
    if cmp.totalled() {
        pieces.push(Piece::Line(&cmp.total));
    }
    let aggregates: Vec<Line> = cmp.aggregate_lines().collect();
    pieces.extend(aggregates.iter().map(Piece::Line));
    let batches: Vec<(&Rows, &[u32])> = pieces
        .iter()
        .filter_map(|p| match *p {
            Piece::Regions(rows, regions) => Some((rows, regions)),
            Piece::Line(_) => None,
        })
        .collect();
    // Threads pay for themselves only on many rows (the bundled data has 31).
    if cmp.shown() < 2 * BATCH || threads < 2 {
        for piece in &pieces {
            match *piece {
                Piece::Regions(rows, regions) => rows.write(&mut buf, regions),
                Piece::Line(line) => style.line(&mut buf, line),
            }
            if buf.len() >= 64 * 1024 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        out.write_all(&buf)?;
        return out.flush();
    }
    // Helper threads format the batches, taking turns; this thread writes them in order
    // as they come, so that formatting and writing overlap.
    std::thread::scope(|s| {
        let mut helpers = Vec::with_capacity(threads);
        for w in 0..threads {
            let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
            let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<u8>>();
            let mine: Vec<(&Rows, &[u32])> =
                batches.iter().skip(w).step_by(threads).copied().collect();
            let work = move || {
                for (rows, regions) in mine {
                    // Buffers come back to be reused: fresh memory costs more than rows.
                    let mut buf = free_rx.try_recv().unwrap_or_default();
                    buf.clear();
                    rows.write(&mut buf, regions);
                    if done_tx.send(buf).is_err() {
                        return; // the writer stopped (an error): so do we
                    }
                }
            };
            std::thread::Builder::new()
                .spawn_scoped(s, work)
                .map_err(|e| io::Error::other(format!("no thread to format rows: {e}")))?;
            helpers.push((done_rx, free_tx));
        }
        let mut next = 0;
        for piece in &pieces {
            match *piece {
                Piece::Regions(..) => {
                    out.write_all(&buf)?;
                    buf.clear();
                    let (done, free) = &helpers[next % threads];
                    next += 1;
                    let rows = done
                        .recv()
                        .map_err(|_| io::Error::other("a formatting thread failed"))?;
                    out.write_all(&rows)?;
                    let _ = free.send(rows);
                }
                Piece::Line(line) => style.line(&mut buf, line),
            }
        }
        out.write_all(&buf)?;
        out.flush()
    })
}

/// Thousandths (below 1,000) as `.ddd`.
fn decimals(frac: u16) -> [u8; 4] {
    [
        b'.',
        b'0' + (frac / 100) as u8,
        b'0' + (frac / 10 % 10) as u8,
        b'0' + (frac % 10) as u8,
    ]
}

/// A short row built in place: text fields of at most [`Row::TEXT`] bytes in all, and
/// room for the numbers of a plain region row.
struct Row {
    bytes: [u8; Row::SIZE],
    len: usize,
}

impl Row {
    /// Bytes of region and group text a row may hold.
    const TEXT: usize = 96;
    /// The text, "region", four numbers of at most 20 characters, a percent of at most 25,
    /// delimiters and the newline.
    const SIZE: usize = Row::TEXT + 6 + 4 * 20 + 25 + 8;

    fn new() -> Row {
        Row {
            bytes: [0; Row::SIZE],
            len: 0,
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn byte(&mut self, b: u8) {
        self.bytes[self.len] = b;
        self.len += 1;
    }

    fn put(&mut self, s: &[u8]) {
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    fn int(&mut self, n: i64) {
        if n < 0 {
            self.byte(b'-');
        }
        self.uint(n.unsigned_abs());
    }

    /// Digits written in place, two a step from the last back (as itoa does, without
    /// the copy out of its buffer).
    fn uint(&mut self, mut n: u64) {
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        let digits = n.checked_ilog10().map_or(1, |l| l as usize + 1);
        let mut i = self.len + digits;
        self.len = i;
        while n >= 100 {
            let pair = (n % 100) as usize * 2;
            n /= 100;
            i -= 2;
            self.bytes[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        }
        if n >= 10 {
            let pair = n as usize * 2;
            self.bytes[i - 2..i].copy_from_slice(&PAIRS[pair..pair + 2]);
        } else {
            self.bytes[i - 1] = b'0' + n as u8;
        }
    }
}

/// A piece of the output: a batch of region rows, or one group or total row.
enum Piece<'a> {
    Regions(&'a Rows<'a, 'a>, &'a [u32]),
    Line(&'a Line<'a>),
}

/// How one section's region rows are written.
struct Rows<'c, 'p> {
    cmp: &'c Comparison<'p>,
    style: Style<'c>,
    /// Without components, rows come straight from these columns; the group field is
    /// the same for the whole section.
    plain: Option<(Column<'p>, Column<'p>, Vec<u8>)>,
}

impl<'c, 'p> Rows<'c, 'p> {
    fn new(cmp: &'c Comparison<'p>, style: Style<'c>, group: Option<&str>) -> Rows<'c, 'p> {
        let panel = cmp.panel;
        let columns = (panel.column(cmp.from), panel.column(cmp.to));
        let plain = match columns {
            (Some(from), Some(to))
                if style.shape == Shape::PLAIN
                    && !style.quality
                    && cmp.components == ComponentsKind::None =>
            {
                let mut field = Vec::new();
                style.text(&mut field, group.unwrap_or(""));
                Some((from, to, field))
            }
            _ => None,
        };
        Rows { cmp, style, plain }
    }

    /// Appends the rows of regions `regions`.
    fn write(&self, buf: &mut Vec<u8>, regions: &[u32]) {
        match &self.plain {
            Some((from, to, group)) => {
                let names = self.cmp.panel;
                let mut row = Row::new();
                for &r in regions {
                    let r = r as usize;
                    let f = figures(from.get(r), to.get(r));
                    let name = names.name(r);
                    if self.style.short_plain_region(&mut row, name, group, f) {
                        buf.extend_from_slice(row.bytes());
                    } else {
                        self.style.plain_region(buf, name, group, f);
                    }
                }
            }
            None => {
                for &r in regions {
                    self.style.line(buf, &self.cmp.region_line(r as usize));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::Panel;

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
            Style::new(b',').text(&mut ours, text);
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
    fn plain_rows_are_the_rows_region_line_gives() {
        use crate::panel::{Names, PanelInfo};
        let mut names = Names::default();
        for n in ["A", "B, C", "=SUM(1)", "D \"q\"", "E", "F", "G"] {
            names.push(n);
        }
        let m = Panel::MISSING;
        let panel = Panel::from_columns(
            PanelInfo::default(),
            names,
            vec!["north".into(), "south, east".into()],
            vec![Some(0), None, Some(1), Some(0), None, Some(1), Some(0)],
            vec![
                (Period::year(2016), vec![100, m, 0, 5, -5, 7, 21_729_000]),
                (Period::year(2017), vec![90, 3, 10, m, 4, 7, 21_707_000]),
            ],
        );
        let cmp = crate::compute::compare(&panel, 2016, 2017).unwrap();
        for delimiter in [b',', b'\t'] {
            let style = Style::new(delimiter);
            for section in &cmp.sections {
                let rows = Rows::new(&cmp, style, section.group);
                assert!(rows.plain.is_some());
                let (mut plain, mut lines) = (Vec::new(), Vec::new());
                rows.write(&mut plain, &section.members);
                for &r in &section.members {
                    style.line(&mut lines, &cmp.region_line(r as usize));
                }
                assert_eq!(
                    String::from_utf8_lossy(&plain),
                    String::from_utf8_lossy(&lines)
                );
            }
        }
    }

    #[test]
    fn rows_formatted_on_threads_come_out_in_order() {
        use crate::panel::{Names, PanelInfo};
        let n = 2 * BATCH + 123;
        let mut names = Names::default();
        for i in 0..n {
            names.push(&format!("R{i}"));
        }
        let panel = Panel::from_columns(
            PanelInfo::default(),
            names,
            vec!["a".into(), "b".into()],
            (0..n).map(|i| Some((i % 3 == 0) as u32)).collect(),
            vec![
                (Period::year(2016), (0..n as i64).collect()),
                (Period::year(2017), (0..n as i64).map(|v| v * 2).collect()),
            ],
        );
        let cmp = crate::compute::compare(&panel, 2016, 2017).unwrap();
        let mut one = Vec::new();
        write_on(&mut one, &cmp, Style::new(b','), 1).unwrap();
        let mut three = Vec::new();
        write_on(&mut three, &cmp, Style::new(b','), 3).unwrap();
        assert_eq!(one.len(), three.len());
        assert!(one == three, "threaded output differs");
        let text = String::from_utf8(one).unwrap();
        assert_eq!(text.lines().count(), n + 1 + 2 + 1);
        assert!(text.contains("\nregion,R1,a,1,2,1,100.000\n"));
    }

    proptest::proptest! {
        #[test]
        fn rows_made_on_the_stack_are_the_general_rows(
            name in proptest::prop_oneof![
                proptest::string::string_regex("[A-Za-z0-9 ,-]{1,12}").unwrap(),
                proptest::string::string_regex(".{0,100}").unwrap(),
            ],
            a in proptest::prop_oneof![0..10_000_000i64, (i64::MIN + 1)..=i64::MAX],
            b in proptest::prop_oneof![0..10_000_000i64, (i64::MIN + 1)..=i64::MAX],
            tab in proptest::bool::ANY,
        ) {
            let style = Style::new(if tab { b'\t' } else { b',' });
            let mut group = Vec::new();
            style.text(&mut group, "north");
            let mut row = Row::new();
            let mut general = Vec::new();
            let f = figures(Some(a), Some(b));
            style.plain_region(&mut general, &name, &group, f);
            if style.short_plain_region(&mut row, &name, &group, f) {
                proptest::prop_assert_eq!(
                    String::from_utf8_lossy(row.bytes()),
                    String::from_utf8_lossy(&general)
                );
            }
        }
    }

    #[test]
    fn the_common_row_is_made_on_the_stack() {
        let style = Style::new(b',');
        let mut row = Row::new();
        assert!(style.short_plain_region(
            &mut row,
            "Beijing",
            b"north",
            figures(Some(21_729_000), Some(21_707_000))
        ));
        assert_eq!(
            row.bytes(),
            b"region,Beijing,north,21729000,21707000,-22000,-0.101\n"
        );
        assert!(style.short_plain_region(&mut row, "a", b"", figures(Some(0), Some(100))));
        assert_eq!(row.bytes(), b"region,a,,0,100,100,\n");
        assert!(!style.short_plain_region(&mut row, "=cmd", b"", figures(Some(1), Some(2))));
        assert!(!style.short_plain_region(&mut row, "a,b", b"", figures(Some(1), Some(2))));
        assert!(!style.short_plain_region(&mut row, "a", b"", figures(None, Some(2))));
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
            Style::new(b',').milli(&mut buf, Some(Milli(m)));
            assert_eq!(buf[1..], *Milli(m).to_string().as_bytes(), "{m}");
        }
    }
}
