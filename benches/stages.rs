//! In-process benchmarks of the pipeline's stages: `cargo bench`.
//!
//! The input is generated here, deterministically: N regions x 2016, 2017 in the long
//! layout with rows shuffled, one region in 2,000 lacking a year (as shared/bench/gen.py
//! makes them for the whole-process comparison with other tools).

use popdelta::compute;
use popdelta::load::bundled::{self, Dataset};
use popdelta::load::{LoadOptions, load_bytes};
use popdelta::render::{self, Format};

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so runs compare like with like.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// `region,group,year,population` rows for `n` regions, shuffled.
fn long_csv(n: usize) -> Vec<u8> {
    let mut rng = Rng(0x5eed_2016_2017);
    let mut rows = Vec::with_capacity(2 * n);
    for i in 0..n {
        let group = if rng.next() % 100 < 45 {
            "north"
        } else {
            "south"
        };
        let p16 = 500 + rng.next() % 5_000_000;
        let p17 = p16 + rng.next() % 20_000 - 10_000.min(p16);
        let skip = rng.next() % 2000;
        if skip != 0 {
            rows.push(format!("Region-{i:07},{group},2016,{p16}\n"));
        }
        if skip != 1 {
            rows.push(format!("Region-{i:07},{group},2017,{p17}\n"));
        }
    }
    for i in (1..rows.len()).rev() {
        rows.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    let mut out = b"region,group,year,population\n".to_vec();
    for r in rows {
        out.extend_from_slice(r.as_bytes());
    }
    out
}

fn options() -> LoadOptions {
    LoadOptions {
        group_col: Some("group".into()),
        ..LoadOptions::default()
    }
}

const SIZES: [usize; 2] = [10_000, 100_000];

/// Load: parse, find each row's region, keep its value (the parallel fast path).
#[divan::bench(args = SIZES)]
fn parse(bencher: divan::Bencher, n: usize) {
    let csv = long_csv(n);
    bencher
        .counter(divan::counter::BytesCount::new(csv.len()))
        .bench(|| load_bytes("bench.csv", &csv, &options()));
}

/// Load with the ordinary single-threaded reader, which the fast path falls back to.
#[divan::bench(args = SIZES)]
fn parse_single_threaded(bencher: divan::Bencher, n: usize) {
    let csv = long_csv(n);
    let opts = LoadOptions {
        ordinary: true,
        ..options()
    };
    bencher
        .counter(divan::counter::BytesCount::new(csv.len()))
        .bench(|| load_bytes("bench.csv", &csv, &opts));
}

/// Compute: changes, group sums, the total.
#[divan::bench(args = SIZES)]
fn aggregate(bencher: divan::Bencher, n: usize) {
    let panel = load_bytes("bench.csv", &long_csv(n), &options()).expect("generated data loads");
    bencher.bench(|| compute::compare(&panel, 2016, 2017).map(|c| c.total.change));
}

/// Render: every row as CSV.
#[divan::bench(args = SIZES)]
fn render_csv(bencher: divan::Bencher, n: usize) {
    let panel = load_bytes("bench.csv", &long_csv(n), &options()).expect("generated data loads");
    let cmp = compute::compare(&panel, 2016, 2017).expect("generated data compares");
    bencher.bench(|| {
        let mut sink = std::io::sink();
        render::write(
            &mut sink,
            Format::Csv,
            &cmp,
            &panel.info,
            render::Options::default(),
        )
    });
}

/// The whole default job in process: bundled data, 2016 -> 2017, the table.
#[divan::bench]
fn bundled_default_table() -> std::io::Result<()> {
    let panel = bundled::load(Dataset::default(), None).expect("bundled data loads");
    let cmp = compute::compare(&panel, 2016, 2017).expect("bundled data compares");
    let mut sink = std::io::sink();
    render::write(
        &mut sink,
        Format::Table,
        &cmp,
        &panel.info,
        render::Options::default(),
    )
}
