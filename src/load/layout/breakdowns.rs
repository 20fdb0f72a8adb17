//! Breakdowns a plain table does not name: the columns whose values tell apart rows of one
//! region (and one year, in a long table) that hold different figures, as a sex or an age
//! column does. Found in the table's first rows, they become dimensions of its cube, where
//! the roles take their total or ask which to keep, rather than refusing two figures for
//! one place.

use crate::load::layout::columns::{Plan, PlanKind};
use crate::load::layout::header_rows::is_number;

/// The breakdown columns, of the `named` the header names, of the rows of data in `rows`
/// (those after line `after` that the plan's filters keep): each tells apart two rows of
/// one region (and year) whose figures differ. Of two that name each other's values one to
/// one (a code beside its label), the label is kept.
pub fn find(rows: &[(u64, Vec<String>)], after: u64, plan: &Plan, named: usize) -> Vec<usize> {
    let (key_cols, figure_cols) = key_and_figures(plan);
    let used =
        |c: usize| key_cols.contains(&c) || figure_cols.contains(&c) || plan.group == Some(c);
    let data: Vec<&[String]> = rows
        .iter()
        .filter(|(line, _)| *line > after)
        .map(|(_, cells)| cells.as_slice())
        .filter(|r| key_cols.iter().any(|&c| !cell(r, c).is_empty()))
        .filter(|r| figure_cols.iter().any(|&c| !cell(r, c).is_empty()))
        .filter(|r| {
            plan.filters
                .iter()
                .all(|(c, f)| f.keeps(cell(r, *c).as_bytes()))
        })
        .collect();
    let width = data.iter().map(|r| r.len()).max().unwrap_or(0).min(named);
    let mut found: Vec<usize> = Vec::new();
    for (i, a) in data.iter().enumerate() {
        for b in &data[i + 1..] {
            let same_place = key_cols.iter().all(|&c| cell(a, c) == cell(b, c));
            let other_figures = figure_cols.iter().any(|&c| cell(a, c) != cell(b, c));
            if !(same_place && other_figures) {
                continue;
            }
            for c in (0..width).filter(|&c| !used(c) && cell(a, c) != cell(b, c)) {
                if !found.contains(&c) {
                    found.push(c);
                }
            }
        }
    }
    found.sort_unstable();
    // A column of numbers is a breakdown only where its values recur from region to
    // region (an age, a code): an unused column of figures (männlich beside Insgesamt)
    // is none.
    found.retain(|&c| {
        let numbers = data
            .iter()
            .all(|r| is_number(cell(r, c)) || cell(r, c).is_empty());
        !numbers || recurs(data.iter().map(|r| (cell(r, c), region_of(r, plan))))
    });
    let values = |c: usize| data.iter().map(move |r| cell(r, c));
    let mut kept = found.clone();
    for (i, &a) in found.iter().enumerate() {
        for &b in &found[i + 1..] {
            if one_to_one(values(a), values(b)) {
                // The code goes; its label stays (a code is all digits, or comes first).
                let code = if values(b).all(is_code) && !values(a).all(is_code) {
                    b
                } else {
                    a
                };
                kept.retain(|&k| k != code);
            }
        }
    }
    kept
}

/// A row's cell, trimmed ("" past its end).
fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", |s| s.trim())
}

/// The columns that name a place of the table (the region's, and the year's in a long
/// table) and those that hold its figures.
fn key_and_figures(plan: &Plan) -> (Vec<usize>, Vec<usize>) {
    let mut key = plan.region.clone();
    key.extend(plan.code_key);
    let figures = match &plan.kind {
        PlanKind::Long { year, measures } => {
            key.push(*year);
            measures.iter().map(|&(_, c)| c).collect()
        }
        PlanKind::Wide { columns } => columns.iter().map(|&(_, _, c)| c).collect(),
    };
    (key, figures)
}

/// A row's region: its region columns' cells and its code's.
fn region_of<'a>(row: &'a [String], plan: &Plan) -> Vec<&'a str> {
    plan.region
        .iter()
        .chain(&plan.code_key)
        .map(|&c| cell(row, c))
        .collect()
}

/// Whether a value stands beside two different regions.
fn recurs<'a>(pairs: impl Iterator<Item = (&'a str, Vec<&'a str>)>) -> bool {
    let mut pairs: Vec<(&str, Vec<&str>)> = pairs.collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs.windows(2).any(|w| w[0].0 == w[1].0)
}

/// Whether two columns' values, row by row, name each other: each value of one goes with
/// one value of the other, and back.
fn one_to_one<'a>(a: impl Iterator<Item = &'a str>, b: impl Iterator<Item = &'a str>) -> bool {
    let mut pairs: Vec<(&str, &str)> = a.zip(b).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let unique = |mut side: Vec<&str>| {
        let n = side.len();
        side.sort_unstable();
        side.dedup();
        side.len() == n
    };
    unique(pairs.iter().map(|p| p.0).collect()) && unique(pairs.iter().map(|p| p.1).collect())
}

/// A code rather than a label: digits, or a short run of capitals and digits.
fn is_code(value: &str) -> bool {
    !value.is_empty()
        && (value.bytes().all(|b| b.is_ascii_digit())
            || (value.len() <= 4
                && value
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::cell::Filter;
    use crate::load::layout::columns::Plan;
    use crate::load::layout::names::Measure;
    use crate::number::Unit;

    fn rows(lines: &[&str]) -> Vec<(u64, Vec<String>)> {
        lines
            .iter()
            .zip(1..)
            .map(|(l, n)| (n, l.split(',').map(str::to_owned).collect()))
            .collect()
    }

    fn long(region: usize, year: usize, value: usize) -> Plan {
        Plan {
            region: vec![region],
            group: None,
            filters: Vec::new(),
            kind: PlanKind::Long {
                year,
                measures: vec![(Measure::Population, value)],
            },
            unit: Unit::Persons,
            level: None,
            choices: Vec::new(),
            code_key: None,
        }
    }

    #[test]
    fn a_sex_column_in_a_long_table_is_a_breakdown_its_code_beside_it_is_not() {
        let r = rows(&[
            "region,sex_code,sex,year,births,population",
            "A,0,Total,2016,1,10",
            "A,1,Male,2016,1,4",
            "A,0,Total,2017,2,12",
            "B,0,Total,2016,3,20",
        ]);
        assert_eq!(find(&r, 1, &long(0, 3, 5), 6), [2]);
    }

    #[test]
    fn columns_that_follow_the_region_or_the_year_are_no_breakdown() {
        let r = rows(&[
            "region,state,year,births,population",
            "A,S1,2016,1,10",
            "A,S1,2017,2,12",
            "B,S2,2016,3,20",
            "B,S2,2016,3,20",
        ]);
        assert!(find(&r, 1, &long(0, 2, 4), 5).is_empty());
    }

    #[test]
    fn rows_a_filter_drops_tell_nothing_apart() {
        let r = rows(&[
            "region,sex,year,population",
            "A,Total,2016,10",
            "A,Male,2016,4",
        ]);
        let mut plan = long(0, 2, 3);
        plan.filters = vec![(1, Filter::parse("sex=Total").unwrap())];
        assert!(find(&r, 1, &plan, 4).is_empty());
    }
}
