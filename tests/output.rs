//! Output for people and spreadsheets: formats, spreadsheet safety, files, colour, charts,
//! shell integration.

mod common;

use std::path::Path;

use common::popdelta;

fn stdout_of(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn formula_cells_are_neutralised_and_numbers_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "f.csv",
        "region,2016,2017\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",10,5\n+SUM(A1),1,2\n@cmd,3,4\n-2+3,5,6\n",
    );
    let csv = stdout_of(&["compare", &file, "--format", "csv"]);
    assert!(
        csv.contains("region,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,10,5,-5,-50.000\n"),
        "{csv}"
    );
    assert!(csv.contains("region,'+SUM(A1),,1,2,1,100.000\n"), "{csv}");
    assert!(csv.contains("region,'@cmd,,3,4,1,33.333\n"), "{csv}");
    assert!(csv.contains("region,'-2+3,,5,6,1,20.000\n"), "{csv}");
    let tsv = stdout_of(&["compare", &file, "--format", "tsv"]);
    assert!(
        tsv.contains("region\t'+SUM(A1)\t\t1\t2\t1\t100.000\n"),
        "{tsv}"
    );
    // JSON is data, not a spreadsheet: names stay as written.
    let json = stdout_of(&["compare", &file, "--format", "json"]);
    assert!(json.contains("\"region\": \"+SUM(A1)\""), "{json}");
}

#[test]
fn bom_comes_first_when_asked() {
    let out = popdelta().args(["compare", "--bom"]).output().unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFlevel,region,"));
    let out = popdelta().args(["compare"]).output().unwrap();
    assert!(out.stdout.starts_with(b"level,region,"));
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.csv");
    let t = target.to_str().unwrap();
    popdelta()
        .args(["compare", "--output", t])
        .assert()
        .success()
        .stdout("");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("level,region,group,pop_2016,"));
    // Defaults to CSV even when run from a terminal: a file is not a terminal.
    assert_eq!(written, stdout_of(&["compare"]));

    // A failing run leaves the old file alone and no temporary file behind.
    popdelta()
        .args(["compare", "--from", "1999", "--output", t])
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), written);
    let fresh = dir.path().join("never.csv");
    popdelta()
        .args([
            "compare",
            "--from",
            "1999",
            "--output",
            fresh.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    assert!(!fresh.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary files: {left:?}");
}

#[test]
fn output_onto_an_input_is_refused_even_through_links() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", "region,2016,2017\nA,1,2\n");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let hard = dir.path().join("hard.csv");
    std::fs::hard_link(&input, &hard).unwrap();
    for out in [
        input.clone(),
        link.display().to_string(),
        hard.display().to_string(),
    ] {
        popdelta()
            .args(["compare", &input, "--output", &out])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "popdelta: error: --output {out} is the input {input}"
            )));
        assert_eq!(
            std::fs::read_to_string(&input).unwrap(),
            "region,2016,2017\nA,1,2\n"
        );
    }
}

#[test]
fn svg_onto_an_input_names_svg() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", "region,2016,2017\nA,100,102\n");
    popdelta()
        .args(["compare", &input, "--svg", &input])
        .assert()
        .code(2)
        .stderr(format!(
            "popdelta: error: --svg {input} is the input {input}; write the output to another \
             file\n"
        ));
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "region,2016,2017\nA,100,102\n"
    );
}

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("popdelta"))
        .arg("compare")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "popdelta: error: writing standard output: No space left on device (os error 28)\n"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let always = stdout_of(&["compare", "--format", "table", "--color", "always"]);
    assert!(always.contains("\u{1b}[31m-22,000\u{1b}[0m"), "{always}");
    assert!(always.contains("\u{1b}[32m+1,700,000\u{1b}[0m"));
    let auto = stdout_of(&["compare", "--format", "table"]);
    assert!(!auto.contains('\u{1b}'), "a pipe is not a terminal");
    let never = stdout_of(&["compare", "--format", "table", "--color", "never"]);
    assert!(!never.contains('\u{1b}'));
    let out = popdelta()
        .args(["compare", "--format", "table"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn chart_and_svg() {
    let chart = stdout_of(&["compare", "--chart"]);
    let lines: Vec<&str> = chart.lines().collect();
    assert!(lines[1].starts_with("Guangdong 广东") && lines[1].ends_with("+1,700,000"));
    assert!(lines[31].starts_with("Jilin 吉林") && lines[31].ends_with("-156,000"));
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("c.svg");
    let out = stdout_of(&["compare", "--svg", svg.to_str().unwrap()]);
    assert!(out.starts_with("level,"));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches("class=\"bar\"").count(), 31);
}

#[test]
fn other_formats() {
    let nd = stdout_of(&["compare", "--format", "ndjson"]);
    assert_eq!(nd.lines().count(), 34);
    for line in nd.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["level"].is_string());
    }
    let md = stdout_of(&["compare", "--format", "markdown"]);
    assert!(md.starts_with("| Region | Group | 2016 | 2017 | Change | % |"));
    assert!(md.contains("| Beijing | north | 21,729,000 | 21,707,000 | -22,000 | -0.101 |"));
}

#[test]
fn a_huge_table_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("region,2016,2017\n");
    for i in 0..50_001 {
        text.push_str(&format!("r{i},1,2\n"));
    }
    let file = write(dir.path(), "big.csv", &text);
    popdelta()
        .args(["compare", &file, "--format", "table"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("use --format csv"));
    popdelta().args(["compare", &file]).assert().success();
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = stdout_of(&["completions", shell]);
        assert!(out.contains("compare"), "{shell}");
        assert!(out.contains("--group-by"), "{shell}");
    }
    let man = stdout_of(&["man"]);
    assert!(man.contains(".TH popdelta 1"));
    // Every subcommand's options are in the page, under its own heading.
    for sub in ["COMPARE", "TREND", "VINTAGES", "CHECK", "DATA", "SOURCES"] {
        assert!(man.contains(&format!(".SH \"POPDELTA {sub}\"")), "{sub}");
    }
    assert!(man.contains("\\fB\\-\\-group\\-by\\fR"));
    assert!(man.contains("\\fB\\-\\-yearly\\fR"));
    let compare = stdout_of(&["man", "compare"]);
    let th = format!(
        ".TH popdelta-compare 1  \"popdelta {}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(compare.contains(&th), "{compare}");
    assert!(compare.contains(".SH NAME\npopdelta\\-compare \\- Compare two years"));
    assert!(compare.contains("\\fB\\-\\-group\\-by\\fR"));
    common::popdelta()
        .args(["man", "comapre"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no subcommand \"comapre\"; man pages: compare, trend",
        ));
}

/// The format follows the `--output` file's extension unless `--format` says otherwise.
#[test]
fn the_output_extension_names_the_format() {
    let dir = tempfile::tempdir().unwrap();
    for (name, starts) in [
        ("x.json", "{\n  \"dataset\": \"china\""),
        ("x.ndjson", "{\"level\":\"region\",\"region\":\"Beijing\""),
        ("x.tsv", "level\tregion\tgroup\tpop_2016"),
        ("x.md", "| Region | Group | 2016 | 2017 |"),
        ("x.csv", "level,region,group,pop_2016"),
        ("x.txt", "level,region,group,pop_2016"),
    ] {
        let path = dir.path().join(name);
        common::popdelta()
            .args(["compare", "--output"])
            .arg(&path)
            .assert()
            .success();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(starts), "{name}: {text:.80}");
    }
    let path = dir.path().join("y.json");
    common::popdelta()
        .args(["compare", "--format", "csv", "--output"])
        .arg(&path)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("level,region")
    );
}

/// A chart of declines says how its bars run: the smallest loss first.
#[test]
fn a_chart_of_declines_says_smallest_loss_first() {
    let out = common::popdelta()
        .args(["compare", "--declining", "--chart", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Population change 2016 -> 2017, persons (china), smallest loss first\n"),
        "{text}"
    );
}

/// Runs popdelta with its standard output on a pseudo-terminal of `COLUMNS` columns, and
/// returns what the terminal got, colours stripped.
#[cfg(unix)]
fn on_a_terminal(args: &[&str], columns: &str) -> String {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors it opened; null pointers ask for defaults.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors are ours, open, and owned once.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_popdelta"))
        .args(args)
        .env("COLUMNS", columns)
        .env_remove("NO_COLOR")
        .env_remove("RUST_BACKTRACE")
        .stdout(std::process::Stdio::from(slave))
        .spawn()
        .unwrap();
    let mut master = std::fs::File::from(master);
    let mut bytes = Vec::new();
    // Reading ends in EIO once the child has closed the terminal's other side.
    let mut buf = [0u8; 65536];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
    // `check` exits 1 when a claim does not hold: news, not a failure.
    let code = child.wait().unwrap().code();
    assert!(
        code == Some(0) || (args[0] == "check" && code == Some(1)),
        "{code:?}"
    );
    let text = String::from_utf8(bytes).unwrap().replace('\r', "");
    // ANSI colour sequences: ESC [ ... m.
    let mut plain = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[cfg(unix)]
#[test]
fn the_table_fits_a_terminal_of_100_columns() {
    use unicode_width::UnicodeWidthStr;
    for args in [
        &["compare"][..],
        &["trend", "--dataset", "china-revised"],
        &[
            "compare",
            "tests/data/us-census/nst-est2017-alldata.csv",
            "--where",
            "SUMLEV=40",
            "--group-by",
            "REGION",
            "--births-col",
            "BIRTHS{year}",
            "--deaths-col",
            "DEATHS{year}",
            "--migration-col",
            "NETMIG{year}",
        ],
    ] {
        let text = on_a_terminal(args, "100");
        for line in text.lines() {
            assert!(
                line.width() <= 100,
                "{args:?}: {} columns: {line}",
                line.width()
            );
        }
        assert!(
            text.contains("Left out to fit 100 columns: "),
            "{args:?}: {text}"
        );
        let joined = text.replace('\n', " ");
        assert!(joined.contains("--columns chooses the columns"), "{args:?}");
    }
    // Only what does not fit gives way: at 100 columns the compare table keeps its
    // components and leaves out per 1,000, 地区 and % (colour sequences take no room).
    let compare = on_a_terminal(&["compare"], "100").replace('\n', " ");
    assert!(
        compare.contains(
            "Left out to fit 100 columns: net_migration_per_1000, region_zh, change_pct;"
        ),
        "{compare}"
    );
    // The check report too: the verdicts stay, the figures give way.
    let check = on_a_terminal(&["check"], "100");
    for line in check.lines().take_while(|l| !l.starts_with("Quotes:")) {
        assert!(
            line.width() <= 100,
            "check: {} columns: {line}",
            line.width()
        );
    }
    assert!(
        check.replace('\n', " ").contains(
            "Left out to fit 100 columns: difference, bound, computed, dataset (--format csv \
             or json has them all)."
        ),
        "{check}"
    );
    assert!(
        check.contains(
            " 16   Beijing          population               2020        < 23,000,000      "
        ),
        "{check}"
    );
    let wide = on_a_terminal(&["compare"], "200");
    assert!(!wide.contains("Left out"), "{wide}");
    assert!(wide.contains(" per 1,000 "));
}

#[cfg(unix)]
#[test]
fn footers_are_short_on_a_terminal_and_describe_the_rows_shown() {
    let text = on_a_terminal(
        &[
            "compare",
            "--dataset",
            "china-revised",
            "--from",
            "2019",
            "--to",
            "2024",
        ],
        "200",
    );
    let joined = text.replace('\n', " ");
    assert!(!joined.contains("5 of 15"), "{text}");
    assert!(
        joined.contains("(\"16 of 31 down\": 16 of those 31 declined)"),
        "{text}"
    );
    assert!(text.contains("\n total: 16 of 31 down "));
    assert!(text.contains("More: --notes full (or --format json) for every note"));
    // The dataset's standing notes are in the full footer only.
    assert!(!text.contains("include active military personnel"));
    let full = on_a_terminal(
        &[
            "compare",
            "--dataset",
            "china-revised",
            "--from",
            "2019",
            "--to",
            "2024",
            "--notes",
            "full",
        ],
        "200",
    );
    assert!(full.contains("include active military personnel"));
    assert!(!full.contains("More: --notes full"));
    // The first-published series: the doubtful figures named, the many medium ones counted.
    let text = on_a_terminal(&["compare"], "200").replace('\n', " ");
    assert!(
        text.contains(
            "Not of high confidence: unverified Tibet 2016, Qinghai 2016; low Tianjin 2016; 13 medium."
        ),
        "{text}"
    );
}

#[test]
fn columns_chooses_the_table_columns() {
    let text = stdout_of(&[
        "compare",
        "--format",
        "table",
        "--color",
        "never",
        "--columns",
        "change,net_migration",
    ]);
    let header = text.lines().nth(1).unwrap();
    let cells: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(cells, ["Region", "Change", "Migration"]);
    assert!(
        text.contains(" Beijing ") && text.contains(" -22,000 ") && text.contains(" -103,660 ")
    );
    let out = popdelta()
        .args(["compare", "--columns", "change,bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no table column \"bogus\"; the columns are region_zh, pop_from"),
        "{err}"
    );
}

#[test]
fn names_choose_english_chinese_or_both() {
    let both = stdout_of(&["compare", "--format", "csv", "--names", "both"]);
    let mut lines = both.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("level,region,region_zh,group,pop_2016,")
    );
    assert!(both.contains("\nregion,Beijing,北京,north,21729000,21707000,-22000,-0.101,"));
    // Group and total rows have no Chinese name: the field is empty, the columns line up.
    assert!(both.contains("\ngroup,,,north,578846300,"));
    let zh = stdout_of(&["compare", "--format", "csv", "--names", "zh"]);
    assert!(zh.starts_with("level,region,group,"));
    assert!(zh.contains("\nregion,北京,north,21729000,21707000,-22000,"));
    let en = stdout_of(&["compare", "--format", "csv"]);
    assert!(en.contains("\nregion,Beijing,north,21729000,"));
    assert!(!en.contains("北京"));
    let table = stdout_of(&["compare", "--format", "table", "--names", "en"]);
    assert!(!table.contains("地区") && !table.contains("北京"));
    let table = stdout_of(&["compare", "--format", "table", "--names", "zh"]);
    assert!(table.contains(" 北京 ") && !table.contains("Beijing"));
    let json = stdout_of(&["compare", "--format", "json", "--names", "en"]);
    assert!(!json.contains("region_zh"));
    let ndjson = stdout_of(&["compare", "--format", "ndjson"]);
    assert!(
        ndjson.starts_with("{\"level\":\"region\",\"region\":\"Beijing\",\"region_zh\":\"北京\",")
    );
    // A file without Chinese names gets no empty column.
    let csv = stdout_of(&[
        "compare",
        "tests/data/us-census/nst-est2017-alldata.csv",
        "--where",
        "SUMLEV=40",
        "--names",
        "both",
        "--format",
        "csv",
    ]);
    assert!(csv.starts_with("level,region,group,"), "{csv}");
}

#[test]
fn table_only_options_in_another_format_are_said() {
    let out = popdelta()
        .args(["compare", "--columns", "change", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "popdelta: note: --columns chooses the table's columns; csv has every column\n"
    );
    let out = popdelta()
        .args(["trend", "--notes", "short", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "popdelta: note: --notes is for the table's footer; json carries every note\n"
        )
    );
}

#[test]
fn an_output_extension_of_no_known_format_is_told_it_gets_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("result.xls");
    let run = popdelta()
        .args(["compare", "--output", &out.display().to_string()])
        .output()
        .unwrap();
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("--output *.xls: popdelta writes csv, tsv, json, ndjson, md or xlsx by the extension; this is csv, say --format otherwise"),
        "{err}"
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("level,region,")
    );
}

/// The one error line of a refused run.
fn refusal(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn compare_columns_sparkline_is_refused_naming_trend() {
    // Before: a table of one column, Region, exit 0.
    assert_eq!(
        refusal(&["compare", "--columns", "change,sparkline"]),
        "popdelta: error: --columns sparkline is a column of trend's table (popdelta trend), \
         not compare's; compare's columns are region_zh, pop_from, pop_to, change, change_pct, \
         natural_increase, net_migration, net_migration_per_1000, residual"
    );
    assert_eq!(
        refusal(&["trend", "--region", "Beijing", "--columns", "residual"]),
        "popdelta: error: --columns residual is a column of compare's table (popdelta \
         compare), not trend's; trend's columns are region_zh, pop_from, pop_to, change, \
         change_pct, cagr_pct, peak_year, years_down, longest_decline, decline_streak, \
         sparkline"
    );
}

#[test]
fn compare_columns_residual_without_published_migration_is_refused_naming_the_flag() {
    // The bundled data has births and deaths but no published net migration.
    assert_eq!(
        refusal(&["compare", "--format", "table", "--columns", "residual"]),
        "popdelta: error: --columns residual: the residual is the change less natural \
         increase less net migration as published: name the published figures with \
         --migration-col, beside --births-col and --deaths-col"
    );
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "plain.csv", "region,2016,2017\nA,10,12\n");
    assert_eq!(
        refusal(&[
            "compare",
            &plain,
            "--format",
            "table",
            "--columns",
            "net_migration"
        ]),
        "popdelta: error: --columns net_migration: the data has no components of change: \
         name births and deaths with --births-col and --deaths-col (or the rate columns)"
    );
    assert_eq!(
        refusal(&[
            "trend",
            &plain,
            "--format",
            "table",
            "--columns",
            "region_zh"
        ]),
        "popdelta: error: --columns region_zh: the table shows Chinese names beside the \
         others only with --names both, for data that has them"
    );
}

#[test]
fn popdelta_csv_and_workbook_read_back_add_no_empty_group_row() {
    // Before: a row `group,,,15,16,1,6.667` for the regions of no group.
    let dir = tempfile::tempdir().unwrap();
    let plain = write(
        dir.path(),
        "plain.csv",
        "region,2016,2017\nA,10,12\nB,5,4\n",
    );
    let first = stdout_of(&["compare", &plain, "--format", "csv"]);
    assert_eq!(
        first,
        "level,region,group,pop_2016,pop_2017,change,change_pct\n\
         region,A,,10,12,2,20.000\n\
         region,B,,5,4,-1,-20.000\n\
         total,,,15,16,1,6.667\n"
    );
    let csv = write(dir.path(), "own.csv", &first);
    assert_eq!(stdout_of(&["compare", &csv, "--format", "csv"]), first);
    let book = dir.path().join("own.xlsx").display().to_string();
    stdout_of(&["compare", &plain, "--output", &book]);
    assert_eq!(stdout_of(&["compare", &book, "--format", "csv"]), first);
}
