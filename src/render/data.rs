//! `popdelta data`: the bundled dataset as one long CSV, each figure with its sources.

use std::io;

use crate::error::{Error, Location, Result};
use crate::load::bundled::{self, Dataset};
use crate::number;
use crate::render::csv_io;

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

/// Writes the bundled dataset: one row per region and year, populations in persons and
/// as published, joined with the region's codes and groups.
pub fn write(out: &mut dyn io::Write, dataset: Dataset) -> Result<()> {
    let regions = bundled::regions(dataset)?;
    let rows = bundled::figures(dataset)?;
    let io_err = |source| Error::Io {
        path: "standard output".into(),
        source,
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(columns(dataset))
        .map_err(|e| io_err(csv_io(e)))?;
    for (i, r) in rows.iter().enumerate() {
        let info = regions.iter().find(|i| i.code == r.code);
        let persons = number::parse_population(&r.population_10k, dataset.spec().unit)
            .map_err(|e| {
                let at = Location {
                    file: format!("bundled {}", dataset.file()),
                    line: i as u64 + 2,
                    column: Some("population_10k".into()),
                };
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
        w.write_record(&record).map_err(|e| io_err(csv_io(e)))?;
    }
    w.flush().map_err(io_err)
}
