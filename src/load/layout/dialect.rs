//! The ways offices write their tables that the ordinary reader knows: notes after the
//! data, Eurostat's compound keys and flags, periods in a year column, rows as written.

use std::io::{self, BufRead};

use crate::load::lines::{LineTooLong, MAX_LINE};

/// The compound first column of a Eurostat file ("unit,sex,geo\time"): its index and the
/// names of its dimensions.
pub(crate) fn compound_key(names: &[String]) -> Option<(usize, Vec<String>)> {
    let (c, name) = names.iter().enumerate().find(|(_, n)| n.contains(','))?;
    let lower = name.to_lowercase();
    let cut = lower
        .rfind("\\time")
        .or_else(|| lower.rfind("\\time_period"))?;
    let dims = name[..cut]
        .split(',')
        .map(|d| d.trim().to_owned())
        .collect();
    Some((c, dims))
}

/// The label columns of an e-Stat table ("男女別" beside "男女別 コード"), each with its
/// code column: a dimension of the table, whose values are breakdowns not to be summed.
pub(crate) fn estat_dimensions(names: &[String]) -> Vec<(usize, usize)> {
    (0..names.len())
        .filter(|&c| !names[c].is_empty())
        .filter_map(|c| {
            let code = format!("{} コード", names[c]);
            Some((c, names.iter().position(|n| *n == code)?))
        })
        .collect()
}

/// SDMX-CSV's dimension columns (in a header with `OBS_VALUE`): every column but the
/// observation's own (time, value) and its attributes (flags, status, the dataflow).
pub(crate) fn sdmx_dimensions(names: &[String]) -> Vec<usize> {
    let is = |c: usize, n: &str| names[c].trim().eq_ignore_ascii_case(n);
    if !(0..names.len()).any(|c| is(c, "OBS_VALUE")) {
        return Vec::new();
    }
    (0..names.len())
        .filter(|&c| {
            !names[c].trim().is_empty()
                && !crate::load::formats::sdmx_csv::is_not_dimension(&names[c])
        })
        .collect()
}

/// A Eurostat figure without its flags ("81174000 e": estimated) and with ":" (not
/// available) as an empty cell; the flags are counted.
pub(crate) fn eurostat_figure<'a>(raw: &'a [u8], flags: &mut Vec<(String, u64)>) -> &'a [u8] {
    let t = raw.trim_ascii();
    let (value, flag) = match t.iter().rposition(|&b| b == b' ') {
        Some(i) if t[i + 1..].iter().all(u8::is_ascii_lowercase) => {
            (t[..i].trim_ascii(), &t[i + 1..])
        }
        _ => (t, &b""[..]),
    };
    if !flag.is_empty() {
        let f = String::from_utf8_lossy(flag);
        match flags.iter_mut().find(|(x, _)| *x == f) {
            Some((_, n)) => *n += 1,
            None => flags.push((f.into_owned(), 1)),
        }
    }
    if value == b":" { b"" } else { value }
}

/// Whether a row is a note rather than data: one field where the header has several
/// ("注：...", "__________", "Stand: 14.12.2017"), or a first field that opens a note
/// ("Source:", "数据来源：").
pub(crate) fn is_note(rec: &csv::ByteRecord, columns: usize) -> bool {
    const OPENERS: &[&str] = &[
        "注：",
        "注:",
        "数据来源",
        "资料来源",
        "Source:",
        "Sources:",
        "Note:",
        "Notes:",
        "Quelle:",
        "____",
    ];
    let first = rec.get(0).unwrap_or_default().trim_ascii();
    let alone = columns > 1 && rec.len() == 1;
    alone
        || OPENERS
            .iter()
            .any(|o| first.len() >= o.len() && first[..o.len()].eq_ignore_ascii_case(o.as_bytes()))
}

/// A record as it was written: its fields joined by the separator, those that hold it (and
/// were quoted, then) quoted again. A quote the reader kept, such as in ` "Hi`, stays as is.
pub(crate) fn as_written(rec: &csv::ByteRecord, delimiter: u8) -> String {
    let fields: Vec<String> = rec
        .iter()
        .map(|f| {
            let text = String::from_utf8_lossy(f);
            if f.contains(&delimiter) && !f.contains(&b'"') {
                format!("\"{text}\"")
            } else {
                text.into_owned()
            }
        })
        .collect();
    fields.join(&char::from(delimiter).to_string())
}

/// Skips line `line` (ended by LF, CRLF or a lone CR); false at the end of the input.
pub(crate) fn skip_line(r: &mut impl BufRead, line: u64) -> io::Result<bool> {
    let mut any = false;
    let mut read = 0u64;
    loop {
        if read > MAX_LINE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong { line },
            ));
        }
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(any);
        }
        any = true;
        match memchr::memchr2(b'\n', b'\r', buf) {
            Some(i) => {
                let cr = buf[i] == b'\r';
                r.consume(i + 1);
                if cr && r.fill_buf()?.first() == Some(&b'\n') {
                    r.consume(1);
                }
                return Ok(true);
            }
            None => {
                let n = buf.len();
                r.consume(n);
                read += n as u64;
            }
        }
    }
}

/// Words for "all" in a second header row: the column of that word holds the population.
const TOTAL_WORDS: &[&str] = &[
    "insgesamt",
    "gesamt",
    "zusammen",
    "total",
    "totale",
    "ensemble",
    "both sexes",
    "all",
    "男女計",
    "計",
    "合计",
    "总计",
    "合計",
];

/// Merges a second header row into the first (`names`), if `row` is one: leading cells
/// empty in both (where the codes and names of the regions stand), text in the others.
/// Under a total word ("Insgesamt") the first row's label stays alone ("31.12.2015": the
/// population of that date); others are joined ("31.12.2015 männlich"). The leading
/// columns are named `code` and `name`.
pub(crate) fn merge_header(names: &mut [String], row: &csv::ByteRecord) -> bool {
    let lead = names.iter().take_while(|n| n.is_empty()).count();
    let cells: Vec<String> = row
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_owned())
        .collect();
    let text = |c: &String| {
        !c.is_empty() && crate::number::Decimal::parse(c).is_err() && !crate::number::is_missing(c)
    };
    let fits = lead > 0
        && lead < names.len()
        && cells.len() == names.len()
        && cells[..lead].iter().all(String::is_empty)
        && cells[lead..].iter().all(text)
        && names[lead..].iter().all(|n| !n.is_empty());
    if !fits {
        return false;
    }
    for (name, below) in names[lead..].iter_mut().zip(&cells[lead..]) {
        let total = TOTAL_WORDS.iter().any(|w| below.eq_ignore_ascii_case(w));
        if !total {
            *name = format!("{name} {below}");
        }
    }
    // The last leading column holds the names, the one before it the codes.
    for (i, n) in names[..lead].iter_mut().enumerate() {
        *n = match lead - i {
            1 => "name".to_owned(),
            2 => "code".to_owned(),
            _ => format!("column {}", i + 1),
        };
    }
    true
}
