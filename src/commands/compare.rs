//! `popdelta compare`: two years of the data, each region's change, group and grand
//! totals, the components of change.

use popdelta::compute::arrange::{Arrange, Direction, arrange, show_only};
use popdelta::compute::{self, Note};
use popdelta::error::list_years;
use popdelta::output;
use popdelta::period::Period;
use popdelta::render::table::Look;
use popdelta::render::{self, Format};

use super::{
    MAX_CHART_BARS, MAX_TABLE_ROWS, load_data_periods, look, note, note_table_only, pick_format,
    sink, want_color, with_flag,
};
use crate::cli::CompareArgs;

/// Regions named in a note; the rest are counted.
const NAMES_IN_A_NOTE: usize = 10;

/// Runs the comparison and writes it; exit code 0.
pub fn run(args: &CompareArgs) -> anyhow::Result<u8> {
    popdelta::timings::mark("start");
    if let Some(set) = args.view.columns {
        set.of_table(popdelta::render::table::TableOf::Compare)
            .map_err(popdelta::Error::Usage)?;
    }
    let periods = super::periods_asked(args.from, args.to);
    let targets = super::claim_outputs(
        &args.data.input_paths(),
        args.data.reads_stdin(),
        &[
            ("--output", args.output.as_deref()),
            ("--svg", args.svg.as_deref()),
            ("--map", args.map.as_deref()),
        ],
    )?;
    let (panel, shown) = load_data_periods(&args.data, &periods)?;
    popdelta::timings::mark("loaded");
    let (from, to) = compute::resolve_years(&panel, args.from, args.to, panel.info.default_years)?;
    // Years chosen among more than two are a guess: said.
    if args.from.is_none() && args.to.is_none() && panel.info.default_years.is_none() {
        say_years_chosen(&panel, from, to);
    }
    // Wholes whose parts lack one of the years are compared whole.
    let settled = panel.settled_for(&[from, to]);
    super::say_settled(&panel, settled.as_ref());
    let panel = settled.as_ref().unwrap_or(&panel);
    let mut cmp = compute::compare(panel, from, to)?;
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
        show_only(&mut cmp, shown);
    }
    arrange(&mut cmp, &how);
    say_excluded(&cmp.excluded);
    // What was rounded or set apart, and a change past belief, is said on stderr too,
    // whatever the format.
    for n in &cmp.notes {
        if let Note::Aggregates { .. }
        | Note::Rounded(_)
        | Note::Implausible { .. }
        | Note::Break { .. } = n
        {
            note(&popdelta::render::notes::phrase(n));
        }
    }
    popdelta::timings::mark("computed");
    let mut out = sink("--output", args.output.as_deref(), &targets)?;
    let format = pick_format(args.format, &out, args.output.as_deref());
    super::workbook_needs_a_file(format, args.output.as_deref())?;
    note_table_only(&args.view, format);
    if let Some(set) = args.view.columns {
        let shape = render::Shape::of(&cmp, args.view.names, render::Naming::Both);
        set.in_shape(shape).map_err(popdelta::Error::Usage)?;
    }
    let shown = cmp.shown();
    if format == Format::Table && shown > MAX_TABLE_ROWS {
        return Err(popdelta::Error::Usage(format!(
            "{shown} rows are too many for a table, which is built in memory; use --format \
             csv (the default in a pipe or with --output), or fewer rows with --top N"
        ))
        .into());
    }
    if (args.chart || args.svg.is_some()) && shown > MAX_CHART_BARS {
        let what = if args.chart { "--chart" } else { "--svg" };
        return Err(popdelta::Error::Usage(format!(
            "{what}: {shown} bars are too many for a chart (at most {MAX_CHART_BARS}); chart \
             fewer regions with --top N, --declining, --growing or --region"
        ))
        .into());
    }
    let color = want_color(args.color, &out);
    if let Some(svg) = &args.svg {
        let mut bytes = Vec::new();
        render::svg::write(&mut bytes, &cmp, &panel.info)?;
        output::write_file(svg, &targets, &bytes).map_err(|e| with_flag("--svg", e))?;
    }
    if let Some(path) = &args.map {
        super::write_map(
            path,
            &render::map::Map {
                grid: args.map_grid.clone(),
                ..render::map::of_comparison(&cmp, args.map_by)
            },
            &targets,
        )?;
    }
    if args.chart {
        render::chart::write(&mut out, &cmp, &panel.info, color)?;
    } else {
        let said = super::said();
        let opts = render::Options {
            look: Look {
                color,
                ..look(args.color, args.ascii, &args.view, &out)
            },
            bom: args.bom,
            quality: args.quality,
            naming: args.view.names,
            said: &said,
            unguarded: false,
        };
        render::write(&mut out, format, &cmp, &panel.info, opts)?;
    }
    out.finish()?;
    popdelta::timings::mark("written");
    Ok(0)
}

/// The note on the years chosen for the user among more than two: the latest two, or the
/// latest two most regions have both of, with the latest's count.
fn say_years_chosen(panel: &popdelta::panel::Panel, from: Period, to: Period) {
    let with_data = panel.years_with_data();
    let [.., first_of_last, last] = with_data[..] else {
        return;
    };
    if with_data.len() <= 2 {
        return;
    }
    let why = if (from, to) == (first_of_last, last) {
        format!(
            "the latest two of {} with figures ({})",
            with_data.len(),
            with_data[0].range_to(last)
        )
    } else {
        let n = compute::shared(panel, first_of_last, last);
        format!(
            "the latest two that most regions have both of ({first_of_last} and {last}, the \
             latest, {n} region{})",
            if n == 1 { "" } else { "s" }
        )
    };
    note(&format!(
        "{}s {from} -> {to}, {why}; say --from and --to otherwise",
        from.noun()
    ));
}

/// The note on the regions left out of the totals for lacking a year: the first ten.
fn say_excluded(excluded: &[compute::Excluded]) {
    if excluded.is_empty() {
        return;
    }
    let names: Vec<String> = excluded
        .iter()
        .take(NAMES_IN_A_NOTE)
        .map(|e| format!("{} (no {})", e.region, list_years(&e.missing)))
        .collect();
    let count = excluded.len();
    let more = count - names.len();
    note(&format!(
        "{count} region{} left out of the totals for lacking a {}: {}{}",
        if count == 1 { "" } else { "s" },
        excluded[0].missing.first().map_or("year", |p| p.noun()),
        names.join(", "),
        if more > 0 {
            format!(" and {more} more (--format json lists them all)")
        } else {
            String::new()
        }
    ));
}
