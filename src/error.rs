//! The library's errors: each says what is wrong, where, and what would be accepted.

use crate::period::Period;
use std::path::PathBuf;

/// Where in an input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (or a label such as "bundled data/...").
    pub file: String,
    /// 1-based line number (a sheet's row).
    pub line: u64,
    /// The column: its header name, when known.
    pub column: Option<String>,
    /// The place as the format names it, where it is not a line of text: a sheet's cell
    /// (`Table_3!C12`) or a path into a JSON document (`value[17]`).
    pub cell: Option<String>,
}

impl Location {
    /// A line of text, and a column by its header name.
    pub fn line(file: &str, line: u64, column: Option<String>) -> Location {
        Location {
            file: file.to_owned(),
            line,
            column,
            cell: None,
        }
    }

    /// A place the format names (a cell, a JSON path), on `line`, in a column so named.
    pub fn at(file: &str, line: u64, cell: String, column: Option<String>) -> Location {
        Location {
            file: file.to_owned(),
            line,
            column,
            cell: Some(cell),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cell {
            Some(cell) => {
                write!(f, "{}:{cell}", self.file)?;
                if let Some(c) = self.column.as_ref().filter(|c| !c.is_empty()) {
                    write!(f, " ({c})")?;
                }
            }
            None => {
                write!(f, "{}:{}", self.file, self.line)?;
                if let Some(c) = &self.column {
                    write!(f, ":{c}")?;
                }
            }
        }
        Ok(())
    }
}

/// A value or field that cannot be read: where, what is wrong, the text, what would do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {problem}{}; {hint}", found(.text))]
pub struct InputError {
    /// Where.
    pub at: Location,
    /// What is wrong.
    pub problem: String,
    /// The offending text.
    pub text: String,
    /// What would be accepted.
    pub hint: String,
}

/// Everything that can go wrong in loading, computing and rendering.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value or field that cannot be read.
    #[error("{0}")]
    Input(Box<InputError>),
    /// Options that do not fit together.
    #[error("{0}")]
    Usage(String),
    /// The CSV itself is malformed.
    #[error("{file}: {source}")]
    Csv {
        /// The file as the user named it.
        file: String,
        /// The csv crate's account, which carries the line.
        #[source]
        source: csv::Error,
    },
    /// A requested year is not in the data.
    #[error(
        "{} {year} is not in the data ({dataset} has {available}); pick --from and --to among those",
        .year.noun()
    )]
    YearNotInData {
        /// The year asked for.
        year: Period,
        /// The dataset's name.
        dataset: String,
        /// The years the data holds, listed.
        available: String,
    },
    /// The data does not have two years to compare.
    #[error(
        "{dataset} has population figures for fewer than two years ({available}); nothing to compare"
    )]
    TooFewYears {
        /// The dataset's name.
        dataset: String,
        /// The years it holds, listed.
        available: String,
    },
    /// No region has figures for both years compared.
    #[error(
        "no region of {dataset} has figures for both {from} and {to}, so there is nothing to \
         compare{}",
        pairs_hint(.pairs)
    )]
    NothingShared {
        /// The first year.
        from: Period,
        /// The second year.
        to: Period,
        /// The dataset's name.
        dataset: String,
        /// Pairs of years that regions do share, with how many: the best first.
        pairs: Vec<((Period, Period), usize)>,
    },
    /// --from is not before --to.
    #[error("--from {from} must be before --to {to}")]
    YearOrder {
        /// The first year.
        from: Period,
        /// The second year.
        to: Period,
    },
    /// A year between --from and --to lacks the population that the rates need.
    #[error(
        "{region}: no population for {year}, which the natural growth rate of {next} needs; \
         pick --from and --to with every year between them present"
    )]
    GapInYears {
        /// The region.
        region: String,
        /// The missing year.
        year: Period,
        /// The year whose rate needs it.
        next: Period,
    },
    /// A region name that matches no region of the data.
    #[error("no region {name:?} in {dataset}{}", suggestion(.suggestions))]
    UnknownRegion {
        /// The name given.
        name: String,
        /// The data searched.
        dataset: String,
        /// The closest known names.
        suggestions: Vec<String>,
    },
    /// A sum or difference beyond the integers held.
    #[error("arithmetic overflow while computing {what}; the figures are too large to add exactly")]
    Overflow {
        /// What was being computed.
        what: String,
    },
    /// An output file that is one of the inputs (the binary names the option that gave it).
    #[error("{} is the input {}; write the output to another file", output.display(), input.display())]
    OutputIsInput {
        /// The output asked for.
        output: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// Two outputs of one run on one file (the binary names the option that gave it).
    #[error("{} is also the file of {other}; give each output a file of its own", output.display())]
    OutputTwice {
        /// The output asked for.
        output: PathBuf,
        /// The option whose output it also is.
        other: String,
    },
    /// An existing file the user may not write, which is left as it is.
    #[error(
        "{} is not writable for you, so it is left as it is; write the output to another file",
        output.display()
    )]
    OutputNotWritable {
        /// The output asked for.
        output: PathBuf,
    },
    /// An output that is a folder (the binary names the option that gave it).
    #[error("{} is a folder; name a file", output.display())]
    OutputIsFolder {
        /// The output asked for.
        output: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS's account.
        #[source]
        source: std::io::Error,
    },
}

/// Most characters of an offending text quoted in a message.
pub const QUOTED_CHARS: usize = 200;

/// " (found "TEXT")", escaped and cut at [`QUOTED_CHARS`] characters (then the text's
/// length in bytes); nothing when there is no text to show.
fn found(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!(" (found {:?}... ({} bytes))", &text[..cut], text.len()),
        None => format!(" (found {text:?})"),
    }
}

impl Error {
    /// An input error at a place, with the offending text and a hint.
    pub fn input(
        at: Location,
        problem: impl Into<String>,
        text: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        Error::Input(Box::new(InputError {
            at,
            problem: problem.into(),
            text: text.into(),
            hint: hint.into(),
        }))
    }

    /// The same error, with a further way out after its hint (input errors) or its
    /// message (usage errors); others as they are.
    pub fn or_else_say(self, more: &str) -> Error {
        match self {
            Error::Input(mut e) => {
                e.hint = format!("{}; or {more}", e.hint);
                Error::Input(e)
            }
            Error::Usage(m) => Error::Usage(format!("{m}; or {more}")),
            other => other,
        }
    }
}

fn suggestion(names: &[String]) -> String {
    match names {
        [] => "; `popdelta data` lists the bundled regions, and a file's regions are named as \
               written"
            .to_owned(),
        [one] => format!("; did you mean {one}?"),
        many => format!("; did you mean one of {}?", listed(many, ", ")),
    }
}

/// The pairs of years some regions share, for a refusal: "; years that regions share: ...".
fn pairs_hint(pairs: &[((Period, Period), usize)]) -> String {
    if pairs.is_empty() {
        return ": no two of its years have a region in common".to_owned();
    }
    let named = listed(
        pairs.iter().map(|((a, b), n)| {
            format!(
                "--from {a} --to {b} ({n} region{})",
                if *n == 1 { "" } else { "s" }
            )
        }),
        ", ",
    );
    format!("; years that regions share: {named}")
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Text from elsewhere (a parser's own account) for a message: cut at [`QUOTED_CHARS`]
/// characters, so that one line stays one line.
pub fn clipped(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// Most names a message or note lists; the rest are counted.
pub const LIST_AT_MOST: usize = 10;

/// Names for a message or note, joined by `sep`: the first [`LIST_AT_MOST`], then how many
/// more ("a, b and 4990 more"), so that no list from the data makes a line unreadable.
pub fn listed<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, sep: &str) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for item in items {
        if shown.len() < LIST_AT_MOST {
            shown.push(item.to_string());
        } else {
            more += 1;
        }
    }
    match more {
        0 => shown.join(sep),
        n => format!("{} and {n} more", shown.join(sep)),
    }
}

/// Years in runs, for long lists: "1960-1989, 1992".
pub fn list_year_runs(years: &[Period]) -> String {
    let mut runs: Vec<(Period, Period)> = Vec::new();
    for &y in years {
        match runs.last_mut() {
            Some((_, end)) if end.next() == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    if runs.is_empty() {
        return "no years".into();
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else if a.next() == b {
                format!("{a}, {b}")
            } else {
                a.range_to(b)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Years as a list: "2015, 2016, 2017"; a long list of years in runs ("1960-1989,
/// 1992"), of other periods by its ends ("315 periods, 1946-01 to 2024-07").
pub fn list_years(years: &[Period]) -> String {
    match years {
        [] => return "no years".into(),
        [first, .., last] if years.len() > LIST_AT_MOST => {
            return if years.iter().all(|p| p.is_year()) {
                list_year_runs(years)
            } else {
                format!("{} periods, {}", years.len(), first.range_to(*last))
            };
        }
        _ => {}
    }
    years
        .iter()
        .map(Period::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
