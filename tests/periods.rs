//! Which periods are compared (issue 31): by default the latest two that most regions have
//! both of, and never two that no region has.

mod common;

use common::{refused, row, run};

const EUROSTAT_SDMX: &str = "tests/data/sdmx/eurostat-demo_gind-2013-2015-labels.csv";

/// Eurostat's labelled SDMX-CSV split in two downloads: the countries A-H for 2013 and
/// 2014, the others for 2015 alone. Their latest two years, 2014 and 2015, share no
/// country.
fn two_downloads(dir: &std::path::Path) -> (String, String) {
    let text = std::fs::read_to_string(EUROSTAT_SDMX).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let (mut early, mut late) = (vec![header], vec![header]);
    // Lines with quoted labels (commas inside) are left out: aggregates, all of them.
    for line in lines.filter(|l| !l.contains('"')) {
        let fields: Vec<&str> = line.split(',').collect();
        let (geo, year) = (fields[7], fields[9]);
        if geo < "I" && year != "2015" {
            early.push(line);
        } else if geo >= "I" && year == "2015" {
            late.push(line);
        }
    }
    let write = |name: &str, rows: &[&str]| {
        let path = dir.join(name);
        std::fs::write(&path, rows.join("\n") + "\n").unwrap();
        path.display().to_string()
    };
    (write("early.csv", &early), write("late.csv", &late))
}

#[test]
fn two_sdmx_downloads_whose_latest_years_share_no_region_compare_the_years_they_share() {
    // Before: 2014 -> 2015, an empty comparison and an empty total, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let (early, late) = two_downloads(dir.path());
    let args = |extra: &[&str]| {
        let mut a = vec![
            "compare",
            &early,
            &late,
            "--where",
            "indic_de=JAN",
            "--format",
            "csv",
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()
    };
    let chosen = args(&[]);
    let chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
    let (out, err) = run(&chosen);
    assert!(
        out.starts_with("level,region,group,pop_2013,pop_2014,"),
        "{out}"
    );
    assert!(
        err.contains(
            "years 2013 -> 2014, the latest two that most regions have both of (2014 and \
             2015, the latest, 0 regions); say --from and --to otherwise"
        ),
        "{err}"
    );
    let asked = args(&["--from", "2013", "--to", "2014"]);
    let asked: Vec<&str> = asked.iter().map(String::as_str).collect();
    assert_eq!(run(&asked).0, out);
    // Austria, one of them, with its figures of 1 January.
    assert!(
        out.contains("region,Austria,,8451860,8506889,55029,0.651"),
        "{out}"
    );

    // The rows with both figures: regions, and aggregates shown apart.
    let regions = out
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split(',').collect();
            matches!(f[0], "region" | "aggregate") && !f[3].is_empty() && !f[4].is_empty()
        })
        .count();
    assert_eq!(regions, 21);
    let none = args(&["--from", "2014", "--to", "2015"]);
    let none: Vec<&str> = none.iter().map(String::as_str).collect();
    let err = refused(&none);
    assert!(
        err.ends_with(&format!(
            "has figures for both 2014 and 2015, so there is nothing to compare; years that \
             regions share: --from 2013 --to 2014 ({regions} regions)"
        )),
        "{err}"
    );
}

#[test]
fn years_that_no_two_of_which_share_a_region_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apart.csv");
    std::fs::write(&path, "region,2016,2017\nA,10,\nB,,12\n").unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(
        refused(&["compare", p]),
        format!(
            "popdelta: error: no region of {p} has figures for both 2016 and 2017, so there \
             is nothing to compare: no two of its years have a region in common"
        )
    );
}

#[test]
fn sdmx_period_forms_2019_a1_and_p1y_are_read_as_their_years() {
    // Before: both refused.
    let dir = tempfile::tempdir().unwrap();
    for (name, first, second) in [
        ("a1.csv", "2019-A1", "2020-A1"),
        ("p1y.csv", "2019-01-01/P1Y", "2020-01-01/P1Y"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "DATAFLOW,REF_AREA,FREQ,TIME_PERIOD,OBS_VALUE\n\
                 OECD:POP(1.0),AUS,A,{first},25365745\n\
                 OECD:POP(1.0),AUS,A,{second},25649248\n"
            ),
        )
        .unwrap();
        let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
        assert!(
            out.contains("region,AUS,,25365745,25649248,283503,1.118\n"),
            "{name}: {out}"
        );
    }
}

#[test]
fn header_numbers_no_year_is_are_not_taken_for_years() {
    // Before: 1234 -> 4321 was compared, from other projects' test workbooks' headers.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("numbers.csv");
    std::fs::write(&path, "name,1234,4321\nA,5,6\nB,7,8\n").unwrap();
    let err = refused(&["compare", path.to_str().unwrap()]);
    assert!(
        err.contains("no columns named by year (2016, 2017, ...)"),
        "{err}"
    );
}

const STATCAN: &str = "tests/data/api/statcan-17100009-quarterly-provinces-1946-2024.csv";
const ICANE: &str = "tests/data/api/icane-ine-epa-cantabria-16plus-quarterly.json";
const CENSUS_XLS: &str = "tests/data/real/census-st-est00int-01-intercensal-states-2000-2010.xls";

#[test]
fn statcan_compares_two_quarters_of_one_year_under_their_names() {
    // Before: refused, "compares one figure a year". SOURCES.md: Ontario 2023-01
    // 15,402,095 -> 2023-10 15,818,465 (+416,370); the 13 provinces and territories
    // 39,527,986 -> 40,513,781 (+985,795), equal to Canada's row.
    let (out, _) = run(&[
        "compare", STATCAN, "--from", "2023-01", "--to", "2023-10", "--format", "csv",
    ]);
    assert!(
        out.starts_with("level,region,group,pop_2023-01,pop_2023-10,change,change_pct\n"),
        "{out}"
    );
    assert_eq!(
        row(&out, "region", "Ontario")[3..6],
        ["15402095", "15818465", "416370"]
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["39527986", "40513781", "985795"]
    );
    assert_eq!(
        row(&out, "aggregate", "Canada")[3..5],
        ["39527986", "40513781"]
    );
    // The span is said where it is not whole years.
    let (table, _) = run(&[
        "compare", STATCAN, "--from", "2023-01", "--to", "2023-10", "--format", "table",
    ]);
    assert!(
        table.contains("change from 2023-01 to 2023-10 (9 months)."),
        "{table}"
    );
    assert!(table.contains("regions that have both periods"), "{table}");
}

#[test]
fn statcan_a_year_apart_is_named_by_its_periods_not_its_years() {
    // Before: the right figures under pop_2023 and pop_2024.
    let (out, _) = run(&[
        "compare", STATCAN, "--from", "2023-07", "--to", "2024-07", "--format", "json",
    ]);
    assert!(
        out.contains("\"from\": \"2023-07\",\n  \"to\": \"2024-07\""),
        "{out}"
    );
    assert!(out.contains("\"pop_2023-07\": 15623207"), "{out}");
}

#[test]
fn statcan_with_no_periods_named_compares_the_latest_two_quarters() {
    // Before: refused, "REF_DATE holds several periods of 2024".
    let (out, err) = run(&["compare", STATCAN, "--format", "csv"]);
    assert!(
        out.starts_with("level,region,group,pop_2024-04,pop_2024-07,"),
        "{out}"
    );
    assert!(
        err.contains(
            "periods 2024-04 -> 2024-07, the latest two of 315 with figures (1946-01 to \
             2024-07); say --from and --to otherwise"
        ),
        "{err}"
    );
    // A year is none of a quarterly file's periods: refused, naming them by their ends.
    let err = refused(&["compare", STATCAN, "--from", "2023", "--to", "2024"]);
    assert!(
        err.contains(
            "year 2023 is not in the data (tests/data/api/statcan-17100009-quarterly-\
             provinces-1946-2024.csv has 315 periods, 1946-01 to 2024-07)"
        ),
        "{err}"
    );
}

#[test]
fn trend_follows_a_quarterly_series_with_rates_over_the_true_span() {
    // Ontario 2023-01 15,402,095 -> 2024-07 16,124,116 over 18 months: CAGR
    // (16124116 / 15402095)^(12/18) - 1 = 3.101%, not the 4.688% of one year.
    let (out, _) = run(&[
        "trend", STATCAN, "--from", "2023-01", "--region", "Ontario", "--format", "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Ontario")[3..],
        [
            "2023-01", "2024-07", "15402095", "16124116", "722021", "4.688", "3.101", "2024-07",
            "16124116", "2023-01", "15402095", "0", "0", "0"
        ]
    );
    let (table, _) = run(&[
        "trend", STATCAN, "--from", "2023-01", "--region", "Ontario", "--format", "table",
    ]);
    assert!(
        table.contains("7 periods from 2023-01 to 2024-07 (18 months)"),
        "{table}"
    );
    assert!(
        table.contains("Down: periods below the period before"),
        "{table}"
    );
    // Each step, quarter by quarter.
    let (steps, _) = run(&[
        "trend", STATCAN, "--from", "2023-01", "--to", "2023-07", "--region", "Ontario",
        "--yearly", "--format", "csv",
    ]);
    assert!(
        steps.contains("\nregion,Ontario,,2023-04,2023-07,15478287,15623207,144920,0.936\n"),
        "{steps}"
    );
}

#[test]
fn a_monthly_table_of_one_year_compares_two_months() {
    // Before: refused, wide ("columns 2026M01 and 2026M02 both hold the population of
    // 2026") and long ("compares one figure a year").
    let dir = tempfile::tempdir().unwrap();
    let wide = dir.path().join("scb-wide.csv");
    std::fs::write(
        &wide,
        "region,2026M01,2026M02,2026M03,2026M04\n\
         Stockholm,2466000,2466900,2467700,2468800\nUppsala,404600,404700,404800,405100\n",
    )
    .unwrap();
    let (out, err) = run(&["compare", wide.to_str().unwrap(), "--format", "csv"]);
    assert!(
        out.starts_with("level,region,group,pop_2026-03,pop_2026-04,"),
        "{out}"
    );
    assert_eq!(row(&out, "total", "")[3..6], ["2872500", "2873900", "1400"]);
    assert!(err.contains("periods 2026-03 -> 2026-04"), "{err}");
    let long = dir.path().join("scb-long.csv");
    std::fs::write(
        &long,
        "region,month,population\nStockholm,2026M01,2466000\nStockholm,2026M04,2468800\n\
         Uppsala,2026M01,404600\nUppsala,2026M04,405100\n",
    )
    .unwrap();
    let (out, _) = run(&[
        "compare",
        long.to_str().unwrap(),
        "--from",
        "2026-01",
        "--to",
        "2026M04",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Stockholm")[3..6],
        ["2466000", "2468800", "2800"]
    );
}

#[test]
fn census_workbooks_2010_columns_are_two_periods() {
    // Before: `--to 2010` answered "year 2010 is not in the data". The July 1 series is
    // read by default; the census of April 1, 2010 is a period of its own.
    let (out, _) = run(&[
        "compare",
        CENSUS_XLS,
        "--from",
        "April 1, 2010",
        "--to",
        "July 1, 2010",
        "--format",
        "csv",
    ]);
    assert!(
        out.starts_with("level,region,group,pop_2010-04-01,pop_2010-07-01,"),
        "{out}"
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["308745538", "309349689", "604151"]
    );
    let (out, err) = run(&["compare", CENSUS_XLS, "--format", "csv"]);
    assert!(
        out.starts_with("level,region,group,pop_2009,pop_2010,"),
        "{out}"
    );
    assert!(
        err.contains("populations from the series July 1, {year}, which has the most columns"),
        "{err}"
    );
}

#[test]
fn ines_quarterly_json_stat_reads_the_quarters_its_dimension_names() {
    // Before: refused, "2005 - 1" not a period. SOURCES.md (thousands): 2015-1 494.5 ->
    // 2016-1 492.0, -2.5; 2016-1 492.0 -> 2016-4 491.9, -0.1. Población states no unit;
    // the other five measures are in "Miles de personas".
    let (out, err) = run(&[
        "compare",
        ICANE,
        "--where",
        "Variables=Población",
        "--from",
        "2015-Q1",
        "--to",
        "2016-Q1",
        "--format",
        "csv",
    ]);
    assert!(
        out.ends_with("\ntotal,,,494500,492000,-2500,-0.506\n"),
        "{out}"
    );
    assert!(
        err.contains(
            "values in thousands of persons, as \"Miles de personas (the unit of every other \
             Variables: Población states none)\" says"
        ),
        "{err}"
    );
    let (out, _) = run(&[
        "compare",
        ICANE,
        "--where",
        "Variables=Población",
        "--from",
        "2016-Q1",
        "--to",
        "2016-Q4",
        "--format",
        "csv",
    ]);
    assert!(
        out.ends_with("\ntotal,,,492000,491900,-100,-0.020\n"),
        "{out}"
    );
}

#[test]
fn check_takes_claims_of_periods() {
    // SOURCES.md: Ontario 2023-01 -> 2024-01 +542,284.
    let (out, _) = run(&[
        "check",
        STATCAN,
        "--claim",
        "Ontario change 2023-01 2024-01 = 542284",
        "--format",
        "csv",
    ]);
    assert!(out.contains(",holds,"), "{out}");
}

#[test]
fn json_of_two_quarters_keeps_to_the_schema() {
    let (out, _) = run(&[
        "compare", STATCAN, "--from", "2023-07", "--to", "2023-10", "--format", "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../docs/compare.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        (&doc["from"], &doc["to"]),
        (&"2023-07".into(), &"2023-10".into())
    );
}

#[test]
fn statcans_northwest_territories_including_nunavut_is_counted_once_in_every_period() {
    // SOURCES.md: the 14 sub-national rows of 1991-07 sum to 28,098,298 against Canada's
    // 28,037,420: "Northwest Territories including Nunavut" (60,878) beside the two
    // territories that replaced it (38,724 + 22,154). Its name says what it holds.
    let (out, err) = run(&[
        "compare", STATCAN, "--from", "1991-04", "--to", "1991-07", "--format", "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Northwest Territories including Nunavut")[3..6],
        ["60226", "60878", "652"]
    );
    assert_eq!(row(&out, "total", "")[3..5], ["27928837", "28037420"]);
    assert_eq!(
        row(&out, "aggregate", "Canada")[3..5],
        ["27928837", "28037420"]
    );
    assert_eq!(row(&out, "aggregate", "Nunavut")[4], "22154");
    assert!(
        err.contains(
            "Nunavut (within Northwest Territories including Nunavut, which its name says \
             holds it: compared whole where it has figures)"
        ),
        "{err}"
    );
    // After the split: the two territories, the old one set apart.
    let (out, _) = run(&[
        "compare", STATCAN, "--from", "1991-07", "--to", "1991-10", "--format", "csv",
    ]);
    assert_eq!(row(&out, "region", "Nunavut")[3], "22154");
    assert_eq!(row(&out, "total", "")[3], "28037420");
    // Across it: the old territory, its later figure the sum of the two, said.
    let (out, err) = run(&[
        "compare", STATCAN, "--from", "1990-07", "--to", "2000-07", "--format", "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Northwest Territories including Nunavut")[3..6],
        ["58937", "67978", "9041"]
    );
    assert_eq!(row(&out, "total", "")[3..5], ["27691138", "30685730"]);
    assert_eq!(
        row(&out, "aggregate", "Canada")[3..5],
        ["27691138", "30685730"]
    );
    assert!(
        err.contains(
            "Northwest Territories including Nunavut in 2000-07: the sum of the regions that \
             replaced it (Northwest Territories, Nunavut)."
        ),
        "{err}"
    );
}

#[test]
fn a_name_that_says_what_it_holds_is_not_trusted_where_the_figures_disagree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("named.csv");
    std::fs::write(
        &path,
        "region,2016,2017\nA including B,30,31\nA,10,11\nB,15,20\nC,5,5\n",
    )
    .unwrap();
    // 10 + 15 is not 30: every row is a region.
    let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(row(&out, "total", "")[3..5], ["60", "67"]);
}

#[test]
fn eurostats_b_flags_are_breaks_said_on_the_comparisons_that_span_them() {
    // Before: counted among the flags ("b (50)"), tied to no year, no break said. France's
    // 2015 figures (and the aggregates holding France) are flagged b in all three of
    // Eurostat's formats.
    let said = "A break in the series in 2015, which these years span: the data says \"flag b \
                (break in series) on the figures of 2015 of";
    for (file, france) in [
        (
            "tests/data/real/eurostat-demo_gind-population-change-2016.tsv",
            "FR\"",
        ),
        (EUROSTAT_SDMX, "France\""),
        (
            "tests/data/jsonstat/eurostat-demo_gind-2013-2015.json",
            "France\"",
        ),
    ] {
        let (_, err) = run(&[
            "compare",
            file,
            "--where",
            "indic_de=JAN",
            "--from",
            "2014",
            "--to",
            "2015",
            "--format",
            "csv",
        ]);
        let line = err
            .lines()
            .find(|l| l.contains(said))
            .unwrap_or_else(|| panic!("{file}: {err}"));
        assert!(line.contains(france), "{file}: {line}");
        // A comparison that does not span 2015 says none.
        let (_, err) = run(&[
            "compare",
            file,
            "--where",
            "indic_de=JAN",
            "--from",
            "2013",
            "--to",
            "2014",
            "--format",
            "csv",
        ]);
        assert!(
            !err.contains("in 2015, which these years span"),
            "{file}: {err}"
        );
    }
}
