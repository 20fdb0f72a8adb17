//! One cell of a data row, read the one way both readers read it: populations (digits,
//! separators, units, missing markers, fractions), rates, years, region keys, `--where`
//! matches, and how many fields a row may have.
//!
//! The ordinary reader turns a [`CellError`] into a message with the line and column; the
//! fast path gives the file to the ordinary reader instead.

use crate::load::cube::Figure;
use crate::number::{self, Decimal, Fractions, NumberError, Unit};
use crate::period::Period;

/// Why a cell could not be read as what its column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellError {
    /// The bytes are not UTF-8.
    NotText,
    /// The text is not a figure of the kind the column holds.
    Number(NumberError),
    /// The text is not a year.
    NotAYear,
}

/// A population read from a cell: whole persons, and whether it was rounded to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persons {
    /// Whole persons.
    pub value: i64,
    /// Whether the figure had a fraction of a person, rounded away (as by default).
    pub rounded: bool,
}

/// Plain digits, the common case, read without text handling: `None` for anything else
/// (and for 19 digits or more, which may not fit).
#[inline]
fn plain_digits(raw: &[u8]) -> Option<i64> {
    if raw.is_empty() || raw.len() >= 19 {
        return None;
    }
    let mut n = 0i64;
    for &b in raw {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + i64::from(d);
    }
    Some(n)
}

/// How a file writes the parts of its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decimals {
    /// 1,234,567.8: a point before decimals, commas between thousands.
    #[default]
    Point,
    /// 1.234.567,8: a comma before decimals, points between thousands (German, French).
    Comma,
}

impl Decimals {
    /// The text as the number parser reads it (1,234,567.8).
    fn standard(self, text: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Decimals::Comma if text.contains(['.', ',']) => text
                .chars()
                .map(|c| match c {
                    '.' => ',',
                    ',' => '.',
                    c => c,
                })
                .collect::<String>()
                .into(),
            _ => text.into(),
        }
    }
}

/// A population cell in `unit`: `None` when it is empty or a missing marker ("NA", "..").
#[inline]
pub fn population(
    raw: &[u8],
    unit: Unit,
    fractions: Fractions,
    decimals: Decimals,
) -> Result<Option<Persons>, CellError> {
    if let Some(n) = plain_digits(raw) {
        let value = match unit {
            Unit::Persons => Some(n),
            u => i64::try_from(u.factor())
                .ok()
                .and_then(|f| n.checked_mul(f)),
        };
        return match value {
            Some(value) => Ok(Some(Persons {
                value,
                rounded: false,
            })),
            None => Err(CellError::Number(NumberError::TooLarge)),
        };
    }
    let text = std::str::from_utf8(raw).map_err(|_| CellError::NotText)?;
    let text = &*decimals.standard(text);
    let read = match fractions {
        Fractions::Error => number::parse_population(text, unit).map(|v| v.map(|n| (n, false))),
        Fractions::Round => number::parse_population_rounding(text, unit),
    };
    match read {
        Ok(v) => Ok(v.map(|(value, rounded)| Persons { value, rounded })),
        Err(e) => Err(CellError::Number(e)),
    }
}

/// A figure of a population column in `unit`, exactly as written, scaled by its unit
/// (2170.7 in 10,000 persons is 21707 × 10^3): `None` when it is empty or a missing marker.
/// A trailing 万 or 万人 means ten thousands, whatever `unit` says. Whether it comes to
/// whole persons, or is a value of another unit, is the slice's to say.
#[inline]
pub fn figure(raw: &[u8], unit: Unit, decimals: Decimals) -> Result<Option<Figure>, CellError> {
    let exp = crate::load::slice::unit_exp(unit);
    if let Some(n) = plain_digits(raw) {
        return Ok(Some(Figure { mantissa: n, exp }));
    }
    let text = std::str::from_utf8(raw).map_err(|_| CellError::NotText)?;
    if number::is_missing(text) {
        return Ok(None);
    }
    let text = &*decimals.standard(text);
    let t = text.trim();
    let (t, exp, unit) = match t.strip_suffix("万人").or_else(|| t.strip_suffix('万')) {
        Some(rest) => (rest, 4, Unit::TenThousand),
        None => (t, exp, unit),
    };
    // In persons, "12.000" is twelve thousand in many tables, twelve in others: refused.
    if unit == Unit::Persons && number::is_point_grouped(t) {
        return Err(CellError::Number(NumberError::PointGrouped));
    }
    let d = Decimal::parse(t).map_err(CellError::Number)?;
    Figure::from_decimal(d)
        .and_then(|f| f.scaled(exp))
        .map(Some)
        .ok_or(CellError::Number(NumberError::TooLarge))
}

/// A signed count of persons (net migration), read as [`population`] reads its digits:
/// `None` when empty or a missing marker.
pub fn signed_count(
    raw: &[u8],
    unit: Unit,
    fractions: Fractions,
    decimals: Decimals,
) -> Result<Option<Persons>, CellError> {
    let trimmed = raw.trim_ascii();
    // A lone "-" is a missing marker, not a sign.
    match trimmed.strip_prefix(b"-") {
        Some(rest) if !rest.is_empty() => Ok(population(rest, unit, fractions, decimals)?.map(
            |p| Persons {
                value: -p.value,
                rounded: p.rounded,
            },
        )),
        _ => population(trimmed, unit, fractions, decimals),
    }
}

/// A rate cell (per mille, signed decimal): `None` when it is empty or a missing marker.
pub fn rate(raw: &[u8], decimals: Decimals) -> Result<Option<Decimal>, CellError> {
    let text = std::str::from_utf8(raw).map_err(|_| CellError::NotText)?;
    number::parse_rate(&decimals.standard(text)).map_err(CellError::Number)
}

/// A period cell ("2017", "2017年", "2023-07", "2023Q1", "31.12.2017"): `None` when it is
/// empty or a missing marker.
pub fn period(raw: &[u8]) -> Result<Option<Period>, CellError> {
    if let Some(y) = plain_year(raw) {
        return Ok(Some(Period::year(y)));
    }
    let text = std::str::from_utf8(raw).map_err(|_| CellError::NotText)?;
    if number::is_missing(text) {
        return Ok(None);
    }
    Period::parse(text).map(Some).ok_or(CellError::NotAYear)
}

/// Four digits, the commonest period cell, read at once (the fast path reads no other).
#[inline]
pub fn plain_year(raw: &[u8]) -> Option<i32> {
    if let [a, b, c, d] = raw
        && raw.iter().all(u8::is_ascii_digit)
    {
        let digits = [a, b, c, d];
        let y = digits
            .iter()
            .fold(0i32, |y, &&x| y * 10 + i32::from(x - b'0'));
        return crate::period::PLAUSIBLE_YEARS.contains(&y).then_some(y);
    }
    None
}

/// A region's (or group's) key: the cell without the spaces around it.
#[inline]
pub fn key(raw: &[u8]) -> &[u8] {
    raw.trim_ascii()
}

/// Whether a row of `fields` fields fits a header of `columns`: as many, or one more that
/// is empty (a trailing comma; `last_empty` says whether the last field is empty).
#[inline]
pub fn row_fits(fields: usize, columns: usize, last_empty: bool) -> bool {
    fields == columns || (fields == columns + 1 && last_empty)
}

/// Whether a cell matches a `--where` value: equal text, or equal whole numbers ("040" = "40").
pub fn matches(cell: &[u8], want: &str) -> bool {
    let cell = key(cell);
    // A trailing `*` matches any cell that begins so (`KU*`: Finland's municipalities).
    if let Some(prefix) = want.strip_suffix('*') {
        return cell.starts_with(prefix.as_bytes());
    }
    let want = want.as_bytes();
    if cell == want {
        return true;
    }
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let unpadded = |s: &[u8]| -> usize { s.iter().take_while(|&&b| b == b'0').count() };
    digits(cell) && digits(want) && cell[unpadded(cell)..] == want[unpadded(want)..]
}

/// A `--where` filter: rows whose column equals one of the values (`COL=A|B`), or none of
/// them (`COL!=A|B`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The column, by header name.
    pub column: String,
    /// The values, any of which matches.
    pub values: Vec<String>,
    /// Keep the rows that match (`=`), or those that do not (`!=`).
    pub keep: bool,
}

impl Filter {
    /// Parses `COL=V`, `COL=V1|V2`, `COL!=V` or `COL!=V1|V2`.
    pub fn parse(text: &str) -> Result<Filter, String> {
        let (column, values, keep) = match text.split_once("!=") {
            Some((c, v)) => (c, v, false),
            None => match text.split_once('=') {
                Some((c, v)) => (c, v, true),
                None => return Err(format!("expected COL=VALUE or COL!=VALUE, found {text:?}")),
            },
        };
        if column.trim().is_empty() {
            return Err(format!("no column before the = in {text:?}"));
        }
        Ok(Filter {
            column: column.trim().to_owned(),
            values: values.split('|').map(|v| v.trim().to_owned()).collect(),
            keep,
        })
    }

    /// Whether a row whose column holds `cell` is kept.
    pub fn keeps(&self, cell: &[u8]) -> bool {
        self.values.iter().any(|v| matches(cell, v)) == self.keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn persons(raw: &str, unit: Unit) -> Result<Option<i64>, CellError> {
        population(raw.as_bytes(), unit, Fractions::Error, Decimals::Point)
            .map(|p| p.map(|p| p.value))
    }

    #[test]
    fn populations_read_the_same_by_digits_or_by_text() {
        assert_eq!(persons("21707000", Unit::Persons), Ok(Some(21_707_000)));
        assert_eq!(persons("21,707,000", Unit::Persons), Ok(Some(21_707_000)));
        assert_eq!(persons("2170", Unit::TenThousand), Ok(Some(21_700_000)));
        assert_eq!(persons("2170.7", Unit::TenThousand), Ok(Some(21_707_000)));
        assert_eq!(persons("", Unit::Persons), Ok(None));
        assert_eq!(persons("NA", Unit::Persons), Ok(None));
        assert_eq!(
            persons("1,2", Unit::Persons),
            Err(CellError::Number(NumberError::BadSeparators))
        );
        assert_eq!(
            persons("999999999999999999", Unit::Million),
            Err(CellError::Number(NumberError::TooLarge))
        );
        assert_eq!(persons("\u{FF}", Unit::Persons).ok(), None);
        assert_eq!(
            population(b"\xFF", Unit::Persons, Fractions::Error, Decimals::Point),
            Err(CellError::NotText)
        );
        let p = population(b"10.5", Unit::Persons, Fractions::Round, Decimals::Point).unwrap();
        assert_eq!(
            p,
            Some(Persons {
                value: 11,
                rounded: true
            })
        );
    }

    #[test]
    fn where_filters_keep_one_of_several_values_or_none_of_them() {
        let f = Filter::parse("SUMLEV=40|50").unwrap();
        assert!(f.keeps(b"040") && f.keeps(b"50") && !f.keeps(b"10"));
        let f = Filter::parse("Type != Country").unwrap();
        assert_eq!(f.column, "Type");
        assert!(!f.keeps(b"Country") && f.keeps(b"Region"));
        assert!(Filter::parse("=5").is_err());
        assert!(Filter::parse("nothing").is_err());
    }

    #[test]
    fn decimal_commas_read_as_their_files_write_them() {
        let comma = |t: &str, unit| {
            population(t.as_bytes(), unit, Fractions::Error, Decimals::Comma)
                .map(|p| p.map(|p| p.value))
        };
        assert_eq!(comma("1.234.567", Unit::Persons), Ok(Some(1_234_567)));
        assert_eq!(comma("12.000", Unit::Persons), Ok(Some(12_000)));
        assert_eq!(comma("2170,7", Unit::TenThousand), Ok(Some(21_707_000)));
        assert_eq!(
            comma("1.23", Unit::Persons),
            Err(CellError::Number(NumberError::BadSeparators))
        );
        assert_eq!(
            rate(b"-0,44", Decimals::Comma).map(|r| r.map(|d| d.to_string())),
            Ok(Some("-0.44".into()))
        );
    }

    #[test]
    fn years_and_where_matches() {
        assert_eq!(period(b"2017"), Ok(Some(Period::year(2017))));
        assert_eq!(period(" 2017年".as_bytes()), Ok(Some(Period::year(2017))));
        assert_eq!(
            period(b"2023-07").map(|p| p.map(|p| p.to_string())),
            Ok(Some("2023-07".into()))
        );
        assert_eq!(period(b""), Ok(None));
        assert_eq!(period(b"201"), Err(CellError::NotAYear));
        assert_eq!(plain_year(b"2017"), Some(2017));
        assert_eq!(plain_year(b"6000"), None);
        assert!(matches(b"040", "40"));
        assert!(matches(b" 050 ", "050"));
        assert!(!matches(b"040", "4"));
        assert!(matches(b"Texas", "Texas"));
        assert!(!matches(b"texas", "Texas"));
        assert!(matches(b"0", "00"));
        assert!(row_fits(3, 3, false));
        assert!(row_fits(4, 3, true));
        assert!(!row_fits(4, 3, false));
        assert!(!row_fits(2, 3, true));
    }
}
