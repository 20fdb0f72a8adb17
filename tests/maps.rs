//! `--map FILE.svg`: tile-grid maps of the changes, on the bundled data, the Census state
//! file and a user's file of province names.

mod common;

use common::{STATES, refused, run};
use std::fs;

/// The loss shades and the gain shades the map uses.
const LOSS: [&str; 3] = ["#fddbc7", "#ef8a62", "#b2182b"];
const GAIN: [&str; 3] = ["#d1e5f0", "#67a9cf", "#2166ac"];

/// The tiles of a map: (abbreviation, region, value, fill), read from its markup.
fn tiles(svg: &str) -> Vec<(String, String, Option<i128>, String)> {
    svg.split("<g class=\"tile\" ")
        .skip(1)
        .map(|tile| {
            let attr = |name: &str| {
                let key = format!("{name}=\"");
                tile.split_once(&key)
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(v, _)| v.to_owned())
            };
            (
                attr("data-abbr").unwrap(),
                attr("data-region").unwrap(),
                attr("data-value").map(|v| v.parse().unwrap()),
                attr("fill").unwrap(),
            )
        })
        .collect()
}

/// The tile of a region.
fn tile<'a>(
    tiles: &'a [(String, String, Option<i128>, String)],
    abbr: &str,
) -> &'a (String, String, Option<i128>, String) {
    tiles.iter().find(|t| t.0 == abbr).unwrap()
}

/// Checks that the SVG is well-formed XML (every element closed in order) and holds no
/// script or event handler.
fn well_formed(svg: &str) {
    assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    let lower = svg.to_lowercase();
    assert!(
        !lower.contains("<script") && !lower.contains(" on"),
        "no scripts"
    );
    let mut open: Vec<String> = Vec::new();
    let mut rest = &svg[svg.find("?>").unwrap() + 2..];
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap().to_owned());
        }
        // Text between tags holds no markup characters unescaped.
        let text_end = rest[end..].find('<').map_or(rest.len(), |i| i + end);
        assert!(!rest[end + 1..text_end].contains('>'));
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

/// Runs popdelta with `args` and `--map` into a scratch file: (the SVG, stderr).
fn draw(args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.svg");
    let mut all = args.to_vec();
    all.extend(["--map", path.to_str().unwrap()]);
    let (_, err) = run(&all);
    (fs::read_to_string(&path).unwrap(), err)
}

#[test]
fn bundled_china_map_has_31_tiles_losses_red_gains_blue() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.svg");
    let (_, err) = run(&[
        "compare",
        "--map",
        path.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(
        err.contains("--map: 31 of the 31 tiles of the china grid coloured"),
        "{err}"
    );
    let svg = fs::read_to_string(&path).unwrap();
    well_formed(&svg);
    let tiles = tiles(&svg);
    assert_eq!(tiles.len(), 31);
    let ln = tile(&tiles, "LN");
    assert_eq!((ln.1.as_str(), ln.2), ("Liaoning", Some(-89_000)));
    assert!(LOSS.contains(&ln.3.as_str()), "{ln:?}");
    let jl = tile(&tiles, "JL");
    assert_eq!(jl.2, Some(-156_000));
    assert!(LOSS.contains(&jl.3.as_str()), "{jl:?}");
    let gd = tile(&tiles, "GD");
    assert_eq!(gd.2, Some(1_700_000));
    assert_eq!(gd.3, GAIN[2], "the largest gain is the darkest blue");
    assert_eq!(tile(&tiles, "BJ").2, Some(-22_000));
    // Hovering says the figures.
    assert!(svg.contains(
        "<title>Jilin 吉林 (north): 27,330,300 → 27,174,300, -156,000 (-0.571%)</title>"
    ));
    // The bundled data is grouped north and south: both outlined.
    assert!(svg.contains("class=\"outline\" data-group=\"north\""));
    assert!(svg.contains("class=\"outline\" data-group=\"south\""));
    assert!(svg.contains("<title>Population change 2016 to 2017</title>"));
    assert!(svg.contains("width=\"800\""));
}

#[test]
fn census_states_map_on_the_us_grid_puerto_rico_said() {
    let (svg, err) = draw(&["compare", STATES, "--where", "SUMLEV=040"]);
    assert!(
        err.contains(
            "--map: 51 of the 51 tiles of the us grid coloured; 1 region of the data on no \
             tile: Puerto Rico"
        ),
        "{err}"
    );
    well_formed(&svg);
    let tiles = tiles(&svg);
    assert_eq!(tiles.len(), 51);
    assert_eq!(tile(&tiles, "TX").2, Some(399_734));
    assert_eq!(tile(&tiles, "CA").2, Some(240_177));
    assert!(GAIN.contains(&tile(&tiles, "TX").3.as_str()));
    let il = tile(&tiles, "IL");
    assert!(il.2.unwrap() < 0 && LOSS.contains(&il.3.as_str()), "{il:?}");
    // Census regions give no grouping here: no outlines.
    assert!(!svg.contains("class=\"outline\""));
}

#[test]
fn province_names_of_a_users_file_grouped_north_south_are_outlined_missing_hatched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("provinces.csv");
    // Official names with their endings, in 10,000 persons, five provinces only.
    fs::write(
        &data,
        "地区,2016年,2017年\n北京市,2172.9,2170.7\n吉林省,2733.03,2717.43\n\
         辽宁省,4377.8,4368.9\n广东省,10999,11169\n上海市,2419.70,2418.33\n",
    )
    .unwrap();
    let (svg, err) = draw(&[
        "compare",
        data.to_str().unwrap(),
        "--unit",
        "10k",
        "--group-by",
        "north-south",
    ]);
    assert!(
        err.contains("--map: 5 of the 31 tiles of the china grid coloured"),
        "{err}"
    );
    well_formed(&svg);
    let tiles = tiles(&svg);
    assert_eq!(tiles.len(), 31);
    let hatched = tiles.iter().filter(|t| t.3 == "url(#no-data)").count();
    assert_eq!(hatched, 26);
    let bj = tile(&tiles, "BJ");
    assert_eq!((bj.1.as_str(), bj.2), ("北京市", Some(-22_000)));
    assert_eq!(tile(&tiles, "JL").2, Some(-156_000));
    assert!(LOSS.contains(&tile(&tiles, "JL").3.as_str()));
    assert!(GAIN.contains(&tile(&tiles, "GD").3.as_str()));
    assert!(svg.contains("<title>Henan: not in the data</title>"));
    // North: Beijing, Liaoning, Jilin stand together; south: Guangdong and Shanghai, apart.
    let north = svg
        .split("data-group=\"north\" d=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    // Beijing (3,6), Liaoning (3,7), Jilin (2,7): an L of three tiles has 8 sides outside.
    assert_eq!(north.matches('M').count(), 8, "{north}");
    let south = svg
        .split("data-group=\"south\" d=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert_eq!(south.matches('M').count(), 8, "two lone tiles: {south}");
    // Each group's own change: Beijing, Jilin and Liaoning; Guangdong and Shanghai.
    assert!(
        svg.contains("groups, outlined: north -267,000 (-0.288%); south +1,686,300 (+1.257%)"),
        "{svg}"
    );
}

#[test]
fn map_by_change_pct_colours_by_percent() {
    let (svg, _) = draw(&["compare", "--map-by", "change_pct", "--format", "csv"]);
    let tiles = tiles(&svg);
    // Thousandths of a percent.
    assert_eq!(tile(&tiles, "BJ").2, Some(-101));
    assert_eq!(tile(&tiles, "XZ").2, Some(2_000));
    assert!(svg.contains(">-0.1%</text>"));
    assert!(svg.contains("change in percent of the first year"));
}

#[test]
fn trend_map_shows_first_to_last_year() {
    let (svg, err) = draw(&[
        "trend",
        "--dataset",
        "china-revised",
        "--from",
        "2015",
        "--to",
        "2020",
        "--format",
        "csv",
    ]);
    assert!(err.contains("--map: 31 of the 31 tiles"), "{err}");
    well_formed(&svg);
    assert!(svg.contains("<title>Population change 2015 to 2020</title>"));
    let tiles = tiles(&svg);
    let (out, _) = run(&[
        "trend",
        "--dataset",
        "china-revised",
        "--from",
        "2015",
        "--to",
        "2020",
        "--region",
        "Heilongjiang",
        "--format",
        "csv",
    ]);
    let row = out.lines().find(|l| l.contains(",Heilongjiang,")).unwrap();
    let change: i128 = row.split(',').nth(7).unwrap().parse().unwrap();
    assert_eq!(tile(&tiles, "HL").2, Some(change));
    assert!(change < 0);
}

#[test]
fn regions_of_no_known_grid_are_refused_naming_the_grids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wb.svg");
    let err = refused(&[
        "compare",
        "tests/data/world-bank/API_SP.POP.TOTL_DS2_en_csv_v2.csv",
        "--map",
        path.to_str().unwrap(),
    ]);
    assert!(
        err.contains("--map: the 217 regions shown are not the tiles of a known grid"),
        "{err}"
    );
    assert!(err.contains("the grids known: china (31 provinces of mainland China"));
    assert!(err.contains("us (51 US states and DC, by name, postal abbreviation or FIPS code)"));
    assert!(!path.exists());
}

#[test]
fn map_by_needs_map() {
    let out = common::popdelta()
        .args(["compare", "--map-by", "change"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--map <FILE>"));
}

/// The map in the README is what `compare --map` draws today.
#[test]
fn readme_map_image_is_current() {
    let (drawn, _) = draw(&["compare", "--format", "csv"]);
    let committed = fs::read_to_string("docs/map-china-2016-2017.svg").unwrap();
    assert!(
        drawn == committed,
        "regenerate: cargo run -- compare --map docs/map-china-2016-2017.svg"
    );
    let readme = fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("](docs/map-china-2016-2017.svg)"));
}

#[test]
fn french_departements_coded_01_to_40_are_not_drawn_on_the_us_grid() {
    // Before: 36 of their codes are US states' FIPS codes too, and Aisne (02) was drawn on
    // Alaska's tile, exit 0.
    let names = [
        "Ain",
        "Aisne",
        "Allier",
        "Alpes-de-Haute-Provence",
        "Hautes-Alpes",
        "Alpes-Maritimes",
        "Ardèche",
        "Ardennes",
        "Ariège",
        "Aube",
        "Aude",
        "Aveyron",
        "Bouches-du-Rhône",
        "Calvados",
        "Cantal",
        "Charente",
        "Charente-Maritime",
        "Cher",
        "Corrèze",
        "Corse",
        "Côte-d'Or",
        "Côtes-d'Armor",
        "Creuse",
        "Dordogne",
        "Doubs",
        "Drôme",
        "Eure",
        "Eure-et-Loir",
        "Finistère",
        "Gard",
        "Haute-Garonne",
        "Gers",
        "Gironde",
        "Hérault",
        "Ille-et-Vilaine",
        "Indre",
        "Indre-et-Loire",
        "Isère",
        "Jura",
        "Landes",
    ];
    let mut text = String::from("code,département,2016,2017\n");
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "{:02},{name},{},{}\n",
            i + 1,
            300_000 + i,
            301_000 + i
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("departements.csv");
    std::fs::write(&data, text).unwrap();
    let svg = dir.path().join("fr.svg");
    let err = refused(&[
        "compare",
        data.to_str().unwrap(),
        "--map",
        svg.to_str().unwrap(),
    ]);
    assert!(
        err.contains(
            "--map: the 40 regions shown are not the tiles of a known grid (found: china: 0 of \
             31 provinces of mainland China, us: 37 of 51 US states and DC by their codes alone \
             (their names are not the tiles'))"
        ),
        "{err}"
    );
    assert!(err.ends_with("--map-grid NAME draws on one of them whatever the names"));
    assert!(!svg.exists());
    // A grid asked for is taken on the codes alone: the user says they are its.
    let (_, err) = run(&[
        "compare",
        data.to_str().unwrap(),
        "--map",
        svg.to_str().unwrap(),
        "--map-grid",
        "us",
    ]);
    assert!(
        err.contains("--map: 37 of the 51 tiles of the us grid coloured"),
        "{err}"
    );
    let err = refused(&[
        "compare",
        data.to_str().unwrap(),
        "--map",
        svg.to_str().unwrap(),
        "--map-grid",
        "fr",
    ]);
    assert!(
        err.ends_with("--map-grid fr: no such grid; the grids known: china, us"),
        "{err}"
    );
    // Regions named by their codes alone are found by them.
    let fips = dir.path().join("fips.csv");
    std::fs::write(&fips, "fips,2016,2017\n01,10,12\n02,5,4\n04,7,8\n").unwrap();
    run(&[
        "compare",
        fips.to_str().unwrap(),
        "--region-col",
        "fips",
        "--map",
        svg.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&svg).unwrap().contains(">AK<"));
}

#[test]
fn jilins_loss_and_shanghais_are_told_apart_on_the_map() {
    // Before: both the palest red, the classes being steps of 200,000 set by Guangdong's
    // +1.7M. Each side now has its own step: losses by 100,000, gains by 200,000 (from the
    // gains' 90th percentile; Guangdong beyond it, the darkest).
    let (svg, _) = draw(&["compare", "--format", "csv"]);
    let tiles = tiles(&svg);
    let (jl, sh) = (tile(&tiles, "JL"), tile(&tiles, "SH"));
    assert_eq!((jl.2, sh.2), (Some(-156_000), Some(-13_700)));
    assert_eq!((jl.3.as_str(), sh.3.as_str()), (LOSS[1], LOSS[0]));
    assert_eq!(tile(&tiles, "GD").3, GAIN[2]);
    assert!(
        svg.contains(">-100,000</text>") && svg.contains(">+400,000</text>"),
        "{svg}"
    );
    assert!(svg.contains("red: loss, blue: gain, each in steps of its own"));
}
