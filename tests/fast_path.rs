//! The parallel fast path reads the panel the ordinary reader reads, or steps aside and
//! lets the ordinary reader answer (and explain any problem).

mod common;

use std::fmt::Write as _;

use common::popdelta;
use popdelta::load::fast::{self, Fallback, FastPanel};
use popdelta::load::{LoadOptions, load_bytes};
use popdelta::panel::Panel;
use proptest::prelude::*;

fn options(ordinary: bool) -> LoadOptions {
    LoadOptions {
        group_col: Some("group".into()),
        ordinary,
        ..LoadOptions::default()
    }
}

/// The fast path's reading of `text`, in blocks of `block` bytes.
fn fast(text: &str, block: usize) -> Result<FastPanel, Fallback> {
    fast::load_in_blocks("t.csv", &mut text.as_bytes(), &options(false), None, block)
}

/// Asserts that the fast path read exactly the ordinary reader's panel, all of it.
fn assert_same(loaded: FastPanel, panel: &Panel) {
    let fast = loaded.into_panel(panel.info.clone());
    if let Err(difference) = fast.same_contents(panel) {
        panic!("the fast path read another panel: {difference}");
    }
}

/// A long file of `regions` regions, two years each, rows shuffled (deterministically).
fn shuffled_long(regions: usize) -> String {
    let mut rows: Vec<String> = Vec::with_capacity(regions * 2);
    for i in 0..regions {
        let group = ["north", "south", "west"][i % 3];
        rows.push(format!("Region-{i:07},{group},2016,{}", 1000 + i * 7));
        if i % 97 != 5 {
            rows.push(format!("Region-{i:07},{group},2017,{}", 1000 + i * 11));
        }
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in (1..rows.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        rows.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let mut text = String::from("region,group,year,population\n");
    for row in rows {
        let _ = writeln!(text, "{row}");
    }
    text
}

#[test]
fn a_shuffled_long_file_read_in_many_blocks_matches_the_ordinary_reader() {
    let text = shuffled_long(3000);
    let loaded = fast(&text, 4096).expect("a plain file takes the fast path");
    let panel = load_bytes("t.csv", text.as_bytes(), &options(true)).unwrap();
    assert_same(loaded, &panel);
    // Regions come in order of first appearance, as the ordinary reader has them.
    let first_row = text.lines().nth(1).unwrap();
    assert_eq!(panel.name(0), first_row.split(',').next().unwrap());
    let mut groups = panel.groups().to_vec();
    groups.sort();
    assert_eq!(groups, ["north", "south", "west"]);
    let r = panel.find("Region-0000010").unwrap();
    assert_eq!(panel.population(r, 2016), Some(1070));
    assert_eq!(panel.population(r, 2017), Some(1110));
    let lacking = panel.find("Region-0000005").unwrap();
    assert_eq!(panel.population(lacking, 2017), None);
}

#[test]
fn a_wide_file_with_crlf_blank_lines_and_missing_cells_takes_the_fast_path() {
    let text = "region,group,2016,2017\r\n A ,n,1,2\r\n\r\nB,s,,5\r\nC,n,NA,6,\r\nD,s,7,8";
    let loaded = fast(text, 8).expect("fast path");
    let panel = load_bytes("t.csv", text.as_bytes(), &options(true)).unwrap();
    assert_same(loaded, &panel);
    assert_eq!(panel.name(0), "A");
    assert_eq!(panel.population(1, 2016), None);
    assert_eq!(panel.population(3, 2017), Some(8));
}

#[test]
fn the_fast_path_steps_aside_for_what_it_does_not_explain() {
    let long = "region,group,year,population\n";
    // A quote, a bad figure, two figures for one year, two groups, a short row.
    for body in [
        "\"A\",n,2016,1\n",
        "A,n,2016,12.5\n",
        "A,n,2016,1\nA,n,2016,2\n",
        "A,n,2016,1\nA,s,2017,2\n",
        "A,n,2016\n",
    ] {
        assert_eq!(
            fast(&format!("{long}{body}"), 4096).err(),
            Some(Fallback),
            "{body:?}"
        );
    }
    // A wide file naming a region twice, and one with a preamble.
    assert!(fast("region,group,2016\nA,n,1\nA,n,1\n", 4096).is_err());
    assert!(fast("Title\n\nregion,group,2016\nA,n,1\nB,n,2\nC,n,3\n", 4096).is_err());
}

/// Mostly what the fast path reads, sometimes what makes it step aside.
fn mostly(good: Vec<&'static str>, odd: Vec<&'static str>) -> impl Strategy<Value = &'static str> {
    prop_oneof![50 => prop::sample::select(good), 1 => prop::sample::select(odd)]
}

fn cell() -> impl Strategy<Value = &'static str> {
    mostly(
        vec!["100", "0", "", "NA", "5000000000", " 42", "007", "21707000"],
        vec!["1,234", "12.5", "x", "99999999999999999999"],
    )
}

fn row(long: bool) -> impl Strategy<Value = String> {
    let name = mostly(
        vec![
            "Anan",
            " Anan ",
            "北京",
            "Zed",
            "B",
            "C",
            "a region name longer than nineteen bytes",
            "World",
            "Total Asia",
            "全国",
            "EU28",
        ],
        vec!["", "\"Q\"", "x\ry"],
    );
    let group = mostly(vec!["north", "south", " north"], vec!["", "e\"ast"]);
    let year = mostly(vec!["2016", "2017", "2018", "", "NA"], vec!["201x", "-1"]);
    let end = mostly(vec!["\n", "\r\n", ",\n", "\n\n"], vec!["\r", ",,\n"]);
    // A number after most names: regions repeat, but not in every file.
    let name = (name, 0..24u8).prop_map(|(n, k)| {
        if n.trim().is_empty() || n.contains(['"', '\r']) || k % 5 == 0 {
            n.to_owned()
        } else {
            format!("{n}{k}")
        }
    });
    (name, group, year, cell(), cell(), end).prop_map(move |(n, g, y, a, b, e)| {
        if long {
            format!("{n},{g},{y},{a}{e}")
        } else {
            format!("{n},{g},{a},{b}{e}")
        }
    })
}

/// A file: a header ended by any line break (mixed endings: each row picks its own), a
/// BOM or not, and a last line with or without its ending.
fn file() -> impl Strategy<Value = String> {
    let header_end = mostly(vec!["\n", "\r\n"], vec!["\r"]);
    (any::<bool>(), header_end, any::<bool>(), any::<bool>()).prop_flat_map(
        |(long, header_end, bom, cut_last)| {
            prop::collection::vec(row(long), 0..12).prop_map(move |rows| {
                let header = if long {
                    "region,group,year,population"
                } else {
                    "region,group,2016,2017"
                };
                let bom = if bom { "\u{FEFF}" } else { "" };
                let mut text = format!("{bom}{header}{header_end}{}", rows.concat());
                if cut_last {
                    let kept = text.trim_end_matches(['\r', '\n']).len();
                    text.truncate(kept);
                }
                text
            })
        },
    )
}

/// Whatever the fast path reads, the ordinary reader reads the same; and the files are
/// plain enough that the fast path often answers.
#[test]
fn fast_path_agrees_with_the_ordinary_reader() {
    use proptest::test_runner::{Config, TestRunner};
    let answered = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config::with_cases(400));
    let result = runner.run(&(file(), 1usize..64), |(text, block)| {
        if let Ok(loaded) = fast(&text, block) {
            answered.set(answered.get() + 1);
            let panel = load_bytes("t.csv", text.as_bytes(), &options(true));
            let panel = panel.expect("the ordinary reader reads what the fast path read");
            assert_same(loaded, &panel);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        answered.get() > 100,
        "the fast path answered {} of 400",
        answered.get()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Through the public loader, results and error messages are the same either way.
    #[test]
    fn loading_gives_the_same_answer_with_or_without_the_fast_path(text in file()) {
        let fast = load_bytes("t.csv", text.as_bytes(), &options(false));
        let ordinary = load_bytes("t.csv", text.as_bytes(), &options(true));
        match (fast, ordinary) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.len(), b.len());
                prop_assert_eq!(a.years(), b.years());
                for r in 0..a.len() {
                    prop_assert_eq!(a.name(r), b.name(r));
                    prop_assert_eq!(a.group(r), b.group(r));
                    for &y in a.years() {
                        prop_assert_eq!(a.population(r, y), b.population(r, y));
                    }
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "fast {:?} but ordinary {:?}", a.is_ok(), b.is_ok()),
        }
    }
}

/// `compare FILE --group-by group --format csv`.
fn compare_csv(path: &std::path::Path) -> [String; 6] {
    [
        "compare",
        path.to_str().unwrap(),
        "--group-by",
        "group",
        "--format",
        "csv",
    ]
    .map(String::from)
}

/// Runs popdelta with `args`, and again with `--single-threaded`: it succeeds, and the
/// two give the same stdout and stderr; returns the stdout.
fn same_as_single_threaded(args: &[String]) -> String {
    let fast = popdelta().args(args).output().unwrap();
    let single = popdelta()
        .args(args)
        .arg("--single-threaded")
        .output()
        .unwrap();
    assert!(fast.status.success());
    assert_eq!(fast.stdout, single.stdout);
    assert_eq!(fast.stderr, single.stderr);
    String::from_utf8(fast.stdout).unwrap()
}

/// A file of several blocks through the binary: the same bytes out as the single-threaded
/// reader, and a contradiction near its end still named by line.
#[test]
fn a_large_file_gives_the_single_threaded_output_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let mut text = shuffled_long(90_000);
    assert!(text.len() > 5 << 20, "more than one 4 MiB block");
    std::fs::write(&path, &text).unwrap();
    let args = compare_csv(&path);
    let stdout = same_as_single_threaded(&args);
    assert!(stdout.contains("\nregion,Region-0000010,south,1070,1110,40,3.738\n"));
    assert!(stdout.ends_with("\n"));

    let lines = text.lines().count();
    text.push_str("Region-0000010,south,2017,1111\n");
    std::fs::write(&path, &text).unwrap();
    popdelta()
        .args(&args)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "long.csv:{}:population: Region-0000010 has two different population figures for 2017",
            lines + 1
        )));
}

/// A wide file of several blocks and 300 groups through the binary: the same bytes out as
/// the single-threaded reader; a region named again at its end still named by line.
#[test]
fn a_large_wide_file_gives_the_single_threaded_output_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    let mut text = String::from("region,group,2016,2017\n");
    for i in 0..120_000u64 {
        let a = 1000 + i * 7 % 991;
        let b = if i % 977 == 5 {
            String::new()
        } else {
            (a + i % 41).to_string()
        };
        text.push_str(&format!("Place-{i:07},G{},{a},{b}\n", i * 13 % 300));
    }
    assert!(text.len() > 3 << 20, "several 1 MiB blocks");
    std::fs::write(&path, &text).unwrap();
    let args = compare_csv(&path);
    let stdout = same_as_single_threaded(&args);
    assert!(stdout.contains("\nregion,Place-0000300,G0,1118,1131,13,1.163\n"));
    assert!(stdout.contains("\ngroup,,G299,597112,605100,7988,1.338\n"));

    let lines = text.lines().count();
    text.push_str("Place-0000300,G0,3100,3108\n");
    std::fs::write(&path, &text).unwrap();
    popdelta()
        .args(&args)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "wide.csv:{}:2016: Place-0000300 has two different population figures for 2016: \
             3100 here and 1118 at",
            lines + 1
        )));
}
