//! The data options as the library's [`Source`]: the bundled dataset and its grouping, or
//! the user's files and how to read them.

use std::path::PathBuf;

use popdelta::Error;
use popdelta::load::bundled::Dataset;
use popdelta::load::{Input, LoadOptions, Source};

use super::DataArgs;

fn usage(msg: String) -> Error {
    Error::Usage(msg)
}

impl DataArgs {
    /// With FILEs, the provinces' grouping that --group-by names (north-south,
    /// nbs-regions), if it names one rather than a column.
    pub fn bundled_grouping(&self) -> Option<&str> {
        let g = self.group_by.as_deref().filter(|_| self.groups.is_none())?;
        // Only the provinces' groupings: a city dataset's "province" is more likely a
        // column of the file.
        (!self.files.is_empty()
            && Dataset::default()
                .spec()
                .groupings
                .iter()
                .any(|s| s.name == g))
        .then_some(g)
    }

    /// What to load, or a usage error for options that do not fit together.
    pub fn source(&self) -> Result<Source, Error> {
        if self.files.is_empty() {
            let dataset = self.dataset.unwrap_or_default();
            if dataset.grouping(self.group_by.as_deref()).is_none() {
                let names: Vec<&str> = dataset.spec().groupings.iter().map(|g| g.name).collect();
                return Err(usage(format!(
                    "--group-by {:?} is not a grouping of the bundled data; use {} or none (a \
                     column name works with FILEs)",
                    self.group_by.as_deref().unwrap_or_default(),
                    names.join(", ")
                )));
            }
            return Ok(Source::Bundled {
                dataset,
                grouping: self.group_by.clone(),
            });
        }
        if let Some(d) = self.dataset {
            return Err(usage(format!(
                "--dataset {} is the bundled data; it does not apply when FILEs are given",
                d.name()
            )));
        }
        let group_col = match self.group_by.as_deref() {
            // With --groups FILE, --group-by names the mapping's column.
            _ if self.groups.is_some() => None,
            None | Some("none") => None,
            // A bundled grouping is applied once the files are read (load_data_showing).
            Some(_) if self.bundled_grouping().is_some() => None,
            Some(col) => Some(col.to_owned()),
        };
        let options = Box::new(LoadOptions {
            layout: self.layout,
            region_cols: self.region_col.clone(),
            year_col: self.year_col.clone(),
            value_col: self.value_col.clone(),
            births_col: self.births_col.clone(),
            deaths_col: self.deaths_col.clone(),
            birth_rate_col: self.birth_rate_col.clone(),
            death_rate_col: self.death_rate_col.clone(),
            natural_rate_col: self.natural_rate_col.clone(),
            migration_col: self.migration_col.clone(),
            delimiter: self.delimiter,
            decimal: self.decimal.as_deref().and_then(|d| d.bytes().next()),
            sheet: self.sheet.clone(),
            filters: self.filters.clone(),
            skip_rows: self.skip_rows,
            unit: self.unit,
            encoding: self.encoding,
            group_col,
            fractions: self.fractions,
            periods: Vec::new(),
            ordinary: self.single_threaded,
        });
        Ok(Source::Files {
            inputs: self.files.iter().map(|f| Input::from_arg(f)).collect(),
            options,
        })
    }

    /// Whether the run reads standard input (`-`), which no output may be either.
    pub fn reads_stdin(&self) -> bool {
        self.files.iter().any(|f| f == "-")
    }

    /// The files a run reads, which --output and --svg must not overwrite.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|f| *f != "-")
            .map(PathBuf::from)
            .chain(self.groups.iter().map(PathBuf::from))
            .collect()
    }
}
