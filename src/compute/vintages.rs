//! Vintages: a year's figure as first published beside the same figure as revised, for
//! the years two datasets both hold.

use crate::number::Milli;
use crate::panel::{Confidence, Panel};
use crate::period::Period;

/// One region's figure in one year, in two vintages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vintage<'p> {
    /// The region, as the first dataset names it.
    pub region: &'p str,
    /// Its Chinese name, where known.
    pub region_zh: Option<&'p str>,
    /// The year.
    pub year: Period,
    /// As first published.
    pub first: Option<i64>,
    /// As revised.
    pub revised: Option<i64>,
    /// `revised - first`.
    pub difference: Option<i64>,
    /// The difference as a percent of the first figure, thousandths.
    pub difference_pct: Option<Milli>,
    /// The first figure's confidence, where the source says.
    pub confidence_first: Option<Confidence>,
    /// The revised figure's confidence.
    pub confidence_revised: Option<Confidence>,
}

/// The years both panels hold figures for.
pub fn common_years(first: &Panel, revised: &Panel) -> Vec<Period> {
    let theirs = revised.years_with_data();
    first
        .years_with_data()
        .into_iter()
        .filter(|y| theirs.contains(y))
        .collect()
}

/// Every region of `first` (found in `revised` by any of its names) in each of `years`,
/// region by region.
pub fn vintages<'p>(first: &'p Panel, revised: &Panel, years: &[Period]) -> Vec<Vintage<'p>> {
    let mut out = Vec::new();
    for r in 0..first.len() {
        let name = first.name(r);
        let other = revised.find(name);
        for &year in years {
            let a = first.population(r, year);
            let b = other.and_then(|o| revised.population(o, year));
            let f = super::figures(a, b);
            let confidence = |p: &Panel, r: Option<usize>| {
                r.and_then(|r| p.details(r, year))
                    .and_then(|d| d.confidence)
            };
            out.push(Vintage {
                region: name,
                region_zh: first.name_zh(r),
                year,
                first: a,
                revised: b,
                difference: f.change,
                difference_pct: f.change_pct,
                confidence_first: confidence(first, Some(r)),
                confidence_revised: confidence(revised, other),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::bundled::{self, Dataset};

    #[test]
    fn beijing_2017_first_published_and_revised() {
        let first = bundled::load(Dataset::default(), None).unwrap();
        let revised = bundled::load(Dataset::named("china-revised").unwrap(), None).unwrap();
        let years = common_years(&first, &revised);
        assert_eq!(
            years,
            [
                Period::year(2015),
                Period::year(2016),
                Period::year(2017),
                Period::year(2018)
            ]
        );
        let v = vintages(&first, &revised, &[Period::year(2017)]);
        let b = v.iter().find(|v| v.region == "Beijing").unwrap();
        assert_eq!((b.first, b.revised), (Some(21_707_000), Some(21_940_000)));
        assert_eq!(b.difference, Some(233_000));
        assert_eq!(b.difference_pct, Some(Milli(1_073)));
        assert_eq!(v.len(), 31);
    }
}
