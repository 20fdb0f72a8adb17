//! The bundled china-cities dataset: the report's "second-tier cities", as first published.

mod common;

use common::popdelta;

fn ok(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn records(csv_text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_ten_cities_2016_to_2017_with_missing_years_never_zero() {
    let out = ok(&["compare", "--dataset", "china-cities", "--format", "csv"]);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(
        rows[0],
        "level,region,group,pop_2016,pop_2017,change,change_pct"
    );
    for expected in [
        "region,Hangzhou,Zhejiang,9188000,9468000,280000,3.047",
        "region,Chengdu,Sichuan,15917600,16044700,127100,0.798",
        "region,Wuhan,Hubei,10766200,10892900,126700,1.177",
        // Xi'an 2016 was not found: the row is there, its 2016 figure empty.
        "region,Xi'an,Shaanxi,,9616700,,",
        "group,,Shaanxi,,,,",
        "region,Tianjin,Tianjin,,15568700,,",
        "total,,,95633600,97484300,1850700,1.935",
    ] {
        assert!(rows.contains(&expected), "{expected}\n{out}");
    }
    assert_eq!(rows.iter().filter(|r| r.starts_with("region,")).count(), 10);
    let quality = ok(&["compare", "--dataset", "china-cities", "--quality"]);
    assert!(
        quality.contains(
            "\nregion,Chengdu,Sichuan,15917600,16044700,127100,0.798,medium,medium,100\n"
        )
    );
    assert!(
        quality
            .contains("\nregion,Hangzhou,Zhejiang,9188000,9468000,280000,3.047,high,high,1000\n")
    );
}

#[test]
fn json_carries_each_figures_confidence_and_source() {
    let out = ok(&["compare", "--dataset", "china-cities", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = |name: &str| {
        doc["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["region"] == name)
            .unwrap()
            .clone()
    };
    let hangzhou = row("Hangzhou");
    assert_eq!(hangzhou["region_zh"], "杭州");
    assert_eq!(hangzhou["change"], 280_000);
    assert_eq!(hangzhou["confidence_from"], "high");
    assert_eq!(hangzhou["precision"], 1000);
    assert!(
        hangzhou["source_from"]
            .as_str()
            .unwrap()
            .starts_with("tjj.hangzhou.gov.cn/art/2017/2/23/")
    );
    let wuhan = row("Wuhan");
    assert_eq!(wuhan["confidence_to"], "medium");
    assert_eq!(wuhan["derived_to"], true);
    assert!(wuhan.get("derived_from").is_none());
    assert!(
        doc["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("Chengdu: took in Jianyang"))
    );
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../docs/compare.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&doc));
}

#[test]
fn the_footer_says_what_is_medium_derived_and_where_the_boundary_moved() {
    let table = ok(&[
        "compare",
        "--dataset",
        "china-cities",
        "--format",
        "table",
        "--notes",
        "full",
    ])
    .replace('\n', " ");
    assert!(table.contains("Figures not of high confidence (medium: Chengdu 2016, Chengdu 2017,"));
    assert!(table.contains(
        "Derived, not published as such (a stated total minus a stated increase; `popdelta \
         data` shows how): Wuhan 2017, Xi'an 2017."
    ));
    assert!(table.contains("Chengdu: took in Jianyang (from Ziyang) in 2016"));
    assert!(table.contains("Xi'an: took over the administration of part of the Xixian New Area"));
    assert!(table.contains("Left out of the totals for lacking a year: Xi'an (no 2016), Shenyang (no 2016), Tianjin (no 2016)."));
    // A boundary note goes with its city: not shown, not said.
    let hangzhou = ok(&[
        "compare",
        "--dataset",
        "china-cities",
        "--region",
        "杭州",
        "--format",
        "table",
    ]);
    assert!(
        !hangzhou.contains("Jianyang") && !hangzhou.contains("Xixian"),
        "{hangzhou}"
    );
    let trend = ok(&[
        "trend",
        "--dataset",
        "china-cities",
        "--region",
        "Xian",
        "--format",
        "table",
    ]);
    assert!(trend.contains("Xi'an: took over"), "{trend}");
}

#[test]
fn sources_state_the_definition() {
    let out = ok(&["sources", "--dataset", "china-cities"]).replace('\n', " ");
    for part in [
        "year-end (31 December) permanent-resident (常住) population of the whole city (全市:",
        "as first published",
        "never the registered, 户籍, series",
        "32 figures",
    ] {
        assert!(out.contains(part), "{part}: {out}");
    }
}

/// `popdelta data` gives back every figure of the shipped file with its confidence,
/// sources, note and derivation; the shipped file is the reference's rows (data/SOURCES.md).
#[test]
fn data_reproduces_the_shipped_file() {
    let shipped = records(include_str!("../data/cities.csv"));
    assert_eq!(shipped.len(), 32);
    let out = ok(&["data", "--dataset", "china-cities"]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), shipped.len());
    for (s, r) in shipped.iter().zip(&rows) {
        assert_eq!(&r[col("code")], &s[0]);
        assert_eq!(&r[col("region")], &s[1]);
        assert_eq!(&r[col("region_zh")], &s[2]);
        assert_eq!(&r[col("year")], &s[3]);
        assert_eq!(&r[col("population_10k")], &s[4]);
        assert_eq!(&r[col("population_confidence")], &s[5]);
        assert_eq!(&r[col("population_sources")], &s[6]);
        assert_eq!(&r[col("note")], &s[7]);
        assert_eq!(&r[col("derived")], &s[8]);
    }
    let hangzhou_2015 = rows
        .iter()
        .find(|r| &r[col("region")] == "Hangzhou" && &r[col("year")] == "2015")
        .unwrap();
    assert_eq!(&hangzhou_2015[col("population")], "9018000");
    assert_eq!(
        &hangzhou_2015[col("derived")],
        "918.8 - 17.0 (increase stated in the 2016 bulletin)"
    );
    let confidence: Vec<&str> = rows
        .iter()
        .map(|r| &r[col("population_confidence")])
        .collect();
    assert_eq!(confidence.iter().filter(|c| **c == "high").count(), 7);
    assert_eq!(confidence.iter().filter(|c| **c == "medium").count(), 25);
}

/// A municipality is both a city and a province: where the two datasets overlap, their
/// figures must agree, so that a slip in either is caught.
#[test]
fn tianjin_and_chongqing_agree_as_city_and_as_province() {
    let cities = records(&ok(&["data", "--dataset", "china-cities"]));
    let provinces = records(&ok(&["data", "--dataset", "china"]));
    for code in ["120000", "500000"] {
        let mut overlap = 0;
        for c in cities.iter().filter(|r| &r[0] == code) {
            let p = provinces
                .iter()
                .find(|p| &p[0] == code && p[6] == c[5])
                .unwrap_or_else(|| panic!("{code} {}", &c[5]));
            // population in persons and as published
            assert_eq!((&c[6], &c[7]), (&p[7], &p[8]), "{code} {}", &c[5]);
            overlap += 1;
        }
        assert!(overlap >= 3, "{code}: {overlap} years");
    }
    // Found by its Chinese name in either dataset, the same change.
    let city = ok(&[
        "compare",
        "--dataset",
        "china-cities",
        "--region",
        "天津",
        "--from",
        "2017",
        "--to",
        "2018",
        "--format",
        "csv",
    ]);
    let province = ok(&[
        "compare", "--region", "天津", "--from", "2017", "--to", "2018", "--format", "csv",
    ]);
    assert!(city.contains("\nregion,Tianjin,Tianjin,15568700,15596000,27300,0.175\n"));
    assert!(province.contains("\nregion,Tianjin,north,15568700,15596000,27300,0.175,"));
}
