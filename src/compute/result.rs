//! What a comparison gives: rows (regions, groups, the total), sections by group, and
//! the regions left out of the totals.

use super::region_line_or_basic;
use crate::number::Milli;
use crate::panel::{ComponentsKind, Panel};
use crate::period::Period;

/// What a row of the result stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One region.
    Region,
    /// The sum of a group's regions.
    Group,
    /// The sum of all regions.
    Total,
    /// A row of the data that is a total of others (World, a nation beside its states):
    /// shown after the total, never summed.
    Aggregate,
}

impl Level {
    /// The word written in the `level` column.
    pub fn name(self) -> &'static str {
        match self {
            Level::Region => "region",
            Level::Group => "group",
            Level::Total => "total",
            Level::Aggregate => "aggregate",
        }
    }
}

/// Natural increase and net migration over the compared years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Components {
    /// Births minus deaths, whole persons.
    pub natural_increase: i64,
    /// Change minus natural increase: the residual of the balancing equation; or, where
    /// the data publishes it (`--migration-col`), net migration as published.
    pub net_migration: i64,
    /// Net migration per 1,000 of the mean of the two populations.
    pub net_migration_per_1000: Option<Milli>,
    /// With net migration published: what the balancing equation leaves over (change -
    /// natural increase - net migration); `None` when net migration is the residual.
    pub residual: Option<i64>,
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
    /// How far its figures can be trusted: precision and confidence (summed on groups).
    pub quality: super::quality::Quality,
    /// The region's index in the panel (region and aggregate rows), for what the panel
    /// knows of its figures beyond the row (sources).
    pub index: Option<u32>,
}

/// A region left out of the totals because it lacks one of the two years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The region's name.
    pub region: String,
    /// The years it lacks.
    pub missing: Vec<Period>,
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
    pub from: Period,
    /// Second year.
    pub to: Period,
    /// The groups in display order, each with its regions.
    pub sections: Vec<Section<'p>>,
    /// The total row.
    pub total: Line<'p>,
    /// Regions left out of the totals.
    pub excluded: Vec<Excluded>,
    /// Which components the panel carried.
    pub components: ComponentsKind,
    /// Notes on the figures shown: confidence, precision, how components were made.
    pub notes: Vec<super::Note>,
    /// Region rows computed but not shown (filtered out by [`arrange`]); totals keep them.
    pub hidden: usize,
    /// Rows of the data that are totals of others, in order: shown after the total.
    pub aggregates: Vec<u32>,
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
            .chain(self.totalled().then(|| self.total.clone()))
            .chain(self.aggregate_lines())
    }

    /// Whether group and total rows are summed: not where the figures are values of
    /// another unit than persons (rates, shares), which are never totalled.
    pub fn totalled(&self) -> bool {
        self.panel.info.values.is_none()
    }

    /// The decimals the figures carry: 0 for persons.
    pub fn decimals(&self) -> u32 {
        self.panel.info.values.as_ref().map_or(0, |v| v.decimals)
    }

    /// The rows of the regions that are totals of others, level `aggregate`.
    pub fn aggregate_lines(&self) -> impl Iterator<Item = Line<'p>> + '_ {
        self.aggregates.iter().map(move |&r| Line {
            level: Level::Aggregate,
            ..self.region_line(r as usize)
        })
    }

    /// The row of a region by index.
    pub fn region_line(&self, r: usize) -> Line<'p> {
        region_line_or_basic(self.panel, r, self.from, self.to)
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
