//! Group mappings: a CSV that assigns each region to a group (`--groups FILE`).

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::load::header;
use crate::load::lines::Counting;
use std::io::Read;

use crate::load::{Input, decode, plan, reader};
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

/// Regroups the panel's regions as the mapping file (in `encoding`) says.
pub fn apply(
    panel: &mut Panel,
    input: &Input,
    unmapped: Unmapped,
    encoding: decode::Encoding,
) -> Result<()> {
    let label = input.label();
    let mut decoded = decode::Decoder::new(reader::open(input)?, encoding);
    // The separator, from the start of the file, as for the data.
    let mut prefix = Vec::new();
    (&mut decoded)
        .take(plan::PREFIX as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| reader::read_error(&label, csv::Error::from(e), encoding))?;
    let delimiter = plan::sniff_delimiter(&prefix, prefix.len() < plan::PREFIX);
    let (counted, lines) = Counting::new(std::io::Cursor::new(prefix).chain(decoded));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(counted);
    let at = |line: u64, column: Option<&str>| Location {
        file: label.clone(),
        line,
        column: column.map(str::to_owned),
    };
    let read_err = |e: csv::Error| reader::read_error(&label, e, encoding);
    // Fields are checked as text one by one, so a wrong encoding is named with its line.
    let text = |bytes: &[u8], line: u64| -> Result<String> {
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| {
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
            .map(|h| text(h, 1).map(|t| t.trim().to_owned()))
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
    let named_group = header::find_known(&header, GROUP_NAMES);
    let region_col = header::known_region(&header, named_group).unwrap_or(0);
    let group_col = named_group.or_else(|| (0..header.len()).find(|&i| i != region_col));
    let Some(group_col) = group_col else {
        return Err(Error::input(
            at(1, None),
            "the mapping has no group column",
            header.join(","),
            "give two columns: region and group",
        ));
    };
    let region_name = header.get(region_col).map(String::as_str);
    let mut assigned: HashMap<usize, (String, u64)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for rec in records {
        let rec = rec.map_err(read_err)?;
        let line = lines
            .borrow_mut()
            .line_at(rec.position().map_or(0, |p| p.byte()));
        let name = text(rec.get(region_col).unwrap_or(b""), line)?;
        let group = text(rec.get(group_col).unwrap_or(b""), line)?;
        let (name, group) = (name.trim(), group.trim());
        if name.is_empty() {
            continue;
        }
        if group.is_empty() {
            return Err(Error::input(
                at(line, header.get(group_col).map(String::as_str)),
                format!("no group for {name}"),
                group,
                "every row of a mapping names a group",
            ));
        }
        // Names the data does not have are allowed: a mapping may cover more regions.
        let Some(r) = panel.find(name) else { continue };
        match assigned.get(&r) {
            Some((g, _)) if g == group => {}
            Some((g, first)) => {
                return Err(Error::input(
                    at(line, region_name),
                    format!("{name} is mapped to {g:?} on line {first} and to {group:?} here"),
                    name,
                    "map each region to one group",
                ));
            }
            None => {
                assigned.insert(r, (group.to_owned(), line));
                if !order.iter().any(|o| o == group) {
                    order.push(group.to_owned());
                }
            }
        }
    }
    let missing: Vec<usize> = (0..panel.len())
        .filter(|r| !assigned.contains_key(r))
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
            "{label}: {} region{} of the data {} not in the mapping: {}; add them, or use \
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
        let group = assigned
            .remove(&r)
            .map_or_else(|| "other".to_owned(), |(g, _)| g);
        panel.set_group(r, Some(&group));
    }
    panel.info.grouping = Some(format!("by the mapping in {label}"));
    panel.info.group_order = order;
    panel.info.marked.clear();
    Ok(())
}
