//! `--map FILE.svg`: the change of each region as a tile-grid map, one square per region
//! laid out as the country, coloured on a diverging scale centred on zero.

pub mod grid;

use crate::compute::Comparison;
use crate::compute::trend::Trend;
use crate::error::{Error, Result};
use crate::number::{
    Milli, scaled_with_separators, signed_scaled_with_separators, signed_with_separators,
};
use crate::panel::Panel;
use grid::Grid;

/// What the tiles are coloured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MapBy {
    /// The change in persons.
    Change,
    /// The change as a percent of the first year.
    #[value(name = "change_pct")]
    ChangePct,
}

/// One region of the data, as the map needs it.
#[derive(Debug, Clone)]
pub struct Region<'a> {
    /// Its name in the data.
    pub name: &'a str,
    /// Every name and code it is found by: name, Chinese name, aliases.
    pub keys: Vec<&'a str>,
    /// Its group, where a grouping applies.
    pub group: Option<&'a str>,
    /// The figure coloured: persons, or thousandths of a percent; `None` without one.
    pub value: Option<i128>,
    /// What hovering over its tile says.
    pub hover: String,
}

/// A map to draw: what it shows and each region's figure.
#[derive(Debug, Clone)]
pub struct Map<'a> {
    /// The heading: "Population change 2016 to 2017".
    pub title: String,
    /// The line under the map: the dataset and its description.
    pub caption: String,
    /// What the figures are.
    pub by: MapBy,
    /// The regions shown.
    pub regions: Vec<Region<'a>>,
    /// Each group's own change, as the legend says it: ("north", "+2,193,900 (+0.379%)").
    pub group_changes: Vec<(String, String)>,
    /// Decimals of the figures: values of another unit than persons carry some.
    pub decimals: u32,
    /// The grid asked for (`--map-grid`), rather than the one the regions find.
    pub grid: Option<String>,
}

/// What was drawn, for the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The grid used: "china", "us".
    pub grid: &'static str,
    /// Tiles coloured by a figure.
    pub coloured: usize,
    /// Tiles in the grid.
    pub tiles: usize,
    /// Regions of the data that no tile of the grid stands for.
    pub unplaced: Vec<String>,
}

const WIDTH: u32 = 800;
const MAX_CELL: u32 = 64;
const TOP: u32 = 84;
/// The loss shades, light to dark, and the gain shades (ColorBrewer RdBu).
const LOSS: [&str; 3] = ["#fddbc7", "#ef8a62", "#b2182b"];
const GAIN: [&str; 3] = ["#d1e5f0", "#67a9cf", "#2166ac"];
const ZERO: &str = "#f7f7f7";

/// The regions of a comparison, as shown (filters apply: a region not shown is hatched).
pub fn of_comparison<'a>(cmp: &'a Comparison<'a>, by: MapBy) -> Map<'a> {
    let regions = cmp
        .sections
        .iter()
        .flat_map(|s| &s.members)
        .map(|&r| {
            let line = cmp.region_line(r as usize);
            let value = match by {
                MapBy::Change => line.change.map(i128::from),
                MapBy::ChangePct => line.change_pct.map(|m| m.0),
            };
            let d = cmp.decimals();
            let figures = match (line.pop_from, line.pop_to, line.change) {
                (Some(a), Some(b), Some(c)) => format!(
                    "{} → {}, {}{}",
                    scaled_with_separators(a.into(), d),
                    scaled_with_separators(b.into(), d),
                    signed_scaled_with_separators(c.into(), d),
                    line.change_pct
                        .map(|p| format!(" ({}%)", signed_milli(p)))
                        .unwrap_or_default()
                ),
                _ => "no figure for both years".to_owned(),
            };
            region(cmp.panel, r as usize, line.group, value, &figures)
        })
        .collect();
    let group_changes = cmp
        .sections
        .iter()
        .filter_map(|s| {
            let line = s.summary.as_ref()?;
            Some((
                line.group?.to_owned(),
                change_text(line.change, line.change_pct),
            ))
        })
        .collect();
    Map {
        title: format!("{} change {} to {}", subject(cmp.panel), cmp.from, cmp.to),
        caption: caption(&cmp.panel.info.dataset, &cmp.panel.info.description),
        by,
        regions,
        group_changes,
        decimals: cmp.decimals(),
        grid: None,
    }
}

/// What the map is of: population, or the values of another unit.
fn subject(panel: &crate::panel::Panel) -> String {
    match &panel.info.values {
        Some(v) => format!("Value ({})", v.unit),
        None => "Population".to_owned(),
    }
}

/// A change and its percent as the legend says them: "+2,193,900 (+0.379%)".
fn change_text(change: Option<i64>, pct: Option<Milli>) -> String {
    let mut text = change.map_or_else(
        || "no figure".to_owned(),
        |c| signed_with_separators(c.into()),
    );
    if let Some(p) = pct {
        text.push_str(&format!(" ({}%)", signed_milli(p)));
    }
    text
}

/// The regions of a trend, first year to last, as shown.
pub fn of_trend<'a>(trend: &'a Trend<'a>, by: MapBy) -> Map<'a> {
    let regions = trend
        .sections
        .iter()
        .flat_map(|s| &s.members)
        .map(|&r| {
            let line = trend.region_line(r as usize);
            let stats = line.stats.as_ref();
            let d = trend.decimals();
            let value = match by {
                MapBy::Change => stats.and_then(|s| s.change).map(i128::from),
                MapBy::ChangePct => stats.and_then(|s| s.change_pct).map(|m| m.0),
            };
            let figures = match stats {
                Some(s) => format!(
                    "{} {} → {} {}{}{}",
                    s.first_year,
                    scaled_with_separators(s.pop_first.into(), d),
                    s.last_year,
                    scaled_with_separators(s.pop_last.into(), d),
                    s.change
                        .map(|c| format!(", {}", signed_scaled_with_separators(c.into(), d)))
                        .unwrap_or_default(),
                    s.change_pct
                        .map(|p| format!(" ({}%)", signed_milli(p)))
                        .unwrap_or_default()
                ),
                None => "no figure in the years".to_owned(),
            };
            region(trend.panel, r as usize, line.group, value, &figures)
        })
        .collect();
    let (first, last) = (trend.first(), trend.last());
    let group_changes = trend
        .sections
        .iter()
        .filter_map(|s| {
            let line = s.summary.as_ref()?;
            let stats = line.stats.as_ref();
            Some((
                line.group?.to_owned(),
                change_text(
                    stats.and_then(|s| s.change),
                    stats.and_then(|s| s.change_pct),
                ),
            ))
        })
        .collect();
    Map {
        title: format!("{} change {first} to {last}", subject(trend.panel)),
        caption: caption(&trend.panel.info.dataset, &trend.panel.info.description),
        by,
        regions,
        group_changes,
        decimals: trend.decimals(),
        grid: None,
    }
}

/// A region of the panel with its figure and hover text.
fn region<'a>(
    panel: &'a Panel,
    r: usize,
    group: Option<&'a str>,
    value: Option<i128>,
    figures: &str,
) -> Region<'a> {
    let name = panel.name(r);
    let zh = panel.name_zh(r);
    let mut keys = vec![name];
    keys.extend(zh);
    keys.extend(panel.aliases(r).iter().map(|a| &**a));
    let mut hover = name.to_owned();
    if let Some(zh) = zh {
        hover.push(' ');
        hover.push_str(zh);
    }
    if let Some(g) = group {
        hover.push_str(&format!(" ({g})"));
    }
    hover.push_str(": ");
    hover.push_str(figures);
    Region {
        name,
        keys,
        group,
        value,
        hover,
    }
}

/// A percent in thousandths with its sign: "+0.292", "-0.101".
fn signed_milli(p: Milli) -> String {
    if p.0 > 0 {
        format!("+{p}")
    } else {
        p.to_string()
    }
}

/// The dataset and its description, shortened to one line.
fn caption(dataset: &str, description: &str) -> String {
    let mut text = dataset.to_owned();
    if !description.is_empty() {
        text.push_str(": ");
        text.push_str(description);
    }
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        return format!("{cut}...");
    }
    text
}

/// Whether a grid's tiles are the regions' by their names and codes together: most
/// regions found by their own names, or regions named by codes alone. Codes agree by
/// chance across countries (French départements 01-95 are US states' FIPS codes too),
/// names do not.
fn names_agree(g: &Grid, map: &Map, found: usize) -> bool {
    let by_name = map
        .regions
        .iter()
        .filter(|r| g.find(std::iter::once(r.name)).is_some())
        .count();
    let named_by_codes = map
        .regions
        .iter()
        .all(|r| r.name.bytes().all(|b| b.is_ascii_digit()));
    named_by_codes || by_name.saturating_mul(2) >= found
}

/// The grid whose tiles the most regions find, and each region's tile; refused where it
/// holds fewer than half of the regions, or where only their codes find it.
fn place<'g>(grids: &'g [Grid], map: &Map) -> Result<(&'g Grid, Vec<Option<usize>>)> {
    let asked = map.grid.as_deref();
    if let Some(name) = asked
        && !grids.iter().any(|g| g.name == name)
    {
        let names: Vec<&str> = grids.iter().map(|g| g.name).collect();
        return Err(Error::Usage(format!(
            "--map-grid {name}: no such grid; the grids known: {}",
            names.join(", ")
        )));
    }
    let mut best: Option<(&Grid, Vec<Option<usize>>, usize)> = None;
    let mut counts = Vec::new();
    for g in grids.iter().filter(|g| asked.is_none_or(|n| g.name == n)) {
        let mut taken = vec![false; g.tiles.len()];
        let placed: Vec<Option<usize>> = map
            .regions
            .iter()
            .map(|r| {
                let t = g.find(r.keys.iter().copied())?;
                // Two rows for one tile: the first is drawn, the second is unplaced.
                (!std::mem::replace(&mut taken[t], true)).then_some(t)
            })
            .collect();
        let found = placed.iter().flatten().count();
        // A grid asked for is taken on the regions' codes alone, and however few.
        let agree = asked.is_some() || names_agree(g, map, found);
        counts.push(format!(
            "{}: {found} of {} {}{}",
            g.name,
            g.tiles.len(),
            g.what,
            if agree || found == 0 {
                ""
            } else {
                " by their codes alone (their names are not the tiles')"
            }
        ));
        if agree && best.as_ref().is_none_or(|(_, _, n)| found > *n) {
            best = Some((g, placed, found));
        }
    }
    match best {
        Some((g, placed, found))
            if found > 0 && (asked.is_some() || found * 2 >= map.regions.len()) =>
        {
            Ok((g, placed))
        }
        _ => {
            let known: Vec<String> = grids
                .iter()
                .map(|g| {
                    format!(
                        "{} ({} {}, by {})",
                        g.name,
                        g.tiles.len(),
                        g.what,
                        g.keys_said
                    )
                })
                .collect();
            Err(Error::Usage(format!(
                "--map: the {} regions shown are not the tiles of a known grid (found: {}); \
                 the grids known: {}; --map-grid NAME draws on one of them whatever the \
                 names",
                map.regions.len(),
                counts.join(", "),
                known.join("; ")
            )))
        }
    }
}

/// The scale: a step such that three steps reach `reach`, rounded up to 1, 2, 2.5 or 5
/// times a power of ten, so the legend reads in round figures.
fn step(largest: i128) -> i128 {
    let mut power: i128 = 1;
    loop {
        for m in [10, 20, 25, 50] {
            let s = power * m / 10;
            if s > 0 && s.saturating_mul(3) >= largest {
                return s;
            }
        }
        match power.checked_mul(10) {
            Some(p) => power = p,
            None => return largest,
        }
    }
}

/// The classes of a map: a round step for the losses and one for the gains, each from its
/// own side's figures, so that a loss of 156,000 and one of 13,700 differ however large the
/// largest gain (1.7M) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Steps {
    loss: i128,
    gain: i128,
}

impl Steps {
    /// Each side's step reaches its 90th percentile in three, so that one outlier does not
    /// wash the others out; beyond it is the darkest shade.
    fn of(figures: &[i128]) -> Steps {
        let side = |keep: fn(i128) -> bool| {
            let mut sizes: Vec<i128> = figures
                .iter()
                .copied()
                .filter(|&v| keep(v))
                .map(i128::abs)
                .collect();
            sizes.sort_unstable();
            let reach = match sizes.len() {
                0 => 1,
                n => sizes[(n * 9).div_ceil(10) - 1],
            };
            step(reach.max(1))
        };
        Steps {
            loss: side(|v| v < 0),
            gain: side(|v| v > 0),
        }
    }

    /// The fill of a figure: one of three shades each side of zero.
    fn shade(self, value: i128) -> &'static str {
        let step = if value < 0 { self.loss } else { self.gain };
        if value == 0 || step == 0 {
            return ZERO;
        }
        let class = value
            .unsigned_abs()
            .div_ceil(step.unsigned_abs())
            .clamp(1, 3) as usize
            - 1;
        if value < 0 { LOSS[class] } else { GAIN[class] }
    }
}

/// A figure in a legend or on a tile.
fn figure(value: i128, by: MapBy, decimals: u32) -> String {
    match by {
        MapBy::Change => signed_scaled_with_separators(value, decimals),
        MapBy::ChangePct => format!("{}%", trim_milli(value)),
    }
}

/// Thousandths of a percent without trailing zeros: "+0.5", "-1.25".
fn trim_milli(value: i128) -> String {
    let text = signed_milli(Milli(value));
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "+" || text == "-" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// A figure short enough for a tile: "-156k", "+1.8M", "-0.65%".
fn short(value: i128, by: MapBy) -> String {
    if by == MapBy::ChangePct {
        // Hundredths of a percent.
        let h = crate::number::div_round(value, 10).unwrap_or(0);
        return format!("{}%", trim_milli(h * 10));
    }
    let sign = if value < 0 { "-" } else { "+" };
    let a = value.unsigned_abs();
    let round = |d: u128| (a + d / 2) / d;
    let text = if a >= 9_950_000 {
        format!("{}M", round(1_000_000))
    } else if a >= 999_500 {
        let t = round(100_000);
        format!("{}.{}M", t / 10, t % 10)
    } else if a >= 9_950 {
        format!("{}k", round(1_000))
    } else if a >= 1_000 {
        let t = round(100);
        format!("{}.{}k", t / 10, t % 10)
    } else {
        a.to_string()
    };
    if value == 0 {
        "0".to_owned()
    } else {
        format!("{sign}{text}")
    }
}

/// Draws the map as standalone SVG (no scripts): a tile per region of the grid, a legend,
/// hatched tiles for regions without a figure, and the borders of the groups.
pub fn svg(map: &Map) -> Result<(String, Drawn)> {
    let grids = grid::grids()?;
    let (grid, placed) = place(&grids, map)?;
    // Each tile's region, by index into the map's regions.
    let mut on_tile: Vec<Option<usize>> = vec![None; grid.tiles.len()];
    let mut unplaced = Vec::new();
    for (i, p) in placed.iter().enumerate() {
        match p {
            Some(t) => on_tile[*t] = Some(i),
            None => unplaced.push(map.regions[i].name.to_owned()),
        }
    }
    let value = |t: usize| on_tile[t].and_then(|i| map.regions[i].value);
    let figures: Vec<i128> = (0..grid.tiles.len()).filter_map(value).collect();
    let steps = Steps::of(&figures);
    let (rows, cols) = grid.extent();
    let cell = ((WIDTH - 40) / cols.max(1)).min(MAX_CELL);
    let x0 = (WIDTH - cols * cell) / 2;
    let y0 = TOP;
    let legend_y = y0 + rows * cell + 24;
    let height = legend_y + 96;
    let coloured = (0..grid.tiles.len())
        .filter(|&t| value(t).is_some())
        .count();
    let what = match map.by {
        MapBy::Change => "change in persons",
        MapBy::ChangePct => "change in percent of the first year",
    };
    let x = |c: u32| x0 + (c - 1) * cell;
    let y = |r: u32| y0 + (r - 1) * cell;
    let mut svg = String::new();
    svg.push_str(&format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, Arial, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif" font-size="12">
<title>{title}</title>
<defs><pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>
<rect width="100%" height="100%" fill="white"/>
<text x="{mid}" y="30" font-size="19" font-weight="bold" text-anchor="middle">{title}</text>
<text x="{mid}" y="52" font-size="12" fill="#555" text-anchor="middle">{grid_what}: {coloured} of {tiles} coloured by the {what}; red: loss, blue: gain, each in steps of its own</text>
"##,
        title = xml(&map.title),
        mid = WIDTH / 2,
        grid_what = xml(grid.what),
        tiles = grid.tiles.len(),
    ));
    svg.push_str("<g class=\"tiles\">\n");
    for (t, tile) in grid.tiles.iter().enumerate() {
        let region = on_tile[t].map(|i| &map.regions[i]);
        let v = value(t);
        let fill = match v {
            Some(v) => steps.shade(v).to_owned(),
            None => "url(#no-data)".to_owned(),
        };
        let dark = fill == LOSS[2] || fill == GAIN[2];
        let ink = if dark { "#ffffff" } else { "#222222" };
        let hover = match region {
            Some(r) => r.hover.clone(),
            None => format!("{}: not in the data", tile.name),
        };
        let (tx, ty) = (x(tile.col) + 2, y(tile.row) + 2);
        let side = cell - 4;
        svg.push_str(&format!(
            "<g class=\"tile\" data-abbr=\"{}\" data-region=\"{}\"{}>\n<title>{}</title>\n\
             <rect x=\"{tx}\" y=\"{ty}\" width=\"{side}\" height=\"{side}\" rx=\"3\" fill=\"{fill}\" \
             stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>\n\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"{ink}\">{}</text>\n",
            xml(&tile.abbr),
            xml(region.map_or(&tile.name[..], |r| r.name)),
            v.map(|v| format!(" data-value=\"{v}\"")).unwrap_or_default(),
            xml(&hover),
            tx + side / 2,
            ty + side / 2 - 2,
            xml(&tile.abbr),
        ));
        if let Some(v) = v {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{ink}\">{}</text>\n",
                tx + side / 2,
                ty + side / 2 + 12,
                xml(&short(v, map.by)),
            ));
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</g>\n");
    let groups = outlines(grid, &on_tile, map);
    if !groups.is_empty() {
        svg.push_str("<g class=\"outlines\" fill=\"none\" stroke=\"#111111\" stroke-width=\"2.5\" stroke-linecap=\"square\">\n");
        for (group, segments) in &groups {
            let d: String = segments
                .iter()
                .map(|&((r1, c1), (r2, c2))| format!("M{} {}L{} {}", x(c1), y(r1), x(c2), y(r2)))
                .collect();
            svg.push_str(&format!(
                "<path class=\"outline\" data-group=\"{}\" d=\"{d}\"/>\n",
                xml(group)
            ));
        }
        svg.push_str("</g>\n");
    }
    legend(&mut svg, legend_y, steps, map, &groups);
    svg.push_str(&format!(
        "<text x=\"12\" y=\"{}\" font-size=\"11\" fill=\"#555\">Source: {}</text>\n</svg>\n",
        height - 10,
        xml(&map.caption)
    ));
    let drawn = Drawn {
        grid: grid.name,
        coloured,
        tiles: grid.tiles.len(),
        unplaced,
    };
    Ok((svg, drawn))
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    super::escape::xml(text)
}

/// A side of a cell: its two corners as (row, col) grid lines, from 1.
type Segment = ((u32, u32), (u32, u32));

/// The borders of each group: every side of a tile whose neighbour across it is not of
/// its group.
fn outlines(grid: &Grid, on_tile: &[Option<usize>], map: &Map) -> Vec<(String, Vec<Segment>)> {
    let group_of = |t: usize| on_tile[t].and_then(|i| map.regions[i].group);
    let mut out: Vec<(String, Vec<Segment>)> = Vec::new();
    for (t, tile) in grid.tiles.iter().enumerate() {
        let Some(g) = group_of(t) else { continue };
        let (r, c) = (tile.row, tile.col);
        let neighbour = |dr: i64, dc: i64| -> Option<&str> {
            let nr = u32::try_from(i64::from(r) + dr).ok()?;
            let nc = u32::try_from(i64::from(c) + dc).ok()?;
            grid.at(nr, nc).and_then(group_of)
        };
        let sides: [(i64, i64, Segment); 4] = [
            (-1, 0, ((r, c), (r, c + 1))),
            (1, 0, ((r + 1, c), (r + 1, c + 1))),
            (0, -1, ((r, c), (r + 1, c))),
            (0, 1, ((r, c + 1), (r + 1, c + 1))),
        ];
        for (dr, dc, seg) in sides {
            if neighbour(dr, dc) != Some(g) {
                match out.iter_mut().find(|(name, _)| name == g) {
                    Some((_, segs)) => segs.push(seg),
                    None => out.push((g.to_owned(), vec![seg])),
                }
            }
        }
    }
    // In the data's order of groups.
    let first = |g: &str| map.regions.iter().position(|r| r.group == Some(g));
    out.sort_by_key(|(g, _)| first(g));
    out
}

/// The legend: seven swatches from the largest loss to the largest gain, the hatched
/// swatch, and what the thick lines are.
fn legend(svg: &mut String, top: u32, steps: Steps, map: &Map, groups: &[(String, Vec<Segment>)]) {
    let by = map.by;
    let swatch = 72;
    let left = (WIDTH - 7 * swatch) / 2 - 50;
    let fills = [LOSS[2], LOSS[1], LOSS[0], ZERO, GAIN[0], GAIN[1], GAIN[2]];
    svg.push_str("<g class=\"legend\">\n");
    for (i, fill) in fills.iter().enumerate() {
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{top}\" width=\"{swatch}\" height=\"14\" fill=\"{fill}\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>\n",
            left + i as u32 * swatch
        ));
    }
    // Labels stand on the edges between shades; the zero swatch is exactly zero and the
    // outer shades are open-ended.
    let (l, g) = (steps.loss, steps.gain);
    let edges: [(u32, i128); 4] = [(1, -2 * l), (2, -l), (5, g), (6, 2 * g)];
    for (at, v) in edges {
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>\n",
            left + at * swatch,
            top + 28,
            xml(&figure(v, by, map.decimals))
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">0</text>\n",
        left + 3 * swatch + swatch / 2,
        top + 28
    ));
    let hx = left + 7 * swatch + 24;
    svg.push_str(&format!(
        "<rect x=\"{hx}\" y=\"{top}\" width=\"28\" height=\"14\" fill=\"url(#no-data)\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>\n\
         <text x=\"{}\" y=\"{}\" font-size=\"11\">no data</text>\n",
        hx + 34,
        top + 11
    ));
    if !groups.is_empty() {
        // Each group with its own change, where the data sums it.
        let names: Vec<String> = groups
            .iter()
            .map(
                |(g, _)| match map.group_changes.iter().find(|(name, _)| name == g) {
                    Some((_, change)) => format!("{g} {change}"),
                    None => g.clone(),
                },
            )
            .collect();
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#111111\" stroke-width=\"3\"/>\n\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">groups, outlined: {}</text>\n",
            left + 28,
            left + 36,
            top + 52,
            xml(&names.join("; ")),
            y = top + 48,
        ));
    }
    svg.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_is_round_and_three_steps_reach_the_largest() {
        assert_eq!(step(156_000), 100_000);
        // Each side its own step: Jilin's -156,000 and Shanghai's -13,700 differ beside
        // Guangdong's +1.7M.
        let s = Steps::of(&[
            -156_000, -13_700, -22_000, -89_000, 1_700_000, 500_000, 300_000,
        ]);
        assert_eq!((s.loss, s.gain), (100_000, 1_000_000));
        assert_ne!(s.shade(-156_000), s.shade(-13_700));
        assert_eq!(step(1_700_000), 1_000_000);
        assert_eq!(step(3_000), 1_000);
        assert_eq!(step(3_001), 2_000);
        assert_eq!(step(7_000), 2_500);
        assert_eq!(step(1), 1);
    }

    #[test]
    fn shades_split_each_side_in_three() {
        let steps = Steps {
            loss: 100_000,
            gain: 100_000,
        };
        let shade = |v| steps.shade(v);
        assert_eq!(shade(-156_000), LOSS[1]);
        assert_eq!(shade(-22_000), LOSS[0]);
        assert_eq!(shade(-300_000), LOSS[2]);
        assert_eq!(shade(-900_000), LOSS[2]);
        assert_eq!(shade(0), ZERO);
        assert_eq!(shade(100_000), GAIN[0]);
        assert_eq!(shade(100_001), GAIN[1]);
    }

    #[test]
    fn tile_figures_are_short() {
        assert_eq!(short(-22_000, MapBy::Change), "-22k");
        assert_eq!(short(-156_000, MapBy::Change), "-156k");
        assert_eq!(short(1_700_000, MapBy::Change), "+1.7M");
        assert_eq!(short(14_202, MapBy::Change), "+14k");
        assert_eq!(short(1_449, MapBy::Change), "+1.4k");
        assert_eq!(short(-999, MapBy::Change), "-999");
        assert_eq!(short(0, MapBy::Change), "0");
        assert_eq!(short(-101, MapBy::ChangePct), "-0.1%");
        assert_eq!(short(292, MapBy::ChangePct), "+0.29%");
        assert_eq!(figure(500, MapBy::ChangePct, 0), "+0.5%");
        assert_eq!(figure(-2_000_000, MapBy::Change, 0), "-2,000,000");
        assert_eq!(figure(-41, MapBy::Change, 3), "-0.041");
    }
}
