//! Compute: per-region change, percent change and components of change; group and grand
//! totals over the regions that have both years. [`arrange`] then filters and sorts the
//! region rows for display.

pub mod arrange;

use crate::error::{Error, Result, list_years};
use crate::panel::{ComponentsKind, Panel};
use crate::period::Period;

mod components;
mod notes;
pub mod quality;
mod result;
pub mod series;
mod totals;
pub mod trend;
pub mod vintages;
mod years;

pub use components::{Figures, figures, percent};
pub use notes::Note;
pub use result::{Comparison, Components, Excluded, Level, Line, Section};
pub use years::{default_pair, resolve_years, shared};

use components::region_line;
use totals::Sums;

fn overflow(what: &str) -> Error {
    Error::Overflow {
        what: what.to_owned(),
    }
}

/// A region's row with its components, or without them if they cannot be computed.
fn region_line_or_basic(panel: &Panel, r: usize, from: Period, to: Period) -> Line<'_> {
    region_line(panel, r, from, to).unwrap_or_else(|_| components::basic_line(panel, r, from, to))
}

/// Regions compared on more than one thread from this many.
const PARALLEL_REGIONS: usize = 1 << 16;

/// What one run of regions adds up to.
struct Run<'p> {
    /// Per slot (group): the sums.
    sums: Vec<Sums>,
    excluded: Vec<Excluded>,
    /// The first regions lacking components, and how many lack them.
    lacking: Vec<&'p str>,
    lacking_count: usize,
}

impl Run<'_> {
    fn new(slots: usize) -> Self {
        Run {
            sums: (0..slots).map(|_| Sums::default()).collect(),
            excluded: Vec::new(),
            lacking: Vec::new(),
            lacking_count: 0,
        }
    }

    /// The runs' results as one, in the runs' order.
    fn merged<'p>(runs: Vec<Run<'p>>, slots: usize) -> Result<Run<'p>> {
        let mut all = Run::new(slots);
        for run in runs {
            for (sums, run) in all.sums.iter_mut().zip(&run.sums) {
                sums.merge(run)?;
            }
            all.excluded.extend(run.excluded);
            all.lacking_count += run.lacking_count;
            all.lacking.extend(run.lacking);
        }
        all.lacking.truncate(NAMES_IN_A_NOTE);
        Ok(all)
    }
}

/// Runs `work` on each item on its own thread, results in order.
fn on_threads<T: Send, R: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    crate::threads::map(items, work, || overflow("the work shared among threads"))
}

/// Orders group labels: numbers by value ("2" before "10"), then text; no group last.
fn group_cmp(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(a), Some(b)) => match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
            (Err(_), Err(_)) => a.cmp(b),
        },
    }
}

/// The sections in display order, as slots (group indices, then `ungrouped` for regions
/// without a group), and whether group rows are shown. `members` holds each slot's
/// regions in the data's order: a slot's first member is its first use. Groups come in
/// the data's fixed order if it has one, else by label (numbers by value); unused slots
/// are left out.
fn order_sections(panel: &Panel, members: &[Vec<u32>], ungrouped: usize) -> (Vec<usize>, bool) {
    let mut used: Vec<(u32, usize)> = members
        .iter()
        .enumerate()
        .filter_map(|(s, m)| m.first().map(|&r| (r, s)))
        .collect();
    used.sort_unstable();
    let mut order: Vec<usize> = used.into_iter().map(|(_, s)| s).collect();
    let grouped = !panel.groups().is_empty() && order.iter().any(|&s| s < ungrouped);
    let fixed = &panel.info.group_order;
    let label = |s: usize| (s < ungrouped).then(|| panel.groups()[s].as_str());
    order.sort_by(|&a, &b| {
        let rank = |s: usize| {
            label(s)
                .and_then(|g| fixed.iter().position(|f| f == g))
                .unwrap_or(usize::MAX)
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| group_cmp(label(a), label(b)))
    });
    (order, grouped)
}

/// The note on rows that are totals of others (shown apart, never summed), if any.
fn aggregates_note(panel: &Panel, aggregates: &[u32]) -> Option<Note> {
    (!aggregates.is_empty()).then(|| Note::Aggregates {
        count: aggregates.len(),
        first: aggregates
            .iter()
            .take(NAMES_IN_A_NOTE)
            .map(|&r| {
                let r = r as usize;
                let why = panel.aggregate(r).unwrap_or_default();
                (panel.name(r).to_owned(), why.to_owned())
            })
            .collect(),
    })
}

/// Whether a claim's or a query's subject names the total of all regions.
pub fn names_the_total(subject: &str) -> bool {
    matches!(
        subject.trim().to_lowercase().as_str(),
        "total" | "all" | "全国"
    )
}

/// Most names listed in one note.
const NAMES_IN_A_NOTE: usize = 10;

/// Refuses the comparison for an unreadable figure of a year it needs (one of its two
/// years; a year between them where components or rates are summed over the span).
fn refuse_unreadable_used(panel: &Panel, from: Period, to: Period) -> Result<()> {
    let rates = panel.components == ComponentsKind::Rates;
    for f in &panel.invalid {
        let used = if f.component {
            panel.components != ComponentsKind::None && f.year > from && f.year <= to
        } else {
            f.year == from || f.year == to || (rates && f.year > from && f.year < to)
        };
        if used {
            return Err(Error::Input(Box::new(f.error.clone())));
        }
    }
    Ok(())
}

/// Each run's place in each slot's list of members, in run order: `counts[run][slot]`
/// members each.
fn places_of_runs<'a>(
    members: &'a mut [Vec<u32>],
    counts: &[Vec<usize>],
) -> Vec<Vec<&'a mut [u32]>> {
    let mut places: Vec<Vec<&mut [u32]>> = counts.iter().map(|_| Vec::new()).collect();
    for (s, list) in members.iter_mut().enumerate() {
        let mut rest = &mut list[..];
        for (t, place) in places.iter_mut().enumerate() {
            let (here, after) = rest.split_at_mut(counts[t][s]);
            place.push(here);
            rest = after;
        }
    }
    places
}

/// The populations of the two periods compared, or the refusal naming the one the panel
/// lacks.
fn columns(
    panel: &Panel,
    from: Period,
    to: Period,
) -> Result<(crate::panel::Column<'_>, crate::panel::Column<'_>)> {
    match (panel.column(from), panel.column(to)) {
        (Some(a), Some(b)) => Ok((a, b)),
        (a, _) => Err(Error::YearNotInData {
            year: if a.is_none() { from } else { to },
            dataset: panel.info.dataset.clone(),
            available: list_years(panel.years()),
        }),
    }
}

/// Compares two periods of a panel (years: `2016`, `2017`): every region, every group,
/// the total.
pub fn compare(
    panel: &Panel,
    from: impl Into<Period>,
    to: impl Into<Period>,
) -> Result<Comparison<'_>> {
    let (from, to) = (from.into(), to.into());
    refuse_unreadable_used(panel, from, to)?;
    let (col_from, col_to) = columns(panel, from, to)?;
    let n = panel.len();
    u32::try_from(n).map_err(|_| overflow("the number of regions"))?;
    let plain = panel.components == ComponentsKind::None;
    // Populations summed without making each row: no components, and every figure exact
    // (in persons, with no text or confidence of its own to carry).
    let lean = plain && panel.info.unit == crate::number::Unit::Persons && !panel.has_details();
    // A slot per group, one for regions without a group, and one for the rows that are
    // totals of others (shown apart, never summed).
    let slots = panel.groups().len() + 2;
    let (ungrouped, apart) = (slots - 2, slots - 1);
    let mut is_aggregate = Vec::new();
    for (r, _) in panel.aggregates() {
        is_aggregate.resize(is_aggregate.len().max(r + 1), false);
        is_aggregate[r] = true;
    }
    let slot = |r: usize| {
        if is_aggregate.get(r).copied().unwrap_or(false) {
            apart
        } else {
            panel.group_id(r).unwrap_or(ungrouped)
        }
    };
    // Millions of plain regions are shared among threads, in runs kept in order.
    let threads = if plain && n >= PARALLEL_REGIONS {
        crate::threads::count()
    } else {
        1
    };
    let runs: Vec<std::ops::Range<usize>> = (0..threads)
        .map(|t| n * t / threads..n * (t + 1) / threads)
        .collect();
    // First, each run's regions per slot, so that each section's members are written in
    // place: not copied as they grow, nor gathered afterwards.
    let counts = on_threads(runs.clone(), |run| {
        let mut count = vec![0usize; slots];
        for r in run {
            count[slot(r)] += 1;
        }
        Ok(count)
    })?;
    let mut members: Vec<Vec<u32>> = (0..slots)
        .map(|s| bytemuck::zeroed_vec(counts.iter().map(|c| c[s]).sum()))
        .collect();
    let places = places_of_runs(&mut members, &counts);
    let work: Vec<_> = runs.into_iter().zip(places).collect();
    let done = on_threads(work, |(run, mut places)| {
        let mut out = Run::new(slots);
        let mut at = vec![0usize; slots];
        for r in run {
            let s = slot(r);
            // Only the places of this run's own regions are written: the counts made them.
            if let Some(place) = places.get_mut(s).and_then(|p| p.get_mut(at[s])) {
                *place = r as u32; // below 2^32: checked above
            }
            at[s] += 1;
            if s == apart {
                continue;
            }
            match (col_from.get(r), col_to.get(r)) {
                // The common case, kept lean: no components to compute.
                (Some(a), Some(b)) if lean => out.sums[s].add_populations(a, b)?,
                (Some(_), Some(_)) => {
                    let line = region_line(panel, r, from, to)?;
                    if line.lacking_components > 0 {
                        out.lacking_count += 1;
                        if out.lacking.len() < NAMES_IN_A_NOTE {
                            out.lacking.push(panel.name(r));
                        }
                    }
                    out.sums[s].add(&line)?;
                }
                (a, b) => out.excluded.push(Excluded {
                    region: panel.name(r).to_owned(),
                    missing: [(from, a), (to, b)]
                        .iter()
                        .filter(|(_, p)| p.is_none())
                        .map(|&(y, _)| y)
                        .collect(),
                }),
            }
        }
        Ok(out)
    })?;
    let Run {
        sums,
        excluded,
        lacking,
        lacking_count,
    } = Run::merged(done, slots)?;
    let mut total = Sums::default();
    for s in &sums {
        total.merge(s)?;
    }
    let aggregates = std::mem::take(&mut members[apart]);
    let (order, grouped) = order_sections(panel, &members[..apart], ungrouped);
    // Values of another unit than persons (rates, shares) are never summed.
    let totalled = panel.info.values.is_none();
    let mut out = Vec::with_capacity(order.len());
    for s in order {
        let group = (s < ungrouped).then(|| panel.groups()[s].as_str());
        let summary = if grouped && totalled {
            Some(sums[s].line(Level::Group, group, panel)?)
        } else {
            None
        };
        out.push(Section {
            group,
            members: std::mem::take(&mut members[s]),
            summary,
        });
    }
    let mut total = total.line(Level::Total, None, panel)?;
    if !totalled {
        (total.pop_from, total.pop_to, total.change, total.change_pct) = (None, None, None, None);
    }
    let mut notes = notes::figure_notes(panel, &[from, to], Some((from, to)));
    if lacking_count > 0 {
        notes.push(Note::LackingComponents {
            count: lacking_count,
            names: lacking.iter().map(|n| n.to_string()).collect(),
        });
    }
    notes.extend(aggregates_note(panel, &aggregates));
    notes.extend(notes::breaks(panel, from, to));
    if totalled {
        let pops = (total.pop_from, total.pop_to);
        notes.extend(notes::implausible(panel, from, to, pops));
    }
    Ok(Comparison {
        panel,
        from,
        to,
        sections: out,
        total,
        excluded,
        components: panel.components,
        notes,
        hidden: 0,
        aggregates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::bundled::{self, Dataset};
    use crate::number::{Decimal, Milli};
    use crate::panel::{Names, PanelInfo, Region};
    use proptest::prelude::*;

    fn china() -> Panel {
        bundled::load(Dataset::default(), None).unwrap()
    }

    #[test]
    fn reproduces_the_2018_reports() {
        let p = china();
        let c = compare(&p, 2016, 2017).unwrap();
        let change = |n: &str| c.region(n).and_then(|l| l.change);
        assert_eq!(change("Beijing"), Some(-22_000));
        assert_eq!(change("Shanghai"), Some(-13_700));
        assert_eq!(change("Jilin"), Some(-156_000));
        assert_eq!(change("Tianjin"), Some(-52_500));
        assert_eq!(change("Liaoning"), Some(-89_000));
        let pct = c.region("Beijing").and_then(|l| l.change_pct);
        assert_eq!(pct.map(|p| p.to_string()), Some("-0.101".into()));
    }

    #[test]
    fn north_south_and_total() {
        let p = china();
        let c = compare(&p, 2016, 2017).unwrap();
        let n = c.group("north").unwrap();
        assert_eq!(
            (n.pop_from, n.pop_to),
            (Some(578_846_300), Some(581_040_200))
        );
        assert_eq!((n.regions, n.declined), (15, 5));
        let s = c.group("south").unwrap();
        assert_eq!(
            (s.pop_from, s.pop_to),
            (Some(800_977_700), Some(807_293_000))
        );
        let t = c.total().unwrap();
        assert_eq!(
            (t.pop_from, t.pop_to),
            (Some(1_379_824_000), Some(1_388_333_200))
        );
        assert_eq!(t.change, Some(8_509_200));
        assert!(c.excluded.is_empty());
    }

    #[test]
    fn liaoning_components_from_rates() {
        let p = china();
        let c = compare(&p, 2016, 2017).unwrap();
        let l = c.region("Liaoning").unwrap().components.unwrap();
        assert_eq!(l.natural_increase, -19_243);
        assert_eq!(l.net_migration, -69_757);
        let north = c.group("north").unwrap().components.unwrap();
        let south = c.group("south").unwrap().components.unwrap();
        assert!(north.net_migration_per_1000 < Some(Milli(0)));
        assert!(south.net_migration_per_1000 > Some(Milli(0)));
    }

    #[test]
    fn components_over_several_years_sum_each_year() {
        let p = china();
        let two = compare(&p, 2015, 2017).unwrap();
        let a = compare(&p, 2015, 2016).unwrap();
        let b = compare(&p, 2016, 2017).unwrap();
        let ni = |c: &Comparison| {
            c.region("Beijing")
                .unwrap()
                .components
                .unwrap()
                .natural_increase
        };
        // Rounded once over both years, so within one person of the sum of the two.
        assert!((ni(&two) - ni(&a) - ni(&b)).abs() <= 1);
    }

    #[test]
    fn default_years_and_errors() {
        let p = china();
        assert_eq!(
            resolve_years(
                &p,
                None,
                None,
                Some((Period::year(2016), Period::year(2017)))
            )
            .unwrap(),
            (Period::year(2016), Period::year(2017))
        );
        assert_eq!(
            resolve_years(&p, None, None, None).unwrap(),
            (Period::year(2017), Period::year(2018))
        );
        assert_eq!(
            resolve_years(
                &p,
                Some(Period::year(2015)),
                None,
                Some((Period::year(2016), Period::year(2017)))
            )
            .unwrap(),
            (Period::year(2015), Period::year(2017))
        );
        assert_eq!(
            resolve_years(
                &p,
                None,
                Some(Period::year(2016)),
                Some((Period::year(2016), Period::year(2017)))
            )
            .unwrap(),
            (Period::year(2015), Period::year(2016))
        );
        let e = resolve_years(&p, Some(Period::year(2014)), Some(Period::year(2017)), None)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "year 2014 is not in the data (china has 2015, 2016, 2017, 2018); pick --from and --to among those"
        );
        let e = resolve_years(&p, Some(Period::year(2017)), Some(Period::year(2016)), None)
            .unwrap_err();
        assert_eq!(e.to_string(), "--from 2017 must be before --to 2016");
    }

    /// A panel of 2014-2017 whose regions have the figures given (None: missing).
    fn panel_of(rows: &[[Option<i64>; 4]]) -> Panel {
        let mut p = Panel::new(
            PanelInfo::default(),
            vec![
                Period::year(2014),
                Period::year(2015),
                Period::year(2016),
                Period::year(2017),
            ],
        );
        for (i, row) in rows.iter().enumerate() {
            let r = p.push_region(Region {
                name: format!("R{i}"),
                aliases: Vec::new(),
                name_zh: None,
                group: None,
            });
            for (year, v) in (2014..).zip(row) {
                p.set_population(r, year, *v);
            }
        }
        p
    }

    #[test]
    fn the_default_pair_is_the_latest_most_regions_share() {
        let all = [Some(1); 4];
        // One region lacks the last two years (Eritrea in the World Bank's file): the
        // latest pair is still the default, shared by nearly as many.
        let p = panel_of(&[all, all, all, [Some(1), Some(1), None, None]]);
        assert_eq!(
            default_pair(&p),
            Some((Period::year(2016), Period::year(2017)))
        );
        // The latest pair shared by one region of four, the one before by three: passed
        // over.
        let late = [None, None, Some(1), Some(1)];
        let early = [Some(1), Some(1), Some(1), None];
        let p = panel_of(&[early, early, early, late]);
        assert_eq!(
            default_pair(&p),
            Some((Period::year(2015), Period::year(2016)))
        );
        assert_eq!(
            resolve_years(&p, None, None, None).unwrap(),
            (Period::year(2015), Period::year(2016))
        );
        // No two years shared: none, and the latest two are refused.
        let p = panel_of(&[
            [Some(1), None, None, None],
            [None, Some(1), None, None],
            [None, None, Some(1), None],
            [None, None, None, Some(1)],
        ]);
        assert_eq!(default_pair(&p), None);
        assert!(matches!(
            resolve_years(&p, None, None, None),
            Err(Error::NothingShared { from, to, .. })
                if (from, to) == (Period::year(2016), Period::year(2017))
        ));
    }

    #[test]
    fn region_missing_a_year_is_excluded_and_named() {
        let mut p = Panel::new(
            PanelInfo::default(),
            vec![Period::year(2016), Period::year(2017)],
        );
        for (name, a, b) in [("A", Some(10), Some(12)), ("B", Some(5), None)] {
            let r = p.push_region(Region {
                name: name.into(),
                aliases: Vec::new(),
                name_zh: None,
                group: None,
            });
            p.set_population(r, 2016, a);
            p.set_population(r, 2017, b);
        }
        let c = compare(&p, 2016, 2017).unwrap();
        assert_eq!(
            c.excluded,
            vec![Excluded {
                region: "B".into(),
                missing: vec![Period::year(2017)]
            }]
        );
        let t = c.total().unwrap();
        assert_eq!((t.pop_from, t.pop_to, t.regions), (Some(10), Some(12), 1));
        assert_eq!(c.region("B").unwrap().change, None);
        assert!(c.lines().all(|l| l.level != Level::Group));
    }

    #[test]
    fn overflowing_totals_are_an_error_not_a_wrap() {
        let mut p = Panel::new(
            PanelInfo::default(),
            vec![Period::year(2016), Period::year(2017)],
        );
        for name in ["A", "B"] {
            let r = p.push_region(Region {
                name: name.into(),
                aliases: Vec::new(),
                name_zh: None,
                group: None,
            });
            p.set_population(r, 2016, Some(i64::MAX - 1));
            p.set_population(r, 2017, Some(i64::MAX));
        }
        let e = compare(&p, 2016, 2017).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("arithmetic overflow while computing a total"),
            "{e}"
        );
    }

    /// Enough regions to be shared among threads: the same sections, members, sums and
    /// exclusions as one pass in order over the regions gives.
    #[test]
    fn regions_compared_on_threads_add_up_as_in_order() {
        let n = PARALLEL_REGIONS + 4321;
        let mut names = Names::default();
        let groups: Vec<String> = ["west", "east", "10", "2"].map(String::from).into();
        let mut group_of = Vec::new();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for r in 0..n {
            names.push(&format!("R{r}"));
            // Group "2" first appears late, after "east" and "west".
            group_of.push(match r % 7 {
                0 if r < 50_000 => None,
                0 => Some(3),
                k => Some(k as u32 % 3),
            });
            a.push(if r % 1999 == 3 {
                Panel::MISSING
            } else {
                1000 + (r as i64 * 37) % 5000
            });
            b.push(if r % 2003 == 8 {
                Panel::MISSING
            } else {
                1000 + (r as i64 * 41) % 5000
            });
        }
        let panel = Panel::from_columns(
            PanelInfo::default(),
            names,
            groups,
            group_of.clone(),
            vec![
                (Period::year(2016), a.clone()),
                (Period::year(2017), b.clone()),
            ],
        );
        let cmp = compare(&panel, 2016, 2017).unwrap();
        // In order, by hand: group labels sort "2", "10", "east", "west", then no group.
        let order = [Some(3), Some(2), Some(1), Some(0), None];
        assert_eq!(cmp.sections.len(), order.len());
        let (mut all_from, mut all_to) = (0i64, 0i64);
        for (section, g) in cmp.sections.iter().zip(order) {
            let members: Vec<u32> = (0..n as u32)
                .filter(|&r| group_of[r as usize] == g)
                .collect();
            assert_eq!(section.members, members, "{g:?}");
            let kept: Vec<usize> = members
                .iter()
                .map(|&r| r as usize)
                .filter(|&r| a[r] != Panel::MISSING && b[r] != Panel::MISSING)
                .collect();
            let from: i64 = kept.iter().map(|&r| a[r]).sum();
            let to: i64 = kept.iter().map(|&r| b[r]).sum();
            let summary = section.summary.as_ref().unwrap();
            assert_eq!((summary.pop_from, summary.pop_to), (Some(from), Some(to)));
            assert_eq!(summary.regions, kept.len());
            assert_eq!(
                summary.declined,
                kept.iter().filter(|&&r| b[r] < a[r]).count()
            );
            all_from += from;
            all_to += to;
        }
        assert_eq!(
            (cmp.total.pop_from, cmp.total.pop_to),
            (Some(all_from), Some(all_to))
        );
        let excluded: Vec<String> = (0..n)
            .filter(|&r| a[r] == Panel::MISSING || b[r] == Panel::MISSING)
            .map(|r| format!("R{r}"))
            .collect();
        let named: Vec<&String> = cmp.excluded.iter().map(|e| &e.region).collect();
        assert_eq!(named, excluded.iter().collect::<Vec<_>>());
        assert_eq!(cmp.excluded[0].missing, [Period::year(2016)]);
    }

    fn random_panel() -> impl Strategy<Value = Panel> {
        let region = (
            0i64..2_000_000_000,
            0i64..2_000_000_000,
            -20_000i128..20_000,
            0u32..4,
            0usize..3,
        );
        prop::collection::vec(region, 1..40).prop_map(|rows| {
            let mut p = Panel::new(
                PanelInfo::default(),
                vec![Period::year(2016), Period::year(2017)],
            );
            p.components = ComponentsKind::Rates;
            for (i, (a, b, m, scale, g)) in rows.into_iter().enumerate() {
                let r = p.push_region(Region {
                    name: format!("r{i}"),
                    aliases: Vec::new(),
                    name_zh: None,
                    group: Some(format!("g{g}")),
                });
                p.set_population(r, 2016, Some(a));
                p.set_population(r, 2017, Some(b));
                p.details_mut(r, 2017).unwrap().natural_rate = Some(Decimal { mantissa: m, scale });
            }
            p
        })
    }

    proptest! {
        #[test]
        fn balancing_identity_holds_in_every_row(p in random_panel()) {
            let c = compare(&p, 2016, 2017).unwrap();
            for l in c.lines() {
                let comp = l.components.unwrap();
                prop_assert_eq!(comp.natural_increase + comp.net_migration, l.change.unwrap());
            }
        }

        #[test]
        fn totals_are_sums_of_regions(p in random_panel()) {
            let c = compare(&p, 2016, 2017).unwrap();
            let regions: Vec<Line> = c.lines().filter(|l| l.level == Level::Region).collect();
            let total = c.total().unwrap();
            prop_assert_eq!(total.pop_from, Some(regions.iter().filter_map(|l| l.pop_from).sum()));
            prop_assert_eq!(total.change, Some(regions.iter().filter_map(|l| l.change).sum()));
            let groups: i64 = c.lines().filter(|l| l.level == Level::Group).filter_map(|l| l.change).sum();
            prop_assert_eq!(total.change, Some(groups));
        }
    }
}
