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
                (r[11].to_owned(), r[7].to_owned(), r[12].to_owned()),
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
    for id in ["1", "2", "5", "12", "13", "14", "15", "16"] {
        assert_eq!(v[id].0, "holds", "claim {id}");
    }
    for id in ["3", "4", "7", "8", "9", "10", "11"] {
        assert_eq!(v[id].0, "does not hold", "claim {id}");
    }
    // 243 persons short of the claim, on a residual good to ±1,219: 4377.8 and 4368.9
    // (10,000s) are ±500 each, the natural growth rate -0.44 per mille ±219 persons.
    assert_eq!(v["6"].0, "within precision");
    assert_eq!(v["3"].1, "-52500");
    assert_eq!(v["4"].1, "-89000");
    assert_eq!(v["6"].1, "-69757");
    assert_eq!(v["12"].1, "-1.736");
    // The report's cities (first published city figures) and Beijing's cap (revised series).
    assert_eq!(v["13"].1, "280000");
    assert_eq!(v["14"].1, "127100");
    assert_eq!(v["15"].1, "126700");
    assert_eq!(v["16"].1, "21890000");
    let rows = String::from_utf8(out.stdout.clone()).unwrap();
    let dataset = |id: &str| {
        rows.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .and_then(|l| l.rsplit(',').next())
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        ["1", "13", "16"].map(dataset),
        ["china", "china-cities", "china-revised"]
    );
    let table = popdelta()
        .args(["check", "--format", "table"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains(
        "16 claims: 8 hold, 1 within precision, 0 on unverified data, 7 do not hold, 0 cannot \
         be checked."
    ));
    assert!(table.contains("[6] More than 70,000 permanent residents in Liaoning have left"));
    assert!(table.contains(" 16   Beijing          china-revised   population               2020        < 23,000,000 "), "{table}");
}

#[test]
fn a_claim_names_an_unknown_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.csv");
    std::fs::write(
        &p,
        "id,subject,from,to,metric,op,value,tolerance,quote,dataset
         a,Hangzhou,2016,2017,change,>,0,,,china-towns
",
    )
    .unwrap();
    let out = popdelta()
        .args(["check", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("c.csv:2:dataset: no such bundled dataset (found \"china-towns\"); use china, china-revised, china-cities"), "{err}");
}

/// A medium-confidence figure turns a verdict to `unverified data` only where the verdict
/// depends on it: Chengdu's +127,100 is good to ±100 (two figures to the 100), and two
/// medium figures may be off by 100 more each.
#[test]
fn medium_city_figures_make_a_verdict_unverified_only_where_it_depends_on_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.csv");
    std::fs::write(
        &p,
        "id,subject,from,to,metric,op,value,tolerance,quote,dataset\n\
         a,Chengdu,2016,2017,change,>,120000,,,china-cities\n\
         b,成都,2016,2017,change,>,127000,,,china-cities\n\
         c,Chengdu,2016,2017,change,>,127300,,,china-cities\n\
         d,Chengdu,2016,2017,change,>,127500,,,china-cities\n",
    )
    .unwrap();
    let out = popdelta()
        .args(["check", p.to_str().unwrap()])
        .output()
        .unwrap();
    let v = verdicts(&out.stdout);
    assert_eq!(v["a"].0, "holds");
    assert_eq!(v["b"].0, "unverified data");
    assert_eq!(v["c"].0, "unverified data");
    assert_eq!(v["d"].0, "does not hold");
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
    // Tianjin 2016 is of low confidence: were it off by as much as that allows, b and c
    // would not hold. g claims the north's change is at least what the data says it is
    // (a difference of 0): it holds, however far the data may be off.
    for (id, v) in verdicts(&out.stdout) {
        let expected = if ["b", "c"].contains(&id.as_str()) {
            "unverified data"
        } else {
            "holds"
        };
        assert_eq!(v.0, expected, "{id}");
    }
}

#[test]
fn a_tolerance_too_small_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    // Liaoning's change is -89,000 (±1,000): 1% of -91,000 (910) does not reach it, 2%
    // (1,820) reaches it within the precision.
    let file = claims_file(
        &dir,
        "a,Liaoning,2016,2017,change,=,-91000,1%,\nb,Liaoning,2016,2017,change,=,-91000,2%,\n",
    );
    let out = popdelta().args(["check", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = verdicts(&out.stdout);
    assert_eq!(v["a"].0, "does not hold");
    assert_eq!(v["b"].0, "within precision");
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

/// Figures below high confidence: a verdict that their slack could turn is on unverified
/// data; one it could not turn stands.
#[test]
fn verdicts_resting_on_figures_below_high_confidence() {
    let dir = tempfile::tempdir().unwrap();
    // Tibet 2016 (330.54, no stored source: up to 100 units of 100 persons further) and
    // Tianjin 2016 (1562.12, low: up to 10 units), against figures of high confidence.
    let file = claims_file(
        &dir,
        "a,Tibet,2016,2017,change,>,65000,,\n\
         b,Tibet,2016,2017,change,>,0,,\n\
         c,Tianjin,2016,2017,change,<,-52000,,\n\
         d,Tianjin,2016,2017,change,<,-50000,,\n",
    );
    let out = popdelta()
        .args(["check", &file, "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {} {} {} {}", &r[0], &r[7], &r[9], &r[10], &r[11])
        })
        .collect();
    assert_eq!(
        rows,
        [
            "a 66100 100 10000 unverified data",
            "b 66100 100 10000 holds",
            "c -52500 100 1000 unverified data",
            "d -52500 100 1000 holds",
        ]
    );
    // Neither refutes a claim: exit 0.
    assert_eq!(out.status.code(), Some(0));
}

/// The revised series is in whole 10,000s: Beijing's 2017 change, -10,000 there, is good
/// to ±10,000, and the reported -22,000 lies outside that.
#[test]
fn whole_ten_thousands_bound_a_change_by_ten_thousand() {
    let dir = tempfile::tempdir().unwrap();
    let file = claims_file(
        &dir,
        "a,Beijing,2016,2017,change,=,-22000,,\nb,Beijing,2016,2017,change,=,-15000,,\n",
    );
    let out = popdelta()
        .args([
            "check",
            &file,
            "--dataset",
            "china-revised",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let v = verdicts(&out.stdout);
    assert_eq!(v["a"].0, "does not hold");
    assert_eq!(v["a"].1, "-10000");
    assert_eq!(v["b"].0, "within precision");
}

/// JSON rows carry each figure's precision and confidence: Tibet 2016 has no stored source.
#[test]
fn json_rows_carry_precision_and_confidence() {
    let out = popdelta()
        .args(["compare", "--region", "Tibet", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let tibet = rows.iter().find(|r| r["region"] == "Tibet").unwrap();
    assert_eq!(tibet["confidence_from"], "unverified");
    assert_eq!(tibet["confidence_to"], "high");
    // 330.54 and 337.15 (10,000s): ±50 persons each.
    assert_eq!(tibet["precision_from"], 50);
    assert_eq!(tibet["precision"], 100);
}

/// `--quality` adds three columns that read back as written.
#[test]
fn quality_csv_round_trips() {
    let out = popdelta()
        .args(["compare", "--quality", "--group-by", "none"])
        .output()
        .unwrap();
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[header.len() - 3..],
        ["confidence_from", "confidence_to", "precision"]
    );
    let rows: HashMap<String, csv::StringRecord> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (format!("{}/{}", &r[0], &r[1]), r)
        })
        .collect();
    let n = header.len();
    let tianjin = &rows["region/Tianjin"];
    assert_eq!(
        (&tianjin[n - 3], &tianjin[n - 2], &tianjin[n - 1]),
        ("low", "high", "100")
    );
    let total = &rows["total/"];
    // The lowest confidence of the 31 regions' 2016 figures, and the sum of their bounds.
    assert_eq!(&total[n - 3], "unverified");
    let sum: i64 = rows
        .iter()
        .filter(|(k, _)| k.starts_with("region/"))
        .map(|(_, r)| r[n - 1].parse::<i64>().unwrap())
        .sum();
    assert_eq!(total[n - 1].parse::<i64>().unwrap(), sum);
    // Without --quality the columns are not there.
    let plain = popdelta().args(["compare"]).output().unwrap();
    assert!(
        !String::from_utf8(plain.stdout)
            .unwrap()
            .contains("precision")
    );
}

/// Regression: the JSON report's keys came out sorted (id, metric, op, ...), not in the
/// columns' order.
#[test]
fn json_keys_keep_the_columns_order() {
    let out = popdelta()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("{\n  \"summary\": \"16 claims: "),
        "{text}"
    );
    let first: Vec<&str> = text
        .lines()
        .skip(4)
        .take(6)
        .map(|l| l.trim().split(':').next().unwrap())
        .collect();
    assert_eq!(
        first,
        [
            "\"id\"",
            "\"subject\"",
            "\"metric\"",
            "\"from\"",
            "\"to\"",
            "\"op\""
        ]
    );
    assert!(text.contains("\"quote\": \"The permanent populations in Beijing"));
}

#[test]
fn a_claims_file_in_a_legacy_encoding_is_read_as_the_data_would_be() {
    // Latin-1 (Café in a quote), GBK (北京 as the subject): guessed, no flag.
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.csv");
    std::fs::write(
        &latin1,
        b"id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,change,=,-22000,,Caf\xe9\n",
    )
    .unwrap();
    let out = popdelta()
        .args(["check", &latin1.display().to_string(), "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(",holds,,Café,china"), "{text}");
    let gbk = dir.path().join("gbk.csv");
    let (bytes, _, _) = encoding_rs::GBK
        .encode("id,subject,from,to,metric,op,value,tolerance,quote\n1,北京,2016,2017,change,=,-22000,,常住人口减少\n");
    std::fs::write(&gbk, &bytes).unwrap();
    let out = popdelta()
        .args(["check", &gbk.display().to_string(), "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("1,北京,change,2016,2017,=,-22000,-22000,0,"),
        "{text}"
    );
}

#[test]
fn a_group_labelled_by_a_number_is_a_subject() {
    // Census regions are numbered 1-4: the claim's subject "3" is the South's group.
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("c.csv");
    std::fs::write(
        &claims,
        "id,subject,from,to,metric,op,value,tolerance,quote\n1,3,2016,2017,change,=,1235167,,\n",
    )
    .unwrap();
    let out = popdelta()
        .args([
            "check",
            &claims.display().to_string(),
            "tests/data/us-census/nst-est2017-alldata.csv",
        ])
        .args([
            "--where",
            "SUMLEV=40",
            "--region-col",
            "NAME",
            "--value-col",
            "POPESTIMATE{year}",
        ])
        .args(["--group-by", "REGION", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("1,3,change,2016,2017,=,1235167,1235167,0,"),
        "{text}"
    );
}

#[test]
fn a_claim_typed_on_the_command_line_is_judged_without_a_file() {
    let out = popdelta()
        .args(["check", "--claim", "Beijing change 2016 2017 = -22000"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("holds"), "{text}");
    // Repeatable; a subject of several words; tolerance and dataset in order.
    let out = popdelta()
        .args(["check", "--format", "csv"])
        .args(["--claim", "Inner Mongolia change 2016 2017 < 0"])
        .args(["--claim", "Jilin change 2016 2017 = -155000 1000 china"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("claim 1,Inner Mongolia,change,2016,2017,<,0,85000,85000,"),
        "{text}"
    );
    assert!(
        text.contains("claim 2,Jilin,change,2016,2017,=,-155000,-156000,"),
        "{text}"
    );
    assert!(
        text.contains(",holds,,Jilin change 2016 2017 = -155000 1000 china,china"),
        "{text}"
    );
    // With --claim, the first argument is a data file.
    let out = popdelta()
        .args([
            "check",
            "--claim",
            "California change 2016 2017 > 0",
            STATES,
        ])
        .args([
            "--where",
            "SUMLEV=40",
            "--region-col",
            "NAME",
            "--value-col",
            "POPESTIMATE{year}",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("claim 1,California,change,2016,2017,>,0,240177,"),
        "{text}"
    );
}

#[test]
fn free_text_where_a_claims_file_goes_is_refused_naming_claim() {
    let out = popdelta()
        .args(["check", "Beijing change 2016 2017 = -22000"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "\"Beijing change 2016 2017 = -22000\" is no claims file; to judge one claim, give \
             it to --claim: SUBJECT METRIC FROM TO OP VALUE [TOLERANCE [DATASET]]"
        ),
        "{err}"
    );
    let out = popdelta()
        .args(["check", "--claim", "Beijing fell"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "--claim \"Beijing fell\": no operator (=, <, <=, > or >=); a claim is SUBJECT \
             METRIC FROM TO OP VALUE"
        ),
        "{err}"
    );
}

/// `check --claim CLAIM... FILE --group-by grp --format csv`: (exit code, stdout).
fn check_claims(file: &str, claims: &[&str], extra: &[&str]) -> (Option<i32>, String) {
    let mut cmd = popdelta();
    cmd.arg("check");
    for c in claims {
        cmd.args(["--claim", c]);
    }
    let out = cmd
        .arg(file)
        .args(extra)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_subject_both_a_group_and_a_region_is_refused_unless_the_claim_says_which() {
    // Before: region A grew by 10, and "A change 2016 2017 = 0" held (the group A), exit 0.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ab.csv");
    std::fs::write(
        &path,
        "region,grp,2016,2017\nA,B,100,110\nC,A,50,45\nD,A,20,25\n",
    )
    .unwrap();
    let file = path.display().to_string();
    let grouped = ["--group-by", "grp"];
    let (code, text) = check_claims(&file, &["A change 2016 2017 = 0"], &grouped);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "cannot check,\"\"\"A\"\" names both a group and a region (A); say group:A or \
             region:A\""
        ),
        "{text}"
    );
    let (code, text) = check_claims(
        &file,
        &[
            "region:A change 2016 2017 = 10",
            "group:A change 2016 2017 = 0",
            "group:B change 2016 2017 = 10",
        ],
        &grouped,
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("claim 1,region:A,change,2016,2017,=,10,10,0,"),
        "{text}"
    );
    assert!(
        text.contains("claim 2,group:A,change,2016,2017,=,0,0,0,"),
        "{text}"
    );
}

#[test]
fn a_total_word_is_checked_against_the_files_own_total_row() {
    // Before: 全国 was checked against the sum of the provinces, not the file's own row.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nation.csv");
    // The nation's row counts people in no province (the army, say): more than the sum.
    std::fs::write(
        &path,
        "地区,2016,2017\n全国,138271,139008\n北京,2173,2171\n上海,2420,2418\n",
    )
    .unwrap();
    let file = path.display().to_string();
    // A population takes one year (before: "2016 2016").
    let (code, text) = check_claims(&file, &["全国 population 2016 = 138271"], &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("claim 1,全国,population,2016,2016,=,138271,138271,0,"),
        "{text}"
    );
    // And says so.
    assert!(
        text.contains(
            ",holds,\"全国 is the data's own row of that name, not the sum of its regions\","
        ),
        "{text}"
    );
    // The sum of the regions is still "total" where the file has no row of that name.
    let (code, text) = check_claims(&file, &["total population 2016 = 4593"], &[]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_malformed_claim_says_which_part_is_wrong() {
    // Before: each only repeated the syntax.
    let form = "a claim is SUBJECT METRIC FROM TO OP VALUE [TOLERANCE [DATASET]] (SUBJECT \
                population YEAR OP VALUE for a population), e.g. --claim 'Beijing change 2016 \
                2017 = -22000'";
    for (claim, what) in [
        (
            "Beijing change 2016 2017 -22000",
            "no operator (=, <, <=, > or >=)",
        ),
        (
            "Beijing 2016 2017 = -22000",
            "before = come the subject, the metric and the years; found \"Beijing 2016 2017\"",
        ),
        (
            "Beijing chnage 2016 2017 = -22000",
            "\"chnage\" is no metric (population, change, change_pct, natural_increase, \
             net_migration, ...), or the years are not the two words before =",
        ),
        (
            "Beijing change 2016 2017 =",
            "nothing after =: the value, a number or another subject",
        ),
        (
            "Beijing change 2016 2017 = -22000 5 china and more",
            "after the value come at most a tolerance and a dataset; found \"5 china and more\"",
        ),
    ] {
        let out = popdelta()
            .args(["check", "--claim", claim])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{claim}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.trim_end(),
            format!("popdelta: error: --claim {claim:?}: {what}; {form}"),
        );
    }
}

#[test]
fn a_claim_over_a_reform_counts_every_person_once_as_compare_does() {
    // Mecklenburg-Vorpommern's Kreise were merged in 2011: its 2010 Kreise lack 2011 and
    // its 2011 Kreise lack 2010, so the sum of the regions is the Land's whole.
    let file = "tests/data/real/destatis-regionalstatistik-12411-01-01-4-kreise-1995-2015.csv";
    let (code, text) = check_claims(
        file,
        &[
            "total change 2010 2011 = -1423702",
            "Deutschland change 2010 2011 = -1423702",
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("claim 1,total,change,2010,2011,=,-1423702,-1423702,0,"),
        "{text}"
    );
}
