//! Workbooks as tools write them (openpyxl, rust_xlsxwriter) and as attackers craft them:
//! read exactly, or refused in one line naming the cell, part or cap, in bounded memory.

mod common;

use std::io::Write;

use common::{popdelta, refused, run};
use rust_xlsxwriter::{Format, Workbook};

const BOOKS: &str = "tests/data/workbooks";

fn book(name: &str) -> String {
    format!("{BOOKS}/{name}")
}

#[test]
fn openpyxl_workbooks_are_read_whatever_the_header() {
    // Before: "has no sheet of figures (Sheet)": a row of two numbers was not a table.
    for (name, beijing) in [
        ("openpyxl-provinces-en.xlsx", "region,Beijing,"),
        ("openpyxl-provinces-zh.xlsx", "region,北京市,"),
        // LibreOffice's format as odfpy writes it, trailing empty cells and rows repeated.
        ("odfpy-provinces-en.ods", "region,Beijing,"),
    ] {
        let (out, _) = run(&["compare", &book(name), "--format", "csv"]);
        assert!(
            out.contains(&format!("{beijing},21729000,21707000,-22000,-0.101")),
            "{name}: {out}"
        );
        assert!(
            out.contains("total,,,45926000,45890300,-35700,-0.078"),
            "{out}"
        );
    }
}

#[test]
fn codes_written_as_text_keep_their_leading_zeros() {
    let (out, _) = run(&[
        "compare",
        &book("openpyxl-counties-codes.xlsx"),
        "--region-col",
        "code",
        "--format",
        "csv",
    ]);
    assert!(out.contains("region,01001,,55416,55504,88,0.159"), "{out}");
    assert!(
        out.contains("region,01003,,208563,212628,4065,1.949"),
        "{out}"
    );
}

/// A workbook written by rust_xlsxwriter: a sheet of text first, then the figures, numbers
/// as numbers and codes as text.
fn xlsxwriter_book(path: &std::path::Path) {
    let mut wb = Workbook::new();
    let about = wb.add_worksheet().set_name("About").unwrap();
    about.write_string(0, 0, "Population by state").unwrap();
    about.write_string(1, 0, "Source: Census Bureau").unwrap();
    let data = wb.add_worksheet().set_name("Data").unwrap();
    let rows: [(&str, &str, i64, i64); 3] = [
        ("06", "California", 39_499_738, 39_237_836),
        ("36", "New York", 20_154_933, 19_835_913),
        ("48", "Texas", 29_217_653, 29_527_941),
    ];
    data.write_string(0, 0, "FIPS").unwrap();
    data.write_string(0, 1, "state").unwrap();
    data.write_number(0, 2, 2020).unwrap();
    data.write_number(0, 3, 2021).unwrap();
    for (i, (code, name, a, b)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        data.write_string(r, 0, *code).unwrap();
        data.write_string(r, 1, *name).unwrap();
        data.write_number(r, 2, *a as f64).unwrap();
        data.write_number(r, 3, *b as f64).unwrap();
    }
    // Formatting far off, as tools leave it: a styled blank cell is no cell of text.
    data.write_blank(1_048_575, 16_383, &Format::new().set_bold())
        .unwrap();
    wb.save(path).unwrap();
}

#[test]
fn rust_xlsxwriter_workbook_reads_the_sheet_of_figures_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("states.xlsx");
    xlsxwriter_book(&path);
    let path = path.display().to_string();
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert!(
        out.contains("region,California,,39499738,39237836,-261902,-0.663"),
        "{out}"
    );
    assert!(out.contains("total,,,88872324,88601690,-270634,"), "{out}");
    assert!(
        err.contains("read sheet \"Data\" of 2 (About, Data); say --sheet NAME otherwise"),
        "{err}"
    );
    // The codes, as text, by position of their column's name.
    let (out, _) = run(&["compare", &path, "--region-col", "FIPS", "--format", "csv"]);
    assert!(out.contains("region,06,,39499738,39237836,"), "{out}");
}

#[test]
fn a_workbook_with_no_sheet_of_figures_names_each_sheet_and_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("text.xlsx");
    let mut wb = Workbook::new();
    let a = wb.add_worksheet().set_name("Notes").unwrap();
    a.write_string(0, 0, "read me").unwrap();
    a.write_string(1, 0, "and me").unwrap();
    let b = wb.add_worksheet().set_name("Totals").unwrap();
    b.write_string(0, 0, "all").unwrap();
    b.write_number(0, 1, 5).unwrap();
    wb.add_worksheet().set_name("Empty").unwrap();
    wb.save(&path).unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(
        err.ends_with(
            "text.xlsx has no sheet with a row of figures: Notes (2 rows of text), Totals (1 \
             row, 1 number, never two in a row), Empty (empty); name the sheet to read with \
             --sheet NAME"
        ),
        "{err}"
    );
}

#[test]
fn one_far_cell_in_a_workbook_is_named_not_expanded() {
    // Before: 512 GiB asked for, and an abort.
    let err = refused(&["compare", &book("openpyxl-far-cell.xlsx")]);
    assert!(
        err.ends_with(
            "openpyxl-far-cell.xlsx:Sheet!XFD1048576: the cell holds text outside the table's 3 \
             columns (found \"x\"); clear the cell in the sheet, or save the table alone as CSV"
        ),
        "{err}"
    );
}

#[test]
fn a_cell_past_excels_own_limit_is_refused_naming_it() {
    // Writers refuse such a cell (openpyxl cuts it): the sheet's XML is made by hand, one
    // inline string of 40,000 characters in B3.
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.xlsx");
    xlsxwriter_book(&plain);
    let long = "x".repeat(40_000);
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>region</t></is></c>\
         <c r=\"B1\"><v>2016</v></c><c r=\"C1\"><v>2017</v></c></row>\
         <row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>A</t></is></c>\
         <c r=\"B3\" t=\"inlineStr\"><is><t>{long}</t></is></c><c r=\"C3\"><v>2</v></c></row>\
         </sheetData></worksheet>"
    );
    let mut from = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let path = dir.path().join("long.xlsx");
    let mut to = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..from.len() {
        let mut member = from.by_index(i).unwrap();
        let name = member.name().unwrap().to_string();
        to.start_file(&name, zip::write::SimpleFileOptions::default())
            .unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            to.write_all(sheet.as_bytes()).unwrap();
        } else {
            std::io::copy(&mut member, &mut to).unwrap();
        }
    }
    to.finish().unwrap();
    let err = refused(&["compare", &path.display().to_string(), "--sheet", "Data"]);
    assert!(
        err.ends_with(
            "long.xlsx:Data!B3: the cell holds more than 32767 characters (Excel's own limit for \
             a cell), which no table of figures does; shorten the cell in the sheet, or save the \
             table as CSV"
        ),
        "{err}"
    );
}

/// `bytes` with the uncompressed size of zip member `name` said to be `size`, in its local
/// header and in the central directory, as a crafted archive may say.
fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    // (signature, offset of the size, of the name's length, of the name)
    for (sig, offset, len_at, name_at) in [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)]
    {
        let mut i = 0;
        while let Some(p) = bytes[i..].windows(4).position(|w| w == sig) {
            let at = i + p;
            let len = u16::from_le_bytes([bytes[at + len_at], bytes[at + len_at + 1]]);
            let own = bytes.get(at + name_at..at + name_at + usize::from(len));
            if own == Some(name.as_bytes()) {
                bytes[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(patched, 2, "{name}");
}

#[test]
fn a_workbook_part_expanding_a_thousandfold_is_refused_unread() {
    // Before: 2,000 cells of 1 MiB text in a 2.1 MB workbook reached 3.1 GB.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    xlsxwriter_book(&path);
    let mut bytes = std::fs::read(&path).unwrap();
    declare_size(&mut bytes, "xl/sharedStrings.xml", 3_000_000_000);
    std::fs::write(&path, &bytes).unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(
        err.contains("bomb.xlsx: part xl/sharedStrings.xml of the workbook expands from 0 KiB to over 2861 MiB, more than 200-fold, as a decompression bomb does; it is refused unread"),
        "{err}"
    );
}

#[test]
fn a_zip_holding_a_workbook_reads_the_workbook() {
    // Before: "holds 0 tables".
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("states.xlsx");
    xlsxwriter_book(&inner);
    let path = dir.path().join("download.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("README.txt.md", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"about").unwrap();
    zip.start_file("states.xlsx", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&std::fs::read(&inner).unwrap()).unwrap();
    zip.finish().unwrap();
    let (out, err) = run(&["compare", &path.display().to_string(), "--format", "csv"]);
    assert!(
        out.contains("region,Texas,,29217653,29527941,310288,"),
        "{out}"
    );
    assert!(
        err.contains("download.zip/states.xlsx: read sheet \"Data\" of 2"),
        "{err}"
    );
}

#[test]
fn a_gzipped_workbook_is_read_as_the_workbook() {
    // Before: read as text, and told it "looks like Latin-1".
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("states.xlsx");
    xlsxwriter_book(&inner);
    let path = dir.path().join("states.xlsx.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(&inner).unwrap()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let (out, _) = run(&["compare", &path.display().to_string(), "--format", "csv"]);
    assert!(
        out.contains("region,New York,,20154933,19835913,-319020,"),
        "{out}"
    );
    // A gzip of something popdelta does not read says what it holds.
    let path = dir.path().join("x.parquet.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"PAR1\x15\x04\x15\x10").unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(
        err.contains("x.parquet.gz is gzip-compressed: a Parquet file;"),
        "{err}"
    );
}

#[test]
fn a_zip_of_20001_members_is_refused_naming_ten() {
    // Before: a 240 KB message naming every member.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..20_001 {
        zip.start_file(format!("t{i:05}.csv"), stored).unwrap();
        zip.write_all(b"region,2016,2017\nA,1,2\n").unwrap();
    }
    zip.finish().unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(
        err.ends_with(
            "many.zip holds several tables among its 20001 members (t00000.csv, t00001.csv, \
             t00002.csv, t00003.csv, t00004.csv, t00005.csv, t00006.csv, t00007.csv, \
             t00008.csv, t00009.csv and 19991 more); unzip it and name the one to read"
        ),
        "{err}"
    );
}

#[test]
fn blank_lines_through_gzip_past_the_bomb_ratio_are_refused_early() {
    // 300 million blank lines in 291 KB: before, 4 GiB asked for and an abort (exit 134).
    let err = refused(&["compare", "tests/data/attacks/blank-lines-300M.csv.gz"]);
    assert!(
        err.contains("blank-lines-300M.csv.gz: the gzip stream expands from 2")
            && err.contains(
                " KiB to over 256 MiB, more than 200-fold, as a decompression bomb does; it is \
                 refused"
            ),
        "{err}"
    );
}

/// The cells of a workbook's sheet, as calamine reads them.
fn sheet(path: &std::path::Path, name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    book.worksheet_range(name).unwrap()
}

/// Asserts a workbook's data sheet is the CSV, cell by cell: text as text, counts as
/// whole numbers, percentages as fractions.
fn assert_same_as_csv(range: &calamine::Range<calamine::Data>, csv_text: &str) {
    use calamine::Data;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(range.height(), rows.len());
    let header: Vec<String> = rows[0].iter().map(str::to_owned).collect();
    for (r, rec) in rows.iter().enumerate() {
        for (c, want) in rec.iter().enumerate() {
            let got = range.get((r, c)).unwrap_or(&Data::Empty);
            let name = header[c].as_str();
            match got {
                Data::Empty => assert_eq!(want, "", "{r},{c}"),
                Data::String(s) => assert_eq!(s, want, "{r},{c}"),
                Data::Float(f) if name.ends_with("_pct") => {
                    let want: f64 = want.parse().unwrap();
                    assert!((f * 100.0 - want).abs() < 1e-9, "{r},{c}: {f} vs {want}");
                }
                Data::Float(f) => {
                    if let Ok(n) = want.parse::<i64>() {
                        assert_eq!(*f, n as f64, "{r},{c}");
                        assert_eq!(f.fract(), 0.0);
                    } else {
                        assert_eq!(*f, want.parse::<f64>().unwrap(), "{r},{c}");
                    }
                }
                other => panic!("{r},{c}: {other:?} for {want:?}"),
            }
        }
    }
}

#[test]
fn compare_output_xlsx_is_the_csv_typed_with_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    let (_, _) = run(&["compare", "--output", &path.display().to_string()]);
    let (csv_text, _) = run(&["compare", "--format", "csv"]);
    let data = sheet(&path, "data");
    assert_same_as_csv(&data, &csv_text);
    // Beijing -22,000: a whole number, not text.
    let beijing = (0..data.height())
        .find(|&r| data.get((r, 1)) == Some(&calamine::Data::String("Beijing".into())))
        .unwrap();
    assert_eq!(
        data.get((beijing, 5)),
        Some(&calamine::Data::Float(-22_000.0))
    );
    let notes = sheet(&path, "notes");
    let text: Vec<String> = notes.rows().map(|r| r[0].to_string()).collect();
    assert!(
        text.iter().any(|t| t.contains("Natural increase")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.starts_with("Source: ")), "{text:?}");

    // Read back by popdelta: the same figures (group and total rows made again).
    let (back, _) = run(&["compare", &path.display().to_string(), "--format", "csv"]);
    let total = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("total,"))
            .unwrap()
            .split(',')
            .take(7)
            .collect::<Vec<_>>()
            .join(",")
    };
    assert_eq!(total(&back), total(&csv_text));
    assert!(
        back.contains("region,Beijing,north,21729000,21707000,-22000,-0.101"),
        "{back}"
    );
}

#[test]
fn county_codes_keep_their_zeros_in_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.xlsx");
    let args = [
        "compare",
        "tests/data/us-census/co-est2017-alldata.csv",
        "--where",
        "SUMLEV=050",
        "--region-col",
        "STATE,COUNTY",
        "--value-col",
        "POPESTIMATE{year}",
    ];
    let out = popdelta()
        .args(args)
        .args(["--output", &path.display().to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (csv_text, _) = run(&[&args[..], &["--format", "csv"]].concat());
    let data = sheet(&path, "data");
    assert_same_as_csv(&data, &csv_text);
    assert_eq!(
        data.get((1, 1)),
        Some(&calamine::Data::String("01, 001".into()))
    );
}

#[test]
fn trend_and_check_workbooks_are_their_csv_and_stdout_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.xlsx");
    run(&["trend", "--output", &t.display().to_string()]);
    let (csv_text, _) = run(&["trend", "--format", "csv"]);
    assert_same_as_csv(&sheet(&t, "data"), &csv_text);
    let c = dir.path().join("c.xlsx");
    let out = popdelta()
        .args(["check", "--output", &c.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "some bundled claims do not hold"
    );
    let out = popdelta()
        .args(["check", "--format", "csv"])
        .output()
        .unwrap();
    assert_same_as_csv(&sheet(&c, "data"), &String::from_utf8(out.stdout).unwrap());
    let err = refused(&["compare", "--format", "xlsx"]);
    assert!(
        err.contains("--format xlsx writes a workbook, which is binary: name its file with --output FILE.xlsx"),
        "{err}"
    );
}

#[test]
fn a_damaged_xls_that_panicked_the_parser_is_refused_in_one_line() {
    // Found by the fuzzer: calamine's xls parser subtracts past zero on this file (a
    // panic where overflow is checked, as in tests). One line, exit 2, never an abort.
    let out = popdelta()
        .args(["compare", "tests/data/attacks/fuzz-xls-mulrk-overflow.xls"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("popdelta: error: tests/data/attacks/fuzz-xls-mulrk-overflow.xls: "),
        "{err}"
    );
    assert!(err.contains("save the table as CSV"), "{err}");
}

#[test]
fn a_far_cell_in_a_legacy_xls_is_refused_before_the_grid_is_made() {
    // 5.6 KB written by xlwt, a table and one cell at IV65536: calamine's grid took 1 GB.
    let err = refused(&["compare", "tests/data/attacks/xlwt-far-cell.xls"]);
    assert!(
        err.ends_with(
            "xlwt-far-cell.xls: sheet 1 would be a grid of 65536 rows by 256 columns (it has a \
             cell at IV65536), more than the 4000000 cells popdelta expands a legacy xls sheet \
             to; clear the far cells, or save the table as CSV or xlsx"
        ),
        "{err}"
    );
    // A third writer's workbook (xlwt, legacy xls) reads exactly.
    let (out, _) = run(&[
        "compare",
        "tests/data/workbooks/xlwt-provinces.xls",
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("region,Beijing,,21729000,21707000,-22000,-0.101"),
        "{out}"
    );
}

#[test]
fn a_sheet_taken_for_the_table_that_cannot_be_read_names_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.xlsx");
    let mut wb = Workbook::new();
    let raw = wb.add_worksheet().set_name("Raw").unwrap();
    raw.write_string(0, 0, "x").unwrap();
    raw.write_string(0, 1, "y").unwrap();
    raw.write_string(0, 2, "z").unwrap();
    raw.write_string(1, 0, "A").unwrap();
    raw.write_number(1, 1, 1).unwrap();
    raw.write_number(1, 2, 2).unwrap();
    wb.add_worksheet().set_name("Other").unwrap();
    wb.save(&path).unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(
        err.ends_with(
            "; or sheet \"Raw\" was taken for the table: name another with --sheet (Other)"
        ),
        "{err}"
    );
}

#[test]
fn a_workbooks_notes_keep_what_was_said_on_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("states.xlsx");
    run(&[
        "compare",
        "tests/data/us-census/nst-est2017-alldata.csv",
        "--where",
        "SUMLEV=040",
        "--group-by",
        "REGION",
        "--output",
        &path.display().to_string(),
    ]);
    let notes = sheet(&path, "notes");
    let text: Vec<String> = notes.rows().map(|r| r[0].to_string()).collect();
    for said in [
        "Said while reading: tests/data/us-census/nst-est2017-alldata.csv: regions from column \
         NAME; populations from POPESTIMATE{year} (say --region-col or --value-col otherwise)",
        "Said while reading: years 2016 -> 2017, the latest two of 8 with figures \
         (2010-2017); say --from and --to otherwise",
    ] {
        assert!(text.iter().any(|t| t == said), "{said}: {text:?}");
    }
    // Read back, its groups are the census regions again, with no --group-by.
    let (back, _) = run(&["compare", &path.display().to_string(), "--format", "csv"]);
    assert!(back.contains("\ngroup,,1,"), "{back}");
    assert!(
        back.contains("\nregion,Connecticut,1,3587685,3588184,499,0.014\n"),
        "{back}"
    );
}

/// A sheet's rows: each one's line and cells.
type Rows = Vec<(u64, Vec<String>)>;

/// The rows of a workbook as the xlsx fast path reads them and as calamine does.
fn both_ways(bytes: &[u8], sheet: Option<&str>) -> (Rows, Rows) {
    use popdelta::load::formats::workbook::rows;
    let fast = rows(bytes.to_vec(), sheet, true).unwrap();
    let slow = rows(bytes.to_vec(), sheet, false).unwrap();
    (fast, slow)
}

#[test]
fn the_xlsx_fast_path_reads_every_test_workbook_as_calamine_does() {
    let books = [
        ("tests/data/workbooks/openpyxl-provinces-en.xlsx", None),
        ("tests/data/workbooks/openpyxl-provinces-zh.xlsx", None),
        ("tests/data/workbooks/openpyxl-counties-codes.xlsx", None),
        (
            "tests/data/real/undesa-WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx",
            Some("ESTIMATES"),
        ),
    ];
    for (path, sheet) in books {
        let bytes = std::fs::read(path).unwrap();
        let (fast, slow) = both_ways(&bytes, sheet);
        assert!(!fast.is_empty(), "{path}");
        assert_eq!(fast, slow, "{path}");
    }
    // rust_xlsxwriter's books: shared strings, and a styled cell far off.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.xlsx");
    xlsxwriter_book(&path);
    let bytes = std::fs::read(&path).unwrap();
    let (fast, slow) = both_ways(&bytes, Some("Data"));
    assert_eq!(fast, slow);
    assert_eq!(fast[1].1, ["06", "California", "39499738", "39237836"]);
}

/// A cell of a generated sheet.
#[derive(Debug, Clone)]
enum Written {
    Text(String),
    Number(f64),
    Whole(i64),
    Bool(bool),
    Date(f64),
    Formula(f64),
}

fn written() -> impl proptest::strategy::Strategy<Value = Written> {
    use proptest::prelude::*;
    prop_oneof![
        "[ a-zA-Z0-9&<>\"'éü北京 ._-]{0,12}".prop_map(Written::Text),
        (-1_000_000_000i64..1_000_000_000).prop_map(Written::Whole),
        (-1.0e12f64..1.0e12).prop_map(Written::Number),
        any::<bool>().prop_map(Written::Bool),
        (1.0f64..60_000.0).prop_map(Written::Date),
        (0.0f64..1.0e6).prop_map(Written::Formula),
    ]
}

/// A workbook whose only sheet's XML is `sheet`: a rust_xlsxwriter book's parts, its
/// sheet replaced (as writers in constant-memory mode write inline strings).
fn with_sheet_xml(sheet: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "x").unwrap();
    let base = wb.save_to_buffer().unwrap();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(base)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let mut member = from.by_index(i).unwrap();
        let name = member.name().unwrap().to_string();
        to.start_file(&name, zip::write::SimpleFileOptions::default())
            .unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            to.write_all(sheet.as_bytes()).unwrap();
        } else {
            let mut buf = Vec::new();
            member.read_to_end(&mut buf).unwrap();
            to.write_all(&buf).unwrap();
        }
    }
    to.finish().unwrap().into_inner()
}

/// Text as XML writes it.
fn xml_text(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    #[test]
    fn the_xlsx_fast_path_gives_calamines_rows_on_any_written_sheet(
        cells in proptest::collection::vec((0u32..40, 0u16..6, written()), 1..60),
    ) {
        use rust_xlsxwriter::{Formula, Workbook};
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let ws = wb.add_worksheet();
        for (row, col, cell) in cells {
            let _ = match cell {
                Written::Text(t) => ws.write_string(row, col, t).map(|_| ()),
                Written::Number(n) => ws.write_number(row, col, n).map(|_| ()),
                Written::Whole(n) => ws.write_number(row, col, n as f64).map(|_| ()),
                Written::Bool(b) => ws.write_boolean(row, col, b).map(|_| ()),
                Written::Date(d) => ws.write_number_with_format(row, col, d, &date).map(|_| ()),
                Written::Formula(v) => ws
                    .write_formula(row, col, Formula::new("=1+1").set_result(v.to_string()))
                    .map(|_| ()),
            };
        }
        let bytes = wb.save_to_buffer().unwrap();
        let (fast, slow) = both_ways(&bytes, None);
        proptest::prop_assert_eq!(fast, slow);
    }

    #[test]
    fn the_xlsx_fast_path_gives_calamines_rows_on_inline_strings(
        rows in proptest::collection::vec(
            proptest::collection::vec(proptest::option::of(written()), 0..5), 1..20),
        preserve in proptest::prelude::any::<bool>(),
    ) {
        // As constant-memory writers write: inline strings, row by row, no references.
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet \
             xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
        );
        for (r, row) in rows.iter().enumerate() {
            xml += &format!("<row r=\"{}\">", r + 1);
            for cell in row {
                match cell {
                    None => xml += "<c/>",
                    Some(Written::Text(t)) => {
                        let space = if preserve { " xml:space=\"preserve\"" } else { "" };
                        xml += &format!("<c t=\"inlineStr\"><is><t{space}>{}</t></is></c>", xml_text(t));
                    }
                    Some(Written::Bool(b)) => xml += &format!("<c t=\"b\"><v>{}</v></c>", u8::from(*b)),
                    Some(Written::Whole(n)) => xml += &format!("<c><v>{n}</v></c>"),
                    Some(Written::Number(n) | Written::Date(n) | Written::Formula(n)) => {
                        xml += &format!("<c t=\"n\"><f>1+1</f><v>{n}</v></c>");
                    }
                }
            }
            xml += "</row>";
        }
        xml += "</sheetData></worksheet>";
        let bytes = with_sheet_xml(&xml);
        let (fast, slow) = both_ways(&bytes, None);
        proptest::prop_assert_eq!(fast, slow);
    }
}

#[test]
fn an_xlsb_workbook_and_a_minimal_package_are_read() {
    // Before: "holds no table": an xlsb's main part is xl/workbook.bin, a minimal
    // package's workbook.xml stands at the root.
    let (out, _) = run(&[
        "compare",
        &book("pyxlsbwriter-provinces-en.xlsb"),
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("\nregion,Jilin,,27330300,27174300,-156000,-0.571\n"),
        "{out}"
    );
    // A minimal package: the openpyxl book's parts moved to the root, as some writers lay
    // them out.
    use std::io::{Read, Write};
    let bytes = std::fs::read(book("openpyxl-provinces-en.xlsx")).unwrap();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let mut member = from.by_index(i).unwrap();
        let name = member.name().unwrap().to_string();
        let mut buf = Vec::new();
        member.read_to_end(&mut buf).unwrap();
        let (name, buf) = match name.as_str() {
            "xl/workbook.xml" => ("workbook.xml".to_owned(), buf),
            "[Content_Types].xml" | "_rels/.rels" => {
                let text = String::from_utf8(buf)
                    .unwrap()
                    .replace("/xl/workbook.xml", "/workbook.xml")
                    .replace("xl/workbook.xml", "workbook.xml");
                (name, text.into_bytes())
            }
            "xl/_rels/workbook.xml.rels" => {
                let text = String::from_utf8(buf)
                    .unwrap()
                    .replace("Target=\"", "Target=\"xl/")
                    .replace("Target=\"xl//", "Target=\"/");
                ("_rels/workbook.xml.rels".to_owned(), text.into_bytes())
            }
            _ => (name, buf),
        };
        to.start_file(&name, zip::write::SimpleFileOptions::default())
            .unwrap();
        to.write_all(&buf).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minimal.xlsx");
    std::fs::write(&path, to.finish().unwrap().into_inner()).unwrap();
    let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert!(
        out.contains("\nregion,Beijing,,21729000,21707000,-22000,-0.101\n"),
        "{out}"
    );
}

#[test]
fn a_workbook_of_10000_sheets_says_ten_and_its_notes_fit_a_workbook_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.xlsx");
    let mut wb = Workbook::new();
    let first = wb.add_worksheet().set_name("figures").unwrap();
    for (col, head) in ["region", "2016", "2017"].iter().enumerate() {
        first.write_string(0, col as u16, *head).unwrap();
    }
    first.write_string(1, 0, "A").unwrap();
    first.write_number(1, 1, 100).unwrap();
    first.write_number(1, 2, 90).unwrap();
    for i in 1..10_000 {
        wb.add_worksheet().set_name(format!("s{i}")).unwrap();
    }
    wb.save(&path).unwrap();
    let out = dir.path().join("r.xlsx");
    let (_, err) = run(&[
        "compare",
        &path.display().to_string(),
        "--output",
        &out.display().to_string(),
    ]);
    assert!(
        err.contains(
            "read sheet \"figures\" of 10000 (figures, s1, s2, s3, s4, s5, s6, s7, s8, s9 and \
             9990 more); say --sheet NAME otherwise"
        ),
        "{err}"
    );
    assert!(err.len() < 1_000, "{} bytes", err.len());
    let notes = sheet(&out, "notes");
    assert!(
        notes
            .rows()
            .any(|r| r[0].to_string().contains("and 9990 more")),
        "the note is in the workbook"
    );
}

#[test]
fn a_workbook_of_many_sheets_without_figures_names_ten_in_its_refusal() {
    // Before: openpyxl's bigfoot.xlsx (1,024 sheets) gave a 20 KB error line, each sheet
    // named with what it holds.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bigfoot.xlsx");
    let mut wb = Workbook::new();
    for i in 0..1024 {
        wb.add_worksheet().set_name(format!("sheet #{i}")).unwrap();
    }
    wb.save(&path).unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(
        err.ends_with(
            "has no sheet with a row of figures: sheet #0 (empty), sheet #1 (empty), sheet #2 \
             (empty), sheet #3 (empty), sheet #4 (empty), sheet #5 (empty), sheet #6 (empty), \
             sheet #7 (empty), sheet #8 (empty), sheet #9 (empty) and 1014 more; name the \
             sheet to read with --sheet NAME"
        ),
        "{err}"
    );
}
