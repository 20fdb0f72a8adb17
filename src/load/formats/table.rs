//! Tables (CSV and TSV text, workbook sheets): each row of data as observations of the
//! input's cube, following the layout. Every problem is named with its place.
//!
//! A row passes through a fixed order of decisions, each a method below: whether it is
//! data at all ([`Rows::kind_of`]: blank lines, section labels, notes after the data),
//! whether `--where` keeps it, its region, what it says of the region (a total of others,
//! a part of the row above, its summary level), its flags, then its figures.

use crate::error::{Error, Location, Result};
use crate::load::accumulate::{Accumulator, GroupLabel, Origin};
use crate::load::cell::{self, CellError, Decimals};
use crate::load::cube::{self, Cube, DimKind, Dimension, Figure, Meaning};
use crate::load::layout::Layout;
use crate::load::layout::columns::{Ctx, LevelRule, Plan, PlanKind};
use crate::load::layout::dialect::{
    as_written, estat_dimensions, eurostat_figure, is_note, sdmx_dimensions,
};
use crate::load::layout::names::{self, Measure};
use crate::load::records::{Records, Row, Start};
use crate::load::refusal::{kept_nothing, mixed_levels};
use crate::load::text::Enc;
use crate::load::{LoadOptions, Note, roles, slice};
use crate::number::{NumberError, Unit};
use crate::period::Period;

/// Bytes reserved per expected region name (more are added as needed).
const NAME_BYTES_GUESS: usize = 16;

/// What a row is, before its figures are read.
enum RowKind {
    /// A row of data.
    Data,
    /// Not data (blank, a label, a note): passed over.
    Skip,
}

/// The dimensions of a table's cube, by their place in [`Cube::dims`].
struct Dims {
    time: usize,
    measure: usize,
    /// The other dimensions' columns (a compound key's parts, e-Stat's label columns,
    /// SDMX-CSV's dimensions), from the third dimension on.
    columns: Vec<usize>,
}

/// A table being read: its layout, what its rows have said so far, and its cube.
struct Rows<'l> {
    label: String,
    layout: &'l Layout,
    opts: &'l LoadOptions,
    enc: &'l Enc,
    start: Start,
    skipped: &'l [(u64, Vec<String>)],
    decimals: Decimals,
    sheet: bool,
    delimiter: u8,
    file: u32,
    cube: Cube,
    dims: Dims,
    /// Each measure's category in the measure dimension.
    measure_cats: Vec<(Measure, u32)>,
    /// Each wide column's category in the time dimension.
    column_cats: Vec<u32>,
    /// The coordinates of the row being read, and the series of each of its figures.
    coords: Vec<u32>,
    series: Vec<u32>,
    /// The breakdown coordinates the series above are for.
    series_for: Option<Vec<u32>>,
    /// A long table's series by period and measure (`u32::MAX` where not looked up yet),
    /// for the breakdowns of `series_for`.
    long_series: Vec<u32>,
    key_cols: Vec<usize>,
    flag_col: Option<usize>,
    census_region: Option<usize>,
    // What the rows have said.
    section: Option<String>,
    candidate: Option<String>,
    footer: Option<(u64, String)>,
    /// The lines of notes after the data, for what they say of the series (a census).
    footnotes: Vec<String>,
    above: Option<(u32, usize)>,
    indented_totals: Vec<u32>,
    /// Rows marked with a leading dot so far.
    dotted: usize,
    /// Rows without one: region, its name, and the dotted rows before it.
    undotted: Vec<(u32, String, usize)>,
    levels: Vec<(String, u64)>,
    filtered: Vec<(u64, Vec<String>)>,
    kept_rows: u64,
    flags: Vec<(String, u64)>,
    /// Whether the row's flag (a flag column's) marks a break in the series.
    row_break: bool,
    /// Figures flagged as a break in the series: series and region.
    breaks: Vec<(u32, u32)>,
    outside: Vec<String>,
}

impl<'l> Rows<'l> {
    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            file: &self.label,
            header: &self.layout.names,
            skip: self.layout.header_line - 1,
            skipped: self.skipped,
            start: self.start.clone(),
        }
    }

    fn plan(&self) -> &'l Plan {
        &self.layout.plan
    }

    fn at(&self, line: u64, column: Option<usize>) -> Location {
        self.ctx().at(line, column)
    }

    /// Text of a field, or the error naming its place.
    fn text<'r>(&self, bytes: &'r [u8], line: u64, column: Option<usize>) -> Result<&'r str> {
        self.enc.text(bytes, || self.at(line, column))
    }

    /// Whether a row is data; labels, notes and footers are remembered as met.
    fn kind_of(&mut self, rec: &csv::ByteRecord, line: u64) -> Result<RowKind> {
        let ncols = self.layout.names.len();
        let n = rec.len();
        // A row of empty fields (",,," from a spreadsheet) is a blank line.
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            return Ok(RowKind::Skip);
        }
        // A spreadsheet's rows end where their text ends: fewer cells are empty ones.
        let fits = cell::row_fits(
            n,
            ncols,
            rec.get(n.wrapping_sub(1)).is_some_and(<[u8]>::is_empty),
        ) || (self.sheet && n < ncols);
        // A label alone on its row, in a publication's table: a section's label if rows of
        // figures follow it, a footer if notes do (or nothing).
        let first = rec.get(0).unwrap_or_default().trim_ascii();
        let label = (self.layout.publication
            && rec.iter().filter(|f| !f.trim_ascii().is_empty()).count() == 1
            && !first.is_empty())
        .then(|| String::from_utf8_lossy(first))
        .filter(|t| !opens_note(t));
        if let Some(text) = label
            && (self.footer.is_none() || self.candidate.is_some())
        {
            // The first such line is where the notes begin, should they be notes; the last
            // is the label of the rows that may follow.
            if self.footer.is_none() {
                self.footer = Some((line, text.to_string()));
            }
            self.candidate = Some(text.into_owned());
            return Ok(RowKind::Skip);
        }
        let note = is_note(rec, ncols);
        if self.candidate.is_some() && fits && !note {
            self.section = self.candidate.take();
            self.footer = None;
        }
        self.candidate = None;
        if let Some((at, text)) = &self.footer {
            // Past a footer only more notes may come: a row of data there means the
            // "footer" was a stray line in the data, which must not cut it short.
            if fits && !note {
                return Err(Error::input(
                    self.at(*at, None),
                    format!(
                        "a line that is not data stands among the data (line {line} is data again)"
                    ),
                    text,
                    "remove the line, or quote it if it is part of a field",
                ));
            }
            self.keep_footnote(rec);
            return Ok(RowKind::Skip);
        }
        if note {
            self.footer = Some((line, as_written(rec, self.delimiter)));
            self.keep_footnote(rec);
            return Ok(RowKind::Skip);
        }
        if !fits {
            return Err(self.misfit(rec, line));
        }
        Ok(RowKind::Data)
    }

    /// Keeps a line of the notes after the data (the first 200 lines), for what they say
    /// of the series.
    fn keep_footnote(&mut self, rec: &csv::ByteRecord) {
        if self.footnotes.len() < 200 {
            self.footnotes.push(as_written(rec, self.delimiter));
        }
    }

    /// The refusal of a row of another width than the header's.
    fn misfit(&self, rec: &csv::ByteRecord, line: u64) -> Error {
        let ncols = self.layout.names.len();
        let n = rec.len();
        if self.sheet {
            // A sheet's cell beyond the table (often far off, as XFD1048576): name it as
            // the spreadsheet does.
            let (col, cell) = rec
                .iter()
                .enumerate()
                .rev()
                .find(|(_, f)| !f.trim_ascii().is_empty())
                .unwrap_or((n - 1, b""));
            return Error::input(
                self.start
                    .place(&self.label, line, u32::try_from(col).ok(), None),
                format!("the cell holds text outside the table's {ncols} columns"),
                String::from_utf8_lossy(cell),
                "clear the cell in the sheet, or save the table alone as CSV",
            );
        }
        Error::input(
            self.at(line, None),
            format!("expected {ncols} fields, as in the header, but found {n}"),
            as_written(rec, self.delimiter),
            "every row needs one field per header column; quote fields that hold the \
             separator",
        )
    }

    /// Whether the `--where` filters keep a row (and what each column holds, for the
    /// message when none is kept), and whether it is one popdelta reads at all.
    fn keeps(&mut self, rec: &csv::ByteRecord) -> bool {
        let field = |i: usize| rec.get(i).unwrap_or(b"");
        let mut all = true;
        for (f, (c, filter)) in self.plan().filters.iter().enumerate() {
            let kept = filter.keeps(field(*c));
            all &= kept;
            let (matched, values) = &mut self.filtered[f];
            *matched += u64::from(kept);
            if self.kept_rows == 0 && values.len() < 10 {
                let v = String::from_utf8_lossy(cell::key(field(*c)));
                if !values.iter().any(|x| *x == v) {
                    values.push(v.into_owned());
                }
            }
        }
        if !all {
            return false;
        }
        // popdelta's own group and total rows: sums, made again from the parts.
        if let Some(rule) = self.plan().level
            && rule.is_written_sum(&String::from_utf8_lossy(field(rule.column())))
        {
            return false;
        }
        self.kept_rows += 1;
        true
    }

    /// The row's region, made if new, with its group.
    fn region(
        &mut self,
        rec: &csv::ByteRecord,
        key: &[u8],
        line: u64,
        acc: &mut Accumulator,
    ) -> Result<u32> {
        let plan = self.plan();
        if key.iter().all(|&b| b == 0x1f) {
            return Err(Error::input(
                self.at(line, plan.region.first().copied()),
                "empty region name",
                "",
                "every row needs a region; filter rows out with --where",
            ));
        }
        let field = |i: usize| rec.get(i).unwrap_or(b"");
        let name = || -> Result<String> {
            if let ([c], 1) = (&plan.region[..], self.key_cols.len()) {
                // One column: the key is the name, checked as text once.
                return Ok(self.text(key, line, Some(*c))?.to_owned());
            }
            let mut parts = Vec::with_capacity(plan.region.len());
            for &c in &plan.region {
                parts.push(self.text(field(c), line, Some(c))?.trim());
            }
            Ok(parts.join(", "))
        };
        let several = self.key_cols.len() > 1;
        let origin = |c: usize| Origin {
            file: self.file,
            line,
            column: c as u32,
        };
        match (plan.group, &self.section) {
            (None, Some(label)) => {
                let check = || Ok(label.clone());
                acc.region(
                    key,
                    several,
                    name,
                    Some(GroupLabel {
                        bytes: label.as_bytes(),
                        text: &check,
                        origin: origin(plan.region.first().copied().unwrap_or(0)),
                    }),
                )
            }
            // An empty group cell puts the region in no group: popdelta writes one so
            // for data without groups, and reading that back makes no group of them.
            (Some(g), _) if field(g).trim_ascii().is_empty() => {
                acc.region(key, several, name, None)
            }
            (Some(g), _) => {
                let label = field(g).trim_ascii();
                let check = || Ok(self.text(label, line, Some(g))?.to_owned());
                acc.region(
                    key,
                    several,
                    name,
                    Some(GroupLabel {
                        bytes: label,
                        text: &check,
                        origin: origin(g),
                    }),
                )
            }
            (None, None) => acc.region(key, several, name, None),
        }
    }

    /// What the row says of its region: a total of the rows indented or dotted under it,
    /// its code, its summary level; and a Census row in no census region.
    fn marks(
        &mut self,
        rec: &csv::ByteRecord,
        key: &[u8],
        region: u32,
        line: u64,
        acc: &mut Accumulator,
    ) -> Result<()> {
        let plan = self.plan();
        let field = |i: usize| rec.get(i).unwrap_or(b"");
        if let Some(c) = self.census_region
            && cell::key(field(c)) == b"X"
            && self.outside.len() < 10
        {
            let names: Vec<&[u8]> = plan.region.iter().map(|&r| field(r)).collect();
            self.outside
                .push(String::from_utf8_lossy(&names.join(&b", "[..])).into_owned());
        }
        let first = field(plan.region.first().copied().unwrap_or(0));
        // Rows indented under another (leading spaces, as some offices draw a hierarchy):
        // the row just above a deeper one is their total. Outside a publication's table,
        // two spaces deeper at least (one may be a slip). Codes that nest say more.
        if plan.level.is_none() {
            let indent = first.iter().take_while(|&&b| b == b' ').count();
            let deeper = if self.layout.publication { 1 } else { 2 };
            if let Some((r, depth)) = self.above
                && indent >= depth + deeper
            {
                self.indented_totals.push(r);
            }
            self.above = Some((region, indent));
        }
        // Rows marked with a leading dot (".Alabama") are parts of those above them.
        if self.layout.publication {
            if dotted_name(first).is_some() {
                self.dotted += 1;
            } else {
                let name = String::from_utf8_lossy(key).replace('\x1f', ", ");
                self.undotted.push((region, name, self.dotted));
            }
        }
        if let Some(rule) = plan.level {
            self.level(rule, field(rule.column()), region, line, acc)?;
        }
        Ok(())
    }

    /// What a level column says of a region: a total of others, its code, its level.
    fn level(
        &mut self,
        rule: LevelRule,
        raw: &[u8],
        region: u32,
        line: u64,
        acc: &mut Accumulator,
    ) -> Result<()> {
        let c = rule.column();
        let cell = self.text(raw, line, Some(c))?;
        if let Some(why) = rule.aggregate(cell) {
            acc.aggregate(region, &why);
        }
        match rule {
            LevelRule::CodePrefix(_) => {
                acc.code(region, cell.trim());
                // Regions named in a column of their own are found by their codes too.
                if self.plan().code_key.is_some() {
                    acc.alias(region, cell.trim());
                }
            }
            LevelRule::WorldBankCode(_) => acc.alias(region, cell.trim()),
            LevelRule::SummaryLevel(_) => {
                let level = cell.trim();
                // "040" and "40" are one level, as --where has them.
                match self
                    .levels
                    .iter_mut()
                    .find(|(l, _)| cell::matches(l.as_bytes(), level))
                {
                    Some((_, n)) => *n += 1,
                    None => self.levels.push((level.to_owned(), 1)),
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Counts the row's flag (SDMX-CSV's `OBS_FLAG`: "p", or "p: provisional").
    fn flag(&mut self, rec: &csv::ByteRecord) {
        self.row_break = false;
        let Some(fc) = self.flag_col else { return };
        let cell = rec.get(fc).unwrap_or_default().trim_ascii();
        let code = cell
            .split(|&b| b == b':')
            .next()
            .unwrap_or(cell)
            .trim_ascii();
        if !code.is_empty() {
            let code = String::from_utf8_lossy(code);
            self.row_break = super::marks_break(&code);
            count(&mut self.flags, &code);
        }
    }

    /// The row's category of each dimension but time and measure.
    fn breakdowns(&mut self, rec: &csv::ByteRecord) {
        let first = 2;
        for (k, &c) in self.dims.columns.iter().enumerate() {
            let raw = cell::key(rec.get(c).unwrap_or_default());
            self.coords[first + k] =
                self.cube.dims[first + k].category(raw, || cube::plain(raw, Meaning::None));
        }
    }

    /// Forgets the series looked up for other breakdowns than the row's.
    fn same_breakdowns(&mut self) -> bool {
        if self.series_for.as_deref() == Some(&self.coords[2..]) {
            return true;
        }
        self.series.clear();
        self.long_series.clear();
        self.series_for = Some(self.coords[2..].to_vec());
        false
    }

    /// The series of each wide column for the row's breakdowns, made when they change.
    fn wide_series(&mut self, columns: &[(Period, Measure, usize)]) {
        if self.same_breakdowns() && !self.series.is_empty() {
            return;
        }
        self.series.clear();
        for (i, &(_, m, _)) in columns.iter().enumerate() {
            self.coords[self.dims.time] = self.column_cats[i];
            self.coords[self.dims.measure] = self.measure_cat(m);
            let id = self.cube.series_id(&self.coords);
            self.series.push(id);
        }
    }

    /// The series of a long row's period `t` and its `k`th measure (`m`).
    fn long_series(&mut self, t: u32, k: usize, m: Measure) -> u32 {
        self.same_breakdowns();
        let n = self.measure_cats.len();
        let at = t as usize * n + k;
        if let Some(&id) = self.long_series.get(at)
            && id != u32::MAX
        {
            return id;
        }
        self.coords[self.dims.time] = t;
        self.coords[self.dims.measure] = self.measure_cat(m);
        let id = self.cube.series_id(&self.coords);
        if self.long_series.len() <= at {
            self.long_series.resize(at + 1, u32::MAX);
        }
        self.long_series[at] = id;
        id
    }

    fn measure_cat(&self, m: Measure) -> u32 {
        self.measure_cats
            .iter()
            .find(|(x, _)| *x == m)
            .map_or(0, |(_, c)| *c)
    }

    /// Reads the row's figures into the cube.
    fn figures(
        &mut self,
        rec: &csv::ByteRecord,
        region: u32,
        line: u64,
        acc: &Accumulator,
    ) -> Result<()> {
        match &self.plan().kind {
            PlanKind::Long { year, measures } => {
                let raw = rec.get(*year).unwrap_or(b"");
                let Some(t) = self.period(raw, line, *year)? else {
                    return Ok(());
                };
                for (k, &(m, c)) in measures.iter().enumerate() {
                    let id = self.long_series(t, k, m);
                    self.figure(rec, id, region, m, c, line, acc)?;
                }
            }
            PlanKind::Wide { columns } => {
                self.wide_series(columns);
                for (i, &(_, m, c)) in columns.iter().enumerate() {
                    let id = self.series[i];
                    self.figure(rec, id, region, m, c, line, acc)?;
                }
            }
        }
        Ok(())
    }

    /// The time category of a long row's period cell; `None` for an empty one.
    fn period(&mut self, raw: &[u8], line: u64, column: usize) -> Result<Option<u32>> {
        let code = cell::key(raw);
        let time = &mut self.cube.dims[self.dims.time];
        if let Some(t) = time.lookup(code) {
            return Ok(Some(t));
        }
        let y = match cell::period(raw) {
            Ok(Some(y)) => y,
            Ok(None) => return Ok(None),
            Err(CellError::NotAYear) => {
                return Err(Error::input(
                    self.at(line, Some(column)),
                    "not a year",
                    String::from_utf8_lossy(raw),
                    "years are four digits, such as 2017, or a date or period in one: \
                     2017-07, 2017Q3, 31.12.2017",
                ));
            }
            Err(_) => return Err(self.enc.not_text(raw, self.at(line, Some(column)))),
        };
        let time = &mut self.cube.dims[self.dims.time];
        Ok(Some(
            time.category(code, || cube::plain(code, Meaning::Time(y))),
        ))
    }

    /// Reads one figure of measure `m` in column `c` into series `id`.
    #[allow(clippy::too_many_arguments)]
    fn figure(
        &mut self,
        rec: &csv::ByteRecord,
        id: u32,
        region: u32,
        m: Measure,
        c: usize,
        line: u64,
        acc: &Accumulator,
    ) -> Result<()> {
        let mut raw = rec.get(c).unwrap_or(b"");
        let mut broken = self.row_break;
        if self.layout.compound.is_some() {
            let written = raw;
            raw = eurostat_figure(raw, &mut self.flags);
            // The letters after the figure ("5598920 b").
            let flag = written.trim_ascii().get(raw.len()..).unwrap_or_default();
            broken |= super::marks_break(String::from_utf8_lossy(flag).trim());
        }
        if broken && m == Measure::Population && self.breaks.len() < super::MAX_BREAKS {
            self.breaks.push((id, region));
        }
        let unit = self.plan().unit;
        let value = if m.is_rate() {
            cell::rate(raw, self.decimals).and_then(|v| match v {
                Some(d) => Figure::from_decimal(d)
                    .map(Some)
                    .ok_or(CellError::Number(NumberError::TooLarge)),
                None => Ok(None),
            })
        } else if m == Measure::Population {
            // Persons or values of another unit, as the slice says: read exactly.
            cell::figure(raw, unit, self.decimals)
        } else {
            let read = if m == Measure::NetMigration {
                cell::signed_count
            } else {
                cell::population
            };
            read(raw, unit, self.opts.fractions, self.decimals).map(|v| {
                v.map(|p| {
                    if p.rounded {
                        self.cube
                            .rounded(id, region, String::from_utf8_lossy(raw).trim());
                    }
                    Figure::whole(p.value)
                })
            })
        };
        let origin = Origin {
            file: self.file,
            line,
            column: c as u32,
        };
        match value {
            Ok(Some(f)) => {
                if !f.is_whole() {
                    let text = String::from_utf8_lossy(raw);
                    self.cube.written(id, region, text.trim());
                }
                self.cube.put(id, region, f, origin, acc)
            }
            Ok(None) => Ok(()),
            Err(CellError::Number(e)) => {
                let hint = if m.is_rate() {
                    "rates are decimal numbers per mille, such as 5.32 or -0.44".into()
                } else {
                    slice::number_hint(&e, unit)
                };
                // Kept until a comparison needs this figure: unused columns may be odd.
                let err = Error::input(
                    self.at(line, Some(c)),
                    format!("bad {}: {e}", m.noun()),
                    String::from_utf8_lossy(raw),
                    hint,
                );
                self.cube.invalid(id, err);
                Ok(())
            }
            Err(_) => Err(self.enc.not_text(raw, self.at(line, Some(c)))),
        }
    }
}

/// Adds one to the count of `what`.
fn count(counts: &mut Vec<(String, u64)>, what: &str) {
    match counts.iter_mut().find(|(x, _)| *x == what) {
        Some((_, n)) => *n += 1,
        None => counts.push((what.to_owned(), 1)),
    }
}

/// The cube's dimensions for a table with this layout: time, measure, then each other
/// dimension's column (a compound key's parts, e-Stat's labels, SDMX-CSV's dimensions).
fn dimensions(layout: &Layout) -> TableDims {
    let plan = &layout.plan;
    let names = &layout.names;
    let (time_col, measures): (Option<usize>, Vec<Measure>) = match &plan.kind {
        PlanKind::Long { year, measures } => (Some(*year), measures.iter().map(|m| m.0).collect()),
        PlanKind::Wide { columns } => {
            let mut ms: Vec<Measure> = Vec::new();
            for &(_, m, _) in columns {
                if !ms.contains(&m) {
                    ms.push(m);
                }
            }
            (None, ms)
        }
    };
    let time_name = time_col.map_or("year", |c| names[c].as_str());
    let mut time = Dimension::new(time_name, DimKind::Time, time_col);
    let mut column_cats = Vec::new();
    if let PlanKind::Wide { columns } = &plan.kind {
        for &(p, _, c) in columns {
            let code = p.to_string();
            let cat = time.category(code.as_bytes(), || cube::Category {
                code: code.clone(),
                label: names[c].clone(),
                meaning: Meaning::Time(p),
                unit: None,
            });
            column_cats.push(cat);
        }
    }
    let mut measure = Dimension::new("measure", DimKind::Measure, None);
    let measure_cats = measures
        .iter()
        .map(|&m| {
            let cat = measure.category(m.noun().as_bytes(), || cube::Category {
                code: m.noun().to_owned(),
                label: m.noun().to_owned(),
                meaning: Meaning::Measure(m),
                unit: None,
            });
            (m, cat)
        })
        .collect();
    let columns = other_dimensions(layout);
    let mut dims = vec![time, measure];
    for &c in &columns {
        let name = &names[c];
        let kind = if roles::is_statistic_name(name) {
            DimKind::Statistic
        } else {
            DimKind::Breakdown
        };
        dims.push(Dimension::new(name, kind, Some(c)));
    }
    TableDims {
        dims,
        measure_cats,
        column_cats,
        columns,
    }
}

/// A table's dimensions, and where its measures and wide columns stand in them.
struct TableDims {
    dims: Vec<Dimension>,
    measure_cats: Vec<(Measure, u32)>,
    column_cats: Vec<u32>,
    columns: Vec<usize>,
}

/// The columns of a table's other dimensions (not its regions, figures or groups): a
/// compound key's parts, e-Stat's label columns, SDMX-CSV's dimension columns, the
/// breakdowns found by their values.
fn other_dimensions(layout: &Layout) -> Vec<usize> {
    let plan = &layout.plan;
    let names = &layout.names;
    let ncols = names.len();
    let dims_from = ncols - layout.compound.as_ref().map_or(0, |(_, d)| d.len());
    let is_region = |c: &usize| plan.region.contains(c) || plan.code_key == Some(*c);
    let is_figure = |c: &usize| match &plan.kind {
        PlanKind::Long { year, measures } => *c == *year || measures.iter().any(|m| m.1 == *c),
        PlanKind::Wide { columns } => columns.iter().any(|m| m.2 == *c),
    };
    // e-Stat's regions are a dimension too, named by its label or its code.
    let mut cols: Vec<usize> = estat_dimensions(names)
        .into_iter()
        .filter(|(label, code)| !is_region(label) && !is_region(code))
        .map(|(label, _)| label)
        .chain((dims_from..ncols).filter(|c| !is_region(c)))
        .collect();
    for c in sdmx_dimensions(names)
        .into_iter()
        .chain(layout.breakdowns.iter().copied())
    {
        if !is_region(&c) && !is_figure(&c) && !cols.contains(&c) && Some(c) != plan.group {
            cols.push(c);
        }
    }
    cols
}

/// What a table's source says of it besides its rows.
pub struct Source<'a> {
    /// The input's name in messages.
    pub label: &'a str,
    /// Its encoding, for messages on text that is not UTF-8.
    pub enc: &'a Enc,
    /// Whether its rows are a sheet's, which end where their text ends.
    pub sheet: bool,
    /// The separator between fields (a comma for a sheet), to quote a row as written.
    pub delimiter: u8,
    /// About how many rows it holds (0 if unknown), to size the tables once.
    pub rows_expected: u64,
}

/// Reads a table's rows (after its header, as `layout` found it) into a cube of the input,
/// whose chosen slice goes into `acc`. Returns what the user should know of how the file
/// was read.
pub fn read(
    source: &Source,
    records: &mut dyn Records,
    layout: Layout,
    found: &crate::load::layout::Found,
    opts: &LoadOptions,
    acc: &mut Accumulator,
) -> Result<Vec<Note>> {
    let label = source.label;
    let rows_expected = source.rows_expected;
    let file = acc.add_file(label, layout.names.clone(), records.start())?;
    // A wide file has a row per region; a long one a row per region and year (two at
    // least, or there is nothing to compare).
    let regions_expected = match layout.plan.kind {
        PlanKind::Wide { .. } => rows_expected,
        PlanKind::Long { .. } => rows_expected / 2,
    };
    acc.expect(
        usize::try_from(regions_expected).unwrap_or(0),
        NAME_BYTES_GUESS,
    );
    let TableDims {
        dims,
        measure_cats,
        column_cats,
        columns,
    } = dimensions(&layout);
    let ndims = dims.len();
    let mut cube = Cube::new(file, dims);
    cube.expect(usize::try_from(regions_expected).unwrap_or(0));
    let plan = &layout.plan;
    let census_region = match plan.level {
        Some(LevelRule::SummaryLevel(_)) => {
            names::find_all(&layout.names, "REGION").first().copied()
        }
        _ => None,
    };
    let mut rows = Rows {
        label: label.to_owned(),
        layout: &layout,
        opts,
        enc: source.enc,
        start: records.start(),
        skipped: &found.rows,
        decimals: found.decimals,
        sheet: source.sheet,
        delimiter: source.delimiter,
        file,
        cube,
        dims: Dims {
            time: 0,
            measure: 1,
            columns,
        },
        measure_cats,
        column_cats,
        coords: vec![0; ndims],
        series: Vec::new(),
        series_for: None,
        long_series: Vec::new(),
        key_cols: plan.region.iter().copied().chain(plan.code_key).collect(),
        flag_col: layout
            .names
            .iter()
            .position(|n| n.trim().eq_ignore_ascii_case("OBS_FLAG")),
        census_region,
        section: None,
        candidate: None,
        footer: None,
        footnotes: Vec::new(),
        above: None,
        indented_totals: Vec::new(),
        dotted: 0,
        undotted: Vec::new(),
        levels: Vec::new(),
        filtered: vec![(0, Vec::new()); plan.filters.len()],
        kept_rows: 0,
        flags: Vec::new(),
        row_break: false,
        breaks: Vec::new(),
        outside: Vec::new(),
    };
    rows.read_all(records, acc)?;
    rows.finish(acc)
}

impl Rows<'_> {
    /// Reads every row, one ahead: the next row's region slot is brought into cache while
    /// this row is read (in a shuffled file each lookup is otherwise a full miss).
    fn read_all(&mut self, records: &mut dyn Records, acc: &mut Accumulator) -> Result<()> {
        let compound = self.layout.compound.as_ref().map(|(c, _)| *c);
        let expand = |row: &mut Row| {
            if let Some(c) = compound {
                let parts: Vec<Vec<u8>> = row
                    .cells
                    .get(c)
                    .unwrap_or_default()
                    .split(|&b| b == b',')
                    .map(<[u8]>::to_vec)
                    .collect();
                for part in parts {
                    row.cells.push_field(&part);
                }
            }
        };
        let mut row = Row::default();
        let mut next = Row::default();
        let mut more = match &self.layout.pending {
            Some(first) => {
                row = first.clone();
                expand(&mut row);
                true
            }
            None => {
                let more = records.next(&mut row)?;
                if more {
                    expand(&mut row);
                }
                more
            }
        };
        let mut key = Vec::with_capacity(64);
        let mut ahead = Vec::with_capacity(64);
        let dots = self.layout.publication;
        region_key(&row.cells, &self.key_cols, dots, &mut key);
        while more {
            more = records.next(&mut next)?;
            if more {
                expand(&mut next);
                region_key(&next.cells, &self.key_cols, dots, &mut ahead);
                acc.touch(&ahead);
            }
            self.row(&row, &key, acc)?;
            std::mem::swap(&mut row, &mut next);
            std::mem::swap(&mut key, &mut ahead);
        }
        Ok(())
    }

    /// One row: its kind, the filters, its region, its marks and flags, its figures.
    fn row(&mut self, row: &Row, key: &[u8], acc: &mut Accumulator) -> Result<()> {
        let (rec, line) = (&row.cells, row.line);
        if let RowKind::Skip = self.kind_of(rec, line)? {
            return Ok(());
        }
        if !self.keeps(rec) {
            return Ok(());
        }
        let region = self.region(rec, key, line, acc)?;
        self.marks(rec, key, region, line, acc)?;
        self.flag(rec);
        self.breakdowns(rec);
        self.figures(rec, region, line, acc)
    }

    /// After the last row: the totals the rows marked, the refusals that look at the
    /// whole table, the roles and the slice, and the notes.
    fn finish(mut self, acc: &mut Accumulator) -> Result<Vec<Note>> {
        for &r in &self.indented_totals {
            acc.aggregate(r, "a total: the rows indented under it are its parts");
        }
        let mut notes = self.layout_notes();
        if self.dotted > 0 && !self.undotted.is_empty() {
            // A row with parts after it is their total; one after the last part is a
            // region outside them (Puerto Rico after the states), a total of nothing.
            let (mut totals, mut outside) = (Vec::new(), Vec::new());
            for (r, name, before) in std::mem::take(&mut self.undotted) {
                if before < self.dotted {
                    acc.aggregate(r, "a total: the parts are marked with a leading dot");
                    totals.push(name);
                } else {
                    acc.aggregate(r, "outside the parts, which are marked with a leading dot");
                    outside.push(name);
                }
            }
            notes.push(Note::DottedParts {
                file: self.label.clone(),
                totals,
                outside,
            });
        }
        if self.kept_rows == 0 && !self.plan().filters.is_empty() {
            return Err(kept_nothing(
                &self.ctx(),
                &self.plan().filters,
                &self.filtered,
            ));
        }
        if self.levels.len() > 1 {
            return Err(mixed_levels(&self.ctx(), self.plan().level, &self.levels));
        }
        let mut cube = std::mem::replace(&mut self.cube, Cube::new(0, Vec::new()));
        let header_line = self.layout.header_line;
        let at = |column: Option<usize>| self.at(header_line, column);
        let roles = roles::assign(&cube, &at)?;
        let reading = self.reading(&cube, &roles.chosen, &mut notes);
        let breaks: Vec<super::Flagged> = self
            .breaks
            .iter()
            .filter_map(|&(id, r)| {
                let s = cube.series().get(id as usize)?;
                Some((s.coords.to_vec(), acc.region_name(r).trim().to_owned()))
            })
            .collect();
        let asked = !self.opts.periods.is_empty();
        slice::cut(&mut cube, &roles, &reading, acc, &at, asked)?;
        notes.extend(super::break_notes(&self.label, &cube, &roles, &breaks));
        notes.extend(super::slice_notes(&self.label, &roles, &cube, acc));
        self.last_notes(&mut notes);
        Ok(notes)
    }

    /// How the table's figures are read: as values of another unit where its header or
    /// preamble (a share, a rate) or a statistic's category (Eurostat's `EUR_HAB`) says so;
    /// else as persons, in a unit a statistic's category states where the header stated
    /// none (Eurostat's `THS_PER`). The notes say which.
    fn reading(
        &self,
        cube: &Cube,
        chosen: &[Option<u32>],
        notes: &mut Vec<Note>,
    ) -> slice::Reading {
        let fractions = self.opts.fractions;
        let unit = self.plan().unit;
        let read_as = slice::Reading::Persons {
            exp: 0,
            unit,
            fractions,
        };
        if self.opts.unit.is_some() {
            return read_as;
        }
        let not_persons = notes.iter().position(
            |n| matches!(n, Note::FiguresAre { what, .. } if !what.starts_with("a sample")),
        );
        if let Some(i) = not_persons
            && let Note::FiguresAre { said_by, .. } = notes.remove(i)
        {
            notes.push(Note::Values {
                file: self.label.clone(),
                unit: said_by.clone(),
            });
            return slice::Reading::Values(said_by);
        }
        match roles::unit_said(&roles::slice_texts(cube, chosen)) {
            Some(roles::Said::Values(u)) => {
                notes.push(Note::Values {
                    file: self.label.clone(),
                    unit: u.clone(),
                });
                slice::Reading::Values(u)
            }
            Some(roles::Said::Persons(u, said_by)) if unit == Unit::Persons && u != unit => {
                notes.push(Note::Chose {
                    file: self.label.clone(),
                    choices: vec![crate::load::layout::columns::Choice::Unit(u, said_by)],
                });
                slice::Reading::Persons {
                    exp: slice::unit_exp(u),
                    unit: u,
                    fractions,
                }
            }
            _ => read_as,
        }
    }

    /// The notes the layout made, the guesses first.
    fn layout_notes(&self) -> Vec<Note> {
        let mut notes = self.layout.notes.clone();
        let mut choices = self.layout.choices.clone();
        if self.opts.decimal.is_none() && self.decimals == Decimals::Comma {
            choices.insert(0, crate::load::layout::columns::Choice::DecimalComma);
        }
        if !choices.is_empty() {
            notes.push(Note::Chose {
                file: self.label.clone(),
                choices,
            });
        }
        if let Some(lines) = self.layout.preamble {
            notes.push(Note::PreambleSkipped {
                file: self.label.clone(),
                lines,
            });
        }
        notes
    }

    /// The notes only the whole table tells: flags, rows in no census region, the footer.
    fn last_notes(&mut self, notes: &mut Vec<Note>) {
        if !self.flags.is_empty() {
            notes.push(Note::Flags {
                file: self.label.clone(),
                flags: std::mem::take(&mut self.flags),
            });
        }
        if let (Some(c), false) = (self.census_region, self.outside.is_empty()) {
            notes.push(Note::OutsideRegions {
                file: self.label.clone(),
                column: self.layout.names.get(c).cloned().unwrap_or_default(),
                regions: std::mem::take(&mut self.outside),
            });
        }
        if let Some((year, said)) = self.footnotes.iter().find_map(|t| census_break(t)) {
            notes.push(Note::Break {
                file: self.label.clone(),
                period: Period::year(year),
                said,
            });
        }
        if let Some((line, text)) = self.footer.take() {
            notes.push(Note::Footer {
                file: self.label.clone(),
                line,
                text,
            });
        }
    }
}

/// A break in the series that a line of notes states: a line naming a census ("ab dem
/// Berichtsjahr 2011: nach dem Zensus 2011") with a year from which the figures follow
/// it. The year and the line.
fn census_break(text: &str) -> Option<(i32, String)> {
    const CENSUS: &[&str] = &[
        "zensus",
        "volkszählung",
        "census",
        "recensement",
        "censo",
        "censimento",
        "folketælling",
        "普查",
        "国勢調査",
    ];
    // "from 2011", "ab dem Berichtsjahr 2011", "à partir de 2011", "desde 2011".
    const FROM: &[&str] = &[
        "ab ",
        "from ",
        "since ",
        "à partir",
        "a partir",
        "desde ",
        "dal ",
    ];
    text.lines().find_map(|line| {
        let lower = line.to_lowercase();
        if !CENSUS.iter().any(|c| lower.contains(c)) {
            return None;
        }
        let from = FROM.iter().filter_map(|f| lower.find(f)).min()?;
        let year = first_year(&lower[from..])?;
        Some((year, line.trim().trim_matches('"').trim().to_owned()))
    })
}

/// The first plausible year (1800-2199) written as four digits alone in a text.
fn first_year(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let digits = b.get(i..i + 4)?;
        let alone = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let year: i32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        (alone && digits.iter().all(u8::is_ascii_digit) && (1800..2200).contains(&year))
            .then_some(year)
    })
}

/// A row's region key: the trimmed bytes of its region fields (in a publication's table,
/// the first without the leading dots that mark a part, ".Alabama"), joined by U+001F
/// (which text never holds). It is checked as text only when the region is new.
fn region_key(rec: &csv::ByteRecord, columns: &[usize], dots: bool, key: &mut Vec<u8>) {
    key.clear();
    for (k, &c) in columns.iter().enumerate() {
        if k > 0 {
            key.push(0x1f);
        }
        let field = rec.get(c).unwrap_or(b"");
        let field = match k {
            0 if dots => dotted_name(field).unwrap_or(field),
            _ => field,
        };
        key.extend_from_slice(cell::key(field));
    }
}

/// A name marked as a part by leading dots (".Alabama", "..Autauga County"): the name
/// without them.
fn dotted_name(field: &[u8]) -> Option<&[u8]> {
    let t = field.trim_ascii_start();
    let dots = t.iter().take_while(|&&b| b == b'.').count();
    let rest = &t[dots..];
    (dots > 0
        && rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b >= 0x80))
    .then_some(rest)
}

/// Whether a note's text opens as notes do (©, Source:, 注：), so that it is never a
/// section's label.
fn opens_note(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    [
        "©",
        "(c)",
        "source",
        "note",
        "注",
        "数据来源",
        "资料来源",
        "quelle",
        "____",
        "footnote",
    ]
    .iter()
    .any(|o| lower.starts_with(o))
}

#[cfg(test)]
mod tests {
    use super::census_break;

    #[test]
    fn a_census_break_is_read_from_notes_in_several_languages() {
        let destatis =
            "zu  \"gesamter Tabelle\":\nab dem Berichtsjahr 2011: nach dem Zensus 2011\n";
        assert_eq!(
            census_break(destatis),
            Some((
                2011,
                "ab dem Berichtsjahr 2011: nach dem Zensus 2011".to_owned()
            ))
        );
        assert_eq!(
            census_break("From 2021, figures are based on the 2021 Census.").map(|b| b.0),
            Some(2021)
        );
        assert_eq!(
            census_break("À partir de 2006, résultats du recensement rénové").map(|b| b.0),
            Some(2006)
        );
        // A census named without a year from which the figures follow it: no break.
        assert_eq!(census_break("Source: Census Bureau, Vintage 2017"), None);
        assert_eq!(census_break("Stand: 10.10.2017 / 11:57:53"), None);
    }
}
