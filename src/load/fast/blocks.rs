//! Blocks of whole lines, their rows and fields, and the group labels they name: what the
//! wide and long readers share.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Mutex;

use super::{Columns, Fallback, Fast, MISSING, NO_LABEL, NO_YEAR};
use crate::load::Progress;
use crate::load::cell;
use crate::load::lines::MAX_LINE;
use crate::number::{Fractions, Unit};

/// A block of whole lines and where it starts in the input.
pub(super) struct Block {
    pub(super) index: usize,
    pub(super) bytes: Vec<u8>,
}

/// Cuts the input into blocks of whole lines, for the workers to take in turn.
pub(super) struct Blocks<'a> {
    source: &'a mut (dyn Read + Send),
    /// Bytes to read per block.
    block: usize,
    /// Bytes read past the last block's final newline.
    carry: Vec<u8>,
    index: usize,
    done: bool,
    progress: Option<&'a dyn Progress>,
}

impl<'a> Blocks<'a> {
    /// Blocks of about `block` bytes of `source`, after `carry` (bytes already read).
    pub(super) fn new(
        source: &'a mut (dyn Read + Send),
        block: usize,
        carry: Vec<u8>,
        progress: Option<&'a dyn Progress>,
    ) -> Blocks<'a> {
        Blocks {
            source,
            block: block.max(1),
            carry,
            index: 0,
            done: false,
            progress,
        }
    }

    /// The next block, read into `buf` (which the caller reuses); `None` at the end.
    pub(super) fn next(&mut self, mut buf: Vec<u8>) -> Fast<Option<Block>> {
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
            if (buf.len() - cut) as u64 > MAX_LINE {
                // An endless line: the ordinary reader says where.
                return Err(Fallback);
            }
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
pub(super) fn each_block(
    blocks: &Mutex<Blocks>,
    mut work: impl FnMut(&Block) -> Fast<()>,
) -> Fast<()> {
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
pub(super) fn check_block(bytes: &[u8], blocks: &Mutex<Blocks>) -> Fast<()> {
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
pub(super) fn each_row(
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
pub(super) fn figure(raw: &[u8], unit: Unit) -> Fast<i64> {
    match cell::population(raw, unit, Fractions::Error, cell::Decimals::Point) {
        Ok(Some(p)) => Ok(p.value),
        Ok(None) => Ok(MISSING),
        Err(_) => Err(Fallback),
    }
}

/// A year as the ordinary reader reads it; [`NO_YEAR`] when the cell is empty. Any other
/// period (2023-07, 31.12.2017) is left to the ordinary reader, which tells whether a year
/// holds one period or several.
#[inline]
pub(super) fn year(raw: &[u8]) -> Fast<u16> {
    if let Some(y) = cell::plain_year(raw) {
        return u16::try_from(y)
            .ok()
            .filter(|&y| y != NO_YEAR)
            .ok_or(Fallback);
    }
    match cell::period(raw) {
        Ok(None) => Ok(NO_YEAR),
        _ => Err(Fallback),
    }
}

/// A block's group labels, numbered in order of first appearance.
#[derive(Default)]
pub(super) struct Labels {
    ids: HashMap<Box<[u8]>, u16, foldhash::fast::FixedState>,
    pub(super) list: Vec<Box<[u8]>>,
    last: Option<(usize, usize, u16)>,
}

impl Labels {
    pub(super) fn id(&mut self, bytes: &[u8], label: &[u8], at: (usize, usize)) -> Fast<u16> {
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
pub(super) struct GroupNumbers {
    pub(super) groups: Vec<String>,
    ids: HashMap<Box<[u8]>, u32, foldhash::fast::FixedState>,
}

impl GroupNumbers {
    /// Global ids for a block's labels (given in the block's order).
    pub(super) fn map(&mut self, labels: &[Box<[u8]>]) -> Fast<Vec<u32>> {
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
pub(super) fn number_groups(labels: &[&[Box<[u8]>]]) -> Fast<(Vec<String>, Vec<Vec<u32>>)> {
    let mut numbers = GroupNumbers::default();
    let maps = labels
        .iter()
        .map(|block| numbers.map(block))
        .collect::<Fast<_>>()?;
    Ok((numbers.groups, maps))
}

/// A group label's bytes and where they are in the block.
pub(super) type Label<'b> = (&'b [u8], (usize, usize));

/// A row's trimmed region and group fields.
pub(super) fn region_and_label<'b>(
    bytes: &'b [u8],
    fields: &[(usize, usize)],
    cols: &Columns,
) -> Fast<(&'b [u8], Option<Label<'b>>)> {
    let field = |c: usize| fields.get(c).map_or(&b""[..], |&(s, e)| &bytes[s..e]);
    let key = cell::key(field(cols.region));
    if key.is_empty() {
        return Err(Fallback);
    }
    // An empty group cell: no group (as the ordinary reader says).
    let label = cols.group.map(|g| {
        let raw = field(g);
        let t = cell::key(raw);
        let s = fields.get(g).map_or(0, |f| f.0) + (raw.len() - raw.trim_ascii_start().len());
        (t, (s, s + t.len()))
    });
    let label = label.filter(|(t, _)| !t.is_empty());
    Ok((key, label))
}
