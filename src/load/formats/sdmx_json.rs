//! SDMX-JSON data messages, 1.0 and 2.0: what the OECD, the ABS, the ECB and the ILO APIs
//! answer in JSON.
//!
//! A message is a structure (dimensions at the data set, series and observation levels,
//! each with its values; attributes likewise) and data sets of observations keyed by the
//! positions of their codes. This reader writes each observation as the SDMX-CSV row the
//! same service would serve (`CODE: Label` cells) and hands them to the SDMX-CSV reader, so
//! that roles, units and flags are decided once. Figures keep the text the message wrote.

use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Most observations read from one message.
const MAX_OBSERVATIONS: usize = 10_000_000;

fn refuse(label: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "{label}: an SDMX-JSON message that popdelta cannot read: {why}"
    ))
}

/// A code of a component: its id and name; an attribute that is no code has only a name
/// (1.0) or a value (2.0).
#[derive(Deserialize)]
struct Code {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

impl Code {
    /// The code, or the text of an attribute that has none.
    fn text(&self) -> String {
        if self.id.is_empty() {
            self.value
                .clone()
                .or_else(|| self.name.clone())
                .unwrap_or_default()
        } else {
            self.id.clone()
        }
    }
}

/// A dimension or an attribute: its id and codes.
#[derive(Deserialize)]
struct Component {
    id: String,
    #[serde(default)]
    values: Vec<Code>,
}

/// Components by level.
#[derive(Deserialize, Default)]
struct Levels {
    #[serde(default, rename = "dataSet")]
    data_set: Vec<Component>,
    #[serde(default)]
    series: Vec<Component>,
    #[serde(default)]
    observation: Vec<Component>,
}

/// The attributes the SDMX-CSV reader reads: status, confidentiality, unit and multiplier.
const READ_ATTRIBUTES: &[&str] = &[
    "OBS_STATUS",
    "OBS_FLAG",
    "OBS_CONF",
    "CONF_STATUS",
    "UNIT_MULT",
    "UNIT_MEASURE",
];

impl Levels {
    /// Blanks the attributes the SDMX-CSV reader does not read, keeping their places.
    fn keep_read(&mut self) {
        for a in self
            .data_set
            .iter_mut()
            .chain(&mut self.series)
            .chain(&mut self.observation)
        {
            if !READ_ATTRIBUTES.contains(&a.id.as_str()) {
                a.id.clear();
            }
        }
    }
}

#[derive(Deserialize)]
struct Structure {
    #[serde(default)]
    dimensions: Levels,
    #[serde(default)]
    attributes: Levels,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct Series<'a> {
    #[serde(default)]
    attributes: Vec<Option<usize>>,
    #[serde(default, borrow)]
    observations: BTreeMap<String, Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct DataSet<'a> {
    #[serde(default, borrow)]
    series: BTreeMap<String, Series<'a>>,
    #[serde(default, borrow)]
    observations: BTreeMap<String, Vec<&'a RawValue>>,
    #[serde(default)]
    structure: Option<usize>,
}

/// Version 2.0: `data` holds the structures and the data sets.
#[derive(Deserialize)]
struct Data<'a> {
    #[serde(default)]
    structures: Vec<Structure>,
    #[serde(default)]
    structure: Option<Structure>,
    #[serde(default, borrow, rename = "dataSets")]
    data_sets: Vec<DataSet<'a>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(default, borrow)]
    data: Option<Data<'a>>,
    #[serde(default, borrow, rename = "dataSets")]
    data_sets: Option<Vec<DataSet<'a>>>,
    #[serde(default)]
    structure: Option<Structure>,
}

/// Whether a JSON document is an SDMX-JSON data message (it has `dataSets`, at the top or
/// under `data`, and a structure).
pub fn is_sdmx_json(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1 << 20)];
    let has = |k: &[u8]| head.windows(k.len()).any(|w| w == k);
    has(b"\"dataSets\"") && (has(b"\"structure\"") || has(b"\"structures\""))
}

/// A code as an SDMX-CSV cell: `ID: Name` where the message names it.
fn cell(c: &Code) -> String {
    match c.name.as_deref().filter(|n| !n.is_empty() && *n != c.id) {
        Some(n) => format!("{}: {n}", c.id),
        None => c.id.clone(),
    }
}

/// The codes a key (`0:2:1`) points at among `dims`, as cells.
fn keyed(label: &str, key: &str, dims: &[Component]) -> Result<Vec<String>> {
    let parts: Vec<&str> = if key.is_empty() {
        Vec::new()
    } else {
        key.split(':').collect()
    };
    if parts.len() != dims.len() {
        return Err(refuse(
            label,
            format!(
                "key {key:?} of {} positions where there are {} dimensions",
                parts.len(),
                dims.len()
            ),
        ));
    }
    parts
        .iter()
        .zip(dims)
        .map(|(p, d)| {
            let i: usize = p
                .parse()
                .map_err(|_| refuse(label, format!("key {key:?}")))?;
            d.values
                .get(i)
                .map(cell)
                .ok_or_else(|| refuse(label, format!("key {key:?}: no value {i} of {}", d.id)))
        })
        .collect()
}

/// The attributes' codes an observation's (or a series') indices point at.
fn attribute_cells(indices: &[Option<usize>], attrs: &[Component]) -> Vec<String> {
    attrs
        .iter()
        .enumerate()
        .map(|(k, a)| {
            indices
                .get(k)
                .copied()
                .flatten()
                .and_then(|i| a.values.get(i))
                .map(Code::text)
                .unwrap_or_default()
        })
        .collect()
}

/// An observation's figure and attribute indices, from `[value, attr, ...]`.
fn observation(label: &str, raw: &[&RawValue]) -> Result<(String, Vec<Option<usize>>)> {
    let value = match raw.first().map(|v| v.get().trim()) {
        None | Some("null") => String::new(),
        Some(v) => v.trim_matches('"').to_owned(),
    };
    let attrs = raw[1.min(raw.len())..]
        .iter()
        .map(|v| match v.get().trim() {
            "null" => Ok(None),
            t => t
                .parse()
                .map(Some)
                .map_err(|_| refuse(label, format!("attribute index {t}"))),
        })
        .collect::<Result<_>>()?;
    Ok((value, attrs))
}

/// The message in `bytes` as SDMX-CSV text.
pub fn to_sdmx_csv(label: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| refuse(label, format!("not UTF-8 (at byte {})", e.valid_up_to())))?;
    let mut m: Message = serde_json::from_str(text).map_err(|e| refuse(label, e))?;
    // Attributes that say nothing of the figures' unit or status (a series' title, the
    // time format) would read as dimensions in SDMX-CSV: left out, as attributes are.
    for s in m.structure.iter_mut().chain(
        m.data
            .iter_mut()
            .flat_map(|d| d.structures.iter_mut().chain(d.structure.iter_mut())),
    ) {
        s.attributes.keep_read();
    }
    let (structures, data_sets) = match m.data {
        Some(d) => {
            let mut s = d.structures;
            s.extend(d.structure);
            (s, d.data_sets)
        }
        None => (
            m.structure.into_iter().collect(),
            m.data_sets.unwrap_or_default(),
        ),
    };
    if data_sets.is_empty() || structures.is_empty() {
        return Err(refuse(label, "no data set or no structure"));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| refuse(label, e);
    let mut header_written = false;
    let mut count = 0usize;
    for ds in &data_sets {
        let st = structures
            .get(ds.structure.unwrap_or(0))
            .ok_or_else(|| refuse(label, "a data set of no structure"))?;
        let (dims, attrs) = (&st.dimensions, &st.attributes);
        let flow = st.name.clone().unwrap_or_else(|| "SDMX".to_owned());
        if !header_written {
            let mut header = vec!["DATAFLOW".to_owned()];
            header.extend(
                dims.data_set
                    .iter()
                    .chain(&dims.series)
                    .chain(&dims.observation)
                    .map(|d| d.id.clone()),
            );
            header.push("OBS_VALUE".into());
            header.extend(
                attrs
                    .data_set
                    .iter()
                    .chain(&attrs.series)
                    .chain(&attrs.observation)
                    .filter(|a| !a.id.is_empty())
                    .map(|a| a.id.clone()),
            );
            w.write_record(&header).map_err(io)?;
            header_written = true;
        }
        // Which attribute columns are written (those the SDMX-CSV reader reads).
        let read: Vec<bool> = attrs
            .data_set
            .iter()
            .chain(&attrs.series)
            .chain(&attrs.observation)
            .map(|a| !a.id.is_empty())
            .collect();
        let fixed: Vec<String> = dims
            .data_set
            .iter()
            .map(|d| d.values.first().map(cell).unwrap_or_default())
            .collect();
        let fixed_attrs: Vec<String> = attrs
            .data_set
            .iter()
            .map(|a| a.values.first().map(Code::text).unwrap_or_default())
            .collect();
        let mut row = |series_cells: &[String],
                       series_attrs: &[String],
                       key: &str,
                       raw: &[&RawValue]|
         -> Result<()> {
            count += 1;
            if count > MAX_OBSERVATIONS {
                return Err(refuse(
                    label,
                    format!("more than {MAX_OBSERVATIONS} observations"),
                ));
            }
            let (value, obs_attrs) = observation(label, raw)?;
            let mut record = vec![flow.clone()];
            record.extend(fixed.iter().cloned());
            record.extend(series_cells.iter().cloned());
            record.extend(keyed(label, key, &dims.observation)?);
            record.push(value);
            let all = fixed_attrs
                .iter()
                .cloned()
                .chain(series_attrs.iter().cloned())
                .chain(attribute_cells(&obs_attrs, &attrs.observation));
            record.extend(all.zip(&read).filter(|(_, r)| **r).map(|(c, _)| c));
            w.write_record(&record).map_err(io)
        };
        for (key, s) in &ds.series {
            let cells = keyed(label, key, &dims.series)?;
            let s_attrs = attribute_cells(&s.attributes, &attrs.series);
            for (k, raw) in &s.observations {
                row(&cells, &s_attrs, k, raw)?;
            }
        }
        let blank: Vec<String> = vec![String::new(); attrs.series.len()];
        for (k, raw) in &ds.observations {
            row(&[], &blank, k, raw)?;
        }
    }
    if count == 0 {
        return Err(refuse(label, "no observation"));
    }
    w.into_inner().map_err(|e| refuse(label, e.error()))
}
