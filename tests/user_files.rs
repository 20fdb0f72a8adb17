//! `popdelta compare FILE...` on the real public files in tests/data and on small files
//! the tests write.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::{STATE_OPTIONS, STATES, popdelta};

const COUNTIES: &str = "tests/data/us-census/co-est2017-alldata.csv";
const WORLD_BANK: &str = "tests/data/world-bank/API_SP.POP.TOTL_DS2_en_csv_v2.csv";

/// Rows of a CSV as maps from column name to text.
fn rows(text: &[u8]) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(text);
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    rdr.records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn int(row: &HashMap<String, String>, col: &str) -> i64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

/// Runs popdelta, asserts success, returns (stdout, stderr).
fn ok(args: &[&str]) -> (Vec<u8>, String) {
    let out = popdelta().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    (out.stdout, err)
}

/// Runs popdelta, asserts exit code 2, returns stderr.
fn fails(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty());
    // Notes may come first; the error is one line, the last.
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("popdelta: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line: {err}");
    assert!(err.ends_with(&format!("{}\n", errors[0])), "{err}");
    err
}

/// A scratch folder with files the test writes.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Scratch {
        Scratch(tempfile::tempdir().unwrap())
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p: PathBuf = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }
}

fn source_rows(path: &str) -> Vec<HashMap<String, String>> {
    rows(&std::fs::read(path).unwrap())
}

#[test]
fn census_states_change_equals_npopchg_and_regions_equal_region_rows() {
    let mut args = vec!["compare", STATES];
    args.extend(STATE_OPTIONS);
    let (out, err) = ok(&args);
    assert_eq!(
        err,
        format!(
            "popdelta: note: {STATES}: Puerto Rico has REGION X, in no census region, so the \
             total holds more than the nation's; --where REGION!=X leaves it out\n\
             popdelta: note: years 2016 -> 2017, the latest two of 8 with figures (2010-2017); \
             say --from and --to otherwise\n"
        )
    );
    let out = rows(&out);
    let src = source_rows(STATES);
    let states: Vec<_> = src.iter().filter(|r| r["SUMLEV"] == "40").collect();
    assert_eq!(states.len(), 52);
    for s in &states {
        let row = out
            .iter()
            .find(|r| r["level"] == "region" && r["region"] == s["NAME"])
            .unwrap();
        assert_eq!(int(row, "change"), int(s, "NPOPCHG_2017"), "{}", s["NAME"]);
        assert_eq!(row["group"], s["REGION"]);
    }
    for region in src.iter().filter(|r| r["SUMLEV"] == "20") {
        let g = out
            .iter()
            .find(|r| r["level"] == "group" && r["group"] == region["REGION"])
            .unwrap();
        assert_eq!(int(g, "pop_2016"), int(region, "POPESTIMATE2016"));
        assert_eq!(int(g, "pop_2017"), int(region, "POPESTIMATE2017"));
    }
}

#[test]
fn census_states_components_from_births_and_deaths() {
    let mut args = vec!["compare", STATES];
    args.extend(STATE_OPTIONS);
    args.extend([
        "--births-col",
        "BIRTHS{year}",
        "--deaths-col",
        "DEATHS{year}",
        "--from",
        "2016",
        "--to",
        "2017",
    ]);
    let (out, _) = ok(&args);
    let out = rows(&out);
    let src = source_rows(STATES);
    for s in src.iter().filter(|r| r["SUMLEV"] == "40") {
        let row = out.iter().find(|r| r["region"] == s["NAME"]).unwrap();
        assert_eq!(int(row, "natural_increase"), int(s, "NATURALINC2017"));
        assert_eq!(
            int(row, "net_migration"),
            int(s, "NETMIG2017") + int(s, "RESIDUAL2017"),
            "{}",
            s["NAME"]
        );
    }
    for region in src.iter().filter(|r| r["SUMLEV"] == "20") {
        let g = out
            .iter()
            .find(|r| r["level"] == "group" && r["group"] == region["REGION"])
            .unwrap();
        assert_eq!(int(g, "natural_increase"), int(region, "NATURALINC2017"));
        assert_eq!(
            int(g, "net_migration"),
            int(region, "NETMIG2017") + int(region, "RESIDUAL2017")
        );
    }
}

#[test]
fn census_states_published_net_migration_with_the_residual_apart() {
    let mut args = vec!["compare", STATES];
    args.extend(STATE_OPTIONS);
    args.extend([
        "--births-col",
        "BIRTHS{year}",
        "--deaths-col",
        "DEATHS{year}",
        "--migration-col",
        "NETMIG{year}",
        "--from",
        "2016",
        "--to",
        "2017",
    ]);
    let (out, _) = ok(&args);
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",natural_increase,net_migration,net_migration_per_1000,residual")
    );
    let out = rows(&out);
    let src = source_rows(STATES);
    let states: Vec<_> = src.iter().filter(|r| r["SUMLEV"] == "40").collect();
    assert_eq!(states.len(), 52);
    for s in &states {
        let row = out.iter().find(|r| r["region"] == s["NAME"]).unwrap();
        assert_eq!(
            int(row, "net_migration"),
            int(s, "NETMIG2017"),
            "{}",
            s["NAME"]
        );
        assert_eq!(
            int(row, "residual"),
            int(s, "RESIDUAL2017"),
            "{}",
            s["NAME"]
        );
        assert_eq!(int(row, "natural_increase"), int(s, "NATURALINC2017"));
    }
    // JSON carries the residual too, and stays within the documented schema.
    let mut json_args = args.clone();
    json_args.extend(["--format", "json"]);
    let (json, _) = ok(&json_args);
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../docs/compare.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let il = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "Illinois")
        .unwrap();
    assert_eq!(
        (il["net_migration"].as_i64(), il["residual"].as_i64()),
        (Some(-81_080), Some(216))
    );
    let illinois = out.iter().find(|r| r["region"] == "Illinois").unwrap();
    assert_eq!(illinois["net_migration"], "-81080");
    assert_eq!(illinois["residual"], "216");
    for region in src.iter().filter(|r| r["SUMLEV"] == "20") {
        let g = out
            .iter()
            .find(|r| r["level"] == "group" && r["group"] == region["REGION"])
            .unwrap();
        assert_eq!(int(g, "net_migration"), int(region, "NETMIG2017"));
        assert_eq!(int(g, "residual"), int(region, "RESIDUAL2017"));
    }
}

#[test]
fn migration_col_alone_names_what_it_needs() {
    let mut args = vec!["compare", STATES];
    args.extend(STATE_OPTIONS);
    args.extend(["--migration-col", "NETMIG{year}"]);
    let err = fails(&args);
    assert!(
        err.contains("--migration-col needs the natural increase beside it"),
        "{err}"
    );
}

fn county_args(file: &str) -> Vec<String> {
    [
        "compare",
        file,
        "--where",
        "SUMLEV=050",
        "--region-col",
        "CTYNAME,STNAME",
        "--value-col",
        "POPESTIMATE{year}",
        "--group-by",
        "STNAME",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn check_county_totals(out: &[u8]) {
    let out = rows(out);
    let src = source_rows(COUNTIES);
    let states: Vec<_> = src.iter().filter(|r| r["SUMLEV"] == "040").collect();
    assert_eq!(states.len(), 51);
    for s in states {
        let g = out
            .iter()
            .find(|r| r["level"] == "group" && r["group"] == s["STNAME"])
            .unwrap_or_else(|| panic!("no group {}", s["STNAME"]));
        assert_eq!(
            int(g, "pop_2016"),
            int(s, "POPESTIMATE2016"),
            "{}",
            s["STNAME"]
        );
        assert_eq!(
            int(g, "pop_2017"),
            int(s, "POPESTIMATE2017"),
            "{}",
            s["STNAME"]
        );
    }
    let washington = out
        .iter()
        .filter(|r| r["region"].starts_with("Washington County, "))
        .count();
    assert_eq!(washington, 30);
    assert!(
        out.iter()
            .any(|r| r["region"] == "Doña Ana County, New Mexico")
    );
}

#[test]
fn census_counties_sum_to_their_states() {
    let args = county_args(COUNTIES);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, _) = ok(&args);
    check_county_totals(&out);
}

#[test]
fn census_counties_in_latin1_read_the_same_with_or_without_encoding_latin1() {
    let text = std::fs::read_to_string(COUNTIES).unwrap();
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("fits Latin-1"))
        .collect();
    assert_ne!(latin1.len(), text.len(), "the file has non-ASCII names");
    let dir = Scratch::new();
    let path = dir.write("co-est2017-alldata-latin1.csv", &latin1);
    let mut args = county_args(&path);
    args.extend(["--encoding".to_owned(), "latin1".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, _) = ok(&args);
    check_county_totals(&out);

    // Without --encoding, the same figures: the encoding is guessed at line 1836, and said.
    let plain = county_args(&path);
    let plain: Vec<&str> = plain.iter().map(String::as_str).collect();
    let (guessed, err) = ok(&plain);
    assert_eq!(guessed, out);
    assert!(err.contains("encoding windows-1252 (guessed)"), "{err}");
}

#[test]
fn counties_named_alone_collide_and_the_error_suggests_more_columns() {
    let err = fails(&[
        "compare",
        COUNTIES,
        "--where",
        "SUMLEV=050",
        "--region-col",
        "CTYNAME",
        "--value-col",
        "POPESTIMATE{year}",
    ]);
    assert!(
        err.contains("Autauga County has two different population figures")
            || err.contains("two different population figures"),
        "{err}"
    );
    assert!(
        err.contains("more columns with --region-col (e.g. CTYNAME,STNAME)"),
        "{err}"
    );
    assert!(err.contains("co-est2017-alldata.csv:"), "{err}");
}

const WB_PREAMBLE: &str = "\"Data Source\",\"World Development Indicators\",\r\n\r\n\"Last Updated Date\",\"2018-09-21\",\r\n\r\n";

#[test]
fn world_bank_as_downloaded_with_its_preamble() {
    let dir = Scratch::new();
    let mut bytes = WB_PREAMBLE.as_bytes().to_vec();
    bytes.extend(std::fs::read(WORLD_BANK).unwrap());
    let path = dir.write("API_SP.POP.TOTL_DS2_en_csv_v2.csv", bytes);

    // South Africa 2015 is published as 55011976.6820294 persons: refused under
    // --fractions error; the error names the line in the file as downloaded (line 62 of
    // the copy, plus 4 preamble lines).
    let err = fails(&["compare", &path, "--fractions", "error"]);
    assert!(
        err.contains("API_SP.POP.TOTL_DS2_en_csv_v2.csv:66:2015: bad population: not a whole number of persons (found \"3127290268.68203\")"),
        "{err}"
    );
    assert!(
        err.contains("leave out --fractions error to round them"),
        "{err}"
    );

    // As downloaded, no flags: rounded and listed, aggregates set apart.
    let (out, err) = ok(&["compare", &path]);
    assert!(err.contains("skipped 4 lines before the header"), "{err}");
    assert!(
        err.contains("1 region left out of the totals for lacking a year: Eritrea (no 2015, 2016)"),
        "{err}"
    );
    assert!(
        err.contains("popdelta: note: Rounded to whole persons (--fractions error refuses them): Early-demographic dividend 2015 (3127290268.68203), "),
        "{err}"
    );
    assert!(
        err.contains(", World 2015 (7355220411.68203) and 1 more.\n"),
        "{err}"
    );
    assert!(
        err.contains("popdelta: note: Not summed: 47 rows of the data are totals of others, shown after the total: Arab World (World Bank aggregate ARB), "),
        "{err}"
    );
    let out = rows(&out);
    // The 2017 column is empty everywhere, so the latest two years with data are compared.
    let china = out.iter().find(|r| r["region"] == "China").unwrap();
    assert_eq!(int(china, "pop_2015"), 1_371_220_000);
    assert_eq!(int(china, "pop_2016"), 1_378_665_000);
    let za = out.iter().find(|r| r["region"] == "South Africa").unwrap();
    assert_eq!(int(za, "pop_2015"), 55_011_977);
    let eritrea = out.iter().find(|r| r["region"] == "Eritrea").unwrap();
    assert_eq!(eritrea["change"], "");

    let err = fails(&["compare", &path, "--from", "2016", "--to", "2017"]);
    assert!(err.contains("year 2017 is not in the data"), "{err}");
}

/// The bundled figures as a Chinese yearbook export would have them: 10,000 persons.
fn chinese_export() -> String {
    let mut s = String::from("地区,年份,常住人口(万人)\r\n");
    for (name, y16, y17) in [
        ("北京", "2172.9", "2170.7"),
        ("上海", "2419.70", "2418.33"),
        ("吉林", "2733.03", "2717.43"),
        ("\"辽宁\"", "4377.8", "4368.9"),
    ] {
        s.push_str(&format!("{name},2016,{y16}\r\n{name},2017,{y17}\r\n"));
    }
    s
}

#[test]
fn gb18030_export_in_10k_units_reads_like_its_utf8_copy() {
    let dir = Scratch::new();
    let text = chinese_export();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let utf8 = dir.write("utf8.csv", text.as_bytes());
    let gbk = dir.write("gb.csv", &gb);
    let (a, _) = ok(&["compare", &utf8, "--unit", "10k"]);
    let (b, _) = ok(&["compare", &gbk, "--unit", "10k", "--encoding", "gb18030"]);
    assert_eq!(a, b);
    let (c, _) = ok(&["compare", &gbk, "--encoding", "gbk"]); // 万人 in the header: 10k
    assert_eq!(a, c);
    let out = rows(&a);
    let change = |n: &str| int(out.iter().find(|r| r["region"] == n).unwrap(), "change");
    assert_eq!(change("北京"), -22_000);
    assert_eq!(change("上海"), -13_700);
    assert_eq!(change("吉林"), -156_000);
    assert_eq!(change("辽宁"), -89_000);

    // With no flag: guessed, the same bytes out.
    let (d, err) = ok(&["compare", &gbk]);
    assert_eq!(d, c);
    assert!(err.contains("encoding gb18030 (guessed)"), "{err}");
}

#[test]
fn malformed_gb18030_names_the_line() {
    let dir = Scratch::new();
    let path = dir.write(
        "bad.csv",
        b"region,year,population\nA,2016,1\nB\x81\x20,2016,2\n",
    );
    let err = fails(&["compare", &path, "--encoding", "gb18030"]);
    assert!(
        err.contains("bad.csv:3: bytes 81 are not valid gb18030"),
        "{err}"
    );
}

#[test]
fn long_and_wide_and_split_files_agree() {
    let dir = Scratch::new();
    let long = dir.write(
        "long.csv",
        "region,group,year,population\nA,x,2016,100\nB,y,2016,50\nA,x,2017,90\nB,y,2017,60\n",
    );
    let wide = dir.write(
        "wide.csv",
        "region,group,2016,2017\nA,x,100,90\nB,y,50,60\n",
    );
    let y16 = dir.write(
        "y16.csv",
        "region,group,year,population\nA,x,2016,100\nB,y,2016,50\n",
    );
    let y17 = dir.write(
        "y17.csv",
        "region,group,year,population\nA,x,2017,90\nB,y,2017,60\nA,x,2016,100\n",
    );
    let (a, _) = ok(&["compare", &long, "--group-by", "group"]);
    let (b, _) = ok(&["compare", &wide, "--group-by", "group"]);
    let (c, _) = ok(&["compare", &y16, &y17, "--group-by", "group"]);
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(
        String::from_utf8(a).unwrap(),
        "level,region,group,pop_2016,pop_2017,change,change_pct\n\
         region,A,x,100,90,-10,-10.000\n\
         group,,x,100,90,-10,-10.000\n\
         region,B,y,50,60,10,20.000\n\
         group,,y,50,60,10,20.000\n\
         total,,,150,150,0,0.000\n"
    );
}

#[test]
fn the_same_region_year_twice_with_different_values_names_both_places() {
    let dir = Scratch::new();
    let a = dir.write("a.csv", "region,year,population\nA,2016,100\nA,2017,90\n");
    let b = dir.write("b.csv", "region,year,population\nB,2016,1\nA,2017,91\n");
    let err = fails(&["compare", &a, &b]);
    assert!(
        err.contains(
            "b.csv:3:population: A has two different population figures for 2017: 91 here and 90 at"
        ),
        "{err}"
    );
    assert!(err.contains("a.csv:3:population"), "{err}");
}

#[test]
fn csv_details_crlf_quotes_newlines_bom_and_trailing_comma() {
    let dir = Scratch::new();
    let path = dir.write(
        "details.csv",
        "\u{FEFF}\"Region\",\"2016\",\"2017\",\r\n\"Bei, \"\"jing\"\"\",\"21,729,000\",\"21,707,000\",\r\n\"Two\nlines\",1,2,\r\n",
    );
    let (out, _) = ok(&["compare", &path]);
    let out = rows(&out);
    assert_eq!(out[0]["region"], "Bei, \"jing\"");
    assert_eq!(int(&out[0], "change"), -22_000);
    assert_eq!(out[1]["region"], "Two\nlines");
}

#[test]
fn missing_markers_leave_a_region_out_and_name_it() {
    let dir = Scratch::new();
    let path = dir.write(
        "m.csv",
        "region,2016,2017\nA,10,12\nB,NA,5\nC,..,\nD,-,7\nE,8,9\n",
    );
    let (out, err) = ok(&["compare", &path]);
    assert_eq!(
        err,
        "popdelta: note: 3 regions left out of the totals for lacking a year: B (no 2016), \
         C (no 2016, 2017), D (no 2016)\n"
    );
    let out = rows(&out);
    let total = out.iter().find(|r| r["level"] == "total").unwrap();
    assert_eq!((int(total, "pop_2016"), int(total, "pop_2017")), (18, 21));
}

#[test]
fn default_years_ignore_a_year_column_that_is_empty_everywhere() {
    let dir = Scratch::new();
    let path = dir.write("e.csv", "region,2015,2016,2017,2018\nA,1,2,3,\nB,4,5,6,\n");
    let (out, _) = ok(&["compare", &path]);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .starts_with("level,region,group,pop_2016,pop_2017,")
    );
}

#[test]
fn stdin_as_dash() {
    let out = popdelta()
        .args(["compare", "-"])
        .write_stdin("region,year,population\nA,2016,10\nA,2017,15\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("region,A,,10,15,5,50.000")
    );
}

#[test]
fn units_convert_exactly_or_refuse() {
    let dir = Scratch::new();
    let path = dir.write("u.csv", "region,2016,2017\nA,1.5,2.2505\n");
    let (out, _) = ok(&["compare", &path, "--unit", "million"]);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("region,A,,1500000,2250500,750500,50.033")
    );
    let err = fails(&[
        "compare",
        &path,
        "--unit",
        "thousand",
        "--fractions",
        "error",
    ]);
    assert!(
        err.contains(
            "u.csv:2:2017: bad population: not a whole number of persons (found \"2.2505\")"
        ),
        "{err}"
    );
    // Rounded by default, and said.
    let (out, err) = ok(&["compare", &path, "--unit", "thousand"]);
    assert!(
        err.contains("Rounded to whole persons (--fractions error refuses them): A 2017 (2.2505)"),
        "{err}"
    );
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("region,A,,1500,2251,751,50.067")
    );
}

/// One small file per kind of malformed input: exit 2, file, line and the offending text.
#[test]
fn each_malformed_input_names_file_line_and_text() {
    let dir = Scratch::new();
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (
            "ragged.csv",
            "region,2016,2017\nA,1,2\nB,3\n",
            &[],
            "ragged.csv:3: expected 3 fields, as in the header, but found 2",
        ),
        (
            "seps.csv",
            "region,2016,2017\nA,\"1,2\",3\n",
            &[],
            "seps.csv:2:2016: bad population: thousands separators must group digits by three",
        ),
        (
            "text.csv",
            "region,2016,2017\nA,many,3\n",
            &[],
            "text.csv:2:2016: bad population: not a number (found \"many\")",
        ),
        (
            "neg.csv",
            "region,2016,2017\nA,-5,3\n",
            &[],
            "neg.csv:2:2016: bad population: a population cannot be negative (found \"-5\")",
        ),
        (
            "frac.csv",
            "region,2016,2017\nA,1.23456,3\n",
            &["--unit", "10k", "--fractions", "error"],
            "frac.csv:2:2016: bad population: not a whole number of persons (found \"1.23456\")",
        ),
        (
            "noregion.csv",
            "place,kind,2016,2017\nA,x,1,2\n",
            &[],
            "noregion.csv:1: no region column",
        ),
        (
            "nolayout.csv",
            "region,a,b\nA,1,2\n",
            &[],
            "nolayout.csv:1: cannot tell the layout",
        ),
        (
            "dup.csv",
            "region,year,year,population\nA,2016,2016,1\n",
            &[],
            "dup.csv:1: column \"year\" appears more than once in the header (columns 2 and 3)",
        ),
        (
            "badyear.csv",
            "region,year,population\nA,20x6,1\n",
            &[],
            "badyear.csv:2:year: not a year (found \"20x6\")",
        ),
        ("empty.csv", "", &[], "empty.csv:1: the file is empty"),
        (
            "utf16.csv",
            "\u{FEFF}",
            &["--encoding", "utf-8"],
            "utf16.csv:1: the file is UTF-16",
        ),
        (
            "group.csv",
            "region,g,year,population\nA,x,2016,1\nA,y,2017,2\n",
            &["--group-by", "g"],
            "group.csv:3:g: A is in group \"x\" at ",
        ),
        (
            "nocol.csv",
            "region,2016,2017\nA,1,2\n",
            &["--region-col", "NAME"],
            "nocol.csv:1: no column \"NAME\" in the header; --region-col must name one of: \"region\", \"2016\", \"2017\"",
        ),
        (
            "pattern.csv",
            "region,year,population\nA,2016,1\n",
            &["--value-col", "POP{year}"],
            "pattern.csv:1: no column matches the population columns \"POP{year}\"",
        ),
        (
            "emptyregion.csv",
            "region,2016,2017\n,1,2\n",
            &[],
            "emptyregion.csv:2:region: empty region name",
        ),
    ];
    for (name, content, extra, want) in cases {
        let bytes: Vec<u8> = if *name == "utf16.csv" {
            vec![0xFF, 0xFE, b'r', 0]
        } else {
            content.as_bytes().to_vec()
        };
        let path = dir.write(name, bytes);
        let mut args = vec!["compare", path.as_str()];
        args.extend_from_slice(extra);
        let err = fails(&args);
        assert!(err.contains(want), "{name}: {err}");
    }
}

#[test]
fn a_duplicate_header_that_is_not_used_is_fine() {
    let dir = Scratch::new();
    let path = dir.write("d.csv", "region,note,note,2016,2017\nA,x,y,1,2\n");
    ok(&["compare", &path]);
}

#[test]
fn data_options_do_not_mix_with_the_bundled_data() {
    let err = fails(&["compare", STATES, "--dataset", "china"]);
    assert!(err.contains("--dataset china is the bundled data"), "{err}");
    let err = fails(&["compare", "--group-by", "REGION"]);
    assert!(
        err.contains("is not a grouping of the bundled data"),
        "{err}"
    );
    let err = fails(&["compare", "no/such/file.csv"]);
    assert!(
        err.contains("no/such/file.csv: No such file or directory"),
        "{err}"
    );
    let err = fails(&["compare", STATES, "--births-col", "BIRTHS{year}"]);
    assert!(
        err.contains("--births-col and --deaths-col go together"),
        "{err}"
    );
}

#[test]
fn group_by_a_column_sorts_numbers_by_value() {
    let dir = Scratch::new();
    let path = dir.write("g.csv", "region,g,2016,2017\nA,10,1,2\nB,2,3,4\nC,x,5,6\n");
    let (out, _) = ok(&["compare", &path, "--group-by", "g"]);
    let groups: Vec<String> = rows(&out)
        .into_iter()
        .filter(|r| r["level"] == "group")
        .map(|r| r["group"].clone())
        .collect();
    assert_eq!(groups, ["2", "10", "x"]);
}

#[test]
fn components_from_a_natural_rate_in_a_long_file() {
    let dir = Scratch::new();
    // Liaoning as the bundled data has it, in 10,000 persons with the 2017 rate.
    let path = dir.write(
        "ln.csv",
        "地区,年份,常住人口,自然增长率\n辽宁,2016,4377.8万,-0.18\n辽宁,2017,4368.9万,-0.44\n\
         吉林,2016,2733.03万,\n吉林,2017,2717.43万,NA\n",
    );
    let (out, _) = ok(&["compare", &path, "--natural-rate-col", "自然增长率"]);
    let out = rows(&out);
    let ln = out.iter().find(|r| r["region"] == "辽宁").unwrap();
    assert_eq!(int(ln, "natural_increase"), -19_243);
    assert_eq!(int(ln, "net_migration"), -69_757);
    assert_eq!(ln["net_migration_per_1000"], "-1.595");
    let jl = out.iter().find(|r| r["region"] == "吉林").unwrap();
    assert_eq!(jl["natural_increase"], "");
    let total = out.iter().find(|r| r["level"] == "total").unwrap();
    assert_eq!(
        total["natural_increase"], "",
        "a total that includes Jilin has none"
    );

    let (table, _) = ok(&[
        "compare",
        &path,
        "--natural-rate-col",
        "自然增长率",
        "--format",
        "table",
    ]);
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.contains("No components of change for 1 region (吉林)"),
        "{table}"
    );
    assert!(
        table.contains("net migration = change - natural"),
        "{table}"
    );
}

#[test]
fn components_from_birth_and_death_rate_patterns_over_two_years() {
    let dir = Scratch::new();
    let path = dir.write(
        "w.csv",
        "region,p2015,p2016,p2017,b2016,d2016,b2017,d2017\nA,1000000,1002000,1001000,10.5,8.5,9,9.5\n",
    );
    let (out, _) = ok(&[
        "compare",
        &path,
        "--value-col",
        "p{year}",
        "--birth-rate-col",
        "b{year}",
        "--death-rate-col",
        "d{year}",
        "--from",
        "2015",
        "--to",
        "2017",
    ]);
    let out = rows(&out);
    // 2.0 / 1000 x 1,001,000 + (-0.5) / 1000 x 1,001,500 = 2002 - 500.75 = 1501.25 -> 1501
    assert_eq!(int(&out[0], "natural_increase"), 1501);
    assert_eq!(int(&out[0], "net_migration"), 1000 - 1501);

    let gap = dir.write(
        "gap.csv",
        "region,p2015,p2016,p2017,r2016,r2017\nA,1000,,1100,1,1\n",
    );
    let err = fails(&[
        "compare",
        &gap,
        "--value-col",
        "p{year}",
        "--natural-rate-col",
        "r{year}",
        "--from",
        "2015",
        "--to",
        "2017",
    ]);
    assert!(
        err.contains("A: no population for 2016, which the natural growth rate of 2016 needs"),
        "{err}"
    );
}

#[test]
fn counts_and_rates_do_not_mix() {
    let err = fails(&[
        "compare",
        STATES,
        "--births-col",
        "B{year}",
        "--deaths-col",
        "D{year}",
        "--natural-rate-col",
        "R{year}",
    ]);
    assert!(err.contains("give components either as counts"), "{err}");
}

/// Regression: the OS's reason was printed twice ("...: Is a directory (os error 21): Is a
/// directory (os error 21)") when the error chain was printed after a message that holds it.
#[test]
fn an_io_error_names_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().display().to_string();
    let err = fails(&["compare", &path]);
    assert_eq!(
        err,
        format!("popdelta: error: {path}: Is a directory (os error 21)\n")
    );
}
