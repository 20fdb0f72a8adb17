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
//! the ordinary reader ([`super::reader`]) reads the input again: it reports problems
//! with their line and column. So this path answers only where the ordinary one would
//! give the same panel, and it never needs to explain anything.

mod blocks;
mod long;
mod wide;

use std::io::Read;
use std::sync::Mutex;

use crate::load::layout::columns::{self, Ctx, PREFIX as PREFIX_BYTES, PlanKind};
use crate::load::layout::names::Measure;
use crate::load::{LoadOptions, Progress};
use crate::number::Unit;
use crate::panel::{GroupIds, Names, Panel};
use blocks::Blocks;

/// Bytes read per block: large enough to amortise the hand-over, small enough to keep
/// both cores busy to the end.
const BLOCK: usize = 4 << 20;
/// Bytes read per block of a wide file: its blocks are appended to the panel as they
/// come, so smaller ones keep less in flight.
const WIDE_BLOCK: usize = 1 << 20;
/// Hash partitions: of a long file's rows, of a wide file's regions' hashes.
const PARTS: usize = 256;
/// The seed of the hashes of region names (any fixed one: runs must agree).
const HASH_SEED: u64 = 0x706f_7064;
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
pub struct FastPanel {
    /// Display names.
    pub names: Names,
    /// Group labels, in order of first appearance.
    pub groups: Vec<String>,
    /// Each region's group index, or [`Panel::NO_GROUP`].
    pub group_of: GroupIds,
    /// One population column per year that has any figure.
    pub columns: Vec<(i32, Vec<i64>)>,
    /// What the plan guessed.
    pub choices: Vec<columns::Choice>,
    /// Regions whose names say they are totals of others (World, Total, EU28).
    pub totals: Vec<u32>,
}

impl FastPanel {
    /// The panel these columns make, described by `info`.
    pub fn into_panel(self, info: crate::panel::PanelInfo) -> Panel {
        let mut panel = Panel::from_group_ids(
            info,
            self.names,
            self.groups,
            self.group_of,
            self.columns
                .into_iter()
                .map(|(y, c)| (crate::period::Period::year(y), c))
                .collect(),
        );
        panel.mark_totals(self.totals.iter().map(|&r| r as usize).collect());
        panel
    }
}

/// Whether the options leave room for the fast path at all (the file decides the rest).
pub fn applies(opts: &LoadOptions) -> bool {
    use crate::load::decode::Encoding;
    matches!(opts.encoding, Encoding::Auto | Encoding::Utf8)
        && opts.decimal != Some(b',')
        && opts.filters.is_empty()
        && opts.periods.is_empty()
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
) -> Fast<FastPanel> {
    read_blocks(label, source, size_hint, opts, progress, BLOCK)
}

/// As [`load`], in blocks of about `block` bytes (small ones let tests cross many).
pub fn load_in_blocks(
    label: &str,
    source: &mut (dyn Read + Send),
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
    block: usize,
) -> Fast<FastPanel> {
    read_blocks(label, source, 0, opts, progress, block)
}

fn read_blocks(
    label: &str,
    source: &mut (dyn Read + Send),
    size_hint: u64,
    opts: &LoadOptions,
    progress: Option<&dyn Progress>,
    block: usize,
) -> Fast<FastPanel> {
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
    // Commas only: the blocks are split on them.
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| columns::sniff_delimiter(&prefix[start..], complete));
    if delimiter != b',' {
        return Err(Fallback);
    }
    if opts.skip_rows.is_none() && columns::preamble_lines(&prefix[start..], complete, b',') != 0 {
        return Err(Fallback);
    }
    let (header, len) = columns::first_header(&prefix[start..], b',').ok_or(Fallback)?;
    // An e-Stat table states its unit and breakdowns in label cells, which the ordinary
    // reader reads.
    if !crate::load::layout::dialect::estat_dimensions(&header).is_empty() {
        return Err(Fallback);
    }
    let ctx = Ctx {
        file: label,
        header: &header,
        skip: 0,
        skipped: &[],
        start: crate::load::records::Start::Lines,
    };
    let plan = columns::plan(&ctx, opts, None).map_err(|_| Fallback)?;
    // Figures that a column's name says are not persons (shares, rates, ranks) are values,
    // which the ordinary reader reads.
    if header
        .iter()
        .any(|h| crate::load::layout::names::figures_are(h).is_some())
    {
        return Err(Fallback);
    }
    let choices = plan.choices.clone();
    let kind = match plan.kind {
        PlanKind::Long { year, measures } => match measures[..] {
            [(Measure::Population, value)] => Kind::Long { year, value },
            _ => return Err(Fallback),
        },
        PlanKind::Wide { columns } => {
            // Periods other than years are left to the ordinary reader.
            if columns
                .iter()
                .any(|&(p, m, _)| m != Measure::Population || !p.is_year())
            {
                return Err(Fallback);
            }
            Kind::Wide {
                values: columns
                    .iter()
                    .map(|&(p, _, c)| (p.year_number(), c))
                    .collect(),
            }
        }
    };
    // A column of summary levels or aggregate codes: the ordinary reader marks the rows.
    let plain = plan.filters.is_empty() && plan.level.is_none();
    let (&[region], true) = (&plan.region[..], plain) else {
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
    let block = match cols.kind {
        Kind::Wide { .. } => block.min(WIDE_BLOCK),
        Kind::Long { .. } => block,
    };
    let blocks = Mutex::new(Blocks::new(source, block, body, progress));
    if let Some(bar) = progress {
        bar.advance((start + len) as u64);
    }
    // A file that fits the first read is too small for threads to pay.
    let threads = if complete { 1 } else { crate::threads::count() };
    let loaded = match &cols.kind {
        Kind::Long { .. } => long::read(&cols, &blocks, threads)?,
        Kind::Wide { values } => wide::read(&cols, values, &blocks, threads, size_hint)?,
    };
    Ok(FastPanel { choices, ..loaded })
}

/// Runs `work` on `threads` threads and collects what each returns.
fn on_threads<T: Send>(threads: usize, work: impl Fn() -> Fast<T> + Sync) -> Fast<Vec<T>> {
    crate::threads::each(threads, work, || Fallback)
}
