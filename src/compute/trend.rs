//! Trend: every region, group and the total over a range of years, each summed up by
//! [`stats`]; and `--yearly`, each consecutive pair of years as [`compare`] rows.
//!
//! Group and total rows sum the regions that have every year of the range, so that their
//! series is one set of regions throughout; the others are named.

use super::arrange::{Arrange, Ranked, arrange_members, keep_shown};
use super::series::{Stats, stats};
use super::totals::Sums;
use super::{
    Excluded, Level, Line, Note, aggregates_note, notes, on_threads, order_sections, overflow,
    region_line_or_basic,
};
use crate::error::{Error, Result, list_year_runs, list_years};
use crate::panel::{Column, Panel};
use crate::period::Period;

/// What trend rows are sorted by: the CSV columns of the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrendKey {
    /// Absolute change from the first year to the last.
    Change,
    /// Percent change.
    #[value(name = "change_pct", alias = "pct")]
    ChangePct,
    /// Compound annual growth rate.
    #[value(name = "cagr_pct", alias = "cagr")]
    CagrPct,
    /// Region name.
    Name,
    /// Population in the first year.
    #[value(name = "pop_first", alias = "first")]
    PopFirst,
    /// Population in the last year.
    #[value(name = "pop_last", alias = "last")]
    PopLast,
    /// The year of the peak.
    #[value(name = "peak_year")]
    PeakYear,
    /// Years below the year before.
    #[value(name = "years_down")]
    YearsDown,
    /// The longest run of such years.
    #[value(name = "longest_decline")]
    LongestDecline,
    /// The run of such years that ends in the last year.
    #[value(name = "decline_streak")]
    DeclineStreak,
}

impl Ranked for TrendLine<'_> {
    type Key = TrendKey;

    fn rank(&self, key: TrendKey) -> std::result::Result<Option<i128>, &str> {
        let s = self.stats;
        Ok(match key {
            TrendKey::Name => return Err(self.region),
            TrendKey::Change => s.and_then(|s| s.change).map(i128::from),
            TrendKey::ChangePct => s.and_then(|s| s.change_pct).map(|m| m.0),
            TrendKey::CagrPct => s.and_then(|s| s.cagr_pct).map(|m| m.0),
            TrendKey::PopFirst => s.map(|s| s.pop_first.into()),
            TrendKey::PopLast => s.map(|s| s.pop_last.into()),
            TrendKey::PeakYear => s.map(|s| s.peak_year.key().into()),
            TrendKey::YearsDown => s.map(|s| s.years_down.into()),
            TrendKey::LongestDecline => s.map(|s| s.longest_decline.into()),
            TrendKey::DeclineStreak => s.map(|s| s.decline_streak.into()),
        })
    }

    fn change(&self) -> Option<i64> {
        self.stats.and_then(|s| s.change)
    }
}

/// Filters, sorts and cuts the region rows of each group; counts what is hidden. The
/// group and total rows keep summing every region.
pub fn arrange(trend: &mut Trend, how: &Arrange<TrendKey>) {
    let mut sections = std::mem::take(&mut trend.sections);
    for section in &mut sections {
        trend.hidden +=
            arrange_members(&mut section.members, |r| trend.region_line(r as usize), how);
    }
    trend.sections = sections;
    renote(trend);
}

/// Shows only the regions marked in `shown` (`--region`); group and total rows keep
/// summing every region.
pub fn show_only(trend: &mut Trend, shown: &[bool]) {
    for section in &mut trend.sections {
        trend.hidden += keep_shown(&mut section.members, shown);
    }
    keep_shown(&mut trend.aggregates, shown);
    renote(trend);
}

/// The notes on figures again, for the rows shown, once some are hidden.
fn renote(trend: &mut Trend) {
    if trend.hidden == 0 {
        return;
    }
    let members = trend.sections.iter().flat_map(|s| &s.members);
    let shown = notes::shown_set(trend.panel.len(), members.chain(&trend.aggregates));
    notes::renote(&mut trend.notes, trend.panel, &trend.years, None, &shown);
}

/// One row of a trend: a region, a group or the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendLine<'p> {
    /// Region, group, total or aggregate.
    pub level: Level,
    /// The region's name; empty for groups and the total.
    pub region: &'p str,
    /// The region's Chinese name, when known.
    pub region_zh: Option<&'p str>,
    /// The group label (the group's own name on group rows).
    pub group: Option<&'p str>,
    /// The series' statistics; `None` when it has no year of the range.
    pub stats: Option<Stats>,
    /// Regions summed into this row (1 for a region with every year, 0 for one without).
    pub regions: usize,
    /// Of those, how many ended below where they began.
    pub declined: usize,
    /// The region's index, for region and aggregate rows.
    pub index: Option<u32>,
    /// The summed series, for group and total rows: one population per year of the range.
    pub sums: Option<Vec<i64>>,
}

/// A group's regions, in display order, and the group's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendSection<'p> {
    /// The group label; `None` for regions without a group.
    pub group: Option<&'p str>,
    /// Indices of the regions shown, in order.
    pub members: Vec<u32>,
    /// The group row; `None` when the data has no groups.
    pub summary: Option<TrendLine<'p>>,
}

/// Every region, group and the total over a range of years.
#[derive(Debug, Clone)]
pub struct Trend<'p> {
    /// The data.
    pub panel: &'p Panel,
    /// The years of the range that hold data, ascending.
    pub years: Vec<Period>,
    /// The groups in display order, each with its regions.
    pub sections: Vec<TrendSection<'p>>,
    /// The total row.
    pub total: TrendLine<'p>,
    /// Regions that lack a year of the range: left out of the group and total rows.
    pub excluded: Vec<Excluded>,
    /// Notes on the figures shown.
    pub notes: Vec<Note>,
    /// Region rows computed but not shown (filtered out); sums keep them.
    pub hidden: usize,
    /// Rows of the data that are totals of others, in order: shown after the total.
    pub aggregates: Vec<u32>,
    columns: Vec<(Period, Column<'p>)>,
}

impl<'p> Trend<'p> {
    /// The first year of the range.
    pub fn first(&self) -> Period {
        // A trend's years are never empty: `range` refuses fewer than two.
        self.years.first().copied().unwrap_or(Period::year(0))
    }

    /// The last year of the range.
    pub fn last(&self) -> Period {
        self.years.last().copied().unwrap_or(Period::year(0))
    }

    /// A region's row by index.
    pub fn region_line(&self, r: usize) -> TrendLine<'p> {
        let series = self.columns.iter().map(|(y, c)| (*y, c.get(r)));
        self.line_of(r, stats(series))
    }

    /// A region's row from its statistics.
    fn line_of(&self, r: usize, stats: Option<Stats>) -> TrendLine<'p> {
        let complete = stats.is_some_and(|s| s.missing == 0);
        TrendLine {
            level: Level::Region,
            region: self.panel.name(r),
            region_zh: self.panel.name_zh(r),
            group: self.panel.group(r),
            stats,
            regions: usize::from(complete),
            declined: usize::from(complete && stats.is_some_and(|s| s.pop_last < s.pop_first)),
            index: u32::try_from(r).ok(),
            sums: None,
        }
    }

    /// A row's population in each year of the range.
    pub fn series(&self, line: &TrendLine) -> Vec<Option<i64>> {
        match (&line.sums, line.index) {
            // A group none of whose regions has every year sums nothing: no series, not zeros.
            (Some(sums), _) if line.regions == 0 => vec![None; sums.len()],
            (Some(sums), _) => sums.iter().map(|&v| Some(v)).collect(),
            (None, Some(r)) => self
                .columns
                .iter()
                .map(|(_, c)| c.get(r as usize))
                .collect(),
            (None, None) => Vec::new(),
        }
    }

    /// Whether group and total rows are summed: not for values of another unit than
    /// persons (rates, shares), which are never totalled.
    pub fn totalled(&self) -> bool {
        self.panel.info.values.is_none()
    }

    /// The decimals the figures carry: 0 for persons.
    pub fn decimals(&self) -> u32 {
        self.panel.info.values.as_ref().map_or(0, |v| v.decimals)
    }

    /// Every row in display order: each group's regions then its row, the total, then the
    /// aggregates.
    pub fn lines(&self) -> impl Iterator<Item = TrendLine<'p>> + '_ {
        self.sections
            .iter()
            .flat_map(move |s| {
                s.members
                    .iter()
                    .map(move |&r| self.region_line(r as usize))
                    .chain(s.summary.clone())
            })
            .chain(self.totalled().then(|| self.total.clone()))
            .chain(self.aggregates.iter().map(move |&r| TrendLine {
                level: Level::Aggregate,
                ..self.region_line(r as usize)
            }))
    }

    /// How many region rows are shown.
    pub fn shown(&self) -> usize {
        self.sections.iter().map(|s| s.members.len()).sum()
    }

    /// A row by subject: a region (any of its names), a group, or the total.
    pub fn find(&self, subject: &str) -> Option<TrendLine<'p>> {
        if super::names_the_total(subject) {
            return Some(self.total.clone());
        }
        let lower = subject.trim().to_lowercase();
        let group = self
            .sections
            .iter()
            .filter_map(|s| s.summary.as_ref())
            .find(|l| l.group.is_some_and(|g| g.to_lowercase() == lower));
        if let Some(g) = group {
            return Some(g.clone());
        }
        self.panel.find(subject).map(|r| self.region_line(r))
    }

    /// The row of a region by name, if shown.
    pub fn region(&self, name: &str) -> Option<TrendLine<'p>> {
        self.sections
            .iter()
            .flat_map(|s| &s.members)
            .find(|&&r| self.panel.name(r as usize) == name)
            .map(|&r| self.region_line(r as usize))
    }

    /// The row of a group by name.
    pub fn group(&self, name: &str) -> Option<&TrendLine<'p>> {
        self.sections
            .iter()
            .filter_map(|s| s.summary.as_ref())
            .find(|l| l.group == Some(name))
    }
}

/// Regions summed on more than one thread from this many.
const PARALLEL_REGIONS: usize = 1 << 16;

/// What one run of regions adds up to.
struct Run {
    /// Per slot: the regions, in order.
    members: Vec<Vec<u32>>,
    /// Per slot: the summed series, and how many regions with every year, how many down.
    sums: Vec<(Vec<i64>, usize, usize)>,
    excluded: Vec<Excluded>,
}

impl Run {
    /// The runs of the threads as one, in order: `slots` slots of series `width` long.
    fn merged(done: Vec<Run>, slots: usize, width: usize) -> Result<Run> {
        let mut out = Run {
            members: vec![Vec::new(); slots],
            sums: vec![(vec![0; width], 0, 0); slots],
            excluded: Vec::new(),
        };
        for run in done {
            for (all, mine) in out.members.iter_mut().zip(run.members) {
                if all.is_empty() {
                    *all = mine;
                } else {
                    all.extend(mine);
                }
            }
            for (all, mine) in out.sums.iter_mut().zip(run.sums) {
                add_series(&mut all.0, mine.0.into_iter())?;
                all.1 += mine.1;
                all.2 += mine.2;
            }
            out.excluded.extend(run.excluded);
        }
        Ok(out)
    }
}

/// The row of a group or the total: its summed series over `years`, with how many regions
/// it sums and how many of them ended down.
fn summed_line<'p>(
    years: &[Period],
    level: Level,
    group: Option<&'p str>,
    (series, regions, declined): (Vec<i64>, usize, usize),
) -> TrendLine<'p> {
    let stats = if regions > 0 {
        stats(years.iter().copied().zip(series.iter().map(|&v| Some(v))))
    } else {
        None
    };
    TrendLine {
        level,
        region: "",
        region_zh: None,
        group,
        stats,
        regions,
        declined,
        index: None,
        sums: Some(series),
    }
}

/// Refuses a trend over a year whose population could not be read, naming the figure.
fn refuse_unreadable(panel: &Panel, years: &[Period]) -> Result<()> {
    match panel
        .invalid
        .iter()
        .find(|f| !f.component && years.contains(&f.year))
    {
        Some(f) => Err(Error::Input(Box::new(f.error.clone()))),
        None => Ok(()),
    }
}

/// The years of the data from `first` to `last` (both must hold data).
pub fn range(panel: &Panel, first: Option<Period>, last: Option<Period>) -> Result<Vec<Period>> {
    let with_data = panel.years_with_data();
    let available = || list_years(&with_data);
    for year in [first, last].into_iter().flatten() {
        if !with_data.contains(&year) {
            return Err(Error::YearNotInData {
                year,
                dataset: panel.info.dataset.clone(),
                available: available(),
            });
        }
    }
    if let (Some(f), Some(t)) = (first, last)
        && f >= t
    {
        return Err(Error::YearOrder { from: f, to: t });
    }
    let years: Vec<Period> = with_data
        .iter()
        .copied()
        .filter(|&y| first.is_none_or(|f| y >= f) && last.is_none_or(|t| y <= t))
        .collect();
    if years.len() < 2 && with_data.len() >= 2 {
        return Err(Error::Usage(format!(
            "{} holds {} in the years asked for; a trend needs two or more (it has {})",
            panel.info.dataset,
            match years.as_slice() {
                [] => "no figures".to_owned(),
                years => format!("figures for {} alone", list_years(years)),
            },
            list_year_runs(&with_data)
        )));
    }
    if years.len() < 2 {
        return Err(Error::TooFewYears {
            dataset: panel.info.dataset.clone(),
            available: available(),
        });
    }
    Ok(years)
}

/// Adds a series to a running sum, year by year.
fn add_series(sum: &mut [i64], values: impl Iterator<Item = i64>) -> Result<()> {
    for (s, v) in sum.iter_mut().zip(values) {
        *s = s.checked_add(v).ok_or_else(|| overflow("a total"))?;
    }
    Ok(())
}

/// The trend of every region, group and the total over `years` (from [`range`]).
pub fn trend<'p>(panel: &'p Panel, years: Vec<Period>) -> Result<Trend<'p>> {
    refuse_unreadable(panel, &years)?;
    let columns: Vec<(Period, Column)> = years
        .iter()
        .filter_map(|&y| panel.column(y).map(|c| (y, c)))
        .collect();
    let n = panel.len();
    u32::try_from(n).map_err(|_| overflow("the number of regions"))?;
    let slots = panel.groups().len() + 2;
    let (ungrouped, apart) = (slots - 2, slots - 1);
    let mut is_aggregate = vec![false; n];
    for (r, _) in panel.aggregates() {
        if let Some(a) = is_aggregate.get_mut(r) {
            *a = true;
        }
    }
    let slot = |r: usize| {
        if is_aggregate[r] {
            apart
        } else {
            panel.group_id(r).unwrap_or(ungrouped)
        }
    };
    let threads = if n >= PARALLEL_REGIONS {
        crate::threads::count()
    } else {
        1
    };
    let runs: Vec<std::ops::Range<usize>> = (0..threads)
        .map(|t| n * t / threads..n * (t + 1) / threads)
        .collect();
    let width = columns.len();
    let done = on_threads(runs, |run| {
        let mut out = Run {
            members: vec![Vec::new(); slots],
            sums: vec![(vec![0; width], 0, 0); slots],
            excluded: Vec::new(),
        };
        let slot_of: Vec<usize> = run.clone().map(slot).collect();
        for (r, &s) in run.clone().zip(&slot_of) {
            out.members[s].push(r as u32); // below 2^32: checked above
        }
        // Each year's column is read once, in order (reading every column for each region
        // waits on memory): all regions are summed, and those lacking a year are taken
        // out again afterwards (they are few).
        let mut complete = vec![true; slot_of.len()];
        let mut year_sums = vec![0i128; slots];
        for (k, (_, column)) in columns.iter().enumerate() {
            year_sums.fill(0);
            for ((r, &s), whole) in run.clone().zip(&slot_of).zip(complete.iter_mut()) {
                match column.get(r) {
                    Some(v) => year_sums[s] += i128::from(v),
                    None => *whole = false,
                }
            }
            // Rows that are totals of others (the last slot) are never summed.
            for (sums, &y) in out.sums[..apart].iter_mut().zip(&year_sums) {
                sums.0[k] = i64::try_from(y).map_err(|_| overflow("a total"))?;
            }
        }
        let first = columns.first().map(|c| c.1);
        let last = columns.last().map(|c| c.1);
        for ((r, &s), whole) in run.zip(&slot_of).zip(&complete) {
            if s == apart {
                continue;
            }
            let (sum, regions, declined) = &mut out.sums[s];
            if *whole {
                *regions += 1;
                let at = |c: Option<Column>| c.and_then(|c| c.get(r));
                *declined += usize::from(at(last) < at(first));
                continue;
            }
            for (k, (_, column)) in columns.iter().enumerate() {
                if let Some(v) = column.get(r) {
                    sum[k] = sum[k].checked_sub(v).ok_or_else(|| overflow("a total"))?;
                }
            }
            out.excluded.push(Excluded {
                region: panel.name(r).to_owned(),
                missing: columns
                    .iter()
                    .filter(|(_, c)| c.get(r).is_none())
                    .map(|(y, _)| *y)
                    .collect(),
            });
        }
        Ok(out)
    })?;
    let Run {
        mut members,
        mut sums,
        excluded,
    } = Run::merged(done, slots, width)?;
    let mut total = (vec![0i64; width], 0usize, 0usize);
    for s in &sums[..apart] {
        add_series(&mut total.0, s.0.iter().copied())?;
        total.1 += s.1;
        total.2 += s.2;
    }
    let summed = |level, group, sum| summed_line(&years, level, group, sum);
    let aggregates = std::mem::take(&mut members[apart]);
    let (order, grouped) = order_sections(panel, &members[..apart], ungrouped);
    // Values of another unit than persons (rates, shares) are never summed.
    let grouped = grouped && panel.info.values.is_none();
    let sections = order
        .into_iter()
        .map(|s| {
            let gid = (s < ungrouped).then_some(s);
            let group = gid.map(|g| panel.groups()[g].as_str());
            let sum = std::mem::take(&mut sums[s]);
            TrendSection {
                group,
                members: std::mem::take(&mut members[s]),
                summary: grouped.then(|| summed(Level::Group, group, sum)),
            }
        })
        .collect();
    let total = summed(Level::Total, None, total);
    let mut notes = notes::figure_notes(panel, &years, None);
    notes.extend(aggregates_note(panel, &aggregates));
    if let (Some(&first), Some(&last)) = (years.first(), years.last()) {
        notes.extend(notes::breaks(panel, first, last));
    }
    Ok(Trend {
        panel,
        years,
        sections,
        total,
        excluded,
        notes,
        hidden: 0,
        aggregates,
        columns,
    })
}

/// One consecutive pair of years: its rows, as `compare` makes them.
#[derive(Debug, Clone)]
pub struct Step<'p> {
    /// The earlier year.
    pub from: Period,
    /// The later year.
    pub to: Period,
    /// Per section of the trend: the group row over the regions with every year.
    pub groups: Vec<Option<Line<'p>>>,
    /// The total row over the regions with every year.
    pub total: Line<'p>,
}

impl<'p> Trend<'p> {
    /// A region's row for one pair of years: the rule `compare` follows.
    pub fn step_line(&self, r: usize, from: Period, to: Period) -> Line<'p> {
        region_line_or_basic(self.panel, r, from, to)
    }

    /// The group and total rows of every consecutive pair of years (`--yearly`): sums of
    /// the regions with every year of the range, components included where the data has
    /// them, so that the steps add up to the trend's change.
    pub fn steps(&self) -> Result<Vec<Step<'p>>> {
        let panel = self.panel;
        let complete = |r: usize| self.columns.iter().all(|(_, c)| c.get(r).is_some());
        let pairs: Vec<(Period, Period)> = self.years.windows(2).map(|w| (w[0], w[1])).collect();
        let grouped = self.sections.iter().any(|s| s.summary.is_some());
        // Per pair, on its own thread: every section's sums (over all regions, shown or not).
        let all_members: Vec<Vec<u32>> = self.all_members();
        on_threads(pairs, |(from, to)| {
            let mut total = Sums::default();
            let mut groups = Vec::with_capacity(all_members.len());
            for (section, members) in self.sections.iter().zip(&all_members) {
                let mut sums = Sums::default();
                for &r in members {
                    let r = r as usize;
                    if complete(r) {
                        sums.add(&self.step_line(r, from, to))?;
                    }
                }
                total.merge(&sums)?;
                groups.push(if grouped {
                    Some(sums.line(Level::Group, section.group, panel)?)
                } else {
                    None
                });
            }
            Ok(Step {
                from,
                to,
                groups,
                total: total.line(Level::Total, None, panel)?,
            })
        })
    }

    /// Every region of each section, shown or hidden, in the data's order.
    fn all_members(&self) -> Vec<Vec<u32>> {
        let panel = self.panel;
        // The section of each group index, and (last) of regions without a group.
        let labels = panel.groups();
        let section_of: Vec<Option<usize>> = labels
            .iter()
            .map(|l| Some(l.as_str()))
            .chain(std::iter::once(None))
            .map(|g| self.sections.iter().position(|s| s.group == g))
            .collect();
        let mut aggregate = vec![false; panel.len()];
        for &r in &self.aggregates {
            aggregate[r as usize] = true;
        }
        let mut by_section: Vec<Vec<u32>> = vec![Vec::new(); self.sections.len()];
        for (r, &apart) in aggregate.iter().enumerate() {
            let g = panel.group_id(r).unwrap_or(labels.len());
            if let (false, Some(Some(i))) = (apart, section_of.get(g)) {
                by_section[*i].push(r as u32); // below 2^32: checked when made
            }
        }
        by_section
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::bundled::{self, Dataset};
    use crate::number::Milli;
    use crate::panel::{Names, PanelInfo, Region};

    /// Enough regions to be shared among threads, with groups and gaps: `trend` on the
    /// panel, and the naive sums of it computed here in one pass.
    pub(crate) fn many_regions() -> Panel {
        let n = PARALLEL_REGIONS + 4321;
        let mut names = Names::default();
        let groups: Vec<String> = ["west", "east", "2"].map(String::from).into();
        let mut group_of = Vec::new();
        let mut columns: Vec<(Period, Vec<i64>)> = (2010..2016)
            .map(|y| (Period::year(y), Vec::new()))
            .collect();
        for r in 0..n {
            names.push(&format!("R{r}"));
            // Three in five in one group: enough for its CSV rows to be formatted on threads.
            group_of.push(match r % 5 {
                0 => None,
                4 => Some(r as u32 % 2 + 1),
                _ => Some(0),
            });
            for (k, (_, col)) in columns.iter_mut().enumerate() {
                let v = 1000 + ((r * 37 + k * 101) % 977) as i64;
                col.push(if (r + k) % 1777 == 0 {
                    Panel::MISSING
                } else {
                    v
                });
            }
        }
        Panel::from_columns(PanelInfo::default(), names, groups, group_of, columns)
    }

    #[test]
    fn regions_summed_on_threads_add_up_as_in_order() {
        let p = many_regions();
        let t = trend(&p, range(&p, None, None).unwrap()).unwrap();
        let n = p.len();
        let value = |r: usize, y: Period| p.population(r, y);
        let complete = |r: usize| (2010..2016).all(|y| value(r, Period::year(y)).is_some());
        for section in &t.sections {
            let g = section.group.map(String::from);
            let members: Vec<u32> = (0..n as u32)
                .filter(|&r| p.group(r as usize).map(String::from) == g)
                .collect();
            assert_eq!(section.members, members, "{g:?}");
            let sums: Vec<i64> = (2010..2016)
                .map(|y| {
                    members
                        .iter()
                        .filter(|&&r| complete(r as usize))
                        .map(|&r| value(r as usize, Period::year(y)).unwrap())
                        .sum()
                })
                .collect();
            let summary = section.summary.as_ref().unwrap();
            assert_eq!(summary.sums.as_deref(), Some(&sums[..]));
            assert_eq!(
                summary.regions,
                members.iter().filter(|&&r| complete(r as usize)).count()
            );
        }
        let excluded: Vec<String> = (0..n)
            .filter(|&r| !complete(r))
            .map(|r| format!("R{r}"))
            .collect();
        let named: Vec<&String> = t.excluded.iter().map(|e| &e.region).collect();
        assert_eq!(named, excluded.iter().collect::<Vec<_>>());
        // The yearly steps of the total add up to the trend's change.
        let steps: i64 = t
            .steps()
            .unwrap()
            .iter()
            .filter_map(|s| s.total.change)
            .sum();
        assert_eq!(Some(steps), t.total.stats.and_then(|s| s.change));
    }

    fn revised() -> Panel {
        bundled::load(Dataset::named("china-revised").unwrap(), None).unwrap()
    }

    #[test]
    fn the_northeast_since_2005() {
        let p = revised();
        let years = range(&p, None, None).unwrap();
        assert_eq!(
            (years[0], years[years.len() - 1]),
            (Period::year(2005), Period::year(2024))
        );
        let t = trend(&p, years).unwrap();
        let s = |name: &str| t.region(name).unwrap().stats.unwrap();
        let h = s("Heilongjiang");
        assert_eq!((h.peak_year, h.peak), (Period::year(2010), 38_330_000));
        assert_eq!((h.years_down, h.decline_streak), (14, 14));
        assert_eq!(h.cagr_pct, Some(Milli(-1_214)));
        let b = s("Beijing");
        assert_eq!(b.peak_year, Period::year(2016));
        assert_eq!(
            (b.years_down, b.longest_decline, b.decline_streak),
            (6, 4, 1)
        );
        assert_eq!(b.cagr_pct, Some(Milli(1_860)));
        assert_eq!(s("Guangdong").peak_year, Period::year(2024));
        assert!(t.excluded.is_empty());
    }

    #[test]
    fn a_region_missing_a_middle_year_is_left_out_of_the_sums() {
        let mut p = Panel::new(
            PanelInfo::default(),
            (2001..=2005).map(Period::year).collect(),
        );
        let rows = [
            ("A", [Some(100), Some(90), Some(80), Some(85), Some(84)]),
            ("B", [Some(50), Some(49), None, Some(47), Some(46)]),
        ];
        for (name, values) in rows {
            let r = p.push_region(Region {
                name: name.into(),
                aliases: Vec::new(),
                name_zh: None,
                group: None,
            });
            for (y, v) in (2001..).zip(values) {
                p.set_population(r, y, v);
            }
        }
        let t = trend(&p, range(&p, None, None).unwrap()).unwrap();
        assert_eq!(
            t.excluded,
            [Excluded {
                region: "B".into(),
                missing: vec![Period::year(2003)]
            }]
        );
        // 2002 fell; 2004 has no year before; 2005 fell: two runs of one.
        let b = t.region("B").unwrap().stats.unwrap();
        assert_eq!(
            (b.years_down, b.longest_decline, b.decline_streak),
            (2, 1, 1)
        );
        assert_eq!(
            (b.first_year, b.last_year, b.missing),
            (Period::year(2001), Period::year(2005), 1)
        );
        assert_eq!(t.total.sums.as_deref(), Some(&[100, 90, 80, 85, 84][..]));
        assert_eq!(t.total.regions, 1);
        let steps = t.steps().unwrap();
        assert_eq!(steps.len(), 4);
        let changes: Vec<i64> = steps.iter().filter_map(|s| s.total.change).collect();
        assert_eq!(changes, [-10, -10, 5, -1]);
    }
}
