//! The statistics of one series of populations over a range of years: first and last,
//! change, growth rate, peak and trough, and how long it declined. Every trend row
//! (region, group, total; in every format and in `check`) is made by [`stats`].

use super::components::{Figures, figures};
use crate::number::Milli;
use crate::period::{Period, Span};

/// What a series of populations says, over the years it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// The first year with a population.
    pub first_year: Period,
    /// The last year with a population.
    pub last_year: Period,
    /// Population in the first year.
    pub pop_first: i64,
    /// Population in the last year.
    pub pop_last: i64,
    /// `pop_last - pop_first`, when it fits.
    pub change: Option<i64>,
    /// Change as a percent of `pop_first`, in thousandths of a percent.
    pub change_pct: Option<Milli>,
    /// Compound annual growth rate in percent, thousandths (rounded half away from zero):
    /// `((pop_last / pop_first)^(1 / years) - 1) x 100`.
    pub cagr_pct: Option<Milli>,
    /// The latest year at the maximum.
    pub peak_year: Period,
    /// The maximum.
    pub peak: i64,
    /// The latest year at the minimum.
    pub trough_year: Period,
    /// The minimum.
    pub trough: i64,
    /// Years whose population is below that of the year before (the year before in the
    /// data; a year after a gap is not counted).
    pub years_down: u32,
    /// The longest run of such years in a row.
    pub longest_decline: u32,
    /// The run that ends in the last year; 0 if the last year did not decline.
    pub decline_streak: u32,
    /// Years of the range without a population.
    pub missing: u32,
}

impl Stats {
    /// The populations' change and percent, by the rule every row follows.
    pub fn figures(&self) -> Figures {
        figures(Some(self.pop_first), Some(self.pop_last))
    }
}

/// The compound annual growth rate from `a` to `b` over `span`, in thousandths of a
/// percent; `None` when undefined (no time between, a first population of zero or less).
///
/// A rate, not a population: computed in floating point and rounded half away from zero.
pub fn cagr(a: i64, b: i64, span: Span) -> Option<Milli> {
    let years = span.years();
    if years <= 0.0 || a <= 0 || b < 0 {
        return None;
    }
    let rate = (b as f64 / a as f64).powf(1.0 / years) - 1.0;
    let milli = (rate * 100_000.0).round();
    // Finite and far inside i128 whenever a and b are populations.
    milli.is_finite().then_some(Milli(milli as i128))
}

/// The statistics of a series: `(year, population)` in ascending years, `None` where the
/// year has no population; `None` when no year has one.
pub fn stats(points: impl IntoIterator<Item = (Period, Option<i64>)>) -> Option<Stats> {
    let mut acc = Accumulator::default();
    for (year, value) in points {
        acc.push(year, value);
    }
    acc.finish()
}

/// [`stats`] a year at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accumulator {
    stats: Option<Stats>,
    previous: Option<i64>,
    run: u32,
    missing: u32,
}

impl Accumulator {
    /// Takes the next year, later than those before.
    #[inline]
    pub fn push(&mut self, year: Period, value: Option<i64>) {
        let Some(v) = value else {
            self.missing += 1;
            // A gap breaks the run: the next year has no year before to compare with.
            self.previous = None;
            self.run = 0;
            return;
        };
        let st = self.stats.get_or_insert(Stats {
            first_year: year,
            last_year: year,
            pop_first: v,
            pop_last: v,
            change: None,
            change_pct: None,
            cagr_pct: None,
            peak_year: year,
            peak: v,
            trough_year: year,
            trough: v,
            years_down: 0,
            longest_decline: 0,
            decline_streak: 0,
            missing: 0,
        });
        if self.previous.is_some_and(|p| v < p) {
            self.run += 1;
            st.years_down += 1;
            st.longest_decline = st.longest_decline.max(self.run);
        } else {
            self.run = 0;
        }
        // Ties go to the later year.
        if v >= st.peak {
            (st.peak, st.peak_year) = (v, year);
        }
        if v <= st.trough {
            (st.trough, st.trough_year) = (v, year);
        }
        (st.pop_last, st.last_year, st.decline_streak) = (v, year, self.run);
        self.previous = Some(v);
    }

    /// The statistics of the years taken; `None` if none had a population.
    pub fn finish(self) -> Option<Stats> {
        let mut st = self.stats?;
        st.missing = self.missing;
        let f = st.figures();
        st.change = f.change;
        st.change_pct = f.change_pct;
        st.cagr_pct = cagr(
            st.pop_first,
            st.pop_last,
            st.first_year.span_to(st.last_year),
        );
        Some(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn series(values: &[Option<i64>]) -> Option<Stats> {
        stats((2000..).map(Period::year).zip(values.iter().copied()))
    }

    #[test]
    fn peak_trough_and_runs() {
        let s = series(&[
            Some(10),
            Some(12),
            Some(12),
            Some(11),
            Some(9),
            Some(10),
            Some(8),
        ])
        .unwrap();
        assert_eq!(
            (s.first_year, s.last_year),
            (Period::year(2000), Period::year(2006))
        );
        assert_eq!((s.peak_year, s.peak), (Period::year(2002), 12));
        assert_eq!((s.trough_year, s.trough), (Period::year(2006), 8));
        assert_eq!(
            (s.years_down, s.longest_decline, s.decline_streak),
            (3, 2, 1)
        );
        assert_eq!(s.change, Some(-2));
        assert_eq!(s.change_pct, Some(Milli(-20_000)));
        // (8/10)^(1/6) - 1 = -3.6508...%
        assert_eq!(s.cagr_pct, Some(Milli(-3_651)));
    }

    #[test]
    fn a_gap_breaks_the_run_and_is_counted() {
        let s = series(&[Some(10), Some(9), None, Some(8), Some(7)]).unwrap();
        // 2001 fell; 2003 has no year before; 2004 fell.
        assert_eq!(
            (s.years_down, s.longest_decline, s.decline_streak),
            (2, 1, 1)
        );
        assert_eq!(s.missing, 1);
        let s = series(&[None, Some(5), Some(6), None]).unwrap();
        assert_eq!(
            (s.first_year, s.last_year, s.missing),
            (Period::year(2001), Period::year(2002), 2)
        );
        assert_eq!(s.cagr_pct, Some(Milli(20_000)));
        assert_eq!(series(&[None, None]), None);
    }

    #[test]
    fn cagr_is_undefined_without_years_or_from_zero() {
        let years = |n: i64| Span::Months(12 * n);
        assert_eq!(cagr(0, 5, years(3)), None);
        assert_eq!(cagr(5, 5, years(0)), None);
        assert_eq!(cagr(5, 0, years(2)), Some(Milli(-100_000)));
        assert_eq!(cagr(100, 121, years(2)), Some(Milli(10_000)));
        // Over half a year, the rate per year compounds twice: 1.1^2 - 1.
        assert_eq!(cagr(100, 110, Span::Months(6)), Some(Milli(21_000)));
    }

    proptest! {
        #[test]
        fn runs_are_bounded_and_consistent(values in prop::collection::vec(prop::option::weighted(0.9, 0i64..1000), 1..30)) {
            let Some(s) = series(&values) else {
                prop_assert!(values.iter().all(Option::is_none));
                return Ok(());
            };
            let present: Vec<i64> = values.iter().flatten().copied().collect();
            prop_assert_eq!(s.peak, *present.iter().max().unwrap());
            prop_assert_eq!(s.trough, *present.iter().min().unwrap());
            prop_assert!(s.decline_streak <= s.longest_decline);
            prop_assert!(s.longest_decline <= s.years_down);
            prop_assert_eq!(s.missing as usize, values.len() - present.len());
            // Years down, counted directly over adjacent pairs both present.
            let down = values.windows(2).filter(|w| matches!(w, [Some(a), Some(b)] if b < a)).count();
            prop_assert_eq!(s.years_down as usize, down);
        }
    }
}
