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
            said.join(" and ")
        ),
        "",
        format!("keep one with {}", keep.join(" ")),
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
