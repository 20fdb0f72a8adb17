//! The inputs that once aborted popdelta for want of memory (issue 25), run under a hard
//! address-space limit (`ulimit -v`): each ends in a result or a one-line refusal, exit 0
//! or 2, never an abort (134).

use std::io::Write;
use std::process::{Command, Stdio};

/// Address space allowed, in KiB: room for the binary, its threads and a sane table,
/// far below what the old readers asked for (4 GiB and more).
const LIMIT_KIB: u64 = 400_000;

/// Runs popdelta with `args` under the limit, `stdin` fed to it: (exit code, stdout, stderr).
fn limited(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {LIMIT_KIB} && exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // A refusal may close the pipe early.
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn blank_line_flood_on_standard_input_stays_small() {
    // 20 million blank lines: the old line reader kept one entry each (512 MiB at least).
    let mut text = b"region,2016,2017\nA,1,2\nB,3,4\n".to_vec();
    text.resize(text.len() + 20_000_000, b'\n');
    let (code, out, err) = limited(&["compare", "-", "--format", "csv"], &text);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("total,,,4,6,2,50.000"), "{out}");
}

#[test]
fn far_cell_workbook_stays_small() {
    // Before: 512 GiB asked for.
    let (code, _, err) = limited(
        &["compare", "tests/data/workbooks/openpyxl-far-cell.xlsx"],
        b"",
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "openpyxl-far-cell.xlsx:Sheet!XFD1048576: the cell holds text outside the table"
        ),
        "{err}"
    );
}

#[test]
fn a_gzip_of_blank_lines_stays_small() {
    // 10 million blank lines in 9.8 KB: before, 163 MB where the plain file took 8 MB.
    let mut text = b"region,2016,2017\nA,1,2\nB,3,4\n".to_vec();
    text.resize(text.len() + 10_000_000, b'\n');
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&text).unwrap();
    let gz = gz.finish().unwrap();
    let (code, out, err) = limited(&["compare", "-", "--format", "csv"], &gz);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("total,,,4,6,2,50.000"), "{out}");
}

#[test]
fn far_cell_legacy_xls_stays_small() {
    // Before: a 1 GB grid for a 5.6 KB file.
    let (code, _, err) = limited(&["compare", "tests/data/attacks/xlwt-far-cell.xls"], b"");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("(it has a cell at IV65536)"), "{err}");
}

#[test]
fn fuzz_xls_whose_fat_chain_loops_stays_small() {
    // Found by the fuzzer: 3,979 bytes whose directory chain loops; calamine followed it
    // until 24 GB were taken and the process was killed.
    let (code, _, err) = limited(
        &["compare", "tests/data/attacks/fuzz-xls-fat-chain-loop.xls"],
        b"",
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.ends_with(
            "fuzz-xls-fat-chain-loop.xls: a damaged compound file (xls): a chain of its \
             sectors loops back on itself; open it in a spreadsheet and save it again, or as \
             CSV\n"
        ),
        "{err}"
    );
}

#[test]
fn an_ods_cell_repeated_ten_million_times_stays_small() {
    // 1.5 KB written by odfpy: one cell repeated across 100 columns and down 100,000 rows.
    // calamine's grid took 1.3 GB; the repeats are counted first, never expanded.
    let (code, _, err) = limited(
        &["compare", "tests/data/attacks/odfpy-cell-repeated-10M.ods"],
        b"",
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "sheet \"Sheet1\" would be a grid of 100001 rows by 100 columns (it has a cell at \
             CV100001), more than the 4000000 cells popdelta expands an ods sheet to"
        ),
        "{err}"
    );
}
