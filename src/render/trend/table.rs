//! A trend for people: a table with a sparkline per row, and a footer saying what the
//! figures are; the same as Markdown; and the long table of `--yearly`.

use crate::period::Period;
use std::io;

use comfy_table::{Cell, CellAlignment, Table};

use crate::render::table::{
    Column, Drawn, MORE_NOTES, dataset_paragraph, down_note, draw, region_notes, unit_phrase,
};
use crate::render::{Naming, Options, Shape};

use crate::compute::trend::{Step, Trend, TrendLine};
use crate::compute::{Level, Line};
use crate::number::{scaled_with_separators, signed_scaled_with_separators};
use crate::panel::{ComponentsKind, PanelInfo};
use crate::render::escape::{markdown, terminal};
use crate::render::table::{Look, sign_style, style};
use crate::render::{WRAP_WIDTH, signed_milli, wrap};

/// Eight heights, lowest first, and their ASCII stand-ins.
const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII_BLOCKS: [char; 8] = ['_', '.', '-', ':', '=', '+', '*', '#'];

/// A series drawn one character a year, scaled between its own minimum and maximum; a
/// year without a figure is a space.
pub fn sparkline(series: &[Option<i64>], ascii: bool) -> String {
    let blocks = if ascii { &ASCII_BLOCKS } else { &BLOCKS };
    let present = series.iter().flatten();
    let (Some(&min), Some(&max)) = (present.clone().min(), present.max()) else {
        return " ".repeat(series.len());
    };
    let span = i128::from(max) - i128::from(min);
    series
        .iter()
        .map(|v| match v {
            None => ' ',
            // A flat series sits in the middle.
            Some(_) if span == 0 => blocks[3],
            Some(v) => {
                let step = (i128::from(*v) - i128::from(min)) * 7 / span;
                blocks[usize::try_from(step).unwrap_or(0).min(7)]
            }
        })
        .collect()
}

/// The label of a row: the region (as `name`), or the group or total with how many ended
/// down.
fn label(line: &TrendLine, name: &str) -> String {
    let counts = || format!("{} of {} down", line.declined, line.regions);
    match line.level {
        Level::Region => terminal(name).into_owned(),
        Level::Group => format!("{}: {}", terminal(line.group.unwrap_or("")), counts()),
        Level::Total => format!("total: {}", counts()),
        Level::Aggregate => format!("{} (not summed)", terminal(name)),
    }
}

/// A row's figures for people, in column order: the populations (with their year where
/// it is not the range's), change, percent, growth rate, peak year, years down, longest
/// run, current streak.
fn figures(line: &TrendLine, first: Period, last: Period, decimals: u32) -> [String; 9] {
    let Some(s) = line.stats else {
        return Default::default();
    };
    let at = |v: i64, year: Period, expected: Period| {
        let n = scaled_with_separators(v.into(), decimals);
        if year == expected {
            n
        } else {
            format!("{n} ({year})")
        }
    };
    [
        at(s.pop_first, s.first_year, first),
        at(s.pop_last, s.last_year, last),
        s.change
            .map(|c| signed_scaled_with_separators(c.into(), decimals))
            .unwrap_or_default(),
        signed_milli(s.change_pct),
        signed_milli(s.cagr_pct),
        s.peak_year.to_string(),
        s.years_down.to_string(),
        s.longest_decline.to_string(),
        s.decline_streak.to_string(),
    ]
}

/// The table, drawn as `look` says, with the columns left out for the width.
pub fn draw_table(trend: &Trend, look: Look, naming: Naming) -> Drawn {
    let lines: Vec<TrendLine> = trend.lines().collect();
    let zh = naming == Naming::Both && lines.iter().any(|l| l.region_zh.is_some());
    let (first, last) = (trend.first(), trend.last());
    fn name<'p>(l: &TrendLine<'p>, naming: Naming) -> &'p str {
        match naming {
            Naming::Zh => l.region_zh.unwrap_or(l.region),
            _ => l.region,
        }
    }
    let mut columns = vec![Column {
        name: "",
        header: "Region".into(),
        cells: lines.iter().map(|l| label(l, name(l, naming))).collect(),
        styles: Vec::new(),
        left: true,
        gives_way: None,
    }];
    if zh {
        columns.push(Column {
            name: "region_zh",
            header: "地区".into(),
            cells: lines
                .iter()
                .map(|l| terminal(l.region_zh.unwrap_or_default()).into_owned())
                .collect(),
            styles: Vec::new(),
            left: true,
            gives_way: Some(1),
        });
    }
    let rows: Vec<[String; 9]> = lines
        .iter()
        .map(|l| figures(l, first, last, trend.decimals()))
        .collect();
    let change = |l: &TrendLine| sign_style(l.stats.and_then(|s| s.change).map(i128::from));
    type Paint = fn(&TrendLine) -> Option<anstyle::Style>;
    // Name, header, colour, rank in giving way to a narrow terminal (None: always kept).
    let specs: [(&'static str, String, Option<Paint>, Option<u8>); 9] = [
        ("pop_from", first.to_string(), None, Some(8)),
        ("pop_to", last.to_string(), None, None),
        ("change", "Change".into(), Some(change), None),
        ("change_pct", "%".into(), Some(change), Some(5)),
        (
            "cagr_pct",
            "CAGR %".into(),
            Some(|l: &TrendLine| sign_style(l.stats.and_then(|s| s.cagr_pct).map(|m| m.0))),
            Some(4),
        ),
        ("peak_year", "Peak".into(), None, Some(3)),
        ("years_down", "Down".into(), None, Some(7)),
        ("longest_decline", "Longest".into(), None, Some(2)),
        (
            "decline_streak",
            "Streak".into(),
            // A streak is a decline still going on.
            Some(|l: &TrendLine| {
                sign_style(
                    l.stats
                        .filter(|s| s.decline_streak > 0)
                        .map(|s| -i128::from(s.decline_streak)),
                )
            }),
            None,
        ),
    ];
    for (i, (name, header, paint, gives_way)) in specs.into_iter().enumerate() {
        columns.push(Column {
            styles: paint.map_or_else(Vec::new, |p| lines.iter().map(p).collect()),
            gives_way,
            ..Column::figures(name, header, rows.iter().map(|r| r[i].clone()).collect())
        });
    }
    columns.push(Column {
        name: "sparkline",
        header: first.range_to(last),
        cells: lines
            .iter()
            .map(|l| sparkline(&trend.series(l), look.ascii))
            .collect(),
        styles: Vec::new(),
        left: true,
        gives_way: Some(6),
    });
    let levels: Vec<Level> = lines.iter().map(|l| l.level).collect();
    draw(columns, &levels, look)
}

/// The table's lines, without the footer, every column there.
pub fn table_lines(trend: &Trend, look: Look) -> Vec<String> {
    draw_table(trend, look, Naming::Both).lines
}

/// Regions named in a footer note; the rest are counted.
const NAMES_IN_A_NOTE: usize = 10;

/// The notes under a trend: what the numbers are, where they come from, and which
/// regions lack years; one paragraph each.
pub fn notes(trend: &Trend, info: &PanelInfo) -> Vec<String> {
    notes_as(trend, info, true)
}

/// The notes in full, or short for a terminal (no dataset description or standing notes,
/// long lists cut).
fn notes_as(trend: &Trend, info: &PanelInfo, full: bool) -> Vec<String> {
    let (first, last) = (trend.first(), trend.last());
    let mut paragraphs = Vec::new();
    let unit = unit_phrase(info);
    let y = first.noun();
    // Periods shorter than a year: the span the yearly rate is taken over is said.
    let span = if first.is_year() {
        String::new()
    } else {
        format!(" ({})", first.span_to(last))
    };
    paragraphs.push(format!(
        "{unit}; {} {y}s from {first} to {last}{span}. CAGR: compound annual growth rate. \
         Down: {y}s below the {y} before; Longest: the longest run of them; Streak: the run \
         that ends in the last {y}. Peak: the latest {y} at the maximum.",
        trend.years.len()
    ));
    // Steps of more than one period are said: "the year before" is the one before in the
    // data.
    if trend.years.windows(2).any(|w| w[0].next() != w[1]) {
        paragraphs.push(format!(
            "The data holds {}: a {y} is compared with the one before it in the data.",
            crate::error::list_years(&trend.years)
        ));
    }
    let shown = trend.shown();
    let showing = if trend.hidden > 0 {
        format!("Showing {shown} of {} regions. ", shown + trend.hidden)
    } else {
        String::new()
    };
    let down = down_note(
        trend.total.declined,
        trend.total.regions,
        "ended below where they began",
    );
    if trend.totalled() {
        paragraphs.push(format!(
            "{showing}Group and total rows sum the regions that have every {y} from {first} \
             to {last} {down}."
        ));
    } else if !showing.is_empty() {
        paragraphs.push(showing.trim_end().to_owned());
    }
    paragraphs.extend(region_notes(info, |r| trend.region(r).is_some()));
    paragraphs.push(dataset_paragraph(info, full));
    if full {
        paragraphs.extend(info.notes.iter().cloned());
        paragraphs.extend(trend.notes.iter().map(crate::render::notes::phrase));
    } else {
        paragraphs.extend(trend.notes.iter().map(crate::render::notes::short_phrase));
    }
    if !trend.excluded.is_empty() {
        paragraphs.push(format!("{}.", excluded_note(trend, NAMES_IN_A_NOTE)));
    }
    if !full {
        paragraphs.push(MORE_NOTES.to_owned());
    }
    paragraphs
        .into_iter()
        .map(|p| terminal(&p).into_owned())
        .collect()
}

/// The regions that lack a year of the range, the first `names` of them by name.
pub fn excluded_note(trend: &Trend, names: usize) -> String {
    let listed: Vec<String> = trend
        .excluded
        .iter()
        .take(names)
        .map(|e| {
            format!(
                "{} (no {})",
                e.region,
                crate::error::list_year_runs(&e.missing)
            )
        })
        .collect();
    let count = trend.excluded.len();
    let more = count - listed.len();
    let y = trend.first().noun();
    format!(
        "{count} region{} lack{} a {y} of the range: left out of the group and total rows, \
         their own statistics over the {y}s they have: {}{}",
        if count == 1 { "" } else { "s" },
        if count == 1 { "s" } else { "" },
        listed.join(", "),
        if more > 0 {
            format!(" and {more} more (--format json lists them all)")
        } else {
            String::new()
        }
    )
}

/// Writes the table and its footer.
pub fn write(
    out: &mut dyn io::Write,
    trend: &Trend,
    info: &PanelInfo,
    opts: Options,
) -> io::Result<()> {
    let look = opts.look;
    let drawn = draw_table(trend, look, opts.naming.unwrap_or(Naming::Both));
    for line in &drawn.lines {
        writeln!(out, "{line}")?;
    }
    let width = look.width.map_or(WRAP_WIDTH, |w| w.clamp(20, WRAP_WIDTH));
    let mut paragraphs = notes_as(trend, info, !look.short_notes);
    paragraphs.extend(drawn.left_out_note(look.width));
    for p in paragraphs {
        for line in wrap(&p, width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Escapes text for a Markdown table cell.
fn md_cell(text: &str) -> String {
    markdown(&text.replace(['\n', '\r'], " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// Writes the trend as a Markdown table followed by its notes.
pub fn write_markdown(out: &mut dyn io::Write, trend: &Trend, info: &PanelInfo) -> io::Result<()> {
    let (first, last) = (trend.first(), trend.last());
    let header = [
        "Region".to_owned(),
        "Group".to_owned(),
        first.to_string(),
        last.to_string(),
        "Change".into(),
        "%".into(),
        "CAGR %".into(),
        "Peak".into(),
        "Down".into(),
        "Longest".into(),
        "Streak".into(),
    ];
    writeln!(out, "| {} |", header.join(" | "))?;
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i < 2 { "---" } else { "---:" })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for l in trend.lines() {
        let (name, group) = names(&l);
        let mut row = vec![name, group];
        row.extend(figures(&l, first, last, trend.decimals()));
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    writeln!(out)?;
    for note in notes(trend, info) {
        writeln!(out, "- {}", markdown(&note).replace('*', "\\*"))?;
    }
    Ok(())
}

/// A row's name and group cells in Markdown.
fn names(l: &TrendLine) -> (String, String) {
    let name = match l.level {
        Level::Region => md_cell(l.region),
        Level::Group => format!("**{}**", md_cell(l.group.unwrap_or(""))),
        Level::Total => "**total**".to_owned(),
        Level::Aggregate => format!("{} (not summed)", md_cell(l.region)),
    };
    let group = match l.level {
        Level::Region | Level::Aggregate => md_cell(l.group.unwrap_or("")),
        _ => format!("{} of {} down", l.declined, l.regions),
    };
    (name, group)
}

/// Writes `--yearly` for people: one row per region and pair of years, as a table or in
/// Markdown, with the trend's notes below.
pub fn write_yearly(
    out: &mut dyn io::Write,
    trend: &Trend,
    steps: &[Step],
    info: &PanelInfo,
    look: Look,
    as_markdown: bool,
) -> io::Result<()> {
    let components = trend.panel.components != ComponentsKind::None;
    let shape = Shape {
        components,
        residual: components && trend.panel.published_migration,
        naming: Naming::En,
        decimals: trend.decimals(),
    };
    let mut header: Vec<String> = [
        "Region",
        "Group",
        "From",
        "To",
        "Pop. from",
        "Pop. to",
        "Change",
        "%",
    ]
    .map(String::from)
    .into();
    if shape.components {
        header.extend(["Natural".into(), "Migration".into(), "per 1,000".into()]);
    }
    if shape.residual {
        header.push("Residual".into());
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut push = |line: &Line, from: Period, to: Period| {
        let tl = TrendLine {
            level: line.level,
            region: line.region,
            region_zh: None,
            group: line.group,
            stats: None,
            regions: line.regions,
            declined: line.declined,
            index: None,
            sums: None,
        };
        let (name, group) = if as_markdown {
            names(&tl)
        } else {
            let group = match line.level {
                Level::Region | Level::Aggregate => terminal(line.group.unwrap_or("")).into_owned(),
                _ => format!("{} of {} down", line.declined, line.regions),
            };
            (label(&tl, tl.region), group)
        };
        let mut row = vec![name, group, from.to_string(), to.to_string()];
        row.extend(crate::render::human_figures(line, shape));
        rows.push(row);
    };
    super::each_step_row(trend, steps, &mut |line, from, to| {
        push(line, from, to);
        Ok(())
    })?;
    if as_markdown {
        writeln!(out, "| {} |", header.join(" | "))?;
        let align: Vec<&str> = (0..header.len())
            .map(|i| if i < 2 { "---" } else { "---:" })
            .collect();
        writeln!(out, "| {} |", align.join(" | "))?;
        for row in rows {
            writeln!(out, "| {} |", row.join(" | "))?;
        }
        writeln!(out)?;
        for note in notes(trend, info) {
            writeln!(out, "- {}", markdown(&note).replace('*', "\\*"))?;
        }
        return Ok(());
    }
    let mut table = Table::new();
    table.load_style(style(look));
    table.set_header(header.iter().map(Cell::new).collect::<Vec<_>>());
    for row in rows {
        table.add_row(row);
    }
    for i in 2..header.len() {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    for line in table.lines() {
        writeln!(out, "{line}")?;
    }
    for p in notes(trend, info) {
        for line in wrap(&p, WRAP_WIDTH) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn sparklines_scale_to_their_own_range() {
        let s = [Some(10), Some(17), None, Some(24), Some(24)];
        assert_eq!(sparkline(&s, false), "▁▄ ██");
        assert_eq!(sparkline(&s, true), "_: ##");
        assert_eq!(sparkline(&[Some(5), Some(5)], false), "▄▄");
        assert_eq!(sparkline(&[None, None], false), "  ");
    }
}
