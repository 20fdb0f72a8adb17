//! `popdelta check`: whether reported figures hold against the data, claim by claim.
//!
//! A claim names a subject (a region, a group, or the total), two years, a metric, an
//! operator, and a value or another subject, with an optional tolerance. Numbers are
//! compared exactly, as decimals: persons as integers, ratios with their three decimals.

use crate::period::Period;
use std::collections::HashMap;

use serde::Deserialize;

use crate::compute::trend::{self, Trend, TrendLine};
use crate::compute::{self, Comparison, Line};
use crate::error::{Error, Location, Result};
use crate::load::bundled::Dataset;
use crate::number::{Decimal, Milli};
use crate::panel::Panel;

/// The claims of the 2018 report that the bundled data was gathered for.
pub const BUNDLED_CLAIMS: &str = include_str!("../data/claims-2018-report.csv");

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Population in the second year.
    Population,
    /// Absolute change.
    Change,
    /// Percent change.
    ChangePct,
    /// Natural increase.
    NaturalIncrease,
    /// Net migration.
    NetMigration,
    /// Net migration per 1,000 of the mean population.
    NetMigrationPer1000,
    /// Over the years from `from` to `to`: the latest year at the maximum.
    PeakYear,
    /// Years below the year before.
    YearsDown,
    /// The longest run of such years.
    LongestDecline,
    /// The run of such years that ends in `to`.
    DeclineStreak,
    /// Compound annual growth rate, percent.
    CagrPct,
}

impl Metric {
    const NAMES: [(&'static str, Metric); 11] = [
        ("population", Metric::Population),
        ("change", Metric::Change),
        ("change_pct", Metric::ChangePct),
        ("natural_increase", Metric::NaturalIncrease),
        ("net_migration", Metric::NetMigration),
        ("net_migration_per_1000", Metric::NetMigrationPer1000),
        ("peak_year", Metric::PeakYear),
        ("years_down", Metric::YearsDown),
        ("longest_decline", Metric::LongestDecline),
        ("decline_streak", Metric::DeclineStreak),
        ("cagr_pct", Metric::CagrPct),
    ];

    /// Whether the metric is about every year of the range (a trend), not two years.
    pub fn is_trend(self) -> bool {
        matches!(
            self,
            Metric::PeakYear
                | Metric::YearsDown
                | Metric::LongestDecline
                | Metric::DeclineStreak
                | Metric::CagrPct
        )
    }

    /// How far the metric's value on a row can be off: its precision (from the digits the
    /// figures were published to) and the further slack of figures below high confidence,
    /// each in the metric's unit.
    fn bounds(self, line: &Line) -> (Decimal, Decimal) {
        let q = &line.quality;
        let int = |n: i64| Decimal {
            mantissa: n.into(),
            scale: 0,
        };
        // A bound in persons as a ratio's bound, in thousandths, rounded up: n x k / d.
        let ratio = |n: i64, k: i128, d: Option<i128>| {
            let m = match d.filter(|&d| d > 0) {
                Some(d) => (i128::from(n).saturating_mul(k) + d - 1) / d,
                None => 0,
            };
            Decimal {
                mantissa: m,
                scale: 3,
            }
        };
        let from = line.pop_from.map(i128::from);
        let mean2 = line
            .pop_from
            .zip(line.pop_to)
            .map(|(a, b)| i128::from(a) + i128::from(b));
        match self {
            Metric::Population => (int(q.precision_to), int(q.slack_to)),
            Metric::Change => (int(q.change()), int(q.change_slack())),
            Metric::ChangePct => (
                ratio(q.change(), 100_000, from),
                ratio(q.change_slack(), 100_000, from),
            ),
            Metric::NaturalIncrease => (int(q.precision_natural), int(0)),
            Metric::NetMigration => (int(q.migration()), int(q.change_slack())),
            Metric::NetMigrationPer1000 => (
                ratio(q.migration(), 2_000_000, mean2),
                ratio(q.change_slack(), 2_000_000, mean2),
            ),
            // Counted on the figures as published.
            _ => (int(0), int(0)),
        }
    }

    /// The trend metric's value on a row of a trend, exactly.
    fn of_trend(self, line: &TrendLine) -> std::result::Result<Decimal, &'static str> {
        let s = line
            .stats
            .ok_or("the data has no population in the years of the claim")?;
        let int = |n: i64| Decimal {
            mantissa: n.into(),
            scale: 0,
        };
        Ok(match self {
            Metric::PeakYear => int(s.peak_year.year_number().into()),
            Metric::YearsDown => int(s.years_down.into()),
            Metric::LongestDecline => int(s.longest_decline.into()),
            Metric::DeclineStreak => int(s.decline_streak.into()),
            Metric::CagrPct => {
                let m = s
                    .cagr_pct
                    .ok_or("no growth rate (a first population of zero)")?;
                Decimal {
                    mantissa: m.0,
                    scale: 3,
                }
            }
            _ => return Err("not a trend metric"),
        })
    }

    /// The name used in claims files.
    pub fn name(self) -> &'static str {
        Metric::NAMES
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("", |(n, _)| n)
    }

    fn parse(text: &str) -> Option<Metric> {
        Metric::NAMES
            .iter()
            .find(|(n, _)| *n == text.trim())
            .map(|(_, m)| *m)
    }

    /// The metric's value on a row of a comparison, exactly.
    fn of(self, line: &Line) -> std::result::Result<Decimal, &'static str> {
        let int = |v: Option<i64>, why| {
            v.map(|n| Decimal {
                mantissa: n.into(),
                scale: 0,
            })
            .ok_or(why)
        };
        let milli = |v: Option<Milli>, why| {
            v.map(|m| Decimal {
                mantissa: m.0,
                scale: 3,
            })
            .ok_or(why)
        };
        let c = line.components;
        match self {
            Metric::Population => int(line.pop_to, "no population for the second year"),
            Metric::Change => int(line.change, "the data lacks one of the two years"),
            Metric::ChangePct => milli(
                line.change_pct,
                "no percent change (a missing year or zero population)",
            ),
            Metric::NaturalIncrease => int(
                c.map(|c| c.natural_increase),
                "the data has no components of change here",
            ),
            Metric::NetMigration => int(
                c.map(|c| c.net_migration),
                "the data has no components of change here",
            ),
            Metric::NetMigrationPer1000 => milli(
                c.and_then(|c| c.net_migration_per_1000),
                "the data has no components of change here",
            ),
            _ => Err("a trend metric, computed over every year"),
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equal, within the tolerance.
    Eq,
    /// Less than (the tolerance widens it).
    Lt,
    /// Less than or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        match text.trim() {
            "=" | "==" => Some(Op::Eq),
            "<" => Some(Op::Lt),
            "<=" => Some(Op::Le),
            ">" => Some(Op::Gt),
            ">=" => Some(Op::Ge),
            _ => None,
        }
    }

    /// The symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// How far a figure may be from the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// In the metric's own unit.
    Absolute(Decimal),
    /// A percent of the claimed value.
    Percent(Decimal),
}

/// What the claim compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A number.
    Value(Decimal),
    /// The same metric of another subject.
    Subject(String),
}

/// One claim, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The claim's id.
    pub id: String,
    /// Region, group, or "total".
    pub subject: String,
    /// First year.
    pub from: Period,
    /// Second year.
    pub to: Period,
    /// What is claimed.
    pub metric: Metric,
    /// How.
    pub op: Op,
    /// Against what.
    pub target: Target,
    /// How far off may still hold.
    pub tolerance: Option<Tolerance>,
    /// The claim's own words.
    pub quote: String,
    /// The bundled dataset it rests on, when the claims file says; else the data the
    /// command was given.
    pub dataset: Option<Dataset>,
}

#[derive(Debug, Deserialize)]
struct RawClaim {
    id: String,
    subject: String,
    from: String,
    to: String,
    metric: String,
    op: String,
    value: String,
    #[serde(default)]
    tolerance: String,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    dataset: String,
}

/// Reads a claims file (CSV: id, subject, from, to, metric, op, value, tolerance, quote).
/// The claims typed on the command line, each `SUBJECT METRIC FROM TO OP VALUE
/// [TOLERANCE [DATASET]]` ("Beijing change 2016 2017 = -22000"; a subject may be several
/// words), read by the claims file's own rule: each becomes a row of one.
pub fn parse_typed_claims(claims: &[String]) -> Result<Vec<Claim>> {
    let mut text = String::from("id,subject,from,to,metric,op,value,tolerance,quote,dataset\n");
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for (n, claim) in claims.iter().enumerate() {
        let words: Vec<&str> = claim.split_whitespace().collect();
        let (k, year_words) = typed_parts(claim, &words)?;
        // SUBJECT METRIC FROM TO, or SUBJECT population YEAR: one period.
        let (subject, metric, from, to) = match year_words {
            1 => (&words[..k - 2], words[k - 2], words[k - 1], words[k - 1]),
            _ => (&words[..k - 3], words[k - 3], words[k - 2], words[k - 1]),
        };
        let subject = subject.join(" ");
        let id = format!("claim {}", n + 1);
        let get = |i: usize| words.get(i).copied().unwrap_or("");
        let record = [
            id.as_str(),
            subject.as_str(),
            from,
            to,
            metric,
            words[k],
            words[k + 1],
            get(k + 2),
            claim.as_str(),
            get(k + 3),
        ];
        w.write_record(record).map_err(|source| Error::Csv {
            file: "--claim".to_owned(),
            source,
        })?;
    }
    let rows = w
        .into_inner()
        .map_err(|e| Error::Usage(format!("--claim: {e}")))?;
    text.push_str(&String::from_utf8_lossy(&rows));
    parse_claims("--claim", &text)
}

/// Where a typed claim's operator is, and how many years come before it (1: `SUBJECT
/// population YEAR`; 2: `SUBJECT METRIC FROM TO`); a refusal that says which part is wrong.
fn typed_parts(claim: &str, words: &[&str]) -> Result<(usize, usize)> {
    const FORM: &str = "a claim is SUBJECT METRIC FROM TO OP VALUE [TOLERANCE [DATASET]] \
                        (SUBJECT population YEAR OP VALUE for a population), e.g. --claim \
                        'Beijing change 2016 2017 = -22000'";
    let wrong = |what: String| Error::Usage(format!("--claim {claim:?}: {what}; {FORM}"));
    let Some(k) = words.iter().position(|w| Op::parse(w).is_some()) else {
        return Err(wrong("no operator (=, <, <=, > or >=)".to_owned()));
    };
    let is_year = |w: &str| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    let one_year =
        k >= 3 && Metric::parse(words[k - 2]) == Some(Metric::Population) && is_year(words[k - 1]);
    let year_words = if one_year { 1 } else { 2 };
    if k < 2 + year_words {
        return Err(wrong(format!(
            "before {} come the subject, the metric and the years; found {:?}",
            words[k],
            words[..k].join(" ")
        )));
    }
    if !one_year && Metric::parse(words[k - 3]).is_none() {
        return Err(wrong(format!(
            "{:?} is no metric (population, change, change_pct, natural_increase, \
             net_migration, ...), or the years are not the two words before {}",
            words[k - 3],
            words[k]
        )));
    }
    if words.len() == k + 1 {
        return Err(wrong(format!(
            "nothing after {}: the value, a number or another subject",
            words[k]
        )));
    }
    if words.len() > k + 4 {
        return Err(wrong(format!(
            "after the value come at most a tolerance and a dataset; found {:?}",
            words[k + 2..].join(" ")
        )));
    }
    Ok((k, year_words))
}

/// Reads a claims file's text, named `label` in messages.
pub fn parse_claims(label: &str, text: &str) -> Result<Vec<Claim>> {
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let mut claims = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|source| Error::Csv {
            file: label.to_owned(),
            source,
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let raw: RawClaim = rec.deserialize(None).map_err(|source| Error::Csv {
            file: label.to_owned(),
            source,
        })?;
        let bad = |column: &str, text: &str, problem: &str, hint: &str| {
            let at = Location::line(label, line, Some(column.to_owned()));
            Error::input(at, problem, text, hint)
        };
        let year = |column: &str, text: &str| {
            Period::parse(text).ok_or_else(|| {
                bad(
                    column,
                    text,
                    "not a year, nor a period",
                    "write a year (2017) or a period as the data names it (2023-07, 2023-Q1)",
                )
            })
        };
        let metric = Metric::parse(&raw.metric).ok_or_else(|| {
            bad(
                "metric",
                &raw.metric,
                "unknown metric",
                "use population, change, change_pct, natural_increase, net_migration, \
                 net_migration_per_1000, peak_year, years_down, longest_decline, \
                 decline_streak or cagr_pct",
            )
        })?;
        // A population is of one period: the one year given serves as both.
        let one = metric == Metric::Population;
        let (from, to) = match (raw.from.trim(), raw.to.trim()) {
            ("", t) if one && !t.is_empty() => (year("to", t)?, year("to", t)?),
            (f, "") if one && !f.is_empty() => (year("from", f)?, year("from", f)?),
            _ => (year("from", &raw.from)?, year("to", &raw.to)?),
        };
        let op = Op::parse(&raw.op)
            .ok_or_else(|| bad("op", &raw.op, "unknown operator", "use =, <, <=, > or >="))?;
        let value = raw.value.trim();
        if value.is_empty() {
            return Err(bad(
                "value",
                value,
                "no value",
                "give a number or another subject",
            ));
        }
        let target = match Decimal::parse(value) {
            Ok(d) => Target::Value(d),
            Err(_) if value.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') => {
                return Err(bad(
                    "value",
                    value,
                    "not a number",
                    "write a plain number such as -22000 or 0.5",
                ));
            }
            Err(_) => Target::Subject(value.to_owned()),
        };
        let tol = raw.tolerance.trim();
        let tolerance = if tol.is_empty() {
            None
        } else {
            let (num, percent) = match tol.strip_suffix('%') {
                Some(n) => (n, true),
                None => (tol, false),
            };
            let d = Decimal::parse(num)
                .ok()
                .filter(|d| d.mantissa >= 0)
                .ok_or_else(|| {
                    bad(
                        "tolerance",
                        tol,
                        "not a tolerance",
                        "write a non-negative number (in the metric's unit) or a percent such as 5%",
                    )
                })?;
            Some(if percent {
                Tolerance::Percent(d)
            } else {
                Tolerance::Absolute(d)
            })
        };
        let dataset = match raw.dataset.trim() {
            "" => None,
            name => Some(Dataset::named(name).ok_or_else(|| {
                let names: Vec<&str> = Dataset::ALL.iter().map(|d| d.name()).collect();
                bad(
                    "dataset",
                    name,
                    "no such bundled dataset",
                    &format!(
                        "use {}, or leave it empty for the data given",
                        names.join(", ")
                    ),
                )
            })?),
        };
        claims.push(Claim {
            id: raw.id.trim().to_owned(),
            subject: raw.subject.trim().to_owned(),
            from,
            to,
            metric,
            op,
            target,
            tolerance,
            quote: raw.quote,
            dataset,
        });
    }
    Ok(claims)
}

/// How a claim fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The data supports it.
    Holds,
    /// The data contradicts it, but by less than the precision of the figures: the data
    /// as published cannot tell.
    WithinPrecision,
    /// The verdict rests on figures below high confidence, and would change were they off
    /// by as much as their confidence allows.
    UnverifiedData,
    /// The data contradicts it.
    DoesNotHold,
    /// The data cannot say, and why.
    CannotCheck(String),
}

impl Verdict {
    /// The words for it.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::WithinPrecision => "within precision",
            Verdict::UnverifiedData => "unverified data",
            Verdict::DoesNotHold => "does not hold",
            Verdict::CannotCheck(_) => "cannot check",
        }
    }
}

/// A claim with what the data says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The claim.
    pub claim: Claim,
    /// The claimed figure: the value, or the other subject's computed figure.
    pub claimed: Option<Decimal>,
    /// The figure computed from the data.
    pub computed: Option<Decimal>,
    /// computed - claimed.
    pub difference: Option<Decimal>,
    /// ± on the difference from the precision of the figures (both sides' when the claim
    /// compares two subjects).
    pub bound: Option<Decimal>,
    /// How much further it may be off for figures below high confidence.
    pub slack: Option<Decimal>,
    /// The verdict.
    pub verdict: Verdict,
    /// The data it was checked against (a bundled dataset's name, or the files).
    pub dataset: String,
    /// What to know of how it was read: a total word taken as the data's own row.
    pub note: Option<String>,
}

/// What a claim's subject names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    /// The sum of the regions.
    Total,
    /// A group's row, by its place among the groups given.
    Group(usize),
    /// A region of the data, by index.
    Region(usize),
}

/// Reads a subject: `region:NAME` and `group:NAME` say which it is; a plain name that is
/// both a group and a region is refused naming both; a total word ("total", 全国) names
/// the data's own row of that name where it has one (a nation's row beside its provinces),
/// else the sum of the regions. `groups` are the groups' names.
fn named(subject: &str, groups: &[&str], panel: &Panel) -> std::result::Result<Named, String> {
    let subject = subject.trim();
    let group = |name: &str| {
        let lower = name.trim().to_lowercase();
        groups.iter().position(|g| g.to_lowercase() == lower)
    };
    let prefixed = |prefix: &str| {
        subject
            .get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .map(|_| subject[prefix.len()..].trim())
    };
    if let Some(name) = prefixed("region:") {
        return panel
            .find(name)
            .map(Named::Region)
            .ok_or_else(|| format!("no region {name:?} in the data"));
    }
    if let Some(name) = prefixed("group:") {
        return group(name)
            .map(Named::Group)
            .ok_or_else(|| format!("no group {name:?} in the data"));
    }
    let region = panel.find(subject);
    if compute::names_the_total(subject) {
        return Ok(region.map_or(Named::Total, Named::Region));
    }
    match (group(subject), region) {
        (Some(_), Some(r)) => Err(format!(
            "{subject:?} names both a group and a region ({}); say group:{subject} or \
             region:{subject}",
            panel.name(r)
        )),
        (Some(g), None) => Ok(Named::Group(g)),
        (None, Some(r)) => Ok(Named::Region(r)),
        (None, None) => Err(format!("no region or group {subject:?} in the data")),
    }
}

/// The groups' names of a comparison's sections, in order.
fn group_names<'a>(lines: impl Iterator<Item = Option<&'a str>>) -> Vec<&'a str> {
    lines.flatten().collect()
}

/// A subject's row in a comparison.
fn row<'p>(
    cmp: &Comparison<'p>,
    panel: &Panel,
    subject: &str,
) -> std::result::Result<Line<'p>, String> {
    let summaries: Vec<&Line<'p>> = cmp
        .sections
        .iter()
        .filter_map(|s| s.summary.as_ref())
        .collect();
    let groups = group_names(summaries.iter().map(|l| l.group));
    Ok(match named(subject, &groups, panel)? {
        Named::Total => cmp.total.clone(),
        Named::Group(g) => summaries[g].clone(),
        Named::Region(r) => cmp.region_line(r),
    })
}

/// A subject's row in a trend.
fn trend_row<'p>(
    t: &compute::trend::Trend<'p>,
    subject: &str,
) -> std::result::Result<compute::trend::TrendLine<'p>, String> {
    let summaries: Vec<_> = t
        .sections
        .iter()
        .filter_map(|s| s.summary.as_ref())
        .collect();
    let groups = group_names(summaries.iter().map(|l| l.group));
    Ok(match named(subject, &groups, t.panel)? {
        Named::Total => t.total.clone(),
        Named::Group(g) => summaries[g].clone(),
        Named::Region(r) => t.region_line(r),
    })
}

fn at_scale(d: Decimal, scale: u32) -> Option<i128> {
    d.numerator_at(scale)
}

/// The tolerance as a number in the metric's unit: a percent is of `|claimed|`.
fn tolerance_value(tol: Option<Tolerance>, claimed: Decimal) -> Option<Decimal> {
    Some(match tol {
        None => Decimal {
            mantissa: 0,
            scale: 0,
        },
        Some(Tolerance::Absolute(d)) => d,
        // p% of |claimed|: its scale is claimed's + p's + 2.
        Some(Tolerance::Percent(p)) => Decimal {
            mantissa: claimed.mantissa.abs().checked_mul(p.mantissa)?,
            scale: claimed.scale + p.scale + 2,
        },
    })
}

/// `a + b`, exactly.
fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let s = a.scale.max(b.scale);
    Some(Decimal {
        mantissa: at_scale(a, s)?.checked_add(at_scale(b, s)?)?,
        scale: s,
    })
}

/// Whether `computed op claimed` holds, within the tolerance, exactly.
#[cfg(test)]
fn holds(computed: Decimal, op: Op, claimed: Decimal, tol: Option<Tolerance>) -> Option<bool> {
    holds_within(computed, op, claimed, tolerance_value(tol, claimed)?)
}

/// Whether `computed op claimed` holds within `tol` (a number in the metric's unit).
fn holds_within(computed: Decimal, op: Op, claimed: Decimal, tol: Decimal) -> Option<bool> {
    let s = computed.scale.max(claimed.scale).max(tol.scale);
    let (c, v, t) = (
        at_scale(computed, s)?,
        at_scale(claimed, s)?,
        at_scale(tol, s)?,
    );
    // Checked: a sum past the integers held is "cannot be checked", never a wrapped verdict.
    Some(match op {
        Op::Eq => c.checked_sub(v)?.checked_abs()? <= t,
        Op::Lt => c < v.checked_add(t)?,
        Op::Le => c <= v.checked_add(t)?,
        Op::Gt => c > v.checked_sub(t)?,
        Op::Ge => c >= v.checked_sub(t)?,
    })
}

/// The verdict on `computed op claimed` within `tol`, for a computed value good to
/// `±bound`, that may be off by `slack` more for figures below high confidence.
///
/// A claim that fails at the value computed but holds somewhere within its bound is
/// within precision. Where the slack could turn "holds or within precision" into "does
/// not hold" or back, the data cannot decide: unverified data.
fn judge(
    computed: Decimal,
    op: Op,
    claimed: Decimal,
    tol: Decimal,
    bound: Decimal,
    slack: Decimal,
) -> Option<Verdict> {
    // The data says exactly what the claim says (a difference of 0, under =, <= or >=):
    // however far the data may be from the truth, the claim is the data's, and holds.
    if computed.checked_sub(claimed)?.mantissa == 0 && matches!(op, Op::Eq | Op::Le | Op::Ge) {
        return Some(Verdict::Holds);
    }
    let exact = holds_within(computed, op, claimed, tol)?;
    let loose = add(tol, bound)?;
    let consistent = |x: Decimal| holds_within(x, op, claimed, loose);
    let at_c = consistent(computed)?;
    if slack.mantissa > 0 {
        let low = computed.checked_sub(slack)?;
        let high = add(computed, slack)?;
        // The values consistent with the claim form one interval: a flip shows at an end,
        // or (for =) as the claimed value inside the slack.
        let inside = op == Op::Eq
            && holds_within(
                claimed,
                Op::Ge,
                low,
                Decimal {
                    mantissa: 0,
                    scale: 0,
                },
            )?
            && holds_within(
                claimed,
                Op::Le,
                high,
                Decimal {
                    mantissa: 0,
                    scale: 0,
                },
            )?;
        if consistent(low)? != at_c || consistent(high)? != at_c || (inside && !at_c) {
            return Some(Verdict::UnverifiedData);
        }
    }
    Some(if exact {
        Verdict::Holds
    } else if at_c {
        Verdict::WithinPrecision
    } else {
        Verdict::DoesNotHold
    })
}

/// What a claim is judged on: two years compared, or every year between them.
enum Basis<'p> {
    Compared(Comparison<'p>),
    Trend(Trend<'p>),
}

/// Checks every claim against the panel; comparisons and trends are computed once per
/// pair of years.
pub fn check(panel: &Panel, claims: &[Claim]) -> Vec<Checked> {
    // The panel as each claim's years settle it, where that differs (a whole compared
    // where its parts lack one of the years), as compare and trend read it.
    let mut settled: HashMap<(Period, Period, bool), Option<Panel>> = HashMap::new();
    for claim in claims {
        let is_trend = claim.metric.is_trend();
        settled
            .entry((claim.from, claim.to, is_trend))
            .or_insert_with(|| {
                let years = if is_trend {
                    trend::range(panel, Some(claim.from), Some(claim.to)).ok()?
                } else {
                    vec![claim.from, claim.to]
                };
                panel.settled_for(&years)
            });
    }
    let mut cache: HashMap<(Period, Period, bool), std::result::Result<Basis, String>> =
        HashMap::new();
    claims
        .iter()
        .map(|claim| {
            let cannot = |why: String| Checked {
                claim: claim.clone(),
                claimed: None,
                computed: None,
                difference: None,
                bound: None,
                slack: None,
                verdict: Verdict::CannotCheck(why),
                dataset: panel.info.dataset.clone(),
                note: None,
            };
            let is_trend = claim.metric.is_trend();
            let key = (claim.from, claim.to, is_trend);
            let panel = settled.get(&key).and_then(Option::as_ref).unwrap_or(panel);
            let basis = cache.entry(key).or_insert_with(|| {
                let basis = if is_trend {
                    trend::range(panel, Some(claim.from), Some(claim.to))
                        .and_then(|years| trend::trend(panel, years))
                        .map(Basis::Trend)
                } else if claim.from == claim.to && claim.metric == Metric::Population {
                    // A level in one year: the year compared with itself.
                    compute::compare(panel, claim.to, claim.to).map(Basis::Compared)
                } else {
                    compute::resolve_years(panel, Some(claim.from), Some(claim.to), None)
                        .and_then(|(f, t)| compute::compare(panel, f, t))
                        .map(Basis::Compared)
                };
                basis.map_err(|e| e.to_string())
            });
            let basis: &Basis = match basis {
                Ok(b) => b,
                Err(e) => return cannot(e.clone()),
            };
            let zero = Decimal {
                mantissa: 0,
                scale: 0,
            };
            // A subject's value, with its precision and slack.
            type Valued = (Decimal, Decimal, Decimal);
            let value = |subject: &str| -> std::result::Result<Valued, String> {
                let got = match basis {
                    Basis::Compared(cmp) => {
                        let line = row(cmp, panel, subject)?;
                        let (bound, slack) = claim.metric.bounds(&line);
                        claim.metric.of(&line).map(|v| (v, bound, slack))
                    }
                    Basis::Trend(t) => {
                        let line = trend_row(t, subject)?;
                        claim.metric.of_trend(&line).map(|v| (v, zero, zero))
                    }
                };
                got.map_err(|why| format!("{subject}: {why}"))
            };
            let (computed, bound, slack) = match value(&claim.subject) {
                Ok(v) => v,
                Err(why) => return cannot(why),
            };
            let (claimed, other_bound, other_slack) = match &claim.target {
                Target::Value(d) => (*d, zero, zero),
                Target::Subject(other) => match value(other) {
                    Ok(v) => v,
                    Err(why) => return cannot(why),
                },
            };
            let verdict = (|| {
                let bound = add(bound, other_bound)?;
                let slack = add(slack, other_slack)?;
                let tol = tolerance_value(claim.tolerance, claimed)?;
                let verdict = judge(computed, claim.op, claimed, tol, bound, slack)?;
                Some((verdict, bound, slack))
            })();
            let Some((verdict, bound, slack)) = verdict else {
                return cannot("the figures are too large to compare exactly".into());
            };
            Checked {
                claim: claim.clone(),
                claimed: Some(claimed),
                computed: Some(computed),
                difference: computed.checked_sub(claimed),
                bound: Some(bound),
                slack: Some(slack),
                verdict,
                dataset: panel.info.dataset.clone(),
                note: own_total_note(claim, panel),
            }
        })
        .collect()
}

/// Where a claim's subject (or the subject it is compared with) is a total word that names
/// a row of the data (全国 beside the provinces): that the row was taken, not the sum.
fn own_total_note(claim: &Claim, panel: &Panel) -> Option<String> {
    let other = match &claim.target {
        Target::Subject(s) => Some(s.as_str()),
        Target::Value(_) => None,
    };
    std::iter::once(claim.subject.as_str())
        .chain(other)
        .find(|s| compute::names_the_total(s) && panel.find(s).is_some())
        .map(|s| format!("{s} is the data's own row of that name, not the sum of its regions"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn each_operator_with_and_without_tolerance() {
        assert_eq!(holds(d("-22000"), Op::Eq, d("-22000"), None), Some(true));
        assert_eq!(holds(d("-52500"), Op::Eq, d("-55000"), None), Some(false));
        let abs = Some(Tolerance::Absolute(d("2500")));
        assert_eq!(holds(d("-52500"), Op::Eq, d("-55000"), abs), Some(true));
        let pct = Some(Tolerance::Percent(d("5")));
        assert_eq!(holds(d("-52500"), Op::Eq, d("-55000"), pct), Some(true)); // 2,750 allowed
        let pct = Some(Tolerance::Percent(d("4.5")));
        assert_eq!(holds(d("-52500"), Op::Eq, d("-55000"), pct), Some(false)); // 2,475 allowed
        assert_eq!(holds(d("-69757"), Op::Lt, d("-70000"), None), Some(false));
        assert_eq!(holds(d("-69757"), Op::Lt, d("-70000"), abs), Some(true));
        assert_eq!(holds(d("-1.736"), Op::Lt, d("1.366"), None), Some(true));
        assert_eq!(holds(d("5"), Op::Le, d("5"), None), Some(true));
        assert_eq!(holds(d("5"), Op::Lt, d("5"), None), Some(false));
        assert_eq!(holds(d("5"), Op::Gt, d("5"), None), Some(false));
        assert_eq!(holds(d("5"), Op::Ge, d("5"), None), Some(true));
        assert_eq!(holds(d("0.101"), Op::Gt, d("0.1"), None), Some(true));
    }

    #[test]
    fn verdicts_within_precision_and_on_unverified_data() {
        let z = d("0");
        let v = |c, op, claimed, tol, bound, slack| {
            judge(d(c), op, d(claimed), d(tol), d(bound), d(slack)).unwrap()
        };
        assert_eq!(
            v("-69757", Op::Lt, "-70000", "0", "1219", "0"),
            Verdict::WithinPrecision
        );
        assert_eq!(
            v("-69757", Op::Lt, "-70000", "0", "200", "0"),
            Verdict::DoesNotHold
        );
        assert_eq!(
            v("-22000", Op::Eq, "-22000", "0", "1000", "0"),
            Verdict::Holds
        );
        // An exact claim that holds stays consistent within a slack no wider than its bound.
        assert_eq!(
            v("-156000", Op::Eq, "-156000", "0", "100", "100"),
            Verdict::Holds
        );
        // A claim the data states exactly holds, whatever the slack (it was "unverified
        // data" past the bound).
        assert_eq!(
            v("-156000", Op::Eq, "-156000", "0", "100", "101"),
            Verdict::Holds
        );
        assert_eq!(
            v("21707000", Op::Ge, "21707000", "0", "0", "100000"),
            Verdict::Holds
        );
        assert_eq!(
            v("2170.7", Op::Eq, "2170.70", "0", "0", "1"),
            Verdict::Holds
        );
        assert_eq!(
            v("21707000", Op::Gt, "21707000", "0", "0", "100000"),
            Verdict::UnverifiedData
        );
        // The claimed value inside the slack, both ends outside it: unverified.
        assert_eq!(
            v("0", Op::Eq, "500", "0", "10", "1000"),
            Verdict::UnverifiedData
        );
        assert_eq!(
            v("0", Op::Eq, "5000", "0", "10", "1000"),
            Verdict::DoesNotHold
        );
        assert_eq!(
            v("66100", Op::Gt, "65000", "0", "100", "10000"),
            Verdict::UnverifiedData
        );
        assert_eq!(v("66100", Op::Gt, "0", "0", "100", "10000"), Verdict::Holds);
        assert_eq!(judge(d("1"), Op::Ge, d("1"), z, z, z), Some(Verdict::Holds));
    }

    #[test]
    fn a_tolerance_past_the_integers_held_cannot_be_checked_never_wraps() {
        // 30-digit value and tolerance at 8 decimals: their sum overflows 128 bits.
        let big = d("999999999999999999999.99999999");
        let tol = Some(Tolerance::Absolute(d("999999999999999999999.99999999")));
        let big = Decimal {
            mantissa: big.mantissa * 1_000_000_000,
            scale: big.scale + 9,
        };
        assert_eq!(holds(d("1"), Op::Lt, big, tol), None);
        // 1 > value - tolerance = 0: true, and computed without overflow.
        assert_eq!(holds(d("1"), Op::Gt, big, tol), Some(true));
        assert_eq!(
            holds(d("-99999999999999999999999999999"), Op::Eq, big, None),
            None
        );
    }

    #[test]
    fn malformed_claims_name_line_and_column() {
        let text = "id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,change,~,5,,\n";
        let e = parse_claims("c.csv", text).unwrap_err().to_string();
        assert_eq!(
            e,
            "c.csv:2:op: unknown operator (found \"~\"); use =, <, <=, > or >="
        );
        let text = "id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,growth,=,5,,\n";
        let e = parse_claims("c.csv", text).unwrap_err().to_string();
        assert!(
            e.starts_with("c.csv:2:metric: unknown metric (found \"growth\")"),
            "{e}"
        );
        let text = "id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,change,=,5,x%,\n";
        let e = parse_claims("c.csv", text).unwrap_err().to_string();
        assert!(
            e.starts_with("c.csv:2:tolerance: not a tolerance (found \"x%\")"),
            "{e}"
        );
    }
}
