//! JSON: the rows with plain numbers, and the metadata a script needs to read them right.

use crate::period::Period;
use std::io;

use serde::Serialize;
use serde::ser::{Error as _, SerializeMap};
use serde_json::value::RawValue;

use super::{Naming, Shape};
use crate::compute::{Comparison, Line};
use crate::number::Milli;
use crate::panel::{ComponentsKind, Panel, PanelInfo};

/// A ratio written as a JSON number with exactly three decimals, never through a float.
pub(super) fn milli<S: serde::Serializer>(
    m: Option<Milli>,
) -> Result<Option<Box<RawValue>>, S::Error> {
    m.map(|m| RawValue::from_string(m.to_string()).map_err(S::Error::custom))
        .transpose()
}

/// A population as a JSON number, or a value of another unit with its `decimals`.
pub(super) fn figure<S: serde::Serializer>(
    v: Option<i64>,
    decimals: u32,
) -> Result<Option<Box<RawValue>>, S::Error> {
    v.map(|n| {
        RawValue::from_string(crate::number::scaled(n.into(), decimals)).map_err(S::Error::custom)
    })
    .transpose()
}

struct Row<'a> {
    line: Line<'a>,
    from: Period,
    to: Period,
    shape: Shape,
    panel: &'a Panel,
}

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = &self.line;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("level", l.level.name())?;
        let (region, zh) = self.shape.names(l.region, l.region_zh);
        m.serialize_entry("region", &(!region.is_empty()).then_some(region))?;
        if let Some(zh) = zh.filter(|z| !z.is_empty()) {
            m.serialize_entry("region_zh", zh)?;
        }
        m.serialize_entry("group", &l.group)?;
        let d = self.shape.decimals;
        let prefix = if self.panel.info.values.is_some() {
            "value"
        } else {
            "pop"
        };
        m.serialize_entry(
            &format!("{prefix}_{}", self.from),
            &figure::<S>(l.pop_from, d)?,
        )?;
        m.serialize_entry(&format!("{prefix}_{}", self.to), &figure::<S>(l.pop_to, d)?)?;
        m.serialize_entry("change", &figure::<S>(l.change, d)?)?;
        m.serialize_entry("change_pct", &milli::<S>(l.change_pct)?)?;
        if self.shape.components {
            let c = l.components;
            m.serialize_entry("natural_increase", &c.map(|c| c.natural_increase))?;
            m.serialize_entry("net_migration", &c.map(|c| c.net_migration))?;
            let per = c.and_then(|c| c.net_migration_per_1000);
            m.serialize_entry("net_migration_per_1000", &milli::<S>(per)?)?;
        }
        if self.shape.residual {
            m.serialize_entry("residual", &l.components.and_then(|c| c.residual))?;
        }
        if let Some(v) = &self.panel.info.values {
            m.serialize_entry("unit", &v.unit)?;
        }
        // How far to trust the row: ± persons on each population and on the change, and the
        // lowest confidence of the figures in it where the source says.
        let q = &l.quality;
        if l.pop_from.is_some() {
            m.serialize_entry("precision_from", &q.precision_from)?;
        }
        if l.pop_to.is_some() {
            m.serialize_entry("precision_to", &q.precision_to)?;
        }
        if l.change.is_some() {
            m.serialize_entry("precision", &q.change())?;
        }
        if self.shape.components && l.components.is_some() {
            m.serialize_entry("precision_net_migration", &q.migration())?;
        }
        if let Some(c) = q.confidence_from {
            m.serialize_entry("confidence_from", c.name())?;
        }
        if let Some(c) = q.confidence_to {
            m.serialize_entry("confidence_to", c.name())?;
        }
        // Where a region's figures were found, and whether one is derived (bundled data).
        if let Some(r) = l.index {
            for (year, key, derived_key) in [
                (self.from, "source_from", "derived_from"),
                (self.to, "source_to", "derived_to"),
            ] {
                let Some(d) = self.panel.details(r as usize, year) else {
                    continue;
                };
                if let Some(source) = &d.source {
                    m.serialize_entry(key, source)?;
                }
                if d.derived {
                    m.serialize_entry(derived_key, &true)?;
                }
            }
        }
        if matches!(
            l.level,
            crate::compute::Level::Group | crate::compute::Level::Total
        ) {
            m.serialize_entry("regions", &l.regions)?;
            m.serialize_entry("declined", &l.declined)?;
            if self.shape.components {
                m.serialize_entry("lacking_components", &l.lacking_components)?;
            }
        }
        m.end()
    }
}

/// The rows, serialized one at a time as they are made: nothing held for millions.
struct Rows<'a> {
    cmp: &'a Comparison<'a>,
    shape: Shape,
}

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cmp = self.cmp;
        s.collect_seq(cmp.lines().map(|line| Row {
            line,
            from: cmp.from,
            to: cmp.to,
            shape: self.shape,
            panel: cmp.panel,
        }))
    }
}

#[derive(Serialize)]
struct ExcludedOut<'a> {
    region: &'a str,
    missing_years: &'a [Period],
}

#[derive(Serialize)]
struct Document<'a> {
    dataset: &'a str,
    description: &'a str,
    from: Period,
    to: Period,
    unit: &'a str,
    /// Whether group and total rows sum the regions (not for values of another unit).
    totalled: bool,
    source_unit: &'a str,
    grouping: Option<&'a str>,
    sources: &'a [String],
    components: Option<&'static str>,
    columns: Vec<String>,
    hidden_regions: usize,
    rows: Rows<'a>,
    excluded: Vec<ExcludedOut<'a>>,
    notes: Vec<String>,
}

/// Writes one JSON object per row, a row per line, for streaming tools.
pub fn write_lines(
    out: &mut dyn io::Write,
    cmp: &Comparison,
    naming: Option<Naming>,
) -> io::Result<()> {
    let shape = Shape::of(cmp, naming, Naming::Both);
    for line in cmp.lines() {
        let row = Row {
            line,
            from: cmp.from,
            to: cmp.to,
            shape,
            panel: cmp.panel,
        };
        serde_json::to_writer(&mut *out, &row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the comparison as one pretty-printed JSON document.
pub fn write<'a>(
    out: &mut dyn io::Write,
    cmp: &'a Comparison<'a>,
    info: &'a PanelInfo,
    naming: Option<Naming>,
) -> io::Result<()> {
    let shape = Shape::of(cmp, naming, Naming::Both);
    let doc = Document {
        dataset: &info.dataset,
        description: &info.description,
        from: cmp.from,
        to: cmp.to,
        unit: info.values.as_ref().map_or("persons", |v| v.unit.as_str()),
        totalled: cmp.totalled(),
        source_unit: &info.source_unit,
        grouping: info.grouping.as_deref(),
        sources: &info.sources,
        components: match cmp.components {
            ComponentsKind::None => None,
            ComponentsKind::Counts => Some("births and deaths"),
            ComponentsKind::Rates => Some("natural growth rates"),
        },
        columns: super::columns(cmp, shape),
        hidden_regions: cmp.hidden,
        rows: Rows { cmp, shape },
        excluded: cmp
            .excluded
            .iter()
            .map(|e| ExcludedOut {
                region: &e.region,
                missing_years: &e.missing,
            })
            .collect(),
        notes: info
            .notes
            .iter()
            .cloned()
            .chain(super::table::region_notes(info, |r| {
                cmp.region(r).is_some()
            }))
            .chain(cmp.notes.iter().map(super::notes::phrase))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
