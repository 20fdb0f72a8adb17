//! Fuzzes the CSV loader and the comparison: no input may make them panic or hang, and
//! the parallel fast path must read what the ordinary reader reads.
#![no_main]

#[path = "quiet.rs"]
mod quiet;

use libfuzzer_sys::fuzz_target;
use popdelta::compute;
use popdelta::load::decode::Encoding;
use popdelta::load::{LoadOptions, fast, load_bytes};
use popdelta::panel::Panel;

fuzz_target!(|data: &[u8]| {
    quiet::quiet_workbook_panics();
    // The first byte picks the options, the rest is the file.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let opts = LoadOptions {
        encoding: match pick % 4 {
            0 => Encoding::Auto,
            1 => Encoding::Gb18030,
            2 => Encoding::Latin1,
            _ => Encoding::Windows1252,
        },
        fractions: if pick & 4 != 0 {
            popdelta::number::Fractions::Round
        } else {
            popdelta::number::Fractions::Error
        },
        unit: (pick & 8 != 0).then_some(popdelta::number::Unit::TenThousand),
        natural_rate_col: (pick & 16 != 0).then(|| "rate".to_owned()),
        group_col: (pick & 32 != 0).then(|| "group".to_owned()),
        ..LoadOptions::default()
    };
    if pick & 64 != 0 {
        same_either_way(bytes, &opts);
        return;
    }
    if let Ok(panel) = load_bytes("fuzz.csv", bytes, &opts)
        && let Ok((from, to)) = compute::resolve_years(&panel, None, None, None)
    {
        let _ = compute::compare(&panel, from, to);
    }
});

/// Loads with and without the fast path (whole, and in blocks of a few bytes): the same
/// panel, or the same error.
fn same_either_way(bytes: &[u8], opts: &LoadOptions) {
    let ordinary = load_bytes(
        "fuzz.csv",
        bytes,
        &LoadOptions {
            ordinary: true,
            ..opts.clone()
        },
    );
    let fast = load_bytes("fuzz.csv", bytes, opts);
    match (&fast, &ordinary) {
        (Ok(a), Ok(b)) => same_panel(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!(
            "fast {:?} but ordinary {:?}",
            fast.is_ok(),
            ordinary.is_ok()
        ),
    }
    let block = 1 + bytes.len() % 13;
    if let Ok(loaded) = fast::load_in_blocks("fuzz.csv", &mut &bytes[..], opts, None, block) {
        let panel = ordinary.expect("the ordinary reader reads what the fast path read");
        same_panel(&loaded.into_panel(panel.info.clone()), &panel);
    }
}

fn same_panel(a: &Panel, b: &Panel) {
    if let Err(difference) = a.same_contents(b) {
        panic!("the two readers differ: {difference}");
    }
}
