//! How far a row's figures can be trusted: the precision the source published them to,
//! and its confidence in them. Every figure written in whole units of a coarse unit is
//! good to half that unit (2170.7 in 10,000s: ±500 persons); a change or a sum is good to
//! the sum of its figures' bounds.

use crate::number::pow10;
use crate::panel::{ComponentsKind, Confidence, Panel};
use crate::period::Period;

/// The precision and confidence of a row's figures. Sums add (bounds) or take the lowest
/// (confidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quality {
    /// ± persons on the first year's population (0: exact).
    pub precision_from: i64,
    /// ± persons on the second year's population.
    pub precision_to: i64,
    /// ± persons on the natural increase, from the last digit of the rates it was made of.
    pub precision_natural: i64,
    /// How much further the first population may be off, for a source below high
    /// confidence (see [`slack`]).
    pub slack_from: i64,
    /// The same for the second population.
    pub slack_to: i64,
    /// ± persons on net migration where the data publishes it (half a unit of the file's
    /// unit per year summed); `None` where net migration is the residual.
    pub precision_published_migration: Option<i64>,
    /// The lowest confidence of the first year's figures summed here, where the source
    /// says.
    pub confidence_from: Option<Confidence>,
    /// The same for the second year.
    pub confidence_to: Option<Confidence>,
}

impl Quality {
    /// ± persons on the change: the two populations' bounds.
    pub fn change(&self) -> i64 {
        self.precision_from.saturating_add(self.precision_to)
    }

    /// ± persons on net migration: as published, or for the residual the change's and the
    /// natural increase's.
    pub fn migration(&self) -> i64 {
        self.precision_published_migration
            .unwrap_or_else(|| self.change().saturating_add(self.precision_natural))
    }

    /// How much further the change may be off, beyond its precision, for its sources'
    /// confidence.
    pub fn change_slack(&self) -> i64 {
        self.slack_from.saturating_add(self.slack_to)
    }

    /// Adds another row's figures to this sum's.
    pub fn add(&mut self, other: &Quality) {
        self.precision_from = self.precision_from.saturating_add(other.precision_from);
        self.precision_to = self.precision_to.saturating_add(other.precision_to);
        self.precision_natural = self
            .precision_natural
            .saturating_add(other.precision_natural);
        self.slack_from = self.slack_from.saturating_add(other.slack_from);
        self.slack_to = self.slack_to.saturating_add(other.slack_to);
        self.precision_published_migration = match (
            self.precision_published_migration,
            other.precision_published_migration,
        ) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        self.confidence_from = lowest(self.confidence_from, other.confidence_from);
        self.confidence_to = lowest(self.confidence_to, other.confidence_to);
    }
}

/// The lower of two confidences; a known one over none.
fn lowest(a: Option<Confidence>, b: Option<Confidence>) -> Option<Confidence> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The unit of the last digit a population was published in, in persons: from the text
/// as written where the source keeps it, else the coarsest place of the source's unit
/// that the value allows (a value in persons is exact: 1).
pub fn last_place(panel: &Panel, r: usize, year: Period) -> i64 {
    let factor = i64::try_from(panel.info.unit.factor()).unwrap_or(1);
    let Some(value) = panel.population(r, year) else {
        return 1;
    };
    if let Some(text) = panel
        .details(r, year)
        .and_then(|d| d.population_text.as_deref())
    {
        let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
        let divisor = u32::try_from(decimals)
            .ok()
            .and_then(pow10)
            .and_then(|p| i64::try_from(p).ok())
            .unwrap_or(i64::MAX);
        return (factor / divisor).max(1);
    }
    let mut place = factor;
    while place > 1 && value % place != 0 {
        place /= 10;
    }
    place
}

/// How many units of its last digit a figure of this confidence may be off by, beyond its
/// rounding: none for high (or where the source does not say), one for medium, ten for
/// low, a hundred for unverified.
pub fn slack(confidence: Option<Confidence>) -> i64 {
    match confidence {
        None | Some(Confidence::High) => 0,
        Some(Confidence::Medium) => 1,
        Some(Confidence::Low) => 10,
        Some(Confidence::Unverified) => 100,
    }
}

/// The quality of one region's row from `from` to `to`.
pub fn region(panel: &Panel, r: usize, from: Period, to: Period) -> Quality {
    let figure = |year: Period| {
        let place = last_place(panel, r, year);
        let confidence = panel.details(r, year).and_then(|d| d.confidence);
        (
            place / 2,
            place.saturating_mul(slack(confidence)),
            confidence,
        )
    };
    let (precision_from, slack_from, confidence_from) = figure(from);
    let (precision_to, slack_to, confidence_to) = figure(to);
    Quality {
        precision_from,
        precision_to,
        precision_natural: natural_bound(panel, r, from, to),
        precision_published_migration: panel.published_migration.then(|| {
            let half = i64::try_from(panel.info.unit.factor() / 2).unwrap_or(i64::MAX);
            let steps = i64::try_from(from.through(to).count()).unwrap_or(i64::MAX);
            half.saturating_mul(steps)
        }),
        slack_from,
        slack_to,
        confidence_from,
        confidence_to,
    }
}

/// ± persons on a natural increase made of rates per mille: half a unit of each rate's
/// last digit, times the year's mean population, summed; counts of births and deaths are
/// exact.
fn natural_bound(panel: &Panel, r: usize, from: Period, to: Period) -> i64 {
    if panel.components != ComponentsKind::Rates {
        return 0;
    }
    let mut bound: i128 = 0;
    for y in from.through(to) {
        let (Some(rate), Some(p0), Some(p1)) = (
            panel.details(r, y).and_then(|d| d.natural_rate),
            panel.population(r, y.prev()),
            panel.population(r, y),
        ) else {
            continue;
        };
        // 0.5 x 10^-scale per mille of (p0 + p1) / 2, rounded up.
        let den = pow10(rate.scale).map_or(i128::MAX, |p| p.saturating_mul(4000));
        let num = i128::from(p0) + i128::from(p1);
        bound = bound.saturating_add((num + den - 1) / den);
    }
    i64::try_from(bound).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::bundled::{self, Dataset};

    #[test]
    fn bounds_from_the_digits_published() {
        let p = bundled::load(Dataset::default(), None).unwrap();
        let r = p.find("Liaoning").unwrap();
        // 4377.8 and 4368.9 (10,000s): ±500 each; rate -0.44 per mille: ±219.
        let q = region(&p, r, Period::year(2016), Period::year(2017));
        assert_eq!((q.precision_from, q.precision_to), (500, 500));
        assert_eq!(q.precision_natural, 219);
        assert_eq!(q.migration(), 1219);
        let t = p.find("Tianjin").unwrap();
        // 1562.12, of low confidence: ±50, and up to ten units of 100 further.
        let q = region(&p, t, Period::year(2016), Period::year(2017));
        assert_eq!((q.precision_from, q.slack_from), (50, 1000));
        assert_eq!(q.confidence_from, Some(Confidence::Low));
        assert_eq!(q.confidence_to, Some(Confidence::High));
    }
}
