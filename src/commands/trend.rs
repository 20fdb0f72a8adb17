//! `popdelta trend`: every region, group and the total over a range of years; or with
//! `--yearly`, each consecutive pair of years.

use popdelta::compute::Note;
use popdelta::compute::arrange::{Arrange, Direction};
use popdelta::compute::trend::{self, Trend};
use popdelta::output;
use popdelta::render::{self, Format};

use super::{
    MAX_CHART_BARS, MAX_TABLE_ROWS, look, note, note_table_only, pick_format, sink, with_flag,
};
use crate::cli::TrendArgs;

/// SVG panels past this many are refused: a grid of them is no longer read.
const MAX_PANELS: usize = 400;

/// Runs the trend and writes it; exit code 0.
pub fn run(args: &TrendArgs) -> anyhow::Result<u8> {
    popdelta::timings::mark("start");
    if let Some(set) = args.view.columns {
        set.of_table(popdelta::render::table::TableOf::Trend)
            .map_err(popdelta::Error::Usage)?;
    }
    let targets = super::claim_outputs(
        &args.data.input_paths(),
        args.data.reads_stdin(),
        &[
            ("--output", args.output.as_deref()),
            ("--svg", args.svg.as_deref()),
            ("--map", args.map.as_deref()),
        ],
    )?;
    let periods = super::periods_asked(args.from, args.to);
    let (panel, shown) = super::load_data_periods(&args.data, &periods)?;
    popdelta::timings::mark("loaded");
    let years = trend::range(&panel, args.from, args.to)?;
    // Wholes whose parts lack one of the years are followed whole.
    let settled = panel.settled_for(&years);
    super::say_settled(&panel, settled.as_ref());
    let panel = settled.as_ref().unwrap_or(&panel);
    let mut trend = trend::trend(panel, years)?;
    let how = Arrange {
        sort: args.sort,
        reverse: args.reverse,
        only: if args.declining {
            Some(Direction::Declining)
        } else if args.growing {
            Some(Direction::Growing)
        } else {
            None
        },
        top: args.top,
    };
    if let Some(shown) = &shown {
        trend::show_only(&mut trend, shown);
    }
    trend::arrange(&mut trend, &how);
    if !trend.excluded.is_empty() {
        note(&render::trend::table::excluded_note(&trend, 10));
    }
    for n in &trend.notes {
        if let Note::Aggregates { .. } | Note::Rounded(_) | Note::Break { .. } = n {
            note(&render::notes::phrase(n));
        }
    }
    popdelta::timings::mark("computed");
    let mut out = sink("--output", args.output.as_deref(), &targets)?;
    let format = pick_format(args.format, &out, args.output.as_deref());
    super::workbook_needs_a_file(format, args.output.as_deref())?;
    note_table_only(&args.view, format);
    if let Some(set) = args.view.columns {
        // The trend's table has Chinese names beside the others as compare's has.
        let has_zh = trend.lines().any(|l| l.region_zh.is_some());
        let naming = render::Shape::naming(has_zh, args.view.names, render::Naming::Both);
        let shape = render::Shape {
            naming,
            ..render::Shape::PLAIN
        };
        set.in_shape(shape).map_err(popdelta::Error::Usage)?;
    }
    let said = super::said();
    let opts = render::Options {
        look: look(args.color, args.ascii, &args.view, &out),
        bom: args.bom,
        quality: false,
        naming: args.view.names,
        said: &said,
        unguarded: false,
    };
    if args.yearly {
        let steps = trend.steps()?;
        let rows = (trend.shown() + trend.aggregates.len() + trend.sections.len() + 1)
            .saturating_mul(steps.len());
        too_many_for_a_table(format, rows)?;
        render::trend::write_yearly(&mut out, format, &trend, &steps, &panel.info, opts)?;
    } else {
        too_many_for_a_table(format, trend.shown())?;
        if let Some(svg) = &args.svg {
            write_svg(svg, &trend, &panel.info, &targets)?;
        }
        if let Some(path) = &args.map {
            let map = render::map::Map {
                grid: args.map_grid.clone(),
                ..render::map::of_trend(&trend, args.map_by)
            };
            super::write_map(path, &map, &targets)?;
        }
        render::trend::write(&mut out, format, &trend, &panel.info, opts)?;
    }
    out.finish()?;
    popdelta::timings::mark("written");
    Ok(0)
}

/// A table is built in memory: past a size, CSV is the way.
fn too_many_for_a_table(format: Format, rows: usize) -> anyhow::Result<()> {
    if matches!(format, Format::Table | Format::Markdown) && rows > MAX_TABLE_ROWS {
        return Err(popdelta::Error::Usage(format!(
            "{rows} rows are too many for a table, which is built in memory; use --format \
             csv (the default in a pipe or with --output), or fewer rows with --top N"
        ))
        .into());
    }
    Ok(())
}

/// Draws the series as small multiples in `path`.
fn write_svg(
    path: &std::path::Path,
    trend: &Trend,
    info: &popdelta::panel::PanelInfo,
    targets: &output::Targets,
) -> anyhow::Result<()> {
    let panels = trend.shown() + trend.sections.len() + 1;
    if panels > MAX_PANELS.min(MAX_CHART_BARS) {
        return Err(popdelta::Error::Usage(format!(
            "--svg: {panels} charts are too many for one file (at most {MAX_PANELS}); chart \
             fewer regions with --region, --top N, --declining or --growing"
        ))
        .into());
    }
    let mut bytes = Vec::new();
    render::trend::svg::write(&mut bytes, trend, info)?;
    output::write_file(path, targets, &bytes).map_err(|e| with_flag("--svg", e))?;
    Ok(())
}
