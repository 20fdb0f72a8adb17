//! A trend in every format: one row per region, group and the total with its statistics;
//! or with `--yearly`, the long rows of every consecutive pair of years.

pub mod svg;
pub mod table;

use crate::period::Period;
use std::io;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::csv::Style;
use super::{BOM, Format, Naming, Options, Shape};
use crate::compute::trend::{Step, Trend, TrendLine};
use crate::compute::{Level, Line};
use crate::panel::{ComponentsKind, PanelInfo};

/// The columns of a trend in CSV and JSON, in order.
pub const COLUMNS: [&str; 17] = [
    "level",
    "region",
    "group",
    "first_year",
    "last_year",
    "pop_first",
    "pop_last",
    "change",
    "change_pct",
    "cagr_pct",
    "peak_year",
    "peak",
    "trough_year",
    "trough",
    "years_down",
    "longest_decline",
    "decline_streak",
];

/// The columns of `--yearly`, with the components' where the data has them.
pub fn yearly_columns(trend: &Trend) -> Vec<&'static str> {
    let mut cols = vec![
        "level",
        "region",
        "group",
        "from",
        "to",
        "pop_from",
        "pop_to",
        "change",
        "change_pct",
    ];
    if trend.panel.components != ComponentsKind::None {
        cols.extend([
            "natural_increase",
            "net_migration",
            "net_migration_per_1000",
        ]);
        if trend.panel.published_migration {
            cols.push("residual");
        }
    }
    cols
}

/// Region rows formatted per batch, on every core when there are many.
const BATCH: usize = 16 * 1024;

/// Writes a trend in the given format.
pub fn write(
    out: &mut dyn io::Write,
    format: Format,
    trend: &Trend,
    info: &PanelInfo,
    opts: Options,
) -> io::Result<()> {
    if opts.bom && matches!(format, Format::Csv | Format::Tsv) {
        out.write_all(BOM)?;
    }
    match format {
        Format::Table => table::write(out, trend, info, opts),
        Format::Csv => write_csv(out, trend, b',', opts.naming, true),
        Format::Tsv => write_csv(out, trend, b'\t', opts.naming, true),
        Format::Json => write_json(out, trend, info),
        Format::Ndjson => {
            let d = trend.decimals();
            for line in trend.lines() {
                serde_json::to_writer(&mut *out, &Row(&line, d))?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Markdown => table::write_markdown(out, trend, info),
        Format::Xlsx => super::as_workbook(
            out,
            |buf| write_csv(buf, trend, b',', opts.naming, false),
            table::notes(trend, info),
            opts.said,
        ),
    }
}

/// The naming of a trend's CSV: as asked, where the data has Chinese names.
fn trend_naming(trend: &Trend, naming: Option<Naming>) -> Naming {
    let has_zh = (0..trend.panel.len()).any(|r| trend.panel.name_zh(r).is_some());
    Shape::naming(has_zh, naming, Naming::En)
}

/// One trend row as CSV.
fn csv_row(style: Style<'_>, buf: &mut Vec<u8>, line: &TrendLine) {
    style.names(buf, line.level, line.region, line.region_zh, line.group);
    let s = line.stats;
    let int = |buf: &mut Vec<u8>, v: Option<i64>| style.int(buf, v);
    let figure = |buf: &mut Vec<u8>, v: Option<i64>| style.figure(buf, v);
    let period = |buf: &mut Vec<u8>, p: Option<Period>| {
        buf.push(style.delimiter);
        if let Some(p) = p {
            style.text(buf, &p.to_string());
        }
    };
    period(buf, s.map(|s| s.first_year));
    period(buf, s.map(|s| s.last_year));
    figure(buf, s.map(|s| s.pop_first));
    figure(buf, s.map(|s| s.pop_last));
    figure(buf, s.and_then(|s| s.change));
    style.milli(buf, s.and_then(|s| s.change_pct));
    style.milli(buf, s.and_then(|s| s.cagr_pct));
    period(buf, s.map(|s| s.peak_year));
    figure(buf, s.map(|s| s.peak));
    period(buf, s.map(|s| s.trough_year));
    figure(buf, s.map(|s| s.trough));
    int(buf, s.map(|s| s.years_down.into()));
    int(buf, s.map(|s| s.longest_decline.into()));
    int(buf, s.map(|s| s.decline_streak.into()));
    buf.push(b'\n');
}

/// The header row.
fn header(style: Style<'_>, buf: &mut Vec<u8>, columns: &[&str]) {
    for (i, h) in columns.iter().enumerate() {
        if i > 0 {
            buf.push(style.delimiter);
        }
        style.text(buf, h);
    }
    buf.push(b'\n');
}

/// Writes region rows in batches, formatted on every core `threads` batches at a time,
/// each batch's bytes written in order.
fn write_batched(
    out: &mut dyn io::Write,
    members: &[u32],
    format: impl Fn(&mut Vec<u8>, &[u32]) + Sync,
) -> io::Result<()> {
    let threads = crate::threads::count();
    if members.len() < 2 * BATCH || threads < 2 {
        let mut buf = Vec::with_capacity(64 * 1024);
        for batch in members.chunks(BATCH) {
            format(&mut buf, batch);
            out.write_all(&buf)?;
            buf.clear();
        }
        return Ok(());
    }
    let batches: Vec<&[u32]> = members.chunks(BATCH).collect();
    // Buffers are reused round after round: fresh memory (zeroed by the kernel) costs
    // more than formatting the rows.
    let mut buffers: Vec<Vec<u8>> = (0..threads).map(|_| Vec::new()).collect();
    for round in batches.chunks(threads) {
        let work: Vec<(&[u32], Vec<u8>)> = round.iter().copied().zip(buffers.drain(..)).collect();
        buffers = crate::threads::map(
            work,
            |(batch, mut buf)| {
                buf.clear();
                format(&mut buf, batch);
                Ok(buf)
            },
            || io::Error::other("a formatting thread failed"),
        )?;
        for buf in &buffers {
            out.write_all(buf)?;
        }
        buffers.resize_with(threads, Vec::new);
    }
    Ok(())
}

/// Writes the trend as CSV (or TSV, by the delimiter) with a header row.
fn write_csv(
    out: &mut dyn io::Write,
    trend: &Trend,
    delimiter: u8,
    naming: Option<Naming>,
    guard: bool,
) -> io::Result<()> {
    let style = Style {
        guard,
        shape: Shape {
            naming: trend_naming(trend, naming),
            decimals: trend.decimals(),
            ..Shape::PLAIN
        },
        ..Style::new(delimiter)
    };
    let mut buf = Vec::new();
    header(style, &mut buf, &style.shape.columns(&COLUMNS));
    out.write_all(&buf)?;
    for section in &trend.sections {
        write_batched(out, &section.members, |buf, batch| {
            for &r in batch {
                csv_row(style, buf, &trend.region_line(r as usize));
            }
        })?;
        buf.clear();
        if let Some(summary) = &section.summary {
            csv_row(style, &mut buf, summary);
        }
        out.write_all(&buf)?;
    }
    buf.clear();
    if trend.totalled() {
        csv_row(style, &mut buf, &trend.total);
    }
    for &r in &trend.aggregates {
        let line = TrendLine {
            level: Level::Aggregate,
            ..trend.region_line(r as usize)
        };
        csv_row(style, &mut buf, &line);
    }
    out.write_all(&buf)?;
    out.flush()
}

/// A trend row as a JSON object: the CSV's columns, with the group counts on group and
/// total rows.
struct Row<'a, 'p>(&'a TrendLine<'p>, u32);

impl Serialize for Row<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.0;
        let st = l.stats;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("level", l.level.name())?;
        let region = (!l.region.is_empty()).then_some(l.region);
        m.serialize_entry("region", &region)?;
        if let Some(zh) = l.region_zh {
            m.serialize_entry("region_zh", zh)?;
        }
        m.serialize_entry("group", &l.group)?;
        m.serialize_entry("first_year", &st.map(|s| s.first_year))?;
        m.serialize_entry("last_year", &st.map(|s| s.last_year))?;
        let d = self.1;
        let figure = |v: Option<i64>| super::json::figure::<S>(v, d);
        m.serialize_entry("pop_first", &figure(st.map(|s| s.pop_first))?)?;
        m.serialize_entry("pop_last", &figure(st.map(|s| s.pop_last))?)?;
        m.serialize_entry("change", &figure(st.and_then(|s| s.change))?)?;
        let pct = st.and_then(|s| s.change_pct);
        m.serialize_entry("change_pct", &super::json::milli::<S>(pct)?)?;
        let cagr = st.and_then(|s| s.cagr_pct);
        m.serialize_entry("cagr_pct", &super::json::milli::<S>(cagr)?)?;
        m.serialize_entry("peak_year", &st.map(|s| s.peak_year))?;
        m.serialize_entry("peak", &figure(st.map(|s| s.peak))?)?;
        m.serialize_entry("trough_year", &st.map(|s| s.trough_year))?;
        m.serialize_entry("trough", &figure(st.map(|s| s.trough))?)?;
        m.serialize_entry("years_down", &st.map(|s| s.years_down))?;
        m.serialize_entry("longest_decline", &st.map(|s| s.longest_decline))?;
        m.serialize_entry("decline_streak", &st.map(|s| s.decline_streak))?;
        if st.is_some_and(|s| s.missing > 0) {
            m.serialize_entry("missing_years", &st.map(|s| s.missing))?;
        }
        if matches!(l.level, Level::Group | Level::Total) {
            m.serialize_entry("regions", &l.regions)?;
            m.serialize_entry("declined", &l.declined)?;
        }
        m.end()
    }
}

/// The rows, serialized one at a time as they are made.
struct Rows<'a, 'p>(&'a Trend<'p>);

impl Serialize for Rows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0.decimals();
        s.collect_seq(self.0.lines().map(|l| RowOwned(l, d)))
    }
}

/// [`Row`] over a row made as it is serialized.
struct RowOwned<'p>(TrendLine<'p>, u32);

impl Serialize for RowOwned<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Row(&self.0, self.1).serialize(s)
    }
}

/// A region left out of the sums, with the years it lacks.
#[derive(Serialize)]
struct ExcludedOut<'a> {
    region: &'a str,
    missing_years: &'a [Period],
}

#[derive(Serialize)]
struct Document<'a, 'p> {
    dataset: &'a str,
    description: &'a str,
    first_year: Period,
    last_year: Period,
    years: &'a [Period],
    unit: &'static str,
    source_unit: &'a str,
    grouping: Option<&'a str>,
    sources: &'a [String],
    columns: &'static [&'static str],
    hidden_regions: usize,
    rows: Rows<'a, 'p>,
    excluded: Vec<ExcludedOut<'a>>,
    notes: Vec<String>,
}

fn write_json(out: &mut dyn io::Write, trend: &Trend, info: &PanelInfo) -> io::Result<()> {
    let doc = Document {
        dataset: &info.dataset,
        description: &info.description,
        first_year: trend.first(),
        last_year: trend.last(),
        years: &trend.years,
        unit: "persons",
        source_unit: &info.source_unit,
        grouping: info.grouping.as_deref(),
        sources: &info.sources,
        columns: &COLUMNS,
        hidden_regions: trend.hidden,
        rows: Rows(trend),
        excluded: trend
            .excluded
            .iter()
            .map(|e| ExcludedOut {
                region: &e.region,
                missing_years: &e.missing,
            })
            .collect(),
        notes: table::notes(trend, info),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// Writes `--yearly`: every region's rows for each consecutive pair of years, then each
/// group's, the total's and the aggregates', in CSV, TSV, JSON lines or a JSON document.
pub fn write_yearly(
    out: &mut dyn io::Write,
    format: Format,
    trend: &Trend,
    steps: &[Step],
    info: &PanelInfo,
    opts: Options,
) -> io::Result<()> {
    if opts.bom && matches!(format, Format::Csv | Format::Tsv) {
        out.write_all(BOM)?;
    }
    let components = trend.panel.components != ComponentsKind::None;
    let shape = Shape {
        components,
        residual: components && trend.panel.published_migration,
        naming: trend_naming(trend, opts.naming),
        decimals: trend.decimals(),
    };
    let columns = shape.columns(&yearly_columns(trend));
    let delimiter = match format {
        Format::Tsv => b'\t',
        _ => b',',
    };
    match format {
        Format::Csv | Format::Tsv => {
            let style = Style {
                shape,
                ..Style::new(delimiter)
            };
            write_yearly_csv(out, trend, steps, style, &columns)
        }
        Format::Ndjson => each_step_row(trend, steps, &mut |line, from, to| {
            serde_json::to_writer(&mut *out, &StepRow(line, from, to, shape))?;
            out.write_all(b"\n")
        }),
        Format::Json => {
            let doc = YearlyDocument {
                dataset: &info.dataset,
                description: &info.description,
                first_year: trend.first(),
                last_year: trend.last(),
                unit: "persons",
                source_unit: &info.source_unit,
                grouping: info.grouping.as_deref(),
                sources: &info.sources,
                columns,
                notes: table::notes(trend, info),
                rows: StepRows {
                    trend,
                    steps,
                    shape,
                },
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            out.write_all(b"\n")
        }
        Format::Table | Format::Markdown => {
            let markdown = format == Format::Markdown;
            table::write_yearly(out, trend, steps, info, opts.look, markdown)
        }
        Format::Xlsx => super::as_workbook(
            out,
            |buf| {
                let style = Style {
                    shape,
                    guard: false,
                    ..Style::new(b',')
                };
                write_yearly_csv(buf, trend, steps, style, &columns)
            },
            table::notes(trend, info),
            opts.said,
        ),
    }
}

/// The rows of `--yearly` in order, in pieces: a section's regions (each region's steps
/// in turn), or one row with its pair of years.
enum StepPiece<'t, 'p> {
    Regions(&'t [u32]),
    Line(Box<Line<'p>>, Period, Period),
}

/// Every piece of `--yearly`: each section's regions then its group's steps, the total's
/// steps, then the aggregates'.
fn step_pieces<'t, 'p>(trend: &'t Trend<'p>, steps: &'t [Step<'p>]) -> Vec<StepPiece<'t, 'p>> {
    let mut pieces = Vec::new();
    for (i, section) in trend.sections.iter().enumerate() {
        pieces.push(StepPiece::Regions(&section.members));
        for step in steps {
            if let Some(Some(line)) = step.groups.get(i) {
                pieces.push(StepPiece::Line(Box::new(line.clone()), step.from, step.to));
            }
        }
    }
    for step in steps {
        pieces.push(StepPiece::Line(
            Box::new(step.total.clone()),
            step.from,
            step.to,
        ));
    }
    for &r in &trend.aggregates {
        for step in steps {
            let line = Line {
                level: Level::Aggregate,
                ..trend.step_line(r as usize, step.from, step.to)
            };
            pieces.push(StepPiece::Line(Box::new(line), step.from, step.to));
        }
    }
    pieces
}

/// Calls `f` on every row of `--yearly` in order.
fn each_step_row(
    trend: &Trend,
    steps: &[Step],
    f: &mut dyn FnMut(&Line, Period, Period) -> io::Result<()>,
) -> io::Result<()> {
    for piece in step_pieces(trend, steps) {
        match piece {
            StepPiece::Regions(members) => {
                for &r in members {
                    for step in steps {
                        f(
                            &trend.step_line(r as usize, step.from, step.to),
                            step.from,
                            step.to,
                        )?;
                    }
                }
            }
            StepPiece::Line(line, from, to) => f(&line, from, to)?,
        }
    }
    Ok(())
}

/// Writes `--yearly` as CSV or TSV: the region rows formatted in batches on every core,
/// in the order [`each_step_row`] gives.
fn write_yearly_csv(
    out: &mut dyn io::Write,
    trend: &Trend,
    steps: &[Step],
    style: Style,
    columns: &[&str],
) -> io::Result<()> {
    let mut buf = Vec::new();
    header(style, &mut buf, columns);
    out.write_all(&buf)?;
    for piece in step_pieces(trend, steps) {
        match piece {
            StepPiece::Regions(members) => write_batched(out, members, |buf, batch| {
                for &r in batch {
                    for step in steps {
                        let line = trend.step_line(r as usize, step.from, step.to);
                        style.step(buf, &line, step.from, step.to);
                    }
                }
            })?,
            StepPiece::Line(line, from, to) => {
                buf.clear();
                style.step(&mut buf, &line, from, to);
                out.write_all(&buf)?;
            }
        }
    }
    out.flush()
}

#[derive(Serialize)]
struct YearlyDocument<'a, 'p> {
    dataset: &'a str,
    description: &'a str,
    first_year: Period,
    last_year: Period,
    unit: &'static str,
    source_unit: &'a str,
    grouping: Option<&'a str>,
    sources: &'a [String],
    columns: Vec<&'static str>,
    notes: Vec<String>,
    rows: StepRows<'a, 'p>,
}

/// The rows of `--yearly`, serialized as they are made.
struct StepRows<'a, 'p> {
    trend: &'a Trend<'p>,
    steps: &'a [Step<'p>],
    shape: Shape,
}

impl Serialize for StepRows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let walked = each_step_row(self.trend, self.steps, &mut |line, from, to| {
            seq.serialize_element(&StepRow(line, from, to, self.shape))
                .map_err(|e| {
                    failed = Some(e);
                    io::Error::other("a row could not be written")
                })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        walked.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// A row of `--yearly` as a JSON object.
struct StepRow<'a, 'p>(&'a Line<'p>, Period, Period, Shape);

impl Serialize for StepRow<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let StepRow(l, from, to, shape) = *self;
        let milli = super::json::milli::<S>;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("level", l.level.name())?;
        m.serialize_entry("region", &(!l.region.is_empty()).then_some(l.region))?;
        m.serialize_entry("group", &l.group)?;
        m.serialize_entry("from", &from)?;
        m.serialize_entry("to", &to)?;
        m.serialize_entry("pop_from", &l.pop_from)?;
        m.serialize_entry("pop_to", &l.pop_to)?;
        m.serialize_entry("change", &l.change)?;
        m.serialize_entry("change_pct", &milli(l.change_pct)?)?;
        if shape.components {
            let c = l.components;
            m.serialize_entry("natural_increase", &c.map(|c| c.natural_increase))?;
            m.serialize_entry("net_migration", &c.map(|c| c.net_migration))?;
            let per = c.and_then(|c| c.net_migration_per_1000);
            m.serialize_entry("net_migration_per_1000", &milli(per)?)?;
        }
        if shape.residual {
            m.serialize_entry("residual", &l.components.and_then(|c| c.residual))?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::trend::{range, tests::many_regions, trend};

    /// `--yearly` CSV, its region rows formatted in batches on several threads, is the
    /// rows `each_step_row` gives, one after another.
    #[test]
    fn batched_yearly_csv_is_the_rows_in_order() {
        let p = many_regions();
        let t = trend(&p, range(&p, None, None).unwrap()).unwrap();
        let steps = t.steps().unwrap();
        let style = Style::new(b',');
        let columns = yearly_columns(&t);
        let mut batched = Vec::new();
        write_yearly_csv(&mut batched, &t, &steps, style, &columns).unwrap();
        let mut one_by_one = Vec::new();
        header(style, &mut one_by_one, &columns);
        each_step_row(&t, &steps, &mut |line, from, to| {
            style.step(&mut one_by_one, line, from, to);
            Ok(())
        })
        .unwrap();
        assert!(batched == one_by_one);
        let rows = (p.len() + t.sections.len() + 1) * steps.len();
        assert_eq!(batched.iter().filter(|&&b| b == b'\n').count(), 1 + rows);
    }

    /// The batched CSV, formatted on several threads, is the rows one after another.
    #[test]
    fn batched_csv_is_the_rows_in_order() {
        let p = many_regions();
        let t = trend(&p, range(&p, None, None).unwrap()).unwrap();
        let mut batched = Vec::new();
        write_csv(&mut batched, &t, b',', None, true).unwrap();
        let style = Style::new(b',');
        let mut one_by_one = Vec::new();
        header(style, &mut one_by_one, &COLUMNS);
        for line in t.lines() {
            csv_row(style, &mut one_by_one, &line);
        }
        assert!(batched == one_by_one);
        assert_eq!(
            batched.iter().filter(|&&b| b == b'\n').count(),
            1 + p.len() + t.sections.len() + 1
        );
    }
}
