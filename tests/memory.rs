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

/// Most memory an input of issue 32 may take, resident: the largest is a 145 MB JSON file,
/// held whole.
const RESIDENT_KIB: u64 = 200 * 1024;

/// Runs popdelta with `args` and no input: (exit code, stderr, peak resident set in KiB),
/// the peak as the kernel counts it for the child (`wait4`'s `ru_maxrss`).
// The child is reaped by wait4, which also gives its peak; std's wait would not.
#[allow(clippy::zombie_processes)]
fn resident(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, u64) {
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    let mut child = Command::new(bin)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        text
    });
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet waited for; the pointers are to locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let err = reader.join().unwrap();
    let kib = u64::try_from(usage.ru_maxrss).unwrap();
    // The figure for BENCHMARKS.md: `cargo test --release --test memory -- --nocapture`.
    eprintln!("peak resident {} MiB: popdelta {args:?}", kib >> 10);
    (code, err, kib)
}

/// A zip archive of `parts` (name, bytes).
fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, bytes) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// An xlsx workbook as openpyxl wrote it (the provinces), one part replaced by `text`.
fn xlsx_with(part: &str, text: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let bytes = std::fs::read("tests/data/workbooks/openpyxl-provinces-zh.xlsx").unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).unwrap();
        let mut body = Vec::new();
        member.read_to_end(&mut body).unwrap();
        parts.push((member.name().unwrap().into_owned(), body));
    }
    parts.retain(|(n, _)| n != part);
    parts.push((part.to_owned(), text.to_vec()));
    let borrowed: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    zipped(&borrowed)
}

/// Writes `bytes` to `name` in a scratch folder: (folder, path).
fn scratch(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[test]
fn an_ods_of_many_sheets_each_under_the_cap_is_refused_small() {
    // Before: 32 sheets of just under 4,000,000 cells each, in 1 KB, aborted at 3.9 GB:
    // the cap was per sheet, and calamine expands them all as it opens the file.
    let cell = "<table:table-cell office:value-type=\"float\" office:value=\"1\" \
                table:number-columns-repeated=\"2000\"><text:p>1</text:p></table:table-cell>";
    let sheets: String = (0..32)
        .map(|i| {
            format!(
                "<table:table table:name=\"S{i}\"><table:table-row \
                 table:number-rows-repeated=\"1999\">{cell}</table:table-row></table:table>"
            )
        })
        .collect();
    let content = format!(
        "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
         {sheets}</office:spreadsheet></office:body></office:document-content>"
    );
    let ods = zipped(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ]);
    assert!(ods.len() < 2_000, "{}", ods.len());
    let (_dir, path) = scratch("sheets.ods", &ods);
    let (code, err, kib) = resident(&["compare".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "its sheets up to \"S1\" would be grids of 7996000 cells together, more than the \
             4000000 cells popdelta expands an ods workbook to"
        ),
        "{err}"
    );
    assert!(kib < RESIDENT_KIB, "{kib} KiB");
}

#[test]
fn an_xlsx_of_millions_of_shared_strings_is_refused_small() {
    // Before: 620 KB whose shared-strings part held 15 million strings took 827 MB.
    let mut strings = b"<sst>".to_vec();
    for _ in 0..4_100_000 {
        strings.extend_from_slice(b"<si/>");
    }
    strings.extend_from_slice(b"</sst>");
    let book = xlsx_with("xl/sharedStrings.xml", &strings);
    let (_dir, path) = scratch("strings.xlsx", &book);
    let (code, err, kib) = resident(&["compare".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("part xl/sharedStrings.xml holds more than 4000000 shared strings"),
        "{err}"
    );
    assert!(kib < RESIDENT_KIB, "{kib} KiB");
}

#[test]
fn an_xlsx_whose_cell_formats_each_copy_a_long_font_is_refused_small() {
    // Before: 16 KB whose 60,000 cell formats each copied a font with a 10,000-character
    // name took 604 MB (an 11 MB styles part, 750 MB).
    let font = format!("<font><name val=\"{}\"/></font>", "C".repeat(10_000));
    let styles = format!(
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <fonts count=\"1\">{font}</fonts><fills count=\"1\"><fill><patternFill/></fill>\
         </fills><borders count=\"1\"><border/></borders><cellXfs>{}</cellXfs></styleSheet>",
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>".repeat(60_000)
    );
    let book = xlsx_with("xl/styles.xml", styles.as_bytes());
    let (_dir, path) = scratch("styles.xlsx", &book);
    let (code, err, kib) = resident(&["compare".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "part xl/styles.xml holds 60000 cell formats, each of which would copy a font"
        ),
        "{err}"
    );
    assert!(kib < RESIDENT_KIB, "{kib} KiB");
}

#[test]
fn a_json_stat_value_object_of_145_mb_is_refused_small() {
    // Before: refused at 737 MB; now the file itself and little more.
    // Written as it is made: the test's own peak would be the child's too (a forked
    // process starts from its parent's high-water mark).
    let (_dir, path) = scratch("value.json", b"");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(
        b"{\"version\":\"2.0\",\"class\":\"dataset\",\"id\":[\"geo\",\"time\"],\"size\":[2,2],\
          \"dimension\":{\"geo\":{\"category\":{\"index\":[\"A\",\"B\"]}},\"time\":{\"category\":\
          {\"index\":[\"2016\",\"2017\"]}}},\"value\":{\"0\":1,\"1\":2,\"2\":3,\"3\":4",
    )
    .unwrap();
    let mut written = 0;
    let mut i = 4u64;
    while written < 145_000_000 {
        let pair = format!(",\"{i}\":{i}");
        file.write_all(pair.as_bytes()).unwrap();
        written += pair.len();
        i += 1;
    }
    file.write_all(b"}}").unwrap();
    file.flush().unwrap();
    drop(file);
    let (code, err, kib) = resident(&["compare".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("value: the key \"4\" is no index of the cube"),
        "{err}"
    );
    assert!(kib < RESIDENT_KIB, "{kib} KiB");
}

#[test]
fn a_workbook_output_of_more_rows_than_a_sheet_holds_is_refused_small() {
    // Before: refused at 903 MB, once every cell of 1,048,577 rows was held.
    let mut text = String::from("region,2016,2017\n");
    for i in 0..1_048_576 {
        text.push_str(&format!("R{i},1,2\n"));
    }
    let (dir, path) = scratch("many.csv", text.as_bytes());
    let book = dir.path().join("r.xlsx");
    let (code, err, kib) = resident(&[
        "compare".as_ref(),
        path.as_os_str(),
        "--output".as_ref(),
        book.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("more rows than a workbook's sheet holds"),
        "{err}"
    );
    assert!(kib < RESIDENT_KIB, "{kib} KiB");
}
