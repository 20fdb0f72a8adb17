//! How a panel keeps millions of regions compactly: names end to end, group indices a
//! byte each while they are few.

use super::NO_GROUP;

/// Each region's group index, a byte each while the groups are fewer than 255.
#[derive(Debug, Clone)]
pub enum GroupIds {
    /// Indices below 255; 255 is no group.
    Few(Vec<u8>),
    /// Any index; [`NO_GROUP`] is no group.
    Many(Vec<u32>),
}

impl Default for GroupIds {
    fn default() -> GroupIds {
        GroupIds::Few(Vec::new())
    }
}

impl From<Vec<u32>> for GroupIds {
    /// Keeps a byte each if every index fits.
    fn from(ids: Vec<u32>) -> GroupIds {
        if ids
            .iter()
            .all(|&g| g < u32::from(FEW_NONE) || g == NO_GROUP)
        {
            GroupIds::Few(ids.into_iter().map(few).collect())
        } else {
            GroupIds::Many(ids)
        }
    }
}

/// No group, among [`GroupIds::Few`].
const FEW_NONE: u8 = u8::MAX;

/// An index known to fit [`GroupIds::Few`].
fn few(g: u32) -> u8 {
    u8::try_from(g).unwrap_or(FEW_NONE)
}

impl GroupIds {
    /// Region `r`'s group index, [`NO_GROUP`] for none; `None` past the end.
    pub fn get(&self, r: usize) -> Option<u32> {
        match self {
            GroupIds::Few(ids) => ids
                .get(r)
                .map(|&g| if g == FEW_NONE { NO_GROUP } else { g.into() }),
            GroupIds::Many(ids) => ids.get(r).copied(),
        }
    }

    /// Appends a region's group index ([`NO_GROUP`] for none).
    pub fn push(&mut self, g: u32) {
        self.fit(g);
        match self {
            GroupIds::Few(ids) => ids.push(few(g)),
            GroupIds::Many(ids) => ids.push(g),
        }
    }

    /// Sets region `r`'s group index, if there is such a region.
    pub fn set(&mut self, r: usize, g: u32) {
        self.fit(g);
        match self {
            GroupIds::Few(ids) => {
                if let Some(slot) = ids.get_mut(r) {
                    *slot = few(g);
                }
            }
            GroupIds::Many(ids) => {
                if let Some(slot) = ids.get_mut(r) {
                    *slot = g;
                }
            }
        }
    }

    /// Makes room for `n` more.
    pub fn reserve(&mut self, n: usize) {
        match self {
            GroupIds::Few(ids) => ids.reserve(n),
            GroupIds::Many(ids) => ids.reserve(n),
        }
    }

    /// Makes it `n` long, new regions in no group.
    pub(super) fn resize(&mut self, n: usize) {
        match self {
            GroupIds::Few(ids) => ids.resize(n, FEW_NONE),
            GroupIds::Many(ids) => ids.resize(n, NO_GROUP),
        }
    }

    /// Widens to four bytes an index if `g` needs them.
    fn fit(&mut self, g: u32) {
        if let GroupIds::Few(ids) = self
            && g >= u32::from(FEW_NONE)
            && g != NO_GROUP
        {
            let wide = std::mem::take(ids)
                .into_iter()
                .map(|g| if g == FEW_NONE { NO_GROUP } else { g.into() })
                .collect();
            *self = GroupIds::Many(wide);
        }
    }
}

/// Strings stored end to end: one allocation for millions of names.
#[derive(Debug, Clone, Default)]
pub struct Names {
    text: String,
    /// Where each name ends, modulo 2^32: four bytes a name rather than eight.
    ends: Vec<u32>,
    /// For each further 4 GiB of text, the index of the first name that ends in it.
    wraps: Vec<usize>,
}

impl Names {
    /// Appends a name; returns its index.
    pub fn push(&mut self, name: &str) -> usize {
        self.text.push_str(name);
        self.push_end(self.text.len());
        self.ends.len() - 1
    }

    pub(super) fn push_end(&mut self, end: usize) {
        let i = self.ends.len();
        while end >> 32 > self.wraps.len() {
            self.wraps.push(i);
        }
        // Truncation is the point: the high bits are in `wraps`.
        self.ends.push(end as u32);
    }

    /// Where name `i` ends in the text.
    pub(super) fn end(&self, i: usize) -> usize {
        let high = if self.wraps.is_empty() {
            0
        } else {
            self.wraps.partition_point(|&w| w <= i)
        };
        (high << 32) | self.ends[i] as usize
    }

    /// Names from their text end to end and where each ends; `None` unless every end is
    /// at a character boundary, no end is before the one before it, and the last is the
    /// text's end.
    pub fn from_parts(text: String, ends: Vec<usize>) -> Option<Names> {
        let mut names = Names {
            text: String::new(),
            ends: Vec::with_capacity(ends.len()),
            wraps: Vec::new(),
        };
        let mut last = 0;
        for &e in &ends {
            if e < last || !text.is_char_boundary(e) {
                return None;
            }
            names.push_end(e);
            last = e;
        }
        names.text = text;
        (last == names.text.len()).then_some(names)
    }

    /// Appends names given end to end in `text`, each `lens[i]` bytes long; `None`, with
    /// nothing appended, unless `text` is UTF-8 cut at character boundaries and the lengths
    /// add up to it.
    pub fn extend(&mut self, text: &[u8], lens: &[u32]) -> Option<()> {
        let text = std::str::from_utf8(text).ok()?;
        let mut at = 0usize;
        for &len in lens {
            at = at.checked_add(len as usize)?;
            if !text.is_char_boundary(at) {
                return None;
            }
        }
        if at != text.len() {
            return None;
        }
        let base = self.text.len();
        self.text.push_str(text);
        self.ends.reserve(lens.len());
        let mut end = base;
        for &len in lens {
            end += len as usize;
            self.push_end(end);
        }
        Some(())
    }

    /// Appends every name of `other`, in order.
    pub fn append(&mut self, other: &Names) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.ends.reserve(other.len());
        for i in 0..other.len() {
            self.push_end(base + other.end(i));
        }
    }

    /// Makes room for `names` more names of `bytes` in all.
    pub fn reserve(&mut self, names: usize, bytes: usize) {
        self.ends.reserve(names);
        self.text.reserve(bytes);
    }

    /// The name at an index.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.end(i - 1) };
        &self.text[start..self.end(i)]
    }

    /// The names of indices `range`, in order (cheaper than [`Names::get`] for each).
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &str> + '_ {
        let mut start = if range.start == 0 {
            0
        } else {
            self.end(range.start - 1)
        };
        range.map(move |i| {
            let end = if self.wraps.is_empty() {
                self.ends[i] as usize
            } else {
                self.end(i)
            };
            let name = &self.text[start..end];
            start = end;
            name
        })
    }

    /// Bytes of text in all the names.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_ends_past_4_gib_keep_their_high_bits() {
        // Only the ends are stored here: 4 GiB of text is more than a test should hold.
        let mut names = Names::default();
        let ends = [
            5,
            (1 << 32) - 1,
            1 << 32,
            (1 << 32) + 7,
            (3 << 32) + 1,
            3 << 33,
        ];
        for e in ends {
            names.push_end(e);
        }
        let back: Vec<usize> = (0..ends.len()).map(|i| names.end(i)).collect();
        assert_eq!(back, ends);
        assert_eq!(names.wraps, [2, 4, 4, 5, 5, 5]);
    }

    #[test]
    fn group_ids_take_a_byte_until_a_group_needs_more() {
        let mut ids = GroupIds::from(vec![0, NO_GROUP, 254]);
        assert!(matches!(ids, GroupIds::Few(_)));
        ids.push(NO_GROUP);
        ids.set(0, 7);
        assert!(matches!(ids, GroupIds::Few(_)));
        ids.push(255);
        assert!(matches!(ids, GroupIds::Many(_)));
        let all: Vec<Option<u32>> = (0..6).map(|r| ids.get(r)).collect();
        assert_eq!(
            all,
            [
                Some(7),
                Some(NO_GROUP),
                Some(254),
                Some(NO_GROUP),
                Some(255),
                None
            ]
        );
        assert!(matches!(GroupIds::from(vec![1, 300]), GroupIds::Many(_)));
    }

    #[test]
    fn names_extend_from_lengths_or_not_at_all() {
        let mut names = Names::default();
        names.push("北京");
        assert_eq!(names.extend("ab上海".as_bytes(), &[1, 1, 6]), Some(()));
        let all: Vec<&str> = (0..names.len()).map(|i| names.get(i)).collect();
        assert_eq!(all, ["北京", "a", "b", "上海"]);
        assert_eq!(names.range(0..4).collect::<Vec<_>>(), all);
        assert_eq!(names.range(2..4).collect::<Vec<_>>(), ["b", "上海"]);
        // Cut inside a character, lengths short of the text, text not UTF-8.
        assert_eq!(names.extend("上海".as_bytes(), &[1, 5]), None);
        assert_eq!(names.extend(b"abc", &[1, 1]), None);
        assert_eq!(names.extend(b"\xff", &[1]), None);
        assert_eq!(names.len(), 4);
        let mut joined = Names::default();
        joined.push("x");
        joined.append(&names);
        assert_eq!(joined.get(4), "上海");
        assert_eq!(joined.text_len(), 1 + 6 + 2 + 6);
    }
}
