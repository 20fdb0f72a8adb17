//! The command line: every subcommand and flag, with the help text users read.

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  popdelta compare                          2016 -> 2017 for China's 31 provinces, north/south
  popdelta compare --from 2015 --to 2018    any pair of years of the bundled data
  popdelta compare --group-by nbs-regions   east, central, west, northeast
  popdelta compare --format csv > out.csv   CSV for a spreadsheet (the default in a pipe)
  popdelta compare --format json | jq .     JSON with the metadata
  popdelta sources                          where every bundled figure comes from

Exit codes: 0 success; 2 usage error, bad input or I/O failure.";

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
    Compare(CompareArgs),
    /// Print the bundled dataset as CSV, every figure with its sources.
    Data(DatasetArg),
    /// Say where every bundled figure comes from and how sure it is.
    Sources(DatasetArg),
}

/// Options of `popdelta compare`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// Bundled dataset to compare.
    #[arg(long, value_enum, default_value_t = DatasetName::China)]
    pub dataset: DatasetName,

    /// First year [default: the dataset's default pair (china: 2016 -> 2017), else the two
    /// latest years that hold data].
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,

    /// Second year; must come after --from.
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,

    /// How to group regions for subtotals.
    #[arg(long, value_enum, default_value_t = GroupBy::NorthSouth)]
    pub group_by: GroupBy,

    /// Output format [default: table on a terminal, csv in a pipe or file].
    #[arg(long, value_enum)]
    pub format: Option<FormatName>,
}

/// The dataset choice of `data` and `sources`.
#[derive(Debug, Args)]
pub struct DatasetArg {
    /// Bundled dataset.
    #[arg(long, value_enum, default_value_t = DatasetName::China)]
    pub dataset: DatasetName,
}

/// Names of the bundled datasets.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DatasetName {
    /// Mainland China's 31 provincial-level divisions, 2015-2018, as first published.
    China,
}

/// Groupings of the bundled data.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupBy {
    /// North and south of the Qinling-Huaihe line.
    NorthSouth,
    /// The NBS regions: east, central, west, northeast.
    NbsRegions,
    /// No groups: regions and the total.
    None,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatName {
    /// Aligned table with a footer, for people.
    Table,
    /// Comma-separated values, plain numbers.
    Csv,
    /// One JSON document with rows and metadata.
    Json,
}
