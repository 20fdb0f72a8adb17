//! The bundled, sourced dataset of mainland China's 31 provincial-level divisions.
//!
//! The CSV files in `data/` are copies of the researched reference files, compiled into
//! the binary so that no file is needed at run time. Every figure keeps its sources.

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::number::{self, Unit};
use crate::panel::{ComponentsKind, Confidence, Panel, PanelInfo, Region};

const REGIONS_CSV: &str = include_str!("../../data/regions.csv");
const ORIGINAL_CSV: &str = include_str!("../../data/provinces-original.csv");
const REVISED_CSV: &str = include_str!("../../data/provinces-revised.csv");
const NATIONAL_CSV: &str = include_str!("../../data/national.csv");

/// A bundled dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dataset {
    /// Year-end permanent population 2015-2018 as first published (the 2018 reports' data).
    #[default]
    China,
    /// The NBS series 2005-2024 as revised after the 2020 census; never mixed with `China`.
    ChinaRevised,
}

impl Dataset {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::China => "china",
            Dataset::ChinaRevised => "china-revised",
        }
    }

    /// Every bundled dataset.
    pub const ALL: [Dataset; 2] = [Dataset::China, Dataset::ChinaRevised];

    /// What the dataset is, with its vintage.
    pub fn description(self) -> &'static str {
        match self {
            Dataset::China => {
                "year-end permanent (常住) population of mainland China's 31 provincial-level \
                 divisions as first published in provincial statistical communiqués and China \
                 Statistical Yearbooks 2016-2019 (before the NBS revision after the 2020 census)"
            }
            Dataset::ChinaRevised => {
                "year-end permanent (常住) population of mainland China's 31 provincial-level \
                 divisions, 2005-2024, as revised by the NBS after the 2020 census (whole \
                 10,000s; not comparable with the series as first published)"
            }
        }
    }

    /// The years compared by default: those of the 2018 reports.
    pub fn default_years(self) -> (i32, i32) {
        match self {
            Dataset::China => (2016, 2017),
            Dataset::ChinaRevised => (2023, 2024),
        }
    }

    /// The file the figures come from, as it is named in `data/`.
    pub fn file(self) -> &'static str {
        match self {
            Dataset::China => "data/provinces-original.csv",
            Dataset::ChinaRevised => "data/provinces-revised.csv",
        }
    }

    fn csv_text(self) -> &'static str {
        match self {
            Dataset::China => ORIGINAL_CSV,
            Dataset::ChinaRevised => REVISED_CSV,
        }
    }

    /// Whether a national total row belongs to this dataset's vintage.
    fn national_matches(self, region_en: &str) -> bool {
        match self {
            Dataset::China => region_en == "China (mainland total)",
            Dataset::ChinaRevised => region_en == "China (mainland total, revised)",
        }
    }
}

/// How the bundled regions are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// North and south of the Qinling-Huaihe line.
    #[default]
    NorthSouth,
    /// The NBS regions: east, central, west, northeast.
    NbsRegions,
    /// No groups: regions and the total only.
    None,
}

impl Grouping {
    /// The order its groups are shown in.
    pub fn order(self) -> &'static [&'static str] {
        match self {
            Grouping::NorthSouth => &["north", "south"],
            Grouping::NbsRegions => &["east", "central", "west", "northeast"],
            Grouping::None => &[],
        }
    }

    /// Every grouping of the bundled data.
    pub const ALL: [Grouping; 3] = [Grouping::NorthSouth, Grouping::NbsRegions, Grouping::None];

    /// The grouping of this name, if there is one.
    pub fn from_name(name: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Grouping::NorthSouth => "north-south",
            Grouping::NbsRegions => "nbs-regions",
            Grouping::None => "none",
        }
    }
}

/// One provincial-level division, as described in `data/regions.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RegionInfo {
    /// GB/T 2260 code, e.g. "110000".
    pub code: String,
    /// ISO 3166-2 code, e.g. "CN-BJ".
    pub iso_3166_2: String,
    /// English name.
    pub region_en: String,
    /// Full Chinese name, e.g. 北京市.
    pub region_zh: String,
    /// Short Chinese name, e.g. 北京.
    pub region_zh_short: String,
    /// Other names, `;`-separated.
    pub aliases: String,
    /// "north" or "south".
    pub north_south: String,
    /// "yes" where the region's side of the Qinling-Huaihe line is contested.
    pub north_south_ambiguous: String,
    /// NBS region: east, central, west or northeast.
    pub nbs_region: String,
}

impl RegionInfo {
    /// Whether the north/south assignment is a matter of convention.
    pub fn contested(&self) -> bool {
        self.north_south_ambiguous.trim() == "yes"
    }

    /// Every name the region is found by, lower case: English, Chinese full and short,
    /// GB/T 2260 and ISO 3166-2 codes, and aliases.
    pub fn keys(&self) -> Vec<Box<str>> {
        [
            &self.region_en,
            &self.region_zh,
            &self.region_zh_short,
            &self.code,
            &self.iso_3166_2,
        ]
        .into_iter()
        .map(|s| s.as_str())
        .chain(self.aliases.split(';'))
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
        .map(String::into_boxed_str)
        .collect()
    }

    fn group(&self, grouping: Grouping) -> Option<String> {
        match grouping {
            Grouping::NorthSouth => Some(self.north_south.clone()),
            Grouping::NbsRegions => Some(self.nbs_region.clone()),
            Grouping::None => None,
        }
    }
}

/// One row of a bundled province file: a region's figures for one year, with sources.
///
/// The revised series has only code, name, year, population and source: the other fields
/// are empty there.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FigureRow {
    /// GB/T 2260 code.
    pub code: String,
    /// English name.
    pub region_en: String,
    /// Full Chinese name.
    #[serde(default)]
    pub region_zh: String,
    /// The year (year-end population).
    pub year: String,
    /// Population in 10,000 persons, as published.
    pub population_10k: String,
    /// Birth rate, per mille.
    #[serde(default)]
    pub birth_rate_permille: String,
    /// Death rate, per mille.
    #[serde(default)]
    pub death_rate_permille: String,
    /// Natural growth rate, per mille.
    #[serde(default)]
    pub natural_growth_permille: String,
    /// high, medium, low or unverified.
    #[serde(default)]
    pub population_confidence: String,
    /// Where the population figure was found.
    #[serde(alias = "source")]
    pub population_sources: String,
    /// Where the rates come from.
    #[serde(default)]
    pub rate_source: String,
    /// The researcher's note.
    #[serde(default)]
    pub note: String,
}

/// A national total of the bundled data, which is not the sum of the regions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NationalRow {
    /// Which series, e.g. "China (mainland total)".
    pub region_en: String,
    /// Chinese label.
    pub region_zh: String,
    /// The year.
    pub year: String,
    /// Population in 10,000 persons.
    pub population_10k: String,
    /// Birth rate, per mille.
    pub birth_rate_permille: String,
    /// Death rate, per mille.
    pub death_rate_permille: String,
    /// Natural growth rate, per mille.
    pub natural_growth_permille: String,
    /// Where it was found.
    pub source: String,
    /// How sure the source is.
    pub confidence: String,
    /// The researcher's note.
    pub note: String,
}

/// Reads one embedded CSV into rows, each with its 1-based line number.
fn read_embedded<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<Vec<(u64, T)>> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.deserialize() {
        let rec: T = rec.map_err(|source| Error::Csv {
            file: file.to_owned(),
            source,
        })?;
        // The header is line 1; serde rows carry no position, so count them.
        out.push((out.len() as u64 + 2, rec));
    }
    Ok(out)
}

/// The 31 regions, in GB/T 2260 code order.
pub fn regions() -> Result<Vec<RegionInfo>> {
    Ok(read_embedded("data/regions.csv", REGIONS_CSV)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The raw rows of a bundled dataset, with their sources.
pub fn figures(dataset: Dataset) -> Result<Vec<FigureRow>> {
    Ok(read_embedded(dataset.file(), dataset.csv_text())?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The national totals of the dataset's vintage.
pub fn national(dataset: Dataset) -> Result<Vec<NationalRow>> {
    Ok(
        read_embedded::<NationalRow>("data/national.csv", NATIONAL_CSV)?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| dataset.national_matches(&r.region_en))
            .collect(),
    )
}

fn bad(file: &str, line: u64, column: &str, text: &str, problem: String, hint: &str) -> Error {
    let at = Location {
        file: format!("bundled {file}"),
        line,
        column: Some(column.to_owned()),
    };
    Error::input(at, problem, text, hint)
}

/// Loads a bundled dataset into a panel, grouped as asked.
pub fn load(dataset: Dataset, grouping: Grouping) -> Result<Panel> {
    let file = dataset.file();
    let infos = regions()?;
    let rows = read_embedded::<FigureRow>(file, dataset.csv_text())?;

    let mut dated = Vec::with_capacity(rows.len());
    for (line, r) in &rows {
        let year = r.year.trim().parse::<i32>().map_err(|_| {
            bad(
                file,
                *line,
                "year",
                &r.year,
                "not a year".into(),
                "a year is four digits",
            )
        })?;
        dated.push((*line, year, r));
    }
    let years = dated.iter().map(|&(_, y, _)| y).collect();

    let info = PanelInfo {
        dataset: dataset.name().to_owned(),
        description: dataset.description().to_owned(),
        source_unit: "10,000 persons".to_owned(),
        grouping: Some(grouping.name().to_owned()),
        notes: Vec::new(),
        default_years: Some(dataset.default_years()),
        group_order: grouping.order().iter().map(|g| g.to_string()).collect(),
        marked: if grouping == Grouping::NorthSouth {
            infos
                .iter()
                .filter(|r| r.contested())
                .map(|r| r.region_en.clone())
                .collect()
        } else {
            Vec::new()
        },
        sources: sources_of(&rows),
    };
    let mut panel = Panel::new(info, years);
    panel.components = match dataset {
        Dataset::China => ComponentsKind::Rates,
        Dataset::ChinaRevised => ComponentsKind::None,
    };

    let mut index_of = std::collections::HashMap::new();
    for ri in &infos {
        let idx = panel.push_region(Region {
            name: ri.region_en.clone(),
            aliases: ri.keys(),
            name_zh: Some(ri.region_zh_short.clone()),
            group: ri.group(grouping),
        });
        index_of.insert(ri.code.clone(), idx);
    }

    for (line, year, r) in dated {
        let Some(&idx) = index_of.get(r.code.trim()) else {
            return Err(bad(
                file,
                line,
                "code",
                &r.code,
                "no such region code in data/regions.csv".into(),
                "codes are GB/T 2260 province codes",
            ));
        };
        let population =
            number::parse_population(&r.population_10k, Unit::TenThousand).map_err(|e| {
                bad(
                    file,
                    line,
                    "population_10k",
                    &r.population_10k,
                    e.to_string(),
                    "populations are in 10,000 persons with at most 4 decimals",
                )
            })?;
        let natural_rate = number::parse_rate(&r.natural_growth_permille).map_err(|e| {
            bad(
                file,
                line,
                "natural_growth_permille",
                &r.natural_growth_permille,
                e.to_string(),
                "rates are decimal numbers per mille",
            )
        })?;
        let confidence = match r.population_confidence.trim() {
            "" => None,
            t => Some(Confidence::parse(t).ok_or_else(|| {
                bad(
                    file,
                    line,
                    "population_confidence",
                    t,
                    "unknown confidence".into(),
                    "use high, medium, low or unverified",
                )
            })?),
        };
        panel.set_population(idx, year, population);
        if let Some(cell) = panel.details_mut(idx, year) {
            cell.population_text = Some(r.population_10k.trim().into());
            cell.natural_rate = natural_rate;
            cell.confidence = confidence;
        }
    }
    panel.info.notes = national_note(dataset)?.into_iter().collect();
    Ok(panel)
}

/// Every distinct source named by a dataset's rows, in order of first appearance.
fn sources_of(rows: &[(u64, FigureRow)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, r) in rows {
        let named = crate::render::sources::split_sources(&r.population_sources)
            .into_iter()
            .chain(std::iter::once(r.rate_source.trim().to_owned()));
        for s in named {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The note that the national figure is not the sum of the regions.
fn national_note(dataset: Dataset) -> Result<Option<String>> {
    let rows = national(dataset)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let figures: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.year.trim(), r.population_10k.trim()))
        .collect();
    Ok(Some(format!(
        "The national figures (x 10,000: {}) include active military personnel and are \
         not the sum of the regions.",
        figures.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_china_loads_31_regions_over_four_years() {
        let p = load(Dataset::China, Grouping::NorthSouth).unwrap();
        assert_eq!(p.len(), 31);
        assert_eq!(p.years(), &[2015, 2016, 2017, 2018]);
        assert_eq!(p.name(0), "Beijing");
        assert_eq!(p.name_zh(0), Some("北京"));
        assert_eq!(p.population(0, 2017), Some(21_707_000));
        let cell = p.details(0, 2017).unwrap();
        assert_eq!(
            cell.natural_rate.map(|d| d.to_string()),
            Some("3.76".into())
        );
        for r in 0..31 {
            for y in 2015..=2018 {
                assert!(p.population(r, y).is_some(), "{r} {y}");
            }
        }
    }

    #[test]
    fn north_has_15_regions_and_south_16() {
        let p = load(Dataset::China, Grouping::NorthSouth).unwrap();
        let count = |g| (0..p.len()).filter(|&r| p.group(r) == Some(g)).count();
        assert_eq!(count("north"), 15);
        assert_eq!(count("south"), 16);
    }

    #[test]
    fn national_totals_are_the_original_series() {
        let n = national(Dataset::China).unwrap();
        let y2017 = n.iter().find(|r| r.year == "2017").unwrap();
        assert_eq!(y2017.population_10k, "139008");
    }
}
