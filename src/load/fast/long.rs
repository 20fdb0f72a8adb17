//! Long files: a row per region and year, a region's rows anywhere in the file. Each row
//! becomes a record in a partition by the hash of its region; a first pass numbers each
//! partition's regions, a bitmap of first rows orders them, a second pass writes names
//! and figures straight to their places.

use std::hash::BuildHasher;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU8, AtomicU32, AtomicUsize, Ordering};

use super::blocks::{
    Blocks, Labels, each_block, each_row, figure, number_groups, region_and_label, year,
};
use super::{
    Columns, Fallback, Fast, FastPanel, HASH_SEED, Kind, MISSING, NO_LABEL, NO_YEAR, PARTS,
    on_threads,
};
use crate::load::table::{Entry, Table, prefetch};
use crate::panel::{Names, Panel, is_aggregate_name, may_be_aggregate};

/// One block of a long file, read: its rows as records, by partition.
struct LongBlock {
    index: usize,
    /// Rows read.
    rows: u32,
    labels: Vec<Box<[u8]>>,
    /// Years with at least one figure.
    years: Vec<u16>,
    parts: Vec<Vec<u8>>,
}

// A record: key length (u8), key, row in the block (u32), year (u16), label
// (u16), figure (u32; larger ones as BIG then the i64).
const SMALL_MISSING: u32 = u32::MAX;
const BIG: u32 = u32::MAX - 1;

fn put_record(out: &mut Vec<u8>, key: &[u8], row: u32, year: u16, label: u16, v: i64) -> Fast<()> {
    let len = u8::try_from(key.len()).map_err(|_| Fallback)?;
    let small = match v {
        MISSING => SMALL_MISSING,
        v if (0..i64::from(BIG)).contains(&v) => v as u32,
        _ => BIG,
    };
    let mut fixed = [0u8; 12];
    fixed[..4].copy_from_slice(&row.to_le_bytes());
    fixed[4..6].copy_from_slice(&year.to_le_bytes());
    fixed[6..8].copy_from_slice(&label.to_le_bytes());
    fixed[8..].copy_from_slice(&small.to_le_bytes());
    out.reserve(1 + key.len() + fixed.len() + 8);
    out.push(len);
    out.extend_from_slice(key);
    out.extend_from_slice(&fixed);
    if small == BIG {
        out.extend_from_slice(&v.to_le_bytes());
    }
    Ok(())
}

/// A record read back: key, row in its block, year, label, figure; and the bytes after it.
struct Record<'a> {
    key: &'a [u8],
    row: u32,
    year: u16,
    label: u16,
    value: i64,
}

fn take_record(buf: &[u8]) -> Option<(Record<'_>, &[u8])> {
    let (&len, rest) = buf.split_first()?;
    let (key, rest) = rest.split_at_checked(usize::from(len))?;
    let (fixed, rest) = rest.split_first_chunk::<12>()?;
    let row = u32::from_le_bytes([fixed[0], fixed[1], fixed[2], fixed[3]]);
    let year = u16::from_le_bytes([fixed[4], fixed[5]]);
    let label = u16::from_le_bytes([fixed[6], fixed[7]]);
    let small = u32::from_le_bytes([fixed[8], fixed[9], fixed[10], fixed[11]]);
    let (value, rest) = match small {
        SMALL_MISSING => (MISSING, rest),
        BIG => {
            let (big, rest) = rest.split_first_chunk::<8>()?;
            (i64::from_le_bytes(*big), rest)
        }
        v => (i64::from(v), rest),
    };
    Some((
        Record {
            key,
            row,
            year,
            label,
            value,
        },
        rest,
    ))
}

/// Parses every block on `threads` threads into partitioned records, in block order.
fn parse_blocks(
    cols: &Columns,
    blocks: &Mutex<Blocks>,
    threads: usize,
    (year_col, value_col): (usize, usize),
    hasher: &foldhash::fast::FixedState,
) -> Fast<Vec<LongBlock>> {
    let read = on_threads(threads, || {
        let mut done = Vec::new();
        each_block(blocks, |block| {
            let bytes = &block.bytes[..];
            let mut out = LongBlock {
                index: block.index,
                rows: 0,
                labels: Vec::new(),
                years: Vec::new(),
                // Records take about as many bytes as their rows.
                parts: (0..PARTS)
                    .map(|_| Vec::with_capacity(bytes.len() / PARTS * 9 / 8 + 64))
                    .collect(),
            };
            let mut labels = Labels::default();
            each_row(bytes, cols.ncols, |_, fields| {
                let row = out.rows;
                out.rows = row.checked_add(1).ok_or(Fallback)?;
                let (key, label) = region_and_label(bytes, fields, cols)?;
                let label = match label {
                    Some((l, at)) => labels.id(bytes, l, at)?,
                    None => NO_LABEL,
                };
                let field = |c: usize| fields.get(c).map_or(&b""[..], |&(s, e)| &bytes[s..e]);
                let mut y = year(field(year_col))?;
                // A row without a year (or a figure) still names its region.
                let v = if y == NO_YEAR {
                    MISSING
                } else {
                    figure(field(value_col), cols.unit)?
                };
                if v == MISSING {
                    y = NO_YEAR;
                } else if !out.years.contains(&y) {
                    out.years.push(y);
                }
                let h = hasher.hash_one(key);
                put_record(
                    &mut out.parts[(h >> (64 - PARTS.trailing_zeros())) as usize],
                    key,
                    row,
                    y,
                    label,
                    v,
                )
            })?;
            out.labels = labels.list;
            done.push(out);
            Ok(())
        })?;
        Ok(done)
    })?;
    let mut read: Vec<LongBlock> = read.into_iter().flatten().collect();
    read.sort_by_key(|b| b.index);
    Ok(read)
}

/// Pass one: each partition's regions numbered in order of first appearance, on
/// `threads` threads.
fn number_all(
    inputs: &[Mutex<Vec<Vec<u8>>>],
    bases: &[u64],
    maps: &[Vec<u32>],
    hasher: &foldhash::fast::FixedState,
    threads: usize,
) -> Fast<Vec<Vec<First>>> {
    let next = AtomicUsize::new(0);
    let found = on_threads(threads, || {
        let mut mine = Vec::new();
        let mut scratch = Scratch::default();
        loop {
            let p = next.fetch_add(1, Ordering::Relaxed);
            let Some(input) = inputs.get(p) else {
                return Ok(mine);
            };
            let mut input = input.lock().map_err(|_| Fallback)?;
            mine.push((
                p,
                number_regions(&mut input, &mut scratch, bases, maps, hasher)?,
            ));
        }
    })?;
    let mut firsts: Vec<Vec<First>> = (0..PARTS).map(|_| Vec::new()).collect();
    for (p, f) in found.into_iter().flatten() {
        firsts[p] = f;
    }
    Ok(firsts)
}

pub(super) fn read(cols: &Columns, blocks: &Mutex<Blocks>, threads: usize) -> Fast<FastPanel> {
    let Kind::Long {
        year: year_col,
        value: value_col,
    } = cols.kind
    else {
        return Err(Fallback);
    };
    let hasher = foldhash::fast::FixedState::with_seed(HASH_SEED);
    let mut read = parse_blocks(cols, blocks, threads, (year_col, value_col), &hasher)?;

    let labels: Vec<&[Box<[u8]>]> = read.iter().map(|b| &b.labels[..]).collect();
    let (groups, maps) = number_groups(&labels)?;
    let mut years: Vec<u16> = read.iter().flat_map(|b| b.years.iter().copied()).collect();
    years.sort_unstable();
    years.dedup();
    let width = years.len();
    let mut slot_of = vec![u16::MAX; 1 << 16];
    for (i, &y) in years.iter().enumerate() {
        slot_of[usize::from(y)] = i as u16;
    }
    // Each block's first row in the input.
    let bases: Vec<u64> = read
        .iter()
        .scan(0u64, |next, b| {
            let base = *next;
            *next += u64::from(b.rows);
            Some(base)
        })
        .collect();
    let rows: u64 = read.iter().map(|b| u64::from(b.rows)).sum();
    // Partition p's records from every block, in block order.
    let inputs: Vec<Mutex<Vec<Vec<u8>>>> = (0..PARTS)
        .map(|p| {
            Mutex::new(
                read.iter_mut()
                    .map(|b| std::mem::take(&mut b.parts[p]))
                    .collect(),
            )
        })
        .collect();
    drop(read);

    crate::timings::mark("parsed");
    let mut firsts = number_all(&inputs, &bases, &maps, &hasher, threads)?;
    crate::timings::mark("numbered");
    let ends = place_regions(&mut firsts, rows, threads)?;
    crate::timings::mark("placed");
    let n = ends.len();
    let out = Placed {
        group_of: zeroed(n),
        text: zeroed(ends.last().copied().unwrap_or(0)),
        columns: (0..width).map(|_| zeroed(n)).collect(),
        ends: &ends,
    };
    // Pass two writes every region's name, group and figures at its place.
    let next = AtomicUsize::new(0);
    let maybe_totals = on_threads(threads, || {
        let mut maybe = Vec::new();
        loop {
            let p = next.fetch_add(1, Ordering::Relaxed);
            let (Some(input), Some(firsts)) = (inputs.get(p), firsts.get(p)) else {
                return Ok(maybe);
            };
            let input = std::mem::take(&mut *input.lock().map_err(|_| Fallback)?);
            fill_places(input, firsts, &maps, &slot_of, &out, &mut maybe)?;
        }
    })?;
    let Placed {
        group_of,
        text,
        columns,
        ..
    } = out;
    crate::timings::mark("filled");
    // Atomics were only for writing from several threads: unwrapped in place.
    let text: Vec<u8> = text.into_iter().map(AtomicU8::into_inner).collect();
    let names =
        Names::from_parts(String::from_utf8(text).map_err(|_| Fallback)?, ends).ok_or(Fallback)?;
    let group_of = group_of
        .into_iter()
        .map(|g| !g.into_inner())
        .collect::<Vec<u32>>()
        .into();
    let columns = columns
        .into_iter()
        .map(|c| c.into_iter().map(|v| v.into_inner() ^ MISSING).collect());
    let mut totals: Vec<u32> = maybe_totals.into_iter().flatten().collect();
    totals.sort_unstable();
    Ok(FastPanel {
        names,
        groups,
        group_of,
        columns: years.iter().map(|&y| i32::from(y)).zip(columns).collect(),
        choices: Vec::new(),
        totals,
    })
}

/// A region as pass one finds it: its first row (its place, once placed), the length of
/// its name.
#[derive(Debug, Clone, Copy)]
struct First {
    row: u32,
    len: u32,
}

/// What a thread reuses from one partition to the next (fresh memory is costly).
#[derive(Default)]
struct Scratch {
    table: Table,
    keys: Vec<u8>,
    spans: Vec<(u32, u32)>,
}

/// A record's parts and where the next one starts; `row_at` is where its row is kept.
struct At<'a> {
    record: Record<'a>,
    row_at: usize,
    next: usize,
}

fn record_at(buf: &[u8], pos: usize) -> Option<At<'_>> {
    let rest = buf.get(pos..)?;
    let (record, after) = take_record(rest)?;
    Some(At {
        row_at: pos + 1 + record.key.len(),
        next: buf.len() - after.len(),
        record,
    })
}

/// The global group id of a block's label.
fn group_of_label(maps: &[Vec<u32>], block: usize, label: u16) -> Fast<u32> {
    match label {
        NO_LABEL => Ok(Panel::NO_GROUP),
        l => maps
            .get(block)
            .and_then(|m| m.get(usize::from(l)))
            .copied()
            .ok_or(Fallback),
    }
}

/// Pass one over a partition: numbers its regions in order of first appearance and
/// writes each record's region number over its row; checks each region keeps one group.
fn number_regions(
    input: &mut [Vec<u8>],
    scratch: &mut Scratch,
    bases: &[u64],
    maps: &[Vec<u32>],
    hasher: &foldhash::fast::FixedState,
) -> Fast<Vec<First>> {
    let Scratch { table, keys, spans } = scratch;
    table.clear();
    keys.clear();
    spans.clear();
    // Regions are about half the rows (two years), and records some 28 bytes.
    let guess = input.iter().map(Vec::len).sum::<usize>() / 56 + 16;
    table.reserve(guess);
    let mut firsts = Vec::with_capacity(guess);
    for (b, records) in input.iter_mut().enumerate() {
        let base = *bases.get(b).ok_or(Fallback)?;
        let mut pos = 0;
        while pos < records.len() {
            let at = record_at(records, pos).ok_or(Fallback)?;
            let r = at.record;
            let group = group_of_label(maps, b, r.label)?;
            let hash = hasher.hash_one(r.key) as u32;
            let found = table.find_mut(hash, r.key, |i| {
                spans
                    .get(i as usize)
                    .is_some_and(|&(s, l)| keys.get(s as usize..(s + l) as usize) == Some(r.key))
            });
            let index = match found {
                Some(e) if e.group == group => e.index,
                Some(_) => return Err(Fallback),
                None => {
                    let id = u32::try_from(firsts.len()).map_err(|_| Fallback)?;
                    let row = u32::try_from(base + u64::from(r.row)).map_err(|_| Fallback)?;
                    firsts.push(First {
                        row,
                        len: r.key.len() as u32,
                    });
                    let start = u32::try_from(keys.len()).map_err(|_| Fallback)?;
                    keys.extend_from_slice(r.key);
                    spans.push((start, r.key.len() as u32));
                    table.insert(Entry::new(id, hash, group, r.key));
                    id
                }
            };
            let (row_at, next) = (at.row_at, at.next);
            records
                .get_mut(row_at..row_at + 4)
                .ok_or(Fallback)?
                .copy_from_slice(&index.to_le_bytes());
            pos = next;
        }
    }
    Ok(firsts)
}

/// Puts every region in its place, the number of regions whose first row comes before
/// its own; returns where each name ends in the names' text.
///
/// A bitmap of first rows, with a running count per word, answers in cache.
fn place_regions(firsts: &mut [Vec<First>], rows: u64, threads: usize) -> Fast<Vec<usize>> {
    let words = usize::try_from(rows.div_ceil(64)).map_err(|_| Fallback)?;
    let mut bits = vec![0u64; words];
    for f in firsts.iter().flatten() {
        let w = bits.get_mut((f.row / 64) as usize).ok_or(Fallback)?;
        *w |= 1 << (f.row % 64);
    }
    let mut before = Vec::with_capacity(words);
    let mut n = 0u64;
    for w in &bits {
        before.push(n);
        n += u64::from(w.count_ones());
    }
    let n = usize::try_from(n).map_err(|_| Fallback)?;
    // Lengths to their places, partitions shared out among the threads.
    let lens: Vec<AtomicUsize> = zeroed(n);
    let work = Mutex::new(firsts.iter_mut());
    let (bits, before, lens_ref) = (&bits, &before, &lens);
    on_threads(threads, || {
        loop {
            let Some(part) = work.lock().map_err(|_| Fallback)?.next() else {
                return Ok(());
            };
            for f in part.iter_mut() {
                let w = (f.row / 64) as usize;
                let below = bits[w] & ((1u64 << (f.row % 64)) - 1);
                f.row = u32::try_from(before[w] + u64::from(below.count_ones()))
                    .map_err(|_| Fallback)?;
                lens_ref
                    .get(f.row as usize)
                    .ok_or(Fallback)?
                    .store(f.len as usize, Ordering::Relaxed);
            }
        }
    })?;
    let mut total = 0usize;
    Ok(lens
        .into_iter()
        .map(|len| {
            total += len.into_inner();
            total
        })
        .collect())
}

/// The panel's columns while threads write regions into their places. They start as
/// zeroes, which the system gives without touching the memory, so that first touches
/// happen on every thread at once: a group is held as `!id` (0 for none) and a figure
/// as `value ^ MISSING` (0 for none).
struct Placed<'a> {
    group_of: Vec<AtomicU32>,
    text: Vec<AtomicU8>,
    columns: Vec<Vec<AtomicI64>>,
    ends: &'a [usize],
}

/// Pass two over a partition: each region's name and group at its first record, every
/// figure as it comes; two different figures for a region and year give up.
fn fill_places(
    input: Vec<Vec<u8>>,
    firsts: &[First],
    maps: &[Vec<u32>],
    slot_of: &[u16],
    out: &Placed,
    maybe_totals: &mut Vec<u32>,
) -> Fast<()> {
    // Places are all over the columns: each run of records asks for its cells first, so
    // that their cache misses overlap instead of coming one after another.
    const AHEAD: usize = 16;
    let mut run: Vec<(usize, usize)> = Vec::with_capacity(AHEAD);
    let mut seen = 0u32;
    for (b, records) in input.into_iter().enumerate() {
        let mut pos = 0;
        while pos < records.len() {
            run.clear();
            while run.len() < AHEAD && pos < records.len() {
                let at = record_at(&records, pos).ok_or(Fallback)?;
                let r = &at.record;
                let place = firsts.get(r.row as usize).ok_or(Fallback)?.row as usize;
                if r.year != NO_YEAR
                    && let Some(cell) = out
                        .columns
                        .get(usize::from(slot_of[usize::from(r.year)]))
                        .and_then(|c| c.get(place))
                {
                    prefetch(cell);
                }
                if r.row >= seen {
                    // A region seen for the first time: its name and group are written too.
                    if let Some(g) = out.group_of.get(place) {
                        prefetch(g);
                    }
                    if let Some(e) = out.ends.get(place.wrapping_sub(1)) {
                        prefetch(e);
                    }
                }
                run.push((pos, place));
                pos = at.next;
            }
            for &(at, place) in &run {
                let r = record_at(&records, at).ok_or(Fallback)?.record;
                let index = r.row;
                if index == seen {
                    seen += 1;
                    let group = group_of_label(maps, b, r.label)?;
                    out.group_of
                        .get(place)
                        .ok_or(Fallback)?
                        .store(!group, Ordering::Relaxed);
                    let start = if place == 0 { 0 } else { out.ends[place - 1] };
                    let cells = out.text.get(start..start + r.key.len()).ok_or(Fallback)?;
                    for (cell, &byte) in cells.iter().zip(r.key) {
                        cell.store(byte, Ordering::Relaxed);
                    }
                    if may_be_aggregate(r.key)
                        && std::str::from_utf8(r.key).is_ok_and(is_aggregate_name)
                    {
                        maybe_totals.push(u32::try_from(place).map_err(|_| Fallback)?);
                    }
                } else if index > seen {
                    return Err(Fallback);
                }
                if r.year != NO_YEAR {
                    let slot = usize::from(slot_of[usize::from(r.year)]);
                    let cell = out
                        .columns
                        .get(slot)
                        .and_then(|c| c.get(place))
                        .ok_or(Fallback)?;
                    // One partition holds all of a region's records: no other thread
                    // writes here.
                    match cell.load(Ordering::Relaxed) ^ MISSING {
                        MISSING => cell.store(r.value ^ MISSING, Ordering::Relaxed),
                        old if old == r.value => {}
                        _ => return Err(Fallback),
                    }
                }
            }
        }
    }
    Ok(())
}

/// A vector of `n` zeroes, not yet touched, on huge pages: it is written at random.
fn zeroed<T: bytemuck::Zeroable>(n: usize) -> Vec<T> {
    let v = bytemuck::zeroed_vec(n);
    crate::load::table::advise_huge_pages(&v);
    v
}
