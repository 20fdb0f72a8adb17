//! In-process benchmarks of the pipeline's stages: `cargo bench`.
//!
//! The input is generated here, deterministically: N regions x 2016, 2017 in the long
//! layout with rows shuffled, one region in 2,000 lacking a year (as shared/bench/gen.py
//! makes them for the whole-process comparison with other tools).

use popdelta::compute::{self, trend};
use popdelta::load::bundled::{self, Dataset};
use popdelta::load::{LoadOptions, load_bytes};
use popdelta::panel::{Names, Panel, PanelInfo};
use popdelta::period::Period;
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

/// `n` regions in two groups over 2005-2024, each a walk of its own; one in 2,000 lacks
/// 2015 (as bench/gen_trend.py makes them for the whole-process figures).
fn series_panel(n: usize) -> Panel {
    let mut rng = Rng(0x5eed_2005_2024);
    let mut names = Names::default();
    let mut groups = Vec::with_capacity(n);
    let mut columns: Vec<(Period, Vec<i64>)> = (2005..=2024)
        .map(|y| (Period::year(y), Vec::new()))
        .collect();
    for i in 0..n {
        names.push(&format!("Region-{i:07}"));
        groups.push(Some((i % 2) as u32));
        let mut pop = 500 + (rng.next() % 5_000_000) as i64;
        let rate = (rng.next() % 70) as i64 - 30;
        for (year, column) in &mut columns {
            let gap = *year == Period::year(2015) && i % 2000 == 1999;
            column.push(if gap { Panel::MISSING } else { pop });
            pop += pop * (rate + (rng.next() % 61) as i64 - 30) / 10_000;
        }
    }
    let labels = vec!["north".to_owned(), "south".to_owned()];
    Panel::from_columns(PanelInfo::default(), names, labels, groups, columns)
}

/// Trend: every group's and the total's series over 20 years.
#[divan::bench(args = SIZES)]
fn trend_sums(bencher: divan::Bencher, n: usize) {
    let panel = series_panel(n);
    let years: Vec<Period> = (2005..=2024).map(Period::year).collect();
    bencher.bench(|| trend::trend(&panel, years.clone()).map(|t| t.total.stats));
}

/// Render a trend: every region's statistics over 20 years, as CSV.
#[divan::bench(args = SIZES)]
fn render_trend_csv(bencher: divan::Bencher, n: usize) {
    let panel = series_panel(n);
    let t = trend::trend(&panel, (2005..=2024).map(Period::year).collect())
        .expect("generated data trends");
    bencher.bench(|| {
        let mut sink = std::io::sink();
        render::trend::write(
            &mut sink,
            Format::Csv,
            &t,
            &panel.info,
            render::Options::default(),
        )
    });
}

/// A JSON-stat 2.0 dataset (array form) of `n` regions x 2016, 2017, as an office's API
/// serves it.
fn json_stat(n: usize) -> Vec<u8> {
    let mut rng = Rng(0x150a_57a7);
    let ids: Vec<String> = (0..n).map(|i| format!("\"R{i}\"")).collect();
    let labels: Vec<String> = (0..n).map(|i| format!("\"R{i}\":\"Region {i}\"")).collect();
    let values: Vec<String> = (0..2 * n)
        .map(|_| (500 + rng.next() % 5_000_000).to_string())
        .collect();
    format!(
        "{{\"version\":\"2.0\",\"class\":\"dataset\",\"id\":[\"geo\",\"time\"],\"size\":[{n},2],\
         \"dimension\":{{\"geo\":{{\"category\":{{\"index\":[{}],\"label\":{{{}}}}}}},\
         \"time\":{{\"category\":{{\"index\":[\"2016\",\"2017\"]}}}}}},\"value\":[{}]}}",
        ids.join(","),
        labels.join(","),
        values.join(",")
    )
    .into_bytes()
}

/// Load a JSON-stat dataset: checked, laid out as rows on a thread, read.
#[divan::bench(args = [1_000, 100_000])]
fn parse_json_stat(bencher: divan::Bencher, n: usize) {
    let json = json_stat(n);
    bencher
        .counter(divan::counter::BytesCount::new(json.len()))
        .bench(|| load_bytes("bench.json", &json, &options()));
}

/// Draw the bundled comparison as a tile map.
#[divan::bench]
fn map_svg(bencher: divan::Bencher) {
    let panel = bundled::load(Dataset::default(), None).expect("bundled data loads");
    let cmp = compute::compare(&panel, 2016, 2017).expect("bundled data compares");
    bencher.bench(|| {
        render::map::svg(&render::map::of_comparison(
            &cmp,
            render::map::MapBy::Change,
        ))
        .map(|(svg, _)| svg.len())
    });
}
