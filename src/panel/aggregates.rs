//! Rows that are totals of other rows: by their names (World, Total, 全国, EU28), or by
//! codes that nest (03 holds 031, which holds 03101).

use super::Panel;
use crate::period::Period;

/// Names that, in a table of regions, stand for the sum of the others.
const AGGREGATE_NAMES: &[&str] = &[
    "world",
    "total",
    "all",
    "grand total",
    "sum",
    "全国",
    "合计",
    "总计",
    "全国合计",
    "全國",
    "総数",
    "合計",
];

/// Why a region of this name is a total, if its name says so.
pub fn aggregate_reason(name: &str) -> Option<&'static str> {
    if !is_aggregate_name(name) {
        return None;
    }
    Some(if is_aggregate_code(name.trim()) {
        "a Eurostat group code"
    } else {
        "named as a total"
    })
}

/// Whether a name, as bytes, may be one of a total: a check that passes almost every
/// name at once (its first two bytes and its end), for the readers' hot loops.
#[inline]
pub fn may_be_aggregate(name: &[u8]) -> bool {
    let ends = |tail: &[u8]| {
        name.len() > tail.len() && name[name.len() - tail.len()..].eq_ignore_ascii_case(tail)
    };
    if ends(b" total") || ends(b"_TOT") {
        return true;
    }
    match name {
        // World, Total, All, Grand total, Sum; EU.., EA.., EEA.., EFTA; 全, 合, 总, 総 (E5-E7).
        [a, b, ..] => {
            matches!(
                [a.to_ascii_lowercase(), b.to_ascii_lowercase()],
                [b'w', b'o'] | [b't', b'o'] | [b'a', b'l'] | [b'g', b'r'] | [b's', b'u']
            ) || (*a == b'E' && matches!(b, b'U' | b'A' | b'E' | b'F'))
                || (0xE5..=0xE7).contains(a)
        }
        _ => false,
    }
}

/// Whether a region's name says it is a total of others: "World", "Total", "全国",
/// "Total Australia", "Germany total", "EU28".
pub fn is_aggregate_name(name: &str) -> bool {
    let n = name.trim();
    let bytes = n.as_bytes();
    if !may_be_aggregate(bytes) {
        return false;
    }
    let ends = |tail: &[u8]| {
        bytes.len() > tail.len() && bytes[bytes.len() - tail.len()..].eq_ignore_ascii_case(tail)
    };
    ends(b" total")
        || (n.len() <= 12 && AGGREGATE_NAMES.iter().any(|a| n.eq_ignore_ascii_case(a)))
        || (bytes.len() > 6 && bytes[..6].eq_ignore_ascii_case(b"total "))
        || is_aggregate_code(n)
}

/// Eurostat's codes of country groups: EU28, EU27_2020, EA19, EEA31, EFTA, and the
/// `_TOT` codes (DE_TOT, Germany with the former GDR).
pub fn is_aggregate_code(code: &str) -> bool {
    if code.len() > 12
        || !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return false;
    }
    let group = ["EU", "EA", "EEA", "EFTA"].iter().any(|p| {
        code.strip_prefix(p)
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
    });
    group || code.ends_with("_TOT")
}

/// The Eurostat group codes among `groups` (region, code) that hold parts the file has
/// (`codes`, every region's): `X_TOT` where `X` is there, the EU's and euro area's codes
/// where some country's two-letter code is; each with why it is a total.
pub fn group_codes_with_parts(
    groups: &[(usize, String)],
    codes: &[String],
) -> Vec<(usize, String)> {
    let country = |c: &str| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
    let any_country = codes.iter().any(|c| country(c));
    groups
        .iter()
        .filter(|(_, code)| match code.strip_suffix("_TOT") {
            Some(part) => codes.iter().any(|c| c == part),
            None => any_country,
        })
        .map(|(r, _)| (*r, "a Eurostat group code".to_owned()))
        .collect()
}

#[cfg(test)]
#[test]
fn aggregate_names_and_codes() {
    for name in [
        "World",
        "WORLD",
        "Total",
        "全国",
        "Total Australia",
        "Germany total",
        "EU28",
        "EU27_2020",
        "EA19",
        "EEA31",
        "EFTA",
        "DE_TOT",
    ] {
        assert!(is_aggregate_name(name), "{name}");
    }
    for name in [
        "Worldwide Inc",
        "Totalville",
        "DE",
        "FR",
        "Beijing",
        "EUR",
        "Estonia",
        "EE",
    ] {
        assert!(!is_aggregate_name(name), "{name}");
    }
}

impl Panel {
    /// Marks the regions whose codes hold others' (03 holds 031 and 03101; a code of
    /// letters among codes of digits, such as DG, holds them all) as totals, where the
    /// parts add up to them in every year they have: then the parts are summed. Where they
    /// do not (a district missing, a figure withheld), the whole is summed and its parts
    /// are shown apart: the total stays right either way. Codes with other characters
    /// (DE_TOT) take no part; codes that nest nothing mark nothing.
    pub fn mark_code_tree(&mut self, mut codes: Vec<(u32, String)>) {
        // Eurostat's group codes (EU28, DE_TOT) are totals where their parts are here.
        let groups: Vec<(usize, String)> = codes
            .iter()
            .filter(|(_, c)| is_aggregate_code(c))
            .map(|(r, c)| (*r as usize, c.clone()))
            .collect();
        if !groups.is_empty() {
            let all: Vec<String> = codes.iter().map(|(_, c)| c.clone()).collect();
            for (r, why) in group_codes_with_parts(&groups, &all) {
                self.set_aggregate(r, &why);
            }
        }
        codes.retain(|(_, c)| c.bytes().all(|b| b.is_ascii_alphanumeric()));
        codes.sort_by(|a, b| a.1.cmp(&b.1));
        codes.dedup_by(|a, b| a.1 == b.1);
        let Some(tree) = CodeTree::of(codes, self.years.clone()) else {
            // Nothing nests (country codes, China's codes): nothing to mark.
            return;
        };
        self.note_total_gaps(&tree);
        // Codes that begin with others' do not always nest: ids numbered 1, 2, ... 10, 11
        // (or R1 ... R10) look like a tree and are none. The tree is trusted only where the
        // parts of some code add up to it: otherwise nothing is marked, and every region
        // is summed.
        let confirmed = (0..tree.len()).any(|i| {
            Some(i) != tree.root
                && !tree.children[i].is_empty()
                && !is_aggregate_name(self.name(tree.region(i)))
                && tree.adds_up(self, i)
        }) || tree
            .root
            .is_some_and(|r| !tree.children[r].is_empty() && tree.adds_up(self, r));
        if confirmed {
            self.mark_wholes(&tree);
        }
    }

    /// Marks the regions whose names say which others they hold ("Northwest Territories
    /// including Nunavut", beside "Northwest Territories" and "Nunavut", which replaced it
    /// in 1991): the whole is compared where it has figures, its parts where it has none
    /// (see [`Panel::settled_for`]), so that each person is counted once in every period.
    /// The name is trusted only where the parts add up to the whole in every period all of
    /// them have a figure.
    pub fn mark_named_wholes(&mut self) {
        let mut by_name: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for r in 0..self.len() {
            by_name
                .entry(self.name(r).trim().to_lowercase())
                .or_insert(r);
        }
        let mut marks = Vec::new();
        for whole in 0..self.len() {
            let found = named_parts(self.name(whole)).into_iter().find_map(|names| {
                names
                    .iter()
                    .map(|n| {
                        by_name
                            .get(&n.to_lowercase())
                            .copied()
                            .filter(|&p| p != whole)
                    })
                    .collect::<Option<Vec<usize>>>()
            });
            let Some(parts) = found else { continue };
            if self.aggregate(whole).is_some() || !self.parts_add_up(whole, &parts) {
                continue;
            }
            let name = self.name(whole).trim().to_owned();
            let why = format!(
                "within {name}, which its name says holds it: compared whole where it has figures"
            );
            marks.extend(parts.iter().map(|&p| (p, why.clone())));
            self.set_tree_node(whole, parts.clone(), parts, true);
        }
        self.set_aggregates(marks);
    }

    /// Whether `parts` add up to `whole` in every period all of them have a figure.
    fn parts_add_up(&self, whole: usize, parts: &[usize]) -> bool {
        self.years.iter().all(|&y| {
            let Some(w) = self.population(whole, y) else {
                return true;
            };
            let figures: Option<Vec<i64>> = parts.iter().map(|&p| self.population(p, y)).collect();
            figures.is_none_or(|f| f.iter().map(|&v| i128::from(v)).sum::<i128>() == i128::from(w))
        })
    }

    /// Marks the wholes of the links a file states (JSON-stat's `child`: whole, part) as
    /// [`Panel::mark_code_tree`] marks those of nested codes, where the figures confirm
    /// them (the parts of some whole add up to it); false where they do not, or there are
    /// none. A part linked to two wholes keeps the first; a link that would make a loop is
    /// left out.
    pub fn mark_linked_tree(&mut self, links: &[(u32, u32)]) -> bool {
        let Some(tree) = CodeTree::linked(self, links) else {
            return false;
        };
        let confirmed = (0..tree.len()).any(|i| {
            !tree.children[i].is_empty()
                && !is_aggregate_name(self.name(tree.region(i)))
                && tree.adds_up(self, i)
        });
        if confirmed {
            self.note_total_gaps(&tree);
            self.mark_wholes(&tree);
        }
        confirmed
    }

    /// A whole named as a total ("total") is set apart by its name; where its parts do not
    /// add up to it, that is said (the parts are summed).
    fn note_total_gaps(&mut self, tree: &CodeTree) {
        for i in 0..tree.len() {
            if tree.children[i].is_empty() || !is_aggregate_name(self.name(tree.region(i))) {
                continue;
            }
            if let Some((year, parts, whole)) = tree.first_gap(self, i) {
                let name = self.name(tree.region(i)).trim().to_owned();
                let what = match tree.linked {
                    false => format!("code {} ({name})", tree.codes[i].1),
                    true => name,
                };
                self.info.notes.push(format!(
                    "The parts of {what} sum to {} in {year}, not {} as it says; the parts \
                     are summed.",
                    crate::number::with_separators(parts),
                    crate::number::with_separators(whole.into())
                ));
            }
        }
    }

    /// Marks each whole from the top: the sum of its parts where they add up (the current
    /// parts, where old and new overlap: the old set apart), else summed itself with all
    /// within it set apart; and records each for [`Panel::settled_for`].
    fn mark_wholes(&mut self, tree: &CodeTree) {
        let mut marks: Vec<(usize, String)> = Vec::new();
        let mut todo: Vec<usize> = (0..tree.len())
            .filter(|&i| tree.parent[i].is_none())
            .collect();
        while let Some(i) = todo.pop() {
            let children = &tree.children[i];
            if children.is_empty() {
                continue;
            }
            let (code, whole) = (&tree.codes[i].1, tree.region(i));
            // A whole set apart already (named "Total"): its parts are the regions.
            if self.aggregate(whole).is_some() || is_aggregate_name(self.name(whole)) {
                todo.extend(children);
                continue;
            }
            let now = tree.current(self, i);
            let parts: Vec<usize> = now.iter().map(|&c| tree.region(c)).collect();
            let within: Vec<usize> = tree.within(children).map(|c| tree.region(c)).collect();
            let sum = match tree.linked {
                false => format!("code {code}, the sum of the codes within it"),
                true => "the sum of its parts, as the file's child list says".to_owned(),
            };
            if tree.sums_to(self, i, children) {
                marks.push((whole, sum));
                self.set_tree_node(whole, parts, within, false);
                todo.extend(children);
            } else if tree.replaced_in_time(self, i) {
                marks.push((whole, sum));
                self.set_tree_node(whole, parts, within, false);
                // The replaced parts, and all within them: the same people as the current
                // parts, counted once.
                let old: Vec<usize> = children
                    .iter()
                    .copied()
                    .filter(|c| !now.contains(c))
                    .collect();
                let why = match tree.linked {
                    false => format!("within code {code}, replaced by the codes that hold it now"),
                    true => format!("within {code}, replaced by the parts that hold it now"),
                };
                marks.extend(tree.within(&old).map(|c| (tree.region(c), why.clone())));
                todo.extend(now);
            } else {
                // Summed itself; everything within it is shown apart.
                self.set_tree_node(whole, parts, within, true);
                let name = self.name(whole).trim().to_owned();
                let why = match tree.linked {
                    false => {
                        format!("within code {code} ({name}), whose parts do not add up to it")
                    }
                    true => format!("within {name}, whose parts do not add up to it"),
                };
                marks.extend(tree.within(children).map(|c| (tree.region(c), why.clone())));
            }
        }
        self.set_aggregates(marks);
    }
}

/// The names a region's name says it holds: "A including B" (or "incl.") gives A and B,
/// and "A including B and C" (or "B, C") A, B and C besides A and "B and C" (one name, as
/// "Kosovo and Metohija" is); none for any other name.
fn named_parts(name: &str) -> Vec<Vec<String>> {
    let Some((first, rest)) = including(name) else {
        return Vec::new();
    };
    let mut readings = vec![vec![first.clone(), rest.clone()]];
    let split: Vec<String> = rest
        .split(", ")
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().to_owned())
        .collect();
    if split.len() > 1 && split.iter().all(|n| !n.is_empty()) {
        readings.push(std::iter::once(first).chain(split).collect());
    }
    readings
}

/// "A including B": A and B, where neither is empty.
fn including(name: &str) -> Option<(String, String)> {
    let lower = name.to_lowercase();
    let (head, tail) = [" including ", " incl. ", ", including ", " (including "]
        .iter()
        .find_map(|sep| lower.find(sep).map(|i| (i, i + sep.len())))?;
    let first = name[..head].trim().trim_end_matches(',').trim();
    let rest = name[tail..].trim().trim_end_matches(')').trim();
    (!first.is_empty() && !rest.is_empty()).then(|| (first.to_owned(), rest.to_owned()))
}

/// Codes that nest, as a tree: each code's parent is the longest other code it begins
/// with; a code of letters among codes of digits (DG) is the parent of the tops.
struct CodeTree {
    /// (region, code), sorted by code.
    codes: Vec<(u32, String)>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    root: Option<usize>,
    /// Whether the tree is of links the file states, its "codes" the regions' names.
    linked: bool,
    /// The panel's years.
    years: Vec<Period>,
}

impl CodeTree {
    /// The tree of sorted, distinct `codes`; `None` where nothing nests.
    fn of(codes: Vec<(u32, String)>, years: Vec<Period>) -> Option<CodeTree> {
        let n = codes.len();
        let digits = |c: &str| c.bytes().all(|b| b.is_ascii_digit());
        let letters = |c: &str| c.bytes().all(|b| b.is_ascii_alphabetic());
        let mostly_digits = codes.iter().filter(|(_, c)| digits(c)).count() * 2 > n;
        let root = codes.iter().position(|(_, c)| mostly_digits && letters(c));
        let mut parent: Vec<Option<usize>> = vec![None; n];
        // Sorted, a code's parent comes right before it, on the stack.
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..n {
            if Some(i) == root {
                continue;
            }
            while let Some(&top) = stack.last() {
                if codes[i].1.starts_with(codes[top].1.as_str()) {
                    break;
                }
                stack.pop();
            }
            parent[i] = stack.last().copied().or(root);
            stack.push(i);
        }
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let nests = (0..n).any(|i| {
            parent[i].is_some_and(|p| Some(p) != root)
                || (Some(i) == root && !children[i].is_empty())
        });
        nests.then_some(CodeTree {
            codes,
            parent,
            children,
            root,
            linked: false,
            years,
        })
    }

    /// The tree of the links a file states between regions, each named by its name;
    /// `None` where there are none.
    fn linked(panel: &Panel, links: &[(u32, u32)]) -> Option<CodeTree> {
        if links.is_empty() {
            return None;
        }
        let mut nodes: Vec<u32> = links.iter().flat_map(|&(w, p)| [w, p]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let at = |r: u32| nodes.binary_search(&r).ok();
        let n = nodes.len();
        let mut parent: Vec<Option<usize>> = vec![None; n];
        for &(w, p) in links {
            let (Some(w), Some(p)) = (at(w), at(p)) else {
                continue;
            };
            // The first whole a part is linked to; none that would make a loop.
            let mut up = Some(w);
            let mut steps = 0;
            while let Some(u) = up {
                if u == p || steps > n {
                    break;
                }
                up = parent[u];
                steps += 1;
            }
            if parent[p].is_none() && up.is_none() {
                parent[p] = Some(w);
            }
        }
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let codes = nodes
            .iter()
            .map(|&r| (r, panel.name(r as usize).trim().to_owned()))
            .collect();
        Some(CodeTree {
            codes,
            parent,
            children,
            root: None,
            linked: true,
            years: panel.years.clone(),
        })
    }

    fn len(&self) -> usize {
        self.codes.len()
    }

    /// The region of code `i`.
    fn region(&self, i: usize) -> usize {
        self.codes[i].0 as usize
    }

    /// `from` and every code within them.
    fn within<'t>(&'t self, from: &[usize]) -> impl Iterator<Item = usize> + 't {
        let mut stack = from.to_vec();
        std::iter::from_fn(move || {
            let c = stack.pop()?;
            stack.extend(&self.children[c]);
            Some(c)
        })
    }

    /// The parts of `i` that hold its people now: those with a figure in the last year it
    /// has one. The others were replaced (Regierungsbezirke by NUTS-2 regions, old Kreise
    /// by new ones, their figures back-calculated onto the new parts).
    fn current(&self, panel: &Panel, i: usize) -> Vec<usize> {
        let last = self
            .years
            .iter()
            .rev()
            .find(|&&y| panel.population(self.region(i), y).is_some());
        match last {
            None => self.children[i].clone(),
            Some(&last) => self.children[i]
                .iter()
                .copied()
                .filter(|&c| panel.population(self.region(c), last).is_some())
                .collect(),
        }
    }

    /// A code's figure in year `y`, or else its parts' then: a city that was a Kreis of
    /// its own before its Kreis was formed (Aachen, in the Städteregion Aachen since 2009)
    /// is counted where its Kreis has no figure yet.
    fn figure_or_parts(&self, panel: &Panel, c: usize, y: Period) -> Option<i128> {
        if let Some(v) = panel.population(self.region(c), y) {
            return Some(i128::from(v));
        }
        self.sum_of(panel, &self.children[c], y)
    }

    /// The sum of `parts` in year `y`, of those that have a figure then: a part with none
    /// (a district not yet formed, or dissolved: Destatis writes `-`) holds no one that
    /// year. A part missing by mistake leaves the sum short, which the whole tells.
    fn sum_of(&self, panel: &Panel, parts: &[usize], y: Period) -> Option<i128> {
        let figures: Vec<i128> = parts
            .iter()
            .filter_map(|&c| self.figure_or_parts(panel, c, y))
            .collect();
        (!figures.is_empty()).then(|| figures.iter().sum())
    }

    /// Whether, in every year `i` has a figure (one at least), one of the sets `parts`
    /// adds up to it.
    fn each_year_one_of(&self, panel: &Panel, i: usize, parts: &[&[usize]]) -> bool {
        let mut any = false;
        for &y in &self.years {
            let Some(whole) = panel.population(self.region(i), y) else {
                continue;
            };
            let whole = Some(i128::from(whole));
            if !parts.iter().any(|p| self.sum_of(panel, p, y) == whole) {
                return false;
            }
            any = true;
        }
        any
    }

    /// Whether `parts` add up to `i` in every year it has a figure.
    fn sums_to(&self, panel: &Panel, i: usize, parts: &[usize]) -> bool {
        self.each_year_one_of(panel, i, &[parts])
    }

    /// Whether the parts of `i`, old and new, add up to it in every year it has a figure:
    /// each year, the current parts or the ones they replaced.
    fn replaced_in_time(&self, panel: &Panel, i: usize) -> bool {
        let now = self.current(panel, i);
        let old: Vec<usize> = self.children[i]
            .iter()
            .copied()
            .filter(|c| !now.contains(c))
            .collect();
        !now.is_empty() && !old.is_empty() && self.each_year_one_of(panel, i, &[&now, &old])
    }

    /// Whether the parts of `i` add up to it in every year: all of them, or, where old and
    /// new parts overlap, the current ones or the ones they replaced.
    fn adds_up(&self, panel: &Panel, i: usize) -> bool {
        self.sums_to(panel, i, &self.children[i]) || self.replaced_in_time(panel, i)
    }

    /// The first year whose parts of `i` do not add up to it: (year, parts, whole).
    fn first_gap(&self, panel: &Panel, i: usize) -> Option<(Period, i128, i64)> {
        self.years.iter().find_map(|&y| {
            let whole = panel.population(self.region(i), y)?;
            let parts = self.sum_of(panel, &self.children[i], y)?;
            (parts != i128::from(whole)).then_some((y, parts, whole))
        })
    }
}

#[cfg(test)]
mod tree_tests {
    use crate::panel::{Names, Panel, PanelInfo};
    use crate::period::Period;

    /// A panel of `rows` (name, code, 2016, 2017) and the regions the code tree sets apart.
    fn apart(rows: &[(&str, &str, i64, i64)]) -> Vec<String> {
        let mut names = Names::default();
        for (n, ..) in rows {
            names.push(n);
        }
        let a = rows.iter().map(|r| r.2).collect();
        let b = rows.iter().map(|r| r.3).collect();
        let mut panel = Panel::from_columns(
            PanelInfo::default(),
            names,
            Vec::new(),
            vec![None; rows.len()],
            vec![(Period::year(2016), a), (Period::year(2017), b)],
        );
        let codes = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i as u32, r.1.to_owned()))
            .collect();
        panel.mark_code_tree(codes);
        panel
            .aggregates()
            .map(|(r, _)| panel.name(r).to_owned())
            .collect()
    }

    #[test]
    fn parts_are_summed_where_they_add_up_and_the_whole_where_not() {
        // Deutschland = two Länder; Land 01 = its two Kreise; Hamburg (02) has none.
        let complete = [
            ("DG", "DG", 30, 33),
            ("SH", "01", 10, 11),
            ("Kiel", "01001", 4, 4),
            ("Lübeck", "01002", 6, 7),
            ("Hamburg", "02", 20, 22),
        ];
        assert_eq!(apart(&complete), ["DG", "SH"]);
        // A Kreis withheld in 2017: Land 01 is summed, its Kreise shown apart.
        let mut gap = complete;
        gap[3].3 = 5;
        let mut shown = apart(&gap);
        shown.sort();
        assert_eq!(shown, ["DG", "Kiel", "Lübeck"]);
        // Ids that only look nested (1 and 10 to 19), whose parts add up nowhere: nothing
        // is set apart, every region is summed.
        let ids: Vec<(String, String, i64, i64)> = (1..=24)
            .map(|i| (format!("State {i}"), i.to_string(), 1000 + i, 1010 + i))
            .collect();
        let ids: Vec<(&str, &str, i64, i64)> = ids
            .iter()
            .map(|(n, c, a, b)| (n.as_str(), c.as_str(), *a, *b))
            .collect();
        assert!(apart(&ids).is_empty());
        // Codes that nest nothing mark nothing.
        assert!(apart(&[("Beijing", "110000", 1, 2), ("Tianjin", "120000", 3, 4)]).is_empty());
        // A Eurostat group code beside its part is a total; alone it is the country.
        assert_eq!(
            apart(&[("DE", "DE", 1, 2), ("Germany", "DE_TOT", 1, 2)]),
            ["Germany"]
        );
        assert!(apart(&[("Germany", "DE_TOT", 1, 2), ("France", "FR_TOT", 3, 4)]).is_empty());
    }
}

#[cfg(test)]
mod named_tests {
    use super::named_parts;

    #[test]
    fn names_that_say_what_they_hold() {
        assert_eq!(
            named_parts("Northwest Territories including Nunavut"),
            [["Northwest Territories", "Nunavut"]]
        );
        assert_eq!(
            named_parts("Serbia (including Kosovo and Metohija)"),
            [
                vec!["Serbia", "Kosovo and Metohija"],
                vec!["Serbia", "Kosovo", "Metohija"]
            ]
        );
        assert!(named_parts("Nunavut").is_empty());
        assert!(named_parts(" including B").is_empty());
    }
}
