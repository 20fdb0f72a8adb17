//! Group mappings: a CSV that assigns each region to a group (`--groups FILE`).

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::load::layout::names;

use crate::load::records::{Records, Row};
use crate::load::text::Text;
use crate::load::{Input, decode};
use crate::panel::Panel;

/// What to do with regions that the mapping does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Unmapped {
    /// Refuse, listing them all.
    #[default]
    Error,
    /// Put them in a group named "other".
    Other,
}

/// Header names taken as the group column of a mapping.
const GROUP_NAMES: &[&str] = &["group", "分组", "组", "区域"];

/// Most unmapped names listed in an error.
const LIST_AT_MOST: usize = 20;

/// A mapping file's header and rows (with their lines), trimmed text, read whole: a
/// mapping is small, a row per region, and its columns are chosen by their content.
fn read_mapping(input: &Input, encoding: decode::Encoding) -> Result<(Vec<String>, Vec<Line>)> {
    let label = input.label();
    let opts = crate::load::LoadOptions {
        encoding,
        ..Default::default()
    };
    let text = Text::open(&label, input.open()?, None, &opts)?;
    let enc = text.enc.clone();
    let mut records = text.records(0)?;
    let mut row = Row::default();
    if !records.next(&mut row)? {
        return Err(Error::input(
            Location::line(&label, 1, None),
            "the mapping file is empty",
            "",
            "a mapping is a CSV with a region column and a group column",
        ));
    }
    // Fields are checked as text one by one, so a wrong encoding is named with its line.
    let cells = |row: &Row| -> Result<Vec<String>> {
        row.cells
            .iter()
            .map(|f| {
                let at = || Location::line(&label, row.line, None);
                Ok(enc.text(f, at)?.trim().to_owned())
            })
            .collect()
    };
    let header = cells(&row)?;
    let mut rows = Vec::new();
    while records.next(&mut row)? {
        rows.push((row.line, cells(&row)?));
    }
    Ok((header, rows))
}

/// A row of a mapping: its line and its cells.
type Line = (u64, Vec<String>);

fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", String::as_str)
}

/// The mapping's key column: the one naming the most regions of the data (a World Bank
/// metadata file's `TableName`, not its `Region`), else a known region column's name.
fn key_column(
    panel: &Panel,
    header: &[String],
    rows: &[(u64, Vec<String>)],
    named_group: Option<usize>,
) -> usize {
    let matches = |c: usize| {
        rows.iter()
            .filter(|(_, row)| !cell(row, c).is_empty() && panel.find(cell(row, c)).is_some())
            .count()
    };
    (0..header.len())
        .map(|c| (matches(c), c))
        .filter(|&(n, _)| n > 0)
        .max_by_key(|&(n, c)| (n, std::cmp::Reverse(c)))
        .map(|(_, c)| c)
        .or_else(|| names::known_region(header, named_group))
        .unwrap_or(0)
}

/// The mapping's group column: the one `column` names (by name or 1-based position), else
/// one named as a group, else the first other column whose values repeat.
fn group_column(
    header: &[String],
    rows: &[(u64, Vec<String>)],
    key: usize,
    named_group: Option<usize>,
    column: Option<&str>,
    at: &dyn Fn() -> Location,
) -> Result<usize> {
    if let Some(name) = column {
        let found = names::find_all(header, name);
        let position = name
            .parse::<usize>()
            .ok()
            .filter(|&p| p >= 1 && p <= header.len());
        return match (found.as_slice(), position) {
            ([one, ..], _) => Ok(*one),
            ([], Some(p)) => Ok(p - 1),
            ([], None) => Err(Error::input(
                at(),
                format!("--group-by {name:?} is no column of the mapping"),
                header.join(","),
                format!(
                    "name one of its columns: {}",
                    crate::error::listed(header.iter(), ", ")
                ),
            )),
        };
    }
    // Values that repeat group; values that do not (codes, notes) do not.
    let repeats = |c: usize| {
        let mut seen: Vec<&str> = rows
            .iter()
            .map(|(_, r)| cell(r, c))
            .filter(|v| !v.is_empty())
            .collect();
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        n > 0 && seen.len() * 2 <= n
    };
    let others = (0..header.len()).filter(|&c| c != key);
    named_group
        .filter(|&g| g != key)
        .or_else(|| others.clone().find(|&c| repeats(c)))
        .or(others.clone().next())
        .ok_or_else(|| {
            Error::input(
                at(),
                "the mapping has no group column",
                header.join(","),
                "give two columns: region and group",
            )
        })
}

/// Each region's group as the mapping's rows say, and the groups in order of first use;
/// a region mapped to two groups is refused, naming both lines.
fn mapped(
    panel: &Panel,
    rows: &[(u64, Vec<String>)],
    (key, group_col): (usize, usize),
    at: &dyn Fn(u64) -> Location,
) -> Result<(HashMap<usize, String>, Vec<String>)> {
    let mut assigned: HashMap<usize, (String, u64)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (line, row) in rows {
        let (name, group) = (cell(row, key), cell(row, group_col));
        // No name, or no group (a World Bank aggregate's Region): the row maps nothing.
        if name.is_empty() || group.is_empty() {
            continue;
        }
        // Names the data does not have are allowed: a mapping may cover more regions.
        let Some(r) = panel.find(name) else { continue };
        match assigned.get(&r) {
            Some((g, _)) if g == group => {}
            Some((g, first)) => {
                return Err(Error::input(
                    at(*line),
                    format!("{name} is mapped to {g:?} on line {first} and to {group:?} here"),
                    name,
                    "map each region to one group",
                ));
            }
            None => {
                assigned.insert(r, (group.to_owned(), *line));
                if !order.iter().any(|o| o == group) {
                    order.push(group.to_owned());
                }
            }
        }
    }
    Ok((
        assigned.into_iter().map(|(r, (g, _))| (r, g)).collect(),
        order,
    ))
}

/// Regroups the panel's regions as the mapping file (in `encoding`) says: its key column
/// names the regions, its group column (`column`, or found) their groups. A row with an
/// empty group leaves its region unmapped.
pub fn apply(
    panel: &mut Panel,
    input: &Input,
    unmapped: Unmapped,
    encoding: decode::Encoding,
    column: Option<&str>,
) -> Result<()> {
    let label = input.label();
    let (header, rows) = read_mapping(input, encoding)?;
    let named_group = names::find_known(&header, GROUP_NAMES);
    let key = key_column(panel, &header, &rows, named_group);
    let at_header = || Location::line(&label, 1, None);
    let group_col = group_column(&header, &rows, key, named_group, column, &at_header)?;
    let key_name = header.get(key).cloned();
    let at = |line: u64| Location::line(&label, line, key_name.clone());
    let (assigned, order) = mapped(panel, &rows, (key, group_col), &at)?;
    assign(panel, assigned, order, unmapped, &label, "add them")?;
    panel.info.grouping = Some(format!(
        "by {} in {label}",
        header.get(group_col).map_or("the mapping", String::as_str)
    ));
    panel.info.marked.clear();
    Ok(())
}

/// Sets each region's group as `assigned` says; regions it leaves out are an error, or
/// (`Unmapped::Other`) a group named "other". Totals of others (全国, World) need no group.
fn assign(
    panel: &mut Panel,
    mut assigned: HashMap<usize, String>,
    mut order: Vec<String>,
    unmapped: Unmapped,
    mapping: &str,
    fix: &str,
) -> Result<()> {
    let missing: Vec<usize> = (0..panel.len())
        .filter(|&r| !assigned.contains_key(&r) && panel.aggregate(r).is_none())
        .collect();
    if !missing.is_empty() && unmapped == Unmapped::Error {
        let mut names: Vec<String> = missing
            .iter()
            .take(LIST_AT_MOST)
            .map(|&r| panel.name(r).to_owned())
            .collect();
        if missing.len() > LIST_AT_MOST {
            names.push(format!("and {} more", missing.len() - LIST_AT_MOST));
        }
        return Err(Error::Usage(format!(
            "{mapping}: {} region{} of the data {} not in the mapping: {}; {fix}, or use \
             --unmapped other to put them in a group named \"other\"",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            if missing.len() == 1 { "is" } else { "are" },
            names.join(", ")
        )));
    }
    if !missing.is_empty() {
        order.push("other".to_owned());
    }
    for r in 0..panel.len() {
        let group = assigned.remove(&r).unwrap_or_else(|| "other".to_owned());
        panel.set_group(r, Some(&group));
    }
    panel.info.group_order = order;
    Ok(())
}

/// Groups the regions of a user's file as a bundled grouping (`north-south`, ...) groups
/// the bundled regions they are: found by any English or Chinese name, code or alias, with
/// or without 省, 市, 自治区, "Province". Whether `name` is such a grouping.
pub fn apply_bundled(panel: &mut Panel, name: &str, unmapped: Unmapped) -> Result<bool> {
    use crate::load::bundled::{self, Dataset};
    let dataset = Dataset::default();
    let Some(grouping) = dataset.spec().groupings.iter().find(|g| g.name == name) else {
        return Ok(false);
    };
    let infos = bundled::regions(dataset)?;
    let index = bundled::RegionIndex::new(&infos);
    let find = |region: &str| index.find(region);
    let mut assigned = HashMap::new();
    let mut marked = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for r in 0..panel.len() {
        if panel.aggregate(r).is_some() {
            continue;
        }
        let Some(i) = find(panel.name(r)) else {
            continue;
        };
        // Two rows for one province would be summed twice into its group.
        if let Some(&first) = seen.get(&i) {
            return Err(Error::Usage(format!(
                "--group-by {name}: {} and {} are both {}; keep one (--where or --exclude)",
                panel.name(first),
                panel.name(r),
                infos[i].region_en
            )));
        }
        seen.insert(i, r);
        let info = &infos[i];
        assigned.insert(r, info.column(grouping.column).to_owned());
        if info.contested(grouping) {
            marked.push(panel.name(r).to_owned());
        }
    }
    let order = grouping.order.iter().map(|o| o.to_string()).collect();
    assign(
        panel,
        assigned,
        order,
        unmapped,
        &format!("--group-by {name}"),
        &format!(
            "{name} groups the {} regions of the bundled data, found by their English or \
             Chinese names, codes or aliases; map the others with --groups FILE",
            dataset.name()
        ),
    )?;
    panel.info.grouping = Some(format!(
        "{name}, as the bundled {} data groups its regions",
        dataset.name()
    ));
    panel.info.marked = marked;
    panel.info.marked_note = grouping.contested.map(|(_, note)| note.to_owned());
    Ok(true)
}
