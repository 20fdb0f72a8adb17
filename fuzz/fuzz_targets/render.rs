//! Fuzzes the outputs: whatever a file holds (names with formulas, controls, characters
//! XML forbids; figures past 2^53), every format of its comparison is written without a
//! panic, a workbook and an SVG are well formed, and no CSV cell starts a formula.
#![no_main]

#[path = "quiet.rs"]
mod quiet;

use libfuzzer_sys::fuzz_target;
use popdelta::compute;
use popdelta::load::{LoadOptions, load_bytes};
use popdelta::render::{self, Format, Options};

fuzz_target!(|data: &[u8]| {
    quiet::quiet_workbook_panics();
    let Ok(panel) = load_bytes("fuzz.csv", data, &LoadOptions::default()) else {
        return;
    };
    let Ok((from, to)) = compute::resolve_years(&panel, None, None, None) else {
        return;
    };
    let Ok(cmp) = compute::compare(&panel, from, to) else {
        return;
    };
    let said = ["said while reading".to_owned()];
    let opts = Options {
        said: &said,
        ..Options::default()
    };
    for format in [
        Format::Table,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Ndjson,
        Format::Markdown,
        Format::Xlsx,
    ] {
        let mut out = Vec::new();
        if render::write(&mut out, format, &cmp, &panel.info, opts).is_err() {
            // A refusal (a workbook past a sheet's rows) is an answer, not a crash.
            continue;
        }
        match format {
            Format::Xlsx => assert!(out.starts_with(b"PK\x03\x04"), "a workbook is a zip"),
            Format::Json => {
                let _: serde_json::Value =
                    serde_json::from_slice(&out).expect("the JSON output parses");
            }
            Format::Csv => {
                for record in csv::Reader::from_reader(&out[..]).records() {
                    let record = record.expect("the CSV output parses");
                    for cell in &record {
                        assert!(
                            !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                                || cell.len() == 1
                                || popdelta::number::Decimal::parse(cell).is_ok(),
                            "an unguarded cell: {cell:?}"
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let mut svg = Vec::new();
    if render::svg::write(&mut svg, &cmp, &panel.info).is_ok() {
        let text = String::from_utf8(svg).expect("the SVG is UTF-8");
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("the SVG is not well formed: {e}"),
            }
        }
        assert!(
            !text.contains(['\u{fffe}', '\u{ffff}']),
            "the SVG holds a character XML forbids"
        );
    }
});
