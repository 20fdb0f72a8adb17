//! The slice of a cube that its roles choose, cut into the panel being built: one column
//! per period and measure, by region.

use crate::error::{Error, Location, Result};
use crate::load::accumulate::Accumulator;
use crate::load::cube::{Cube, DimKind, Meaning, Series};
use crate::load::layout::names::Measure;
use crate::load::roles::Roles;
use crate::number::{Fractions, NumberError, Unit};
use crate::period::Period;

/// What a series stands for in the panel: its period and measure, read off its categories.
struct Place {
    year: Period,
    measure: Measure,
}

/// Whether a series lies in the chosen slice: at the chosen category of every dimension
/// that has one.
fn in_slice(s: &Series, roles: &Roles) -> bool {
    s.coords
        .iter()
        .zip(&roles.chosen)
        .all(|(&c, chosen)| chosen.is_none_or(|k| k == c))
}

/// The period and measure of a series (the period's year unless `as_they_are`); `None`
/// for one of no period.
fn place_of(cube: &Cube, s: &Series, as_they_are: bool) -> Option<Place> {
    let mut place = Place {
        year: Period::year(0),
        measure: Measure::Population,
    };
    let mut dated = false;
    for (d, &c) in cube.dims.iter().zip(s.coords.iter()) {
        let meaning = d.categories().get(c as usize).map(|c| c.meaning);
        match (d.kind, meaning) {
            (DimKind::Time, Some(Meaning::Time(p))) => {
                place.year = if as_they_are { p } else { p.as_year() };
                dated = true;
            }
            (DimKind::Measure, Some(Meaning::Measure(m))) => place.measure = m,
            _ => {}
        }
    }
    dated.then_some(place)
}

/// How a slice's figures are read: as whole persons, or as values of another unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Persons: each figure times `10^exp` (a unit the format states: 3 for thousands),
    /// a fraction of a person rounded (and listed) or refused as `fractions` says; `unit`
    /// is the unit the source wrote, for messages.
    Persons {
        /// The power of ten the figures are still to be multiplied by.
        exp: i8,
        /// The unit the source wrote them in.
        unit: Unit,
        /// Fractions rounded or refused.
        fractions: Fractions,
    },
    /// Values of another unit (rates, shares, money), named so: compared as they are,
    /// never rounded, never totalled.
    Values(String),
}

impl Reading {
    /// Persons in `unit`.
    pub fn persons(unit: Unit, fractions: Fractions) -> Reading {
        Reading::Persons {
            exp: unit_exp(unit),
            unit,
            fractions,
        }
    }
}

/// The power of ten of a unit of persons.
pub fn unit_exp(unit: Unit) -> i8 {
    match unit {
        Unit::Persons => 0,
        Unit::Thousand => 3,
        Unit::TenThousand => 4,
        Unit::Million => 6,
    }
}

/// The hint for a population that cannot be read.
pub fn number_hint(e: &NumberError, unit: Unit) -> String {
    match e {
        NumberError::NotWhole(_) => format!(
            "values in {} must come to whole persons under --fractions error: check --unit, \
             or leave out --fractions error to round them (each rounded figure is then listed)",
            unit.describe()
        ),
        NumberError::BadSeparators => "write 1234567 or 1,234,567".into(),
        NumberError::Negative => "populations are counts of persons".into(),
        NumberError::TooLarge => "values must fit in 64-bit whole persons".into(),
        NumberError::PointGrouped => "write 12000 or 12,000 for twelve thousand, 12 for \
                                       twelve; for a file that writes 1.234.567,8 say --decimal ,"
            .into(),
        NumberError::NotANumber => {
            "write a number such as 21707000, 21,707,000 or 2170.7万; empty, NA, .. or - \
             for a missing value"
                .into()
        }
    }
}

/// A series of population figures as whole persons: each scaled by `10^exp`, a fraction
/// rounded and listed or kept as the error it is, a negative figure an error.
fn to_persons(s: Series, exp: i8, unit: Unit, fractions: Fractions, acc: &Accumulator) -> Series {
    if exp == 0 && s.is_whole() && s.figures().all(|(_, f, _)| f.mantissa >= 0) {
        return s;
    }
    let mut values = Vec::new();
    let mut origins = Vec::new();
    let mut rounded = s.rounded.clone();
    let mut invalid = s.invalid.clone();
    // A figure quoted as the source wrote it where it was kept, else as read.
    let written: std::collections::HashMap<u32, &str> =
        s.written.iter().map(|(r, t)| (*r, &**t)).collect();
    let text = |r: usize, figure: crate::load::cube::Figure| -> String {
        u32::try_from(r)
            .ok()
            .and_then(|r| written.get(&r))
            .map_or_else(|| figure.to_string(), |t| (*t).to_owned())
    };
    for (r, figure, origin) in s.figures() {
        let read = match figure.scaled(exp).and_then(|f| f.to_decimal()) {
            Some(d) if d.mantissa < 0 => Err(NumberError::Negative),
            Some(d) => match fractions {
                Fractions::Round => d.to_persons_rounding(Unit::Persons),
                Fractions::Error => d.to_persons(Unit::Persons).map(|n| (n, false)),
            },
            None => Err(NumberError::TooLarge),
        };
        match read {
            Ok((n, was_rounded)) => {
                if values.len() <= r {
                    values.resize(r + 1, Series::EMPTY);
                    origins.resize(r + 1, 0);
                }
                values[r] = n;
                origins[r] = origin.pack();
                if was_rounded {
                    rounded.push((r as u32, text(r, figure).into()));
                }
            }
            Err(e) => {
                if invalid.is_none()
                    && let Error::Input(e) = Error::input(
                        acc.location(origin),
                        format!("bad population: {e}"),
                        text(r, figure),
                        number_hint(&e, unit),
                    )
                {
                    invalid = Some(*e);
                }
            }
        }
    }
    let mut out = Series::from_parts(s.coords.clone(), values, origins);
    out.rounded = rounded;
    out.invalid = invalid;
    out
}

/// The decimals values of another unit are held with: the most any figure of the slice
/// has.
fn decimals_of(kept: &[Series]) -> u32 {
    kept.iter()
        .flat_map(|s| s.figures().map(|(_, f, _)| f.exp))
        .filter(|&e| e < 0)
        .map(|e| u32::from(e.unsigned_abs()))
        .max()
        .unwrap_or(0)
}

/// A series of values of another unit, each held as a whole number of `10^-decimals`.
fn to_values(s: Series, decimals: u32, acc: &Accumulator) -> Result<Series> {
    let mut values = Vec::new();
    let mut origins = Vec::new();
    for (r, figure, origin) in s.figures() {
        let shift = i32::from(figure.exp) + i32::try_from(decimals).unwrap_or(i32::MAX);
        let scaled = u32::try_from(shift)
            .ok()
            .and_then(crate::number::pow10)
            .and_then(|p| i128::from(figure.mantissa).checked_mul(p))
            .and_then(|v| i64::try_from(v).ok())
            .filter(|&v| v != Series::EMPTY);
        let Some(v) = scaled else {
            return Err(Error::input(
                acc.location(origin),
                "a value too large to hold exactly with the others' decimals",
                figure.to_string(),
                "compare fewer figures at a time",
            ));
        };
        if values.len() <= r {
            values.resize(r + 1, Series::EMPTY);
            origins.resize(r + 1, 0);
        }
        values[r] = v;
        origins[r] = origin.pack();
    }
    let mut out = Series::from_parts(s.coords.clone(), values, origins);
    out.invalid = s.invalid.clone();
    Ok(out)
}

/// Cuts the slice `roles` chose of `cube` into `acc`, its populations read as `reading`
/// says; its periods as they are where `periods_asked` (the user named one) or where a
/// year holds several, else as their years. `at` places a header column.
pub fn cut(
    cube: &mut Cube,
    roles: &Roles,
    reading: &Reading,
    acc: &mut Accumulator,
    at: &dyn Fn(Option<usize>) -> Location,
    periods_asked: bool,
) -> Result<()> {
    let kept: Vec<Series> = cube
        .take_series()
        .into_iter()
        .filter(|s| in_slice(s, roles))
        .collect();
    let as_they_are = periods_asked || several_in_a_year(cube, &kept);
    let decimals = match reading {
        Reading::Values(unit) => {
            let d = decimals_of(&kept);
            acc.values(unit, d, at(None))?;
            d
        }
        Reading::Persons { .. } => 0,
    };
    for s in kept {
        let Some(place) = place_of(cube, &s, as_they_are) else {
            continue;
        };
        let s = match (reading, place.measure) {
            (
                Reading::Persons {
                    exp,
                    unit,
                    fractions,
                },
                Measure::Population,
            ) => to_persons(s, *exp, *unit, *fractions, acc),
            (Reading::Values(_), Measure::Population) => to_values(s, decimals, acc)?,
            _ => s,
        };
        if let Some(e) = &s.invalid {
            acc.invalid(place.year, place.measure, Error::Input(Box::new(e.clone())));
        }
        for (region, text) in &s.rounded {
            acc.rounded(*region, place.year, text);
        }
        if s.count() > 0 {
            acc.put_series(place.year, place.measure, s)?;
        }
    }
    Ok(())
}

/// Whether the slice's periods are read as they are: where some year holds several of
/// them (quarters, months, two dates). Otherwise each period stands for its year, so that
/// "31.12.2015" or "2015-07" alone in its year compares as 2015.
fn several_in_a_year(cube: &Cube, kept: &[Series]) -> bool {
    let Some(t) = cube.dim_of(DimKind::Time) else {
        return false;
    };
    let time = &cube.dims[t];
    let mut held = vec![false; time.categories().len()];
    for s in kept {
        if s.count() > 0
            && let Some(h) = s.coords.get(t).and_then(|&c| held.get_mut(c as usize))
        {
            *h = true;
        }
    }
    let mut periods: Vec<Period> = time
        .categories()
        .iter()
        .zip(&held)
        .filter_map(|(cat, &h)| match cat.meaning {
            Meaning::Time(p) if h => Some(p),
            _ => None,
        })
        .collect();
    periods.sort_unstable();
    periods.dedup();
    periods
        .windows(2)
        .any(|w| w[0].year_number() == w[1].year_number())
}
