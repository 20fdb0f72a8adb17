//! `popdelta vintages`: the bundled figures as first published beside the revised ones.

mod common;

use common::popdelta;

fn run(args: &[&str]) -> String {
    let out = popdelta().arg("vintages").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn beijing_2017_as_first_published_and_as_revised() {
    assert_eq!(
        run(&["--region", "北京", "--from", "2017", "--to", "2017"]),
        "region,region_zh,year,first_published,revised,difference,difference_pct,confidence_first,confidence_revised\n\
         Beijing,北京,2017,21707000,21940000,233000,1.073,high,\n"
    );
}

#[test]
fn every_region_and_year_both_hold_in_every_format() {
    let csv = run(&[]);
    // 31 regions x 2015-2018, and the header.
    assert_eq!(csv.lines().count(), 31 * 4 + 1);
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 124);
    let beijing = rows
        .iter()
        .find(|r| r["region"] == "Beijing" && r["year"] == 2017)
        .unwrap();
    assert_eq!(beijing["first_published"], 21_707_000);
    assert_eq!(beijing["revised"], 21_940_000);
    assert_eq!(beijing["difference"], 233_000);
    let ndjson = run(&["--format", "ndjson"]);
    assert_eq!(ndjson.lines().count(), 124);
    let table = run(&[
        "--region", "Beijing", "--format", "table", "--color", "never",
    ]);
    assert!(
        table.contains(
            " Beijing   北京   2017        21,707,000   21,940,000     +233,000   +1.073 "
        ),
        "{table}"
    );
    let md = run(&["--region", "Beijing", "--format", "markdown"]);
    assert!(
        md.contains("| Beijing | 北京 | 2017 | 21,707,000 | 21,940,000 | +233,000 | +1.073 |"),
        "{md}"
    );
}

#[test]
fn years_neither_vintage_holds_are_refused() {
    let out = popdelta()
        .args(["vintages", "--from", "2020"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "popdelta: error: both vintages hold 2015, 2016, 2017, 2018; none of them is in the years asked for\n"
    );
}
