//! `popdelta sources`: where every bundled figure comes from and how sure it is, for people.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::error::{Error, Result};
use crate::load::bundled::{self, Dataset, FigureRow, NationalRow, split_sources};
use crate::panel::Confidence;
use crate::render::{WRAP_WIDTH, wrap};

/// "Beijing 2015, 2016; Tianjin 2017": figures listed compactly, regions in data order.
fn list_figures(rows: &[&FigureRow]) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut years: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in rows {
        if !order.contains(&r.region_en.as_str()) {
            order.push(&r.region_en);
        }
        years.entry(&r.region_en).or_default().push(r.year.trim());
    }
    order
        .iter()
        .map(|name| format!("{name} {}", year_ranges(&years[name])))
        .collect::<Vec<_>>()
        .join("; ")
}

/// "2005-2009, 2012": years with runs of consecutive years joined.
fn year_ranges(years: &[&str]) -> String {
    let mut parsed: Vec<i32> = years.iter().filter_map(|y| y.parse().ok()).collect();
    parsed.sort_unstable();
    parsed.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < parsed.len() {
        let mut j = i;
        while j + 1 < parsed.len() && parsed[j + 1] == parsed[j] + 1 {
            j += 1;
        }
        parts.push(if j > i + 1 {
            format!("{}-{}", parsed[i], parsed[j])
        } else if j == i + 1 {
            format!("{}, {}", parsed[i], parsed[j])
        } else {
            parsed[i].to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Writes text wrapped and indented by `indent` spaces.
fn indented(out: &mut dyn Write, indent: usize, text: &str) -> io::Result<()> {
    for line in wrap(text, WRAP_WIDTH - indent) {
        writeln!(out, "{:indent$}{line}", "")?;
    }
    Ok(())
}

fn confidence_meaning(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "stated by at least two independent sources",
        Confidence::Medium => {
            "one explicit source, or a decimal derived from an official \"up/down X from last year\" statement"
        }
        Confidence::Low => "only an unlabelled list",
        Confidence::Unverified => "no stored source found",
    }
}

fn report(
    out: &mut dyn Write,
    dataset: Dataset,
    rows: &[FigureRow],
    national: &[NationalRow],
) -> io::Result<()> {
    indented(
        out,
        0,
        &format!("Dataset {}: {}.", dataset.name(), dataset.description()),
    )?;
    indented(
        out,
        0,
        &format!(
            "{} figures (population in 10,000 persons as published{}), file {} in the \
             source tree.",
            rows.len(),
            if rows.iter().any(|r| !r.natural_growth_permille.is_empty()) {
                ", and birth, death and natural growth rates per mille"
            } else {
                "; no rates"
            },
            dataset.file()
        ),
    )?;

    writeln!(out, "\nHow sure the population figures are")?;
    let mut by_conf: BTreeMap<Confidence, Vec<&FigureRow>> = BTreeMap::new();
    for r in rows {
        if let Some(c) = Confidence::parse(&r.population_confidence) {
            by_conf.entry(c).or_default().push(r);
        }
    }
    if by_conf.is_empty() {
        indented(
            out,
            2,
            "This series carries no per-figure confidence: every figure comes from the \
             sources listed below.",
        )?;
    }
    for (c, figs) in &by_conf {
        let noun = if figs.len() == 1 { "figure" } else { "figures" };
        let line = format!(
            "{:<10} {:>3} {noun}: {}",
            c.name(),
            figs.len(),
            confidence_meaning(*c)
        );
        indented(out, 2, &line)?;
        if *c != Confidence::High {
            indented(out, 17, &list_figures(figs))?;
        }
    }
    indented(
        out,
        2,
        "Figures given without decimals are whole 10,000s: a change involving them is good \
         to about +-5,000 persons per figure.",
    )?;

    writeln!(
        out,
        "\nWhere the population figures come from (each source, then the figures it supports)"
    )?;
    let mut by_source: Vec<(String, Vec<&FigureRow>)> = Vec::new();
    for r in rows {
        for s in split_sources(&r.population_sources) {
            match by_source.iter_mut().find(|(k, _)| *k == s) {
                Some((_, v)) => v.push(r),
                None => by_source.push((s, vec![r])),
            }
        }
    }
    // Most-used sources first; ties keep the order of first appearance.
    by_source.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (source, figs) in &by_source {
        indented(out, 2, source)?;
        indented(out, 6, &list_figures(figs))?;
    }

    writeln!(out, "\nWhere the rates come from")?;
    let mut rate_sources: Vec<(&str, usize)> = Vec::new();
    for r in rows {
        match rate_sources.iter_mut().find(|(k, _)| *k == r.rate_source) {
            Some((_, n)) => *n += 1,
            None => rate_sources.push((&r.rate_source, 1)),
        }
    }
    for (source, n) in rate_sources {
        indented(out, 2, &format!("{source} ({n} figures)"))?;
    }
    indented(
        out,
        2,
        "Natural increase = natural growth rate / 1000 x the mean of the year-start and \
         year-end population.",
    )?;

    if !national.is_empty() {
        writeln!(
            out,
            "\nNational totals (include active military personnel; not the sum of the regions)"
        )?;
        for n in national {
            let line = format!(
                "{} {:>7} x 10,000 ({}): {}",
                n.year, n.population_10k, n.confidence, n.source
            );
            indented(out, 2, &line)?;
        }
    }
    writeln!(out)?;
    indented(
        out,
        0,
        "Each figure's sources and the researcher's note: `popdelta data` (columns \
         population_sources, rate_source, note).",
    )
}

/// Writes the sources report of a bundled dataset.
pub fn write(out: &mut dyn Write, dataset: Dataset) -> Result<()> {
    let rows = bundled::figures(dataset)?;
    let national = bundled::national(dataset)?;
    report(out, dataset, &rows, &national).map_err(|source| Error::Io {
        path: "standard output".into(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_compress_into_ranges() {
        assert_eq!(
            year_ranges(&["2005", "2006", "2007", "2009", "2011", "2012"]),
            "2005-2007, 2009, 2011, 2012"
        );
    }

    #[test]
    fn sources_split_outside_parentheses_only() {
        assert_eq!(
            split_sources("a (x; y); b;c "),
            vec!["a (x; y)".to_owned(), "b".to_owned(), "c".to_owned()]
        );
    }
}
