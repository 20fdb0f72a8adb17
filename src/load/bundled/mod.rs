//! The bundled, sourced datasets (see [`registry`]): mainland China's 31 provincial-level
//! divisions as first published and as revised.
//!
//! The CSV files in `data/` are copies of the researched reference files, compiled into
//! the binary so that no file is needed at run time. Every figure keeps its sources.

pub mod registry;

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::number::{self, Unit};
use crate::panel::{ComponentsKind, Confidence, Panel, PanelInfo, Region};
use crate::period::Period;

/// A file compiled into the binary: its path in the source tree and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Embedded {
    /// Where it is in the source tree, e.g. `data/regions.csv`.
    pub path: &'static str,
    /// What it holds.
    pub text: &'static str,
}

/// One grouping of a dataset's regions: a column of its regions file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupingSpec {
    /// The name on the command line, e.g. `north-south`.
    pub name: &'static str,
    /// The regions file's column that holds each region's group.
    pub column: &'static str,
    /// The order groups are shown in.
    pub order: &'static [&'static str],
    /// A column saying ("yes") whose group is a matter of convention, and the footnote
    /// that says why, with `{regions}` for the regions shown.
    pub contested: Option<(&'static str, &'static str)>,
}

/// A bundled dataset as the registry describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatasetSpec {
    /// The name on the command line.
    pub name: &'static str,
    /// One line for `--help`.
    pub summary: &'static str,
    /// What the figures are, with their vintage, in a sentence.
    pub description: &'static str,
    /// The figures: one row per region and year.
    pub figures: Embedded,
    /// The regions: codes, names, aliases, groupings.
    pub regions: Embedded,
    /// National totals (not the sum of the regions): the file, and the `region_en` of the
    /// series that goes with this dataset.
    pub national: Option<(Embedded, &'static str)>,
    /// The years compared by default.
    pub default_years: (i32, i32),
    /// The unit of the population column.
    pub unit: Unit,
    /// Which components of change the figures carry.
    pub components: ComponentsKind,
    /// How the regions can be grouped; the first is the default.
    pub groupings: &'static [GroupingSpec],
}

/// A bundled dataset: an entry of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset(&'static DatasetSpec);

/// Every bundled dataset, as [`Dataset`]s.
const ALL: &[Dataset] = &{
    let mut all = [Dataset(&registry::DATASETS[0]); registry::DATASETS.len()];
    let mut i = 0;
    while i < all.len() {
        all[i] = Dataset(&registry::DATASETS[i]);
        i += 1;
    }
    all
};

impl Default for Dataset {
    /// The first of the registry.
    fn default() -> Self {
        ALL[0]
    }
}

impl Dataset {
    /// Every bundled dataset, the default first.
    pub const ALL: &'static [Dataset] = ALL;

    /// The dataset of this name, if there is one.
    pub fn named(name: &str) -> Option<Dataset> {
        ALL.iter().copied().find(|d| d.name() == name)
    }

    /// Its registry entry.
    pub fn spec(self) -> &'static DatasetSpec {
        self.0
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// What the dataset is, with its vintage.
    pub fn description(self) -> &'static str {
        self.0.description
    }

    /// The years compared by default: those of the 2018 reports.
    pub fn default_years(self) -> (i32, i32) {
        self.0.default_years
    }

    /// The file the figures come from, as it is named in `data/`.
    pub fn file(self) -> &'static str {
        self.0.figures.path
    }

    /// The grouping of this name; `Ok(None)` for `none`, the default for no name.
    pub fn grouping(self, name: Option<&str>) -> Option<Option<&'static GroupingSpec>> {
        match name {
            None => Some(self.0.groupings.first()),
            Some("none") => Some(None),
            Some(n) => self.0.groupings.iter().find(|g| g.name == n).map(Some),
        }
    }
}

impl clap::ValueEnum for Dataset {
    fn value_variants<'a>() -> &'a [Self] {
        ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name).help(self.0.summary))
    }
}

/// A region of a bundled dataset, as its regions file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Every column of the file by name (groupings among them).
    columns: Vec<(String, String)>,
}

impl RegionInfo {
    /// The value of a column of the regions file ("" if it has none).
    pub fn column(&self, name: &str) -> &str {
        self.columns
            .iter()
            .find(|(c, _)| c == name)
            .map_or("", |(_, v)| v.trim())
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

    /// Whether its group under `grouping` is a matter of convention.
    pub fn contested(&self, grouping: &GroupingSpec) -> bool {
        grouping
            .contested
            .is_some_and(|(column, _)| self.column(column) == "yes")
    }
}

/// Endings of official names that the bundled names leave off: 北京市, 广西壮族自治区,
/// "Guangdong Province", "Beijing Shi".
const SUFFIXES: &[&str] = &[
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "特别行政区",
    "省",
    "市",
    " autonomous region",
    " special administrative region",
    " province",
    " municipality",
    " sheng",
    " shi",
    " zizhiqu",
];

/// Finds the regions of a bundled regions file by any English or Chinese name, code or
/// alias, with or without the endings of official names (省, 市, 自治区, "Province").
#[derive(Debug, Clone, Default)]
pub struct RegionIndex {
    by_key: HashMap<Box<str>, usize>,
}

impl RegionIndex {
    /// Indexes `infos` by every key of each; the first region keeps a shared key.
    pub fn new(infos: &[RegionInfo]) -> RegionIndex {
        let mut index = RegionIndex::default();
        for (i, info) in infos.iter().enumerate() {
            for key in info.keys() {
                index.add(key, i);
            }
        }
        index
    }

    /// Lets `key` (lower case) find region `i`, unless it finds one already.
    pub fn add(&mut self, key: Box<str>, i: usize) {
        self.by_key.entry(key).or_insert(i);
    }

    /// The region a name stands for, as written or without an official ending.
    pub fn find(&self, name: &str) -> Option<usize> {
        let key = name.trim().to_lowercase();
        self.by_key
            .get(key.as_str())
            .copied()
            .or_else(|| self.by_key.get(without_ending(&key)?).copied())
    }
}

/// A name (in lower case) without the ending of an official name ("guangdong province",
/// 北京市), if it has one: the one rule by which `--region`, `--group-by`, `check` and
/// maps find a region written either way.
pub fn without_ending(key: &str) -> Option<&str> {
    SUFFIXES
        .iter()
        .find_map(|s| key.strip_suffix(s))
        .map(str::trim)
        .filter(|k| !k.is_empty())
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
    /// How the figure was derived, when it was not published as such (e.g. "918.8 - 17.0,
    /// the increase stated in the 2016 bulletin"); empty for a figure as published.
    #[serde(default)]
    pub derived: String,
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

/// The regions of a dataset, in the order of its regions file.
pub fn regions(dataset: Dataset) -> Result<Vec<RegionInfo>> {
    let file = dataset.0.regions;
    let csv_error = |source| Error::Csv {
        file: file.path.to_owned(),
        source,
    };
    let mut rdr = csv::Reader::from_reader(file.text.as_bytes());
    let header = rdr.headers().map_err(csv_error)?.clone();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(csv_error)?;
        let columns: Vec<(String, String)> = header
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_owned(), v.to_owned()))
            .collect();
        let get = |name: &str| {
            columns
                .iter()
                .find(|(c, _)| c == name)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        out.push(RegionInfo {
            code: get("code"),
            iso_3166_2: get("iso_3166_2"),
            region_en: get("region_en"),
            region_zh: get("region_zh"),
            region_zh_short: get("region_zh_short"),
            aliases: get("aliases"),
            columns,
        });
    }
    Ok(out)
}

/// The raw rows of a bundled dataset, with their sources.
pub fn figures(dataset: Dataset) -> Result<Vec<FigureRow>> {
    let file = dataset.0.figures;
    Ok(read_embedded(file.path, file.text)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The national totals of the dataset's vintage.
pub fn national(dataset: Dataset) -> Result<Vec<NationalRow>> {
    let Some((file, series)) = dataset.0.national else {
        return Ok(Vec::new());
    };
    Ok(read_embedded::<NationalRow>(file.path, file.text)?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.region_en == series)
        .collect())
}

fn bad(file: &str, line: u64, column: &str, text: &str, problem: String, hint: &str) -> Error {
    let at = Location::line(&format!("bundled {file}"), line, Some(column.to_owned()));
    Error::input(at, problem, text, hint)
}

/// Loads a bundled dataset into a panel, grouped as asked: by the grouping of that name,
/// `none`, or (no name) the dataset's first grouping.
pub fn load(dataset: Dataset, grouping: Option<&str>) -> Result<Panel> {
    let spec = dataset.0;
    let Some(grouping) = dataset.grouping(grouping) else {
        let names: Vec<&str> = spec.groupings.iter().map(|g| g.name).collect();
        return Err(Error::Usage(format!(
            "{} has no grouping {:?}; its groupings are {} and none",
            spec.name,
            grouping.unwrap_or_default(),
            names.join(", ")
        )));
    };
    let file = spec.figures.path;
    let infos = regions(dataset)?;
    let rows = read_embedded::<FigureRow>(file, spec.figures.text)?;

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
    let years = dated.iter().map(|&(_, y, _)| Period::year(y)).collect();

    let contested = grouping.and_then(|g| g.contested.map(|(_, note)| (g, note)));
    let info = PanelInfo {
        dataset: spec.name.to_owned(),
        description: spec.description.to_owned(),
        source_unit: spec.unit.describe().to_owned(),
        unit: spec.unit,
        grouping: Some(grouping.map_or("none", |g| g.name).to_owned()),
        notes: Vec::new(),
        breaks: Vec::new(),
        default_years: Some((
            Period::year(spec.default_years.0),
            Period::year(spec.default_years.1),
        )),
        group_order: grouping
            .map(|g| g.order.iter().map(|o| o.to_string()).collect())
            .unwrap_or_default(),
        marked: contested
            .map(|(g, _)| {
                infos
                    .iter()
                    .filter(|r| r.contested(g))
                    .map(|r| r.region_en.clone())
                    .collect()
            })
            .unwrap_or_default(),
        marked_note: contested.map(|(_, note)| note.to_owned()),
        sources: sources_of(&rows),
        // A regions file may say something of a region wherever it is shown.
        region_notes: infos
            .iter()
            .filter(|r| !r.column("note").is_empty())
            .map(|r| (r.region_en.clone(), r.column("note").to_owned()))
            .collect(),
        values: None,
    };
    let mut panel = Panel::new(info, years);
    panel.components = spec.components;

    let mut index_of = HashMap::new();
    for ri in &infos {
        let idx = panel.push_region(Region {
            name: ri.region_en.clone(),
            aliases: ri.keys(),
            name_zh: Some(ri.region_zh_short.clone()),
            group: grouping.map(|g| ri.column(g.column).to_owned()),
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
                format!("no such region code in {}", spec.regions.path),
                "codes are those of the regions file",
            ));
        };
        let population = number::parse_population(&r.population_10k, spec.unit).map_err(|e| {
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
            cell.derived = !r.derived.trim().is_empty();
            cell.source = Some(r.population_sources.trim().into());
        }
    }
    panel.info.notes = national_note(dataset)?.into_iter().collect();
    Ok(panel)
}

/// Splits a source list at `;` outside parentheses (notes inside parentheses may hold `;`).
pub fn split_sources(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every distinct source named by a dataset's rows, in order of first appearance.
fn sources_of(rows: &[(u64, FigureRow)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, r) in rows {
        let named = split_sources(&r.population_sources)
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
        let p = load(Dataset::default(), None).unwrap();
        assert_eq!(p.len(), 31);
        assert_eq!(
            p.years(),
            &[
                Period::year(2015),
                Period::year(2016),
                Period::year(2017),
                Period::year(2018)
            ]
        );
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
        let p = load(Dataset::default(), None).unwrap();
        let count = |g| (0..p.len()).filter(|&r| p.group(r) == Some(g)).count();
        assert_eq!(count("north"), 15);
        assert_eq!(count("south"), 16);
    }

    #[test]
    fn national_totals_are_the_original_series() {
        let n = national(Dataset::default()).unwrap();
        let y2017 = n.iter().find(|r| r.year == "2017").unwrap();
        assert_eq!(y2017.population_10k, "139008");
    }
}
