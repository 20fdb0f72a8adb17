//! Gathering rows into regions: one value per region, year and measure, with the place it
//! came from, so that a contradiction can name both places.
//!
//! Built for millions of regions in random order: names are stored end to end, the table
//! from key to region holds only indices, and populations sit in one column per year. A
//! region costs some 60 bytes besides its name.

use std::collections::HashMap;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::error::{Error, InputError, Location, Result};
use crate::load::header::Measure;
use crate::number::Decimal;
use crate::panel::{ComponentsKind, InvalidFigure, Names, Panel, PanelInfo, RoundedFigure};

/// Where a value was read: file index, line, column index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Index into the accumulator's file labels.
    pub file: u32,
    /// 1-based line.
    pub line: u64,
    /// Index into the file's header.
    pub column: u32,
}

// An origin packed into 64 bits: 12 bits of file, 16 of column, 36 of line.
const FILE_BITS: u32 = 12;
const COLUMN_BITS: u32 = 16;
const LINE_BITS: u32 = 36;

impl Origin {
    fn pack(self) -> u64 {
        let file = u64::from(self.file.min((1 << FILE_BITS) - 1));
        let column = u64::from(self.column.min((1 << COLUMN_BITS) - 1));
        let line = self.line.min((1 << LINE_BITS) - 1);
        (file << (COLUMN_BITS + LINE_BITS)) | (column << LINE_BITS) | line
    }

    fn unpack(v: u64) -> Origin {
        Origin {
            file: (v >> (COLUMN_BITS + LINE_BITS)) as u32,
            column: ((v >> LINE_BITS) & ((1 << COLUMN_BITS) - 1)) as u32,
            line: v & ((1 << LINE_BITS) - 1),
        }
    }
}

/// Most files one run may read (their index is packed with each value's place).
pub const MAX_FILES: usize = (1 << FILE_BITS) - 1;

/// A value as read: a count of persons or a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Whole persons.
    Count(i64),
    /// Per mille.
    Rate(Decimal),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Rate(d) => write!(f, "{d}"),
        }
    }
}

/// One year's populations: a value and its place per region.
#[derive(Debug, Default)]
struct Column {
    year: i32,
    values: Vec<i64>,
    origins: Vec<u64>,
}

/// Regions and their values from any number of files.
#[derive(Debug, Default)]
pub struct Accumulator {
    hasher: foldhash::fast::FixedState,
    table: HashTable<u32>,
    /// Display names ("Autauga County, Alabama").
    names: Names,
    /// Lookup keys, when they differ from the names (several region columns).
    keys: Names,
    /// Whether `keys` is kept: decided by the first region (one run uses one key kind).
    separate: bool,
    groups: Vec<String>,
    group_ids: HashMap<String, u32>,
    /// Per region: group index + 1 (0 for none), and where it was set.
    group_of: Vec<u32>,
    group_origin: Vec<u64>,
    columns: Vec<Column>,
    /// The column of the year last used: rows of one year often come together.
    last_column: usize,
    components: HashMap<(u32, i32, Measure), (Value, u64)>,
    /// File labels, as the user named them.
    files: Vec<String>,
    /// Each file's header, to name columns in messages.
    headers: Vec<Vec<String>>,
    /// The first unreadable figure of each year and measure.
    invalid: Vec<(i32, Measure, InputError)>,
    /// Figures rounded on request: region, year, text.
    rounded: Vec<(u32, i32, Box<str>)>,
}

impl Accumulator {
    /// Registers a file and its header; returns the file's index.
    pub fn add_file(&mut self, label: &str, header: Vec<String>) -> Result<u32> {
        if self.files.len() >= MAX_FILES {
            return Err(Error::Usage(format!(
                "at most {MAX_FILES} files can be read in one run"
            )));
        }
        self.files.push(label.to_owned());
        self.headers.push(header);
        Ok((self.files.len() - 1) as u32)
    }

    /// The location of an origin, for messages.
    pub fn location(&self, o: Origin) -> Location {
        Location {
            file: self.files.get(o.file as usize).cloned().unwrap_or_default(),
            line: o.line,
            column: self
                .headers
                .get(o.file as usize)
                .and_then(|h| h.get(o.column as usize))
                .cloned(),
        }
    }

    /// The index of the region with this key. A new key is named by `name` (which checks
    /// the bytes are text); `separate_key` says whether the key differs from the name.
    pub fn region(
        &mut self,
        key: &[u8],
        separate_key: bool,
        name: impl FnOnce() -> Result<String>,
    ) -> Result<u32> {
        if self.names.is_empty() {
            self.separate = separate_key;
        }
        let hash = self.hasher.hash_one(key);
        let store = if self.separate {
            &self.keys
        } else {
            &self.names
        };
        if let Some(&i) = self
            .table
            .find(hash, |&i| store.get(i as usize).as_bytes() == key)
        {
            return Ok(i);
        }
        let name = name()?;
        let i = self.names.push(&name) as u32;
        if self.separate {
            // Keys are the region fields joined by U+001F, which text never holds.
            self.keys.push(std::str::from_utf8(key).unwrap_or(&name));
        }
        self.group_of.push(0);
        let hasher = &self.hasher;
        let store = if self.separate {
            &self.keys
        } else {
            &self.names
        };
        self.table.insert_unique(hash, i, |&j| {
            hasher.hash_one(store.get(j as usize).as_bytes())
        });
        Ok(i)
    }

    /// Sets a region's group; a different group at another place is an error.
    pub fn set_group(&mut self, region: u32, group: &str, origin: Origin) -> Result<()> {
        let r = region as usize;
        if self.group_origin.len() < self.group_of.len() {
            self.group_origin.resize(self.group_of.len(), 0);
        }
        let current = self.group_of[r];
        if current != 0 {
            let label = &self.groups[(current - 1) as usize];
            if label == group {
                return Ok(());
            }
            let first = Origin::unpack(self.group_origin[r]);
            return Err(Error::input(
                self.location(origin),
                format!(
                    "{} is in group {label:?} at {} but in another group here",
                    self.names.get(r),
                    self.location(first)
                ),
                group,
                "a region belongs to one group; check the group column or identify regions \
                 by more columns with --region-col",
            ));
        }
        let id = match self.group_ids.get(group) {
            Some(&id) => id,
            None => {
                self.groups.push(group.to_owned());
                let id = self.groups.len() as u32;
                self.group_ids.insert(group.to_owned(), id);
                id
            }
        };
        self.group_of[r] = id;
        self.group_origin[r] = origin.pack();
        Ok(())
    }

    /// The population column of a year, made if new.
    fn column(&mut self, year: i32) -> &mut Column {
        if self
            .columns
            .get(self.last_column)
            .is_none_or(|c| c.year != year)
        {
            self.last_column = match self.columns.iter().position(|c| c.year == year) {
                Some(i) => i,
                None => {
                    self.columns.push(Column {
                        year,
                        ..Column::default()
                    });
                    self.columns.len() - 1
                }
            };
        }
        &mut self.columns[self.last_column]
    }

    fn conflict(
        &self,
        region: u32,
        year: i32,
        measure: Measure,
        old: Value,
        first: Origin,
        new: Value,
        origin: Origin,
    ) -> Error {
        Error::input(
            self.location(origin),
            format!(
                "{} has two different {} figures for {year}: {new} here and {old} at {}",
                self.names.get(region as usize),
                measure.noun(),
                self.location(first)
            ),
            new.to_string(),
            "if these are different regions that share a name, identify regions by more \
             columns, e.g. --region-col CTYNAME,STNAME",
        )
    }

    /// Records a value; the same value twice is fine, a different one is an error.
    pub fn add(
        &mut self,
        region: u32,
        year: i32,
        measure: Measure,
        value: Value,
        origin: Origin,
    ) -> Result<()> {
        let r = region as usize;
        if let (Measure::Population, Value::Count(n)) = (measure, value) {
            let col = self.column(year);
            if col.values.len() <= r {
                col.values.resize(r + 1, Panel::MISSING);
                col.origins.resize(r + 1, 0);
            }
            let old = col.values[r];
            if old == Panel::MISSING {
                col.values[r] = n;
                col.origins[r] = origin.pack();
                return Ok(());
            }
            if old == n {
                return Ok(());
            }
            let first = Origin::unpack(col.origins[r]);
            return Err(self.conflict(
                region,
                year,
                measure,
                Value::Count(old),
                first,
                value,
                origin,
            ));
        }
        match self.components.get(&(region, year, measure)) {
            None => {
                self.components
                    .insert((region, year, measure), (value, origin.pack()));
                Ok(())
            }
            Some((old, _)) if *old == value => Ok(()),
            Some(&(old, first)) => Err(self.conflict(
                region,
                year,
                measure,
                old,
                Origin::unpack(first),
                value,
                origin,
            )),
        }
    }

    /// Notes an unreadable figure; it becomes an error if a comparison uses its year.
    pub fn invalid(&mut self, year: i32, measure: Measure, error: Error) {
        let Error::Input(e) = error else { return };
        if !self
            .invalid
            .iter()
            .any(|(y, m, _)| *y == year && *m == measure)
        {
            self.invalid.push((year, measure, *e));
        }
    }

    /// Notes a figure rounded to whole persons.
    pub fn rounded(&mut self, region: u32, year: i32, text: &str) {
        self.rounded.push((region, year, text.into()));
    }

    /// The labels of the files read.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Builds the panel: every year that any value has, regions in order of appearance.
    pub fn into_panel(self, mut info: PanelInfo, components: ComponentsKind) -> Result<Panel> {
        if info.dataset.is_empty() {
            info.dataset = self.files.join(", ");
        }
        let mut columns: Vec<(i32, Vec<i64>)> = self
            .columns
            .into_iter()
            .map(|c| (c.year, c.values))
            .collect();
        // Years that only components or unreadable figures have still get a column.
        let extra_years = self
            .components
            .keys()
            .map(|k| k.1)
            .chain(self.invalid.iter().map(|(y, _, _)| *y));
        for year in extra_years {
            if !columns.iter().any(|c| c.0 == year) {
                columns.push((year, Vec::new()));
            }
        }
        let group_of = self.group_of.iter().map(|&g| g.checked_sub(1)).collect();
        let mut panel = Panel::from_columns(info, self.names, self.groups, group_of, columns);
        panel.components = components;
        panel.invalid = self
            .invalid
            .into_iter()
            .map(|(year, m, error)| InvalidFigure {
                year,
                component: m != Measure::Population,
                error,
            })
            .collect();
        panel.rounded = self
            .rounded
            .into_iter()
            .map(|(region, year, text)| RoundedFigure {
                region: region as usize,
                year,
                text,
            })
            .collect();
        // Components are few (they come with census-sized files): fill them in by cell.
        let mut birth_rates = Vec::new();
        let mut death_rates = Vec::new();
        for ((region, year, m), (value, _)) in self.components {
            let r = region as usize;
            match (m, value) {
                (Measure::Births, Value::Count(n)) => {
                    if let Some(d) = panel.details_mut(r, year) {
                        d.births = Some(n);
                    }
                }
                (Measure::Deaths, Value::Count(n)) => {
                    if let Some(d) = panel.details_mut(r, year) {
                        d.deaths = Some(n);
                    }
                }
                (Measure::NaturalRate, Value::Rate(rate)) => {
                    if let Some(d) = panel.details_mut(r, year) {
                        d.natural_rate = Some(rate);
                    }
                }
                (Measure::BirthRate, Value::Rate(rate)) => birth_rates.push((r, year, rate)),
                (Measure::DeathRate, Value::Rate(rate)) => death_rates.push((r, year, rate)),
                _ => {}
            }
        }
        // Natural growth rate = birth rate - death rate, exactly.
        let deaths: HashMap<(usize, i32), Decimal> = death_rates
            .into_iter()
            .map(|(r, y, d)| ((r, y), d))
            .collect();
        for (r, year, b) in birth_rates {
            let Some(&d) = deaths.get(&(r, year)) else {
                continue;
            };
            let natural = b.checked_sub(d).ok_or_else(|| Error::Overflow {
                what: "a natural growth rate".into(),
            })?;
            if let Some(det) = panel.details_mut(r, year) {
                det.natural_rate = Some(natural);
            }
        }
        Ok(panel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_pack_and_unpack() {
        let o = Origin {
            file: 3,
            line: 10_000_000_123,
            column: 70,
        };
        assert_eq!(Origin::unpack(o.pack()), o);
    }

    #[test]
    fn regions_are_found_again_by_key() {
        let mut acc = Accumulator::default();
        let a = acc.region(b"A", false, || Ok("A".into())).unwrap();
        let b = acc.region(b"B", false, || Ok("B".into())).unwrap();
        assert_eq!(acc.region(b"A", false, || Ok("x".into())).unwrap(), a);
        assert_ne!(a, b);
        // Mixing key kinds is not how the loader calls it (one run, one --region-col), but
        // it must not panic.
        assert!(acc.region(b"C\x1fD", true, || Ok("C, D".into())).is_ok());

        let mut acc = Accumulator::default();
        let cd = acc.region(b"C\x1fD", true, || Ok("C, D".into())).unwrap();
        let ce = acc.region(b"C\x1fE", true, || Ok("C, E".into())).unwrap();
        assert_ne!(cd, ce);
        assert_eq!(acc.region(b"C\x1fD", true, || Ok("?".into())).unwrap(), cd);
    }
}
