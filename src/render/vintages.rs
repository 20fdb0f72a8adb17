//! Vintages in every format: each region's figure for a year as first published and as
//! revised, the difference and its percent.

use crate::period::Period;
use std::io;

use comfy_table::{Cell, CellAlignment, Table};
use serde::Serialize;

use super::escape::{markdown, terminal};
use super::table::{Look, sign_style, style};
use super::{BOM, Format, Options, SafeCsv, WRAP_WIDTH, signed_milli, wrap};
use crate::compute::vintages::Vintage;
use crate::number::{signed_with_separators, with_separators};

/// The columns in CSV and JSON.
pub const COLUMNS: [&str; 9] = [
    "region",
    "region_zh",
    "year",
    "first_published",
    "revised",
    "difference",
    "difference_pct",
    "confidence_first",
    "confidence_revised",
];

/// What is compared: the two datasets, in a sentence for the footer and JSON.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// The dataset of the figures as first published.
    pub first: &'a str,
    /// The dataset of the revised figures.
    pub revised: &'a str,
    /// The revised dataset's own description.
    pub revised_description: &'a str,
}

#[derive(Serialize)]
struct Row<'a> {
    region: &'a str,
    region_zh: Option<&'a str>,
    year: Period,
    first_published: Option<i64>,
    revised: Option<i64>,
    difference: Option<i64>,
    difference_pct: Option<Box<serde_json::value::RawValue>>,
    confidence_first: Option<&'static str>,
    confidence_revised: Option<&'static str>,
}

fn row<'a>(v: &'a Vintage) -> Row<'a> {
    Row {
        region: v.region,
        region_zh: v.region_zh,
        year: v.year,
        first_published: v.first,
        revised: v.revised,
        difference: v.difference,
        difference_pct: v
            .difference_pct
            .and_then(|m| serde_json::value::RawValue::from_string(m.to_string()).ok()),
        confidence_first: v.confidence_first.map(|c| c.name()),
        confidence_revised: v.confidence_revised.map(|c| c.name()),
    }
}

/// The footer: what the two columns are.
pub fn notes(about: &About) -> Vec<String> {
    vec![
        format!(
            "First published: dataset {}; revised: dataset {} ({}). Difference: revised minus \
             first published, in persons; % of the first published figure.",
            about.first, about.revised, about.revised_description
        ),
        "Each figure is good to half a unit of its last published digit: the revised series \
         is in whole 10,000s (±5,000 persons), the first published mostly to the 100 or the \
         1,000 (popdelta sources)."
            .to_owned(),
    ]
}

/// Writes the vintages in a format.
pub fn write(
    out: &mut dyn io::Write,
    format: Format,
    rows: &[Vintage],
    about: &About,
    opts: Options,
) -> io::Result<()> {
    let int = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    match format {
        Format::Csv | Format::Tsv => {
            if opts.bom {
                out.write_all(BOM)?;
            }
            let mut w = SafeCsv::new(
                out,
                if format == Format::Tsv { b'\t' } else { b',' },
                !opts.unguarded,
            );
            w.record(COLUMNS.iter().copied())?;
            for v in rows {
                w.record([
                    v.region,
                    v.region_zh.unwrap_or_default(),
                    &v.year.to_string(),
                    &int(v.first),
                    &int(v.revised),
                    &int(v.difference),
                    &v.difference_pct.map(|m| m.to_string()).unwrap_or_default(),
                    v.confidence_first.map_or("", |c| c.name()),
                    v.confidence_revised.map_or("", |c| c.name()),
                ])?;
            }
            w.flush()
        }
        Format::Ndjson => {
            for v in rows {
                serde_json::to_writer(&mut *out, &row(v))?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Json => {
            let doc = serde_json::json!({
                "first_published": about.first,
                "revised": about.revised,
                "unit": "persons",
                "columns": COLUMNS,
                "notes": notes(about),
            });
            let mut doc = doc;
            doc["rows"] = serde_json::to_value(rows.iter().map(row).collect::<Vec<_>>())
                .map_err(io::Error::other)?;
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            out.write_all(b"\n")
        }
        Format::Table | Format::Markdown => write_table(out, format, rows, about, opts.look),
        Format::Xlsx => super::as_workbook(
            out,
            |buf| {
                write(
                    buf,
                    Format::Csv,
                    rows,
                    about,
                    Options {
                        bom: false,
                        unguarded: true,
                        ..opts
                    },
                )
            },
            notes(about),
            opts.said,
        ),
    }
}

fn write_table(
    out: &mut dyn io::Write,
    format: Format,
    rows: &[Vintage],
    about: &About,
    look: Look,
) -> io::Result<()> {
    let header = [
        "Region",
        "地区",
        "Year",
        "First published",
        "Revised",
        "Difference",
        "%",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|v| {
            let int = |v: Option<i64>| v.map(|n| with_separators(n.into())).unwrap_or_default();
            [
                v.region.to_owned(),
                v.region_zh.unwrap_or_default().to_owned(),
                v.year.to_string(),
                int(v.first),
                int(v.revised),
                v.difference
                    .map(|d| signed_with_separators(d.into()))
                    .unwrap_or_default(),
                signed_milli(v.difference_pct),
            ]
        })
        .collect();
    if format == Format::Markdown {
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "| --- | --- | --- | ---: | ---: | ---: | ---: |")?;
        for r in &cells {
            let r: Vec<String> = r.iter().map(|c| markdown(c).replace('|', "\\|")).collect();
            writeln!(out, "| {} |", r.join(" | "))?;
        }
        writeln!(out)?;
        for n in notes(about) {
            writeln!(out, "- {}", markdown(&n))?;
        }
        return Ok(());
    }
    let mut table = Table::new();
    table.load_style(style(look));
    table.set_header(header.to_vec());
    for r in &cells {
        let mut row: Vec<Cell> = r.iter().map(|c| Cell::new(terminal(c))).collect();
        for c in row.iter_mut().skip(2) {
            *c = c.clone().set_alignment(CellAlignment::Right);
        }
        table.add_row(row);
    }
    // Colour goes around the difference in the finished line: comfy-table measures text.
    for (i, line) in table.lines().enumerate() {
        let line = match (look.color, i.checked_sub(3).and_then(|k| rows.get(k))) {
            (true, Some(v)) => {
                let text = &cells[i - 3][5];
                match sign_style(v.difference.map(i128::from)) {
                    Some(st) if !text.is_empty() => line.replacen(
                        text.as_str(),
                        &format!("{}{text}{}", st.render(), st.render_reset()),
                        1,
                    ),
                    _ => line,
                }
            }
            _ => line,
        };
        writeln!(out, "{line}")?;
    }
    for n in notes(about) {
        for l in wrap(&n, WRAP_WIDTH) {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}
