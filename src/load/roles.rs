//! Roles, assigned once for every format by one rule: which slice of a cube is compared.
//!
//! The geography and the periods are the panel's axes, and a table's measures (population,
//! births, rates) its kinds of figure. Every other dimension must come down to one
//! category, for figures of several are not to be summed:
//!
//! - a dimension with one category is that category;
//! - a breakdown (sex, age, place of birth) with a total category (`T`, `TOTAL`, `Both
//!   sexes`, `Insgesamt`, `男女計`, or the one the file says is its total) takes the total,
//!   and says so;
//! - a statistic (an indicator, a unit, a dataflow, a frequency) is never taken for the
//!   user, nor a breakdown without a total: the refusal lists what each holds and names
//!   the `--where` that keeps one.

use crate::error::{Error, Location, Result};
use crate::load::cube::{Category, Cube, DimKind, Dimension};
use crate::number::Unit;

/// What is compared of a cube.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    /// Per dimension, the one category compared; `None` for the periods, the measures and
    /// the regions' parents, all of whose categories are read.
    pub chosen: Vec<Option<u32>>,
    /// The totals taken of breakdowns that hold several categories, said to the user.
    pub taken: Vec<Taken>,
    /// Dimensions whose category follows from the region (its country): the regions'
    /// parents, not breakdowns, by name.
    pub parents: Vec<String>,
}

/// A breakdown's total, taken for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// The dimension, as the file names it.
    pub dim: String,
    /// The total's code (what `--where` matches).
    pub code: String,
    /// Its label, where the file gives one besides the code.
    pub label: String,
    /// How many categories the dimension holds.
    pub of: usize,
}

/// Codes that offices give the total of a breakdown (SDMX's `_T`, Eurostat's `T` and
/// `TOTAL`, PxWeb's `SSS`).
const TOTAL_CODES: &[&str] = &["T", "_T", "TOTAL", "_TOTAL", "TOT", "SSS", "ALL"];

/// Labels of a breakdown's total, lower case, in the offices' languages.
const TOTAL_LABELS: &[&str] = &[
    "total",
    "totals",
    "all",
    "all ages",
    "all persons",
    "both sexes",
    "both sexes combined",
    "persons",
    "insgesamt",
    "gesamt",
    "zusammen",
    "ensemble",
    "totale",
    "totalt",
    "i alt",
    "yhteensä",
    "ambos sexos",
    "todos",
    "todas las edades",
    "合计",
    "总计",
    "合計",
    "総数",
    "總計",
];

/// Whether a category is, by its code or its label, the total of its dimension.
pub fn is_total(c: &Category) -> bool {
    let code = c.code.trim();
    let label = c.label.trim().to_lowercase();
    TOTAL_CODES.iter().any(|t| code.eq_ignore_ascii_case(t))
        || TOTAL_LABELS.contains(&label.as_str())
        // e-Stat's totals: 男女計 (both sexes), 総人口 (the whole population).
        || label.ends_with('計')
        || label.starts_with('総')
}

/// The one category of a dimension that is its total, if it has exactly one.
fn total_of(d: &Dimension, used: &[bool]) -> Option<u32> {
    if let Some(t) = d.stated_total {
        return Some(t);
    }
    let mut totals = d
        .categories()
        .iter()
        .enumerate()
        .filter(|(i, c)| used.get(*i).copied().unwrap_or(false) && is_total(c))
        .map(|(i, _)| i as u32);
    let first = totals.next()?;
    totals.next().is_none().then_some(first)
}

/// Names for the dimensions that decide the slice without being its axes, by their
/// names: what the figures are, never summed.
pub fn is_statistic_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "indic",
        "unit",
        "statist",
        "measure",
        "dataflow",
        "structure",
        "concept",
        "variable",
        "tiedot",
        "content",
        "表章項目",
        "item",
        "subject",
        "metric",
        "freq",
    ];
    let lower = name.trim().to_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a dimension's name is that of a place (a region's country, state or NUTS
/// region), which a region may belong to.
fn is_place(name: &str) -> bool {
    const PLACES: &[&str] = &[
        "country", "cou", "state", "nuts", "land", "province", "region",
    ];
    let lower = name.trim().to_lowercase();
    crate::load::formats::sdmx_csv::is_geo(&lower) || PLACES.iter().any(|p| lower == *p)
}

/// Whether every region with a figure stands at one category of dimension `d` only: the
/// dimension then follows from the region, as a country from its regions.
fn follows_region(cube: &Cube, d: usize) -> bool {
    const UNSET: u32 = u32::MAX;
    let mut of: Vec<u32> = Vec::new();
    for s in cube.series() {
        let c = s.coords[d];
        for (r, _, _) in s.figures() {
            if of.len() <= r {
                of.resize(r + 1, UNSET);
            }
            match of[r] {
                UNSET => of[r] = c,
                x if x == c => {}
                _ => return false,
            }
        }
    }
    true
}

/// Assigns the roles of a cube's dimensions; `at` places a dimension's column in the file,
/// for the refusal.
pub fn assign(cube: &Cube, at: &dyn Fn(Option<usize>) -> Location) -> Result<Roles> {
    let used = cube.used();
    let mut chosen = Vec::with_capacity(cube.dims.len());
    let mut taken = Vec::new();
    let mut parents = Vec::new();
    let mut unresolved: Vec<usize> = Vec::new();
    for (d, dim) in cube.dims.iter().enumerate() {
        let used = &used[d];
        let held: Vec<u32> = (0..used.len() as u32)
            .filter(|&c| used[c as usize])
            .collect();
        match (dim.kind, &held[..]) {
            (DimKind::Time | DimKind::Measure, _) => chosen.push(None),
            (_, []) => chosen.push(Some(0)),
            (_, [one]) => chosen.push(Some(*one)),
            (DimKind::Breakdown, _) if is_place(&dim.name) && follows_region(cube, d) => {
                parents.push(dim.name.clone());
                chosen.push(None);
            }
            (DimKind::Breakdown, _) => match total_of(dim, used) {
                Some(t) => {
                    let c = &dim.categories()[t as usize];
                    taken.push(Taken {
                        dim: dim.name.clone(),
                        code: c.code.clone(),
                        label: c.label.clone(),
                        of: held.len(),
                    });
                    chosen.push(Some(t));
                }
                None => {
                    unresolved.push(d);
                    chosen.push(None);
                }
            },
            (DimKind::Statistic, _) => {
                unresolved.push(d);
                chosen.push(None);
            }
        }
    }
    if unresolved.is_empty() {
        return Ok(Roles {
            chosen,
            taken,
            parents,
        });
    }
    Err(several(cube, &used, &unresolved, at))
}

/// A category as a refusal lists it: its code, and its label (cut) where it has one.
fn with_label(c: &Category) -> String {
    if c.label.trim().is_empty() || c.label == c.code {
        return c.code.clone();
    }
    let label: String = c.label.chars().take(30).collect();
    let cut = if label.len() < c.label.len() {
        "..."
    } else {
        ""
    };
    format!("{} {label}{cut}", c.code)
}

/// The refusal of dimensions that hold several categories none of which can be taken:
/// what each holds, and the `--where` that keeps one.
fn several(
    cube: &Cube,
    used: &[Vec<bool>],
    dims: &[usize],
    at: &dyn Fn(Option<usize>) -> Location,
) -> Error {
    // Eurostat's codes for the population itself, and for "all" of a breakdown.
    const LIKELY: &[&str] = &["JAN", "POP", "T", "TOTAL", "NR"];
    let mut said = Vec::new();
    let mut keep = Vec::new();
    for &d in dims {
        let dim = &cube.dims[d];
        let held: Vec<&Category> = dim
            .categories()
            .iter()
            .enumerate()
            .filter(|(i, _)| used[d].get(*i).copied().unwrap_or(false))
            .map(|(_, c)| c)
            .collect();
        let shown: Vec<String> = held.iter().take(8).map(|c| with_label(c)).collect();
        let pick = LIKELY
            .iter()
            .find(|l| held.iter().any(|c| c.code == **l))
            .copied()
            .or_else(|| held.iter().find(|c| is_total(c)).map(|c| c.code.as_str()))
            .or_else(|| held.first().map(|c| c.code.as_str()))
            .unwrap_or_default();
        let more = if held.len() > shown.len() {
            ", ..."
        } else {
            ""
        };
        said.push(format!(
            "more than one {} ({}{more})",
            dim.name,
            shown.join(", ")
        ));
        keep.push(format!("--where {}={pick}", dim.name));
    }
    let column = dims.first().and_then(|&d| cube.dims[d].column);
    Error::input(
        at(column),
        format!(
            "the rows hold {}, whose figures are not to be summed",
            crate::error::listed(&said, " and ")
        ),
        "",
        format!("keep one with {}", crate::error::listed(&keep, " ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::cube::{Meaning, plain};

    #[test]
    fn totals_are_told_by_code_or_label() {
        for (code, label) in [
            ("T", "Total"),
            ("_T", "_T"),
            ("SSS", "Totalt"),
            ("000", "男女計"),
            ("001", "総人口"),
            ("x", "Both sexes"),
            ("x", "Insgesamt"),
        ] {
            let c = Category {
                code: code.into(),
                label: label.into(),
                meaning: Meaning::None,
                unit: None,
            };
            assert!(is_total(&c), "{code} {label}");
        }
        for code in ["M", "F", "Y15-64", "DE", "男", "日本人人口"] {
            assert!(!is_total(&plain(code.as_bytes(), Meaning::None)), "{code}");
        }
        assert!(is_statistic_name("indic_de") && is_statistic_name("UNIT_MEASURE"));
        assert!(!is_statistic_name("sex") && !is_statistic_name("age"));
    }
}

/// What a slice's texts (its unit's code and label, its statistic's label, a column's
/// name, a title) say its figures are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// Persons, in this unit, as the text says.
    Persons(Unit, String),
    /// Values of another unit (a percentage, a rate, money, a density, a rank), named so.
    Values(String),
}

/// Unit codes of SDMX and Eurostat that are no count of persons: percentages, rates, money,
/// densities, indices.
fn is_value_code(code: &str) -> bool {
    const EXACT: &[&str] = &[
        "PC", "PT", "PCT", "RT", "PS_KM2", "HAB_KM2", "KM2", "IX", "I15", "I10", "I20",
    ];
    const PREFIXES: &[&str] = &[
        "PC_", "RT_", "EUR", "USD", "PPS", "NAC", "CLV", "CP_", "PER_", "P_TH", "I1", "I2",
    ];
    let c = code.trim();
    c.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && (EXACT.contains(&c) || PREFIXES.iter().any(|p| c.starts_with(p)))
}

/// Unit codes that count persons, and in what unit.
fn persons_code(code: &str) -> Option<Unit> {
    match code.trim() {
        "PS" | "PERS" | "NR" | "PERSONS" | "PSNS" | "NB" | "NUM" => Some(Unit::Persons),
        "THS_PER" | "THS" | "THS_PERS" | "THS_PS" => Some(Unit::Thousand),
        "MIO_PER" | "MIO" | "MIO_PERS" => Some(Unit::Million),
        _ => None,
    }
}

/// Words of a label that say its figures are not counts of persons.
fn is_value_label(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "%",
        "percent",
        "per cent",
        "percentage",
        "per 1000",
        "per 1 000",
        "per 1,000",
        "per 100 ",
        "‰",
        "per inhabitant",
        "per head",
        "per capita",
        "per km",
        "/km",
        "density",
        "euro",
        "dollar",
        "currency",
        "比重",
        "密度",
        "率",
    ];
    let lower = text.to_lowercase();
    let word = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    WORDS.iter().any(|w| lower.contains(w))
        || word("rate")
        || word("rates")
        || word("rank")
        || word("index")
        || word("share")
}

/// What the first text that says anything says of the figures: values of another unit
/// (checked first, so that "persons per square kilometre" is no count), persons in a unit,
/// or persons by a word for them.
pub fn unit_said(texts: &[String]) -> Option<Said> {
    for t in texts {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(u) = persons_code(t) {
            return Some(Said::Persons(u, t.to_owned()));
        }
        if is_value_code(t) {
            return Some(Said::Values(if t.starts_with("PC") {
                "%".into()
            } else {
                t.into()
            }));
        }
        if is_value_label(t) {
            return Some(Said::Values(t.to_owned()));
        }
        if let Some(u) = crate::load::layout::names::unit_stated(t) {
            return Some(Said::Persons(u, t.to_owned()));
        }
        let lower = t.to_lowercase();
        const PERSONS: &[&str] = &[
            "persons",
            "number",
            "people",
            "inhabitants",
            "antal",
            "personen",
            "personas",
            "habitants",
            "人",
        ];
        if PERSONS.contains(&lower.as_str()) {
            return Some(Said::Persons(Unit::Persons, t.to_owned()));
        }
    }
    None
}

/// The texts of a slice that may say what its figures are, the most explicit first: the
/// units its chosen categories state, then the codes and labels of its statistics (a
/// unit's `PC`, an indicator's "Unemployment rate").
pub fn slice_texts(cube: &Cube, chosen: &[Option<u32>]) -> Vec<String> {
    let picked = || {
        cube.dims.iter().zip(chosen).filter_map(|(d, c)| {
            let cat = d.categories().get(usize::try_from((*c)?).ok()?)?;
            Some((d, cat))
        })
    };
    let mut texts: Vec<String> = picked().filter_map(|(_, c)| c.unit.clone()).collect();
    texts.extend(picked().filter_map(|(d, c)| unit_of_the_others(d, c)));
    for (d, c) in picked() {
        if d.kind == DimKind::Statistic {
            texts.push(c.code.clone());
            texts.push(c.label.clone());
        }
    }
    texts
}

/// The unit of a statistic that states none, where every other category of its dimension
/// that states one states the same (INE's "Población", beside five measures in "Miles de
/// personas"), said as such; `None` otherwise.
fn unit_of_the_others(
    d: &crate::load::cube::Dimension,
    c: &crate::load::cube::Category,
) -> Option<String> {
    fn stated(u: &Option<String>) -> Option<&str> {
        u.as_deref().filter(|u| !u.trim().is_empty())
    }
    if d.kind != DimKind::Statistic || stated(&c.unit).is_some() {
        return None;
    }
    let mut others = d.categories().iter().filter_map(|o| stated(&o.unit));
    let first = others.next()?;
    others.all(|u| u == first).then(|| {
        format!(
            "{first} (the unit of every other {}: {} states none)",
            d.name, c.label
        )
    })
}

/// How a slice is read, from what its texts say: values of another unit, persons in a
/// unit (and the text that says so), or persons by default (`None` for the text then).
pub fn reading(
    texts: &[String],
    asked: Option<Unit>,
    fractions: crate::number::Fractions,
) -> (crate::load::slice::Reading, Option<Said>) {
    use crate::load::slice::Reading;
    if let Some(u) = asked {
        return (Reading::persons(u, fractions), None);
    }
    match unit_said(texts) {
        Some(Said::Values(u)) => (Reading::Values(u.clone()), Some(Said::Values(u))),
        Some(Said::Persons(u, t)) => (Reading::persons(u, fractions), Some(Said::Persons(u, t))),
        None => (Reading::persons(Unit::Persons, fractions), None),
    }
}
