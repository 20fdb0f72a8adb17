//! Snapshots of every output of the default comparison on the bundled data.

use popdelta::compute::{self, Comparison};
use popdelta::load::bundled::{self, Dataset, Grouping};
use popdelta::panel::Panel;
use popdelta::render::{self, Format};
use unicode_width::UnicodeWidthStr;

fn default_comparison() -> (Panel, Comparison) {
    let panel = bundled::load(Dataset::China, Grouping::NorthSouth).unwrap();
    let cmp = compute::compare(&panel, 2016, 2017).unwrap();
    (panel, cmp)
}

fn rendered(format: Format) -> String {
    let (panel, cmp) = default_comparison();
    let mut out = Vec::new();
    render::write(&mut out, format, &cmp, &panel.info).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table() {
    insta::assert_snapshot!(rendered(Format::Table));
}

#[test]
fn csv() {
    insta::assert_snapshot!(rendered(Format::Csv));
}

#[test]
fn json() {
    insta::assert_snapshot!(rendered(Format::Json));
}

#[test]
fn every_table_line_has_the_same_display_width_with_chinese_names() {
    let (_, cmp) = default_comparison();
    let lines = render::table::table_lines(&cmp, &[]);
    let width = lines[0].width();
    for line in &lines {
        assert_eq!(line.width(), width, "{line}");
    }
    assert!(lines.iter().any(|l| l.contains("黑龙江")));
}

#[test]
fn nbs_regions_group_four_ways() {
    // Expected sums computed independently from the reference files with Python's Decimal.
    let panel = bundled::load(Dataset::China, Grouping::NbsRegions).unwrap();
    let cmp = compute::compare(&panel, 2016, 2017).unwrap();
    let pops: Vec<(&str, i64, i64)> = ["east", "central", "west", "northeast"]
        .iter()
        .map(|g| {
            let l = cmp.group(g).unwrap();
            (*g, l.pop_from.unwrap(), l.pop_to.unwrap())
        })
        .collect();
    assert_eq!(
        pops,
        vec![
            ("east", 529_500_100, 533_633_100),
            ("central", 367_085_600, 369_005_800),
            ("west", 374_140_000, 376_944_000),
            ("northeast", 109_098_300, 108_750_300),
        ]
    );
    let t = cmp.total().unwrap();
    assert_eq!(t.pop_to, Some(1_388_333_200));
}
