//! The table for people: aligned columns, thousands separators, signed changes, groups and
//! the total set apart, and a footer saying what the figures are.

use std::io;

use comfy_table::{Cell, CellAlignment, LineStyle, Table, TableStyle};

use crate::compute::{Comparison, Level, Line};
use crate::panel::{ComponentsKind, PanelInfo};
use crate::render::escape::terminal;
use crate::render::{WRAP_WIDTH, wrap};

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

fn label(line: &Line, marked: &[String]) -> String {
    let counts = || format!("{} of {} down", line.declined, line.regions);
    match line.level {
        Level::Region if marked.iter().any(|m| m == line.region) => {
            format!("{} *", terminal(line.region))
        }
        Level::Region => terminal(line.region).into_owned(),
        Level::Group => format!("{}: {}", terminal(line.group.unwrap_or("")), counts()),
        Level::Total => format!("total: {}", counts()),
        Level::Aggregate => format!("{} (not summed)", terminal(line.region)),
    }
}

/// The table's lines, without the footer.
pub fn table_lines(cmp: &Comparison, marked: &[String], look: Look) -> Vec<String> {
    let lines: Vec<Line> = cmp.lines().collect();
    let zh = lines.iter().any(|l| l.region_zh.is_some());
    let components = cmp.components != ComponentsKind::None;

    let mut header = vec!["Region".to_owned()];
    if zh {
        header.push("地区".to_owned());
    }
    header.extend([
        cmp.from.to_string(),
        cmp.to.to_string(),
        "Change".into(),
        "%".into(),
    ]);
    if components {
        header.extend(["Natural".into(), "Migration".into(), "per 1,000".into()]);
    }
    let text_cols = if zh { 2 } else { 1 };

    let mut table = Table::new();
    table.load_style(style(look));
    table.set_header(
        header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let align = if i < text_cols {
                    CellAlignment::Left
                } else {
                    CellAlignment::Right
                };
                Cell::new(h).set_alignment(align)
            })
            .collect::<Vec<_>>(),
    );
    let mut painted: Vec<(Vec<String>, Vec<Option<anstyle::Style>>)> = Vec::new();
    for line in &lines {
        let mut row = vec![label(line, marked)];
        if zh {
            row.push(terminal(line.region_zh.unwrap_or_default()).into_owned());
        }
        row.extend(super::human_figures(line, components));
        if look.color {
            let change = sign_style(line.change.map(i128::from));
            let mut styles = vec![None; row.len()];
            styles[text_cols + 2] = change;
            styles[text_cols + 3] = change;
            if components {
                let c = line.components;
                styles[text_cols + 4] = sign_style(c.map(|c| c.natural_increase.into()));
                let migration = sign_style(c.map(|c| c.net_migration.into()));
                styles[text_cols + 5] = migration;
                styles[text_cols + 6] = migration;
            }
            painted.push((row.clone(), styles));
        }
        table.add_row(row);
    }
    for i in text_cols..header.len() {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }

    let levels: Vec<Level> = lines.iter().map(|l| l.level).collect();
    set_apart(table.lines().collect(), &levels, &painted)
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

/// The footer, wrapped for a terminal.
pub fn footer(cmp: &Comparison, info: &PanelInfo) -> Vec<String> {
    notes(cmp, info)
        .iter()
        .flat_map(|p| wrap(p, WRAP_WIDTH))
        .collect()
}

/// The notes under a table: what the numbers are, where they come from, and how far to
/// trust them; one paragraph each.
pub fn notes(cmp: &Comparison, info: &PanelInfo) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let unit = if info.source_unit == "persons" {
        "Populations in persons".to_owned()
    } else {
        format!(
            "Populations in persons, converted exactly from the source's {}",
            info.source_unit
        )
    };
    paragraphs.push(format!("{unit}; change from {} to {}.", cmp.from, cmp.to));
    let shown = cmp.shown();
    if cmp.hidden > 0 {
        paragraphs.push(format!(
            "Showing {shown} of {} regions. Group and total rows sum all regions that have \
             both years (\"5 of 15 down\": 5 of those 15 declined).",
            shown + cmp.hidden
        ));
    } else {
        paragraphs.push(
            "Group and total rows sum the regions that have both years (\"5 of 15 down\": \
             5 of those 15 declined)."
                .to_owned(),
        );
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
            note.replace("{regions}", &marked.join(", "))
        ));
    }
    let mut dataset = format!("Dataset {}", info.dataset);
    if !info.description.is_empty() {
        dataset.push_str(&format!(": {}", info.description));
    }
    if let Some(g) = &info.grouping {
        dataset.push_str(&format!("; grouping: {g}"));
    }
    paragraphs.push(format!("{dataset}."));
    paragraphs.extend(info.notes.iter().cloned());
    paragraphs.extend(cmp.notes.iter().map(super::notes::phrase));
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
        paragraphs.push(format!(
            "Left out of the totals for lacking a year: {}{and_more}.",
            names.join(", ")
        ));
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
    look: Look,
) -> io::Result<()> {
    for line in table_lines(cmp, &info.marked, look) {
        writeln!(out, "{line}")?;
    }
    for line in footer(cmp, info) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
