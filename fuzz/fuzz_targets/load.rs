//! Fuzzes the CSV loader and the comparison: no input may make them panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use popdelta::compute;
use popdelta::load::decode::Encoding;
use popdelta::load::{LoadOptions, load_bytes};

fuzz_target!(|data: &[u8]| {
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
        round_fractions: pick & 4 != 0,
        unit: (pick & 8 != 0).then_some(popdelta::number::Unit::TenThousand),
        natural_rate_col: (pick & 16 != 0).then(|| "rate".to_owned()),
        ..LoadOptions::default()
    };
    if let Ok(panel) = load_bytes("fuzz.csv", bytes, &opts)
        && let Ok((from, to)) = compute::resolve_years(&panel, None, None, None)
    {
        let _ = compute::compare(&panel, from, to);
    }
});
