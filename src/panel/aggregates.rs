//! Rows that are totals of other rows: by their names (World, Total, 全国, EU28), or by
//! codes that nest (03 holds 031, which holds 03101).

use super::Panel;

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
        let n = codes.len();
        let digits = |c: &str| c.bytes().all(|b| b.is_ascii_digit());
        let letters = |c: &str| c.bytes().all(|b| b.is_ascii_alphabetic());
        let mostly_digits = codes.iter().filter(|(_, c)| digits(c)).count() * 2 > n;
        // Each code's parent: the longest other code it begins with (sorted, they come
        // right before it); a code of letters among digits is the parent of the tops.
        let root = codes.iter().position(|(_, c)| mostly_digits && letters(c));
        let mut parent: Vec<Option<usize>> = vec![None; n];
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
        // Nothing nests (country codes, China's codes): nothing to mark.
        if !codes.iter().enumerate().any(|(i, _)| {
            parent[i].is_some_and(|p| Some(p) != root)
                || (Some(i) == root && !children[i].is_empty())
        }) {
            return;
        }
        let region = |i: usize| codes[i].0 as usize;
        let years: Vec<i32> = self.years.clone();
        // The parts of `i` that hold its people now: those with a figure in the last year
        // it has one. The others were replaced (Regierungsbezirke by NUTS-2 regions, old
        // Kreise by new ones, their figures back-calculated onto the new parts).
        let last_year = |panel: &Panel, i: usize| {
            years
                .iter()
                .rev()
                .find(|&&y| panel.population(region(i), y).is_some())
                .copied()
        };
        let current = |panel: &Panel, i: usize| -> Vec<usize> {
            let Some(last) = last_year(panel, i) else {
                return children[i].clone();
            };
            children[i]
                .iter()
                .copied()
                .filter(|&c| panel.population(region(c), last).is_some())
                .collect()
        };
        // The sum of `parts` in year `y`, of those that have a figure then: a part with
        // none (a district not yet formed, or dissolved: Destatis writes `-`) holds no one
        // that year. A part missing by mistake leaves the sum short, which the whole tells.
        // A part without a figure in a year counts by its own parts then: a city that was
        // a Kreis of its own before its Kreis was formed (Aachen, in the Städteregion
        // Aachen since 2009) is counted where its Kreis has no figure yet.
        fn figure_or_parts(
            panel: &Panel,
            children: &[Vec<usize>],
            region: &dyn Fn(usize) -> usize,
            c: usize,
            y: i32,
        ) -> Option<i128> {
            if let Some(v) = panel.population(region(c), y) {
                return Some(i128::from(v));
            }
            let parts: Vec<i128> = children[c]
                .iter()
                .filter_map(|&p| figure_or_parts(panel, children, region, p, y))
                .collect();
            (!parts.is_empty()).then(|| parts.iter().sum())
        }
        let sum_of = |panel: &Panel, parts: &[usize], y: i32| -> Option<i128> {
            let figures: Vec<i128> = parts
                .iter()
                .filter_map(|&c| figure_or_parts(panel, &children, &region, c, y))
                .collect();
            (!figures.is_empty()).then(|| figures.iter().sum())
        };
        let parts_sum = |panel: &Panel, i: usize, y: i32| sum_of(panel, &children[i], y);
        // Whether `parts` add up to `i` in every year it has a figure.
        let sums_to = |panel: &Panel, i: usize, parts: &[usize]| {
            let mut any = false;
            for &y in &years {
                let Some(whole) = panel.population(region(i), y) else {
                    continue;
                };
                if sum_of(panel, parts, y) != Some(i128::from(whole)) {
                    return false;
                }
                any = true;
            }
            any
        };
        // Whether the parts of `i`, old and new, add up to it in every year it has a
        // figure: each year, the current parts, or the ones they replaced, or all.
        let replaced_in_time = |panel: &Panel, i: usize| {
            let now = current(panel, i);
            let old: Vec<usize> = children[i]
                .iter()
                .copied()
                .filter(|c| !now.contains(c))
                .collect();
            if now.is_empty() || old.is_empty() {
                return false;
            }
            let mut any = false;
            for &y in &years {
                let Some(whole) = panel.population(region(i), y) else {
                    continue;
                };
                let whole = Some(i128::from(whole));
                if sum_of(panel, &now, y) != whole && sum_of(panel, &old, y) != whole {
                    return false;
                }
                any = true;
            }
            any
        };
        // Whether the parts of `i` add up to it in every year: all of them, or, where old
        // and new parts overlap, the current ones or the ones they replaced.
        let adds_up =
            |panel: &Panel, i: usize| sums_to(panel, i, &children[i]) || replaced_in_time(panel, i);
        // The first year whose parts of `i` do not add up to it: (year, parts, whole).
        let first_gap = |panel: &Panel, i: usize| {
            years.iter().find_map(|&y| {
                let whole = panel.population(region(i), y)?;
                let parts = parts_sum(panel, i, y)?;
                (parts != i128::from(whole)).then_some((y, parts, whole))
            })
        };
        // Codes that begin with others' do not always nest: ids numbered 1, 2, ... 10, 11
        // (or R1 ... R10) look like a tree and are none. The tree is trusted only where the
        // parts of some code add up to it: otherwise nothing is marked, and every region
        // is summed.
        // A whole named as a total ("total") is set apart by its name; where its parts do
        // not add up to it, that is said (the parts are summed).
        for i in 0..n {
            if children[i].is_empty() || !is_aggregate_name(self.name(region(i))) {
                continue;
            }
            if let Some(gap) = first_gap(self, i) {
                let name = self.name(region(i)).trim().to_owned();
                self.info.notes.push(format!(
                    "The parts of code {} ({name}) sum to {} in {}, not {} as it says; the \
                     parts are summed.",
                    codes[i].1,
                    crate::number::with_separators(gap.1),
                    gap.0,
                    crate::number::with_separators(gap.2.into())
                ));
            }
        }
        let confirmed = (0..n).any(|i| {
            Some(i) != root
                && !children[i].is_empty()
                && !is_aggregate_name(self.name(region(i)))
                && adds_up(self, i)
        }) || root.is_some_and(|r| !children[r].is_empty() && adds_up(self, r));
        if !confirmed {
            return;
        }
        let mut marks: Vec<(usize, String)> = Vec::new();
        let mut todo: Vec<usize> = (0..n).filter(|&i| parent[i].is_none()).collect();
        while let Some(i) = todo.pop() {
            if children[i].is_empty() {
                continue;
            }
            let code = &codes[i].1;
            // A whole set apart already (named "Total"): its parts are the regions.
            if self.aggregate(region(i)).is_some() || is_aggregate_name(self.name(region(i))) {
                todo.extend(&children[i]);
                continue;
            }
            // The whole and its current parts, for the level a comparison settles on.
            let now = current(self, i);
            // Everything within it, old parts and new, is set apart where it is compared
            // whole.
            let mut within: Vec<usize> = Vec::new();
            let mut stack = children[i].clone();
            while let Some(c) = stack.pop() {
                within.push(region(c));
                stack.extend(&children[c]);
            }
            let parts: Vec<usize> = now.iter().map(|&c| region(c)).collect();
            if sums_to(self, i, &children[i]) {
                marks.push((
                    region(i),
                    format!("code {code}, the sum of the codes within it"),
                ));
                self.set_tree_node(region(i), parts, within, false);
                todo.extend(&children[i]);
            } else if replaced_in_time(self, i) {
                marks.push((
                    region(i),
                    format!("code {code}, the sum of the codes within it"),
                ));
                self.set_tree_node(region(i), parts, within, false);
                // The replaced parts, and all within them: the same people as the current
                // parts, counted once.
                let mut replaced: Vec<usize> = children[i]
                    .iter()
                    .copied()
                    .filter(|c| !now.contains(c))
                    .collect();
                while let Some(c) = replaced.pop() {
                    marks.push((
                        region(c),
                        format!("within code {code}, replaced by the codes that hold it now"),
                    ));
                    replaced.extend(&children[c]);
                }
                todo.extend(now);
            } else {
                // Summed itself; everything within it is shown apart.
                self.set_tree_node(region(i), parts, within, true);
                let name = self.name(region(i)).trim().to_owned();
                let mut within = children[i].clone();
                while let Some(c) = within.pop() {
                    marks.push((
                        region(c),
                        format!("within code {code} ({name}), whose parts do not add up to it"),
                    ));
                    within.extend(&children[c]);
                }
            }
        }
        self.set_aggregates(marks);
    }
}

#[cfg(test)]
mod tree_tests {
    use crate::panel::{Names, Panel, PanelInfo};

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
            vec![(2016, a), (2017, b)],
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
