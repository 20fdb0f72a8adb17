//! The table for people: aligned columns, thousands separators, signed changes, groups and
//! the total set apart, and a footer saying what the figures are.

use crate::period::Period;
use std::io;

use comfy_table::{Cell, CellAlignment, LineStyle, Table, TableStyle};

use unicode_width::UnicodeWidthStr;

use crate::compute::{Comparison, Level, Line};
use crate::panel::PanelInfo;
use crate::render::escape::terminal;
use crate::render::{Naming, Options, Shape, WRAP_WIDTH, wrap};

const BOX: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));

/// For terminals that draw box characters double-wide.
const ASCII: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('-').junction('-'))
    .header_separator(LineStyle::none().fill('-').junction('-'))
    .bottom_border(LineStyle::none().fill('-').junction('-'));

const DECLINE: anstyle::Style = anstyle::AnsiColor::Red.on_default();
const GROWTH: anstyle::Style = anstyle::AnsiColor::Green.on_default();

/// How the table is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    /// Colour declines red and growth green (ANSI; stripped later where not wanted).
    pub color: bool,
    /// ASCII rules instead of box-drawing characters.
    pub ascii: bool,
    /// The terminal's width: columns are left out, by a stated priority, to fit it.
    pub width: Option<usize>,
    /// The columns asked for with `--columns` (the region's is always there); none: all
    /// that fit.
    pub columns: Option<ColumnSet>,
    /// The footer's short form, for a terminal, rather than every note in full.
    pub short_notes: bool,
}

/// Each table column `--columns` chooses among, and the one command whose table has it
/// (`None`: both compare's and trend's).
const COLUMN_TABLES: [(&str, Option<TableOf>); 15] = [
    ("region_zh", None),
    ("pop_from", None),
    ("pop_to", None),
    ("change", None),
    ("change_pct", None),
    ("natural_increase", Some(TableOf::Compare)),
    ("net_migration", Some(TableOf::Compare)),
    ("net_migration_per_1000", Some(TableOf::Compare)),
    ("residual", Some(TableOf::Compare)),
    ("cagr_pct", Some(TableOf::Trend)),
    ("peak_year", Some(TableOf::Trend)),
    ("years_down", Some(TableOf::Trend)),
    ("longest_decline", Some(TableOf::Trend)),
    ("decline_streak", Some(TableOf::Trend)),
    ("sparkline", Some(TableOf::Trend)),
];

/// The names of the table columns that `--columns` chooses among (compare's and trend's).
pub const COLUMN_NAMES: [&str; 15] = {
    let mut names = [""; 15];
    let mut i = 0;
    while i < names.len() {
        names[i] = COLUMN_TABLES[i].0;
        i += 1;
    }
    names
};

/// Which command's table a column is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableOf {
    /// `popdelta compare`.
    Compare,
    /// `popdelta trend`.
    Trend,
}

impl TableOf {
    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            TableOf::Compare => "compare",
            TableOf::Trend => "trend",
        }
    }
}

/// A set of [`COLUMN_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ColumnSet(u32);

impl ColumnSet {
    /// Parses a comma-separated list of column names.
    pub fn parse(text: &str) -> Result<ColumnSet, String> {
        let mut set = 0;
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match COLUMN_NAMES.iter().position(|c| *c == name) {
                Some(i) => set |= 1 << i,
                None => {
                    return Err(format!(
                        "no table column {name:?}; the columns are {}",
                        COLUMN_NAMES.join(", ")
                    ));
                }
            }
        }
        if set == 0 {
            return Err(format!(
                "no column named in {text:?}; name one or more of {}",
                COLUMN_NAMES.join(", ")
            ));
        }
        Ok(ColumnSet(set))
    }

    /// The names in the set, in [`COLUMN_NAMES`]' order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        COLUMN_NAMES
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| n)
    }

    /// Refuses a column of the other command's table: `table`'s would not show it, and
    /// a table of the region alone would be drawn in silence.
    pub fn of_table(self, table: TableOf) -> Result<(), String> {
        for (name, of) in COLUMN_TABLES {
            if self.has(name)
                && let Some(other) = of.filter(|&t| t != table)
            {
                let own: Vec<&str> = COLUMN_TABLES
                    .iter()
                    .filter(|(_, t)| t.is_none_or(|t| t == table))
                    .map(|(n, _)| *n)
                    .collect();
                return Err(format!(
                    "--columns {name} is a column of {}'s table (popdelta {}), not {}'s; \
                     {}'s columns are {}",
                    other.name(),
                    other.name(),
                    table.name(),
                    table.name(),
                    own.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Refuses a column of compare's table that a comparison of `shape` has not, for want
    /// of its data, naming what would give it.
    pub fn in_shape(self, shape: Shape) -> Result<(), String> {
        for name in self.names() {
            let why = match name {
                "natural_increase" | "net_migration" | "net_migration_per_1000"
                    if !shape.components =>
                {
                    "the data has no components of change: name births and deaths with \
                     --births-col and --deaths-col (or the rate columns)"
                }
                "residual" if !shape.residual => {
                    "the residual is the change less natural increase less net migration as \
                     published: name the published figures with --migration-col, beside \
                     --births-col and --deaths-col"
                }
                "region_zh" if shape.naming != Naming::Both => {
                    "the table shows Chinese names beside the others only with --names both, \
                     for data that has them"
                }
                _ => continue,
            };
            return Err(format!("--columns {name}: {why}"));
        }
        Ok(())
    }

    /// Whether the set holds the column named `name`.
    pub fn has(self, name: &str) -> bool {
        COLUMN_NAMES
            .iter()
            .position(|c| *c == name)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }
}

/// A column of a table for people: its header, cells and their colours, and when it
/// gives way to a narrow terminal.
pub struct Column {
    /// Its name for `--columns` and the footer (one of [`COLUMN_NAMES`]); empty for the
    /// region's, which is always there.
    pub name: &'static str,
    /// The header cell.
    pub header: String,
    /// One cell per row.
    pub cells: Vec<String>,
    /// Each cell's colour, if any (empty: none).
    pub styles: Vec<Option<anstyle::Style>>,
    /// Left-aligned (names) rather than right-aligned (numbers).
    pub left: bool,
    /// On a narrow terminal, lower ranks are left out first; `None`: never left out.
    pub gives_way: Option<u8>,
}

impl Column {
    /// A right-aligned column of figures, uncoloured.
    pub fn figures(name: &'static str, header: impl Into<String>, cells: Vec<String>) -> Column {
        Column {
            name,
            header: header.into(),
            cells,
            styles: Vec::new(),
            left: false,
            gives_way: None,
        }
    }
}

/// A table as drawn: its lines, and the columns left out to fit the terminal.
pub struct Drawn {
    /// The lines, rules and all, without a footer.
    pub lines: Vec<String>,
    /// The names of the columns left out for the width, in the order they gave way.
    pub left_out: Vec<&'static str>,
}

impl Drawn {
    /// The footer line that says which columns gave way, if any did.
    pub fn left_out_note(&self, width: Option<usize>) -> Option<String> {
        let width = width?;
        if self.left_out.is_empty() {
            return None;
        }
        Some(format!(
            "Left out to fit {width} columns: {}; --columns chooses the columns (CSV and JSON \
             have them all).",
            self.left_out.join(", ")
        ))
    }
}

/// Draws `columns` for rows of `levels`: the columns `look.columns` names (all if none),
/// and on a terminal of `look.width` without those that give way first, until it fits.
pub fn draw(columns: Vec<Column>, levels: &[Level], look: Look) -> Drawn {
    let mut columns: Vec<Column> = columns
        .into_iter()
        .filter(|c| c.name.is_empty() || look.columns.is_none_or(|set| set.has(c.name)))
        .collect();
    let mut left_out = Vec::new();
    loop {
        let lines = render(&columns, levels, look);
        let too_wide = look
            .width
            .is_some_and(|w| lines.iter().any(|l| display_width(l) > w));
        // Columns chosen by name stay, however wide.
        let next = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.gives_way.map(|rank| (rank, i)))
            .min();
        match next {
            Some((_, i)) if too_wide && look.columns.is_none() => {
                left_out.push(columns.remove(i).name);
            }
            _ => return Drawn { lines, left_out },
        }
    }
}

/// The columns a line takes on a terminal: its colour sequences (ESC [ ... m) take none.
fn display_width(line: &str) -> usize {
    let mut width = 0;
    let mut rest = line;
    while let Some(i) = rest.find('\u{1b}') {
        width += rest[..i].width();
        rest = rest[i..].find('m').map_or("", |j| &rest[i + j + 1..]);
    }
    width + rest.width()
}

/// The lines of a table of `columns`, groups and the total set apart.
fn render(columns: &[Column], levels: &[Level], look: Look) -> Vec<String> {
    let mut table = Table::new();
    table.load_style(style(look));
    table.set_header(
        columns
            .iter()
            .map(|c| {
                Cell::new(&c.header).set_alignment(if c.left {
                    CellAlignment::Left
                } else {
                    CellAlignment::Right
                })
            })
            .collect::<Vec<_>>(),
    );
    let mut painted = Vec::new();
    for r in 0..levels.len() {
        let row: Vec<String> = columns
            .iter()
            .map(|c| c.cells.get(r).cloned().unwrap_or_default())
            .collect();
        if look.color {
            let styles = columns
                .iter()
                .map(|c| c.styles.get(r).copied().flatten())
                .collect();
            painted.push((row.clone(), styles));
        }
        table.add_row(row);
    }
    for (i, c) in columns.iter().enumerate() {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(if c.left {
                CellAlignment::Left
            } else {
                CellAlignment::Right
            });
        }
    }
    set_apart(table.lines().collect(), levels, &painted)
}

/// The comfy-table style for a look: box rules, or ASCII ones.
pub fn style(look: Look) -> TableStyle {
    if look.ascii { ASCII } else { BOX }
}

/// The style for a signed number: decline, growth, or none.
pub fn sign_style(n: Option<i128>) -> Option<anstyle::Style> {
    match n? {
        n if n < 0 => Some(DECLINE),
        n if n > 0 => Some(GROWTH),
        _ => None,
    }
}

/// Wraps the given cells of a rendered row in their styles. Cells stand in order with
/// only spaces between them, so each is the first match after the one before.
pub fn paint_cells(text: &str, cells: &[String], styles: &[Option<anstyle::Style>]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut pos = 0;
    for (cell, style) in cells.iter().zip(styles) {
        if cell.is_empty() {
            continue;
        }
        let Some(found) = text[pos..].find(cell.as_str()) else {
            break;
        };
        let start = pos + found;
        let end = start + cell.len();
        out.push_str(&text[pos..start]);
        match style {
            Some(st) => out.push_str(&format!("{}{cell}{}", st.render(), st.render_reset())),
            None => out.push_str(cell),
        }
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The first cell of a row: the region (as `name`), or the group or total with how many
/// of its regions declined.
fn label(line: &Line, name: &str, marked: &[String]) -> String {
    let counts = || format!("{} of {} down", line.declined, line.regions);
    match line.level {
        Level::Region if marked.iter().any(|m| m == line.region) => {
            format!("{} *", terminal(name))
        }
        Level::Region => terminal(name).into_owned(),
        Level::Group => format!("{}: {}", terminal(line.group.unwrap_or("")), counts()),
        Level::Total => format!("total: {}", counts()),
        Level::Aggregate => format!("{} (not summed)", terminal(name)),
    }
}

/// The table's columns, in order: region, 地区, the figures of `shape`.
fn table_columns(
    lines: &[Line],
    marked: &[String],
    shape: Shape,
    from: Period,
    to: Period,
) -> Vec<Column> {
    let mut columns = Vec::new();
    let names: Vec<(&str, Option<&str>)> = lines
        .iter()
        .map(|l| shape.names(l.region, l.region_zh))
        .collect();
    columns.push(Column {
        name: "",
        header: "Region".into(),
        cells: lines
            .iter()
            .zip(&names)
            .map(|(l, (name, _))| label(l, name, marked))
            .collect(),
        styles: Vec::new(),
        left: true,
        gives_way: None,
    });
    if shape.naming == Naming::Both {
        columns.push(Column {
            name: "region_zh",
            header: "地区".into(),
            cells: names
                .iter()
                .map(|(_, zh)| terminal(zh.unwrap_or_default()).into_owned())
                .collect(),
            styles: Vec::new(),
            left: true,
            gives_way: Some(1),
        });
    }
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| super::human_figures(l, shape))
        .collect();
    let cells = |i: usize| rows.iter().map(|r| r[i].clone()).collect::<Vec<_>>();
    let change = |l: &Line| sign_style(l.change.map(i128::from));
    let migration = |l: &Line| sign_style(l.components.map(|c| c.net_migration.into()));
    // Name, header, what colours it, and its rank in giving way (None: always kept).
    type Paint = fn(&Line) -> Option<anstyle::Style>;
    let mut specs: Vec<(&'static str, String, Option<Paint>, Option<u8>)> = vec![
        ("pop_from", from.to_string(), None, Some(7)),
        ("pop_to", to.to_string(), None, None),
        ("change", "Change".into(), Some(change), None),
        ("change_pct", "%".into(), Some(change), Some(3)),
    ];
    if shape.components {
        specs.extend([
            (
                "natural_increase",
                "Natural".to_owned(),
                Some(
                    (|l: &Line| sign_style(l.components.map(|c| c.natural_increase.into())))
                        as Paint,
                ),
                Some(4),
            ),
            (
                "net_migration",
                "Migration".into(),
                Some(migration),
                Some(5),
            ),
            (
                "net_migration_per_1000",
                "per 1,000".into(),
                Some(migration),
                Some(0),
            ),
        ]);
    }
    if shape.residual {
        specs.push((
            "residual",
            "Residual".into(),
            Some(|l: &Line| sign_style(l.components.and_then(|c| c.residual).map(i128::from))),
            Some(2),
        ));
    }
    for (i, (name, header, paint, gives_way)) in specs.into_iter().enumerate() {
        columns.push(Column {
            styles: paint.map_or_else(Vec::new, |p| lines.iter().map(p).collect()),
            gives_way,
            ..Column::figures(name, header, cells(i))
        });
    }
    columns
}

/// The table, drawn as `look` says, with the columns left out for the width.
pub fn draw_table(cmp: &Comparison, marked: &[String], look: Look, shape: Shape) -> Drawn {
    let lines: Vec<Line> = cmp.lines().collect();
    let columns = table_columns(&lines, marked, shape, cmp.from, cmp.to);
    let levels: Vec<Level> = lines.iter().map(|l| l.level).collect();
    draw(columns, &levels, look)
}

/// The table's lines, without the footer, every column there (names as the table shows
/// them by default).
pub fn table_lines(cmp: &Comparison, marked: &[String], look: Look) -> Vec<String> {
    draw_table(cmp, marked, look, Shape::of(cmp, None, Naming::Both)).lines
}

/// A rendered table's lines with rules setting apart group and total rows, and the
/// aggregates after the total; each row painted with its cells' styles, if given.
/// `rendered` is the top border, the header, the separator, one line per row of
/// `levels`, and the bottom border.
pub fn set_apart(
    rendered: Vec<String>,
    levels: &[Level],
    painted: &[(Vec<String>, Vec<Option<anstyle::Style>>)],
) -> Vec<String> {
    let Some(rule) = rendered.first().cloned() else {
        return rendered;
    };
    let mut out = Vec::with_capacity(rendered.len() + 2 * levels.len());
    out.extend(rendered.iter().take(3).cloned());
    let mut previous = Level::Region;
    for (i, (&level, text)) in levels.iter().zip(rendered.iter().skip(3)).enumerate() {
        let apart = |l: Level| matches!(l, Level::Group | Level::Total);
        if apart(level) || apart(previous) || (level == Level::Aggregate && previous != level) {
            // A group with no region shown is its row alone, between single rules.
            if out.last() != Some(&rule) {
                out.push(rule.clone());
            }
        }
        match painted.get(i) {
            Some((cells, styles)) => out.push(paint_cells(text, cells, styles)),
            None => out.push(text.clone()),
        }
        previous = level;
    }
    out.extend(rendered.iter().skip(3 + levels.len()).cloned());
    out
}

/// The footer, wrapped to `width` (at most [`WRAP_WIDTH`]): in full, or short for a
/// terminal.
pub fn footer(cmp: &Comparison, info: &PanelInfo, full: bool, width: Option<usize>) -> Vec<String> {
    let width = width.map_or(WRAP_WIDTH, |w| w.clamp(20, WRAP_WIDTH));
    notes_as(cmp, info, full)
        .iter()
        .flat_map(|p| wrap(p, width))
        .collect()
}

/// The notes under a table in full: what the numbers are, where they come from, and how
/// far to trust them; one paragraph each.
pub fn notes(cmp: &Comparison, info: &PanelInfo) -> Vec<String> {
    notes_as(cmp, info, true)
}

/// The last line of a short footer: where the rest is.
pub const MORE_NOTES: &str =
    "More: --notes full (or --format json) for every note, popdelta sources for the sources.";

/// "Populations in persons", and from what unit they were converted; or the unit of
/// figures that are not persons.
pub fn unit_phrase(info: &PanelInfo) -> String {
    if let Some(v) = &info.values {
        format!(
            "Values in {}, as the source gives them (not persons: compared as such, never \
             totalled)",
            v.unit
        )
    } else if info.source_unit == "persons" {
        "Populations in persons".to_owned()
    } else {
        format!(
            "Populations in persons, converted exactly from the source's {}",
            info.source_unit
        )
    }
}

/// The paragraph naming the dataset: with its description in full notes, and its grouping.
pub fn dataset_paragraph(info: &PanelInfo, full: bool) -> String {
    let mut dataset = format!("Dataset {}", info.dataset);
    if full && !info.description.is_empty() {
        dataset.push_str(&format!(": {}", info.description));
    }
    if let Some(g) = &info.grouping {
        dataset.push_str(&format!("; grouping: {g}"));
    }
    format!("{dataset}.")
}

/// The notes on single regions (a boundary change) among those `shown` says are shown,
/// each as "Region: note".
pub fn region_notes<'a>(
    info: &'a PanelInfo,
    shown: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = String> + 'a {
    info.region_notes
        .iter()
        .filter(move |(region, _)| shown(region))
        .map(|(region, note)| format!("{region}: {note}"))
}

/// What "6 of 31 down" in the group and total rows means, with the total's own counts.
pub fn down_note(total_declined: usize, total_regions: usize, what: &str) -> String {
    format!(
        "(\"{total_declined} of {total_regions} down\": {total_declined} of those {total_regions} {what})"
    )
}

/// The notes, in full or short: the short form leaves out the dataset's description and
/// standing notes, and cuts long lists, saying where the rest is.
fn notes_as(cmp: &Comparison, info: &PanelInfo, full: bool) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let unit = unit_phrase(info);
    let y = cmp.from.noun();
    // A span other than whole years is said: a change over 3 months reads differently.
    let span = if cmp.from.is_year() && cmp.to.is_year() {
        String::new()
    } else {
        format!(" ({})", cmp.from.span_to(cmp.to))
    };
    paragraphs.push(format!(
        "{unit}; change from {} to {}{span}.",
        cmp.from, cmp.to
    ));
    let shown = cmp.shown();
    let down = down_note(cmp.total.declined, cmp.total.regions, "declined");
    if !cmp.totalled() {
        if cmp.hidden > 0 {
            paragraphs.push(format!(
                "Showing {shown} of {} regions.",
                shown + cmp.hidden
            ));
        }
    } else if cmp.hidden > 0 {
        paragraphs.push(format!(
            "Showing {shown} of {} regions. Group and total rows sum all regions that have \
             both {y}s {down}.",
            shown + cmp.hidden
        ));
    } else {
        paragraphs.push(format!(
            "Group and total rows sum the regions that have both {y}s {down}."
        ));
    }
    let marked: Vec<&str> = info
        .marked
        .iter()
        .filter(|m| cmp.region(m).is_some())
        .map(String::as_str)
        .collect();
    if let Some(note) = &info.marked_note
        && !marked.is_empty()
    {
        paragraphs.push(format!(
            "* {}",
            note.replace("{regions}", &crate::error::listed(&marked, ", "))
        ));
    }
    paragraphs.extend(region_notes(info, |r| cmp.region(r).is_some()));
    paragraphs.push(dataset_paragraph(info, full));
    if full {
        paragraphs.extend(info.notes.iter().cloned());
        paragraphs.extend(cmp.notes.iter().map(super::notes::phrase));
    } else {
        paragraphs.extend(cmp.notes.iter().map(super::notes::short_phrase));
    }
    if !cmp.excluded.is_empty() {
        let names: Vec<String> = cmp
            .excluded
            .iter()
            .take(NAMES_IN_A_NOTE)
            .map(|e| format!("{} (no {})", e.region, crate::error::list_years(&e.missing)))
            .collect();
        let more = cmp.excluded.len() - names.len();
        let and_more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let noun = cmp.from.noun();
        paragraphs.push(format!(
            "Left out of the totals for lacking a {noun}: {}{and_more}.",
            names.join(", ")
        ));
    }
    if !full {
        paragraphs.push(MORE_NOTES.to_owned());
    }
    // Names and labels come from the data: shown, never obeyed.
    paragraphs
        .into_iter()
        .map(|p| terminal(&p).into_owned())
        .collect()
}

/// Regions named in a footer note; the rest are counted.
const NAMES_IN_A_NOTE: usize = 10;

/// Writes the table and its footer.
pub fn write(
    out: &mut dyn io::Write,
    cmp: &Comparison,
    info: &PanelInfo,
    opts: Options,
) -> io::Result<()> {
    let look = opts.look;
    let drawn = draw_table(
        cmp,
        &info.marked,
        look,
        Shape::of(cmp, opts.naming, Naming::Both),
    );
    for line in &drawn.lines {
        writeln!(out, "{line}")?;
    }
    let mut footer = footer(cmp, info, !look.short_notes, look.width);
    if let Some(note) = drawn.left_out_note(look.width) {
        footer.extend(wrap(
            &note,
            look.width.map_or(WRAP_WIDTH, |w| w.clamp(20, WRAP_WIDTH)),
        ));
    }
    for line in footer {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_takes_no_columns() {
        let painted = paint_cells(" A   -5 ", &["-5".to_owned()], &[Some(DECLINE)]);
        assert!(painted.len() > 8);
        assert_eq!(display_width(&painted), 8);
        assert_eq!(display_width("北京 x"), 6);
    }

    #[test]
    fn paint_wraps_each_cell_once_in_order() {
        let cells = ["A".to_owned(), "-5".to_owned(), "+5".to_owned()];
        let styles = [None, Some(DECLINE), Some(GROWTH)];
        let out = paint_cells(" A   -5   +5 ", &cells, &styles);
        assert_eq!(
            out,
            format!(
                " A   {}-5{}   {}+5{} ",
                DECLINE.render(),
                DECLINE.render_reset(),
                GROWTH.render(),
                GROWTH.render_reset()
            )
        );
    }
}
