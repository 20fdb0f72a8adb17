//! The cube: what every reader yields and the panel is cut from.
//!
//! An observation is a figure at one place of the cube: a region (the geography, shared by
//! every input of a run and kept by the [`Accumulator`]) and one category of each of the
//! input's other dimensions (its periods, what is counted, its breakdowns), named as the
//! file names them (`geo`, `TIME_PERIOD`, `sex`, `Alder`). Observations of one category of
//! each dimension but the geography form a series: a column of figures by region, stored
//! densely, with the place each figure was read for messages.
//!
//! Nothing is summed here. [`crate::load::roles`] decides which dimension is which and
//! which slice of the cube is compared; [`crate::load::slice`] cuts that slice into the
//! panel. Two figures at one place of the cube are one figure if they are equal and a
//! refusal naming both places if they are not.
//!
//! [`Accumulator`]: crate::load::accumulate::Accumulator

use std::collections::HashMap;

use crate::error::{Error, InputError};
use crate::load::accumulate::{Accumulator, Origin};
use crate::load::layout::names::Measure;
use crate::period::Period;

/// A figure exactly as read: `mantissa × 10^exp` (2170.7 is 21707 × 10^-1; "3.2" in
/// thousands, 32 × 10^2). No float is ever involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    /// The digits, with the sign.
    pub mantissa: i64,
    /// The power of ten they are scaled by.
    pub exp: i8,
}

impl Figure {
    /// A whole number.
    pub fn whole(n: i64) -> Figure {
        Figure {
            mantissa: n,
            exp: 0,
        }
    }

    /// A decimal held exactly, if its digits fit in 64 bits and its scale in a byte.
    pub fn from_decimal(d: crate::number::Decimal) -> Option<Figure> {
        Some(Figure {
            mantissa: i64::try_from(d.mantissa).ok()?,
            exp: i8::try_from(d.scale).ok()?.checked_neg()?,
        })
    }

    /// A figure as a program writes it (JSON, SDMX): digits with a point, an exponent
    /// (`1e2`, `4.7E-1`), read exactly; `None` for a missing marker (empty, `NaN`, `..`).
    /// The error is the text, which is no number.
    pub fn parse_written(text: &str) -> Result<Option<Figure>, String> {
        let text = text.trim();
        if crate::number::is_missing(text) {
            return Ok(None);
        }
        let (digits, exp) = match text.find(['e', 'E']) {
            Some(i) => (
                &text[..i],
                text[i + 1..].parse::<i32>().map_err(|_| text.to_owned())?,
            ),
            None => (text, 0),
        };
        let d = crate::number::Decimal::parse(digits).map_err(|_| text.to_owned())?;
        let exp = i32::try_from(d.scale)
            .ok()
            .and_then(|s| exp.checked_sub(s))
            .and_then(|e| i8::try_from(e).ok())
            .ok_or_else(|| text.to_owned())?;
        let mantissa = i64::try_from(d.mantissa).map_err(|_| text.to_owned())?;
        Ok(Some(Figure { mantissa, exp }))
    }

    /// The same figure scaled by `10^by` (a unit multiplier), if its exponent fits.
    pub fn scaled(self, by: i8) -> Option<Figure> {
        Some(Figure {
            mantissa: self.mantissa,
            exp: self.exp.checked_add(by)?,
        })
    }

    /// The figure as a decimal (a positive exponent multiplied out).
    pub fn to_decimal(self) -> Option<crate::number::Decimal> {
        let mantissa = i128::from(self.mantissa);
        if self.exp >= 0 {
            let factor = crate::number::pow10(u32::from(self.exp.unsigned_abs()))?;
            return Some(crate::number::Decimal {
                mantissa: mantissa.checked_mul(factor)?,
                scale: 0,
            });
        }
        Some(crate::number::Decimal {
            mantissa,
            scale: u32::from(self.exp.unsigned_abs()),
        })
    }

    /// Whether the figure is a whole number.
    pub fn is_whole(self) -> bool {
        self.exp >= 0
            || crate::number::pow10(u32::from(self.exp.unsigned_abs()))
                .is_some_and(|p| i128::from(self.mantissa) % p == 0)
    }

    /// Whether two figures are the same number, however written (1000 and 1 × 10^3).
    pub fn same_value(self, other: Figure) -> bool {
        match (self.to_decimal(), other.to_decimal()) {
            (Some(a), Some(b)) => a.checked_sub(b).is_some_and(|d| d.mantissa == 0),
            _ => self == other,
        }
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.to_decimal() {
            Some(d) => write!(f, "{d}"),
            None => write!(f, "{}e{}", self.mantissa, self.exp),
        }
    }
}

/// What a category stands for besides its code and label, where a reader knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Nothing more.
    None,
    /// A period (the time dimension).
    Time(Period),
    /// One of popdelta's measures (a table's population, births or rate columns).
    Measure(Measure),
}

/// One category of a dimension, as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Its code (`T`, `2017`, `DE`): what `--where` matches.
    pub code: String,
    /// Its label (`Total`, `Both sexes`), the code where the file gives none.
    pub label: String,
    /// What it stands for.
    pub meaning: Meaning,
    /// The unit the file states for figures of this category (a JSON-stat metric's unit).
    pub unit: Option<String>,
}

/// What a dimension is, as far as its reader can tell: the roles decide the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimKind {
    /// The periods.
    Time,
    /// Which of popdelta's measures a table's column holds (population, births, rates).
    Measure,
    /// A breakdown of the population (sex, age, place of birth): its parts add up to its
    /// total, which is taken where the dimension has one.
    Breakdown,
    /// What the figures are (an indicator, a statistic, a unit, a dataflow): never summed
    /// and never taken for the user.
    Statistic,
}

/// A dimension of the cube other than the geography.
#[derive(Debug, Clone)]
pub struct Dimension {
    /// Its name as the file gives it (a column's header, a JSON-stat id).
    pub name: String,
    /// Its label, where the file gives one besides the name.
    pub label: String,
    /// What it is.
    pub kind: DimKind,
    /// The header column it stands in, for messages.
    pub column: Option<usize>,
    /// The category the file itself says is the total of the others (JSON-stat and
    /// PC-Axis elimination), if it says.
    pub stated_total: Option<u32>,
    categories: Vec<Category>,
    index: HashMap<Box<[u8]>, u32, foldhash::fast::FixedState>,
    /// The last code looked up and its category: rows of one category come together.
    last: Option<(Box<[u8]>, u32)>,
}

impl Dimension {
    /// A dimension with no categories yet.
    pub fn new(name: &str, kind: DimKind, column: Option<usize>) -> Dimension {
        Dimension {
            name: name.to_owned(),
            label: String::new(),
            kind,
            column,
            stated_total: None,
            categories: Vec::new(),
            index: HashMap::default(),
            last: None,
        }
    }

    /// The index of the category with this code, added (labelled by `label`) if new.
    pub fn category(&mut self, code: &[u8], label: impl FnOnce() -> Category) -> u32 {
        if let Some((last, c)) = &self.last
            && **last == *code
        {
            return *c;
        }
        let c = match self.index.get(code) {
            Some(&c) => c,
            None => {
                let c = self.categories.len() as u32;
                self.categories.push(label());
                self.index.insert(code.into(), c);
                c
            }
        };
        self.last = Some((code.into(), c));
        c
    }

    /// The category with this code, if the dimension has it (the last one looked up
    /// first).
    pub fn lookup(&mut self, code: &[u8]) -> Option<u32> {
        if let Some((last, c)) = &self.last
            && **last == *code
        {
            return Some(*c);
        }
        let c = *self.index.get(code)?;
        self.last = Some((code.into(), c));
        Some(c)
    }

    /// A category by its code, if the dimension has it.
    pub fn find(&self, code: &str) -> Option<u32> {
        self.index.get(code.as_bytes()).copied()
    }

    /// The categories, in order of first appearance (or as the file lists them).
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }
}

/// A category made of plain text: its code is its label.
pub fn plain(code: &[u8], meaning: Meaning) -> Category {
    let text = String::from_utf8_lossy(code).into_owned();
    Category {
        code: text.clone(),
        label: text,
        meaning,
        unit: None,
    }
}

/// Marks an empty cell of a series; a figure's mantissa is never `i64::MIN`.
const EMPTY: i64 = i64::MIN;

/// The figures of one category of each dimension, by region.
#[derive(Debug, Default)]
pub struct Series {
    /// A category per dimension, in the cube's order of dimensions.
    pub coords: Box<[u32]>,
    /// Mantissas by region index, [`EMPTY`] where none was read.
    values: Vec<i64>,
    /// Exponents by region index; empty while every figure is whole.
    exps: Vec<i8>,
    /// Where each figure was read (an [`Origin`] packed).
    origins: Vec<u64>,
    /// The first figure of the series that could not be read: an error only if the
    /// comparison uses it.
    pub invalid: Option<InputError>,
    /// Figures rounded to whole persons as they were read (region, text as written).
    pub rounded: Vec<(u32, Box<str>)>,
    /// The text as written of figures that are no whole number (region, text), for
    /// messages that quote them.
    pub written: Vec<(u32, Box<str>)>,
}

impl Series {
    /// The figure of a region and where it was read, if it has one.
    pub fn get(&self, region: usize) -> Option<(Figure, Origin)> {
        let &mantissa = self.values.get(region)?;
        if mantissa == EMPTY {
            return None;
        }
        let exp = self.exps.get(region).copied().unwrap_or(0);
        let origin = Origin::unpack(self.origins.get(region).copied().unwrap_or(0));
        Some((Figure { mantissa, exp }, origin))
    }

    /// Every figure with its region, in region order.
    pub fn figures(&self) -> impl Iterator<Item = (usize, Figure, Origin)> + '_ {
        (0..self.values.len()).filter_map(|r| self.get(r).map(|(f, o)| (r, f, o)))
    }

    /// How many regions have a figure.
    pub fn count(&self) -> usize {
        self.values.iter().filter(|&&v| v != EMPTY).count()
    }

    /// Whether every figure is whole (no exponent stored).
    pub fn is_whole(&self) -> bool {
        self.exps.iter().all(|&e| e == 0)
    }

    /// The mantissas by region ([`Series::EMPTY`] where none) and places: what a whole
    /// column moves as.
    pub fn into_parts(self) -> (Vec<i64>, Vec<u64>) {
        (self.values, self.origins)
    }

    /// A series of whole figures at `coords`: mantissas by region ([`Series::EMPTY`] where
    /// none) and their places.
    pub fn from_parts(coords: Box<[u32]>, values: Vec<i64>, origins: Vec<u64>) -> Series {
        Series {
            coords,
            values,
            exps: Vec::new(),
            origins,
            invalid: None,
            rounded: Vec::new(),
            written: Vec::new(),
        }
    }

    /// The mantissa of an empty cell in [`Series::into_parts`]'s values.
    pub const EMPTY: i64 = EMPTY;
}

/// One input's cube: its dimensions and series, over the run's regions.
#[derive(Debug)]
pub struct Cube {
    /// The input's index among the accumulator's files (for places).
    pub file: u32,
    /// The dimensions but the geography.
    pub dims: Vec<Dimension>,
    series: Vec<Series>,
    index: HashMap<Box<[u32]>, u32, foldhash::fast::FixedState>,
    /// How many regions the input is expected to hold, to size new series.
    expected: usize,
    /// Figures read twice at one place with the same value: (the first place, how many).
    pub repeated: (Option<Origin>, u64),
}

impl Cube {
    /// An empty cube for the input `file`.
    pub fn new(file: u32, dims: Vec<Dimension>) -> Cube {
        Cube {
            file,
            dims,
            series: Vec::new(),
            index: HashMap::default(),
            expected: 0,
            repeated: (None, 0),
        }
    }

    /// Sizes new series for about `regions` regions.
    pub fn expect(&mut self, regions: usize) {
        self.expected = regions;
    }

    /// The index of the dimension of this kind, the first if several.
    pub fn dim_of(&self, kind: DimKind) -> Option<usize> {
        self.dims.iter().position(|d| d.kind == kind)
    }

    /// The series at these coordinates (one category per dimension), made if new.
    pub fn series_id(&mut self, coords: &[u32]) -> u32 {
        if let Some(&id) = self.index.get(coords) {
            return id;
        }
        let id = self.series.len() as u32;
        let mut values = Vec::with_capacity(self.expected);
        let mut origins = Vec::with_capacity(self.expected);
        crate::load::table::advise_huge_pages(values.spare_capacity_mut());
        crate::load::table::advise_huge_pages(origins.spare_capacity_mut());
        self.series
            .push(Series::from_parts(coords.into(), values, origins));
        self.index.insert(coords.into(), id);
        id
    }

    /// The series.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// The series, taken out of the cube (to move whole columns into the panel).
    pub fn take_series(&mut self) -> Vec<Series> {
        self.index.clear();
        std::mem::take(&mut self.series)
    }

    /// Notes a figure of series `id` that could not be read; only the first is kept.
    pub fn invalid(&mut self, id: u32, error: Error) {
        let Error::Input(e) = error else { return };
        if let Some(s) = self.series.get_mut(id as usize)
            && s.invalid.is_none()
        {
            s.invalid = Some(*e);
        }
    }

    /// Notes a figure of series `id` that was rounded to whole persons as it was read.
    pub fn rounded(&mut self, id: u32, region: u32, text: &str) {
        if let Some(s) = self.series.get_mut(id as usize) {
            s.rounded.push((region, text.into()));
        }
    }

    /// Keeps the text a figure of `region` in series `id` was written as, for messages.
    pub fn written(&mut self, id: u32, region: u32, text: &str) {
        if let Some(s) = self.series.get_mut(id as usize) {
            s.written.push((region, text.into()));
        }
    }

    /// Puts a figure of `region` into series `id`. The same figure twice is one; a
    /// different one is refused, naming both places (through `acc`, which knows them).
    #[inline]
    pub fn put(
        &mut self,
        id: u32,
        region: u32,
        figure: Figure,
        origin: Origin,
        acc: &Accumulator,
    ) -> Result<(), Error> {
        let r = region as usize;
        let Some(s) = self.series.get_mut(id as usize) else {
            return Ok(());
        };
        if s.values.len() <= r {
            s.values.resize(r + 1, EMPTY);
            s.origins.resize(r + 1, 0);
        }
        if figure.exp != 0 && s.exps.len() <= r {
            s.exps.resize(s.values.len().max(r + 1), 0);
        }
        let old = s.values[r];
        if old == EMPTY {
            s.values[r] = figure.mantissa;
            s.origins[r] = origin.pack();
            if figure.exp != 0 {
                s.exps[r] = figure.exp;
            }
            return Ok(());
        }
        let first = Origin::unpack(s.origins[r]);
        let was = Figure {
            mantissa: old,
            exp: s.exps.get(r).copied().unwrap_or(0),
        };
        if was == figure || was.same_value(figure) {
            if self.repeated.0.is_none() {
                self.repeated.0 = Some(first);
            }
            self.repeated.1 += 1;
            return Ok(());
        }
        let coords = s.coords.clone();
        Err(self.conflict(region, &coords, (was, first), (figure, origin), acc))
    }

    /// The refusal of two different figures at one place of the cube.
    fn conflict(
        &self,
        region: u32,
        coords: &[u32],
        (old, first): (Figure, Origin),
        (new, origin): (Figure, Origin),
        acc: &Accumulator,
    ) -> Error {
        let (what, when, rest) = self.describe(coords);
        Error::input(
            acc.location(origin),
            format!(
                "{} has two different {what} figures for {when}{rest}: {new} here and {old} at \
                 {}",
                acc.region_name(region),
                acc.location(first)
            ),
            new.to_string(),
            "if these are different regions that share a name, identify regions by more \
             columns with --region-col (e.g. CTYNAME,STNAME); if the file holds several \
             breakdowns of each region (sexes, indicators), keep one with --where COL=VALUE",
        )
    }

    /// A place of the cube in words: the measure, the period, and the other categories.
    pub fn describe(&self, coords: &[u32]) -> (String, String, String) {
        let mut what = "population".to_owned();
        let mut when = String::new();
        let mut rest = Vec::new();
        for (d, &c) in self.dims.iter().zip(coords) {
            let Some(cat) = d.categories.get(c as usize) else {
                continue;
            };
            match (d.kind, cat.meaning) {
                (DimKind::Measure, Meaning::Measure(m)) => what = m.noun().to_owned(),
                (DimKind::Time, Meaning::Time(p)) if cat.code.len() <= 4 => when = p.to_string(),
                (DimKind::Time, _) => when.clone_from(&cat.code),
                _ if d.categories.len() > 1 => rest.push(format!("{} {}", d.name, cat.code)),
                _ => {}
            }
        }
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(" ({})", crate::error::listed(&rest, ", "))
        };
        (what, when, rest)
    }

    /// The categories of each dimension that some figure stands at, by dimension.
    pub fn used(&self) -> Vec<Vec<bool>> {
        let mut used: Vec<Vec<bool>> = self
            .dims
            .iter()
            .map(|d| vec![false; d.categories.len()])
            .collect();
        for s in &self.series {
            if !s.values.iter().any(|&v| v != EMPTY) && s.invalid.is_none() {
                continue;
            }
            for (d, &c) in s.coords.iter().enumerate() {
                if let Some(u) = used.get_mut(d).and_then(|u| u.get_mut(c as usize)) {
                    *u = true;
                }
            }
        }
        used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_the_same_however_written() {
        let a = Figure::whole(1000);
        let b = Figure {
            mantissa: 1,
            exp: 3,
        };
        let c = Figure {
            mantissa: 10_000,
            exp: -1,
        };
        assert!(a.same_value(b) && a.same_value(c) && b.same_value(c));
        assert!(!a.same_value(Figure::whole(1001)));
        assert_eq!(
            Figure {
                mantissa: 21707,
                exp: -1
            }
            .to_string(),
            "2170.7"
        );
        assert_eq!(b.to_string(), "1000");
    }

    #[test]
    fn one_place_holds_one_figure() {
        let mut acc = Accumulator::default();
        let file = acc
            .add_file(
                "t.csv",
                vec!["region".into(), "2016".into()],
                crate::load::records::Start::Lines,
            )
            .unwrap();
        let a = acc.region(b"A", false, || Ok("A".into()), None).unwrap();
        let mut time = Dimension::new("year", DimKind::Time, None);
        let y = time.category(b"2016", || {
            plain(b"2016", Meaning::Time(Period::year(2016)))
        });
        let mut cube = Cube::new(file, vec![time]);
        let id = cube.series_id(&[y]);
        let at = |line| Origin {
            file,
            line,
            column: 1,
        };
        cube.put(id, a, Figure::whole(5), at(2), &acc).unwrap();
        cube.put(id, a, Figure::whole(5), at(3), &acc).unwrap();
        assert_eq!(cube.repeated, (Some(at(2)), 1));
        let err = cube
            .put(id, a, Figure::whole(6), at(4), &acc)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "A has two different population figures for 2016: 6 here and 5 at t.csv:2:2016"
            ),
            "{err}"
        );
    }
}
