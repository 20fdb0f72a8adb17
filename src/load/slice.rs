//! The slice of a cube that its roles choose, cut into the panel being built: one column
//! per period and measure, by region.

use crate::error::{Error, Location, Result};
use crate::load::accumulate::Accumulator;
use crate::load::cube::{Cube, DimKind, Meaning, Series};
use crate::load::layout::names::{self, Measure};
use crate::load::roles::Roles;
use crate::number::{Fractions, NumberError, Unit};

/// What a series stands for in the panel: its year and measure, read off its categories.
struct Place {
    year: i32,
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

/// The year and measure of a series; `None` for one of a period no year holds.
fn place_of(cube: &Cube, s: &Series) -> Option<Place> {
    let mut place = Place {
        year: 0,
        measure: Measure::Population,
    };
    let mut dated = false;
    for (d, &c) in cube.dims.iter().zip(s.coords.iter()) {
        let meaning = d.categories().get(c as usize).map(|c| c.meaning);
        match (d.kind, meaning) {
            (DimKind::Time, Some(Meaning::Year(y))) => {
                place.year = y;
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
/// says. `at` places a header column, for the refusal of several periods in one year.
pub fn cut(
    cube: &mut Cube,
    roles: &Roles,
    reading: &Reading,
    acc: &mut Accumulator,
    at: &dyn Fn(Option<usize>) -> Location,
) -> Result<()> {
    let kept: Vec<Series> = cube
        .take_series()
        .into_iter()
        .filter(|s| in_slice(s, roles))
        .collect();
    periods_within_years(cube, &kept, at)?;
    let decimals = match reading {
        Reading::Values(unit) => {
            let d = decimals_of(&kept);
            acc.values(unit, d, at(None))?;
            d
        }
        Reading::Persons { .. } => 0,
    };
    for s in kept {
        let Some(place) = place_of(cube, &s) else {
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

/// Refuses a slice whose time dimension holds several periods of one year (2024-01,
/// 2024-04): popdelta compares one figure a year, and names two periods to compare.
fn periods_within_years(
    cube: &Cube,
    kept: &[Series],
    at: &dyn Fn(Option<usize>) -> Location,
) -> Result<()> {
    let Some(t) = cube.dim_of(DimKind::Time) else {
        return Ok(());
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
    // The periods of each year, in order of first appearance; plain years are none.
    let mut periods: Vec<(i32, Vec<String>)> = Vec::new();
    for (c, cat) in time.categories().iter().enumerate() {
        let Meaning::Year(y) = cat.meaning else {
            continue;
        };
        if !held[c] {
            continue;
        }
        let i = match periods.iter().position(|(py, _)| *py == y) {
            Some(i) => i,
            None => {
                periods.push((y, Vec::new()));
                periods.len() - 1
            }
        };
        let entry = &mut periods[i].1;
        if !names::is_plain_year(&cat.code) && !entry.contains(&cat.code) {
            entry.push(cat.code.clone());
        }
    }
    let Some((y, seen)) = periods.iter().rev().find(|(_, seen)| seen.len() > 1) else {
        return Ok(());
    };
    let column = time.name.clone();
    // The latest period's place in the year (its month, its quarter), for each year.
    let last = seen.iter().max().cloned().unwrap_or_default();
    let suffix = last.get(4..).unwrap_or_default();
    let mut years: Vec<i32> = periods.iter().map(|(py, _)| *py).collect();
    years.sort_unstable();
    let picks: Vec<String> = years
        .iter()
        .take(3)
        .map(|py| format!("{py}{suffix}"))
        .collect();
    let keep_one = format!(
        "{}{}",
        picks.join("|"),
        if years.len() > 3 { "|..." } else { "" }
    );
    // Two periods the file holds: the latest of this year and its like a year before, or
    // after.
    let holds = |p: &String| periods.iter().any(|(_, seen)| seen.contains(p));
    let (a, b) = (format!("{}{suffix}", y - 1), format!("{y}{suffix}"));
    let after = format!("{}{suffix}", y + 1);
    let pair = if holds(&a) {
        Some((a, b))
    } else if holds(&after) {
        Some((b, after))
    } else {
        None
    };
    let hint = match pair {
        Some((a, b)) => format!(
            "compare two periods: --from {a} --to {b}; or keep one period a year, e.g. \
             --where '{column}={keep_one}'"
        ),
        None => format!("keep one period a year, e.g. --where '{column}={keep_one}'"),
    };
    Err(Error::input(
        at(time.column),
        format!(
            "{column} holds several periods of {y} ({}), and popdelta compares one figure a year",
            crate::error::listed(seen.iter(), ", ")
        ),
        "",
        hint,
    ))
}
