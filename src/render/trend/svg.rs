//! `trend --svg FILE`: each row's series as a small line chart, in a grid (small
//! multiples), each on its own scale; names in English where the data has them, so that
//! the chart reads without a CJK font.

use crate::period::Period;
use std::io;

use crate::compute::Level;
use crate::compute::trend::{Trend, TrendLine};
use crate::number::scaled_with_separators;
use crate::panel::PanelInfo;
use crate::render::escape::xml;
use crate::render::signed_milli;

const COLUMNS: i64 = 4;
const CELL_W: i64 = 240;
const CELL_H: i64 = 150;
const TOP: i64 = 70;
/// The plot inside a cell: margins for the labels.
const LEFT: i64 = 12;
const RIGHT: i64 = 12;
const PLOT_TOP: i64 = 40;
const PLOT_BOTTOM: i64 = 22;
const DECLINE: &str = "#c0392b";
const GROWTH: &str = "#27ae60";

/// The title of a panel: the region (its Chinese name in the tooltip), group or total.
fn title(line: &TrendLine) -> String {
    match line.level {
        Level::Region => line.region.to_owned(),
        Level::Aggregate => format!("{} (not summed)", line.region),
        Level::Group => format!("{} (group)", line.group.unwrap_or("")),
        Level::Total => "total".to_owned(),
    }
}

/// Writes the chart: one panel per row shown, regions first, then groups and the total.
pub fn write(out: &mut dyn io::Write, trend: &Trend, info: &PanelInfo) -> io::Result<()> {
    let lines: Vec<TrendLine> = trend.lines().collect();
    let count = i64::try_from(lines.len()).unwrap_or(i64::MAX / CELL_H);
    let rows = (count + COLUMNS - 1) / COLUMNS;
    let width = COLUMNS * CELL_W;
    let height = TOP + rows * CELL_H + 20;
    let (first, last) = (trend.first(), trend.last());
    writeln!(
        out,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="{}" y="28" font-size="17" font-weight="bold" text-anchor="middle">Population {first} to {last}, persons</text>
<text x="{}" y="48" font-size="12" fill="#555" text-anchor="middle">{} each on its own scale; red: ended lower, green: ended higher; dot: peak</text>"##,
        width / 2,
        width / 2,
        xml(&info.dataset),
    )?;
    for (i, line) in lines.iter().enumerate() {
        let i = i as i64;
        let (x0, y0) = ((i % COLUMNS) * CELL_W, TOP + (i / COLUMNS) * CELL_H);
        panel(out, trend, line, x0, y0)?;
    }
    writeln!(out, "</svg>")
}

/// One panel at `(x0, y0)`.
fn panel(
    out: &mut dyn io::Write,
    trend: &Trend,
    line: &TrendLine,
    x0: i64,
    y0: i64,
) -> io::Result<()> {
    let series = trend.series(line);
    let years = &trend.years;
    let Some(stats) = line.stats else {
        return Ok(());
    };
    let decimals = trend.decimals();
    let colour = if stats.change.is_some_and(|c| c < 0) {
        DECLINE
    } else {
        GROWTH
    };
    let tooltip = match line.region_zh {
        Some(zh) => format!("{} {zh}", title(line)),
        None => title(line),
    };
    writeln!(
        out,
        r##"<g><title>{}</title><text x="{}" y="{}" font-weight="bold">{}</text><text x="{}" y="{}" fill="#555">{} %, CAGR {} %, peak {}</text>"##,
        xml(&tooltip),
        x0 + LEFT,
        y0 + 14,
        xml(&title(line)),
        x0 + LEFT,
        y0 + 28,
        signed_milli(stats.change_pct),
        signed_milli(stats.cagr_pct),
        stats.peak_year,
    )?;
    let (lo, hi) = (i128::from(stats.trough), i128::from(stats.peak));
    let span = (hi - lo).max(1);
    let plot_w = CELL_W - LEFT - RIGHT - 10;
    let plot_h = CELL_H - PLOT_TOP - PLOT_BOTTOM;
    let (y_first, y_last) = (
        years.first().map_or(0, |p| p.position()),
        years.last().map_or(0, |p| p.position()),
    );
    let year_span = (y_last - y_first).max(1);
    let x_of = |year: Period| x0 + LEFT + (year.position() - y_first) * plot_w / year_span;
    let y_of = |v: i64| {
        let h = i64::try_from((i128::from(v) - lo) * i128::from(plot_h) / span).unwrap_or(0);
        y0 + PLOT_TOP + plot_h - h
    };
    // A gap in the series breaks the line.
    let mut runs: Vec<Vec<(i64, i64)>> = vec![Vec::new()];
    for (year, value) in years.iter().zip(&series) {
        match value {
            Some(v) => runs
                .last_mut()
                .map_or((), |r| r.push((x_of(*year), y_of(*v)))),
            None => runs.push(Vec::new()),
        }
    }
    for run in runs.iter().filter(|r| !r.is_empty()) {
        let points: Vec<String> = run.iter().map(|(x, y)| format!("{x},{y}")).collect();
        if run.len() == 1 {
            writeln!(
                out,
                r#"<circle cx="{}" cy="{}" r="1.5" fill="{colour}"/>"#,
                run[0].0, run[0].1
            )?;
        } else {
            writeln!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="1.8"/>"#,
                points.join(" ")
            )?;
        }
    }
    writeln!(
        out,
        r##"<circle cx="{}" cy="{}" r="3" fill="#333"/>"##,
        x_of(stats.peak_year),
        y_of(stats.peak)
    )?;
    let base = y0 + CELL_H - 8;
    writeln!(
        out,
        r##"<text x="{}" y="{base}" fill="#555">{} {}</text><text x="{}" y="{base}" fill="#555" text-anchor="end">{} {}</text></g>"##,
        x0 + LEFT,
        stats.first_year,
        scaled_with_separators(stats.pop_first.into(), decimals),
        x0 + CELL_W - RIGHT,
        stats.last_year,
        scaled_with_separators(stats.pop_last.into(), decimals),
    )
}
