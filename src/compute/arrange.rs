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

/// How to arrange the region rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Arrange {
    /// Sort key; `None` keeps the data's order.
    pub sort: Option<SortKey>,
    /// Largest first (and names Z to A).
    pub reverse: bool,
    /// Keep only declining or growing regions.
    pub only: Option<Direction>,
    /// Keep the first N regions of each group (of all regions when ungrouped).
    pub top: Option<usize>,
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

fn keep(line: &Line, only: Option<Direction>) -> bool {
    match only {
        None => true,
        Some(Direction::Declining) => line.change.is_some_and(|c| c < 0),
        Some(Direction::Growing) => line.change.is_some_and(|c| c > 0),
    }
}

/// The sort key of a line, as one comparable number (names aside).
fn key(line: &Line, key: SortKey) -> Option<i128> {
    match key {
        SortKey::Change => line.change.map(i128::from),
        SortKey::Pct => line.change_pct.map(|m| m.0),
        SortKey::From => line.pop_from.map(i128::from),
        SortKey::To => line.pop_to.map(i128::from),
        SortKey::Migration => line.components.map(|c| c.net_migration.into()),
        SortKey::Name => None,
    }
}

/// Filters, sorts and cuts the region rows of each group; counts what is hidden.
pub fn arrange(cmp: &mut Comparison, how: &Arrange) {
    let mut hidden = 0;
    let mut sections = std::mem::take(&mut cmp.sections);
    for section in &mut sections {
        let before = section.members.len();
        if how.only.is_some() || how.sort.is_some() {
            // Each row is made once here, not once per comparison.
            let mut rows: Vec<(u32, Line)> = section
                .members
                .iter()
                .map(|&r| (r, cmp.region_line(r as usize)))
                .filter(|(_, l)| keep(l, how.only))
                .collect();
            match how.sort {
                Some(SortKey::Name) => {
                    rows.sort_by(|a, b| by(Some(a.1.region), Some(b.1.region), how.reverse));
                }
                Some(k) => {
                    rows.sort_by(|a, b| by(key(&a.1, k), key(&b.1, k), how.reverse));
                }
                None if how.reverse => rows.reverse(),
                None => {}
            }
            section.members = rows.into_iter().map(|(r, _)| r).collect();
        } else if how.reverse {
            section.members.reverse();
        }
        if let Some(n) = how.top {
            section.members.truncate(n);
        }
        hidden += before - section.members.len();
    }
    cmp.sections = sections;
    cmp.hidden += hidden;
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
