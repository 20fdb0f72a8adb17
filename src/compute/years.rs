//! Which two years to compare.

use crate::error::{Error, Result, list_years};
use crate::panel::Panel;

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
