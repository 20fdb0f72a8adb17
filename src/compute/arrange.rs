//! Arranging a comparison for display: which region rows to show and in what order.
//!
//! Filters and ranking act on region rows within each group; group and total rows always
//! sum all regions, so "the ten biggest gains" still sit above the true totals.

use std::cmp::Ordering;

use super::{Comparison, Level, Line};

/// What a region rows are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

fn compare_lines(a: &Line, b: &Line, key: SortKey, reverse: bool) -> Ordering {
    match key {
        SortKey::Change => by(a.change, b.change, reverse),
        SortKey::Pct => by(a.change_pct, b.change_pct, reverse),
        SortKey::Name => by(Some(&a.region), Some(&b.region), reverse),
        SortKey::From => by(a.pop_from, b.pop_from, reverse),
        SortKey::To => by(a.pop_to, b.pop_to, reverse),
        SortKey::Migration => by(
            a.components.map(|c| c.net_migration),
            b.components.map(|c| c.net_migration),
            reverse,
        ),
    }
}

fn keep(line: &Line, only: Option<Direction>) -> bool {
    match only {
        None => true,
        Some(Direction::Declining) => line.change.is_some_and(|c| c < 0),
        Some(Direction::Growing) => line.change.is_some_and(|c| c > 0),
    }
}

/// Filters, sorts and cuts the region rows of each group; counts what is hidden.
pub fn arrange(cmp: &mut Comparison, how: &Arrange) {
    let lines = std::mem::take(&mut cmp.lines);
    let mut out = Vec::with_capacity(lines.len());
    let mut section: Vec<Line> = Vec::new();
    let mut hidden = 0;
    for line in lines {
        if line.level == Level::Region {
            section.push(line);
            continue;
        }
        // A group or total row closes the regions before it.
        let before = section.len();
        section.retain(|l| keep(l, how.only));
        if let Some(key) = how.sort {
            section.sort_by(|a, b| compare_lines(a, b, key, how.reverse));
        } else if how.reverse {
            section.reverse();
        }
        if let Some(n) = how.top {
            section.truncate(n);
        }
        hidden += before - section.len();
        out.append(&mut section);
        out.push(line);
    }
    cmp.lines = out;
    cmp.hidden += hidden;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compare;
    use crate::load::bundled::{self, Dataset, Grouping};

    fn arranged(grouping: Grouping, how: Arrange) -> Comparison {
        let panel = bundled::load(Dataset::China, grouping).unwrap();
        let mut c = compare(&panel, 2016, 2017).unwrap();
        arrange(&mut c, &how);
        c
    }

    fn regions(c: &Comparison) -> Vec<&str> {
        c.lines
            .iter()
            .filter(|l| l.level == Level::Region)
            .map(|l| l.region.as_str())
            .collect()
    }

    #[test]
    fn declining_regions_of_2017() {
        let how = Arrange {
            only: Some(Direction::Declining),
            ..Arrange::default()
        };
        let c = arranged(Grouping::None, how);
        assert_eq!(
            regions(&c),
            [
                "Beijing",
                "Tianjin",
                "Liaoning",
                "Jilin",
                "Heilongjiang",
                "Shanghai"
            ]
        );
        assert_eq!(c.hidden, 25);
        // The total still sums all 31 regions.
        assert_eq!(c.total().unwrap().pop_to, Some(1_388_333_200));
        let how = Arrange {
            sort: Some(SortKey::Change),
            ..how
        };
        assert_eq!(regions(&arranged(Grouping::None, how))[0], "Jilin");
    }

    #[test]
    fn top_n_per_group_by_largest_gain() {
        let how = Arrange {
            sort: Some(SortKey::Change),
            reverse: true,
            top: Some(2),
            ..Arrange::default()
        };
        let c = arranged(Grouping::NorthSouth, how);
        assert_eq!(regions(&c), ["Shandong", "Hebei", "Guangdong", "Zhejiang"]);
        assert_eq!(c.hidden, 27);
    }

    #[test]
    fn sort_by_migration_and_name() {
        let how = Arrange {
            sort: Some(SortKey::Migration),
            ..Arrange::default()
        };
        let c = arranged(Grouping::None, how);
        assert_eq!(regions(&c)[0], "Shandong");
        assert_eq!(regions(&c)[30], "Guangdong");
        let how = Arrange {
            sort: Some(SortKey::Name),
            reverse: true,
            ..Arrange::default()
        };
        assert_eq!(regions(&arranged(Grouping::None, how))[0], "Zhejiang");
    }
}
