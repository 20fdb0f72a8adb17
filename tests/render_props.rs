//! Whatever the region names, the outputs for people show them and are never run by
//! what reads them: no control byte but a newline on a terminal, no raw HTML in Markdown,
//! and SVG that an XML parser accepts.

use popdelta::compute;
use popdelta::load::{LoadOptions, load_bytes};
use popdelta::render::table::Look;
use popdelta::render::{self, Format};
use proptest::prelude::*;

/// A CSV field holding `name`, quoted.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Names made of anything, hostile characters often.
fn name() -> impl Strategy<Value = String> {
    let hostile = prop::sample::select(vec![
        "\u{1b}[2J",
        "\u{1b}]0;t\u{7}",
        "\u{8}",
        "\u{7f}",
        "\u{85}",
        "\u{202e}",
        "\u{2066}",
        "<script>",
        "<img onerror=x>",
        "&amp;",
        "\u{1}",
        "\t",
        "\r",
        "\n",
        "|",
        "*",
        "\u{feff}",
    ]);
    prop::collection::vec(
        prop_oneof![3 => any::<char>().prop_map(String::from), 1 => hostile.prop_map(String::from)],
        1..8,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("a name that is not blank", |n| !n.trim().is_empty())
}

/// Whether a terminal output holds a control character other than a newline, or a bidi
/// control.
fn acts_on_a_terminal(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn hostile_names_are_shown_not_obeyed(names in prop::collection::vec(name(), 1..5)) {
        let mut text = String::from("region,group,2016,2017\n");
        for (i, n) in names.iter().enumerate() {
            text.push_str(&format!("{},{},{},{}\n", quoted(&format!("{n}{i}")), quoted(n), 10 + i, 12));
        }
        let opts = LoadOptions { group_col: Some("group".into()), ..LoadOptions::default() };
        let Ok(panel) = load_bytes("names.csv", text.as_bytes(), &opts) else {
            // Names the loader refuses (not text, say) never reach a renderer.
            return Ok(());
        };
        let cmp = compute::compare(&panel, 2016, 2017).unwrap();
        let look = Look::default();
        for format in [Format::Table, Format::Markdown] {
            let mut out = Vec::new();
            let opts = render::Options { look, ..render::Options::default() };
            render::write(&mut out, format, &cmp, &panel.info, opts).unwrap();
            let out = String::from_utf8(out).unwrap();
            prop_assert_eq!(acts_on_a_terminal(&out), None, "{:?}: {}", format, out);
            if format == Format::Markdown {
                prop_assert!(!out.contains('<'), "{}", out);
            }
        }
        let mut chart = Vec::new();
        render::chart::write(&mut chart, &cmp, &panel.info, false).unwrap();
        let chart = String::from_utf8(chart).unwrap();
        prop_assert_eq!(acts_on_a_terminal(&chart), None, "{}", chart);
        let mut svg = Vec::new();
        render::svg::write(&mut svg, &cmp, &panel.info).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        prop_assert!(roxmltree::Document::parse(&svg).is_ok(), "{}", svg);
        // CSV keeps the names exactly: it is data.
        let mut csv = Vec::new();
        render::write(&mut csv, Format::Csv, &cmp, &panel.info, render::Options::default()).unwrap();
        let mut rdr = csv::Reader::from_reader(&csv[..]);
        let kept: Vec<String> = rdr.records().filter_map(|r| {
            let r = r.unwrap();
            // A name indented under another's makes that one a total: still a row.
            (&r[0] == "region" || &r[0] == "aggregate").then(|| r[1].to_owned())
        }).collect();
        for (i, n) in names.iter().enumerate() {
            let want = format!("{n}{i}");
            let want = want.trim_matches(|c: char| c.is_ascii_whitespace());
            prop_assert!(
                kept.iter().any(|k| k == want || k.strip_prefix('\'') == Some(want)),
                "{:?} not in {:?}", want, kept
            );
        }
    }
}
