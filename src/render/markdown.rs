//! Markdown: the table for reports and issues, numbers as people read them, notes below.

use std::io;

use super::{Naming, Shape};
use crate::compute::{Comparison, Level};
use crate::panel::PanelInfo;

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    super::escape::markdown(&text.replace(['\n', '\r'], " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// Writes the comparison as a Markdown table followed by its notes.
pub fn write(
    out: &mut dyn io::Write,
    cmp: &Comparison,
    info: &PanelInfo,
    naming: Option<Naming>,
) -> io::Result<()> {
    let shape = Shape::of(cmp, naming, Naming::En);
    let zh = shape.naming == Naming::Both;
    let mut header = vec!["Region".to_owned()];
    if zh {
        header.push("地区".to_owned());
    }
    header.push("Group".to_owned());
    let text_cols = header.len();
    header.extend(super::human_headers(cmp, shape));
    writeln!(out, "| {} |", header.join(" | "))?;
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i < text_cols { "---" } else { "---:" })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for l in cmp.lines() {
        let (region, region_zh) = shape.names(l.region, l.region_zh);
        let name = match l.level {
            Level::Region => cell(region),
            Level::Group => format!("**{}**", cell(l.group.unwrap_or(""))),
            Level::Total => "**total**".to_owned(),
            Level::Aggregate => format!("{} (not summed)", cell(region)),
        };
        let group = match l.level {
            Level::Region | Level::Aggregate => cell(l.group.unwrap_or("")),
            _ => format!("{} of {} down", l.declined, l.regions),
        };
        let mut row = vec![name];
        if zh {
            row.push(cell(region_zh.unwrap_or_default()));
        }
        row.push(group);
        row.extend(super::human_figures(&l, shape));
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    writeln!(out)?;
    for note in super::table::notes(cmp, info) {
        writeln!(
            out,
            "- {}",
            super::escape::markdown(&note).replace('*', "\\*")
        )?;
    }
    Ok(())
}
