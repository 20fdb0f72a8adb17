//! Which periods are compared (issue 31): by default the latest two that most regions have
//! both of, and never two that no region has.

mod common;

use common::{refused, run};

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
