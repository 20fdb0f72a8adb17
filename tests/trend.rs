//! `popdelta trend`: the statistics of every series, checked against the issue's figures,
//! against an independent computation from the bundled file, and on small files with gaps.

mod common;

use std::collections::BTreeMap;

use common::popdelta;

/// Runs popdelta and gives its standard output; it must succeed.
fn run(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// CSV rows by `level/region/group`, each as column -> field.
fn rows(csv_text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect();
            (format!("{}/{}/{}", &r[0], &r[1], &r[2]), row)
        })
        .collect()
}

/// One field of one row.
fn field<'a>(
    rows: &'a BTreeMap<String, BTreeMap<String, String>>,
    key: &str,
    col: &str,
) -> &'a str {
    &rows[key][col]
}

#[test]
fn the_issues_figures_for_the_revised_series() {
    let out = run(&["trend", "--dataset", "china-revised", "--group-by", "none"]);
    let r = rows(&out);
    let get = |region: &str, col: &str| field(&r, &format!("region/{region}/"), col).to_owned();
    assert_eq!(get("Heilongjiang", "first_year"), "2005");
    assert_eq!(get("Heilongjiang", "last_year"), "2024");
    assert_eq!(get("Heilongjiang", "peak_year"), "2010");
    assert_eq!(get("Heilongjiang", "peak"), "38330000");
    assert_eq!(get("Heilongjiang", "years_down"), "14");
    assert_eq!(get("Heilongjiang", "decline_streak"), "14");
    assert_eq!(get("Heilongjiang", "cagr_pct"), "-1.214");
    assert_eq!(get("Jilin", "peak_year"), "2010");
    assert_eq!(get("Jilin", "decline_streak"), "14");
    assert_eq!(get("Jilin", "cagr_pct"), "-0.833");
    assert_eq!(get("Liaoning", "peak_year"), "2011");
    assert_eq!(get("Liaoning", "decline_streak"), "13");
    assert_eq!(get("Beijing", "peak_year"), "2016");
    assert_eq!(get("Beijing", "years_down"), "6");
    assert_eq!(get("Beijing", "longest_decline"), "4");
    assert_eq!(get("Beijing", "decline_streak"), "1");
    assert_eq!(get("Beijing", "cagr_pct"), "1.860");
    assert_eq!(get("Guangdong", "peak_year"), "2024");
    assert_eq!(get("Guangdong", "decline_streak"), "0");
    // The total of the 31 regions, 2005 and 2024.
    assert_eq!(field(&r, "total//", "pop_first"), "1286040000");
    assert_eq!(field(&r, "total//", "pop_last"), "1406280000");
}

/// The statistics of every region, computed here another way from the bundled file: the
/// CLI's figures must be the same for all 31.
#[test]
fn every_region_agrees_with_an_independent_computation() {
    let text = std::fs::read_to_string("data/provinces-revised.csv").unwrap();
    let mut series: BTreeMap<String, Vec<(i32, i64)>> = BTreeMap::new();
    for rec in csv::Reader::from_reader(text.as_bytes()).records() {
        let rec = rec.unwrap();
        let year: i32 = rec[2].parse().unwrap();
        let pop: i64 = rec[3].parse::<i64>().unwrap() * 10_000;
        series
            .entry(rec[1].to_owned())
            .or_default()
            .push((year, pop));
    }
    assert_eq!(series.len(), 31);
    let out = run(&["trend", "--dataset", "china-revised", "--group-by", "none"]);
    let r = rows(&out);
    for (region, mut points) in series {
        points.sort();
        let values: Vec<i64> = points.iter().map(|p| p.1).collect();
        let years: Vec<i32> = points.iter().map(|p| p.0).collect();
        assert_eq!(years, (2005..=2024).collect::<Vec<_>>(), "{region}");
        let max = *values.iter().max().unwrap();
        let min = *values.iter().min().unwrap();
        let peak_year = years[values.iter().rposition(|&v| v == max).unwrap()];
        let trough_year = years[values.iter().rposition(|&v| v == min).unwrap()];
        let down: Vec<bool> = values.windows(2).map(|w| w[1] < w[0]).collect();
        let years_down = down.iter().filter(|&&d| d).count();
        let longest = down.split(|&d| !d).map(<[bool]>::len).max().unwrap();
        let streak = down.iter().rev().take_while(|&&d| d).count();
        let (a, b) = (values[0] as f64, values[values.len() - 1] as f64);
        let cagr = ((b / a).ln() / 19.0).exp_m1() * 100.0;
        let expect = [
            ("pop_first", values[0].to_string()),
            ("pop_last", values[19].to_string()),
            ("change", (values[19] - values[0]).to_string()),
            ("peak_year", peak_year.to_string()),
            ("peak", max.to_string()),
            ("trough_year", trough_year.to_string()),
            ("trough", min.to_string()),
            ("years_down", years_down.to_string()),
            ("longest_decline", longest.to_string()),
            ("decline_streak", streak.to_string()),
            ("cagr_pct", format!("{cagr:.3}")),
        ];
        for (col, want) in expect {
            let got = field(&r, &format!("region/{region}/"), col);
            assert_eq!(got, want, "{region} {col}");
        }
    }
}

/// A user's file of five years in which one region lacks a middle year: its own figures
/// over the years it has (runs broken at the gap), left out of the total, and named. The
/// total of the other two is 1,300 in every year but 2022 (1,315): its peak, and one year
/// down, still going on.
#[test]
fn a_region_missing_a_middle_year() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("towns.csv");
    std::fs::write(
        &file,
        "region,year,population\n\
         Ashby,2019,1000\nAshby,2020,990\nAshby,2021,980\nAshby,2022,985\nAshby,2023,970\n\
         Brill,2019,500\nBrill,2020,490\nBrill,2022,470\nBrill,2023,460\n\
         Cole,2019,300\nCole,2020,310\nCole,2021,320\nCole,2022,330\nCole,2023,330\n",
    )
    .unwrap();
    let out = popdelta()
        .arg("trend")
        .arg(&file)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "level,region,group,first_year,last_year,pop_first,pop_last,change,change_pct,cagr_pct,peak_year,peak,trough_year,trough,years_down,longest_decline,decline_streak\n\
         region,Ashby,,2019,2023,1000,970,-30,-3.000,-0.759,2019,1000,2023,970,3,2,1\n\
         region,Brill,,2019,2023,500,460,-40,-8.000,-2.063,2019,500,2023,460,2,1,1\n\
         region,Cole,,2019,2023,300,330,30,10.000,2.411,2023,330,2019,300,0,0,0\n\
         total,,,2019,2023,1300,1300,0,0.000,0.000,2022,1315,2023,1300,1,1,1\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "1 region lacks a year of the range: left out of the group and total rows, their \
             own statistics over the years they have: Brill (no 2021)"
        ),
        "{stderr}"
    );
}

#[test]
fn yearly_gives_every_consecutive_pair() {
    let out = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--from",
        "2019",
        "--yearly",
    ]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "level",
            "region",
            "group",
            "from",
            "to",
            "pop_from",
            "pop_to",
            "change",
            "change_pct"
        ]
    );
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let beijing: Vec<&csv::StringRecord> = records.iter().filter(|r| &r[1] == "Beijing").collect();
    assert_eq!(beijing.len(), 5);
    assert_eq!(
        beijing.iter().map(|r| &r[7]).collect::<Vec<_>>(),
        ["-10000", "0", "-50000", "20000", "-30000"]
    );
    // 31 regions, 2 groups and the total, 5 pairs each.
    assert_eq!(records.len(), (31 + 2 + 1) * 5);
    // The steps of the total add up to its change over the range.
    let total: i64 = records
        .iter()
        .filter(|r| &r[0] == "total")
        .map(|r| r[7].parse::<i64>().unwrap())
        .sum();
    let trend = rows(&run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--from",
        "2019",
    ]));
    assert_eq!(total.to_string(), field(&trend, "total//", "change"));
}

#[test]
fn yearly_on_the_first_published_series_carries_the_components() {
    let out = run(&[
        "trend",
        "--yearly",
        "--region",
        "Liaoning",
        "--group-by",
        "none",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "level,region,group,from,to,pop_from,pop_to,change,change_pct,natural_increase,net_migration,net_migration_per_1000"
    );
    // 2016 -> 2017 as `compare` gives it: the report's -91,000 is -89,000 here.
    assert!(
        lines.contains(
            &"region,Liaoning,,2016,2017,43778000,43689000,-89000,-0.203,-19243,-69757,-1.595"
        ),
        "{out}"
    );
}

#[test]
fn ranking_and_filters_as_in_compare() {
    let out = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--group-by",
        "none",
        "--sort",
        "decline_streak",
        "--reverse",
        "--top",
        "3",
    ]);
    let names: Vec<String> = rows(&out)
        .values()
        .filter(|r| r["level"] == "region")
        .map(|r| format!("{} {}", r["region"], r["decline_streak"]))
        .collect();
    // BTreeMap order: by name; the three longest streaks still going on.
    assert_eq!(names, ["Heilongjiang 14", "Jilin 14", "Liaoning 13"]);
    let out = run(&["trend", "--dataset", "china-revised", "--declining"]);
    let declining: Vec<String> = rows(&out)
        .values()
        .filter(|r| r["level"] == "region")
        .map(|r| r["region"].clone())
        .collect();
    assert_eq!(
        declining,
        [
            "Gansu",
            "Heilongjiang",
            "Inner Mongolia",
            "Jilin",
            "Liaoning"
        ]
    );
    // The total still sums all 31.
    assert!(
        out.contains("total,,,2005,2024,1286040000,1406280000,"),
        "{out}"
    );
}

#[test]
fn years_out_of_the_data_or_in_the_wrong_order_are_refused() {
    let out = popdelta()
        .args(["trend", "--dataset", "china-revised", "--from", "2000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(
            "popdelta: error: year 2000 is not in the data (china-revised has 2005-2024); \
             pick --from and --to among those"
        ),
        "{err}"
    );
    let out = popdelta()
        .args(["trend", "--from", "2017", "--to", "2016"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "popdelta: error: --from 2017 must be before --to 2016\n"
    );
}

#[test]
fn a_range_of_one_year_says_which_years_there_are() {
    let out = popdelta()
        .args(["trend", "--dataset", "china-revised", "--from", "2024"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "popdelta: error: china-revised holds figures for 2024 alone in the years asked for; a \
         trend needs two or more (it has 2005-2024)\n"
    );
}

/// Census years: a step is five years, and the footer says so; a region that begins
/// late shows its first year beside its first population.
#[test]
fn years_five_apart_are_steps_of_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("census.csv");
    std::fs::write(
        &file,
        "region,year,population
A,2000,100
A,2005,90
A,2010,95
B,2005,50
B,2010,40
",
    )
    .unwrap();
    let out = popdelta()
        .arg("trend")
        .arg(&file)
        .args(["--format", "table", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("The data holds 2000, 2005, 2010: a year is compared with the one before it in the data."),
        "{text}"
    );
    let b = text.lines().find(|l| l.starts_with(" B ")).unwrap();
    let cells: Vec<&str> = b
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "B",
            "50 (2005)",
            "40",
            "-10",
            "-20.000",
            "-4.365",
            "2005",
            "1",
            "1",
            "1",
            "█▁"
        ]
    );
}

#[test]
fn the_table_has_a_sparkline_per_row() {
    let out = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--format",
        "table",
        "--ascii",
        "--color",
        "never",
    ]);
    insta::assert_snapshot!("trend_table_ascii", out);
    let out = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--region",
        "Jilin",
        "--format",
        "table",
        "--color",
        "never",
    ]);
    assert!(out.contains("▇▇▇▇▇█▇▇▆▆▅▅▄▃▃▂▁▁▁▁"), "{out}");
}

#[test]
fn json_rows_carry_every_column() {
    let out = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--region",
        "Beijing",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["first_year"], 2005);
    assert_eq!(doc["years"].as_array().unwrap().len(), 20);
    let row = &doc["rows"][0];
    assert_eq!(row["region"], "Beijing");
    assert_eq!(row["region_zh"], "北京");
    assert_eq!(row["peak_year"], 2016);
    // Ratios are written with their three decimals, never through a float.
    assert!(out.contains("\"cagr_pct\": 1.860,"), "{out}");
    let columns: Vec<&str> = doc["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for col in &columns[3..] {
        assert!(row.get(*col).is_some(), "{col}");
    }
    let out = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--from",
        "2019",
        "--yearly",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["rows"].as_array().unwrap().len(), (31 + 2 + 1) * 5);
    assert_eq!(doc["rows"][0]["change"], -10000);
}

#[test]
fn the_svg_is_well_formed_and_names_each_series_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("ne.svg");
    popdelta()
        .args([
            "trend",
            "--dataset",
            "china-revised",
            "--group-by",
            "nbs-regions",
            "--region",
            "Liaoning",
            "--region",
            "Jilin",
            "--region",
            "Heilongjiang",
            "--format",
            "csv",
            "--svg",
        ])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("font-weight") == Some("bold"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        titles,
        [
            "Population 2005 to 2024, persons",
            "east (group)",
            "central (group)",
            "west (group)",
            "Liaoning",
            "Jilin",
            "Heilongjiang",
            "northeast (group)",
            "total"
        ]
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .count(),
        8
    );
}

#[test]
fn trend_claims_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("claims.csv");
    std::fs::write(
        &claims,
        "id,subject,from,to,metric,op,value,tolerance,quote\n\
         1,Heilongjiang,2010,2024,decline_streak,=,14,,shrunk every year since 2010\n\
         2,Beijing,2005,2024,peak_year,=,2016,,\n\
         3,Jilin,2005,2024,cagr_pct,=,-0.833,,\n\
         4,Guangdong,2005,2024,years_down,=,0,,\n\
         5,Beijing,2005,2024,longest_decline,>,4,,\n",
    )
    .unwrap();
    let out = popdelta()
        .arg("check")
        .arg(&claims)
        .args(["--dataset", "china-revised", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let verdicts: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {} {}", &r[0], &r[7], &r[11])
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            "1 14 holds",
            "2 2016 holds",
            "3 -0.833 holds",
            "4 1 does not hold",
            "5 4 does not hold"
        ]
    );
}

/// Regression: a group none of whose regions has every year made the table index past its
/// row's cells (a panic), and drew a flat sparkline of zeros.
#[test]
fn a_group_without_a_complete_region_shows_empty_cells() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.csv");
    std::fs::write(
        &file,
        "region,group,2015,2016,2017\nA,x,10,11,12\nB,y,,5,6\n",
    )
    .unwrap();
    let out = popdelta()
        .args([
            "trend",
            file.to_str().unwrap(),
            "--group-by",
            "group",
            "--format",
            "table",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let y = text
        .lines()
        .find(|l| l.starts_with(" y: 0 of 0 down"))
        .unwrap();
    assert_eq!(y.trim_end(), " y: 0 of 0 down");
    assert!(text.contains(" B "), "{text}");
}
