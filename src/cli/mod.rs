//! The command line: every subcommand and flag, with the help text users read. The
//! library's own choices (formats, units, encodings...) are the flags' values, so each
//! is named once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use popdelta::compute::arrange::SortKey;
use popdelta::compute::trend::TrendKey;
use popdelta::load::bundled::Dataset;
use popdelta::load::cell::Filter;
use popdelta::load::decode::Encoding;
use popdelta::load::groups::Unmapped;
use popdelta::load::layout::names::Layout;
use popdelta::number::{Fractions, Unit};
use popdelta::period::Period;
use popdelta::render::map::MapBy;
use popdelta::render::table::ColumnSet;
use popdelta::render::{Format, Naming};

mod source;

const EXAMPLES: &str = "\
Examples:
  popdelta compare                             China's 31 provinces, 2016 -> 2017, north/south
  popdelta compare --from 2015 --to 2018       any pair of years of the bundled data
  popdelta compare --group-by nbs-regions      east, central, west, northeast
  popdelta compare --declining --sort change   the regions that shrank, biggest loss first
  popdelta compare --sort change --reverse --top 3    the three biggest gains, north and south
  popdelta compare --region 北京 --region CN-SH      selected regions (any name or code)
  popdelta compare --dataset china-revised --from 2019 --to 2024    the revised NBS series
  popdelta trend --dataset china-revised       2005-2024: peaks, years of decline, streaks, CAGR
  popdelta compare --format csv > out.csv      CSV for a spreadsheet (the default in a pipe)
  popdelta compare --format json | jq .        JSON with the metadata
  popdelta compare --map china.svg             the changes as a tile-grid map of the provinces
  popdelta compare --output changes.xlsx       a typed workbook: numbers as numbers, notes sheet
  popdelta sources                             where every bundled figure comes from

  A Census Bureau release (one summary level of several; POPESTIMATE{year} found by itself):
    popdelta compare nst-est2017-alldata.csv --where SUMLEV=40 --group-by REGION
  The states as a map (a tile each, found by name, postal abbreviation or FIPS code):
    popdelta compare nst-est2017-alldata.csv --where SUMLEV=40 --map states.svg
  Net migration as the Census Bureau publishes it, the residual in a column of its own:
    popdelta compare nst-est2017-alldata.csv --where SUMLEV=40 --births-col 'BIRTHS{year}' \\
      --deaths-col 'DEATHS{year}' --migration-col 'NETMIG{year}'
  Counties, whose names repeat across states (told apart by CTYNAME and STNAME):
    popdelta compare co-est2017-alldata.csv --where SUMLEV=50 --group-by STNAME
  A World Bank download, as downloaded (aggregates shown apart, never summed):
    popdelta compare API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv --from 2016 --to 2017
  A UN World Population Prospects workbook, and a Eurostat TSV:
    popdelta compare WPP2019_POP_F01_1_TOTAL_POPULATION_BOTH_SEXES.xlsx
    popdelta compare demo_gind.tsv --where indic_de=JAN
  Two quarters of Statistics Canada's table, under their names (pop_2023-07, pop_2023-10):
    popdelta compare 1710000901.csv --from 2023-07 --to 2023-10
  A Chinese export (分省年度数据), GBK, its unit stated above the header, grouped as the
  bundled provinces are:
    popdelta compare 分省年度数据.csv --encoding gbk --group-by north-south

Exit codes: 0 success; 1 `check` found a claim that does not hold; 2 usage error, bad input
or I/O failure.";

/// Population change between two years, by region and group, with its components.
#[derive(Debug, Parser)]
#[command(name = "popdelta", version, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two years: each region's change, group and grand totals, components of change.
    Compare(Box<CompareArgs>),
    /// Follow every region over many years: peak, trough, years of decline, streaks, growth rate.
    Trend(Box<TrendArgs>),
    /// Set each region's figures as first published beside the revised ones (bundled data).
    Vintages(VintagesArgs),
    /// Print a bundled dataset as CSV, every figure with its sources [default: china].
    Data(DatasetArg),
    /// Say where every bundled figure comes from and how sure it is [default: all datasets].
    Sources(DatasetArg),
    /// Check reported figures against the data: exit 0 if every claim holds, 1 if not.
    Check(Box<CheckArgs>),
    /// Print a shell completion script: popdelta completions bash > /etc/bash_completion.d/popdelta
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): popdelta man > popdelta.1; popdelta man compare > popdelta-compare.1
    Man {
        /// One subcommand's page [default: the whole program, every subcommand's options
        /// included].
        subcommand: Option<String>,
    },
}

/// Options of `popdelta compare`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// The data to compare, and how to read it.
    #[command(flatten)]
    pub data: DataArgs,

    /// First year [default: the dataset's default pair (china: 2016 -> 2017), else the
    /// latest two years next to each other that most regions have both of]; a period as the
    /// data writes it (2023-07, 2023Q3) compares exactly that period, where a year holds
    /// several. Two years no region has both of are refused, naming pairs that work.
    #[arg(long, value_name = "YEAR|PERIOD", value_parser = parse_period)]
    pub from: Option<Period>,

    /// Second year, or period (2024-07); after --from.
    #[arg(long, value_name = "YEAR|PERIOD", value_parser = parse_period)]
    pub to: Option<Period>,

    /// Show only regions whose population fell (totals still sum all regions).
    #[arg(long, conflicts_with = "growing")]
    pub declining: bool,

    /// Show only regions whose population grew (totals still sum all regions).
    #[arg(long)]
    pub growing: bool,

    /// Sort regions within each group, smallest first [default: the data's order].
    #[arg(long, value_enum)]
    pub sort: Option<SortKey>,

    /// Reverse the order: largest first.
    #[arg(long)]
    pub reverse: bool,

    /// Show the first N regions of each group (of all, when ungrouped).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Output format [default: as the --output file's extension says (.json, .ndjson, .tsv,
    /// .md, .csv), else table on a terminal and csv in a pipe or file].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to FILE instead of standard output: atomically, and only if the run succeeds.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Begin CSV and TSV with a UTF-8 byte-order mark, so that Excel shows Chinese names.
    #[arg(long)]
    pub bom: bool,

    /// CSV and TSV: add confidence_from, confidence_to (the lowest confidence of the row's
    /// figures, where the source says) and precision (± persons on the change).
    #[arg(long)]
    pub quality: bool,

    /// Print a bar chart of the changes instead of the table.
    #[arg(long, conflicts_with = "format")]
    pub chart: bool,

    /// Also write the bar chart as an SVG file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// Also write a tile-grid map of the changes as an SVG file: one square per region,
    /// laid out as the country (China's provinces, US states), found by name or code.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,

    /// What colours the map's tiles.
    #[arg(long, value_enum, default_value_t = MapBy::Change, requires = "map")]
    pub map_by: MapBy,

    /// The grid to draw the map on (china, us), rather than the one the regions' names
    /// and codes find: regions are placed on it by name or code alone.
    #[arg(long, value_name = "GRID", requires = "map")]
    pub map_grid: Option<String>,

    /// Colour declines and growth: auto (on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorName::Auto)]
    pub color: ColorName,

    /// Draw the table with ASCII rules, for terminals that draw box characters wide.
    #[arg(long)]
    pub ascii: bool,

    /// Names, columns and notes of what is shown.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// How much of the output to show: names, table columns, notes.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// Region names: en, zh (Chinese where known), or both (CSV: a region_zh column)
    /// [default: both in the table and JSON, en in CSV].
    #[arg(long, value_enum, value_name = "en|zh|both")]
    pub names: Option<Naming>,

    /// The table's columns, comma-separated (the region's is always shown), e.g.
    /// change,change_pct,net_migration; without it, a table too wide for the terminal
    /// leaves out per 1,000, 地区, residual, %, ... in that order, and says so.
    #[arg(long, value_name = "COL[,COL...]", value_parser = ColumnSet::parse)]
    pub columns: Option<ColumnSet>,

    /// The table's notes: short (the default on a terminal) or full.
    #[arg(long, value_enum)]
    pub notes: Option<NotesLevel>,
}

/// How much the table's footer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotesLevel {
    /// The essentials, lists cut: for a terminal.
    Short,
    /// Every note in full, as JSON has them.
    Full,
}

const TREND_EXAMPLES: &str = "\
Examples:
  popdelta trend                                      China's 31 provinces, every year bundled
  popdelta trend --dataset china-revised --from 2010 --group-by nbs-regions
                                                      the northeast's decline since 2010
  popdelta trend --dataset china-revised --sort decline_streak --reverse --top 5
                                                      the longest declines still going on, north and south
  popdelta trend --dataset china-revised --region Beijing --region Shanghai --svg cities.svg
                                                      two series, charted
  popdelta trend --dataset china-revised --from 2019 --yearly > steps.csv
                                                      every year's change, long CSV to pivot
  popdelta trend --dataset china-revised --from 2010 --map-by change_pct --map since-2010.svg
                                                      each province's change since 2010, mapped
  A file of your own, any years (a wide World Bank download, aggregates shown apart):
    popdelta trend API_SP.POP.TOTL_DS2_en_csv_v2_887275.csv --region China --region India
  Quarter by quarter (Statistics Canada); CAGR is per year over the true span:
    popdelta trend 1710000901.csv --from 2023-01 --region Ontario

Columns (CSV, JSON): level,region,group,first_year,last_year,pop_first,pop_last,change,
change_pct,cagr_pct,peak_year,peak,trough_year,trough,years_down,longest_decline,
decline_streak. Years down: years below the year before (the year before in the data);
longest_decline: the longest run of them; decline_streak: the run that ends in the last year.
Where the data holds quarters or months, the *_year columns hold periods (2023-07) and the
runs count periods.
With --yearly: level,region,group,from,to,pop_from,pop_to,change,change_pct, and the
components of change where the data has them.";

/// Options of `popdelta trend`.
#[derive(Debug, Args)]
#[command(after_help = TREND_EXAMPLES)]
pub struct TrendArgs {
    /// The data to follow, and how to read it.
    #[command(flatten)]
    pub data: DataArgs,

    /// First year, or period (2023-07, 2023Q1) [default: the first that holds data].
    #[arg(long, value_name = "YEAR|PERIOD", value_parser = parse_period)]
    pub from: Option<Period>,

    /// Last year, or period [default: the last that holds data].
    #[arg(long, value_name = "YEAR|PERIOD", value_parser = parse_period)]
    pub to: Option<Period>,

    /// Every consecutive pair of years as long rows (CSV: level,region,group,from,to,...),
    /// instead of one row per region.
    #[arg(long, conflicts_with_all = ["svg", "sort", "top"])]
    pub yearly: bool,

    /// Show only regions that ended below where they began (sums still count all).
    #[arg(long, conflicts_with = "growing")]
    pub declining: bool,

    /// Show only regions that ended above where they began.
    #[arg(long)]
    pub growing: bool,

    /// Sort regions within each group, smallest first [default: the data's order].
    #[arg(long, value_enum)]
    pub sort: Option<TrendKey>,

    /// Reverse the order: largest first.
    #[arg(long)]
    pub reverse: bool,

    /// Show the first N regions of each group (of all, when ungrouped).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Output format [default: as the --output file's extension says (.json, .ndjson, .tsv,
    /// .md, .csv), else table on a terminal and csv in a pipe or file].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to FILE instead of standard output: atomically, and only if the run succeeds.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Begin CSV and TSV with a UTF-8 byte-order mark, so that Excel shows Chinese names.
    #[arg(long)]
    pub bom: bool,

    /// Also draw each row's series as a line chart in an SVG file (small multiples).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// Also write a tile-grid map of each region's change, first year to last, as an SVG
    /// file: one square per region, laid out as the country (China's provinces, US states).
    #[arg(long, value_name = "FILE", conflicts_with = "yearly")]
    pub map: Option<PathBuf>,

    /// What colours the map's tiles.
    #[arg(long, value_enum, default_value_t = MapBy::Change, requires = "map")]
    pub map_by: MapBy,

    /// The grid to draw the map on (china, us), rather than the one the regions' names
    /// and codes find: regions are placed on it by name or code alone.
    #[arg(long, value_name = "GRID", requires = "map")]
    pub map_grid: Option<String>,

    /// Colour declines and growth: auto (on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorName::Auto)]
    pub color: ColorName,

    /// Draw the table and its sparklines with ASCII characters.
    #[arg(long)]
    pub ascii: bool,

    /// Names, columns and notes of what is shown.
    #[command(flatten)]
    pub view: ViewArgs,
}

const VINTAGES_EXAMPLES: &str = "\
Examples:
  popdelta vintages                                  every region, 2015-2018, both vintages
  popdelta vintages --region Beijing --from 2017 --to 2017    Beijing 2017: 21,707,000 then 21,940,000
  popdelta vintages --format csv > vintages.csv      for a spreadsheet";

/// Options of `popdelta vintages`.
#[derive(Debug, Args)]
#[command(after_help = VINTAGES_EXAMPLES)]
pub struct VintagesArgs {
    /// First year [default: the first year both datasets hold].
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub from: Option<i32>,

    /// Last year [default: the last year both hold].
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub to: Option<i32>,

    /// Keep only this region (repeatable; any English or Chinese name, code or alias).
    #[arg(long = "region", value_name = "NAME")]
    pub regions: Vec<String>,

    /// Output format [default: as the --output file's extension says (.json, .ndjson, .tsv,
    /// .md, .csv), else table on a terminal and csv in a pipe or file].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to FILE instead of standard output: atomically, and only if the run succeeds.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Begin CSV and TSV with a UTF-8 byte-order mark, so that Excel shows Chinese names.
    #[arg(long)]
    pub bom: bool,

    /// Colour revisions up and down: auto (on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorName::Auto)]
    pub color: ColorName,

    /// Draw the table with ASCII rules.
    #[arg(long)]
    pub ascii: bool,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorName {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even in a pipe.
    Always,
    /// Never.
    Never,
}

/// Options of `popdelta check`.
#[derive(Debug, Args)]
#[command(after_help = CHECK_EXAMPLES)]
pub struct CheckArgs {
    /// Claims CSV: id,subject,from,to,metric,op,value,tolerance,quote[,dataset] [default:
    /// the bundled claims of the 2018 report]. Data FILEs, if any, follow it.
    #[arg(value_name = "CLAIMS")]
    pub claims: Option<PathBuf>,

    /// One claim typed here rather than in a file: SUBJECT METRIC FROM TO OP VALUE
    /// [TOLERANCE [DATASET]], e.g. 'Beijing change 2016 2017 = -22000', or SUBJECT
    /// population YEAR OP VALUE (repeatable); region:NAME and group:NAME say which a
    /// subject is where a name is both. CLAIMS and FILEs are then all data files.
    #[arg(long, value_name = "CLAIM")]
    pub claim: Vec<String>,

    /// The data to check against, and how to read it (as for compare).
    #[command(flatten)]
    pub data: DataArgs,

    /// Output format [default: as the --output file's extension says (.json, .ndjson, .tsv,
    /// .md, .csv), else table on a terminal and csv in a pipe or file].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to FILE instead of standard output (atomically).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Colour the verdicts: auto (on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorName::Auto)]
    pub color: ColorName,

    /// Draw the table with ASCII rules.
    #[arg(long)]
    pub ascii: bool,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  popdelta check                                the 2018 report's claims, bundled data
  popdelta check mine.csv                       your claims against the bundled data
  popdelta check --claim 'Beijing change 2016 2017 = -22000'    one claim, no file
  popdelta check trend-claims.csv --dataset china-revised    \"shrunk every year since 2010\"
  popdelta check c.csv states.csv --where SUMLEV=40 --region-col NAME \\
      --value-col 'POPESTIMATE{year}' --group-by REGION

A claims file (CSV): id,subject,from,to,metric,op,value,tolerance,quote[,dataset]
  subject   a region (any name or code), a group, or total
  from, to  the years; population may take one year (from = to)
  metric    population, change, change_pct, natural_increase, net_migration,
            net_migration_per_1000; over every year from..to: peak_year, years_down,
            longest_decline, decline_streak, cagr_pct
  op        =  <  <=  >  >=
  value     a number, or another subject to compare with
  tolerance empty (exact), a number in the metric's unit, or a percent such as 5%
  dataset   empty (the data given), or a bundled dataset: china, china-revised,
            china-cities; claims on several datasets are checked in one run

Exit codes: 0 every claim holds; 1 a claim does not hold or cannot be checked; 2 error.";

/// Where the figures come from and how to read them: shared by the commands that load data.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// CSV files to read (- for standard input); none: the bundled dataset.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Bundled dataset to use when no FILE is given [default: china].
    #[arg(long, value_enum)]
    pub dataset: Option<Dataset>,

    /// How to group regions: a column of the input; north-south (the bundled data's
    /// default) or nbs-regions, for the bundled data and for files of China's provinces
    /// (found by any English or Chinese name, code or alias); none for no groups.
    #[arg(long, value_name = "COL|north-south|nbs-regions|none")]
    pub group_by: Option<String>,

    /// A CSV mapping region -> group: its region column is the one naming the most of the
    /// data's regions, its group column the one --group-by names (by name or position),
    /// else one named group, else the first whose values repeat (a World Bank
    /// Metadata_Country file: TableName -> Region).
    #[arg(long, value_name = "FILE")]
    pub groups: Option<String>,

    /// Regions that --groups FILE does not map: an error, or a group named "other".
    #[arg(long, value_enum, default_value_t = Unmapped::Error)]
    pub unmapped: Unmapped,

    /// Show only this region (repeatable); group and total rows still sum every region
    /// (with --groups FILE, the regions shown). For the bundled data by English or Chinese
    /// name, GB/T 2260 or ISO 3166-2 code, or alias, in any case; in files as written.
    #[arg(long = "region", value_name = "NAME")]
    pub regions: Vec<String>,

    /// The level of the regions' tree compared: a number, 1 for the top (the country), or
    /// a word the level's names hold (Land, Regierungsbezirk); the others are set apart
    /// [default: the lowest complete level].
    #[arg(long, value_name = "N|NAME")]
    pub level: Option<String>,

    /// File layout: long (region, year, value columns) or wide (a column per year).
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    pub layout: Layout,

    /// Column(s) that together identify a region, comma-separated, e.g. CTYNAME,STNAME.
    #[arg(long, value_name = "COL[,COL...]", value_delimiter = ',')]
    pub region_col: Vec<String>,

    /// The year column of a long file [default: year, 年份, ...].
    #[arg(long, value_name = "NAME")]
    pub year_col: Option<String>,

    /// The population column, or in a wide file a pattern such as 'POPESTIMATE{year}'
    /// [default: population, pop, value, 常住人口, ...; in wide files columns named by year].
    #[arg(long, value_name = "NAME|PATTERN")]
    pub value_col: Option<String>,

    /// Births during each year: a column, or a pattern such as 'BIRTHS{year}'.
    #[arg(long, value_name = "NAME|PATTERN")]
    pub births_col: Option<String>,

    /// Deaths during each year: a column, or a pattern such as 'DEATHS{year}'.
    #[arg(long, value_name = "NAME|PATTERN")]
    pub deaths_col: Option<String>,

    /// Birth rate per mille: a column or pattern (with --death-rate-col).
    #[arg(long, value_name = "NAME|PATTERN")]
    pub birth_rate_col: Option<String>,

    /// Death rate per mille: a column or pattern (with --birth-rate-col).
    #[arg(long, value_name = "NAME|PATTERN")]
    pub death_rate_col: Option<String>,

    /// Natural growth rate per mille: a column or pattern.
    #[arg(long, value_name = "NAME|PATTERN")]
    pub natural_rate_col: Option<String>,

    /// Net migration as published, e.g. 'NETMIG{year}': shown as net migration, with the
    /// residual (change - natural increase - net migration) in a column of its own. Needs
    /// --births-col and --deaths-col (or the rate columns).
    #[arg(long, value_name = "NAME|PATTERN")]
    pub migration_col: Option<String>,

    /// Keep only rows whose COL equals VALUE, or one of V1|V2; COL!=VALUE keeps the others
    /// (repeatable: a row must pass all; "40" matches "040"). A breakdown (sex, age) is read
    /// at its total category where it has one, said; --where reads another.
    #[arg(long = "where", value_name = "COL=VALUE", value_parser = Filter::parse)]
    pub filters: Vec<Filter>,

    /// Leave out this region (repeatable; by name as for --region).
    #[arg(long = "exclude", value_name = "REGION")]
    pub exclude: Vec<String>,

    /// The sheet of a workbook (xlsx, xlsb, xls, ods) to read [default: the first with a table of
    /// figures], or the dataset of a JSON-stat bundle (its name) or collection (its label).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The character before decimals: , for numbers written 1.234.567,8 (German, French), or .
    /// [default: found from the file's first lines; a point in comma-separated files].
    #[arg(long, value_name = "CHAR", value_parser = ["," , "."])]
    pub decimal: Option<String>,

    /// The character between fields: , ; tab | or any one character [default: found from
    /// the file's first lines].
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// Lines before the header [default: detected where safe, e.g. World Bank downloads].
    #[arg(long, value_name = "N")]
    pub skip_rows: Option<usize>,

    /// Unit of the input values [default: what the file states (万人, thousands, "(1000)",
    /// UNIT_MULT), else persons].
    #[arg(long, value_enum)]
    pub unit: Option<Unit>,

    /// Values that are not whole persons: round them half away from zero and list each one
    /// in the notes (round), or refuse them (error).
    #[arg(long, value_enum, default_value_t = Fractions::Round)]
    pub fractions: Fractions,

    /// Read files with the ordinary readers only: no parallel reader of plain text, no fast
    /// reader of xlsx sheets (they give the same results; kept for comparing them).
    #[arg(long, hide = true)]
    pub single_threaded: bool,

    /// Text encoding of the input; auto reads UTF-8 (with or without BOM) and UTF-16 with a
    /// BOM, and guesses a legacy encoding (GBK, Shift_JIS, Windows-1252...) from the text,
    /// saying so.
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
}

/// A period as the user writes it: a year (2017), or a period as data writes it (2023-07,
/// 2023Q3, 2023-W05, 31.12.2023, "July 1, 2010").
fn parse_period(s: &str) -> Result<Period, String> {
    Period::parse(s).ok_or_else(|| {
        format!(
            "expected a year such as 2017, or a period as the data writes it (2017-07, \
             2017Q3, 2017M07, 31.12.2017); found {s:?}"
        )
    })
}

/// A year, and only a year (the bundled vintages are yearly).
fn parse_year(s: &str) -> Result<i32, String> {
    parse_period(s)?
        .is_year()
        .then(|| popdelta::load::layout::names::year_of(s))
        .flatten()
        .ok_or_else(|| format!("expected a year such as 2017; found {s:?}"))
}

/// A field separator: one ASCII character, or `tab`.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match s.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
            _ => Err(format!(
                "expected one character such as , ; | or tab, found {s:?}"
            )),
        },
    }
}

/// The dataset choice of `data` and `sources`.
#[derive(Debug, Args)]
pub struct DatasetArg {
    /// Bundled dataset.
    #[arg(long, value_enum)]
    pub dataset: Option<Dataset>,

    /// Output format: csv, tsv, json (an array of objects) or ndjson [default: csv].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}
