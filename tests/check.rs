//! `popdelta check`: claims against the bundled data and against files.

mod common;

use std::collections::HashMap;

use common::{STATE_OPTIONS, STATES, popdelta};

const HEADER: &str = "id,subject,from,to,metric,op,value,tolerance,quote\n";

fn verdicts(csv_text: &[u8]) -> HashMap<String, (String, String, String)> {
    let mut rdr = csv::Reader::from_reader(csv_text);
    rdr.records()
        .map(Result::unwrap)
        .map(|r| {
            (
                r[0].to_owned(),
                (r[9].to_owned(), r[7].to_owned(), r[10].to_owned()),
            )
        })
        .collect()
}

fn claims_file(dir: &tempfile::TempDir, rows: &str) -> String {
    let p = dir.path().join("claims.csv");
    std::fs::write(&p, format!("{HEADER}{rows}")).unwrap();
    p.display().to_string()
}

#[test]
fn the_2018_report_against_the_bundled_data() {
    let out = popdelta().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "some claims do not hold");
    let v = verdicts(&out.stdout);
    for id in ["1", "2", "5", "12"] {
        assert_eq!(v[id].0, "holds", "claim {id}");
    }
    for id in ["3", "4", "6", "7", "8", "9", "10", "11"] {
        assert_eq!(v[id].0, "does not hold", "claim {id}");
    }
    assert_eq!(v["3"].1, "-52500");
    assert_eq!(v["4"].1, "-89000");
    assert_eq!(v["6"].1, "-69757");
    assert_eq!(v["12"].1, "-1.736");
    let table = popdelta()
        .args(["check", "--format", "table"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("12 claims: 4 hold, 8 do not hold, 0 cannot be checked."));
    assert!(table.contains("[6] More than 70,000 permanent residents in Liaoning have left"));
}

#[test]
fn claims_that_all_hold_exit_0_covering_each_operator_and_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let file = claims_file(
        &dir,
        "a,Beijing,2016,2017,change,=,-22000,,exact\n\
         b,Tianjin,2016,2017,change,=,-55000,2500,persons\n\
         c,天津,2016,2017,change,=,-55000,5%,percent\n\
         d,CN-LN,2016,2017,net_migration,<,-69000,,lt\n\
         e,Liaoning,2016,2017,natural_increase,<=,-19243,,le\n\
         f,south,2016,2017,net_migration_per_1000,>,0,,group gt\n\
         g,north,2016,2017,change,>=,2193900,,group ge\n\
         h,total,2016,2017,population,=,1388333200,,total\n\
         i,Beijing,2016,2017,change_pct,=,-0.1,0.01,ratio\n\
         j,south,2016,2017,net_migration_per_1000,>,north,,subject vs subject\n\
         k,Jilin,2015,2018,change,<,Liaoning,,other years\n",
    );
    let out = popdelta().args(["check", &file]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(verdicts(&out.stdout).values().all(|v| v.0 == "holds"));
}

#[test]
fn a_tolerance_too_small_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let file = claims_file(&dir, "a,Tianjin,2016,2017,change,=,-55000,4.5%,\n");
    let out = popdelta().args(["check", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(verdicts(&out.stdout)["a"].0, "does not hold");
}

#[test]
fn what_cannot_be_checked_says_why_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = claims_file(
        &dir,
        "a,Atlantis,2016,2017,change,=,0,,\nb,Beijing,2016,2019,change,=,0,,\n",
    );
    let out = popdelta().args(["check", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = verdicts(&out.stdout);
    assert_eq!(v["a"].0, "cannot check");
    assert_eq!(v["a"].2, "no region or group \"Atlantis\" in the data");
    assert!(
        v["b"].2.starts_with("year 2019 is not in the data"),
        "{:?}",
        v["b"]
    );
}

#[test]
fn a_malformed_claims_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = claims_file(
        &dir,
        "a,Beijing,2016,2017,change,=,0,,\nb,Beijing,2016,2017,change,=>,0,,\n",
    );
    popdelta()
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "claims.csv:3:op: unknown operator (found \"=>\"); use =, <, <=, > or >=",
        ));
}

#[test]
fn claims_against_a_census_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = claims_file(
        &dir,
        "tx,Texas,2016,2017,change,=,399734,,\ntc,Texas,2016,2017,change,>,California,,\n\
         ne,1,2016,2017,change,<,200000,,the Northeast (census region 1) grew little\n",
    );
    let out = popdelta()
        .args(["check", &file, STATES])
        .args(STATE_OPTIONS)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
