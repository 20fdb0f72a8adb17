//! `--svg FILE`: the bar chart of the changes as a standalone SVG file.

use std::io;

use super::chart::{bars, label};
use crate::compute::Comparison;
use crate::number::signed_scaled_with_separators;
use crate::panel::PanelInfo;

const WIDTH: i64 = 960;
const BAR: i64 = 18;
const GAP: i64 = 6;
const TOP: i64 = 64;
const LABEL_WIDTH: i64 = 230;
const VALUE_WIDTH: i64 = 110;
const DECLINE: &str = "#c0392b";
const GROWTH: &str = "#27ae60";

/// Escapes text for XML content and attributes.
fn xml(text: &str) -> String {
    super::escape::xml(text)
}

/// Writes the chart as SVG: one bar per region, coloured by sign, with a zero axis.
pub fn write(out: &mut dyn io::Write, cmp: &Comparison, info: &PanelInfo) -> io::Result<()> {
    let rows = bars(cmp);
    let height = TOP + rows.len() as i64 * (BAR + GAP) + 60;
    let max_neg = i128::from(rows.iter().map(|r| r.1).min().unwrap_or(0).min(0)).abs();
    let max_pos = i128::from(rows.iter().map(|r| r.1).max().unwrap_or(0).max(0));
    let plot = i128::from(WIDTH - LABEL_WIDTH - 2 * VALUE_WIDTH);
    let span = (max_neg + max_pos).max(1);
    // Pixel of a value: the zero axis sits where the negative side ends.
    let x_of = |v: i128| -> i64 {
        let x = (v + max_neg) * plot / span;
        LABEL_WIDTH + VALUE_WIDTH + i64::try_from(x).unwrap_or(0)
    };
    let axis = x_of(0);
    let order = super::chart::order(&rows);
    writeln!(
        out,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, Arial, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{}" y="28" font-size="17" font-weight="bold" text-anchor="middle">Population change {} to {}, persons</text>
<text x="{}" y="48" font-size="12" fill="#555" text-anchor="middle">{} regions, {order}; red: decline, green: growth</text>"##,
        WIDTH / 2,
        cmp.from,
        cmp.to,
        WIDTH / 2,
        rows.len()
    )?;
    for (i, (line, change)) in rows.iter().enumerate() {
        let y = TOP + i as i64 * (BAR + GAP);
        let v = i128::from(*change);
        let x = x_of(v);
        let (x0, w) = if v < 0 {
            (x, axis - x)
        } else {
            (axis, x - axis)
        };
        let colour = if v < 0 { DECLINE } else { GROWTH };
        let text_y = y + BAR - 4;
        writeln!(
            out,
            r##"<text x="{}" y="{text_y}" text-anchor="end">{}</text>
<rect class="bar" x="{x0}" y="{y}" width="{}" height="{BAR}" fill="{colour}"><title>{}: {}</title></rect>"##,
            LABEL_WIDTH - 8,
            xml(&label(line)),
            w.max(1),
            xml(line.region),
            signed_scaled_with_separators(v, cmp.decimals())
        )?;
        let (vx, anchor) = if v < 0 {
            (x0 - 4, "end")
        } else {
            (x0 + w + 4, "start")
        };
        writeln!(
            out,
            r##"<text x="{vx}" y="{text_y}" text-anchor="{anchor}" fill="#333">{}</text>"##,
            signed_scaled_with_separators(v, cmp.decimals())
        )?;
    }
    let bottom = TOP + rows.len() as i64 * (BAR + GAP);
    writeln!(
        out,
        r##"<line x1="{axis}" y1="{}" x2="{axis}" y2="{bottom}" stroke="black" stroke-width="1"/>
<text x="{axis}" y="{}" text-anchor="middle" fill="#333">0</text>
<text x="12" y="{}" font-size="11" fill="#555">Source: {}</text>
</svg>"##,
        TOP - 4,
        bottom + 14,
        height - 14,
        xml(&caption(info))
    )
}

/// The caption: the dataset and its description, shortened to fit one line.
fn caption(info: &PanelInfo) -> String {
    let mut text = info.dataset.clone();
    if !info.description.is_empty() {
        text.push_str(": ");
        text.push_str(&info.description);
    }
    if text.chars().count() > 150 {
        let cut: String = text.chars().take(147).collect();
        return format!("{cut}...");
    }
    text
}
