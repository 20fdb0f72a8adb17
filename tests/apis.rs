//! What the statistics offices' APIs serve: JSON-stat datasets (2.0, and 1.x bundles) and
//! SDMX-CSV with labels, read as the same figures as the offices' CSV and TSV.

mod common;

use common::{popdelta, refused, run};
use std::collections::HashMap;
use std::io::Write;

const GALICIA: &str = "tests/data/jsonstat/galicia-2.0.json";
const GALICIA_1: &str = "tests/data/jsonstat/galicia-1.0-bundle.json";
const EUROSTAT_JSON: &str = "tests/data/jsonstat/eurostat-demo_gind-2013-2015.json";
const EUROSTAT_SDMX: &str = "tests/data/sdmx/eurostat-demo_gind-2013-2015-labels.csv";
const EUROSTAT_TSV: &str = "tests/data/real/eurostat-demo_gind-population-change-2016.tsv";
const TOTALS: [&str; 6] = [
    "--where", "birth=T", "--where", "age=T", "--where", "gender=T",
];

#[test]
fn a_json_stat_cube_as_downloaded_is_read_at_its_breakdowns_totals() {
    // Place of birth, age and gender each have a total category (T): taken, and said.
    let (out, err) = run(&["compare", GALICIA, "--format", "csv"]);
    let mut args = vec!["compare", GALICIA, "--format", "csv"];
    args.extend(TOTALS);
    assert_eq!(out, run(&args).0);
    assert!(
        out.contains("region,A Coruña,,1096027,1141286,45259,4.129\n"),
        "{out}"
    );
    assert!(
        err.contains(
            "galicia-2.0.json: breakdowns read at their totals, never summed: birth=T (total, \
             of 6), age=T (total, of 22), gender=T (total, of 3) (say --where COL=VALUE \
             otherwise)"
        ),
        "{err}"
    );
    // A breakdown kept whole by the user is not taken for them.
    let (male, _) = run(&["compare", GALICIA, "--format", "csv", "--where", "gender=M"]);
    assert!(male.contains("\nregion,Lugo,"), "{male}");
    assert_ne!(male, out);
}

#[test]
fn galicia_census_2001_2011_by_province() {
    let mut args = vec!["compare", GALICIA, "--format", "csv"];
    args.extend(TOTALS);
    let (out, err) = run(&args);
    assert_eq!(
        out,
        "level,region,group,pop_2001,pop_2011,change,change_pct\n\
         region,A Coruña,,1096027,1141286,45259,4.129\n\
         region,Lugo,,357648,348067,-9581,-2.679\n\
         region,Ourense,,338446,328697,-9749,-2.881\n\
         region,Pontevedra,,903759,954877,51118,5.656\n\
         total,,,2695880,2772927,77047,2.858\n\
         aggregate,total,,2695880,2772928,77048,2.858\n"
    );
    assert!(
        err.contains(
            "read as JSON-stat (\"Population by province of residence, place of birth, age, \
             gender and year in Galicia\"): regions from dimension residence (labels as \
             names, ids as codes), years from dimension time; the others are read by \
             --where: birth (6), age (22), gender (3), concept (1)"
        ),
        "{err}"
    );
    assert!(!err.contains("skipped 1 line"), "{err}");
    // The provinces sum to one person fewer than the file's total in 2011: said.
    let mut json = args.clone();
    json[3] = "json";
    let (out, _) = run(&json);
    assert!(
        out.contains(
            "The parts of code T (total) sum to 2,772,927 in 2011, not 2,772,928 as it says; \
             the parts are summed."
        ),
        "{out}"
    );
}

#[test]
fn json_stat_1_bundle_reads_as_the_2_0_dataset() {
    let mut a = vec!["compare", GALICIA, "--format", "csv"];
    a.extend(TOTALS);
    let mut b = vec!["compare", GALICIA_1, "--format", "csv"];
    b.extend(TOTALS);
    assert_eq!(run(&a).0, run(&b).0);
}

#[test]
fn json_stat_regions_are_found_by_their_ids() {
    let mut args = vec!["compare", GALICIA, "--format", "csv", "--region", "15"];
    args.extend(TOTALS);
    let (out, _) = run(&args);
    assert!(
        out.contains("\nregion,A Coruña,,1096027,1141286,45259,4.129\n"),
        "{out}"
    );
    assert_eq!(out.lines().filter(|l| l.starts_with("region,")).count(), 1);
}

/// Each row's figures by region, from popdelta's CSV.
fn rows(csv: &str) -> HashMap<String, String> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let mut f = l.splitn(3, ',');
            let level = f.next().unwrap();
            let (region, rest) = if l.contains('"') {
                let (r, rest) = l.split_once("\",").unwrap();
                (r.split_once(",\"").unwrap().1.to_owned(), rest.to_owned())
            } else {
                (f.next().unwrap().to_owned(), f.next().unwrap().to_owned())
            };
            (format!("{level}:{region}"), rest)
        })
        .collect()
}

/// Eurostat's geo codes and labels, as the JSON-stat file gives them.
fn geo_labels() -> HashMap<String, String> {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(EUROSTAT_JSON).unwrap()).unwrap();
    doc["dimension"]["geo"]["category"]["label"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn eurostat_json_stat_and_sdmx_csv_give_the_tsvs_figures() {
    let args = |file: &str| {
        run(&[
            "compare",
            file,
            "--where",
            "indic_de=JAN",
            "--from",
            "2013",
            "--to",
            "2015",
            "--format",
            "csv",
        ])
    };
    let (tsv, _) = args(EUROSTAT_TSV);
    let (json, json_err) = args(EUROSTAT_JSON);
    let (sdmx, sdmx_err) = args(EUROSTAT_SDMX);
    assert_eq!(json, sdmx, "JSON-stat and SDMX-CSV read alike");
    let tsv = rows(&tsv);
    let json = rows(&json);
    let labels = geo_labels();
    let mut compared = 0;
    for (key, figures) in &tsv {
        let (level, code) = key.split_once(':').unwrap();
        let name = if code.is_empty() { "" } else { &labels[code] };
        // A region with no figure in these years is no row of the sparse cube.
        if figures.starts_with(",,,") && level == "region" {
            continue;
        }
        assert_eq!(json.get(&format!("{level}:{name}")), Some(figures), "{key}");
        compared += 1;
    }
    assert!(compared > 55, "{compared}");
    assert_eq!(json["total:"], tsv["total:"]);
    assert_eq!(
        json["aggregate:European Union (28 countries)"],
        tsv["aggregate:EU28"]
    );
    for err in [&json_err, &sdmx_err] {
        assert!(err.contains("flags after figures read as flags"), "{err}");
        assert!(err.contains("p (21)"), "{err}");
        assert!(
            err.contains("European Union (28 countries) (a Eurostat group code)"),
            "{err}"
        );
    }
}

#[test]
fn json_stat_refusals_say_what_the_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let links = dir.path().join("collection.json");
    std::fs::write(
        &links,
        r#"{"version":"2.0","class":"collection","link":{"item":[{"class":"dataset","href":"https://json-stat.org/samples/oecd.json","label":"Unemployment"}]}}"#,
    )
    .unwrap();
    let err = refused(&["compare", links.to_str().unwrap()]);
    assert!(
        err.contains("a JSON-stat collection of links, with no dataset's figures in it"),
        "{err}"
    );
    let plain = dir.path().join("plain.json");
    std::fs::write(&plain, r#"[{"region":"A","2016":1}]"#).unwrap();
    let err = refused(&["compare", plain.to_str().unwrap()]);
    assert!(
        err.contains("plain.json is JSON, but not JSON-stat; popdelta reads CSV and TSV text"),
        "{err}"
    );
    let short = dir.path().join("short.json");
    std::fs::write(
        &short,
        r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[2,2],"dimension":{"geo":{"category":{"index":["A","B"]}},"time":{"category":{"index":["2020","2021"]}}},"value":[1,2,3]}"#,
    )
    .unwrap();
    let err = refused(&["compare", short.to_str().unwrap()]);
    assert!(
        err.contains("\"value\" holds 3 figures, but the sizes make 4"),
        "{err}"
    );
}

#[test]
fn a_gzipped_json_stat_download_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galicia.json.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(&std::fs::read(GALICIA).unwrap()).unwrap();
    gz.finish().unwrap();
    let mut args = vec!["compare", path.to_str().unwrap(), "--format", "csv"];
    args.extend(TOTALS);
    let (out, _) = run(&args);
    assert!(
        out.contains("total,,,2695880,2772927,77047,2.858\n"),
        "{out}"
    );
    // On standard input too.
    let mut cmd = popdelta();
    cmd.args(["compare", "-", "--format", "csv"]).args(TOTALS);
    let out = cmd
        .write_stdin(std::fs::read(GALICIA).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("region,Lugo,,357648,348067,-9581"));
}

#[test]
fn abs_sdmx_csv_code_colon_label_reads_the_labels_as_regions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ERP_Q.csv");
    // The ABS Data API's "codes and labels" layout, with the June figures of New South
    // Wales and Victoria that the ABS cube in tests/data/real gives (Table_3).
    let row = |code: &str, name: &str, year: &str, value: &str| {
        format!(
            "ABS:ERP_Q(1.0.0),1: Estimated Resident Population,3: Persons,{code}: {name},Q: \
             Quarterly,{year}-Q2,{value},PSNS: Persons,0: Units,,\n"
        )
    };
    let mut text = String::from(
        "DATAFLOW,MEASURE: Measure,SEX: Sex,REGION: Region,FREQ: Frequency,\
         TIME_PERIOD: Time Period,OBS_VALUE,UNIT_MEASURE: Unit of Measure,UNIT_MULT: Unit of \
         Multiplier,OBS_STATUS: Observation Status,OBS_COMMENT: Observation Comment\n",
    );
    text += &row("1", "New South Wales", "2009", "7053755");
    text += &row("1", "New South Wales", "2019", "8089526");
    text += &row("2", "Victoria", "2009", "5371934");
    text += &row("2", "Victoria", "2019", "6594804");
    std::fs::write(&path, text).unwrap();
    let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(
        out,
        "level,region,group,pop_2009,pop_2019,change,change_pct\n\
         region,New South Wales,,7053755,8089526,1035771,14.684\n\
         region,Victoria,,5371934,6594804,1222870,22.764\n\
         total,,,12425689,14684330,2258641,18.177\n"
    );
    let (out, _) = run(&[
        "compare",
        path.to_str().unwrap(),
        "--format",
        "csv",
        "--region",
        "2",
    ]);
    assert!(out.contains("region,Victoria,"), "{out}");
}

#[test]
fn a_unit_the_metric_dimension_states_converts_the_figures_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ine.json");
    // INE's form: the unit in the metric dimension's category, figures with a decimal.
    std::fs::write(
        &path,
        r#"{"version":"2.0","class":"dataset","label":"Población residente","id":["Provincias","Periodo","Variables"],"size":[2,2,1],"role":{"time":["Periodo"],"geo":["Provincias"],"metric":["Variables"]},"dimension":{"Provincias":{"label":"Provincias","category":{"index":["39","33"],"label":{"39":"Cantabria","33":"Asturias"}}},"Periodo":{"category":{"index":["2015","2016"]}},"Variables":{"category":{"index":["P"],"label":{"P":"Población"},"unit":{"P":{"label":"Miles de personas","decimals":1}}}}},"value":[585.2,582.2,1051.2,1042.6]}"#,
    )
    .unwrap();
    let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(
        out,
        "level,region,group,pop_2015,pop_2016,change,change_pct\n\
         region,Cantabria,,585200,582200,-3000,-0.513\n\
         region,Asturias,,1051200,1042600,-8600,-0.818\n\
         total,,,1636400,1624800,-11600,-0.709\n"
    );
}

#[test]
fn plain_sdmx_csv_with_ref_area_and_obs_status_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oecd.csv");
    // The OECD's SDMX-CSV of codes: REF_AREA the regions, OBS_STATUS the flags.
    std::fs::write(
        &path,
        "DATAFLOW,REF_AREA,MEASURE,FREQ,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n\
         OECD.ELS:DSD_POP(1.0),AUS,POP,A,2019,25365745,\n\
         OECD.ELS:DSD_POP(1.0),AUS,POP,A,2020,25649248,\n\
         OECD.ELS:DSD_POP(1.0),NZL,POP,A,2019,4979200,\n\
         OECD.ELS:DSD_POP(1.0),NZL,POP,A,2020,5090200,p\n",
    )
    .unwrap();
    let (out, err) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(
        out,
        "level,region,group,pop_2019,pop_2020,change,change_pct\n\
         region,AUS,,25365745,25649248,283503,1.118\n\
         region,NZL,,4979200,5090200,111000,2.229\n\
         total,,,30344945,30739448,394503,1.300\n"
    );
    assert!(
        err.contains("flags after figures read as flags, not figures: p (1)"),
        "{err}"
    );
}

#[test]
fn a_bundle_of_two_datasets_is_read_one_at_a_time_with_sheet() {
    let file = "tests/data/jsonstat/oecd-canada-bundle.json";
    let err = refused(&["compare", file]);
    assert!(
        err.ends_with(
            "a JSON-stat bundle of 2 datasets; name one with --sheet NAME: \"oecd\", \"canada\""
        ),
        "{err}"
    );
    let err = refused(&["compare", file, "--sheet", "spain"]);
    assert!(
        err.ends_with(
            "--sheet \"spain\": no dataset of the bundle is named so; its datasets: \"oecd\", \"canada\""
        ),
        "{err}"
    );
    // The OECD's unemployment rates: values in %, compared as such (before: rounded to whole
    // "persons", 5.504 -> 5.463 printed as 6 -> 5, and totalled).
    let (out, err) = run(&["compare", file, "--sheet", "oecd", "--format", "csv"]);
    assert!(
        err.contains(
            "oecd-canada-bundle.json: the figures are values in %, not persons: compared as \
             such, never rounded to persons, never totalled"
        ),
        "{err}"
    );
    assert!(
        out.starts_with(
            "level,region,group,value_2013,value_2014,change,change_pct,unit\n\
             region,Australia,,5.504150030,5.462866231,-0.041283799,-0.750,%\n"
        ),
        "{out}"
    );
    assert!(!out.contains("\ntotal,"), "{out}");
    assert!(
        out.contains("\naggregate,Euro area (15 countries),,11.913590500,11.998494640,"),
        "{out}"
    );
    // Canada's population has one year: nothing to compare, said as such.
    let err = refused(&[
        "compare",
        file,
        "--sheet",
        "canada",
        "--where",
        "age=T",
        "--where",
        "concept=POP",
        "--where",
        "sex=T",
    ]);
    assert!(
        err.contains("has population figures for fewer than two years (2012)"),
        "{err}"
    );
}

#[test]
fn json_is_utf8_whatever_encoding_is_asked() {
    // --encoding names the encoding of CSV text; JSON is UTF-8 by its own rule.
    let mut args = vec![
        "compare",
        GALICIA,
        "--encoding",
        "latin1",
        "--format",
        "csv",
    ];
    args.extend(TOTALS);
    let (out, _) = run(&args);
    assert!(
        out.contains("\nregion,A Coruña,,1096027,1141286,45259,4.129\n"),
        "{out}"
    );
}

const STATFIN: &str = "tests/data/api/statfin-11rc-population-sex-age-2020-2022-jsonstat-sv.json";
const STATCAN: &str = "tests/data/api/statcan-17100009-quarterly-provinces-1946-2024.csv";
const ICANE: &str = "tests/data/api/icane-ine-epa-cantabria-16plus-quarterly.json";

#[test]
fn statistics_finlands_national_json_stat_compares_its_age_groups() {
    // SOURCES.md: no geography; sex SSS (Totalt) is the total; the ten age groups are the
    // rows. 20-24: 308,410 -> 304,385; the groups: 3,472,737 -> 3,471,099.
    let (out, err) = run(&[
        "compare", STATFIN, "--from", "2020", "--to", "2022", "--format", "csv",
    ]);
    assert!(
        out.contains("\nregion,20 - 24,,308410,304385,-4025,-1.305\n"),
        "{out}"
    );
    assert!(
        out.ends_with("\ntotal,,,3472737,3471099,-1638,-0.047\n"),
        "{out}"
    );
    assert!(
        err.contains("no geographic dimension: the rows are dimension Ikä's categories"),
        "{err}"
    );
    assert!(err.contains("Sukupuoli=SSS (Totalt, of 3)"), "{err}");
}

#[test]
fn statistics_canadas_quarterly_table_compares_two_quarters_it_names() {
    // SOURCES.md: Ontario 2023-01 15,402,095 -> 2024-01 15,944,379; the 13 provinces and
    // territories 39,527,986 -> 40,784,356, equal to the Canada row, set apart.
    let (out, _) = run(&[
        "compare", STATCAN, "--from", "2023-01", "--to", "2024-01", "--format", "csv",
    ]);
    assert!(
        out.contains("\nregion,Ontario,,15402095,15944379,542284,3.521\n"),
        "{out}"
    );
    assert!(
        out.contains("\ntotal,,,39527986,40784356,1256370,3.178\n"),
        "{out}"
    );
    assert!(
        out.contains("\naggregate,Canada,,39527986,40784356,"),
        "{out}"
    );
}

#[test]
fn ines_quarterly_json_stat_of_six_measures_names_the_one_to_keep() {
    // Its quarters ("2005 - 1") are read (tests/periods.rs); its six measures are not
    // summed: refused, naming the population.
    let err = refused(&["compare", ICANE]);
    assert!(
        err.contains(
            "the rows hold more than one Variables (Población, Activos, Ocupados, Parados, \
             Parados que buscan primer empleo, Inactivos), whose figures are not to be summed; \
             keep one with --where Variables=Población"
        ),
        "{err}"
    );
}

#[test]
fn sdmx_csv_of_5000_dimension_columns_is_refused_naming_ten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    let dims: Vec<String> = (1..=5000).map(|i| format!("D{i}")).collect();
    let codes = vec!["X"; 5000].join(",");
    let text = format!(
        "DATAFLOW,{},TIME_PERIOD,OBS_VALUE\nF,{codes},2019,1\nF,{codes},2020,2\n",
        dims.join(",")
    );
    std::fs::write(&path, text).unwrap();
    let err = refused(&["compare", path.to_str().unwrap()]);
    assert!(
        err.contains(
            "name the column of the regions with --region-col: one of D1, D2, D3, D4, D5, D6, \
             D7, D8, D9, D10 and 4990 more"
        ),
        "{err}"
    );
}
