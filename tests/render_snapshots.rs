//! Snapshots of every output of the default comparison on the bundled data.

use popdelta::compute;
use popdelta::load::bundled::{self, Dataset};
use popdelta::panel::Panel;
use popdelta::render::table::Look;
use popdelta::render::{self, Format};
use unicode_width::UnicodeWidthStr;

fn china() -> Panel {
    bundled::load(Dataset::default(), None).unwrap()
}

fn rendered(format: Format) -> String {
    rendered_with(format, render::Options::default())
}

fn rendered_with(format: Format, opts: render::Options) -> String {
    let panel = china();
    let cmp = compute::compare(&panel, 2016, 2017).unwrap();
    let mut out = Vec::new();
    render::write(&mut out, format, &cmp, &panel.info, opts).unwrap();
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
fn tsv() {
    insta::assert_snapshot!(rendered(Format::Tsv));
}

#[test]
fn ndjson() {
    insta::assert_snapshot!(rendered(Format::Ndjson));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown));
}

#[test]
fn table_ascii() {
    let opts = render::Options {
        look: Look {
            ascii: true,
            ..Look::default()
        },
        ..render::Options::default()
    };
    let out = rendered_with(Format::Table, opts);
    assert!(!out.contains('─'));
    insta::assert_snapshot!(out);
}

#[test]
fn chart() {
    let panel = china();
    let cmp = compute::compare(&panel, 2016, 2017).unwrap();
    let mut out = Vec::new();
    render::chart::write(&mut out, &cmp, &panel.info, false).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn json_validates_against_the_schema_in_docs() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../docs/compare.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&rendered(Format::Json)).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // And a document that breaks it is caught: the schema is not vacuous.
    let mut bad = doc.clone();
    bad["rows"][0]["change"] = serde_json::json!("-22,000");
    assert!(!validator.is_valid(&bad));
    for row in doc["rows"].as_array().unwrap() {
        let line: serde_json::Value = row.clone();
        assert!(validator.is_valid(&serde_json::json!({
            "dataset": "x", "description": "", "from": 2016, "to": 2017, "unit": "persons",
            "totalled": true, "source_unit": "persons", "grouping": null, "sources": [], "components": null,
            "columns": doc["columns"], "hidden_regions": 0, "rows": [line], "excluded": [],
            "notes": []
        })));
    }
}

#[test]
fn svg_has_one_bar_per_region_and_parses_as_xml() {
    let panel = china();
    let cmp = compute::compare(&panel, 2016, 2017).unwrap();
    let mut out = Vec::new();
    render::svg::write(&mut out, &cmp, &panel.info).unwrap();
    let text = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some("bar"))
        .collect();
    assert_eq!(bars.len(), 31);
    let red = bars
        .iter()
        .filter(|b| b.attribute("fill") == Some("#c0392b"))
        .count();
    assert_eq!(red, 6, "six regions declined");
    assert!(text.contains("Population change 2016 to 2017, persons"));
    assert!(text.contains("Source: china"));
}

#[test]
fn every_table_line_has_the_same_display_width_with_chinese_names() {
    let panel = china();
    let cmp = compute::compare(&panel, 2016, 2017).unwrap();
    let lines = render::table::table_lines(&cmp, &[], Look::default());
    let width = lines[0].width();
    for line in &lines {
        assert_eq!(line.width(), width, "{line}");
    }
    assert!(lines.iter().any(|l| l.contains("黑龙江")));
}

#[test]
fn nbs_regions_group_four_ways() {
    // Expected sums computed independently from the reference files with Python's Decimal.
    let panel = bundled::load(Dataset::default(), Some("nbs-regions")).unwrap();
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
