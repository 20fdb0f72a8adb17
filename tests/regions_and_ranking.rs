//! Region names, groupings, mapping files, filters and ranking, and the revised dataset.

mod common;

use common::popdelta;

fn ok(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    String::from_utf8(out.stdout).unwrap()
}

fn region_names(csv_text: &str) -> Vec<String> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    rdr.records()
        .map(Result::unwrap)
        .filter(|r| &r[0] == "region")
        .map(|r| r[1].to_owned())
        .collect()
}

#[test]
fn a_region_is_found_by_every_name_and_code() {
    let want = ok(&["compare", "--region", "Beijing"]);
    assert_eq!(region_names(&want), ["Beijing"]);
    for name in [
        "北京",
        "北京市",
        "110000",
        "CN-BJ",
        "beijing",
        " BEIJING ",
        "Peking",
    ] {
        assert_eq!(ok(&["compare", "--region", name]), want, "{name}");
    }
    let two = ok(&["compare", "--region", "上海", "--region", "Nei Mongol"]);
    assert_eq!(region_names(&two), ["Inner Mongolia", "Shanghai"]);
}

#[test]
fn an_unknown_region_suggests_the_closest() {
    popdelta()
        .args(["compare", "--region", "Bejing"])
        .assert()
        .code(2)
        .stderr("popdelta: error: no region \"Bejing\" in china; did you mean Beijing?\n");
}

#[test]
fn declining_regions_and_sorting() {
    let out = ok(&["compare", "--declining", "--group-by", "none"]);
    assert_eq!(
        region_names(&out),
        [
            "Beijing",
            "Tianjin",
            "Liaoning",
            "Jilin",
            "Heilongjiang",
            "Shanghai"
        ]
    );
    let out = ok(&[
        "compare",
        "--declining",
        "--sort",
        "change",
        "--group-by",
        "none",
    ]);
    assert_eq!(region_names(&out)[0], "Jilin");
    // Totals still sum every region.
    assert!(out.contains("total,,,1379824000,1388333200,8509200,"));
    let out = ok(&[
        "compare",
        "--growing",
        "--sort",
        "pct",
        "--reverse",
        "--top",
        "1",
    ]);
    assert_eq!(region_names(&out), ["Xinjiang", "Tibet"]);
}

#[test]
fn nbs_regions_grouping() {
    let out = ok(&["compare", "--group-by", "nbs-regions"]);
    for row in [
        "group,,east,529500100,533633100,",
        "group,,central,367085600,369005800,",
        "group,,west,374140000,376944000,",
        "group,,northeast,109098300,108750300,",
    ] {
        assert!(out.contains(row), "{row}\n{out}");
    }
    let table = ok(&["compare", "--group-by", "nbs-regions", "--format", "table"]);
    assert!(table.contains("grouping: nbs-regions"));
    assert!(
        !table.contains("Qinling"),
        "no contested note outside north-south"
    );
    let table = ok(&["compare", "--format", "table"]).replace('\n', " ");
    assert!(table.contains(" Jiangsu *"));
    assert!(table.contains("along Jiangsu, Anhui, Henan, Tibet, Shaanxi, Gansu, whose side"));
    assert!(table.contains("north: 5 of 15 down"));
}

#[test]
fn a_mapping_file_groups_any_regions() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    std::fs::write(
        &map,
        "region,group\n北京,capital\nCN-SH,coast\nTianjin,coast\n",
    )
    .unwrap();
    let map = map.to_str().unwrap();
    let selection = [
        "--region", "Beijing", "--region", "Shanghai", "--region", "Tianjin",
    ];
    let mut args = vec!["compare", "--groups", map];
    args.extend(selection);
    let out = ok(&args);
    assert!(
        out.contains("group,,capital,21729000,21707000,-22000,"),
        "{out}"
    );
    assert!(
        out.contains("group,,coast,39818200,39752000,-66200,"),
        "{out}"
    );

    let err = popdelta()
        .args([
            "compare", "--groups", map, "--region", "Jilin", "--region", "Hebei",
        ])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(
        err.contains("2 regions of the data are not in the mapping: Hebei, Jilin"),
        "{err}"
    );
    let out = ok(&["compare", "--groups", map, "--unmapped", "other"]);
    assert!(out.contains("group,,other,"), "{out}");
}

#[test]
fn the_revised_series_is_its_own_dataset() {
    let table = ok(&[
        "compare",
        "--dataset",
        "china-revised",
        "--from",
        "2019",
        "--to",
        "2024",
        "--format",
        "table",
    ]);
    assert!(table.contains("Dataset china-revised"));
    assert!(table.contains("as revised by the NBS after the 2020 census"));
    let csv = ok(&[
        "compare",
        "--dataset",
        "china-revised",
        "--from",
        "2016",
        "--to",
        "2017",
    ]);
    // Jilin 2017 is 2526 (x 10,000) revised, 2717.43 as first published.
    assert!(csv.contains("region,Jilin,north,"), "{csv}");
    assert!(csv.contains(",25260000,"), "{csv}");
    assert!(
        !csv.contains("natural_increase"),
        "the revised series has no rates"
    );
    let data = ok(&["data", "--dataset", "china-revised"]);
    assert_eq!(data.lines().count(), 621);
    let sources = ok(&["sources"]);
    assert!(sources.contains("Dataset china:"));
    assert!(sources.contains("Dataset china-revised:"));
}

#[test]
fn a_gb18030_mapping_file_reads_with_or_without_its_encoding_named() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    let (bytes, _, _) = encoding_rs::GB18030.encode("地区,分组\n北京,首都\n上海,沿海\n");
    std::fs::write(&map, &bytes).unwrap();
    let map = map.to_str().unwrap();
    let out = ok(&[
        "compare",
        "--groups",
        map,
        "--region",
        "北京",
        "--region",
        "上海",
        "--encoding",
        "gb18030",
    ]);
    assert!(
        out.contains("group,,首都,21729000,21707000,-22000,"),
        "{out}"
    );
    // With no flag, the mapping's encoding is guessed as the data's would be.
    let out = ok(&[
        "compare", "--groups", map, "--region", "北京", "--region", "上海",
    ]);
    assert!(
        out.contains("group,,首都,21729000,21707000,-22000,"),
        "{out}"
    );
}

/// `--region` chooses the rows shown: group and total rows still sum every region, as for
/// `--declining` and `--top` (before, the north's row summed Beijing alone).
#[test]
fn regions_asked_for_leave_the_group_rows_whole() {
    let one = ok(&["compare", "--region", "Beijing"]);
    let all = ok(&["compare"]);
    let rows = |text: &str, level: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with(level))
            .map(String::from)
            .collect()
    };
    assert_eq!(region_names(&one), ["Beijing"]);
    assert_eq!(rows(&one, "group,"), rows(&all, "group,"));
    assert_eq!(rows(&one, "total,"), rows(&all, "total,"));
    assert!(
        one.contains("group,,north,578846300,581040200,2193900,0.379,"),
        "{one}"
    );
}

/// The one-character abbreviations (简称) and 内蒙 find their province.
#[test]
fn provinces_are_found_by_their_abbreviations() {
    for (name, region) in [
        ("京", "Beijing"),
        ("沪", "Shanghai"),
        ("津", "Tianjin"),
        ("内蒙", "Inner Mongolia"),
        ("粤", "Guangdong"),
        ("蜀", "Sichuan"),
    ] {
        let out = ok(&["compare", "--region", name]);
        assert_eq!(region_names(&out), [region], "{name}");
    }
}

const NBS_GBK: &str = "tests/data/real/nbs-china-province-annual-population-sample-survey-gbk.csv";

/// The NBS export names provinces in full (北京市, 广西壮族自治区): the bundled groupings
/// find them. Expected sums computed independently (Python, data/regions.csv by region_zh).
#[test]
fn bundled_groupings_group_a_file_of_province_names() {
    let out = ok(&[
        "compare",
        NBS_GBK,
        "--encoding",
        "gbk",
        "--group-by",
        "nbs-regions",
        "--format",
        "csv",
    ]);
    let summary: Vec<&str> = out.lines().filter(|l| !l.starts_with("region,")).collect();
    assert_eq!(
        summary,
        [
            "level,region,group,pop_2023,pop_2024,change,change_pct",
            "group,,east,596379,583618,-12761,-2.140",
            "group,,central,382469,372890,-9579,-2.505",
            "group,,west,402475,393146,-9329,-2.318",
            "group,,northeast,100906,97782,-3124,-3.096",
            "total,,,1482229,1447436,-34793,-2.347",
        ]
    );
    let out = ok(&[
        "compare",
        NBS_GBK,
        "--encoding",
        "gbk",
        "--group-by",
        "north-south",
        "--format",
        "csv",
    ]);
    assert!(out.contains("\ngroup,,north,596654,581335,"), "{out}");
    assert!(out.contains("\ngroup,,south,885575,866101,"), "{out}");
    assert!(out.contains("\nregion,广西壮族自治区,south,"));
    // The contested regions are marked as for the bundled data.
    let table = ok(&[
        "compare",
        NBS_GBK,
        "--encoding",
        "gbk",
        "--group-by",
        "north-south",
        "--format",
        "table",
        "--color",
        "never",
    ]);
    assert!(table.contains(" 河南省 * "), "{table}");
    assert!(table.contains("* The north/south split is a convention"));
}

#[test]
fn bundled_groupings_find_names_codes_and_aliases_and_name_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.csv");
    std::fs::write(
        &file,
        "region,2016,2017\nBeijing Municipality,100,90\n沪,50,60\n440000,10,30\n\
         Inner Mongolia Autonomous Region,7,8\n全国,167,188\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = ok(&["compare", f, "--group-by", "north-south", "--format", "csv"]);
    assert!(out.contains("\ngroup,,north,107,98,-9,"), "{out}");
    assert!(out.contains("\ngroup,,south,60,90,30,"), "{out}");
    // The national row is a total of the others: apart, not grouped, not summed.
    assert!(out.contains("\naggregate,全国,"), "{out}");
    std::fs::write(&file, "region,2016,2017\nBeijing,100,90\nAtlantis,5,6\n").unwrap();
    let out = popdelta()
        .args(["compare", f, "--group-by", "north-south"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "--group-by north-south: 1 region of the data is not in the mapping: Atlantis; \
             north-south groups the china regions of the bundled data"
        ),
        "{err}"
    );
    let out = ok(&[
        "compare",
        f,
        "--group-by",
        "north-south",
        "--unmapped",
        "other",
        "--format",
        "csv",
    ]);
    assert!(out.contains("\nregion,Atlantis,other,5,6,"), "{out}");
}

/// The footer describes the rows shown: the doubtful figures of the regions shown are
/// named, those of the others (which the group and total rows still sum) counted.
#[test]
fn the_footer_names_the_doubtful_figures_of_the_regions_shown() {
    let beijing = ok(&[
        "compare", "--region", "Beijing", "--format", "table", "--notes", "full",
    ])
    .replace('\n', " ");
    assert!(!beijing.contains("Tibet"), "{beijing}");
    assert!(beijing.contains(
        "The group and total rows also sum 16 figures not of high confidence, of regions not \
         shown (popdelta sources names them)."
    ));
    let tibet = ok(&[
        "compare", "--region", "Tibet", "--region", "Tianjin", "--format", "table", "--notes",
        "full",
    ])
    .replace('\n', " ");
    assert!(
        tibet
            .contains("Figures not of high confidence (unverified: Tibet 2016; low: Tianjin 2016)"),
        "{tibet}"
    );
    assert!(tibet.contains("also sum 14 figures not of high confidence"));
    // Every region shown: every figure named, nothing counted apart.
    let all = ok(&["compare", "--format", "table"]);
    assert!(!all.contains("also sum"));
    let json = ok(&["compare", "--declining", "--format", "json"]);
    assert!(json.contains("figures not of high confidence, of regions not shown"));
}

#[test]
fn a_region_named_with_or_without_its_official_ending_is_found_everywhere() {
    // Before: `--region 北京` was refused ("did you mean 北京市") though --group-by
    // nbs-regions placed 北京 by the same name; "Guangdong Province" was no region.
    for name in ["北京", "北京市", "Beijing Municipality", "beijing shi"] {
        let (out, _) = common::run(&["compare", "--region", name, "--format", "csv"]);
        assert!(
            out.contains("\nregion,Beijing,north,21729000,21707000,-22000,-0.101,"),
            "{name}: {out}"
        );
    }
    let (out, _) = common::run(&[
        "compare",
        "--region",
        "Guangdong Province",
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("\nregion,Guangdong,south,109990000,111690000,1700000,"),
        "{out}"
    );
    // check finds a subject by the same rule.
    let (out, _) = common::run(&["check", "--claim", "广东省 change 2016 2017 = 1700000"]);
    assert!(out.contains("holds"), "{out}");
}
