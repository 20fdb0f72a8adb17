//! `--level` (issue 31): the level of the regions' tree compared, by number or by a word its
//! names hold; the others set apart, every person counted once.

mod common;

use common::{refused, run};

const DESTATIS: &str =
    "tests/data/real/destatis-regionalstatistik-12411-01-01-4-kreise-1995-2015.csv";

/// The CSV rows of `level`.
fn rows<'a>(csv: &'a str, level: &str) -> Vec<Vec<&'a str>> {
    csv.lines()
        .filter(|l| l.starts_with(&format!("{level},")))
        .map(|l| l.split(',').collect())
        .collect()
}

#[test]
fn destatis_level_2_compares_the_16_lander_summing_to_germany() {
    // SOURCES.md: Germany 2014 -> 2015 +978,147; Niedersachsen 7,826,739 -> 7,926,599.
    let (out, err) = run(&[
        "compare", DESTATIS, "--from", "2014", "--to", "2015", "--level", "2", "--format", "csv",
    ]);
    let regions = rows(&out, "region");
    assert_eq!(regions.len(), 16, "{out}");
    assert!(
        regions
            .iter()
            .any(|r| r[1] == "Niedersachsen" && r[3..6] == ["7826739", "7926599", "99860"]),
        "{out}"
    );
    assert_eq!(
        rows(&out, "total")[0][3..6],
        ["81197537", "82175684", "978147"]
    );
    assert!(
        err.contains(
            "Level 2 of 5 compared (16 regions at that level: Schleswig-Holstein, Hamburg, \
             Niedersachsen, Bremen, Nordrhein-Westfalen and 11 more)"
        ),
        "{err}"
    );
    // By name, in the plural: the same level.
    let (by_name, _) = run(&[
        "compare", DESTATIS, "--from", "2014", "--to", "2015", "--level", "Länder", "--format",
        "csv",
    ]);
    assert_eq!(by_name, out);
}

#[test]
fn declining_at_the_level_of_the_lander_over_the_census_break() {
    // 2010 -> 2011 spans the 2011 census: every Land falls (Germany -1,423,702).
    let (out, _) = run(&[
        "compare",
        DESTATIS,
        "--from",
        "2010",
        "--to",
        "2011",
        "--level",
        "2",
        "--declining",
        "--format",
        "csv",
    ]);
    assert_eq!(rows(&out, "region").len(), 16);
    assert_eq!(rows(&out, "total")[0][5], "-1423702");
}

#[test]
fn a_level_named_by_a_word_of_its_names() {
    // "Düsseldorf, Regierungsbezirk" is of level 3, beside the Kreise of the Länder that
    // have no Regierungsbezirke; every person once.
    let (out, err) = run(&[
        "compare",
        DESTATIS,
        "--from",
        "2014",
        "--to",
        "2015",
        "--level",
        "Regierungsbezirk",
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("\nregion,\"Düsseldorf, Regierungsbezirk\",,5108290,5173623,65333,"),
        "{out}"
    );
    assert_eq!(
        rows(&out, "total")[0][3..6],
        ["81197537", "82175684", "978147"]
    );
    assert!(err.contains("Level 3 of 5 compared"), "{err}");
    // "NUTS2", written apart in the names ("Chemnitz, NUTS 2-Region"): the same level.
    let (nuts, _) = run(&[
        "compare", DESTATIS, "--from", "2014", "--to", "2015", "--level", "NUTS2", "--format",
        "csv",
    ]);
    assert!(
        nuts.contains("\nregion,\"Chemnitz, NUTS 2-Region\",,1463341,1465612,2271,"),
        "{nuts}"
    );
    assert_eq!(nuts, out);
    // trend and check read the same level.
    let (out, _) = run(&[
        "check",
        DESTATIS,
        "--level",
        "2",
        "--claim",
        "Niedersachsen change 2014 2015 = 99860",
        "--format",
        "csv",
    ]);
    assert!(out.contains(",holds,"), "{out}");
    let (out, _) = run(&[
        "trend",
        DESTATIS,
        "--from",
        "2011",
        "--level",
        "2",
        "--declining",
        "--format",
        "csv",
    ]);
    let names: Vec<&str> = rows(&out, "region").iter().map(|r| r[1]).collect();
    assert_eq!(names, ["Saarland", "Sachsen-Anhalt", "Thüringen"]);
}

#[test]
fn a_level_the_data_lacks_is_refused_listing_its_levels() {
    let err = refused(&["compare", DESTATIS, "--level", "9"]);
    assert!(
        err.contains(
            "no level \"9\" in tests/data/real/destatis-regionalstatistik-12411-01-01-4-kreise-\
             1995-2015.csv; its levels: 1 (1 region: Deutschland); 2 (16 regions: \
             Schleswig-Holstein, Hamburg and 14 more); 3 (190 regions: \"Flensburg, \
             Kreisfreie Stadt\""
        ),
        "{err}"
    );
    // The bundled data has one level.
    let err = refused(&["compare", "--level", "2"]);
    assert!(
        err.contains("--level 2: the data has one level of regions"),
        "{err}"
    );
}

/// A JSON-stat dataset of Spain, Galicia and its four provinces, and Asturias, tied by the
/// dimension's `child` list alone (no code nests in another); `lugo` is Lugo's 2016 figure.
fn spain(dir: &std::path::Path, lugo: u32) -> String {
    let path = dir.join("spain.json");
    let text = format!(
        r#"{{"version":"2.0","class":"dataset","label":"Population","id":["geo","time"],
"size":[7,2],"role":{{"geo":["geo"],"time":["time"]}},
"dimension":{{"geo":{{"label":"Area","category":{{
  "index":["ES","GA","C","LU","OR","PO","AS"],
  "label":{{"ES":"España","GA":"Galicia","C":"A Coruña","LU":"Lugo","OR":"Ourense",
    "PO":"Pontevedra","AS":"Asturias"}},
  "child":{{"ES":["GA","AS"],"GA":["C","LU","OR","PO"]}}}}}},
 "time":{{"label":"Year","category":{{"index":["2016","2017"]}}}}}},
"value":[3450,3445,2450,2455,1000,1010,{lugo},290,250,245,900,910,1000,990]}}"#
    );
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn json_stat_child_links_make_a_tree_checked_against_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = spain(dir.path(), 300);
    // The lowest level: the provinces and Asturias, each person once.
    let (out, err) = run(&["compare", &file, "--format", "csv"]);
    let names: Vec<&str> = rows(&out, "region").iter().map(|r| r[1]).collect();
    assert_eq!(
        names,
        ["A Coruña", "Lugo", "Ourense", "Pontevedra", "Asturias"]
    );
    assert_eq!(rows(&out, "total")[0][3..6], ["3450", "3445", "-5"]);
    assert!(
        err.contains("Galicia (the sum of its parts, as the file's child list says)"),
        "{err}"
    );
    // The communities, by the links.
    let (out, _) = run(&["compare", &file, "--level", "2", "--format", "csv"]);
    let names: Vec<&str> = rows(&out, "region").iter().map(|r| r[1]).collect();
    assert_eq!(names, ["Galicia", "Asturias"]);
    // A child list the figures contradict (Lugo 200, not 300): Galicia is compared whole,
    // its provinces set apart; the total is still Spain's.
    let file = spain(dir.path(), 200);
    let (out, err) = run(&["compare", &file, "--format", "csv"]);
    let names: Vec<&str> = rows(&out, "region").iter().map(|r| r[1]).collect();
    assert_eq!(names, ["Galicia", "Asturias"]);
    assert_eq!(rows(&out, "total")[0][3..5], ["3450", "3445"]);
    assert!(
        err.contains("Lugo (within Galicia, whose parts do not add up to it)"),
        "{err}"
    );
}

#[test]
fn a_child_list_that_loops_is_read_once_round() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.json");
    std::fs::write(
        &path,
        r#"{"version":"2.0","class":"dataset","id":["geo","time"],"size":[3,2],
"role":{"geo":["geo"],"time":["time"]},
"dimension":{"geo":{"category":{"index":["A","B","C"],
  "child":{"A":["B","C"],"B":["A"],"C":["C"]}}},
 "time":{"category":{"index":["2016","2017"]}}},
"value":[30,31,10,11,20,20]}"#,
    )
    .unwrap();
    let (out, _) = run(&["compare", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(rows(&out, "total")[0][3..5], ["30", "31"]);
    assert_eq!(rows(&out, "aggregate")[0][1], "A");
}
