//! `--chart`: a diverging horizontal bar chart of the changes, for a terminal.

use std::io;

use unicode_width::UnicodeWidthStr;

use crate::compute::{Comparison, Level, Line};
use crate::number::signed_scaled_with_separators;
use crate::panel::PanelInfo;

/// Character cells the bars may use, both sides together.
const BAR_CELLS: i128 = 50;

/// The region rows that have a change, largest gain first.
pub fn bars<'p>(cmp: &Comparison<'p>) -> Vec<(Line<'p>, i64)> {
    let mut rows: Vec<(Line<'p>, i64)> = cmp
        .lines()
        .filter(|l| l.level == Level::Region)
        .filter_map(|l| l.change.map(|c| (l, c)))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    rows
}

/// The order of [`bars`] in words, as it reads for these changes.
pub fn order(rows: &[(Line, i64)]) -> &'static str {
    let gains = rows.iter().any(|r| r.1 > 0);
    let losses = rows.iter().any(|r| r.1 < 0);
    match (gains, losses) {
        (true, true) => "from the largest gain to the largest loss",
        (false, true) => "smallest loss first",
        _ => "largest gain first",
    }
}

/// The label of a region in charts: its name, and its Chinese name when known.
pub fn label(line: &Line) -> String {
    let text = match line.region_zh {
        Some(zh) => format!("{} {zh}", line.region),
        None => line.region.to_owned(),
    };
    super::escape::terminal(&text).into_owned()
}

/// `n / d` rounded to the nearest whole number (halves up), for bar lengths.
fn scaled(n: i128, d: i128) -> i128 {
    if d == 0 { 0 } else { (2 * n + d) / (2 * d) }
}

fn paint(text: &str, style: anstyle::Style) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

/// Writes the chart; `color` paints declines red and growth green.
pub fn write(
    out: &mut dyn io::Write,
    cmp: &Comparison,
    info: &PanelInfo,
    color: bool,
) -> io::Result<()> {
    let rows = bars(cmp);
    writeln!(
        out,
        "Population change {} -> {}, persons ({}), {}",
        cmp.from,
        cmp.to,
        info.dataset,
        order(&rows)
    )?;
    if rows.is_empty() {
        return writeln!(out, "(no region has both years)");
    }
    let max_neg = i128::from(rows.iter().map(|r| r.1).min().unwrap_or(0).min(0)).abs();
    let max_pos = i128::from(rows.iter().map(|r| r.1).max().unwrap_or(0).max(0));
    // Persons per character cell, so that the longest bars together fill BAR_CELLS.
    let per_cell = ((max_neg + max_pos) + BAR_CELLS - 1) / BAR_CELLS;
    let per_cell = per_cell.max(1);
    let left = if max_neg > 0 {
        scaled(max_neg, per_cell).max(1)
    } else {
        0
    };
    let right = if max_pos > 0 {
        scaled(max_pos, per_cell).max(1)
    } else {
        0
    };
    let label_width = rows.iter().map(|r| label(&r.0).width()).max().unwrap_or(0);
    for (line, change) in rows {
        let v = i128::from(change);
        // A change too small for one cell still gets a sliver, so no region looks unchanged.
        let len = if v == 0 {
            0
        } else {
            scaled(v.abs(), per_cell).max(1)
        };
        let bar = match v.signum() {
            0 => String::new(),
            -1 if len == 1 && v.abs() < per_cell => "▕".to_owned(),
            1 if len == 1 && v < per_cell => "▏".to_owned(),
            _ => "█".repeat(len as usize),
        };
        let bar = match (color, v.signum()) {
            (true, -1) => paint(&bar, anstyle::AnsiColor::Red.on_default()),
            (true, 1) => paint(&bar, anstyle::AnsiColor::Green.on_default()),
            _ => bar,
        };
        let (neg, pos) = if v < 0 {
            let pad = " ".repeat((left - len).max(0) as usize);
            (format!("{pad}{bar}"), " ".repeat(right as usize))
        } else {
            let pad = " ".repeat((right - len).max(0) as usize);
            (" ".repeat(left as usize), format!("{bar}{pad}"))
        };
        let value = signed_scaled_with_separators(v, cmp.decimals());
        let name = label(&line);
        let pad = " ".repeat(label_width - name.width());
        writeln!(out, "{name}{pad} {neg}│{pos} {value}")?;
    }
    let unit = cmp
        .panel
        .info
        .values
        .as_ref()
        .map_or("persons", |v| v.unit.as_str());
    writeln!(
        out,
        "One █ is about {} {unit}; ▏ and ▕ mark changes smaller than that.",
        crate::number::scaled_with_separators(per_cell, cmp.decimals())
    )
}
