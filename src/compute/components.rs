//! The row arithmetic: change and percent from two populations, natural increase from
//! counts or rates, net migration as the residual. Every row (region, group, total; in
//! every format) is made by these rules.

use super::overflow;
use super::result::{Components, Level, Line};
use crate::error::{Error, Result};
use crate::number::{Milli, div_round, pow10};
use crate::panel::{ComponentsKind, Panel};
use crate::period::Period;

/// A row's populations and what follows from them alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    /// Population in the first year.
    pub pop_from: Option<i64>,
    /// Population in the second year.
    pub pop_to: Option<i64>,
    /// `pop_to - pop_from`, when both are there (and it fits).
    pub change: Option<i64>,
    /// Change as a percent of `pop_from`, in thousandths of a percent.
    pub change_pct: Option<Milli>,
}

/// The figures of a row with populations `pop_from` and `pop_to`.
#[inline]
pub fn figures(pop_from: Option<i64>, pop_to: Option<i64>) -> Figures {
    let change = pop_from.zip(pop_to).and_then(|(a, b)| b.checked_sub(a));
    Figures {
        pop_from,
        pop_to,
        change,
        change_pct: pop_from.zip(change).and_then(|(a, c)| percent(c, a)),
    }
}

/// Natural increase of one region over `from+1 ..= to`: `Ok(None)` when a year lacks the
/// components, an error when a year in between lacks the population a rate needs.
pub(super) fn natural_increase(
    panel: &Panel,
    r: usize,
    from: Period,
    to: Period,
) -> Result<Option<i64>> {
    let name = || panel.name(r).to_owned();
    match panel.components {
        ComponentsKind::None => Ok(None),
        ComponentsKind::Counts => {
            let mut sum: i64 = 0;
            for y in from.through(to) {
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
        // A rate per year over a period shorter than one would need its span: not read.
        ComponentsKind::Rates if !from.is_year() => Ok(None),
        ComponentsKind::Rates => {
            // Sum r_y/1000 x (P(y-1)+P(y))/2 exactly over a common denominator, round once.
            let mut terms = Vec::new();
            for y in from.through(to) {
                let Some(rate) = panel.details(r, y).and_then(|c| c.natural_rate) else {
                    return Ok(None);
                };
                let p0 = panel
                    .population(r, y.prev())
                    .ok_or_else(|| Error::GapInYears {
                        region: name(),
                        year: y.prev(),
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

/// Change as a percent of the first population; undefined when that is zero.
pub fn percent(change: i64, from: i64) -> Option<Milli> {
    Milli::ratio(i128::from(change) * 100, i128::from(from))
}

/// Components from the two populations and the natural increase; net migration is the
/// residual, unless the data publishes it (`published`), when what is left over is the
/// residual.
pub(super) fn components(
    from: i64,
    to: i64,
    natural: i64,
    published: Option<i64>,
) -> Result<Components> {
    let change = to.checked_sub(from).ok_or_else(|| overflow("a change"))?;
    let balance = change
        .checked_sub(natural)
        .ok_or_else(|| overflow("net migration"))?;
    let (net, residual) = match published {
        Some(net) => (
            net,
            Some(
                balance
                    .checked_sub(net)
                    .ok_or_else(|| overflow("the residual"))?,
            ),
        ),
        None => (balance, None),
    };
    // per 1,000 of the mean population = net * 1000 / ((from + to) / 2)
    let per_1000 = Milli::ratio(i128::from(net) * 2000, i128::from(from) + i128::from(to));
    Ok(Components {
        natural_increase: natural,
        net_migration: net,
        net_migration_per_1000: per_1000,
        residual,
    })
}

/// Net migration of one region over `from+1 ..= to` as the data publishes it: `None` when
/// it does not, or a year lacks it.
pub(super) fn published_migration(
    panel: &Panel,
    r: usize,
    from: Period,
    to: Period,
) -> Result<Option<i64>> {
    if !panel.published_migration {
        return Ok(None);
    }
    let mut sum: i64 = 0;
    for y in from.through(to) {
        let Some(m) = panel.details(r, y).and_then(|c| c.net_migration) else {
            return Ok(None);
        };
        sum = sum
            .checked_add(m)
            .ok_or_else(|| overflow("net migration"))?;
    }
    Ok(Some(sum))
}

/// A region's row without components (the fallback if they cannot be computed).
pub(super) fn basic_line(panel: &Panel, r: usize, from: Period, to: Period) -> Line<'_> {
    let Figures {
        pop_from,
        pop_to,
        change,
        change_pct,
    } = figures(panel.population(r, from), panel.population(r, to));
    Line {
        level: Level::Region,
        region: panel.name(r),
        region_zh: panel.name_zh(r),
        group: panel.group(r),
        pop_from,
        pop_to,
        change,
        change_pct,
        components: None,
        regions: usize::from(change.is_some()),
        declined: usize::from(change.is_some_and(|c| c < 0)),
        lacking_components: 0,
        quality: super::quality::region(panel, r, from, to),
        index: u32::try_from(r).ok(),
    }
}

/// A region's row, with its components where the data has them.
pub(super) fn region_line(panel: &Panel, r: usize, from: Period, to: Period) -> Result<Line<'_>> {
    let mut line = basic_line(panel, r, from, to);
    if let (Some(a), Some(b)) = (line.pop_from, line.pop_to) {
        line.change.ok_or_else(|| overflow("a change"))?;
        let published = published_migration(panel, r, from, to)?;
        line.components = match natural_increase(panel, r, from, to)? {
            // Where net migration is published, a year without it lacks components.
            Some(_) if panel.published_migration && published.is_none() => None,
            Some(ni) => Some(components(a, b, ni, published)?),
            None => None,
        };
        line.lacking_components =
            usize::from(line.components.is_none() && panel.components != ComponentsKind::None);
    }
    Ok(line)
}
