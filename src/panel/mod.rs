//! The panel: region x year -> population, with the components of change and group labels.
//!
//! Every loader produces a [`Panel`]; every computation reads one.

mod aggregates;
mod levels;
mod storage;

pub use aggregates::{aggregate_reason, is_aggregate_code, is_aggregate_name, may_be_aggregate};
pub use levels::{Level, first_names, quoted};
pub use storage::{GroupIds, Names};

use crate::error::InputError;
use crate::number::Decimal;
use crate::period::Period;

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
    /// Net migration during the year, as published.
    pub net_migration: Option<i64>,
    /// The source's confidence in the population figure, when it says.
    pub confidence: Option<Confidence>,
    /// Whether the figure is derived (a stated total minus a stated increase) rather than
    /// published as such.
    pub derived: bool,
    /// Where the figure was found (bundled data).
    pub source: Option<Box<str>>,
}

/// A figure that could not be read: an error only if a comparison uses its year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFigure {
    /// The year it is for.
    pub year: Period,
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
    pub year: Period,
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

/// Figures that are not counts of persons (rates, shares, money, ranks): compared as
/// values of their unit, never rounded to persons, never totalled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueUnit {
    /// The unit as the source names it ("%", "Euro per inhabitant").
    pub unit: String,
    /// Decimals the panel's figures carry: a figure of 5.504 is held as 5504 with 3.
    pub decimals: u32,
}

/// A whole of a code tree, as marked: its current parts, and which of them is compared.
#[derive(Debug, Clone, Default)]
struct TreeNode {
    /// The whole.
    whole: usize,
    /// Its current parts (those with a figure in its last year).
    parts: Vec<usize>,
    /// Every region within it: its parts, old and new, and theirs.
    within: Vec<usize>,
    /// Whether the whole is compared itself (its parts do not add up to it).
    whole_summed: bool,
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
    /// The same unit, for the precision of the figures.
    pub unit: crate::number::Unit,
    /// The grouping applied, e.g. "north-south".
    pub grouping: Option<String>,
    /// Notes that always go with this data (e.g. what national totals include).
    pub notes: Vec<String>,
    /// The pair of years compared when none is asked for, if not the two latest.
    pub default_years: Option<(Period, Period)>,
    /// The order groups are shown in; empty: by name (numbers by value).
    pub group_order: Vec<String>,
    /// Regions marked with `*` in the table.
    pub marked: Vec<String>,
    /// The footnote that says why, with `{regions}` for the marked regions shown.
    pub marked_note: Option<String>,
    /// Where the figures come from: the input files, or the bundled data's sources.
    pub sources: Vec<String>,
    /// Notes on single regions (a boundary change), by region name: said wherever the
    /// region is shown.
    pub region_notes: Vec<(String, String)>,
    /// Set where the figures are not persons: their unit, and the decimals they are held
    /// with.
    pub values: Option<ValueUnit>,
    /// Breaks in the series that the data states (a footnote naming a census): the year
    /// from which the figures are on the new basis, and the words that say so.
    pub breaks: Vec<(Period, String)>,
}

/// Value of an empty population cell; populations are never negative, so it cannot clash.
const MISSING: i64 = i64::MIN;
/// Group index of a region without a group.
const NO_GROUP: u32 = u32::MAX;

/// One year's populations, by region index.
#[derive(Debug, Clone, Copy)]
pub struct Column<'p>(&'p [i64]);

impl Column<'_> {
    /// The population of region `r`, if it has one.
    #[inline]
    pub fn get(&self, r: usize) -> Option<i64> {
        self.0.get(r).copied().filter(|&v| v != MISSING)
    }

    /// How many regions the column covers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it covers no region.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Names and aliases that only the bundled data has.
#[derive(Debug, Clone, Default)]
struct Extra {
    name_zh: Option<String>,
    aliases: Vec<Box<str>>,
}

/// Region x year table of what is known.
///
/// Stored by column so that millions of regions cost a few words each: names end to end,
/// a group index per region, and one population column per year.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// Where the data came from.
    pub info: PanelInfo,
    /// Which components of change the cells carry.
    pub components: ComponentsKind,
    /// Whether net migration is published (`--migration-col`) rather than the residual.
    pub published_migration: bool,
    /// Figures that could not be read (the first of each year and kind).
    pub invalid: Vec<InvalidFigure>,
    /// Figures rounded to whole persons on request.
    pub rounded: Vec<RoundedFigure>,
    /// Regions that are totals of others (World, a nation beside its states), with why
    /// they were taken for one, by region index: shown apart, never summed.
    aggregates: Vec<(u32, Box<str>)>,
    /// The wholes of a code tree and their current parts: see [`Panel::settled_for`].
    tree: Vec<TreeNode>,
    names: Names,
    groups: Vec<String>,
    group_of: GroupIds,
    /// Empty, or one per region.
    extras: Vec<Extra>,
    years: Vec<Period>,
    /// One column per year: `population[year_index][region]`, `MISSING` where empty.
    population: Vec<Vec<i64>>,
    /// Row-major `details[region * years + year_index]`; empty until some cell has any.
    details: Vec<Details>,
}

impl Panel {
    /// An empty panel over the given years (sorted and deduplicated here).
    pub fn new(info: PanelInfo, years: Vec<Period>) -> Panel {
        let mut years = years;
        years.sort_unstable();
        years.dedup();
        let population = vec![Vec::new(); years.len()];
        Panel {
            info,
            population,
            years,
            ..Panel::default()
        }
    }

    /// A panel from columns built elsewhere: names, group labels and each region's group
    /// index, and one population column per year (`None` for an empty cell).
    pub fn from_columns(
        info: PanelInfo,
        names: Names,
        groups: Vec<String>,
        group_of: Vec<Option<u32>>,
        columns: Vec<(Period, Vec<i64>)>,
    ) -> Panel {
        let group_of: Vec<u32> = group_of
            .into_iter()
            .map(|g| g.unwrap_or(NO_GROUP))
            .collect();
        Panel::from_group_ids(info, names, groups, group_of.into(), columns)
    }

    /// As [`Panel::from_columns`], with each region's group index or [`Panel::NO_GROUP`].
    pub fn from_group_ids(
        info: PanelInfo,
        names: Names,
        groups: Vec<String>,
        group_of: GroupIds,
        columns: Vec<(Period, Vec<i64>)>,
    ) -> Panel {
        let mut columns = columns;
        columns.sort_by_key(|c| c.0);
        let n = names.len();
        let mut panel = Panel {
            info,
            names,
            groups,
            group_of,
            years: columns.iter().map(|c| c.0).collect(),
            population: columns.into_iter().map(|c| c.1).collect(),
            ..Panel::default()
        };
        panel.group_of.resize(n);
        for col in &mut panel.population {
            col.resize(n, MISSING);
        }
        panel
    }

    /// The marker of an empty cell in columns given to [`Panel::from_columns`].
    pub const MISSING: i64 = MISSING;

    /// The group index of a region in no group, in [`Panel::from_group_ids`].
    pub const NO_GROUP: u32 = NO_GROUP;

    /// Adds a region with no data yet and returns its index.
    pub fn push_region(&mut self, region: Region) -> usize {
        let i = self.names.push(&region.name);
        let g = match &region.group {
            Some(g) => self.group_index(g),
            None => NO_GROUP,
        };
        self.group_of.push(g);
        if region.name_zh.is_some() || !region.aliases.is_empty() || !self.extras.is_empty() {
            self.extras.resize(i, Extra::default());
            self.extras.push(Extra {
                name_zh: region.name_zh,
                aliases: region.aliases,
            });
        }
        for col in &mut self.population {
            col.push(MISSING);
        }
        if !self.details.is_empty() {
            self.details
                .resize(self.len() * self.years.len(), Details::default());
        }
        i
    }

    /// The index of a group label, added if new.
    fn group_index(&mut self, label: &str) -> u32 {
        match self.groups.iter().position(|g| g == label) {
            Some(i) => i as u32,
            None => {
                self.groups.push(label.to_owned());
                (self.groups.len() - 1) as u32
            }
        }
    }

    /// How many regions.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no regions.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// A region's name.
    pub fn name(&self, r: usize) -> &str {
        self.names.get(r)
    }

    /// A region's Chinese name, when known.
    pub fn name_zh(&self, r: usize) -> Option<&str> {
        self.extras.get(r).and_then(|e| e.name_zh.as_deref())
    }

    /// The other names a region is found by, lower case (codes, aliases).
    pub fn aliases(&self, r: usize) -> &[Box<str>] {
        self.extras.get(r).map_or(&[], |e| &e.aliases[..])
    }

    /// A region's group label.
    pub fn group(&self, r: usize) -> Option<&str> {
        let g = self.group_of.get(r)?;
        self.groups.get(g as usize).map(String::as_str)
    }

    /// The index of a region's group among [`Panel::groups`].
    pub fn group_id(&self, r: usize) -> Option<usize> {
        let g = self.group_of.get(r)?;
        (g != NO_GROUP).then_some(g as usize)
    }

    /// The group labels, in order of first use.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// Puts a region in a group (or none).
    pub fn set_group(&mut self, r: usize, label: Option<&str>) {
        let g = match label {
            Some(l) => self.group_index(l),
            None => NO_GROUP,
        };
        self.group_of.set(r, g);
    }

    /// The years, ascending.
    pub fn years(&self) -> &[Period] {
        &self.years
    }

    /// The years for which at least one region has a population (or an unreadable one).
    pub fn years_with_data(&self) -> Vec<Period> {
        self.years
            .iter()
            .zip(&self.population)
            .filter(|&(&year, col)| {
                col.iter().any(|&v| v != MISSING)
                    || self.invalid.iter().any(|f| !f.component && f.year == year)
            })
            .map(|(&year, _)| year)
            .collect()
    }

    /// The populations of a year, one per region; `None` if the year is not in the panel.
    pub fn column(&self, year: impl Into<Period>) -> Option<Column<'_>> {
        let year = year.into();
        let y = self.years.binary_search(&year).ok()?;
        Some(Column(&self.population[y]))
    }

    /// The population of a region in a year.
    pub fn population(&self, region: usize, year: impl Into<Period>) -> Option<i64> {
        self.column(year)?.get(region)
    }

    /// Sets the population of a region in a year; false if the year is not in the panel.
    pub fn set_population(
        &mut self,
        region: usize,
        year: impl Into<Period>,
        value: Option<i64>,
    ) -> bool {
        let year = year.into();
        let Ok(y) = self.years.binary_search(&year) else {
            return false;
        };
        match self.population[y].get_mut(region) {
            Some(slot) => {
                *slot = value.unwrap_or(MISSING);
                true
            }
            None => false,
        }
    }

    /// Lets region `r` be found by `alias` too (a code beside its name), case-insensitively.
    pub fn add_alias(&mut self, r: usize, alias: &str) {
        if r >= self.len() || alias.trim().is_empty() {
            return;
        }
        if self.extras.len() < self.len() {
            self.extras.resize(self.len(), Extra::default());
        }
        self.extras[r]
            .aliases
            .push(alias.trim().to_lowercase().into_boxed_str());
    }

    /// The region a name stands for: its name as written (trimmed), or, case-insensitively,
    /// one of its aliases.
    pub fn find(&self, query: &str) -> Option<usize> {
        let q = query.trim();
        if let Some(i) = (0..self.len()).find(|&r| self.name(r) == q) {
            return Some(i);
        }
        let lower = q.to_lowercase();
        let by_alias = |key: &str| {
            self.extras
                .iter()
                .position(|e| e.aliases.iter().any(|a| **a == *key))
        };
        by_alias(&lower).or_else(|| {
            // "Guangdong Province", 北京市: the name without its official ending.
            let bare = crate::load::bundled::without_ending(&lower)?;
            (0..self.len())
                .find(|&r| self.name(r).to_lowercase() == bare)
                .or_else(|| by_alias(bare))
        })
    }

    /// Up to three known names closest to a name that matched none ("did you mean").
    pub fn suggest(&self, query: &str) -> Vec<String> {
        let q = query.trim().to_lowercase();
        let limit = 2.max(q.chars().count() / 3);
        let mut scored: Vec<(usize, &str)> = (0..self.len())
            .filter_map(|r| {
                let aliases = self.extras.get(r).map_or(&[][..], |e| &e.aliases[..]);
                let d = std::iter::once(self.name(r).to_lowercase())
                    .chain(aliases.iter().map(|a| a.to_string()))
                    .map(|k| edit_distance(&q, &k))
                    .min()?;
                (d <= limit).then_some((d, self.name(r)))
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
        let mut wanted = vec![false; self.len()];
        for &k in keep {
            if let Some(w) = wanted.get_mut(k) {
                *w = true;
            }
        }
        for (r, _) in wanted.iter().enumerate().filter(|(_, w)| **w) {
            let extra = self.extras.get(r).cloned().unwrap_or_default();
            let i = out.push_region(Region {
                name: self.name(r).to_owned(),
                aliases: extra.aliases,
                name_zh: extra.name_zh,
                group: self.group(r).map(str::to_owned),
            });
            for &y in &self.years {
                out.set_population(i, y, self.population(r, y));
                if let Some(d) = self.details(r, y)
                    && let Some(slot) = out.details_mut(i, y)
                {
                    *slot = d.clone();
                }
            }
            if let Some(why) = self.aggregate(r) {
                out.set_aggregate(i, why);
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

    fn detail_index(&self, region: usize, year: Period) -> Option<usize> {
        let y = self.years.binary_search(&year).ok()?;
        (region < self.len()).then(|| region * self.years.len() + y)
    }

    /// Marks many regions as totals of others at once (one sort, not an insertion each); a
    /// region marked already keeps its reason.
    pub fn set_aggregates(&mut self, marks: Vec<(usize, String)>) {
        let marks = marks
            .into_iter()
            .filter_map(|(r, why)| Some((u32::try_from(r).ok()?, why.into_boxed_str())));
        self.aggregates.extend(marks);
        // A stable sort keeps the first reason of each region first.
        self.aggregates.sort_by_key(|m| m.0);
        self.aggregates.dedup_by_key(|m| m.0);
    }

    /// Marks region `r` as a total of others, for `why` (kept if it is marked already).
    pub fn set_aggregate(&mut self, r: usize, why: &str) {
        let Ok(r) = u32::try_from(r) else { return };
        if let Err(at) = self.aggregates.binary_search_by_key(&r, |a| a.0) {
            self.aggregates.insert(at, (r, why.into()));
        }
    }

    /// Records a whole of the code tree, its current parts, every region `within` it, and
    /// whether the whole is compared (`whole_summed`) or its parts are.
    pub fn set_tree_node(
        &mut self,
        whole: usize,
        parts: Vec<usize>,
        within: Vec<usize>,
        whole_summed: bool,
    ) {
        // A whole two kinds of evidence make (nested codes and a stated hierarchy) is one.
        if self.tree.iter().any(|n| n.whole == whole) {
            return;
        }
        self.tree.push(TreeNode {
            whole,
            parts,
            within,
            whole_summed,
        });
    }

    /// The panel as it is compared over `years`, where the level compared must change for
    /// every person to be counted once: a whole whose parts are compared, but which has
    /// every year while some part lacks one (Mecklenburg-Vorpommern in 2010 -> 2011: its
    /// Kreise of 2010 were merged into those of 2011), is compared whole, its parts set
    /// apart; a whole compared itself that lacks a year its parts all have (Städteregion
    /// Aachen before 2009) gives way to them.
    pub fn settled_for(&self, years: &[Period]) -> Option<Panel> {
        let has_all = |r: usize| years.iter().all(|&y| self.population(r, y).is_some());
        let mut panel: Option<Panel> = None;
        // Regions within a whole compared whole: settled with it.
        let mut settled: Vec<usize> = Vec::new();
        let mut filled = false;
        for node in &self.tree {
            if settled.contains(&node.whole) {
                continue;
            }
            let parts_complete = node.parts.iter().all(|&c| has_all(c));
            let whole_complete = has_all(node.whole);
            let Ok(w) = u32::try_from(node.whole) else {
                continue;
            };
            let name = self.name(node.whole).trim().to_owned();
            if !node.whole_summed && whole_complete && !parts_complete {
                let p = panel.get_or_insert_with(|| self.clone());
                p.aggregates.retain(|a| a.0 != w);
                let why = format!(
                    "within {name}, compared whole: its parts lack one of the years compared"
                );
                p.set_aggregates(node.within.iter().map(|&r| (r, why.clone())).collect());
                settled.extend(&node.within);
            } else if node.whole_summed
                && !whole_complete
                && parts_complete
                && !node.parts.is_empty()
            {
                let parts: Vec<u32> = node
                    .parts
                    .iter()
                    .filter_map(|&c| u32::try_from(c).ok())
                    .collect();
                let p = panel.get_or_insert_with(|| self.clone());
                p.aggregates.retain(|a| !parts.contains(&a.0));
                p.set_aggregate(
                    node.whole,
                    "its parts are compared: it lacks one of the years compared",
                );
            } else if node.whole_summed && !whole_complete && !parts_complete {
                filled |= self.fill_from_parts(node, years, &mut panel);
            }
        }
        // Nothing changed: the panel as it is.
        panel.filter(|p| filled || p.aggregates != self.aggregates)
    }

    /// Where neither a whole nor its parts have every period compared (a territory split
    /// in 1991, compared 1990 -> 2000), the whole's missing periods are its parts' sum,
    /// where every part has a figure then, and a note says so; false where that cannot be.
    fn fill_from_parts(
        &self,
        node: &TreeNode,
        years: &[Period],
        panel: &mut Option<Panel>,
    ) -> bool {
        let mut sums = Vec::new();
        for &y in years {
            if self.population(node.whole, y).is_some() {
                continue;
            }
            let figures: Option<Vec<i64>> =
                node.parts.iter().map(|&c| self.population(c, y)).collect();
            let Some(sum) = figures.and_then(|f| f.iter().try_fold(0i64, |s, &v| s.checked_add(v)))
            else {
                return false;
            };
            sums.push((y, sum));
        }
        if sums.is_empty() || node.parts.is_empty() {
            return false;
        }
        let p = panel.get_or_insert_with(|| self.clone());
        for &(y, sum) in &sums {
            p.set_population(node.whole, y, Some(sum));
        }
        let periods: Vec<Period> = sums.iter().map(|&(y, _)| y).collect();
        let parts: Vec<&str> = node.parts.iter().map(|&c| self.name(c).trim()).collect();
        p.info.notes.push(format!(
            "{} in {}: the sum of the regions that replaced it ({}).",
            self.name(node.whole).trim(),
            crate::error::list_years(&periods),
            crate::error::listed(parts.iter(), ", ")
        ));
        true
    }

    /// Why region `r` is a total of others, if it is one.
    pub fn aggregate(&self, r: usize) -> Option<&str> {
        let r = u32::try_from(r).ok()?;
        let at = self.aggregates.binary_search_by_key(&r, |a| a.0).ok()?;
        Some(&self.aggregates[at].1)
    }

    /// The regions that are totals of others, in order, with why.
    pub fn aggregates(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.aggregates.iter().map(|(r, why)| (*r as usize, &**why))
    }

    /// Marks the regions whose names say they are totals (World, Total, 全国...).
    pub fn mark_aggregate_names(&mut self) {
        // Millions of names are shared among the cores.
        let n = self.len();
        let threads = if n >= 1 << 16 {
            crate::threads::count()
        } else {
            1
        };
        let runs: Vec<std::ops::Range<usize>> = (0..threads)
            .map(|t| n * t / threads..n * (t + 1) / threads)
            .collect();
        let marked = |run: std::ops::Range<usize>| -> Vec<usize> {
            let start = run.start;
            self.names
                .range(run)
                .enumerate()
                .filter(|(_, name)| is_aggregate_name(name))
                .map(|(i, _)| start + i)
                .collect()
        };
        let found: Vec<usize> = crate::threads::map(runs, |run| Ok(marked(run)), || ())
            .map(|parts| parts.concat())
            // A result lost (a thread that panicked) is looked for again here.
            .unwrap_or_else(|()| marked(0..n));
        self.mark_totals(found);
    }

    /// Marks the regions among `candidates` whose names say they are totals: a name such
    /// as World or 全国, or a Eurostat group code (EU28, DE_TOT) where the file holds some
    /// of its parts; alone (DE_TOT the only German row), such a code is the country.
    pub fn mark_totals(&mut self, candidates: Vec<usize>) {
        let mut groups = Vec::new();
        for r in candidates {
            match aggregate_reason(self.name(r)) {
                Some(_) if is_aggregate_code(self.name(r).trim()) => {
                    groups.push((r, self.name(r).trim().to_owned()));
                }
                Some(why) => self.set_aggregate(r, why),
                None => {}
            }
        }
        if groups.is_empty() {
            return;
        }
        let names: Vec<String> = (0..self.len())
            .map(|r| self.name(r).trim().to_owned())
            .collect();
        for (r, why) in aggregates::group_codes_with_parts(&groups, &names) {
            self.set_aggregate(r, &why);
        }
    }

    /// Whether any region has details (sources, confidence, components) for any year.
    pub fn has_details(&self) -> bool {
        !self.details.is_empty()
    }

    /// The details of a region in a year, if any were recorded.
    pub fn details(&self, region: usize, year: impl Into<Period>) -> Option<&Details> {
        self.detail_index(region, year.into())
            .and_then(|i| self.details.get(i))
    }

    /// Mutable details of a region in a year, if the year is in the panel.
    pub fn details_mut(&mut self, region: usize, year: impl Into<Period>) -> Option<&mut Details> {
        let i = self.detail_index(region, year.into())?;
        if self.details.is_empty() {
            self.details
                .resize(self.len() * self.years.len(), Details::default());
        }
        self.details.get_mut(i)
    }
}

impl Panel {
    /// Whether two panels hold the same contents (what they describe, their regions with
    /// names, aliases and groups, every figure and its details, the unreadable and rounded
    /// figures); the first difference, said, if not. Two readers of one file must agree.
    pub fn same_contents(&self, other: &Panel) -> Result<(), String> {
        fn same<T: PartialEq + std::fmt::Debug>(what: &str, a: T, b: T) -> Result<(), String> {
            if a == b {
                Ok(())
            } else {
                Err(format!("{what}: {a:?} against {b:?}"))
            }
        }
        same("info", &self.info, &other.info)?;
        same("components", self.components, other.components)?;
        same("years", &self.years, &other.years)?;
        same("regions", self.len(), other.len())?;
        same("group labels", &self.groups, &other.groups)?;
        same("unreadable figures", &self.invalid, &other.invalid)?;
        same("rounded figures", &self.rounded, &other.rounded)?;
        same("aggregates", &self.aggregates, &other.aggregates)?;
        for r in 0..self.len() {
            let name = self.name(r);
            same(&format!("name of region {r}"), name, other.name(r))?;
            same(
                &format!("{name}: group"),
                self.group_id(r),
                other.group_id(r),
            )?;
            same(
                &format!("{name}: Chinese name"),
                self.name_zh(r),
                other.name_zh(r),
            )?;
            let aliases = |p: &Panel| p.extras.get(r).map(|e| e.aliases.clone());
            same(&format!("{name}: aliases"), aliases(self), aliases(other))?;
            for &y in &self.years {
                same(
                    &format!("{name} {y}"),
                    self.population(r, y),
                    other.population(r, y),
                )?;
                same(
                    &format!("{name} {y}: details"),
                    self.details(r, y).filter(|d| **d != Details::default()),
                    other.details(r, y).filter(|d| **d != Details::default()),
                )?;
            }
        }
        Ok(())
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
        let mut p = Panel::new(
            PanelInfo::default(),
            vec![Period::year(2017), Period::year(2016), Period::year(2017)],
        );
        assert_eq!(p.years(), &[Period::year(2016), Period::year(2017)]);
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
        assert_eq!(p.years_with_data(), vec![Period::year(2017)]);
        assert_eq!((p.name(a), p.name(b)), ("A", "B"));
        p.set_group(a, Some("g"));
        assert_eq!((p.group(a), p.group(b)), (Some("g"), None));
    }
}
