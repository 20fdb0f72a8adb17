//! The notes on a comparison's figures, in words: the same sentences in the table's
//! footer, the Markdown list and JSON's `notes`.

use crate::compute::Note;
use crate::error::{list_years, listed};
use crate::panel::{ComponentsKind, Confidence};

/// A note in its short form, for a terminal's footer: the lists cut to what matters most.
pub fn short_phrase(note: &Note) -> String {
    match note {
        Note::Confidence(levels) => {
            let parts: Vec<String> = levels
                .iter()
                .map(|(c, figs)| match c {
                    // The few doubtful figures are named; the many medium ones counted.
                    Confidence::Unverified | Confidence::Low if figs.len() <= 3 => {
                        format!("{} {}", c.name(), figs.join(", "))
                    }
                    _ => format!("{} {}", figs.len(), c.name()),
                })
                .collect();
            format!("Not of high confidence: {}.", parts.join("; "))
        }
        Note::WholeUnits {
            unit,
            figures: Some(figures),
        } => format!(
            "{} figure{} published in whole {unit} (±5,000 persons each).",
            figures.len(),
            if figures.len() == 1 { "" } else { "s" }
        ),
        other => phrase(other),
    }
}

/// A note as a sentence for people.
pub fn phrase(note: &Note) -> String {
    match note {
        Note::Rounded(figures) => format!(
            "Rounded to whole persons (--fractions error refuses them): {}.",
            listed(figures, ", ")
        ),
        Note::Confidence(levels) => {
            let parts: Vec<String> = levels
                .iter()
                .map(|(c, figs)| format!("{}: {}", c.name(), listed(figs, ", ")))
                .collect();
            format!(
                "Figures not of high confidence ({}); see `popdelta sources`.",
                parts.join("; ")
            )
        }
        Note::ConfidenceNotShown(count) => format!(
            "The group and total rows also sum {count} figure{} not of high confidence, of \
             regions not shown (popdelta sources names them).",
            if *count == 1 { "" } else { "s" }
        ),
        Note::Derived(figures) => format!(
            "Derived, not published as such (a stated total minus a stated increase; `popdelta \
             data` shows how): {}.",
            listed(figures, ", ")
        ),
        Note::WholeUnits {
            unit,
            figures: None,
        } => format!(
            "All figures are published in whole {unit}: each change is good to about ±10,000 \
             persons."
        ),
        Note::WholeUnits {
            unit,
            figures: Some(figures),
        } => format!(
            "Published in whole {unit} (a change involving them is good to about ±5,000 \
             persons per figure): {}.",
            listed(figures, ", ")
        ),
        Note::Components {
            kind,
            years,
            published,
        } => {
            let basis = match kind {
                ComponentsKind::Rates => {
                    "natural growth rates (per mille of the mean of year-start and year-end population)"
                }
                _ => "births minus deaths",
            };
            let migration = if *published {
                "net migration as the data publishes it (--migration-col); residual = change - \
                 natural increase - net migration, what the balancing equation leaves over"
            } else {
                "net migration = change - natural increase, a residual that also carries the \
                 statistical error of the figures"
            };
            format!(
                "Natural increase from {basis} of {}; {migration}.",
                list_years(years)
            )
        }
        Note::Aggregates { count, first } => {
            let named: Vec<String> = first
                .iter()
                .map(|(name, why)| format!("{name} ({why})"))
                .collect();
            let more = count.saturating_sub(first.len());
            format!(
                "Not summed: {count} row{} of the data {} totals of others, shown after the \
                 total: {}{}.",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "is" } else { "are" },
                named.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        }
        Note::Break { year, said } => format!(
            "A break in the series in {year}, which these years span: the data says {said:?}. \
             Part of the change is the new basis, not people: compare years on one side of \
             it."
        ),
        Note::LackingComponents { count, names } => {
            let more = count.saturating_sub(names.len());
            let and_more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(
                "No components of change for {count} region{} ({}{and_more}): their rows show \
                 none, and neither do the groups and total that include them.",
                if *count == 1 { "" } else { "s" },
                names.join(", ")
            )
        }
        Note::Implausible {
            from,
            to,
            total_pct,
            regions,
            first,
        } => {
            let signed = |p: i64| format!("{}%", crate::number::signed_with_separators(p.into()));
            let mut said = Vec::new();
            if let Some(p) = total_pct {
                said.push(format!("the total moved {}", signed(*p)));
            }
            if *regions > 0 {
                let named: Vec<String> = first
                    .iter()
                    .map(|(n, p)| format!("{n} {}", signed(*p)))
                    .collect();
                let more = regions.saturating_sub(first.len());
                said.push(format!(
                    "{regions} region{} more than doubled or halved ({}{})",
                    if *regions == 1 { "" } else { "s" },
                    named.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
            format!(
                "Implausible for one step, {from} to {to}: {}. A change of definition, \
                 boundary or sample design (a 1‰ sample replaced by a 1% one, say) is likelier \
                 than people moving: check the source's notes before reading it as a change.",
                said.join("; ")
            )
        }
    }
}
