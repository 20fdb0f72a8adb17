//! What an input is, told by its content at every level: a file, a gzip stream's text, a
//! zip archive's member. Protected workbooks, documents that embed one, and spreadsheet
//! formats popdelta does not read are named, with the way out (issue 32).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{refused, run};

const GALICIA: &str = "tests/data/jsonstat/galicia-2.0.json";
const EUROSTAT_SDMX: &str = "tests/data/sdmx/eurostat-demo_gind-2013-2015-labels.csv";
const PROTECTED: &str = "tests/data/workbooks/protected";

/// A zip archive at `path` of the members (name, bytes).
fn zip_of(path: &Path, members: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_password_protected_workbook_is_named_with_the_fix() {
    // Before: "Cannot detect file format", or for the XOR-obfuscated xls "sheet 1 would be
    // a grid of 25852 rows".
    for name in [
        "pass_protected.ods",
        "pass_protected.xlsx",
        "pass_protected.xlsb",
        "rc4cryptoapi_password.xls",
        "xor_password_123456789012345.xls",
    ] {
        let path = format!("{PROTECTED}/{name}");
        let err = refused(&["compare", &path]);
        assert_eq!(
            err,
            format!(
                "popdelta: error: {path}: the file is protected by a password (encrypted), \
                 which popdelta does not ask for; open it, save it without a password, and \
                 read that copy (or save the table as CSV)"
            )
        );
    }
}

#[test]
fn a_json_stat_file_inside_a_zip_is_read_as_json_stat() {
    // Before: "holds no table (csv, tsv, txt or a workbook)".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galicia.zip");
    zip_of(
        &path,
        &[
            ("README.md", b"about"),
            ("galicia-2.0.json", &std::fs::read(GALICIA).unwrap()),
        ],
    );
    let (zipped, err) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    let (plain, _) = run(&["compare", GALICIA, "--format", "csv"]);
    assert_eq!(zipped, plain);
    assert!(
        zipped.contains("region,A Coruña,,1096027,1141286,45259,4.129\n"),
        "{zipped}"
    );
    assert!(err.contains("galicia.zip: read galicia-2.0.json"), "{err}");
    assert!(err.contains("read as JSON-stat"), "{err}");
}

#[test]
fn a_labelled_sdmx_csv_inside_a_zip_is_read_as_sdmx() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eurostat.zip");
    // Named .txt: what it is, its first line tells.
    zip_of(
        &path,
        &[("data.txt", &std::fs::read(EUROSTAT_SDMX).unwrap())],
    );
    let args = |input: &str| {
        [
            "compare",
            input,
            "--format",
            "csv",
            "--where",
            "indic_de=JAN",
        ]
        .map(str::to_owned)
    };
    let zipped = run(&args(path.to_str().unwrap()).each_ref().map(String::as_str)).0;
    let plain = run(&args(EUROSTAT_SDMX).each_ref().map(String::as_str)).0;
    assert_eq!(zipped, plain);
    assert!(zipped.lines().count() > 30, "{zipped}");
}

#[test]
fn a_workbook_inside_a_zip_under_any_name_is_read_as_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let book = std::fs::read("tests/data/workbooks/openpyxl-provinces-en.xlsx").unwrap();
    let path = dir.path().join("download.zip");
    // A member named .csv that is a workbook: its first bytes say so.
    zip_of(&path, &[("provinces.csv", &book)]);
    let (out, err) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert!(
        out.contains("region,Beijing,,21729000,21707000,-22000,-0.101\n"),
        "{out}"
    );
    assert!(err.contains("download.zip: read provinces.csv"), "{err}");
}

#[test]
fn a_document_embedding_a_workbook_is_refused_not_read_as_the_workbook() {
    // Before: the workbook under word/embeddings/ was read as if it were the file.
    let dir = tempfile::tempdir().unwrap();
    let book = std::fs::read("tests/data/workbooks/openpyxl-provinces-en.xlsx").unwrap();
    let path = dir.path().join("report.docx");
    zip_of(
        &path,
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
            ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", &book),
        ],
    );
    let err = refused(&["compare", path.to_str().unwrap()]);
    assert!(
        err.ends_with(
            "report.docx is a Word document, not a workbook: it may embed one, which popdelta \
             does not take for the file; open it and save the table as CSV"
        ),
        "{err}"
    );
}

#[test]
fn apple_numbers_excel_2_to_4_and_sylk_are_named_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let numbers = dir.path().join("table.numbers");
    zip_of(
        &numbers,
        &[
            ("Index/Document.iwa", b"\0\0\0"),
            ("Metadata/Properties.plist", b""),
        ],
    );
    // A BIFF4 worksheet's BOF record, as Excel 4.0 begins one.
    let biff4 = write(
        dir.path(),
        "old.xls",
        b"\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00",
    );
    let sylk = write(
        dir.path(),
        "table.slk",
        b"ID;PWXL;N;E\r\nC;Y1;X1;K\"region\"\r\nC;X2;K2016\r\nE\r\n",
    );
    let way = "popdelta reads CSV and TSV text, JSON-stat, SDMX-CSV, SDMX-JSON, SDMX-ML, PC-Axis, xlsx, xlsb, xls and ods \
               workbooks, and gz and zip archives of them: open it in a spreadsheet and save \
               it as xlsx or CSV";
    for (path, what) in [
        (numbers, "an Apple Numbers spreadsheet"),
        (
            biff4,
            "an Excel 2.x-4.x worksheet (BIFF2-4), older than Excel 97's xls",
        ),
        (sylk, "a SYLK spreadsheet (.slk)"),
    ] {
        let p = path.to_str().unwrap();
        assert_eq!(
            refused(&["compare", p]),
            format!("popdelta: error: {p} is {what}; {way}")
        );
    }
}

#[test]
fn a_csv_whose_first_column_is_id_is_not_taken_for_sylk() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "ids.csv",
        b"ID;Province;2016;2017\n11;Beijing;21729000;21707000\n",
    );
    let (out, _) = run(&[
        "compare",
        path.to_str().unwrap(),
        "--region-col",
        "Province",
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("region,Beijing,,21729000,21707000,-22000,-0.101\n"),
        "{out}"
    );
}

#[test]
fn a_nul_byte_names_its_line() {
    // Before: "is a binary file", with no line.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "nul.csv",
        b"region,2016,2017\nA,1,2\nB,\x003,4\n",
    );
    let p = path.to_str().unwrap();
    let err = refused(&["compare", p]);
    assert!(
        err.starts_with(&format!(
            "popdelta: error: {p}:3: a NUL byte, which text never holds: a binary file, or \
             UTF-16 text without its byte-order mark"
        )),
        "{err}"
    );
}

#[test]
fn an_empty_sheet_says_the_sheet_is_empty_not_what_a_csv_starts_with() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Blank").unwrap();
    wb.save(&path).unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(
        refused(&["compare", p]),
        format!(
            "popdelta: error: {p}:Blank!1:1: the sheet is empty; the table is on another \
             sheet (name it with --sheet) or not in this file"
        )
    );
}

#[test]
fn gzip_streams_nested_past_four_deep_are_refused() {
    // A gzip quine holds itself: opened without a bound, it never ends.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"region,2016,2017\nA,1,2\n".to_vec();
    for _ in 0..6 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&bytes).unwrap();
        bytes = gz.finish().unwrap();
    }
    let path = write(dir.path(), "deep.csv.gz", &bytes);
    let p = path.to_str().unwrap();
    assert_eq!(
        refused(&["compare", p]),
        format!("popdelta: error: {p}: archives nested more than 4 deep; unpack it first")
    );
}
