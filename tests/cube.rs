//! The cube between every reader and the panel (issue 30): each defect found on the
//! offices' files, pinned by a test named after it, on files written here in the formats'
//! published layouts.

mod common;

use common::{refused, run};

/// Writes `text` to `name` in a scratch folder; returns the folder (kept alive) and path.
fn file(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let path = path.display().to_string();
    (dir, path)
}

/// A CSV row of popdelta's output, by level and region: its fields.
fn row<'a>(csv: &'a str, level: &str, region: &str) -> Vec<&'a str> {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[0] == level && f[1] == region)
        .unwrap_or_else(|| panic!("no {level} row {region:?} in\n{csv}"))
}

/// A JSON-stat 1.x bundle of Ireland's State, two NUTS 2 regions and three counties, its
/// sizes written as strings (which 1.x allows) and its hierarchy in `child`.
const NESTED_BUNDLE: &str = r#"{"dataset": {
  "label": "Population by area and year",
  "value": [300, 306, 100, 104, 200, 202, 40, 41, 60, 63, 200, 202],
  "dimension": {
    "id": ["area", "year"], "size": ["6", "2"],
    "role": {"geo": ["area"], "time": ["year"]},
    "area": {"label": "Area", "category": {
      "index": {"-": 0, "IE04": 1, "IE05": 2, "C1": 3, "C2": 4, "C3": 5},
      "label": {"-": "State", "IE04": "Northern and Western", "IE05": "Southern",
                "C1": "Cavan", "C2": "Donegal", "C3": "Cork"},
      "child": {"-": ["IE04", "IE05"], "IE04": ["C1", "C2"], "IE05": ["C3"]}}},
    "year": {"label": "Year", "category": {"index": ["2016", "2017"]}}}}}"#;

#[test]
fn a_json_stat_bundle_of_nested_areas_sums_its_lowest_level_not_every_level() {
    // Before: refused for its string sizes; with numbers, the State, the NUTS 2 regions
    // and the counties were summed together (three times the country).
    let (_dir, path) = file("nested.json", NESTED_BUNDLE);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "total", "")[3..6], ["300", "306", "6"], "{out}");
    for (name, from) in [
        ("State", "300"),
        ("Northern and Western", "100"),
        ("Southern", "200"),
    ] {
        assert_eq!(row(&out, "aggregate", name)[3], from, "{out}");
    }
    assert_eq!(row(&out, "region", "Cork")[3..6], ["200", "202", "2"]);
    assert!(
        err.contains("3 rows of the data are totals of others"),
        "{err}"
    );
}

#[test]
fn a_figures_unit_stated_in_a_danish_label_is_applied() {
    // Before: 5,873 persons for 5,873,000.
    let json = r#"{"version":"2.0","class":"dataset","label":"Folketal den 1. i kvartalet (i 1000)",
      "id":["OMRÅDE","Tid"],"size":[2,2],"role":{"geo":["OMRÅDE"],"time":["Tid"]},
      "dimension":{"OMRÅDE":{"category":{"index":["084","085"],"label":{"084":"Region Hovedstaden","085":"Region Sjælland"}}},
                   "Tid":{"category":{"index":["2021","2022"]}}},
      "value":[1855.1,1867.9,838.8,843.1]}"#;
    let (_dir, path) = file("dst.json", json);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(
        row(&out, "region", "Region Hovedstaden")[3..6],
        ["1855100", "1867900", "12800"]
    );
    assert!(
        err.contains(
            "values in thousands of persons, as \"Folketal den 1. i kvartalet (i 1000)\" says"
        ),
        "{err}"
    );
}

#[test]
fn a_json_stat_value_object_holding_a_key_twice_is_refused() {
    // Before: the last of the two figures was kept.
    let json = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[1,2],
      "dimension":{"geo":{"category":{"index":["A"]}},"time":{"category":{"index":["2016","2017"]}}},
      "value":{"0":10,"1":12,"1":13}}"#;
    let (_dir, path) = file("twice.json", json);
    let err = refused(&["compare", &path]);
    assert!(
        err.ends_with("twice.json: value: the key \"1\" is given twice"),
        "{err}"
    );
    // Any object of the dataset: a category's label given twice.
    let json = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[1,2],
      "dimension":{"geo":{"category":{"index":["A"],"label":{"A":"Aa","A":"Ab"}}},"time":{"category":{"index":["2016","2017"]}}},
      "value":[10,12]}"#;
    let (_dir, path) = file("labels.json", json);
    let err = refused(&["compare", &path]);
    assert!(
        err.contains("dimension.geo.category.label: the key \"A\" is given twice"),
        "{err}"
    );
}

/// A dataset of three regions whose index object is `index`.
fn indexed(index: &str) -> String {
    format!(
        r#"{{"version":"2.0","class":"dataset","id":["geo","time"],"size":[3,2],
      "dimension":{{"geo":{{"category":{{"index":{index}}}}},"time":{{"category":{{"index":["2016","2017"]}}}}}},
      "value":[10,11,20,22,30,33]}}"#
    )
}

#[test]
fn a_category_index_object_is_read_by_its_positions_and_checked() {
    // Positions out of the order of the keys: B is at 2, and has B's figures.
    let (_dir, path) = file("order.json", &indexed(r#"{"A":0,"B":2,"C":1}"#));
    let (out, _) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "region", "B")[3..5], ["30", "33"]);
    assert_eq!(row(&out, "region", "C")[3..5], ["20", "22"]);
    // Before: a gap, a repeat or a position past the size was read by rank.
    for (index, says) in [
        (
            r#"{"A":0,"B":3,"C":1}"#,
            "dimension.geo.category.index.B: position 3 is past the dimension's size, 3",
        ),
        (
            r#"{"A":0,"B":0,"C":1}"#,
            "dimension.geo.category.index.B: position 0 is \"A\"'s too",
        ),
        (
            r#"{"A":0,"B":1}"#,
            "dimension.geo.category.index: no category at position 2 (the dimension's size is 3)",
        ),
    ] {
        let (_dir, path) = file("bad.json", &indexed(index));
        let err = refused(&["compare", &path]);
        assert!(err.ends_with(says), "{index}: {err}");
    }
}

#[test]
fn a_json_stat_file_with_a_byte_order_mark_and_exponents_is_read() {
    // Before: a BOM made it text with no region column; 1e2 was no number.
    let json = "\u{feff}{\"version\":\"2.0\",\"class\":\"dataset\",\"id\":[\"geo\",\"time\"],\"size\":[1,2],\
      \"dimension\":{\"geo\":{\"category\":{\"index\":[\"A\"]}},\"time\":{\"category\":{\"index\":[\"2016\",\"2017\"]}}},\
      \"value\":[1e2,1.25E2]}";
    let (_dir, path) = file("bom.json", json);
    let (out, _) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "region", "A")[3..6], ["100", "125", "25"]);
}

#[test]
fn json_stat_errors_name_the_json_path_not_a_line_of_a_layout() {
    // Before: "file.json:2:birth", a line of the CSV text the file was laid out as.
    let json = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[2,2],
      "dimension":{"geo":{"category":{"index":["A","B"]}},"time":{"category":{"index":["2016","2017"]}}},
      "value":[1,2,"x",4]}"#;
    let (_dir, path) = file("bad-figure.json", json);
    let err = refused(&["compare", &path]);
    assert!(
        err.contains("bad-figure.json:value[2]: bad population: not a number (found \"x\")"),
        "{err}"
    );
    let json = r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[2,2],
      "dimension":{"geo":{"category":{"index":["A","B"]}}},"value":[1,2,3,4]}"#;
    let (_dir, path) = file("undescribed.json", json);
    let err = refused(&["compare", &path]);
    assert!(
        err.ends_with("dimension time is named in \"id\" but not described"),
        "{err}"
    );
}

/// The OECD's regional SDMX-CSV layout (labels in columns): `head` the columns after the
/// dataflow, each row's cells after it.
fn oecd(rows: &[&str]) -> String {
    let mut text = String::from(
        "STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,COUNTRY,Country,REF_AREA,Reference area,\
         MEASURE,Measure,UNIT_MEASURE,Unit of measure,TIME_PERIOD,Time period,OBS_VALUE,\
         Observation value\n",
    );
    for r in rows {
        text += "DATAFLOW,OECD.CFE.EDS:DSD_REG_DEMO@DF_POP_5Y(1.0),Population,I,";
        text += r;
        text.push('\n');
    }
    text
}

#[test]
fn measures_in_other_units_beside_persons_are_never_summed() {
    // Before: the percentage 7.83 and the density 36.23 became 8 and 36 persons, summed.
    let text = oecd(&[
        "AUS,Australia,AU1,New South Wales,POP,Population,PS,Persons,2019,,8089526,",
        "AUS,Australia,AU1,New South Wales,POP,Population,PS,Persons,2020,,8166369,",
        "AUS,Australia,AU1,New South Wales,POP_SHARE,Share of national population,PC,Percentage,2020,,31.83,",
        "AUS,Australia,AU1,New South Wales,POP_DEN,Population density,PS_KM2,Persons per square kilometre,2020,,10.2,",
    ]);
    let (_dir, path) = file("oecd.csv", &text);
    let err = refused(&["compare", &path]);
    assert!(
        err.contains(
            "the rows hold more than one MEASURE (POP Population, POP_SHARE Share of national \
             population, POP_DEN Population density) and more than one UNIT_MEASURE (PS \
             Persons, PC Percentage, PS_KM2 Persons per square kilometre), whose figures are \
             not to be summed"
        ),
        "{err}"
    );
    // Before: "no column UNIT_MEASURE"; the file's own column names are the flags' words.
    let (out, _) = run(&[
        "compare",
        &path,
        "--where",
        "UNIT_MEASURE=PS",
        "--where",
        "MEASURE=POP",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "New South Wales")[3..6],
        ["8089526", "8166369", "76843"]
    );
}

#[test]
fn two_dataflows_in_one_file_are_never_one_series() {
    // Before: population and land area were summed as one series.
    let text = "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\n\
                ESTAT:DEMO_R_PJANAGGR3(1.0),AT1,2016,3800000\n\
                ESTAT:DEMO_R_PJANAGGR3(1.0),AT1,2017,3850000\n\
                ESTAT:REG_AREA3(1.0),AT1,2016,23550\n\
                ESTAT:REG_AREA3(1.0),AT1,2017,23550\n";
    let (_dir, path) = file("two.csv", text);
    let err = refused(&["compare", &path]);
    assert!(
        err.contains(
            "more than one DATAFLOW (ESTAT:DEMO_R_PJANAGGR3(1.0), ESTAT:REG_AREA3(1.0)), whose \
             figures are not to be summed; keep one with --where \
             DATAFLOW=ESTAT:DEMO_R_PJANAGGR3(1.0)"
        ),
        "{err}"
    );
}

#[test]
fn a_countrys_only_row_coded_de_tot_is_the_country_not_a_group() {
    // Before: DE_TOT, the only German row, was set apart as a Eurostat group code, and the
    // total lacked Germany.
    let text = "DATAFLOW,freq,geo,TIME_PERIOD,OBS_VALUE\n\
                ESTAT:CENS_01RAPOP(1.0),A,DE_TOT,1991,79753227\n\
                ESTAT:CENS_01RAPOP(1.0),A,DE_TOT,2001,82259540\n\
                ESTAT:CENS_01RAPOP(1.0),A,FR,1991,56651955\n\
                ESTAT:CENS_01RAPOP(1.0),A,FR,2001,58520688\n";
    let (_dir, path) = file("census.csv", text);
    let (out, _) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "region", "DE_TOT")[3], "79753227");
    assert_eq!(row(&out, "total", "")[3..5], ["136405182", "140780228"]);
    assert!(!out.contains("aggregate,"), "{out}");
}

#[test]
fn one_code_under_two_labels_is_one_region_with_one_figure() {
    // Before: AT: Austria and AT: Österreich were two regions, and both summed.
    let head = "DATAFLOW,REF_AREA: Reference area,TIME_PERIOD,OBS_VALUE\n";
    let same = format!(
        "{head}X:POP(1.0),AT: Austria,2016,8700471\nX:POP(1.0),AT: Austria,2017,8772865\n\
         X:POP(1.0),AT: Österreich,2017,8772865\nX:POP(1.0),BE: Belgium,2016,11267910\n\
         X:POP(1.0),BE: Belgium,2017,11311117\n"
    );
    let (_dir, path) = file("labels.csv", &same);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "region", "Austria")[3..5], ["8700471", "8772865"]);
    assert_eq!(row(&out, "total", "")[4], "20083982");
    assert!(
        err.contains(
            "1 figure given again at a place of the data with the same value (the first at"
        ),
        "{err}"
    );
    let differ = same.replace("Österreich,2017,8772865", "Österreich,2017,8772866");
    let (_dir, path) = file("differ.csv", &differ);
    let err = refused(&["compare", &path]);
    assert!(
        err.contains(
            "differ.csv:4:OBS_VALUE: Austria has two different population figures for 2017: \
             8772866 here and 8772865 at "
        ),
        "{err}"
    );
    assert!(err.contains("differ.csv:3:OBS_VALUE"), "{err}");
}

#[test]
fn a_column_named_as_the_file_names_it_is_found_in_sdmx_csv() {
    // Before: --region-col geo was refused ("must name one of ... region, code"): the file
    // had been laid out anew under other column names.
    let text = "STRUCTURE,STRUCTURE_ID,freq,geo,Geopolitical entity (reporting),TIME_PERIOD,OBS_VALUE\n\
                dataflow,ESTAT:DEMO_PJAN(1.0),A,AT,Austria,2016,8700471\n\
                dataflow,ESTAT:DEMO_PJAN(1.0),A,AT,Austria,2017,8772865\n";
    let (_dir, path) = file("geo.csv", text);
    let (out, _) = run(&["compare", &path, "--region-col", "geo", "--format", "csv"]);
    assert_eq!(row(&out, "region", "Austria")[5], "72394");
    let (out, _) = run(&["compare", &path, "--where", "freq=A", "--format", "csv"]);
    assert_eq!(row(&out, "region", "Austria")[5], "72394");
}

#[test]
fn a_regions_country_beside_it_is_its_parent_not_a_breakdown() {
    // Before: "more than one COUNTRY ... keep one with --where COUNTRY=...", which would
    // have dropped every other country's regions.
    let text = oecd(&[
        "AUS,Australia,AU1,New South Wales,POP,Population,PS,Persons,2019,,8089526,",
        "AUS,Australia,AU1,New South Wales,POP,Population,PS,Persons,2020,,8166369,",
        "NZL,New Zealand,NZ11,Northland,POP,Population,PS,Persons,2019,,186500,",
        "NZL,New Zealand,NZ11,Northland,POP,Population,PS,Persons,2020,,193800,",
    ]);
    let (_dir, path) = file("regions.csv", &text);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(
        row(&out, "region", "Northland")[3..6],
        ["186500", "193800", "7300"]
    );
    assert_eq!(row(&out, "total", "")[3], "8276026");
    assert!(
        err.contains("COUNTRY follows from the regions: read as their parent, not as breakdowns"),
        "{err}"
    );
}

#[test]
fn an_sdmx_csv_percentage_is_compared_as_a_percentage_never_as_persons() {
    // Before: 7.83 and 8.11 were rounded to 8 persons each and summed.
    let text = "DATAFLOW,REF_AREA,UNIT_MEASURE: Unit of measure,TIME_PERIOD,OBS_VALUE\n\
                ESTAT:DEMO_R_PJANIND3(1.0),AT1,PC_POP: Percentage of total population,2016,7.83\n\
                ESTAT:DEMO_R_PJANIND3(1.0),AT1,PC_POP: Percentage of total population,2017,8.11\n\
                ESTAT:DEMO_R_PJANIND3(1.0),AT2,PC_POP: Percentage of total population,2016,12.5\n\
                ESTAT:DEMO_R_PJANIND3(1.0),AT2,PC_POP: Percentage of total population,2017,12.25\n";
    let (_dir, path) = file("shares.csv", text);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(
        out,
        "level,region,group,value_2016,value_2017,change,change_pct,unit\n\
         region,AT1,,7.83,8.11,0.28,3.576,%\n\
         region,AT2,,12.50,12.25,-0.25,-2.000,%\n"
    );
    assert!(
        err.contains("shares.csv: the figures are values in %, not persons: compared as such, never rounded to persons, never totalled"),
        "{err}"
    );
    // The same, for people: a table with the unit in its footer and no total row.
    let (table, _) = run(&["compare", &path, "--format", "table", "--color", "never"]);
    assert!(table.contains(" AT1 "), "{table}");
    assert!(!table.contains(" total:"), "{table}");
    assert!(
        table.contains("Values in %, as the source gives them"),
        "{table}"
    );
    // --unit says the figures are persons: then they are whole persons or refused.
    let err = refused(&[
        "compare",
        &path,
        "--unit",
        "persons",
        "--fractions",
        "error",
    ]);
    assert!(
        err.contains("bad population: not a whole number of persons (found \"7.83\")"),
        "{err}"
    );
}

#[test]
fn gdp_per_head_in_a_eurostat_tsv_is_compared_in_its_unit() {
    // Before: read as persons with no note.
    let text =
        "unit,geo\\time\t2017 \t2016 \nEUR_HAB,DE\t39600 \t38400 \nEUR_HAB,FR\t34300 \t33400 \n";
    let (_dir, path) = file("nama_10r_2gdp.tsv", text);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(
        out,
        "level,region,group,value_2016,value_2017,change,change_pct,unit\n\
         region,DE,,38400,39600,1200,3.125,EUR_HAB\n\
         region,FR,,33400,34300,900,2.695,EUR_HAB\n"
    );
    assert!(err.contains("the figures are values in EUR_HAB"), "{err}");
}

#[test]
fn a_rank_is_compared_as_a_rank_never_summed() {
    // Before: a competitiveness rank was read as persons and totalled.
    let text = "country,rank 2019,rank 2020\nSingapore,1,1\nDenmark,8,2\n";
    let (_dir, path) = file("ranks.csv", text);
    let (out, err) = run(&[
        "compare",
        &path,
        "--value-col",
        "rank {year}",
        "--format",
        "csv",
    ]);
    assert_eq!(
        out,
        "level,region,group,value_2019,value_2020,change,change_pct,unit\n\
         region,Singapore,,1,1,0,0.000,rank 2019\n\
         region,Denmark,,8,2,-6,-75.000,rank 2019\n"
    );
    assert!(err.contains("the figures are values in rank 2019"), "{err}");
}

#[test]
fn a_unit_no_text_states_is_said_to_be_assumed() {
    let text =
        "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nX:POP(1.0),A,2016,10\nX:POP(1.0),A,2017,12\n";
    let (_dir, path) = file("plain.csv", text);
    let (_, err) = run(&["compare", &path]);
    assert!(
        err.contains(
            "plain.csv: no unit is stated for the figures: read as persons (say --unit otherwise)"
        ),
        "{err}"
    );
}

#[test]
fn values_of_another_unit_follow_a_trend_and_colour_a_map_with_their_decimals() {
    let text = "DATAFLOW,REF_AREA,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE\n\
                X:U(1.0),Beijing,PC,2016,5.5\nX:U(1.0),Beijing,PC,2017,5.25\nX:U(1.0),Beijing,PC,2018,5.0\n\
                X:U(1.0),Tianjin,PC,2016,4.0\nX:U(1.0),Tianjin,PC,2017,4.5\nX:U(1.0),Tianjin,PC,2018,4.75\n";
    let (dir, path) = file("rates.csv", text);
    let (out, _) = run(&["trend", &path, "--format", "csv"]);
    assert!(out.contains(",5.50,5.00,-0.50,"), "{out}");
    assert!(!out.contains("\ntotal,"), "{out}");
    let map = dir.path().join("m.svg");
    let (_, err) = run(&["compare", &path, "--map", map.to_str().unwrap()]);
    assert!(err.contains("--map:"), "{err}");
    let svg = std::fs::read_to_string(&map).unwrap();
    assert!(svg.contains("Value (%) change 2017 to 2018"), "{svg}");
    assert!(svg.contains("5.25 → 5.00, -0.25"), "{svg}");
}

/// An INSEE-like workbook written by xlsxwriter: a merged title, `Code` and `Département`
/// in the first header row, the years in the second under a merged "Population".
fn departements_book(path: &std::path::Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let merged = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        5,
        "Population municipale des départements",
        &merged,
    )
    .unwrap();
    ws.write_string(1, 0, "Code").unwrap();
    ws.write_string(1, 1, "Département").unwrap();
    ws.merge_range(1, 2, 1, 5, "Population", &merged).unwrap();
    for (c, y) in (2u16..).zip(2019..=2022) {
        ws.write_number(2, c, f64::from(y)).unwrap();
    }
    let rows: [(&str, &str, [f64; 4]); 3] = [
        ("01", "Ain", [652_432.0, 657_856.0, 663_202.0, 667_328.0]),
        ("02", "Aisne", [531_345.0, 529_374.0, 527_468.0, 525_503.0]),
        (
            "2A",
            "Corse-du-Sud",
            [158_507.0, 160_814.0, 162_421.0, 163_875.0],
        ),
    ];
    for (r, (code, name, figures)) in (3u32..).zip(rows) {
        ws.write_string(r, 0, code).unwrap();
        ws.write_string(r, 1, name).unwrap();
        for (c, v) in (2u16..).zip(figures) {
            ws.write_number(r, c, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_header_over_two_rows_with_labels_above_codes_and_names_is_read_whole() {
    // Before: "no region column (found ",,2019,2020,...")"; --region-col Département said
    // it was on line 3, skipped, and to say --skip-rows 2, which gave "no year column".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("departements.xlsx");
    departements_book(&path);
    let path = path.display().to_string();
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(
        out,
        "level,region,group,pop_2021,pop_2022,change,change_pct\n\
         region,Ain,,663202,667328,4126,0.622\n\
         region,Aisne,,527468,525503,-1965,-0.373\n\
         region,Corse-du-Sud,,162421,163875,1454,0.895\n\
         total,,,1353091,1356706,3615,0.267\n"
    );
    assert!(
        err.contains("the header is lines 2 to 3, read as one"),
        "{err}"
    );
    // The columns are named as the file names them, whichever header row they stand in.
    for flags in [
        &["--region-col", "Département"][..],
        &[
            "--region-col",
            "Département",
            "--from",
            "2019",
            "--to",
            "2020",
        ][..],
        &["--where", "Code=01|2A"][..],
    ] {
        let mut args = vec!["compare", path.as_str(), "--format", "csv"];
        args.extend_from_slice(flags);
        let (out, _) = run(&args);
        assert!(out.contains("region,Ain,"), "{flags:?}: {out}");
    }
}

#[test]
fn a_french_table_headed_code_and_departement_finds_its_regions() {
    // Before: refused as having no region column: "departement" is no known name, and its
    // rows, starting with a code, were not taken for rows of figures.
    let text = "code,departement,2016,2017\n01,Ain,638425,643350\n02,Aisne,538659,536136\n";
    let (_dir, path) = file("dep.csv", text);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(
        row(&out, "region", "Aisne")[3..6],
        ["538659", "536136", "-2523"]
    );
    assert!(
        err.contains("regions from column departement, the only column of text"),
        "{err}"
    );
}

#[test]
fn the_one_column_of_text_whose_values_never_repeat_holds_the_regions() {
    // Before: refused for two columns of text and no known name, though one repeats (a
    // kind of place) and the other names each row once.
    let text = "place,kind,2016,2017\nAix,town,1,2\nBrest,town,3,4\nCaen,city,5,7\n";
    let (_dir, path) = file("places.csv", text);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "region", "Caen")[3..6], ["5", "7", "2"], "{out}");
    assert_eq!(row(&out, "total", "")[3..6], ["9", "13", "4"], "{out}");
    assert!(
        err.contains(
            "regions from column place, the column of text whose values are all different"
        ),
        "{err}"
    );
    // Where both name each row once, nothing says which: refused, naming the fix.
    let (_dir, both) = file("both.csv", "place,kind,2016,2017\nA,x,1,2\nB,y,3,4\n");
    assert!(refused(&["compare", &both]).contains("--region-col"));
}

#[test]
fn a_sex_column_no_name_announces_is_a_breakdown_read_at_its_total() {
    // Before: "A has two different population figures for 2016", in a long and a wide
    // table alike, for a column of sexes beside the regions.
    let long = "region,sex_code,sex,year,population\n\
                A,0,Total,2016,10\nA,1,Male,2016,4\nA,2,Female,2016,6\n\
                A,0,Total,2017,12\nA,1,Male,2017,5\nA,2,Female,2017,7\n\
                B,0,Total,2016,20\nB,1,Male,2016,9\nB,2,Female,2016,11\n\
                B,0,Total,2017,21\nB,1,Male,2017,10\nB,2,Female,2017,11\n";
    let wide = "region,sex,2016,2017\nA,Total,10,12\nA,Male,4,5\nA,Female,6,7\n\
                B,Total,20,21\nB,Male,9,10\nB,Female,11,11\n";
    for (name, text) in [("long.csv", long), ("wide.csv", wide)] {
        let (_dir, path) = file(name, text);
        let (out, err) = run(&["compare", &path, "--format", "csv"]);
        assert_eq!(row(&out, "region", "A")[3..6], ["10", "12", "2"], "{out}");
        assert_eq!(row(&out, "total", "")[3..6], ["30", "33", "3"], "{out}");
        assert!(
            err.contains("breakdowns read at their totals, never summed: sex=Total (of 3)"),
            "{name}: {err}"
        );
        // The single-threaded reader gives the same.
        let (plain, _) = run(&["compare", &path, "--format", "csv", "--single-threaded"]);
        assert_eq!(plain, out);
        let (men, _) = run(&["compare", &path, "--format", "csv", "--where", "sex=Male"]);
        assert_eq!(row(&men, "total", "")[3..6], ["13", "15", "2"], "{men}");
    }
}

#[test]
fn ages_with_no_total_are_never_summed_and_the_refusal_names_the_where() {
    let text = "region,age,year,population\nA,0,2016,5\nA,1,2016,6\nA,0,2017,7\n\
                A,1,2017,8\nB,0,2016,1\nB,1,2016,2\nB,0,2017,3\nB,1,2017,4\n";
    let (_dir, path) = file("ages.csv", text);
    let err = refused(&["compare", &path]);
    assert!(
        err.contains("the rows hold more than one age (0, 1), whose figures are not to be summed; keep one with --where age=0"),
        "{err}"
    );
    let (out, _) = run(&["compare", &path, "--format", "csv", "--where", "age=1"]);
    assert_eq!(row(&out, "total", "")[3..6], ["8", "12", "4"], "{out}");
}

#[test]
fn a_column_of_figures_beside_the_compared_ones_is_no_breakdown() {
    // Destatis: männlich and weiblich beside Insgesamt are figures, not categories; a name
    // given twice under two codes is two regions.
    let text = "code,name,2016,2017,male 2016\n01,Neustadt,10,11,5\n02,Neustadt,20,22,9\n";
    let (_dir, path) = file("codes.csv", text);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert_eq!(row(&out, "total", "")[3..6], ["30", "33", "3"], "{out}");
    assert!(!err.contains("breakdowns"), "{err}");
}

#[test]
fn every_refusals_advice_leads_to_a_reading_not_another_refusal() {
    // Each refusal names its fix; following it reads the file (before: --region-col on a
    // header over two rows led to --skip-rows, which led to "no year column").
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("departements.xlsx");
    departements_book(&book);
    let book = book.display().to_string();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let colons = write("colons.txt", "region:2016:2017\nA:1:2\nB:3:4\n");
    let place = write("place.csv", "place,kind,2016,2017\nA,x,1,2\nB,y,3,4\n");
    let buried = write(
        "buried.csv",
        "Population by place,,\nplace,2016,2017\nA,1,2\nB,3,4\nC,5,6\n",
    );
    let dims = write(
        "dims.tsv",
        "indic,geo\\time\t2017 \t2016 \nJAN,DE\t10 \t9 \nGROW,DE\t1 e\t2 \n",
    );
    let twelve = write(
        "twelve.csv",
        "region,2016,2017\nA,12.000,13.000\nB,1.234.567,1.240.000\n",
    );
    let sexes = write(
        "sexes.csv",
        "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\nX:P(1.0),A,M,2016,5\nX:P(1.0),A,F,2016,6\n\
         X:P(1.0),A,M,2017,5\nX:P(1.0),A,F,2017,7\n",
    );
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (colons.as_str(), vec!["--delimiter", ":"]),
        (place.as_str(), vec!["--region-col", "place"]),
        (buried.as_str(), vec!["--skip-rows", "1"]),
        (dims.as_str(), vec!["--where", "indic=JAN"]),
        (twelve.as_str(), vec!["--decimal", ","]),
        (sexes.as_str(), vec!["--where", "SEX=M"]),
        (book.as_str(), vec!["--skip-rows", "1"]),
    ];
    for (path, advice) in cases {
        // The advice as the refusal words it (a book needs none: it reads; the fix of the
        // past, --skip-rows, must read it too).
        if !path.ends_with(".xlsx") {
            let args: Vec<&str> = if path.ends_with("buried.csv") {
                vec!["compare", path, "--region-col", "place", "--skip-rows", "0"]
            } else {
                vec!["compare", path]
            };
            let err = refused(&args);
            let flag = advice.join(" ");
            let quoted = format!("{} '{}'", advice[0], advice[1]);
            assert!(
                err.contains(&flag) || err.contains(&quoted),
                "{path}: {err}"
            );
        }
        let mut args = vec!["compare", path, "--format", "csv"];
        if path.ends_with("buried.csv") {
            args.extend(["--region-col", "place"]);
        }
        args.extend(advice.iter().copied());
        let (out, _) = run(&args);
        assert!(out.lines().count() >= 2, "{path}: {out}");
    }
}
