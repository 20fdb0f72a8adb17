//! Wide files: a row per region. Each block, once read, is appended to the panel's
//! columns as soon as the blocks before it are in, so that the panel is the only copy.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::blocks::{Blocks, GroupNumbers, Labels, each_block, each_row, figure, region_and_label};
use super::{Columns, Fallback, Fast, FastPanel, HASH_SEED, MISSING, NO_LABEL, PARTS, on_threads};
use crate::panel::{GroupIds, Names, Panel, is_aggregate_name, may_be_aggregate};

/// One block of a wide file, read.
struct WideBlock {
    index: usize,
    /// Bytes of input the block held.
    bytes: usize,
    /// Region names end to end, and their lengths.
    text: Vec<u8>,
    lens: Vec<u32>,
    labels: Vec<Box<[u8]>>,
    /// Per region: its block-local label id.
    label_of: Vec<u16>,
    /// Per value column, one figure per region.
    values: Vec<Vec<i64>>,
    /// Per value column: whether any region has a figure.
    present: Vec<bool>,
    hashes: BlockHashes,
    /// Regions (by place in the block) whose names say they are totals.
    maybe_totals: Vec<u32>,
}

/// A block's regions' 64-bit hashes, grouped by partition (the top 8 bits): of each,
/// the low 32 bits are kept, 4 bytes a region. Two regions whose 40 bits agree are
/// compared by name afterwards (a few pairs in millions).
struct BlockHashes {
    /// Partition `p` holds `low[starts[p]..starts[p + 1]]`.
    low: Vec<u32>,
    starts: Vec<u32>,
}

/// Which partition a hash falls in.
fn partition(h: u64) -> usize {
    (h >> (64 - PARTS.trailing_zeros())) as usize
}

/// The 40 bits of a hash the wide path keeps: its partition, then its low 32 bits.
fn kept_bits(partition: usize, low: u32) -> u64 {
    (partition as u64) << 32 | u64::from(low)
}

impl BlockHashes {
    /// Groups `unsorted` by partition (a counting sort: two passes, no growing), into
    /// `low` (emptied first: it is a buffer used before).
    fn new(unsorted: &[u64], mut low: Vec<u32>) -> BlockHashes {
        let mut starts = vec![0u32; PARTS + 1];
        for &h in unsorted {
            starts[partition(h) + 1] += 1;
        }
        for p in 0..PARTS {
            starts[p + 1] += starts[p];
        }
        let mut next = starts.clone();
        low.clear();
        low.resize(unsorted.len(), 0);
        for &h in unsorted {
            let at = &mut next[partition(h)];
            // Truncation is the point: the bits kept.
            low[*at as usize] = h as u32;
            *at += 1;
        }
        BlockHashes { low, starts }
    }
}

/// The wide panel as it grows: blocks are appended in file order as soon as the ones
/// before them are in, so that each is held twice only for the moment it is copied.
struct Assembly {
    /// The input's size, if known: the columns are sized from it once.
    size_hint: u64,
    /// Regions whose names say they are totals of others.
    totals: Vec<u32>,
    /// Index of the next block to append.
    next: usize,
    /// Blocks read before their turn.
    early: Vec<WideBlock>,
    names: Names,
    group_of: GroupIds,
    columns: Vec<Vec<i64>>,
    present: Vec<bool>,
    groups: GroupNumbers,
    /// Every block's hashes (the bits kept), one block after another: one allocation,
    /// handed back to the system whole when done.
    hash_low: Vec<u32>,
    /// Per block: where its hashes start in `hash_low`, and its partitions' bounds.
    hash_parts: Vec<(usize, Vec<u32>)>,
    /// Blocks appended, emptied, for their buffers to be used again: memory first
    /// touched costs more than the parsing on this kind of machine.
    recycled: Vec<WideBlock>,
}

impl Assembly {
    /// Takes a block read, and appends every block whose turn has come; gives back an
    /// emptied block to read the next into, if there is one.
    fn add(&mut self, block: WideBlock) -> Fast<Option<WideBlock>> {
        self.early.push(block);
        while let Some(i) = self.early.iter().position(|b| b.index == self.next) {
            let block = self.early.swap_remove(i);
            self.append(block)?;
            self.next += 1;
        }
        Ok(self.recycled.pop())
    }

    fn append(&mut self, mut block: WideBlock) -> Fast<()> {
        if self.next == 0 && self.size_hint > 0 && block.bytes > 0 {
            // The first block tells about how many regions the whole input holds; room
            // reserved and not used costs address space only.
            let scale = |n: usize| {
                let n = n as u128 * u128::from(self.size_hint) / block.bytes as u128;
                usize::try_from(n + n / 8 + 1024).unwrap_or(usize::MAX)
            };
            let regions = scale(block.lens.len());
            self.names.reserve(regions, scale(block.text.len()));
            self.group_of.reserve(regions);
            for column in &mut self.columns {
                reserve(column, regions);
            }
            reserve(&mut self.hash_low, regions);
        }
        let map = self.groups.map(&block.labels)?;
        let first = self.names.len();
        self.names
            .extend(&block.text, &block.lens)
            .ok_or(Fallback)?;
        for &r in &block.maybe_totals {
            self.totals
                .push(u32::try_from(first + r as usize).map_err(|_| Fallback)?);
        }
        for &label in &block.label_of {
            self.group_of.push(match label {
                NO_LABEL => Panel::NO_GROUP,
                l => *map.get(usize::from(l)).ok_or(Fallback)?,
            });
        }
        for (column, values) in self.columns.iter_mut().zip(&block.values) {
            column.extend_from_slice(values);
        }
        for (any, here) in self.present.iter_mut().zip(&block.present) {
            *any |= here;
        }
        self.hash_parts.push((
            self.hash_low.len(),
            std::mem::take(&mut block.hashes.starts),
        ));
        self.hash_low.extend_from_slice(&block.hashes.low);
        block.text.clear();
        block.lens.clear();
        block.label_of.clear();
        block.maybe_totals.clear();
        block.values.iter_mut().for_each(Vec::clear);
        self.recycled.push(block);
        Ok(())
    }

    /// Partition `p`'s hashes, a piece per block.
    fn part(&self, p: usize) -> Vec<&[u32]> {
        self.hash_parts
            .iter()
            .map(|(base, starts)| {
                &self.hash_low[base + starts[p] as usize..base + starts[p + 1] as usize]
            })
            .collect()
    }
}

/// Reserves room for `n` more, backed by huge pages where the system gives them.
fn reserve<T>(v: &mut Vec<T>, n: usize) {
    if v.try_reserve_exact(n).is_ok() {
        crate::load::table::advise_huge_pages(v.spare_capacity_mut());
    }
}

pub(super) fn read(
    cols: &Columns,
    values: &[(i32, usize)],
    blocks: &Mutex<Blocks>,
    threads: usize,
    size_hint: u64,
) -> Fast<FastPanel> {
    let hasher = foldhash::fast::FixedState::with_seed(HASH_SEED);
    let width = values.len();
    let assembly = Mutex::new(Assembly {
        size_hint,
        totals: Vec::new(),
        next: 0,
        early: Vec::new(),
        names: Names::default(),
        group_of: GroupIds::default(),
        columns: vec![Vec::new(); width],
        present: vec![false; width],
        groups: GroupNumbers::default(),
        hash_low: Vec::new(),
        hash_parts: Vec::new(),
        recycled: Vec::new(),
    });
    on_threads(threads, || {
        let mut unsorted = Vec::new();
        let mut spare: Option<WideBlock> = None;
        each_block(blocks, |block| {
            let bytes = &block.bytes[..];
            let (mut text, mut lens, mut label_of, mut figures, low) = match spare.take() {
                Some(b) => (b.text, b.lens, b.label_of, b.values, b.hashes.low),
                None => Default::default(),
            };
            // At most a region per line: sized once, never grown (and copied).
            let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
            text.reserve(bytes.len() / 2);
            lens.reserve(lines);
            label_of.reserve(lines);
            figures.resize_with(width, Vec::new);
            for column in &mut figures {
                column.reserve(lines);
            }
            let mut present = vec![false; width];
            let mut maybe_totals = Vec::new();
            let mut labels = Labels::default();
            unsorted.clear();
            each_row(bytes, cols.ncols, |_, fields| {
                let (key, label) = region_and_label(bytes, fields, cols)?;
                let label = match label {
                    Some((l, at)) => labels.id(bytes, l, at)?,
                    None => NO_LABEL,
                };
                for ((column, any), &(_, c)) in figures.iter_mut().zip(&mut present).zip(values) {
                    let (s, e) = fields.get(c).copied().unwrap_or((0, 0));
                    let v = figure(&bytes[s..e], cols.unit)?;
                    *any |= v != MISSING;
                    column.push(v);
                }
                if may_be_aggregate(key) && std::str::from_utf8(key).is_ok_and(is_aggregate_name) {
                    maybe_totals.push(u32::try_from(lens.len()).map_err(|_| Fallback)?);
                }
                unsorted.push(hasher.hash_one(key));
                text.extend_from_slice(key);
                lens.push(u32::try_from(key.len()).map_err(|_| Fallback)?);
                label_of.push(label);
                Ok(())
            })?;
            let read = WideBlock {
                index: block.index,
                bytes: bytes.len(),
                text,
                lens,
                labels: labels.list,
                label_of,
                values: figures,
                present,
                hashes: BlockHashes::new(&unsorted, low),
                maybe_totals,
            };
            spare = assembly.lock().map_err(|_| Fallback)?.add(read)?;
            Ok(())
        })
    })?;
    crate::timings::mark("parsed");
    let assembly = assembly.into_inner().map_err(|_| Fallback)?;
    if !assembly.early.is_empty() {
        return Err(Fallback);
    }

    // Two rows of one region: the ordinary reader decides whether they agree. Hashes
    // seen twice are candidates, and their regions' names are compared.
    let next = AtomicUsize::new(0);
    let assembled = &assembly;
    let twice = on_threads(threads, || {
        let (mut seen, mut twice) = (Vec::new(), Vec::new());
        loop {
            let p = next.fetch_add(1, Ordering::Relaxed);
            if p >= PARTS {
                return Ok(twice);
            }
            for low in seen_twice(&assembled.part(p), &mut seen) {
                twice.push(kept_bits(p, low));
            }
        }
    })?;
    let mut twice: Vec<u64> = twice.into_iter().flatten().collect();
    twice.sort_unstable();
    if !twice.is_empty() && names_repeat(&assembly.names, &twice, &hasher, threads)? {
        return Err(Fallback);
    }
    crate::timings::mark("checked");

    let Assembly {
        names,
        group_of,
        columns,
        present,
        groups,
        totals,
        ..
    } = assembly;
    // A year no region has a figure for is not a year of the panel.
    let columns = values
        .iter()
        .zip(columns)
        .zip(present)
        .filter(|(_, any)| *any)
        .map(|((&(year, _), c), _)| (year, c))
        .collect();
    Ok(FastPanel {
        names,
        groups: groups.groups,
        group_of,
        columns,
        choices: Vec::new(),
        totals,
    })
}

/// The hashes (of one partition, in pieces) that come more than once, by an
/// open-addressing set (`seen`, reused) that a partition's few thousand keep in cache.
fn seen_twice(parts: &[&[u32]], seen: &mut Vec<u64>) -> Vec<u32> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let size = (len * 2).next_power_of_two().max(16);
    seen.clear();
    seen.resize(size, 0);
    let mask = size - 1;
    let mut twice = Vec::new();
    for &low in parts.iter().flat_map(|p| p.iter()) {
        // 0 marks an empty slot: a bit above the 32 keeps every hash clear of it.
        let h = u64::from(low) | 1 << 32;
        // The low bits are the partition's own: spread them over the table.
        let mut i = (u64::from(low).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask;
        loop {
            match seen[i] {
                0 => {
                    seen[i] = h;
                    break;
                }
                s if s == h => {
                    twice.push(low);
                    break;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }
    twice
}

/// Whether two regions whose hashes are among `twice` (partition and low bits, sorted)
/// have the same name: every name is hashed again, those that match are compared.
fn names_repeat(
    names: &Names,
    twice: &[u64],
    hasher: &foldhash::fast::FixedState,
    threads: usize,
) -> Fast<bool> {
    let n = names.len();
    let threads = threads.max(1);
    // A bit per bucket of 2^20 hashes turns most names away before the search.
    let mut filter = vec![0u64; 64];
    for &key in twice {
        let bucket = (key >> 20) as usize & 4095;
        filter[bucket / 64] |= 1 << (bucket % 64);
    }
    let next = AtomicUsize::new(0);
    let found = on_threads(threads, || {
        let mut found = Vec::new();
        loop {
            let t = next.fetch_add(1, Ordering::Relaxed);
            if t >= threads {
                return Ok(found);
            }
            let range = n * t / threads..n * (t + 1) / threads;
            for (r, name) in range.clone().zip(names.range(range)) {
                let h = hasher.hash_one(name.as_bytes());
                // Truncation is the point: the bits kept.
                let key = kept_bits(partition(h), h as u32);
                let bucket = (key >> 20) as usize & 4095;
                if filter[bucket / 64] & 1 << (bucket % 64) != 0
                    && twice.binary_search(&key).is_ok()
                {
                    found.push(r);
                }
            }
        }
    })?;
    let mut by_name: HashSet<&str> = HashSet::new();
    Ok(found
        .into_iter()
        .flatten()
        .any(|r| !by_name.insert(names.get(r))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(hasher: &foldhash::fast::FixedState, name: &str) -> u64 {
        let h = hasher.hash_one(name.as_bytes());
        kept_bits(partition(h), h as u32)
    }

    #[test]
    fn hashes_seen_twice_are_found_across_blocks() {
        let mut seen = Vec::new();
        assert_eq!(
            seen_twice(&[&[1, 2, 3], &[4, 0]], &mut seen),
            Vec::<u32>::new()
        );
        assert_eq!(seen_twice(&[&[1, 2, 0], &[4, 0, 2]], &mut seen), [0, 2]);
    }

    #[test]
    fn candidates_are_duplicates_only_if_their_names_are() {
        let hasher = foldhash::fast::FixedState::with_seed(7);
        let mut names = Names::default();
        for name in ["Anning", "Baiyun", "Chaoyang", "Baiyun-2"] {
            names.push(name);
        }
        // Two different names taken for a collision: not duplicates.
        let mut twice = vec![key(&hasher, "Anning"), key(&hasher, "Baiyun")];
        twice.sort_unstable();
        for threads in [1, 2, 3] {
            assert_eq!(names_repeat(&names, &twice, &hasher, threads), Ok(false));
        }
        names.push("Baiyun");
        for threads in [1, 2, 3] {
            assert_eq!(names_repeat(&names, &twice, &hasher, threads), Ok(true));
        }
    }
}
