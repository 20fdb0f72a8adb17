//! JSON-stat (2.0, and 1.x bundles): a dataset is laid out as the long text the ordinary
//! reader reads (SDMX-CSV's columns), so one set of rules reads it.
//!
//! Each dimension but time and geography becomes a column of its category ids (for
//! `--where`); the geographic dimension becomes `region` (its labels) and `code` (its
//! ids); the time dimension `TIME_PERIOD`; the figure `OBS_VALUE`, written as the file
//! writes it (never through a float); the status `OBS_FLAG`. The dataset's label, and the
//! unit where stated, stand above the header, where the reader looks for a unit.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::load::pipe::Piped;

/// A JSON-stat dataset as the file holds it; `value` is kept as its text.
#[derive(Deserialize)]
struct Dataset<'a> {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    id: Option<Vec<String>>,
    #[serde(default)]
    size: Option<Vec<u64>>,
    #[serde(default)]
    role: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    dimension: BTreeMap<String, Value>,
    #[serde(borrow, default)]
    value: Option<&'a RawValue>,
    #[serde(borrow, default)]
    status: Option<&'a RawValue>,
}

/// One dimension: its id, label and categories (ids and labels, in order).
#[derive(Debug, Clone)]
struct Dimension {
    id: String,
    label: String,
    ids: Vec<String>,
    labels: Vec<String>,
}

/// What was read, for the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The dataset's label.
    pub label: String,
    /// The dimension read as the regions.
    pub geo: Option<String>,
    /// The dimension read as the years.
    pub time: String,
    /// The other dimensions, each with its categories' count.
    pub others: Vec<(String, usize)>,
}

/// The largest JSON file read: a parsed file costs a few times its size.
pub const MAX_JSON: u64 = 256 << 20;

/// Most figures a dataset may lay out (its sizes' product, for the array form).
const MAX_CELLS: u64 = 10_000_000;

/// Time dimension ids, where `role` does not say.
const TIME_IDS: &[&str] = &[
    "time",
    "tid",
    "year",
    "years",
    "time_period",
    "period",
    "vuosi",
    "år",
    "ar",
    "jahr",
    "année",
    "año",
    "anno",
    "periodo",
    "periode",
    "ár",
    "ano",
];

/// Words of a geographic dimension's id or label, where `role` and the ids SDMX uses do not
/// say.
const GEO_WORDS: &[&str] = &[
    "geo",
    "region",
    "area",
    "country",
    "county",
    "municipal",
    "kommun",
    "fylke",
    "län",
    "alue",
    "province",
    "state",
    "reporting",
    "ref_area",
    "territor",
    "nuts",
];

fn refuse(label: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{label}: {why}"))
}

/// The one dataset of a JSON-stat file (a dataset, a collection or a 1.x bundle).
fn select<'a>(label: &str, bytes: &'a [u8], choice: Option<&str>) -> Result<Dataset<'a>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let not_json_stat = || {
        Error::Usage(format!(
            "{label} is JSON, but not JSON-stat; popdelta reads JSON-stat datasets, CSV and \
             TSV text, xlsx, xls and ods workbooks, and gz and zip archives of them: export \
             it as CSV"
        ))
    };
    let top: BTreeMap<String, &RawValue> = match serde_json::from_slice(bytes) {
        Ok(top) => top,
        // Valid JSON of another shape (an array of records) is not JSON-stat.
        Err(e) if !e.is_syntax() && !e.is_eof() => return Err(not_json_stat()),
        Err(e) => {
            return Err(refuse(
                label,
                format!("JSON that popdelta cannot read ({e})"),
            ));
        }
    };
    let class = top
        .get("class")
        .and_then(|c| serde_json::from_str::<String>(c.get()).ok());
    let dataset: Dataset = match class.as_deref() {
        Some("dataset") => parse(label, bytes)?,
        Some("collection") => one_of_collection(label, &top, choice)?,
        Some(other) => {
            return Err(refuse(
                label,
                format!(
                    "a JSON-stat {other}, not a dataset; popdelta reads a dataset (or a \
                     collection holding one)"
                ),
            ));
        }
        // JSON-stat 1.x: a bundle of named datasets.
        None if top.values().any(|v| has_key(v, "dimension")) => {
            one_of_bundle(label, &top, choice)?
        }
        None => return Err(not_json_stat()),
    };
    Ok(dataset)
}

/// Whether a raw JSON object has a key (its text holds it as a key at the top level
/// enough for telling a bundle's datasets).
fn has_key(v: &RawValue, key: &str) -> bool {
    serde_json::from_str::<BTreeMap<String, &RawValue>>(v.get())
        .map(|m| m.contains_key(key))
        .unwrap_or(false)
}

fn parse<'a>(label: &str, text: &'a [u8]) -> Result<Dataset<'a>> {
    serde_json::from_slice(text).map_err(|e| refuse(label, format!("a JSON-stat dataset {e}")))
}

/// The one dataset of a collection that carries its figures.
fn one_of_collection<'a>(
    label: &str,
    top: &BTreeMap<String, &'a RawValue>,
    choice: Option<&str>,
) -> Result<Dataset<'a>> {
    #[derive(Deserialize)]
    struct Link<'a> {
        #[serde(borrow, default)]
        item: Vec<&'a RawValue>,
    }
    let items = match top.get("link") {
        Some(l) => {
            serde_json::from_str::<Link>(l.get())
                .map_err(|e| refuse(label, format!("a JSON-stat collection {e}")))?
                .item
        }
        None => Vec::new(),
    };
    let with_figures: Vec<&RawValue> = items
        .into_iter()
        .filter(|i| has_key(i, "value") && has_key(i, "dimension"))
        .collect();
    let label_of = |i: &RawValue| {
        serde_json::from_str::<BTreeMap<String, &RawValue>>(i.get())
            .ok()
            .and_then(|m| serde_json::from_str::<String>(m.get("label")?.get()).ok())
            .unwrap_or_default()
    };
    if let Some(want) = choice {
        return match with_figures.iter().find(|i| label_of(i) == want) {
            Some(one) => parse(label, one.get().as_bytes()),
            None => Err(refuse(
                label,
                format!(
                    "--sheet {want:?}: no dataset of the collection is labelled so; its \
                     datasets: {}",
                    listed(with_figures.iter().map(|i| label_of(i)))
                ),
            )),
        };
    }
    match with_figures[..] {
        [one] => parse(label, one.get().as_bytes()),
        [] => Err(refuse(
            label,
            "a JSON-stat collection of links, with no dataset's figures in it; download one \
             of its datasets",
        )),
        _ => Err(refuse(
            label,
            format!(
                "a JSON-stat collection of {} datasets; name one with --sheet LABEL: {}",
                with_figures.len(),
                listed(with_figures.iter().map(|i| label_of(i)))
            ),
        )),
    }
}

/// Names for a message: the first ten, quoted, and how many more.
fn listed(names: impl Iterator<Item = String>) -> String {
    let names: Vec<String> = names.collect();
    let mut out: Vec<String> = names.iter().take(10).map(|n| format!("{n:?}")).collect();
    if names.len() > 10 {
        out.push(format!("and {} more", names.len() - 10));
    }
    out.join(", ")
}

/// The one dataset of a JSON-stat 1.x bundle.
fn one_of_bundle<'a>(
    label: &str,
    top: &BTreeMap<String, &'a RawValue>,
    choice: Option<&str>,
) -> Result<Dataset<'a>> {
    let mut named: Vec<(&String, &&RawValue)> = top
        .iter()
        .filter(|(_, v)| has_key(v, "dimension"))
        .collect();
    if let Some(want) = choice {
        let all = listed(named.iter().map(|(n, _)| n.to_string()));
        named.retain(|(n, _)| n.as_str() == want);
        if named.is_empty() {
            return Err(refuse(
                label,
                format!(
                    "--sheet {want:?}: no dataset of the bundle is named so; its datasets: {all}"
                ),
            ));
        }
    }
    match named[..] {
        [(_, one)] => {
            let mut d = parse(label, one.get().as_bytes())?;
            // 1.x keeps id, size and role inside `dimension`.
            let take = |d: &mut Dataset, key: &str| d.dimension.remove(key);
            if d.id.is_none() {
                d.id = take(&mut d, "id").and_then(|v| serde_json::from_value(v).ok());
            }
            if d.size.is_none() {
                d.size = take(&mut d, "size").and_then(|v| serde_json::from_value(v).ok());
            }
            if d.role.is_none() {
                d.role = take(&mut d, "role").and_then(|v| serde_json::from_value(v).ok());
            }
            Ok(d)
        }
        _ => Err(refuse(
            label,
            format!(
                "a JSON-stat bundle of {} datasets; name one with --sheet NAME: {}",
                named.len(),
                listed(named.iter().map(|(n, _)| n.to_string()))
            ),
        )),
    }
}

/// A dimension's categories in order, from `category.index` (an array or an object of
/// positions) or, with a single category, `category.label`.
fn dimension(label: &str, id: &str, v: &Value, size: u64) -> Result<Dimension> {
    let category = v.get("category");
    let labels_of = category
        .and_then(|c| c.get("label"))
        .and_then(Value::as_object);
    let ids: Vec<String> = match category.and_then(|c| c.get("index")) {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect(),
        Some(Value::Object(o)) => {
            let mut pairs: Vec<(u64, &String)> = o
                .iter()
                .map(|(k, p)| {
                    p.as_u64().map(|p| (p, k)).ok_or_else(|| {
                        refuse(
                            label,
                            format!("dimension {id}: category {k} has no position"),
                        )
                    })
                })
                .collect::<Result<_>>()?;
            pairs.sort();
            pairs.into_iter().map(|(_, k)| k.clone()).collect()
        }
        _ => labels_of
            .map(|l| l.keys().cloned().collect())
            .unwrap_or_default(),
    };
    if ids.len() as u64 != size {
        return Err(refuse(
            label,
            format!(
                "dimension {id} has {} categories, but the dataset's size says {size}",
                ids.len()
            ),
        ));
    }
    let labels = ids
        .iter()
        .map(|c| {
            labels_of
                .and_then(|l| l.get(c))
                .and_then(Value::as_str)
                .unwrap_or(c)
                .to_owned()
        })
        .collect();
    Ok(Dimension {
        id: id.to_owned(),
        label: v
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or(id)
            .to_owned(),
        ids,
        labels,
    })
}

/// The unit the metric dimension states for all its categories, if one.
fn unit(d: &Dataset, metric: Option<&str>) -> Option<String> {
    let dims: Vec<&Value> = match metric {
        Some(m) => d.dimension.get(m).into_iter().collect(),
        None => d.dimension.values().collect(),
    };
    let mut units = dims
        .iter()
        .filter_map(|v| v.get("category")?.get("unit")?.as_object())
        .flat_map(|o| o.values())
        .filter_map(|u| {
            u.get("label")
                .or_else(|| u.get("base"))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        });
    let first = units.next()?;
    units.all(|u| u == first).then(|| first.to_owned())
}

/// A figure's text as the file writes it: `""` for null, a string's content, a number's
/// digits.
fn figure(raw: &RawValue) -> String {
    let text = raw.get().trim();
    if text == "null" {
        return String::new();
    }
    if text.starts_with('"') {
        return serde_json::from_str::<String>(text).unwrap_or_default();
    }
    text.to_owned()
}

/// How a dataset is laid out as rows: its dimensions and which are time and geography.
struct Layout {
    dims: Vec<Dimension>,
    sizes: Vec<u64>,
    strides: Vec<u64>,
    total: u64,
    time: usize,
    geo: Option<usize>,
    heading: String,
    header: Vec<String>,
}

fn layout(label: &str, d: &Dataset) -> Result<Layout> {
    let (Some(ids), Some(sizes)) = (d.id.clone(), d.size.clone()) else {
        return Err(refuse(
            label,
            "a JSON-stat dataset without \"id\" and \"size\"",
        ));
    };
    if ids.len() != sizes.len() || ids.is_empty() {
        return Err(refuse(
            label,
            "a JSON-stat dataset whose \"id\" and \"size\" differ in length",
        ));
    }
    let dims: Vec<Dimension> = ids
        .iter()
        .zip(&sizes)
        .map(|(id, &size)| {
            let v = d.dimension.get(id).ok_or_else(|| {
                refuse(
                    label,
                    format!("dimension {id} is named in \"id\" but not described"),
                )
            })?;
            dimension(label, id, v, size)
        })
        .collect::<Result<_>>()?;
    let total = sizes
        .iter()
        .try_fold(1u64, |a, &s| a.checked_mul(s))
        .ok_or_else(|| refuse(label, "a JSON-stat dataset too large to lay out"))?;
    let role = |name: &str| -> Option<usize> {
        let first = d.role.as_ref()?.get(name)?.first()?;
        ids.iter().position(|i| i == first)
    };
    let named = |words: &[&str], whole: bool| {
        dims.iter().position(|dim| {
            let id = dim.id.to_lowercase();
            let lab = dim.label.to_lowercase();
            words.iter().any(|w| {
                if whole {
                    id == *w || lab == *w
                } else {
                    id.contains(w) || lab.contains(w)
                }
            })
        })
    };
    let yearly = || {
        dims.iter().position(|dim| {
            !dim.ids.is_empty()
                && dim
                    .ids
                    .iter()
                    .all(|c| crate::load::header::year_of(c).is_some())
        })
    };
    let Some(time) = role("time")
        .or_else(|| named(TIME_IDS, true))
        .or_else(yearly)
    else {
        return Err(refuse(
            label,
            format!(
                "a JSON-stat dataset with no time dimension (role \"time\", or one of years) \
                 among {}",
                ids.join(", ")
            ),
        ));
    };
    // Role geo; else an id SDMX uses for places (geo, REF_AREA); else a word of one.
    let geo = role("geo")
        .or_else(|| dims.iter().position(|d| crate::load::sdmx::is_geo(&d.id)))
        .or_else(|| named(GEO_WORDS, false))
        .filter(|&g| g != time);
    let metric = role("metric").map(|m| ids[m].as_str());
    // Strides of the row-major layout: the last dimension varies fastest.
    let mut strides = vec![1u64; dims.len()];
    for i in (0..dims.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * sizes[i + 1];
    }
    let unit = unit(d, metric);
    // The label describes the figures read only where no dimension but time and geography
    // has several categories (a cube of indicators is labelled by all of them): then it
    // stands above the header, where the reader learns what the figures are.
    let one_slice = dims
        .iter()
        .enumerate()
        .all(|(k, dim)| k == time || Some(k) == geo || dim.ids.len() == 1);
    let mut heading = if one_slice {
        d.label.clone().unwrap_or_default()
    } else {
        String::new()
    };
    if let Some(u) = &unit {
        heading.push_str(&format!(" (unit: {u})"));
    }
    let heading = heading.trim().to_owned();
    let mut header: Vec<String> = Vec::new();
    for (k, dim) in dims.iter().enumerate() {
        if k == time {
            continue;
        }
        if Some(k) == geo {
            header.push("region".into());
            header.push("code".into());
        } else {
            header.push(dim.id.clone());
        }
    }
    header.extend(["TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"].map(String::from));
    Ok(Layout {
        dims,
        sizes,
        strides,
        total,
        time,
        geo,
        heading,
        header,
    })
}

/// Each figure's flag: one for all, one per index, or some by index.
enum Status {
    All(String),
    Each(Vec<Option<String>>),
    Some(BTreeMap<u64, String>),
}

impl Status {
    /// The status as the file writes it (a string, an array or an object).
    fn parse(raw: &RawValue) -> Option<Status> {
        let text = raw.get().trim_start();
        match text.as_bytes().first()? {
            b'"' => serde_json::from_str(text).ok().map(Status::All),
            b'[' => serde_json::from_str(text).ok().map(Status::Each),
            b'{' => serde_json::from_str(text).ok().map(Status::Some),
            _ => None,
        }
    }

    fn of(&self, i: u64) -> &str {
        match self {
            Status::All(s) => s,
            Status::Each(v) => usize::try_from(i)
                .ok()
                .and_then(|i| v.get(i))
                .and_then(|s| s.as_deref())
                .unwrap_or(""),
            Status::Some(m) => m.get(&i).map_or("", String::as_str),
        }
    }
}

/// The figures by flat index, in order, checked against the cube's size.
fn figures<'a>(label: &str, d: &Dataset<'a>, total: u64) -> Result<Vec<(u64, &'a RawValue)>> {
    let raw = d
        .value
        .ok_or_else(|| refuse(label, "a JSON-stat dataset with no \"value\""))?;
    let too_many = |n: u64| {
        refuse(
            label,
            format!(
                "a JSON-stat dataset of {n} figures, more than popdelta lays out ({MAX_CELLS})"
            ),
        )
    };
    if raw.get().trim_start().starts_with('[') {
        if total > MAX_CELLS {
            return Err(too_many(total));
        }
        let values: Vec<&RawValue> = serde_json::from_str(raw.get())
            .map_err(|e| refuse(label, format!("its \"value\" {e}")))?;
        if values.len() as u64 != total {
            return Err(refuse(
                label,
                format!(
                    "\"value\" holds {} figures, but the sizes make {total}",
                    values.len()
                ),
            ));
        }
        Ok((0u64..).zip(values).collect())
    } else {
        // Keys are flat indices: read as numbers, in order, with no string kept per key.
        let values: BTreeMap<u64, &RawValue> = serde_json::from_str(raw.get()).map_err(|e| {
            refuse(
                label,
                format!("its \"value\" is no object of figures by index ({e})"),
            )
        })?;
        if values.len() as u64 > MAX_CELLS {
            return Err(too_many(values.len() as u64));
        }
        if let Some((&k, _)) = values.range(total..).next() {
            return Err(refuse(
                label,
                format!("\"value\" has the key \"{k}\", no index of the cube"),
            ));
        }
        Ok(values.into_iter().collect())
    }
}

/// Writes the layout's rows: the heading, the header, one row per figure.
fn write_rows(
    label: &str,
    d: &Dataset,
    l: &Layout,
    figures: &[(u64, &RawValue)],
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let status = d.status.and_then(Status::parse);
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let csv_err = |e: csv::Error| refuse(label, e);
    if !l.heading.is_empty() {
        w.write_record([l.heading.as_str()]).map_err(csv_err)?;
    }
    w.write_record(&l.header).map_err(csv_err)?;
    for &(i, raw) in figures {
        let value = figure(raw);
        let flag = status.as_ref().map_or("", |s| s.of(i));
        let mut row: Vec<&str> = Vec::with_capacity(l.header.len());
        let mut period = "";
        for (k, dim) in l.dims.iter().enumerate() {
            let c = usize::try_from((i / l.strides[k]) % l.sizes[k]).unwrap_or(0);
            if k == l.time {
                period = &dim.ids[c];
            } else if Some(k) == l.geo {
                row.push(&dim.labels[c]);
                row.push(&dim.ids[c]);
            } else {
                row.push(&dim.ids[c]);
            }
        }
        row.push(period);
        row.push(&value);
        row.push(flag);
        w.write_record(&row).map_err(csv_err)?;
    }
    w.flush().map_err(|e| refuse(label, e))?;
    Ok(())
}

/// What a layout reads, for the note.
fn read_of(d: &Dataset, l: &Layout) -> Read {
    Read {
        label: d.label.clone().unwrap_or_default(),
        geo: l.geo.map(|g| l.dims[g].id.clone()),
        time: l.dims[l.time].id.clone(),
        others: l
            .dims
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != l.time && Some(k) != l.geo)
            .map(|(_, dim)| (dim.id.clone(), dim.ids.len()))
            .collect(),
    }
}

/// The rows of a JSON-stat file, made on a thread as they are read (checked first, so that
/// what is wrong with the file is said before a row is read), and what was read.
pub fn open(label: &str, bytes: Vec<u8>, choice: Option<&str>) -> Result<(Piped, Read)> {
    let read = {
        let d = select(label, &bytes, choice)?;
        let l = layout(label, &d)?;
        figures(label, &d, l.total)?;
        read_of(&d, &l)
    };
    let label = label.to_owned();
    let choice = choice.map(str::to_owned);
    let piped = crate::load::pipe::spawn(move |sink| {
        let made = (|| {
            let d = select(&label, &bytes, choice.as_deref())?;
            let l = layout(&label, &d)?;
            let f = figures(&label, &d, l.total)?;
            write_rows(&label, &d, &l, &f, sink)
        })();
        made.map_err(|e| std::io::Error::other(e.to_string()))
    });
    Ok((piped, read))
}

/// The long CSV text of the one dataset in a JSON-stat file, and what was read, made at
/// once (the tests' view of what [`open`] streams).
#[cfg(test)]
fn text(label: &str, bytes: &[u8]) -> Result<(String, Read)> {
    let d = select(label, bytes, None)?;
    let l = layout(label, &d)?;
    let f = figures(label, &d, l.total)?;
    let mut out = Vec::new();
    write_rows(label, &d, &l, &f, &mut out)?;
    let text = String::from_utf8(out).map_err(|e| refuse(label, e))?;
    Ok((text, read_of(&d, &l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eurostat's API form: `value` and `status` as objects, `index` as objects.
    const EUROSTAT: &str = r#"{"version":"2.0","class":"dataset","label":"Population change - demographic balance","source":"ESTAT",
      "value":{"0":82175684,"1":82521653,"3":66804121},"status":{"1":"p"},
      "id":["freq","indic_de","geo","time"],"size":[1,1,2,2],
      "dimension":{"freq":{"category":{"index":{"A":0}}},
        "indic_de":{"category":{"index":{"JAN":0},"label":{"JAN":"Population on 1 January - total"}}},
        "geo":{"label":"Geopolitical entity","category":{"index":{"DE":0,"FR":1},"label":{"DE":"Germany","FR":"France"}}},
        "time":{"category":{"index":{"2016":0,"2017":1}}}}}"#;

    #[test]
    fn eurostats_sparse_objects_lay_out_as_long_rows() {
        let (text, read) = text("e.json", EUROSTAT.as_bytes()).unwrap();
        assert_eq!(
            text,
            "Population change - demographic balance\n\
             freq,indic_de,region,code,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n\
             A,JAN,Germany,DE,2016,82175684,\n\
             A,JAN,Germany,DE,2017,82521653,p\n\
             A,JAN,France,FR,2017,66804121,\n"
        );
        assert_eq!(read.geo.as_deref(), Some("geo"));
        assert_eq!(read.time, "time");
    }

    #[test]
    fn figures_keep_their_decimals_as_written() {
        let json = r#"{"version":"2.0","class":"dataset","id":["region","year"],"size":[1,2],
          "dimension":{"region":{"category":{"index":["X"],"label":{"X":"Ex"}}},
                       "year":{"category":{"index":["2020","2021"]}}},
          "value":[477.80, null]}"#;
        let (text, _) = text("d.json", json.as_bytes()).unwrap();
        assert!(text.ends_with("Ex,X,2020,477.80,\nEx,X,2021,,\n"), "{text}");
    }

    #[test]
    fn bad_cubes_are_refused_not_laid_out() {
        let short = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[2,2],
          "dimension":{"geo":{"category":{"index":["A","B"]}},"time":{"category":{"index":["2020","2021"]}}},
          "value":[1,2,3]}"#;
        let err = text("s.json", short.as_bytes()).unwrap_err().to_string();
        assert!(
            err.contains("\"value\" holds 3 figures, but the sizes make 4"),
            "{err}"
        );
        let huge = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[18446744073709551615,2],
          "dimension":{},"value":{}}"#;
        assert!(text("h.json", huge.as_bytes()).is_err());
        let key = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[1,1],
          "dimension":{"geo":{"category":{"index":["A"]}},"time":{"category":{"index":["2020"]}}},
          "value":{"7":1}}"#;
        let err = text("k.json", key.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("no index of the cube"), "{err}");
        let plain = text("p.json", br#"{"a":1}"#).unwrap_err().to_string();
        assert!(plain.contains("is JSON, but not JSON-stat"), "{plain}");
    }
}
