//! `popdelta check` output: one row per claim, its verdict, and a summary.

use crate::period::Period;
use std::io;

use serde::Serialize;

use super::table::{Column, Look, draw};
use super::{Format, SafeCsv, WRAP_WIDTH, wrap};
use crate::check::{Checked, Target, Tolerance, Verdict};
use crate::compute::Level;
use crate::number::{Decimal, with_separators};
use crate::render::escape::terminal;

/// A figure for people: persons with separators, ratios with their decimals.
fn human(d: Decimal) -> String {
    if d.scale == 0 {
        with_separators(d.mantissa)
    } else {
        d.to_string()
    }
}

fn signed_human(d: Decimal) -> String {
    let s = human(d);
    if d.mantissa > 0 { format!("+{s}") } else { s }
}

fn claim_text(c: &Checked) -> String {
    let target = match &c.claim.target {
        Target::Value(v) => human(*v),
        Target::Subject(s) => match c.claimed {
            Some(v) => format!("{s} ({})", human(v)),
            None => s.clone(),
        },
    };
    let tol = match c.claim.tolerance {
        None => String::new(),
        Some(Tolerance::Absolute(t)) => format!(" ±{}", human(t)),
        Some(Tolerance::Percent(p)) => format!(" ±{p}%"),
    };
    format!("{} {target}{tol}", c.claim.op.symbol())
}

fn verdict_text(v: &Verdict) -> String {
    match v {
        Verdict::CannotCheck(why) => format!("cannot check: {why}"),
        other => other.name().to_owned(),
    }
}

/// "12 claims: 4 hold, 1 within precision, 0 unverified data, 7 do not hold, 0 cannot be
/// checked."
pub fn summary(checked: &[Checked]) -> String {
    let count = |f: fn(&Verdict) -> bool| checked.iter().filter(|c| f(&c.verdict)).count();
    format!(
        "{} claims: {} hold, {} within precision, {} on unverified data, {} do not hold, {} \
         cannot be checked.",
        checked.len(),
        count(|v| *v == Verdict::Holds),
        count(|v| *v == Verdict::WithinPrecision),
        count(|v| *v == Verdict::UnverifiedData),
        count(|v| *v == Verdict::DoesNotHold),
        count(|v| matches!(v, Verdict::CannotCheck(_)))
    )
}

const COLUMNS: [&str; 15] = [
    "id",
    "subject",
    "metric",
    "from",
    "to",
    "op",
    "claimed",
    "computed",
    "difference",
    "bound",
    "slack",
    "verdict",
    "reason",
    "quote",
    "dataset",
];

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    subject: &'a str,
    metric: &'static str,
    from: Period,
    to: Period,
    op: &'static str,
    target: String,
    tolerance: Option<String>,
    claimed: Option<Box<serde_json::value::RawValue>>,
    computed: Option<Box<serde_json::value::RawValue>>,
    difference: Option<Box<serde_json::value::RawValue>>,
    bound: Option<Box<serde_json::value::RawValue>>,
    slack: Option<Box<serde_json::value::RawValue>>,
    verdict: &'static str,
    reason: Option<&'a str>,
    quote: &'a str,
    dataset: &'a str,
}

fn raw(d: Option<Decimal>) -> Option<Box<serde_json::value::RawValue>> {
    d.and_then(|d| serde_json::value::RawValue::from_string(d.to_string()).ok())
}

/// Writes the checked claims in a format (table, csv, tsv, json, ndjson, markdown).
pub fn write(
    out: &mut dyn io::Write,
    checked: &[Checked],
    format: Format,
    look: Look,
    said: &[String],
) -> io::Result<()> {
    match format {
        Format::Csv | Format::Tsv => write_csv(
            out,
            checked,
            if format == Format::Tsv { b'\t' } else { b',' },
            true,
        ),
        Format::Json | Format::Ndjson => {
            let rows: Vec<Row> = checked
                .iter()
                .map(|c| Row {
                    id: &c.claim.id,
                    subject: &c.claim.subject,
                    metric: c.claim.metric.name(),
                    from: c.claim.from,
                    to: c.claim.to,
                    op: c.claim.op.symbol(),
                    target: match &c.claim.target {
                        Target::Value(v) => v.to_string(),
                        Target::Subject(s) => s.clone(),
                    },
                    tolerance: c.claim.tolerance.map(|t| match t {
                        Tolerance::Absolute(d) => d.to_string(),
                        Tolerance::Percent(p) => format!("{p}%"),
                    }),
                    claimed: raw(c.claimed),
                    computed: raw(c.computed),
                    difference: raw(c.difference),
                    bound: raw(c.bound),
                    slack: raw(c.slack),
                    verdict: c.verdict.name(),
                    reason: match &c.verdict {
                        Verdict::CannotCheck(why) => Some(why),
                        _ => c.note.as_deref(),
                    },
                    quote: &c.claim.quote,
                    dataset: &c.dataset,
                })
                .collect();
            if format == Format::Ndjson {
                for r in rows {
                    serde_json::to_writer(&mut *out, &r)?;
                    out.write_all(b"\n")?;
                }
                Ok(())
            } else {
                // Serialized as structs, so that keys keep the columns' order.
                #[derive(Serialize)]
                struct Document<'a> {
                    summary: String,
                    claims: Vec<Row<'a>>,
                }
                let doc = Document {
                    summary: summary(checked),
                    claims: rows,
                };
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                out.write_all(b"\n")
            }
        }
        Format::Table | Format::Markdown => write_table(out, checked, format, look),
        Format::Xlsx => super::as_workbook(
            out,
            |buf| write_csv(buf, checked, b',', false),
            vec![
                "Verdicts: holds, does not hold, within precision (holds within the data's \
                 rounding), unverified data (the data is not sure enough to say), cannot check."
                    .to_owned(),
            ],
            said,
        ),
    }
}

/// The checked claims as CSV (or TSV, by the delimiter); guarded but for a workbook.
fn write_csv(
    out: &mut dyn io::Write,
    checked: &[Checked],
    delimiter: u8,
    guard: bool,
) -> io::Result<()> {
    let mut w = SafeCsv::new(out, delimiter, guard);
    w.record(COLUMNS.iter().copied())?;
    for c in checked {
        let num = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
        let reason = match &c.verdict {
            Verdict::CannotCheck(why) => why.as_str(),
            _ => c.note.as_deref().unwrap_or_default(),
        };
        w.record([
            c.claim.id.as_str(),
            &c.claim.subject,
            c.claim.metric.name(),
            &c.claim.from.to_string(),
            &c.claim.to.to_string(),
            c.claim.op.symbol(),
            &num(c.claimed),
            &num(c.computed),
            &num(c.difference),
            &num(c.bound),
            &num(c.slack),
            c.verdict.name(),
            reason,
            &c.claim.quote,
            &c.dataset,
        ])?;
    }
    w.flush()
}

fn write_table(
    out: &mut dyn io::Write,
    checked: &[Checked],
    format: Format,
    look: Look,
) -> io::Result<()> {
    // The data each claim rests on is a column when the claims rest on more than one.
    let several = checked.iter().any(|c| c.dataset != checked[0].dataset);
    let mut header = vec!["id", "subject"];
    if several {
        header.push("data");
    }
    header.extend([
        "metric",
        "years",
        "claim",
        "computed",
        "difference",
        "±",
        "verdict",
    ]);
    let rows: Vec<Vec<String>> = checked
        .iter()
        .map(|c| {
            let mut row = vec![
                terminal(&c.claim.id).into_owned(),
                terminal(&c.claim.subject).into_owned(),
            ];
            if several {
                row.push(terminal(&c.dataset).into_owned());
            }
            let years = if c.claim.from == c.claim.to {
                c.claim.to.to_string()
            } else {
                format!("{}-{}", c.claim.from, c.claim.to)
            };
            row.extend([
                c.claim.metric.name().to_owned(),
                years,
                claim_text(c),
                c.computed.map(human).unwrap_or_default(),
                c.difference.map(signed_human).unwrap_or_default(),
                c.bound
                    .filter(|b| b.mantissa != 0)
                    .map(human)
                    .unwrap_or_default(),
                verdict_text(&c.verdict),
            ]);
            row
        })
        .collect();
    if format == Format::Markdown {
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|{}", " --- |".repeat(header.len()))?;
        for r in &rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| super::escape::markdown(c).replace('|', "\\|"))
                .collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        writeln!(out, "\n{}", summary(checked))?;
        return Ok(());
    }
    // The table for a terminal: columns give way to its width, verdicts coloured.
    let ranks: Vec<(&'static str, bool, Option<u8>)> = header
        .iter()
        .map(|h| match *h {
            "id" | "subject" | "verdict" => ("", true, None),
            "data" => ("dataset", true, Some(3)),
            "metric" => ("metric", true, Some(4)),
            "years" => ("years", true, Some(5)),
            "claim" => ("claim", true, Some(6)),
            "computed" => ("computed", false, Some(2)),
            "difference" => ("difference", false, Some(0)),
            _ => ("bound", false, Some(1)),
        })
        .collect();
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let (name, left, gives_way) = ranks[i];
            let cells: Vec<String> = rows.iter().map(|r| r[i].clone()).collect();
            let styles = if *h == "verdict" {
                checked.iter().map(|c| verdict_style(&c.verdict)).collect()
            } else {
                Vec::new()
            };
            Column {
                name,
                header: (*h).to_owned(),
                cells,
                styles,
                left,
                gives_way,
            }
        })
        .collect();
    let levels = vec![Level::Region; rows.len()];
    let drawn = draw(
        columns,
        &levels,
        Look {
            columns: None,
            ..look
        },
    );
    for line in &drawn.lines {
        writeln!(out, "{line}")?;
    }
    if let Some(width) = look.width
        && !drawn.left_out.is_empty()
    {
        let note = format!(
            "Left out to fit {width} columns: {} (--format csv or json has them all).",
            drawn.left_out.join(", ")
        );
        for l in wrap(&note, width.clamp(20, WRAP_WIDTH)) {
            writeln!(out, "{l}")?;
        }
    }
    writeln!(out, "{}", summary(checked))?;
    let mut last_quote = "";
    writeln!(out, "\nQuotes:")?;
    for c in checked {
        let q = c.claim.quote.trim();
        if q.is_empty() {
            continue;
        }
        let text = if q == "(same sentence)" || q == last_quote {
            "(same sentence as above)".to_owned()
        } else {
            last_quote = q;
            q.to_owned()
        };
        let quoted = terminal(&format!("[{}] {text}", c.claim.id)).into_owned();
        for (i, l) in wrap(&quoted, WRAP_WIDTH).iter().enumerate() {
            let indent = if i == 0 { "" } else { "    " };
            writeln!(out, "{indent}{l}")?;
        }
    }
    Ok(())
}

/// The colour of a verdict: red when it does not hold, yellow when the data cannot tell,
/// green when it holds.
fn verdict_style(v: &Verdict) -> Option<anstyle::Style> {
    let colour = match v {
        Verdict::DoesNotHold => anstyle::AnsiColor::Red,
        Verdict::Holds => anstyle::AnsiColor::Green,
        _ => anstyle::AnsiColor::Yellow,
    };
    Some(colour.on_default())
}
