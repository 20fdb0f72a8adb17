//! The slice of a cube that its roles choose, cut into the panel being built: one column
//! per period and measure, by region.

use crate::error::{Error, Location, Result};
use crate::load::accumulate::Accumulator;
use crate::load::cube::{Cube, DimKind, Meaning, Series};
use crate::load::header::{self, Measure};
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

/// How a cube's figures become whole persons: the unit they are in, and what to do with a
/// fraction of a person.
#[derive(Debug, Clone, Copy)]
pub struct Persons {
    /// The unit of the figures (10,000 persons: a figure of 2170.7 is 21,707,000).
    pub unit: Unit,
    /// Fractions rounded (and listed) or refused.
    pub fractions: Fractions,
}

impl Persons {
    /// Figures already in whole persons (a table's, converted as they were read).
    pub const READ: Persons = Persons {
        unit: Unit::Persons,
        fractions: Fractions::Error,
    };
}

/// A series of population figures as whole persons: each converted from its unit, a
/// fraction rounded and listed or kept as the error it is, a negative figure an error.
fn to_persons(s: Series, persons: Persons, acc: &Accumulator) -> Series {
    if persons.unit == Unit::Persons && s.is_whole() && s.figures().all(|(_, f, _)| f.mantissa >= 0)
    {
        return s;
    }
    let mut values = Vec::new();
    let mut origins = Vec::new();
    let mut rounded = s.rounded.clone();
    let mut invalid = s.invalid.clone();
    for (r, figure, origin) in s.figures() {
        let read = match figure.to_decimal() {
            Some(d) if d.mantissa < 0 => Err(NumberError::Negative),
            Some(d) => match persons.fractions {
                Fractions::Round => d.to_persons_rounding(persons.unit),
                Fractions::Error => d.to_persons(persons.unit).map(|n| (n, false)),
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
                    rounded.push((r as u32, figure.to_string().into()));
                }
            }
            Err(e) => {
                if invalid.is_none() {
                    let Error::Input(e) = Error::input(
                        acc.location(origin),
                        format!("bad population: {e}"),
                        figure.to_string(),
                        format!(
                            "the figures are in {}; populations are whole persons",
                            persons.unit.describe()
                        ),
                    ) else {
                        continue;
                    };
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

/// Cuts the slice `roles` chose of `cube` into `acc`, its populations made whole persons
/// as `persons` says. `at` places a header column, for the refusal of several periods in
/// one year.
pub fn cut(
    cube: &mut Cube,
    roles: &Roles,
    persons: Persons,
    acc: &mut Accumulator,
    at: &dyn Fn(Option<usize>) -> Location,
) -> Result<()> {
    let kept: Vec<Series> = cube
        .take_series()
        .into_iter()
        .filter(|s| in_slice(s, roles))
        .collect();
    periods_within_years(cube, &kept, at)?;
    for s in kept {
        let Some(place) = place_of(cube, &s) else {
            continue;
        };
        let s = if place.measure == Measure::Population {
            to_persons(s, persons, acc)
        } else {
            s
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
        let entry = match periods.iter_mut().position(|(py, _)| *py == y) {
            Some(i) => &mut periods[i].1,
            None => {
                periods.push((y, Vec::new()));
                &mut periods.last_mut().expect("just pushed").1
            }
        };
        if !header::is_plain_year(&cat.code) && !entry.contains(&cat.code) {
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
            seen.join(", ")
        ),
        "",
        hint,
    ))
}
