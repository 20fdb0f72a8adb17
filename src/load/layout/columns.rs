//! A file's plan: where its header is (after any preamble), which layout it has, and
//! which columns hold the regions, years, values and groups. Both readers (the ordinary
//! one and the fast path) follow the same plan.

use crate::error::{Error, Location, Result};
use crate::load::LoadOptions;
use crate::load::cell::Filter;
use crate::load::layout::names::{self, Layout, Measure, Pattern};
use crate::load::lines::Counting;
use crate::load::records::Start;
use crate::number::Unit;
use crate::period::Period;

/// Bytes looked at to find a preamble before the header.
pub const PREFIX: usize = 64 * 1024;
/// Records looked at to find a preamble.
const PREAMBLE_RECORDS: usize = 30;

/// Which columns of a file mean what.
#[derive(Debug)]
pub struct Plan {
    pub region: Vec<usize>,
    pub group: Option<usize>,
    pub filters: Vec<(usize, Filter)>,
    pub kind: PlanKind,
    pub unit: Unit,
    /// A column that tells rows that are totals of others from their parts.
    pub level: Option<LevelRule>,
    /// What was guessed rather than said, for the user to hear.
    pub choices: Vec<Choice>,
    /// A code column that tells apart regions of one name (not shown: names are).
    pub code_key: Option<usize>,
}

/// Something a plan guessed: each is said in a note, with the flag that says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The regions are told apart by these columns.
    RegionColumns(Vec<String>),
    /// The populations are in the columns of this pattern.
    ValuePattern(String),
    /// The values are in this unit, as the named text says.
    Unit(Unit, String),
    /// Fields are separated by this byte, not a comma.
    Delimiter(u8),
    /// Numbers are written 1.234.567,8.
    DecimalComma,
    /// The regions are in this column, the only column of text (named so, or unnamed).
    RegionAlone(String),
    /// The regions are in this column, the one of text whose values are all different.
    RegionByValues(String),
    /// Several columns of one year: those of these series (`July 1, {year}`) were read,
    /// the series with the most columns; these others were left out.
    Series {
        /// The series read, as patterns.
        kept: String,
        /// The columns left out.
        left_out: Vec<String>,
    },
    /// The text is in this legacy encoding (named as `--encoding` takes it), guessed.
    Encoding(&'static str),
}

/// How a file's own columns say which rows are totals of others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelRule {
    /// A World Bank `Country Code` column: aggregate codes (WLD, HIC, EUU...) are totals.
    WorldBankCode(usize),
    /// A Census `SUMLEV` column: rows of one summary level only may be summed.
    SummaryLevel(usize),
    /// A UN World Population Prospects `Type` column: only `Country` rows are parts.
    UnType(usize),
    /// A Statistics Canada `DGUID` column: the country (schema A0000) holds the provinces.
    StatCanDguid(usize),
    /// A column of codes that nest by prefix (03 holds 031, which holds 03101; Destatis,
    /// NUTS): only the rows that hold no others are summed.
    CodePrefix(usize),
    /// popdelta's own `level` column (its CSV or workbook read back): region rows are the
    /// parts, aggregate rows totals of others; group and total rows, sums of the parts, are
    /// summed again rather than read.
    Popdelta(usize),
}

/// The World Bank's aggregate codes: regions, income and lending groups, the world (and
/// `INX`, not classified): never countries.
pub const WORLD_BANK_AGGREGATES: &[&str] = &[
    "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS",
    "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC", "LIC", "LMC",
    "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA",
    "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
];

impl LevelRule {
    /// The rule a header calls for, if any.
    fn of(header: &[String]) -> Option<LevelRule> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        // popdelta's own output, read back.
        if let (Some(c), Some(_)) = (find("level"), find("region")) {
            return Some(LevelRule::Popdelta(c));
        }
        // The UN's files have a (numeric) "Country code" too: their Type decides.
        if let (Some(c), Some(_)) = (find("Type"), find("Parent code")) {
            return Some(LevelRule::UnType(c));
        }
        if let Some(c) = find("Country Code") {
            return Some(LevelRule::WorldBankCode(c));
        }
        if let Some(c) = find("SUMLEV") {
            return Some(LevelRule::SummaryLevel(c));
        }
        if let Some(c) = find("DGUID") {
            return Some(LevelRule::StatCanDguid(c));
        }
        ["code", "ags", "nuts_id", "nuts", "geo", "kennziffer"]
            .iter()
            .find_map(|n| find(n))
            .map(LevelRule::CodePrefix)
    }

    /// Why a row whose level column holds `cell` is a total of others, if it is one.
    pub fn aggregate(self, cell: &str) -> Option<String> {
        let cell = cell.trim();
        match self {
            LevelRule::WorldBankCode(_) => WORLD_BANK_AGGREGATES
                .contains(&cell)
                .then(|| format!("World Bank aggregate {cell}")),
            LevelRule::UnType(_) => (!cell.eq_ignore_ascii_case("country") && !cell.is_empty())
                .then(|| format!("Type {cell}")),
            LevelRule::StatCanDguid(_) => (cell.get(4..9) == Some("A0000"))
                .then(|| format!("DGUID {cell}, the whole country")),
            LevelRule::Popdelta(_) => {
                (cell != "region").then(|| format!("level {cell}, as popdelta wrote it"))
            }
            // Group codes (EU28, DE_TOT) are totals where their parts are in the file too,
            // which only the whole file tells: see `Panel::mark_code_tree`.
            LevelRule::CodePrefix(_) => None,
            LevelRule::SummaryLevel(_) => None,
        }
    }

    /// Whether a row of this level is a sum popdelta wrote (a group's or the total's),
    /// which is made again from the parts rather than read.
    pub fn is_written_sum(self, cell: &str) -> bool {
        matches!(self, LevelRule::Popdelta(_)) && matches!(cell.trim(), "group" | "total")
    }

    /// The column it reads.
    pub fn column(self) -> usize {
        match self {
            LevelRule::WorldBankCode(c)
            | LevelRule::SummaryLevel(c)
            | LevelRule::UnType(c)
            | LevelRule::StatCanDguid(c)
            | LevelRule::CodePrefix(c)
            | LevelRule::Popdelta(c) => c,
        }
    }
}

#[derive(Debug)]
pub enum PlanKind {
    /// Region, year, and one column per measure.
    Long {
        year: usize,
        measures: Vec<(Measure, usize)>,
    },
    /// Region and one column per year and measure.
    Wide {
        columns: Vec<(Period, Measure, usize)>,
    },
}

/// A file's label and header, for building errors.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub header: &'a [String],
    pub skip: u64,
    /// The table's first lines, by line number, as fields: a column named on the command
    /// line may stand on another than the header's, and then the header is another line.
    pub skipped: &'a [(u64, Vec<String>)],
    /// How the file's places are named (lines, or a sheet's cells).
    pub start: Start,
}

impl Ctx<'_> {
    /// A place in the file: a line, and a column by its header name.
    pub fn at(&self, line: u64, column: Option<usize>) -> Location {
        self.start.place(
            self.file,
            line,
            column.and_then(|c| u32::try_from(c).ok()),
            column.and_then(|c| self.header.get(c).cloned()),
        )
    }

    fn header_line(&self) -> u64 {
        self.skip + 1
    }

    fn header_error(&self, problem: String, text: &str, hint: String) -> Error {
        Error::input(self.at(self.header_line(), None), problem, text, hint)
    }

    fn listed(&self) -> String {
        let names: Vec<String> = self.header.iter().map(|h| format!("{h:?}")).collect();
        names.join(", ")
    }

    /// The one column with this name; an error if absent or duplicated.
    pub fn column(&self, name: &str, flag: &str) -> Result<usize> {
        let found = names::find_all(self.header, name);
        // A 1-based position names a column too (an unnamed one can be named no other
        // way), where no column has that name.
        let position = name
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&p| p >= 1 && p <= self.header.len());
        match (found.as_slice(), position) {
            ([one], _) => Ok(*one),
            ([], Some(p)) => Ok(p - 1),
            ([], None) => {
                let elsewhere = self.skipped.iter().find(|(line, fields)| {
                    *line != self.header_line() && !names::find_all(fields, name).is_empty()
                });
                Err(match elsewhere {
                    Some((line, _)) => self.header_error(
                        format!(
                            "no column {name:?} in the header, line {}; it is on line {line}, \
                             {}",
                            self.header_line(),
                            if *line < self.header_line() {
                                "which was skipped as a preamble"
                            } else {
                                "below the header"
                            }
                        ),
                        "",
                        format!(
                            "say --skip-rows {} to take line {line} for the header",
                            line - 1
                        ),
                    ),
                    None => self.header_error(
                        format!("no column {name:?} in the header"),
                        "",
                        format!(
                            "{flag} must name one of: {}, or give a column's position (1 to {})",
                            self.listed(),
                            self.header.len()
                        ),
                    ),
                })
            }
            ([first, second, ..], _) => Err(self.header_error(
                format!(
                    "column {name:?} appears more than once in the header (columns {} and {})",
                    first + 1,
                    second + 1
                ),
                name,
                "rename one of them".into(),
            )),
        }
    }

    /// A column found by a known name: used, so it must not be duplicated.
    fn unique(&self, index: usize) -> Result<usize> {
        let name = &self.header[index];
        self.column(name, "the column")
    }
}

/// A character that seems to separate the fields of a one-field header: one that is not a
/// letter, digit or space and occurs at least twice ("region:2016:2017").
fn other_separator(header: &str) -> Option<char> {
    const CANDIDATES: &[char] = &[':', '^', '~', '#', '/', '\\', '!', '*', '+', '='];
    CANDIDATES
        .iter()
        .copied()
        .filter(|&c| header.matches(c).count() >= 2)
        .max_by_key(|&c| header.matches(c).count())
}

/// How the data lines at the start of a file write numbers: with a decimal comma and
/// points between thousands (1.234.567 or 12,5) only when some number shows it and none
/// shows the other way (12.5, 1,234.5). A file separated by commas writes points.
pub fn sniff_decimals(prefix: &[u8], delimiter: u8, skip: u64) -> crate::load::cell::Decimals {
    use crate::load::cell::Decimals;
    if delimiter == b',' {
        return Decimals::Point;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let grouped = |int: &str, sep: char| {
        let mut groups = int.split(sep);
        let first = groups.next().unwrap_or("");
        let rest: Vec<&str> = groups.collect();
        (1..=3).contains(&first.len())
            && digits(first)
            && !rest.is_empty()
            && rest.iter().all(|g| g.len() == 3 && digits(g))
    };
    let (mut comma, mut point) = (0usize, 0usize);
    let lines = crate::load::lines::split(prefix).skip(usize::try_from(skip).unwrap_or(0));
    for line in lines.take(200) {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        for field in line.split(char::from(delimiter)) {
            let f = field.trim().trim_matches('"');
            let (int, frac) = match (f.matches('.').count(), f.matches(',').count()) {
                (0, 1) => f
                    .split_once(',')
                    .map_or((f, None), |(i, d)| (i, Some((',', d)))),
                (1, 0) => f
                    .split_once('.')
                    .map_or((f, None), |(i, d)| (i, Some(('.', d)))),
                (_, 0) if grouped(f, '.') => {
                    comma += 1;
                    continue;
                }
                (0, _) if grouped(f, ',') => {
                    point += 1;
                    continue;
                }
                _ => continue,
            };
            match frac {
                // 1,234 and 1.234 could be either.
                Some((_, d)) if d.len() == 3 && digits(int) && int.len() <= 3 => {}
                Some((',', d)) if digits(d) && (digits(int) || grouped(int, '.')) => comma += 1,
                Some(('.', d)) if digits(d) && (digits(int) || grouped(int, ',')) => point += 1,
                _ => {}
            }
        }
    }
    if comma > 0 && point == 0 {
        Decimals::Comma
    } else {
        Decimals::Point
    }
}

/// Separators a file may put between fields, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// One of a file's first records, as far as finding the header goes.
#[derive(Debug, Clone, Copy)]
struct Rec {
    line: u64,
    /// Fields.
    len: usize,
    /// Fields up to the last that is not empty: "Title;;;;" is one wide.
    content: usize,
    /// Whether the last field is empty (a trailing comma).
    last_empty: bool,
    /// Whether it looks like a header: years ("2016", "2016年") or known column names.
    headerish: bool,
}

/// A file's first records (up to `n`), trimmed, with their lines.
pub fn first_rows(
    prefix: &[u8],
    complete: bool,
    delimiter: u8,
    n: usize,
) -> Vec<(u64, Vec<String>)> {
    let (counted, lines) = Counting::new(prefix);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(counted);
    let mut rows = Vec::new();
    for rec in rdr.byte_records().take(n) {
        let Ok(rec) = rec else { break };
        let line = lines
            .borrow_mut()
            .line_at(rec.position().map_or(0, |p| p.byte()));
        rows.push((
            line,
            rec.iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect(),
        ));
    }
    if !complete {
        rows.pop(); // the last record may be cut off by the prefix
    }
    rows
}

/// The first records of a file.
fn widths(prefix: &[u8], complete: bool, delimiter: u8) -> Vec<Rec> {
    widths_of(&first_rows(prefix, complete, delimiter, PREAMBLE_RECORDS))
}

/// The widths of a table's first rows (up to [`PREAMBLE_RECORDS`]).
fn widths_of(rows: &[(u64, Vec<String>)]) -> Vec<Rec> {
    rows.iter()
        .take(PREAMBLE_RECORDS)
        .map(|(line, fields)| {
            let line = *line;
            // Two years at least (a long file's rows have one each), or a known column
            // name.
            let headerish = fields
                .iter()
                .filter(|f| names::year_of(f).is_some())
                .count()
                >= 2
                || names::known_region(fields, None).is_some()
                || names::known_year(fields).is_some()
                || names::known_value(fields).is_some();
            Rec {
                line,
                len: fields.len(),
                content: fields
                    .iter()
                    .rposition(|f| !f.is_empty())
                    .map_or(0, |i| i + 1),
                last_empty: fields.last().is_some_and(String::is_empty),
                headerish,
            }
        })
        .collect()
}

/// Whether two records are of one width: as many fields, or one more that is empty (a
/// trailing comma on some lines and not others).
fn same(a: &Rec, b: &Rec) -> bool {
    a.len == b.len || (a.len == b.len + 1 && a.last_empty) || (b.len == a.len + 1 && b.last_empty)
}

/// The separator a file's first lines use: the one that splits the most of them into the
/// same number (two or more) of fields, the wider on a tie (a Eurostat TSV has one comma
/// per line, and many tabs). A comma when none does.
pub fn sniff_delimiter(prefix: &[u8], complete: bool) -> u8 {
    let mut best = (0usize, 0usize, b',');
    for d in DELIMITERS {
        let recs = widths(prefix, complete, d);
        let recs = &recs;
        let mut counts: Vec<(usize, usize)> = Vec::new();
        let width = |r: &Rec| r.len - usize::from(r.last_empty && r.len > 1);
        for w in recs.iter().map(width).filter(|&w| w >= 2) {
            match counts.iter_mut().find(|(cw, _)| *cw == w) {
                Some((_, n)) => *n += 1,
                None => counts.push((w, 1)),
            }
        }
        if let Some(&(w, n)) = counts.iter().max_by_key(|&&(w, n)| (n, w))
            && (n, w) > (best.0, best.1)
        {
            best = (n, w, d);
        }
    }
    best.2
}

/// The number of lines before the header: the first record that has at least two fields
/// and as many as each of the (up to five) records after it, all records before it having
/// fewer fields. Zero when no such record stands out.
pub fn preamble_lines(prefix: &[u8], complete: bool, delimiter: u8) -> u64 {
    preamble_of(&widths(prefix, complete, delimiter))
}

/// [`preamble_lines`] of a table's first rows, as read (a text's or a sheet's).
pub fn preamble_in(rows: &[(u64, Vec<String>)]) -> u64 {
    preamble_of(&widths_of(rows))
}

fn preamble_of(recs: &[Rec]) -> u64 {
    for (i, rec) in recs.iter().enumerate() {
        let after = &recs[i + 1..recs.len().min(i + 6)];
        // Rows as wide as the header follow it, up to notes (narrower) at the end.
        let rows = after.iter().take_while(|m| same(rec, m)).count();
        let then_notes = after[rows..].iter().all(|m| m.content < rec.content);
        if rec.content >= 2 && rows > 0 && then_notes {
            let before_fewer = recs[..i].iter().all(|m| m.content < rec.content);
            if !before_fewer {
                return 0;
            }
            // Rows of codes may stand above the header (e-Stat): the header is the first
            // of them that names years or known columns, if this one does not.
            let header = match rec.headerish {
                true => rec,
                false => after[..rows.min(3)]
                    .iter()
                    .find(|m| m.headerish)
                    .unwrap_or(rec),
            };
            return header.line - 1;
        }
    }
    0
}

/// Decides the layout and the columns of each measure, one decision after another: the
/// group column, the region columns, the filters, long or wide, the measures' columns, the
/// unit, the level column.
///
/// `stated` is a unit the lines before the header state, and the line that states it.
pub fn plan(ctx: &Ctx, opts: &LoadOptions, stated: Option<(Unit, String)>) -> Result<Plan> {
    let header = ctx.header;
    let mut choices = Vec::new();
    let group = group_column(ctx, opts)?;
    let region = region_columns(ctx, opts, group, &mut choices)?;
    let filters = opts
        .filters
        .iter()
        .map(|f| Ok((ctx.column(&f.column, "--where")?, f.clone())))
        .collect::<Result<_>>()?;
    let (layout, value_col) = layout_of(ctx, opts, &mut choices)?;
    let (kind, unit_hint) = match layout {
        Layout::Long => long_columns(ctx, opts)?,
        _ => {
            let taken: Vec<usize> = region.iter().copied().chain(group).collect();
            wide_columns(ctx, opts, value_col.as_deref(), &taken, &mut choices)?
        }
    };
    let unit = match (opts.unit, unit_hint.or(stated)) {
        (Some(u), _) => u,
        (None, Some((u, said_by))) => {
            choices.push(Choice::Unit(u, said_by));
            u
        }
        (None, None) => Unit::default(),
    };
    let level = LevelRule::of(header);
    // Codes tell regions apart when the regions were found by a name column.
    let code_key = match level {
        Some(LevelRule::CodePrefix(c)) if opts.region_cols.is_empty() && !region.contains(&c) => {
            Some(c)
        }
        _ => None,
    };
    Ok(Plan {
        region,
        group,
        filters,
        kind,
        unit,
        level,
        choices,
        code_key,
    })
}

/// The group column: as `--group-by` names it, or popdelta's own `group` read back.
fn group_column(ctx: &Ctx, opts: &LoadOptions) -> Result<Option<usize>> {
    Ok(match &opts.group_col {
        Some(c) => Some(ctx.column(c, "--group-by")?),
        None => match LevelRule::of(ctx.header) {
            Some(LevelRule::Popdelta(_)) => ctx
                .header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case("group")),
            _ => None,
        },
    })
}

/// The columns that tell regions apart: as `--region-col` names them, or by a known name
/// (a Census county file's county and state), said where it was a guess.
fn region_columns(
    ctx: &Ctx,
    opts: &LoadOptions,
    group: Option<usize>,
    choices: &mut Vec<Choice>,
) -> Result<Vec<usize>> {
    let header = ctx.header;
    if !opts.region_cols.is_empty() {
        return opts
            .region_cols
            .iter()
            .map(|c| ctx.column(c, "--region-col"))
            .collect();
    }
    let found = match names::census_county(header) {
        Some(both) => Some(both),
        None => names::known_region(header, group).map(|i| vec![i]),
    };
    let Some(cols) = found else {
        return Err(ctx.header_error(
            "no region column (region, name, country name, province, 地区, 省份, ...)".into(),
            &header.join(","),
            no_region_hint(header, matches!(ctx.start, Start::Sheet(_))),
        ));
    };
    let cols = cols
        .into_iter()
        .map(|i| ctx.unique(i))
        .collect::<Result<Vec<_>>>()?;
    // The one column of a known region name is no guess worth a note.
    if cols.len() > 1 || names::known_region_count(header) > 1 {
        choices.push(Choice::RegionColumns(
            cols.iter().map(|&c| header[c].clone()).collect(),
        ));
    }
    Ok(cols)
}

/// The fix for a header with no known region column: another separator where a text's
/// header is one field, else the columns that may hold the regions.
fn no_region_hint(header: &[String], sheet: bool) -> String {
    if let ([one], false) = (header, sheet) {
        return match other_separator(one) {
            Some(sep) => format!(
                "the header is one field, which {sep:?} seems to separate: say --delimiter \
                 '{sep}'"
            ),
            None => "the header is one field: is this a table? Name the region column with \
                     --region-col COL"
                .into(),
        };
    }
    // The columns that are no year: the region is one of them.
    let named: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|h| !h.trim().is_empty() && names::year_of(h).is_none())
        .take(5)
        .collect();
    match named.split_first() {
        Some((first, rest)) => format!(
            "name it with --region-col {first}{} (several, comma-separated, if regions need \
             more than one column to be told apart)",
            if rest.is_empty() {
                String::new()
            } else {
                format!(", or another of {}", crate::error::listed(rest, ", "))
            }
        ),
        None => format!(
            "name it with --region-col COL, or give its position (1 to {})",
            header.len()
        ),
    }
}

/// Long or wide, as said or as the header shows; with the population columns' pattern of a
/// wide file (guessed where the header names them by a known word and a year).
fn layout_of(
    ctx: &Ctx,
    opts: &LoadOptions,
    choices: &mut Vec<Choice>,
) -> Result<(Layout, Option<String>)> {
    let header = ctx.header;
    let mut value_col = opts.value_col.clone();
    let known_year = names::known_year(header);
    let plain_years = header.iter().any(|h| names::year_of(h).is_some());
    // No year columns: population columns named by a known word and a year, such as
    // POPESTIMATE2017, are taken for the populations (and said).
    if value_col.is_none()
        && opts.year_col.is_none()
        && known_year.is_none()
        && !plain_years
        && let Some(found) = names::population_pattern(header)
    {
        choices.push(Choice::ValuePattern(found.clone()));
        value_col = Some(found);
    }
    let value_pattern = value_col.as_deref().and_then(Pattern::parse);
    let layout = match opts.layout {
        Layout::Auto if value_pattern.is_some() => Layout::Wide,
        Layout::Auto if opts.year_col.is_some() || known_year.is_some() => Layout::Long,
        Layout::Auto if plain_years => Layout::Wide,
        Layout::Auto => {
            return Err(ctx.header_error(
                "cannot tell the layout: no year column (year, 年份) and no columns named by \
                 year (2016, 2017, ...)"
                    .into(),
                &header.join(","),
                "say --layout long --year-col NAME --value-col NAME, or give a wide file's \
                 columns as a pattern, e.g. --value-col 'POPESTIMATE{year}'"
                    .into(),
            ));
        }
        other => other,
    };
    Ok((layout, value_col))
}

/// A unit a column's name states, with the name.
type UnitHint = Option<(Unit, String)>;

/// A long file's year column and each measure's column, with the unit the population
/// column's name states.
fn long_columns(ctx: &Ctx, opts: &LoadOptions) -> Result<(PlanKind, UnitHint)> {
    let header = ctx.header;
    let year = match &opts.year_col {
        Some(c) => ctx.column(c, "--year-col")?,
        None => match names::known_year(header) {
            Some(i) => ctx.unique(i)?,
            None => {
                return Err(ctx.header_error(
                    "no year column (year, 年份) for the long layout".into(),
                    &header.join(","),
                    "name it with --year-col".into(),
                ));
            }
        },
    };
    let mut unit_hint = None;
    let mut measures = Vec::new();
    for m in Measure::ALL {
        let idx = match opts.column_spec(m) {
            Some(s) if s.contains("{year}") => {
                return Err(ctx.header_error(
                    format!("{} {s:?} is a pattern, but the file is long", m.flag()),
                    s,
                    format!(
                        "in a long file {} names one column; patterns with {{year}} are for \
                         wide files",
                        m.flag()
                    ),
                ));
            }
            Some(s) => Some(ctx.column(s, m.flag())?),
            None if m == Measure::Population => match names::known_value(header) {
                Some(i) => Some(ctx.unique(i)?),
                None => {
                    return Err(ctx.header_error(
                        "no population column (population, pop, value, 常住人口) for the long \
                         layout"
                            .into(),
                        &header.join(","),
                        "name it with --value-col".into(),
                    ));
                }
            },
            None => None,
        };
        if let Some(i) = idx {
            if m == Measure::Population {
                unit_hint = names::unit_in_name(&header[i]).map(|u| (u, header[i].clone()));
            }
            measures.push((m, i));
        }
    }
    Ok((PlanKind::Long { year, measures }, unit_hint))
}

/// Each measure's pattern of columns in a wide file (plain years hold the population).
fn wide_patterns(
    ctx: &Ctx,
    opts: &LoadOptions,
    value_col: Option<&str>,
) -> Result<Vec<(Measure, Option<Pattern>)>> {
    let mut patterns = Vec::new();
    for m in Measure::ALL {
        let spec = match m {
            Measure::Population => value_col,
            _ => opts.column_spec(m),
        };
        match spec {
            Some(s) => match Pattern::parse(s) {
                Some(p) => patterns.push((m, Some(p))),
                None => {
                    return Err(ctx.header_error(
                        format!("{} {s:?} has no {{year}}, but the file is wide", m.flag()),
                        s,
                        format!(
                            "in a wide file {} is a pattern such as 'BIRTHS{{year}}'",
                            m.flag()
                        ),
                    ));
                }
            },
            None if m == Measure::Population => patterns.push((m, None)),
            None => {}
        }
    }
    Ok(patterns)
}

/// A wide file's columns: each year's and measure's, but the `taken` ones (regions, group),
/// with the unit the first population column's name states.
fn wide_columns(
    ctx: &Ctx,
    opts: &LoadOptions,
    value_col: Option<&str>,
    taken: &[usize],
    choices: &mut Vec<Choice>,
) -> Result<(PlanKind, UnitHint)> {
    let header = ctx.header;
    let patterns = wide_patterns(ctx, opts, value_col)?;
    let mut unit_hint = None;
    let mut columns = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if taken.contains(&i) {
            continue;
        }
        for (m, p) in &patterns {
            let period = match p {
                Some(p) => p.year(h).map(Period::year),
                None => Period::parse(h),
            };
            let Some(period) = period else { continue };
            columns.push((period, *m, i));
            if *m == Measure::Population && unit_hint.is_none() {
                unit_hint = names::unit_in_name(h).map(|u| (u, h.clone()));
            }
        }
    }
    let columns = if !opts.periods.is_empty() || periods_of_a_year(&columns) {
        distinct_periods(ctx, columns)?
    } else {
        let years = columns
            .into_iter()
            .map(|(p, m, c)| (p.year_number(), m, c))
            .collect();
        one_series_a_year(ctx, years, choices)?
            .into_iter()
            .map(|(y, m, c)| (Period::year(y), m, c))
            .collect()
    };
    if !columns.iter().any(|&(_, m, _)| m == Measure::Population) {
        let spec = value_col.unwrap_or("{year}");
        return Err(ctx.header_error(
            format!("no column matches the population columns {spec:?}"),
            &header.join(","),
            "name them with a pattern, e.g. --value-col 'POPESTIMATE{year}'".into(),
        ));
    }
    Ok((PlanKind::Wide { columns }, unit_hint))
}

/// Whether the columns are periods within years (quarters, months: 2026M01, 2026M02):
/// some year has several columns of one measure, each a different half, quarter, month or
/// week. Dates and years are not: two columns of one year there are two series (the
/// Census' "April 1, 2010" beside "July 1, 2010").
fn periods_of_a_year(columns: &[(Period, Measure, usize)]) -> bool {
    use crate::period::Freq;
    let within = |p: &Period| {
        matches!(
            p.freq(),
            Freq::Half | Freq::Quarter | Freq::Month | Freq::Week
        )
    };
    let mut seen: Vec<(Period, Measure)> = columns.iter().map(|&(p, m, _)| (p, m)).collect();
    seen.sort_unstable_by_key(|&(p, m)| (m, p));
    let distinct = seen.windows(2).all(|w| w[0] != w[1]);
    let shared = seen
        .windows(2)
        .any(|w| w[0].1 == w[1].1 && w[0].0.year_number() == w[1].0.year_number());
    distinct && shared && columns.iter().all(|(p, _, _)| within(p))
}

/// The columns as the periods they name, one column each; refused where two name one
/// period.
fn distinct_periods(
    ctx: &Ctx,
    columns: Vec<(Period, Measure, usize)>,
) -> Result<Vec<(Period, Measure, usize)>> {
    for (i, a) in columns.iter().enumerate() {
        if let Some(b) = columns[i + 1..].iter().find(|b| b.0 == a.0 && b.1 == a.1) {
            let header = ctx.header;
            return Err(ctx.header_error(
                format!(
                    "columns {:?} and {:?} both hold the {} of {}",
                    header[a.2].trim(),
                    header[b.2].trim(),
                    a.1.noun(),
                    a.0
                ),
                "",
                "rename one of them".into(),
            ));
        }
    }
    Ok(columns)
}

/// One column a year for each measure: where a year has several (the Census' "April 1,
/// 2010", the census, beside "July 1, 2010", the estimate), the one of the series that
/// has the most columns ("July 1, {year}"), said with the columns left out; refused where
/// two series have as many.
fn one_series_a_year(
    ctx: &Ctx,
    columns: Vec<(i32, Measure, usize)>,
    choices: &mut Vec<Choice>,
) -> Result<Vec<(i32, Measure, usize)>> {
    let header = ctx.header;
    let series = |&(y, _, c): &(i32, Measure, usize)| {
        period_pattern(&header[c], y).unwrap_or_else(|| "{year}".to_owned())
    };
    let size = |m: Measure, key: &str| {
        columns
            .iter()
            .filter(|col| col.1 == m && series(col) == key)
            .count()
    };
    let mut kept: Vec<(i32, Measure, usize)> = Vec::with_capacity(columns.len());
    let mut left_out = Vec::new();
    let mut chosen_series = Vec::new();
    for col in &columns {
        let (y, m, _) = *col;
        if kept.iter().any(|k| k.0 == y && k.1 == m) {
            continue;
        }
        let same: Vec<&(i32, Measure, usize)> =
            columns.iter().filter(|o| o.0 == y && o.1 == m).collect();
        let mut ranked: Vec<(usize, &(i32, Measure, usize))> =
            same.iter().map(|o| (size(m, &series(o)), *o)).collect();
        ranked.sort_by_key(|(n, o)| (std::cmp::Reverse(*n), o.2));
        if let [(n, first), (n2, second), ..] = ranked[..]
            && n == n2
        {
            return Err(two_of_a_year(
                ctx,
                m,
                y,
                &header[first.2],
                &header[second.2],
            ));
        }
        let best = *ranked[0].1;
        if ranked.len() > 1 {
            left_out.extend(
                ranked[1..]
                    .iter()
                    .map(|(_, o)| header[o.2].trim().to_owned()),
            );
            let key = series(&best);
            if !chosen_series.contains(&key) {
                chosen_series.push(key);
            }
        }
        kept.push(best);
    }
    kept.sort_by_key(|k| k.2);
    if !left_out.is_empty() {
        choices.push(Choice::Series {
            kept: chosen_series.join(", "),
            left_out,
        });
    }
    Ok(kept)
}

/// The error for two columns of one year's figures: two periods of it (quarters, months),
/// or two names for it.
fn two_of_a_year(ctx: &Ctx, m: Measure, year: i32, first: &str, second: &str) -> Error {
    let periods = !names::is_plain_year(first) || !names::is_plain_year(second);
    let hint = match (periods, period_pattern(second, year)) {
        (true, Some(p)) => format!(
            "popdelta compares one figure a year: read one period with {} '{p}'",
            m.flag()
        ),
        _ => "rename one of them".into(),
    };
    ctx.header_error(
        format!(
            "columns {first:?} and {second:?} both hold the {} of {year}",
            m.noun()
        ),
        "",
        hint,
    )
}

/// A period's column name as a pattern of its year: "2024-07" is "{year}-07".
fn period_pattern(name: &str, year: i32) -> Option<String> {
    let y = year.to_string();
    let n = name.trim();
    n.find(&y)
        .map(|i| format!("{}{{year}}{}", &n[..i], &n[i + y.len()..]))
}

/// The header line at the start of `text`, if it ends there: its trimmed names and the
/// bytes it takes, line break included. `None` when it does not end in `text` or is not UTF-8.
pub fn first_header(text: &[u8], delimiter: u8) -> Option<(Vec<String>, usize)> {
    // A line break (LF, CRLF or a lone CR) ends the header only outside quotes, that is
    // after an even number of them.
    let mut quotes = 0usize;
    let newline = text.iter().position(|&b| {
        quotes += usize::from(b == b'"');
        (b == b'\n' || b == b'\r') && quotes.is_multiple_of(2)
    })?;
    let end = match &text[newline..] {
        [b'\r', b'\n', ..] => newline + 2,
        // A CR at the end of what was read may be the first half of a CRLF.
        [b'\r'] => return None,
        _ => newline + 1,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(&text[..end]);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).ok()? {
        return None;
    }
    let names = rec
        .iter()
        .map(|f| std::str::from_utf8(f).ok().map(|s| s.trim().to_owned()))
        .collect::<Option<Vec<String>>>()?;
    Some((names, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_bank_preamble_is_found() {
        let text = b"\"Data Source\",\"World Development Indicators\",\n\n\"Last Updated Date\",\"2018-09-21\",\n\n\"Country Name\",\"Country Code\",\"2016\",\"2017\",\n\"Aruba\",\"ABW\",\"104822\",\"105264\",\n\"Andorra\",\"AND\",\"77297\",\"\",\n";
        assert_eq!(preamble_lines(text, true, b','), 4);
        assert_eq!(preamble_lines(b"a,b\n1,2\n3,4\n", true, b','), 0);
        // A header that only looks like one after a longer first row: no guessing.
        assert_eq!(preamble_lines(b"a,b,c\nx,y\n1,2\n", true, b','), 0);
        assert_eq!(preamble_lines(b"", true, b','), 0);
        // Rows with a trailing comma under a header without one: no preamble.
        assert_eq!(
            preamble_lines(
                b"region,year,population\nA,2016,100,\nA,2017,90,\n",
                true,
                b','
            ),
            0
        );
        // A short file with a preamble and a footer.
        assert_eq!(
            preamble_lines(
                "指标：人口(万人)\n地区,2016年,2017年\nA,1,2\nB,3,4\n注：x\n".as_bytes(),
                true,
                b','
            ),
            1
        );
        // Rows whose last value is missing are as wide as the header.
        assert_eq!(
            preamble_lines(b"region,2016,2017\nA,1,\nB,2,3\n", true, b','),
            0
        );
    }
}
