//! Markdown: the table for reports and issues, numbers as people read them, notes below.

use std::io;

use crate::compute::{Comparison, Level};
use crate::panel::{ComponentsKind, PanelInfo};

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    super::escape::markdown(&text.replace(['\n', '\r'], " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// Writes the comparison as a Markdown table followed by its notes.
pub fn write(out: &mut dyn io::Write, cmp: &Comparison, info: &PanelInfo) -> io::Result<()> {
    let components = cmp.components != ComponentsKind::None;
    let mut header = vec![
        "Region".to_owned(),
        "Group".to_owned(),
        cmp.from.to_string(),
        cmp.to.to_string(),
        "Change".to_owned(),
        "%".to_owned(),
    ];
    if components {
        header.extend(["Natural".into(), "Migration".into(), "per 1,000".into()]);
    }
    writeln!(out, "| {} |", header.join(" | "))?;
    let align: Vec<&str> = (0..header.len())
        .map(|i| if i < 2 { "---" } else { "---:" })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for l in cmp.lines() {
        let name = match l.level {
            Level::Region => cell(l.region),
            Level::Group => format!("**{}**", cell(l.group.unwrap_or(""))),
            Level::Total => "**total**".to_owned(),
            Level::Aggregate => format!("{} (not summed)", cell(l.region)),
        };
        let group = match l.level {
            Level::Region | Level::Aggregate => cell(l.group.unwrap_or("")),
            _ => format!("{} of {} down", l.declined, l.regions),
        };
        let mut row = vec![name, group];
        row.extend(super::human_figures(&l, components));
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
