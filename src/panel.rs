//! The panel: region x year -> population, with the components of change and group labels.
//!
//! Every loader produces a [`Panel`]; every computation reads one.

use crate::error::InputError;
use crate::number::Decimal;

/// How sure the source is of one population figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Stated by at least two independent sources.
    High,
    /// One explicit source, or derived from an official "up/down X" statement.
    Medium,
    /// Only an unlabelled list.
    Low,
    /// No stored source found.
    Unverified,
}

impl Confidence {
    /// Parses the words used in the bundled data.
    pub fn parse(text: &str) -> Option<Confidence> {
        match text.trim() {
            "high" => Some(Confidence::High),
            "medium" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            "unverified" => Some(Confidence::Unverified),
            _ => None,
        }
    }

    /// The word for this level.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
            Confidence::Unverified => "unverified",
        }
    }
}

/// One region: how it is named and which group it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The name shown and written to CSV.
    pub name: String,
    /// Other names it is found by, lower case (bundled data: Chinese names, codes, aliases).
    pub aliases: Vec<Box<str>>,
    /// The name in Chinese, when known (bundled data).
    pub name_zh: Option<String>,
    /// The group label under the chosen grouping, if any.
    pub group: Option<String>,
}

/// What is known of one region in one year besides its population.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// The population as written in the source, for precision notes (e.g. "2170.7").
    pub population_text: Option<Box<str>>,
    /// Births during the year.
    pub births: Option<i64>,
    /// Deaths during the year.
    pub deaths: Option<i64>,
    /// Natural growth rate during the year, per mille of the mean population.
    pub natural_rate: Option<Decimal>,
    /// The source's confidence in the population figure, when it says.
    pub confidence: Option<Confidence>,
}

/// A figure that could not be read: an error only if a comparison uses its year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFigure {
    /// The year it is for.
    pub year: i32,
    /// Whether it is a component (births, deaths, a rate) rather than a population.
    pub component: bool,
    /// What is wrong with it, and where.
    pub error: InputError,
}

/// A figure rounded to whole persons because the user asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundedFigure {
    /// Index of the region.
    pub region: usize,
    /// The year.
    pub year: i32,
    /// The text as the source wrote it.
    pub text: Box<str>,
}

/// Which components of change a panel carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ComponentsKind {
    /// No components: only populations.
    #[default]
    None,
    /// Counts of births and deaths.
    Counts,
    /// A natural growth rate per mille (or birth and death rates).
    Rates,
}

/// Where a panel came from, for footers, JSON metadata and `popdelta sources`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelInfo {
    /// Short name: the bundled dataset's name, or the input files.
    pub dataset: String,
    /// What the figures are and which vintage, in a sentence.
    pub description: String,
    /// The unit the source wrote the populations in, e.g. "10,000 persons".
    pub source_unit: String,
    /// The grouping applied, e.g. "north-south".
    pub grouping: Option<String>,
    /// Notes that always go with this data (e.g. what national totals include).
    pub notes: Vec<String>,
    /// The pair of years compared when none is asked for, if not the two latest.
    pub default_years: Option<(i32, i32)>,
    /// The order groups are shown in; empty: by name (numbers by value).
    pub group_order: Vec<String>,
    /// Regions marked with `*` in the table, and the footnote that says why.
    pub marked: Vec<String>,
    /// Where the figures come from: the input files, or the bundled data's sources.
    pub sources: Vec<String>,
}

/// Region x year table of what is known.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// Where the data came from.
    pub info: PanelInfo,
    /// Which components of change the cells carry.
    pub components: ComponentsKind,
    /// Figures that could not be read (the first of each year and kind).
    pub invalid: Vec<InvalidFigure>,
    /// Figures rounded to whole persons on request.
    pub rounded: Vec<RoundedFigure>,
    regions: Vec<Region>,
    years: Vec<i32>,
    /// Row-major: `population[region * years.len() + year_index]`.
    population: Vec<Option<i64>>,
    /// Laid out as `population`; empty until some cell has details (most files have none).
    details: Vec<Details>,
}

impl Panel {
    /// An empty panel over the given years (sorted and deduplicated here).
    pub fn new(info: PanelInfo, mut years: Vec<i32>) -> Panel {
        years.sort_unstable();
        years.dedup();
        Panel {
            info,
            components: ComponentsKind::None,
            invalid: Vec::new(),
            rounded: Vec::new(),
            regions: Vec::new(),
            years,
            population: Vec::new(),
            details: Vec::new(),
        }
    }

    /// Adds a region with no data yet and returns its index.
    pub fn push_region(&mut self, region: Region) -> usize {
        self.regions.push(region);
        let n = self.regions.len() * self.years.len();
        self.population.resize(n, None);
        if !self.details.is_empty() {
            self.details.resize(n, Details::default());
        }
        self.regions.len() - 1
    }

    /// The regions, in the order they were added.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Mutable access to the regions (to relabel groups).
    pub fn regions_mut(&mut self) -> &mut [Region] {
        &mut self.regions
    }

    /// The years, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// The years for which at least one region has a population (or an unreadable one).
    pub fn years_with_data(&self) -> Vec<i32> {
        let ny = self.years.len();
        self.years
            .iter()
            .enumerate()
            .filter(|&(y, &year)| {
                self.population
                    .iter()
                    .skip(y)
                    .step_by(ny)
                    .any(Option::is_some)
                    || self.invalid.iter().any(|f| !f.component && f.year == year)
            })
            .map(|(_, &year)| year)
            .collect()
    }

    /// The flat index of a region's year, if the year is in the panel.
    fn index(&self, region: usize, year: i32) -> Option<usize> {
        let y = self.years.binary_search(&year).ok()?;
        (region < self.regions.len()).then(|| region * self.years.len() + y)
    }

    /// The population of a region in a year.
    pub fn population(&self, region: usize, year: i32) -> Option<i64> {
        self.index(region, year).and_then(|i| self.population[i])
    }

    /// Sets the population of a region in a year; false if the year is not in the panel.
    pub fn set_population(&mut self, region: usize, year: i32, value: Option<i64>) -> bool {
        match self.index(region, year) {
            Some(i) => {
                self.population[i] = value;
                true
            }
            None => false,
        }
    }

    /// The region a name stands for: its name as written (trimmed), or, case-insensitively,
    /// one of its aliases.
    pub fn find(&self, query: &str) -> Option<usize> {
        let q = query.trim();
        if let Some(i) = self.regions.iter().position(|r| r.name == q) {
            return Some(i);
        }
        let lower = q.to_lowercase();
        self.regions
            .iter()
            .position(|r| r.aliases.iter().any(|a| **a == *lower))
    }

    /// Up to three known names closest to a name that matched none ("did you mean").
    pub fn suggest(&self, query: &str) -> Vec<String> {
        let q = query.trim().to_lowercase();
        let mut scored: Vec<(usize, &str)> = self
            .regions
            .iter()
            .filter_map(|r| {
                let d = std::iter::once(r.name.to_lowercase())
                    .chain(r.aliases.iter().map(|a| a.to_string()))
                    .map(|k| edit_distance(&q, &k))
                    .min()?;
                (d <= 2.max(q.chars().count() / 3)).then_some((d, r.name.as_str()))
            })
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(3)
            .map(|(_, n)| n.to_owned())
            .collect()
    }

    /// A panel of only the given regions (indices into this one), in this panel's order.
    pub fn select(&self, keep: &[usize]) -> Panel {
        let mut out = Panel::new(self.info.clone(), self.years.clone());
        out.components = self.components;
        out.invalid = self.invalid.clone();
        for (r, region) in self.regions.iter().enumerate() {
            if !keep.contains(&r) {
                continue;
            }
            let i = out.push_region(region.clone());
            for &y in &self.years {
                out.set_population(i, y, self.population(r, y));
                if let Some(d) = self.details(r, y)
                    && let Some(slot) = out.details_mut(i, y)
                {
                    *slot = d.clone();
                }
            }
            out.rounded
                .extend(
                    self.rounded
                        .iter()
                        .filter(|f| f.region == r)
                        .map(|f| RoundedFigure {
                            region: i,
                            ..f.clone()
                        }),
                );
        }
        out
    }

    /// The details of a region in a year, if any were recorded.
    pub fn details(&self, region: usize, year: i32) -> Option<&Details> {
        self.index(region, year).and_then(|i| self.details.get(i))
    }

    /// Mutable details of a region in a year, if the year is in the panel.
    pub fn details_mut(&mut self, region: usize, year: i32) -> Option<&mut Details> {
        let i = self.index(region, year)?;
        if self.details.is_empty() {
            self.details
                .resize(self.population.len(), Details::default());
        }
        self.details.get_mut(i)
    }
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("bejing", "beijing"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("北京", "北京市"), 1);
    }

    #[test]
    fn cells_are_addressed_by_region_and_year() {
        let mut p = Panel::new(PanelInfo::default(), vec![2017, 2016, 2017]);
        assert_eq!(p.years(), &[2016, 2017]);
        let a = p.push_region(Region {
            name: "A".into(),
            aliases: Vec::new(),
            name_zh: None,
            group: None,
        });
        let b = p.push_region(Region {
            name: "B".into(),
            aliases: Vec::new(),
            name_zh: None,
            group: None,
        });
        assert!(p.set_population(b, 2017, Some(7)));
        assert!(!p.set_population(b, 2015, Some(7)));
        assert_eq!(p.population(b, 2017), Some(7));
        assert_eq!(p.details(b, 2017), None);
        p.details_mut(a, 2016).unwrap().births = Some(3);
        assert_eq!(p.details(a, 2016).and_then(|d| d.births), Some(3));
        assert_eq!(p.population(a, 2017), None);
        assert_eq!(p.population(b, 2015), None);
        assert_eq!(p.years_with_data(), vec![2017]);
    }
}
