//! Compute: per-region change, percent change and components of change; group and grand
//! totals over the regions that have both years. [`arrange`] then filters and sorts the
//! region rows for display.

pub mod arrange;

use std::collections::BTreeMap;

use crate::error::{Error, Result, list_years};
use crate::number::{Milli, div_round, pow10};
use crate::panel::{ComponentsKind, Confidence, Panel};

/// What a row of the result stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One region.
    Region,
    /// The sum of a group's regions.
    Group,
    /// The sum of all regions.
    Total,
}

impl Level {
    /// The word written in the `level` column.
    pub fn name(self) -> &'static str {
        match self {
            Level::Region => "region",
            Level::Group => "group",
            Level::Total => "total",
        }
    }
}

/// Natural increase and net migration over the compared years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Components {
    /// Births minus deaths, whole persons.
    pub natural_increase: i64,
    /// Change minus natural increase: the residual of the balancing equation.
    pub net_migration: i64,
    /// Net migration per 1,000 of the mean of the two populations.
    pub net_migration_per_1000: Option<Milli>,
}

/// One row of the result: a region, a group or the total.
///
/// Names are borrowed from the panel: a region's row is made when it is shown, so millions
/// of regions cost no more than their sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'p> {
    /// Region, group or total.
    pub level: Level,
    /// The region's name; empty for groups and the total.
    pub region: &'p str,
    /// The region's Chinese name, when known.
    pub region_zh: Option<&'p str>,
    /// The group label (the group's own name on group rows).
    pub group: Option<&'p str>,
    /// Population in the first year.
    pub pop_from: Option<i64>,
    /// Population in the second year.
    pub pop_to: Option<i64>,
    /// `pop_to - pop_from`.
    pub change: Option<i64>,
    /// Change as a percent of `pop_from`, in thousandths of a percent.
    pub change_pct: Option<Milli>,
    /// Components of change, when known for this row.
    pub components: Option<Components>,
    /// Regions summed into this row (1 for a complete region, 0 for an excluded one).
    pub regions: usize,
    /// Of those, how many declined.
    pub declined: usize,
    /// Of those, how many lack components of change.
    pub lacking_components: usize,
}

/// A region left out of the totals because it lacks one of the two years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The region's name.
    pub region: String,
    /// The years it lacks.
    pub missing: Vec<i32>,
}

/// A group's regions, in display order, and the group's sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'p> {
    /// The group label; `None` for regions without a group.
    pub group: Option<&'p str>,
    /// Indices of the regions shown, in order (32 bits: millions of them are kept).
    pub members: Vec<u32>,
    /// The group row; `None` when the data has no groups.
    pub summary: Option<Line<'p>>,
}

/// The result of comparing two years of a panel.
#[derive(Debug, Clone)]
pub struct Comparison<'p> {
    /// The data compared.
    pub panel: &'p Panel,
    /// First year.
    pub from: i32,
    /// Second year.
    pub to: i32,
    /// The groups in display order, each with its regions.
    pub sections: Vec<Section<'p>>,
    /// The total row.
    pub total: Line<'p>,
    /// Regions left out of the totals.
    pub excluded: Vec<Excluded>,
    /// Which components the panel carried.
    pub components: ComponentsKind,
    /// Notes on the figures shown: confidence, precision, how components were made.
    pub notes: Vec<String>,
    /// Region rows computed but not shown (filtered out by [`arrange`]); totals keep them.
    pub hidden: usize,
}

impl<'p> Comparison<'p> {
    /// Every row in display order: each group's regions then its row, then the total.
    pub fn lines(&self) -> impl Iterator<Item = Line<'p>> + '_ {
        self.sections
            .iter()
            .flat_map(move |s| {
                s.members
                    .iter()
                    .map(move |&r| self.region_line(r as usize))
                    .chain(s.summary.clone())
            })
            .chain(std::iter::once(self.total.clone()))
    }

    /// The row of a region by index.
    pub fn region_line(&self, r: usize) -> Line<'p> {
        region_line(self.panel, r, self.from, self.to)
            .unwrap_or_else(|_| basic_line(self.panel, r, self.from, self.to))
    }

    /// How many region rows are shown.
    pub fn shown(&self) -> usize {
        self.sections.iter().map(|s| s.members.len()).sum()
    }

    /// The total row.
    pub fn total(&self) -> Option<&Line<'p>> {
        Some(&self.total)
    }

    /// The row of a region by name, if the region is shown.
    pub fn region(&self, name: &str) -> Option<Line<'p>> {
        self.sections
            .iter()
            .flat_map(|s| &s.members)
            .find(|&&r| self.panel.name(r as usize) == name)
            .map(|&r| self.region_line(r as usize))
    }

    /// The row of a group by name.
    pub fn group(&self, name: &str) -> Option<&Line<'p>> {
        self.sections
            .iter()
            .filter_map(|s| s.summary.as_ref())
            .find(|l| l.group == Some(name))
    }
}

/// Picks the years to compare: those asked for, or else the panel's default pair, or else
/// the two latest years that hold data.
pub fn resolve_years(
    panel: &Panel,
    from: Option<i32>,
    to: Option<i32>,
    default: Option<(i32, i32)>,
) -> Result<(i32, i32)> {
    let with_data = panel.years_with_data();
    let dataset = || panel.info.dataset.clone();
    if with_data.len() < 2 {
        return Err(Error::TooFewYears {
            dataset: dataset(),
            available: list_years(&with_data),
        });
    }
    let latest = (
        with_data[with_data.len() - 2],
        with_data[with_data.len() - 1],
    );
    let (d_from, d_to) = default.unwrap_or(latest);
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, if f < d_to { d_to } else { latest.1 }),
        // Only --to given: compare with the year before it that holds data.
        (None, Some(t)) => {
            let before = with_data.iter().rev().find(|&&y| y < t).copied();
            (before.unwrap_or(d_from), t)
        }
        (None, None) => (d_from, d_to),
    };
    for year in [from, to] {
        if !with_data.contains(&year) {
            return Err(Error::YearNotInData {
                year,
                dataset: dataset(),
                available: list_years(&with_data),
            });
        }
    }
    if from >= to {
        return Err(Error::YearOrder { from, to });
    }
    Ok((from, to))
}

fn overflow(what: &str) -> Error {
    Error::Overflow {
        what: what.to_owned(),
    }
}

/// Natural increase of one region over `from+1 ..= to`: `Ok(None)` when a year lacks the
/// components, an error when a year in between lacks the population a rate needs.
fn natural_increase(panel: &Panel, r: usize, from: i32, to: i32) -> Result<Option<i64>> {
    let name = || panel.name(r).to_owned();
    match panel.components {
        ComponentsKind::None => Ok(None),
        ComponentsKind::Counts => {
            let mut sum: i64 = 0;
            for y in from + 1..=to {
                let Some(c) = panel.details(r, y) else {
                    return Ok(None);
                };
                let (Some(b), Some(d)) = (c.births, c.deaths) else {
                    return Ok(None);
                };
                let ni = b
                    .checked_sub(d)
                    .ok_or_else(|| overflow("natural increase"))?;
                sum = sum
                    .checked_add(ni)
                    .ok_or_else(|| overflow("natural increase"))?;
            }
            Ok(Some(sum))
        }
        ComponentsKind::Rates => {
            // Sum r_y/1000 x (P(y-1)+P(y))/2 exactly over a common denominator, round once.
            let mut terms = Vec::new();
            for y in from + 1..=to {
                let Some(rate) = panel.details(r, y).and_then(|c| c.natural_rate) else {
                    return Ok(None);
                };
                let p0 = panel
                    .population(r, y - 1)
                    .ok_or_else(|| Error::GapInYears {
                        region: name(),
                        year: y - 1,
                        next: y,
                    })?;
                let p1 = panel.population(r, y).ok_or_else(|| Error::GapInYears {
                    region: name(),
                    year: y,
                    next: y,
                })?;
                terms.push((rate, i128::from(p0) + i128::from(p1)));
            }
            let scale = terms.iter().map(|(d, _)| d.scale).max().unwrap_or(0);
            let mut num: i128 = 0;
            for (rate, pop_sum) in terms {
                let term = rate
                    .numerator_at(scale)
                    .and_then(|n| n.checked_mul(pop_sum))
                    .ok_or_else(|| overflow("natural increase"))?;
                num = num
                    .checked_add(term)
                    .ok_or_else(|| overflow("natural increase"))?;
            }
            let den = pow10(scale)
                .and_then(|p| p.checked_mul(2000))
                .ok_or_else(|| overflow("natural increase"))?;
            let ni = div_round(num, den).ok_or_else(|| overflow("natural increase"))?;
            i64::try_from(ni)
                .map(Some)
                .map_err(|_| overflow("natural increase"))
        }
    }
}

/// Regions compared on more than one thread from this many.
const PARALLEL_REGIONS: usize = 1 << 16;

/// What one run of regions adds up to.
struct Run<'p> {
    /// Per slot (group): the sums.
    sums: Vec<Sums>,
    excluded: Vec<Excluded>,
    /// The first regions lacking components, and how many lack them.
    lacking: Vec<&'p str>,
    lacking_count: usize,
}

impl Run<'_> {
    fn new(slots: usize) -> Self {
        Run {
            sums: (0..slots).map(|_| Sums::default()).collect(),
            excluded: Vec::new(),
            lacking: Vec::new(),
            lacking_count: 0,
        }
    }
}

/// Runs `work` on each item on its own thread, results in order.
fn on_threads<T: Send, R: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    crate::threads::map(items, work, || overflow("the work shared among threads"))
}

/// Running sums for a group or the total.
#[derive(Default)]
struct Sums {
    from: i64,
    to: i64,
    natural: i64,
    regions: usize,
    declined: usize,
    lacking: usize,
}

impl Sums {
    /// Adds the sums of other regions (another run's, or a group's to the total).
    fn merge(&mut self, other: &Sums) -> Result<()> {
        let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(|| overflow("a total"));
        self.from = add(self.from, other.from)?;
        self.to = add(self.to, other.to)?;
        self.natural = add(self.natural, other.natural)?;
        self.regions += other.regions;
        self.declined += other.declined;
        self.lacking += other.lacking;
        Ok(())
    }

    /// Counts a region of populations `a` then `b`.
    fn add_populations(&mut self, a: i64, b: i64) -> Result<()> {
        self.from = self
            .from
            .checked_add(a)
            .ok_or_else(|| overflow("a total"))?;
        self.to = self.to.checked_add(b).ok_or_else(|| overflow("a total"))?;
        self.regions += 1;
        self.declined += usize::from(b < a);
        Ok(())
    }

    fn add(&mut self, line: &Line) -> Result<()> {
        let (Some(a), Some(b)) = (line.pop_from, line.pop_to) else {
            return Ok(());
        };
        self.add_populations(a, b)?;
        match line.components {
            Some(c) => {
                self.natural = self
                    .natural
                    .checked_add(c.natural_increase)
                    .ok_or_else(|| overflow("a total"))?;
            }
            None => self.lacking += 1,
        }
        Ok(())
    }

    fn line<'p>(
        &self,
        level: Level,
        group: Option<&'p str>,
        kind: ComponentsKind,
    ) -> Result<Line<'p>> {
        let components = if kind == ComponentsKind::None || self.lacking > 0 {
            None
        } else {
            Some(components(self.from, self.to, self.natural)?)
        };
        let change = self
            .to
            .checked_sub(self.from)
            .ok_or_else(|| overflow("a total"))?;
        Ok(Line {
            level,
            region: "",
            region_zh: None,
            group,
            pop_from: Some(self.from),
            pop_to: Some(self.to),
            change: Some(change),
            change_pct: percent(change, self.from),
            components,
            regions: self.regions,
            declined: self.declined,
            lacking_components: self.lacking,
        })
    }
}

/// Change as a percent of the first population; undefined when that is zero.
pub fn percent(change: i64, from: i64) -> Option<Milli> {
    Milli::ratio(i128::from(change) * 100, i128::from(from))
}

/// Components from the two populations and the natural increase.
fn components(from: i64, to: i64, natural: i64) -> Result<Components> {
    let change = to.checked_sub(from).ok_or_else(|| overflow("a change"))?;
    let net = change
        .checked_sub(natural)
        .ok_or_else(|| overflow("net migration"))?;
    // per 1,000 of the mean population = net * 1000 / ((from + to) / 2)
    let per_1000 = Milli::ratio(i128::from(net) * 2000, i128::from(from) + i128::from(to));
    Ok(Components {
        natural_increase: natural,
        net_migration: net,
        net_migration_per_1000: per_1000,
    })
}

/// Orders group labels: numbers by value ("2" before "10"), then text; no group last.
fn group_cmp(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(a), Some(b)) => match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
            (Err(_), Err(_)) => a.cmp(b),
        },
    }
}

/// A region's row without components (the fallback if they cannot be computed).
fn basic_line(panel: &Panel, r: usize, from: i32, to: i32) -> Line<'_> {
    let pop_from = panel.population(r, from);
    let pop_to = panel.population(r, to);
    let change = pop_from.zip(pop_to).and_then(|(a, b)| b.checked_sub(a));
    Line {
        level: Level::Region,
        region: panel.name(r),
        region_zh: panel.name_zh(r),
        group: panel.group(r),
        pop_from,
        pop_to,
        change,
        change_pct: pop_from.zip(change).and_then(|(a, c)| percent(c, a)),
        components: None,
        regions: usize::from(change.is_some()),
        declined: usize::from(change.is_some_and(|c| c < 0)),
        lacking_components: 0,
    }
}

/// A region's row, with its components where the data has them.
fn region_line(panel: &Panel, r: usize, from: i32, to: i32) -> Result<Line<'_>> {
    let mut line = basic_line(panel, r, from, to);
    if let (Some(a), Some(b)) = (line.pop_from, line.pop_to) {
        line.change.ok_or_else(|| overflow("a change"))?;
        line.components = match natural_increase(panel, r, from, to)? {
            Some(ni) => Some(components(a, b, ni)?),
            None => None,
        };
        line.lacking_components =
            usize::from(line.components.is_none() && panel.components != ComponentsKind::None);
    }
    Ok(line)
}

/// Most names listed in one note.
const NAMES_IN_A_NOTE: usize = 20;

/// Compares two years of a panel: every region, every group, the total.
pub fn compare(panel: &Panel, from: i32, to: i32) -> Result<Comparison<'_>> {
    // An unreadable figure stops the comparison only if the comparison needs its year.
    let rates = panel.components == ComponentsKind::Rates;
    for f in &panel.invalid {
        let used = if f.component {
            panel.components != ComponentsKind::None && f.year > from && f.year <= to
        } else {
            f.year == from || f.year == to || (rates && f.year > from && f.year < to)
        };
        if used {
            return Err(Error::Input(Box::new(f.error.clone())));
        }
    }
    let (Some(col_from), Some(col_to)) = (panel.column(from), panel.column(to)) else {
        return Err(Error::YearNotInData {
            year: if panel.column(from).is_none() {
                from
            } else {
                to
            },
            dataset: panel.info.dataset.clone(),
            available: list_years(panel.years()),
        });
    };
    let n = panel.len();
    u32::try_from(n).map_err(|_| overflow("the number of regions"))?;
    let plain = panel.components == ComponentsKind::None;
    // A slot per group, and one for regions without a group.
    let slots = panel.groups().len() + 1;
    let slot = |r: usize| panel.group_id(r).unwrap_or(slots - 1);
    // Millions of plain regions are shared among threads, in runs kept in order.
    let threads = if plain && n >= PARALLEL_REGIONS {
        crate::threads::count()
    } else {
        1
    };
    let runs: Vec<std::ops::Range<usize>> = (0..threads)
        .map(|t| n * t / threads..n * (t + 1) / threads)
        .collect();
    // First, each run's regions per slot, so that each section's members are written in
    // place: not copied as they grow, nor gathered afterwards.
    let counts = on_threads(runs.clone(), |run| {
        let mut count = vec![0usize; slots];
        for r in run {
            count[slot(r)] += 1;
        }
        Ok(count)
    })?;
    let mut members: Vec<Vec<u32>> = (0..slots)
        .map(|s| bytemuck::zeroed_vec(counts.iter().map(|c| c[s]).sum()))
        .collect();
    let mut places: Vec<Vec<&mut [u32]>> = runs.iter().map(|_| Vec::new()).collect();
    for (s, list) in members.iter_mut().enumerate() {
        let mut rest = &mut list[..];
        for (t, place) in places.iter_mut().enumerate() {
            let (here, after) = rest.split_at_mut(counts[t][s]);
            place.push(here);
            rest = after;
        }
    }
    let work: Vec<_> = runs.into_iter().zip(places).collect();
    let done = on_threads(work, |(run, mut places)| {
        let mut out = Run::new(slots);
        let mut at = vec![0usize; slots];
        for r in run {
            let s = slot(r);
            let (a, b) = (col_from[r], col_to[r]);
            if a == Panel::MISSING || b == Panel::MISSING {
                out.excluded.push(Excluded {
                    region: panel.name(r).to_owned(),
                    missing: [(from, a), (to, b)]
                        .iter()
                        .filter(|(_, p)| *p == Panel::MISSING)
                        .map(|&(y, _)| y)
                        .collect(),
                });
            } else if plain {
                // The common case, kept lean: no components to compute.
                out.sums[s].add_populations(a, b)?;
            } else {
                let line = region_line(panel, r, from, to)?;
                if line.lacking_components > 0 {
                    out.lacking_count += 1;
                    if out.lacking.len() < NAMES_IN_A_NOTE {
                        out.lacking.push(panel.name(r));
                    }
                }
                out.sums[s].add(&line)?;
            }
            // Only the places of this run's own regions are written: the counts made them.
            if let Some(place) = places.get_mut(s).and_then(|p| p.get_mut(at[s])) {
                *place = r as u32; // below 2^32: checked above
            }
            at[s] += 1;
        }
        Ok(out)
    })?;
    let mut sums: Vec<Sums> = (0..slots).map(|_| Sums::default()).collect();
    let mut excluded = Vec::new();
    let mut lacking = Vec::new();
    let mut lacking_count = 0usize;
    for run in done {
        for (sums, run) in sums.iter_mut().zip(&run.sums) {
            sums.merge(run)?;
        }
        excluded.extend(run.excluded);
        lacking_count += run.lacking_count;
        lacking.extend(run.lacking);
    }
    lacking.truncate(NAMES_IN_A_NOTE);
    let mut total = Sums::default();
    for s in &sums {
        total.merge(s)?;
    }
    // One section per group (and one for regions without a group), in order of first use:
    // members are in region order, so a slot's first member is its first use.
    let mut used: Vec<(u32, usize)> = (0..slots)
        .filter_map(|s| members[s].first().map(|&r| (r, s)))
        .collect();
    used.sort_unstable();
    let mut sections: Vec<(Option<usize>, Sums, Vec<u32>)> = used
        .into_iter()
        .map(|(_, s)| {
            let gid = (s + 1 < slots).then_some(s);
            (
                gid,
                std::mem::take(&mut sums[s]),
                std::mem::take(&mut members[s]),
            )
        })
        .collect();

    let grouped = !panel.groups().is_empty() && sections.iter().any(|s| s.0.is_some());
    let fixed = &panel.info.group_order;
    let label = |g: Option<usize>| g.map(|g| panel.groups()[g].as_str());
    sections.sort_by(|(a, ..), (b, ..)| {
        let rank = |g: Option<usize>| {
            label(g)
                .and_then(|g| fixed.iter().position(|f| f == g))
                .unwrap_or(usize::MAX)
        };
        rank(*a)
            .cmp(&rank(*b))
            .then_with(|| group_cmp(label(*a), label(*b)))
    });
    let mut out = Vec::with_capacity(sections.len());
    for (g, sums, members) in sections {
        let summary = if grouped {
            Some(sums.line(Level::Group, label(g), panel.components)?)
        } else {
            None
        };
        out.push(Section {
            group: label(g),
            members,
            summary,
        });
    }
    let total = total.line(Level::Total, None, panel.components)?;

    let mut notes = figure_notes(panel, from, to);
    if lacking_count > 0 {
        let more = lacking_count - lacking.len();
        let and_more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        notes.push(format!(
            "No components of change for {lacking_count} region{} ({}{and_more}): their rows \
             show none, and neither do the groups and total that include them.",
            if lacking_count == 1 { "" } else { "s" },
            lacking.join(", ")
        ));
    }
    Ok(Comparison {
        panel,
        from,
        to,
        sections: out,
        total,
        excluded,
        components: panel.components,
        notes,
        hidden: 0,
    })
}

/// Notes on the figures a comparison shows: confidence below high, and figures published
/// in whole units of the source (precision of ±half a unit).
fn figure_notes(panel: &Panel, from: i32, to: i32) -> Vec<String> {
    let mut by_confidence: BTreeMap<Confidence, Vec<String>> = BTreeMap::new();
    let mut whole_units = Vec::new();
    let mut with_text = 0usize;
    // Only the bundled data and files with components have details to note.
    let regions = if panel.has_details() { panel.len() } else { 0 };
    for r in 0..regions {
        let name = panel.name(r);
        for year in [from, to] {
            let Some(cell) = panel.details(r, year) else {
                continue;
            };
            with_text += usize::from(cell.population_text.is_some());
            if let Some(c) = cell.confidence.filter(|&c| c != Confidence::High) {
                by_confidence
                    .entry(c)
                    .or_default()
                    .push(format!("{name} {year}"));
            }
            if cell
                .population_text
                .as_deref()
                .is_some_and(|t| !t.contains('.'))
            {
                whole_units.push(format!("{name} {year}"));
            }
        }
    }
    let mut notes = Vec::new();
    let rounded: Vec<String> = panel
        .rounded
        .iter()
        .filter(|f| f.year >= from && f.year <= to)
        .map(|f| {
            let name = panel.name(f.region);
            format!("{name} {} ({})", f.year, f.text)
        })
        .collect();
    if !rounded.is_empty() {
        notes.push(format!(
            "Rounded to whole persons (--fractions round): {}.",
            rounded.join(", ")
        ));
    }
    if !by_confidence.is_empty() {
        let parts: Vec<String> = by_confidence
            .iter()
            .rev()
            .map(|(c, figs)| format!("{}: {}", c.name(), figs.join(", ")))
            .collect();
        notes.push(format!(
            "Figures not of high confidence ({}); see `popdelta sources`.",
            parts.join("; ")
        ));
    }
    if !whole_units.is_empty() && whole_units.len() == with_text {
        notes.push(format!(
            "All figures are published in whole {}: each change is good to about ±10,000 \
             persons.",
            panel.info.source_unit
        ));
    } else if !whole_units.is_empty() {
        notes.push(format!(
            "Published in whole {} (a change involving them is good to about ±5,000 persons \
             per figure): {}.",
            panel.info.source_unit,
            whole_units.join(", ")
        ));
    }
    match panel.components {
        ComponentsKind::None => {}
        kind => {
            let years: Vec<i32> = (from + 1..=to).collect();
            let basis = match kind {
                ComponentsKind::Rates => {
                    "natural growth rates (per mille of the mean of year-start and year-end population)"
                }
                _ => "births minus deaths",
            };
            notes.push(format!(
                "Natural increase from {basis} of {}; net migration = change - natural \
                 increase, a residual that also carries the statistical error of the figures.",
                list_years(&years)
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::bundled::{self, Dataset, Grouping};
    use crate::number::Decimal;
    use crate::panel::{Names, PanelInfo, Region};
    use proptest::prelude::*;

    fn china() -> Panel {
        bundled::load(Dataset::China, Grouping::NorthSouth).unwrap()
    }

    #[test]
    fn reproduces_the_2018_reports() {
        let p = china();
        let c = compare(&p, 2016, 2017).unwrap();
        let change = |n: &str| c.region(n).and_then(|l| l.change);
        assert_eq!(change("Beijing"), Some(-22_000));
        assert_eq!(change("Shanghai"), Some(-13_700));
        assert_eq!(change("Jilin"), Some(-156_000));
        assert_eq!(change("Tianjin"), Some(-52_500));
        assert_eq!(change("Liaoning"), Some(-89_000));
        let pct = c.region("Beijing").and_then(|l| l.change_pct);
        assert_eq!(pct.map(|p| p.to_string()), Some("-0.101".into()));
    }

    #[test]
    fn north_south_and_total() {
        let p = china();
        let c = compare(&p, 2016, 2017).unwrap();
        let n = c.group("north").unwrap();
        assert_eq!(
            (n.pop_from, n.pop_to),
            (Some(578_846_300), Some(581_040_200))
        );
        assert_eq!((n.regions, n.declined), (15, 5));
        let s = c.group("south").unwrap();
        assert_eq!(
            (s.pop_from, s.pop_to),
            (Some(800_977_700), Some(807_293_000))
        );
        let t = c.total().unwrap();
        assert_eq!(
            (t.pop_from, t.pop_to),
            (Some(1_379_824_000), Some(1_388_333_200))
        );
        assert_eq!(t.change, Some(8_509_200));
        assert!(c.excluded.is_empty());
    }

    #[test]
    fn liaoning_components_from_rates() {
        let p = china();
        let c = compare(&p, 2016, 2017).unwrap();
        let l = c.region("Liaoning").unwrap().components.unwrap();
        assert_eq!(l.natural_increase, -19_243);
        assert_eq!(l.net_migration, -69_757);
        let north = c.group("north").unwrap().components.unwrap();
        let south = c.group("south").unwrap().components.unwrap();
        assert!(north.net_migration_per_1000 < Some(Milli(0)));
        assert!(south.net_migration_per_1000 > Some(Milli(0)));
    }

    #[test]
    fn components_over_several_years_sum_each_year() {
        let p = china();
        let two = compare(&p, 2015, 2017).unwrap();
        let a = compare(&p, 2015, 2016).unwrap();
        let b = compare(&p, 2016, 2017).unwrap();
        let ni = |c: &Comparison| {
            c.region("Beijing")
                .unwrap()
                .components
                .unwrap()
                .natural_increase
        };
        // Rounded once over both years, so within one person of the sum of the two.
        assert!((ni(&two) - ni(&a) - ni(&b)).abs() <= 1);
    }

    #[test]
    fn default_years_and_errors() {
        let p = china();
        assert_eq!(
            resolve_years(&p, None, None, Some((2016, 2017))).unwrap(),
            (2016, 2017)
        );
        assert_eq!(resolve_years(&p, None, None, None).unwrap(), (2017, 2018));
        assert_eq!(
            resolve_years(&p, Some(2015), None, Some((2016, 2017))).unwrap(),
            (2015, 2017)
        );
        assert_eq!(
            resolve_years(&p, None, Some(2016), Some((2016, 2017))).unwrap(),
            (2015, 2016)
        );
        let e = resolve_years(&p, Some(2014), Some(2017), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "year 2014 is not in the data (china has 2015, 2016, 2017, 2018); pick --from and --to among those"
        );
        let e = resolve_years(&p, Some(2017), Some(2016), None).unwrap_err();
        assert_eq!(e.to_string(), "--from 2017 must be before --to 2016");
    }

    #[test]
    fn region_missing_a_year_is_excluded_and_named() {
        let mut p = Panel::new(PanelInfo::default(), vec![2016, 2017]);
        for (name, a, b) in [("A", Some(10), Some(12)), ("B", Some(5), None)] {
            let r = p.push_region(Region {
                name: name.into(),
                aliases: Vec::new(),
                name_zh: None,
                group: None,
            });
            p.set_population(r, 2016, a);
            p.set_population(r, 2017, b);
        }
        let c = compare(&p, 2016, 2017).unwrap();
        assert_eq!(
            c.excluded,
            vec![Excluded {
                region: "B".into(),
                missing: vec![2017]
            }]
        );
        let t = c.total().unwrap();
        assert_eq!((t.pop_from, t.pop_to, t.regions), (Some(10), Some(12), 1));
        assert_eq!(c.region("B").unwrap().change, None);
        assert!(c.lines().all(|l| l.level != Level::Group));
    }

    #[test]
    fn overflowing_totals_are_an_error_not_a_wrap() {
        let mut p = Panel::new(PanelInfo::default(), vec![2016, 2017]);
        for name in ["A", "B"] {
            let r = p.push_region(Region {
                name: name.into(),
                aliases: Vec::new(),
                name_zh: None,
                group: None,
            });
            p.set_population(r, 2016, Some(i64::MAX - 1));
            p.set_population(r, 2017, Some(i64::MAX));
        }
        let e = compare(&p, 2016, 2017).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("arithmetic overflow while computing a total"),
            "{e}"
        );
    }

    /// Enough regions to be shared among threads: the same sections, members, sums and
    /// exclusions as one pass in order over the regions gives.
    #[test]
    fn regions_compared_on_threads_add_up_as_in_order() {
        let n = PARALLEL_REGIONS + 4321;
        let mut names = Names::default();
        let groups: Vec<String> = ["west", "east", "10", "2"].map(String::from).into();
        let mut group_of = Vec::new();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for r in 0..n {
            names.push(&format!("R{r}"));
            // Group "2" first appears late, after "east" and "west".
            group_of.push(match r % 7 {
                0 if r < 50_000 => None,
                0 => Some(3),
                k => Some(k as u32 % 3),
            });
            a.push(if r % 1999 == 3 {
                Panel::MISSING
            } else {
                1000 + (r as i64 * 37) % 5000
            });
            b.push(if r % 2003 == 8 {
                Panel::MISSING
            } else {
                1000 + (r as i64 * 41) % 5000
            });
        }
        let panel = Panel::from_columns(
            PanelInfo::default(),
            names,
            groups,
            group_of.clone(),
            vec![(2016, a.clone()), (2017, b.clone())],
        );
        let cmp = compare(&panel, 2016, 2017).unwrap();
        // In order, by hand: group labels sort "2", "10", "east", "west", then no group.
        let order = [Some(3), Some(2), Some(1), Some(0), None];
        assert_eq!(cmp.sections.len(), order.len());
        let (mut all_from, mut all_to) = (0i64, 0i64);
        for (section, g) in cmp.sections.iter().zip(order) {
            let members: Vec<u32> = (0..n as u32)
                .filter(|&r| group_of[r as usize] == g)
                .collect();
            assert_eq!(section.members, members, "{g:?}");
            let kept: Vec<usize> = members
                .iter()
                .map(|&r| r as usize)
                .filter(|&r| a[r] != Panel::MISSING && b[r] != Panel::MISSING)
                .collect();
            let from: i64 = kept.iter().map(|&r| a[r]).sum();
            let to: i64 = kept.iter().map(|&r| b[r]).sum();
            let summary = section.summary.as_ref().unwrap();
            assert_eq!((summary.pop_from, summary.pop_to), (Some(from), Some(to)));
            assert_eq!(summary.regions, kept.len());
            assert_eq!(
                summary.declined,
                kept.iter().filter(|&&r| b[r] < a[r]).count()
            );
            all_from += from;
            all_to += to;
        }
        assert_eq!(
            (cmp.total.pop_from, cmp.total.pop_to),
            (Some(all_from), Some(all_to))
        );
        let excluded: Vec<String> = (0..n)
            .filter(|&r| a[r] == Panel::MISSING || b[r] == Panel::MISSING)
            .map(|r| format!("R{r}"))
            .collect();
        let named: Vec<&String> = cmp.excluded.iter().map(|e| &e.region).collect();
        assert_eq!(named, excluded.iter().collect::<Vec<_>>());
        assert_eq!(cmp.excluded[0].missing, [2016]);
    }

    fn random_panel() -> impl Strategy<Value = Panel> {
        let region = (
            0i64..2_000_000_000,
            0i64..2_000_000_000,
            -20_000i128..20_000,
            0u32..4,
            0usize..3,
        );
        prop::collection::vec(region, 1..40).prop_map(|rows| {
            let mut p = Panel::new(PanelInfo::default(), vec![2016, 2017]);
            p.components = ComponentsKind::Rates;
            for (i, (a, b, m, scale, g)) in rows.into_iter().enumerate() {
                let r = p.push_region(Region {
                    name: format!("r{i}"),
                    aliases: Vec::new(),
                    name_zh: None,
                    group: Some(format!("g{g}")),
                });
                p.set_population(r, 2016, Some(a));
                p.set_population(r, 2017, Some(b));
                p.details_mut(r, 2017).unwrap().natural_rate = Some(Decimal { mantissa: m, scale });
            }
            p
        })
    }

    proptest! {
        #[test]
        fn balancing_identity_holds_in_every_row(p in random_panel()) {
            let c = compare(&p, 2016, 2017).unwrap();
            for l in c.lines() {
                let comp = l.components.unwrap();
                prop_assert_eq!(comp.natural_increase + comp.net_migration, l.change.unwrap());
            }
        }

        #[test]
        fn totals_are_sums_of_regions(p in random_panel()) {
            let c = compare(&p, 2016, 2017).unwrap();
            let regions: Vec<Line> = c.lines().filter(|l| l.level == Level::Region).collect();
            let total = c.total().unwrap();
            prop_assert_eq!(total.pop_from, Some(regions.iter().filter_map(|l| l.pop_from).sum()));
            prop_assert_eq!(total.change, Some(regions.iter().filter_map(|l| l.change).sum()));
            let groups: i64 = c.lines().filter(|l| l.level == Level::Group).filter_map(|l| l.change).sum();
            prop_assert_eq!(total.change, Some(groups));
        }
    }
}
