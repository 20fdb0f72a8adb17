//! The fast path for plain files: one region column, populations only, commas, UTF-8, no
//! quotes in the body. Blocks of the file are parsed on every core at once.
//!
//! - Wide files have a row per region: each block, once read, is appended to the panel's
//!   columns as soon as the blocks before it are in, so that the panel is the only copy.
//!   A region named twice is caught by 40 bits of its hash (4 bytes kept a region); the
//!   names of the few regions whose bits agree are compared, and a name seen twice sends
//!   the file to the ordinary reader, which compares the rows.
//! - Long files spread a region over several rows anywhere in the file. Each row becomes
//!   a record in one of [`PARTS`] partitions, by the hash of its region, so that each
//!   partition's regions fit in cache. A first pass numbers each partition's regions; a
//!   bitmap of their first rows gives each its place in order of first appearance; a
//!   second pass writes names and figures straight to their places.
//!
//! Memory first touched costs more than the arithmetic on this kind of machine (a virtual
//! one, where the host backs pages as they are first used): buffers are sized once,
//! reused, or taken zeroed from the system and first written on every core at once.
//!
//! Anything out of the ordinary (a quote, an unreadable figure, two figures for one
//! region and year, a duplicate name, a conflicting group) gives up with [`Fallback`], and
//! the ordinary reader ([`super::csv_file`]) reads the input again: it reports problems
//! with their line and column. So this path answers only where the ordinary one would
//! give the same panel, and it never needs to explain anything.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU8, AtomicU32, AtomicUsize, Ordering};

use crate::load::cell;
use crate::load::header::Measure;
use crate::load::plan::PREFIX as PREFIX_BYTES;
use crate::load::plan::{self, Ctx, PlanKind};
use crate::load::table::{Entry, Table, prefetch};
use crate::load::{LoadOptions, Progress};
use crate::number::{Fractions, Unit};
use crate::panel::{GroupIds, Names, Panel};

/// Bytes read per block: large enough to amortise the hand-over, small enough to keep
/// both cores busy to the end.
const BLOCK: usize = 4 << 20;
/// Bytes read per block of a wide file: its blocks are appended to the panel as they
/// come, so smaller ones keep less in flight.
const WIDE_BLOCK: usize = 1 << 20;
/// Hash partitions of a long file's rows.
const PARTS: usize = 256;
/// A row without a year: it names a region and nothing more.
const NO_YEAR: u16 = u16::MAX;
/// A row's region has no group (no group column).
const NO_LABEL: u16 = u16::MAX;
const MISSING: i64 = Panel::MISSING;

/// The fast path does not apply, or met something the ordinary reader must explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fallback;

type Fast<T> = std::result::Result<T, Fallback>;

/// What the fast path read: a panel's contents, regions in order of first appearance.
#[derive(Debug)]
pub struct Loaded {
    /// Display names.
    pub names: Names,
    /// Group labels, in order of first appearance.
    pub groups: Vec<String>,
    /// Each region's group index, or [`Panel::NO_GROUP`].
    pub group_of: GroupIds,
    /// One population column per year that has any figure.
    pub columns: Vec<(i32, Vec<i64>)>,
}

/// Whether the options leave room for the fast path at all (the file decides the rest).
pub fn applies(opts: &LoadOptions) -> bool {
    use crate::load::decode::Encoding;
    matches!(opts.encoding, Encoding::Auto | Encoding::Utf8)
        && opts.filters.is_empty()
        && opts.region_cols.len() <= 1
        && matches!(opts.skip_rows, None | Some(0))
        && opts
            .components()
            .is_ok_and(|c| c == crate::panel::ComponentsKind::None)
}

/// The columns the fast path reads, by index.
struct Columns {
    ncols: usize,
    region: usize,
    group: Option<usize>,
    kind: Kind,
    unit: Unit,
}

enum Kind {
    Long { year: usize, value: usize },
    Wide { values: Vec<(i32, usize)> },
}

/// Reads `source` (named `label`) the fast way, or says to read it the ordinary way.
/// `progress` is advanced by the bytes read.
/// `size_hint`, the input's size in bytes if known (else 0), sizes the panel at once.
pub fn load(
    label: &str,
    source: &mut (dyn Read + Send),
    size_hint: u64,
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
) -> Fast<Loaded> {
    read_blocks(label, source, size_hint, opts, progress, BLOCK)
}

/// As [`load`], in blocks of about `block` bytes (small ones let tests cross many).
pub fn load_in_blocks(
    label: &str,
    source: &mut (dyn Read + Send),
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
    block: usize,
) -> Fast<Loaded> {
    read_blocks(label, source, 0, opts, progress, block)
}

fn read_blocks(
    label: &str,
    source: &mut (dyn Read + Send),
    size_hint: u64,
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
    block: usize,
) -> Fast<Loaded> {
    let mut prefix = Vec::with_capacity(PREFIX_BYTES);
    source
        .take(PREFIX_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|_| Fallback)?;
    let complete = prefix.len() < PREFIX_BYTES;
    if crate::load::decode::is_utf16(&prefix) {
        return Err(Fallback);
    }
    let start = if prefix.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if opts.skip_rows.is_none() && plan::preamble_lines(&prefix[start..], complete) != 0 {
        return Err(Fallback);
    }
    let (header, len) = plan::first_header(&prefix[start..]).ok_or(Fallback)?;
    let ctx = Ctx {
        file: label,
        header: &header,
        skip: 0,
    };
    let plan = plan::plan(&ctx, opts).map_err(|_| Fallback)?;
    let kind = match plan.kind {
        PlanKind::Long { year, measures } => match measures[..] {
            [(Measure::Population, value)] => Kind::Long { year, value },
            _ => return Err(Fallback),
        },
        PlanKind::Wide { columns } => {
            if columns.iter().any(|&(_, m, _)| m != Measure::Population) {
                return Err(Fallback);
            }
            Kind::Wide {
                values: columns.iter().map(|&(y, _, c)| (y, c)).collect(),
            }
        }
    };
    let (&[region], true) = (&plan.region[..], plan.filters.is_empty()) else {
        return Err(Fallback);
    };
    let cols = Columns {
        ncols: header.len(),
        region,
        group: plan.group,
        kind,
        unit: plan.unit,
    };
    let body = prefix.split_off(start + len);
    let blocks = Mutex::new(Blocks {
        source,
        block: match cols.kind {
            Kind::Wide { .. } => block.min(WIDE_BLOCK),
            Kind::Long { .. } => block,
        }
        .max(1),
        carry: body,
        index: 0,
        done: false,
        progress,
    });
    if let Some(bar) = progress {
        bar.advance((start + len) as u64);
    }
    // A file that fits the first read is too small for threads to pay.
    let threads = if complete {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let loaded = match &cols.kind {
        Kind::Long { .. } => long(&cols, &blocks, threads)?,
        Kind::Wide { values } => wide(&cols, values, &blocks, threads, size_hint)?,
    };
    Ok(loaded)
}

/// A block of whole lines and where it starts in the input.
struct Block {
    index: usize,
    bytes: Vec<u8>,
}

/// Cuts the input into blocks of whole lines, for the workers to take in turn.
struct Blocks<'a> {
    source: &'a mut (dyn Read + Send),
    /// Bytes to read per block.
    block: usize,
    /// Bytes read past the last block's final newline.
    carry: Vec<u8>,
    index: usize,
    done: bool,
    progress: Option<&'a dyn Progress>,
}

impl Blocks<'_> {
    /// The next block, read into `buf` (which the caller reuses); `None` at the end.
    fn next(&mut self, mut buf: Vec<u8>) -> Fast<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        buf.clear();
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        let carried = buf.len();
        let want = self.block.max(carried * 2) - carried;
        // Read into spare capacity: a small input does not pay for a block of zeroes.
        buf.reserve(want);
        let got = (&mut *self.source)
            .take(want as u64)
            .read_to_end(&mut buf)
            .map_err(|_| Fallback)?;
        self.done = got < want;
        if let Some(bar) = self.progress {
            bar.advance(got as u64);
        }
        if !self.done {
            // Whole lines only; the rest waits for the next block. A line longer than a
            // block makes the next one larger.
            let cut = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
            self.carry.extend_from_slice(&buf[cut..]);
            buf.truncate(cut);
        }
        let block = Block {
            index: self.index,
            bytes: buf,
        };
        self.index += 1;
        Ok(Some(block))
    }
}

/// Takes blocks until none are left, handing each to `work`; the buffers are reused.
fn each_block(blocks: &Mutex<Blocks>, mut work: impl FnMut(&Block) -> Fast<()>) -> Fast<()> {
    let mut buf = Vec::new();
    loop {
        let block = {
            let mut b = blocks.lock().map_err(|_| Fallback)?;
            b.next(std::mem::take(&mut buf))?
        };
        let Some(block) = block else {
            return Ok(());
        };
        check_block(&block.bytes, blocks)?;
        work(&block)?;
        buf = block.bytes;
    }
}

/// Gives up on bytes the simple splitting below would read differently from a CSV reader:
/// quotes, a carriage return that does not end a line, text that is not UTF-8.
fn check_block(bytes: &[u8], blocks: &Mutex<Blocks>) -> Fast<()> {
    if memchr::memchr(b'"', bytes).is_some() || std::str::from_utf8(bytes).is_err() {
        return Err(Fallback);
    }
    for i in memchr::memchr_iter(b'\r', bytes) {
        let at_end = i + 1 == bytes.len() && blocks.lock().is_ok_and(|b| b.done);
        if bytes.get(i + 1) != Some(&b'\n') && !at_end {
            return Err(Fallback);
        }
    }
    Ok(())
}

/// Calls `row(line start, fields)` for each non-blank line of a block, its fields as
/// byte ranges; gives up on a line whose field count differs from the header's.
fn each_row(
    bytes: &[u8],
    ncols: usize,
    mut row: impl FnMut(usize, &[(usize, usize)]) -> Fast<()>,
) -> Fast<()> {
    let mut fields: Vec<(usize, usize)> = Vec::with_capacity(ncols + 2);
    let mut line = 0;
    let mut start = 0;
    let mut finish = |line: usize, fields: &mut Vec<(usize, usize)>, start, end| {
        let end = if end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        fields.push((start, end));
        let n = fields.len();
        let blank = n == 1 && start == end;
        let fits = cell::row_fits(n, ncols, start == end);
        let result = if blank {
            Ok(())
        } else if fits {
            row(line, fields)
        } else {
            Err(Fallback)
        };
        fields.clear();
        result
    };
    for i in memchr::memchr2_iter(b',', b'\n', bytes) {
        if bytes[i] == b',' {
            if fields.len() > ncols {
                return Err(Fallback);
            }
            fields.push((start, i));
        } else {
            finish(line, &mut fields, start, i)?;
            line = i + 1;
        }
        start = i + 1;
    }
    if line < bytes.len() {
        finish(line, &mut fields, start, bytes.len())?;
    }
    Ok(())
}

/// A population figure as the ordinary reader reads it; [`MISSING`] for an empty cell.
#[inline]
fn figure(raw: &[u8], unit: Unit) -> Fast<i64> {
    match cell::population(raw, unit, Fractions::Error) {
        Ok(Some(p)) => Ok(p.value),
        Ok(None) => Ok(MISSING),
        Err(_) => Err(Fallback),
    }
}

/// A year as the ordinary reader reads it; [`NO_YEAR`] when the cell is empty.
#[inline]
fn year(raw: &[u8]) -> Fast<u16> {
    match cell::year(raw) {
        Ok(Some(y)) => u16::try_from(y)
            .ok()
            .filter(|&y| y != NO_YEAR)
            .ok_or(Fallback),
        Ok(None) => Ok(NO_YEAR),
        Err(_) => Err(Fallback),
    }
}

/// A block's group labels, numbered in order of first appearance.
#[derive(Default)]
struct Labels {
    ids: HashMap<Box<[u8]>, u16, foldhash::fast::FixedState>,
    list: Vec<Box<[u8]>>,
    last: Option<(usize, usize, u16)>,
}

impl Labels {
    fn id(&mut self, bytes: &[u8], label: &[u8], at: (usize, usize)) -> Fast<u16> {
        if let Some((s, e, id)) = self.last
            && bytes[s..e] == *label
        {
            return Ok(id);
        }
        let id = match self.ids.get(label) {
            Some(&id) => id,
            None => {
                let id = u16::try_from(self.list.len())
                    .ok()
                    .filter(|&i| i != NO_LABEL)
                    .ok_or(Fallback)?;
                self.list.push(label.into());
                self.ids.insert(label.into(), id);
                id
            }
        };
        self.last = Some((at.0, at.1, id));
        Ok(id)
    }
}

/// The input's group labels, numbered in order of first appearance.
#[derive(Default)]
struct GroupNumbers {
    groups: Vec<String>,
    ids: HashMap<Box<[u8]>, u32, foldhash::fast::FixedState>,
}

impl GroupNumbers {
    /// Global ids for a block's labels (given in the block's order).
    fn map(&mut self, labels: &[Box<[u8]>]) -> Fast<Vec<u32>> {
        let mut map = Vec::with_capacity(labels.len());
        for label in labels {
            let id = match self.ids.get(label) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.groups.len()).map_err(|_| Fallback)?;
                    self.groups
                        .push(std::str::from_utf8(label).map_err(|_| Fallback)?.to_owned());
                    self.ids.insert(label.clone(), id);
                    id
                }
            };
            map.push(id);
        }
        Ok(map)
    }
}

/// Global group ids for each block's labels, in order of first appearance in the input.
fn number_groups(labels: &[&[Box<[u8]>]]) -> Fast<(Vec<String>, Vec<Vec<u32>>)> {
    let mut numbers = GroupNumbers::default();
    let maps = labels
        .iter()
        .map(|block| numbers.map(block))
        .collect::<Fast<_>>()?;
    Ok((numbers.groups, maps))
}

/// A group label's bytes and where they are in the block.
type Label<'b> = (&'b [u8], (usize, usize));

/// A row's trimmed region and group fields.
fn region_and_label<'b>(
    bytes: &'b [u8],
    fields: &[(usize, usize)],
    cols: &Columns,
) -> Fast<(&'b [u8], Option<Label<'b>>)> {
    let field = |c: usize| fields.get(c).map_or(&b""[..], |&(s, e)| &bytes[s..e]);
    let key = cell::key(field(cols.region));
    if key.is_empty() {
        return Err(Fallback);
    }
    let label = cols.group.map(|g| {
        let raw = field(g);
        let t = cell::key(raw);
        let s = fields.get(g).map_or(0, |f| f.0) + (raw.len() - raw.trim_ascii_start().len());
        (t, (s, s + t.len()))
    });
    Ok((key, label))
}

/// Runs `work` on `threads` scoped threads and collects what each returns.
fn on_threads<T: Send>(threads: usize, work: impl Fn() -> Fast<T> + Sync) -> Fast<Vec<T>> {
    std::thread::scope(|s| {
        // A thread the system cannot start is not an error: the work is shared by fewer.
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, &work).ok())
            .collect();
        let mut out = vec![work()?];
        for h in handles {
            out.push(h.join().map_err(|_| Fallback)??);
        }
        Ok(out)
    })
}

// ---- wide: a row per region -------------------------------------------------------

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
        self.names
            .extend(&block.text, &block.lens)
            .ok_or(Fallback)?;
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

fn wide(
    cols: &Columns,
    values: &[(i32, usize)],
    blocks: &Mutex<Blocks>,
    threads: usize,
    size_hint: u64,
) -> Fast<Loaded> {
    let hasher = foldhash::fast::FixedState::with_seed(0x706f_7064);
    let width = values.len();
    let assembly = Mutex::new(Assembly {
        size_hint,
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
    Ok(Loaded {
        names,
        groups: groups.groups,
        group_of,
        columns,
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

// ---- long: a row per region and year ----------------------------------------------

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

fn long(cols: &Columns, blocks: &Mutex<Blocks>, threads: usize) -> Fast<Loaded> {
    let Kind::Long {
        year: year_col,
        value: value_col,
    } = cols.kind
    else {
        return Err(Fallback);
    };
    let hasher = foldhash::fast::FixedState::with_seed(0x706f_7064);
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
    // Pass one numbers each partition's regions in order of first appearance.
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
                number_regions(&mut input, &mut scratch, &bases, &maps, &hasher)?,
            ));
        }
    })?;
    let mut firsts: Vec<Vec<First>> = (0..PARTS).map(|_| Vec::new()).collect();
    for (p, f) in found.into_iter().flatten() {
        firsts[p] = f;
    }
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
    on_threads(threads, || {
        loop {
            let p = next.fetch_add(1, Ordering::Relaxed);
            let (Some(input), Some(firsts)) = (inputs.get(p), firsts.get(p)) else {
                return Ok(());
            };
            let input = std::mem::take(&mut *input.lock().map_err(|_| Fallback)?);
            fill_places(input, firsts, &maps, &slot_of, &out)?;
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
    Ok(Loaded {
        names,
        groups,
        group_of,
        columns: years.iter().map(|&y| i32::from(y)).zip(columns).collect(),
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
