//! PC-Axis (`.px`, issue 33): the offices' own download format, read into the cube as the
//! JSON-stat PxWeb serves for it; and SDMX-ML data messages, read as the SDMX-CSV of the
//! same service. Each figure below is the check figure of
//! tests/data/api/SOURCES.md.

mod common;

use common::{refused, row, run};

const API: &str = "tests/data/api";

fn px(name: &str) -> String {
    format!("{API}/{name}")
}

#[test]
fn statistics_swedens_counties_by_sex_sum_the_sexes_the_file_lets_be_summed() {
    // Before: refused as CSV ("the header is one field"). ELIMINATION("sex")=YES: the
    // total of men and women is the sum, said.
    let (out, err) = run(&[
        "compare",
        &px("scb-BE0101N1-counties-by-sex-2007-2008.px"),
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "01 Stockholm county")[3..6],
        ["1949516", "1981263", "31747"]
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["9182927", "9256347", "73420"]
    );
    assert!(err.contains("read as PC-Axis"), "{err}");
    assert!(
        err.contains("sex=_SUM (total (sex summed, as the file's ELIMINATION allows), of 3)"),
        "{err}"
    );
}

#[test]
fn statistics_swedens_three_levels_are_a_tree_from_its_hierarchy() {
    // Sweden, 21 counties and 290 municipalities: HIERARCHIES and the nested codes make
    // the tree, ELIMINATION names Sweden the total; the municipalities are summed once.
    let (out, _) = run(&[
        "compare",
        &px("scb-BE0101A1hier-sweden-counties-municipalities-2001-2004.px"),
        "--from",
        "2001",
        "--to",
        "2004",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "0180 Stockholm")[3..6],
        ["754948", "765044", "10096"]
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["8909128", "9011392", "102264"]
    );
    assert_eq!(row(&out, "aggregate", "00 Sweden")[3], "8909128");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("region,")).count(),
        290
    );
    // The counties, by level, named by a word of their names.
    let (out, _) = run(&[
        "compare",
        &px("scb-BE0101A1hier-sweden-counties-municipalities-2001-2004.px"),
        "--from",
        "2001",
        "--to",
        "2004",
        "--level",
        "county",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "01 Stockholm county")[3..5],
        ["1838882", "1872900"]
    );
}

#[test]
fn eurostats_census_table_in_two_languages_reads_the_main_one() {
    // iso-8859-1, labels repeated in Swedish; sex T and age Total are the totals; ".." is
    // missing. The 18 countries with both years: 366,712,272 -> 378,792,586.
    let (out, _) = run(&[
        "compare",
        &px("eurostat-census-TAB001-countries-sex-age-1981-1991-2001.px"),
        "--from",
        "1991",
        "--to",
        "2001",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Sweden")[3..6],
        ["8587353", "8882792", "295439"]
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["366712272", "378792586", "12080314"]
    );
}

#[test]
fn statistics_norways_contents_are_not_summed() {
    // CONTVARIABLE: Innbyggere, Kvinner, Menn: refused, naming the population to keep.
    let file = px("ssb-11820-halden-moss-2021-2022.px");
    let err = refused(&["compare", &file]);
    assert!(
        err.contains("the rows hold more than one statistikkvariabel"),
        "{err}"
    );
    let (out, _) = run(&[
        "compare",
        &file,
        "--where",
        "statistikkvariabel=KOSfolkemengde0000",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Halden")[3..6],
        ["31444", "31730", "286"]
    );
    assert_eq!(row(&out, "total", "")[3..6], ["81734", "82970", "1236"]);
}

#[test]
fn statistics_finlands_parallel_classifications_are_refused_not_summed_16_times() {
    // 551 areas: the country, 309 municipalities and 14 other classifications each summing
    // to it, and NUTS codes (a tree). Summed: 63,724,672 persons in families, 16 times the
    // 3,971,451 of 2022.
    let file = px("statfin-families-municipalities-2006-2022.px");
    let err = refused(&[
        "compare",
        &file,
        "--where",
        "Tiedot=hloperh",
        "--from",
        "2021",
        "--to",
        "2022",
    ]);
    assert!(
        err.contains(
            "the regions are several classifications of one whole side by side, whose codes' \
             letters tell them apart and which sum to the same figure in 2022: KU (309), MA (2)"
        ),
        "{err}"
    );
    assert!(err.ends_with("keep one with --where 'Alue=KU*'"), "{err}");
    let (out, _) = run(&[
        "compare",
        &file,
        "--where",
        "Tiedot=hloperh",
        "--where",
        "Alue=KU*",
        "--from",
        "2021",
        "--to",
        "2022",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "Helsinki")[3..6],
        ["428184", "430139", "1955"]
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["3982792", "3971451", "-11341"]
    );
}

#[test]
fn statistics_finlands_national_table_by_age_in_crlf() {
    // No geography: the age groups as rows; ELIMINATION names Yhteensä the sex total.
    let (out, _) = run(&[
        "compare",
        &px("statfin-11rc-population-sex-age-1865-2023.px"),
        "--region-col",
        "Ikä",
        "--from",
        "2020",
        "--to",
        "2022",
        "--format",
        "csv",
    ]);
    assert_eq!(
        row(&out, "region", "20 - 24")[3..6],
        ["308410", "304385", "-4025"]
    );
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["5533793", "5563970", "30177"]
    );
}

#[test]
fn a_px_table_without_geography_is_refused_in_its_own_words() {
    let err = refused(&[
        "compare",
        &px("scb-BE101ACEkeys-KEYS-marital-age-1968-1999.px"),
    ]);
    assert!(
        err.contains(
            "a PC-Axis table with no geographic variable (MAP, or a variable named so) among \
             \"marital status\", \"age\", \"period\", \"sex\"; name the variable whose \
             categories are the rows with --region-col"
        ),
        "{err}"
    );
}

#[test]
fn the_keys_layout_places_each_line_by_its_keys() {
    // Lines of zeros left out; the rows are marital statuses, one age kept.
    let (out, _) = run(&[
        "compare",
        &px("scb-BE101ACEkeys-KEYS-marital-age-1968-1999.px"),
        "--region-col",
        "marital status",
        "--where",
        "age=0-4",
        "--from",
        "1998",
        "--to",
        "1999",
        "--format",
        "csv",
    ]);
    // Married 0-4: a line left out, so zero.
    assert_eq!(row(&out, "region", "married")[3..5], ["0", "0"]);
    assert!(row(&out, "region", "single")[3].parse::<i64>().unwrap() > 100_000);
}

#[test]
fn a_px_file_written_here_reads_its_codepage_and_missing_markers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.px");
    let mut bytes = b"CHARSET=\"ANSI\";\nLANGUAGE=\"sv\";\nMATRIX=\"T\";\nSTUB=\"region\";\n\
HEADING=\"year\";\nVALUES(\"region\")=\"V\xe4rmd\xf6\",\"J\xe4rf\xe4lla\";\nVALUES(\"year\")=\"2016\",\n\"2017\";\n\
TIMEVAL(\"year\")=TLIST(A1),\"2016\",\"2017\";\nDATA=\n100 110\n\"..\" 80;"
        .to_vec();
    bytes.push(b'\n');
    std::fs::write(&path, bytes).unwrap();
    let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert!(
        out.contains("\nregion,Värmdö,,100,110,10,10.000\n"),
        "{out}"
    );
    assert!(out.contains("\nregion,Järfälla,,,80,,\n"), "{out}");
    // A DATA of the wrong length is refused, not read off by one.
    std::fs::write(
        &path,
        "STUB=\"r\";\nHEADING=\"year\";\nVALUES(\"r\")=\"A\";\nVALUES(\"year\")=\"2016\",\"2017\";\nDATA=\n1 2 3;",
    )
    .unwrap();
    let err = refused(&["compare", path.to_str().unwrap()]);
    assert!(
        err.contains("a PC-Axis file that popdelta cannot read: DATA holds 3 figures where its variables make 2"),
        "{err}"
    );
}

#[test]
fn keys_on_a_variable_after_unkeyed_ones_is_refused_not_misplaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.px");
    std::fs::write(
        &path,
        "STUB=\"region\",\"sex\";\nHEADING=\"year\";\nVALUES(\"region\")=\"A\",\"B\";\n\
         VALUES(\"sex\")=\"m\",\"f\";\nVALUES(\"year\")=\"2016\",\"2017\";\nKEYS(\"sex\")=VALUES;\n\
         DATA=\n\"m\",1 2\n\"f\",3 4;",
    )
    .unwrap();
    let err = refused(&["compare", path.to_str().unwrap()]);
    assert!(
        err.contains("KEYS(\"sex\") on a variable after unkeyed ones"),
        "{err}"
    );
}

const ISTAT: &str = "tests/data/api/istat-DCIS_POPRES1-italy-by-sex-2019-2022.xml";

#[test]
fn istats_sdmx_ml_reads_as_the_sdmx_csv_of_the_same_service() {
    // Before: refused as "XML or HTML ... export it as CSV". SOURCES.md: IT, SEX 1 + 2,
    // 59,816,673 -> 58,983,122; no SEX total, so each sex is asked for, never summed.
    let err = refused(&["compare", ISTAT, "--from", "2019", "--to", "2022"]);
    assert!(
        err.contains("the rows hold more than one SEX (1, 2), whose figures are not to be summed"),
        "{err}"
    );
    let figure = |sex: &str| -> (i64, i64) {
        let (out, _) = run(&[
            "compare", ISTAT, "--from", "2019", "--to", "2022", "--where", sex, "--format", "csv",
        ]);
        let r = row(&out, "region", "IT");
        (r[3].parse().unwrap(), r[4].parse().unwrap())
    };
    let (m, f) = (figure("SEX=1"), figure("SEX=2"));
    assert_eq!((m.0 + f.0, m.1 + f.1), (59_816_673, 58_983_122));
    assert_eq!(m.0, 29_131_195);
}

const ECB_1: &str = "tests/data/api/ecb-EXR-sdmx-json-1.0-ts.json";
const ECB_2: &str = "tests/data/api/ecb-EXR-sdmx-json-2.0-time-series.json";

#[test]
fn sdmx_json_1_and_2_read_as_the_same_rows_with_their_figures_as_written() {
    // Before: refused as "JSON, but not JSON-stat". The ECB's rates are not persons: read
    // here as persons to show the figures as the message wrote them (each rounded, listed).
    let (one, err) = run(&[
        "compare",
        ECB_1,
        "--region-col",
        "CURRENCY",
        "--unit",
        "persons",
        "--format",
        "csv",
    ]);
    let (two, _) = run(&[
        "compare",
        ECB_2,
        "--region-col",
        "CURRENCY",
        "--unit",
        "persons",
        "--format",
        "csv",
    ]);
    assert_eq!(one, two);
    assert!(
        one.starts_with("level,region,group,pop_2013-01-18,pop_2013-01-21,"),
        "{one}"
    );
    assert!(err.contains("Rounded to whole persons"), "{err}");
    assert!(
        err.contains("(1.5931)") && err.contains("(40.3426)"),
        "{err}"
    );
}

#[test]
fn an_sdmx_json_message_of_populations_reads_its_unit_multiplier() {
    // The ABS's layout: REF_AREA at the series level with names, UNIT_MULT 3 (thousands) as
    // a series attribute, an OBS_STATUS per observation.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abs.json");
    std::fs::write(
        &path,
        r#"{"meta":{"id":"x"},"data":{"structures":[{"name":"ERP","dimensions":{
"dataSet":[{"id":"MEASURE","values":[{"id":"1","name":"Estimated Resident Population"}]}],
"series":[{"id":"REF_AREA","values":[{"id":"1","name":"New South Wales"},{"id":"2","name":"Victoria"}]}],
"observation":[{"id":"TIME_PERIOD","values":[{"id":"2022-Q2"},{"id":"2023-Q2"}]}]},
"attributes":{"series":[{"id":"UNIT_MULT","values":[{"id":"3"}]}],
"observation":[{"id":"OBS_STATUS","values":[{"id":"p"}]}]}}],
"dataSets":[{"structure":0,"series":{
"0":{"attributes":[0],"observations":{"0":[8153.6,null],"1":[8294.0,0]}},
"1":{"attributes":[0],"observations":{"0":[6613.7,null],"1":[6766.6,0]}}}}]}}"#,
    )
    .unwrap();
    let (out, err) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert!(
        out.contains("\nregion,New South Wales,,8153600,8294000,140400,1.722\n"),
        "{out}"
    );
    assert!(out.contains("\ntotal,,,14767300,15060600,293300,"), "{out}");
    assert!(err.contains("p (2)"), "{err}");
}
