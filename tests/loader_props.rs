//! Property tests: the loader never panics, and what it reads is what was written.

use popdelta::compute;
use popdelta::load::decode::Encoding;
use popdelta::load::layout::names::Layout;
use popdelta::load::{LoadOptions, load_bytes};
use popdelta::number::Unit;
use proptest::prelude::*;

fn option_sets() -> Vec<LoadOptions> {
    let mut sets = vec![LoadOptions::default()];
    for encoding in [Encoding::Gb18030, Encoding::Latin1, Encoding::Windows1252] {
        sets.push(LoadOptions {
            encoding,
            ..LoadOptions::default()
        });
    }
    sets.push(LoadOptions {
        layout: Layout::Long,
        unit: Some(Unit::TenThousand),
        births_col: Some("b".into()),
        deaths_col: Some("d".into()),
        group_col: Some("g".into()),
        ..LoadOptions::default()
    });
    sets.push(LoadOptions {
        layout: Layout::Wide,
        value_col: Some("p{year}".into()),
        natural_rate_col: Some("r{year}".into()),
        fractions: popdelta::number::Fractions::Round,
        skip_rows: Some(1),
        ..LoadOptions::default()
    });
    for delimiter in [b';', b'\t'] {
        sets.push(LoadOptions {
            delimiter: Some(delimiter),
            fractions: popdelta::number::Fractions::Error,
            filters: vec![popdelta::load::cell::Filter::parse("g!=x|y").unwrap()],
            ..LoadOptions::default()
        });
    }
    sets
}

/// Loading, and comparing whatever loaded, must return, never panic.
fn exercise(bytes: &[u8]) {
    for opts in option_sets() {
        if let Ok(panel) = load_bytes("fuzz.csv", bytes, &opts)
            && let Ok((from, to)) = compute::resolve_years(&panel, None, None, None)
        {
            let _ = compute::compare(&panel, from, to);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        exercise(&bytes);
    }

    #[test]
    fn csv_like_text_never_panics(
        lines in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("region".to_owned()), Just("year".to_owned()),
                    Just("population".to_owned()), Just("2016".to_owned()),
                    Just("2017".to_owned()), Just("p2016".to_owned()), Just("g".to_owned()),
                    Just("\"q,\"\"x\"".to_owned()), Just("NA".to_owned()), Just("".to_owned()),
                    "-?[0-9,.]{0,12}", "[a-z万人\\r\\n]{0,5}",
                ],
                0..6,
            ),
            0..12,
        )
    ) {
        let text: String = lines.iter().map(|l| l.join(",") + "\n").collect();
        exercise(text.as_bytes());
    }

    /// Files of the dialects offices publish: other separators, Eurostat keys and flags,
    /// periods, preambles and footers, totals among the parts.
    #[test]
    fn dialects_never_panic(
        sep in prop::sample::select(vec![",", ";", "\t", "|"]),
        lines in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("indic,geo\\time".to_owned()), Just("JAN,DE".to_owned()),
                    Just("2016 ".to_owned()), Just("2016-07".to_owned()),
                    Just("31.12.2016".to_owned()), Just("2017Q3".to_owned()),
                    Just("12 e".to_owned()), Just(":".to_owned()), Just("World".to_owned()),
                    Just("SUMLEV".to_owned()), Just("040".to_owned()), Just("Country Code".to_owned()),
                    Just("WLD".to_owned()), Just("注：x".to_owned()), Just("Source: y".to_owned()),
                    Just("人口(万人)".to_owned()), Just("REF_DATE".to_owned()), Just("GEO".to_owned()),
                    "[0-9]{1,9}", "[A-Za-z ]{0,6}",
                ],
                0..6,
            ),
            0..12,
        )
    ) {
        let text: String = lines.iter().map(|l| l.join(sep) + "\n").collect();
        exercise(text.as_bytes());
        // The same behind a preamble, and as a gzip stream.
        exercise(format!("Title line\n\n{text}").as_bytes());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        exercise(&gz.finish().unwrap());
    }

    /// Bytes that begin as a workbook or an archive would: refused or read, never a panic.
    #[test]
    fn broken_containers_never_panic(
        magic in prop::sample::select(vec![
            &b"PK\x03\x04"[..], b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"\x1f\x8b\x08\x00",
        ]),
        rest in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(rest);
        exercise(&bytes);
    }

    #[test]
    fn random_panels_round_trip_long_and_wide(
        regions in prop::collection::btree_map(
            "[A-Za-z][A-Za-z ]{0,8}[a-z]",
            (prop::option::of(0i64..10_000_000_000), prop::option::of(0i64..10_000_000_000)),
            1..20,
        )
    ) {
        let mut long = String::from("region,year,population\n");
        let mut wide = String::from("region,2016,2017\n");
        for (name, (a, b)) in &regions {
            let cell = |v: &Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
            for (year, v) in [(2016, a), (2017, b)] {
                long.push_str(&format!("{name},{year},{}\n", cell(v)));
            }
            wide.push_str(&format!("{name},{},{}\n", cell(a), cell(b)));
        }
        let any16 = regions.values().any(|(a, _)| a.is_some());
        let any17 = regions.values().any(|(_, b)| b.is_some());
        for text in [&long, &wide] {
            let panel = load_bytes("t.csv", text.as_bytes(), &LoadOptions::default()).unwrap();
            prop_assert_eq!(panel.len(), regions.len());
            for (i, (name, (a, b))) in regions.iter().enumerate() {
                prop_assert_eq!(panel.name(i), name.as_str());
                prop_assert_eq!(panel.population(i, 2016), *a);
                prop_assert_eq!(panel.population(i, 2017), *b);
            }
            if any16 && any17 {
                let c = compute::compare(&panel, 2016, 2017).unwrap();
                let changes: Vec<i64> = regions
                    .values()
                    .filter_map(|(a, b)| Some(b.as_ref()? - a.as_ref()?))
                    .collect();
                // No region with both years: the total has no figures, not zeros.
                let expected = (!changes.is_empty()).then(|| changes.iter().sum::<i64>());
                prop_assert_eq!(c.total().and_then(|t| t.change), expected);
            }
        }
    }
}
