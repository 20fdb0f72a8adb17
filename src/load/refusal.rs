//! The reader's refusals that look at the whole file: several summary levels, several
//! values of a dimension, filters that keep nothing, an endless line.

use crate::error::{Error, Location};
use crate::load::cell;
use crate::load::layout::columns::{Ctx, LevelRule};
use crate::load::lines::MAX_LINE;

/// The error for `--where` filters that keep no row: the first that keeps none, and what
/// its column holds.
pub(crate) fn kept_nothing(
    ctx: &Ctx,
    filters: &[(usize, cell::Filter)],
    seen: &[(u64, Vec<String>)],
) -> Error {
    let said = |f: &cell::Filter| {
        format!(
            "--where {}{}{}",
            f.column,
            if f.keep { "=" } else { "!=" },
            f.values.join("|")
        )
    };
    let none = filters
        .iter()
        .zip(seen)
        .find(|(_, (matched, _))| *matched == 0);
    match none {
        Some(((c, f), (_, values))) => Error::input(
            ctx.at(ctx.skip + 1, Some(*c)),
            format!("{} keeps no row", said(f)),
            "",
            if values.is_empty() {
                "the file has no rows of data".to_owned()
            } else {
                format!(
                    "{} holds {}{}",
                    f.column,
                    values.join(", "),
                    if values.len() >= 10 { ", ..." } else { "" }
                )
            },
        ),
        None => {
            let all: Vec<String> = filters.iter().map(|(_, f)| said(f)).collect();
            Error::input(
                ctx.at(ctx.skip + 1, None),
                format!("no row passes all of {}", all.join(" and ")),
                "",
                "each keeps some rows, but none together: drop one",
            )
        }
    }
}

/// The error for a file whose rows kept are of several summary levels (a nation, its
/// regions and its states): summing them would count people twice.
pub(crate) fn mixed_levels(ctx: &Ctx, rule: Option<LevelRule>, levels: &[(String, u64)]) -> Error {
    let column = rule.map_or("SUMLEV".to_owned(), |r| {
        ctx.header.get(r.column()).cloned().unwrap_or_default()
    });
    let listed: Vec<String> = levels
        .iter()
        .map(|(l, n)| format!("{l} ({n} row{})", if *n == 1 { "" } else { "s" }))
        .collect();
    let most = levels
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or("", |(l, _)| l.as_str());
    Error::input(
        ctx.at(ctx.skip + 1, rule.map(LevelRule::column)),
        format!(
            "the rows are of several summary levels ({column} {}), which summed would count \
             people more than once",
            crate::error::listed(&listed, ", ")
        ),
        "",
        format!("keep one level, e.g. --where {column}={most}"),
    )
}

/// The error for a line past the cap.
pub(crate) fn too_long(label: &str, line: u64) -> Error {
    let at = Location::line(label, line, None);
    Error::input(
        at,
        format!("a line longer than {} MiB", MAX_LINE >> 20),
        "",
        "popdelta reads tables whose lines end (LF, CRLF or CR); this input is not one",
    )
}
