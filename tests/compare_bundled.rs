//! `popdelta compare` on the bundled China dataset, driven through the real binary.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::process::Stdio;

use common::popdelta;

/// Runs `popdelta compare ARGS` and returns stdout, asserting success and a quiet stderr.
fn compare(args: &[&str]) -> String {
    let out = popdelta().arg("compare").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    String::from_utf8(out.stdout).unwrap()
}

/// The CSV output read back with the csv crate: (level, region, group) -> row by column.
fn read_csv(text: &str) -> HashMap<(String, String, String), HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let mut rows = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let row: HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(rec.iter().map(str::to_owned))
            .collect();
        let key = (
            row["level"].clone(),
            row["region"].clone(),
            row["group"].clone(),
        );
        assert!(rows.insert(key, row).is_none(), "duplicate row");
    }
    rows
}

fn int(row: &HashMap<String, String>, col: &str) -> i64 {
    row[col].parse().unwrap()
}

fn region<'a>(
    rows: &'a HashMap<(String, String, String), HashMap<String, String>>,
    name: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|((level, r, _), _)| level == "region" && r == name)
        .map(|(_, row)| row)
        .unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn default_compare_in_a_pipe_is_csv_2016_to_2017() {
    let out = compare(&[]);
    assert_eq!(
        out.lines().next(),
        Some(
            "level,region,group,pop_2016,pop_2017,change,change_pct,natural_increase,\
             net_migration,net_migration_per_1000"
        )
    );
    // 31 regions, 2 groups, 1 total, 1 header.
    assert_eq!(out.lines().count(), 35);
}

#[test]
fn csv_reads_back_into_the_published_figures() {
    let rows = read_csv(&compare(&["--format", "csv"]));
    for (name, change) in [
        ("Beijing", -22_000),
        ("Shanghai", -13_700),
        ("Jilin", -156_000),
        ("Tianjin", -52_500),
        ("Liaoning", -89_000),
    ] {
        assert_eq!(int(region(&rows, name), "change"), change, "{name}");
    }
    assert_eq!(region(&rows, "Beijing")["change_pct"], "-0.101");
    assert_eq!(int(region(&rows, "Beijing"), "pop_2017"), 21_707_000);

    let north = &rows[&("group".into(), String::new(), "north".into())];
    assert_eq!(int(north, "pop_2016"), 578_846_300);
    assert_eq!(int(north, "pop_2017"), 581_040_200);
    let south = &rows[&("group".into(), String::new(), "south".into())];
    assert_eq!(int(south, "pop_2016"), 800_977_700);
    assert_eq!(int(south, "pop_2017"), 807_293_000);
    let total = &rows[&("total".into(), String::new(), String::new())];
    assert_eq!(int(total, "pop_2016"), 1_379_824_000);
    assert_eq!(int(total, "pop_2017"), 1_388_333_200);
    assert_eq!(int(total, "change"), 8_509_200);
}

#[test]
fn components_of_change_for_liaoning() {
    let rows = read_csv(&compare(&[]));
    let l = region(&rows, "Liaoning");
    assert_eq!(int(l, "natural_increase"), -19_243);
    assert_eq!(int(l, "net_migration"), -69_757);
    // Every printed row satisfies the balancing identity exactly.
    for row in rows.values() {
        assert_eq!(
            int(row, "natural_increase") + int(row, "net_migration"),
            int(row, "change")
        );
    }
    let per = |g: &str| -> String {
        rows[&("group".into(), String::new(), g.into())]["net_migration_per_1000"].clone()
    };
    assert_eq!(per("north"), "-1.736");
    assert_eq!(per("south"), "1.366");
}

#[test]
fn json_parses_and_holds_the_same_integers() {
    let out = compare(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["from"], 2016);
    assert_eq!(doc["to"], 2017);
    assert_eq!(doc["dataset"], "china");
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 34);
    let beijing = rows.iter().find(|r| r["region"] == "Beijing").unwrap();
    assert_eq!(beijing["change"], -22_000);
    assert_eq!(beijing["region_zh"], "北京");
    assert_eq!(beijing["change_pct"].to_string(), "-0.101");
    let total = rows.iter().find(|r| r["level"] == "total").unwrap();
    assert_eq!(total["pop_2017"], 1_388_333_200i64);
    assert_eq!(total["regions"], 31);
    assert_eq!(total["declined"], 6);
    assert_eq!(doc["excluded"].as_array().map(Vec::len), Some(0));
}

#[test]
fn any_pair_of_years_2015_to_2018() {
    let rows = read_csv(&compare(&["--from", "2015", "--to", "2018"]));
    let b = region(&rows, "Beijing");
    assert_eq!(int(b, "pop_2015"), 21_705_000);
    assert_eq!(int(b, "pop_2018"), 21_542_000);
    assert_eq!(int(b, "change"), -163_000);
    let rows = read_csv(&compare(&["--from", "2017", "--to", "2018"]));
    assert_eq!(int(region(&rows, "Beijing"), "change"), -165_000);
}

#[test]
fn table_has_names_separators_groups_and_footer() {
    let out = compare(&["--format", "table"]);
    assert!(out.contains(" Beijing "), "{out}");
    assert!(out.contains("北京"));
    assert!(out.contains("21,729,000"));
    assert!(out.contains("-22,000"));
    assert!(out.contains("+2,193,900"));
    assert!(out.contains("north: 5 of 15 down"));
    assert!(out.contains("total: 6 of 31 down"));
    assert!(out.contains("before the NBS revision after the 2020 census"));
    assert!(out.contains("include active military personnel and are"));
    assert!(out.contains("unverified: Tibet 2016, Qinghai 2016"));
}

#[test]
fn head_gets_the_header_and_one_row_and_stderr_stays_empty() {
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' compare | head -2", bin.display()))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.starts_with("level,region,group,pop_2016,pop_2017,change,change_pct"));
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("region,Beijing,north,21729000,")
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `data` writes more than a pipe buffer holds, so the write meets the closed pipe.
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    let mut child = std::process::Command::new(bin)
        .arg("data")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(err, "");
}

#[test]
fn a_year_outside_the_data_exits_2_naming_it() {
    popdelta()
        .args(["compare", "--from", "2014", "--to", "2017"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "popdelta: error: year 2014 is not in the data (china has 2015, 2016, 2017, 2018); \
             pick --from and --to among those\n",
        );
}

#[test]
fn years_in_the_wrong_order_exit_2() {
    popdelta()
        .args(["compare", "--from", "2017", "--to", "2016"])
        .assert()
        .code(2)
        .stderr("popdelta: error: --from 2017 must be before --to 2016\n");
}

#[test]
fn usage_errors_exit_2() {
    popdelta()
        .args(["compare", "--format", "xml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "invalid value 'xml' for '--format",
        ));
    popdelta()
        .args(["compare", "--from", "last"])
        .assert()
        .code(2);
    popdelta().assert().code(2);
}

#[test]
fn help_and_version_succeed() {
    popdelta()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "popdelta compare --from 2015 --to 2018",
        ));
    popdelta()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("popdelta {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn data_prints_every_figure_with_its_sources() {
    let out = popdelta().arg("data").output().unwrap();
    assert!(out.status.success());
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let header = rdr.headers().unwrap().clone();
    assert_eq!(&header[7], "population");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 124);
    let beijing_2017 = rows
        .iter()
        .find(|r| &r[2] == "Beijing" && &r[6] == "2017")
        .unwrap();
    assert_eq!(&beijing_2017[7], "21707000");
    assert_eq!(&beijing_2017[8], "2170.7");
    assert_eq!(&beijing_2017[12], "high");
    assert!(beijing_2017[13].contains("Beijing 2017 communique"));
}

#[test]
fn sources_groups_by_confidence_and_source() {
    let out = popdelta().arg("sources").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  unverified   2 figures: no stored source found\n"),
        "{text}"
    );
    assert!(text.contains("Tibet 2016; Qinghai 2016"));
    assert!(text.contains("  low          1 figure: only an unlabelled list\n"));
    assert!(text.contains("qimoqi888.com/a/xinwendongtai/330.html"));
    assert!(text.contains("2017  139008 x 10,000"));
}

#[test]
fn data_is_written_as_csv_tsv_json_or_ndjson_and_never_a_table() {
    let run = |format: &str| {
        let out = popdelta()
            .args(["data", "--format", format])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (_, csv, _) = run("csv");
    let (_, tsv, _) = run("tsv");
    assert_eq!(csv.lines().count(), tsv.lines().count());
    assert!(
        tsv.starts_with("code\tiso_3166_2\tregion\tregion_zh\t"),
        "{tsv}"
    );
    let (_, json, _) = run("json");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), csv.lines().count() - 1);
    let beijing_2017 = rows
        .iter()
        .find(|r| r["code"] == "110000" && r["year"] == "2017")
        .unwrap();
    assert_eq!(beijing_2017["population"], "21707000");
    let (_, ndjson, _) = run("ndjson");
    assert_eq!(ndjson.lines().count(), rows.len());
    // Keys in the columns' order.
    assert!(
        ndjson.starts_with("{\"code\":\"110000\",\"iso_3166_2\":\"CN-BJ\",\"region\":\"Beijing\""),
        "{ndjson}"
    );
    let (code, out, err) = run("table");
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("popdelta data writes csv, tsv, json or ndjson"),
        "{err}"
    );
}
