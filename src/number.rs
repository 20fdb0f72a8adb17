//! Exact decimal numbers: parsing population and rate text, unit conversion, rounding.
//!
//! Nothing here uses floating point: a population goes from its text to whole persons
//! through integer arithmetic only, and a value that does not come to whole persons is
//! refused rather than rounded.

use std::fmt;

/// Most significant digits accepted in one value; keeps every product inside `i128`.
const MAX_DIGITS: usize = 30;

/// The unit the input values are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Unit {
    /// Whole persons.
    #[default]
    Persons,
    /// Thousands of persons.
    Thousand,
    /// Ten thousands of persons (万人), the unit of Chinese statistical yearbooks.
    #[value(name = "10k")]
    TenThousand,
    /// Millions of persons.
    Million,
}

impl Unit {
    /// Persons in one unit.
    pub fn factor(self) -> i128 {
        match self {
            Unit::Persons => 1,
            Unit::Thousand => 1_000,
            Unit::TenThousand => 10_000,
            Unit::Million => 1_000_000,
        }
    }

    /// The unit in words, as in "values in 10,000 persons".
    pub fn describe(self) -> &'static str {
        match self {
            Unit::Persons => "persons",
            Unit::Thousand => "thousands of persons",
            Unit::TenThousand => "10,000 persons",
            Unit::Million => "millions of persons",
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Persons => "persons",
            Unit::Thousand => "thousand",
            Unit::TenThousand => "10k",
            Unit::Million => "million",
        }
    }
}

/// What to do with a figure that is not a whole number of persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Fractions {
    /// Round it half away from zero and list it in the notes (statistical offices publish
    /// aggregates and estimates with fractions of a person).
    #[default]
    Round,
    /// Refuse it with an error naming the figure.
    Error,
}

/// A decimal number held exactly: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// The digits as an integer, with the sign.
    pub mantissa: i128,
    /// How many of the digits are after the decimal point.
    pub scale: u32,
}

/// Why a piece of text is not an acceptable number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not a number at all.
    #[error("not a number")]
    NotANumber,
    /// Thousands separators that do not group by three, such as "1,2".
    #[error("thousands separators must group digits by three, as in 1,234,567")]
    BadSeparators,
    /// A negative population.
    #[error("a population cannot be negative")]
    Negative,
    /// A value that is not a whole number of persons in the given unit.
    #[error("not a whole number of persons")]
    NotWhole(String),
    /// Too many digits, or a value beyond the range of whole persons held.
    #[error("the number is too large")]
    TooLarge,
    /// Digits grouped by three after points ("12.000"), which many tables write for
    /// twelve thousand: read as a decimal it would be twelve.
    #[error("a point before three digits may be a thousands separator")]
    PointGrouped,
}

impl Decimal {
    /// Parses plain decimal text: optional sign, digits with optional valid thousands
    /// separators, optional fraction. Surrounding spaces are ignored.
    pub fn parse(text: &str) -> Result<Decimal, NumberError> {
        let t = text.trim();
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
            return Err(NumberError::NotANumber);
        }
        let int_digits = if int_part.contains(',') {
            grouped_digits(int_part)?
        } else {
            int_part.to_owned()
        };
        let frac = frac_part.unwrap_or("");
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(&int_digits) || !all_digits(frac) {
            return Err(NumberError::NotANumber);
        }
        // Trailing zeros of the fraction carry no value: "2170.70" is 2170.7.
        let frac = frac.trim_end_matches('0');
        let digits = format!("{int_digits}{frac}");
        let significant = digits.trim_start_matches('0');
        if significant.len() > MAX_DIGITS {
            return Err(NumberError::TooLarge);
        }
        let mut mantissa: i128 = 0;
        for b in significant.bytes() {
            mantissa = mantissa * 10 + i128::from(b - b'0');
        }
        Ok(Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            scale: u32::try_from(frac.len()).map_err(|_| NumberError::TooLarge)?,
        })
    }

    /// This value, read in `unit`, as whole persons; an error unless exact.
    pub fn to_persons(self, unit: Unit) -> Result<i64, NumberError> {
        let scaled = self
            .mantissa
            .checked_mul(unit.factor())
            .ok_or(NumberError::TooLarge)?;
        let divisor = pow10(self.scale).ok_or(NumberError::TooLarge)?;
        if scaled % divisor != 0 {
            return Err(NumberError::NotWhole(self.to_string()));
        }
        i64::try_from(scaled / divisor).map_err(|_| NumberError::TooLarge)
    }

    /// This value, read in `unit`, as whole persons rounded half away from zero; the flag
    /// says whether it had to be rounded.
    pub fn to_persons_rounding(self, unit: Unit) -> Result<(i64, bool), NumberError> {
        match self.to_persons(unit) {
            Ok(n) => Ok((n, false)),
            Err(NumberError::NotWhole(_)) => {
                let num = self
                    .mantissa
                    .checked_mul(unit.factor())
                    .ok_or(NumberError::TooLarge)?;
                let den = pow10(self.scale).ok_or(NumberError::TooLarge)?;
                let n = div_round(num, den).ok_or(NumberError::TooLarge)?;
                Ok((i64::try_from(n).map_err(|_| NumberError::TooLarge)?, true))
            }
            Err(e) => Err(e),
        }
    }

    /// The numerator of this value over the denominator `10^scale` (scale >= self.scale).
    pub fn numerator_at(self, scale: u32) -> Option<i128> {
        let shift = scale.checked_sub(self.scale)?;
        self.mantissa.checked_mul(pow10(shift)?)
    }

    /// Exact difference of two decimals.
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let m = self
            .numerator_at(scale)?
            .checked_sub(other.numerator_at(scale)?)?;
        Some(Decimal { mantissa: m, scale })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let abs = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{abs}");
        }
        let padded = format!("{abs:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// Digits of an integer part written with thousands separators, checked to group by three.
fn grouped_digits(int_part: &str) -> Result<String, NumberError> {
    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or("");
    // "0,100" or "001,000": no one writes a thousands group after a leading zero.
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return Err(NumberError::BadSeparators);
    }
    let mut out = first.to_owned();
    for g in groups {
        if g.len() != 3 {
            return Err(NumberError::BadSeparators);
        }
        out.push_str(g);
    }
    Ok(out)
}

/// `10^exp` if it fits in an `i128`.
pub fn pow10(exp: u32) -> Option<i128> {
    10i128.checked_pow(exp)
}

/// Whether text is digits grouped by three after points, as "12.000" or "1.234.567".
pub fn is_point_grouped(text: &str) -> bool {
    point_grouped(text)
}

fn point_grouped(text: &str) -> bool {
    let mut groups = text.split('.');
    let first = groups.next().unwrap_or("");
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    (1..=3).contains(&first.len())
        && digits(first)
        && rest.peek().is_some()
        && rest.all(|g| g.len() == 3 && digits(g))
}

/// Whether a cell means "no value": empty, "NA", "..", "-" and similar markers.
pub fn is_missing(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_uppercase().as_str(),
        "" | "NA" | "N/A" | "." | ".." | "..." | "…" | "-" | "--" | "—" | "NULL" | "NAN" | "NONE"
    )
}

/// Parses a population cell: `None` for a missing marker, whole persons otherwise.
///
/// A trailing 万 or 万人 means ten thousands, whatever `unit` says.
///
/// ```
/// use popdelta::number::{parse_population, NumberError, Unit};
///
/// assert_eq!(parse_population("2170.7", Unit::TenThousand), Ok(Some(21_707_000)));
/// assert_eq!(parse_population("2170.7万", Unit::Persons), Ok(Some(21_707_000)));
/// assert_eq!(parse_population("21,707,000", Unit::Persons), Ok(Some(21_707_000)));
/// assert_eq!(parse_population("NA", Unit::Persons), Ok(None));
/// assert_eq!(parse_population("1,2", Unit::Persons), Err(NumberError::BadSeparators));
/// ```
pub fn parse_population(text: &str, unit: Unit) -> Result<Option<i64>, NumberError> {
    if is_missing(text) {
        return Ok(None);
    }
    let t = text.trim();
    let (t, unit) = match t.strip_suffix("万人").or_else(|| t.strip_suffix('万')) {
        Some(rest) => (rest, Unit::TenThousand),
        None => (t, unit),
    };
    // In persons, "12.000" is twelve thousand in many tables, twelve in others: refused.
    if unit == Unit::Persons && point_grouped(t) {
        return Err(NumberError::PointGrouped);
    }
    let d = Decimal::parse(t)?;
    if d.mantissa < 0 {
        return Err(NumberError::Negative);
    }
    d.to_persons(unit).map(Some)
}

/// Like [`parse_population`], but a value that is not whole persons is rounded (half away
/// from zero) instead of refused; the flag says whether it was.
pub fn parse_population_rounding(
    text: &str,
    unit: Unit,
) -> Result<Option<(i64, bool)>, NumberError> {
    match parse_population(text, unit) {
        Ok(v) => Ok(v.map(|n| (n, false))),
        Err(NumberError::NotWhole(_)) => {
            let t = text.trim();
            let (t, unit) = match t.strip_suffix("万人").or_else(|| t.strip_suffix('万')) {
                Some(rest) => (rest, Unit::TenThousand),
                None => (t, unit),
            };
            let d = Decimal::parse(t)?;
            let num = d
                .mantissa
                .checked_mul(unit.factor())
                .ok_or(NumberError::TooLarge)?;
            let den = pow10(d.scale).ok_or(NumberError::TooLarge)?;
            let n = div_round(num, den).ok_or(NumberError::TooLarge)?;
            let n = i64::try_from(n).map_err(|_| NumberError::TooLarge)?;
            Ok(Some((n, true)))
        }
        Err(e) => Err(e),
    }
}

/// Parses a rate cell (per mille, may be negative): `None` for a missing marker.
pub fn parse_rate(text: &str) -> Result<Option<Decimal>, NumberError> {
    if is_missing(text) {
        return Ok(None);
    }
    let t = text.trim();
    let t = t.strip_suffix('‰').unwrap_or(t);
    Decimal::parse(t).map(Some)
}

/// `num / den` rounded to the nearest integer, halves away from zero; `None` if `den` is 0.
pub fn div_round(num: i128, den: i128) -> Option<i128> {
    if den == 0 {
        return None;
    }
    // Most figures fit 64 bits, whose division is several times faster than 128-bit.
    if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den))
        && n != i64::MIN
        && d != i64::MIN
    {
        let (q, r) = (n / d, n % d);
        return Some(i128::from(if r.unsigned_abs() * 2 >= d.unsigned_abs() {
            if (n < 0) == (d < 0) { q + 1 } else { q - 1 }
        } else {
            q
        }));
    }
    let (q, r) = (num / den, num % den);
    // |2r| >= |den| means the remainder is at least half: step away from zero.
    if r.unsigned_abs() * 2 >= den.unsigned_abs() {
        let away = if (num < 0) == (den < 0) { 1 } else { -1 };
        Some(q + away)
    } else {
        Some(q)
    }
}

/// A ratio rounded to thousandths, held as an integer count of thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Milli(pub i128);

impl Milli {
    /// `num / den` in thousandths, rounded half away from zero; `None` if `den` is 0.
    pub fn ratio(num: i128, den: i128) -> Option<Milli> {
        div_round(num.checked_mul(1000)?, den).map(Milli)
    }
}

impl fmt::Display for Milli {
    /// Three decimals with `.` as decimal point, as in `-0.101`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:03}", abs / 1000, abs % 1000)
    }
}

/// An integer with `,` thousands separators, as in `-21,707,000`.
pub fn with_separators(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Like [`with_separators`] but with an explicit `+` on positive values.
pub fn signed_with_separators(n: i128) -> String {
    if n > 0 {
        format!("+{}", with_separators(n))
    } else {
        with_separators(n)
    }
}

/// `n / 10^scale` as plain decimal text, as in `-0.041` (`n` = -41, `scale` = 3).
pub fn scaled(n: i128, scale: u32) -> String {
    if scale == 0 {
        return n.to_string();
    }
    Decimal { mantissa: n, scale }.to_string()
}

/// `n / 10^scale` with `,` thousands separators, as in `1,234.567`.
pub fn scaled_with_separators(n: i128, scale: u32) -> String {
    let Some(div) = pow10(scale).filter(|_| scale > 0) else {
        return with_separators(n);
    };
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    let div = div.unsigned_abs();
    let int = with_separators(i128::try_from(abs / div).unwrap_or(i128::MAX));
    let frac = abs % div;
    format!("{sign}{int}.{frac:0width$}", width = scale as usize)
}

/// Like [`scaled_with_separators`] but with an explicit `+` on positive values.
pub fn signed_scaled_with_separators(n: i128, scale: u32) -> String {
    if n > 0 {
        format!("+{}", scaled_with_separators(n, scale))
    } else {
        scaled_with_separators(n, scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_of_other_units_print_with_their_decimals() {
        assert_eq!(scaled(-41, 3), "-0.041");
        assert_eq!(scaled(5504, 3), "5.504");
        assert_eq!(scaled(12, 0), "12");
        assert_eq!(scaled_with_separators(1_234_567, 3), "1,234.567");
        assert_eq!(scaled_with_separators(-5, 2), "-0.05");
        assert_eq!(signed_scaled_with_separators(41, 3), "+0.041");
        assert_eq!(signed_scaled_with_separators(-1_000_000, 0), "-1,000,000");
    }

    #[test]
    fn points_grouping_by_three_and_leading_zero_groups_are_refused() {
        for text in ["12.000", "1.234", "1.234.567", "999.000"] {
            assert_eq!(
                parse_population(text, Unit::Persons),
                Err(NumberError::PointGrouped),
                "{text}"
            );
            assert_eq!(
                parse_population_rounding(text, Unit::Persons),
                Err(NumberError::PointGrouped),
                "{text}"
            );
        }
        // Not three digits after the point, or another unit: plain decimals.
        assert_eq!(parse_population("12.0", Unit::Persons), Ok(Some(12)));
        assert_eq!(parse_population("1234.000", Unit::Persons), Ok(Some(1234)));
        assert_eq!(parse_population("12.000", Unit::Thousand), Ok(Some(12_000)));
        for text in ["0,100", "001,000", "00,123"] {
            assert_eq!(
                parse_population(text, Unit::Persons),
                Err(NumberError::BadSeparators),
                "{text}"
            );
        }
        assert_eq!(parse_population("0", Unit::Persons), Ok(Some(0)));
        assert_eq!(
            parse_population("100,000", Unit::Persons),
            Ok(Some(100_000))
        );
    }

    #[test]
    fn ten_thousands_convert_exactly() {
        assert_eq!(
            parse_population("2170.7", Unit::TenThousand),
            Ok(Some(21_707_000))
        );
        assert_eq!(
            parse_population("2419.70", Unit::TenThousand),
            Ok(Some(24_197_000))
        );
        assert_eq!(
            parse_population("330.54", Unit::TenThousand),
            Ok(Some(3_305_400))
        );
        assert_eq!(
            parse_population("2170.7万", Unit::Persons),
            Ok(Some(21_707_000))
        );
        assert_eq!(
            parse_population(" 5,657万人 ", Unit::Persons),
            Ok(Some(56_570_000))
        );
    }

    #[test]
    fn fractions_of_persons_are_refused() {
        assert_eq!(
            parse_population("1.23456", Unit::TenThousand),
            Err(NumberError::NotWhole("1.23456".into()))
        );
        assert_eq!(
            parse_population("12.5", Unit::Persons),
            Err(NumberError::NotWhole("12.5".into()))
        );
    }

    #[test]
    fn separators_must_group_by_three() {
        assert_eq!(
            parse_population("21,707,000", Unit::Persons),
            Ok(Some(21_707_000))
        );
        assert_eq!(
            parse_population("1,2", Unit::Persons),
            Err(NumberError::BadSeparators)
        );
        assert_eq!(
            parse_population("1234,567", Unit::Persons),
            Err(NumberError::BadSeparators)
        );
        assert_eq!(
            parse_population(",123", Unit::Persons),
            Err(NumberError::BadSeparators)
        );
    }

    #[test]
    fn missing_markers_are_not_zero() {
        for m in ["", "  ", "NA", "..", "-", "n/a"] {
            assert_eq!(parse_population(m, Unit::Persons), Ok(None), "{m:?}");
        }
    }

    #[test]
    fn bad_text_is_refused() {
        assert_eq!(
            parse_population("-5", Unit::Persons),
            Err(NumberError::Negative)
        );
        assert_eq!(
            parse_population("12a", Unit::Persons),
            Err(NumberError::NotANumber)
        );
        // "." is GENESIS's "unknown or secret": missing.
        assert_eq!(parse_population(".", Unit::Persons), Ok(None));
        assert_eq!(
            parse_population(".5.", Unit::Persons),
            Err(NumberError::NotANumber)
        );
        assert_eq!(
            parse_population("1e6", Unit::Persons),
            Err(NumberError::NotANumber)
        );
        assert_eq!(
            parse_population("99999999999999999999", Unit::Persons),
            Err(NumberError::TooLarge)
        );
    }

    #[test]
    fn rounding_only_when_asked() {
        assert_eq!(
            parse_population_rounding("55011976.6820294", Unit::Persons),
            Ok(Some((55_011_977, true)))
        );
        assert_eq!(
            parse_population_rounding("2.5", Unit::Persons),
            Ok(Some((3, true)))
        );
        assert_eq!(
            parse_population_rounding("2170.7", Unit::TenThousand),
            Ok(Some((21_707_000, false)))
        );
        assert_eq!(
            parse_population_rounding("x", Unit::Persons),
            Err(NumberError::NotANumber)
        );
    }

    #[test]
    fn rates_keep_sign_and_decimals() {
        let r = parse_rate("-0.44").unwrap().unwrap();
        assert_eq!(
            r,
            Decimal {
                mantissa: -44,
                scale: 2
            }
        );
        assert_eq!(r.to_string(), "-0.44");
        let d = Decimal::parse("9.06")
            .unwrap()
            .checked_sub(Decimal::parse("5.3").unwrap());
        assert_eq!(d.map(|d| d.to_string()), Some("3.76".into()));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 2), Some(3));
        assert_eq!(div_round(-5, 2), Some(-3));
        assert_eq!(div_round(-19_242_740, 1000), Some(-19_243));
        assert_eq!(div_round(4, 3), Some(1));
        assert_eq!(div_round(1, 0), None);
        assert_eq!(
            Milli::ratio(-2_200_000, 21_729_000).map(|m| m.to_string()),
            Some("-0.101".into())
        );
        assert_eq!(Milli(5).to_string(), "0.005");
        assert_eq!(Milli(-1234).to_string(), "-1.234");
    }

    #[test]
    fn separators_render() {
        assert_eq!(with_separators(0), "0");
        assert_eq!(with_separators(999), "999");
        assert_eq!(with_separators(-22_000), "-22,000");
        assert_eq!(signed_with_separators(1_388_333_200), "+1,388,333,200");
    }

    proptest! {
        #[test]
        fn parser_never_panics(s in "\\PC*") {
            let _ = parse_population(&s, Unit::TenThousand);
            let _ = parse_rate(&s);
        }

        #[test]
        fn persons_round_trip_through_every_notation(n in 0i64..=i64::MAX / 1_000_000) {
            prop_assert_eq!(parse_population(&n.to_string(), Unit::Persons), Ok(Some(n)));
            prop_assert_eq!(
                parse_population(&with_separators(n.into()), Unit::Persons),
                Ok(Some(n))
            );
            // n persons written in 10k units with four decimals, as a yearbook would.
            let tenk = format!("{}.{:04}", n / 10_000, n % 10_000);
            prop_assert_eq!(parse_population(&tenk, Unit::TenThousand), Ok(Some(n)));
            let mil = format!("{}.{:06}", n / 1_000_000, n % 1_000_000);
            prop_assert_eq!(parse_population(&mil, Unit::Million), Ok(Some(n)));
        }

        #[test]
        fn div_round_in_64_bits_is_div_round_in_128(num in any::<i64>(), den in any::<i64>()) {
            // The same rounding, written out in 128 bits.
            let (n, d) = (i128::from(num), i128::from(den));
            let wide = (d != 0).then(|| {
                let (q, r) = (n / d, n % d);
                if r.abs() * 2 >= d.abs() { q + if (n < 0) == (d < 0) { 1 } else { -1 } } else { q }
            });
            prop_assert_eq!(div_round(n, d), wide);
        }

        #[test]
        fn div_round_is_nearest(num in -1_000_000_000i128..1_000_000_000, den in 1i128..1_000_000) {
            let q = div_round(num, den).unwrap();
            // |num - q*den| <= den/2, i.e. q is a nearest integer.
            prop_assert!((num - q * den).abs() * 2 <= den);
        }
    }
}
