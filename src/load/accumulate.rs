//! Gathering rows into regions: one entry per region, year and measure, with the place it
//! came from, so that a contradiction can name both places.

use std::collections::HashMap;

use crate::error::{Error, InputError, Location, Result};
use crate::load::header::Measure;
use crate::number::Decimal;
use crate::panel::{ComponentsKind, InvalidFigure, Panel, PanelInfo, Region, RoundedFigure};

/// Where a value was read: file index, line, column name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Index into the accumulator's file labels.
    pub file: u32,
    /// 1-based line.
    pub line: u64,
    /// Index into the file's header.
    pub column: u32,
}

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

#[derive(Debug)]
struct Entry {
    year: i32,
    measure: Measure,
    value: Value,
    origin: Origin,
}

#[derive(Debug)]
struct RegionAcc {
    name: String,
    group: Option<(String, Origin)>,
    entries: Vec<Entry>,
}

/// Regions and their values from any number of files.
#[derive(Debug, Default)]
pub struct Accumulator {
    index: HashMap<Box<[u8]>, u32>,
    regions: Vec<RegionAcc>,
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
    pub fn add_file(&mut self, label: &str, header: Vec<String>) -> u32 {
        self.files.push(label.to_owned());
        self.headers.push(header);
        (self.files.len() - 1) as u32
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

    /// The index of the region with this key, created with `name` if new.
    pub fn region(&mut self, key: &[u8], name: impl FnOnce() -> String) -> u32 {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        let i = self.regions.len() as u32;
        self.regions.push(RegionAcc {
            name: name(),
            group: None,
            entries: Vec::new(),
        });
        self.index.insert(key.into(), i);
        i
    }

    /// Sets a region's group; a different group at another place is an error.
    pub fn set_group(&mut self, region: u32, group: &str, origin: Origin) -> Result<()> {
        let r = &self.regions[region as usize];
        match &r.group {
            None => {
                self.regions[region as usize].group = Some((group.to_owned(), origin));
                Ok(())
            }
            Some((g, _)) if g == group => Ok(()),
            Some((g, first)) => Err(Error::input(
                self.location(origin),
                format!(
                    "{} is in group {g:?} at {} but in another group here",
                    r.name,
                    self.location(*first)
                ),
                group,
                "a region belongs to one group; check the group column or identify regions \
                 by more columns with --region-col",
            )),
        }
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
        let r = &self.regions[region as usize];
        if let Some(e) = r
            .entries
            .iter()
            .find(|e| e.year == year && e.measure == measure)
        {
            if e.value == value {
                return Ok(());
            }
            return Err(Error::input(
                self.location(origin),
                format!(
                    "{} has two different {} figures for {year}: {value} here and {} at {}",
                    r.name,
                    measure.noun(),
                    e.value,
                    self.location(e.origin)
                ),
                value.to_string(),
                "if these are different regions that share a name, identify regions by more \
                 columns, e.g. --region-col CTYNAME,STNAME",
            ));
        }
        self.regions[region as usize].entries.push(Entry {
            year,
            measure,
            value,
            origin,
        });
        Ok(())
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
        let mut years: Vec<i32> = self
            .regions
            .iter()
            .flat_map(|r| r.entries.iter().map(|e| e.year))
            .chain(self.invalid.iter().map(|(y, _, _)| *y))
            .collect();
        years.sort_unstable();
        years.dedup();
        if info.dataset.is_empty() {
            info.dataset = self.files.join(", ");
        }
        let mut panel = Panel::new(info, years);
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
        for r in self.regions {
            let idx = panel.push_region(Region {
                name: r.name,
                aliases: Vec::new(),
                name_zh: None,
                group: r.group.map(|(g, _)| g),
            });
            let mut birth_rates = Vec::new();
            let mut death_rates = Vec::new();
            for e in r.entries {
                match (e.measure, e.value) {
                    (Measure::Population, Value::Count(n)) => {
                        panel.set_population(idx, e.year, Some(n));
                    }
                    (Measure::Births, Value::Count(n)) => {
                        if let Some(d) = panel.details_mut(idx, e.year) {
                            d.births = Some(n);
                        }
                    }
                    (Measure::Deaths, Value::Count(n)) => {
                        if let Some(d) = panel.details_mut(idx, e.year) {
                            d.deaths = Some(n);
                        }
                    }
                    (Measure::NaturalRate, Value::Rate(rate)) => {
                        if let Some(d) = panel.details_mut(idx, e.year) {
                            d.natural_rate = Some(rate);
                        }
                    }
                    (Measure::BirthRate, Value::Rate(rate)) => birth_rates.push((e.year, rate)),
                    (Measure::DeathRate, Value::Rate(rate)) => death_rates.push((e.year, rate)),
                    _ => {}
                }
            }
            // Natural growth rate = birth rate - death rate, exactly.
            for (year, b) in birth_rates {
                let Some(&(_, d)) = death_rates.iter().find(|(y, _)| *y == year) else {
                    continue;
                };
                let natural = b.checked_sub(d).ok_or_else(|| Error::Overflow {
                    what: "a natural growth rate".into(),
                })?;
                if let Some(det) = panel.details_mut(idx, year) {
                    det.natural_rate = Some(natural);
                }
            }
        }
        Ok(panel)
    }
}
