//! Reading a header: which columns hold the region, the year, the values, and which layout
//! the file has.

use crate::number::Unit;

/// How a file lays out its years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Layout {
    /// Detect from the header.
    #[default]
    Auto,
    /// One row per region and year: region, year and value columns.
    Long,
    /// One row per region, one column per year (or per year in a column name pattern).
    Wide,
}

/// What a column holds, besides names and groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Population, whole persons after unit conversion.
    Population,
    /// Births during the year.
    Births,
    /// Deaths during the year.
    Deaths,
    /// Birth rate per mille.
    BirthRate,
    /// Death rate per mille.
    DeathRate,
    /// Natural growth rate per mille.
    NaturalRate,
    /// Net migration during the year, as published (signed persons).
    NetMigration,
}

impl Measure {
    /// All measures, population first.
    pub const ALL: [Measure; 7] = [
        Measure::Population,
        Measure::Births,
        Measure::Deaths,
        Measure::BirthRate,
        Measure::DeathRate,
        Measure::NaturalRate,
        Measure::NetMigration,
    ];

    /// The flag that names this measure's column.
    pub fn flag(self) -> &'static str {
        match self {
            Measure::Population => "--value-col",
            Measure::Births => "--births-col",
            Measure::Deaths => "--deaths-col",
            Measure::BirthRate => "--birth-rate-col",
            Measure::DeathRate => "--death-rate-col",
            Measure::NaturalRate => "--natural-rate-col",
            Measure::NetMigration => "--migration-col",
        }
    }

    /// Whether values are rates (decimal, signed) rather than counts of persons.
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Measure::BirthRate | Measure::DeathRate | Measure::NaturalRate
        )
    }

    /// A word for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Measure::Population => "population",
            Measure::Births => "births",
            Measure::Deaths => "deaths",
            Measure::BirthRate => "birth rate",
            Measure::DeathRate => "death rate",
            Measure::NaturalRate => "natural growth rate",
            Measure::NetMigration => "net migration",
        }
    }
}

/// Header names taken as the region column when none is named.
/// A name column comes before "region", which in many files holds a code or a group
/// (the Census REGION is 1-4).
const REGION_NAMES: &[&str] = &[
    "name",
    "city",
    "county",
    "district",
    "municipality",
    "country name",
    "region",
    "全国・都道府県",
    "都道府県",
    "地域",
    "region_en",
    "region name",
    "region, subregion, country or area *",
    "country or area",
    "country",
    "province",
    "state",
    "area",
    "geo",
    "location",
    "territory",
    "geographic area",
    "geography",
    // Other offices' words for their regions.
    "kreis",
    "landkreis",
    "bundesland",
    "land",
    "gemeinde",
    "pays",
    "région",
    "département",
    "commune",
    "país",
    "provincia",
    "municipio",
    "regione",
    "comune",
    "kommune",
    "地区",
    "省份",
    "地区名称",
    "省份名称",
    "国家",
    "地域名",
    "区域",
    "territoire",
    "gebiet",
    "territorio",
];
/// Header names taken as the year column of a long file.
const YEAR_NAMES: &[&str] = &[
    "year",
    "yr",
    "ref_date",
    "time_period",
    "time",
    // Periods finer than a year, in the offices' languages.
    "period",
    "quarter",
    "month",
    "date",
    "tid",
    "månad",
    "kvartal",
    "monat",
    "quartal",
    "mes",
    "trimestre",
    "年份",
    "年度",
    "年",
];
/// Header names taken as the population column of a long file.
const VALUE_NAMES: &[&str] = &[
    "population",
    "pop",
    "value",
    // SDMX-CSV (Eurostat, OECD, ABS, IMF): the observation's value.
    "obs_value",
    "persons",
    "population_10k",
    "常住人口",
    "年末常住人口",
    "人口",
];

/// A header name as compared: trimmed and lower case.
pub fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}

pub use crate::period::{PLAUSIBLE_YEARS, month_day};

/// The year a column name or a cell stands for: a year, or the year of a period or date
/// within it (see [`crate::period::Period::parse`]).
pub fn year_of(name: &str) -> Option<i32> {
    crate::period::Period::parse(name).map(crate::period::Period::year_number)
}

/// A month and day named anywhere in a label ("Intercensal Estimates (as of July 1)").
pub fn date_in(label: &str) -> Option<(&'static str, u32)> {
    let cleaned = label.replace(['(', ')'], " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    (0..words.len().saturating_sub(1)).find_map(|i| {
        let pair = format!("{} {}", words[i], words[i + 1]);
        month_day(&pair).map(|(m, d, _)| (m, d))
    })
}

/// Whether a cell or column name is a year as such (not a date or period within one).
pub fn is_plain_year(name: &str) -> bool {
    let n = name.trim();
    let n = n.strip_suffix('年').unwrap_or(n);
    n.len() == 4
        && n.bytes().all(|b| b.is_ascii_digit())
        && n.parse().is_ok_and(|y: i32| PLAUSIBLE_YEARS.contains(&y))
}

/// Words that, followed by a year, name population columns (POPESTIMATE2017, pop_2016).
const POPULATION_PREFIXES: &[&str] = &["popestimate", "population", "pop", "respop", "tot_pop"];

/// Census county files: counties are told apart by county and state name together.
pub fn census_county(header: &[String]) -> Option<Vec<usize>> {
    let find = |n: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    Some(vec![find("CTYNAME")?, find("STNAME")?])
}

/// The pattern of population columns named by a known word and a year, as the header
/// writes it (`POPESTIMATE{year}`), when there are at least two such columns.
pub fn population_pattern(header: &[String]) -> Option<String> {
    for word in POPULATION_PREFIXES {
        for sep in ["", "_", " "] {
            let matching: Vec<&String> = header
                .iter()
                .filter(|h| {
                    let n = normalise(h);
                    n.strip_prefix(word)
                        .and_then(|rest| rest.strip_prefix(sep))
                        .is_some_and(|year| year_of(year).is_some() && !year.ends_with('年'))
                })
                .collect();
            if matching.len() >= 2 {
                let first = matching[0].trim();
                let prefix = &first[..word.len() + sep.len()];
                return Some(format!("{prefix}{{year}}"));
            }
        }
    }
    None
}

/// A column spec with `{year}`, such as `POPESTIMATE{year}`, split around the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    prefix: String,
    suffix: String,
}

impl Pattern {
    /// Parses a spec; `None` if it has no `{year}`.
    pub fn parse(spec: &str) -> Option<Pattern> {
        let (prefix, suffix) = spec.split_once("{year}")?;
        // Spaces next to {year} belong to the pattern ("Population {year}").
        Some(Pattern {
            prefix: prefix.trim_start().to_lowercase(),
            suffix: suffix.trim_end().to_lowercase(),
        })
    }

    /// The year a header name stands for under this pattern.
    pub fn year(&self, name: &str) -> Option<i32> {
        let n = normalise(name);
        let middle = n.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        (middle.len() == 4 && middle.bytes().all(|b| b.is_ascii_digit()))
            .then(|| middle.parse().ok())
            .flatten()
    }
}

/// The unit a header name declares, such as 常住人口(万人).
pub fn unit_in_name(name: &str) -> Option<Unit> {
    name.contains('万').then_some(Unit::TenThousand)
}

/// The unit a line of text states for the figures, such as "指标：年末常住人口(万人)",
/// "人口【千人】", "Population (in thousands)" or "(1000)".
pub fn unit_stated(text: &str) -> Option<Unit> {
    let t = text.to_lowercase();
    if t.contains("万人") {
        return Some(Unit::TenThousand);
    }
    if t.contains("千人")
        || t.contains("thousands")
        || t.contains("in thousand")
        || t.contains("(1000)")
        || t.contains("(1 000)")
        || t.contains("(1,000)")
        || t.contains("'000")
        || t.contains("tausend")
        || t.contains("milliers")
        || t.contains("miles de personas")
        || t.contains("thousand persons")
        || t.contains("1000 persons")
        || t.contains("1 000 personer")
        || t.contains("1000 personer")
        || t.contains("(i 1000)")
        || t.contains("(i 1 000)")
        || t.contains("(in 1000)")
        || t.contains("tusen")
    {
        return Some(Unit::Thousand);
    }
    if t.contains("millions") || t.contains("in million") {
        return Some(Unit::Million);
    }
    None
}

/// Every column whose name matches, case-insensitively.
pub fn find_all(header: &[String], name: &str) -> Vec<usize> {
    let want = normalise(name);
    header
        .iter()
        .enumerate()
        .filter(|(_, h)| normalise(h) == want)
        .map(|(i, _)| i)
        .collect()
}

/// The first known name present in the header, in the order of preference of `names`;
/// also tolerates a unit in brackets, as in "常住人口(万人)".
pub fn find_known(header: &[String], names: &[&str]) -> Option<usize> {
    let bare = |h: &str| -> String {
        let n = normalise(h);
        match n.find(['(', '（']) {
            Some(i) => n[..i].trim().to_owned(),
            None => n,
        }
    };
    names
        .iter()
        .find_map(|want| header.iter().position(|h| bare(h) == *want))
}

/// How many columns have a known region name (more than one: the choice is a guess).
pub fn known_region_count(header: &[String]) -> usize {
    (0..header.len())
        .filter(|&i| find_known(&header[i..=i], REGION_NAMES).is_some())
        .count()
}

/// The known region column, if any, but `not` (the group column: "Region" may be one).
pub fn known_region(header: &[String], not: Option<usize>) -> Option<usize> {
    REGION_NAMES.iter().find_map(|want| {
        (0..header.len()).find(|&i| Some(i) != not && find_known(&header[i..=i], &[want]).is_some())
    })
}

/// What a header or preamble line says the figures are, when they are not plain counts of
/// a population: a sample, a share, a rate or a density.
pub fn figures_are(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let words: &[(&str, &[&str])] = &[
        (
            "a sample's or survey's, not a count of the population",
            &[
                "抽样",
                "sample",
                "survey",
                "stichprobe",
                "標本",
                "échantillon",
            ],
        ),
        (
            "shares, not populations",
            &["比重", "share", "percentage", "per cent", "anteil"],
        ),
        (
            "rates, not populations",
            &["率", " rate", "per 1000", "per 1,000", "‰"],
        ),
        (
            "densities, not populations",
            &["密度", "density", "per km", "dichte"],
        ),
    ];
    let word = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    words
        .iter()
        .find(|(_, ws)| ws.iter().any(|w| lower.contains(w)))
        .map(|(what, _)| *what)
        .or_else(|| (word("rank") || word("ranking")).then_some("ranks, not populations"))
}

/// The known year column, if any.
pub fn known_year(header: &[String]) -> Option<usize> {
    find_known(header, YEAR_NAMES)
}

/// The known value column, if any.
pub fn known_value(header: &[String]) -> Option<usize> {
    find_known(header, VALUE_NAMES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn known_names_match_case_and_units() {
        let header = h(&["Country Name", "Country Code", "1960", "2017", ""]);
        assert_eq!(known_region(&header, None), Some(0));
        // A group column named Region is not the regions.
        let grouped = h(&["Region", "Country Name", "2016"]);
        assert_eq!(known_region(&grouped, Some(0)), Some(1));
        let header = h(&["地区", "年份", "常住人口(万人)"]);
        assert_eq!(known_region(&header, None), Some(0));
        assert_eq!(known_year(&header), Some(1));
        assert_eq!(known_value(&header), Some(2));
        assert_eq!(unit_in_name(&header[2]), Some(Unit::TenThousand));
        assert_eq!(known_year(&h(&["Region", "YEAR"])), Some(1));
    }

    #[test]
    fn patterns_and_year_columns() {
        let p = Pattern::parse("POPESTIMATE{year}").unwrap();
        assert_eq!(p.year("POPESTIMATE2017"), Some(2017));
        assert_eq!(p.year("popestimate2017"), Some(2017));
        assert_eq!(p.year("NPOPCHG_2017"), None);
        assert_eq!(p.year("POPESTIMATE42"), None);
        let p = Pattern::parse("Population {year}").unwrap();
        assert_eq!(p.year("Population 2016"), Some(2016));
        assert_eq!(p.year(" population 2016 "), Some(2016));
        let p = Pattern::parse("pop_{year}_total").unwrap();
        assert_eq!(p.year("pop_2016_total"), Some(2016));
        assert_eq!(year_of("2016"), Some(2016));
        assert_eq!(year_of(" 2016年 "), Some(2016));
        assert_eq!(year_of("20165"), None);
        // Numbers no year is (other projects' test workbooks' headers).
        for n in ["1234", "4321", "6000", "8000", "0001"] {
            assert_eq!(year_of(n), None, "{n}");
        }
        assert_eq!(year_of("2019-A2"), None);
        assert_eq!(year_of("2019-S3"), None);
        // Days the month has, and only those (31.02.2013 was taken for 2013).
        assert_eq!(year_of("31.02.2013"), None);
        assert_eq!(year_of("29.02.2013"), None);
        assert_eq!(year_of("29.02.2016"), Some(2016));
        assert_eq!(year_of("2013-02-29"), None);
        assert_eq!(year_of("2000-02-29"), Some(2000));
        assert_eq!(year_of("1900-02-29"), None);
        assert_eq!(year_of("31/04/2020"), None);
        for (period, y) in [
            ("2024-07", 2024),
            ("2024-07-01", 2024),
            ("2024Q3", 2024),
            ("2024-Q3", 2024),
            ("2024M07", 2024),
            ("31.12.2013", 2013),
            ("31/12/2013", 2013),
            // SDMX's forms, and other offices' (before: refused).
            ("2019-A1", 2019),
            ("2019-S1", 2019),
            ("2019-01-01/P1Y", 2019),
            ("2023K1", 2023),
            ("2023-W05", 2023),
            ("April 1, 2010", 2010),
            ("July 1, 2010", 2010),
            ("1 July 2010", 2010),
        ] {
            assert_eq!(year_of(period), Some(y), "{period}");
        }
        for not in [
            "2024-13",
            "2024Q5",
            "32.12.2013",
            "2024-07-32",
            "12.000",
            "1.234.567",
        ] {
            assert_eq!(year_of(not), None, "{not}");
        }
        assert_eq!(Pattern::parse("BIRTHS"), None);
    }
}
