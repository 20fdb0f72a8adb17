//! Files as statistics offices publish them (byte for byte copies in tests/data/real, see
//! SOURCES.md there): the right answer with no flags, or a refusal naming the flag.

mod common;

use common::{popdelta, refused, run};

const REAL: &str = "tests/data/real";

fn real(name: &str) -> String {
    format!("{REAL}/{name}")
}

/// The CSV row whose level and name (the region's, or the group's on group rows) are these.
fn row(csv: &str, level: &str, name: &str) -> Vec<String> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .find(|f| {
            f[0] == level
                && match level {
                    "group" => f[2] == name,
                    "total" => true,
                    _ => f[1] == name,
                }
        })
        .unwrap_or_else(|| panic!("no {level} row {name:?} in {csv}"))
}

#[test]
fn world_bank_download_totals_the_countries_not_the_aggregates() {
    let (out, err) = run(&[
        "compare",
        &real("worldbank-API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv"),
    ]);
    // 2019 is empty everywhere: the latest two years with data.
    let germany = row(&out, "region", "Germany");
    assert_eq!(germany[3..6], ["82657002", "82927922", "270920"]);
    // The 217 economies (Eritrea lacks 2018): 7,567,243,296, within 1% of World.
    let total = row(&out, "total", "");
    assert_eq!(total[4], "7567243296");
    let world = row(&out, "aggregate", "World");
    assert_eq!(world[4], "7594270356");
    let (t, w): (i64, i64) = (total[4].parse().unwrap(), world[4].parse().unwrap());
    assert!((w - t) * 100 < w, "{t} vs {w}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("aggregate,")).count(),
        47
    );
    assert!(
        err.contains("Not summed: 47 rows of the data are totals of others"),
        "{err}"
    );
    assert!(
        err.contains("Arab World (World Bank aggregate ARB)"),
        "{err}"
    );
}

#[test]
fn census_states_mixing_nation_regions_and_states_are_refused_naming_sumlev() {
    let err = refused(&["compare", "tests/data/us-census/nst-est2017-alldata.csv"]);
    assert_eq!(
        err,
        "popdelta: error: tests/data/us-census/nst-est2017-alldata.csv:1:SUMLEV: the rows are \
         of several summary levels (SUMLEV 10 (1 row), 20 (4 rows), 40 (52 rows)), which \
         summed would count people more than once; keep one level, e.g. --where SUMLEV=40"
    );
}

#[test]
fn census_states_say_puerto_rico_is_in_the_total_and_match_the_nation_without_it() {
    let file = "tests/data/us-census/nst-est2017-alldata.csv";
    let (out, err) = run(&["compare", file, "--where", "SUMLEV=40"]);
    assert!(
        err.contains(
            "nst-est2017-alldata.csv: Puerto Rico has REGION X, in no census region, so the \
             total holds more than the nation's; --where REGION!=X leaves it out\n"
        ),
        "{err}"
    );
    assert_eq!(row(&out, "total", "")[3..5], ["326812455", "329056355"]);
    // The hint followed: the 50 states and DC sum to the file's United States row.
    let (out, err) = run(&[
        "compare",
        file,
        "--where",
        "SUMLEV=40",
        "--where",
        "REGION!=X",
    ]);
    assert!(!err.contains("REGION X"), "{err}");
    assert_eq!(row(&out, "total", "")[3..5], ["323405935", "325719178"]);
}

#[test]
fn census_counties_2021_sum_to_the_nation_once_a_level_is_chosen() {
    let file = real("census-co-est2021-alldata.csv");
    // Latin-1 (Doña Ana County, line 1837, 370 KB in): guessed, and said.
    let (out, err) = run(&[
        "compare",
        &file,
        "--where",
        "SUMLEV=050",
        "--group-by",
        "STNAME",
    ]);
    assert!(
        err.contains(
            "encoding windows-1252 (guessed); regions from columns CTYNAME and STNAME; \
             populations from POPESTIMATE{year} (say --encoding, --region-col or --value-col \
             otherwise)"
        ),
        "{err}"
    );
    let total = row(&out, "total", "");
    assert_eq!(total[3..5], ["331501080", "331893745"]);
    let california = row(&out, "group", "California");
    assert_eq!(california[3..6], ["39499738", "39237836", "-261902"]);
    let la = row(&out, "region", "Los Angeles County, California");
    assert_eq!(la[3..6], ["9989165", "9829544", "-159621"]);
    assert!(out.contains("region,\"Doña Ana County, New Mexico\",New Mexico,219899,221508,"));
    // Or the states, whose total is the same.
    let (out, _) = run(&[
        "compare",
        &file,
        "--encoding",
        "latin1",
        "--where",
        "SUMLEV=40",
        "--region-col",
        "STNAME",
    ]);
    assert_eq!(row(&out, "total", "")[4], "331893745");
}

#[test]
fn eurostat_tsv_with_flags_and_a_compound_key() {
    let file = real("eurostat-demo_gind-population-change-2016.tsv");
    let err = refused(&["compare", &file]);
    assert!(
        err.contains(
            ":1:indic_de: the rows hold more than one indic_de (AVG, CNMIGRAT, CNMIGRATRT, DEATH, \
             FAVG, FDEATH, FJAN, FLBIRTH, ...), whose figures are not to be summed; keep one \
             with --where indic_de=JAN"
        ),
        "{err}"
    );
    let (out, err) = run(&["compare", &file, "--where", "indic_de=JAN"]);
    assert_eq!(
        row(&out, "region", "DE")[3..6],
        ["80767463", "81174000", "406537"]
    );
    assert_eq!(
        row(&out, "region", "FR")[3..6],
        ["65835579", "66352469", "516890"]
    );
    // EU28 and the other groups are shown apart, not summed.
    assert_eq!(
        row(&out, "aggregate", "EU28")[3..6],
        ["506880616", "508191116", "1310500"]
    );
    assert!(err.contains("fields separated by tabs"), "{err}");
    assert!(
        err.contains("flags after figures read as flags, not figures: b ("),
        "{err}"
    );
    assert!(err.contains("EU28 (a Eurostat group code)"), "{err}");
}

#[test]
fn nbs_export_with_preamble_footer_and_gbk() {
    let file = real("nbs-china-province-annual-population-sample-survey-gbk.csv");
    let (out, err) = run(&["compare", &file]);
    assert!(
        err.contains("encoding gb18030 (guessed) (say --encoding otherwise)"),
        "{err}"
    );
    assert_eq!(
        row(&out, "region", "北京市")[3..6],
        ["23018", "22470", "-548"]
    );
    let (out, err) = run(&["compare", &file, "--encoding", "gb18030"]);
    assert!(!err.contains("guessed"), "{err}");
    assert_eq!(
        row(&out, "region", "北京市")[3..6],
        ["23018", "22470", "-548"]
    );
    assert_eq!(row(&out, "total", "")[4], "1447436");
    assert!(err.contains("skipped 3 lines before the header"), "{err}");
    assert!(
        err.contains("the data ends at line 36, where notes begin (\"注：1.2005年"),
        "{err}"
    );
}

#[test]
fn nbs_style_export_in_ten_thousands_says_its_unit_before_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let text = "数据库：分省年度数据\r\n指标：年末常住人口(万人)\r\n时间：最近2年\r\n\
                地区,2017年,2016年\r\n北京市,2170.7,2172.9\r\n吉林省,2717.43,2733.03\r\n\
                注：数据来源于国家统计局。\r\n数据来源：国家统计局\r\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let path = dir.path().join("分省年度数据.csv");
    std::fs::write(&path, &bytes).unwrap();
    let path = path.display().to_string();
    let (out, err) = run(&["compare", &path, "--encoding", "gbk"]);
    assert_eq!(
        row(&out, "region", "北京市")[3..6],
        ["21729000", "21707000", "-22000"]
    );
    assert_eq!(
        row(&out, "region", "吉林省")[3..6],
        ["27330300", "27174300", "-156000"]
    );
    assert!(
        err.contains(
            "values in 10,000 persons, as \"指标：年末常住人口(万人)\" says (say --unit otherwise)"
        ),
        "{err}"
    );
}

#[test]
fn estat_japan_in_shift_jis_is_read_with_no_flag_the_encoding_guessed() {
    let (out, err) = run(&[
        "compare",
        &real("estat-jp-FEH_00200524-population-estimates-prefectures-cp932.csv"),
        "--where",
        "男女別=男女計",
        "--where",
        "人口=総人口",
    ]);
    assert!(
        err.contains("encoding shift_jis (guessed); values in thousands of persons"),
        "{err}"
    );
    assert_eq!(
        row(&out, "region", "東京都")[3..6],
        ["14086000", "14178000", "92000"]
    );
}

#[test]
fn destatis_latin1_is_read_with_no_flag_the_encoding_guessed() {
    let file = real("destatis-regionalstatistik-12411-01-01-4-kreise-2015-latin1.csv");
    // One reference date: read (Lübeck decoded), then refused for want of a second year.
    let err = refused(&["compare", &file]);
    assert!(
        err.contains("has population figures for fewer than two years (2015)"),
        "{err}"
    );
    let out = popdelta().args(["compare", &file]).output().unwrap();
    let all = String::from_utf8_lossy(&out.stderr);
    assert!(all.contains("encoding windows-1252 (guessed)"), "{all}");
}

#[test]
fn estat_japan_names_every_breakdown_then_reads_its_stated_thousands() {
    let file = real("estat-jp-FEH_00200524-population-estimates-prefectures-cp932.csv");
    // Both breakdowns have a total (男女計, 総人口): read there with no flags, and said.
    let (plain, said) = run(&["compare", &file, "--encoding", "shift_jis"]);
    assert!(
        said.contains(
            "breakdowns read at their totals, never summed: 男女別=男女計 (of 3), 人口=総人口 \
             (of 2)"
        ),
        "{said}"
    );
    let (out, err) = run(&[
        "compare",
        &file,
        "--encoding",
        "shift_jis",
        "--where",
        "男女別=男女計",
        "--where",
        "人口=総人口",
    ]);
    assert_eq!(plain, out);
    // SOURCES.md: 東京都 14,086 -> 14,178 thousand; 北海道 5,043 thousand in 2024; the 47
    // prefectures sum to 123,803 thousand, against 全国's 123,802 (rounding).
    assert_eq!(
        row(&out, "region", "東京都")[3..6],
        ["14086000", "14178000", "92000"]
    );
    assert_eq!(row(&out, "region", "北海道")[4], "5043000");
    assert_eq!(row(&out, "total", "")[4], "123803000");
    assert_eq!(row(&out, "aggregate", "全国")[4], "123802000");
    assert!(
        err.contains("values in thousands of persons, as \"人口【千人】\" says"),
        "{err}"
    );
    // Regions named by their code: the label column beside it is not a breakdown.
    let (out, _) = run(&[
        "compare",
        &file,
        "--encoding",
        "shift_jis",
        "--where",
        "男女別=男女計",
        "--where",
        "人口=総人口",
        "--region-col",
        "全国・都道府県 コード",
    ]);
    assert_eq!(
        row(&out, "region", "13000")[3..6],
        ["14086000", "14178000", "92000"]
    );
}

#[test]
fn an_unquoted_estat_table_in_thousands_is_not_read_as_persons() {
    // Unquoted and in UTF-8, the file is one the fast path could take: it must not, as the
    // unit is in a label cell.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estat.csv");
    std::fs::write(
        &path,
        "表章項目 コード,表章項目,男女別 コード,男女別,全国・都道府県 コード,全国・都道府県,\
         2023年,2024年\n\
         001,人口【千人】,000,男女計,01000,北海道,5092,5043\n\
         001,人口【千人】,000,男女計,13000,東京都,14086,14178\n",
    )
    .unwrap();
    let (out, err) = run(&["compare", &path.display().to_string()]);
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["19178000", "19221000", "43000"]
    );
    assert!(
        err.contains("values in thousands of persons, as \"人口【千人】\" says"),
        "{err}"
    );
}

#[test]
fn semicolon_and_tab_files_are_read_and_said() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sep, said) in [
        ("semi.csv", ";", "fields separated by ';'"),
        ("tabs.tsv", "\t", "fields separated by tabs"),
        ("pipes.txt", "|", "fields separated by '|'"),
    ] {
        let path = dir.path().join(name);
        let text = format!(
            "Region{sep}2016{sep}2017\nBayern{sep}12691568{sep}12843514\nMünchen, Stadt{sep}1429584{sep}1450381\n"
        );
        std::fs::write(&path, text).unwrap();
        let (out, err) = run(&["compare", &path.display().to_string()]);
        assert!(
            out.contains("region,Bayern,,12691568,12843514,151946,1.197\n"),
            "{out}"
        );
        assert!(
            out.contains("region,\"München, Stadt\",,1429584,1450381,20797,"),
            "{out}"
        );
        assert!(err.contains(said), "{err}");
    }
}

#[test]
fn a_utf16_file_is_read_by_its_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unicode.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "region\t2016\t2017\r\n北京\t21729000\t21707000\r\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let (out, _) = run(&["compare", &path.display().to_string()]);
    assert!(
        out.contains("region,北京,,21729000,21707000,-22000,-0.101"),
        "{out}"
    );
}

#[test]
fn un_wpp_workbook_counts_countries_only_in_thousands() {
    let (out, err) = run(&[
        "compare",
        &real("undesa-WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx"),
    ]);
    assert!(err.contains("read sheet \"ESTIMATES\" of 11 ("), "{err}");
    assert!(
        err.contains("values in thousands of persons, as \"File POP/1-1"),
        "{err}"
    );
    assert_eq!(
        row(&out, "region", "Germany")[3..6],
        ["83517045", "83783942", "266897"]
    );
    // The 235 countries sum to WORLD exactly; the 54 rows of other types are set apart.
    let total = row(&out, "total", "");
    let world = row(&out, "aggregate", "WORLD");
    assert_eq!(total[3..6], world[3..6]);
    assert_eq!(total[4], "7794798739");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("region,")).count(),
        235
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("aggregate,")).count(),
        54
    );
    assert!(
        err.contains("WORLD (Type World), UN development groups (Type Label/Separator)"),
        "{err}"
    );
}

#[test]
fn gzip_and_zip_downloads_are_opened() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let csv = "region,2016,2017\nA,100,90\nB,5,6\n";
    let gz = dir.path().join("pop.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(csv.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let (out, _) = run(&["compare", &gz.display().to_string()]);
    assert!(out.contains("total,,,105,96,-9,-8.571"), "{out}");

    // A World Bank zip: the data CSV and its Metadata_Country file beside it.
    let zip_path = dir.path().join("API_SP.POP.TOTL_DS2_en_csv_v2.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for name in [
        "worldbank-API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv",
        "worldbank-Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_739890.csv",
    ] {
        let inner = name.trim_start_matches("worldbank-");
        zip.start_file(inner, opts).unwrap();
        zip.write_all(&std::fs::read(real(name)).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    let zip_path = zip_path.display().to_string();
    let (out, err) = run(&["compare", &zip_path, "--group-by", "Region"]);
    assert!(
        err.contains("read API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv, with each country's Region and IncomeGroup"),
        "{err}"
    );
    assert_eq!(row(&out, "total", "")[4], "7567243296");
    let europe = row(&out, "group", "Europe & Central Asia");
    assert!(
        europe[4].parse::<i64>().unwrap() > 900_000_000,
        "{europe:?}"
    );
    let (out, _) = run(&["compare", &zip_path, "--group-by", "IncomeGroup"]);
    row(&out, "group", "High income");
}

#[test]
fn formats_popdelta_does_not_read_are_named_not_decoded() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, what) in [
        (
            "t.parquet",
            &b"PAR1\x15\x04\x15\x10"[..],
            "is a Parquet file",
        ),
        ("t.pdf", b"%PDF-1.7\n", "is a PDF document"),
        (
            "t.json",
            b"[{\"region\": \"A\", \"2016\": 1}]",
            "is JSON, but not JSON-stat; popdelta reads CSV and TSV text, JSON-stat, \
             SDMX-CSV, SDMX-JSON, SDMX-ML, PC-Axis, xlsx, xlsb, xls and ods workbooks, and gz and zip archives of them: \
             export it as CSV",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.display().to_string();
        let err = refused(&["compare", &path]);
        if name.ends_with(".json") {
            assert_eq!(err, format!("popdelta: error: {path} {what}"));
            continue;
        }
        assert_eq!(
            err,
            format!(
                "popdelta: error: {path} {what}; popdelta reads CSV and TSV text, JSON-stat, \
                 SDMX-CSV, SDMX-JSON, SDMX-ML, PC-Axis, xlsx, xlsb, xls and ods workbooks, and gz and zip archives of them: \
                 export it as CSV"
            )
        );
    }
}

#[test]
fn periods_read_as_years_when_each_year_has_one() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    // Statistics Canada's layout: REF_DATE, GEO, DGUID (Canada is schema A0000), VALUE.
    let statcan = write(
        "1710000901.csv",
        "\"REF_DATE\",\"GEO\",\"DGUID\",\"UOM\",\"VALUE\"\n\
         \"2024-04\",\"Canada\",\"2016A000011124\",\"Persons\",\"41012563\"\n\
         \"2024-04\",\"Ontario\",\"2016A000235\",\"Persons\",\"16124116\"\n\
         \"2024-04\",\"Quebec\",\"2016A000224\",\"Persons\",\"8948540\"\n\
         \"2024-07\",\"Canada\",\"2016A000011124\",\"Persons\",\"41288599\"\n\
         \"2024-07\",\"Ontario\",\"2016A000235\",\"Persons\",\"16258260\"\n\
         \"2024-07\",\"Quebec\",\"2016A000224\",\"Persons\",\"8987951\"\n\
         \"2025-07\",\"Canada\",\"2016A000011124\",\"Persons\",\"41528680\"\n\
         \"2025-07\",\"Ontario\",\"2016A000235\",\"Persons\",\"16330000\"\n\
         \"2025-07\",\"Quebec\",\"2016A000224\",\"Persons\",\"9010000\"\n",
    );
    // Two periods of 2024: the periods are compared as they are (was: refused, "compares
    // one figure a year"), the latest two by default.
    let (out, err) = run(&["compare", &statcan, "--format", "csv"]);
    assert!(
        out.starts_with("level,region,group,pop_2024-07,pop_2025-07,change,change_pct\n"),
        "{out}"
    );
    assert!(
        err.contains(
            "periods 2024-07 -> 2025-07, the latest two of 3 with figures (2024-04 to 2025-07)"
        ),
        "{err}"
    );
    // One period a year: each stands for its year.
    let (out, err) = run(&[
        "compare",
        &statcan,
        "--where",
        "REF_DATE=2024-07|2025-07",
        "--from",
        "2024",
        "--to",
        "2025",
    ]);
    assert!(
        out.starts_with("level,region,group,pop_2024,pop_2025,"),
        "{out}"
    );
    assert_eq!(
        row(&out, "region", "Ontario")[3..6],
        ["16258260", "16330000", "71740"]
    );
    assert_eq!(row(&out, "total", "")[4], "25340000");
    assert_eq!(row(&out, "aggregate", "Canada")[4], "41528680");
    assert!(
        err.contains("Canada (DGUID 2016A000011124, the whole country)"),
        "{err}"
    );

    // Quarterly columns are quarters (was: refused, "both hold the population of 2016"),
    // or one a year by a pattern.
    let quarterly = write("q.csv", "region,2016Q2,2016Q4,2017Q2,2017Q4\nA,1,2,3,4\n");
    let (out, _) = run(&["compare", &quarterly]);
    assert!(
        out.starts_with("level,region,group,pop_2017-Q2,pop_2017-Q4,change,change_pct\n"),
        "{out}"
    );
    assert!(out.contains("region,A,,3,4,1,33.333"), "{out}");
    let (out, _) = run(&["compare", &quarterly, "--value-col", "{year}Q4"]);
    assert!(out.contains("region,A,,2,4,2,100.000"), "{out}");

    // Dates as GENESIS writes them: one a year.
    let dates = write(
        "d.csv",
        "Kreis;31.12.2014;31.12.2015\nMünchen;1429584;1450381\n",
    );
    let (out, _) = run(&["compare", &dates]);
    assert!(
        out.contains("region,München,,1429584,1450381,20797,1.455"),
        "{out}"
    );
}

#[test]
fn genesis_table_with_two_header_rows_and_nested_codes() {
    let file = real("destatis-regionalstatistik-12411-01-01-4-kreise-1995-2015.csv");
    let (out, err) = run(&["compare", &file]);
    // The Kreise and the Länder without Kreise (Hamburg, Berlin) are summed; where a
    // Land's Kreise do not add up to it in a year, the Land itself is.
    let total = row(&out, "total", "");
    assert_eq!(total[3..6], ["81197537", "82175684", "978147"]);
    assert_eq!(row(&out, "aggregate", "Deutschland")[3..6], total[3..6]);
    assert_eq!(
        row(&out, "region", "München, Landeshauptstadt")[3..6],
        ["1429584", "1450381", "20797"]
    );
    assert_eq!(
        row(&out, "aggregate", "Bayern")[3..6],
        ["12691568", "12843514", "151946"]
    );
    assert_eq!(row(&out, "region", "Hamburg")[4], "1787408");
    assert_eq!(row(&out, "region", "Berlin")[4], "3520031");
    // All 402 Kreise, each once (before: 350). A part with no figure in any year (03159
    // Göttingen, formed 2016) does not break Braunschweig's sum; Regierungsbezirke replaced
    // by NUTS-2 regions (Sachsen) or Kreise merged (Sachsen-Anhalt, Aachen) count once.
    let kreise = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[0] == "region" && !r[3].is_empty() && !r[4].is_empty())
        .count();
    assert_eq!(kreise, 402);
    assert_eq!(
        row(&out, "aggregate", "Braunschweig, Stat. Region")[3..6],
        ["1579754", "1598164", "18410"]
    );
    assert_eq!(
        row(&out, "region", "Erzgebirgskreis")[3..6],
        ["349582", "347665", "-1917"]
    );
    assert_eq!(row(&out, "aggregate", "Aachen, krfr. Stadt")[4], "245885");
    // Every shrinking Kreis (before: 17 of 29, Erzgebirgskreis not among them).
    let (declining, _) = run(&["compare", &file, "--declining"]);
    let shrinking: Vec<&str> = declining
        .lines()
        .filter(|l| l.starts_with("region,"))
        .collect();
    assert_eq!(shrinking.len(), 29, "{declining}");
    assert!(declining.contains("region,Erzgebirgskreis,,349582,347665,-1917,"));
    assert!(err.contains("fields separated by ';'"), "{err}");
    assert!(err.contains("the data ends at line 535"), "{err}");
    assert!(
        err.contains("Deutschland (code DG, the sum of the codes within it)"),
        "{err}"
    );
    // The Census-2011 break shows as it is published, and is said (before: no word).
    let (out, err) = run(&["compare", &file, "--from", "2010", "--to", "2011"]);
    assert_eq!(
        row(&out, "total", "")[3..6],
        ["81751602", "80327900", "-1423702"]
    );
    assert!(
        err.contains(
            "popdelta: note: A break in the series in 2011, which these years span: the data \
             says \"ab dem Berichtsjahr 2011: nach dem Zensus 2011\". Part of the change is the \
             new basis, not people: compare years on one side of it."
        ),
        "{err}"
    );
    // Every person once in every pair of years, whatever reform falls between: the sum
    // of the regions compared is Germany's own row (Sachsen's Regierungsbezirke and
    // NUTS-2 regions overlap until 2007, Mecklenburg-Vorpommern's Kreise were merged in
    // 2011, Aachen's Kreis became the Städteregion in 2009).
    for (from, to) in [
        ("1995", "1996"),
        ("2005", "2006"),
        ("2008", "2009"),
        ("1995", "2015"),
    ] {
        let (out, _) = run(&["compare", &file, "--from", from, "--to", to]);
        assert_eq!(
            row(&out, "total", "")[3..6],
            row(&out, "aggregate", "Deutschland")[3..6],
            "{from} -> {to}"
        );
    }
    let (_, err) = run(&["compare", &file, "--from", "2012", "--to", "2015"]);
    assert!(!err.contains("A break in the series"), "{err}");
    let (_, err) = run(&["trend", &file]);
    assert!(err.contains("A break in the series in 2011"), "{err}");
    // One date only: nothing to compare, said.
    let err = refused(&[
        "compare",
        &real("destatis-regionalstatistik-12411-01-01-4-kreise-2015-latin1.csv"),
        "--encoding",
        "latin1",
    ]);
    assert!(
        err.contains("has population figures for fewer than two years (2015)"),
        "{err}"
    );
}

#[test]
fn german_numbers_with_points_between_thousands_and_a_decimal_comma() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bevoelkerung.csv");
    std::fs::write(
        &path,
        "Kreis;2016;2017\nMünchen;1.429.584;1.450.381\nBayern;12.691.568;12.843.514\n",
    )
    .unwrap();
    let path = path.display().to_string();
    let (out, err) = run(&["compare", &path]);
    assert!(
        out.contains("region,München,,1429584,1450381,20797,1.455"),
        "{out}"
    );
    assert!(
        err.contains("numbers written 1.234.567,8; fields separated by ';' (say --decimal or --delimiter otherwise)"),
        "{err}"
    );
    // In 10,000 persons with a decimal comma.
    let path = dir.path().join("wan.csv");
    std::fs::write(&path, "Land;2016;2017\nBeijing;2172,9;2170,7\n").unwrap();
    let (out, _) = run(&["compare", &path.display().to_string(), "--unit", "10k"]);
    assert!(
        out.contains("region,Beijing,,21729000,21707000,-22000,-0.101"),
        "{out}"
    );
    // Said outright, for a file whose first lines do not show it.
    let path = dir.path().join("said.csv");
    std::fs::write(&path, "Land;2016;2017\nA;1.000;2.000\n").unwrap();
    let err = refused(&["compare", &path.display().to_string()]);
    assert!(err.contains("say --decimal ,"), "{err}");
    let (out, _) = run(&["compare", &path.display().to_string(), "--decimal", ","]);
    assert!(out.contains("region,A,,1000,2000,1000,100.000"), "{out}");
}

#[test]
fn census_intercensal_xls_two_row_header_dotted_states_and_footnoted_years() {
    // Before: refused "no region column" at its first line, a flag that could not fix it.
    let file = real("census-st-est00int-01-intercensal-states-2000-2010.xls");
    let (out, err) = run(&["compare", &file, "--from", "2005", "--to", "2006"]);
    // SOURCES.md: Louisiana, July 1 2005 -> 2006 (Hurricane Katrina).
    assert_eq!(
        row(&out, "region", "Louisiana")[3..6],
        ["4576628", "4302665", "-273963"]
    );
    // The 51 states (the dotted rows) sum to the nation; the nation, its four regions and
    // Puerto Rico (no dot) are set apart.
    let total = row(&out, "total", "");
    assert_eq!(total[3..5], ["295516599", "298379912"]);
    assert_eq!(row(&out, "aggregate", "United States")[3..5], total[3..5]);
    assert_eq!(row(&out, "aggregate", "Puerto Rico")[4], "3805214");
    // Before: Puerto Rico was "a total: the parts are marked with a leading dot", a total
    // of nothing.
    assert!(
        err.contains("Puerto Rico (outside the parts, which are marked with a leading dot)"),
        "{err}"
    );
    assert_eq!(out.lines().filter(|l| l.starts_with("region,")).count(), 51);
    assert!(
        err.contains(
            "the header is lines 3 to 4, read as one; footnote digits after years taken off: \
             \"April 1, 20001\" as \"April 1, 2000\", \"April 1, 20102\" as \"April 1, 2010\", \
             \"July 1, 20103\" as \"July 1, 2010\""
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "rows marked with a leading dot are the parts; the others are set apart, not \
             summed, as totals: United States, Northeast, Midwest, South, West; after the \
             last part, outside them: Puerto Rico"
        ),
        "{err}"
    );
    // 2009, all three levels agree: 306,771,529.
    let (out, _) = run(&["compare", &file, "--from", "2008", "--to", "2009"]);
    assert_eq!(row(&out, "total", "")[4], "306771529");
    // Two columns of 2010 (before: both dropped, "year 2010 is not in the data"): the
    // series of the most columns is read, the July 1 estimates ("as of July 1" over
    // 2000-2009), and the census columns left out are named.
    let (out, err) = run(&["compare", &file, "--to", "2010"]);
    assert_eq!(
        row(&out, "region", "Louisiana")[3..6],
        ["4491648", "4544228", "52580"]
    );
    assert!(
        err.contains(
            "populations from the series July 1, {year}, which has the most columns; left \
             out, of the same years: April 1, 2000, April 1, 2010 (say --value-col otherwise)"
        ),
        "{err}"
    );
    // The census series, asked for: the April 1, 2010 census, 308,745,538.
    let (out, _) = run(&["compare", &file, "--value-col", "April 1, {year}"]);
    assert_eq!(row(&out, "total", "")[4], "308745538");
    // Texas 2000 -> 2009.
    let (out, _) = run(&["compare", &file, "--from", "2000", "--to", "2009"]);
    assert_eq!(row(&out, "region", "Texas")[5], "3857262");
}

#[test]
fn abs_table_3_banner_label_over_years_units_and_sections() {
    let file = real("abs-31010DO001_201906-australian-demographic-statistics.xls");
    // With no --sheet, the first sheet of years over figures: Table_3, not the quarterly
    // components of Table_1.
    let (out, err) = run(&["compare", &file]);
    assert!(err.contains("read sheet \"Table_3\" of 18"), "{err}");
    assert_eq!(row(&out, "region", "New South Wales")[5], "1035771");
    // A sheet taken for the table that cannot be read names the flag and the others.
    let err = refused(&[
        "compare", &file, "--from", "2018", "--to", "2019", "--sheet", "Table_1",
    ]);
    assert!(err.contains("Table_1"), "{err}");
    let (out, err) = run(&["compare", &file, "--sheet", "Table_3"]);
    // SOURCES.md: NSW 2009 -> 2019, +1,035,771.
    assert_eq!(
        row(&out, "region", "New South Wales")[3..6],
        ["7053755", "8089526", "1035771"]
    );
    // The eight states and territories, their section's label as their group.
    let states = row(&out, "group", "Australia–at 30 June");
    assert_eq!(states[4], "25359662");
    assert_eq!(row(&out, "aggregate", "Total Australia")[4], "25364307");
    assert_eq!(row(&out, "aggregate", "Total Other Territories")[4], "4645");
    // Percentages are no populations: only three year columns.
    assert!(
        err.contains("the latest two of 3 with figures (1999-2019)"),
        "{err}"
    );
    assert!(
        err.contains("regions from column 1 (unnamed), the only column of text"),
        "{err}"
    );
    assert!(
        err.contains("the header is lines 5 to 7, read as one"),
        "{err}"
    );
    assert!(
        err.contains("the data ends at line 33, where notes begin (\"© Commonwealth"),
        "{err}"
    );
    assert!(err.contains("Norfolk Island (no 2009)"), "{err}");
    // "Estimated resident population and percentage": the percentages are kept out, so the
    // figures read are no shares.
    assert!(!err.contains("shares, not populations"), "{err}");
    // A sheet named with --sheet is no guess to say.
    assert!(!err.contains("read sheet"), "{err}");
}

#[test]
fn a_multi_row_header_in_csv_reads_as_in_a_sheet() {
    // The ABS table as a CSV export writes it: every row as wide as the table.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abs.csv");
    std::fs::write(
        &path,
        "Australian Bureau of Statistics,,,,,,\n\
         Table 3 Estimated resident population,,,,,,\n\
         ,POPULATION,,,PERCENTAGE,,\n\
         ,1999,2009,2019,1999,2009,2019\n\
         ,no.,no.,no.,%,%,%\n\
         Australia–at 30 June,,,,,,\n\
         New South Wales,6375103,7053755,8089526,33.9,32.5,31.9\n\
         Victoria,4652462,5371934,6594804,24.7,24.8,26.0\n\
         Queensland,3453936,4328771,5095100,18.4,20.0,20.1\n\
         Total Australia,14481501,16754460,19779430,,,\n\
         ,,,,,,\n\
         © Commonwealth of Australia 2019,,,,,,\n",
    )
    .unwrap();
    let (out, err) = run(&["compare", &path.display().to_string()]);
    assert_eq!(
        row(&out, "region", "Victoria")[3..6],
        ["5371934", "6594804", "1222870"]
    );
    assert_eq!(row(&out, "total", "")[4], "19779430");
    assert_eq!(row(&out, "group", "Australia–at 30 June")[4], "19779430");
    assert!(
        err.contains("the header is lines 3 to 5, read as one"),
        "{err}"
    );
}

#[test]
fn an_unnamed_label_column_is_taken_or_named_by_position() {
    let dir = tempfile::tempdir().unwrap();
    // GENESIS-like: the regions' column has no name.
    let path = dir.path().join("unnamed.csv");
    std::fs::write(
        &path,
        ";2015;2016\nBayern;12843514;12930751\nBerlin;3520031;3574830\n",
    )
    .unwrap();
    let path = path.display().to_string();
    let (out, err) = run(&["compare", &path]);
    assert_eq!(
        row(&out, "region", "Berlin")[3..6],
        ["3520031", "3574830", "54799"]
    );
    assert!(
        err.contains("regions from column 1 (unnamed), the only column of text"),
        "{err}"
    );
    // Two columns of text: by position.
    let path2 = dir.path().join("two.csv");
    std::fs::write(
        &path2,
        ",,2015,2016\n09,Bayern,12843514,12930751\n11,Berlin,3520031,3574830\n",
    )
    .unwrap();
    let path2 = path2.display().to_string();
    let (out, _) = run(&["compare", &path2, "--region-col", "2"]);
    assert_eq!(row(&out, "region", "Bayern")[5], "87237");
    let (out, _) = run(&["compare", &path2, "--region-col", "1"]);
    assert_eq!(row(&out, "region", "09")[5], "87237");
}

#[test]
fn nbs_sample_survey_counts_are_said_and_the_2015_step_named_implausible() {
    let file = real("nbs-china-province-annual-population-sample-survey-gbk.csv");
    // Before: China's "population" as 1.45 million and +1,795% from 2014 to 2015, in silence.
    let (out, err) = run(&["compare", &file, "--from", "2014", "--to", "2015"]);
    assert_eq!(
        row(&out, "total", "")[3..7],
        ["1124400", "21312240", "20187840", "1795.432"]
    );
    assert!(
        err.contains(
            "the figures are a sample's or survey's, not a count of the population, as \"指标：\
             人口数(人口抽样调查)(人)\" says"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "Implausible for one step, 2014 to 2015: the total moved +1,795%; 27 regions more \
             than doubled or halved (北京市 +1,791%, 天津市 +1,812%,"
        ),
        "{err}"
    );
    // Both travel into JSON.
    let (json, _) = run(&[
        "compare", &file, "--from", "2014", "--to", "2015", "--format", "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let notes: Vec<&str> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("a sample's or survey's")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Implausible for one step")),
        "{notes:?}"
    );
    // A plausible step (2023 -> 2024) carries the sample note only.
    let (_, err) = run(&["compare", &file]);
    assert!(!err.contains("Implausible"), "{err}");
}

#[test]
fn world_bank_metadata_as_groups_is_read_the_right_way_round() {
    // Before: "Europe & Central Asia is mapped to ALB on line 9 and to AND here": the
    // Region column was taken for the key. The key is the column naming the data's
    // countries (codes here: the metadata is of a later download, whose names differ).
    let data = real("worldbank-API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv");
    let meta = real("worldbank-Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_739890.csv");
    let (out, _) = run(&["compare", &data, "--groups", &meta]);
    assert_eq!(row(&out, "total", "")[4], "7567243296");
    assert_eq!(row(&out, "group", "North America")[4], "364290258");
    assert_eq!(out.lines().filter(|l| l.starts_with("group,")).count(), 7);
    // Another column of the mapping, by name: Venezuela has no income group.
    let err = refused(&[
        "compare",
        &data,
        "--groups",
        &meta,
        "--group-by",
        "IncomeGroup",
    ]);
    assert!(
        err.contains("1 region of the data is not in the mapping: Venezuela, RB; add them, or use --unmapped other"),
        "{err}"
    );
    let (out, _) = run(&[
        "compare",
        &data,
        "--groups",
        &meta,
        "--group-by",
        "IncomeGroup",
        "--unmapped",
        "other",
    ]);
    assert_eq!(row(&out, "group", "other")[4], "28870195");
    assert_eq!(row(&out, "total", "")[4], "7567243296");
}

/// A Statistics Canada-like quarterly file: four periods a year, 2023 to 2025.
fn quarterly(dir: &tempfile::TempDir) -> String {
    let mut text = String::from("\"REF_DATE\",\"GEO\",\"DGUID\",\"VALUE\"\n");
    for y in 2023..=2025 {
        for m in [1, 4, 7, 10] {
            for (geo, dguid, base) in [
                ("Canada", "2016A000011124", 40_000_000),
                ("Ontario", "2016A000235", 15_500_000),
            ] {
                let v = base + (y - 2023) * 400_000 + m * 10_000;
                text.push_str(&format!("\"{y}-{m:02}\",\"{geo}\",\"{dguid}\",\"{v}\"\n"));
            }
        }
    }
    let path = dir.path().join("1710000901.csv");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn periods_asked_for_are_compared_exactly_in_a_quarterly_file() {
    // Before: refused, 2024 having several periods, with an eighty-period --where.
    let dir = tempfile::tempdir().unwrap();
    let file = quarterly(&dir);
    let (out, _) = run(&["compare", &file, "--from", "2023-07", "--to", "2024-07"]);
    assert!(
        out.starts_with("level,region,group,pop_2023-07,pop_2024-07,change,change_pct\n"),
        "{out}"
    );
    assert_eq!(
        row(&out, "region", "Ontario")[3..6],
        ["15570000", "15970000", "400000"]
    );
    assert_eq!(
        row(&out, "aggregate", "Canada")[3..5],
        ["40070000", "40470000"]
    );
    // Within a year (was: refused, "compares one figure a year").
    let (out, _) = run(&["compare", &file, "--from", "2023-07", "--to", "2023-10"]);
    assert_eq!(
        row(&out, "region", "Ontario")[3..6],
        ["15570000", "15600000", "30000"]
    );
    // No periods named: the latest two quarters (was: refused).
    let (out, err) = run(&["compare", &file]);
    assert_eq!(
        row(&out, "region", "Ontario")[3..5],
        ["16370000", "16400000"]
    );
    assert!(
        err.contains(
            "periods 2025-07 -> 2025-10, the latest two of 12 with figures (2023-01 to 2025-10)"
        ),
        "{err}"
    );
    // A year where the data holds quarters is none of its periods.
    let err = refused(&["compare", &file, "--from", "2023", "--to", "2024"]);
    assert!(
        err.contains("error: year 2023 is not in the data ("),
        "{err}"
    );
    assert!(
        err.contains(
            "1710000901.csv has 12 periods, 2023-01 to 2025-10); pick --from and --to among \
             those"
        ),
        "{err}"
    );
    // The same in a wide file whose columns are periods.
    let wide = dir.path().join("wide.csv");
    std::fs::write(
        &wide,
        "region,2023-04,2023-07,2024-04,2024-07\nA,100,110,120,130\nB,200,210,220,230\n",
    )
    .unwrap();
    let (out, _) = run(&[
        "compare",
        &wide.display().to_string(),
        "--from",
        "2023-07",
        "--to",
        "2024-07",
    ]);
    assert_eq!(row(&out, "total", "")[3..6], ["320", "360", "40"]);
    let (out, _) = run(&["compare", &wide.display().to_string()]);
    assert!(out.contains(",pop_2024-04,pop_2024-07,"), "{out}");
    assert_eq!(row(&out, "total", "")[3..6], ["340", "360", "20"]);
}

#[test]
fn indented_rows_are_parts_of_the_row_above_them() {
    // A country, its regions two spaces in, their towns four: summed once, not three
    // times over (the total was 3,000 for a country of 1,000).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("indent.csv");
    std::fs::write(
        &path,
        "Population by district,,\n,2016,2017\nCountry,1000,1100\n  North,600,640\n    \
         Town A,400,420\n    Town B,200,220\n  South,400,460\n    Town C,400,460\n",
    )
    .unwrap();
    let (out, err) = run(&["compare", &path.display().to_string()]);
    assert_eq!(row(&out, "total", "")[3..6], ["1000", "1100", "100"]);
    assert_eq!(row(&out, "aggregate", "North")[3..5], ["600", "640"]);
    assert_eq!(out.lines().filter(|l| l.starts_with("region,")).count(), 3);
    assert!(
        err.contains("Country (a total: the rows indented under it are its parts)"),
        "{err}"
    );
}

#[test]
fn sdmx_csv_reads_as_the_same_office_tsv() {
    // Eurostat's SDMX-CSV layout (DATAFLOW, dimensions, TIME_PERIOD, OBS_VALUE, OBS_FLAG),
    // holding demo_gind's JAN figures of the TSV in tests/data/real.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo_gind.csv");
    std::fs::write(
        &path,
        "DATAFLOW,LAST UPDATE,freq,indic_de,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n\
         ESTAT:DEMO_GIND(1.0),10/02/16 23:00:00,A,JAN,DE,2014,80767463,\n\
         ESTAT:DEMO_GIND(1.0),10/02/16 23:00:00,A,JAN,DE,2015,81174000,e\n\
         ESTAT:DEMO_GIND(1.0),10/02/16 23:00:00,A,JAN,FR,2014,65835579,p\n\
         ESTAT:DEMO_GIND(1.0),10/02/16 23:00:00,A,JAN,FR,2015,66352469,bp\n\
         ESTAT:DEMO_GIND(1.0),10/02/16 23:00:00,A,JAN,EU28,2014,506880616,ep\n\
         ESTAT:DEMO_GIND(1.0),10/02/16 23:00:00,A,JAN,EU28,2015,508191116,bep\n",
    )
    .unwrap();
    let (sdmx, _) = run(&["compare", &path.display().to_string()]);
    let tsv_file = real("eurostat-demo_gind-population-change-2016.tsv");
    let (tsv, _) = run(&[
        "compare",
        &tsv_file,
        "--where",
        "indic_de=JAN",
        "--from",
        "2014",
        "--to",
        "2015",
    ]);
    for (level, name, change) in [
        ("region", "DE", "406537"),
        ("region", "FR", "516890"),
        ("aggregate", "EU28", "1310500"),
    ] {
        assert_eq!(row(&sdmx, level, name)[5], change);
        assert_eq!(row(&sdmx, level, name)[3..6], row(&tsv, level, name)[3..6]);
    }
}
