//! Levels of the tree of regions: level 1 holds the regions within no other (Deutschland),
//! level 2 those within one (the Länder), and so on. By default the lowest complete level
//! is compared; `--level` picks another.

use super::{Panel, TreeNode};

/// One level of the tree: the regions at that depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// Its number, 1 for the top.
    pub number: usize,
    /// The regions at that depth, in the data's order.
    pub regions: Vec<usize>,
}

/// A word lower case, umlauts and accents folded.
fn fold(word: &str) -> String {
    word.to_lowercase()
        .chars()
        .map(|c| match c {
            'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ó' | 'ô' => 'o',
            'ü' | 'ú' | 'û' => 'u',
            'é' | 'è' | 'ê' => 'e',
            c => c,
        })
        .collect()
}

/// A word as a level is named by it: folded, a plural ending taken off ("Länder" is
/// "land", "Kreise" "kreis", "Regierungsbezirke" "regierungsbezirk").
fn stem(word: &str) -> String {
    let folded = fold(word);
    for ending in ["er", "en", "e", "s"] {
        if let Some(s) = folded.strip_suffix(ending)
            && s.chars().count() >= 4
        {
            return s.to_owned();
        }
    }
    folded
}

/// Whether a word of a name is the word asked for, or its singular or plural.
fn same_word(word: &str, asked: &str) -> bool {
    let (w, a) = (fold(word), fold(asked));
    w == a || w == stem(asked) || stem(word) == a
}

impl Panel {
    /// Each region's depth: how many wholes of the tree hold it (0 outside any).
    fn depths(&self) -> Vec<usize> {
        let mut depth = vec![0usize; self.len()];
        for node in &self.tree {
            for &r in &node.within {
                if let Some(d) = depth.get_mut(r) {
                    *d += 1;
                }
            }
        }
        depth
    }

    /// The regions of the tree: its wholes and every region within one.
    fn in_tree(&self) -> Vec<bool> {
        let mut in_tree = vec![false; self.len()];
        for node in &self.tree {
            for &r in node.within.iter().chain([&node.whole]) {
                if let Some(t) = in_tree.get_mut(r) {
                    *t = true;
                }
            }
        }
        in_tree
    }

    /// The levels of the tree, top first; empty where the data has no tree.
    pub fn levels(&self) -> Vec<Level> {
        if self.tree.is_empty() {
            return Vec::new();
        }
        let (depths, in_tree) = (self.depths(), self.in_tree());
        let mut levels: Vec<Level> = Vec::new();
        for r in (0..self.len()).filter(|&r| in_tree[r]) {
            let d = depths[r];
            while levels.len() <= d {
                levels.push(Level {
                    number: levels.len() + 1,
                    regions: Vec::new(),
                });
            }
            levels[d].regions.push(r);
        }
        levels
    }

    /// The level `asked` names: a number from 1, or a word (or two written apart: `NUTS2`
    /// for "NUTS 2-Region") that the names of one level
    /// hold more often, for their number, than any other's (`Regierungsbezirk`; `Land`,
    /// which one Land's name holds and five Kreise's, among 16 and 402); the refusal lists
    /// the levels.
    pub fn find_level(&self, asked: &str) -> Result<usize, String> {
        let levels = self.levels();
        if levels.is_empty() {
            return Err(format!(
                "--level {asked}: the data has one level of regions; a level is found where \
                 codes nest (03, 031, 03101), names say what they hold, or rows are marked \
                 as parts"
            ));
        }
        if let Ok(n) = asked.trim().parse::<usize>() {
            if (1..=levels.len()).contains(&n) {
                return Ok(n);
            }
            return Err(self.no_such_level(asked, &levels));
        }
        let want = asked.trim();
        let hits = |l: &Level| {
            l.regions
                .iter()
                .filter(|&&r| {
                    let words: Vec<&str> = self
                        .name(r)
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .collect();
                    // A word, or two written apart ("NUTS 2-Region" for NUTS2).
                    words.iter().any(|w| same_word(w, want))
                        || words
                            .windows(2)
                            .any(|p| same_word(&format!("{}{}", p[0], p[1]), want))
                })
                .count()
        };
        // Shares compared exactly: a/b > c/d as a*d > c*b.
        let mut best: Option<(usize, usize, usize)> = None;
        for l in &levels {
            let n = hits(l);
            let better = best.is_none_or(|(bn, bsize, _)| n * bsize > bn * l.regions.len());
            if n > 0 && better {
                best = Some((n, l.regions.len(), l.number));
            }
        }
        best.map(|(_, _, number)| number)
            .ok_or_else(|| self.no_such_level(asked, &levels))
    }

    /// The refusal of a level the data does not have: each level with its size and first
    /// names.
    fn no_such_level(&self, asked: &str, levels: &[Level]) -> String {
        let described: Vec<String> = levels
            .iter()
            .map(|l| {
                let names: Vec<String> = l.regions.iter().map(|&r| quoted(self.name(r))).collect();
                format!(
                    "{} ({} region{}: {})",
                    l.number,
                    l.regions.len(),
                    if l.regions.len() == 1 { "" } else { "s" },
                    first_names(&names, 2)
                )
            })
            .collect();
        format!(
            "no level {asked:?} in {}; its levels: {}; name one by number or by a word its \
             names hold",
            self.info.dataset,
            described.join("; ")
        )
    }

    /// Whether region `r` is the whole of a node of the tree.
    fn is_whole(&self, r: usize) -> bool {
        self.tree.iter().any(|n| n.whole == r)
    }

    /// The panel compared at level `number`: its regions (but those replaced by others), and the regions above it that
    /// are compared by default and hold no level below (a Kreis of a Land without
    /// Regierungsbezirke, at the level of the Regierungsbezirke); every other region of
    /// the tree set apart. Wholes of the level are compared whole, and give way to their
    /// parts only where they lack a period the parts have (see [`Panel::settled_for`]).
    pub fn at_level(&self, number: usize) -> Panel {
        let depth = number.saturating_sub(1);
        let (depths, in_tree) = (self.depths(), self.in_tree());
        let mut chosen: Vec<bool> = (0..self.len())
            .map(|r| {
                let compared = self.aggregate(r).is_none();
                in_tree[r]
                    && ((depths[r] == depth && (compared || self.is_whole(r)))
                        || (depths[r] < depth && compared))
            })
            .collect();
        // A region within a chosen one is counted by it.
        for node in &self.tree {
            if chosen[node.whole] {
                for &r in &node.within {
                    chosen[r] = false;
                }
            }
        }
        let mut out = self.clone();
        out.aggregates.retain(|&(r, _)| !chosen[r as usize]);
        let why = format!("not of level {number}, the level compared");
        out.set_aggregates(
            (0..self.len())
                .filter(|&r| in_tree[r] && !chosen[r])
                .map(|r| (r, why.clone()))
                .collect(),
        );
        out.tree = self
            .tree
            .iter()
            .filter(|n| depths[n.whole] <= depth)
            .map(|n| TreeNode {
                whole_summed: depths[n.whole] == depth,
                ..n.clone()
            })
            .collect();
        out
    }
}

/// The first `k` names, and how many more ("a, b, c and 13 more").
pub fn first_names(names: &[String], k: usize) -> String {
    let shown = names[..k.min(names.len())].join(", ");
    match names.len().saturating_sub(k) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// A name for a list: in quotes where it holds a comma ("Flensburg, Kreisfreie Stadt").
pub fn quoted(name: &str) -> String {
    let name = name.trim();
    if name.contains(',') {
        format!("\"{name}\"")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::same_word;

    #[test]
    fn a_level_is_named_in_the_singular_or_plural() {
        assert!(same_word("Land", "Länder"));
        assert!(same_word("Land", "land"));
        assert!(same_word("Kreis", "Kreise"));
        assert!(same_word("Regierungsbezirk", "Regierungsbezirke"));
        assert!(same_word("Regierungsbezirke", "Regierungsbezirk"));
        assert!(!same_word("Landkreis", "Land"));
        assert!(!same_word("Rheinland", "Länder"));
    }
}
