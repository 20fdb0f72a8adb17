//! Group mappings: a CSV that assigns each region to a group (`--groups FILE`).

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::load::header;
use crate::load::lines::Counting;
use std::io::Read;

use crate::load::{Input, decode, plan, text};
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

/// Regroups the panel's regions as the mapping file (in `encoding`) says. Its key column
/// is the one whose values name the most of the data's regions (a World Bank metadata
/// file's `TableName`, not its `Region`); its group column the one `column` names (by name
/// or 1-based position), else one named as a group, else the first other column whose
/// values repeat. A row with an empty group leaves its region unmapped.
pub fn apply(
    panel: &mut Panel,
    input: &Input,
    unmapped: Unmapped,
    encoding: decode::Encoding,
    column: Option<&str>,
) -> Result<()> {
    let label = input.label();
    let mut decoded = decode::Decoder::new(input.open()?, encoding);
    // The separator, from the start of the file, as for the data.
    let mut prefix = Vec::new();
    (&mut decoded)
        .take(plan::PREFIX as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| text::read_error(&label, csv::Error::from(e)))?;
    let delimiter = plan::sniff_delimiter(&prefix, prefix.len() < plan::PREFIX);
    let (counted, lines) = Counting::new(std::io::Cursor::new(prefix).chain(decoded));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(counted);
    let at =
        |line: u64, column: Option<&str>| Location::line(&label, line, column.map(str::to_owned));
    let read_err = |e: csv::Error| text::read_error(&label, e);
    // Fields are checked as text one by one, so a wrong encoding is named with its line.
    let text = |bytes: &[u8], line: u64| -> Result<String> {
        std::str::from_utf8(bytes)
            .map(|t| t.trim().to_owned())
            .map_err(|_| {
                Error::input(
                    at(line, None),
                    "not UTF-8",
                    String::from_utf8_lossy(bytes),
                    decode::not_utf8_hint(bytes),
                )
            })
    };
    let mut records = rdr.byte_records();
    let header: Vec<String> = match records.next() {
        Some(rec) => rec
            .map_err(read_err)?
            .iter()
            .map(|h| text(h, 1))
            .collect::<Result<_>>()?,
        None => {
            return Err(Error::input(
                at(1, None),
                "the mapping file is empty",
                "",
                "a mapping is a CSV with a region column and a group column",
            ));
        }
    };
    // A mapping is small (a row per region): read whole, to choose its columns by content.
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for rec in records {
        let rec = rec.map_err(read_err)?;
        let line = lines
            .borrow_mut()
            .line_at(rec.position().map_or(0, |p| p.byte()));
        let cells = rec.iter().map(|f| text(f, line)).collect::<Result<_>>()?;
        rows.push((line, cells));
    }
    fn cell(row: &[String], c: usize) -> &str {
        row.get(c).map_or("", String::as_str)
    }
    // The key: the column naming the most regions of the data.
    let matches = |c: usize| {
        rows.iter()
            .filter(|(_, row)| !cell(row, c).is_empty() && panel.find(cell(row, c)).is_some())
            .count()
    };
    let named_group = header::find_known(&header, GROUP_NAMES);
    let by_content = (0..header.len())
        .map(|c| (matches(c), c))
        .filter(|&(n, _)| n > 0)
        .max_by_key(|&(n, c)| (n, std::cmp::Reverse(c)))
        .map(|(_, c)| c);
    let region_col = by_content
        .or_else(|| header::known_region(&header, named_group))
        .unwrap_or(0);
    let group_col = match column {
        Some(name) => {
            let found = header::find_all(&header, name);
            let position = name
                .parse::<usize>()
                .ok()
                .filter(|&p| p >= 1 && p <= header.len());
            match (found.as_slice(), position) {
                ([one, ..], _) => *one,
                ([], Some(p)) => p - 1,
                ([], None) => {
                    return Err(Error::input(
                        at(1, None),
                        format!("--group-by {name:?} is no column of the mapping"),
                        header.join(","),
                        format!("name one of its columns: {}", header.join(", ")),
                    ));
                }
            }
        }
        None => {
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
            let others = (0..header.len()).filter(|&c| c != region_col);
            match named_group.filter(|&g| g != region_col) {
                Some(g) => g,
                None => match others
                    .clone()
                    .find(|&c| repeats(c))
                    .or(others.clone().next())
                {
                    Some(c) => c,
                    None => {
                        return Err(Error::input(
                            at(1, None),
                            "the mapping has no group column",
                            header.join(","),
                            "give two columns: region and group",
                        ));
                    }
                },
            }
        }
    };
    let region_name = header.get(region_col).map(String::as_str);
    let mut assigned: HashMap<usize, (String, u64)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (line, row) in &rows {
        let (name, group) = (cell(row, region_col), cell(row, group_col));
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
                    at(*line, region_name),
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
    let assigned = assigned.into_iter().map(|(r, (g, _))| (r, g)).collect();
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
