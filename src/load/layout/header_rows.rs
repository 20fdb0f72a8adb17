//! Headers over several rows, as publications set them (the Census Bureau's intercensal
//! tables, the ABS data cubes): banner lines above, a label over a run of years ("Intercensal
//! Estimates (as of July 1)" over 2000...2009, "POPULATION" and "PERCENTAGE" each over
//! 1999, 2009, 2019), a row of units, footnote digits glued to a year ("April 1, 20001").
//!
//! [`find`] places the block from the file's first lines (the rows just above the first run
//! of rows of figures); [`compose`] turns its rows into one name per column.

use crate::load::layout::names;
use crate::number::{Decimal, is_missing};

/// Rows of figures in a run that mark where the data starts.
const DATA_RUN: usize = 3;
/// Most rows a header block spans.
const MAX_ROWS: usize = 4;

/// Where a header block stands: the lines before it, and its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Lines before the block (banner, title).
    pub skip: u64,
    /// Rows of the block.
    pub rows: usize,
}

/// A record's cells, trimmed, with their line.
type Row = (u64, Vec<String>);

/// Whether a cell is a number.
pub fn is_number(cell: &str) -> bool {
    !cell.is_empty() && Decimal::parse(cell).is_ok()
}

/// A row of figures: a label (after any codes, as "01,Ain,..." has), then two numbers or
/// more.
pub fn is_figures(cells: &[String]) -> bool {
    let Some(label) = cells
        .iter()
        .position(|c| !c.is_empty() && !is_number(c) && !is_missing(c))
    else {
        return false;
    };
    // Codes before the label are digits written as text ("01"), never figures.
    let codes = cells[..label]
        .iter()
        .all(|c| c.is_empty() || (c.len() <= 12 && c.bytes().all(|b| b.is_ascii_digit())));
    codes && cells[label + 1..].iter().filter(|c| is_number(c)).count() >= 2
}

/// A row of one text cell (a banner, a title, a section's label).
fn is_single(cells: &[String]) -> bool {
    cells.iter().filter(|c| !c.is_empty()).count() == 1
}

/// The header block of a file whose first lines are `rows` (records, as read): the rows
/// above the first run of [`DATA_RUN`] rows of figures (section labels between may
/// interrupt the run), up to a row of one cell or a blank row. `None` when there is no such
/// run or the block is a single row (the ordinary header rules apply then).
pub fn find(rows: &[Row]) -> Option<Block> {
    let mut start = None;
    let mut run = 0;
    for (i, (_, cells)) in rows.iter().enumerate() {
        if is_figures(cells) {
            if run == 0 {
                start = Some(i);
            }
            run += 1;
            if run >= DATA_RUN {
                break;
            }
        } else if is_single(cells) && run > 0 {
            // A section's label within the data ("Other Territories").
        } else {
            run = 0;
            start = None;
        }
    }
    let start = start.filter(|_| run >= DATA_RUN)?;
    // Section labels just above the first row of figures are data, not header.
    let mut end = start;
    while end > 0 && is_single(&rows[end - 1].1) && !has_year(&rows[end - 1].1) {
        end -= 1;
    }
    let mut top = end;
    while top > 0 && end - top < MAX_ROWS {
        let cells = &rows[top - 1].1;
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        if filled < 2 && !has_year(cells) {
            break;
        }
        top -= 1;
    }
    let rows_in = end - top;
    (rows_in >= 2).then(|| Block {
        skip: rows[top].0 - 1,
        rows: rows_in,
    })
}

fn has_year(cells: &[String]) -> bool {
    cells.iter().any(|c| names::year_of(c).is_some())
}

/// Words of a label or unit that say a column holds no population: a share, a rate.
const NOT_POPULATION: &[&str] = &[
    "%",
    "percentage",
    "percent",
    "per cent",
    "share",
    "rate",
    "density",
    "per 1000",
    "per 1,000",
    "‰",
    "比重",
    "比例",
    "密度",
    "增长率",
];

/// Units a row of the block may hold under figures: said by the names, not part of them.
const UNIT_WORDS: &[&str] = &["no.", "no", "number", "persons", "人", "%", "'000", "000"];

/// A cell whose last word is a year with footnote digits glued on ("20001", "20102"): the
/// year, if it lies within a year of the block's own years.
fn footnoted(cell: &str, years: &[i32]) -> Option<(String, i32)> {
    let (head, last) = match cell.rsplit_once(' ') {
        Some((h, l)) => (Some(h), l),
        None => (None, cell),
    };
    if !(5..=6).contains(&last.len()) || !last.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = last[..4].parse().ok()?;
    let (lo, hi) = (years.iter().min()?, years.iter().max()?);
    if year < lo - 1 || year > hi + 1 {
        return None;
    }
    let text = match head {
        Some(h) => format!("{h} {year}"),
        None => year.to_string(),
    };
    Some((text, year))
}

/// One name per column from a header block's rows: a year under a label is the year (the
/// population of that year), unless the label or unit says a share or a rate ("PERCENTAGE
/// 1999", no year then); other labels are joined top to bottom. A label stands over the
/// empty cells to its right while the rows below are filled there (a merged cell). Also
/// returns each cell whose footnote digits were taken off, as (written, read).
pub fn compose(rows: &[Vec<String>]) -> (Vec<String>, Vec<(String, String)>) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: usize, c: usize| rows[r].get(c).map_or("", String::as_str);
    let years: Vec<i32> = rows
        .iter()
        .flatten()
        .filter_map(|c| names::is_plain_year(c).then(|| names::year_of(c)).flatten())
        .collect();
    let below_filled = |r: usize, c: usize| (r + 1..rows.len()).any(|b| !cell(b, c).is_empty());
    let mut footnotes = Vec::new();
    let mut names = Vec::with_capacity(width);
    // Each row's label carried right over a merged cell.
    let mut carried: Vec<String> = vec![String::new(); rows.len()];
    for c in 0..width {
        let mut parts: Vec<String> = Vec::new();
        let mut year = None;
        let mut not_population = false;
        for (r, carry) in carried.iter_mut().enumerate() {
            let own = cell(r, c);
            let text = if !own.is_empty() {
                *carry = own.to_owned();
                own.to_owned()
            } else if r + 1 < rows.len() && below_filled(r, c) && !carry.is_empty() {
                carry.clone()
            } else {
                carry.clear();
                continue;
            };
            let text = match footnoted(&text, &years) {
                Some((read, _)) if !own.is_empty() => {
                    footnotes.push((text.clone(), read.clone()));
                    read
                }
                Some((read, _)) => read,
                None => text,
            };
            let lower = text.to_lowercase();
            not_population |= NOT_POPULATION
                .iter()
                .any(|w| lower == *w || lower.split_whitespace().any(|x| x == *w));
            if names::is_plain_year(&text) {
                year = Some(text);
            } else if lower == "%" || !UNIT_WORDS.contains(&lower.as_str()) {
                // A count's unit (no., persons) goes without saying; a share's does not.
                parts.push(text);
            }
        }
        // Years under a label that dates them ("as of July 1") are that day of each year.
        let dated = parts.iter().find_map(|p| names::date_in(p));
        let name = match year {
            Some(y) if !not_population => match dated {
                Some((month, day)) => format!("{month} {day}, {y}"),
                None => y,
            },
            Some(y) => {
                parts.push(y);
                parts.join(" ")
            }
            None => parts.join(" "),
        };
        names.push(name);
    }
    (names, footnotes)
}

/// Whether a block names more than the single header row the ordinary rules chose (the
/// line after `skip`): more years (a label over years, not a header over a row of units),
/// or more columns (labels of its first row over the empty cells of the years' row, as
/// `Code` and `Département` over a row of years). The block must reach that row.
pub fn names_more_years(rows: &[Row], block: Block, skip: u64) -> bool {
    let years = |names: &[String]| names.iter().filter(|n| names::year_of(n).is_some()).count();
    let named = |names: &[String]| names.iter().filter(|n| !n.is_empty()).count();
    let Some(at) = rows.iter().position(|(line, _)| *line > block.skip) else {
        return false;
    };
    let taken: Vec<&Row> = rows[at..].iter().take(block.rows).collect();
    let cells: Vec<Vec<String>> = taken.iter().map(|(_, c)| c.clone()).collect();
    let Some((ordinary_line, ordinary)) = rows.iter().find(|(line, _)| *line > skip) else {
        return false;
    };
    let last = taken.last().map_or(0, |(line, _)| *line);
    // A long file's header (a year column) is a header of its own.
    let composed = compose(&cells).0;
    last >= *ordinary_line
        && names::known_year(ordinary).is_none()
        && years(&composed) >= 2
        && (years(&composed) > years(ordinary) || named(&composed) > named(ordinary))
}

/// The column of the regions, by its values, where no name says which it is: the one
/// column of text in the first row of figures after line `after`; or, of several, the one
/// whose values in the rows of figures are all different while every other's repeat (the
/// places beside a unit or a sex). With whether it was the only one.
pub fn region_by_values(rows: &[Row], after: u64) -> Option<(usize, bool)> {
    let figures: Vec<&Vec<String>> = rows
        .iter()
        .filter(|(line, cells)| *line > after && is_figures(cells))
        .map(|(_, c)| c)
        .collect();
    let first = figures.first()?;
    let is_text = |c: &String| !c.is_empty() && !is_number(c) && !is_missing(c);
    let text: Vec<usize> = first
        .iter()
        .enumerate()
        .filter(|(_, c)| is_text(c))
        .map(|(i, _)| i)
        .collect();
    match text[..] {
        [] => None,
        [one] => Some((one, true)),
        _ if figures.len() < 2 => None,
        _ => {
            let distinct = |c: usize| {
                let mut values: Vec<&str> = figures
                    .iter()
                    .map(|r| r.get(c).map_or("", String::as_str))
                    .collect();
                values.sort_unstable();
                values.dedup();
                values.len()
            };
            let all: Vec<usize> = text
                .iter()
                .copied()
                .filter(|&c| distinct(c) == figures.len())
                .collect();
            let repeat = text
                .iter()
                .all(|&c| all.contains(&c) || distinct(c) < figures.len());
            match all[..] {
                [one] if repeat => Some((one, false)),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Row> {
        lines
            .iter()
            .zip(1..)
            .map(|(l, n)| (n, l.split(',').map(|c| c.trim().to_owned()).collect()))
            .collect()
    }

    #[test]
    fn census_intercensal_header_is_two_rows_under_two_banners() {
        let r = rows(&[
            "table with row headers in column A",
            "Table 1. Intercensal Estimates",
            "Geographic Area,April 1 20001,Intercensal Estimates (as of July 1),,,April 1 20102",
            ",,2000,2001,2009,",
            "United States,281424600,282162411,284968955,287625193,308745538",
            "Northeast,53594810,53666295,53915522,54143915,55317240",
            ".Alabama,4447207,4452173,4467634,4480089,4779736",
        ]);
        assert_eq!(find(&r), Some(Block { skip: 2, rows: 2 }));
        let block: Vec<Vec<String>> = r[2..4].iter().map(|(_, c)| c.clone()).collect();
        let (names, footnotes) = compose(&block);
        assert_eq!(
            names,
            [
                "Geographic Area",
                "April 1 2000",
                // Years under "(as of July 1)" are that day of each year.
                "July 1, 2000",
                "July 1, 2001",
                "July 1, 2009",
                "April 1 2010"
            ]
        );
        assert_eq!(
            footnotes,
            [
                ("April 1 20001".to_owned(), "April 1 2000".to_owned()),
                ("April 1 20102".to_owned(), "April 1 2010".to_owned())
            ]
        );
    }

    #[test]
    fn abs_header_is_a_label_a_row_of_years_and_units() {
        let r = rows(&[
            "Australian Bureau of Statistics",
            "Table 3 Estimated resident population",
            ",POPULATION,,,PERCENTAGE,,",
            ",1999,2009,2019,1999,2009,2019",
            ",no.,no.,no.,%,%,%",
            "Australia–at 30 June",
            "New South Wales,6375103,7053755,8089526,33.9,32.5,31.9",
            "Victoria,4652462,5371934,6594804,24.7,24.8,26.0",
            "Queensland,3453936,4328771,5095100,18.4,20.0,20.1",
        ]);
        assert_eq!(find(&r), Some(Block { skip: 2, rows: 3 }));
        let block: Vec<Vec<String>> = r[2..5].iter().map(|(_, c)| c.clone()).collect();
        let (names, _) = compose(&block);
        assert_eq!(
            names,
            [
                "",
                "1999",
                "2009",
                "2019",
                "PERCENTAGE % 1999",
                "PERCENTAGE % 2009",
                "PERCENTAGE % 2019"
            ]
        );
    }

    #[test]
    fn a_one_row_header_is_left_to_the_ordinary_rules() {
        let r = rows(&["region,2016,2017", "A,1,2", "B,3,4", "C,5,6"]);
        assert_eq!(find(&r), None);
    }
}
