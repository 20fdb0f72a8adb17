//! The extent of a legacy (BIFF8) xls workbook's sheets, read before calamine is given it:
//! calamine expands each sheet into a dense grid at open (and reserves what a sheet's
//! DIMENSIONS record declares), so one far cell (IV65536) in a 5 KB file asks for 1 GB.
//! This walks the compound file's `Workbook` stream and the cells' records only.

/// Most cells a sheet's grid, and all the sheets' grids together, may span (calamine
/// expands every sheet as it opens the file): a table of figures is far smaller.
pub const MAX_CELLS: u64 = 4_000_000;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// A sheet whose grid would be too large, alone or with the sheets before it: its number
/// (1-based), and the far corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The sheet, 1-based, in the workbook's order.
    pub sheet: usize,
    /// The rows and columns the grid would span.
    pub rows: u64,
    /// Columns.
    pub cols: u64,
    /// The farthest cell (0-based row, column).
    pub far: (u32, u32),
    /// The cells of the grids of this sheet and those before it.
    pub book: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A compound file's sector size, sector count and FAT (the next sector of each), as
/// calamine reads them: the 109 FAT sectors the header lists, then the DIFAT chain's.
fn fat(file: &[u8]) -> Option<(usize, usize, Vec<u32>)> {
    let shift = u16_at(file, 0x1E)?;
    if !(7..=16).contains(&shift) {
        return None;
    }
    let ss = 1usize << shift;
    let sectors = file.len() / ss;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(ss)?;
        file.get(start..start.checked_add(ss)?)
    };
    let mut fat_ids: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(file, 0x4C + 4 * i))
        .collect();
    let mut difat = u32_at(file, 0x44)?;
    let mut hops = 0;
    while difat < 0xFFFF_FFFA && hops <= sectors {
        let s = sector(difat)?;
        let n = ss / 4 - 1;
        fat_ids.extend((0..n).filter_map(|i| u32_at(s, 4 * i)));
        difat = u32_at(s, 4 * n)?;
        hops += 1;
    }
    // No more FAT sectors than the file has sectors (a crafted DIFAT may repeat one).
    let mut fat = Vec::new();
    for id in fat_ids
        .into_iter()
        .filter(|&id| id < 0xFFFF_FFFA)
        .take(sectors)
    {
        let s = sector(id)?;
        fat.extend((0..ss / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    Some((ss, sectors, fat))
}

/// Whether a chain of the FAT comes back on itself. calamine follows a chain until its
/// end, growing a buffer as it goes: a loop grows it until memory runs out, so a file
/// with one is refused before calamine is given it. A sound file's chains never loop.
pub fn chains_loop(file: &[u8]) -> bool {
    let Some((_, _, fat)) = fat(file) else {
        return false;
    };
    // 0: not seen; 1: on the path followed now; 2: known to end.
    let mut state = vec![0u8; fat.len()];
    for start in 0..fat.len() {
        let mut path = Vec::new();
        let mut at = start;
        while let Some(&0) = state.get(at) {
            state[at] = 1;
            path.push(at);
            at = fat[at] as usize;
        }
        if state.get(at) == Some(&1) {
            return true;
        }
        for p in path {
            state[p] = 2;
        }
    }
    false
}

/// Whether a compound file is a workbook protected by a password: an encrypted Office
/// package (`EncryptedPackage`: xlsx, xlsm, xlsb), or an xls whose globals hold a FILEPASS
/// record (its records' contents are then ciphered or obfuscated, and read as nonsense).
pub fn protected(file: &[u8]) -> bool {
    if stream(file, &["EncryptedPackage"]).is_some() {
        return true;
    }
    let Some(book) = stream(file, &["Workbook", "Book"]) else {
        return false;
    };
    let mut at = 0;
    let mut substreams = 0;
    while let (Some(kind), Some(len)) = (u16_at(&book, at), u16_at(&book, at + 2)) {
        match kind {
            0x0809 if substreams > 0 => return false,
            0x0809 => substreams += 1,
            // Either kind: XOR obfuscation (0) or RC4 (1).
            0x002F => return true,
            _ => {}
        }
        at += 4 + usize::from(len);
    }
    false
}

/// The `Workbook` stream of a compound file, if it can be found.
fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
    stream(file, &["Workbook", "Book"])
}

/// The first of the streams `names` a compound file holds, if it can be found.
fn stream(file: &[u8], names: &[&str]) -> Option<Vec<u8>> {
    let (ss, sectors, fat) = fat(file)?;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(ss)?;
        file.get(start..start.checked_add(ss)?)
    };
    // A chain visits each sector once at most: more hops is a loop, which a crafted file
    // may hold (and would otherwise grow `out` without end).
    let follow = |start: u32,
                  size: usize,
                  count: usize,
                  get: &dyn Fn(u32) -> Option<Vec<u8>>,
                  table: &[u32]| {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id != END_OF_CHAIN && out.len() < size {
            hops += 1;
            if hops > count {
                return None;
            }
            out.extend_from_slice(&get(id)?);
            id = *table.get(id as usize)?;
        }
        out.truncate(size);
        Some(out)
    };
    let big = |id: u32| sector(id).map(<[u8]>::to_vec);
    let dirs = follow(u32_at(file, 0x30)?, usize::MAX, sectors, &big, &fat)?;
    let entry = |name: &str| {
        dirs.chunks(128).filter(|e| e.len() == 128).find(|e| {
            let len = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
            let units: Vec<u16> = (0..len / 2).filter_map(|i| u16_at(e, 2 * i)).collect();
            String::from_utf16_lossy(&units)
                .trim_end_matches('\0')
                .eq_ignore_ascii_case(name)
        })
    };
    let book = names.iter().find_map(|n| entry(n))?;
    let (start, size) = (u32_at(book, 0x74)?, u32_at(book, 0x78)? as usize);
    let cutoff = u32_at(file, 0x38)? as usize;
    if size >= cutoff {
        return follow(start, size, sectors, &big, &fat);
    }
    // A small stream lives in the mini stream: 64-byte sectors inside the root's chain.
    let root = dirs.get(..128)?;
    let mini = follow(
        u32_at(root, 0x74)?,
        u32_at(root, 0x78)? as usize,
        sectors,
        &big,
        &fat,
    )?;
    let minifat_bytes = follow(u32_at(file, 0x3C)?, usize::MAX, sectors, &big, &fat)?;
    let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
        .filter_map(|i| u32_at(&minifat_bytes, 4 * i))
        .collect();
    let small = |id: u32| {
        mini.get(id as usize * 64..id as usize * 64 + 64)
            .map(<[u8]>::to_vec)
    };
    follow(start, size, mini.len() / 64 + 1, &small, &minifat)
}

/// The first sheet whose grid calamine would make larger than [`MAX_CELLS`], if any, from
/// its cells' records and its declared dimensions. `None` too when the file is not a
/// compound file with a BIFF8 workbook stream (calamine then says what is wrong).
pub fn too_large(file: &[u8]) -> Option<TooLarge> {
    let stream = workbook_stream(file)?;
    let mut at = 0;
    let mut sheet = 0usize;
    // Per sheet: min and max row and column of its cells, and its declared extent.
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    // The cells of the sheets' grids so far.
    let mut book = 0u64;
    let mut check = |sheet: usize, b: Option<(u32, u32, u32, u32)>| {
        let (r0, r1, c0, c1) = b?;
        let rows = u64::from(r1.saturating_sub(r0)) + 1;
        let cols = u64::from(c1.saturating_sub(c0)) + 1;
        book = book.saturating_add(rows.saturating_mul(cols));
        (book > MAX_CELLS).then_some(TooLarge {
            sheet,
            rows,
            cols,
            far: (r1, c1),
            book,
        })
    };
    let widen = |b: &mut Option<(u32, u32, u32, u32)>, r: u32, c0: u32, c1: u32| {
        *b = Some(match *b {
            None => (r, r, c0, c1),
            Some((a, z, x, y)) => (a.min(r), z.max(r), x.min(c0), y.max(c1)),
        });
    };
    while let (Some(kind), Some(len)) = (u16_at(&stream, at), u16_at(&stream, at + 2)) {
        let data = stream.get(at + 4..at + 4 + usize::from(len)).unwrap_or(&[]);
        at += 4 + usize::from(len);
        let row = u16_at(data, 0).map(u32::from);
        let col = u16_at(data, 2).map(u32::from);
        match kind {
            // BOF: a new substream (the globals first, then each sheet).
            0x0809 => {
                if let Some(big) = check(sheet, bounds.take()) {
                    return Some(big);
                }
                if u16_at(data, 2) == Some(0x0010) {
                    sheet += 1;
                }
            }
            // DIMENSIONS: the extent calamine reserves room for.
            0x0200 => {
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (
                    u32_at(data, 0),
                    u32_at(data, 4),
                    u16_at(data, 8),
                    u16_at(data, 10),
                ) && r1 > r0
                    && c1 > c0
                {
                    widen(&mut bounds, r0, u32::from(c0), u32::from(c0));
                    widen(&mut bounds, r1 - 1, u32::from(c1) - 1, u32::from(c1) - 1);
                }
            }
            // Cells: number, label, rich label, bool/error, RK, shared-string label,
            // formula; MULRK spans columns.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (row, col) {
                    widen(&mut bounds, r, c, c);
                }
            }
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|i| u16_at(data, i));
                if let (Some(r), Some(c), Some(l)) = (row, col, last) {
                    widen(&mut bounds, r, c, u32::from(l).max(c));
                }
            }
            _ => {}
        }
    }
    check(sheet, bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fat_chain_that_loops_is_told_from_sound_files() {
        let looping = include_bytes!("../../../../tests/data/attacks/fuzz-xls-fat-chain-loop.xls");
        assert!(chains_loop(looping));
        for sound in [
            &include_bytes!("../../../../tests/data/attacks/xlwt-far-cell.xls")[..],
            include_bytes!("../../../../tests/data/workbooks/xlwt-provinces.xls"),
            include_bytes!(
                "../../../../tests/data/real/census-st-est00int-01-intercensal-states-2000-2010.xls"
            ),
        ] {
            assert!(!chains_loop(sound));
        }
    }

    #[test]
    fn the_workbook_stream_is_found_and_a_far_cell_measured() {
        let far = include_bytes!("../../../../tests/data/attacks/xlwt-far-cell.xls");
        assert!(workbook_stream(far).is_some());
        assert_eq!(
            too_large(far),
            Some(TooLarge {
                sheet: 1,
                rows: 65536,
                cols: 256,
                far: (65535, 255),
                book: 65536 * 256,
            })
        );
        let small = include_bytes!("../../../../tests/data/workbooks/xlwt-provinces.xls");
        assert!(workbook_stream(small).is_some());
        assert_eq!(too_large(small), None);
        let census = include_bytes!(
            "../../../../tests/data/real/census-st-est00int-01-intercensal-states-2000-2010.xls"
        );
        assert!(workbook_stream(census).is_some_and(|s| s.len() > 4096));
        assert_eq!(too_large(census), None);
        // Not a compound file: nothing said (calamine says what is wrong).
        assert_eq!(too_large(b"region,2016\n"), None);
    }
}
