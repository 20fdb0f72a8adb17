//! The fast path for plain files: one region column, populations only, commas, UTF-8, no
//! quotes in the body. Blocks of the file are parsed on every core at once.
//!
//! - Wide files have a row per region: each block's regions are appended in file order,
//!   and duplicates are caught by 64-bit hashes, sorted per hash partition.
//! - Long files spread a region over several rows anywhere in the file. Rows are first
//!   split by the hash of their region into [`PARTS`] partitions, each small enough to be
//!   gathered in cache; then the regions are put back in order of first appearance.
//!
//! Anything out of the ordinary (a quote, an unreadable figure, two figures for one
//! region and year, a duplicate name, a conflicting group) gives up with [`Fallback`], and
//! the ordinary reader ([`super::csv_file`]) reads the input again: it reports problems
//! with their line and column. So this path answers only where the ordinary one would
//! give the same panel, and it never needs to explain anything.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::load::LoadOptions;
use crate::load::csv_file::PREFIX as PREFIX_BYTES;
use crate::load::csv_file::{self, Ctx, PlanKind};
use crate::load::header::{self, Measure};
use crate::load::table::{Entry, Table};
use crate::number::{self, Unit};
use crate::panel::{Names, Panel};

/// Bytes read per block: large enough to amortise the hand-over, small enough to keep
/// both cores busy to the end.
const BLOCK: usize = 4 << 20;
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
    pub group_of: Vec<u32>,
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
pub fn load(
    label: &str,
    source: &mut (dyn Read + Send),
    opts: &LoadOptions,
    progress: Option<&indicatif::ProgressBar>,
) -> Fast<Loaded> {
    load_in_blocks(label, source, opts, progress, BLOCK)
}

/// As [`load`], in blocks of about `block` bytes (small ones let tests cross many).
pub fn load_in_blocks(
    label: &str,
    source: &mut (dyn Read + Send),
    opts: &LoadOptions,
    progress: Option<&indicatif::ProgressBar>,
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
    if opts.skip_rows.is_none() && csv_file::preamble_lines(&prefix[start..], complete) != 0 {
        return Err(Fallback);
    }
    let (header, len) = csv_file::first_header(&prefix[start..]).ok_or(Fallback)?;
    let ctx = Ctx {
        file: label,
        header: &header,
        skip: 0,
    };
    let plan = csv_file::plan(&ctx, opts).map_err(|_| Fallback)?;
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
        block: block.max(1),
        carry: body,
        index: 0,
        done: false,
        progress,
    });
    if let Some(bar) = progress {
        bar.inc((start + len) as u64);
    }
    // A file that fits the first read is too small for threads to pay.
    let threads = if complete {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let loaded = match &cols.kind {
        Kind::Long { .. } => long(&cols, &blocks, threads)?,
        Kind::Wide { values } => wide(&cols, values, &blocks, threads)?,
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
    progress: Option<&'a indicatif::ProgressBar>,
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
            bar.inc(got as u64);
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
        // A row may end in one extra empty field (a trailing comma), as the reader allows.
        let fits = n == ncols || (n == ncols + 1 && start == end);
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
fn figure(raw: &[u8], unit: Unit) -> Fast<i64> {
    if !raw.is_empty() && raw.len() < 19 && raw.iter().all(u8::is_ascii_digit) {
        let n = raw.iter().fold(0i64, |n, &b| n * 10 + i64::from(b - b'0'));
        return match unit {
            Unit::Persons => Ok(n),
            u => n.checked_mul(u.factor() as i64).ok_or(Fallback),
        };
    }
    let text = std::str::from_utf8(raw).map_err(|_| Fallback)?;
    match number::parse_population(text, unit) {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Ok(MISSING),
        Err(_) => Err(Fallback),
    }
}

/// A year as the ordinary reader reads it; [`NO_YEAR`] when the cell is empty.
fn year(raw: &[u8]) -> Fast<u16> {
    let y = match csv_file::year_bytes(raw) {
        Some(y) => y,
        None => {
            let text = std::str::from_utf8(raw).map_err(|_| Fallback)?;
            if number::is_missing(text) {
                return Ok(NO_YEAR);
            }
            header::year_of(text).ok_or(Fallback)?
        }
    };
    u16::try_from(y)
        .ok()
        .filter(|&y| y != NO_YEAR)
        .ok_or(Fallback)
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

/// Global group ids for each block's labels, in order of first appearance in the input.
fn number_groups(labels: &[&[Box<[u8]>]]) -> Fast<(Vec<String>, Vec<Vec<u32>>)> {
    let mut groups: Vec<String> = Vec::new();
    let mut ids: HashMap<&[u8], u32> = HashMap::new();
    let mut maps = Vec::with_capacity(labels.len());
    for block in labels {
        let mut map = Vec::with_capacity(block.len());
        for label in *block {
            let id = match ids.get(&label[..]) {
                Some(&id) => id,
                None => {
                    let id = groups.len() as u32;
                    groups.push(std::str::from_utf8(label).map_err(|_| Fallback)?.to_owned());
                    ids.insert(label, id);
                    id
                }
            };
            map.push(id);
        }
        maps.push(map);
    }
    Ok((groups, maps))
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
    let key = field(cols.region).trim_ascii();
    if key.is_empty() {
        return Err(Fallback);
    }
    let label = cols.group.map(|g| {
        let raw = field(g);
        let t = raw.trim_ascii();
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
    names: Names,
    labels: Vec<Box<[u8]>>,
    /// Per region: its block-local label id.
    label_of: Vec<u16>,
    /// Per region, one figure per value column.
    values: Vec<i64>,
    /// Per value column: whether any region has a figure.
    present: Vec<bool>,
    /// The regions' 64-bit hashes, by partition.
    hashes: Vec<Vec<u64>>,
}

fn wide(
    cols: &Columns,
    values: &[(i32, usize)],
    blocks: &Mutex<Blocks>,
    threads: usize,
) -> Fast<Loaded> {
    let hasher = foldhash::fast::FixedState::with_seed(0x706f_7064);
    let width = values.len();
    let read = on_threads(threads, || {
        let mut done = Vec::new();
        each_block(blocks, |block| {
            let bytes = &block.bytes[..];
            let mut out = WideBlock {
                index: block.index,
                names: Names::default(),
                labels: Vec::new(),
                label_of: Vec::new(),
                values: Vec::new(),
                present: vec![false; width],
                hashes: vec![Vec::new(); PARTS],
            };
            let mut labels = Labels::default();
            each_row(bytes, cols.ncols, |_, fields| {
                let (key, label) = region_and_label(bytes, fields, cols)?;
                let label = match label {
                    Some((l, at)) => labels.id(bytes, l, at)?,
                    None => NO_LABEL,
                };
                for (k, &(_, c)) in values.iter().enumerate() {
                    let (s, e) = fields.get(c).copied().unwrap_or((0, 0));
                    let v = figure(&bytes[s..e], cols.unit)?;
                    out.present[k] |= v != MISSING;
                    out.values.push(v);
                }
                let h = hasher.hash_one(key);
                out.hashes[(h >> (64 - PARTS.trailing_zeros())) as usize].push(h);
                out.names
                    .push(std::str::from_utf8(key).map_err(|_| Fallback)?);
                out.label_of.push(label);
                Ok(())
            })?;
            out.labels = labels.list;
            done.push(out);
            Ok(())
        })?;
        Ok(done)
    })?;
    let mut read: Vec<WideBlock> = read.into_iter().flatten().collect();
    read.sort_by_key(|b| b.index);

    // Two rows of one region (a 64-bit hash seen twice): the ordinary reader decides
    // whether they agree.
    let parts: Vec<Mutex<Vec<u64>>> = (0..PARTS)
        .map(|p| {
            Mutex::new(
                read.iter_mut()
                    .flat_map(|b| std::mem::take(&mut b.hashes[p]))
                    .collect(),
            )
        })
        .collect();
    let next = AtomicUsize::new(0);
    on_threads(threads, || {
        loop {
            let p = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(p) else {
                return Ok(());
            };
            let mut h = std::mem::take(&mut *part.lock().map_err(|_| Fallback)?);
            h.sort_unstable();
            if h.windows(2).any(|w| w[0] == w[1]) {
                return Err(Fallback);
            }
        }
    })?;

    let labels: Vec<&[Box<[u8]>]> = read.iter().map(|b| &b.labels[..]).collect();
    let (groups, maps) = number_groups(&labels)?;
    let n: usize = read.iter().map(|b| b.names.len()).sum();
    let mut names = Names::default();
    names.reserve(n, read.iter().map(|b| b.names.text_len()).sum());
    let mut group_of = Vec::with_capacity(n);
    let mut columns: Vec<(i32, Vec<i64>)> = values
        .iter()
        .enumerate()
        .filter(|&(k, _)| read.iter().any(|b| b.present[k]))
        .map(|(_, &(y, _))| (y, Vec::with_capacity(n)))
        .collect();
    let kept: Vec<usize> = (0..width)
        .filter(|&k| read.iter().any(|b| b.present[k]))
        .collect();
    for (block, map) in read.into_iter().zip(&maps) {
        names.append(&block.names);
        group_of.extend(
            block
                .label_of
                .iter()
                .map(|&l| map.get(usize::from(l)).copied().unwrap_or(Panel::NO_GROUP)),
        );
        for (col, &k) in columns.iter_mut().zip(&kept) {
            col.1
                .extend(block.values.iter().skip(k).step_by(width.max(1)).copied());
        }
    }
    Ok(Loaded {
        names,
        groups,
        group_of,
        columns,
    })
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
    out.push(u8::try_from(key.len()).map_err(|_| Fallback)?);
    out.extend_from_slice(key);
    out.extend_from_slice(&row.to_le_bytes());
    out.extend_from_slice(&year.to_le_bytes());
    out.extend_from_slice(&label.to_le_bytes());
    match v {
        MISSING => out.extend_from_slice(&SMALL_MISSING.to_le_bytes()),
        v if (0..i64::from(BIG)).contains(&v) => out.extend_from_slice(&(v as u32).to_le_bytes()),
        v => {
            out.extend_from_slice(&BIG.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
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

/// A region as a partition gathers it.
#[derive(Debug, Clone, Copy)]
struct Reg {
    /// Its first row in the input.
    first: u64,
    /// Its name in the partition's text.
    name: u32,
    len: u32,
    group: u32,
}

/// One partition's regions, in order of first appearance; figures region by region.
#[derive(Default)]
struct Part {
    regs: Vec<Reg>,
    text: Vec<u8>,
    values: Vec<i64>,
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

    let next = AtomicUsize::new(0);
    let gathered = on_threads(threads, || {
        let mut mine = Vec::new();
        loop {
            let p = next.fetch_add(1, Ordering::Relaxed);
            let Some(input) = inputs.get(p) else {
                return Ok(mine);
            };
            let input = std::mem::take(&mut *input.lock().map_err(|_| Fallback)?);
            mine.push((p, gather(input, &bases, &maps, &slot_of, width, &hasher)?));
        }
    })?;
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    for (p, part) in gathered.into_iter().flatten() {
        parts[p] = part;
    }
    let (names, group_of, values) = in_first_order(&mut parts, rows, width, threads)?;
    Ok(Loaded {
        names,
        groups,
        group_of,
        columns: years.iter().map(|&y| i32::from(y)).zip(values).collect(),
    })
}

/// Gathers one partition's records (block by block, in input order) into regions.
fn gather(
    input: Vec<Vec<u8>>,
    bases: &[u64],
    maps: &[Vec<u32>],
    slot_of: &[u16],
    width: usize,
    hasher: &foldhash::fast::FixedState,
) -> Fast<Part> {
    // Regions are about half the rows (two years) and records some 28 bytes.
    let guess = input.iter().map(Vec::len).sum::<usize>() / 56 + 16;
    let mut part = Part {
        regs: Vec::with_capacity(guess),
        text: Vec::with_capacity(guess * 16),
        values: Vec::with_capacity(guess * width),
    };
    let mut table = Table::default();
    table.reserve(guess);
    for (b, records) in input.into_iter().enumerate() {
        let mut rest = &records[..];
        while !rest.is_empty() {
            let (r, after) = take_record(rest).ok_or(Fallback)?;
            rest = after;
            let group = match r.label {
                NO_LABEL => Panel::NO_GROUP,
                l => *maps
                    .get(b)
                    .and_then(|m| m.get(usize::from(l)))
                    .ok_or(Fallback)?,
            };
            let hash = hasher.hash_one(r.key) as u32;
            let (regs, text) = (&part.regs, &part.text);
            let found = table.find_mut(hash, r.key, |i| {
                let reg = regs[i as usize];
                text[reg.name as usize..(reg.name + reg.len) as usize] == *r.key
            });
            let index = match found {
                Some(e) if e.group == group => e.index as usize,
                Some(_) => return Err(Fallback),
                None => {
                    let index = part.regs.len();
                    let name = u32::try_from(part.text.len()).map_err(|_| Fallback)?;
                    part.text.extend_from_slice(r.key);
                    part.regs.push(Reg {
                        first: bases.get(b).ok_or(Fallback)? + u64::from(r.row),
                        name,
                        len: r.key.len() as u32,
                        group,
                    });
                    part.values.resize(part.values.len() + width, MISSING);
                    let id = u32::try_from(index).map_err(|_| Fallback)?;
                    table.insert(Entry::new(id, hash, group, r.key));
                    index
                }
            };
            if r.year != NO_YEAR {
                let slot = usize::from(slot_of[usize::from(r.year)]);
                let cell = part.values.get_mut(index * width + slot).ok_or(Fallback)?;
                if *cell == MISSING {
                    *cell = r.value;
                } else if *cell != r.value {
                    return Err(Fallback);
                }
            }
        }
    }
    Ok(part)
}

/// Every partition's regions put in order of first appearance: names, groups, and one
/// column per year slot.
///
/// A region's place is the number of regions whose first row comes before its own: a
/// bitmap of first rows, with a running count per word, answers that in cache. Each
/// thread then writes the places in its own range, reading the partitions in order.
#[allow(clippy::type_complexity)]
fn in_first_order(
    parts: &mut [Part],
    rows: u64,
    width: usize,
    threads: usize,
) -> Fast<(Names, Vec<u32>, Vec<Vec<i64>>)> {
    let words = usize::try_from(rows.div_ceil(64)).map_err(|_| Fallback)?;
    let mut bits = vec![0u64; words];
    for r in parts.iter().flat_map(|p| &p.regs) {
        let w = bits.get_mut((r.first / 64) as usize).ok_or(Fallback)?;
        *w |= 1 << (r.first % 64);
    }
    let mut before = Vec::with_capacity(words);
    let mut n = 0u64;
    for w in &bits {
        before.push(n);
        n += u64::from(w.count_ones());
    }
    let n = usize::try_from(n).map_err(|_| Fallback)?;
    for r in parts.iter_mut().flat_map(|p| &mut p.regs) {
        let w = (r.first / 64) as usize;
        let below = bits[w] & ((1u64 << (r.first % 64)) - 1);
        r.first = before[w] + u64::from(below.count_ones());
    }
    drop((bits, before));

    let mut group_of = big_vec(n, Panel::NO_GROUP);
    let mut ends: Vec<usize> = big_vec(n, 0);
    let mut columns: Vec<Vec<i64>> = (0..width).map(|_| big_vec(n, MISSING)).collect();
    // Below some thousands of regions, threads cost more than they save.
    let threads = if n < 1 << 14 { 1 } else { threads };
    let share = n.div_ceil(threads.max(1)).max(1);
    let parts = &*parts;

    // Lengths, groups and figures to their places; then names, once the ends are known.
    {
        let mut jobs = Vec::new();
        let mut cols: Vec<&mut [i64]> = columns.iter_mut().map(|c| &mut c[..]).collect();
        for (k, (groups, lens)) in group_of
            .chunks_mut(share)
            .zip(ends.chunks_mut(share))
            .enumerate()
        {
            let mut cols_here = Vec::with_capacity(width);
            for c in &mut cols {
                let (here, rest) = std::mem::take(c).split_at_mut(groups.len());
                *c = rest;
                cols_here.push(here);
            }
            let lo = k * share;
            jobs.push(move || -> Fast<()> {
                for part in parts {
                    for (i, r) in part.regs.iter().enumerate() {
                        let Some(at) = (r.first as usize)
                            .checked_sub(lo)
                            .filter(|&a| a < groups.len())
                        else {
                            continue;
                        };
                        groups[at] = r.group;
                        lens[at] = r.len as usize;
                        let vals = part
                            .values
                            .get(i * width..(i + 1) * width)
                            .ok_or(Fallback)?;
                        for (col, &v) in cols_here.iter_mut().zip(vals) {
                            col[at] = v;
                        }
                    }
                }
                Ok(())
            });
        }
        run_all(jobs)?;
    }
    let mut total = 0usize;
    for e in &mut ends {
        total += *e;
        *e = total;
    }
    let mut text = big_vec(total, 0u8);
    {
        let mut jobs = Vec::new();
        let mut rest = &mut text[..];
        let mut start = 0usize;
        for (k, range) in ends.chunks(share).enumerate() {
            let end = range.last().copied().unwrap_or(start);
            let (here, after) = std::mem::take(&mut rest).split_at_mut(end - start);
            rest = after;
            let (lo, base) = (k * share, start);
            let ends = &ends;
            jobs.push(move || -> Fast<()> {
                for part in parts {
                    for r in &part.regs {
                        let g = r.first as usize;
                        if g < lo || g >= lo + range.len() {
                            continue;
                        }
                        let from = if g == 0 { 0 } else { ends[g - 1] } - base;
                        let name = part
                            .text
                            .get(r.name as usize..(r.name + r.len) as usize)
                            .ok_or(Fallback)?;
                        here.get_mut(from..from + name.len())
                            .ok_or(Fallback)?
                            .copy_from_slice(name);
                    }
                }
                Ok(())
            });
            start = end;
        }
        run_all(jobs)?;
    }
    let names =
        Names::from_parts(String::from_utf8(text).map_err(|_| Fallback)?, ends).ok_or(Fallback)?;
    Ok((names, group_of, columns))
}

/// Runs each job on a thread of its own, the first on this one; a thread the system
/// cannot start gives up on the fast path.
fn run_all<F: FnOnce() -> Fast<()> + Send>(jobs: Vec<F>) -> Fast<()> {
    std::thread::scope(|s| {
        let mut jobs = jobs.into_iter();
        let first = jobs.next();
        let mut handles = Vec::new();
        for job in jobs {
            let h = std::thread::Builder::new().spawn_scoped(s, job);
            handles.push(h.map_err(|_| Fallback)?);
        }
        if let Some(job) = first {
            job()?;
        }
        for h in handles {
            h.join().map_err(|_| Fallback)??;
        }
        Ok(())
    })
}

/// A vector of `n` copies of `value`, on huge pages when large: it is written at random.
fn big_vec<T: Copy>(n: usize, value: T) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    crate::load::table::advise_huge_pages(v.spare_capacity_mut());
    v.resize(n, value);
    v
}
