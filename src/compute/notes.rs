//! Notes on the figures a comparison shows, which travel with them in every format.

use std::collections::BTreeMap;

use crate::error::list_years;
use crate::panel::{ComponentsKind, Confidence, Panel};

/// Notes on the figures a comparison shows: confidence below high, and figures published
/// in whole units of the source (precision of ±half a unit).
pub(super) fn figure_notes(panel: &Panel, from: i32, to: i32) -> Vec<String> {
    let mut by_confidence: BTreeMap<Confidence, Vec<String>> = BTreeMap::new();
    let mut whole_units = Vec::new();
    let mut with_text = 0usize;
    // Only the bundled data and files with components have details to note.
    let regions = if panel.has_details() { panel.len() } else { 0 };
    for r in 0..regions {
        let name = panel.name(r);
        for year in [from, to] {
            let Some(cell) = panel.details(r, year) else {
                continue;
            };
            with_text += usize::from(cell.population_text.is_some());
            if let Some(c) = cell.confidence.filter(|&c| c != Confidence::High) {
                by_confidence
                    .entry(c)
                    .or_default()
                    .push(format!("{name} {year}"));
            }
            if cell
                .population_text
                .as_deref()
                .is_some_and(|t| !t.contains('.'))
            {
                whole_units.push(format!("{name} {year}"));
            }
        }
    }
    let mut notes = Vec::new();
    let rounded: Vec<String> = panel
        .rounded
        .iter()
        .filter(|f| f.year >= from && f.year <= to)
        .map(|f| {
            let name = panel.name(f.region);
            format!("{name} {} ({})", f.year, f.text)
        })
        .collect();
    if !rounded.is_empty() {
        notes.push(format!(
            "Rounded to whole persons (--fractions round): {}.",
            rounded.join(", ")
        ));
    }
    if !by_confidence.is_empty() {
        let parts: Vec<String> = by_confidence
            .iter()
            .rev()
            .map(|(c, figs)| format!("{}: {}", c.name(), figs.join(", ")))
            .collect();
        notes.push(format!(
            "Figures not of high confidence ({}); see `popdelta sources`.",
            parts.join("; ")
        ));
    }
    if !whole_units.is_empty() && whole_units.len() == with_text {
        notes.push(format!(
            "All figures are published in whole {}: each change is good to about ±10,000 \
             persons.",
            panel.info.source_unit
        ));
    } else if !whole_units.is_empty() {
        notes.push(format!(
            "Published in whole {} (a change involving them is good to about ±5,000 persons \
             per figure): {}.",
            panel.info.source_unit,
            whole_units.join(", ")
        ));
    }
    match panel.components {
        ComponentsKind::None => {}
        kind => {
            let years: Vec<i32> = (from + 1..=to).collect();
            let basis = match kind {
                ComponentsKind::Rates => {
                    "natural growth rates (per mille of the mean of year-start and year-end population)"
                }
                _ => "births minus deaths",
            };
            notes.push(format!(
                "Natural increase from {basis} of {}; net migration = change - natural \
                 increase, a residual that also carries the statistical error of the figures.",
                list_years(&years)
            ));
        }
    }
    notes
}
