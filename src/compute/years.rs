//! Which two years to compare.

use crate::error::{Error, Result, list_years};
use crate::panel::Panel;
use crate::period::{Freq, Period};

/// How many regions have a population in both years.
pub fn shared(panel: &Panel, a: Period, b: Period) -> usize {
    let (Some(a), Some(b)) = (panel.column(a), panel.column(b)) else {
        return 0;
    };
    (0..panel.len())
        .filter(|&r| a.get(r).is_some() && b.get(r).is_some())
        .count()
}

/// Each pair of years next to each other among those with figures, with the regions that
/// have both: the latest first.
fn neighbours(panel: &Panel, with_data: &[Period]) -> Vec<((Period, Period), usize)> {
    // Periods of one length: a year is not compared with the quarter after it.
    let mut freqs: Vec<Freq> = with_data.iter().map(|p| p.freq()).collect();
    freqs.sort_unstable();
    freqs.dedup();
    let mut pairs: Vec<((Period, Period), usize)> = Vec::new();
    for f in freqs {
        let of_f: Vec<Period> = with_data
            .iter()
            .copied()
            .filter(|p| p.freq() == f)
            .collect();
        pairs.extend(
            of_f.windows(2)
                .map(|w| ((w[0], w[1]), shared(panel, w[0], w[1]))),
        );
    }
    // The latest first; of two ending together, the shorter period first.
    pairs.sort_by_key(|&((a, b), _)| std::cmp::Reverse((b, a)));
    pairs
}

/// The default pair of years: the latest two next to each other that at least half as
/// many regions share as the best such pair (so that the latest years are taken where
/// most regions have them, and passed over where few or none do); `None` when no two
/// years share a region.
pub fn default_pair(panel: &Panel) -> Option<(Period, Period)> {
    let pairs = neighbours(panel, &panel.years_with_data());
    let best = pairs.iter().map(|&(_, n)| n).max().filter(|&n| n > 0)?;
    pairs
        .iter()
        .find(|&&(_, n)| n.saturating_mul(2) >= best)
        .map(|&(pair, _)| pair)
}

/// The pairs of years next to each other that regions share, most regions first (the
/// latest among equals): what a refusal offers.
fn pairs_that_work(panel: &Panel, with_data: &[Period]) -> Vec<((Period, Period), usize)> {
    let mut pairs: Vec<_> = neighbours(panel, with_data)
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .collect();
    // Stable: the latest first among pairs as widely shared.
    pairs.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    pairs.truncate(3);
    pairs
}

/// Picks the years to compare: those asked for, or else the panel's default pair, or else
/// [`default_pair`]; refused where no region has both.
pub fn resolve_years(
    panel: &Panel,
    from: Option<Period>,
    to: Option<Period>,
    default: Option<(Period, Period)>,
) -> Result<(Period, Period)> {
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
    let (d_from, d_to) = default.or_else(|| default_pair(panel)).unwrap_or(latest);
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
    // A year's figures that cannot be read are refused by the comparison, naming them.
    let unread = panel
        .invalid
        .iter()
        .any(|f| !f.component && (f.year == from || f.year == to));
    if shared(panel, from, to) == 0 && !panel.is_empty() && !unread {
        return Err(Error::NothingShared {
            from,
            to,
            dataset: dataset(),
            pairs: pairs_that_work(panel, &with_data),
        });
    }
    Ok((from, to))
}
