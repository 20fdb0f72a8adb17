//! Gathering rows into regions: one value per region, year and measure, with the place it
//! came from, so that a contradiction can name both places.
//!
//! Built for millions of regions in random order: names are stored end to end, the table
//! from key to region holds only indices, and populations sit in one column per year. A
//! region costs some 60 bytes besides its name.

use crate::period::Period;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::load::table::{Entry, Table};

use crate::error::{Error, InputError, Location, Result};
use crate::load::cube::Series;
use crate::load::layout::names::Measure;
use crate::load::records::Start;
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
    /// The origin in 64 bits.
    pub fn pack(self) -> u64 {
        let file = u64::from(self.file.min((1 << FILE_BITS) - 1));
        let column = u64::from(self.column.min((1 << COLUMN_BITS) - 1));
        let line = self.line.min((1 << LINE_BITS) - 1);
        (file << (COLUMN_BITS + LINE_BITS)) | (column << LINE_BITS) | line
    }

    /// An origin from its 64 bits.
    pub fn unpack(v: u64) -> Origin {
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

/// A row's group label: its bytes, a way to check them as text, and where they stand.
pub struct GroupLabel<'a> {
    /// The label as read.
    pub bytes: &'a [u8],
    /// The label as text, or the error saying it is not.
    pub text: &'a dyn Fn() -> Result<String>,
    /// Where it was read.
    pub origin: Origin,
}

/// One year's populations: a value and its place per region. The places are only
/// written, and read for an error message, so they do not slow the values down.
#[derive(Debug)]
struct Column {
    year: Period,
    values: Vec<i64>,
    origins: Vec<u64>,
}

/// Regions and their values from any number of files.
#[derive(Debug, Default)]
pub struct Accumulator {
    hasher: foldhash::fast::FixedState,
    table: Table,
    /// Display names ("Autauga County, Alabama").
    names: Names,
    /// Lookup keys, when they differ from the names (several region columns).
    keys: Names,
    /// Whether `keys` is kept: decided by the first region (one run uses one key kind).
    separate: bool,
    groups: Vec<String>,
    group_ids: HashMap<Vec<u8>, u32, foldhash::fast::FixedState>,
    /// The last group label looked up and its id: rows of one group often come together.
    last_group: (Vec<u8>, u32),
    /// Per region, in order: where its group was set.
    group_origin: Vec<u64>,
    columns: Vec<Column>,
    /// The column of the year last used: rows of one year often come together.
    last_column: usize,
    /// How many regions the input is expected to hold, to size new columns.
    expected: usize,
    components: HashMap<(u32, Period, Measure), (Value, u64)>,
    /// File labels, as the user named them.
    files: Vec<String>,
    /// Each file's header, to name columns in messages.
    headers: Vec<Vec<String>>,
    /// How each file's places are named (lines, a sheet's cells).
    starts: Vec<Start>,
    /// The first unreadable figure of each year and measure.
    invalid: Vec<(Period, Measure, InputError)>,
    /// Figures rounded on request: region, year, text.
    rounded: Vec<(u32, Period, Box<str>)>,
    /// Regions the file marks as totals of others, and why.
    aggregates: Vec<(u32, String)>,
    /// The column (or dimension) of the regions, where a reader names it.
    geo_column: Option<String>,
    /// Links the file states from a whole to a part (JSON-stat's `child`), with why.
    links: Vec<(u32, u32)>,
    /// Why a linked whole is a total, where the figures do not confirm the links.
    link_reasons: Vec<(u32, String)>,
    /// Each region's code, where codes nest by prefix.
    codes: Vec<(u32, String)>,
    /// Other names regions are found by (a World Bank country code beside its name).
    aliases: Vec<(u32, String)>,
    /// Where the figures are values of another unit than persons: the unit and decimals.
    values: Option<crate::panel::ValueUnit>,
    /// Whether some figures were read as persons.
    persons: bool,
}

impl Accumulator {
    /// Registers a file, its header and how its places are named; returns the file's
    /// index.
    pub fn add_file(&mut self, label: &str, header: Vec<String>, start: Start) -> Result<u32> {
        if self.files.len() >= MAX_FILES {
            return Err(Error::Usage(format!(
                "at most {MAX_FILES} files can be read in one run"
            )));
        }
        self.files.push(label.to_owned());
        self.headers.push(header);
        self.starts.push(start);
        Ok((self.files.len() - 1) as u32)
    }

    /// The location of an origin, for messages.
    pub fn location(&self, o: Origin) -> Location {
        let file = self.files.get(o.file as usize).map_or("", String::as_str);
        let name = self
            .headers
            .get(o.file as usize)
            .and_then(|h| h.get(o.column as usize))
            .cloned();
        let start = self
            .starts
            .get(o.file as usize)
            .cloned()
            .unwrap_or_default();
        start.place(file, o.line, Some(o.column), name)
    }

    /// Makes room for about `regions` more regions and `years` year columns: a large
    /// file's table and columns are sized once instead of doubling (and copying, and
    /// zeroing fresh pages) some twenty times.
    pub fn expect(&mut self, regions: usize, name_bytes: usize) {
        self.table.reserve(regions);
        self.names
            .reserve(regions, regions.saturating_mul(name_bytes));
        let total = self.names.len() + regions;
        self.group_origin.reserve(regions);
        self.expected = total;
    }

    /// The table hash of a key.
    pub fn hash(&self, key: &[u8]) -> u32 {
        self.hasher.hash_one(key) as u32
    }

    /// Brings a key's table slot into cache ahead of its lookup (the next row's, say).
    pub fn touch(&self, key: &[u8]) {
        self.table.touch(self.hash(key));
    }

    /// The id (index + 1) of a group label given as bytes; checked as text when new.
    fn group_id(&mut self, label: &[u8], text: impl FnOnce() -> Result<String>) -> Result<u32> {
        if self.last_group.1 != 0 && self.last_group.0 == label {
            return Ok(self.last_group.1);
        }
        let id = match self.group_ids.get(label) {
            Some(&id) => id,
            None => {
                self.groups.push(text()?);
                let id = self.groups.len() as u32;
                self.group_ids.insert(label.to_vec(), id);
                id
            }
        };
        self.last_group = (label.to_vec(), id);
        Ok(id)
    }

    /// The index of the region with this key. A new key is named by `name` (which checks
    /// the bytes are text); `separate_key` says whether the key differs from the name.
    /// With `group` (the label's bytes, a way to check them as text, and where they
    /// stand), the region's group is set, or checked against the one it has.
    pub fn region(
        &mut self,
        key: &[u8],
        separate_key: bool,
        name: impl FnOnce() -> Result<String>,
        group: Option<GroupLabel>,
    ) -> Result<u32> {
        if self.names.is_empty() {
            self.separate = separate_key;
        }
        let group_id = match &group {
            Some(g) => self.group_id(g.bytes, g.text)?,
            None => 0,
        };
        let hash = self.hash(key);
        let store = if self.separate {
            &self.keys
        } else {
            &self.names
        };
        if let Some(entry) = self
            .table
            .find_mut(hash, key, |i| store.get(i as usize).as_bytes() == key)
        {
            let (index, current) = (entry.index, entry.group);
            if current == group_id || group.is_none() {
                return Ok(index);
            }
            if current == 0 {
                entry.group = group_id;
                return Ok(index);
            }
            let origin = group.map_or(Origin::unpack(0), |g| g.origin);
            return Err(self.group_conflict(index, current, group_id, origin));
        }
        let name = name()?;
        let index = self.names.push(&name) as u32;
        if self.separate {
            // Keys are the region fields joined by U+001F, which text never holds.
            self.keys.push(std::str::from_utf8(key).unwrap_or(&name));
        }
        self.group_origin.push(group.map_or(0, |g| g.origin.pack()));
        self.table.insert(Entry::new(index, hash, group_id, key));
        Ok(index)
    }

    fn group_conflict(&self, region: u32, current: u32, new: u32, origin: Origin) -> Error {
        let label = |id: u32| {
            self.groups
                .get(id.saturating_sub(1) as usize)
                .map_or("", String::as_str)
        };
        let first = Origin::unpack(self.group_origin.get(region as usize).copied().unwrap_or(0));
        Error::input(
            self.location(origin),
            format!(
                "{} is in group {:?} at {} but in another group here",
                self.names.get(region as usize),
                label(current),
                self.location(first)
            ),
            label(new),
            "a region belongs to one group; check the group column or identify regions by \
             more columns with --region-col",
        )
    }

    /// The population column of a year, made if new.
    fn column(&mut self, year: Period) -> &mut Column {
        if self
            .columns
            .get(self.last_column)
            .is_none_or(|c| c.year != year)
        {
            self.last_column = match self.columns.iter().position(|c| c.year == year) {
                Some(i) => i,
                None => {
                    let mut values = Vec::with_capacity(self.expected);
                    let mut origins = Vec::with_capacity(self.expected);
                    crate::load::table::advise_huge_pages(values.spare_capacity_mut());
                    crate::load::table::advise_huge_pages(origins.spare_capacity_mut());
                    self.columns.push(Column {
                        year,
                        values,
                        origins,
                    });
                    self.columns.len() - 1
                }
            };
        }
        &mut self.columns[self.last_column]
    }

    /// Two different values for one region, year and measure: `(value, where)` each.
    fn conflict(
        &self,
        region: u32,
        year: Period,
        measure: Measure,
        (old, first): (Value, Origin),
        (new, origin): (Value, Origin),
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
             columns with --region-col (e.g. CTYNAME,STNAME); if the file holds several \
             breakdowns of each region (sexes, indicators), keep one with --where COL=VALUE",
        )
    }

    /// Records a value; the same value twice is fine, a different one is an error.
    pub fn add(
        &mut self,
        region: u32,
        year: Period,
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
                (Value::Count(old), first),
                (value, origin),
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
                (old, Origin::unpack(first)),
                (value, origin),
            )),
        }
    }

    /// A region's name, for messages.
    pub fn region_name(&self, region: u32) -> &str {
        self.names.get(region as usize)
    }

    /// Puts a series of a cube's slice (figures by region) in as the `measure` of `year`:
    /// a whole column moves in as it is where the year has none yet; otherwise each
    /// figure is added, and one that differs from what is there is refused.
    pub fn put_series(&mut self, year: Period, measure: Measure, series: Series) -> Result<()> {
        if measure.is_rate() {
            for (r, figure, origin) in series.figures() {
                if let Some(d) = figure.to_decimal() {
                    self.add(r as u32, year, measure, Value::Rate(d), origin)?;
                }
            }
            return Ok(());
        }
        if !series.is_whole() {
            // Fractions of persons are refused or rounded as they are read.
            return Ok(());
        }
        let (values, origins) = series.into_parts();
        if measure != Measure::Population {
            for (r, (&v, &o)) in values.iter().zip(&origins).enumerate() {
                if v != Series::EMPTY {
                    self.add(r as u32, year, measure, Value::Count(v), Origin::unpack(o))?;
                }
            }
            return Ok(());
        }
        let col = self.column(year);
        if col.values.iter().all(|&v| v == Panel::MISSING) {
            // Series and panel mark an empty cell alike.
            const _: () = assert!(Series::EMPTY == Panel::MISSING);
            col.values = values;
            col.origins = origins;
            return Ok(());
        }
        self.merge_whole(year, &values, &origins)
    }

    /// Adds whole populations of `year`, by region, to a column that has some already.
    fn merge_whole(&mut self, year: Period, values: &[i64], origins: &[u64]) -> Result<()> {
        for (r, (&v, &o)) in values.iter().zip(origins).enumerate() {
            if v != Series::EMPTY {
                let origin = Origin::unpack(o);
                self.add(r as u32, year, Measure::Population, Value::Count(v), origin)?;
            }
        }
        Ok(())
    }

    /// Says the figures read are values of `unit` with `decimals`; refused where other
    /// figures of the run are persons or values of another unit (`at`: where).
    pub fn values(&mut self, unit: &str, decimals: u32, at: Location) -> Result<()> {
        let clash = match &self.values {
            _ if self.persons => Some("persons".to_owned()),
            Some(v) if v.unit != unit || v.decimals != decimals => {
                Some(format!("values in {} with {} decimals", v.unit, v.decimals))
            }
            _ => None,
        };
        if let Some(other) = clash {
            return Err(Error::input(
                at,
                format!("the figures are values in {unit}, but the inputs before hold {other}"),
                "",
                "compare figures of one unit at a time",
            ));
        }
        self.values = Some(crate::panel::ValueUnit {
            unit: unit.to_owned(),
            decimals,
        });
        Ok(())
    }

    /// Notes an unreadable figure; it becomes an error if a comparison uses its year.
    pub fn invalid(&mut self, year: Period, measure: Measure, error: Error) {
        let Error::Input(e) = error else { return };
        if !self
            .invalid
            .iter()
            .any(|(y, m, _)| *y == year && *m == measure)
        {
            self.invalid.push((year, measure, *e));
        }
    }

    /// Marks a region as a total of others, for `why`.
    pub fn aggregate(&mut self, region: u32, why: &str) {
        if !self.aggregates.iter().any(|(r, _)| *r == region) {
            self.aggregates.push((region, why.to_owned()));
        }
    }

    /// Records that the file says region `part` lies within `whole` (JSON-stat's `child`);
    /// `why` says so where the figures cannot confirm it.
    pub fn link(&mut self, whole: u32, part: u32, why: &str) {
        self.links.push((whole, part));
        if !self.link_reasons.iter().any(|(r, _)| *r == whole) {
            self.link_reasons.push((whole, why.to_owned()));
        }
    }

    /// Refuses regions of several classifications of one whole side by side (Statistics
    /// Finland's areas: 309 municipalities KU..., 19 regions MK..., 69 sub-regions SK...,
    /// each summing to the country): summed together they count everyone many times over.
    /// Told by their codes' letters, where two groups of regions that no tree sets apart sum
    /// to the same figure in the latest period.
    fn refuse_parallel_classifications(
        files: &str,
        geo_column: Option<&str>,
        codes: &[(u32, String)],
        panel: &Panel,
    ) -> Result<()> {
        let prefix = |c: &str| -> String {
            c.chars()
                .take_while(|ch| ch.is_ascii_alphabetic())
                .collect()
        };
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (r, code) in codes {
            let (r, p) = (*r as usize, prefix(code));
            if p.is_empty() || p.len() == code.len() || panel.aggregate(r).is_some() {
                continue;
            }
            match groups.iter_mut().find(|(q, _)| *q == p) {
                Some((_, rs)) => rs.push(r),
                None => groups.push((p, vec![r])),
            }
        }
        groups.retain(|(_, rs)| rs.len() >= 2);
        let Some(&last) = panel.years_with_data().last() else {
            return Ok(());
        };
        if groups.len() < 2 {
            return Ok(());
        }
        let sum = |rs: &[usize]| -> Option<i128> {
            rs.iter().try_fold(0i128, |s, &r| {
                Some(s + i128::from(panel.population(r, last)?))
            })
        };
        let sums: Vec<(String, usize, Option<i128>)> = groups
            .iter()
            .map(|(p, rs)| (p.clone(), rs.len(), sum(rs)))
            .collect();
        let parallel: Vec<&(String, usize, Option<i128>)> = sums
            .iter()
            .filter(|(_, _, s)| s.is_some() && sums.iter().filter(|o| o.2 == *s).count() >= 2)
            .collect();
        if parallel.len() < 2 {
            return Ok(());
        }
        let largest = parallel
            .iter()
            .max_by_key(|g| g.1)
            .map_or("", |g| g.0.as_str());
        let listed: Vec<String> = parallel
            .iter()
            .map(|(p, n, _)| format!("{p} ({n})"))
            .collect();
        let column = geo_column.unwrap_or("REGION");
        Err(Error::Usage(format!(
            "{files}: the regions are several classifications of one whole side by side, whose \
             codes' letters tell them apart and which sum to the same figure in {last}: {}; \
             summed together they would count everyone {} times: keep one with --where \
             '{column}={largest}*'",
            crate::error::listed(listed.iter(), ", "),
            parallel.len()
        )))
    }

    /// Names the column (or dimension) of the regions, for messages.
    pub fn geo_column(&mut self, name: &str) {
        self.geo_column = Some(name.to_owned());
    }

    /// Records another name a region is found by (`--groups`, `--region`).
    pub fn alias(&mut self, region: u32, alias: &str) {
        if !alias.is_empty() && self.aliases.last().is_none_or(|(r, _)| *r != region) {
            self.aliases.push((region, alias.to_owned()));
        }
    }

    /// Records a region's code (one that may hold others by prefix).
    pub fn code(&mut self, region: u32, code: &str) {
        if !code.is_empty() && self.codes.last().is_none_or(|(r, _)| *r != region) {
            self.codes.push((region, code.to_owned()));
        }
    }

    /// Notes a figure rounded to whole persons.
    pub fn rounded(&mut self, region: u32, year: Period, text: &str) {
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
        // The values move into the panel as they are; the places are no longer needed.
        let mut columns: Vec<(Period, Vec<i64>)> = self
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
        let mut group_of = vec![None; self.names.len()];
        for e in self.table.entries() {
            if let Some(slot) = group_of.get_mut(e.index as usize) {
                *slot = e.group.checked_sub(1);
            }
        }
        drop(self.table);
        info.values = self.values;
        let mut panel = Panel::from_columns(info, self.names, self.groups, group_of, columns);
        panel.components = components;
        for (r, why) in &self.aggregates {
            panel.set_aggregate(*r as usize, why);
        }
        let codes = self.codes.clone();
        let (files, geo_column) = (self.files.join(", "), self.geo_column.clone());
        panel.mark_code_tree(self.codes);
        if !panel.mark_linked_tree(&self.links) {
            // Links the figures cannot confirm (rates, or parts missing): the wholes the file
            // names are set apart, never summed.
            for (r, why) in &self.link_reasons {
                panel.set_aggregate(*r as usize, why);
            }
        }
        panel.mark_named_wholes();
        Self::refuse_parallel_classifications(&files, geo_column.as_deref(), &codes, &panel)?;
        for (r, alias) in &self.aliases {
            panel.add_alias(*r as usize, alias);
        }
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
                (Measure::NetMigration, Value::Count(n)) => {
                    if let Some(d) = panel.details_mut(r, year) {
                        d.net_migration = Some(n);
                    }
                }
                (Measure::BirthRate, Value::Rate(rate)) => birth_rates.push((r, year, rate)),
                (Measure::DeathRate, Value::Rate(rate)) => death_rates.push((r, year, rate)),
                _ => {}
            }
        }
        // Natural growth rate = birth rate - death rate, exactly.
        let deaths: HashMap<(usize, Period), Decimal> = death_rates
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
        let a = acc.region(b"A", false, || Ok("A".into()), None).unwrap();
        let b = acc.region(b"B", false, || Ok("B".into()), None).unwrap();
        assert_eq!(acc.region(b"A", false, || Ok("x".into()), None).unwrap(), a);
        assert_ne!(a, b);
        // Mixing key kinds is not how the loader calls it (one run, one --region-col), but
        // it must not panic.
        assert!(
            acc.region(b"C\x1fD", true, || Ok("C, D".into()), None)
                .is_ok()
        );

        let mut acc = Accumulator::default();
        let cd = acc
            .region(b"C\x1fD", true, || Ok("C, D".into()), None)
            .unwrap();
        let ce = acc
            .region(b"C\x1fE", true, || Ok("C, E".into()), None)
            .unwrap();
        assert_ne!(cd, ce);
        assert_eq!(
            acc.region(b"C\x1fD", true, || Ok("?".into()), None)
                .unwrap(),
            cd
        );
        let long = b"a name longer than nineteen bytes";
        let l = acc.region(long, true, || Ok("long".into()), None).unwrap();
        assert_eq!(acc.region(long, true, || Ok("?".into()), None).unwrap(), l);
    }
}
