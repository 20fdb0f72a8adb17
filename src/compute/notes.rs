//! Notes on the figures a comparison shows, which travel with them in every format.

use crate::period::Period;
use std::collections::BTreeMap;

use crate::panel::{ComponentsKind, Confidence, Panel};

/// Something to know about the figures a comparison shows; render phrases it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Figures rounded to whole persons on request: "Name year (text as written)".
    Rounded(Vec<String>),
    /// Figures below high confidence, by level (lowest first): "Name year".
    Confidence(Vec<(Confidence, Vec<String>)>),
    /// Figures published in whole units of the source (`unit`): all of those shown, or
    /// these ("Name year").
    WholeUnits {
        /// The source's unit, e.g. "10,000 persons".
        unit: String,
        /// `None` when every figure shown is in whole units.
        figures: Option<Vec<String>>,
    },
    /// Figures not of high confidence of regions not shown, which group and total rows
    /// still sum: how many.
    ConfidenceNotShown(usize),
    /// Figures derived (a stated total minus a stated increase), not published as such
    /// ("Name year").
    Derived(Vec<String>),
    /// How natural increase was made, over which years.
    Components {
        /// Counts or rates.
        kind: ComponentsKind,
        /// The years whose components were summed.
        years: Vec<Period>,
        /// Whether net migration is as published, the residual apart.
        published: bool,
    },
    /// Rows that are totals of others, shown apart and not summed: how many, and the first
    /// few with why each was taken for one.
    Aggregates {
        /// How many rows.
        count: usize,
        /// The first of them: name, and why.
        first: Vec<(String, String)>,
    },
    /// A one-step change past what populations do in a step: a total moving more than 10%,
    /// regions more than doubling or halving. A definition, boundary or sample design that
    /// changed is the likelier cause.
    Implausible {
        /// The years compared.
        from: Period,
        /// The second year.
        to: Period,
        /// The total's change in percent, rounded, when past 10%.
        total_pct: Option<i64>,
        /// How many regions more than doubled or halved.
        regions: usize,
        /// The first few of them, with their change in percent, rounded.
        first: Vec<(String, i64)>,
    },
    /// A break in the series that the data states, which the years compared span: part of
    /// the change is the new basis (a census), not people.
    Break {
        /// The first year on the new basis.
        year: Period,
        /// The data's words.
        said: String,
    },
    /// Regions without components: how many, and the first few names.
    LackingComponents {
        /// How many regions.
        count: usize,
        /// The first of them.
        names: Vec<String>,
    },
}

/// Notes on the figures a comparison shows: rounded figures, confidence below high,
/// figures published in whole units of the source (precision of ±half a unit), and how
/// components were made.
///
/// `years` are the years shown; `components` the pair whose components are shown, if any.
pub(super) fn figure_notes(
    panel: &Panel,
    years: &[Period],
    components: Option<(Period, Period)>,
) -> Vec<Note> {
    figure_notes_of(panel, years, components, None)
}

/// [`figure_notes`] naming the figures of the regions `shown` only (by region index); the
/// others' doubtful figures, which group and total rows still sum, are counted.
pub(super) fn figure_notes_of(
    panel: &Panel,
    years: &[Period],
    components: Option<(Period, Period)>,
    shown: Option<&[bool]>,
) -> Vec<Note> {
    let (Some(&from), Some(&to)) = (years.first(), years.last()) else {
        return Vec::new();
    };
    let mut by_confidence: BTreeMap<Confidence, Vec<String>> = BTreeMap::new();
    let mut whole_units = Vec::new();
    let mut derived = Vec::new();
    let mut doubtful_not_shown = 0usize;
    let mut with_text = 0usize;
    // Only the bundled data and files with components have details to note.
    let regions = if panel.has_details() { panel.len() } else { 0 };
    for r in 0..regions {
        let name = panel.name(r);
        for &year in years {
            let Some(cell) = panel.details(r, year) else {
                continue;
            };
            if shown.is_some_and(|s| !s.get(r).copied().unwrap_or(false)) {
                doubtful_not_shown +=
                    usize::from(cell.confidence.is_some_and(|c| c != Confidence::High));
                continue;
            }
            with_text += usize::from(cell.population_text.is_some());
            if cell.derived {
                derived.push(format!("{name} {year}"));
            }
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
        notes.push(Note::Rounded(rounded));
    }
    if !by_confidence.is_empty() {
        notes.push(Note::Confidence(by_confidence.into_iter().rev().collect()));
    }
    if doubtful_not_shown > 0 {
        notes.push(Note::ConfidenceNotShown(doubtful_not_shown));
    }
    if !derived.is_empty() {
        notes.push(Note::Derived(derived));
    }
    if !whole_units.is_empty() {
        let all = whole_units.len() == with_text;
        notes.push(Note::WholeUnits {
            unit: panel.info.source_unit.clone(),
            figures: (!all).then_some(whole_units),
        });
    }
    if let Some((from, to)) = components
        && panel.components != ComponentsKind::None
    {
        notes.push(Note::Components {
            kind: panel.components,
            years: from.through(to).collect(),
            published: panel.published_migration,
        });
    }
    notes
}

/// Percent change from `a` to `b`, rounded to a whole percent.
fn pct(a: i64, b: i64) -> Option<i64> {
    let (a, b) = (i128::from(a), i128::from(b));
    if a == 0 {
        return None;
    }
    let hundredfold = (b - a) * 100;
    let rounded = (2 * hundredfold + a.signum() * a) / (2 * a);
    i64::try_from(rounded).ok()
}

/// The smallest population whose one-step change is judged: a village may double in a
/// year, a town of 10,000 does not.
const PLAUSIBLE_FROM: i64 = 10_000;

/// The [`Note::Implausible`] of a comparison of one step (no year of data between `from`
/// and `to`), if its changes are past what populations do in one step; `total` the
/// total's populations.
pub(super) fn implausible(
    panel: &Panel,
    from: Period,
    to: Period,
    total: (Option<i64>, Option<i64>),
) -> Option<Note> {
    let years = panel.years_with_data();
    if years.iter().any(|&y| y > from && y < to) {
        return None;
    }
    let mut regions = 0;
    let mut first = Vec::new();
    for r in 0..panel.len() {
        if panel.aggregate(r).is_some() {
            continue;
        }
        let (Some(a), Some(b)) = (panel.population(r, from), panel.population(r, to)) else {
            continue;
        };
        let (a2, b2) = (i128::from(a) * 2, i128::from(b) * 2);
        if a >= PLAUSIBLE_FROM && (i128::from(b) > a2 || b2 < i128::from(a)) {
            regions += 1;
            if first.len() < 5
                && let Some(p) = pct(a, b)
            {
                first.push((panel.name(r).to_owned(), p));
            }
        }
    }
    let total_pct = match total {
        (Some(a), Some(b))
            if a >= PLAUSIBLE_FROM
                && (i128::from(b) - i128::from(a)).abs() * 10 > i128::from(a) =>
        {
            pct(a, b)
        }
        _ => None,
    };
    (regions > 0 || total_pct.is_some()).then_some(Note::Implausible {
        from,
        to,
        total_pct,
        regions,
        first,
    })
}

/// Whether a note is about the figures (and so depends on which regions are shown).
pub(super) fn is_figure_note(note: &Note) -> bool {
    !matches!(
        note,
        Note::Aggregates { .. } | Note::LackingComponents { .. }
    )
}

/// Which regions are shown: those of `members`, by index.
pub(super) fn shown_set<'a>(regions: usize, members: impl Iterator<Item = &'a u32>) -> Vec<bool> {
    let mut shown = vec![false; regions];
    for &r in members {
        if let Some(s) = shown.get_mut(r as usize) {
            *s = true;
        }
    }
    shown
}

/// `notes` with their figure notes made again for the regions `shown`: the footer
/// describes the rows shown, and counts what the sums hold besides.
pub(super) fn renote(
    notes: &mut Vec<Note>,
    panel: &Panel,
    years: &[Period],
    components: Option<(Period, Period)>,
    shown: &[bool],
) {
    let mut fresh = figure_notes_of(panel, years, components, Some(shown));
    fresh.extend(notes.drain(..).filter(|n| !is_figure_note(n)));
    *notes = fresh;
}

/// The breaks in the series that a change from `from` to `to` spans.
pub(super) fn breaks(panel: &Panel, from: Period, to: Period) -> Vec<Note> {
    panel
        .info
        .breaks
        .iter()
        .filter(|(year, _)| from < *year && *year <= to)
        .map(|(year, said)| Note::Break {
            year: *year,
            said: said.clone(),
        })
        .collect()
}
