//! Arranging a comparison for display: which region rows to show and in what order.
//!
//! Filters and ranking act on region rows within each group; group and total rows always
//! sum all regions, so "the ten biggest gains" still sit above the true totals.

use std::cmp::Ordering;

use super::{Comparison, Line};

/// What a region rows are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    /// Absolute change.
    Change,
    /// Percent change.
    Pct,
    /// Region name.
    Name,
    /// Population in the first year.
    From,
    /// Population in the second year.
    To,
    /// Net migration.
    Migration,
}

/// Which regions to keep by the sign of their change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Change below zero.
    Declining,
    /// Change above zero.
    Growing,
}

/// How to arrange the region rows, by sort keys of type `K`.
#[derive(Debug, Clone, Copy)]
pub struct Arrange<K = SortKey> {
    /// Sort key; `None` keeps the data's order.
    pub sort: Option<K>,
    /// Largest first (and names Z to A).
    pub reverse: bool,
    /// Keep only declining or growing regions.
    pub only: Option<Direction>,
    /// Keep the first N regions of each group (of all regions when ungrouped).
    pub top: Option<usize>,
}

impl<K> Default for Arrange<K> {
    fn default() -> Self {
        Arrange {
            sort: None,
            reverse: false,
            only: None,
            top: None,
        }
    }
}

/// A row that can be ranked: by a number or a name for each key, and by the sign of its
/// change for [`Direction`].
pub trait Ranked {
    /// What rows of this kind are sorted by.
    type Key: Copy;
    /// The row's value for a key: `Ok` a number (missing last), `Err` a name.
    fn rank(&self, key: Self::Key) -> Result<Option<i128>, &str>;
    /// The change whose sign decides declining or growing.
    fn change(&self) -> Option<i64>;
}

impl Ranked for Line<'_> {
    type Key = SortKey;

    fn rank(&self, key: SortKey) -> Result<Option<i128>, &str> {
        Ok(match key {
            SortKey::Change => self.change.map(i128::from),
            SortKey::Pct => self.change_pct.map(|m| m.0),
            SortKey::From => self.pop_from.map(i128::from),
            SortKey::To => self.pop_to.map(i128::from),
            SortKey::Migration => self.components.map(|c| c.net_migration.into()),
            SortKey::Name => return Err(self.region),
        })
    }

    fn change(&self) -> Option<i64> {
        self.change
    }
}

/// Orders two optional values; missing values go last whatever the direction.
fn by<T: Ord>(a: Option<T>, b: Option<T>, reverse: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if reverse => b.cmp(&a),
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn keep<L: Ranked>(line: &L, only: Option<Direction>) -> bool {
    match only {
        None => true,
        Some(Direction::Declining) => line.change().is_some_and(|c| c < 0),
        Some(Direction::Growing) => line.change().is_some_and(|c| c > 0),
    }
}

/// Keeps only the regions marked in `shown` (by index); gives how many it hid.
pub fn keep_shown(members: &mut Vec<u32>, shown: &[bool]) -> usize {
    let before = members.len();
    members.retain(|&r| shown.get(r as usize).copied().unwrap_or(false));
    before - members.len()
}

/// Filters, sorts and cuts one group's region rows (`row` makes a region's row); gives
/// how many it hid. The one rule for every command that ranks regions.
pub fn arrange_members<L: Ranked>(
    members: &mut Vec<u32>,
    row: impl Fn(u32) -> L,
    how: &Arrange<L::Key>,
) -> usize {
    let before = members.len();
    if how.only.is_some() || how.sort.is_some() {
        // Each row is made once here, not once per comparison.
        let mut rows: Vec<(u32, L)> = members
            .iter()
            .map(|&r| (r, row(r)))
            .filter(|(_, l)| keep(l, how.only))
            .collect();
        match how.sort {
            Some(k) => rows.sort_by(|a, b| match (a.1.rank(k), b.1.rank(k)) {
                (Err(x), Err(y)) => by(Some(x), Some(y), how.reverse),
                (Ok(x), Ok(y)) => by(x, y, how.reverse),
                _ => Ordering::Equal,
            }),
            None if how.reverse => rows.reverse(),
            None => {}
        }
        *members = rows.into_iter().map(|(r, _)| r).collect();
    } else if how.reverse {
        members.reverse();
    }
    if let Some(n) = how.top {
        members.truncate(n);
    }
    before - members.len()
}

/// Filters, sorts and cuts the region rows of each group; counts what is hidden.
pub fn arrange(cmp: &mut Comparison, how: &Arrange) {
    let mut sections = std::mem::take(&mut cmp.sections);
    for section in &mut sections {
        cmp.hidden += arrange_members(&mut section.members, |r| cmp.region_line(r as usize), how);
    }
    cmp.sections = sections;
    renote(cmp);
}

/// Shows only the regions marked in `shown` (`--region`), the rows of the data that are
/// totals of others among them; group and total rows keep summing every region.
pub fn show_only(cmp: &mut Comparison, shown: &[bool]) {
    for section in &mut cmp.sections {
        cmp.hidden += keep_shown(&mut section.members, shown);
    }
    keep_shown(&mut cmp.aggregates, shown);
    renote(cmp);
}

/// The notes on figures again, for the rows shown, once some are hidden.
fn renote(cmp: &mut Comparison) {
    if cmp.hidden == 0 {
        return;
    }
    let members = cmp.sections.iter().flat_map(|s| &s.members);
    let shown = super::notes::shown_set(cmp.panel.len(), members.chain(&cmp.aggregates));
    let (from, to) = (cmp.from, cmp.to);
    super::notes::renote(
        &mut cmp.notes,
        cmp.panel,
        &[from, to],
        Some((from, to)),
        &shown,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{Level, compare};
    use crate::load::bundled::{self, Dataset};

    fn arranged(grouping: &str, how: Arrange) -> (Vec<String>, usize, Option<i64>) {
        let panel = bundled::load(Dataset::default(), Some(grouping)).unwrap();
        let mut c = compare(&panel, 2016, 2017).unwrap();
        arrange(&mut c, &how);
        let names = regions(&c).into_iter().map(str::to_owned).collect();
        (names, c.hidden, c.total.pop_to)
    }

    fn regions<'p>(c: &Comparison<'p>) -> Vec<&'p str> {
        c.lines()
            .filter(|l| l.level == Level::Region)
            .map(|l| l.region)
            .collect()
    }

    #[test]
    fn declining_regions_of_2017() {
        let how = Arrange {
            only: Some(Direction::Declining),
            ..Arrange::default()
        };
        let (names, hidden, total) = arranged("none", how);
        assert_eq!(
            names,
            [
                "Beijing",
                "Tianjin",
                "Liaoning",
                "Jilin",
                "Heilongjiang",
                "Shanghai"
            ]
        );
        assert_eq!(hidden, 25);
        // The total still sums all 31 regions.
        assert_eq!(total, Some(1_388_333_200));
        let how = Arrange {
            sort: Some(SortKey::Change),
            ..how
        };
        assert_eq!(arranged("none", how).0[0], "Jilin");
    }

    #[test]
    fn top_n_per_group_by_largest_gain() {
        let how = Arrange {
            sort: Some(SortKey::Change),
            reverse: true,
            top: Some(2),
            ..Arrange::default()
        };
        let (names, hidden, _) = arranged("north-south", how);
        assert_eq!(names, ["Shandong", "Hebei", "Guangdong", "Zhejiang"]);
        assert_eq!(hidden, 27);
    }

    #[test]
    fn sort_by_migration_and_name() {
        let how = Arrange {
            sort: Some(SortKey::Migration),
            ..Arrange::default()
        };
        let (names, _, _) = arranged("none", how);
        assert_eq!(names[0], "Shandong");
        assert_eq!(names[30], "Guangdong");
        let how = Arrange {
            sort: Some(SortKey::Name),
            reverse: true,
            ..Arrange::default()
        };
        assert_eq!(arranged("none", how).0[0], "Zhejiang");
    }
}
