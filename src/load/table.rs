//! The region lookup table: open addressing with linear probing over 32-byte entries.
//!
//! Written here rather than taken from a crate for one reason: [`Table::touch`]. A
//! shuffled file of millions of regions makes every lookup a cache miss; touching the
//! next row's slot while the current row is processed overlaps the two misses, which no
//! general-purpose table lets a caller do.

/// Key bytes held in the entry itself: most names fit, and comparing them there saves
/// two more memory accesses per row.
pub const INLINE: usize = 19;

/// One slot: 32 bytes, two per cache line.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Region index; `u32::MAX` marks an empty slot.
    pub index: u32,
    /// 32 bits of the key's hash.
    pub hash: u32,
    /// Group index + 1, 0 for none.
    pub group: u32,
    /// Key length if it fits inline, `u8::MAX` if not.
    pub len: u8,
    /// The key, if it fits.
    pub inline: [u8; INLINE],
}

const EMPTY: Entry = Entry {
    index: u32::MAX,
    hash: 0,
    group: 0,
    len: 0,
    inline: [0; INLINE],
};

impl Entry {
    /// A new entry for a key.
    pub fn new(index: u32, hash: u32, group: u32, key: &[u8]) -> Entry {
        let mut e = Entry {
            index,
            hash,
            group,
            len: u8::MAX,
            inline: [0; INLINE],
        };
        if key.len() <= INLINE {
            e.len = key.len() as u8;
            e.inline[..key.len()].copy_from_slice(key);
        }
        e
    }

    /// Whether the entry's key is `key`; `stored` gives the keys that do not fit inline.
    fn is(&self, hash: u32, key: &[u8], stored: impl Fn(u32) -> bool) -> bool {
        if self.hash != hash {
            return false;
        }
        if usize::from(self.len) <= INLINE {
            key.len() == usize::from(self.len) && self.inline[..key.len()] == *key
        } else {
            stored(self.index)
        }
    }
}

/// A hint to bring `e` into cache; nothing on other processors.
#[inline]
pub fn prefetch<T>(e: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let p: *const T = e;
        // SAFETY: a prefetch is only a hint: it never faults, reads nothing into the
        // program, and `p` points into a live slice.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = e;
}

/// Asks the kernel to back a large, randomly accessed buffer with huge pages: looking up
/// millions of regions in random order otherwise spends most of its time on page-table
/// walks (costly under virtualisation), not on the data.
pub fn advise_huge_pages<T>(buffer: &[T]) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 * 1024 * 1024;
        let start = buffer.as_ptr() as usize;
        let len = std::mem::size_of_val(buffer);
        // Whole huge pages inside the buffer only.
        let first = start.div_ceil(HUGE) * HUGE;
        let end = (start + len) / HUGE * HUGE;
        if end > first {
            // SAFETY: MADV_HUGEPAGE changes neither contents nor permissions of the range,
            // which lies inside memory the buffer owns; it is advice, so a failure is
            // ignored.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = buffer;
}

/// Open-addressing hash table of regions, at most three quarters full.
#[derive(Debug, Default)]
pub struct Table {
    slots: Vec<Entry>,
    len: usize,
}

impl Table {
    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// Asks the processor to fetch the slot a hash starts at, so that it is in cache when
    /// it is looked up soon after.
    pub fn touch(&self, hash: u32) {
        if let Some(e) = self.slots.get(hash as usize & self.mask()) {
            prefetch(e);
        }
    }

    /// The entry with this key, if any. `stored(index) == true` when the region's stored
    /// key is `key` (asked only for keys too long to be inline).
    pub fn find_mut(
        &mut self,
        hash: u32,
        key: &[u8],
        stored: impl Fn(u32) -> bool,
    ) -> Option<&mut Entry> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            let e = &self.slots[i];
            if e.index == u32::MAX {
                return None;
            }
            if e.is(hash, key, &stored) {
                return Some(&mut self.slots[i]);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds an entry whose key is not in the table.
    pub fn insert(&mut self, entry: Entry) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow((self.len + 1) * 4 / 3 + 1);
        }
        self.place(entry);
        self.len += 1;
    }

    fn place(&mut self, entry: Entry) {
        let mask = self.mask();
        let mut i = entry.hash as usize & mask;
        while self.slots[i].index != u32::MAX {
            i = (i + 1) & mask;
        }
        self.slots[i] = entry;
    }

    /// Makes room for `more` entries without growing again.
    pub fn reserve(&mut self, more: usize) {
        let want = (self.len + more).saturating_mul(4) / 3 + 1;
        if want > self.slots.len() {
            self.grow(want);
        }
    }

    fn grow(&mut self, at_least: usize) {
        let size = at_least.next_power_of_two().max(16);
        // Advise before the slots are first written: pages already touched stay small.
        let mut slots = Vec::with_capacity(size);
        advise_huge_pages(slots.spare_capacity_mut());
        slots.resize(size, EMPTY);
        let old = std::mem::replace(&mut self.slots, slots);
        for e in old.into_iter().filter(|e| e.index != u32::MAX) {
            self.place(e);
        }
    }

    /// Empties the table, keeping its slots for the next use (fresh memory is costly).
    pub fn clear(&mut self) {
        self.slots.fill(EMPTY);
        self.len = 0;
    }

    /// Every entry.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.slots.iter().filter(|e| e.index != u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_through_growth() {
        let mut t = Table::default();
        let keys: Vec<String> = (0..10_000)
            .map(|i| format!("region-{i}-with-a-long-tail"))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            // A poor hash on purpose: collisions must still be told apart.
            let h = (i % 97) as u32;
            assert!(
                t.find_mut(h, k.as_bytes(), |j| keys[j as usize] == *k)
                    .is_none()
            );
            t.insert(Entry::new(i as u32, h, 0, k.as_bytes()));
        }
        for (i, k) in keys.iter().enumerate() {
            let h = (i % 97) as u32;
            let e = t
                .find_mut(h, k.as_bytes(), |j| keys[j as usize] == *k)
                .unwrap();
            assert_eq!(e.index, i as u32);
        }
        assert_eq!(t.entries().count(), 10_000);
        t.touch(5);
    }
}
