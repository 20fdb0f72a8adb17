//! An output never costs a file (issue 32): each way a run's outputs once lost a file or
//! the output itself, pinned by a test named after it.

mod common;

use std::path::{Path, PathBuf};

use common::popdelta;

/// A small table in a scratch folder: (folder, its path).
fn table(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, "region,2016,2017\nA,1,2\nB,3,5\n").unwrap();
    path
}

/// The binary run through `bash -c` (`$0` is the binary), for redirections and process
/// substitution.
fn bash(script: &str, dir: &Path) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

const TABLE: &str = "region,2016,2017\nA,1,2\nB,3,5\n";

#[test]
fn an_output_onto_the_file_standard_input_reads_is_refused_and_the_file_kept() {
    // Before: `compare - --output in.csv < in.csv` replaced its own input (trend too).
    let dir = tempfile::tempdir().unwrap();
    table(dir.path(), "in.csv");
    for command in ["compare", "trend"] {
        let out = bash(
            &format!("\"$0\" {command} - --output in.csv < in.csv"),
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "--output in.csv is the input on standard input; write the output to another file"
            ),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("in.csv")).unwrap(),
            TABLE
        );
    }
    // A claims file read on standard input is an input too.
    let claims = dir.path().join("claims.csv");
    std::fs::write(
        &claims,
        "id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,change,<,0,,\n",
    )
    .unwrap();
    let out = bash(
        "\"$0\" check - --output claims.csv < claims.csv",
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        std::fs::read_to_string(&claims)
            .unwrap()
            .starts_with("id,subject")
    );
}

#[test]
fn two_outputs_on_one_file_are_refused_before_either_is_written() {
    // Before: `--output r.xlsx --map r.xlsx` exited 0 with one output lost.
    let dir = tempfile::tempdir().unwrap();
    let input = table(dir.path(), "in.csv");
    for (first, second) in [
        ("--output", "--map"),
        ("--svg", "--map"),
        ("--output", "--svg"),
    ] {
        let same = dir.path().join("r.xlsx");
        let out = popdelta()
            .arg("compare")
            .arg(&input)
            .arg(first)
            .arg(&same)
            .arg(second)
            .arg(dir.path().join(".").join("r.xlsx"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{second} "))
                && err.contains(&format!(
                    "is also the file of {first}; give each output a file of its own"
                )),
            "{err}"
        );
        assert!(!same.exists(), "nothing is written");
    }
    // An existing file, reached by a link: the same file.
    let existing = table(dir.path(), "old.svg");
    std::os::unix::fs::symlink(&existing, dir.path().join("link.svg")).unwrap();
    let out = popdelta()
        .args(["trend", "--svg"])
        .arg(&existing)
        .arg("--map")
        .arg(dir.path().join("link.svg"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), TABLE);
}

/// Runs the binary as the unprivileged user `nobody` where the tests run as root (the
/// file modes bind nobody then), or as themselves; `None` where neither can show it.
fn as_unprivileged(args: &[&std::ffi::OsStr], dir: &Path) -> Option<std::process::Output> {
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        // Where nobody cannot run the binary (a checkout in a private folder), say so.
        let runs = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !runs {
            eprintln!("skipped: the binary cannot be run as nobody here");
            return None;
        }
        c
    } else {
        std::process::Command::new(&bin)
    };
    Some(
        cmd.args(args)
            .current_dir(dir)
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap(),
    )
}

#[test]
fn a_read_only_file_is_never_replaced_though_its_folder_may_be_written() {
    // Before: as an ordinary user, --output replaced a read-only file (even root's), which
    // then belonged to that user: the rename checks only the folder.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let input = table(dir.path(), "in.csv");
    std::fs::set_permissions(&input, std::fs::Permissions::from_mode(0o644)).unwrap();
    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, "precious\n").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o444)).unwrap();
    let args = [
        "compare".as_ref(),
        input.as_os_str(),
        "--output".as_ref(),
        kept.as_os_str(),
    ];
    let Some(out) = as_unprivileged(&args, dir.path()) else {
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "is not writable for you, so it is left as it is; write the output to another file"
        ),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "precious\n");
    // A new file in the same folder is written.
    let fresh = dir.path().join("fresh.csv");
    let args = [
        "compare".as_ref(),
        input.as_os_str(),
        "--output".as_ref(),
        fresh.as_os_str(),
    ];
    let out = as_unprivileged(&args, dir.path()).unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        std::fs::read_to_string(&fresh)
            .unwrap()
            .contains("total,,,4,7,3,75.000")
    );
}

#[test]
fn a_process_substitution_and_dev_stdout_in_a_pipe_are_written_as_streams() {
    // Before: both exited 2 and the reader got nothing: /dev/fd/63's link text,
    // "pipe:[...]", was taken for a path.
    let dir = tempfile::tempdir().unwrap();
    table(dir.path(), "in.csv");
    let out = bash(
        "\"$0\" compare in.csv --output >(gzip > r.gz) && wait && sleep 0.2 && zcat r.gz",
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("total,,,4,7,3,75.000"), "{text}");
    let out = bash(
        "\"$0\" compare in.csv --output /dev/stdout | cat",
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("region,B,,3,5,2,66.667"));
}

#[test]
fn an_output_named_dash_is_standard_output_not_a_file_named_dash() {
    let dir = tempfile::tempdir().unwrap();
    let input = table(dir.path(), "in.csv");
    let out = popdelta()
        .arg("compare")
        .arg(&input)
        .args(["--output", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("level,region,group"));
    assert!(!dir.path().join("-").exists());
    // Two outputs on standard output: refused.
    let out = popdelta()
        .arg("compare")
        .arg(&input)
        .args(["--output", "-", "--svg", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--svg - is also the file of --output"));
}

/// Whether a CSV cell would run as a formula in a spreadsheet.
fn runs_as_formula(cell: &str) -> bool {
    if cell.len() == 1 {
        // An operator alone ("=") is no formula.
        return false;
    }
    match cell.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        // A signed number is a number to a spreadsheet too.
        Some(b'-' | b'+') => cell.parse::<f64>().is_err(),
        _ => false,
    }
}

#[test]
fn every_cell_of_every_commands_csv_is_guarded_against_formulas() {
    // Before: check's reason column was not guarded: a cell read
    // `=HYPERLINK("http://x","y"): the data lacks...`.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hostile.csv");
    std::fs::write(
        &data,
        "region,grp,2016,2017\n\
         \"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-North,10,12\n\
         @SUM(A1),+South,20,18\n\
         -Minus,-North,5,6\n\
         =Gap,+South,7,\n",
    )
    .unwrap();
    let claims = dir.path().join("claims.csv");
    std::fs::write(
        &claims,
        "id,subject,from,to,metric,op,value,tolerance,quote\n\
         =1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2016,2017,change,=,2,,=cmd\n\
         +2,=Nowhere,2016,2017,change,=,2,,@q\n\
         3,=Gap,2016,2017,change,=,2,,\n",
    )
    .unwrap();
    let d = data.display().to_string();
    let c = claims.display().to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["compare", &d, "--group-by", "grp", "--format", "csv"],
        vec!["compare", &d, "--group-by", "grp", "--format", "tsv"],
        vec!["trend", &d, "--group-by", "grp", "--format", "csv"],
        vec![
            "trend",
            &d,
            "--group-by",
            "grp",
            "--yearly",
            "--format",
            "csv",
        ],
        vec!["check", &c, &d, "--format", "csv"],
        vec!["check", &c, &d, "--format", "tsv"],
        vec!["vintages", "--format", "csv"],
        vec!["data", "--format", "csv"],
    ];
    for args in runs {
        let out = popdelta().args(&args).output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{args:?}: {out:?}"
        );
        let tsv = args.contains(&"tsv");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if tsv { b'\t' } else { b',' })
            .has_headers(false)
            .flexible(true)
            .from_reader(&out.stdout[..]);
        let mut cells = 0;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                assert!(!runs_as_formula(cell), "{args:?}: {cell:?}");
            }
        }
        assert!(cells > 10, "{args:?}");
    }
    // The reason that starts with the subject, as the issue found it.
    let out = popdelta()
        .args(["check", &c, &d, "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("'=Gap: the data lacks one of the two years"),
        "{text}"
    );
    // The guard's apostrophe is in the CSV, the name itself in JSON.
    let out = popdelta()
        .args(["compare", &d, "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(r#""region": "@SUM(A1)""#), "{text}");
}

/// The cells of a workbook's sheet, as calamine reads them.
fn sheet(path: &Path, name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    book.worksheet_range(name).unwrap()
}

/// A sheet's row whose cell `col` is the text `key`.
fn row_of(range: &calamine::Range<calamine::Data>, col: usize, key: &str) -> Vec<calamine::Data> {
    range
        .rows()
        .find(|r| r.get(col) == Some(&calamine::Data::String(key.to_owned())))
        .unwrap_or_else(|| panic!("no row {key:?}"))
        .to_vec()
}

#[test]
fn a_workbook_holds_the_names_themselves_not_the_csvs_guarded_ones() {
    // Before: names were copied from the guarded CSV: a cell read '=HYPERLINK... or
    // '-North with the guard's apostrophe, though a text cell never runs.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hostile.csv");
    std::fs::write(
        &data,
        "region,grp,2016,2017\n=HYPERLINK(\"\"x\"\"),-North,10,12\n@SUM(A1),+South,20,18\n",
    )
    .unwrap();
    let book = dir.path().join("r.xlsx");
    let out = popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--group-by", "grp", "--output"])
        .arg(&book)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let sheet = sheet(&book, "data");
    let row = row_of(&sheet, 1, "@SUM(A1)");
    assert_eq!(row[2], calamine::Data::String("+South".into()));
    assert_eq!(row[5], calamine::Data::Float(-2.0));
    assert!(
        sheet
            .rows()
            .any(|r| r[2] == calamine::Data::String("-North".into())),
        "{sheet:?}"
    );
}

#[test]
fn counts_past_2_to_the_53_stay_exact_in_a_workbook_as_text_with_a_note() {
    // Before: 9007199254740993 was written as a number and read 9007199254740992.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("big.csv");
    std::fs::write(
        &data,
        "region,2016,2017\nA,9007199254740993,9007199254740995\n",
    )
    .unwrap();
    let book = dir.path().join("r.xlsx");
    let out = popdelta()
        .arg("compare")
        .arg(&data)
        .arg("--output")
        .arg(&book)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let row = row_of(&sheet(&book, "data"), 1, "A");
    assert_eq!(row[3], calamine::Data::String("9007199254740993".into()));
    assert_eq!(row[4], calamine::Data::String("9007199254740995".into()));
    // The change, 2, is a number as ever.
    assert_eq!(row[5], calamine::Data::Float(2.0));
    let notes = sheet(&book, "notes");
    assert!(
        notes.rows().any(|r| r[0].to_string().starts_with(
            "4 whole numbers past 2^53 (9,007,199,254,740,992) are written as text, which keeps them exact"
        )),
        "{notes:?}"
    );
}

#[test]
fn every_pct_column_of_a_workbook_is_a_percentage() {
    // Before: vintages' difference_pct was a plain 0.806 where change_pct was 0.806%.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("v.xlsx");
    let out = popdelta()
        .args(["vintages", "--output"])
        .arg(&book)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let csv = popdelta()
        .args(["vintages", "--format", "csv"])
        .output()
        .unwrap()
        .stdout;
    let csv = String::from_utf8(csv).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let pct = header.iter().position(|h| *h == "difference_pct").unwrap();
    let first = csv.lines().nth(1).unwrap().split(',').nth(pct).unwrap();
    let sheet = sheet(&book, "data");
    let calamine::Data::Float(f) = sheet.get((1, pct)).unwrap() else {
        panic!("{:?}", sheet.get((1, pct)));
    };
    assert!(
        (f * 100.0 - first.parse::<f64>().unwrap()).abs() < 1e-9,
        "{f} {first}"
    );
}

#[test]
fn a_workbook_of_more_rows_than_a_sheet_holds_is_refused_and_nothing_written() {
    // 1,048,576 regions, with the header and the total 1,048,578 rows: refused as the
    // rows are made (before: at 903 MB, once every cell was held).
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("many.csv");
    let mut text = String::from("region,2016,2017\n");
    for i in 0..1_048_576 {
        text.push_str(&format!("R{i},1,2\n"));
    }
    std::fs::write(&data, text).unwrap();
    let book = dir.path().join("r.xlsx");
    let out = popdelta()
        .arg("compare")
        .arg(&data)
        .arg("--output")
        .arg(&book)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("more rows than a workbook's sheet holds (1048576); use --format csv"),
        "{err}"
    );
    assert!(!book.exists());
}

#[test]
fn svg_from_names_holding_u_fffe_or_u_ffff_is_well_formed() {
    // Before: --map and --svg wrote U+FFFE and U+FFFF as they were: no XML parser took it.
    let dir = tempfile::tempdir().unwrap();
    let regions = popdelta()
        .args(["data", "--format", "csv"])
        .output()
        .unwrap()
        .stdout;
    let mut groups = String::from("region,group\n");
    let mut seen: Vec<String> = Vec::new();
    for rec in csv::Reader::from_reader(&regions[..]).records() {
        let region = rec.unwrap()[2].to_owned();
        if !seen.contains(&region) {
            let group = if seen.len().is_multiple_of(2) {
                "North\u{FFFE}"
            } else {
                "South\u{FFFF}<&>"
            };
            groups.push_str(&format!("{region},{group}\n"));
            seen.push(region);
        }
    }
    let map_file = dir.path().join("groups.csv");
    std::fs::write(&map_file, groups).unwrap();
    for command in ["compare", "trend"] {
        let map = dir.path().join(format!("{command}-map.svg"));
        let svg = dir.path().join(format!("{command}.svg"));
        let out = popdelta()
            .arg(command)
            .arg("--groups")
            .arg(&map_file)
            .arg("--map")
            .arg(&map)
            .arg("--svg")
            .arg(&svg)
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        for file in [&map, &svg] {
            let text = std::fs::read_to_string(file).unwrap();
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let shown: String = doc.descendants().filter_map(|n| n.text()).collect();
            assert!(
                !shown.contains(['\u{FFFE}', '\u{FFFF}']),
                "{}",
                file.display()
            );
        }
        let text = std::fs::read_to_string(&map).unwrap();
        assert!(text.contains("North\\u{fffe}"), "{command}");
    }
}
