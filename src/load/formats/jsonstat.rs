//! JSON-stat (2.0 datasets and collections, 1.x bundles), read straight into the cube:
//! each dimension with its categories' ids, labels and units in the file's order, the
//! figures by their flat index, each kept as the file writes it (never through a float).
//!
//! The file is checked as it is read, each problem named by its JSON path: a key given
//! twice in an object, a category index with a gap, a repeat or a position past the size,
//! a `value` whose figures do not fit the sizes. The geographic dimension's labels are the
//! regions' names and its ids their codes; a category with `child` categories is a total
//! of them, never summed.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::load::accumulate::{Accumulator, Origin};
use crate::load::cube::{Category, Cube, DimKind, Dimension, Figure, Meaning};
use crate::load::records::Start;
use crate::load::{LoadOptions, Note, roles};

/// What was read, for the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The format read: JSON-stat, or PC-Axis (read as its JSON-stat).
    pub format: &'static str,
    /// The dataset's label.
    pub label: String,
    /// The dimension read as the regions; `None`: the dataset, with no place and no
    /// breakdown without a total, is one row.
    pub geo: Option<String>,
    /// Whether that dimension is the geography (else, with none, a breakdown's categories
    /// are the rows).
    pub geo_is_place: bool,
    /// The dimension read as the years.
    pub time: String,
    /// The other dimensions, each with its categories' count.
    pub others: Vec<(String, usize)>,
}

/// The largest JSON file read: a parsed file costs a few times its size.
pub const MAX_JSON: u64 = 256 << 20;

/// Most figures a dataset may hold (its sizes' product).
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

fn refuse(label: &str, why: impl fmt::Display) -> Error {
    Error::Usage(format!("{label}: {why}"))
}

/// A JSON object whose keys are each given once, in the file's order; a key given twice
/// is refused, naming it.
struct Object<'a> {
    /// The members in the file's order.
    members: Vec<(String, &'a RawValue)>,
    /// Each key's place in `members`: a label object has a key per category, and each is
    /// looked up.
    places: HashMap<String, usize>,
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Object<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Object<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(
                self,
                mut map: M,
            ) -> std::result::Result<Object<'a>, M::Error> {
                let mut places = HashMap::new();
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: &'de RawValue = map.next_value()?;
                    if places.insert(key.clone(), members.len()).is_some() {
                        return Err(de::Error::custom(format!("the key {key:?} is given twice")));
                    }
                    members.push((key, value));
                }
                Ok(Object { members, places })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Object<'a> {
    /// The object at `raw`; `path` names it in a refusal.
    fn at(label: &str, raw: &'a RawValue, path: &str) -> Result<Object<'a>> {
        serde_json::from_str(raw.get()).map_err(|e| refuse(label, format!("{path}: {}", plain(&e))))
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.places.get(key).map(|&i| self.members[i].1)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// serde_json's account of a problem without its line and column in the fragment read.
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A string, read from its JSON.
fn string(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(raw.get()).ok()
}

/// The one dataset of a JSON-stat file (a dataset, a collection or a 1.x bundle), as an
/// object; its path, for messages; and, in 1.x, where it keeps `id`, `size` and `role`.
struct Dataset<'a> {
    object: Object<'a>,
    path: String,
    /// 1.x keeps `id`, `size` and `role` inside `dimension`.
    inner: Option<Object<'a>>,
}

impl<'a> Dataset<'a> {
    fn field(&self, key: &str) -> Option<&'a RawValue> {
        self.object
            .get(key)
            .or_else(|| self.inner.as_ref().and_then(|i| i.get(key)))
    }

    fn label(&self) -> String {
        self.object
            .get("label")
            .and_then(string)
            .unwrap_or_default()
    }
}

/// The one dataset of the file.
fn select<'a>(label: &str, text: &'a str, choice: Option<&str>) -> Result<Dataset<'a>> {
    let not_json_stat = || crate::load::container::refuse(label, "JSON, but not JSON-stat");
    let top: Object = match serde_json::from_str(text) {
        Ok(top) => top,
        // Valid JSON of another shape (an array of records) is not JSON-stat.
        Err(e) if !e.is_syntax() && !e.is_eof() && !e.to_string().contains("twice") => {
            return Err(not_json_stat());
        }
        Err(e) => {
            return Err(refuse(
                label,
                format!("JSON that popdelta cannot read ({e})"),
            ));
        }
    };
    let class = top.get("class").and_then(string);
    match class.as_deref() {
        Some("dataset") => Ok(Dataset {
            object: top,
            path: String::new(),
            inner: None,
        }),
        Some("collection") => one_of_collection(label, &top, choice),
        Some(other) => Err(refuse(
            label,
            format!(
                "a JSON-stat {other}, not a dataset; popdelta reads a dataset (or a collection \
                 holding one)"
            ),
        )),
        // JSON-stat 1.x: a bundle of named datasets.
        None if top.members.iter().any(|(_, v)| has_key(v, "dimension")) => {
            one_of_bundle(label, top, choice)
        }
        None => Err(not_json_stat()),
    }
}

/// Whether a raw JSON object has a key at its top level.
fn has_key(v: &RawValue, key: &str) -> bool {
    serde_json::from_str::<Object>(v.get()).is_ok_and(|o| o.has(key))
}

/// Names for a message: the first ten, quoted, and how many more.
fn listed(names: impl Iterator<Item = String>) -> String {
    crate::error::listed(names.map(|n| format!("{n:?}")), ", ")
}

/// The one dataset of a collection that carries its figures.
fn one_of_collection<'a>(
    label: &str,
    top: &Object<'a>,
    choice: Option<&str>,
) -> Result<Dataset<'a>> {
    let items: Vec<&'a RawValue> = match top.get("link") {
        Some(link) => match Object::at(label, link, "link")?.get("item") {
            Some(items) => serde_json::from_str(items.get())
                .map_err(|e| refuse(label, format!("link.item: {}", plain(&e))))?,
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let with_figures: Vec<(usize, &RawValue)> = items
        .into_iter()
        .enumerate()
        .filter(|(_, i)| has_key(i, "value") && has_key(i, "dimension"))
        .collect();
    let label_of = |i: &RawValue| {
        serde_json::from_str::<Object>(i.get())
            .ok()
            .and_then(|o| o.get("label").and_then(string))
            .unwrap_or_default()
    };
    let pick = |(k, one): (usize, &'a RawValue)| -> Result<Dataset<'a>> {
        let path = format!("link.item[{k}]");
        Ok(Dataset {
            object: Object::at(label, one, &path)?,
            path: format!("{path}."),
            inner: None,
        })
    };
    if let Some(want) = choice {
        return match with_figures.iter().find(|(_, i)| label_of(i) == want) {
            Some(&one) => pick(one),
            None => Err(refuse(
                label,
                format!(
                    "--sheet {want:?}: no dataset of the collection is labelled so; its \
                     datasets: {}",
                    listed(with_figures.iter().map(|(_, i)| label_of(i)))
                ),
            )),
        };
    }
    match with_figures[..] {
        [one] => pick(one),
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
                listed(with_figures.iter().map(|(_, i)| label_of(i)))
            ),
        )),
    }
}

/// The one dataset of a JSON-stat 1.x bundle.
fn one_of_bundle<'a>(label: &str, top: Object<'a>, choice: Option<&str>) -> Result<Dataset<'a>> {
    let mut named: Vec<(String, &'a RawValue)> = top
        .members
        .into_iter()
        .filter(|(_, v)| has_key(v, "dimension"))
        .collect();
    if let Some(want) = choice {
        let all = listed(named.iter().map(|(n, _)| n.clone()));
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
    match &named[..] {
        [(name, one)] => {
            let object = Object::at(label, one, name)?;
            let inner = match object.get("dimension") {
                Some(d) => Some(Object::at(label, d, &format!("{name}.dimension"))?),
                None => None,
            };
            Ok(Dataset {
                object,
                path: format!("{name}."),
                inner,
            })
        }
        _ => Err(refuse(
            label,
            format!(
                "a JSON-stat bundle of {} datasets; name one with --sheet NAME: {}",
                named.len(),
                listed(named.iter().map(|(n, _)| n.clone()))
            ),
        )),
    }
}

/// One dimension as the file describes it.
#[derive(Debug, Clone)]
struct Dim {
    id: String,
    label: String,
    ids: Vec<String>,
    labels: Vec<String>,
    /// The unit each category states, if any.
    units: Vec<Option<String>>,
    /// Each category with children (`child`): its index and its children's.
    children: Vec<(usize, Vec<usize>)>,
    /// The category the file names as the dimension's total (PxWeb's
    /// `extension.eliminationValueCode`, PC-Axis' `ELIMINATION`).
    total: Option<usize>,
}

/// A dimension's size: a number, or (JSON-stat 1.x allows it) a string of one.
fn sizes(label: &str, d: &Dataset) -> Result<Vec<u64>> {
    let path = format!("{}size", d.path);
    let raw = d
        .field("size")
        .ok_or_else(|| refuse(label, "a JSON-stat dataset without \"id\" and \"size\""))?;
    let items: Vec<&RawValue> = serde_json::from_str(raw.get())
        .map_err(|e| refuse(label, format!("{path}: {}", plain(&e))))?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let text = v.get().trim();
            let digits = text.trim_matches('"');
            digits
                .parse::<u64>()
                .map_err(|_| refuse(label, format!("{path}[{i}]: {text} is no size")))
        })
        .collect()
}

/// A dimension's categories in order: from `category.index` (an array, or an object of
/// positions that must be 0 to size - 1, each once), or with a single category from
/// `category.label`.
fn dimension(label: &str, path: &str, id: &str, raw: &RawValue, size: u64) -> Result<Dim> {
    let here = format!("{path}dimension.{id}");
    let d = Object::at(label, raw, &here)?;
    let cat_path = format!("{here}.category");
    let category = match d.get("category") {
        Some(c) => Object::at(label, c, &cat_path)?,
        None => return Err(refuse(label, format!("{here}: no \"category\""))),
    };
    let labels_of = match category.get("label") {
        Some(l) => Some(Object::at(label, l, &format!("{cat_path}.label"))?),
        None => None,
    };
    let ids = match category.get("index") {
        Some(index) => positions(label, &format!("{cat_path}.index"), index, size)?,
        None => labels_of
            .as_ref()
            .map(|l| l.members.iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default(),
    };
    if ids.len() as u64 != size {
        return Err(refuse(
            label,
            format!(
                "{cat_path}: dimension {id} has {} categories, but the dataset's size says {size}",
                ids.len()
            ),
        ));
    }
    let labels = ids
        .iter()
        .map(|c| {
            labels_of
                .as_ref()
                .and_then(|l| l.get(c))
                .and_then(string)
                .unwrap_or_else(|| c.clone())
        })
        .collect();
    let units = units(label, &cat_path, &category, &ids)?;
    let children = children(label, &cat_path, &category, &ids)?;
    let total = d
        .get("extension")
        .and_then(|e| Object::at(label, e, &format!("{here}.extension")).ok())
        .and_then(|e| e.get("eliminationValueCode").and_then(string))
        .and_then(|code| ids.iter().position(|c| *c == code));
    Ok(Dim {
        id: id.to_owned(),
        label: d
            .get("label")
            .and_then(string)
            .unwrap_or_else(|| id.to_owned()),
        ids,
        labels,
        units,
        children,
        total,
    })
}

/// Category ids in order from an index: an array of ids, each once, or an object of
/// positions 0 to `size` - 1, each once.
fn positions(label: &str, path: &str, index: &RawValue, size: u64) -> Result<Vec<String>> {
    if index.get().trim_start().starts_with('[') {
        let ids: Vec<serde_json::Value> = serde_json::from_str(index.get())
            .map_err(|e| refuse(label, format!("{path}: {}", plain(&e))))?;
        let ids: Vec<String> = ids
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
            .collect();
        let mut seen = HashSet::new();
        if let Some(twice) = ids.iter().find(|i| !seen.insert(i.as_str())) {
            return Err(refuse(
                label,
                format!("{path}: category {twice:?} is listed twice"),
            ));
        }
        return Ok(ids);
    }
    let o = Object::at(label, index, path)?;
    let mut at: Vec<Option<String>> = vec![
        None;
        usize::try_from(size)
            .unwrap_or(0)
            .min(o.members.len().max(1) * 2)
    ];
    for (id, p) in &o.members {
        let pos = p.get().trim().parse::<u64>().map_err(|_| {
            refuse(
                label,
                format!("{path}.{id}: {} is no position", p.get().trim()),
            )
        })?;
        if pos >= size {
            return Err(refuse(
                label,
                format!("{path}.{id}: position {pos} is past the dimension's size, {size}"),
            ));
        }
        let slot = usize::try_from(pos).unwrap_or(usize::MAX);
        if at.len() <= slot {
            at.resize(slot + 1, None);
        }
        if let Some(other) = &at[slot] {
            return Err(refuse(
                label,
                format!("{path}.{id}: position {pos} is {other:?}'s too"),
            ));
        }
        at[slot] = Some(id.clone());
    }
    match at.iter().position(Option::is_none) {
        Some(gap) if (gap as u64) < size => Err(refuse(
            label,
            format!("{path}: no category at position {gap} (the dimension's size is {size})"),
        )),
        _ => Ok(at.into_iter().flatten().collect()),
    }
}

/// The unit each category states (`category.unit`: its label, else its base).
fn units(
    label: &str,
    path: &str,
    category: &Object,
    ids: &[String],
) -> Result<Vec<Option<String>>> {
    let Some(raw) = category.get("unit") else {
        return Ok(vec![None; ids.len()]);
    };
    let all = Object::at(label, raw, &format!("{path}.unit"))?;
    ids.iter()
        .map(|id| {
            let Some(u) = all.get(id) else {
                return Ok(None);
            };
            let u = Object::at(label, u, &format!("{path}.unit.{id}"))?;
            Ok(u.get("label")
                .and_then(string)
                .filter(|s| !s.trim().is_empty())
                .or_else(|| u.get("base").and_then(string)))
        })
        .collect()
}

/// The categories with children (`category.child`), as indices.
fn children(
    label: &str,
    path: &str,
    category: &Object,
    ids: &[String],
) -> Result<Vec<(usize, Vec<usize>)>> {
    let Some(raw) = category.get("child") else {
        return Ok(Vec::new());
    };
    let here = format!("{path}.child");
    let all = Object::at(label, raw, &here)?;
    let places: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let index = |id: &str, at: &str| {
        places.get(id).copied().ok_or_else(|| {
            refuse(
                label,
                format!("{at}: {id:?} is no category of the dimension"),
            )
        })
    };
    let mut out = Vec::new();
    for (parent, kids) in &all.members {
        let kids: Vec<String> = serde_json::from_str(kids.get())
            .map_err(|e| refuse(label, format!("{here}.{parent}: {}", plain(&e))))?;
        let p = index(parent, &here)?;
        let k = kids
            .iter()
            .map(|c| index(c, &format!("{here}.{parent}")))
            .collect::<Result<Vec<_>>>()?;
        if !k.is_empty() {
            out.push((p, k));
        }
    }
    Ok(out)
}

/// The dataset's dimensions, in the order of `id`, and the sizes' product.
fn dimensions(label: &str, d: &Dataset) -> Result<(Vec<Dim>, u64)> {
    let ids: Vec<String> = match d.field("id") {
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|e| refuse(label, format!("{}id: {}", d.path, plain(&e))))?,
        None => {
            return Err(refuse(
                label,
                "a JSON-stat dataset without \"id\" and \"size\"",
            ));
        }
    };
    let sizes = sizes(label, d)?;
    if ids.len() != sizes.len() || ids.is_empty() {
        return Err(refuse(
            label,
            "a JSON-stat dataset whose \"id\" and \"size\" differ in length",
        ));
    }
    let total = sizes
        .iter()
        .try_fold(1u64, |a, &s| a.checked_mul(s))
        .filter(|&t| t <= MAX_CELLS)
        .ok_or_else(|| {
            refuse(
                label,
                format!(
                    "a JSON-stat dataset of more than {MAX_CELLS} figures, more than popdelta reads"
                ),
            )
        })?;
    let described = match d.object.get("dimension") {
        Some(raw) => Object::at(label, raw, &format!("{}dimension", d.path))?,
        None => return Err(refuse(label, "a JSON-stat dataset without \"dimension\"")),
    };
    let dims = ids
        .iter()
        .zip(&sizes)
        .map(|(id, &size)| {
            let raw = described.get(id).ok_or_else(|| {
                refuse(
                    label,
                    format!("dimension {id} is named in \"id\" but not described"),
                )
            })?;
            dimension(label, &d.path, id, raw, size)
        })
        .collect::<Result<Vec<Dim>>>()?;
    Ok((dims, total))
}

/// The dimensions the `role` object names for `name`.
fn role(d: &Dataset, dims: &[Dim], name: &str) -> Option<usize> {
    let roles: Object = serde_json::from_str(d.field("role")?.get()).ok()?;
    let ids: Vec<String> = serde_json::from_str(roles.get(name)?.get()).ok()?;
    let first = ids.first()?;
    dims.iter().position(|dim| dim.id == *first)
}

/// Whether a dimension's name says it is the geography ("region", "Alue", "län").
pub fn is_geo_name(name: &str) -> bool {
    let name = name.to_lowercase();
    GEO_WORDS.iter().any(|w| name.contains(w))
}

/// A dimension named by one of `words` (whole ids or labels, or within them).
fn named(dims: &[Dim], words: &[&str], whole: bool) -> Option<usize> {
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
}

/// A dimension named by the user (`--region-col`, `--year-col`), by id or label.
fn asked(label: &str, dims: &[Dim], name: &str, flag: &str) -> Result<usize> {
    dims.iter()
        .position(|d| d.id == name || d.label == name)
        .ok_or_else(|| {
            refuse(
                label,
                format!(
                    "{flag} {name:?}: no dimension of the dataset is so named; its dimensions: {}",
                    listed(dims.iter().map(|d| d.id.clone()))
                ),
            )
        })
}

/// Which dimensions are the periods, the regions and the metric.
struct Axes {
    time: usize,
    geo: Option<usize>,
    metric: Option<usize>,
}

fn axes(label: &str, d: &Dataset, dims: &[Dim], opts: &LoadOptions) -> Result<Axes> {
    let yearly = || {
        dims.iter().position(|dim| {
            !dim.ids.is_empty()
                && dim
                    .ids
                    .iter()
                    .all(|c| crate::load::layout::names::year_of(c).is_some())
        })
    };
    let time = match &opts.year_col {
        Some(name) => Some(asked(label, dims, name, "--year-col")?),
        None => role(d, dims, "time")
            .or_else(|| named(dims, TIME_IDS, true))
            .or_else(yearly),
    };
    let Some(time) = time else {
        return Err(refuse(
            label,
            format!(
                "a JSON-stat dataset with no time dimension (role \"time\", or one of years) \
                 among {}",
                listed(dims.iter().map(|d| d.id.clone()))
            ),
        ));
    };
    // Role geo; else an id SDMX uses for places (geo, REF_AREA); else a word of one.
    let geo = match opts.region_cols.as_slice() {
        [name] => Some(asked(label, dims, name, "--region-col")?),
        _ => role(d, dims, "geo")
            .or_else(|| {
                dims.iter()
                    .position(|d| crate::load::formats::sdmx_csv::is_geo(&d.id))
            })
            .or_else(|| named(dims, GEO_WORDS, false))
            .filter(|&g| g != time),
    };
    Ok(Axes {
        time,
        geo,
        metric: role(d, dims, "metric"),
    })
}

/// The figures of `value` (an array, or an object by flat index), each handed to `each`
/// with its index as it is parsed: none is kept, and a key given twice is refused.
fn figures<'a>(
    label: &str,
    raw: &'a RawValue,
    total: u64,
    each: &mut dyn FnMut(u64, &'a RawValue) -> Result<()>,
) -> Result<()> {
    struct V<'f, 'a> {
        total: u64,
        each: &'f mut dyn FnMut(u64, &'a RawValue) -> Result<()>,
        failed: &'f mut Option<Error>,
    }
    impl<'de: 'a, 'a> Visitor<'de> for V<'_, 'a> {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array or an object of figures")
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> std::result::Result<u64, S::Error> {
            let mut i = 0u64;
            while let Some(v) = seq.next_element::<&'de RawValue>()? {
                if i < self.total
                    && let Err(e) = (self.each)(i, v)
                {
                    *self.failed = Some(e);
                    return Err(de::Error::custom("stopped"));
                }
                i += 1;
            }
            Ok(i)
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> std::result::Result<u64, M::Error> {
            let mut seen = vec![0u64; usize::try_from(self.total.div_ceil(64)).unwrap_or(0)];
            while let Some(key) = map.next_key::<String>()? {
                let v: &'de RawValue = map.next_value()?;
                let i: u64 = key
                    .parse()
                    .map_err(|_| de::Error::custom(format!("the key {key:?} is no index")))?;
                if i >= self.total {
                    return Err(de::Error::custom(format!(
                        "the key \"{i}\" is no index of the cube"
                    )));
                }
                let (w, b) = ((i / 64) as usize, i % 64);
                if seen[w] & (1 << b) != 0 {
                    return Err(de::Error::custom(format!("the key \"{i}\" is given twice")));
                }
                seen[w] |= 1 << b;
                if let Err(e) = (self.each)(i, v) {
                    *self.failed = Some(e);
                    return Err(de::Error::custom("stopped"));
                }
            }
            Ok(self.total)
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let array = raw.get().trim_start().starts_with('[');
    let mut failed = None;
    let read = (&mut de).deserialize_any(V {
        total,
        each,
        failed: &mut failed,
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let n = read.map_err(|e| refuse(label, format!("value: {}", plain(&e))))?;
    if array && n != total {
        return Err(refuse(
            label,
            format!("\"value\" holds {n} figures, but the sizes make {total}"),
        ));
    }
    Ok(())
}

/// A figure's value: a JSON number (its digits as written, an exponent read exactly) or a
/// string of one; `None` for null and the missing markers.
fn figure(raw: &RawValue) -> std::result::Result<Option<Figure>, String> {
    let text = raw.get().trim();
    if text == "null" {
        return Ok(None);
    }
    if text.starts_with('"') {
        let owned = string(raw).unwrap_or_default();
        return Figure::parse_written(&owned);
    }
    Figure::parse_written(text)
}

/// Each figure's flag: one for all, one per index, or some by index.
enum Status {
    All(String),
    Each(Vec<Option<String>>),
    Some(std::collections::BTreeMap<u64, String>),
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

/// The categories each `--where` keeps, by dimension (`None`: all); a filter naming no
/// dimension, or keeping no category of its own, is refused.
fn kept(label: &str, dims: &[Dim], opts: &LoadOptions) -> Result<Vec<Option<Vec<bool>>>> {
    let mut keep: Vec<Option<Vec<bool>>> = vec![None; dims.len()];
    for f in &opts.filters {
        let Some(k) = dims
            .iter()
            .position(|d| d.id == f.column || d.label == f.column)
        else {
            return Err(refuse(
                label,
                format!(
                    "--where {}: no dimension of the dataset is so named; its dimensions: {}",
                    f.column,
                    listed(dims.iter().map(|d| d.id.clone()))
                ),
            ));
        };
        let d = &dims[k];
        let these: Vec<bool> = d
            .ids
            .iter()
            .zip(&d.labels)
            .map(|(id, lab)| {
                let any = f
                    .values
                    .iter()
                    .any(|v| crate::load::cell::matches(id.as_bytes(), v) || lab == v);
                any == f.keep
            })
            .collect();
        if !these.contains(&true) {
            return Err(refuse(
                label,
                format!(
                    "--where {}{}{} keeps no category of dimension {}, which holds {}",
                    f.column,
                    if f.keep { "=" } else { "!=" },
                    f.values.join("|"),
                    d.id,
                    listed(d.ids.iter().cloned())
                ),
            ));
        }
        keep[k] = Some(match keep[k].take() {
            Some(before) => before.iter().zip(&these).map(|(a, b)| *a && *b).collect(),
            None => these,
        });
    }
    Ok(keep)
}

/// With no geographic dimension, the rows are the categories of the one breakdown that has
/// no total (the age groups of a national table), said; several such are refused.
fn rows_without_geography(label: &str, dims: &[Dim], axes: &Axes) -> Result<Option<usize>> {
    let candidates: Vec<usize> = (0..dims.len())
        .filter(|&k| k != axes.time && Some(k) != axes.metric && dims[k].ids.len() > 1)
        .filter(|&k| {
            let d = &dims[k];
            !d.ids.iter().zip(&d.labels).any(|(id, lab)| {
                roles::is_total(&Category {
                    code: id.clone(),
                    label: lab.clone(),
                    meaning: Meaning::None,
                    unit: None,
                })
            })
        })
        .collect();
    match candidates[..] {
        [one] => Ok(Some(one)),
        [] => Ok(None),
        _ => Err(refuse(
            label,
            format!(
                "a JSON-stat dataset with no geographic dimension (role \"geo\") among {}; \
                 name the dimension whose categories are the rows with --region-col DIM",
                listed(dims.iter().map(|d| d.id.clone()))
            ),
        )),
    }
}

/// The cube's dimensions: every dimension but the geography's, with all its categories.
fn cube_dims(
    label: &str,
    dims: &[Dim],
    axes: &Axes,
    geo: usize,
    keep: &[Option<Vec<bool>>],
) -> Result<Vec<Dimension>> {
    let mut out = Vec::new();
    for (k, d) in dims.iter().enumerate() {
        if k == geo {
            continue;
        }
        let kind = if k == axes.time {
            DimKind::Time
        } else if Some(k) == axes.metric
            || roles::is_statistic_name(&d.id)
            || roles::is_statistic_name(&d.label)
        {
            DimKind::Statistic
        } else {
            DimKind::Breakdown
        };
        let mut dim = Dimension::new(&d.id, kind, Some(k));
        dim.label.clone_from(&d.label);
        dim.stated_total = d.total.and_then(|t| u32::try_from(t).ok());
        let named =
            crate::period::freq_named(&d.id).or_else(|| crate::period::freq_named(&d.label));
        for (c, (id, lab)) in d.ids.iter().zip(&d.labels).enumerate() {
            let kept = keep[k].as_ref().is_none_or(|kp| kp[c]);
            let meaning = if kind == DimKind::Time {
                match crate::period::parse_in(id, named) {
                    Some(p) => Meaning::Time(p),
                    None if !kept => Meaning::None,
                    None => {
                        return Err(refuse(
                            label,
                            format!(
                                "dimension.{}.category.index.{id}: {id:?} is not a year, nor a \
                                 period of one that popdelta reads (2017, 2017-07, 2017Q3, \
                                 31.12.2017); keep the periods it reads with --where {}=...",
                                d.id, d.id
                            ),
                        ));
                    }
                }
            } else {
                Meaning::None
            };
            dim.category(id.as_bytes(), || Category {
                code: id.clone(),
                label: lab.clone(),
                meaning,
                unit: d.units.get(c).cloned().flatten(),
            });
        }
        out.push(dim);
    }
    Ok(out)
}

/// What the slice's units and statistics say of its figures, then its other categories'
/// labels, then the dataset's label and the dimensions' where no dimension but time holds
/// several categories (a cube of indicators is labelled by all of them).
fn texts_of(cube: &Cube, chosen: &[Option<u32>], dataset: &str) -> Vec<String> {
    let mut texts = roles::slice_texts(cube, chosen);
    for (d, c) in cube.dims.iter().zip(chosen) {
        if let Some(cat) = c.and_then(|c| d.categories().get(c as usize)) {
            texts.push(cat.label.clone());
        }
    }
    let one_slice = cube
        .dims
        .iter()
        .all(|d| d.kind == DimKind::Time || d.categories().len() == 1);
    if one_slice {
        texts.extend(cube.dims.iter().map(|d| d.label.clone()));
        texts.push(dataset.to_owned());
    }
    texts
}

/// Reads the JSON-stat dataset in `bytes` (the one `--sheet` names, where the file holds
/// several) into `acc`: what was read, for the note, and the notes of the reading.
pub fn read(
    label: &str,
    bytes: &[u8],
    opts: &LoadOptions,
    acc: &mut Accumulator,
) -> Result<(Read, Vec<Note>)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        refuse(
            label,
            format!("JSON that is not UTF-8 (at byte {})", e.valid_up_to()),
        )
    })?;
    let d = select(label, text, opts.sheet.as_deref())?;
    let (dims, total) = dimensions(label, &d)?;
    let axes = axes(label, &d, &dims, opts)?;
    let value = d
        .object
        .get("value")
        .ok_or_else(|| refuse(label, "a JSON-stat dataset with no \"value\""))?;
    let keep = kept(label, &dims, opts)?;
    let mut dims = dims;
    let geo = match axes.geo {
        Some(g) => Some(g),
        None => rows_without_geography(label, &dims, &axes)?,
    };
    let read_geo = geo.map(|g| dims[g].id.clone());
    if let Some(g) = &read_geo {
        acc.geo_column(g);
    }
    // With neither, the dataset is one row: a dimension of one category, last, where it
    // changes no figure's index.
    let geo = geo.unwrap_or_else(|| {
        let name = Some(d.label())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| label.to_owned());
        dims.push(Dim {
            id: String::new(),
            label: name.clone(),
            ids: vec!["-".to_owned()],
            labels: vec![name],
            units: vec![None],
            children: Vec::new(),
            total: None,
        });
        dims.len() - 1
    });
    let keep = {
        let mut keep = keep;
        keep.resize(dims.len(), None);
        keep
    };
    let read = Read {
        format: "JSON-stat",
        label: d.label(),
        geo: read_geo,
        geo_is_place: axes.geo.is_some(),
        time: dims[axes.time].id.clone(),
        others: dims
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != axes.time && k != geo)
            .map(|(_, dim)| (dim.id.clone(), dim.ids.len()))
            .collect(),
    };
    let header: Vec<String> = dims.iter().map(|d| d.id.clone()).collect();
    let file = acc.add_file(label, header, Start::Json)?;
    let mut regions = vec![u32::MAX; dims[geo].ids.len()];
    let mut cube = Cube::new(file, cube_dims(label, &dims, &axes, geo, &keep)?);
    cube.expect(regions.len());
    let Marks { flags, breaks } = fill(
        label,
        &d,
        &dims,
        total,
        geo,
        &keep,
        &mut regions,
        &mut cube,
        acc,
        value,
    )?;
    mark_children(&dims[geo], &regions, acc);
    // The geography's own total, where the file names it (PxWeb's elimination value).
    if let Some(&r) = dims[geo]
        .total
        .and_then(|t| regions.get(t))
        .filter(|&&r| r != u32::MAX)
    {
        acc.aggregate(
            r,
            "the total of the regions, as the file's elimination value says",
        );
    }
    let at = |column: Option<usize>| {
        let path = column.and_then(|c| dims.get(c)).map_or_else(
            || "dimension".to_owned(),
            |dim| format!("dimension.{}", dim.id),
        );
        crate::error::Location::at(label, 0, path, None)
    };
    let roles = roles::assign(&cube, &at)?;
    let mut texts = texts_of(&cube, &roles.chosen, &read.label);
    // PC-Axis' UNITS of a table of one content ("persons", "1000 persons").
    if let Some(units) = d
        .object
        .get("extension")
        .and_then(|e| Object::at(label, e, "extension").ok())
        .and_then(|e| {
            e.get("px")
                .and_then(|p| Object::at(label, p, "extension.px").ok())
        })
        .and_then(|p| p.get("units").and_then(string))
    {
        texts.push(units);
    }
    let mut notes = super::cut_slice(label, &mut cube, &roles, &texts, opts, acc, &at)?;
    notes.extend(super::break_notes(label, &cube, &roles, &breaks));
    if !flags.is_empty() {
        notes.push(Note::Flags {
            file: label.to_owned(),
            flags,
        });
    }
    Ok((read, notes))
}

/// The region of the geographic dimension's category `c` in `acc`, made when its first
/// figure (or null) is met: named by its label, found by its id too.
fn region_of(geo: &Dim, c: usize, regions: &mut [u32], acc: &mut Accumulator) -> Result<u32> {
    if regions[c] != u32::MAX {
        return Ok(regions[c]);
    }
    let (id, name) = (&geo.ids[c], &geo.labels[c]);
    let r = acc.region(id.as_bytes(), true, || Ok(name.clone()), None)?;
    acc.alias(r, id);
    acc.code(r, id);
    regions[c] = r;
    Ok(r)
}

/// Marks the categories with children (`child`) as totals of them, never summed.
fn mark_children(geo: &Dim, regions: &[u32], acc: &mut Accumulator) {
    for (parent, kids) in &geo.children {
        let r = regions[*parent];
        if r == u32::MAX {
            continue;
        }
        let why = format!(
            "a total of {} areas, as the file's child list says",
            kids.len()
        );
        for &k in kids {
            if let Some(&c) = regions.get(k).filter(|&&c| c != u32::MAX) {
                acc.link(r, c, &why);
            }
        }
    }
}

/// What the figures' status says: each flag met and how often, and the figures flagged as
/// a break in the series.
struct Marks {
    flags: Vec<(String, u64)>,
    breaks: Vec<super::Flagged>,
}

/// Reads every figure into the cube; returns the flags met and the breaks.
#[allow(clippy::too_many_arguments)]
fn fill(
    label: &str,
    d: &Dataset,
    dims: &[Dim],
    total: u64,
    geo: usize,
    keep: &[Option<Vec<bool>>],
    regions: &mut [u32],
    cube: &mut Cube,
    acc: &mut Accumulator,
    value: &RawValue,
) -> Result<Marks> {
    let sizes: Vec<u64> = dims.iter().map(|d| d.ids.len() as u64).collect();
    let mut strides = vec![1u64; dims.len()];
    for i in (0..dims.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * sizes[i + 1];
    }
    let others: Vec<usize> = (0..dims.len()).filter(|&k| k != geo).collect();
    // The series of each combination of the other dimensions' categories, made as met.
    let series_count = usize::try_from(total / sizes[geo].max(1)).unwrap_or(0);
    let mut series_of = vec![u32::MAX; series_count];
    let status = d.object.get("status").and_then(Status::parse);
    let mut flags: Vec<(String, u64)> = Vec::new();
    let mut breaks: Vec<super::Flagged> = Vec::new();
    let mut coords = vec![0u32; others.len()];
    let file = cube.file;
    figures(label, value, total, &mut |i, raw| {
        let at = |k: usize| ((i / strides[k]) % sizes[k]) as usize;
        if keep
            .iter()
            .enumerate()
            .any(|(k, kp)| kp.as_ref().is_some_and(|kp| !kp[at(k)]))
        {
            return Ok(());
        }
        let region = region_of(&dims[geo], at(geo), regions, acc)?;
        let mut s = 0usize;
        for (n, &k) in others.iter().enumerate() {
            coords[n] = at(k) as u32;
            s = s * sizes[k] as usize + at(k);
        }
        let id = match series_of[s] {
            u32::MAX => {
                let id = cube.series_id(&coords);
                series_of[s] = id;
                id
            }
            id => id,
        };
        // A figure's place is its index in `value`: no column.
        let origin = Origin {
            file,
            line: i + 1,
            column: u32::MAX,
        };
        if let Some(st) = &status {
            let flag = st.of(i).trim();
            if super::marks_break(flag) && breaks.len() < super::MAX_BREAKS {
                let name = dims[geo].labels.get(at(geo)).cloned().unwrap_or_default();
                breaks.push((coords.clone(), name));
            }
            if !flag.is_empty() {
                match flags.iter_mut().find(|(f, _)| f == flag) {
                    Some((_, n)) => *n += 1,
                    None => flags.push((flag.to_owned(), 1)),
                }
            }
        }
        match figure(raw) {
            Ok(Some(f)) => cube.put(id, region, f, origin, &*acc),
            Ok(None) => Ok(()),
            Err(text) => {
                cube.invalid(
                    id,
                    Error::input(
                        acc.location(origin),
                        "bad population: not a number",
                        text,
                        "a JSON-stat figure is a number, a string of one, or null",
                    ),
                );
                Ok(())
            }
        }
    })?;
    Ok(Marks { flags, breaks })
}
