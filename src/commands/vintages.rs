//! `popdelta vintages`: the bundled figures as first published beside the revised ones.

use popdelta::compute::vintages::{common_years, vintages};
use popdelta::load::bundled::{self, Dataset};
use popdelta::period::Period;
use popdelta::render::table::Look;
use popdelta::render::{self, vintages::About};

use super::{pick_format, sink, want_color};
use crate::cli::VintagesArgs;

/// The dataset of the figures as revised.
const REVISED: &str = "china-revised";

/// Writes the two vintages of every region (or those asked for); exit code 0.
pub fn run(args: &VintagesArgs) -> anyhow::Result<u8> {
    let first_set = Dataset::default();
    let revised_set = Dataset::named(REVISED)
        .ok_or_else(|| anyhow::anyhow!("the bundled data has no {REVISED} dataset"))?;
    let mut first = bundled::load(first_set, Some("none"))?;
    let revised = bundled::load(revised_set, Some("none"))?;
    if !args.regions.is_empty() {
        let keep = args
            .regions
            .iter()
            .map(|name| {
                first
                    .find(name)
                    .ok_or_else(|| popdelta::Error::UnknownRegion {
                        name: name.clone(),
                        dataset: first.info.dataset.clone(),
                        suggestions: first.suggest(name),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        first = first.select(&keep);
    }
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return Err(popdelta::Error::Usage(format!(
            "--from {from} comes after --to {to}; say --from {to} --to {from}"
        ))
        .into());
    }
    let common = common_years(&first, &revised);
    let years: Vec<Period> = common
        .iter()
        .copied()
        .filter(|&y| {
            args.from.is_none_or(|f| y >= Period::year(f))
                && args.to.is_none_or(|t| y <= Period::year(t))
        })
        .collect();
    if years.is_empty() {
        return Err(popdelta::Error::Usage(format!(
            "both vintages hold {}; none of them is in the years asked for",
            popdelta::error::list_years(&common)
        ))
        .into());
    }
    let rows = vintages(&first, &revised, &years);
    let targets = super::claim_outputs(&[], false, &[("--output", args.output.as_deref())])?;
    let mut out = sink("--output", args.output.as_deref(), &targets)?;
    let format = pick_format(args.format, &out, args.output.as_deref());
    super::workbook_needs_a_file(format, args.output.as_deref())?;
    let said = super::said();
    let opts = render::Options {
        look: Look {
            color: want_color(args.color, &out),
            ascii: args.ascii,
            ..Look::default()
        },
        bom: args.bom,
        quality: false,
        naming: None,
        said: &said,
        unguarded: false,
    };
    let about = About {
        first: first_set.name(),
        revised: revised_set.name(),
        revised_description: revised_set.description(),
    };
    render::vintages::write(&mut out, format, &rows, &about, opts)?;
    out.finish()?;
    Ok(0)
}
