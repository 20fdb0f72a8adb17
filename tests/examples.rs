//! Every example in `--help` and in the README runs, on the files it names: each name is
//! a copy of a real download from tests/data (or a small file made here) in a scratch
//! folder, where the command runs as written.

mod common;

use std::io::Write;
use std::path::Path;

use common::popdelta;

/// The files the examples name, from tests/data.
const COPIES: &[(&str, &str)] = &[
    (
        "nst-est2017-alldata.csv",
        "us-census/nst-est2017-alldata.csv",
    ),
    ("co-est2017-alldata.csv", "us-census/co-est2017-alldata.csv"),
    ("states.csv", "us-census/nst-est2017-alldata.csv"),
    (
        "co-est2021-alldata.csv",
        "real/census-co-est2021-alldata.csv",
    ),
    (
        "API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv",
        "real/worldbank-API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv",
    ),
    (
        "WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx",
        "real/undesa-WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx",
    ),
    (
        "demo_gind.tsv",
        "real/eurostat-demo_gind-population-change-2016.tsv",
    ),
    (
        "分省年度数据.csv",
        "real/nbs-china-province-annual-population-sample-survey-gbk.csv",
    ),
    (
        "FEH_00200524.csv",
        "real/estat-jp-FEH_00200524-population-estimates-prefectures-cp932.csv",
    ),
    (
        "Metadata_Country.csv",
        "real/worldbank-Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_739890.csv",
    ),
    ("provinces.xlsx", "workbooks/openpyxl-provinces-zh.xlsx"),
    ("provinces.xlsb", "workbooks/pyxlsbwriter-provinces-en.xlsb"),
    ("galicia.json", "jsonstat/galicia-2.0.json"),
    (
        "demo_gind.json",
        "jsonstat/eurostat-demo_gind-2013-2015.json",
    ),
    (
        "demo_gind_sdmx.csv",
        "sdmx/eurostat-demo_gind-2013-2015-labels.csv",
    ),
    (
        "31010DO001_201906.xls",
        "real/abs-31010DO001_201906-australian-demographic-statistics.xls",
    ),
    (
        "st-est00int-01.xls",
        "real/census-st-est00int-01-intercensal-states-2000-2010.xls",
    ),
    (
        "12411-01-01-4.csv",
        "real/destatis-regionalstatistik-12411-01-01-4-kreise-1995-2015.csv",
    ),
    (
        "1710000901.csv",
        "api/statcan-17100009-quarterly-provinces-1946-2024.csv",
    ),
    (
        "BE0101N1.px",
        "api/scb-BE0101N1-counties-by-sex-2007-2008.px",
    ),
    (
        "12c1.px",
        "api/statfin-families-municipalities-2006-2022.px",
    ),
];

/// A scratch folder holding every file an example names.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, from) in COPIES {
        std::fs::copy(Path::new("tests/data").join(from), dir.path().join(name)).unwrap();
    }
    // The World Bank zip: data and metadata, as the API serves them.
    let zip_file = std::fs::File::create(dir.path().join("API_SP.POP.TOTL_DS2_en_csv_v2.zip"));
    let mut zip = zip::ZipWriter::new(zip_file.unwrap());
    for (inner, from) in [
        (
            "API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv",
            "worldbank-API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv",
        ),
        (
            "Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv",
            "worldbank-Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_739890.csv",
        ),
    ] {
        zip.start_file(inner, zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = std::fs::read(Path::new("tests/data/real").join(from)).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    // A mapping of the 31 bundled regions to two groups.
    let data = popdelta().arg("data").output().unwrap().stdout;
    let mut groups = String::from("region,group\n");
    let mut seen = Vec::new();
    for rec in csv::Reader::from_reader(&data[..]).records() {
        let region = rec.unwrap()[2].to_owned();
        if !seen.contains(&region) {
            groups.push_str(&format!("{region},g{}\n", seen.len() % 2));
            seen.push(region);
        }
    }
    assert_eq!(seen.len(), 31);
    write("my-groups.csv", &groups);
    let claims = "id,subject,from,to,metric,op,value,tolerance,quote\n\
                  1,Beijing,2016,2017,change,<,0,,\n";
    write("mine.csv", claims);
    write(
        "trend-claims.csv",
        "id,subject,from,to,metric,op,value,tolerance,quote\n\
         1,Heilongjiang,2010,2024,decline_streak,=,14,,shrunk every year since 2010\n",
    );
    write(
        "c.csv",
        "id,subject,from,to,metric,op,value,tolerance,quote\n\
         1,California,2016,2017,change,>,0,,\n",
    );
    dir
}

/// The `popdelta` commands in a text: lines starting with `popdelta` (after `$ `), joined
/// across `\` continuations, cut at a description (two spaces), a comment, a pipe or a
/// redirection.
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let l = line.trim().trim_start_matches("$ ");
        let l = match &mut current {
            Some(c) => {
                c.push(' ');
                c.push_str(l);
                c.clone()
            }
            None if l.starts_with("popdelta ") => l.to_owned(),
            None => continue,
        };
        if let Some(head) = l.strip_suffix('\\') {
            current = Some(head.trim_end().to_owned());
            continue;
        }
        current = None;
        let mut cmd = l.as_str();
        for cut in ["  ", " #", " |", " >"] {
            if let Some(i) = cmd.find(cut) {
                cmd = &cmd[..i];
            }
        }
        out.push(cmd.trim().to_owned());
    }
    out
}

/// A command's words, as a shell would split them (single quotes only).
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in cmd.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Runs every command: each must succeed (`check` may exit 1: a claim not holding is news).
fn run_all(source: &str, cmds: &[String]) {
    assert!(!cmds.is_empty(), "no examples found in {source}");
    let dir = scratch();
    for cmd in cmds {
        let args = words(cmd);
        let out = popdelta()
            .current_dir(dir.path())
            .args(&args[1..])
            .output()
            .unwrap();
        let ok = out.status.success() || (args[1] == "check" && out.status.code() == Some(1));
        assert!(
            ok,
            "{source}: `{cmd}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_example_in_the_help_runs() {
    for sub in ["compare", "trend", "vintages", "check"] {
        let out = popdelta().args([sub, "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let cmds = commands(&help);
        assert!(cmds.len() >= 3, "{sub}: {cmds:?}");
        run_all(&format!("popdelta {sub} --help"), &cmds);
    }
}

#[test]
fn every_example_in_the_readme_runs() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let cmds: Vec<String> = commands(&readme)
        .into_iter()
        // The benchmark line runs hyperfine, not popdelta.
        .filter(|c| !c.contains("target/release"))
        .collect();
    assert!(cmds.len() >= 15, "{cmds:?}");
    run_all("README.md", &cmds);
}

#[test]
fn commands_are_found_as_a_shell_would_split_them() {
    let text = "  popdelta compare --format csv > out.csv      CSV\n\
                $ popdelta check a.csv \\\n      --value-col 'POP {year}'\n";
    assert_eq!(
        commands(text),
        [
            "popdelta compare --format csv",
            "popdelta check a.csv --value-col 'POP {year}'"
        ]
    );
    assert_eq!(
        words("popdelta compare --value-col 'POP {year}'"),
        ["popdelta", "compare", "--value-col", "POP {year}"]
    );
}

/// The outputs shown in the README (```text blocks that begin with `$ popdelta ...`) are
/// what the command prints today on a wide terminal: a table without colour, short notes.
#[test]
fn the_readme_shows_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut shown = 0;
    for block in readme.split("```text\n").skip(1) {
        let Some((block, _)) = block.split_once("```") else {
            continue;
        };
        let Some(rest) = block.strip_prefix("$ popdelta ") else {
            continue;
        };
        let (cmd, expected) = rest.split_once('\n').unwrap();
        // `| head -N`: the first lines of what a pipe gets (CSV); else the table.
        let (args, head) = match cmd.split_once(" | head -") {
            Some((args, n)) => (words(args), n.parse::<usize>().ok()),
            None => (words(cmd), None),
        };
        let mut run = popdelta();
        run.args(&args);
        if head.is_none() {
            run.args(["--format", "table", "--color", "never"]);
            if !args.iter().any(|a| a == "check" || a == "vintages") {
                run.args(["--notes", "short"]);
            }
        }
        let text = String::from_utf8(run.output().unwrap().stdout).unwrap();
        let got = match head {
            Some(n) => text.lines().take(n).map(|l| format!("{l}\n")).collect(),
            None => text,
        };
        assert_eq!(got, expected, "README: `popdelta {cmd}`");
        shown += 1;
    }
    assert!(shown >= 3, "{shown} outputs found");
}
