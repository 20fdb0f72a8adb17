//! `popdelta data`: the bundled dataset as one long CSV, each figure with its sources.

use std::io;

use crate::error::{Error, Location, Result};
use crate::load::bundled::{self, Dataset};
use crate::number;

/// The header of `popdelta data`: the region's identity, one column per grouping of the
/// dataset (named as in its regions file), then the figure and its sources.
pub fn columns(dataset: Dataset) -> Vec<&'static str> {
    let mut cols = vec!["code", "iso_3166_2", "region", "region_zh"];
    cols.extend(dataset.spec().groupings.iter().map(|g| g.column));
    cols.extend([
        "year",
        "population",
        "population_10k",
        "birth_rate_permille",
        "death_rate_permille",
        "natural_growth_permille",
        "population_confidence",
        "population_sources",
        "rate_source",
        "note",
        "derived",
    ]);
    cols
}

/// Writes the bundled dataset as CSV: one row per region and year, populations in persons
/// and as published, joined with the region's codes and groups.
pub fn write(out: &mut dyn io::Write, dataset: Dataset) -> Result<()> {
    write_as(out, dataset, super::Format::Csv)
}

/// [`write`] in a format: CSV, TSV, JSON (an array of objects keyed by the columns) or
/// NDJSON (one such object a line); a table or Markdown is refused (the rows are data).
pub fn write_as(out: &mut dyn io::Write, dataset: Dataset, format: super::Format) -> Result<()> {
    use super::Format;
    let io_err = |source| Error::Io {
        path: "standard output".into(),
        source,
    };
    let columns = columns(dataset);
    let rows = records(dataset)?;
    match format {
        Format::Csv | Format::Tsv => {
            let mut w =
                super::SafeCsv::new(out, if format == Format::Tsv { b'\t' } else { b',' }, true);
            w.record(columns.iter().copied()).map_err(io_err)?;
            for record in &rows {
                w.record(record.iter().map(String::as_str))
                    .map_err(io_err)?;
            }
            w.flush().map_err(io_err)
        }
        Format::Json | Format::Ndjson => {
            let json = |e: serde_json::Error| io_err(io::Error::other(e));
            if format == Format::Json {
                let all: Vec<Row> = rows.iter().map(|r| Row(&columns, r)).collect();
                serde_json::to_writer_pretty(&mut *out, &all).map_err(json)?;
                out.write_all(b"\n").map_err(io_err)?;
            } else {
                for record in &rows {
                    serde_json::to_writer(&mut *out, &Row(&columns, record)).map_err(json)?;
                    out.write_all(b"\n").map_err(io_err)?;
                }
            }
            out.flush().map_err(io_err)
        }
        Format::Table | Format::Markdown | Format::Xlsx => Err(Error::Usage(
            "popdelta data writes csv, tsv, json or ndjson: the rows are data, each figure with \
             its sources"
                .to_owned(),
        )),
    }
}

/// A row as a JSON object, its keys in the columns' order.
struct Row<'a>(&'a [&'static str], &'a [String]);

impl serde::Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (c, v) in self.0.iter().zip(self.1) {
            m.serialize_entry(c, v)?;
        }
        m.end()
    }
}

/// The dataset's rows, as text in [`columns`] order.
fn records(dataset: Dataset) -> Result<Vec<Vec<String>>> {
    let regions = bundled::regions(dataset)?;
    let rows = bundled::figures(dataset)?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let info = regions.iter().find(|i| i.code == r.code);
        let persons = number::parse_population(&r.population_10k, dataset.spec().unit)
            .map_err(|e| {
                let at = Location::line(
                    &format!("bundled {}", dataset.file()),
                    i as u64 + 2,
                    Some("population_10k".into()),
                );
                let hint = "populations are in 10,000 persons";
                Error::input(at, e.to_string(), &r.population_10k, hint)
            })?
            .map(|p| p.to_string())
            .unwrap_or_default();
        let field = |f: fn(&bundled::RegionInfo) -> &str| info.map(f).unwrap_or("");
        let mut record = vec![
            r.code.as_str(),
            field(|i| &i.iso_3166_2),
            r.region_en.as_str(),
            if r.region_zh.is_empty() {
                field(|i| &i.region_zh)
            } else {
                r.region_zh.as_str()
            },
        ];
        for g in dataset.spec().groupings {
            record.push(info.map_or("", |i| i.column(g.column)));
        }
        record.extend([
            r.year.as_str(),
            persons.as_str(),
            r.population_10k.as_str(),
            r.birth_rate_permille.as_str(),
            r.death_rate_permille.as_str(),
            r.natural_growth_permille.as_str(),
            r.population_confidence.as_str(),
            r.population_sources.as_str(),
            r.rate_source.as_str(),
            r.note.as_str(),
            r.derived.as_str(),
        ]);
        out.push(record.into_iter().map(str::to_owned).collect());
    }
    Ok(out)
}
